from pathlib import Path

import pytest

from helpers import paths


def test_defaults_do_not_depend_on_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.data_dir(None) == paths.SAMPLE_DIR
    assert paths.work_dir(None, create=False) == paths.REPO_ROOT / "build" / "workshop"


def test_relative_data_dir_is_made_absolute(make_dataset, tmp_path, monkeypatch):
    make_dataset({"a": 1, "b": 1})
    monkeypatch.chdir(tmp_path)
    assert paths.data_dir("dataset") == tmp_path / "dataset"


def test_missing_data_dir_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.*one sub-folder of images per class"):
        paths.data_dir(tmp_path / "nowhere")


def test_missing_sample_says_how_to_get_it_back(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "SAMPLE_DIR", tmp_path / "gone")
    with pytest.raises(FileNotFoundError, match="python -m helpers data sample"):
        paths.data_dir(None)


@pytest.mark.parametrize("inside", [".", "sample", "sample/split"])
def test_work_dir_never_inside_data(inside):
    with pytest.raises(ValueError, match="inside the data folder"):
        paths.work_dir(paths.DATA_ROOT / inside, create=False)


def test_work_dir_created(tmp_path):
    assert paths.work_dir(tmp_path / "a" / "b").is_dir()


def test_sample_image_class_folder():
    assert paths.sample_image("siirt (3).jpg").parent.name == "Siirt_Pistachio"
    assert isinstance(paths.sample_image(), Path)


def _paths_of_an_installed_copy(tmp_path, **env_extra):
    """helpers copied into a bare site folder (no pyproject.toml beside it), as pip installs it."""
    import os
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site"
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(paths.HELPERS_DIR, site / "helpers", ignore=skip)
    notebook_dir = tmp_path / "notebooks here"
    notebook_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "WORKSHOP_HOME"}
    env.update(PYTHONPATH=str(site), **env_extra)
    code = "from helpers import paths; print(paths.in_checkout()); print(paths.SAMPLE_DIR)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=notebook_dir, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines(), notebook_dir


def test_outside_a_checkout_the_workshop_folder_is_next_to_the_notebook(tmp_path):
    (in_checkout, sample), notebook_dir = _paths_of_an_installed_copy(tmp_path)
    assert in_checkout == "False"
    expected = notebook_dir / "workshop" / "data" / "sample" / "Pistachio_Image_Dataset"
    assert sample == str(expected / "Pistachio_Image_Dataset")


def test_workshop_home_chooses_the_folder_outside_a_checkout(tmp_path):
    home = tmp_path / "home"
    (_, sample), _ = _paths_of_an_installed_copy(tmp_path, WORKSHOP_HOME=str(home))
    assert sample.startswith(str(home / "data" / "sample"))
