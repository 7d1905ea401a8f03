"""Where the workshop may write, and how: one policy for every command and lesson that writes.

Every folder or file the workshop writes (a split, the sample, an imported dataset, a run's
executed notebooks, the website, a benchmark's results, the lessons' work folder) goes
through this module, and every one obeys the same rules:

1. **Never into the workshop's own files**: inside the repository only ``build/`` takes
   outputs (and exactly ``data/sample`` and ``data/real``, the defaults of ``data sample``
   and ``data import``); never the dataset in use, nor a folder holding it or any of those,
   nor the current folder (:func:`refuse_protected`).
2. **Never replacing what it did not write.** Each output folder gets a marker file,
   :data:`MARKER`, naming the command that wrote it and listing every file with its size
   and SHA-256. A folder is replaced only when it is missing, empty, or holds exactly what
   its marker lists and was written by the same command (files may be missing; none added,
   changed or turned into links). So a file you added or edited in an earlier output
   blocks the replacement, with or without ``overwrite`` (:func:`foreign_entries`). A single
   output file carries the same facts inside itself (:func:`seal`).
3. **Never through a link.** An output that is a link is refused, and a link inside an
   output folder is something the workshop did not write; files are replaced, never
   written through.
4. **All or nothing, one writer at a time.** New folders are built in a hidden staging
   folder beside the target and renamed into place when complete; a lock file beside the
   target keeps two workshop commands from writing it at once; the target is checked again,
   after it is moved aside, just before it is replaced, and Ctrl-C or SIGTERM wait until
   the swap is done (:func:`replace_folder`). A swap killed outright is put back by the next
   command (:func:`remove_stale_staging`).

Examples
--------
>>> with replace_folder(tmp_path / "out", "the output", made_by="a doctest") as new:
...     _ = (new / "result.txt").write_text("42")
>>> sorted(p.name for p in (tmp_path / "out").iterdir())
['.helpers-output.json', 'result.txt']
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from helpers import BadInput, NotAFolder, NotEmpty, NotOurs, Protected, WorkshopError

__all__ = [
    "LOCK_SUFFIX",
    "MARKER",
    "STAGING_MARKER",
    "SYSTEM_FILES",
    "WORK_FOLDER",
    "check_file",
    "check_folder",
    "foreign_entries",
    "in_place",
    "lock",
    "made_parents",
    "refuse_in_work_folder",
    "refuse_links_below",
    "refuse_sources_inside",
    "refuse_protected",
    "remove_stale_staging",
    "replace_file",
    "replace_folder",
    "seal",
    "sealed_by",
    "staging_folder",
    "work_folder",
    "write_atomically",
    "write_marker",
]

#: File in every output folder the workshop writes: what it wrote, with sizes and SHA-256.
MARKER = ".helpers-output.json"
#: File inside every staging folder, naming the process that owns it.
STAGING_MARKER = ".helpers-staging.json"
#: Ending of the lock file written beside a target while a command writes it.
LOCK_SUFFIX = ".helpers-lock"
#: Caches file browsers drop into folders they show (files, rebuilt by the system at will):
#: inside an output of the workshop, replacing them loses nothing. Anywhere else they count.
SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db"})
#: JupyterLab's copies of the notebooks it opened; inside an output they are ignored only
#: while each is a copy of a file the workshop wrote, unchanged.
CHECKPOINTS = ".ipynb_checkpoints"


# --------------------------------------------------------------------------- protected folders


def _protected() -> dict[str, Path]:
    from helpers import paths

    return {
        "the lesson notebooks": paths.NOTEBOOKS_DIR,
        "the learner edition": paths.LEARNER_DIR,
        "the helpers package": paths.HELPERS_DIR,
        "the instructors' guide": paths.REPO_ROOT / "instructors",
        "the data folder": paths.DATA_ROOT,
    }


def _overlaps(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refuse_protected(
    path: str | Path,
    label: str,
    *,
    extra: Mapping[str, str | Path | None] | None = None,
    allow: str | Path | None = None,
) -> Path:
    """Refuse an output that is, holds, or lies inside, a folder the workshop never writes to.

    Parameters
    ----------
    path : str or pathlib.Path
        The output folder or file (it need not exist). It may not be a link itself; links
        on the way to it are followed, so a parent linked into a protected folder is refused.
    label : str
        How the user named it (``"The split output"``, ``"WORK_DIR"``), for the message.
    extra : mapping, optional
        More protected folders, ``{description: folder}`` (e.g. the dataset in use);
        ``None`` values are ignored.
    allow : str or pathlib.Path, optional
        The one folder inside the repository, outside ``build/``, this caller may write: its
        own default (``data/sample`` for the sample, ``data/real`` for imports), exactly.

    Returns
    -------
    pathlib.Path
        `path`, absolute and resolved.

    Raises
    ------
    helpers.Protected
        (a ValueError) If `path` lies in one of the folders above or holds one, lies in the
        repository outside ``build/``, or is the current folder (or holds it).
    helpers.NotOurs
        If `path` itself is a link.

    Examples
    --------
    >>> from helpers import paths
    >>> refuse_protected(tmp_path / "out", "The output") == (tmp_path / "out").resolve()
    True
    >>> refuse_protected(paths.NOTEBOOKS_DIR, "The output")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.Protected: The output '...notebooks' is inside the lesson notebooks ...
    """
    from helpers import paths

    given = paths.user_path(path).absolute()
    if given.is_symlink():
        raise NotOurs(
            f"{label} '{given}' is a link (to '{os.readlink(given)}'); the workshop never "
            "writes through links. Give the folder itself, or a new name."
        )
    path = paths.resolve(given, label)
    if allow is not None and path == paths.resolve(allow, label):
        return path  # the caller's own default (data/sample, data/real), exactly
    folders = {**_protected(), **{k: v for k, v in (extra or {}).items() if v is not None}}
    around = _identities([path, *path.parents])  # the same folders under other names too
    for description, folder in folders.items():
        folder = paths.resolve(folder, description)
        if _overlaps(path, folder) or _identities([folder]) & around:
            raise Protected(
                f"{label} '{path}' is inside {description} ('{folder}'), which is never "
                "written to. Choose a folder outside it, e.g. in build/."
            )
        if path in folder.parents:
            raise Protected(
                f"{label} '{path}' holds {description} ('{folder}'), which is never written "
                "to. Choose a folder that does not contain it."
            )
    root, build = paths.REPO_ROOT, paths.BUILD_DIR
    build_identity = _identities([build])
    in_root = _overlaps(path, root) or bool(_identities([root]) & around)
    in_build = _overlaps(path, build) or bool(build_identity & around)
    is_build = path == build or bool(build_identity & _identities([path]))  # (build/ itself)
    if (in_root and not in_build) or is_build:
        raise Protected(
            f"{label} '{path}' is in the workshop's own files ('{root}'), where only build/ is "
            "for outputs. Choose a folder in build/, e.g. build/run, or outside the repository."
        )
    _refuse_current_folder(path, label)
    return path


def _identities(folders: list[Path]) -> set[tuple[int, int]]:
    """(device, inode) of the existing ones: a folder seen through a bind mount or another
    spelling (a case-insensitive disk) is still the same folder."""
    found = set()
    for folder in folders:
        with contextlib.suppress(OSError):
            info = folder.stat()
            found.add((info.st_dev, info.st_ino))
    return found


def _refuse_current_folder(path: Path, label: str) -> None:
    """The folder a command runs in (or one around it) cannot be replaced from inside."""
    try:
        here = Path.cwd().resolve()
    except OSError:
        return
    if path == here or path in here.parents:
        raise Protected(
            f"{label} '{path}' is the folder you are in (or holds it). Choose a new folder "
            "inside it, e.g. ./out, or run the command from elsewhere."
        )


# --------------------------------------------------------------------------- markers


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as listing:
        return sorted(listing, key=lambda entry: entry.name)


def _walk(folder: Path) -> Iterator[tuple[Path, bool]]:
    """Every entry below `folder` as ``(path, is_folder)``, never following links.

    A link (to a file or a folder) is yielded as a file. Depth-first, without recursion: a
    tree thousands of folders deep is walked like any other.
    """
    pending = [iter(_entries(folder))]
    while pending:
        entry = next(pending[-1], None)
        if entry is None:
            pending.pop()
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield path, True
            pending.append(iter(_entries(path)))
        else:
            yield path, False


def write_marker(
    folder: str | Path,
    made_by: str,
    details: Mapping[str, Any] | None = None,
    *,
    include: Callable[[str], bool] | None = None,
    update: bool = False,
) -> Path:
    """Record every file in `folder` as written by the workshop (sizes and SHA-256).

    Parameters
    ----------
    folder : str or pathlib.Path
        An output folder the caller has just written, and nobody else.
    made_by : str
        What wrote it, e.g. ``"python -m helpers run"``: only the same command may replace it.
    details : mapping, optional
        Anything else worth keeping (JSON-able), e.g. the split's ratio.
    include : callable, optional
        Record only what lies under the top-level names it accepts (default: everything).
    update : bool, optional
        Keep what an earlier marker of the same `made_by` recorded, as it was then; only add
        files it did not list. A command that writes as it goes records each file when it is
        written, so that a change made to it afterwards (notes saved into an executed lesson
        while the next runs) is not taken for the workshop's.

    Returns
    -------
    pathlib.Path
        The marker file.

    Examples
    --------
    >>> _ = (tmp_path / "a.txt").write_text("a")
    >>> marker = write_marker(tmp_path, "a doctest")
    >>> list(json.loads(marker.read_text())["files"])
    ['a.txt']
    """
    folder = Path(folder)
    earlier = _read_marker(folder) if update else None
    same = earlier is not None and earlier.get("made_by") == made_by
    known = dict(earlier["files"]) if same else {}
    files, folders = dict(known), list(earlier.get("folders", [])) if same else []
    for path, is_folder in _walk(folder):
        relative = path.relative_to(folder).as_posix()
        if relative == MARKER or path.is_symlink():
            continue
        if include is not None and not include(relative.split("/")[0]):
            continue
        if is_folder:
            folders += [relative] if relative not in folders else []
        elif relative not in known:
            files[relative] = [path.stat().st_size, _digest(path)]
    record = {"made_by": made_by, "files": files, "folders": folders, **(details or {})}
    return write_atomically(folder / MARKER, json.dumps(record, indent=1))


def _read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        record = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict):
        return None
    return record


def _unchanged(path: Path, written: Any) -> bool:
    """Whether `path` is a regular file with the size and SHA-256 the marker recorded."""
    return (
        not path.is_symlink()
        and path.is_file()
        and isinstance(written, list)
        and len(written) == 2
        and path.stat().st_size == written[0]
        and _digest(path) == written[1]
    )


def _is_system_file(path: Path) -> bool:
    return path.name in SYSTEM_FILES and path.is_file() and not path.is_symlink()


def _is_checkpoint_copy(path: Path, folder: Path, files: Mapping[str, Any]) -> bool:
    """A JupyterLab checkpoint (``.ipynb_checkpoints/NAME-checkpoint.EXT``) of a file the
    workshop wrote, identical to it as written: deleting it loses nothing."""
    if path.parent.name != CHECKPOINTS or "-checkpoint" not in path.stem:
        return False
    stem = path.stem.rpartition("-checkpoint")[0]
    original = (path.parent.parent / f"{stem}{path.suffix}").relative_to(folder).as_posix()
    return _unchanged(path, files.get(original))


def foreign_entries(folder: str | Path) -> list[Path] | None:
    """What in `folder` the workshop did not write, according to its marker.

    Parameters
    ----------
    folder : str or pathlib.Path
        An existing folder.

    Returns
    -------
    list of pathlib.Path or None
        ``None`` if `folder` has no (readable) marker; otherwise the files that are not
        listed, differ in size or content from what was written, or are links, and the
        folders not listed. Files listed but missing are not foreign (nothing to lose);
        `SYSTEM_FILES` and JupyterLab's checkpoint copies of unchanged files are ignored.

    Examples
    --------
    >>> _ = write_marker(tmp_path, "a doctest")
    >>> foreign_entries(tmp_path)
    []
    >>> _ = (tmp_path / "notes.txt").write_text("mine")
    >>> [p.name for p in foreign_entries(tmp_path)]
    ['notes.txt']
    """
    folder = Path(folder)
    record = _read_marker(folder)
    return None if record is None else _foreign(folder, record)


def _foreign(folder: Path, record: Mapping[str, Any]) -> list[Path]:
    """`foreign_entries` of `folder` against its marker's `record`, already read."""
    files, folders = record["files"], set(record.get("folders", []))
    foreign = []
    for path, is_folder in _walk(folder):
        relative = path.relative_to(folder).as_posix()
        if relative == MARKER:
            continue
        if is_folder:
            if relative not in folders and path.name != CHECKPOINTS:
                foreign.append(path)
        elif not (
            _is_system_file(path)
            or _unchanged(path, files.get(relative))
            or _is_checkpoint_copy(path, folder, files)
        ):
            foreign.append(path)
    return foreign


