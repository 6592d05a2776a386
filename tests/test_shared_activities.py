"""Activities and events several cohorts share: declared once, one event per occurrence."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import icalendar
import jsonschema
import pytest

from pe_schedule import (
    AudienceKind,
    DeclarationError,
    Grid,
    Target,
    check,
    cli,
    declaration_schema,
    events,
    load,
    render_json,
    render_markdown,
    sanity_problems,
)
from pe_schedule._internal.declaration.load import SHARED_ACTIVITY_KEYS

ROOT = Path(__file__).parent.parent
CALENDARS = ROOT / "calendars"
REFERENCE = CALENDARS / "pursuing-equity-2023-2024.toml"
FEEDS = CALENDARS / "pursuing-equity-2023-2024"
SHARED_UID = "pursuing-equity-2023-2024/groundwater/cohorts/2023-02@pe-schedule"
#: The uids the training had while it was declared once per cohort.
OLD_UIDS = {
    f"pursuing-equity-2023-2024/{cohort}/groundwater/cohort/2023-02@pe-schedule"
    for cohort in ("learning-network", "action-community")
}

#: Two cohorts that share a training, declared once at the top level.
TWO_COHORTS = """\
[programme]
id = "demo"
name = "Demo"
first_month = "2023-01"
last_month = "2023-12"
timezone = "America/New_York"
revised = 2023-01-01T00:00:00Z

[[activities]]
id = "training"
name = "Training"
cohorts = ["north", "south"]
months = [2, 5]
timing = { day = "second Thursday", start = "14:00", duration = "3h" }

[[cohorts]]
id = "north"
name = "North"

[[cohorts.activities]]
id = "call"
name = "North Call"
months = [1, 3]
timing = { day = "third Tuesday", start = "13:00", duration = "1h" }

[[cohorts]]
id = "south"
name = "South"

[[cohorts.activities]]
id = "call"
name = "South Call"
months = [1, 5]
timing = { day = "third Tuesday", start = "15:00", duration = "1h" }
"""


def write(tmp_path: Path, text: str) -> Path:
    """``text`` as the declaration ``tmp_path/demo.toml``."""
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    """The problems loading ``path`` reports, each without the file name."""
    with pytest.raises(DeclarationError) as caught:
        load(path)
    return [str(problem).removeprefix(f"{path}: ") for problem in caught.value.problems]


def uids(feed: Path) -> list[str]:
    """The UIDs of the live (not cancelled) events of a feed, in order, repeats kept."""
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    return [str(e["UID"]) for e in calendar.events if str(e.get("STATUS")) != "CANCELLED"]


class TestReference:
    """The REI Groundwater Training is one session for both cohorts of the reference."""

    def test_the_programme_feed_has_one_training_per_occurrence(self) -> None:
        """One live REI event in the programme's feed, not one per cohort."""
        live = uids(FEEDS / "programme.ics")
        training = [uid for uid in live if "/groundwater/" in uid]
        assert training == [SHARED_UID]

    @pytest.mark.parametrize("feed", ["cohort-learning-network.ics", "cohort-action-community.ics"])
    def test_each_cohort_feed_still_has_it(self, feed: str) -> None:
        """Both cohorts' feeds hold the one shared event, once."""
        assert uids(FEEDS / feed).count(SHARED_UID) == 1

    def test_every_team_feed_of_both_cohorts_has_it_once(self) -> None:
        """Every team of either cohort sees the training once."""
        teams = sorted(FEEDS.glob("team-*.ics"))
        assert any("team-ln-" in t.name for t in teams)
        assert any("team-ac-" in t.name for t in teams)
        for team in teams:
            assert uids(team).count(SHARED_UID) == 1, team.name

    def test_events_for_a_cohort_team_or_person_include_it(self) -> None:
        """The library's filters agree with the feeds: the event is each cohort's."""
        programme = load(REFERENCE)
        assert programme.roster is not None
        person = next(p for p in programme.roster.people if p.team.startswith("ac-"))
        for found in (
            events(programme, cohort="learning-network"),
            events(programme, cohort="action-community"),
            events(programme, team="ln-01"),
            events(programme, team="ac-01"),
            events(programme, person=person.id),
        ):
            assert [e.uid for e in found if e.activity == "groundwater"] == [SHARED_UID]
        (training,) = events(programme, activity="groundwater")
        assert training.cohort is None
        assert training.target == Target.of_cohorts(["learning-network", "action-community"])
        assert training.categories == ("Learning Network", "Action Community")

    def test_the_old_per_cohort_events_are_published_cancelled(self) -> None:
        """Subscribers of the old per-cohort events see them cancelled, for the retention
        period, rather than keeping two stale copies: each cohort's feed cancels its own."""
        for cohort in ("learning-network", "action-community"):
            calendar = icalendar.Calendar.from_ical((FEEDS / f"cohort-{cohort}.ics").read_bytes())
            cancelled = {
                str(e["UID"]) for e in calendar.events if str(e.get("STATUS")) == "CANCELLED"
            }
            assert cancelled & OLD_UIDS == {
                f"pursuing-equity-2023-2024/{cohort}/groundwater/cohort/2023-02@pe-schedule"
            }

    def test_the_grid_shows_it_in_both_cohorts_marked_shared(self) -> None:
        """The training is the first row of both grids, each naming the other cohort."""
        grid = Grid.of(load(REFERENCE))
        first = {cohort.name: cohort.rows[0] for cohort in grid.cohorts}
        assert first["Learning Network"].shared_with == ("Action Community",)
        assert first["Action Community"].shared_with == ("Learning Network",)
        assert all(row.name == "REI Groundwater Training" for row in first.values())
        assert '"shared_with": [\n' in render_json(grid)


