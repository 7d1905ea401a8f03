"""How fast can images reach a model? ``python -m helpers bench`` (lesson 06).

Two measurements, each made of medians and ratios measured side by side in one
run, never absolute limits:

1. **Loaders alone.** Every variant produces the same batches: images resized
   (bilinear) to ``image_size × image_size``, float32 in [0, 1], ``batch_size``
   per batch; two of them also augment (flip, rotation, zoom, shift). Two more
   decode each JPEG directly at the smallest size the resize needs (1/2, 1/4 or
   1/8, libjpeg's DCT scaling; `helpers.pipelines.decode_for_size`), the
   ``tf.data`` pipeline and the all-core OpenCV loop, so that their gain is
   measured against the same loaders decoding in full.
2. **Loaders feeding a model.** Images per second through ``model.fit`` for the
   network of lesson 07, fed by each loader and by images already in memory
   (the model's own speed): where a feed reaches that speed, the pipeline is no
   longer the bottleneck.

The variants run interleaved, round after round, so that a busy moment of the
machine hits them all alike.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from tqdm import tqdm  # plain bars: these run in a terminal, and tqdm.auto warns in notebooks

from helpers import BadInput, files, generators, images, models, outputs, paths, pipelines, startup
from helpers.plumbing import data

__all__ = [
    "AUGMENTATION",
    "CORE_LINES",
    "CORE_RATIOS",
    "TRAINING_FEEDS",
    "VARIANTS",
    "augmentation_layers",
    "augmenting_generator",
    "core_view",
    "MADE_BY",
    "MEMORY_LIST_BYTES",
    "MIN_PASS_IMAGES",
    "REDUCED_COLOR",
    "format_report",
    "load_reduced",
    "pass_size",
    "repeated_dataset",
    "run_benchmark",
    "save",
]

#: Variant names in the order they are reported.
VARIANTS = (
    "loop, 1 thread",
    "loop, all cores",
    "loop, all cores, reduced decode",
    "ImageDataGenerator",
    "image_dataset_from_directory",
    "tf.data",
    "tf.data, reduced decode",
    "tf.data, default autotune",
    "tf.data, cached uint8",
    "tf.data, cached float32",
    "ImageDataGenerator, augmented",
    "tf.data, augmented",
    "tf.data, augmented in one warp",
)

#: The lines lesson 06's core section 5 is about (`core_view`), in report order.
CORE_LINES = (
    "loop, 1 thread",
    "loop, all cores",
    "ImageDataGenerator",
    "image_dataset_from_directory",
    "tf.data",
    "tf.data, default autotune",
    "ImageDataGenerator, augmented",
    "tf.data, augmented",
)
#: The ratios it is about.
CORE_RATIOS = (
    "tf.data / ImageDataGenerator",
    "tf.data / ImageDataGenerator, augmented",
    "tf.data / loop, all cores",
)
_NOT_CORE = ("training_images_per_second", "training_rounds", "cache_megabytes", "memory_megabytes")

#: What feeds the lesson 07 network in the training measurement, in report order.
TRAINING_FEEDS = (
    "images in memory",
    "tf.data, cached uint8",
    "tf.data",
    "image_dataset_from_directory",
    "ImageDataGenerator",
)

#: The usual augmentation: random horizontal flips, rotations up to ±20°, zoom
#: by up to ±20 % and shifts by up to ±10 % of the width and height.
AUGMENTATION = {"rotation_degrees": 20, "zoom": 0.2, "shift": 0.1}

#: OpenCV's flags for decoding a JPEG at 1/ratio of its size, per ratio of
#: `helpers.pipelines.JPEG_RATIOS`.
REDUCED_COLOR = {
    1: cv2.IMREAD_COLOR,
    2: cv2.IMREAD_REDUCED_COLOR_2,
    4: cv2.IMREAD_REDUCED_COLOR_4,
    8: cv2.IMREAD_REDUCED_COLOR_8,
}

#: The list of decoded images in the memory measurement holds at most 50 images, and fewer
#: when they would take more than this many bytes (12-megapixel photos: 8 of them).
MEMORY_LIST_BYTES = 300_000_000

#: The fewest images a pass holds when `pass_size` limits it by megapixels.
MIN_PASS_IMAGES = 16


def augmenting_generator() -> Any:
    """An ``ImageDataGenerator`` that rescales to [0, 1] and applies `AUGMENTATION`.

    Returns
    -------
    ImageDataGenerator
        Flips, rotations, zoom and shifts, one image at a time in Python.

    Examples
    --------
    >>> augmenting_generator().rotation_range
    20
    """
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    return ImageDataGenerator(
        rescale=1 / 255,
        horizontal_flip=True,
        rotation_range=AUGMENTATION["rotation_degrees"],
        zoom_range=AUGMENTATION["zoom"],
        width_shift_range=AUGMENTATION["shift"],
        height_shift_range=AUGMENTATION["shift"],
        fill_mode="nearest",
    )


def augmentation_layers(seed: int = 42) -> Any:
    """Keras preprocessing layers equivalent to `augmenting_generator`.

    Parameters
    ----------
    seed : int, optional
        Seed of the random transformations.

    Returns
    -------
    keras.Sequential
        ``RandomFlip``, ``RandomRotation``, ``RandomZoom`` and
        ``RandomTranslation``; call it with ``training=True`` on a batch.

    Examples
    --------
    >>> [layer.name for layer in augmentation_layers().layers]
    ['random_flip', 'random_rotation', 'random_zoom', 'random_translation']
    """
    import keras

    layers = keras.layers
    shift, zoom = AUGMENTATION["shift"], AUGMENTATION["zoom"]
    return keras.Sequential(
        [
            layers.RandomFlip("horizontal", seed=seed, name="random_flip"),
            layers.RandomRotation(
                AUGMENTATION["rotation_degrees"] / 360,
                fill_mode="nearest",
                seed=seed,
                name="random_rotation",
            ),
            layers.RandomZoom(zoom, zoom, fill_mode="nearest", seed=seed, name="random_zoom"),
            layers.RandomTranslation(
                shift, shift, fill_mode="nearest", seed=seed, name="random_translation"
            ),
        ]
    )


def one_warp_augmentation(seed: int = 42) -> Any:
    """The augmentation of `augmentation_layers` as one Keras layer that warps once per image.

    ``ImageDataGenerator`` multiplies its flip, rotation, zoom and shift into one matrix and
    resamples every image once. The four Keras layers resample three times (rotation, zoom,
    translation) and flip with a fourth pass. This layer draws the same random changes
    (`AUGMENTATION`), multiplies them into one matrix per image like ``ImageDataGenerator``,
    and resamples once with ``keras.ops.image.affine_transform`` (bilinear, nearest fill).

    Parameters
    ----------
    seed : int, optional
        Seed of the random transformations.

    Returns
    -------
    keras.layers.Layer
        Call it on a batch with ``training=True``; with ``training=False`` it returns the
        batch unchanged, like the Keras layers.

    Examples
    --------
    >>> import numpy as np
    >>> batch = np.random.default_rng(0).random((4, 32, 32, 3), dtype=np.float32)
    >>> augment = one_warp_augmentation()
    >>> changed = np.asarray(augment(batch, training=True))
    >>> changed.shape, changed.dtype.name, bool(np.abs(changed - batch).mean() > 0.01)
    ((4, 32, 32, 3), 'float32', True)
    >>> bool((np.asarray(augment(batch, training=False)) == batch).all())
    True
    """
    import math

    import keras
    from keras import ops

    degrees, zoom, shift = (AUGMENTATION[k] for k in ("rotation_degrees", "zoom", "shift"))

    class OneWarp(keras.layers.Layer):
        def __init__(self, seed: int, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.seed_generator = keras.random.SeedGenerator(seed)

        def _uniform(self, count: Any, low: float, high: float) -> Any:
            return keras.random.uniform((count,), low, high, seed=self.seed_generator)

        def call(self, images: Any, training: bool = True) -> Any:
            if not training:
                return images
            count = ops.shape(images)[0]
            height = ops.cast(ops.shape(images)[1], "float32")
            width = ops.cast(ops.shape(images)[2], "float32")
            angle = self._uniform(count, -degrees, degrees) * (math.pi / 180)
            zoom_x = self._uniform(count, 1 - zoom, 1 + zoom)
            zoom_y = self._uniform(count, 1 - zoom, 1 + zoom)
            flip = ops.where(self._uniform(count, 0, 1) < 0.5, -1.0, 1.0)
            shift_x = self._uniform(count, -shift, shift) * width
            shift_y = self._uniform(count, -shift, shift) * height
            # Where each output pixel comes from, about the image centre: rotation x zoom x flip.
            a0, a1 = ops.cos(angle) * zoom_x * flip, -ops.sin(angle) * zoom_y
            b0, b1 = ops.sin(angle) * zoom_x * flip, ops.cos(angle) * zoom_y
            cx, cy = (width - 1) / 2, (height - 1) / 2
            a2 = cx - a0 * cx - a1 * cy + shift_x
            b2 = cy - b0 * cx - b1 * cy + shift_y
            zeros = ops.zeros_like(a0)
            matrix = ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)
            return ops.image.affine_transform(
                images, matrix, interpolation="bilinear", fill_mode="nearest"
            )

    return OneWarp(seed, name="one_warp")


def repeated_dataset(
    src: str | Path, dst: str | Path, min_images: int, max_images: int | None = None
) -> Path:
    """Make a class-per-folder copy of `src` with at least `min_images`, repeating files as links.

    Parameters
    ----------
    src : str or pathlib.Path
        Class-per-folder images.
    dst : str or pathlib.Path
        New folder to create.
    min_images : int
        Fewest images wanted in all.
    max_images : int, optional
        Most images wanted in all: a larger `src` gives a part of its images, taken from
        the classes in turn (one of each, then another of each, ...), so none is left out.

    Returns
    -------
    pathlib.Path
        `dst`. Files are symbolic links (copies where links are impossible), so
        nothing large is written.

    Examples
    --------
    >>> sorted(files.count_images(repeated_dataset(paths.SAMPLE_DIR, tmp_path / "r", 100)).values())
    [60, 60]
    >>> nine = repeated_dataset(paths.SAMPLE_DIR, tmp_path / "s", 9, max_images=9)
    >>> files.count_images(nine)  # the classes in turn: 5 and 4
    {'Kirmizi_Pistachio': 5, 'Siirt_Pistachio': 4}
    """
    src, dst = Path(src), Path(dst)
    classes = {name: files.list_images(src / name) for name in files.require_classes(src)}
    total = sum(len(v) for v in classes.values())
    copies = max(1, -(-min_images // max(total, 1)))
    repeated = {
        name: [(k, path) for k in range(copies) for path in members]
        for name, members in classes.items()
    }
    in_turn = [  # the first of every class, then the second of every class, ...
        (name, entry)
        for row in itertools.zip_longest(*repeated.values())
        for name, entry in zip(repeated, row, strict=True)
        if entry is not None
    ]
    for name in classes:
        (dst / name).mkdir(parents=True)
    for name, (k, path) in in_turn[:max_images]:
        target = dst / name / f"{k:03d}_{path.name}"
        try:
            target.symlink_to(path.resolve())
        except OSError:
            shutil.copy2(path, target)
    return dst


def pass_size(src: str | Path, min_images: int, max_megapixels: float | None = None) -> int:
    """How many images one pass of the benchmark times: `min_images`, or fewer for large photos.

    Decoding costs about the same per pixel: a pass of `min_images` phone photos would take
    many times longer than one of small images. With `max_megapixels`, a pass holds only as
    many images as fit in that many megapixels (their average size, read from the files'
    headers), but at least `MIN_PASS_IMAGES`.

    Parameters
    ----------
    src : str or pathlib.Path
        Class-per-folder images.
    min_images : int
        Images per pass when they fit.
    max_megapixels : float, optional
        Most megapixels per pass; ``None`` for no limit.

    Returns
    -------
    int
        Images per pass, for `repeated_dataset` (as both its `min_images` and `max_images`).

    Examples
    --------
    >>> pass_size(paths.SAMPLE_DIR, 200, max_megapixels=150)  # 600x600: 0.36 megapixels each
    200
    >>> pass_size(paths.SAMPLE_DIR, 200, max_megapixels=36)
    100
    >>> pass_size(paths.SAMPLE_DIR, 200, max_megapixels=1)
    16
    """
    if max_megapixels is None:
        return min_images
    found, _, _ = pipelines.list_labelled_files(src)
    sizes = [images.image_size(path) for path in found]
    average = sum(width * height for width, height in sizes) / max(len(sizes), 1) / 1e6
    fits = int(max_megapixels / average) if average else min_images
    return max(MIN_PASS_IMAGES, min(min_images, fits))


def load_reduced(path: str | Path, image_size: int) -> np.ndarray:
    """`helpers.images.load_resized`, decoding a JPEG with OpenCV at the smallest size it needs.

    Parameters
    ----------
    path : str or pathlib.Path
        Image file.
    image_size : int
        Width and height of the result.

    Returns
    -------
    numpy.ndarray of float32
        ``(image_size, image_size, 3)`` RGB in [0, 1]. A JPEG is decoded at 1/2, 1/4 or 1/8
        of its size (``cv2.IMREAD_REDUCED_COLOR_N``) when that is still at least
        `image_size` on both sides, chosen per image from its header as
        `helpers.pipelines.decode_for_size` chooses; other formats are decoded in full.

    Examples
    --------
    >>> image = load_reduced(paths.sample_image(), 64)  # 600 x 600, decoded at 75 x 75
    >>> full = images.load_resized(paths.sample_image(), 64)
    >>> image.shape, image.dtype, bool(abs(image - full).mean() < 0.01)
    ((64, 64, 3), dtype('float32'), True)
    """
    from PIL import Image

    buffer = np.fromfile(path, dtype=np.uint8)
    ratio = 1
    if buffer[:3].tobytes() == b"\xff\xd8\xff":  # a JPEG, as tf.io.is_jpeg decides
        with Image.open(io.BytesIO(buffer.tobytes())) as header:  # reads the header only
            width, height = header.size
        ratio = pipelines.jpeg_ratio(height, width, image_size)
    image = cv2.imdecode(buffer, REDUCED_COLOR[ratio] | cv2.IMREAD_IGNORE_ORIENTATION)
    if image is None:
        raise BadInput(f"OpenCV could not decode '{path}' as an image.")
    image = cv2.resize(image, (image_size, image_size), interpolation=cv2.INTER_LINEAR)
    return images.to_rgb(image).astype(np.float32) / 255.0


def _loop_batches(
    found: list[str], image_size: int, batch_size: int, workers: int, *, reduced: bool = False
) -> Iterator:
    def load(path: str) -> np.ndarray:
        if reduced:
            return load_reduced(path, image_size)
        return images.load_resized(path, image_size)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        mapper = pool.map if workers > 1 else map  # 1 worker: a plain loop in this thread
        for start in range(0, len(found), batch_size):
            yield np.stack(list(mapper(load, found[start : start + batch_size])))


def _keras_batches(generator: Any, folder: Path, names: list[str], size: tuple, batch_size: int):
    """A ``flow_from_directory`` iterator over `folder`, without its "Found N images" line."""
    with contextlib.redirect_stdout(io.StringIO()):
        return generator.flow_from_directory(
            folder,
            target_size=size,
            batch_size=batch_size,
            class_mode="sparse",
            shuffle=False,
            classes=names,
            interpolation="bilinear",
        )


def _keras_dataset(
    folder: Path, names: list[str], size: tuple, batch_size: int, *, shuffle=False, seed=None
) -> Any:
    """``image_dataset_from_directory`` over `folder`, scaled to [0, 1]."""
    import tensorflow as tf

    return tf.keras.utils.image_dataset_from_directory(
        folder,
        image_size=size,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        verbose=False,
        interpolation="bilinear",
        class_names=names,
    ).map(lambda x, y: (x / 255.0, y), num_parallel_calls=tf.data.AUTOTUNE)


def _variants(folder: Path, image_size: int, batch_size: int) -> dict[str, Callable[[], Iterable]]:
    import tensorflow as tf
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    found, _, names = pipelines.list_labelled_files(folder)
    size = (image_size, image_size)
    cores, parallel = startup.usable_cpus(), tf.data.AUTOTUNE  # 1 under taskset -c 0
    keras_generators = {
        "plain": ImageDataGenerator(rescale=1 / 255),
        "augmented": augmenting_generator(),
    }
    idfd = _keras_dataset(folder, names, size, batch_size)
    # Every tf.data line decodes in full, like the Keras loaders, but "reduced decode".
    common = {"image_size": image_size, "batch_size": batch_size, "reduced_decode": False}
    plain, _ = pipelines.image_dataset(folder, **common)
    reduced, _ = pipelines.image_dataset(folder, **{**common, "reduced_decode": True})
    default, _ = pipelines.image_dataset(  # TensorFlow's own setting, for comparison
        folder, autotune=True, **common
    )
    cached = {
        mode: pipelines.image_dataset(folder, cache=mode, **common)[0]
        for mode in ("uint8", "float32")
    }
    augmented = {  # the same batches as "tf.data", augmented by four layers or by one
        name: plain.map(lambda x, y, f=layer: (f(x, training=True), y), num_parallel_calls=parallel)
        for name, layer in [
            ("layers", augmentation_layers()),
            ("one warp", one_warp_augmentation()),
        ]
    }

    def keras_epoch(kind: str) -> Iterator:
        iterator = _keras_batches(keras_generators[kind], folder, names, size, batch_size)
        for _ in range(len(iterator)):
            yield next(iterator)[0]

    return {
        "loop, 1 thread": lambda: _loop_batches(found, image_size, batch_size, 1),
        "loop, all cores": lambda: _loop_batches(found, image_size, batch_size, cores),
        "loop, all cores, reduced decode": lambda: _loop_batches(
            found, image_size, batch_size, cores, reduced=True
        ),
        "ImageDataGenerator": lambda: keras_epoch("plain"),
        "image_dataset_from_directory": lambda: (x for x, _ in idfd),
        "tf.data": lambda: (x for x, _ in plain),
        "tf.data, reduced decode": lambda: (x for x, _ in reduced),
        "tf.data, default autotune": lambda: (x for x, _ in default),
        "tf.data, cached uint8": lambda: (x for x, _ in cached["uint8"]),
        "tf.data, cached float32": lambda: (x for x, _ in cached["float32"]),
        "ImageDataGenerator, augmented": lambda: keras_epoch("augmented"),
        "tf.data, augmented": lambda: (x for x, _ in augmented["layers"]),
        "tf.data, augmented in one warp": lambda: (x for x, _ in augmented["one warp"]),
    }


def _epoch(make: Callable[[], Iterable], image_size: int) -> tuple[float, int]:
    """Seconds for one pass, and how many images it gave; checks every batch's form."""
    start, count = time.perf_counter(), 0
    for batch in make():
        X = np.asarray(batch)
        if X.shape[1:] != (image_size, image_size, 3) or X.dtype != np.float32:
            raise RuntimeError(f"Batch of shape {X.shape} and dtype {X.dtype}: not like for like.")
        count += len(X)
    return time.perf_counter() - start, count


