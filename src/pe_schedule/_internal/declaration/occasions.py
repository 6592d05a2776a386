"""Events that are not grid cells: one-offs, monthly deadlines and weekly meetings.

A declaration's ``[[events]]`` array holds them. Each one is an
:class:`Occasion` that happens in one of three ways:

- on a **date** (the informational call, an application deadline)::

    [[events]]
    id = "informational-call"
    name = "Informational call"
    date = 2022-09-21
    start = "15:00"
    duration = "1h"

  Without ``start`` and ``duration`` it is all-day; ``days = 3`` spans three days.
- in **months**, with a ``timing`` table like an activity's (a monthly deadline)::

    [[events]]
    id = "progress-update"
    name = "Progress update due"
    cohort = "action-community"
    months = { every = 1, from = 2, to = 18 }
    timing = { day = "last Friday" }

  An all-day event does not block time (``busy = false``, shown as free) unless it
  is held in person or says ``busy = true``; one with clock times does.

- **weekly**, as a recurrence (a team's own weekly meeting)::

    [[events]]
    id = "team-meeting"
    name = "Weekly team meeting"
    cohort = "action-community"
    audience = "team"
    weekly = { weekday = "Tuesday", start = "10:00", duration = "1h", from = 2023-01-03, until = 2024-06-25 }

  A weekly meeting without a ``timezone`` is held at each team's own local time.
  Weeks without it are given by rule, so they follow the programme when it is
  re-dated: ``holidays = "skip"`` drops a meeting on a holiday or blackout date
  (``"flag"``, the default, reports it; ``"accept"`` keeps it), and
  ``skip_weeks_of = ["action-community/learning-sessions"]`` drops the meeting
  in every week (Monday to Sunday) in which one of those activities'
  occurrences falls. ``skip = [2023-07-04]`` still drops single dates.
  ``own = true`` keeps the teams' own meetings in their feeds (and their people's)
  and out of the cohort's and the programme's, which staff subscribe to.

``cohort`` is optional: without it the event is for the whole programme.
``cohorts = ["learning-network", "action-community"]`` instead makes it one
event shared by those cohorts: in each one's feeds, once in the programme's.
``location`` is empty unless given (a deadline happens nowhere). ``url`` is a
web page about the event (the programme's page when absent); ``join`` the link
to join it online; ``reminders`` replace the programme's default reminders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

import attrs

from pe_schedule._internal.declaration.months import read_months
from pe_schedule._internal.declaration.source import (
    FIRST_YEAR,
    LAST_YEAR,
    Table,
    describe,
    did_you_mean,
    named,
    one_of,
)
from pe_schedule._internal.declaration.timing import read_reminders, read_timing
from pe_schedule._internal.model.activity import ActivityName
from pe_schedule._internal.model.audience import DECLARABLE, AudienceKind
from pe_schedule._internal.model.months import Window, YearMonth
from pe_schedule._internal.model.occasion import Occasion, Weekly
from pe_schedule._internal.model.timing import (
    HolidayPolicy,
    Timing,
    parse_duration,
    parse_time,
    parse_weekday,
)

#: The keys of one ``[[events]]`` table.
EVENT_KEYS = (
    "id",
    "name",
    "cohort",
    "cohorts",
    "audience",
    "date",
    "days",
    "start",
    "duration",
    "timezone",
    "holidays",
    "months",
    "timing",
    "weekly",
    "location",
    "in_person",
    "description",
    "url",
    "join",
    "reminders",
    "categories",
    "busy",
    "own",
)
#: The keys of a ``weekly`` table.
WEEKLY_KEYS = (
    "weekday",
    "start",
    "duration",
    "timezone",
    "from",
    "until",
    "skip",
    "holidays",
    "skip_weeks_of",
)
#: The holiday policies a weekly meeting may name: it skips a week rather than shift.
WEEKLY_HOLIDAY_POLICIES = {
    name: policy
    for name, policy in named(HolidayPolicy).items()
    if policy is not HolidayPolicy.SHIFT
}
_DATED_TIMING_KEYS = ("days", "start", "duration", "timezone", "holidays")


def read_occasions(
    root: Table,
    *,
    window: Window | None,
    cohorts: Collection[str],
    defaults: Mapping[str, Any] | None = None,
    activities: Collection[str] | None = None,
) -> tuple[Occasion, ...]:
    """Read the ``[[events]]`` array of a declaration.

    Args:
        root: the declaration's top-level table.
        window: the programme window (``None`` when it is broken: months are then
            not read, the problem being reported already).
        cohorts: the cohort ids an event may name.
        defaults: the programme's timing defaults.
        activities: the activities a weekly meeting may give way to, as
            ``cohort/activity``; ``None`` when a cohort is broken (the names are then
            not checked, the problem being reported already).

    Returns:
        The events that could be read; every problem is reported to the root's report.
    """
    occasions = []
    seen: dict[str, str] = {}
    for table in root.tables("events", required=False):
        occasion = _read_occasion(table, _Known(window, cohorts, activities), defaults)
        if occasion is None:
            continue
        if occasion.id in seen:
            table.problem(
                "id",
                expected="an event id not used before",
                found=f"{occasion.id!r}, already the id of {seen[occasion.id]}",
            )
            continue
        seen[occasion.id] = table.path
        occasions.append(occasion)
    return tuple(occasions)


@attrs.frozen(kw_only=True)
class _When:
    """How an ``[[events]]`` entry happens: the fields of :class:`Occasion` that say so."""

    months: tuple[YearMonth, ...] = ()
    timing: Timing | None = None
    weekly: Weekly | None = None
    dated: bool = False


@attrs.frozen
class _Known:
    """What an event may refer to: the window, the cohorts and their activities (internal)."""

    window: Window | None
    cohorts: Collection[str]
    #: ``cohort/activity`` names; ``None``: not checked.
    activities: Collection[str] | None


def _read_occasion(
    table: Table, known: _Known, defaults: Mapping[str, Any] | None
) -> Occasion | None:
    table.allow(*EVENT_KEYS)
    before = len(table.report.problems)
    event_id = table.slug("id")
    name = table.text("name")
    cohort = _cohort(table, known.cohorts)
    audience = table.choice("audience", named(DECLARABLE), default=AudienceKind.COHORT)
    shared = read_shared_cohorts(table, known.cohorts, required=False)
    if table.has("cohorts") and table.has("cohort"):
        table.problem(
            "cohorts",
            expected="either 'cohort' (one cohort's event) or 'cohorts' (a shared one)",
            found="both",
        )
    if table.has("cohorts") and audience is not AudienceKind.COHORT:
        table.problem(
            "audience",
            expected="no audience: an event shared by cohorts is for the cohorts together",
            found=describe(table.data.get("audience")),
        )
    when = _when(table, known, defaults)
    location = table.text("location", required=False, default="")
    in_person = table.boolean("in_person", default=False)
    description = table.text("description", required=False, default="")
    url = table.url()
    join = table.url("join")
    reminders = read_reminders(table, defaults)
    categories = table.strings("categories", required=False) or []
    busy = table.boolean("busy", default=_blocks_time(when, in_person))
    own = table.boolean("own", default=False)
    broken = len(table.report.problems) > before
    if broken or event_id is None or name is None or audience is None or when is None:
        return None
    return Occasion(
        id=event_id,
        name=name,
        cohort=cohort,
        cohorts=shared or (),
        audience=audience,
        months=when.months,
        timing=when.timing,
        weekly=when.weekly,
        dated=when.dated,
        location=location or "",
        in_person=in_person,
        description=description or "",
        url=url,
        join=join,
        reminders=reminders or (),
        categories=tuple(categories),
        busy=busy,
        own=own,
    )


def _blocks_time(when: _When | None, in_person: bool) -> bool:
    """Whether an event blocks time unless it says (``busy``): a session with clock times
    or one held in person does; an all-day deadline or reminder does not, or it would
    make the whole day look taken in everyone's calendar."""
    if in_person or when is None or when.weekly is not None:
        return True
    return when.timing is not None and when.timing.start is not None


