"""Hostile and careless input (issue 12): every command answers in one line, never a traceback.

Each case runs ``python -m helpers …`` in a real subprocess, as a user would, and checks the
standard of the command line: exit code != 0, one ``Error:`` line naming the file or folder,
no ``Traceback``, nothing written outside the target and nothing deleted that the workshop
did not create.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import broken_archives
import pytest
import support

import helpers
from helpers import outputs, paths
from helpers.plumbing import runner

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


helpers_cli = support.helpers_cli
assert_one_line_error = support.assert_one_line_error


@pytest.fixture
def shared_tmp() -> Path:
    """A temporary folder every user can enter (pytest's own is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


@pytest.fixture
def unprivileged(shared_tmp) -> list[str]:
    """Command prefix that runs as a user whom permissions apply to (root ignores them)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv is missing: cannot make a folder unreadable")
    python = subprocess.run([*NOBODY, sys.executable, "-c", "pass"], capture_output=True)
    if python.returncode != 0:  # this Python lives where 'nobody' may not read: a machine matter
        pytest.skip(f"user 'nobody' cannot run {sys.executable}: {python.stderr[-200:]!r}")
    # Beyond that, the helpers must work for a user whose home is not theirs to write (a
    # crash here once made every test below skip instead of fail).
    probe = helpers_cli("--help", cwd=shared_tmp, prefix=NOBODY)
    assert probe.returncode == 0, f"helpers fail as user 'nobody': {probe.stderr[-500:]}"
    return NOBODY


# --- item 1: split --overwrite deletes whatever DST is ------------------------------------------


def test_split_overwrite_never_deletes_a_foreign_folder(make_dataset, tmp_path):
    src = make_dataset({"cats": 4, "dogs": 4})
    victim = tmp_path / "My Documents"
    (victim / "photos").mkdir(parents=True)
    (victim / "thesis.docx").write_text("four years of work")
    (victim / "photos" / "holiday.jpg").write_bytes(b"jpeg")
    before = support.fingerprint(victim)
    result = helpers_cli("split", str(src), str(victim), "--overwrite", cwd=tmp_path)
    assert_one_line_error(result, str(victim), outputs.MARKER)
    assert support.fingerprint(victim) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["My Documents", "dataset"]


def test_split_overwrite_keeps_a_split_that_someone_added_files_to(make_dataset, tmp_path):
    src = make_dataset({"cats": 4, "dogs": 4})
    dst = tmp_path / "split"
    assert helpers_cli("split", str(src), str(dst), cwd=tmp_path).returncode == 0
    (dst / "val" / "notes.txt").write_text("my notes")
    result = helpers_cli("split", str(src), str(dst), "--overwrite", cwd=tmp_path)
    assert_one_line_error(result, "notes.txt")
    assert (dst / "val" / "notes.txt").read_text(encoding="utf-8") == "my notes"


# --- item 2: run writes into notebooks/, DATA_DIR, data/ -----------------------------------------


@pytest.mark.parametrize(
    "args, named",
    [
        (["--out", "{nb}"], "lesson notebooks"),
        (["--out", "{nb}/sub"], "lesson notebooks"),
        (["--out", "{helpers}"], "helpers package"),
        (["--out", "{data}/x"], "data folder"),
        (["--out", "{repo}"], "holds the lesson notebooks"),
        (["--data-dir", "{ds}", "--out", "{ds}"], "DATA_DIR"),
        (["--data-dir", "{ds}", "--out", "{ds}/results"], "DATA_DIR"),
        (["--data-dir", "{ds}", "--out", "o", "-p", "WORK_DIR", "{ds}"], "DATA_DIR"),
        (["--data-dir", "{ds}", "--out", "o", "-p", "WORK_DIR", "{tmp}"], "holds DATA_DIR"),
        (["--data-dir", "{tmp}/work/ds", "--out", "{tmp}"], "holds DATA_DIR"),
        (["--out", "link to lessons/x"], "lesson notebooks"),
        (["--out", "o", "-p", "WORK_DIR", "link to lessons"], "is a link"),
        (["--out", "o", "-p", "WORK_DIR", "link to lessons/x"], "lesson notebooks"),
    ],
)
def test_run_refuses_outputs_in_lessons_code_or_data(make_dataset, tmp_path, args, named):
    ds = make_dataset({"cats": 3, "dogs": 3})
    make_dataset({"cats": 3, "dogs": 3}, root=tmp_path / "work" / "ds")
    (tmp_path / "link to lessons").symlink_to(paths.NOTEBOOKS_DIR)
    places = {
        "nb": paths.NOTEBOOKS_DIR,
        "helpers": paths.REPO_ROOT / "helpers",
        "data": paths.DATA_ROOT,
        "repo": paths.REPO_ROOT,
        "ds": ds,
        "tmp": tmp_path,
    }
    args = [a.format(**places) for a in args]
    watched = [paths.NOTEBOOKS_DIR, paths.DATA_ROOT, paths.REPO_ROOT / "helpers", tmp_path]
    before = [support.fingerprint(folder) for folder in watched]
    result = helpers_cli("run", *args, "--notebooks", "00", cwd=tmp_path)  # short if not refused
    assert_one_line_error(result, named)
    assert [support.fingerprint(folder) for folder in watched] == before
    assert not (tmp_path / "o").exists()


# --- item 3: data import has no size or ratio limit ----------------------------------------------


def test_import_refuses_a_zip_bomb_before_writing(tmp_path):
    bomb = tmp_path / "archive.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("a/zeros.jpg", "w", force_zip64=True) as member:
            for _ in range(200):
                member.write(bytes(1 << 20))  # 200 MB of zeros: about 200 KB packed
        archive.writestr("b/one.jpg", b"x")
    result = helpers_cli("data", "import", str(bomb), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert_one_line_error(result, "archive.zip", "zip bomb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.zip"]


def test_import_size_limit_says_how_to_raise_it(make_dataset, tmp_path):
    make_dataset({"cats": 8, "dogs": 8}, root=tmp_path / "src" / "pets")  # data check needs 8
    packed = shutil.make_archive(str(tmp_path / "pets"), "zip", tmp_path / "src")
    out = tmp_path / "out"
    result = helpers_cli(
        "data", "import", packed, "--out", str(out), "--max-size", "1KB", cwd=tmp_path
    )
    assert_one_line_error(result, "pets.zip", "--max-size")
    assert not out.exists()
    result = helpers_cli(
        "data", "import", packed, "--out", str(out), "--max-size", "5MB", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr


# --- items 5 and 8: unreadable sources, unwritable destinations ----------------------------------


def test_split_with_an_unreadable_class_folder(make_dataset, shared_tmp, unprivileged):
    src = make_dataset({"cats": 3, "dogs": 3}, root=shared_tmp / "ds")
    (src / "dogs").chmod(0)
    result = helpers_cli(
        "split", str(src), str(shared_tmp / "out"), cwd=shared_tmp, prefix=unprivileged
    )
    assert_one_line_error(result, str(src / "dogs"), "Permission denied")
    assert not (shared_tmp / "out").exists()


def test_run_with_an_unreadable_class_folder(make_dataset, shared_tmp, unprivileged):
    src = make_dataset({"cats": 3, "dogs": 3}, root=shared_tmp / "ds")
    (src / "dogs").chmod(0)
    out = shared_tmp / "out"
    result = helpers_cli(
        "run", "--data-dir", str(src), "--out", str(out), cwd=shared_tmp, prefix=unprivileged
    )
    assert_one_line_error(result, "dogs")
    assert not out.exists()


def test_split_into_a_read_only_folder(make_dataset, shared_tmp, unprivileged):
    src = make_dataset({"cats": 3, "dogs": 3}, root=shared_tmp / "ds")
    locked = shared_tmp / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    result = helpers_cli(
        "split", str(src), str(locked / "out"), cwd=shared_tmp, prefix=unprivileged
    )
    assert_one_line_error(result, str(locked / "out"), "Permission denied")


def test_a_mount_point_as_output_is_refused_before_any_work(make_dataset, tmp_path):
    """An empty USB stick's folder as DST: the final rename would fail after the whole copy
    (red team, issue 28). /proc is a mount point on every Linux."""
    if not os.path.ismount("/proc"):
        pytest.skip("no /proc mount point here")
    src = make_dataset({"cats": 8, "dogs": 8})
    for args in (["data", "prepare", str(src), "/proc"], ["split", str(src), "/proc"]):
        result = helpers_cli(*args, cwd=tmp_path)
        assert_one_line_error(result, "'/proc' is where a disk or a share is mounted")
    with pytest.raises(helpers.Protected, match="mount"):
        outputs.check_folder("/proc", "DST", made_by="t")


def test_bench_refuses_a_read_only_folder_before_measuring(shared_tmp, unprivileged):
    """The results file's folder is checked first, not after minutes of measuring (red team)."""
    locked = shared_tmp / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    result = helpers_cli(
        "bench", "--rounds", "1", "--images", "8", "--json", str(locked / "r.json"),
        cwd=shared_tmp, prefix=unprivileged,
    )  # fmt: skip
    assert_one_line_error(result, str(locked / "r.json"), "cannot be written to")
    assert "images/s" not in result.stdout, "refused before the benchmark, not after"


@pytest.mark.parametrize("command", ["run", "split", "import", "sample"])
def test_unwritable_destination_under_sys(make_dataset, tmp_path, command):
    if not Path("/sys/kernel").is_dir():
        pytest.skip("no /sys here")
    src = make_dataset({"cats": 3, "dogs": 3})
    packed = shutil.make_archive(str(tmp_path / "pets"), "zip", tmp_path, "dataset")
    target = "/sys/kernel/helpers-test"
    args = {
        "run": ["run", "--notebooks", "00", "--out", target],
        "split": ["split", str(src), target],
        "import": ["data", "import", packed, "--out", target],
        "sample": ["data", "sample", "--out", target, "--per-class", "1"],
    }[command]
    assert_one_line_error(helpers_cli(*args, cwd=tmp_path), target)


def test_disk_full_while_splitting(make_dataset, tmp_path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tiny tmpfs needs root")
    src = make_dataset({"cats": 30, "dogs": 30}, size=(200, 200))
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(tiny)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        result = helpers_cli("split", str(src), str(tiny / "out"), cwd=tmp_path)
        assert_one_line_error(result, str(tiny / "out"), "No space left")
        assert list(tiny.iterdir()) == []  # the half-written staging folder is gone
    finally:
        subprocess.run(["umount", str(tiny)])


# --- item 9: damaged archives ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(broken_archives.BROKEN))
def test_import_damaged_or_strange_archives(make_dataset, tmp_path, kind):
    src = make_dataset({"cats": 3, "dogs": 3}, root=tmp_path / "src")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    build, named = broken_archives.BROKEN[kind]
    archive = build(downloads / kind, src)
    result = helpers_cli(
        "data", "import", str(archive), "--out", str(tmp_path / "out"), cwd=tmp_path
    )
    line = assert_one_line_error(result, kind, named)
    assert "Aborted" not in result.stderr and "/.out-" not in line  # no temp folder named
    assert sorted(p.name for p in tmp_path.iterdir()) == ["downloads", "src"]


# --- item 10: SIGTERM leaves half-written staging folders ----------------------------------------


def _default_signals() -> None:
    # A command started in the background by a shell without job control (as CI may start the
    # tests) inherits SIGINT ignored, and Python then installs no KeyboardInterrupt handler.
    # A user's Ctrl-C reaches a process with the default disposition: give the child that.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(paths.REPO_ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "helpers", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_signals,
    )


def _wait_for(pattern: str, folder: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while not list(folder.glob(pattern)):
        assert process.poll() is None, "finished before the staging folder appeared"
        assert time.monotonic() < deadline, f"no {pattern} in {folder}"
        time.sleep(0.01)


@pytest.fixture
def big_zip(tmp_path) -> Path:
    """3,000 small incompressible files: extraction takes a moment, long enough to interrupt."""
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("cats", "dogs"):
            for i in range(1500):
                archive.writestr(f"{name}/{i}.jpg", os.urandom(20_000))
    return path


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_import_leaves_no_staging_folder(big_zip, tmp_path, signum):
    process = _start(["data", "import", str(big_zip), "--out", str(tmp_path / "out")], tmp_path)
    _wait_for(".out-*/new/*/*.jpg", tmp_path, process)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0 and "Traceback" not in err
    left = sorted(p.name for p in tmp_path.iterdir())
    if left != ["big.zip"]:  # the signal came after the extraction had been moved into place
        assert left == ["big.zip", "out"], left  # no half-written staging folder either way
        assert len(list((tmp_path / "out").rglob("*.jpg"))) == 3000, "out must be complete"


def test_sigterm_during_split_leaves_no_staging_folder(make_dataset, tmp_path):
    src = make_dataset({"cats": 200, "dogs": 200}, size=(8, 8))
    process = _start(["split", str(src), str(tmp_path / "out")], tmp_path)
    _wait_for(".out-*", tmp_path, process)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in err, err
    assert "SIGTERM" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


@pytest.mark.parametrize("moment", ["folder made", "marker half written"])
def test_interruption_right_after_the_staging_folder_is_made_leaves_nothing(
    tmp_path, monkeypatch, moment
):
    """The narrowest windows: Ctrl-C lands just after the folder, or half of its marker, is made."""
    made, written = os.mkdir, Path.write_text

    def interrupt():
        os.kill(os.getpid(), signal.SIGINT)  # Python's handler raises KeyboardInterrupt
        time.sleep(1)  # it is raised here at the latest, whichever thread took the signal

    def mkdir_then_interrupt(path, *args, **kwargs):
        made(path, *args, **kwargs)
        if moment == "folder made" and Path(path).name.startswith(".out-"):
            interrupt()

    def half_written(self, text, *args, **kwargs):
        if moment == "marker half written" and self.name == outputs.STAGING_MARKER:
            written(self, text[: len(text) // 2], *args, **kwargs)
            interrupt()
        return written(self, text, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir_then_interrupt)
    monkeypatch.setattr(Path, "write_text", half_written)
    # Python's own Ctrl-C handler, as in a terminal (pytest-xdist workers ignore SIGINT)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), outputs.staging_folder(tmp_path, ".out-"):
            pass
    finally:
        signal.signal(signal.SIGINT, previous)
    assert list(tmp_path.iterdir()) == []


def test_interruption_while_the_staging_folder_is_removed_leaves_nothing(tmp_path, monkeypatch):
    """Ctrl-C while an overwritten output's old copy is deleted (red team, issue 28): once it
    left a hidden folder whose marker was already gone, so no later run ever removed it."""
    remove = shutil.rmtree

    def interrupted_rmtree(path, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # Python's handler raises KeyboardInterrupt here, unless it is held
        return remove(path, *args, **kwargs)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), outputs.staging_folder(tmp_path, ".out-") as staging:
            for number in range(50):  # the earlier output, moved aside
                (staging / "old" / f"class_{number % 3}").mkdir(parents=True, exist_ok=True)
                (staging / "old" / f"class_{number % 3}" / f"{number}.jpg").write_bytes(b"x")
            monkeypatch.setattr(shutil, "rmtree", interrupted_rmtree)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert list(tmp_path.iterdir()) == [], "the whole staging folder is gone, Ctrl-C or not"


def test_next_run_removes_the_staging_folder_of_a_killed_run_only(big_zip, tmp_path):
    process = _start(["data", "import", str(big_zip), "--out", str(tmp_path / "out")], tmp_path)
    _wait_for(".out-*/new", tmp_path, process)
    process.kill()  # SIGKILL: no chance to clean up
    process.communicate(timeout=60)
    left = [p for p in tmp_path.glob(".out-*") if p.is_dir()]
    assert len(left) == 1
    foreign = tmp_path / ".out-not-ours"  # no marker: never removed
    foreign.mkdir()
    (foreign / "keep.txt").write_text("keep")
    result = helpers_cli(
        "data", "import", str(big_zip), "--out", str(tmp_path / "out"), cwd=tmp_path
    )
    assert "Imported into" in result.stdout, result.stderr  # (exit 1: random bytes, not images)
    assert not left[0].exists() and (foreign / "keep.txt").read_text(encoding="utf-8") == "keep"


# --- round 2: one write policy for every command that writes (helpers/outputs.py) ----------------


def _kaggle_download(root: Path) -> Path:
    """A folder laid out and named like the real Kaggle download, with its request text."""
    top = root / "Pistachio_Image_Dataset"
    for folder, stem in (("Kirmizi_Pistachio", "kirmizi"), ("Siirt_Pistachio", "siirt")):
        (top / "Pistachio_Image_Dataset" / folder).mkdir(parents=True)
        for i in range(1, 4):
            (top / "Pistachio_Image_Dataset" / folder / f"{stem} ({i}).jpg").write_bytes(
                os.urandom(64)
            )
    (top / "Pistachio_Image_Dataset_Request.txt").write_text("Please cite Ozkan et al.")
    return root


def test_sample_never_replaces_a_real_download_named_like_it(tmp_path):
    real = _kaggle_download(tmp_path / "kaggle")
    before = support.fingerprint(real)
    result = helpers_cli("data", "sample", "--out", str(real), "--per-class", "1", cwd=tmp_path)
    assert_one_line_error(result, str(real), "did not write")
    assert support.fingerprint(real) == before


@pytest.mark.parametrize(
    "where, named",
    [
        ("{nb}", "lesson notebooks"),
        ("{learner}", "learner edition"),
        ("{data}/mine", "data folder"),
        ("{ds}", "did not write"),  # a user's DATA_DIR: no class folder is added to it
    ],
)
def test_sample_refuses_lessons_data_and_a_users_dataset(make_dataset, tmp_path, where, named):
    ds = make_dataset({"cats": 2, "dogs": 2})
    out = where.format(
        nb=paths.NOTEBOOKS_DIR, learner=paths.LEARNER_DIR, data=paths.DATA_ROOT, ds=ds
    )
    watched = [paths.NOTEBOOKS_DIR, paths.LEARNER_DIR, paths.DATA_ROOT, ds]
    before = [support.fingerprint(folder) for folder in watched]
    result = helpers_cli("data", "sample", "--out", out, "--per-class", "1", cwd=tmp_path)
    assert_one_line_error(result, named)
    assert [support.fingerprint(folder) for folder in watched] == before
    assert sorted(p.name for p in ds.iterdir()) == ["cats", "dogs"]


def test_split_overwrite_never_deletes_a_document_or_a_photo_added_to_a_split(
    make_dataset, tmp_path
):
    src = make_dataset({"cats": 4, "dogs": 4})
    dst = tmp_path / "split"
    assert helpers_cli("split", str(src), str(dst), cwd=tmp_path).returncode == 0
    (dst / "train" / "cats" / "notes.docx").write_text("my notes")
    result = helpers_cli("split", str(src), str(dst), "--overwrite", cwd=tmp_path)
    assert_one_line_error(result, "notes.docx", "never replaced")
    (dst / "train" / "cats" / "notes.docx").unlink()
    photo = dst / "val" / "dogs" / "labelled.jpg"
    photo.write_bytes((src / "dogs" / "dogs (1).jpg").read_bytes())
    result = helpers_cli("split", str(src), str(dst), "--overwrite", cwd=tmp_path)
    assert_one_line_error(result, "labelled.jpg")
    assert photo.read_bytes() == (src / "dogs" / "dogs (1).jpg").read_bytes()


def _many_images(make_dataset, per_class: int = 1500) -> Path:
    """A dataset large enough that splitting it takes a few seconds (copies of 200 images)."""
    src = make_dataset({"cats": 200, "dogs": 200}, size=(8, 8))
    for folder in (src / "cats", src / "dogs"):
        images = sorted(folder.iterdir())
        for i in range(len(images), per_class):
            shutil.copyfile(images[i % len(images)], folder / f"copy {i}.jpg")
    return src


@pytest.mark.slow  # splits 3,000 images, long enough to race
def test_a_folder_made_at_dst_during_a_split_is_never_deleted(make_dataset, tmp_path):
    """Check-then-rename race: DST did not exist at the start; a user makes it meanwhile."""
    src = _many_images(make_dataset)
    dst = tmp_path / "out"
    process = _start(["split", str(src), str(dst)], tmp_path)
    _wait_for(".out-*/new", tmp_path, process)
    dst.mkdir()
    (dst / "mine.txt").write_text("made while the split ran")
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1 and "Traceback" not in err, err
    assert "appeared while" in err or "not empty" in err, err
    assert (dst / "mine.txt").read_text(encoding="utf-8") == "made while the split ran"
    assert sorted(p.name for p in dst.iterdir()) == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "out"]  # no lock, no staging


@pytest.mark.slow  # splits 3,000 images, long enough to race
def test_two_splits_into_one_dst_at_once_never_both_say_written(make_dataset, tmp_path):
    src = _many_images(make_dataset)
    dst = tmp_path / "out"
    first = _start(["split", str(src), str(dst), "--seed", "1"], tmp_path)
    _wait_for(".out.helpers-lock", tmp_path, first)
    second = _start(["split", str(src), str(dst), "--seed", "2"], tmp_path)
    results = [(p, *p.communicate(timeout=120)) for p in (first, second)]
    codes = sorted(p.returncode for p, _, _ in results)
    assert codes == [0, 1], [err for _, _, err in results]
    loser = next(err for p, _, err in results if p.returncode == 1)
    assert "Another workshop command is writing" in loser and "Traceback" not in loser
    winner = next(p for p, _, _ in results if p.returncode == 0)
    assert winner is first
    assert json.loads((dst / ".split.json").read_text(encoding="utf-8"))["seed"] == 1


@pytest.mark.parametrize("option", ["--out", "-p WORK_DIR"])
def test_run_never_writes_into_a_users_folder(make_dataset, tmp_path, option):
    """The lessons delete their work folders (raw_split/ …): a user's folder is refused first."""
    ds = make_dataset({"cats": 10, "dogs": 10})
    mine = tmp_path / "holiday"
    (mine / "raw_split").mkdir(parents=True)
    (mine / "raw_split" / "beach.jpg").write_bytes(b"jpeg")
    (mine / "index.html").write_text("my page")
    before = support.fingerprint(mine)
    args = (
        ["--out", str(mine)] if option == "--out" else ["--out", "o", "-p", "WORK_DIR", str(mine)]
    )
    result = helpers_cli("run", "--data-dir", str(ds), "--notebooks", "03", *args, cwd=tmp_path)
    assert_one_line_error(result, str(mine), "did not write")
    assert support.fingerprint(mine) == before
    assert not (tmp_path / "o").exists()


def _earlier_run(out: Path) -> Path:
    """What `run` leaves: executed copies, a summary, and its marker."""
    out.mkdir()
    (out / "00_setup_check.ipynb").write_text("{}")
    (out / "summary.json").write_text("[]")
    outputs.write_marker(out, "python -m helpers run")
    return out


def test_run_never_writes_through_a_link_inside_its_output(make_dataset, tmp_path):
    ds = make_dataset({"cats": 10, "dogs": 10})
    out = _earlier_run(tmp_path / "run")
    victim = tmp_path / "unrelated.txt"
    victim.write_text("keep")
    (out / "00_setup_check.ipynb").unlink()
    (out / "00_setup_check.ipynb").symlink_to(paths.NOTEBOOKS_DIR / "00_setup_check.ipynb")
    (out / "01_computer_vision_recap.html").symlink_to(victim)
    lessons = support.fingerprint(paths.NOTEBOOKS_DIR)
    result = helpers_cli("run", "--data-dir", str(ds), "--out", str(out), cwd=tmp_path)
    assert_one_line_error(result, "00_setup_check.ipynb", "never replaced")
    assert (
        support.fingerprint(paths.NOTEBOOKS_DIR) == lessons
        and victim.read_text(encoding="utf-8") == "keep"
    )


@pytest.mark.parametrize("option", ["--json", "--plot"])
def test_bench_never_replaces_a_lesson_or_a_users_file(tmp_path, option):
    lesson = paths.NOTEBOOKS_DIR / "00_setup_check.ipynb"
    before = lesson.read_bytes()
    result = helpers_cli("bench", option, str(lesson), "--rounds", "1", cwd=tmp_path)
    assert_one_line_error(result, "lesson notebooks")
    assert lesson.read_bytes() == before
    mine = tmp_path / "results.json"
    mine.write_text('{"mine": true}')
    result = helpers_cli("bench", option, str(mine), "--rounds", "1", cwd=tmp_path)
    assert_one_line_error(result, str(mine), "not an unchanged output")
    assert mine.read_text(encoding="utf-8") == '{"mine": true}'


def test_site_out_with_a_users_file_in_an_earlier_build_is_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>built</p>")
    outputs.write_marker(site, "python -m helpers site")
    (site / "CNAME").write_text("workshop.example.org")
    result = helpers_cli("site", "--out", str(site), "--executed", str(tmp_path), cwd=tmp_path)
    assert_one_line_error(result, "CNAME")
    assert (site / "CNAME").read_text(encoding="utf-8") == "workshop.example.org"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no site-work/ either


def _png(path: Path, seed: int = 0) -> bytes:
    """A 96×96 PNG of noise (so its pixel data is large enough to cut in half)."""
    import cv2
    import numpy as np

    noise = np.random.default_rng(seed).integers(0, 256, (96, 96, 3), dtype=np.uint8)
    ok, encoded = cv2.imencode(".png", noise)
    path.write_bytes(encoded.tobytes())
    return path.read_bytes()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def _cut_short_png(path: Path) -> None:
    data = _png(path)
    start = data.index(b"IDAT") - 4
    length = int.from_bytes(data[start : start + 4], "big")
    path.write_bytes(data[: start + 8 + length // 2] + _chunk(b"IEND", b""))


def _png_with_text(path: Path) -> None:
    data = _png(path)
    after_header = 8 + 25  # signature, then IHDR (4 + 4 + 13 + 4)
    text = _chunk(b"tEXt", b"Comment\0" + b"x" * 20_000_000)
    path.write_bytes(data[:after_header] + text + data[after_header:])


def _non_utf8_name(folder: Path) -> None:
    source = next(folder.iterdir()).read_bytes()
    with open(os.fsencode(folder) + b"/photo \xe9t\xe9.jpg", "wb") as handle:
        handle.write(source)  # "été" in Latin-1, as an old drive wrote it


@pytest.mark.parametrize(
    "damage, named",
    [
        (_cut_short_png, "cut short"),
        (_png_with_text, "of text or metadata"),
        (lambda path: _non_utf8_name(path.parent), "not valid UTF-8"),
    ],
)
def test_data_check_says_not_ok_for_what_breaks_the_lessons(make_dataset, tmp_path, damage, named):
    """Each made lessons fail while the check said OK (the quick check is the one run uses)."""
    ds = make_dataset({"cats": 10, "dogs": 10})
    damage(ds / "cats" / "bad.png")
    for deep in ([], ["--deep"]):
        result = helpers_cli("data", "check", str(ds), *deep, cwd=tmp_path)
        assert result.returncode == 1 and "NOT OK" in result.stdout, result.stdout
        assert named in result.stdout and "Traceback" not in result.stderr
    result = helpers_cli("run", "--data-dir", str(ds), "--out", "o", cwd=tmp_path)
    assert_one_line_error(result, "is not ready", named)


def test_reports_survive_a_strict_terminal_and_escape_control_codes(make_dataset, tmp_path):
    """Strict UTF-8 terminals (macOS) and names that carry terminal codes: escaped, not lost."""
    ds = make_dataset({"cats": 10, "dogs": 10})
    _non_utf8_name(ds / "cats")
    (ds / "dogs" / "\x1b[2K\rOK: ready for training.txt").write_text("a crafted name")
    env = dict(os.environ, PYTHONPATH=str(paths.REPO_ROOT), PYTHONIOENCODING="utf-8:strict")
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "data", "check", str(ds)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        errors="surrogateescape",
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "photo \\xe9t\\xe9.jpg" in result.stdout  # shown as escapes
    assert "\x1b" not in result.stdout and "\\x1b[2K\\rOK" in result.stdout
    assert result.stdout.rstrip().endswith("NOT OK: fix the problems above.")


@pytest.mark.parametrize("target", ["..", "/"])
def test_a_class_folder_linked_to_a_parent_or_the_disk_root(make_dataset, tmp_path, target):
    ds = make_dataset({"cats": 10, "dogs": 10})
    (ds / "loop").symlink_to(target)
    result = helpers_cli("data", "check", str(ds), cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "Class folder 'loop' is a link" in result.stdout


def test_a_link_loop_is_one_line_not_a_bug_report(make_dataset, tmp_path):
    ds = make_dataset({"cats": 10, "dogs": 10})
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    for args in (
        ["split", str(ds), str(tmp_path / "loop" / "out")],
        ["run", "--data-dir", str(tmp_path / "loop"), "--out", "o"],
        ["data", "sample", "--out", str(tmp_path / "loop" / "s")],
    ):
        error = assert_one_line_error(helpers_cli(*args, cwd=tmp_path), "leads back to itself")
        assert "report" not in error


def test_an_empty_path_parameter_is_refused_not_taken_as_the_current_folder(tmp_path):
    for name in ("DATA_DIR", "WORK_DIR"):
        result = helpers_cli("run", "-p", name, "", "--out", "o", cwd=tmp_path)
        assert_one_line_error(result, f"Parameter {name} is empty")
    (tmp_path / "cats").mkdir()  # a class beside the terminal: what "" would have checked
    for args in (
        ["data", "check", ""],
        ["data", "prepare", "", "out"],
        ["split", "", "out"],
        ["bench", "--json", " "],
        ["run", "--out", ""],
    ):
        assert_one_line_error(helpers_cli(*args, cwd=tmp_path), "is empty: give a path")
    assert [p.name for p in tmp_path.iterdir()] == ["cats"]


def test_zip_names_that_cannot_be_extracted_name_the_member_not_the_staging_folder(tmp_path):
    long_name = "cats/" + "a" * 300 + ".jpg"
    archive = broken_archives.zip_with(tmp_path / "long.zip", {long_name: b"x", "dogs/b.jpg": b"x"})
    error = assert_one_line_error(
        helpers_cli("data", "import", str(archive), "--out", "out", cwd=tmp_path), "long.zip"
    )
    assert "aaaa.jpg" in error and "-import-" not in error and "/new/" not in error
    bad = tmp_path / "bad.zip"
    raw = bytearray(
        broken_archives.zip_with(bad, {"cats/a.jpg": b"x", "dogs/b.jpg": b"x"}).read_bytes()
    )
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # "names are UTF-8"
        at = raw.find(signature)
        while at >= 0:
            raw[at + offset + 1] |= 0x08  # general purpose flag bit 11 (0x0800): UTF-8 names
            at = raw.find(signature, at + 4)
    bad.write_bytes(bytes(raw).replace(b"cats/a.jpg", b"cats/\xff.jpg"))
    error = assert_one_line_error(
        helpers_cli("data", "import", str(bad), "--out", "out2", cwd=tmp_path), "bad.zip"
    )
    assert "not valid UTF-8" in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip", "long.zip"]


@pytest.mark.slow
def test_a_broken_notebook_fails_alone_and_is_named(tmp_path):
    """A lesson file that is not a notebook (a cell without source): the others still run."""
    broken = tmp_path / "01_broken.ipynb"
    broken.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}}]}))
    lesson = paths.NOTEBOOKS_DIR / "00_setup_check.ipynb"
    results = runner.run_notebooks(
        [broken, lesson], tmp_path / "out", keep_going=True, progress=False
    )
    assert [r.status for r in results] == ["failed", "passed"]
    assert str(broken) in results[0].error and "not a readable lesson notebook" in results[0].error


