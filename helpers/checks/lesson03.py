"""Self-checks of lesson 03, Directory split (see `helpers.checks`)."""

from __future__ import annotations

import contextlib
import copy
import io
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from helpers.checks import answered, call, check, must_be_function, passed, require

__all__ = ["exercise_3_1", "exercise_3_2", "exercise_3_3"]


def _tiny_png() -> bytes:
    """The bytes of a 2×3 PNG image."""
    import cv2
    import numpy as np

    ok, encoded = cv2.imencode(".png", np.full((2, 3, 3), 128, np.uint8))
    require(ok, "the check could not make its own image: report it.")
    return encoded.tobytes()


def _make_files(root: Path, layout: Mapping[str, Mapping[str, Sequence[str]]]) -> None:
    """Write ``layout`` ({split: {class: [file names]}}) under `root` as tiny PNG files."""
    data = _tiny_png()
    for subset, classes in layout.items():
        for name, file_names in classes.items():
            (root / subset / name).mkdir(parents=True, exist_ok=True)
            for file_name in file_names:
                (root / subset / name / file_name).write_bytes(data)


#: Exercise 3.1's split with a leak: three classes, one leaked file in each, endings in
#: several cases, and a file name in two classes ("shared.jpg"), which is not a leak.
_LEAKY = {
    "train": {
        "almond": ["a1.jpg", "a2.jpg", "shared.jpg", "a4.png"],
        "cashew": ["b1.jpg", "b2.JPG", "b3.jpeg"],
        "walnut": ["c1.png", "c2.png", "c3.png"],
    },
    "val": {
        "almond": ["a1.jpg", "a5.jpg"],
        "cashew": ["shared.jpg", "b2.JPG"],
        "walnut": ["c3.png", "c9.png"],
    },
}
#: The same classes without a leak, though some file names are in two classes.
_CLEAN = {
    "train": {
        "almond": ["x.jpg", "y.jpg"],
        "cashew": ["z.png", "w.png"],
        "walnut": ["v.jpg", "shared.jpg"],
    },
    "val": {"almond": ["shared.jpg"], "cashew": ["x.jpg"], "walnut": ["u.jpg"]},
}


def _in_both(layout: Mapping[str, Mapping[str, Sequence[str]]]) -> set[tuple[str, str]]:
    pairs = {}
    for subset in ("train", "val"):
        pairs[subset] = {(c, f) for c, names in layout[subset].items() for f in names}
    return pairs["train"] & pairs["val"]


@check
def exercise_3_1(leaked: Callable) -> None:
    """Exercise 3.1: ``leaked(split_dir)``, the (class, file) pairs in both train and val.

    The check makes two splits of its own in a temporary folder, three classes each: one
    with a leak in every class, one without (where some file names are in two classes).

    Examples
    --------
    >>> def leaked(split_dir):
    ...     def pairs(subset):
    ...         return {(p.parent.name, p.name) for p in (split_dir / subset).glob("*/*")}
    ...     return pairs("train") & pairs("val")
    >>> exercise_3_1(leaked)
    Exercise 3.1: passed
    >>> exercise_3_1(lambda split_dir: set())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: in a split of the check's own ...
    """
    answered(leaked=leaked)
    must_be_function(leaked, "leaked(split_dir)")
    with tempfile.TemporaryDirectory(prefix="exercise_3_1_") as folder:
        for label, layout in (("with a leak", _LEAKY), ("without a leak", _CLEAN)):
            split_dir = Path(folder) / label.replace(" ", "_")
            _make_files(split_dir, layout)
            found = call(leaked, split_dir, name="leaked")
            require(
                isinstance(found, set | frozenset),
                f"leaked should return a set (for example set_a & set_b), not "
                f"{type(found).__name__}.",
            )
            odd = [pair for pair in found if not (isinstance(pair, tuple) and len(pair) == 2)]
            require(
                not odd,
                "each item of the set should be a pair (class name, file name), such as "
                f"('almond', 'a1.jpg'), not {odd[0]!r}: path.parent.name and path.name."
                if odd
                else "",
            )
            right = _in_both(layout)
            require(
                found == right,
                f"in a split of the check's own {label} (three classes, {len(right)} "
                f"file(s) in both train and val), leaked found {len(found)}: "
                f"{sorted(found)[:4]}. Compare the (class name, file name) pairs of every "
                "file in train with those in val: the same file name in two different "
                "classes is not a leak, and files end in .jpg, .JPG, .jpeg or .png.",
            )
    passed("3.1")


