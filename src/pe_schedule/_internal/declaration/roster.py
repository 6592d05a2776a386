"""Reading a roster file: the teams, people, groups and staff of a programme.

A roster file sits beside a declaration in ``calendars/``::

    programme = "pursuing-equity-2023-2024"   # optional; checked against the declaration
    working_hours = "09:00-17:00"              # optional: everyone's working day (the default)
    working_days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]   # the default

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
    working_hours = "07:00-15:00"              # optional: the team's own working day
    unavailable = [2023-07-03]                 # optional: dates the team is away
    attributes = { region = "Midwest", size = "small" }   # optional: texts solve groups by

    [[teams.people]]
    id = "ln-01-ada-okafor"
    name = "Ada Okafor"
    role = "senior-leader"                     # member (default), senior-leader, alternate-senior-leader
    affinity_group = "people-of-colour"        # optional

    [[staff]]
    id = "coach-amara-lewis"
    name = "Amara Lewis"
    role = "coach"                             # coach (default) or faculty
    timezone = "America/New_York"
    working_hours = "10:00-18:00"              # optional, default the roster's
    working_days = ["Monday", "Tuesday"]       # optional, default the roster's
    blackout = [2023-08-14]                    # optional: dates away
    max_per_day = 3                            # optional: most sessions led in one day
    leads = ["learning-network/group-coaching"]   # activities, as cohort/activity
    only = ["ln-coaching-1"]                   # optional: the only sessions they may lead
    assigned = ["ln-coaching-1"]               # optional: sessions that are theirs for good

``only`` and ``assigned`` name sessions by their team or group id. Coaching
groups may not exist yet (``pe-schedule solve`` forms them, ``prefix-N``), so
an id that names no team and no declared group is taken as a group to come,
unless it is no ``prefix-N`` and a near miss of a roster id (a typo); an id
that names a team must name a team of a cohort whose activities the staff
member leads, and everything ``assigned`` must be ``only`` too when ``only`` is
given.

Every mistake is reported at its key path with what was expected and, where
one is close, the choice meant: a misspelt key, role, group kind or weekday,
a group of the wrong kind, an array of tables under a guessed name
(``[[teams.members]]`` is ``[[teams.people]]``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import attrs

from pe_schedule._internal.declaration.availability import read_dates, read_hours, read_weekdays
from pe_schedule._internal.declaration.source import (
    MAX_ROSTER_BYTES,
    Report,
    Table,
    describe,
    did_you_mean,
    is_slug,
    named,
    one_of,
    read_toml,
)
from pe_schedule._internal.model.audience import GROUP_KINDS, AudienceKind
from pe_schedule._internal.model.availability import NINE_TO_FIVE, WEEKDAYS
from pe_schedule._internal.model.roster import (
    Group,
    Person,
    Role,
    Roster,
    Staff,
    StaffRole,
    Team,
)

#: The keys of each kind of roster table.
ROSTER_KEYS = ("programme", "working_hours", "working_days", "groups", "teams", "staff")
GROUP_KEYS = ("id", "name", "kind")
TEAM_KEYS = (
    "id",
    "name",
    "cohort",
    "coaching_group",
    "timezone",
    "working_hours",
    "unavailable",
    "attributes",
    "people",
)
PERSON_KEYS = ("id", "name", "role", "affinity_group")
STAFF_KEYS = (
    "id",
    "name",
    "role",
    "timezone",
    "working_hours",
    "working_days",
    "blackout",
    "max_per_day",
    "leads",
    "only",
    "assigned",
)
_PEOPLE_HINT = "did you mean 'teams'? people are [[teams.people]] tables, each under its team"
#: Arrays of tables a newcomer may guess at the top of a roster, and what they meant.
_ROOT_TABLES = {
    **dict.fromkeys(("people", "person", "persons", "members", "participants"), _PEOPLE_HINT),
    **dict.fromkeys(
        ("group", "coaching_groups", "affinity_groups", "coaching-groups", "affinity-groups"),
        "did you mean 'groups'? both kinds of group are [[groups]] tables, with a kind",
    ),
    **dict.fromkeys(("coach", "coaches", "faculty"), "did you mean 'staff'?"),
}
#: Any array of tables in a team is its people.
_TEAM_TABLES = {"": "did you mean 'people'? a team's people are [[teams.people]] tables"}
#: How many choices an error message lists before it only counts them.
_MOST_LISTED = 20
#: The id of a coaching group pe-schedule solve forms: a grouping's prefix and its number.
_GROUP_TO_COME = re.compile(r".+-[0-9]+")
#: What an entry of a staff member's ``leads`` looks like.
LEADS_EXPECTED = "an activity written 'cohort/activity', such as 'learning-network/group-coaching'"


@attrs.define
class _Reading:
    """What the reader has met so far in one roster file (internal)."""

    report: Report
    cohorts: Collection[str] | None
    #: The ``cohort/activity`` refs staff may lead; unchecked when ``None``.
    activities: Collection[str] | None = None
    #: The ``cohort/activity`` refs of activities shared by several cohorts: no one leads them.
    shared: Collection[str] = ()
    group_kinds: dict[str, AudienceKind] = attrs.Factory(dict)
    #: The id of every ``[[groups]]`` table, its kind read or not.
    group_ids: set[str] = attrs.Factory(set)
    #: The cohort of every team read so far, by team id.
    team_cohorts: dict[str, str] = attrs.Factory(dict)
    #: (key path, id) of every id met, per kind of table, for the uniqueness check.
    ids: dict[str, list[tuple[str, str]]] = attrs.Factory(dict)

    def saw(self, what: str, table: Table, item_id: str | None) -> None:
        if item_id:
            self.ids.setdefault(what, []).append((table.at("id"), item_id))


def load_roster(
    path: str | Path,
    *,
    cohorts: Collection[str] | None = None,
    activities: Collection[str] | None = None,
    shared: Collection[str] = (),
) -> Roster:
    """Read a roster file.

    Args:
        path: the roster's TOML file.
        cohorts: the cohort ids teams may name; unchecked when ``None``.
        activities: the activities staff may lead, written ``cohort/activity``;
            unchecked when ``None``.
        shared: the activities shared by several cohorts, which no one may lead
            (their sessions are fixed for every cohort alike).

    Returns:
        The roster, in file order.

    Raises:
        DeclarationError: with every problem of the file: wrong types, unknown
            keys, duplicate ids, unknown cohorts, groups, activities or time
            zones, malformed working hours, weekdays or dates.
    """
    path = Path(path)
    data = read_toml(path, limit=MAX_ROSTER_BYTES, what="a roster")
    reading = _Reading(
        report=Report(str(path)), cohorts=cohorts, activities=activities, shared=shared
    )
    root = Table(data, "", reading.report)
    _allow(root, ROSTER_KEYS, _ROOT_TABLES)
    programme = root.text("programme", required=False)
    hours = read_hours(root)
    days = read_weekdays(root)
    groups = [_group(table, reading) for table in root.tables("groups", required=False)]
    reading.group_kinds = {group.id: group.kind for group in groups if group is not None}
    group_places = reading.ids.pop("group", [])
    reading.group_ids = {group_id for _, group_id in group_places}
    _unique(reading.report, group_places)
    teams, people = _teams(root, reading)
    staff = [_staff(table, reading) for table in root.tables("staff", required=False)]
    for places in reading.ids.values():
        _unique(reading.report, places)
    reading.report.raise_if_any()
    return Roster(
        teams=tuple(teams),
        people=tuple(people),
        groups=tuple(group for group in groups if group is not None),
        programme=programme,
        staff=tuple(member for member in staff if member is not None),
        working_hours=hours or NINE_TO_FIVE,
        working_days=WEEKDAYS if days is None else days,
    )


def _teams(root: Table, reading: _Reading) -> tuple[list[Team], list[Person]]:
    """Every team of the roster and every person in them."""
    teams: list[Team] = []
    people: list[Person] = []
    for table in root.tables("teams"):
        team, members = _team(table, reading)
        people.extend(members)
        if team is not None:
            teams.append(team)
    return teams, people


def _group(table: Table, reading: _Reading) -> Group | None:
    _allow(table, GROUP_KEYS, {})
    group_id = table.slug("id")
    reading.saw("group", table, group_id)
    name = table.text("name", required=False, default=group_id)
    kind = table.choice("kind", named(GROUP_KINDS), required=True)
    if group_id and name and kind:
        return Group(id=group_id, name=name, kind=kind)
    return None


def _allow(table: Table, keys: Sequence[str], tables: Mapping[str, str]) -> None:
    """Report every key of ``table`` that is not one of ``keys``, with the likeliest one.

    Past a close spelling, an unknown array of tables gets the hint ``tables``
    holds for its name (``""`` for any name): ``[[teams.members]]`` can only be
    the team's people, ``[[coaches]]`` only the staff.
    """
    for key, value in table.data.items():
        if key in keys:
            continue
        hint = did_you_mean(key, keys)
        if hint is None and _holds_tables(value):
            hint = tables.get(key.strip().lower(), tables.get(""))
        table.report.add(
            table.at(key),
            expected="a known key: " + one_of(keys),
            found="an unknown key",
            hint=hint,
        )


def _holds_tables(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _team(table: Table, reading: _Reading) -> tuple[Team | None, list[Person]]:
    _allow(table, TEAM_KEYS, _TEAM_TABLES)
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
    hours = read_hours(table)
    away = read_dates(table, "unavailable")
    attributes = _attributes(table)
    people = [
        _person(person, team_id, reading) for person in table.tables("people", required=False)
    ]
    members = [person for person in people if person is not None]
    if team_id and cohort:
        # Known even when the entry is broken, so staff sessions naming it are still checked.
        reading.team_cohorts.setdefault(team_id, cohort)
    if team_id and name and cohort and zone:
        team = Team(
            id=team_id,
            name=name,
            cohort=cohort,
            coaching_group=coaching,
            timezone=zone,
            attributes=attributes,
            working_hours=hours,
            unavailable=away or frozenset(),
        )
        return team, members
    return None, members


def _attributes(table: Table) -> tuple[tuple[str, str], ...]:
    """A team's attributes, ``{ region = "West" }``: names as written, values texts.

    Values are texts only: solve compares them as written, and a number would
    invite reading ``size = 12`` as "at most 12" rather than a label.
    """
    holder = table.table("attributes", required=False)
    if holder is None:
        return ()
    pairs = []
    for name, value in holder.data.items():
        if not name.strip() or not name.isprintable():
            holder.problem(name, expected="an attribute name such as 'region'", found=repr(name))
        elif isinstance(value, bool | int | float):
            holder.problem(
                name,
                expected="a text such as 'small' (attribute values are labels)",
                found=describe(value),
                hint=f'write it in quotes: {name} = "{str(value).lower()}"',
            )
        else:
            text = holder.text(name)
            if text is not None:
                pairs.append((name, text))
    return tuple(pairs)


def _person(table: Table, team_id: str | None, reading: _Reading) -> Person | None:
    _allow(table, PERSON_KEYS, {})
    person_id = table.slug("id")
    reading.saw("person", table, person_id)
    name = table.text("name", required=False, default=person_id)
    role = table.choice("role", named(Role), default=Role.MEMBER)
    affinity = table.text("affinity_group", required=False)
    _check_group(table, "affinity_group", affinity, AudienceKind.AFFINITY_GROUP, reading)
    if person_id and name and role and team_id:
        return Person(id=person_id, name=name, team=team_id, role=role, affinity_group=affinity)
    return None


def _staff(table: Table, reading: _Reading) -> Staff | None:
    """One ``[[staff]]`` member: a coach or faculty member who leads sessions."""
    _allow(table, STAFF_KEYS, {})
    staff_id = table.slug("id")
    reading.saw("staff", table, staff_id)
    name = table.text("name", required=False, default=staff_id)
    role = table.choice("role", named(StaffRole), default=StaffRole.COACH)
    zone = table.zone(required=True)
    hours = read_hours(table)
    days = read_weekdays(table)
    blackout = read_dates(table, "blackout")
    most = table.value("max_per_day", int, "a whole number of sessions such as 3", required=False)
    if most is not None and most < 1:
        table.problem(
            "max_per_day", expected="a whole number of sessions of at least 1", found=str(most)
        )
    leads = _leads(table, reading)
    only, assigned = _own_sessions(table, leads, reading)
    if not (staff_id and name and role and zone):
        return None
    return Staff(
        id=staff_id,
        name=name,
        role=role,
        timezone=zone,
        working_hours=hours,
        working_days=days,
        blackout=blackout or frozenset(),
        max_per_day=most if most is not None and most >= 1 else None,
        leads=leads,
        only=only,
        assigned=assigned,
    )


def _listed(table: Table, key: str, what: str) -> tuple[str, ...]:
    """The texts under ``key``, each reported at its index if listed before."""
    items = table.strings(key, required=False) or []
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item in first:
            table.report.add(
                f"{table.at(key)}[{index}]",
                expected=f"{what} not listed before",
                found=f"{describe(item)}, the same as {table.at(key)}[{first[item]}]",
            )
        else:
            first[item] = index
    return tuple(first)


def _leads(table: Table, reading: _Reading) -> tuple[str, ...]:
    """The activities a staff member leads, each ``cohort/activity`` of the programme."""
    leads = _listed(table, "leads", "an activity")
    for index, ref in enumerate(leads):
        place = f"{table.at('leads')}[{index}]"
        cohort, _, activity = ref.partition("/")
        known = reading.activities
        if not cohort or not activity or "/" in activity:
            reading.report.add(place, expected=LEADS_EXPECTED, found=describe(ref))
        elif ref in reading.shared:
            reading.report.add(
                place,
                expected="an activity one cohort holds, whose sessions a coach may lead",
                found=f"{describe(ref)}, an activity shared by several cohorts",
                hint="a shared activity's sessions are fixed for all its cohorts alike; "
                "no coach is assigned to them",
            )
        elif known is not None and ref not in known:
            reading.report.add(
                place,
                expected="an activity of the programme, written 'cohort/activity'",
                found=describe(ref),
                hint=did_you_mean(ref, known),
            )
        elif known is None and reading.cohorts is not None and cohort not in reading.cohorts:
            reading.report.add(
                place,
                expected="an activity of a cohort of the programme: " + one_of(reading.cohorts),
                found=describe(ref),
                hint=did_you_mean(cohort, reading.cohorts),
            )
    return leads


def _own_sessions(
    table: Table, leads: Sequence[str], reading: _Reading
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A staff member's ``only`` and ``assigned`` sessions, checked against ``leads``."""
    only = _listed(table, "only", "a session")
    assigned = _listed(table, "assigned", "a session")
    if (only or assigned) and not leads:
        table.problem(
            "leads",
            expected="the activities (as 'cohort/activity') of the sessions only and assigned name",
            found=describe(table.data["leads"]) if table.has("leads") else "nothing",
        )
    cohorts = {ref.partition("/")[0] for ref in leads}
    for key, ids in (("only", only), ("assigned", assigned)):
        for index, item in enumerate(ids):
            _check_session(f"{table.at(key)}[{index}]", item, cohorts, reading)
    for index, item in enumerate(assigned):
        if only and item not in only:
            reading.report.add(
                f"{table.at('assigned')}[{index}]",
                expected="a session also in only: " + one_of(only),
                found=describe(item),
            )
    return only, assigned


