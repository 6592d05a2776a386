"""Calendar sanity: dated events that a person should look at before publishing.

:func:`sanity_problems` reads how each occurrence was placed
(:func:`pe_schedule.expand.plan`) and reports, all at once:

- an nth weekday that a month does not have ("fifth Monday" in February);
- a start time that does not exist or is ambiguous in its zone because of a
  DST change;
- an event outside the month the grid declares it for;
- two events that overlap for the same audience (anyone who would be sent both);
- an event on a holiday of the programme's calendar (US federal unless it
  names another) or a declared blackout date, unless its activity accepts
  holidays or shifts off them successfully (a weekly meeting may skip them);
- an activity that fans out per team or group in a programme without a roster,
  and a session slot for an audience the roster does not have;
- a busy, timed session outside the working day of a team it is for or of a
  staff member who leads it, on its actual date in their own zone (see
  :mod:`.working_hours`; sessions held in person are not measured);
- a decision the scheduler has not made yet: a timing with ``choices`` no
  solved schedule settled, or coaching groups still to be formed.

Cancelled events and events that do not block time are never in the way of
another; a timed event is not compared with an all-day one (an all-day event
marks the day, it does not claim its hours).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from pe_schedule._internal.model.activity import Activity
from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.availability import weekday_names
from pe_schedule._internal.model.event import Event, Status, Timed
from pe_schedule._internal.model.holidays import HolidayCalendar
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.model.timing import HolidayPolicy, format_time
from pe_schedule._internal.schedule.clock import WallClock, wall_clock
from pe_schedule._internal.schedule.expand import Missing, Occurrence, plan
from pe_schedule._internal.schedule.fan_out import recipients
from pe_schedule._internal.schedule.holidays import holiday
from pe_schedule._internal.schedule.working_hours import (
    OutOfHours,
    Reason,
    WorkingHoursReport,
    ZoneHours,
    clock,
    out_of_hours,
)
from pe_schedule._internal.schedule.working_hours import (
    working_hours_report as _report_of_roster,
)


class SanityKind(enum.Enum):
    """What is wrong with a dated event."""

    MISSING_DAY = "missing-day"
    NONEXISTENT_TIME = "nonexistent-time"
    AMBIGUOUS_TIME = "ambiguous-time"
    OUTSIDE_MONTH = "outside-month"
    OVERLAP = "overlap"
    HOLIDAY = "holiday"
    NO_ROSTER = "no-roster"
    UNKNOWN_SESSION = "unknown-session"
    WORKING_HOURS = "working-hours"
    UNSOLVED = "unsolved"


@attrs.frozen(kw_only=True, order=True)
class SanityProblem:
    """One thing wrong with a dated event, and what to change.

    It has the shape of a rule violation (``rule``, ``cohort``, ``activity``,
    ``month``, ``message``), so ``pe-schedule check`` prints both alike.

    >>> found = SanityProblem(kind=SanityKind.HOLIDAY, uid="p/c/a/cohort/2023-07@pe-schedule",
    ...     date=dt.date(2023, 7, 4), cohort="c", activity="a", month=YearMonth(2023, 7),
    ...     problem="A falls on Independence Day", change="move it")
    >>> print(found)
    2023-07-04 p/c/a/cohort/2023-07@pe-schedule: A falls on Independence Day; change: move it
    >>> found.rule, found.message
    ('holiday', 'On 2023-07-04, A falls on Independence Day. Change: move it. [event p/c/a/cohort/2023-07@pe-schedule]')
    """

    #: Problems sort by date (undated first), then uid.
    date: dt.date | None = attrs.field(order=lambda day: day or dt.date.min)
    uid: str
    kind: SanityKind = attrs.field(order=lambda kind: kind.value)
    #: The cohort, or the programme id for a programme-wide event.
    cohort: str = attrs.field(order=False)
    activity: str = attrs.field(order=False)
    #: The grid month the event stands for, if it stands for one.
    month: YearMonth | None = attrs.field(order=False)
    #: What is wrong.
    problem: str
    #: What to change.
    change: str
    #: Who the event is for, when the problem is about one event.
    target: Target | None = attrs.field(default=None, order=False)

    @property
    def rule(self) -> str:
        """The kind of problem, as ``check`` names it."""
        return self.kind.value

    @property
    def message(self) -> str:
        """The whole story in one sentence: when, what is wrong, what to change, which event."""
        when = f"On {self.date.isoformat()}, " if self.date else ""
        return f"{when}{self.problem}. Change: {self.change}. [event {self.uid}]"

    def __str__(self) -> str:
        when = f"{self.date.isoformat()} " if self.date else ""
        return f"{when}{self.uid}: {self.problem}; change: {self.change}"


@attrs.frozen
class SanityGroup:
    """Sanity problems that differ only in whom they concern, as people read them.

    A weekly team meeting on a holiday is one :class:`SanityProblem` per team
    (each event is its own, with its own uid), but one thing to change:
    :func:`pe_schedule.check` returns the group as one finding, and
    ``pe-schedule check`` prints it as one line naming the teams. It has the
    shape of a rule violation, like a single problem; ``problems`` holds each.

    >>> day, alike = dt.date(2023, 7, 4), dict(kind=SanityKind.HOLIDAY, cohort="c",
    ...     activity="m", month=None, problem="M falls on Independence Day", change="move it")
    >>> found = [SanityProblem(uid=f"p/c/m/team-{t}/2023-W27@pe-schedule", date=day,
    ...          target=Target(kind=AudienceKind.TEAM, key=t), **alike) for t in ("t1", "t2")]
    >>> (group,) = grouped(found)
    >>> isinstance(group, SanityGroup), len(group.problems)
    (True, 2)
    >>> print(group.message)
    On 2023-07-04, M falls on Independence Day. Change: move it. [2 events, for teams t1, t2]
    """

    #: The problems, in the order :func:`sanity_problems` gives them; at least one.
    problems: tuple[SanityProblem, ...]

    @property
    def first(self) -> SanityProblem:
        """The first problem: what every problem of the group says alike."""
        return self.problems[0]

    @property
    def rule(self) -> str:
        """The kind of problem, as ``check`` names it."""
        return self.first.rule

    @property
    def cohort(self) -> str:
        """The cohort, or the programme id for a programme-wide event."""
        return self.first.cohort

    @property
    def activity(self) -> str:
        """The activity or event id."""
        return self.first.activity

    @property
    def month(self) -> YearMonth | None:
        """The grid month the events stand for, if they stand for one."""
        return self.first.month

    @property
    def date(self) -> dt.date | None:
        """The day of the problem, if it has one."""
        return self.first.date

    @property
    def message(self) -> str:
        """One problem's own message; for several, the shared story and whom it concerns."""
        if len(self.problems) == 1:
            return self.first.message
        first = self.first
        when = f"On {first.date.isoformat()}, " if first.date else ""
        whom = _whom([p.target for p in self.problems if p.target is not None])
        return (
            f"{when}{first.problem}. Change: {first.change}. "
            f"[{len(self.problems)} events{', for ' + whom if whom else ''}]"
        )


