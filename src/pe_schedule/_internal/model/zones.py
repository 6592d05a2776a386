"""IANA time zones as values, every one read from the pinned ``tzdata`` package.

Python's :class:`zoneinfo.ZoneInfo` prefers the operating system's zone files
and falls back to ``tzdata``. Machines then disagree
whenever a zone's rules change (Alberta's clocks from November 2026 are one
such change), and a feed could pair an event time computed from the system's
rules with a VTIMEZONE written from another release. Reading every zone here,
from one versioned package, gives the same events and the same bytes on every
machine.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import zoneinfo

import attrs

from pe_schedule.exceptions import PeScheduleError

#: Zones that depend on the machine rather than a place; never valid in a declaration.
_HOST_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@functools.cache
def zone_names() -> frozenset[str]:
    """Every zone name the pinned ``tzdata`` release defines."""
    listing = importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in listing.splitlines() if line.strip()) - _HOST_ZONES


@functools.cache
def _load(name: str) -> zoneinfo.ZoneInfo:
    resource = importlib.resources.files("tzdata").joinpath("zoneinfo", *name.split("/"))
    with resource.open("rb") as data:
        return zoneinfo.ZoneInfo.from_file(data, key=name)


def _known(_instance: object, _attribute: attrs.Attribute[str], name: str) -> None:
    if name not in zone_names():
        raise PeScheduleError(
            f"expected an IANA time zone such as 'America/New_York', got {name!r}"
        )


@attrs.frozen(order=True)
class Zone:
    """One IANA time zone, checked against the pinned ``tzdata`` release when made.

    >>> Zone("America/New_York").tzinfo.key
    'America/New_York'
    >>> Zone("Europe/Londn")
    Traceback (most recent call last):
    ...
    pe_schedule.exceptions.PeScheduleError: expected an IANA time zone such as 'America/New_York', got 'Europe/Londn'
    """

    name: str = attrs.field(validator=_known)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        """The zone's rules, as the ``tzinfo`` of the datetimes events carry."""
        return _load(self.name)

    def __str__(self) -> str:
        return self.name


def suggest(name: str) -> str | None:
    """The zone a person most likely meant by ``name``, if one is close.

    >>> suggest("america/new_york"), suggest("New York"), suggest("Europe/Londn")
    ('America/New_York', 'America/New_York', 'Europe/London')
    """
    by_case = {zone.lower(): zone for zone in zone_names()}
    if name.lower() in by_case:
        return by_case[name.lower()]
    # "New York" -> "America/New_York": people write the city, not the region.
    city = name.strip().replace(" ", "_").lower()
    cities = [zone for zone in zone_names() if zone.lower().rsplit("/", 1)[-1] == city]
    if len(cities) == 1:
        return cities[0]
    close = difflib.get_close_matches(name, sorted(zone_names()), n=1, cutoff=0.6)
    return close[0] if close else None


__all__ = ["Zone", "suggest", "zone_names"]
