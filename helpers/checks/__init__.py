"""Self-checks of the exercises, one module per lesson (``lesson01`` … ``lesson07``).

A self-check cell calls one function with the learner's answer, for example
``checks.exercise_1_1(row_means, count_above)``. The function tries the answer on inputs
of its own, chosen so that the plausible wrong answers give a different result from the
right one (coloured images, three or more classes, shapes that are not square), and

- raises `NotYet` (an ``AssertionError``) with a hint when the answer is missing or wrong;
- prints ``Exercise N.M: passed`` when it is right.

Expected values are computed inside the check and never left in the learner's namespace,
and a check never depends on variables a later lesson cell may change.

Examples
--------
>>> require(1 + 1 == 2, "add again")
>>> require(1 + 1 == 3, "add again")
Traceback (most recent call last):
...
helpers.checks.NotYet: Not yet: add again
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

__all__ = [
    "Counted",
    "NotYet",
    "answered",
    "call",
    "check",
    "must_be_function",
    "passed",
    "require",
]


class NotYet(AssertionError):
    """The answer is missing or not right yet; the message says what to try.

    Jupyter shows it as one red line (``_render_traceback_``, IPython's hook for exceptions
    that draw themselves), not as 25 lines of the check's own code above the message.

    Examples
    --------
    >>> NotYet("Not yet: write total in the cell above.")._render_traceback_()
    ['\\x1b[0;31mNotYet\\x1b[0m: Not yet: write total in the cell above.']
    """

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


class Counted:
    """An iterator over `items` that counts how many were taken from it with ``next()``.

    It has no ``len``: a learner's function given one cannot ask how many items there are.

    Examples
    --------
    >>> numbers = Counted([10, 20, 30])
    >>> next(numbers), next(numbers), numbers.taken
    (10, 20, 2)
    """

    def __init__(self, items: Any) -> None:
        self.items, self._iterator, self.taken = items, iter(items), 0

    def __iter__(self) -> Counted:
        return self

    def __next__(self) -> Any:
        item = next(self._iterator)
        self.taken += 1
        return item


def require(condition: Any, hint: str) -> None:
    """Raise `NotYet` with `hint` unless `condition` is true.

    Examples
    --------
    >>> require([1], "never shown")
    """
    if not condition:
        raise NotYet(f"Not yet: {hint}")


def answered(cell: str = "the cell above", **answers: Any) -> None:
    """Raise `NotYet` naming every answer that is still ``...`` (the untouched answer cell).

    Examples
    --------
    >>> answered(total=3)
    >>> answered(total=..., mean=...)
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: write total and mean in the cell above.
    """
    missing = [name for name, value in answers.items() if value is ...]
    require(not missing, f"write {' and '.join(missing)} in {cell}.")


def passed(number: str, detail: str = "") -> None:
    """Print the line that tells the learner the exercise is solved.

    Examples
    --------
    >>> passed("1.1")
    Exercise 1.1: passed
    >>> passed("6.3", "the second pass took 4% of the first")
    Exercise 6.3: passed (the second pass took 4% of the first)
    """
    print(f"Exercise {number}: passed" + (f" ({detail})" if detail else ""))


def must_be_function(answer: Any, signature: str) -> None:
    """Raise `NotYet` when an answer that should be a function is not one (still a value).

    Examples
    --------
    >>> must_be_function(len, "size(items)")
    >>> must_be_function(3, "size(items)")
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: size should be a function: def size(items): ... (replace \
the whole line `size = ...` with it).
    """
    name = signature.split("(")[0]
    require(
        callable(answer),
        f"{name} should be a function: def {signature}: ... (replace the whole line "
        f"`{name} = ...` with it).",
    )


def call(function: Callable, *args: Any, name: str) -> Any:
    """``function(*args)``; an error inside the learner's function becomes a "not yet" hint.

    Warnings raised by the learner's code here (NumPy's "Mean of empty slice", say) are not
    shown, since the hint says more, and Python's record of them, ``__warningregistry__``,
    is not left in the learner's namespace.

    Examples
    --------
    >>> call(sum, [1, 2], name="total")
    3
    >>> call(sum, "ab", name="total")
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: total stopped with TypeError: unsupported operand type(s) \
for +: 'int' and 'str'
    """
    spaces = [getattr(f, "__globals__", None) for f in (function, *args) if callable(f)]
    fresh = [s for s in spaces if isinstance(s, dict) and "__warningregistry__" not in s]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return function(*args)
    except NotYet:
        raise
    except Exception as error:
        raise NotYet(f"Not yet: {name} stopped with {type(error).__name__}: {error}") from None
    finally:
        for space in fresh:
            space.pop("__warningregistry__", None)


def check(exercise: Callable[..., None]) -> Callable[..., None]:
    """Make an exercise's check say "not yet" to any error an answer causes, never crash.

    A learner's answer can fail inside the check in ways no hint foresaw (a function that
    returns ``None``, a string, an endless dataset): the learner then reads one "Not yet" line
    naming the error, not a traceback through the check's code.

    Examples
    --------
    >>> @check
    ... def exercise_9_9(total):
    ...     require(float(total) == 3, "add again")
    >>> exercise_9_9(None)
    Traceback (most recent call last):
    ...
    helpers.checks.NotYet: Not yet: checking your answer stopped with TypeError: float() \
argument must be a string or a real number, not 'NoneType'. Does your answer return a value of \
the kind the exercise asks for?
    """

    @functools.wraps(exercise)
    def checked(*args: Any, **kwargs: Any) -> None:
        try:
            exercise(*args, **kwargs)
        except NotYet:
            raise
        except Exception as error:
            raise NotYet(
                f"Not yet: checking your answer stopped with {type(error).__name__}: {error}. "
                "Does your answer return a value of the kind the exercise asks for?"
            ) from None

    return checked
