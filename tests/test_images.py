import numpy as np
import pytest

from helpers import images, paths


def test_read_image_missing_file_names_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.png"):
        images.read_image(tmp_path / "nope.png")


@pytest.mark.parametrize("mode, shape", [("rgb", (4, 6, 3)), ("bgr", (4, 6, 3)), ("gray", (4, 6))])
def test_read_image_shape(tiny_png, mode, shape):
    assert images.read_image(tiny_png, mode=mode).shape == shape


def test_rgb_and_bgr_are_channel_swaps(tiny_png):
    assert images.read_image(tiny_png, "rgb")[0, 0].tolist() == [255, 0, 0]
    assert images.read_image(tiny_png, "bgr")[0, 0].tolist() == [0, 0, 255]


def test_unknown_mode(tiny_png):
    with pytest.raises(ValueError, match="Incorrect value for `mode`: 'RGB'"):
        images.read_image(tiny_png, mode="RGB")


@pytest.mark.parametrize("content", [b"", b"this is not a jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 10])
def test_undecodable_file_names_file(tmp_path, content):
    bad = tmp_path / "kirmizi (7).jpg"
    bad.write_bytes(content)
    with pytest.raises(ValueError, match=r"kirmizi \(7\)\.jpg"):
        images.read_image(bad)


def test_non_ascii_path_reads(tmp_path, tiny_png):
    target = tmp_path / "fıstık ağacı" / "kırmızı (1).png"
    target.parent.mkdir()
    target.write_bytes(tiny_png.read_bytes())
    assert images.read_image(target).shape == (4, 6, 3)


def test_write_image_rejects_float(tmp_path):
    with pytest.raises(ValueError, match="uint8"):
        images.write_image(tmp_path / "x.png", np.zeros((2, 2, 3)))


def test_write_image_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="x.nope"):
        images.write_image(tmp_path / "x.nope", np.zeros((2, 2, 3), np.uint8))


def test_to_rgb_rejects_grayscale():
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        images.to_rgb(np.zeros((2, 2), np.uint8))


def test_sample_image_is_600_square_rgb():
    image = images.read_image(paths.sample_image())
    assert image.shape == (600, 600, 3) and image.dtype == np.uint8
