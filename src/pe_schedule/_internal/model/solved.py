"""The decisions a scheduler made: coaching groups, coaches and slots, as data.

``pe-schedule solve`` writes a :class:`Solved` to a TOML file beside the
declaration; loading the declaration reads it back and :func:`apply_solution`
folds it into the programme, so that expanding, building and checking use the
decisions as if they had been typed into the declaration by hand.

Activities are named ``cohort/activity``; a session is named by the group or
team it is for, or is ``None`` for an activity that happens once per month
for the whole cohort (an all-team call).
"""

from __future__ import annotations

import datetime as dt

import attrs

from pe_schedule._internal.model.activity import Activity
from pe_schedule._internal.model.audience import AudienceKind
from pe_schedule._internal.model.programme import Cohort, Programme
from pe_schedule._internal.model.roster import Group, Roster
from pe_schedule._internal.model.timing import DayRule, Session, Timing


def activity_ref(cohort: str, activity: str) -> str:
    """How a decision names an activity: ``cohort/activity``."""
    return f"{cohort}/{activity}"


@attrs.frozen(kw_only=True)
class SolvedGroup:
    """One coaching group the scheduler formed (or the office pinned)."""

    #: The activity whose grouping formed it, as ``cohort/activity``.
    activity: str
    id: str
    name: str
    #: Team ids, in roster order.
    teams: tuple[str, ...]
    #: A pinned group is never changed by a re-solve.
    pinned: bool = False


@attrs.frozen(kw_only=True)
class SolvedSession:
    """The slot (and coach) of one session of an activity, the same in every month."""

    activity: str
    #: The group or team id; ``None`` for a cohort-wide activity.
    session: str | None
    day: DayRule
    start: dt.time
    #: The staff id of the coach who leads it, if the activity has coaches.
    coach: str | None = None
    pinned: bool = False

    @property
    def key(self) -> tuple[str, str]:
        """What the decision is about, for matching one solve against another."""
        return (self.activity, self.session or "")


@attrs.frozen(kw_only=True)
class Solved:
    """Every decision of one solve."""

    groups: tuple[SolvedGroup, ...] = ()
    sessions: tuple[SolvedSession, ...] = ()

    def session(self, activity: str, session: str | None) -> SolvedSession | None:
        """The decision for ``session`` of ``activity``, if there is one."""
        for decided in self.sessions:
            if decided.activity == activity and decided.session == session:
                return decided
        return None


def apply_solution(programme: Programme, solved: Solved) -> Programme:
    """``programme`` with ``solved``'s groups in its roster and its slots in its timings.

    A decided cohort-wide activity loses its choices (its day and start are now
    the decided ones); a fanned-out activity keeps them, so that a session
    nobody decided yet (a team added since the solve) stays visible as open.
    Its decided sessions take their slot and coach from ``solved`` whether or
    not the timing has choices: an activity with a fixed time may still have
    its coaches decided.
    """
    cohorts = tuple(_apply_to_cohort(cohort, solved) for cohort in programme.cohorts)
    roster = programme.roster
    if roster is not None and solved.groups:
        roster = _apply_groups(roster, solved.groups)
    return attrs.evolve(programme, cohorts=cohorts, roster=roster)


def _apply_to_cohort(cohort: Cohort, solved: Solved) -> Cohort:
    activities = tuple(_apply_to_activity(cohort.id, a, solved) for a in cohort.activities)
    return attrs.evolve(cohort, activities=activities)


def _apply_to_activity(cohort: str, activity: Activity, solved: Solved) -> Activity:
    timing = activity.timing
    ref = activity_ref(cohort, activity.id)
    decided = [s for s in solved.sessions if s.activity == ref]
    if timing is None or not decided:
        return activity
    if not activity.audience.parallel:
        whole = next((s for s in decided if s.session is None), None)
        return activity if whole is None else attrs.evolve(activity, timing=_whole(timing, whole))
    return attrs.evolve(activity, timing=_with_sessions(timing, decided))


def _whole(timing: Timing, whole: SolvedSession) -> Timing:
    """``timing`` of an activity that meets all together, with its decided slot and coach."""
    leaders = (whole.coach,) if whole.coach else ()
    # A fixed timing has no slot to decide: the declaration's day and start stand.
    if timing.choices is None:
        return attrs.evolve(timing, leaders=leaders)
    return attrs.evolve(timing, day=whole.day, start=whole.start, choices=None, leaders=leaders)


def _with_sessions(timing: Timing, decided: list[SolvedSession]) -> Timing:
    keep = {s.session for s in decided}
    sessions = [s for s in timing.sessions if s.key not in keep]
    for s in decided:
        if s.session is None:
            continue
        # A session the declaration gives a duration or zone of its own keeps them.
        declared = timing.session(s.session) or Session(key=s.session)
        leaders = (s.coach,) if s.coach else ()
        sessions.append(attrs.evolve(declared, day=s.day, start=s.start, leaders=leaders))
    return attrs.evolve(timing, sessions=tuple(sessions))


def _apply_groups(roster: Roster, groups: tuple[SolvedGroup, ...]) -> Roster:
    group_of = {team: group.id for group in groups for team in group.teams}
    teams = tuple(
        attrs.evolve(team, coaching_group=group_of[team.id]) if team.id in group_of else team
        for team in roster.teams
    )
    known = {group.id for group in roster.groups}
    added = tuple(
        Group(id=group.id, name=group.name, kind=AudienceKind.COACHING_GROUP)
        for group in groups
        if group.id not in known
    )
    return attrs.evolve(roster, teams=teams, groups=roster.groups + added)


__all__ = ["Solved", "SolvedGroup", "SolvedSession", "activity_ref", "apply_solution"]