def read_shared_cohorts(
    table: Table, cohorts: Collection[str], *, required: bool = True
) -> tuple[str, ...] | None:
    """Read ``cohorts``: the cohorts an activity or event is shared by.

    Absent (when not ``required``) or broken gives ``None``, the problem
    reported. Given, it is two or more cohort ids, each once, returned in the
    order the programme declares its cohorts (so the order they are written in
    changes no uid or feed).
    """
    if not table.has("cohorts") and not required:
        return None
    items = table.value("cohorts", list, "an array of two or more cohort ids")
    if items is None:
        return None
    good = True
    for index, item in enumerate(items):
        path = f"{table.at('cohorts')}[{index}]"
        if not isinstance(item, str) or item not in cohorts:
            table.report.add(
                path,
                expected="a cohort of the programme: " + one_of(cohorts),
                found=describe(item),
                hint=did_you_mean(item, cohorts) if isinstance(item, str) else None,
            )
            good = False
        elif item in items[:index]:
            table.report.add(path, expected="each cohort once", found=f"{item!r} again")
            good = False
    if good and len(items) < 2:
        table.problem(
            "cohorts",
            expected="two or more cohort ids (an activity of one cohort belongs in its "
            "[[cohorts.activities]])",
            found=describe(items),
        )
        good = False
    if not good:
        return None
    return tuple(cohort for cohort in cohorts if cohort in items)


