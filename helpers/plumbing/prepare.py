"""``python -m helpers data prepare``: a workshop-ready copy of instructors' own photos.

Photos from a phone or a camera rarely arrive the way the lessons want them: 12-megapixel
JPEGs, sorted into dated sub-folders within each class, some WebP, a scanner's 16-bit
grayscale PNG, and the ``.DS_Store`` and ``__MACOSX`` a Mac adds. `prepare` makes a copy in
which every one of those is fixed, and never changes the source:

- images in sub-folders of a class are brought up into the class folder, the sub-folders'
  names put before their own (``cats/2024-05/IMG_0001.jpg`` becomes
  ``cats/2024-05_IMG_0001.jpg``); a name already taken gets `` (2)``, `` (3)``, …;
- files `data.check` refuses but a copy can fix (`data.FIXES`: WebP, GIF, TIFF, AVIF, PPM,
  CMYK JPEGs, BMPs TensorFlow misreads, a file whose real format is not its ending, PNGs with
  megabytes of metadata, names that are not UTF-8) are converted: to JPEG when the original
  was itself lossy and has no transparency, to PNG (lossless) otherwise;
- 16-bit grayscale is saved as 8-bit by dropping the low byte (``v >> 8``): exactly what
  OpenCV and TensorFlow read from the original, where Keras clips it to white;
- images longer than ``max_side`` are shrunk to it, a JPEG decoded at 1/2, 1/4 or 1/8 of its
  size first (libjpeg scales while decoding, `PIL.Image.Image.draft`), then resized with
  Pillow's antialiasing Lanczos filter; all other images are copied byte for byte;
- EXIF orientation: pixels are never turned. A re-encoded photo keeps its orientation tag
  (and only that tag of its EXIF), so every loader sees it as it saw the original: Keras,
  TensorFlow, Pillow and `helpers.images.read_image` as stored, ``cv2.imread`` turned;
- hidden and system files and folders, and files that are not images, are left out; a file
  that cannot be read is left out and named, never a crash.

The copy is written as every output of the workshop is (`helpers.outputs`): built in a
hidden staging folder beside DST and renamed into place when complete, so that Ctrl-C leaves
nothing behind. ``.prepare.json`` in it records where every file came from and what was done.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from tqdm import tqdm  # plain bars: these run in a terminal, and tqdm.auto warns in notebooks

from helpers import BadInput, MissingData, NotAFolder, files, outputs, paths, startup
from helpers.plumbing import data

__all__ = [
    "CONVERTIBLE_ENDINGS",
    "DEFAULT_MAX_SIDE",
    "JPEG_QUALITY",
    "MADE_BY",
    "MANIFEST",
    "MIN_MAX_SIDE",
    "PrepareResult",
    "prepare",
    "shrunk_size",
]

#: ``made_by`` of the copies (`helpers.outputs`): only its own earlier copy is replaced.
MADE_BY = "python -m helpers data prepare"
#: Longest side of the images in the copy, by default, and the smallest one accepted.
DEFAULT_MAX_SIDE = 1024
MIN_MAX_SIDE = 64
#: Quality of the JPEGs it writes: high enough that a second compression adds little.
JPEG_QUALITY = 95
#: File in the copy: where every file came from, what was done, and what was left out.
MANIFEST = ".prepare.json"
#: Endings of images the loaders skip, converted when Pillow reads them. ``.jfif`` and
#: ``.jpe`` are JPEGs under another name: copied unchanged, as ``.jpg``.
CONVERTIBLE_ENDINGS = frozenset(data.UNSUPPORTED | {".jfif", ".jpe", ".pgm", ".pbm", ".pnm"})

_LABEL = "DST"
_ORIENTATION = 0x0112
_JPEG_FAMILY = ("JPEG", "MPO")
_SUFFIXES = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}
_LONGEST_NAME = 240  # bytes; most file systems allow 255
#: What the copy did to its files, by kind, in the order the report lists them.
_DONE = {
    "copied": "copied byte for byte",
    "shrunk": "shrunk to {max_side} pixels on the long side (orientation tags kept)",
    "converted": "converted to JPEG or PNG",
    "eight_bits": "16-bit grayscale saved as 8-bit",
    "pixels_only": "saved without their metadata",
    "flattened": "brought up from sub-folders of their class",
    "renamed": "renamed (names kept unique and readable)",
}
_CHANGE_OF_FIX = {
    "convert": "converted",
    "eight_bits": "eight_bits",
    "pixels_only": "pixels_only",
    "shrink": "shrunk",
}
#: What it left out, by kind.
_LEFT_OUT = {
    "system": "system file(s) and folder(s) (.DS_Store, __MACOSX, hidden ones)",
    "beside": "file(s) beside the class folders, in no class",
    "not_images": "file(s) that are not images",
    "unreadable": "file(s) that could not be used",
}


class _LeftOut(Exception):
    """A file the copy leaves out: ``kind`` is a key of `_LEFT_OUT`, the message says why."""

    def __init__(self, kind: str, why: str = "") -> None:
        super().__init__(why)
        self.kind = kind


@dataclass
class _Job:
    """One image of the source and what becomes of it in the copy."""

    source: Path
    relative: str  # its path in SRC, for the report
    class_name: str
    name: str  # its name in the copy's class folder
    changes: list[str] = field(default_factory=list)  # keys of _DONE
    fmt: str | None = None  # "JPEG" or "PNG" when re-encoded; None: copied byte for byte
    size: tuple[int, int] | None = None  # when shrunk


@dataclass
class PrepareResult:
    """What `prepare` did: the copy, its files by kind of change, what it left out, the check.

    Parameters
    ----------
    source, target : pathlib.Path
        SRC and the copy, resolved.
    max_side : int
        Longest side of the images in the copy.
    counts : dict
        ``{class: images}`` in the copy, for every class of the source.
    done : dict
        ``{kind: ["'SRC path' -> 'copy path'", ...]}``, kinds as `_DONE`.
    left_out : dict
        ``{kind: ["'SRC path'" or "'SRC path': why", ...]}``, kinds as `_LEFT_OUT`.
    report : helpers.plumbing.data.DatasetReport
        `data.check` of the copy.
    """

    source: Path
    target: Path
    max_side: int
    counts: dict[str, int]
    done: dict[str, list[str]]
    left_out: dict[str, list[str]]
    report: data.DatasetReport

    @property
    def empty_classes(self) -> list[str]:
        """Classes of the source with no usable image (their folders in the copy are empty)."""
        return [name for name, count in self.counts.items() if count == 0]

    def __str__(self) -> str:
        images = sum(self.counts.values())
        lines = [
            f"Prepared '{self.target}' from '{self.source}': {len(self.counts)} classes, "
            f"{images} images."
        ]
        for kind, label in _DONE.items():
            limit = 0 if kind == "copied" else 3
            lines += _listed(self.done[kind], label.format(max_side=self.max_side), limit=limit)
        if any(self.left_out.values()):
            lines.append("Left out:")
            for kind, label in _LEFT_OUT.items():
                lines += _listed(
                    self.left_out[kind], label, limit=20 if kind == "unreadable" else 3
                )
        if self.empty_classes:
            lines.append(
                f"Class folder(s) with no usable image, left empty in the copy: "
                f"{self.empty_classes}. Add images, or remove the folder from SRC."
            )
        lines.append(f"Every file, where it came from and what was done: {self.target / MANIFEST}")
        return "\n".join(lines)


def _listed(items: list[str], label: str, limit: int) -> list[str]:
    """A report line: how many, what, and the first `limit` examples."""
    if not items:
        return []
    if not limit:
        return [f"  {len(items):>5} {label}"]
    more = f"; and {len(items) - limit} more" if len(items) > limit else ""
    return [f"  {len(items):>5} {label}: {'; '.join(items[:limit])}{more}"]


# --------------------------------------------------------------------------- checks


def shrunk_size(size: tuple[int, int], max_side: int) -> tuple[int, int] | None:
    """The size an image of `size` gets in the copy, or None if it is kept as it is.

    Parameters
    ----------
    size : tuple of int
        ``(width, height)``.
    max_side : int
        Longest side allowed.

    Returns
    -------
    tuple of int or None
        ``(width, height)`` with the longer side exactly `max_side` and the shape kept, when
        the image is longer than that.

    Examples
    --------
    >>> shrunk_size((4000, 3000), 1024), shrunk_size((3000, 4000), 1024)
    ((1024, 768), (768, 1024))
    >>> shrunk_size((1024, 10), 1024) is None
    True
    """
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return None
    scale = max_side / longest
    return (
        max_side if width == longest else max(1, round(width * scale)),
        max_side if height == longest else max(1, round(height * scale)),
    )


def _drafted_pixels(size: tuple[int, int], target: tuple[int, int]) -> int:
    """Pixels a JPEG of `size` decodes to when asked for at least `target` (`Image.draft`).

    libjpeg scales by 1/2, 1/4 or 1/8 while decoding; Pillow takes the smallest of those
    sizes that still covers `target`.

    Examples
    --------
    >>> _drafted_pixels((12000, 9000), (1024, 768))  # 1/8: 1500 x 1125
    1687500
    """
    for ratio in (8, 4, 2):
        width, height = -(-size[0] // ratio), -(-size[1] // ratio)
        if width >= target[0] and height >= target[1]:
            return width * height
    return size[0] * size[1]


def _checked_max_side(max_side: Any) -> int:
    """`max_side` as an int of at least `MIN_MAX_SIDE`, or `helpers.BadInput` saying so."""
    if isinstance(max_side, bool) or not isinstance(max_side, (int, np.integer)):
        raise BadInput(f"max_side must be a whole number of pixels, e.g. 1024; got {max_side!r}.")
    if max_side < MIN_MAX_SIDE:
        raise BadInput(
            f"max_side must be {MIN_MAX_SIDE} pixels or more (the lessons resize to 32-1024), "
            f"e.g. {DEFAULT_MAX_SIDE}; got {max_side}."
        )
    return int(max_side)


def _checked_source(src: str | Path) -> tuple[Path, list[str]]:
    """SRC resolved, and its classes; a one-line refusal if it is not a class-per-folder set."""
    given = paths.user_path(src)
    if not given.exists():
        raise MissingData(
            f"SRC '{given}' does not exist. Check the path: give the folder that holds one "
            "sub-folder of images per class."
        )
    if not given.is_dir():
        raise NotAFolder(
            f"SRC '{given}' is a file, not a folder. Give the folder that holds one sub-folder "
            "of images per class."
        )
    source = paths.resolve(given, "SRC")
    classes = files.list_classes(source)
    if data.looks_like_split(source):
        raise BadInput(
            f"SRC '{source}' holds the parts of a split ({classes}), not classes: bringing their "
            "sub-folders up would mix the classes. Give the dataset before it was split, or "
            f"one part of it, e.g. '{source / classes[0]}'."
        )
    if len(classes) < 2:
        holds_classes = classes and len(files.list_classes(source / classes[0])) >= 2
        inside = f", probably '{source / classes[0]}'" if holds_classes else ""
        raise BadInput(
            f"SRC '{source}' has {len(classes)} class folder(s) {classes}; it needs at least 2, "
            f"one sub-folder of images per class. Give the folder that holds them{inside}."
        )
    for name in classes:
        folder = source / name
        real = folder.resolve()
        if folder.is_symlink() and (real == source or real in source.parents):
            raise BadInput(
                f"SRC '{source}': the class folder '{name}' is a link to '{real}', which holds "
                "the dataset itself: copying it would never end. Replace the link with a folder."
            )
    return source, classes


def _refuse_overlap(source: Path, target: str | Path) -> None:
    """DST must be neither SRC, nor inside it, nor around it."""
    resolved = paths.resolve(target, _LABEL)
    if resolved == source or source in resolved.parents:
        raise BadInput(
            f"DST '{resolved}' is inside SRC '{source}' (or is it): the copy would become part "
            "of the dataset it copies. Choose a folder outside SRC, e.g. beside it."
        )
    if resolved in source.parents:
        raise BadInput(
            f"DST '{resolved}' holds SRC '{source}': replacing it would delete the photos. "
            "Choose a new folder outside SRC, e.g. beside it."
        )


# --------------------------------------------------------------------------- what to do


def _walk_class(
    folder: Path,
) -> tuple[list[tuple[Path, tuple[str, ...]]], list[Path], list[tuple[Path, str]]]:
    """Files below one class folder, each with the sub-folders it is in; what is left out.

    Returns ``(files, system, unusable)``: every file (links to files included) with the
    names of the folders between the class folder and it; hidden and system files and folders
    (not entered); folders that cannot be listed and links to folders (not followed), with why.
    """
    found: list[tuple[Path, tuple[str, ...]]] = []
    system: list[Path] = []
    unusable: list[tuple[Path, str]] = []
    pending: list[tuple[Path, tuple[str, ...]]] = [(folder, ())]
    while pending:
        current, parts = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as err:
            unusable.append(
                (current, f"cannot be listed ({err.strerror or err}); {data.what_to_do(err)}")
            )
            continue
        for entry in entries:
            path = Path(entry.path)
            if files.is_hidden(path):
                system.append(path)
            elif entry.is_dir(follow_symlinks=False):
                pending.append((path, (*parts, entry.name)))
            elif entry.is_symlink() and path.is_dir():
                unusable.append((path, "a link to a folder: not followed; copy its images in"))
            else:
                found.append((path, parts))
    return sorted(found), sorted(system), unusable


def _readable(name: str) -> str:
    """`name` with bytes that are not UTF-8 (they arrive as surrogates) replaced by ``_``.

    Examples
    --------
    >>> _readable(b"caf\\xe9.jpg".decode("utf-8", "surrogateescape"))
    'caf_.jpg'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\ufffd", "_")


