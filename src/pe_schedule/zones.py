"""IANA time zones, every one read from the pinned ``tzdata`` package.

Python's :class:`zoneinfo.ZoneInfo` prefers the operating system's zone files
and falls back to ``tzdata``; pendulum does the same. Machines then disagree
whenever a zone's rules change (Alberta's clocks from November 2026 are one
such change), and a feed could pair an event time computed from the system's
rules with a VTIMEZONE written from another release. Reading every zone here,
from one versioned package, gives the same events and the same bytes on every
machine.
"""

from __future__ import annotations

import functools
import importlib.resources

import pendulum

from pe_schedule.exceptions import PeScheduleError

#: Zones that depend on the machine rather than a place; never valid in a declaration.
_HOST_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@functools.cache
def zone_names() -> frozenset[str]:
    """Every zone name the pinned ``tzdata`` release defines."""
    listing = importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in listing.splitlines() if line.strip()) - _HOST_ZONES


@functools.cache
def zone(name: str) -> pendulum.Timezone:
    """The IANA zone ``name``, as the pinned ``tzdata`` release defines it.

    The result is a :class:`zoneinfo.ZoneInfo` (pendulum's subclass), so it
    serves as the ``tzinfo`` of plain datetimes and of pendulum's alike.

    >>> zone("America/New_York").key
    'America/New_York'

    Raises:
        PeScheduleError: if the release has no zone of that name.
    """
    if name not in zone_names():
        raise PeScheduleError(
            f"time zone: expected an IANA zone name such as 'America/New_York', got {name!r}"
        )
    resource = importlib.resources.files("tzdata").joinpath("zoneinfo", *name.split("/"))
    with resource.open("rb") as data:
        return pendulum.Timezone.from_file(data, key=name)


__all__ = ["zone", "zone_names"]
