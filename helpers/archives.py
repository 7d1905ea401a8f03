"""Importing a downloaded dataset archive safely (plumbing, not a lesson).

``zipfile`` silently rewrites ``../x`` and ``/abs`` members into the target, and
``tarfile`` on Python 3.11 without ``filter="data"`` writes them outside it. An
archive from the internet is untrusted input: `import_archive` checks every
member *before* extracting anything, extracts into a temporary folder, and
moves the result into place only when it is complete.
"""

from __future__ import annotations

import posixpath
import shutil
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tqdm.auto import tqdm

from helpers import files

__all__ = [
    "EXPECTED_PISTACHIO_COUNTS",
    "ImportResult",
    "find_data_dir",
    "import_archive",
    "unsafe_members",
]

#: The real Kaggle Pistachio Image Dataset, as downloaded (``archive.zip``).
EXPECTED_PISTACHIO_COUNTS = {"Kirmizi_Pistachio": 1232, "Siirt_Pistachio": 916}


@dataclass
class ImportResult:
    """Where an imported archive ended up.

    Parameters
    ----------
    root : pathlib.Path
        The folder everything was extracted into.
    data_dir : pathlib.Path
        The class-per-folder directory inside it (use it as ``DATA_DIR``).
    counts : dict
        ``{class: image count}`` in `data_dir`.
    warnings : list of str
        E.g. counts that differ from the known Kaggle download.
    """

    root: Path
    data_dir: Path
    counts: dict[str, int]
    warnings: list[str]


def _is_archive_junk(name: str) -> bool:
    return any(files.is_hidden(part) and part != "." for part in PurePosixPath(name).parts)


def _escapes(name: str) -> bool:
    """True for absolute names, drive letters or '..' that climb out of the target."""
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return True
    return posixpath.normpath(normal).split("/")[0] == ".."


def _tar_problem(member: tarfile.TarInfo) -> list[str]:
    name, target = member.name, member.linkname
    if _escapes(name):
        return [f"'{name}' (outside the target)"]
    if member.issym() and (
        target.startswith("/") or _escapes(posixpath.join(posixpath.dirname(name), target))
    ):
        return [f"'{name}' (link to '{target}')"]
    if member.islnk() and _escapes(target):
        return [f"'{name}' (link to '{target}')"]
    if member.isdev() or member.isfifo():
        return [f"'{name}' (device or pipe)"]
    return []


def unsafe_members(path: str | Path) -> list[str]:
    """Members of a zip or tar archive that would land outside the extraction folder.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.zip``, ``.tar``, ``.tar.gz`` or ``.tgz`` file.

    Returns
    -------
    list of str
        Offending member names with the reason; empty when the archive is safe.

    Raises
    ------
    ValueError
        If the file is not a zip or tar archive.

    Examples
    --------
    >>> bad = tmp_path / "bad.zip"
    >>> with zipfile.ZipFile(bad, "w") as z:
    ...     z.writestr("../evil.txt", "x")
    >>> unsafe_members(bad)
    ["'../evil.txt' (outside the target)"]
    """
    path = Path(path)
    found = []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
                if _escapes(info.filename):
                    found.append(f"'{info.filename}' (outside the target)")
                elif is_link:
                    target = archive.read(info).decode("utf-8", "replace")
                    joined = posixpath.join(posixpath.dirname(info.filename), target)
                    if target.startswith("/") or _escapes(joined):
                        found.append(f"'{info.filename}' (link to '{target}')")
        return found
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                found += _tar_problem(member)
        return found
    raise ValueError(
        f"'{path}' is not a zip or tar archive. Download it again, or unpack it by hand."
    )


