"""Importing a downloaded dataset archive safely (plumbing, not a lesson).

``zipfile`` silently rewrites ``../x`` and ``/abs`` members into the target, and
``tarfile`` on Python 3.11 without ``filter="data"`` writes them outside it. An
archive from the internet is untrusted input: `import_archive` checks every
member *before* extracting anything, extracts into a temporary folder, and
moves the result into place only when it is complete.
"""

from __future__ import annotations

import errno
import gzip
import lzma
import posixpath
import re
import shutil
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tqdm import tqdm  # plain bars: these run in a terminal, and tqdm.auto warns in notebooks

from helpers import BadInput, MissingData, files, outputs, paths
from helpers.generators import readable_size

__all__ = [
    "DEFAULT_MAX_SIZE",
    "EXPECTED_PISTACHIO_COUNTS",
    "MAX_RATIO",
    "ImportResult",
    "archive_size",
    "find_data_dir",
    "import_archive",
    "parse_size",
    "unsafe_members",
]

#: Largest total uncompressed size `import_archive` extracts unless told otherwise
#: (the real Kaggle pistachio zip holds about 65 MB).
DEFAULT_MAX_SIZE = 2 * 1000**3

#: Largest overall compression ratio accepted for archives above `_RATIO_FLOOR` bytes.
#: Photos (JPEG, PNG) barely compress (about 1:1); 100:1 means a "zip bomb".
MAX_RATIO = 100
_RATIO_FLOOR = 50 * 1000**2

#: Room left free on the disk after extracting.
_DISK_MARGIN = 50 * 1000**2

_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4}

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


def parse_size(text: str) -> int:
    """Bytes in a size written like ``500MB``, ``2GB`` or ``123456``.

    Parameters
    ----------
    text : str
        A number with an optional unit B (or bytes), KB, MB, GB or TB (powers of 1000, any
        case), as `helpers.generators.readable_size` writes it.

    Returns
    -------
    int
        The size in bytes.

    Raises
    ------
    ValueError
        If `text` is not such a size, or is not positive.

    Examples
    --------
    >>> parse_size("2GB"), parse_size("1.5 mb"), parse_size("4096"), parse_size("12 bytes")
    (2000000000, 1500000, 4096, 12)
    >>> all(parse_size(readable_size(n)) > 0 for n in (1, 999, 999_999, 2.5e12))
    True
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?b?|bytes?)\s*", text, re.IGNORECASE)
    if not match or float(match[1]) <= 0:
        raise BadInput(f"Incorrect size {text!r}; write e.g. 500MB or 5GB.")
    unit = match[2].upper()
    return int(float(match[1]) * _UNITS["B" if unit.startswith("BYTE") else unit])


def _damaged(path: Path, err: BaseException) -> BadInput:
    detail = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return BadInput(
        f"'{path}' is damaged or incomplete ({detail}). Download it again; nothing was extracted."
    )


#: Errors of the decompressors that mean "bad data" rather than "cannot read the file".
_DATA_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    tarfile.TarError,
    EOFError,
    zlib.error,
    gzip.BadGzipFile,
    lzma.LZMAError,
)


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn the archive libraries' data errors into one readable ValueError."""
    try:
        yield
    except tarfile.FilterError as err:  # a link chain that only tarfile's filter caught
        raise BadInput(f"Refusing to extract '{path}': {err}. Nothing was extracted.") from err
    except UnicodeDecodeError as err:  # a zip that says its names are UTF-8, and one is not
        raise BadInput(
            f"'{path}' holds a file name that is not valid UTF-8 although the archive says it "
            f"is (bytes {err.object[err.start : err.end]!r} in {err.object!r}). Re-create the "
            "archive (e.g. with 7-Zip), or unpack it by hand and use the folder as DATA_DIR."
        ) from None
    except _DATA_ERRORS as err:
        raise _damaged(path, err) from err
    except OSError as err:
        if err.errno is None:  # bz2 and friends: a data error without an OS error number
            raise _damaged(path, err) from err
        raise


def archive_size(path: str | Path) -> int:
    """Total uncompressed size of the files in a zip or tar archive, from its directory.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.zip``, ``.tar``, ``.tar.gz`` or ``.tgz`` file.

    Returns
    -------
    int
        Bytes that extracting every member would write.

    Raises
    ------
    ValueError
        If the file is not a zip or tar archive, or is damaged.

    Examples
    --------
    >>> packed = tmp_path / "a.zip"
    >>> with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("a/zeros.bin", bytes(10_000))
    >>> archive_size(packed)
    10000
    """
    path = Path(path)
    with _reading(path):
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return sum(info.file_size for info in archive.infolist())
        if tarfile.is_tarfile(path):
            with tarfile.open(path) as archive:
                return sum(m.size for m in archive.getmembers() if m.isfile())
    raise BadInput(
        f"'{path}' is not a zip or tar archive. Download it again, or unpack it by hand."
    )


