"""Events as iCalendar: escaping, folding, properties, and what real readers make of it."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from ical.calendar_stream import IcsCalendarStream

from pe_schedule import AllDay, AudienceKind, Event, OutputError, Span, Status, Target, Timed, Zone
from pe_schedule._internal.publish.components import calendar, event_component
from pe_schedule._internal.publish.ical import (
    PRODID,
    CalendarInfo,
    EventCache,
    Organizer,
    clean_text,
    escape_text,
    feed_bytes,
    fold,
)
from tests.ical_readers import READERS, expected
from tests.strategies import event_sets, event_texts, events

REVISED = dt.datetime(2023, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
NEW_YORK = ZoneInfo("America/New_York")
EASTERN = Zone("America/New_York")
INFO = CalendarInfo(title="Pursuing Equity: Learning Network", description="Every session.")


def make_event(
    start: dt.datetime | dt.date = dt.datetime(2023, 3, 14, 13, 0, tzinfo=NEW_YORK),
    end: dt.datetime | dt.date = dt.datetime(2023, 3, 14, 15, 0, tzinfo=NEW_YORK),
    timezone: Zone | None = EASTERN,
    **changes: object,
) -> Event:
    """A plain timed event, with ``changes`` applied; dates make it all-day."""
    span: Span
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and timezone is not None:
        span = Timed(start=start, end=end, zone=timezone)
    else:
        assert not isinstance(start, dt.datetime)
        assert not isinstance(end, dt.datetime)
        span = AllDay(start=start, end=end)
    fields: dict[str, object] = {
        "uid": "all-team-2023-03@pe.example",
        "programme": "pe",
        "cohort": "ln",
        "activity": "all-team",
        "target": Target(kind=AudienceKind.COHORT, key="ln"),
        "month": None,
        "summary": "All-Team Virtual Meeting",
        "span": span,
        "location": "Zoom",
        "revised": REVISED,
    }
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def unfolded(data: bytes) -> list[str]:
    """The content lines of ``data``, unfolded (RFC 5545, section 3.1)."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def lines_of(data: bytes) -> dict[str, str]:
    """Property name (with parameters) to raw value, for single-occurrence properties."""
    result = {}
    for line in unfolded(data):
        name, _, value = line.partition(":")
        result[name] = value
    return result


class TestTextValues:
    """Text reaches every reader exactly as written, and cannot escape its property."""

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(text=event_texts())
    def test_any_text_round_trips_through_three_readers(self, text: str) -> None:
        """Summary, description, location and a category read back as the cleaned text."""
        event = make_event(summary=text, description=text, location=text or "x", categories=(text,))
        data = feed_bytes([event], INFO)
        want = clean_text(text)

        vevent = icalendar.Calendar.from_ical(data).events[0]
        assert str(vevent["SUMMARY"]) == want
        assert str(vevent.get("DESCRIPTION", "")) == want
        assert str(vevent["LOCATION"]) == clean_text(text or "x")

        v = vobject.readOne(data.decode("utf-8")).vevent
        assert v.summary.value == want
        assert (v.description.value if "description" in v.contents else "") == want
        assert v.location.value == clean_text(text or "x")

        a = IcsCalendarStream.calendar_from_ics(data.decode("utf-8")).events[0]
        assert (a.summary or "") == want
        assert (a.description or "") == want
        assert a.location == clean_text(text or "x")
        categories = [part for part in want.split(",") if part] or ["all-team"]
        assert vevent.categories == categories
        assert [str(c) for c in v.categories.value] == categories
        assert a.categories == categories

    @settings(max_examples=60, deadline=None)
    @given(text=event_texts())
    def test_text_cannot_add_a_property_or_component(self, text: str) -> None:
        """Whatever the text, the event has the same properties and one VEVENT."""
        plain = feed_bytes([make_event(summary="x", description="y")], INFO)
        tricky = feed_bytes([make_event(summary=text + "x", description=text + "y")], INFO)

        def names(data: bytes) -> list[str]:
            return [re.split("[;:]", line, maxsplit=1)[0] for line in unfolded(data)]

        assert names(tricky) == names(plain)
        cal = icalendar.Calendar.from_ical(tricky)
        assert [c.name for c in cal.walk()] == [
            c.name for c in icalendar.Calendar.from_ical(plain).walk()
        ]

    def test_text_without_control_characters_is_kept_exactly(self) -> None:
        """Cleaning changes nothing in ordinary text, line breaks and tabs included."""
        text = "Zoom; room 3, floor 2 \\ north\nBring notes\té€𝄞"
        assert clean_text(text) == text

    def test_carriage_returns_become_line_feeds_and_controls_go(self) -> None:
        """CRLF and lone CR become LF; control characters iCalendar cannot carry are dropped."""
        assert clean_text("a\r\nb\rc\x00d\x1be\x7ff") == "a\nb\ncdef"

    def test_backslash_n_is_a_backslash_and_an_n(self) -> None:
        """A literal backslash-N stays literal (icalendar's own escaper makes it a line break)."""
        assert escape_text("C:\\New") == "C:\\\\New"
        vevent = icalendar.Calendar.from_ical(
            feed_bytes([make_event(summary="C:\\New \\N")], INFO)
        ).walk("VEVENT")[0]
        assert str(vevent["SUMMARY"]) == "C:\\New \\N"

    @settings(max_examples=40, deadline=None)
    @given(text=event_texts(min_size=1))
    def test_lines_fold_at_75_octets_on_character_boundaries(self, text: str) -> None:
        """Every physical line is at most 75 octets and valid UTF-8 on its own."""
        data = feed_bytes([make_event(description=text * 3)], INFO)
        for line in data.split(b"\r\n"):
            assert len(line) <= 75
            line.decode("utf-8")  # raises if a fold split a character


