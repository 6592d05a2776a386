"""The independent checker of solved schedules catches every kind of broken constraint.

One small programme (four teams from New York to Honolulu, two coaching groups
of two, three coaches, a fixed all-team call on the second Tuesday at 14:00
Eastern) and one valid solve of it; each test breaks that solve in one way,
by hand, and expects the checker to name the break.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from pe_schedule import NthWeekday, Programme, Team, Zone
from pe_schedule._internal.model.activity import Grouping
from pe_schedule._internal.model.availability import WorkingHours
from pe_schedule._internal.model.roster import Staff, StaffRole
from pe_schedule._internal.model.solved import Solved, SolvedGroup, SolvedSession
from pe_schedule._internal.model.timing import Choices
from tests.scheduling import (
    HALF_2024,
    MONTHS,
    NEW_YORK,
    TUESDAY,
    WEDNESDAY,
    all_team_call,
    coaching,
    one_cohort,
)
from tests.solve_checker import bookings, calendar_slot_violations, violations

REF = "c/coaching"


def _team(team_id: str, zone: str, **extra: object) -> Team:
    return Team(id=team_id, name=team_id, cohort="c", timezone=Zone(zone), **extra)  # type: ignore[arg-type]


def _coach(staff_id: str, zone: str = "America/New_York", **extra: object) -> Staff:
    extra.setdefault("leads", (REF,))
    return Staff(id=staff_id, name=staff_id, timezone=Zone(zone), **extra)  # type: ignore[arg-type]


def programme(*, teams: tuple[Team, ...] = (), staff: tuple[Staff, ...] = ()) -> Programme:
    """The small programme, with ``teams`` or ``staff`` in place of the usual ones."""
    choices = Choices(
        days=(TUESDAY, WEDNESDAY), starts=(dt.time(12), dt.time(13), dt.time(14), dt.time(15))
    )
    return one_cohort(
        (
            coaching(Grouping(smallest=2, largest=2, prefix="g"), choices),
            all_team_call(TUESDAY, dt.time(14)),
        ),
        teams
        or (
            _team("t1", "America/New_York"),
            _team("t2", "America/New_York"),
            _team("t3", "America/Los_Angeles"),
            _team("t4", "Pacific/Honolulu"),
        ),
        window=HALF_2024,
        staff=staff
        or (
            _coach("c1", max_per_day=1, assigned=("g-1",)),
            _coach("c2", "America/Los_Angeles", only=("g-2",)),
            _coach("c3"),
            Staff(id="f1", name="f1", role=StaffRole.FACULTY, timezone=NEW_YORK),
        ),
    )


def group(group_id: str, *teams: str, pinned: bool = False) -> SolvedGroup:
    return SolvedGroup(activity=REF, id=group_id, name=group_id, teams=teams, pinned=pinned)


def session(
    group_id: str, day: NthWeekday, hour: int, coach: str | None, *, pinned: bool = False
) -> SolvedSession:
    return SolvedSession(
        activity=REF, session=group_id, day=day, start=dt.time(hour), coach=coach, pinned=pinned
    )


#: A valid solve: the East Coast pair on Tuesday noon with c1; the western pair on
#: Wednesday at 15:00 Eastern (09:00 or 10:00 in Honolulu) with c2.
GOOD = Solved(
    groups=(group("g-1", "t1", "t2"), group("g-2", "t3", "t4")),
    sessions=(session("g-1", TUESDAY, 12, "c1"), session("g-2", WEDNESDAY, 15, "c2")),
)


def with_sessions(*sessions: SolvedSession) -> Solved:
    return attrs.evolve(GOOD, sessions=sessions)


def only_problem(solved: Solved, expected: str, *, given: Programme | None = None) -> None:
    """``solved`` breaks constraints, and one message says ``expected``."""
    found = violations(given or programme(), solved)
    assert found, "the checker found nothing wrong"
    assert any(expected in line for line in found), found


def test_a_valid_solve_has_no_violations() -> None:
    assert violations(programme(), GOOD) == []


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ((group("g-1", "t1", "t2"), group("g-2", "t3")), "team t4 is in 0 groups"),
        (
            (group("g-1", "t1", "t2"), group("g-2", "t3", "t4"), group("g-3", "t4", "t1")),
            "team t4 is in 2 groups",
        ),
        ((group("g-1", "t1", "t2", "t3"), group("g-2", "t4")), "group g-1 has 3 teams, not 2-2"),
        ((group("g-1", "t1", "t2"), group("g-2", "t3", "x9")), "x9 is in a group but is no team"),
    ],
    ids=["team-left-out", "team-twice", "group-too-big", "stranger"],
)
def test_every_team_is_in_exactly_one_group_of_an_allowed_size(
    groups: tuple[SolvedGroup, ...], expected: str
) -> None:
    only_problem(attrs.evolve(GOOD, groups=groups), expected)


def test_a_grouping_with_a_count_gets_that_many_groups() -> None:
    given = programme()
    cohort = given.cohorts[0]
    activity = cohort.activities[0]
    assert activity.grouping is not None
    counted = attrs.evolve(activity, grouping=attrs.evolve(activity.grouping, count=3))
    given = attrs.evolve(
        given, cohorts=(attrs.evolve(cohort, activities=(counted, cohort.activities[1])),)
    )
    only_problem(GOOD, "2 groups, not the 3 asked for", given=given)


def test_every_session_is_decided_on_one_of_its_choices() -> None:
    half_past = attrs.evolve(GOOD.sessions[0], start=dt.time(12, 30))
    only_problem(with_sessions(half_past, GOOD.sessions[1]), "not one of the choices")


def test_every_session_is_decided() -> None:
    undecided = with_sessions(GOOD.sessions[0])
    only_problem(undecided, "session g-2 is decided 0 times")
    only_problem(
        undecided, "c/coaching g-2 on 2024-02-13 17:00 UTC is on the calendar but was never decided"
    )


def test_the_calendar_shows_each_session_on_its_decided_slot() -> None:
    # The calendar drawn from GOOD, read against a solve that put g-2 on Tuesday.
    calendar = bookings(programme(), GOOD)
    other = with_sessions(GOOD.sessions[0], session("g-2", TUESDAY, 15, "c2"))
    assert calendar_slot_violations(programme(), GOOD, calendar) == []
    assert calendar_slot_violations(programme(), other, calendar) == [
        f"{REF} g-2 on {day} {utc} UTC is at {day} 15:00 local, not on the decided second Tuesday 15:00"
        for day, utc in (("2024-02-14", "20:00"), ("2024-04-10", "19:00"))
    ]


def test_every_session_is_decided_once() -> None:
    twice = with_sessions(*GOOD.sessions, session("g-2", TUESDAY, 15, "c2"))
    only_problem(twice, "session g-2 is decided 2 times")
    only_problem(twice, "the solve cannot be applied to the programme")


def test_a_session_must_fit_each_member_teams_working_hours() -> None:
    # Noon Eastern is 07:00 (or 06:00) in Honolulu.
    early = with_sessions(GOOD.sessions[0], session("g-2", WEDNESDAY, 12, "c2"))
    only_problem(early, "team t4: 2024-02-14 07:00-08:00 Pacific/Honolulu is outside working hours")


def test_hours_are_checked_on_each_date_in_its_own_zone() -> None:
    # 14:00 Eastern is 09:00 in Honolulu in February but 08:00 in April (Hawaii keeps no DST).
    found = violations(
        programme(), with_sessions(GOOD.sessions[0], session("g-2", WEDNESDAY, 14, "c2"))
    )
    assert found == [
        (
            f"{REF} g-2 on 2024-04-10 18:00 UTC: team t4: 2024-04-10 08:00-09:00 Pacific/Honolulu "
            "is outside working hours 09:00-17:00"
        )
    ]


def test_a_team_with_its_own_hours_is_held_to_them() -> None:
    late = _team("t2", "America/New_York", working_hours=WorkingHours.parse("13:00-17:00"))
    teams = (_team("t1", "America/New_York"), late, _team("t3", "America/Los_Angeles"),
             _team("t4", "Pacific/Honolulu"))  # fmt: skip
    only_problem(GOOD, "team t2: 2024-02-13 12:00-13:00 America/New_York is outside working hours 13:00-17:00",
                 given=programme(teams=teams))  # fmt: skip


def test_a_session_must_fit_its_coachs_working_hours() -> None:
    staff = (
        _coach("c1"),
        _coach("c2", "America/Los_Angeles", working_hours=WorkingHours.parse("13:00-17:00")),
    )
    only_problem(GOOD, "coach c2: 2024-02-14 12:00-13:00 America/Los_Angeles is outside working hours",
                 given=programme(staff=staff))  # fmt: skip


def test_a_session_must_fall_on_its_coachs_working_day() -> None:
    staff = (_coach("c1"), _coach("c2", "America/Los_Angeles", working_days=frozenset({0, 1})))
    only_problem(GOOD, "coach c2: 2024-02-14 12:00-13:00 America/Los_Angeles is a Wednesday, not a working day",
                 given=programme(staff=staff))  # fmt: skip


def test_a_session_must_fall_on_the_rosters_working_days_for_teams() -> None:
    given = programme()
    assert given.roster is not None
    roster = attrs.evolve(given.roster, working_days=frozenset({0, 1, 3, 4}))
    only_problem(GOOD, "team t3: 2024-02-14 12:00-13:00 America/Los_Angeles is a Wednesday",
                 given=attrs.evolve(given, roster=roster))  # fmt: skip


def test_a_session_never_falls_on_a_teams_day_away() -> None:
    away = _team("t3", "America/Los_Angeles", unavailable=frozenset({dt.date(2024, 4, 10)}))
    teams = (_team("t1", "America/New_York"), _team("t2", "America/New_York"), away,
             _team("t4", "Pacific/Honolulu"))  # fmt: skip
    only_problem(GOOD, "team t3: 2024-04-10 12:00-13:00 America/Los_Angeles is a day away",
                 given=programme(teams=teams))  # fmt: skip


def test_a_session_never_falls_on_its_coachs_blackout() -> None:
    staff = (
        _coach("c1"),
        _coach("c2", "America/Los_Angeles", blackout=frozenset({dt.date(2024, 2, 14)})),
    )
    only_problem(GOOD, "coach c2: 2024-02-14 12:00-13:00 America/Los_Angeles is a day away",
                 given=programme(staff=staff))  # fmt: skip


def test_no_team_is_in_a_session_and_a_fixed_call_at_once() -> None:
    clash = with_sessions(session("g-1", TUESDAY, 14, "c1"), GOOD.sessions[1])
    only_problem(
        clash, "team t1: c/all-team cohort on 2024-02-13 19:00 UTC overlaps c/coaching g-1"
    )


def test_no_coach_leads_two_sessions_at_once() -> None:
    staff = (_coach("c1"), _coach("c2"))
    both = with_sessions(session("g-1", WEDNESDAY, 15, "c1"), session("g-2", WEDNESDAY, 15, "c1"))
    only_problem(both, "coach c1: c/coaching g-1 on 2024-02-14 20:00 UTC overlaps c/coaching g-2",
                 given=programme(staff=staff))  # fmt: skip


def test_no_coach_leads_more_in_a_day_than_their_cap() -> None:
    staff = (_coach("c1", max_per_day=1), _coach("c2"))
    two = with_sessions(session("g-1", TUESDAY, 12, "c1"), session("g-2", TUESDAY, 15, "c1"))
    only_problem(
        two, "coach c1: 2 sessions on 2024-02-13, more than 1", given=programme(staff=staff)
    )


def test_the_cap_counts_days_on_the_coachs_own_clock() -> None:
    # 15:00 and 16:00 in Honolulu are 01:00 and 02:00 the next day in Kiritimati (UTC+14).
    staff = (_coach("c1", "Pacific/Kiritimati", max_per_day=1, working_hours=WorkingHours.parse("00:00-24:00"),
                    working_days=frozenset(range(7))), _coach("c2"))  # fmt: skip
    late = with_sessions(session("g-1", TUESDAY, 12, "c1"), session("g-2", WEDNESDAY, 15, "c1"))
    assert violations(programme(staff=staff), late) == []
    # Tuesday 12:00 and 13:00 Eastern are both Wednesday 07:00 and 08:00 in Kiritimati.
    both = with_sessions(session("g-1", TUESDAY, 12, "c1"), session("g-2", TUESDAY, 15, "c1"))
    assert any(
        "2 sessions on 2024-02-14" in line for line in violations(programme(staff=staff), both)
    )


def test_a_coach_leads_only_activities_they_lead() -> None:
    faculty = with_sessions(GOOD.sessions[0], session("g-2", WEDNESDAY, 15, "f1"))
    only_problem(faculty, "session g-2 is led by f1, who does not lead c/coaching")


def test_a_coach_with_only_leads_only_those_sessions() -> None:
    staff = (_coach("c1"), _coach("c2", "America/Los_Angeles", only=("g-2",)))
    wrong = with_sessions(session("g-1", TUESDAY, 12, "c2"), session("g-2", WEDNESDAY, 15, "c1"))
    only_problem(
        wrong, "session g-1 is led by c2, who leads only g-2", given=programme(staff=staff)
    )


def test_an_assigned_session_is_led_by_its_coach() -> None:
    swapped = with_sessions(session("g-1", TUESDAY, 12, "c3"), GOOD.sessions[1])
    only_problem(swapped, "session g-1 is assigned to c1 but led by c3")


def test_a_session_staff_lead_has_a_coach() -> None:
    nobody = with_sessions(GOOD.sessions[0], session("g-2", WEDNESDAY, 15, None))
    only_problem(nobody, "session g-2 has no coach")


def test_a_coach_is_on_the_staff_list() -> None:
    stranger = with_sessions(GOOD.sessions[0], session("g-2", WEDNESDAY, 15, "zed"))
    only_problem(stranger, "led by zed, who is on no staff list")


def test_pinned_decisions_of_the_previous_solve_stay_as_they_were() -> None:
    previous = Solved(
        groups=(group("g-1", "t1", "t2", pinned=True), group("g-2", "t3", "t4")),
        sessions=(session("g-1", TUESDAY, 13, "c1", pinned=True), GOOD.sessions[1]),
    )
    found = violations(programme(), GOOD, previous)
    assert found == [f"{REF}: pinned session g-1 changed"]
    regrouped = attrs.evolve(
        previous, groups=(group("g-1", "t1", "t3", pinned=True), group("g-2", "t2", "t4"))
    )
    assert f"{REF}: pinned group g-1 changed" in violations(programme(), GOOD, regrouped)
    # Unpinned decisions may change freely.
    assert violations(programme(), GOOD, attrs.evolve(previous, sessions=GOOD.sessions)) == []


def test_an_in_person_session_keeps_its_venues_hours_not_each_teams() -> None:
    # Noon Eastern is 07:00 in Honolulu, but the teams travel to the venue that day.
    given = programme()
    cohort = given.cohorts[0]
    met = attrs.evolve(cohort.activities[0], in_person=MONTHS, in_person_location="Boston, MA")
    given = attrs.evolve(
        given, cohorts=(attrs.evolve(cohort, activities=(met, cohort.activities[1])),)
    )
    early = with_sessions(GOOD.sessions[0], session("g-2", WEDNESDAY, 12, "c2"))
    assert violations(given, early) == []
