"""Stage one of a solve: forming an activity's coaching groups from its cohort's teams.

Two CP-SAT models, both small whatever the cohort's size:

1. *Where teams can meet.* Teams that can meet at the same options form one
   class; the model gives each class's teams options and each option a number
   of groups whose sizes hold the teams sent there (the fewest groups first,
   then the most comfortable options). It decides whether a grouping exists at
   all and, when it does, yields a first grouping in which every group's teams
   share a slot. Its variables grow with classes times options, not teams
   times groups.
2. *Who meets whom.* Blocks of a dozen neighbouring groups (by slot and by
   similar attributes) are re-formed one block at a time: each team in exactly
   one group, sizes within bounds, a slot every member can meet at, and the
   fewest distinct values of each similar attribute per group, each mixed
   value no more than its fair share per group, the narrowest spread of time
   zones, and (on a re-solve) as few teams as possible moved from their
   previous group. A cohort of up to a block's worth of teams is one block,
   so small cohorts get the best grouping the model can prove.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from pe_schedule._internal.model.solved import SolvedGroup
from pe_schedule._internal.solve.cpsat import new_model, run
from pe_schedule._internal.solve.pool import Pool

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpModel, IntVar, LinearExprT

#: Objective weights: a team kept in its previous group outweighs everything else;
#: then one more distinct value of a similar attribute in a group, one team over a
#: mixed value's fair share, half an hour more spread of time zones.
W_MOVE = 1000
W_SIMILAR = 100
W_MIXED = 30
W_SPREAD = 10
#: Fewer groups outweigh any comfort when counting groups (first model).
W_GROUPS = 10_000_000
#: The most groups one block of the second model re-forms.
BLOCK_GROUPS = 12


class NoGroupingError(Exception):
    """No grouping of the pool's free teams satisfies the hard requirements (internal)."""


@attrs.frozen(kw_only=True)
class Formed:
    """A grouping in progress: each group's teams, and its id once it has one."""

    teams: tuple[str, ...]
    id: str | None = None


# -- model 1: where teams can meet ------------------------------------------------------------


def classes(pool: Pool, teams: Sequence[str]) -> list[tuple[frozenset[int], list[str]]]:
    """Teams that can meet at the same options, in roster order of their first team."""
    found: dict[frozenset[int], list[str]] = {}
    for team in teams:
        found.setdefault(pool.fits[team], []).append(team)
    return list(found.items())


def _class_cost(pool: Pool, teams: list[str], option: int) -> int:
    if not pool.options:
        return 0
    return sum(pool.comfort[team][option] for team in teams) // len(teams)


def first_grouping(pool: Pool, teams: Sequence[str], groups: range, work: float) -> list[Formed]:
    """A grouping of ``teams`` in which every group shares a slot, with the fewest groups.

    Raises:
        NoGroupingError: if there is none with a number of groups in ``groups``.
    """
    if not teams or not groups:
        raise NoGroupingError()
    model = new_model()
    smallest, largest = pool.grouping.smallest, pool.grouping.largest
    kinds = classes(pool, teams)
    options = sorted(set().union(*(fits for fits, _ in kinds)))
    sent = {
        (k, o): model.new_int_var(0, len(members), f"n[{k},{o}]")
        for k, (fits, members) in enumerate(kinds)
        for o in sorted(fits)
    }
    count = {o: model.new_int_var(0, groups.stop - 1, f"g[{o}]") for o in options}
    for k, (fits, members) in enumerate(kinds):
        model.add(sum(sent[k, o] for o in sorted(fits)) == len(members))
    for o in options:
        there = sum(sent[k, o] for k, (fits, _) in enumerate(kinds) if o in fits)
        model.add(there >= smallest * count[o])
        model.add(there <= largest * count[o])
    total = sum(count.values())
    model.add(total >= groups.start)
    model.add(total <= groups.stop - 1)
    comfort = sum(
        _class_cost(pool, members, o) * sent[k, o]
        for k, (fits, members) in enumerate(kinds)
        for o in sorted(fits)
    )
    model.minimize(W_GROUPS * total + comfort)
    solver, outcome = run(model, work)
    if not outcome.solved:
        raise NoGroupingError()
    at = {key: int(solver.value(var)) for key, var in sent.items()}
    return _split(pool, kinds, at, {o: int(solver.value(v)) for o, v in count.items()})


def _order(pool: Pool, team: str) -> tuple[object, ...]:
    similar = pool.values[team][: len(pool.grouping.similar)]
    return (similar, pool.offset[team], pool.index[team])