class TestEventProperties:
    """Each VEVENT carries what a subscriber's client needs, from the data alone."""

    def test_timed_event_has_local_times_with_tzid(self) -> None:
        """A timed event is written in its zone's wall-clock time with a TZID."""
        props = lines_of(event_component(make_event()).to_ical())
        assert props["DTSTART;TZID=America/New_York"] == "20230314T130000"
        assert props["DTEND;TZID=America/New_York"] == "20230314T150000"

    def test_start_in_another_zone_is_written_in_the_event_zone(self) -> None:
        """An aware start in UTC is converted to the event's own zone's wall time."""
        start = dt.datetime(2023, 7, 1, 16, 0, tzinfo=dt.UTC)
        event = make_event(start=start, end=start + dt.timedelta(hours=1))
        props = lines_of(event_component(event).to_ical())
        assert props["DTSTART;TZID=America/New_York"] == "20230701T120000"

    def test_all_day_event_has_dates_with_an_exclusive_end(self) -> None:
        """An all-day, multi-day event is VALUE=DATE with the day after as its end."""
        event = make_event(start=dt.date(2023, 3, 7), end=dt.date(2023, 3, 10), timezone=None)
        props = lines_of(event_component(event).to_ical())
        assert props["DTSTART;VALUE=DATE"] == "20230307"
        assert props["DTEND;VALUE=DATE"] == "20230310"

    def test_stamps_come_from_the_revision_not_the_clock(self) -> None:
        """DTSTAMP and LAST-MODIFIED are the event's revision time, in UTC."""
        props = lines_of(event_component(make_event()).to_ical())
        assert props["DTSTAMP"] == "20230102T030405Z"
        assert props["LAST-MODIFIED"] == "20230102T030405Z"

    def test_every_required_property_is_present(self) -> None:
        """UID, SUMMARY, LOCATION, URL, CATEGORIES, STATUS, TRANSP and SEQUENCE are written."""
        event = make_event(
            url="https://pe.example/session?id=1",
            categories=("All-Team Virtual Meetings",),
            status=Status.TENTATIVE,
            busy=False,
            sequence=3,
            description="Agenda, then breakouts",
        )
        props = lines_of(event_component(event).to_ical())
        assert props["UID"] == "all-team-2023-03@pe.example"
        assert props["SUMMARY"] == "All-Team Virtual Meeting"
        assert props["DESCRIPTION"] == "Agenda\\, then breakouts"
        assert props["LOCATION"] == "Zoom"
        assert props["URL"] == "https://pe.example/session?id=1"
        assert props["CATEGORIES"] == "All-Team Virtual Meetings"
        assert props["STATUS"] == "TENTATIVE"
        assert props["TRANSP"] == "TRANSPARENT"
        assert props["SEQUENCE"] == "3"

    def test_categories_default_to_the_activity(self) -> None:
        """Without declared categories, the activity id is the category."""
        assert lines_of(event_component(make_event()).to_ical())["CATEGORIES"] == "all-team"

    def test_a_url_cannot_break_its_line(self) -> None:
        """Spaces and line breaks in a URL are percent-encoded."""
        event = make_event(url="https://pe.example/a b\r\nX-EVIL:1")
        props = lines_of(event_component(event).to_ical())
        assert props["URL"] == "https://pe.example/a%20b%0D%0AX-EVIL:1"
        assert "X-EVIL" not in props

    def test_each_alarm_is_a_display_valarm_before_the_start(self) -> None:
        """Alarms become VALARMs with a negative TRIGGER and the summary as text."""
        event = make_event(alarms=(dt.timedelta(minutes=15), dt.timedelta(days=1)))
        vevent = event_component(event)
        alarms = vevent.walk("VALARM")
        assert [a["TRIGGER"].to_ical() for a in alarms] == [b"-PT15M", b"-P1D"]
        assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}
        assert {str(a["DESCRIPTION"]) for a in alarms} == {"All-Team Virtual Meeting"}

    def test_mixed_date_and_datetime_is_refused(self) -> None:
        """A span with a date start and a datetime end is an error, not a guess."""
        moment = dt.datetime(2023, 3, 14, 15, tzinfo=NEW_YORK)
        with pytest.raises(ValueError, match="dates, not datetimes"):
            AllDay(start=dt.date(2023, 3, 14), end=moment)
        with pytest.raises(ValueError, match="expected a datetime"):
            Timed(start=dt.date(2023, 3, 14), end=moment, zone=Zone("America/New_York"))  # type: ignore[arg-type]

    def test_no_attendees_and_only_the_organising_body(self) -> None:
        """No attendee list; ORGANIZER (which METHOD:PUBLISH needs) is the organisation given."""
        assert b"ORGANIZER" not in feed_bytes([make_event()], INFO)
        organizer = Organizer(name="Institute, Boston", address="https://www.ihi.org/a b")
        data = feed_bytes([make_event()], INFO, organizer)
        assert b"ATTENDEE" not in data
        props = lines_of(data)
        assert props['ORGANIZER;CN="Institute, Boston"'] == "https://www.ihi.org/a%20b"


