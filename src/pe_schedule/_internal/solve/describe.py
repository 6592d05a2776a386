"""Decisions in a programme manager's words: who is in a group and why, who meets when locally.

Pure Python: the solved file's comments, a solve's summary and its list of
what moved all come from here, with or without OR-Tools.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from pe_schedule._internal.model.activity import Grouping
from pe_schedule._internal.model.availability import Availability
from pe_schedule._internal.model.solved import SolvedGroup
from pe_schedule._internal.solve.facts import Facts, Unit
from pe_schedule._internal.solve.options import Option, Placement

#: Past this many teams a line counts them rather than naming each.
NAMED = 6


def natural(text: str) -> tuple[object, ...]:
    """A sort key that puts ``g-2`` before ``g-10``.

    >>> sorted(["g-10", "g-2", "g-1"], key=natural)
    ['g-1', 'g-2', 'g-10']
    """
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def plural(number: int, word: str) -> str:
    """``1 session``, ``2 sessions``.

    >>> plural(1, "session"), plural(3, "team")
    ('1 session', '3 teams')
    """
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def offered(options: Sequence[Option], zone: str) -> str:
    """A set of options in few words: its days, and its earliest and latest start.

    >>> from pe_schedule._internal.model.timing import NthWeekday
    >>> import datetime as dt
    >>> days = [NthWeekday.parse("second Tuesday"), NthWeekday.parse("second Wednesday")]
    >>> offered([Option(day=d, start=dt.time(h)) for d in days for h in (12, 15)],
    ...         "America/New_York")
    'second Tuesday or second Wednesday, starting 12:00 to 15:00 America/New_York'
    """
    days = list(dict.fromkeys(str(option.day) for option in options))
    starts = sorted({option.start for option in options})
    first, last = starts[0].strftime("%H:%M"), starts[-1].strftime("%H:%M")
    when = f"at {first}" if first == last else f"starting {first} to {last}"
    return f"{' or '.join(days)}, {when} {zone}"


def counted(values: Iterable[str]) -> str:
    """Values with how often each occurs, most frequent first: ``West 3, South 2``.

    >>> counted(["West", "South", "West"])
    'West 2, South 1'
    """
    tally = Counter(values)
    return ", ".join(f"{v} {n}" for v, n in sorted(tally.items(), key=lambda i: (-i[1], i[0])))


def names(items: Sequence[str]) -> str:
    """A list of ids, or how many there are when the list is long.

    >>> names(["a", "b"]), names([str(n) for n in range(9)])
    ('a, b', '9 teams')
    """
    return ", ".join(items) if len(items) <= NAMED else f"{len(items)} teams"


def makeup(facts: Facts, grouping: Grouping, teams: Sequence[str]) -> str:
    """A group's make-up against its grouping's criteria, and its time zones."""
    parts = []
    for name in grouping.similar:
        values = [facts.roster.team(t).attribute(name) or "(none)" for t in teams]
        parts.append(f"{name} {counted(values)} (similar)")
    for name in grouping.mixed:
        values = [facts.roster.team(t).attribute(name) or "(none)" for t in teams]
        parts.append(f"{name} {counted(values)} (mixed)")
    zones = [facts.team(t).zone.name for t in teams]
    parts.append(f"zones {counted(zones)}{spread(facts, teams)}")
    return "; ".join(parts)


def spread(facts: Facts, teams: Sequence[str]) -> str:
    """How far apart the teams' clocks are at most over the programme: ``, 5h apart``."""
    first = facts.programme.first_month
    widest = 0
    for month in (first, first + 6):
        noon = dt.datetime(month.year, month.month, 15, 12, tzinfo=dt.UTC)
        offsets = []
        for team in teams:
            offset = noon.astimezone(facts.team(team).zone.tzinfo).utcoffset()
            offsets.append(int(offset.total_seconds()) // 60 if offset is not None else 0)
        widest = max(widest, max(offsets, default=0) - min(offsets, default=0))
    if not widest:
        return ""
    hours, minutes = divmod(widest, 60)
    return f", {hours}h{minutes:02d} apart" if minutes else f", {hours}h apart"


def _spans(who: Availability, placement: Placement) -> str:
    """The distinct local times of ``placement``'s meetings for ``who``: ``07:00-08:00``."""
    seen: list[str] = []
    for meeting in placement.meetings:
        start, end = who.local(meeting.start), who.local(meeting.end)
        text = f"{start:%H:%M}-{end:%H:%M}"
        if text not in seen:
            seen.append(text)
    return " or ".join(seen) if seen else "no meeting"


def local_times(facts: Facts, unit: Unit, option: Option, coach: str | None) -> str:
    """Each team's (and the coach's) local time of ``unit`` at ``option``, zone by zone."""
    placement = facts.placement(unit, option)
    rows: dict[tuple[str, str], list[str]] = {}
    for team in unit.teams:
        who = facts.team(team)
        rows.setdefault((who.zone.name, _spans(who, placement)), []).append(team)
    parts = [f"{names(teams)} {span} ({zone})" for (zone, span), teams in rows.items()]
    if coach is not None and facts.member(coach) is not None:
        who = facts.staff(coach)
        parts.append(f"coach {coach} {_spans(who, placement)} ({who.zone.name})")
    return "; ".join(parts)


def group_unit(facts: Facts, group: SolvedGroup) -> Unit | None:
    """The session of the group's own activity, if the solve places one."""
    return facts.unit(group.activity, group.id)


__all__ = [
    "NAMED",
    "counted",
    "group_unit",
    "local_times",
    "makeup",
    "names",
    "natural",
    "offered",
    "plural",
    "spread",
]
