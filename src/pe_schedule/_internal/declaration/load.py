"""Loading a programme declaration: a TOML file that states a programme as data.

A declaration names the programme and its window, then each cohort with its
activities (which months, where, for whom) and the alternating-month rules the
cohort's grid must follow::

    [programme]
    id = "pursuing-equity-2023-2024"
    name = "Pursuing Equity 2023-2024"
    first_month = "2023-01"
    last_month = "2024-06"
    timezone = "America/New_York"

    [[cohorts]]
    id = "learning-network"
    name = "Learning Network"

    [[cohorts.activities]]
    id = "all-team"
    name = "All-Team Virtual Meetings"
    months = { every = 2, from = 1, to = 17 }

    [[cohorts.rules]]
    kind = "every"
    activity = "all-team"
    months = 2

An activity several cohorts share is declared once, at the top level, with
the cohorts it is for; it is a row of each of their grids and one event per
occurrence for all of them. Rules across cohorts are top-level too, and name
activities as ``cohort/activity``::

    [[activities]]
    id = "groundwater"
    name = "REI Groundwater Training"
    cohorts = ["learning-network", "action-community"]
    months = [2]

    [[rules]]
    kind = "not-with"
    activity = "learning-network/all-team"
    other = "action-community/learning-sessions"

:func:`load` walks the whole file before it gives up, so a file with five
mistakes yields one :class:`~pe_schedule.DeclarationError` holding
five problems. Loading does not check the rules: that is
:func:`pe_schedule.check`'s job, on the loaded programme.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from pe_schedule._internal.declaration.grouping import check_attributes, read_grouping
from pe_schedule._internal.declaration.holidays import read_holiday_calendar
from pe_schedule._internal.declaration.months import read_months
from pe_schedule._internal.declaration.occasions import read_occasions, read_shared_cohorts
from pe_schedule._internal.declaration.roster import load_roster
from pe_schedule._internal.declaration.rules import read_rule
from pe_schedule._internal.declaration.solved import read_solved, solved_path
from pe_schedule._internal.declaration.source import (
    FIRST_YEAR,
    LAST_YEAR,
    ROSTER_SUFFIX,
    Report,
    Table,
    describe,
    discover,
    named,
    read_toml,
)
from pe_schedule._internal.declaration.timing import (
    merge_defaults,
    read_defaults,
    read_reminders,
    read_timing,
)
from pe_schedule._internal.model.activity import DEFAULT_LOCATION, Activity
from pe_schedule._internal.model.audience import DECLARABLE, AudienceKind
from pe_schedule._internal.model.holidays import DEFAULT_HOLIDAYS, HolidayCalendar
from pe_schedule._internal.model.months import Window, YearMonth
from pe_schedule._internal.model.occasion import Occasion
from pe_schedule._internal.model.programme import DEFAULT_RETENTION, Cohort, Programme
from pe_schedule._internal.model.roster import Roster
from pe_schedule._internal.model.rule import Rule
from pe_schedule._internal.model.solved import apply_solution
from pe_schedule._internal.model.zones import Zone
from pe_schedule._internal.rules import contradictions
from pe_schedule.exceptions import DeclarationError

#: The keys of the top level of a declaration.
TOP_KEYS = ("programme", "activities", "cohorts", "rules", "events")
#: The keys of the ``[programme]`` table.
PROGRAMME_KEYS = (
    "id",
    "name",
    "first_month",
    "last_month",
    "timezone",
    "organiser",
    "url",
    "description",
    "roster",
    "revised",
    "cancelled_retention_days",
    "holidays",
    "blackout_dates",
    "defaults",
)
#: The keys of a ``[[cohorts]]`` table.
COHORT_KEYS = ("id", "name", "description", "activities", "rules", "defaults")
#: The keys of a ``[[cohorts.activities]]`` table.
ACTIVITY_KEYS = (
    "id",
    "name",
    "months",
    "location",
    "in_person",
    "in_person_location",
    "audience",
    "description",
    "timing",
    "grouping",
    "join",
    "reminders",
)
#: The keys of a top-level ``[[activities]]`` table: an activity cohorts share.
SHARED_ACTIVITY_KEYS = (
    "id",
    "name",
    "cohorts",
    "months",
    "location",
    "in_person",
    "in_person_location",
    "description",
    "timing",
    "join",
    "reminders",
)
#: What a rule across cohorts names its activities by.
_ACROSS = "the programme, written 'cohort/activity'"


@attrs.frozen(kw_only=True)
class Context:
    """What the reader of one part of a declaration knows about the programme around it.

    ``window`` is ``None`` when the programme's own months are broken; that
    problem is already reported, and readers skip the checks that depend on
    the window rather than report follow-on problems.
    """

    window: Window | None
    #: Timing defaults of the programme, merged with the cohort's inside a cohort.
    defaults: Mapping[str, Any] = attrs.field(factory=dict)
    #: The id of the cohort being read; ``None`` above cohorts or when it is broken.
    cohort: str | None = None
    #: The shared activities declared at the top level, each with its key path.
    shared: tuple[tuple[Activity, str], ...] = ()


@attrs.frozen(kw_only=True)
class _Header:
    """The ``[programme]`` table's values; ``None`` where a value was broken."""

    id: str | None
    name: str | None
    first_month: YearMonth | None
    last_month: YearMonth | None
    timezone: Zone | None
    organiser: str
    url: str | None
    description: str
    roster: str | None = None
    revised: dt.datetime | None = None
    retention: dt.timedelta = DEFAULT_RETENTION
    holidays: HolidayCalendar = DEFAULT_HOLIDAYS
    defaults: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def window(self) -> Window | None:
        if self.first_month is None or self.last_month is None:
            return None
        return Window(first=self.first_month, last=self.last_month)


