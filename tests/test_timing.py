"""Timing: day rules, clock times, durations, slots, and reading them from TOML."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pe_schedule import (
    Activity,
    AudienceKind,
    Cohort,
    DayOfMonth,
    DeclarationError,
    HolidayPolicy,
    NthWeekday,
    Override,
    Programme,
    Session,
    Status,
    Timing,
    YearMonth,
    Zone,
    events,
)
from pe_schedule._internal.declaration.source import Report, Table
from pe_schedule._internal.declaration.timing import read_defaults, read_timing
from pe_schedule._internal.model.timing import (
    Choices,
    format_duration,
    format_time,
    parse_day,
    parse_duration,
    parse_time,
)
from tests.strategies import small_roster

MARCH = YearMonth(2023, 3)


def read(text: str, defaults: dict[str, Any] | None = None) -> Timing | None:
    """Read a timing table written in TOML, raising every problem found."""
    report = Report("t.toml")
    timing = read_timing(Table(tomllib.loads(text), "timing", report), defaults)
    report.raise_if_any()
    return timing


def problems(text: str, defaults: dict[str, Any] | None = None) -> list[str]:
    """The messages reading a timing table gives."""
    with pytest.raises(DeclarationError) as caught:
        read(text, defaults)
    return [str(problem) for problem in caught.value.problems]


def read_open(text: str, defaults: dict[str, Any] | None = None) -> Timing | None:
    """Read an activity's own timing table, which may list choices, raising every problem."""
    report = Report("t.toml")
    timing = read_timing(Table(tomllib.loads(text), "timing", report), defaults, choices=True)
    report.raise_if_any()
    return timing


def open_problems(text: str, defaults: dict[str, Any] | None = None) -> list[str]:
    """The messages reading an activity's own timing table gives."""
    with pytest.raises(DeclarationError) as caught:
        read_open(text, defaults)
    return [str(problem).removeprefix("t.toml: ") for problem in caught.value.problems]


def clock(*texts: str) -> tuple[dt.time, ...]:
    """Clock times from their ``HH:MM`` texts."""
    return tuple(parse_time(text) for text in texts)


class TestDayRules:
    @pytest.mark.parametrize(
        ("text", "n", "weekday"),
        [
            ("third Wednesday", 3, 2),
            ("last Tuesday", -1, 1),
            ("1st monday", 1, 0),
            ("Fifth Sunday", 5, 6),
        ],
    )
    def test_parse(self, text: str, n: int, weekday: int) -> None:
        """Ordinal words, numeric ordinals and any case are read."""
        assert NthWeekday.parse(text) == NthWeekday(n=n, weekday=weekday)

    @given(st.sampled_from((1, 2, 3, 4, 5, -1)), st.integers(0, 6))
    def test_text_round_trips(self, n: int, weekday: int) -> None:
        """A rule written out reads back as itself."""
        rule = NthWeekday(n=n, weekday=weekday)
        assert NthWeekday.parse(str(rule)) == rule

    @pytest.mark.parametrize("text", ["third", "sixth Monday", "third Wensday", "3 Monday", ""])
    def test_rejects(self, text: str) -> None:
        """Anything else is a ValueError naming the text."""
        with pytest.raises(ValueError, match="got"):
            NthWeekday.parse(text)

    def test_day_of_month(self) -> None:
        """An integer is a day of the month; a month too short has none."""
        assert parse_day(15).resolve(MARCH) == dt.date(2023, 3, 15)
        assert parse_day(30).resolve(YearMonth(2023, 2)) is None
        with pytest.raises(ValueError, match="1 to 31"):
            parse_day(32)

    def test_later_dates(self) -> None:
        """An nth weekday shifts a week on; a day of the month to the next working day."""
        assert NthWeekday.parse("first Friday").later(dt.date(2023, 3, 3)) == dt.date(2023, 3, 10)
        assert DayOfMonth(day=3).later(dt.date(2023, 3, 3)) == dt.date(2023, 3, 6)


