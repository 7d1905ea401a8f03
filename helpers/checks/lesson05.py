"""Self-checks of lesson 05, Plotting batches (see `helpers.checks`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from helpers.checks import answered, check, passed, require

__all__ = ["exercise_5_1", "exercise_5_2"]


def _cases() -> list[tuple[Any, dict[str, int], list[str]]]:
    """Labels (floats, as Keras gives them), class_indices and the right titles.

    The classes are numbered neither in alphabetical order nor in the dictionary's order.
    """
    moths = {"moth": 2, "zebra": 0, "ant": 1}
    nuts = {"Siirt": 3, "antep": 0, "Kirmizi": 1, "10": 2}
    return [
        (np.array([2.0, 0.0, 1.0, 1.0], np.float32), moths, ["moth", "zebra", "ant", "ant"]),
        ([3.0, 1.0, 0.0, 3.0, 2.0], nuts, ["Siirt", "Kirmizi", "antep", "Siirt", "10"]),
        (np.array([1.0, 1.0, 0.0]), {"Kirmizi": 0, "Siirt": 1}, ["Siirt", "Siirt", "Kirmizi"]),
        (np.array([], np.float32), moths, []),
    ]


@check
def exercise_5_1(batch_titles: Callable) -> None:
    """Exercise 5.1: ``batch_titles(labels, class_indices)``, a batch's labels as class names.

    The check tries it on labels and class numberings of its own: three and four classes,
    numbered neither alphabetically nor in the dictionary's order, labels as floats.

    Examples
    --------
    >>> def batch_titles(labels, class_indices):
    ...     index_to_name = {index: name for name, index in class_indices.items()}
    ...     return [index_to_name[int(label)] for label in labels]
    >>> exercise_5_1(batch_titles)
    Exercise 5.1: passed
    >>> in_dictionary_order = lambda labels, class_indices: [
    ...     list(class_indices)[int(label)] for label in labels]
    >>> exercise_5_1(in_dictionary_order)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: with class_indices {'moth': 2, 'zebra': 0, 'ant': 1}, ...
    """
    answered(batch_titles=batch_titles)
    require(callable(batch_titles), "batch_titles should be a function: def batch_titles(...):")
    for labels, class_indices, right in _cases():
        shown = np.asarray(labels).tolist()
        try:
            titles = batch_titles(labels, dict(class_indices))
        except Exception as error:
            hint = (
                "The labels are floats: int(label) turns 2.0 into 2."
                if isinstance(error, TypeError)
                else "Look each name up in class_indices turned around, {index: name}."
            )
            require(
                False,
                f"batch_titles({shown}, {class_indices}) raised {type(error).__name__}: "
                f"{error}. {hint}",
            )
        require(
            isinstance(titles, Sequence | np.ndarray) and not isinstance(titles, str),
            f"batch_titles should return a list of names, not {titles!r}.",
        )
        titles = [str(title) for title in titles]
        require(
            titles == right,
            f"with class_indices {class_indices}, the labels {shown} are {right}; batch_titles "
            f"gave {titles}. Look each name up by its number (the dictionary's values), not "
            "by where it stands in the dictionary or in alphabetical order.",
        )
    passed("5.1")


def _wanted_class(class_indices: Mapping[str, int], classes: Any) -> int:
    """The class with the most images (the last of them on a tie), as lesson 05 picks it.

    Examples
    --------
    >>> _wanted_class({"a": 0, "b": 1, "c": 2}, [0, 1, 1, 2, 2, 0])
    2
    """
    counts = np.bincount(np.asarray(classes, int), minlength=len(class_indices))
    return int(np.flatnonzero(counts == counts.max())[-1])


def _key(image: Any) -> bytes:
    return np.round(np.asarray(image, np.float32), 3).tobytes()


def _true_classes(train: Any) -> dict[bytes, int]:
    """The pixels of each image of `train` → its label, read again without moving `train` on.

    ``_get_batches_of_transformed_samples`` is how a Keras iterator makes every batch
    (loading, resizing, rescaling); given the indices itself it leaves the epoch alone.
    """
    true_class = {}
    for start in range(0, train.n, 16):
        indices = np.arange(start, min(start + 16, train.n))
        X, y = train._get_batches_of_transformed_samples(indices)
        true_class.update({_key(image): int(label) for image, label in zip(X, y, strict=True)})
    return true_class


@check
def exercise_5_2(chosen: Any, fig: Any, train: Any) -> None:
    """Exercise 5.2: four images of class ``wanted`` drawn from `train`, and their plot.

    The check works out the wanted class from `train` as the lesson does,
    and reads every training image again, in a way that does not move `train` on, to find
    the true class of each chosen image.

    Examples
    --------
    >>> exercise_5_2(chosen, fig, train)  # doctest: +SKIP
    Exercise 5.2: passed (4 images of Siirt_Pistachio)
    """
    answered(chosen=chosen, fig=fig)
    from helpers import pipelines

    names = pipelines.class_names(train)
    wanted = _wanted_class(train.class_indices, train.classes)
    require(
        isinstance(chosen, list | tuple | np.ndarray),
        f"chosen should be a list of images, not {type(chosen).__name__}.",
    )
    require(len(chosen) == 4, f"chosen should hold exactly 4 images; it holds {len(chosen)}.")
    shape = tuple(train.image_shape)
    require(
        all(np.shape(image) == shape for image in chosen),
        f"each item of chosen should be one image of shape {shape}; you have "
        f"{[np.shape(image) for image in chosen]}.",
    )
    # Not four different images: a right answer can meet an image twice, when the iterator
    # starts a new epoch (reshuffled) before four images of the class have come by.
    require(
        len({_key(image) for image in chosen}) >= 2,
        "these look like copies of one image: take a new batch with next(train) inside the "
        "loop, and collect different images.",
    )
    true_class = _true_classes(train)
    found = [true_class.get(_key(image)) for image in chosen]
    require(
        found == [wanted] * 4,
        f"your four images belong to the classes {found}, not all to {wanted} "
        f"({names[wanted]}; None: not a training image). Keep only the images whose label "
        "in y is wanted.",
    )
    try:
        titles = [ax.get_title() for ax in fig.axes if ax.images]
    except (AttributeError, TypeError):
        titles = None
    require(titles is not None, "fig should be the figure that plotting.show_images returns.")
    require(
        titles == [names[wanted]] * 4,
        f"the plot's titles are {titles}; title each of the 4 images with the class name, "
        "train_names[wanted].",
    )
    passed("5.2", f"4 images of {names[wanted]}")
