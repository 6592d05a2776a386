"""Expanding a programme into dated events, one per occurrence and audience.

Each grid cell (an activity in a month) and each event off the grid becomes
one :class:`~pe_schedule.Event` per audience: the cohort as a whole, or
one parallel session per team, coaching group or affinity group of the roster,
or the cohort's senior leaders. A timed multi-day occurrence becomes one event
per day; an all-day one a single event spanning its days.

Identity: an event's uid is built from what it is, never from its date or its
position in a list, so moving an event keeps its uid::

    {programme}/{cohort}/{activity}/{audience}/{month}[/day-N]@pe-schedule

``audience`` is ``cohort``, ``senior-leaders``, ``programme`` or
``team-{id}``, ``coaching-group-{id}``, ``affinity-group-{id}``, or
``cohorts`` for the one session of an activity or event several cohorts share.
Events for the whole programme, and shared ones, have no cohort part; one-off dated events no month part;
weekly meetings the ISO week instead of a month (``2023-W05``), so moving one
meeting within its week keeps its uid.

Dates and times: a timed occurrence starts at its declared wall-clock time in
its own zone and lasts its duration in elapsed time (see :mod:`.clock`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator

import attrs

from pe_schedule._internal.declaration.source import did_you_mean
from pe_schedule._internal.model.activity import Activity, ActivityName
from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.event import AllDay, Event, Span, Status, Timed
from pe_schedule._internal.model.holidays import HolidayCalendar
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.occasion import Occasion, Weekly
from pe_schedule._internal.model.programme import Cohort, Programme
from pe_schedule._internal.model.roster import Roster, Staff, StaffRole, require_roster
from pe_schedule._internal.model.timing import HolidayPolicy, Slot, Timing
from pe_schedule._internal.model.zones import Zone
from pe_schedule._internal.schedule.clock import instant, later
from pe_schedule._internal.schedule.fan_out import Recipient, recipients
from pe_schedule._internal.schedule.holidays import holiday
from pe_schedule.exceptions import UnknownNameError

#: The domain part of every uid.
UID_DOMAIN = "pe-schedule"


class Missing(enum.Enum):
    """Why a planned occurrence has no event."""

    #: The day rule gives no day in the month (a fifth Monday in a month with four).
    DAY = "missing-day"
    #: The activity fans out per team or group, and the programme has no roster.
    ROSTER = "no-roster"


@attrs.frozen(kw_only=True)
class Occurrence:
    """One planned occurrence of an activity for one audience, and how it was placed.

    ``event`` is ``None`` when no date could be found (``missing`` says why);
    the sanity check reads the rest to explain what to change.
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
    zone: Zone | None = None
    #: Why there is no event.
    missing: Missing | None = None


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


def _span(first: dt.date, days: int) -> tuple[dt.date, ...]:
    return tuple(first + dt.timedelta(days=offset) for offset in range(days))


def _on_holiday(calendar: HolidayCalendar, days: Iterable[dt.date]) -> bool:
    return any(holiday(calendar, day) for day in days)


@attrs.frozen(kw_only=True)
class _Placed:
    """Where a slot landed in its month (internal)."""

    #: The first day, ``None`` when the month has no such day.
    first: dt.date | None
    #: The date a holiday shift moved it from.
    shifted_from: dt.date | None = None
    #: The rule's date was on a holiday and no later date in the month fits.
    unshiftable: bool = False


def _place(slot: Slot, month: YearMonth, calendar: HolidayCalendar) -> _Placed:
    """The first day of an occurrence, shifted off a holiday if its policy says so."""
    if slot.date is not None:
        return _Placed(first=slot.date)
    first = slot.day.resolve(month)
    if first is None:
        return _Placed(first=None)
    shift = slot.holidays is HolidayPolicy.SHIFT
    if not shift or not _on_holiday(calendar, _span(first, slot.days)):
        return _Placed(first=first)
    candidate = slot.day.later(first)
    while all(day in month for day in _span(candidate, slot.days)):
        if not _on_holiday(calendar, _span(candidate, slot.days)):
            return _Placed(first=candidate, shifted_from=first)
        candidate = slot.day.later(candidate)
    return _Placed(first=first, unshiftable=True)


