"""Who each session is for, and whether it falls inside their working day.

A busy, timed session must fit the working hours of every team it is for and
of every staff member who leads it, on its actual date and on their own wall
clock: a slot that fits a Phoenix team in January (when New York is two hours
ahead) starts an hour earlier for them in July (three hours ahead).

What is checked: events that block time (``busy``), have clock times, are not
cancelled and are not held in person. An in-person session is at a venue the
attendees travel to; it keeps the venue's hours, not each team's working day
at home, so it is never measured against them.

Which teams an event is for follows its target: the programme's events are
every team's, a cohort's its teams', the senior leaders' those teams with a
senior leader or alternate, a coaching group's its teams', an affinity group's
the teams with someone in it, a team's that team's, a person's their team's.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator

import attrs

from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.availability import Availability
from pe_schedule._internal.model.availability import clock as wall_clock
from pe_schedule._internal.model.event import Event, Status, Timed
from pe_schedule._internal.model.roster import Roster

_DAY = 24 * 60
#: The kind of an attendee that is a team.
_TEAM: str = AudienceKind.TEAM.value


class Reason(enum.Enum):
    """Why a session does not fit someone's working day."""

    #: Before their working hours start or after they end.
    HOURS = "hours"
    #: On a weekday they do not work.
    DAY_OFF = "day-off"
    #: On a date they are away (a team's ``unavailable``, a staff member's ``blackout``).
    AWAY = "away"


@attrs.frozen(kw_only=True)
class Attendee:
    """One team or staff member a session is for, and when they can meet."""

    #: ``"team"``, or the staff role (``"coach"``, ``"faculty"``).
    kind: str
    id: str
    availability: Availability

    @property
    def is_team(self) -> bool:
        """Whether the attendee is a team (rather than a staff member)."""
        return self.kind == _TEAM

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


@attrs.frozen(kw_only=True)
class OutOfHours:
    """One session that falls outside one attendee's working day."""

    event: Event
    who: Attendee
    reason: Reason
    #: The session's start and end on the attendee's wall clock.
    local_start: dt.datetime
    local_end: dt.datetime


def checked(event: Event) -> bool:
    """Whether ``event`` is measured against working hours (see the module's docstring)."""
    return (
        event.busy
        and isinstance(event.span, Timed)
        and event.status is not Status.CANCELLED
        and not event.in_person
    )


class Attendees:
    """Who each event is for, each team's and staff member's availability asked once.

    Teams that share an :class:`Availability` (the same zone, hours, days and
    days away) are grouped, so a session is measured once per group, not once
    per team: a thousand sessions for fifty teams in ten zones is ten thousand
    questions rather than fifty thousand.
    """

    def __init__(self, roster: Roster) -> None:
        self._roster = roster
        self._teams: dict[str, Attendee] = {}
        self._staff: dict[str, Attendee | None] = {}
        self._by_target: dict[Target, tuple[tuple[Availability, tuple[Attendee, ...]], ...]] = {}

    def team(self, team_id: str) -> Attendee:
        """The team ``team_id`` as an attendee.

        Raises:
            KeyError: if the roster has no such team.
        """
        found = self._teams.get(team_id)
        if found is None:
            availability = self._roster.availability_of_team(team_id)
            found = Attendee(kind=_TEAM, id=team_id, availability=availability)
            self._teams[team_id] = found
        return found

    def staff(self, staff_id: str) -> Attendee | None:
        """Staff member ``staff_id`` as an attendee, or ``None`` if the roster lacks them."""
        if staff_id not in self._staff:
            try:
                member = self._roster.staff_member(staff_id)
            except KeyError:
                self._staff[staff_id] = None
            else:
                availability = self._roster.availability_of_staff(staff_id)
                self._staff[staff_id] = Attendee(
                    kind=member.role.value, id=staff_id, availability=availability
                )
        return self._staff[staff_id]

    def teams_by_availability(
        self, target: Target
    ) -> tuple[tuple[Availability, tuple[Attendee, ...]], ...]:
        """The teams an event for ``target`` is for, grouped by their availability."""
        found = self._by_target.get(target)
        if found is None:
            groups: dict[Availability, list[Attendee]] = {}
            for team_id in self.team_ids(target):
                attendee = self.team(team_id)
                groups.setdefault(attendee.availability, []).append(attendee)
            found = tuple((key, tuple(teams)) for key, teams in groups.items())
            self._by_target[target] = found
        return found

    def team_ids(self, target: Target) -> tuple[str, ...]:
        """The ids of the roster's teams an event for ``target`` is for, in roster order."""
        return self._roster.teams_for(target)


def _reason(availability: Availability, start: dt.datetime, end: dt.datetime) -> Reason | None:
    """Why the session does not fit (the same question :meth:`Availability.conflict`
    answers), or ``None`` when it fits."""
    if availability.conflict(start, end) is None:
        return None
    day = availability.local(start).date()
    if day in availability.away:
        return Reason.AWAY
    if day.weekday() not in availability.days:
        return Reason.DAY_OFF
    return Reason.HOURS


