"""Wall-clock times resolve as RFC 5545 reads them, checked against pendulum.

The library resolves local times with the standard library's ``fold``;
pendulum is an independent implementation of the same questions (which times
are skipped or repeated, what moment a wall-clock time names, what the clock
shows after some elapsed time), so every answer is held against pendulum's
for random times in every zone, DST changes included.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pe_schedule import Zone
from pe_schedule._internal.model.zones import zone_names
from pe_schedule._internal.schedule.clock import WallClock, instant, later, wall_clock

ZONES = sorted(zone_names())


@functools.cache
def _pendulum_zone(name: str) -> pendulum.Timezone:
    # The same tzdata release the library reads, so both sides see the same rules.
    resource = importlib.resources.files("tzdata").joinpath("zoneinfo", *name.split("/"))
    with resource.open("rb") as data:
        return pendulum.Timezone.from_file(data, key=name)


def _fields(local: dt.datetime) -> tuple[int, int, int, int, int]:
    return (local.year, local.month, local.day, local.hour, local.minute)


def _pendulum_kind(local: dt.datetime, name: str) -> WallClock | None:
    try:
        pendulum.datetime(*_fields(local), tz=_pendulum_zone(name), raise_on_unknown_times=True)
    except pendulum.tz.exceptions.NonExistingTime:
        return WallClock.NONEXISTENT
    except pendulum.tz.exceptions.AmbiguousTime:
        return WallClock.AMBIGUOUS
    return None


def _pendulum_instant(local: dt.datetime, name: str) -> pendulum.DateTime:
    # pendulum's fold=1 moves a skipped time forward; fold=0 takes a repeated time's first.
    fold = 1 if _pendulum_kind(local, name) is WallClock.NONEXISTENT else 0
    return pendulum.datetime(*_fields(local), tz=_pendulum_zone(name), fold=fold)


#: Local times to the minute, weighted toward the small hours when clocks change.
local_times = st.builds(
    dt.datetime,
    year=st.integers(1995, 2040),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    hour=st.one_of(st.integers(0, 3), st.integers(0, 23)),
    minute=st.sampled_from([0, 15, 30, 45, 59]) | st.integers(0, 59),
)


@functools.cache
def _changes(name: str, year: int) -> tuple[dt.datetime, ...]:
    """The wall clock just before each of the zone's offset changes in ``year``."""
    tz = _pendulum_zone(name)
    hour = dt.timedelta(hours=1)
    moment = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    found = []
    while moment.year == year:
        before, after = moment.astimezone(tz), (moment + hour).astimezone(tz)
        if before.utcoffset() != after.utcoffset():
            found.append(before.replace(tzinfo=None))
        moment += hour
    return tuple(found)


@st.composite
def _zone_and_time(draw: st.DrawFn) -> tuple[str, dt.datetime]:
    """A zone and a local time, half of them within two hours of one of its clock changes."""
    name = draw(st.sampled_from(ZONES))
    year = draw(st.sampled_from([1996, 2007, 2023, 2024, 2037]))
    changes = _changes(name, year)
    if not changes or draw(st.booleans()):
        return name, draw(local_times)
    near = draw(st.sampled_from(changes)) + dt.timedelta(minutes=draw(st.integers(-120, 120)))
    return name, near.replace(second=0, microsecond=0)


zone_times = _zone_and_time()


@given(zone_times)
def test_skipped_and_repeated_times_are_pendulums(zone_time: tuple[str, dt.datetime]) -> None:
    """A wall-clock time is skipped, repeated or plain exactly when pendulum says so."""
    name, local = zone_time
    assert wall_clock(local, Zone(name)) is _pendulum_kind(local, name)


@given(zone_times)
def test_the_moment_a_time_names_is_pendulums(zone_time: tuple[str, dt.datetime]) -> None:
    """The same instant, and the same wall clock showing it, as pendulum resolves."""
    name, local = zone_time
    ours = instant(local, Zone(name))
    theirs = _pendulum_instant(local, name)
    assert ours.timestamp() == theirs.timestamp()
    assert _fields(ours) == _fields(theirs)
    assert ours.utcoffset() == theirs.utcoffset()


@given(zone_times, st.integers(0, 72 * 60))
def test_elapsed_time_reads_as_pendulums_clock(
    zone_time: tuple[str, dt.datetime], minutes: int
) -> None:
    """An end ``minutes`` after a start shows pendulum's wall clock and offset."""
    name, local = zone_time
    start = instant(local, Zone(name))
    ours = later(start, dt.timedelta(minutes=minutes), Zone(name))
    theirs = _pendulum_instant(local, name).add(minutes=minutes).in_timezone(_pendulum_zone(name))
    assert ours.timestamp() == theirs.timestamp()
    assert (_fields(ours), ours.fold, ours.utcoffset()) == (
        _fields(theirs),
        theirs.fold,
        theirs.utcoffset(),
    )


@pytest.mark.parametrize(
    ("local", "kind", "shown"),
    [
        (dt.datetime(2023, 3, 12, 2, 30), WallClock.NONEXISTENT, "2023-03-12T03:30:00-04:00"),
        (dt.datetime(2023, 11, 5, 1, 30), WallClock.AMBIGUOUS, "2023-11-05T01:30:00-04:00"),
        (dt.datetime(2023, 11, 5, 2, 30), None, "2023-11-05T02:30:00-05:00"),
    ],
)
def test_new_york_changes(local: dt.datetime, kind: WallClock | None, shown: str) -> None:
    """New York's 2023 changes, worked by hand: the gap moves forward, the repeat takes EDT."""
    zone = Zone("America/New_York")
    assert wall_clock(local, zone) is kind
    assert instant(local, zone).isoformat() == shown
    assert type(instant(local, zone)) is dt.datetime
