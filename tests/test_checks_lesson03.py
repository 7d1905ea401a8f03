"""Lesson 03's self-checks (helpers/checks/lesson03.py), fast and without a kernel.

The worked solution passes and every recorded wrong answer is rejected with a hint, in a
namespace that holds what the lesson has defined by then. tests/test_self_checks.py does the
same in a live kernel, for the learner edition.
"""

from __future__ import annotations

import json
import runpy
import shutil
from pathlib import Path

import pytest
import splitfolders

from helpers import files, paths, split
from helpers.checks import NotYet
from helpers.checks import lesson03 as checks
from helpers.plumbing import editions

NOTEBOOK = "03_directory_split.ipynb"
WRONG = runpy.run_path(str(Path(__file__).parent / "wrong_answers" / "03_directory_split.py"))[
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


RATIO = (0.7, 0.3)


def count_per_split(split_dir):
    counts = {}
    for subset in sorted(Path(split_dir).iterdir()):
        if subset.is_dir():
            counts[subset.name] = {}
            for folder in sorted(subset.iterdir()):
                if folder.is_dir():
                    counts[subset.name][folder.name] = len(list(folder.iterdir()))
    return counts


def fresh_split_with_bug(source, output, seed):
    splitfolders.ratio(str(source), output=str(output), seed=seed, ratio=RATIO)
    return count_per_split(output)


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """Sections 3 to 5 of the lesson: a split that leaks (run twice) and a safe one."""
    work = tmp_path_factory.mktemp("lesson03")
    data_dir = paths.data_dir(None)
    raw_split = work / "raw_split"
    for seed in (42, 43):
        splitfolders.ratio(str(data_dir), output=str(raw_split), seed=seed, ratio=RATIO)
    split.split_dataset(data_dir, work / "split", ratio=RATIO, seed=42)
    return work


def _lesson(work: Path) -> dict:
    data_dir = paths.data_dir(None)
    return {
        "checks": checks,
        "Path": Path,
        "shutil": shutil,
        "splitfolders": splitfolders,
        "files": files,
        "RATIO": RATIO,
        "DATA_DIR": data_dir,
        "WORK_DIR": work,
        "CLASS_NAMES": files.require_classes(data_dir),
        "count_per_split": count_per_split,
        "fresh_split_with_bug": fresh_split_with_bug,
        "raw_split": work / "raw_split",
        "counts_before": files.count_images(data_dir),
        "counts_after": count_per_split(work / "split"),
    }


def _untouched(number: str, work: Path) -> dict:
    namespace = _lesson(work)
    for name, _ in editions.expected_names(*EXERCISES[number]):
        namespace[name] = ...
    return namespace


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_worked_solution_passes_and_untouched_says_not_yet(number, work, capsys):
    solution, check = EXERCISES[number]
    with pytest.raises(NotYet, match="Not yet"):
        exec(check, _untouched(number, work))
    namespace = _lesson(work)
    exec(solution, namespace)
    exec(check, namespace)
    assert f"Exercise {number}: passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "number, code", [(n, code) for n, codes in sorted(WRONG.items()) for code in codes]
)
def test_wrong_answer_is_rejected(number, code, work):
    namespace = _untouched(number, work)
    exec(code, namespace)
    with pytest.raises(NotYet, match="Not yet: .{20}"):
        exec(EXERCISES[number][1], namespace)
