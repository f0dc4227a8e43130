# Two commands on a fresh machine:
#   make repro   set up .venv from requirements.txt, then run the whole DVC pipeline on the demo data
#   make test    same set-up, then the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.requirements-installed
# `dvc plots show` page template with Vega inlined, so the plots draw offline (.dvc/config points to it).
PLOTS_TEMPLATE := .dvc/plots.html
# Stage commands in dvc.yaml call `python`: make it the environment's.
export PATH := $(BIN):$(PATH)

.PHONY: setup repro test test-fast mutate plots bench readme deps architecture clean-venv

setup: $(STAMP) $(PLOTS_TEMPLATE)

# The alskit package (src/, pyproject.toml) goes in editable: code changes need no reinstall.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(PLOTS_TEMPLATE): $(STAMP) tools/dvc_plots.py
	$(BIN)/python tools/dvc_plots.py template $@

repro: setup
	$(BIN)/dvc repro

test: setup
	$(BIN)/python -m pytest

# The unit and bad-input tests, without the end-to-end repro and the few whole-stage runs (marked slow).
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

# Mutation testing of the statistical and leakage core, one module at a time (tests/mutation.yaml lists them;
# no MODULE: the list with each one's last result here). Not part of `make test`: minutes per module.
mutate: setup
	$(BIN)/python tools/mutate.py $(MODULE) $(if $(FRESH),--fresh)

# Every chart `dvc plots show` declares rendered to dvc_plots/png/ with vl-convert (no browser): each must draw.
# BROWSER=1: the HTML page in headless Chromium instead (Debian: apt install chromium), screenshot.png beside it.
plots: setup
	$(BIN)/python tools/dvc_plots.py check dvc_plots $(if $(BROWSER),--browser)

# Copy the report's headline and study sections into README.md and docs/ (after a `dvc repro`; a test checks
# the committed copies against the committed report).
readme: setup
	$(BIN)/python tools/readme_results.py

# Write each dvc.yaml stage's library deps from its script's imports (after adding or moving an import; a test checks).
deps: setup
	$(BIN)/python tools/dvc_deps.py

# docs/architecture.md: every folder and module of the code with its docstring's first sentence (a test checks).
architecture: setup
	$(BIN)/python tools/architecture.py

bench: setup
	$(BIN)/python benchmarks/bdb_synthesize.py
	$(BIN)/python benchmarks/bdb_train.py
	$(BIN)/python benchmarks/bdb_spread.py
	$(BIN)/python benchmarks/voice_features.py
	$(BIN)/python benchmarks/voice_acoustic.py
	$(BIN)/python benchmarks/voice_cnn.py
	$(BIN)/python benchmarks/prognosis.py
	$(BIN)/python benchmarks/compute.py

clean-venv:
	rm -rf $(VENV)
