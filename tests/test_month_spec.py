"""The month forms of a declaration: lists of months and cadences."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pe_schedule import Cadence, Problem, Window, YearMonth
from pe_schedule._internal.declaration.months import read_months
from pe_schedule._internal.declaration.source import Report, Table

WINDOW = Window(first=YearMonth(2023, 1), last=YearMonth(2024, 6))


def ym(text: str) -> YearMonth:
    """The month written ``text``."""
    return YearMonth.parse(text)


def read(value: Any, **options: Any) -> tuple[tuple[YearMonth, ...] | None, list[Problem]]:
    """Read ``value`` as the ``months`` of an activity; the months and the problems."""
    report = Report("plan.toml")
    table = Table({"months": value}, "cohorts[0].activities[0]", report)
    return read_months(table, "months", WINDOW, **options), report.problems


def messages(value: Any, **options: Any) -> list[str]:
    """The problem messages of reading ``value``."""
    months, problems = read(value, **options)
    assert months is None
    return [str(problem) for problem in problems]


class TestWindow:
    def test_numbers_months_from_one(self) -> None:
        """Programme month 1 is the first month and the last number is the last month."""
        assert WINDOW.month(1) == ym("2023-01")
        assert WINDOW.month(18) == ym("2024-06")
        assert WINDOW.number(ym("2023-12")) == 12

    def test_refuses_a_reversed_window(self) -> None:
        """A window that ends before it starts cannot be made."""
        with pytest.raises(ValueError, match="before it starts"):
            Window(first=ym("2024-01"), last=ym("2023-12"))

    def test_holds_its_months_only(self) -> None:
        """Months before or after the window are not in it."""
        assert ym("2023-01") in WINDOW
        assert ym("2022-12") not in WINDOW
        assert ym("2024-07") not in WINDOW


class TestArrays:
    def test_reads_calendar_months_and_programme_numbers(self) -> None:
        """Strings are calendar months, integers programme months, and the result is sorted."""
        assert read([4, "2023-02", 18]) == ((ym("2023-02"), ym("2023-04"), ym("2024-06")), [])

    def test_a_programme_number_moves_with_the_window(self) -> None:
        """The same numbers name other months in a window that starts later."""
        report = Report("plan.toml")
        later = Window(first=ym("2025-09"), last=ym("2027-02"))
        table = Table({"months": [1, 5]}, "", report)
        assert read_months(table, "months", later) == (ym("2025-09"), ym("2026-01"))

    def test_reports_a_wrong_format_with_a_hint(self) -> None:
        """A month not written 'YYYY-MM' names the forms and suggests the padded one."""
        (message,) = messages(["2023-3"])
        assert message == (
            "plan.toml: cohorts[0].activities[0].months[0]: expected a month as 'YYYY-MM' "
            "or a programme month number 1..18, got '2023-3' (did you mean '2023-03'?)"
        )

    @pytest.mark.parametrize("value", [True, 2.5, "March", "2023-13", {"a": 1}])
    def test_reports_values_that_are_no_month(self, value: Any) -> None:
        """Booleans, floats, words, impossible months and tables are not months."""
        (message,) = messages([value])
        assert "months[0]: expected a month as 'YYYY-MM' or a programme month number" in message

    def test_reports_a_month_outside_the_window_naming_it(self) -> None:
        """A calendar month outside the window is reported with the window."""
        (message,) = messages(["2024-07"])
        assert "expected a month inside the programme window 2023-01 to 2024-06" in message
        assert "got '2024-07'" in message

    @pytest.mark.parametrize("number", [0, 19, -1])
    def test_reports_a_programme_number_out_of_range(self, number: int) -> None:
        """Programme month numbers run from 1 to the window's size."""
        (message,) = messages([number])
        assert f"expected a programme month number 1..18 (2023-01 to 2024-06), got {number}" in (
            message
        )

    def test_reports_a_month_given_twice(self) -> None:
        """The same month written twice, in any form, is reported at the second."""
        (message,) = messages([2, "2023-02"])
        assert "months[1]: expected each month once" in message
        assert "the same month (2023-02) as cohorts[0].activities[0].months[0]" in message

    def test_reports_every_bad_item(self) -> None:
        """Each bad item of an array is its own problem."""
        assert len(messages(["x", 0, "2030-01", 3, 3])) == 4

    def test_reports_an_empty_array(self) -> None:
        """An activity with no month is a mistake."""
        assert messages([]) == [
            (
                "plan.toml: cohorts[0].activities[0].months: expected at least one month, "
                "got an empty array"
            )
        ]

    def test_allows_an_empty_array_when_asked(self) -> None:
        """An optional list such as in_person may be empty."""
        assert read([], allow_empty=True) == ((), [])

    def test_checks_months_against_allowed_ones(self) -> None:
        """With ``among``, each month must be one of those months."""
        (message,) = messages(["2023-04"], among=(ym("2023-03"), ym("2024-06")))
        assert "expected a month that is also in 'months' (2023-03, 2024-06)" in message


