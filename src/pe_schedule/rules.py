"""The alternating-month rules a cohort's grid must follow, and their check.

Rules are declared in the data, beside the grid they constrain, and each is a
small value that knows how to find its own violations. Checking never stops at
the first broken rule: :func:`check` returns every violation of every cohort,
so a programme manager sees the whole picture in one run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar, TypeAlias

import attrs

from pe_schedule.model import Activity, Cohort, Programme
from pe_schedule.months import YearMonth, month_range


@attrs.frozen(kw_only=True)
class Violation:
    """One month in which one activity breaks one rule."""

    rule: str
    cohort: str
    activity: str
    month: YearMonth | None
    message: str

    def __str__(self) -> str:
        month = f" {self.month}" if self.month else ""
        return f"{self.cohort}/{self.activity}{month}: {self.message} [rule: {self.rule}]"


def _names(activities: Iterable[Activity]) -> str:
    names = [activity.name for activity in activities]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


@attrs.frozen(kw_only=True)
class EveryNMonths:
    """The activity recurs every ``months`` months, skipping only months of ``unless``.

    With ``months = 2`` it never happens in two consecutive months.
    """

    kind: ClassVar[str] = "every"
    activity: str
    months: int
    unless: tuple[str, ...] = ()

    @property
    def activities(self) -> tuple[str, ...]:
        """The ids of the activities the rule names."""
        return (self.activity, *self.unless)

    def check(self, cohort: Cohort) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject = cohort.activity(self.activity)
        skips = [cohort.activity(other) for other in self.unless]
        cadence = f"every {self.months} months"

        def violation(month: YearMonth, message: str) -> Violation:
            return Violation(
                rule=self.kind, cohort=cohort.id, activity=subject.id, month=month, message=message
            )

        for previous, month in zip(subject.months, subject.months[1:], strict=False):
            gap = month - previous
            if gap % self.months:
                yield violation(
                    month,
                    f"{subject.name} is scheduled in {month.label}, {gap} month(s) after "
                    f"{previous.label}; it must recur {cadence}.",
                )
                continue
            for step in range(1, gap // self.months):
                expected = previous + step * self.months
                if not any(skip.happens_in(expected) for skip in skips):
                    reason = f" and may skip only a month of {_names(skips)}" if skips else ""
                    yield violation(
                        expected,
                        f"{subject.name} is missing in {expected.label}: it recurs "
                        f"{cadence}{reason}.",
                    )


@attrs.frozen(kw_only=True)
class NotWith:
    """The activity happens only in months without ``other``."""

    kind: ClassVar[str] = "not-with"
    activity: str
    other: str

    @property
    def activities(self) -> tuple[str, ...]:
        """The ids of the activities the rule names."""
        return (self.activity, self.other)

    def check(self, cohort: Cohort) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject, other = cohort.activity(self.activity), cohort.activity(self.other)
        for month in subject.months:
            if other.happens_in(month):
                yield Violation(
                    rule=self.kind,
                    cohort=cohort.id,
                    activity=subject.id,
                    month=month,
                    message=f"{subject.name} is scheduled in {month.label}, a month that "
                    f"already has {other.name}; it may only happen in months without it.",
                )


@attrs.frozen(kw_only=True)
class AlternatesWith:
    """From its first month on, the activity and ``other`` take turns month by month.

    Every month up to the last of either holds exactly one of the two, never
    the same one twice in a row.
    """

    kind: ClassVar[str] = "alternates-with"
    activity: str
    other: str

    @property
    def activities(self) -> tuple[str, ...]:
        """The ids of the activities the rule names."""
        return (self.activity, self.other)

    def check(self, cohort: Cohort) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject, other = cohort.activity(self.activity), cohort.activity(self.other)
        if not subject.months:
            return
        last = max(subject.months[-1], other.months[-1] if other.months else subject.months[-1])
        previous_holder: Activity | None = None
        for month in month_range(subject.months[0], last):
            holders = [a for a in (subject, other) if a.happens_in(month)]
            message = None
            if len(holders) == 2:
                message = (
                    f"{subject.name} and {other.name} are both scheduled in {month.label}; "
                    "they alternate, one per month."
                )
            elif not holders:
                message = (
                    f"Neither {subject.name} nor {other.name} is scheduled in {month.label}; "
                    "they alternate, so every month holds one of them."
                )
            elif holders[0] is previous_holder:
                message = (
                    f"{holders[0].name} is scheduled in {(month + -1).label} and again in "
                    f"{month.label}; it alternates with "
                    f"{(other if holders[0] is subject else subject).name}."
                )
            if message:
                yield Violation(
                    rule=self.kind,
                    cohort=cohort.id,
                    activity=subject.id,
                    month=month,
                    message=message,
                )
            previous_holder = holders[0] if len(holders) == 1 else None


@attrs.frozen(kw_only=True)
class SameMonths:
    """The activity happens in exactly the months of ``other``."""

    kind: ClassVar[str] = "same-months"
    activity: str
    other: str

    @property
    def activities(self) -> tuple[str, ...]:
        """The ids of the activities the rule names."""
        return (self.activity, self.other)

    def check(self, cohort: Cohort) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject, other = cohort.activity(self.activity), cohort.activity(self.other)
        for month in sorted(set(subject.months) ^ set(other.months)):
            has, lacks = (subject, other) if subject.happens_in(month) else (other, subject)
            yield Violation(
                rule=self.kind,
                cohort=cohort.id,
                activity=subject.id,
                month=month,
                message=f"{has.name} is scheduled in {month.label} but {lacks.name} is not; "
                "the two share the same months.",
            )


@attrs.frozen(kw_only=True)
class MonthlyExcept:
    """From its first to its last month, the activity runs monthly except in months of ``others``."""

    kind: ClassVar[str] = "monthly-except"
    activity: str
    others: tuple[str, ...]

    @property
    def activities(self) -> tuple[str, ...]:
        """The ids of the activities the rule names."""
        return (self.activity, *self.others)

    def check(self, cohort: Cohort) -> Iterator[Violation]:
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
            yield Violation(
                rule=self.kind, cohort=cohort.id, activity=subject.id, month=month, message=message
            )


@attrs.frozen(kw_only=True)
class InPersonWith:
    """Each in-person month of the activity is an in-person month of ``other``."""

    kind: ClassVar[str] = "in-person-with"
    activity: str
    other: str

    @property
    def activities(self) -> tuple[str, ...]:
        """The ids of the activities the rule names."""
        return (self.activity, self.other)

    def check(self, cohort: Cohort) -> Iterator[Violation]:
        """Yield each month in which ``cohort`` breaks the rule."""
        subject, other = cohort.activity(self.activity), cohort.activity(self.other)
        for month in subject.in_person:
            if not other.is_in_person(month):
                yield Violation(
                    rule=self.kind,
                    cohort=cohort.id,
                    activity=subject.id,
                    month=month,
                    message=f"{subject.name} meets in person in {month.label}, but "
                    f"{other.name} is not in person that month; in-person meetings of "
                    "the two coincide.",
                )


Rule: TypeAlias = (
    EveryNMonths | NotWith | AlternatesWith | SameMonths | MonthlyExcept | InPersonWith
)

#: Every rule class, by the ``kind`` a declaration names it with.
RULE_KINDS: dict[str, type[Rule]] = {
    rule.kind: rule
    for rule in (EveryNMonths, NotWith, AlternatesWith, SameMonths, MonthlyExcept, InPersonWith)
}


def contradictions(rules: Sequence[Rule]) -> tuple[tuple[int, str], ...]:
    """Rules that no grid can satisfy together, whatever months the activities get.

    ``same-months`` rules tie activities into groups that share every month,
    directly or through a chain (a = b, b = c). Every activity has at least one
    month, so a ``not-with`` or ``alternates-with`` rule between two activities
    of one group can never hold.

    Returns:
        For each such rule, its index and what it contradicts.

    >>> contradictions((SameMonths(activity="a", other="b"), SameMonths(activity="b", other="c"),
    ...                 NotWith(activity="c", other="a")))
    ((2, "not-with 'c' and 'a', but same-months rules[0], rules[1] tie them"),)
    """
    # Union-find over activity ids, remembering which same-months rules joined each group.
    parent: dict[str, str] = {}
    joined_by: dict[str, list[int]] = {}

    def root(activity: str) -> str:
        while parent.get(activity, activity) != activity:
            activity = parent[activity]
        return activity

    for index, rule in enumerate(rules):
        if isinstance(rule, SameMonths):
            left, right = root(rule.activity), root(rule.other)
            if left != right:
                parent[right] = left
                joined_by[left] = [*joined_by.get(left, []), *joined_by.pop(right, []), index]
            else:
                joined_by[left] = [*joined_by.get(left, []), index]
    found = []
    for index, rule in enumerate(rules):
        if not isinstance(rule, NotWith | AlternatesWith):
            continue
        group = root(rule.activity)
        if group != root(rule.other):
            continue
        tied = ", ".join(f"rules[{joined}]" for joined in sorted(joined_by[group]))
        message = (
            f"{rule.kind} {rule.activity!r} and {rule.other!r}, but same-months {tied} tie them"
        )
        found.append((index, message))
    return tuple(found)


def check(programme: Programme) -> tuple[Violation, ...]:
    """Every violation of every rule of every cohort of ``programme``.

    Violations come cohort by cohort, in the order the rules are declared,
    each rule's in month order.
    """
    return tuple(
        violation
        for cohort in programme.cohorts
        for rule in cohort.rules
        for violation in rule.check(cohort)
    )


__all__ = [
    "RULE_KINDS",
    "AlternatesWith",
    "EveryNMonths",
    "InPersonWith",
    "MonthlyExcept",
    "NotWith",
    "Rule",
    "SameMonths",
    "Violation",
    "check",
    "contradictions",
]
