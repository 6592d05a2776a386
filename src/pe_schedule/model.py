"""The programme as data: a programme, its cohorts and their activities.

These are the values a declaration file loads into. They hold months, not
dates: expanding them into dated events is :mod:`pe_schedule.expand`'s job.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from pe_schedule.months import YearMonth, month_range

if TYPE_CHECKING:
    from pe_schedule.oneoff import Occasion
    from pe_schedule.roster import Roster
    from pe_schedule.rules import Rule
    from pe_schedule.timing import Timing


class Audience(enum.Enum):
    """Who one occurrence of an activity is for, and so how it fans out."""

    #: Everyone in the cohort meets together.
    COHORT = "cohort"
    #: One session per team (Action Community 1:1 coaching).
    TEAM = "team"
    #: One session per coaching group (Learning Network small cohorts).
    COACHING_GROUP = "coaching-group"
    #: One session per affinity group; each person joins exactly one.
    AFFINITY_GROUP = "affinity-group"
    #: The senior leaders and alternates of the cohort's teams.
    SENIOR_LEADERS = "senior-leaders"


#: The grid mark of a month with a virtual occurrence.
VIRTUAL_MARK = "X"
#: The grid mark of a month with an in-person occurrence.
IN_PERSON_MARK = "X*"


def _sorted_months(months: Iterable[YearMonth]) -> tuple[YearMonth, ...]:
    """Months in order, each once (a typed converter: mypy cannot type a lambda's)."""
    return tuple(sorted(set(months)))


#: How long a removed event stays in the feeds as cancelled, unless declared:
#: long enough for every subscribed client to have refreshed many times.
DEFAULT_RETENTION = dt.timedelta(days=90)


@attrs.frozen(kw_only=True)
class Activity:
    """One row of a cohort's grid: what happens, in which months, for whom."""

    id: str
    name: str
    months: tuple[YearMonth, ...] = attrs.field(converter=_sorted_months)
    in_person: tuple[YearMonth, ...] = attrs.field(default=(), converter=_sorted_months)
    location: str = "Zoom"
    in_person_location: str | None = None
    audience: Audience = Audience.COHORT
    description: str = ""
    timing: Timing | None = None

    @in_person.validator
    def _in_person_months_are_months(
        self, _: attrs.Attribute[tuple[YearMonth, ...]], value: tuple[YearMonth, ...]
    ) -> None:
        stray = sorted(set(value) - set(self.months))
        if stray:
            raise ValueError(
                f"in-person months {[str(m) for m in stray]} are not months of {self.id!r}"
            )

    def happens_in(self, month: YearMonth) -> bool:
        """Whether the activity has an occurrence in ``month``."""
        return month in self.months

    def is_in_person(self, month: YearMonth) -> bool:
        """Whether the occurrence in ``month`` is in person."""
        return month in self.in_person

    def mark(self, month: YearMonth) -> str:
        """The grid cell for ``month``: ``"X"``, ``"X*"`` (in person) or ``""``."""
        if month in self.in_person:
            return IN_PERSON_MARK
        return VIRTUAL_MARK if month in self.months else ""

    def location_in(self, month: YearMonth) -> str:
        """Where the occurrence in ``month`` takes place."""
        if month in self.in_person and self.in_person_location:
            return self.in_person_location
        return self.location


@attrs.frozen(kw_only=True)
class Cohort:
    """A group of teams that follows one activity grid."""

    id: str
    name: str
    activities: tuple[Activity, ...]
    rules: tuple[Rule, ...] = ()
    description: str = ""

    def activity(self, activity_id: str) -> Activity:
        """The activity with ``activity_id``.

        Raises:
            KeyError: if the cohort has no such activity.
        """
        for activity in self.activities:
            if activity.id == activity_id:
                return activity
        raise KeyError(activity_id)


@attrs.frozen(kw_only=True)
class Programme:
    """A whole programme: its window, its home time zone and its cohorts."""

    id: str
    name: str
    first_month: YearMonth
    last_month: YearMonth
    timezone: str
    cohorts: tuple[Cohort, ...]
    description: str = ""
    organiser: str = ""
    url: str | None = None
    #: The declaration file the programme was loaded from, for messages.
    source: str | None = attrs.field(default=None, eq=False)
    #: Who takes part; needed to fan activities out per team or group.
    roster: Roster | None = None
    #: Events that are not grid cells (see :mod:`pe_schedule.oneoff`).
    events: tuple[Occasion, ...] = ()
    #: When the schedule data was last revised (aware); every event's DTSTAMP.
    revised: dt.datetime | None = None
    #: How long a removed event stays published as cancelled before it is dropped.
    cancelled_retention: dt.timedelta = DEFAULT_RETENTION

    @property
    def months(self) -> tuple[YearMonth, ...]:
        """Every month of the programme window, in order."""
        return month_range(self.first_month, self.last_month)

    def cohort(self, cohort_id: str) -> Cohort:
        """The cohort with ``cohort_id``.

        Raises:
            KeyError: if the programme has no such cohort.
        """
        for cohort in self.cohorts:
            if cohort.id == cohort_id:
                return cohort
        raise KeyError(cohort_id)

    def programme_month(self, number: int) -> YearMonth:
        """The calendar month of programme month ``number`` (1 is the first)."""
        return self.first_month + (number - 1)


__all__ = [
    "DEFAULT_RETENTION",
    "IN_PERSON_MARK",
    "VIRTUAL_MARK",
    "Activity",
    "Audience",
    "Cohort",
    "Programme",
]
