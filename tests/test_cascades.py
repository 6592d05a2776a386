"""Errors without cascades: one mistake gives one error, whatever names the broken part.

A problem inside a cohort, activity, team or group leaves its id known to the
rest of the declaration and roster; the loader still reads on and reports
every real mistake.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pe_schedule import DeclarationError, load

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
        assert all("cohorts[0].activities[2]." in problem for problem in found)

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
