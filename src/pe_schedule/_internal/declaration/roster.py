"""Reading a roster file: the teams, people and groups of a programme.

A roster file sits beside a declaration in ``calendars/``::

    programme = "pursuing-equity-2023-2024"   # optional; checked against the declaration

    [[groups]]
    id = "ln-coaching-1"
    name = "Coaching group 1"
    kind = "coaching-group"                    # or "affinity-group"

    [[teams]]
    id = "ln-01"
    name = "Riverside Community Health"
    cohort = "learning-network"
    coaching_group = "ln-coaching-1"           # optional
    timezone = "America/Chicago"

    [[teams.people]]
    id = "ln-01-ada-okafor"
    name = "Ada Okafor"
    role = "senior-leader"                     # member (default), senior-leader, alternate-senior-leader
    affinity_group = "people-of-colour"        # optional
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import attrs

from pe_schedule._internal.declaration.source import (
    Report,
    Table,
    describe,
    did_you_mean,
    named,
    one_of,
    read_toml,
)
from pe_schedule._internal.model.audience import GROUP_KINDS, AudienceKind
from pe_schedule._internal.model.roster import Group, Person, Role, Roster, Team

#: Rosters come from spreadsheets and may be large (100,000 people is about 10 MB);
#: anything far larger is a wrong file.
MAX_ROSTER_BYTES = 64 * 1024 * 1024

#: The keys of each kind of roster table.
GROUP_KEYS = ("id", "name", "kind")
TEAM_KEYS = ("id", "name", "cohort", "coaching_group", "timezone", "people")
PERSON_KEYS = ("id", "name", "role", "affinity_group")


@attrs.define
class _Reading:
    """What the reader has met so far in one roster file (internal)."""

    report: Report
    cohorts: Collection[str] | None
    group_kinds: dict[str, AudienceKind] = attrs.Factory(dict)
    #: (key path, id) of every id met, per kind of table, for the uniqueness check.
    ids: dict[str, list[tuple[str, str]]] = attrs.Factory(dict)

    def saw(self, what: str, table: Table, item_id: str | None) -> None:
        if item_id:
            self.ids.setdefault(what, []).append((table.at("id"), item_id))


def load_roster(path: str | Path, *, cohorts: Collection[str] | None = None) -> Roster:
    """Read a roster file.

    Args:
        path: the roster's TOML file.
        cohorts: the cohort ids teams may name; unchecked when ``None``.

    Returns:
        The roster, in file order.

    Raises:
        DeclarationError: with every problem of the file: wrong types, unknown
            keys, duplicate ids, unknown cohorts, groups or time zones.
    """
    path = Path(path)
    data = read_toml(path, limit=MAX_ROSTER_BYTES, what="a roster")
    reading = _Reading(report=Report(str(path)), cohorts=cohorts)
    root = Table(data, "", reading.report)
    root.allow("programme", "groups", "teams")
    programme = root.text("programme", required=False)
    groups = [_group(table, reading) for table in root.tables("groups", required=False)]
    reading.group_kinds = {group.id: group.kind for group in groups if group is not None}
    _unique(reading.report, reading.ids.pop("group", []))
    teams: list[Team] = []
    people: list[Person] = []
    for table in root.tables("teams"):
        team, members = _team(table, reading)
        people.extend(members)
        if team is not None:
            teams.append(team)
    for places in reading.ids.values():
        _unique(reading.report, places)
    reading.report.raise_if_any()
    return Roster(
        teams=tuple(teams),
        people=tuple(people),
        groups=tuple(group for group in groups if group is not None),
        programme=programme,
    )


def _group(table: Table, reading: _Reading) -> Group | None:
    table.allow(*GROUP_KEYS)
    group_id = table.slug("id")
    reading.saw("group", table, group_id)
    name = table.text("name", required=False, default=group_id)
    kind = table.choice("kind", named(GROUP_KINDS), required=True)
    if group_id and name and kind:
        return Group(id=group_id, name=name, kind=kind)
    return None


def _team(table: Table, reading: _Reading) -> tuple[Team | None, list[Person]]:
    table.allow(*TEAM_KEYS)
    team_id = table.slug("id")
    reading.saw("team", table, team_id)
    name = table.text("name", required=False, default=team_id)
    cohort = table.text("cohort")
    if cohort is not None and reading.cohorts is not None and cohort not in reading.cohorts:
        table.problem(
            "cohort",
            expected="a cohort of the programme: " + one_of(reading.cohorts),
            found=describe(cohort),
            hint=did_you_mean(cohort, reading.cohorts),
        )
    coaching = table.text("coaching_group", required=False)
    _check_group(table, "coaching_group", coaching, AudienceKind.COACHING_GROUP, reading)
    zone = table.zone(required=True)
    people = [
        _person(person, team_id, reading) for person in table.tables("people", required=False)
    ]
    members = [person for person in people if person is not None]
    if team_id and name and cohort and zone:
        team = Team(id=team_id, name=name, cohort=cohort, coaching_group=coaching, timezone=zone)
        return team, members
    return None, members


def _person(table: Table, team_id: str | None, reading: _Reading) -> Person | None:
    table.allow(*PERSON_KEYS)
    person_id = table.slug("id")
    reading.saw("person", table, person_id)
    name = table.text("name", required=False, default=person_id)
    role = table.choice("role", named(Role), default=Role.MEMBER)
    affinity = table.text("affinity_group", required=False)
    _check_group(table, "affinity_group", affinity, AudienceKind.AFFINITY_GROUP, reading)
    if person_id and name and role and team_id:
        return Person(id=person_id, name=name, team=team_id, role=role, affinity_group=affinity)
    return None


def _check_group(
    table: Table, key: str, group_id: str | None, kind: AudienceKind, reading: _Reading
) -> None:
    # A dictionary look-up first: listing the choices for every person made loading
    # a large roster quadratic.
    if group_id is None or reading.group_kinds.get(group_id) is kind:
        return
    choices = [g for g, k in reading.group_kinds.items() if k is kind]
    if group_id not in choices:
        table.problem(
            key,
            expected=f"the id of {kind.article} {kind.value} declared under [[groups]]",
            found=describe(group_id),
            hint=did_you_mean(group_id, choices),
        )


def _unique(report: Report, places: list[tuple[str, str]]) -> None:
    """Report every id (with its key path) that an earlier entry already uses."""
    first: dict[str, str] = {}
    for path, item in places:
        if item in first:
            report.add(
                path,
                expected="an id not used before in the roster",
                found=f"{item!r}, already the id at {first[item]}",
            )
        else:
            first[item] = path


__all__ = ["GROUP_KEYS", "MAX_ROSTER_BYTES", "PERSON_KEYS", "TEAM_KEYS", "load_roster"]
