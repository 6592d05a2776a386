"""The TOML table reader: types checked strictly, choices and zones named with a hint."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import pytest

from pe_schedule import DeclarationError, HolidayPolicy, Zone, load
from pe_schedule._internal.declaration.source import Report, Table, named
from tests.conftest import MINIMAL_DECLARATION

#: The shared minimal declaration, its one activity's months replaced by
#: ``{activity}`` and tables added after it as ``{rules}``.
DECLARATION = (
    MINIMAL_DECLARATION.replace("{", "{{")
    .replace("}", "}}")
    .replace("months = [1, 3]\n", "{activity}\n{rules}\n")
)


def declaration_problems(tmp_path: Path, *, activity: str, rules: str = "") -> list[str]:
    """The messages loading the minimal declaration, changed as given, raises."""
    path = tmp_path / "d.toml"
    path.write_text(DECLARATION.format(activity=activity, rules=rules), encoding="utf-8")
    with pytest.raises(DeclarationError) as caught:
        load(path)
    prefix = f"{path}: "
    return [str(problem).removeprefix(prefix) for problem in caught.value.problems]


def table(data: dict[str, Any]) -> tuple[Table, Report]:
    """A table at key path ``t`` over ``data``, with its report."""
    report = Report("t.toml")
    return Table(data, "t", report), report


def messages(report: Report) -> list[str]:
    """The report's problems as messages."""
    return [str(problem) for problem in report.problems]


class TestBooleansAreNotNumbers:
    """TOML's true and false are refused wherever a number is expected (bool is an int in Python)."""

    def test_the_minimal_declaration_loads(self, tmp_path: Path) -> None:
        """The declaration the other tests change is valid as it stands."""
        path = tmp_path / "d.toml"
        path.write_text(DECLARATION.format(activity="months = [1, 3]", rules=""), "utf-8")
        assert [str(month) for month in load(path).cohorts[0].activities[0].months] == [
            "2023-01",
            "2023-03",
        ]

    def test_every_true_in_a_cadence(self, tmp_path: Path) -> None:
        """``months = { every = true }`` is refused at its key path, not read as every 1 month."""
        found = declaration_problems(tmp_path, activity="months = { every = true }")
        assert found == ["cohorts[0].activities[0].months.every: expected a whole number, got true"]

    def test_months_true_in_an_every_rule(self, tmp_path: Path) -> None:
        """An every-rule's ``months = true`` is refused, not read as 1 month."""
        rule = '[[cohorts.rules]]\nkind = "every"\nactivity = "call"\nmonths = true\n'
        found = declaration_problems(tmp_path, activity="months = [1, 3]", rules=rule)
        assert found == ["cohorts[0].rules[0].months: expected a whole number, got true"]

    def test_days_true_in_a_timing(self, tmp_path: Path) -> None:
        """A timing's ``days = true`` is refused, not read as 1 day."""
        timing = 'months = [1, 3]\ntiming = { day = "third Wednesday", days = true }'
        found = declaration_problems(tmp_path, activity=timing)
        assert found == ["cohorts[0].activities[0].timing.days: expected a whole number, got true"]

    @pytest.mark.parametrize("value", [True, False])
    def test_integer_refuses_a_boolean(self, value: bool) -> None:
        """``Table.integer`` reports a boolean and gives ``None``."""
        view, report = table({"n": value})
        assert view.integer("n") is None
        assert messages(report) == [
            f"t.toml: t.n: expected a whole number, got {str(value).lower()}"
        ]

    def test_value_takes_a_boolean_only_when_asked_for_one(self) -> None:
        """``Table.value`` gives a boolean for ``bool`` (or a tuple holding it), and a number for int."""
        view, report = table({"flag": True, "n": 3})
        assert view.value("flag", bool, "true or false") is True
        assert view.value("flag", (int, bool), "a number or true or false") is True
        assert view.boolean("flag", default=False) is True
        assert view.integer("n") == 3
        assert report.problems == []


