"""The Binder image: repo2docker's Dockerfile and the notebooks' Binder advice.

The build itself is reproduced in tests/test_fresh_install.py, on the session's fresh venv.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from helpers import paths
from helpers.plumbing import release


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


def test_every_notebook_asks_binder_users_to_shut_down_the_previous_kernel():
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        (box,) = [c for c in cells[:3] if "## Prerequisites" in "".join(c["source"])]
        text = " ".join("".join(box["source"]).split())
        assert "**On Binder** (2 GB of memory)" in text, notebook.name
        assert "Kernel → Shut Down Kernel" in text, notebook.name


def test_binder_links_use_the_workshop_branch_not_main():
    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", readme)
    assert links and all(link.startswith(release.binder_url()) for link in links), links
