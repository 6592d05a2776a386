# Two entry points, each self-installing into .venv:
#   make calendars  check the bundled declarations and their solved schedule, print the
#                   reference grid, rebuild its feeds
#   make test       lint, type-check and run the test suite (what CI runs); the
#                   subscribe page's browser test needs Chromium and ChromeDriver,
#                   which `make browser` installs (as root, on Debian or Ubuntu)
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

.PHONY: calendars test browser lint typecheck pytest bench clean upgrade

$(INSTALLED): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[test,solve,publish,pdf]'
	$(COMPILE)
	touch $@

# Take the newest releases pyproject.toml allows, rebuild the bundled feeds with
# them and record the versions: review `git diff constraints.txt calendars/`.
upgrade:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --upgrade --editable '.[test,solve,publish,pdf]'
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

test: browser lint typecheck pytest

# The browser test drives Debian's Chromium through ChromeDriver. Installed here when
# missing and we are root (as CI is); otherwise say how, and the test skips saying why.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium chromium-driver; \
	else echo "note: the page's browser test will skip: install Chromium and ChromeDriver" \
		"(sudo apt-get install chromium chromium-driver)"; fi

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
