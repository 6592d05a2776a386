"""Events and feeds as :mod:`icalendar` objects, for callers who want a Calendar.

Feeds are written by :mod:`pe_schedule._internal.publish.ical`, which builds
their bytes directly; this module builds the same content as icalendar
components (``feed_calendar`` returns one), and ``calendar(...).to_ical()``
gives exactly the bytes the direct writer gives. Only code that asks for a
Calendar object imports it, so a build never loads icalendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import icalendar
from icalendar.prop import vCategory, vText

from pe_schedule._internal.model.event import Event, Span, Timed
from pe_schedule._internal.model.zones import Zone
from pe_schedule._internal.publish.ical import (
    CONFERENCE_PARAMETERS,
    PRODID,
    CalendarInfo,
    Organizer,
    category_items,
    clean_text,
    escape_text,
    fold,
    uri,
    zone_years,
)
from pe_schedule._internal.publish.vtimezone import vtimezone


def serialise(component: icalendar.cal.component.Component) -> bytes:
    """``component.to_ical()``, byte for byte, folding with :func:`fold`."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


class _Text(vText):
    """An icalendar TEXT value with correct escaping."""

    __slots__ = ()

    def to_ical(self) -> bytes:
        return escape_text(clean_text(str(self))).encode("utf-8")


class _Categories(vCategory):
    """A CATEGORIES value whose items are escaped like :class:`_Text`."""

    def __init__(self, items: Sequence[str]) -> None:
        super().__init__(list(items))
        self.cats = [_Text(item) for item in items]


def _wall_time(moment: dt.datetime, zone: Zone) -> dt.datetime:
    """A timed event's start or end as written: a plain local time (TZID gives the zone)."""
    local = moment.astimezone(zone.tzinfo)
    # A plain datetime, whatever subclass (pendulum's, say) the event came with.
    return dt.datetime(local.year, local.month, local.day, local.hour, local.minute, local.second)


def _add_span(vevent: icalendar.Event, span: Span) -> None:
    """DTSTART and DTEND: local times with their TZID, or dates for an all-day event."""
    if isinstance(span, Timed):
        zone = {"TZID": span.zone.name}
        vevent.add("dtstart", _wall_time(span.start, span.zone), parameters=zone)
        vevent.add("dtend", _wall_time(span.end, span.zone), parameters=zone)
    else:
        vevent.add("dtstart", span.start)
        vevent.add("dtend", span.end)


def event_component(event: Event, organizer: Organizer | None = None) -> icalendar.Event:
    """One occurrence as a VEVENT.

    DTSTAMP and LAST-MODIFIED are the event's revision time, never the clock,
    so the same data always gives the same bytes.

    >>> from pe_schedule import AllDay, AudienceKind, Target
    >>> import datetime as dt
    >>> vevent = event_component(Event(
    ...     uid="kick-off-2023-01@pe.example", programme="pe", cohort=None,
    ...     activity="kick-off", target=Target(kind=AudienceKind.PROGRAMME, key="pe"),
    ...     month=None, summary="Kick-off; all teams",
    ...     span=AllDay(start=dt.date(2023, 1, 9), end=dt.date(2023, 1, 10)),
    ...     revised=dt.datetime(2022, 12, 1, tzinfo=dt.UTC)))
    >>> print(vevent.to_ical().decode().replace("\\r\\n", "\\n").strip())
    BEGIN:VEVENT
    SUMMARY:Kick-off\\; all teams
    DTSTART;VALUE=DATE:20230109
    DTEND;VALUE=DATE:20230110
    DTSTAMP:20221201T000000Z
    UID:kick-off-2023-01@pe.example
    SEQUENCE:0
    CATEGORIES:kick-off
    LAST-MODIFIED:20221201T000000Z
    STATUS:CONFIRMED
    TRANSP:OPAQUE
    END:VEVENT
    """
    vevent = icalendar.Event()
    vevent.add("uid", _Text(event.uid))
    vevent.add("dtstamp", event.revised)
    _add_span(vevent, event.span)
    _add_texts(vevent, event)
    vevent.add("status", event.status.value)
    vevent.add("transp", "OPAQUE" if event.busy else "TRANSPARENT")
    vevent.add("sequence", event.sequence)
    vevent.add("last-modified", event.revised)
    if organizer is not None:
        vevent.add(
            "organizer",
            icalendar.vCalAddress(uri(organizer.address)),
            parameters={"CN": clean_text(organizer.name).replace("\n", " ")},
        )
    for before in event.alarms:
        vevent.add_component(_alarm(before, event.summary))
    return vevent


def _add_texts(vevent: icalendar.Event, event: Event) -> None:
    """SUMMARY, DESCRIPTION, LOCATION, URL, CONFERENCE and CATEGORIES, each escaped for
    its kind."""
    vevent.add("summary", _Text(event.summary))
    if event.description:
        vevent.add("description", _Text(event.description))
    if event.location:
        vevent.add("location", _Text(event.location))
    if event.url:
        vevent.add("url", uri(event.url))
    if event.join:
        link = icalendar.vUri(uri(event.join))
        vevent.add("conference", link, parameters=dict(CONFERENCE_PARAMETERS))
    categories = category_items(event.categories)
    vevent.add("categories", _Categories(categories or [event.activity]))


def _alarm(before: dt.timedelta, summary: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -before)
    alarm.add("description", _Text(summary))
    return alarm


def calendar_header(info: CalendarInfo) -> icalendar.Calendar:
    """A VCALENDAR with the feed's own properties and no components yet."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", _Text(info.title))
    cal.add("x-wr-calname", _Text(info.title))
    if info.description:
        cal.add("description", _Text(info.description))
        cal.add("x-wr-caldesc", _Text(info.description))
    refresh = icalendar.vDuration(info.refresh)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(info.refresh))
    return cal


def calendar(
    events: Iterable[Event], info: CalendarInfo, organizer: Organizer | None = None
) -> icalendar.Calendar:
    """A whole feed as an :class:`icalendar.Calendar`.

    Events are sorted by start and uid; each TZID used gets one compact
    VTIMEZONE covering the years of the events in that zone.
    """
    ordered = sorted(events, key=lambda event: event.sort_key)
    cal = calendar_header(info)
    for name, (first, last) in sorted(zone_years(ordered).items()):
        cal.add_component(vtimezone(name, first, last))
    for event in ordered:
        cal.add_component(event_component(event, organizer))
    return cal


__all__ = ["calendar", "calendar_header", "event_component", "serialise"]
