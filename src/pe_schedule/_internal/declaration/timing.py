"""Reading timing tables: an activity's ``timing``, and ``defaults`` tables above it.

An activity's own timing may leave its slot open for ``pe-schedule solve``:
``day`` may list days to choose from and ``start`` may list start times or give
a window of them::

    day = ["second Tuesday", "second Wednesday", "second Thursday"]
    start = { from = "11:00", to = "16:00", every = "30m" }   # or ["12:00", "14:00"]
    duration = "1h"

Defaults, events, sessions and overrides take one day and one start only.

Every problem is reported to the file's report with its key path; readers
return ``None`` (or leave a value out) so the loader can walk on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from pe_schedule._internal.declaration.months import read_month
from pe_schedule._internal.declaration.source import Table, describe, named
from pe_schedule._internal.model.months import Window, YearMonth
from pe_schedule._internal.model.timing import (
    MAX_DAYS,
    Choices,
    DayRule,
    HolidayPolicy,
    Override,
    Session,
    Timing,
    format_time,
    parse_day,
    parse_duration,
    parse_reminder,
    parse_time,
)

T = TypeVar("T")

#: The keys a defaults table may hold; a timing table also takes ``all_day``,
#: ``sessions`` and ``overrides``.
TIMING_KEYS = ("day", "days", "start", "duration", "timezone", "holidays")
#: The holiday policies a timing may name: not ``skip``, which only a weekly meeting has.
TIMING_HOLIDAY_POLICIES = {
    name: policy
    for name, policy in named(HolidayPolicy).items()
    if policy is not HolidayPolicy.SKIP
}
#: The keys a ``defaults`` table may hold: timing fields, and reminders.
DEFAULT_KEYS = (*TIMING_KEYS, "reminders")
#: The keys of one override.
OVERRIDE_KEYS = ("month", "session", "date", "day", "start", "duration", "cancelled")
#: The keys of one session slot.
SESSION_KEYS = ("day", "start", "duration", "timezone", "join")
#: The keys of a window of start times: ``start = { from = "11:00", to = "16:00" }``.
WINDOW_KEYS = ("from", "to", "every")
#: How far apart the start times of a window are unless it says ``every``.
DEFAULT_STEP = dt.timedelta(minutes=30)

_DAY_EXPECTED = "a day such as 'third Wednesday', 'last Tuesday' or a day of the month 1-31"
_TIME_EXPECTED = "a time as 'HH:MM' (24-hour)"
_REMINDER_EXPECTED = "a reminder such as '15m', '2h' or '1d' (at most 4 weeks)"
_MISSING = "nothing (the key is missing)"


def merge_defaults(*layers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Default fields (timing and reminders) from general to specific layers; a later
    layer wins.

    >>> merge_defaults({"start": "13:00", "duration": "1h"}, None, {"duration": "2h"})
    {'start': '13:00', 'duration': '2h'}
    """
    merged: dict[str, Any] = {}
    for layer in layers:
        if layer:
            merged.update({key: value for key, value in layer.items() if key in DEFAULT_KEYS})
    return merged


def read_defaults(table: Table | None) -> dict[str, Any]:
    """The valid fields of a ``defaults`` table; each bad one is reported here,
    once, rather than at every activity that would inherit it."""
    if table is None:
        return {}
    table.allow(*DEFAULT_KEYS)
    checks: dict[str, tuple[Any, str]] = {
        "start": (parse_time, "a time as 'HH:MM' (24-hour)"),
        "duration": (parse_duration, "a duration such as '2h', '90m' or '1h30m' (at most 24h)"),
    }
    good: dict[str, Any] = {}
    if table.has("reminders") and read_reminders(table) is not None:
        good["reminders"] = table.data["reminders"]
    for key, value in table.data.items():
        if key not in TIMING_KEYS or not _single(table, key):
            continue
        if key in checks:
            parse, expected = checks[key]
            if table.parsed(key, parse, expected) is not None:
                good[key] = value
        elif key == "timezone":
            if table.zone(key) is not None:
                good[key] = value
        elif key == "holidays":
            if table.choice(key, TIMING_HOLIDAY_POLICIES) is not None:
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


