#!/usr/bin/env bash
# The workshop on The Littlest JupyterHub, on one Ubuntu 22.04+ server (instructors/hosting.md
# says how big). Rendered by `python -m helpers hub config` from helpers/plumbing/hub.py: edit
# that file, not this one. Run it from the repository's hub/tljh/ folder, as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")"

# 1. TLJH itself, with the attendees' packages (the workshop's locked lab requirements).
curl -L https://tljh.jupyter.org/bootstrap.py | sudo -E python3 - --admin instructor \
    --user-requirements-txt-url https://raw.githubusercontent.com/image-pipelines-workshop/image-data-pipelines/workshop/requirements/lab.txt

# 2. What each attendee's server may use, and a timeout that survives lunch.
sudo tljh-config set limits.memory 2G
sudo tljh-config set limits.cpu 1
sudo tljh-config set services.cull.timeout 3600

# 3. Thread caps, where the workshop's helpers are, the first page: loaded by TLJH's hub.
sudo cp jupyterhub_config.d/workshop.py /opt/tljh/config/jupyterhub_config.d/
sudo tljh-config reload hub
