"""What the kernel-free tests of helpers/checks share: each exercise's cells, its recorded
wrong answers, and running a self-check cell in a namespace as the lesson leaves it.

``tests/test_self_checks.py`` runs the same cells in a live kernel, for the learner edition.
"""

from __future__ import annotations

import json
import runpy
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import paths
from helpers.checks import NotYet
from helpers.plumbing import editions

WRONG_DIR = Path(__file__).parent / "wrong_answers"


def exercises(notebook: str) -> dict[str, tuple[str, str]]:
    """``{number: (solution, self-check)}`` of an instructor notebook."""
    cells = json.loads((paths.NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))["cells"]
    found = {}
    for index, cell in enumerate(cells):
        if editions.SOLUTION in cell.get("metadata", {}).get("tags", []):
            check = next(c for c in cells[index + 1 :] if c["cell_type"] == "code")
            found[editions.exercise_id(cells, index)] = (
                editions.cell_source(cell),
                editions.cell_source(check),
            )
    return found


def wrong_answers(notebook: str) -> dict[str, list[str]]:
    """``{number: [code, ...]}`` from ``tests/wrong_answers/NN_*.py`` (empty if none)."""
    path = WRONG_DIR / notebook.replace(".ipynb", ".py")
    return runpy.run_path(str(path))["WRONG_ANSWERS"] if path.is_file() else {}


def wrong_cases(notebook: str) -> list[tuple[str, str]]:
    """``(number, code)`` for every recorded wrong answer: pytest parameters."""
    return [(n, code) for n, codes in sorted(wrong_answers(notebook).items()) for code in codes]


def untouched(cells: tuple[str, str], namespace: dict) -> dict:
    """`namespace` with the names the check reads set to ``...``, as the attempt cell does."""
    for name, _ in editions.expected_names(*cells):
        namespace[name] = ...
    return namespace


def solution_passes(number: str, cells: tuple[str, str], lesson: Callable[[], dict], capsys):
    """The check says "not yet" to the untouched attempt and passes the worked solution."""
    solution, check = cells
    with pytest.raises(NotYet, match="Not yet"):
        exec(check, untouched(cells, lesson()))
    namespace = lesson()
    exec(solution, namespace)
    exec(check, namespace)
    assert f"Exercise {number}: passed" in capsys.readouterr().out


def wrong_is_rejected(cells: tuple[str, str], code: str, namespace: dict) -> None:
    """The check rejects `code` (run in place of the solution) with a hint."""
    namespace = untouched(cells, namespace)
    exec(code, namespace)
    with pytest.raises(NotYet, match="Not yet: .{20}"):
        exec(cells[1], namespace)
