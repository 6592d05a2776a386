"""Calendar months as values: the unit an activity grid is written in."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import attrs

_PATTERN = re.compile(r"(\d{4})-(\d{2})")


@attrs.frozen(order=True)
class YearMonth:
    """One calendar month, such as March 2023.

    >>> march = YearMonth.parse("2023-03")
    >>> march + 11
    YearMonth(year=2024, month=2)
    >>> str(march), march.label, YearMonth(2024, 2) - march
    ('2023-03', 'Mar 2023', 11)
    """

    year: int = attrs.field()
    month: int = attrs.field()

    @year.validator
    def _check_year(self, _: attrs.Attribute[int], value: int) -> None:
        if not 1 <= value <= 9999:
            raise ValueError(f"year must be between 1 and 9999, got {value}")

    @month.validator
    def _check_month(self, _: attrs.Attribute[int], value: int) -> None:
        if not 1 <= value <= 12:
            raise ValueError(f"month must be between 1 and 12, got {value}")

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """Read a month written as ``YYYY-MM``.

        Raises:
            ValueError: if ``text`` is not of that form or names no real month.
        """
        match = _PATTERN.fullmatch(text)
        if match is None:
            raise ValueError(f"expected a month as 'YYYY-MM', got {text!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: dt.date) -> YearMonth:
        """The month that ``day`` falls in."""
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __add__(self, months: int) -> YearMonth:
        index = self.year * 12 + self.month - 1 + months
        return YearMonth(index // 12, index % 12 + 1)

    def __sub__(self, other: YearMonth) -> int:
        """How many months ``other`` lies before this month."""
        return (self.year - other.year) * 12 + self.month - other.month

    @property
    def label(self) -> str:
        """The month as people write it in a grid heading: ``Mar 2023``."""
        return f"{calendar.month_abbr[self.month]} {self.year}"

    @property
    def first_day(self) -> dt.date:
        """The first day of the month."""
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        """The last day of the month."""
        return dt.date(self.year, self.month, self.days)

    @property
    def days(self) -> int:
        """How many days the month has."""
        return calendar.monthrange(self.year, self.month)[1]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and (day.year, day.month) == (self.year, self.month)


def month_range(first: YearMonth, last: YearMonth) -> tuple[YearMonth, ...]:
    """Every month from ``first`` to ``last``, both included.

    >>> [str(m) for m in month_range(YearMonth(2023, 11), YearMonth(2024, 2))]
    ['2023-11', '2023-12', '2024-01', '2024-02']
    """
    return tuple(first + offset for offset in range(last - first + 1))


__all__ = ["YearMonth", "month_range"]