def _check_session(place: str, item: str, cohorts: Collection[str], reading: _Reading) -> None:
    """Report a session id that is no id, or a team of a cohort the staff member does not lead.

    An id naming no team and no group is a coaching group solve will form
    (``prefix-N``) or one the solved schedule names, so it is not reported;
    unless it is not of the form ``prefix-N`` and is a near miss of a team or
    group id of the roster: then it is a typo of that id.
    """
    team_cohort = reading.team_cohorts.get(item)
    if not is_slug(item):
        reading.report.add(
            place, expected="a team or group id, such as 'ln-coaching-1'", found=describe(item)
        )
    elif team_cohort is None and item not in reading.group_kinds:
        if _GROUP_TO_COME.fullmatch(item):
            return
        hint = did_you_mean(item, [*reading.team_cohorts, *reading.group_kinds])
        if hint is not None:
            reading.report.add(
                place,
                expected="the id of a team or group of the roster, or of a coaching group "
                "solve forms ('prefix-N')",
                found=describe(item),
                hint=hint,
            )
    elif team_cohort is not None and cohorts and team_cohort not in cohorts:
        reading.report.add(
            place,
            expected="a team of a cohort whose activities they lead: " + one_of(cohorts),
            found=f"{describe(item)}, a team of {team_cohort!r}",
        )


