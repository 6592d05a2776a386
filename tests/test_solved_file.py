"""The solved schedule beside a declaration: read, folded in, its mistakes named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pe_schedule import DeclarationError, events, load
from pe_schedule._internal.declaration.load import discover
from pe_schedule._internal.declaration.solved import read_solved, solved_path
from pe_schedule._internal.model.timing import NthWeekday
from tests.conftest import MINIMAL_DECLARATION

ROSTER = """\
[[teams]]
id = "t-1"
name = "Team one"
cohort = "cohort"
timezone = "America/Chicago"

[[teams]]
id = "t-2"
name = "Team two"
cohort = "cohort"
timezone = "America/Denver"
"""

GROUPED = MINIMAL_DECLARATION.replace(
    'timezone = "America/New_York"\n',
    'timezone = "America/New_York"\nroster = "demo.roster.toml"\n',
    1,
).replace(
    "months = [1, 3]\n",
    'months = [1, 3]\naudience = "coaching-group"\n'
    '[cohorts.activities.timing]\nday = "second Tuesday"\nstart = "12:00"\nduration = "1h"\n',
)

SOLVED = """\
[[groups]]
activity = "cohort/call"
id = "g-1"
name = "Group one"
teams = ["t-1", "t-2"]

[[sessions]]
activity = "cohort/call"
session = "g-1"
day = "third Thursday"
start = "14:30"
"""


@pytest.fixture
def grouped(tmp_path: Path) -> Path:
    (tmp_path / "demo.roster.toml").write_text(ROSTER, encoding="utf-8")
    path = tmp_path / "demo.toml"
    path.write_text(GROUPED, encoding="utf-8")
    return path


def test_the_solved_file_sits_beside_its_declaration() -> None:
    assert solved_path(Path("calendars/x.toml")) == Path("calendars/x.solved.toml")


def test_a_declaration_without_a_solved_file_loads_as_declared(grouped: Path) -> None:
    programme = load(grouped)
    assert programme.roster is not None
    assert [team.coaching_group for team in programme.roster.teams] == [None, None]
    assert events(programme) == ()


def test_groups_and_slots_of_the_solved_file_are_folded_in(grouped: Path) -> None:
    solved_path(grouped).write_text(SOLVED, encoding="utf-8")
    programme = load(grouped)
    assert programme.roster is not None
    assert [team.coaching_group for team in programme.roster.teams] == ["g-1", "g-1"]
    found = events(programme)
    assert {event.target.key for event in found} == {"g-1"}
    # Third Thursday of January 2023 at 14:30 Eastern, as the file decided.
    first = min(found, key=lambda event: event.sort_key)
    assert first.span.start == dt.datetime(2023, 1, 19, 19, 30, tzinfo=dt.UTC)


def test_load_can_leave_decisions_open(grouped: Path) -> None:
    solved_path(grouped).write_text(SOLVED, encoding="utf-8")
    assert events(load(grouped, solved=False)) == ()


def test_solved_files_are_not_declarations(grouped: Path) -> None:
    solved_path(grouped).write_text(SOLVED, encoding="utf-8")
    assert discover(grouped.parent) == (grouped,)


def test_a_session_reads_into_its_values(tmp_path: Path) -> None:
    path = tmp_path / "x.solved.toml"
    path.write_text(
        SOLVED.replace('start = "14:30"', 'start = "14:30"\ncoach = "c"\npinned = true')
    )
    solved = read_solved(path)
    (session,) = solved.sessions
    assert session.day == NthWeekday.parse("third Thursday")
    assert session.start == dt.time(14, 30)
    assert (session.coach, session.pinned) == ("c", True)
    assert solved.groups[0].teams == ("t-1", "t-2")


@pytest.mark.parametrize(
    ("change", "place", "expected"),
    [
        (('day = "third Thursday"', 'day = "thrid Thursday"'), "sessions[0].day", "a day such as"),
        (('start = "14:30"', 'start = "2:30pm"'), "sessions[0].start", "a time as 'HH:MM'"),
        (
            ('activity = "cohort/call"', 'activity = "call"'),
            "groups[0].activity",
            "cohort/activity",
        ),
        (('teams = ["t-1", "t-2"]', 'teams = "t-1"'), "groups[0].teams", "an array of texts"),
        (("[[sessions]]", "[[session]]"), "session", "a known key"),
    ],
)
def test_a_misshapen_solved_file_is_refused_naming_the_place(
    grouped: Path, change: tuple[str, str], place: str, expected: str
) -> None:
    solved_path(grouped).write_text(SOLVED.replace(*change), encoding="utf-8")
    with pytest.raises(DeclarationError) as raised:
        load(grouped)
    message = str(raised.value)
    assert "demo.solved.toml" in message
    assert place in message
    assert expected in message
