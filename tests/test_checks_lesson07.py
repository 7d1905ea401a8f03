"""Lesson 07's self-checks on right and wrong answers, without a kernel (helpers.checks)."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from helpers import models
from helpers.checks import NotYet
from helpers.checks import lesson07 as checks


def _mismatched(model, dataset):
    scores = model.predict(dataset, verbose=0)
    labels = np.concatenate([np.asarray(y) for _, y in dataset])
    return float((scores.argmax(axis=1) == labels).mean())


def _matched(model, dataset):
    labels, predictions, _ = models.predict_in_one_pass(model, dataset)
    return float((labels == predictions).mean())


def _recall(matrix, class_names):
    return {name: matrix[i, i] / max(matrix[i].sum(), 1) for i, name in enumerate(class_names)}


@pytest.mark.slow
def test_7_1_a_changed_network_trained(capsys):
    data = tf.data.Dataset.from_tensor_slices(
        (np.random.default_rng(0).random((8, 16, 16, 3), np.float32), np.arange(8) % 3)
    ).batch(4)
    model = models.build_cnn(3, 16)
    history = model.fit(data, validation_data=data, epochs=3, shuffle=False, verbose=0)
    model_2 = models.build_cnn(3, 16, learning_rate=1e-2)
    history_2 = model_2.fit(data, validation_data=data, epochs=3, shuffle=False, verbose=0)
    checks.exercise_7_1(model_2, history_2, model, data)
    assert "passed" in capsys.readouterr().out
    other = data.map(lambda x, y: (1 - x, y))  # other images: another validation loss
    with pytest.raises(NotYet, match="loss on val_ds"):
        checks.exercise_7_1(model_2, history_2, model, other)
    tested = models.build_cnn(3, 16, learning_rate=1e-2)
    on_other = tested.fit(data, validation_data=other, epochs=3, shuffle=False, verbose=0)
    with pytest.raises(NotYet, match="loss on val_ds"):
        checks.exercise_7_1(tested, on_other, model, data)
    same = models.build_cnn(3, 16)
    same_history = same.fit(data, validation_data=data, epochs=3, shuffle=False, verbose=0)
    shared = keras.Sequential([*model.layers[:-1], keras.layers.Dropout(0.3), model.layers[-1]])
    no_validation = models.build_cnn(3, 16, learning_rate=1e-2)
    without = no_validation.fit(data, epochs=3, shuffle=False, verbose=0)
    for answer in [
        (model, history),
        (same, same_history),
        (model_2, history),
        (shared, history),
        (no_validation, without),
        (models.build_cnn(2, 16), history_2),
    ]:
        with pytest.raises(NotYet):
            checks.exercise_7_1(*answer, model, data)


@pytest.mark.slow
def test_7_2_two_passes_fall_to_chance(capsys):
    checks.exercise_7_2(_mismatched, _matched)
    assert "passed" in capsys.readouterr().out

    def shuffled_by_hand(model, dataset):
        scores = model.predict(dataset, verbose=0)
        labels = np.concatenate([np.asarray(y) for _, y in dataset])
        labels = np.random.default_rng(0).permutation(labels)
        return float((scores.argmax(axis=1) == labels).mean())

    for answer in [
        (lambda model, dataset: 0.5, lambda model, dataset: 0.9),
        (_matched, _matched),
        (_mismatched, _mismatched),
        (shuffled_by_hand, _matched),
    ]:
        with pytest.raises(NotYet):
            checks.exercise_7_2(*answer)


def test_7_3_accuracy_of_any_size(capsys):
    checks.exercise_7_3(lambda matrix: np.trace(matrix) / matrix.sum())
    assert "passed" in capsys.readouterr().out
    for wrong in [
        lambda m: (m[0, 0] + m[1, 1]) / m.sum(),
        lambda m: np.mean(np.diag(m) / m.sum(axis=1)),
        lambda m: np.trace(m) / len(m),
        lambda m: 0.7,
        ...,
    ]:
        with pytest.raises(NotYet):
            checks.exercise_7_3(wrong)


def test_7_4_recall_per_class(capsys):
    checks.exercise_7_4(_recall)
    assert "passed" in capsys.readouterr().out
    for wrong in [
        lambda m, names: {n: m[i, i] / max(m[:, i].sum(), 1) for i, n in enumerate(names)},
        lambda m, names: {names[0]: m[0, 0] / m[0].sum(), names[1]: m[1, 1] / m[1].sum()},
        lambda m, names: {i: m[i, i] / max(m[i].sum(), 1) for i in range(len(names))},
        lambda m, names: {n: m[i, i] / max(m[i].sum(), 1) for i, n in enumerate(sorted(names))},
    ]:
        with pytest.raises(NotYet):
            checks.exercise_7_4(wrong)
    with np.errstate(invalid="ignore"), pytest.raises(NotYet, match="no images"):
        checks.exercise_7_4(lambda m, names: {n: m[i, i] / m[i].sum() for i, n in enumerate(names)})
