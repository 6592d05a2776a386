"""Expanding a programme into dated events: dates, clocks, audiences and identity."""

from __future__ import annotations

import calendar
import collections
import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pe_schedule import (
    Activity,
    AllDay,
    AudienceKind,
    Cohort,
    Event,
    NthWeekday,
    Override,
    PeScheduleError,
    Programme,
    Role,
    SanityKind,
    Status,
    Target,
    Timed,
    Timing,
    UnknownNameError,
    YearMonth,
    Zone,
    cli,
    events,
    load,
    sanity_problems,
)
from pe_schedule._internal.model.timing import parse_duration, parse_time
from pe_schedule._internal.schedule.clock import WallClock, wall_clock
from pe_schedule._internal.schedule.expand import plan
from tests.strategies import small_roster, timed_programmes

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"
EXAMPLES = settings(max_examples=40, deadline=None)


@pytest.fixture(scope="module")
def reference() -> Programme:
    """The reference programme, with its sample roster."""
    return load(REFERENCE)


def programme(*activities: Activity, roster: bool = False) -> Programme:
    """A one-cohort programme over 2023 holding ``activities``."""
    return Programme(
        id="p",
        name="P",
        first_month=YearMonth(2023, 1),
        last_month=YearMonth(2023, 12),
        timezone=Zone("America/New_York"),
        cohorts=(Cohort(id="c1", name="C1", activities=activities),),
        roster=small_roster(("c1",)) if roster else None,
        revised=dt.datetime(2022, 9, 1, tzinfo=dt.UTC),
    )


def activity(
    day: str = "third Wednesday",
    start: str | None = "13:00",
    duration: str | None = "2h",
    *,
    months: tuple[YearMonth, ...] = (YearMonth(2023, 3),),
    audience: AudienceKind = AudienceKind.COHORT,
    **timing: object,
) -> Activity:
    """An activity with a timing made of these parts."""
    return Activity(
        id="call",
        name="Call",
        months=months,
        audience=audience,
        timing=Timing(
            day=NthWeekday.parse(day),
            start=parse_time(start) if start else None,
            duration=parse_duration(duration) if duration else None,
            **timing,  # type: ignore[arg-type]
        ),
    )


def nth_weekday_reference(year: int, month: int, n: int, weekday: int) -> dt.date | None:
    """The nth weekday of a month, counted from a plain calendar (independent of rrule)."""
    days = [
        dt.date(year, month, day)
        for day in range(1, calendar.monthrange(year, month)[1] + 1)
        if dt.date(year, month, day).weekday() == weekday
    ]
    if n == -1:
        return days[-1]
    return days[n - 1] if n <= len(days) else None


def local_day(event: Event) -> dt.date:
    """The first day of an event on its own wall clock."""
    start = event.span.start
    return start.date() if isinstance(start, dt.datetime) else start


