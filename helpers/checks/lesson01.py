"""Self-checks of lesson 01, Computer vision recap (see `helpers.checks`)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.checks import answered, call, check, must_be_function, passed, require

__all__ = ["exercise_1_1", "exercise_1_2", "exercise_1_3", "exercise_1_4"]


def _arrays() -> list[np.ndarray]:
    """Arrays on which row and column means differ, of several shapes and types."""
    rng = np.random.default_rng(11)
    return [
        np.array([[0, 50, 100, 150], [200, 250, 30, 60], [90, 120, 180, 240]], np.uint8),
        rng.integers(0, 256, size=(5, 2), dtype=np.uint8),
        rng.normal(100, 60, size=(2, 7)),
        np.full((1, 3), 101, np.uint8),
    ]


@check
def exercise_1_1(row_means: Callable, count_above: Callable) -> None:
    """Exercise 1.1: ``row_means(array)`` and ``count_above(array, threshold)``.

    Examples
    --------
    >>> def count_above(array, threshold):
    ...     return int((array > threshold).sum())
    >>> exercise_1_1(lambda array: array.mean(axis=1), count_above)
    Exercise 1.1: passed
    >>> by_column = lambda array: array.mean(axis=0)  # one mean per column: wrong
    >>> exercise_1_1(by_column, count_above)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: row_means should give one mean per row: 3 numbers ...
    """
    answered(row_means=row_means, count_above=count_above)
    must_be_function(row_means, "row_means(array)")
    must_be_function(count_above, "count_above(array, threshold)")
    for array in _arrays():
        means = np.asarray(call(row_means, array.copy(), name="row_means"), dtype=float).ravel()
        rows = array.shape[0]
        require(
            means.shape == (rows,),
            f"row_means should give one mean per row: {rows} numbers for an array of shape "
            f"{array.shape}, not {means.size}. Which axis runs along a row?",
        )
        require(
            np.allclose(means, array.astype(float).mean(axis=1)),
            f"row_means gave {np.round(means, 2).tolist()} for {array.tolist()}: "
            "average each row, as mean(axis=1) does.",
        )
        for threshold in (100, 101, 0):
            count = call(count_above, array.copy(), threshold, name="count_above")
            require(
                np.ndim(count) == 0,
                "count_above should return one number (how many), not the values themselves.",
            )
            right = int((array > threshold).sum())
            require(
                count == right,
                f"count_above gave {count} for threshold {threshold} on an array of shape "
                f"{array.shape}: count the values greater than (not equal to) the threshold, "
                "in the whole array.",
            )
    passed("1.1")


def _shuffled(colours: list[tuple[tuple[int, int, int], int]], shape: tuple[int, int], seed: int):
    """An RGB image of `shape` made of `colours` ((R, G, B), how many pixels), in random places."""
    pixels = np.array([colour for colour, count in colours for _ in range(count)], np.uint8)
    require(len(pixels) == shape[0] * shape[1], "the check's own image is wrong: report it.")
    return np.random.default_rng(seed).permutation(pixels).reshape(*shape, 3)


def _fraction_cases() -> list[tuple[np.ndarray, int | None]]:
    """(RGB image, threshold or None for the default) on which the plausible mistakes differ.

    Red pixels are bright in RGB's gray but dark in BGR's, blue ones the other way round, in
    unequal numbers; gray-40 pixels sit exactly on the default threshold; red and blue
    pixels have one channel value of three above it (counting values is not counting pixels).
    """
    hand_made = _shuffled(
        [
            ((200, 0, 0), 21),  # red: gray 60 read as RGB, 23 read as BGR
            ((0, 0, 200), 6),  # blue: gray 23 read as RGB, 60 read as BGR
            ((40, 40, 40), 9),  # gray exactly 40
            ((90, 120, 60), 12),  # bright: every channel above 40
            ((10, 20, 5), 12),  # dark background
        ],
        shape=(6, 10),
        seed=12,
    )
    noisy = np.random.default_rng(13).integers(0, 256, size=(23, 37, 3), dtype=np.uint8)
    every_gray = np.repeat(np.arange(256, dtype=np.uint8), 3).reshape(16, 16, 3)
    return [
        (hand_made, None), (hand_made, 59), (noisy, 100), (noisy, 150), (every_gray, None),
    ]  # fmt: skip


@check
def exercise_1_2(object_fraction: Callable) -> None:
    """Exercise 1.2: ``object_fraction(image_rgb, threshold=40)``, the share of bright pixels.

    The check tries the function on coloured images of its own, not square, where reading
    RGB as BGR, ``>=`` for ``>``, or counting channel values instead of pixels each give
    another number.

    Examples
    --------
    >>> import cv2
    >>> def object_fraction(image_rgb, threshold=40):
    ...     gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)
    ...     return float((gray > threshold).mean())
    >>> exercise_1_2(object_fraction)
    Exercise 1.2: passed
    >>> exercise_1_2(lambda image_rgb, threshold=40: float((image_rgb > threshold).mean()))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: object_fraction gave 0.35 for a coloured image ...
    """
    import cv2

    answered(object_fraction=object_fraction)
    must_be_function(object_fraction, "object_fraction(image_rgb, threshold=40)")
    for image, threshold in _fraction_cases():
        args = (image.copy(),) if threshold is None else (image.copy(), threshold)
        fraction = call(object_fraction, *args, name="object_fraction")
        where = f"a coloured image of shape {image.shape} with " + (
            "the default threshold" if threshold is None else f"threshold={threshold}"
        )
        require(
            np.ndim(fraction) == 0 and isinstance(fraction, int | float | np.number),
            f"object_fraction should return one number, not {type(fraction).__name__}.",
        )
        require(
            0.0 <= fraction <= 1.0,
            f"object_fraction gave {fraction} for {where}: return a fraction of all pixels "
            "(from 0 to 1), not a count.",
        )
        limit = 40 if threshold is None else threshold
        right = float((cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) > limit).mean())
        if np.isclose(fraction, (image > limit).mean(), rtol=0, atol=1e-9):
            hint = (
                "that is the share of channel values above the threshold. Convert to "
                "grayscale first (one number per pixel), then count pixels."
            )
        else:
            hint = (
                "check three things: the image is RGB (cv2.COLOR_RGB2GRAY, not BGR2GRAY), "
                "you count the pixels strictly brighter than the threshold (>), and you use "
                "the threshold argument."
            )
        require(
            np.isclose(fraction, right, rtol=0, atol=1e-9),
            f"object_fraction gave {float(fraction):.4g} for {where}: {hint}",
        )
    passed("1.2")


def _coloured(shape: tuple[int, int], seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(*shape, 3), dtype=np.uint8)


@check
def exercise_1_3(swap_to_rgb: Callable) -> None:
    """Exercise 1.3: ``swap_to_rgb(bgr)``, the channel order reversed with NumPy slicing.

    The check tries the function on coloured images of its own, not square.

    Examples
    --------
    >>> exercise_1_3(lambda bgr: bgr[..., ::-1])
    Exercise 1.3: passed
    >>> exercise_1_3(lambda bgr: bgr[::-1])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: for one blue pixel [255, 0, 0] (B, G, R) ...
    """
    import cv2

    answered(swap_to_rgb=swap_to_rgb)
    must_be_function(swap_to_rgb, "swap_to_rgb(bgr)")
    blue = np.array([[[255, 0, 0], [0, 0, 0]]], dtype=np.uint8)  # a blue and a black pixel
    swapped = call(swap_to_rgb, blue.copy(), name="swap_to_rgb")
    require(
        np.asarray(swapped).tolist() == [[[0, 0, 255], [0, 0, 0]]],
        "for one blue pixel [255, 0, 0] (B, G, R) next to a black one, the result should be "
        "[0, 0, 255] (R, G, B) next to the black one. Reverse the channel axis only: the "
        "last one, not the rows or the columns.",
    )
    for shape, seed in (((5, 7), 31), ((9, 4), 32), ((1, 3), 33)):
        bgr = _coloured(shape, seed)
        given = bgr.copy()
        result = np.asarray(call(swap_to_rgb, given, name="swap_to_rgb"))
        require(
            np.array_equal(given, bgr),
            "swap_to_rgb changed the image it was given: the learner's own `img` would turn "
            "into RGB too. Return a new array (a slice such as bgr[..., ::-1]) and leave bgr "
            "as it is.",
        )
        require(
            result.shape == bgr.shape,
            f"for a colour image of shape {bgr.shape} the result has shape {result.shape}: "
            "keep every row, column and channel, only in another order.",
        )
        require(
            np.array_equal(result, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)),
            f"on a coloured image of shape {bgr.shape} your result differs from "
            "cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB). Reverse the last axis only: "
            "bgr[..., ::-1].",
        )
    passed("1.3")


def _channel_cases() -> list[tuple[np.ndarray, int, str]]:
    """(RGB image, threshold, letter of the largest channel over the object pixels).

    One image per letter, not square, with noise. Each background is dark in gray but strong
    in another channel, so that including the background, or reading RGB as BGR, changes the
    answer; each threshold is a gray value some object pixels have, so ``>=`` differs too.
    """
    import cv2

    cases = []
    specs = [  # shape, background, object colour, letter
        ((30, 44), (0, 0, 250), (150, 70, 40), "R"),
        ((36, 28), (0, 0, 250), (70, 160, 90), "G"),
        ((25, 40), (110, 0, 0), (50, 90, 200), "B"),
    ]
    for number, (shape, background, colour, letter) in enumerate(specs):
        rng = np.random.default_rng(40 + number)
        image = np.empty((*shape, 3), np.int16)
        image[...] = background
        rows, cols = shape[0] // 4, shape[1] // 5
        image[rows : shape[0] - rows, cols : shape[1] - cols] = colour
        image += rng.integers(-12, 13, size=image.shape).astype(np.int16)
        image = np.clip(image, 0, 255).astype(np.uint8)
        gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        object_gray = gray[rows : shape[0] - rows, cols : shape[1] - cols]
        threshold = int(np.percentile(object_gray, 20))  # some object pixels sit on it
        cases.append((image, threshold, letter))
    return cases


def _letter_cases() -> list[tuple[np.ndarray, int, str]]:
    """(RGB image, threshold, largest channel) where only the letter's own computation differs.

    A mask made with BGR weights leaves out the red pixels; the median, not the mean, of each
    channel picks the other letter; ``>=`` takes in a group of pixels sitting on the threshold.
    """
    import cv2

    def picture(groups: list[tuple[tuple[int, int, int], int]]) -> np.ndarray:
        pixels = [colour for colour, count in groups for _ in range(count)]
        pixels += [(0, 0, 0)] * (60 - len(pixels))  # a black background
        return np.array(pixels, np.uint8).reshape(6, 10, 3)

    bgr_trap = picture([((220, 10, 10), 20), ((10, 140, 160), 10)])
    median_trap = picture([((150, 60, 60), 21), ((20, 60, 255), 9)])
    on_threshold = picture([((30, 120, 30), 24), ((200, 40, 40), 8)])
    gray = int(cv2.cvtColor(on_threshold, cv2.COLOR_RGB2GRAY)[0, 0])  # the green group's
    return [(bgr_trap, 50, "R"), (median_trap, 30, "B"), (on_threshold, gray, "R")]


@check
def exercise_1_4(channel_means: Callable, largest_channel: Callable) -> None:
    """Exercise 1.4: ``channel_means(image_rgb, threshold)`` and ``largest_channel(...)``.

    The check tries both functions on coloured images of its own, one for each answer
    ("R", "G" and "B"), each with its own threshold.

    Examples
    --------
    >>> import cv2
    >>> def channel_means(image_rgb, threshold):
    ...     mask = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY) > threshold
    ...     return [float(image_rgb[..., channel][mask].mean()) for channel in range(3)]
    >>> def largest_channel(image_rgb, threshold):
    ...     return "RGB"[int(np.argmax(channel_means(image_rgb, threshold)))]
    >>> exercise_1_4(channel_means, largest_channel)
    Exercise 1.4: passed
    >>> exercise_1_4(channel_means, lambda image_rgb, threshold: "R")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: largest_channel gave 'R' for a coloured image ...
    """
    import cv2

    answered(channel_means=channel_means, largest_channel=largest_channel)
    must_be_function(channel_means, "channel_means(image_rgb, threshold)")
    must_be_function(largest_channel, "largest_channel(image_rgb, threshold)")
    for image, threshold, letter in _channel_cases():
        where = f"a coloured image of shape {image.shape} with threshold={threshold}"
        means = call(channel_means, image.copy(), threshold, name="channel_means")
        require(
            np.ndim(means) == 1 and len(means) == 3,
            f"channel_means should return three numbers (R, G and B), not {means!r}.",
        )
        mask = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) > threshold
        right = image[mask].astype(np.float64).mean(axis=0)
        require(
            np.allclose(np.asarray(means, dtype=np.float64), right),
            f"channel_means gave {np.round(np.asarray(means, dtype=float), 1).tolist()} for "
            f"{where}. Average each channel over the object pixels only: those whose "
            "grayscale value (cv2.COLOR_RGB2GRAY: the image is RGB) is greater than the "
            "threshold argument, in R, G, B order.",
        )
        chosen = call(largest_channel, image.copy(), threshold, name="largest_channel")
        require(
            chosen in ("R", "G", "B"),
            f'largest_channel should return "R", "G" or "B" (a letter), not {chosen!r}.',
        )
        require(
            chosen == letter,
            f"largest_channel gave {chosen!r} for {where}, but that is not the largest of the "
            "three channel means there. Compute the means of this image (with "
            "channel_means) and return the letter of the largest.",
        )
    for image, threshold, letter in _letter_cases():
        chosen = call(largest_channel, image.copy(), threshold, name="largest_channel")
        require(
            chosen == letter,
            f"largest_channel gave {chosen!r} for an image of red, green and blue groups of "
            f"pixels with threshold={threshold}, where the largest channel mean of the object "
            f"pixels is {letter!r}. Use the same object pixels as channel_means (grayscale "
            "from RGB, greater than the threshold) and the mean, not another average.",
        )
    passed("1.4")
