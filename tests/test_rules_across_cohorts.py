"""Rules across cohorts: top-level ``[[rules]]`` naming activities as ``cohort/activity``."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import jsonschema
import pytest

from pe_schedule import (
    RULE_KINDS,
    DeclarationError,
    Operand,
    RuleKey,
    Violation,
    check,
    cli,
    declaration_schema,
    load,
)

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "three-cohorts" / "three-cohorts-2025.toml"
#: The alumni calls' months in the example: every other month, but not April or October.
ALUMNI_MONTHS = "months = { every = 2, from = 2, to = 12, except = [4, 10] }"

# One cohort with activities a, b and c, and the same three spread over cohorts x, y
# and z. The months break every kind of rule at least once (see test below).
ACTIVITIES = {
    "a": 'months = [1, 2, 5]\nin_person = [5]\nin_person_location = "Boston, MA"',
    "b": "months = [2, 4]",
    "c": "months = [5, 7]",
}
HEADER = """\
[programme]
id = "demo"
name = "Demo"
first_month = "2023-01"
last_month = "2023-12"
timezone = "America/New_York"
"""


def activity(name: str) -> str:
    """The ``[[cohorts.activities]]`` table of activity ``name``."""
    return f'\n[[cohorts.activities]]\nid = "{name}"\nname = "{name.upper()}"\n{ACTIVITIES[name]}\n'


def value(key: RuleKey, index: int, refs: dict[str, str]) -> str:
    """A TOML value for ``key``: activity b or c, both, or its minimum number of months."""
    if key.operand is Operand.MONTHS:
        return str(key.minimum)
    if key.operand is Operand.ACTIVITIES:
        return f'["{refs["b"]}", "{refs["c"]}"]'
    return f'"{refs["bc"[index % 2]]}"'


def rule(table: str, kind: str, refs: dict[str, str]) -> str:
    """A rule table of ``kind`` constraining a, naming the others by ``refs``."""
    keys = RULE_KINDS[kind].keys
    lines = ["", table, f'kind = "{kind}"', f'activity = "{refs["a"]}"']
    lines += [f"{key.name} = {value(key, i, refs)}" for i, key in enumerate(keys)]
    return "\n".join(lines) + "\n"


def one_cohort(kind: str) -> str:
    """a, b and c in one cohort, with a cohort rule of ``kind``."""
    refs = {"a": "a", "b": "b", "c": "c"}
    cohort = '\n[[cohorts]]\nid = "x"\nname = "X"\n' + "".join(map(activity, "abc"))
    return HEADER + cohort + rule("[[cohorts.rules]]", kind, refs)


def three_cohorts(kind: str) -> str:
    """a in cohort x, b in y and c in z, with a rule of ``kind`` across them."""
    refs = {"a": "x/a", "b": "y/b", "c": "z/c"}
    cohorts = "".join(
        f'\n[[cohorts]]\nid = "{cohort}"\nname = "{cohort.upper()}"\n{activity(name)}'
        for cohort, name in zip("xyz", "abc", strict=True)
    )
    return HEADER + cohorts + rule("[[rules]]", kind, refs)


def violations(path: Path) -> list[Violation]:
    """The broken rules ``check`` finds in the declaration at ``path``."""
    return [found for found in check(load(path)) if isinstance(found, Violation)]


def write(tmp_path: Path, text: str, name: str = "demo.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestEveryKind:
    """Each rule kind checks activities of different cohorts as it checks one cohort's."""

    @pytest.mark.parametrize("kind", list(RULE_KINDS))
    def test_finds_the_same_violations_across_cohorts(self, kind: str, tmp_path: Path) -> None:
        """Same months, same messages; the violation is the constrained activity's and
        names the rule's other activities as ``cohort/activity``."""
        within = violations(write(tmp_path, one_cohort(kind), "one.toml"))
        across = violations(write(tmp_path, three_cohorts(kind), "three.toml"))
        assert within, f"{kind}: the months should break the rule"
        assert [(v.month, v.message) for v in across] == [(v.month, v.message) for v in within]
        others = load(tmp_path / "three.toml").rules[0].activities[1:]
        for violation in across:
            assert (violation.cohort, violation.activity, violation.rule) == ("x", "a", kind)
            assert violation.against == others
            assert str(violation).endswith(f"[rule: {kind} {' '.join(others)}]")

    @pytest.mark.parametrize("kind", list(RULE_KINDS))
    def test_the_schema_accepts_each_kind_across_cohorts(self, kind: str) -> None:
        """The schema's rules across cohorts take ``cohort/activity`` for every activity key."""
        jsonschema.validate(tomllib.loads(three_cohorts(kind)), declaration_schema())


