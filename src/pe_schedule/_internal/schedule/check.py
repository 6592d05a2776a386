"""Everything wrong with a programme, as ``pe-schedule check`` reports it.

A programme can be wrong in two ways: its grid breaks a rule declared beside
it (:class:`~pe_schedule.Violation`), or one of its dated events cannot be
held as declared (:class:`~pe_schedule.SanityProblem`: a missing day, a DST
gap, an overlap, a holiday, a session outside someone's working hours; a
:class:`~pe_schedule.SanityGroup` when one problem hits many audiences alike,
such as every team's weekly meeting on the same holiday).
:func:`check` returns both, in that order; each has the shape of a
:class:`Finding`, whose ``rule`` names the rule kind or the kind of problem.
The command line prints exactly what this returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from pe_schedule._internal import rules
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.schedule.sanity import grouped_sanity_problems


class Finding(Protocol):
    """Something wrong in one cohort's grid or dated events, as a check reports it.

    :class:`~pe_schedule.Violation` and :class:`~pe_schedule.SanityProblem`
    are findings; tell them apart with ``isinstance`` for their details. A
    violation of a rule across cohorts also has ``against``: the rule's other
    activities, as ``cohort/activity``, which ``pe-schedule check`` prints
    after the rule's kind.
    """

    @property
    def rule(self) -> str:
        """The kind of rule or problem that found it, such as ``every`` or ``holiday``."""

    @property
    def cohort(self) -> str:
        """The cohort, or the programme's id for a programme-wide event."""

    @property
    def activity(self) -> str:
        """The id of the activity, or ``""`` for the cohort as a whole."""

    @property
    def month(self) -> YearMonth | None:
        """The month concerned, if one is."""

    @property
    def message(self) -> str:
        """What is wrong, in a sentence a programme manager understands."""


#: The checks :func:`check` runs, in order. A new kind of check is one more entry here.
#: Calendar problems come gathered: one finding per thing to change, a
#: :class:`~pe_schedule.SanityGroup` for one problem that hits many audiences alike.
CHECKS: tuple[Callable[[Programme], Iterable[Finding]], ...] = (
    rules.check,
    grouped_sanity_problems,
)


def check(programme: Programme) -> tuple[Finding, ...]:
    """Every broken rule, then every calendar-sanity problem, of ``programme``.

    Returns:
        The findings; empty when every rule holds and every event can be held.
    """
    return tuple(finding for run in CHECKS for finding in run(programme))


__all__ = ["CHECKS", "Finding", "check"]