@attrs.frozen(kw_only=True)
class _What:
    """What every event of one activity or occasion shares (internal)."""

    cohort: str | None
    id: str
    name: str
    audience: AudienceKind
    description: str
    categories: tuple[str, ...]
    busy: bool
    location: str
    in_person_months: tuple[YearMonth, ...] = ()
    in_person_location: str | None = None
    #: A one-off on a date: its uid has no month part.
    dated: bool = False
    #: Its own web page; the programme's when ``None``.
    url: str | None = None
    #: The link to join online, when no session has its own.
    join: str | None = None
    reminders: tuple[dt.timedelta, ...] = ()
    #: The cohorts a shared activity or event is for, all together (``cohort`` is ``None``).
    shared: tuple[str, ...] = ()

    @classmethod
    def of_shared(cls, programme: Programme, activity: Activity) -> _What:
        """A shared activity: one event for all its cohorts together."""
        names = tuple(programme.cohort(cohort).name for cohort in activity.shared_by)
        return cls.of_activity(None, activity, categories=names, shared=activity.shared_by)

    @classmethod
    def of_activity(
        cls,
        cohort: Cohort | None,
        activity: Activity,
        *,
        categories: tuple[str, ...] = (),
        shared: tuple[str, ...] = (),
    ) -> _What:
        return cls(
            cohort=None if cohort is None else cohort.id,
            id=activity.id,
            name=activity.name,
            audience=activity.audience,
            description=activity.description,
            categories=categories if cohort is None else (cohort.name,),
            busy=True,
            location=activity.location,
            in_person_months=activity.in_person,
            in_person_location=activity.in_person_location,
            join=activity.join,
            reminders=activity.reminders,
            shared=shared,
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
            url=occasion.url,
            join=occasion.join,
            reminders=occasion.reminders,
            shared=occasion.cohorts,
        )

    def recipients(self, programme: Programme) -> tuple[Recipient, ...] | None:
        """Who each occurrence goes to: several cohorts together are one audience."""
        if self.shared:
            kind = AudienceKind.COHORTS
            return (Recipient(target=Target.of_cohorts(self.shared), key=kind.value),)
        return recipients(programme, self.cohort, self.audience)

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

    def join_in(self, month: YearMonth | None, session: str | None) -> str | None:
        """The link to join the occurrence of ``month`` online: the session's own or the
        activity's; none in a month held in person, whose place is a venue."""
        return None if self.in_person(month) else session or self.join

    def unplaced(self, programme: Programme, *parts: str) -> Occurrence:
        """The occurrence of an audience the programme cannot list without a roster."""
        return Occurrence(
            uid=uid(*self.stem(programme), self.audience.value, *parts),
            cohort=self.cohort,
            activity=self.id,
            name=self.name,
            target=Target(kind=self.audience, key=self.audience.value),
            month=None,
            event=None,
            rule="",
            missing=Missing.ROSTER,
        )

    def event(
        self,
        programme: Programme,
        who: Recipient,
        key: str,
        *,
        month: YearMonth | None,
        summary: str,
        span: Span,
        cancelled: bool = False,
        leaders: tuple[str, ...] = (),
        join: str | None = None,
    ) -> Event:
        """The event ``key`` of this activity or occasion for ``who``, led by ``leaders``.

        A virtual occurrence with a link to join shows it in its location too
        (``"Zoom: https://…"``), where every calendar client shows it, and the
        link is its URL; otherwise the URL is the event's own page or the programme's.
        """
        link = self.join_in(month, join)
        location = self.location_in(month)
        if link is not None:
            location = f"{location}: {link}" if location else link
        return Event(
            uid=key,
            programme=programme.id,
            cohort=self.cohort,
            activity=self.id,
            target=who.target,
            month=None if self.dated else month,
            summary=summary if who.label is None else f"{summary}: {who.label}",
            span=span,
            location=location,
            description=_with_leaders(self.description, led_by(programme.roster, leaders)),
            url=link or self.url or programme.url,
            join=link,
            categories=self.categories,
            in_person=self.in_person(month),
            status=Status.CANCELLED if cancelled else Status.CONFIRMED,
            busy=self.busy,
            # A cancelled occurrence reminds nobody.
            alarms=() if cancelled else self.reminders,
            leaders=leaders,
            revised=revised(programme),
        )


