import json
import os
import random
import sys

import psutil
import pytest
import support

from helpers import files, outputs, paths, split


def test_every_image_lands_in_exactly_one_split(make_dataset, tmp_path):
    src = make_dataset({"Kirmizi": 10, "Siirt": 7})
    counts = split.split_dataset(src, tmp_path / "out", (0.7, 0.3), seed=42)
    assert counts == {"train": {"Kirmizi": 7, "Siirt": 4}, "val": {"Kirmizi": 3, "Siirt": 3}}
    found = sorted(p.name for p in (tmp_path / "out").rglob("*.jpg"))
    assert found == sorted(p.name for p in src.rglob("*.jpg"))


def test_source_is_never_changed(make_dataset, tmp_path):
    src = make_dataset({"a": 5, "b": 5})
    before = support.fingerprint(src)
    split.split_dataset(src, tmp_path / "out")
    split.split_dataset(src, tmp_path / "out", overwrite=True)
    assert support.fingerprint(src) == before


def test_output_files_are_copies_not_links(make_dataset, tmp_path):
    src = make_dataset({"a": 3, "b": 3})
    split.split_dataset(src, tmp_path / "out")
    outputs = [p for p in (tmp_path / "out").rglob("*.jpg")]
    assert outputs and not any(p.is_symlink() for p in outputs)


def test_same_seed_same_split_other_seed_other_split(make_dataset, tmp_path):
    src = make_dataset({"a": 20, "b": 20})
    split.split_dataset(src, tmp_path / "one", seed=1)
    split.split_dataset(src, tmp_path / "two", seed=1)
    split.split_dataset(src, tmp_path / "three", seed=2)

    def val(name):
        return sorted(p.name for p in (tmp_path / name / "val").rglob("*.jpg"))

    assert val("one") == val("two") != val("three")


def test_three_way_split(make_dataset, tmp_path):
    src = make_dataset({"a": 10, "b": 10})
    counts = split.split_dataset(src, tmp_path / "out", (0.8, 0.1, 0.1))
    assert list(counts) == ["train", "val", "test"]
    assert sum(sum(c.values()) for c in counts.values()) == 20


def test_hidden_folders_and_non_images_are_left_out(make_dataset, tmp_path):
    src = make_dataset({"a": 4, "b": 4})
    (src / ".ipynb_checkpoints").mkdir()
    (src / "__MACOSX" / "a").mkdir(parents=True)
    (src / "__MACOSX" / "a" / "._a (1).jpg").write_bytes(b"junk")
    (src / "a" / "notes.txt").write_text("not an image")
    with pytest.warns(
        UserWarning, match=r"Left out.*\['.ipynb_checkpoints', '__MACOSX'\].*a/notes.txt"
    ):
        split.split_dataset(src, tmp_path / "out")
    for subset in ("train", "val"):
        assert files.list_classes(tmp_path / "out" / subset) == ["a", "b"]
    assert not list((tmp_path / "out").rglob("*.txt"))


def test_refuses_non_empty_destination(make_dataset, tmp_path):
    src = make_dataset({"a": 4, "b": 4})
    dst = tmp_path / "out"
    split.split_dataset(src, dst, seed=1)
    before = support.fingerprint(dst)
    with pytest.raises(FileExistsError, match="same image in train and val"):
        split.split_dataset(src, dst, seed=2)
    assert support.fingerprint(dst) == before


