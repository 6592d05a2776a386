# Two entry points, each self-installing into .venv:
#   make calendars  check the bundled declarations, print the reference grid, rebuild its feeds
#   make test       lint, type-check and run the test suite (what CI runs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
REFERENCE := calendars/pursuing-equity-2023-2024.toml

.PHONY: calendars test lint typecheck pytest bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $@

calendars: $(INSTALLED)
	$(BIN)/pe-schedule check calendars
	$(BIN)/pe-schedule grid $(REFERENCE) --format markdown
	$(BIN)/pe-schedule build calendars

test: lint typecheck pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(INSTALLED)
	$(BIN)/mypy

pytest: $(INSTALLED)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache .hypothesis
