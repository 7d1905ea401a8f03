"""The lessons' three concept figures, drawn with Matplotlib and embedded in the notebooks.

Each figure is a Markdown cell of its own (cell id ``figure-NAME``) holding one image as a
``data:`` URI, with alt text, so that it shows wherever the notebook goes: JupyterLab, Colab,
the learner edition, executed copies and the website, with no file beside the notebook::

    .venv/bin/python -m tools.figures          # redraw all three into notebooks/
    .venv/bin/python -m helpers editions       # then carry them into learner/

A figure cell that does not exist yet is put before the lesson cell its `Figure` names.
"""

from __future__ import annotations

import base64
import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402

from helpers import paths  # noqa: E402

BLUE, GREEN, RED, INK, PAPER = "#4477aa", "#228833", "#cc3311", "#222222", "#f4f4f4"


def _arrow(ax, start, end, text="", offset=(0, 0), **kwargs) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=INK))
    if text:
        middle = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*middle, text, ha="center", va="center", fontsize=10, **kwargs)


def draw_image_axes() -> plt.Figure:
    """An image array: rows (axis 0), columns (axis 1), channels (axis 2)."""
    fig, ax = plt.subplots(figsize=(9.5, 4.2))
    rows, cols, cell = 4, 5, 0.6
    for depth, (name, colour) in enumerate(zip("RGB", (RED, GREEN, BLUE), strict=True)):
        dx, dy = 0.35 * (2 - depth), 0.35 * (2 - depth)
        for r in range(rows):
            for c in range(cols):
                ax.add_patch(
                    Rectangle(
                        (1 + c * cell + dx, 1 + (rows - 1 - r) * cell + dy), cell, cell,
                        facecolor=colour, alpha=0.35 + 0.2 * depth, edgecolor="white", lw=1.5,
                    )
                )  # fmt: skip
        ax.text(1 + cols * cell + dx + 0.1, 1 + rows * cell + dy - 0.3, name, color=colour,
                fontsize=12, weight="bold")  # fmt: skip
    _arrow(ax, (0.75, 1 + rows * cell), (0.75, 1), "axis 0:\nrows\n(height)", offset=(-0.45, 0))
    _arrow(ax, (1, 0.75), (1 + cols * cell, 0.75), "axis 1: columns (width)", offset=(0, -0.3))
    right = 1 + cols * cell
    _arrow(ax, (right + 0.1, 0.85), (right + 0.75, 1.5))
    ax.text(right + 0.85, 1.0, "axis 2:\nchannels", fontsize=10, va="center")
    notes = [
        "img.shape == (height, width, channels)",
        "the pistachio photos: (600, 600, 3)",
        "",
        "img[row, column] is one pixel:",
        "3 numbers, one per channel,",
        "each 0–255 (dtype uint8)",
        "",
        "img[..., 0] is one channel:",
        "a 2-D array, drawn in gray",
        "",
        "order of the channels:",
        "OpenCV  B, G, R",
        "Matplotlib, Pillow, Keras  R, G, B",
    ]
    ax.text(6.4, 3.9, "\n".join(notes), fontsize=10, va="top", family="monospace")
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 4.2)
    ax.axis("off")
    return fig


def _box(ax, x, y, width, title, body, colour) -> None:
    ax.add_patch(Rectangle((x, y), width, 1.6, facecolor=colour, alpha=0.18, edgecolor=colour))
    ax.text(x + width / 2, y + 1.35, title, ha="center", va="top", fontsize=10.5, weight="bold")
    ax.text(x + width / 2, y + 0.9, body, ha="center", va="top", fontsize=9, linespacing=1.4)


def draw_pipeline() -> plt.Figure:
    """Folders to model: dataset, split, loader, batch, model, with the lessons of each."""
    fig, ax = plt.subplots(figsize=(11, 2.6))
    steps = [
        ("dataset (03)", "one folder per class\nKirmizi_Pistachio/\nSiirt_Pistachio/", INK),
        ("split (03, 04)", "train/  val/ (test/)\neach with the\nclass folders", GREEN),
        ("loader (04, 06)", "ImageDataGenerator\nor tf.data: read,\nresize, scale", BLUE),
        ("batch (02, 05)", "X: (B, H, W, 3)\nB images\ny: (B,) labels", RED),
        ("model (07)", "learns from\ntraining batches,\nscores each class", INK),
    ]
    width, gap = 1.95, 0.35
    for i, (title, body, colour) in enumerate(steps):
        x = 0.1 + i * (width + gap)
        _box(ax, x, 0.3, width, title, body, colour)
        if i:
            _arrow(ax, (x - gap + 0.02, 1.1), (x - 0.02, 1.1))
    ax.set_xlim(0, 0.2 + len(steps) * (width + gap) - gap)
    ax.set_ylim(0, 2.1)
    ax.axis("off")
    return fig


