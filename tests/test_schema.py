"""The JSON Schema of the declaration format, as an editor would use it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pe_schedule import AudienceKind, declaration_schema

HERE = Path(__file__).parent
REFERENCE = HERE.parent / "calendars" / "pursuing-equity-2023-2024.toml"
INVALID = HERE / "bad_inputs"

# Invalid declarations whose mistake is one of shape, which a schema can see.
# Mistakes that need the whole file (a month outside the window, a rule naming
# a missing activity, a reversed window) are left to the loader.
SHAPE_MISTAKES = [
    "misspelt-key",
    "misspelt-table",
    "wrong-type",
    "wrong-month-format",
    "empty-programme",
    "cohort-without-activities",
    "missing-required-keys",
    "bad-slug",
    "unknown-audience",
    "unknown-rule-kind",
    "rule-key-of-another-kind",
    "rule-every-one-month",
    "in-person-session-without-location",
    "grouping-count-zero",
    "grouping-name-without-number",
    "grouping-on-cohort-activity",
    "grouping-sizes-one-number",
    "timing-choices-in-defaults",
    "timing-choices-in-event",
    "timing-start-choice-bad-time",
    "timing-start-choices-empty",
    "timing-start-window-misspelt-key",
    "reminder-not-a-duration",
    "join-not-web-address",
]


def toml(path: Path) -> dict[str, Any]:
    """The TOML file at ``path`` as JSON-like data."""
    with path.open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """A validator for the declaration schema."""
    return jsonschema.Draft202012Validator(declaration_schema())


class TestSchema:
    def test_is_a_valid_draft_2020_12_schema(self) -> None:
        """The schema passes the draft 2020-12 metaschema."""
        schema = declaration_schema()
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)

    def test_is_plain_json(self) -> None:
        """The schema survives a round trip through JSON, so it can be written to a file."""
        schema = declaration_schema()
        assert json.loads(json.dumps(schema)) == schema

    def test_closes_every_table(self) -> None:
        """Every object in the schema forbids keys it does not name."""
        schema = declaration_schema()
        parts = [schema, *schema["$defs"].values()]
        objects = [part for part in parts if part.get("type") == "object"]
        assert len(objects) >= 10
        assert all(part["additionalProperties"] is False for part in objects)

    def test_offers_the_audiences_for_completion(self) -> None:
        """The audience part lists every audience an activity may be declared for."""
        enum = declaration_schema()["$defs"]["audience"]["enum"]
        assert sorted(enum) == sorted(kind.value for kind in AudienceKind if kind.declarable)
        assert "person" not in enum

    def test_describes_every_part(self) -> None:
        """Each named part carries a description for the editor to show."""
        defs = declaration_schema()["$defs"]
        assert [name for name, part in defs.items() if not part.get("description")] == []


class TestValidation:
    def test_accepts_the_reference_declaration(
        self, validator: jsonschema.Draft202012Validator
    ) -> None:
        """The reference declaration, read from TOML, is valid."""
        assert [error.message for error in validator.iter_errors(toml(REFERENCE))] == []

    def test_accepts_links_and_reminders(self, validator: jsonschema.Draft202012Validator) -> None:
        """The example with a join link per coaching group and reminders is valid."""
        example = HERE.parent / "examples" / "links-and-reminders" / "coaching-circle.toml"
        assert [error.message for error in validator.iter_errors(toml(example))] == []

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (("programme", "defaults", "reminders"), ["soon"]),
            (("cohorts", 0, "activities", 0, "reminders"), ["15m", "15m"]),
            (("cohorts", 0, "activities", 0, "join"), "zoom.example/j/1"),
            (("events", 0, "join"), "https://zoom.example/j 1"),
        ],
    )
    def test_rejects_a_bad_link_or_reminder(
        self, validator: jsonschema.Draft202012Validator, path: tuple[str | int, ...], value: Any
    ) -> None:
        """A reminder that is no duration, listed twice, or a link that is no web address."""
        data = toml(HERE.parent / "examples" / "links-and-reminders" / "coaching-circle.toml")
        holder: Any = data
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = value
        assert not validator.is_valid(data)

    @pytest.mark.parametrize("name", SHAPE_MISTAKES)
    def test_rejects_a_declaration_of_the_wrong_shape(
        self, validator: jsonschema.Draft202012Validator, name: str
    ) -> None:
        """An invalid declaration whose mistake is one of shape fails validation."""
        assert not validator.is_valid(toml(INVALID / f"{name}.toml"))

    def test_rejects_a_misspelt_cadence_key_where_it_is(
        self, validator: jsonschema.Draft202012Validator
    ) -> None:
        """The error of a misspelt cadence key points at the activity's months."""
        data = toml(REFERENCE)
        data["cohorts"][0]["activities"][1]["months"] = {"every": 2, "form": 1}
        errors = list(validator.iter_errors(data))
        assert [error.json_path for error in errors] == ["$.cohorts[0].activities[1].months"]

    @pytest.mark.parametrize(
        "months",
        [[2, "2023-04"], {"every": 2}, {"every": 1, "from": "2023-02", "except": [3]}],
    )
    def test_accepts_each_month_form(
        self, validator: jsonschema.Draft202012Validator, months: Any
    ) -> None:
        """Arrays of mixed month forms and cadence tables are valid months."""
        data = toml(REFERENCE)
        data["cohorts"][0]["activities"][0]["months"] = months
        assert validator.is_valid(data)

    @pytest.mark.parametrize(
        "months", [[], ["2023-13"], [0], {"every": 0}, {"from": 1}, "2023-02", [2, 2]]
    )
    def test_rejects_what_is_no_month_form(
        self, validator: jsonschema.Draft202012Validator, months: Any
    ) -> None:
        """Empty arrays, impossible months, zero steps and bare texts are not months."""
        data = toml(REFERENCE)
        data["cohorts"][0]["activities"][0]["months"] = months
        assert not validator.is_valid(data)