def _is_empty(folder: Path) -> bool:
    with os.scandir(folder) as listing:
        return next(listing, None) is None


def _check_replaceable(
    folder: Path, label: str, *, overwrite: bool, made_by: str | None, shown: Path | None = None
) -> None:
    """Refuse `folder` unless it is missing, empty, or (with `overwrite`) only the workshop's.

    `made_by`, when given, must be what the marker names: one command's output is never
    replaced by another's. `shown` is the name to use in messages when `folder` has just been
    moved aside.
    """
    shown = shown or folder
    if folder.is_symlink() and not folder.exists():
        raise NotOurs(f"{label} '{shown}' is a broken link. Remove it, or choose another name.")
    if not folder.exists():
        return
    if not folder.is_dir():
        raise NotAFolder(f"{label} '{shown}' is a file, not a folder. Choose a folder name.")
    if _is_empty(folder):
        return
    if not overwrite:
        err = NotEmpty(
            f"{label} '{shown}' already exists and is not empty. Choose a new folder, or "
            "replace an earlier output of the workshop with overwrite=True."
        )
        err.target = shown
        raise err
    record = _read_marker(folder)
    if record is None:
        raise NotOurs(
            f"{label} '{shown}' holds files the workshop did not write (it has no {MARKER} "
            "marker, or the command that wrote it was killed), so it is never replaced. "
            "Choose a new folder, or empty it yourself."
        )
    written_by = record.get("made_by")
    if made_by is not None and written_by != made_by:
        raise NotOurs(
            f"{label} '{shown}' is the output of `{written_by}`, not of `{made_by}`, so it is "
            "not replaced. Choose a new folder, or delete it yourself if you no longer need it."
        )
    foreign = _foreign(folder, record)  # (hashing every file: only once the rest agrees)
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise NotOurs(
            f"{label} '{shown}' holds '{shown / foreign[0].relative_to(folder)}'{more}, which "
            "the workshop did not write (added, changed or a link), so it is never replaced. "
            "Move it out, or choose a new folder."
        )