def _whom(targets: Iterable[Target]) -> str:
    """``teams ac-01, ac-02 and coaching group g1``: the audiences, by kind, in order."""
    keys: dict[AudienceKind, list[str]] = {}
    for target in sorted(set(targets), key=lambda t: (t.kind.rank, t.key)):
        keys.setdefault(target.kind, []).append(target.key)
    parts = [
        f"{kind.noun} {ids[0]}" if len(ids) == 1 else f"{kind.title.lower()} {', '.join(ids)}"
        for kind, ids in keys.items()
    ]
    return " and ".join(parts)


def grouped(problems: Iterable[SanityProblem]) -> tuple[SanityProblem | SanityGroup, ...]:
    """``problems`` gathered by kind, date, cohort, activity, month, problem and change,
    in the order each gathering's first problem comes: a problem alike with no other
    as itself, several alike as one :class:`SanityGroup`.

    Problems alike in all of these differ only in the audience (and so the event)
    they concern: the same mistake, hitting many teams.
    """
    groups: dict[tuple[object, ...], list[SanityProblem]] = {}
    for problem in problems:
        key = (
            problem.kind,
            problem.date,
            problem.cohort,
            problem.activity,
            problem.month,
            problem.problem,
            problem.change,
        )
        groups.setdefault(key, []).append(problem)
    return tuple(
        alike[0] if len(alike) == 1 else SanityGroup(tuple(alike)) for alike in groups.values()
    )