class TestSharedActivity:
    """An activity declared once for several cohorts."""

    def test_is_one_event_per_occurrence_for_all_its_cohorts(self, tmp_path: Path) -> None:
        """Two months, so two events: each addressed to both cohorts together."""
        programme = load(write(tmp_path, TWO_COHORTS))
        training = events(programme, activity="training")
        assert [e.uid for e in training] == [
            "demo/training/cohorts/2023-02@pe-schedule",
            "demo/training/cohorts/2023-05@pe-schedule",
        ]
        assert {e.target for e in training} == {Target.of_cohorts(["north", "south"])}
        assert len(events(programme, cohort="north", activity="training")) == 2
        assert len(events(programme, cohort="south", activity="training")) == 2

    def test_is_a_row_of_each_cohort_and_opens_its_grid(self, tmp_path: Path) -> None:
        """Each of its cohorts has it as an activity, before the cohort's own."""
        programme = load(write(tmp_path, TWO_COHORTS))
        for cohort in programme.cohorts:
            assert [a.id for a in cohort.activities] == ["training", "call"]
            assert cohort.activity("training").shared_by == ("north", "south")
        assert [a.id for a in programme.shared] == ["training"]
        markdown = render_markdown(Grid.of(programme))
        assert "| Training (shared with South) |" in markdown
        assert "| Training (shared with North) |" in markdown

    def test_keeps_its_join_link_and_reminders(self, tmp_path: Path) -> None:
        """``join`` and ``reminders`` work as on any activity."""
        text = TWO_COHORTS.replace(
            "months = [2, 5]",
            'months = [2, 5]\njoin = "https://example.org/join"\nreminders = ["1h"]',
        )
        for event in events(load(write(tmp_path, text)), activity="training"):
            assert event.join == "https://example.org/join"
            assert event.alarms == (dt.timedelta(hours=1),)

    def test_cohorts_are_kept_in_the_programmes_order(self, tmp_path: Path) -> None:
        """Writing the cohorts in another order changes no uid or target."""
        text = TWO_COHORTS.replace('["north", "south"]', '["south", "north"]')
        programme = load(write(tmp_path, text))
        assert programme.cohort("north").activity("training").shared_by == ("north", "south")

    def test_a_cohort_rule_may_name_it(self, tmp_path: Path) -> None:
        """A shared activity is an activity of each of its cohorts, so their rules see it."""
        text = TWO_COHORTS + (
            '\n[[cohorts.rules]]\nkind = "not-with"\nactivity = "call"\nother = "training"\n'
        )
        (violation,) = check(load(write(tmp_path, text)))
        assert (violation.cohort, violation.activity, str(violation.month)) == (
            "south",
            "call",
            "2023-05",
        )

    def test_a_shared_event_is_in_each_cohorts_feeds_once(self, tmp_path: Path) -> None:
        """A build puts the one event in the programme's feed and in both cohorts'."""
        path = write(tmp_path, TWO_COHORTS)
        assert cli.main(["build", str(path)]) == 0
        folder = tmp_path / "demo"
        shared = "demo/training/cohorts/2023-02@pe-schedule"
        for feed in ("programme.ics", "cohort-north.ics", "cohort-south.ics"):
            assert uids(folder / feed).count(shared) == 1, feed
        assert not list(folder.glob("cohorts-*.ics"))