def _training_feeds(
    folder: Path, image_size: int, batch_size: int, seed: int
) -> dict[str, Callable[[], Any]]:
    """Each feed of `TRAINING_FEEDS`: a callable giving what ``model.fit`` takes for one epoch."""
    import tensorflow as tf
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    found, labels, names = pipelines.list_labelled_files(folder)
    size = (image_size, image_size)
    common = {"image_size": image_size, "batch_size": batch_size, "shuffle": True, "seed": seed}
    common["reduced_decode"] = False  # decoded in full, as the Keras loaders decode
    plain, _ = pipelines.image_dataset(folder, **common)
    cached, _ = pipelines.image_dataset(folder, cache="uint8", **common)
    idfd = _keras_dataset(folder, names, size, batch_size, shuffle=True, seed=seed)
    in_memory = np.stack([images.load_resized(path, image_size) for path in found])
    arrays = pipelines.disable_autotune(  # ready-made batches: the fastest possible feed
        tf.data.Dataset.from_tensor_slices((in_memory, np.asarray(labels, np.int32)))
        .batch(batch_size)
        .cache()
    )
    keras_iterator = _keras_batches(
        ImageDataGenerator(rescale=1 / 255), folder, names, size, batch_size
    )
    keras_iterator.shuffle = True
    return {
        "images in memory": lambda: arrays,
        "tf.data, cached uint8": lambda: cached,
        "tf.data": lambda: plain,
        "image_dataset_from_directory": lambda: idfd,
        "ImageDataGenerator": lambda: keras_iterator,
    }


