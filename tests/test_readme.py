"""The README is the user's manual: its promises are checked here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pe_schedule import RULE_KINDS, Role, StaffRole
from pe_schedule._internal.declaration.roster import (
    GROUP_KEYS,
    PERSON_KEYS,
    ROSTER_KEYS,
    STAFF_KEYS,
    TEAM_KEYS,
)
from pe_schedule._internal.model.audience import GROUP_KINDS
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


def _roster_section() -> str:
    return README.split("### The roster\n", 1)[1].split("\n## ", 1)[0]


def test_the_roster_example_is_the_example_file() -> None:
    """The README's complete small roster is examples/small.roster.toml, word for word."""
    block = _roster_section().split("```toml\n", 1)[1].split("```\n", 1)[0]
    assert block == (ROOT / "examples" / "small.roster.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("table", "keys"),
    [
        ("", ROSTER_KEYS),
        ("groups", GROUP_KEYS),
        ("teams", TEAM_KEYS),
        ("teams.people", PERSON_KEYS),
        ("staff", STAFF_KEYS),
    ],
)
def test_every_roster_key_is_explained(table: str, keys: tuple[str, ...]) -> None:
    """Each key the roster reader allows has a row (key, required, default, meaning)."""
    section = _roster_section()
    for key in keys:
        nested = f"{table}.{key}" if table else key
        name = rf"(\[\[{re.escape(nested)}\]\]|{key})"
        required = r"(yes|no|with [^|]+)"
        row = re.search(rf"^\| `{name}` \| {required} \|[^|]*\| [^|]+ \|$", section, re.M)
        assert row, (table, key)


def test_every_role_and_group_kind_is_explained() -> None:
    """Each person role, staff role and group kind is named in the roster section."""
    section = _roster_section()
    values = [*Role, *StaffRole, *GROUP_KINDS]
    assert [v.value for v in values if f"`{v.value}`" not in section] == []
