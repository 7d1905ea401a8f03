"""Reading and writing images as NumPy arrays (lesson 01, *Computer vision recap*).

Vocabulary used across the workshop: an ``image`` is an ``(H, W, 3)`` ``uint8``
array in **RGB** order (or ``(H, W)`` for grayscale). OpenCV works in BGR;
these helpers convert at the boundary so the rest of the code never has to.

This is the only module that imports OpenCV.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

from helpers import BadInput, MissingData

__all__ = [
    "decoder_messages",
    "describe",
    "image_size",
    "load_resized",
    "read_image",
    "to_rgb",
    "write_image",
]

_MODES = ("rgb", "bgr", "gray")


def _check_mode(mode: str) -> None:
    if mode not in _MODES:
        raise BadInput(f"Incorrect value for `mode`: {mode!r}; expected one of {_MODES}.")


def read_image(path: str | Path, mode: str = "rgb") -> np.ndarray:
    """Read an image file into a NumPy array, raising instead of returning ``None``.

    Parameters
    ----------
    path : str or pathlib.Path
        Image file, e.g. ``.../Kirmizi_Pistachio/kirmizi (1).jpg``.
    mode : {"rgb", "bgr", "gray"}, optional
        Channel order of the result. OpenCV reads BGR; "rgb" suits Matplotlib.

    Returns
    -------
    image : numpy.ndarray of uint8
        Shape ``(H, W, 3)``, or ``(H, W)`` for "gray".

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    ValueError
        If `mode` is unknown or the file cannot be decoded as an image.

    Notes
    -----
    Introduced in notebook 01, *Computer vision recap*. Unlike ``cv2.imread``,
    which returns ``None`` for a missing file and cannot open non-ASCII paths on
    Windows, this reads the bytes with NumPy and decodes them with
    ``cv2.imdecode``. Like Pillow, Keras and TensorFlow, and unlike
    ``cv2.imread``, it ignores a JPEG's EXIF orientation tag: you see the
    pixels as stored, which is what a model trained on these files sees.

    Examples
    --------
    >>> from helpers import paths
    >>> image = read_image(paths.sample_image())
    >>> image.shape, image.dtype
    ((600, 600, 3), dtype('uint8'))
    >>> read_image(paths.sample_image(), mode="gray").shape
    (600, 600)
    """
    _check_mode(mode)
    path = Path(path)
    if not path.is_file():
        raise MissingData(
            f"No image at '{path}' (working directory: {Path.cwd()}). "
            "Check the path; `python -m helpers data sample` restores the bundled sample."
        )
    flag = cv2.IMREAD_GRAYSCALE if mode == "gray" else cv2.IMREAD_COLOR
    flag |= cv2.IMREAD_IGNORE_ORIENTATION  # as Pillow, Keras and TensorFlow do
    buffer = np.fromfile(path, dtype=np.uint8)
    try:
        image = cv2.imdecode(buffer, flag) if buffer.size else None
    except cv2.error:
        image = None
    if image is None:  # OpenCV does not raise
        raise BadInput(
            f"OpenCV could not decode '{path}' as an image: the file is empty, "
            "truncated or not an image. Delete it or replace it with a good copy."
        )
    return to_rgb(image) if mode == "rgb" else image


def to_rgb(image_bgr: np.ndarray) -> np.ndarray:
    """Swap OpenCV's BGR channel order to RGB (the same call swaps RGB to BGR).

    Parameters
    ----------
    image_bgr : numpy.ndarray
        ``(H, W, 3)`` array in BGR order, as ``cv2.imread`` returns it.

    Returns
    -------
    numpy.ndarray
        A new array with the first and last channels swapped.

    Raises
    ------
    ValueError
        If the array is not ``(H, W, 3)``.

    Notes
    -----
    Introduced in notebook 01: without it a red-brown nut is drawn blue.

    Examples
    --------
    >>> pixel = np.array([[[255, 0, 0]]], dtype=np.uint8)  # pure blue in BGR
    >>> to_rgb(pixel)
    array([[[  0,   0, 255]]], dtype=uint8)
    """
    if image_bgr.ndim != 3 or image_bgr.shape[2] != 3:
        raise BadInput(
            f"Expected an (H, W, 3) colour image, got shape {image_bgr.shape}. "
            "Grayscale images have no channel order to swap."
        )
    return cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)


def write_image(path: str | Path, image: np.ndarray, *, quality: int = 90) -> Path:
    """Write an RGB (or grayscale) ``uint8`` array to an image file.

    Parameters
    ----------
    path : str or pathlib.Path
        Destination; the ending (``.jpg``, ``.png`` …) chooses the format.
        The parent folder must exist.
    image : numpy.ndarray of uint8
        ``(H, W, 3)`` in RGB order, or ``(H, W)``.
    quality : int, optional
        JPEG quality, 1–100.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        If the array is not ``uint8`` or the format is unknown.
    OSError
        If the file cannot be written.

    Examples
    --------
    >>> folder = tmp_path
    >>> red = np.zeros((4, 6, 3), np.uint8); red[..., 0] = 255
    >>> read_image(write_image(folder / "red.png", red))[0, 0]
    array([255,   0,   0], dtype=uint8)
    """
    path = Path(path)
    if image.dtype != np.uint8:
        raise BadInput(
            f"write_image needs a uint8 array, got {image.dtype}. "
            "Scale floats in [0, 1] with (image * 255).round().astype('uint8')."
        )
    pixels = cv2.cvtColor(image, cv2.COLOR_RGB2BGR) if image.ndim == 3 else image
    options = (
        [cv2.IMWRITE_JPEG_QUALITY, quality] if path.suffix.lower() in (".jpg", ".jpeg") else []
    )
    try:
        ok, encoded = cv2.imencode(path.suffix, pixels, options)
    except cv2.error as err:
        raise BadInput(
            f"Cannot encode '{path.name}': unknown image format {path.suffix!r}."
        ) from err
    if not ok:
        raise BadInput(f"OpenCV could not encode an image for '{path}'.")
    path.write_bytes(encoded.tobytes())  # (ndarray.tofile reports a full disk without its name)
    return path


def image_size(path: str | Path) -> tuple[int, int]:
    """Width and height of an image file, read from its header without decoding the pixels.

    Parameters
    ----------
    path : str or pathlib.Path
        Image file.

    Returns
    -------
    tuple of int
        ``(width, height)`` as stored (an EXIF orientation tag is ignored, as in
        `read_image`). A decoded RGB image takes ``width * height * 3`` bytes.

    Notes
    -----
    Used in notebook 02 to decide how many images a list may hold.

    Examples
    --------
    >>> from helpers import paths
    >>> image_size(paths.sample_image())
    (600, 600)
    """
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def load_resized(path: str | Path, image_size: int) -> np.ndarray:
    """Read an image as RGB, resize it (bilinear) and scale it to float32 in [0, 1].

    Parameters
    ----------
    path : str or pathlib.Path
        Image file.
    image_size : int
        Width and height of the result.

    Returns
    -------
    numpy.ndarray of float32
        ``(image_size, image_size, 3)``, values in [0, 1]: what the Keras and
        ``tf.data`` pipelines of lessons 04 and 06 produce, done with OpenCV.

    Examples
    --------
    >>> from helpers import paths
    >>> image = load_resized(paths.sample_image(), 64)
    >>> image.shape, image.dtype, float(image.max()) <= 1.0
    ((64, 64, 3), dtype('float32'), True)
    """
    image = cv2.resize(read_image(path), (image_size, image_size), interpolation=cv2.INTER_LINEAR)
    return image.astype(np.float32) / 255.0


def describe(image: np.ndarray) -> str:
    """One line saying what an image array holds.

    Parameters
    ----------
    image : numpy.ndarray
        Any image array.

    Returns
    -------
    str
        Size, colour layout, dtype and value range.

    Examples
    --------
    >>> describe(np.zeros((2, 3, 3), np.uint8))
    '3×2 pixels, 3 channels, uint8, values 0–0'
    >>> describe(np.ones((2, 3)))
    '3×2 pixels, grayscale, float64, values 1.0–1.0'
    """
    height, width = image.shape[:2]
    layout = "grayscale" if image.ndim == 2 else f"{image.shape[2]} channels"
    return f"{width}×{height} pixels, {layout}, {image.dtype}, values {image.min()}–{image.max()}"


def decoder_messages(path: str | Path) -> list[str]:
    """Decode an image with OpenCV and return the warnings its decoder printed.

    libjpeg fills a JPEG that was cut short with grey and only *prints* a
    warning ("Corrupt JPEG data: premature end of data segment"); every loader
    then returns an image. Capturing that text is the one way we found to
    notice such a file (``data check --deep`` uses it).

    Parameters
    ----------
    path : str or pathlib.Path
        An image file (a regular file: never a pipe).

    Returns
    -------
    list of str
        The decoder's warning lines; empty for a sound file.

    Examples
    --------
    >>> from helpers import paths
    >>> decoder_messages(paths.sample_image())
    []
    """
    buffer = np.fromfile(Path(path), dtype=np.uint8)
    if not buffer.size:
        return ["empty file"]
    sys.stderr.flush()
    with tempfile.TemporaryFile() as capture:
        saved = os.dup(2)
        os.dup2(capture.fileno(), 2)
        try:
            decoded = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED)
        except cv2.error as err:
            decoded, failure = None, str(err).strip().splitlines()[-1]
        else:
            failure = "OpenCV cannot decode it"
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        text = capture.read().decode("utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines if decoded is not None else [*lines, failure]
