"""The Binder image: repo2docker's Dockerfile, and the build reproduced in a fresh venv."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import paths
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


def _tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=paths.REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [name for name in listed.split("\0") if name and (paths.REPO_ROOT / name).is_file()]


@pytest.mark.slow
def test_binder_build_reproduced_runs_every_notebook_under_2_gb(tmp_path):
    if not (paths.REPO_ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know which files Binder would see")
    repo = tmp_path / "repo"
    for name in _tracked_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.REPO_ROOT / name, repo / name)
    venv = tmp_path / "binder-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHONPATH", None)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "-r", "binder/requirements.txt"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    post_build = subprocess.run(
        ["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert post_build.returncode == 0, post_build.stderr[-3000:]
    installed = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.read_text() == (repo / "binder" / "overrides.json").read_text()

    python = str(venv / "bin" / "python")
    where = subprocess.run(
        [python, "-c", "import helpers, cv2; print(helpers.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip() == str(repo / "helpers" / "__init__.py"), where.stderr
    freeze = subprocess.run(
        [python, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        env=env,
        capture_output=True,
        text=True,
    )
    installed = lock.frozen(freeze.stdout)
    expected = lock.render(lock.pins((repo / "requirements" / "lab.txt").read_text()))
    for seed in {"pip", "setuptools", "wheel"} - expected.keys():  # made by `venv` itself
        installed.pop(seed, None)
    installed.pop("image-pipelines-workshop-helpers", None)  # postBuild's `pip install -e .`
    assert installed == expected  # exactly the attendees' lock, transitive packages included
    assert "tensorflow-cpu" in installed and "opencv-python-headless" in installed

    run = subprocess.run(
        [python, "-m", "helpers", "run", "--out", str(tmp_path / "out")],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert len(summary) == 8 and all(r["status"] == "passed" for r in summary)
    peaks = {r["notebook"]: r["peak_memory_mb"] for r in summary}
    assert max(peaks.values()) < 2000, peaks
    print(json.dumps(peaks))
