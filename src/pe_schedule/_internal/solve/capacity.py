"""Whether the coaches can lead every session at all: a count, before any search.

One month at a time, each led session needs one coach on one date of that
month, and a coach leads at most ``max_per_day`` sessions on a date. That is
a flow from sessions to (coach, date) pairs; when the flow cannot carry every
session, Hall's theorem hands over the proof: a set of sessions whose coaches
and dates, all together, allow fewer sessions than the set holds. It drops
every other requirement (overlaps, other months), so a shortfall it finds is
real, and it says so in a programme manager's words: *these 40 sessions can
only be led by these coaches on these days, who lead at most 30 a day*.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

import attrs

from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.solve.facts import Facts, Unit

#: A coach on one of their days.
Slot = tuple[str, dt.date]


@attrs.frozen(kw_only=True)
class Shortfall:
    """Sessions of one month that their possible coaches cannot all lead."""

    month: YearMonth
    #: The sessions (by label) that compete for the same coaches and days.
    sessions: tuple[str, ...]
    #: Each coach those sessions could have, with the dates and the daily cap.
    coaches: tuple[tuple[str, tuple[dt.date, ...], int], ...]

    @property
    def room(self) -> int:
        """How many of the sessions the coaches could lead, at most."""
        return sum(len(days) * cap for _, days, cap in self.coaches)


def _edges(facts: Facts, unit: Unit, month: YearMonth, allowed: Sequence[int]) -> set[Slot]:
    """The (coach, date) pairs that could take ``unit`` in ``month``."""
    found: set[Slot] = set()
    coaches = unit.assigned or unit.leaders
    for o in allowed:
        option = unit.options[o]
        meetings = [m for m in facts.placement(unit, option).meetings if m.month == month]
        for coach in coaches:
            who = facts.staff(coach)
            if facts.conflict(who, unit, option) is None and meetings:
                found |= {(coach, who.local(m.start).date()) for m in meetings}
    return found


def _augment(
    unit: int,
    edges: Mapping[int, Sequence[Slot]],
    room: Mapping[Slot, int],
    taken: dict[Slot, list[int]],
    seen: set[Slot],
) -> bool:
    """Find room for ``unit``, moving others along (one augmenting path, depth first)."""
    for slot in edges[unit]:
        if slot in seen:
            continue
        seen.add(slot)
        holders = taken.setdefault(slot, [])
        if len(holders) < room[slot]:
            holders.append(unit)
            return True
        for other in list(holders):
            if _augment(other, edges, room, taken, seen):
                holders.remove(other)
                holders.append(unit)
                return True
    return False


def _hall(
    stuck: int, edges: Mapping[int, Sequence[Slot]], taken: Mapping[Slot, list[int]]
) -> tuple[set[int], set[Slot]]:
    """The sessions reachable from one left without a coach, and the full slots between."""
    units, slots = {stuck}, set()
    frontier = [stuck]
    while frontier:
        unit = frontier.pop()
        for slot in edges[unit]:
            if slot not in slots:
                slots.add(slot)
                for other in taken.get(slot, []):
                    if other not in units:
                        units.add(other)
                        frontier.append(other)
    return units, slots


def _month(
    facts: Facts, units: Sequence[Unit], allowed: Mapping[int, Sequence[int]], month: YearMonth
) -> Shortfall | None:
    edges = {u: sorted(_edges(facts, units[u], month, allowed[u])) for u in allowed}
    edges = {u: slots for u, slots in edges.items() if slots}
    room: dict[Slot, int] = {}
    for slots in edges.values():
        for coach, day in slots:
            member = facts.member(coach)
            cap = member.max_per_day if member is not None else None
            room[coach, day] = cap if cap is not None else len(edges)
    taken: dict[Slot, list[int]] = {}
    for u in sorted(edges):
        if not _augment(u, edges, room, taken, set()):
            stuck, full = _hall(u, edges, taken)
            dates: dict[str, list[dt.date]] = {}
            for coach, day in sorted(full):
                dates.setdefault(coach, []).append(day)
            return Shortfall(
                month=month,
                sessions=tuple(units[v].label for v in sorted(stuck)),
                coaches=tuple((c, tuple(d), room[c, d[0]]) for c, d in dates.items()),
            )
    return None


def shortfalls(
    facts: Facts, units: Sequence[Unit], allowed: Mapping[int, Sequence[int]]
) -> Iterator[Shortfall]:
    """Each month whose led sessions the coaches cannot all lead (``allowed``: each unit's
    options, by index, that its teams can meet at; a unit that has a meeting in a month at
    every one of them needs a coach that month)."""
    months: dict[YearMonth, dict[int, Sequence[int]]] = {}
    for u, unit in enumerate(units):
        if not unit.led or not allowed.get(u):
            continue
        every = set.intersection(
            *(
                {m.month for m in facts.placement(unit, unit.options[o]).meetings}
                for o in allowed[u]
            )
        )
        for month in every:
            months.setdefault(month, {})[u] = allowed[u]
    for month in sorted(months):
        found = _month(facts, units, months[month], month)
        if found is not None:
            yield found


__all__ = ["Shortfall", "shortfalls"]