def _revised(table: Table) -> dt.datetime | None:
    expected = "a TOML date-time with a UTC offset, such as 2022-09-01T00:00:00Z"
    value = table.value("revised", dt.datetime, expected, required=False)
    if value is not None and value.tzinfo is None:
        table.problem("revised", expected=expected, found=f"{value.isoformat()} (no offset)")
        return None
    return value


def _retention(table: Table) -> dt.timedelta:
    days = table.integer("cancelled_retention_days", required=False)
    if days is None:
        return DEFAULT_RETENTION
    if not 0 <= days <= 3660:
        table.problem(
            "cancelled_retention_days",
            expected="a number of days from 0 to 3660",
            found=describe(days),
        )
        return DEFAULT_RETENTION
    return dt.timedelta(days=days)


def _bounded_month(table: Table, key: str) -> YearMonth | None:
    """The month under ``key``, refused outside :data:`FIRST_YEAR`..:data:`LAST_YEAR`."""
    month = table.parsed(key, YearMonth.parse, "a month as 'YYYY-MM'")
    if month is not None and not FIRST_YEAR <= month.year <= LAST_YEAR:
        table.problem(
            key,
            expected=f"a month as 'YYYY-MM' in the years {FIRST_YEAR} to {LAST_YEAR}",
            found=describe(table.data[key]),
        )
        return None
    return month


def _window(table: Table) -> tuple[YearMonth | None, YearMonth | None]:
    first = _bounded_month(table, "first_month")
    last = _bounded_month(table, "last_month")
    if first is not None and last is not None and last < first:
        table.problem(
            "last_month",
            expected=f"a month at or after first_month ({first})",
            found=describe(table.data["last_month"]),
        )
        last = None
    return first, last


def _read_header(table: Table) -> _Header:
    table.allow(*PROGRAMME_KEYS)
    first, last = _window(table)
    return _Header(
        id=table.slug("id"),
        name=table.text("name"),
        first_month=first,
        last_month=last,
        timezone=table.zone(required=True),
        organiser=table.text("organiser", required=False, default="") or "",
        url=table.url(),
        description=table.text("description", required=False, default="") or "",
        roster=table.text("roster", required=False),
        revised=_revised(table),
        retention=_retention(table),
        holidays=read_holiday_calendar(table),
        defaults=read_defaults(table.table("defaults", required=False)),
    )


