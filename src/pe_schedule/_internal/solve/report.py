"""What a solve decided and what it changed, one line per fact, for the person who runs it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pe_schedule._internal.model.solved import Solved, SolvedSession
from pe_schedule._internal.solve.describe import local_times, makeup, natural, plural
from pe_schedule._internal.solve.facts import Facts
from pe_schedule._internal.solve.options import Option


def _option(entry: SolvedSession) -> Option:
    return Option(day=entry.day, start=entry.start)


def _label(entry: SolvedSession) -> str:
    return f"{entry.activity} for {entry.session}" if entry.session else entry.activity


def _group_moves(previous: Solved, solved: Solved) -> Iterator[str]:
    before = {(g.activity, t): g.id for g in previous.groups for t in g.teams}
    after = {(g.activity, t): g.id for g in solved.groups for t in g.teams}
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], natural(k[1]))):
        activity, team = key
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        if was is None:
            yield f"team {team} joined {now} ({activity})"
        elif now is None:
            yield f"team {team} left {was} ({activity})"
        else:
            yield f"team {team} moved from {was} to {now} ({activity})"


def _session_moves(previous: Solved, solved: Solved) -> Iterator[str]:
    before = {s.key: s for s in previous.sessions}
    after = {s.key: s for s in solved.sessions}
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], natural(k[1]))):
        was, now = before.get(key), after.get(key)
        if was is None and now is not None:
            yield f"{_label(now)} is new: {_option(now)}"
        elif now is None and was is not None:
            yield f"{_label(was)} is no longer scheduled"
        elif was is not None and now is not None:
            if _option(was) != _option(now):
                yield f"{_label(now)} moved from {_option(was)} to {_option(now)}"
            if was.coach != now.coach:
                yield f"coach of {_label(now)} changed from {was.coach or 'nobody'} to {now.coach or 'nobody'}"


def moved_lines(facts: Facts, previous: Solved, solved: Solved) -> tuple[str, ...]:
    """What changed from ``previous`` to ``solved``: teams between groups, slots, coaches."""
    return (*_group_moves(previous, solved), *_session_moves(previous, solved))


def summary_lines(facts: Facts, solved: Solved) -> tuple[str, ...]:
    """Each group's make-up against the criteria, its zones and each team's local time;
    each session's local times; each coach's load."""
    lines = []
    for group in solved.groups:
        _, activity = facts.activities[group.activity]
        assert activity.grouping is not None
        lines.append(
            f"{group.id} ({plural(len(group.teams), 'team')}): "
            f"{makeup(facts, activity.grouping, group.teams)}"
        )
    for entry in solved.sessions:
        unit = facts.unit(entry.activity, entry.session)
        if unit is None:
            continue
        times = local_times(facts, unit, _option(entry), entry.coach)
        lines.append(f"{_label(entry)} on {_option(entry)}: {times}")
    load = Counter(s.coach for s in solved.sessions if s.coach is not None)
    for member in facts.roster.staff:
        if any(ref in facts.activities for ref in member.leads):
            mine = sorted((s for s in solved.sessions if s.coach == member.id), key=_label)
            listed = ", ".join(s.session or s.activity for s in mine) or "nothing"
            cap = f"; at most {member.max_per_day} a day" if member.max_per_day else ""
            lines.append(
                f"coach {member.id} leads {plural(load[member.id], 'session')}: {listed}{cap}"
            )
    return tuple(lines)


__all__ = ["moved_lines", "summary_lines"]
