"""Events as iCalendar: one VEVENT per occurrence, calendars assembled from cached bytes.

Every component is built with :mod:`icalendar`. A personal feed shares almost
all of its events with hundreds of others, so :class:`EventCache` serialises
each distinct event once and :func:`feed_bytes` assembles a calendar from the
cached bytes; the result is byte for byte what ``calendar(...).to_ical()``
gives for the same events.

Text goes through :func:`clean_text` and our own TEXT escaping: icalendar's
escaper turns a literal backslash-N into a line break, and iCalendar has no way
to carry a carriage return or other control characters.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence

import attrs
import icalendar
from icalendar.prop import vCategory, vText

from pe_schedule._internal.model.event import Event, Span, Timed
from pe_schedule._internal.model.zones import Zone
from pe_schedule._internal.publish.vtimezone import vtimezone, vtimezone_bytes
from pe_schedule.exceptions import OutputError

#: Identifies the writer, not its version, so upgrading does not change every feed.
PRODID = "-//pe_schedule//pe-schedule//EN"
#: How often clients that honour it should re-fetch a feed.
DEFAULT_REFRESH = dt.timedelta(hours=12)

_END = b"END:VCALENDAR\r\n"
# icalendar folds a line once it would reach 75 octets (74 plus the CRLF-space).
_FOLD_AT = 75
# RFC 5545 TEXT cannot hold control characters other than HTAB (line breaks
# are escaped); allenporter's ical rejects a calendar containing any of them.
# Lone surrogates (text decoded with "surrogateescape") are not characters at all.
# U+FEFF is a byte-order mark, not text: icalendar drops it at the start of a value
# and keeps it elsewhere, so it is dropped everywhere for the text to read back alike.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufeff]")
# Characters a URI may carry as they are; anything else is percent-encoded, so
# a URL can never break a content line.
_URI_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def clean_text(text: str) -> str:
    r"""The text as an iCalendar TEXT value can carry it.

    Line breaks (CRLF, CR, LF) become LF and other control characters, which
    iCalendar cannot represent, are dropped, as are byte-order marks.
    Everything else is kept exactly.

    >>> clean_text("one\r\ntwo\rthree\x00\tfour")
    'one\ntwo\nthree\tfour'
    """
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def fold(line: str) -> bytes:
    r"""One content line as UTF-8, folded at 75 octets on character boundaries.

    The same bytes icalendar 7 writes (it folds before the 75th octet and
    never right after a backslash, so no reader sees an escape split in two),
    computed on the encoded bytes rather than character by character.

    >>> [len(part) for part in fold("DESCRIPTION:" + "é" * 40).split(b"\r\n")]
    [74, 19]
    """
    data = line.encode("utf-8")
    if len(data) < _FOLD_AT:
        return data
    chunks: list[bytes] = []
    start, size = 0, len(data)
    while size - start >= _FOLD_AT:
        end = start + _FOLD_AT - 1
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character
            end -= 1
        if data[end - 1] in b"\\^" and end - start > 1:
            end -= 1
        chunks.append(data[start:end])
        start = end
    chunks.append(data[start:])
    return b"\r\n ".join(chunks)


def serialise(component: icalendar.cal.component.Component) -> bytes:
    """``component.to_ical()``, byte for byte, folding with :func:`fold`.

    icalendar builds every content line; only the folding, which is a third of
    icalendar's serialising time, is done here.
    """
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


def category_items(categories: Iterable[str]) -> list[str]:
    """The CATEGORIES items written for ``categories``.

    A comma inside a category separates categories: allenporter's ical (and
    most calendar programs) split the value at every comma, escaped or not, so
    an escaped comma would not read back the same everywhere. Empty items,
    which some readers drop, are left out.

    >>> category_items(["Coaching, group", "", "REI"])
    ['Coaching', ' group', 'REI']
    """
    return [part for item in categories for part in clean_text(item).split(",") if part]


def escape_text(text: str) -> str:
    r"""Escape cleaned text for a TEXT value (RFC 5545, section 3.3.11).

    Unlike icalendar 7's escaper, a literal ``\N`` stays a backslash and an N.

    >>> print(escape_text("a, b; c\\N\nd"))
    a\, b\; c\\N\nd
    """
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


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


def _uri(url: str) -> str:
    return urllib.parse.quote(url, safe=_URI_SAFE)


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


@attrs.frozen(kw_only=True)
class Organizer:
    """Who publishes the events: an organisation, never a person of the roster.

    RFC 5546 requires exactly one ORGANIZER in a VEVENT published with
    METHOD:PUBLISH, and libical (Evolution, KDE) rejects the calendar without it.

    >>> Organizer(name="IHI", address="https://www.ihi.org/").address
    'https://www.ihi.org/'
    """

    name: str
    #: A URI: a mailto: address or the programme's web page.
    address: str


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
            icalendar.vCalAddress(_uri(organizer.address)),
            parameters={"CN": clean_text(organizer.name).replace("\n", " ")},
        )
    for before in event.alarms:
        vevent.add_component(_alarm(before, event.summary))
    return vevent


def _add_texts(vevent: icalendar.Event, event: Event) -> None:
    """SUMMARY, DESCRIPTION, LOCATION, URL and CATEGORIES, each escaped for its kind."""
    vevent.add("summary", _Text(event.summary))
    if event.description:
        vevent.add("description", _Text(event.description))
    if event.location:
        vevent.add("location", _Text(event.location))
    if event.url:
        vevent.add("url", _uri(event.url))
    categories = category_items(event.categories)
    vevent.add("categories", _Categories(categories or [event.activity]))


def _alarm(before: dt.timedelta, summary: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -before)
    alarm.add("description", _Text(summary))
    return alarm


@attrs.frozen(kw_only=True)
class CalendarInfo:
    """What a feed says about itself in its VCALENDAR properties.

    >>> CalendarInfo(title="Pursuing Equity", description="Every session").refresh
    datetime.timedelta(seconds=43200)
    """

    title: str
    description: str = ""
    #: How often a client should re-fetch (REFRESH-INTERVAL and X-PUBLISHED-TTL).
    refresh: dt.timedelta = DEFAULT_REFRESH


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


def _years(event: Event) -> tuple[str, int, int] | None:
    """The zone of a timed event and the years its wall-clock times fall in."""
    span = event.span
    if not isinstance(span, Timed):
        return None
    return span.zone.name, span.local_start.year, span.local_end.year


def _zone_years(spans: Iterable[tuple[str, int, int] | None]) -> dict[str, tuple[int, int]]:
    years: dict[str, tuple[int, int]] = {}
    for span in spans:
        if span is None:
            continue
        name, first, last = span
        low, high = years.get(name, (first, last))
        years[name] = (min(low, first), max(high, last))
    return years


def zone_years(events: Iterable[Event]) -> dict[str, tuple[int, int]]:
    """For each zone timed events use, the first and last year they fall in.

    Feeds written together should share these: vobject (and so Radicale)
    keeps the first VTIMEZONE it meets for a TZID for the rest of the process,
    so every feed of a build carries the same VTIMEZONE for a zone.
    """
    return _zone_years(_years(event) for event in events)


def calendar(
    events: Iterable[Event], info: CalendarInfo, organizer: Organizer | None = None
) -> icalendar.Calendar:
    """A whole feed as an :class:`icalendar.Calendar`.

    Events are sorted by start and uid; each TZID used gets one compact
    VTIMEZONE covering the years of the events in that zone.
    """
    ordered = sorted(events, key=lambda event: event.sort_key)
    cal = calendar_header(info)
    for name, (first, last) in sorted(_zone_years(_years(e) for e in ordered).items()):
        cal.add_component(vtimezone(name, first, last))
    for event in ordered:
        cal.add_component(event_component(event, organizer))
    return cal


@attrs.define
class _Entry:
    event: Event
    data: bytes
    sort_key: tuple[str, str]
    span: tuple[str, int, int] | None


class EventCache:
    """Serialises each distinct event once, however many feeds it appears in.

    Events are told apart by uid; meeting a different event under a uid
    already seen is an error, because calendar clients would merge the two.
    """

    def __init__(self, organizer: Organizer | None = None) -> None:
        self._organizer = organizer
        self._entries: dict[str, _Entry] = {}
        self._headers: dict[CalendarInfo, bytes] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def _entry(self, event: Event) -> _Entry:
        entry = self._entries.get(event.uid)
        if entry is None:
            entry = _Entry(
                event=event,
                data=serialise(event_component(event, self._organizer)),
                sort_key=event.sort_key,
                span=_years(event),
            )
            self._entries[event.uid] = entry
        elif entry.event is not event and entry.event != event:
            raise OutputError(
                f"event uid {event.uid!r}: expected one event per uid, "
                f"got two different events ({entry.event.summary!r} and {event.summary!r})"
            )
        return entry

    def event_bytes(self, event: Event) -> bytes:
        """The VEVENT of ``event``, serialised."""
        return self._entry(event).data

    def header_bytes(self, info: CalendarInfo) -> bytes:
        """The VCALENDAR's opening lines and properties for ``info``."""
        data = self._headers.get(info)
        if data is None:
            whole = serialise(calendar_header(info))
            assert whole.endswith(_END)
            data = self._headers[info] = whole[: -len(_END)]
        return data

    def feed_bytes(
        self,
        events: Iterable[Event],
        info: CalendarInfo,
        zone_years: Mapping[str, tuple[int, int]] | None = None,
    ) -> bytes:
        """A whole feed, the same bytes as ``calendar(events, info).to_ical()``.

        Args:
            events: The feed's events, in any order.
            info: The feed's calendar properties.
            zone_years: The years each zone's VTIMEZONE covers, when it should
                not be the years of these events alone (see :func:`zone_years`).
        """
        entries = sorted((self._entry(e) for e in events), key=lambda entry: entry.sort_key)
        parts = [self.header_bytes(info)]
        zones = _zone_years(entry.span for entry in entries)
        if zone_years is not None:
            zones = {name: zone_years[name] for name in zones}
        parts.extend(vtimezone_bytes(name, *zones[name]) for name in sorted(zones))
        parts.extend(entry.data for entry in entries)
        parts.append(_END)
        return b"".join(parts)


def feed_bytes(
    events: Iterable[Event], info: CalendarInfo, organizer: Organizer | None = None
) -> bytes:
    """The bytes of a feed holding ``events``; use one :class:`EventCache` when writing many."""
    return EventCache(organizer).feed_bytes(events, info)


__all__ = [
    "DEFAULT_REFRESH",
    "PRODID",
    "CalendarInfo",
    "EventCache",
    "Organizer",
    "calendar",
    "calendar_header",
    "category_items",
    "clean_text",
    "escape_text",
    "event_component",
    "feed_bytes",
    "fold",
    "serialise",
    "zone_years",
]