def led_by(roster: Roster | None, leaders: Iterable[str]) -> str:
    """Who leads a session, one line per staff role: ``"Coach: Amara Lewis"``.

    Names and roles come from the roster; a staff id the roster does not know
    (a stale solve) is shown as it is, so the session still says who leads it.

    >>> from pe_schedule._internal.model.roster import Staff
    >>> staff = (Staff(id="al", name="Amara Lewis", timezone=Zone("America/Chicago")),
    ...          Staff(id="cy", name="Cy Ito", timezone=Zone("America/Chicago")),
    ...          Staff(id="bo", name="Bo Reyes", role=StaffRole.FACULTY,
    ...                timezone=Zone("America/Denver")))
    >>> roster = Roster(teams=(), people=(), groups=(), staff=staff)
    >>> print(led_by(roster, ["al", "bo", "zz", "cy"]))
    Coaches: Amara Lewis, Cy Ito
    Faculty: Bo Reyes
    Led by: zz
    >>> led_by(roster, [])
    ''
    """
    lines: dict[StaffRole | None, list[str]] = {}
    for leader in leaders:
        member = _staff_member(roster, leader)
        role = None if member is None else member.role
        lines.setdefault(role, []).append(leader if member is None else member.name)
    return "\n".join(
        f"{_LEADER_WORDS[role][len(names) > 1]}: {', '.join(names)}"
        for role, names in lines.items()
    )


def _staff_member(roster: Roster | None, staff_id: str) -> Staff | None:
    if roster is None:
        return None
    try:
        return roster.staff_member(staff_id)
    except KeyError:
        return None


#: How a description introduces a session's leaders, by staff role (``None``: not on the
#: roster): one leader, several.
_LEADER_WORDS: dict[StaffRole | None, tuple[str, str]] = {
    StaffRole.COACH: ("Coach", "Coaches"),
    StaffRole.FACULTY: ("Faculty", "Faculty"),
    None: ("Led by", "Led by"),
}


def _with_leaders(description: str, leaders: str) -> str:
    # Without leaders the description is exactly as declared: feeds stay byte for byte.
    if not leaders:
        return description
    return f"{description}\n\n{leaders}" if description else leaders


def _timed(
    programme: Programme, what: _What, timing: Timing, months: Iterable[YearMonth]
) -> Iterator[Occurrence]:
    """The occurrences of an activity or occasion placed by a :class:`Timing`."""
    fan = what.recipients(programme)
    for month in months:
        if fan is None:
            unplaced = what.unplaced(programme, str(month))
            yield attrs.evolve(
                unplaced, month=month, rule=str(timing.day), holiday_policy=timing.holidays
            )
            continue
        for who in fan:
            yield from _in_month(
                _Session(programme, what, month, who), timing.slot(month, who.session)
            )


@attrs.frozen
class _Session:
    """One occurrence being placed: of what, in which month, for whom (internal)."""

    programme: Programme
    what: _What
    month: YearMonth
    who: Recipient

    @property
    def parts(self) -> tuple[str, ...]:
        """The uid parts of the occurrence."""
        stem = (*self.what.stem(self.programme), self.who.key)
        return stem if self.what.dated else (*stem, str(self.month))

    def occurrence(self, slot: Slot, placed: _Placed, key: str, event: Event | None) -> Occurrence:
        # A date a person chose is never shifted; flag it unless holidays are accepted.
        policy = slot.holidays
        if slot.date is not None and policy is HolidayPolicy.SHIFT:
            policy = HolidayPolicy.FLAG
        return Occurrence(
            uid=key,
            cohort=self.what.cohort,
            activity=self.what.id,
            name=self.what.name,
            target=self.who.target,
            month=self.month,
            event=event,
            rule=str(slot.day) if slot.date is None else f"moved to {slot.date.isoformat()}",
            holiday_policy=policy,
            shifted_from=placed.shifted_from,
            unshiftable=placed.unshiftable,
            missing=Missing.DAY if placed.first is None else None,
        )


