"""What a solve decides and what holds it in: sessions, their options, who attends, what is busy.

:class:`Facts` is built from a programme (with any coaching groups already
formed) in plain Python; the solver, :func:`~.verify.verify`, the explanations
and the solved file's comments all read the same facts, so they agree on what
"fits" means:

- a :class:`Unit` is one session whose slot or coach a solve decides: each
  session of an activity whose timing has ``choices``, whose coaching groups
  are formed (``grouping``) or whose sessions staff lead;
- an option fits a team or staff member when every one of its meetings, on
  its actual date, lies inside their working day
  (:meth:`Availability.conflict <pe_schedule._internal.model.availability.Availability.conflict>`);
  a meeting held in person keeps its venue's hours instead, as the
  working-hours check reads it;
- an option is blocked for a session when a meeting overlaps a busy, timed
  event the declaration fixes for anyone the session is for (fixed
  activities, one-off events, weekly meetings), with "anyone" read as the
  calendar-sanity check reads it: the sets of audiences one person or team
  belongs to.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable, Iterator

import attrs

from pe_schedule._internal.model.activity import Activity
from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.availability import Availability
from pe_schedule._internal.model.event import Event, Status, Timed
from pe_schedule._internal.model.programme import Cohort, Programme
from pe_schedule._internal.model.roster import Roster, Staff
from pe_schedule._internal.model.solved import activity_ref
from pe_schedule._internal.model.zones import Zone
from pe_schedule._internal.schedule.expand import plan
from pe_schedule._internal.schedule.fan_out import recipients
from pe_schedule._internal.solve.options import (
    Meeting,
    Option,
    Placement,
    decided_by_hand,
    fixed_option,
    place,
)


@attrs.frozen(kw_only=True)
class Unit:
    """One session a solve decides: its slot (from the choices) and its coach."""

    #: The activity as ``cohort/activity``.
    ref: str
    cohort: str
    activity: str
    #: The activity's name, for messages.
    name: str
    #: The group or team id; ``None`` for a cohort-wide session.
    session: str | None
    target: Target
    #: The teams the session is for, in roster order.
    teams: tuple[str, ...]
    #: The slots it may take: the timing's choices, or the one slot the declaration fixes.
    options: tuple[Option, ...]
    #: Whether the solve picks the slot (the timing has choices the declaration left open).
    open: bool
    #: Whether staff lead the activity, so the session needs a coach.
    led: bool
    #: Who may lead it, in roster order.
    leaders: tuple[str, ...] = ()
    #: Who has it assigned for good (``Staff.assigned``).
    assigned: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        """What the decision is about, as :attr:`SolvedSession.key` names it."""
        return (self.ref, self.session or "")

    @property
    def decides(self) -> bool:
        """Whether a solved schedule records a decision for it (a slot or a coach)."""
        return self.open or self.led

    @property
    def label(self) -> str:
        """The session as a programme manager names it: ``group-coaching for ln-coaching-3``."""
        who = self.session if self.session is not None else f"the whole {self.target.kind.noun}"
        return f"{self.ref} for {who}"


def led_activities(roster: Roster) -> frozenset[str]:
    """Every activity (``cohort/activity``) some staff member leads."""
    return frozenset(ref for member in roster.staff for ref in member.leads)


def decided(roster: Roster, cohort: Cohort, activity: Activity) -> bool:
    """Whether a solve decides something about ``activity``: its groups, slots or coaches."""
    timing = activity.timing
    if timing is None or timing.start is None:
        return False
    led = activity_ref(cohort.id, activity.id) in led_activities(roster)
    return timing.choices is not None or activity.grouping is not None or led


@attrs.frozen(kw_only=True)
class Busy:
    """One busy, timed event the declaration fixes: in the way of any session at that time."""

    first: int
    last: int
    event: Event

    def __str__(self) -> str:
        span = self.event.span
        assert isinstance(span, Timed)
        start = span.local_start
        return f"{self.event.summary} ({start:%Y-%m-%d %H:%M} {span.zone})"


class _Timeline:
    """Busy spans sorted by start, answering "what overlaps this?" in logarithmic time."""

    def __init__(self, spans: Iterable[Busy]) -> None:
        self.spans = sorted(spans, key=lambda busy: (busy.first, busy.last, busy.event.uid))
        self.firsts = [busy.first for busy in self.spans]
        self.reach: list[int] = []
        for busy in self.spans:
            self.reach.append(max(busy.last, self.reach[-1] if self.reach else busy.last))

    def overlap(self, meeting: Meeting) -> Busy | None:
        """The latest-starting busy span that overlaps ``meeting``, if any."""
        return next(iter(self.overlapping(meeting)), None)

    def overlapping(self, meeting: Meeting) -> list[Busy]:
        """Every busy span that overlaps ``meeting``, latest start first."""
        found = []
        # Spans starting before the meeting ends, walked back while any of them
        # (``reach``: the latest end so far) still ends after the meeting starts.
        position = bisect.bisect_left(self.firsts, meeting.last) - 1
        while position >= 0 and self.reach[position] > meeting.first:
            if self.spans[position].last > meeting.first:
                found.append(self.spans[position])
            position -= 1
        return found


class Facts:
    """Everything a solve of ``programme`` decides and everything that constrains it."""

    def __init__(self, programme: Programme) -> None:
        if programme.roster is None:
            raise ValueError("a solve needs a roster")
        self.programme = programme
        self.roster: Roster = programme.roster
        self.activities: dict[str, tuple[Cohort, Activity]] = {
            activity_ref(c.id, a.id): (c, a)
            for c in programme.cohorts
            for a in c.activities
            if decided(self.roster, c, a)
        }
        self.units: tuple[Unit, ...] = tuple(self._units())
        self._placements: dict[tuple[str, str | None, Option], Placement] = {}
        self._fits: dict[tuple[Availability, str, str | None, Option], str | None] = {}
        self._days: dict[tuple[Zone, str, str | None, Option], tuple[dt.date, ...]] = {}
        self._comfort: dict[tuple[Availability, str, str | None, Option], int] = {}
        self._edge: dict[tuple[Availability, str, str | None, Option], bool] = {}
        self._timelines: dict[Target, _Timeline] = {}

    # -- the sessions to decide ----------------------------------------------------------------

    def _units(self) -> Iterator[Unit]:
        led = led_activities(self.roster)
        for ref, (cohort, activity) in self.activities.items():
            timing = activity.timing
            assert timing is not None
            for who in recipients(self.programme, cohort.id, activity.audience) or ():
                session = who.session
                fixed = timing.choices is None or decided_by_hand(timing, session)
                options: tuple[Option, ...]
                if fixed:
                    option = fixed_option(timing, session)
                    options = () if option is None else (option,)
                else:
                    assert timing.choices is not None
                    options = tuple(Option(day=d, start=s) for d, s in timing.choices.slots())
                yield Unit(
                    ref=ref,
                    cohort=cohort.id,
                    activity=activity.id,
                    name=activity.name,
                    session=session,
                    target=who.target,
                    teams=self.roster.teams_for(who.target),
                    options=options,
                    open=not fixed,
                    led=ref in led,
                    leaders=tuple(m.id for m in self.roster.staff if m.may_lead(ref, session)),
                    assigned=tuple(
                        m.id
                        for m in self.roster.staff
                        if session is not None and session in m.assigned and ref in m.leads
                    ),
                )

    def activity(self, ref: str) -> tuple[Cohort, Activity] | None:
        """The cohort and activity ``ref`` (``cohort/activity``) names, decided or not."""
        found = self.activities.get(ref)
        if found is not None:
            return found
        for cohort in self.programme.cohorts:
            for activity in cohort.activities:
                if activity_ref(cohort.id, activity.id) == ref:
                    return cohort, activity
        return None

    def unit(self, ref: str, session: str | None) -> Unit | None:
        """The unit for ``session`` of activity ``ref``, if the solve decides one."""
        return self._unit_index.get((ref, session or ""))

    @functools.cached_property
    def _unit_index(self) -> dict[tuple[str, str], Unit]:
        return {unit.key: unit for unit in self.units}

    # -- where options land, and who they fit ---------------------------------------------------

    @functools.cached_property
    def _own(self) -> frozenset[tuple[str, str]]:
        """The sessions (activity, session) with a slot or overrides of their own."""
        found = set()
        for ref, (_, activity) in self.activities.items():
            timing = activity.timing
            assert timing is not None
            found |= {(ref, s.key) for s in timing.sessions}
            found |= {(ref, o.session) for o in timing.overrides if o.session is not None}
        return frozenset(found)

    def _signature(self, unit: Unit) -> str | None:
        """The session whose own changes its placements depend on; ``None`` when shared."""
        own = unit.session is not None and (unit.ref, unit.session) in self._own
        return unit.session if own else None

    def comfort(self, who: Availability, unit: Unit, option: Option) -> int:
        """Mean minutes between ``unit``'s meetings at ``option`` and the middle of ``who``'s day."""
        key = (who, unit.ref, self._signature(unit), option)
        found = self._comfort.get(key)
        if found is None:
            meetings = self.placement(unit, option).meetings
            total = sum(who.offset_from_middle(m.start, m.end) for m in meetings)
            found = total // len(meetings) if meetings else 0
            self._comfort[key] = found
        return found

    def edge(self, who: Availability, unit: Unit, option: Option) -> bool:
        """Whether a meeting of ``unit`` at ``option`` is early or late in ``who``'s day:
        in its first or last :data:`EDGE_MINUTES`."""
        key = (who, unit.ref, self._signature(unit), option)
        found = self._edge.get(key)
        if found is None:
            found = any(_edge(who, m) for m in self.placement(unit, option).meetings)
            self._edge[key] = found
        return found

    def days(self, who: Availability, unit: Unit, option: Option) -> tuple[dt.date, ...]:
        """The dates of ``unit``'s meetings at ``option`` on ``who``'s calendar."""
        key = (who.zone, unit.ref, self._signature(unit), option)
        found = self._days.get(key)
        if found is None:
            meetings = self.placement(unit, option).meetings
            found = tuple(who.local(m.start).date() for m in meetings)
            self._days[key] = found
        return found

    def placement(self, unit: Unit, option: Option) -> Placement:
        """Where ``option`` puts ``unit`` in each month (computed once per activity and option)."""
        return self.placement_of(unit.ref, self._signature(unit), option)

    def placement_of(self, ref: str, session: str | None, option: Option) -> Placement:
        """Where ``option`` puts session ``session`` of activity ``ref`` (``None``: any session
        without changes of its own)."""
        key = (ref, session, option)
        found = self._placements.get(key)
        if found is None:
            cohort, activity = self.activities[ref]
            found = place(self.programme, cohort, activity, option, session)
            self._placements[key] = found
        return found

    def conflict(self, who: Availability, unit: Unit, option: Option) -> str | None:
        """Why ``option`` does not fit ``who``'s working day for ``unit``, or ``None``."""
        return self.conflict_of(who, unit.ref, self._signature(unit), option)

    def conflict_of(
        self, who: Availability, ref: str, session: str | None, option: Option
    ) -> str | None:
        """:meth:`conflict` for session ``session`` of ``ref`` (``None``: any plain session)."""
        key = (who, ref, session, option)
        if key not in self._fits:
            self._fits[key] = _conflict(who, self.placement_of(ref, session, option))
        return self._fits[key]

    def team(self, team_id: str) -> Availability:
        """When team ``team_id`` can meet."""
        return self._team_availability[team_id]

    def staff(self, staff_id: str) -> Availability:
        """When staff member ``staff_id`` can lead a session."""
        return self._staff_availability[staff_id]

    @functools.cached_property
    def _team_availability(self) -> dict[str, Availability]:
        return {team.id: self.roster.availability_of_team(team.id) for team in self.roster.teams}

    @functools.cached_property
    def _staff_availability(self) -> dict[str, Availability]:
        return {m.id: self.roster.availability_of_staff(m.id) for m in self.roster.staff}

    def member(self, staff_id: str) -> Staff | None:
        """The staff member ``staff_id``, or ``None`` when the roster has none such."""
        try:
            return self.roster.staff_member(staff_id)
        except KeyError:
            return None

    # -- what else is busy ----------------------------------------------------------------------

    @functools.cached_property
    def _fixed(self) -> tuple[Busy, ...]:
        """The busy, timed events of everything the solve does not decide."""
        kept = tuple(
            attrs.evolve(
                cohort,
                activities=tuple(
                    a
                    for a in cohort.activities
                    if activity_ref(cohort.id, a.id) not in self.activities
                ),
            )
            for cohort in self.programme.cohorts
        )
        found = []
        for occurrence in plan(attrs.evolve(self.programme, cohorts=kept)):
            event = occurrence.event
            if event is None or not event.busy or event.status is Status.CANCELLED:
                continue
            if isinstance(event.span, Timed):
                first = int(event.span.start.timestamp()) // 60
                last = int(event.span.end.timestamp()) // 60
                found.append(Busy(first=first, last=last, event=event))
        return tuple(found)

    @functools.cached_property
    def audience_sets(self) -> tuple[frozenset[Target], ...]:
        """Each distinct set of audiences one person or team belongs to (sorted)."""
        everyone = Target(kind=AudienceKind.PROGRAMME, key=self.programme.id)
        sets = {self.roster.targets_of_person(p.id) | {everyone} for p in self.roster.people}
        sets |= {self.roster.targets_of_team(t.id) | {everyone} for t in self.roster.teams}
        return tuple(sorted(sets, key=lambda targets: sorted(str(t) for t in targets)))

    @functools.cached_property
    def _sets_of(self) -> dict[Target, list[int]]:
        index: dict[Target, list[int]] = {}
        for number, targets in enumerate(self.audience_sets):
            for target in targets:
                index.setdefault(target, []).append(number)
        return index

    def companions(self, target: Target) -> frozenset[Target]:
        """Every audience that shares someone with ``target`` (``target`` included)."""
        found: set[Target] = {target}
        for number in self._sets_of.get(target, ()):
            found |= self.audience_sets[number]
        return frozenset(found)

    @functools.cached_property
    def _fixed_by_target(self) -> dict[Target, list[Busy]]:
        index: dict[Target, list[Busy]] = {}
        for busy in self._fixed:
            # A shared session is in the way of everyone in each cohort it is for.
            for target in busy.event.target.audiences:
                index.setdefault(target, []).append(busy)
        return index

    def _timeline(self, target: Target) -> _Timeline:
        found = self._timelines.get(target)
        if found is None:
            spans = [b for t in self.companions(target) for b in self._fixed_by_target.get(t, ())]
            found = self._timelines[target] = _Timeline(spans)
        return found

    @functools.cached_property
    def _staff_timelines(self) -> dict[str, _Timeline]:
        spans: dict[str, list[Busy]] = {}
        for busy in self._fixed:
            for leader in busy.event.leaders:
                spans.setdefault(leader, []).append(busy)
        return {staff_id: _Timeline(found) for staff_id, found in spans.items()}

    def blocked(self, target: Target, placement: Placement) -> tuple[Meeting, Busy] | None:
        """A meeting of ``placement`` that overlaps a fixed busy event of anyone in ``target``."""
        return _first_overlap(self._timeline(target), placement)

    def blockers(self, target: Target, placement: Placement) -> frozenset[str]:
        """Every fixed activity (``cohort/activity``, or an event's id) in the way of
        ``placement`` for anyone in ``target``."""
        timeline = self._timeline(target)
        found = set()
        for meeting in placement.meetings:
            found |= {_origin(busy.event) for busy in timeline.overlapping(meeting)}
        return frozenset(found)

    def staff_blocked(self, staff_id: str, placement: Placement) -> tuple[Meeting, Busy] | None:
        """A meeting of ``placement`` that overlaps a session the declaration gives ``staff_id``."""
        timeline = self._staff_timelines.get(staff_id)
        return None if timeline is None else _first_overlap(timeline, placement)


