"""Who takes part: teams, people and the groups they meet in.

A :class:`Roster` drives the fan-out of activities into parallel sessions
(one per team, coaching group or affinity group) and answers "which events are
mine?": each team and each person belongs to a set of
:class:`~pe_schedule.Target` values, and an event is theirs when its target is
in that set.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable

import attrs

from pe_schedule._internal.model.audience import GROUP_KINDS, AudienceKind, Target
from pe_schedule._internal.model.availability import (
    NINE_TO_FIVE,
    WEEKDAYS,
    Availability,
    WorkingHours,
)
from pe_schedule._internal.model.zones import Zone
from pe_schedule.exceptions import PeScheduleError


class Role(enum.Enum):
    """A person's role in their team."""

    MEMBER = "member"
    SENIOR_LEADER = "senior-leader"
    ALTERNATE_SENIOR_LEADER = "alternate-senior-leader"

    @property
    def leads(self) -> bool:
        """Whether the role joins the senior leaders' calls."""
        return self is not Role.MEMBER


def _sorted_pairs(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Attribute pairs in name order (a typed converter: mypy cannot type a lambda's)."""
    return tuple(sorted(pairs))


@attrs.frozen(kw_only=True)
class Team:
    """One participating team.

    >>> Team(id="ac-01", name="Harbor Health", cohort="action-community",
    ...      coaching_group=None, timezone=Zone("America/Denver")).timezone.name
    'America/Denver'
    """

    id: str
    name: str
    cohort: str
    coaching_group: str | None = None
    #: The zone the team works in, for showing them their own local times.
    timezone: Zone
    #: Free-form facts the scheduler groups teams by: (name, value) pairs in
    #: name order, such as ``("region", "Northeast")``.
    attributes: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_sorted_pairs)
    #: The team's own working day; ``None`` means the roster's default.
    working_hours: WorkingHours | None = None
    #: Dates the whole team is away (on its own calendar).
    unavailable: frozenset[dt.date] = frozenset()

    def attribute(self, name: str) -> str | None:
        """The value of attribute ``name``, or ``None`` when the team has none."""
        return dict(self.attributes).get(name)


@attrs.frozen(kw_only=True)
class Person:
    """One participant, in one team."""

    id: str
    name: str
    team: str
    role: Role = Role.MEMBER
    affinity_group: str | None = None


class StaffRole(enum.Enum):
    """What a staff member does in the programme."""

    COACH = "coach"
    FACULTY = "faculty"


@attrs.frozen(kw_only=True)
class Staff:
    """Someone who runs sessions: a coach or a faculty member.

    A staff member may lead the sessions of the activities in :attr:`leads`
    (written ``cohort/activity``); :attr:`only`, when set, narrows that to
    some sessions (group or team ids), and :attr:`assigned` names sessions the
    programme office has given them for good.
    """

    id: str
    name: str
    role: StaffRole = StaffRole.COACH
    timezone: Zone
    #: ``None`` means the roster's default working day.
    working_hours: WorkingHours | None = None
    #: Weekday numbers (Monday is 0); ``None`` means the roster's default.
    working_days: frozenset[int] | None = None
    #: Dates the staff member is away.
    blackout: frozenset[dt.date] = frozenset()
    #: The most sessions they lead on one day; ``None`` for no limit.
    max_per_day: int | None = None
    #: The activities (``cohort/activity``) whose sessions they may lead.
    leads: tuple[str, ...] = ()
    #: The only sessions (group or team ids) they may lead; empty for any.
    only: tuple[str, ...] = ()
    #: Sessions (group or team ids) that are theirs whatever the solver finds.
    assigned: tuple[str, ...] = ()

    def may_lead(self, activity: str, session: str | None) -> bool:
        """Whether they may lead ``session`` of ``activity`` (``cohort/activity``)."""
        if activity not in self.leads:
            return False
        return not self.only or session in self.only or session in self.assigned


@attrs.frozen(kw_only=True)
class Group:
    """A coaching group or an affinity group that meets as one session."""

    id: str
    name: str
    kind: AudienceKind = attrs.field(validator=attrs.validators.in_(GROUP_KINDS))


@attrs.frozen(kw_only=True)
class Roster:
    """Every team, person and group of a programme.

    >>> roster = Roster(
    ...     programme="p",
    ...     teams=(Team(id="t", name="T", cohort="c", timezone=Zone("America/New_York")),),
    ...     people=(Person(id="ann", name="Ann", team="t", role=Role.SENIOR_LEADER),),
    ...     groups=(),
    ... )
    >>> sorted(str(target) for target in roster.targets_of_person("ann"))
    ['cohort:c', 'programme:p', 'senior-leaders:c', 'team:t']
    """

    teams: tuple[Team, ...]
    people: tuple[Person, ...]
    groups: tuple[Group, ...]
    #: The programme the roster belongs to; ``None`` until a declaration names it.
    programme: str | None = None
    #: The coaches and faculty who lead sessions.
    staff: tuple[Staff, ...] = ()
    #: Everyone's working day unless their own entry says otherwise.
    working_hours: WorkingHours = NINE_TO_FIVE
    #: Everyone's working weekdays (Monday is 0) unless their own entry says otherwise.
    working_days: frozenset[int] = WEEKDAYS

    # Indexes by id: a build looks up every person and team, and a scan per look-up
    # made a 100,000-person build quadratic.
    @functools.cached_property
    def _teams_by_id(self) -> dict[str, Team]:
        return {team.id: team for team in reversed(self.teams)}

    @functools.cached_property
    def _people_by_id(self) -> dict[str, Person]:
        return {person.id: person for person in reversed(self.people)}

    @functools.cached_property
    def _groups_by_id(self) -> dict[str, Group]:
        return {group.id: group for group in reversed(self.groups)}

    @functools.cached_property
    def _staff_by_id(self) -> dict[str, Staff]:
        return {member.id: member for member in reversed(self.staff)}

    def staff_member(self, staff_id: str) -> Staff:
        """The staff member with ``staff_id``.

        Raises:
            KeyError: if there is no such staff member.
        """
        return self._staff_by_id[staff_id]

    def availability_of_team(self, team_id: str) -> Availability:
        """When team ``team_id`` can meet, on its own wall clock.

        Raises:
            KeyError: if there is no such team.
        """
        team = self.team(team_id)
        return Availability(
            zone=team.timezone,
            hours=team.working_hours or self.working_hours,
            days=self.working_days,
            away=team.unavailable,
        )

    def availability_of_staff(self, staff_id: str) -> Availability:
        """When staff member ``staff_id`` can lead a session, on their own wall clock.

        Raises:
            KeyError: if there is no such staff member.
        """
        member = self.staff_member(staff_id)
        return Availability(
            zone=member.timezone,
            hours=member.working_hours or self.working_hours,
            days=member.working_days if member.working_days is not None else self.working_days,
            away=member.blackout,
        )

    def team(self, team_id: str) -> Team:
        """The team with ``team_id`` (the first, should two share it).

        Raises:
            KeyError: if there is no such team.
        """
        return self._teams_by_id[team_id]

    def person(self, person_id: str) -> Person:
        """The person with ``person_id`` (the first, should two share it).

        Raises:
            KeyError: if there is no such person.
        """
        return self._people_by_id[person_id]

    def group(self, group_id: str) -> Group:
        """The group with ``group_id`` (the first, should two share it).

        Raises:
            KeyError: if there is no such group.
        """
        return self._groups_by_id[group_id]

    def teams_of(self, cohort: str) -> tuple[Team, ...]:
        """The teams of ``cohort``, in roster order."""
        return tuple(team for team in self.teams if team.cohort == cohort)

    def members(self, team_id: str) -> tuple[Person, ...]:
        """The people of team ``team_id``, in roster order."""
        return tuple(person for person in self.people if person.team == team_id)

    def groups_of(self, cohort: str, kind: AudienceKind) -> tuple[Group, ...]:
        """The groups of ``kind`` with at least one team or person of ``cohort``."""
        teams = {team.id for team in self.teams_of(cohort)}
        used: set[str] = set()
        if kind is AudienceKind.COACHING_GROUP:
            used = {t.coaching_group for t in self.teams_of(cohort) if t.coaching_group}
        elif kind is AudienceKind.AFFINITY_GROUP:
            used = {p.affinity_group for p in self.people if p.team in teams and p.affinity_group}
        return tuple(group for group in self.groups if group.kind is kind and group.id in used)

    def targets_of_team(self, team_id: str) -> frozenset[Target]:
        """Every audience the whole team belongs to.

        The programme (when known), the team's cohort, the team and its coaching group.

        Raises:
            KeyError: if there is no such team.
        """
        team = self.team(team_id)
        targets = {
            Target(kind=AudienceKind.COHORT, key=team.cohort),
            Target(kind=AudienceKind.TEAM, key=team.id),
        }
        if self.programme is not None:
            targets.add(Target(kind=AudienceKind.PROGRAMME, key=self.programme))
        if team.coaching_group is not None:
            targets.add(Target(kind=AudienceKind.COACHING_GROUP, key=team.coaching_group))
        return frozenset(targets)

    @functools.cached_property
    def _teams_by_target(self) -> dict[Target, tuple[str, ...]]:
        found: dict[Target, list[str]] = {}
        for team in self.teams:
            for target in self.targets_of_team(team.id):
                found.setdefault(target, []).append(team.id)
        for person in self.people:
            for target in self.targets_of_person(person.id) - self.targets_of_team(person.team):
                found.setdefault(target, []).append(person.team)
            found.setdefault(Target(kind=AudienceKind.PERSON, key=person.id), [person.team])
        # Team order, not first-seen order: people may be listed in any order.
        order = {team.id: index for index, team in reversed(list(enumerate(self.teams)))}
        return {
            target: tuple(sorted(set(teams), key=lambda team: order.get(team, len(order))))
            for target, teams in found.items()
        }

    def teams_for(self, target: Target) -> tuple[str, ...]:
        """The ids of the teams an event for ``target`` reaches, in roster order.

        Several cohorts together reach the teams of each.

        The inverse of :meth:`targets_of_team` and :meth:`targets_of_person`: a
        team is reached when it, or one of its people, belongs to ``target``
        (senior leaders reach the teams that have one; an affinity group the
        teams some of whose people join it).

        >>> roster = Roster(
        ...     programme="p",
        ...     teams=(Team(id="t", name="T", cohort="c", timezone=Zone("America/New_York")),),
        ...     people=(Person(id="ann", name="Ann", team="t", role=Role.SENIOR_LEADER),),
        ...     groups=(),
        ... )
        >>> roster.teams_for(Target(kind=AudienceKind.SENIOR_LEADERS, key="c"))
        ('t',)
        >>> roster.teams_for(Target.of_cohorts(["c", "d"]))
        ('t',)
        """
        if target.kind is AudienceKind.COHORTS:
            reached = {t for part in target.audiences for t in self._teams_by_target.get(part, ())}
            return tuple(team.id for team in self.teams if team.id in reached)
        return self._teams_by_target.get(target, ())

    def targets_of_person(self, person_id: str) -> frozenset[Target]:
        """Every audience one person belongs to.

        Their team's audiences, their affinity group, and their cohort's senior
        leaders if they are a senior leader or an alternate.

        Raises:
            KeyError: if there is no such person.
        """
        person = self.person(person_id)
        targets = set(self.targets_of_team(person.team))
        if person.affinity_group is not None:
            targets.add(Target(kind=AudienceKind.AFFINITY_GROUP, key=person.affinity_group))
        if person.role.leads:
            targets.add(Target(kind=AudienceKind.SENIOR_LEADERS, key=self.team(person.team).cohort))
        return frozenset(targets)


def require_roster(roster: Roster | None, what: str) -> Roster:
    """``roster``, or a :class:`PeScheduleError` saying ``what`` needs one."""
    if roster is None:
        raise PeScheduleError(
            f"{what} needs a roster; declare one under [programme] roster = '...'"
        )
    return roster


__all__ = ["Group", "Person", "Role", "Roster", "Staff", "StaffRole", "Team", "require_roster"]
