# Image Data Pipelines in Python: every target bootstraps .venv itself.
#   make lab     start JupyterLab at notebook 00
#   make test    ruff + unit tests + doctests + every notebook through nbval
#   make run     rerun every notebook with papermill into build/run (DATA_DIR=… for your own data)
#   make bench   measure image loaders side by side: build/bench.json + build/bench.png
#   make clean   remove build outputs (keeps .venv)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# JupyterLab settings for attendees (no news question, no update notices); Binder uses it too.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
LAB_PORT ?= 8888
LAB_ARGS ?=
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test run bench clean venv data

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed; found " + sys.version.split()[0] + ". Install it, or run make PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(LAB_SETTINGS): binder/overrides.json $(STAMP)
	mkdir -p $(dir $@) && cp binder/overrides.json $@

data: $(STAMP)
	@test -d data/sample/Pistachio_Image_Dataset/Pistachio_Image_Dataset || $(BIN)/python -m helpers data sample

lab: data $(LAB_SETTINGS)
	$(BIN)/jupyter lab --notebook-dir=. --port=$(LAB_PORT) $(ROOT_ARGS) $(LAB_ARGS) notebooks/00_setup_check.ipynb

test: $(STAMP) $(LAB_SETTINGS)
	$(BIN)/ruff check helpers tests notebooks
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider

run: data
	$(BIN)/python -m helpers run $(if $(DATA_DIR),--data-dir "$(DATA_DIR)") $(if $(OUT),--out "$(OUT)")

bench: data
	$(BIN)/python -m helpers bench $(if $(DATA_DIR),--data-dir "$(DATA_DIR)") --json build/bench.json --plot build/bench.png

clean:
	rm -rf build .pytest_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
