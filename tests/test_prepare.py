"""`python -m helpers data prepare` (issue 28): instructors' own photos, ready in one command.

Every source is built here with Pillow and OpenCV in a temporary folder (phone-sized JPEGs
with an orientation tag, dated sub-folders, WebP, a scanner's 16-bit PNG, a Mac's litter),
prepared for real, and read back with the loaders of the lessons.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
import support
from PIL import Image, ImageChops, ImageDraw

from helpers import BadInput, MissingData, NotAFolder, NotEmpty, NotOurs, outputs, paths
from helpers.plumbing import data, prepare, runner

helpers_cli = support.helpers_cli
assert_one_line_error = support.assert_one_line_error

#: Mean absolute difference, in 0-255 levels, allowed between a shrunk photo in the copy and
#: the original decoded in full and resized with the same filter. It covers decoding at half
#: size (about 0.3 levels on these photos) and the second JPEG compression at quality 95
#: (about 1 level); measured: 0.9-1.2.
TOLERANCE = 2.0
ORIENTATION = 0x0112


def _photo(width: int, height: int, seed: int) -> Image.Image:
    """A phone-like picture: smooth colour gradients, sensor noise and a drawn shape."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(30, 220, (6, 8, 3), dtype=np.uint8)
    picture = Image.fromarray(coarse).resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((width, height), 10).convert("RGB")
    picture = ImageChops.add(picture, noise, scale=1.0, offset=-128)
    box = [width // 4, height // 4, width * 3 // 4, height * 3 // 4]
    ImageDraw.Draw(picture).ellipse(box, fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    return picture


def _small(path: Path, seed: int, fmt: str | None = None, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    _photo(80, 60, seed).save(path, fmt, **options)
    return path


def _tag(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    return exif.tobytes()


def _sixteen_bit(path: Path, seed: int) -> Path:
    """A scanner's 16-bit grayscale PNG, with values across the whole 0-65535 range."""
    rng = np.random.default_rng(seed)
    gray = np.linspace(0, 65535, 48 * 64).reshape(48, 64) + rng.normal(0, 300, (48, 64))
    cv2.imwrite(str(path), np.clip(gray, 0, 65535).astype(np.uint16))
    return path


def _collection(root: Path, *, big: int = 2, seed: int = 0) -> Path:
    """Two classes as they come off a phone and a Mac: every case `prepare` handles.

    Per class: 6 small JPEGs in dated sub-folders, one directly in the class (named like one
    of those brought up), a lossy WebP, a WebP with transparency, a 16-bit grayscale PNG,
    `big` 12-megapixel JPEGs (the first stored sideways with an orientation tag), and
    .DS_Store, an AppleDouble file, a JupyterLab checkpoint and a note; __MACOSX beside them.
    """
    for index, name in enumerate(["cats", "dogs"]):
        folder = root / name
        for month in ("2024-05", "2024-06"):
            for i in range(3):
                _small(folder / month / f"IMG_{i:04d}.jpg", seed + 100 * index + i, quality=90)
        _small(folder / "2024-05_IMG_0000.jpg", seed + 50 + index, quality=90)  # a name taken
        _small(folder / "holiday.webp", seed + 60 + index, "WEBP", quality=80)
        rgba = _photo(80, 60, seed + 70 + index).convert("RGBA")
        rgba.putalpha(Image.linear_gradient("L").resize((80, 60)))
        rgba.save(folder / "sticker.webp", "WEBP", lossless=True)
        _sixteen_bit(folder / "scan.png", seed + index)
        for i in range(big):
            photo = _photo(4000, 3000, seed + 200 + 10 * index + i)
            options = {"exif": _tag(6)} if i == 0 else {}  # a portrait photo, stored sideways
            photo.save(folder / f"IMG_{9000 + i}.JPG", quality=90, **options)
        (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1" + bytes(64))
        (folder / "._IMG_9000.JPG").write_bytes(b"\0\5\26\7\0\2\0\0Mac OS X" + bytes(40))
        (folder / ".ipynb_checkpoints").mkdir()
        shutil.copy(folder / "scan.png", folder / ".ipynb_checkpoints" / "scan-checkpoint.png")
        (folder / "where from.txt").write_text("my phone", encoding="utf-8")
    (root / "__MACOSX" / "cats").mkdir(parents=True)
    (root / "__MACOSX" / "cats" / "._IMG_9000.JPG").write_bytes(bytes(40))
    (root / ".DS_Store").write_bytes(bytes(32))
    return root


#: Images per class of `_collection` (with big=2): 6 + 1 + 2 WebP + 1 PNG + 2 photos.
PER_CLASS = 12


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """`_collection`, its fingerprint before, and the copy `prepare` made of it."""
    base = tmp_path_factory.mktemp("prepare")
    source = _collection(base / "photos")
    before = support.fingerprint(source)
    result = prepare.prepare(source, base / "ready", progress=False)
    return source, before, result


def _pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), np.float32)


# --------------------------------------------------------------------------- the copy


def test_the_copy_has_the_same_classes_and_images_and_passes_the_check(prepared):
    source, before, result = prepared
    assert support.fingerprint(source) == before, "SRC changed"
    assert result.counts == {"cats": PER_CLASS, "dogs": PER_CLASS}
    report = data.check(result.target, progress=False)
    assert report.ok and report.counts == result.counts, report
    assert result.report.ok and "OK: ready for training." in str(result.report)
    assert data.check(source, progress=False).ok is False  # what made the copy necessary
    names = {p.name for p in result.target.rglob("*")} - {outputs.MARKER, prepare.MANIFEST}
    assert not {n for n in names if n.startswith(".") or n == "__MACOSX"}, names
    assert not list(result.target.rglob("*.txt")) and not list(result.target.rglob("*.webp"))


def test_the_report_counts_every_kind_of_change(prepared):
    _, _, result = prepared
    done = {kind: len(items) for kind, items in result.done.items()}
    assert done == {
        "copied": 14,  # 6 brought up + 1 per class
        "shrunk": 4,
        "converted": 4,
        "eight_bits": 2,
        "pixels_only": 0,
        "flattened": 12,
        "renamed": 2,
    }
    left = {kind: len(items) for kind, items in result.left_out.items()}
    # per class .DS_Store, ._IMG_9000.JPG and .ipynb_checkpoints; __MACOSX and .DS_Store
    assert left == {"system": 8, "beside": 0, "not_images": 2, "unreadable": 0}
    text = str(result)
    for expected in (
        "14 copied byte for byte",
        "4 shrunk to 1024 pixels on the long side (orientation tags kept)",
        "'cats/holiday.webp' -> 'cats/holiday.jpg'",
        "2 16-bit grayscale saved as 8-bit: 'cats/scan.png'",
        "'cats/2024-05/IMG_0000.jpg' -> 'cats/2024-05_IMG_0000 (2).jpg'",
        "'__MACOSX'",
        "'cats/where from.txt'",
    ):
        assert expected in text, text


def test_images_in_sub_folders_are_brought_up_with_their_folder_names_first(prepared):
    source, _, result = prepared
    copy = result.target / "cats"
    for month in ("2024-05", "2024-06"):
        for i in (1, 2):
            original = source / "cats" / month / f"IMG_{i:04d}.jpg"
            assert (copy / f"{month}_IMG_{i:04d}.jpg").read_bytes() == original.read_bytes()
    # the photo that had the name keeps it; the one brought up beside it gets " (2)"
    kept = (source / "cats" / "2024-05_IMG_0000.jpg").read_bytes()
    assert (copy / "2024-05_IMG_0000.jpg").read_bytes() == kept
    moved = (source / "cats" / "2024-05" / "IMG_0000.jpg").read_bytes()
    assert (copy / "2024-05_IMG_0000 (2).jpg").read_bytes() == moved
    manifest = (result.target / prepare.MANIFEST).read_text(encoding="utf-8")
    assert '"from": "cats/2024-05/IMG_0000.jpg"' in manifest


def test_webp_becomes_jpeg_and_webp_with_transparency_png(prepared):
    import tensorflow as tf

    source, _, result = prepared
    photo, sticker = result.target / "dogs" / "holiday.jpg", result.target / "dogs" / "sticker.png"
    with Image.open(photo) as image:
        assert image.format == "JPEG" and image.mode == "RGB"
    with Image.open(sticker) as image:
        assert image.format == "PNG" and image.mode == "RGBA"
        assert np.array_equal(
            np.asarray(image), np.asarray(Image.open(source / "dogs" / "sticker.webp"))
        )
    original = _pixels(source / "dogs" / "holiday.webp")
    # a second lossy compression (quality 95): 2.5 levels on this tiny, noisy picture
    assert np.abs(_pixels(photo) - original).mean() < 3.0
    for path in (photo, sticker):  # the loaders Keras skipped the WebP for now read it
        decoded = tf.io.decode_image(tf.io.read_file(str(path)), channels=3).numpy()
        assert decoded.shape == (60, 80, 3)


def test_16_bit_grayscale_is_scaled_to_8_bits_as_opencv_and_tensorflow_read_it(prepared):
    from tensorflow.keras.preprocessing.image import img_to_array, load_img

    source, _, result = prepared
    original, copy = source / "cats" / "scan.png", result.target / "cats" / "scan.png"
    deep = cv2.imread(str(original), cv2.IMREAD_UNCHANGED)
    assert deep.dtype == np.uint16 and deep.max() > 60000
    with Image.open(copy) as image:
        assert image.mode == "L"
        eight = np.asarray(image)
    assert np.array_equal(eight, (deep >> 8).astype(np.uint8))  # scaled, not clipped
    assert np.array_equal(eight, cv2.imread(str(original), cv2.IMREAD_GRAYSCALE))
    keras = img_to_array(load_img(original))[..., 0]  # the reason: Keras clips to 255
    assert np.array_equal(keras, np.minimum(deep, 255)) and (keras == 255).mean() > 0.99
    keras = img_to_array(load_img(copy))[..., 0]
    assert np.array_equal(keras, eight) and keras.min() == 0 and keras.max() == 255


def test_large_photos_are_shrunk_to_max_side_within_tolerance_of_a_full_decode(prepared):
    source, _, result = prepared
    differences = []
    for name in ("cats", "dogs"):
        for i in range(2):
            original, copy = (
                source / name / f"IMG_{9000 + i}.JPG",
                result.target / name / f"IMG_{9000 + i}.JPG",
            )
            with Image.open(copy) as image:
                assert max(image.size) == prepare.DEFAULT_MAX_SIDE and image.size == (1024, 768)
                assert image.format == "JPEG"
            with Image.open(original) as image:
                reference = image.resize((1024, 768), Image.Resampling.LANCZOS)  # full decode
            differences.append(
                float(np.abs(_pixels(copy) - np.asarray(reference, np.float32)).mean())
            )
    assert max(differences) < TOLERANCE, differences


def test_a_shrunk_photo_keeps_its_orientation_so_every_loader_sees_what_it_saw(prepared):
    import tensorflow as tf
    from tensorflow.keras.preprocessing.image import img_to_array, load_img

    from helpers import images

    source, _, result = prepared
    original, copy = source / "cats" / "IMG_9000.JPG", result.target / "cats" / "IMG_9000.JPG"
    with Image.open(copy) as image:
        assert image.getexif().get(ORIENTATION) == 6
    as_stored = {  # Keras, TensorFlow and the lessons' read_image ignore the tag
        "keras": lambda p: img_to_array(load_img(p)),
        "tensorflow": lambda p: tf.io.decode_jpeg(tf.io.read_file(str(p))).numpy(),
        "read_image": images.read_image,
    }
    for name, read in as_stored.items():
        before, after = read(original), read(copy)
        assert before.shape[:2] == (3000, 4000) and after.shape[:2] == (768, 1024), name
    turned_before = cv2.imread(str(original))  # OpenCV turns it upright, before and after
    turned_after = cv2.imread(str(copy))
    assert turned_before.shape == (4000, 3000, 3) and turned_after.shape == (1024, 768, 3)
    shrunk = cv2.resize(turned_before, (768, 1024), interpolation=cv2.INTER_AREA)
    assert np.abs(turned_after.astype(np.float32) - shrunk).mean() < TOLERANCE
    # the photo without a tag stays without one
    with Image.open(result.target / "cats" / "IMG_9001.JPG") as image:
        assert ORIENTATION not in image.getexif()


def test_max_side_is_honoured_and_small_images_are_copied_byte_for_byte(tmp_path):
    source = tmp_path / "photos"
    for name in ("a", "b"):
        for i in range(8):
            _small(source / name / f"{i}.jpg", i)
        _photo(300, 200, 1).save(source / name / "wide.png")
    result = prepare.prepare(source, tmp_path / "ready", max_side=100, progress=False)
    for name in ("a", "b"):
        with Image.open(result.target / name / "wide.png") as image:
            assert image.size == (100, 67) and image.format == "PNG"
        for i in range(8):  # 80x60: smaller than 100, not touched
            path = result.target / name / f"{i}.jpg"
            assert path.read_bytes() == (source / name / f"{i}.jpg").read_bytes()
    assert result.report.ok and len(result.done["copied"]) == 16


def test_files_that_cannot_be_read_are_named_and_left_out_never_a_crash(make_dataset, tmp_path):
    source = make_dataset({"cats": 8, "dogs": 8})
    (source / "cats" / "empty.jpg").write_bytes(b"")
    whole = (source / "cats" / "cats (1).jpg").read_bytes()
    (source / "cats" / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    (source / "dogs" / "IMG_1.HEIC").write_bytes(b"\0\0\0\x18ftypheic" + bytes(100))
    os.mkfifo(source / "dogs" / "pipe.jpg")  # opening it would block forever
    (source / "dogs" / "gone.jpg").symlink_to(tmp_path / "nowhere.jpg")
    (source / "dogs" / "loop.jpg").symlink_to("loop.jpg")  # a link to itself
    (source / "dogs" / "empty class").mkdir()  # a sub-folder, not a class: nothing in it
    (source / "birds").mkdir()
    (source / "birds" / "readme.txt").write_text("no photos yet", encoding="utf-8")
    result = prepare.prepare(source, tmp_path / "ready", progress=False)
    unreadable = " ".join(result.left_out["unreadable"])
    for expected in (
        "'cats/empty.jpg': empty file",
        "'cats/cut.jpg': damaged image",
        "'dogs/IMG_1.HEIC': a HEIC photo",
        "'dogs/pipe.jpg': a named pipe",
        "'dogs/gone.jpg': a broken link",
        "'dogs/loop.jpg': cannot be read (Too many levels of symbolic links); a link leads back",
    ):
        assert expected in unreadable, unreadable
    assert result.counts == {"birds": 0, "cats": 8, "dogs": 8}
    assert result.empty_classes == ["birds"] and "['birds']" in str(result)
    assert (result.target / "birds").is_dir()  # the same classes: the check says what to do
    assert not result.report.ok and "'birds' has no usable images" in str(result.report)


def test_a_jpeg_pillow_only_warns_about_is_shrunk_while_decoding(
    make_dataset, tmp_path, monkeypatch
):
    """108-megapixel phone modes: Pillow warns above 89 MP and refuses above twice that.

    The limit is lowered here to 1 MP so that the photos stay small; the mechanism is
    Pillow's own. Up to twice the limit a JPEG is decoded at 1/8 of its size and shrunk; a
    PNG, or a JPEG above twice the limit, is left out and named.
    """
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    source = make_dataset({"cats": 8, "dogs": 8})
    big = _photo(1600, 1000, 3)  # 1.6 megapixels: between the limit and twice it
    big.save(source / "cats" / "phone.jpg", quality=90, exif=_tag(6))
    big.save(source / "dogs" / "scan.png")
    _photo(2400, 1000, 4).save(source / "dogs" / "panorama.jpg", quality=90)  # 2.4: refused
    assert not data.check(source, progress=False).ok  # the check refuses all three
    result = prepare.prepare(source, tmp_path / "ready", max_side=400, progress=False)
    with Image.open(result.target / "cats" / "phone.jpg") as image:
        assert image.size == (400, 250) and image.getexif().get(ORIENTATION) == 6
        shrunk = np.asarray(image, np.float32)
    whole = np.asarray(big.resize((400, 250), Image.Resampling.LANCZOS), np.float32)
    assert np.abs(shrunk - whole).mean() < TOLERANCE
    unreadable = " ".join(result.left_out["unreadable"])
    assert "'dogs/scan.png': too large to decode safely" in unreadable, unreadable
    assert "'dogs/panorama.jpg': too large to decode safely" in unreadable, unreadable
    assert result.counts == {"cats": 9, "dogs": 8} and result.report.ok


def test_names_that_are_not_utf8_get_readable_names_classes_too(make_dataset, tmp_path):
    """A zip from an old Windows or a camera: Latin-1 bytes in file and class names."""
    source = make_dataset({"cats": 8, "dogs": 8})
    odd = os.fsdecode(b"caf\xe9 (1).jpg")  # how Python gives such a name: with a surrogate
    shutil.copy(source / "cats" / "cats (1).jpg", source / "cats" / odd)
    shutil.copytree(source / "dogs", source / os.fsdecode(b"chi\xe9ns"))
    before = support.fingerprint(source)
    result = prepare.prepare(source, tmp_path / "ready", progress=False)
    assert result.counts == {"cats": 9, "chi_ns": 8, "dogs": 8}
    assert sorted(p.name for p in result.target.iterdir() if p.is_dir()) == [
        "cats", "chi_ns", "dogs"
    ]  # fmt: skip
    assert (result.target / "cats" / "caf_ (1).jpg").read_bytes() == (
        source / "cats" / odd
    ).read_bytes()
    renamed = " ".join(result.done["renamed"])
    assert "'chi\\xe9ns/' -> 'chi_ns/'" in renamed and "caf\\xe9 (1).jpg" in renamed, renamed
    manifest = (result.target / prepare.MANIFEST).read_text(encoding="utf-8")
    assert "chi_ns/" in manifest and "\udce9" not in manifest
    assert result.report.ok, str(result.report)
    assert support.fingerprint(source) == before


# --------------------------------------------------------------------------- data check


def _nested(root: Path, *, direct: int) -> Path:
    for name in ("cats", "dogs"):
        for i in range(direct):
            _small(root / name / f"top{i}.jpg", i)
        for month in ("2024-05", "2024-06"):
            for i in range(5):
                _small(root / name / month / f"IMG_{i:04d}.jpg", i)
    return root


@pytest.mark.parametrize("direct", [3, 0])
def test_check_of_images_in_sub_folders_names_prepare_in_its_problem_line(tmp_path, direct):
    root = _nested(tmp_path / "photos", direct=direct)
    report = data.check(root, progress=False)
    assert not report.ok
    command = f"python -m helpers data prepare {root} NEW_FOLDER"
    problem = report.problems[0]
    assert command in problem, report.problems
    assert "sub-folders" in problem and "Add images" not in problem
    ready = prepare.prepare(root, tmp_path / "ready", progress=False)
    assert ready.report.ok and ready.counts == {"cats": 10 + direct, "dogs": 10 + direct}


def test_every_finding_prepare_fixes_names_it(tmp_path):
    source = _collection(tmp_path / "photos", big=1)
    _photo(40, 30, 4).convert("CMYK").save(source / "cats" / "print.jpg", quality=90)
    (source / ".ipynb_checkpoints").mkdir()
    report = data.check(source, progress=False)
    command = f"`python -m helpers data prepare {source} NEW_FOLDER`"
    findings = report.problems + report.notes
    for kind in (
        "Hidden or system folder(s)",  # beside the classes
        "in formats the workshop's loaders skip",  # WebP
        "16-bit grayscale",
        "a CMYK JPEG",
        "in sub-folders of classes",
        "hidden or system file(s)",
        "megapixels or more",
        "that are not images",
    ):
        finding = next(f for f in findings if kind in f)
        assert command in finding or "`data prepare`" in finding, finding
    result = prepare.prepare(source, tmp_path / "ready", progress=False)
    assert result.report.ok, result.report
    with Image.open(result.target / "cats" / "print.jpg") as image:
        assert image.mode == "RGB"


def test_a_split_is_refused_not_flattened(make_dataset, tmp_path):
    for part in ("train", "val"):
        make_dataset({"cats": 2, "dogs": 2}, root=tmp_path / "split" / part)
    with pytest.raises(BadInput, match=r"holds the parts of a split \(\['train', 'val'\]\)"):
        prepare.prepare(tmp_path / "split", tmp_path / "ready", progress=False)


# --------------------------------------------------------------------------- the write policy


@pytest.fixture
def small(make_dataset):
    return make_dataset({"cats": 8, "dogs": 8})


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["{tmp}/nowhere", "{tmp}/out"], ["nowhere", "does not exist"]),
        (["{src}/cats/cats (1).jpg", "{tmp}/out"], ["cats (1).jpg", "is a file"]),
        (["{tmp}/empty", "{tmp}/out"], ["empty", "needs at least 2"]),
        (["{src}", "{tmp}/out", "--max-side", "10"], ["--max-side", "64 or more", "'10'"]),
        (["{src}", "{tmp}/out", "--max-side", "big"], ["--max-side", "whole number", "'big'"]),
        (["{src}", "{tmp}/out", "--max-side", "1²"], ["--max-side", "whole number", "'1²'"]),
        (["{src}/cats", "{tmp}/out"], ["0 class folder(s)", "needs at least 2"]),
        (["{tmp}/one", "{tmp}/out"], ["1 class folder(s)", "probably '{tmp}/one/photos'"]),
        (["{tmp}/lonely", "{tmp}/out"], ["1 class folder(s)"]),
        (["{src}", "{src}/ready"], ["inside SRC", "beside it"]),
        (["{src}", "{src}"], ["inside SRC"]),
        (["{src}", "{tmp}"], ["holds SRC"]),
        (["{src}", "{repo}/tests/ready"], ["workshop's own files", "build/"]),
        (["{src}", "{tmp}/mine"], ["mine", "not empty", "--overwrite"]),
        (["{src}", "{tmp}/mine", "--overwrite"], ["mine", "did not write"]),
    ],
)
def test_bad_input_and_refused_folders_get_one_line(small, tmp_path, args, named):
    (tmp_path / "empty").mkdir()
    shutil.copytree(small, tmp_path / "one" / "photos")  # one level too high: the hint says so
    shutil.copytree(small / "cats", tmp_path / "lonely" / "cats")  # one class: no hint
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("three years of work", encoding="utf-8")
    before = support.fingerprint(tmp_path)
    values = {"tmp": tmp_path, "src": small, "repo": paths.REPO_ROOT}
    result = helpers_cli("data", "prepare", *(a.format(**values) for a in args), cwd=tmp_path)
    error = assert_one_line_error(result, *(n.format(**values) for n in named))
    assert "probably" not in error or "one" in args[0], error
    assert support.fingerprint(tmp_path) == before  # nothing written, nothing deleted
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dataset",
        "empty",
        "lonely",
        "mine",
        "one",
    ]
    assert not (paths.REPO_ROOT / "tests" / "ready").exists()


