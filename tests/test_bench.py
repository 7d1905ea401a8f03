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


def test_a_larger_dataset_gives_at_most_max_images_taking_the_classes_in_turn(
    make_dataset, tmp_path
):
    src = make_dataset({"a": 7, "b": 2, "c": 4})
    dst = bench.repeated_dataset(src, tmp_path / "part", 6, max_images=6)
    assert files.count_images(dst) == {"a": 2, "b": 2, "c": 2}  # the classes in turn
    dst = bench.repeated_dataset(src, tmp_path / "more", 20, max_images=20)  # repeated, then cut
    assert files.count_images(dst) == {"a": 8, "b": 4, "c": 8}  # b has only 2 x 2
    assert len({p.resolve() for p in (dst / "b").iterdir()}) == 2


def test_a_pass_of_large_photos_holds_fewer_images(make_dataset, tmp_path):
    """The lesson's cap: 150 megapixels per pass, but at least 16 images."""
    small = make_dataset({"a": 3, "b": 3}, root=tmp_path / "small", size=(60, 50))  # 0.003 MP
    large = make_dataset({"a": 8, "b": 3}, root=tmp_path / "large", size=(1200, 1000))  # 1.2 MP
    assert bench.pass_size(small, 200, max_megapixels=150) == 200
    assert bench.pass_size(large, 200, max_megapixels=150) == 125
    assert bench.pass_size(large, 200, max_megapixels=6) == bench.MIN_PASS_IMAGES
    assert bench.pass_size(large, 200) == 200  # no cap: what make bench measures
    result = bench.run_benchmark(
        large, image_size=16, rounds=1, min_images=200, max_megapixels=24,
        train_image_size=None, progress=False,
    )  # fmt: skip
    assert result["config"]["images"] == 20


def test_a_dataset_data_check_refuses_is_named_before_measuring(make_dataset, tmp_path):
    """A text file named .jpg once stopped TensorFlow mid-benchmark naming no file."""
    src = make_dataset({"cats": 8, "dogs": 8})
    (src / "cats" / "notes.jpg").write_text("not a photo", encoding="utf-8")
    result = support.helpers_cli(
        "bench", "--data-dir", str(src), "--rounds", "1", "--images", "8", cwd=tmp_path
    )
    support.assert_one_line_error(result, "cats/notes.jpg", "data check", "data prepare")
    assert "images/s" not in result.stdout


@pytest.mark.slow  # trains lesson 07's network on every feed
def test_every_loader_and_every_training_feed_is_measured(make_dataset):
    src = make_dataset({"cats": 8, "dogs": 4}, size=(40, 50))
    result = bench.run_benchmark(
        src, image_size=32, rounds=2, min_images=18, train_image_size=32, progress=False
    )
    assert list(result["images_per_second"]) == list(bench.VARIANTS)
    assert list(result["training_images_per_second"]) == list(bench.TRAINING_FEEDS)
    assert all(len(r) == 2 for r in result["training_rounds"].values())
    assert all(speed > 0 for speed in result["training_images_per_second"].values())
    assert "tf.data / ImageDataGenerator, augmented" in result["ratios"]
    speed, ratios = result["images_per_second"], result["ratios"]
    assert ratios["tf.data reduced decode / full decode"] == pytest.approx(
        speed["tf.data, reduced decode"] / speed["tf.data"]
    )
    assert ratios["tf.data / loop, all cores, both reduced"] == pytest.approx(
        speed["tf.data, reduced decode"] / speed["loop, all cores, reduced decode"]
    )
    # what TensorFlow chose for this processor (or the path a maintainer forced)
    forced = os.environ.get("TF_ENABLE_ONEDNN_OPTS")
    assert result["config"]["onednn"] is (
        forced == "1" if forced else support.onednn_on_by_itself()
    )
    report = bench.format_report(result)
    assert "of the model alone" in report and "images in memory" in report
    assert "tf.data reduced decode / full decode" in report


def test_the_core_view_keeps_lesson_06_section_5_lines_and_draws_them_on_a_linear_scale():
    """The one-day workshop ends on section 5: its report and plot show the core lines only."""
    import matplotlib.pyplot as plt

    from helpers import plotting

    speeds = {name: 100.0 + i for i, name in enumerate(bench.VARIANTS)}
    speeds["tf.data, cached float32"] = 50_000.0  # what made the whole plot logarithmic
    result = {
        "config": {"images": 200, "cores": 2, "rounds": 3, "data_dir": "d", "output": "o"},
        "images_per_second": speeds,
        "rounds": {name: [speed] for name, speed in speeds.items()},
        "ratios": {name: 1.0 for name in [*bench.CORE_RATIOS, "cached uint8 / uncached"]},
        "training_images_per_second": {},
        "cache_megabytes": {"uint8": 1.0, "float32": 4.0},
        "memory_megabytes": {"images": 2, "list of decoded images": 1.0, "generator": 0.1},
    }
    core = bench.core_view(result)
    assert set(bench.CORE_LINES) <= set(bench.VARIANTS)
    assert list(core["images_per_second"]) == list(bench.CORE_LINES)
    assert list(core["ratios"]) == list(bench.CORE_RATIOS) and "rounds" in core
    report = bench.format_report(core)
    assert "cached" not in report and "Cache size" not in report and "Peak memory" not in report
    assert "cached" in bench.format_report(result) and "Peak memory" in bench.format_report(result)
    for shown, scale in ((core, "linear"), (result, "log")):
        fig = plotting.plot_benchmark(shown)
        assert fig.axes[0].get_xscale() == scale
        plt.close(fig)


