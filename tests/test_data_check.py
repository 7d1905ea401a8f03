"""helpers.plumbing.data.check on the bad cases of real collections, each in a temporary folder."""

import re

import numpy as np
import pytest
from click.testing import CliRunner

from helpers import images, paths
from helpers.plumbing import cli, data


@pytest.fixture
def good(make_dataset):
    return make_dataset({"Kirmizi": 8, "Siirt": 8}, size=(40, 60))


def _check(root, **kwargs):
    return data.check(root, progress=False, **kwargs)


def test_sample_is_ok():
    report = _check(paths.SAMPLE_DIR)
    assert report.ok and report.notes == []
    assert [c.example_size for c in report.classes] == [(600, 600), (600, 600)]
    assert "OK: ready for training." in str(report)


@pytest.mark.parametrize("name", [".ipynb_checkpoints", "__MACOSX"])
def test_hidden_folder_beside_classes_is_a_problem(good, name):
    (good / name).mkdir()
    report = _check(good)
    assert not report.ok
    assert name in report.problems[0] and "extra classes" in report.problems[0]
    assert report.counts == {"Kirmizi": 8, "Siirt": 8}  # not counted as a class


def test_checkpoint_folder_inside_a_class_is_a_problem(good):
    (good / "Siirt" / ".ipynb_checkpoints").mkdir()
    (good / "Siirt" / ".ipynb_checkpoints" / "siirt (1)-checkpoint.jpg").write_bytes(
        (good / "Siirt" / "siirt (1).jpg").read_bytes()
    )
    report = _check(good)
    assert not report.ok and "siirt (1)-checkpoint.jpg" in " ".join(report.problems)


def test_zero_byte_jpg_is_named(good):
    (good / "Kirmizi" / "kirmizi (99).jpg").write_bytes(b"")
    report = _check(good)
    assert not report.ok
    assert "'Kirmizi/kirmizi (99).jpg': empty file (0 bytes)" in report.problems[0]
    assert report.counts["Kirmizi"] == 8


def test_text_renamed_to_jpg_is_named(good):
    (good / "Siirt" / "fake.jpg").write_text("this is not a picture")
    report = _check(good)
    assert not report.ok and "'Siirt/fake.jpg': not an image" in report.problems[0]