def _shown(name: str) -> str:
    """`name` as it can be printed: bytes that are not UTF-8 written as ``\\xe9``.

    Examples
    --------
    >>> _shown(b"caf\\xe9.jpg".decode("utf-8", "surrogateescape"))
    'caf\\\\xe9.jpg'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _class_names(classes: list[str]) -> dict[str, str]:
    """Each class folder's name in the copy: readable (`_readable`) and unique, ignoring case.

    Examples
    --------
    >>> odd = b"caf\\xe9".decode("utf-8", "surrogateescape")
    >>> _class_names(["cats", odd, "caf_"])
    {'cats': 'cats', 'caf_': 'caf_', 'caf\\udce9': 'caf_ (2)'}
    """
    names: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(classes, key=lambda n: _readable(n) != n):  # readable names first
        new, number = _readable(name), 2
        while new.casefold() in used:
            new, number = f"{_readable(name)} ({number})", number + 1
        used.add(new.casefold())
        names[name] = new
    return names


def _fitting(stem: str, suffix: str) -> str:
    """``stem + suffix``, the stem cut from its start until the name fits a file system."""
    while len((stem + suffix).encode("utf-8")) > _LONGEST_NAME:
        stem = stem[1:]
    return stem + suffix


def _is_lossy(path: Path, image: Any) -> bool:
    """Whether the original was compressed with loss (JPEG, lossy WebP, AVIF, HEIF)."""
    if image.format in (*_JPEG_FAMILY, "AVIF", "HEIF"):
        return True
    return image.format == "WEBP" and _webp_kind(path) == b"VP8 "


def _webp_kind(path: Path) -> bytes | None:
    """The WebP chunk that holds the picture: ``b"VP8 "`` (lossy) or ``b"VP8L"`` (lossless).

    A WebP file is ``RIFF <size> WEBP`` and chunks of ``<kind> <size> <data>``; an extended
    one (``VP8X``) has its metadata, alpha and animation chunks before the picture.
    """
    with path.open("rb") as handle:
        handle.seek(12)
        while len(header := handle.read(8)) == 8:
            kind, size = header[:4], int.from_bytes(header[4:], "little")
            if kind in (b"VP8 ", b"VP8L", b"ANMF"):
                return kind
            handle.seek(size + size % 2, os.SEEK_CUR)  # chunks are padded to even sizes
    return None


def _has_alpha(image: Any) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _header(path: Path) -> tuple[str, str, tuple[int, int], bool, bool]:
    """``(format, mode, size, lossy, transparent)`` from a file's header; `_LeftOut` if none.

    Decompression bombs were refused before (`data.inspect_image`), but for JPEGs up to twice
    Pillow's limit, which `_plan` shrinks while decoding.
    """

    try:
        with Image.open(path) as image:
            return image.format, image.mode, image.size, _is_lossy(path, image), _has_alpha(image)
    except Exception as err:  # noqa: BLE001 - whatever Pillow raises, the file is unusable
        raise _LeftOut("unreadable", f"cannot be read ({err})") from None


def _suffix(path: Path, fmt: str) -> str:
    """The file's own ending if it names `fmt` (``.JPG``, ``.jpeg``), else ``.jpg``/``.png``."""
    return path.suffix if path.suffix.lower() in _SUFFIXES[fmt] else _SUFFIXES[fmt][0]


