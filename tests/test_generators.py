import numpy as np
import pytest

from helpers import generators, paths


def test_iter_images_is_lazy(tmp_path, tiny_png):
    stream = generators.iter_images([tiny_png, tmp_path / "missing.png"])
    assert next(stream).shape == (4, 6, 3)  # the missing file is not touched yet
    with pytest.raises(FileNotFoundError, match="missing.png"):
        next(stream)


def test_list_and_generator_give_the_same_images(tiny_png):
    eager = generators.load_images([tiny_png, tiny_png], mode="gray")
    lazy = list(generators.iter_images([tiny_png, tiny_png], mode="gray"))
    assert all(np.array_equal(a, b) for a, b in zip(eager, lazy, strict=True))


@pytest.mark.parametrize(
    "n, size, expected",
    [(5, 2, [[0, 1], [2, 3], [4]]), (4, 2, [[0, 1], [2, 3]]), (0, 3, []), (2, 5, [[0, 1]])],
)
def test_iter_batches(n, size, expected):
    assert list(generators.iter_batches(range(n), size)) == expected


def test_iter_batches_accepts_a_generator():
    squares = (i * i for i in range(5))
    assert list(generators.iter_batches(squares, 3)) == [[0, 1, 4], [9, 16]]


def test_iter_batches_rejects_zero():
    with pytest.raises(ValueError, match="at least 1"):
        next(generators.iter_batches([1], 0))


def test_peak_memory_sees_numpy_arrays():
    _, small = generators.peak_memory(np.ones, 1_000)
    _, large = generators.peak_memory(np.ones, 1_000_000)
    assert large > 7_000_000 > small


def test_list_memory_grows_with_n_generator_memory_does_not():
    rows = generators.measure_memory([paths.sample_image()], [2, 8])
    list_growth = rows[1]["list_bytes"] - rows[0]["list_bytes"]
    stream_growth = rows[1]["generator_bytes"] - rows[0]["generator_bytes"]
    one_image = 600 * 600 * 3
    assert list_growth >= 5 * one_image
    assert stream_growth < one_image


def test_measure_memory_needs_paths():
    with pytest.raises(ValueError, match="at least one"):
        generators.measure_memory([], [1])


@pytest.mark.parametrize(
    ("n_bytes", "expected"),
    [
        (0, "0 bytes"),
        (192, "192 bytes"),
        (999, "999 bytes"),
        (1_000, "1 kB"),
        (999_499, "999 kB"),
        (999_999, "1 MB"),
        (1_080_000, "1.08 MB"),
        (2.32e9, "2.32 GB"),
    ],
)
def test_readable_size_never_shows_zero_or_an_exponent(n_bytes, expected):
    assert generators.readable_size(n_bytes) == expected
