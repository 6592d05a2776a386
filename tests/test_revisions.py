"""Revisions of the reference programme, as subscribers see them (issue 5)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest

from pe_schedule import cli, load
from pe_schedule._internal.build import build
from pe_schedule._internal.publish.ledger import LEDGER_NAME

CALENDARS = Path(__file__).parent.parent / "calendars"
DECLARATION = "pursuing-equity-2023-2024.toml"
ROSTER = "pursuing-equity-2023-2024.roster.toml"
SOLVED = "pursuing-equity-2023-2024.solved.toml"
AFFINITY_MONTHS = "months = [3, 7, 10, 14, 15, 16, 17, 18]"
REVISED = "revised = 2026-12-02T12:00:00Z"


@pytest.fixture
def programme_copy(tmp_path: Path) -> Path:
    """A copy of the reference declaration, roster and solved schedule, built once into its
    default folder."""
    for name in (DECLARATION, ROSTER, SOLVED):
        shutil.copy(CALENDARS / name, tmp_path / name)
    assert cli.main(["build", str(tmp_path / DECLARATION)]) == 0
    return tmp_path / DECLARATION


def revise(declaration: Path, old: str, new: str, *, revised: str) -> None:
    """Replace ``old`` with ``new`` in the declaration and move its ``revised`` on."""
    text = declaration.read_text(encoding="utf-8")
    assert old in text, old
    assert REVISED in text, REVISED
    text = text.replace(old, new).replace(REVISED, f"revised = {revised}")
    declaration.write_text(text, encoding="utf-8")


def vevents(feed: Path) -> dict[str, icalendar.Event]:
    """The feed's VEVENTs by UID."""
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    return {str(event["UID"]): event for event in calendar.events}


FEWER_AFFINITY_MONTHS = "months = [3, 7, 10, 14, 16, 18]"
CANCELLED_UID = (
    "pursuing-equity-2023-2024/action-community/affinity-groups/affinity-group-white/{}@pe-schedule"
)