class TestClock:
    @pytest.mark.parametrize(
        ("text", "minutes"), [("2h", 120), ("90m", 90), ("1h30m", 90), ("24h", 1440)]
    )
    def test_durations(self, text: str, minutes: int) -> None:
        """Hours, minutes, or both."""
        assert parse_duration(text) == dt.timedelta(minutes=minutes)

    @pytest.mark.parametrize("text", ["0h", "0m", "25h", "1h1441m", "PT1H", "2 h", "", "h"])
    def test_bad_durations(self, text: str) -> None:
        """Zero, more than 24 hours and other spellings are refused."""
        with pytest.raises(ValueError, match="duration"):
            parse_duration(text)

    @given(st.integers(1, 24 * 60))
    def test_duration_round_trips(self, minutes: int) -> None:
        """A duration written out reads back as itself."""
        duration = dt.timedelta(minutes=minutes)
        assert parse_duration(format_duration(duration)) == duration

    @pytest.mark.parametrize("text", ["24:00", "9:00", "13:60", "1pm", "13.00"])
    def test_bad_times(self, text: str) -> None:
        """Only 24-hour HH:MM is a time."""
        with pytest.raises(ValueError, match="HH:MM"):
            parse_time(text)

    def test_time_round_trips(self) -> None:
        """A time written out reads back as itself."""
        assert format_time(parse_time("09:05")) == "09:05"


class TestSlots:
    BASE = Timing(
        day=NthWeekday.parse("second Tuesday"),
        start=dt.time(12),
        duration=dt.timedelta(hours=1),
        sessions=(Session(key="g2", day=NthWeekday.parse("second Thursday"), start=dt.time(14)),),
        overrides=(
            Override(month=MARCH, start=dt.time(9)),
            Override(month=MARCH, session="g2", date=dt.date(2023, 3, 20)),
            Override(month=YearMonth(2023, 4), cancelled=True),
        ),
    )

    def test_plain_session(self) -> None:
        """A session without a slot takes the timing, then the month's override."""
        slot = self.BASE.slot(MARCH, "g1")
        assert (str(slot.day), slot.date, slot.start) == ("second Tuesday", None, dt.time(9))

    def test_own_slot_and_own_override(self) -> None:
        """A session's slot refines the timing, and its own override moves it."""
        slot = self.BASE.slot(MARCH, "g2")
        assert (str(slot.day), slot.date, slot.start) == (
            "second Thursday",
            dt.date(2023, 3, 20),
            dt.time(9),
        )
        assert self.BASE.slot(YearMonth(2023, 5), "g2").start == dt.time(14)

    def test_cancelled(self) -> None:
        """A cancelled month is cancelled for every session."""
        assert self.BASE.slot(YearMonth(2023, 4), "g2").cancelled
        assert not self.BASE.slot(YearMonth(2023, 5), "g2").cancelled

    def test_start_needs_a_duration(self) -> None:
        """A start time without any duration is refused."""
        with pytest.raises(ValueError, match="give both or neither"):
            Timing(day=DayOfMonth(day=1), start=dt.time(9))


