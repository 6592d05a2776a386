"""Loading declaration files: the reference programme, defaults, and every kind of mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pe_schedule import (
    AlternatesWith,
    AudienceKind,
    DeclarationError,
    EveryNMonths,
    InPersonWith,
    MonthlyExcept,
    NotWith,
    Programme,
    SameMonths,
    YearMonth,
    Zone,
    check,
    discover,
    load,
)
from tests.conftest import MINIMAL_DECLARATION

ROOT = Path(__file__).parent.parent
REFERENCE = ROOT / "calendars" / "pursuing-equity-2023-2024.toml"
#: The one folder of invalid inputs (its own test checks each through ``pe-schedule check``).
CORPUS = Path(__file__).parent / "bad_inputs"

# DOMAIN.md's two tables, transcribed by hand: activity id -> (months, in-person months).
LEARNING_NETWORK = {
    "groundwater": ("Feb 2023", ""),
    "all-team": (
        "Jan 2023, Mar 2023, May 2023, Jul 2023, Sep 2023, Nov 2023, Jan 2024, Mar 2024, May 2024",
        "",
    ),
    "group-coaching": (
        "Apr 2023, Jun 2023, Aug 2023, Oct 2023, Dec 2023, Feb 2024, Apr 2024, Jun 2024",
        "",
    ),
}
ACTION_COMMUNITY = {
    "groundwater": ("Feb 2023", ""),
    "kick-off": ("Jan 2023, Feb 2023", ""),
    "one-to-one-coaching": (
        (
            "Feb 2023, Apr 2023, May 2023, Jun 2023, Jul 2023, Aug 2023, Sep 2023, Nov 2023, "
            "Dec 2023, Jan 2024, Feb 2024, Mar 2024, Apr 2024, May 2024"
        ),
        "",
    ),
    "learning-sessions": ("Mar 2023, Oct 2023, Jun 2024", "Mar 2023, Jun 2024"),
    "all-team": ("May 2023, Jul 2023, Sep 2023, Nov 2023, Jan 2024, Mar 2024, May 2024", ""),
    "group-coaching": ("Apr 2023, Jun 2023, Aug 2023, Dec 2023, Feb 2024, Apr 2024", ""),
    "affinity-groups": (
        "Mar 2023, Jul 2023, Oct 2023, Feb 2024, Mar 2024, Apr 2024, May 2024, Jun 2024",
        "Mar 2023, Jun 2024",
    ),
    "leadership-workgroup": ("Apr 2023, Jun 2023, Aug 2023, Dec 2023, Feb 2024, Apr 2024", ""),
}


def labels(months: tuple[YearMonth, ...]) -> str:
    """Months as a grid heading writes them, comma-separated."""
    return ", ".join(month.label for month in months)


def expectations(path: Path) -> list[str]:
    """The ``# expect:`` lines of an invalid declaration (read leniently: some are not UTF-8)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    return re.findall(r"^# expect: (.+)$", text, flags=re.MULTILINE)


