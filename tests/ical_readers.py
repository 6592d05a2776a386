"""Independent iCalendar readers, reducing a feed to what a subscriber sees.

Each reader returns the set of (uid, start, end, summary) it reads from a feed,
with timed starts and ends as UTC instants and all-day ones as dates, so the
readers can be compared with each other and with the library's own events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import icalendar
import recurring_ical_events
import vobject
from ical.calendar_stream import IcsCalendarStream

from pe_schedule import Event
from pe_schedule._internal.publish.ical import clean_text

Instance = tuple[str, dt.datetime | dt.date, dt.datetime | dt.date, str]


def _moment(value: object) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, f"floating time {value!r}"
        return value.astimezone(dt.UTC)
    assert isinstance(value, dt.date), value
    return value


def instance(uid: str, start: object, end: object, summary: object) -> Instance:
    """One event instance in the comparable form."""
    return (uid, _moment(start), _moment(end), str(summary or ""))


def expected(events: Iterable[Event]) -> set[Instance]:
    """What every reader should read for ``events``."""
    return {
        instance(event.uid, event.span.start, event.span.end, clean_text(event.summary))
        for event in events
    }


def read_icalendar(data: bytes) -> set[Instance]:
    """Read with icalendar, the library the feeds are written with."""
    cal = icalendar.Calendar.from_ical(data)
    return {instance(e.uid, e.start, e.end, e.summary) for e in cal.events}


def read_vobject(data: bytes) -> set[Instance]:
    """Read with vobject (Radicale), which builds its zones from the VTIMEZONEs.

    vobject keeps the first VTIMEZONE it meets for a TZID for the rest of the
    process; the registry is reset so each feed is read as by a fresh process,
    as it would be by a client reading one subscription.
    """
    registry = vars(vobject.icalendar)["__tzidMap"]
    registry.clear()
    vobject.icalendar.registerTzid("UTC", vobject.icalendar.utc)
    cal = vobject.readOne(data.decode("utf-8"))
    found = set()
    for e in cal.contents.get("vevent", []):
        summary = e.summary.value if hasattr(e, "summary") else ""
        found.add(instance(e.uid.value, e.dtstart.value, e.dtend.value, summary))
    return found


def read_ical(data: bytes) -> set[Instance]:
    """Read with allenporter's ical (Home Assistant)."""
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return {instance(e.uid or "", e.dtstart, e.dtend, e.summary) for e in cal.events}


def read_recurring(data: bytes) -> set[Instance]:
    """Expand with recurring-ical-events over all time, as calendar views do."""
    cal = icalendar.Calendar.from_ical(data)
    return {
        instance(e.uid, e.start, e.end, e.summary)
        for e in recurring_ical_events.of(cal).between((1970, 1, 1), (2100, 1, 1))
    }


READERS: dict[str, Callable[[bytes], set[Instance]]] = {
    "icalendar": read_icalendar,
    "vobject": read_vobject,
    "ical": read_ical,
    "recurring-ical-events": read_recurring,
}


__all__ = ["READERS", "Instance", "expected", "instance"]
