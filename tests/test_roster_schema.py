"""The JSON Schema of the roster format: built from the reader's own vocabulary."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pe_schedule import DeclarationError, Role, StaffRole, load_roster, roster_schema
from pe_schedule._internal.declaration import roster as reader
from pe_schedule._internal.declaration.schema import HOURS_PATTERN, _keyed
from pe_schedule._internal.model.audience import GROUP_KINDS
from pe_schedule._internal.model.availability import WorkingHours
from pe_schedule._internal.model.timing import parse_weekday

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "calendars" / "pursuing-equity-2023-2024.roster.toml"
EXAMPLE = ROOT / "examples" / "small.roster.toml"

#: Each part of the schema and the key list the reader allows in that table.
KEY_LISTS = {
    "roster": reader.ROSTER_KEYS,
    "group": reader.GROUP_KEYS,
    "team": reader.TEAM_KEYS,
    "person": reader.PERSON_KEYS,
    "staff": reader.STAFF_KEYS,
}


def toml(path: Path) -> dict[str, Any]:
    """The TOML file at ``path`` as JSON-like data."""
    with path.open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """A validator for the roster schema."""
    return jsonschema.Draft202012Validator(roster_schema())


def part(name: str) -> dict[str, Any]:
    """The schema of one kind of roster table; ``roster`` is the file itself."""
    schema = roster_schema()
    return schema if name == "roster" else dict(schema["$defs"][name])


class TestSchema:
    def test_is_a_valid_draft_2020_12_schema(self) -> None:
        """The schema passes the draft 2020-12 metaschema and survives a trip through JSON."""
        schema = roster_schema()
        jsonschema.Draft202012Validator.check_schema(schema)
        assert json.loads(json.dumps(schema)) == schema

    @pytest.mark.parametrize("name", list(KEY_LISTS))
    def test_lists_exactly_the_keys_the_reader_allows(self, name: str) -> None:
        """Each table of the schema names the reader's keys, in its order, and no others."""
        schema = part(name)
        assert list(schema["properties"]) == list(KEY_LISTS[name])
        assert schema["additionalProperties"] is False

    @pytest.mark.parametrize("name", list(KEY_LISTS))
    def test_requires_what_the_reader_requires(self, name: str, tmp_path: Path) -> None:
        """A key the schema requires is one whose absence the reader reports, and vice versa."""
        complete = toml(EXAMPLE)
        required = set(part(name).get("required", []))
        assert set(_table(complete, name)) == set(KEY_LISTS[name])
        for key in KEY_LISTS[name]:
            path = tmp_path / f"{name}-{key}.roster.toml"
            path.write_text(_dumps(_without(complete, name, key)), encoding="utf-8")
            try:
                load_roster(path)
                read = True
            except DeclarationError:
                read = False
            assert read is (key not in required), (name, key)

    def test_offers_the_models_roles_and_kinds(self) -> None:
        """Roles, staff roles and group kinds are the model's enums, with their defaults."""
        role = part("person")["properties"]["role"]
        assert (role["enum"], role["default"]) == ([r.value for r in Role], "member")
        staff = part("staff")["properties"]["role"]
        assert (staff["enum"], staff["default"]) == ([r.value for r in StaffRole], "coach")
        assert part("group")["properties"]["kind"]["enum"] == [k.value for k in GROUP_KINDS]

    def test_describes_every_part_and_key(self) -> None:
        """Each named part and each key carries a description for the editor to show."""
        for name in KEY_LISTS:
            properties = part(name)["properties"]
            assert [key for key, value in properties.items() if not value.get("description")] == []

    def test_a_table_must_list_the_readers_keys(self) -> None:
        """Building a table whose keys differ from the reader's fails: the two cannot drift."""
        with pytest.raises(ValueError, match=r"missing \['kind'\], extra \['knd'\]"):
            _keyed("A group.", reader.GROUP_KEYS, {"id": {}, "name": {}, "knd": {}})


