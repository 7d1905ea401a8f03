"""Self-checks of lesson 00, Setup check (see `helpers.checks`)."""

from __future__ import annotations

from collections.abc import Callable
from numbers import Number

from helpers.checks import answered, call, check, passed, require

__all__ = ["exercise_0_1", "exercise_0_2"]

#: Dictionaries like lesson 00's ``counts`` ({class name: number of images}): three classes,
#: one, none, an empty class, and numbers a typed-in total cannot match in every case.
_COUNTS = [
    {"Kirmizi_Pistachio": 12, "Siirt_Pistachio": 9, "Antep": 23},
    {"cats": 0, "dogs": 41, "birds": 7, "fish": 3},
    {"only_class": 5},
    {},
]

#: Exercise 0.1's self-check cell, as the notebook has it.
SELF_CHECK_0_1 = "checks.exercise_0_1(total_images)"

#: Exercise 0.2's choices: the letter, and the outcome each one predicts ("not yet" is the
#: error a check raises for a wrong answer, a kind of AssertionError).
CHOICES = {"a": "not yet", "b": "NameError", "c": "passed"}

#: What to think about when a choice predicts an outcome that did not happen.
_RETHINK = {
    "not yet": "a 'not yet' error comes from a check that ran and looked at your answer. "
    "After a restart, can the check cell even find the names it uses?",
    "NameError": "a NameError means Python meets a name no cell has set. Is that the case here?",
    "passed": "a restart makes Python forget every variable and function, solved or not. "
    "What does the check cell find when it runs?",
}


@check
def exercise_0_1(total_images: Callable) -> None:
    """Exercise 0.1: ``total_images(class_counts)``, the sum of a {class: count} dictionary.

    The check tries the function on dictionaries of its own (three classes, one, none).

    Examples
    --------
    >>> exercise_0_1(lambda class_counts: sum(class_counts.values()))
    Exercise 0.1: passed
    >>> exercise_0_1(lambda class_counts: len(class_counts))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: total_images gave 3 for ...
    """
    answered(total_images=total_images)
    require(
        callable(total_images),
        "total_images should be a function: def total_images(class_counts): ... "
        "(replace the whole line `total_images = ...`).",
    )
    for counts in _COUNTS:
        total = call(total_images, dict(counts), name="total_images")
        require(
            isinstance(total, Number) and not isinstance(total, bool),
            f"total_images should return one number, not {type(total).__name__} "
            f"({total!r}). Did you forget `return`?",
        )
        require(
            total == sum(counts.values()),
            f"total_images gave {total} for {counts}, which is not the number of images. "
            "The dictionary holds one number per class: add up all of its values "
            "(whatever the classes are called and however many there are).",
        )
    passed("0.1")


def _after_a_restart() -> str:
    """The outcome of exercise 0.1's self-check run as the question says: after a restart.

    A restarted kernel has no names at all: the check cell runs here in an empty namespace,
    as it would there. The right choice is the one that predicts this outcome; computing it
    keeps it out of this file, so that reading the check does not answer the question.
    """
    try:
        exec(SELF_CHECK_0_1, {})
    except AssertionError:  # NotYet: the check ran and found the answer wrong
        return "not yet"
    except Exception as error:
        return type(error).__name__
    return "passed"


@check
def exercise_0_2(answer: str) -> None:
    """Exercise 0.2: what running 0.1's self-check right after a restart gives ("a", "b", "c").

    The check runs that self-check in an empty namespace, as a restarted kernel has, and
    compares what happens with the outcome the chosen letter predicts.

    Examples
    --------
    >>> exercise_0_2("z")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: write "a", "b" or "c" (in quotes, lower case), not 'z'.
    """
    answered(answer=answer)
    require(
        isinstance(answer, str) and answer in CHOICES,
        f'write "a", "b" or "c" (in quotes, lower case), not {answer!r}.',
    )
    predicted = CHOICES[answer]
    require(
        predicted == _after_a_restart(),
        f"{answer!r} is not it: {_RETHINK.get(predicted, '')} Try another answer.",
    )
    passed("0.2")