def grouped_sanity_problems(programme: Programme) -> tuple[SanityProblem | SanityGroup, ...]:
    """The programme's calendar-sanity problems as people read them: :func:`sanity_problems`
    with those alike but for whom they concern gathered (see :func:`grouped`)."""
    return grouped(sanity_problems(programme))


def _subject(occurrence: Occurrence) -> dict[str, Any]:
    """Which cohort, activity, month and audience a problem of ``occurrence`` is about."""
    return {
        "cohort": occurrence.cohort or "",
        "activity": occurrence.activity,
        "month": occurrence.month,
        "target": occurrence.target,
    }


def _where(occurrence: Occurrence) -> str:
    cohort = f"{occurrence.cohort}/" if occurrence.cohort else ""
    return f"{cohort}{occurrence.activity}"


def _missing(occurrence: Occurrence) -> Iterator[SanityProblem]:
    if occurrence.missing is Missing.DAY and occurrence.month is not None:
        yield SanityProblem(
            kind=SanityKind.MISSING_DAY,
            uid=occurrence.uid,
            **_subject(occurrence),
            date=None,
            problem=(
                f"{occurrence.name} is due on the {occurrence.rule} of "
                f"{occurrence.month.label}, which has no such day"
            ),
            change=(
                f"choose a day every month has (first to fourth, or last), or add an override "
                f"for {occurrence.month} in the timing of {_where(occurrence)}"
            ),
        )
    if occurrence.missing is Missing.ROSTER:
        yield SanityProblem(
            kind=SanityKind.NO_ROSTER,
            uid=occurrence.uid,
            **_subject(occurrence),
            date=None,
            problem=(
                f"{occurrence.name} meets per {occurrence.target.key}, but the programme has no "
                "roster to say who is in which"
            ),
            change="declare roster = '<file>.roster.toml' under [programme]",
        )


def _clock(occurrence: Occurrence) -> Iterator[SanityProblem]:
    local, zone, event = occurrence.local_start, occurrence.zone, occurrence.event
    if local is None or zone is None or event is None:
        return
    found = wall_clock(local, zone)
    if found is None:
        return
    at = format_time(local.time())
    if found is WallClock.NONEXISTENT and isinstance(event.span, Timed):
        yield SanityProblem(
            kind=SanityKind.NONEXISTENT_TIME,
            uid=occurrence.uid,
            **_subject(occurrence),
            date=local.date(),
            problem=(
                f"{at} does not exist in {zone} on {local.date().isoformat()} (clocks go "
                f"forward); the event would start at {format_time(event.span.local_start.time())}"
            ),
            change="choose a start time outside the DST change, or another day",
        )
    elif found is WallClock.AMBIGUOUS:
        yield SanityProblem(
            kind=SanityKind.AMBIGUOUS_TIME,
            uid=occurrence.uid,
            **_subject(occurrence),
            date=local.date(),
            problem=(
                f"{at} happens twice in {zone} on {local.date().isoformat()} (clocks go back); "
                "the event takes the first"
            ),
            change="choose a start time outside the DST change, or another day",
        )


def _outside(occurrence: Occurrence) -> Iterator[SanityProblem]:
    event, month = occurrence.event, occurrence.month
    if event is None or month is None:
        return
    stray = [day for day in event.span.days if day not in month]
    if stray:
        yield SanityProblem(
            kind=SanityKind.OUTSIDE_MONTH,
            uid=occurrence.uid,
            **_subject(occurrence),
            date=stray[0],
            problem=(
                f"{occurrence.name} stands for {month.label} in the grid but falls on "
                f"{stray[0].isoformat()}"
            ),
            change=(
                f"keep the occurrence inside {month.label}: pick another day or a shorter span, "
                f"or move the month in the grid"
            ),
        )


