"""Who takes part: teams, people and the groups they meet in.

A roster file sits beside a declaration in ``calendars/`` and drives the
fan-out of activities into parallel sessions: one per team, per coaching group
or per affinity group. It also answers "which events are mine?": each team and
each person has a set of :class:`~pe_schedule.event.Target` values, and an
event is theirs when its target is in that set.

The file format::

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

import enum
import functools
from collections.abc import Collection
from pathlib import Path

import attrs

from pe_schedule.event import Target, TargetKind
from pe_schedule.exceptions import PeScheduleError
from pe_schedule.source import Report, Table, describe, did_you_mean, one_of, read_toml
from pe_schedule.timing import check_zone

#: Rosters come from spreadsheets and may be large (100,000 people is about 10 MB);
#: anything far larger is a wrong file.
MAX_ROSTER_BYTES = 64 * 1024 * 1024

#: The kinds a roster group can be.
GROUP_KINDS = (TargetKind.COACHING_GROUP, TargetKind.AFFINITY_GROUP)


class Role(enum.Enum):
    """A person's role in their team."""

    MEMBER = "member"
    SENIOR_LEADER = "senior-leader"
    ALTERNATE_SENIOR_LEADER = "alternate-senior-leader"

    @property
    def leads(self) -> bool:
        """Whether the role joins the senior leaders' calls."""
        return self is not Role.MEMBER


@attrs.frozen(kw_only=True)
class Team:
    """One participating team.

    >>> Team(id="ac-01", name="Harbor Health", cohort="action-community",
    ...      coaching_group=None, timezone="America/Denver").timezone
    'America/Denver'
    """

    id: str
    name: str
    cohort: str
    coaching_group: str | None = None
    #: The IANA zone the team works in, for showing them their own local times.
    timezone: str


@attrs.frozen(kw_only=True)
class Person:
    """One participant, in one team."""

    id: str
    name: str
    team: str
    role: Role = Role.MEMBER
    affinity_group: str | None = None


@attrs.frozen(kw_only=True)
class Group:
    """A coaching group or an affinity group that meets as one session."""

    id: str
    name: str
    kind: TargetKind = attrs.field(validator=attrs.validators.in_(GROUP_KINDS))


