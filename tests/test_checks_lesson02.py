"""Lesson 02's self-checks (helpers/checks/lesson02.py), fast and without a kernel.

The worked solution passes and every recorded wrong answer is rejected with a hint, in a
namespace that holds what the lesson has defined by then. tests/test_self_checks.py does the
same in a live kernel, for the learner edition.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import numpy as np
import pytest

from helpers import files, images, paths
from helpers.checks import NotYet
from helpers.checks import lesson02 as checks
from helpers.plumbing import editions

NOTEBOOK = "02_generators.ipynb"
WRONG = runpy.run_path(str(Path(__file__).parent / "wrong_answers" / "02_generators.py"))[
    "WRONG_ANSWERS"
]


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


def _lesson() -> dict:
    def gen_list(n):
        for i in range(n):
            yield i * i

    def load_all(paths):
        return [images.read_image(path) for path in paths]

    def stream_images(paths):
        for path in paths:
            yield images.read_image(path)

    data_dir = paths.data_dir(None)
    image_paths = []
    for name in files.require_classes(data_dir):
        image_paths += files.list_images(data_dir / name)
    return {
        "checks": checks,
        "np": np,
        "images": images,
        "gen_list": gen_list,
        "load_all": load_all,
        "stream_images": stream_images,
        "image_paths": image_paths,
        "list_length": 4,
    }


def _untouched(number: str) -> dict:
    namespace = _lesson()
    for name, _ in editions.expected_names(*EXERCISES[number]):
        namespace[name] = ...
    return namespace


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_worked_solution_passes_and_untouched_says_not_yet(number, capsys):
    solution, check = EXERCISES[number]
    with pytest.raises(NotYet, match="Not yet"):
        exec(check, _untouched(number))
    namespace = _lesson()
    exec(solution, namespace)
    exec(check, namespace)
    assert f"Exercise {number}: passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "number, code", [(n, code) for n, codes in sorted(WRONG.items()) for code in codes]
)
def test_wrong_answer_is_rejected(number, code):
    namespace = _untouched(number)
    exec(code, namespace)
    with pytest.raises(NotYet, match="Not yet: .{20}"):
        exec(EXERCISES[number][1], namespace)
