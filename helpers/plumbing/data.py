"""The workshop's data: the bundled sample and the real Kaggle set (plumbing, not a lesson).

The sample mirrors the layout of the Kaggle download exactly, so that every
notebook works unchanged on the real data::

    data/sample/
    └── Pistachio_Image_Dataset/
        ├── Pistachio_Image_Dataset_Request.txt
        └── Pistachio_Image_Dataset/          <- DATA_DIR (one folder per class)
            ├── Kirmizi_Pistachio/kirmizi (1).jpg …
            └── Siirt_Pistachio/siirt (1).jpg …
"""

from __future__ import annotations

import errno
import os
import re
import shlex
import stat
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm  # not tqdm.auto: it warns "IProgress not found" in notebooks

from helpers import BadInput, NotOurs, files, images, outputs, paths
from helpers.plumbing import synthetic

__all__ = [
    "DEFAULT_PER_CLASS",
    "DEFAULT_SEED",
    "FIXES",
    "REQUEST_FILE",
    "SPLIT_NAMES",
    "UNSUPPORTED",
    "ClassSummary",
    "DatasetReport",
    "ImageFacts",
    "Unusable",
    "check",
    "inspect_image",
    "is_utf8",
    "looks_like_split",
    "make_sample",
    "prepare_command",
    "sample_layout",
    "stat_problem",
    "what_to_do",
]

_LABEL, _MADE_BY = "The sample's folder", "python -m helpers data sample"

#: Images per class in the bundled sample, and the seed that drew them.
DEFAULT_PER_CLASS = 30
DEFAULT_SEED = 2022

REQUEST_FILE = "Pistachio_Image_Dataset_Request.txt"
_TOP = "Pistachio_Image_Dataset"
_CLASSES = {"kirmizi": paths.CLASS_NAMES[0], "siirt": paths.CLASS_NAMES[1]}

_REQUEST_TEXT = """\
SYNTHETIC STAND-IN for the Pistachio Image Dataset
==================================================

The images in this folder were DRAWN by `python -m helpers data sample`
(helpers/plumbing/synthetic.py): they are not photographs. They copy the layout, file
names, size (600x600 RGB JPEG on black) and two classes of the real data set,
which may not be redistributed here.

The real data set (2,148 photos: 1,232 Kirmizi, 916 Siirt) is on Kaggle as
"Pistachio Image Dataset" by Murat Koklu. Its authors ask you to cite:

  Ozkan, I. A., Koklu, M., Saracoglu, R. (2021). Classification of Pistachio
  Species Using Improved K-NN Classifier. Progress in Nutrition, 23(2), e2021044.

  Singh, D., Taspinar, Y. S., Kursun, R., Cinar, I., Koklu, M., Ozkan, I. A.,
  Lee, H.-N. (2022). Classification and Analysis of Pistachio Species with
  Pre-Trained Deep Learning Models. Electronics, 11(7), 981.

See data/README.md for how to download it and use it in the workshop.
"""


def sample_layout(root: str | Path) -> Path:
    """The class-per-folder directory inside a sample (or Kaggle) root.

    Parameters
    ----------
    root : str or pathlib.Path
        The folder that holds ``Pistachio_Image_Dataset/``.

    Returns
    -------
    pathlib.Path
        ``root/Pistachio_Image_Dataset/Pistachio_Image_Dataset``.

    Examples
    --------
    >>> sample_layout("data/sample").as_posix()
    'data/sample/Pistachio_Image_Dataset/Pistachio_Image_Dataset'
    """
    return Path(root) / _TOP / _TOP


def make_sample(
    out: str | Path = paths.SAMPLE_ROOT,
    *,
    per_class: int = DEFAULT_PER_CLASS,
    seed: int = DEFAULT_SEED,
    size: int = 600,
    progress: bool = True,
) -> Path:
    """Generate the synthetic pistachio sample in the Kaggle layout.

    Images are drawn in a temporary folder next to the target and moved into
    place only when all are written, so an interrupted run leaves the old
    sample intact. Image ``i`` of a class depends only on ``(seed, class, i)``:
    asking for more images per class keeps the first ones identical.

    `out` is written as every output of the workshop is (`helpers.outputs`): it must be
    new, empty, or an earlier sample whose files are unchanged; a folder with anything
    else in it (a real download, your own photos) is refused and left as it is.

    Parameters
    ----------
    out : str or pathlib.Path, optional
        Folder to write ``Pistachio_Image_Dataset/`` into (default: ``data/sample``, the
        only place inside ``data/`` it writes to).
    per_class : int, optional
        Images per class, at least 1.
    seed : int, optional
        Seed of the drawing.
    size : int, optional
        Image width and height in pixels.
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    pathlib.Path
        The class-per-folder directory (use it as ``DATA_DIR``).

    Raises
    ------
    helpers.BadInput
        If `per_class` is below 1.
    helpers.Protected
        If `out` lies in the lessons, the code or ``data/`` (other than ``data/sample``).
    helpers.NotOurs
        If `out` holds anything the workshop did not write.
    OSError
        If `out` cannot be created or written.

    Examples
    --------
    >>> data_dir = make_sample(tmp_path, per_class=2, size=64, progress=False)
    >>> sorted(p.name for p in (data_dir / "Siirt_Pistachio").iterdir())
    ['siirt (1).jpg', 'siirt (2).jpg']
    """
    if per_class < 1:
        raise BadInput(f"per_class must be at least 1, got {per_class}.")
    try:
        with outputs.replace_folder(out, _LABEL, made_by=_MADE_BY, allow=paths.SAMPLE_ROOT) as new:
            _draw(new, per_class, seed, size, progress)
    except NotOurs as err:  # the bundled sample, changed: git has the committed one
        if paths.in_checkout() and paths.user_path(out).absolute() == paths.SAMPLE_ROOT:
            raise NotOurs(
                f"{err} To restore the bundled sample as committed: git checkout -- data/sample"
            ) from None
        raise
    out = paths.resolve(out, _LABEL)
    return sample_layout(out)


