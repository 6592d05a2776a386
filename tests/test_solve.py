"""``solve``: groups, coaches and slots decided, kept on a re-solve, explained when impossible.

One small network throughout: four teams from New York to Honolulu in two
regions, grouped in pairs of the same region; group coaching on the second
Tuesday or Wednesday between noon and 15:00 Eastern (one hour) in February
and April; a fixed all-team call on the second Tuesday at 14:00 Eastern; two
coaches. Every solution is checked twice: by ``verify`` and by the
independent checker of tests/solve_checker.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pe_schedule import Programme, Timed, YearMonth, events, load
from pe_schedule._internal.declaration.solved import read_solved
from pe_schedule._internal.model.solved import Solved, SolvedGroup, SolvedSession
from pe_schedule.exceptions import SolverUnavailable, Unsolvable
from tests.scheduling import COACHING, NETWORK, TUESDAY, WEDNESDAY, roster, write_declaration
from tests.solve_checker import violations

solve_module = pytest.importorskip("pe_schedule._internal.solve")
solve = solve_module.solve
solved_toml = solve_module.solved_toml
verify = solve_module.verify

REF = "network/coaching"

#: The network's programme over the first half of 2024.
HEAD = NETWORK.replace(
    'first_month = "2023-01"\nlast_month = "2023-12"',
    'first_month = "2024-01"\nlast_month = "2024-06"',
)

#: A call for the whole network on the second Tuesday at 14:00 Eastern, one hour.
CALL = """\
[[cohorts.activities]]
id = "all-team"
name = "All-team call"
months = [2, 4]

[cohorts.activities.timing]
day = "second Tuesday"
start = "14:00"
duration = "1h"
"""

DECLARATION = HEAD + CALL + "\n" + COACHING

#: (id, zone, region, extra roster lines)
TEAMS = (
    ("t1", "America/New_York", "East", ""),
    ("t2", "America/New_York", "East", ""),
    ("t3", "America/Los_Angeles", "West", ""),
    ("t4", "Pacific/Honolulu", "West", ""),
)
#: A fifth team, in Chicago, of the East region.
T5 = ("t5", "America/Chicago", "East", "")

COACHES = """\
[[staff]]
id = "c1"
name = "Coach One"
timezone = "America/New_York"
max_per_day = 1
leads = ["network/coaching"]

