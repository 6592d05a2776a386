"""When someone can meet: working hours, working days and days away.

Every team and every staff member has an :class:`Availability` on their own
wall clock. The working-hours check and the scheduler both ask it the same
question of a timed session: does it fit, on its actual date, in this
person's zone? A slot that fits in January may not fit in July, when one zone
keeps daylight saving time and another does not.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from pe_schedule._internal.model.zones import Zone

_HOURS = re.compile(r"([01]\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]\d|2[0-4]):([0-5]\d)")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Monday to Friday, the working week unless a roster says otherwise.
WEEKDAYS = frozenset(range(5))


@attrs.frozen(kw_only=True)
class WorkingHours:
    """A working day's hours on the local wall clock, written ``"09:00-17:00"``.

    >>> hours = WorkingHours.parse("09:00-17:00")
    >>> str(hours), hours.minutes, hours.middle
    ('09:00-17:00', 480, 780)
    """

    #: Minutes after local midnight that the day starts and ends (end up to 24:00).
    start: int = attrs.field(validator=attrs.validators.in_(range(24 * 60)))
    end: int = attrs.field(validator=attrs.validators.in_(range(1, 24 * 60 + 1)))

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"working hours end after they start, got {self}")

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """Read ``"09:00-17:00"`` (24-hour clock; ``24:00`` ends at midnight).

        Raises:
            ValueError: if ``text`` is not of that form or ends before it starts.
        """
        match = _HOURS.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"expected working hours such as '09:00-17:00', got {text!r}")
        start = int(match[1]) * 60 + int(match[2])
        end = int(match[3]) * 60 + int(match[4])
        if end > 24 * 60 or end <= start:
            raise ValueError(f"expected working hours that end after they start, got {text!r}")
        return cls(start=start, end=end)

    def __str__(self) -> str:
        return f"{clock(self.start)}-{clock(self.end)}"

    @property
    def minutes(self) -> int:
        """How long the working day is, in minutes."""
        return self.end - self.start

    @property
    def middle(self) -> int:
        """The middle of the working day, in minutes after local midnight."""
        return (self.start + self.end) // 2


#: The working day unless a roster says otherwise.
NINE_TO_FIVE = WorkingHours(start=9 * 60, end=17 * 60)


def clock(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM`` (``24:00`` is the midnight that ends a day).

    >>> clock(9 * 60 + 5), clock(24 * 60)
    ('09:05', '24:00')
    """
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def weekday_names(days: frozenset[int]) -> str:
    """Weekday numbers as words, Monday first: ``"Monday, Tuesday"``."""
    return ", ".join(_WEEKDAYS[day] for day in sorted(days))


@attrs.frozen(kw_only=True)
class Availability:
    """When one team or staff member can meet, on their own wall clock.

    >>> ny = Zone("America/New_York")
    >>> who = Availability(zone=ny, hours=NINE_TO_FIVE)
    >>> start = dt.datetime(2023, 7, 11, 16, 30, tzinfo=ny.tzinfo)
    >>> print(who.conflict(start, start + dt.timedelta(hours=1)))
    ends 17:30 local, after working hours 09:00-17:00
    >>> who.conflict(start - dt.timedelta(hours=2), start) is None
    True
    """

    zone: Zone
    hours: WorkingHours = NINE_TO_FIVE
    #: Weekday numbers (Monday is 0) the person works on.
    days: frozenset[int] = WEEKDAYS
    #: Dates the person is away, on their own calendar.
    away: frozenset[dt.date] = frozenset()

    def local(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` on this person's wall clock."""
        return moment.astimezone(self.zone.tzinfo)

    def conflict(self, start: dt.datetime, end: dt.datetime) -> str | None:
        """Why a session from ``start`` to ``end`` (aware) does not fit, or ``None``.

        A session fits when it starts and ends on one working day, inside the
        working hours, on a day the person is not away.
        """
        first, last = self.local(start), self.local(end)
        day = first.date()
        if day in self.away:
            return f"falls on {day}, a day away"
        if day.weekday() not in self.days:
            return f"falls on a {_WEEKDAYS[day.weekday()]}, not a working day"
        begin = first.hour * 60 + first.minute
        finish = (last.date() - day).days * 24 * 60 + last.hour * 60 + last.minute
        if begin < self.hours.start:
            return f"starts {clock(begin)} local, before working hours {self.hours}"
        if finish > self.hours.end:
            return f"ends {clock(finish % (24 * 60))} local, after working hours {self.hours}"
        return None

    def offset_from_middle(self, start: dt.datetime, end: dt.datetime) -> int:
        """How many minutes the session's middle lies from the middle of the working day."""
        first = self.local(start)
        middle = first.hour * 60 + first.minute + int((end - start).total_seconds()) // 120
        return abs(middle - self.hours.middle)


__all__ = ["NINE_TO_FIVE", "WEEKDAYS", "Availability", "WorkingHours", "clock", "weekday_names"]
