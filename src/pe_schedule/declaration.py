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

:func:`load` walks the whole file before it gives up, so a file with five
mistakes yields one :class:`~pe_schedule.exceptions.DeclarationError` holding
five problems. Loading does not check the rules: that is
:func:`pe_schedule.rules.check`'s job, on the loaded programme.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from pe_schedule.exceptions import DeclarationError, Problem
from pe_schedule.model import DEFAULT_RETENTION, Activity, Audience, Cohort, Programme
from pe_schedule.month_spec import Window, read_months
from pe_schedule.months import YearMonth
from pe_schedule.oneoff import Occasion, read_occasions
from pe_schedule.roster import Roster, load_roster
from pe_schedule.rules import (
    RULE_KINDS,
    AlternatesWith,
    EveryNMonths,
    InPersonWith,
    MonthlyExcept,
    NotWith,
    Rule,
    SameMonths,
    contradictions,
)
from pe_schedule.source import Report, Table, describe, did_you_mean, one_of, read_toml
from pe_schedule.timing import merge_defaults, read_defaults, read_timing
from pe_schedule.zones import zone_names

#: The keys of the top level of a declaration.
TOP_KEYS = ("programme", "cohorts", "events")
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
)
#: The keys each kind of ``[[cohorts.rules]]`` table takes.
RULE_KEYS: dict[str, tuple[str, ...]] = {
    "every": ("kind", "activity", "months", "unless"),
    "not-with": ("kind", "activity", "other"),
    "alternates-with": ("kind", "activity", "other"),
    "same-months": ("kind", "activity", "other"),
    "in-person-with": ("kind", "activity", "other"),
    "monthly-except": ("kind", "activity", "except"),
}
#: The location of an activity that names none.
DEFAULT_LOCATION = "Zoom"
#: The file name ending of roster files, which live beside declarations.
ROSTER_SUFFIX = ".roster.toml"

_PAIR_RULES: dict[str, type[NotWith | AlternatesWith | SameMonths | InPersonWith]] = {
    "not-with": NotWith,
    "alternates-with": AlternatesWith,
    "same-months": SameMonths,
    "in-person-with": InPersonWith,
}


@attrs.frozen(kw_only=True)
class Context:
    """What the reader of one part of a declaration knows about the programme around it.

    ``window`` and ``timezone`` are ``None`` when the programme's own values are
    broken; that problem is already reported, and readers skip the checks that
    depend on them rather than report follow-on problems.
    """

    window: Window | None
    timezone: str | None
    #: Timing defaults of the programme, merged with the cohort's inside a cohort.
    defaults: Mapping[str, Any] = attrs.field(factory=dict)


def _slug(table: Table, key: str) -> str | None:
    return table.slug(key)


def _zone_hint(name: str) -> str | None:
    by_case = {zone.lower(): zone for zone in zone_names()}
    if name.lower() in by_case:
        return f"did you mean {by_case[name.lower()]!r}?"
    # "New York" -> "America/New_York": people write the city, not the region.
    city = name.strip().replace(" ", "_").lower()
    cities = [zone for zone in zone_names() if zone.lower().rsplit("/", 1)[-1] == city]
    if len(cities) == 1:
        return f"did you mean {cities[0]!r}?"
    return did_you_mean(name, zone_names())


def _timezone(table: Table) -> str | None:
    name = table.text("timezone")
    if name is None:
        return None
    if name not in zone_names():
        table.problem(
            "timezone",
            expected="an IANA time zone name such as 'America/New_York'",
            found=describe(name),
            hint=_zone_hint(name),
        )
        return None
    return name


@attrs.frozen(kw_only=True)
class _Header:
    """The ``[programme]`` table's values; ``None`` where a value was broken."""

    id: str | None
    name: str | None
    first_month: YearMonth | None
    last_month: YearMonth | None
    timezone: str | None
    organiser: str
    url: str | None
    description: str
    roster: str | None = None
    revised: dt.datetime | None = None
    retention: dt.timedelta = DEFAULT_RETENTION
    defaults: Mapping[str, Any] = attrs.field(factory=dict)


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
            "cancelled_retention_days", expected="a number of days from 0 to 3660", found=str(days)
        )
        return DEFAULT_RETENTION
    return dt.timedelta(days=days)


