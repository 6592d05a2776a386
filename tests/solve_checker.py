"""An independent checker of solved schedules: every hard constraint, on the calendar.

The solver has its own model of the constraints and the library its own
``verify``; a bug shared by the two would pass both. This checker shares
neither: it folds a :class:`Solved` into the programme, expands the events and
checks the resulting calendar with its own code, reading working hours, days
and days away straight from the roster and converting times with
:mod:`zoneinfo` (zones read from the pinned ``tzdata`` package, as the library
does, so both agree on every rule change), never with ``model/availability``.

:func:`violations` returns one line of text per broken constraint; ``[]``
means the schedule is valid. The tests and ``benchmarks/solve.py`` both use it.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterator

import attrs

from pe_schedule import (
    Activity,
    AudienceKind,
    Cohort,
    Event,
    HolidayPolicy,
    NthWeekday,
    Programme,
    Roster,
    Status,
    Timed,
    YearMonth,
)
from pe_schedule._internal.model.roster import Staff
from pe_schedule._internal.model.solved import Solved, SolvedSession, activity_ref, apply_solution
from pe_schedule._internal.schedule.expand import events

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@functools.cache
def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone ``name``, from the pinned ``tzdata`` package (not the machine's files)."""
    resource = importlib.resources.files("tzdata").joinpath("zoneinfo", *name.split("/"))
    with resource.open("rb") as data:
        return zoneinfo.ZoneInfo.from_file(data, key=name)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# -- who may meet when, read straight from the roster ------------------------------------------


@attrs.frozen(kw_only=True)
class Hours:
    """One team's or staff member's working time, as plain numbers (independent of the model)."""

    who: str
    zone: str
    start: int
    end: int
    days: frozenset[int]
    away: frozenset[dt.date]

    def problem(self, start: dt.datetime, end: dt.datetime) -> str | None:
        """Why the span from ``start`` to ``end`` (aware) is outside this working time."""
        first = start.astimezone(zone(self.zone))
        last = end.astimezone(zone(self.zone))
        day = first.date()
        begin = first.hour * 60 + first.minute
        finish = (last.date() - day).days * 24 * 60 + last.hour * 60 + last.minute
        when = f"{day} {_clock(begin)}-{_clock(finish % (24 * 60))} {self.zone}"
        if day in self.away:
            return f"{self.who}: {when} is a day away"
        if day.weekday() not in self.days:
            return f"{self.who}: {when} is a {_WEEKDAYS[day.weekday()]}, not a working day"
        if begin < self.start or finish > self.end:
            hours = f"{_clock(self.start)}-{_clock(self.end)}"
            return f"{self.who}: {when} is outside working hours {hours}"
        return None


def team_hours(roster: Roster, team_id: str) -> Hours:
    """Team ``team_id``'s working time: its own hours, else the roster's; the roster's days."""
    team = roster.team(team_id)
    hours = team.working_hours or roster.working_hours
    return Hours(
        who=f"team {team_id}",
        zone=team.timezone.name,
        start=hours.start,
        end=hours.end,
        days=roster.working_days,
        away=team.unavailable,
    )


def staff_hours(roster: Roster, member: Staff) -> Hours:
    """A staff member's working time: their own hours and days, else the roster's."""
    hours = member.working_hours or roster.working_hours
    days = member.working_days if member.working_days is not None else roster.working_days
    return Hours(
        who=f"coach {member.id}",
        zone=member.timezone.name,
        start=hours.start,
        end=hours.end,
        days=days,
        away=member.blackout,
    )


# -- the calendar of a solved programme --------------------------------------------------------


def chosen_activities(programme: Programme) -> Iterator[tuple[Cohort, Activity]]:
    """Every activity whose slots a scheduler picks (its timing has choices)."""
    for cohort in programme.cohorts:
        for activity in cohort.activities:
            if activity.timing is not None and activity.timing.choices is not None:
                yield cohort, activity


