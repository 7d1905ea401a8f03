"""helpers.data.check on every bad case PITFALLS.md lists, each built in a temporary folder."""

import numpy as np
import pytest
from click.testing import CliRunner

from helpers import cli, data, images, paths


@pytest.fixture
def good(make_dataset):
    return make_dataset({"Kirmizi": 4, "Siirt": 4}, size=(40, 60))


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
    assert report.counts == {"Kirmizi": 4, "Siirt": 4}  # not counted as a class


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
    assert report.counts["Kirmizi"] == 4


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
    assert report.counts == {"Kirmizi": 4, "Siirt": 5}
    assert report.classes[1].formats == {".jpg": 4, ".png": 1}
    assert any("upper-case" in note and "KIRMIZI (1).JPG" in note for note in report.notes)


@pytest.mark.parametrize("ending", [".webp", ".heic", ".gif", ".tiff"])
def test_formats_keras_skips_are_problems(good, ending):
    (good / "Siirt" / f"photo{ending}").write_bytes(b"whatever")
    report = _check(good)
    assert not report.ok and f"photo{ending}" in report.problems[0]


def test_grayscale_rgba_and_16_bit_are_notes_not_problems(good):
    from PIL import Image

    Image.fromarray(np.zeros((8, 8), np.uint8)).save(good / "Siirt" / "gray.png")
    Image.fromarray(np.zeros((8, 8, 4), np.uint8)).save(good / "Siirt" / "rgba.png")
    import cv2  # OpenCV writes 16-bit PNGs; our write_image only takes uint8

    cv2.imwrite(str(good / "Siirt" / "deep.png"), np.full((8, 8, 3), 40000, np.uint16))
    report = _check(good)
    assert report.ok, report.problems
    text = " ".join(report.notes)
    for expected in ("grayscale", "RGBA", "16-bit", "gray.png", "rgba.png", "deep.png"):
        assert expected in text
    assert "different sizes" in text


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