class TestReading:
    def test_full_table(self) -> None:
        """Every key of a timing table is read."""
        timing = read(
            'day = "last Friday"\nstart = "09:30"\nduration = "90m"\ndays = 2\n'
            'timezone = "America/Chicago"\nholidays = "shift"\n'
            '[sessions.g1]\nstart = "11:00"\n'
            '[[overrides]]\nmonth = "2023-03"\ncancelled = true\n'
        )
        assert timing == Timing(
            day=NthWeekday(n=-1, weekday=4),
            start=dt.time(9, 30),
            duration=dt.timedelta(minutes=90),
            days=2,
            timezone=Zone("America/Chicago"),
            holidays=HolidayPolicy.SHIFT,
            sessions=(Session(key="g1", start=dt.time(11)),),
            overrides=(Override(month=MARCH, cancelled=True),),
        )

    def test_defaults_fill_in_and_all_day_opts_out(self) -> None:
        """Defaults give what the table leaves out; all_day drops their clock time."""
        defaults = {"start": "13:00", "duration": "1h", "holidays": "shift"}
        timed = read('day = "first Monday"', defaults)
        assert timed is not None
        assert (timed.start, timed.holidays) == (dt.time(13), HolidayPolicy.SHIFT)
        all_day = read('day = "first Monday"\nall_day = true', defaults)
        assert all_day is not None
        assert (all_day.start, all_day.duration) == (None, None)

    def test_every_problem_at_once(self) -> None:
        """A misspelt key, a bad day, a bad duration and a bad policy are all reported."""
        found = problems(
            'dya = 3\nday = "thrid Monday"\nstart = "13:00"\nduration = "2 hours"\n'
            'holidays = "shfit"'
        )
        assert found == [
            (
                "t.toml: timing.dya: expected a known key: one of 'all_day', 'day', 'days', "
                "'duration', 'holidays', 'overrides', 'sessions', 'start', 'timezone', got an "
                "unknown key (did you mean 'day'?)"
            ),
            (
                "t.toml: timing.day: expected a day such as 'third Wednesday', 'last Tuesday' or a "
                "day of the month 1-31, got 'thrid Monday'"
            ),
            (
                "t.toml: timing.duration: expected a duration such as '2h', '90m' or '1h30m' "
                "(at most 24h), got '2 hours'"
            ),
            (
                "t.toml: timing.holidays: expected one of 'accept', 'flag', 'shift', got 'shfit' "
                "(did you mean 'shift'?)"
            ),
        ]

    def test_start_without_duration(self) -> None:
        """A start time with no duration anywhere names the missing key."""
        assert problems('day = 1\nstart = "13:00"') == [
            (
                "t.toml: timing.duration: expected a start time and a duration together (all-day "
                "without both), got nothing (the key is missing)"
            )
        ]

    def test_bad_override(self) -> None:
        """An override moving to a date and a day at once is refused."""
        found = problems('day = 1\n[[overrides]]\nmonth = "2023-03"\ndate = 2023-03-02\nday = 2')
        assert found == [
            "t.toml: timing.overrides[0].day: expected either 'date' or 'day', not both, got both"
        ]

    def test_bad_defaults_are_reported_once(self) -> None:
        """A broken default is reported at the defaults table and left out."""
        report = Report("t.toml")
        table = Table({"duration": "forever", "start": "13:00"}, "programme.defaults", report)
        assert read_defaults(table) == {"start": "13:00"}
        assert [problem.path for problem in report.problems] == ["programme.defaults.duration"]


class TestCancelledMonths:
    """A month cancelled for the whole activity stays cancelled for every session."""

    TWO_GROUPS = Timing(
        day=NthWeekday.parse("second Tuesday"),
        start=dt.time(12),
        duration=dt.timedelta(hours=1),
        sessions=(Session(key="g1"), Session(key="g2", start=dt.time(14))),
        overrides=(
            Override(month=MARCH, cancelled=True),
            Override(month=MARCH, session="g1", start=dt.time(15)),
        ),
    )

    def test_a_session_override_does_not_uncancel_the_month(self) -> None:
        """A session's own override of a cancelled month retimes it but leaves it cancelled."""
        slot = self.TWO_GROUPS.slot(MARCH, "g1")
        assert slot.start == dt.time(15)
        assert slot.cancelled
        assert self.TWO_GROUPS.slot(MARCH, "g2").cancelled
        assert self.TWO_GROUPS.slot(MARCH).cancelled

    def test_expanded_sessions_of_a_cancelled_month_are_all_cancelled(self) -> None:
        """Every team's event in a cancelled month is CANCELLED, even the one retimed."""
        april = YearMonth(2023, 4)
        timing = Timing(
            day=NthWeekday.parse("second Tuesday"),
            start=dt.time(12),
            duration=dt.timedelta(hours=1),
            overrides=(
                Override(month=MARCH, cancelled=True),
                Override(month=MARCH, session="c1-t1", start=dt.time(15)),
            ),
        )
        call = Activity(
            id="call",
            name="Call",
            months=(MARCH, april),
            audience=AudienceKind.TEAM,
            timing=timing,
        )
        programme = Programme(
            id="p",
            name="P",
            first_month=YearMonth(2023, 1),
            last_month=YearMonth(2023, 12),
            timezone=Zone("America/New_York"),
            cohorts=(Cohort(id="c1", name="C1", activities=(call,)),),
            roster=small_roster(("c1",)),
            revised=dt.datetime(2022, 9, 1, tzinfo=dt.UTC),
        )
        found = {(event.target.key, event.month): event for event in events(programme)}
        assert set(found) == {
            (team, month) for team in ("c1-t1", "c1-t2") for month in (MARCH, april)
        }
        retimed = found["c1-t1", MARCH].span.start
        assert isinstance(retimed, dt.datetime)
        assert retimed.hour == 15
        assert {key: event.status for key, event in found.items()} == {
            ("c1-t1", MARCH): Status.CANCELLED,
            ("c1-t2", MARCH): Status.CANCELLED,
            ("c1-t1", april): Status.CONFIRMED,
            ("c1-t2", april): Status.CONFIRMED,
        }

    @settings(max_examples=100, deadline=None)
    @given(
        overrides=st.lists(
            st.builds(
                Override,
                month=st.sampled_from((MARCH, YearMonth(2023, 4))),
                session=st.sampled_from((None, "g1", "g2")),
                start=st.none() | st.sampled_from((dt.time(9), dt.time(15))),
                cancelled=st.booleans(),
            ),
            max_size=6,
        )
    )
    def test_a_slot_is_cancelled_when_any_override_that_applies_cancels_it(
        self, overrides: list[Override]
    ) -> None:
        """In any order, a slot is cancelled iff some override of its month, for it or all, cancels."""
        timing = attrs.evolve(self.TWO_GROUPS, overrides=tuple(overrides))
        for month in (MARCH, YearMonth(2023, 4)):
            for session in (None, "g1", "g2"):
                applies = [
                    o for o in overrides if o.month == month and o.session in (None, session)
                ]
                assert timing.slot(month, session).cancelled == any(o.cancelled for o in applies)
            if any(o.cancelled for o in overrides if o.month == month and o.session is None):
                assert all(timing.slot(month, key).cancelled for key in (None, "g1", "g2"))


