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
    busy = false
    timing = { day = "last Friday" }

- **weekly**, as a recurrence (a team's own weekly meeting)::

    [[events]]
    id = "team-meeting"
    name = "Weekly team meeting"
    cohort = "action-community"
    audience = "team"
    weekly = { weekday = "Tuesday", start = "10:00", duration = "1h", from = 2023-01-03, until = 2024-06-25 }

  A weekly meeting without a ``timezone`` is held at each team's own local time.

``cohort`` is optional: without it the event is for the whole programme.
``location`` is empty unless given (a deadline happens nowhere).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

import attrs
from dateutil import rrule

from pe_schedule.model import Audience
from pe_schedule.month_spec import Window, read_months
from pe_schedule.months import YearMonth
from pe_schedule.source import Table, describe, did_you_mean, one_of
from pe_schedule.timing import (
    Timing,
    check_zone,
    parse_duration,
    parse_time,
    parse_weekday,
    read_timing,
    weekday_name,
)

#: The keys of one ``[[events]]`` table.
EVENT_KEYS = (
    "id",
    "name",
    "cohort",
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
    "categories",
    "busy",
)
#: The keys of a ``weekly`` table.
WEEKLY_KEYS = ("weekday", "start", "duration", "timezone", "from", "until", "skip")
_DATED_TIMING_KEYS = ("days", "start", "duration", "timezone", "holidays")


@attrs.frozen(kw_only=True)
class Weekly:
    """A meeting on one weekday every week between two dates.

    >>> weekly = Weekly(weekday=1, start=dt.time(10), duration=dt.timedelta(hours=1),
    ...                 first=dt.date(2023, 1, 1), last=dt.date(2023, 1, 31),
    ...                 skip=(dt.date(2023, 1, 17),))
    >>> [day.day for day in weekly.dates()]
    [3, 10, 24, 31]
    """

    #: Monday is 0.
    weekday: int = attrs.field(validator=attrs.validators.in_(range(7)))
    start: dt.time
    duration: dt.timedelta
    #: ``None``: each team's own zone for a team audience, else the programme's.
    timezone: str | None = None
    first: dt.date
    last: dt.date
    #: Weeks without the meeting, by the date it would have had.
    skip: tuple[dt.date, ...] = ()

    def dates(self) -> tuple[dt.date, ...]:
        """Every date the meeting happens on, in order."""
        found = rrule.rrule(
            rrule.WEEKLY,
            dtstart=dt.datetime.combine(self.first, dt.time()),
            until=dt.datetime.combine(self.last, dt.time()),
            byweekday=self.weekday,
        )
        return tuple(day.date() for day in found if day.date() not in self.skip)

    def __str__(self) -> str:
        return f"every {weekday_name(self.weekday)}"


@attrs.frozen(kw_only=True)
class Occasion:
    """An event that is not a cell of a cohort's grid.

    >>> from pe_schedule.timing import DayOfMonth
    >>> call = Occasion(id="call", name="Call", months=(YearMonth(2022, 9),),
    ...                 timing=Timing(day=DayOfMonth(day=21)), dated=True)
    >>> call.cohort is None, call.audience.value
    (True, 'cohort')
    """

    id: str
    name: str
    #: ``None``: for the whole programme.
    cohort: str | None = None
    audience: Audience = Audience.COHORT
    months: tuple[YearMonth, ...] = ()
    timing: Timing | None = None
    weekly: Weekly | None = None
    #: A single date: the id alone identifies the event, not its month.
    dated: bool = False
    #: Where it happens; none for a deadline.
    location: str = ""
    in_person: bool = False
    description: str = ""
    url: str | None = None
    categories: tuple[str, ...] = ()
    #: Deadlines and optional meet-ups do not block time.
    busy: bool = True

    def __attrs_post_init__(self) -> None:
        if (self.timing is None) == (self.weekly is None):
            raise ValueError(f"event {self.id!r} needs either a timing or a weekly recurrence")
        if self.timing is not None and not self.months:
            raise ValueError(f"event {self.id!r} has a timing but no months")


def read_occasions(
    root: Table,
    *,
    window: Window | None,
    cohorts: Collection[str],
    defaults: Mapping[str, Any] | None = None,
) -> tuple[Occasion, ...]:
    """Read the ``[[events]]`` array of a declaration.

    Args:
        root: the declaration's top-level table.
        window: the programme window (``None`` when it is broken: months are then
            not read, the problem being reported already).
        cohorts: the cohort ids an event may name.
        defaults: the programme's timing defaults.

    Returns:
        The events that could be read; every problem is reported to the root's report.
    """
    occasions = []
    seen: dict[str, str] = {}
    for table in root.tables("events", required=False):
        occasion = _read_occasion(table, window, cohorts, defaults)
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


def _read_occasion(
    table: Table,
    window: Window | None,
    cohorts: Collection[str],
    defaults: Mapping[str, Any] | None,
) -> Occasion | None:
    table.allow(*EVENT_KEYS)
    before = len(table.report.problems)
    event_id = table.slug("id")
    name = table.text("name")
    cohort = table.text("cohort", required=False)
    if cohort is not None and cohort not in cohorts:
        table.problem(
            "cohort",
            expected="a cohort of the programme: " + one_of(cohorts),
            found=describe(cohort),
            hint=did_you_mean(cohort, cohorts),
        )
    audiences = [audience.value for audience in Audience]
    raw_audience = table.value("audience", str, one_of(audiences), required=False) or "cohort"
    if raw_audience not in audiences:
        table.problem(
            "audience",
            expected=one_of(audiences),
            found=describe(raw_audience),
            hint=did_you_mean(raw_audience, audiences),
        )
        raw_audience = "cohort"
    ways = [key for key in ("date", "months", "weekly") if table.has(key)]
    if len(ways) != 1:
        table.problem(
            "date" if not ways else ways[1],
            expected="exactly one of 'date', 'months' or 'weekly'",
            found="none of them" if not ways else " and ".join(repr(way) for way in ways),
        )
    months: tuple[YearMonth, ...] = ()
    timing = weekly = None
    dated = False
    if ways == ["date"]:
        for key in ("timing",):
            if table.has(key):
                table.problem(key, expected="no timing table beside 'date'", found="a table")
        date = table.value("date", dt.date, "a TOML date such as 2022-10-21")
        if isinstance(date, dt.datetime):
            table.problem("date", expected="a date without a time", found=date.isoformat())
        elif date is not None:
            fields = {key: table.data[key] for key in _DATED_TIMING_KEYS if key in table.data}
            fields["day"] = date.day
            view = Table(fields, table.path, table.report)
            # Programme defaults give a dated event no day, only a zone or a policy.
            timing = read_timing(
                view, {k: v for k, v in (defaults or {}).items() if k in ("timezone", "holidays")}
            )
            months, dated = (YearMonth.of(date),), True
    else:
        for key in _DATED_TIMING_KEYS:
            if table.has(key):
                table.problem(
                    key,
                    expected="no timing key beside 'months' or 'weekly'",
                    found=describe(table.data[key]),
                )
    if ways == ["months"]:
        if window is not None:
            months = read_months(table, "months", window) or ()
        timing = read_timing(table.table("timing"), defaults, window=window, months=months)
    if ways == ["weekly"]:
        weekly = _read_weekly(table.table("weekly"), window)
    location = table.text("location", required=False, default="")
    in_person = table.boolean("in_person", default=False)
    description = table.text("description", required=False, default="")
    url = table.url()
    categories = table.strings("categories", required=False) or []
    busy = table.boolean("busy", default=True)
    if len(table.report.problems) > before or event_id is None or name is None:
        return None
    if timing is None and weekly is None:
        return None
    return Occasion(
        id=event_id,
        name=name,
        cohort=cohort,
        audience=Audience(raw_audience),
        months=months,
        timing=timing,
        weekly=weekly,
        dated=dated,
        location=location or "",
        in_person=in_person,
        description=description or "",
        url=url,
        categories=tuple(categories),
        busy=busy,
    )


def _read_weekly(table: Table | None, window: Window | None) -> Weekly | None:
    if table is None:
        return None
    table.allow(*WEEKLY_KEYS)
    weekday = table.parsed("weekday", parse_weekday, "a weekday such as 'Tuesday'")
    start = table.parsed("start", parse_time, "a time as 'HH:MM' (24-hour)")
    duration = table.parsed(
        "duration", parse_duration, "a duration such as '2h', '90m' or '1h30m' (at most 24h)"
    )
    zone = table.parsed("timezone", check_zone, "an IANA time zone", required=False)
    default_first = window.first.first_day if window else None
    default_last = window.last.last_day if window else None
    first = _date(table, "from", default_first)
    last = _date(table, "until", default_last)
    skip = table.value("skip", list, "an array of dates", required=False) or []
    dates = []
    for index, item in enumerate(skip):
        if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            dates.append(item)
        else:
            table.report.add(
                f"{table.at('skip')}[{index}]", expected="a TOML date", found=describe(item)
            )
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
    )


def _date(table: Table, key: str, default: dt.date | None) -> dt.date | None:
    value = table.value(key, dt.date, "a TOML date such as 2023-01-03", required=default is None)
    if isinstance(value, dt.datetime):
        table.problem(key, expected="a date without a time", found=value.isoformat())
        return None
    return default if value is None and not table.has(key) else value


__all__ = ["EVENT_KEYS", "WEEKLY_KEYS", "Occasion", "Weekly", "read_occasions"]
