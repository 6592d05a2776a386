"""Whether a solved schedule still satisfies its declaration and roster, in plain Python.

``pe-schedule solve --check`` exits 1 when :func:`verify` finds anything:
a decision missing or left over, a group too small or a team in two groups,
a slot not among the choices, a session outside the working day of a team or
its coach on an actual date, a coach who may not lead it or leads too many
sessions in a day, two sessions at once for one audience or coach. It needs
no solver: a reviewer's machine checks a solved file without OR-Tools.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

import attrs

from pe_schedule._internal.model.activity import Activity
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.model.solved import (
    Solved,
    SolvedGroup,
    SolvedSession,
    activity_ref,
    apply_solution,
)
from pe_schedule._internal.solve.facts import Facts, Unit
from pe_schedule._internal.solve.options import Meeting, Option


@attrs.frozen(kw_only=True)
class Decision:
    """What a solve decided for one unit: its slot and its coach."""

    unit: Unit
    option: Option
    coach: str | None = None


def grouped_activities(programme: Programme) -> Iterator[tuple[str, str, Activity]]:
    """Every activity whose coaching groups a solve forms: (ref, cohort, activity)."""
    for cohort in programme.cohorts:
        for activity in cohort.activities:
            if activity.grouping is not None:
                yield activity_ref(cohort.id, activity.id), cohort.id, activity


def with_groups(programme: Programme, groups: Sequence[SolvedGroup]) -> Programme:
    """``programme`` with ``groups`` as the coaching groups of the cohorts they are formed in.

    The roster's own coaching groups of a cohort whose groups a solve forms are
    dropped first: the solve's groups replace them.
    """
    roster = programme.roster
    if roster is None:
        return programme
    formed = {cohort for _, cohort, _ in grouped_activities(programme)}
    teams = tuple(
        attrs.evolve(team, coaching_group=None) if team.cohort in formed else team
        for team in roster.teams
    )
    cleared = attrs.evolve(programme, roster=attrs.evolve(roster, teams=teams))
    return apply_solution(cleared, Solved(groups=tuple(groups)))


def group_problems(programme: Programme, solved: Solved) -> Iterator[str]:
    """Every way ``solved``'s groups break the groupings the declaration asks for."""
    roster = programme.roster
    if roster is None:
        return
    refs = set()
    for ref, cohort, activity in grouped_activities(programme):
        refs.add(ref)
        grouping = activity.grouping
        assert grouping is not None
        groups = [g for g in solved.groups if g.activity == ref]
        teams = [t.id for t in roster.teams_of(cohort)]
        placed = Counter(team for group in groups for team in group.teams)
        for team in teams:
            if placed[team] == 0:
                yield f"{ref}: team {team} is in no coaching group"
            elif placed[team] > 1:
                yield f"{ref}: team {team} is in {placed[team]} coaching groups"
        for stray in sorted(set(placed) - set(teams)):
            yield f"{ref}: {stray} is in a coaching group but is no team of {cohort}"
        for group in groups:
            if len(group.teams) not in grouping.sizes:
                yield (
                    f"{ref}: {group.id} has {len(group.teams)} teams; groups have "
                    f"{grouping.smallest} to {grouping.largest}"
                )
        twice = sorted(gid for gid, n in Counter(g.id for g in groups).items() if n > 1)
        yield from (f"{ref}: two groups are both {gid}" for gid in twice)
        if grouping.count is not None and len(groups) != grouping.count:
            yield f"{ref}: there are {len(groups)} coaching groups; the declaration asks for {grouping.count}"
    for group in solved.groups:
        if group.activity not in refs:
            yield f"{group.activity}: group {group.id} is for an activity that forms no groups"


def decisions(facts: Facts, solved: Solved) -> tuple[list[Decision], list[str]]:
    """Each unit's decision in ``solved``, and every decision missing, stray or malformed."""
    found: list[Decision] = []
    problems: list[str] = []
    for unit in facts.units:
        entry = solved.session(unit.ref, unit.session)
        if entry is None and unit.decides:
            problems.append(f"{unit.label} is not decided yet")
            continue
        decision, wrong = _decision(facts, unit, entry)
        problems += wrong
        if decision is not None:
            found.append(decision)
    seen = Counter(s.key for s in solved.sessions)
    for entry in solved.sessions:
        named = facts.unit(entry.activity, entry.session)
        if named is None or not named.decides:
            session = entry.session or "the whole cohort"
            problems.append(
                f"{entry.activity} for {session} is decided but is no session to decide"
            )
        elif seen[entry.key] > 1:
            problems.append(f"{named.label} is decided {seen[entry.key]} times")
            seen[entry.key] = 1
    return found, problems


def _decision(
    facts: Facts, unit: Unit, entry: SolvedSession | None
) -> tuple[Decision | None, list[str]]:
    if entry is None:
        return (Decision(unit=unit, option=unit.options[0]) if unit.options else None), []
    option = Option(day=entry.day, start=entry.start)
    problems = []
    if option not in unit.options:
        offered = "the choices" if unit.open else "the slot the declaration gives it"
        problems.append(f"{unit.label} is on {option}, which is not among {offered}")
    problems += _coach_problems(facts, unit, entry.coach)
    return Decision(unit=unit, option=option, coach=entry.coach), problems