class TestCalendarSanity:
    """A shared session is in the way of each of its cohorts' own sessions."""

    def test_an_overlap_with_one_cohorts_call_is_reported(self, tmp_path: Path) -> None:
        """North's call at the training's hour overlaps it; South's does not."""
        text = TWO_COHORTS.replace(
            'months = [1, 3]\ntiming = { day = "third Tuesday", start = "13:00"',
            'months = [1, 2]\ntiming = { day = "second Thursday", start = "15:00"',
        )
        overlaps = [p for p in sanity_problems(load(write(tmp_path, text))) if p.rule == "overlap"]
        assert [(p.uid, p.cohort) for p in overlaps] == [
            ("demo/north/call/cohort/2023-02@pe-schedule", "north")
        ]
        assert "cohort:north" in overlaps[0].problem


class TestFromPerCohortToShared:
    """Declaring a per-cohort activity once instead: what subscribers see."""

    def test_the_old_events_are_cancelled_and_the_new_one_is_live(self, tmp_path: Path) -> None:
        """The ledger cancels the two old uids (kept for the retention period) and
        publishes the shared one; the programme's feed then has one live event."""
        per_cohort = TWO_COHORTS.replace(
            'cohorts = ["north", "south"]\n', ""
        )  # made valid below: one copy in each cohort
        training = per_cohort[per_cohort.index("[[activities]]") : per_cohort.index("[[cohorts]]")]
        per_cohort = per_cohort.replace(training, "")
        own = training.replace("[[activities]]", "[[cohorts.activities]]")
        per_cohort = per_cohort.replace('name = "North"\n', f'name = "North"\n\n{own}')
        per_cohort = per_cohort.replace('name = "South"\n', f'name = "South"\n\n{own}')
        path = write(tmp_path, per_cohort)
        assert cli.main(["build", str(path)]) == 0
        programme_feed = tmp_path / "demo" / "programme.ics"
        assert sum("/training/" in uid for uid in uids(programme_feed)) == 4

        write(tmp_path, TWO_COHORTS.replace("2023-01-01T00:00:00Z", "2023-01-10T00:00:00Z"))
        assert cli.main(["build", str(path)]) == 0
        calendar = icalendar.Calendar.from_ical(programme_feed.read_bytes())
        status = {
            str(e["UID"]): str(e["STATUS"])
            for e in calendar.events
            if "/training/" in str(e["UID"])
        }
        assert status == {
            "demo/north/training/cohort/2023-02@pe-schedule": "CANCELLED",
            "demo/north/training/cohort/2023-05@pe-schedule": "CANCELLED",
            "demo/south/training/cohort/2023-02@pe-schedule": "CANCELLED",
            "demo/south/training/cohort/2023-05@pe-schedule": "CANCELLED",
            "demo/training/cohorts/2023-02@pe-schedule": "CONFIRMED",
            "demo/training/cohorts/2023-05@pe-schedule": "CONFIRMED",
        }
        north = uids(tmp_path / "demo" / "cohort-north.ics")
        assert sorted(uid for uid in north if "/training/" in uid) == [
            "demo/training/cohorts/2023-02@pe-schedule",
            "demo/training/cohorts/2023-05@pe-schedule",
        ]


class TestSharedEvent:
    """An ``[[events]]`` entry with ``cohorts`` is one event for those cohorts."""

    def test_is_one_event_in_both_cohorts(self, tmp_path: Path) -> None:
        """The deadline is one event, for both cohorts, not for the whole programme."""
        text = TWO_COHORTS.replace(
            '[[cohorts]]\nid = "south"',
            '[[cohorts]]\nid = "east"\nname = "East"\n\n[[cohorts.activities]]\nid = "x"\n'
            'name = "X"\nmonths = [1]\n\n[[cohorts]]\nid = "south"',
        ) + (
            '\n[[events]]\nid = "report-due"\nname = "Report due"\n'
            'cohorts = ["south", "north"]\ndate = 2023-06-30\nbusy = false\n'
        )
        programme = load(write(tmp_path, text))
        (due,) = events(programme, activity="report-due")
        assert due.uid == "demo/report-due/cohorts@pe-schedule"
        assert due.target == Target(kind=AudienceKind.COHORTS, key="north+south")
        assert events(programme, cohort="north", activity="report-due") == (due,)
        assert events(programme, cohort="south", activity="report-due") == (due,)
        assert events(programme, cohort="east", activity="report-due") == ()

    def test_is_either_one_cohorts_or_shared(self, tmp_path: Path) -> None:
        """``cohort`` and ``cohorts`` together are refused."""
        text = TWO_COHORTS + (
            '\n[[events]]\nid = "due"\nname = "Due"\ncohort = "north"\n'
            'cohorts = ["south", "north"]\ndate = 2023-06-30\n'
        )
        assert problems(write(tmp_path, text)) == [
            (
                "events[0].cohorts: expected either 'cohort' (one cohort's event) or 'cohorts' "
                "(a shared one), got both"
            )
        ]


