"""Lesson 01's self-checks (helpers/checks/lesson01.py) without a kernel: see check_cases."""

from __future__ import annotations

import check_cases
import cv2
import numpy as np
import pytest

from helpers import files, paths
from helpers.checks import lesson01 as checks

NOTEBOOK = "01_computer_vision_recap.ipynb"
WRONG = check_cases.wrong_cases(NOTEBOOK)

EXERCISES = check_cases.exercises(NOTEBOOK)


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    return cv2.imread(str(paths.sample_image()))


def _lesson(photo: np.ndarray) -> dict:
    gray = cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY)
    otsu_threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    grid = np.array([[0, 50, 100, 150], [200, 250, 30, 60], [90, 120, 180, 240]], np.uint8)
    return {
        "checks": checks,
        "cv2": cv2,
        "np": np,
        "CLASS_NAMES": files.require_classes(paths.data_dir(None)),
        "grid": grid,
        "img": photo.copy(),
        "gray": gray,
        "otsu_threshold": otsu_threshold,
        "nut": cv2.cvtColor(photo, cv2.COLOR_BGR2RGB),
    }


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_worked_solution_passes_and_untouched_says_not_yet(number, photo, capsys):
    check_cases.solution_passes(number, EXERCISES[number], lambda: _lesson(photo), capsys)


@pytest.mark.parametrize("number, code", WRONG)
def test_wrong_answer_is_rejected(number, code, photo):
    check_cases.wrong_is_rejected(EXERCISES[number], code, _lesson(photo))