def _check_group(
    table: Table, key: str, group_id: str | None, kind: AudienceKind, reading: _Reading
) -> None:
    # A dictionary look-up first: listing the choices for every person made loading
    # a large roster quadratic.
    if group_id is None or reading.group_kinds.get(group_id) is kind:
        return
    if group_id in reading.group_ids and group_id not in reading.group_kinds:
        return  # its own [[groups]] table is broken, and reported there
    choices = [g for g, k in reading.group_kinds.items() if k is kind]
    expected = f"the id of {kind.article} {kind.value} declared under [[groups]]"
    if not choices:
        expected += f" (none is: add a [[groups]] table with kind = {kind.value!r})"
    elif len(choices) <= _MOST_LISTED:
        expected += ": " + one_of(choices)
    else:
        expected += f" ({len(choices):,} are)"
    other = reading.group_kinds.get(group_id)
    found = describe(group_id)
    if other is not None:
        found += f", {other.article} {other.value}"
    table.problem(key, expected=expected, found=found, hint=did_you_mean(group_id, choices))


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


__all__ = [
    "GROUP_KEYS",
    "LEADS_EXPECTED",
    "MAX_ROSTER_BYTES",
    "PERSON_KEYS",
    "ROSTER_KEYS",
    "STAFF_KEYS",
    "TEAM_KEYS",
    "load_roster",
]
