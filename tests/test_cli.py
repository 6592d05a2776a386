"""The ``pe-schedule`` command line, run in-process through ``main``."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from xml.etree import ElementTree

import attrs
import jsonschema
import pytest

import pe_schedule
from pe_schedule import Grid, Programme, YearMonth
from pe_schedule._internal.schedule import check as checks
from pe_schedule.cli import describe_finding, main
from tests.conftest import MINIMAL_DECLARATION

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"


def edit(text: str, old: str, new: str) -> str:
    """``text`` with its one occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"expected exactly one {old!r} to edit"
    return text.replace(old, new)


# Nine activities that keep each of the six kinds of rule in January to June 2023.
# Each rule's subject activity appears in no other rule, so changing it breaks
# that rule only.
GRID = """\
[[cohorts.activities]]
id = "newsletter"
name = "Newsletter"
months = ["2023-01", "2023-03", "2023-05"]

[[cohorts.activities]]
id = "all-team"
name = "All-Team Calls"
months = ["2023-01", "2023-03", "2023-05"]

[[cohorts.activities]]
id = "coaching"
name = "Group Coaching Calls"
months = ["2023-02", "2023-04", "2023-06"]

[[cohorts.activities]]
id = "office-hours"
name = "Office Hours"
months = ["2023-02", "2023-04", "2023-06"]

[[cohorts.activities]]
id = "leaders"
name = "Leadership Workgroup"
months = ["2023-02", "2023-04", "2023-06"]

[[cohorts.activities]]
id = "sponsors"
name = "Sponsor Calls"
months = ["2023-02", "2023-04", "2023-06"]

[[cohorts.activities]]
id = "sessions"
name = "Learning Sessions"
months = ["2023-03"]
in_person = ["2023-03"]
in_person_location = "Boston, MA"

[[cohorts.activities]]
id = "one-to-one"
name = "1:1 Coaching Sessions"
months = ["2023-01", "2023-02", "2023-04", "2023-05", "2023-06"]

[[cohorts.activities]]
id = "affinity"
name = "Affinity Groups"
months = ["2023-03"]
in_person = ["2023-03"]
in_person_location = "Boston, MA"

[[cohorts.rules]]
kind = "every"
activity = "newsletter"
months = 2

[[cohorts.rules]]
kind = "not-with"
activity = "coaching"
other = "all-team"

[[cohorts.rules]]
kind = "alternates-with"
activity = "office-hours"
other = "all-team"

[[cohorts.rules]]
kind = "same-months"
activity = "leaders"
other = "sponsors"

[[cohorts.rules]]
kind = "monthly-except"
activity = "one-to-one"
except = ["sessions"]

[[cohorts.rules]]
kind = "in-person-with"
activity = "affinity"
other = "sessions"
"""

#: The shared minimal declaration, cut to six months, with ``GRID`` for its one activity.
SMALL = edit(
    edit(MINIMAL_DECLARATION, 'last_month = "2023-12"', 'last_month = "2023-06"'),
    '[[cohorts.activities]]\nid = "call"\nname = "Call"\nmonths = [1, 3]\n',
    GRID,
)


def months_of(activity_id: str, name: str, months: str) -> str:
    """The lines that open an activity table of ``SMALL``, up to its months."""
    return f'id = "{activity_id}"\nname = "{name}"\nmonths = {months}\n'


@attrs.frozen(kw_only=True)
class Run:
    """What one command-line run returned and printed."""

    code: int
    out: str
    err: str


#: Runs ``main`` with the given arguments (paths allowed) and captures the outcome.
Runner = Callable[..., Run]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run ``main`` with an argv and capture its exit status and output."""

    def go(*argv: str | Path) -> Run:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(code=code, out=captured.out, err=captured.err)

    return go


def write(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``folder/name`` and return the path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The small declaration, written to a file."""
    return write(tmp_path, "small.toml", SMALL)


