"""Lists versus generators for images (lesson 02, *Generators*).

A list of decoded images holds every pixel at once; a generator decodes one
image when asked and lets it go before the next. These are the tidied versions
of what notebook 02 writes by hand, plus the memory measurement it plots.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from helpers import BadInput, images

__all__ = [
    "iter_batches",
    "iter_images",
    "load_images",
    "measure_memory",
    "peak_memory",
    "readable_size",
]

T = TypeVar("T")


def load_images(paths: Iterable[str | Path], mode: str = "rgb") -> list[np.ndarray]:
    """Decode every image into one list (all pixels in memory at once).

    Parameters
    ----------
    paths : iterable of str or pathlib.Path
        Image files.
    mode : {"rgb", "bgr", "gray"}, optional
        Passed to `helpers.images.read_image`.

    Returns
    -------
    list of numpy.ndarray
        One array per file.

    Examples
    --------
    >>> from helpers import paths
    >>> len(load_images([paths.sample_image()] * 2))
    2
    """
    return [images.read_image(path, mode) for path in paths]


def iter_images(paths: Iterable[str | Path], mode: str = "rgb") -> Iterator[np.ndarray]:
    """Yield images one at a time, decoding each only when it is asked for.

    Parameters
    ----------
    paths : iterable of str or pathlib.Path
        Image files.
    mode : {"rgb", "bgr", "gray"}, optional
        Passed to `helpers.images.read_image`.

    Yields
    ------
    numpy.ndarray
        The next decoded image.

    Notes
    -----
    Introduced in notebook 02: nothing is read until the first ``next()``.

    Examples
    --------
    >>> from helpers import paths
    >>> stream = iter_images([paths.sample_image()])
    >>> next(stream).shape
    (600, 600, 3)
    """
    for path in paths:
        yield images.read_image(path, mode)


def iter_batches(items: Iterable[T], batch_size: int) -> Iterator[list[T]]:
    """Group any stream into lists of `batch_size` items; the last may be shorter.

    Parameters
    ----------
    items : iterable
        Anything, including another generator.
    batch_size : int
        Items per batch, at least 1.

    Yields
    ------
    list
        The next batch.

    Raises
    ------
    ValueError
        If `batch_size` is below 1.

    Examples
    --------
    >>> list(iter_batches(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    if batch_size < 1:
        raise BadInput(f"batch_size must be at least 1, got {batch_size}.")
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def peak_memory(func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, int]:
    """Call ``func(*args, **kwargs)`` and measure the most memory it held at once.

    Parameters
    ----------
    func : callable
        What to measure.
    *args, **kwargs
        Passed to `func`.

    Returns
    -------
    result : object
        What `func` returned.
    peak : int
        Peak bytes allocated through Python and NumPy during the call
        (``tracemalloc``; NumPy reports its array buffers to it).

    Examples
    --------
    >>> _, peak = peak_memory(np.zeros, 1_000_000)  # 8 MB of float64
    >>> peak >= 8_000_000
    True
    """
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    start, _ = tracemalloc.get_traced_memory()
    try:
        result = func(*args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return result, peak - start


def readable_size(n_bytes: float) -> str:
    """A number of bytes in the unit that suits it, to 3 significant digits.

    Units are powers of 1000 (kB, MB, GB, TB), so a size never shows as 0.00 MB
    and never needs an exponent.

    Parameters
    ----------
    n_bytes : float
        A size in bytes.

    Returns
    -------
    str
        For example ``"25.9 kB"``.

    Examples
    --------
    >>> readable_size(192), readable_size(25_900), readable_size(22_700_000)
    ('192 bytes', '25.9 kB', '22.7 MB')
    >>> readable_size(2_320_000_000), readable_size(999_999)
    ('2.32 GB', '1 MB')
    """
    value, unit = float(n_bytes), "bytes"
    for bigger in ("kB", "MB", "GB", "TB"):
        if float(f"{value:.3g}") < 1000:  # as printed: 999,999 bytes is "1 MB", not "1e+03 kB"
            break
        value, unit = value / 1000, bigger
    return f"{value:.3g} {unit}"


def _mean_of_list(paths: Sequence[Path]) -> float:
    loaded = load_images(paths)
    return float(np.mean([image.mean() for image in loaded]))


def _mean_of_stream(paths: Sequence[Path]) -> float:
    total = 0.0
    for image in iter_images(paths):
        total += image.mean()
    return total / max(len(paths), 1)


def measure_memory(paths: Sequence[str | Path], counts: Iterable[int]) -> list[dict[str, int]]:
    """Peak memory of averaging N images from a list versus from a generator.

    Parameters
    ----------
    paths : sequence of str or pathlib.Path
        Image files; cycled through if a count is larger than the sequence.
    counts : iterable of int
        The numbers of images N to measure.

    Returns
    -------
    list of dict
        One row per N: ``{"images": N, "list_bytes": …, "generator_bytes": …}``.

    Notes
    -----
    Both sides compute the same mean pixel value, so the only difference is
    how many decoded images exist at the same time. Used in notebook 02.

    Examples
    --------
    >>> from helpers import paths
    >>> row = measure_memory([paths.sample_image()], [8])[0]
    >>> row["list_bytes"] > 2 * row["generator_bytes"]
    True
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise BadInput("measure_memory needs at least one image path.")
    rows = []
    for n in counts:
        chosen = [paths[i % len(paths)] for i in range(n)]
        list_mean, list_peak = peak_memory(_mean_of_list, chosen)
        stream_mean, stream_peak = peak_memory(_mean_of_stream, chosen)
        if not np.isclose(list_mean, stream_mean):
            raise RuntimeError("List and generator disagree; the measurement is not like for like.")
        rows.append({"images": n, "list_bytes": list_peak, "generator_bytes": stream_peak})
    return rows
