"""The roster: teams, people and groups, who belongs to which audience, and bad rosters."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from pe_schedule import AudienceKind, DeclarationError, Role, Roster, Target, load, load_roster

CALENDARS = Path(__file__).parent.parent / "calendars"
SAMPLE = CALENDARS / "pursuing-equity-2023-2024.roster.toml"
COHORTS = ("learning-network", "action-community")

GOOD = """\
programme = "p"

[[groups]]
id = "g1"
name = "Group 1"
kind = "coaching-group"

[[groups]]
id = "poc"
name = "People of colour"
kind = "affinity-group"

[[teams]]
id = "t1"
name = "Team 1"
cohort = "c"
coaching_group = "g1"
timezone = "America/Denver"

[[teams.people]]
id = "ann"
name = "Ann"
role = "senior-leader"
affinity_group = "poc"

[[teams.people]]
id = "bob"
name = "Bob"
"""


def write(tmp_path: Path, text: str) -> Path:
    """A roster file holding ``text``."""
    path = tmp_path / "x.roster.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    """The messages loading a roster holding ``text`` gives, file name left out."""
    path = write(tmp_path, text)
    with pytest.raises(DeclarationError) as caught:
        load_roster(path, cohorts=["c"])
    return [str(problem).removeprefix(f"{path}: ") for problem in caught.value.problems]


@pytest.fixture(scope="module")
def sample() -> Roster:
    """The sample roster of the reference programme."""
    return load_roster(SAMPLE, cohorts=COHORTS)


class TestTargets:
    def test_team(self, tmp_path: Path) -> None:
        """A team belongs to the programme, its cohort, itself and its coaching group."""
        roster = load_roster(write(tmp_path, GOOD), cohorts=["c"])
        assert roster.targets_of_team("t1") == {
            Target(kind=AudienceKind.PROGRAMME, key="p"),
            Target(kind=AudienceKind.COHORT, key="c"),
            Target(kind=AudienceKind.TEAM, key="t1"),
            Target(kind=AudienceKind.COACHING_GROUP, key="g1"),
        }

    def test_senior_leader(self, tmp_path: Path) -> None:
        """A senior leader also belongs to their affinity group and the cohort's leaders."""
        roster = load_roster(write(tmp_path, GOOD))
        extra = roster.targets_of_person("ann") - roster.targets_of_team("t1")
        assert extra == {
            Target(kind=AudienceKind.AFFINITY_GROUP, key="poc"),
            Target(kind=AudienceKind.SENIOR_LEADERS, key="c"),
        }

    def test_member(self, tmp_path: Path) -> None:
        """A member without an affinity group belongs to their team's audiences only."""
        roster = load_roster(write(tmp_path, GOOD))
        assert roster.person("bob").role is Role.MEMBER
        assert roster.targets_of_person("bob") == roster.targets_of_team("t1")

    def test_unknown_ids(self, tmp_path: Path) -> None:
        """Asking for a team or person the roster lacks is a KeyError."""
        roster = load_roster(write(tmp_path, GOOD))
        with pytest.raises(KeyError):
            roster.team("t9")
        with pytest.raises(KeyError):
            roster.targets_of_person("zed")