def _check_size(archive: Path, out: Path, max_size: int) -> None:
    """Refuse archives that would write too much, for their size or for the disk."""
    total = archive_size(archive)
    packed = max(archive.stat().st_size, 1)
    if total > max_size:
        raise BadInput(
            f"'{archive}' would write {readable_size(total)} when extracted, more than the "
            f"limit of {readable_size(max_size)}. If you expect a dataset that large, raise "
            f"the limit, e.g. --max-size {readable_size(total * 1.2).replace(' ', '')}."
        )
    if total > _RATIO_FLOOR and total / packed > MAX_RATIO:
        raise BadInput(
            f"'{archive}' would expand {total / packed:.0f}-fold ({readable_size(packed)} to "
            f"{readable_size(total)}); photo archives barely compress, so this looks like a "
            "'zip bomb'. Nothing was extracted."
        )
    existing = next(p for p in out.parents if p.exists())  # where the staging folder goes
    free = shutil.disk_usage(existing).free
    if total + _DISK_MARGIN > free:
        raise OSError(
            28,  # ENOSPC
            f"'{archive}' needs {readable_size(total)}, plus {readable_size(_DISK_MARGIN)} to "
            f"spare, but only {readable_size(free)} is free on the disk of '{existing}'. Free "
            "some space or choose another --out",
        )


def _is_archive_junk(name: str) -> bool:
    return any(files.is_hidden(part) and part != "." for part in PurePosixPath(name).parts)


def _escapes(name: str) -> bool:
    """True for absolute names, drive letters or '..' that climb out of the target."""
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return True
    return posixpath.normpath(normal).split("/")[0] == ".."


def _follow(name: str, links: dict[str, str], depth: int = 0) -> str | None:
    """Where `name` leads inside the target after following the archive's own symlinks.

    None when it climbs out (or loops), as a chain like ``a/b/c -> ../..`` then
    ``a/b/e -> c/../..`` does although each link alone looks harmless.
    """
    parts: list[str] = []
    for part in name.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
            continue
        parts.append(part)
        here = "/".join(parts)
        if here in links:
            target = links[here]
            if depth > 40 or target.startswith("/"):
                return None
            followed = _follow(posixpath.join(posixpath.dirname(here), target), links, depth + 1)
            if followed is None:
                return None
            parts = followed.split("/") if followed else []
    return "/".join(parts)