def out_of_hours(roster: Roster, events: Iterable[Event]) -> Iterator[OutOfHours]:
    """Each (session, team or leader) whose working day the session falls outside.

    Only events that :func:`checked` accepts are measured; a leader the roster
    does not know is skipped (nothing says when they work).
    """
    attendees = Attendees(roster)
    for event in events:
        span = event.span
        if not checked(event) or not isinstance(span, Timed):
            continue
        groups = list(attendees.teams_by_availability(event.target))
        for leader in dict.fromkeys(event.leaders):
            staff = attendees.staff(leader)
            if staff is not None:
                groups.append((staff.availability, (staff,)))
        for availability, who in groups:
            reason = _reason(availability, span.start, span.end)
            if reason is None:
                continue
            first, last = availability.local(span.start), availability.local(span.end)
            for attendee in who:
                yield OutOfHours(
                    event=event, who=attendee, reason=reason, local_start=first, local_end=last
                )


def clock(minutes: int) -> str:
    """Minutes after local midnight as ``HH:MM``; ``+1`` marks the next day.

    >>> clock(7 * 60), clock(24 * 60 + 30)
    ('07:00', '00:30+1')
    """
    day, minutes = divmod(minutes, _DAY)
    return wall_clock(minutes) + (f"+{day}" if day else "")


@attrs.frozen(kw_only=True)
class ZoneHours:
    """What the working-hours check saw of the teams in one zone."""

    zone: str
    #: How many teams work in the zone.
    teams: int
    #: How many checked sessions are for at least one of those teams.
    sessions: int = 0
    #: Earliest and latest local start, in minutes after local midnight.
    earliest_start: int | None = None
    latest_start: int | None = None
    #: Earliest and latest local end, in minutes after the start day's midnight.
    earliest_end: int | None = None
    latest_end: int | None = None
    #: How many of those sessions fall outside some team's working day.
    outside: int = 0

    def seen(self, start: int, end: int, *, fits: bool) -> ZoneHours:
        """This record with one more session, from ``start`` to ``end`` local."""
        return attrs.evolve(
            self,
            sessions=self.sessions + 1,
            earliest_start=_least(self.earliest_start, start),
            latest_start=_most(self.latest_start, start),
            earliest_end=_least(self.earliest_end, end),
            latest_end=_most(self.latest_end, end),
            outside=self.outside + (not fits),
        )


def _least(known: int | None, value: int) -> int:
    return value if known is None else min(known, value)


def _most(known: int | None, value: int) -> int:
    return value if known is None else max(known, value)


@attrs.frozen(kw_only=True)
class WorkingHoursReport:
    """The working-hours check's figures, one :class:`ZoneHours` per team zone, by name."""

    zones: tuple[ZoneHours, ...] = ()

    def lines(self) -> tuple[str, ...]:
        """The figures as a small table: a heading, then one line per zone."""
        rows = [("zone", "teams", "sessions", "starts", "ends", "outside hours")]
        for z in self.zones:
            starts = _range(z.earliest_start, z.latest_start)
            ends = _range(z.earliest_end, z.latest_end)
            rows.append((z.zone, str(z.teams), str(z.sessions), starts, ends, str(z.outside)))
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        return tuple(
            "  ".join(
                cell.ljust(width) if column in (0, 3, 4) else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
            for row in rows
        )


def _range(first: int | None, last: int | None) -> str:
    if first is None or last is None:
        return "-"
    return f"{clock(first)}-{clock(last)}"


def working_hours_report(roster: Roster, events: Iterable[Event]) -> WorkingHoursReport:
    """How many checked sessions each team zone gets, and their local starts and ends."""
    attendees = Attendees(roster)
    zones = {
        name: ZoneHours(zone=name, teams=count)
        for name, count in _team_zones(attendees, roster).items()
    }
    for event in events:
        span = event.span
        if not checked(event) or not isinstance(span, Timed):
            continue
        # One session counts once per zone, however many of the zone's teams it is for.
        per_zone: dict[str, tuple[int, int, bool]] = {}
        for availability, _ in attendees.teams_by_availability(event.target):
            first, last = availability.local(span.start), availability.local(span.end)
            start = first.hour * 60 + first.minute
            end = (last.date() - first.date()).days * _DAY + last.hour * 60 + last.minute
            fits = availability.conflict(span.start, span.end) is None
            known = per_zone.get(availability.zone.name)
            per_zone[availability.zone.name] = (start, end, fits and (known is None or known[2]))
        for name, (start, end, fits) in per_zone.items():
            zones[name] = zones[name].seen(start, end, fits=fits)
    return WorkingHoursReport(zones=tuple(zones[name] for name in sorted(zones)))


def _team_zones(attendees: Attendees, roster: Roster) -> dict[str, int]:
    counts: dict[str, int] = {}
    for team_id in dict.fromkeys(team.id for team in roster.teams):
        name = attendees.team(team_id).availability.zone.name
        counts[name] = counts.get(name, 0) + 1
    return counts


__all__ = [
    "Attendee",
    "Attendees",
    "OutOfHours",
    "Reason",
    "WorkingHoursReport",
    "ZoneHours",
    "checked",
    "clock",
    "out_of_hours",
    "working_hours_report",
]
