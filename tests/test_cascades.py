"""Errors without cascades: one mistake gives one error, whatever names the broken part.

A problem inside a cohort, activity, team or group leaves its id known to the
rest of the declaration and roster; the loader still reads on and reports
every real mistake.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pe_schedule import (
    AudienceKind,
    DeclarationError,
    SanityGroup,
    SanityKind,
    SanityProblem,
    Target,
    check,
    cli,
    load,
    sanity_problems,
)
from pe_schedule._internal.schedule.sanity import grouped

CALENDARS = Path(__file__).parent.parent / "calendars"
STEM = "pursuing-equity-2023-2024"


def reference_copy(tmp_path: Path, **edits: tuple[str, str]) -> Path:
    """The reference declaration, roster and solved file copied to ``tmp_path``, with each
    ``suffix=(old, new)`` replacing the one ``old`` in the file of that suffix."""
    for suffix in ("toml", "roster.toml", "solved.toml"):
        shutil.copy(CALENDARS / f"{STEM}.{suffix}", tmp_path / f"{STEM}.{suffix}")
    for name, (old, new) in edits.items():
        path = tmp_path / f"{STEM}.{name.replace('_', '.')}"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path / f"{STEM}.toml"


def problems(path: Path) -> list[str]:
    """Every problem loading ``path`` reports."""
    with pytest.raises(DeclarationError) as raised:
        load(path)
    return [str(problem) for problem in raised.value.problems]


# The second rule of the Learning Network: all-team and group-coaching alternate.
RULE = 'kind = "alternates-with"\nactivity = "group-coaching"\nother = "all-team"'


class TestOneMistakeOneError:
    def test_a_misspelt_rule_other_is_one_error(self, tmp_path: Path) -> None:
        """A rule naming an activity its cohort lacks breaks the cohort, but its 40 teams and
        its [[events]] still know the cohort: exactly one error, the real one."""
        path = reference_copy(tmp_path, toml=(RULE, RULE.replace("all-team", "all-teem")))
        (found,) = problems(path)
        assert "rules[1].other: expected an activity of cohort 'learning-network'" in found
        assert "got 'all-teem' (did you mean 'all-team'?)" in found

    def test_a_broken_activity_is_still_a_known_activity(self, tmp_path: Path) -> None:
        """An activity with a broken key is still one a staff member may lead."""
        name = 'name = "Group Coaching Virtual Meetings"'
        path = reference_copy(tmp_path, toml=(name, name.replace("name", "nam")))
        found = problems(path)
        # The unknown key and the missing name, nothing about the events, teams or staff.
        assert len(found) == 2, found
        # The group coaching is the second table: the shared REI training is declared above.
        assert all("cohorts[0].activities[1]." in problem for problem in found)

    def test_real_roster_mistakes_are_found_beside_a_broken_cohort(self, tmp_path: Path) -> None:
        """A broken cohort does not stop the roster being checked against the declaration."""
        path = reference_copy(
            tmp_path,
            toml=(RULE, RULE.replace("all-team", "all-teem")),
            roster_toml=('id = "ln-02"\nname', 'id = "ln-02"\ncohort_x = 1\nname'),
        )
        found = problems(path)
        assert len(found) == 2, found
        assert "got 'all-teem'" in found[0]
        assert "teams[1].cohort_x" in found[1]

    def test_a_group_of_a_misspelt_kind_is_one_error(self, tmp_path: Path) -> None:
        """A group whose kind is misspelt is still the group its people name."""
        path = reference_copy(
            tmp_path,
            roster_toml=(
                'id = "people-of-colour"\nname = "People of colour"\nkind = "affinity-group"',
                'id = "people-of-colour"\nname = "People of colour"\nkind = "affinity-grup"',
            ),
        )
        (found,) = problems(path)
        assert "groups[0].kind: expected one of 'affinity-group', 'coaching-group'" in found


# The Action Community's weekly team meeting skips holidays; flagged instead, the ten
# teams' meetings on 4 July 2023 are ten calendar problems.
SKIP_HOLIDAYS = 'duration = "1h", holidays = "skip"'


class TestGroupedFindings:
    """A mistake that hits many teams is one finding per event in the library (each has its
    uid) and one line per date and activity in what `pe-schedule check` prints."""

    @pytest.fixture
    def holiday(self, tmp_path: Path) -> Path:
        """The reference, with the 10 Action Community teams' weekly meeting on 4 July 2023."""
        flagged = SKIP_HOLIDAYS.replace('"skip"', '"flag"')
        return reference_copy(tmp_path, toml=(SKIP_HOLIDAYS, flagged))

    def test_the_library_reports_each_event(self, holiday: Path) -> None:
        found = [p for p in sanity_problems(load(holiday)) if p.kind is SanityKind.HOLIDAY]
        assert len(found) == 10
        assert {p.date for p in found} == {dt.date(2023, 7, 4)}
        assert len({p.uid for p in found}) == 10
        assert {p.target for p in found} == {
            Target(kind=AudienceKind.TEAM, key=f"ac-{n:02d}") for n in range(1, 11)
        }

    def test_check_returns_one_finding_per_date(self, holiday: Path) -> None:
        """pe_schedule.check, what the command prints, gathers the ten into one finding."""
        (found,) = [f for f in check(load(holiday)) if f.rule == "holiday"]
        assert isinstance(found, SanityGroup)
        assert [p.target for p in found.problems] == [
            Target(kind=AudienceKind.TEAM, key=f"ac-{n:02d}") for n in range(1, 11)
        ]

    def test_check_prints_one_line_per_date(
        self, holiday: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert cli.main(["check", str(holiday)]) == 1
        out = capsys.readouterr().out
        (line,) = [line for line in out.splitlines() if "[rule: holiday]" in line]
        assert "On 2023-07-04, Weekly team meeting falls on Independence Day." in line
        teams = ", ".join(f"ac-{n:02d}" for n in range(1, 11))
        assert f"[10 events, for teams {teams}] [rule: holiday]" in line
        assert out.endswith("checked 1 file: 1 violation in 1 file\n")

    def test_one_date_one_line(self) -> None:
        """Problems on two dates, or of two activities, stay apart; one alone keeps its own
        message, uid included."""
        alike = {
            "kind": SanityKind.HOLIDAY,
            "cohort": "c",
            "activity": "m",
            "month": None,
            "problem": "M falls on a holiday",
            "change": "move it",
        }
        found = [
            SanityProblem(
                uid=f"p/c/m/team-{team}/{day}@pe-schedule",
                date=day,
                target=Target(kind=AudienceKind.TEAM, key=team),
                **alike,  # type: ignore[arg-type]
            )
            for day in (dt.date(2023, 7, 4), dt.date(2023, 9, 4))
            for team in ("t2", "t1")
        ]
        lone = SanityProblem(
            uid="p/c/x/cohort/2023-09@pe-schedule",
            date=dt.date(2023, 9, 4),
            **{**alike, "activity": "x"},  # type: ignore[arg-type]
        )
        first, second, alone = grouped([*found, lone])
        assert isinstance(first, SanityGroup)
        assert isinstance(second, SanityGroup)
        assert first.problems == tuple(found[:2])
        assert second.problems == tuple(found[2:])
        assert first.message.endswith("[2 events, for teams t1, t2]")
        assert (first.rule, first.cohort, first.activity, first.date) == (
            "holiday",
            "c",
            "m",
            dt.date(2023, 7, 4),
        )
        assert alone is lone