def _in_month(session: _Session, slot: Slot) -> Iterator[Occurrence]:
    """The occurrence of ``session`` in its month: one per day when timed."""
    placed = _place(slot, session.month, session.programme.holidays)
    first = placed.first
    if first is None:
        yield session.occurrence(slot, placed, uid(*session.parts), None)
        return
    if slot.start is None or slot.duration is None:
        key = uid(*session.parts)
        span = AllDay(start=first, end=first + dt.timedelta(days=slot.days))
        event = session.what.event(
            session.programme,
            session.who,
            key,
            month=session.month,
            summary=session.what.name,
            span=span,
            cancelled=slot.cancelled,
            leaders=slot.leaders,
            join=slot.join,
        )
        yield session.occurrence(slot, placed, key, event)
        return
    zone = slot.timezone or session.programme.timezone
    several = slot.days > 1
    for index, day in enumerate(_span(first, slot.days), start=1):
        local = dt.datetime.combine(day, slot.start)
        start = instant(local, zone)
        key = uid(*session.parts, f"day-{index}") if several else uid(*session.parts)
        name = session.what.name
        event = session.what.event(
            session.programme,
            session.who,
            key,
            month=session.month,
            summary=f"{name} (day {index} of {slot.days})" if several else name,
            span=Timed(start=start, end=later(start, slot.duration, zone), zone=zone),
            cancelled=slot.cancelled,
            leaders=slot.leaders,
            join=slot.join,
        )
        occurrence = session.occurrence(slot, placed, key, event)
        yield attrs.evolve(occurrence, local_start=local, zone=zone)


def _weeks_of(programme: Programme, name: ActivityName) -> frozenset[tuple[int, int]]:
    """The ISO weeks (year, week) in which an occurrence of activity ``name`` falls,
    for any audience; cancelled occurrences leave their week free."""
    cohort = programme.cohort(name.cohort)
    activity = cohort.activity(name.activity)
    if activity.timing is None:
        return frozenset()
    what = _What.of_activity(cohort, activity)
    return frozenset(
        day.isocalendar()[:2]
        for occurrence in _timed(programme, what, activity.timing, activity.months)
        if occurrence.event is not None and occurrence.event.status is not Status.CANCELLED
        for day in occurrence.event.span.days
    )


def _weekly_dates(programme: Programme, weekly: Weekly) -> tuple[dt.date, ...]:
    """The dates of a weekly meeting once its rules drop weeks: the weeks of the
    activities it gives way to and, if its policy says so, holidays (in the
    meeting's own dates: a team's local day)."""
    busy: frozenset[tuple[int, int]] = frozenset().union(
        *(_weeks_of(programme, name) for name in weekly.skip_weeks_of)
    )
    skip_holidays = weekly.holidays is HolidayPolicy.SKIP
    return tuple(
        day
        for day in weekly.dates()
        if day.isocalendar()[:2] not in busy
        and not (skip_holidays and holiday(programme.holidays, day))
    )


def _weekly(programme: Programme, what: _What, weekly: Weekly) -> Iterator[Occurrence]:
    """The occurrences of a weekly meeting, one per week and audience."""
    fan = what.recipients(programme)
    if fan is None:
        yield attrs.evolve(what.unplaced(programme), rule=str(weekly))
        return
    dates = _weekly_dates(programme, weekly)
    for who in fan:
        zone = weekly.timezone or who.team_zone or programme.timezone
        for day in dates:
            year, week, _ = day.isocalendar()
            key = uid(*what.stem(programme), who.key, f"{year:04d}-W{week:02d}")
            local = dt.datetime.combine(day, weekly.start)
            start = instant(local, zone)
            span = Timed(start=start, end=later(start, weekly.duration, zone), zone=zone)
            event = what.event(programme, who, key, month=None, summary=what.name, span=span)
            yield Occurrence(
                uid=key,
                cohort=what.cohort,
                activity=what.id,
                name=what.name,
                target=who.target,
                month=None,
                event=event,
                rule=str(weekly),
                holiday_policy=weekly.holidays,
                local_start=local,
                zone=zone,
            )