def _origin(event: Event) -> str:
    return activity_ref(event.cohort, event.activity) if event.cohort else event.activity


def _first_overlap(timeline: _Timeline, placement: Placement) -> tuple[Meeting, Busy] | None:
    for meeting in placement.meetings:
        busy = timeline.overlap(meeting)
        if busy is not None:
            return meeting, busy
    return None


def _conflict(who: Availability, placement: Placement) -> str | None:
    # An in-person meeting keeps its venue's hours, not each taker's day at home (as the
    # working-hours check reads it).
    for meeting in (m for m in placement.meetings if not m.in_person):
        reason = who.conflict(meeting.start, meeting.end)
        if reason is not None:
            return f"on {who.local(meeting.start).date().isoformat()} it {reason}"
    return None


#: A meeting in the first or last this many minutes of someone's day is early or late.
EDGE_MINUTES = 60


def _edge(who: Availability, meeting: Meeting) -> bool:
    start = who.local(meeting.start)
    begin = start.hour * 60 + start.minute
    finish = begin + (meeting.last - meeting.first)
    return begin < who.hours.start + EDGE_MINUTES or finish > who.hours.end - EDGE_MINUTES


def local_span(who: Availability, meeting: Meeting) -> str:
    """``meeting`` on ``who``'s wall clock: ``07:00-08:00``."""
    start, end = who.local(meeting.start), who.local(meeting.end)
    return f"{start:%H:%M}-{end:%H:%M}"


def minutes_of_day(moment: dt.datetime) -> int:
    """Minutes after midnight of an aware moment on its own wall clock."""
    return moment.hour * 60 + moment.minute


__all__ = [
    "EDGE_MINUTES",
    "Busy",
    "Facts",
    "Unit",
    "decided",
    "led_activities",
    "local_span",
    "minutes_of_day",
]
