"""What a solve decided and what it changed, one line per fact, for the person who runs it."""

from __future__ import annotations

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
    """Each group's make-up against the criteria, its zones and each team's local time at
    its slot; each other session's local times; each coach's load."""
    lines = []
    grouped = set()
    for group in solved.groups:
        found = facts.activity(group.activity)
        line = f"{group.id} ({plural(len(group.teams), 'team')}): "
        if found is not None and found[1].grouping is not None:
            line += makeup(facts, found[1].grouping, group.teams)
        entry = solved.session(group.activity, group.id)
        unit = facts.unit(group.activity, group.id)
        if entry is not None and unit is not None:
            grouped.add(entry.key)
            times = local_times(facts, unit, _option(entry), entry.coach)
            line += f"; {_option(entry)}: {times}"
        lines.append(line)
    for entry in (s for s in solved.sessions if s.key not in grouped):
        unit = facts.unit(entry.activity, entry.session)
        if unit is not None:
            times = local_times(facts, unit, _option(entry), entry.coach)
            lines.append(f"{_label(entry)} on {_option(entry)}: {times}")
    lines += _loads(facts, solved)
    return tuple(lines)


def _loads(facts: Facts, solved: Solved) -> Iterator[str]:
    for member in facts.roster.staff:
        if not any(ref in facts.activities for ref in member.leads):
            continue
        mine = [s for s in solved.sessions if s.coach == member.id]
        listed = ", ".join(s.session or s.activity for s in mine) or "nothing"
        cap = f"; at most {member.max_per_day} a day" if member.max_per_day else ""
        yield f"coach {member.id} leads {plural(len(mine), 'session')}: {listed}{cap}"


__all__ = ["moved_lines", "summary_lines"]