def _split(
    pool: Pool,
    kinds: list[tuple[frozenset[int], list[str]]],
    at: Mapping[tuple[int, int], int],
    count: Mapping[int, int],
) -> list[Formed]:
    """Teams sent to each option, cut into that option's groups of near-equal size."""
    there: dict[int, list[str]] = {o: [] for o in count}
    for k, (fits, members) in enumerate(kinds):
        queue = sorted(members, key=lambda team: _order(pool, team))
        for o in sorted(fits):
            there[o] += queue[: at[k, o]]
            queue = queue[at[k, o] :]
    formed = []
    for o in sorted(count):
        members = sorted(there[o], key=lambda team: _order(pool, team))
        groups = count[o]
        for g in range(groups):
            first = len(members) * g // groups
            last = len(members) * (g + 1) // groups
            formed.append(Formed(teams=tuple(members[first:last])))
    return formed


# -- model 2: who meets whom ------------------------------------------------------------------


def fair_shares(pool: Pool, teams: Sequence[str], groups: int) -> dict[tuple[int, str], int]:
    """The most teams with one value of each mixed attribute a group should hold."""
    first = len(pool.grouping.similar)
    shares = {}
    for position in range(first, first + len(pool.grouping.mixed)):
        counted = Counter(pool.values[team][position] for team in teams)
        for value, number in counted.items():
            shares[position, value] = math.ceil(number / groups)
    return shares


@attrs.frozen(kw_only=True)
class _Block:
    """One block of groups being re-formed (internal)."""

    pool: Pool
    groups: list[Formed]
    #: The group (by position in ``groups``) each team was in before, on a re-solve.
    before: Mapping[str, int]
    fair: Mapping[tuple[int, str], int]

    @property
    def teams(self) -> list[str]:
        index = self.pool.index
        return sorted((t for g in self.groups for t in g.teams), key=lambda team: index[team])


def _allowed(block: _Block, position: int) -> range:
    # Groups are interchangeable when nobody has a previous group: team number p may
    # only join groups 0..p, one of the ways to cut the mirror images of a grouping.
    count = len(block.groups)
    return range(count) if block.before else range(min(position, count - 1) + 1)


def _assignment(model: CpModel, block: _Block) -> dict[tuple[str, int], IntVar]:
    x = {}
    for position, team in enumerate(block.teams):
        allowed = _allowed(block, position)
        for g in allowed:
            x[team, g] = model.new_bool_var(f"x[{team},{g}]")
        model.add_exactly_one(x[team, g] for g in allowed)
    smallest, largest = block.pool.grouping.smallest, block.pool.grouping.largest
    for g in range(len(block.groups)):
        members = [var for (_, group), var in x.items() if group == g]
        model.add(sum(members) >= smallest)
        model.add(sum(members) <= largest)
    return x


def _shared_slot(model: CpModel, block: _Block, x: Mapping[tuple[str, int], IntVar]) -> None:
    """Each group takes one option, and every one of its teams can meet at it."""
    pool = block.pool
    kinds = classes(pool, block.teams)
    options = sorted(set().union(*(fits for fits, _ in kinds)))
    for g in range(len(block.groups)):
        slot = {o: model.new_bool_var(f"y[{g},{o}]") for o in options}
        model.add_exactly_one(slot.values())
        for k, (fits, members) in enumerate(kinds):
            # One literal per class and group: "a team of class k is in group g".
            present = model.new_bool_var(f"z[{g},{k}]")
            for team in members:
                if (team, g) in x:
                    model.add_implication(x[team, g], present)
            for o in options:
                if o not in fits:
                    model.add_bool_or([present.negated(), slot[o].negated()])
        common = block.pool.common(block.groups[g].teams)
        if common:
            chosen = min(common)
            for o, var in slot.items():
                model.add_hint(var, o == chosen)


def _distinct(
    model: CpModel, block: _Block, x: Mapping[tuple[str, int], IntVar], position: int
) -> list[IntVar]:
    """One literal per group and value of attribute ``position``: the value is in the group."""
    used = []
    values = sorted({block.pool.values[team][position] for team in block.teams})
    for g in range(len(block.groups)):
        for value in values:
            here = model.new_bool_var(f"v[{g},{position},{value}]")
            for team in block.teams:
                if block.pool.values[team][position] == value and (team, g) in x:
                    model.add_implication(x[team, g], here)
            used.append(here)
    return used


def _excess(
    model: CpModel, block: _Block, x: Mapping[tuple[str, int], IntVar], position: int
) -> list[IntVar]:
    """How far each group holds more teams of a mixed value than its fair share."""
    over = []
    values = sorted({block.pool.values[team][position] for team in block.teams})
    for g in range(len(block.groups)):
        for value in values:
            members = [
                x[team, g]
                for team in block.teams
                if block.pool.values[team][position] == value and (team, g) in x
            ]
            fair = block.fair[position, value]
            if len(members) <= fair:
                continue
            extra = model.new_int_var(0, len(members) - fair, f"e[{g},{position},{value}]")
            model.add(extra >= sum(members) - fair)
            over.append(extra)
    return over


