"""Expanding a programme into dated events, one per occurrence and audience.

Each grid cell (an activity in a month) and each event off the grid becomes
one :class:`~pe_schedule.event.Event` per audience: the cohort as a whole, or
one parallel session per team, coaching group or affinity group of the roster,
or the cohort's senior leaders. A timed multi-day occurrence becomes one event
per day; an all-day one a single event spanning its days.

Identity: an event's uid is built from what it is, never from its date or its
position in a list, so moving an event keeps its uid::

    {programme}/{cohort}/{activity}/{audience}/{month}[/day-N]@pe-schedule

``audience`` is ``cohort``, ``senior-leaders``, ``programme`` or
``team-{id}``, ``coaching-group-{id}``, ``affinity-group-{id}``. Events for
the whole programme have no cohort part; one-off dated events no month part;
weekly meetings the ISO week instead of a month (``2023-W05``), so moving one
meeting within its week keeps its uid.

Dates and times: a timed occurrence starts at its declared wall-clock time in
its own zone (resolved with pendulum, so it stays put across DST changes: a
time that does not exist moves forward, an ambiguous one takes its first
occurrence; both are reported by :mod:`pe_schedule.sanity`) and lasts its
duration in elapsed time.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable, Iterator

import attrs
import holidays
import pendulum

from pe_schedule.event import Event, Status, Target, TargetKind
from pe_schedule.exceptions import PeScheduleError
from pe_schedule.model import Activity, Audience, Cohort, Programme
from pe_schedule.months import YearMonth
from pe_schedule.oneoff import Occasion, Weekly
from pe_schedule.roster import Roster, require_roster
from pe_schedule.timing import HolidayPolicy, Slot, Timing
from pe_schedule.zones import zone as zone_named

#: The domain part of every uid.
UID_DOMAIN = "pe-schedule"

_FAN_OUT_KINDS = {
    Audience.TEAM: TargetKind.TEAM,
    Audience.COACHING_GROUP: TargetKind.COACHING_GROUP,
    Audience.AFFINITY_GROUP: TargetKind.AFFINITY_GROUP,
}


@functools.cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("US", years=year)


def federal_holiday(day: dt.date) -> str | None:
    """The name of the US federal holiday (observed days included) on ``day``, if any.

    >>> federal_holiday(dt.date(2023, 7, 4)), federal_holiday(dt.date(2023, 7, 5))
    ('Independence Day', None)
    """
    name = _holidays(day.year).get(day)
    return None if name is None else str(name)


@attrs.frozen(kw_only=True)
class _Recipient:
    """One audience an occurrence fans out to (internal)."""

    target: Target
    #: The uid part naming the audience.
    key: str
    #: The session key timing slots are declared under (a team or group id).
    session: str | None = None
    #: Shown after the event's name for parallel sessions.
    label: str | None = None
    #: The team's own zone, for weekly meetings held at local time.
    team_zone: str | None = None


@attrs.frozen(kw_only=True)
class Occurrence:
    """One planned occurrence of an activity for one audience, and how it was placed.

    ``event`` is ``None`` when no date could be found (``missing`` says why);
    :mod:`pe_schedule.sanity` reads the rest to explain what to change.
    """

    uid: str
    cohort: str | None
    activity: str
    name: str
    target: Target
    #: The month the occurrence stands for; ``None`` for weekly meetings.
    month: YearMonth | None
    event: Event | None
    #: The day rule, as written, for messages ("third Wednesday", "every Tuesday").
    rule: str
    holiday_policy: HolidayPolicy = HolidayPolicy.FLAG
    #: The date the rule gave before a holiday shift moved it.
    shifted_from: dt.date | None = None
    #: The rule's date was on a holiday and no later date in the month fits.
    unshiftable: bool = False
    #: The declared wall-clock start (naive) and its zone, for DST checks.
    local_start: dt.datetime | None = None
    zone: str | None = None
    #: Why there is no event: ``"missing-day"`` or ``"no-roster"``.
    missing: str | None = None


def uid(*parts: str) -> str:
    """The uid made of ``parts``.

    >>> uid("pursuing-equity-2023-2024", "action-community", "learning-sessions", "cohort",
    ...     "2023-03")
    'pursuing-equity-2023-2024/action-community/learning-sessions/cohort/2023-03@pe-schedule'
    """
    return "/".join(parts) + "@" + UID_DOMAIN


def revised(programme: Programme) -> dt.datetime:
    """When the programme's data was revised: its ``revised`` or, when undeclared,
    midnight UTC of its first day (a fixed value: output never depends on a clock)."""
    if programme.revised is not None:
        return programme.revised
    return dt.datetime.combine(programme.first_month.first_day, dt.time(), dt.UTC)


def _audiences(
    programme: Programme, cohort: str | None, audience: Audience
) -> tuple[_Recipient, ...] | None:
    """Who one occurrence is for; ``None`` when that needs a roster the programme lacks."""
    if audience is Audience.COHORT:
        if cohort is None:
            return (
                _Recipient(
                    target=Target(kind=TargetKind.PROGRAMME, key=programme.id), key="programme"
                ),
            )
        return (_Recipient(target=Target(kind=TargetKind.COHORT, key=cohort), key="cohort"),)
    if audience is Audience.SENIOR_LEADERS:
        cohorts = [cohort] if cohort is not None else [c.id for c in programme.cohorts]
        return tuple(
            _Recipient(
                target=Target(kind=TargetKind.SENIOR_LEADERS, key=c),
                key=f"senior-leaders-{c}" if cohort is None else "senior-leaders",
            )
            for c in cohorts
        )
    roster = programme.roster
    if roster is None:
        return None
    kind = _FAN_OUT_KINDS[audience]
    cohorts = [cohort] if cohort is not None else [c.id for c in programme.cohorts]
    found: list[_Recipient] = []
    for cohort_id in cohorts:
        if kind is TargetKind.TEAM:
            found += [
                _Recipient(
                    target=Target(kind=kind, key=team.id),
                    key=f"team-{team.id}",
                    session=team.id,
                    label=team.name,
                    team_zone=team.timezone,
                )
                for team in roster.teams_of(cohort_id)
            ]
        else:
            found += [
                _Recipient(
                    target=Target(kind=kind, key=group.id),
                    key=f"{kind.value}-{group.id}",
                    session=group.id,
                    label=group.name,
                )
                for group in roster.groups_of(cohort_id, kind)
                if all(item.session != group.id for item in found)
            ]
    return tuple(found)


def _span(first: dt.date, days: int) -> tuple[dt.date, ...]:
    return tuple(first + dt.timedelta(days=offset) for offset in range(days))


def _on_holiday(days: Iterable[dt.date]) -> bool:
    return any(federal_holiday(day) for day in days)


def _place(slot: Slot, month: YearMonth) -> tuple[dt.date | None, dt.date | None, bool]:
    """The first day of an occurrence, the date a holiday shift moved it from, and
    whether a needed shift was impossible."""
    if slot.date is not None:
        return slot.date, None, False
    first = slot.day.resolve(month)
    if first is None:
        return None, None, False
    if slot.holidays is not HolidayPolicy.SHIFT or not _on_holiday(_span(first, slot.days)):
        return first, None, False
    candidate = slot.day.later(first)
    while all(day in month for day in _span(candidate, slot.days)):
        if not _on_holiday(_span(candidate, slot.days)):
            return candidate, first, False
        candidate = slot.day.later(candidate)
    return first, None, True


class WallClock(enum.Enum):
    """How a wall-clock time exists in a zone on a day with a DST change."""

    #: Skipped when clocks go forward: there is no such moment.
    NONEXISTENT = "nonexistent"
    #: Repeated when clocks go back: two moments share it.
    AMBIGUOUS = "ambiguous"


def wall_clock(local: dt.datetime, zone: str) -> WallClock | None:
    """Whether naive ``local`` is skipped or repeated in ``zone``; ``None`` when it is plain.

    >>> wall_clock(dt.datetime(2023, 3, 12, 2, 30), "America/New_York")
    <WallClock.NONEXISTENT: 'nonexistent'>
    >>> wall_clock(dt.datetime(2023, 3, 12, 13, 0), "America/New_York") is None
    True
    """
    fields = (local.year, local.month, local.day, local.hour, local.minute)
    try:
        pendulum.datetime(*fields, tz=zone_named(zone), raise_on_unknown_times=True)
    except pendulum.tz.exceptions.NonExistingTime:
        return WallClock.NONEXISTENT
    except pendulum.tz.exceptions.AmbiguousTime:
        return WallClock.AMBIGUOUS
    return None


def _instant(local: dt.datetime, zone: str) -> dt.datetime:
    """The aware moment of wall-clock ``local`` in ``zone``.

    As RFC 5545 reads local times: a time in a DST gap takes the offset before
    the gap (so 02:30 becomes 03:30 when clocks go forward), and an ambiguous
    time its first occurrence.
    """
    fold = 1 if wall_clock(local, zone) is WallClock.NONEXISTENT else 0
    fields = (local.year, local.month, local.day, local.hour, local.minute)
    moment = pendulum.datetime(*fields, tz=zone_named(zone), fold=fold)
    return dt.datetime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        tzinfo=zone_named(zone),
        fold=moment.fold,
    )


def _end(start: dt.datetime, duration: dt.timedelta, zone: str) -> dt.datetime:
    """``duration`` of elapsed time after ``start``, on the wall clock of ``zone``."""
    moment = pendulum.instance(start).add(seconds=int(duration.total_seconds()))
    local = moment.in_timezone(zone_named(zone))
    # A plain datetime: pendulum's DateTime does its own arithmetic (subtracting a
    # timedelta from one drops its zone), which must not leak into the events
    # users compute with.
    return dt.datetime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        tzinfo=zone_named(zone),
        fold=local.fold,
    )


@attrs.frozen(kw_only=True)
class _What:
    """What every event of one activity or occasion shares (internal)."""

    cohort: str | None
    id: str
    name: str
    audience: Audience
    description: str
    categories: tuple[str, ...]
    busy: bool
    location: str
    in_person_months: tuple[YearMonth, ...] = ()
    in_person_location: str | None = None
    #: A one-off on a date: its uid has no month part.
    dated: bool = False

    @classmethod
    def of_activity(cls, cohort: Cohort, activity: Activity) -> _What:
        return cls(
            cohort=cohort.id,
            id=activity.id,
            name=activity.name,
            audience=activity.audience,
            description=activity.description,
            categories=(cohort.name,),
            busy=True,
            location=activity.location,
            in_person_months=activity.in_person,
            in_person_location=activity.in_person_location,
        )

    @classmethod
    def of_occasion(cls, occasion: Occasion) -> _What:
        return cls(
            cohort=occasion.cohort,
            id=occasion.id,
            name=occasion.name,
            audience=occasion.audience,
            description=occasion.description,
            categories=occasion.categories,
            busy=occasion.busy,
            location=occasion.location,
            in_person_months=occasion.months if occasion.in_person else (),
            dated=occasion.dated,
        )

    def stem(self, programme: Programme) -> tuple[str, ...]:
        """The uid parts before the audience."""
        if self.cohort is None:
            return (programme.id, self.id)
        return (programme.id, self.cohort, self.id)

    def in_person(self, month: YearMonth | None) -> bool:
        return month in self.in_person_months

    def location_in(self, month: YearMonth | None) -> str:
        if self.in_person(month) and self.in_person_location:
            return self.in_person_location
        return self.location


def _event(
    programme: Programme,
    what: _What,
    who: _Recipient,
    key: str,
    *,
    month: YearMonth | None,
    summary: str,
    start: dt.datetime | dt.date,
    end: dt.datetime | dt.date,
    zone: str | None,
    cancelled: bool,
) -> Event:
    return Event(
        uid=key,
        programme=programme.id,
        cohort=what.cohort,
        activity=what.id,
        target=who.target,
        month=None if what.dated else month,
        summary=summary if who.label is None else f"{summary}: {who.label}",
        start=start,
        end=end,
        timezone=zone,
        location=what.location_in(month),
        description=what.description,
        url=programme.url,
        categories=what.categories,
        in_person=what.in_person(month),
        status=Status.CANCELLED if cancelled else Status.CONFIRMED,
        busy=what.busy,
        revised=revised(programme),
    )


def _timed(
    programme: Programme, what: _What, timing: Timing, months: Iterable[YearMonth]
) -> Iterator[Occurrence]:
    """The occurrences of an activity or occasion placed by a :class:`Timing`."""
    fan = _audiences(programme, what.cohort, what.audience)
    for month in months:
        if fan is None:
            yield Occurrence(
                uid=uid(*what.stem(programme), what.audience.value, str(month)),
                cohort=what.cohort,
                activity=what.id,
                name=what.name,
                target=Target(kind=_FAN_OUT_KINDS[what.audience], key=what.audience.value),
                month=month,
                event=None,
                rule=str(timing.day),
                holiday_policy=timing.holidays,
                missing="no-roster",
            )
            continue
        for who in fan:
            yield from _in_month(programme, what, timing, month, who)


def _in_month(
    programme: Programme, what: _What, timing: Timing, month: YearMonth, who: _Recipient
) -> Iterator[Occurrence]:
    slot = timing.slot(month, who.session)
    parts = (
        (*what.stem(programme), who.key)
        if what.dated
        else (
            *what.stem(programme),
            who.key,
            str(month),
        )
    )
    first, shifted_from, unshiftable = _place(slot, month)
    # A date a person chose is never shifted; flag it unless holidays are accepted.
    policy = slot.holidays
    if slot.date is not None and policy is HolidayPolicy.SHIFT:
        policy = HolidayPolicy.FLAG

    def occurrence(
        key: str,
        event: Event | None,
        *,
        local_start: dt.datetime | None = None,
        zone: str | None = None,
        missing: str | None = None,
    ) -> Occurrence:
        return Occurrence(
            uid=key,
            cohort=what.cohort,
            activity=what.id,
            name=what.name,
            target=who.target,
            month=month,
            event=event,
            rule=str(slot.day) if slot.date is None else f"moved to {slot.date.isoformat()}",
            holiday_policy=policy,
            shifted_from=shifted_from,
            unshiftable=unshiftable,
            local_start=local_start,
            zone=zone,
            missing=missing,
        )

    if first is None:
        yield occurrence(uid(*parts), None, missing="missing-day")
        return
    if slot.start is None or slot.duration is None:
        key = uid(*parts)
        event = _event(
            programme,
            what,
            who,
            key,
            month=month,
            summary=what.name,
            start=first,
            end=first + dt.timedelta(days=slot.days),
            zone=None,
            cancelled=slot.cancelled,
        )
        yield occurrence(key, event)
        return
    zone = slot.timezone or programme.timezone
    for index, day in enumerate(_span(first, slot.days), start=1):
        local = dt.datetime.combine(day, slot.start)
        start = _instant(local, zone)
        several = slot.days > 1
        key = uid(*parts, f"day-{index}") if several else uid(*parts)
        event = _event(
            programme,
            what,
            who,
            key,
            month=month,
            summary=f"{what.name} (day {index} of {slot.days})" if several else what.name,
            start=start,
            end=_end(start, slot.duration, zone),
            zone=zone,
            cancelled=slot.cancelled,
        )
        yield occurrence(key, event, local_start=local, zone=zone)


def _weekly(programme: Programme, what: _What, weekly: Weekly) -> Iterator[Occurrence]:
    """The occurrences of a weekly meeting, one per week and audience."""
    fan = _audiences(programme, what.cohort, what.audience)
    if fan is None:
        yield Occurrence(
            uid=uid(*what.stem(programme), what.audience.value),
            cohort=what.cohort,
            activity=what.id,
            name=what.name,
            target=Target(kind=_FAN_OUT_KINDS[what.audience], key=what.audience.value),
            month=None,
            event=None,
            rule=str(weekly),
            missing="no-roster",
        )
        return
    for who in fan:
        zone = weekly.timezone or who.team_zone or programme.timezone
        for day in weekly.dates():
            year, week, _ = day.isocalendar()
            key = uid(*what.stem(programme), who.key, f"{year:04d}-W{week:02d}")
            local = dt.datetime.combine(day, weekly.start)
            start = _instant(local, zone)
            event = _event(
                programme,
                what,
                who,
                key,
                month=None,
                summary=what.name,
                start=start,
                end=_end(start, weekly.duration, zone),
                zone=zone,
                cancelled=False,
            )
            yield Occurrence(
                uid=key,
                cohort=what.cohort,
                activity=what.id,
                name=what.name,
                target=who.target,
                month=None,
                event=event,
                rule=str(weekly),
                local_start=local,
                zone=zone,
            )


def plan(programme: Programme) -> tuple[Occurrence, ...]:
    """Every occurrence of every timed activity and event off the grid, with how
    each was placed. Untimed activities (no ``timing`` yet) have none.

    Ordered by cohort, activity and month as declared, then audience.
    """
    found: list[Occurrence] = []
    for cohort in programme.cohorts:
        for activity in cohort.activities:
            if activity.timing is not None:
                what = _What.of_activity(cohort, activity)
                found += _timed(programme, what, activity.timing, activity.months)
    for occasion in programme.events:
        what = _What.of_occasion(occasion)
        if occasion.timing is not None:
            found += _timed(programme, what, occasion.timing, occasion.months)
        if occasion.weekly is not None:
            found += _weekly(programme, what, occasion.weekly)
    return tuple(found)


def _first_and_last(event: Event) -> tuple[dt.date, dt.date]:
    """The first and last local day an event touches."""
    if isinstance(event.start, dt.datetime) and isinstance(event.end, dt.datetime):
        last = event.end - dt.timedelta(microseconds=1)
        return event.start.date(), max(event.start.date(), last.date())
    assert not isinstance(event.end, dt.datetime)
    start = event.start if not isinstance(event.start, dt.datetime) else event.start.date()
    return start, event.end - dt.timedelta(days=1)


def _audience(
    programme: Programme, team: str | None, person: str | None
) -> frozenset[Target] | None:
    if team is None and person is None:
        return None
    roster: Roster = require_roster(programme.roster, "filtering events by team or person")
    programme_wide = Target(kind=TargetKind.PROGRAMME, key=programme.id)
    try:
        sets = []
        if team is not None:
            sets.append(roster.targets_of_team(team) | {programme_wide})
        if person is not None:
            sets.append(roster.targets_of_person(person) | {programme_wide})
    except KeyError as error:
        kind = "person" if person is not None and error.args[0] == person else "team"
        raise PeScheduleError(f"the roster has no {kind} {error.args[0]!r}") from None
    # Both filters hold at once: the events of that person that are also the team's.
    return frozenset.intersection(*sets)


def events(
    programme: Programme,
    *,
    cohort: str | None = None,
    team: str | None = None,
    person: str | None = None,
    target: Target | None = None,
    activity: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[Event, ...]:
    """The programme's events that match every filter given, sorted by
    :attr:`Event.sort_key <pe_schedule.event.Event.sort_key>`.

    Args:
        programme: the programme, with its roster for the team and person filters.
        cohort: only events of this cohort (programme-wide events have none).
        team: only events for this team: its cohort's, its own, its coaching
            group's and the programme's.
        person: only events for this person: their team's, their affinity
            group's and, for senior leaders and alternates, the leaders'.
        target: only events addressed exactly to this audience.
        activity: only events of this activity or event id.
        start: only events that touch this day or a later one (in their own zone).
        end: only events that touch this day or an earlier one.

    Raises:
        PeScheduleError: if ``team`` or ``person`` is given without a roster or
            names nobody on it.
    """
    mine = _audience(programme, team, person)
    chosen = []
    for occurrence in plan(programme):
        event = occurrence.event
        if event is None:
            continue
        if cohort is not None and event.cohort != cohort:
            continue
        if mine is not None and event.target not in mine:
            continue
        if target is not None and event.target != target:
            continue
        if activity is not None and event.activity != activity:
            continue
        first, last = _first_and_last(event)
        if (start is not None and last < start) or (end is not None and first > end):
            continue
        chosen.append(event)
    return tuple(sorted(chosen, key=lambda event: event.sort_key))


__all__ = [
    "UID_DOMAIN",
    "Occurrence",
    "WallClock",
    "events",
    "federal_holiday",
    "plan",
    "revised",
    "uid",
    "wall_clock",
]
