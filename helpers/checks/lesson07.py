"""Self-checks of lesson 07, Train a classifier (see `helpers.checks`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks import answered, check, passed, require

__all__ = ["exercise_7_1", "exercise_7_2", "exercise_7_3", "exercise_7_4"]


def _settings(network: Any) -> tuple[list[dict], str, dict]:
    """Every layer's settings (without its name), and the optimiser's kind and settings."""
    layers = [
        {key: value for key, value in layer.get_config().items() if key != "name"}
        for layer in network.layers
    ]
    optimizer = getattr(network, "optimizer", None)
    config = {}
    if optimizer is not None:
        config = {k: v for k, v in optimizer.get_config().items() if k != "name"}
        config = {k: float(v) if isinstance(v, np.floating) else v for k, v in config.items()}
    return layers, type(optimizer).__name__, config


@check
def exercise_7_1(model_2: Any, history_2: Any, model: Any, val_ds: Any) -> None:
    """Exercise 7.1: ``model_2``, a network with one change from `model`, and ``history_2``.

    The check compares the two networks layer by layer (and their learning rates), runs
    `model_2` on a batch of blank images, and makes sure `history_2` is the history of
    training `model_2` itself, validated on `val_ds`: the loss `model_2` has on `val_ds` now
    must be one of the validation losses in `history_2` (the last, or the best one if the
    best weights were restored), which the test or training set would not give.

    Examples
    --------
    >>> exercise_7_1(model_2, history_2, model, val_ds)  # doctest: +SKIP
    Exercise 7.1: passed (model_2 trained for 3 epochs)
    """
    answered(model_2=model_2, history_2=history_2)
    import keras

    require(
        isinstance(model_2, keras.Model),
        f"model_2 should be a Keras network, keras.Sequential(...), not {type(model_2).__name__}.",
    )
    require(model_2 is not model, "build a new network with keras.Sequential, not `model`.")
    first_layers = [layer for layer in model.layers if layer.trainable_weights]
    shared = [layer.name for layer in model_2.layers if any(layer is o for o in first_layers)]
    require(
        not shared,
        f"model_2 reuses the layers {shared} of `model`: their weights are shared, so training "
        "model_2 changes `model` too. Make new layers, layers.Conv2D(...), for model_2.",
    )
    require(
        getattr(model_2, "optimizer", None) is not None,
        "compile model_2 (model_2.compile(...)) before you train it.",
    )
    require(
        _settings(model_2) != _settings(model),
        "model_2 is the same network as model. Change one thing: a layer, its settings, or "
        "the learning rate.",
    )
    loss = getattr(model_2, "loss", None)
    from_logits = bool(getattr(loss, "get_config", dict)().get("from_logits"))
    last = model_2.layers[-1].get_config().get("activation") if model_2.layers else None
    require(
        not (from_logits and last == "softmax"),
        "model_2's last layer turns its scores into probabilities (softmax), but the loss "
        "expects raw scores (from_logits=True): the two would apply softmax twice. Keep the "
        "last Dense layer without an activation, as in section 4.",
    )
    blank = np.zeros((2, *model.input_shape[1:]), np.float32)
    try:
        scores = model_2(blank, training=False)
    except Exception as error:
        require(
            False,
            f"model_2 fails on a batch of images of shape {blank.shape}: "
            f"{type(error).__name__}: {error}",
        )
    num_classes = model.output_shape[-1]
    require(
        tuple(scores.shape) == (2, num_classes),
        f"model_2 should give one score per class for every image, ({num_classes} numbers "
        f"each: Dense(len(class_names)) last); it gives an output of shape {tuple(scores.shape)}.",
    )
    require(
        isinstance(history_2, keras.callbacks.History) and history_2.model is model_2,
        "history_2 should be what model_2.fit(...) returns.",
    )
    epochs = len(history_2.epoch)
    require(
        epochs >= 3 and len(history_2.history.get("loss", [])) == epochs,
        f"history_2 holds {epochs} epochs: train model_2 for 3, model_2.fit(..., epochs=3).",
    )
    require(
        "val_loss" in history_2.history,
        "history_2 has no validation numbers: pass validation_data=val_ds to model_2.fit.",
    )
    loss_now = model_2.evaluate(val_ds, verbose=0, return_dict=True)["loss"]
    require(
        any(np.isclose(loss_now, v, rtol=1e-5, atol=1e-7) for v in history_2.history["val_loss"]),
        f"model_2's loss on val_ds is {loss_now:.4f}, but no validation loss in history_2 is "
        "(they are " + ", ".join(f"{v:.4f}" for v in history_2.history["val_loss"]) + "): "
        "validate on val_ds, model_2.fit(..., validation_data=val_ds), not on the test or "
        "training images, and do not train model_2 again after the fit that gave history_2.",
    )
    passed("7.1", f"model_2 trained for {epochs} epochs")


def _case(sizes: list[int], mistaken: dict[int, int], shuffle: bool) -> tuple[Any, Any, Any]:
    """A made-up dataset whose "images" are one-hot rows of their label, and a network that
    recognises every class except the `mistaken` ones (class → the class it says instead).

    Returns the network, the dataset (batches of 32, reshuffled at every pass if `shuffle`),
    and what each class is predicted as.
    """
    import keras
    import tensorflow as tf

    num_classes = len(sizes)
    labels = np.repeat(np.arange(num_classes), sizes)
    predicted_as = np.array([mistaken.get(c, c) for c in range(num_classes)])
    model = keras.Sequential([keras.Input((num_classes,)), keras.layers.Dense(num_classes)])
    weights = np.eye(num_classes, dtype=np.float32)[predicted_as]  # row c: the scores of c
    model.layers[0].set_weights([weights, np.zeros(num_classes, np.float32)])
    rows = np.eye(num_classes, dtype=np.float32)[labels]
    dataset = tf.data.Dataset.from_tensor_slices((rows, labels.astype(np.int32)))
    if shuffle:
        dataset = dataset.shuffle(len(labels), seed=7, reshuffle_each_iteration=True)
    return model, dataset.batch(32), predicted_as


@check
def exercise_7_2(mismatched_accuracy: Callable, matched_accuracy: Callable) -> None:
    """Exercise 7.2: ``mismatched_accuracy(model, dataset)`` (labels from a second pass) and
    ``matched_accuracy(model, dataset)`` (labels and predictions from one pass).

    The check builds small datasets and networks of its own, for which it knows both
    answers: two shuffled datasets (3 classes of 200, 100 and 300 with one class always
    mistaken; 2 classes of 540 and 60, all recognised), where two passes pair labels and
    predictions at random, near the *chance level*; and a dataset that is not shuffled (4
    classes), where both accuracies agree.

    Examples
    --------
    >>> from helpers import models
    >>> def mismatched_accuracy(model, dataset):
    ...     scores = model.predict(dataset, verbose=0)
    ...     labels = np.concatenate([np.asarray(y) for _, y in dataset])
    ...     return float((scores.argmax(axis=1) == labels).mean())
    >>> def matched_accuracy(model, dataset):
    ...     labels, predictions, _ = models.predict_in_one_pass(model, dataset)
    ...     return float((labels == predictions).mean())
    >>> exercise_7_2(mismatched_accuracy, matched_accuracy)
    Exercise 7.2: passed
    >>> exercise_7_2(matched_accuracy, matched_accuracy)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: on a shuffled dataset of 3 classes ...
    """
    answered(mismatched_accuracy=mismatched_accuracy, matched_accuracy=matched_accuracy)
    for name, function in [
        ("mismatched_accuracy", mismatched_accuracy),
        ("matched_accuracy", matched_accuracy),
    ]:
        require(callable(function), f"{name} should be a function: def {name}(model, dataset):")
    cases = [  # class sizes, mistaken classes, shuffled
        ([200, 100, 300], {2: 0}, True),
        ([540, 60], {}, True),
        ([90, 30, 60, 120], {1: 3}, False),
    ]
    for sizes, mistaken, shuffle in cases:
        model, dataset, predicted_as = _case(sizes, mistaken, shuffle)
        labels = np.repeat(np.arange(len(sizes)), sizes)
        one_pass = float((predicted_as[labels] == labels).mean())
        predicted = np.bincount(predicted_as[labels], minlength=len(sizes))
        chance = float((predicted * np.array(sizes)).sum() / len(labels) ** 2)  # random pairs
        described = (
            f"on a {'shuffled' if shuffle else 'not shuffled'} dataset of {len(sizes)} classes "
            f"({', '.join(map(str, sizes))} images)"
        )
        results = {}
        for name, function in [
            ("matched_accuracy", matched_accuracy),
            ("mismatched_accuracy", mismatched_accuracy),
        ]:
            try:
                results[name] = function(model, dataset)
            except Exception as error:
                require(
                    False,
                    f"{name}(model, dataset) raised {type(error).__name__}: {error} ({described}).",
                )
            require(
                np.ndim(results[name]) == 0,
                f"{name} should return one number, the fraction of right predictions, "
                f"not {results[name]!r}.",
            )
        matched, mismatched = (float(results[k]) for k in results)
        require(
            np.isclose(matched, one_pass),
            f"{described}, matched_accuracy gave {matched:.3f} for a network that is right "
            f"{one_pass:.3f} of the time: compare the labels and predictions of ONE pass "
            "(models.predict_in_one_pass), predicted index == label.",
        )
        if shuffle:
            require(
                abs(mismatched - chance) < 0.07,
                f"{described}, mismatched_accuracy gave {mismatched:.3f}. Pair the predictions "
                "of model.predict(dataset) with the labels of a SECOND loop over the same "
                "dataset: on a shuffled dataset they belong to other images.",
            )
        else:
            require(
                np.isclose(mismatched, one_pass),
                f"{described}, mismatched_accuracy gave {mismatched:.3f}, but two passes "
                "over a dataset that does not shuffle come in the same order, so they pair "
                "up right. Take the predictions from model.predict(dataset) and the labels "
                "from a second loop over the same dataset; do not shuffle anything yourself.",
            )
    passed("7.2")


def _matrices() -> list[np.ndarray]:
    """Confusion matrices of 2 to 4 classes with unequal rows; the last has an empty row."""
    rng = np.random.default_rng(74)
    return [
        np.array([[3, 1], [2, 4]]),
        np.array([[5, 1, 0], [2, 9, 4], [0, 3, 1]]),
        rng.integers(0, 15, (3, 3)) + np.diag([20, 2, 7]),
        np.array([[7, 0, 2, 1], [1, 12, 0, 5], [1, 2, 30, 3], [4, 0, 1, 2]]),
        rng.integers(0, 9, (4, 4)) * np.array([[1], [3], [1], [2]]),
        np.array([[7, 0, 2, 1], [0, 0, 0, 0], [1, 2, 30, 3], [4, 0, 1, 2]]),
    ]


def _show(value: Any) -> str:
    """A number as a short text (0.6, not np.float64(0.6)); anything else as Python writes it.

    Examples
    --------
    >>> _show({"a": np.float64(0.75), "b": float("nan")}), _show("0.5")
    ("{'a': 0.75, 'b': nan}", "'0.5'")
    """
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {_show(item)}" for key, item in value.items()) + "}"
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        return f"{float(value):.4g}"
    return repr(value)


@check
def exercise_7_3(accuracy_from: Callable) -> None:
    """Exercise 7.3: ``accuracy_from(matrix)``, the fraction of right predictions.

    The check tries it on confusion matrices of its own, of 2, 3 and 4 classes.

    Examples
    --------
    >>> exercise_7_3(lambda matrix: np.trace(matrix) / matrix.sum())
    Exercise 7.3: passed
    >>> exercise_7_3(lambda m: (m[0, 0] + m[1, 1]) / m.sum())  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: for the matrix [[5, 1, 0], [2, 9, 4], [0, 3, 1]], ...
    """
    answered(accuracy_from=accuracy_from)
    require(callable(accuracy_from), "accuracy_from should be a function: def accuracy_from(...):")
    for matrix in _matrices():
        try:
            with np.errstate(all="ignore"):  # no warning: it would leave a name behind
                accuracy = accuracy_from(matrix.copy())
        except Exception as error:
            require(False, f"accuracy_from raised {type(error).__name__}: {error}")
        right = np.trace(matrix) / matrix.sum()
        require(
            np.ndim(accuracy) == 0 and np.isclose(float(accuracy), right),
            f"for the matrix {matrix.tolist()}, {np.trace(matrix)} of {matrix.sum()} "
            f"predictions are right (the diagonal), an accuracy of {right:.3f}; accuracy_from "
            f"gave {_show(accuracy)}. Add up the whole diagonal, of any size, and divide by the "
            "number of all predictions.",
        )
    passed("7.3")


def _as_float(value: Any) -> float:
    """A number as a float; anything else as NaN (which equals nothing)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


