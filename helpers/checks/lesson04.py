"""Self-checks of lesson 04, Keras ``ImageDataGenerator`` (see `helpers.checks`)."""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from helpers.checks import Counted, answered, call, check, passed, require

__all__ = ["exercise_4_1", "exercise_4_2", "exercise_4_3"]

#: Exercise 4.1's class folders, in the order the question lists them.
FOLDERS = ("kirmizi", "Siirt", "10", "2")
#: Exercise 4.1's choices, in the order the question lists them (letter: label).
CHOICES = {"a": 0, "b": 1, "c": 2, "d": 3}


def _keras_labels(folders: tuple[str, ...]) -> dict[str, int]:
    """Ask Keras which label it gives each of `folders` (empty folders in a temporary place)."""
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    with tempfile.TemporaryDirectory() as root:
        for folder in folders:
            (Path(root) / folder).mkdir()
        with contextlib.redirect_stdout(io.StringIO()):  # "Found 0 images belonging to ..."
            return dict(ImageDataGenerator().flow_from_directory(root).class_indices)


@check
def exercise_4_1(kirmizi_choice: str) -> None:
    """Exercise 4.1: which label ``flow_from_directory`` gives the folder ``kirmizi``.

    The check asks Keras itself, on the question's four class folders (empty, made in a
    temporary folder), and compares its answer with the choice.

    Examples
    --------
    >>> exercise_4_1("a")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: Keras does not give kirmizi the label 0. ...
    """
    answered(kirmizi_choice=kirmizi_choice)
    require(
        isinstance(kirmizi_choice, str) and kirmizi_choice.strip().lower() in CHOICES,
        f'write "a", "b", "c" or "d" (a letter in quotes), not {kirmizi_choice!r}.',
    )
    chosen = CHOICES[kirmizi_choice.strip().lower()]
    keras_says = _keras_labels(FOLDERS)
    require(
        chosen == keras_says["kirmizi"],
        f"Keras does not give kirmizi the label {chosen}. It sorts the folder names as "
        "strings, character by character: digits before capitals, capitals before small "
        "letters.",
    )
    passed("4.1", f"Keras numbers the folders {keras_says}")


