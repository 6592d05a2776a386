"""Weekly meetings skip weeks by rule (holidays, the weeks of named activities), and
a programme chooses its holiday calendar and declares its own blackout dates."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pe_schedule import (
    ActivityName,
    DeclarationError,
    HolidayCalendar,
    HolidayPolicy,
    SanityKind,
    Weekly,
    events,
    load,
    sanity_problems,
)
from pe_schedule.cli import main
from tests.conftest import MINIMAL_DECLARATION

CALENDARS = Path(__file__).parent.parent / "calendars"
REFERENCE = CALENDARS / "pursuing-equity-2023-2024.toml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _redated(tmp_path: Path, first: str, last: str) -> Path:
    """The reference declaration with only ``first_month`` and ``last_month`` changed,
    beside its roster and its solved file, as a user re-running the programme would."""
    text = REFERENCE.read_text(encoding="utf-8")
    changed = text.replace('first_month = "2023-01"', f'first_month = "{first}"').replace(
        'last_month = "2024-06"', f'last_month = "{last}"'
    )
    assert changed.count(first) == 1
    assert changed.count(last) == 1
    target = tmp_path / REFERENCE.name
    target.write_text(changed, encoding="utf-8")
    for suffix in (".roster.toml", ".solved.toml"):
        name = REFERENCE.name.removesuffix(".toml") + suffix
        shutil.copy(CALENDARS / name, tmp_path / name)
    return target


# A weekly meeting for the whole cohort, on Tuesdays through 2023, and a three-day
# session on the second Tuesday of March and October.
WEEKLY = (
    MINIMAL_DECLARATION
    + """
[[cohorts.activities]]
id = "retreat"
name = "Retreat"
months = [3, 10]

[cohorts.activities.timing]
day = "second Tuesday"
days = 3

[[events]]
id = "meeting"
name = "Meeting"
cohort = "cohort"
weekly = { weekday = "WEEKDAY", start = "10:00", duration = "1h"WEEKLY_EXTRA }
"""
)


def _weekly(tmp_path: Path, extra: str = "", programme: str = "", weekday: str = "Tuesday") -> Path:
    """:data:`WEEKLY` with ``extra`` keys in its weekly table and ``programme`` lines."""
    text = WEEKLY.replace("WEEKLY_EXTRA", extra).replace("WEEKDAY", weekday)
    if programme:
        text = text.replace(
            'timezone = "America/New_York"\n', f'timezone = "America/New_York"\n{programme}\n', 1
        )
    return _write(tmp_path, text)


def _meeting_dates(path: Path) -> list[dt.date]:
    return [event.span.days[0] for event in events(load(path), activity="meeting")]


class TestReDating:
    def test_the_reference_re_dated_by_its_window_alone_passes_check(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Changing first_month and last_month alone (to 2025-01 and 2026-06) gives a
        programme `pe-schedule check` accepts: the team meeting skips Veterans Day 2025
        and the new learning-session weeks by rule. The committed solved file still
        fits: it records slots and groups (day rules, times, coaches), not dates."""
        redated = _redated(tmp_path, "2025-01", "2026-06")
        assert main(["check", str(redated)]) == 0
        assert "every rule holds" in capsys.readouterr().out

    def test_the_re_dated_meeting_skips_the_new_holidays_and_session_weeks(
        self, tmp_path: Path
    ) -> None:
        programme = load(_redated(tmp_path, "2025-01", "2026-06"))
        days = {event.span.days[0] for event in events(programme, activity="team-meeting")}
        veterans_day = dt.date(2025, 11, 11)
        sessions = {
            day
            for event in events(programme, activity="learning-sessions")
            for day in event.span.days
        }
        assert veterans_day not in days
        assert dt.date(2025, 11, 18) in days
        assert {day.isocalendar()[:2] for day in days}.isdisjoint(
            {day.isocalendar()[:2] for day in sessions}
        )


