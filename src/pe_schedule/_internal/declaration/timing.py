"""Reading timing tables: an activity's ``timing``, and ``defaults`` tables above it.

Every problem is reported to the file's report with its key path; readers
return ``None`` (or leave a value out) so the loader can walk on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from pe_schedule._internal.declaration.months import read_month
from pe_schedule._internal.declaration.source import Table, describe, named
from pe_schedule._internal.model.months import Window, YearMonth
from pe_schedule._internal.model.timing import (
    MAX_DAYS,
    DayRule,
    HolidayPolicy,
    Override,
    Session,
    Timing,
    parse_day,
    parse_duration,
    parse_time,
)

#: The keys a defaults table may hold; a timing table also takes ``all_day``,
#: ``sessions`` and ``overrides``.
TIMING_KEYS = ("day", "days", "start", "duration", "timezone", "holidays")
#: The keys of one override.
OVERRIDE_KEYS = ("month", "session", "date", "day", "start", "duration", "cancelled")
#: The keys of one session slot.
SESSION_KEYS = ("day", "start", "duration", "timezone")


def merge_defaults(*layers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Timing fields from general to specific layers; a later layer wins.

    >>> merge_defaults({"start": "13:00", "duration": "1h"}, None, {"duration": "2h"})
    {'start': '13:00', 'duration': '2h'}
    """
    merged: dict[str, Any] = {}
    for layer in layers:
        if layer:
            merged.update({key: value for key, value in layer.items() if key in TIMING_KEYS})
    return merged


def read_defaults(table: Table | None) -> dict[str, Any]:
    """The valid timing fields of a ``defaults`` table; each bad one is reported here,
    once, rather than at every activity that would inherit it."""
    if table is None:
        return {}
    table.allow(*TIMING_KEYS)
    checks: dict[str, tuple[Any, str]] = {
        "start": (parse_time, "a time as 'HH:MM' (24-hour)"),
        "duration": (parse_duration, "a duration such as '2h', '90m' or '1h30m' (at most 24h)"),
    }
    good: dict[str, Any] = {}
    for key, value in table.data.items():
        if key not in TIMING_KEYS:
            continue
        if key in checks:
            parse, expected = checks[key]
            if table.parsed(key, parse, expected) is not None:
                good[key] = value
        elif key == "timezone":
            if table.zone(key) is not None:
                good[key] = value
        elif key == "holidays":
            if table.choice(key, named(HolidayPolicy)) is not None:
                good[key] = value
        elif key == "day":
            if _day(table, key, required=False) is not None:
                good[key] = value
        elif key == "days":
            days = table.integer(key)
            if days is not None and 1 <= days <= MAX_DAYS:
                good[key] = value
            elif days is not None:
                table.problem(
                    key, expected=f"a whole number from 1 to {MAX_DAYS}", found=describe(days)
                )
    return good


def read_timing(
    table: Table | None,
    defaults: Mapping[str, Any] | None = None,
    *,
    window: Window | None = None,
    months: Collection[YearMonth] | None = None,
) -> Timing | None:
    """The :class:`Timing` of an activity's ``timing`` table, on top of ``defaults``.

    ``defaults`` holds the merged programme and cohort ``defaults`` tables
    (see :func:`merge_defaults`). Every problem is reported to the table's
    report; ``None`` is returned when there is no timing table or it is broken.
    An activity without a ``timing`` table stays untimed: defaults alone do not
    time it, so a grid can be declared before its days are chosen.

    With ``window``, an override's month may be a programme month number as
    in ``months`` arrays; with ``months``, it must be one of the activity's.
    """
    if table is None:
        return None
    table.allow(*TIMING_KEYS, "all_day", "sessions", "overrides")
    broken = len(table.report.problems)
    # Values inherited from defaults are reported at the activity's key path:
    # that is where a person sees the effect, and the defaults table is named.
    view = Table(_fields(table, defaults), table.path, table.report)
    day = _day(view, "day", required=True)
    fields = _clock_fields(view)
    sessions = _sessions(table)
    overrides = _overrides(table, window, months)
    if len(table.report.problems) > broken or day is None:
        return None
    try:
        return Timing(day=day, sessions=sessions, overrides=overrides, **fields)
    except ValueError as error:
        table.report.add(table.path, expected="a consistent timing", found=str(error))
        return None


def _fields(table: Table, defaults: Mapping[str, Any] | None) -> dict[str, Any]:
    """The timing's own fields on top of ``defaults``."""
    fields = merge_defaults(defaults, table.data)
    # all_day = true opts out of a start time and duration the defaults give.
    if table.boolean("all_day", default=False):
        for key in ("start", "duration"):
            if key in table.data:
                table.problem(
                    key,
                    expected="no clock time beside all_day = true",
                    found=describe(table.data[key]),
                )
            fields.pop(key, None)
    return fields