def _grid_months(
    table: Table, window: Window | None
) -> tuple[tuple[YearMonth, ...] | None, tuple[YearMonth, ...] | None]:
    """An activity's ``months`` and ``in_person`` months; ``None`` where broken."""
    if window is None:
        return None, None
    months = read_months(table, "months", window)
    in_person = read_months(
        table, "in_person", window, cadence=False, required=False, allow_empty=True, among=months
    )
    return months, in_person


def _in_person_location(table: Table, in_person: tuple[YearMonth, ...] | None) -> str | None:
    """Where the in-person months are, reported if missing (or given without them)."""
    location = table.text("in_person_location", required=False)
    if in_person and location is None and not table.has("in_person_location"):
        table.problem(
            "in_person_location",
            expected="the place of the in_person months, such as 'Boston, MA'",
            found="nothing (the key is missing)",
        )
    elif in_person == () and location is not None:
        table.problem(
            "in_person_location",
            expected="in_person months for this location to apply to",
            found=f"{describe(location)} with no in_person months",
        )
        return None
    return location


def _read_activity(
    table: Table, context: Context, cohorts: Sequence[str] | None = None
) -> Activity | None:
    """Read one ``[[cohorts.activities]]`` table or, given the programme's
    ``cohorts``, one top-level ``[[activities]]`` table: an activity those of
    its ``cohorts`` share, always for them all together, at a fixed time.

    Returns:
        The activity, or ``None`` after reporting every problem in the table.
    """
    shared = cohorts is not None
    table.allow(*(SHARED_ACTIVITY_KEYS if shared else ACTIVITY_KEYS))
    before = len(table.report.problems)
    activity_id = table.slug("id")
    name = table.text("name")
    shared_by = read_shared_cohorts(table, cohorts) if cohorts is not None else ()
    location = table.text("location", required=False, default=DEFAULT_LOCATION)
    audience = table.choice("audience", named(DECLARABLE), default=AudienceKind.COHORT)
    description = table.text("description", required=False, default="")
    months, in_person = _grid_months(table, context.window)
    timing = read_timing(
        table.table("timing", required=False),
        context.defaults,
        window=context.window,
        months=months,
        # A shared session's slot is the declaration's: solve decides per cohort.
        choices=not shared,
    )
    in_person_location = _in_person_location(table, in_person)
    grouping = None if shared else read_grouping(table, cohort=context.cohort, audience=audience)
    join = table.url("join")
    reminders = read_reminders(table, context.defaults)
    if activity_id is None or name is None or audience is None or shared_by is None:
        return None
    if months is None or in_person is None or (in_person and in_person_location is None):
        return None
    if grouping is None and table.has("grouping"):
        return None
    if shared and len(table.report.problems) > before:
        return None
    return Activity(
        id=activity_id,
        name=name,
        months=months,
        in_person=in_person,
        location=location or DEFAULT_LOCATION,
        in_person_location=in_person_location,
        audience=audience,
        description=description or "",
        timing=timing,
        grouping=grouping,
        join=join,
        reminders=reminders or (),
        shared_by=shared_by,
    )


def _read_shared(root: Table, context: Context) -> tuple[tuple[Activity, str], ...]:
    """The top-level ``[[activities]]``: activities cohorts share, each with its path.

    Their cohorts are checked against the ids the ``[[cohorts]]`` tables give,
    as written, before those tables are read.
    """
    if not root.has("activities"):
        return ()
    cohorts = root.data.get("cohorts")
    ids = [
        cohort["id"]
        for cohort in (cohorts if isinstance(cohorts, list) else [])
        if isinstance(cohort, dict) and isinstance(cohort.get("id"), str)
    ]
    tables = root.tables("activities")
    _unique_ids(tables, "a shared activity", root.report)
    found = []
    for table in tables:
        activity = _read_activity(table, context, list(dict.fromkeys(ids)))
        if activity is not None:
            found.append((activity, table.path))
    return tuple(found)


