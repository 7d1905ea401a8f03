"""Unsupported computers hear it before any download: from make and from `helpers check`."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import paths
from helpers.plumbing import platforms, release

ROOT = paths.REPO_ROOT


@pytest.mark.parametrize(
    "version, system, machine, kwargs, expected",
    [
        ((3, 11), "Linux", "x86_64", {}, None),
        ((3, 12), "Linux", "aarch64", {}, None),
        ((3, 13), "Darwin", "arm64", {"macos": "13.0"}, None),
        ((3, 12), "Windows", "AMD64", {}, None),
        ((3, 10), "Linux", "x86_64", {}, "Python 3.10 is not supported"),
        ((3, 14), "Windows", "AMD64", {}, "Python 3.14 is not supported"),
        ((3, 12), "Darwin", "x86_64", {}, "Intel (x86_64) Mac"),
        ((3, 12), "Darwin", "arm64", {"macos": "12.7.4"}, "macOS 12.7.4 is too old"),
        ((3, 12), "Windows", "ARM64", {}, "Windows on ARM64 is not supported"),
        ((3, 12), "Linux", "armv7l", {}, "Linux on armv7l is not supported"),
        ((3, 12), "Linux", "x86_64", {"libc": ("", "")}, "no glibc"),
        ((3, 12), "Linux", "x86_64", {"libc": ("glibc", "2.17")}, "glibc 2.17 is too old"),
        ((3, 12), "FreeBSD", "amd64", {}, "FreeBSD on amd64 is not supported"),
    ],
)
def test_problem(version, system, machine, kwargs, expected):
    found = platforms.problem(version, system, machine, **kwargs)
    if expected is None:
        assert found is None
    else:
        assert expected in found
        if version in platforms.SUPPORTED_PYTHONS:  # a machine problem: go to Binder or Colab
            assert release.binder_url() in found and "Colab" in found


def _pretend(tmp_path: Path, system: str, machine: str) -> Path:
    """A folder whose sitecustomize makes Python believe it runs on another computer."""
    folder = tmp_path / "pretend"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(
        "import platform\n"
        f"platform.system = lambda: {system!r}\n"
        f"platform.machine = lambda: {machine!r}\n"
        "platform.mac_ver = lambda: ('14.5', ('', '', ''), '')\n"
    )
    return folder


def test_helpers_check_in_a_bare_python_on_an_intel_mac(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(_pretend(tmp_path, "Darwin", "x86_64"))
    # -S: no site-packages, as before anything is installed (sitecustomize is run by hand)
    code = "import sitecustomize, runpy; runpy.run_module('helpers', run_name='__main__')"
    result = subprocess.run(
        [sys.executable, "-S", "-c", code, "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "on Darwin x86_64" in result.stderr and "not supported" in result.stderr
    assert "Intel (x86_64) Mac" in result.stderr and release.binder_url() in result.stderr
    assert "Traceback" not in result.stderr


def test_helpers_check_in_a_bare_python_on_a_supported_computer_says_how_to_install():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-S", "-m", "helpers", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ": supported." in result.stderr
    assert "packages are not installed (no module 'click')" in result.stderr
    assert "SETUP.md" in result.stderr


def test_make_refuses_an_intel_mac_before_creating_anything(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    odd = tmp_path / "Ana María's files é"  # a Windows user's home often looks like this
    repo = odd / "repo"
    repo.mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "tools", "requirements", "helpers"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, repo / name)
    fake = tmp_path / "python3.12"
    pretend = _pretend(odd, "Darwin", "x86_64")
    # Quoted: the checkout (so this interpreter) may sit in a path with spaces and accents.
    pythonpath, python = shlex.quote(str(pretend)), shlex.quote(sys.executable)
    fake.write_text(f'#!/bin/sh\nPYTHONPATH={pythonpath} exec {python} "$@"\n')
    fake.chmod(0o755)
    result = subprocess.run(
        ["make", "venv", f"PYTHON={fake}"], cwd=repo, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "This is an Intel (x86_64) Mac" in result.stderr and "Binder" in result.stderr
    assert not (repo / ".venv").exists()


def test_setup_check_reports_the_machine_and_an_unsupported_platform(monkeypatch):
    from helpers.plumbing import setup

    monkeypatch.setattr(platforms, "current_problem", lambda: "Windows on ARM64 is not supported")
    report = setup.check()
    assert not report.ok and "Windows on ARM64 is not supported" in report.problems
    assert str(report).startswith("Python 3.")


def test_setup_check_accepts_colab_versions_with_a_note(monkeypatch):
    from helpers.plumbing import setup

    colab = dict(setup.versions(), tensorflow="2.19.0", keras="3.10.0")
    monkeypatch.setattr(setup, "versions", lambda: colab)
    report = setup.check()
    assert report.ok, report.problems
    assert any("tensorflow 2.19.0" in note and "2.21.0" in note for note in report.notes)
    old = dict(colab, keras="2.15.0")
    monkeypatch.setattr(setup, "versions", lambda: old)
    assert any("keras 2.15.0 is too old" in problem for problem in setup.check().problems)


def test_accepted_pins_are_the_pyproject_pins():
    import tomllib

    from helpers.plumbing import setup

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    for name, (_, pin) in setup.ACCEPTED.items():
        assert any(line.startswith(f"{name}=={pin}") for line in pyproject), name
