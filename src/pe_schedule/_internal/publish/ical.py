"""Events as iCalendar bytes, written directly: one VEVENT per occurrence.

A feed is built straight from precomputed constant lines, integer date
formatting, RFC 5545 escaping and folding of only the lines that need it:
icalendar costs about twenty times as much per event and its import alone is
a noticeable part of a build. The bytes are exactly what icalendar writes for
the same content (``components.calendar(...).to_ical()``, which is what the
public API returns as a Calendar); the tests check that for random events.

A personal feed shares almost all of its events with hundreds of others, so
:class:`EventCache` writes each distinct event once and :func:`feed_bytes`
assembles a calendar from the cached bytes.

Text goes through :func:`clean_text` and our own TEXT escaping: icalendar's
escaper turns a literal backslash-N into a line break, and iCalendar has no way
to carry a carriage return or other control characters.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence

import attrs

from pe_schedule._internal.model.event import Event, Timed
from pe_schedule._internal.publish.vtimezone import vtimezone_bytes
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
#: The parameters of a CONFERENCE line (RFC 7986), as icalendar orders them (by name).
CONFERENCE_PARAMETERS = {"FEATURE": "VIDEO", "LABEL": "Join", "VALUE": "URI"}
_CONFERENCE = "CONFERENCE;" + ";".join(f"{k}={v}" for k, v in CONFERENCE_PARAMETERS.items())
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
    return _fold_encoded(line.encode("utf-8"))


def _fold_encoded(data: bytes) -> bytes:
    """:func:`fold` of a line already encoded as UTF-8."""
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


def uri(url: str) -> str:
    """``url`` percent-encoded where needed, so a URL can never break a content line."""
    return urllib.parse.quote(url, safe=_URI_SAFE)


def duration(span: dt.timedelta) -> str:
    """A DURATION value, written the way icalendar writes it.

    >>> duration(dt.timedelta(hours=12)), duration(-dt.timedelta(days=2, minutes=3))
    ('PT12H', '-P2DT3M')
    >>> duration(dt.timedelta(0))
    'P0D'
    """
    sign = ""
    if span.days < 0:
        sign, span = "-", -span
    clock = ""
    if span.seconds:
        hours, minutes, seconds = span.seconds // 3600, span.seconds % 3600 // 60, span.seconds % 60
        clock = "T" + (f"{hours}H" if hours else "")
        clock += f"{minutes}M" if minutes or (hours and seconds) else ""
        clock += f"{seconds}S" if seconds else ""
    if span.days == 0 and clock:
        return f"{sign}P{clock}"
    return f"{sign}P{span.days}D{clock}"


def _date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _time(moment: dt.datetime) -> str:
    """A DATE-TIME's digits (seconds precision, as icalendar writes it)."""
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


# Characters that make icalendar put a parameter value in double quotes (after
# RFC 6868 escaping); for CN also a space or an apostrophe in the value as given.
_QUOTABLE = re.compile("[,;:\u2019]")
_CN_QUOTABLE = re.compile("[ ']")
_RFC_6868 = re.compile('\\^|\r\n|\r|\n|"')
_RFC_6868_CODES = {"^": "^^", "\n": "^n", "\r": "^n", "\r\n": "^n", '"': "^'"}


def _param(value: str, also: re.Pattern[str] | None = None) -> str:
    """A parameter value with RFC 6868 escaping, quoted when it has to be."""
    quote = also is not None and also.search(value) is not None
    value = _RFC_6868.sub(lambda match: _RFC_6868_CODES[match.group(0)], value)
    return f'"{value}"' if quote or _QUOTABLE.search(value) else value


def _text(text: str) -> str:
    return escape_text(clean_text(text))


# Summaries, descriptions, locations and categories repeat across a programme's events
# (one summary for every team's session); each is cleaned and escaped once. A bounded
# cache: the text of a hostile declaration cannot grow it without end.
_shared_text = functools.lru_cache(maxsize=4096)(_text)


def _span_lines(event: Event) -> list[str]:
    """DTSTART and DTEND: local times with their TZID, or dates for an all-day event."""
    span = event.span
    if not isinstance(span, Timed):
        return [f"DTSTART;VALUE=DATE:{_date(span.start)}", f"DTEND;VALUE=DATE:{_date(span.end)}"]
    tz = span.zone.tzinfo
    start, end = _time(span.start.astimezone(tz)), _time(span.end.astimezone(tz))
    if span.zone.name == "UTC":  # icalendar drops TZID=UTC and writes UTC times instead
        return [f"DTSTART:{start}Z", f"DTEND:{end}Z"]
    zone = _zone_param(span.zone.name)
    return [f"DTSTART;TZID={zone}:{start}", f"DTEND;TZID={zone}:{end}"]


@functools.lru_cache(maxsize=1024)
def _zone_param(name: str) -> str:
    return _param(name)


@functools.lru_cache(maxsize=64)
def _organizer_line(organizer: Organizer) -> str:
    name = _param(clean_text(organizer.name).replace("\n", " "), _CN_QUOTABLE)
    return f"ORGANIZER;CN={name}:{uri(organizer.address)}"


