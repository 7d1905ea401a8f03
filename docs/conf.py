"""Sphinx configuration of the lesson website (``make site``; see helpers/plumbing/website.py).

The sources are assembled into build/site-work/src by ``python -m helpers site``: the lessons
as executed by ``helpers run`` (execution is off here), the pages of
``helpers.plumbing.site_pages.PAGES`` and the generated schedule, setup and references pages.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.plumbing import site_pages  # noqa: E402

project = "Image Data Pipelines in Python"
author = "The Image Data Pipelines in Python workshop contributors"
copyright = "the workshop contributors; code MIT, lessons CC BY 4.0"  # noqa: A001

extensions = ["myst_nb"]
myst_enable_extensions = ["deflist", "colon_fence"]
nb_execution_mode = "off"  # helpers.plumbing.runner executed every lesson just before
nb_merge_streams = True
exclude_patterns = ["**.ipynb_checkpoints"]

html_theme = "sphinx_book_theme"
html_title = project
html_baseurl = site_pages.SITE_URL
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": f"https://github.com/{site_pages.REPOSITORY}",
    "repository_branch": site_pages.REF,
    # Launch buttons open the learner edition: learner/<same name as the lesson page>.ipynb
    "path_to_docs": site_pages.LEARNER_PATH,
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "navbar_persistent": [],  # search lives in the sidebar; no second search bar on top
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
}
html_favicon = "_static/favicon.svg"  # without one, browsers ask for /favicon.ico (a 404)
# Light by default (white figure backgrounds, projectors); readers can switch to dark.
html_context = {"default_mode": "light"}
