"""Which version of the workshop attendees get outside a checkout: one name, used everywhere.

Binder badges, Colab badges and the Colab bootstrap all point at the branch :data:`REF` of
:data:`REPOSITORY`, never at ``main``: Binder rebuilds its image whenever the branch it serves
moves, so pushes to ``main`` on the morning of a workshop would leave 30 attendees waiting
10 minutes. Instructors move ``workshop`` deliberately, once, before a workshop
(``git push origin main:workshop``, see instructors/guide.md), and then warm Binder up.

Standard library only (the Colab bootstrap and ``tools/check_python.py`` use it).

Examples
--------
>>> colab_url("learner/00_setup_check.ipynb")
'https://colab.research.google.com/github/image-pipelines-workshop/image-data-pipelines/blob/workshop/learner/00_setup_check.ipynb'
"""

from __future__ import annotations

__all__ = ["REF", "REPOSITORY", "archive_url", "binder_url", "colab_url"]

#: GitHub ``owner/name`` of the workshop.
REPOSITORY = "image-pipelines-workshop/image-data-pipelines"
#: The branch attendees' links and the Colab bootstrap use (moved by instructors before a workshop).
REF = "workshop"


def colab_url(path: str) -> str:
    """Colab link that opens `path` (relative to the repository root) at :data:`REF`."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{REF}/{path}"


def binder_url(path: str | None = None) -> str:
    """Binder link to :data:`REF`, opening `path` in JupyterLab when given.

    Examples
    --------
    >>> binder_url("learner/00_setup_check.ipynb").endswith(
    ...     "/workshop?urlpath=lab/tree/learner/00_setup_check.ipynb")
    True
    """
    url = f"https://mybinder.org/v2/gh/{REPOSITORY}/{REF}"
    return f"{url}?urlpath=lab/tree/{path}" if path else url


def archive_url() -> str:
    """The repository at :data:`REF` as a zip file (what the Colab bootstrap downloads).

    Examples
    --------
    >>> archive_url()
    'https://github.com/image-pipelines-workshop/image-data-pipelines/archive/refs/heads/workshop.zip'
    """
    return f"https://github.com/{REPOSITORY}/archive/refs/heads/{REF}.zip"