def plan(programme: Programme) -> tuple[Occurrence, ...]:
    """Every occurrence of every timed activity and event off the grid, with how
    each was placed. Untimed activities (no ``timing`` yet) have none.

    Ordered by cohort, activity and month as declared, then audience.
    """
    # A programme is frozen, so its plan never changes: the last one is kept, because
    # a check, a listing and a build of one programme each ask for it in turn.
    last = _last_plan.get(id(programme))
    if last is not None and last[0] is programme:
        return last[1]
    found = _plan(programme)
    _last_plan.clear()
    _last_plan[id(programme)] = (programme, found)
    return found


#: id(programme) -> (programme, its plan), for the last programme planned only; the
#: programme is held so that its id cannot be reused by another while kept.
_last_plan: dict[int, tuple[Programme, tuple[Occurrence, ...]]] = {}


def _plan(programme: Programme) -> tuple[Occurrence, ...]:
    found: list[Occurrence] = []
    for cohort in programme.cohorts:
        for activity in cohort.activities:
            # A shared activity is a row of each of its cohorts, but one event per
            # occurrence for all of them together: it is expanded once, below.
            if activity.timing is not None and not activity.shared:
                what = _What.of_activity(cohort, activity)
                found += _timed(programme, what, activity.timing, activity.months)
    for activity in programme.shared:
        if activity.timing is not None:
            what = _What.of_shared(programme, activity)
            found += _timed(programme, what, activity.timing, activity.months)
    for occasion in programme.events:
        what = _What.of_occasion(occasion)
        if occasion.timing is not None:
            found += _timed(programme, what, occasion.timing, occasion.months)
        if occasion.weekly is not None:
            found += _weekly(programme, what, occasion.weekly)
    return tuple(found)


#: At most this many choices are listed in an unknown-name error; a roster's hundreds
#: of people would bury the one line it is, and the did-you-mean names the likely one.
SHOWN_CHOICES = 50


def unknown_name(what: str, expected: str, name: str, choices: Iterable[str]) -> UnknownNameError:
    """The error for ``name``, which is no ``what`` of ``choices``, worded as a declaration's.

    >>> print(unknown_name("cohort", "a cohort of the programme", "ln-x", ["ac", "ln"]))
    cohort: expected a cohort of the programme: one of 'ac', 'ln', got 'ln-x' (did you mean 'ln'?)
    """
    known = sorted(set(choices))
    if not known:
        text = f"{what}: expected {expected}, got {name!r} (there are none)"
    else:
        listed = ", ".join(repr(choice) for choice in known[:SHOWN_CHOICES])
        if len(known) > SHOWN_CHOICES:
            listed += f" and {len(known) - SHOWN_CHOICES} more"
        text = f"{what}: expected {expected}: one of {listed}, got {name!r}"
        hint = did_you_mean(name, known)
        if hint:
            text += f" ({hint})"
    return UnknownNameError(text, what=what, name=name, choices=known)


def activity_ids(programme: Programme) -> frozenset[str]:
    """Every activity id of every cohort and every ``[[events]]`` id: what an
    activity filter may name."""
    ids = {activity.id for cohort in programme.cohorts for activity in cohort.activities}
    return frozenset(ids | {occasion.id for occasion in programme.events})


def _check_cohort(programme: Programme, cohort: str) -> None:
    ids = [c.id for c in programme.cohorts]
    if cohort not in ids:
        raise unknown_name("cohort", "a cohort of the programme", cohort, ids)


def _check_activity(programme: Programme, activity: str) -> None:
    ids = activity_ids(programme)
    if activity not in ids:
        raise unknown_name(
            "activity", "an activity of a cohort, or an [[events]] id", activity, ids
        )


