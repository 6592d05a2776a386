"""US federal holidays, which a programme's sessions avoid unless told otherwise."""

from __future__ import annotations

import datetime as dt
import functools

import holidays


@functools.cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("US", years=year)


def federal_holiday(day: dt.date) -> str | None:
    """The name of the US federal holiday (observed days included) on ``day``, if any.

    >>> federal_holiday(dt.date(2023, 7, 4)), federal_holiday(dt.date(2023, 7, 5))
    ('Independence Day', None)
    """
    name = _holidays(day.year).get(day)
    return None if name is None else str(name)


__all__ = ["federal_holiday"]
