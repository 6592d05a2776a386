"""Calendar sanity: each kind of problem reported with the event, the date and the fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pe_schedule import (
    Activity,
    AudienceKind,
    Cohort,
    DayOfMonth,
    DayRule,
    HolidayPolicy,
    NthWeekday,
    Override,
    Programme,
    SanityKind,
    SanityProblem,
    Session,
    Timing,
    YearMonth,
    Zone,
    cli,
    events,
    load,
    sanity_problems,
)
from pe_schedule._internal.model.timing import parse_duration, parse_time
from tests.strategies import small_roster

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"


def call(
    activity_id: str,
    day: DayRule,
    months: tuple[YearMonth, ...],
    start: str | None = "13:00",
    duration: str = "1h",
    *,
    audience: AudienceKind = AudienceKind.COHORT,
    **timing: object,
) -> Activity:
    """An activity meeting on ``day`` of ``months``."""
    return Activity(
        id=activity_id,
        name=activity_id.title(),
        months=months,
        audience=audience,
        timing=Timing(
            day=day,
            start=parse_time(start) if start else None,
            duration=parse_duration(duration) if start else None,
            **timing,  # type: ignore[arg-type]
        ),
    )


def programme(*activities: Activity, roster: bool = False) -> Programme:
    """A one-cohort programme over 2023 and 2024."""
    return Programme(
        id="p",
        name="P",
        first_month=YearMonth(2023, 1),
        last_month=YearMonth(2024, 12),
        timezone=Zone("America/New_York"),
        cohorts=(Cohort(id="c1", name="C1", activities=activities),),
        roster=small_roster(("c1",)) if roster else None,
    )


def only(found: tuple[SanityProblem, ...]) -> SanityProblem:
    """The single problem found."""
    assert len(found) == 1, [str(problem) for problem in found]
    return found[0]


MARCH_2023 = (YearMonth(2023, 3),)


class TestMissingDay:
    def test_fifth_wednesday_of_february(self) -> None:
        """A fifth Wednesday in February 2023 does not exist: no event, one problem naming it."""
        rule = NthWeekday.parse("fifth Wednesday")
        found = programme(call("call", rule, (YearMonth(2023, 2), YearMonth(2023, 5))))
        problem = only(sanity_problems(found))
        assert problem.kind is SanityKind.MISSING_DAY
        assert problem.uid == "p/c1/call/cohort/2023-02@pe-schedule"
        assert "fifth Wednesday of Feb 2023, which has no such day" in problem.problem
        assert "override for 2023-02" in problem.change
        assert len(events(found)) == 1  # May 2023 has a fifth Wednesday (the 31st)

    def test_thirty_first_of_april(self) -> None:
        """Day 31 of April is reported as a missing day too."""
        found = programme(call("call", DayOfMonth(day=31), (YearMonth(2023, 4),)))
        assert only(sanity_problems(found)).kind is SanityKind.MISSING_DAY


class TestDaylightSaving:
    def test_nonexistent_time(self) -> None:
        """02:30 on the second Sunday of March 2023 is skipped in New York."""
        rule = NthWeekday.parse("second Sunday")
        problem = only(sanity_problems(programme(call("call", rule, MARCH_2023, "02:30"))))
        assert (problem.kind, problem.date) == (SanityKind.NONEXISTENT_TIME, dt.date(2023, 3, 12))
        assert "02:30 does not exist in America/New_York on 2023-03-12" in problem.problem
        assert "would start at 03:30" in problem.problem
        assert problem.change.startswith("choose a start time")

    def test_ambiguous_time(self) -> None:
        """01:30 on the first Sunday of November 2023 happens twice in New York."""
        rule = NthWeekday.parse("first Sunday")
        found = programme(call("call", rule, (YearMonth(2023, 11),), "01:30"))
        problem = only(sanity_problems(found))
        assert (problem.kind, problem.date) == (SanityKind.AMBIGUOUS_TIME, dt.date(2023, 11, 5))
        assert "happens twice" in problem.problem

    def test_other_zones_have_other_dates(self) -> None:
        """In London the clocks change on the last Sunday of March, not the second."""
        rule = NthWeekday.parse("last Sunday")
        london = call("call", rule, MARCH_2023, "01:30", timezone=Zone("Europe/London"))
        assert only(sanity_problems(programme(london))).date == dt.date(2023, 3, 26)


class TestOutsideMonth:
    def test_override_to_another_month(self) -> None:
        """An override moving March's session to 3 April is outside its month."""
        moved = Override(month=YearMonth(2023, 3), date=dt.date(2023, 4, 3))
        found = programme(call("call", DayOfMonth(day=1), MARCH_2023, overrides=(moved,)))
        problem = only(sanity_problems(found))
        assert (problem.kind, problem.date) == (SanityKind.OUTSIDE_MONTH, dt.date(2023, 4, 3))
        assert "stands for Mar 2023 in the grid but falls on 2023-04-03" in problem.problem

    def test_span_running_into_the_next_month(self) -> None:
        """A three-day session starting on the last Thursday of March 2023 (the 30th) spills over."""
        rule = NthWeekday.parse("last Thursday")
        found = programme(call("call", rule, MARCH_2023, None, days=3))
        problem = only(sanity_problems(found))
        assert (problem.kind, problem.date) == (SanityKind.OUTSIDE_MONTH, dt.date(2023, 4, 1))


