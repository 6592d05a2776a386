"""When in its month an activity happens: the day, the clock time and the zone.

A grid says *which months*; a :class:`Timing` says *when in each month*. It
holds a day rule (an nth weekday such as "third Wednesday" or an explicit day
of the month), how many consecutive days one occurrence spans, an optional
start time and duration (without them the occurrence is all-day), an IANA time
zone, a holiday policy, per-session slots for activities that fan out into
parallel sessions, and per-month overrides (moved, retimed, cancelled).

Durations are written ``"2h"``, ``"90m"`` or ``"1h30m"``; clock times
``"13:00"`` (24-hour). Timings are plain values: turning them into dated,
zone-aware events is :mod:`pe_schedule.expand`'s job.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Collection, Mapping
from typing import Any, TypeAlias

import attrs
from dateutil import rrule

from pe_schedule.month_spec import Window, read_month
from pe_schedule.months import YearMonth
from pe_schedule.source import Table, describe, did_you_mean, one_of
from pe_schedule.zones import zone_names

#: The longest an occurrence may last on one day.
MAX_DURATION = dt.timedelta(hours=24)
#: The most consecutive days one occurrence may span.
MAX_DAYS = 14

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RRULE_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_ORDINAL_NAMES = {number: name for name, number in _ORDINALS.items()}
_NUMERIC_ORDINAL = re.compile(r"([1-5])(?:st|nd|rd|th)")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_DURATION = re.compile(r"(?:(\d{1,3})h)?(?:(\d{1,4})m)?")


def parse_weekday(text: str) -> int:
    """The weekday number (Monday is 0) of an English weekday name.

    >>> parse_weekday("wednesday")
    2

    Raises:
        ValueError: if ``text`` names no weekday.
    """
    for number, name in enumerate(_WEEKDAYS):
        if text.strip().lower() == name.lower():
            return number
    raise ValueError(f"expected a weekday such as 'Wednesday', got {text!r}")


def weekday_name(number: int) -> str:
    """The English name of weekday ``number`` (Monday is 0)."""
    return _WEEKDAYS[number]


def parse_time(text: str) -> dt.time:
    """A 24-hour clock time written ``HH:MM``.

    >>> parse_time("13:00")
    datetime.time(13, 0)

    Raises:
        ValueError: if ``text`` is not such a time.
    """
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected a time as 'HH:MM' (24-hour), got {text!r}")
    return dt.time(int(match[1]), int(match[2]))


def format_time(value: dt.time) -> str:
    """A clock time as ``HH:MM``, the way :func:`parse_time` reads it."""
    return value.strftime("%H:%M")


def parse_duration(text: str) -> dt.timedelta:
    """A duration written in hours and minutes: ``"2h"``, ``"90m"``, ``"1h30m"``.

    >>> parse_duration("1h30m")
    datetime.timedelta(seconds=5400)

    Raises:
        ValueError: if ``text`` is not of that form, is zero or exceeds 24 hours.
    """
    match = _DURATION.fullmatch(text.strip())
    if match is None or not (match[1] or match[2]):
        raise ValueError(f"expected a duration such as '2h', '90m' or '1h30m', got {text!r}")
    duration = dt.timedelta(hours=int(match[1] or 0), minutes=int(match[2] or 0))
    _check_duration(duration)
    return duration


def format_duration(value: dt.timedelta) -> str:
    """A duration the way :func:`parse_duration` reads it.

    >>> format_duration(dt.timedelta(minutes=90)), format_duration(dt.timedelta(hours=2))
    ('1h30m', '2h')
    """
    minutes = int(value.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")


def _check_duration(value: dt.timedelta) -> None:
    if not dt.timedelta(0) < value <= MAX_DURATION:
        raise ValueError(f"a duration must be more than 0 and at most 24h, got {value}")


def check_zone(name: str) -> str:
    """``name`` if it is an IANA time zone of the pinned ``tzdata`` release.

    Raises:
        ValueError: if it is not.
    """
    if name not in zone_names():
        raise ValueError(f"expected an IANA time zone such as 'America/New_York', got {name!r}")
    return name


def _zone(_instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None:
        check_zone(value)


def _duration(
    _instance: object, _attribute: attrs.Attribute[dt.timedelta | None], value: dt.timedelta | None
) -> None:
    if value is not None:
        _check_duration(value)


@attrs.frozen(kw_only=True)
class NthWeekday:
    """The nth (or last) given weekday of a month.

    >>> rule = NthWeekday.parse("third Wednesday")
    >>> str(rule), rule.resolve(YearMonth(2023, 3))
    ('third Wednesday', datetime.date(2023, 3, 15))
    >>> print(NthWeekday.parse("5th Monday").resolve(YearMonth(2023, 2)))
    None
    """

    #: 1 to 5 counts from the start of the month; -1 is the last.
    n: int = attrs.field(validator=attrs.validators.in_((1, 2, 3, 4, 5, -1)))
    #: Monday is 0.
    weekday: int = attrs.field(validator=attrs.validators.in_(range(7)))

    @classmethod
    def parse(cls, text: str) -> NthWeekday:
        """Read ``"third Wednesday"``, ``"last Tuesday"`` or ``"2nd Monday"``.

        Raises:
            ValueError: if ``text`` is not of that form.
        """
        words = text.split()
        if len(words) != 2:
            raise ValueError(f"expected a day such as 'third Wednesday', got {text!r}")
        ordinal, weekday = words[0].lower(), words[1]
        numeric = _NUMERIC_ORDINAL.fullmatch(ordinal)
        if numeric:
            n = int(numeric[1])
        elif ordinal in _ORDINALS:
            n = _ORDINALS[ordinal]
        else:
            raise ValueError(f"expected first, second, third, fourth, fifth or last, got {text!r}")
        return cls(n=n, weekday=parse_weekday(weekday))

    def __str__(self) -> str:
        return f"{_ORDINAL_NAMES[self.n]} {_WEEKDAYS[self.weekday]}"

    def resolve(self, month: YearMonth) -> dt.date | None:
        """The date in ``month``, or ``None`` when the month has no such day."""
        first = dt.datetime.combine(month.first_day, dt.time())
        last = dt.datetime.combine(month.last_day, dt.time())
        # An explicit dtstart keeps the rule independent of the clock.
        found = rrule.rrule(
            rrule.MONTHLY,
            dtstart=first,
            until=last,
            byweekday=_RRULE_WEEKDAYS[self.weekday](self.n),
        )
        dates = list(found)
        return dates[0].date() if dates else None

    def later(self, day: dt.date) -> dt.date:
        """The next date after ``day`` that is the same kind of day: a week later."""
        return day + dt.timedelta(weeks=1)


@attrs.frozen(kw_only=True)
class DayOfMonth:
    """An explicit day of the month, such as the 15th.

    >>> DayOfMonth(day=31).resolve(YearMonth(2023, 2)) is None
    True
    """

    day: int = attrs.field(validator=attrs.validators.in_(range(1, 32)))

    def __str__(self) -> str:
        return f"day {self.day}"

    def resolve(self, month: YearMonth) -> dt.date | None:
        """The date in ``month``, or ``None`` when the month is too short."""
        return dt.date(month.year, month.month, self.day) if self.day <= month.days else None

    def later(self, day: dt.date) -> dt.date:
        """The next working day (Monday to Friday) after ``day``."""
        day += dt.timedelta(days=1)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day


#: How an occurrence's day is chosen within its month.
DayRule: TypeAlias = NthWeekday | DayOfMonth


def parse_day(value: object) -> DayRule:
    """A day rule from its TOML form: a whole number is a day of the month,
    a text an nth weekday.

    >>> parse_day(15), parse_day("last Tuesday")
    (DayOfMonth(day=15), NthWeekday(n=-1, weekday=1))

    Raises:
        ValueError: if ``value`` is neither.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= 31:
            raise ValueError(f"expected a day of the month from 1 to 31, got {value}")
        return DayOfMonth(day=value)
    if isinstance(value, str):
        return NthWeekday.parse(value)
    raise ValueError(f"expected a day such as 'third Wednesday' or 15, got {value!r}")


