"""The events the subscribe page carries for its "what is on" views.

The page's data is decoded here by hand, from the format the module documents
(differences of positions; minutes or days since the epoch), and held against
the feeds themselves as icalendar reads them: each listed feed's live events,
no more, no fewer, with the same instants, dates and summaries.
tests/test_page_browser.py checks what the browser then shows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path
from typing import Any

import attrs
import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.event import AllDay, Event, Status, Timed
from pe_schedule._internal.model.zones import Zone
from pe_schedule._internal.render.agenda import page_data
from tests.test_feeds import _event, _programme

FOLDER = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

#: One decoded event: (start, end, summary, all day, in person, tentative), with
#: start and end as aware UTC datetimes, or dates for all-day events.
Decoded = tuple[Any, Any, str, bool, bool, bool]


def embedded(page: str) -> dict[str, Any]:
    """The JSON inside the page's ``pe-data`` block."""
    found = re.search(r'<script type="application/json" id="pe-data">(.*?)</script>', page, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def decode(data: dict[str, Any], file: str) -> list[Decoded]:
    """A feed's events from the page's data, in the order the page keeps them."""
    starts = list(itertools.accumulate(gap for gap, *_ in data["events"]))
    found, place = [], 0
    for step in data["feeds"][file]:
        place += step
        _, length, text, flags = data["events"][place]
        first = EPOCH + dt.timedelta(minutes=starts[place])
        last = first + dt.timedelta(minutes=length)
        span: tuple[Any, Any] = (first, last)
        if flags & 1:
            assert first.time() == last.time() == dt.time(0)
            span = (first.date(), last.date())
        summary = data["texts"][text]
        found.append((*span, summary, bool(flags & 1), bool(flags & 2), bool(flags & 4)))
    return found


def from_feed(path: Path) -> list[tuple[Any, Any, str, bool]]:
    """A feed's live events as icalendar reads the file: (start, end, summary, all day)."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    found = []
    for vevent in calendar.walk("VEVENT"):
        if str(vevent.get("STATUS", "CONFIRMED")) == "CANCELLED":
            continue
        start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
        all_day = not isinstance(start, dt.datetime)
        if not all_day:
            start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
        found.append((start, end, str(vevent["SUMMARY"]), all_day))
    return found


class TestReferencePage:
    """The committed page carries exactly each listed feed's live events."""

    data = embedded((FOLDER / "index.html").read_text(encoding="utf-8"))
    listed = json.loads((FOLDER / "feeds.json").read_text(encoding="utf-8"))["feeds"]

    def test_the_programme_zone(self) -> None:
        assert self.data["zone"] == "America/New_York"

    def test_every_listed_feed_and_no_other(self) -> None:
        assert set(self.data["feeds"]) == {feed["file"] for feed in self.listed}

    def test_each_feed_holds_its_live_events(self) -> None:
        for feed in self.listed:
            page = [event[:4] for event in decode(self.data, feed["file"])]
            ics = from_feed(FOLDER / feed["file"])
            assert sorted(page, key=repr) == sorted(ics, key=repr), feed["file"]
            assert len(page) == feed["events"] - self.cancelled(feed["file"])

    @staticmethod
    def cancelled(file: str) -> int:
        text = (FOLDER / file).read_text(encoding="utf-8")
        return text.count("STATUS:CANCELLED")

    def test_in_person_events_are_marked(self) -> None:
        """The Learning Sessions are held in person; the team calls are not."""
        events = decode(self.data, "programme.ics")
        marked = {summary for _, _, summary, _, in_person, _ in events if in_person}
        assert "Learning Sessions" in marked
        assert not [s for s in marked if s.startswith("Weekly team meeting")]

    def test_positions_increase_and_every_event_is_used(self) -> None:
        used = set()
        for steps in self.data["feeds"].values():
            assert all(step > 0 for step in steps[1:])
            place = 0
            for step in steps:
                place += step
                used.add(place)
        assert used == set(range(len(self.data["events"])))


TARGET = Target(kind=AudienceKind.COACHING_GROUP, key="g")
ZONES = ("America/New_York", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "UTC")
#: Days some of ZONES change their clocks (the US in March and November, Europe in
#: March and October), and the days before, for events that run overnight into one.
CLOCK_CHANGES = tuple(
    day - dt.timedelta(days=before)
    for day in (
        dt.date(2023, 3, 12),
        dt.date(2023, 3, 26),
        dt.date(2023, 10, 29),
        dt.date(2023, 11, 5),
    )
    for before in (0, 1)
)


@st.composite
def events(draw: st.DrawFn) -> list[Event]:
    """Up to 12 events: timed in any of several zones or all-day, any status."""
    made = []
    for n in range(draw(st.integers(0, 12))):
        # Any day, often one on which some zone's clocks change.
        day = draw(
            st.sampled_from(CLOCK_CHANGES)
            | st.builds(lambda n: dt.date(2023, 1, 1) + dt.timedelta(days=n), st.integers(0, 700))
        )
        if draw(st.booleans()):
            span: Timed | AllDay = AllDay(
                start=day, end=day + dt.timedelta(days=draw(st.integers(1, 3)))
            )
        else:
            zone = Zone(draw(st.sampled_from(ZONES)))
            start = dt.datetime.combine(
                day,
                dt.time(
                    draw(st.integers(0, 23) | st.sampled_from((0, 1, 22, 23))),
                    draw(st.sampled_from((0, 15, 30))),
                ),
            )
            start = start.replace(tzinfo=zone.tzinfo)
            end = start + dt.timedelta(minutes=draw(st.integers(0, 600)))
            span = Timed(start=start, end=end, zone=zone)
        made.append(
            attrs.evolve(
                _event(f"e{n}", TARGET),
                summary=draw(st.sampled_from(("Call", "</script><b>x</b>", "Café <!-- ", "Call"))),
                span=span,
                in_person=draw(st.booleans()),
                status=draw(st.sampled_from(list(Status))),
            )
        )
    return made


def expected(event: Event) -> Decoded:
    span = event.span
    if isinstance(span, AllDay):
        start: Any = span.start
        end: Any = span.end
    else:
        start, end = span.start.astimezone(dt.UTC), span.end.astimezone(dt.UTC)
    tentative = event.status is Status.TENTATIVE
    return (start, end, event.summary, isinstance(span, AllDay), event.in_person, tentative)


@settings(max_examples=60, deadline=None)
@given(events(), st.data())
def test_any_events_come_back_as_they_were(made: list[Event], data: st.DataObject) -> None:
    """Whatever events and feeds: each feed decodes to its own events, by instant or date,
    in the order of their starts, and nothing in a summary can end the data block."""
    a = [event for event in made if data.draw(st.booleans())]
    held = {"a.ics": a, "b.ics": [event for event in made if event not in a]}
    text = page_data(_programme(), held)
    assert "<" not in text
    page = f'<script type="application/json" id="pe-data">{text}</script>'
    decoded = embedded(page)
    for file, chosen in held.items():
        ordered = sorted(chosen, key=lambda event: event.sort_key)
        assert decode(decoded, file) == [expected(event) for event in ordered]


def timed(uid: str, summary: str, start: dt.datetime, end: dt.datetime) -> Event:
    """An event of ``summary`` from ``start`` to ``end`` in New York."""
    new_york = Zone("America/New_York")
    span = Timed(
        start=start.replace(tzinfo=new_york.tzinfo),
        end=end.replace(tzinfo=new_york.tzinfo),
        zone=new_york,
    )
    return attrs.evolve(_event(uid, TARGET), summary=summary, span=span)


def test_summaries_are_stored_once() -> None:
    """A hundred feeds of the same call carry its summary once and the event once."""
    event = timed(
        "call", "All-team call", dt.datetime(2023, 3, 12, 14), dt.datetime(2023, 3, 12, 15)
    )
    other = attrs.evolve(event, uid="call-2")
    data = json.loads(page_data(_programme(), {f"f{n}.ics": [event, other] for n in range(100)}))
    assert data["texts"] == ["All-team call"]
    assert len(data["events"]) == 2
    # 14:00 in New York on the day its clocks went forward is 18:00 UTC; an hour long.
    start = (dt.datetime(2023, 3, 12, 18, tzinfo=dt.UTC) - EPOCH) // dt.timedelta(minutes=1)
    assert data["events"] == [[start, 60, 0, 0], [0, 60, 0, 0]]


def test_lengths_are_real_minutes_across_a_clock_change() -> None:
    """01:00 to 04:00 in New York on 12 March 2023 is two hours: 02:00 never happened."""
    event = timed("night", "Night", dt.datetime(2023, 3, 12, 1), dt.datetime(2023, 3, 12, 4))
    data = json.loads(page_data(_programme(), {"f.ics": [event]}))
    assert data["events"][0][1] == 120
