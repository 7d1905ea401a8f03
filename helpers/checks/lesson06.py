"""Self-checks of lesson 06, tf.data pipelines (see `helpers.checks`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from helpers.checks import answered, check, passed, require

__all__ = ["exercise_6_1", "exercise_6_2", "exercise_6_3"]

#: Exercise 6.1's steps, as the lesson lists them (letter: what the step does).
STEPS = {
    "a": ".batch(BATCH_SIZE)",
    "b": "tf.data.Dataset.from_tensor_slices((file_names, labels))",
    "c": ".prefetch(tf.data.AUTOTUNE)",
    "d": ".map(load, num_parallel_calls=tf.data.AUTOTUNE)",
    "e": ".shuffle(len(file_names), seed=SEED)",
}
_FILES, _BATCH = 48, 4


def _pipeline(order: Sequence[str], decoded: list[int]):
    """Pipeline C on made-up "files" ("0" … "47", each decoded to a tiny image), in `order`.

    Every decode is counted in `decoded`. Decoding runs one image at a time and prefetching
    keeps one element ahead, so that the count at the first batch depends only on the order.
    """
    import tensorflow as tf

    def count(name):
        decoded.append(1)
        return name

    def load(name, label):
        name = tf.py_function(count, [name], tf.string)
        name.set_shape([])  # one file name at a time: map after batch fails here
        image = tf.fill([6, 6, 3], tf.strings.to_number(name))
        return image, label

    names = [str(i) for i in range(_FILES)]
    make = {
        "a": lambda ds: ds.batch(_BATCH),
        "c": lambda ds: ds.prefetch(1),
        "d": lambda ds: ds.map(load),
        "e": lambda ds: ds.shuffle(_FILES, seed=7),
    }
    dataset = tf.data.Dataset.from_tensor_slices((names, list(range(_FILES))))
    for letter in order[1:]:
        dataset = make[letter](dataset)
    return dataset


@check
def exercise_6_1(step_order: Sequence[str]) -> None:
    """Exercise 6.1: the steps of a training pipeline, as letters in order.

    The check builds the pipeline in that order on 48 made-up files and runs it.

    Examples
    --------
    >>> exercise_6_1(["b", "e", "d", "a", "c"])  # doctest: +SKIP
    """
    answered(step_order=step_order)
    require(
        isinstance(step_order, list | tuple) and all(isinstance(s, str) for s in step_order),
        'step_order should be a list of letters in quotes, such as ["a", "b", "c", "d", "e"].',
    )
    order = [letter.strip().lower() for letter in step_order]
    require(
        sorted(order) == sorted(STEPS),
        f"use each of the five letters a to e exactly once; you gave {list(step_order)}.",
    )
    require(
        order[0] == "b",
        "every other step is a method of a dataset, so the first step must make the dataset "
        "out of the two lists.",
    )
    decoded: list[int] = []
    dataset = _pipeline(order, decoded)
    try:
        first = next(iter(dataset))
    except Exception:  # TensorFlow's error for a map after batch: a whole batch of names
        require(
            False,
            "your pipeline fails when it runs: `load` reads one file name at a time, so `map` "
            "must come before the step that groups the images.",
        )
    before_first = len(decoded)  # images decoded before the first batch came out
    batches = [first[1].numpy().tolist()] + [labels.numpy().tolist() for _, labels in dataset]
    in_a_row = all(b == list(range(b[0], b[0] + len(b))) for b in batches)
    require(
        not in_a_row,
        "every batch holds neighbouring files (0-3, 4-7, ...): your pipeline shuffles whole "
        "batches, not images. Shuffle before the images are grouped.",
    )
    require(
        before_first < _FILES,
        f"your pipeline decoded all {_FILES} of the check's files before it gave its first "
        "batch. The shuffle buffer fills up with whatever reaches it: shuffle the file "
        "names, before they are decoded.",
    )
    require(
        "prefetch" in type(dataset).__name__.lower(),
        "prefetching prepares the next *batch* while the model works on this one, so it is "
        "the last step: the model takes what the last step gives.",
    )
    passed("6.1")


def _first_batch(dataset: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The first ``(images, labels)`` batch of a dataset, as NumPy arrays; a hint if it fails."""
    try:
        batch = next(iter(dataset))
    except Exception as error:
        require(False, f"taking a batch of {name} raised {type(error).__name__}: {error}")
    require(
        isinstance(batch, tuple | list) and len(batch) == 2,
        f"each element of {name} should be a pair (images, labels): let the function you "
        "map return both, `return augment(images, training=True), labels`.",
    )
    return np.asarray(batch[0]), np.asarray(batch[1])


