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

import json
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

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
    "STAGING_MARKER",
    "WORKSHOP_FOLDER",
    "in_checkout",
    "outside_checkout_root",
    "data_dir",
    "refuse_protected",
    "remove_stale_staging",
    "sample_image",
    "staging_folder",
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
    path = SAMPLE_DIR if value is None else Path(value).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(
            f"Data folder '{path}' is a file. Check DATA_DIR: it must be a folder with one "
            "sub-folder of images per class."
        )
    if not path.is_dir():
        hint = (
            "Regenerate the bundled sample with `python -m helpers data sample`."
            if path == SAMPLE_DIR
            else "Check DATA_DIR: it must be a folder with one sub-folder of images per class."
        )
        raise FileNotFoundError(f"Data folder '{path}' does not exist. {hint}")
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
    ValueError
        If the folder lies inside ``data/``: the bundled data is never written to.

    Examples
    --------
    >>> work_dir(None, create=False).relative_to(REPO_ROOT).as_posix()
    'build/workshop'
    """
    path = BUILD_DIR / "workshop" if value is None else Path(value).expanduser().resolve()
    if path == DATA_ROOT or DATA_ROOT in path.parents:
        raise ValueError(
            f"WORK_DIR '{path}' is inside the data folder '{DATA_ROOT}'. "
            "Choose a folder outside data/, e.g. build/workshop."
        )
    refuse_protected(path, "WORK_DIR")
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def _protected() -> dict[str, Path]:
    return {
        "the lesson notebooks": NOTEBOOKS_DIR,
        "the learner edition": LEARNER_DIR,
        "the helpers package": HELPERS_DIR,
        "the data folder": DATA_ROOT,
    }


def _overlaps(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refuse_protected(
    path: str | Path,
    label: str,
    *,
    extra: Mapping[str, str | Path | None] | None = None,
    data_ok: bool = False,
) -> Path:
    """Refuse an output folder that is, or lies inside, a folder the workshop never writes to.

    Parameters
    ----------
    path : str or pathlib.Path
        The output folder (it need not exist). Symlinks are resolved first, so a
        link pointing into a protected folder is refused too.
    label : str
        How the user named it (``"--out"``, ``"WORK_DIR"``, ``"DST"``), for the message.
    extra : mapping, optional
        More protected folders, ``{description: folder}`` (e.g. the dataset in use);
        ``None`` values are ignored.
    data_ok : bool, optional
        Allow ``data/`` (``data import`` extracts into ``data/real``).

    Returns
    -------
    pathlib.Path
        `path`, absolute and resolved.

    Raises
    ------
    ValueError
        If `path` is the repository itself or lies in ``notebooks/``,
        ``helpers/``, ``data/`` or one of the `extra` folders.

    Examples
    --------
    >>> refuse_protected(tmp_path / "out", "--out") == (tmp_path / "out").resolve()
    True
    >>> refuse_protected(NOTEBOOKS_DIR, "--out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --out '...notebooks' is inside the lesson notebooks ...
    """
    path = Path(path).expanduser().resolve()
    folders = {**_protected(), **{k: v for k, v in (extra or {}).items() if v is not None}}
    if data_ok:
        folders.pop("the data folder")
    for description, folder in folders.items():
        folder = Path(folder).expanduser().resolve()
        if _overlaps(path, folder):
            raise ValueError(
                f"{label} '{path}' is inside {description} ('{folder}'), which is never "
                "written to. Choose a folder outside it, e.g. in build/."
            )
    if path == REPO_ROOT:
        raise ValueError(
            f"{label} '{path}' is the workshop repository itself. Choose a sub-folder such as "
            "build/run, or a folder outside the repository."
        )
    return path


#: File inside every staging folder, naming the process that owns it.
STAGING_MARKER = ".helpers-staging.json"


def _process_started(pid: int) -> float | None:
    """Start time of a running process, or None if there is none with that id."""
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _is_dead_staging(folder: Path) -> bool:
    try:
        owner = json.loads((folder / STAGING_MARKER).read_text())
        pid, started = int(owner["pid"]), float(owner["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return False  # not provably ours: leave it alone
    running = _process_started(pid)
    return running is None or abs(running - started) > 1


def remove_stale_staging(parent: str | Path, prefix: str) -> list[Path]:
    """Delete staging folders left in `parent` by workshop commands that were killed.

    Only folders whose name starts with `prefix`, that hold a `STAGING_MARKER`
    naming a process that no longer runs, are removed; anything else is left alone.

    Parameters
    ----------
    parent : str or pathlib.Path
        The folder beside the command's target.
    prefix : str
        Start of the staging folders' names, e.g. ``".split-"``.

    Returns
    -------
    list of pathlib.Path
        The folders removed.

    Examples
    --------
    >>> left = tmp_path / ".out-dead"; left.mkdir()
    >>> _ = (left / STAGING_MARKER).write_text('{"pid": 999999999, "started": 0}')
    >>> [p.name for p in remove_stale_staging(tmp_path, ".out-")]
    ['.out-dead']
    """
    removed = []
    try:
        candidates = sorted(Path(parent).glob(f"{prefix}*"))
    except OSError:
        return removed
    for folder in candidates:
        if folder.is_dir() and not folder.is_symlink() and _is_dead_staging(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextmanager
def staging_folder(parent: str | Path, prefix: str) -> Iterator[Path]:
    """A hidden temporary folder in `parent`, marked as this process's, removed afterwards.

    Staging beside the target keeps the final move a rename on the same disk.
    Stale staging folders of killed runs (see `remove_stale_staging`) are removed first.

    Parameters
    ----------
    parent : str or pathlib.Path
        Where to create it (must exist).
    prefix : str
        Start of its name; begin it with a dot to keep it hidden.

    Yields
    ------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> with staging_folder(tmp_path, ".demo-") as staging:
    ...     (staging / STAGING_MARKER).is_file()
    True
    >>> staging.exists()
    False
    """
    import psutil

    remove_stale_staging(parent, prefix)
    # Named before it exists, so that `finally` knows it even if Ctrl-C or SIGTERM lands the
    # moment after it is made (tempfile.mkdtemp would leave it behind then).
    staging = Path(parent) / f"{prefix}{secrets.token_hex(6)}"
    try:
        staging.mkdir(mode=0o700)
        owner = {"pid": os.getpid(), "started": psutil.Process().create_time()}
        (staging / STAGING_MARKER).write_text(json.dumps(owner))
        yield staging
    finally:
        if staging.is_dir() and _made_here(staging):
            shutil.rmtree(staging, ignore_errors=True)


def _made_here(staging: Path) -> bool:
    """Whether this process made `staging`: still empty, or marked with this process's id."""
    try:
        return json.loads((staging / STAGING_MARKER).read_text())["pid"] == os.getpid()
    except FileNotFoundError:  # stopped before the marker was written
        return not any(staging.iterdir())
    except (ValueError, KeyError, TypeError):  # stopped while the marker was being written
        return [path.name for path in staging.iterdir()] == [STAGING_MARKER]
    except OSError:
        return False