def find_data_dir(root: str | Path) -> Path:
    """The class-per-folder directory inside an extracted archive.

    Parameters
    ----------
    root : str or pathlib.Path
        Where the archive was extracted.

    Returns
    -------
    pathlib.Path
        The shallowest folder with at least 2 class folders that hold images
        (for the Kaggle zip: ``Pistachio_Image_Dataset/Pistachio_Image_Dataset``).

    Raises
    ------
    ValueError
        If there is no such folder.

    Examples
    --------
    >>> from helpers import paths
    >>> find_data_dir(paths.SAMPLE_ROOT) == paths.SAMPLE_DIR
    True
    """
    root = Path(root)
    candidates = [root] + sorted(
        (
            p
            for p in root.rglob("*")
            if p.is_dir() and not any(files.is_hidden(x) for x in p.relative_to(root).parts)
        ),
        key=lambda p: (len(p.parts), str(p)),
    )
    for folder in candidates:
        classes = files.list_classes(folder)
        with_images = [name for name in classes if files.list_images(folder / name)]
        if len(with_images) >= 2:
            return folder
    raise ValueError(
        f"No folder inside '{root}' holds 2 or more class folders of images. "
        "Is this the right archive?"
    )


def _extract(path: Path, into: Path, progress: bool) -> None:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not _is_archive_junk(m.filename)]
            for member in tqdm(members, desc="Extracting", unit="file", disable=not progress):
                archive.extract(member, into)
    else:
        with tarfile.open(path) as archive:
            members = [m for m in archive.getmembers() if not _is_archive_junk(m.name)]
            for member in tqdm(members, desc="Extracting", unit="file", disable=not progress):
                archive.extract(member, into, filter="data")


def import_archive(archive: str | Path, out: str | Path, *, progress: bool = True) -> ImportResult:
    """Extract a dataset archive into `out`, safely and all-or-nothing.

    Parameters
    ----------
    archive : str or pathlib.Path
        The downloaded ``.zip`` (e.g. Kaggle's ``archive.zip``) or ``.tar.gz``.
    out : str or pathlib.Path
        Destination folder; must not exist yet, or be empty.
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    ImportResult
        Where the images are and how many per class.

    Raises
    ------
    FileNotFoundError
        If `archive` does not exist.
    ValueError
        If the archive is not zip/tar, has members that would land outside
        `out` (absolute paths, ``..``, escaping links), or holds no
        class-per-folder dataset. Nothing is written in these cases.
    FileExistsError
        If `out` exists and is not empty.

    Notes
    -----
    ``__MACOSX`` and other hidden members are not extracted. When the classes
    are the pistachio ones, the counts are compared with the real download
    (`EXPECTED_PISTACHIO_COUNTS`) and a difference is reported in ``warnings``.

    Examples
    --------
    >>> from helpers import paths
    >>> work = tmp_path
    >>> zipped = shutil.make_archive(str(work / "sample"), "zip", paths.SAMPLE_ROOT)
    >>> result = import_archive(zipped, work / "imported", progress=False)
    >>> result.data_dir.relative_to(work).as_posix(), result.counts["Siirt_Pistachio"]
    ('imported/Pistachio_Image_Dataset/Pistachio_Image_Dataset', 30)
    """
    archive, out = Path(archive), Path(out).resolve()
    if not archive.is_file():
        raise FileNotFoundError(f"No archive at '{archive}'. Check the path of the download.")
    bad = unsafe_members(archive)
    if bad:
        raise ValueError(
            f"Refusing to extract '{archive}': {len(bad)} member(s) would be written outside the "
            f"target folder: {', '.join(bad[:5])}. Nothing was extracted."
        )
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"'{out}' already exists and is not empty. Choose another --out.")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-import-", dir=out.parent))
    try:
        _extract(archive, staging / "content", progress)
        data_dir = find_data_dir(staging / "content")
        relative = data_dir.relative_to(staging / "content")
        if out.exists():
            out.rmdir()
        (staging / "content").rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    data_dir = out / relative
    counts = files.count_images(data_dir)
    warnings = []
    if set(counts) == set(EXPECTED_PISTACHIO_COUNTS) and counts != EXPECTED_PISTACHIO_COUNTS:
        warnings.append(
            f"Expected the Kaggle download's {EXPECTED_PISTACHIO_COUNTS}, found {counts}: "
            "the download may be incomplete or a different version."
        )
    return ImportResult(out, data_dir, counts, warnings)
