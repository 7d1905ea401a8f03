"""The workshop's tooling: what runs, checks and publishes the lessons, not what they teach.

``helpers/`` holds the lesson modules, the ones the notebooks teach and import
(``from helpers import images, plotting``). This subpackage holds the rest, for
instructors and maintainers: the command line (``python -m helpers``), the notebook
runner, the set-up check, the dataset tools, the benchmark, the learner edition, Colab,
JupyterLab, the website and the release settings. A notebook that needs one imports it
from here (``from helpers.plumbing import setup``), so learners can tell the two apart.

The dependency runs one way: modules here may import lesson modules and
``helpers.paths``; no lesson module imports anything from here (``tests/test_layout.py``).
Importing this package imports nothing: ``helpers.plumbing.platforms`` must work in a bare
Python, before anything of the workshop is installed.
"""

__all__ = [
    "archives",
    "bench",
    "cli",
    "colab",
    "data",
    "editions",
    "hub",
    "hub_server",
    "lab",
    "loadtest",
    "platforms",
    "release",
    "runner",
    "setup",
    "site_notebooks",
    "site_pages",
    "synthetic",
    "website",
]
