"""The alternating-month rules: each kind's meaning, and the engine against a reference."""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import given
from hypothesis import strategies as st

from pe_schedule import (
    Activity,
    AlternatesWith,
    Cohort,
    EveryNMonths,
    InPersonWith,
    MonthlyExcept,
    NotWith,
    Programme,
    Rule,
    SameMonths,
    YearMonth,
    Zone,
    check,
)

START = YearMonth(2023, 1)
WINDOW = 18


def month(index: int) -> YearMonth:
    """Programme month ``index`` counted from 0."""
    return START + index


def activity(activity_id: str, months: Iterable[int], in_person: Iterable[int] = ()) -> Activity:
    """An activity in the months with these 0-based indexes."""
    return Activity(
        id=activity_id,
        name=activity_id.replace("-", " ").title(),
        months=[month(i) for i in months],
        in_person=[month(i) for i in in_person],
    )


def programme(rule: Rule, *activities: Activity) -> Programme:
    """A one-cohort programme holding ``activities`` and ``rule``."""
    cohort = Cohort(id="cohort", name="Cohort", activities=activities, rules=(rule,))
    return Programme(
        id="p",
        name="P",
        first_month=START,
        last_month=START + (WINDOW - 1),
        timezone=Zone("America/New_York"),
        cohorts=(cohort,),
    )


def broken_months(rule: Rule, *activities: Activity) -> list[int]:
    """The 0-based months of every violation ``check`` reports."""
    return [v.month - START for v in check(programme(rule, *activities)) if v.month]


month_sets = st.frozensets(st.integers(0, WINDOW - 1), max_size=WINDOW)


class TestEveryNMonths:
    """``every``: an activity recurs on a fixed cadence."""

    def test_every_other_month_holds(self) -> None:
        """January, March, May ... holds for every 2 months."""
        assert (
            broken_months(EveryNMonths(activity="a", months=2), activity("a", range(0, 17, 2)))
            == []
        )

    def test_consecutive_months_break_every_two(self) -> None:
        """Two months in a row break an every-2 cadence, reported at the second."""
        rule = EveryNMonths(activity="a", months=2)
        assert broken_months(rule, activity("a", [0, 2, 3])) == [3]

    def test_a_gap_is_reported_as_the_missing_month(self) -> None:
        """Skipping a cadence month names the month that is missing."""
        violations = check(programme(EveryNMonths(activity="a", months=2), activity("a", [0, 4])))
        assert [(v.month, v.rule) for v in violations] == [(month(2), "every")]
        assert "missing in Mar 2023" in violations[0].message

    def test_a_gap_is_allowed_in_a_month_of_unless(self) -> None:
        """A cadence month may be skipped where an ``unless`` activity happens."""
        rule = EveryNMonths(activity="a", months=2, unless=("b",))
        assert broken_months(rule, activity("a", [0, 4]), activity("b", [2])) == []
        assert broken_months(rule, activity("a", [0, 4]), activity("b", [3])) == [2]


class TestNotWith:
    """``not-with``: an activity only in months without another."""

    def test_reports_each_shared_month(self) -> None:
        """Every month holding both activities is a violation of the first."""
        violations = check(
            programme(
                NotWith(activity="a", other="b"), activity("a", [1, 3]), activity("b", [0, 3])
            )
        )
        assert [(v.activity, v.month) for v in violations] == [("a", month(3))]
        assert "already has B" in violations[0].message


class TestAlternatesWith:
    """``alternates-with``: two activities take turns from the first one's start."""

    def test_the_learning_network_pattern_holds(self) -> None:
        """Coaching from April, all-team calls odd months: they alternate."""
        rule = AlternatesWith(activity="coach", other="call")
        calls, coaching = activity("call", range(0, 17, 2)), activity("coach", range(3, 18, 2))
        assert broken_months(rule, coaching, calls) == []

    def test_both_in_one_month_is_reported(self) -> None:
        """A month with both activities breaks the alternation."""
        rule = AlternatesWith(activity="coach", other="call")
        assert broken_months(rule, activity("coach", [1, 3]), activity("call", [2, 3])) == [3]

    def test_a_month_with_neither_is_reported(self) -> None:
        """A month with neither activity breaks the alternation."""
        rule = AlternatesWith(activity="coach", other="call")
        assert broken_months(rule, activity("coach", [1, 5]), activity("call", [2])) == [3, 4]


class TestSameMonths:
    """``same-months``: two activities share their months exactly."""

    def test_reports_the_symmetric_difference(self) -> None:
        """A month of only one of the two is a violation, whichever has it."""
        rule = SameMonths(activity="a", other="b")
        assert broken_months(rule, activity("a", [1, 3, 5]), activity("b", [1, 4, 5])) == [3, 4]


