"""Feeds per audience: who gets which events, file names, privacy, and the reference feeds."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Collection, Sequence
from pathlib import Path

import pytest

from pe_schedule import (
    AllDay,
    AudienceKind,
    Event,
    Grid,
    Group,
    OutputError,
    Person,
    PeScheduleError,
    Programme,
    Role,
    Roster,
    Target,
    Team,
    YearMonth,
    Zone,
    render_svg,
)
from pe_schedule._internal.build import files
from pe_schedule._internal.declaration import load as declaration
from pe_schedule._internal.publish.feeds import INDEX_NAME, plan, render, slug
from pe_schedule._internal.publish.key import KEY_FILE, KEY_VARIABLE, feed_key, personal_name
from pe_schedule._internal.render.index_page import render_index
from pe_schedule._internal.schedule import expand
from tests.ical_readers import READERS, expected

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"
KEY = b"a test key that is long enough"


@functools.cache
def reference() -> tuple[Programme, tuple[Event, ...]]:
    """The reference programme and all its events."""
    programme = declaration.load(REFERENCE)
    return programme, expand.events(programme)


@functools.cache
def reference_files() -> dict[str, bytes]:
    """Every file a build of the reference programme writes, personal feeds included."""
    programme, events = reference()
    feed_plan = plan(programme, events, programme.roster, key=KEY)
    return dict(files(programme, feed_plan.feeds, events))


def reaches(event: Event, targets: Collection[Target]) -> bool:
    """Whether ``event`` is for one of ``targets``: addressed to it or, shared by
    several cohorts, to one of them."""
    cohorts = {Target(kind=AudienceKind.COHORT, key=c) for c in event.target.cohorts}
    return event.target in targets or not cohorts.isdisjoint(targets)


def shared_feed_names() -> list[str]:
    """The reference feeds that are not personal."""
    return sorted(n for n in reference_files() if n.endswith(".ics") and "person-" not in n)


@functools.cache
def wanted_shared() -> dict[str, tuple[Event, ...]]:
    """What each shared reference feed must hold, by the audience's own definition."""
    programme, events = reference()
    assert programme.roster is not None
    roster = programme.roster
    everyone = Target(kind=AudienceKind.PROGRAMME, key=programme.id)

    def addressed(targets: set[Target]) -> tuple[Event, ...]:
        return tuple(e for e in events if reaches(e, targets))

    # The teams' own weekly meetings (own = true) are in team and personal feeds only.
    own = {(o.cohort, o.id) for o in programme.events if o.own}
    assert own, "the reference declares the teams' own meetings"
    shared = tuple(e for e in events if (e.cohort, e.activity) not in own)
    wanted: dict[str, tuple[Event, ...]] = {"programme.ics": shared}
    for cohort in programme.cohorts:
        wanted[f"cohort-{cohort.id}.ics"] = tuple(
            e
            for e in shared
            if e.cohort == cohort.id or e.target == everyone or cohort.id in e.target.cohorts
        )
        leaders = Target(kind=AudienceKind.SENIOR_LEADERS, key=cohort.id)
        if addressed({leaders}):
            wanted[f"senior-leaders-{cohort.id}.ics"] = addressed({leaders})
    for team in roster.teams:
        wanted[f"team-{team.id}.ics"] = addressed(set(roster.targets_of_team(team.id)) | {everyone})
    for group in roster.groups:
        wanted[f"{group.kind.value}-{group.id}.ics"] = addressed(
            {Target(kind=group.kind, key=group.id)}
        )
    for member in roster.staff:
        wanted[f"staff-{member.id}.ics"] = tuple(e for e in events if member.id in e.leaders)
    return wanted


def sample(people: Sequence[Person]) -> list[Person]:
    """Every 20th person of the roster, and the first and the last: a fixed, deterministic sample.

    Reading all ~241 personal feeds in all four readers took about 20 s; these 13
    feeds cover both cohorts, every coaching group, both affinity groups and the
    senior leaders' calls. Every personal feed's events are still checked, by uid,
    in ``test_every_personal_feed_holds_its_uids``.
    """
    places = {0, len(people) - 1, *range(0, len(people), 20)}
    return [people[place] for place in sorted(places)]


