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


@attrs.frozen(kw_only=True)
class Window:
    """The months a programme runs, and how its month numbers map onto them.

    >>> window = Window(first=YearMonth(2023, 1), last=YearMonth(2024, 6))
    >>> window.size, window.month(4), window.number(YearMonth(2023, 4))
    (18, YearMonth(year=2023, month=4), 4)
    >>> str(window)
    '2023-01 to 2024-06'
    """

    first: YearMonth
    last: YearMonth = attrs.field()

    @last.validator
    def _check_last(self, _: attrs.Attribute[YearMonth], value: YearMonth) -> None:
        if value < self.first:
            raise ValueError(f"the window ends ({value}) before it starts ({self.first})")

    @property
    def size(self) -> int:
        """How many months the window holds."""
        return self.last - self.first + 1

    @property
    def months(self) -> tuple[YearMonth, ...]:
        """Every month of the window, in order."""
        return month_range(self.first, self.last)

    def month(self, number: int) -> YearMonth:
        """The calendar month of programme month ``number`` (1 is the first)."""
        return self.first + (number - 1)

    def number(self, month: YearMonth) -> int:
        """The programme month number of ``month``."""
        return month - self.first + 1

    def __contains__(self, month: object) -> bool:
        return isinstance(month, YearMonth) and self.first <= month <= self.last

    def __str__(self) -> str:
        return f"{self.first} to {self.last}"


@attrs.frozen(kw_only=True)
class Cadence:
    """Every ``every`` months from ``start`` to ``stop``, minus ``skip``, plus ``also``.

    >>> cadence = Cadence(every=2, start=YearMonth(2023, 4), stop=YearMonth(2023, 12),
    ...                   skip=(YearMonth(2023, 10),), also=(YearMonth(2024, 2),))
    >>> [str(month) for month in cadence.months]
    ['2023-04', '2023-06', '2023-08', '2023-12', '2024-02']
    >>> str(cadence)
    'every 2 months from 2023-04 to 2023-12'
    """

    every: int = attrs.field()
    start: YearMonth
    stop: YearMonth
    skip: tuple[YearMonth, ...] = ()
    also: tuple[YearMonth, ...] = ()

    @every.validator
    def _check_every(self, _: attrs.Attribute[int], value: int) -> None:
        if value < 1:
            raise ValueError(f"a cadence steps at least one month, got every={value}")

    @property
    def base(self) -> tuple[YearMonth, ...]:
        """The months the cadence produces before ``skip`` and ``also`` apply."""
        return tuple(self.start + step for step in range(0, self.stop - self.start + 1, self.every))

    @property
    def months(self) -> tuple[YearMonth, ...]:
        """The months the cadence yields, in order."""
        return tuple(sorted((set(self.base) - set(self.skip)) | set(self.also)))

    def __str__(self) -> str:
        step = "every month" if self.every == 1 else f"every {self.every} months"
        return f"{step} from {self.start} to {self.stop}"


__all__ = ["Cadence", "Window", "YearMonth", "month_range"]