@attrs.frozen(kw_only=True)
class Booking:
    """One busy, timed, not cancelled event of the calendar, and who it ties up."""

    event: Event
    start: dt.datetime
    end: dt.datetime
    #: Whether the solve placed it (an activity with choices), not the declaration.
    decided: bool
    #: The zone the event is written in (its timing's).
    zone: str
    teams: tuple[str, ...]
    coaches: tuple[str, ...]

    @property
    def session(self) -> str | None:
        """The group or team id the event is for; ``None`` for an event for everyone at once."""
        return self.event.target.key if self.event.target.kind.parallel else None

    @property
    def ref(self) -> str:
        """The event's activity as ``cohort/activity``."""
        return activity_ref(self.event.cohort or "", self.event.activity)

    def describe(self) -> str:
        """The event as a message names it."""
        return f"{self.ref} {self.session or 'cohort'} on {self.start:%Y-%m-%d %H:%M} UTC"


def _members(roster: Roster) -> dict[tuple[AudienceKind, str], tuple[str, ...]]:
    """The teams each whole-team audience holds (senior leaders and affinity groups are
    only some people of a team, so they tie up no whole team)."""
    found: dict[tuple[AudienceKind, str], list[str]] = defaultdict(list)
    for team in roster.teams:
        found[AudienceKind.TEAM, team.id].append(team.id)
        found[AudienceKind.COHORT, team.cohort].append(team.id)
        if roster.programme is not None:
            found[AudienceKind.PROGRAMME, roster.programme].append(team.id)
        if team.coaching_group is not None:
            found[AudienceKind.COACHING_GROUP, team.coaching_group].append(team.id)
    return {key: tuple(teams) for key, teams in found.items()}


def bookings(programme: Programme, solved: Solved) -> tuple[Booking, ...]:
    """The busy timed events of ``programme`` with ``solved`` applied, with whom they tie up."""
    applied = apply_solution(programme, solved)
    roster = applied.roster
    assert roster is not None
    members = _members(roster)
    decided = {activity_ref(c.id, a.id) for c, a in chosen_activities(programme)}
    found = []
    for event in events(applied):
        if not event.busy or event.status is Status.CANCELLED:
            continue
        if not isinstance(event.span, Timed):
            continue
        booking = Booking(
            event=event,
            start=event.span.start.astimezone(dt.UTC),
            end=event.span.end.astimezone(dt.UTC),
            zone=event.span.zone.name,
            decided=False,
            teams=members.get((event.target.kind, event.target.key), ()),
            coaches=(),
        )
        coach = solved.session(booking.ref, booking.session)
        coaches = set(event.leaders) | ({coach.coach} if coach and coach.coach else set())
        found.append(
            attrs.evolve(booking, decided=booking.ref in decided, coaches=tuple(sorted(coaches)))
        )
    return tuple(found)


# -- the checks --------------------------------------------------------------------------------


def violations(programme: Programme, solved: Solved, previous: Solved | None = None) -> list[str]:
    """Every hard constraint ``solved`` breaks in ``programme``; ``[]`` when it is valid.

    ``previous``, when given, is the solve this one started from: its pinned
    groups and sessions must come through unchanged.
    """
    roster = programme.roster
    if roster is None:
        return ["the programme has no roster to schedule"]
    found = group_violations(programme, solved)
    found += slot_violations(programme, solved)
    found += coach_violations(programme, solved)
    if previous is not None:
        found += pinned_violations(solved, previous)
    try:
        calendar = bookings(programme, solved)
    except ValueError as error:
        # The checks above say what is wrong; the calendar cannot even be drawn.
        return [*found, f"the solve cannot be applied to the programme: {error}"]
    found += calendar_slot_violations(programme, solved, calendar)
    found += hours_violations(roster, calendar)
    found += overlap_violations(calendar)
    found += cap_violations(roster, calendar)
    return found


def group_violations(programme: Programme, solved: Solved) -> list[str]:
    """Every team of a grouped cohort in exactly one group, of an allowed size and count."""
    roster = programme.roster
    assert roster is not None
    found = []
    for cohort, activity in _all_activities(programme):
        grouping = activity.grouping
        if grouping is None:
            continue
        ref = activity_ref(cohort.id, activity.id)
        groups = [group for group in solved.groups if group.activity == ref]
        teams = {team.id for team in roster.teams_of(cohort.id)}
        placed = Counter(team for group in groups for team in group.teams)
        for team in sorted(teams):
            if placed[team] != 1:
                found.append(f"{ref}: team {team} is in {placed[team]} groups, not exactly one")
        for stray in sorted(set(placed) - teams):
            found.append(f"{ref}: {stray} is in a group but is no team of cohort {cohort.id}")
        for group in groups:
            if len(group.teams) not in grouping.sizes:
                sizes = f"{grouping.smallest}-{grouping.largest}"
                found.append(f"{ref}: group {group.id} has {len(group.teams)} teams, not {sizes}")
        ids = Counter(group.id for group in groups)
        found += [f"{ref}: two groups are both {gid}" for gid, n in ids.items() if n > 1]
        if grouping.count is not None and len(groups) != grouping.count:
            found.append(f"{ref}: {len(groups)} groups, not the {grouping.count} asked for")
    return found


