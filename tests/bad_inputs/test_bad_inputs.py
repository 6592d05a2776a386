"""Hostile and broken input files: each ends in its own exact message, never in a traceback.

This folder is the suite's one home for invalid declarations and rosters. Every
``*.toml`` file here is one mistake or attack (a few, such as
``five-mistakes.toml``, several at once), named after what is wrong, with one
``# expect:`` line per problem ``pe-schedule check`` must report, in the order
it reports them: the key path (or ``:LINE:`` for a file-level problem) and the
message after the file name. Such a file exits 2. A file that also says
``# exit: 1`` loads but states a calendar that cannot happen as written (a
fifth Monday in a month with four, a time lost to a DST change): ``check``
reports each as a finding on standard output and exits 1, the status for "fix
the data", as it does for a broken rule. Roster cases (``*.roster.toml``) are
checked through the shared minimal declaration (``tests/conftest.py``) naming
them as its roster, each copied beside it (a roster must be in the declaration's
folder or below it). Cases too big to commit (a 20 MB file, 10,000-character
names and ids) are generated in ``tmp_path``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import MINIMAL_DECLARATION

from pe_schedule.cli import main

HERE = Path(__file__).parent
DECLARATIONS = sorted(
    path for path in HERE.glob("*.toml") if not path.name.endswith(".roster.toml")
)
ROSTERS = sorted(HERE.glob("*.roster.toml"))


def expectations(path: Path) -> list[str]:
    """The ``# expect:`` lines of a case (read leniently: some cases are not UTF-8 on purpose)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    return re.findall(r"^# expect: (.+)$", text, flags=re.MULTILINE)


def error_lines(file: Path | str, expected: list[str]) -> list[str]:
    """The ``error:`` lines that ``expected`` problems of ``file`` print as."""
    return [
        f"error: {file}{expect}" if expect.startswith(":") else f"error: {file}: {expect}"
        for expect in expected
    ]


def expected_status(path: Path) -> int:
    """2 for a file that cannot be used; 1 for one whose ``# exit: 1`` line says it loads."""
    return 1 if "\n# exit: 1\n" in path.read_text(encoding="utf-8", errors="replace") else 2


