"""Lesson 00's self-checks (helpers/checks/lesson00.py) without a kernel: see check_cases."""

from __future__ import annotations

import check_cases
import pytest

from helpers import files, paths
from helpers.checks import lesson00 as checks

NOTEBOOK = "00_setup_check.ipynb"
WRONG = check_cases.wrong_cases(NOTEBOOK)

EXERCISES = check_cases.exercises(NOTEBOOK)


def _lesson() -> dict:
    data_dir = paths.data_dir(None)
    return {
        "checks": checks,
        "DATA_DIR": data_dir,
        "CLASS_NAMES": files.require_classes(data_dir),
        "counts": files.count_images(data_dir),
    }


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_worked_solution_passes_and_untouched_says_not_yet(number, capsys):
    check_cases.solution_passes(number, EXERCISES[number], _lesson, capsys)


@pytest.mark.parametrize("number, code", WRONG)
def test_wrong_answer_is_rejected(number, code):
    check_cases.wrong_is_rejected(EXERCISES[number], code, _lesson())


def test_the_right_choice_is_computed_from_the_scenario():
    # a restart leaves no names: 0.1's check cell cannot find `checks` or `total_images`
    assert checks._after_a_restart() == "NameError"
    assert "NameError" in checks.CHOICES.values()
