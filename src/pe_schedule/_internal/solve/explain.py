"""Why no schedule exists, in a programme manager's words, and what would make one.

Three steps. First, plain checks catch what needs no solver and explain it
exactly: team counts that no group sizes can split, a team whose working day
holds none of the choices, a session whose teams (and coaches) share no slot,
a session nobody may lead, a pinned decision that no longer fits. Then a
count: whether the coaches can lead every session of a month at all
(``capacity``). Then, for what only a search can show (overlaps, daily caps,
how teams must share groups), the explaining models tie each requirement a
person could relax to an assumption literal; CP-SAT narrows down a set of them
that cannot all hold (``sufficient_assumptions_for_infeasibility``), and
QuickXplain, over copies of the model with requirements fixed on and off,
shrinks it to a minimal one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from pe_schedule._internal.model.availability import WEEKDAYS, Availability, clock, weekday_names
from pe_schedule._internal.model.solved import Solved, SolvedSession
from pe_schedule._internal.solve.capacity import Shortfall
from pe_schedule._internal.solve.cpsat import new_model, run
from pe_schedule._internal.solve.describe import NAMED, names, offered, plural
from pe_schedule._internal.solve.facts import Facts, Unit
from pe_schedule._internal.solve.groups import classes
from pe_schedule._internal.solve.options import Option
from pe_schedule._internal.solve.pool import Pool
from pe_schedule._internal.solve.sessions import KINDS, Key, Sessions
from pe_schedule.exceptions import Unsolvable

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpModel, IntVar

#: The most re-solves spent shrinking one conflicting set.
SHRINK_STEPS = 60


# -- people, as a programme manager knows them ------------------------------------------------


def _day(who: Availability) -> str:
    days = "" if who.days == WEEKDAYS else f", {weekday_names(who.days)} only"
    away = f", {len(who.away)} days away" if who.away else ""
    return f"{who.zone.name}, {who.hours}{days}{away}"


def team_words(facts: Facts, team: str) -> str:
    """``team ln-07 (Pacific/Honolulu, 09:00-17:00)``."""
    return f"team {team} ({_day(facts.team(team))})"


def coach_words(facts: Facts, coach: str) -> str:
    """``Amara Lewis (coach amara-lewis; America/New_York, 09:00-17:00, Monday only)``."""
    member = facts.member(coach)
    if member is None:
        return f"{coach} (on no staff list)"
    return f"{member.name} ({member.role.value} {coach}; {_day(facts.staff(coach))})"


def _teams_words(facts: Facts, teams: Sequence[str]) -> str:
    """Teams grouped by working day: ``teams a, b (Pacific/Honolulu, 09:00-17:00)``."""
    rows: dict[str, list[str]] = {}
    for team in teams:
        rows.setdefault(_day(facts.team(team)), []).append(team)
    parts = [
        f"{'team' if len(ids) == 1 else 'teams'} {names(ids)} ({day})" for day, ids in rows.items()
    ]
    return " and ".join(parts)


def _local_range(facts: Facts, who: Availability, unit_ref: str, options: Iterable[Option]) -> str:
    """The earliest start and latest end of ``options`` on ``who``'s clock: ``05:00-11:00``."""
    spans = []
    for option in options:
        for meeting in facts.placement_of(unit_ref, None, option).meetings:
            start, end = who.local(meeting.start), who.local(meeting.end)
            spans.append((start.hour * 60 + start.minute, end.hour * 60 + end.minute))
    if not spans:
        return "no time"
    first = min(s for s, _ in spans)
    last = max(e for _, e in spans)
    return f"{clock(first)}-{clock(last)}"


def _unsolvable(conflicts: Iterable[str], relaxations: Iterable[str], headline: str) -> Unsolvable:
    return Unsolvable(
        conflicts=tuple(dict.fromkeys(conflicts)),
        relaxations=tuple(dict.fromkeys(relaxations)),
        headline=headline,
    )


