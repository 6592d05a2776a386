"""The US holiday calendar, loaded on its own, is the one ``holidays`` gives."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import holidays
import pytest

from pe_schedule._internal.schedule import holidays as federal

#: Every seventh year of three centuries, plus the edges and the reference programme's.
_YEARS = sorted({*range(1900, 2201, 7), 1900, 2023, 2024, 2200})


def test_the_calendar_is_loaded_alone() -> None:
    """Loaded from its own file: not the class the usual (every-country) loader makes."""
    alone = federal._load_alone()
    assert alone is not None
    assert alone.__module__ != "holidays.countries.united_states"


@pytest.mark.parametrize("year", _YEARS)
def test_same_holidays_as_the_usual_loader(year: int) -> None:
    """The same dates and names, observed days included, as ``country_holidays('US')``."""
    alone = federal._load_alone()
    assert alone is not None
    assert dict(alone(years=year)) == dict(holidays.country_holidays("US", years=year))


def test_federal_holiday_names_observed_days() -> None:
    """July 4th 2021 was a Sunday: Monday the 5th is its observed day."""
    assert federal.federal_holiday(dt.date(2021, 7, 4)) == "Independence Day"
    assert federal.federal_holiday(dt.date(2021, 7, 5)) == "Independence Day (observed)"
    assert federal.federal_holiday(dt.date(2021, 7, 6)) is None


def test_a_us_module_that_cannot_stand_alone_falls_back(tmp_path: Path) -> None:
    """If a holidays release's US module needs its siblings, the usual loader is used."""
    leaning = tmp_path / "united_states.py"
    leaning.write_text("from .common import Holiday\n", encoding="utf-8")
    assert federal._load_alone(leaning) is None
    assert federal._PRIVATE_NAME not in sys.modules
