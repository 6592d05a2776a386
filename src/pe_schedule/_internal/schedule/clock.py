"""Wall-clock times in a zone: which exist, which repeat, and the moments they name.

A timed occurrence starts at its declared wall-clock time in its own zone and
lasts its duration in elapsed time. pendulum resolves the times, so they stay
put across DST changes: a time that does not exist moves forward and an
ambiguous one takes its first occurrence, as RFC 5545 reads local times (both
are reported by the sanity check).
"""

from __future__ import annotations

import datetime as dt
import enum

import pendulum

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
    >>> wall_clock(dt.datetime(2023, 3, 12, 13, 0), Zone("America/New_York")) is None
    True
    """
    fields = (local.year, local.month, local.day, local.hour, local.minute)
    try:
        pendulum.datetime(*fields, tz=zone.tzinfo, raise_on_unknown_times=True)
    except pendulum.tz.exceptions.NonExistingTime:
        return WallClock.NONEXISTENT
    except pendulum.tz.exceptions.AmbiguousTime:
        return WallClock.AMBIGUOUS
    return None


def instant(local: dt.datetime, zone: Zone) -> dt.datetime:
    """The aware moment of wall-clock ``local`` in ``zone``.

    As RFC 5545 reads local times: a time in a DST gap takes the offset before
    the gap (so 02:30 becomes 03:30 when clocks go forward), and an ambiguous
    time its first occurrence.
    """
    fold = 1 if wall_clock(local, zone) is WallClock.NONEXISTENT else 0
    fields = (local.year, local.month, local.day, local.hour, local.minute)
    moment = pendulum.datetime(*fields, tz=zone.tzinfo, fold=fold)
    return _plain(moment, zone)


def later(start: dt.datetime, duration: dt.timedelta, zone: Zone) -> dt.datetime:
    """``duration`` of elapsed time after ``start``, on the wall clock of ``zone``."""
    moment = pendulum.instance(start).add(seconds=int(duration.total_seconds()))
    return _plain(moment.in_timezone(zone.tzinfo), zone)


def _plain(moment: pendulum.DateTime, zone: Zone) -> dt.datetime:
    # A plain datetime: pendulum's DateTime does its own arithmetic (subtracting a
    # timedelta from one drops its zone), which must not leak into the events
    # users compute with.
    return dt.datetime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        tzinfo=zone.tzinfo,
        fold=moment.fold,
    )


__all__ = ["WallClock", "instant", "later", "wall_clock"]