class TestReferenceFeeds:
    """Every reference feed reads, in every reader, as exactly the library's events."""

    @pytest.mark.parametrize("reader", sorted(READERS))
    def test_every_shared_feed_in_every_reader(self, reader: str) -> None:
        """Programme, cohort, team and group feeds hold exactly their audience's events."""
        wanted = wanted_shared()
        assert sorted(wanted) == shared_feed_names()
        for name, chosen in wanted.items():
            assert chosen, name
            assert READERS[reader](reference_files()[name]) == expected(chosen), name

    @pytest.mark.parametrize("reader", sorted(READERS))
    def test_sampled_personal_feeds(self, reader: str) -> None:
        """A fixed sample of personal feeds (every 20th person, first and last) reads as their events."""
        programme, events = reference()
        assert programme.roster is not None
        everyone = Target(kind=AudienceKind.PROGRAMME, key=programme.id)
        roster = programme.roster
        chosen_people = sample(roster.people)
        assert 10 <= len(chosen_people) < len(roster.people)

        def kinds(people: Sequence[Person]) -> set[AudienceKind]:
            return {t.kind for p in people for t in roster.targets_of_person(p.id)}

        # The sample still reaches every kind of audience a person can belong to.
        assert kinds(chosen_people) == kinds(roster.people)
        for person in chosen_people:
            targets = set(roster.targets_of_person(person.id)) | {everyone}
            chosen = [e for e in events if reaches(e, targets)]
            name = personal_name(programme.id, person.id, KEY)
            assert READERS[reader](reference_files()[name]) == expected(chosen), person.id

    def test_the_teams_own_meetings_stay_in_their_own_feeds(self) -> None:
        """Each team's weekly meeting is in its team feed, not the cohort's or programme's."""
        files = reference_files()
        meeting = b"SUMMARY:Weekly team meeting"
        assert files["team-ac-01.ics"].count(meeting) > 50
        assert meeting not in files["cohort-action-community.ics"]
        assert meeting not in files["programme.ics"]

    def test_every_personal_feed_holds_its_uids(self) -> None:
        """Every person's feed, read as plain text, holds the uids of exactly their events."""
        programme, events = reference()
        assert programme.roster is not None
        everyone = Target(kind=AudienceKind.PROGRAMME, key=programme.id)
        for person in programme.roster.people:
            targets = set(programme.roster.targets_of_person(person.id)) | {everyone}
            name = personal_name(programme.id, person.id, KEY)
            lines = reference_files()[name].replace(b"\r\n ", b"").split(b"\r\n")
            uids = [line[4:].decode() for line in lines if line.startswith(b"UID:")]
            assert sorted(uids) == sorted(e.uid for e in events if reaches(e, targets)), person.id

    def test_feeds_agree_with_expand_filters(self) -> None:
        """For a sample of teams and people, the feed is what expand.events() filters."""
        programme, _ = reference()
        assert programme.roster is not None
        roster = programme.roster
        leaders = [p for p in roster.people if p.role is not Role.MEMBER][:2]
        for person in [*roster.people[:2], *leaders]:
            name = personal_name(programme.id, person.id, KEY)
            chosen = expand.events(programme, person=person.id)
            assert READERS["icalendar"](reference_files()[name]) == expected(chosen)
        for team in (roster.teams[0], roster.teams[-1]):
            chosen = expand.events(programme, team=team.id)
            data = reference_files()[f"team-{team.id}.ics"]
            assert READERS["icalendar"](data) == expected(chosen)

    def test_index_lists_every_shared_feed_with_its_count(self) -> None:
        """feeds.json names each shared feed file once, with its audience, title and event
        count, and no personal feed: anyone could read their private links from it."""
        index = json.loads(reference_files()[INDEX_NAME])
        listed = {entry["file"]: entry for entry in index["feeds"]}
        assert len(listed) == len(index["feeds"])
        assert sorted(listed) == shared_feed_names()
        assert any(name.startswith("person-") for name in reference_files())
        assert listed["programme.ics"]["events"] == len(wanted_shared()["programme.ics"])
        assert {entry["audience"] for entry in index["feeds"]} == {
            "programme",
            "cohort",
            "team",
            "coaching-group",
            "affinity-group",
            "senior-leaders",
            "staff",
        }

    def test_index_page_links_shared_feeds_only(self) -> None:
        """index.html shows the grids and links every shared feed, never a personal one."""
        page = reference_files()["index.html"].decode()
        assert '<table class="pe-grid"' in page
        for name in shared_feed_names():
            assert f'data-feed="{name}"' in page
        assert "person-" not in page
        assert "Google Calendar" in page

    def test_the_grid_picture_is_written_and_linked(self) -> None:
        """grid.svg, the printable grid, is written beside the page, which links it."""
        programme, _ = reference()
        written = reference_files()
        assert written["grid.svg"] == render_svg(Grid.of(programme)).encode()
        assert '<span data-file="grid.svg"><code>grid.svg</code></span>' in (
            written["index.html"].decode()
        )
        feeds = plan(programme, reference()[1], programme.roster).feeds
        page = render_index(programme, feeds, {}, base_url="https://example.org/pe")
        assert '<a href="https://example.org/pe/grid.svg">grid.svg</a>' in page

    def test_one_vtimezone_per_zone_across_the_folder(self) -> None:
        """Every feed carries the same VTIMEZONE bytes for a zone (vobject caches the first)."""
        blocks: dict[str, set[bytes]] = {}
        for name in shared_feed_names():
            data = reference_files()[name]
            for block in data.split(b"BEGIN:VTIMEZONE\r\n")[1:]:
                body = block.split(b"END:VTIMEZONE\r\n")[0]
                tzid = body.split(b"\r\n")[0]
                blocks.setdefault(tzid.decode(), set()).add(body)
        assert blocks
        assert all(len(bodies) == 1 for bodies in blocks.values())


