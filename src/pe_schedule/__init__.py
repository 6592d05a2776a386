"""pe_schedule: declare a programme's activity grids as data, check them, publish feeds.

The usual path: :func:`load` a declaration, :func:`check` it (its
alternating-month rules and its dated events, exactly as ``pe-schedule check``
reports them), list :func:`events` for
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

if TYPE_CHECKING:
    from pe_schedule._internal.build import Result
    from pe_schedule._internal.build import build as build_feeds
    from pe_schedule._internal.declaration.load import discover, load
    from pe_schedule._internal.declaration.roster import load_roster
    from pe_schedule._internal.declaration.schema import declaration_schema, roster_schema
    from pe_schedule._internal.declaration.solved import read_solved, solved_path
    from pe_schedule._internal.model.activity import Activity, ActivityName, Grouping
    from pe_schedule._internal.model.audience import AudienceKind, Target
    from pe_schedule._internal.model.availability import Availability, WorkingHours
    from pe_schedule._internal.model.event import AllDay, Event, Span, Status, Timed
    from pe_schedule._internal.model.holidays import HolidayCalendar
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
        render_svg,
        render_text,
    )
    from pe_schedule._internal.render.grid_pdf import render_pdf
    from pe_schedule._internal.render.listing import as_csv as events_csv
    from pe_schedule._internal.render.listing import as_json as events_json
    from pe_schedule._internal.render.listing import as_table as events_table
    from pe_schedule._internal.rules import RULE_KINDS, rule_kind
    from pe_schedule._internal.rules.kinds import (
        AlternatesWith,
        EveryNMonths,
        InPersonWith,
        MonthlyExcept,
        NotWith,
        SameMonths,
    )
    from pe_schedule._internal.schedule.check import Finding, check
    from pe_schedule._internal.schedule.expand import events
    from pe_schedule._internal.schedule.sanity import (
        SanityGroup,
        SanityKind,
        SanityProblem,
        sanity_problems,
    )
    from pe_schedule._internal.solve import Solution, solve, solved_toml
    from pe_schedule._internal.solve import verify as verify_solved
    from pe_schedule.exceptions import (
        DeclarationError,
        OutputError,
        PeScheduleError,
        PeScheduleWarning,
        Problem,
        SolverUnavailable,
        UnknownNameError,
        Unsolvable,
    )

    __version__: str

#: Every public name, loaded on first use: ``import pe_schedule`` costs next to
#: nothing, and a program pays only for the layers it touches (the solver only
#: when it solves). name -> (module, attribute); the imports above, for type
#: checkers, name the same things (a test holds the two together).
_LAZY = {
    "Result": ("pe_schedule._internal.build", "Result"),
    "build_feeds": ("pe_schedule._internal.build", "build"),
    "discover": ("pe_schedule._internal.declaration.load", "discover"),
    "load": ("pe_schedule._internal.declaration.load", "load"),
    "load_roster": ("pe_schedule._internal.declaration.roster", "load_roster"),
    "declaration_schema": ("pe_schedule._internal.declaration.schema", "declaration_schema"),
    "roster_schema": ("pe_schedule._internal.declaration.schema", "roster_schema"),
    "read_solved": ("pe_schedule._internal.declaration.solved", "read_solved"),
    "solved_path": ("pe_schedule._internal.declaration.solved", "solved_path"),
    "Activity": ("pe_schedule._internal.model.activity", "Activity"),
    "ActivityName": ("pe_schedule._internal.model.activity", "ActivityName"),
    "Grouping": ("pe_schedule._internal.model.activity", "Grouping"),
    "HolidayCalendar": ("pe_schedule._internal.model.holidays", "HolidayCalendar"),
    "AudienceKind": ("pe_schedule._internal.model.audience", "AudienceKind"),
    "Target": ("pe_schedule._internal.model.audience", "Target"),
    "Availability": ("pe_schedule._internal.model.availability", "Availability"),
    "WorkingHours": ("pe_schedule._internal.model.availability", "WorkingHours"),
    "AllDay": ("pe_schedule._internal.model.event", "AllDay"),
    "Event": ("pe_schedule._internal.model.event", "Event"),
    "Span": ("pe_schedule._internal.model.event", "Span"),
    "Status": ("pe_schedule._internal.model.event", "Status"),
    "Timed": ("pe_schedule._internal.model.event", "Timed"),
    "Cadence": ("pe_schedule._internal.model.months", "Cadence"),
    "Window": ("pe_schedule._internal.model.months", "Window"),
    "YearMonth": ("pe_schedule._internal.model.months", "YearMonth"),
    "Occasion": ("pe_schedule._internal.model.occasion", "Occasion"),
    "Weekly": ("pe_schedule._internal.model.occasion", "Weekly"),
    "Cohort": ("pe_schedule._internal.model.programme", "Cohort"),
    "Programme": ("pe_schedule._internal.model.programme", "Programme"),
    "Group": ("pe_schedule._internal.model.roster", "Group"),
    "Person": ("pe_schedule._internal.model.roster", "Person"),
    "Role": ("pe_schedule._internal.model.roster", "Role"),
    "Roster": ("pe_schedule._internal.model.roster", "Roster"),
    "Staff": ("pe_schedule._internal.model.roster", "Staff"),
    "StaffRole": ("pe_schedule._internal.model.roster", "StaffRole"),
    "Team": ("pe_schedule._internal.model.roster", "Team"),
    "Operand": ("pe_schedule._internal.model.rule", "Operand"),
    "Rule": ("pe_schedule._internal.model.rule", "Rule"),
    "RuleKey": ("pe_schedule._internal.model.rule", "RuleKey"),
    "Violation": ("pe_schedule._internal.model.rule", "Violation"),
    "Solved": ("pe_schedule._internal.model.solved", "Solved"),
    "SolvedGroup": ("pe_schedule._internal.model.solved", "SolvedGroup"),
    "SolvedSession": ("pe_schedule._internal.model.solved", "SolvedSession"),
    "apply_solution": ("pe_schedule._internal.model.solved", "apply_solution"),
    "Choices": ("pe_schedule._internal.model.timing", "Choices"),
    "DayOfMonth": ("pe_schedule._internal.model.timing", "DayOfMonth"),
    "DayRule": ("pe_schedule._internal.model.timing", "DayRule"),
    "HolidayPolicy": ("pe_schedule._internal.model.timing", "HolidayPolicy"),
    "NthWeekday": ("pe_schedule._internal.model.timing", "NthWeekday"),
    "Override": ("pe_schedule._internal.model.timing", "Override"),
    "Session": ("pe_schedule._internal.model.timing", "Session"),
    "Slot": ("pe_schedule._internal.model.timing", "Slot"),
    "Timing": ("pe_schedule._internal.model.timing", "Timing"),
    "Zone": ("pe_schedule._internal.model.zones", "Zone"),
    "Feed": ("pe_schedule._internal.publish.feeds", "Feed"),
    "Plan": ("pe_schedule._internal.publish.feeds", "Plan"),
    "feed_calendar": ("pe_schedule._internal.publish.feeds", "feed_calendar"),
    "feed_ics": ("pe_schedule._internal.publish.feeds", "feed_ics"),
    "Comparison": ("pe_schedule._internal.publish.files", "Comparison"),
    "Written": ("pe_schedule._internal.publish.files", "Written"),
    "Change": ("pe_schedule._internal.publish.ledger", "Change"),
    "Fate": ("pe_schedule._internal.publish.ledger", "Fate"),
    "Ledger": ("pe_schedule._internal.publish.ledger", "Ledger"),
    "LedgerEntry": ("pe_schedule._internal.publish.ledger", "LedgerEntry"),
    "LedgerState": ("pe_schedule._internal.publish.ledger", "LedgerState"),
    "reconcile": ("pe_schedule._internal.publish.ledger", "reconcile"),
    "render_changes": ("pe_schedule._internal.render.changelog", "render"),
    "CohortGrid": ("pe_schedule._internal.render.grid", "CohortGrid"),
    "Grid": ("pe_schedule._internal.render.grid", "Grid"),
    "Row": ("pe_schedule._internal.render.grid", "Row"),
    "YearGroup": ("pe_schedule._internal.render.grid", "YearGroup"),
    "render_html": ("pe_schedule._internal.render.grid", "render_html"),
    "render_json": ("pe_schedule._internal.render.grid", "render_json"),
    "render_markdown": ("pe_schedule._internal.render.grid", "render_markdown"),
    "render_svg": ("pe_schedule._internal.render.grid", "render_svg"),
    "render_text": ("pe_schedule._internal.render.grid", "render_text"),
    "render_pdf": ("pe_schedule._internal.render.grid_pdf", "render_pdf"),
    "events_csv": ("pe_schedule._internal.render.listing", "as_csv"),
    "events_json": ("pe_schedule._internal.render.listing", "as_json"),
    "events_table": ("pe_schedule._internal.render.listing", "as_table"),
    "RULE_KINDS": ("pe_schedule._internal.rules", "RULE_KINDS"),
    "rule_kind": ("pe_schedule._internal.rules", "rule_kind"),
    "AlternatesWith": ("pe_schedule._internal.rules.kinds", "AlternatesWith"),
    "EveryNMonths": ("pe_schedule._internal.rules.kinds", "EveryNMonths"),
    "InPersonWith": ("pe_schedule._internal.rules.kinds", "InPersonWith"),
    "MonthlyExcept": ("pe_schedule._internal.rules.kinds", "MonthlyExcept"),
    "NotWith": ("pe_schedule._internal.rules.kinds", "NotWith"),
    "SameMonths": ("pe_schedule._internal.rules.kinds", "SameMonths"),
    "Finding": ("pe_schedule._internal.schedule.check", "Finding"),
    "check": ("pe_schedule._internal.schedule.check", "check"),
    "events": ("pe_schedule._internal.schedule.expand", "events"),
    "SanityKind": ("pe_schedule._internal.schedule.sanity", "SanityKind"),
    "SanityGroup": ("pe_schedule._internal.schedule.sanity", "SanityGroup"),
    "SanityProblem": ("pe_schedule._internal.schedule.sanity", "SanityProblem"),
    "sanity_problems": ("pe_schedule._internal.schedule.sanity", "sanity_problems"),
    "Solution": ("pe_schedule._internal.solve", "Solution"),
    "solve": ("pe_schedule._internal.solve", "solve"),
    "solved_toml": ("pe_schedule._internal.solve", "solved_toml"),
    "verify_solved": ("pe_schedule._internal.solve", "verify"),
    "DeclarationError": ("pe_schedule.exceptions", "DeclarationError"),
    "OutputError": ("pe_schedule.exceptions", "OutputError"),
    "PeScheduleError": ("pe_schedule.exceptions", "PeScheduleError"),
    "PeScheduleWarning": ("pe_schedule.exceptions", "PeScheduleWarning"),
    "Problem": ("pe_schedule.exceptions", "Problem"),
    "SolverUnavailable": ("pe_schedule.exceptions", "SolverUnavailable"),
    "UnknownNameError": ("pe_schedule.exceptions", "UnknownNameError"),
    "Unsolvable": ("pe_schedule.exceptions", "Unsolvable"),
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
    "ActivityName",
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
    "Finding",
    "Grid",
    "Group",
    "Grouping",
    "HolidayCalendar",
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
    "SanityGroup",
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
    "UnknownNameError",
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
    "render_pdf",
    "render_svg",
    "render_text",
    "roster_schema",
    "rule_kind",
    "sanity_problems",
    "solve",
    "solved_path",
    "solved_toml",
    "verify_solved",
]
