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

from helpers import BadInput

__all__ = [
    "CACHE_MODES",
    "JPEG_RATIOS",
    "class_names",
    "decode_for_size",
    "disable_autotune",
    "image_dataset",
    "image_generators",
    "jpeg_ratio",
    "list_labelled_files",
]

#: Where `image_dataset` may cache decoded images: nowhere, as uint8, or as float32.
CACHE_MODES = (None, "uint8", "float32")

#: The sizes a JPEG can be decoded at directly (libjpeg's DCT scaling): 1/1, 1/2, 1/4, 1/8.
JPEG_RATIOS = (1, 2, 4, 8)


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
    >>> _ = split.split_dataset(paths.SAMPLE_DIR, work / "split", ratio=(0.7, 0.15, 0.15))
    >>> train, val, test = image_generators(work / "split/train", work / "split/test",
    ...                                     image_size=64, verbose=False)
    >>> X, y = next(train)
    >>> X.shape, train.class_indices
    ((5, 64, 64, 3), {'Kirmizi_Pistachio': 0, 'Siirt_Pistachio': 1})
    """
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    from helpers import files

    if not 0 < validation_split < 1:
        raise BadInput(f"validation_split must be between 0 and 1, got {validation_split}.")
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


def list_labelled_files(
    folder: str | Path, class_names: list[str] | None = None
) -> tuple[list[str], list[int], list[str]]:
    """Image paths and integer labels of a class-per-folder dataset, in Keras' order.

    Parameters
    ----------
    folder : str or pathlib.Path
        Class-per-folder images.
    class_names : list of str, optional
        Classes to use, in label order; by default the visible sub-folders sorted
        as Keras sorts them (hidden folders such as ``.ipynb_checkpoints`` are skipped).

    Returns
    -------
    paths, labels, class_names : list
        File paths (sorted within each class), their labels, and the class names.

    Examples
    --------
    >>> from helpers import paths
    >>> files_, labels, names = list_labelled_files(paths.SAMPLE_DIR)
    >>> len(files_), labels[0], labels[-1], names
    (60, 0, 1, ['Kirmizi_Pistachio', 'Siirt_Pistachio'])
    """
    from helpers import files

    folder = Path(folder)
    names = class_names or files.require_classes(folder)
    found, labels = [], []
    for label, name in enumerate(names):
        for path in files.list_images(folder / name):
            found.append(str(path))
            labels.append(label)
    return found, labels, list(names)


def disable_autotune(dataset: Any) -> Any:
    """Switch off the autotune thread of a ``tf.data`` pipeline, keeping its parallelism.

    Parameters
    ----------
    dataset : tf.data.Dataset
        Any dataset, e.g. one from ``keras.utils.image_dataset_from_directory``.

    Returns
    -------
    tf.data.Dataset
        The same elements, with ``options().autotune.enabled`` False.

    Notes
    -----
    By default ``tf.data`` runs an autotune thread in the background that wakes
    up 10, 30, 70, 150, 310, ... ms after an epoch starts (the gap doubles, up
    to a minute). With TensorFlow 2.21 the end of an epoch often waits for its
    next wake-up instead of interrupting it. On 2 CPU cores we measured the
    clean-up stalling after about half of the 0.4 s epochs (0.2 s each) and
    after all five 3 s epochs (1.8-2.3 s each); ``model.fit`` took 1.8x as long.
    With the thread off, ``num_parallel_calls=AUTOTUNE`` means one call per
    core and ``prefetch(AUTOTUNE)`` grows its buffer as needed: on a CPU that is
    as fast, without the stall. ``python -m helpers bench`` measures both
    (variants "tf.data" and "tf.data, default autotune"). Lesson 06 explains it.

    Examples
    --------
    >>> import tensorflow as tf
    >>> dataset = disable_autotune(tf.data.Dataset.range(3))
    >>> dataset.options().autotune.enabled, [int(x) for x in dataset]
    (False, [0, 1, 2])
    """
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


def jpeg_ratio(height: int, width: int, size: int | tuple[int, int]) -> int:
    """The largest of `JPEG_RATIOS` that still decodes a JPEG to at least `size` on both sides.

    Parameters
    ----------
    height, width : int
        The JPEG's size, as stored in its header.
    size : int or (int, int)
        The (height, width) the image will be resized to; an int for a square.

    Returns
    -------
    int
        1, 2, 4 or 8. A JPEG decoded at ratio ``r`` is ``ceil(height / r) × ceil(width / r)``.

    Notes
    -----
    The rule `decode_for_size` applies inside TensorFlow's graph, in plain Python: the
    OpenCV loop of ``python -m helpers bench`` uses it to choose ``cv2.IMREAD_REDUCED_COLOR_N``.

    Examples
    --------
    >>> jpeg_ratio(3000, 4000, 160), jpeg_ratio(600, 600, 224), jpeg_ratio(600, 600, 400)
    (8, 2, 1)
    """
    target_height, target_width = (size, size) if isinstance(size, int) else size
    for ratio in sorted(JPEG_RATIOS, reverse=True):
        if -(-height // ratio) >= target_height and -(-width // ratio) >= target_width:
            return ratio
    return 1


def decode_for_size(contents: Any, size: int | tuple[int, int]) -> Any:
    """Decode an image file's bytes as RGB, a JPEG directly at the smallest size it needs.

    Parameters
    ----------
    contents : tf.Tensor of string
        The file's bytes, from ``tf.io.read_file``.
    size : int or (int, int)
        The (height, width) the image will be resized to next; an int for a square.

    Returns
    -------
    tf.Tensor of uint8
        ``(height, width, 3)``. A JPEG comes out at 1/1, 1/2, 1/4 or 1/8 of its size, the
        smallest of these that is still at least `size` on both sides (`jpeg_ratio`); any
        other format, or a JPEG too small to shrink, at its full size.

    Notes
    -----
    A JPEG stores blocks of 8×8 frequencies, and libjpeg can turn each block into 4×4, 2×2
    or 1×1 pixels instead of 8×8 (its *DCT scaling*): a 12-megapixel phone photo going to
    160×160 is then decoded as 500×375 pixels, 1/64 of the memory, instead of all 12 million
    pixels of which the resize keeps 0.2 % (the time falls far less, as libjpeg still unpacks
    every byte of the file: 26 ms instead of 36 for a 3.3 MB photo on one core). The size is
    read from the JPEG's header (``tf.image.extract_jpeg_shape``, no decoding), JPEG or not
    from the first bytes (``tf.io.is_jpeg``); ``tf.io.decode_jpeg`` needs its ratio as a
    Python number, so ``tf.switch_case`` picks one of four decoders in the graph.

    Resized, the result differs from a full decode by about 1 grey level (of 255) on average
    on the bundled sample and 4 on a noisy 12-megapixel photo: decoded at 1/8, each 8×8 block
    becomes its average, where a bilinear resize of the full photo takes 4 pixels of every
    area and keeps their noise. Of the two, the reduced decode is the closer to an exact area
    average (``tests/test_pipelines.py`` measures both).

    Examples
    --------
    >>> import tensorflow as tf
    >>> from helpers import paths
    >>> contents = tf.io.read_file(str(paths.sample_image()))  # 600 x 600 JPEG
    >>> [tuple(decode_for_size(contents, n).shape) for n in (64, 224, 400)]
    [(75, 75, 3), (300, 300, 3), (600, 600, 3)]
    """
    import tensorflow as tf

    target_height, target_width = (size, size) if isinstance(size, int) else size
    ratios = sorted(JPEG_RATIOS)

    def full():
        return tf.io.decode_image(contents, channels=3, expand_animations=False)

    def reduced():
        shape = tf.image.extract_jpeg_shape(contents)  # (height, width, channels), header only
        fits = [  # ceil(side / ratio) >= target on both sides, for ratios 2, 4, 8
            tf.logical_and(
                (shape[0] + ratio - 1) // ratio >= target_height,
                (shape[1] + ratio - 1) // ratio >= target_width,
            )
            for ratio in ratios[1:]
        ]
        index = tf.add_n([tf.cast(fit, tf.int32) for fit in fits])  # 0..3: how many fit
        decoders = [
            lambda ratio=ratio: tf.io.decode_jpeg(contents, channels=3, ratio=ratio)
            for ratio in ratios
        ]
        return tf.switch_case(index, decoders)

    return tf.cond(tf.io.is_jpeg(contents), reduced, full)


def image_dataset(
    folder: str | Path,
    *,
    image_size: int = 224,
    batch_size: int = 32,
    shuffle: bool = False,
    seed: int = 42,
    cache: str | None = None,
    class_names: list[str] | None = None,
    autotune: bool = False,
    reduced_decode: bool = True,
) -> tuple[Any, list[str]]:
    """A tuned ``tf.data`` pipeline: list files, decode and resize in parallel, batch, prefetch.

    Parameters
    ----------
    folder : str or pathlib.Path
        Class-per-folder images.
    image_size : int, optional
        Images are resized (bilinear) to ``image_size × image_size``.
    batch_size : int, optional
        Images per batch; the last batch may be smaller.
    shuffle : bool, optional
        Shuffle the files, differently in every epoch (seeded). Leave False for
        evaluation, so that predictions and labels come from the same order.
    seed : int, optional
        Seed of the shuffle.
    cache : {None, "uint8", "float32"}, optional
        Keep decoded images in memory after the first epoch. ``"uint8"`` caches
        the resized pixels (1 byte each) and converts to float afterwards, using
        a quarter of the memory of ``"float32"``.
    class_names : list of str, optional
        Classes in label order (default: sorted visible sub-folders).
    autotune : bool, optional
        Keep TensorFlow's autotune thread running (its default). Off here,
        because it stalls the end of many epochs; see `disable_autotune`.
    reduced_decode : bool, optional
        Decode each JPEG directly at 1/2, 1/4 or 1/8 of its size when that is still at
        least ``image_size`` on both sides (`decode_for_size`); other formats, and
        JPEGs too small to shrink, are decoded in full. False decodes every image in
        full, as ``image_dataset_from_directory`` does (for comparisons).

    Returns
    -------
    dataset : tf.data.Dataset
        Yields ``(X, y)``: ``X`` float32 in [0, 1] of shape
        ``(batch, image_size, image_size, 3)``, ``y`` int32 labels.
    class_names : list of str
        ``class_names[y]`` is the class of label ``y``.

    Raises
    ------
    ValueError
        If `cache` is not one of `CACHE_MODES`, or the folder has fewer than 2 classes.

    Notes
    -----
    Introduced in notebook 06, where it is written step by step. Unlike the notebook's
    pipeline it decodes JPEGs at the smallest size the resize needs (`reduced_decode`):
    a resize to a few hundred pixels keeps about 0.2 % of a 12-megapixel phone photo, so
    the other 99.8 % need not be decoded and held in memory. Measured on 2 cores
    (2026-12-05; README, *How fast is each loader?*): 1.36× the images per second on
    12-megapixel JPEGs resized to 160×160 (decoded at 1/8: libjpeg still unpacks the whole
    file, which is most of the work), 1.13× on the 600×600 sample at 224×224 (at 1/2).
    PNGs, and JPEGs too small to shrink, are decoded as before.

    Examples
    --------
    >>> from helpers import paths
    >>> dataset, names = image_dataset(paths.SAMPLE_DIR, image_size=32, batch_size=8)
    >>> X, y = next(iter(dataset))
    >>> X.shape, X.dtype.name, y.numpy().tolist()
    (TensorShape([8, 32, 32, 3]), 'float32', [0, 0, 0, 0, 0, 0, 0, 0])
    """
    import tensorflow as tf

    if cache not in CACHE_MODES:
        raise BadInput(f"Incorrect value for `cache`: {cache!r}; expected one of {CACHE_MODES}.")
    found, labels, names = list_labelled_files(folder, class_names)
    parallel = tf.data.AUTOTUNE  # one call per core when the autotune thread is off
    size = (image_size, image_size)

    def load(path, label):
        raw = tf.io.read_file(path)
        if reduced_decode:  # a JPEG at 1/2, 1/4 or 1/8 of its size, if still >= size
            image = decode_for_size(raw, size)
        else:
            image = tf.io.decode_image(raw, channels=3, expand_animations=False)
        image = tf.image.resize(image, size, method="bilinear")  # float32, 0-255
        if cache == "uint8":
            return tf.cast(tf.round(image), tf.uint8), label  # 1 byte per value in the cache
        return image / 255.0, label

    def to_unit_range(images, labels):  # on whole batches: one operation, not one per image
        return tf.cast(images, tf.float32) * (1 / 255), labels  # multiplying beats dividing

    def shuffled(dataset):
        return dataset.shuffle(len(found), seed=seed, reshuffle_each_iteration=True)

    dataset = tf.data.Dataset.from_tensor_slices((found, tf.constant(labels, tf.int32)))
    if shuffle and cache is None:
        dataset = shuffled(dataset)  # shuffle file names: cheap, nothing decoded is held
    dataset = dataset.map(load, num_parallel_calls=parallel)
    if cache is not None and shuffle:
        dataset = shuffled(dataset.cache())  # after the cache, or every epoch repeats one order
    dataset = dataset.batch(batch_size)
    if cache is not None and not shuffle:
        dataset = dataset.cache()  # whole batches: reading them back needs no re-batching
    if cache == "uint8":
        dataset = dataset.map(to_unit_range, num_parallel_calls=parallel)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    return (dataset if autotune else disable_autotune(dataset)), names
