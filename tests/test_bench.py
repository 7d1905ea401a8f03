"""The benchmark runs for real on tiny settings and writes well-formed results."""

import json
import os

import numpy as np
import pytest
import support
from click.testing import CliRunner

from helpers import files, outputs
from helpers.plumbing import bench, cli


def test_repeated_dataset_reaches_the_minimum_with_links(make_dataset, tmp_path):
    src = make_dataset({"a": 3, "b": 2})
    dst = bench.repeated_dataset(src, tmp_path / "big", 12)
    assert sum(files.count_images(dst).values()) == 15  # 5 images x 3 copies
    assert all(p.is_symlink() for p in (dst / "a").iterdir())


@pytest.mark.slow  # trains lesson 07's network on every feed
def test_every_loader_and_every_training_feed_is_measured(make_dataset):
    src = make_dataset({"cats": 5, "dogs": 4}, size=(40, 50))
    result = bench.run_benchmark(
        src, image_size=32, rounds=2, min_images=18, train_image_size=32, progress=False
    )
    assert list(result["images_per_second"]) == list(bench.VARIANTS)
    assert list(result["training_images_per_second"]) == list(bench.TRAINING_FEEDS)
    assert all(len(r) == 2 for r in result["training_rounds"].values())
    assert all(speed > 0 for speed in result["training_images_per_second"].values())
    assert "tf.data / ImageDataGenerator, augmented" in result["ratios"]
    # what TensorFlow chose for this processor (or the path a maintainer forced)
    forced = os.environ.get("TF_ENABLE_ONEDNN_OPTS")
    assert result["config"]["onednn"] is (
        forced == "1" if forced else support.onednn_on_by_itself()
    )
    report = bench.format_report(result)
    assert "of the model alone" in report and "images in memory" in report


def _upper(factor):
    """Keras layers keep a factor as given: one number for ±factor, or a (low, high) pair."""
    return factor[1] if isinstance(factor, tuple | list) else factor


def test_augmentation_is_the_same_both_ways():
    generator, layers = bench.augmenting_generator(), bench.augmentation_layers()
    flip, rotation, zoom, shift = layers.layers
    assert generator.horizontal_flip and not generator.vertical_flip
    assert flip.mode == "horizontal"
    assert generator.rotation_range == pytest.approx(_upper(rotation.factor) * 360)
    for factor in (zoom.height_factor, zoom.width_factor):
        assert list(generator.zoom_range) == pytest.approx([1 - _upper(factor), 1 + _upper(factor)])
    assert generator.width_shift_range == _upper(shift.width_factor)
    assert generator.height_shift_range == _upper(shift.height_factor)
    assert generator.fill_mode == rotation.fill_mode == zoom.fill_mode == shift.fill_mode


def _where_from(batch, row, col, size):
    """For each augmented image: the (x, y) that pixel (row, col) was taken from, in pixels."""
    return np.stack([batch[:, row, col, 0], batch[:, row, col, 1]], axis=1) * (size - 1)


@pytest.mark.parametrize("probe", ["centre", "off centre"])
def test_one_warp_moves_pixels_as_far_as_the_generator_and_the_layers(probe):
    """Pixels whose colour codes their position: red is x, green is y. The three ways give the
    same spread of displacements: at the centre only the shifts move a pixel, off-centre
    the flips, rotations and zooms add to them."""
    size, draws = 65, 300
    ys, xs = np.mgrid[0:size, 0:size] / (size - 1)
    image = np.stack([xs, ys, np.zeros_like(xs)], axis=-1).astype(np.float32)
    batch = np.repeat(image[np.newaxis], draws, axis=0)
    row = col = 32 if probe == "centre" else 16
    generator = bench.augmenting_generator()
    ways = {
        "ImageDataGenerator": np.stack(
            [generator.random_transform(image, seed=i) for i in range(draws)]
        ),
        "layers": np.asarray(bench.augmentation_layers()(batch, training=True)),
        "one warp": np.asarray(bench.one_warp_augmentation()(batch, training=True)),
    }
    moved = {
        name: float(np.linalg.norm(_where_from(out, row, col, size) - [col, row], axis=1).mean())
        for name, out in ways.items()
    }
    assert moved["one warp"] > 1, moved
    assert moved["one warp"] == pytest.approx(moved["ImageDataGenerator"], rel=0.2), moved
    # the layers warp one after another, each about its own result: up to 20 % farther
    assert moved["one warp"] == pytest.approx(moved["layers"], rel=0.25), moved


@pytest.mark.slow  # trains lesson 07's network on every feed
def test_cli_bench_writes_json_and_plot(make_dataset, tmp_path):
    src = make_dataset({"cats": 4, "dogs": 4}, size=(40, 50), suffix=".png")
    out_json, out_png = tmp_path / "out" / "bench.json", tmp_path / "out" / "bench.png"
    result = CliRunner().invoke(
        cli.main,
        [
            "bench",
            "--data-dir",
            str(src),
            "--json",
            str(out_json),
            "--plot",
            str(out_png),
            "--rounds",
            "1",
            "--images",
            "16",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "same output: bilinear resize" in result.output
    saved = json.loads(out_json.read_text(encoding="utf-8"))
    assert list(saved["images_per_second"]) == list(bench.VARIANTS)
    assert all(speed > 0 for speed in saved["images_per_second"].values())
    assert all(len(rounds) == 1 for rounds in saved["rounds"].values())
    assert saved["config"]["images"] == 16  # 8 images repeated up to --images
    assert list(saved["training_images_per_second"]) == list(bench.TRAINING_FEEDS)
    assert saved["cache_megabytes"]["uint8"] * 4 == saved["cache_megabytes"]["float32"]
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert outputs.sealed_by(out_json) == outputs.sealed_by(out_png) == bench.MADE_BY


def test_bench_rejects_zero_rounds():
    result = CliRunner().invoke(cli.main, ["bench", "--rounds", "0"])
    assert result.exit_code == 2 and "'--rounds': 0 is not in the range x>=1" in result.output


def test_bench_rejects_zero_images():
    result = CliRunner().invoke(cli.main, ["bench", "--images", "0"])
    assert result.exit_code == 2 and "'--images': 0 is not in the range x>=1" in result.output