def _draw(root: Path, per_class: int, seed: int, size: int, progress: bool) -> None:
    """Draw the sample's images and request text into `root`, in the Kaggle layout."""
    jobs = [(k, i) for k in _CLASSES for i in range(1, per_class + 1)]
    for kind, i in tqdm(jobs, desc="Drawing sample", unit="img", disable=not progress):
        folder = sample_layout(root) / _CLASSES[kind]
        folder.mkdir(parents=True, exist_ok=True)
        class_index = list(_CLASSES).index(kind)
        rng = np.random.default_rng([seed, class_index, i])
        images.write_image(folder / f"{kind} ({i}).jpg", synthetic.draw_nut(kind, rng, size))
    (root / _TOP / REQUEST_FILE).write_text(_REQUEST_TEXT, encoding="utf-8")


# --------------------------------------------------------------------------- dataset check

#: Endings that some image loader reads but not all of ours, or none (Keras skips them silently).
UNSUPPORTED = {".webp", ".heic", ".heif", ".avif", ".gif", ".tif", ".tiff", ".ppm", ".jxl"}
_MODE_NOTES = {
    "L": "grayscale: Keras repeats it into 3 identical channels",
    "LA": "grayscale with transparency: the alpha channel is dropped",
    "P": "palette colours: converted to RGB on load",
    "RGBA": "RGBA: the alpha (transparency) channel is dropped",
    "RGB;16": "16-bit colour PNGs: every loader reads them as 8 bits a channel",
    "RGBA;16": "16-bit RGBA PNGs: read as 8 bits a channel; the alpha channel is dropped",
    "LA;16": "16-bit grayscale PNGs with transparency: read as 8 bits; the alpha is dropped",
    "1": "1-bit black and white: converted to RGB on load",
}
#: Pillow modes of grayscale deeper than 8 bits: Keras clips them to 255 (all white), while
#: OpenCV and TensorFlow scale them down.
_DEEP_GRAYSCALE = {
    "I;16": "16-bit",
    "I;16B": "16-bit",
    "I;16L": "16-bit",
    "I": "32-bit",
    "F": "32-bit float",
}
#: What Pillow calls the formats every loader of the lessons decodes, whatever the ending says.
#: MPO ("multi-picture") is how Pillow names many phone and camera JPEGs.
_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "BMP": "BMP"}
#: PNG colour types of 16-bit files (the IHDR byte after the bit depth) -> mode for the notes
_PNG16_MODES = {2: "RGB;16", 4: "LA;16", 6: "RGBA;16"}
_END_MARKERS = {"JPEG": b"\xff\xd9", "PNG": b"IEND\xaeB`\x82"}
_ORIENTATION = 0x0112  # the EXIF tag that says how to turn a photo upright
#: Classes with fewer images get a note: splits leave them without validation images.
SMALL_CLASS = 7
#: At least one class needs this many images, or the validation sets of lessons 04, 05 and 07
#: are empty: 8 images give 5 for training after a 70/30 split, and validation_split=0.2 of 5
#: is the first image that Keras holds out.
MIN_LARGEST_CLASS = 8
#: Images above this many pixels get a note: lessons 01 and 02 decode them whole.
LARGE_PIXELS = 12_000_000


@dataclass
class ClassSummary:
    """One class folder in a `DatasetReport`.

    Parameters
    ----------
    name : str
        Folder name.
    count : int
        Images of supported formats directly in the folder.
    formats : dict
        ``{ending: count}`` of those images.
    example_size : tuple of int or None
        ``(width, height)`` of the first readable image.
    """

    name: str
    count: int
    formats: dict[str, int]
    example_size: tuple[int, int] | None