class HolidayPolicy(enum.Enum):
    """What to do when an occurrence falls on a US federal holiday."""

    #: Report it as a calendar-sanity problem (the default).
    FLAG = "flag"
    #: Keep it; the programme meets on that holiday on purpose.
    ACCEPT = "accept"
    #: Move it to the next date the day rule allows (a week later for an nth
    #: weekday, the next working day for a day of the month) inside the month;
    #: reported as a problem only when no such date exists.
    SHIFT = "shift"


@attrs.frozen(kw_only=True)
class Session:
    """The slot of one parallel session of a fanned-out activity.

    ``key`` names the audience of the session: a coaching group, an affinity
    group or a team id from the roster. Unset fields fall back to the timing.
    """

    key: str
    day: DayRule | None = None
    start: dt.time | None = None
    duration: dt.timedelta | None = attrs.field(default=None, validator=_duration)
    timezone: str | None = attrs.field(default=None, validator=_zone)


@attrs.frozen(kw_only=True)
class Override:
    """A change to one month's occurrence: moved, retimed or cancelled.

    With ``session`` set it changes only that parallel session.
    """

    month: YearMonth
    session: str | None = None
    #: Moved to this date (a person chose it, so it is never shifted).
    date: dt.date | None = None
    #: Moved to the day this rule gives in the month.
    day: DayRule | None = None
    start: dt.time | None = None
    duration: dt.timedelta | None = attrs.field(default=None, validator=_duration)
    cancelled: bool = False

    def __attrs_post_init__(self) -> None:
        if self.date is not None and self.day is not None:
            raise ValueError("an override moves to a date or to a day rule, not both")