def _plan(path: Path, max_side: int) -> tuple[str | None, str, list[str], tuple[int, int] | None]:
    """What becomes of one file: ``(fmt, suffix, changes, size)``; `_LeftOut` if nothing.

    ``fmt`` is None for a copy byte for byte; ``size`` the size it is shrunk to, if it is.
    """
    why = data.stat_problem(path)  # never opens a FIFO
    if why:
        raise _LeftOut("unreadable", why)
    suffix = path.suffix.lower()
    if suffix not in files.IMAGE_SUFFIXES and suffix not in CONVERTIBLE_ENDINGS:
        raise _LeftOut("not_images")
    try:
        data.inspect_image(path)
        fix = None
    except data.Unusable as refusal:
        if refusal.fix is None:
            raise _LeftOut("unreadable", _reason(suffix, str(refusal))) from None
        fix = refusal.fix
    real, mode, size, lossy, alpha = _header(path)
    changes = [_CHANGE_OF_FIX[fix]] if fix else []
    if fix == "convert" and mode.startswith("I;16"):
        changes.append("eight_bits")  # a 16-bit grayscale TIFF
    fmt = "JPEG" if fix == "shrink" else None
    if fix == "convert":
        fmt = "JPEG" if lossy and not alpha else "PNG"
    elif fix in ("eight_bits", "pixels_only"):
        fmt = "PNG"  # lossless
    target = shrunk_size(size, max_side)
    if fix == "shrink":
        changes.remove("shrunk")  # said below, once
        if not target or _drafted_pixels(size, target) > Image.MAX_IMAGE_PIXELS:
            raise _LeftOut(
                "unreadable",
                f"too large to decode safely ({size[0]}x{size[1]}), even at 1/8 of its size "
                f"for --max-side {max_side}: shrink it, or give a smaller --max-side",
            )
    if target:
        changes.append("shrunk")
        fmt = fmt or ("JPEG" if real in _JPEG_FAMILY else "PNG")
    if fmt:
        return fmt, _suffix(path, fmt), changes, target
    if suffix in files.IMAGE_SUFFIXES:
        return None, path.suffix, changes, None
    return None, ".jpg", [*changes, "renamed"], None  # a JPEG named .jfif: the loaders skip it


