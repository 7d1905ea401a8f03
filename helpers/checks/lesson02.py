"""Self-checks of lesson 02, Generators (see `helpers.checks`)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from helpers import generators
from helpers.checks import Counted, answered, call, check, must_be_function, passed, require

__all__ = ["exercise_2_1", "exercise_2_2", "exercise_2_3"]


@check
def exercise_2_1(second_prediction: Any, gen_list: Callable[[int], Iterator[int]]) -> None:
    """Exercise 2.1: what ``list(squares)`` gives the second time, predicted.

    The check runs the exercise's three lines with the lesson's `gen_list` and compares.

    Examples
    --------
    >>> def gen_list(n):
    ...     for i in range(n):
    ...         yield i * i
    >>> exercise_2_1([0, 1, 4], gen_list)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: you predicted [0, 1, 4], but that is not what Python ...
    """
    answered(second_prediction=second_prediction)
    squares = gen_list(3)  # the exercise's code, run as it is written there
    first = list(squares)
    second = list(squares)
    require(first == [0, 1, 4], "gen_list has changed since section 1: run that cell again.")
    require(
        isinstance(second_prediction, list),
        f"write your prediction as a list, such as [1, 2], not {second_prediction!r}.",
    )
    require(  # the hint does not show Python's answer: the exercise is to predict it
        second_prediction == second,
        f"you predicted {second_prediction!r}, but that is not what Python gives the second "
        "time. Section 2 says what a generator does once its loop has finished; run the "
        "lines yourself in a new cell if you want to see.",
    )
    passed("2.1")


def _all_batches(my_batches: Callable, items: Iterable[Any], size: int) -> list:
    return list(my_batches(items, size))


@check
def exercise_2_2(my_batches: Callable) -> None:
    """Exercise 2.2: ``my_batches(items, batch_size)``, a generator of lists.

    The check tries lengths that are and are not multiples of the batch size, an empty
    input, a generator as input, and checks that nothing is read before a batch is asked for.

    Examples
    --------
    >>> from helpers.generators import iter_batches
    >>> exercise_2_2(iter_batches)
    Exercise 2.2: passed
    >>> exercise_2_2(lambda items, size: [list(items)])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: my_batches([0, 1, 2, 3, 4], 2) gave [[0, 1, 2, 3, 4]], not ...
    """
    answered(my_batches=my_batches)
    must_be_function(my_batches, "my_batches(items, batch_size)")
    cases = [  # items (as a list), batch_size, made into a generator?
        (list(range(5)), 2, False),
        (list(range(6)), 3, False),
        (list(range(7)), 1, False),
        (list(range(3)), 10, False),
        ([], 3, False),
        (list("abcdefg"), 3, True),
        ([10, 20, 30, 40], 2, True),
    ]
    for items, size, as_generator in cases:
        right = [items[i : i + size] for i in range(0, len(items), size)]
        if as_generator:
            given, shown = (item for item in items), f"a generator of {items}"
        else:
            given, shown = list(items), repr(items)
        batches = call(_all_batches, my_batches, given, size, name="my_batches")
        if batches == right:
            continue
        hint = "yield lists of at most batch_size items, in order; the last may be shorter."
        if batches == right + [[]]:
            hint = "no empty batch at the end: yield the last batch only if it holds something."
        elif right and len(right[-1]) < size and batches == right[:-1]:
            hint = "the last, shorter batch is missing: yield it after the loop too."
        elif as_generator and not batches:
            hint = (
                "it should work on a generator too, which has no len() and cannot be sliced: "
                "go through the items with a for loop."
            )
        elif batches and all(isinstance(b, tuple) for b in batches):
            hint = "yield lists, not tuples."
        require(False, f"my_batches({shown}, {size}) gave {batches!r}, not {right!r}: {hint}")
    source = Counted(range(100))
    stream = call(my_batches, source, 4, name="my_batches")
    require(
        source.taken == 0,
        f"my_batches took {source.taken} items from its input before anyone asked for a "
        "batch. Write it as a generator function (with yield), which runs only when asked.",
    )
    try:
        first = next(stream)
    except TypeError:
        require(
            False,
            "next() does not work on what my_batches returns: make it a generator "
            "function, with yield instead of return.",
        )
    require(
        first == [0, 1, 2, 3] and source.taken <= 5,
        f"for the first batch of 4, my_batches read {source.taken} items of 100: "
        "a generator should read only what the next batch needs.",
    )
    passed("2.2")


#: Exercise 2.3's images: (height, width), RGB colour. Brightest by mean pixel value: the
#: small blue one. By grayscale the green one wins, by sum the large gray one, by the largest
#: single value the dark one with a white dot, by the smallest mean the near-black one, and by
#: the brightest channel (HSV's V, or the largest of the three channel means) the pure blue one.
_IMAGES = [
    ((250, 280), (120, 30, 20)),  # mean 56.7
    ((240, 270), (60, 200, 60)),  # mean 106.7, gray 142: brightest in gray
    ((300, 330), (102, 104, 100)),  # mean 102: the largest sum of values
    ((230, 230), (50, 50, 250)),  # mean 116.7, gray 73: the brightest
    ((260, 250), (10, 12, 8)),  # near black: the darkest
    ((270, 260), (90, 110, 60)),  # mean 86.7
    ((250, 300), (30, 30, 30)),  # dark, with one white pixel: the largest single value
    ((280, 240), (95, 80, 70)),  # mean 81.7
    ((245, 265), (70, 75, 140)),  # mean 95
    ((255, 245), (100, 60, 90)),  # mean 83.3
    ((235, 255), (0, 0, 255)),  # mean 85, but its blue channel is the brightest of all
]
_BRIGHTEST = 3


def _write_images(folder: Path) -> list[Path]:
    """Write `_IMAGES` as PNG files (lossless: the means are exact) into `folder`."""
    import cv2

    written = []
    for number, ((height, width), colour) in enumerate(_IMAGES):
        image = np.empty((height, width, 3), np.uint8)
        image[...] = colour[::-1]  # OpenCV writes BGR
        if number == 6:
            image[height // 2, width // 2] = 255
        path = folder / f"image_{number:02d}.png"
        require(cv2.imwrite(str(path), image), f"the check could not write {path}: report it.")
        written.append(path)
    return written


#: Exercise 2.3's photos for the memory test: height and width, and how many.
_BIG, _BIG_COUNT = (800, 700), 40


def _write_big_images(folder: Path) -> list[Path]:
    """`_BIG_COUNT` JPEG photos of `_BIG` pixels (smooth, so quick to write and read)."""
    import cv2

    folder.mkdir()
    ramp = np.linspace(0, 255, _BIG[1], dtype=np.float32)[np.newaxis, :, np.newaxis]
    written = []
    for number in range(_BIG_COUNT):
        image = np.broadcast_to(ramp * (0.3 + number / (2 * _BIG_COUNT)), (*_BIG, 3))
        path = folder / f"photo_{number:02d}.jpg"
        require(cv2.imwrite(str(path), image.astype(np.uint8)), f"could not write {path}.")
        written.append(path)
    return written


def _return_free_memory() -> None:
    """Ask the C library to hand memory freed earlier back to the system (glibc only).

    Otherwise a list kept by an earlier attempt leaves freed memory in the process, which the
    next attempt reuses without the resident memory growing.
    """
    import contextlib
    import ctypes
    import sys

    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl): nothing to do
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def _peak_memory_growth(function: Callable, paths: list[Path]) -> int:
    """How much more memory the process held at most while `function` ran, measured in one
    call as the larger of

    - what Python and NumPy allocated (tracemalloc: `helpers.generators.peak_memory`), and
    - how far its resident memory rose (psutil, sampled every millisecond by a thread),
      which also counts what Pillow, OpenCV or TensorFlow keep outside Python's allocator.
    """
    import threading

    import psutil

    _return_free_memory()
    process = psutil.Process()
    start = peak = process.memory_info().rss
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            done.wait(0.001)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, traced = generators.peak_memory(call, function, list(paths), name="brightest")
    finally:
        done.set()
        sampler.join()
    return max(traced, peak - start)


def _named(path: Any) -> str:
    return getattr(path, "name", None) or repr(path)


@check
def exercise_2_3(brightest: Callable) -> None:
    """Exercise 2.3: ``brightest(paths)``, the brightest image, one image at a time.

    The check writes eleven images of its own (different sizes and colours) into a temporary
    folder and asks `brightest` for the brightest twice, in two orders; then it measures how
    far the process's memory grows while `brightest` looks at forty photos: with one image
    at a time, by much less than the forty decoded images would take.

    Examples
    --------
    >>> from helpers import images
    >>> def brightest(paths):
    ...     best_path, best_mean = None, -1.0
    ...     for path in paths:
    ...         mean = images.read_image(path).mean()
    ...         if mean > best_mean:
    ...             best_path, best_mean = path, mean
    ...     return best_path
    >>> exercise_2_3(brightest)  # doctest: +ELLIPSIS
    Exercise 2.3: passed (memory grew by ... for 40 photos of 1.68 MB each)
    """
    answered(brightest=brightest)
    must_be_function(brightest, "brightest(paths)")
    with tempfile.TemporaryDirectory(prefix="exercise_2_3_") as folder:
        paths = _write_images(Path(folder))
        right = paths[_BRIGHTEST]
        for order in (paths, paths[5:] + paths[:5]):
            answer = call(brightest, list(order), name="brightest")
            require(
                not isinstance(answer, np.ndarray | float | int | np.number),
                f"brightest returned {type(answer).__name__}, not a path: return the path of "
                "the brightest image (keep the path that goes with the best mean).",
            )
            require(
                str(answer) == str(right),
                f"for the check's eleven images of different sizes and colours, brightest gave "
                f"{_named(answer)}, not {right.name}. Return the path of the image with the "
                "highest mean pixel value: image.mean(), over every value of the colour "
                "image (not its sum, its largest value, its grayscale or its brightest channel).",
            )
        # Memory, measured from outside Python: a list of images kept by Pillow, OpenCV or
        # TensorFlow holds memory that tracemalloc does not see, but the process does.
        big = _write_big_images(Path(folder) / "big")
        decoded = len(big) * _BIG[0] * _BIG[1] * 3
        growth = _peak_memory_growth(brightest, big)
        require(
            growth < decoded / 3,
            f"brightest's memory grew by {generators.readable_size(growth)} while it looked at "
            f"{len(big)} photos that take {generators.readable_size(decoded)} decoded: are all "
            "images being kept? Decode them one at a time (stream_images, or one read in a "
            "for loop) and keep only the best path and its mean.",
        )
    passed(
        "2.3",
        f"memory grew by {generators.readable_size(growth)} for {len(big)} photos of "
        f"{generators.readable_size(decoded // len(big))} each",
    )
