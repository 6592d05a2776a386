"""Progress for long work is drawn for a person at a terminal, and nowhere else.

A build of many files shows a bar over the files written, a solve a spinner naming
its stage, both on standard error. Without a terminal, in CI, or when plain output
is asked for (``NO_COLOR``, ``TERM=dumb``) the output is byte for byte what it was.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from pe_schedule._internal import progress
from pe_schedule.cli import EXIT_OK, main
from tests.conftest import Pipe, Terminal
from tests.scheduling import write_declaration
from tests.test_cli import SMALL
from tests.test_cli_solve import DECLARATION, roster


@pytest.mark.parametrize(
    ("stream", "environ", "expected"),
    [
        pytest.param(Terminal(), {"TERM": "xterm"}, True, id="terminal"),
        pytest.param(Pipe(), {"TERM": "xterm"}, False, id="pipe"),
        pytest.param(io.StringIO(), {}, False, id="a-stream-that-cannot-tell"),
        pytest.param(Terminal(), {"CI": "true"}, False, id="ci"),
        pytest.param(Terminal(), {"NO_COLOR": ""}, False, id="no-color"),
        pytest.param(Terminal(), {"TERM": "dumb"}, False, id="dumb-terminal"),
    ],
)
def test_progress_is_wanted_only_by_a_person_at_a_terminal(
    stream: io.StringIO, environ: dict[str, str], expected: bool
) -> None:
    assert progress.wanted(stream, environ) is expected


def build_small(
    folder: Path, stderr: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """Build the small declaration in ``folder`` (paths relative to it); stdout, stderr."""
    folder.mkdir()
    (folder / "small.toml").write_text(SMALL, encoding="utf-8")
    stdout = io.StringIO()
    monkeypatch.chdir(folder)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(["build", "small.toml", "--out", "feeds"]) == EXIT_OK
    return stdout.getvalue(), stderr.getvalue()


def test_a_large_build_draws_a_bar_over_its_files_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_environment: None
) -> None:
    monkeypatch.setattr(progress, "FILES_THRESHOLD", 2)
    out, err = build_small(tmp_path / "terminal", Terminal(), monkeypatch)
    plain_out, plain_err = build_small(tmp_path / "pipe", Pipe(), monkeypatch)
    assert out == plain_out  # standard output is the same
    assert "writing feeds" in err
    assert err != plain_err


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CI", "true"), ("NO_COLOR", "1"), ("TERM", "dumb")],
)
def test_nothing_is_drawn_in_ci_or_when_plain_output_is_asked(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    plain_environment: None,
    variable: str,
    value: str,
) -> None:
    monkeypatch.setattr(progress, "FILES_THRESHOLD", 2)
    plain = build_small(tmp_path / "pipe", Pipe(), monkeypatch)
    monkeypatch.setenv(variable, value)
    assert build_small(tmp_path / "terminal", Terminal(), monkeypatch) == plain


def test_a_small_build_draws_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_environment: None
) -> None:
    """Below the threshold a build is quick: a bar would only flicker."""
    plain = build_small(tmp_path / "pipe", Pipe(), monkeypatch)
    assert build_small(tmp_path / "terminal", Terminal(), monkeypatch) == plain


def test_a_solve_names_its_stages_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_environment: None
) -> None:
    declaration = write_declaration(tmp_path, DECLARATION, roster())
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["solve", str(declaration)]) == EXIT_OK
    drawn = terminal.getvalue()
    assert "forming coaching groups" in drawn
    assert "placing sessions and coaches" in drawn
    assert drawn.index("forming coaching groups") < drawn.index("placing sessions and coaches")


def test_a_solve_without_a_terminal_draws_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_environment: None
) -> None:
    declaration = write_declaration(tmp_path, DECLARATION, roster())
    pipe = Pipe()
    monkeypatch.setattr(sys, "stderr", pipe)
    assert main(["solve", str(declaration)]) == EXIT_OK
    assert pipe.getvalue() == ""


def test_a_publish_bar_is_drawn_however_few_the_items(plain_environment: None) -> None:
    """Each item of a publish is a request that may take a while: even one is shown."""
    terminal = Terminal()
    assert list(progress.bar(terminal, "publishing to s3://feeds/")(["a.ics"], 1)) == ["a.ics"]
    drawn = terminal.getvalue()
    assert "publishing to s3://feeds/" in drawn
    assert "1/1" in drawn


@pytest.mark.parametrize(
    ("stdout", "on_stdout"),
    [
        pytest.param(Pipe, True, id="piped-stdout-keeps-its-lines"),
        pytest.param(Terminal, False, id="terminal-stdout-prints-above-the-bar"),
    ],
)
def test_lines_written_under_a_bar_go_where_standard_output_goes(
    monkeypatch: pytest.MonkeyPatch,
    plain_environment: None,
    stdout: type[io.StringIO],
    on_stdout: bool,
) -> None:
    """A log or pipe of standard output gets every line; on a terminal they are printed
    above the bar, through it, so the bar is not torn."""
    out, terminal = stdout(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    for item in progress.bar(terminal, "publishing")(["a.ics", "b.ics"], 2):
        sys.stdout.write(f"uploaded {item}\n")
    lines = "uploaded a.ics\nuploaded b.ics\n"
    assert (out.getvalue() == lines) is on_stdout
    assert ("uploaded a.ics" in terminal.getvalue()) is not on_stdout
    assert sys.stdout is out  # given back when the bar is done


def test_a_bar_is_cleared_and_standard_output_given_back_when_the_work_fails(
    monkeypatch: pytest.MonkeyPatch, plain_environment: None
) -> None:
    """A publish that fails half-way (the store gone) leaves no bar under its error."""
    out, terminal = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)

    def publish() -> None:
        for item in progress.bar(terminal, "publishing")(["a.ics", "b.ics", "c.ics"], 3):
            if item == "b.ics":
                raise OSError("the store went away")

    with pytest.raises(OSError, match="went away"):
        publish()
    assert sys.stdout is out
    assert terminal.getvalue().endswith("\x1b[2K")  # the bar's line erased