def _reason(suffix: str, why: str) -> str:
    if suffix in (".heic", ".heif") and why.startswith("not an image"):
        return (
            "a HEIC photo, which Pillow cannot read here: export it as JPEG (on an iPhone: "
            "Settings, Camera, Formats, Most Compatible)"
        )
    if suffix == ".jxl" and why.startswith("not an image"):
        return "a JPEG XL image, which Pillow cannot read here: export it as JPEG or PNG"
    return why


def _jobs(
    source: Path, classes: list[str], renamed: dict[str, str], max_side: int
) -> tuple[list[_Job], dict[str, list[str]]]:
    """Every image of the source with what becomes of it, and what is left out (by kind).

    `renamed` gives each class's folder in the copy (`_class_names`).
    """
    left_out: dict[str, list[str]] = {kind: [] for kind in _LEFT_OUT}

    def shown(path: Path) -> str:
        return f"'{_relative(path, source)}'"

    for path in sorted(source.iterdir()):
        if files.is_hidden(path):
            left_out["system"].append(shown(path))
        elif not path.is_dir():
            left_out["beside"].append(shown(path))
    jobs = []
    for name in classes:
        found, system, unusable = _walk_class(source / name)
        left_out["system"] += [shown(path) for path in system]
        left_out["unreadable"] += [f"{shown(path)}: {why}" for path, why in unusable]
        for path, parts in found:
            try:
                fmt, suffix, changes, size = _plan(path, max_side)
            except _LeftOut as out:
                why = str(out)
                left_out[out.kind].append(f"{shown(path)}: {why}" if why else shown(path))
                continue
            base = "_".join((*parts, path.stem))
            wanted = _fitting(_readable(base), suffix)
            if parts:
                changes.append("flattened")
            if wanted != base + suffix and "renamed" not in changes:
                changes.append("renamed")  # not UTF-8, or cut to fit
            jobs.append(
                _Job(path, _relative(path, source), renamed[name], wanted, changes, fmt, size)
            )
    return jobs, left_out


