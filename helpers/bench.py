"""How fast can images reach a model? ``python -m helpers bench`` (lesson 06).

Every variant produces the same batches: images resized (bilinear) to
``image_size × image_size``, float32 in [0, 1], ``batch_size`` per batch. The
variants run interleaved, round after round, so that a busy moment of the
machine hits them all alike; the report uses medians and ratios measured side
by side in one run, never absolute limits.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from helpers import files, generators, images, paths, pipelines

__all__ = ["VARIANTS", "format_report", "repeated_dataset", "run_benchmark"]

#: Variant names in the order they are reported.
VARIANTS = (
    "loop, 1 thread",
    "loop, all cores",
    "ImageDataGenerator",
    "image_dataset_from_directory",
    "tf.data",
    "tf.data, default autotune",
    "tf.data, cached uint8",
    "tf.data, cached float32",
)


def repeated_dataset(src: str | Path, dst: str | Path, min_images: int) -> Path:
    """Make a class-per-folder copy of `src` with at least `min_images`, repeating files as links.

    Parameters
    ----------
    src : str or pathlib.Path
        Class-per-folder images.
    dst : str or pathlib.Path
        New folder to create.
    min_images : int
        Fewest images wanted in all.

    Returns
    -------
    pathlib.Path
        `dst`. Files are symbolic links (copies where links are impossible), so
        nothing large is written.

    Examples
    --------
    >>> sorted(files.count_images(repeated_dataset(paths.SAMPLE_DIR, tmp_path / "r", 100)).values())
    [60, 60]
    """
    src, dst = Path(src), Path(dst)
    classes = {name: files.list_images(src / name) for name in files.require_classes(src)}
    total = sum(len(v) for v in classes.values())
    copies = max(1, -(-min_images // max(total, 1)))
    for name, members in classes.items():
        (dst / name).mkdir(parents=True)
        for k in range(copies):
            for path in members:
                target = dst / name / f"{k:03d}_{path.name}"
                try:
                    target.symlink_to(path.resolve())
                except OSError:
                    shutil.copy2(path, target)
    return dst


def _loop_batches(found: list[str], image_size: int, batch_size: int, workers: int) -> Iterator:
    def load(path: str) -> np.ndarray:
        return images.load_resized(path, image_size)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        mapper = pool.map if workers > 1 else map  # 1 worker: a plain loop in this thread
        for start in range(0, len(found), batch_size):
            yield np.stack(list(mapper(load, found[start : start + batch_size])))


def _variants(folder: Path, image_size: int, batch_size: int) -> dict[str, Callable[[], Iterable]]:
    import tensorflow as tf
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    found, _, names = pipelines.list_labelled_files(folder)
    size = (image_size, image_size)
    cores = os.cpu_count() or 1
    idg = ImageDataGenerator(rescale=1 / 255)
    idfd = tf.keras.utils.image_dataset_from_directory(
        folder,
        image_size=size,
        batch_size=batch_size,
        shuffle=False,
        verbose=False,
        interpolation="bilinear",
        class_names=names,
    ).map(lambda x, y: (x / 255.0, y), num_parallel_calls=tf.data.AUTOTUNE)
    plain, _ = pipelines.image_dataset(folder, image_size=image_size, batch_size=batch_size)
    default, _ = pipelines.image_dataset(  # TensorFlow's own setting, for comparison
        folder, image_size=image_size, batch_size=batch_size, autotune=True
    )
    cached = {
        mode: pipelines.image_dataset(
            folder, image_size=image_size, batch_size=batch_size, cache=mode
        )[0]
        for mode in ("uint8", "float32")
    }

    def keras_epoch() -> Iterator:
        with contextlib.redirect_stdout(io.StringIO()):  # no "Found N images" every pass
            iterator = idg.flow_from_directory(
                folder,
                target_size=size,
                batch_size=batch_size,
                class_mode="sparse",
                shuffle=False,
                classes=names,
                interpolation="bilinear",
            )
        for _ in range(len(iterator)):
            yield next(iterator)[0]

    return {
        "loop, 1 thread": lambda: _loop_batches(found, image_size, batch_size, 1),
        "loop, all cores": lambda: _loop_batches(found, image_size, batch_size, cores),
        "ImageDataGenerator": keras_epoch,
        "image_dataset_from_directory": lambda: (x for x, _ in idfd),
        "tf.data": lambda: (x for x, _ in plain),
        "tf.data, default autotune": lambda: (x for x, _ in default),
        "tf.data, cached uint8": lambda: (x for x, _ in cached["uint8"]),
        "tf.data, cached float32": lambda: (x for x, _ in cached["float32"]),
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


def run_benchmark(
    data_dir: str | Path | None = None,
    *,
    image_size: int = 224,
    batch_size: int = 32,
    rounds: int = 3,
    min_images: int = 800,
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
        Smaller datasets are repeated (as links) up to this many images.
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    dict
        ``config``, ``images_per_second`` (median per variant), ``rounds`` (every
        measurement), ``ratios``, ``cache_megabytes`` and ``memory_megabytes``
        (a list of float32 images against a stream). JSON-serialisable.

    Examples
    --------
    >>> result = run_benchmark(image_size=32, rounds=1, min_images=60, progress=False)
    >>> sorted(result["ratios"])  # doctest: +NORMALIZE_WHITESPACE
    ['autotune off / on', 'cached uint8 / uncached', 'tf.data / ImageDataGenerator',
     'tf.data / loop, all cores']
    """
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}.")
    source = paths.data_dir(data_dir)
    workspace = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        folder = repeated_dataset(source, workspace / "images", min_images)
        found, _, _ = pipelines.list_labelled_files(folder)
        variants = _variants(folder, image_size, batch_size)
        for name in ("tf.data, cached uint8", "tf.data, cached float32"):
            _epoch(variants[name], image_size)  # fill the caches: "warm" means the 2nd epoch on
        measured: dict[str, list[float]] = {name: [] for name in VARIANTS}
        steps = tqdm(total=rounds * len(VARIANTS), desc="Benchmark", disable=not progress)
        for _ in range(rounds):
            for name in VARIANTS:
                seconds, count = _epoch(variants[name], image_size)
                if count != len(found):
                    raise RuntimeError(f"{name} gave {count} images, expected {len(found)}.")
                measured[name].append(count / seconds)
                steps.update()
        steps.close()
        memory = generators.measure_memory([Path(p) for p in found[:50]], [50])[0]
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    speed = {name: statistics.median(values) for name, values in measured.items()}
    pixels = len(found) * image_size * image_size * 3
    return {
        "config": {
            "data_dir": str(source),
            "images": len(found),
            "image_size": image_size,
            "batch_size": batch_size,
            "rounds": rounds,
            "cores": os.cpu_count(),
            "output": f"bilinear resize to {image_size}x{image_size}, float32 in [0, 1], "
            f"batches of {batch_size}",
        },
        "images_per_second": speed,
        "rounds": measured,
        "ratios": {
            "tf.data / ImageDataGenerator": speed["tf.data"] / speed["ImageDataGenerator"],
            "tf.data / loop, all cores": speed["tf.data"] / speed["loop, all cores"],
            "cached uint8 / uncached": speed["tf.data, cached uint8"] / speed["tf.data"],
            "autotune off / on": speed["tf.data"] / speed["tf.data, default autotune"],
        },
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
        Images per second per variant, ratios, cache sizes.

    Examples
    --------
    >>> result = run_benchmark(image_size=32, rounds=1, min_images=60, progress=False)
    >>> "tf.data / ImageDataGenerator" in format_report(result)
    True
    """
    config = result["config"]
    lines = [
        f"{config['images']} images from {config['data_dir']}, {config['rounds']} rounds, "
        f"{config['cores']} cores",
        f"Every variant produces the same output: {config['output']}.",
        "",
        f"{'variant':<32} {'images/s (median)':>18}",
    ]
    for name, speed in result["images_per_second"].items():
        lines.append(f"{name:<32} {speed:>18.1f}")
    lines += ["", "Ratios (measured side by side in this run):"]
    lines += [f"  {name:<32} {value:6.2f}x" for name, value in result["ratios"].items()]
    cache = result["cache_megabytes"]
    lines.append(
        f"Cache size: uint8 {cache['uint8']:.1f} MB, float32 {cache['float32']:.1f} MB "
        f"({cache['uint8'] / cache['float32']:.2f} of it)"
    )
    memory = result["memory_megabytes"]
    listed, streamed = memory["list of decoded images"], memory["generator"]
    lines.append(
        f"Peak memory for {memory['images']} full-size images: list {listed:.1f} MB, "
        f"generator {streamed:.1f} MB"
    )
    return "\n".join(lines)