@check
def exercise_6_2(augmented_train: Any, folder: str | Path) -> None:
    """Exercise 6.2: ``augmented_train``, the training images of `folder`, augmented.

    The check compares the first batch with the same batch without augmentation (same
    images, same labels, pixels in [0, 1] but changed), takes it a second time (random
    changes are new at every pass) and counts the images of one whole pass.

    Examples
    --------
    >>> exercise_6_2(augmented_train, split_dir / "train")  # doctest: +SKIP
    Exercise 6.2: passed (augmentation changed the pixels by 0.06 on average)
    """
    answered(augmented_train=augmented_train)
    import tensorflow as tf

    from helpers import files, pipelines

    require(
        isinstance(augmented_train, tf.data.Dataset),
        "augmented_train should be a dataset, as image_dataset_from_directory returns "
        f"(with its map steps), not {type(augmented_train).__name__}.",
    )
    X, y = _first_batch(augmented_train, "augmented_train")
    require(
        X.ndim == 4 and X.shape[-1] == 3 and X.shape[1] == X.shape[2],
        f"a batch should hold square colour images, (batch, size, size, 3); yours has {X.shape}. "
        "Load with image_size=size.",
    )
    names = files.list_classes(folder)
    plain, _ = pipelines.image_dataset(  # decoded in full, as image_dataset_from_directory does
        folder, image_size=X.shape[1], batch_size=len(X), class_names=names, reduced_decode=False
    )
    X_plain, y_plain = (np.asarray(part) for part in next(iter(plain)))
    require(
        X.shape == X_plain.shape,
        f"a batch should have the shape {X_plain.shape}, yours has {X.shape}: load "
        f"the training images, {folder}.",
    )
    require(
        np.array_equal(y, y_plain),
        "the labels are not those of the training folder, in its order: load "
        'split_dir / "train" and keep shuffle=False.',
    )
    require(
        X.min() >= 0.0 and X.max() <= 1.0 + 1e-6,
        f"pixel values should be in [0, 1], but yours reach {X.max():.1f}: map(to_unit_range) "
        "once, before the augmentation.",
    )
    require(  # augmentation moves pixels around; it does not make the images 255 times darker
        X.mean() > X_plain.mean() / 4,
        f"your images are much darker than the training images (mean pixel {X.mean():.4f} "
        f"against {X_plain.mean():.3f}): are the pixels divided by 255 twice? Scale once, "
        "with map(to_unit_range).",
    )
    change = float(np.abs(X - X_plain).mean())
    require(
        change > 0.01,
        "your images are not augmented. Map each batch through augment(images, training=True).",
    )
    X_again, _ = _first_batch(augmented_train, "augmented_train")
    require(
        not np.allclose(X_again, X),
        "a second pass gave exactly the same images: the changes should be random, new at "
        "every pass. Use the augmentation layers, augment(images, training=True).",
    )
    images = sum(files.count_images(folder).values())
    # at most one batch more than a pass needs: a repeated dataset never ends on its own
    batches = -(-images // len(X))  # rounded up
    seen = sum(len(labels) for _, labels in augmented_train.take(batches + 1))
    require(
        seen == images,
        f"one pass gave {seen} images or more; the training folder has {images}, each once "
        "(no .repeat(): model.fit starts each epoch itself).",
    )
    passed("6.2", f"augmentation changed the pixels by {change:.2f} on average")


def _number(value: Any) -> bool:
    """Whether `value` is one number (Python's or NumPy's), not a text or an array."""
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def _slow_dataset(made_at: list[float], count: int, seconds: float) -> Any:
    """`count` numbers in batches of 2, each made in `seconds` by a Python function that
    notes when it ran in `made_at`: an expensive ``map`` step that can be counted."""
    import tensorflow as tf

    def make(number):
        time.sleep(seconds)
        made_at.append(time.perf_counter())
        return number

    def expensive(number):
        made = tf.py_function(make, [number], tf.int64)
        made.set_shape([])
        return made

    options = tf.data.Options()
    options.autotune.enabled = False  # no end-of-pass stall (lesson 06, section 7)
    return tf.data.Dataset.range(count).map(expensive).batch(2).with_options(options)


def _timed(function: Callable, argument: Any, call: str) -> tuple[Any, float]:
    """Call the learner's function, and measure the seconds the call took from outside."""
    start = time.perf_counter()
    try:
        result = function(argument)
    except Exception as error:
        require(False, f"{call} raised {type(error).__name__}: {error}")
    return result, time.perf_counter() - start


@check
def exercise_6_3(time_pass: Callable, two_passes: Callable, cache_megabytes: Callable) -> None:
    """Exercise 6.3: ``time_pass(dataset)``, ``two_passes(dataset)`` and
    ``cache_megabytes(num_images, height, width)``.

    The check gives `time_pass` and `two_passes` small datasets of its own whose elements
    take a known time to make, and counts how often they are made: with a cache, the second
    pass makes none. `cache_megabytes` is tried on sizes of its own.

    Examples
    --------
    >>> def time_pass(dataset):
    ...     start = time.perf_counter()
    ...     for _batch in dataset:
    ...         pass
    ...     return time.perf_counter() - start
    >>> def two_passes(dataset):
    ...     cached = dataset.cache()
    ...     return time_pass(cached), time_pass(cached)
    >>> megabytes = lambda num_images, height, width: num_images * height * width * 3 * 4 / 1e6
    >>> exercise_6_3(time_pass, two_passes, megabytes)
    Exercise 6.3: passed (the cache served the second pass: no element was made again)
    """
    answered(time_pass=time_pass, two_passes=two_passes, cache_megabytes=cache_megabytes)
    for name, function in [("time_pass", time_pass), ("two_passes", two_passes)]:
        require(callable(function), f"{name} should be a function: def {name}(dataset):")
    made_at: list[float] = []
    measured, outside = _timed(time_pass, _slow_dataset(made_at, 4, 0.05), "time_pass(dataset)")
    require(
        len(made_at) == 4,
        "time_pass should go through the whole dataset once, with a for loop over it.",
    )
    require(
        _number(measured) and made_at[-1] - made_at[0] <= measured <= outside,
        f"time_pass returned {measured!r} for a pass that took about {outside:.2f} s. Return "
        "time.perf_counter() after the loop minus time.perf_counter() before it.",
    )
    made_at.clear()
    count = 6
    times, outside = _timed(two_passes, _slow_dataset(made_at, count, 0.03), "two_passes(dataset)")
    require(
        isinstance(times, tuple | list) and len(times) == 2,
        f"two_passes should return two times, `return first, second`, not {times!r}.",
    )
    first, second = times
    require(
        len(made_at) >= count,
        f"two_passes made only {len(made_at)} of the dataset's {count} elements: the first "
        "pass should go through the whole cached dataset (time_pass does).",
    )
    require(
        len(made_at) == count,
        f"every element of the dataset was made {len(made_at) / count:.0f} times, so the second "
        "pass did not read from a cache. Make the cached dataset once, cached = "
        "dataset.cache(), and time two passes over that same cached.",
    )
    require(
        all(_number(t) for t in times)
        and made_at[-1] - made_at[0] <= first
        and 0 < second < first
        and first + second <= outside,
        f"two_passes returned {times!r} for two passes that took {outside:.2f} s in all, the "
        "first one slow (it fills the cache). Return the times time_pass measured, the "
        "first pass first.",
    )
    rng = np.random.default_rng(63)
    sizes = [(7, 20, 30), (1, 224, 224), (120, 64, 48)]
    random_sizes = rng.integers([2, 8, 8], [500, 300, 300], (3, 3))
    sizes += [tuple(int(n) for n in row) for row in random_sizes]
    for num_images, height, width in sizes:
        call = f"cache_megabytes({num_images}, {height}, {width})"
        try:
            megabytes = cache_megabytes(num_images, height, width)
        except Exception as error:
            require(False, f"{call} raised {type(error).__name__}: {error}")
        right = num_images * height * width * 3 * 4 / 1e6
        require(
            _number(megabytes) and np.isclose(megabytes, right, rtol=1e-6),
            f"{call} gave {megabytes!r}. Multiply the number of images by height, width, "
            "3 channels and 4 bytes (float32), and divide by 1,000,000.",
        )
    passed("6.3", "the cache served the second pass: no element was made again")