def _training_speeds(
    folder: Path, image_size: int, batch_size: int, rounds: int, seed: int, steps: Any
) -> dict[str, list[float]]:
    """Images per second through one epoch of ``model.fit``, per feed and round."""
    found, _, names = pipelines.list_labelled_files(folder)
    feeds = _training_feeds(folder, image_size, batch_size, seed)
    model = models.build_cnn(  # as lesson 07 trains it on the pistachio photos
        len(names), image_size, flip="horizontal_and_vertical", rotation=0.25, seed=seed
    )
    for make in feeds.values():  # trace the training step and fill the cache: not timed
        model.fit(make(), epochs=1, shuffle=False, verbose=0)
    measured: dict[str, list[float]] = {name: [] for name in TRAINING_FEEDS}
    for _ in range(rounds):
        for name in TRAINING_FEEDS:
            start = time.perf_counter()
            model.fit(feeds[name](), epochs=1, shuffle=False, verbose=0)
            measured[name].append(len(found) / (time.perf_counter() - start))
            steps.update()
    return measured


def _memory_sample(found: list[str], most: int = 50) -> list[Path]:
    """The first `most` images, or fewer if decoded they would exceed `MEMORY_LIST_BYTES`."""
    chosen: list[Path] = []
    total = 0
    for path in found[:most]:
        width, height = images.image_size(path)  # from the header: nothing decoded
        total += width * height * 3
        if chosen and total > MEMORY_LIST_BYTES:
            break
        chosen.append(Path(path))
    return chosen


