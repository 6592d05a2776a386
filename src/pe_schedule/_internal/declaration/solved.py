"""Reading a solved schedule: the decisions ``pe-schedule solve`` wrote beside a declaration.

A declaration ``x.toml`` whose activities leave decisions open (coaching
groups to form, slots to pick from, coaches to assign) has its decisions in
``x.solved.toml``::

    [[groups]]
    activity = "learning-network/group-coaching"
    id = "ln-coaching-1"
    name = "Coaching group 1"
    teams = ["ln-01", "ln-05", "ln-12", "ln-30"]
    pinned = false                  # true: a re-solve never changes it

    [[sessions]]
    activity = "learning-network/group-coaching"
    session = "ln-coaching-1"       # left out for a cohort-wide activity
    day = "second Tuesday"
    start = "14:00"
    coach = "coach-amara-lewis"     # left out where the activity has no coaches
    pinned = false

This module reads the file's shape; whether its decisions still fit the
declaration and roster is the scheduler's question (``pe-schedule solve --check``).
"""

from __future__ import annotations

from pathlib import Path

from pe_schedule._internal.declaration.source import (
    SOLVED_SUFFIX,
    Report,
    Table,
    read_toml,
    solved_path,
)
from pe_schedule._internal.model.solved import Solved, SolvedGroup, SolvedSession
from pe_schedule._internal.model.timing import parse_day, parse_time

GROUP_KEYS = ("activity", "id", "name", "teams", "pinned")
SESSION_KEYS = ("activity", "session", "day", "start", "coach", "pinned")

_ACTIVITY = "an activity written 'cohort/activity', such as 'learning-network/group-coaching'"


def read_solved(path: str | Path) -> Solved:
    """Read a solved schedule file.

    Raises:
        DeclarationError: with every problem of the file's shape, each naming
            the file, the place, what was expected and what was found.
    """
    path = Path(path)
    report = Report(str(path))
    root = Table(read_toml(path, what="a solved schedule"), "", report)
    root.allow("groups", "sessions")
    groups = [_group(table) for table in root.tables("groups", required=False)]
    sessions = [_session(table) for table in root.tables("sessions", required=False)]
    report.raise_if_any()
    return Solved(
        groups=tuple(g for g in groups if g is not None),
        sessions=tuple(s for s in sessions if s is not None),
    )


def _activity(table: Table) -> str | None:
    ref = table.text("activity")
    if ref is not None and ref.count("/") != 1:
        table.problem("activity", expected=_ACTIVITY, found=repr(ref))
        return None
    return ref


def _group(table: Table) -> SolvedGroup | None:
    table.allow(*GROUP_KEYS)
    activity = _activity(table)
    group_id = table.slug("id")
    name = table.text("name", required=False, default=group_id)
    teams = table.strings("teams")
    pinned = table.boolean("pinned", default=False)
    if activity is None or group_id is None or name is None or teams is None:
        return None
    return SolvedGroup(activity=activity, id=group_id, name=name, teams=tuple(teams), pinned=pinned)


def _session(table: Table) -> SolvedSession | None:
    table.allow(*SESSION_KEYS)
    activity = _activity(table)
    session = table.text("session", required=False)
    day = table.parsed("day", parse_day, "a day such as 'second Tuesday'")
    start = table.parsed("start", parse_time, "a time as 'HH:MM' (24-hour)")
    coach = table.text("coach", required=False)
    pinned = table.boolean("pinned", default=False)
    if activity is None or day is None or start is None:
        return None
    return SolvedSession(
        activity=activity, session=session, day=day, start=start, coach=coach, pinned=pinned
    )


__all__ = ["GROUP_KEYS", "SESSION_KEYS", "SOLVED_SUFFIX", "read_solved", "solved_path"]
