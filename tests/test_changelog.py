"""Announcements: each kind of change in one sentence, grouped by audience."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from pe_schedule import AllDay, AudienceKind, Change, Event, Fate, Target, Timed, Zone, load
from pe_schedule._internal.render.changelog import audience_names, render, sentence, when

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"
NEW_YORK = Zone("America/New_York")
EASTERN = NEW_YORK.tzinfo
COHORT = Target(kind=AudienceKind.COHORT, key="learning-network")


def call(
    *, day: int = 15, hour: int = 13, minutes: int = 120, summary: str = "All-Team Call"
) -> Event:
    """A call on ``day`` March 2023 in New York."""
    start = dt.datetime(2023, 3, day, hour, tzinfo=EASTERN)
    return Event(
        uid="call",
        programme="p",
        cohort="learning-network",
        activity="all-team",
        target=COHORT,
        month=None,
        summary=summary,
        span=Timed(start=start, end=start + dt.timedelta(minutes=minutes), zone=NEW_YORK),
        location="Zoom",
        revised=dt.datetime(2022, 9, 1, tzinfo=dt.UTC),
    )


def all_day(first: dt.date, days: int) -> Event:
    """An all-day event of ``days`` days from ``first``."""
    return attrs.evolve(
        call(), span=AllDay(start=first, end=first + dt.timedelta(days=days)), summary="Session"
    )


class TestWhen:
    """Dates and times as an announcement writes them."""

    @pytest.mark.parametrize(
        ("event", "expected"),
        [
            pytest.param(call(), "Wed 15 Mar 2023, 1–3 PM ET", id="same-half-day"),
            pytest.param(call(hour=11), "Wed 15 Mar 2023, 11 AM–1 PM ET", id="across-noon"),
            pytest.param(call(minutes=90), "Wed 15 Mar 2023, 1–2:30 PM ET", id="minutes"),
            pytest.param(all_day(dt.date(2023, 3, 14), 1), "Tue 14 Mar 2023", id="one-day"),
            pytest.param(all_day(dt.date(2023, 3, 14), 3), "14–16 Mar 2023", id="three-days"),
            pytest.param(
                all_day(dt.date(2023, 3, 30), 3), "30 Mar 2023 – 1 Apr 2023", id="across-months"
            ),
        ],
    )
    def test_formats(self, event: Event, expected: str) -> None:
        """Clock ranges share AM/PM where they can; spans name their first and last day."""
        assert when(event) == expected

    def test_a_zone_without_a_short_name_uses_its_abbreviation(self) -> None:
        """Outside the US names, the zone's own abbreviation is shown."""
        london = Zone("Europe/London")
        start = dt.datetime(2023, 7, 3, 9, tzinfo=london.tzinfo)
        event = attrs.evolve(
            call(), span=Timed(start=start, end=start + dt.timedelta(hours=1), zone=london)
        )
        assert when(event) == "Mon 3 Jul 2023, 9–10 AM BST"


class TestSentence:
    """One sentence per change, saying what a participant must know."""

    def test_a_move(self) -> None:
        """A moved event names its old date and its new date and time."""
        change = Change(fate=Fate.CHANGED, before=call(), after=call(day=22))
        assert sentence(change) == (
            "All-Team Call of 15 Mar 2023 moved to Wed 22 Mar 2023, 1–3 PM ET."
        )

    def test_a_rename_and_a_new_place(self) -> None:
        """A new title and a new location are both said."""
        after = attrs.evolve(call(summary="All-Team Meeting"), location="Boston, MA")
        change = Change(fate=Fate.CHANGED, before=call(), after=after)
        assert sentence(change) == (
            "All-Team Call of 15 Mar 2023 renamed 'All-Team Meeting', now at Boston, MA."
        )

    def test_other_details(self) -> None:
        """A change of description only still gets a sentence."""
        after = attrs.evolve(call(), description="Bring your data.")
        assert sentence(Change(fate=Fate.CHANGED, before=call(), after=after)) == (
            "All-Team Call of 15 Mar 2023 has new details."
        )

    @pytest.mark.parametrize(
        ("fate", "expected"),
        [
            (Fate.ADDED, "New: All-Team Call, Wed 15 Mar 2023, 1–3 PM ET."),
            (Fate.CANCELLED, "Cancelled: All-Team Call, Wed 15 Mar 2023, 1–3 PM ET."),
            (Fate.RESTORED, "Back on: All-Team Call, Wed 15 Mar 2023, 1–3 PM ET."),
            (Fate.DROPPED, "No longer listed: the cancelled All-Team Call of 15 Mar 2023."),
        ],
    )
    def test_the_other_fates(self, fate: Fate, expected: str) -> None:
        """Added, cancelled, restored and dropped events each read as such."""
        before = None if fate is Fate.ADDED else call()
        after = call() if fate in (Fate.ADDED, Fate.RESTORED) else None
        assert sentence(Change(fate=fate, before=before, after=after)) == expected


class TestRender:
    """The whole announcement."""

    def test_groups_by_audience_under_its_name(self) -> None:
        """Changes sit under their audience's name, in date order within it."""
        programme = load(REFERENCE)
        white = Target(kind=AudienceKind.AFFINITY_GROUP, key="white")
        changes = [
            Change(fate=Fate.ADDED, before=None, after=call(day=22)),
            Change(fate=Fate.ADDED, before=None, after=attrs.evolve(call(), target=white)),
            Change(fate=Fate.ADDED, before=None, after=call(day=8)),
        ]
        assert render(changes, audience_name=audience_names(programme), markdown=True) == (
            "## Learning Network\n"
            "- New: All-Team Call, Wed 8 Mar 2023, 1–3 PM ET.\n"
            "- New: All-Team Call, Wed 22 Mar 2023, 1–3 PM ET.\n"
            "\n"
            "## White participants\n"
            "- New: All-Team Call, Wed 15 Mar 2023, 1–3 PM ET.\n"
        )

    def test_nothing_to_say(self) -> None:
        """No changes is said plainly."""
        assert render([]) == "No changes.\n"

    def test_an_audience_that_left_the_declaration_keeps_its_id(self) -> None:
        """A cancelled session of a team no longer on the roster is still announced."""
        programme = load(REFERENCE)
        gone = Target(kind=AudienceKind.TEAM, key="ac-99")
        assert audience_names(programme)(gone) == "team:ac-99"