def _unique_ids(tables: Sequence[Table], what: str, report: Report) -> dict[str, str]:
    """Report repeated ids among ``tables``; map each first-seen id to its table's path.

    Ids are taken as written (even if not valid slugs), so a rule that names
    an activity with a broken table is not reported a second time.
    """
    seen: dict[str, str] = {}
    for table in tables:
        raw = table.data.get("id")
        if not isinstance(raw, str):
            continue
        if raw in seen:
            report.add(
                table.at("id"),
                expected=f"{what} id not used before",
                found=f"{describe(raw)}, already the id of {seen[raw]}",
            )
        else:
            seen[raw] = table.path
    return seen


def _read_rules(table: Table, scope: str, known: Mapping[str, str]) -> list[Rule | None]:
    """The rules of a cohort or, at the top level, across cohorts (``None`` for each
    broken one); contradictions reported. ``scope`` names whose activities they name."""
    rules = [read_rule(rule, scope, known) for rule in table.tables("rules", required=False)]
    if all(rule is not None for rule in rules):
        # No grid can satisfy these, so say so here rather than as month-by-month violations.
        for index, conflict in contradictions([rule for rule in rules if rule is not None]):
            table.report.add(
                f"{table.at('rules')}[{index}]",
                expected="rules some grid can satisfy (same-months rules tie activities together)",
                found=conflict,
            )
    return rules


@attrs.frozen(kw_only=True)
class _Read:
    """One ``[[cohorts]]`` table as read: the cohort, or ``None`` when something in it
    is broken, and the ids it declares as written, whatever else is wrong (internal).

    The rest of the file and the roster check their references against these ids,
    so one mistake inside a cohort is one problem, not one more for every team and
    event that names the cohort or its activities.
    """

    cohort: Cohort | None
    #: The cohort's id as written; ``None`` when it has none, or not a text.
    id: str | None
    #: Its activities' ids as written.
    activities: tuple[str, ...]


def _declared(reads: Sequence[_Read]) -> tuple[list[str], list[str]]:
    """The cohort ids and the ``cohort/activity`` refs the declaration declares."""
    cohorts = [read.id for read in reads if read.id is not None]
    refs = [f"{read.id}/{a}" for read in reads if read.id is not None for a in read.activities]
    return cohorts, refs


def _read_cohort(table: Table, context: Context) -> _Read:
    """Read one ``[[cohorts]]`` table with its activities and rules."""
    table.allow(*COHORT_KEYS)
    own = read_defaults(table.table("defaults", required=False))
    cohort_id = table.slug("id")
    context = attrs.evolve(
        context, defaults=merge_defaults(context.defaults, own), cohort=cohort_id
    )
    name = table.text("name")
    description = table.text("description", required=False, default="")
    activity_tables = table.tables("activities")
    if table.data.get("activities") == []:
        table.problem("activities", expected="at least one activity", found="an empty array")
    known = _unique_ids(activity_tables, "an activity", table.report)
    distinct = len(known)
    raw_id = table.data.get("id")
    shared = [(a, path) for a, path in context.shared if raw_id in a.shared_by]
    for activity, path in shared:
        if activity.id in known:
            table.report.add(
                known[activity.id] + ".id",
                expected="an activity id not used before",
                found=f"{activity.id!r}, already the id of the shared activity {path}",
            )
        else:
            known[activity.id] = path
    activities = [_read_activity(activity, context) for activity in activity_tables]
    rules = _read_rules(table, f"cohort {cohort_id or str(raw_id or table.path)!r}", known)
    read = _Read(
        cohort=None, id=raw_id if isinstance(raw_id, str) else None, activities=tuple(known)
    )
    if cohort_id is None or name is None or not activities or distinct < len(activities):
        return read
    if len(known) < distinct + len(shared):
        return read
    if any(activity is None for activity in activities) or any(rule is None for rule in rules):
        return read
    cohort = Cohort(
        id=cohort_id,
        name=name,
        description=description or "",
        # Shared activities first: they open the grid of each cohort that shares them.
        activities=(
            *(activity for activity, _ in shared),
            *(activity for activity in activities if activity is not None),
        ),
        rules=tuple(rule for rule in rules if rule is not None),
    )
    return attrs.evolve(read, cohort=cohort)