def _relative(path: Path, source: Path) -> str:
    return _shown(path.relative_to(source).as_posix())


def _unique_names(jobs: list[_Job]) -> None:
    """Give every job a name no other file of its class has, ignoring case (macOS, Windows).

    Names that stay as they were are given first, so that a photo keeps its own name and the
    one brought up or converted beside it gets `` (2)``.
    """
    taken: dict[str, set[str]] = {}
    for job in sorted(jobs, key=lambda j: (j.source.name != j.name, j.relative)):
        used = taken.setdefault(job.class_name, set())
        stem, suffix = os.path.splitext(job.name)
        name, number = job.name, 2
        while name.casefold() in used:
            name, number = _fitting(f"{stem} ({number})", suffix), number + 1
        if name != job.name and "renamed" not in job.changes:
            job.changes.append("renamed")
        used.add(name.casefold())
        job.name = name


# --------------------------------------------------------------------------- doing it


def _eight_bits_or_rgb(image: Any) -> Any:
    """The decoded picture in a mode every loader reads alike: 16-bit grayscale as 8 bits
    (``v >> 8``, what OpenCV and TensorFlow read), CMYK as RGB; `_LeftOut` for 32 bits."""

    if image.mode.startswith("I;16") or (image.mode == "I" and image.format == "PNG"):
        values = np.asarray(image)  # a PNG holds at most 16 bits: "I" from one is 16-bit
        return Image.fromarray((values.astype(np.uint32) >> 8).astype(np.uint8), "L")
    if image.mode in ("I", "F"):
        raise _LeftOut(
            "unreadable",
            "32-bit grayscale: no one scale to 8 bits fits every such file; save it as 8-bit",
        )
    if image.mode == "CMYK":
        return image.convert("RGB")
    return image


