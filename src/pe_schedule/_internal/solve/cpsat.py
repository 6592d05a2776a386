"""OR-Tools CP-SAT, imported only when a solve runs, set up for reproducible results.

``import pe_schedule`` never imports OR-Tools: it is an optional extra
(``pe-schedule[solve]``), and only the solver's model modules call
:func:`cp_model` when they build a model.

Reproducible: one search worker, a fixed seed, and a limit on *deterministic*
time (a count of the solver's own work, not seconds on a clock), so the same
model gives the same answer on any machine and any run. A wall-clock limit
would make the answer depend on how fast the machine was that day.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

import attrs

from pe_schedule.exceptions import SolverUnavailable

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpModel, CpSolver, IntVar

#: The solver's random seed: fixed, so runs repeat.
SEED = 20260101


def cp_model() -> ModuleType:
    """The ``ortools.sat.python.cp_model`` module.

    Raises:
        SolverUnavailable: if OR-Tools is not installed.
    """
    try:
        return importlib.import_module("ortools.sat.python.cp_model")
    except ImportError:
        raise SolverUnavailable() from None


def new_model() -> CpModel:
    """An empty CP-SAT model."""
    model: CpModel = cp_model().CpModel()
    return model


@attrs.frozen
class Outcome:
    """How one call of the solver ended."""

    #: ``OPTIMAL``, ``FEASIBLE``, ``INFEASIBLE``, ``MODEL_INVALID`` or ``UNKNOWN``.
    status: str
    #: The assumption literals (by index) that together make the model infeasible.
    core: tuple[int, ...] = ()

    @property
    def solved(self) -> bool:
        """Whether a solution was found."""
        return self.status in ("OPTIMAL", "FEASIBLE")

    @property
    def infeasible(self) -> bool:
        """Whether the solver proved there is no solution."""
        return self.status == "INFEASIBLE"


def run(
    model: CpModel, work: float, assumptions: Sequence[IntVar] = (), *, neighbourhoods: bool = False
) -> tuple[CpSolver, Outcome]:
    """Solve ``model`` with ``work`` units of deterministic time, under ``assumptions``.

    With assumptions, an infeasible outcome names a subset of them (by their
    variable index) that is infeasible on its own. ``neighbourhoods`` has the
    one worker take turns between the default search and large neighbourhood
    searches, in fixed batches (``interleave_search``): just as reproducible,
    and better at improving a grouping whose mirror images the default search
    keeps revisiting.
    """
    module = cp_model()
    model.clear_assumptions()
    if assumptions:
        model.add_assumptions(list(assumptions))
    solver: CpSolver = module.CpSolver()
    solver.parameters.num_workers = 1
    if neighbourhoods:
        solver.parameters.interleave_search = True
    solver.parameters.random_seed = SEED
    solver.parameters.max_deterministic_time = max(work, 0.01)
    solver.parameters.log_search_progress = False
    status = solver.solve(model)
    name = str(solver.status_name(status))
    core: tuple[int, ...] = ()
    if name == "INFEASIBLE" and assumptions:
        core = tuple(int(index) for index in solver.sufficient_assumptions_for_infeasibility())
    return solver, Outcome(status=name, core=core)


#: One span of a literal on the time line: (first, last, owner, literal index), in
#: minutes; the owner is who the literal belongs to (a session).
Span = tuple[int, int, int, int]


def at_most_one_at_a_time(
    model: CpModel,
    spans: Iterable[Span],
    literals: Mapping[int, IntVar],
    seen: set[frozenset[int]],
) -> None:
    """At most one of the literals whose spans cover any one instant is true.

    Two spans overlap exactly when one contains the other's start, so one
    constraint per distinct start is exact. Sets that hold one owner's
    literals only, or were added before (``seen``, shared across calls: the
    same pattern recurs every month), are skipped.
    """
    ordered = sorted(spans)
    active: list[Span] = []
    position = 0
    while position < len(ordered):
        instant = ordered[position][0]
        while position < len(ordered) and ordered[position][0] == instant:
            active.append(ordered[position])
            position += 1
        active = [span for span in active if span[1] > instant]
        if len({span[2] for span in active}) < 2:
            continue
        key = frozenset(span[3] for span in active)
        if key not in seen:
            seen.add(key)
            model.add_at_most_one(literals[index] for index in sorted(key))


__all__ = ["SEED", "Outcome", "Span", "at_most_one_at_a_time", "cp_model", "new_model", "run"]