def test_truncated_jpeg_is_found_without_deep(good):
    whole = (good / "Siirt" / "siirt (1).jpg").read_bytes()
    (good / "Siirt" / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    report = _check(good)
    assert not report.ok and "'Siirt/cut.jpg': damaged image" in report.problems[0]


def test_deep_check_agrees_on_good_data(good):
    assert _check(good, deep=True).ok


def test_text_file_among_images_is_only_a_note(good):
    (good / "Kirmizi" / "notes.txt").write_text("licence: ask")
    report = _check(good)
    assert report.ok
    assert any("notes.txt" in note and "split-folders copies" in note for note in report.notes)


def test_upper_case_and_png_are_counted(good):
    (good / "Kirmizi" / "kirmizi (1).jpg").rename(good / "Kirmizi" / "KIRMIZI (1).JPG")
    images.write_image(good / "Siirt" / "extra.png", np.zeros((40, 60, 3), np.uint8))
    report = _check(good)
    assert report.ok, report.problems
    assert report.counts == {"Kirmizi": 8, "Siirt": 9}
    assert report.classes[1].formats == {".jpg": 8, ".png": 1}
    assert any("upper-case" in note and "KIRMIZI (1).JPG" in note for note in report.notes)


@pytest.mark.parametrize("ending", [".webp", ".heic", ".gif", ".tiff"])
def test_formats_keras_skips_are_problems(good, ending):
    (good / "Siirt" / f"photo{ending}").write_bytes(b"whatever")
    report = _check(good)
    assert not report.ok and f"photo{ending}" in report.problems[0]


def test_grayscale_rgba_and_16_bit_colour_are_notes_not_problems(good):
    from PIL import Image

    Image.fromarray(np.zeros((8, 8), np.uint8)).save(good / "Siirt" / "gray.png")
    Image.fromarray(np.zeros((8, 8, 4), np.uint8)).save(good / "Siirt" / "rgba.png")
    import cv2  # OpenCV writes 16-bit PNGs; our write_image only takes uint8

    cv2.imwrite(str(good / "Siirt" / "deep.png"), np.full((8, 8, 3), 40000, np.uint16))
    report = _check(good)
    assert report.ok, report.problems
    text = " ".join(report.notes)
    for expected in ("grayscale", "RGBA", "16-bit colour", "gray.png", "rgba.png", "deep.png"):
        assert expected in text
    assert "different sizes" in text


def test_16_bit_grayscale_is_a_problem_because_keras_reads_it_white(good):
    import cv2
    from tensorflow.keras.preprocessing.image import img_to_array, load_img

    scan = good / "Siirt" / "scan.png"
    cv2.imwrite(str(scan), np.full((8, 8), 20000, np.uint16))  # 20000 / 65535: a dark grey
    assert img_to_array(load_img(scan)).max() == 255  # the reason: Keras clips, all white
    assert cv2.imread(str(scan)).max() == 78  # OpenCV scales it to 8 bits
    report = _check(good)
    assert not report.ok
    assert "'Siirt/scan.png': 16-bit grayscale" in report.problems[0], report.problems
    assert _run_the_suggested_fix(report.problems[0], scan)  # what to do: it works
    assert _check(good).ok and img_to_array(load_img(scan)).max() == 78


def _run_the_suggested_fix(problem: str, path) -> bool:
    """Run the line a problem ends with, e.g. ``(Image.open(p).convert('RGB').save(p))``.

    False when the problem suggests no such line.
    """
    import cv2
    from PIL import Image

    fix = re.search(r"\(((?:Image\.open|cv2\.imwrite)\(p.*)\)$", problem)
    if fix:
        exec(fix.group(1), {"Image": Image, "cv2": cv2, "p": str(path)})
    return fix is not None


def test_empty_class_is_a_problem(good):
    (good / "Pistacia_vera").mkdir()
    report = _check(good)
    assert not report.ok and "'Pistacia_vera' has no usable images" in report.problems[0]


def test_one_level_too_high_names_the_folder_to_use(make_dataset, tmp_path):
    make_dataset({"Kirmizi": 2, "Siirt": 2}, root=tmp_path / "download" / "Pistachio_Image_Dataset")
    (tmp_path / "download" / "Pistachio_Image_Dataset_Request.txt").write_text("cite us")
    report = _check(tmp_path / "download")
    assert not report.ok
    assert len(report.problems) == 1
    assert (
        "probably" in report.problems[0]
        and "download/Pistachio_Image_Dataset'" in report.problems[0]
    )


def test_missing_folder(tmp_path):
    report = _check(tmp_path / "nowhere")
    assert not report.ok and "nowhere" in report.problems[0]


def test_imbalance_is_noted(make_dataset):
    report = _check(make_dataset({"big": 10, "small": 3}))
    assert report.ok and any("imbalanced" in note for note in report.notes)


def test_cli_data_check_exit_codes(good):
    runner = CliRunner()
    ok = runner.invoke(cli.main, ["data", "check", str(good)])
    assert ok.exit_code == 0 and "Kirmizi" in ok.output
    (good / ".ipynb_checkpoints").mkdir()
    bad = runner.invoke(cli.main, ["data", "check", str(good), "--deep"])
    assert bad.exit_code == 1 and "NOT OK" in bad.output


# ----------------------------------------------------------- issue 12: hostile inputs


def _cli_check(*args):
    return CliRunner().invoke(cli.main, ["data", "check", *map(str, args)])


@pytest.mark.parametrize("deep", [False, True])
def test_decompression_bomb_is_a_problem_not_a_traceback(good, deep):
    from PIL import Image

    bomb = good / "Siirt" / "bomb.png"
    Image.new("1", (30000, 30000)).save(bomb, optimize=True)  # 900 Mpx in ~110 KB
    report = _check(good, deep=deep)
    assert not report.ok and "'Siirt/bomb.png': too large to decode safely" in report.problems[0]
    result = _cli_check(good, *(["--deep"] if deep else []))
    assert result.exit_code == 1 and "bomb.png" in result.output
    assert "Traceback" not in result.output


def test_hidden_system_files_are_notes_not_problems(good):
    (good / "Kirmizi" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1" + bytes(100))
    (good / "Siirt" / "._siirt (1).jpg").write_bytes(b"\0\5\26\7" + bytes(60))  # AppleDouble
    (good / "Siirt" / "Thumbs.db").write_bytes(bytes(64))
    (good / ".DS_Store").write_bytes(bytes(16))
    report = _check(good)
    assert report.ok, report.problems
    assert report.counts == {"Kirmizi": 8, "Siirt": 8}
    note = next(n for n in report.notes if "hidden or system file" in n)
    assert ".DS_Store" in note and "._siirt (1).jpg" in note and "Thumbs.db" in note
    assert _cli_check(good).exit_code == 0


def test_stray_file_in_a_class_is_a_note(good):
    (good / "Siirt" / "licence.pdf").write_bytes(b"%PDF-1.4")
    report = _check(good)
    assert report.ok and any("licence.pdf" in note for note in report.notes)


def test_dangling_symlink_is_a_problem(good):
    (good / "Kirmizi" / "gone.jpg").symlink_to(good / "nowhere.jpg")
    report = _check(good)
    assert not report.ok and "'Kirmizi/gone.jpg': a broken link" in report.problems[0]


def test_symlink_to_an_image_is_fine(good):
    (good / "Kirmizi" / "linked.jpg").symlink_to(good / "Siirt" / "siirt (1).jpg")
    report = _check(good)
    assert report.ok and report.counts["Kirmizi"] == 9


def test_fifo_is_a_problem_and_never_opened(good):
    import os

    os.mkfifo(good / "Siirt" / "pipe.jpg")  # opening it would block this test forever
    report = _check(good, deep=True)
    assert not report.ok and "'Siirt/pipe.jpg': a named pipe (FIFO)" in report.problems[0]


def _as_nobody(args):
    import os
    import shutil
    import subprocess
    import sys

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root (to switch to an unprivileged user) and setpriv")
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = dict(os.environ, PYTHONPATH=str(paths.REPO_ROOT), HOME="/tmp")
    return subprocess.run(
        [*command, sys.executable, "-m", "helpers", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd="/tmp",
    )


@pytest.fixture
def public_tmp():
    """A folder under /tmp that an unprivileged user can reach (pytest's tmp_path is 0700)."""
    import shutil
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="check-perm-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_unreadable_class_folder_is_named_not_a_traceback(make_dataset, public_tmp):
    root = make_dataset({"cats": 3, "dogs": 3}, root=public_tmp / "dataset")
    for folder in (root, root / "cats", root / "dogs"):
        folder.chmod(0o755)
    for image in root.rglob("*.jpg"):
        image.chmod(0o644)
    (root / "dogs").chmod(0)
    (root / "cats" / "cats (1).jpg").chmod(0)
    try:
        for args in (["data", "check", str(root)], ["check", "--data-dir", str(root)]):
            result = _as_nobody(args)
            text = result.stdout + result.stderr
            assert result.returncode == 1, text
            assert "Traceback" not in text and "dogs" in text, text
        result = _as_nobody(["data", "check", str(root)])
        assert "'dogs'" in result.stdout and "cannot be read" in result.stdout
        assert "'cats/cats (1).jpg': cannot be read (permission denied)" in result.stdout
    finally:
        (root / "dogs").chmod(0o755)


def _cut_with_end_marker(good, fraction=0.5):
    from PIL import Image

    rng = np.random.default_rng(1)
    photo = np.kron(rng.integers(0, 256, (30, 40, 3), dtype=np.uint8), np.ones((10, 10, 1)))
    whole = good / "Siirt" / "whole.jpg"
    Image.fromarray(photo.astype(np.uint8)).save(whole, quality=90)
    data_bytes = whole.read_bytes()
    cut = good / "Siirt" / "half.jpg"
    end = int(len(data_bytes) * fraction)
    cut.write_bytes(data_bytes[:end] + b"\xff\xd9")  # every decoder fills the rest with grey
    return cut


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.9])
def test_deep_check_finds_a_jpeg_cut_short_with_an_end_marker(good, fraction):
    _cut_with_end_marker(good, fraction)
    assert _check(good).ok  # the quick check reads headers only
    report = _check(good, deep=True)
    assert not report.ok
    assert "'Siirt/half.jpg': damaged image (the JPEG decoder says:" in report.problems[0]
    assert "premature end" in report.problems[0] and "whole.jpg" not in report.problems[0]


def test_exif_orientation_is_a_note(good):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show upright"
    Image.fromarray(np.zeros((40, 60, 3), np.uint8)).save(
        good / "Kirmizi" / "phone.jpg", exif=exif.tobytes()
    )
    report = _check(good)
    assert report.ok
    assert any("EXIF orientation" in n and "phone.jpg" in n for n in report.notes)
    assert images.read_image(good / "Kirmizi" / "phone.jpg").shape == (40, 60, 3)  # as stored


def test_cmyk_jpeg_is_a_problem(good):
    from PIL import Image

    Image.new("CMYK", (20, 20), (0, 50, 90, 10)).save(good / "Siirt" / "print.jpg")
    report = _check(good)
    assert not report.ok and "'Siirt/print.jpg': a CMYK JPEG" in report.problems[0]


def test_too_few_images_for_any_validation_set_is_a_problem(make_dataset, tmp_path):
    report = _check(make_dataset({"a": 7, "b": 3}))
    assert not report.ok and "the largest class has 7" in report.problems[0]
    assert _check(make_dataset({"a": 8, "b": 1}, root=tmp_path / "enough")).ok


def test_class_names_the_plot_font_cannot_draw_get_a_note(make_dataset):
    report = _check(make_dataset({"çay": 8, "茶": 8}))
    assert report.ok
    assert any("['茶']" in note and "Glyph" in note for note in report.notes)
    assert not any("çay" in note for note in report.notes)


def test_small_classes_get_a_note(make_dataset):
    report = _check(make_dataset({"many": 8, "few": 3, "one": 1, "six": 6}))
    assert report.ok
    note = next(n for n in report.notes if "fewer than 7 images" in n)
    assert "['few', 'one', 'six']" in note and "validation_split" in note and "70/30" in note


def test_link_to_a_folder_inside_a_class_is_only_a_note(good, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (good / "Siirt" / "more").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    report = _check(good)
    assert report.ok and any("'Siirt/more'" in note for note in report.notes)


# Files whose real format, bit depth or frames make the loaders of the lessons disagree.
# Each case proves its reason with the real loaders before it asks data check.


def _save(path, fmt=None, **kwargs):
    from PIL import Image

    picture = np.random.default_rng(5).integers(0, 255, (30, 40, 3), np.uint8)
    Image.fromarray(picture).convert(kwargs.pop("mode", "RGB")).save(path, fmt, **kwargs)


def _animated(path, still):
    from PIL import Image

    a = np.random.default_rng(6).integers(0, 255, (30, 40, 3), np.uint8)
    frames = [Image.fromarray(x) for x in (a, 255 - a, a // 4)]
    frames[0].save(path, "PNG", save_all=True, append_images=frames[1:], default_image=still)


def _truncated_mpo(path):
    _mpo(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def _mpo(path, **kwargs):  # two JPEGs in one file, as many cameras and phones write
    from PIL import Image

    a = Image.fromarray(np.random.default_rng(7).integers(0, 255, (30, 40, 3), np.uint8))
    a.save(path, "MPO", save_all=True, append_images=[a], **kwargs)


def _what_loaders_read(path):
    """Each loader's pixels (or the exception it raised), as float arrays."""
    import tensorflow as tf
    from tensorflow.keras.preprocessing.image import img_to_array, load_img

    readers = {
        "ours": lambda: images.read_image(path),
        "keras": lambda: img_to_array(load_img(path)),
        "tensorflow": lambda: tf.io.decode_image(
            tf.io.read_file(str(path)), channels=3, expand_animations=False
        ).numpy(),
    }
    read = {}
    for name, reader in readers.items():
        try:
            read[name] = np.asarray(reader(), np.float32)
        except Exception as err:  # noqa: BLE001 - what a loader raises is the finding
            read[name] = err
    return read


def _loaders_agree(path):
    read = list(_what_loaders_read(path).values())
    if any(isinstance(r, Exception) for r in read):
        return False
    return all(r.shape == read[0].shape and np.abs(r - read[0]).mean() < 3 for r in read)


REFUSED_FILES = {
    "tiff.jpg": (lambda p: _save(p, "TIFF"), "really TIFF, whatever its ending says"),
    "icon.jpg": (lambda p: _save(p, "ICO"), "really ICO"),
    "palette.bmp": (lambda p: _save(p, mode="P"), "a BMP that TensorFlow cannot decode"),
    "bits.bmp": (lambda p: _save(p, mode="1"), "a BMP that TensorFlow cannot decode"),
    "still.png": (lambda p: _animated(p, still=True), "an animated PNG with a separate still"),
    "cut.jpg": (_truncated_mpo, "damaged image"),
}
ACCEPTED_FILES = {
    "png.jpg": lambda p: _save(p, "PNG"),
    "rgb.bmp": lambda p: _save(p),
    "rgba.bmp": lambda p: _save(p, mode="RGBA"),
    "gray.bmp": lambda p: _save(p, mode="L"),
    "moving.png": lambda p: _animated(p, still=False),
    "camera.jpg": _mpo,
}


@pytest.mark.parametrize("name", sorted(REFUSED_FILES))
def test_files_the_loaders_disagree_on_are_problems(good, name):
    build, expected = REFUSED_FILES[name]
    odd = good / "Siirt" / name
    build(odd)
    assert not _loaders_agree(odd), "the reason for refusing it is gone"
    report = _check(good)
    assert not report.ok and f"'Siirt/{name}': {expected}" in report.problems[0], report.problems
    if _run_the_suggested_fix(report.problems[0], odd):  # then every loader reads it alike
        assert _loaders_agree(odd) and _check(good).ok


@pytest.mark.parametrize("name", sorted(ACCEPTED_FILES))
def test_files_every_loader_reads_alike_pass(good, name):
    odd = good / "Siirt" / name
    ACCEPTED_FILES[name](odd)
    assert _loaders_agree(odd), _what_loaders_read(odd)
    report = _check(good)
    assert report.ok, report.problems


def test_orientation_tags_of_camera_jpegs_and_pngs_are_noted(good):
    from PIL import Image

    tag = Image.Exif()
    tag[0x0112] = 6
    _mpo(good / "Siirt" / "phone.jpg", exif=tag.tobytes())
    _save(good / "Siirt" / "screen.png", exif=tag.tobytes())
    report = _check(good)
    assert report.ok
    note = next(n for n in report.notes if "orientation" in n)
    assert note.startswith("2 image(s)") and "phone.jpg" in note and "screen.png" in note


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    import zlib

    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def test_16_bit_grayscale_with_transparency_is_named_so(good):
    import zlib

    # Neither Pillow nor OpenCV writes this kind (colour type 4, 16 bits): write the chunks.
    pixels = np.full((8, 8, 2), 20000, ">u2")
    rows = b"".join(b"\0" + row.tobytes() for row in pixels)
    header = (8).to_bytes(4, "big") * 2 + bytes([16, 4, 0, 0, 0])
    (good / "Siirt" / "mask.png").write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )
    assert _loaders_agree(good / "Siirt" / "mask.png")
    report = _check(good)
    assert report.ok and any("16-bit grayscale PNGs with transparency" in n for n in report.notes)
