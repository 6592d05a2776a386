"""Small scheduling programmes shared by the scheduler's tests, as declaration text and as objects.

As text, for tests that load files: :data:`NETWORK` is the minimal declaration's
programme with a roster beside it and one cohort, ``network``, to which a test
appends its activities; :data:`COACHING` is the group coaching a solve decides;
:func:`roster` writes the teams of that cohort after their staff, and
:func:`write_declaration` puts both files side by side.

As objects, for tests that build a programme in code: :func:`one_cohort` is
programme ``p`` with its one cohort ``c``; :func:`coaching` and
:func:`all_team_call` are the open group coaching and the fixed call in
:data:`MONTHS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pe_schedule import (
    Activity,
    AudienceKind,
    Cohort,
    NthWeekday,
    Programme,
    Roster,
    Team,
    Timing,
    YearMonth,
    Zone,
)
from pe_schedule._internal.model.activity import Grouping
from pe_schedule._internal.model.timing import Choices
from tests.conftest import MINIMAL_DECLARATION

# --- As declaration text. ---

#: The minimal declaration's programme (2023, New York time) with ``demo.roster.toml``
#: beside it, and one cohort, ``network``, with no activity yet.
NETWORK = (
    MINIMAL_DECLARATION.split("[[cohorts.activities]]")[0]
    .replace(
        'timezone = "America/New_York"\n',
        'timezone = "America/New_York"\nroster = "demo.roster.toml"\n',
    )
    .replace('id = "cohort"\nname = "Cohort"', 'id = "network"\nname = "Network"')
)

#: Group coaching in February and April: groups of two teams of one region, each on the
#: second Tuesday or Wednesday, starting on the hour from 12:00 to 15:00 Eastern, for an hour.
COACHING = """\
[[cohorts.activities]]
id = "coaching"
name = "Group coaching"
months = [2, 4]
audience = "coaching-group"

[cohorts.activities.grouping]
sizes = [2, 2]
similar = ["region"]
prefix = "g"
name = "Group {n}"

[cohorts.activities.timing]
day = ["second Tuesday", "second Wednesday"]
start = { from = "12:00", to = "15:00", every = "1h" }
duration = "1h"
"""


def roster(staff: str, teams: Iterable[tuple[str, str, str, str]]) -> str:
    """``staff``, then a team of cohort ``network`` per (id, zone, region, extra lines)."""
    return staff + "".join(
        f'\n[[teams]]\nid = "{team}"\nname = "{team}"\ncohort = "network"\n'
        f'timezone = "{zone}"\nattributes = {{ region = "{region}" }}\n{extra}'
        for team, zone, region, extra in teams
    )


def write_declaration(folder: Path, declaration: str, roster_text: str) -> Path:
    """``declaration`` as ``demo.toml`` in ``folder``, ``roster_text`` beside it; its path."""
    (folder / "demo.roster.toml").write_text(roster_text, encoding="utf-8")
    path = folder / "demo.toml"
    path.write_text(declaration, encoding="utf-8")
    return path


# --- As objects. ---

NEW_YORK = Zone("America/New_York")
TUESDAY = NthWeekday.parse("second Tuesday")
WEDNESDAY = NthWeekday.parse("second Wednesday")
#: February and April: Eastern time is five hours behind UTC in one, four in the other.
MONTHS = (YearMonth(2024, 2), YearMonth(2024, 4))
#: The first and last month of a programme: the minimal declaration's year, and the
#: half year around :data:`MONTHS`.
YEAR_2023 = (YearMonth(2023, 1), YearMonth(2023, 12))
HALF_2024 = (YearMonth(2024, 1), YearMonth(2024, 6))


def one_cohort(
    activities: Iterable[Activity],
    teams: Iterable[Team],
    *,
    window: tuple[YearMonth, YearMonth] = YEAR_2023,
    source: str | None = None,
    **roster_fields: Any,
) -> Programme:
    """Programme ``p`` on New York time over ``window``, whose one cohort, ``c``, holds
    ``activities``; its roster lists ``teams``, with ``roster_fields`` (no groups unless given)."""
    roster_fields.setdefault("groups", ())
    return Programme(
        id="p",
        name="P",
        first_month=window[0],
        last_month=window[1],
        timezone=NEW_YORK,
        cohorts=(Cohort(id="c", name="C", activities=tuple(activities)),),
        roster=Roster(programme="p", teams=tuple(teams), people=(), **roster_fields),
        source=source,
    )


def coaching(grouping: Grouping, choices: Choices) -> Activity:
    """Group coaching in :data:`MONTHS`, one hour, its day and start left to a solve
    from ``choices`` (Eastern time)."""
    return Activity(
        id="coaching",
        name="Group coaching",
        months=MONTHS,
        audience=AudienceKind.COACHING_GROUP,
        grouping=grouping,
        timing=Timing(
            day=choices.days[0],
            start=choices.starts[0],
            duration=dt.timedelta(hours=1),
            timezone=NEW_YORK,
            choices=choices,
        ),
    )


def all_team_call(day: NthWeekday, start: dt.time) -> Activity:
    """A call for the whole cohort in :data:`MONTHS` on ``day`` at ``start`` Eastern, one hour."""
    timing = Timing(day=day, start=start, duration=dt.timedelta(hours=1), timezone=NEW_YORK)
    return Activity(id="all-team", name="All-team call", months=MONTHS, timing=timing)
