"""The direct feed writer: the same bytes as icalendar, read back as the events given."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

import attrs
import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pe_schedule import Event, Timed
from pe_schedule._internal.publish.components import calendar, calendar_header, event_component
from pe_schedule._internal.publish.ical import (
    CalendarInfo,
    EventCache,
    Organizer,
    category_items,
    clean_text,
    event_bytes,
    feed_bytes,
    header_bytes,
    uri,
)
from tests.strategies import event_sets, event_texts, events, fold_texts

# URLs with what percent-encoding has to deal with: spaces, quotes, non-ASCII, separators.
_URLS = st.one_of(
    st.none(),
    st.builds(
        lambda tail: "https://pe.example/" + tail,
        st.text(st.characters(exclude_categories=["Cs"]) | st.sampled_from(' "%^é€𝄞,;')),
    ),
    st.sampled_from(("https://pe.example/a?b=1&c=2,3", "mailto:pe@example.org")),
)


# Names icalendar's parameter reader gives back as written (it strips tabs and
# trips over some control characters, which is the reader, not the bytes).
_READABLE_NAMES = st.text(alphabet=st.sampled_from("^\" \u2019',;:aé€𝄞"))


@st.composite
def organizers(draw: st.DrawFn, *, readable: bool = False) -> Organizer | None:
    """No organiser, or one whose name needs RFC 6868 escaping and quoting."""
    if draw(st.booleans()):
        return None
    name = draw(_READABLE_NAMES if readable else st.one_of(event_texts(), _READABLE_NAMES))
    address = draw(st.sampled_from(("https://www.ihi.org/", "mailto:pe@ihi.org", "urn:x y")))
    return Organizer(name=name, address=address)


def infos() -> st.SearchStrategy[CalendarInfo]:
    return st.builds(
        CalendarInfo,
        title=event_texts() | fold_texts(),
        description=event_texts(),
        refresh=st.builds(dt.timedelta, seconds=st.integers(1, 9 * 86400)),
    )


@st.composite
def feeds(draw: st.DrawFn) -> tuple[Event, ...]:
    """Events with odd texts and URLs, timed in several zones or all-day."""
    chosen = draw(event_sets(text=True))
    return tuple(attrs.evolve(event, url=draw(_URLS), join=draw(_URLS)) for event in chosen)


def _old_path(chosen: Sequence[Event], info: CalendarInfo, organizer: Organizer | None) -> bytes:
    """The feed as icalendar writes it, from icalendar components."""
    data: bytes = calendar(chosen, info, organizer).to_ical()
    return data


def _fields(vevent: Any) -> dict[str, object]:
    """What a reader sees of one VEVENT, as plain values (icalendar's values are untyped)."""
    organizer = vevent.get("ORGANIZER")
    conference = vevent.get("CONFERENCE")
    return {
        "summary": str(vevent["SUMMARY"]),
        "description": str(vevent.get("DESCRIPTION", "")),
        "location": str(vevent.get("LOCATION", "")),
        "url": str(vevent.get("URL", "")) or None,
        "join": None if conference is None else (str(conference), dict(conference.params)),
        "start": vevent.decoded("DTSTART"),
        "end": vevent.decoded("DTEND"),
        "categories": [str(item) for item in vevent["CATEGORIES"].cats],
        "status": str(vevent["STATUS"]),
        "busy": str(vevent["TRANSP"]) == "OPAQUE",
        "sequence": int(vevent["SEQUENCE"]),
        "revised": vevent.decoded("DTSTAMP"),
        "alarms": [alarm.decoded("TRIGGER") for alarm in vevent.walk("VALARM")],
        "alarm texts": {str(alarm["DESCRIPTION"]) for alarm in vevent.walk("VALARM")},
        "organizer": None if organizer is None else (str(organizer), organizer.params["CN"]),
    }


def _expected(event: Event, organizer: Organizer | None) -> dict[str, object]:
    """What a reader should see of ``event``: its data, as iCalendar can carry it."""
    span = event.span
    start: object = span.start
    end: object = span.end
    if isinstance(span, Timed):
        start, end = span.start.astimezone(dt.UTC), span.end.astimezone(dt.UTC)
    summary = clean_text(event.summary)
    return {
        "summary": summary,
        "description": clean_text(event.description or ""),
        "location": clean_text(event.location or ""),
        "url": uri(event.url) if event.url else None,
        "join": None
        if not event.join
        else (uri(event.join), {"FEATURE": "VIDEO", "LABEL": "Join", "VALUE": "URI"}),
        "start": start,
        "end": end,
        "categories": category_items(event.categories) or [event.activity],
        "status": event.status.value,
        "busy": event.busy,
        "sequence": event.sequence,
        "revised": event.revised.replace(microsecond=0),
        "alarms": [-before for before in event.alarms],
        "alarm texts": {summary} if event.alarms else set(),
        "organizer": None
        if organizer is None
        else (uri(organizer.address), clean_text(organizer.name).replace("\n", " ")),
    }


def _read(data: bytes) -> dict[str, dict[str, object]]:
    read = {}
    for vevent in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        fields = _fields(vevent)
        for key in ("start", "end"):
            value = fields[key]
            if isinstance(value, dt.datetime):  # compare instants, whatever zone they carry
                fields[key] = value.astimezone(dt.UTC)
        read[str(vevent["UID"])] = fields
    return read


class TestSameBytesAsIcalendar:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(chosen=feeds(), info=infos(), organizer=organizers())
    def test_a_feed_is_byte_for_byte_what_icalendar_writes(
        self, chosen: tuple[Event, ...], info: CalendarInfo, organizer: Organizer | None
    ) -> None:
        assert feed_bytes(chosen, info, organizer) == _old_path(chosen, info, organizer)

    @settings(max_examples=150, deadline=None)
    @given(event=events(text=True), url=_URLS, join=_URLS, organizer=organizers())
    def test_an_event_is_byte_for_byte_what_icalendar_writes(
        self, event: Event, url: str | None, join: str | None, organizer: Organizer | None
    ) -> None:
        event = attrs.evolve(event, url=url, join=join)
        assert event_bytes(event, organizer) == event_component(event, organizer).to_ical()

    @settings(max_examples=100, deadline=None)
    @given(info=infos())
    def test_a_header_is_byte_for_byte_what_icalendar_writes(self, info: CalendarInfo) -> None:
        whole = calendar_header(info).to_ical()
        assert header_bytes(info) + b"END:VCALENDAR\r\n" == whole

    @settings(max_examples=60, deadline=None)
    @given(
        event=events(),
        length=st.integers(70, 80),
        tail=st.sampled_from(["", "\\", ",", "é", "x\\"]),
    )
    def test_lines_at_the_folding_length_are_what_icalendar_writes(
        self, event: Event, length: int, tail: str
    ) -> None:
        """SUMMARY lines of 70 to 80 characters, plain ASCII or ending in an escape or a
        multi-byte character, fold (or not) exactly where icalendar folds them."""
        summary = "s" * (length - len("SUMMARY:") - len(tail)) + tail
        event = attrs.evolve(event, summary=summary, description="", location="")
        assert event_bytes(event) == event_component(event, None).to_ical()


class TestReadsBackAsTheEventsGiven:
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(chosen=feeds(), info=infos(), organizer=organizers(readable=True))
    def test_icalendar_reads_exactly_the_events_given(
        self, chosen: tuple[Event, ...], info: CalendarInfo, organizer: Organizer | None
    ) -> None:
        read = _read(EventCache(organizer).feed_bytes(chosen, info))
        assert read == {event.uid: _expected(event, organizer) for event in chosen}


def test_building_feeds_does_not_import_icalendar(tmp_path: object) -> None:
    """A build writes its feeds without loading icalendar at all."""
    script = (
        "import sys\n"
        "from pe_schedule.cli import main\n"
        f"main(['build', 'calendars/pursuing-equity-2023-2024.toml', '--out', {str(tmp_path)!r}])\n"
        "assert 'icalendar' not in sys.modules, 'icalendar was imported'\n"
        "print(len(list(__import__('pathlib').Path(sys.argv[1]).glob('*.ics'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 0  # it did write feeds