def check_folder(
    folder: str | Path,
    label: str,
    *,
    made_by: str,
    overwrite: bool = True,
    protect: Mapping[str, str | Path | None] | None = None,
    allow: str | Path | None = None,
) -> Path:
    """Check, without writing anything, that `replace_folder` or `in_place` would take `folder`.

    Commands that work for minutes before they write (the site runs every lesson first)
    call this at the start, so that a refusal comes before the wait.

    Parameters
    ----------
    folder, label, made_by, overwrite, protect, allow
        As for `replace_folder`.

    Returns
    -------
    pathlib.Path
        `folder`, absolute and resolved.

    Raises
    ------
    helpers.Protected, helpers.NotEmpty, helpers.NotOurs
        As `replace_folder` would; `helpers.Protected` also for a mount point, which cannot
        be renamed.

    Examples
    --------
    >>> check_folder(tmp_path / "new", "The output", made_by="a doctest") == tmp_path / "new"
    True
    """
    folder = refuse_protected(folder, label, extra=protect, allow=allow)
    if folder.is_dir() and os.path.ismount(folder):
        raise Protected(  # said now: the rename at the end would fail, after all the work
            f"{label} '{folder}' is where a disk or a share is mounted: the workshop builds "
            "its output beside the folder and renames it into place, which a mount point "
            f"refuses. Give a new folder inside it, e.g. '{folder / 'workshop'}'."
        )
    _check_replaceable(folder, label, overwrite=overwrite, made_by=made_by)
    return folder


