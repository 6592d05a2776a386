"""Who one occurrence is for: each declarable audience kind's fan-out function.

An activity declared for a kind of audience happens once per audience of that
kind: once for the cohort, once per team, per coaching group, per affinity
group. Each kind's function, registered with :func:`fans_out`, lists those
audiences as :class:`Recipient` values: the event's target, the part of its
uid that names the audience, the key its timing sessions are declared under
and, for parallel sessions, a label and the team's own zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs

from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.model.zones import Zone


@attrs.frozen(kw_only=True)
class Recipient:
    """One audience an occurrence fans out to."""

    target: Target
    #: The uid part naming the audience.
    key: str
    #: The session key timing slots are declared under (a team or group id).
    session: str | None = None
    #: Shown after the event's name for parallel sessions.
    label: str | None = None
    #: The team's own zone, for weekly meetings held at local time.
    team_zone: Zone | None = None


#: Lists the recipients of an occurrence of ``cohort`` (``None``: programme-wide),
#: or gives ``None`` when that needs a roster the programme lacks.
FanOut = Callable[[Programme, str | None], tuple[Recipient, ...] | None]

_FAN_OUT: dict[AudienceKind, FanOut] = {}


def fans_out(kind: AudienceKind) -> Callable[[FanOut], FanOut]:
    """Register the decorated function as the fan-out of audiences of ``kind``."""

    def register(function: FanOut) -> FanOut:
        _FAN_OUT[kind] = function
        return function

    return register


def recipients(
    programme: Programme, cohort: str | None, kind: AudienceKind
) -> tuple[Recipient, ...] | None:
    """Who an occurrence of ``cohort`` for audience ``kind`` goes to.

    Returns:
        The recipients, or ``None`` when finding them needs a roster the
        programme lacks.

    Raises:
        ValueError: if ``kind`` has no fan-out (it cannot be declared).
    """
    try:
        fan_out = _FAN_OUT[kind]
    except KeyError:
        raise ValueError(f"no audience of kind {kind.value!r} can be declared") from None
    return fan_out(programme, cohort)


def _cohorts(programme: Programme, cohort: str | None) -> list[str]:
    return [cohort] if cohort is not None else [c.id for c in programme.cohorts]


@fans_out(AudienceKind.COHORT)
def _cohort(programme: Programme, cohort: str | None) -> tuple[Recipient, ...]:
    # An event of no cohort is for the whole programme.
    if cohort is None:
        target = Target(kind=AudienceKind.PROGRAMME, key=programme.id)
        return (Recipient(target=target, key=AudienceKind.PROGRAMME.value),)
    target = Target(kind=AudienceKind.COHORT, key=cohort)
    return (Recipient(target=target, key=AudienceKind.COHORT.value),)


@fans_out(AudienceKind.SENIOR_LEADERS)
def _senior_leaders(programme: Programme, cohort: str | None) -> tuple[Recipient, ...]:
    kind = AudienceKind.SENIOR_LEADERS
    return tuple(
        Recipient(
            target=Target(kind=kind, key=c),
            key=f"{kind.value}-{c}" if cohort is None else kind.value,
        )
        for c in _cohorts(programme, cohort)
    )


@fans_out(AudienceKind.TEAM)
def _teams(programme: Programme, cohort: str | None) -> tuple[Recipient, ...] | None:
    roster = programme.roster
    if roster is None:
        return None
    kind = AudienceKind.TEAM
    return tuple(
        Recipient(
            target=Target(kind=kind, key=team.id),
            key=f"{kind.value}-{team.id}",
            session=team.id,
            label=team.name,
            team_zone=team.timezone,
        )
        for cohort_id in _cohorts(programme, cohort)
        for team in roster.teams_of(cohort_id)
    )


def _groups(
    programme: Programme, cohort: str | None, kind: AudienceKind
) -> tuple[Recipient, ...] | None:
    roster = programme.roster
    if roster is None:
        return None

    def each() -> Iterator[Recipient]:
        seen: set[str] = set()
        for cohort_id in _cohorts(programme, cohort):
            for group in roster.groups_of(cohort_id, kind):
                if group.id not in seen:
                    seen.add(group.id)
                    yield Recipient(
                        target=Target(kind=kind, key=group.id),
                        key=f"{kind.value}-{group.id}",
                        session=group.id,
                        label=group.name,
                    )

    return tuple(each())


@fans_out(AudienceKind.COACHING_GROUP)
def _coaching_groups(programme: Programme, cohort: str | None) -> tuple[Recipient, ...] | None:
    return _groups(programme, cohort, AudienceKind.COACHING_GROUP)


@fans_out(AudienceKind.AFFINITY_GROUP)
def _affinity_groups(programme: Programme, cohort: str | None) -> tuple[Recipient, ...] | None:
    return _groups(programme, cohort, AudienceKind.AFFINITY_GROUP)


__all__ = ["FanOut", "Recipient", "fans_out", "recipients"]