@check
def exercise_7_4(recall_per_class: Callable) -> None:
    """Exercise 7.4: ``recall_per_class(matrix, class_names)``, ``{class name: recall}``.

    The check tries it on confusion matrices of its own, of 2, 3 and 4 classes with
    unequal rows and one class without images (recall 0.0).

    Examples
    --------
    >>> def recall_per_class(matrix, class_names):
    ...     return {name: matrix[i, i] / max(matrix[i].sum(), 1)
    ...             for i, name in enumerate(class_names)}
    >>> exercise_7_4(recall_per_class)
    Exercise 7.4: passed
    """
    answered(recall_per_class=recall_per_class)
    require(
        callable(recall_per_class),
        "recall_per_class should be a function: def recall_per_class(matrix, class_names):",
    )
    names = ["Siirt", "Kirmizi", "Antep", "Uzun"]  # not in alphabetical order
    for matrix in _matrices():
        class_names = names[: len(matrix)]
        try:
            with np.errstate(all="ignore"):  # 0 / 0 warns, and a warning leaves a name behind
                recall = recall_per_class(matrix.copy(), list(class_names))
        except Exception as error:
            require(False, f"recall_per_class raised {type(error).__name__}: {error}")
        require(
            isinstance(recall, dict) and sorted(recall) == sorted(class_names),
            "recall_per_class should return a dictionary with one entry per class name, "
            f"{class_names}; it returned {_show(recall)}.",
        )
        rows = matrix.sum(axis=1)
        right = {
            name: float(matrix[i, i] / rows[i]) if rows[i] else 0.0
            for i, name in enumerate(class_names)
        }
        recall = {name: _as_float(value) for name, value in recall.items()}
        empty = [name for i, name in enumerate(class_names) if not rows[i]]
        if empty:
            require(
                np.isclose(recall[empty[0]], 0.0),
                f"the class {empty[0]} has no images in {matrix.tolist()} (its row is all "
                f"zeros); give it 0.0, not {_show(recall[empty[0]])}: divide by max(row sum, 1).",
            )
        require(
            all(np.isclose(recall[name], right[name]) for name in class_names),
            f"for {matrix.tolist()} with classes {class_names} you gave {_show(recall)}. "
            "Recall divides a class's right answers (the diagonal) by the number of its "
            "images: the sum of its ROW of the matrix, not its column.",
        )
    passed("7.4")