class TestPrivacy:
    """Personal feeds say nothing about whose they are."""

    def test_personal_feeds_need_a_key(self) -> None:
        """Without a key, personal feeds are skipped and a notice says how to add one."""
        programme, events = reference()
        feed_plan = plan(programme, events, programme.roster)
        assert not [feed for feed in feed_plan.feeds if feed.kind == AudienceKind.PERSON]
        (notice,) = feed_plan.notices
        assert KEY_VARIABLE in notice
        assert KEY_FILE in notice

    def test_no_name_id_or_affinity_group_in_a_personal_feed(self) -> None:
        """A personal feed's name and contents hold no person's name or id."""
        programme, _ = reference()
        assert programme.roster is not None
        people = programme.roster.people
        for person in people[:20]:
            name = personal_name(programme.id, person.id, KEY)
            data = reference_files()[name].decode()
            for other in people:
                assert other.name not in data
                assert f"{other.id}" not in name
            assert "ATTENDEE" not in data
            organizers = {line for line in data.split("\r\n") if line.startswith("ORGANIZER")}
            assert organizers == {
                'ORGANIZER;CN="Institute for Healthcare Improvement":https://www.ihi.org/En'
            }

    def test_no_personal_data_in_the_index_or_page(self) -> None:
        """feeds.json and index.html name no person."""
        programme, _ = reference()
        assert programme.roster is not None
        for name in (INDEX_NAME, "index.html"):
            text = reference_files()[name].decode()
            for person in programme.roster.people:
                assert person.name not in text
                assert f'"{person.id}"' not in text

    def test_names_depend_on_the_key(self) -> None:
        """The same person gets a different name under another key, the same under the same."""
        first = personal_name("pe", "ada", KEY)
        assert first == personal_name("pe", "ada", KEY)
        assert first != personal_name("pe", "ada", KEY + b"!")
        assert first != personal_name("pe", "bo", KEY)
        assert "ada" not in first

    def test_key_from_environment_then_file(self, tmp_path: Path) -> None:
        """The variable wins; else the first key file found; else no key."""
        (tmp_path / KEY_FILE).write_text("from a file, long enough\n", encoding="utf-8")
        assert feed_key({KEY_VARIABLE: "from the environment!"}, tmp_path) == (
            b"from the environment!"
        )
        assert feed_key({}, tmp_path) == b"from a file, long enough"
        assert feed_key({}, tmp_path / "nowhere") is None

    def test_short_keys_are_refused(self) -> None:
        """A key shorter than 16 characters would let names be guessed, so it is an error."""
        with pytest.raises(PeScheduleError, match="at least 16"):
            feed_key({KEY_VARIABLE: "short"})


def _programme() -> Programme:
    return Programme(
        id="p",
        name="P",
        first_month=YearMonth(2023, 1),
        last_month=YearMonth(2023, 6),
        timezone=Zone("America/New_York"),
        cohorts=(),
    )