class TestMistakes:
    """A shared activity's mistakes, each named where it is, with a did-you-mean."""

    def test_an_unknown_cohort(self, tmp_path: Path) -> None:
        """A misspelt cohort is named, with the cohorts there are."""
        text = TWO_COHORTS.replace('["north", "south"]', '["north", "suoth"]')
        assert problems(write(tmp_path, text)) == [
            (
                "activities[0].cohorts[1]: expected a cohort of the programme: one of 'north', "
                "'south', got 'suoth' (did you mean 'south'?)"
            )
        ]

    def test_one_cohort_is_not_shared(self, tmp_path: Path) -> None:
        """An activity of one cohort belongs in that cohort's grid."""
        text = TWO_COHORTS.replace('["north", "south"]', '["north"]')
        (problem,) = problems(write(tmp_path, text))
        assert problem.startswith("activities[0].cohorts: expected two or more cohort ids")

    def test_no_audience_and_no_slot_choices(self, tmp_path: Path) -> None:
        """It is one session for the cohorts together, at the time declared."""
        text = TWO_COHORTS.replace(
            'months = [2, 5]\ntiming = { day = "second Thursday"',
            'months = [2, 5]\naudience = "team"\ntiming = { day = ["second Thursday", "first Friday"]',
        )
        found = problems(write(tmp_path, text))
        assert found[0].startswith("activities[0].audience: expected a known key")
        assert found[1].startswith("activities[0].timing.day:")

    def test_an_id_a_cohort_uses_already(self, tmp_path: Path) -> None:
        """A cohort's own activity may not take a shared activity's id."""
        text = TWO_COHORTS.replace(
            'id = "call"\nname = "South Call"', 'id = "training"\nname = "S"'
        )
        assert problems(write(tmp_path, text)) == [
            (
                "cohorts[1].activities[0].id: expected an activity id not used before, got "
                "'training', already the id of the shared activity activities[0]"
            )
        ]

    def test_no_coach_leads_a_shared_activity(self, tmp_path: Path) -> None:
        """A roster's ``leads`` naming a shared activity says why, not "unknown activity"."""
        text = TWO_COHORTS.replace(
            "revised = 2023-01-01T00:00:00Z\n",
            'revised = 2023-01-01T00:00:00Z\nroster = "demo.roster.toml"\n',
        )
        (tmp_path / "demo.roster.toml").write_text(
            '[[teams]]\nid = "n1"\nname = "N1"\ncohort = "north"\ntimezone = "America/New_York"\n'
            '\n[[staff]]\nid = "ann"\nname = "Ann"\nrole = "coach"\n'
            'timezone = "America/New_York"\nleads = ["north/call", "north/training"]\n',
            encoding="utf-8",
        )
        (problem,) = problems(write(tmp_path, text))
        assert problem == (
            f"{tmp_path / 'demo.roster.toml'}: staff[0].leads[1]: expected an activity one "
            "cohort holds, whose sessions a coach may lead, got 'north/training', an activity "
            "shared by several cohorts (a shared activity's sessions are fixed for all its "
            "cohorts alike; no coach is assigned to them)"
        )


class TestSchema:
    """The JSON Schema knows the top-level ``[[activities]]``, ``[[rules]]`` and ``cohorts``."""

    def test_accepts_the_reference_and_the_example(self) -> None:
        """Both declarations that use the new tables validate."""
        for path in (REFERENCE, ROOT / "examples/three-cohorts/three-cohorts-2025.toml"):
            jsonschema.validate(tomllib.loads(path.read_text("utf-8")), declaration_schema())

    def test_lists_the_keys_the_reader_allows(self) -> None:
        """A shared activity's properties are exactly the reader's keys."""
        part = declaration_schema()["$defs"]["sharedActivity"]
        assert set(part["properties"]) == set(SHARED_ACTIVITY_KEYS)

    def test_refuses_a_shared_activity_with_an_audience(self) -> None:
        """``audience`` is not a key of a shared activity."""
        document = tomllib.loads(
            TWO_COHORTS.replace("months = [2, 5]", 'audience = "team"\nmonths = [2, 5]')
        )
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(document, declaration_schema())
