"""Lesson 06's self-checks (6.1, 6.2, 6.3) on right and wrong answers, without a kernel."""

from __future__ import annotations

import re
import time

import keras
import pytest
import tensorflow as tf

from helpers import files
from helpers.checks import NotYet
from helpers.checks import lesson06 as checks

pytestmark = pytest.mark.slow


def _time_pass(dataset):
    start = time.perf_counter()
    for _batch in dataset:
        pass
    return time.perf_counter() - start


def _two_passes(dataset):
    cached = dataset.cache()
    return _time_pass(cached), _time_pass(cached)


def _megabytes(num_images, height, width):
    return num_images * height * width * 3 * 4 / 1e6


@pytest.mark.parametrize(
    ("order", "hint"),
    [
        ("bedac", None),  # the right order
        ("bdeac", "decoded all 48 of the check's files"),  # shuffles decoded images
        ("bdaec", "shuffles whole batches"),  # the mistake section 4 shows: its own hint
        ("beadc", "`load` reads one file name at a time"),  # map after batch
        ("bedca", "prefetching prepares the next *batch*"),  # prefetch before batch
        ("aedbc", "the first step must make the dataset"),
    ],
)
def test_6_1_each_order_gets_the_hint_for_its_mistake(order, hint, capsys):
    if hint is None:
        checks.exercise_6_1(list(order))
        assert "passed" in capsys.readouterr().out
        return
    with pytest.raises(NotYet, match=re.escape(hint)):
        checks.exercise_6_1(list(order))


def test_6_2_augmented_pipeline(make_dataset, capsys):
    root = make_dataset({"a": 5, "b": 4, "c": 6}, size=(20, 30))
    augment = keras.Sequential(
        [keras.layers.RandomFlip("horizontal", seed=1), keras.layers.RandomRotation(0.1, seed=1)]
    )

    def load(folder=root, shuffle=False):
        return keras.utils.image_dataset_from_directory(
            folder,
            image_size=(16, 16),
            batch_size=4,
            shuffle=shuffle,
            class_names=files.list_classes(folder),
            verbose=False,
        ).map(lambda images, labels: (images / 255.0, labels))

    def augmented(dataset, training=True):
        return dataset.map(lambda images, labels: (augment(images, training=training), labels))

    checks.exercise_6_2(augmented(load()), root)
    assert "passed" in capsys.readouterr().out
    wrong = [
        load(),  # not augmented
        augmented(load(), training=False),
        augmented(load(shuffle=True)),
        load().map(lambda images, labels: (tf.image.flip_left_right(images), labels)),
        load().map(lambda images, labels: augment(images, training=True)),  # labels dropped
        next(iter(augmented(load()))),  # a batch, not a dataset
        ...,
    ]
    for answer in wrong:
        with pytest.raises(NotYet):
            checks.exercise_6_2(answer, root)


def test_6_3_the_cache_serves_the_second_pass(capsys):
    checks.exercise_6_3(_time_pass, _two_passes, _megabytes)
    assert "passed" in capsys.readouterr().out
    wrong = [
        (lambda dataset: 1.0, _two_passes, _megabytes),
        (_time_pass, lambda dataset: (1.0, 0.1), _megabytes),
        (_time_pass, lambda dataset: (_time_pass(dataset), _time_pass(dataset)), _megabytes),
        (_time_pass, lambda d: (_time_pass(d.cache()), _time_pass(d.cache())), _megabytes),
        (_time_pass, lambda dataset: _two_passes(dataset)[::-1], _megabytes),
        (_time_pass, _two_passes, lambda n, h, w: n * h * w * 3 / 1e6),
        (_time_pass, _two_passes, lambda n, h, w: n * h * h * 3 * 4 / 1e6),
        (_time_pass, _two_passes, lambda n, h, w: 9.8),
    ]
    for answer in wrong:
        with pytest.raises(NotYet):
            checks.exercise_6_3(*answer)