def _resized(picture: Any, size: tuple[int, int]) -> Any:
    """`picture` resized to `size` with Pillow's antialiasing Lanczos filter."""

    if picture.mode == "P":  # a palette cannot be averaged
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    elif picture.mode == "1":
        picture = picture.convert("L")
    return picture.resize(size, Image.Resampling.LANCZOS)


def _decoded(job: _Job) -> tuple[Any, dict[str, Any]]:
    """The picture to save for `job` (decoded, 8-bit, shrunk), and the options to save it with.

    A JPEG to be shrunk is decoded at the largest of 1/2, 1/4 and 1/8 of its size that is
    still at least the target size (libjpeg scales while decoding), then resized.
    """

    with Image.open(job.source) as image:  # (bombs: see _header)
        orientation = image.getexif().get(_ORIENTATION)
        options: dict[str, Any] = {}
        if isinstance(orientation, int):  # kept, so every loader sees what it saw before
            exif = Image.Exif()
            exif[_ORIENTATION] = orientation
            options["exif"] = exif.tobytes()
        if image.info.get("icc_profile") and image.mode != "CMYK":
            options["icc_profile"] = image.info["icc_profile"]
        if job.size and image.format in _JPEG_FAMILY:
            image.draft(image.mode, job.size)
        image.load()
        picture = _eight_bits_or_rgb(image)
        if job.size:
            picture = _resized(picture, job.size)
        elif picture is image:
            picture = image.copy()  # still usable once the file is closed
    return picture, options