def _coach_problems(facts: Facts, unit: Unit, coach: str | None) -> list[str]:
    if coach is None:
        return [f"{unit.label} has no coach, though staff lead {unit.ref}"] if unit.led else []
    member = facts.member(coach)
    if member is None:
        return [f"{unit.label} is led by {coach}, who is on no staff list"]
    if coach not in unit.leaders:
        return [f"{unit.label} is led by {coach}, who may not lead it"]
    if unit.assigned and coach not in unit.assigned:
        return [f"{unit.label} is assigned to {', '.join(unit.assigned)} but led by {coach}"]
    return []


def slot_problems(facts: Facts, decision: Decision) -> Iterator[str]:
    """Why the decided slot and coach do not suit the session's teams and coach."""
    unit, option = decision.unit, decision.option
    placement = facts.placement(unit, option)
    for problem in placement.problems:
        yield f"{unit.label} on {option}: {problem}"
    for team in unit.teams:
        reason = facts.conflict(facts.team(team), unit, option)
        if reason is not None:
            yield f"{unit.label} on {option}: {reason} for team {team} ({facts.team(team).zone})"
    found = facts.blocked(unit.target, placement)
    if found is not None:
        yield f"{unit.label} on {option} overlaps {found[1]}"
    coach = decision.coach
    if coach is not None and facts.member(coach) is not None:
        reason = facts.conflict(facts.staff(coach), unit, option)
        if reason is not None:
            yield f"{unit.label} on {option}: {reason} for coach {coach} ({facts.staff(coach).zone})"
        clash = facts.staff_blocked(coach, placement)
        if clash is not None:
            yield f"{unit.label} on {option} overlaps {clash[1]}, which coach {coach} leads"


def _booked(facts: Facts, chosen: Iterable[Decision]) -> list[tuple[Meeting, Decision]]:
    return [
        (meeting, decision)
        for decision in chosen
        for meeting in facts.placement(decision.unit, decision.option).meetings
    ]


def _clashes(who: str, booked: list[tuple[Meeting, Decision]]) -> Iterator[str]:
    booked = sorted(booked, key=lambda item: (item[0].first, item[0].last, item[1].unit.key))
    reported: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    for index, (meeting, decision) in enumerate(booked):
        for later, other in booked[index + 1 :]:
            if later.first >= meeting.last:
                break
            pair = (decision.unit.key, other.unit.key)
            if pair[0] != pair[1] and pair not in reported:
                reported.add(pair)
                yield (
                    f"{decision.unit.label} ({decision.option}) and {other.unit.label} "
                    f"({other.option}) are at once for {who} on {meeting.start:%Y-%m-%d}"
                )


def overlap_problems(facts: Facts, chosen: Sequence[Decision]) -> Iterator[str]:
    """Two decided sessions at once for one audience or one coach."""
    by_target: dict[object, list[Decision]] = {}
    for decision in chosen:
        by_target.setdefault(decision.unit.target, []).append(decision)
    seen: set[frozenset[tuple[str, str]]] = set()
    for targets in facts.audience_sets:
        mine = [d for t in sorted(targets & by_target.keys(), key=str) for d in by_target[t]]
        keys = frozenset(d.unit.key for d in mine)
        if len(mine) > 1 and keys not in seen:
            seen.add(keys)
            who = ", ".join(sorted(str(t) for t in targets if t in by_target))
            yield from _clashes(who, _booked(facts, mine))
    coaches = sorted({d.coach for d in chosen if d.coach is not None})
    for coach in coaches:
        yield from _clashes(
            f"coach {coach}", _booked(facts, [d for d in chosen if d.coach == coach])
        )


def cap_problems(facts: Facts, chosen: Sequence[Decision]) -> Iterator[str]:
    """A coach leading more sessions on one of their days than their ``max_per_day``."""
    for member in facts.roster.staff:
        if member.max_per_day is None:
            continue
        mine = [d for d in chosen if d.coach == member.id]
        days = Counter(
            facts.staff(member.id).local(meeting.start).date()
            for meeting, _ in _booked(facts, mine)
        )
        for day, count in sorted(days.items()):
            if count > member.max_per_day:
                yield (
                    f"coach {member.id} leads {count} sessions on {day.isoformat()}; "
                    f"at most {member.max_per_day} a day"
                )


def verify(programme: Programme, solved: Solved) -> tuple[str, ...]:
    """Every reason ``solved`` no longer satisfies ``programme`` (as declared) and its roster.

    Returns:
        One line per problem, in a programme manager's words; empty when the
        solved schedule is valid.
    """
    if programme.roster is None:
        return ("the programme has no roster: there is nothing to schedule",)
    found = list(group_problems(programme, solved))
    facts = Facts(with_groups(programme, solved.groups))
    chosen, wrong = decisions(facts, solved)
    found += wrong
    for decision in chosen:
        found += slot_problems(facts, decision)
    found += overlap_problems(facts, chosen)
    found += cap_problems(facts, chosen)
    return tuple(found)


__all__ = [
    "Decision",
    "cap_problems",
    "decisions",
    "group_problems",
    "grouped_activities",
    "overlap_problems",
    "slot_problems",
    "verify",
    "with_groups",
]
