"""The README is the user's manual: its promises are checked here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pe_schedule import RULE_KINDS
from pe_schedule.cli import COMMANDS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [command.name for command in COMMANDS])
def test_every_command_is_documented(command: str) -> None:
    """Each subcommand appears in the README's command table."""
    assert re.search(rf"^\| `pe-schedule {command}\b", README, re.MULTILINE), command


def test_quick_start_is_two_commands() -> None:
    """The quick start is exactly `make calendars` and `make test`, and CI runs the second."""
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [
        line.split("#")[0].strip() for line in section.splitlines() if line.startswith("    ")
    ]
    assert commands == ["make calendars", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_rule_kind_is_documented() -> None:
    """The rules table names every rule kind a declaration may use."""
    for kind in RULE_KINDS:
        assert f"| `{kind}` |" in README, kind
