"""Real TensorFlow / Keras on small datasets built in temporary folders."""

import numpy as np
import pytest

from helpers import pipelines, split


@pytest.fixture
def split_dir(make_dataset, tmp_path):
    src = make_dataset({"Kirmizi": 10, "Siirt": 10, "Uzun": 5}, size=(30, 40), suffix=".png")
    split.split_dataset(src, tmp_path / "split", (0.7, 0.3), seed=42)
    return tmp_path / "split"


def test_three_iterators_shapes_and_labels(split_dir, capsys):
    train, val, test = pipelines.image_generators(
        split_dir / "train", split_dir / "val", image_size=(20, 24), batch_size=4
    )
    printed = capsys.readouterr().out
    assert "belonging to 3 classes" in printed
    assert train.class_indices == {"Kirmizi": 0, "Siirt": 1, "Uzun": 2}
    X, y = next(train)
    assert X.shape == (4, 20, 24, 3) and X.dtype == np.float32
    assert X.min() >= 0.0 and X.max() <= 1.0
    assert set(np.unique(y)) <= {0.0, 1.0, 2.0}
    assert train.samples + val.samples == 17  # 7 + 7 + 3 training images
    assert next(test).shape == (1, 20, 24, 3)  # no labels for the test iterator
    assert test.samples == 8


def test_hidden_checkpoint_folder_is_not_a_class(split_dir):
    (split_dir / "train" / ".ipynb_checkpoints").mkdir()
    train, _, _ = pipelines.image_generators(split_dir / "train", split_dir / "val", verbose=False)
    assert list(train.class_indices) == ["Kirmizi", "Siirt", "Uzun"]


def test_validation_takes_first_files_whatever_the_seed(split_dir):
    _, val_a, _ = pipelines.image_generators(
        split_dir / "train", split_dir / "val", seed=1, verbose=False
    )
    _, val_b, _ = pipelines.image_generators(
        split_dir / "train", split_dir / "val", seed=2, verbose=False
    )
    assert val_a.filenames == val_b.filenames


def test_test_iterator_keeps_file_order(split_dir):
    _, _, test = pipelines.image_generators(split_dir / "train", split_dir / "val", verbose=False)
    assert test.filenames == sorted(test.filenames)


def test_quiet_mode_prints_nothing(split_dir, capsys):
    pipelines.image_generators(split_dir / "train", split_dir / "val", verbose=False)
    assert capsys.readouterr().out == ""


def test_one_level_too_high_is_refused(split_dir):
    with pytest.raises(ValueError, match=r"one level too high.*\['train', 'val'\]"):
        pipelines.image_generators(split_dir, split_dir / "val")


@pytest.mark.parametrize("fraction", [0, 1, 1.5])
def test_bad_validation_split(split_dir, fraction):
    with pytest.raises(ValueError, match="validation_split"):
        pipelines.image_generators(
            split_dir / "train", split_dir / "val", validation_split=fraction
        )


def test_class_names_follow_indices(split_dir):
    train, _, _ = pipelines.image_generators(split_dir / "train", split_dir / "val", verbose=False)
    assert pipelines.class_names(train) == ["Kirmizi", "Siirt", "Uzun"]


@pytest.mark.parametrize("cache", [None, "uint8", "float32"])
def test_image_dataset_cache_modes_give_the_same_batches(make_dataset, cache):
    root = make_dataset({"a": 5, "b": 4}, size=(30, 20), suffix=".png")
    dataset, names = pipelines.image_dataset(root, image_size=16, batch_size=4, cache=cache)
    reference, _ = pipelines.image_dataset(root, image_size=16, batch_size=4)
    for _epoch in range(2):  # the second epoch reads from the cache
        got = np.concatenate([x.numpy() for x, _ in dataset])
        expected = np.concatenate([x.numpy() for x, _ in reference])
        assert got.shape == (9, 16, 16, 3) and got.dtype == np.float32
        assert np.abs(got - expected).max() <= 0.5 / 255 + 1e-6  # uint8 rounding at most
    assert names == ["a", "b"]


@pytest.mark.parametrize("cache", [None, "uint8"])
def test_shuffled_dataset_reshuffles_every_epoch(make_dataset, cache):
    root = make_dataset({"a": 10, "b": 10}, size=(8, 8))
    dataset, _ = pipelines.image_dataset(root, image_size=8, shuffle=True, seed=3, cache=cache)
    epochs = [np.concatenate([y.numpy() for _, y in dataset]) for _ in range(3)]
    assert all(sorted(e) == [0] * 10 + [1] * 10 for e in epochs)
    assert not (np.array_equal(epochs[0], epochs[1]) and np.array_equal(epochs[1], epochs[2]))