def event_lines(event: Event, organizer: Organizer | None = None) -> list[str]:
    """The content lines of one occurrence's VEVENT, unfolded, in icalendar's order.

    icalendar writes SUMMARY, DTSTART, DTEND, DTSTAMP, UID and SEQUENCE first
    and every other property in alphabetical order, then the alarms. DTSTAMP
    and LAST-MODIFIED are the event's revision time, never the clock, so the
    same data always gives the same bytes.
    """
    revised = _time(event.revised) + "Z"
    categories = category_items(event.categories) or [event.activity]
    summary = _shared_text(event.summary)
    lines = ["BEGIN:VEVENT", f"SUMMARY:{summary}", *_span_lines(event)]
    lines += [f"DTSTAMP:{revised}", f"UID:{_text(event.uid)}", f"SEQUENCE:{event.sequence}"]
    lines.append("CATEGORIES:" + ",".join(_shared_text(item) for item in categories))
    if event.join:
        lines.append(f"{_CONFERENCE}:{uri(event.join)}")
    if event.description:
        lines.append(f"DESCRIPTION:{_shared_text(event.description)}")
    lines.append(f"LAST-MODIFIED:{revised}")
    if event.location:
        lines.append(f"LOCATION:{_shared_text(event.location)}")
    if organizer is not None:
        lines.append(_organizer_line(organizer))
    lines.append(f"STATUS:{event.status.value}")
    lines.append("TRANSP:OPAQUE" if event.busy else "TRANSP:TRANSPARENT")
    if event.url:
        lines.append(f"URL:{uri(event.url)}")
    alarm = f"DESCRIPTION:{summary}"
    for before in event.alarms:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", alarm, f"TRIGGER:{duration(-before)}"]
        lines.append("END:VALARM")
    lines.append("END:VEVENT")
    return lines


def _lines_bytes(lines: Sequence[str]) -> bytes:
    text = "\r\n".join(lines) + "\r\n"
    # Many events are ASCII with no line long enough to fold: one encode, no per-line work.
    if text.isascii() and max(map(len, lines), default=0) < _FOLD_AT:
        return text.encode("ascii")
    parts = [_fold_encoded(line.encode("utf-8")) for line in lines]
    parts.append(b"")
    return b"\r\n".join(parts)


def event_bytes(event: Event, organizer: Organizer | None = None) -> bytes:
    """One occurrence as the bytes of a VEVENT (see :func:`event_lines`).

    >>> from pe_schedule import AllDay, AudienceKind, Target
    >>> data = event_bytes(Event(
    ...     uid="kick-off-2023-01@pe.example", programme="pe", cohort=None,
    ...     activity="kick-off", target=Target(kind=AudienceKind.PROGRAMME, key="pe"),
    ...     month=None, summary="Kick-off; all teams",
    ...     span=AllDay(start=dt.date(2023, 1, 9), end=dt.date(2023, 1, 10)),
    ...     revised=dt.datetime(2022, 12, 1, tzinfo=dt.UTC)))
    >>> print(data.decode().replace("\\r\\n", "\\n").strip())
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
    return _lines_bytes(event_lines(event, organizer))


def header_bytes(info: CalendarInfo) -> bytes:
    """The VCALENDAR's opening lines and properties for ``info``, up to its components."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}"]
    lines += ["CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if info.description:
        description = _text(info.description)
        lines += [f"DESCRIPTION:{description}", f"X-WR-CALDESC:{description}"]
    title = _text(info.title)
    lines += [f"NAME:{title}", f"X-WR-CALNAME:{title}"]
    refresh = duration(info.refresh)
    lines += [f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}", f"X-PUBLISHED-TTL:{refresh}"]
    return _lines_bytes(lines)


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


@attrs.define
class _Entry:
    event: Event
    data: bytes
    sort_key: tuple[str, str]
    span: tuple[str, int, int] | None


_SORT_KEY = operator.attrgetter("sort_key")


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
                data=event_bytes(event, self._organizer),
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
            data = self._headers[info] = header_bytes(info)
        return data

    def feed_bytes(
        self,
        events: Iterable[Event],
        info: CalendarInfo,
        zone_years: Mapping[str, tuple[int, int]] | None = None,
    ) -> bytes:
        """A whole feed, the same bytes as icalendar writes for ``components.calendar``.

        Args:
            events: The feed's events, in any order.
            info: The feed's calendar properties.
            zone_years: The years each zone's VTIMEZONE covers, when it should
                not be the years of these events alone (see :func:`zone_years`).
        """
        # The hot path of a build: once per event of every feed, so the look-up is inline.
        known = self._entries
        entries = []
        for event in events:
            entry = known.get(event.uid)
            if entry is None or (entry.event is not event and entry.event != event):
                entry = self._entry(event)  # a new event, or an error for a clashing one
            entries.append(entry)
        entries.sort(key=_SORT_KEY)
        parts = [self.header_bytes(info)]
        if zone_years is None:
            zones = _zone_years(entry.span for entry in entries)
        else:
            names = {entry.span[0] for entry in entries if entry.span is not None}
            zones = {name: zone_years[name] for name in names}
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
    "CONFERENCE_PARAMETERS",
    "DEFAULT_REFRESH",
    "PRODID",
    "CalendarInfo",
    "EventCache",
    "Organizer",
    "category_items",
    "clean_text",
    "duration",
    "escape_text",
    "event_bytes",
    "event_lines",
    "feed_bytes",
    "fold",
    "header_bytes",
    "uri",
    "zone_years",
]
