"""Lesson 04's self-checks on right and wrong answers, without a kernel (helpers.checks)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.checks import NotYet
from helpers.checks import lesson04 as checks


class _Iterator:
    """What the checks read of a Keras DirectoryIterator."""

    samples, batch_size = 34, 5
    classes = np.array([0, 0, 0, 1, 1, 2])
    class_indices = {"a": 0, "b": 1, "c": 2}


def _steps(num_images, batch_size):
    return math.ceil(num_images / batch_size)


def _count_labels(batches, num_batches, num_classes):
    labels = []
    for _ in range(num_batches):
        _, batch_labels = next(batches)
        labels.extend(batch_labels.astype(int).tolist())
    return np.bincount(labels, minlength=num_classes)


def test_4_1_keras_decides(capsys):
    checks.exercise_4_1("d")
    assert "passed" in capsys.readouterr().out
    for wrong in ["a", "b", "c", "e", 3, ...]:
        with pytest.raises(NotYet):
            checks.exercise_4_1(wrong)


def test_4_2_steps(capsys):
    checks.exercise_4_2(_steps, 7, _Iterator())
    assert "passed" in capsys.readouterr().out
    wrong = [
        (lambda n, b: n // b, 7),  # rounds down
        (lambda n, b: n // b + 1, 7),  # one too many for exact multiples
        (lambda n, b: round(n / b), 7),  # rounds to the nearest
        (lambda n, b: 7, 7),  # only this iterator's answer
        (_steps, 6),  # steps_per_epoch typed in, rounded down
        (_steps, ...),
    ]
    for steps_for, steps_per_epoch in wrong:
        with pytest.raises(NotYet):
            checks.exercise_4_2(steps_for, steps_per_epoch, _Iterator())


@pytest.mark.slow
def test_4_3_counts_on_iterators_of_its_own(capsys):
    checks.exercise_4_3(_count_labels, [3, 2, 1], _Iterator())
    assert "passed" in capsys.readouterr().out

    def whole_list(batches, num_batches, num_classes):
        return np.bincount(batches.classes, minlength=num_classes)

    def two_classes(batches, num_batches, num_classes):
        ones = total = 0
        for _ in range(num_batches):
            _, y = next(batches)
            ones, total = ones + int(y.sum()), total + len(y)
        return np.array([total - ones, ones])

    def one_batch(batches, num_batches, num_classes):
        labels = next(batches)[1].astype(int).tolist() * num_batches
        return np.bincount(labels, minlength=num_classes)

    for wrong in [whole_list, two_classes, one_batch]:
        with pytest.raises(NotYet):
            checks.exercise_4_3(wrong, [3, 2, 1], _Iterator())
    with pytest.raises(NotYet, match="Count len") as short:
        checks.exercise_4_3(_count_labels, [3, 2, 0], _Iterator())
    assert "reset" not in str(short.value)
    # the right total, the wrong split: counted from the middle of an epoch, without reset()
    with pytest.raises(NotYet, match=r"validation_generator\.reset\(\) before you count"):
        checks.exercise_4_3(_count_labels, [2, 2, 2], _Iterator())
