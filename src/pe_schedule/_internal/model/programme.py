"""The programme as data: a programme, its cohorts, their grids and rules.

These are the values a declaration file loads into. They hold months, not
dates: expanding them into dated events is the schedule layer's job.
"""

from __future__ import annotations

import datetime as dt

import attrs

from pe_schedule._internal.model.activity import Activity
from pe_schedule._internal.model.holidays import DEFAULT_HOLIDAYS, HolidayCalendar
from pe_schedule._internal.model.months import YearMonth, month_range
from pe_schedule._internal.model.occasion import Occasion
from pe_schedule._internal.model.roster import Roster
from pe_schedule._internal.model.rule import Rule
from pe_schedule._internal.model.zones import Zone

#: How long a removed event stays in the feeds as cancelled, unless declared:
#: long enough for every subscribed client to have refreshed many times.
DEFAULT_RETENTION = dt.timedelta(days=90)


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
    timezone: Zone
    cohorts: tuple[Cohort, ...]
    description: str = ""
    organiser: str = ""
    url: str | None = None
    #: The declaration file the programme was loaded from, for messages.
    source: str | None = attrs.field(default=None, eq=False)
    #: Who takes part; needed to fan activities out per team or group.
    roster: Roster | None = None
    #: Events that are not grid cells.
    events: tuple[Occasion, ...] = ()
    #: When the schedule data was last revised (aware); every event's DTSTAMP.
    revised: dt.datetime | None = None
    #: How long a removed event stays published as cancelled before it is dropped.
    cancelled_retention: dt.timedelta = DEFAULT_RETENTION
    #: The public holidays and blackout dates sessions avoid (US federal by default).
    holidays: HolidayCalendar = DEFAULT_HOLIDAYS
    #: Rules across cohorts: they name activities as ``cohort/activity``.
    rules: tuple[Rule, ...] = ()

    def __attrs_post_init__(self) -> None:
        ids = {cohort.id for cohort in self.cohorts}
        for cohort in self.cohorts:
            for activity in cohort.activities:
                if not activity.shared:
                    continue
                if cohort.id not in activity.shared_by or not ids.issuperset(activity.shared_by):
                    raise ValueError(
                        f"shared activity {activity.id!r} is in cohort {cohort.id!r} but "
                        f"shared by {list(activity.shared_by)} of cohorts {sorted(ids)}"
                    )
        for activity in self.shared:
            for cohort_id in activity.shared_by:
                if activity not in self.cohort(cohort_id).activities:
                    raise ValueError(
                        f"shared activity {activity.id!r} is missing from cohort {cohort_id!r}"
                    )

    @property
    def shared(self) -> tuple[Activity, ...]:
        """The activities several cohorts share, each once, in order of first appearance.

        Each is also an activity of every cohort in its ``shared_by``.
        """
        found: dict[str, Activity] = {}
        for cohort in self.cohorts:
            for activity in cohort.activities:
                if activity.shared:
                    found.setdefault(activity.id, activity)
        return tuple(found.values())

    def activity(self, ref: str) -> Activity:
        """The activity ``ref``, written ``cohort/activity``.

        Raises:
            KeyError: if there is no such cohort or activity.
        """
        cohort, slash, activity = ref.partition("/")
        if not slash:
            raise KeyError(ref)
        return self.cohort(cohort).activity(activity)

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


__all__ = ["DEFAULT_RETENTION", "Cohort", "Programme"]
