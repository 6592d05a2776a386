"""Self-describing rule kinds: the reader and the JSON Schema know them only from the registry."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import attrs
import jsonschema
import pytest

from pe_schedule import (
    RULE_KINDS,
    DeclarationError,
    Operand,
    Rule,
    RuleKey,
    Violation,
    declaration_schema,
    load,
    rule_kind,
)
from pe_schedule._internal.declaration.rules import rule_keys
from pe_schedule._internal.model.rule import ACTIVITY_KEY, CohortView
from tests.conftest import MINIMAL_DECLARATION

#: The shared minimal declaration, its cohort given three activities: a, b and c.
HEADER = MINIMAL_DECLARATION.replace(
    'id = "call"\nname = "Call"\nmonths = [1, 3]\n',
    'id = "a"\nname = "A"\nmonths = [1, 3, 5]\n\n'
    '[[cohorts.activities]]\nid = "b"\nname = "B"\nmonths = [2, 4, 6]\n\n'
    '[[cohorts.activities]]\nid = "c"\nname = "C"\nmonths = [7]\n',
)


def _value(key: RuleKey, index: int) -> str:
    """A TOML value for ``key``: activity b or c, both, or its minimum number of months."""
    if key.operand is Operand.MONTHS:
        return str(key.minimum)
    if key.operand is Operand.ACTIVITIES:
        return '["b", "c"]'
    return f'"{"bc"[index % 2]}"'


def rule_table(kind: str) -> str:
    """A ``[[cohorts.rules]]`` table of ``kind`` naming activity a, written from its keys."""
    lines = ["", "[[cohorts.rules]]", f'kind = "{kind}"', 'activity = "a"']
    lines += [f"{key.name} = {_value(key, i)}" for i, key in enumerate(RULE_KINDS[kind].keys)]
    return "\n".join(lines) + "\n"


class TestRegistry:
    """Every kind is one class carrying its name, sentence, keys and check."""

    def test_holds_the_six_kinds_of_the_reference(self) -> None:
        """The kinds the reference declaration and README use are registered, in order."""
        assert list(RULE_KINDS) == [
            "every",
            "not-with",
            "alternates-with",
            "same-months",
            "in-person-with",
            "monthly-except",
        ]

    @pytest.mark.parametrize("kind", list(RULE_KINDS))
    def test_each_kind_describes_itself(self, kind: str) -> None:
        """Its class names its kind, explains it in one sentence and lists keys it has fields for."""
        cls = RULE_KINDS[kind]
        assert cls.kind == kind
        assert cls.text.endswith(".")
        keys = {key.field for key in (ACTIVITY_KEY, *cls.keys)}
        assert attrs.has(cls)
        assert {field.name for field in attrs.fields(cls)} == keys

    def test_a_kind_is_registered_once(self) -> None:
        """A second class claiming a registered kind is refused."""
        with pytest.raises(ValueError, match="not-with"):

            @rule_kind
            @attrs.frozen(kw_only=True)
            class Again(Rule):
                kind: ClassVar[str] = "not-with"
                text: ClassVar[str] = "Again."
                keys: ClassVar[tuple[RuleKey, ...]] = ()
                activity: str

                def check(self, cohort: CohortView) -> Iterator[Violation]:
                    yield from ()


class TestReaderAndSchema:
    """The reader and the schema read each kind from its class, so they agree on every key."""

    @pytest.mark.parametrize("kind", list(RULE_KINDS))
    def test_a_table_written_from_the_keys_loads(self, kind: str, tmp_path: Path) -> None:
        """A rule table with each listed key loads into the kind's class, naming activity a."""
        path = tmp_path / "rules.toml"
        path.write_text(HEADER + rule_table(kind), encoding="utf-8")
        try:
            (rule,) = load(path).cohorts[0].rules
        except DeclarationError as error:
            pytest.fail(f"{kind}: {error}")
        assert type(rule) is RULE_KINDS[kind]
        assert rule.activity == "a"
        assert rule.activities[0] == "a"

    @pytest.mark.parametrize("kind", list(RULE_KINDS))
    def test_the_schema_accepts_the_same_table(self, kind: str) -> None:
        """The JSON Schema's part for the kind validates the table the reader loads."""
        document = tomllib.loads(HEADER + rule_table(kind))
        jsonschema.validate(document, declaration_schema())

    @pytest.mark.parametrize("kind", list(RULE_KINDS))
    def test_schema_and_reader_list_the_same_keys(self, kind: str) -> None:
        """The schema's properties for the kind are exactly the keys the reader allows."""
        part = declaration_schema()["$defs"][f"rule-{kind}"]
        assert set(part["properties"]) == set(rule_keys()[kind])
        required = {
            "kind",
            *(key.name for key in (ACTIVITY_KEY, *RULE_KINDS[kind].keys) if key.required),
        }
        assert set(part["required"]) == required

    @pytest.mark.parametrize("kind", list(RULE_KINDS))
    def test_a_key_of_no_kind_is_reported_with_the_kinds_keys(
        self, kind: str, tmp_path: Path
    ) -> None:
        """An unknown key in a rule table is reported, listing the keys of that kind."""
        path = tmp_path / "rules.toml"
        path.write_text(HEADER + rule_table(kind) + 'colour = "red"\n', encoding="utf-8")
        with pytest.raises(DeclarationError, match=r"rules\[0\]\.colour: expected a known key"):
            load(path)
