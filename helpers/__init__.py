"""Helpers for the *Image Data Pipelines in Python* workshop.

One module per lesson topic; notebooks import modules, not names::

    from helpers import images, plotting
    image = images.read_image(path)

Importing this package quietens TensorFlow's C++ start-up logs (they must be
silenced *before* TensorFlow is imported, so import ``helpers`` first). Set the
variable yourself to override: ``TF_CPP_MIN_LOG_LEVEL=0`` shows everything.

It never touches ``TF_ENABLE_ONEDNN_OPTS``: that variable does not hide the
"oneDNN custom operations are on" notice, it switches TensorFlow's fast oneDNN
CPU kernels on or off. TensorFlow decides by itself, from the processor's
features, and prints the notice when they are on; lesson 00 explains it.
"""

import os

# TensorFlow reads these once, when it is first imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide INFO and WARNING lines from C++

__version__ = "0.1.0"

__all__ = [
    "archives",
    "bench",
    "data",
    "files",
    "generators",
    "images",
    "lab",
    "models",
    "paths",
    "pipelines",
    "platforms",
    "plotting",
    "release",
    "runner",
    "setup",
    "split",
    "synthetic",
]
