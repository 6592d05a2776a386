"""Events that are not grid cells: one-offs, monthly deadlines and weekly meetings.

An :class:`Occasion` happens on a date, in some months (with a :class:`Timing`
like an activity's), or weekly (a :class:`Weekly` recurrence).
"""

from __future__ import annotations

import datetime as dt

import attrs
from dateutil import rrule

from pe_schedule._internal.model.activity import ActivityName
from pe_schedule._internal.model.audience import AudienceKind
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.timing import HolidayPolicy, Timing, weekday_name
from pe_schedule._internal.model.zones import Zone


def _no_shift(
    _instance: object, _attribute: attrs.Attribute[HolidayPolicy], policy: HolidayPolicy
) -> None:
    if policy is HolidayPolicy.SHIFT:
        raise ValueError("a weekly meeting cannot shift off a holiday: skip, flag or accept it")


@attrs.frozen(kw_only=True)
class Weekly:
    """A meeting on one weekday every week between two dates.

    >>> weekly = Weekly(weekday=1, start=dt.time(10), duration=dt.timedelta(hours=1),
    ...                 first=dt.date(2023, 1, 1), last=dt.date(2023, 1, 31),
    ...                 skip=(dt.date(2023, 1, 17),))
    >>> [day.day for day in weekly.dates()]
    [3, 10, 24, 31]
    """

    #: Monday is 0.
    weekday: int = attrs.field(validator=attrs.validators.in_(range(7)))
    start: dt.time
    duration: dt.timedelta
    #: ``None``: each team's own zone for a team audience, else the programme's.
    timezone: Zone | None = None
    first: dt.date
    last: dt.date
    #: Weeks without the meeting, by the date it would have had.
    skip: tuple[dt.date, ...] = ()
    #: On a holiday or blackout date: flag it, accept it, or skip that week (no shift).
    holidays: HolidayPolicy = attrs.field(default=HolidayPolicy.FLAG, validator=_no_shift)
    #: Activities whose weeks (Monday to Sunday) have no meeting: a week in which
    #: any of their occurrences falls is skipped.
    skip_weeks_of: tuple[ActivityName, ...] = ()

    def dates(self) -> tuple[dt.date, ...]:
        """Every date the rule gives, in order, without the ``skip`` dates.

        Holidays and the weeks of ``skip_weeks_of`` need the programme's calendar
        and plan: the expansion drops those."""
        found = rrule.rrule(
            rrule.WEEKLY,
            dtstart=dt.datetime.combine(self.first, dt.time()),
            until=dt.datetime.combine(self.last, dt.time()),
            byweekday=self.weekday,
        )
        return tuple(day.date() for day in found if day.date() not in self.skip)

    def __str__(self) -> str:
        return f"every {weekday_name(self.weekday)}"


@attrs.frozen(kw_only=True)
class Occasion:
    """An event that is not a cell of a cohort's grid.

    >>> from pe_schedule import DayOfMonth
    >>> call = Occasion(id="call", name="Call", months=(YearMonth(2022, 9),),
    ...                 timing=Timing(day=DayOfMonth(day=21)), dated=True)
    >>> call.cohort is None, call.audience.value
    (True, 'cohort')
    """

    id: str
    name: str
    #: ``None``: for the whole programme (or for the ``cohorts`` it is shared by).
    cohort: str | None = None
    #: For an event several cohorts share: their ids; one event for them all.
    cohorts: tuple[str, ...] = ()
    audience: AudienceKind = AudienceKind.COHORT
    months: tuple[YearMonth, ...] = ()
    timing: Timing | None = None
    weekly: Weekly | None = None
    #: A single date: the id alone identifies the event, not its month.
    dated: bool = False
    #: Where it happens; none for a deadline.
    location: str = ""
    in_person: bool = False
    description: str = ""
    #: A web page about the event (its URL); the programme's page when ``None``.
    url: str | None = None
    #: The link to join the event online, unless it is in person.
    join: str | None = None
    #: Reminders, as how long before the start they fire.
    reminders: tuple[dt.timedelta, ...] = ()
    categories: tuple[str, ...] = ()
    #: Deadlines and optional meet-ups do not block time.
    busy: bool = True
    #: The audiences' own event (a team's weekly meeting): in their feeds and their
    #: people's, but not in the cohort's or the programme's, which staff subscribe to.
    own: bool = False

    def __attrs_post_init__(self) -> None:
        if (self.timing is None) == (self.weekly is None):
            raise ValueError(f"event {self.id!r} needs either a timing or a weekly recurrence")
        if self.timing is not None and not self.months:
            raise ValueError(f"event {self.id!r} has a timing but no months")
        if self.cohorts and (self.cohort is not None or self.audience is not AudienceKind.COHORT):
            raise ValueError(
                f"event {self.id!r} is shared by cohorts, so it has no single cohort and is "
                "for the cohorts together"
            )


__all__ = ["Occasion", "Weekly"]