def _read_cohorts(root: Table, context: Context) -> list[_Read]:
    tables = root.tables("cohorts")
    if root.has("cohorts") and root.data["cohorts"] == []:
        root.problem("cohorts", expected="at least one [[cohorts]] table", found="an empty array")
    _unique_ids(tables, "a cohort", root.report)
    return [_read_cohort(table, context) for table in tables]


def load(path: str | os.PathLike[str], *, solved: bool = True) -> Programme:
    """Load the programme a declaration file states.

    Args:
        path: the declaration file.
        solved: fold in the decisions of the solved schedule beside the file
            (``x.solved.toml`` for ``x.toml``), when there is one; ``False``
            gives the programme as declared, decisions still open.

    Returns:
        The programme, with ``source`` set to ``path``.

    Raises:
        DeclarationError: holding every problem found in the file (or in its
            roster or solved schedule).
    """
    programme = _load_declared(Path(path))
    decisions = solved_path(Path(path))
    if solved and decisions.exists():
        return apply_solution(programme, read_solved(decisions))
    return programme


def _load_declared(file: Path) -> Programme:
    report = Report(str(file))
    root = Table(read_toml(file), "", report)
    root.allow(*TOP_KEYS)
    header_table = root.table("programme")
    header = None if header_table is None else _read_header(header_table)
    context = Context(
        window=None if header is None else header.window,
        defaults={} if header is None else header.defaults,
    )
    context = attrs.evolve(context, shared=_read_shared(root, context))
    reads = _read_cohorts(root, context)
    cohorts = [read.cohort for read in reads]
    rules = _read_across(root, cohorts)
    # Every id as written, broken cohort or not: a mistake inside a cohort must not make
    # it unknown to the events and teams that name it.
    cohort_ids, activity_refs = _declared(reads)
    events = read_occasions(
        root,
        window=context.window,
        cohorts=cohort_ids,
        defaults=context.defaults,
        activities=activity_refs,
    )
    _check_event_ids(root, events, cohorts)
    roster = None
    if header is not None and header.roster is not None and header_table is not None:
        # A shared activity is never led by a coach: a solve decides per cohort.
        shared = {f"{c}/{a.id}" for a, _ in context.shared for c in a.shared_by}
        declared = (cohort_ids, [ref for ref in activity_refs if ref not in shared], shared)
        roster = _read_roster(file, header_table, header.roster, header.id, cohorts, declared)
    report.raise_if_any()
    return _programme(file, header, cohorts, roster=roster, events=events, rules=rules)


def _read_across(root: Table, cohorts: Sequence[Cohort | None]) -> tuple[Rule, ...]:
    """The top-level ``[[rules]]``: rules across cohorts, naming ``cohort/activity``.

    Read only when every cohort was: a broken one (already reported) would make
    its activities look unknown.
    """
    if not root.has("rules") or any(cohort is None for cohort in cohorts):
        return ()
    known = {
        f"{cohort.id}/{activity.id}": f"cohorts[{index}]"
        for index, cohort in enumerate(cohorts)
        if cohort is not None
        for activity in cohort.activities
    }
    rules = _read_rules(root, _ACROSS, known)
    return tuple(rule for rule in rules if rule is not None)