@attrs.frozen(kw_only=True)
class Roster:
    """Every team, person and group of a programme.

    >>> roster = Roster(
    ...     programme="p",
    ...     teams=(Team(id="t", name="T", cohort="c", timezone="America/New_York"),),
    ...     people=(Person(id="ann", name="Ann", team="t", role=Role.SENIOR_LEADER),),
    ...     groups=(),
    ... )
    >>> sorted(str(target) for target in roster.targets_of_person("ann"))
    ['cohort:c', 'programme:p', 'senior-leaders:c', 'team:t']
    """

    teams: tuple[Team, ...]
    people: tuple[Person, ...]
    groups: tuple[Group, ...]
    #: The programme the roster belongs to; ``None`` until a declaration names it.
    programme: str | None = None

    # Indexes by id: a build looks up every person and team, and a scan per look-up
    # made a 100,000-person build quadratic.
    @functools.cached_property
    def _teams_by_id(self) -> dict[str, Team]:
        return {team.id: team for team in reversed(self.teams)}

    @functools.cached_property
    def _people_by_id(self) -> dict[str, Person]:
        return {person.id: person for person in reversed(self.people)}

    @functools.cached_property
    def _groups_by_id(self) -> dict[str, Group]:
        return {group.id: group for group in reversed(self.groups)}

    def team(self, team_id: str) -> Team:
        """The team with ``team_id`` (the first, should two share it).

        Raises:
            KeyError: if there is no such team.
        """
        return self._teams_by_id[team_id]

    def person(self, person_id: str) -> Person:
        """The person with ``person_id`` (the first, should two share it).

        Raises:
            KeyError: if there is no such person.
        """
        return self._people_by_id[person_id]

    def group(self, group_id: str) -> Group:
        """The group with ``group_id`` (the first, should two share it).

        Raises:
            KeyError: if there is no such group.
        """
        return self._groups_by_id[group_id]

    def teams_of(self, cohort: str) -> tuple[Team, ...]:
        """The teams of ``cohort``, in roster order."""
        return tuple(team for team in self.teams if team.cohort == cohort)

    def members(self, team_id: str) -> tuple[Person, ...]:
        """The people of team ``team_id``, in roster order."""
        return tuple(person for person in self.people if person.team == team_id)

    def groups_of(self, cohort: str, kind: TargetKind) -> tuple[Group, ...]:
        """The groups of ``kind`` with at least one team or person of ``cohort``."""
        teams = {team.id for team in self.teams_of(cohort)}
        used: set[str] = set()
        if kind is TargetKind.COACHING_GROUP:
            used = {t.coaching_group for t in self.teams_of(cohort) if t.coaching_group}
        elif kind is TargetKind.AFFINITY_GROUP:
            used = {p.affinity_group for p in self.people if p.team in teams and p.affinity_group}
        return tuple(group for group in self.groups if group.kind is kind and group.id in used)

    def targets_of_team(self, team_id: str) -> frozenset[Target]:
        """Every audience the whole team belongs to.

        The programme (when known), the team's cohort, the team and its coaching group.

        Raises:
            KeyError: if there is no such team.
        """
        team = self.team(team_id)
        targets = {
            Target(kind=TargetKind.COHORT, key=team.cohort),
            Target(kind=TargetKind.TEAM, key=team.id),
        }
        if self.programme is not None:
            targets.add(Target(kind=TargetKind.PROGRAMME, key=self.programme))
        if team.coaching_group is not None:
            targets.add(Target(kind=TargetKind.COACHING_GROUP, key=team.coaching_group))
        return frozenset(targets)

    def targets_of_person(self, person_id: str) -> frozenset[Target]:
        """Every audience one person belongs to.

        Their team's audiences, their affinity group, and their cohort's senior
        leaders if they are a senior leader or an alternate.

        Raises:
            KeyError: if there is no such person.
        """
        person = self.person(person_id)
        targets = set(self.targets_of_team(person.team))
        if person.affinity_group is not None:
            targets.add(Target(kind=TargetKind.AFFINITY_GROUP, key=person.affinity_group))
        if person.role.leads:
            targets.add(Target(kind=TargetKind.SENIOR_LEADERS, key=self.team(person.team).cohort))
        return frozenset(targets)


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
    file = str(path)
    data = read_toml(path, limit=MAX_ROSTER_BYTES, what="a roster")
    report = Report(file)
    root = Table(data, "", report)
    root.allow("programme", "groups", "teams")
    programme = root.text("programme", required=False)

    groups: list[Group] = []
    group_ids: list[tuple[str, str]] = []
    team_ids: list[tuple[str, str]] = []
    person_ids: list[tuple[str, str]] = []
    kinds = [kind.value for kind in GROUP_KINDS]
    for table in root.tables("groups", required=False):
        table.allow("id", "name", "kind")
        group_id = table.slug("id")
        if group_id:
            group_ids.append((table.at("id"), group_id))
        name = table.text("name", required=False, default=group_id)
        kind = table.text("kind")
        if kind is not None and kind not in kinds:
            table.problem(
                "kind", expected=one_of(kinds), found=describe(kind), hint=did_you_mean(kind, kinds)
            )
            kind = None
        if group_id and name and kind:
            groups.append(Group(id=group_id, name=name, kind=TargetKind(kind)))
    _unique(report, group_ids)
    group_kinds = {group.id: group.kind for group in groups}

    teams: list[Team] = []
    people: list[Person] = []
    roles = [role.value for role in Role]
    for table in root.tables("teams"):
        table.allow("id", "name", "cohort", "coaching_group", "timezone", "people")
        team_id = table.slug("id")
        if team_id:
            team_ids.append((table.at("id"), team_id))
        name = table.text("name", required=False, default=team_id)
        cohort = table.text("cohort")
        if cohort is not None and cohorts is not None and cohort not in cohorts:
            table.problem(
                "cohort",
                expected="a cohort of the programme: " + one_of(cohorts),
                found=describe(cohort),
                hint=did_you_mean(cohort, cohorts),
            )
        coaching = table.text("coaching_group", required=False)
        _check_group(table, "coaching_group", coaching, TargetKind.COACHING_GROUP, group_kinds)
        zone = table.parsed("timezone", check_zone, "an IANA time zone such as 'America/Chicago'")
        for person_table in table.tables("people", required=False):
            person_table.allow("id", "name", "role", "affinity_group")
            person_id = person_table.slug("id")
            if person_id:
                person_ids.append((person_table.at("id"), person_id))
            person_name = person_table.text("name", required=False, default=person_id)
            role = person_table.text("role", required=False, default=Role.MEMBER.value)
            if role is not None and role not in roles:
                person_table.problem(
                    "role",
                    expected=one_of(roles),
                    found=describe(role),
                    hint=did_you_mean(role, roles),
                )
                role = None
            affinity = person_table.text("affinity_group", required=False)
            _check_group(
                person_table, "affinity_group", affinity, TargetKind.AFFINITY_GROUP, group_kinds
            )
            if person_id and person_name and role and team_id:
                people.append(
                    Person(
                        id=person_id,
                        name=person_name,
                        team=team_id,
                        role=Role(role),
                        affinity_group=affinity,
                    )
                )
        if team_id and name and cohort and zone:
            teams.append(
                Team(id=team_id, name=name, cohort=cohort, coaching_group=coaching, timezone=zone)
            )
    _unique(report, team_ids)
    _unique(report, person_ids)
    report.raise_if_any()
    return Roster(
        teams=tuple(teams), people=tuple(people), groups=tuple(groups), programme=programme
    )


def _check_group(
    table: Table,
    key: str,
    group_id: str | None,
    kind: TargetKind,
    group_kinds: dict[str, TargetKind],
) -> None:
    # A dictionary look-up first: listing the choices for every person made loading
    # a large roster quadratic.
    if group_id is None or group_kinds.get(group_id) is kind:
        return
    choices = [g for g, k in group_kinds.items() if k is kind]
    article = "an" if kind is TargetKind.AFFINITY_GROUP else "a"
    if group_id not in choices:
        table.problem(
            key,
            expected=f"the id of {article} {kind.value} declared under [[groups]]",
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


def require_roster(roster: Roster | None, what: str) -> Roster:
    """``roster``, or a :class:`PeScheduleError` saying ``what`` needs one."""
    if roster is None:
        raise PeScheduleError(
            f"{what} needs a roster; declare one under [programme] roster = '...'"
        )
    return roster


__all__ = [
    "GROUP_KINDS",
    "MAX_ROSTER_BYTES",
    "Group",
    "Person",
    "Role",
    "Roster",
    "Team",
    "load_roster",
    "require_roster",
]
