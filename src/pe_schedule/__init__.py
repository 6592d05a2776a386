"""pe_schedule: declare a programme's activity grids as data, check them, publish feeds.

The usual path: :func:`load` a declaration, :func:`check` its alternating-month
rules, list :func:`events` for an audience, and :func:`build_feeds` its folder of
iCalendar feeds (or get one feed with :func:`feed_calendar`).
"""

from __future__ import annotations

from importlib.metadata import version

# Exported as build_feeds so that the name pe_schedule.build stays the module.
from pe_schedule.build import Result
from pe_schedule.build import build as build_feeds
from pe_schedule.changelog import render as render_changes
from pe_schedule.declaration import discover, load
from pe_schedule.event import Event, Status, Target, TargetKind
from pe_schedule.exceptions import (
    DeclarationError,
    OutputError,
    PeScheduleError,
    PeScheduleWarning,
    Problem,
)
from pe_schedule.expand import events
from pe_schedule.feeds import Feed, feed_calendar, feed_ics
from pe_schedule.grid import Grid
from pe_schedule.ledger import Change, Fate, Ledger, reconcile
from pe_schedule.model import Activity, Audience, Cohort, Programme
from pe_schedule.months import YearMonth
from pe_schedule.roster import Group, Person, Role, Roster, Team, load_roster
from pe_schedule.rules import Rule, Violation, check
from pe_schedule.sanity import SanityProblem, sanity_problems

__version__ = version("pe-schedule")

__all__ = [
    "Activity",
    "Audience",
    "Change",
    "Cohort",
    "DeclarationError",
    "Event",
    "Fate",
    "Feed",
    "Grid",
    "Group",
    "Ledger",
    "OutputError",
    "PeScheduleError",
    "PeScheduleWarning",
    "Person",
    "Problem",
    "Programme",
    "Result",
    "Role",
    "Roster",
    "Rule",
    "SanityProblem",
    "Status",
    "Target",
    "TargetKind",
    "Team",
    "Violation",
    "YearMonth",
    "__version__",
    "build_feeds",
    "check",
    "discover",
    "events",
    "feed_calendar",
    "feed_ics",
    "load",
    "load_roster",
    "reconcile",
    "render_changes",
    "sanity_problems",
]
