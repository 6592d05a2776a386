"""Nothing lost, nothing leaked: every failure is a clean message and every input is bounded.

A crash exits 3 (never 1, which means "rules broken"); bad input exits 2
naming its file and place; no input path can hang a CI runner or fill its memory.
(The committed hostile files for these live in ``tests/bad_inputs/``.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pe_schedule import DeclarationError, PeScheduleError, cli, load
from pe_schedule._internal.declaration import load as declaration_module
from pe_schedule._internal.declaration.source import read_bounded, read_toml
from pe_schedule._internal.publish import key as feed_key_source
from pe_schedule.cli import main
from tests.conftest import MINIMAL_DECLARATION

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"
BUG_LINE = (
    "error: this is a bug in pe-schedule; please report it with the command and input "
    "that caused it (set PE_SCHEDULE_DEBUG=1 to see its traceback)"
)
POSIX_ONLY = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX pipes and devices")


def run_cli(*args: str, timeout: float = 60, **environ: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m pe_schedule ARGS`` in a child process, its output as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "pe_schedule", *args],
        capture_output=True,
        check=False,
        timeout=timeout,
        env={**os.environ, **environ},
    )


def with_roster(folder: Path, roster: str) -> Path:
    """The minimal declaration, written into ``folder``, naming ``roster`` as its roster."""
    path = folder / "demo.toml"
    path.write_text(
        MINIMAL_DECLARATION.replace("[[cohorts]]", f"roster = '{roster}'\n\n[[cohorts]]"),
        encoding="utf-8",
    )
    return path


ROSTER_EXPECTED = (
    "programme.roster: expected a roster file in the declaration's folder or below it, "
    "such as 'x.roster.toml', got "
)


class TestInternalErrors:
    """An exception nobody meant is exit 3 with two lines, not a traceback with exit 1."""

    @pytest.mark.parametrize(
        "error",
        [
            RuntimeError("boom\nsecond line"),
            RecursionError("maximum recursion depth exceeded"),
            MemoryError(),
            KeyError("x"),
        ],
        ids=["runtime", "recursion", "memory", "key"],
    )
    def test_a_crash_exits_3_with_a_bug_report_request(
        self,
        error: BaseException,
        minimal_declaration: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """An unexpected exception prints its type and first line, asks for a report, exits 3."""

        def crash(path: object, **options: object) -> None:
            raise error

        monkeypatch.delenv("PE_SCHEDULE_DEBUG", raising=False)
        monkeypatch.setattr(declaration_module, "load", crash)
        assert main(["grid", str(minimal_declaration)]) == cli.EXIT_INTERNAL == 3
        message = str(error).splitlines()[0] if str(error) else ""
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.splitlines() == [
            f"error: internal error: {type(error).__name__}: {message}",
            BUG_LINE,
        ]

    def test_the_debug_variable_shows_the_traceback(
        self,
        minimal_declaration: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """With PE_SCHEDULE_DEBUG=1 the exception goes on, for a bug report's traceback."""

        def crash(path: object, **options: object) -> None:
            raise RuntimeError("boom")

        monkeypatch.setenv("PE_SCHEDULE_DEBUG", "1")
        monkeypatch.setattr(declaration_module, "load", crash)
        with pytest.raises(RuntimeError, match="boom"):
            main(["grid", str(minimal_declaration)])

    def test_help_explains_every_exit_status(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``pe-schedule --help`` ends with what exit statuses 0 to 3 mean."""
        with pytest.raises(SystemExit):
            main(["--help"])
        epilog = capsys.readouterr().out.split("exit status:\n", 1)[1]
        assert [line.split()[0] for line in epilog.splitlines()] == ["0", "1", "2", "3"]
        assert "internal error" in epilog
        assert "PE_SCHEDULE_DEBUG=1" in epilog


class TestUsage:
    """Arguments out of range are usage errors, exit 2."""

    @pytest.mark.parametrize("port", ["99999", "-1", "http"])
    def test_serve_refuses_a_port_outside_0_to_65535(
        self, port: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``serve --port 99999`` is exit 2 naming the range, before any socket is made."""
        with pytest.raises(SystemExit) as caught:
            main(["serve", str(tmp_path), f"--port={port}"])
        assert caught.value.code == 2
        err = capsys.readouterr().err
        assert f"expected a port number 0..65535, got '{port}'" in err
        assert "Traceback" not in err

    def test_a_revision_cannot_be_a_git_option(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``changes --since=--output=FILE`` is exit 2 and git never writes FILE."""
        if shutil.which("git") is None:
            pytest.skip("needs git")
        declaration = tmp_path / "demo.toml"
        declaration.write_text(MINIMAL_DECLARATION, encoding="utf-8")
        assert main(["build", str(declaration)]) == 0
        folder = tmp_path / "demo"
        for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "built"]):
            subprocess.run(
                ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                cwd=tmp_path,
                check=True,
                capture_output=True,
            )
        # Where git would write "--output=evil:./ledger.jsonl" run in the feeds folder.
        (folder / "evil:.").mkdir()
        capsys.readouterr()
        monkeypatch.chdir(tmp_path)
        assert main(["changes", str(declaration), "--since=--output=evil"]) == 2
        assert not (folder / "evil:." / "ledger.jsonl").exists()
        assert capsys.readouterr().err == (
            f"error: {folder / 'ledger.jsonl'}: expected a git revision such as 'HEAD~1' "
            "or a tag, got '--output=evil'\n"
        )


class TestOutputEncoding:
    """Output is UTF-8 whatever the locale, never a UnicodeEncodeError half-way through."""

    @pytest.mark.parametrize("command", ["grid", "changes"])
    def test_non_ascii_output_under_a_latin_5_locale(self, command: str, tmp_path: Path) -> None:
        """``grid`` and ``changes`` under ISO-8859-9 print the en dash of the reference as UTF-8."""
        declaration = tmp_path / REFERENCE.name
        shutil.copy(REFERENCE, declaration)
        roster = REFERENCE.with_name("pursuing-equity-2023-2024.roster.toml")
        shutil.copy(roster, tmp_path / roster.name)
        args = [command, str(declaration)]
        if command == "changes":
            args += ["--format", "markdown"]
        done = run_cli(*args, timeout=120, PYTHONIOENCODING="iso-8859-9", LC_ALL="C")
        assert b"Traceback" not in done.stderr
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        assert "Pursuing Equity 2023–2024" in done.stdout.decode("utf-8")

    def test_errors_with_non_ascii_names_under_an_ascii_locale(self, tmp_path: Path) -> None:
        """An error naming a non-ASCII file is UTF-8 on standard error, exit 2."""
        path = tmp_path / "prógramme.toml"
        path.write_text("[programme\n", encoding="utf-8")
        done = run_cli("check", str(path), PYTHONIOENCODING="ascii", LC_ALL="C")
        assert done.returncode == 2
        assert f"error: {path}:1: expected valid TOML".encode() in done.stderr


@POSIX_ONLY
class TestBoundedReads:
    """No declaration or roster path can hang the reader or make it read without end."""

    def test_a_declaration_that_is_a_pipe_is_refused_at_once(self, tmp_path: Path) -> None:
        """``grid`` and ``check`` on a FIFO with no writer exit 2 at once, saying what it is."""
        fifo = tmp_path / "demo.toml"
        os.mkfifo(fifo)
        for command in ("grid", "check"):
            done = run_cli(command, str(fifo), timeout=30)
            assert done.returncode == 2
            assert done.stderr.decode() == (
                f"error: {fifo}: expected a declaration file, got a pipe (FIFO)\n"
            )

    def test_a_declaration_that_is_a_device_is_refused_unread(self) -> None:
        """/dev/zero, which never ends, is refused as a device before a byte is read."""
        if not Path("/dev/zero").exists():
            pytest.skip("needs /dev/zero")
        with pytest.raises(DeclarationError) as caught:
            read_toml(Path("/dev/zero"))
        assert str(caught.value) == (
            "/dev/zero: expected a declaration file, got a character device"
        )

    def test_the_size_bound_holds_where_the_size_is_not_told(self) -> None:
        """A regular file whose size reads as 0 (a /proc file) is still read only to the limit."""
        maps = Path("/proc/self/maps")
        if not maps.exists() or maps.stat().st_size != 0:
            pytest.skip("needs a Linux /proc")
        with pytest.raises(DeclarationError, match=r"expected a roster of at most 0 MiB, got more"):
            read_bounded(maps, limit=10, what="a roster")

    def test_a_roster_symlink_leading_outside_is_refused(self, tmp_path: Path) -> None:
        """A roster inside the folder that links to a file outside it is refused at its key."""
        inside = tmp_path / "programme"
        inside.mkdir()
        outside = tmp_path / "secret.roster.toml"
        outside.write_text("[[teams]]\n", encoding="utf-8")
        (inside / "demo.roster.toml").symlink_to(outside)
        declaration = with_roster(inside, "demo.roster.toml")
        with pytest.raises(DeclarationError) as caught:
            load(declaration)
        assert [str(problem) for problem in caught.value.problems] == [
            (
                f"{declaration}: {ROSTER_EXPECTED}'demo.roster.toml', "
                "which leads out of the declaration's folder"
            )
        ]

    def test_a_roster_pipe_is_refused_at_its_key(self, tmp_path: Path) -> None:
        """A FIFO named as the roster is refused at programme.roster, not waited on."""
        os.mkfifo(tmp_path / "demo.roster.toml")
        declaration = with_roster(tmp_path, "demo.roster.toml")
        with pytest.raises(DeclarationError) as caught:
            load(declaration)
        assert [str(problem) for problem in caught.value.problems] == [
            f"{declaration}: {ROSTER_EXPECTED}'demo.roster.toml', not a regular file"
        ]

    def test_a_roster_in_a_sub_folder_or_linked_inside_loads(self, tmp_path: Path) -> None:
        """A roster below the declaration's folder, or a link to one inside it, is fine."""
        (tmp_path / "rosters").mkdir()
        roster = tmp_path / "rosters" / "demo.roster.toml"
        roster.write_text(
            '[[teams]]\nid = "t"\ncohort = "cohort"\ntimezone = "America/Chicago"\n',
            encoding="utf-8",
        )
        (tmp_path / "link.roster.toml").symlink_to(roster)
        for name in ("rosters/demo.roster.toml", "link.roster.toml"):
            programme = load(with_roster(tmp_path, name))
            assert programme.roster is not None
            assert [team.id for team in programme.roster.teams] == ["t"]


class TestFeedKey:
    """A key file that is not UTF-8 is an error naming it."""

    def test_a_key_file_that_is_not_utf8_is_named(self, tmp_path: Path) -> None:
        """feed_key refuses a Latin-1 key file with a PeScheduleError naming the file."""
        key = tmp_path / feed_key_source.KEY_FILE
        key.write_bytes(b"s\xe9cret-key-of-enough-length-for-feeds")
        with pytest.raises(PeScheduleError) as caught:
            feed_key_source.feed_key({}, tmp_path)
        assert str(caught.value) == (
            f"{key}: expected a feed key written as UTF-8 text, got a byte that is not "
            "UTF-8 at byte 2"
        )

    def test_build_with_such_a_key_exits_2(
        self,
        minimal_declaration: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """``build`` beside a non-UTF-8 key file exits 2 with that one error line."""
        monkeypatch.delenv(feed_key_source.KEY_VARIABLE, raising=False)
        monkeypatch.chdir(minimal_declaration.parent)
        key = minimal_declaration.parent / feed_key_source.KEY_FILE
        key.write_bytes(b"\xff" * 40)
        assert main(["build", str(minimal_declaration)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {key}: expected a feed key written as UTF-8 text")
        assert len(err.splitlines()) == 1