def test_image_dataset_skips_hidden_folders_and_rejects_bad_cache(make_dataset):
    root = make_dataset({"a": 2, "b": 2})
    (root / ".ipynb_checkpoints").mkdir()
    _, names = pipelines.image_dataset(root, image_size=8)
    assert names == ["a", "b"]
    with pytest.raises(ValueError, match="Incorrect value for `cache`"):
        pipelines.image_dataset(root, cache="disk")


def test_image_dataset_switches_autotune_off_unless_asked(make_dataset):
    root = make_dataset({"a": 3, "b": 3}, size=(12, 10))
    steady, _ = pipelines.image_dataset(root, image_size=8, batch_size=4)
    default, _ = pipelines.image_dataset(root, image_size=8, batch_size=4, autotune=True)
    assert steady.options().autotune.enabled is False
    assert default.options().autotune.enabled is not False  # TensorFlow's own default: on
    for (x_steady, y_steady), (x_default, y_default) in zip(steady, default, strict=True):
        np.testing.assert_array_equal(x_steady.numpy(), x_default.numpy())
        np.testing.assert_array_equal(y_steady.numpy(), y_default.numpy())


def test_disable_autotune_keeps_the_other_options():
    import tensorflow as tf

    options = tf.data.Options()
    options.deterministic = False
    dataset = pipelines.disable_autotune(tf.data.Dataset.range(4).with_options(options))
    assert dataset.options().autotune.enabled is False
    assert dataset.options().deterministic is False
    assert [int(x) for x in dataset] == [0, 1, 2, 3]


# Decoding JPEGs at the size the resize needs (issue 28) -----------------------------------


