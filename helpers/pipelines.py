"""Keras ``ImageDataGenerator`` pipelines (lesson 04, *ImageDataGenerator*).

This is the only module that imports TensorFlow, and it does so inside the
functions, so ``import helpers`` stays fast and TensorFlow's start-up logs are
already silenced by then (see ``helpers/__init__.py``).

``ImageDataGenerator`` is deprecated in Keras 3 (it lives on as
``tf.keras.preprocessing.image.ImageDataGenerator``); it is taught because
most existing code and tutorials use it. Lesson 06 shows its replacement.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from typing import Any

__all__ = ["class_names", "image_generators"]


def image_generators(
    train_dir: str | Path,
    test_dir: str | Path,
    *,
    image_size: int | tuple[int, int] = 356,
    batch_size: int = 5,
    validation_split: float = 0.2,
    seed: int = 42,
    verbose: bool = True,
) -> tuple[Any, Any, Any]:
    """Train, validation and test iterators over class-per-folder directories.

    Parameters
    ----------
    train_dir : str or pathlib.Path
        Class-per-folder training images; `validation_split` of each class is
        held out as the validation subset.
    test_dir : str or pathlib.Path
        Class-per-folder test images (labels are not returned for these).
    image_size : int or (int, int), optional
        Every image is resized to this (height, width).
    batch_size : int, optional
        Images per training and validation batch; test batches hold one image.
    validation_split : float, optional
        Fraction of each training class used for validation, in (0, 1).
    seed : int, optional
        Seed of the training shuffle.
    verbose : bool, optional
        Let Keras print "Found N images belonging to K classes." for each.

    Returns
    -------
    train, validation, test : DirectoryIterator
        Keras iterators; ``next(train)`` gives ``(X, y)`` with ``X`` of shape
        ``(batch_size, height, width, 3)`` in [0, 1] and ``y`` integer class
        indices; ``next(test)`` gives ``X`` only, in file order.

    Raises
    ------
    ValueError
        If a directory has fewer than 2 classes, or `validation_split` is not
        in (0, 1).

    Notes
    -----
    The tidied version of the blog post's ``image_generator()`` written in
    notebook 04. Keras takes the *first* `validation_split` of each class in
    file-name order as validation data; `seed` does not change which files.

    Examples
    --------
    >>> from helpers import paths, split
    >>> work = tmp_path
    >>> _ = split.split_dataset(paths.SAMPLE_DIR, work / "split")
    >>> train, val, test = image_generators(work / "split/train", work / "split/val",
    ...                                     image_size=64, verbose=False)
    >>> X, y = next(train)
    >>> X.shape, train.class_indices
    ((5, 64, 64, 3), {'Kirmizi_Pistachio': 0, 'Siirt_Pistachio': 1})
    """
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    from helpers import files

    if not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be between 0 and 1, got {validation_split}.")
    size = (image_size, image_size) if isinstance(image_size, int) else tuple(image_size)
    classes = {
        folder: files.require_classes(folder) for folder in (Path(train_dir), Path(test_dir))
    }
    # Pass the class lists explicitly: Keras would otherwise take hidden folders
    # such as .ipynb_checkpoints as classes too.
    size_and_order = {"target_size": size, "keep_aspect_ratio": False}
    datagen = ImageDataGenerator(rescale=1 / 255, validation_split=validation_split)
    with contextlib.redirect_stdout(sys.stdout if verbose else io.StringIO()):
        train, validation = (
            datagen.flow_from_directory(
                str(train_dir),
                classes=classes[Path(train_dir)],
                batch_size=batch_size,
                class_mode="sparse",
                subset=subset,
                shuffle=subset == "training",
                seed=seed,
                **size_and_order,
            )
            for subset in ("training", "validation")
        )
        test = ImageDataGenerator(rescale=1 / 255).flow_from_directory(
            str(test_dir),
            classes=classes[Path(test_dir)],
            batch_size=1,
            class_mode=None,
            shuffle=False,
            **size_and_order,
        )
    return train, validation, test


def class_names(iterator: Any) -> list[str]:
    """Class names in label order, from an iterator's ``class_indices``.

    Parameters
    ----------
    iterator : DirectoryIterator or similar
        Anything with a ``class_indices`` dict ``{name: index}``.

    Returns
    -------
    list of str
        ``names[i]`` is the class with label ``i``.

    Examples
    --------
    >>> class FakeIterator:
    ...     class_indices = {"Siirt": 1, "Kirmizi": 0}
    >>> class_names(FakeIterator())
    ['Kirmizi', 'Siirt']
    """
    return [name for name, _ in sorted(iterator.class_indices.items(), key=lambda kv: kv[1])]
