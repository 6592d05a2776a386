"""The rule kinds a cohort's grid can be held to, one class each.

Each class carries everything about its kind: the name a declaration uses,
the sentence explaining it, its keys (which the declaration reader and the
JSON Schema read) and its check. :func:`~pe_schedule._internal.rules.registry.rule_kind`
adds a class to the registry; adding a kind is adding one such class.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

import attrs

from pe_schedule._internal.model.activity import Activity
from pe_schedule._internal.model.months import YearMonth, month_range
from pe_schedule._internal.model.rule import (
    CohortView,
    Operand,
    Rule,
    RuleKey,
    Violation,
)
from pe_schedule._internal.rules.registry import rule_kind

_OTHER = RuleKey(
    name="other",
    field="other",
    operand=Operand.ACTIVITY,
    description="The id of the other activity the rule relates.",
)


@attrs.frozen(kw_only=True)
class _Pair(Rule):
    """A rule relating the activity to one ``other`` activity (a base, not a kind)."""

    keys: ClassVar[tuple[RuleKey, ...]] = (_OTHER,)
    activity: str
    other: str

    def _pair(self, cohort: CohortView) -> tuple[Activity, Activity]:
        return cohort.activity(self.activity), cohort.activity(self.other)


def _names(activities: Iterable[Activity]) -> str:
    names = [activity.name for activity in activities]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


@rule_kind
@attrs.frozen(kw_only=True)
class EveryNMonths(Rule):
    """The activity recurs every ``months`` months, skipping only months of ``unless``.

    With ``months = 2`` it never happens in two consecutive months.
    """

    kind = "every"
    text = "The activity recurs every `months` months, skipping only months of `unless`."
    keys = (
        RuleKey(
            name="months",
            field="months",
            operand=Operand.MONTHS,
            minimum=2,
            description="The cadence in months.",
        ),
        RuleKey(
            name="unless",
            field="unless",
            operand=Operand.ACTIVITIES,
            required=False,
            description="Activities whose months the activity may skip.",
        ),
    )
    activity: str
    months: int
    unless: tuple[str, ...] = ()

    def check(self, cohort: CohortView) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject = cohort.activity(self.activity)
        skips = [cohort.activity(other) for other in self.unless]
        for previous, month in zip(subject.months, subject.months[1:], strict=False):
            gap = month - previous
            if gap % self.months:
                message = (
                    f"{subject.name} is scheduled in {month.label}, {gap} month(s) after "
                    f"{previous.label}; it must recur every {self.months} months."
                )
                yield self.violation(cohort, month, message)
                continue
            for step in range(1, gap // self.months):
                expected = previous + step * self.months
                if not any(skip.happens_in(expected) for skip in skips):
                    yield self.violation(cohort, expected, self._missing(subject, expected, skips))

    def _missing(self, subject: Activity, month: YearMonth, skips: list[Activity]) -> str:
        reason = f" and may skip only a month of {_names(skips)}" if skips else ""
        return (
            f"{subject.name} is missing in {month.label}: it recurs "
            f"every {self.months} months{reason}."
        )


@rule_kind
@attrs.frozen(kw_only=True)
class NotWith(_Pair):
    """The activity happens only in months without ``other``."""

    kind = "not-with"
    text = "The activity happens only in months without `other`."
    separates = True

    def check(self, cohort: CohortView) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject, other = self._pair(cohort)
        for month in subject.months:
            if other.happens_in(month):
                yield self.violation(
                    cohort,
                    month,
                    f"{subject.name} is scheduled in {month.label}, a month that "
                    f"already has {other.name}; it may only happen in months without it.",
                )


@rule_kind
@attrs.frozen(kw_only=True)
class AlternatesWith(_Pair):
    """From its first month on, the activity and ``other`` take turns month by month.

    Every month up to the last of either holds exactly one of the two, never
    the same one twice in a row.
    """

    kind = "alternates-with"
    text = "From its first month on, the activity and `other` take turns."
    separates = True

    def check(self, cohort: CohortView) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject, other = self._pair(cohort)
        if not subject.months:
            return
        last = max(subject.months[-1], other.months[-1] if other.months else subject.months[-1])
        previous_holder: Activity | None = None
        for month in month_range(subject.months[0], last):
            holders = [a for a in (subject, other) if a.happens_in(month)]
            message = self._message(subject, other, month, holders, previous_holder)
            if message:
                yield self.violation(
                    cohort,
                    month,
                    message,
                )
            previous_holder = holders[0] if len(holders) == 1 else None

    @staticmethod
    def _message(
        subject: Activity,
        other: Activity,
        month: YearMonth,
        holders: list[Activity],
        previous_holder: Activity | None,
    ) -> str | None:
        if len(holders) == 2:
            return (
                f"{subject.name} and {other.name} are both scheduled in {month.label}; "
                "they alternate, one per month."
            )
        if not holders:
            return (
                f"Neither {subject.name} nor {other.name} is scheduled in {month.label}; "
                "they alternate, so every month holds one of them."
            )
        if holders[0] is previous_holder:
            return (
                f"{holders[0].name} is scheduled in {(month + -1).label} and again in "
                f"{month.label}; it alternates with "
                f"{(other if holders[0] is subject else subject).name}."
            )
        return None


@rule_kind
@attrs.frozen(kw_only=True)
class SameMonths(_Pair):
    """The activity happens in exactly the months of ``other``."""

    kind = "same-months"
    text = "The activity happens in exactly the months of `other`."
    ties = True

    def check(self, cohort: CohortView) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject, other = self._pair(cohort)
        for month in sorted(set(subject.months) ^ set(other.months)):
            has, lacks = (subject, other) if subject.happens_in(month) else (other, subject)
            yield self.violation(
                cohort,
                month,
                f"{has.name} is scheduled in {month.label} but {lacks.name} is not; "
                "the two share the same months.",
            )


@rule_kind
@attrs.frozen(kw_only=True)
class InPersonWith(_Pair):
    """Each in-person month of the activity is an in-person month of ``other``."""

    kind = "in-person-with"
    text = "Each in-person month of the activity is an in-person month of `other`."

    def check(self, cohort: CohortView) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject, other = self._pair(cohort)
        for month in subject.in_person:
            if not other.is_in_person(month):
                yield self.violation(
                    cohort,
                    month,
                    f"{subject.name} meets in person in {month.label}, but "
                    f"{other.name} is not in person that month; in-person meetings of "
                    "the two coincide.",
                )


@rule_kind
@attrs.frozen(kw_only=True)
class MonthlyExcept(Rule):
    """From its first to its last month, the activity runs monthly except in months of ``others``."""

    kind = "monthly-except"
    text = "The activity runs monthly except in months of the `except` activities."
    keys = (
        RuleKey(
            name="except",
            field="others",
            operand=Operand.ACTIVITIES,
            description="Activities in whose months the activity does not run.",
        ),
    )
    activity: str
    others: tuple[str, ...]

    def check(self, cohort: CohortView) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject = cohort.activity(self.activity)
        others = [cohort.activity(other) for other in self.others]
        if not subject.months:
            return
        for month in month_range(subject.months[0], subject.months[-1]):
            blocking = [other for other in others if other.happens_in(month)]
            if blocking and subject.happens_in(month):
                message = (
                    f"{subject.name} is scheduled in {month.label}, a month of "
                    f"{_names(blocking)}, when it is skipped."
                )
            elif not blocking and not subject.happens_in(month):
                message = (
                    f"{subject.name} is missing in {month.label}: it runs every month except "
                    f"months of {_names(others)}."
                )
            else:
                continue
            yield self.violation(cohort, month, message)


__all__ = [
    "AlternatesWith",
    "EveryNMonths",
    "InPersonWith",
    "MonthlyExcept",
    "NotWith",
    "SameMonths",
]
