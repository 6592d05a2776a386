"""When in its month an activity happens: the day, the clock time and the zone.

A grid says *which months*; a :class:`Timing` says *when in each month*. It
holds a day rule (an nth weekday such as "third Wednesday" or an explicit day
of the month), how many consecutive days one occurrence spans, an optional
start time and duration (without them the occurrence is all-day), an IANA time
zone, a holiday policy, per-session slots for activities that fan out into
parallel sessions, and per-month overrides (moved, retimed, cancelled).

Durations are written ``"2h"``, ``"90m"`` or ``"1h30m"``; clock times
``"13:00"`` (24-hour). Timings are plain values: turning them into dated,
zone-aware events is the schedule layer's job.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import TypeAlias

import attrs
from dateutil import rrule

from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.zones import Zone

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
_REMINDER = re.compile(r"(?:(\d{1,2})d)?(?:(\d{1,3})h)?(?:(\d{1,5})m)?")
#: The longest a reminder may fire before its event.
MAX_REMINDER = dt.timedelta(weeks=4)


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


def parse_reminder(text: str) -> dt.timedelta:
    """How long before an event a reminder fires: a duration as :func:`parse_duration`
    reads it, with days too (``"1d"``, ``"2d12h"``), from ``"0m"`` (at the start) to 4 weeks.

    >>> parse_reminder("15m"), parse_reminder("1d")
    (datetime.timedelta(seconds=900), datetime.timedelta(days=1))

    Raises:
        ValueError: if ``text`` is not of that form or exceeds 4 weeks.
    """
    match = _REMINDER.fullmatch(text.strip())
    if match is None or not (match[1] or match[2] or match[3]):
        raise ValueError(f"expected a reminder such as '15m', '2h' or '1d', got {text!r}")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    before = dt.timedelta(days=days, hours=hours, minutes=minutes)
    if before > MAX_REMINDER:
        raise ValueError(f"a reminder fires at most 4 weeks before its event, got {text!r}")
    return before


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
    """What to do when an occurrence falls on a holiday of the programme's calendar
    (US federal holidays unless it names another) or on a declared blackout date."""

    #: Report it as a calendar-sanity problem (the default).
    FLAG = "flag"
    #: Keep it; the programme meets on that holiday on purpose.
    ACCEPT = "accept"
    #: Move it to the next date the day rule allows (a week later for an nth
    #: weekday, the next working day for a day of the month) inside the month;
    #: reported as a problem only when no such date exists.
    SHIFT = "shift"
    #: Drop that occurrence: for weekly meetings only (a month's session has no
    #: week to lose, so an activity's timing cannot say it).
    SKIP = "skip"


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
    timezone: Zone | None = None
    #: The staff ids of whoever leads the session (a coach), from a solved schedule.
    leaders: tuple[str, ...] = ()
    #: The link to join this session online (its own video call), replacing the activity's.
    join: str | None = None


@attrs.frozen(kw_only=True)
class Choices:
    """The slots a scheduler may pick from, for a timing left open.

    Every session of the activity gets one day and one start time out of these,
    the same in every month.

    >>> choices = Choices(days=(NthWeekday.parse("second Tuesday"),),
    ...                   starts=(parse_time("12:00"), parse_time("12:30")))
    >>> [str(day) + " " + format_time(start) for day, start in choices.slots()]
    ['second Tuesday 12:00', 'second Tuesday 12:30']
    """

    days: tuple[DayRule, ...] = attrs.field(validator=attrs.validators.min_len(1))
    starts: tuple[dt.time, ...] = attrs.field(validator=attrs.validators.min_len(1))

    def slots(self) -> tuple[tuple[DayRule, dt.time], ...]:
        """Every (day, start) pair, days first, in declared order."""
        return tuple((day, start) for day in self.days for start in self.starts)


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
    timezone: Zone | None
    holidays: HolidayPolicy
    cancelled: bool
    #: The staff ids of whoever leads the session (from its :class:`Session`).
    leaders: tuple[str, ...] = ()
    #: The session's own link to join online (from its :class:`Session`), if any.
    join: str | None = None

    @property
    def all_day(self) -> bool:
        """Whether the occurrence spans whole days rather than clock times."""
        return self.start is None


@attrs.frozen(kw_only=True)
class Timing:
    """When in each of its months an activity happens.

    >>> timing = Timing(day=NthWeekday.parse("third Wednesday"), start=parse_time("13:00"),
    ...                 duration=parse_duration("2h"), timezone=Zone("America/New_York"))
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
    timezone: Zone | None = None
    holidays: HolidayPolicy = HolidayPolicy.FLAG
    sessions: tuple[Session, ...] = ()
    overrides: tuple[Override, ...] = ()
    #: The slots a scheduler picks from; ``day`` and ``start`` are then the first.
    choices: Choices | None = None
    #: Staff ids of whoever leads an occurrence that is not split into parallel
    #: sessions (a session's own ``leaders`` take its place for that session).
    leaders: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.choices is not None and (self.start is None or self.duration is None):
            raise ValueError(
                "a timing with choices needs a duration: only timed sessions are placed"
            )
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
        leaders = self.leaders
        join = None
        own = self.session(session) if session is not None else None
        if own is not None:
            leaders, join = own.leaders, own.join
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
            leaders=leaders,
            join=join,
        )


__all__ = [
    "MAX_DAYS",
    "MAX_DURATION",
    "MAX_REMINDER",
    "Choices",
    "DayOfMonth",
    "DayRule",
    "HolidayPolicy",
    "NthWeekday",
    "Override",
    "Session",
    "Slot",
    "Timing",
    "format_duration",
    "format_time",
    "parse_day",
    "parse_duration",
    "parse_reminder",
    "parse_time",
    "parse_weekday",
    "weekday_name",
]