def _refuse_unready(source: Path) -> None:
    """`helpers.BadInput` naming the first problem `data.check` finds, before any measuring.

    A damaged or unsupported file would otherwise stop TensorFlow's pipeline mid-benchmark
    with an error that names no file.
    """
    report = data.check(source, progress=False)
    if not report.ok:
        more = len(report.problems) - 1
        raise BadInput(
            f"Cannot measure on '{source}': {report.problems[0]}"
            + (f" (and {more} more problem(s))" if more else "")
            + f". See python -m helpers data check '{source}'; python -m helpers data prepare "
            "makes a copy that passes."
        )


def _onednn_enabled() -> bool | None:
    """Whether TensorFlow uses its oneDNN CPU kernels in this process (None if unknown)."""
    try:
        from tensorflow.python.util import _pywrap_util_port
    except ImportError:  # a TensorFlow without the flag
        return None
    return bool(_pywrap_util_port.IsMklEnabled())


def run_benchmark(
    data_dir: str | Path | None = None,
    *,
    image_size: int = 224,
    batch_size: int = 32,
    rounds: int = 3,
    min_images: int = 800,
    max_megapixels: float | None = None,
    train_image_size: int | None = 64,
    progress: bool = True,
) -> dict[str, Any]:
    """Measure images per second of every loader on the same images, interleaved over rounds.

    Parameters
    ----------
    data_dir : str, pathlib.Path or None, optional
        Class-per-folder images; ``None`` means the bundled sample.
    image_size, batch_size : int, optional
        The common output: ``(batch_size, image_size, image_size, 3)`` float32 in [0, 1].
    rounds : int, optional
        Timed passes per variant (the median is reported).
    min_images : int, optional
        Images per pass: smaller datasets are repeated (as links) up to this many.
    max_megapixels : float, optional
        Fewer images per pass when `min_images` of them would hold more megapixels than
        this, as phone photos do (`pass_size`); ``None`` (the default) times `min_images`.
    train_image_size : int or None, optional
        Image size for the training measurement (lesson 07 trains at 64);
        ``None`` leaves the training measurement out.
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    dict
        ``config``, ``images_per_second`` (median per variant), ``rounds`` (every
        measurement), ``ratios``, ``training_images_per_second`` and
        ``training_rounds`` (empty without training), ``cache_megabytes`` and
        ``memory_megabytes`` (a list of float32 images against a stream).
        JSON-serialisable.

    Examples
    --------
    >>> result = run_benchmark(image_size=32, rounds=1, min_images=60, train_image_size=None,
    ...                        progress=False)
    >>> sorted(result["ratios"])  # doctest: +NORMALIZE_WHITESPACE
    ['autotune off / on', 'cached uint8 / uncached', 'tf.data / ImageDataGenerator',
     'tf.data / ImageDataGenerator, augmented', 'tf.data / loop, all cores',
     'tf.data / loop, all cores, both reduced',
     'tf.data in one warp / ImageDataGenerator, augmented', 'tf.data reduced decode / full decode']
    """
    if rounds < 1:
        raise BadInput(f"rounds must be at least 1, got {rounds}.")
    source = paths.data_dir(data_dir)
    _refuse_unready(source)
    workspace = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        count = pass_size(source, min_images, max_megapixels)
        folder = repeated_dataset(
            source, workspace / "images", count, None if max_megapixels is None else count
        )
        found, _, _ = pipelines.list_labelled_files(folder)
        variants = _variants(folder, image_size, batch_size)
        for name in ("tf.data, cached uint8", "tf.data, cached float32"):
            _epoch(variants[name], image_size)  # fill the caches: "warm" means the 2nd epoch on
        measured: dict[str, list[float]] = {name: [] for name in VARIANTS}
        training = train_image_size is not None
        total = rounds * (len(VARIANTS) + len(TRAINING_FEEDS) * training)
        steps = tqdm(total=total, desc="Benchmark", disable=not progress)
        for _ in range(rounds):
            for name in VARIANTS:
                seconds, count = _epoch(variants[name], image_size)
                if count != len(found):
                    raise RuntimeError(f"{name} gave {count} images, expected {len(found)}.")
                measured[name].append(count / seconds)
                steps.update()
        trained = (
            _training_speeds(folder, train_image_size, batch_size, rounds, 42, steps)
            if training
            else {}
        )
        steps.close()
        listed = _memory_sample(found)
        memory = generators.measure_memory(listed, [len(listed)])[0]
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    speed = {name: statistics.median(values) for name, values in measured.items()}
    trained_speed = {name: statistics.median(values) for name, values in trained.items()}
    pixels = len(found) * image_size * image_size * 3
    return {
        "config": {
            "data_dir": str(source),
            "images": len(found),
            "image_size": image_size,
            "batch_size": batch_size,
            "rounds": rounds,
            "cores": startup.usable_cpus(),
            "cpu_quota": startup.cpu_quota(),
            "onednn": _onednn_enabled(),
            "output": f"bilinear resize to {image_size}x{image_size}, float32 in [0, 1], "
            f"batches of {batch_size}",
            "train_image_size": train_image_size,
        },
        "images_per_second": speed,
        "rounds": measured,
        "ratios": {
            "tf.data / ImageDataGenerator": speed["tf.data"] / speed["ImageDataGenerator"],
            "tf.data / ImageDataGenerator, augmented": speed["tf.data, augmented"]
            / speed["ImageDataGenerator, augmented"],
            "tf.data in one warp / ImageDataGenerator, augmented": speed[
                "tf.data, augmented in one warp"
            ]
            / speed["ImageDataGenerator, augmented"],
            "tf.data / loop, all cores": speed["tf.data"] / speed["loop, all cores"],
            "tf.data reduced decode / full decode": speed["tf.data, reduced decode"]
            / speed["tf.data"],
            "tf.data / loop, all cores, both reduced": speed["tf.data, reduced decode"]
            / speed["loop, all cores, reduced decode"],
            "cached uint8 / uncached": speed["tf.data, cached uint8"] / speed["tf.data"],
            "autotune off / on": speed["tf.data"] / speed["tf.data, default autotune"],
        },
        "training_images_per_second": trained_speed,
        "training_rounds": trained,
        "cache_megabytes": {"uint8": pixels / 1e6, "float32": 4 * pixels / 1e6},
        "memory_megabytes": {
            "images": memory["images"],
            "list of decoded images": memory["list_bytes"] / 1e6,
            "generator": memory["generator_bytes"] / 1e6,
        },
    }