class TestReading:
    """What a rule across cohorts may name."""

    def test_an_unknown_activity_is_named_with_a_did_you_mean(self, tmp_path: Path) -> None:
        """A misspelt ``cohort/activity`` is an error at its key, suggesting the closest."""
        text = three_cohorts("not-with").replace('other = "y/b"', 'other = "y/bb"')
        with pytest.raises(DeclarationError) as caught:
            load(write(tmp_path, text))
        (problem,) = caught.value.problems
        assert str(problem) == (
            f"{tmp_path / 'demo.toml'}: rules[0].other: expected an activity of the programme, "
            "written 'cohort/activity': one of 'x/a', 'y/b', 'z/c', got 'y/bb' "
            "(did you mean 'y/b'?)"
        )

    def test_a_bare_activity_id_is_not_enough(self, tmp_path: Path) -> None:
        """Across cohorts every activity names its cohort."""
        text = three_cohorts("not-with").replace('other = "y/b"', 'other = "b"')
        with pytest.raises(DeclarationError, match=r"rules\[0\]\.other: .* got 'b'"):
            load(write(tmp_path, text))

    def test_a_shared_activity_is_an_activity_of_each_of_its_cohorts(self, tmp_path: Path) -> None:
        """``y/t`` and ``z/t`` both name the training y and z share."""
        text = three_cohorts("not-with").replace(
            "\n[[cohorts]]",
            '\n[[activities]]\nid = "t"\nname = "T"\ncohorts = ["y", "z"]\nmonths = [1]\n'
            "\n[[cohorts]]",
            1,
        )
        text = text.replace('activity = "x/a"\nother = "y/b"', 'activity = "x/a"\nother = "z/t"')
        (violation,) = violations(write(tmp_path, text))
        assert (violation.cohort, violation.activity, str(violation.month)) == ("x", "a", "2023-01")
        assert violation.against == ("z/t",)


class TestExample:
    """``examples/three-cohorts``: three cohorts, shared activities, rules across cohorts."""

    def test_passes_check(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every rule holds, the ones across cohorts included."""
        programme = load(EXAMPLE)
        assert len(programme.cohorts) == 3
        assert len(programme.months) == 12
        assert programme.rules
        assert cli.main(["check", str(EXAMPLE.parent)]) == 0
        assert "every rule holds" in capsys.readouterr().out

    def test_breaking_the_rule_across_cohorts_fails_check_naming_both(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Alumni calls in the learning-session months: exit 1, each line naming both
        ``learning-network/alumni-call`` and ``action-community/learning-session``."""
        broken = tmp_path / EXAMPLE.name
        shutil.copy(EXAMPLE, broken)
        text = broken.read_text(encoding="utf-8")
        assert ALUMNI_MONTHS in text
        broken.write_text(
            text.replace(ALUMNI_MONTHS, "months = { every = 2, from = 2, to = 12 }"),
            encoding="utf-8",
        )
        assert cli.main(["check", str(broken)]) == 1
        lines = capsys.readouterr().out.splitlines()
        found = [line for line in lines if "alumni-call" in line]
        assert [line.split(": ")[1] for line in found] == [
            "learning-network/alumni-call 2025-04",
            "learning-network/alumni-call 2025-10",
        ]
        for line in found:
            assert line.endswith("[rule: not-with action-community/learning-session]")