def draw_network() -> plt.Figure:
    """Lesson 07's network at 64 × 64 pixels: the layers and the shape after each."""
    fig, ax = plt.subplots(figsize=(10, 3.4))
    layers = [
        ("input", "64 × 64 × 3", INK, 1.0),
        ("flip, rotate\n(training only)", "64 × 64 × 3", INK, 1.0),
        ("Conv2D 16\n+ MaxPooling", "32 × 32 × 16", BLUE, 0.85),
        ("Conv2D 32\n+ MaxPooling", "16 × 16 × 32", BLUE, 0.65),
        ("Conv2D 48\n+ MaxPooling", "8 × 8 × 48", BLUE, 0.45),
        ("GlobalAverage-\nPooling2D", "48 numbers", GREEN, 0.3),
        ("Dense", "one score\nper class", RED, 0.2),
    ]
    width, gap = 1.05, 0.35
    for i, (name, shape, colour, height) in enumerate(layers):
        x = 0.1 + i * (width + gap)
        top = 1.6 + height
        ax.add_patch(
            Rectangle(
                (x, 1.6 - height), width, 2 * height, facecolor=colour, alpha=0.2, edgecolor=colour
            )  # fmt: skip
        )
        ax.text(x + width / 2, top + 0.12, name, ha="center", va="bottom", fontsize=9)
        ax.text(x + width / 2, 1.6, shape, ha="center", va="center", fontsize=8.5)
        if i:
            _arrow(ax, (x - gap + 0.02, 1.6), (x - 0.02, 1.6))
    ax.text(
        0.1, 0.1,
        "Each Conv2D slides small 3 × 3 filters over its input and makes one new channel per "
        "filter; each MaxPooling halves height and width.",
        fontsize=9, va="bottom",
    )  # fmt: skip
    ax.set_xlim(0, 0.2 + len(layers) * (width + gap) - gap)
    ax.set_ylim(0, 3.4)
    ax.axis("off")
    return fig


@dataclass(frozen=True)
class Figure:
    """One concept figure: how to draw it, where it goes, and its alt text."""

    name: str
    draw: Callable[[], plt.Figure]
    notebook: str
    before: str  # the start of the lesson cell the figure goes before, the first time
    alt: str
    caption: str


FIGURES = (
    Figure(
        "image-axes",
        draw_image_axes,
        "01_computer_vision_recap.ipynb",
        "Three numbers in the shape",
        "A colour image drawn as three stacked grids of 4 rows by 5 columns, red, green and "
        "blue: axis 0 runs down the rows (height), axis 1 along the columns (width), axis 2 "
        "through the three channels. Notes: img.shape is (height, width, channels), (600, 600, "
        "3) for the pistachio photos; one row and column pick one pixel, 3 numbers from 0 to 255; "
        "OpenCV orders the channels B, G, R and Matplotlib, Pillow and Keras R, G, B.",
        "An image array: rows, columns and channels.",
    ),
    Figure(
        "pipeline",
        draw_pipeline,
        "03_directory_split.ipynb",
        "## 1. Looking at the dataset",
        "Five boxes joined by arrows, left to right: a dataset with one folder per class "
        "(lesson 03); a split into train and val folders, and test from lesson 04 on (03, 04); a "
        "loader, ImageDataGenerator or tf.data, that reads, resizes and scales the images (04, "
        "06); a batch of B images X of shape (B, H, W, 3) and their B labels y (02, 05); a model "
        "that learns from the training batches and scores each class (07).",
        "The pipeline of the workshop: from folders to a model, and the lessons of each step.",
    ),
    Figure(
        "network",
        draw_network,
        "07_train_a_classifier.ipynb",
        "**Convolution blocks** find patterns",
        "Seven blocks joined by arrows, each labelled with the shape of its output: input "
        "64 by 64 by 3; random flip and rotation, in training only, 64 by 64 by 3; Conv2D with "
        "16 filters and max pooling, 32 by 32 by 16; Conv2D 32 and max pooling, 16 by 16 by "
        "32; Conv2D 48 and max pooling, 8 by 8 by 48; global average pooling, 48 numbers; "
        "Dense, one score per class. The blocks shrink from left to right.",
        "Lesson 07's network at 64 × 64 pixels, with the shape after each block.",
    ),
)


def png_data_uri(fig: plt.Figure) -> str:
    """The figure as a PNG ``data:`` URI (no metadata, so that redrawing is reproducible)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def figure_cell(figure: Figure) -> dict:
    """The Markdown cell holding `figure`: the image with its alt text, then its caption."""
    uri = png_data_uri(figure.draw())
    text = f"![{figure.alt}]({uri})\n\n*{figure.caption}*"
    return {
        "cell_type": "markdown",
        "id": f"figure-{figure.name}",
        "metadata": {},
        "source": text.splitlines(keepends=True),
    }


def embed(figure: Figure, folder: Path = paths.NOTEBOOKS_DIR) -> None:
    """Put `figure` into its notebook: replace its cell, or insert it the first time."""
    path = folder / figure.notebook
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    cell = figure_cell(figure)
    ids = [c.get("id") for c in cells]
    if cell["id"] in ids:
        cells[ids.index(cell["id"])] = cell
    else:
        starts = ["".join(c["source"]).lstrip() for c in cells]
        where = next((i for i, s in enumerate(starts) if s.startswith(figure.before)), None)
        if where is None:
            raise SystemExit(f"{figure.notebook}: no cell starts with {figure.before!r}")
        cells.insert(where, cell)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    for figure in FIGURES:
        embed(figure)
        print(f"{figure.notebook}: figure-{figure.name}")


if __name__ == "__main__":
    main()