@attrs.frozen(kw_only=True)
class Slot:
    """Where one occurrence lands before dates are worked out.

    >>> Timing(day=NthWeekday.parse("first Monday")).slot(YearMonth(2023, 5)).all_day
    True
    """

    day: DayRule
    #: An explicit date from an override, taking precedence over ``day``.
    date: dt.date | None
    days: int
    start: dt.time | None
    duration: dt.timedelta | None
    timezone: str | None
    holidays: HolidayPolicy
    cancelled: bool

    @property
    def all_day(self) -> bool:
        """Whether the occurrence spans whole days rather than clock times."""
        return self.start is None


@attrs.frozen(kw_only=True)
class Timing:
    """When in each of its months an activity happens.

    >>> timing = Timing(day=NthWeekday.parse("third Wednesday"), start=parse_time("13:00"),
    ...                 duration=parse_duration("2h"), timezone="America/New_York")
    >>> slot = timing.slot(YearMonth(2023, 3))
    >>> str(slot.day), slot.start, slot.duration
    ('third Wednesday', datetime.time(13, 0), datetime.timedelta(seconds=7200))
    """

    day: DayRule
    #: How many consecutive days one occurrence spans (a three-day learning session).
    days: int = attrs.field(default=1, validator=attrs.validators.in_(range(1, MAX_DAYS + 1)))
    #: Wall-clock start on each day; ``None`` makes the occurrence all-day.
    start: dt.time | None = None
    duration: dt.timedelta | None = attrs.field(default=None, validator=_duration)
    #: IANA zone of ``start``; ``None`` means the programme's zone.
    timezone: str | None = attrs.field(default=None, validator=_zone)
    holidays: HolidayPolicy = HolidayPolicy.FLAG
    sessions: tuple[Session, ...] = ()
    overrides: tuple[Override, ...] = ()

    def __attrs_post_init__(self) -> None:
        if (self.start is None) != (self.duration is None):
            raise ValueError("a start time and a duration go together; give both or neither")
        parts: tuple[Session | Override, ...] = (*self.sessions, *self.overrides)
        for part in parts:
            if part.start is not None and part.duration is None and self.duration is None:
                raise ValueError(f"{part!r} sets a start time but nothing gives a duration")
        keys = [session.key for session in self.sessions]
        if len(keys) != len(set(keys)):
            raise ValueError(f"sessions name the same audience twice: {sorted(keys)}")

    def session(self, key: str) -> Session | None:
        """The declared slot of the session for audience ``key``, if any."""
        for session in self.sessions:
            if session.key == key:
                return session
        return None

    def slot(self, month: YearMonth, session: str | None = None) -> Slot:
        """Where the occurrence of ``month`` for audience ``session`` lands.

        Session slots refine the timing; overrides of the month (first those for
        every session, then those for this session) refine that.
        """
        day: DayRule = self.day
        date: dt.date | None = None
        start, duration, zone = self.start, self.duration, self.timezone
        cancelled = False
        own = self.session(session) if session is not None else None
        if own is not None:
            day = own.day if own.day is not None else day
            start = own.start if own.start is not None else start
            duration = own.duration if own.duration is not None else duration
            zone = own.timezone if own.timezone is not None else zone
        # Overrides for every session first, so a session's own override wins.
        changes = [o for o in self.overrides if o.month == month and o.session is None]
        if session is not None:
            changes += [o for o in self.overrides if o.month == month and o.session == session]
        for change in changes:
            if change.date is not None:
                date = change.date
            if change.day is not None:
                day, date = change.day, None
            start = change.start if change.start is not None else start
            duration = change.duration if change.duration is not None else duration
            cancelled = cancelled or change.cancelled
        return Slot(
            day=day,
            date=date,
            days=self.days,
            start=start,
            duration=duration,
            timezone=zone,
            holidays=self.holidays,
            cancelled=cancelled,
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
        "timezone": (check_zone, "an IANA time zone"),
        "holidays": (HolidayPolicy, one_of(policy.value for policy in HolidayPolicy)),
    }
    good: dict[str, Any] = {}
    for key, value in table.data.items():
        if key not in TIMING_KEYS:
            continue
        if key in checks:
            parse, expected = checks[key]
            if table.parsed(key, parse, expected) is not None:
                good[key] = value
        elif key == "day":
            if _day(table, key, required=False) is not None:
                good[key] = value
        elif key == "days":
            days = table.integer(key)
            if days is not None and 1 <= days <= MAX_DAYS:
                good[key] = value
            elif days is not None:
                table.problem(key, expected=f"a whole number from 1 to {MAX_DAYS}", found=str(days))
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
    # Values inherited from defaults are reported at the activity's key path:
    # that is where a person sees the effect, and the defaults table is named.
    view = Table(fields, table.path, table.report)
    day = _day(view, "day", required=True)
    days = view.integer("days", required=False)
    if days is not None and not 1 <= days <= MAX_DAYS:
        view.problem(
            "days", expected=f"a whole number of days from 1 to {MAX_DAYS}", found=str(days)
        )
    start = view.parsed("start", parse_time, "a time as 'HH:MM' (24-hour)", required=False)
    duration = _read_duration(view, "duration")
    zone = view.parsed("timezone", check_zone, "an IANA time zone", required=False)
    policy = _policy(view)
    if (start is None) != (duration is None) and view.has("start") != view.has("duration"):
        missing = "duration" if start is not None else "start"
        view.problem(
            missing,
            expected="a start time and a duration together (all-day without both)",
            found="nothing (the key is missing)",
        )
    sessions = _sessions(table)
    overrides = _overrides(table, window, months)
    if len(table.report.problems) > broken or day is None:
        return None
    try:
        return Timing(
            day=day,
            days=days or 1,
            start=start,
            duration=duration,
            timezone=zone,
            holidays=policy,
            sessions=sessions,
            overrides=overrides,
        )
    except ValueError as error:
        table.report.add(table.path, expected="a consistent timing", found=str(error))
        return None


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


def _policy(view: Table) -> HolidayPolicy:
    raw = view.value("holidays", str, "a holiday policy", required=False)
    if raw is None:
        return HolidayPolicy.FLAG
    choices = [policy.value for policy in HolidayPolicy]
    if raw not in choices:
        view.problem(
            "holidays",
            expected=one_of(choices),
            found=describe(raw),
            hint=did_you_mean(raw, choices),
        )
        return HolidayPolicy.FLAG
    return HolidayPolicy(raw)


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
        zone = slot.parsed("timezone", check_zone, "an IANA time zone", required=False)
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
    "MAX_DAYS",
    "MAX_DURATION",
    "OVERRIDE_KEYS",
    "SESSION_KEYS",
    "TIMING_KEYS",
    "DayOfMonth",
    "DayRule",
    "HolidayPolicy",
    "NthWeekday",
    "Override",
    "Session",
    "Slot",
    "Timing",
    "check_zone",
    "format_duration",
    "format_time",
    "merge_defaults",
    "parse_day",
    "parse_duration",
    "parse_time",
    "parse_weekday",
    "read_defaults",
    "read_timing",
    "weekday_name",
]