def _save(picture: Any, path: Path, fmt: str, options: dict[str, Any]) -> None:
    """Write `picture` as JPEG (quality `JPEG_QUALITY`) or PNG."""
    if fmt == "JPEG":
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        picture.save(path, "JPEG", quality=JPEG_QUALITY, **options)
    else:
        picture.save(path, "PNG", **options)


def _do(job: _Job, folder: Path) -> None:
    """Write one image of the copy into `folder`; `_LeftOut` if the original cannot be read.

    Only reading the original can leave a file out: an error while writing (a full disk)
    stops the whole copy.
    """
    target = folder / job.class_name / job.name
    if job.fmt is None:
        try:
            original = job.source.open("rb")
        except OSError as err:
            raise _LeftOut("unreadable", f"cannot be read ({err.strerror or err})") from None
        with original, target.open("xb") as copy:
            shutil.copyfileobj(original, copy, 1 << 20)
        return
    try:
        picture, options = _decoded(job)
    except _LeftOut:
        raise
    except Exception as err:  # noqa: BLE001 - a decoder's error names a damaged file
        raise _LeftOut("unreadable", f"damaged image ({err})") from None
    _save(picture, target, job.fmt, options)


def _run(jobs: list[_Job], folder: Path, *, progress: bool) -> list[tuple[_Job, _LeftOut]]:
    """Do every job into `folder`, on as many threads as there are usable cores.

    Pillow decodes, resizes and encodes without holding Python's lock, so threads run in
    parallel. On Ctrl-C or SIGTERM the jobs not started are dropped and the running ones
    finish (a fraction of a second) before the staging folder is removed.
    """
    failed: list[tuple[_Job, _LeftOut]] = []
    bar = tqdm(total=len(jobs), desc="Preparing images", unit="img", disable=not progress)
    pool = ThreadPoolExecutor(max_workers=startup.usable_cpus())
    try:
        running: dict[Future, _Job] = {pool.submit(_do, job, folder): job for job in jobs}
        pending = set(running)
        while pending:
            finished, pending = wait(pending, timeout=0.5, return_when="FIRST_COMPLETED")
            for future in finished:
                bar.update()
                error = future.exception()
                if isinstance(error, _LeftOut):
                    failed.append((running[future], error))
                elif error is not None:
                    raise error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
    return sorted(failed, key=lambda item: item[0].relative)


def _manifest(source: Path, max_side: int, jobs: list[_Job], left_out: dict[str, list[str]]) -> str:
    """``.prepare.json``: every file of the copy, where it came from and what was done."""
    record = {
        "made_by": MADE_BY,
        "source": str(source),
        "max_side": max_side,
        "files": {
            f"{job.class_name}/{job.name}": {"from": job.relative, "changes": job.changes}
            for job in sorted(jobs, key=lambda j: (j.class_name, j.name))
        },
        "left_out": left_out,
    }
    return json.dumps(record, indent=1, ensure_ascii=False)


