"""What a rule of a cohort's grid is: the interface every rule kind implements.

Rule kinds themselves live in :mod:`pe_schedule._internal.rules`; each is one
class that says, in its class attributes, the ``kind`` a declaration names it
by, the sentence that explains it and the keys it takes (:class:`RuleKey`).
The declaration reader and the JSON Schema read those attributes, so neither
knows any rule kind by name.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterator
from typing import ClassVar, Protocol

import attrs

from pe_schedule._internal.model.activity import Activity
from pe_schedule._internal.model.months import YearMonth


@attrs.frozen(kw_only=True)
class Violation:
    """One month in which one activity breaks one rule."""

    rule: str
    cohort: str
    activity: str
    month: YearMonth | None
    message: str
    #: For a rule across cohorts: the other activities it names, as ``cohort/activity``.
    against: tuple[str, ...] = ()

    def __str__(self) -> str:
        month = f" {self.month}" if self.month else ""
        rule = " ".join((self.rule, *self.against))
        return f"{self.cohort}/{self.activity}{month}: {self.message} [rule: {rule}]"


class CohortView(Protocol):
    """What a rule reads of a cohort: its id and its activities by id (a :class:`Cohort`).

    A :class:`Programme` is one too, for rules across cohorts: its activities'
    ids are ``cohort/activity``.
    """

    @property
    def id(self) -> str:
        """The cohort's id."""

    def activity(self, activity_id: str) -> Activity:
        """The activity with ``activity_id``; ``KeyError`` if there is none."""


class Operand(enum.Enum):
    """What a rule key holds."""

    #: The id of one activity of the cohort (``cohort/activity`` in a programme's rules).
    ACTIVITY = "activity"
    #: A non-empty array of activity ids of the cohort, each once.
    ACTIVITIES = "activities"
    #: A whole number of months, at least the key's ``minimum``.
    MONTHS = "months"


@attrs.frozen(kw_only=True)
class RuleKey:
    """One key of a rule table: its TOML name, the attribute it fills, what it holds.

    >>> RuleKey(name="except", field="others", operand=Operand.ACTIVITIES,
    ...         description="Activities in whose months the activity does not run.").required
    True
    """

    name: str
    #: The attribute of the rule class the key's value fills (``except`` is a keyword).
    field: str
    operand: Operand
    description: str
    required: bool = True
    #: For :attr:`Operand.MONTHS`: the smallest value accepted.
    minimum: int = 1


class Rule(abc.ABC):
    """A rule a cohort's grid must follow; subclasses are frozen attrs classes.

    Every rule has an ``activity`` it constrains; its other keys are listed in
    :attr:`keys`, in the order a declaration usually writes them.
    """

    #: The name a declaration gives the kind: ``kind = "not-with"``.
    kind: ClassVar[str]
    #: What the rule asks, in one sentence (the schema's and README's text).
    text: ClassVar[str]
    #: The keys a rule table of this kind takes besides ``kind``.
    keys: ClassVar[tuple[RuleKey, ...]]
    #: Whether the rule ties its activities to the same months (same-months).
    ties: ClassVar[bool] = False
    #: Whether the rule keeps its activities apart, so no tie may join them (not-with).
    separates: ClassVar[bool] = False

    activity: str

    @property
    def activities(self) -> tuple[str, ...]:
        """The ids of the activities the rule names, the constrained one first."""
        named = [self.activity]
        for key in self.keys:
            value = getattr(self, key.field)
            if key.operand is Operand.ACTIVITY:
                named.append(value)
            elif key.operand is Operand.ACTIVITIES:
                named.extend(value)
        return tuple(dict.fromkeys(named))

    @abc.abstractmethod
    def check(self, cohort: CohortView) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""

    def violation(self, cohort: CohortView, month: YearMonth, message: str) -> Violation:
        """The violation of this rule by ``cohort``'s activity in ``month``."""
        return Violation(
            rule=self.kind, cohort=cohort.id, activity=self.activity, month=month, message=message
        )


#: The key every rule has: the activity it constrains.
ACTIVITY_KEY = RuleKey(
    name="activity",
    field="activity",
    operand=Operand.ACTIVITY,
    description="The id of the activity the rule constrains.",
)

__all__ = ["ACTIVITY_KEY", "CohortView", "Operand", "Rule", "RuleKey", "Violation"]