def _holiday(occurrence: Occurrence, calendar: HolidayCalendar) -> Iterator[SanityProblem]:
    event = occurrence.event
    if event is None or event.status is Status.CANCELLED:
        return
    if occurrence.holiday_policy is HolidayPolicy.ACCEPT:
        return
    for day in event.span.days:
        name = holiday(calendar, day)
        if name is None:
            continue
        if occurrence.month is None:  # a weekly meeting: it has no month to shift in
            message = f"{occurrence.name} falls on {name}"
            change = "set weekly.holidays = 'skip' (or 'accept'), or add the date to weekly.skip"
        elif occurrence.unshiftable:
            message = (
                f"{occurrence.name} falls on {name}, and no later {occurrence.rule} in "
                f"{day.strftime('%B %Y')} is free to shift to"
            )
            change = "choose another day in the timing, or set timing.holidays = 'accept'"
        else:
            message = f"{occurrence.name} falls on {name}"
            change = (
                "move it (an override), or set timing.holidays to 'shift' (next suitable "
                "date in the month) or 'accept'"
            )
        yield SanityProblem(
            kind=SanityKind.HOLIDAY,
            uid=occurrence.uid,
            **_subject(occurrence),
            date=day,
            problem=message,
            change=change,
        )
        return


def _unknown_sessions(programme: Programme) -> Iterator[SanityProblem]:
    """Session slots whose key names no audience the activity fans out to."""
    if programme.roster is None:
        return
    for cohort in programme.cohorts:
        for activity in cohort.activities:
            if activity.timing is None or not activity.timing.sessions:
                continue
            fan = recipients(programme, cohort.id, activity.audience) or ()
            keys = {who.session for who in fan if who.session is not None}
            for session in activity.timing.sessions:
                if session.key not in keys:
                    yield SanityProblem(
                        kind=SanityKind.UNKNOWN_SESSION,
                        uid=f"{programme.id}/{cohort.id}/{activity.id}",
                        cohort=cohort.id,
                        activity=activity.id,
                        month=None,
                        date=None,
                        problem=(
                            f"timing.sessions names {session.key!r}, which is not a "
                            f"{activity.audience.value} of {cohort.name} in the roster"
                        ),
                        change=f"use one of {sorted(keys)}" if keys else "remove the session",
                    )


def _audiences(programme: Programme, events: Iterable[Event]) -> list[frozenset[Target]]:
    """Each distinct set of audiences someone belongs to."""
    roster = programme.roster
    everyone = Target(kind=AudienceKind.PROGRAMME, key=programme.id)
    sets: set[frozenset[Target]] = set()
    if roster is not None:
        sets |= {roster.targets_of_person(person.id) | {everyone} for person in roster.people}
        sets |= {roster.targets_of_team(team.id) | {everyone} for team in roster.teams}
    # Audiences the roster does not cover (or all, without a roster) stand alone,
    # with what the whole programme and their cohort are sent.
    covered = set().union(*sets) if sets else set()
    for event in events:
        if covered.isdisjoint(event.target.audiences):
            alone = {*event.target.audiences, everyone}
            if event.cohort is not None:
                alone.add(Target(kind=AudienceKind.COHORT, key=event.cohort))
            sets.add(frozenset(alone))
    return sorted(sets, key=lambda targets: sorted(str(t) for t in targets))


def _interval(event: Event) -> tuple[str, str]:
    """Comparable start and end of an event, timed in UTC, all-day as dates."""
    span = event.span
    if isinstance(span, Timed):
        return span.start.astimezone(dt.UTC).isoformat(), span.end.astimezone(dt.UTC).isoformat()
    return str(span.start), str(span.end)