def test_overwrite_replaces_rather_than_merges(make_dataset, tmp_path):
    src = make_dataset({"a": 10, "b": 10})
    dst = tmp_path / "out"
    first = split.split_dataset(src, dst, seed=1)
    (src / "a" / "a (1).jpg").unlink()  # the source changed: the old split has an image too many
    second = split.split_dataset(src, dst, seed=2, overwrite=True)
    assert sum(first["train"].values()) + sum(first["val"].values()) == 20
    assert sum(second["train"].values()) + sum(second["val"].values()) == 19
    split.verify_split(src, dst, (0.7, 0.3))  # nothing of the first split is left
    assert json.loads((dst / split.MANIFEST).read_text(encoding="utf-8"))["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "out"]  # no temp leftovers


def test_overwrite_keeps_a_photo_added_to_an_earlier_split(make_dataset, tmp_path):
    """A labelled photo dropped into val/b/ of an earlier split is the user's: never deleted."""
    src = make_dataset({"a": 5, "b": 5})
    dst = tmp_path / "out"
    split.split_dataset(src, dst)
    added = dst / "val" / "b" / "labelled by hand.jpg"
    added.write_bytes((src / "b" / "b (1).jpg").read_bytes())
    edited = next((dst / "train" / "a").iterdir())
    before = support.fingerprint(dst)
    with pytest.raises(FileExistsError, match="labelled by hand.jpg"):
        split.split_dataset(src, dst, seed=7, overwrite=True)
    edited.write_bytes(b"my edit")  # a file the split wrote, changed since: blocks it too
    with pytest.raises(FileExistsError, match=edited.name.replace("(", r"\(").replace(")", r"\)")):
        added.unlink()
        split.split_dataset(src, dst, seed=7, overwrite=True)
    assert edited.read_bytes() == b"my edit"
    assert support.fingerprint(dst).keys() == before.keys() - {"val/b/labelled by hand.jpg"}


def test_caller_random_state_untouched(make_dataset, tmp_path):
    src = make_dataset({"a": 3, "b": 3})
    random.seed(123)
    expected = random.random()
    random.seed(123)
    split.split_dataset(src, tmp_path / "out", seed=42)
    assert random.random() == expected


def test_tiny_class_warns_and_still_has_folder(make_dataset, tmp_path):
    src = make_dataset({"big": 10, "tiny": 1})
    # split-folders rounds the train share down: int(0.7 * 1) == 0, so the one image goes to val
    with pytest.warns(UserWarning, match="'tiny' got 0 images in 'train'"):
        counts = split.split_dataset(src, tmp_path / "out")
    assert counts["train"]["tiny"] == 0 and counts["val"]["tiny"] == 1
    assert (tmp_path / "out" / "train" / "tiny").is_dir()


@pytest.mark.parametrize("ratio", [(0.7, 0.2), (1.0,), (0.5, 0.5, 0.0), (0.25,) * 4])
def test_bad_ratio(make_dataset, tmp_path, ratio):
    src = make_dataset({"a": 3, "b": 3})
    with pytest.raises(ValueError, match="Incorrect value for `ratio`"):
        split.split_dataset(src, tmp_path / "out", ratio)
    assert not (tmp_path / "out").exists()


def test_one_level_too_high_is_refused(make_dataset, tmp_path):
    make_dataset({"a": 3, "b": 3}, root=tmp_path / "download" / "dataset")
    with pytest.raises(ValueError, match="1 class folder"):
        split.split_dataset(tmp_path / "download", tmp_path / "out")


def test_output_inside_source_is_refused(make_dataset):
    src = make_dataset({"a": 3, "b": 3})
    with pytest.raises(ValueError, match="outside the source"):
        split.split_dataset(src, src / "split")


def test_verify_detects_a_leak(make_dataset, tmp_path):
    src = make_dataset({"a": 10, "b": 10})
    dst = tmp_path / "out"
    split.split_dataset(src, dst)
    leaked = next((dst / "val" / "a").iterdir())
    (dst / "train" / "a" / leaked.name).write_bytes(leaked.read_bytes())
    with pytest.raises(ValueError, match="leaks"):
        split.verify_split(src, dst, (0.7, 0.3))


def test_ensure_split_reuses_then_redoes_when_source_changes(make_dataset, tmp_path):
    src = make_dataset({"a": 5, "b": 5})
    dst = tmp_path / "out"
    split.ensure_split(src, dst)
    marker = json.loads((dst / split.MANIFEST).read_text(encoding="utf-8"))
    stamp = (dst / split.MANIFEST).stat().st_mtime_ns
    assert split.ensure_split(src, dst) == marker["counts"]
    assert (dst / split.MANIFEST).stat().st_mtime_ns == stamp  # reused, not rebuilt
    make_dataset({"a": 8, "b": 5})
    counts = split.ensure_split(src, dst)
    assert sum(counts["train"].values()) + sum(counts["val"].values()) == 13


def test_ensure_split_will_not_overwrite_a_foreign_folder(make_dataset, tmp_path):
    src = make_dataset({"a": 3, "b": 3})
    dst = tmp_path / "mine"
    dst.mkdir()
    (dst / "thesis.docx").write_text("precious")
    with pytest.raises(FileExistsError):
        split.ensure_split(src, dst)
    assert (dst / "thesis.docx").read_text(encoding="utf-8") == "precious"


def test_overwrite_refuses_a_folder_that_is_not_a_split(make_dataset, tmp_path):
    src = make_dataset({"a": 3, "b": 3})
    dst = tmp_path / "mine"
    (dst / "photos").mkdir(parents=True)
    (dst / "thesis.docx").write_text("precious")
    before = support.fingerprint(dst)
    with pytest.raises(FileExistsError, match=r"no \.helpers-output\.json marker"):
        split.split_dataset(src, dst, overwrite=True)
    assert support.fingerprint(dst) == before and (dst / "photos").is_dir()


@pytest.mark.parametrize("extra", ["notes.txt", "train/notes.txt", "val/a/sub/x.jpg", "extra/"])
def test_overwrite_refuses_a_split_holding_other_things(make_dataset, tmp_path, extra):
    src = make_dataset({"a": 5, "b": 5})
    dst = tmp_path / "out"
    split.split_dataset(src, dst)
    added = dst / extra
    if extra.endswith("/"):
        added.mkdir()
    else:
        added.parent.mkdir(parents=True, exist_ok=True)
        added.write_text("mine")
    with pytest.raises(FileExistsError, match="which the workshop did not write"):
        split.split_dataset(src, dst, seed=7, overwrite=True)
    assert added.exists()


def test_overwrite_accepts_a_split_a_file_browser_looked_at(make_dataset, tmp_path):
    src = make_dataset({"a": 5, "b": 5})
    dst = tmp_path / "out"
    split.split_dataset(src, dst)
    (dst / "train" / ".DS_Store").write_bytes(b"finder")
    split.split_dataset(src, dst, seed=7, overwrite=True)
    assert json.loads((dst / split.MANIFEST).read_text(encoding="utf-8"))["seed"] == 7


def test_destination_that_is_a_file(make_dataset, tmp_path):
    src = make_dataset({"a": 3, "b": 3})
    (tmp_path / "out").write_text("a file")
    with pytest.raises(NotADirectoryError, match="is a file"):
        split.split_dataset(src, tmp_path / "out", overwrite=True)
    assert (tmp_path / "out").read_text(encoding="utf-8") == "a file"


@pytest.mark.parametrize("where", ["notebooks", "helpers", "data"])
def test_destination_inside_the_repository_is_refused(make_dataset, where):
    src = make_dataset({"a": 3, "b": 3})
    dst = paths.REPO_ROOT / where / "split-test-output"
    with pytest.raises(ValueError, match="never written to"):
        split.split_dataset(src, dst)
    assert not dst.exists()


def test_stale_staging_of_a_killed_split_is_removed_and_nothing_else(make_dataset, tmp_path):
    src = make_dataset({"a": 3, "b": 3})
    dead = tmp_path / ".out-0123456789ab"
    (dead / "output").mkdir(parents=True)
    (dead / outputs.STAGING_MARKER).write_text('{"pid": 999999999, "started": 0}')
    alive = tmp_path / ".out-00000000000a"  # this very process: alive, so never removed
    alive.mkdir()
    marker = {"pid": os.getpid(), "started": psutil.Process().create_time()}
    (alive / outputs.STAGING_MARKER).write_text(json.dumps(marker))
    foreign = tmp_path / ".out-mine"  # no marker: not provably ours
    foreign.mkdir()
    split.split_dataset(src, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".out-00000000000a",
        ".out-mine",
        "dataset",
        "out",
    ]


@pytest.mark.parametrize(
    "ratio", [(float("nan"), 0.5), (float("inf"), -float("inf")), (0.5, float("nan"))]
)
def test_ratio_that_is_not_a_number(make_dataset, tmp_path, ratio):
    src = make_dataset({"a": 3, "b": 3})
    with pytest.raises(ValueError, match="Incorrect value for `ratio`"):
        split.split_dataset(src, tmp_path / "out", ratio)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


def test_no_progress_bar_but_other_messages_pass(make_dataset, tmp_path, capsys, monkeypatch):
    src = make_dataset({"a": 6, "b": 6})
    split.split_dataset(src, tmp_path / "quiet")
    assert capsys.readouterr().err == ""  # split-folders' "Copying files" bar is not shown

    original = split.splitfolders.ratio

    def ratio_that_also_warns(*args, **kwargs):
        print("Copying files: 3 files [00:00]\rCopying files: 12 files", file=sys.stderr)
        print("something split-folders wants you to know", file=sys.stderr)
        return original(*args, **kwargs)

    monkeypatch.setattr(split.splitfolders, "ratio", ratio_that_also_warns)
    split.split_dataset(src, tmp_path / "loud")
    assert capsys.readouterr().err == "something split-folders wants you to know\n"
