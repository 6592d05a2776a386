"""Reading when people can meet: working hours, working weekdays and dates away.

Rosters write these for everyone (the roster's defaults), per team and per
staff member::

    working_hours = "09:00-17:00"                    # local wall clock, 24-hour
    working_days = ["Monday", "Tuesday", "Wednesday"]
    unavailable = [2023-07-03, 2023-12-26]            # TOML dates (``blackout`` for staff)

Each reader returns ``None`` when the key is absent or broken; a broken value is
reported at its key path (an array's item at its index).
"""

from __future__ import annotations

import datetime as dt

from pe_schedule._internal.declaration.source import Table, describe, did_you_mean
from pe_schedule._internal.model.availability import WorkingHours
from pe_schedule._internal.model.timing import parse_weekday, weekday_name

#: What working hours are expected to look like, wherever they are written.
HOURS_EXPECTED = "working hours such as '09:00-17:00' (24-hour, local wall clock)"
_REVERSED = "working hours that end after they start, such as '09:00-17:00'"
_DATE_EXPECTED = "a TOML date such as 2023-07-03"
_WEEKDAYS = tuple(weekday_name(number) for number in range(7))


def read_hours(table: Table, key: str = "working_hours") -> WorkingHours | None:
    """The working hours under ``key``.

    >>> from pe_schedule._internal.declaration.source import Report
    >>> report = Report("r.toml")
    >>> print(read_hours(Table({"working_hours": "07:30-15:30"}, "", report)))
    07:30-15:30
    >>> read_hours(Table({"working_hours": "17:00-09:00"}, "teams[0]", report))
    >>> print(report.problems[0])
    r.toml: teams[0].working_hours: expected working hours that end after they start, such as '09:00-17:00', got '17:00-09:00'
    """
    raw = table.value(key, str, HOURS_EXPECTED, required=False)
    if raw is None:
        return None
    try:
        return WorkingHours.parse(raw)
    except ValueError as error:
        # Well-formed hours that run backwards (a night shift, 17:00-09:00) get their own words.
        expected = _REVERSED if "end after they start" in str(error) else HOURS_EXPECTED
        table.problem(key, expected=expected, found=describe(raw))
        return None


def read_weekdays(table: Table, key: str = "working_days") -> frozenset[int] | None:
    """The weekdays (Monday is 0) named under ``key``, each once, at least one."""
    names = table.strings(key, required=False)
    if names is None:
        return None
    if not names:
        table.problem(key, expected="at least one weekday such as 'Monday'", found="an empty array")
        return None
    days: dict[int, int] = {}
    for index, name in enumerate(names):
        place = f"{table.at(key)}[{index}]"
        try:
            day = parse_weekday(name)
        except ValueError:
            hint = did_you_mean(name.strip().capitalize(), _WEEKDAYS)
            table.report.add(
                place, expected="a weekday such as 'Monday'", found=describe(name), hint=hint
            )
            continue
        if day in days:
            found = f"{describe(name)}, the same day as {table.at(key)}[{days[day]}]"
            table.report.add(place, expected="a weekday not listed before", found=found)
            continue
        days[day] = index
    return frozenset(days) if len(days) == len(names) else None


def read_dates(table: Table, key: str) -> frozenset[dt.date] | None:
    """The TOML dates under ``key``, each once (an empty array is no dates)."""
    items = table.value(key, list, "an array of dates such as [2023-07-03]", required=False)
    if items is None:
        return None
    dates: dict[dt.date, int] = {}
    for index, item in enumerate(items):
        place = f"{table.at(key)}[{index}]"
        if isinstance(item, dt.datetime) or not isinstance(item, dt.date):
            found = item.isoformat() if isinstance(item, dt.datetime) else describe(item)
            table.report.add(place, expected=_DATE_EXPECTED, found=found, hint=_date_hint(item))
        elif item in dates:
            found = f"{item}, the same date as {table.at(key)}[{dates[item]}]"
            table.report.add(place, expected="a date not listed before", found=found)
        else:
            dates[item] = index
    return frozenset(dates) if len(dates) == len(items) else None


def _date_hint(item: object) -> str | None:
    """How to write ``item`` as a TOML date, when it is a date in another form."""
    if isinstance(item, dt.datetime):
        return f"write the day alone: {item.date()}"
    if isinstance(item, str):
        try:
            return f"write it without quotes: {dt.date.fromisoformat(item.strip())}"
        except ValueError:
            return None
    return None


__all__ = ["HOURS_EXPECTED", "read_dates", "read_hours", "read_weekdays"]