@dataclass
class DatasetReport:
    """What `check` found: per-class counts, fatal problems and harmless notes.

    Parameters
    ----------
    root : pathlib.Path
        The folder checked.
    classes : list of ClassSummary
        One per visible class folder, in Keras' label order.
    problems : list of str
        Things that would break or mislead training; any of them makes `ok` False.
    notes : list of str
        Things worth knowing that do not stop training.
    """

    root: Path
    classes: list[ClassSummary] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing would break or mislead training."""
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        """``{class: image count}``."""
        return {summary.name: summary.count for summary in self.classes}

    def __str__(self) -> str:
        lines = [f"Dataset: {self.root}"]
        if self.classes:
            lines.append(f"  {'class':<28} {'images':>7}  {'formats':<22} example size")
            for c in self.classes:
                formats = ", ".join(
                    f"{ext.lstrip('.')} {n}" for ext, n in sorted(c.formats.items())
                )
                size = f"{c.example_size[0]}×{c.example_size[1]}" if c.example_size else "-"
                lines.append(f"  {c.name:<28} {c.count:>7}  {formats or '-':<22} {size}")
            lines.append(f"  {'total':<28} {sum(self.counts.values()):>7}")
        if self.problems:
            lines.append("Problems (training would break or be misled):")
            lines += [f"  ✗ {problem}" for problem in self.problems]
        if self.notes:
            lines.append("Notes:")
            lines += [f"  • {note}" for note in self.notes]
        verdict = "OK: ready for training." if self.ok else "NOT OK: fix the problems above."
        lines.append(verdict)
        return "\n".join(lines)


def _examples(paths: list[Path], root: Path, limit: int = 3) -> str:
    shown = ", ".join(f"'{p.relative_to(root).as_posix()}'" for p in paths[:limit])
    more = f" and {len(paths) - limit} more" if len(paths) > limit else ""
    return shown + more


def _ends_with_marker(path: Path, marker: bytes) -> bool:
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 4096))
        tail = handle.read().rstrip(b"\0\r\n ")
    return tail.endswith(marker)


#: More bytes than this outside a PNG's pixels (text, ICC and other chunks) is a problem: lesson
#: 02 measures the memory of reading images, and every loader reads the whole file.
PNG_METADATA_LIMIT = 1_000_000


def _png_structure(path: Path) -> str | None:
    """Why a PNG's chunks do not add up (cut short, or padded with an end chunk), or None.

    Walks the chunk headers (length, type, data, CRC) without decoding: a file cut short
    but ending in IEND has chunks that overrun, which the end-marker check alone misses.
    """
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        position, metadata = 8, 0
        while position + 12 <= size:
            handle.seek(position)
            header = handle.read(8)
            length, kind = int.from_bytes(header[:4], "big"), header[4:8]
            position += 12 + length
            if kind == b"IEND":
                break
            if kind not in (b"IDAT", b"IHDR", b"PLTE"):
                metadata += length
        else:
            return "damaged image (cut short: its chunks run past the end of the file)"
    if position > size:
        return "damaged image (cut short: its chunks run past the end of the file)"
    if metadata > PNG_METADATA_LIMIT:
        from helpers.generators import readable_size

        return (
            f"holds {readable_size(metadata)} of text or metadata besides its pixels: every "
            "loader reads it with each image (lesson 02's memory check fails); save the "
            "pixels alone (Image.open(p).save(p))"
        )
    return None


def _png_depth_and_colour(path: Path) -> tuple[int, int]:
    """Bit depth and colour type from a PNG's IHDR chunk (Pillow shows 16-bit colour as 8)."""
    with path.open("rb") as handle:
        header = handle.read(26)
    return (header[24], header[25]) if len(header) == 26 else (8, 2)


def _bmp_tensorflow_misreads(path: Path, mode: str) -> bool:
    """True for BMPs TensorFlow's decoder rejects or reads wrongly.

    It decodes uncompressed 24- and 32-bit files, and 8-bit ones as gray values: a colour
    palette comes out as its index numbers. 1-, 4- and 16-bit and compressed files raise.
    """
    with path.open("rb") as handle:
        header = handle.read(34)
    if len(header) < 34 or int.from_bytes(header[14:18], "little") == 12:
        return True  # cut short, or the old OS/2 header
    bits = int.from_bytes(header[28:30], "little")
    compression = int.from_bytes(header[30:34], "little")  # 0 none, 3 bit masks
    if bits == 8:
        return mode != "L" or compression != 0
    return bits not in (24, 32) or compression not in (0, 3)


def what_to_do(err: OSError) -> str:
    """What to do about a file or folder the system refused to read, by the reason it gave.

    Examples
    --------
    >>> import errno
    >>> what_to_do(OSError(errno.ELOOP, "Too many levels of symbolic links"))
    'a link leads back to itself: replace it with the folder or file it should be'
    """
    return {
        errno.EACCES: "check its permissions (chmod -R u+rX)",
        errno.EPERM: "check its permissions (chmod -R u+rX)",
        errno.ELOOP: "a link leads back to itself: replace it with the folder or file it should be",
        errno.ENAMETOOLONG: "its path is too long: move it up or give its folders shorter names",
        errno.EIO: "the disk could not read it: copy the dataset to another disk",
    }.get(err.errno or 0, "check that it can be opened")