def coaching_activity(data: dict[str, Any]) -> dict[str, Any]:
    """The reference's first coaching-group activity, to edit in place."""
    activities = [a for cohort in data["cohorts"] for a in cohort["activities"]]
    return next(a for a in activities if a.get("audience") == "coaching-group")


class TestSchedulerKeys:
    """The keys pe-schedule solve reads: an activity's grouping and timing choices."""

    @pytest.mark.parametrize(
        "timing",
        [
            {"day": ["second Tuesday", "second Thursday"], "start": "12:00", "duration": "1h"},
            {"day": "second Tuesday", "start": ["12:00", "14:00"], "duration": "1h"},
            {
                "day": [10, "last Friday"],
                "start": {"from": "11:00", "to": "16:00"},
                "duration": "1h",
            },
            {"day": 1, "start": {"from": "11:00", "to": "16:00", "every": "1h"}, "duration": "1h"},
        ],
    )
    def test_accepts_timing_choices(
        self, validator: jsonschema.Draft202012Validator, timing: dict[str, Any]
    ) -> None:
        """Listed days, listed start times and a window of start times are valid."""
        data = toml(REFERENCE)
        coaching_activity(data)["timing"] = timing
        assert [error.message for error in validator.iter_errors(data)] == []

    def test_accepts_a_grouping(self, validator: jsonschema.Draft202012Validator) -> None:
        """Every grouping key is valid on a coaching-group activity."""
        data = toml(REFERENCE)
        coaching_activity(data)["grouping"] = {
            "sizes": [4, 5],
            "similar": ["region"],
            "mixed": ["population", "organisation type"],
            "count": 9,
            "prefix": "ln-coaching",
            "name": "Coaching group {n}",
        }
        assert [error.message for error in validator.iter_errors(data)] == []

    @pytest.mark.parametrize(
        "grouping",
        [
            {"similar": ["region"]},
            {"sizes": [4, 5, 6]},
            {"sizes": [4, 5], "similar": ["region", "region"]},
            {"sizes": [4, 5], "prefix": "Coaching Groups"},
        ],
    )
    def test_rejects_a_grouping_of_the_wrong_shape(
        self, validator: jsonschema.Draft202012Validator, grouping: dict[str, Any]
    ) -> None:
        """No sizes, three sizes, a repeated attribute and a prefix that is no slug are invalid."""
        data = toml(REFERENCE)
        coaching_activity(data)["grouping"] = grouping
        assert not validator.is_valid(data)

    def test_a_session_slot_takes_one_start(
        self, validator: jsonschema.Draft202012Validator
    ) -> None:
        """A session slot takes one start time: only the activity's timing lists choices."""
        data = toml(REFERENCE)
        activity = coaching_activity(data)
        activity["timing"] = {"day": 1, "start": "12:00", "duration": "1h"}
        activity["timing"]["sessions"] = {"g1": {"start": ["12:00", "13:00"]}}
        assert not validator.is_valid(data)