class TestDates:
    def test_third_wednesday_at_one_for_two_hours(self) -> None:
        """The all-team call lands on the third Wednesday, 13:00-15:00 Eastern."""
        (event,) = events(programme(activity()))
        zone = Zone("America/New_York")
        assert event.span == Timed(
            start=dt.datetime(2023, 3, 15, 13, tzinfo=zone.tzinfo),
            end=dt.datetime(2023, 3, 15, 15, tzinfo=zone.tzinfo),
            zone=zone,
        )
        assert (event.month, event.target) == (
            YearMonth(2023, 3),
            Target(kind=AudienceKind.COHORT, key="c1"),
        )

    def test_all_day_span_ends_the_day_after(self) -> None:
        """A three-day all-day session is one event whose end is exclusive."""
        (event,) = events(programme(activity("second Tuesday", None, None, days=3)))
        assert event.span == AllDay(start=dt.date(2023, 3, 14), end=dt.date(2023, 3, 17))

    def test_timed_span_is_one_event_per_day(self) -> None:
        """A timed three-day session is three events, numbered by day in summary and uid."""
        found = events(programme(activity("second Tuesday", "12:00", "4h", days=3)))
        assert [local_day(e).day for e in found] == [14, 15, 16]
        assert [e.uid.split("@")[0].rsplit("/", 1)[1] for e in found] == ["day-1", "day-2", "day-3"]
        assert found[1].summary == "Call (day 2 of 3)"

    @given(
        year=st.integers(2020, 2030),
        month=st.integers(1, 12),
        n=st.sampled_from((1, 2, 3, 4, 5, -1)),
        weekday=st.integers(0, 6),
    )
    def test_nth_weekday_agrees_with_a_plain_calendar(
        self, year: int, month: int, n: int, weekday: int
    ) -> None:
        """rrule's nth weekday is the one a plain calendar count gives, None if absent."""
        rule = NthWeekday(n=n, weekday=weekday)
        assert rule.resolve(YearMonth(year, month)) == nth_weekday_reference(
            year, month, n, weekday
        )

    def test_override_moves_retimes_and_cancels(self) -> None:
        """Overrides move one month to a date, retime another and cancel a third."""
        months = (YearMonth(2023, 3), YearMonth(2023, 4), YearMonth(2023, 5))
        found = events(
            programme(
                activity(
                    months=months,
                    overrides=(
                        Override(month=months[0], date=dt.date(2023, 3, 22)),
                        Override(month=months[1], start=parse_time("09:30")),
                        Override(month=months[2], cancelled=True),
                    ),
                )
            )
        )
        assert [e.span.start.isoformat() for e in found] == [
            "2023-03-22T13:00:00-04:00",
            "2023-04-19T09:30:00-04:00",
            "2023-05-17T13:00:00-04:00",
        ]
        assert [e.status for e in found] == [Status.CONFIRMED] * 2 + [Status.CANCELLED]

    def test_revised_is_the_declared_moment(self) -> None:
        """Every event's revised time is the programme's, not the clock's."""
        (event,) = events(programme(activity()))
        assert event.revised == dt.datetime(2022, 9, 1, tzinfo=dt.UTC)


class TestWallClock:
    @pytest.mark.parametrize(
        ("zone", "months"),
        [
            ("America/New_York", (YearMonth(2023, 3), YearMonth(2023, 11))),
            ("Europe/London", (YearMonth(2023, 3), YearMonth(2023, 10))),
            ("Australia/Sydney", (YearMonth(2023, 4), YearMonth(2023, 10))),
        ],
    )
    def test_same_wall_clock_on_both_sides_of_dst(
        self, zone: str, months: tuple[YearMonth, ...]
    ) -> None:
        """Weekly Sunday sessions at 13:00 keep 13:00 local before and after each DST change."""
        every_sunday = [
            attrs.evolve(
                activity("first Sunday", months=months, timezone=Zone(zone)),
                id=f"s{n}",
                timing=Timing(
                    day=NthWeekday(n=n, weekday=6),
                    start=parse_time("13:00"),
                    duration=parse_duration("1h"),
                    timezone=Zone(zone),
                ),
            )
            for n in (1, 2, 3, 4)
        ]
        found = events(programme(*every_sunday))
        offsets = {e.span.start.utcoffset() for e in found if isinstance(e.span.start, dt.datetime)}
        assert len(offsets) == 2, "the sessions straddle a DST change"
        for event in found:
            assert isinstance(event.span.start, dt.datetime)
            assert isinstance(event.span.end, dt.datetime)
            local = event.span.start.astimezone(Zone(zone).tzinfo)
            assert (local.hour, local.minute) == (13, 0)
            assert event.span.end.astimezone(dt.UTC) - event.span.start.astimezone(
                dt.UTC
            ) == dt.timedelta(hours=1)

    def test_time_in_the_gap_moves_forward(self) -> None:
        """02:30 on the day clocks go forward starts at 03:30 daylight time (RFC 5545)."""
        (event,) = events(programme(activity("second Sunday", "02:30", "1h")))
        assert isinstance(event.span.start, dt.datetime)
        assert event.span.start.isoformat() == "2023-03-12T03:30:00-04:00"

    def test_repeated_time_takes_the_first(self) -> None:
        """01:30 on the day clocks go back is the first 01:30, still daylight time."""
        (event,) = events(
            programme(activity("first Sunday", "01:30", "1h", months=(YearMonth(2023, 11),)))
        )
        assert isinstance(event.span.start, dt.datetime)
        assert event.span.start.isoformat() == "2023-11-05T01:30:00-04:00"
        assert event.span.end.isoformat() == "2023-11-05T01:30:00-05:00"

    @EXAMPLES
    @given(timed_programmes())
    def test_declared_start_is_the_local_start(self, generated: Programme) -> None:
        """Every timed event starts at its declared wall-clock time in its own zone, unless
        that time does not exist or repeats there, which sanity then reports."""
        reported = {
            (p.uid, p.kind) for p in sanity_problems(generated) if p.kind.value.endswith("-time")
        }
        for occurrence in plan(generated):
            event, local, zone = occurrence.event, occurrence.local_start, occurrence.zone
            if event is None or local is None or zone is None:
                continue
            assert isinstance(event.span.start, dt.datetime)
            shown = event.span.start.astimezone(zone.tzinfo).replace(tzinfo=None)
            clock = wall_clock(local, zone)
            if clock is None:
                assert shown == local
                assert (occurrence.uid, SanityKind.NONEXISTENT_TIME) not in reported
                assert (occurrence.uid, SanityKind.AMBIGUOUS_TIME) not in reported
            elif clock is WallClock.NONEXISTENT:
                assert shown > local
                assert (occurrence.uid, SanityKind.NONEXISTENT_TIME) in reported
            else:
                assert shown == local
                assert (occurrence.uid, SanityKind.AMBIGUOUS_TIME) in reported


