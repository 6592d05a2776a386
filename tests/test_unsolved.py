"""Unsolved decisions: choices no solve has settled, coaching groups still to be formed."""

from __future__ import annotations

import attrs

from pe_schedule import (
    Activity,
    AudienceKind,
    Group,
    NthWeekday,
    Programme,
    SanityKind,
    SanityProblem,
    Session,
    Team,
    Timing,
    YearMonth,
    sanity_problems,
)
from pe_schedule._internal.model.activity import Grouping
from pe_schedule._internal.model.solved import Solved, SolvedSession, apply_solution
from pe_schedule._internal.model.timing import Choices, parse_duration, parse_time
from tests.scheduling import NEW_YORK, one_cohort

TUESDAY, THURSDAY = NthWeekday.parse("second Tuesday"), NthWeekday.parse("second Thursday")
CHOICES = Choices(days=(TUESDAY, THURSDAY), starts=(parse_time("12:00"), parse_time("14:00")))


def open_activity(audience: AudienceKind, *sessions: Session) -> Activity:
    """Calls in March 2023 whose day and start a solve picks from :data:`CHOICES`."""
    return Activity(
        id="calls",
        name="Calls",
        months=(YearMonth(2023, 3),),
        audience=audience,
        timing=Timing(
            day=TUESDAY,
            start=parse_time("12:00"),
            duration=parse_duration("1h"),
            choices=CHOICES,
            sessions=sessions,
        ),
    )


def programme(activity: Activity, *, grouped: bool = True) -> Programme:
    """One cohort of two teams, each in its coaching group unless ``grouped`` is false."""
    teams = (
        Team(
            id=f"t{n}",
            name=f"T{n}",
            cohort="c",
            coaching_group=f"g{n}" if grouped else None,
            timezone=NEW_YORK,
        )
        for n in (1, 2)
    )
    groups = tuple(
        Group(id=f"g{n}", name=f"G{n}", kind=AudienceKind.COACHING_GROUP) for n in (1, 2)
    )
    return one_cohort((activity,), teams, groups=groups, source="p.toml")


def unsolved(found: Programme) -> list[SanityProblem]:
    return [p for p in sanity_problems(found) if p.kind is SanityKind.UNSOLVED]


class TestCohortWide:
    def test_choices_without_a_solve_are_reported(self) -> None:
        """An all-team call whose slot is still a choice names what to run."""
        (problem,) = unsolved(programme(open_activity(AudienceKind.COHORT)))
        assert (problem.cohort, problem.activity, problem.date) == ("c", "calls", None)
        assert (
            problem.problem == "Calls is not decided yet: its day and start time are still choices"
        )
        assert "run `pe-schedule solve p.toml`" in problem.change

    def test_a_solved_call_is_decided(self) -> None:
        """Once a solve decided the call, its choices are gone and nothing is reported."""
        decided = SolvedSession(
            activity="c/calls", session=None, day=THURSDAY, start=CHOICES.starts[1]
        )
        found = apply_solution(
            programme(open_activity(AudienceKind.COHORT)), Solved(sessions=(decided,))
        )
        assert unsolved(found) == []


class TestFannedOut:
    def test_each_session_without_a_slot_is_named(self) -> None:
        """A coaching group no solve gave a slot keeps the activity undecided."""
        (problem,) = unsolved(programme(open_activity(AudienceKind.COACHING_GROUP)))
        assert problem.problem == "Calls is not decided yet: 2 sessions without a slot (g1, g2)"

    def test_a_partly_solved_activity(self) -> None:
        """A session solved, another not (a group added since the solve): the other is named."""
        decided = SolvedSession(
            activity="c/calls", session="g1", day=THURSDAY, start=CHOICES.starts[0]
        )
        found = apply_solution(
            programme(open_activity(AudienceKind.COACHING_GROUP)), Solved(sessions=(decided,))
        )
        (problem,) = unsolved(found)
        assert problem.problem.endswith("1 session without a slot (g2)")

    def test_every_session_solved(self) -> None:
        sessions = tuple(
            SolvedSession(activity="c/calls", session=g, day=THURSDAY, start=CHOICES.starts[0])
            for g in ("g1", "g2")
        )
        found = apply_solution(
            programme(open_activity(AudienceKind.COACHING_GROUP)), Solved(sessions=sessions)
        )
        assert unsolved(found) == []


class TestGrouping:
    GROUPING = Grouping(smallest=1, largest=2)

    def test_teams_without_a_coaching_group(self) -> None:
        """Groups the scheduler forms, with teams not yet in one, are undecided."""
        activity = attrs.evolve(open_activity(AudienceKind.COACHING_GROUP), timing=None)
        found = programme(attrs.evolve(activity, grouping=self.GROUPING), grouped=False)
        (problem,) = unsolved(found)
        assert problem.problem == (
            "Calls is not decided yet: 2 teams without a coaching group (t1, t2)"
        )

    def test_grouped_teams_are_decided(self) -> None:
        activity = attrs.evolve(open_activity(AudienceKind.COACHING_GROUP), timing=None)
        assert unsolved(programme(attrs.evolve(activity, grouping=self.GROUPING))) == []


def test_a_timing_without_choices_is_decided() -> None:
    """A slot written by hand needs no solve."""
    activity = open_activity(AudienceKind.COHORT)
    assert activity.timing is not None
    fixed = attrs.evolve(activity, timing=attrs.evolve(activity.timing, choices=None))
    assert unsolved(programme(fixed)) == []
