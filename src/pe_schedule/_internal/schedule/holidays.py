"""The holidays a programme's sessions avoid unless told otherwise.

By default these are US federal holidays; a programme may name another country
and a subdivision (:class:`~pe_schedule.HolidayCalendar`) and its own blackout
dates, which count as holidays named "a declared blackout date".

The United States calendar (the default, with or without a state) is loaded alone:
``holidays.country_holidays`` (and importing ``holidays.countries.united_states``
the usual way) runs ``holidays.countries``, which imports every one of the
package's ~250 country modules first, the larger part of a build's start-up.
The US module imports none of its siblings, so it is executed on its own from
its file; if a release moves it or makes it import its siblings, the usual
loader is used instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import sys
from pathlib import Path

import holidays

from pe_schedule._internal.model.holidays import BLACKOUT_NAME, HolidayCalendar

#: The module the US calendar lives in, and the private name it is loaded under.
_US_MODULE = "holidays.countries.united_states"
_PRIVATE_NAME = "pe_schedule._internal.schedule._united_states"


@functools.cache
def _calendar() -> type[holidays.HolidayBase]:
    """The US holiday class, loaded without the other countries' modules."""
    if _US_MODULE in sys.modules:  # already loaded the usual way: nothing to save
        usual: type[holidays.HolidayBase] = sys.modules[_US_MODULE].UnitedStates
        return usual
    return _load_alone() or _usual()


def _load_alone(path: Path | None = None) -> type[holidays.HolidayBase] | None:
    """The US holiday class executed from its own file (``path``, for tests), or ``None``
    if it is not there or cannot run alone."""
    path = path or Path(holidays.__file__).parent / "countries" / "united_states.py"
    spec = importlib.util.spec_from_file_location(_PRIVATE_NAME, path)
    if spec is None or spec.loader is None or not path.is_file():
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[_PRIVATE_NAME] = module
    try:
        spec.loader.exec_module(module)
        loaded: type[holidays.HolidayBase] = module.UnitedStates
    except (ImportError, AttributeError):
        # Another holidays release whose US module leans on its siblings: load it the
        # usual way rather than fail (slower to start, the same dates).
        del sys.modules[_PRIVATE_NAME]
        return None
    return loaded


def _usual() -> type[holidays.HolidayBase]:
    return type(holidays.country_holidays("US"))


@functools.cache
def _holidays(year: int) -> holidays.HolidayBase:
    return _calendar()(years=year)


@functools.cache
def _country_holidays(country: str, subdivision: str | None, year: int) -> holidays.HolidayBase:
    if country == "US":
        return _calendar()(subdiv=subdivision, years=year)
    # Another country: the usual loader (slower to start; only programmes that ask pay).
    return holidays.country_holidays(country, subdiv=subdivision, years=year)


def holiday(calendar: HolidayCalendar, day: dt.date) -> str | None:
    """The name of the holiday or blackout date of ``calendar`` on ``day``, if any.

    >>> from pe_schedule import HolidayCalendar
    >>> boston = HolidayCalendar(country="US", subdivision="MA", blackout=(dt.date(2023, 12, 26),))
    >>> holiday(boston, dt.date(2023, 4, 17)), holiday(boston, dt.date(2023, 12, 26))
    ("Patriots' Day", 'a declared blackout date')
    >>> holiday(HolidayCalendar(), dt.date(2023, 4, 17)) is None
    True
    """
    if day in calendar.blackout:
        return BLACKOUT_NAME
    if calendar.is_default:
        return federal_holiday(day)
    name = _country_holidays(calendar.country, calendar.subdivision, day.year).get(day)
    return None if name is None else str(name)


def federal_holiday(day: dt.date) -> str | None:
    """The name of the US federal holiday (observed days included) on ``day``, if any.

    >>> federal_holiday(dt.date(2023, 7, 4)), federal_holiday(dt.date(2023, 7, 5))
    ('Independence Day', None)
    """
    name = _holidays(day.year).get(day)
    return None if name is None else str(name)


__all__ = ["federal_holiday", "holiday"]