class TestOverlap:
    def test_two_cohort_calls_at_once(self) -> None:
        """Two cohort calls on the same afternoon overlap for the cohort."""
        wednesday = NthWeekday.parse("third Wednesday")
        found = programme(
            call("first", wednesday, MARCH_2023, "13:00", "2h"),
            call("second", wednesday, MARCH_2023, "14:30", "1h"),
        )
        problem = only(sanity_problems(found))
        assert problem.kind is SanityKind.OVERLAP
        assert "overlaps" in problem.problem
        assert "cohort:c1" in problem.problem

    def test_back_to_back_is_no_overlap(self) -> None:
        """A call that starts when another ends does not overlap it."""
        wednesday = NthWeekday.parse("third Wednesday")
        found = programme(
            call("first", wednesday, MARCH_2023, "13:00", "2h"),
            call("second", wednesday, MARCH_2023, "15:00", "1h"),
        )
        assert sanity_problems(found) == ()

    def test_team_session_against_cohort_call(self) -> None:
        """A team's own session overlapping its cohort's call is reported for that team."""
        wednesday = NthWeekday.parse("third Wednesday")
        found = programme(
            call("all", wednesday, MARCH_2023, "13:00", "2h"),
            call("one-to-one", wednesday, MARCH_2023, "14:00", "1h", audience=AudienceKind.TEAM),
            roster=True,
        )
        problems = sanity_problems(found)
        assert {p.kind for p in problems} == {SanityKind.OVERLAP}
        assert len(problems) == 2  # one per team

    def test_parallel_groups_do_not_overlap(self) -> None:
        """Two affinity groups meeting at the same time are separate audiences."""
        wednesday = NthWeekday.parse("third Wednesday")
        found = programme(
            call("affinity", wednesday, MARCH_2023, audience=AudienceKind.AFFINITY_GROUP),
            roster=True,
        )
        assert len(events(found)) == 2
        assert sanity_problems(found) == ()

    def test_cancelled_event_is_out_of_the_way(self) -> None:
        """A cancelled call does not overlap the call that replaced it."""
        wednesday = NthWeekday.parse("third Wednesday")
        cancel = Override(month=MARCH_2023[0], cancelled=True)
        found = programme(
            call("first", wednesday, MARCH_2023, overrides=(cancel,)),
            call("second", wednesday, MARCH_2023),
        )
        assert sanity_problems(found) == ()


class TestHolidays:
    JULY = (YearMonth(2023, 7),)
    FIRST_TUESDAY = NthWeekday.parse("first Tuesday")  # 4 July 2023

    def test_flag_is_the_default(self) -> None:
        """A call on 4 July 2023 is flagged as Independence Day, with the ways out."""
        problem = only(sanity_problems(programme(call("call", self.FIRST_TUESDAY, self.JULY))))
        assert (problem.kind, problem.date) == (SanityKind.HOLIDAY, dt.date(2023, 7, 4))
        assert "falls on Independence Day" in problem.problem
        assert "'shift'" in problem.change
        assert "'accept'" in problem.change

    def test_accept(self) -> None:
        """With holidays = accept the call stays on 4 July, unreported."""
        found = programme(
            call("call", self.FIRST_TUESDAY, self.JULY, holidays=HolidayPolicy.ACCEPT)
        )
        assert sanity_problems(found) == ()
        assert events(found)[0].span.start.isoformat().startswith("2023-07-04")

    def test_shift_to_the_same_weekday_a_week_later(self) -> None:
        """With holidays = shift the first-Tuesday call moves to 11 July, unreported."""
        found = programme(call("call", self.FIRST_TUESDAY, self.JULY, holidays=HolidayPolicy.SHIFT))
        assert sanity_problems(found) == ()
        assert events(found)[0].span.start.isoformat().startswith("2023-07-11")

    def test_shift_to_the_next_working_day(self) -> None:
        """A day-of-month call on 4 July 2023 shifts to Wednesday 5 July."""
        found = programme(
            call("call", DayOfMonth(day=4), self.JULY, None, holidays=HolidayPolicy.SHIFT)
        )
        assert events(found)[0].span.start == dt.date(2023, 7, 5)

    def test_shift_that_would_leave_the_month(self) -> None:
        """Memorial Day 2024 is the last Monday of May: no later Monday in May, so flagged."""
        found = programme(
            call(
                "call",
                NthWeekday.parse("last Monday"),
                (YearMonth(2024, 5),),
                holidays=HolidayPolicy.SHIFT,
            )
        )
        problem = only(sanity_problems(found))
        assert (problem.kind, problem.date) == (SanityKind.HOLIDAY, dt.date(2024, 5, 27))
        assert "no later last Monday in May 2024 is free" in problem.problem

    def test_observed_holiday(self) -> None:
        """Veterans Day 2023 is observed on Friday 10 November."""
        found = programme(call("call", DayOfMonth(day=10), (YearMonth(2023, 11),), None))
        assert "Veterans Day (observed)" in only(sanity_problems(found)).problem