class TestCalendar:
    """A feed's VCALENDAR describes itself and holds compact VTIMEZONEs."""

    def test_calendar_properties(self) -> None:
        """PRODID, VERSION, CALSCALE, METHOD, names, descriptions and refresh hints are set."""
        props = lines_of(feed_bytes([make_event()], INFO))
        assert props["PRODID"] == PRODID
        assert props["VERSION"] == "2.0"
        assert props["CALSCALE"] == "GREGORIAN"
        assert props["METHOD"] == "PUBLISH"
        assert props["NAME"] == props["X-WR-CALNAME"] == "Pursuing Equity: Learning Network"
        assert props["DESCRIPTION"] == props["X-WR-CALDESC"] == "Every session."
        assert props["REFRESH-INTERVAL;VALUE=DURATION"] == "PT12H"
        assert props["X-PUBLISHED-TTL"] == "PT12H"

    def test_one_vtimezone_per_zone_used(self) -> None:
        """Each TZID used gets exactly one VTIMEZONE; all-day events need none."""
        london = ZoneInfo("Europe/London")
        events = [
            make_event(),
            make_event(
                uid="b@pe.example",
                start=dt.datetime(2024, 1, 9, 9, tzinfo=NEW_YORK),
                end=dt.datetime(2024, 1, 9, 10, tzinfo=NEW_YORK),
            ),
            make_event(
                uid="c@pe.example",
                timezone=Zone("Europe/London"),
                start=dt.datetime(2023, 5, 1, 9, tzinfo=london),
                end=dt.datetime(2023, 5, 1, 10, tzinfo=london),
            ),
            make_event(
                uid="d@pe.example",
                start=dt.date(2023, 1, 1),
                end=dt.date(2023, 1, 2),
                timezone=None,
            ),
        ]
        cal = icalendar.Calendar.from_ical(feed_bytes(events, INFO))
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [
            "America/New_York",
            "Europe/London",
        ]

    def test_a_feed_without_timed_events_has_no_vtimezone(self) -> None:
        """Only all-day events: no VTIMEZONE at all."""
        event = make_event(start=dt.date(2023, 1, 1), end=dt.date(2023, 1, 2), timezone=None)
        assert b"VTIMEZONE" not in feed_bytes([event], INFO)

    def test_events_are_ordered_by_start_then_uid(self) -> None:
        """Whatever order events come in, the feed lists them by start, then uid."""
        later = make_event(
            uid="a@pe.example",
            start=dt.datetime(2023, 5, 1, 9, tzinfo=NEW_YORK),
            end=dt.datetime(2023, 5, 1, 10, tzinfo=NEW_YORK),
        )
        first, second = make_event(uid="z@pe.example"), make_event(uid="b@pe.example")
        cal = icalendar.Calendar.from_ical(feed_bytes([later, first, second], INFO))
        assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [
            "b@pe.example",
            "z@pe.example",
            "a@pe.example",
        ]

    @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(events=event_sets(text=True))
    def test_cached_assembly_equals_icalendar_serialising_the_whole_calendar(
        self, events: tuple[Event, ...]
    ) -> None:
        """Assembling from cached event bytes gives exactly icalendar's own output."""
        assert feed_bytes(events, INFO) == calendar(events, INFO).to_ical()

    def test_a_shared_cache_serialises_each_event_once(self) -> None:
        """Two feeds sharing an event store it once in the cache."""
        cache = EventCache()
        shared = make_event()
        cache.feed_bytes([shared], INFO)
        cache.feed_bytes([shared, make_event(uid="other@pe.example")], INFO)
        assert len(cache) == 2

    def test_two_different_events_with_one_uid_are_refused(self) -> None:
        """A uid names one event; clients would merge two, so it is an error."""
        with pytest.raises(OutputError, match="one event per uid"):
            feed_bytes([make_event(), make_event(summary="Something else")], INFO)