[[staff]]
id = "c2"
name = "Coach Two"
timezone = "America/Los_Angeles"
leads = ["network/coaching"]
"""


def programme(
    tmp_path: Path,
    *,
    teams: tuple[tuple[str, str, str, str], ...] = TEAMS,
    staff: str = COACHES,
    declaration: str = DECLARATION,
) -> Programme:
    """The network as declared (no solved file applied), with the given roster."""
    return load(write_declaration(tmp_path, declaration, roster(staff, teams)), solved=False)


def valid(given: Programme, solved: Solved, previous: Solved | None = None) -> None:
    """``solved`` satisfies ``given``, by verify and by the independent checker."""
    assert verify(given, solved) == ()
    assert violations(given, solved, previous) == []


def solved_validly(given: Programme) -> Solved:
    """A fresh solve of ``given``, checked by :func:`valid`."""
    solved: Solved = solve(given).solved
    valid(given, solved)
    return solved


def groups_of(solved: Solved) -> dict[str, tuple[str, ...]]:
    return {group.id: group.teams for group in solved.groups}


def edited(solved: Solved, only: str | None = None, **changes: Any) -> Solved:
    """``solved`` with ``changes`` made by hand to every session, or to session ``only``."""
    sessions = tuple(
        attrs.evolve(s, **changes) if only is None or s.session == only else s
        for s in solved.sessions
    )
    return attrs.evolve(solved, sessions=sessions)


def why_not(given: Programme, previous: Solved | None = None) -> Unsolvable:
    """What :class:`Unsolvable` a solve of ``given`` from ``previous`` raises."""
    with pytest.raises(Unsolvable) as raised:
        solve(given, previous)
    return raised.value


#: Pairs of mixed regions: not what a fresh solve forms, though each pair shares a slot.
MIXED = (
    SolvedGroup(activity=REF, id="g-1", name="Group 1", teams=("t1", "t3")),
    SolvedGroup(activity=REF, id="g-2", name="Group 2", teams=("t2", "t4")),
)


class TestSolve:
    def test_a_small_network_is_solved_and_the_solution_verifies(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        solution = solve(given)
        valid(given, solution.solved)
        # Pairs of one region; numbered in roster order of their first team.
        assert groups_of(solution.solved) == {"g-1": ("t1", "t2"), "g-2": ("t3", "t4")}
        assert [s.session for s in solution.solved.sessions] == ["g-1", "g-2"]
        assert all(s.coach in ("c1", "c2") for s in solution.solved.sessions)
        assert solution.moved == ()

    def test_the_summary_gives_make_up_local_times_and_load(self, tmp_path: Path) -> None:
        summary = "\n".join(solve(programme(tmp_path)).summary)
        assert "g-2 (2 teams): region West 2 (similar)" in summary
        assert "t4 " in summary
        assert "(Pacific/Honolulu)" in summary
        assert "coach c1 leads" in summary

    def test_sessions_avoid_the_fixed_call_and_the_edges_of_the_day(self, tmp_path: Path) -> None:
        solved = solve(programme(tmp_path)).solved
        for session in solved.sessions:
            assert (session.day, session.start.hour) != (TUESDAY, 14)
        # Honolulu's day starts at 14:00 Eastern in winter: the western pair meets late.
        west = solved.session(REF, "g-2")
        assert west is not None
        assert west.start.hour >= 14

    def test_sessions_avoid_a_call_the_cohort_shares(self, tmp_path: Path) -> None:
        """The same call, declared once for the network and another cohort, is just as
        much in the way of every network team."""
        shared = CALL.replace("[[cohorts.activities]]", "[[activities]]").replace(
            "[cohorts.activities.timing]", "[activities.timing]"
        )
        shared = shared.replace(
            "months = [2, 4]", 'cohorts = ["network", "other"]\nmonths = [2, 4]'
        )
        other = '\n[[cohorts]]\nid = "other"\nname = "Other"\n\n[[cohorts.activities]]\n'
        other += 'id = "x"\nname = "X"\nmonths = [1]\n\n'
        given = programme(tmp_path, declaration=HEAD + COACHING + other + shared)
        assert [a.id for a in given.shared] == ["all-team"]
        solved = solved_validly(given)
        for session in solved.sessions:
            assert (session.day, session.start.hour) != (TUESDAY, 14)
        # Moved onto the call by hand, a session is refused.
        clash = edited(solved, only="g-1", day=TUESDAY, start=dt.time(14))
        assert any("overlaps All-team call" in problem for problem in verify(given, clash))

    def test_the_same_input_gives_the_same_bytes(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        first = solved_toml(given, solve(given))
        assert solved_toml(given, solve(given)) == first
        assert solved_toml(given, solve(given).solved) == first

    def test_the_same_input_gives_the_same_bytes_in_another_process(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        here = solved_toml(given, solve(given))
        script = (
            "import sys\n"
            "from pe_schedule import load\n"
            "from pe_schedule._internal.solve import solve, solved_toml\n"
            "p = load(sys.argv[1], solved=False)\n"
            "sys.stdout.write(solved_toml(p, solve(p)))\n"
        )
        # Another hash seed: nothing may depend on the order of a set or dict of strings.
        environment = {**os.environ, "PYTHONHASHSEED": "12345"}
        there = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "demo.toml")],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        ).stdout
        assert there == here

    def test_the_solved_file_reads_back_as_the_same_decisions(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        solution = solve(given)
        path = tmp_path / "demo.solved.toml"
        path.write_text(solved_toml(given, solution), encoding="utf-8")
        assert read_solved(path) == solution.solved
        # And load() folds it in: the decisions are data every command reads.
        assert load(tmp_path / "demo.toml").roster is not None

    def test_the_solved_file_says_why_in_comments(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        text = solved_toml(given, solve(given))
        assert text.startswith("# The solved schedule of Demo (demo), generated by `pe-schedule")
        assert "set `pinned = true`" in text.lower()
        assert "# why: region East 2 (similar); zones America/New_York 2" in text
        assert "# local times: t1, t2 " in text


#: A cohort-wide call whose slot is open, and one-to-one coaching per team with a coach.
WIDE = (
    HEAD
    + CALL.replace(
        'day = "second Tuesday"\nstart = "14:00"',
        'day = ["second Tuesday"]\nstart = { from = "11:00", to = "16:00", every = "1h" }',
    )
    + """