# --------------------------------------------------------------------------- staging and locks


def _process_started(pid: int) -> float | None:
    """Start time of a running process, or None if there is none with that id."""
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _owner() -> dict[str, float]:
    import psutil

    return {"pid": os.getpid(), "started": psutil.Process().create_time()}


def _owner_is_gone(record_file: Path) -> bool:
    try:
        owner = json.loads(record_file.read_text())
        pid, started = int(owner["pid"]), float(owner["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return False  # not provably ours: leave it alone
    running = _process_started(pid)
    return running is None or abs(running - started) > 1


def remove_stale_staging(parent: str | Path, prefix: str) -> list[Path]:
    """Delete staging folders left in `parent` by workshop commands that were killed.

    Only folders whose name starts with `prefix`, that hold a `STAGING_MARKER`
    naming a process that no longer runs, are removed; anything else is left alone. A
    command killed between moving its target aside and renaming the new one into place
    left the earlier output in ``old/``: it is put back where it was.

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
    >>> left = tmp_path / ".out-0123456789ab"; left.mkdir()
    >>> _ = (left / STAGING_MARKER).write_text('{"pid": 999999999, "started": 0}')
    >>> [p.name for p in remove_stale_staging(tmp_path, ".out-")]
    ['.out-0123456789ab']
    """
    removed = []
    ours = re.compile(re.escape(prefix) + r"[0-9a-f]{12}")  # as `staging_folder` names them
    try:
        candidates = sorted(p for p in Path(parent).glob(f"{prefix}*") if ours.fullmatch(p.name))
    except OSError:
        return removed
    target = Path(parent) / prefix[1:].removesuffix("-")  # staging of target NAME: ".NAME-"
    for folder in candidates:
        if folder.is_dir() and not folder.is_symlink() and _owner_is_gone(folder / STAGING_MARKER):
            old = folder / "old"  # killed mid-swap: the earlier output goes back, not away
            if old.is_dir() and not (target.exists() or target.is_symlink()):
                with contextlib.suppress(OSError):
                    os.rename(old, target)
            _remove_staging(folder)
            removed.append(folder)
    return removed


def _remove_staging(staging: Path) -> None:
    """Delete a staging folder, its `STAGING_MARKER` last and with Ctrl-C held meanwhile.

    Deleting the marker first (as one ``shutil.rmtree`` may) and then being stopped would
    leave a folder that nothing recognises as a staging folder any more, so nothing would
    ever remove it: a hidden copy of the earlier output, beside the new one.
    """
    with _signals_held():
        with contextlib.suppress(OSError):
            for child in staging.iterdir():
                if child.name == STAGING_MARKER:
                    continue
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)  # the marker, then the folder


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
    remove_stale_staging(parent, prefix)
    # Named before it exists, so that `finally` knows it even if Ctrl-C or SIGTERM lands the
    # moment after it is made (tempfile.mkdtemp would leave it behind then).
    staging = Path(parent) / f"{prefix}{secrets.token_hex(6)}"
    try:
        staging.mkdir(mode=0o700)
        (staging / STAGING_MARKER).write_text(json.dumps(_owner()))
        yield staging
    finally:
        if staging.is_dir() and _made_here(staging):
            _remove_staging(staging)


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


@contextmanager
def lock(target: str | Path, label: str) -> Iterator[None]:
    """Hold the lock file beside `target` while writing it: one workshop command at a time.

    The lock is a hidden file ``.NAME.helpers-lock`` in the target's folder, created only if
    it does not exist (an atomic step on every file system), naming this process. A lock
    left by a command that was killed is taken over.

    Parameters
    ----------
    target : str or pathlib.Path
        The folder or file about to be written; its parent must exist.
    label : str
        How the user named it, for the message.

    Raises
    ------
    helpers.WorkshopError
        If another running workshop command holds the lock.

    Examples
    --------
    >>> with lock(tmp_path / "out", "The output"):
    ...     sorted(p.name for p in tmp_path.iterdir())
    ['.out.helpers-lock']
    >>> list(tmp_path.iterdir())
    []
    """
    target = Path(target)
    lock_file = target.with_name(f".{target.name}{LOCK_SUFFIX}")
    for attempt in range(2):
        try:
            handle = os.open(lock_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            if attempt == 0 and _owner_is_gone(lock_file):
                lock_file.unlink(missing_ok=True)
                continue
            raise WorkshopError(
                f"Another workshop command is writing '{target}' ({label}) right now: its lock "
                f"file '{lock_file}' is there. Wait until that command ends. If none is running "
                "(a computer that was switched off), delete the lock file."
            ) from None
        except OSError as err:  # the folder cannot be written: name the target, not the lock
            raise OSError(err.errno, err.strerror, str(target)) from None
    try:
        with os.fdopen(handle, "w") as file:
            file.write(json.dumps(_owner()))
        yield
    finally:
        lock_file.unlink(missing_ok=True)


def _restore(moved: Path, target: Path) -> str:
    """Move `moved` back to `target`; if something took its place meanwhile, beside it.

    Returns words for an error message when it could not go back (never left in staging,
    which is deleted).
    """
    try:
        os.rename(moved, target)
        return ""
    except OSError:
        kept = target.with_name(f"{target.name}.kept-{secrets.token_hex(3)}")
        os.rename(moved, kept)
        return f" Something took its place meanwhile, so the old one is now '{kept}'."


@contextmanager
def replace_folder(
    target: str | Path,
    label: str,
    *,
    made_by: str,
    overwrite: bool = True,
    details: Mapping[str, Any] | None = None,
    protect: Mapping[str, str | Path | None] | None = None,
    allow: str | Path | None = None,
) -> Iterator[Path]:
    """Build a new folder in staging; when the block ends without error, it becomes `target`.

    Parameters
    ----------
    target : str or pathlib.Path
        The output folder.
    label : str
        How the user named it, for messages (``"The split output"``).
    made_by : str
        Recorded in the marker.
    overwrite : bool, optional
        Replace an earlier output of the workshop (its files unchanged). Without it, an
        existing non-empty `target` is refused.
    details : mapping, optional
        Recorded in the marker.
    protect, allow
        As `extra` and `allow` of `refuse_protected`.

    Yields
    ------
    pathlib.Path
        An empty folder to write the new content into.

    Raises
    ------
    helpers.Protected
        If `target` lies in a protected folder.
    helpers.NotEmpty
        If `target` is not empty and `overwrite` is False.
    helpers.NotOurs
        If `target` holds anything the workshop did not write (checked before and again
        just before the swap), or appeared while the new folder was built.
    helpers.WorkshopError
        If another workshop command is writing `target`.

    Examples
    --------
    >>> target = tmp_path / "out"
    >>> with replace_folder(target, "The output", made_by="a doctest") as new:
    ...     _ = (new / "a.txt").write_text("a")
    >>> _ = (target / "mine.txt").write_text("mine")
    >>> with replace_folder(target, "The output", made_by="a doctest") as new:
    ...     pass  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.NotOurs: The output '...out' holds '...mine.txt', which the workshop did not write ...
    """
    target = check_folder(
        target, label, made_by=made_by, overwrite=overwrite, protect=protect, allow=allow
    )
    with (
        made_parents(target.parent),
        lock(target, label),
        staging_folder(target.parent, f".{target.name}-") as staging,
    ):
        _check_replaceable(target, label, overwrite=overwrite, made_by=made_by)
        new = staging / "new"
        new.mkdir()
        yield new
        write_marker(new, made_by, details)
        with _signals_held():
            _swap(new, target, staging / "old", label, overwrite=overwrite, made_by=made_by)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP (a closed terminal) during a swap's two renames.

    Between moving the old output aside and renaming the new one into place, a stop would
    leave neither (the staging folder holding the old one is then deleted). So for that
    moment the signals are only noted, then handed to the handlers they were meant for.
    Outside the main thread (where Python cannot change handlers), and after SIGKILL, a
    half-done swap is repaired by the next command (`remove_stale_staging`).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    held = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, lambda n, _: noted.append(n)) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in noted:
            handler = previous[signum]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)