def _all_activities(programme: Programme) -> Iterator[tuple[Cohort, Activity]]:
    for cohort in programme.cohorts:
        for activity in cohort.activities:
            yield cohort, activity


def sessions_of(
    programme: Programme, solved: Solved, cohort: Cohort, activity: Activity
) -> set[str | None]:
    """The sessions an activity fans out to once ``solved``'s groups are formed."""
    roster = programme.roster
    assert roster is not None
    kind = activity.audience
    if kind is AudienceKind.TEAM:
        return {team.id for team in roster.teams_of(cohort.id)}
    if kind is AudienceKind.COACHING_GROUP and activity.grouping is not None:
        ref = activity_ref(cohort.id, activity.id)
        return {group.id for group in solved.groups if group.activity == ref}
    if kind in (AudienceKind.COACHING_GROUP, AudienceKind.AFFINITY_GROUP):
        return {group.id for group in roster.groups_of(cohort.id, kind)}
    return {None}


def slot_violations(programme: Programme, solved: Solved) -> list[str]:
    """Every session of an activity with choices decided once, on a slot among its choices."""
    found = []
    for cohort, activity in chosen_activities(programme):
        ref = activity_ref(cohort.id, activity.id)
        assert activity.timing is not None
        assert activity.timing.choices is not None
        slots = set(activity.timing.choices.slots())
        wanted = sessions_of(programme, solved, cohort, activity)
        decided = Counter(s.session for s in solved.sessions if s.activity == ref)
        for session in sorted(wanted, key=str):
            if decided[session] != 1:
                found.append(f"{ref}: session {session} is decided {decided[session]} times")
        for stray in sorted(set(decided) - wanted, key=str):
            found.append(f"{ref}: session {stray} is decided but the activity has no such session")
        for choice in (s for s in solved.sessions if s.activity == ref):
            if (choice.day, choice.start) not in slots:
                found.append(
                    f"{ref}: session {choice.session} is on {choice.day} {choice.start:%H:%M}, "
                    "not one of the choices"
                )
    return found


def coach_violations(programme: Programme, solved: Solved) -> list[str]:
    """Coaches lead only what they may (``leads``, ``only``) and what is ``assigned`` them."""
    roster = programme.roster
    assert roster is not None
    staff = {member.id: member for member in roster.staff}
    found = []
    for decision in solved.sessions:
        found += _coach_problems(decision, staff)
    for member in roster.staff:
        for decision in solved.sessions:
            mine = decision.session in member.assigned and decision.activity in member.leads
            if mine and decision.coach != member.id:
                found.append(
                    f"{decision.activity}: session {decision.session} is assigned to "
                    f"{member.id} but led by {decision.coach}"
                )
    return found


def _coach_problems(decision: SolvedSession, staff: dict[str, Staff]) -> list[str]:
    where = f"{decision.activity}: session {decision.session}"
    leaders = [m for m in staff.values() if decision.activity in m.leads]
    if decision.coach is None:
        return [f"{where} has no coach, though staff lead it"] if leaders else []
    member = staff.get(decision.coach)
    if member is None:
        return [f"{where} is led by {decision.coach}, who is on no staff list"]
    if decision.activity not in member.leads:
        return [f"{where} is led by {member.id}, who does not lead {decision.activity}"]
    allowed = (*member.only, *member.assigned)
    if member.only and decision.session not in allowed:
        return [f"{where} is led by {member.id}, who leads only {', '.join(member.only)}"]
    return []