class Colour(enum.Enum):
    """Options for :meth:`Table.choice`, declared out of alphabetical order."""

    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class TestChoice:
    """``Table.choice`` maps a name to its option and reports anything else helpfully."""

    def test_a_valid_name_gives_its_member(self) -> None:
        """A known name gives its option and no problem."""
        view, report = table({"holidays": "shift"})
        assert view.choice("holidays", named(HolidayPolicy)) is HolidayPolicy.SHIFT
        assert report.problems == []

    def test_an_unknown_name_lists_the_sorted_choices_and_the_closest(self) -> None:
        """A misspelt name gives ``None`` and a problem naming every choice, sorted, and the closest."""
        view, report = table({"colour": "gren"})
        assert view.choice("colour", named(Colour), default=Colour.RED) is None
        assert messages(report) == [
            (
                "t.toml: t.colour: expected one of 'blue', 'green', 'red', got 'gren' "
                "(did you mean 'green'?)"
            )
        ]

    def test_a_name_far_from_every_choice_has_no_hint(self) -> None:
        """A name close to no choice is reported without a did-you-mean."""
        view, report = table({"colour": "ultraviolet"})
        assert view.choice("colour", named(Colour)) is None
        (problem,) = report.problems
        assert problem.hint is None

    def test_absent_gives_the_default(self) -> None:
        """A missing key gives the default and no problem unless the key is required."""
        view, report = table({})
        assert view.choice("colour", named(Colour), default=Colour.BLUE) is Colour.BLUE
        assert view.choice("colour", named(Colour)) is None
        assert report.problems == []
        assert view.choice("colour", named(Colour), required=True) is None
        assert messages(report) == [
            (
                "t.toml: t.colour: expected one of 'blue', 'green', 'red', "
                "got nothing (the key is missing)"
            )
        ]

    @pytest.mark.parametrize(("value", "shown"), [(3, "3"), (True, "true"), (["red"], "an array")])
    def test_a_value_of_the_wrong_type_is_a_problem_not_the_default(
        self, value: object, shown: str
    ) -> None:
        """A value that is not a text gives ``None`` (not the default) and a problem."""
        view, report = table({"colour": value})
        assert view.choice("colour", named(Colour), default=Colour.RED) is None
        assert messages(report) == [
            f"t.toml: t.colour: expected one of 'blue', 'green', 'red', got {shown}"
        ]


class TestZone:
    """``Table.zone`` reads an IANA zone name and suggests the zone a near miss meant."""

    def test_a_valid_name_gives_the_zone(self) -> None:
        """A known zone name gives that :class:`Zone`."""
        view, report = table({"timezone": "America/New_York"})
        assert view.zone() == Zone("America/New_York")
        assert report.problems == []

    def test_a_misspelt_zone_suggests_the_right_one(self) -> None:
        """'America/New_Yrok' gives ``None`` and a problem suggesting 'America/New_York'."""
        view, report = table({"tz": "America/New_Yrok"})
        assert view.zone("tz") is None
        assert messages(report) == [
            (
                "t.toml: t.tz: expected an IANA time zone such as 'America/New_York', "
                "got 'America/New_Yrok' (did you mean 'America/New_York'?)"
            )
        ]

    def test_absent_is_none_and_a_problem_only_when_required(self) -> None:
        """A missing zone gives ``None``, reported only when required."""
        view, report = table({})
        assert view.zone() is None
        assert report.problems == []
        assert view.zone(required=True) is None
        assert [problem.path for problem in report.problems] == ["t.timezone"]

    def test_a_zone_that_is_not_a_text_is_a_problem(self) -> None:
        """A number where a zone belongs is reported."""
        view, report = table({"timezone": 5})
        assert view.zone() is None
        assert messages(report) == [
            "t.toml: t.timezone: expected an IANA time zone such as 'America/New_York', got 5"
        ]


class TestClosedInlineTable:
    """An inline table extended later gets a hint, not TOML's bare "immutable namespace"."""

    def test_inline_timing_followed_by_overrides(self, tmp_path: Path) -> None:
        text = MINIMAL_DECLARATION + (
            'timing = { day = "first Monday", start = "10:00", duration = "1h" }\n\n'
            "[[cohorts.activities.timing.overrides]]\nmonth = 1\ncancel = true\n"
        )
        path = tmp_path / "inline.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DeclarationError) as raised:
            load(path)
        (problem,) = raised.value.problems
        assert (
            problem.line == text.splitlines().index("[[cohorts.activities.timing.overrides]]") + 1
        )
        assert problem.path == "cohorts.activities.timing.overrides"
        assert problem.hint is not None
        assert "`timing = { … }`" in problem.hint
        assert "`[cohorts.activities.timing]`" in problem.hint

    def test_other_toml_errors_keep_their_words(self, tmp_path: Path) -> None:
        path = tmp_path / "twice.toml"
        path.write_text(MINIMAL_DECLARATION + 'name = "again"\n', encoding="utf-8")
        with pytest.raises(DeclarationError) as raised:
            load(path)
        (problem,) = raised.value.problems
        assert (problem.expected, problem.hint, problem.path) == ("valid TOML", None, "")
