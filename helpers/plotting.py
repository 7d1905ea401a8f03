"""Showing images and labelled batches with Matplotlib (lesson 05, *Plotting batches*).

This is the only module that imports Matplotlib. Every function returns the
figure, so a notebook can save it and a test can inspect it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from helpers import BadInput

__all__ = [
    "COLOURS",
    "DISPLAY_MAX_SIDE",
    "grid_shape",
    "label_names",
    "missing_glyphs",
    "plot_benchmark",
    "plot_confusion_matrix",
    "plot_history",
    "plot_memory",
    "show_batch",
    "show_generator_images",
    "show_images",
]


#: Okabe-Ito colours (blue, orange, bluish green, vermillion): told apart with every common
#: kind of colour blindness, and each line also has its own marker.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00")


def missing_glyphs(text: str) -> str:
    """The characters of `text` that Matplotlib's default font cannot draw.

    Parameters
    ----------
    text : str
        A title, such as a class name.

    Returns
    -------
    str
        Those characters, each once, in order; empty when all can be drawn.
        Matplotlib draws them as empty boxes and warns "Glyph … missing".

    Examples
    --------
    >>> missing_glyphs("Çay bardağı"), missing_glyphs("茶 cup")
    ('', '茶')
    """
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_manager.findfont(font_manager.FontProperties()))
    lacking = [c for c in text if not c.isspace() and font.get_char_index(ord(c)) == 0]
    return "".join(dict.fromkeys(lacking))


def _title_size(title: str, scale: float) -> float:
    """9 pt, or smaller for a title too long to fit across its cell (long class names)."""
    fits = 13 * scale  # characters of 9 pt text across a cell `scale` inches wide
    return 9.0 if len(title) <= fits else max(6.0, 9.0 * fits / len(title))


def grid_shape(count: int, num_cols: int | None = None) -> tuple[int, int]:
    """Rows and columns of a grid that fits `count` pictures.

    Parameters
    ----------
    count : int
        Pictures to place, at least 1.
    num_cols : int, optional
        Columns wanted; by default about square, at most 8 wide.

    Returns
    -------
    num_rows, num_cols : int
        The grid; ``num_rows * num_cols >= count``.

    Raises
    ------
    ValueError
        If `count` or `num_cols` is below 1.

    Examples
    --------
    >>> grid_shape(5), grid_shape(1), grid_shape(32), grid_shape(7, num_cols=3)
    ((2, 3), (1, 1), (6, 6), (3, 3))
    """
    if count < 1:
        raise BadInput(f"Nothing to plot: count is {count}.")
    if num_cols is None:
        num_cols = min(8, math.ceil(math.sqrt(count)))
    if num_cols < 1:
        raise BadInput(f"num_cols must be at least 1, got {num_cols}.")
    num_cols = min(num_cols, count)
    return math.ceil(count / num_cols), num_cols


#: Longest side drawn: larger images are thinned out first. Matplotlib needs about 600 MB to
#: draw one 12-megapixel photo at full size; a figure cell shows a few hundred pixels anyway.
DISPLAY_MAX_SIDE = 1000


def _displayable(image: Any) -> tuple[np.ndarray, str | None]:
    """Make an array safe for ``imshow``: floats in [0, 1], grayscale with a gray colour map.

    Images larger than `DISPLAY_MAX_SIDE` are thinned out (every n-th row and column).
    """
    image = np.asarray(image)
    step = math.ceil(max(image.shape[:2], default=0) / DISPLAY_MAX_SIDE)
    if step > 1:
        image = image[::step, ::step]
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.dtype.kind == "f" and image.size and image.max() > 1.0:
        image = image / 255.0  # 0-255 floats would be clipped to white
    return image, ("gray" if image.ndim == 2 else None)


def show_images(
    images: Sequence[Any],
    titles: Sequence[str] | None = None,
    *,
    num_cols: int | None = None,
    scale: float = 2.5,
) -> plt.Figure:
    """Draw images in a grid with optional titles.

    Parameters
    ----------
    images : sequence of array-like
        ``(H, W, 3)`` RGB or ``(H, W)`` grayscale; ``uint8`` or floats in
        [0, 1] (floats in 0–255 are rescaled rather than clipped white).
    titles : sequence of str, optional
        One per image.
    num_cols : int, optional
        Columns of the grid (see `grid_shape`).
    scale : float, optional
        Inches per picture.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, one axis per grid cell (unused cells are blank).

    Raises
    ------
    ValueError
        If there are no images or the number of titles differs.

    Examples
    --------
    >>> fig = show_images([np.zeros((4, 4, 3))] * 3, titles=["a", "b", "c"])
    >>> [ax.get_title() for ax in fig.axes if ax.images]
    ['a', 'b', 'c']
    >>> plt.close(fig)
    """
    if titles is not None and len(titles) != len(images):
        raise BadInput(
            f"Got {len(images)} images but {len(titles)} titles; give one title per image."
        )
    num_rows, num_cols = grid_shape(len(images), num_cols)
    fig, axes = plt.subplots(
        num_rows, num_cols, figsize=(num_cols * scale, num_rows * scale), squeeze=False
    )
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index < len(images):
            image, cmap = _displayable(images[index])
            if cmap:  # grayscale: fix the range so a dark image is not stretched
                ax.imshow(image, cmap=cmap, vmin=0, vmax=255 if image.dtype == np.uint8 else 1)
            else:
                ax.imshow(image)
            if titles is not None:
                ax.set_title(titles[index], fontsize=_title_size(titles[index], scale))
    fig.tight_layout()
    return fig


def label_names(labels: Any, class_indices: Mapping[str, int] | None = None) -> list[str]:
    """Turn a batch's labels into class names.

    Parameters
    ----------
    labels : array-like
        Integer class indices (``class_mode="sparse"``), floats holding integers,
        or one-hot rows (``class_mode="categorical"``).
    class_indices : mapping, optional
        ``{class name: index}`` as in ``iterator.class_indices``; without it
        the index itself is shown.

    Returns
    -------
    list of str
        One name per label.

    Raises
    ------
    ValueError
        If a label has no class in `class_indices`.

    Examples
    --------
    >>> label_names([0.0, 1.0], {"Kirmizi": 0, "Siirt": 1})
    ['Kirmizi', 'Siirt']
    >>> label_names([[0, 1]], {"Kirmizi": 0, "Siirt": 1})
    ['Siirt']
    >>> label_names([2])
    ['2']
    """
    labels = np.asarray(labels)
    indices = labels.argmax(axis=1) if labels.ndim == 2 else labels.astype(int)
    if class_indices is None:
        return [str(i) for i in indices]
    names = {index: name for name, index in class_indices.items()}
    unknown = sorted(set(indices.tolist()) - names.keys())
    if unknown:
        raise BadInput(f"Labels {unknown} have no class in class_indices {dict(class_indices)}.")
    return [names[i] for i in indices]


def show_batch(
    batch: Any,
    class_indices: Mapping[str, int] | None = None,
    *,
    num_cols: int | None = None,
    scale: float = 2.5,
) -> plt.Figure:
    """Draw one batch: an ``(X, y)`` pair, or ``X`` alone (e.g. a test batch).

    Parameters
    ----------
    batch : tuple or array-like
        ``(X, y)`` with ``X`` of shape ``(N, H, W, C)``; or just ``X``.
    class_indices : mapping, optional
        ``{class name: index}`` used to title each image with its class.
    num_cols : int, optional
        Columns of the grid; any batch size fits.
    scale : float, optional
        Inches per picture.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Notes
    -----
    Introduced in notebook 05 as the fixed version of the blog post's
    ``show_generator_images``.

    Examples
    --------
    >>> X, y = np.zeros((3, 8, 8, 3)), np.array([0.0, 1.0, 1.0])
    >>> fig = show_batch((X, y), {"Kirmizi": 0, "Siirt": 1})
    >>> [ax.get_title() for ax in fig.axes if ax.images]
    ['Kirmizi', 'Siirt', 'Siirt']
    >>> plt.close(fig)
    """
    if isinstance(batch, tuple | list) and len(batch) == 2:
        X, y = batch
        titles = label_names(y, class_indices)
    else:
        X, titles = batch, None
    return show_images(list(X), titles, num_cols=num_cols, scale=scale)


def show_generator_images(generator: Any, *, num_cols: int | None = None) -> plt.Figure:
    """Take the next batch from a Keras iterator and draw it with class names.

    Parameters
    ----------
    generator : iterator
        A ``DirectoryIterator`` (or anything that ``next()`` works on and that
        may have ``class_indices``).
    num_cols : int, optional
        Columns of the grid.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> batches = iter([(np.ones((2, 8, 8, 3)), np.array([1, 0]))])
    >>> fig = show_generator_images(batches)
    >>> [ax.get_title() for ax in fig.axes if ax.images]
    ['1', '0']
    >>> plt.close(fig)
    """
    batch = next(generator)  # Keras 3 iterators have no .next() method
    return show_batch(batch, getattr(generator, "class_indices", None), num_cols=num_cols)


def plot_memory(rows: Sequence[Mapping[str, int]]) -> plt.Figure:
    """Plot peak memory against the number of images for a list and a generator.

    Parameters
    ----------
    rows : sequence of mapping
        As returned by `helpers.generators.measure_memory`.

    Returns
    -------
    matplotlib.figure.Figure
        A line chart in megabytes.

    Examples
    --------
    >>> fig = plot_memory([{"images": 1, "list_bytes": 2e6, "generator_bytes": 2e6},
    ...                    {"images": 4, "list_bytes": 8e6, "generator_bytes": 2e6}])
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['list of images', 'generator']
    >>> plt.close(fig)
    """
    counts = [row["images"] for row in rows]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    list_mb = [row["list_bytes"] / 1e6 for row in rows]
    ax.plot(counts, list_mb, "o-", color=COLOURS[0], label="list of images")
    ax.plot(
        counts,
        [row["generator_bytes"] / 1e6 for row in rows],
        "s--",
        color=COLOURS[1],
        label="generator",
    )
    ax.set_xlabel("number of images")
    ax.set_ylabel("peak memory (MB)")
    ax.set_title("Decoding N images and averaging them")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_benchmark(result: Mapping[str, Any]) -> plt.Figure:
    """Bar charts of a benchmark run: loaders alone, and loaders feeding a network.

    Parameters
    ----------
    result : mapping
        From `helpers.plumbing.bench.run_benchmark`.

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal bars, fastest at the top, labelled with their speed (on a log scale when
        the fastest is over 20 times the slowest, as a warm cache is); a second panel for
        ``training_images_per_second`` when the run has it.

    Examples
    --------
    >>> fig = plot_benchmark({"images_per_second": {"a": 10.0, "b": 30.0},
    ...                       "config": {"images": 400, "cores": 2}})
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['a', 'b']
    >>> plt.close(fig)
    """
    config = result.get("config", {})
    trained = result.get("training_images_per_second") or {}
    panels = [("images_per_second", True)]  # (result key, loaders alone?)
    if trained:
        panels.append(("training_images_per_second", False))
    heights = [len(result[key]) for key, _ in panels]
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(7, 0.45 * sum(heights) + 1.6 * len(panels)),
        height_ratios=heights,
        squeeze=False,
    )
    for ax, (key, loaders_alone) in zip(axes[:, 0], panels, strict=True):
        speeds = sorted(result[key].items(), key=lambda kv: kv[1])
        names, values = [n for n, _ in speeds], [v for _, v in speeds]
        bars = ax.barh(names, values, color=COLOURS[0] if loaders_alone else COLOURS[1])
        ax.bar_label(bars, fmt="%.0f", padding=3)
        if loaders_alone:
            if max(values) > 20 * min(values):  # a warm cache can be 100x faster than decoding
                ax.set_xscale("log")
                ax.set_xlim(min(values) / 2, max(values) * 3)
                ax.set_xlabel("images per second (median, log scale)")
            else:
                ax.set_xlim(0, max(values) * 1.2)
                ax.set_xlabel("images per second (median)")
            ax.set_title(
                f"Loaders alone: {config.get('images', '?')} images, "
                f"{config.get('cores', '?')} cores"
            )
        else:
            ax.set_xlim(0, max(values) * 1.2)
            ax.set_xlabel("images per second through model.fit (median)")
            size = config.get("train_image_size", "?")
            ax.set_title(f"Feeding lesson 07's network ({size}×{size} images)")
    fig.tight_layout()
    return fig


def plot_history(history: Mapping[str, Sequence[float]]) -> plt.Figure:
    """Learning curves: loss and accuracy per epoch, training against validation.

    Parameters
    ----------
    history : mapping
        ``model.fit(...).history``: ``loss``, ``accuracy`` and their ``val_`` twins.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels.

    Examples
    --------
    >>> fig = plot_history({"loss": [1, .5], "val_loss": [1, .6],
    ...                     "accuracy": [.5, .8], "val_accuracy": [.5, .7]})
    >>> [ax.get_title() for ax in fig.axes]
    ['loss', 'accuracy']
    >>> plt.close(fig)
    """
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for ax, metric in zip(axes, ("loss", "accuracy"), strict=True):
        epochs = range(1, len(history[metric]) + 1)
        ax.plot(epochs, history[metric], "o-", color=COLOURS[0], label="training")
        if f"val_{metric}" in history:
            ax.plot(epochs, history[f"val_{metric}"], "s--", color=COLOURS[1], label="validation")
        ax.set_title(metric)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_confusion_matrix(matrix: Any, class_names: Sequence[str]) -> plt.Figure:
    """Draw a confusion matrix with its counts.

    Parameters
    ----------
    matrix : array-like of int
        Rows are true classes, columns predicted ones.
    class_names : sequence of str
        One per row.

    Returns
    -------
    matplotlib.figure.Figure
        The matrix as an image with the counts written in.

    Examples
    --------
    >>> fig = plot_confusion_matrix([[5, 1], [0, 4]], ["Kirmizi", "Siirt"])
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['0', '1', '4', '5']
    >>> plt.close(fig)
    """
    matrix = np.asarray(matrix)
    size = max(3.5, 0.9 * len(class_names) + 1.5)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(matrix, cmap="Blues")
    ticks = range(len(class_names))
    ax.set_xticks(ticks, class_names, rotation=45, ha="right")
    ax.set_yticks(ticks, class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    threshold = matrix.max() / 2 if matrix.size else 0
    for (row, col), count in np.ndenumerate(matrix):
        colour = "white" if count > threshold else "black"
        ax.text(col, row, str(count), ha="center", va="center", color=colour)
    fig.tight_layout()
    return fig
