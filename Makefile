# Image Data Pipelines in Python: every target bootstraps .venv itself.
#   make lab      start JupyterLab at notebook 00 of learner/ (installs requirements/lab.txt: what
#                 attendees need); the same as `.venv/bin/python -m helpers lab`
#   make test     ruff (lint and format) + unit tests + doctests + every notebook through nbval (adds requirements/test.txt)
#   make test-quick  the same without the slow tests (no notebook, environment or browser): the edit loop
#   make run      rerun every notebook with papermill into build/run (DATA_DIR=… for your own data)
#   make editions write learner/ (the notebooks without solutions) from notebooks/; commit it
#   make bench    measure image loaders side by side: build/bench.json + build/bench.png
#   make site     the lesson website in build/site (runs every lesson; maintainers' packages)
#   make hub-demo a real JupyterHub on 127.0.0.1 with the room's settings (instructors/hosting.md)
#   make lock     re-resolve pyproject.toml into uv.lock and the files made from it (maintainers)
#   make upgrade  the same, moving every unpinned package to its newest release (maintainers)
#   make wheelhouse  every wheel attendees need, for a room without Wi-Fi (a USB stick):
#                 PLATFORM=linux-x86_64|linux-aarch64|macos-arm64|windows-amd64 PYTHON_VERSION=3.12
#   make clean    remove build outputs (keeps .venv)
# Any Python 3.11-3.13: the newest one found, or PYTHON=/path/to/python3.12.
# Offline: make lab WHEELHOUSE=/media/usb/wheelhouse/linux-x86_64-py3.12 installs from that folder.

SUPPORTED_PYTHONS := python3.13 python3.12 python3.11
ifndef PYTHON
PYTHON := $(or $(firstword $(foreach p,$(SUPPORTED_PYTHONS),$(if $(shell $(p) tools/check_python.py 2>/dev/null),$(p)))),python3)
endif
VENV := .venv
BIN := $(VENV)/bin
# One stamp per lock: .venv holds exactly requirements/lab.txt, or requirements/test.txt.
LAB_STAMP := $(VENV)/.installed-lab
TEST_STAMP := $(VENV)/.installed-test
OFFLINE := $(if $(WHEELHOUSE),--no-index --find-links "$(WHEELHOUSE)")
PIP_INSTALL := $(BIN)/python -m pip install --quiet --only-binary=:all: $(OFFLINE)
# JupyterLab settings for attendees (no news question, no update notices); Binder uses it too.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
PROXY := $(VENV)/hub-proxy/node_modules/.bin/configurable-http-proxy
LAB_PORT ?= 8888
# Test processes (pytest-xdist): one per core, at most 4; TEST_JOBS=0 runs in this process.
TEST_JOBS ?= auto
LAB_ARGS ?=

.PHONY: lab test test-quick run bench site clean venv data lock upgrade editions wheelhouse hub-demo

venv: $(LAB_STAMP)

# The Python is checked (version, platform) before anything is downloaded.
$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "No Python at $(PYTHON) (make tries $(SUPPORTED_PYTHONS), then python3). Install Python 3.11, 3.12 or 3.13, or run make PYTHON=/path/to/python3.13" >&2; exit 1; }
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)

$(LAB_STAMP): requirements/lab.txt pyproject.toml | $(BIN)/python
	@$(BIN)/python tools/check_python.py
	$(PIP_INSTALL) -r requirements/lab.txt
	$(BIN)/python -m pip install --quiet --no-deps $(OFFLINE) -e .
	touch $@

$(TEST_STAMP): requirements/test.txt pyproject.toml | $(BIN)/python
	@$(BIN)/python tools/check_python.py
	$(PIP_INSTALL) -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps $(OFFLINE) -e .
	touch $@ $(LAB_STAMP)

$(LAB_SETTINGS): binder/overrides.json | $(BIN)/python
	mkdir -p $(dir $@) && cp binder/overrides.json $@

data: $(LAB_STAMP)
	@test -d data/sample/Pistachio_Image_Dataset/Pistachio_Image_Dataset || $(BIN)/python -m helpers data sample

# Settings, the sample if missing, then JupyterLab at learner/00 (helpers/plumbing/lab.py,
# on every OS).
lab: $(LAB_STAMP) $(LAB_SETTINGS)
	$(BIN)/python -m helpers lab --port=$(LAB_PORT) $(LAB_ARGS)

# configurable-http-proxy, which JupyterHub starts (tests/test_hub.py, `make hub-demo`): npm
# installs exactly hub/proxy/package-lock.json. Without npm the hub tests skip and say why.
$(PROXY): hub/proxy/package.json hub/proxy/package-lock.json | $(BIN)/python
	@if command -v npm >/dev/null; then mkdir -p $(VENV)/hub-proxy && cp hub/proxy/package.json hub/proxy/package-lock.json $(VENV)/hub-proxy/ && npm ci --prefix $(VENV)/hub-proxy --no-audit --no-fund --loglevel=error && touch $@; else echo "npm not found: the JupyterHub tests will be skipped (install Node.js 18+)."; fi

hub-demo: $(TEST_STAMP) $(PROXY)
	$(BIN)/python -m helpers hub demo

test: $(TEST_STAMP) $(LAB_SETTINGS) $(PROXY)
	$(BIN)/ruff check helpers tests notebooks tools
	$(BIN)/ruff format --check helpers tests notebooks tools
	$(BIN)/python -m pytest -n $(TEST_JOBS) --maxprocesses=4 --nbval-lax --nbval-current-env -p no:cacheprovider --durations=5

test-quick: $(TEST_STAMP)
	$(BIN)/ruff check helpers tests notebooks tools
	$(BIN)/ruff format --check helpers tests notebooks tools
	$(BIN)/python -m pytest -n $(TEST_JOBS) --maxprocesses=4 -m "not slow" -p no:cacheprovider --durations=5 helpers tools tests

run: data
	$(BIN)/python -m helpers run $(if $(DATA_DIR),--data-dir "$(DATA_DIR)") $(if $(OUT),--out "$(OUT)")

# The learner edition is committed; tests/test_editions.py fails when it is stale.
editions: $(LAB_STAMP)
	$(BIN)/python -m helpers editions

bench: data
	$(BIN)/python -m helpers bench $(if $(DATA_DIR),--data-dir "$(DATA_DIR)") --json build/bench.json --plot build/bench.png

# The website's builder (Sphinx, myst-nb, the book theme) is in the maintainers' set, which
# `make test` installs too (its tests build the site): attendees never download it.
site: $(TEST_STAMP) data
	$(BIN)/python -m helpers site

# uv comes with requirements/test.txt; tests/test_lock.py says when these must be rerun.
lock: $(TEST_STAMP)
	$(BIN)/python -m tools.lock

upgrade: $(TEST_STAMP)
	$(BIN)/python -m tools.lock --upgrade

# Wheels for another (Python, platform) too: the lock's markers are evaluated for the target.
wheelhouse: $(LAB_STAMP)
	$(BIN)/python -m tools.wheelhouse $(if $(PLATFORM),--platform $(PLATFORM)) $(if $(PYTHON_VERSION),--python-version $(PYTHON_VERSION)) $(if $(OUT),--out "$(OUT)")

clean:
	rm -rf build .pytest_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