def _move_aside(target: Path, old: Path, label: str, *, overwrite: bool, made_by: str) -> bool:
    """Move `target` (if any) to `old` and check it there, where nobody else writes.

    Checking after the move closes the gap between a check and a delete: what was added to
    `target` until the moment it moved is seen. Returns whether something was moved.
    """
    if not (target.exists() or target.is_symlink()):
        return False
    try:
        os.rename(target, old)
    except OSError as err:
        if err.errno == errno.EBUSY:
            raise WorkshopError(
                f"{label} '{target}' cannot be replaced ({err.strerror}: a mount point?). "
                "Choose a folder inside it."
            ) from None
        raise
    try:
        _check_replaceable(old, label, overwrite=overwrite, made_by=made_by, shown=target)
    except WorkshopError as err:
        where = _restore(old, target)
        if where:
            raise type(err)(f"{err}{where}") from None
        raise
    except BaseException:  # any other failure (a path too long, Ctrl-C): put it back first
        _restore(old, target)
        raise
    return True


def _swap(new: Path, target: Path, old: Path, label: str, *, overwrite: bool, made_by: str) -> None:
    """Replace `target` by `new`: the old one is moved aside and checked first."""
    moved = _move_aside(target, old, label, overwrite=overwrite, made_by=made_by)
    try:
        os.rename(new, target)
    except OSError as err:
        where = _restore(old, target) if moved else ""
        if err.errno in (errno.EEXIST, errno.ENOTEMPTY):
            raise NotOurs(
                f"{label} '{target}' appeared while the workshop was writing it, so it was "
                f"left alone and nothing was written. Choose another folder, or run again.{where}"
            ) from None
        raise


