"""Lesson 01's self-checks (helpers/checks/lesson01.py), fast and without a kernel.

The worked solution passes and every recorded wrong answer is rejected with a hint, in a
namespace that holds what the lesson has defined by then. tests/test_self_checks.py does the
same in a live kernel, for the learner edition.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import cv2
import numpy as np
import pytest

from helpers import files, paths
from helpers.checks import NotYet
from helpers.checks import lesson01 as checks
from helpers.plumbing import editions

NOTEBOOK = "01_computer_vision_recap.ipynb"
WRONG = runpy.run_path(
    str(Path(__file__).parent / "wrong_answers" / "01_computer_vision_recap.py")
)["WRONG_ANSWERS"]


def _exercises() -> dict[str, tuple[str, str]]:
    """{number: (solution, self-check)} of the instructor notebook."""
    cells = json.loads((paths.NOTEBOOKS_DIR / NOTEBOOK).read_text(encoding="utf-8"))["cells"]
    found = {}
    for index, cell in enumerate(cells):
        if "solution" in cell.get("metadata", {}).get("tags", []):
            check = next(c for c in cells[index + 1 :] if c["cell_type"] == "code")
            found[editions.exercise_id(cells, index)] = (
                editions.cell_source(cell),
                editions.cell_source(check),
            )
    return found


EXERCISES = _exercises()


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


def _untouched(number: str, photo: np.ndarray) -> dict:
    namespace = _lesson(photo)
    for name, _ in editions.expected_names(*EXERCISES[number]):
        namespace[name] = ...
    return namespace


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_worked_solution_passes_and_untouched_says_not_yet(number, photo, capsys):
    solution, check = EXERCISES[number]
    with pytest.raises(NotYet, match="Not yet"):
        exec(check, _untouched(number, photo))
    namespace = _lesson(photo)
    exec(solution, namespace)
    exec(check, namespace)
    assert f"Exercise {number}: passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "number, code", [(n, code) for n, codes in sorted(WRONG.items()) for code in codes]
)
def test_wrong_answer_is_rejected(number, code, photo):
    namespace = _untouched(number, photo)
    exec(code, namespace)
    with pytest.raises(NotYet, match="Not yet: .{20}"):
        exec(EXERCISES[number][1], namespace)
