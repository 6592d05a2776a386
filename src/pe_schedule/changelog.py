"""Announcements of what changed between two builds, in words participants read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import groupby

from pe_schedule.event import Event, Target, TargetKind
from pe_schedule.ledger import Change, Fate
from pe_schedule.model import Programme

#: The short names people in the US use for their zones; others fall back to tzname().
_ZONE_NAMES = {
    "America/New_York": "ET",
    "America/Chicago": "CT",
    "America/Denver": "MT",
    "America/Phoenix": "MST",
    "America/Los_Angeles": "PT",
    "America/Anchorage": "AKT",
    "Pacific/Honolulu": "HT",
}


#: Audiences in the order an announcement lists them: the widest first.
_BROAD_FIRST = (
    TargetKind.PROGRAMME,
    TargetKind.COHORT,
    TargetKind.SENIOR_LEADERS,
    TargetKind.COACHING_GROUP,
    TargetKind.AFFINITY_GROUP,
    TargetKind.TEAM,
)


def _clock(moment: dt.datetime) -> tuple[str, str]:
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment.minute:02d}" if moment.minute else str(hour)
    return clock, "AM" if moment.hour < 12 else "PM"


def when(event: Event) -> str:
    """When ``event`` happens, as an announcement says it.

    >>> import datetime as dt
    >>> from zoneinfo import ZoneInfo
    >>> from pe_schedule.event import Target, TargetKind
    >>> zone = ZoneInfo("America/New_York")
    >>> call = Event(uid="u", programme="p", cohort=None, activity="a",
    ...     target=Target(kind=TargetKind.PROGRAMME, key="p"), month=None, summary="Call",
    ...     start=dt.datetime(2023, 3, 22, 13, tzinfo=zone),
    ...     end=dt.datetime(2023, 3, 22, 15, tzinfo=zone), timezone="America/New_York",
    ...     revised=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
    >>> when(call)
    'Wed 22 Mar 2023, 1–3 PM ET'
    """
    start, end = event.start, event.end
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        first, first_half = _clock(start)
        last, last_half = _clock(end)
        span = (
            f"{first}–{last} {last_half}"
            if first_half == last_half
            else (f"{first} {first_half}–{last} {last_half}")
        )
        zone = _ZONE_NAMES.get(event.timezone or "", start.tzname() or "")
        return f"{start:%a} {start.day} {start:%b %Y}, {span} {zone}".rstrip()
    last_day = end - dt.timedelta(days=1)
    if last_day <= start:
        return f"{start:%a} {start.day} {start:%b %Y}"
    if (start.year, start.month) == (last_day.year, last_day.month):
        return f"{start.day}–{last_day.day} {start:%b %Y}"
    return f"{start.day} {start:%b %Y} – {last_day.day} {last_day:%b %Y}"


def _day(event: Event) -> str:
    return f"{event.start.day} {event.start:%b %Y}"


def sentence(change: Change) -> str:
    """One change in one sentence, such as ``All-Team Call of 15 Mar 2023 moved to …``."""
    event = change.event
    if change.fate is Fate.ADDED:
        return f"New: {event.summary}, {when(event)}."
    if change.fate is Fate.CANCELLED:
        return f"Cancelled: {event.summary}, {when(event)}."
    if change.fate is Fate.RESTORED:
        return f"Back on: {event.summary}, {when(event)}."
    if change.fate is Fate.DROPPED:
        return f"No longer listed: the cancelled {event.summary} of {_day(event)}."
    before, after = change.before, change.after
    if before is None or after is None:  # pragma: no cover - a CHANGED change has both
        raise ValueError(f"a changed event needs both versions: {change}")
    parts = []
    if (before.start, before.end) != (after.start, after.end):
        parts.append(f"moved to {when(after)}")
    if before.summary != after.summary:
        parts.append(f"renamed {after.summary!r}")
    if before.location != after.location:
        parts.append(f"now at {after.location}")
    if not parts:
        parts.append("has new details")
    return f"{before.summary} of {_day(before)} " + ", ".join(parts) + "."


def audience_names(programme: Programme) -> Callable[[Target], str]:
    """Names audiences the way their feeds are titled: cohort, team and group names."""
    roster = programme.roster

    def name(target: Target) -> str:
        try:
            if target.kind is TargetKind.PROGRAMME:
                return programme.name
            if target.kind is TargetKind.COHORT:
                return programme.cohort(target.key).name
            if target.kind is TargetKind.SENIOR_LEADERS:
                return f"{programme.cohort(target.key).name} senior leaders"
            if roster is not None and target.kind is TargetKind.TEAM:
                return roster.team(target.key).name
            if roster is not None:
                return roster.group(target.key).name
        except KeyError:
            # An audience that has left the declaration since (a cancelled
            # team's session, say) is still announced, under its id.
            pass
        return str(target)

    return name


def render(
    changes: Sequence[Change],
    *,
    audience_name: Callable[[Target], str] = str,
    markdown: bool = False,
) -> str:
    """The changes grouped by audience, widest audience first, as plain text or Markdown.

    Args:
        changes: the changes of a rebuild, in any order.
        audience_name: names an audience for its heading (a cohort's or group's name).
        markdown: headings and bullets in Markdown rather than plain text.
    """
    if not changes:
        return "No changes.\n"
    ordered = sorted(
        changes,
        key=lambda change: (
            _BROAD_FIRST.index(change.event.target.kind),
            change.event.target.key,
            change.event.sort_key,
        ),
    )
    lines: list[str] = []
    for target, group in groupby(ordered, key=lambda change: change.event.target):
        name = audience_name(target)
        lines.append(f"## {name}" if markdown else name)
        lines.extend(("- " if markdown else "  - ") + sentence(change) for change in group)
        lines.append("")
    return "\n".join(lines)


__all__ = ["audience_names", "render", "sentence", "when"]
