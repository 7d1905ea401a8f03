"""Helpers for the *Image Data Pipelines in Python* workshop.

One module per lesson topic; notebooks import modules, not names::

    from helpers import images, plotting
    image = images.read_image(path)

Importing this package quietens TensorFlow's C++ start-up logs (they must be
silenced *before* TensorFlow is imported, so import ``helpers`` first). Set the
variables yourself to override: ``TF_CPP_MIN_LOG_LEVEL=0`` shows everything.
"""

import os

# TensorFlow reads these once, when it is first imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide INFO and WARNING lines from C++
os.environ.setdefault(
    "TF_ENABLE_ONEDNN_OPTS", "0"
)  # hide the oneDNN notice printed before logging starts

__version__ = "0.1.0"

__all__ = [
    "archives",
    "bench",
    "data",
    "files",
    "generators",
    "images",
    "models",
    "paths",
    "pipelines",
    "plotting",
    "runner",
    "setup",
    "split",
    "synthetic",
]