def stat_problem(path: Path) -> str | None:
    """Why `path` is not a regular file a loader can open, or None when it is one.

    Never opens the file: a FIFO named ``.jpg`` would block any reader forever.

    Examples
    --------
    >>> (tmp_path / "gone.jpg").symlink_to(tmp_path / "nowhere.jpg")
    >>> stat_problem(tmp_path / "gone.jpg")[:13]
    'a broken link'
    """
    try:
        mode = path.stat().st_mode  # follows symbolic links
    except FileNotFoundError:
        return "a broken link (it points at nothing): Keras lists it, then fails to open it"
    except OSError as err:
        return f"cannot be read ({err.strerror or err}); {what_to_do(err)}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None  # a link to a folder: the loaders do not follow it (noted as a non-image)
    kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "not a regular file"
    return f"{kind}: a loader that opens it waits forever (image_dataset_from_directory does)"


#: What `python -m helpers data prepare` does about a file `check` refuses, by name: save it in
#: a format every loader reads alike, scale 16-bit grayscale to 8 bits, or keep its pixels
#: without the metadata around them (`Unusable.fix`).
FIXES = {
    "convert": "saved as JPEG or PNG",
    "eight_bits": "16-bit grayscale saved as 8-bit",
    "pixels_only": "saved without its metadata",
    "shrink": "shrunk while it is decoded (a JPEG too large to decode whole)",
}


class Unusable(Exception):
    """Why one file cannot be used as it is (its message goes into the report).

    Parameters
    ----------
    why : str
        The reason, for a person.
    fix : str, optional
        A key of `FIXES` when ``data prepare`` can make a usable copy; None when nothing can
        (a damaged file, an empty one, a picture whose loaders disagree on what it shows).

    Examples
    --------
    >>> Unusable("a CMYK JPEG", fix="convert").fix
    'convert'
    """

    def __init__(self, why: str, fix: str | None = None) -> None:
        super().__init__(why)
        self.fix = fix


@dataclass
class ImageFacts:
    """What a usable image's header says: Pillow's mode, ``(width, height)``, EXIF orientation."""

    mode: str
    size: tuple[int, int]
    orientation: int


def _is_jpeg(path: Path) -> bool:
    """Whether the file starts as every JPEG does (``FF D8 FF``), whatever its ending."""
    with path.open("rb") as handle:
        return handle.read(3) == b"\xff\xd8\xff"