def _event(uid: str, target: Target, cohort: str | None = None) -> Event:
    return Event(
        uid=uid,
        programme="p",
        cohort=cohort,
        activity="a",
        target=target,
        month=None,
        summary=uid,
        span=AllDay(start=dt.date(2023, 1, 1), end=dt.date(2023, 1, 2)),
        revised=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
    )


class TestAudiences:
    """An event is in a feed exactly when its target is one the audience belongs to."""

    def test_team_and_person_feeds_follow_the_roster(self) -> None:
        """A team gets its cohort's, group's and own events; a person adds their affinity group."""
        roster = Roster(
            programme="p",
            teams=(
                Team(id="t1", name="T1", cohort="c", coaching_group="g", timezone=Zone("UTC")),
                Team(id="t2", name="T2", cohort="c", timezone=Zone("UTC")),
            ),
            people=(
                Person(id="ann", name="Ann", team="t1", affinity_group="a1"),
                Person(id="bo", name="Bo", team="t2", role=Role.SENIOR_LEADER),
            ),
            groups=(
                Group(id="g", name="G", kind=AudienceKind.COACHING_GROUP),
                Group(id="a1", name="A1", kind=AudienceKind.AFFINITY_GROUP),
            ),
        )
        kinds = {
            "all": Target(kind=AudienceKind.COHORT, key="c"),
            "g": Target(kind=AudienceKind.COACHING_GROUP, key="g"),
            "a1": Target(kind=AudienceKind.AFFINITY_GROUP, key="a1"),
            "t1": Target(kind=AudienceKind.TEAM, key="t1"),
            "t2": Target(kind=AudienceKind.TEAM, key="t2"),
            "lead": Target(kind=AudienceKind.SENIOR_LEADERS, key="c"),
            "prog": Target(kind=AudienceKind.PROGRAMME, key="p"),
        }
        events = [_event(uid, target, "c") for uid, target in kinds.items()]
        programme = _programme()
        feed_plan = plan(programme, events, roster, key=KEY)
        rendered = {r.name: r for r in render(programme, feed_plan.feeds, events)}

        def uids(name: str) -> set[str]:
            data = rendered[name].data.decode()
            return {line[4:] for line in data.split("\r\n") if line.startswith("UID:")}

        assert uids("team-t1.ics") == {"all", "g", "t1", "prog"}
        assert uids("team-t2.ics") == {"all", "t2", "prog"}
        assert uids(personal_name("p", "ann", KEY)) == {"all", "g", "t1", "prog", "a1"}
        assert uids(personal_name("p", "bo", KEY)) == {"all", "t2", "prog", "lead"}
        assert uids("coaching-group-g.ics") == {"g"}
        assert uids("affinity-group-a1.ics") == {"a1"}
        assert uids("senior-leaders-c.ics") == {"lead"}
        assert uids("programme.ics") == set(kinds)

    def test_two_audiences_on_one_file_are_refused(self) -> None:
        """Ids that slug to the same file name are an error, not a silent overwrite."""
        roster = Roster(
            teams=(
                Team(id="t.1", name="A", cohort="c", timezone=Zone("UTC")),
                Team(id="t-1", name="B", cohort="c", timezone=Zone("UTC")),
            ),
            people=(),
            groups=(),
        )
        with pytest.raises(OutputError, match=r"team-t-1\.ics"):
            plan(_programme(), [], roster)


class TestSlugs:
    """File names are safe slugs."""

    @pytest.mark.parametrize(
        ("text", "want"),
        [("ln-01", "ln-01"), ("LN 01", "ln-01"), ("../x", "x"), ("a/b\\c", "a-b-c")],
    )
    def test_slug(self, text: str, want: str) -> None:
        """Anything but lower-case letters and digits becomes one hyphen."""
        assert slug(text) == want

    def test_empty_slug_is_an_error(self) -> None:
        """An id with nothing usable in it cannot name a file."""
        with pytest.raises(OutputError):
            slug("../")


class TestReferenceShape:
    """The reference folder has the feeds the issue asks for."""

    def test_every_expected_reader_sees_the_same_events(self) -> None:
        """The four readers agree with each other on the whole-programme feed."""
        data = reference_files()["programme.ics"]
        results = {name: read(data) for name, read in READERS.items()}
        assert all(result == results["icalendar"] for result in results.values())
