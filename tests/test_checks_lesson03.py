"""Lesson 03's self-checks (helpers/checks/lesson03.py) without a kernel: see check_cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import check_cases
import pytest
import splitfolders

from helpers import files, paths, split
from helpers.checks import lesson03 as checks

NOTEBOOK = "03_directory_split.ipynb"
WRONG = check_cases.wrong_cases(NOTEBOOK)

EXERCISES = check_cases.exercises(NOTEBOOK)


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


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_worked_solution_passes_and_untouched_says_not_yet(number, work, capsys):
    check_cases.solution_passes(number, EXERCISES[number], lambda: _lesson(work), capsys)


@pytest.mark.parametrize("number, code", WRONG)
def test_wrong_answer_is_rejected(number, code, work):
    check_cases.wrong_is_rejected(EXERCISES[number], code, _lesson(work))