def format_report(result: dict[str, Any]) -> str:
    """The benchmark as a readable table.

    Parameters
    ----------
    result : dict
        From `run_benchmark`.

    Returns
    -------
    str
        Images per second per variant, ratios, training speeds, cache sizes.

    Examples
    --------
    >>> result = run_benchmark(image_size=32, rounds=1, min_images=60, train_image_size=None,
    ...                        progress=False)
    >>> "tf.data / ImageDataGenerator" in format_report(result)
    True
    """
    config = result["config"]
    onednn = {True: "on", False: "off", None: "unknown"}[config.get("onednn")]
    cores = f"{config['cores']} core" + ("s" if config["cores"] != 1 else "")
    if config.get("cpu_quota"):
        cores += f" (a quota of {config['cpu_quota']:g} CPUs)"
    lines = [
        f"{config['images']} images from {config['data_dir']}, {config['rounds']} rounds, "
        f"on {cores}, TensorFlow's oneDNN kernels {onednn}",
        f"Every loader produces the same output: {config['output']}.",
        "",
        f"{'loader':<32} {'images/s (median)':>18}",
    ]
    for name, speed in result["images_per_second"].items():
        lines.append(f"{name:<32} {speed:>18.1f}")
    lines += ["", "Ratios (measured side by side in this run):"]
    width = max(len(name) for name in result["ratios"])
    lines += [f"  {name:<{width}} {value:6.2f}x" for name, value in result["ratios"].items()]
    trained = result.get("training_images_per_second") or {}
    if trained:
        ceiling = trained["images in memory"]
        size = config["train_image_size"]
        lines += [
            "",
            f"Training lesson 07's network on {size}x{size} images, one epoch of model.fit:",
            f"{'fed by':<32} {'images/s (median)':>18} {'of the model alone':>19}",
        ]
        for name, speed in trained.items():
            lines.append(f"{name:<32} {speed:>18.1f} {speed / ceiling:>18.0%}")
        lines.append(
            "'images in memory' is the model's own speed: a feed close to it is no longer the "
            "bottleneck. image_dataset_from_directory and ImageDataGenerator keep TensorFlow's "
            "autotune thread, whose end-of-epoch stall (lesson 06, section 7) can halve some "
            "rounds: see 'training_rounds' in the JSON."
        )
    cache, memory = result.get("cache_megabytes"), result.get("memory_megabytes")
    if cache:
        lines.append("")
        lines.append(
            f"Cache size: uint8 {cache['uint8']:.3g} MB, float32 {cache['float32']:.3g} MB "
            f"({cache['uint8'] / cache['float32']:.2f} of it)"
        )
    if memory:
        listed, streamed = memory["list of decoded images"], memory["generator"]
        lines.append(
            f"Peak memory for {memory['images']} full-size images: "
            f"list {generators.readable_size(listed * 1e6)}, "
            f"generator {generators.readable_size(streamed * 1e6)}"
        )
    return "\n".join(lines)


