"""Working hours: every busy, timed session fits the day of each team and leader it is for.

Measured on the session's actual date, in each attendee's own zone, so DST
differences between zones are caught in the months they happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pe_schedule import (
    Activity,
    AllDay,
    AudienceKind,
    Event,
    Group,
    NthWeekday,
    Person,
    Programme,
    Role,
    Roster,
    SanityKind,
    SanityProblem,
    Session,
    Status,
    Target,
    Team,
    Timed,
    Timing,
    YearMonth,
    Zone,
    events,
    sanity_problems,
)
from pe_schedule._internal.model.availability import WorkingHours
from pe_schedule._internal.model.roster import Staff, StaffRole
from pe_schedule._internal.model.timing import parse_duration, parse_time
from pe_schedule._internal.schedule.sanity import working_hours_report
from pe_schedule._internal.schedule.working_hours import Attendees, out_of_hours
from tests.scheduling import NEW_YORK, one_cohort

JANUARY, JULY = YearMonth(2023, 1), YearMonth(2023, 7)


def team(team_id: str, zone: str, **fields: object) -> Team:
    """A team of cohort ``c`` working in ``zone``."""
    return Team(id=team_id, name=team_id.upper(), cohort="c", timezone=Zone(zone), **fields)  # type: ignore[arg-type]


def call(
    start: str,
    months: tuple[YearMonth, ...] = (JULY,),
    *,
    duration: str = "2h",
    audience: AudienceKind = AudienceKind.COHORT,
    sessions: tuple[Session, ...] = (),
    in_person: tuple[YearMonth, ...] = (),
) -> Activity:
    """A call on the third Wednesday of ``months`` at ``start`` New York time."""
    timing = Timing(
        day=NthWeekday.parse("third Wednesday"),
        start=parse_time(start),
        duration=parse_duration(duration),
        timezone=NEW_YORK,
        sessions=sessions,
    )
    return Activity(
        id="call",
        name="Call",
        months=months,
        audience=audience,
        timing=timing,
        in_person=in_person,
    )


def programme(activity: Activity, *teams: Team, **roster: Any) -> Programme:
    """A one-cohort programme over 2023 with ``teams`` on its roster."""
    return one_cohort((activity,), teams, **roster)


def hours_problems(found: Programme) -> list[SanityProblem]:
    """The working-hours problems of ``found``."""
    return [p for p in sanity_problems(found) if p.kind is SanityKind.WORKING_HOURS]


class TestTeams:
    def test_honolulu_at_one_pm_eastern_in_july(self) -> None:
        """13:00 ET in July is 07:00 in Honolulu: flagged, naming session, date, team, times."""
        (problem,) = hours_problems(programme(call("13:00"), team("hi", "Pacific/Honolulu")))
        assert problem.date == dt.date(2023, 7, 19)
        assert problem.uid == "p/c/call/cohort/2023-07@pe-schedule"
        assert problem.problem == (
            "Call is 07:00-09:00 for team hi (Pacific/Honolulu), "
            "outside its working hours 09:00-17:00"
        )
        assert "widen team hi's working_hours" in problem.change
        assert problem.message.startswith("On 2023-07-19, Call is 07:00-09:00 for team hi")

    def test_honolulu_at_three_pm_eastern_fits(self) -> None:
        """15:00-17:00 ET in July is 09:00-11:00 in Honolulu: inside the working day."""
        assert hours_problems(programme(call("15:00"), team("hi", "Pacific/Honolulu"))) == []

    def test_a_slot_that_fits_in_january_but_not_july(self) -> None:
        """11:00 ET is 09:00 in Phoenix in January but 08:00 in July (Phoenix keeps no DST)."""
        found = programme(
            call("11:00", (JANUARY, JULY), duration="1h"), team("az", "America/Phoenix")
        )
        (problem,) = hours_problems(found)
        assert problem.date == dt.date(2023, 7, 19)
        assert "08:00-09:00 for team az (America/Phoenix)" in problem.problem

    def test_one_problem_per_team(self) -> None:
        """Each team a session does not fit is named in a problem of its own."""
        found = programme(
            call("13:00"),
            team("hi-1", "Pacific/Honolulu"),
            team("hi-2", "Pacific/Honolulu"),
            team("ny", "America/New_York"),
        )
        named = sorted(
            p.problem.split(" for team ")[1].split(" ")[0] for p in hours_problems(found)
        )
        assert named == ["hi-1", "hi-2"]

    def test_a_team_s_own_hours(self) -> None:
        """A team's own working_hours replace the roster's for that team alone."""
        early = WorkingHours.parse("07:00-15:00")
        found = programme(
            call("13:00"),
            team("hi", "Pacific/Honolulu", working_hours=early),
        )
        assert hours_problems(found) == []

    def test_a_day_the_team_is_away(self) -> None:
        """A session on a date in the team's ``unavailable`` is flagged, inside hours or not."""
        away = team("ny", "America/New_York", unavailable=frozenset({dt.date(2023, 7, 19)}))
        (problem,) = hours_problems(programme(call("13:00"), away))
        assert problem.problem.endswith("a day the team is away")
        assert "take 2023-07-19 out of team ny's unavailable" in problem.change

    def test_not_a_working_day(self) -> None:
        """A roster whose week is Monday to Tuesday flags a Wednesday session."""
        found = programme(
            call("13:00"), team("ny", "America/New_York"), working_days=frozenset({0, 1})
        )
        (problem,) = hours_problems(found)
        assert problem.problem.endswith("a Wednesday, not one of its working days")