class TestWeeklySkipRules:
    def test_without_rules_every_tuesday_is_kept(self, tmp_path: Path) -> None:
        dates = _meeting_dates(_weekly(tmp_path))
        assert len(dates) == 52
        assert dt.date(2023, 7, 4) in dates

    def test_holidays_skip_drops_the_meeting_on_a_holiday(self, tmp_path: Path) -> None:
        dates = _meeting_dates(_weekly(tmp_path, ', holidays = "skip"'))
        assert dt.date(2023, 7, 4) not in dates
        assert len(dates) == 51

    def test_a_flagged_weekly_holiday_is_a_sanity_problem_with_the_weekly_fix(
        self, tmp_path: Path
    ) -> None:
        problems = [
            p for p in sanity_problems(load(_weekly(tmp_path))) if p.kind is SanityKind.HOLIDAY
        ]
        assert [p.date for p in problems] == [dt.date(2023, 7, 4)]
        assert "weekly.holidays = 'skip'" in problems[0].change

    def test_holidays_accept_keeps_it_without_a_problem(self, tmp_path: Path) -> None:
        path = _weekly(tmp_path, ', holidays = "accept"')
        assert dt.date(2023, 7, 4) in _meeting_dates(path)
        assert not [p for p in sanity_problems(load(path)) if p.kind is SanityKind.HOLIDAY]

    def test_skip_weeks_of_drops_every_week_an_occurrence_touches(self, tmp_path: Path) -> None:
        """The retreat runs Tuesday 14 to Thursday 16 March and 10 to 12 October."""
        dates = _meeting_dates(_weekly(tmp_path, ', skip_weeks_of = ["cohort/retreat"]'))
        assert dt.date(2023, 3, 14) not in dates
        assert dt.date(2023, 10, 10) not in dates
        assert {dt.date(2023, 3, 7), dt.date(2023, 3, 21), dt.date(2023, 10, 17)} <= set(dates)
        assert len(dates) == 50

    def test_skip_dates_remain_an_escape_hatch(self, tmp_path: Path) -> None:
        dates = _meeting_dates(_weekly(tmp_path, ", skip = [2023-08-01]"))
        assert dt.date(2023, 8, 1) not in dates
        assert len(dates) == 51

    def test_an_unknown_activity_is_refused_with_a_did_you_mean(self, tmp_path: Path) -> None:
        with pytest.raises(DeclarationError) as caught:
            load(_weekly(tmp_path, ', skip_weeks_of = ["cohort/retret"]'))
        message = str(caught.value)
        assert "events[0].weekly.skip_weeks_of[0]" in message
        assert "did you mean 'cohort/retreat'?" in message

    def test_a_name_without_its_cohort_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(DeclarationError, match="'cohort/activity'"):
            load(_weekly(tmp_path, ', skip_weeks_of = ["retreat"]'))

    def test_a_weekly_meeting_cannot_shift(self, tmp_path: Path) -> None:
        with pytest.raises(DeclarationError, match="'accept', 'flag', 'skip'"):
            load(_weekly(tmp_path, ', holidays = "shift"'))

    def test_an_activity_timing_cannot_skip(self, tmp_path: Path) -> None:
        text = MINIMAL_DECLARATION + '\n[cohorts.activities.timing]\nday = 3\nholidays = "skip"\n'
        with pytest.raises(DeclarationError, match="'accept', 'flag', 'shift'"):
            load(_write(tmp_path, text))


