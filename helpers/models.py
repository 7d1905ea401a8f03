"""A first image classifier and how to judge it (lesson 07, *Train a classifier*).

TensorFlow is imported inside the functions, as in `helpers.pipelines`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers import BadInput

__all__ = ["FLIPS", "build_cnn", "confusion_matrix", "predict_in_one_pass"]


#: ``RandomFlip`` modes `build_cnn` accepts; None means no flips.
FLIPS = (None, "horizontal", "vertical", "horizontal_and_vertical")


def build_cnn(
    num_classes: int,
    image_size: int,
    *,
    flip: str | None = None,
    rotation: float = 0.03,
    learning_rate: float = 3e-3,
    seed: int = 42,
) -> Any:
    """A small convolutional network with augmentation layers, compiled and ready to fit.

    Parameters
    ----------
    num_classes : int
        Number of classes (at least 2).
    image_size : int
        Input images are ``(image_size, image_size, 3)`` float32 in [0, 1].
    flip : {None, "horizontal", "vertical", "horizontal_and_vertical"}, optional
        Random flips while training. None (the default) suits any data; digits,
        text and street scenes must not be flipped.
    rotation : float, optional
        Largest random rotation, as a fraction of a full turn (0.03 is about 11°;
        0 for none).
    learning_rate : float, optional
        Step size of the Adam optimiser.
    seed : int, optional
        Seed of the augmentation layers and the initial weights.

    Returns
    -------
    keras.Model
        The augmentation layers (active only while training), three
        convolution blocks, global average pooling and a dense output of
        logits; compiled with Adam and sparse categorical cross-entropy.

    Raises
    ------
    ValueError
        If `num_classes` is below 2, `flip` is unknown or `rotation` is not in [0, 0.5].

    Notes
    -----
    The tidied version of the network written out in notebook 07, which
    chooses ``flip="horizontal_and_vertical", rotation=0.25`` for the pistachio
    photos (a nut seen from above has no up and no left). About 19,000
    weights (19,058 for 2 classes, whatever the image size), so it trains in
    seconds per epoch on a laptop CPU.

    Examples
    --------
    >>> model = build_cnn(2, 64)
    >>> model.output_shape, model.count_params()
    ((None, 2), 19058)
    >>> [layer.name for layer in build_cnn(2, 64, flip="horizontal").layers[:2]]
    ['random_flip', 'random_rotation']
    """
    import keras

    if num_classes < 2:
        raise BadInput(f"A classifier needs at least 2 classes, got {num_classes}.")
    if flip not in FLIPS:
        raise BadInput(f"Incorrect value for `flip`: {flip!r}; expected one of {FLIPS}.")
    if not 0 <= rotation <= 0.5:
        raise BadInput(f"`rotation` is a fraction of a full turn in [0, 0.5], got {rotation}.")
    keras.utils.set_random_seed(seed)
    layers = keras.layers
    augmentation = []
    if flip:
        augmentation.append(layers.RandomFlip(flip, seed=seed, name="random_flip"))
    if rotation:
        augmentation.append(
            layers.RandomRotation(rotation, fill_mode="constant", seed=seed, name="random_rotation")
        )
    model = keras.Sequential(
        [
            keras.Input((image_size, image_size, 3)),
            *augmentation,
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(48, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes),
        ],
        name="small_cnn",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def predict_in_one_pass(model: Any, dataset: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, predictions and images from the *same* pass over a dataset.

    Parameters
    ----------
    model : keras.Model
        A trained classifier that outputs one score per class.
    dataset : tf.data.Dataset
        Yields ``(X, y)`` batches.

    Returns
    -------
    labels, predictions, images : numpy.ndarray
        True labels, predicted labels (argmax of the scores) and the images,
        in the order the dataset gave them.

    Notes
    -----
    Calling ``model.predict(dataset)`` and then collecting labels with a second
    loop pairs them wrongly when the dataset shuffles (each pass has a new
    order). Taking both from one pass is always right.

    Examples
    --------
    >>> import tensorflow as tf
    >>> data = tf.data.Dataset.from_tensor_slices((np.zeros((3, 8, 8, 3)), [0, 1, 1])).batch(2)
    >>> labels, predicted, images = predict_in_one_pass(build_cnn(2, 8), data)
    >>> labels.tolist(), predicted.shape, images.shape
    ([0, 1, 1], (3,), (3, 8, 8, 3))
    """
    labels, predictions, images = [], [], []
    for X, y in dataset:
        scores = model(X, training=False)
        labels.append(np.asarray(y))
        predictions.append(np.asarray(scores).argmax(axis=1))
        images.append(np.asarray(X))
    return np.concatenate(labels), np.concatenate(predictions), np.concatenate(images)


def confusion_matrix(labels: Any, predictions: Any, num_classes: int) -> np.ndarray:
    """Count how often each true class (row) was predicted as each class (column).

    Parameters
    ----------
    labels, predictions : array-like of int
        True and predicted class indices.
    num_classes : int
        Size of the matrix.

    Returns
    -------
    numpy.ndarray of int
        ``(num_classes, num_classes)``; the diagonal holds the correct predictions.

    Examples
    --------
    >>> confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], 2)
    array([[1, 1],
           [0, 2]])
    """
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(matrix, (np.asarray(labels, int), np.asarray(predictions, int)), 1)
    return matrix