class TestRoster:
    def test_session_for_an_unknown_group(self) -> None:
        """A session slot naming no coaching group of the roster is reported."""
        slot = Session(key="nowhere", start=parse_time("09:00"))
        found = programme(
            call(
                "coaching",
                NthWeekday.parse("second Tuesday"),
                MARCH_2023,
                audience=AudienceKind.COACHING_GROUP,
                sessions=(slot,),
            ),
            roster=True,
        )
        problem = only(sanity_problems(found))
        assert problem.kind is SanityKind.UNKNOWN_SESSION
        assert "'nowhere'" in problem.problem
        assert "c1-g" in problem.change

    def test_session_slot_is_used(self) -> None:
        """A session slot gives its group its own start time."""
        slot = Session(key="c1-g", start=parse_time("09:00"))
        found = programme(
            call(
                "coaching",
                NthWeekday.parse("second Tuesday"),
                MARCH_2023,
                audience=AudienceKind.COACHING_GROUP,
                sessions=(slot,),
            ),
            roster=True,
        )
        (event,) = events(found)
        assert event.target.kind is AudienceKind.COACHING_GROUP
        assert event.span.start.isoformat() == "2023-03-14T09:00:00-04:00"


class TestReference:
    def test_reference_is_sane(self) -> None:
        """The reference programme's solved timing has no calendar-sanity problem, working
        hours included."""
        assert sanity_problems(load(REFERENCE)) == ()

    def test_check_reports_a_holiday(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Moving the Action Community all-team calls to the first Tuesday, with holidays
        flagged, makes check exit 1 naming the July 2023 call on Independence Day."""
        text = REFERENCE.read_text(encoding="utf-8")
        marker = (
            'day = "third Wednesday"\nstart = { from = "11:00", to = "15:00", every = "30m" }\n'
            'duration = "2h"\n'
        )
        assert text.count(marker) == 2
        head, tail = text.rsplit(marker, 1)
        changed = (
            head
            + 'day = "first Tuesday"\nstart = "14:00"\nduration = "2h"\nholidays = "flag"\n'
            + tail
        )
        path = tmp_path / "copy.toml"
        path.write_text(changed, encoding="utf-8")
        roster = REFERENCE.with_name("pursuing-equity-2023-2024.roster.toml")
        (tmp_path / roster.name).write_bytes(roster.read_bytes())
        solved = REFERENCE.with_name("pursuing-equity-2023-2024.solved.toml")
        (tmp_path / "copy.solved.toml").write_bytes(solved.read_bytes())
        assert cli.main(["check", str(path)]) == 1
        out = capsys.readouterr().out
        assert (
            f"{path}: action-community/all-team 2023-07: On 2023-07-04, All-Team Calls falls on "
            "Independence Day. Change: move it"
        ) in out
        assert "[rule: holiday]" in out


def test_problems_are_sorted_and_unique() -> None:
    """Problems come sorted by date then uid, each once."""
    found = programme(
        call("b", NthWeekday.parse("first Tuesday"), (YearMonth(2023, 7),)),
        call("a", NthWeekday.parse("second Sunday"), MARCH_2023, "02:30"),
    )
    problems = sanity_problems(found)
    assert [p.date for p in problems] == [dt.date(2023, 3, 12), dt.date(2023, 7, 4)]
    assert len(set(problems)) == len(problems)
