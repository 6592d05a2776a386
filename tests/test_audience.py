"""One vocabulary of audience kinds: order, feed names, targets and fan-out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pe_schedule import (
    AllDay,
    AudienceKind,
    Event,
    Programme,
    Target,
    YearMonth,
    Zone,
    load,
)
from pe_schedule._internal.publish.feeds import plan
from pe_schedule._internal.schedule.fan_out import recipients
from tests.strategies import timed_programmes

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"


@pytest.fixture(scope="module")
def reference() -> Programme:
    """The reference programme, with its roster."""
    return load(REFERENCE)


class TestKinds:
    """Each kind carries its own value, order, title and feed file name."""

    def test_broadest_audience_first(self) -> None:
        """Listings run from the whole programme down to one person, as feeds are listed;
        staff, who lead sessions rather than attend them, come after everyone who attends."""
        assert sorted(AudienceKind, key=lambda kind: kind.rank) == [
            AudienceKind.PROGRAMME,
            AudienceKind.COHORTS,
            AudienceKind.COHORT,
            AudienceKind.SENIOR_LEADERS,
            AudienceKind.COACHING_GROUP,
            AudienceKind.AFFINITY_GROUP,
            AudienceKind.TEAM,
            AudienceKind.PERSON,
            AudienceKind.STAFF,
        ]

    def test_values_are_the_declared_names(self) -> None:
        """A declaration, a ledger and feeds.json name kinds by these values."""
        assert [kind.value for kind in AudienceKind] == [
            "programme",
            "cohorts",
            "cohort",
            "senior-leaders",
            "coaching-group",
            "affinity-group",
            "team",
            "person",
            "staff",
        ]

    def test_feed_files_are_named_after_the_kind(self) -> None:
        """One programme feed; every other feed is the kind's value, then the audience's id."""
        assert AudienceKind.PROGRAMME.feed_file("pe") == "programme.ics"
        assert AudienceKind.COACHING_GROUP.feed_file("ln-1") == "coaching-group-ln-1.ics"
        assert AudienceKind.TEAM.feed_file("ac-01") == "team-ac-01.ics"

    def test_only_group_audiences_are_declarable(self) -> None:
        """An activity is for a cohort, its leaders, its groups or its teams, never one person;
        staff see a session because they lead it, not because it is addressed to them;
        several cohorts together are the audience of a shared activity, declared by its
        ``cohorts``, never by ``audience``."""
        undeclarable = {kind for kind in AudienceKind if not kind.declarable}
        assert undeclarable == {
            AudienceKind.PROGRAMME,
            AudienceKind.COHORTS,
            AudienceKind.PERSON,
            AudienceKind.STAFF,
        }

    def test_titles_and_nouns_read_as_english(self) -> None:
        """Every kind has a heading over many and a noun for one, with its article."""
        for kind in AudienceKind:
            assert kind.title[0].isupper()
            assert kind.noun.islower()
        assert AudienceKind.AFFINITY_GROUP.article == "an"
        assert AudienceKind.TEAM.article == "a"


class TestTarget:
    """A target is written ``kind:key`` and read back the same."""

    @given(
        kind=st.sampled_from(AudienceKind), key=st.from_regex(r"[a-z0-9:-]{0,20}", fullmatch=True)
    )
    def test_round_trips_through_text(self, kind: AudienceKind, key: str) -> None:
        """``Target.parse(str(target))`` is the target, whatever its key holds."""
        target = Target(kind=kind, key=key)
        assert Target.parse(str(target)) == target

    def test_an_unknown_kind_is_refused(self) -> None:
        """Text naming no kind of audience is a ValueError."""
        with pytest.raises(ValueError, match="coach"):
            Target.parse("coach:x")


class TestFanOut:
    """Each declarable kind fans an occurrence out to the audiences of that kind."""

    def test_every_declarable_kind_fans_out(self, reference: Programme) -> None:
        """A kind an activity may name has a fan-out function; the others have none."""
        for kind in AudienceKind:
            if kind.declarable:
                assert recipients(reference, "action-community", kind) is not None
            else:
                with pytest.raises(ValueError, match=kind.value):
                    recipients(reference, "action-community", kind)

    def test_parallel_kinds_and_only_they_fan_out_into_keyed_sessions(
        self, reference: Programme
    ) -> None:
        """A solved schedule decides a parallel kind per session and the others as a
        whole: the kind's ``parallel`` must agree with what its fan-out gives."""
        for kind in AudienceKind:
            if not kind.declarable:
                continue
            found = recipients(reference, None, kind) or ()
            assert found, kind
            assert {who.session is not None for who in found} == {kind.parallel}, kind

    @settings(max_examples=40, deadline=None)
    @given(programme=timed_programmes(), kind=st.sampled_from(AudienceKind))
    def test_recipients_are_of_the_kind_asked(
        self, programme: Programme, kind: AudienceKind
    ) -> None:
        """Every recipient's target is of the kind asked (a cohort-less cohort event: the
        programme), and no two recipients share a uid part or a session key."""
        if not kind.declarable:
            return
        for cohort in [None, *(c.id for c in programme.cohorts)]:
            found = recipients(programme, cohort, kind) or ()
            expected = (
                AudienceKind.PROGRAMME if (kind, cohort) == (AudienceKind.COHORT, None) else kind
            )
            assert {who.target.kind for who in found} <= {expected}
            assert len({who.key for who in found}) == len(found)
            sessions = [who.session for who in found if who.session is not None]
            assert len(set(sessions)) == len(sessions)

    @settings(max_examples=40, deadline=None)
    @given(programme=timed_programmes())
    def test_team_recipients_are_the_cohorts_teams(self, programme: Programme) -> None:
        """Per-team sessions go to exactly the roster's teams of the cohort, in their own zones."""
        roster = programme.roster
        assert roster is not None
        for cohort in programme.cohorts:
            found = recipients(programme, cohort.id, AudienceKind.TEAM) or ()
            teams = roster.teams_of(cohort.id)
            assert [who.session for who in found] == [team.id for team in teams]
            assert [who.team_zone for who in found] == [team.timezone for team in teams]


class TestFeedsPerKind:
    """Every kind of audience events are addressed to gets feeds, listed in the kind's order."""

    def test_an_audience_without_a_feed_maker_gets_its_own_feed(self) -> None:
        """Events addressed to an audience no feed is planned for (a team, with no roster)
        get a feed of that kind, named after the kind and the audience."""
        programme = Programme(
            id="p",
            name="P",
            first_month=YearMonth(2023, 1),
            last_month=YearMonth(2023, 2),
            timezone=Zone("America/New_York"),
            cohorts=(),
        )
        target = Target(kind=AudienceKind.TEAM, key="t-1")
        event = Event(
            uid="u@pe-schedule",
            programme="p",
            cohort=None,
            activity="a",
            target=target,
            month=None,
            summary="Session",
            span=AllDay(start=dt.date(2023, 1, 2), end=dt.date(2023, 1, 3)),
            revised=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
        )
        feeds = plan(programme, [event]).feeds
        assert [(feed.file, feed.kind) for feed in feeds] == [
            ("programme.ics", AudienceKind.PROGRAMME),
            ("team-t-1.ics", AudienceKind.TEAM),
        ]
        assert feeds[1].selects(event)
        assert feeds[1].title == "P: Teams, t-1"