def _read_header(table: Table) -> _Header:
    table.allow(*PROGRAMME_KEYS)
    expected = "a month as 'YYYY-MM'"
    first = table.parsed("first_month", YearMonth.parse, expected)
    last = table.parsed("last_month", YearMonth.parse, expected)
    if first is not None and last is not None and last < first:
        table.problem(
            "last_month",
            expected=f"a month at or after first_month ({first})",
            found=describe(table.data["last_month"]),
        )
        last = None
    return _Header(
        id=_slug(table, "id"),
        name=table.text("name"),
        first_month=first,
        last_month=last,
        timezone=_timezone(table),
        organiser=table.text("organiser", required=False, default="") or "",
        url=table.url(),
        description=table.text("description", required=False, default="") or "",
        roster=table.text("roster", required=False),
        revised=_revised(table),
        retention=_retention(table),
        defaults=read_defaults(table.table("defaults", required=False)),
    )


def _audience(table: Table) -> Audience | None:
    values = [audience.value for audience in Audience]
    raw = table.value("audience", str, one_of(values), required=False)
    if raw is None:
        return None if table.has("audience") else Audience.COHORT
    if raw not in values:
        table.problem(
            "audience", expected=one_of(values), found=describe(raw), hint=did_you_mean(raw, values)
        )
        return None
    return Audience(raw)


def _read_activity(table: Table, context: Context) -> Activity | None:
    """Read one ``[[cohorts.activities]]`` table.

    Returns:
        The activity, or ``None`` after reporting every problem in the table.
    """
    table.allow(*ACTIVITY_KEYS)
    activity_id = _slug(table, "id")
    name = table.text("name")
    location = table.text("location", required=False, default=DEFAULT_LOCATION)
    in_person_location = table.text("in_person_location", required=False)
    audience = _audience(table)
    description = table.text("description", required=False, default="")
    months: tuple[YearMonth, ...] | None = None
    in_person: tuple[YearMonth, ...] | None = None
    if context.window is not None:
        months = read_months(table, "months", context.window)
        in_person = read_months(
            table,
            "in_person",
            context.window,
            cadence=False,
            required=False,
            allow_empty=True,
            among=months,
        )
    timing = read_timing(
        table.table("timing", required=False),
        context.defaults,
        window=context.window,
        months=months,
    )
    if in_person and in_person_location is None and not table.has("in_person_location"):
        table.problem(
            "in_person_location",
            expected="the place of the in_person months, such as 'Boston, MA'",
            found="nothing (the key is missing)",
        )
    elif in_person == () and in_person_location is not None:
        table.problem(
            "in_person_location",
            expected="in_person months for this location to apply to",
            found=f"{describe(in_person_location)} with no in_person months",
        )
        in_person_location = None
    if (
        activity_id is None
        or name is None
        or location is None
        or audience is None
        or description is None
        or months is None
        or in_person is None
        or (in_person and in_person_location is None)
    ):
        return None
    return Activity(
        id=activity_id,
        name=name,
        months=months,
        in_person=in_person,
        location=location,
        in_person_location=in_person_location,
        audience=audience,
        description=description,
        timing=timing,
    )


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


def _activity_ref(
    report: Report, value: object, path: str, cohort: str, known: Mapping[str, str]
) -> str | None:
    """Check that ``value`` names an activity of the cohort."""
    if not isinstance(value, str):
        report.add(path, expected="an activity id (a text)", found=describe(value))
        return None
    if value not in known:
        choices = one_of(known) if known else "an activity id, but the cohort has none"
        report.add(
            path,
            expected=f"an activity of cohort {cohort!r}: {choices}",
            found=describe(value),
            hint=did_you_mean(value, known),
        )
        return None
    return value


def _activity_refs(
    table: Table, key: str, cohort: str, known: Mapping[str, str], named: list[str]
) -> tuple[str, ...] | None:
    """Read an array of activity ids, each named once per rule."""
    items = table.value(key, list, "an array of activity ids", required=key == "except")
    if items is None:
        return () if not table.has(key) else None
    if not items:
        table.problem(key, expected="at least one activity id", found="an empty array")
        return None
    good: list[str] = []
    for index, item in enumerate(items):
        path = f"{table.at(key)}[{index}]"
        ref = _activity_ref(table.report, item, path, cohort, known)
        if ref is not None and not _named_once(table.report, path, ref, named):
            ref = None
        if ref is not None:
            good.append(ref)
    return tuple(good) if len(good) == len(items) else None


