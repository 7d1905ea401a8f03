"""Where things live in the workshop repository, from any working directory.

Notebooks run from ``notebooks/``, papermill runs them from wherever the
instructor is, tests run from the repo root: every default path is therefore
built from this file's location, never from the current directory.

Outside a checkout (``helpers`` installed as a package, as the Colab bootstrap does), there
is no repository beside the package: the workshop's folders (``data/sample``, ``build/``)
then live in :data:`WORKSHOP_FOLDER` next to the notebook (the kernel's working directory
when ``helpers`` is first imported), or in ``$WORKSHOP_HOME`` when that is set.

Examples
--------
>>> from helpers import paths
>>> paths.SAMPLE_DIR.relative_to(paths.REPO_ROOT).as_posix()
'data/sample/Pistachio_Image_Dataset/Pistachio_Image_Dataset'
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from helpers import BadInput, MissingData, NotAFolder, outputs

__all__ = [
    "BUILD_DIR",
    "CLASS_NAMES",
    "DATA_ROOT",
    "HELPERS_DIR",
    "LEARNER_DIR",
    "NOTEBOOKS_DIR",
    "REPO_ROOT",
    "SAMPLE_DIR",
    "SAMPLE_ROOT",
    "WORKSHOP_FOLDER",
    "in_checkout",
    "outside_checkout_root",
    "resolve",
    "user_path",
    "data_dir",
    "sample_image",
    "work_dir",
]

#: Outside a checkout, the folder (next to the notebook) that holds data/ and build/.
WORKSHOP_FOLDER = "workshop"


_PACKAGE_PARENT = Path(__file__).resolve().parent.parent


def in_checkout(package_parent: str | Path = _PACKAGE_PARENT) -> bool:
    """Does ``helpers`` live in a checkout of the workshop (rather than in site-packages)?

    Examples
    --------
    >>> in_checkout()  # the tests run from a checkout
    True
    >>> in_checkout(tmp_path)
    False
    """
    return (Path(package_parent) / "pyproject.toml").is_file()


def outside_checkout_root(cwd: str | Path | None = None) -> Path:
    """Where the workshop's folders live when ``helpers`` is installed as a package.

    Parameters
    ----------
    cwd : str or pathlib.Path, optional
        The notebook's folder (default: the current directory).

    Returns
    -------
    pathlib.Path
        ``$WORKSHOP_HOME`` if set, else ``cwd/workshop``; absolute.

    Examples
    --------
    >>> outside_checkout_root(tmp_path) == tmp_path.resolve() / "workshop"
    True
    """
    home = os.environ.get("WORKSHOP_HOME")
    if home:
        return Path(home).expanduser().resolve()
    return (Path(cwd or Path.cwd()) / WORKSHOP_FOLDER).resolve()


REPO_ROOT = _PACKAGE_PARENT if in_checkout() else outside_checkout_root()
DATA_ROOT = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
#: The learner edition: the notebooks without solutions, made from NOTEBOOKS_DIR (committed).
LEARNER_DIR = REPO_ROOT / "learner"
HELPERS_DIR = REPO_ROOT / "helpers"
BUILD_DIR = REPO_ROOT / "build"

#: The bundled sample, in the exact layout of the Kaggle download.
SAMPLE_ROOT = DATA_ROOT / "sample"
SAMPLE_DIR = SAMPLE_ROOT / "Pistachio_Image_Dataset" / "Pistachio_Image_Dataset"

#: Class folder names of the pistachio data set (Kaggle spelling).
CLASS_NAMES = ("Kirmizi_Pistachio", "Siirt_Pistachio")


def sample_image(name: str = "kirmizi (1).jpg") -> Path:
    """Path of one image of the bundled sample.

    Parameters
    ----------
    name : str, optional
        File name inside ``Kirmizi_Pistachio`` (names starting ``siirt`` are
        looked up in ``Siirt_Pistachio``).

    Returns
    -------
    pathlib.Path
        The path; it may not exist if the sample was deleted
        (``python -m helpers data sample`` brings it back).

    Examples
    --------
    >>> sample_image().name
    'kirmizi (1).jpg'
    """
    folder = CLASS_NAMES[1] if name.lower().startswith("siirt") else CLASS_NAMES[0]
    return SAMPLE_DIR / folder / name


def user_path(value: str | Path) -> Path:
    """`value` as a path; a text that starts with ``~`` means the home folder.

    Only a leading ``~`` of a text (a notebook's parameter) is expanded: ``./~/x`` is a folder
    named ``~`` here, which ``Path.expanduser`` would take for the home folder (pathlib drops
    the ``./`` first). Paths from the command line arrive expanded by the shell.

    Examples
    --------
    >>> user_path("./~/x").as_posix(), user_path("~") == Path.home()
    ('~/x', True)
    """
    if isinstance(value, str) and value.startswith("~"):
        return Path(os.path.expanduser(value))
    return Path(value)  # a Path is taken as it is: a shell has expanded what the user typed


def resolve(value: str | Path, label: str) -> Path:
    """`value` as an absolute path with every link followed, or a clear error for a link loop.

    Parameters
    ----------
    value : str or pathlib.Path
        A path a user gave; ``~`` is expanded.
    label : str
        How the user named it (``"DATA_DIR"``, ``"--out"``), for the message.

    Returns
    -------
    pathlib.Path
        The resolved path (it need not exist).

    Raises
    ------
    helpers.BadInput
        If a link on the way leads back to itself.

    Examples
    --------
    >>> (tmp_path / "loop").symlink_to(tmp_path / "loop")
    >>> resolve(tmp_path / "loop" / "x", "--out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.BadInput: --out '...loop...' goes through a link that leads back to itself ...
    """
    path = user_path(value)
    try:
        return path.resolve()
    except RuntimeError as err:  # Python 3.11 and 3.12 raise this for "Symlink loop from ..."
        raise BadInput(
            f"{label} '{path}' goes through a link that leads back to itself ({err}). Remove "
            "or fix the link, or choose another path."
        ) from None
    except OSError as err:  # Python 3.13 raises ELOOP instead
        if err.errno != errno.ELOOP:
            raise
        raise BadInput(
            f"{label} '{path}' goes through a link that leads back to itself. Remove or fix "
            "the link, or choose another path."
        ) from None


def data_dir(value: str | Path | None = None) -> Path:
    """Resolve a notebook's ``DATA_DIR`` parameter.

    Parameters
    ----------
    value : str, pathlib.Path or None
        A class-per-folder image root. ``None`` (the notebooks' default) means
        the bundled sample. Relative paths are taken from the current directory.

    Returns
    -------
    pathlib.Path
        An absolute path.

    Raises
    ------
    FileNotFoundError
        If the folder does not exist; the message says how to get the data.
    NotADirectoryError
        If `value` is a file.

    Examples
    --------
    >>> data_dir(None) == SAMPLE_DIR
    True
    """
    path = SAMPLE_DIR if value is None else resolve(value, "DATA_DIR")
    if path.exists() and not path.is_dir():
        raise NotAFolder(
            f"Data folder '{path}' is a file. Check DATA_DIR: it must be a folder with one "
            "sub-folder of images per class."
        )
    if not path.is_dir():
        hint = (
            "Regenerate the bundled sample with `python -m helpers data sample`."
            if path == SAMPLE_DIR
            else "Check DATA_DIR: it must be a folder with one sub-folder of images per class."
        )
        raise MissingData(f"Data folder '{path}' does not exist. {hint}")
    return path


def work_dir(value: str | Path | None = None, *, create: bool = True) -> Path:
    """Resolve a notebook's ``WORK_DIR`` parameter (where splits and outputs go).

    Parameters
    ----------
    value : str, pathlib.Path or None
        ``None`` means ``build/workshop`` in the repository.
    create : bool, optional
        Create the folder if it is missing.

    Returns
    -------
    pathlib.Path
        An absolute path.

    Raises
    ------
    helpers.Protected
        (a ValueError) If the folder lies inside ``data/``, ``notebooks/`` or another folder
        the workshop never writes to.
    helpers.NotOurs
        (a FileExistsError) If a folder you chose already holds files the workshop did not
        write: the lessons replace what is in their work folder.

    Examples
    --------
    >>> work_dir(None, create=False).relative_to(REPO_ROOT).as_posix()
    'build/workshop'
    """
    if value is None:  # the default is the lessons' own, whatever an earlier version left there
        return outputs.work_folder(BUILD_DIR / "workshop", "WORK_DIR", create=create, adopt=True)
    return outputs.work_folder(user_path(value), "WORK_DIR", create=create)