class TestHolidayCalendar:
    def test_the_default_is_us_federal(self, tmp_path: Path) -> None:
        assert load(_weekly(tmp_path)).holidays == HolidayCalendar()

    def test_a_state_adds_its_own_holidays(self, tmp_path: Path) -> None:
        """Patriots' Day (third Monday of April) is a Massachusetts holiday, not a federal one."""
        massachusetts = 'holidays = { country = "US", subdivision = "MA" }'
        programme = load(_weekly(tmp_path, programme=massachusetts, weekday="Monday"))
        assert programme.holidays == HolidayCalendar(country="US", subdivision="MA")
        found = [p for p in sanity_problems(programme) if p.kind is SanityKind.HOLIDAY]
        assert "Patriots' Day" in {p.problem.removeprefix("Meeting falls on ") for p in found}

    def test_another_country_uses_its_calendar(self, tmp_path: Path) -> None:
        """Boxing Day 2023 was a Tuesday: a holiday in Great Britain, not in the US."""
        path = _weekly(tmp_path, ', holidays = "skip"', 'holidays = { country = "GB" }')
        dates = _meeting_dates(path)
        assert dt.date(2023, 12, 26) not in dates
        assert dt.date(2023, 7, 4) in dates

    def test_an_unknown_country_is_refused_with_a_did_you_mean(self, tmp_path: Path) -> None:
        path = _weekly(tmp_path, programme='holidays = { country = "us" }')
        with pytest.raises(DeclarationError) as caught:
            load(path)
        assert "programme.holidays.country" in str(caught.value)
        assert "did you mean 'US'?" in str(caught.value)

    def test_an_unknown_subdivision_is_refused_with_a_did_you_mean(self, tmp_path: Path) -> None:
        path = _weekly(tmp_path, programme='holidays = { country = "US", subdivision = "ma" }')
        with pytest.raises(DeclarationError) as caught:
            load(path)
        assert "programme.holidays.subdivision" in str(caught.value)
        assert "did you mean 'MA'?" in str(caught.value)


class TestBlackoutDates:
    def test_a_blackout_date_is_flagged_by_its_own_name(self, tmp_path: Path) -> None:
        path = _weekly(tmp_path, programme="blackout_dates = [2023-12-26]")
        found = [p for p in sanity_problems(load(path)) if p.kind is SanityKind.HOLIDAY]
        assert {p.date: p.problem for p in found}[dt.date(2023, 12, 26)] == (
            "Meeting falls on a declared blackout date"
        )

    def test_a_weekly_meeting_skips_a_blackout_date(self, tmp_path: Path) -> None:
        path = _weekly(tmp_path, ', holidays = "skip"', "blackout_dates = [2023-12-26]")
        assert dt.date(2023, 12, 26) not in _meeting_dates(path)

    def test_a_session_shifts_off_a_blackout_date(self, tmp_path: Path) -> None:
        """The retreat would start on 14 March; shifting moves it to the 21st."""
        text = WEEKLY.replace("WEEKLY_EXTRA", "").replace("WEEKDAY", "Tuesday")
        text = text.replace("days = 3\n", 'days = 3\nholidays = "shift"\n')
        text = text.replace("[[cohorts]]", "blackout_dates = [2023-03-15]\n\n[[cohorts]]", 1)
        retreat = events(load(_write(tmp_path, text)), activity="retreat")
        assert retreat[0].span.days[0] == dt.date(2023, 3, 21)

    def test_a_blackout_date_must_be_a_date(self, tmp_path: Path) -> None:
        path = _weekly(tmp_path, programme='blackout_dates = ["2023-12-26"]')
        with pytest.raises(DeclarationError, match=r"programme\.blackout_dates\[0\]"):
            load(path)


@given(
    skipped=st.sets(st.dates(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), max_size=20),
)
def test_skipping_only_removes_dates(skipped: set[dt.date]) -> None:
    """A blackout calendar never adds a date, and removes exactly the blacked-out ones
    when the meeting skips holidays (US federal Tuesdays in 2023: only 4 July)."""
    from pe_schedule._internal.schedule.holidays import holiday

    weekly = Weekly(
        weekday=1,
        start=dt.time(10),
        duration=dt.timedelta(hours=1),
        first=dt.date(2023, 1, 1),
        last=dt.date(2023, 12, 31),
        holidays=HolidayPolicy.SKIP,
    )
    calendar = HolidayCalendar(blackout=tuple(skipped))
    kept = [day for day in weekly.dates() if holiday(calendar, day) is None]
    assert set(kept) == set(weekly.dates()) - skipped - {dt.date(2023, 7, 4)}


def test_an_activity_name_reads_cohort_slash_activity() -> None:
    assert str(ActivityName.parse("a/b")) == "a/b"
    with pytest.raises(ValueError, match="cohort/activity"):
        ActivityName.parse("a/b/c")
