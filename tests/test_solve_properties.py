"""Properties of the scheduler, checked on random small rosters by an independent checker.

Each example is a cohort of 6 to 15 teams from Hawaii to Maine (random zones,
attributes and working hours, a few days away), one to three coaches with
random working days, hours and daily caps, a group-coaching activity in two
months on each side of the spring DST change whose groups, slots and coaches
are left to the solver (two or three days times a window of start times), and
sometimes a fixed all-team call in the same months. Whatever the solver
returns must pass tests/solve_checker.py; when it finds nothing it must say
what conflicts.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pe_schedule import NthWeekday, Programme, Team, Zone
from pe_schedule._internal.model.activity import Grouping
from pe_schedule._internal.model.availability import WorkingHours
from pe_schedule._internal.model.roster import Staff
from pe_schedule._internal.model.solved import Solved
from pe_schedule._internal.model.timing import Choices
from pe_schedule.exceptions import Unsolvable
from tests.scheduling import HALF_2024, all_team_call, coaching, one_cohort
from tests.solve_checker import violations

solve_module = pytest.importorskip("pe_schedule._internal.solve")
solve = solve_module.solve
solved_toml = solve_module.solved_toml
verify = solve_module.verify

#: Hawaii to Maine.
ZONES = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
)
HOURS = ("09:00-17:00", "08:00-16:00", "10:00-18:00", "07:00-15:00")
DAYS = tuple(NthWeekday.parse(f"second {day}") for day in ("Tuesday", "Wednesday", "Thursday"))
REF = "c/coaching"
#: A little effort: enough for these sizes, and the whole file stays well under a minute.
EFFORT = 0.05


@st.composite
def teams(draw: st.DrawFn) -> tuple[Team, ...]:
    """6 to 15 teams in random zones, with random attributes, hours and a rare day away."""
    count = draw(st.integers(6, 15))
    return tuple(
        Team(
            id=f"t{number:02d}",
            name=f"Team {number}",
            cohort="c",
            timezone=Zone(draw(st.sampled_from(ZONES[2:]) | st.sampled_from(ZONES))),
            attributes=(
                ("region", draw(st.sampled_from(("east", "central", "west")))),
                ("size", draw(st.sampled_from(("small", "large")))),
            ),
            working_hours=draw(st.none() | st.sampled_from(HOURS).map(WorkingHours.parse)),
            unavailable=draw(
                st.frozensets(
                    st.sampled_from((dt.date(2024, 2, 14), dt.date(2024, 4, 9))), max_size=1
                )
                if number % 4 == 0
                else st.just(frozenset())
            ),
        )
        for number in range(1, count + 1)
    )


@st.composite
def coaches(draw: st.DrawFn) -> tuple[Staff, ...]:
    """One to three coaches with random zones, working days, hours and daily caps."""
    count = draw(st.integers(1, 3))
    return tuple(
        Staff(
            id=f"coach-{number}",
            name=f"Coach {number}",
            timezone=Zone(draw(st.sampled_from(ZONES[2:]))),
            working_hours=WorkingHours.parse(draw(st.sampled_from(HOURS))),
            working_days=draw(st.frozensets(st.integers(0, 4), min_size=2)),
            max_per_day=draw(st.none() | st.integers(1, 3)),
            leads=(REF,),
        )
        for number in range(1, count + 1)
    )


@st.composite
def choices(draw: st.DrawFn) -> Choices:
    """Two or three days times a window of half-hourly or hourly starts from 11:00 to 19:00 Eastern."""
    days = draw(st.lists(st.sampled_from(DAYS), min_size=2, max_size=3, unique=True))
    first = draw(st.integers(11 * 2, 14 * 2))
    length = draw(st.integers(2, 10))
    step = draw(st.sampled_from((1, 2)))
    halves = range(first, first + length + 1, step)
    starts = tuple(dt.time(half // 2, 30 * (half % 2)) for half in halves)
    return Choices(days=tuple(sorted(days, key=DAYS.index)), starts=starts)


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    """A small programme whose coaching groups, slots and coaches are left to the solver."""
    offered = draw(choices())
    sizes = draw(st.sampled_from(((2, 3), (3, 4))))
    grouping = Grouping(
        smallest=sizes[0],
        largest=sizes[1],
        similar=draw(st.sampled_from(((), ("region",)))),
        mixed=draw(st.sampled_from(((), ("size",)))),
        prefix="g",
    )
    activities = [coaching(grouping, offered)]
    if draw(st.booleans()):
        activities.append(all_team_call(DAYS[1], dt.time(15)))
    return one_cohort(activities, draw(teams()), window=HALF_2024, staff=draw(coaches()))


SOLVING = settings(
    deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow], database=None
)


def attempt(programme: Programme, previous: Solved | None = None) -> Any:
    """The solution of ``programme``, or the :class:`Unsolvable` saying why there is none."""
    try:
        return solve(programme, previous=previous, effort=EFFORT)
    except Unsolvable as error:
        return error


def _greedy() -> Any:
    """The benchmark's greedy first fit (benchmarks/ is no package: loaded from its file)."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "solve.py"
    spec = importlib.util.spec_from_file_location("solve_benchmark", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.greedy


greedy = _greedy()


def says_why(error: Unsolvable) -> bool:
    """Whether an unsolvable programme names what conflicts, in words."""
    return bool(error.conflicts) and all(isinstance(c, str) and c.strip() for c in error.conflicts)


@SOLVING
@given(programmes())
def test_a_solve_breaks_no_hard_constraint_or_says_what_conflicts(programme: Programme) -> None:
    result = attempt(programme)
    event("unsolvable" if isinstance(result, Unsolvable) else "solved")
    if isinstance(result, Unsolvable):
        assert says_why(result), "an unsolvable programme must name what conflicts"
        # Plausible: a first fit finds no valid schedule either (else one exists).
        assert violations(programme, greedy(programme)) != [], str(result)
    else:
        assert violations(programme, result.solved) == []


@settings(SOLVING, max_examples=10)
@given(programmes())
def test_the_same_input_gives_the_same_schedule(programme: Programme) -> None:
    first, second = attempt(programme), attempt(programme)
    if isinstance(first, Unsolvable):
        assert isinstance(second, Unsolvable)
        assert second.conflicts == first.conflicts
    else:
        assert solved_toml(programme, second) == solved_toml(programme, first)


def _pin_first(solved: Solved) -> Solved:
    """``solved`` with its first group and first session pinned."""
    groups = list(solved.groups)
    sessions = list(solved.sessions)
    if groups:
        groups[0] = attrs.evolve(groups[0], pinned=True)
    if sessions:
        sessions[0] = attrs.evolve(sessions[0], pinned=True)
    return Solved(groups=tuple(groups), sessions=tuple(sessions))


@settings(SOLVING, max_examples=10)
@given(programmes(), st.integers(0, 2), st.sampled_from(DAYS))
def test_pinned_decisions_survive_a_re_solve(
    programme: Programme, coach: int, lost: NthWeekday
) -> None:
    first = attempt(programme)
    if isinstance(first, Unsolvable):
        return
    previous = _pin_first(first.solved)
    # Nothing changed: the previous schedule itself fits, so a re-solve must succeed.
    same = attempt(programme, previous)
    assert not isinstance(same, Unsolvable), str(same)
    assert violations(programme, same.solved, previous) == []
    # One coach stops working on one of the offered days: the pins hold, or it says why not.
    changed = _without_day(programme, coach, lost.weekday)
    again = attempt(changed, previous)
    if isinstance(again, Unsolvable):
        assert says_why(again)
    else:
        assert violations(changed, again.solved, previous) == []


def _without_day(programme: Programme, coach: int, weekday: int) -> Programme:
    """``programme`` with coach number ``coach`` (modulo) no longer working on ``weekday``."""
    roster = programme.roster
    assert roster is not None
    staff = list(roster.staff)
    index = coach % len(staff)
    days = staff[index].working_days
    assert days is not None
    if days - {weekday}:
        staff[index] = attrs.evolve(staff[index], working_days=days - {weekday})
    return attrs.evolve(programme, roster=attrs.evolve(roster, staff=tuple(staff)))


@st.composite
def changed(draw: st.DrawFn, solved: Solved, programme: Programme) -> Solved:
    """``solved`` with one decision changed by hand: a session moved to another offered
    slot or handed to another coach, or a team moved to another group."""
    roster = programme.roster
    assert roster is not None
    activity = programme.cohorts[0].activities[0]
    assert activity.timing is not None
    assert activity.timing.choices is not None
    sessions, groups = list(solved.sessions), list(solved.groups)
    what = draw(st.sampled_from(("slot", "coach", "team")))
    if what == "team" and len(groups) > 1:
        source, target = draw(
            st.lists(st.sampled_from(range(len(groups))), min_size=2, max_size=2, unique=True)
        )
        team = draw(st.sampled_from(groups[source].teams))
        groups[source] = attrs.evolve(
            groups[source], teams=tuple(t for t in groups[source].teams if t != team)
        )
        groups[target] = attrs.evolve(groups[target], teams=(*groups[target].teams, team))
    else:
        index = draw(st.sampled_from(range(len(sessions))))
        if what == "coach":
            coach = draw(st.sampled_from([m.id for m in roster.staff]))
            sessions[index] = attrs.evolve(sessions[index], coach=coach)
        else:
            day, start = draw(st.sampled_from(activity.timing.choices.slots()))
            sessions[index] = attrs.evolve(sessions[index], day=day, start=start)
    return Solved(groups=tuple(groups), sessions=tuple(sessions))


@settings(SOLVING, max_examples=20)
@given(programmes(), st.data())
def test_the_librarys_verify_agrees_with_the_independent_checker(
    programme: Programme, data: st.DataObject
) -> None:
    first = attempt(programme)
    if isinstance(first, Unsolvable):
        return
    assert verify(programme, first.solved) == ()
    edited = data.draw(changed(first.solved, programme))
    mine, theirs = violations(programme, edited), verify(programme, edited)
    assert bool(mine) == bool(theirs), f"checker: {mine}\nverify: {theirs}"
