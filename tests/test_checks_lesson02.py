"""Lesson 02's self-checks (helpers/checks/lesson02.py) without a kernel: see check_cases."""

from __future__ import annotations

import check_cases
import numpy as np
import pytest

from helpers import files, images, paths
from helpers.checks import lesson02 as checks

NOTEBOOK = "02_generators.ipynb"
WRONG = check_cases.wrong_cases(NOTEBOOK)

EXERCISES = check_cases.exercises(NOTEBOOK)


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


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_worked_solution_passes_and_untouched_says_not_yet(number, capsys):
    check_cases.solution_passes(number, EXERCISES[number], _lesson, capsys)


@pytest.mark.parametrize("number, code", WRONG)
def test_wrong_answer_is_rejected(number, code):
    check_cases.wrong_is_rejected(EXERCISES[number], code, _lesson())
