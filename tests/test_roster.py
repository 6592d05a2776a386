"""The roster: teams, people and groups, who belongs to which audience, and bad rosters."""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pe_schedule import AudienceKind, DeclarationError, Role, Roster, Target, load, load_roster
from pe_schedule._internal.declaration.availability import read_hours, read_weekdays
from pe_schedule._internal.declaration.source import Report, Table
from pe_schedule._internal.model.availability import NINE_TO_FIVE, WEEKDAYS, WorkingHours
from pe_schedule._internal.model.roster import Staff, StaffRole
from pe_schedule._internal.model.zones import Zone

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
                "[[groups]]: one of 'g1', got 'g2'"
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
                "under [[groups]]: one of 'poc', got 'g1', a coaching-group"
            ),
        ]

    def test_misspelt_key(self, tmp_path: Path) -> None:
        """A misspelt key gets a did-you-mean hint."""
        found = problems(tmp_path, GOOD.replace("coaching_group =", "coaching_grup ="))
        assert found == [
            (
                "teams[0].coaching_grup: expected a known key: one of 'attributes', "
                "'coaching_group', 'cohort', 'id', 'name', 'people', 'timezone', 'unavailable', "
                "'working_hours', got an unknown key (did you mean 'coaching_group'?)"
            )
        ]

    @pytest.mark.parametrize(
        ("table", "hint"),
        [
            ("teams.members", "did you mean 'people'? a team's people are [[teams.people]] tables"),
            ("teams.persons", "did you mean 'people'? a team's people are [[teams.people]] tables"),
            (
                "people",
                "did you mean 'teams'? people are [[teams.people]] tables, each under its team",
            ),
            ("coaches", "did you mean 'staff'?"),
            (
                "coaching_groups",
                "did you mean 'groups'? both kinds of group are [[groups]] tables, with a kind",
            ),
        ],
    )
    def test_a_guessed_array_of_tables(self, tmp_path: Path, table: str, hint: str) -> None:
        """An array of tables under a guessed name is pointed to the one it can only be."""
        found = problems(tmp_path, GOOD + f'\n[[{table}]]\nid = "zed"\n')
        assert len(found) == 1
        assert found[0].endswith(f"got an unknown key ({hint})")

    def test_a_group_of_the_other_kind(self, tmp_path: Path) -> None:
        """A coaching group named as an affinity group is named for what it is."""
        found = problems(tmp_path, GOOD.replace('affinity_group = "poc"', 'affinity_group = "g1"'))
        assert found == [
            (
                "teams[0].people[0].affinity_group: expected the id of an affinity-group declared "
                "under [[groups]]: one of 'poc', got 'g1', a coaching-group"
            )
        ]

    def test_a_group_when_none_of_its_kind_is_declared(self, tmp_path: Path) -> None:
        """Naming a group when none of its kind is declared says how to declare one."""
        text = GOOD.replace('kind = "affinity-group"', 'kind = "coaching-group"')
        assert problems(tmp_path, text) == [
            (
                "teams[0].people[0].affinity_group: expected the id of an affinity-group declared "
                "under [[groups]] (none is: add a [[groups]] table with kind = 'affinity-group'), "
                "got 'poc', a coaching-group"
            )
        ]

    def test_many_groups_are_counted_not_listed(self, tmp_path: Path) -> None:
        """Past twenty choices the message counts the groups and still names the closest."""
        groups = "".join(
            f'[[groups]]\nid = "coaching-{n}"\nkind = "coaching-group"\n' for n in range(25)
        )
        text = GOOD.replace('coaching_group = "g1"', 'coaching_group = "coachng-7"') + groups
        assert problems(tmp_path, text) == [
            (
                "teams[0].coaching_group: expected the id of a coaching-group declared under "
                "[[groups]] (26 are), got 'coachng-7' (did you mean 'coaching-7'?)"
            )
        ]

    def test_a_misspelt_weekday(self, tmp_path: Path) -> None:
        """A misspelt weekday is named with the weekday it is closest to."""
        assert problems(tmp_path, 'working_days = ["Monday", "wendesday"]\n' + GOOD) == [
            (
                "working_days[1]: expected a weekday such as 'Monday', got 'wendesday' "
                "(did you mean 'Wednesday'?)"
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

    def test_coaching_groups_of_four_or_five(self) -> None:
        """Every Learning Network team is in a coaching group of 4-5 teams, as solved."""
        solved = load(CALENDARS / "pursuing-equity-2023-2024.toml").roster
        assert solved is not None
        groups = collections.Counter(t.coaching_group for t in solved.teams_of("learning-network"))
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


#: A roster with every key that says when people work and who leads what.
SCHEDULED = """\
working_hours = "08:30-16:30"
working_days = ["Monday", "Tuesday", "Wednesday", "Thursday"]

[[groups]]
id = "g1"
name = "Group 1"
kind = "coaching-group"

[[teams]]
id = "t1"
cohort = "c"
timezone = "Pacific/Honolulu"
working_hours = "07:00-15:00"
unavailable = [2023-07-03, 2023-12-26]
attributes = { region = "West", "organisation type" = "community health centre" }

[[teams]]
id = "t2"
cohort = "d"
timezone = "America/New_York"

[[staff]]
id = "coach-amara"
name = "Amara Lewis"
timezone = "America/New_York"
working_hours = "10:00-18:00"
working_days = ["Monday", "wednesday"]
blackout = [2023-08-14]
max_per_day = 3
leads = ["c/group-coaching", "c/one-to-one"]
only = ["g1", "t1", "g7"]
assigned = ["t1"]

[[staff]]
id = "dr-kim"
name = "Dr Kim"
role = "faculty"
timezone = "America/Chicago"
leads = ["d/all-team"]
"""
ACTIVITIES = ("c/group-coaching", "c/one-to-one", "d/all-team")


def staff_problems(tmp_path: Path, staff: str) -> list[str]:
    """The messages a roster of two teams (cohorts c and d) and ``staff`` gives."""
    teams = SCHEDULED.split("[[staff]]", 1)[0]
    path = write(tmp_path, teams + staff)
    with pytest.raises(DeclarationError) as caught:
        load_roster(path, cohorts=["c", "d"], activities=ACTIVITIES)
    return [str(problem).removeprefix(f"{path}: ") for problem in caught.value.problems]


class TestWorkingHoursAndStaff:
    @pytest.fixture
    def roster(self, tmp_path: Path) -> Roster:
        return load_roster(write(tmp_path, SCHEDULED), cohorts=["c", "d"], activities=ACTIVITIES)

    def test_roster_defaults(self, roster: Roster) -> None:
        """The roster's own working day and weekdays are everyone's default."""
        assert roster.working_hours == WorkingHours.parse("08:30-16:30")
        assert roster.working_days == frozenset(range(4))

    def test_without_them_nine_to_five_on_weekdays(self, tmp_path: Path) -> None:
        """A roster that says nothing works 09:00-17:00, Monday to Friday."""
        roster = load_roster(write(tmp_path, GOOD))
        assert (roster.working_hours, roster.working_days) == (NINE_TO_FIVE, WEEKDAYS)
        assert roster.staff == ()

    def test_team_hours_days_away_and_attributes(self, roster: Roster) -> None:
        """A team's own hours, dates away and attributes (names as written) are read."""
        team = roster.team("t1")
        assert team.working_hours == WorkingHours.parse("07:00-15:00")
        assert team.unavailable == {dt.date(2023, 7, 3), dt.date(2023, 12, 26)}
        assert team.attribute("organisation type") == "community health centre"
        assert team.attribute("region") == "West"
        assert roster.team("t2").attributes == ()

    def test_team_availability_falls_back_to_the_roster(self, roster: Roster) -> None:
        """A team without its own hours works the roster's, on the roster's weekdays."""
        assert roster.availability_of_team("t2").hours == WorkingHours.parse("08:30-16:30")
        assert roster.availability_of_team("t1").days == frozenset(range(4))

    def test_staff_member(self, roster: Roster) -> None:
        """Every staff key is read into the staff member, in file order."""
        assert roster.staff_member("coach-amara") == Staff(
            id="coach-amara",
            name="Amara Lewis",
            timezone=Zone("America/New_York"),
            working_hours=WorkingHours.parse("10:00-18:00"),
            working_days=frozenset({0, 2}),
            blackout=frozenset({dt.date(2023, 8, 14)}),
            max_per_day=3,
            leads=("c/group-coaching", "c/one-to-one"),
            only=("g1", "t1", "g7"),
            assigned=("t1",),
        )
        assert [member.id for member in roster.staff] == ["coach-amara", "dr-kim"]

    def test_staff_defaults(self, roster: Roster) -> None:
        """Role, hours, days and cap default; availability takes the roster's."""
        kim = roster.staff_member("dr-kim")
        assert kim.role is StaffRole.FACULTY
        assert (kim.working_hours, kim.working_days, kim.max_per_day) == (None, None, None)
        available = roster.availability_of_staff("dr-kim")
        assert (available.hours, available.days) == (roster.working_hours, roster.working_days)

    def test_staff_ids_need_not_differ_from_team_ids(self, tmp_path: Path) -> None:
        """A staff member may share an id with a team: they are told apart by kind."""
        text = SCHEDULED.replace('id = "dr-kim"', 'id = "t2"')
        roster = load_roster(write(tmp_path, text), cohorts=["c", "d"], activities=ACTIVITIES)
        assert roster.staff_member("t2").name == "Dr Kim"

    @given(st.integers(0, 24 * 60 - 1), st.integers(1, 24 * 60))
    def test_any_working_day_reads_back(self, start: int, length: int) -> None:
        """Any working day of the 24-hour clock reads as the hours it was written from."""
        end = min(start + length, 24 * 60)
        text = f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
        report = Report("r.toml")
        hours = read_hours(Table({"working_hours": text}, "", report))
        assert (str(hours), report.problems) == (text, [])

    @given(st.permutations(range(7)), st.integers(1, 7))
    def test_weekdays_in_any_order_and_case(self, order: list[int], count: int) -> None:
        """Weekday names are read in any order and letter case."""
        spelt = ("Monday", "tuesday", "WEDNESDAY", "Thursday", "friday", "Saturday", "sunday")
        days = order[:count]
        report = Report("r.toml")
        table = Table({"working_days": [spelt[day] for day in days]}, "", report)
        assert (read_weekdays(table), report.problems) == (frozenset(days), [])


class TestWorkingHoursAndStaffProblems:
    def test_leads_are_activities_of_the_programme(self, tmp_path: Path) -> None:
        """An unknown activity gets a did-you-mean; one without its cohort is named as such."""
        staff = '[[staff]]\nid = "s"\ntimezone = "UTC"\nleads = ["c/group-coachng", "all-team"]\n'
        assert staff_problems(tmp_path, staff) == [
            (
                "staff[0].leads[0]: expected an activity of the programme, written "
                "'cohort/activity', got 'c/group-coachng' (did you mean 'c/group-coaching'?)"
            ),
            (
                "staff[0].leads[1]: expected an activity written 'cohort/activity', such as "
                "'learning-network/group-coaching', got 'all-team'"
            ),
        ]

    def test_without_activities_only_the_cohort_is_checked(self, tmp_path: Path) -> None:
        """Loaded without the programme's activities, leads name a known cohort at least."""
        path = write(tmp_path, GOOD + '[[staff]]\nid = "s"\ntimezone = "UTC"\nleads = ["k/x"]\n')
        with pytest.raises(DeclarationError) as caught:
            load_roster(path, cohorts=["c"])
        assert [str(problem).removeprefix(f"{path}: ") for problem in caught.value.problems] == [
            (
                "staff[0].leads[0]: expected an activity of a cohort of the programme: one of 'c', "
                "got 'k/x'"
            )
        ]
        assert load_roster(path).staff[0].leads == ("k/x",)

    def test_sessions_of_teams_they_cannot_lead(self, tmp_path: Path) -> None:
        """A team of a cohort whose activities they do not lead, and an assignment outside
        only, are refused; an id naming no team or group is a group solve will form."""
        staff = (
            '[[staff]]\nid = "s"\ntimezone = "UTC"\nleads = ["d/all-team"]\n'
            'only = ["t2", "t1", "d-group-3"]\nassigned = ["d-group-4", "t2"]\n'
        )
        assert staff_problems(tmp_path, staff) == [
            (
                "staff[0].only[1]: expected a team of a cohort whose activities they lead: one of "
                "'d', got 't1', a team of 'c'"
            ),
            (
                "staff[0].assigned[0]: expected a session also in only: one of 'd-group-3', 't1', "
                "'t2', got 'd-group-4'"
            ),
        ]

    def test_sessions_without_leads(self, tmp_path: Path) -> None:
        """Sessions of their own mean nothing without the activities they lead."""
        staff = '[[staff]]\nid = "s"\ntimezone = "UTC"\nassigned = ["g1"]\n'
        assert staff_problems(tmp_path, staff) == [
            (
                "staff[0].leads: expected the activities (as 'cohort/activity') of the sessions only "
                "and assigned name, got nothing"
            )
        ]

    def test_sessions_that_are_typos_of_roster_ids(self, tmp_path: Path) -> None:
        """A session naming nothing is a typo when it is a near miss and no 'prefix-N'."""
        staff = (
            '[[staff]]\nid = "k"\ntimezone = "UTC"\nleads = ["c/group-coaching"]\n'
            'only = ["t1x", "g1-a", "t1-9", "west-coast"]\n'
        )
        assert staff_problems(tmp_path, staff) == [
            (
                "staff[0].only[0]: expected the id of a team or group of the roster, or of a "
                "coaching group solve forms ('prefix-N'), got 't1x' (did you mean 't1'?)"
            ),
            (
                "staff[0].only[1]: expected the id of a team or group of the roster, or of a "
                "coaching group solve forms ('prefix-N'), got 'g1-a' (did you mean 'g1'?)"
            ),
        ]

    def test_every_list_names_each_thing_once(self, tmp_path: Path) -> None:
        """A repeated lead, session or date is named with the place of the first."""
        staff = (
            '[[staff]]\nid = "s"\ntimezone = "UTC"\nleads = ["d/all-team", "d/all-team"]\n'
            "blackout = [2023-08-14, 2023-08-14]\n"
        )
        assert staff_problems(tmp_path, staff) == [
            (
                "staff[0].blackout[1]: expected a date not listed before, got 2023-08-14, the same "
                "date as staff[0].blackout[0]"
            ),
            (
                "staff[0].leads[1]: expected an activity not listed before, got 'd/all-team', the "
                "same as staff[0].leads[0]"
            ),
        ]

    def test_every_availability_mistake_at_once(self, tmp_path: Path) -> None:
        """Bad hours, weekdays, dates and attributes of the roster and a team are all named."""
        text = (
            'working_hours = "9am-5pm"\nworking_days = []\n'
            '[[teams]]\nid = "t1"\ncohort = "c"\ntimezone = "UTC"\n'
            'working_hours = "15:00-07:00"\nunavailable = [2023-07-03, "next Tuesday"]\n'
            "attributes = { region = true }\n"
        )
        assert problems(tmp_path, text) == [
            (
                "working_hours: expected working hours such as '09:00-17:00' (24-hour, local wall "
                "clock), got '9am-5pm'"
            ),
            "working_days: expected at least one weekday such as 'Monday', got an empty array",
            (
                "teams[0].working_hours: expected working hours that end after they start, such as "
                "'09:00-17:00', got '15:00-07:00'"
            ),
            "teams[0].unavailable[1]: expected a TOML date such as 2023-07-03, got 'next Tuesday'",
            (
                "teams[0].attributes.region: expected a text such as 'small' (attribute values are "
                'labels), got true (write it in quotes: region = "true")'
            ),
        ]


class TestTeamsFor:
    """``teams_for`` is the exact inverse of the targets of teams and people."""

    def test_inverse_of_targets_on_the_solved_reference(self) -> None:
        roster = load(CALENDARS / "pursuing-equity-2023-2024.toml").roster
        assert roster is not None
        reached: dict[Target, set[str]] = collections.defaultdict(set)
        for team in roster.teams:
            for target in roster.targets_of_team(team.id):
                reached[target].add(team.id)
        for person in roster.people:
            for target in roster.targets_of_person(person.id):
                reached[target].add(person.team)
            reached[Target(kind=AudienceKind.PERSON, key=person.id)].add(person.team)
        kinds = {target.kind for target in reached}
        assert {AudienceKind.SENIOR_LEADERS, AudienceKind.AFFINITY_GROUP} <= kinds
        order = [team.id for team in roster.teams]
        for target, teams in reached.items():
            found = roster.teams_for(target)
            assert set(found) == teams, target
            assert list(found) == sorted(found, key=order.index), target
        assert roster.teams_for(Target(kind=AudienceKind.TEAM, key="no-such-team")) == ()
