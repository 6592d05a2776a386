"""A first-fit schedule of the sessions: the hint that seeds the stage-two search.

Sessions go in order of how few (option, coach) pairs they have, each to its
previous decision when that still fits, else to the most comfortable option
and least loaded coach free at that time (no overlap for its teams or the
coach, the coach's daily cap kept). A session that fits nowhere is left to the
solver. The result only steers the search; the model decides.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from pe_schedule._internal.solve.options import Option

if TYPE_CHECKING:
    from pe_schedule._internal.solve.sessions import Sessions


class _Diary:
    """Who is busy when, and how many sessions each coach leads on each of their days."""

    def __init__(self, model: Sessions) -> None:
        self.model = model
        self.busy: dict[str, list[tuple[int, int]]] = {}
        self.daily: Counter[tuple[str, object]] = Counter()
        self.load: Counter[str] = Counter()

    def _spans(self, u: int, o: int) -> list[tuple[int, int]]:
        unit = self.model.units[u]
        return [
            (m.first, m.last) for m in self.model.facts.placement(unit, unit.options[o]).meetings
        ]

    def free(self, who: str, spans: list[tuple[int, int]]) -> bool:
        taken = self.busy.get(who, [])
        return not any(a < d and c < b for a, b in spans for c, d in taken)

    def coach_free(self, u: int, o: int, coach: str) -> bool:
        facts, unit = self.model.facts, self.model.units[u]
        member = facts.member(coach)
        cap = member.max_per_day if member is not None else None
        if not self.free(f"coach {coach}", self._spans(u, o)):
            return False
        days = facts.days(facts.staff(coach), unit, unit.options[o])
        return cap is None or all(self.daily[coach, day] < cap for day in days)

    def fits(self, u: int, o: int, coach: str | None) -> bool:
        spans = self._spans(u, o)
        teams = self.model.units[u].teams
        if not all(self.free(f"team {t}", spans) for t in teams):
            return False
        return coach is None or self.coach_free(u, o, coach)

    def book(self, u: int, o: int, coach: str | None) -> None:
        spans = self._spans(u, o)
        unit = self.model.units[u]
        for team in unit.teams:
            self.busy.setdefault(f"team {team}", []).extend(spans)
        if coach is not None:
            self.busy.setdefault(f"coach {coach}", []).extend(spans)
            facts = self.model.facts
            for day in facts.days(facts.staff(coach), unit, unit.options[o]):
                self.daily[coach, day] += 1
            self.load[coach] += 1


def _pairs(model: Sessions, u: int, diary: _Diary) -> list[tuple[int, str | None]]:
    """The (option, coach) pairs of unit ``u``, the previous decision first, then best first."""
    unit = model.units[u]
    options = sorted(model.y[u], key=lambda o: (model.cost(u, o), o))
    if unit.led:
        pairs: list[tuple[int, str | None]] = [
            (o, c)
            for o in options
            for c in sorted(
                model.shortlist[u], key=lambda c: (diary.load[c], model.coach_cost(u, c, o), c)
            )
            if any(p == o for p, _ in model.shortlist[u][c])
        ]
    else:
        pairs = [(o, None) for o in options]
    return pairs


def _kept(model: Sessions, u: int) -> tuple[int, str | None] | None:
    """Unit ``u``'s previous decision, if the model still allows it."""
    unit, before = model.units[u], model.before(model.units[u])
    if before is None:
        return None
    option = Option(day=before.day, start=before.start)
    o = unit.options.index(option) if option in unit.options else None
    if o is None or o not in model.y[u]:
        return None
    if not unit.led:
        return o, None
    coach = before.coach
    if coach is None or not any(p == o for p, _ in model.shortlist[u].get(coach, [])):
        return None
    return o, coach


def first_fit(model: Sessions) -> dict[int, tuple[int, str | None]]:
    """A (option, coach) for as many units as fit, one after another.

    Previous decisions that still fit are booked first, all of them, so that a
    session that must move cannot push others off theirs in a cascade.
    """
    diary = _Diary(model)
    chosen: dict[int, tuple[int, str | None]] = {}

    def size(u: int) -> tuple[bool, int, int]:
        pinned = model.pinned(model.units[u]) is not None
        return (not pinned, len(model.y[u]) * max(len(model.shortlist.get(u, {})), 1), u)

    for u in sorted(range(len(model.units)), key=size):
        kept = _kept(model, u)
        if kept is not None and diary.fits(u, *kept):
            diary.book(u, *kept)
            chosen[u] = kept
    for u in sorted((u for u in range(len(model.units)) if u not in chosen), key=size):
        for o, coach in _pairs(model, u, diary):
            if diary.fits(u, o, coach):
                diary.book(u, o, coach)
                chosen[u] = (o, coach)
                break
    return chosen


__all__ = ["first_fit"]
