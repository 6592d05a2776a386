"""The solver shares early and late slots out fairly rather than giving them all to one team."""

from __future__ import annotations

from pathlib import Path

from pe_schedule import load, solve

DECLARATION = """\
[programme]
id = "fair"
name = "Fair"
first_month = "2023-01"
last_month = "2023-12"
timezone = "America/New_York"
roster = "fair.roster.toml"

[[cohorts]]
id = "c"
name = "Cohort"

[[cohorts.activities]]
id = "spring-call"
name = "Spring call"
months = [3]

[cohorts.activities.timing]
day = "second Tuesday"
start = ["12:00", "16:00"]
duration = "1h"

[[cohorts.activities]]
id = "autumn-call"
name = "Autumn call"
months = [10]

[cohorts.activities.timing]
day = "second Tuesday"
start = ["12:00", "16:00"]
duration = "1h"
"""

# 12:00 Eastern is 09:00 in Los Angeles, the first hour of its day; 16:00 Eastern is
# the last hour of the New York team's 08:00-17:00 day. Nearest the middle of both
# days in total, both calls would be at 12:00, and Los Angeles would start early twice.
ROSTER = """\
[[teams]]
id = "new-york"
name = "New York"
cohort = "c"
timezone = "America/New_York"
working_hours = "08:00-17:00"

[[teams]]
id = "los-angeles"
name = "Los Angeles"
cohort = "c"
timezone = "America/Los_Angeles"
"""


def test_each_team_gets_one_edge_of_its_day_not_one_team_both(tmp_path: Path) -> None:
    (tmp_path / "fair.roster.toml").write_text(ROSTER, encoding="utf-8")
    declaration = tmp_path / "fair.toml"
    declaration.write_text(DECLARATION, encoding="utf-8")
    solution = solve(load(declaration, solved=False), effort=0.2)
    starts = sorted(session.start.strftime("%H:%M") for session in solution.solved.sessions)
    assert starts == ["12:00", "16:00"]