def _check_target(programme: Programme, target: Target) -> None:
    """Raise :class:`UnknownNameError` when ``target`` names an audience the programme lacks."""
    kind = target.kind
    if kind is AudienceKind.PROGRAMME:
        ids: Iterable[str] = (programme.id,)
    elif kind in (AudienceKind.COHORT, AudienceKind.SENIOR_LEADERS):
        ids = [c.id for c in programme.cohorts]
    else:
        roster = require_roster(
            programme.roster, f"filtering events for {kind.article} {kind.noun}"
        )
        by_kind = {
            AudienceKind.TEAM: [team.id for team in roster.teams],
            AudienceKind.PERSON: [person.id for person in roster.people],
            AudienceKind.STAFF: [member.id for member in roster.staff],
        }
        ids = by_kind.get(kind) or [group.id for group in roster.groups if group.kind is kind]
    ids = list(ids)
    if target.key not in ids:
        raise unknown_name(
            f"target {kind.value}", f"{kind.article} {kind.noun} of the programme", target.key, ids
        )


def _audience(
    programme: Programme, team: str | None, person: str | None
) -> frozenset[Target] | None:
    if team is None and person is None:
        return None
    roster = require_roster(programme.roster, "filtering events by team or person")
    programme_wide = Target(kind=AudienceKind.PROGRAMME, key=programme.id)
    sets = []
    if team is not None:
        try:
            sets.append(roster.targets_of_team(team) | {programme_wide})
        except KeyError:
            ids = [t.id for t in roster.teams]
            raise unknown_name("team", "a team of the roster", team, ids) from None
    if person is not None:
        try:
            sets.append(roster.targets_of_person(person) | {programme_wide})
        except KeyError:
            ids = [p.id for p in roster.people]
            raise unknown_name("person", "a person of the roster", person, ids) from None
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
    :attr:`Event.sort_key <pe_schedule.Event.sort_key>`.

    Args:
        programme: the programme, with its roster for the team and person filters.
        cohort: only events of this cohort, those it shares with other cohorts
            included (programme-wide events have none).
        team: only events for this team: its cohort's, its own, its coaching
            group's and the programme's.
        person: only events for this person: their team's, their affinity
            group's and, for senior leaders and alternates, the leaders'.
        target: only events addressed exactly to this audience (a group is
            named as a target of its kind, such as ``coaching-group:ln-west-1``).
        activity: only events of this activity id (of any cohort) or
            ``[[events]]`` id.
        start: only events that touch this day or a later one (in their own zone).
        end: only events that touch this day or an earlier one.

    Raises:
        UnknownNameError: if a filter names a cohort, activity, team, person or
            group (as a target) the programme or its roster does not have; its
            message lists the names there are, with the closest one. A name
            that exists but has no events (an activity with no timing yet)
            gives no events, not an error.
        PeScheduleError: if ``team``, ``person`` or a target that only a roster
            knows is given for a programme without a roster.
    """
    if cohort is not None:
        _check_cohort(programme, cohort)
    if activity is not None:
        _check_activity(programme, activity)
    if target is not None:
        _check_target(programme, target)
    mine = _audience(programme, team, person)
    of_cohort = None if cohort is None else Target(kind=AudienceKind.COHORT, key=cohort)

    def wanted(event: Event) -> bool:
        days = event.span.days
        return (
            (of_cohort is None or event.cohort == cohort or of_cohort in event.target.audiences)
            and (mine is None or not mine.isdisjoint(event.target.audiences))
            and (target is None or event.target == target)
            and (activity is None or event.activity == activity)
            and (start is None or days[-1] >= start)
            and (end is None or days[0] <= end)
        )

    chosen = [o.event for o in plan(programme) if o.event is not None and wanted(o.event)]
    return tuple(sorted(chosen, key=lambda event: event.sort_key))


__all__ = [
    "SHOWN_CHOICES",
    "UID_DOMAIN",
    "Missing",
    "Occurrence",
    "activity_ids",
    "events",
    "led_by",
    "plan",
    "revised",
    "uid",
    "unknown_name",
]