def _totals(split_counts: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for per_class in split_counts.values():
        for name, count in per_class.items():
            totals[name] = totals.get(name, 0) + count
    return totals


#: {split: {class: count}} with three splits, three or four classes, classes missing from a
#: split, a class in one split only, a class empty in one split, and empty splits.
_SPLIT_COUNTS = [
    {"train": {"a": 3, "b": 1}, "val": {"a": 1, "b": 2}, "test": {"a": 0, "b": 1}},
    {
        "train": {"cat": 7, "dog": 5, "bird": 3},
        "val": {"cat": 3, "dog": 2, "bird": 1},
        "test": {"cat": 1, "bird": 2},
    },
    {"train": {"x": 4, "y": 2}, "val": {"x": 1, "z": 1}, "test": {"y": 1, "z": 2, "w": 2}},
    {"train": {}, "val": {"only": 2}},
    {"train": {"solo": 9}},
    {},
]


@check
def exercise_3_2(
    class_totals: Callable, totals_after: Any, counts_after: Mapping[str, Mapping[str, int]]
) -> None:
    """Exercise 3.2: ``class_totals(split_counts)``, and ``totals_after`` for the lesson's split.

    The check tries `class_totals` on counts of its own (three splits, three or more
    classes, classes missing from some splits), then compares `totals_after` with the
    totals of `counts_after`.

    Examples
    --------
    >>> def class_totals(split_counts):
    ...     totals = {}
    ...     for per_class in split_counts.values():
    ...         for name, count in per_class.items():
    ...             totals[name] = totals.get(name, 0) + count
    ...     return totals
    >>> counts = {"train": {"a": 2, "b": 1}, "val": {"a": 1, "b": 1}}
    >>> exercise_3_2(class_totals, {"a": 3, "b": 2}, counts)
    Exercise 3.2: passed
    """
    answered(class_totals=class_totals, totals_after=totals_after)
    must_be_function(class_totals, "class_totals(split_counts)")
    for split_counts in _SPLIT_COUNTS:
        given = copy.deepcopy(split_counts)
        totals = call(class_totals, given, name="class_totals")
        require(
            given == split_counts,
            f"class_totals changed the dictionary it was given ({split_counts} became "
            f"{given}). Start from a new, empty dictionary: totals = {{}}.",
        )
        require(
            isinstance(totals, dict),
            f"class_totals should return a dictionary {{class: total}}, not "
            f"{type(totals).__name__}. Did you forget `return`?",
        )
        require(
            totals == _totals(split_counts),
            f"for {split_counts}, class_totals gave {totals}. Add up each class's numbers "
            "over every split (however many there are), one total per class; a class "
            "may be missing from some splits.",
        )
    require(
        isinstance(totals_after, dict) and totals_after == _totals(counts_after),
        "store class_totals(counts_after) in totals_after.",
    )
    passed("3.2")


def _pairs(split_dir: Path) -> dict[str, set[tuple[str, str]]]:
    """{split: {(class, file)}} of the folders under `split_dir`."""
    found = {}
    for subset in sorted(split_dir.iterdir()):
        if subset.is_dir():
            found[subset.name] = {
                (p.parent.name, p.name) for p in subset.glob("*/*") if p.is_file()
            }
    return found


def _reference_split(source: Path, output: Path, seed: int, ratio: Sequence[float]) -> dict:
    """What one call of ``splitfolders.ratio`` with `seed` gives (its progress bar hidden)."""
    import splitfolders

    with contextlib.redirect_stderr(io.StringIO()):
        splitfolders.ratio(str(source), output=str(output), seed=seed, ratio=tuple(ratio))
    return _pairs(output)


@check
def exercise_3_3(fresh_split: Callable, ratio: Sequence[float]) -> None:
    """Exercise 3.3: ``fresh_split(source, output, seed)``, a fresh split at every call.

    The check makes a small dataset of its own (three classes) in a temporary folder, calls
    `fresh_split` twice into one output folder, with two seeds, and compares the result with
    a split made once with the second seed.

    Parameters
    ----------
    fresh_split : callable
        The learner's function.
    ratio : sequence of float
        The lesson's ``RATIO``, which `fresh_split` uses.

    Examples
    --------
    >>> import shutil, splitfolders
    >>> def fresh_split(source, output, seed):
    ...     shutil.rmtree(output, ignore_errors=True)
    ...     splitfolders.ratio(str(source), output=str(output), seed=seed, ratio=(0.7, 0.3))
    >>> exercise_3_3(fresh_split, (0.7, 0.3))
    Exercise 3.3: passed
    """
    answered(fresh_split=fresh_split)
    must_be_function(fresh_split, "fresh_split(source, output, seed)")
    with tempfile.TemporaryDirectory(prefix="exercise_3_3_") as folder:
        source, output = Path(folder) / "source", Path(folder) / "fresh_split_check"
        _make_files(
            source,
            {
                "dataset": {
                    "almond": [f"almond_{i}.png" for i in range(9)],
                    "cashew": [f"cashew_{i}.png" for i in range(7)],
                    "walnut": [f"walnut_{i}.png" for i in range(10)],
                }
            },
        )
        source = source / "dataset"
        everything = {(p.parent.name, p.name) for p in source.glob("*/*")}
        for seed in (1, 2):
            try:
                fresh_split(source, output, seed)
            except FileNotFoundError as error:
                require(
                    False,
                    f"fresh_split(..., seed={seed}) stopped with FileNotFoundError: {error}. "
                    "The first time, the output folder does not exist yet: "
                    "shutil.rmtree(output, ignore_errors=True) empties it only if it is there.",
                )
            except Exception as error:
                require(
                    False,
                    f"fresh_split(..., seed={seed}) stopped with {type(error).__name__}: {error}",
                )
        require(
            {(p.parent.name, p.name) for p in source.glob("*/*")} == everything,
            "fresh_split changed the source folder: empty the output folder, never the source.",
        )
        require(
            output.is_dir() and {"train", "val"} <= {p.name for p in output.iterdir()},
            f"after two calls there is no train and val folder in the output folder "
            f"'{output.name}': split into `output` itself.",
        )
        found = _pairs(output)
        seen: dict[tuple[str, str], str] = {}
        for subset, pairs in found.items():
            for pair in pairs:
                require(
                    pair not in seen,
                    f"after two calls, files such as {pair[0]}/{pair[1]} are in both "
                    f"{seen.get(pair)} and {subset}. split-folders adds files to an existing "
                    "folder and never removes old ones: empty it first.",
                )
                seen[pair] = subset
        require(
            set(seen) == everything,
            f"after two calls the split holds {len(seen)} files, the source "
            f"{len(everything)}: every file should be in the split exactly once.",
        )
        reference = _reference_split(source, Path(folder) / "reference", 2, ratio)
        require(
            found == reference,
            "after the second call (seed 2) the split is not the one seed 2 gives: the "
            "second call should make a new split with its own seed, not keep the old one.",
        )
    passed("3.3")
