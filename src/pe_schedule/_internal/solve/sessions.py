"""Stage two of a solve: every session's slot and coach, decided together in one CP-SAT model.

Variables: ``y[u, o]``, session ``u`` takes option ``o``; ``b[u, c, o]``,
coach ``c`` leads ``u`` at ``o`` (only where ``c`` may lead ``u`` and works
then). Hard: one option per session and one coach per led session; no
audience and no coach in two sessions at once (for each distinct start
instant, at most one of the literals whose meeting covers it: exact, with no
time buckets); at most ``max_per_day`` sessions on a coach's own calendar
day. Soft, in order of weight: keep what a previous solve decided, spread
early and late slots fairly, balance the coaches' loads, and meet near the
middle of everyone's working day.

Size: with many sessions and many coaches who may lead each, the coach
literals would run to hundreds of thousands. Past :data:`COACH_BUDGET` of
them, each session keeps a shortlist of the coaches most able to lead it,
spread so that every coach stays on several shortlists (a previous, pinned or
assigned coach always stays). A first-fit schedule (``greedy``) seeds the
search.

The same builder makes the *explaining* models: there the requirements a
person could relax (a team's working day, a coach's, a daily cap, a pinned
decision, who may lead what, a fixed event in the way), of the kinds asked
for, are tied to assumption literals instead of ruling variables out, so the
solver can name a set of requirements that cannot all hold (see ``explain``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import attrs

from pe_schedule._internal.model.availability import Availability
from pe_schedule._internal.model.solved import Solved, SolvedSession
from pe_schedule._internal.solve.cpsat import Span, at_most_one_at_a_time, new_model, run
from pe_schedule._internal.solve.facts import Facts, Unit
from pe_schedule._internal.solve.options import Option
from pe_schedule._internal.solve.verify import Decision

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpModel, CpSolver, IntVar, LinearExprT

#: Objective weights: a kept decision (slot and coach) outweighs everything else, and
#: half of one (slot or coach) counts for something; then
#: one more early or late slot for the team with most, one session more between the
#: busiest and the idlest coach, and a minute further from the middle of the day.
W_MOVE = 1000
W_HALF = 200
W_EDGE = 60
W_LOAD = 120
#: The most coach literals before sessions keep shortlists of coaches, and the
#: fewest coaches a shortlist holds.
COACH_BUDGET = 12_000
SHORTLIST = 4

#: What a requirement a person could relax is called in the explaining model:
#: (kind, whose), such as ("cap", "coach-amara-lewis").
Key = tuple[str, str]
#: Every kind of requirement an explaining model may relax.
KINDS = frozenset({"team", "coach", "cap", "only", "assigned", "pin", "fixed"})


@attrs.frozen(kw_only=True)
class Choice:
    """One option a session may take, and what would have to give for it to be allowed."""

    number: int
    option: Option
    #: The relaxable requirements that rule it out; empty when it is allowed.
    against: frozenset[Key]


def unit_name(unit: Unit) -> str:
    """A unit's name inside a requirement's key: ``cohort/activity#session``."""
    return f"{unit.ref}#{unit.session or ''}"


