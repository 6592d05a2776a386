"""The registry of rule kinds, and checking a programme against its rules.

Rules are declared in the data, beside the grid they constrain, and each is a
small value that knows how to find its own violations. Checking never stops at
the first broken rule: :func:`check` returns every violation of every cohort,
so a programme manager sees the whole picture in one run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

import attrs

from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.model.rule import Rule, Violation

R = TypeVar("R", bound=type[Rule])

#: Every rule class, by the ``kind`` a declaration names it with, in the order added.
RULE_KINDS: dict[str, type[Rule]] = {}


def rule_kind(cls: R) -> R:
    """Add a rule class to :data:`RULE_KINDS` (a class decorator).

    Raises:
        ValueError: if another class already has the same ``kind``.
    """
    if cls.kind in RULE_KINDS:
        raise ValueError(f"rule kind {cls.kind!r} is already {RULE_KINDS[cls.kind].__name__}")
    RULE_KINDS[cls.kind] = cls
    return cls


def check(programme: Programme) -> tuple[Violation, ...]:
    """Every violation of every rule of every cohort of ``programme``, then of
    every rule across cohorts.

    Violations come cohort by cohort, in the order the rules are declared,
    each rule's in month order. A violation of a rule across cohorts is the
    constrained activity's, and names the rule's other activities as
    ``cohort/activity`` in ``against``.
    """
    own = [
        violation
        for cohort in programme.cohorts
        for rule in cohort.rules
        for violation in rule.check(cohort)
    ]
    return (*own, *(v for rule in programme.rules for v in _across(programme, rule)))


def _across(programme: Programme, rule: Rule) -> Iterator[Violation]:
    """The violations of ``rule``, whose activities are ``cohort/activity`` refs."""
    against = rule.activities[1:]
    for violation in rule.check(programme):
        cohort, _, activity = violation.activity.partition("/")
        yield attrs.evolve(violation, cohort=cohort, activity=activity, against=against)


def contradictions(rules: Sequence[Rule]) -> tuple[tuple[int, str], ...]:
    """Rules that no grid can satisfy together, whatever months the activities get.

    Rules whose kind ``ties`` (same-months) join activities into groups that
    share every month, directly or through a chain (a = b, b = c). Every
    activity has at least one month, so a rule whose kind ``separates`` two
    activities (not-with, alternates-with) of one group can never hold.

    Returns:
        For each such rule, its index and what it contradicts.
    """
    # Union-find over activity ids, remembering which tying rules joined each group.
    parent: dict[str, str] = {}
    joined_by: dict[str, list[int]] = {}

    def root(activity: str) -> str:
        while parent.get(activity, activity) != activity:
            activity = parent[activity]
        return activity

    for index, rule in enumerate(rules):
        if rule.ties:
            first, *others = (root(activity) for activity in rule.activities)
            for other in others:
                if other != first:
                    parent[other] = first
                    joined_by[first] = [*joined_by.get(first, []), *joined_by.pop(other, [])]
            joined_by[first] = [*joined_by.get(first, []), index]
    found = []
    for index, rule in enumerate(rules):
        if not rule.separates:
            continue
        groups = {root(activity) for activity in rule.activities}
        if len(groups) != 1:
            continue
        joined = sorted(joined_by[groups.pop()])
        kinds = "/".join(sorted({rules[other].kind for other in joined}))
        tied = ", ".join(f"rules[{other}]" for other in joined)
        named = " and ".join(repr(activity) for activity in rule.activities)
        found.append((index, f"{rule.kind} {named}, but {kinds} {tied} tie them"))
    return tuple(found)


__all__ = ["RULE_KINDS", "check", "contradictions", "rule_kind"]