class TestValidation:
    @pytest.mark.parametrize("path", [SAMPLE, EXAMPLE], ids=["sample", "example"])
    def test_accepts_the_sample_and_the_example(
        self, validator: jsonschema.Draft202012Validator, path: Path
    ) -> None:
        """The reference programme's roster and the complete small example are valid."""
        assert [error.message for error in validator.iter_errors(toml(path))] == []

    @pytest.mark.parametrize(
        ("name", "edit"),
        [
            ("unknown-top-level-key", lambda d: d.update(working_hour="09:00-17:00")),
            (
                "people-as-person",
                lambda d: d["teams"][0].update(person=d["teams"][0].pop("people")),
            ),
            ("unknown-role", lambda d: d["teams"][0]["people"][0].update(role="leader")),
            ("unknown-staff-role", lambda d: d["staff"][0].update(role="mentor")),
            ("unknown-group-kind", lambda d: d["groups"][0].update(kind="coaching")),
            ("misspelt-weekday", lambda d: d["staff"][0]["working_days"].append("Frday")),
            ("no-weekdays", lambda d: d.update(working_days=[])),
            ("hours-in-am-pm", lambda d: d.update(working_hours="9am-5pm")),
            ("team-without-timezone", lambda d: d["teams"][1].pop("timezone")),
            ("staff-without-id", lambda d: d["staff"][1].pop("id")),
            ("group-without-kind", lambda d: d["groups"][1].pop("kind")),
            ("no-teams", lambda d: d.pop("teams")),
            ("max-per-day-zero", lambda d: d["staff"][0].update(max_per_day=0)),
            ("only-without-leads", lambda d: d["staff"][0].pop("leads")),
            ("blackout-not-a-list", lambda d: d["staff"][0].update(blackout="2023-08-14")),
            ("lead-without-cohort", lambda d: d["staff"][1].update(leads=["affinity-groups"])),
            ("numeric-attribute", lambda d: d["teams"][0]["attributes"].update(size=12)),
            ("id-not-a-slug", lambda d: d["teams"][0].update(id="LN 01")),
            ("session-listed-twice", lambda d: d["staff"][0]["only"].append("ac-01")),
        ],
    )
    def test_schema_and_reader_both_reject(
        self,
        validator: jsonschema.Draft202012Validator,
        tmp_path: Path,
        name: str,
        edit: Any,
    ) -> None:
        """A roster of the wrong shape fails validation and loading alike."""
        data = toml(EXAMPLE)
        edit(data)
        assert not validator.is_valid(data)
        path = tmp_path / f"{name}.roster.toml"
        path.write_text(_dumps(data), encoding="utf-8")
        with pytest.raises(DeclarationError):
            load_roster(path)

    def test_weekdays_in_any_case_are_valid_to_both(
        self, validator: jsonschema.Draft202012Validator, tmp_path: Path
    ) -> None:
        """The reader takes weekdays in any case, and so does the schema."""
        data = toml(EXAMPLE)
        data["working_days"] = ["monday", " TUESDAY "]
        assert validator.is_valid(data)
        path = tmp_path / "x.roster.toml"
        path.write_text(_dumps(data), encoding="utf-8")
        assert load_roster(path).working_days == frozenset({0, 1})


class TestFormats:
    """The schema's patterns accept what the reader's parsers accept."""

    @given(
        st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]),
        st.lists(st.booleans(), min_size=9, max_size=9),
        st.sampled_from(["", " ", "  "]),
        st.sampled_from(["", "s", "x", "Mon"]),
    )
    def test_weekday_pattern(self, name: str, upper: list[bool], pad: str, tail: str) -> None:
        """A weekday name matches the pattern exactly when parse_weekday reads it."""
        cased = "".join(c.upper() if up else c.lower() for c, up in zip(name, upper, strict=False))
        text = pad + cased + name[len(upper) :] + tail + pad
        pattern = part("staff")["properties"]["working_days"]["items"]["pattern"]
        try:
            parse_weekday(text)
            parsed = True
        except ValueError:
            parsed = False
        assert (re.search(pattern, text) is not None) is parsed

    @given(
        st.integers(0, 29),
        st.integers(0, 69),
        st.integers(0, 29),
        st.integers(0, 69),
        st.sampled_from(["-", "\u2013", " - ", "/", ""]),
    )
    def test_hours_pattern(self, h1: int, m1: int, h2: int, m2: int, dash: str) -> None:
        """Hours match the pattern when WorkingHours reads them; else only an order is wrong."""
        text = f"{h1:02}:{m1:02}{dash}{h2:02}:{m2:02}"
        matches = re.search(HOURS_PATTERN, text) is not None
        try:
            WorkingHours.parse(text)
            refusal = None
        except ValueError as error:
            refusal = str(error)
        if refusal is None:
            assert matches
        elif matches:
            assert "end after they start" in refusal


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The table of kind ``name`` in the example that holds every key of its kind."""
    tables: dict[str, dict[str, Any]] = {
        "roster": data,
        "group": data["groups"][0],
        "team": data["teams"][0],
        "person": data["teams"][1]["people"][0],
        "staff": data["staff"][0],
    }
    return tables[name]


def _without(data: dict[str, Any], name: str, key: str) -> dict[str, Any]:
    """A copy of ``data`` without ``key`` in its table of kind ``name``, and what needs it.

    Without ``[[groups]]`` nothing names a group; without ``leads`` there is no
    ``only`` nor ``assigned``.
    """
    data = copy.deepcopy(data)
    del _table(data, name)[key]
    if (name, key) == ("roster", "groups"):
        for team in data["teams"]:
            team.pop("coaching_group", None)
            for person in team.get("people", []):
                person.pop("affinity_group", None)
    if (name, key) == ("staff", "leads"):
        for other in ("only", "assigned"):
            _table(data, name).pop(other, None)
    return data


def _dumps(data: dict[str, Any]) -> str:
    """``data`` written back as TOML (dates, texts, numbers, arrays and tables only)."""
    lines: list[str] = []
    scalars = {k: v for k, v in data.items() if not _is_tables(v)}
    lines += [f"{key} = {_value(value)}" for key, value in scalars.items()]
    for key, value in data.items():
        if _is_tables(value):
            for item in value:
                lines.append(f"\n[[{key}]]")
                lines += [f"{k} = {_value(v)}" for k, v in item.items() if not _is_tables(v)]
                for sub, inner in item.items():
                    if _is_tables(inner):
                        for entry in inner:
                            lines.append(f"\n[[{key}.{sub}]]")
                            lines += [f"{k} = {_value(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    return str(value)