[[cohorts.activities]]
id = "one-to-one"
name = "One-to-one coaching"
months = [2, 4]
audience = "team"

[cohorts.activities.timing]
day = ["second Tuesday", "second Wednesday"]
start = { from = "11:00", to = "16:00", every = "1h" }
duration = "1h"

[cohorts.activities.timing.sessions]
t4 = { duration = "90m" }
"""
)

ONE_COACH = """\
[[staff]]
id = "c1"
name = "Coach One"
timezone = "America/Chicago"
max_per_day = 3
leads = ["network/one-to-one"]
"""


class TestKindsOfSession:
    def test_a_cohort_wide_call_gets_one_slot_inside_every_teams_day(self, tmp_path: Path) -> None:
        solved = solved_validly(programme(tmp_path, staff=ONE_COACH, declaration=WIDE))
        call = solved.session("network/all-team", None)
        assert call is not None
        # Honolulu's day starts at 14:00 Eastern in winter, New York's ends at 17:00.
        assert call.start in (dt.time(14), dt.time(15), dt.time(16))
        assert call.coach is None

    def test_team_sessions_get_a_coach_and_keep_their_own_duration(self, tmp_path: Path) -> None:
        given = programme(tmp_path, staff=ONE_COACH, declaration=WIDE)
        solved = solved_validly(given)
        ones = [s for s in solved.sessions if s.activity == "network/one-to-one"]
        assert [s.session for s in ones] == ["t1", "t2", "t3", "t4"]
        assert {s.coach for s in ones} == {"c1"}
        path = tmp_path / "demo.solved.toml"
        path.write_text(solved_toml(given, solved), encoding="utf-8")
        (event,) = [
            e
            for e in events(load(tmp_path / "demo.toml"), activity="one-to-one", team="t4")
            if e.month == YearMonth(2024, 2)
        ]
        assert isinstance(event.span, Timed)
        assert event.span.end - event.span.start == dt.timedelta(minutes=90)
        assert event.leaders == ("c1",)

    def test_a_fixed_timing_with_coaches_gets_only_its_coaches(self, tmp_path: Path) -> None:
        fixed = WIDE.replace(
            'day = ["second Tuesday", "second Wednesday"]\n'
            'start = { from = "11:00", to = "16:00", every = "1h" }',
            'day = "second Wednesday"\nstart = "13:00"',
        ).replace(
            't4 = { duration = "90m" }',
            't1 = { day = "second Tuesday", start = "11:00" }\n'
            't2 = { start = "12:00" }\n'
            't4 = { start = "15:00", duration = "90m" }',
        )
        solved = solved_validly(programme(tmp_path, staff=ONE_COACH, declaration=fixed))
        ones = {s.session: s for s in solved.sessions if s.activity == "network/one-to-one"}
        assert {s.coach for s in ones.values()} == {"c1"}
        assert [(ones[t].day, ones[t].start) for t in ("t1", "t2", "t3", "t4")] == [
            (TUESDAY, dt.time(11)),
            (WEDNESDAY, dt.time(12)),
            (WEDNESDAY, dt.time(13)),
            (WEDNESDAY, dt.time(15)),
        ]

    def test_a_grouping_without_a_timing_forms_groups_only(self, tmp_path: Path) -> None:
        untimed = DECLARATION.split("[cohorts.activities.timing]\nday = [")[0]
        solved = solved_validly(programme(tmp_path, declaration=untimed, staff=""))
        assert groups_of(solved) == {"g-1": ("t1", "t2"), "g-2": ("t3", "t4")}
        assert solved.sessions == ()

    def test_a_programme_with_nothing_open_has_nothing_to_decide(self, tmp_path: Path) -> None:
        settled = DECLARATION.split('[[cohorts.activities]]\nid = "coaching"')[0]
        given = programme(tmp_path, declaration=settled, staff="")
        assert solve(given).solved == Solved()
        assert verify(given, Solved()) == ()


def single(tmp_path: Path, months: str, days: str, starts: str, policy: str) -> Programme:
    """One call in ``months`` of 2024 on ``days`` at ``starts`` (holidays: ``policy``), for one
    team, in Phoenix."""
    declaration = HEAD.replace('last_month = "2024-06"', 'last_month = "2024-12"') + (
        f'[[cohorts.activities]]\nid = "call"\nname = "Call"\nmonths = {months}\n\n'
        f"[cohorts.activities.timing]\nday = {days}\nstart = {starts}\n"
        f'duration = "1h"\nholidays = "{policy}"\n'
    )
    phoenix = (("t1", "America/Phoenix", "West", ""),)
    return programme(tmp_path, teams=phoenix, staff="", declaration=declaration)


class TestActualDates:
    def test_a_slot_that_fits_in_january_but_not_in_july_is_not_chosen(
        self, tmp_path: Path
    ) -> None:
        # 11:00 Eastern is 09:00 in Phoenix in January but 08:00 in July (no DST there).
        given = single(tmp_path, "[1, 7]", '["second Tuesday"]', '["11:00", "12:00"]', "flag")
        (call,) = solved_validly(given).sessions
        assert call.start == dt.time(12)
        # In January alone 11:00 fits: July is what rules it out.
        winter = single(tmp_path, "[1]", '["second Tuesday"]', '["11:00"]', "flag")
        assert solve(winter).solved.sessions[0].start == dt.time(11)
        with pytest.raises(Unsolvable, match="before working hours"):
            solve(single(tmp_path, "[1, 7]", '["second Tuesday"]', '["11:00"]', "flag"))

    def test_a_slot_on_a_holiday_is_not_chosen_when_the_policy_flags_it(
        self, tmp_path: Path
    ) -> None:
        # The first Thursday of July 2024 is Independence Day.
        days = '["first Thursday", "first Friday"]'
        given = single(tmp_path, "[7]", days, '["12:00"]', "flag")
        (call,) = solve(given).solved.sessions
        assert str(call.day) == "first Friday"
        shifted = single(tmp_path, "[7]", '["first Thursday"]', '["12:00"]', "shift")
        (moved,) = solve(shifted).solved.sessions
        assert str(moved.day) == "first Thursday"  # shifted a week on, to 2024-07-11
        with pytest.raises(Unsolvable, match="Independence Day"):
            solve(single(tmp_path, "[7]", '["first Thursday"]', '["12:00"]', "flag"))


class TestResolve:
    def test_pinned_entries_survive_a_resolve(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        # Pinned by hand: an odd grouping and a session at noon with coach c2.
        previous = Solved(
            groups=(attrs.evolve(MIXED[0], pinned=True), MIXED[1]),
            sessions=(
                SolvedSession(
                    activity=REF,
                    session="g-1",
                    day=WEDNESDAY,
                    start=dt.time(12),
                    coach="c2",
                    pinned=True,
                ),
            ),
        )
        again = solve(given, previous).solved
        valid(given, again, previous)
        assert groups_of(again)["g-1"] == ("t1", "t3")
        assert again.groups[0].pinned
        kept = again.session(REF, "g-1")
        assert kept == previous.sessions[0]

    def test_a_resolve_after_a_small_change_moves_little_and_says_what(
        self, tmp_path: Path
    ) -> None:
        first = solve(programme(tmp_path)).solved
        east = first.session(REF, "g-1")
        assert east is not None
        # The eastern pair's coach no longer works on the day it meets.
        day = "Tuesday" if east.day == TUESDAY else "Wednesday"
        other = "Wednesday" if day == "Tuesday" else "Tuesday"
        lines = COACHES.split("\n\n")
        changed = [
            block + f'\nworking_days = ["Monday", "{other}", "Thursday", "Friday"]'
            if f'id = "{east.coach}"' in block
            else block
            for block in lines
        ]
        given = programme(tmp_path, staff="\n\n".join(changed) + "\n")
        solution = solve(given, first)
        valid(given, solution.solved)
        assert groups_of(solution.solved) == groups_of(first)
        west_before, west_after = first.session(REF, "g-2"), solution.solved.session(REF, "g-2")
        assert west_before == west_after
        assert len(solution.moved) in (1, 2)
        assert all("network/coaching for g-1" in line for line in solution.moved)

    def test_a_resolve_keeps_a_previous_grouping_that_still_holds(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        solution = solve(given, Solved(groups=MIXED))
        valid(given, solution.solved)
        assert groups_of(solution.solved) == {"g-1": ("t1", "t3"), "g-2": ("t2", "t4")}
        assert not any("moved from g-" in line for line in solution.moved)

    def test_a_grouping_that_no_longer_holds_changes_as_little_as_it_can(
        self, tmp_path: Path
    ) -> None:
        declaration = DECLARATION.replace("sizes = [2, 2]", "sizes = [2, 3]")
        five = (*TEAMS, T5)
        first = solve(programme(tmp_path, teams=five, declaration=declaration)).solved
        # A team leaves: its group is now too small, so one team must join it.
        alone = next(g for g in first.groups if len(g.teams) == 2)
        leaving = alone.teams[0]
        rest = tuple(team for team in five if team[0] != leaving)
        given = programme(tmp_path, teams=rest, declaration=declaration)
        solution = solve(given, first)
        valid(given, solution.solved)
        assert [line for line in solution.moved if "moved from g-" in line] != []
        assert len([line for line in solution.moved if line.startswith("team ")]) == 2
        assert f"team {leaving} left {alone.id} ({REF})" in solution.moved

    def test_a_resolve_of_an_unchanged_programme_moves_nothing(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        first = solve(given).solved
        solution = solve(given, first)
        assert solution.solved == first
        assert solution.moved == ()

    def test_a_new_team_joins_a_group_and_says_so(self, tmp_path: Path) -> None:
        first = solve(programme(tmp_path)).solved
        more = (*TEAMS, T5, ("t6", "America/Denver", "West", ""))
        given = programme(tmp_path, teams=more)
        solution = solve(given, first)
        valid(given, solution.solved)
        assert groups_of(solution.solved)["g-1"] == ("t1", "t2")
        assert any("team t5 joined" in line for line in solution.moved)


class TestExplanations:
    def test_teams_that_no_group_sizes_can_split(self, tmp_path: Path) -> None:
        five = (*TEAMS, T5)
        unsolvable = why_not(programme(tmp_path, teams=five))
        assert unsolvable.conflicts == (
            "network/coaching has 5 teams to form into groups of 2 teams",
        )
        assert unsolvable.relaxations == (
            "allow groups of 2 to 3 teams",
            "allow groups of 1 to 2 teams",
        )

    def test_a_group_whose_teams_share_no_hour(self, tmp_path: Path) -> None:
        # One group of all four: New York mornings only, and Honolulu (from 14:00 Eastern).
        early = (("t1", "America/New_York", "East", 'working_hours = "08:00-13:00"\n'), *TEAMS[1:])
        declaration = DECLARATION.replace("sizes = [2, 2]", "sizes = [4, 4]")
        unsolvable = why_not(programme(tmp_path, teams=early, declaration=declaration))
        text = str(unsolvable)
        assert "team t1 (America/New_York, 08:00-13:00)" in text
        assert "team t4 (Pacific/Honolulu, 09:00-17:00)" in text
        assert "t2" not in text  # New York's usual day is no part of the conflict
        assert any("widen the working hours of t1" in r for r in unsolvable.relaxations)

    def test_a_coach_who_works_on_none_of_the_days(self, tmp_path: Path) -> None:
        monday = COACHES.replace(
            "max_per_day = 1\n", 'max_per_day = 1\nworking_days = ["Monday"]\n'
        )
        monday = monday.replace('id = "c2"', 'id = "c2"\nworking_days = ["Monday"]')
        unsolvable = why_not(programme(tmp_path, staff=monday))
        text = str(unsolvable)
        assert "Monday only" in text
        assert "none of them works at any of those slots" in text
        assert any("working days" in r for r in unsolvable.relaxations)

    def test_a_coach_with_a_group_and_teams_who_share_no_hour(self, tmp_path: Path) -> None:
        # g-1's coach works Mondays only and is the only one who may lead it.
        staff = COACHES.replace("max_per_day = 1\n", 'max_per_day = 1\nonly = ["g-1"]\n')
        staff = staff.replace('id = "c2"', 'id = "c2"\nonly = ["g-2"]')
        staff = staff.replace('only = ["g-1"]\n', 'only = ["g-1"]\nworking_days = ["Thursday"]\n')
        unsolvable = why_not(programme(tmp_path, staff=staff))
        text = str(unsolvable)
        assert "network/coaching for g-1" in text
        assert "Coach One (coach c1; America/New_York, 09:00-17:00, Thursday only)" in text
        assert any("let another coach lead" in r for r in unsolvable.relaxations)

    def test_a_daily_cap_too_low_for_the_sessions_of_a_day(self, tmp_path: Path) -> None:
        # Tuesdays only, one coach who leads one session a day: two groups cannot both meet.
        declaration = DECLARATION.replace(
            'day = ["second Tuesday", "second Wednesday"]', 'day = ["second Tuesday"]'
        )
        staff = COACHES.split("\n\n")[0] + "\n"
        unsolvable = why_not(programme(tmp_path, staff=staff, declaration=declaration))
        assert unsolvable.conflicts == (
            (
                "in Feb 2024, 2 sessions need a coach each: network/coaching for g-1, "
                "network/coaching for g-2"
            ),
            (
                "Coach One (coach c1; America/New_York, 09:00-17:00) may lead them only on "
                "2024-02-13, at most 1 session a day"
            ),
        )
        assert str(unsolvable).startswith("the coaches can lead at most 1 of these 2 sessions")
        assert unsolvable.relaxations[0] == "raise the max_per_day of c1"

    def test_pinned_sessions_that_contradict_each_other(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        first = solve(given).solved
        # Both sessions pinned to the same hour with the same coach: each fits on its own.
        same = edited(first, day=WEDNESDAY, start=dt.time(15), coach="c2", pinned=True)
        unsolvable = why_not(given, same)
        assert sorted(unsolvable.conflicts) == [
            "network/coaching for g-1 is pinned to second Wednesday 15:00 with coach c2",
            "network/coaching for g-2 is pinned to second Wednesday 15:00 with coach c2",
        ]
        assert "unpin network/coaching for g-1 in the solved file" in unsolvable.relaxations

    def test_a_pinned_session_outside_a_teams_day(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        first = solve(given).solved
        early = edited(first, "g-2", day=WEDNESDAY, start=dt.time(12), pinned=True)
        assert why_not(given, early).conflicts == (
            (
                "network/coaching for g-2 is pinned to second Wednesday 12:00, outside the "
                "working day of team t4 (Pacific/Honolulu, 09:00-17:00)"
            ),
        )

    def test_a_pinned_group_that_no_longer_fits(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        pinned = Solved(
            groups=(SolvedGroup(activity=REF, id="g-1", name="G", teams=("t1",), pinned=True),)
        )
        assert why_not(given, pinned).conflicts == (
            "pinned group g-1 has 1 team; groups of 2 teams are asked for",
        )


def test_a_conflicting_set_is_shrunk_to_a_minimal_one() -> None:
    from pe_schedule._internal.solve.cpsat import new_model
    from pe_schedule._internal.solve.explain import conflicting

    model = new_model()
    x = model.new_bool_var("x")
    guards = {(kind, "g"): model.new_bool_var(kind) for kind in ("a", "b", "c", "d")}
    model.add(x == 1).only_enforce_if(guards["a", "g"])
    model.add(x == 0).only_enforce_if(guards["c", "g"])
    model.add(x <= 1).only_enforce_if(guards["b", "g"])  # true anyway: no part of a conflict
    model.add(x >= 0).only_enforce_if(guards["d", "g"])
    assert conflicting(model, guards, 2.0) == ([("a", "g"), ("c", "g")], "INFEASIBLE")
    model.add(x == 0)  # now "a" alone conflicts with what cannot be relaxed
    assert conflicting(model, guards, 2.0)[0] == [("a", "g")]


class _Recorder:
    """Stands in for a CP-SAT model: records the at-most-one sets it is given."""

    def __init__(self) -> None:
        self.sets: list[set[int]] = []

    def add_at_most_one(self, literals: Iterable[int]) -> None:
        self.sets.append(set(literals))


@settings(max_examples=60, deadline=None)
@given(
    spans=st.lists(
        st.tuples(st.integers(0, 40), st.integers(1, 10), st.integers(0, 3)), max_size=12
    )
)
def test_one_constraint_per_start_forbids_exactly_the_overlapping_pairs(
    spans: list[tuple[int, int, int]],
) -> None:
    from pe_schedule._internal.solve.cpsat import at_most_one_at_a_time

    timed = [(first, first + length, owner, n) for n, (first, length, owner) in enumerate(spans)]
    recorder = _Recorder()
    literals = {n: n for n in range(len(timed))}
    at_most_one_at_a_time(recorder, timed, literals, set())  # type: ignore[arg-type]
    for a, b in itertools.combinations(timed, 2):
        overlap = a[0] < b[1] and b[0] < a[1]
        together = any({a[3], b[3]} <= chosen for chosen in recorder.sets)
        if a[2] != b[2]:
            # Two sessions' overlapping spans are never both allowed; nothing else is forbidden.
            assert together == overlap
        else:
            assert overlap or not together


class TestVerify:
    def test_a_valid_solve_has_nothing_to_say(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        assert verify(given, solve(given).solved) == ()

    def test_nothing_decided_is_reported_per_team_and_session(self, tmp_path: Path) -> None:
        found = verify(programme(tmp_path), Solved())
        assert "network/coaching: team t1 is in no coaching group" in found

    def test_a_slot_outside_a_teams_day_is_reported_with_its_date(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        solved = solve(given).solved
        found = verify(given, edited(solved, "g-2", day=WEDNESDAY, start=dt.time(12)))
        assert (
            "network/coaching for g-2 on second Wednesday 12:00: on 2024-02-14 it starts 07:00 "
            "local, before working hours 09:00-17:00 for team t4 (Pacific/Honolulu)"
        ) in found

    def test_a_slot_not_among_the_choices_and_a_coach_over_the_cap(self, tmp_path: Path) -> None:
        given = programme(tmp_path)
        solved = solve(given).solved
        both = edited(solved, day=WEDNESDAY, start=dt.time(16), coach="c1")
        found = verify(given, edited(both, "g-1", start=dt.time(15)))
        assert (
            "network/coaching for g-2 is on second Wednesday 16:00, which is not among the choices"
            in found
        )
        assert "coach c1 leads 2 sessions on 2024-02-14; at most 1 a day" in found


def test_importing_pe_schedule_does_not_import_the_solver() -> None:
    code = "import sys, pe_schedule, pe_schedule._internal.solve; print('ortools' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_without_the_solver_solve_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = programme(tmp_path)
    monkeypatch.setitem(sys.modules, "ortools.sat.python.cp_model", None)
    with pytest.raises(SolverUnavailable, match=r"pip install 'pe-schedule\[solve\]'"):
        solve(given)
    # verify needs no solver.
    assert verify(given, Solved()) != ()
