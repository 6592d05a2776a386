"""pe_schedule: declare a programme's activity grids as data, check them, publish feeds.

The usual path: :func:`load` a declaration, :func:`check` its alternating-month
rules (and :func:`sanity_problems` its dated events), list :func:`events` for
an audience, and :func:`build_feeds` its folder of iCalendar feeds (or get one
feed with :func:`feed_calendar`). :func:`solve` makes the decisions a
declaration leaves open (coaching groups, coaches, slots; it needs the
``solve`` extra), :func:`verify_solved` checks them, and :func:`load` folds
the solved schedule beside a declaration in.

Everything public is here, in ``__all__``, and in :mod:`pe_schedule.exceptions`;
the layers it is built from live in ``pe_schedule._internal`` (model,
declaration, rules, schedule, publish, render, then build and serve) and may
change without notice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pe_schedule._internal.build import Result
from pe_schedule._internal.build import build as build_feeds
from pe_schedule._internal.declaration.load import discover, load
from pe_schedule._internal.declaration.roster import load_roster
from pe_schedule._internal.declaration.schema import declaration_schema
from pe_schedule._internal.declaration.solved import read_solved, solved_path
from pe_schedule._internal.model.activity import Activity, Grouping
from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.availability import Availability, WorkingHours
from pe_schedule._internal.model.event import AllDay, Event, Span, Status, Timed
from pe_schedule._internal.model.months import Cadence, Window, YearMonth
from pe_schedule._internal.model.occasion import Occasion, Weekly
from pe_schedule._internal.model.programme import Cohort, Programme
from pe_schedule._internal.model.roster import (
    Group,
    Person,
    Role,
    Roster,
    Staff,
    StaffRole,
    Team,
)
from pe_schedule._internal.model.rule import Operand, Rule, RuleKey, Violation
from pe_schedule._internal.model.solved import (
    Solved,
    SolvedGroup,
    SolvedSession,
    apply_solution,
)
from pe_schedule._internal.model.timing import (
    Choices,
    DayOfMonth,
    DayRule,
    HolidayPolicy,
    NthWeekday,
    Override,
    Session,
    Slot,
    Timing,
)
from pe_schedule._internal.model.zones import Zone
from pe_schedule._internal.publish.feeds import Feed, Plan, feed_calendar, feed_ics
from pe_schedule._internal.publish.files import Comparison, Written
from pe_schedule._internal.publish.ledger import (
    Change,
    Fate,
    Ledger,
    LedgerEntry,
    LedgerState,
    reconcile,
)
from pe_schedule._internal.render.changelog import render as render_changes
from pe_schedule._internal.render.grid import (
    CohortGrid,
    Grid,
    Row,
    YearGroup,
    render_html,
    render_json,
    render_markdown,
    render_text,
)
from pe_schedule._internal.render.listing import as_csv as events_csv
from pe_schedule._internal.render.listing import as_json as events_json
from pe_schedule._internal.render.listing import as_table as events_table
from pe_schedule._internal.rules import RULE_KINDS, check, rule_kind
from pe_schedule._internal.rules.kinds import (
    AlternatesWith,
    EveryNMonths,
    InPersonWith,
    MonthlyExcept,
    NotWith,
    SameMonths,
)
from pe_schedule._internal.schedule.expand import events
from pe_schedule._internal.schedule.sanity import SanityKind, SanityProblem, sanity_problems
from pe_schedule.exceptions import (
    DeclarationError,
    OutputError,
    PeScheduleError,
    PeScheduleWarning,
    Problem,
    SolverUnavailable,
    Unsolvable,
)

if TYPE_CHECKING:
    from pe_schedule._internal.solve import Solution, solve, solved_toml
    from pe_schedule._internal.solve import verify as verify_solved

    __version__: str

#: Public names loaded on first use, so ``import pe_schedule`` (and every command
#: but ``solve``) does not pay for them: name -> (module, attribute).
_LAZY = {
    "Solution": ("pe_schedule._internal.solve", "Solution"),
    "solve": ("pe_schedule._internal.solve", "solve"),
    "solved_toml": ("pe_schedule._internal.solve", "solved_toml"),
    "verify_solved": ("pe_schedule._internal.solve", "verify"),
}


def __getattr__(name: str) -> Any:
    """The lazily loaded public names, and ``__version__`` (read from the installed
    package's metadata, whose import alone costs more than most commands)."""
    if name == "__version__":
        from importlib.metadata import version

        value: Any = version("pe-schedule")
    elif name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "RULE_KINDS",
    "Activity",
    "AllDay",
    "AlternatesWith",
    "AudienceKind",
    "Availability",
    "Cadence",
    "Change",
    "Choices",
    "Cohort",
    "CohortGrid",
    "Comparison",
    "DayOfMonth",
    "DayRule",
    "DeclarationError",
    "Event",
    "EveryNMonths",
    "Fate",
    "Feed",
    "Grid",
    "Group",
    "Grouping",
    "HolidayPolicy",
    "InPersonWith",
    "Ledger",
    "LedgerEntry",
    "LedgerState",
    "MonthlyExcept",
    "NotWith",
    "NthWeekday",
    "Occasion",
    "Operand",
    "OutputError",
    "Override",
    "PeScheduleError",
    "PeScheduleWarning",
    "Person",
    "Plan",
    "Problem",
    "Programme",
    "Result",
    "Role",
    "Roster",
    "Row",
    "Rule",
    "RuleKey",
    "SameMonths",
    "SanityKind",
    "SanityProblem",
    "Session",
    "Slot",
    "Solution",
    "Solved",
    "SolvedGroup",
    "SolvedSession",
    "SolverUnavailable",
    "Span",
    "Staff",
    "StaffRole",
    "Status",
    "Target",
    "Team",
    "Timed",
    "Timing",
    "Unsolvable",
    "Violation",
    "Weekly",
    "Window",
    "WorkingHours",
    "Written",
    "YearGroup",
    "YearMonth",
    "Zone",
    "__version__",
    "apply_solution",
    "build_feeds",
    "check",
    "declaration_schema",
    "discover",
    "events",
    "events_csv",
    "events_json",
    "events_table",
    "feed_calendar",
    "feed_ics",
    "load",
    "load_roster",
    "read_solved",
    "reconcile",
    "render_changes",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "rule_kind",
    "sanity_problems",
    "solve",
    "solved_path",
    "solved_toml",
    "verify_solved",
]
