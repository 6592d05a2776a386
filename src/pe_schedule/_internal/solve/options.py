"""Where an open slot would land: each option's dated meetings, placed as expansion places them.

An option is one (day, start) pair of a timing's choices. Which dates and
instants it gives depends on everything the schedule layer knows: the day
rule, the holiday policy (``shift`` moves a meeting a week on), per-month
overrides (moved, retimed, cancelled) and the wall clock across DST. Rather
than re-implement any of that, :func:`place` expands a one-activity copy of
the programme with the option as its timing, and reads the meetings back; the
calendar-sanity check of that copy says why an option cannot be used at all
(a fifth Tuesday some month lacks, a holiday the policy flags, a start that
does not exist on a DST day).
"""

from __future__ import annotations

import datetime as dt

import attrs

from pe_schedule._internal.model.activity import Activity
from pe_schedule._internal.model.audience import AudienceKind
from pe_schedule._internal.model.event import Status, Timed
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.programme import Cohort, Programme
from pe_schedule._internal.model.timing import DayRule, Timing, format_time
from pe_schedule._internal.model.zones import Zone
from pe_schedule._internal.schedule.expand import plan
from pe_schedule._internal.schedule.sanity import sanity_problems

#: The calendar-sanity problems that rule an option out (its overlaps are the solver's own).
_UNUSABLE = frozenset(
    {"missing-day", "nonexistent-time", "ambiguous-time", "outside-month", "holiday"}
)


@attrs.frozen(kw_only=True)
class Option:
    """One slot a session may take: a day rule and a start time, the same every month.

    >>> from pe_schedule._internal.model.timing import NthWeekday
    >>> str(Option(day=NthWeekday.parse("second Tuesday"), start=dt.time(14)))
    'second Tuesday 14:00'
    """

    day: DayRule
    start: dt.time

    def __str__(self) -> str:
        return f"{self.day} {format_time(self.start)}"


def _minutes(moment: dt.datetime) -> int:
    """Whole minutes since the Unix epoch: one integer time line for every zone."""
    return int(moment.timestamp()) // 60


@attrs.frozen(kw_only=True)
class Meeting:
    """One dated, timed meeting of an option: a month's occurrence (or one day of it)."""

    month: YearMonth
    #: Aware, on the activity's wall clock.
    start: dt.datetime
    end: dt.datetime
    #: Held in person: at a venue the attendees travel to, on the venue's hours.
    in_person: bool = False
    #: ``start`` and ``end`` as minutes since the epoch, for interval arithmetic.
    first: int = attrs.field(init=False)
    last: int = attrs.field(init=False)

    @first.default
    def _first(self) -> int:
        return _minutes(self.start)

    @last.default
    def _last(self) -> int:
        return _minutes(self.end)

    def overlaps(self, first: int, last: int) -> bool:
        """Whether the meeting overlaps the span from minute ``first`` to ``last``."""
        return self.first < last and first < self.last


@attrs.frozen(kw_only=True)
class Placement:
    """Where one option lands for one session: its meetings, or why it cannot be used."""

    option: Option
    zone: Zone
    meetings: tuple[Meeting, ...]
    #: Why the option cannot be used at all, whoever attends; empty when it can.
    problems: tuple[str, ...] = ()


def fixed_option(timing: Timing, session: str | None) -> Option | None:
    """The slot the declaration itself gives a session, or ``None`` if it is all-day."""
    slot_day, start = timing.day, timing.start
    own = timing.session(session) if session is not None else None
    if own is not None:
        slot_day = own.day if own.day is not None else slot_day
        start = own.start if own.start is not None else start
    return None if start is None else Option(day=slot_day, start=start)


def decided_by_hand(timing: Timing, session: str | None) -> bool:
    """Whether the declaration fixes the session's day or start itself (not a choice)."""
    own = timing.session(session) if session is not None else None
    return own is not None and (own.day is not None or own.start is not None)


def _alone(timing: Timing, option: Option, session: str | None) -> Timing:
    """``timing`` with ``option`` as its slot and ``session``'s own changes made general."""
    own = timing.session(session) if session is not None else None
    # Overrides for every session first, then the session's own: the order Timing.slot
    # applies them in, so the session's own still win.
    overrides = [o for o in timing.overrides if o.session is None]
    if session is not None:
        overrides += [
            attrs.evolve(o, session=None) for o in timing.overrides if o.session == session
        ]
    return attrs.evolve(
        timing,
        day=option.day,
        start=option.start,
        duration=own.duration if own is not None and own.duration else timing.duration,
        timezone=own.timezone if own is not None and own.timezone else timing.timezone,
        sessions=(),
        overrides=tuple(overrides),
        choices=None,
    )


def place(
    programme: Programme, cohort: Cohort, activity: Activity, option: Option, session: str | None
) -> Placement:
    """Where ``option`` puts session ``session`` of ``activity`` in each of its months."""
    timing = activity.timing
    if timing is None:
        raise ValueError(f"activity {activity.id!r} has no timing to place")
    alone = _alone(timing, option, session)
    solo = attrs.evolve(activity, audience=AudienceKind.COHORT, grouping=None, timing=alone)
    copy = attrs.evolve(
        programme,
        cohorts=(attrs.evolve(cohort, activities=(solo,), rules=()),),
        events=(),
        roster=None,
    )
    meetings = []
    for occurrence in plan(copy):
        event = occurrence.event
        if event is None or event.status is Status.CANCELLED or not event.busy:
            continue
        if isinstance(event.span, Timed) and occurrence.month is not None:
            span = event.span
            meetings.append(
                Meeting(
                    month=occurrence.month,
                    start=span.start,
                    end=span.end,
                    in_person=event.in_person,
                )
            )
    problems = tuple(
        f"on {p.date.isoformat()}, {p.problem}" if p.date is not None else p.problem
        for p in sanity_problems(copy)
        if p.kind.value in _UNUSABLE
    )
    zone = alone.timezone or programme.timezone
    return Placement(option=option, zone=zone, meetings=tuple(meetings), problems=problems)


__all__ = ["Meeting", "Option", "Placement", "decided_by_hand", "fixed_option", "place"]
