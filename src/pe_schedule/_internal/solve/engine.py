"""``solve``: the decisions a declaration leaves open, made by CP-SAT and returned as data.

Stage one forms the coaching groups of each grouped activity (``groups``);
stage two decides every session's slot and coach at once (``sessions``). A
previous solve steers both: its pinned entries are kept as they are, and
every other decision it made is kept unless keeping it costs a hard
requirement (each change weighs more than any preference). When no schedule
exists, :class:`~pe_schedule.exceptions.Unsolvable` names the smallest set of
conflicting requirements found, and what would relax it (``explain``).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.model.solved import Solved, SolvedGroup, SolvedSession
from pe_schedule._internal.solve import explain
from pe_schedule._internal.solve.capacity import shortfalls
from pe_schedule._internal.solve.cpsat import cp_model
from pe_schedule._internal.solve.describe import natural
from pe_schedule._internal.solve.facts import Facts
from pe_schedule._internal.solve.greedy import first_fit
from pe_schedule._internal.solve.groups import NoGroupingError, form_groups
from pe_schedule._internal.solve.pool import build_pool
from pe_schedule._internal.solve.report import moved_lines, summary_lines
from pe_schedule._internal.solve.sessions import Sessions
from pe_schedule._internal.solve.verify import (
    Decision,
    cap_problems,
    grouped_activities,
    overlap_problems,
    slot_problems,
    with_groups,
)
from pe_schedule.exceptions import PeScheduleError

#: Deterministic time (the solver's own count of work, a second or two of search on a
#: typical machine) per grouped activity and for the sessions, at effort 1.
WORK_GROUPS = 6.0
WORK_SESSIONS = 5.0


@attrs.frozen(kw_only=True)
class Solution:
    """What a solve decided, what moved since the previous solve, and a summary."""

    #: The decisions: groups by number, sessions by activity and session.
    solved: Solved
    #: One line per change from the previous solve; empty without one.
    moved: tuple[str, ...] = ()
    #: Each group's make-up, zones and local times; each coach's load.
    summary: tuple[str, ...] = ()


def _groups(programme: Programme, previous: Solved, effort: float) -> tuple[SolvedGroup, ...]:
    refs = [ref for ref, _, _ in grouped_activities(programme)]
    if not refs:
        return ()
    facts = Facts(with_groups(programme, ()))
    formed: list[SolvedGroup] = []
    for ref in refs:
        pool = build_pool(facts, ref, previous.groups)
        explain.check_pool(facts, pool)
        try:
            formed += form_groups(pool, WORK_GROUPS * effort)
        except NoGroupingError:
            raise explain.groups_unsolvable(facts, pool, WORK_GROUPS * effort) from None
    return tuple(formed)


def _session(decision: Decision, previous: Solved) -> SolvedSession:
    unit = decision.unit
    before = previous.session(unit.ref, unit.session)
    return SolvedSession(
        activity=unit.ref,
        session=unit.session,
        day=decision.option.day,
        start=decision.option.start,
        coach=decision.coach,
        pinned=before is not None and before.pinned,
    )


def _decide(model: Sessions, work: float) -> tuple[list[Decision], str, bool]:
    """The model's decisions, its status, and whether they are a valid schedule."""
    model.seed(first_fit(model))
    chosen, status = model.solve(work)
    found = status in ("OPTIMAL", "FEASIBLE") or (
        status == "FIRST_FIT" and not _broken(model.facts, chosen)
    )
    return chosen, status, found


def _sessions(facts: Facts, previous: Solved, effort: float) -> tuple[SolvedSession, ...]:
    explain.check_units(facts, previous)
    model = Sessions(facts, previous)
    allowed = {u: [c.number for c in choices] for u, choices in model.allowed.items()}
    shortfall = next(shortfalls(facts, model.units, allowed), None)
    if shortfall is not None:
        raise explain.capacity_unsolvable(facts, shortfall)
    chosen, status, found = _decide(model, WORK_SESSIONS * effort)
    if not found and model.pruned:
        # The shortlists may have left out the only coaches who fit: try with every coach.
        chosen, status, found = _decide(
            Sessions(facts, previous, shortlists=False), WORK_SESSIONS * effort
        )
    if not found:
        raise explain.sessions_unsolvable(facts, previous, WORK_SESSIONS * effort, status)
    decided = [_session(d, previous) for d in chosen if d.unit.decides]
    return tuple(sorted(decided, key=lambda s: (natural(s.activity), natural(s.session or ""))))


def _broken(facts: Facts, chosen: list[Decision]) -> bool:
    """Whether the first-fit schedule breaks a requirement (it tracks teams, not audiences)."""
    problems = [p for d in chosen for p in slot_problems(facts, d)]
    return bool(
        problems or any(overlap_problems(facts, chosen)) or any(cap_problems(facts, chosen))
    )


def solve(
    programme: Programme,
    previous: Solved | None = None,
    *,
    effort: float = 1.0,
    stage: Callable[[str], None] | None = None,
) -> Solution:
    """Decide what ``programme`` (as declared, without a solve applied) leaves open.

    Args:
        programme: the declaration and its roster.
        previous: the solve to start from: its pinned entries never change,
            and as few of its other decisions as possible do.
        effort: scales the solver's (deterministic) work limit; 1 is the default.
        stage: told what the solve does next, as it starts each stage (for progress).

    Raises:
        Unsolvable: if no schedule satisfies the declaration and roster.
        SolverUnavailable: if OR-Tools is not installed.
    """
    cp_model()
    if programme.roster is None:
        raise PeScheduleError("pe-schedule solve needs a roster; declare one under [programme]")
    before = previous or Solved()
    tell = stage or (lambda _: None)
    tell("forming coaching groups")
    groups = _groups(programme, before, effort)
    facts = Facts(with_groups(programme, groups))
    tell("placing sessions and coaches")
    sessions = _sessions(facts, before, effort)
    solved = Solved(groups=groups, sessions=sessions)
    return Solution(
        solved=solved,
        moved=moved_lines(facts, previous, solved) if previous is not None else (),
        summary=summary_lines(facts, solved),
    )


__all__ = ["WORK_GROUPS", "WORK_SESSIONS", "Solution", "solve"]