@contextmanager
def in_place(
    folder: str | Path,
    label: str,
    *,
    made_by: str,
    records: Callable[[str], bool],
    protect: Mapping[str, str | Path | None] | None = None,
    allow: str | Path | None = None,
) -> Iterator[Path]:
    """Claim `folder` for a command that writes into it as it goes (``run``, the site's work).

    An earlier output of the same command there (its files unchanged) is removed first; any
    other content is refused. When the block ends, even after an error or Ctrl-C, the marker
    records what the command wrote, so that the next run may replace it: everything under
    the top-level names `records` accepts. Anything else that appeared meanwhile (notes
    someone saved there during a run) is not recorded, so it blocks the next run.

    Parameters
    ----------
    folder : str or pathlib.Path
        The output folder; made if missing.
    label, made_by, protect, allow
        As for `replace_folder`.
    records : callable
        Whether a top-level name is one the command writes (``summary.json``, ``work``...).

    Yields
    ------
    pathlib.Path
        `folder`, absolute, resolved and empty.

    Raises
    ------
    helpers.Protected, helpers.NotOurs, helpers.WorkshopError
        As for `replace_folder`.

    Examples
    --------
    >>> ours = {"summary.json"}.__contains__
    >>> with in_place(tmp_path / "run", "The output", made_by="a doctest", records=ours) as out:
    ...     _ = (out / "summary.json").write_text("[]")
    >>> with in_place(tmp_path / "run", "The output", made_by="a doctest", records=ours) as out:
    ...     sorted(p.name for p in out.iterdir())
    []
    """
    from helpers import paths

    given = paths.user_path(folder).absolute()
    remove_stale_staging(given.parent, f".{given.name}-")  # a killed swap's output comes back
    folder = check_folder(folder, label, made_by=made_by, protect=protect, allow=allow)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with lock(folder, label):
        if folder.exists() and not _is_empty(folder):
            with staging_folder(folder.parent, f".{folder.name}-") as staging, _signals_held():
                _move_aside(folder, staging / "old", label, overwrite=True, made_by=made_by)
        folder.mkdir(exist_ok=True)
        try:
            yield folder
        finally:  # what the command recorded as it went stays as it was then
            write_marker(folder, made_by, include=records, update=True)


#: ``made_by`` of a lessons' work folder, whose content the lessons replace as they please.
WORK_FOLDER = "the lessons' work folder"


def work_folder(
    path: str | Path,
    label: str,
    *,
    protect: Mapping[str, str | Path | None] | None = None,
    create: bool = True,
    adopt: bool = False,
) -> Path:
    """Claim `path` as a lessons' work folder (``WORK_DIR``): new, empty, or claimed before.

    The lessons write splits, generated images and models there, and delete their own
    sub-folders to start again; so a folder that already holds other files is refused.

    Parameters
    ----------
    path : str or pathlib.Path
        The folder.
    label : str
        How the user named it (``"WORK_DIR"``), for messages.
    protect : mapping, optional
        As `extra` of `refuse_protected`.
    create : bool, optional
        Make the folder and its marker (otherwise only check).
    adopt : bool, optional
        Claim it whatever it holds: the lessons' default, ``build/workshop``, which lessons
        of earlier versions filled without a marker.

    Returns
    -------
    pathlib.Path
        `path`, absolute and resolved.

    Raises
    ------
    helpers.Protected, helpers.NotOurs
        If `path` is protected, a file, or holds files without the work folder's marker.

    Examples
    --------
    >>> work = work_folder(tmp_path / "work", "WORK_DIR")
    >>> _ = (work / "split").mkdir()
    >>> work_folder(work, "WORK_DIR") == work
    True
    """
    path = refuse_protected(path, label, extra=protect)
    if path.exists() and not path.is_dir():
        raise NotAFolder(f"{label} '{path}' is a file, not a folder. Choose a folder name.")
    made_by = (_read_marker(path) or {}).get("made_by") if path.exists() else None
    claimed = made_by == WORK_FOLDER
    if path.exists() and not claimed and not adopt and not _is_empty(path):
        whose = (
            f"is the output of `{made_by}`" if made_by else "holds files the workshop did not write"
        )
        raise NotOurs(
            f"{label} '{path}' {whose}. The lessons replace what is in their work folder, so "
            "choose a new or empty folder."
        )
    if create:
        path.mkdir(parents=True, exist_ok=True)
        if not claimed:
            record = {"made_by": WORK_FOLDER, "files": {}, "folders": []}
            write_atomically(path / MARKER, json.dumps(record, indent=1))  # replaces a link
    return path


# --------------------------------------------------------------------------- single files

#: Name of the seal a sealed PNG carries in its last text chunk: who wrote it and a SHA-256.
_PNG_SEAL = b"helpers-output"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def seal(data: bytes, suffix: str, made_by: str) -> bytes:
    """`data` (a JSON object or a PNG) with a seal: who wrote it and a SHA-256 of the rest.

    A sealed file says both who wrote it and that nobody changed it since, inside itself, so
    that no marker file has to sit beside it in someone's folder (`sealed_by` reads it).

    Parameters
    ----------
    data : bytes
        The file's content: a JSON object (``.json``) or a PNG image (``.png``).
    suffix : str
        ``".json"`` or ``".png"``.
    made_by : str
        The command that wrote it.

    Returns
    -------
    bytes
        The sealed content: the JSON with ``made_by`` and ``sha256`` keys; the PNG with a
        text chunk before its end.

    Examples
    --------
    >>> sealed = seal(b'{"images": 3}', ".json", "a doctest")
    >>> json.loads(sealed)["made_by"]
    'a doctest'
    """
    if suffix == ".json":
        record = {"made_by": made_by, **json.loads(data), "sha256": ""}
        record["sha256"] = _json_digest(record)
        return json.dumps(record, indent=2).encode()
    if suffix == ".png" and data.endswith(_png_chunk(b"IEND", b"")):
        body = data[:-12]
        text = _PNG_SEAL + b"\0" + f"{made_by}|{hashlib.sha256(body).hexdigest()}".encode()
        return body + _png_chunk(b"tEXt", text) + data[-12:]
    raise BadInput(f"Cannot seal a {suffix or 'nameless'} file: only .json and .png outputs.")