def _photo(height, width, seed=0):
    """Like a phone photo, not flat colour: smooth gradients, blotches, a drawn nut, noise."""
    import cv2

    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height, dtype=np.float32)[:, np.newaxis]
    x = np.linspace(0, 1, width, dtype=np.float32)[np.newaxis, :]
    image = np.empty((height, width, 3), np.float32)
    for channel in range(3):
        a, b, phase = rng.uniform(0.5, 3, 3)
        image[..., channel] = 128 + 60 * np.sin(np.pi * a * x + phase) * np.cos(np.pi * b * y)
    blotches = rng.normal(0, 25, (height // 100 + 2, width // 100 + 2, 3)).astype(np.float32)
    image += cv2.resize(blotches, (width, height), interpolation=cv2.INTER_CUBIC)
    centre, axes = (width // 2, height // 2), (width // 5, height // 6)
    cv2.ellipse(image, centre, axes, 30, 0, 360, (40, 160, 60), -1, cv2.LINE_AA)
    cv2.ellipse(image, centre, axes, 30, 0, 360, (20, 20, 20), max(2, width // 160), cv2.LINE_AA)
    image += 8 * rng.standard_normal(image.shape, dtype=np.float32)  # sensor noise
    return np.clip(image, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def phone_photo(tmp_path_factory):
    """A 12-megapixel JPEG (4000 x 3000, quality 90), as an instructor's phone takes them."""
    from helpers import images

    path = tmp_path_factory.mktemp("phone") / "photo.jpg"
    return images.write_image(path, _photo(3000, 4000), quality=90)


def _resized_both_ways(path, size):
    """An image resized (bilinear) after a full decode, after `decode_for_size`, and by area."""
    import cv2
    import tensorflow as tf

    contents = tf.io.read_file(str(path))
    full = tf.io.decode_image(contents, channels=3, expand_animations=False)
    reduced = pipelines.decode_for_size(contents, size)
    area = cv2.resize(full.numpy(), (size, size), interpolation=cv2.INTER_AREA)
    resized = [tf.image.resize(image, (size, size)).numpy() for image in (full, reduced)]
    return *resized, area.astype(np.float32), tuple(reduced.shape)


@pytest.mark.parametrize(
    ("height", "width", "size", "ratio"),
    [
        (3000, 4000, 160, 8),  # 375 x 500
        (3000, 4000, 224, 8),
        (3000, 4000, 400, 4),  # 750 x 1000
        (600, 600, 224, 2),  # the sample: 300 x 300
        (600, 600, 300, 2),
        (600, 600, 301, 1),
        (150, 600, 64, 2),  # the shorter side decides
        (17, 33, 3, 8),  # libjpeg rounds up: ceil(17 / 8) = 3 and ceil(33 / 8) = 5
        (17, 33, 4, 4),
        (100, 100, 100, 1),
    ],
)
def test_jpeg_ratio_is_the_largest_that_keeps_the_target_size(height, width, size, ratio):
    assert pipelines.jpeg_ratio(height, width, size) == ratio
    assert pipelines.jpeg_ratio(height, width, (size, size)) == ratio


def test_jpeg_ratio_takes_height_and_width_targets_apart():
    assert pipelines.jpeg_ratio(600, 600, (300, 70)) == 2
    assert pipelines.jpeg_ratio(600, 600, (70, 70)) == 8


@pytest.mark.parametrize("size", [1, 8, 20, 40, 75, 76, 150, 151, 301])
def test_decode_for_size_chooses_in_the_graph_as_jpeg_ratio_does(tmp_path, size):
    import tensorflow as tf

    from helpers import images

    for height, width in [(601, 603), (160, 600), (37, 300)]:
        path = images.write_image(tmp_path / f"{height}x{width}.jpg", _photo(height, width))
        ratio = pipelines.jpeg_ratio(height, width, size)
        shape = pipelines.decode_for_size(tf.io.read_file(str(path)), size).shape
        assert tuple(shape) == (-(-height // ratio), -(-width // ratio), 3), (height, width)
        # inside a tf.function (a tf.data map): one graph for every size of image
        traced = tf.function(lambda c: pipelines.decode_for_size(c, size))
        assert tuple(traced(tf.io.read_file(str(path))).shape) == tuple(shape)


@pytest.mark.parametrize("suffix", [".png", ".bmp"])
def test_decode_for_size_decodes_other_formats_in_full(tmp_path, suffix):
    import tensorflow as tf

    from helpers import images

    pixels = _photo(120, 200)
    path = images.write_image(tmp_path / f"photo{suffix}", pixels)
    decoded = pipelines.decode_for_size(tf.io.read_file(str(path)), 16)
    np.testing.assert_array_equal(decoded.numpy(), pixels)


def test_decode_for_size_gives_grayscale_jpegs_three_channels(tmp_path):
    import tensorflow as tf

    from helpers import images

    gray = _photo(64, 96)[..., 1]
    path = images.write_image(tmp_path / "gray.jpg", gray)
    decoded = pipelines.decode_for_size(tf.io.read_file(str(path)), 16)
    assert tuple(decoded.shape) == (16, 24, 3) and decoded.dtype == tf.uint8


@pytest.mark.parametrize(
    ("size", "measured"),
    # Mean absolute difference, in grey levels (0-255), between a full decode + bilinear resize
    # and a 1/8 decode + bilinear resize, measured on this photo on 2026-12-05. It is the noise
    # the bilinear resize of the full photo keeps (4 pixels out of every 19 x 19 to 25 x 25
    # area), where the 1/8 decode keeps each 8 x 8 block's average: the reduced result is the
    # nearer of the two to an exact area average of the full photo.
    [(160, 4.0), (224, 3.4)],
)
def test_reduced_decode_of_a_phone_photo_stays_close_to_the_full_decode(
    phone_photo, size, measured
):
    full, reduced, area, decoded_shape = _resized_both_ways(phone_photo, size)
    assert decoded_shape == (375, 500, 3)  # 1/8 of 3000 x 4000, both sides still >= size
    assert full.shape == reduced.shape == (size, size, 3)
    difference = float(np.abs(full - reduced).mean())
    assert difference < measured + 1.0, difference  # tolerance: 1 grey level above measured
    assert np.abs(reduced - area).mean() < np.abs(full - area).mean()


@pytest.mark.parametrize("size", [160, 224])
def test_reduced_decode_of_the_sample_stays_close_to_the_full_decode(size):
    from helpers import paths

    for path in sorted(paths.SAMPLE_DIR.rglob("*.jpg"))[::10]:
        full, reduced, _, decoded_shape = _resized_both_ways(path, size)
        assert decoded_shape == (300, 300, 3)  # 600 / 2 = 300 >= size; 600 / 4 = 150 is not
        difference = float(np.abs(full - reduced).mean())
        # measured 0.8 to 1.3 grey levels (mean 1.0) on the 60 drawn 600 x 600 nuts of the
        # sample at 160 and 224 (2026-12-05); far less noise than a phone photo
        assert difference < 1.5, (path.name, difference)


def test_image_dataset_decodes_jpegs_reduced_unless_asked(make_dataset, tmp_path):
    root = make_dataset({"a": 3, "b": 3}, size=(48, 64))  # JPEGs: 1/2 still gives 24 x 32
    reduced, _ = pipelines.image_dataset(root, image_size=20, batch_size=4)
    full, _ = pipelines.image_dataset(root, image_size=20, batch_size=4, reduced_decode=False)
    for (x_reduced, y_reduced), (x_full, y_full) in zip(reduced, full, strict=True):
        assert x_reduced.shape == x_full.shape and x_reduced.dtype == x_full.dtype
        assert x_reduced.numpy().min() >= 0 and x_reduced.numpy().max() <= 1
        np.testing.assert_array_equal(y_reduced.numpy(), y_full.numpy())
        assert 0 < np.abs(x_reduced.numpy() - x_full.numpy()).mean() < 0.1  # random pixels
    pngs = make_dataset({"a": 2, "b": 2}, root=tmp_path / "pngs", size=(48, 64), suffix=".png")
    batches = [
        next(iter(pipelines.image_dataset(pngs, image_size=20, reduced_decode=flag)[0]))[0]
        for flag in (True, False)
    ]
    np.testing.assert_array_equal(*batches)  # PNGs: decoded in full either way
