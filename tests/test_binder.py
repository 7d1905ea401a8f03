"""The Binder image: repo2docker's Dockerfile, and the build reproduced on a fresh venv."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import support

from helpers import paths, release
from tools import lock


def _repo2docker() -> str:
    return str(Path(sys.executable).parent / "jupyter-repo2docker")


def test_repo2docker_uses_the_pip_buildpack_with_python_3_11():
    result = subprocess.run(
        [_repo2docker(), "--no-build", "--debug", str(paths.REPO_ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dockerfile = result.stdout + result.stderr
    assert "python=3.11" in dockerfile
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "environment.yml" not in dockerfile  # binder/ wins over the root conda file
    assert "RUN ./binder/postBuild" in dockerfile


@pytest.mark.slow
def test_binder_build_reproduced_runs_the_heaviest_notebooks_under_2_gb(
    lab_venv, wheelhouse, checkout, tmp_path
):
    """Binder's build, reproduced on the session's fresh attendee environment.

    Binder's `pip install -r binder/requirements.txt` installs exactly requirements/lab.txt
    (tests/test_environment.py compares the two files), which is what `lab_venv` holds; this
    runs binder/postBuild on top of it, then the two notebooks with the highest kernel peak
    (06 and 07, about 1 GB each). tests/test_runner.py measures every notebook's peak.
    """
    venv = support.overlay_venv(lab_venv.path, tmp_path / "binder-venv")
    env = support.offline_env(wheelhouse.path)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    post_build = subprocess.run(
        ["bash", "binder/postBuild"], cwd=checkout, env=env, capture_output=True, text=True
    )
    assert post_build.returncode == 0, post_build.stderr[-3000:]
    installed = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.read_text() == (checkout / "binder" / "overrides.json").read_text()

    python = str(support.venv_python(venv))
    where = subprocess.run(
        [python, "-c", "import helpers, cv2; print(helpers.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip() == str(checkout / "helpers" / "__init__.py"), where.stderr
    freeze = subprocess.run(
        [python, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        env=env,
        capture_output=True,
        text=True,
    )
    installed = lock.frozen(freeze.stdout)
    expected = lock.render(lock.pins((checkout / "binder" / "requirements.txt").read_text()))
    for seed in {"pip", "setuptools", "wheel"} - expected.keys():  # made by `venv` itself
        installed.pop(seed, None)
    installed.pop("image-pipelines-workshop-helpers", None)  # postBuild's `pip install -e .`
    assert installed == expected  # exactly the attendees' lock, transitive packages included
    assert "tensorflow-cpu" in installed and "opencv-python-headless" in installed

    run = subprocess.run(
        [python, "-m", "helpers", "run", "--notebooks", "06", "07", "--out", str(tmp_path / "out")],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert [r["notebook"][:2] for r in summary] == ["06", "07"]
    assert all(r["status"] == "passed" for r in summary)
    peaks = {r["notebook"]: r["peak_memory_mb"] for r in summary}
    assert max(peaks.values()) < 2000, peaks
    print(json.dumps(peaks))


def test_every_notebook_asks_binder_users_to_shut_down_the_previous_kernel():
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        (box,) = [c for c in cells[:3] if "## Prerequisites" in "".join(c["source"])]
        text = " ".join("".join(box["source"]).split())
        assert "**On Binder** (2 GB of memory)" in text, notebook.name
        assert "Kernel → Shut Down Kernel" in text, notebook.name


def test_binder_links_use_the_workshop_branch_not_main():
    readme = (paths.REPO_ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", readme)
    assert links and all(link.startswith(release.binder_url()) for link in links), links