class TestCadences:
    def test_reads_every_other_month(self) -> None:
        """``every = 2`` from 1 to 17 gives the odd programme months."""
        months, problems = read({"every": 2, "from": 1, "to": 17})
        assert problems == []
        assert [str(month) for month in months or ()] == [
            "2023-01",
            "2023-03",
            "2023-05",
            "2023-07",
            "2023-09",
            "2023-11",
            "2024-01",
            "2024-03",
            "2024-05",
        ]

    def test_from_and_to_default_to_the_window(self) -> None:
        """Without ``from`` and ``to`` a cadence spans the whole window."""
        months, _ = read({"every": 6})
        assert months == (ym("2023-01"), ym("2023-07"), ym("2024-01"))

    def test_applies_except_and_also(self) -> None:
        """``except`` drops months of the cadence and ``also`` adds others, in any form."""
        months, problems = read(
            {"every": 1, "from": "2023-02", "to": 6, "except": [3, "2023-05"], "also": [18]}
        )
        assert problems == []
        assert months == (ym("2023-02"), ym("2023-04"), ym("2023-06"), ym("2024-06"))

    def test_reports_to_before_from(self) -> None:
        """A cadence that ends before it starts is reported at ``to``."""
        (message,) = messages({"every": 1, "from": 5, "to": "2023-02"})
        assert "months.to: expected a month at or after 'from' (2023-05), got '2023-02'" in (
            message
        )

    def test_reports_an_except_month_the_cadence_never_produces(self) -> None:
        """Skipping a month the cadence would not give anyway is most likely a slip."""
        (message,) = messages({"every": 2, "from": 1, "to": 17, "except": [2]})
        assert message == (
            "plan.toml: cohorts[0].activities[0].months.except[0]: expected a month that "
            "every 2 months from 2023-01 to 2024-05 produces, got 2 (2023-02), a month the "
            "cadence never produces"
        )

    def test_reports_an_also_month_the_cadence_already_produces(self) -> None:
        """Adding a month the cadence already gives is most likely a slip."""
        (message,) = messages({"every": 2, "from": 1, "also": ["2023-03"]})
        assert "months.also[0]: expected a month that every 2 months" in message
        assert "a month the cadence already produces" in message

    def test_reports_a_cadence_that_yields_no_month(self) -> None:
        """A cadence whose every month is skipped leaves the activity empty."""
        (message,) = messages({"every": 3, "from": 1, "to": 4, "except": [1, 4]})
        assert "months: expected a cadence that yields at least one month, got no month" in (
            message
        )

    @pytest.mark.parametrize("every", [0, -2])
    def test_reports_a_step_below_one(self, every: int) -> None:
        """A cadence steps forward by at least one month."""
        (message,) = messages({"every": every})
        assert f"months.every: expected a whole number of months, 1 or more, got {every}" in (
            message
        )

    def test_requires_every(self) -> None:
        """A cadence says how often."""
        (message,) = messages({"from": 1})
        assert "months.every: expected a whole number, got nothing (the key is missing)" in (
            message
        )

    def test_reports_an_unknown_key_with_a_suggestion(self) -> None:
        """A misspelt cadence key is named with the key it most likely meant."""
        problems = messages({"every": 2, "form": 1, "untill": 5})
        assert len(problems) == 2
        assert "months.form: expected a known key" in problems[0]
        assert "(did you mean 'from'?)" in problems[0]
        assert "months.untill" in problems[1]

    def test_is_refused_where_only_arrays_are_allowed(self) -> None:
        """``in_person`` takes an array of months, not a cadence."""
        (message,) = messages({"every": 2}, cadence=False)
        assert message.endswith("expected an array of months, got a table")

    def test_reports_all_problems_of_a_cadence(self) -> None:
        """A cadence with several mistakes reports each of them."""
        problems = messages({"every": 0, "from": 40, "to": "2023-1", "except": ["no"]})
        assert len(problems) == 4


class TestCadenceValue:
    @given(
        every=st.integers(1, 6),
        start=st.integers(1, 18),
        length=st.integers(0, 17),
    )
    def test_steps_evenly_from_start_without_passing_stop(
        self, every: int, start: int, length: int
    ) -> None:
        """A cadence's months start at ``start``, step by ``every`` and stay up to ``stop``."""
        first, last = WINDOW.month(start), WINDOW.month(start) + length
        months = Cadence(every=every, start=first, stop=last).months
        assert months[0] == first
        assert all(b - a == every for a, b in itertools.pairwise(months))
        assert months[-1] <= last < months[-1] + every
        assert len(months) == length // every + 1

    def test_describes_itself(self) -> None:
        """A monthly cadence reads 'every month'."""
        cadence = Cadence(every=1, start=ym("2023-02"), stop=ym("2024-06"))
        assert str(cadence) == "every month from 2023-02 to 2024-06"
