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