class TestWhatIsChecked:
    def test_in_person_sessions_are_not_checked(self) -> None:
        """An in-person session is at a venue: its hours are not the teams' working day."""
        found = programme(call("13:00", (JULY,), in_person=(JULY,)), team("hi", "Pacific/Honolulu"))
        (event,) = events(found)
        assert event.in_person
        assert hours_problems(found) == []

    def test_all_day_sessions_are_not_checked(self) -> None:
        """An all-day occurrence claims no hours."""
        activity = Activity(
            id="day",
            name="Day",
            months=(JULY,),
            timing=Timing(day=NthWeekday.parse("third Wednesday")),
        )
        assert hours_problems(programme(activity, team("hi", "Pacific/Honolulu"))) == []

    @pytest.mark.parametrize(
        "change",
        [
            pytest.param(lambda e: attrs.evolve(e, busy=False), id="not-busy"),
            pytest.param(lambda e: attrs.evolve(e, status=Status.CANCELLED), id="cancelled"),
            pytest.param(lambda e: attrs.evolve(e, in_person=True), id="in-person"),
        ],
    )
    def test_events_that_claim_no_time(self, change: Callable[[Event], Event]) -> None:
        """Deadlines, cancelled and in-person events are never measured."""
        found = programme(call("13:00"), team("hi", "Pacific/Honolulu"))
        assert found.roster is not None
        (event,) = events(found)
        assert list(out_of_hours(found.roster, [event]))
        assert list(out_of_hours(found.roster, [change(event)])) == []

    def test_no_roster_checks_nothing(self) -> None:
        """Without a roster nobody's working day is known."""
        found = attrs.evolve(programme(call("05:00"), team("ny", "America/New_York")), roster=None)
        assert hours_problems(found) == []
        assert working_hours_report(found) is None


def _staff(staff_id: str, **fields: object) -> Staff:
    return Staff(id=staff_id, name=staff_id.title(), timezone=NEW_YORK, **fields)  # type: ignore[arg-type]


