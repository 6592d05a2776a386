"""``pe-schedule solve``: decisions written as data, checked in CI, explained when impossible."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pe_schedule import Timed, events, load
from pe_schedule.cli import EXIT_ERROR, EXIT_OK, EXIT_VIOLATIONS, main
from tests.scheduling import COACHING, NETWORK, write_declaration
from tests.scheduling import roster as shared_roster

#: The shared group coaching, over 2023: groups of three, in four months, starting on the hour
#: from 10:00 to 16:00 Eastern, shifted off holidays.
DECLARATION = (
    NETWORK
    + COACHING.replace("months = [2, 4]", "months = [2, 4, 6, 8]")
    .replace("sizes = [2, 2]", "sizes = [3, 3]")
    .replace('from = "12:00", to = "15:00"', 'from = "10:00", to = "16:00"')
    + 'holidays = "shift"\n'
)

TEAMS = [
    ("east-1", "America/New_York", "East"),
    ("west-1", "America/Los_Angeles", "West"),
    ("east-2", "America/New_York", "East"),
    ("west-2", "America/Los_Angeles", "West"),
    ("east-3", "America/Detroit", "East"),
    ("west-3", "America/Los_Angeles", "West"),
]

COACH = """\
[[staff]]
id = "coach-a"
name = "Coach A"
timezone = "America/Chicago"
leads = ["network/coaching"]
"""


def roster(coach: str = COACH, west_hours: str = "09:00-17:00") -> str:
    """The teams after ``coach``; those in the West work ``west_hours``."""
    west = f'working_hours = "{west_hours}"\n'
    return shared_roster(
        coach,
        [(team, zone, region, west if region == "West" else "") for team, zone, region in TEAMS],
    )


def new_roster(declaration: Path, text: str) -> None:
    """Replace the roster beside ``declaration`` with ``text``."""
    declaration.with_name("demo.roster.toml").write_text(text, encoding="utf-8")


@pytest.fixture
def declaration(tmp_path: Path) -> Path:
    return write_declaration(tmp_path, DECLARATION, roster())


def run(*argv: str | Path) -> int:
    return main([str(arg) for arg in argv])


def test_solve_writes_its_decisions_beside_the_declaration(
    declaration: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("check", declaration) == EXIT_VIOLATIONS  # nothing decided yet
    assert run("solve", declaration) == EXIT_OK
    solved = declaration.with_name("demo.solved.toml")
    text = solved.read_text(encoding="utf-8")
    assert text.count("[[groups]]") == 2
    assert text.count("[[sessions]]") == 2
    assert 'coach = "coach-a"' in text
    out = capsys.readouterr().out
    assert "demo.solved.toml: written (2 groups, 2 sessions)" in out
    # The decisions are data every other command reads.
    assert run("check", declaration) == EXIT_OK
    assert run("solve", declaration, "--check") == EXIT_OK


def test_solving_again_changes_no_byte(
    declaration: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("solve", declaration) == EXIT_OK
    solved = declaration.with_name("demo.solved.toml")
    first = solved.read_bytes()
    assert run("solve", declaration) == EXIT_OK
    assert solved.read_bytes() == first
    assert "unchanged" in capsys.readouterr().out


def test_groups_follow_the_similar_attribute(declaration: Path) -> None:
    assert run("solve", declaration) == EXIT_OK
    text = declaration.with_name("demo.solved.toml").read_text(encoding="utf-8")
    assert 'teams = ["east-1", "east-2", "east-3"]' in text
    assert 'teams = ["west-1", "west-2", "west-3"]' in text


def test_check_fails_when_the_roster_moves_under_the_solved_file(
    declaration: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("solve", declaration) == EXIT_OK
    # West coast teams now work mornings only: their group's afternoon slot no longer fits.
    new_roster(declaration, roster(west_hours="06:00-10:00"))
    capsys.readouterr()
    assert run("solve", declaration, "--check") == EXIT_VIOLATIONS
    out = capsys.readouterr().out
    assert "out of date; run pe-schedule solve" in out
    assert "west-1" in out


def test_an_impossible_schedule_is_explained_and_nothing_is_written(
    declaration: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("solve", declaration) == EXIT_OK
    solved = declaration.with_name("demo.solved.toml")
    before = solved.read_bytes()
    # A coach who works Mondays only, for sessions that meet on Tuesdays and Wednesdays.
    monday = COACH + 'working_days = ["Monday"]\n'
    new_roster(declaration, roster(coach=monday))
    capsys.readouterr()
    assert run("solve", declaration) == EXIT_VIOLATIONS
    out = capsys.readouterr().out
    assert "coach-a" in out
    assert "Monday" in out
    assert solved.read_bytes() == before


def test_solve_without_the_solver_says_how_to_install_it(
    declaration: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ortools.sat.python.cp_model", None)
    assert run("solve", declaration) == EXIT_ERROR
    assert "pip install 'pe-schedule[solve]'" in capsys.readouterr().err
    assert not declaration.with_name("demo.solved.toml").exists()


def test_a_call_for_the_whole_cohort_gets_its_slot_and_its_leader(
    declaration: Path,
) -> None:
    """Faculty who lead a cohort-wide call are on every event of it once solved."""
    call = (
        '\n[[cohorts.activities]]\nid = "all-team"\nname = "All-team call"\nmonths = [3, 5]\n'
        '[cohorts.activities.timing]\nday = "third Wednesday"\n'
        'start = ["09:00", "14:00"]\nduration = "1h"\n'
    )
    declaration.write_text(DECLARATION + call, encoding="utf-8")
    faculty = (
        '[[staff]]\nid = "faculty-f"\nname = "Faculty F"\nrole = "faculty"\n'
        'timezone = "America/New_York"\nleads = ["network/all-team"]\n\n'
    )
    new_roster(declaration, roster(coach=faculty + COACH))
    assert run("solve", declaration) == EXIT_OK
    calls = events(load(declaration), activity="all-team")
    assert len(calls) == 2
    for call_event in calls:
        assert call_event.leaders == ("faculty-f",)
        assert "Faculty: Faculty F" in call_event.description
        # 09:00 Eastern is 06:00 on the west coast: only 14:00 fits everyone.
        assert isinstance(call_event.span, Timed)
        assert call_event.span.local_start.hour == 14