def refused(path: Path) -> bool:
    """Whether loading ``path`` must fail: a declaration case without ``# exit: 1`` (which loads)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    return not path.name.endswith(".roster.toml") and "\n# exit: 1\n" not in text


#: The corpus's declarations that ``load`` refuses.
INVALID = sorted(path for path in CORPUS.glob("*.toml") if refused(path))


@pytest.fixture(scope="module")
def reference() -> Programme:
    """The reference declaration, loaded once."""
    return load(REFERENCE)


class TestReference:
    def test_states_the_programme(self, reference: Programme) -> None:
        """The reference programme runs January 2023 to June 2024 in Eastern Time."""
        assert (reference.id, reference.name) == (
            "pursuing-equity-2023-2024",
            "Pursuing Equity 2023–2024",
        )
        assert (str(reference.first_month), str(reference.last_month)) == ("2023-01", "2024-06")
        assert reference.timezone == Zone("America/New_York")
        assert reference.organiser == "Institute for Healthcare Improvement"
        assert reference.source == str(REFERENCE)

    @pytest.mark.parametrize(
        ("cohort", "grid"),
        [("learning-network", LEARNING_NETWORK), ("action-community", ACTION_COMMUNITY)],
    )
    def test_reproduces_the_domain_grids(
        self, reference: Programme, cohort: str, grid: dict[str, tuple[str, str]]
    ) -> None:
        """Each cohort's activities and months are DOMAIN.md's table, row for row."""
        activities = reference.cohort(cohort).activities
        assert {a.id: (labels(a.months), labels(a.in_person)) for a in activities} == grid
        assert [a.id for a in activities] == list(grid)

    def test_places_in_person_months_in_boston(self, reference: Programme) -> None:
        """The X* months are in Boston, MA; every other occurrence is on Zoom."""
        cohort = reference.cohort("action-community")
        sessions = cohort.activity("learning-sessions")
        assert sessions.location_in(YearMonth(2023, 3)) == "Boston, MA"
        assert sessions.location_in(YearMonth(2023, 10)) == "Zoom"
        assert cohort.activity("affinity-groups").in_person_location == "Boston, MA"

    def test_names_each_activity_s_audience(self, reference: Programme) -> None:
        """Coaching, affinity groups and the workgroup fan out; the rest is for the cohort."""
        audiences = {
            (cohort.id, activity.id): activity.audience
            for cohort in reference.cohorts
            for activity in cohort.activities
            if activity.audience is not AudienceKind.COHORT
        }
        assert audiences == {
            ("learning-network", "group-coaching"): AudienceKind.COACHING_GROUP,
            ("action-community", "one-to-one-coaching"): AudienceKind.TEAM,
            ("action-community", "affinity-groups"): AudienceKind.AFFINITY_GROUP,
            ("action-community", "leadership-workgroup"): AudienceKind.SENIOR_LEADERS,
        }

    def test_declares_the_domain_rules(self, reference: Programme) -> None:
        """The rules DOMAIN.md lists are declared, as rule values, in order."""
        assert reference.cohort("learning-network").rules == (
            EveryNMonths(activity="all-team", months=2),
            AlternatesWith(activity="group-coaching", other="all-team"),
            NotWith(activity="group-coaching", other="all-team"),
        )
        assert reference.cohort("action-community").rules == (
            EveryNMonths(activity="all-team", months=2),
            NotWith(activity="group-coaching", other="all-team"),
            EveryNMonths(activity="group-coaching", months=2, unless=("learning-sessions",)),
            SameMonths(activity="leadership-workgroup", other="group-coaching"),
            MonthlyExcept(activity="one-to-one-coaching", others=("learning-sessions",)),
            InPersonWith(activity="affinity-groups", other="learning-sessions"),
        )

    def test_follows_its_rules(self, reference: Programme) -> None:
        """The reference grid breaks none of its rules."""
        assert check(reference) == ()

    def test_is_re_dated_by_its_window_alone(self, tmp_path: Path) -> None:
        """Moving first_month and last_month two years on moves every month two years on."""
        text = REFERENCE.read_text(encoding="utf-8")
        moved = tmp_path / "next.toml"
        roster = "pursuing-equity-2023-2024.roster.toml"
        (tmp_path / roster).write_bytes(REFERENCE.with_name(roster).read_bytes())
        moved.write_text(
            text.replace('first_month = "2023-01"', 'first_month = "2025-01"').replace(
                'last_month = "2024-06"', 'last_month = "2026-06"'
            ),
            encoding="utf-8",
        )
        before, after = load(REFERENCE), load(moved)
        for old, new in zip(before.cohorts, after.cohorts, strict=True):
            for old_activity, new_activity in zip(old.activities, new.activities, strict=True):
                assert new_activity.months == tuple(m + 24 for m in old_activity.months)
                assert new_activity.in_person == tuple(m + 24 for m in old_activity.in_person)


class TestDefaults:
    def test_fills_in_optional_values(self, minimal_declaration: Path) -> None:
        """An activity without location or audience is on Zoom, for the whole cohort."""
        activity = load(minimal_declaration).cohort("cohort").activity("call")
        assert (activity.location, activity.audience) == ("Zoom", AudienceKind.COHORT)
        assert (activity.in_person, activity.in_person_location) == ((), None)
        assert load(str(minimal_declaration)).cohort("cohort").rules == ()

    def test_reads_a_cadence_with_default_bounds(self, tmp_path: Path) -> None:
        """A cadence without ``from`` and ``to`` spans the programme window."""
        path = tmp_path / "demo.toml"
        path.write_text(MINIMAL_DECLARATION.replace("[1, 3]", "{ every = 4 }"), encoding="utf-8")
        activity = load(path).cohort("cohort").activity("call")
        assert labels(activity.months) == "Jan 2023, May 2023, Sep 2023"

    @pytest.mark.parametrize(
        ("when", "extra", "busy"),
        [
            ('timing = { day = "last Friday" }', "", False),
            ('timing = { day = "last Friday" }', "in_person = true\n", True),
            ('timing = { day = "last Friday" }', "busy = true\n", True),
            ('timing = { day = "last Friday", start = "10:00", duration = "1h" }', "", True),
            (
                'timing = { day = "last Friday", start = "10:00", duration = "1h" }',
                "busy = false\n",
                False,
            ),
        ],
        ids=["deadline-free", "in-person-busy", "said-busy", "timed-busy", "said-free"],
    )
    def test_an_all_day_event_is_free_unless_said(
        self, tmp_path: Path, when: str, extra: str, busy: bool
    ) -> None:
        """An all-day [[events]] entry (a deadline) does not block the day; a timed one or one
        held in person does; ``busy`` says otherwise for either."""
        path = tmp_path / "demo.toml"
        event = f'\n[[events]]\nid = "due"\nname = "Report due"\nmonths = [2]\n{extra}{when}\n'
        path.write_text(MINIMAL_DECLARATION + event, encoding="utf-8")
        (occasion,) = load(path).events
        assert occasion.busy is busy


class TestInvalid:
    def test_the_corpus_has_cases_to_refuse(self) -> None:
        """The parametrised test below runs over dozens of cases, not over an empty glob."""
        assert len(INVALID) >= 40

    @pytest.mark.parametrize("path", INVALID, ids=[path.stem for path in INVALID])
    def test_reports_each_mistake_where_it_is(self, path: Path) -> None:
        """``load`` raises one DeclarationError whose problems are the file's expect lines, in order."""
        expected = [
            f"{path}{expect}" if expect.startswith(":") else f"{path}: {expect}"
            for expect in expectations(path)
        ]
        assert expected, f"{path.name} has no '# expect:' line"
        with pytest.raises(DeclarationError) as caught:
            load(path)
        assert [str(problem) for problem in caught.value.problems] == expected
        assert caught.value.file == str(path)

    def test_reports_all_mistakes_of_a_file_at_once(self) -> None:
        """A file with five mistakes gives one error holding five problems."""
        path = CORPUS / "five-mistakes.toml"
        with pytest.raises(DeclarationError) as caught:
            load(path)
        assert len(caught.value.problems) == 5
        assert caught.value.file == str(path)
        assert len(str(caught.value).splitlines()) == 5

    def test_reports_a_missing_file(self, tmp_path: Path) -> None:
        """A path with no file is a declaration error naming the path."""
        with pytest.raises(DeclarationError, match=r"missing\.toml: expected a readable file"):
            load(tmp_path / "missing.toml")

    def test_refuses_a_machine_dependent_zone(self, tmp_path: Path) -> None:
        """'localtime' means a different zone on each machine, so it is refused."""
        path = tmp_path / "demo.toml"
        path.write_text(
            MINIMAL_DECLARATION.replace("America/New_York", "localtime"), encoding="utf-8"
        )
        with pytest.raises(DeclarationError, match=r"programme\.timezone: expected an IANA"):
            load(path)

    def test_suggests_a_zone_from_its_city(self, tmp_path: Path) -> None:
        """A city written as people say it is matched to its zone."""
        path = tmp_path / "demo.toml"
        path.write_text(
            MINIMAL_DECLARATION.replace("America/New_York", "new york"), encoding="utf-8"
        )
        with pytest.raises(DeclarationError, match="did you mean 'America/New_York'"):
            load(path)

    def test_reports_a_location_without_in_person_months(self, tmp_path: Path) -> None:
        """An in-person location with no in-person month is most likely a slip."""
        path = tmp_path / "demo.toml"
        path.write_text(
            MINIMAL_DECLARATION + 'in_person_location = "Boston, MA"\n', encoding="utf-8"
        )
        with pytest.raises(DeclarationError, match=r"in_person_location: expected in_person"):
            load(path)


class TestDiscover:
    def test_a_file_is_itself(self) -> None:
        """A file path gives that file."""
        assert discover(REFERENCE) == (REFERENCE,)

    def test_a_folder_gives_its_declarations_in_order(self, tmp_path: Path) -> None:
        """A folder gives its .toml files by name, without rosters, other files or sub-folders."""
        for name in ("b.toml", "a.toml", "a.roster.toml", "notes.md"):
            (tmp_path / name).write_text("", encoding="utf-8")
        (tmp_path / "nested").mkdir()
        (tmp_path / "nested" / "c.toml").write_text("", encoding="utf-8")
        assert discover(str(tmp_path)) == (tmp_path / "a.toml", tmp_path / "b.toml")

    def test_the_bundled_calendars_folder(self) -> None:
        """The repository's calendars folder holds the reference declaration."""
        assert REFERENCE in discover(ROOT / "calendars")

    def test_a_missing_path_is_an_error(self, tmp_path: Path) -> None:
        """Nothing at the path is reported with the path."""
        with pytest.raises(DeclarationError, match="nowhere: expected a declaration file"):
            discover(tmp_path / "nowhere")
