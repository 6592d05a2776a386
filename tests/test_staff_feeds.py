"""Staff feeds: a session's leaders are on its events, and each staff member has a feed of
exactly the sessions they lead, listed on the index page by name."""

from __future__ import annotations

import datetime as dt

import attrs

from pe_schedule import (
    Activity,
    AudienceKind,
    Cohort,
    Event,
    Group,
    Ledger,
    NthWeekday,
    Programme,
    Roster,
    Session,
    Status,
    Team,
    Timing,
    YearMonth,
    Zone,
    events,
    reconcile,
)
from pe_schedule._internal.model.roster import Staff, StaffRole
from pe_schedule._internal.model.timing import parse_duration, parse_time
from pe_schedule._internal.publish import ledger
from pe_schedule._internal.publish.feeds import plan, render
from pe_schedule._internal.render import changelog
from pe_schedule._internal.render.index_page import render_index

NEW_YORK = Zone("America/New_York")
STAFF = (
    Staff(id="a-zoe", name="Zoe Adams", timezone=NEW_YORK),
    Staff(id="b-amara", name="Amara Lewis", timezone=NEW_YORK),
    Staff(id="c-bo", name="Bo Reyes", role=StaffRole.FACULTY, timezone=NEW_YORK),
)


def coaching(*sessions: Session) -> Activity:
    """Group coaching on the second Tuesday of March and May 2023, 13:00 New York time."""
    return Activity(
        id="coaching",
        name="Coaching",
        months=(YearMonth(2023, 3), YearMonth(2023, 5)),
        audience=AudienceKind.COACHING_GROUP,
        description="Bring a question.",
        timing=Timing(
            day=NthWeekday.parse("second Tuesday"),
            start=parse_time("13:00"),
            duration=parse_duration("1h"),
            sessions=sessions,
        ),
    )


def all_team() -> Activity:
    """A cohort-wide call nobody in particular leads."""
    return Activity(
        id="all-team",
        name="All-Team",
        months=(YearMonth(2023, 4),),
        timing=Timing(
            day=NthWeekday.parse("third Wednesday"),
            start=parse_time("13:00"),
            duration=parse_duration("1h"),
        ),
    )


def programme(*sessions: Session) -> Programme:
    """Two coaching groups of one team each, three staff, the sessions given."""
    roster = Roster(
        programme="p",
        teams=tuple(
            Team(id=f"t{n}", name=f"T{n}", cohort="c", coaching_group=f"g{n}", timezone=NEW_YORK)
            for n in (1, 2)
        ),
        people=(),
        groups=tuple(
            Group(id=f"g{n}", name=f"Group {n}", kind=AudienceKind.COACHING_GROUP) for n in (1, 2)
        ),
        staff=STAFF,
    )
    cohort = Cohort(id="c", name="C", activities=(coaching(*sessions), all_team()))
    return Programme(
        id="p",
        name="P",
        first_month=YearMonth(2023, 1),
        last_month=YearMonth(2023, 12),
        timezone=NEW_YORK,
        cohorts=(cohort,),
        roster=roster,
    )


#: Amara leads group 1, Zoe and Bo lead group 2 together.
LED = programme(
    Session(key="g1", leaders=("b-amara",)), Session(key="g2", leaders=("a-zoe", "c-bo"))
)


def feeds_of(found: Programme, chosen: tuple[Event, ...]) -> dict[str, set[str]]:
    """Each feed file's uids, as a build would write them."""
    assert found.roster is not None
    feeds = plan(found, chosen, found.roster).feeds
    rendered = render(found, feeds, chosen)
    return {
        r.name: {line[4:] for line in r.data.decode().split("\r\n") if line.startswith("UID:")}
        for r in rendered
        if r.name.endswith(".ics")
    }


def uids(chosen: tuple[Event, ...], key: str) -> set[str]:
    """The uids of the events of coaching group ``key``."""
    return {e.uid for e in chosen if e.target.key == key}


class TestLeadersOnEvents:
    def test_a_session_s_leaders_are_on_every_event_of_it(self) -> None:
        """Each month's event of a led session names its leaders; the others name nobody."""
        led = {e.target.key: e.leaders for e in events(LED)}
        assert led == {"g1": ("b-amara",), "g2": ("a-zoe", "c-bo"), "c": ()}

    def test_the_description_names_them_by_role(self) -> None:
        """A line after the description says who leads, with the staff role's word."""
        descriptions = {e.target.key: e.description for e in events(LED)}
        assert descriptions["g1"] == "Bring a question.\n\nCoach: Amara Lewis"
        assert descriptions["g2"] == "Bring a question.\n\nCoach: Zoe Adams\nFaculty: Bo Reyes"

    def test_without_leaders_nothing_changes(self) -> None:
        """A programme nobody leads expands to the events it always did."""
        plain = events(programme())
        assert all(e.leaders == () for e in plain)
        assert {e.description for e in plain} == {"Bring a question.", ""}
        assert [attrs.evolve(e, leaders=(), description="") for e in events(LED)] == [
            attrs.evolve(e, description="") for e in plain
        ]