def read_reminders(
    table: Table, defaults: Mapping[str, Any] | None = None
) -> tuple[dt.timedelta, ...] | None:
    """The ``reminders`` of an activity, an event or a defaults table: how long before
    the start each fires, as declared (``["1d", "15m"]``).

    Without the key, the reminders of ``defaults`` (already checked where they are
    declared); an empty array means none. ``None`` when broken, each bad item
    reported at its index.
    """
    if not table.has("reminders"):
        inherited = (defaults or {}).get("reminders") or ()
        return tuple(parse_reminder(item) for item in inherited)
    items = table.value("reminders", list, 'an array of reminders such as ["1d", "15m"]')
    if items is None:
        return None
    found: dict[dt.timedelta, int] = {}
    for index, item in enumerate(items):
        place = f"{table.at('reminders')}[{index}]"
        try:
            before = parse_reminder(item) if isinstance(item, str) else None
        except ValueError:
            before = None
        if before is None:
            table.report.add(place, expected=_REMINDER_EXPECTED, found=describe(item))
        elif before in found:
            table.report.add(
                place,
                expected="a reminder not listed before",
                found=f"{describe(item)}, the same as {table.at('reminders')}[{found[before]}]",
            )
        else:
            found[before] = index
    return tuple(found) if len(found) == len(items) else None


def read_timing(
    table: Table | None,
    defaults: Mapping[str, Any] | None = None,
    *,
    window: Window | None = None,
    months: Collection[YearMonth] | None = None,
    choices: bool = False,
) -> Timing | None:
    """The :class:`Timing` of an activity's ``timing`` table, on top of ``defaults``.

    ``defaults`` holds the merged programme and cohort ``defaults`` tables
    (see :func:`merge_defaults`). Every problem is reported to the table's
    report; ``None`` is returned when there is no timing table or it is broken.
    An activity without a ``timing`` table stays untimed: defaults alone do not
    time it, so a grid can be declared before its days are chosen.

    With ``window``, an override's month may be a programme month number as
    in ``months`` arrays; with ``months``, it must be one of the activity's.
    With ``choices`` (an activity's own timing), ``day`` and ``start`` may
    give several values to choose from, which become the timing's
    :class:`Choices`, the first of each its ``day`` and ``start``.
    """
    if table is None:
        return None
    table.allow(*TIMING_KEYS, "all_day", "sessions", "overrides")
    broken = len(table.report.problems)
    # Values inherited from defaults are reported at the activity's key path:
    # that is where a person sees the effect, and the defaults table is named.
    view = Table(_fields(table, defaults), table.path, table.report)
    day_options = _day_options(view, choices=choices)
    starts = _start_options(view, choices=choices)
    fields = _clock_fields(view)
    open_slot = choices and _lists_choices(view)
    _check_clock(view, starts, fields["duration"], open_slot=open_slot)
    sessions = _sessions(table)
    overrides = _overrides(table, window, months)
    if len(table.report.problems) > broken or day_options is None:
        return None
    try:
        return Timing(
            day=day_options[0],
            start=starts[0] if starts else None,
            choices=Choices(days=day_options, starts=starts) if open_slot and starts else None,
            sessions=sessions,
            overrides=overrides,
            **fields,
        )
    except ValueError as error:
        table.report.add(table.path, expected="a consistent timing", found=str(error))
        return None


def _single(table: Table, key: str) -> bool:
    """Whether ``key`` holds no list or window of choices; reported if it does.

    Only an activity's own timing leaves its slot open for ``solve``: a default
    with choices would open every activity below it at once.
    """
    raw = table.data.get(key)
    if key not in ("day", "start") or not isinstance(raw, list | dict):
        return True
    one, many = ("day such as 'third Wednesday'", "days")
    if key == "start":
        one, many = ("time as 'HH:MM'", "start times")
    table.problem(
        key,
        expected=f"one {one}; only an activity's own timing lists {many} to choose from",
        found=describe(raw),
    )
    return False


def _lists_choices(view: Table) -> bool:
    """Whether ``day`` or ``start`` is a list or a window, leaving the slot to ``solve``."""
    return isinstance(view.data.get("day"), list) or isinstance(view.data.get("start"), list | dict)


def _day_options(view: Table, *, choices: bool) -> tuple[DayRule, ...] | None:
    """The day, or the days to choose from; ``None`` when missing or broken."""
    if not choices and not _single(view, "day"):
        return None
    if isinstance(view.data.get("day"), list):
        return _each(view, "day", parse_day, "day")
    day = _day(view, "day", required=True)
    return None if day is None else (day,)


def _start_options(view: Table, *, choices: bool) -> tuple[dt.time, ...] | None:
    """The start time, or the start times to choose from; ``None`` when missing or broken."""
    raw = view.data.get("start")
    if not choices and not _single(view, "start"):
        return None
    if isinstance(raw, list):
        return _each(view, "start", _clock, "start time")
    if isinstance(raw, dict):
        return _window(Table(raw, view.at("start"), view.report))
    start = view.parsed("start", parse_time, _TIME_EXPECTED, required=False)
    return None if start is None else (start,)