def test_overwrite_replaces_its_own_copy_and_nothing_else(small, tmp_path):
    dst = tmp_path / "ready"
    first = helpers_cli("data", "prepare", str(small), str(dst), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "OK: ready for training." in first.stdout and f"Use DATA_DIR={dst}" in first.stdout
    again = helpers_cli("data", "prepare", str(small), str(dst), cwd=tmp_path)
    assert_one_line_error(again, str(dst), "--overwrite")
    (small / "cats" / "cats (1).jpg").unlink()
    replaced = helpers_cli("data", "prepare", str(small), str(dst), "--overwrite", cwd=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert len(list((dst / "cats").iterdir())) == 7
    (dst / "cats" / "my notes.txt").write_text("mine", encoding="utf-8")
    blocked = helpers_cli("data", "prepare", str(small), str(dst), "--overwrite", cwd=tmp_path)
    assert_one_line_error(blocked, "my notes.txt")
    assert (dst / "cats" / "my notes.txt").read_text(encoding="utf-8") == "mine"
    split = tmp_path / "split"  # another command's output is not replaced either
    assert helpers_cli("split", str(small), str(split), cwd=tmp_path).returncode == 0
    other = helpers_cli("data", "prepare", str(small), str(split), "--overwrite", cwd=tmp_path)
    assert_one_line_error(other, "helpers.split.split_dataset")


def test_a_failed_run_leaves_no_folders_it_made(make_dataset, tmp_path):
    """A copy refused at the end (its place taken meanwhile, a full disk, Ctrl-C): the new
    folders above DST go too (red team: `data prepare SRC new/deeper/out` left new/deeper)."""
    source = make_dataset({"cats": 8, "dogs": 8})
    target = tmp_path / "new" / "deeper" / "out"
    with pytest.raises(KeyboardInterrupt), outputs.replace_folder(target, "DST", made_by="t"):
        raise KeyboardInterrupt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]
    prepare.prepare(source, target, progress=False)  # and the same place works afterwards
    assert (target / prepare.MANIFEST).is_file()


def test_python_api_refusals_are_workshop_errors(small, tmp_path):
    with pytest.raises(MissingData):
        prepare.prepare(tmp_path / "nowhere", tmp_path / "out")
    with pytest.raises(NotAFolder):
        prepare.prepare(small / "cats" / "cats (1).jpg", tmp_path / "out")
    with pytest.raises(BadInput, match="64 pixels or more"):
        prepare.prepare(small, tmp_path / "out", max_side=63)
    with pytest.raises(BadInput, match="whole number"):
        prepare.prepare(small, tmp_path / "out", max_side=512.5)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(NotEmpty):
        prepare.prepare(small, tmp_path / "full")
    with pytest.raises(NotOurs):
        prepare.prepare(small, tmp_path / "full", overwrite=True)


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as a terminal's Ctrl-C finds it


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_run_leaves_no_staging_folder(tmp_path, signum):
    source = tmp_path / "photos"
    (source / "a").mkdir(parents=True)
    _photo(4000, 3000, 1).save(source / "a" / "IMG_0.JPG", quality=90)
    for i in range(1, 40):  # 40 photos to shrink per class: seconds of work
        shutil.copyfile(source / "a" / "IMG_0.JPG", source / "a" / f"IMG_{i}.JPG")
    shutil.copytree(source / "a", source / "b")
    before = support.fingerprint(source)
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers", "data", "prepare", str(source), str(tmp_path / "out")],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(paths.REPO_ROOT)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_signals,
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".out-*/new/a/*.JPG")):
        assert process.poll() is None, "finished before any image was written"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0 and "Traceback" not in err, err
    if signum == signal.SIGTERM:
        assert process.returncode == 128 + signal.SIGTERM and "SIGTERM" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"]  # no staging, no lock
    assert support.fingerprint(source) == before