class TestStaffFeeds:
    def test_a_feed_holds_exactly_its_sessions(self) -> None:
        """Amara's feed is group 1's sessions; Zoe's and Bo's are group 2's."""
        chosen = events(LED)
        found = feeds_of(LED, chosen)
        assert found["staff-b-amara.ics"] == uids(chosen, "g1")
        assert found["staff-a-zoe.ics"] == found["staff-c-bo.ics"] == uids(chosen, "g2")
        assert len(uids(chosen, "g1")) == 2

    def test_someone_who_leads_nothing_has_an_empty_feed(self) -> None:
        """Every staff member has a feed, to subscribe to before being assigned."""
        only_amara = programme(Session(key="g1", leaders=("b-amara",)))
        found = feeds_of(only_amara, events(only_amara))
        assert found["staff-a-zoe.ics"] == found["staff-c-bo.ics"] == set()

    def test_the_feed_is_titled_with_the_programme_and_the_name(self) -> None:
        assert LED.roster is not None
        (feed,) = [f for f in plan(LED, (), LED.roster).feeds if f.audience == "b-amara"]
        assert (feed.file, feed.kind, feed.title) == (
            AudienceKind.STAFF.feed_file("b-amara"),
            AudienceKind.STAFF,
            "P: Amara Lewis",
        )

    def test_a_cancelled_session_stays_in_its_leader_s_feed(self) -> None:
        """A session dropped from the schedule is published cancelled to whoever led it."""
        revised = dt.datetime(2023, 2, 1, tzinfo=dt.UTC)
        first = reconcile(Ledger(), events(LED), at=revised, retention=dt.timedelta(days=90))
        # The ledger is written and read back between builds.
        stored = ledger.loads(ledger.dumps(first.ledger), file="ledger.jsonl")
        # Group 1 leaves the programme: its sessions are no longer declared.
        later = reconcile(
            stored,
            tuple(e for e in events(LED) if e.target.key != "g1"),
            at=revised + dt.timedelta(days=1),
            retention=dt.timedelta(days=90),
        )
        mine = [e for e in later.events if "b-amara" in e.leaders]
        assert {e.uid for e in mine} == uids(events(LED), "g1")
        assert {e.status for e in mine} == {Status.CANCELLED}
        assert feeds_of(LED, later.events)["staff-b-amara.ics"] == {e.uid for e in mine}


class TestLedger:
    def test_leaders_round_trip(self) -> None:
        """The ledger keeps each event's leaders, so a later cancellation can reach them."""
        at = dt.datetime(2023, 2, 1, tzinfo=dt.UTC)
        written = reconcile(Ledger(), events(LED), at=at, retention=dt.timedelta(days=90))
        back = ledger.loads(ledger.dumps(written.ledger), file="ledger.jsonl")
        assert back == written.ledger
        assert {e.event.leaders for e in back.entries} == {("b-amara",), ("a-zoe", "c-bo"), ()}

    def test_an_event_nobody_leads_is_recorded_as_before(self) -> None:
        """No ``leaders`` field for an event without leaders: digests and SEQUENCEs hold."""
        at = dt.datetime(2023, 2, 1, tzinfo=dt.UTC)
        plain = reconcile(Ledger(), events(programme()), at=at, retention=dt.timedelta(days=90))
        assert '"leaders"' not in ledger.dumps(plain.ledger)

    def test_a_new_leader_is_a_change(self) -> None:
        """Giving a session another coach raises its SEQUENCE and is announced."""
        at = dt.datetime(2023, 2, 1, tzinfo=dt.UTC)
        keep = dt.timedelta(days=90)
        first = reconcile(Ledger(), events(LED), at=at, retention=keep)
        swapped = programme(
            Session(key="g1", leaders=("a-zoe",)), Session(key="g2", leaders=("a-zoe", "c-bo"))
        )
        second = reconcile(first.ledger, events(swapped), at=at, retention=keep)
        assert {c.event.target.key for c in second.changes} == {"g1"}
        assert {changelog.sentence(c) for c in second.changes} == {
            "Coaching: Group 1 of 14 Mar 2023 has a new leader.",
            "Coaching: Group 1 of 9 May 2023 has a new leader.",
        }


class TestIndexPage:
    def page(self) -> str:
        chosen = events(LED)
        assert LED.roster is not None
        feeds = plan(LED, chosen, LED.roster).feeds
        return render_index(LED, feeds, {feed.file: () for feed in feeds})

    def test_staff_feeds_have_their_own_section(self) -> None:
        page = self.page()
        assert '<h3 id="pe-feeds-staff">Staff</h3>' in page
        assert page.index('<h3 id="pe-feeds-team">Teams</h3>') < page.index(
            '<h3 id="pe-feeds-staff">Staff</h3>'
        )

    def test_ordered_by_name(self) -> None:
        """Amara, Bo, Zoe: by name, whatever their ids."""
        section = self.page().split('<h3 id="pe-feeds-staff">Staff</h3>')[1].split("</table>")[0]
        order = [section.index(name) for name in ("Amara Lewis", "Bo Reyes", "Zoe Adams")]
        assert order == sorted(order)

    def test_no_section_without_staff(self) -> None:
        """A roster without staff lists no staff section and says nothing about it."""
        assert LED.roster is not None
        found = attrs.evolve(LED, roster=attrs.evolve(LED.roster, staff=()))
        assert found.roster is not None
        feeds = plan(found, events(found), found.roster).feeds
        assert not [f for f in feeds if f.kind is AudienceKind.STAFF]
        page = render_index(found, feeds, {})
        assert '<h3 id="pe-feeds-staff">Staff</h3>' not in page
        assert "Coaches and faculty" not in page