class TestMonthlyExcept:
    """``monthly-except``: monthly between first and last, skipping the others' months."""

    def test_the_one_to_one_coaching_pattern_holds(self) -> None:
        """Monthly from February except the learning-session months holds."""
        rule = MonthlyExcept(activity="a", others=("ls",))
        one_to_one = activity("a", [1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16])
        assert broken_months(rule, one_to_one, activity("ls", [2, 9, 17])) == []

    def test_reports_missing_and_clashing_months(self) -> None:
        """A missing month and a month shared with a skip activity are both reported."""
        rule = MonthlyExcept(activity="a", others=("ls",))
        violations = check(programme(rule, activity("a", [1, 2, 4]), activity("ls", [2])))
        assert [v.month for v in violations] == [month(2), month(3)]
        assert "when it is skipped" in violations[0].message
        assert "missing in Apr 2023" in violations[1].message


class TestInPersonWith:
    """``in-person-with``: in-person months coincide with another's in-person months."""

    def test_reports_in_person_months_the_other_lacks(self) -> None:
        """An in-person month where the other activity is virtual is a violation."""
        rule = InPersonWith(activity="a", other="ls")
        affinity = activity("a", [2, 6, 17], in_person=[2, 17])
        sessions = activity("ls", [2, 9, 17], in_person=[2])
        assert broken_months(rule, affinity, sessions) == [17]


class TestAgainstAReference:
    """The engine agrees with a plain set-based statement of each rule on random grids."""

    @given(month_sets, month_sets, st.integers(2, 4))
    def test_every(self, months: frozenset[int], skips: frozenset[int], n: int) -> None:
        """Valid exactly when all months sit on one n-month lattice whose gaps are skip months."""
        rule = EveryNMonths(activity="a", months=n, unless=("s",))
        found = broken_months(rule, activity("a", months), activity("s", skips))
        if months:
            first, last = min(months), max(months)
            lattice = set(range(first, last + 1, n))
            valid = months <= lattice and lattice - months <= skips
        else:
            valid = True
        assert (found == []) == valid

    @given(month_sets, month_sets)
    def test_not_with(self, a: frozenset[int], b: frozenset[int]) -> None:
        """The broken months are the shared months."""
        rule = NotWith(activity="a", other="b")
        assert broken_months(rule, activity("a", a), activity("b", b)) == sorted(a & b)

    @given(month_sets, month_sets)
    def test_same_months(self, a: frozenset[int], b: frozenset[int]) -> None:
        """The broken months are the months of exactly one of the two."""
        rule = SameMonths(activity="a", other="b")
        assert broken_months(rule, activity("a", a), activity("b", b)) == sorted(a ^ b)

    @given(month_sets, month_sets)
    def test_monthly_except(self, a: frozenset[int], skips: frozenset[int]) -> None:
        """Between its first and last month, an activity month must be exactly a non-skip month."""
        rule = MonthlyExcept(activity="a", others=("s",))
        expected = [m for m in range(min(a), max(a) + 1) if (m in a) == (m in skips)] if a else []
        assert broken_months(rule, activity("a", a), activity("s", skips)) == expected

    @given(month_sets, month_sets, st.data())
    def test_in_person_with(
        self, a: frozenset[int], b: frozenset[int], data: st.DataObject
    ) -> None:
        """The broken months are the in-person months the other is not in person in."""
        a_in_person = data.draw(st.sets(st.sampled_from(sorted(a)))) if a else set()
        b_in_person = data.draw(st.sets(st.sampled_from(sorted(b)))) if b else set()
        rule = InPersonWith(activity="a", other="b")
        found = broken_months(rule, activity("a", a, a_in_person), activity("b", b, b_in_person))
        assert found == sorted(a_in_person - b_in_person)

    @given(month_sets, month_sets)
    def test_alternates_with(self, a: frozenset[int], b: frozenset[int]) -> None:
        """Valid exactly when, from a's first month, a takes the even and b the odd steps."""
        rule = AlternatesWith(activity="a", other="b")
        found = broken_months(rule, activity("a", a), activity("b", b))
        if a:
            first = min(a)
            last = max(max(a), max(b, default=first))
            span = range(first, last + 1)
            valid = a == {m for m in span if (m - first) % 2 == 0} and {
                m for m in b if m >= first
            } == {m for m in span if (m - first) % 2 == 1}
        else:
            valid = True
        assert (found == []) == valid
