"""DOMAIN.md's two grids, transcribed by hand: what every rendering of the reference grid shows.

The source document's tables, cell for cell, for the tests of each format (text,
Markdown, SVG, PDF...) to hold their output against, written down once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pe_schedule import Grid

# The two grids of DOMAIN.md, transcribed by hand: cohort name -> activity name ->
# {month: mark}. Months not listed are empty cells.
LEARNING_NETWORK = {
    "REI Groundwater Training": {"2023-02": "X"},
    "All-Team Virtual Meetings": {
        "2023-01": "X",
        "2023-03": "X",
        "2023-05": "X",
        "2023-07": "X",
        "2023-09": "X",
        "2023-11": "X",
        "2024-01": "X",
        "2024-03": "X",
        "2024-05": "X",
    },
    "Group Coaching Virtual Meetings": {
        "2023-04": "X",
        "2023-06": "X",
        "2023-08": "X",
        "2023-10": "X",
        "2023-12": "X",
        "2024-02": "X",
        "2024-04": "X",
        "2024-06": "X",
    },
}
ACTION_COMMUNITY = {
    "REI Groundwater Training": {"2023-02": "X"},
    "Kick-Off & Pre-Work": {"2023-01": "X", "2023-02": "X"},
    "1:1 Coaching Sessions": {
        "2023-02": "X",
        "2023-04": "X",
        "2023-05": "X",
        "2023-06": "X",
        "2023-07": "X",
        "2023-08": "X",
        "2023-09": "X",
        "2023-11": "X",
        "2023-12": "X",
        "2024-01": "X",
        "2024-02": "X",
        "2024-03": "X",
        "2024-04": "X",
        "2024-05": "X",
    },
    "Learning Sessions": {"2023-03": "X*", "2023-10": "X", "2024-06": "X*"},
    "All-Team Calls": {
        "2023-05": "X",
        "2023-07": "X",
        "2023-09": "X",
        "2023-11": "X",
        "2024-01": "X",
        "2024-03": "X",
        "2024-05": "X",
    },
    "Group Coaching Calls": {
        "2023-04": "X",
        "2023-06": "X",
        "2023-08": "X",
        "2023-12": "X",
        "2024-02": "X",
        "2024-04": "X",
    },
    "Racial Justice Affinity Groups": {
        "2023-03": "X*",
        "2023-07": "X",
        "2023-10": "X",
        "2024-02": "X",
        "2024-03": "X",
        "2024-04": "X",
        "2024-05": "X",
        "2024-06": "X*",
    },
    "Leadership Workgroup": {
        "2023-04": "X",
        "2023-06": "X",
        "2023-08": "X",
        "2023-12": "X",
        "2024-02": "X",
        "2024-04": "X",
    },
}
DOMAIN_GRIDS = {"Learning Network": LEARNING_NETWORK, "Action Community": ACTION_COMMUNITY}
#: The training both cohorts attend together: each grid's row says whom it is shared with.
SHARED_ROWS = {
    ("Learning Network", "REI Groundwater Training"): "Action Community",
    ("Action Community", "REI Groundwater Training"): "Learning Network",
}
#: The reference programme's months, January 2023 to June 2024, in order.
PROGRAMME_MONTHS = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 7)]


def drawn_tables() -> dict[str, dict[str, dict[str, str]]]:
    """The grids as a picture shows them: cohort name -> row label -> {month: mark}.

    A shared activity's label says whom it is shared with, as in every rendering.
    """
    return {
        cohort: {
            (
                f"{activity} (shared with {SHARED_ROWS[cohort, activity]})"
                if (cohort, activity) in SHARED_ROWS
                else activity
            ): marks
            for activity, marks in rows.items()
        }
        for cohort, rows in DOMAIN_GRIDS.items()
    }


def shown_marks(grid: Grid) -> dict[str, dict[str, dict[str, str]]]:
    """What a picture of ``grid`` must show, read the same way as :func:`drawn_tables`:
    cohort name -> row name (whitespace runs as one space) -> {month: mark}."""
    return {
        cohort.name: {
            " ".join(row.name.split()): {
                str(month): mark for month, mark in zip(grid.months, row.marks, strict=True) if mark
            }
            for row in cohort.rows
        }
        for cohort in grid.cohorts
    }