def run_check(path: Path | str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``pe-schedule check PATH`` in-process; return its status, stdout and stderr."""
    status = main(["check", str(path)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_rejected(
    path: Path, file: Path, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` on ``path`` exits 2 printing exactly the expected problems of ``file``."""
    status, out, err = run_check(path, capsys)
    assert "Traceback" not in out + err
    assert status == 2, (out, err)
    assert err.splitlines() == error_lines(file, expected)
    assert out == "checked 1 file: 1 file unreadable\n"


class TestCorpus:
    @pytest.mark.parametrize("path", DECLARATIONS, ids=[path.stem for path in DECLARATIONS])
    def test_declaration_case_ends_in_its_exact_message(
        self, path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Each broken declaration exits 2 with its file, key path and exact problem, nothing else."""
        expected = expectations(path)
        assert expected, f"{path.name} has no '# expect:' line"
        if expected_status(path) == 2:
            assert_rejected(path, path, expected, capsys)
            return
        status, out, err = run_check(path, capsys)
        assert "Traceback" not in out + err
        assert (status, err) == (1, "")
        *findings, summary = out.splitlines()
        assert findings == [f"{path}: {expect}" for expect in expected]
        count = f"{len(expected)} violation" + ("" if len(expected) == 1 else "s")
        assert summary == f"checked 1 file: {count} in 1 file"

    @pytest.mark.parametrize("path", ROSTERS, ids=[path.stem for path in ROSTERS])
    def test_roster_case_ends_in_its_exact_message(
        self, path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Each broken roster, named by a valid declaration, exits 2 with its own exact problems."""
        expected = expectations(path)
        assert expected, f"{path.name} has no '# expect:' line"
        roster = tmp_path / path.name
        roster.write_bytes(path.read_bytes())
        declaration = tmp_path / "demo.toml"
        declaration.write_text(
            MINIMAL_DECLARATION.replace(
                'timezone = "America/New_York"\n',
                f"timezone = \"America/New_York\"\nroster = '{path.name}'\n",
            ),
            encoding="utf-8",
        )
        assert_rejected(declaration, roster, expected, capsys)

    def test_the_corpus_covers_at_least_forty_cases(self) -> None:
        """The issue asks for at least 40 committed cases."""
        assert len(DECLARATIONS) + len(ROSTERS) >= 40


class TestGenerated:
    def test_a_20_mb_file_is_refused_before_it_is_parsed(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A 20 MB declaration is refused by its size, naming the file and its byte count."""
        path = tmp_path / "huge.toml"
        padding = "# " + "x" * 1021 + "\n"
        size = 20 * 1024 * 1024
        path.write_text(
            MINIMAL_DECLARATION + padding * ((size - len(MINIMAL_DECLARATION)) // len(padding)),
            encoding="utf-8",
        )
        found = f"{path.stat().st_size:,} bytes"
        assert_rejected(
            path, path, [f"expected a declaration of at most 8 MiB, got {found}"], capsys
        )

    def test_a_10000_character_name_is_display_text(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A very long name is text to show, not an error: the file checks clean."""
        path = tmp_path / "long-name.toml"
        path.write_text(
            MINIMAL_DECLARATION.replace('name = "Call"', f'name = "{"Ab " * 3333}x"'), "utf-8"
        )
        status, _, err = run_check(path, capsys)
        assert (status, err) == (0, "")

    def test_a_10000_character_id_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An id too long to be part of a file name is refused where it is, shortened in the message."""
        path = tmp_path / "long-id.toml"
        long_id = "a" * 10_000
        path.write_text(
            MINIMAL_DECLARATION.replace('id = "call"', f'id = "{long_id}"'), encoding="utf-8"
        )
        shown = "'" + "a" * 57 + "...'"
        assert_rejected(
            path,
            path,
            [
                (
                    "cohorts[0].activities[0].id: expected a slug of at most 64 characters, "
                    f"got {shown} (10,000 characters)"
                )
            ],
            capsys,
        )

    def test_a_roster_of_100000_people_reports_its_one_mistake(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Among 100,000 people, the one whose id repeats the first's is named by its place."""
        roster = tmp_path / "demo.roster.toml"
        with roster.open("w", encoding="utf-8") as stream:
            for team in range(10_000):
                stream.write(
                    f'[[teams]]\nid = "t-{team}"\nname = "Team {team}"\ncohort = "cohort"\n'
                    'timezone = "America/Chicago"\n'
                )
                for member in range(10):
                    number = team * 10 + member
                    person = "p-0" if number == 99_999 else f"p-{number}"
                    stream.write(f'[[teams.people]]\nid = "{person}"\nname = "Person {number}"\n')
        declaration = tmp_path / "demo.toml"
        declaration.write_text(
            MINIMAL_DECLARATION.replace(
                "[[cohorts]]", 'roster = "demo.roster.toml"\n\n[[cohorts]]'
            ),
            "utf-8",
        )
        expected = [
            (
                "teams[9999].people[9].id: expected an id not used before in the roster, "
                "got 'p-0', already the id at teams[0].people[0].id"
            )
        ]
        assert_rejected(declaration, roster, expected, capsys)

    def test_a_roster_over_64_mib_is_refused_before_it_is_parsed(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A roster past its own, larger limit is refused by its size."""
        roster = tmp_path / "demo.roster.toml"
        line = "# " + "x" * 1021 + "\n"
        roster.write_text(line * (65 * 1024), encoding="utf-8")
        declaration = tmp_path / "demo.toml"
        declaration.write_text(
            MINIMAL_DECLARATION.replace(
                "[[cohorts]]", 'roster = "demo.roster.toml"\n\n[[cohorts]]'
            ),
            "utf-8",
        )
        found = f"{roster.stat().st_size:,} bytes"
        assert_rejected(
            declaration, roster, [f"expected a roster of at most 64 MiB, got {found}"], capsys
        )

    def test_a_missing_file_is_named(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A path where nothing exists is named with what was expected there."""
        path = tmp_path / "nowhere.toml"
        status, _, err = run_check(path, capsys)
        assert status == 2
        assert (
            err
            == f"error: {path}: expected a declaration file or a folder of them, got nothing at this path\n"
        )

    def test_a_folder_named_like_a_declaration_is_not_read(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A folder holding only a directory called x.toml has no declarations, and says so."""
        (tmp_path / "x.toml").mkdir()
        status, _, err = run_check(tmp_path, capsys)
        assert status == 2
        assert err == f"error: {tmp_path}: expected declaration files (*.toml), got none\n"