# -- shrinking a conflicting set ---------------------------------------------------------------


def infeasible(
    model: CpModel, guards: dict[Key, IntVar], kept: Collection[Key], work: float
) -> bool:
    """Whether the requirements ``kept``, and no other of ``guards``, are proven to conflict.

    Each other guard is fixed off and each kept one on, in a copy of the model:
    the solver's presolve then works as on a model without assumptions, which
    proves a conflict far sooner than assumption literals do.
    """
    trial = model.clone()
    for key in sorted(guards):
        literal = trial.get_bool_var_from_proto_index(guards[key].index)
        trial.add(literal == (key in kept))
    _, outcome = run(trial, work)
    return outcome.infeasible


def quickxplain(conflict: Callable[[list[Key]], bool], candidates: list[Key]) -> list[Key]:
    """A minimal subset of ``candidates`` that still conflicts (QuickXplain, Junker 2004):
    halves are dropped while the rest still conflicts, so a conflict of k among n is found
    in about k log(n/k) checks rather than n.

    >>> quickxplain(lambda kept: {("a", "1"), ("c", "3")} <= set(kept),
    ...             [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")])
    [('a', '1'), ('c', '3')]
    """

    def split(background: list[Key], added: bool, rest: list[Key]) -> list[Key]:
        if added and conflict(background):
            return []
        if len(rest) == 1:
            return list(rest)
        first, second = rest[: len(rest) // 2], rest[len(rest) // 2 :]
        found_second = split(background + first, bool(first), second)
        found_first = split(background + found_second, bool(found_second), first)
        return found_first + found_second

    if conflict([]) or not candidates:
        return []
    return split([], False, candidates)


def conflicting(
    model: CpModel, guards: dict[Key, IntVar], work: float
) -> tuple[list[Key] | None, str]:
    """A minimal set of conflicting requirements of ``model``; ``None`` when there is no
    conflict or the solver could not show one within ``work`` (with its status).

    The solver's own core under assumptions narrows the search when it comes
    quickly; QuickXplain over copies with requirements fixed on and off makes
    it minimal (bounded: past :data:`SHRINK_STEPS` checks, what is left stays).
    """
    order = sorted(guards)
    _, outcome = run(model, work / 4, [guards[k] for k in order])
    by_index = {guards[k].index: k for k in order}
    core = sorted(by_index[i] for i in outcome.core if i in by_index) if outcome.core else order
    step = max(work / (2 * SHRINK_STEPS), 0.05)
    if not infeasible(model, guards, core, work / 4):
        return None, outcome.status
    checks = [0]

    def conflict(kept: list[Key]) -> bool:
        checks[0] += 1
        return checks[0] <= SHRINK_STEPS and infeasible(model, guards, kept, step)

    found = quickxplain(conflict, core)
    if checks[0] > SHRINK_STEPS and not infeasible(model, guards, found, work / 4):
        found = core
    return found, "INFEASIBLE"


# -- groups -------------------------------------------------------------------------------------


def _sizes_text(pool: Pool) -> str:
    grouping = pool.grouping
    if grouping.smallest == grouping.largest:
        return f"groups of {plural(grouping.smallest, 'team')}"
    return f"groups of {grouping.smallest} to {grouping.largest} teams"


def _splits(teams: int, smallest: int, largest: int, count: int | None) -> bool:
    """Whether ``teams`` teams split into groups of ``smallest`` to ``largest`` (``count`` of them).

    >>> _splits(5, 2, 2, None), _splits(5, 2, 3, None), _splits(5, 2, 3, 1)
    (False, True, False)
    """
    counts = [count] if count is not None else range(1, teams + 1)
    return any(c * smallest <= teams <= c * largest for c in counts)


def _arithmetic(pool: Pool) -> Unsolvable | None:
    """Team counts no group sizes (and count) can split, caught before any search."""
    teams, grouping = len(pool.teams), pool.grouping
    smallest, largest, count = grouping.smallest, grouping.largest, grouping.count
    if _splits(teams, smallest, largest, count):
        return None
    wanted = f" in exactly {count} groups" if count is not None else ""
    relaxations = []
    wider = next(
        (n for n in range(largest + 1, teams + 1) if _splits(teams, smallest, n, count)), None
    )
    if wider is not None:
        relaxations.append(f"allow groups of {smallest} to {wider} teams")
    smaller = next(
        (n for n in range(smallest - 1, 0, -1) if _splits(teams, n, largest, count)), None
    )
    if smaller is not None:
        relaxations.append(f"allow groups of {smaller} to {largest} teams")
    if count is not None and _splits(teams, smallest, largest, None):
        fits = [c for c in range(1, teams + 1) if _splits(teams, smallest, largest, c)]
        relaxations.append(f"ask for {fits[0]} to {fits[-1]} groups, or leave count out")
    return _unsolvable(
        [f"{pool.ref} has {teams} teams to form into {_sizes_text(pool)}{wanted}"],
        relaxations,
        "the teams cannot be split into groups of the sizes asked for:",
    )


def _all_slots(facts: Facts, pool: Pool) -> str:
    zone = facts.placement_of(pool.ref, None, pool.options[0]).zone.name
    return offered(pool.options, zone)


def _slots_words(pool: Pool, fits: Iterable[int]) -> str:
    chosen = sorted(fits)
    listed = ", ".join(str(pool.options[o]) for o in chosen[:4])
    more = f" and {len(chosen) - 4} more" if len(chosen) > 4 else ""
    return f"{listed}{more}"


def _pinned(facts: Facts, pool: Pool) -> list[tuple[str, str]]:
    """What is wrong with each pinned group on its own: (conflict, relaxation)."""
    found = []
    seen: dict[str, str] = {}
    for group in pool.pinned:
        fix = f"unpin {group.id} in the solved file (or change its teams)"
        stray = [t for t in group.teams if t not in pool.fits]
        if stray:
            found.append(
                (f"pinned group {group.id} holds {names(stray)}, not teams of {pool.cohort}", fix)
            )
        if len(group.teams) not in pool.grouping.sizes:
            found.append(
                (
                    (
                        f"pinned group {group.id} has {plural(len(group.teams), 'team')}; "
                        f"{_sizes_text(pool)} are asked for"
                    ),
                    fix,
                )
            )
        for team in group.teams:
            if team in seen:
                found.append((f"team {team} is in pinned groups {seen[team]} and {group.id}", fix))
            seen[team] = group.id
        members = [t for t in group.teams if t in pool.fits]
        if pool.options and members and not pool.common(members):
            found.append(
                (
                    (
                        f"pinned group {group.id} has {_teams_words(facts, members)}: no slot "
                        f"of {pool.ref} is inside all their working days"
                    ),
                    fix,
                )
            )
    return found


def check_pool(facts: Facts, pool: Pool) -> None:
    """Raise :class:`Unsolvable` for what makes ``pool`` ungroupable on its face."""
    problem = _arithmetic(pool)
    if problem is not None:
        raise problem
    pinned = _pinned(facts, pool)
    if pinned:
        raise _unsolvable(
            (c for c, _ in pinned), (r for _, r in pinned), "pinned groups cannot be kept:"
        )
    if not pool.options:
        return
    if not pool.usable:
        raise _nothing_usable(facts, pool)
    stuck = [t for t in pool.teams if not pool.own[t]]
    if stuck:
        conflicts = [
            f"{team_words(facts, t)} can meet at none of the {len(pool.options)} slots of "
            f"{pool.ref}, which fall {_local_range(facts, facts.team(t), pool.ref, pool.options)} its time"
            for t in stuck
        ]
        relaxations = [
            f"widen the working hours of {names(stuck)} (working_hours in the roster)",
            f"add start times to {pool.ref}'s choices inside their working day",
        ]
        raise _unsolvable(
            conflicts, relaxations, "some teams can meet at no slot of their group's activity:"
        )
    unled = [t for t in pool.teams if not pool.fits[t]]
    if unled:
        leaders = [m.id for m in facts.roster.staff if pool.ref in m.leads]
        raise _unsolvable(
            [
                f"{team_words(facts, t)} can meet only at {_slots_words(pool, pool.own[t])}, "
                f"when none of {', '.join(leaders)} (who may lead {pool.ref}) works"
                for t in unled
            ],
            [
                f"widen the working days or hours of {', '.join(leaders)}",
                f"widen the working hours of {names(unled)}",
            ],
            "some teams can meet only when nobody who may lead their group works:",
        )


def _nothing_usable(facts: Facts, pool: Pool) -> Unsolvable:
    """Why no slot of a grouped activity can be used by any group at all."""
    dated = [o for o in pool.options if not facts.placement_of(pool.ref, None, o).problems]
    if not dated:
        why = facts.placement_of(pool.ref, None, pool.options[0]).problems[0]
        return _unsolvable(
            [f"no slot of {pool.ref} has a date every month ({pool.options[0]}: {why})"],
            [f"change {pool.ref}'s choices or its holiday policy"],
            "no slot can be used:",
        )
    leaders = [m.id for m in facts.roster.staff if pool.ref in m.leads]
    return _unsolvable(
        [
            (
                f"{pool.ref} meets {_all_slots(facts, pool)}, and may "
                f"be led only by {' or '.join(coach_words(facts, c) for c in leaders)}: none "
                "of them works at any of those slots"
            )
        ],
        [
            f"widen the working days or hours of {', '.join(leaders)}",
            f"let another coach lead {pool.ref}",
            f"add slots to {pool.ref}'s choices on days and hours they work",
        ],
        "nobody who may lead the sessions works at any of their slots:",
    )


def _class_words(facts: Facts, pool: Pool, fits: frozenset[int], teams: list[str]) -> str:
    return (
        f"{_teams_words(facts, teams)} can meet at only {len(fits)} of the {len(pool.options)} "
        f"slots ({_slots_words(pool, fits)})"
    )


def _grouping_words(
    facts: Facts, pool: Pool, kinds: list[tuple[frozenset[int], list[str]]]
) -> dict[Key, tuple[str, str]]:
    """Each requirement of the explaining grouping model in words: (what, how to relax it)."""
    smallest, largest = pool.grouping.smallest, pool.grouping.largest
    words = {
        ("size", "smallest"): (
            f"groups have at least {plural(smallest, 'team')}",
            f"allow smaller groups (sizes = [{max(1, smallest - 1)}, {largest}])",
        ),
        ("size", "largest"): (
            f"groups have at most {plural(largest, 'team')}",
            f"allow larger groups (sizes = [{smallest}, {largest + 1}])",
        ),
        ("size", "count"): (
            f"there are exactly {plural(pool.grouping.count or 0, 'group')}",
            "ask for another number of groups, or leave count out",
        ),
    }
    for k, (fits, members) in enumerate(kinds):
        words["class", str(k)] = (
            _class_words(facts, pool, fits, members),
            (
                f"widen the working hours of {names(members)}, or add slots they can make to "
                f"{pool.ref}'s choices"
            ),
        )
    return words


def groups_unsolvable(facts: Facts, pool: Pool, work: float) -> Unsolvable:
    """The smallest conflicting set of grouping requirements, in words."""
    pinned = {t for g in pool.pinned for t in g.teams}
    kinds = classes(pool, [t for t in pool.teams if t not in pinned])
    model = new_model()
    guards: dict[Key, IntVar] = {}

    def guard(key: Key) -> IntVar:
        if key not in guards:
            guards[key] = model.new_bool_var(f"{key}")
        return guards[key]

    _explaining_grouping(model, pool, kinds, len(pool.pinned), guard)
    core, status = conflicting(model, guards, work / 2)
    if core is None:
        return _unsolvable(
            [f"no grouping of {pool.ref} was found within the solver's effort ({status})"],
            ["run again with more effort"],
            "no grouping found:",
        )
    words = _grouping_words(facts, pool, kinds)
    pins = ", ".join(g.id for g in pool.pinned)
    conflicts = [words[k][0] for k in core]
    relaxations = [words[k][1] for k in core]
    if pool.pinned:
        # Pinned groups are no assumption of the model: they are part of every conflict.
        conflicts.append(f"pinned groups {pins} keep their teams")
        relaxations.append(f"unpin some of {pins} in the solved file")
    return _unsolvable(
        conflicts,
        relaxations,
        f"no grouping of {pool.ref} lets every group's teams share a slot; these conflict:",
    )


def _explaining_grouping(
    model: CpModel,
    pool: Pool,
    kinds: list[tuple[frozenset[int], list[str]]],
    pinned: int,
    guard: Callable[[Key], IntVar],
) -> None:
    """Model 1 of ``groups`` with every relaxable requirement behind an assumption."""
    total = sum(len(members) for _, members in kinds)
    options = range(max(len(pool.options), 1))
    sent = {
        (k, o): model.new_int_var(0, len(members), f"n[{k},{o}]")
        for k, (_, members) in enumerate(kinds)
        for o in options
    }
    count = {o: model.new_int_var(0, total, f"g[{o}]") for o in options}
    for k, (fits, members) in enumerate(kinds):
        model.add(sum(sent[k, o] for o in options) == len(members))
        for o in options:
            if o not in fits:
                model.add(sent[k, o] == 0).only_enforce_if(guard(("class", str(k))))
    for o in options:
        there = sum(sent[k, o] for k in range(len(kinds)))
        model.add(there >= pool.grouping.smallest * count[o]).only_enforce_if(
            guard(("size", "smallest"))
        )
        model.add(there <= pool.grouping.largest * count[o]).only_enforce_if(
            guard(("size", "largest"))
        )
        model.add(there <= total * count[o])
    if pool.grouping.count is not None:
        wanted = pool.grouping.count - pinned
        model.add(sum(count.values()) == wanted).only_enforce_if(guard(("size", "count")))


# -- sessions ------------------------------------------------------------------------------------


def _no_common(
    facts: Facts, unit: Unit, usable: list[Option], coaches: Sequence[str]
) -> list[str] | None:
    """A smallest set of the unit's teams that shares no usable option (with one of
    ``coaches``, when given), or ``None`` when all of them share one."""

    def shared(teams: Sequence[str]) -> bool:
        for option in usable:
            if all(facts.conflict(facts.team(t), unit, option) is None for t in teams) and (
                not coaches
                or any(facts.conflict(facts.staff(c), unit, option) is None for c in coaches)
            ):
                return True
        return False

    teams = list(unit.teams)
    if shared(teams):
        return None
    for team in list(teams):
        trial = [t for t in teams if t != team]
        if not shared(trial):
            teams = trial
    return teams


def _why_not(facts: Facts, unit: Unit, teams: list[str], shown: int = 2) -> str:
    """Why the first few usable options miss some team's day: ``(second Tuesday 11:00: on
    2024-07-09 it starts 08:00 local, before working hours 09:00-17:00, for t1)``."""
    reasons = []
    for option in unit.options:
        if facts.placement(unit, option).problems:
            continue
        for team in teams:
            reason = facts.conflict(facts.team(team), unit, option)
            if reason is not None:
                reasons.append(f"{option}: {reason}, for {team}")
                break
        if len(reasons) == shown:
            break
    more = "; …" if len(unit.options) > shown else ""
    return f" ({'; '.join(reasons)}{more})" if reasons else ""


def _teams_problem(facts: Facts, unit: Unit, teams: list[str]) -> tuple[str, list[str]]:
    """The unit's teams share no usable slot: (conflict, relaxations)."""
    if not unit.open:
        return (
            (
                f"{unit.label} meets at {unit.options[0]}, as the declaration fixes it: outside "
                f"the working day of {_teams_words(facts, teams)}{_why_not(facts, unit, teams)}"
            ),
            [
                f"move {unit.label} to a time inside their working days (its timing)",
                f"widen the working hours of {names(teams)}",
            ],
        )
    return (
        (
            f"{unit.label} is for {_teams_words(facts, teams)}: no slot of its choices is "
            f"inside all their working days{_why_not(facts, unit, teams)}"
        ),
        [
            f"widen the working hours of {names(teams)}",
            f"add slots inside all their working days to {unit.ref}'s choices",
        ],
    )


def _coaches_problem(
    facts: Facts, unit: Unit, usable: list[Option]
) -> tuple[str, list[str]] | None:
    """Nobody who may lead the unit works at a slot its teams share: (conflict, relaxations)."""
    if not unit.leaders:
        return (
            (
                f"nobody may lead {unit.label}: no staff member both leads {unit.ref} and may "
                f"lead {unit.session or 'it'}"
            ),
            ["let a coach lead it (leads and only in the roster)"],
        )
    coaches = list(unit.assigned or unit.leaders)
    teams = _no_common(facts, unit, usable, coaches)
    if teams is None:
        return None
    who = " or ".join(coach_words(facts, c) for c in coaches)
    base = f"{unit.label} is for {_teams_words(facts, teams)} and" if teams else f"{unit.label}"
    return (
        f"{base} may be led only by {who}: no slot of its choices is inside all their working days",
        [
            f"let another coach lead {unit.label}",
            f"widen the working days or hours of {', '.join(coaches)}",
            *([f"widen the working hours of {names(teams)}"] if teams else []),
        ],
    )


def _unit_problem(facts: Facts, unit: Unit) -> tuple[str, list[str]] | None:
    """What makes ``unit`` unplaceable on its own: (conflict, relaxations), or ``None``."""
    usable = [o for o in unit.options if not facts.placement(unit, o).problems]
    if not usable:
        why = facts.placement(unit, unit.options[0]).problems[0]
        return (
            f"no slot of {unit.label} has a date every month ({unit.options[0]}: {why})",
            [f"change {unit.ref}'s choices or its holiday policy"],
        )
    teams = _no_common(facts, unit, usable, ())
    if teams is not None:
        return _teams_problem(facts, unit, teams)
    return _coaches_problem(facts, unit, usable) if unit.led else None


def _pin_problem(facts: Facts, unit: Unit, pin: SolvedSession) -> str | None:
    """Why a pinned decision of ``unit`` cannot stand on its own, if it cannot."""
    option = Option(day=pin.day, start=pin.start)
    if option not in unit.options:
        return f"{unit.label} is pinned to {option}, which is no longer among its choices"
    if pin.coach is not None and unit.led and pin.coach not in unit.leaders:
        return f"{unit.label} is pinned to coach {pin.coach}, who may not lead it"
    placement = facts.placement(unit, option)
    if placement.problems:
        return f"{unit.label} is pinned to {option}: {placement.problems[0]}"
    late = [t for t in unit.teams if facts.conflict(facts.team(t), unit, option)]
    if late:
        return (
            f"{unit.label} is pinned to {option}, outside the working day of "
            f"{_teams_words(facts, late)}"
        )
    coach = pin.coach if pin.coach is not None and facts.member(pin.coach) else None
    if coach is not None and facts.conflict(facts.staff(coach), unit, option):
        return f"{unit.label} is pinned to {option}, outside the working day of its coach {coach_words(facts, coach)}"
    return None


def check_units(facts: Facts, previous: Solved) -> None:
    """Raise :class:`Unsolvable` for sessions that cannot be placed, each on its own."""
    found: list[tuple[str, list[str]]] = []
    for unit in facts.units:
        if not unit.options:
            continue
        pin = previous.session(unit.ref, unit.session)
        wrong = _pin_problem(facts, unit, pin) if pin is not None and pin.pinned else None
        if wrong is not None:
            found.append((wrong, [f"unpin {unit.label} in the solved file"]))
            continue
        problem = _unit_problem(facts, unit)
        if problem is not None:
            found.append(problem)
    if found:
        raise _unsolvable(
            (c for c, _ in found),
            (r for _, rs in found for r in rs),
            "some sessions cannot be placed at all:",
        )


def _person(facts: Facts, kind: str, name: str) -> tuple[str, str] | None:
    """A requirement about one team's or coach's time, in words: (what, how to relax it)."""
    if kind == "team":
        return (
            f"{team_words(facts, name)} meets only inside its working day",
            f"widen team {name}'s working hours (working_hours in the roster)",
        )
    if kind == "coach":
        return (
            f"{coach_words(facts, name)} leads only inside their working day",
            f"widen coach {name}'s working hours or days, or let another coach lead",
        )
    member = facts.member(name)
    if kind == "cap":
        cap = member.max_per_day if member is not None else None
        return (
            f"coach {name} leads at most {plural(cap or 0, 'session')} a day",
            f"raise coach {name}'s max_per_day",
        )
    if kind == "only":
        only = ", ".join(member.only) if member is not None else ""
        return (f"coach {name} may lead only {only}", f"let coach {name} lead more sessions")
    return None


def _requirement(facts: Facts, previous: Solved, key: Key) -> tuple[str, str]:
    """A requirement of the explaining sessions model in words: (what, how to relax it)."""
    kind, name = key
    found = _person(facts, kind, name)
    if found is not None:
        return found
    ref, _, session = name.partition("#")
    label = f"{ref} for {session or 'the whole cohort'}"
    if kind == "assigned":
        unit = facts.unit(ref, session or None)
        who = ", ".join(unit.assigned) if unit is not None else "its coach"
        return (f"{label} is assigned to {who} for good", f"remove the assignment of {label}")
    if kind == "pin":
        entry = previous.session(ref, session or None)
        what = "" if entry is None else f" to {entry.day} {entry.start:%H:%M}"
        coach = "" if entry is None or entry.coach is None else f" with coach {entry.coach}"
        return (f"{label} is pinned{what}{coach}", f"unpin {label} in the solved file")
    return (f"{name} is fixed at its declared time", f"move {name} to another time")


def _stuck(model: Sessions, core: Iterable[Key]) -> list[str]:
    """The sessions the conflicting requirements leave without any option."""
    blocked = set(core)
    found = []
    for unit in model.units:
        choices = list(model.choices(unit))
        if choices and all(choice.against & blocked for choice in choices):
            found.append(unit.label)
    return found


def _listed(items: Sequence[str], noun: str) -> str:
    """``a, b and c`` or, when long, the first few and how many more."""
    if len(items) <= NAMED:
        return ", ".join(items)
    return f"{', '.join(items[:NAMED])} and {len(items) - NAMED} more {noun}"


def capacity_unsolvable(facts: Facts, shortfall: Shortfall) -> Unsolvable:
    """Sessions their possible coaches cannot all lead, in words."""
    count = len(shortfall.sessions)
    coaches = [c for c, _, _ in shortfall.coaches]
    conflicts = [
        (
            f"in {shortfall.month.label}, {plural(count, 'session')} need a coach each: "
            f"{_listed(shortfall.sessions, 'sessions')}"
        )
    ]
    for coach, days, cap in shortfall.coaches[:GATHERED]:
        dates = ", ".join(day.isoformat() for day in days)
        conflicts.append(
            f"{coach_words(facts, coach)} may lead them only on {dates}, at most "
            f"{plural(cap, 'session')} a day"
        )
    if len(shortfall.coaches) > GATHERED:
        conflicts.append(
            f"{_listed(coaches[GATHERED:], 'coaches')} may lead them on their working days, "
            "up to their max_per_day"
        )
    return _unsolvable(
        conflicts,
        [
            f"raise the max_per_day of {_listed(coaches, 'coaches')}",
            "let more coaches lead these sessions (leads and only in the roster)",
            "widen these coaches' working days, or add days to the choices",
        ],
        f"the coaches can lead at most {shortfall.room} of these {count} sessions:",
    )


#: The kinds of requirement each explaining model relaxes, cheapest first: the first
#: keeps the deciding model's variables (working days and who may lead what stay
#: hard), so it is no larger than the model that found no schedule.
LEVELS = (frozenset({"cap", "pin"}), KINDS)
#: Past this many requirements of one kind in a conflict, they are named on one line.
GATHERED = 4


def _phrase(facts: Facts, previous: Solved, core: Sequence[Key]) -> tuple[list[str], list[str]]:
    """The conflicting requirements in words, many of one kind (all daily caps) on one line."""
    conflicts: list[str] = []
    relaxations: list[str] = []
    kinds: dict[str, list[str]] = {}
    for kind, name in core:
        kinds.setdefault(kind, []).append(name)
    for kind, whose in kinds.items():
        if kind in ("cap", "coach", "team") and len(whose) > GATHERED:
            noun = "teams" if kind == "team" else "coaches"
            what = {
                "cap": "each lead no more sessions a day than their max_per_day",
                "coach": "each lead only inside their working days",
                "team": "each meet only inside their working days",
            }[kind]
            conflicts.append(f"{len(whose)} {noun} ({', '.join(whose)}) {what}")
            fix = {"cap": "raise the max_per_day of", "coach": "widen the working days of"}
            relaxations.append(f"{fix.get(kind, 'widen the working hours of')} some of them")
            continue
        for name in whose:
            what, how = _requirement(facts, previous, (kind, name))
            conflicts.append(what)
            relaxations.append(how)
    return conflicts, relaxations


def sessions_unsolvable(facts: Facts, previous: Solved, work: float, status: str) -> Unsolvable:
    """The smallest conflicting set of session requirements, in words.

    The cheaper explaining model goes first; when its relaxable requirements
    are no part of the conflict (it has none to name), the full one.
    """
    found = status
    for relax in LEVELS:
        model = Sessions(facts, previous, relax=relax)
        core, found = conflicting(model.model, model.guards, work / 2)
        if core:
            stuck = _stuck(model, core)
            where = f" (they leave no slot for {', '.join(stuck[:3])})" if stuck else ""
            conflicts, relaxations = _phrase(facts, previous, core)
            return _unsolvable(
                conflicts,
                relaxations,
                f"no schedule satisfies every requirement; these conflict{where}:",
            )
    if status == "INFEASIBLE" or found == "INFEASIBLE":
        return _unsolvable(
            [
                (
                    "the sessions' slots, teams and coaches leave no schedule, but the solver "
                    "could not narrow down which requirements conflict within its effort"
                )
            ],
            ["run again with more effort to see the conflict", "add slots to the choices"],
            "no schedule exists:",
        )
    return _unsolvable(
        [f"no schedule was found within the solver's effort ({status}, then {found})"],
        ["run again with more effort"],
        "no schedule found:",
    )


__all__ = [
    "SHRINK_STEPS",
    "capacity_unsolvable",
    "check_pool",
    "check_units",
    "coach_words",
    "conflicting",
    "groups_unsolvable",
    "infeasible",
    "quickxplain",
    "sessions_unsolvable",
    "team_words",
]