class TestProblems:
    def test_duplicate_ids(self, tmp_path: Path) -> None:
        """A team id and a person id used twice are each reported with the first place."""
        text = GOOD + '\n[[teams]]\nid = "t1"\ncohort = "c"\ntimezone = "UTC"\n'
        text += '[[teams.people]]\nid = "ann"\n'
        assert problems(tmp_path, text) == [
            (
                "teams[1].id: expected an id not used before in the roster, got 't1', already "
                "the id at teams[0].id"
            ),
            (
                "teams[1].people[0].id: expected an id not used before in the roster, got 'ann', "
                "already the id at teams[0].people[0].id"
            ),
        ]

    def test_unknown_references(self, tmp_path: Path) -> None:
        """An unknown cohort, coaching group, affinity group, role and zone are all reported."""
        text = (
            GOOD.replace('cohort = "c"', 'cohort = "k"')
            .replace('coaching_group = "g1"', 'coaching_group = "g2"')
            .replace('affinity_group = "poc"', 'affinity_group = "g1"')
            .replace('role = "senior-leader"', 'role = "senior-leder"')
            .replace("America/Denver", "America/Denvr")
        )
        assert problems(tmp_path, text) == [
            "teams[0].cohort: expected a cohort of the programme: one of 'c', got 'k'",
            (
                "teams[0].coaching_group: expected the id of a coaching-group declared under "
                "[[groups]], got 'g2'"
            ),
            (
                "teams[0].timezone: expected an IANA time zone such as 'America/New_York', got "
                "'America/Denvr' (did you mean 'America/Denver'?)"
            ),
            (
                "teams[0].people[0].role: expected one of 'alternate-senior-leader', 'member', "
                "'senior-leader', got 'senior-leder' (did you mean 'senior-leader'?)"
            ),
            (
                "teams[0].people[0].affinity_group: expected the id of an affinity-group declared "
                "under [[groups]], got 'g1'"
            ),
        ]

    def test_misspelt_key(self, tmp_path: Path) -> None:
        """A misspelt key gets a did-you-mean hint."""
        found = problems(tmp_path, GOOD.replace("coaching_group =", "coaching_grup ="))
        assert found == [
            (
                "teams[0].coaching_grup: expected a known key: one of 'coaching_group', 'cohort', "
                "'id', 'name', 'people', 'timezone', got an unknown key (did you mean "
                "'coaching_group'?)"
            )
        ]

    def test_roster_of_another_programme(self, tmp_path: Path) -> None:
        """A declaration naming a roster of another programme is refused."""
        declaration = (CALENDARS / "pursuing-equity-2023-2024.toml").read_text(encoding="utf-8")
        (tmp_path / "d.toml").write_text(declaration, encoding="utf-8")
        other = SAMPLE.read_text(encoding="utf-8").replace(
            'programme = "pursuing-equity-2023-2024"', 'programme = "another"'
        )
        (tmp_path / SAMPLE.name).write_text(other, encoding="utf-8")
        with pytest.raises(DeclarationError, match="the declaration's programme"):
            load(tmp_path / "d.toml")


class TestSample:
    def test_is_marked_as_sample_data(self) -> None:
        """The file says at its top that it is invented sample data."""
        head = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("# SAMPLE DATA")

    def test_cohort_sizes(self, sample: Roster) -> None:
        """About 40 Learning Network teams and 10 Action Community teams."""
        sizes = collections.Counter(team.cohort for team in sample.teams)
        assert sizes == {"learning-network": 40, "action-community": 10}

    def test_coaching_groups_of_four_or_five(self, sample: Roster) -> None:
        """Every Learning Network team is in a coaching group of 4-5 teams."""
        groups = collections.Counter(t.coaching_group for t in sample.teams_of("learning-network"))
        assert None not in groups
        assert set(groups.values()) <= {4, 5}

    def test_teams_of_three_to_seven(self, sample: Roster) -> None:
        """Every team has 3-7 people, one senior leader and one alternate."""
        for team in sample.teams:
            roles = collections.Counter(person.role for person in sample.members(team.id))
            assert 3 <= sum(roles.values()) <= 7
            assert roles[Role.SENIOR_LEADER] == roles[Role.ALTERNATE_SENIOR_LEADER] == 1

    def test_every_action_community_participant_joins_one_affinity_group(
        self, sample: Roster
    ) -> None:
        """Each Action Community person names one of the two affinity groups."""
        for team in sample.teams_of("action-community"):
            for person in sample.members(team.id):
                assert person.affinity_group in {"people-of-colour", "white"}

    def test_zones_spread_across_the_us(self, sample: Roster) -> None:
        """Teams work in at least six US zones, Hawaii and Alaska included."""
        zones = {team.timezone.name for team in sample.teams}
        assert {"Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles"} <= zones
        assert len(zones) >= 6