class TestGrid:
    """``pe-schedule grid FILE``."""

    @pytest.mark.parametrize(
        ("options", "expected"),
        [
            pytest.param(
                [],
                "1:1 Coaching Sessions X   X       X   X   X\n",
                id="text-by-default",
            ),
            pytest.param(
                ["--format", "text"],
                "Activity              Jan Feb Mar Apr May Jun\n",
                id="text",
            ),
            pytest.param(
                ["--format", "markdown"],
                "| Learning Sessions |  |  | X* |  |  |  |\n",
                id="markdown",
            ),
            pytest.param(
                ["--format", "html"],
                '<th scope="colgroup" colspan="6">2023</th>',
                id="html",
            ),
            pytest.param(
                ["--format", "svg"],
                '<text class="mark" x="',
                id="svg",
            ),
            pytest.param(
                ["--format", "json"],
                '"months": {\n            "2023-03": "X*"\n          }',
                id="json",
            ),
        ],
    )
    def test_formats(self, run: Runner, small: Path, options: list[str], expected: str) -> None:
        """Each format prints the grid of the file, exits 0 and writes nothing to stderr."""
        result = run("grid", small, *options)
        assert (result.code, result.err) == (0, "")
        assert expected in result.out

    def test_json_is_the_grid(self, run: Runner, small: Path) -> None:
        """The JSON format lists each activity with its months and marks."""
        result = run("grid", small, "--format", "json")
        document = json.loads(result.out)
        assert document["programme"] == "Demo"
        activities = {a["id"]: a["months"] for a in document["cohorts"][0]["activities"]}
        assert activities["affinity"] == {"2023-03": "X*"}
        assert activities["one-to-one"] == {
            "2023-01": "X",
            "2023-02": "X",
            "2023-04": "X",
            "2023-05": "X",
            "2023-06": "X",
        }

    def test_output_file(self, run: Runner, small: Path, tmp_path: Path) -> None:
        """``--output`` writes the grid to a file instead of standard output."""
        target = tmp_path / "grid.md"
        result = run("grid", small, "--format", "markdown", "--output", target)
        assert (result.code, result.out, result.err) == (0, "", "")
        assert target.read_text(encoding="utf-8").startswith("# Demo\n")

    def test_svg_output_file(self, run: Runner, small: Path, tmp_path: Path) -> None:
        """``--format svg -o FILE`` writes a picture of the grid, one row per activity."""
        target = tmp_path / "grid.svg"
        result = run("grid", small, "--format", "svg", "-o", target)
        assert (result.code, result.out, result.err) == (0, "", "")
        root = ElementTree.fromstring(target.read_text(encoding="utf-8"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        labels = [t.text for t in root.iter() if t.get("class") == "label"]
        grid = Grid.of(pe_schedule.load(small))
        assert labels == [row.label for cohort in grid.cohorts for row in cohort.rows]
        assert "All-Team Calls" in labels

    def test_reference_markdown(self, run: Runner) -> None:
        """The reference declaration's Markdown grid has DOMAIN.md's Learning Sessions row."""
        result = run("grid", REFERENCE, "--format", "markdown")
        assert result.code == 0
        assert (
            "| Learning Sessions |  |  | X* |  |  |  |  |  |  | X |  |  |  |  |  |  |  | X* |"
            in (result.out.splitlines())
        )


RULE_BREAKS = [
    pytest.param(
        months_of("newsletter", "Newsletter", '["2023-01", "2023-03", "2023-05"]'),
        months_of("newsletter", "Newsletter", '["2023-01", "2023-03", "2023-04"]'),
        "cohort/newsletter 2023-04: ",
        "every",
        id="every",
    ),
    pytest.param(
        months_of("coaching", "Group Coaching Calls", '["2023-02", "2023-04", "2023-06"]'),
        months_of("coaching", "Group Coaching Calls", '["2023-02", "2023-05", "2023-06"]'),
        "cohort/coaching 2023-05: ",
        "not-with",
        id="not-with",
    ),
    pytest.param(
        months_of("office-hours", "Office Hours", '["2023-02", "2023-04", "2023-06"]'),
        months_of("office-hours", "Office Hours", '["2023-02", "2023-06"]'),
        "cohort/office-hours 2023-04: ",
        "alternates-with",
        id="alternates-with",
    ),
    pytest.param(
        months_of("leaders", "Leadership Workgroup", '["2023-02", "2023-04", "2023-06"]'),
        months_of(
            "leaders", "Leadership Workgroup", '["2023-02", "2023-03", "2023-04", "2023-06"]'
        ),
        "cohort/leaders 2023-03: ",
        "same-months",
        id="same-months",
    ),
    pytest.param(
        months_of(
            "one-to-one",
            "1:1 Coaching Sessions",
            '["2023-01", "2023-02", "2023-04", "2023-05", "2023-06"]',
        ),
        months_of(
            "one-to-one",
            "1:1 Coaching Sessions",
            '["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"]',
        ),
        "cohort/one-to-one 2023-03: ",
        "monthly-except",
        id="monthly-except",
    ),
    pytest.param(
        months_of("affinity", "Affinity Groups", '["2023-03"]') + 'in_person = ["2023-03"]\n',
        months_of("affinity", "Affinity Groups", '["2023-03", "2023-05"]')
        + 'in_person = ["2023-05"]\n',
        "cohort/affinity 2023-05: ",
        "in-person-with",
        id="in-person-with",
    ),
]


class TestCheck:
    """``pe-schedule check PATH``."""

    def test_small_declaration_holds(self, run: Runner, small: Path) -> None:
        """A declaration that keeps all its rules exits 0 and says so."""
        result = run("check", small)
        assert (result.code, result.out, result.err) == (
            0,
            "checked 1 file: every rule holds\n",
            "",
        )

    def test_reference_declaration_holds(self, run: Runner) -> None:
        """The reference declaration keeps every rule it declares, working hours included:
        nothing but the working-hours figures comes before the verdict."""
        result = run("check", REFERENCE)
        assert (result.code, result.err) == (0, "")
        lines = result.out.splitlines()
        assert lines[0] == f"{REFERENCE}: working hours by team zone"
        assert lines[-1] == "checked 1 file: every rule holds"
        assert all(line.endswith(" 0") for line in lines[2:-1])

    def test_working_hours_figures_for_a_roster(self, run: Runner) -> None:
        """With a roster, check ends each file with the working-hours figures per team zone:
        the teams, the sessions checked, the local starts and ends, and how many fall outside."""
        lines = run("check", REFERENCE).out.splitlines()
        at = lines.index(f"{REFERENCE}: working hours by team zone")
        table = lines[at + 1 : -1]
        assert table[0].split() == [
            "zone",
            "teams",
            "sessions",
            "starts",
            "ends",
            "outside",
            "hours",
        ]
        zones = {line.split()[0]: line.split()[1:] for line in table[1:]}
        assert len(zones) == 10
        assert zones["Pacific/Honolulu"][0] == "5"
        assert zones["America/New_York"][-1] == "0"
        assert all(line.startswith("  ") for line in table)
        # The figures follow the file's findings and come before the summary line.
        assert all("[rule: " in line for line in lines[:at])

    @pytest.mark.parametrize(("old", "new", "where", "kind"), RULE_BREAKS)
    def test_each_rule_kind(
        self, run: Runner, tmp_path: Path, old: str, new: str, where: str, kind: str
    ) -> None:
        """Breaking one rule exits 1 and names the file, cohort, activity, month and rule."""
        broken = write(tmp_path, "broken.toml", edit(SMALL, old, new))
        result = run("check", broken)
        assert (result.code, result.err) == (1, "")
        lines = result.out.splitlines()
        findings = [line for line in lines if "[rule: " in line]
        assert any(line.startswith(f"{broken}: {where}") for line in findings), lines
        assert findings
        assert all(line.endswith(f"[rule: {kind}]") for line in findings), lines
        assert lines[-1].startswith("checked 1 file: ")
        assert "in 1 file" in lines[-1]

    def test_reference_with_coaching_in_an_all_team_month(
        self, run: Runner, tmp_path: Path
    ) -> None:
        """Moving Learning Network group coaching from Apr to May 2023 (all-team) is caught."""
        text = edit(
            REFERENCE.read_text(encoding="utf-8"),
            "months = { every = 2, from = 4, to = 18 }",
            'months = { every = 2, from = 4, to = 18, except = ["2023-04"], also = ["2023-05"] }',
        )
        broken = write(tmp_path, "moved.toml", text)
        roster = REFERENCE.with_name("pursuing-equity-2023-2024.roster.toml")
        (tmp_path / roster.name).write_bytes(roster.read_bytes())
        solved = REFERENCE.with_name("pursuing-equity-2023-2024.solved.toml")
        (tmp_path / "moved.solved.toml").write_bytes(solved.read_bytes())
        result = run("check", broken)
        assert (result.code, result.err) == (1, "")
        lines = result.out.splitlines()
        assert (
            f"{broken}: learning-network/group-coaching 2023-05: Group Coaching Virtual Meetings "
            "is scheduled in May 2023, a month that already has All-Team Virtual Meetings; "
            "it may only happen in months without it. [rule: not-with]"
        ) in lines
        assert any(
            line.startswith(f"{broken}: learning-network/group-coaching 2023-05: ")
            and line.endswith("[rule: alternates-with]")
            for line in lines
        )
        # Only the moved activity breaks a rule (the table of figures is no finding).
        broken_rules = [line for line in lines if "[rule: " in line]
        assert broken_rules
        assert all(line.startswith(f"{broken}: learning-network/") for line in broken_rules)

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            pytest.param(
                'timezone = "America/New_York"',
                'timezon = "America/New_York"',
                ["programme.timezon", "did you mean 'timezone'"],
                id="unknown-key",
            ),
            pytest.param(
                'kind = "alternates-with"',
                'kind = "alternate-with"',
                ["cohorts[0].rules[2].kind", "did you mean 'alternates-with'"],
                id="unknown-rule-kind",
            ),
            pytest.param(
                'name = "Demo"',
                'name = "Demo',
                [":3: "],
                id="toml-syntax",
            ),
        ],
    )
    def test_malformed_input(
        self, run: Runner, tmp_path: Path, old: str, new: str, expected: list[str]
    ) -> None:
        """A declaration that cannot be read exits 2, naming the file and the key, no traceback."""
        bad = write(tmp_path, "bad.toml", edit(SMALL, old, new))
        for command in ("check", "grid"):
            result = run(command, bad)
            assert result.code == 2
            assert "Traceback" not in result.err
            assert result.err.startswith(f"error: {bad}")
            for text in expected:
                assert text in result.err

    def test_every_problem_of_a_file(self, run: Runner, tmp_path: Path) -> None:
        """All the problems of one file are reported in one run, one per line."""
        text = edit(SMALL, 'timezone = "America/New_York"', 'timezon = "America/New_York"')
        text = edit(text, 'other = "sessions"', 'other = "session"')
        bad = write(tmp_path, "bad.toml", text)
        result = run("check", bad)
        assert result.code == 2
        errors = result.err.splitlines()
        assert all(line.startswith(f"error: {bad}") for line in errors)
        assert any("programme.timezon" in line for line in errors)
        assert any("cohorts[0].rules[5].other" in line for line in errors)

    def test_folder_reports_every_file(self, run: Runner, tmp_path: Path) -> None:
        """In a folder, a good, a violating and an unreadable file are all checked and reported."""
        write(tmp_path, "a-good.toml", SMALL)
        violating = write(
            tmp_path,
            "b-violating.toml",
            edit(
                SMALL,
                months_of("newsletter", "Newsletter", '["2023-01", "2023-03", "2023-05"]'),
                months_of("newsletter", "Newsletter", '["2023-01", "2023-03", "2023-04"]'),
            ),
        )
        bad = write(tmp_path, "c-bad.toml", edit(SMALL, 'id = "demo"', 'id = "Demo!"'))
        result = run("check", tmp_path)
        assert result.code == 2
        assert f"{violating}: cohort/newsletter 2023-04: " in result.out
        assert result.err.startswith(f"error: {bad}: programme.id: ")
        assert "a-good.toml" not in result.out + result.err
        assert result.out.splitlines()[-1] == (
            "checked 3 files: 1 violation in 1 file, 1 file unreadable"
        )

    def test_folder_with_a_good_and_a_bad_file(self, run: Runner, tmp_path: Path) -> None:
        """A folder with one good and one unreadable file exits 2 and counts both files."""
        write(tmp_path, "good.toml", SMALL)
        bad = write(tmp_path, "bad.toml", SMALL.replace("[programme]", "[programm]"))
        result = run("check", tmp_path)
        assert result.code == 2
        assert f"error: {bad}" in result.err
        assert result.out == "checked 2 files: 1 file unreadable\n"

    def test_several_paths(self, run: Runner, tmp_path: Path) -> None:
        """Several paths (as a pre-commit hook passes the changed files) are checked in the
        order given, each file once, with one summary for them all."""
        good = write(tmp_path, "good.toml", SMALL)
        folder = tmp_path / "more"
        folder.mkdir()
        violating = write(
            folder,
            "violating.toml",
            edit(
                SMALL,
                months_of("newsletter", "Newsletter", '["2023-01", "2023-03", "2023-05"]'),
                months_of("newsletter", "Newsletter", '["2023-01", "2023-03", "2023-04"]'),
            ),
        )
        result = run("check", violating, good, folder)
        assert result.code == 1
        assert result.out.splitlines()[0].startswith(f"{violating}: cohort/newsletter 2023-04: ")
        assert result.out.count(f"{violating}: ") == 1
        assert result.out.splitlines()[-1] == "checked 2 files: 1 violation in 1 file"

    def test_several_paths_one_missing(self, run: Runner, small: Path, tmp_path: Path) -> None:
        """A missing path among several is an error naming it, as for one path."""
        missing = tmp_path / "missing.toml"
        result = run("check", small, missing)
        assert (result.code, result.out) == (2, "")
        assert result.err.startswith(f"error: {missing}: ")

    def test_empty_folder(self, run: Runner, tmp_path: Path) -> None:
        """A folder without declarations is an error, not a silent success."""
        result = run("check", tmp_path)
        assert result.code == 2
        assert result.err == f"error: {tmp_path}: expected declaration files (*.toml), got none\n"

    def test_extra_checks_are_reported(
        self, run: Runner, small: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A check added to the library's CHECKS reports through the same lines and exit status."""

        @attrs.frozen(kw_only=True)
        class Finding:
            rule: str
            cohort: str
            activity: str
            month: YearMonth | None
            message: str

        def no_june(programme: Programme) -> list[Finding]:
            return [
                Finding(
                    rule="sanity",
                    cohort=cohort.id,
                    activity="",
                    month=programme.last_month,
                    message="the cohort ends in June.",
                )
                for cohort in programme.cohorts
            ]

        monkeypatch.setattr(checks, "CHECKS", (*checks.CHECKS, no_june))
        result = run("check", small)
        assert result.code == 1
        assert result.out == (
            f"{small}: cohort 2023-06: the cohort ends in June. [rule: sanity]\n"
            "checked 1 file: 1 violation in 1 file\n"
        )


class TestDescribeFinding:
    """The one-line form of a finding."""

    def test_without_month(self) -> None:
        """A finding about no particular month names only the cohort and activity."""

        @attrs.frozen(kw_only=True)
        class Finding:
            rule: str = "every"
            cohort: str = "ac"
            activity: str = "calls"
            month: YearMonth | None = None
            message: str = "Too few."

        assert describe_finding("x.toml", Finding()) == "x.toml: ac/calls: Too few. [rule: every]"


class TestErrors:
    """The error boundary and usage errors."""

    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            pytest.param([], "the following arguments are required: COMMAND", id="no-command"),
            pytest.param(["launch"], "invalid choice: 'launch'", id="unknown-command"),
            pytest.param(["grid"], "the following arguments are required: FILE", id="no-file"),
            pytest.param(
                ["grid", "x.toml", "--format", "png"], "invalid choice: 'png'", id="bad-format"
            ),
        ],
    )
    def test_usage_errors_exit_2(
        self, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
    ) -> None:
        """A command line argparse cannot use exits 2 with a usage message."""
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert expected in capsys.readouterr().err

    @pytest.mark.parametrize("command", ["grid", "check"])
    def test_missing_file(self, run: Runner, tmp_path: Path, command: str) -> None:
        """A path that does not exist exits 2 with an error line naming it."""
        missing = tmp_path / "missing.toml"
        result = run(command, missing)
        assert (result.code, result.out) == (2, "")
        assert result.err.startswith(f"error: {missing}: ")
        assert result.err.count("\n") == 1

    def test_unwritable_output(self, run: Runner, small: Path, tmp_path: Path) -> None:
        """An output file that cannot be written exits 2 with an error, not a traceback."""
        target = tmp_path / "no-such-folder" / "grid.txt"
        result = run("grid", small, "--output", target)
        assert result.code == 2
        assert result.err == f"error: {target}: No such file or directory\n"

    @pytest.mark.parametrize("format", ["markdown", "pdf"])
    def test_a_failed_write_keeps_the_old_file(
        self, run: Runner, small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, format: str
    ) -> None:
        """A disk that fills while the grid is written leaves the file as it was, names it,
        and leaves no temporary file behind."""
        if format == "pdf":
            pytest.importorskip("reportlab")
        target = write(tmp_path, "grid.out", "the handout of last week\n")

        def full(descriptor: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        result = run("grid", small, "--format", format, "-o", target)
        assert result.code == 2
        assert result.err == f"error: {target}: No space left on device\n"
        assert target.read_text(encoding="utf-8") == "the handout of last week\n"
        assert sorted(path.name for path in tmp_path.iterdir()) == ["grid.out", "small.toml"]


class TestSchema:
    """``pe-schedule schema``."""

    def test_prints_a_schema_a_declaration_meets(self, run: Runner) -> None:
        """The printed JSON Schema is valid and accepts the small declaration."""
        result = run("schema")
        assert (result.code, result.err) == (0, "")
        assert result.out.endswith("}\n")
        schema = json.loads(result.out)
        jsonschema.validators.validator_for(schema).check_schema(schema)
        jsonschema.validate(tomllib.loads(SMALL), schema)
        assert schema["title"] == "pe_schedule programme declaration"

    def test_roster_prints_the_schema_of_roster_files(self, run: Runner) -> None:
        """``--roster`` prints the roster schema, which the reference's roster meets."""
        result = run("schema", "--roster")
        assert (result.code, result.err) == (0, "")
        schema = json.loads(result.out)
        assert schema["title"] == "pe_schedule roster"
        jsonschema.validators.validator_for(schema).check_schema(schema)
        roster = REFERENCE.with_name("pursuing-equity-2023-2024.roster.toml")
        jsonschema.validate(tomllib.loads(roster.read_text(encoding="utf-8")), schema)


class TestVersion:
    """``--version``."""

    def test_module_entry_point(self) -> None:
        """``python -m pe_schedule --version`` prints the installed version and exits 0."""
        completed = subprocess.run(
            [sys.executable, "-m", "pe_schedule", "--version"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert (completed.returncode, completed.stderr) == (0, "")
        assert completed.stdout == f"pe-schedule {version('pe-schedule')}\n"


class TestOneCheck:
    """The library's check and the command line report the same findings, kind by kind."""

    @pytest.mark.parametrize(
        "name", ["examples/broken-grid.toml", "calendars/pursuing-equity-2023-2024.toml"]
    )
    def test_the_command_prints_exactly_what_the_library_returns(
        self, name: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = Path(__file__).resolve().parent.parent / name
        findings = pe_schedule.check(pe_schedule.load(path))
        status = main(["check", str(path)])
        printed = [line for line in capsys.readouterr().out.splitlines() if "[rule: " in line]
        assert printed == [describe_finding(str(path), finding) for finding in findings]
        assert status == (1 if findings else 0)

    def test_calendar_problems_are_findings_too(self) -> None:
        """A session on a holiday is a finding of the library's check, with its kind."""
        path = Path(__file__).resolve().parent.parent / "examples" / "broken-grid.toml"
        findings = pe_schedule.check(pe_schedule.load(path))
        assert [type(finding) for finding in findings] == [
            pe_schedule.Violation,
            pe_schedule.SanityProblem,
        ]
        assert [finding.rule for finding in findings] == ["every", "holiday"]