class TestLeaders:
    """Whoever leads a session is held to their own working day too."""

    @staticmethod
    def led(start: str, *staff: Staff) -> Programme:
        sessions = (Session(key="g", leaders=tuple(s.id for s in staff)),)
        activity = call(start, audience=AudienceKind.COACHING_GROUP, sessions=sessions)
        found = programme(activity, team("ny", "America/New_York", coaching_group="g"), staff=staff)
        assert found.roster is not None
        group = Group(id="g", name="G", kind=AudienceKind.COACHING_GROUP)
        return attrs.evolve(found, roster=attrs.evolve(found.roster, groups=(group,)))

    def test_a_leader_outside_their_hours(self) -> None:
        """A coach in Honolulu leading a 13:00 ET session starts at 07:00 their time."""
        coach = Staff(id="kai", name="Kai", timezone=Zone("Pacific/Honolulu"))
        (problem,) = hours_problems(self.led("13:00", coach))
        assert "07:00-09:00 for coach kai (Pacific/Honolulu)" in problem.problem
        assert problem.problem.endswith("outside their working hours 09:00-17:00")
        assert "give it to another coach" in problem.change

    def test_a_blackout_date(self) -> None:
        """A session on a staff member's blackout date is flagged."""
        away = _staff("amara", blackout=frozenset({dt.date(2023, 7, 19)}))
        (problem,) = hours_problems(self.led("13:00", away))
        assert problem.problem.endswith("one of their blackout dates")
        assert "take 2023-07-19 out of amara's blackout" in problem.change

    def test_a_day_off(self) -> None:
        """A staff member who works Monday and Tuesday cannot lead on a Wednesday."""
        part_time = _staff("bo", role=StaffRole.FACULTY, working_days=frozenset({0, 1}))
        (problem,) = hours_problems(self.led("13:00", part_time))
        assert "for faculty bo" in problem.problem
        assert problem.problem.endswith("a Wednesday, not one of their working days")
        assert "add Wednesday to bo's working_days" in problem.change

    def test_a_leader_inside_their_day(self) -> None:
        """A New York coach at 13:00 ET on a working Wednesday is fine."""
        assert hours_problems(self.led("13:00", _staff("amara"))) == []


class TestWhoAnEventIsFor:
    """Which teams an event is for follows its target."""

    ROSTER = Roster(
        programme="p",
        teams=(
            Team(id="t1", name="T1", cohort="c", coaching_group="g1", timezone=NEW_YORK),
            Team(id="t2", name="T2", cohort="c", coaching_group="g2", timezone=NEW_YORK),
            Team(id="t3", name="T3", cohort="d", timezone=NEW_YORK),
        ),
        people=(
            Person(id="ann", name="Ann", team="t1", affinity_group="a"),
            Person(id="bo", name="Bo", team="t2", role=Role.ALTERNATE_SENIOR_LEADER),
            Person(id="cy", name="Cy", team="t3", role=Role.SENIOR_LEADER, affinity_group="a"),
        ),
        groups=(),
    )

    @pytest.mark.parametrize(
        ("kind", "key", "teams"),
        [
            (AudienceKind.PROGRAMME, "p", ("t1", "t2", "t3")),
            (AudienceKind.COHORT, "c", ("t1", "t2")),
            (AudienceKind.SENIOR_LEADERS, "c", ("t2",)),
            (AudienceKind.COACHING_GROUP, "g1", ("t1",)),
            (AudienceKind.AFFINITY_GROUP, "a", ("t1", "t3")),
            (AudienceKind.TEAM, "t3", ("t3",)),
            (AudienceKind.PERSON, "bo", ("t2",)),
            (AudienceKind.STAFF, "kai", ()),
        ],
    )
    def test_teams_of_each_kind(self, kind: AudienceKind, key: str, teams: tuple[str, ...]) -> None:
        assert Attendees(self.ROSTER).team_ids(Target(kind=kind, key=key)) == teams


# Zones whose offsets from UTC differ, change on different dates, or never change.
ZONES = (
    "America/New_York",
    "America/Phoenix",
    "Pacific/Honolulu",
    "America/Anchorage",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
)


def _event(target: Target, span: Timed | AllDay) -> Event:
    """An event for ``target`` over ``span``, with nothing else of note."""
    return Event(
        uid="u",
        programme="p",
        cohort="c",
        activity="a",
        target=target,
        month=None,
        summary="S",
        span=span,
        revised=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
    )


