"""The ``[programme]`` keys that say which days sessions avoid.

::

    [programme]
    holidays = { country = "US", subdivision = "MA" }
    blackout_dates = [2023-12-26, 2023-12-27]

``holidays`` names a country's public-holiday calendar (an ISO 3166-1 alpha-2
code as the ``holidays`` package knows it) and optionally one subdivision's
(a US state, a Canadian province); without it, US federal holidays count.
``blackout_dates`` are days no session may fall on: the holiday policies and
the sanity check treat them as holidays named "a declared blackout date".

Checking the codes loads the ``holidays`` package's list of every country, so
a declaration that names none keeps the quicker start.
"""

from __future__ import annotations

import datetime as dt

import holidays

from pe_schedule._internal.declaration.source import (
    FIRST_YEAR,
    LAST_YEAR,
    Table,
    describe,
    did_you_mean,
)
from pe_schedule._internal.model.holidays import DEFAULT_HOLIDAYS, HolidayCalendar

#: The keys of ``[programme].holidays``.
HOLIDAYS_KEYS = ("country", "subdivision")


def read_holiday_calendar(programme: Table) -> HolidayCalendar:
    """The holiday calendar of a ``[programme]`` table; the default where a part is broken
    (each problem is reported to the table's report)."""
    blackout = _blackout_dates(programme)
    table = programme.table("holidays", required=False)
    if table is None:
        return HolidayCalendar(blackout=blackout)
    table.allow(*HOLIDAYS_KEYS)
    country = table.text("country", required=False, default=DEFAULT_HOLIDAYS.country)
    subdivision = table.text("subdivision", required=False)
    if country is None:
        return HolidayCalendar(blackout=blackout)
    supported = holidays.list_supported_countries()
    if country not in supported:
        table.problem(
            "country",
            expected="a country code the holidays package knows, such as 'US', 'CA' or 'GB'",
            found=describe(country),
            hint=did_you_mean(country.upper(), supported),
        )
        return HolidayCalendar(blackout=blackout)
    codes = supported[country]
    if subdivision is not None and subdivision not in codes:
        expected = (
            f"a subdivision code of {country}, such as "
            + ", ".join(repr(code) for code in codes[:3])
            if codes
            else f"no subdivision ({country} has none)"
        )
        table.problem(
            "subdivision",
            expected=expected,
            found=describe(subdivision),
            hint=did_you_mean(subdivision.upper(), codes),
        )
        return HolidayCalendar(blackout=blackout)
    return HolidayCalendar(country=country, subdivision=subdivision, blackout=blackout)


def _blackout_dates(table: Table) -> tuple[dt.date, ...]:
    items = table.value("blackout_dates", list, "an array of dates", required=False) or []
    found = []
    for index, item in enumerate(items):
        path = f"{table.at('blackout_dates')}[{index}]"
        if not isinstance(item, dt.date) or isinstance(item, dt.datetime):
            table.report.add(path, expected="a TOML date such as 2023-12-26", found=describe(item))
        elif not FIRST_YEAR <= item.year <= LAST_YEAR:
            table.report.add(
                path,
                expected=f"a date in the years {FIRST_YEAR} to {LAST_YEAR}",
                found=item.isoformat(),
            )
        else:
            found.append(item)
    return tuple(found)


__all__ = ["HOLIDAYS_KEYS", "read_holiday_calendar"]
