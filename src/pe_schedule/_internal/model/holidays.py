"""The days a programme's sessions avoid: a public-holiday calendar and declared blackout dates.

A :class:`HolidayCalendar` names a country's public holidays (optionally with
one subdivision's, such as a US state's) and the programme's own blackout
dates. The default is today's behaviour: US federal holidays and no blackout
dates. Which day is a holiday is the schedule layer's to tell (it holds the
calendars); this is only the choice.
"""

from __future__ import annotations

import datetime as dt

import attrs

#: How a declared blackout date is named in messages.
BLACKOUT_NAME = "a declared blackout date"


def _sorted_dates(dates: tuple[dt.date, ...] | list[dt.date]) -> tuple[dt.date, ...]:
    return tuple(sorted(set(dates)))


@attrs.frozen(kw_only=True)
class HolidayCalendar:
    """Which public holidays count, and the programme's own blackout dates.

    >>> HolidayCalendar().country, HolidayCalendar().subdivision
    ('US', None)
    >>> str(HolidayCalendar(country="US", subdivision="MA"))
    'US-MA public holidays'
    """

    #: An ISO 3166-1 alpha-2 country code, as the ``holidays`` package knows it.
    country: str = "US"
    #: A subdivision code of that country (a US state, a Canadian province), if any.
    subdivision: str | None = None
    #: Days no session may fall on, whatever the country's calendar says.
    blackout: tuple[dt.date, ...] = attrs.field(default=(), converter=_sorted_dates)

    @property
    def is_default(self) -> bool:
        """US federal holidays only, as before calendars could be chosen."""
        return self.country == "US" and self.subdivision is None

    def __str__(self) -> str:
        where = self.country if self.subdivision is None else f"{self.country}-{self.subdivision}"
        return "US federal holidays" if self.is_default else f"{where} public holidays"


#: US federal holidays and no blackout dates.
DEFAULT_HOLIDAYS = HolidayCalendar()

__all__ = ["BLACKOUT_NAME", "DEFAULT_HOLIDAYS", "HolidayCalendar"]
