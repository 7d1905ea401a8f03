"""Colab: the badge and the set-up cell at the top of each learner notebook (helpers/colab.py).

The slow test does what an attendee on Colab does, without Colab and without the network: a
learner notebook 00 (the Colab cells, then notebook 00's cells) alone in an empty folder, run
by a Python that has the lessons' packages but not the workshop, with the set-up cell pointed
at a local copy of the repository (``WORKSHOP_SOURCE``) and pip at the session's wheelhouse.
"""

from __future__ import annotations

import json
import subprocess

import nbformat
import pytest
import support

from helpers import colab, paths, release

NOTEBOOKS = sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def _learner_like(name: str) -> dict:
    notebook = json.loads((paths.NOTEBOOKS_DIR / name).read_text())
    notebook["cells"] = colab.colab_cells(name) + notebook["cells"]
    return notebook


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_cells_are_valid_and_point_at_the_learner_notebook_on_the_workshop_branch(name):
    notebook = _learner_like(name)
    nbformat.validate(nbformat.from_dict(notebook))
    badge, setup = notebook["cells"][:2]
    link = (
        "https://colab.research.google.com/github/image-pipelines-workshop/"
        f"image-data-pipelines/blob/{release.REF}/learner/{name}"
    )
    assert f"]({link})" in "".join(badge["source"]) and "colab-badge.svg" in "".join(
        badge["source"]
    )
    assert setup["metadata"]["tags"] == ["bootstrap"] and setup["outputs"] == []
    ids = [cell["id"] for cell in notebook["cells"]]
    assert len(ids) == len(set(ids))


def test_one_name_for_the_branch_in_every_link():
    assert release.REF in release.archive_url() and release.REF in release.binder_url()
    assert f"/{release.REF}/" in release.colab_url("x.ipynb")


def test_bad_notebook_names_are_refused():
    with pytest.raises(ValueError, match="notebook file name"):
        colab.colab_cells("learner/00_setup_check.ipynb")


def test_set_up_cell_does_nothing_where_helpers_is_importable(monkeypatch, capsys):
    def no_subprocess(*args, **kwargs):
        raise AssertionError("the set-up cell ran a command in a checkout")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    exec(compile(colab.bootstrap_source(), "bootstrap", "exec"), {})
    assert capsys.readouterr() == ("", "")


def test_only_what_colab_lacks_is_installed():
    colab_has = {
        "tensorflow": "2.19.0",
        "keras": "3.10.0",
        "numpy": "2.0.2",
        "pillow": "11.3.0",
        "opencv-python": "4.12.0.88",
        "matplotlib": "3.10.0",
        "scipy": "1.16.1",
        "tqdm": "4.67.1",
        "click": "8.2.1",
        "psutil": "5.9.5",
    }
    lab = (paths.REPO_ROOT / "requirements" / "lab.txt").read_text()
    pins = {}
    for line in lab.splitlines():
        line = line.split(";")[0].strip()
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins.setdefault(name, version)
    install, kept = colab.missing(pins, colab_has.get)
    assert install == [f"split-folders=={pins['split-folders']}"]  # never TensorFlow again
    assert "tensorflow 2.19.0" in kept and "opencv-python 4.12.0.88" in kept


@pytest.mark.slow
def test_learner_notebook_alone_sets_itself_up_from_a_local_copy(lab_venv, wheelhouse, tmp_path):
    source = support.copy_checkout(paths.REPO_ROOT, tmp_path / "source")
    venv = support.overlay_venv(lab_venv.path, tmp_path / "colab-venv")
    python = str(support.venv_python(venv))
    env = support.offline_env(wheelhouse.path, WORKSHOP_SOURCE=str(source))
    alone = tmp_path / "alone"
    alone.mkdir()
    name = "00_setup_check.ipynb"
    (alone / name).write_text(json.dumps(_learner_like(name), indent=1))
    before = subprocess.run(
        [python, "-c", "import importlib.util; print(importlib.util.find_spec('helpers'))"],
        cwd=alone,
        env=env,
        capture_output=True,
        text=True,
    )
    assert before.stdout.strip() == "None"  # the workshop is not installed

    out = tmp_path / "executed.ipynb"
    run = subprocess.run(
        [python, "-m", "papermill", str(alone / name), str(out), "--cwd", str(alone)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    cells = nbformat.read(str(out), as_version=4).cells
    said = "".join(o.get("text", "") for o in cells[1].outputs)
    sample = alone / "workshop" / "data" / "sample" / "Pistachio_Image_Dataset"
    assert f"Installed the workshop's helpers from {source}" in said, said
    assert f"Sample data: {sample / 'Pistachio_Image_Dataset'} (60 images)" in said
    assert "Kept what was already installed: tensorflow-cpu 2.21.0, keras 3.15.1" in said
    code = [cell for cell in cells if cell.cell_type == "code"]
    everything = "".join(o.get("text", "") for cell in code for o in cell.outputs)
    assert f"Images from: {sample / 'Pistachio_Image_Dataset'}" in everything
    assert "All good: you are ready for the workshop." in everything
    assert "Exercise 0.2: passed" in everything

    where = subprocess.run(
        [python, "-c", "import helpers; print(helpers.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(venv)), where  # installed into this Python, a copy
    untouched = subprocess.run(
        [str(support.venv_python(lab_venv.path)), "-c", "import helpers"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert untouched.returncode != 0  # the shared attendee environment stays without helpers