class TestMonths:
    @EXAMPLES
    @given(timed_programmes())
    def test_every_event_is_in_its_month_or_reported(self, generated: Programme) -> None:
        """An event falls inside its declared month exactly when sanity does not flag it."""
        stray = {p.uid for p in sanity_problems(generated) if p.kind is SanityKind.OUTSIDE_MONTH}
        for occurrence in plan(generated):
            event = occurrence.event
            if event is None or occurrence.month is None:
                continue
            first = local_day(event)
            end = event.span.end
            last = (
                (end - dt.timedelta(microseconds=1)).date()
                if isinstance(end, dt.datetime)
                else end - dt.timedelta(days=1)
            )
            inside = first in occurrence.month and last in occurrence.month
            assert inside == (occurrence.uid not in stray), occurrence.uid

    @EXAMPLES
    @given(timed_programmes())
    def test_without_moves_every_event_is_in_its_month(self, generated: Programme) -> None:
        """With day rules every month has, one-day occurrences and no overrides, every
        event lies inside its declared month."""
        plain = attrs.evolve(
            generated,
            cohorts=tuple(
                attrs.evolve(
                    cohort,
                    activities=tuple(
                        attrs.evolve(
                            a,
                            timing=attrs.evolve(a.timing, days=1, overrides=()),
                        )
                        for a in cohort.activities
                        if a.timing is not None
                    ),
                )
                for cohort in generated.cohorts
            ),
        )
        for event in events(plain):
            assert event.month is not None
            assert local_day(event) in event.month


class TestIdentity:
    def test_uid_names_what_the_event_is(self, reference: Programme) -> None:
        """The March 2023 learning session's uid is built from programme, cohort,
        activity, audience and month."""
        (event,) = events(
            reference,
            activity="learning-sessions",
            start=dt.date(2023, 3, 1),
            end=dt.date(2023, 3, 31),
        )
        assert event.uid == (
            "pursuing-equity-2023-2024/action-community/learning-sessions/cohort/2023-03@pe-schedule"
        )

    @EXAMPLES
    @given(timed_programmes())
    def test_uids_are_unique(self, generated: Programme) -> None:
        """No two events share a uid."""
        uids = [e.uid for e in events(generated)]
        assert len(uids) == len(set(uids))

    @EXAMPLES
    @given(timed_programmes(), st.data())
    def test_moving_an_event_keeps_its_uid(self, generated: Programme, data: st.DataObject) -> None:
        """Moving every occurrence of one activity to other days and times keeps every uid."""
        cohort = data.draw(st.sampled_from(generated.cohorts))
        chosen = data.draw(st.sampled_from(cohort.activities))
        assert chosen.timing is not None
        moved_timing = attrs.evolve(
            chosen.timing,
            day=NthWeekday(n=2, weekday=(getattr(chosen.timing.day, "weekday", 0) + 3) % 7),
            overrides=tuple(
                attrs.evolve(o, date=None, day=None, start=None) for o in chosen.timing.overrides
            ),
        )
        if chosen.timing.start is not None:
            moved_timing = attrs.evolve(moved_timing, start=dt.time(20, 45))
        moved = attrs.evolve(
            generated,
            cohorts=tuple(
                attrs.evolve(
                    c,
                    activities=tuple(
                        attrs.evolve(a, timing=moved_timing) if (c, a) == (cohort, chosen) else a
                        for a in c.activities
                    ),
                )
                for c in generated.cohorts
            ),
        )
        before = {e.uid: local_day(e) for e in events(generated)}
        after = {e.uid: local_day(e) for e in events(moved)}
        assert set(before) == set(after)

    @EXAMPLES
    @given(timed_programmes())
    def test_order_does_not_depend_on_declaration_order(self, generated: Programme) -> None:
        """Reversing cohorts and activities gives the same events in the same order."""
        reversed_programme = attrs.evolve(
            generated,
            cohorts=tuple(
                attrs.evolve(c, activities=tuple(reversed(c.activities)))
                for c in reversed(generated.cohorts)
            ),
        )
        found = events(generated)
        assert [e.uid for e in found] == [e.uid for e in events(reversed_programme)]
        assert [e.sort_key for e in found] == sorted(e.sort_key for e in found)