def _spread(
    model: CpModel, block: _Block, x: Mapping[tuple[str, int], IntVar]
) -> list[LinearExprT]:
    """Each group's spread of time zones: its latest offset minus its earliest."""
    offsets = [block.pool.offset[team] for team in block.teams]
    low, high = min(offsets), max(offsets)
    spreads: list[LinearExprT] = []
    if low == high:
        return spreads
    for g in range(len(block.groups)):
        east = model.new_int_var(low, high, f"hi[{g}]")
        west = model.new_int_var(low, high, f"lo[{g}]")
        for team in block.teams:
            if (team, g) in x:
                model.add(east >= block.pool.offset[team]).only_enforce_if(x[team, g])
                model.add(west <= block.pool.offset[team]).only_enforce_if(x[team, g])
        spreads.append(east - west)
    return spreads


def _reform(block: _Block, work: float) -> list[Formed]:
    """The block's groups re-formed for the best make-up; as they were if none is found."""
    model = new_model()
    x = _assignment(model, block)
    _shared_slot(model, block, x)
    similar = len(block.pool.grouping.similar)
    mixed = len(block.pool.grouping.mixed)
    terms: list[LinearExprT] = []
    for position in range(similar):
        terms += [W_SIMILAR * v for v in _distinct(model, block, x, position)]
    for position in range(similar, similar + mixed):
        terms += [W_MIXED * e for e in _excess(model, block, x, position)]
    terms += [W_SPREAD * s for s in _spread(model, block, x)]
    terms += [-W_MOVE * x[t, g] for t, g in block.before.items() if (t, g) in x]
    model.minimize(sum(terms))
    for g, group in enumerate(block.groups):
        for team in group.teams:
            model.add_hint(x[team, g], True)
    solver, outcome = run(model, work, neighbourhoods=True)
    if not outcome.solved:
        return block.groups
    members: list[list[str]] = [[] for _ in block.groups]
    for (team, g), var in x.items():
        if solver.boolean_value(var):
            members[g].append(team)
    index = block.pool.index
    return [
        attrs.evolve(group, teams=tuple(sorted(members[g], key=lambda t: index[t])))
        for g, group in enumerate(block.groups)
    ]