class Sessions:
    """The stage-two model of ``facts``' units.

    ``relax`` names the kinds of requirement (see :data:`KINDS`) the model ties
    to assumption literals; empty, it is the model that decides, with its
    objective. ``shortlists`` off keeps every coach of every session however
    large the model grows.
    """

    def __init__(
        self,
        facts: Facts,
        previous: Solved | None = None,
        *,
        relax: frozenset[str] = frozenset(),
        shortlists: bool = True,
    ) -> None:
        self.facts = facts
        self.units = tuple(u for u in facts.units if u.options)
        self.previous = previous or Solved()
        self.relax = relax
        #: Whether sessions keep shortlists of coaches when the model grows large.
        self.shortlists = shortlists
        self.model: CpModel = new_model()
        self.guards: dict[Key, IntVar] = {}
        #: y and b literals by unit; b literals also by coach.
        self.y: dict[int, dict[int, IntVar]] = {}
        self.b: dict[int, dict[tuple[str, int], IntVar]] = {}
        self.by_coach: dict[str, dict[tuple[int, int], IntVar]] = {}
        #: The first-fit schedule that seeded the search: (option, coach) by unit.
        self.first: dict[int, tuple[int, str | None]] = {}
        #: The objective's auxiliary variables, with the literal sums they bound.
        self.measures: dict[str, tuple[IntVar, list[list[IntVar]]]] = {}
        self.allowed = {u: self._allowed(unit) for u, unit in enumerate(self.units)}
        self.shortlist = self._shortlists()
        self._build()

    # -- requirements and what would relax them ------------------------------------------------

    def guard(self, key: Key) -> IntVar:
        """The assumption literal of requirement ``key`` (explaining model only)."""
        if key not in self.guards:
            self.guards[key] = self.model.new_bool_var(f"{key[0]}:{key[1]}")
        return self.guards[key]

    def relaxes(self, against: frozenset[Key]) -> bool:
        """Whether every requirement in ``against`` is of a kind this model relaxes."""
        return all(kind in self.relax for kind, _ in against)

    def _forbid(self, literal: IntVar, against: frozenset[Key]) -> None:
        for key in sorted(against):
            self.model.add_implication(literal, self.guard(key).negated())

    def before(self, unit: Unit) -> SolvedSession | None:
        """The previous solve's decision of ``unit``."""
        return self.previous.session(unit.ref, unit.session)

    def pinned(self, unit: Unit) -> SolvedSession | None:
        """The previous decision of ``unit`` when it is pinned."""
        entry = self.before(unit)
        return entry if entry is not None and entry.pinned else None

    def choices(self, unit: Unit) -> Iterator[Choice]:
        """The options of ``unit`` with a real date every month, and what rules each out."""
        facts, pin = self.facts, self.pinned(unit)
        for number, option in enumerate(unit.options):
            placement = facts.placement(unit, option)
            if placement.problems:
                continue
            against = {
                ("team", t) for t in unit.teams if facts.conflict(facts.team(t), unit, option)
            }
            against |= {("fixed", ref) for ref in facts.blockers(unit.target, placement)}
            if pin is not None and Option(day=pin.day, start=pin.start) != option:
                against.add(("pin", unit_name(unit)))
            yield Choice(number=number, option=option, against=frozenset(against))

    def _allowed(self, unit: Unit) -> list[Choice]:
        return [c for c in self.choices(unit) if self.relaxes(c.against)]

    def coaches(self, unit: Unit) -> Iterator[tuple[str, frozenset[Key]]]:
        """Who could lead ``unit``, and what rules each out."""
        pin = self.pinned(unit)
        for member in self.facts.roster.staff:
            if unit.ref not in member.leads:
                continue
            against = set()
            if member.id not in unit.leaders:
                against.add(("only", member.id))
            if unit.assigned and member.id not in unit.assigned:
                against.add(("assigned", unit_name(unit)))
            if pin is not None and pin.coach is not None and pin.coach != member.id:
                against.add(("pin", unit_name(unit)))
            yield member.id, frozenset(against)

    def coach_against(self, unit: Unit, coach: str, option: Option) -> frozenset[Key]:
        """What rules out ``coach`` leading ``unit`` at ``option``: their working day."""
        facts = self.facts
        late = facts.conflict(facts.staff(coach), unit, option) is not None
        busy = late or facts.staff_blocked(coach, facts.placement(unit, option)) is not None
        return frozenset({("coach", coach)}) if busy else frozenset()

    # -- who may lead what ----------------------------------------------------------------------

    def _able(self, u: int) -> dict[str, list[tuple[int, frozenset[Key]]]]:
        """Each coach who could lead unit ``u``, with the options they could lead it at."""
        unit = self.units[u]
        if not unit.led:
            return {}
        found = {}
        for coach, against in self.coaches(unit):
            if not self.relaxes(against):
                continue
            at = []
            for choice in self.allowed[u]:
                also = against | self.coach_against(unit, coach, choice.option)
                if self.relaxes(also):
                    at.append((choice.number, also))
            if at:
                found[coach] = at
        return found

    def _shortlists(self) -> dict[int, dict[str, list[tuple[int, frozenset[Key]]]]]:
        able = {u: self._able(u) for u in range(len(self.units))}
        self._every = able
        total = sum(len(at) for coaches in able.values() for at in coaches.values())
        if self.relax or not self.shortlists or total <= COACH_BUDGET:
            return able
        # A session's coach brings ``total / pairs`` literals on average (one per option
        # they could lead it at): keep as many coaches per session as the budget holds.
        pairs = sum(map(len, able.values()))
        keep = max(SHORTLIST, COACH_BUDGET * pairs // (total * len(able)))
        listed: Counter[str] = Counter()
        short = {}
        for u in sorted(able, key=lambda u: (len(able[u]), u)):
            before = self.before(self.units[u])
            kept = before.coach if before is not None else None
            # The previous coach first; then whoever is on the fewest shortlists so far
            # (so every coach stays on several), able at the most options.
            ranked = sorted(able[u], key=lambda c: (c != kept, listed[c], -len(able[u][c]), c))
            listed.update(ranked[:keep])
            short[u] = {c: able[u][c] for c in ranked[:keep]}
        return short

    # -- the model ----------------------------------------------------------------------------

    def _build(self) -> None:
        for u in range(len(self.units)):
            self._unit(u)
        seen: set[frozenset[int]] = set()
        self._audiences(seen)
        self._coach_overlaps(seen)
        self._caps()
        if not self.relax:
            self._objective()

    def _unit(self, u: int) -> None:
        model = self.model
        mine = self.y.setdefault(u, {})
        for choice in self.allowed[u]:
            literal = model.new_bool_var(f"y[{u},{choice.number}]")
            mine[choice.number] = literal
            self._forbid(literal, choice.against)
        model.add_exactly_one(mine.values())
        if not self.units[u].led:
            return
        led: dict[int, list[IntVar]] = {o: [] for o in mine}
        for coach, at in self.shortlist[u].items():
            for o, against in at:
                literal = model.new_bool_var(f"b[{u},{coach},{o}]")
                self.b.setdefault(u, {})[coach, o] = literal
                self.by_coach.setdefault(coach, {})[u, o] = literal
                self._forbid(literal, against)
                led[o].append(literal)
        for o, literals in led.items():
            model.add(sum(literals) == mine[o])

    def _spans(self, literals: Mapping[tuple[int, int], IntVar]) -> list[Span]:
        spans = []
        for (u, o), literal in literals.items():
            unit = self.units[u]
            index = literal.index
            for meeting in self.facts.placement(unit, unit.options[o]).meetings:
                spans.append((meeting.first, meeting.last, u, index))
        return spans

    def _audiences(self, seen: set[frozenset[int]]) -> None:
        """No one in two sessions at once: per set of audiences someone belongs to."""
        by_target: dict[object, list[int]] = {}
        for u, unit in enumerate(self.units):
            by_target.setdefault(unit.target, []).append(u)
        groups: set[frozenset[int]] = set()
        for targets in self.facts.audience_sets:
            units = frozenset(u for t in targets if t in by_target for u in by_target[t])
            if len(units) > 1:
                groups.add(units)
        for units in sorted(groups, key=sorted):
            literals = {(u, o): v for u in sorted(units) for o, v in self.y[u].items()}
            by_index = {v.index: v for v in literals.values()}
            at_most_one_at_a_time(self.model, self._spans(literals), by_index, seen)

    def _coach_overlaps(self, seen: set[frozenset[int]]) -> None:
        for member in self.facts.roster.staff:
            literals = self.by_coach.get(member.id, {})
            if literals:
                by_index = {v.index: v for v in literals.values()}
                at_most_one_at_a_time(self.model, self._spans(literals), by_index, seen)

    def _caps(self) -> None:
        for member in self.facts.roster.staff:
            cap = member.max_per_day
            if cap is None:
                continue
            who = self.facts.staff(member.id)
            days: dict[dt.date, dict[int, IntVar]] = {}
            owners: dict[dt.date, set[int]] = {}
            for (u, o), literal in self.by_coach.get(member.id, {}).items():
                unit = self.units[u]
                for day in self.facts.days(who, unit, unit.options[o]):
                    days.setdefault(day, {})[literal.index] = literal
                    owners.setdefault(day, set()).add(u)
            done: set[frozenset[int]] = set()
            for day in sorted(days):
                key = frozenset(days[day])
                if len(owners[day]) <= cap or key in done:
                    continue
                done.add(key)
                limit = self.model.add(sum(days[day][i] for i in sorted(key)) <= cap)
                if "cap" in self.relax:
                    limit.only_enforce_if(self.guard(("cap", member.id)))

    # -- what is best ---------------------------------------------------------------------------

    def cost(self, u: int, o: int) -> int:
        """The teams' share of the discomfort of unit ``u`` at option ``o`` (minutes)."""
        facts, unit = self.facts, self.units[u]
        alike: Counter[Availability] = Counter(facts.team(t) for t in unit.teams)
        total = sum(n * facts.comfort(who, unit, unit.options[o]) for who, n in alike.items())
        return total // max(len(unit.teams) + (1 if unit.led else 0), 1)

    def coach_cost(self, u: int, coach: str, o: int) -> int:
        """The coach's share of the discomfort of unit ``u`` at option ``o`` (minutes)."""
        unit = self.units[u]
        comfort = self.facts.comfort(self.facts.staff(coach), unit, unit.options[o])
        return comfort // (len(unit.teams) + 1)

    def _objective(self) -> None:
        terms: list[LinearExprT] = []
        edges: dict[str, list[IntVar]] = {}
        for u, slots in self.y.items():
            unit = self.units[u]
            for o, literal in slots.items():
                terms.append(literal * self.cost(u, o))
                for team in unit.teams:
                    if self.facts.edge(self.facts.team(team), unit, unit.options[o]):
                        edges.setdefault(team, []).append(literal)
        for u, literals in self.b.items():
            for (coach, o), literal in literals.items():
                terms.append(literal * self.coach_cost(u, coach, o))
        terms += self._fairness(edges)
        terms += self._balance()
        terms += self._keep()
        self.model.minimize(sum(terms))

    def _fairness(self, edges: dict[str, list[IntVar]]) -> list[LinearExprT]:
        if not edges:
            return []
        most = self.model.new_int_var(0, max(len(v) for v in edges.values()), "edges")
        for team in sorted(edges):
            self.model.add(sum(edges[team]) <= most)
        self.measures["edges"] = (most, [list(edges[t]) for t in sorted(edges)])
        return [W_EDGE * most]

    def _balance(self) -> list[LinearExprT]:
        loads = [
            list(self.by_coach[m.id].values())
            for m in self.facts.roster.staff
            if m.id in self.by_coach
        ]
        if len(loads) < 2:
            return []
        most = self.model.new_int_var(0, len(self.units), "most")
        least = self.model.new_int_var(0, len(self.units), "least")
        for load in loads:
            self.model.add(sum(load) <= most)
            self.model.add(sum(load) >= least)
        self.measures["most"] = (most, loads)
        self.measures["least"] = (least, loads)
        return [W_LOAD * (most - least)]

    def _keep(self) -> list[LinearExprT]:
        """Reward keeping each previous decision whole (slot and coach), and each half of it.

        A session counts as moved when its slot or its coach changes, so keeping
        both weighs most; keeping one of the two still counts for something.
        """
        terms: list[LinearExprT] = []
        for u, unit in enumerate(self.units):
            entry = self.before(unit)
            if entry is None:
                continue
            option = Option(day=entry.day, start=entry.start)
            o = unit.options.index(option) if option in unit.options else None
            slot = self.y[u].get(o) if o is not None else None
            led = [v for (c, _), v in self.b.get(u, {}).items() if c == entry.coach]
            whole = slot
            if unit.led:
                coach = entry.coach or ""
                whole = self.b.get(u, {}).get((coach, o)) if o is not None else None
            if whole is not None:
                terms.append(-W_MOVE * whole)
            if slot is not None:
                terms.append(-W_HALF * slot)
            if led:
                terms.append(-W_HALF * sum(led))
        return terms

    @property
    def pruned(self) -> bool:
        """Whether some session's shortlist left out a coach who could lead it."""
        return self.shortlist is not self._every

    def seed(self, chosen: dict[int, tuple[int, str | None]]) -> None:
        """Seed the search with ``chosen``: an (option, coach) by unit, such as a first fit."""
        self.first = chosen
        true: set[int] = set()
        for u, (o, coach) in chosen.items():
            for p, literal in self.y[u].items():
                self.model.add_hint(literal, p == o)
                true |= {literal.index} if p == o else set()
            for (c, p), literal in self.b.get(u, {}).items():
                self.model.add_hint(literal, (c, p) == (coach, o))
                true |= {literal.index} if (c, p) == (coach, o) else set()
        if len(chosen) < len(self.units):
            return
        # A complete hint (the objective's measures too) lets the solver start from it at once.
        for name, (var, sums) in self.measures.items():
            counts = [sum(1 for lit in literals if lit.index in true) for literals in sums]
            self.model.add_hint(var, min(counts) if name == "least" else max(counts))

    # -- solving ------------------------------------------------------------------------------

    def solve(self, work: float) -> tuple[list[Decision], str]:
        """The decisions of the best solution found in ``work``, and the solver's status.

        When the search ends before it confirms even its seed, the first-fit
        schedule is returned if it placed every session (status ``FIRST_FIT``):
        the caller verifies it like any other.
        """
        solver, outcome = run(self.model, work)
        if outcome.solved:
            return self.decisions(solver), outcome.status
        if not outcome.infeasible and self.first and len(self.first) == len(self.units):
            return [
                Decision(unit=unit, option=unit.options[self.first[u][0]], coach=self.first[u][1])
                for u, unit in enumerate(self.units)
            ], "FIRST_FIT"
        return [], outcome.status

    def decisions(self, solver: CpSolver) -> list[Decision]:
        """Each unit's option and coach in ``solver``'s solution."""
        found = []
        for u, unit in enumerate(self.units):
            o = next(o for o, lit in self.y[u].items() if solver.boolean_value(lit))
            coach = next(
                (
                    c
                    for (c, p), lit in self.b.get(u, {}).items()
                    if p == o and solver.boolean_value(lit)
                ),
                None,
            )
            found.append(Decision(unit=unit, option=unit.options[o], coach=coach))
        return found


__all__ = [
    "COACH_BUDGET",
    "KINDS",
    "SHORTLIST",
    "Choice",
    "Key",
    "Sessions",
    "unit_name",
]
