"""A room without Wi-Fi: `make wheelhouse` fills a folder, attendees install from it offline.

The offline install itself (a fresh venv from the wheelhouse alone, then notebook 00) is in
tests/test_fresh_install.py, with the other users of that one expensive environment.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from helpers import paths
from tools import lock, wheelhouse

ROOT = paths.REPO_ROOT


def _make_dry_run(tmp_path, *args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for name in ("Makefile", "pyproject.toml", "tools", "requirements", "helpers", "binder"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, tmp_path / name)
    result = subprocess.run(["make", "-n", *args], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / ".venv").exists()
    return result.stdout


def test_make_wheelhouse_passes_the_target_to_the_tool(tmp_path):
    out = _make_dry_run(tmp_path, "wheelhouse", "PLATFORM=windows-amd64", "PYTHON_VERSION=3.12")
    assert "-m tools.wheelhouse --platform windows-amd64 --python-version 3.12" in out


def test_make_lab_installs_from_a_wheelhouse_without_an_index(tmp_path):
    out = _make_dry_run(tmp_path, "lab", "WHEELHOUSE=/media/usb/wh")
    installs = [line for line in out.splitlines() if "pip install" in line]
    assert len(installs) == 2  # the lock, then the helpers (built with the stick's setuptools)
    assert all('--no-index --find-links "/media/usb/wh"' in line for line in installs)
    assert "-m helpers lab" in out


@pytest.mark.parametrize("target", sorted(lock.TARGETS))
@pytest.mark.parametrize("python", ["3.11.0", "3.13.99"])
def test_every_target_gets_tensorflow_and_setuptools(target, python):
    wanted = wheelhouse.requirements(python, target)
    tf = "tensorflow-cpu==2.21.0" if target == "linux-x86_64" else "tensorflow==2.21.0"
    assert tf in wanted and "setuptools==84.2.1" in wanted
    assert not any(line.startswith(("pytest==", "nbval==", "ruff==")) for line in wanted)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--platform", "macos-x86_64"], "Intel Macs and Windows on ARM are not supported"),
        (["--platform", "linux-x86_64", "--python-version", "3.14"], "must be 3.11, 3.12 or 3.13"),
    ],
)
def test_unsupported_targets_are_refused_before_any_download(tmp_path, args, message):
    result = subprocess.run(
        [sys.executable, "-m", "tools.wheelhouse", *args, "--out", str(tmp_path / "wh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and message in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "wh").exists()


def test_wheelhouse_folder_is_not_committed():
    assert "wheelhouse/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
