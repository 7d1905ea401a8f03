"""Shared fixtures: small datasets built in temporary folders, never downloaded."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
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
def tiny_png(tmp_path: Path) -> Path:
    """A 4x6 PNG whose pixels are pure red (RGB 255, 0, 0)."""
    from helpers import images

    red = np.zeros((4, 6, 3), np.uint8)
    red[..., 0] = 255
    return images.write_image(tmp_path / "red.png", red)


def pytest_terminal_summary(terminalreporter) -> None:
    """The honesty tests' counts (tests/test_self_checks.py), when they ran."""
    module = sys.modules.get("test_self_checks")
    rejected = getattr(module, "REJECTED", {})
    if rejected:
        exercises = sum(count for count, _ in rejected.values())
        wrong = sum(tried for _, tried in rejected.values())
        terminalreporter.write_line(
            f"self-checks: {exercises} exercises in {len(rejected)} notebooks; each says 'not yet' "
            f"untouched and passes its worked answer; {wrong} wrong answers tried, all rejected"
        )