def pinned_violations(solved: Solved, previous: Solved) -> list[str]:
    """Every pinned group and session of ``previous`` is in ``solved`` unchanged."""
    found = []
    groups = {(group.activity, group.id): group for group in solved.groups}
    for group in (g for g in previous.groups if g.pinned):
        now = groups.get((group.activity, group.id))
        if now is None or set(now.teams) != set(group.teams):
            found.append(f"{group.activity}: pinned group {group.id} changed")
    for session in (s for s in previous.sessions if s.pinned):
        now_session = solved.session(session.activity, session.session)
        before = (session.day, session.start, session.coach)
        if now_session is None or (now_session.day, now_session.start, now_session.coach) != before:
            found.append(f"{session.activity}: pinned session {session.session} changed")
    return found


def calendar_slot_violations(
    programme: Programme, solved: Solved, calendar: tuple[Booking, ...]
) -> list[str]:
    """Every decided session's events fall on its decided day and start, in its zone."""
    found = []
    for booking in (b for b in calendar if b.decided):
        decision = solved.session(booking.ref, booking.session)
        if decision is None:
            found.append(f"{booking.describe()} is on the calendar but was never decided")
            continue
        cohort = programme.cohort(booking.event.cohort or "")
        timing = cohort.activity(booking.event.activity).timing
        assert timing is not None
        assert booking.event.month is not None
        if any(o.month == booking.event.month for o in timing.overrides):
            continue  # the office moved this month by hand
        local = booking.start.astimezone(zone(booking.zone))
        days = _dates(decision, booking.event.month, timing.holidays)
        if local.date() not in days or local.time() != decision.start:
            found.append(
                f"{booking.describe()} is at {local:%Y-%m-%d %H:%M} local, "
                f"not on the decided {decision.day} {decision.start:%H:%M}"
            )
    return found


def _dates(decision: SolvedSession, month: YearMonth, policy: HolidayPolicy) -> set[dt.date]:
    """The dates the decided day may give in ``month`` (a week later once shifted off a holiday)."""
    first = decision.day.resolve(month)
    if first is None:
        return set()
    if policy is not HolidayPolicy.SHIFT:
        return {first}
    if isinstance(decision.day, NthWeekday):
        return {first + dt.timedelta(weeks=n) for n in range(5)}
    return {first + dt.timedelta(days=n) for n in range(7)}


def hours_violations(roster: Roster, calendar: tuple[Booking, ...]) -> list[str]:
    """Every decided session inside each member team's and its coach's working time."""
    staff = {member.id: member for member in roster.staff}
    teams = {team.id: team_hours(roster, team.id) for team in roster.teams}
    coaches = {member.id: staff_hours(roster, member) for member in roster.staff}
    found = []
    # An in-person session keeps its venue's hours, not each taker's day at home.
    for booking in (b for b in calendar if b.decided and not b.event.in_person):
        people = [teams[t] for t in booking.teams]
        people += [coaches[c] for c in booking.coaches if c in staff]
        for hours in people:
            problem = hours.problem(booking.start, booking.end)
            if problem is not None:
                found.append(f"{booking.describe()}: {problem}")
    return found


def overlap_violations(calendar: tuple[Booking, ...]) -> list[str]:
    """No team and no coach in two busy events at once, when a solve placed either."""
    busy: dict[str, list[Booking]] = defaultdict(list)
    for booking in calendar:
        for team in booking.teams:
            busy[f"team {team}"].append(booking)
        for coach in booking.coaches:
            busy[f"coach {coach}"].append(booking)
    found = []
    for who, mine in busy.items():
        mine.sort(key=lambda b: (b.start, b.end, b.ref, str(b.session)))
        for index, first in enumerate(mine):
            for second in mine[index + 1 :]:
                if second.start >= first.end:
                    break
                if first.decided or second.decided:
                    found.append(f"{who}: {first.describe()} overlaps {second.describe()}")
    return found


def cap_violations(roster: Roster, calendar: tuple[Booking, ...]) -> list[str]:
    """No coach leads more sessions on one of their own days than their ``max_per_day``."""
    found = []
    for member in roster.staff:
        if member.max_per_day is None:
            continue
        days = Counter(
            b.start.astimezone(zone(member.timezone.name)).date()
            for b in calendar
            if member.id in b.coaches
        )
        for day, count in sorted(days.items()):
            if count > member.max_per_day:
                found.append(
                    f"coach {member.id}: {count} sessions on {day}, more than {member.max_per_day}"
                )
    return found


__all__ = ["Booking", "Hours", "bookings", "chosen_activities", "violations", "zone"]