def prepare(
    src: str | Path,
    dst: str | Path,
    *,
    max_side: int = DEFAULT_MAX_SIDE,
    overwrite: bool = False,
    progress: bool = True,
) -> PrepareResult:
    """Make a workshop-ready copy of the class-per-folder `src` in `dst`; `src` is never changed.

    See the module's description for what is done to each file.

    Parameters
    ----------
    src : str or pathlib.Path
        A folder with one sub-folder per class (at least 2).
    dst : str or pathlib.Path
        The copy: a new or empty folder, or (with `overwrite`) an earlier copy made by this
        function whose files are unchanged. Not inside `src`, nor around it; inside the
        repository only in ``build/``.
    max_side : int, optional
        Longest side of the images in the copy, in pixels (at least `MIN_MAX_SIDE`).
    overwrite : bool, optional
        Replace an earlier copy made by `prepare`.
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    PrepareResult
        Printable: what was changed and left out; ``.report`` is `data.check` of the copy.

    Raises
    ------
    helpers.MissingData, helpers.NotAFolder
        If `src` does not exist or is a file.
    helpers.BadInput
        If `src` has fewer than 2 class folders or is a split, `dst` overlaps it, or
        `max_side` is not a whole number of at least `MIN_MAX_SIDE`.
    helpers.Protected, helpers.NotEmpty, helpers.NotOurs
        As `helpers.outputs.replace_folder`, before anything is read.

    Examples
    --------
    >>> from helpers import paths
    >>> result = prepare(paths.SAMPLE_DIR, tmp_path / "copy", max_side=300, progress=False)
    >>> result.counts, len(result.done["shrunk"]), result.report.ok
    ({'Kirmizi_Pistachio': 30, 'Siirt_Pistachio': 30}, 60, True)
    """
    max_side = _checked_max_side(max_side)
    source, classes = _checked_source(src)
    _refuse_overlap(source, dst)
    outputs.refuse_in_work_folder(dst, _LABEL)
    outputs.refuse_sources_inside(source, dst, _LABEL)
    protect = {"the source (SRC)": source}
    outputs.check_folder(dst, _LABEL, made_by=MADE_BY, overwrite=overwrite, protect=protect)
    with warnings.catch_warnings():  # a JPEG _plan found shrinkable: Pillow warns at open
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return _prepare(source, classes, dst, max_side, overwrite=overwrite, progress=progress)


def _prepare(
    source: Path, classes: list[str], dst: str | Path, max_side: int, *, overwrite: bool,
    progress: bool,
) -> PrepareResult:  # fmt: skip
    """`prepare` once its arguments are checked."""
    protect = {"the source (SRC)": source}
    renamed = _class_names(classes)  # {class in SRC: its folder in the copy}
    jobs, left_out = _jobs(source, classes, renamed, max_side)
    _unique_names(jobs)
    details = {"source": str(source), "max_side": max_side}
    with outputs.replace_folder(
        dst, _LABEL, made_by=MADE_BY, overwrite=overwrite, details=details, protect=protect
    ) as new:
        for name in classes:
            (new / renamed[name]).mkdir()
        failed = _run(jobs, new, progress=progress)
        for job, out in failed:
            left_out[out.kind].append(f"'{job.relative}': {out}")
        gone = {id(job) for job, _ in failed}
        jobs = [job for job in jobs if id(job) not in gone]
        manifest = _manifest(source, max_side, jobs, left_out)
        (new / MANIFEST).write_text(manifest, encoding="utf-8", errors="backslashreplace")
    target = paths.resolve(dst, _LABEL)
    return PrepareResult(
        source,
        target,
        max_side,
        {name: sum(job.class_name == name for job in jobs) for name in renamed.values()},
        _done(jobs, renamed),
        left_out,
        data.check(target, progress=progress),
    )


def _done(jobs: list[_Job], classes: dict[str, str]) -> dict[str, list[str]]:
    """``{kind: ["'from' -> 'to'" or "'path'"]}`` of what was done, for the report.

    A class folder whose name changed (`_class_names`) is listed first among the renamed.
    """
    done: dict[str, list[str]] = {kind: [] for kind in _DONE}
    done["renamed"] += [
        f"'{_shown(old)}/' -> '{new}/'" for old, new in classes.items() if old != new
    ]
    for job in jobs:
        now = f"{job.class_name}/{job.name}"
        shown = f"'{job.relative}'" if now == job.relative else f"'{job.relative}' -> '{now}'"
        for kind in dict.fromkeys(job.changes if job.fmt else ["copied", *job.changes]):
            done[kind].append(shown)
    return done