def _overlaps(programme: Programme, events: tuple[Event, ...]) -> Iterator[SanityProblem]:
    active = [event for event in events if event.busy and event.status is not Status.CANCELLED]
    # Each audience's events come from an index by target, not a scan of every event:
    # a scan per audience made a 100,000-person roster's check quadratic. The position
    # in ``active`` breaks ties as the scan's stable sort did.
    by_target: dict[Target, list[tuple[int, Event]]] = {}
    for position, event in enumerate(active):
        for target in event.target.audiences:
            by_target.setdefault(target, []).append((position, event))
    # Each event's interval once: an event is compared in every audience it is part of.
    interval = [_interval(event) for event in active]
    reported: set[tuple[str, str]] = set()
    for targets in _audiences(programme, active):
        for all_day in (False, True):
            # A shared event may be filed under two of the targets: once each.
            chosen = list(
                dict.fromkeys(
                    position
                    for target in targets
                    for position, e in by_target.get(target, ())
                    if e.all_day is all_day
                )
            )
            chosen.sort(key=lambda position: (interval[position], position))
            open_positions: list[int] = []
            for position in chosen:
                event = active[position]
                start = interval[position][0]
                open_positions = [p for p in open_positions if interval[p][1] > start]
                for earlier in (active[p] for p in open_positions):
                    pair = (earlier.uid, event.uid)
                    if pair in reported:
                        continue
                    reported.add(pair)
                    who = ", ".join(
                        sorted(
                            str(t)
                            for t in targets & (earlier.target.audiences | event.target.audiences)
                        )
                    )
                    yield SanityProblem(
                        kind=SanityKind.OVERLAP,
                        uid=event.uid,
                        target=event.target,
                        cohort=event.cohort or "",
                        activity=event.activity,
                        month=event.month,
                        date=event.span.days[0],
                        problem=(
                            f"{event.summary} overlaps {earlier.summary} ({earlier.uid}) "
                            f"for the same audience ({who})"
                        ),
                        change="move one of them to another time or day",
                    )
                open_positions.append(position)


def _working_hours(programme: Programme, events: Iterable[Event]) -> Iterator[SanityProblem]:
    """A problem per session and team (or leader) whose working day it falls outside."""
    if programme.roster is None:
        return
    for found in out_of_hours(programme.roster, events):
        event = found.event
        yield SanityProblem(
            kind=SanityKind.WORKING_HOURS,
            uid=event.uid,
            target=event.target,
            cohort=event.cohort or "",
            activity=event.activity,
            month=event.month,
            date=found.local_start.date(),
            problem=_out_of_hours_problem(found),
            change=_out_of_hours_change(found),
        )


def _out_of_hours_problem(found: OutOfHours) -> str:
    """``All-Team Calls is 07:00-09:00 for team ln-33 (Pacific/Honolulu), outside …``.

    The date is the problem's own (the attendee's local date), which every
    message of a problem starts with.
    """
    first, last = found.local_start, found.local_end
    end = (last.date() - first.date()).days * 24 * 60 + last.hour * 60 + last.minute
    availability = found.who.availability
    its = "its" if found.who.is_team else "their"
    if found.reason is Reason.AWAY:
        why = "a day the team is away" if found.who.is_team else "one of their blackout dates"
    elif found.reason is Reason.DAY_OFF:
        why = f"a {weekday_names(frozenset({first.weekday()}))}, not one of {its} working days"
    else:
        why = f"outside {its} working hours {availability.hours}"
    return (
        f"{found.event.summary} is {clock(first.hour * 60 + first.minute)}-{clock(end)} for {found.who} "
        f"({availability.zone}), {why}"
    )


def _out_of_hours_change(found: OutOfHours) -> str:
    who = found.who
    owner = f"team {who.id}'s" if who.is_team else f"{who.id}'s"
    other = "" if who.is_team else f", give it to another {who.kind}"
    if found.reason is Reason.AWAY:
        listed = "unavailable" if who.is_team else "blackout"
        day = found.local_start.date().isoformat()
        return f"move the session to another day{other}, or take {day} out of {owner} {listed}"
    if found.reason is Reason.DAY_OFF:
        weekday = weekday_names(frozenset({found.local_start.weekday()}))
        days = "the roster's working_days" if who.is_team else f"{owner} working_days"
        return f"move the session to a working day{other}, or add {weekday} to {days}"
    return (
        f"move the session to a time inside everyone's working hours{other}, "
        f"or widen {owner} working_hours in the roster"
    )