# --------------------------------------------------------------------------- the workshop


@pytest.mark.slow
def test_every_lesson_runs_on_a_prepared_copy(tmp_path):
    """A small source the check refuses (sub-folders, WebP, 16-bit PNG) becomes a dataset
    all eight lessons run on."""
    source = tmp_path / "photos"
    for index, name in enumerate(["cats", "dogs", "owls"]):
        for month in ("2024-05", "2024-06"):
            (source / name / month).mkdir(parents=True)
            for i in range(5):
                picture = _photo(160, 120, 10 * index + i)
                picture.save(source / name / month / f"IMG_{i}.jpg", quality=90)
        _photo(160, 120, index).save(source / name / "web.webp", "WEBP", quality=80)
        _sixteen_bit(source / name / "scan.png", index)
    assert not data.check(source, progress=False).ok
    ready = tmp_path / "ready"
    made = helpers_cli("data", "prepare", str(source), str(ready), cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    quick = ["-p", "IMAGE_SIZE", "48", "-p", "EPOCHS", "2", "-p", "BENCH_IMAGES", "40"]
    quick += ["-p", "BENCH_ROUNDS", "1"]
    out = tmp_path / "run"
    ran = subprocess.run(
        [sys.executable, "-m", "helpers", "run", "--data-dir", str(ready), "--out", str(out)]
        + quick,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=support.kernel_env(),
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    run = runner.read_summary(out)
    assert [r.notebook[:2] for r in run.notebooks] == [
        "00",
        "01",
        "02",
        "03",
        "04",
        "05",
        "06",
        "07",
    ]
    assert all(r.status == "passed" for r in run.notebooks), run.notebooks
    assert "['cats', 'dogs', 'owls']" in support.stream_text(out / "00_setup_check.ipynb")
