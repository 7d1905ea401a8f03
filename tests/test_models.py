import warnings

import numpy as np
import pytest
import tensorflow as tf

from helpers import models


def test_confusion_matrix_counts():
    matrix = models.confusion_matrix([0, 1, 2, 2, 1], [0, 2, 2, 2, 1], 3)
    assert matrix.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 2]]
    assert matrix.sum() == 5


def test_build_cnn_needs_two_classes():
    with pytest.raises(ValueError, match="at least 2 classes"):
        models.build_cnn(1, 32)


def test_predictions_and_labels_come_from_the_same_pass():
    # Each image's brightness encodes its label, and a model that reads brightness is perfect,
    # so any mismatch between labels and predictions would come from pairing two passes.
    labels = np.arange(40) % 2
    images = np.zeros((40, 4, 4, 3), np.float32) + labels[:, None, None, None]
    dataset = (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .shuffle(40, seed=1, reshuffle_each_iteration=True)
        .batch(8)
    )

    class Brightness:
        def __call__(self, X, training=False):
            bright = tf.reduce_mean(X, axis=[1, 2, 3])
            return tf.stack([1 - bright, bright], axis=1)

    got_labels, predictions, got_images = models.predict_in_one_pass(Brightness(), dataset)
    assert (got_labels == predictions).all()
    assert got_images.shape == (40, 4, 4, 3)
    second_pass = np.concatenate([y.numpy() for _, y in dataset])
    assert not (second_pass == predictions).all()  # the trap the helper avoids


def test_fit_ignores_its_shuffle_argument_for_a_dataset_as_lesson_07_says():
    # Lesson 07 passes shuffle=False because Keras 3 ignores the argument for a tf.data
    # dataset (the dataset's own shuffle decides the order) and warns about the default True.
    dataset = tf.data.Dataset.from_tensor_slices((np.zeros((8, 8, 8, 3)), np.arange(8) % 2))
    model = models.build_cnn(2, 8)
    with pytest.warns(UserWarning, match="will be ignored"):
        model.fit(dataset.batch(4), epochs=1, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(dataset.batch(4), epochs=1, shuffle=False, verbose=0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"flip": "diagonal"}, "Incorrect value for `flip`"),
        ({"rotation": 0.75}, "fraction of a full turn"),
        ({"rotation": -0.1}, "fraction of a full turn"),
    ],
)
def test_build_cnn_rejects_unknown_augmentation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        models.build_cnn(2, 16, **kwargs)


def test_build_cnn_augments_only_as_asked():
    def names(model):
        return [layer.name for layer in model.layers if layer.name.startswith("random")]

    assert names(models.build_cnn(2, 16)) == ["random_rotation"]  # neutral default: no flips
    assert names(models.build_cnn(2, 16, rotation=0)) == []
    assert names(models.build_cnn(2, 16, flip="horizontal")) == ["random_flip", "random_rotation"]
