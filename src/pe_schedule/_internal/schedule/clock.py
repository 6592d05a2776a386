"""Wall-clock times in a zone: which exist, which repeat, and the moments they name.

A timed occurrence starts at its declared wall-clock time in its own zone and
lasts its duration in elapsed time. The times stay put across DST changes: a
time that does not exist moves forward and an ambiguous one takes its first
occurrence, as RFC 5545 reads local times (both are reported by the sanity
check). The standard library's ``fold`` (PEP 495) answers every one of these
questions exactly; the tests hold the answers against pendulum's, an
independent implementation, for random times in every zone.
"""

from __future__ import annotations

import datetime as dt
import enum

from pe_schedule._internal.model.zones import Zone


class WallClock(enum.Enum):
    """How a wall-clock time exists in a zone on a day with a DST change."""

    #: Skipped when clocks go forward: there is no such moment.
    NONEXISTENT = "nonexistent"
    #: Repeated when clocks go back: two moments share it.
    AMBIGUOUS = "ambiguous"


def wall_clock(local: dt.datetime, zone: Zone) -> WallClock | None:
    """Whether naive ``local`` is skipped or repeated in ``zone``; ``None`` when it is plain.

    >>> wall_clock(dt.datetime(2023, 3, 12, 2, 30), Zone("America/New_York"))
    <WallClock.NONEXISTENT: 'nonexistent'>
    >>> wall_clock(dt.datetime(2023, 11, 5, 1, 30), Zone("America/New_York"))
    <WallClock.AMBIGUOUS: 'ambiguous'>
    >>> wall_clock(dt.datetime(2023, 3, 12, 13, 0), Zone("America/New_York")) is None
    True
    """
    first = _minute(local).replace(tzinfo=zone.tzinfo)
    if first.utcoffset() == first.replace(fold=1).utcoffset():
        return None
    # Both folds name a moment that reads back as ``local`` only when it repeats.
    if first.astimezone(dt.UTC).astimezone(zone.tzinfo).replace(tzinfo=None) != first.replace(
        tzinfo=None
    ):
        return WallClock.NONEXISTENT
    return WallClock.AMBIGUOUS


def instant(local: dt.datetime, zone: Zone) -> dt.datetime:
    """The aware moment of wall-clock ``local`` in ``zone``.

    As RFC 5545 reads local times: a time in a DST gap takes the offset before
    the gap (so 02:30 becomes 03:30 when clocks go forward), and an ambiguous
    time its first occurrence.

    >>> instant(dt.datetime(2023, 3, 12, 2, 30), Zone("America/New_York")).isoformat()
    '2023-03-12T03:30:00-04:00'
    """
    # fold=0 is the earlier offset on both kinds of change (PEP 495): the one before a gap
    # and the first of two repeated hours; reading it back through UTC gives the wall
    # clock that moment really shows.
    moment = _minute(local).replace(tzinfo=zone.tzinfo, fold=0)
    return moment.astimezone(dt.UTC).astimezone(zone.tzinfo)


def later(start: dt.datetime, duration: dt.timedelta, zone: Zone) -> dt.datetime:
    """``duration`` of elapsed time after ``start``, on the wall clock of ``zone``.

    >>> start = instant(dt.datetime(2023, 3, 12, 1, 0), Zone("America/New_York"))
    >>> later(start, dt.timedelta(hours=2), Zone("America/New_York")).isoformat()
    '2023-03-12T04:00:00-04:00'
    """
    elapsed = dt.timedelta(seconds=int(duration.total_seconds()))
    return (start.astimezone(dt.UTC) + elapsed).astimezone(zone.tzinfo)


def _minute(local: dt.datetime) -> dt.datetime:
    # Sessions are declared to the minute; a naive datetime of exactly that.
    return dt.datetime(local.year, local.month, local.day, local.hour, local.minute)


__all__ = ["WallClock", "instant", "later", "wall_clock"]