def core_view(result: dict[str, Any]) -> dict[str, Any]:
    """`result` with only the lines and ratios of `CORE_LINES` and `CORE_RATIOS`.

    What lesson 06's section 5, the end of a one-day workshop, is about: `format_report` and
    `helpers.plotting.plot_benchmark` of it show those alone. The cache, one-warp, reduced
    decode and memory lines belong to the optional sections, which show the whole `result`.

    Parameters
    ----------
    result : dict
        What `run_benchmark` returned (left as it is).

    Returns
    -------
    dict
        A new dict in the same form, without training, cache and memory measurements.

    Examples
    --------
    >>> result = run_benchmark(image_size=32, rounds=1, min_images=60, train_image_size=None,
    ...                        progress=False)
    >>> list(core_view(result)["images_per_second"]) == list(CORE_LINES)
    True
    >>> "Cache size" in format_report(core_view(result))
    False
    """
    view = {key: value for key, value in result.items() if key not in _NOT_CORE}
    view["images_per_second"] = {name: result["images_per_second"][name] for name in CORE_LINES}
    view["ratios"] = {name: result["ratios"][name] for name in CORE_RATIOS}
    view["rounds"] = {name: result["rounds"][name] for name in CORE_LINES}
    return view


#: Who wrote a results file, in its seal (`helpers.outputs.seal`).
MADE_BY = "python -m helpers bench"


def save(
    result: dict[str, Any],
    path: str | Path,
    label: str = "The results file",
    *,
    protect: dict[str, Path] | None = None,
) -> Path:
    """Save a benchmark result: ``.json`` the numbers, ``.png`` their bar chart.

    The file is sealed (`helpers.outputs.seal`): an existing one is replaced only if this
    command wrote it and nobody changed it since.

    Parameters
    ----------
    result : dict
        From `run_benchmark`.
    path : str or pathlib.Path
        A ``.json`` or ``.png`` file.
    label : str, optional
        How the user named it, for messages.
    protect : dict, optional
        More folders never written to (the dataset measured).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> saved = save({"images": 3}, tmp_path / "bench.json")
    >>> json.loads(saved.read_text())["images"]
    3
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        from helpers import plotting

        buffer = io.BytesIO()
        plotting.plot_benchmark(result).savefig(buffer, format="png", dpi=120)
        data = buffer.getvalue()
    elif suffix == ".json":
        data = json.dumps(result).encode()
    else:
        raise BadInput(f"{label} '{path}' must end in .json (the numbers) or .png (a chart).")
    return outputs.replace_file(path, data, label, made_by=MADE_BY, protect=protect)
