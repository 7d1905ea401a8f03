"""Helpers for the *Image Data Pipelines in Python* workshop.

One module per lesson topic; notebooks import modules, not names::

    from helpers import images, plotting
    image = images.read_image(path)

The lesson modules (``images``, ``files``, ``generators``, ``split``, ``pipelines``,
``plotting``, ``models``) and ``paths`` (where the data and work folders are, needed by
lessons and tooling alike) sit here. The instructors' and maintainers' tooling (the command
line, the runner, the set-up check, the benchmark, ...) is in :mod:`helpers.plumbing`, which
may import lesson modules, never the reverse.

Importing this package first prepares what the lessons' libraries read when they start
(:mod:`helpers.startup`): it quietens TensorFlow's start-up log lines, including the
"oneDNN custom operations are on" notice that ``TF_CPP_MIN_LOG_LEVEL`` cannot hide; under a
CPU quota (Binder, JupyterHub, Docker) it caps the thread pools of TensorFlow, OpenCV and
NumPy to the quota; and with a read-only home folder it gives Matplotlib a cache elsewhere.
Whatever you set yourself wins: ``TF_CPP_MIN_LOG_LEVEL=0`` shows every line.

It never touches ``TF_ENABLE_ONEDNN_OPTS``: that variable does not hide the notice, it
switches TensorFlow's fast oneDNN CPU routines on or off. TensorFlow decides by itself, from
the processor's features.
"""

import os
import warnings

from helpers import startup

# TensorFlow, OpenCV and OpenBLAS read these once, when they are first imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide INFO and WARNING lines from C++
startup.cap_threads()
startup.quiet_tensorflow_start()
startup.writable_caches()


class WorkshopWarning(UserWarning):
    r"""A warning from the workshop's helpers, shown as one line: ``Warning: <message>``.

    Python prints a warning with the file and line that caused it; in a notebook that
    is a temporary file such as ``/tmp/ipykernel_4242/1234.py:1``, which tells a learner
    nothing. Only this category is shown without it; every other warning is unchanged.

    Examples
    --------
    >>> warnings.formatwarning("Add images.", WorkshopWarning, "/tmp/ipykernel_1/2.py", 1)
    'Warning: Add images.\n'
    >>> warnings.formatwarning("x", UserWarning, "a.py", 3).startswith("a.py:3: UserWarning")
    True
    """


def _format_warning(message, category, filename, lineno, line=None, _python=warnings.formatwarning):
    if isinstance(category, type) and issubclass(category, WorkshopWarning):
        return f"Warning: {message}\n"
    return _python(message, category, filename, lineno, line)


warnings.formatwarning = _format_warning


class WorkshopError(Exception):
    """A refusal the workshop expects: bad input, data not ready, a folder it must not touch.

    Its message is one sentence or two for a person: what is wrong, naming the file or
    folder, and what to do. The command line shows it as one ``Error:`` line; anything
    else that goes wrong is a bug, shown with a request to report it. Subclasses also derive
    from the built-in exception a caller would catch without knowing the workshop.

    Examples
    --------
    >>> issubclass(NotOurs, FileExistsError) and issubclass(NotOurs, WorkshopError)
    True
    """


class BadInput(WorkshopError, ValueError):
    """A value, a file or a dataset that cannot be used as given."""


class Protected(WorkshopError, ValueError):
    """An output inside a folder the workshop never writes to (lessons, code, data)."""


class NotOurs(WorkshopError, FileExistsError):
    """Something the workshop did not write is where it would write: it is never replaced."""


class NotEmpty(NotOurs):
    """An output folder that already holds files, and replacing was not asked for.

    ``target`` is the folder, so that a command line can say how to ask (its own flag).
    """

    target = None


class MissingData(WorkshopError, FileNotFoundError):
    """A file or folder the workshop needs is not there."""


class NotAFolder(WorkshopError, NotADirectoryError):
    """A path that must be a folder (a dataset, an output) is a file."""


class StepFailed(WorkshopError, RuntimeError):
    """A step the workshop runs for you (a lesson, the site builder) failed; it is named."""


__version__ = "0.1.0"

__all__ = [
    "BadInput",
    "MissingData",
    "NotAFolder",
    "NotEmpty",
    "NotOurs",
    "Protected",
    "StepFailed",
    "WorkshopError",
    "WorkshopWarning",
    "files",
    "generators",
    "images",
    "models",
    "outputs",
    "paths",
    "pipelines",
    "plotting",
    "plumbing",
    "split",
    "startup",
]