def _cohort(table: Table, cohorts: Collection[str]) -> str | None:
    cohort = table.text("cohort", required=False)
    if cohort is not None and cohort not in cohorts:
        table.problem(
            "cohort",
            expected="a cohort of the programme: " + one_of(cohorts),
            found=describe(cohort),
            hint=did_you_mean(cohort, cohorts),
        )
    return cohort


def _when(table: Table, known: _Known, defaults: Mapping[str, Any] | None) -> _When | None:
    """Read whichever one of ``date``, ``months`` or ``weekly`` the entry has."""
    window = known.window
    ways = [key for key in ("date", "months", "weekly") if table.has(key)]
    if len(ways) != 1:
        table.problem(
            "date" if not ways else ways[1],
            expected="exactly one of 'date', 'months' or 'weekly'",
            found="none of them" if not ways else " and ".join(repr(way) for way in ways),
        )
    if ways == ["date"]:
        return _dated(table, defaults)
    for key in _DATED_TIMING_KEYS:
        if table.has(key):
            table.problem(
                key,
                expected="no timing key beside 'months' or 'weekly'",
                found=describe(table.data[key]),
            )
    if ways == ["months"]:
        months = (read_months(table, "months", window) or ()) if window is not None else ()
        timing = read_timing(table.table("timing"), defaults, window=window, months=months)
        return None if timing is None else _When(months=months, timing=timing)
    if ways == ["weekly"]:
        weekly = _read_weekly(table.table("weekly"), known)
        return None if weekly is None else _When(weekly=weekly)
    return None


def _dated(table: Table, defaults: Mapping[str, Any] | None) -> _When | None:
    if table.has("timing"):
        table.problem("timing", expected="no timing table beside 'date'", found="a table")
    date = table.value("date", dt.date, "a TOML date such as 2022-10-21")
    if isinstance(date, dt.datetime):
        table.problem("date", expected="a date without a time", found=date.isoformat())
        return None
    if date is None or not _in_years(table, table.at("date"), date):
        return None
    fields = {key: table.data[key] for key in _DATED_TIMING_KEYS if key in table.data}
    fields["day"] = date.day
    # Programme defaults give a dated event no day, only a zone or a policy.
    inherited = {k: v for k, v in (defaults or {}).items() if k in ("timezone", "holidays")}
    timing = read_timing(Table(fields, table.path, table.report), inherited)
    if timing is None:
        return None
    return _When(months=(YearMonth.of(date),), timing=timing, dated=True)


