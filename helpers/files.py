"""Looking at class-per-folder datasets on disk (lesson 03, *Directory split*).

A *class-per-folder* dataset is a folder with one sub-folder per class, each
holding that class's images. Keras and split-folders both take every
sub-folder as a class, including the hidden ``.ipynb_checkpoints`` that
JupyterLab creates and the ``__MACOSX`` a Mac zip adds; these helpers skip them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from helpers import BadInput, NotAFolder

__all__ = [
    "IMAGE_SUFFIXES",
    "count_images",
    "hidden_folders",
    "is_hidden",
    "is_image_file",
    "list_classes",
    "list_images",
    "print_tree",
    "require_classes",
]

#: File endings (lower case) that every loader in the workshop reads: OpenCV, Pillow,
#: ``ImageDataGenerator`` (png jpg jpeg bmp ppm tif tiff) and ``image_dataset_from_directory``
#: (bmp gif jpeg jpg png) all accept these.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")

_SYSTEM_NAMES = {"__MACOSX", "__pycache__", "Thumbs.db", "desktop.ini"}


def is_hidden(path: str | Path) -> bool:
    """True for hidden or system entries that must never become a class or an image.

    Parameters
    ----------
    path : str or pathlib.Path
        A file or folder.

    Returns
    -------
    bool
        Whether the name starts with a dot or is a known system name.

    Examples
    --------
    >>> [is_hidden(n) for n in (".ipynb_checkpoints", "__MACOSX", "Siirt_Pistachio")]
    [True, True, False]
    """
    name = Path(path).name
    return name.startswith(".") or name in _SYSTEM_NAMES


def hidden_folders(root: str | Path) -> list[str]:
    """Names of the hidden or system folders directly inside `root`.

    Parameters
    ----------
    root : str or pathlib.Path
        A class-per-folder dataset.

    Returns
    -------
    list of str
        Sorted names such as ``.ipynb_checkpoints`` or ``__MACOSX``: the folders
        Keras and split-folders would take as extra classes.

    Examples
    --------
    >>> (tmp_path / ".ipynb_checkpoints").mkdir(); (tmp_path / "cats").mkdir()
    >>> hidden_folders(tmp_path)
    ['.ipynb_checkpoints']
    """
    return sorted(p.name for p in Path(root).iterdir() if p.is_dir() and is_hidden(p))


def is_image_file(path: str | Path) -> bool:
    """True for a visible file whose ending (any case) is an image format Keras reads.

    Parameters
    ----------
    path : str or pathlib.Path
        A file name or path.

    Returns
    -------
    bool
        Whether the ending is one of `IMAGE_SUFFIXES`.

    Examples
    --------
    >>> [is_image_file(n) for n in ("a.jpg", "B.JPG", "notes.txt", "._a.jpg")]
    [True, True, False, False]
    """
    path = Path(path)
    return path.suffix.lower() in IMAGE_SUFFIXES and not is_hidden(path)


def list_classes(root: str | Path) -> list[str]:
    """Class folder names under `root`, in the order Keras numbers them.

    Parameters
    ----------
    root : str or pathlib.Path
        A class-per-folder dataset.

    Returns
    -------
    list of str
        Visible sub-folder names in plain string sort order (``"10" < "2"``,
        upper case before lower case), as ``flow_from_directory`` sorts them.

    Raises
    ------
    NotADirectoryError
        If `root` is not a folder.

    Examples
    --------
    >>> from helpers import paths
    >>> list_classes(paths.SAMPLE_DIR)
    ['Kirmizi_Pistachio', 'Siirt_Pistachio']
    """
    root = Path(root)
    if not root.is_dir():
        raise NotAFolder(f"'{root}' is not a folder; expected one sub-folder per class.")
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not is_hidden(p))


def require_classes(root: str | Path, minimum: int = 2) -> list[str]:
    """Class folder names under `root`, or a clear error if it is not a class-per-folder dataset.

    Parameters
    ----------
    root : str or pathlib.Path
        The folder that should hold one sub-folder of images per class.
    minimum : int, optional
        Fewest classes accepted.

    Returns
    -------
    list of str
        As `list_classes`.

    Raises
    ------
    NotADirectoryError
        If `root` is not a folder.
    ValueError
        If there are fewer than `minimum` classes, or the "classes" hold
        folders instead of images (`root` is one level too high, e.g. the
        folder holding ``train/`` and ``val/``). The message names the folder
        to use instead when there is an obvious one.

    Examples
    --------
    >>> from helpers import paths
    >>> require_classes(paths.SAMPLE_DIR.parent)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.BadInput: '...Pistachio_Image_Dataset' has 1 class folder(s) [...]; ...
    """
    root = Path(root)
    classes = list_classes(root)
    nested = [
        name
        for name in classes
        if not list_images(root / name) and any(p.is_dir() for p in (root / name).iterdir())
    ]
    hint = "Point at the folder that holds one sub-folder of images per class"
    if len(nested) == 1:
        hint += f", probably '{root / nested[0]}'"
    if len(classes) < minimum:
        raise BadInput(
            f"'{root}' has {len(classes)} class folder(s) {classes}; "
            f"need at least {minimum}. {hint}."
        )
    if nested:
        raise BadInput(
            f"'{root}' looks one level too high: {nested} hold folders, not images. {hint}."
        )
    return classes


def list_images(folder: str | Path) -> list[Path]:
    """Image files directly inside `folder`, sorted by name.

    Parameters
    ----------
    folder : str or pathlib.Path
        One class folder.

    Returns
    -------
    list of pathlib.Path
        Files accepted by `is_image_file`.

    Examples
    --------
    >>> from helpers import paths
    >>> len(list_images(paths.SAMPLE_DIR / "Kirmizi_Pistachio")) > 0
    True
    """
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and is_image_file(p))


def count_images(root: str | Path) -> dict[str, int]:
    """Number of images in each class folder.

    Parameters
    ----------
    root : str or pathlib.Path
        A class-per-folder dataset.

    Returns
    -------
    dict
        ``{class name: image count}`` in class order.

    Examples
    --------
    >>> from helpers import paths
    >>> sorted(count_images(paths.SAMPLE_DIR))
    ['Kirmizi_Pistachio', 'Siirt_Pistachio']
    """
    root = Path(root)
    return {name: len(list_images(root / name)) for name in list_classes(root)}


def print_tree(
    root: str | Path, *, max_files: int = 5, max_depth: int = 4, file: TextIO | None = None
) -> None:
    """Print a folder as a tree, showing at most `max_files` files per folder.

    Parameters
    ----------
    root : str or pathlib.Path
        Folder to show.
    max_files : int, optional
        Files listed per folder; the rest are counted ("… and 25 more files").
    max_depth : int, optional
        How many folder levels to descend.
    file : file-like, optional
        Where to print (default: standard output).

    Notes
    -----
    Introduced in notebook 03. Hidden entries are shown too, marked
    ``(hidden)``, because they are exactly what silently becomes an extra class.

    Examples
    --------
    >>> root = tmp_path / "pets"
    >>> (root / "cats").mkdir(parents=True); (root / "cats" / "a.jpg").touch()
    >>> print_tree(root)
    pets/
    └── cats/
        └── a.jpg
    """
    out = file or sys.stdout
    root = Path(root)
    print(f"{root.name}/", file=out)
    _print_children(root, "", max_files, max_depth, out)


def _print_children(folder: Path, prefix: str, max_files: int, depth: int, out: TextIO) -> None:
    entries = sorted(folder.iterdir(), key=lambda p: (p.is_file(), p.name))
    dirs = [p for p in entries if p.is_dir()]
    files = [p for p in entries if not p.is_dir()]
    shown = dirs + files[:max_files]
    hidden_count = len(files) - len(files[:max_files])
    for index, entry in enumerate(shown):
        last = index == len(shown) - 1 and hidden_count == 0
        branch = "└── " if last else "├── "
        mark = " (hidden)" if is_hidden(entry) else ""
        print(f"{prefix}{branch}{entry.name}{'/' if entry.is_dir() else ''}{mark}", file=out)
        if entry.is_dir() and depth > 1:
            _print_children(entry, prefix + ("    " if last else "│   "), max_files, depth - 1, out)
    if hidden_count:
        print(f"{prefix}└── … and {hidden_count} more files", file=out)
