"""Dated events: what the grid becomes once each cell has a day, a time and a room."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from pe_schedule.months import YearMonth


class TargetKind(enum.Enum):
    """The kind of audience one event is addressed to."""

    PROGRAMME = "programme"
    COHORT = "cohort"
    TEAM = "team"
    COACHING_GROUP = "coaching-group"
    AFFINITY_GROUP = "affinity-group"
    SENIOR_LEADERS = "senior-leaders"


@attrs.frozen(kw_only=True, order=True)
class Target:
    """Exactly who one event is for: a kind of audience and which one.

    >>> str(Target(kind=TargetKind.COACHING_GROUP, key="ln-west-1"))
    'coaching-group:ln-west-1'
    """

    kind: TargetKind = attrs.field(order=lambda kind: kind.value)
    #: The id of the programme, cohort, team or group; for senior leaders, the cohort.
    key: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.key}"


class Status(enum.Enum):
    """The iCalendar STATUS of an event."""

    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError(f"expected an aware datetime, got naive {value.isoformat()}")
    return value.astimezone(dt.UTC)


@attrs.frozen(kw_only=True)
class Event:
    """One occurrence of one activity for one audience.

    Timed events have aware ``start`` and ``end`` datetimes in ``timezone``;
    all-day events have dates, with ``end`` exclusive as in iCalendar.
    """

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
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    #: IANA zone of a timed event's wall-clock times; ``None`` for all-day events.
    timezone: str | None
    location: str = ""
    description: str = ""
    url: str | None = None
    categories: tuple[str, ...] = ()
    in_person: bool = False
    status: Status = Status.CONFIRMED
    #: Whether the event blocks time (``TRANSP:OPAQUE``); deadlines do not.
    busy: bool = True
    #: Reminders, as how long before the start they fire.
    alarms: tuple[dt.timedelta, ...] = ()
    sequence: int = 0
    #: When the event's data was last revised (UTC); DTSTAMP comes from here, not the clock.
    revised: dt.datetime = attrs.field(converter=_utc)

    @property
    def all_day(self) -> bool:
        """Whether the event spans whole days rather than clock times."""
        return not isinstance(self.start, dt.datetime)

    @property
    def sort_key(self) -> tuple[str, str]:
        """A total, deterministic order: by start (UTC; all-day at midnight UTC), then uid."""
        start = self.start
        if isinstance(start, dt.datetime):
            moment = start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        else:
            moment = start.strftime("%Y-%m-%dT00:00:00")
        return (moment, self.uid)


__all__ = ["Event", "Status", "Target", "TargetKind"]