def _read_weekly(table: Table | None, known: _Known) -> Weekly | None:
    if table is None:
        return None
    window = known.window
    table.allow(*WEEKLY_KEYS)
    weekday = table.parsed("weekday", parse_weekday, "a weekday such as 'Tuesday'")
    start = table.parsed("start", parse_time, "a time as 'HH:MM' (24-hour)")
    duration = table.parsed(
        "duration", parse_duration, "a duration such as '2h', '90m' or '1h30m' (at most 24h)"
    )
    zone = table.zone()
    default_first = window.first.first_day if window else None
    default_last = window.last.last_day if window else None
    first = _date(table, "from", default_first)
    last = _date(table, "until", default_last)
    skip = table.value("skip", list, "an array of dates", required=False) or []
    dates = []
    for index, item in enumerate(skip):
        if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            if _in_years(table, f"{table.at('skip')}[{index}]", item):
                dates.append(item)
        else:
            table.report.add(
                f"{table.at('skip')}[{index}]", expected="a TOML date", found=describe(item)
            )
    policy = table.choice("holidays", WEEKLY_HOLIDAY_POLICIES, default=HolidayPolicy.FLAG)
    skip_weeks_of = _skip_weeks_of(table, known.activities)
    if first is not None and last is not None and last < first:
        table.problem("until", expected=f"a date on or after 'from' ({first})", found=str(last))
        return None
    if weekday is None or start is None or duration is None or first is None or last is None:
        return None
    return Weekly(
        weekday=weekday,
        start=start,
        duration=duration,
        timezone=zone,
        first=first,
        last=last,
        skip=tuple(dates),
        holidays=policy or HolidayPolicy.FLAG,
        skip_weeks_of=skip_weeks_of,
    )


def _skip_weeks_of(table: Table, activities: Collection[str] | None) -> tuple[ActivityName, ...]:
    """The activities named by ``skip_weeks_of``, each as ``cohort/activity``."""
    expected = "an activity of the programme as 'cohort/activity'"
    names = table.strings("skip_weeks_of", required=False) or []
    found = []
    for index, text in enumerate(names):
        path = f"{table.at('skip_weeks_of')}[{index}]"
        try:
            name = ActivityName.parse(text)
        except ValueError:
            hint = did_you_mean(text, activities or ())
            table.report.add(path, expected=expected, found=describe(text), hint=hint)
            continue
        if activities is not None and str(name) not in activities:
            hint = did_you_mean(text, activities)
            table.report.add(path, expected=expected, found=describe(text), hint=hint)
            continue
        found.append(name)
    return tuple(found)


def _date(table: Table, key: str, default: dt.date | None) -> dt.date | None:
    value = table.value(key, dt.date, "a TOML date such as 2023-01-03", required=default is None)
    if isinstance(value, dt.datetime):
        table.problem(key, expected="a date without a time", found=value.isoformat())
        return None
    if value is not None and not _in_years(table, table.at(key), value):
        return None
    return default if value is None and not table.has(key) else value


def _in_years(table: Table, path: str, date: dt.date) -> bool:
    """Whether ``date`` lies in FIRST_YEAR..LAST_YEAR; reported at ``path`` if not.

    Events spill into the days around their dates (time zones, multi-day
    events), and a date near year 1 or 9999 would spill out of the calendar.
    """
    if FIRST_YEAR <= date.year <= LAST_YEAR:
        return True
    table.report.add(
        path,
        expected=f"a date in the years {FIRST_YEAR} to {LAST_YEAR}",
        found=date.isoformat(),
    )
    return False


__all__ = [
    "EVENT_KEYS",
    "WEEKLY_HOLIDAY_POLICIES",
    "WEEKLY_KEYS",
    "read_occasions",
    "read_shared_cohorts",
]
