"""Shared fixtures: small datasets built in temporary folders, never downloaded."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _write(path: Path, height: int, width: int, value: int) -> None:
    from helpers import images

    rng = np.random.default_rng(value)
    image = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    image[..., 0] = value  # a class-specific red channel
    images.write_image(path, image)


@pytest.fixture
def make_dataset(tmp_path: Path) -> Callable[..., Path]:
    """Build a class-per-folder dataset: ``make_dataset({"cats": 4, "dogs": 3})``.

    Images are small random pictures; ``suffix`` chooses the format.
    """

    def build(
        classes: dict[str, int],
        *,
        root: Path | None = None,
        size: tuple[int, int] = (24, 32),
        suffix: str = ".jpg",
    ) -> Path:
        root = root or tmp_path / "dataset"
        for index, (name, count) in enumerate(classes.items()):
            folder = root / name
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(count):
                _write(folder / f"{name.lower()} ({i + 1}){suffix}", *size, 40 * index + i)
        return root

    return build


@pytest.fixture
def ready_machine(monkeypatch) -> None:
    """This computer as `helpers check` wants it: supported, 12 GB free (whatever it really is).

    The set-up check reads memory and platform; tests of its other verdicts must not depend
    on the machine that runs them. tests/test_setup.py checks both answers of each.
    """
    from helpers.plumbing import platforms, setup

    monkeypatch.setattr(setup, "memory_gb", lambda: {"total": 16.0, "available": 12.0})
    monkeypatch.setattr(platforms, "current_problem", lambda: None)


@pytest.fixture
def tiny_png(tmp_path: Path) -> Path:
    """A 4x6 PNG whose pixels are pure red (RGB 255, 0, 0)."""
    from helpers import images

    red = np.zeros((4, 6, 3), np.uint8)
    red[..., 0] = 255
    return images.write_image(tmp_path / "red.png", red)


def pytest_terminal_summary(terminalreporter) -> None:
    """The honesty tests' counts (tests/test_self_checks.py), when they ran."""
    counts = {
        value[0]: value[1:]
        for report in terminalreporter.stats.get("passed", [])
        for key, value in getattr(report, "user_properties", [])
        if key == "self-checks"
    }
    if counts:
        exercises = sum(count for count, _ in counts.values())
        wrong = sum(tried for _, tried in counts.values())
        terminalreporter.write_line(
            f"self-checks: {exercises} exercises in {len(counts)} notebooks; each says 'not yet' "
            f"untouched and passes its worked answer; {wrong} wrong answers tried, all rejected"
        )


# --- one fresh attendee environment per test session -------------------------------------------
# Installing TensorFlow takes minutes, so it happens once: `lab_venv` is a fresh virtualenv
# filled from `wheelhouse` with no package index (the offline route of SETUP.md). Tests that
# need the workshop installed build a cheap `support.overlay_venv` on top of it, so that
# lab_venv itself never holds the helpers (the Colab bootstrap test needs it without them).
# Its users are tests/test_fresh_install.py and tests/test_site.py, which the root conftest.py
# keeps in one pytest-xdist worker, so that the environment is built once.


@dataclass
class Timed:
    """A folder made by a session fixture, and how long making it took."""

    path: Path
    seconds: float


def _offline_pip_install(venv: Path, wheelhouse: Path, checkout: Path, *args: str) -> None:
    """`pip install --quiet ARGS` into `venv`, from the checkout, with the wheelhouse alone."""
    import support

    install = subprocess.run(
        [str(support.venv_python(venv)), "-m", "pip", "install", "--quiet", *args],
        cwd=checkout,
        env=support.offline_env(wheelhouse),
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-3000:]


@pytest.fixture(scope="session")
def checkout(tmp_path_factory) -> Path:
    """What a fresh clone holds, copied (tests may change it; the worktree stays untouched)."""
    import support

    from helpers import paths

    if not (paths.REPO_ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know which files a clone holds")
    # In a folder with a space and an accent, as many Windows users' homes are: every test
    # that installs, runs, renders or edits from the copy does it from such a path.
    odd = tmp_path_factory.mktemp("clone") / "Ana María's workshop"
    return support.copy_checkout(paths.REPO_ROOT, odd / "repo")


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory, checkout) -> Timed:
    """`make wheelhouse`'s tool, for this computer's Python and platform."""
    out = tmp_path_factory.mktemp("wheelhouse")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "tools.wheelhouse", "--out", str(out)],
        cwd=checkout,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return Timed(out, time.monotonic() - started)


@pytest.fixture(scope="session")
def lab_venv(tmp_path_factory, checkout, wheelhouse) -> Timed:
    """A fresh venv holding requirements/lab.txt, installed from the wheelhouse alone."""
    venv = tmp_path_factory.mktemp("attendee") / "Zoë Ng" / "venv"  # a home with a space
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    _offline_pip_install(
        venv, wheelhouse.path, checkout, "--no-compile", "-r", "requirements/lab.txt"
    )
    return Timed(venv, time.monotonic() - started)


@pytest.fixture(scope="session")
def attendee_venv(tmp_path_factory, checkout, wheelhouse, lab_venv) -> Timed:
    """`lab_venv` plus the helpers (`pip install --no-deps -e .` offline): an attendee's set-up."""
    import support

    venv = support.overlay_venv(lab_venv.path, tmp_path_factory.mktemp("laptop") / "venv")
    started = time.monotonic()
    _offline_pip_install(venv, wheelhouse.path, checkout, "--no-deps", "-e", ".")
    return Timed(venv, time.monotonic() - started)


def _binder_env(venv: Path, wheelhouse: Path) -> dict[str, str]:
    """Offline, with Binder's environment first on PATH (postBuild calls `pip` and `python`)."""
    import support

    env = support.offline_env(wheelhouse)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return env


@pytest.fixture(scope="session")
def binder_venv(tmp_path_factory, checkout, wheelhouse, lab_venv) -> Timed:
    """Binder's build reproduced: `lab_venv` (exactly binder/requirements.txt), then postBuild."""
    import support

    venv = support.overlay_venv(lab_venv.path, tmp_path_factory.mktemp("binder") / "venv")
    started = time.monotonic()
    post_build = subprocess.run(
        ["bash", "binder/postBuild"],
        cwd=checkout,
        env=_binder_env(venv, wheelhouse.path),
        capture_output=True,
        text=True,
    )
    assert post_build.returncode == 0, post_build.stderr[-3000:]
    return Timed(venv, time.monotonic() - started)


@pytest.fixture(scope="session")
def binder_run(tmp_path_factory, checkout, wheelhouse, binder_venv) -> Timed:
    """Every lesson at its defaults on the sample in Binder's environment (`helpers run --out`).

    The one full execution of the workshop that two modules read: tests/test_fresh_install.py
    checks that each lesson fits in Binder's 2 GB, tests/test_site.py renders it into the site.
    """
    import support

    out = tmp_path_factory.mktemp("binder-run") / "out"
    started = time.monotonic()
    run = subprocess.run(
        [str(support.venv_python(binder_venv.path)), "-m", "helpers", "run", "--out", str(out)],
        cwd=checkout,
        env=_binder_env(binder_venv.path, wheelhouse.path),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    return Timed(out, time.monotonic() - started)