class TestAffinityCadenceChange:
    """The affinity groups meet every other month in 2024 instead of monthly."""

    def test_the_changelog_names_each_cancelled_session(
        self, programme_copy: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`changes` announces the four cancelled sessions, grouped by affinity group."""
        revise(
            programme_copy, AFFINITY_MONTHS, FEWER_AFFINITY_MONTHS, revised="2027-01-15T00:00:00Z"
        )
        capsys.readouterr()
        assert cli.main(["changes", str(programme_copy)]) == 0
        assert capsys.readouterr().out == (
            "People of colour\n"
            "  - Cancelled: Racial Justice Affinity Groups: People of colour, "
            "Thu 28 Mar 2024, 2–3:30 PM ET.\n"
            "  - Cancelled: Racial Justice Affinity Groups: People of colour, "
            "Thu 23 May 2024, 2–3:30 PM ET.\n"
            "\n"
            "White participants\n"
            "  - Cancelled: Racial Justice Affinity Groups: White participants, "
            "Thu 28 Mar 2024, 2–3:30 PM ET.\n"
            "  - Cancelled: Racial Justice Affinity Groups: White participants, "
            "Thu 23 May 2024, 2–3:30 PM ET.\n"
        )

    def test_the_feeds_publish_the_sessions_cancelled(self, programme_copy: Path) -> None:
        """The removed sessions stay in the feed: CANCELLED, SEQUENCE 1, prefixed, restamped."""
        revise(
            programme_copy, AFFINITY_MONTHS, FEWER_AFFINITY_MONTHS, revised="2027-01-15T00:00:00Z"
        )
        assert cli.main(["build", str(programme_copy)]) == 0
        events = vevents(
            programme_copy.parent / "pursuing-equity-2023-2024" / "affinity-group-white.ics"
        )
        for month in ("2024-03", "2024-05"):
            event = events[CANCELLED_UID.format(month)]
            assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", 1)
            assert str(event["SUMMARY"]).startswith("Cancelled: ")
            assert event["DTSTAMP"].to_ical() == b"20270115T000000Z"
        untouched = events[CANCELLED_UID.format("2024-04")]
        assert (untouched["STATUS"], untouched.get("SEQUENCE", 0)) == ("CONFIRMED", 0)
        assert untouched["DTSTAMP"].to_ical() == b"20261202T120000Z"

    def test_restoring_the_cadence_raises_the_sequence_again(self, programme_copy: Path) -> None:
        """Putting the months back publishes them live with SEQUENCE 2."""
        revise(
            programme_copy, AFFINITY_MONTHS, FEWER_AFFINITY_MONTHS, revised="2027-01-15T00:00:00Z"
        )
        assert cli.main(["build", str(programme_copy)]) == 0
        text = programme_copy.read_text(encoding="utf-8").replace(
            FEWER_AFFINITY_MONTHS, AFFINITY_MONTHS
        )
        programme_copy.write_text(
            text.replace("revised = 2027-01-15T00:00:00Z", "revised = 2027-02-15T00:00:00Z"),
            encoding="utf-8",
        )
        assert cli.main(["build", str(programme_copy)]) == 0
        events = vevents(
            programme_copy.parent / "pursuing-equity-2023-2024" / "affinity-group-white.ics"
        )
        restored = events[CANCELLED_UID.format("2024-03")]
        assert (restored["STATUS"], restored["SEQUENCE"]) == ("CONFIRMED", 2)
        assert not str(restored["SUMMARY"]).startswith("Cancelled")

    def test_an_unchanged_rebuild_touches_no_file(self, programme_copy: Path) -> None:
        """Rebuilding without an edit writes nothing and reports no change."""
        programme = load(programme_copy)
        result = build(programme, programme_copy.parent / "pursuing-equity-2023-2024")
        assert result.written is not None
        assert (result.written.written, result.changes) == ((), ())

    def test_check_notices_a_stale_ledger(
        self, programme_copy: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """After an edit, `build --check` names the feeds and the ledger that would change."""
        revise(
            programme_copy, AFFINITY_MONTHS, FEWER_AFFINITY_MONTHS, revised="2027-01-15T00:00:00Z"
        )
        capsys.readouterr()
        assert cli.main(["build", str(programme_copy), "--check"]) == 1
        out = capsys.readouterr().out
        assert f"different: {LEDGER_NAME}" in out
        assert "different: affinity-group-white.ics" in out

    def test_an_edit_without_a_new_revised_is_noticed(
        self, programme_copy: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Changing events but not `revised` still raises SEQUENCE, with a notice to bump it."""
        revise(
            programme_copy, AFFINITY_MONTHS, FEWER_AFFINITY_MONTHS, revised="2026-12-02T12:00:00Z"
        )
        capsys.readouterr()
        assert cli.main(["build", str(programme_copy)]) == 0
        assert "set [programme].revised" in capsys.readouterr().err


class TestChangesSources:
    """`changes` compares with the folder's ledger, an older file, or a git revision."""

    def test_against_an_older_ledger_file(
        self, programme_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--ledger OLD lists what changed since that ledger, even after the rebuild."""
        folder = programme_copy.parent / "pursuing-equity-2023-2024"
        old = tmp_path / "old-ledger.jsonl"
        shutil.copy(folder / LEDGER_NAME, old)
        revise(
            programme_copy, AFFINITY_MONTHS, FEWER_AFFINITY_MONTHS, revised="2027-01-15T00:00:00Z"
        )
        assert cli.main(["build", str(programme_copy)]) == 0
        capsys.readouterr()
        assert cli.main(["changes", str(programme_copy), "--ledger", str(old)]) == 0
        assert capsys.readouterr().out.count("Cancelled: ") == 4
        assert cli.main(["changes", str(programme_copy)]) == 0
        assert capsys.readouterr().out == "No changes.\n"

    def test_against_a_git_revision(
        self, programme_copy: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--since REF reads the ledger as committed at REF."""
        root = programme_copy.parent

        def git(*args: str) -> None:
            subprocess.run(
                ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                cwd=root,
                check=True,
                capture_output=True,
            )

        git("init", "-q")
        git("add", ".")
        git("commit", "-qm", "first build")
        revise(
            programme_copy, AFFINITY_MONTHS, FEWER_AFFINITY_MONTHS, revised="2027-01-15T00:00:00Z"
        )
        assert cli.main(["build", str(programme_copy)]) == 0
        capsys.readouterr()
        assert (
            cli.main(["changes", str(programme_copy), "--since", "HEAD", "--format", "markdown"])
            == 0
        )
        out = capsys.readouterr().out
        assert out.startswith("## People of colour\n- Cancelled: ")
        assert out.count("Cancelled: ") == 4

    def test_an_unknown_revision_is_an_error(
        self, programme_copy: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A revision git cannot read is exit 2 with a message, not a traceback."""
        capsys.readouterr()
        assert cli.main(["changes", str(programme_copy), "--since", "no-such-ref"]) == 2
        err = capsys.readouterr().err
        assert "no-such-ref" in err
        assert "Traceback" not in err


class TestBadLedger:
    """A damaged ledger stops the build before anything is written."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param("garbage\n", "invalid JSON", id="corrupt"),
            pytest.param('{"pe_schedule_ledger": 3}\n', "version 3", id="unknown-version"),
            pytest.param('{"pe_schedule_ledger": 2}\n', "expected an entry for UID", id="empty"),
        ],
    )
    def test_names_the_file_and_leaves_the_folder_as_it_was(
        self, programme_copy: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
    ) -> None:
        """Exit 2 naming the ledger; every file keeps its bytes."""
        folder = programme_copy.parent / "pursuing-equity-2023-2024"
        (folder / LEDGER_NAME).write_text(text, encoding="utf-8")
        before = {path.name: path.read_bytes() for path in folder.iterdir()}
        revise(
            programme_copy, AFFINITY_MONTHS, FEWER_AFFINITY_MONTHS, revised="2027-01-15T00:00:00Z"
        )
        capsys.readouterr()
        assert cli.main(["build", str(programme_copy)]) == 2
        err = capsys.readouterr().err
        assert LEDGER_NAME in err
        assert expected in err
        assert {path.name: path.read_bytes() for path in folder.iterdir()} == before

    def test_a_missing_ledger_beside_feeds_is_damage(
        self, programme_copy: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without a ledger but with feeds, starting at SEQUENCE 0 would lower them: exit 2."""
        folder = programme_copy.parent / "pursuing-equity-2023-2024"
        (folder / LEDGER_NAME).unlink()
        capsys.readouterr()
        assert cli.main(["build", str(programme_copy)]) == 2
        assert "--repair-ledger" in capsys.readouterr().err
        assert not (folder / LEDGER_NAME).exists()

    def test_a_first_build_starts_a_ledger_with_a_notice(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Into a folder with no feeds yet the build goes ahead and says it starts a ledger."""
        for name in (DECLARATION, ROSTER):
            shutil.copy(CALENDARS / name, tmp_path / name)
        assert cli.main(["build", str(tmp_path / DECLARATION)]) == 0
        assert "no ledger yet, starting a new one" in capsys.readouterr().err
        assert (tmp_path / "pursuing-equity-2023-2024" / LEDGER_NAME).is_file()