def _key(pool: Pool, group: Formed) -> tuple[object, ...]:
    """Neighbouring groups in a block: by slot, then by their teams' similar values."""
    common = pool.common(group.teams)
    similar = Counter(pool.values[t][: len(pool.grouping.similar)] for t in group.teams)
    typical = similar.most_common(1)[0][0] if similar else ()
    offsets = sorted(pool.offset[t] for t in group.teams)
    return (min(common, default=-1), typical, offsets[len(offsets) // 2])


def reform(
    pool: Pool, groups: list[Formed], before: Mapping[str, int], work: float
) -> list[Formed]:
    """``groups`` re-formed block by block (``before``: each team's previous group position)."""
    everyone = [t for g in groups for t in g.teams]
    fair = fair_shares(pool, everyone, len(groups))
    order = sorted(range(len(groups)), key=lambda g: (_key(pool, groups[g]), g))
    blocks = math.ceil(len(groups) / BLOCK_GROUPS)
    result = list(groups)
    for number in range(blocks):
        chosen = order[number * len(order) // blocks : (number + 1) * len(order) // blocks]
        theirs = {team: g for team, g in before.items() if g in chosen}
        if not theirs:
            # Mirror-image cutting (see _allowed) needs groups in order of their first team.
            chosen.sort(key=lambda g: min(pool.index[t] for t in groups[g].teams))
        mine = {g: position for position, g in enumerate(chosen)}
        block = _Block(
            pool=pool,
            groups=[groups[g] for g in chosen],
            before={team: mine[g] for team, g in theirs.items()},
            fair=fair,
        )
        for g, group in zip(chosen, _reform(block, work / blocks), strict=True):
            result[g] = group
    return result


# -- the whole stage ----------------------------------------------------------------------------


def _number(pool: Pool, group_id: str) -> int | None:
    prefix = re.escape(pool.grouping.prefix)
    found = re.fullmatch(rf"{prefix}-(\d+)", group_id)
    return int(found[1]) if found else None


def _from_previous(pool: Pool, free: list[str], counts: range) -> list[Formed] | None:
    """The previous grouping of the free teams, new teams added where they fit; ``None``
    when it no longer holds (sizes, count or a slot every group shares)."""
    keep = set(free)
    groups = [
        Formed(teams=tuple(t for t in g.teams if t in keep), id=g.id)
        for g in pool.previous
        if not g.pinned
    ]
    groups = [g for g in groups if g.teams]
    placed = {t for g in groups for t in g.teams}
    for team in (t for t in free if t not in placed):
        room = [
            g
            for g, group in enumerate(groups)
            if len(group.teams) < pool.grouping.largest and pool.common([*group.teams, team])
        ]
        if not room:
            return None
        best = min(room, key=lambda g: (len(groups[g].teams), g))
        groups[best] = attrs.evolve(groups[best], teams=(*groups[best].teams, team))
    valid = len(groups) in counts and all(
        len(g.teams) in pool.grouping.sizes and pool.common(g.teams) for g in groups
    )
    return groups if valid else None


def _ids(pool: Pool, groups: list[Formed], renumber: bool) -> list[SolvedGroup]:
    """Give each group its id: in roster order of first teams on a fresh solve, else the
    previous id, and the smallest free numbers for groups new this time."""
    index = pool.index
    taken = {g.id for g in pool.pinned} | {g.id for g in groups if g.id is not None}
    if renumber:
        groups = sorted(groups, key=lambda g: min(index[t] for t in g.teams))
        taken = {g.id for g in pool.pinned}
        groups = [attrs.evolve(g, id=None) for g in groups]
    number = 0
    named = []
    for group in groups:
        group_id = group.id
        while group_id is None:
            number += 1
            candidate = pool.grouping.group_id(number)
            if candidate not in taken:
                group_id = candidate
                taken.add(candidate)
        named.append(attrs.evolve(group, id=group_id))
    return [_solved(pool, g) for g in named]


def _solved(pool: Pool, group: Formed) -> SolvedGroup:
    assert group.id is not None
    number = _number(pool, group.id)
    previous = {g.id: g.name for g in pool.previous}
    name = pool.grouping.group_name(number) if number else previous.get(group.id, group.id)
    teams = tuple(sorted(group.teams, key=lambda t: pool.index[t]))
    return SolvedGroup(activity=pool.ref, id=group.id, name=name, teams=teams)


def _relabel(pool: Pool, groups: list[Formed], previous: list[SolvedGroup]) -> list[Formed]:
    """Give each new group the id of the previous group it shares most teams with, so that
    a re-solve that had to start afresh still keeps as many teams as it can where they were."""
    overlap = sorted(
        (
            (-len(set(group.teams) & set(old.teams)), g, _number(pool, old.id) or 0, old.id)
            for g, group in enumerate(groups)
            for old in previous
        )
    )
    named: dict[int, str] = {}
    taken: set[str] = set()
    for shared, g, _, old_id in overlap:
        if shared < 0 and g not in named and old_id not in taken:
            named[g] = old_id
            taken.add(old_id)
    return [attrs.evolve(group, id=named.get(g)) for g, group in enumerate(groups)]


def _before(groups: list[Formed], previous: list[SolvedGroup]) -> dict[str, int]:
    """Each team's previous group, as a position in ``groups`` (where it is still formed)."""
    position = {group.id: g for g, group in enumerate(groups) if group.id is not None}
    return {team: position[old.id] for old in previous for team in old.teams if old.id in position}


def form_groups(pool: Pool, work: float) -> tuple[SolvedGroup, ...]:
    """The pool's coaching groups: its pinned groups as they are, the rest formed anew.

    On a re-solve the previous grouping is the start (new teams added where they
    fit) and every team kept where it was counts; when that grouping no longer
    holds, a fresh one is labelled after the previous groups it overlaps most.

    Raises:
        NoGroupingError: if the free teams cannot be grouped (the caller explains why).
    """
    pinned_teams = {t for g in pool.pinned for t in g.teams}
    free = [t for t in pool.teams if t not in pinned_teams]
    pinned = [attrs.evolve(g, pinned=True) for g in pool.pinned]
    if not free:
        return tuple(pinned)
    counts = pool.counts(len(pool.teams))
    counts = range(max(counts.start - len(pool.pinned), 1), counts.stop - len(pool.pinned))
    previous = [g for g in pool.previous if not g.pinned]
    groups = _from_previous(pool, free, counts) if previous else None
    if groups is None:
        groups = first_grouping(pool, free, counts, work / 4)
        groups = _relabel(pool, groups, previous) if previous else groups
    formed = reform(pool, groups, _before(groups, previous), work)
    return tuple(
        sorted(
            [*pinned, *_ids(pool, formed, renumber=not previous)],
            key=lambda g: (_number(pool, g.id) or 0, g.id),
        )
    )


__all__ = [
    "BLOCK_GROUPS",
    "Formed",
    "NoGroupingError",
    "classes",
    "fair_shares",
    "first_grouping",
    "form_groups",
    "reform",
]
