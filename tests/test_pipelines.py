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
