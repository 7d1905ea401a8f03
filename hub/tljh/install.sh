#!/usr/bin/env bash
# The workshop on The Littlest JupyterHub, on one Ubuntu 22.04+ server (instructors/hosting.md
# says how big). Rendered by `python -m helpers hub config` from helpers/plumbing/hub.py: edit
# that file, not this one. Run it from the repository's hub/tljh/ folder, as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")"

# Choose the passwords first: attendees share one, the instructor has another.
: "${ATTENDEE_PASSWORD:?Set ATTENDEE_PASSWORD (8 characters or more), then run this again}"
: "${ADMIN_PASSWORD:?Set ADMIN_PASSWORD (32 characters or more): the admin can become root}"

# 1. TLJH itself, with the attendees' packages (the workshop's locked lab requirements).
curl -L https://tljh.jupyter.org/bootstrap.py | sudo -E python3 - --admin instructor \
    --user-requirements-txt-url https://raw.githubusercontent.com/image-pipelines-workshop/image-data-pipelines/workshop/requirements/lab.txt

# 2. One shared password for attendees (any user name), another for the admin "instructor".
#    Not TLJH's "dummy" login: with it anyone could log in as the admin, who has sudo.
sudo tljh-config set auth.type shared-password
sudo tljh-config set auth.SharedPasswordAuthenticator.user_password "$ATTENDEE_PASSWORD"
sudo tljh-config set auth.SharedPasswordAuthenticator.admin_password "$ADMIN_PASSWORD"

# 3. What each attendee's server may use, and a timeout that survives lunch.
sudo tljh-config set limits.memory 2G
sudo tljh-config set limits.cpu 1
sudo tljh-config set services.cull.timeout 3600

# 4. Thread caps, where the workshop's helpers are, the first page: loaded by TLJH's hub.
sudo cp jupyterhub_config.d/workshop.py /opt/tljh/config/jupyterhub_config.d/
sudo tljh-config reload hub