class TestChoices:
    """An activity's timing may leave its day and start to pe-schedule solve."""

    def test_days_and_a_window_of_starts(self) -> None:
        """Listed days and a start window become Choices; day and start are the first of each."""
        timing = read_open(
            'day = ["second Tuesday", "second Wednesday", "second Thursday"]\n'
            'start = { from = "11:00", to = "13:00" }\nduration = "1h"'
        )
        assert timing is not None
        assert timing.choices == Choices(
            days=tuple(
                NthWeekday.parse(f"second {day}") for day in ("Tuesday", "Wednesday", "Thursday")
            ),
            starts=clock("11:00", "11:30", "12:00", "12:30", "13:00"),
        )
        assert (str(timing.day), timing.start) == ("second Tuesday", dt.time(11))

    def test_a_list_of_starts_with_one_day(self) -> None:
        """A single day beside listed starts is a one-day choice, in the order written."""
        timing = read_open('day = 15\nstart = ["16:00", "12:00"]\nduration = "90m"')
        assert timing is not None
        assert timing.choices == Choices(days=(DayOfMonth(day=15),), starts=clock("16:00", "12:00"))
        assert timing.start == dt.time(16)

    def test_a_list_of_one_is_still_a_choice(self) -> None:
        """Writing a list says the slot is solve's to confirm, even with one item."""
        timing = read_open('day = ["last Friday"]\nstart = "09:00"\nduration = "1h"')
        assert timing is not None
        assert timing.choices == Choices(
            days=(NthWeekday.parse("last Friday"),), starts=clock("09:00")
        )

    def test_a_fixed_timing_has_no_choices(self) -> None:
        """One day and one start leave nothing to choose."""
        timing = read_open('day = "last Friday"\nstart = "09:00"\nduration = "1h"')
        assert timing is not None
        assert timing.choices is None

    def test_a_window_steps_by_every_and_stops_at_to(self) -> None:
        """``every`` sets the step; the latest start is ``to`` or the last step before it."""
        timing = read_open(
            'day = 1\nstart = { from = "09:00", to = "11:30", every = "1h" }\nduration = "1h"'
        )
        assert timing is not None
        assert timing.choices is not None
        assert timing.choices.starts == clock("09:00", "10:00", "11:00")

    @given(
        first=st.integers(0, 23 * 60 + 59),
        length=st.integers(0, 12 * 60),
        step=st.integers(1, 6 * 60),
    )
    def test_a_window_holds_every_step_from_from_to_to(
        self, first: int, length: int, step: int
    ) -> None:
        """A window's starts run from ``from`` by ``every``, each within the window, none missed."""
        last = min(first + length, 23 * 60 + 59)
        text = (
            f'day = 1\nstart = {{ from = "{format_time(dt.time(*divmod(first, 60)))}", '
            f'to = "{format_time(dt.time(*divmod(last, 60)))}", '
            f'every = "{format_duration(dt.timedelta(minutes=step))}" }}\nduration = "1h"'
        )
        timing = read_open(text)
        assert timing is not None
        assert timing.choices is not None
        minutes = [start.hour * 60 + start.minute for start in timing.choices.starts]
        assert minutes == list(range(first, last + 1, step))

    def test_sessions_and_overrides_still_apply(self) -> None:
        """A session's own slot and a month's override stand beside the choices."""
        timing = read_open(
            'day = ["second Tuesday", "second Thursday"]\nstart = ["12:00", "14:00"]\n'
            'duration = "1h"\n[sessions.g1]\nstart = "15:00"\n'
            '[[overrides]]\nmonth = "2023-03"\ncancelled = true'
        )
        assert timing is not None
        assert timing.choices is not None
        assert timing.session("g1") == Session(key="g1", start=dt.time(15))
        assert timing.slot(MARCH).cancelled

    def test_defaults_fill_in_the_fixed_part(self) -> None:
        """Days to choose from take their start and duration from the defaults."""
        timing = read_open(
            'day = ["first Monday", "first Tuesday"]', {"start": "13:00", "duration": "1h"}
        )
        assert timing is not None
        assert timing.choices is not None
        assert timing.choices.starts == clock("13:00")

    def test_every_bad_choice_at_once(self) -> None:
        """A bad day, a repeated day and a bad start are each named at their index."""
        assert open_problems(
            'day = ["second Tuesday", "second Tusday", "2nd tuesday"]\n'
            'start = ["12:00", 12]\nduration = "1h"'
        ) == [
            (
                "timing.day[1]: expected a day such as 'third Wednesday', 'last Tuesday' or a day "
                "of the month 1-31, got 'second Tusday'"
            ),
            (
                "timing.day[2]: expected a day not listed before, got '2nd tuesday', the same as "
                "timing.day[0]"
            ),
            "timing.start[1]: expected a time as 'HH:MM' (24-hour), got 12",
        ]

    def test_a_window_must_not_run_backwards(self) -> None:
        """A window whose latest start is before its earliest is refused at ``to``."""
        assert open_problems(
            'day = 1\nstart = { from = "16:00", to = "11:00" }\nduration = "1h"'
        ) == ["timing.start.to: expected the latest start, at or after from (16:00), got '11:00'"]

    def test_choices_need_a_start_and_a_duration(self) -> None:
        """Without a start or a duration, solve has nothing to place: each is named."""
        assert open_problems('day = ["first Monday", "first Friday"]') == [
            (
                "timing.start: expected a start time, or start times, beside the days to choose "
                "from (pe-schedule solve places timed sessions only), got nothing (the key is "
                "missing)"
            ),
            (
                "timing.duration: expected a duration beside the days to choose from "
                "(pe-schedule solve places timed sessions only), got nothing (the key is missing)"
            ),
        ]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                'day = ["first Monday", "first Friday"]',
                (
                    "timing.day: expected one day such as 'third Wednesday'; only an activity's own "
                    "timing lists days to choose from, got an array"
                ),
            ),
            (
                'day = 1\nstart = { from = "11:00", to = "12:00" }\nduration = "1h"',
                (
                    "timing.start: expected one time as 'HH:MM'; only an activity's own timing lists "
                    "start times to choose from, got a table"
                ),
            ),
        ],
    )
    def test_only_an_activity_timing_lists_choices(self, text: str, expected: str) -> None:
        """An event's timing (read without choices) refuses a list or a window."""
        assert [p.removeprefix("t.toml: ") for p in problems(text)] == [expected]

    def test_defaults_never_list_choices(self) -> None:
        """A default with choices would open every activity below it: refused, reported once."""
        report = Report("t.toml")
        table = Table({"day": ["first Monday"], "start": "13:00"}, "programme.defaults", report)
        assert read_defaults(table) == {"start": "13:00"}
        assert [problem.path for problem in report.problems] == ["programme.defaults.day"]
