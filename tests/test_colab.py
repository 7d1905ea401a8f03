"""Colab: the badge and the set-up cell at the top of each learner notebook.

The cells come from helpers/plumbing/colab.py.

The set-up cell itself runs in tests/test_fresh_install.py, as an attendee on Colab runs it
(without Colab and without the network): a learner notebook 00 alone in an empty folder, a
Python with the lessons' packages but not the workshop, the cell pointed at a local copy.
"""

from __future__ import annotations

import json
import subprocess

import nbformat
import pytest

from helpers import paths
from helpers.plumbing import colab, release

NOTEBOOKS = sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def _learner_like(name: str) -> dict:
    notebook = json.loads((paths.NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
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
    lab = (paths.REPO_ROOT / "requirements" / "lab.txt").read_text(encoding="utf-8")
    pins = {}
    for line in lab.splitlines():
        line = line.split(";")[0].strip()
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins.setdefault(name, version)
    install, kept = colab.missing(pins, colab_has.get)
    assert install == [f"split-folders=={pins['split-folders']}"]  # never TensorFlow again
    assert "tensorflow 2.19.0" in kept and "opencv-python 4.12.0.88" in kept
