"""Splitting a class-per-folder dataset into train/validation(/test) (lesson 03).

`split_dataset` wraps ``splitfolders.ratio`` and removes its traps (the
"What can go wrong" section of lesson 03 shows them): hidden folders and non-image files are
left out, an existing output is never merged into, the source is never moved,
the caller's ``random`` state is left alone, and afterwards every source image
is checked to be in exactly one split. The output is written as every output of the
workshop is (`helpers.outputs`): never into the lessons, code or data, never replacing
anything the workshop did not write.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import random
import shutil
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import splitfolders

from helpers import BadInput, NotEmpty, WorkshopWarning, files, outputs, paths

__all__ = ["MANIFEST", "ensure_split", "split_dataset", "split_names", "verify_split"]

#: File written into each split folder recording how it was made.
MANIFEST = ".split.json"
#: Who wrote a split, in its `helpers.outputs` marker: only a split replaces a split.
MADE_BY = "helpers.split.split_dataset"


def split_names(ratio: Sequence[float]) -> tuple[str, ...]:
    """Sub-folder names split-folders uses for a 2- or 3-part ratio.

    Parameters
    ----------
    ratio : sequence of float
        Fractions that sum to 1.

    Returns
    -------
    tuple of str
        ``("train", "val")`` or ``("train", "val", "test")``.

    Raises
    ------
    ValueError
        If the ratio has not 2 or 3 positive parts summing to 1.

    Examples
    --------
    >>> split_names((0.7, 0.3))
    ('train', 'val')
    """
    if (
        len(ratio) not in (2, 3)
        or not all(math.isfinite(r) and r > 0 for r in ratio)
        or not abs(sum(ratio) - 1) <= 1e-6
    ):
        raise BadInput(
            f"Incorrect value for `ratio`: {tuple(ratio)}; expected 2 or 3 positive "
            "fractions that sum to 1, e.g. (0.7, 0.3) or (0.8, 0.1, 0.1)."
        )
    return ("train", "val", "test")[: len(ratio)]


def _left_out(src: Path) -> str | None:
    """Describe what a split of `src` leaves out (hidden folders, non-image files), if anything."""
    hidden = files.hidden_folders(src)
    others = sorted(
        p.relative_to(src).as_posix()
        for name in files.list_classes(src)
        for p in (src / name).iterdir()
        if not (p.is_file() and files.is_image_file(p))
    )
    parts = []
    if hidden:
        parts.append(f"hidden/system folder(s) {hidden}")
    if others:
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        parts.append(f"{len(others)} non-image item(s) in class folders ({others[:3]}{more})")
    return f"Left out of the split of '{src}': " + "; ".join(parts) + "." if parts else None


def _source_images(src: Path) -> dict[str, list[str]]:
    try:
        classes = files.require_classes(src)
        return {name: [p.name for p in files.list_images(src / name)] for name in classes}
    except PermissionError as err:
        raise PermissionError(
            f"Cannot read '{err.filename or src}' ({err.strerror or err}). Make it readable "
            "(chmod -R u+rX), or move it out of the dataset."
        ) from err


def _stage(src: Path, staging: Path, sources: dict[str, list[str]]) -> None:
    """Mirror only the visible class folders and image files, as links where possible."""
    for name, images in sources.items():
        (staging / name).mkdir(parents=True)
        for image in images:
            try:
                (staging / name / image).symlink_to(src / name / image)
            except OSError:  # e.g. Windows without symlink rights
                shutil.copy2(src / name / image, staging / name / image)


def verify_split(
    src: str | Path, dst: str | Path, ratio: Sequence[float]
) -> dict[str, dict[str, int]]:
    """Check that every image of `src` is in exactly one split of `dst`, and nothing else is.

    Parameters
    ----------
    src : str or pathlib.Path
        The class-per-folder source.
    dst : str or pathlib.Path
        A folder with ``train/``, ``val/`` (and ``test/``) sub-folders.
    ratio : sequence of float
        The ratio used, to know which splits to expect.

    Returns
    -------
    dict
        ``{split: {class: count}}``.

    Raises
    ------
    ValueError
        If an image is missing, duplicated across splits, or foreign to `src`.

    Examples
    --------
    See `split_dataset`, which calls this after every split.
    """
    src, dst = Path(src), Path(dst)
    sources = _source_images(src)
    counts: dict[str, dict[str, int]] = {}
    seen: dict[tuple[str, str], str] = {}
    for subset in split_names(ratio):
        counts[subset] = {}
        for name in sources:
            folder = dst / subset / name
            found = [p.name for p in files.list_images(folder)] if folder.is_dir() else []
            counts[subset][name] = len(found)
            for image in found:
                if (name, image) in seen:
                    raise BadInput(
                        f"'{name}/{image}' is in both '{seen[name, image]}' and '{subset}' under "
                        f"'{dst}': the split leaks. Delete '{dst}' and split again."
                    )
                seen[name, image] = subset
    expected = {(name, image) for name, images in sources.items() for image in images}
    missing, extra = expected - seen.keys(), seen.keys() - expected
    if missing or extra:
        example = "/".join(sorted(missing or extra)[0])
        raise BadInput(
            f"The split in '{dst}' does not match '{src}': {len(missing)} image(s) missing, "
            f"{len(extra)} not in the source (e.g. '{example}'). Split again with overwrite=True."
        )
    return counts


def _ratio_without_progress_bar(src: Path, dst: Path, seed: int, ratio: Sequence[float]) -> None:
    """``splitfolders.ratio``, minus its "Copying files" progress bar (lesson 03 shows it once).

    split-folders has no option for the bar it writes to stderr. Everything else it writes
    there (warnings) is passed on unchanged.
    """
    written = io.StringIO()
    with contextlib.redirect_stderr(written):
        splitfolders.ratio(str(src), str(dst), seed=seed, ratio=tuple(ratio))
    for line in written.getvalue().replace("\r", "\n").splitlines():
        if line.strip() and not line.startswith("Copying files"):
            print(line, file=sys.stderr)


def split_dataset(
    src: str | Path,
    dst: str | Path,
    ratio: Sequence[float] = (0.7, 0.3),
    seed: int = 42,
    *,
    overwrite: bool = False,
) -> dict[str, dict[str, int]]:
    """Copy a class-per-folder dataset into ``train``/``val`` (/``test``) folders safely.

    Parameters
    ----------
    src : str or pathlib.Path
        Class-per-folder source; never modified.
    dst : str or pathlib.Path
        Output folder. Must be missing or empty unless `overwrite`.
    ratio : sequence of float, optional
        2 or 3 fractions summing to 1, as for ``splitfolders.ratio``.
    seed : int, optional
        Seed of the shuffle; the same seed gives the same split.
    overwrite : bool, optional
        Replace an existing `dst`, but only if the workshop wrote everything in it
        (`helpers.outputs`: a file you added or changed there blocks it). The new split
        is built in a temporary folder first and swapped in only when complete.

    Returns
    -------
    dict
        ``{split: {class: count}}``.

    Raises
    ------
    helpers.BadInput
        (a ValueError) If the ratio is invalid, `src` has fewer than 2 classes, `dst` is
        inside `src` (or the reverse), or the result fails `verify_split`.
    helpers.Protected
        (a ValueError) If `dst` lies in the repository's ``notebooks/``, ``helpers/`` or
        ``data/``.
    helpers.NotEmpty
        (a FileExistsError) If `dst` is not empty and `overwrite` is False.
    helpers.NotOurs
        (a FileExistsError) If `dst` is a file, or holds anything the workshop did not write.

    Warns
    -----
    WorkshopWarning
        (a UserWarning) When hidden folders or non-image files were left out, and when a class
        gets no image in some split (too few images for the ratio).

    Notes
    -----
    Introduced in notebook 03 after the raw ``splitfolders.ratio`` call.
    Hidden folders (``.ipynb_checkpoints``, ``__MACOSX``) and non-image files are
    left out of the split. split-folders seeds Python's global ``random``; the
    caller's random state is restored afterwards.

    Examples
    --------
    >>> from helpers import paths
    >>> counts = split_dataset(paths.SAMPLE_DIR, tmp_path / "split")
    >>> sorted(counts)
    ['train', 'val']
    """
    names = split_names(ratio)
    src, dst = paths.resolve(src, "The split source"), paths.user_path(dst).absolute()
    resolved = paths.resolve(dst, "The split output")
    if src == resolved or src in resolved.parents or resolved in src.parents:
        raise BadInput(
            f"The split output '{dst}' must lie outside the source '{src}', and not around it."
        )
    sources = _source_images(src)
    outputs.refuse_sources_inside(src, dst, "The split output")
    state = random.getstate()
    try:
        with (
            outputs.replace_folder(
                dst,
                "The split output",
                made_by=MADE_BY,
                overwrite=overwrite,
                protect={"the source": src},
            ) as new,
            outputs.staging_folder(new.parent, ".input-") as workspace,
        ):
            _stage(src, workspace / "input", sources)
            _ratio_without_progress_bar(workspace / "input", workspace / "output", seed, ratio)
            for subset in names:  # split-folders leaves out empty class folders
                for name in sources:
                    (workspace / "output" / subset / name).mkdir(parents=True, exist_ok=True)
            counts = verify_split(src, workspace / "output", ratio)
            for subset in names:
                (workspace / "output" / subset).rename(new / subset)
            manifest = {"source": str(src), "ratio": list(ratio), "seed": seed, "counts": counts}
            (new / MANIFEST).write_text(json.dumps(manifest, indent=2))
    except NotEmpty as err:  # refused before any image is copied: say why for a split
        refusal = NotEmpty(
            f"'{dst}' already exists and is not empty. Splitting into it again would mix old "
            "and new files (the same image in train and val). Choose a new folder, or replace "
            "an earlier split with overwrite=True."
        )
        refusal.target = err.target
        raise refusal from None
    finally:
        random.setstate(state)
    left_out = _left_out(src)
    if left_out:
        warnings.warn(left_out, WorkshopWarning, stacklevel=2)
    for subset, per_class in counts.items():
        for name, n in per_class.items():
            if n == 0:
                total = sum(c[name] for c in counts.values())
                warnings.warn(
                    f"Class '{name}' got 0 images in '{subset}' ({total} images in all at "
                    f"ratio {tuple(ratio)}). Add images or change the ratio.",
                    WorkshopWarning,
                    stacklevel=2,
                )
    return counts


def ensure_split(
    src: str | Path, dst: str | Path, ratio: Sequence[float] = (0.7, 0.3), seed: int = 42
) -> dict[str, dict[str, int]]:
    """Reuse the split in `dst` if it was made from `src` with this ratio and seed, else make it.

    Parameters
    ----------
    src, dst, ratio, seed
        As for `split_dataset`.

    Returns
    -------
    dict
        ``{split: {class: count}}``.

    Raises
    ------
    FileExistsError
        If `dst` holds something that is not a split made by `split_dataset`.

    Notes
    -----
    Notebooks 04 and 05 call this so that each runs on its own.

    Examples
    --------
    >>> from helpers import paths
    >>> dst = tmp_path / "split"
    >>> ensure_split(paths.SAMPLE_DIR, dst) == ensure_split(paths.SAMPLE_DIR, dst)
    True
    """
    src, dst = paths.resolve(src, "The split source"), paths.resolve(dst, "The split output")
    manifest = dst / MANIFEST
    if manifest.is_file():
        made = json.loads(manifest.read_text())
        if (
            made.get("source") == str(src)
            and made.get("ratio") == list(ratio)
            and made.get("seed") == seed
        ):
            try:
                return verify_split(src, dst, ratio)
            except ValueError:
                pass  # the source changed since: split again below
        return split_dataset(src, dst, ratio, seed, overwrite=True)
    return split_dataset(src, dst, ratio, seed)