def _tar_problem(member: tarfile.TarInfo, links: dict[str, str]) -> list[str]:
    name, target = member.name, member.linkname
    if _escapes(name) or _follow(name, links) is None:
        return [f"'{name}' (outside the target)"]
    if member.issym() and (
        target.startswith("/")
        or _follow(posixpath.join(posixpath.dirname(name), target), links) is None
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
        If the file is not a zip or tar archive, or is damaged.

    Examples
    --------
    >>> bad = tmp_path / "bad.zip"
    >>> with zipfile.ZipFile(bad, "w") as z:
    ...     z.writestr("../evil.txt", "x")
    >>> unsafe_members(bad)
    ["'../evil.txt' (outside the target)"]
    """
    path = Path(path)
    with _reading(path):
        return _unsafe_members(path)


def _unsafe_members(path: Path) -> list[str]:
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
        links: dict[str, str] = {}
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                problem = _tar_problem(member, links)
                found += problem
                if member.issym() and not problem:
                    links[posixpath.normpath(member.name)] = member.linkname
        return found
    raise BadInput(
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
    raise BadInput(
        f"No folder inside '{root}' holds 2 or more class folders of images. "
        "Is this the right archive?"
    )


def _copy_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, into: Path) -> int:
    """Write one zip member below `into`, never more bytes than its directory entry promises."""
    target = into.joinpath(*PurePosixPath(posixpath.normpath(info.filename)).parts)
    if info.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with archive.open(info) as source, open(target, "wb") as sink:
        while chunk := source.read(1 << 20):
            written += len(chunk)
            if written > info.file_size:
                raise BadInput(
                    f"Member '{info.filename}' holds more data than the archive's directory says "
                    f"({info.file_size} bytes): the archive is damaged or crafted. Nothing was "
                    "extracted."
                )
            sink.write(chunk)
    return written


def _extract(path: Path, into: Path, progress: bool) -> None:
    into.mkdir(parents=True, exist_ok=True)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not _is_archive_junk(m.filename)]
            for member in tqdm(members, desc="Extracting", unit="file", disable=not progress):
                with _member(path, member.filename):
                    _copy_zip_member(archive, member, into)
    else:
        with tarfile.open(path) as archive:
            members = [m for m in archive.getmembers() if not _is_archive_junk(m.name)]
            for member in tqdm(members, desc="Extracting", unit="file", disable=not progress):
                with _member(path, member.name):
                    archive.extract(member, into, filter="data")


@contextmanager
def _member(archive: Path, name: str) -> Iterator[None]:
    """Name the archive and its member when one cannot be written (not the staging folder)."""
    try:
        yield
    except OSError as err:
        if err.errno in (errno.ENAMETOOLONG, errno.EINVAL, errno.EILSEQ, errno.EISDIR):
            raise BadInput(
                f"Cannot extract '{name}' of '{archive}': {err.strerror} on this disk. Unpack "
                "the archive by hand, renaming that file, and use the folder as DATA_DIR. "
                "Nothing was extracted."
            ) from None
        raise


def import_archive(
    archive: str | Path,
    out: str | Path,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    progress: bool = True,
) -> ImportResult:
    """Extract a dataset archive into `out`, safely and all-or-nothing.

    Parameters
    ----------
    archive : str or pathlib.Path
        The downloaded ``.zip`` (e.g. Kaggle's ``archive.zip``) or ``.tar.gz``.
    out : str or pathlib.Path
        Destination folder; must not exist yet, or be empty. Not inside the
        repository's ``notebooks/`` or ``helpers/``, nor the bundled sample.
    max_size : int, optional
        Largest total uncompressed size, in bytes, to extract (`DEFAULT_MAX_SIZE`).
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
        If the archive is not zip/tar or is damaged, has members that would land
        outside `out` (absolute paths, ``..``, escaping links or link chains),
        would write more than `max_size` bytes or expand more than `MAX_RATIO`-fold,
        or holds no class-per-folder dataset. Nothing is written in these cases.
    FileExistsError
        If `out` exists and is not empty.
    NotADirectoryError
        If `out` is a file.
    OSError
        If the disk has too little free space for the extracted files.

    Notes
    -----
    The sizes are read from the archive's directory before anything is
    extracted, and a zip member that turns out larger than its entry stops the
    extraction. ``__MACOSX`` and other hidden members are not extracted. When the classes
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
    archive = Path(archive)
    label = "The import folder"
    out = outputs.refuse_protected(
        out, label, extra={"the bundled sample": paths.SAMPLE_ROOT}, allow=paths.DATA_ROOT / "real"
    )
    if archive.is_dir():
        raise BadInput(
            f"'{archive}' is a folder, not an archive. Pass the downloaded .zip or .tar.gz file, "
            "or use the folder directly as DATA_DIR if it is already unpacked."
        )
    if archive.exists() and not archive.is_file():
        raise BadInput(
            f"'{archive}' is not a regular file (a pipe or a device?). Pass the downloaded "
            ".zip or .tar.gz file."
        )
    if not archive.is_file():
        raise MissingData(f"No archive at '{archive}'. Check the path of the download.")
    bad = unsafe_members(archive)
    if bad:
        raise BadInput(
            f"Refusing to extract '{archive}': {len(bad)} member(s) would be written outside the "
            f"target folder: {', '.join(bad[:5])}. Nothing was extracted."
        )
    _check_size(archive, out, max_size)
    with (
        outputs.replace_folder(
            out,
            label,
            made_by="python -m helpers data import",
            overwrite=False,
            details={"archive": str(archive.resolve())},
            protect={"the bundled sample": paths.SAMPLE_ROOT},
            allow=paths.DATA_ROOT / "real",
        ) as new,
        _reading(archive),
    ):
        _extract(archive, new, progress)
        try:
            data_dir = find_data_dir(new)
        except ValueError as err:
            found = sum(1 for p in new.rglob("*") if p.is_file())
            raise BadInput(
                f"'{archive}' holds no folder with 2 or more class folders of images ({found} "
                "file(s) besides hidden and __MACOSX entries). Is this the right archive? "
                "Nothing was extracted."
            ) from err
        relative = data_dir.relative_to(new)
    data_dir = out / relative
    counts = files.count_images(data_dir)
    warnings = []
    if set(counts) == set(EXPECTED_PISTACHIO_COUNTS) and counts != EXPECTED_PISTACHIO_COUNTS:
        warnings.append(
            f"Expected the Kaggle download's {EXPECTED_PISTACHIO_COUNTS}, found {counts}: "
            "the download may be incomplete or a different version."
        )
    return ImportResult(out, data_dir, counts, warnings)
