"""The solve layer: the decisions a declaration leaves open, made by a constraint solver.

``solve`` forms coaching groups, assigns coaches and picks every open slot
(OR-Tools CP-SAT, imported only when it runs); ``verify`` checks a solved
schedule against the declaration in plain Python; ``solved_toml`` writes the
solved file a reviewer reads.
"""

from __future__ import annotations

from pe_schedule._internal.solve.engine import Solution, solve
from pe_schedule._internal.solve.verify import verify
from pe_schedule._internal.solve.writer import solved_toml

__all__ = ["Solution", "solve", "solved_toml", "verify"]
