"""Who takes part: teams, people and the groups they meet in.

A :class:`Roster` drives the fan-out of activities into parallel sessions
(one per team, coaching group or affinity group) and answers "which events are
mine?": each team and each person belongs to a set of
:class:`~pe_schedule.Target` values, and an event is theirs when its target is
in that set.
"""

from __future__ import annotations

import enum
import functools

import attrs

from pe_schedule._internal.model.audience import GROUP_KINDS, AudienceKind, Target
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


@attrs.frozen(kw_only=True)
class Person:
    """One participant, in one team."""

    id: str
    name: str
    team: str
    role: Role = Role.MEMBER
    affinity_group: str | None = None


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


__all__ = ["Group", "Person", "Role", "Roster", "Team", "require_roster"]
