"""Where things live in the workshop repository, from any working directory.

Notebooks run from ``notebooks/``, papermill runs them from wherever the
instructor is, tests run from the repo root: every default path is therefore
built from this file's location, never from the current directory.

Examples
--------
>>> from helpers import paths
>>> paths.SAMPLE_DIR.relative_to(paths.REPO_ROOT).as_posix()
'data/sample/Pistachio_Image_Dataset/Pistachio_Image_Dataset'
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BUILD_DIR",
    "CLASS_NAMES",
    "DATA_ROOT",
    "NOTEBOOKS_DIR",
    "REPO_ROOT",
    "SAMPLE_DIR",
    "SAMPLE_ROOT",
    "data_dir",
    "sample_image",
    "work_dir",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_ROOT = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
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

    Examples
    --------
    >>> data_dir(None) == SAMPLE_DIR
    True
    """
    path = SAMPLE_DIR if value is None else Path(value).expanduser().resolve()
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
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path
