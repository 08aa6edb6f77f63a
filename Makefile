# Two entry points for a fresh machine (see README): `make run` and `make test`.
# Both create and reuse a local virtual environment in .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_APP  := $(VENV)/.installed-app
STAMP_TEST := $(VENV)/.installed-test
STAMP_DIST := $(VENV)/.installed-dist

.PHONY: run test lint typecheck pytest dist dist-check benchmarks screenshots i18n-extract clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_APP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(STAMP_APP)

$(STAMP_DIST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,dist]"
	touch $@ $(STAMP_TEST) $(STAMP_APP)

## Install (once) and launch the desktop application.
run: $(STAMP_APP)
	$(BIN)/practitioner-toolkit

## Install (once) and run every check: lint, types, the whole test suite.
test: $(STAMP_TEST)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP_TEST)
	$(BIN)/ruff check src tests benchmarks tools

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

pytest: $(STAMP_TEST)
	$(BIN)/python -m pytest

## Build the one-folder application with PyInstaller into dist/PractitionerToolkit.
dist: $(STAMP_DIST)
	$(BIN)/pyinstaller --noconfirm --clean build.spec

## Smoke-test the built folder: version, then a headless workspace + form + PDF self-check.
dist-check: dist
	QT_QPA_PLATFORM=offscreen dist/PractitionerToolkit/PractitionerToolkit --version
	QT_QPA_PLATFORM=offscreen PTK_DATA_DIR=$$(mktemp -d) dist/PractitionerToolkit/ptk self-check
	du -sh dist/PractitionerToolkit

benchmarks: $(STAMP_TEST)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

screenshots: $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m practitioner_toolkit.ui.screenshots screenshots

## Refresh translations/messages.pot and merge it into every language catalog.
i18n-extract: $(STAMP_TEST)
	$(BIN)/python tools/i18n_catalogs.py update

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