def inspect_image(path: Path, deep: bool = False) -> ImageFacts:
    """Colour mode, size and EXIF orientation of one regular file; `Unusable` says why not.

    Parameters
    ----------
    path : pathlib.Path
        A regular file (never a FIFO: check `stat_problem` first).
    deep : bool, optional
        Decode it fully, and a JPEG a second time with OpenCV to read libjpeg's warnings.

    Returns
    -------
    ImageFacts
        For a file every loader of the lessons reads alike.

    Raises
    ------
    Unusable
        Why not, and (``.fix``) what ``data prepare`` can do about it.

    Examples
    --------
    >>> inspect_image(next(paths.SAMPLE_DIR.glob("*/*.jpg"))).size
    (600, 600)
    """
    from PIL import Image, UnidentifiedImageError

    if path.stat().st_size == 0:
        raise Unusable("empty file (0 bytes)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                facts, kind = _read_header(path, image)
                marker = _END_MARKERS.get(kind)
                if deep or (marker and not _ends_with_marker(path, marker)):
                    image.load()  # full decode: raises on truncated data
    except UnidentifiedImageError:
        raise Unusable("not an image (Pillow cannot identify it)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        pixels = re.search(r"\((\d+) pixels\)", str(err))
        megapixels = f"{int(pixels.group(1)) / 1e6:.0f} megapixels" if pixels else "too many pixels"
        # Up to twice the limit Pillow only warns, and a JPEG decodes at 1/8 of its size.
        shrinkable = isinstance(err, Image.DecompressionBombWarning) and _is_jpeg(path)
        raise Unusable(
            f"too large to decode safely ({megapixels}; Pillow and Keras refuse or warn above "
            f"{Image.MAX_IMAGE_PIXELS / 1e6:.0f}); shrink it",
            fix="shrink" if shrinkable else None,
        ) from None
    except PermissionError:
        raise Unusable("cannot be read (permission denied); check its permissions") from None
    except (OSError, SyntaxError, ValueError) as err:
        raise Unusable(f"damaged image ({err})") from None
    _refuse_what_loaders_misread(path, kind, facts.mode)
    if deep and kind == "JPEG":
        damage = [m for m in images.decoder_messages(path) if _is_damage(m)]
        if damage:
            raise Unusable(f"damaged image (the JPEG decoder says: {damage[0]})")
    return facts


def _read_header(path: Path, image: Any) -> tuple[ImageFacts, str]:
    """What an opened image's header says, and its real format; `Unusable` for a trap."""
    kind = _FORMATS.get(image.format)
    if kind is None:
        raise Unusable(
            f"really {image.format}, whatever its ending says: TensorFlow cannot decode it; "
            "save it as JPEG or PNG",
            fix="convert",
        )
    mode = image.mode
    has_exif = kind == "JPEG" or "exif" in image.info  # a PNG's eXIf chunk
    orientation = image.getexif().get(_ORIENTATION, 1) if has_exif else 1
    if kind == "PNG" and mode in ("RGB", "RGBA"):
        depth, colour = _png_depth_and_colour(path)
        mode = _PNG16_MODES.get(colour, mode) if depth == 16 else mode
    hidden_first = getattr(image, "default_image", False)  # an APNG's still image
    if kind == "PNG" and hidden_first and getattr(image, "n_frames", 1) > 1:
        raise Unusable(
            "an animated PNG with a separate still image: OpenCV reads the animation, Keras "
            "and TensorFlow the still image; save one picture"
        )
    if kind == "PNG":
        damage = _png_structure(path)
        if damage:
            raise Unusable(damage, fix=None if damage.startswith("damaged") else "pixels_only")
    orientation = orientation if isinstance(orientation, int) else 1
    return ImageFacts(mode, image.size, orientation), kind


def _refuse_what_loaders_misread(path: Path, kind: str, mode: str) -> None:
    """`Unusable` for images that decode, but not alike in every loader of the lessons."""
    if kind == "JPEG" and mode == "CMYK":
        raise Unusable(
            "a CMYK JPEG (print colours): TensorFlow cannot decode it to grayscale (lesson 06) "
            "and colours shift between loaders; save it as RGB "
            "(Image.open(p).convert('RGB').save(p))",
            fix="convert",
        )
    if kind == "BMP" and _bmp_tensorflow_misreads(path, mode):
        raise Unusable(
            "a BMP that TensorFlow cannot decode or decodes wrongly (palette colours, 1, 4 or "
            "16 bits a pixel, or compressed); save it as 24-bit "
            "(Image.open(p).convert('RGB').save(p))",
            fix="convert",
        )
    if mode in _DEEP_GRAYSCALE:
        raise Unusable(
            f"{_DEEP_GRAYSCALE[mode]} grayscale: Keras' ImageDataGenerator (lessons 04 to 06) "
            "reads it as all white; save it as 8-bit "
            "(cv2.imwrite(p, cv2.imread(p, cv2.IMREAD_GRAYSCALE)))",
            fix="eight_bits" if _DEEP_GRAYSCALE[mode] == "16-bit" else None,
        )


_NOT_UTF8 = (
    "its name is not valid UTF-8 (copied from an old drive or another system?): Matplotlib, "
    "TensorFlow and the notebooks cannot show or load it; rename it"
)


def is_utf8(name: str) -> bool:
    """Whether a file name is text (its bytes were valid UTF-8; others arrive as surrogates).

    Examples
    --------
    >>> is_utf8("çay.jpg"), is_utf8(b"caf\\xe9.jpg".decode("utf-8", "surrogateescape"))
    (True, False)
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _leads_back(folder: Path, root: Path) -> bool:
    """Whether `folder` is a link to `root` or a folder holding it (a loop for any reader)."""
    if not folder.is_symlink():
        return False
    try:
        target = folder.resolve()
    except (OSError, RuntimeError):
        return True  # a link loop
    root = root.resolve()
    return target == root or target in root.parents


def prepare_command(root: str | Path) -> str:
    """The command that makes a workshop-ready copy of `root`, as the report suggests it.

    Parameters
    ----------
    root : str or pathlib.Path
        The dataset checked.

    Returns
    -------
    str
        ``python -m helpers data prepare ROOT NEW_FOLDER``, ROOT quoted for a shell.

    Examples
    --------
    >>> prepare_command("my photos")
    "python -m helpers data prepare 'my photos' NEW_FOLDER"
    """
    return f"python -m helpers data prepare {shlex.quote(str(root))} NEW_FOLDER"


#: Folder names of a split (the classes are one level down): `data prepare` refuses to flatten.
SPLIT_NAMES = frozenset({"train", "training", "val", "valid", "validation", "test", "testing"})


def looks_like_split(root: str | Path) -> bool:
    """Whether the folders in `root` are the parts of a split (train, val, …), not classes.

    Parameters
    ----------
    root : str or pathlib.Path
        A folder.

    Returns
    -------
    bool
        True when it has two or more visible folders and every one is named like a part of a
        split (`SPLIT_NAMES`, any case).

    Examples
    --------
    >>> for name in ("train", "val"):
    ...     (tmp_path / name).mkdir()
    >>> looks_like_split(tmp_path), looks_like_split(paths.SAMPLE_DIR)
    (True, False)
    """
    try:
        names = files.list_classes(root)
    except OSError:
        return False
    return len(names) >= 2 and all(name.lower() in SPLIT_NAMES for name in names)


def _with_sub_folder_hint(problem: str, root: Path) -> str:
    """`problem` (from `files.require_classes`) and, when class folders hold sub-folders of
    images that are not the parts of a split, how `data prepare` brings those images up."""
    try:
        classes = files.list_classes(root)
        sorted_away = [
            name
            for name in classes
            if not files.list_images(root / name)
            and any(p.is_dir() and not files.is_hidden(p) for p in (root / name).iterdir())
        ]
    except OSError:
        return problem
    if len(classes) < 2 or not sorted_away or looks_like_split(root):
        return problem
    return (
        f"{problem} If those sub-folders only sort each class's images (by date, by album), "
        f"run `{prepare_command(root)}` to make a copy with the images brought up into their "
        "class folders."
    )


def _is_damage(message: str) -> bool:
    """Whether a libjpeg warning means lost pixels (not harmless padding)."""
    text = message.lower()
    return ("premature end" in text or "corrupt" in text) and "extraneous bytes" not in text


def _scan(folder: Path) -> tuple[list[Path], list[Path]]:
    """Every non-folder entry below `folder` (sorted), and the folders that cannot be listed."""
    entries: list[Path] = []
    unreadable: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                children = list(listing)
        except OSError:
            unreadable.append(current)
            continue
        for child in children:
            if child.is_dir(follow_symlinks=False):
                pending.append(Path(child.path))
            else:
                entries.append(Path(child.path))
    return sorted(entries), sorted(unreadable)


def check(root: str | Path, *, deep: bool = False, progress: bool = True) -> DatasetReport:
    """Report on a class-per-folder dataset, naming everything that would break training.

    Parameters
    ----------
    root : str or pathlib.Path
        The folder that should hold one sub-folder of images per class.
    deep : bool, optional
        Fully decode every image. By default only headers are read, and a
        JPEG or PNG is decoded only when its end marker is missing (a sign of
        truncation), which is fast even for thousands of images.
    progress : bool, optional
        Show a progress bar while reading images.

    Returns
    -------
    DatasetReport
        Printable; ``report.ok`` is False when a lesson would break or training
        be misled (fewer than 2 classes, empty classes, no class with 8 images,
        hidden folders that become classes, unreadable, damaged or oversized
        files, broken links and pipes, formats Keras skips, CMYK JPEGs). Hidden
        system files (``.DS_Store``, ``._*``), stray files, EXIF orientation tags,
        colour modes, mixed sizes and small classes are notes.

    Notes
    -----
    Also ``python -m helpers data check DIR``; each message says which loader
    fails and how. Never opens anything but regular files (a
    FIFO named ``.jpg`` would block). With `deep`, JPEGs are also decoded by
    OpenCV and libjpeg's warnings read: a file cut short and padded with an end
    marker decodes without error everywhere (the rest is filled with grey), and
    that warning is the only sign.

    Examples
    --------
    >>> report = check(paths.SAMPLE_DIR, progress=False)
    >>> report.ok, report.counts
    (True, {'Kirmizi_Pistachio': 30, 'Siirt_Pistachio': 30})
    """
    root = Path(root)
    report = DatasetReport(root)
    if not root.is_dir():
        report.problems.append(f"'{root}' is not a folder. Check the path.")
        return report
    try:
        top = sorted(root.iterdir())
    except OSError as err:
        report.problems.append(f"Cannot list '{root}' ({err.strerror or err}); {what_to_do(err)}.")
        return report
    try:
        files.require_classes(root)
    except ValueError as err:
        report.problems.append(_with_sub_folder_hint(str(err), root))
    except OSError:
        pass  # an unreadable class folder: reported by name below

    hidden = files.hidden_folders(root)
    if hidden:
        report.problems.append(
            f"Hidden or system folder(s) {hidden} in '{root}': Keras and split-folders take them "
            "as extra classes and shift every label. Delete them (they are made by JupyterLab "
            "and macOS), or use helpers.split / helpers.pipelines, which skip them, or run "
            f"`{prepare_command(root)}` to make a copy without them."
        )
    stray = [p.name for p in top if not p.is_dir() and not files.is_hidden(p)]
    if stray:
        report.notes.append(
            f"Files beside the class folders are ignored: {stray[:5]} (`data prepare` leaves "
            "them out of its copy)."
        )

    class_names = files.list_classes(root)
    for name in class_names:
        if not is_utf8(name):
            report.problems.append(f"Class folder '{name}': {_NOT_UTF8}.")
    looping = [name for name in class_names if _leads_back(root / name, root)]
    for name in looping:
        report.problems.append(
            f"Class folder '{name}' is a link to '{os.readlink(root / name)}', a folder that "
            "holds the dataset itself (or the whole disk): every loader would read it as images "
            "without end. Replace the link with a folder of images."
        )
    class_names = [name for name in class_names if name not in looping]
    all_files: dict[str, list[Path]] = {}
    unreadable: list[Path] = []
    for name in class_names:
        all_files[name], locked = _scan(root / name)
        unreadable += locked
    if unreadable:
        report.problems.append(
            f"{len(unreadable)} folder(s) cannot be read ({_examples(unreadable, root)}): "
            "the loaders would fail on them. Fix their permissions (chmod -R u+rX) or remove them."
        )
    total = sum(len(v) for v in all_files.values())
    bar = tqdm(
        total=total, desc="Checking images", unit="file", disable=not progress or total < 200
    )
    found: dict[str, list[Any]] = {kind: [] for kind in _FILE_FINDINGS}
    modes: dict[str, list[Path]] = {}
    sizes: set[tuple[int, int]] = set()
    for name in class_names:
        folder = root / name
        summary = ClassSummary(name, 0, {}, None)
        for path in all_files[name]:
            bar.update()
            facts = _classify(path, folder, deep)
            if isinstance(facts, tuple):
                kind, why = facts
                found[kind].append(f"'{path.relative_to(root).as_posix()}': {why}" if why else path)
                continue
            suffix = path.suffix.lower()
            summary.count += 1
            summary.formats[suffix] = summary.formats.get(suffix, 0) + 1
            summary.example_size = summary.example_size or facts.size
            sizes.add(facts.size)
            if facts.mode != "RGB":
                modes.setdefault(facts.mode, []).append(path)
            for kind, applies in _IMAGE_NOTES.items():
                if applies(path, facts):
                    found[kind].append(path)
        report.classes.append(summary)
        if summary.count == 0 and not any(p.parent != folder for p in all_files[name]):
            report.problems.append(
                f"Class folder '{name}' has no usable images; it would still count as a class. "
                "Add images or remove the folder."
            )
    bar.close()
    _report_findings(report, found, modes, sizes)
    return report


def _classify(path: Path, folder: Path, deep: bool) -> tuple[str, str] | ImageFacts:
    """The facts of a usable image, or the kind of finding a file makes (and why, if broken)."""
    parts = path.relative_to(folder).parts
    if any(files.is_hidden(part) for part in parts[:-1]):
        return "nested_hidden", ""
    why = stat_problem(path)
    if why:
        return "broken", why
    if files.is_hidden(path):
        return "hidden_files", ""
    if not is_utf8(path.name):
        return "convertible", _NOT_UTF8
    if len(parts) > 1:
        return "nested", ""
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        return "unsupported", ""
    if suffix not in files.IMAGE_SUFFIXES:
        return "not_images", ""
    try:
        return inspect_image(path, deep)
    except Unusable as why:
        return ("convertible" if why.fix else "broken"), str(why)


#: What `check` says about the files it set aside or noticed, by kind, in the order it says it:
#: ``(severity, message)``, where ``{n}`` is their number and ``{examples}`` names a few. A new
#: rule is a line here, plus the place `_classify` (or `_IMAGE_NOTES`) sorts files into it.
_FILE_FINDINGS: dict[str, tuple[str, str]] = {
    "broken": (
        "problem",
        "{n} file(s) cannot be used as they are; fix, replace or remove them: {reasons}",
    ),
    "convertible": (
        "problem",
        "{n} file(s) cannot be used as they are, but a copy of them can: run `{prepare}` to "
        "make a copy of the dataset with them converted (or renamed, or shrunk), or fix each: "
        "{reasons}",
    ),
    "unsupported": (
        "problem",
        "{n} image(s) in formats the workshop's loaders skip or disagree on ({examples}); "
        "convert them to JPEG or PNG: `{prepare}` makes a copy of the dataset with every one "
        "Pillow reads converted (WebP, GIF, TIFF, AVIF, PPM; not HEIC or JPEG XL).",
    ),
    "nested_hidden": (
        "problem",
        "{n} file(s) inside hidden folders within classes ({examples}): flow_from_directory "
        "reads sub-folders too and would train on these copies. Delete the hidden folders, "
        "or run `{prepare}` to make a copy without them.",
    ),
    "nested": (
        "note",
        "{n} file(s) in sub-folders of classes ({examples}): flow_from_directory reads them, "
        "split-folders does not; `{prepare}` makes a copy with them brought up into their "
        "class folders.",
    ),
    "hidden_files": (
        "note",
        "{n} hidden or system file(s) ({examples}; made by macOS, Windows or an editor): the "
        "workshop skips them. If you give these folders to Keras directly, delete the '._*' "
        "ones first (or run `{prepare}` for a copy without them): Keras would try to read "
        "them as images.",
    ),
    "not_images": (
        "note",
        "{n} file(s) that are not images ({examples}): Keras ignores them, split-folders "
        "copies them (helpers.split and `data prepare` leave them out).",
    ),
    "upper_case": (
        "note",
        "{n} image(s) with upper-case endings ({examples}): Keras reads them, but "
        "split-folders' formats= filter is case-sensitive.",
    ),
    "rotated": (
        "note",
        "{n} image(s) carry an EXIF orientation tag ({examples}): cv2.imread turns them "
        "upright, Pillow, Keras and TensorFlow do not, so their shapes differ between loaders. "
        "The workshop (and your model) sees them as stored; rotate the files themselves to fix "
        "them for good (PIL.ImageOps.exif_transpose, then save).",
    ),
    "large": (
        "note",
        f"{{n}} image(s) of {LARGE_PIXELS / 1e6:.0f} megapixels or more ({{examples}}): each "
        "takes 36 MB or more once decoded. Lessons 01 and 02 keep the number they decode at "
        "once small; shrinking the files to about 1000 pixels makes every lesson faster: "
        "`{prepare}` makes a copy with them shrunk to 1024 pixels on their long side.",
    ),
}

#: Notes about images that are usable: ``{kind: test(path, facts)}``.
_IMAGE_NOTES = {
    "upper_case": lambda path, facts: path.suffix != path.suffix.lower(),
    "rotated": lambda path, facts: facts.orientation not in (0, 1),
    "large": lambda path, facts: facts.size[0] * facts.size[1] >= LARGE_PIXELS,
}


def _report_findings(
    report: DatasetReport,
    found: Mapping[str, list[Any]],
    modes: Mapping[str, list[Path]],
    sizes: set[tuple[int, int]],
) -> None:
    """Turn what `check` collected into problems and notes: `_FILE_FINDINGS`, then the rest."""
    for kind, (severity, message) in _FILE_FINDINGS.items():
        items = found[kind]
        if not items:
            continue
        reasons = "; ".join(str(item) for item in items[:10])
        if len(items) > 10:
            reasons += f"; and {len(items) - 10} more"
        examples = _examples(items, report.root) if kind not in ("broken", "convertible") else ""
        text = message.format(
            n=len(items), examples=examples, reasons=reasons, prepare=prepare_command(report.root)
        )
        (report.problems if severity == "problem" else report.notes).append(text)
    for mode, paths_of_mode in sorted(modes.items()):
        reason = _MODE_NOTES.get(mode, f"colour mode {mode}")
        report.notes.append(
            f"{len(paths_of_mode)} image(s) are {reason} ({_examples(paths_of_mode, report.root)})."
        )
    if len(sizes) > 1:
        report.notes.append(
            f"Images come in {len(sizes)} different sizes; they are all resized to IMAGE_SIZE, "
            "which squashes non-square ones."
        )
    _report_class_sizes(report, [p for p in found["nested"] if files.is_image_file(p)])
    _note_undrawable_names(report)


def _report_class_sizes(report: DatasetReport, nested: list[Path]) -> None:
    """Imbalance and small classes are notes; no class large enough to validate is a problem."""
    counts = [c.count for c in report.classes if c.count]
    if len(counts) >= 2 and max(counts) > 1.5 * min(counts):
        report.notes.append(
            f"Classes are imbalanced ({min(counts)} to {max(counts)} images): accuracy alone "
            "will flatter a model that prefers the large class."
        )
    few = [c.name for c in report.classes if 0 < c.count < SMALL_CLASS]
    if few:
        report.notes.append(
            f"Class(es) with fewer than {SMALL_CLASS} images: {few[:10]}"
            + (f" and {len(few) - 10} more" if len(few) > 10 else "")
            + ". Lesson 07's 70/15/15 split gives them no validation image (it warns); a 70/30 "
            "split rounds the training share down (3 images give 2 + 1, 1 gives 0 + 1), and "
            "Keras' validation_split=0.2 holds out nothing from classes under 5 training "
            "images. The lessons run; add images before you trust a model on them."
        )
    if counts and max(counts) < MIN_LARGEST_CLASS and nested:
        report.problems.append(
            f"Too few images directly in the class folders (the largest class has "
            f"{max(counts)}): {len(nested)} more are in sub-folders of the classes "
            f"({_examples(nested, report.root)}), which split-folders and the lessons' splits "
            f"leave out. Run `{prepare_command(report.root)}` to make a copy with them brought "
            "up into their class folders."
        )
    elif counts and max(counts) < MIN_LARGEST_CLASS:
        report.problems.append(
            f"Too few images: the largest class has {max(counts)}. The lessons need at least one "
            f"class with {MIN_LARGEST_CLASS} or more, or their validation sets are empty "
            "(Keras' validation_split=0.2 after a 70/30 split, and lesson 07's 70/15/15 split). "
            "Add images."
        )


def _note_undrawable_names(report: DatasetReport) -> None:
    """Note class names with characters Matplotlib's font lacks (it warns, and draws boxes)."""
    names = [c.name for c in report.classes if not c.name.isascii()]
    if not names:
        return
    from helpers import plotting  # Matplotlib: only needed for non-ASCII names

    missing = {name: plotting.missing_glyphs(name) for name in names}
    missing = {name: chars for name, chars in missing.items() if chars}
    if missing:
        report.notes.append(
            f"Class name(s) {sorted(missing)} use characters that Matplotlib's font cannot draw "
            f"({''.join(sorted(set(''.join(missing.values()))))}): plot titles show empty boxes "
            "and Matplotlib warns 'Glyph … missing from font(s)'. Rename the folders, or install "
            "a font that has them and select it in Matplotlib."
        )