@check
def exercise_4_2(steps_for: Callable, steps_per_epoch: Any, train_generator: Any) -> None:
    """Exercise 4.2: ``steps_for(num_images, batch_size)`` and ``steps_per_epoch``.

    `steps_for` is tried on sizes of its own, exact multiples of the batch size and not;
    `steps_per_epoch` must be what it gives for `train_generator` (its ``samples`` and
    ``batch_size``).

    Examples
    --------
    >>> import math
    >>> class Iterator:  # what the check reads of a DirectoryIterator
    ...     samples, batch_size = 34, 5
    >>> steps_for = lambda num_images, batch_size: math.ceil(num_images / batch_size)
    >>> exercise_4_2(steps_for, 7, Iterator())
    Exercise 4.2: passed (34 images in batches of 5: 7 steps per epoch)
    >>> exercise_4_2(lambda n, b: n // b, 6, Iterator())  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: 11 images in batches of 5 need 3 batches; ...
    """
    answered(steps_for=steps_for, steps_per_epoch=steps_per_epoch)
    require(callable(steps_for), "steps_for should be a function: def steps_for(...):")
    rng = np.random.default_rng(4)
    cases = [(10, 5), (11, 5), (1, 32), (64, 32), (65, 32), (7, 1), (3, 4), (100, 7)]
    cases += [(int(b * k + r), int(b)) for b, k, r in rng.integers([2, 1, 0], [40, 9, 3], (6, 3))]
    for num_images, batch_size in cases:
        steps = -(-num_images // batch_size)  # rounded up
        got = call(steps_for, num_images, batch_size, name=f"steps_for({num_images}, {batch_size})")
        require(
            isinstance(got, int | np.integer | float) and got == steps,
            f"{num_images} images in batches of {batch_size} need {steps} batches; "
            f"steps_for gave {got!r}. A smaller last batch counts too, and a full last "
            "batch needs no extra one.",
        )
    samples, batch_size = train_generator.samples, train_generator.batch_size
    steps = -(-samples // batch_size)
    require(
        isinstance(steps_per_epoch, int | np.integer | float) and steps_per_epoch == steps,
        f"steps_per_epoch is {steps_per_epoch!r}: store what your function gives for "
        "train_generator, steps_for(train_generator.samples, BATCH_SIZE).",
    )
    passed("4.2", f"{samples} images in batches of {batch_size}: {steps} steps per epoch")


class _CountedBatches(Counted):
    """`Counted` over a Keras iterator that answers everything else as the iterator does.

    It keeps the labels of the batches it handed out (`handed`): what a right count counts.
    """

    def __init__(self, items: Any) -> None:
        super().__init__(items)
        self.handed: list[int] = []

    def __next__(self) -> Any:
        batch = super().__next__()
        self.handed.extend(np.asarray(batch[1]).astype(int).tolist())
        return batch

    def __len__(self) -> int:
        return len(self.items)

    def __getattr__(self, name: str) -> Any:  # class_indices, classes, ... as Keras has them
        return getattr(self.items, name)


def _draw_classes(root: Path, sizes: list[int]) -> None:
    """A tiny class-per-folder dataset: ``sizes[i]`` coloured 6×6 PNGs in folder ``class_i``."""
    from PIL import Image

    rng = np.random.default_rng(43)
    for label, size in enumerate(sizes):
        folder = root / f"class_{label}"
        folder.mkdir(parents=True)
        for number in range(size):
            pixels = rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(folder / f"{number:02d}.png")


def _iterator(root: Path, batch_size: int, shuffle: bool) -> Any:
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    with contextlib.redirect_stdout(io.StringIO()):  # "Found N images belonging to K classes."
        return ImageDataGenerator(rescale=1 / 255).flow_from_directory(
            root,
            target_size=(6, 6),
            batch_size=batch_size,
            class_mode="sparse",
            shuffle=shuffle,
            seed=5,
        )


@check
def exercise_4_3(count_labels: Callable, label_counts: Any, validation_generator: Any) -> None:
    """Exercise 4.3: ``count_labels(batches, num_batches, num_classes)`` and ``label_counts``.

    `count_labels` is tried on iterators of the check's own, over tiny datasets drawn in a
    temporary folder (three classes of 4, 1 and 6 images, a whole epoch and half of one,
    shuffled; four classes of 3, 0, 5 and 2, of which only the first batches are counted):
    the counts must be those of the batches it took. `label_counts` must hold one epoch of
    `validation_generator`, class by class.

    Examples
    --------
    >>> def count_labels(batches, num_batches, num_classes):
    ...     labels = []
    ...     for _ in range(num_batches):
    ...         _, batch_labels = next(batches)
    ...         labels.extend(batch_labels.astype(int).tolist())
    ...     return np.bincount(labels, minlength=num_classes)
    >>> class Validation:  # what the check reads of a DirectoryIterator
    ...     classes, class_indices = np.array([0, 0, 1, 1, 1]), {"a": 0, "b": 1}
    >>> exercise_4_3(count_labels, np.array([2, 3]), Validation())
    Exercise 4.3: passed (one epoch of validation_generator: [2, 3])
    """
    answered(count_labels=count_labels, label_counts=label_counts)
    require(callable(count_labels), "count_labels should be a function: def count_labels(...):")
    with tempfile.TemporaryDirectory() as folder:
        cases = [  # class sizes, batch size, shuffled, batches to count
            ([4, 1, 6], 3, True, None),  # one whole epoch: 4 batches
            ([3, 0, 5, 2], 4, False, 2),  # the first 2 of 3 batches: 8 of the 10 images
            ([4, 1, 6], 3, True, 2),  # half a shuffled epoch: not the first files' labels
        ]
        for number, (sizes, batch_size, shuffle, num_batches) in enumerate(cases):
            root = Path(folder) / str(number)
            _draw_classes(root, sizes)
            batches = _CountedBatches(_iterator(root, batch_size, shuffle))
            num_batches = num_batches or len(batches)
            described_call = f"count_labels(batches, {num_batches}, {len(sizes)})"
            counts = call(count_labels, batches, num_batches, len(sizes), name=described_call)
            right = np.bincount(batches.handed, minlength=len(sizes))  # what it was given
            described = (
                f"{len(sizes)} classes of {sizes} images in batches of {batch_size}, "
                f"{num_batches} batches counted"
            )
            require(
                batches.taken == num_batches,
                f"on {described}, {described_call} took {batches.taken} batches with next(): take "
                "exactly num_batches.",
            )
            counts = np.asarray(counts).tolist()
            require(
                counts == right.tolist(),
                f"on {described}, count_labels gave {counts} instead of {right.tolist()}: one "
                f"count per class ({len(sizes)} numbers, minlength=num_classes), from the "
                "labels of the batches you took.",
            )
    num_classes = len(validation_generator.class_indices)
    one_epoch = np.bincount(validation_generator.classes, minlength=num_classes)
    given = np.asarray(label_counts).tolist()
    same_total = np.ndim(given) == 1 and sum(given) == int(one_epoch.sum())
    require(
        given == one_epoch.tolist(),
        f"label_counts is {label_counts!r}, but one epoch of validation_generator holds a "
        "different number of images per class. "
        + (
            "The total is right, so the batches started in the middle of an epoch: call "
            "validation_generator.reset() before you count."
            if same_total
            else "Count len(validation_generator) batches of it."
        ),
    )
    passed("4.3", f"one epoch of validation_generator: {one_epoch.tolist()}")
