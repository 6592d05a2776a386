# Two entry points, each self-installing into .venv:
#   make calendars  check the bundled declarations and their solved schedule, print the
#                   reference grid, rebuild its feeds
#   make test       lint, type-check and run the test suite (what CI runs)
# Both install the exact versions in constraints.txt, so the committed feeds
# (compared byte for byte) do not change under us when tzdata, holidays or
# icalendar release; `make upgrade` moves to new releases deliberately.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
REFERENCE := calendars/pursuing-equity-2023-2024.toml
# pip byte-compiles what it installs into site-packages, but an editable install
# leaves src/ uncompiled: the first run of every command would pay for compiling it.
COMPILE := $(BIN)/python -m compileall -q src

.PHONY: calendars test lint typecheck pytest bench clean upgrade

$(INSTALLED): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[test,solve,publish]'
	$(COMPILE)
	touch $@

# Take the newest releases pyproject.toml allows, rebuild the bundled feeds with
# them and record the versions: review `git diff constraints.txt calendars/`.
upgrade:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --upgrade --editable '.[test,solve,publish]'
	{ head -n 3 constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | sed '/^-e /d'; } > constraints.new
	mv constraints.new constraints.txt
	$(COMPILE)
	touch $(INSTALLED)
	$(BIN)/pe-schedule build calendars

calendars: $(INSTALLED)
	$(BIN)/pe-schedule check calendars
	$(BIN)/pe-schedule solve $(REFERENCE) --check
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
