"""The teams a grouping forms groups from, and what each brings: slots, attributes, zone.

A :class:`Pool` is plain data, computed once per grouped activity from the
:class:`~.facts.Facts`; the group models (``groups``), their explanations and
the summaries all read it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import attrs

from pe_schedule._internal.model.activity import Grouping
from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.availability import Availability
from pe_schedule._internal.model.solved import SolvedGroup
from pe_schedule._internal.solve.facts import Facts
from pe_schedule._internal.solve.options import Option, Placement

#: Written for a team without a value of an attribute the grouping names.
NO_VALUE = "(none)"


@attrs.frozen(kw_only=True)
class Pool:
    """One grouped activity's teams, and what the group models need to know of each."""

    ref: str
    cohort: str
    grouping: Grouping
    #: The slots a group may meet at (empty: the activity has no timing to meet at).
    options: tuple[Option, ...]
    #: Every team of the cohort, in roster order.
    teams: tuple[str, ...]
    #: For each team, the options (by index) it can meet at: inside its working day,
    #: clear of its fixed events, and :attr:`usable`.
    fits: Mapping[str, frozenset[int]]
    #: The options with a date every month and, when staff lead the activity, a leader
    #: who works then.
    usable: frozenset[int] = frozenset()
    #: For each team, the options inside its working day and clear of its fixed events,
    #: usable or not (to say why a team fits nowhere).
    own: Mapping[str, frozenset[int]] = attrs.field(factory=dict)
    #: For each team and option, minutes between the meeting's middle and its day's middle.
    comfort: Mapping[str, tuple[int, ...]]
    #: Each team's offset from UTC, in half hours, averaged over winter and summer.
    offset: Mapping[str, int]
    #: Each team's values of the similar attributes, then of the mixed ones.
    values: Mapping[str, tuple[str, ...]]
    #: The groups of this activity in the solve being redone.
    previous: tuple[SolvedGroup, ...] = ()

    @property
    def pinned(self) -> tuple[SolvedGroup, ...]:
        """The previous groups no re-solve may change."""
        return tuple(group for group in self.previous if group.pinned)

    #: Each team's position in the roster.
    index: Mapping[str, int] = attrs.field(init=False)

    @index.default
    def _index(self) -> Mapping[str, int]:
        return {team: number for number, team in enumerate(self.teams)}

    def common(self, teams: list[str] | tuple[str, ...]) -> frozenset[int]:
        """The options every one of ``teams`` can meet at."""
        found = frozenset(range(max(len(self.options), 1)))
        for team in teams:
            found &= self.fits[team]
        return found

    def counts(self, teams: int) -> range:
        """How many groups ``teams`` teams may form: the declared count, else every count
        whose sizes can hold them, fewest first."""
        smallest, largest = self.grouping.smallest, self.grouping.largest
        if self.grouping.count is not None:
            count = self.grouping.count
            return range(count, count + 1)
        return range(max(1, math.ceil(teams / largest)), teams // smallest + 1)


def _offset(who: Availability, year: int) -> int:
    """Half hours from UTC, the mean of mid-January and mid-July (so DST counts half)."""
    minutes = 0
    for month in (1, 7):
        moment = dt.datetime(year, month, 15, 12, tzinfo=who.zone.tzinfo).utcoffset()
        assert moment is not None
        minutes += int(moment.total_seconds()) // 60
    return minutes // 60


def comfort_of(who: Availability, placement: Placement) -> int:
    """Mean minutes between ``placement``'s meetings' middles and the middle of ``who``'s day."""
    if not placement.meetings:
        return 0
    total = sum(who.offset_from_middle(m.start, m.end) for m in placement.meetings)
    return total // len(placement.meetings)


def _coachable(facts: Facts, ref: str, placement: Placement) -> bool:
    """Whether anyone who leads ``ref`` could lead a session at ``placement``."""
    leaders = [m.id for m in facts.roster.staff if ref in m.leads]
    if not leaders:
        return True
    return any(
        facts.conflict_of(facts.staff(s), ref, None, placement.option) is None
        and facts.staff_blocked(s, placement) is None
        for s in leaders
    )


def usable(facts: Facts, ref: str, options: tuple[Option, ...]) -> frozenset[int]:
    """The options some group could take whoever is in it: a real date every month, and a
    leader who could lead it when staff lead the activity."""
    found = set()
    for number, option in enumerate(options):
        placement = facts.placement_of(ref, None, option)
        if not placement.problems and _coachable(facts, ref, placement):
            found.add(number)
    return frozenset(found)


def team_fits(facts: Facts, ref: str, team: str, options: tuple[Option, ...]) -> frozenset[int]:
    """The options (by index) inside ``team``'s working day and clear of its fixed events."""
    who = facts.team(team)
    target = Target(kind=AudienceKind.TEAM, key=team)
    return frozenset(
        number
        for number, option in enumerate(options)
        if facts.conflict_of(who, ref, None, option) is None
        and facts.blocked(target, facts.placement_of(ref, None, option)) is None
    )


def build_pool(facts: Facts, ref: str, previous: tuple[SolvedGroup, ...] = ()) -> Pool:
    """The pool of grouped activity ``ref``, from ``facts`` of a programme without its groups."""
    found = facts.activity(ref)
    assert found is not None
    cohort, activity = found
    grouping = activity.grouping
    assert grouping is not None
    timing = activity.timing
    options: tuple[Option, ...] = ()
    if timing is not None and timing.choices is not None:
        options = tuple(Option(day=d, start=s) for d, s in timing.choices.slots())
    elif timing is not None and timing.start is not None:
        options = (Option(day=timing.day, start=timing.start),)
    teams = tuple(team.id for team in facts.roster.teams_of(cohort.id))
    everywhere = usable(facts, ref, options)
    own = {
        team: team_fits(facts, ref, team, options) if options else frozenset({0}) for team in teams
    }
    fits = {team: own[team] & everywhere if options else own[team] for team in teams}
    # Teams with one working day share their comfort: a thousand teams have a few dozen.
    alike: dict[Availability, tuple[int, ...]] = {}
    for team in teams:
        who = facts.team(team)
        if who not in alike:
            alike[who] = tuple(
                comfort_of(who, facts.placement_of(ref, None, option)) for option in options
            )
    comfort = {team: alike[facts.team(team)] for team in teams}
    year = facts.programme.first_month.year
    names = (*grouping.similar, *grouping.mixed)
    return Pool(
        ref=ref,
        cohort=cohort.id,
        grouping=grouping,
        options=options,
        teams=teams,
        fits=fits,
        usable=everywhere,
        own=own,
        comfort=comfort,
        offset={team: _offset(facts.team(team), year) for team in teams},
        values={
            team: tuple(facts.roster.team(team).attribute(name) or NO_VALUE for name in names)
            for team in teams
        },
        previous=tuple(g for g in previous if g.activity == ref),
    )


__all__ = ["NO_VALUE", "Pool", "build_pool", "comfort_of", "team_fits", "usable"]