def _clock(value: object) -> dt.time:
    """A clock time from a TOML value, for :func:`_each`."""
    if not isinstance(value, str):
        raise ValueError(f"expected a time as 'HH:MM', got {value!r}")
    return parse_time(value)


def _each(view: Table, key: str, parse: Callable[[object], T], what: str) -> tuple[T, ...] | None:
    """The non-empty array under ``key``, each item read by ``parse`` and listed once.

    ``None`` (after reporting each bad item at its index) if any is broken.
    """
    raw = view.data[key]
    expected = _DAY_EXPECTED if key == "day" else _TIME_EXPECTED
    if not raw:
        view.problem(key, expected=f"at least one {what} to choose from", found="an empty array")
        return None
    first: dict[T, int] = {}
    for index, item in enumerate(raw):
        place = f"{view.at(key)}[{index}]"
        try:
            value = parse(item)
        except ValueError:
            view.report.add(place, expected=expected, found=describe(item))
            continue
        if value in first:
            view.report.add(
                place,
                expected=f"a {what} not listed before",
                found=f"{describe(item)}, the same as {view.at(key)}[{first[value]}]",
            )
            continue
        first[value] = index
    return tuple(first) if len(first) == len(raw) else None


def _window(table: Table) -> tuple[dt.time, ...] | None:
    """The start times of a window, ``from`` to ``to`` (inclusive) ``every`` so often."""
    table.allow(*WINDOW_KEYS)
    first = table.parsed("from", parse_time, f"the earliest start, {_TIME_EXPECTED}")
    last = table.parsed("to", parse_time, f"the latest start, {_TIME_EXPECTED}")
    step = table.parsed(
        "every", parse_duration, "a step such as '30m' or '1h' (at most 24h)", required=False
    )
    if first is None or last is None or (step is None and table.has("every")):
        return None
    if last < first:
        table.problem(
            "to",
            expected=f"the latest start, at or after from ({format_time(first)})",
            found=describe(table.data["to"]),
        )
        return None
    minutes = int((step or DEFAULT_STEP).total_seconds()) // 60
    begin, end = first.hour * 60 + first.minute, last.hour * 60 + last.minute
    return tuple(dt.time(*divmod(minute, 60)) for minute in range(begin, end + 1, minutes))


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
    """How many days, how long and in which zone, and the holiday policy, as Timing fields."""
    days = view.integer("days", required=False)
    if days is not None and not 1 <= days <= MAX_DAYS:
        view.problem(
            "days", expected=f"a whole number of days from 1 to {MAX_DAYS}", found=describe(days)
        )
    duration = _read_duration(view, "duration")
    zone = view.zone()
    policy = view.choice("holidays", TIMING_HOLIDAY_POLICIES, default=HolidayPolicy.FLAG)
    return {
        "days": days or 1,
        "duration": duration,
        "timezone": zone,
        "holidays": policy or HolidayPolicy.FLAG,
    }


def _check_clock(
    view: Table,
    starts: tuple[dt.time, ...] | None,
    duration: dt.timedelta | None,
    *,
    open_slot: bool,
) -> None:
    """Report a start without a duration or the reverse; choices need both.

    A key that is present but broken is reported where it is, not again here.
    """
    if open_slot:
        # solve places sessions by the hours they take, so an all-day choice means nothing.
        listed = "days" if isinstance(view.data.get("day"), list) else "start times"
        for key, what in (("start", "a start time, or start times,"), ("duration", "a duration")):
            if not view.has(key):
                view.problem(
                    key,
                    expected=f"{what} beside the {listed} to choose from "
                    "(pe-schedule solve places timed sessions only)",
                    found=_MISSING,
                )
    elif (starts is None) != (duration is None) and view.has("start") != view.has("duration"):
        view.problem(
            "duration" if starts is not None else "start",
            expected="a start time and a duration together (all-day without both)",
            found=_MISSING,
        )


def _day(view: Table, key: str, *, required: bool) -> DayRule | None:
    if not view.has(key):
        if required:
            view.problem(
                key,
                expected="a day such as 'third Wednesday' or a day of the month",
                found=_MISSING,
            )
        return None
    raw = view.data[key]
    try:
        return parse_day(raw)
    except ValueError:
        view.problem(key, expected=_DAY_EXPECTED, found=describe(raw))
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
        join = slot.url("join")
        sessions.append(
            Session(key=key, day=day, start=start, duration=duration, timezone=zone, join=join)
        )
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
    "DEFAULT_KEYS",
    "DEFAULT_STEP",
    "OVERRIDE_KEYS",
    "SESSION_KEYS",
    "TIMING_HOLIDAY_POLICIES",
    "TIMING_KEYS",
    "WINDOW_KEYS",
    "merge_defaults",
    "read_defaults",
    "read_reminders",
    "read_timing",
]