def _unsolved(programme: Programme) -> Iterator[SanityProblem]:
    """An activity whose slots or coaching groups a solve has still to decide."""
    for cohort in programme.cohorts:
        for activity in cohort.activities:
            open_parts = _undecided(programme, cohort.id, activity)
            if not open_parts:
                continue
            solve = f"pe-schedule solve {programme.source or 'FILE'}"
            yield SanityProblem(
                kind=SanityKind.UNSOLVED,
                uid=f"{programme.id}/{cohort.id}/{activity.id}",
                cohort=cohort.id,
                activity=activity.id,
                month=None,
                date=None,
                problem=f"{activity.name} is not decided yet: {'; '.join(open_parts)}",
                change=f"run `{solve}`, which decides them and writes the solved schedule",
            )


def _undecided(programme: Programme, cohort: str, activity: Activity) -> list[str]:
    """What is still open about ``activity``, in words (empty when all is decided)."""
    found: list[str] = []
    timing, roster = activity.timing, programme.roster
    grouping = activity.grouping
    if grouping is not None and activity.audience is AudienceKind.COACHING_GROUP and roster:
        loose = [t.id for t in roster.teams_of(cohort) if t.coaching_group is None]
        if loose:
            found.append(f"{_count(loose, 'team')} without a coaching group ({_few(loose)})")
    if timing is None or timing.choices is None:
        return found
    fan = recipients(programme, cohort, activity.audience) or ()
    sessions = [who.session for who in fan if who.session is not None]
    if not sessions:
        found.append("its day and start time are still choices")
        return found
    # A session is decided when its own slot names a day or a start (a solve writes both).
    decided = {s.key for s in timing.sessions if s.day is not None or s.start is not None}
    open_sessions = [key for key in sessions if key not in decided]
    if open_sessions:
        found.append(f"{_count(open_sessions, 'session')} without a slot ({_few(open_sessions)})")
    return found


def _count(items: list[str], noun: str) -> str:
    return f"{len(items)} {noun}" if len(items) == 1 else f"{len(items)} {noun}s"


def _few(items: list[str], shown: int = 5) -> str:
    """The first few of ``items``, and how many more."""
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def working_hours_report(
    programme: Programme, events: Iterable[Event] | None = None
) -> WorkingHoursReport | None:
    """The working-hours check's figures per team zone, or ``None`` without a roster.

    Args:
        programme: The programme, with its roster.
        events: Its events; when omitted, every event the programme expands to.
    """
    if programme.roster is None:
        return None
    chosen = events if events is not None else (o.event for o in plan(programme) if o.event)
    return _report_of_roster(programme.roster, chosen)


def sanity_problems(programme: Programme) -> tuple[SanityProblem, ...]:
    """Every calendar-sanity problem of the programme's dated events, sorted.

    Returns:
        The problems, by date (undated first) then uid; empty when all is well.
    """
    occurrences = plan(programme)
    found: list[SanityProblem] = [*_unknown_sessions(programme), *_unsolved(programme)]
    for occurrence in occurrences:
        found += _missing(occurrence)
        found += _clock(occurrence)
        found += _outside(occurrence)
        found += _holiday(occurrence, programme.holidays)
    dated = tuple(o.event for o in occurrences if o.event is not None)
    found += _overlaps(programme, dated)
    found += _working_hours(programme, dated)
    # Programme-wide events belong to no cohort: name the programme instead.
    found = [p if p.cohort else attrs.evolve(p, cohort=programme.id) for p in found]
    return tuple(sorted(set(found)))


__all__ = [
    "SanityGroup",
    "SanityKind",
    "SanityProblem",
    "WorkingHoursReport",
    "ZoneHours",
    "grouped",
    "grouped_sanity_problems",
    "sanity_problems",
    "working_hours_report",
]