def _named_once(report: Report, path: str, ref: str, named: list[str]) -> bool:
    """Record that the rule names ``ref``; report a second naming."""
    if ref in named:
        report.add(
            path,
            expected="an activity the rule does not name already (a rule relates different "
            "activities)",
            found=f"{ref!r} again",
        )
        return False
    named.append(ref)
    return True


def _rule_keys(table: Table, kind: str | None) -> None:
    """Report keys that do not belong to a rule of ``kind``."""
    everything = sorted({key for keys in RULE_KEYS.values() for key in keys})
    allowed = RULE_KEYS[kind] if kind is not None else tuple(everything)
    for key in table.data:
        if key in allowed:
            continue
        owners = [other for other, keys in RULE_KEYS.items() if key in keys]
        if owners:
            table.problem(
                key,
                expected=f"a key of {kind!r} rules: {one_of(allowed)}",
                found=f"{key!r}, which belongs to {one_of(owners).removeprefix('one of ')} rules",
            )
        else:
            table.problem(
                key,
                expected="a known key: " + one_of(allowed),
                found="an unknown key",
                hint=did_you_mean(key, allowed),
            )


def _read_rule(table: Table, cohort: str, known: Mapping[str, str]) -> Rule | None:
    """Read one ``[[cohorts.rules]]`` table of cohort ``cohort``.

    Args:
        table: the rule table.
        cohort: the cohort's id, for messages.
        known: the cohort's activity ids, each to its table's key path.
    """
    kind = table.text("kind")
    if kind is not None and kind not in RULE_KINDS:
        table.problem(
            "kind",
            expected=one_of(RULE_KINDS),
            found=describe(kind),
            hint=did_you_mean(kind, RULE_KINDS),
        )
        kind = None
    _rule_keys(table, kind)
    named: list[str] = []
    activity = None
    if table.has("activity"):
        activity = _activity_ref(
            table.report, table.data["activity"], table.at("activity"), cohort, known
        )
        if activity is not None:
            named.append(activity)
    else:
        table.problem(
            "activity",
            expected="the id of the activity the rule constrains",
            found="nothing (the key is missing)",
        )
    if kind == "every":
        months = table.integer("months")
        if months is not None and months < 2:
            table.problem(
                "months", expected="a whole number of months, 2 or more", found=str(months)
            )
            months = None
        unless = _activity_refs(table, "unless", cohort, known, named)
        if activity is None or months is None or unless is None:
            return None
        return EveryNMonths(activity=activity, months=months, unless=unless)
    if kind == "monthly-except":
        others = _activity_refs(table, "except", cohort, known, named)
        if activity is None or others is None:
            return None
        return MonthlyExcept(activity=activity, others=others)
    if kind in _PAIR_RULES:
        other = None
        if table.has("other"):
            path = table.at("other")
            other = _activity_ref(table.report, table.data["other"], path, cohort, known)
            if other is not None and not _named_once(table.report, path, other, named):
                other = None
        else:
            table.problem(
                "other",
                expected="the id of the other activity the rule relates",
                found="nothing (the key is missing)",
            )
        if activity is None or other is None:
            return None
        return _PAIR_RULES[kind](activity=activity, other=other)
    return None


