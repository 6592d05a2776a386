"""A coaching-group activity's grouping, and what the roster is checked against once it is read.

The declaration says how ``pe-schedule solve`` forms coaching groups (sizes,
attributes kept alike or spread); the roster names the teams' attributes and
the staff who lead the programme's activities. Loading checks each side
against the other.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pe_schedule import DeclarationError, load
from pe_schedule._internal.model.activity import Grouping
from tests.conftest import MINIMAL_DECLARATION

#: The minimal declaration's activity, for each coaching group, with a roster.
COACHING = MINIMAL_DECLARATION.replace(
    'timezone = "America/New_York"\n',
    'timezone = "America/New_York"\nroster = "demo.roster.toml"\n',
).replace("months = [1, 3]\n", 'months = [1, 3]\naudience = "coaching-group"\n')

GROUPING = """
[cohorts.activities.grouping]
sizes = [4, 5]
similar = ["region"]
mixed = ["organisation type", "size"]
"""

ROSTER = """\
[[teams]]
id = "t1"
cohort = "cohort"
timezone = "America/Chicago"
attributes = { region = "Midwest", "organisation type" = "hospital", size = "large" }

[[teams]]
id = "t2"
cohort = "cohort"
timezone = "Pacific/Honolulu"
attributes = { region = "West" }
"""


def write(tmp_path: Path, declaration: str, roster: str = ROSTER) -> Path:
    """A declaration and its roster, side by side; the declaration's path."""
    (tmp_path / "demo.roster.toml").write_text(roster, encoding="utf-8")
    path = tmp_path / "demo.toml"
    path.write_text(declaration, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    """Every problem loading ``path`` gives, without the file names of the declaration."""
    with pytest.raises(DeclarationError) as caught:
        load(path)
    return [str(problem).removeprefix(f"{path}: ") for problem in caught.value.problems]


class TestReading:
    def test_every_key(self, tmp_path: Path) -> None:
        """Sizes, attributes, count, prefix and name are read into the activity's grouping."""
        text = COACHING + GROUPING + 'count = 2\nprefix = "ln-coaching"\nname = "Coaching {n}"\n'
        activity = load(write(tmp_path, text)).cohorts[0].activities[0]
        assert activity.grouping == Grouping(
            smallest=4,
            largest=5,
            similar=("region",),
            mixed=("organisation type", "size"),
            count=2,
            prefix="ln-coaching",
            name="Coaching {n}",
        )
        assert activity.grouping.group_id(2) == "ln-coaching-2"

    def test_defaults_name_groups_after_the_cohort(self, tmp_path: Path) -> None:
        """Without prefix and name, groups are '<cohort>-group-N' called 'Group N'."""
        grouping = load(
            write(tmp_path, COACHING + "[cohorts.activities.grouping]\nsizes = [3, 3]\n")
        )
        found = grouping.cohorts[0].activities[0].grouping
        assert found is not None
        assert (found.group_id(1), found.group_name(1)) == ("cohort-group-1", "Group 1")
        assert (found.similar, found.mixed, found.count) == ((), (), None)

    def test_an_activity_without_one_has_none(self, tmp_path: Path) -> None:
        """Groups declared by hand in the roster need no grouping."""
        assert load(write(tmp_path, COACHING)).cohorts[0].activities[0].grouping is None

    @pytest.mark.parametrize(
        ("lines", "expected"),
        [
            (
                "sizes = [0, 2]",
                "grouping.sizes: expected groups of at least 1 team, got [0, 2]",
            ),
            (
                'sizes = [4, "5"]',
                (
                    "grouping.sizes: expected [smallest, largest]: two whole numbers of teams, such "
                    "as [4, 5], got [4, '5']"
                ),
            ),
            (
                'sizes = [4, 5]\nsimilar = ["region", "region"]',
                (
                    "grouping.similar[1]: expected an attribute not listed before, got 'region', the "
                    "same as cohorts[0].activities[0].grouping.similar[0]"
                ),
            ),
            (
                'sizes = [4, 5]\nprefix = "LN coaching"',
                (
                    "grouping.prefix: expected a slug of lowercase letters, digits and single "
                    "hyphens, like 'all-team', got 'LN coaching' (did you mean 'ln-coaching'?)"
                ),
            ),
            (
                "sizes = [4, 5]\nprefix = " + '"' + "p" * 61 + '"',
                (
                    "grouping.prefix: expected a slug of at most 60 characters (group ids add '-N'), "
                    f"got '{'p' * 57}...' (61 characters)"
                ),
            ),
            (
                'sizes = [4, 5]\nsimlar = ["region"]',
                (
                    "grouping.simlar: expected a known key: one of 'count', 'mixed', 'name', "
                    "'prefix', 'similar', 'sizes', got an unknown key (did you mean 'similar'?)"
                ),
            ),
        ],
    )
    def test_mistakes(self, tmp_path: Path, lines: str, expected: str) -> None:
        """Each mistake in a grouping is named at its key."""
        text = COACHING + "[cohorts.activities.grouping]\n" + lines + "\n"
        assert problems(write(tmp_path, text)) == ["cohorts[0].activities[0]." + expected]

    def test_only_on_coaching_group_activities(self, tmp_path: Path) -> None:
        """Teams meet alone in 1:1 sessions: a grouping there has nothing to form."""
        text = (COACHING + GROUPING).replace('"coaching-group"', '"team"')
        assert problems(write(tmp_path, text)) == [
            (
                "cohorts[0].activities[0].grouping: expected a grouping only on an activity "
                "with audience = 'coaching-group' (the groups it forms are coaching groups), "
                "got a grouping on an activity for audience 'team'"
            )
        ]


class TestAgainstTheRoster:
    def test_attributes_some_team_has(self, tmp_path: Path) -> None:
        """Every attribute of a grouping is one at least one team of the cohort has."""
        assert load(write(tmp_path, COACHING + GROUPING)).roster is not None

    def test_a_misspelt_attribute(self, tmp_path: Path) -> None:
        """An attribute no team has is named with the ones they do have."""
        text = (COACHING + GROUPING).replace('similar = ["region"]', 'similar = ["regoin"]')
        assert problems(write(tmp_path, text)) == [
            (
                "cohorts[0].activities[0].grouping.similar[0]: expected an attribute some team "
                "of 'cohort' has in the roster: one of 'organisation type', 'region', 'size', "
                "got 'regoin' (did you mean 'region'?)"
            )
        ]

    def test_a_roster_without_attributes(self, tmp_path: Path) -> None:
        """Grouping by attributes needs teams that have them."""
        roster = ROSTER.replace('attributes = { region = "West" }\n', "").split("attributes")[0]
        assert problems(write(tmp_path, COACHING + GROUPING, roster))[0] == (
            "cohorts[0].activities[0].grouping.similar[0]: expected an attribute some team of "
            "'cohort' has in the roster, got 'region'; no team of it has attributes"
        )

    def test_staff_lead_activities_of_the_declaration(self, tmp_path: Path) -> None:
        """A lead naming an activity the declaration lacks is a roster problem with a hint."""
        roster = ROSTER + '[[staff]]\nid = "s"\ntimezone = "UTC"\nleads = ["cohort/cal"]\n'
        path = write(tmp_path, COACHING, roster)
        with pytest.raises(DeclarationError) as caught:
            load(path)
        assert [str(problem) for problem in caught.value.problems] == [
            (
                f"{tmp_path / 'demo.roster.toml'}: staff[0].leads[0]: expected an activity of the "
                "programme, written 'cohort/activity', got 'cohort/cal' (did you mean 'cohort/call'?)"
            )
        ]
        good = roster.replace("cohort/cal", "cohort/call")
        loaded = load(write(tmp_path, COACHING, good)).roster
        assert loaded is not None
        assert loaded.staff_member("s").leads == ("cohort/call",)

    def test_a_broken_cohort_leaves_leads_unchecked(self, tmp_path: Path) -> None:
        """With a cohort unreadable, its activities are unknown, not missing: no second problem."""
        roster = ROSTER + '[[staff]]\nid = "s"\ntimezone = "UTC"\nleads = ["cohort/call"]\n'
        text = COACHING.replace('name = "Call"', 'name = "Call"\nlocation = 3')
        assert problems(write(tmp_path, text, roster)) == [
            "cohorts[0].activities[0].location: expected a text, got 3"
        ]
