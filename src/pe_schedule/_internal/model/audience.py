"""Who an event is for: one vocabulary of audience kinds, and the audiences themselves.

:class:`AudienceKind` is the only list of audience kinds in pe_schedule. An
activity names the kind it fans out to, an event is addressed to one
:class:`Target` (a kind and which one), a feed is published for one audience,
and listings, the index page and announcements order and title them, all from
the member's own data. Adding a kind is one member here, plus its fan-out
function in :mod:`pe_schedule._internal.schedule.fan_out` when activities may
name it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs


class AudienceKind(enum.Enum):
    """A kind of audience, broadest first: the order feeds and announcements list them in.

    >>> AudienceKind("coaching-group").title, AudienceKind.TEAM.feed_file("ln-01")
    ('Coaching groups', 'team-ln-01.ics')
    >>> [kind.value for kind in AudienceKind if kind.declarable]
    ['cohort', 'senior-leaders', 'coaching-group', 'affinity-group', 'team']
    """

    # value, title (a heading over many), noun (one of them), whether activities may name it
    PROGRAMME = ("programme", "Whole programme", "programme", False)
    #: Several cohorts together: a shared activity's one session for all its cohorts.
    COHORTS = ("cohorts", "Several cohorts", "group of cohorts", False)
    COHORT = ("cohort", "Cohorts", "cohort", True)
    SENIOR_LEADERS = ("senior-leaders", "Senior leaders", "senior leaders' group", True)
    COACHING_GROUP = ("coaching-group", "Coaching groups", "coaching group", True)
    AFFINITY_GROUP = ("affinity-group", "Affinity groups", "affinity group", True)
    TEAM = ("team", "Teams", "team", True)
    PERSON = ("person", "People", "person", False)
    #: A coach or faculty member: the sessions they lead.
    STAFF = ("staff", "Staff", "staff member", False)

    # The defaults let ``AudienceKind("team")``, a look-up by value, type-check.
    def __new__(
        cls, value: str, title: str = "", noun: str = "", declarable: bool = False
    ) -> AudienceKind:
        member = object.__new__(cls)
        member._value_ = value
        member.title = title
        member.noun = noun
        member.declarable = declarable
        return member

    # Set by __new__; declared here for type checkers.
    title: str
    noun: str
    #: Whether an activity or event may be declared for this kind of audience.
    declarable: bool

    @property
    def rank(self) -> int:
        """The kind's place in listings: 0 for the broadest audience."""
        return _ORDER[self]

    @property
    def parallel(self) -> bool:
        """Whether an occurrence for this kind is one parallel session per team or group.

        Such sessions are keyed by the roster's team or group id and may each
        have their own slot; the others meet once, all together.
        """
        return self in _PARALLEL

    @property
    def private(self) -> bool:
        """Whether feeds for this kind are private: never listed in ``feeds.json`` or on
        the page, since the unguessable name of each is all that keeps it so."""
        return self is AudienceKind.PERSON

    @property
    def article(self) -> str:
        """``a`` or ``an``, as an English sentence puts it before :attr:`noun`."""
        return "an" if self.noun[0] in "aeiou" else "a"

    def feed_file(self, key: str) -> str:
        """The file name of the feed for audience ``key`` of this kind (a safe slug).

        The whole programme has one feed, named after the kind alone.
        """
        if self is AudienceKind.PROGRAMME:
            return f"{self.value}.ics"
        return f"{self.value}-{key}.ics"


_ORDER = {kind: rank for rank, kind in enumerate(AudienceKind)}
_PARALLEL = frozenset((AudienceKind.COACHING_GROUP, AudienceKind.AFFINITY_GROUP, AudienceKind.TEAM))

#: What joins the cohort ids of a several-cohorts target's key (never part of an id).
COHORTS_JOIN = "+"

#: The kinds an activity or event may be declared for, broadest first.
DECLARABLE = tuple(kind for kind in AudienceKind if kind.declarable)
#: The kinds of group a roster declares under ``[[groups]]``.
GROUP_KINDS = (AudienceKind.COACHING_GROUP, AudienceKind.AFFINITY_GROUP)


@attrs.frozen(kw_only=True, order=True)
class Target:
    """Exactly who one event is for: a kind of audience and which one.

    >>> str(Target(kind=AudienceKind.COACHING_GROUP, key="ln-west-1"))
    'coaching-group:ln-west-1'
    >>> Target.parse("team:ln-01") == Target(kind=AudienceKind.TEAM, key="ln-01")
    True
    """

    kind: AudienceKind = attrs.field(order=lambda kind: kind.value)
    #: The id of the programme, cohort, team or group; for senior leaders, the cohort;
    #: for several cohorts, their ids joined by ``+`` (see :meth:`of_cohorts`).
    key: str

    @classmethod
    def of_cohorts(cls, cohorts: Iterable[str]) -> Target:
        """The audience of the cohorts ``cohorts`` together, as one.

        >>> str(Target.of_cohorts(["learning-network", "action-community"]))
        'cohorts:learning-network+action-community'
        """
        return cls(kind=AudienceKind.COHORTS, key=COHORTS_JOIN.join(cohorts))

    @property
    def audiences(self) -> frozenset[Target]:
        """The audiences an event for this target reaches: the target itself or,
        for several cohorts, each of those cohorts.

        >>> sorted(str(t) for t in Target.of_cohorts(["ln", "ac"]).audiences)
        ['cohort:ac', 'cohort:ln']
        >>> [str(t) for t in Target(kind=AudienceKind.TEAM, key="ln-01").audiences]
        ['team:ln-01']
        """
        if self.kind is AudienceKind.COHORTS:
            return frozenset(
                Target(kind=AudienceKind.COHORT, key=key) for key in self.key.split(COHORTS_JOIN)
            )
        return frozenset({self})

    @property
    def cohorts(self) -> tuple[str, ...]:
        """The ids of the cohorts of a several-cohorts target, in order; else none."""
        if self.kind is AudienceKind.COHORTS:
            return tuple(self.key.split(COHORTS_JOIN))
        return ()

    @classmethod
    def parse(cls, text: str) -> Target:
        """Read a target written as :meth:`__str__` writes it.

        Raises:
            ValueError: if ``text`` names no kind of audience.
        """
        kind, _, key = text.partition(":")
        return cls(kind=AudienceKind(kind), key=key)

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.key}"


__all__ = ["COHORTS_JOIN", "DECLARABLE", "GROUP_KINDS", "AudienceKind", "Target"]
