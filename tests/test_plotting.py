import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("count", [1, 2, 5, 7, 16, 32, 33])
def test_grid_fits_any_batch_size(count):
    rows, cols = plotting.grid_shape(count)
    assert rows * cols >= count and (rows - 1) * cols < count and cols <= 8


@pytest.mark.parametrize("batch_size", [1, 3, 5, 12])
def test_show_batch_titles_every_image(batch_size):
    X = np.random.default_rng(0).random((batch_size, 8, 8, 3)).astype("float32")
    y = np.arange(batch_size) % 3
    fig = plotting.show_batch((X, y), {"a": 0, "b": 1, "c": 2})
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == [["a", "b", "c"][i % 3] for i in range(batch_size)]


def test_show_batch_without_labels_has_no_titles():
    fig = plotting.show_batch(np.zeros((2, 8, 8, 3)))
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["", ""]


def test_one_hot_labels():
    assert plotting.label_names(np.eye(3)[[2, 0]], {"x": 0, "y": 1, "z": 2}) == ["z", "x"]


def test_unknown_label_is_named():
    with pytest.raises(ValueError, match=r"Labels \[5\]"):
        plotting.label_names([5], {"a": 0, "b": 1})


def test_float_0_255_images_are_not_clipped_white():
    fig = plotting.show_images([np.full((4, 4, 3), 128.0)])
    shown = fig.axes[0].images[0].get_array()
    assert float(shown.max()) == pytest.approx(128 / 255)


def test_grayscale_gets_gray_colour_map():
    fig = plotting.show_images([np.zeros((4, 4), np.uint8), np.zeros((4, 4, 1))])
    assert [ax.images[0].get_cmap().name for ax in fig.axes if ax.images] == ["gray", "gray"]


def test_titles_must_match_images():
    with pytest.raises(ValueError, match="2 images but 1 titles"):
        plotting.show_images([np.zeros((2, 2))] * 2, ["only one"])


def test_show_generator_images_uses_next_not_dot_next():
    class KerasLikeIterator:
        class_indices = {"Kirmizi": 0, "Siirt": 1}

        def __iter__(self):
            return self

        def __next__(self):
            return np.zeros((3, 8, 8, 3)), np.array([1.0, 0.0, 1.0])

    fig = plotting.show_generator_images(KerasLikeIterator())
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["Siirt", "Kirmizi", "Siirt"]


def test_empty_batch_is_an_error():
    with pytest.raises(ValueError, match="Nothing to plot"):
        plotting.show_images([])


def test_long_class_names_get_smaller_titles_that_stay_whole():
    long_name = "class_07_with_a_rather_long_name_from_a_museum_catalogue"
    fig = plotting.show_images([np.zeros((4, 4, 3))] * 2, titles=[long_name, "short"], scale=2)
    long_title, short_title = (ax.title for ax in fig.axes[:2])
    assert long_title.get_text() == long_name  # never cut: self-checks compare titles
    assert 6 <= long_title.get_fontsize() < short_title.get_fontsize() == 9
    plt.close(fig)


def test_missing_glyphs():
    assert plotting.missing_glyphs("Ærø tea çay bardağı") == ""
    assert plotting.missing_glyphs("茶 茶") == "茶"


def test_large_photos_are_thinned_out_before_drawing():
    photo = np.zeros((3000, 4000, 3), np.uint8)
    fig = plotting.show_images([photo, photo[..., 0]], titles=["colour", "gray"])
    for ax in fig.axes[:2]:
        height, width = ax.images[0].get_array().shape[:2]
        assert max(height, width) <= plotting.DISPLAY_MAX_SIDE and width / height == 4 / 3
    plt.close(fig)
