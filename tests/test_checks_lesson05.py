"""Lesson 05's self-checks on right and wrong answers, without a kernel (helpers.checks)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from helpers import pipelines, plotting
from helpers.checks import NotYet
from helpers.checks import lesson05 as checks


def _titles(labels, class_indices):
    index_to_name = {index: name for name, index in class_indices.items()}
    return [index_to_name[int(label)] for label in labels]


def test_5_1_titles(capsys):
    checks.exercise_5_1(_titles)
    assert "passed" in capsys.readouterr().out
    wrong = [
        lambda labels, class_indices: [str(label) for label in labels],
        lambda labels, class_indices: [list(class_indices)[int(label)] for label in labels],
        lambda labels, class_indices: [sorted(class_indices)[int(label)] for label in labels],
        lambda labels, class_indices: ["Kirmizi" if label == 0 else "Siirt" for label in labels],
        lambda labels, class_indices: [list(class_indices)[label] for label in labels],  # floats
        ...,
    ]
    for batch_titles in wrong:
        with pytest.raises(NotYet):
            checks.exercise_5_1(batch_titles)


@pytest.mark.slow
def test_5_2_finds_the_true_class_of_each_image(make_dataset, tmp_path, capsys):
    root = make_dataset({"a": 6, "b": 9, "c": 9})  # b and c tie: c is wanted
    train, validation, _ = pipelines.image_generators(
        root, root, image_size=16, batch_size=4, validation_split=0.2, verbose=False
    )
    assert checks._wanted_class(train.class_indices, train.classes) == 2

    def draw(label, title="c"):
        chosen = []
        while len(chosen) < 4:
            X, y = next(train)
            chosen.extend(X[y == label])
        chosen = chosen[:4]
        return chosen, plotting.show_images(chosen, [title] * 4)

    chosen, fig = draw(2)
    position = train.batch_index
    checks.exercise_5_2(chosen, fig, train)
    assert "passed" in capsys.readouterr().out
    assert train.batch_index == position, "the check moved train on"
    for wrong_chosen, wrong_fig in [draw(1), draw(2, title="2"), (chosen[:1] * 4, fig)]:
        with pytest.raises(NotYet):
            checks.exercise_5_2(wrong_chosen, wrong_fig, train)
    X, y = next(validation)
    with pytest.raises(NotYet):
        checks.exercise_5_2(list(X[:4]), fig, train)
    plt.close("all")
