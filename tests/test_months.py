"""YearMonth: the unit a grid is written in."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pe_schedule import YearMonth
from pe_schedule._internal.model.months import month_range

months = st.builds(YearMonth, st.integers(1900, 2200), st.integers(1, 12))


class TestParsing:
    """A month reads from and writes to ``YYYY-MM``."""

    def test_parses_a_month(self) -> None:
        """``2023-03`` is March 2023."""
        assert YearMonth.parse("2023-03") == YearMonth(2023, 3)

    @pytest.mark.parametrize(
        "text", ["2023-3", "2023-13", "2023-00", "23-03", "2023/03", " 2023-03"]
    )
    def test_rejects_malformed_text(self, text: str) -> None:
        """Anything but a real ``YYYY-MM`` month is a ValueError."""
        with pytest.raises(ValueError, match="month"):
            YearMonth.parse(text)

    @given(months)
    def test_round_trips(self, month: YearMonth) -> None:
        """Formatting then parsing gives the same month back."""
        assert YearMonth.parse(str(month)) == month


class TestArithmetic:
    """Months add and subtract as a calendar does."""

    def test_adding_crosses_years(self) -> None:
        """Eleven months after March 2023 is February 2024."""
        assert YearMonth(2023, 3) + 11 == YearMonth(2024, 2)

    @given(months, st.integers(-2000, 2000))
    def test_subtraction_inverts_addition(self, month: YearMonth, offset: int) -> None:
        """``(m + k) - m == k`` for every month and offset."""
        assert (month + offset) - month == offset

    @given(months)
    def test_days_lie_inside_the_month(self, month: YearMonth) -> None:
        """First and last day belong to the month, the days around them do not."""
        assert month.first_day in month
        assert month.last_day in month
        assert month.first_day - dt.timedelta(days=1) not in month
        assert month.last_day + dt.timedelta(days=1) not in month

    def test_range_is_inclusive(self) -> None:
        """A range holds both ends and every month between them."""
        window = month_range(YearMonth(2023, 1), YearMonth(2024, 6))
        assert len(window) == 18
        assert (window[0], window[-1]) == (YearMonth(2023, 1), YearMonth(2024, 6))

    def test_label_is_what_a_grid_heading_shows(self) -> None:
        """Labels read like the source document's headings."""
        assert YearMonth(2024, 6).label == "Jun 2024"