def test_sample_on_a_full_disk_names_the_folder(tmp_path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tiny tmpfs needs root")
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(tiny)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        result = helpers_cli("data", "sample", "--out", str(tiny / "s"), cwd=tmp_path)
        error = assert_one_line_error(result, "No space left", str(tiny))
        assert "requested and" not in error
        assert list(tiny.iterdir()) == []  # nothing half-written stays
    finally:
        subprocess.run(["umount", str(tiny)])


def test_an_empty_mount_point_as_dst_is_one_clear_line(make_dataset, tmp_path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    ds = make_dataset({"cats": 10, "dogs": 10})
    stick = tmp_path / "usb stick"
    stick.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(stick)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        result = helpers_cli("split", str(ds), str(stick), cwd=tmp_path)
        assert_one_line_error(result, str(stick), "mount point", "inside it")
        assert list(stick.iterdir()) == [] and os.path.ismount(stick)
        assert helpers_cli("split", str(ds), str(stick / "split"), cwd=tmp_path).returncode == 0
    finally:
        subprocess.run(["umount", "-l", str(stick)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "usb stick"]


# --- round 3: found by attacking the write policy itself -----------------------------------------


@pytest.mark.parametrize("name", [".ipynb_checkpoints", "Thumbs.db", "desktop.ini"])
def test_a_folder_with_only_system_named_things_is_not_empty(make_dataset, tmp_path, name):
    """Names file browsers use are content in a folder the workshop did not write."""
    src = make_dataset({"cats": 10, "dogs": 10})
    dst = tmp_path / "mine"
    (dst / name).mkdir(parents=True)
    (dst / name / "my notes.txt").write_text("mine")
    before = support.fingerprint(dst)
    for args in (["split", str(src), str(dst)], ["data", "sample", "--out", str(dst)]):
        assert_one_line_error(helpers_cli(*args, cwd=tmp_path), str(dst))
    assert support.fingerprint(dst) == before


def test_jupyterlab_checkpoints_in_an_output_block_it_only_when_they_hold_edits(tmp_path):
    """Opening an executed lesson in JupyterLab leaves a checkpoint copy: nothing to lose."""
    out = tmp_path / "run"
    ours = {"00_setup_check.ipynb"}.__contains__
    with outputs.in_place(out, "--out", made_by="a test", records=ours):
        (out / "00_setup_check.ipynb").write_text('{"cells": []}')
    (out / ".ipynb_checkpoints").mkdir()
    copy = out / ".ipynb_checkpoints" / "00_setup_check-checkpoint.ipynb"
    copy.write_text('{"cells": []}')
    assert outputs.foreign_entries(out) == []
    copy.write_text('{"cells": ["my edit"]}')
    assert outputs.foreign_entries(out) == [copy]


def test_one_commands_output_is_never_replaced_by_anothers(make_dataset, tmp_path):
    src = make_dataset({"cats": 10, "dogs": 10})
    imported = tmp_path / "imported"
    zipped = shutil.make_archive(str(tmp_path / "photos"), "zip", src.parent, src.name)
    assert (
        helpers_cli("data", "import", zipped, "--out", str(imported), cwd=tmp_path).returncode == 0
    )
    before = support.fingerprint(imported)
    for args in (
        ["data", "sample", "--out", str(imported), "--per-class", "2"],
        ["split", str(src), str(imported), "--overwrite"],
    ):
        assert_one_line_error(helpers_cli(*args, cwd=tmp_path), "python -m helpers data import")
    assert support.fingerprint(imported) == before


def test_a_file_saved_into_a_runs_folder_while_it_runs_is_not_adopted(tmp_path):
    out = tmp_path / "run"
    written = {"summary.json"}.__contains__
    with outputs.in_place(out, "--out", made_by="python -m helpers run", records=written):
        (out / "summary.json").write_text("[]")
        (out / "notes.txt").write_text("typed while the lessons ran")
    result = helpers_cli("run", "--notebooks", "00", "--out", str(out), cwd=tmp_path)
    assert_one_line_error(result, "notes.txt")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "typed while the lessons ran"


def test_ctrl_c_between_the_two_renames_of_a_swap_waits_for_the_swap(make_dataset, tmp_path):
    """The narrowest window: the old split moved aside, the new one not yet in place."""
    src = make_dataset({"cats": 10, "dogs": 10})
    dst = tmp_path / "split"
    split_dataset = __import__("helpers.split", fromlist=["split_dataset"]).split_dataset
    split_dataset(src, dst, seed=1)
    renamed, rename = [], os.rename

    def rename_then_interrupt(source, target, *args, **kwargs):
        rename(source, target, *args, **kwargs)
        renamed.append(Path(target).name)
        if Path(target).name == "old":  # the old split is aside: Ctrl-C now
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "rename", rename_then_interrupt)
            with pytest.raises(KeyboardInterrupt):
                split_dataset(src, dst, seed=2, overwrite=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert renamed[-2:] == ["old", "split"], renamed  # Ctrl-C took effect after the swap
    assert json.loads((dst / ".split.json").read_text(encoding="utf-8"))["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "split"]


def test_a_swap_killed_halfway_is_repaired_by_the_next_command(make_dataset, tmp_path):
    """SIGKILL (or Windows, which cannot hold signals) after the old output moved aside."""
    src = make_dataset({"cats": 10, "dogs": 10})
    dst = tmp_path / "split"
    assert helpers_cli("split", str(src), str(dst), cwd=tmp_path).returncode == 0
    before = support.fingerprint(dst)
    killed = tmp_path / ".split-0123456789ab"  # what the killed command left
    killed.mkdir()
    (killed / outputs.STAGING_MARKER).write_text('{"pid": 999999999, "started": 0}')
    os.rename(dst, killed / "old")
    result = helpers_cli("split", str(src), str(dst), cwd=tmp_path)
    assert_one_line_error(result, str(dst), "not empty")  # it is back, so it is refused
    assert support.fingerprint(dst) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "split"]


def test_a_sealed_result_that_was_edited_is_never_replaced(tmp_path):
    from helpers.plumbing import bench

    saved = bench.save({"images": 3}, tmp_path / "bench.json")
    assert outputs.sealed_by(saved) == bench.MADE_BY
    record = json.loads(saved.read_text(encoding="utf-8"))
    record["my_notes"] = "fast on the lab machines"
    saved.write_text(json.dumps(record, indent=2))
    result = helpers_cli("bench", "--json", str(saved), "--rounds", "1", cwd=tmp_path)
    assert_one_line_error(result, str(saved), "not an unchanged output")
    assert "my_notes" in saved.read_text(encoding="utf-8")


def test_a_sealed_png_is_known_and_any_change_to_it_breaks_the_seal(tmp_path):
    plain = _png(tmp_path / "chart.png")
    sealed = outputs.seal(plain, ".png", "a test")
    (tmp_path / "chart.png").write_bytes(sealed)
    assert outputs.sealed_by(tmp_path / "chart.png") == "a test"
    import cv2

    assert cv2.imread(str(tmp_path / "chart.png")).shape == (96, 96, 3)  # still a PNG
    changed = bytearray(sealed)
    changed[100] ^= 1  # one bit of the pixels
    (tmp_path / "chart.png").write_bytes(bytes(changed))
    assert outputs.sealed_by(tmp_path / "chart.png") is None
    (tmp_path / "chart.png").write_bytes(plain)
    assert outputs.sealed_by(tmp_path / "chart.png") is None


@pytest.mark.parametrize(
    "args, named",
    [
        (["bench", "--data-dir", "{ds}", "--json", "{ds}/cats/r.json"], "dataset measured"),
        (["bench", "--json", "{tmp}/r.json", "--plot", "{tmp}/r.json"], "must end in .png"),
        (["bench", "--json", "{tmp}/r.png", "--plot", "{tmp}/r.png"], "must end in .json"),
        (["bench", "--json", "{tmp}/.json"], "is only an ending: give a name, e.g. results.json"),
        (["bench", "--json", "{tmp}/a file/r.json"], "is a file, not a folder"),
        (["data", "sample", "--out", "{repo}/data/sample/more"], "data folder"),
        (["split", "{ds}", "{repo}/.git/split"], "workshop's own files"),
        (["split", "{ds}", "{repo}/tests/split"], "workshop's own files"),
        (["split", "{ds}", "{tmp}/link"], "is a link"),
        (["split", "{ds}", "."], "the folder you are in"),
        (["data", "sample", "--out", "."], "the folder you are in"),
        (["data", "import", "{tmp}/pipe.zip", "--out", "o"], "not a regular file"),
    ],
)
def test_more_places_the_workshop_never_writes(make_dataset, tmp_path, args, named):
    ds = make_dataset({"cats": 10, "dogs": 10})
    (tmp_path / "a file").write_text("x")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    os.mkfifo(tmp_path / "pipe.zip")
    here = tmp_path / "here"
    here.mkdir()
    args = [a.format(ds=ds, tmp=tmp_path, repo=paths.REPO_ROOT) for a in args]
    before = support.fingerprint(paths.REPO_ROOT / "data"), support.fingerprint(ds)
    assert_one_line_error(helpers_cli(*args, cwd=here, timeout=120), named)
    assert (support.fingerprint(paths.REPO_ROOT / "data"), support.fingerprint(ds)) == before
    assert list(here.iterdir()) == [] and list((tmp_path / "elsewhere").iterdir()) == []
    assert not (paths.REPO_ROOT / ".git" / "split").exists()
    assert not (paths.REPO_ROOT / "tests" / "split").exists()


def test_a_lock_nobody_holds_says_it_may_be_deleted(make_dataset, tmp_path):
    src = make_dataset({"cats": 10, "dogs": 10})
    (tmp_path / ".out.helpers-lock").write_text("")  # a lock file that names nobody
    result = helpers_cli("split", str(src), str(tmp_path / "out"), cwd=tmp_path)
    assert_one_line_error(result, ".out.helpers-lock", "delete the lock file")


def test_replacing_a_split_prints_no_warning(make_dataset, tmp_path):
    src = make_dataset({"cats": 10, "dogs": 10})
    dst = tmp_path / "split"
    assert helpers_cli("split", str(src), str(dst), cwd=tmp_path).returncode == 0
    result = helpers_cli("split", str(src), str(dst), "--overwrite", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr


@pytest.mark.slow
def test_run_twice_into_the_same_folder(tmp_path):
    """The second run replaces the first (its work folder has a marker of its own)."""
    for _ in range(2):
        result = helpers_cli("run", "--notebooks", "00", "03", "--out", "out", cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))


# --- round 4 ------------------------------------------------------------------------------------


def test_a_staging_folder_of_another_target_is_never_taken_for_this_ones(make_dataset, tmp_path):
    """'.run-2-…' (target run-2) starts like '.run-…' (target run): it is not run's to touch."""
    src = make_dataset({"cats": 10, "dogs": 10})
    assert helpers_cli("split", str(src), str(tmp_path / "run-2"), cwd=tmp_path).returncode == 0
    before = support.fingerprint(tmp_path / "run-2")
    killed = tmp_path / ".run-2-0123456789ab"
    killed.mkdir()
    (killed / outputs.STAGING_MARKER).write_text('{"pid": 999999999, "started": 0}')
    os.rename(tmp_path / "run-2", killed / "old")
    assert helpers_cli("split", str(src), str(tmp_path / "run"), cwd=tmp_path).returncode == 0
    assert support.fingerprint(killed / "old") == before  # left for run-2's next command


def test_commands_refuse_to_write_inside_the_lessons_work_folder(make_dataset, tmp_path):
    src = make_dataset({"cats": 10, "dogs": 10})
    work = outputs.work_folder(tmp_path / "work", "WORK_DIR")
    for args in (
        ["split", str(src), str(work / "raw_split")],
        ["data", "sample", "--out", str(work / "sample")],
        ["run", "--notebooks", "00", "--out", str(work / "run")],
    ):
        assert_one_line_error(helpers_cli(*args, cwd=tmp_path), "lessons' work folder")
    assert sorted(p.name for p in work.iterdir()) == [outputs.MARKER]


@pytest.mark.parametrize(
    "args, named",
    [
        (["--out", "{tmp}/r", "-p", "WORK_DIR", "{tmp}/r"], "is --out or holds it"),
        (["--out", "{tmp}/p/out", "-p", "WORK_DIR", "{tmp}/p"], "is --out or holds it"),
        (["--out", "{tmp}/o", "-p", "WORK_DIR", "{tmp}/a split"], "helpers.split.split_dataset"),
    ],
)
def test_work_dir_and_out_must_not_hold_each_other(make_dataset, tmp_path, args, named):
    src = make_dataset({"cats": 10, "dogs": 10})
    assert helpers_cli("split", str(src), str(tmp_path / "a split"), cwd=tmp_path).returncode == 0
    args = [a.format(tmp=tmp_path) for a in args]
    assert_one_line_error(helpers_cli("run", "--notebooks", "00", *args, cwd=tmp_path), named)


def test_site_never_renders_a_run_inside_what_it_replaces(tmp_path):
    work = tmp_path / "site-work"
    run = work / "run"
    run.mkdir(parents=True)
    from helpers.plumbing import runner as run_module

    results = [run_module.NotebookResult(n.name, "passed") for n in run_module.select_notebooks()]
    for notebook in run_module.select_notebooks():
        shutil.copy(notebook, run / notebook.name)
    run_module.write_summary(results, run)
    outputs.write_marker(work, "python -m helpers site")
    result = helpers_cli(
        "site", "--out", str(tmp_path / "site"), "--executed", str(run), cwd=tmp_path
    )
    assert_one_line_error(result, "inside the work folder")
    assert (run / "summary.json").is_file()


def test_editions_never_overwrites_an_answer_typed_but_not_run(tmp_path):
    from helpers.plumbing import editions

    editions.write_learner_edition(target_dir=tmp_path)
    notebook = tmp_path / "03_directory_split.ipynb"
    data = json.loads(notebook.read_text(encoding="utf-8"))
    attempt = next(c for c in data["cells"] if "attempt" in c["metadata"].get("tags", []))
    attempt["source"] += ["\nmy_answer = 42"]
    notebook.write_text(json.dumps(data))
    (paths.NOTEBOOKS_DIR / "03_directory_split.ipynb").touch()  # (content unchanged)
    with pytest.raises(ValueError, match="someone worked in it"):
        editions.write_learner_edition(target_dir=tmp_path)
    assert "my_answer = 42" in notebook.read_text(encoding="utf-8")


def test_editions_never_overwrites_notes_added_to_a_learner_notebook(tmp_path):
    from helpers.plumbing import editions

    editions.write_learner_edition(target_dir=tmp_path)
    notebook = tmp_path / "01_computer_vision_recap.ipynb"
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"].append({"cell_type": "markdown", "metadata": {}, "source": ["My notes"]})
    notebook.write_text(json.dumps(data))
    source = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, source)
    changed = json.loads((source / notebook.name).read_text(encoding="utf-8"))
    changed["cells"][3]["source"] = ["# A lesson text the maintainers changed\n"]
    (source / notebook.name).write_text(json.dumps(changed))
    with pytest.raises(ValueError, match="worked in it"):
        editions.write_learner_edition(source, tmp_path)
    assert "My notes" in notebook.read_text(encoding="utf-8")


def test_an_edited_bundled_sample_says_how_to_restore_it(tmp_path):
    """data sample never replaces a changed data/sample; it says how git brings it back."""
    checkout = tmp_path / "repo"  # the code as it is now, with a copy of the sample to edit
    for part in ("helpers", "data/sample"):
        shutil.copytree(
            paths.REPO_ROOT / part, checkout / part, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(paths.REPO_ROOT / "pyproject.toml", checkout)
    image = checkout / "data" / "sample" / "Pistachio_Image_Dataset" / "Pistachio_Image_Dataset"
    edited = next((image / "Kirmizi_Pistachio").iterdir())
    edited.write_bytes(edited.read_bytes()[:-10])
    env = dict(os.environ, PYTHONPATH=str(checkout))
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "data", "sample"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert_one_line_error(result, edited.name, "git checkout -- data/sample")


def test_a_newline_in_a_name_stays_on_the_one_error_line(make_dataset, tmp_path):
    src = make_dataset({"cats": 10, "dogs": 10})
    odd = tmp_path / "two\nlines"
    odd.mkdir()
    (odd / "mine.txt").write_text("x")
    result = helpers_cli("split", str(src), str(odd), cwd=tmp_path)
    line = assert_one_line_error(result, "two\\nlines")
    assert result.stderr.strip() == line


# --- round 5 ------------------------------------------------------------------------------------


def test_a_dataset_whose_class_links_into_the_output_is_never_emptied(make_dataset, tmp_path):
    src = make_dataset({"cats": 10, "dogs": 10})
    assert helpers_cli("split", str(src), str(tmp_path / "s1"), cwd=tmp_path).returncode == 0
    mixed = tmp_path / "mixed"
    shutil.copytree(src / "cats", mixed / "cats")
    (mixed / "dogs").symlink_to(tmp_path / "s1" / "train" / "dogs")
    before = support.fingerprint(tmp_path / "s1" / "train" / "dogs")
    for args in (
        ["split", str(mixed), str(tmp_path / "s1"), "--overwrite"],
        ["run", "--notebooks", "03", "--data-dir", str(mixed), "--out", str(tmp_path / "s1")],
    ):
        assert_one_line_error(helpers_cli(*args, cwd=tmp_path), "which the dataset")
    assert support.fingerprint(tmp_path / "s1" / "train" / "dogs") == before


def test_the_default_work_folder_is_the_lessons_own_too(make_dataset, tmp_path):
    src = make_dataset({"cats": 10, "dogs": 10})
    default = paths.BUILD_DIR / "workshop" / "trial_split"
    result = helpers_cli("split", str(src), str(default), cwd=tmp_path)
    assert_one_line_error(result, "lessons' work folder")
    assert not default.exists() or default.is_dir()  # (a lesson's own, if any, untouched)


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_closed_terminal_during_a_swap_waits_for_the_swap(make_dataset, tmp_path, signum):
    """SIGHUP (the terminal closed) is held like Ctrl-C while the old output is aside."""
    src = make_dataset({"cats": 10, "dogs": 10})
    dst = tmp_path / "split"
    split_dataset = __import__("helpers.split", fromlist=["split_dataset"]).split_dataset
    split_dataset(src, dst, seed=1)
    rename = os.rename
    stopped = []

    def rename_then_signal(source, target, *args, **kwargs):
        rename(source, target, *args, **kwargs)
        if Path(target).name == "old":
            os.kill(os.getpid(), signum)
            time.sleep(0.2)

    def stop(number, frame):
        stopped.append(number)
        raise KeyboardInterrupt

    previous = signal.signal(signum, stop)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "rename", rename_then_signal)
            with pytest.raises(KeyboardInterrupt):
                split_dataset(src, dst, seed=2, overwrite=True)
    finally:
        signal.signal(signum, previous)
    assert stopped == [signum]
    assert json.loads((dst / ".split.json").read_text(encoding="utf-8"))["seed"] == 2


def test_a_run_into_the_name_of_a_killed_swap_puts_the_old_output_back_first(
    make_dataset, tmp_path
):
    src = make_dataset({"cats": 10, "dogs": 10})
    dst = tmp_path / "sf"
    assert helpers_cli("split", str(src), str(dst), cwd=tmp_path).returncode == 0
    before = support.fingerprint(dst)
    killed = tmp_path / ".sf-0123456789ab"
    killed.mkdir()
    (killed / outputs.STAGING_MARKER).write_text('{"pid": 999999999, "started": 0}')
    os.rename(dst, killed / "old")
    result = helpers_cli("run", "--notebooks", "00", "--out", str(dst), cwd=tmp_path)
    assert_one_line_error(result, "helpers.split.split_dataset")  # the split is back: refused
    assert support.fingerprint(dst) == before


# --- round 6: the regenerated committed folders (hub/, learner/) and the rehearsal  -----------


def _copy_of_the_code(tmp_path: Path) -> Path:
    """helpers, hub/, learner/ and notebooks/ as they are now, in a folder the test may spoil."""
    checkout = tmp_path / "repo"
    for part in ("helpers", "hub", "learner", "notebooks"):
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(paths.REPO_ROOT / part, checkout / part, ignore=ignore)
    shutil.copy(paths.REPO_ROOT / "pyproject.toml", checkout)
    return checkout


def _in(checkout: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    return subprocess.run(
        [sys.executable, "-m", "helpers", *args],
        cwd=checkout.parent,
        env=env,
        capture_output=True,
        text=True,
    )


def test_hub_config_never_replaces_a_hand_edit_nor_writes_through_a_link(tmp_path):
    checkout = _copy_of_the_code(tmp_path)
    config = checkout / "hub" / "z2jh" / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("tag: TAG", "tag: v1"))
    (checkout / "helpers" / "plumbing" / "hub.py").write_text(
        (checkout / "helpers" / "plumbing" / "hub.py")
        .read_text(encoding="utf-8")
        .replace("cull_idle_seconds: int = 3600", "cull_idle_seconds: int = 7200")
    )
    assert_one_line_error(_in(checkout, "hub", "config"), "config.yaml", "edited by hand")
    assert "tag: v1" in config.read_text(encoding="utf-8")
    victim = tmp_path / "victim"
    (checkout / "hub" / "tljh").rename(victim)
    (checkout / "hub" / "tljh").symlink_to(victim)
    before = support.fingerprint(victim)
    assert_one_line_error(_in(checkout, "hub", "config", "--force"), "is a link")
    assert support.fingerprint(victim) == before


def test_editions_never_writes_through_a_linked_learner_folder(tmp_path):
    checkout = _copy_of_the_code(tmp_path)
    mine = tmp_path / "my notebooks"
    (checkout / "learner").rename(mine)
    (checkout / "learner").symlink_to(mine)
    (mine / "00_setup_check.ipynb").write_text('{"cells": [], "mine": true}')
    assert_one_line_error(_in(checkout, "editions", "--force"), "is a link")
    assert json.loads((mine / "00_setup_check.ipynb").read_text(encoding="utf-8"))["mine"]


def test_editions_without_its_marker_keeps_anything_not_as_committed(tmp_path):
    checkout = _copy_of_the_code(tmp_path)  # not a git checkout: nothing is known as committed
    (checkout / "learner" / outputs.MARKER).unlink()
    notebook = checkout / "learner" / "03_directory_split.ipynb"
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"].append({"cell_type": "markdown", "metadata": {}, "source": ["My notes"]})
    notebook.write_text(json.dumps(data))
    assert_one_line_error(_in(checkout, "editions"), "03_directory_split", "worked in it")
    assert "My notes" in notebook.read_text(encoding="utf-8")


def test_sighup_stops_a_command_and_cleans_up_like_sigterm(make_dataset, tmp_path):
    src = _many_images(make_dataset)
    process = _start(["split", str(src), str(tmp_path / "out")], tmp_path)
    _wait_for(".out-*", tmp_path, process)
    process.send_signal(signal.SIGHUP)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGHUP and "Stopped by SIGHUP" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


# --- round 7 ------------------------------------------------------------------------------------


def test_any_failure_while_the_old_output_is_aside_puts_it_back(make_dataset, tmp_path):
    """Not only a refusal: a path too long, Ctrl-C, anything while the old output is aside."""
    src = make_dataset({"cats": 10, "dogs": 10})
    dst = tmp_path / "split"
    split_dataset = __import__("helpers.split", fromlist=["split_dataset"]).split_dataset
    split_dataset(src, dst, seed=1)
    before = support.fingerprint(dst)
    real = outputs._check_replaceable

    def fail_on_the_moved_copy(folder, *args, shown=None, **kwargs):
        if shown is not None:  # the second check, on the folder moved aside
            raise OSError(36, "File name too long", str(folder))
        return real(folder, *args, shown=shown, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outputs, "_check_replaceable", fail_on_the_moved_copy)
        with pytest.raises(OSError, match="too long"):
            split_dataset(src, dst, seed=2, overwrite=True)
    assert support.fingerprint(dst) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "split"]


def test_a_very_deep_tree_in_an_earlier_output_is_refused_not_a_crash(make_dataset, tmp_path):
    src = make_dataset({"cats": 10, "dogs": 10})
    dst = tmp_path / "split"
    assert helpers_cli("split", str(src), str(dst), cwd=tmp_path).returncode == 0
    deep = str(dst / "val" / "cats")
    for _ in range(1200):  # deeper than Python's recursion limit (made level by level)
        deep += "/d"
        os.mkdir(deep)
    deep = Path(deep)
    (deep / "notes.txt").write_text("mine")
    try:
        result = helpers_cli("split", str(src), str(dst), "--overwrite", cwd=tmp_path)
        assert_one_line_error(result, "which the workshop did not write")
        assert (deep / "notes.txt").read_text(encoding="utf-8") == "mine"
    finally:  # level by level: shutil.rmtree (and pytest's clean-up) would recurse too deep
        (deep / "notes.txt").unlink(missing_ok=True)
        while deep != dst / "val" / "cats":
            deep.rmdir()
            deep = deep.parent


def test_a_protected_folder_under_another_name_is_still_protected(make_dataset, tmp_path):
    """A bind mount (or a case-insensitive disk) gives notebooks/ a second name."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a bind mount needs root")
    src = make_dataset({"cats": 10, "dogs": 10})
    alias = tmp_path / "alias"
    alias.mkdir()
    if subprocess.run(["mount", "--bind", str(paths.REPO_ROOT), str(alias)]).returncode:
        pytest.skip("cannot bind-mount here")
    try:
        for args, named in (
            (["split", str(src), str(alias / "notebooks" / "evil")], "never written to"),
            (["data", "sample", "--out", str(alias / "helpers" / "x")], "never written to"),
            (["split", str(src), str(alias / "tests" / "evil")], "workshop's own files"),
        ):
            assert_one_line_error(helpers_cli(*args, cwd=tmp_path), named)
        assert not (paths.NOTEBOOKS_DIR / "evil").exists()
        assert not (paths.HELPERS_DIR / "evil").exists()
    finally:
        subprocess.run(["umount", "-l", str(alias)])


def test_build_itself_is_never_an_output_even_before_it_exists(tmp_path, monkeypatch):
    """A fresh clone has no build/ yet: it must still not become one command's output."""
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.setattr(paths, "REPO_ROOT", repo)
    monkeypatch.setattr(paths, "BUILD_DIR", repo / "build")
    with pytest.raises(ValueError, match="only build/ is"):
        outputs.refuse_protected(repo / "build", "DST")
    assert outputs.refuse_protected(repo / "build" / "run", "DST") == repo / "build" / "run"


def test_a_work_folders_marker_is_never_written_through_a_link(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    work = tmp_path / "work"
    work.mkdir()
    (work / outputs.MARKER).symlink_to(victim)
    outputs.work_folder(work, "WORK_DIR", adopt=True)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (work / outputs.MARKER).is_symlink()


def test_a_folder_named_tilde_is_not_the_home_folder(make_dataset, tmp_path):
    src = make_dataset({"cats": 10, "dogs": 10})
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, PYTHONPATH=str(paths.REPO_ROOT), HOME=str(home))
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "split", str(src), "./~/x"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "~" / "x" / "train").is_dir() and list(home.iterdir()) == []