def test_reduced_variants_sit_next_to_the_full_decode_they_are_compared_with():
    variants = list(bench.VARIANTS)
    for full in ("loop, all cores", "tf.data"):
        assert variants.index(f"{full}, reduced decode") == variants.index(full) + 1


def test_reduced_decode_variants_decode_like_the_full_ones(make_dataset):
    """JPEGs of 96 x 128 resized to 32 x 32: decoded at 1/2 by both reduced variants."""
    root = make_dataset({"cats": 5, "dogs": 4}, size=(96, 128))
    variants = bench._variants(root, 32, 8)
    batches = {
        name: np.concatenate([np.asarray(x) for x in variants[name]()])
        for name in bench.VARIANTS[:7]  # the loaders without cache or augmentation
    }
    assert all(x.shape == (9, 32, 32, 3) and x.dtype == np.float32 for x in batches.values())
    # the lines they are compared with decode in full, as image_dataset_from_directory does
    np.testing.assert_allclose(
        batches["tf.data"], batches["image_dataset_from_directory"], atol=1e-6
    )
    for full in ("loop, all cores", "tf.data"):
        reduced, whole = batches[f"{full}, reduced decode"], batches[full]
        # random pixels, the worst case: the 1/2 decode averages what the resize samples
        assert 0 < np.abs(reduced - whole).mean() < 0.1, full
    # OpenCV and TensorFlow decode at 1/2 alike (both use libjpeg-turbo's DCT scaling)
    reduced_tf, reduced_cv = (
        batches["tf.data, reduced decode"],
        batches["loop, all cores, reduced decode"],
    )
    assert np.abs(reduced_tf - reduced_cv).mean() < 2 / 255


@pytest.mark.parametrize(("size", "ratio"), [(16, 4), (30, 2), (60, 1)])
def test_load_reduced_chooses_the_ratio_as_the_pipeline_does(tmp_path, monkeypatch, size, ratio):
    from helpers import images, pipelines

    path = images.write_image(tmp_path / "photo.jpg", np.full((72, 100, 3), 90, np.uint8))
    assert pipelines.jpeg_ratio(72, 100, size) == ratio
    flags = []
    decode = bench.cv2.imdecode
    monkeypatch.setattr(bench.cv2, "imdecode", lambda b, f: flags.append(f) or decode(b, f))
    image = bench.load_reduced(path, size)
    assert flags == [bench.REDUCED_COLOR[ratio] | bench.cv2.IMREAD_IGNORE_ORIENTATION]
    assert image.shape == (size, size, 3) and image.dtype == np.float32
    np.testing.assert_allclose(image, 90 / 255, atol=2 / 255)


def test_load_reduced_decodes_a_png_in_full(tmp_path, monkeypatch):
    from helpers import images

    pixels = np.random.default_rng(0).integers(0, 256, (72, 100, 3), dtype=np.uint8)
    path = images.write_image(tmp_path / "photo.png", pixels)
    np.testing.assert_array_equal(bench.load_reduced(path, 16), images.load_resized(path, 16))


def test_memory_list_stays_small_for_large_photos(make_dataset, monkeypatch):
    from helpers import pipelines

    root = make_dataset({"a": 30, "b": 30}, size=(40, 50))
    found, _, _ = pipelines.list_labelled_files(root)
    assert len(bench._memory_sample(found)) == 50  # small images: the first 50
    monkeypatch.setattr(bench, "MEMORY_LIST_BYTES", 10 * 40 * 50 * 3)
    assert len(bench._memory_sample(found)) == 10  # 12-megapixel photos: 300 MB of them
    monkeypatch.setattr(bench, "MEMORY_LIST_BYTES", 1)
    assert len(bench._memory_sample(found)) == 1  # always at least one


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
    src = make_dataset({"cats": 8, "dogs": 4}, size=(40, 50), suffix=".png")
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
            "24",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "same output: bilinear resize" in result.output
    saved = json.loads(out_json.read_text(encoding="utf-8"))
    assert list(saved["images_per_second"]) == list(bench.VARIANTS)
    assert all(speed > 0 for speed in saved["images_per_second"].values())
    assert all(len(rounds) == 1 for rounds in saved["rounds"].values())
    assert saved["config"]["images"] == 24  # 12 images repeated up to --images
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