class TestAudiences:
    def test_affinity_groups_meet_apart(self, reference: Programme) -> None:
        """A person in one affinity group never sees the other group's session."""
        roster = reference.roster
        assert roster is not None
        for person in roster.people:
            if person.affinity_group is None:
                continue
            seen = events(reference, person=person.id, activity="affinity-groups")
            assert seen
            assert {e.target.key for e in seen} == {person.affinity_group}

    def test_leadership_workgroup_is_for_senior_leaders(self, reference: Programme) -> None:
        """A senior leader and an alternate see the leadership workgroup; a member does not."""
        roster = reference.roster
        assert roster is not None
        team = roster.teams_of("action-community")[0]
        by_role = {person.role: person.id for person in roster.members(team.id)}
        for role in (Role.SENIOR_LEADER, Role.ALTERNATE_SENIOR_LEADER):
            assert (
                len(events(reference, person=by_role[role], activity="leadership-workgroup")) == 6
            )
        assert events(reference, person=by_role[Role.MEMBER], activity="leadership-workgroup") == ()

    def test_coaching_groups_meet_at_their_own_times(self, reference: Programme) -> None:
        """Each Learning Network coaching group has one session a coaching month, at its own slot."""
        april = events(
            reference,
            activity="group-coaching",
            cohort="learning-network",
            start=dt.date(2023, 4, 1),
            end=dt.date(2023, 4, 30),
        )
        assert len(april) == 9
        assert len({e.span.start for e in april}) == 9
        assert {e.target.kind for e in april} == {AudienceKind.COACHING_GROUP}

    def test_a_team_sees_its_own_coaching_only(self, reference: Programme) -> None:
        """An Action Community team sees its own 1:1 coaching, never another team's."""
        seen = events(reference, team="ac-03", activity="one-to-one-coaching")
        assert len(seen) == 14
        assert {e.target for e in seen} == {Target(kind=AudienceKind.TEAM, key="ac-03")}

    def test_cohorts_do_not_see_each_other(self, reference: Programme) -> None:
        """A Learning Network team sees no Action Community event, and sees the programme's."""
        seen = events(reference, team="ln-01")
        assert {e.cohort for e in seen} == {"learning-network", None}
        assert any(e.activity == "informational-call" for e in seen)

    def test_weekly_meeting_is_at_the_teams_local_time(self, reference: Programme) -> None:
        """The weekly team meeting is at 10:00 in each team's own zone."""
        roster = reference.roster
        assert roster is not None
        for team in roster.teams_of("action-community"):
            for event in events(reference, team=team.id, activity="team-meeting"):
                assert isinstance(event.span, Timed)
                assert event.span.zone == team.timezone
                assert event.span.start.hour == 10

    def test_fan_out_needs_a_roster(self) -> None:
        """Without a roster a per-team activity has no events, and sanity says why."""
        bare = programme(activity(audience=AudienceKind.TEAM))
        assert events(bare) == ()
        assert [p.kind for p in sanity_problems(bare)] == [SanityKind.NO_ROSTER]

    def test_unknown_person_is_an_error(self, reference: Programme) -> None:
        """Asking for a person the roster lacks names them in the error."""
        with pytest.raises(PeScheduleError, match="person: expected a person of the roster"):
            events(reference, person="nobody")


