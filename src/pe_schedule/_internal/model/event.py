"""Dated events: what the grid becomes once each cell has a day, a time and a room."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TypeAlias

import attrs

from pe_schedule._internal.model.audience import Target
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.zones import Zone


class Status(enum.Enum):
    """The iCalendar STATUS of an event."""

    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


def _aware(_instance: object, attribute: attrs.Attribute[dt.datetime], value: dt.datetime) -> None:
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{attribute.name}: expected a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{attribute.name}: expected an aware datetime, got {value.isoformat()}")


@attrs.frozen(kw_only=True)
class Timed:
    """When a timed event happens: aware start and end, written on ``zone``'s wall clock.

    >>> from pe_schedule._internal.model.zones import Zone
    >>> ny = Zone("America/New_York")
    >>> span = Timed(start=dt.datetime(2023, 3, 22, 13, tzinfo=ny.tzinfo),
    ...              end=dt.datetime(2023, 3, 22, 15, tzinfo=ny.tzinfo), zone=ny)
    >>> span.days, span.utc_start
    ((datetime.date(2023, 3, 22),), '2023-03-22T17:00:00')
    """

    start: dt.datetime = attrs.field(validator=_aware)
    end: dt.datetime = attrs.field(validator=_aware)
    zone: Zone

    @property
    def local_start(self) -> dt.datetime:
        """The start on the zone's wall clock."""
        return self.start.astimezone(self.zone.tzinfo)

    @property
    def local_end(self) -> dt.datetime:
        """The end on the zone's wall clock."""
        return self.end.astimezone(self.zone.tzinfo)

    @property
    def utc_start(self) -> str:
        """The start in UTC, as sortable text."""
        return self.start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")

    @property
    def days(self) -> tuple[dt.date, ...]:
        """Every day the event touches, on its own wall clock."""
        first = self.local_start.date()
        last = max(first, (self.local_end - dt.timedelta(microseconds=1)).date())
        return tuple(first + dt.timedelta(days=n) for n in range((last - first).days + 1))


@attrs.frozen(kw_only=True)
class AllDay:
    """When an all-day event happens: whole days, ``end`` exclusive as in iCalendar.

    >>> AllDay(start=dt.date(2023, 3, 1), end=dt.date(2023, 3, 4)).days[-1]
    datetime.date(2023, 3, 3)
    """

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        if isinstance(self.start, dt.datetime) or isinstance(self.end, dt.datetime):
            raise ValueError("an all-day span holds dates, not datetimes")
        if self.end <= self.start:
            raise ValueError(f"an all-day span ends after it starts, got {self.start}-{self.end}")

    @property
    def utc_start(self) -> str:
        """Midnight of the first day, as sortable text (all-day events sort as UTC)."""
        return self.start.strftime("%Y-%m-%dT00:00:00")

    @property
    def days(self) -> tuple[dt.date, ...]:
        """Every day of the span."""
        return tuple(self.start + dt.timedelta(days=n) for n in range((self.end - self.start).days))


#: When an event happens: clock times in a zone, or whole days.
Span: TypeAlias = Timed | AllDay


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError(f"expected an aware datetime, got naive {value.isoformat()}")
    return value.astimezone(dt.UTC)


@attrs.frozen(kw_only=True)
class Event:
    """One occurrence of one activity for one audience."""

    #: Stable and globally unique; derived from what the event is, never its date.
    uid: str
    programme: str
    #: ``None`` for programme-wide events such as the application timeline.
    cohort: str | None
    #: The activity (or one-off event) id the event belongs to.
    activity: str
    target: Target
    #: The grid month the event stands for, ``None`` for events off the grid.
    month: YearMonth | None
    summary: str
    span: Span
    location: str = ""
    description: str = ""
    url: str | None = None
    #: The link to join the event online (RFC 7986 CONFERENCE), ``None`` when it has none.
    join: str | None = None
    categories: tuple[str, ...] = ()
    in_person: bool = False
    status: Status = Status.CONFIRMED
    #: Whether the event blocks time (``TRANSP:OPAQUE``); deadlines do not.
    busy: bool = True
    #: Reminders, as how long before the start they fire.
    alarms: tuple[dt.timedelta, ...] = ()
    sequence: int = 0
    #: The staff ids of whoever leads the session: each sees it in their own feed.
    leaders: tuple[str, ...] = ()
    #: When the event's data was last revised (UTC); DTSTAMP comes from here, not the clock.
    revised: dt.datetime = attrs.field(converter=_utc)

    @property
    def all_day(self) -> bool:
        """Whether the event spans whole days rather than clock times."""
        return isinstance(self.span, AllDay)

    @property
    def live(self) -> bool:
        """Whether a subscriber sees the event as on: anything but a cancellation."""
        return self.status is not Status.CANCELLED

    @property
    def sort_key(self) -> tuple[str, str]:
        """A total, deterministic order: by start (UTC; all-day at midnight UTC), then uid."""
        return (self.span.utc_start, self.uid)


__all__ = ["AllDay", "Event", "Span", "Status", "Timed"]