def _expected_outside(
    start: dt.datetime, minutes: int, zone: str, hours: tuple[int, int], away: dt.date | None
) -> bool:
    """Whether the session is outside the day, worked out with zoneinfo alone."""
    first = start.astimezone(ZoneInfo(zone))
    last = (start + dt.timedelta(minutes=minutes)).astimezone(ZoneInfo(zone))
    begin = first.hour * 60 + first.minute
    finish = (last.date() - first.date()).days * 1440 + last.hour * 60 + last.minute
    return first.weekday() >= 5 or first.date() == away or begin < hours[0] or finish > hours[1]


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2024, 12, 31)).map(
        lambda moment: moment.replace(second=0, microsecond=0, tzinfo=dt.UTC)
    ),
    minutes=st.integers(15, 600),
    hours=st.tuples(st.integers(0, 23 * 60), st.integers(1, 24 * 60)).filter(lambda h: h[0] < h[1]),
    away=st.none() | st.dates(min_value=dt.date(2022, 12, 31), max_value=dt.date(2025, 1, 1)),
)
def test_a_problem_exactly_when_outside_the_day(
    zone: str, start: dt.datetime, minutes: int, hours: tuple[int, int], away: dt.date | None
) -> None:
    """For any zone and start, a problem is reported iff the local times leave the day."""
    working = WorkingHours(start=hours[0], end=hours[1])
    roster = Roster(
        teams=(
            Team(
                id="t",
                name="T",
                cohort="c",
                timezone=Zone(zone),
                working_hours=working,
                unavailable=frozenset({away}) if away else frozenset(),
            ),
        ),
        people=(),
        groups=(),
    )
    span = Timed(start=start, end=start + dt.timedelta(minutes=minutes), zone=NEW_YORK)
    event = _event(Target(kind=AudienceKind.TEAM, key="t"), span)
    found = list(out_of_hours(roster, [event]))
    assert bool(found) == _expected_outside(start, minutes, zone, hours, away)


class TestReport:
    def test_figures_per_team_zone(self) -> None:
        """Each team zone: its teams, the sessions checked, local starts and ends, outside."""
        found = programme(
            call("11:00", (JANUARY, JULY), duration="1h"),
            team("az", "America/Phoenix"),
            team("ny-1", "America/New_York"),
            team("ny-2", "America/New_York"),
        )
        report = working_hours_report(found)
        assert report is not None
        new_york, phoenix = report.zones
        assert (phoenix.zone, phoenix.teams, phoenix.sessions) == ("America/Phoenix", 1, 2)
        # January 09:00-10:00, July 08:00-09:00 in Phoenix.
        assert (phoenix.earliest_start, phoenix.latest_start) == (8 * 60, 9 * 60)
        assert (phoenix.earliest_end, phoenix.latest_end) == (9 * 60, 10 * 60)
        assert phoenix.outside == 1
        assert (new_york.teams, new_york.sessions, new_york.outside) == (2, 2, 0)
        assert report.lines() == (
            "zone              teams  sessions  starts       ends         outside hours",
            "America/New_York      2         2  11:00-11:00  12:00-12:00              0",
            "America/Phoenix       1         2  08:00-09:00  09:00-10:00              1",
        )

    def test_unchecked_sessions_are_not_counted(self) -> None:
        """An in-person session is not checked, so it is not counted either."""
        found = programme(
            attrs.evolve(call("13:00"), in_person=(JULY,)), team("ny", "America/New_York")
        )
        report = working_hours_report(found)
        assert report is not None
        (zone,) = report.zones
        assert (zone.teams, zone.sessions, zone.earliest_start) == (1, 0, None)
        assert report.lines()[1].split() == ["America/New_York", "1", "0", "-", "-", "0"]


def test_a_session_across_midnight_is_shown_with_its_day() -> None:
    """A late session that ends after local midnight says so (+1), not 01:00 before 23:00."""
    found = programme(call("23:00", duration="2h"), team("ny", "America/New_York"))
    (problem,) = hours_problems(found)
    assert "23:00-01:00+1 for team ny" in problem.problem


def test_an_all_day_event_is_no_session() -> None:
    """out_of_hours passes over all-day events whatever their target."""
    roster = Roster(teams=(team("hi", "Pacific/Honolulu"),), people=(), groups=())
    span = AllDay(start=dt.date(2023, 7, 19), end=dt.date(2023, 7, 20))
    event = _event(Target(kind=AudienceKind.COHORT, key="c"), span)
    assert list(out_of_hours(roster, [event])) == []