class TestUnknownNames:
    """A filter naming a cohort, activity, team, person or group the programme lacks is an
    error listing the names there are, never an empty answer that looks like "no events"."""

    @pytest.mark.parametrize(
        ("filters", "message"),
        [
            (
                {"cohort": "learning-netwrk"},
                (
                    "cohort: expected a cohort of the programme: one of 'action-community', "
                    "'learning-network', got 'learning-netwrk' (did you mean 'learning-network'?)"
                ),
            ),
            ({"activity": "all-teams"}, "got 'all-teams' (did you mean 'all-team'?)"),
            ({"team": "ln-4O"}, "team: expected a team of the roster: one of 'ac-01', "),
            ({"team": "ln-4O"}, "got 'ln-4O' (did you mean 'ln-40'?)"),
            ({"person": "ln-01-ada-okafr"}, "(did you mean 'ln-01-ada-okafor'?)"),
            (
                {"target": Target(kind=AudienceKind.COACHING_GROUP, key="ln-coaching-01")},
                "target coaching-group: expected a coaching group of the programme",
            ),
            (
                {"target": Target(kind=AudienceKind.AFFINITY_GROUP, key="people-of-color")},
                "(did you mean 'people-of-colour'?)",
            ),
            ({"target": Target(kind=AudienceKind.COHORT, key="ln")}, "got 'ln'"),
            ({"target": Target(kind=AudienceKind.TEAM, key="ac-11")}, "one of 'ac-01'"),
            ({"target": Target(kind=AudienceKind.PROGRAMME, key="pe")}, "pursuing-equity"),
        ],
    )
    def test_each_filter_names_the_choices(
        self, reference: Programme, filters: dict[str, Any], message: str
    ) -> None:
        with pytest.raises(UnknownNameError) as raised:
            events(reference, **filters)
        assert message in str(raised.value)
        assert "\n" not in str(raised.value)
        assert raised.value.name not in raised.value.choices

    def test_the_error_carries_the_choices(self, reference: Programme) -> None:
        """A program gets the name and every choice, not only a message."""
        with pytest.raises(UnknownNameError) as raised:
            events(reference, cohort="learning-netwrk")
        assert (raised.value.what, raised.value.name) == ("cohort", "learning-netwrk")
        assert raised.value.choices == ("action-community", "learning-network")
        assert isinstance(raised.value, PeScheduleError)

    def test_a_long_list_of_choices_is_cut(self, reference: Programme) -> None:
        """Hundreds of people are not all listed: the closest one and how many more are."""
        roster = reference.roster
        assert roster is not None
        with pytest.raises(UnknownNameError) as raised:
            events(reference, person="ln-40-zz-nobody")
        assert raised.value.choices == tuple(sorted(p.id for p in roster.people))
        assert f"and {len(raised.value.choices) - 50} more, got 'ln-40-zz-nobody'" in str(
            raised.value
        )

    @pytest.mark.parametrize(
        "activity",
        ["all-team", "one-to-one-coaching", "informational-call", "team-meeting"],
    )
    def test_activities_are_named_as_declared(self, reference: Programme, activity: str) -> None:
        """An activity of either cohort or an [[events]] id is a known name."""
        assert events(reference, activity=activity)

    def test_a_known_name_with_no_events_is_no_error(self, reference: Programme) -> None:
        """Filters that exist but do not meet (a cohort's activity asked of the other) are
        simply empty."""
        assert events(reference, cohort="action-community", activity="group-coaching") != ()
        assert events(reference, cohort="learning-network", activity="kick-off") == ()

    def test_a_group_as_a_target(self, reference: Programme) -> None:
        """A group that exists is a target like any other."""
        roster = reference.roster
        assert roster is not None
        group = next(g for g in roster.groups if g.kind is AudienceKind.COACHING_GROUP)
        found = events(reference, target=Target(kind=AudienceKind.COACHING_GROUP, key=group.id))
        assert found
        assert {e.target.key for e in found} == {group.id}

    def test_a_group_target_needs_a_roster(self) -> None:
        """Without a roster, asking for a team's or group's events says a roster is needed."""
        bare = programme(activity())
        with pytest.raises(PeScheduleError, match="needs a roster"):
            events(bare, target=Target(kind=AudienceKind.COACHING_GROUP, key="g"))

    @pytest.mark.parametrize(
        ("option", "value", "hint"),
        [
            ("--cohort", "learning-netwrk", "did you mean 'learning-network'?"),
            ("--activity", "all-teams", "did you mean 'all-team'?"),
            ("--team", "ln-99", "did you mean 'ln-39'?"),
            ("--person", "ln-01-ada-okafr", "did you mean 'ln-01-ada-okafor'?"),
        ],
    )
    def test_command_exits_2_with_one_error_line(
        self, capsys: pytest.CaptureFixture[str], option: str, value: str, hint: str
    ) -> None:
        """`pe-schedule events FILE --cohort typo` prints no table: one error line, status 2."""
        assert cli.main(["events", str(REFERENCE), option, value]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        (line,) = captured.err.splitlines()
        assert line.startswith(f"error: {option[2:]}: expected ")
        assert line.endswith(f"got {value!r} ({hint})")


class TestReference:
    def test_event_counts(self, reference: Programme) -> None:
        """The reference programme has the events its grid, roster and [[events]] imply."""
        counts = collections.Counter((e.cohort, e.activity) for e in events(reference))
        assert counts[("learning-network", "all-team")] == 9
        assert counts[("learning-network", "group-coaching")] == 8 * 9
        assert counts[("action-community", "one-to-one-coaching")] == 14 * 10
        assert counts[("action-community", "affinity-groups")] == 8 * 2
        # Two in-person sessions all-day, the virtual one timed on each of its three days.
        assert counts[("action-community", "learning-sessions")] == 2 + 3
        assert counts[("action-community", "progress-update-due")] == 17
        assert counts[(None, "informational-call")] == 1

    def test_informational_call(self, reference: Programme) -> None:
        """The informational call is Wed 21 Sep 2022, 3-4 PM Eastern, for everyone."""
        (call,) = events(reference, activity="informational-call")
        assert isinstance(call.span.start, dt.datetime)
        assert call.span.start.isoformat() == "2022-09-21T15:00:00-04:00"
        assert call.span.end.isoformat() == "2022-09-21T16:00:00-04:00"
        assert call.target == Target(kind=AudienceKind.PROGRAMME, key="pursuing-equity-2023-2024")

    def test_deadlines_are_all_day_and_free(self, reference: Programme) -> None:
        """Application deadlines and the decision date are all-day and do not block time."""
        found = events(reference, end=dt.date(2022, 12, 31))
        deadlines = {e.span.start: e for e in found if e.all_day}
        assert set(deadlines) == {dt.date(2022, 10, 21), dt.date(2022, 11, 1), dt.date(2022, 12, 5)}
        assert not any(e.busy for e in deadlines.values())


class TestCommand:
    def test_json_lists_every_event(
        self, reference: Programme, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`pe-schedule events FILE --format json` lists every event of the programme."""
        assert cli.main(["events", str(REFERENCE), "--format", "json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert [item["uid"] for item in listed] == [e.uid for e in events(reference)]

    def test_tz_shows_a_pacific_team_its_local_time(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A 14:00 Eastern all-team call (as solved) shows at 11:00 for a team in Los Angeles."""
        argv = ["events", str(REFERENCE), "--team", "ac-02", "--activity", "all-team"]
        assert cli.main([*argv, "--tz", "America/Los_Angeles", "--format", "csv"]) == 0
        rows = capsys.readouterr().out.splitlines()[1:]
        assert rows
        assert all(",2023-" in row or ",2024-" in row for row in rows)
        assert all("T11:00:00-0" in row for row in rows)

    def test_table_has_one_line_per_event(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The table format prints a header and one line per event."""
        argv = ["events", str(REFERENCE), "--cohort", "learning-network", "--to", "2023-03-31"]
        assert cli.main(argv) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].split()[:3] == ["date", "time", "event"]
        assert len(lines) == 1 + 1 + 1 + 1 + 1  # header, LN deadline, Jan and Mar calls, training