def test_notes_saved_into_an_executed_lesson_while_the_run_goes_on_are_kept(tmp_path):
    """Round 8: a copy recorded when written; edited afterwards, it blocks the next run."""
    out = tmp_path / "run"
    ours = {"00_setup_check.ipynb", "03_directory_split.ipynb"}.__contains__
    with outputs.in_place(out, "--out", made_by="python -m helpers run", records=ours):
        (out / "00_setup_check.ipynb").write_text('{"cells": []}')
        outputs.write_marker(out, "python -m helpers run", include=ours, update=True)
        (out / "00_setup_check.ipynb").write_text('{"cells": ["MY NOTES"]}')  # the user
        (out / "03_directory_split.ipynb").write_text('{"cells": []}')  # the next lesson
    assert outputs.foreign_entries(out) == [out / "00_setup_check.ipynb"]
    result = helpers_cli("run", "--notebooks", "00", "--out", str(out), cwd=tmp_path)
    assert_one_line_error(result, "00_setup_check.ipynb")
    assert "MY NOTES" in (out / "00_setup_check.ipynb").read_text(encoding="utf-8")


# --- the battery: many more bad inputs, every command ---------------------------------------------


def _battery(ds: Path, tmp: Path) -> list[tuple[list[str], tuple[str, ...]]]:
    """Bad command lines, each with what its one error line must name."""
    (tmp / "a file.txt").write_text("not a folder")
    (tmp / "empty").mkdir()
    (tmp / "one class" / "only").mkdir(parents=True)
    (tmp / "fake.zip").write_bytes(b"PK\x03\x04 truncated")
    (tmp / "zero.zip").write_bytes(b"")
    ünïcode = tmp / "dätä sét"
    shutil.copytree(ds, ünïcode)
    afile, out, nb = str(tmp / "a file.txt"), str(tmp / "o"), str(paths.NOTEBOOKS_DIR)
    fake = str(tmp / "fake.zip")
    need_classes = "need at least 2"
    return [
        (["split", str(ds), afile], (afile, "is a file")),
        (["split", str(ds), str(ds)], ("must lie outside the source",)),
        (["split", str(ds), str(ds / "cats" / "out")], ("must lie outside the source",)),
        (["split", str(ds / "cats"), out], (str(ds / "cats"), need_classes)),
        (["split", str(tmp / "empty"), out], (str(tmp / "empty"), need_classes)),
        (["split", str(tmp / "one class"), out], (str(tmp / "one class"), need_classes)),
        (["split", str(ünïcode), out, "--ratio", "0.5"], ("(0.5,)", "2 or 3 positive")),
        (["split", str(ds), out, "--ratio", "nan", "--ratio", "0.5"], ("(nan, 0.5)",)),
        (["split", str(ds), out, "--ratio", "-0.5", "--ratio", "1.5"], ("(-0.5, 1.5)",)),
        (["split", str(ds), out, "--ratio", "0.7", "--ratio", "0.3", "--ratio", "0"], ("0.0)",)),
        (["split", str(ds), out, "--ratio", "inf", "--ratio", "-inf"], ("(inf, -inf)",)),
        (["split", str(ds), f"{nb}/split"], (f"{nb}/split", "lesson notebooks")),
        (["split", str(ds), f"{afile}/sub"], (afile, "in the way")),
        (["split", str(tmp / "missing"), out], (str(tmp / "missing"), "does not exist")),
        (["data", "import", fake, "--out", out], (fake, "not a zip or tar")),
        (["data", "import", str(tmp / "zero.zip"), "--out", out], ("zero.zip", "not a zip")),
        (["data", "import", afile, "--out", out], (afile, "not a zip or tar")),
        (["data", "import", fake, "--out", afile], (afile, "is a file")),
        (["data", "import", fake, "--max-size", "lots"], ("--max-size", "'lots'")),
        (["data", "import", fake, "--max-size", "0"], ("--max-size", "'0'")),
        (["data", "import", fake, "--out", f"{nb}/x"], (f"{nb}/x", "lesson notebooks")),
        (["data", "sample", "--out", afile], (afile, "is a file")),
        (["data", "sample", "--out", out, "--per-class", "-3"], ("--per-class", "-3")),
        (["run", "--data-dir", str(tmp / "missing"), "--out", out], ("missing", "not exist")),
        (["run", "--data-dir", afile, "--out", out], (afile, "is a file")),
        (["run", "--data-dir", str(tmp / "one class"), "--out", out], ("one class", "not ready")),
        (["run", "--out", afile], (afile, "is a file")),
        (["run", "--out", f"{afile}/sub"], (afile, "in the way")),
        (["bench", "--data-dir", str(tmp / "missing")], (str(tmp / "missing"), "not exist")),
        (["bench", "--rounds", "-1", "--data-dir", str(tmp / "one class")], ("--rounds", "-1")),
    ]


#: Commands that answer bad input with their report (exit 1 and its verdict), not an error line.
_REPORTS = [
    (["data", "check", "{tmp}/missing"], "NOT OK"),
    (["data", "check", "{tmp}/a file.txt"], "NOT OK"),
    (["check", "--data-dir", "{tmp}/missing"], "Not ready yet."),
]


def test_battery_of_bad_inputs_never_shows_a_traceback(make_dataset, tmp_path):
    """Each answers with one error line naming what is wrong (a broken import would not)."""
    ds = make_dataset({"cats": 3, "dogs": 3})
    failures = []
    for args, names in _battery(ds, tmp_path):
        try:
            assert_one_line_error(helpers_cli(*args, cwd=tmp_path), *names)
        except AssertionError as err:
            failures.append(f"{args}: {err}")
    for args, verdict in _REPORTS:
        args = [a.format(tmp=tmp_path) for a in args]
        result = helpers_cli(*args, cwd=tmp_path)
        if result.returncode != 1 or verdict not in result.stdout or args[-1] not in result.stdout:
            failures.append(f"{args}: exit {result.returncode}\n{result.stdout[-600:]}")
    assert not failures, "\n\n".join(failures)
    assert not (tmp_path / "o").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