def _programme(
    file: Path,
    header: _Header | None,
    cohorts: Sequence[Cohort | None],
    *,
    roster: Roster | None,
    events: tuple[Occasion, ...],
    rules: tuple[Rule, ...],
) -> Programme:
    """The programme of a file whose every problem was reported (and none found)."""
    if (
        header is None
        or header.id is None
        or header.name is None
        or header.first_month is None
        or header.last_month is None
        or header.timezone is None
        or not cohorts
        or any(cohort is None for cohort in cohorts)
    ):
        # Every reader reports before it gives up, so this is a bug, not bad input.
        raise AssertionError(f"{file}: a reader gave up without reporting why")
    return Programme(
        id=header.id,
        name=header.name,
        first_month=header.first_month,
        last_month=header.last_month,
        timezone=header.timezone,
        cohorts=tuple(cohort for cohort in cohorts if cohort is not None),
        description=header.description,
        organiser=header.organiser,
        url=header.url,
        source=str(file),
        roster=roster,
        events=events,
        revised=header.revised,
        cancelled_retention=header.retention,
        holidays=header.holidays,
        rules=rules,
    )


def _check_event_ids(
    root: Table, events: Sequence[Occasion], cohorts: Sequence[Cohort | None]
) -> None:
    """Report an event whose id is a cohort's or one of its cohort's activities' ids,
    which would give two events the same uid."""
    for event in events:
        taken = {cohort.id for cohort in cohorts if cohort is not None}
        for cohort in cohorts:
            if cohort is not None and event.cohort in (None, cohort.id):
                taken |= {activity.id for activity in cohort.activities}
        if event.id in taken:
            root.report.add(
                "events",
                expected="event ids that no cohort or activity uses",
                found=f"{event.id!r}, already a cohort or activity id",
            )


def _read_roster(
    file: Path,
    table: Table,
    name: str,
    programme: str | None,
    cohorts: Sequence[Cohort | None],
    declared: tuple[Sequence[str], Sequence[str], Collection[str]],
) -> Roster | None:
    """Load the roster named under ``[programme]``, relative to the declaration.

    Its problems join the declaration's, each naming the roster file. Teams'
    cohorts and staff ``leads`` are checked against the ids the declaration
    declares (``declared``: cohort ids, ``cohort/activity`` refs as written and
    those of shared activities), broken cohorts and activities included: their own problem is
    already reported, and the roster's real mistakes are still found.
    """
    path = _roster_path(file, table, name)
    if path is None:
        return None
    ids, activities, shared = declared
    try:
        roster = load_roster(path, cohorts=ids, activities=activities, shared=shared)
    except DeclarationError as error:
        table.report.problems.extend(error.problems)
        return None
    check_attributes(table.report, cohorts, roster)
    if roster.programme is not None and programme is not None and roster.programme != programme:
        table.report.add(
            str(path) + ": programme",
            expected=f"the id of the declaration's programme, {programme!r}",
            found=describe(roster.programme),
        )
        return None
    return attrs.evolve(roster, programme=programme)


def _roster_path(file: Path, table: Table, name: str) -> Path | None:
    """Where the roster ``name`` is: a file in the declaration's folder or below it.

    A roster path comes with a pull request; one reaching outside the folder
    could read any file of the machine (``/dev/zero`` fills memory,
    ``/dev/stdin`` never ends), so it is refused at ``programme.roster``.
    The file itself is checked again once open (see :func:`read_bounded`).
    """
    path = file.parent / name
    expected = "a roster file in the declaration's folder or below it, such as 'x.roster.toml'"
    outside = Path(name).is_absolute() or ".." in Path(name).parts
    if not outside:
        try:
            # A symbolic link inside the folder may still point outside it.
            outside = not path.resolve().is_relative_to(file.parent.resolve())
        except (OSError, RuntimeError):  # a loop of links, or an unreadable folder
            outside = True
    if outside:
        found = f"{describe(name)}, which leads out of the declaration's folder"
        table.problem("roster", expected=expected, found=found)
        return None
    if not path.exists():
        table.problem(
            "roster", expected=expected, found=f"{describe(name)}, a file that does not exist"
        )
        return None
    if not path.is_file():
        table.problem("roster", expected=expected, found=f"{describe(name)}, not a regular file")
        return None
    return path


__all__ = [
    "ACTIVITY_KEYS",
    "COHORT_KEYS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "PROGRAMME_KEYS",
    "ROSTER_SUFFIX",
    "SHARED_ACTIVITY_KEYS",
    "TOP_KEYS",
    "Context",
    "discover",
    "load",
]