def _clock_fields(view: Table) -> dict[str, Any]:
    """How many days, when and in which zone, and the holiday policy, as Timing fields."""
    days = view.integer("days", required=False)
    if days is not None and not 1 <= days <= MAX_DAYS:
        view.problem(
            "days", expected=f"a whole number of days from 1 to {MAX_DAYS}", found=describe(days)
        )
    start = view.parsed("start", parse_time, "a time as 'HH:MM' (24-hour)", required=False)
    duration = _read_duration(view, "duration")
    zone = view.zone()
    policy = view.choice("holidays", named(HolidayPolicy), default=HolidayPolicy.FLAG)
    if (start is None) != (duration is None) and view.has("start") != view.has("duration"):
        missing = "duration" if start is not None else "start"
        view.problem(
            missing,
            expected="a start time and a duration together (all-day without both)",
            found="nothing (the key is missing)",
        )
    return {
        "days": days or 1,
        "start": start,
        "duration": duration,
        "timezone": zone,
        "holidays": policy or HolidayPolicy.FLAG,
    }


def _day(view: Table, key: str, *, required: bool) -> DayRule | None:
    if not view.has(key):
        if required:
            view.problem(
                key,
                expected="a day such as 'third Wednesday' or a day of the month",
                found="nothing (the key is missing)",
            )
        return None
    raw = view.data[key]
    try:
        return parse_day(raw)
    except ValueError:
        view.problem(
            key,
            expected="a day such as 'third Wednesday', 'last Tuesday' or a day of the month 1-31",
            found=describe(raw),
        )
        return None


def _read_duration(view: Table, key: str) -> dt.timedelta | None:
    return view.parsed(
        key,
        parse_duration,
        "a duration such as '2h', '90m' or '1h30m' (at most 24h)",
        required=False,
    )


def _sessions(table: Table) -> tuple[Session, ...]:
    holder = table.table("sessions", required=False)
    if holder is None:
        return ()
    sessions = []
    for key in holder.data:
        slot = holder.table(key)
        if slot is None:
            continue
        slot.allow(*SESSION_KEYS)
        day = _day(slot, "day", required=False)
        start = slot.parsed("start", parse_time, "a time as 'HH:MM' (24-hour)", required=False)
        duration = _read_duration(slot, "duration")
        zone = slot.zone()
        sessions.append(Session(key=key, day=day, start=start, duration=duration, timezone=zone))
    return tuple(sessions)


def _override_month(
    change: Table, window: Window | None, months: Collection[YearMonth] | None
) -> YearMonth | None:
    if window is None:
        return change.parsed("month", YearMonth.parse, "a month as 'YYYY-MM'")
    if not change.has("month"):
        change.problem(
            "month", expected="the month to change", found="nothing (the key is missing)"
        )
        return None
    month = read_month(change.data["month"], change.at("month"), window, change.report)
    if month is not None and months is not None and month not in months:
        change.problem(
            "month",
            expected="a month the activity happens in: "
            + ", ".join(str(m) for m in sorted(months)),
            found=str(month),
        )
        return None
    return month


def _overrides(
    table: Table, window: Window | None, months: Collection[YearMonth] | None
) -> tuple[Override, ...]:
    overrides = []
    for change in table.tables("overrides", required=False):
        change.allow(*OVERRIDE_KEYS)
        month = _override_month(change, window, months)
        session = change.text("session", required=False)
        date = change.value("date", dt.date, "a TOML date such as 2023-07-26", required=False)
        if isinstance(date, dt.datetime):
            change.problem("date", expected="a date without a time", found=date.isoformat())
            date = None
        day = _day(change, "day", required=False)
        if date is not None and day is not None:
            change.problem("day", expected="either 'date' or 'day', not both", found="both")
        start = change.parsed("start", parse_time, "a time as 'HH:MM' (24-hour)", required=False)
        duration = _read_duration(change, "duration")
        cancelled = change.boolean("cancelled", default=False)
        if month is None or (date is not None and day is not None):
            continue
        overrides.append(
            Override(
                month=month,
                session=session,
                date=date,
                day=day,
                start=start,
                duration=duration,
                cancelled=cancelled,
            )
        )
    return tuple(overrides)


__all__ = [
    "OVERRIDE_KEYS",
    "SESSION_KEYS",
    "TIMING_KEYS",
    "merge_defaults",
    "read_defaults",
    "read_timing",
]