def _read_cohort(table: Table, context: Context) -> Cohort | None:
    """Read one ``[[cohorts]]`` table with its activities and rules."""
    table.allow(*COHORT_KEYS)
    own = read_defaults(table.table("defaults", required=False))
    context = attrs.evolve(context, defaults=merge_defaults(context.defaults, own))
    cohort_id = _slug(table, "id")
    name = table.text("name")
    description = table.text("description", required=False, default="")
    activity_tables = table.tables("activities")
    if table.data.get("activities") == []:
        table.problem("activities", expected="at least one activity", found="an empty array")
    known = _unique_ids(activity_tables, "an activity", table.report)
    activities = [_read_activity(activity, context) for activity in activity_tables]
    where = cohort_id or str(table.data.get("id", table.path))
    rules = [_read_rule(rule, where, known) for rule in table.tables("rules", required=False)]
    if all(rule is not None for rule in rules):
        # No grid can satisfy these, so say so here rather than as month-by-month violations.
        for index, conflict in contradictions([rule for rule in rules if rule is not None]):
            table.report.add(
                f"{table.at('rules')}[{index}]",
                expected="rules some grid can satisfy (same-months rules tie activities together)",
                found=conflict,
            )
    if (
        cohort_id is None
        or name is None
        or description is None
        or not activities
        or len(known) < len(activity_tables)
    ):
        return None
    if any(activity is None for activity in activities) or any(rule is None for rule in rules):
        return None
    return Cohort(
        id=cohort_id,
        name=name,
        description=description,
        activities=tuple(activity for activity in activities if activity is not None),
        rules=tuple(rule for rule in rules if rule is not None),
    )


def _read_cohorts(root: Table, context: Context) -> list[Cohort | None]:
    tables = root.tables("cohorts")
    if root.has("cohorts") and root.data["cohorts"] == []:
        root.problem("cohorts", expected="at least one [[cohorts]] table", found="an empty array")
    _unique_ids(tables, "a cohort", root.report)
    return [_read_cohort(table, context) for table in tables]


def load(path: str | os.PathLike[str]) -> Programme:
    """Load the programme a declaration file states.

    Args:
        path: the declaration file.

    Returns:
        The programme, with ``source`` set to ``path``.

    Raises:
        DeclarationError: holding every problem found in the file.
    """
    file = Path(path)
    report = Report(str(file))
    root = Table(read_toml(file), "", report)
    root.allow(*TOP_KEYS)
    header_table = root.table("programme")
    header = None if header_table is None else _read_header(header_table)
    window = None
    if header is not None and header.first_month is not None and header.last_month is not None:
        window = Window(first=header.first_month, last=header.last_month)
    context = Context(
        window=window,
        timezone=None if header is None else header.timezone,
        defaults={} if header is None else header.defaults,
    )
    cohorts = _read_cohorts(root, context)
    cohort_ids = [cohort.id for cohort in cohorts if cohort is not None]
    events = read_occasions(root, window=window, cohorts=cohort_ids, defaults=context.defaults)
    _check_event_ids(root, events, cohorts)
    roster = None
    if header is not None and header.roster is not None and header_table is not None:
        roster = _read_roster(file, header_table, header.roster, header.id, cohort_ids)
    report.raise_if_any()
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
    file: Path, table: Table, name: str, programme: str | None, cohorts: Sequence[str]
) -> Roster | None:
    """Load the roster named under ``[programme]``, relative to the declaration.

    Its problems join the declaration's, each naming the roster file.
    """
    path = file.parent / name
    try:
        roster = load_roster(path, cohorts=cohorts)
    except DeclarationError as error:
        table.report.problems.extend(error.problems)
        return None
    if roster.programme is not None and programme is not None and roster.programme != programme:
        table.report.add(
            str(path) + ": programme",
            expected=f"the id of the declaration's programme, {programme!r}",
            found=describe(roster.programme),
        )
        return None
    return attrs.evolve(roster, programme=programme)


def discover(path: str | os.PathLike[str]) -> tuple[Path, ...]:
    """The declaration files at ``path``.

    A file is itself; a folder gives its ``*.toml`` files in name order, not
    looking into sub-folders and leaving out roster files (``*.roster.toml``).

    Raises:
        DeclarationError: if nothing exists at ``path``.
    """
    place = Path(path)
    if place.is_dir():
        return tuple(
            sorted(
                child
                for child in place.glob("*.toml")
                if child.is_file() and not child.name.endswith(ROSTER_SUFFIX)
            )
        )
    if place.is_file():
        return (place,)
    raise DeclarationError(
        [
            Problem(
                file=str(place),
                expected="a declaration file or a folder of them",
                found="nothing at this path",
            )
        ]
    )


__all__ = [
    "ACTIVITY_KEYS",
    "COHORT_KEYS",
    "DEFAULT_LOCATION",
    "PROGRAMME_KEYS",
    "ROSTER_SUFFIX",
    "RULE_KEYS",
    "TOP_KEYS",
    "Context",
    "discover",
    "load",
]
