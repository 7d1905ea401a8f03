"""The workshop's settings for every attendee's server, for The Littlest JupyterHub.

Rendered by `python -m helpers hub config` from helpers/plumbing/hub.py (edit that file, not
this one). TLJH loads every file in /opt/tljh/config/jupyterhub_config.d/; the workshop's tests
load this one into a real JupyterHub.
"""

import os
import pwd

#: The clone of the workshop nbgitpuller makes in each attendee's home.
WORKSHOP_FOLDER = "image-data-pipelines"


def workshop_on_path(spawner):
    """PYTHONPATH for an attendee's server: their clone, so that ``import helpers`` finds it."""
    home = getattr(spawner, "home_dir", "")  # JupyterHub's SimpleLocalProcessSpawner
    if not home:  # TLJH's spawner runs each attendee as the system user jupyter-NAME
        template = getattr(spawner, "username_template", "{USERNAME}")
        name = template.replace("{USERNAME}", spawner.user.name)
        try:
            home = pwd.getpwnam(name).pw_dir
        except KeyError:
            home = os.path.expanduser("~" + name)
    return os.path.join(home, WORKSHOP_FOLDER)


# TensorFlow, OpenCV and OpenBLAS size their thread pools from the server's cores, not from
# the attendee's CPU limit (1 here): capped, a room of kernels does not thrash.
c.Spawner.environment.update(  # noqa: F821 (c is the configuration JupyterHub passes in)
    {
        "TF_NUM_INTRAOP_THREADS": "1",
        "TF_NUM_INTEROP_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OPENCV_FOR_THREADS_NUM": "1",
        "PYTHONPATH": workshop_on_path,
    }
)
c.Spawner.default_url = "/lab"  # noqa: F821
