"""Shared pytest set-up (append only: several helpers add to it)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# The long local fuzz run: HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz.py
# (tests/test_fuzz.py multiplies its own example counts by 100 under this profile).
settings.register_profile("long", deadline=None, print_blob=True)
if os.environ.get("HYPOTHESIS_PROFILE") == "long":
    settings.load_profile("long")


# --- One minimal declaration, shared by the tests that need a small valid file. ---
# Tests derive their variants from it with ``.replace(...)``: each line below is
# written once, so a replacement of one of them changes exactly that line.

#: The smallest valid declaration: one programme, one cohort, one activity in two months.
MINIMAL_DECLARATION = """\
[programme]
id = "demo"
name = "Demo"
first_month = "2023-01"
last_month = "2023-12"
timezone = "America/New_York"

[[cohorts]]
id = "cohort"
name = "Cohort"

[[cohorts.activities]]
id = "call"
name = "Call"
months = [1, 3]
"""


@pytest.fixture
def minimal_declaration(tmp_path: Path) -> Path:
    """:data:`MINIMAL_DECLARATION`, written to ``tmp_path/demo.toml``."""
    path = tmp_path / "demo.toml"
    path.write_text(MINIMAL_DECLARATION, encoding="utf-8")
    return path


# --- Golden files (tests/test_golden.py). ---


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--regenerate-golden``: rewrite the golden feeds from a build instead of comparing."""
    parser.addoption(
        "--regenerate-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*/ from a build of each golden declaration (review the diff!)",
    )


@pytest.fixture
def regenerate_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run was asked to rewrite the golden files rather than compare with them."""
    return bool(request.config.getoption("--regenerate-golden"))


# --- Progress on a terminal (tests/test_progress.py, and publish's in its own tests). ---


class Terminal(io.StringIO):
    """Standard error as a terminal sees it."""

    def isatty(self) -> bool:
        return True


class Pipe(io.StringIO):
    """Standard error sent to a pipe or a log."""

    def isatty(self) -> bool:
        return False


@pytest.fixture
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment that allows drawing (no CI, colour allowed, a capable terminal)."""
    for name in ("CI", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


# --- A local S3 server (tests/test_publish_s3.py, tests/test_ci_workflows.py). ---


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on a free port of 127.0.0.1, for the whole module: its address."""
    # Imported here: moto is slow to import, and only the modules using S3 need it.
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
