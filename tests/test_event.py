"""When an event happens: a timed span in a zone, or whole days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pe_schedule import AllDay, Event, Timed, Zone
from tests.strategies import EVENT_ZONES, events


class TestAllDay:
    """Whole days, the end exclusive as in iCalendar."""

    @given(
        start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
        length=st.integers(1, 40),
    )
    def test_days_run_from_start_to_the_day_before_end(self, start: dt.date, length: int) -> None:
        """A span of N days lists N consecutive days, the first its start."""
        span = AllDay(start=start, end=start + dt.timedelta(days=length))
        assert len(span.days) == length
        assert span.days[0] == start
        assert span.days[-1] == span.end - dt.timedelta(days=1)

    def test_an_empty_or_reversed_span_is_refused(self) -> None:
        """An all-day span ends after it starts."""
        with pytest.raises(ValueError, match="ends after it starts"):
            AllDay(start=dt.date(2023, 3, 2), end=dt.date(2023, 3, 2))


class TestTimed:
    """Aware times, read on the event zone's wall clock."""

    @given(
        zone=st.sampled_from(EVENT_ZONES),
        start=st.datetimes(min_value=dt.datetime(2022, 1, 1), max_value=dt.datetime(2025, 12, 31)),
        minutes=st.integers(1, 4 * 24 * 60),
    )
    def test_days_are_the_local_days_touched(
        self, zone: str, start: dt.datetime, minutes: int
    ) -> None:
        """The days listed run from the local start date to the local date of the last moment,
        on the zone's wall clock even when the times are given in UTC."""
        place = Zone(zone)
        begin = start.replace(tzinfo=place.tzinfo)
        end = (begin.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(place.tzinfo)
        span = Timed(start=begin.astimezone(dt.UTC), end=end.astimezone(dt.UTC), zone=place)
        last = (end - dt.timedelta(microseconds=1)).date()
        assert span.days[0] == begin.date()
        assert span.days[-1] == last
        assert len(span.days) == (last - begin.date()).days + 1

    def test_a_naive_time_is_refused(self) -> None:
        """A time without a zone cannot name a moment."""
        with pytest.raises(ValueError, match="aware"):
            Timed(
                start=dt.datetime(2023, 3, 1, 13),
                end=dt.datetime(2023, 3, 1, 15),
                zone=Zone("America/New_York"),
            )


class TestOrder:
    """Events sort by their first moment in UTC, all-day ones at midnight UTC, then uid."""

    @given(st.lists(events(), min_size=2, max_size=8, unique_by=lambda event: event.uid))
    def test_sort_key_orders_by_start(self, found: list[Event]) -> None:
        """Sorted by key, the UTC starts never go down."""
        ordered = sorted(found, key=lambda event: event.sort_key)
        starts = [event.span.utc_start for event in ordered]
        assert starts == sorted(starts)
