"""Announcements of what changed between two builds, in words participants read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import groupby

from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.event import Event, Timed
from pe_schedule._internal.model.ordering import natural
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.publish.ledger import Change, Fate

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


def _clock(moment: dt.datetime) -> tuple[str, str]:
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment.minute:02d}" if moment.minute else str(hour)
    return clock, "AM" if moment.hour < 12 else "PM"


def when(event: Event) -> str:
    """When ``event`` happens, as an announcement says it.

    >>> import datetime as dt
    >>> from pe_schedule import AudienceKind, Target, Timed, Zone
    >>> ny = Zone("America/New_York")
    >>> call = Event(uid="u", programme="p", cohort=None, activity="a",
    ...     target=Target(kind=AudienceKind.PROGRAMME, key="p"), month=None, summary="Call",
    ...     span=Timed(start=dt.datetime(2023, 3, 22, 13, tzinfo=ny.tzinfo),
    ...                end=dt.datetime(2023, 3, 22, 15, tzinfo=ny.tzinfo), zone=ny),
    ...     revised=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
    >>> when(call)
    'Wed 22 Mar 2023, 1–3 PM ET'
    """
    span = event.span
    if isinstance(span, Timed):
        start = span.local_start
        first, first_half = _clock(start)
        last, last_half = _clock(span.local_end)
        hours = (
            f"{first}–{last} {last_half}"
            if first_half == last_half
            else (f"{first} {first_half}–{last} {last_half}")
        )
        zone = _ZONE_NAMES.get(span.zone.name, start.tzname() or "")
        return f"{start:%a} {start.day} {start:%b %Y}, {hours} {zone}".rstrip()
    day, last_day = span.start, span.end - dt.timedelta(days=1)
    if last_day <= day:
        return f"{day:%a} {day.day} {day:%b %Y}"
    if (day.year, day.month) == (last_day.year, last_day.month):
        return f"{day.day}–{last_day.day} {day:%b %Y}"
    return f"{day.day} {day:%b %Y} – {last_day.day} {last_day:%b %Y}"


def _day(event: Event) -> str:
    first = event.span.days[0]
    return f"{first.day} {first:%b %Y}"


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
    if (before.span.start, before.span.end) != (after.span.start, after.span.end):
        parts.append(f"moved to {when(after)}")
    if before.summary != after.summary:
        parts.append(f"renamed {after.summary!r}")
    if before.location != after.location:
        parts.append(f"now at {after.location}")
    if before.leaders != after.leaders:
        # The description names the new leader; the sentence says only that it changed.
        parts.append("has a new leader")
    if not parts:
        parts.append("has new details")
    return f"{before.summary} of {_day(before)} " + ", ".join(parts) + "."


def audience_names(programme: Programme) -> Callable[[Target], str]:
    """Names audiences the way their feeds are titled: cohort, team and group names."""
    roster = programme.roster

    def name(target: Target) -> str:
        try:
            if target.kind is AudienceKind.PROGRAMME:
                return programme.name
            if target.kind is AudienceKind.COHORT:
                return programme.cohort(target.key).name
            if target.kind is AudienceKind.COHORTS:
                return " and ".join(programme.cohort(key).name for key in target.cohorts)
            if target.kind is AudienceKind.SENIOR_LEADERS:
                return f"{programme.cohort(target.key).name} senior leaders"
            if roster is not None and target.kind is AudienceKind.TEAM:
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
            change.event.target.kind.rank,
            natural(change.event.target.key),
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
