"""A room without Wi-Fi: `make wheelhouse` fills a folder, attendees install from it offline.

The slow test reuses the session's fresh attendee environment (tests/conftest.py): it was
installed from the wheelhouse with no package index, which is the offline route itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import support

from helpers import paths
from tools import lock, wheelhouse

ROOT = paths.REPO_ROOT


def _make_dry_run(tmp_path, *args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for name in ("Makefile", "pyproject.toml", "tools", "requirements", "helpers"):
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
    assert "wheelhouse/" in (ROOT / ".gitignore").read_text().splitlines()


@pytest.mark.slow
def test_fresh_venv_from_the_wheelhouse_alone_runs_notebook_00(
    wheelhouse, lab_venv, attendee_venv, checkout, tmp_path
):
    wheels = sorted(p.name for p in wheelhouse.path.iterdir())
    assert any(name.startswith("tensorflow_cpu-2.21.0") for name in wheels)
    size_mb = sum(p.stat().st_size for p in wheelhouse.path.iterdir()) / 1e6
    python = str(support.venv_python(attendee_venv.path))
    env = support.offline_env(wheelhouse.path)
    freeze = subprocess.run(
        [python, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = lock.frozen(freeze)
    for test_only in ("pytest", "nbval", "ruff", "playwright", "uv", "nbstripout"):
        assert test_only not in installed, f"{test_only} is test tooling, yet attendees get it"
    expected = lock.render(lock.pins((checkout / "requirements" / "lab.txt").read_text()))
    assert {name: installed.get(name) for name in expected} == expected

    check = subprocess.run(
        [python, "-m", "helpers", "check"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "All good: you are ready for the workshop." in check.stdout
    run = subprocess.run(
        [python, "-m", "helpers", "run", "--notebooks", "00", "--out", str(tmp_path / "out")],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    (result,) = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert result["status"] == "passed"
    print(
        f"wheelhouse: {len(wheels)} wheels, {size_mb:.0f} MB in {wheelhouse.seconds:.0f} s; "
        f"offline install of requirements/lab.txt into a fresh venv: {lab_venv.seconds:.0f} s; "
        f"helpers (-e .): {attendee_venv.seconds:.0f} s"
    )