class TestReaders:
    """Independent readers all read the feed's events as the library has them."""

    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(events=event_sets(max_size=6))
    @pytest.mark.parametrize("reader", sorted(READERS))
    def test_reader_reads_exactly_the_events(self, reader: str, events: tuple[Event, ...]) -> None:
        """Each reader sees every event with the same uid, start, end and summary."""
        assert READERS[reader](feed_bytes(events, INFO)) == expected(events)

    @settings(max_examples=20, deadline=None)
    @given(event=events())
    def test_a_feed_of_one_event_has_one_vevent(self, event: Event) -> None:
        """One occurrence is one VEVENT, with no RRULE series."""
        data = feed_bytes([event], INFO)
        cal = icalendar.Calendar.from_ical(data)
        assert len(cal.walk("VEVENT")) == 1
        assert "RRULE" not in cal.walk("VEVENT")[0]


class TestFolding:
    """Our fast folding is icalendar's folding, byte for byte."""

    @settings(max_examples=200, deadline=None)
    @given(line=event_texts())
    def test_fold_matches_icalendar(self, line: str) -> None:
        """For any unfolded line, fold() gives icalendar's Contentline bytes."""
        line = "DESCRIPTION:" + escape_text(clean_text(line))
        reference = icalendar.parser.Contentline(line)  # type: ignore[no-untyped-call]
        assert fold(line) == reference.to_ical()  # type: ignore[no-untyped-call]


def unescape_text(escaped: str) -> str:
    """Read an escaped TEXT value back (RFC 5545, section 3.3.11), independently of the writer."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], escaped)


class TestTextEscaping:
    """TEXT values escape backslash, semicolon, comma and line break, and nothing else."""

    def test_a_semicolon_is_escaped(self) -> None:
        """``;`` becomes ``\\;`` (and ``,`` becomes ``\\,``)."""
        assert escape_text("a;b") == "a\\;b"
        assert escape_text("a;b,c") == "a\\;b\\,c"

    def test_a_summary_with_a_semicolon_is_written_escaped(self) -> None:
        """A VEVENT's SUMMARY and LOCATION carry ``\\;`` for each semicolon they hold."""
        data = feed_bytes([make_event(summary="Plan; review", location="Room 3; floor 2")], INFO)
        assert b"\r\nSUMMARY:Plan\\; review\r\n" in data
        assert b"\r\nLOCATION:Room 3\\; floor 2\r\n" in data

    @settings(max_examples=100, deadline=None)
    @given(text=event_texts())
    def test_escaped_text_has_no_bare_separator_and_reads_back(self, text: str) -> None:
        """Escaped, any cleaned text has no unescaped ``;``, ``,`` or line break, and reads back."""
        cleaned = clean_text(text)
        escaped = escape_text(cleaned)
        index = 0
        while index < len(escaped):
            char = escaped[index]
            if char == "\\":
                assert escaped[index + 1 : index + 2] in ("\\", ";", ",", "n"), escaped
                index += 2
                continue
            assert char not in ";,\n\r", escaped
            index += 1
        assert unescape_text(escaped) == cleaned