def _json_digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps({**record, "sha256": ""}, indent=2).encode()).hexdigest()


def sealed_by(path: str | Path) -> str | None:
    """Who wrote a file sealed by `seal`, if its seal is intact; else None (edited, or not ours).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.json`` or ``.png`` file.

    Returns
    -------
    str or None
        The ``made_by`` of its seal.

    Examples
    --------
    >>> _ = (tmp_path / "r.json").write_bytes(seal(b'{"images": 3}', ".json", "a doctest"))
    >>> sealed_by(tmp_path / "r.json")
    'a doctest'
    >>> _ = (tmp_path / "r.json").write_text('{"images": 3, "made_by": "a doctest"}')
    >>> sealed_by(tmp_path / "r.json") is None
    True
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if path.suffix.lower() == ".json":
        try:
            record = json.loads(data)
        except ValueError:
            return None
        if not isinstance(record, dict) or record.get("sha256") != _json_digest(record):
            return None
        return record.get("made_by")
    chunks = _png_chunks(data)
    if len(chunks) < 2 or chunks[-1][1] != b"IEND" or chunks[-2][1] != b"tEXt":
        return None
    start, _, text = chunks[-2]
    name, _, value = text.partition(b"\0")
    made_by, _, digest = value.decode("utf-8", "replace").rpartition("|")
    if name != _PNG_SEAL or hashlib.sha256(data[:start]).hexdigest() != digest:
        return None
    return made_by


def _png_chunks(data: bytes) -> list[tuple[int, bytes, bytes]]:
    """``(offset, type, data)`` of each chunk of a PNG; empty if the chunks do not add up."""
    chunks, position = [], 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        chunks.append((position, kind, data[position + 8 : position + 8 + length]))
        position += 12 + length
    return chunks if position == len(data) else []


def refuse_links_below(root: str | Path, path: str | Path, label: str) -> None:
    """Refuse `path` if it, or a folder between `root` and it, is a link.

    For the committed folders the workshop regenerates (``learner/``, ``hub/``): a link
    placed there would make it write somewhere else entirely.

    Parameters
    ----------
    root : str or pathlib.Path
        Where the regenerated folder starts (itself checked too).
    path : str or pathlib.Path
        A file to be written below it.
    label : str
        What is being written, for the message.

    Raises
    ------
    helpers.NotOurs
        Naming the link.

    Examples
    --------
    >>> (tmp_path / "elsewhere").mkdir(); (tmp_path / "hub").symlink_to(tmp_path / "elsewhere")
    >>> refuse_links_below(tmp_path / "hub", tmp_path / "hub" / "a.txt", "hub/")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.NotOurs: hub/: '...hub' is a link ...
    """
    root, path = Path(root), Path(path)
    for step in [root, *reversed([p for p in path.parents if root in p.parents]), path]:
        if step.is_symlink():
            raise NotOurs(
                f"{label}: '{step}' is a link (to '{os.readlink(step)}'); the workshop never "
                "writes through links. Put the folder or file itself back (git checkout)."
            )


def refuse_sources_inside(source: str | Path, target: str | Path, label: str) -> None:
    """Refuse when a class folder or an image of `source` is (a link to) a place in `target`.

    Replacing `target` would then delete the dataset's own images: a class folder linked into
    an earlier split, or the images of a run's work folder used as data.

    Parameters
    ----------
    source : str or pathlib.Path
        A class-per-folder dataset.
    target : str or pathlib.Path
        The output about to be replaced.
    label : str
        How the user named the output, for the message.

    Raises
    ------
    helpers.Protected
        Naming the first such class folder or image.

    Examples
    --------
    >>> (tmp_path / "out" / "cats").mkdir(parents=True)
    >>> (tmp_path / "data").mkdir()
    >>> (tmp_path / "data" / "cats").symlink_to(tmp_path / "out" / "cats")
    >>> refuse_sources_inside(tmp_path / "data", tmp_path / "out", "DST")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.Protected: DST '...out' holds '...cats', which the dataset '...data' uses ...
    """
    from helpers import paths

    source, target = Path(source), paths.resolve(target, label)
    for folder in sorted(source.iterdir()) if source.is_dir() else []:
        entries = [folder]
        if folder.is_dir():
            entries += [p for p in folder.iterdir() if p.is_symlink()]
        for entry in entries:
            if not entry.is_symlink():
                continue
            try:
                real = entry.resolve()
            except (OSError, RuntimeError):
                continue
            if real == target or target in real.parents:
                raise Protected(
                    f"{label} '{target}' holds '{real}', which the dataset '{source}' uses "
                    f"(through the link '{entry}'): replacing it would delete the dataset's "
                    "images. Copy them into the dataset, or choose another output."
                )


def refuse_in_work_folder(path: str | Path, label: str) -> None:
    """Refuse a command's output inside a lessons' work folder, which the lessons clear.

    The lessons delete and rewrite sub-folders of their ``WORK_DIR`` (lesson 03 starts its
    raw split afresh each time): a command's output put there would be lost. The lessons'
    own writes (`helpers.split.ensure_split`) are not commands and are not refused.

    Parameters
    ----------
    path : str or pathlib.Path
        The command's output.
    label : str
        How the user named it, for the message.

    Raises
    ------
    helpers.Protected
        If a folder around `path` is a lessons' work folder (`work_folder`).

    Examples
    --------
    >>> work = work_folder(tmp_path / "work", "WORK_DIR")
    >>> refuse_in_work_folder(work / "my split", "DST")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.Protected: DST '...my split' is inside the lessons' work folder '...work' ...
    """
    from helpers import paths

    path = paths.resolve(path, label)
    for folder in path.parents:
        default = folder == paths.BUILD_DIR / "workshop"  # the lessons' default WORK_DIR
        if default or (_read_marker(folder) or {}).get("made_by") == WORK_FOLDER:
            raise Protected(
                f"{label} '{path}' is inside the lessons' work folder '{folder}' (a WORK_DIR), "
                "whose sub-folders the lessons delete and rewrite. Choose a folder outside it."
            )


def check_file(
    path: str | Path,
    label: str,
    *,
    made_by: str,
    protect: Mapping[str, str | Path | None] | None = None,
) -> Path:
    """Check, without writing, that `replace_file` would write `path`.

    Parameters
    ----------
    path, label, made_by, protect
        As for `replace_file`.

    Returns
    -------
    pathlib.Path
        `path`, absolute and resolved.

    Raises
    ------
    helpers.Protected, helpers.NotOurs, helpers.NotAFolder
        As `replace_file` would; `helpers.Protected` also for a folder this process cannot
        write to.

    Examples
    --------
    >>> check_file(tmp_path / "new.json", "--json", made_by="a doctest") == tmp_path / "new.json"
    True
    """
    path = refuse_protected(path, label, extra=protect)
    above = next((p for p in path.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise NotAFolder(f"{label} '{path}': '{above}' is a file, not a folder. Check the path.")
    if path.is_dir():
        raise NotOurs(f"{label} '{path}' is a folder. Give a file name.")
    if path.exists() and sealed_by(path) != made_by:
        raise NotOurs(
            f"{label} '{path}' exists and is not an unchanged output of `{made_by}`, so it "
            "is never replaced. Choose another file name, or move that file away."
        )
    if above is not None and not os.access(above, os.W_OK | os.X_OK):
        raise Protected(  # said now, not after the minutes of work whose result it would hold
            f"{label} '{path}': '{above}' cannot be written to (read-only, or not yours). "
            "Choose a folder you can write to, e.g. in your home folder."
        )
    return path


def replace_file(
    path: str | Path,
    data: bytes,
    label: str,
    *,
    made_by: str,
    protect: Mapping[str, str | Path | None] | None = None,
) -> Path:
    """Write one sealed output file atomically; replace only an unchanged one of the same command.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write: ``.json`` or ``.png`` (`seal`).
    data : bytes
        Its content, before sealing.
    label : str
        How the user named it (``"--json"``), for messages.
    made_by : str
        The command writing it: an existing file is replaced only if this command wrote it
        and nobody changed it since (`sealed_by`).
    protect : mapping, optional
        As `extra` of `refuse_protected`.

    Returns
    -------
    pathlib.Path
        The file written, absolute.

    Raises
    ------
    helpers.Protected, helpers.NotOurs, helpers.NotAFolder
        If `path` is in a protected folder; exists and is not such an output (or is a
        folder, or a link); or a folder on its way is a file.

    Examples
    --------
    >>> saved = replace_file(tmp_path / "r.json", b'{"a": 1}', "The output", made_by="me")
    >>> json.loads(saved.read_text())["a"]
    1
    >>> _ = (tmp_path / "essay.json").write_text('{"mine": true}')
    >>> replace_file(tmp_path / "essay.json", b"{}", "The output", made_by="me")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.NotOurs: The output '...essay.json' exists and is not an unchanged output of `me`...
    """
    path = check_file(path, label, made_by=made_by, protect=protect)
    sealed = seal(data, path.suffix.lower(), made_by)
    with made_parents(path.parent):
        return write_atomically(path, sealed)


@contextmanager
def made_parents(folder: str | Path) -> Iterator[Path]:
    """Make `folder` and any missing folders above it; if the block fails, remove those again.

    A command that stops (a full disk, Ctrl-C, a refusal) leaves no empty folders the user
    did not have: only those it made, and only while they are still empty.

    Examples
    --------
    >>> try:
    ...     with made_parents(tmp_path / "new" / "deeper"):
    ...         raise OSError("disk full")
    ... except OSError:
    ...     pass
    >>> (tmp_path / "new").exists()
    False
    """
    folder = Path(folder)
    missing = [p for p in (folder, *folder.parents) if not p.exists() and not p.is_symlink()]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    except BaseException:
        for made in missing:  # the deepest first
            with contextlib.suppress(OSError):
                made.rmdir()
        raise


def write_atomically(path: str | Path, data: bytes | str) -> Path:
    """Write a file in one step: a full new file, or (on a full disk, Ctrl-C) the old one.

    The data goes into a hidden temporary file beside `path`, which then replaces `path`
    (a link there is replaced, never written through). For files inside an output folder
    the caller has claimed (`replace_folder`, `in_place`); for any other file use
    `replace_file`.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    data : bytes or str
        Its content; text is written as UTF-8.

    Returns
    -------
    pathlib.Path
        `path`.

    Examples
    --------
    >>> write_atomically(tmp_path / "index.html", "<p>done</p>").read_text()
    '<p>done</p>'
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    try:
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
