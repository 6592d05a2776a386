"""The ledger beside its feeds: damage refused, repaired only when asked, migrated from v1."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pe_schedule import cli
from pe_schedule._internal.publish.ledger import LEDGER_NAME, published
from tests.conftest import MINIMAL_DECLARATION


def _feeds(folder: Path) -> list[str]:
    """Every name in ``folder`` that could be a feed, hidden files included (they must be skipped)."""
    return [path.name for path in folder.iterdir()]


#: A small programme with clock times: a call on the second Thursday of January and March.
DECLARATION = MINIMAL_DECLARATION.replace(
    'timezone = "America/New_York"\n',
    'timezone = "America/New_York"\nrevised = 2022-09-01T00:00:00Z\n',
) + ('\n[cohorts.activities.timing]\nday = "second Thursday"\nstart = "13:00"\nduration = "1h"\n')
JANUARY = "demo/cohort/call/cohort/2023-01@pe-schedule"
MARCH = "demo/cohort/call/cohort/2023-03@pe-schedule"
FIXTURE_V1 = Path(__file__).parent / "ledgers" / "v1-demo.jsonl"


@pytest.fixture
def declaration(tmp_path: Path) -> Path:
    """The demo declaration, built once: both calls published at SEQUENCE 0."""
    path = tmp_path / "demo.toml"
    path.write_text(DECLARATION, encoding="utf-8")
    assert cli.main(["build", str(path)]) == 0
    return path


@pytest.fixture
def cancelled(declaration: Path) -> Path:
    """The demo folder after March's call was removed: it is published CANCELLED at SEQUENCE 1."""
    text = DECLARATION.replace("months = [1, 3]", "months = [1]")
    text = text.replace("revised = 2022-09-01", "revised = 2022-10-01")
    declaration.write_text(text, encoding="utf-8")
    assert cli.main(["build", str(declaration)]) == 0
    folder = declaration.parent / "demo"
    assert published(folder, _feeds(folder))[MARCH].sequence == 1
    return declaration


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the folder, by name."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def lines_of(folder: Path) -> list[str]:
    """The ledger's lines, header first."""
    return (folder / LEDGER_NAME).read_text(encoding="utf-8").split("\n")[:-1]


def rewrite(folder: Path, change: Callable[[list[str]], list[str]]) -> None:
    """Write the ledger again with ``change`` applied to its lines."""
    text = "\n".join(change(lines_of(folder))) + "\n"
    (folder / LEDGER_NAME).write_text(text, encoding="utf-8")


def with_field(key: str, value: str) -> Callable[[list[str]], list[str]]:
    """A change writing ``value`` (raw JSON text) as line 3's top-level ``key``."""

    def change(lines: list[str]) -> list[str]:
        lines[2] = re.sub(rf'"{key}": [^,]+,', f'"{key}": {value},', lines[2], count=1)
        return lines

    return change


def with_alarm(value: str) -> Callable[[list[str]], list[str]]:
    """A change giving line 3's event one alarm of ``value`` (raw JSON text)."""

    def change(lines: list[str]) -> list[str]:
        lines[2] = lines[2].replace('"alarms": []', f'"alarms": [{value}]')
        return lines

    return change


def duplicated_lower(lines: list[str]) -> list[str]:
    """Line 3 again at the end, its SEQUENCE lowered to 0."""
    return [*lines, lines[2].replace('"sequence": 1,', '"sequence": 0,', 1)]


#: The damage an attack found, each with what the error must say; March's entry is line 3.
DAMAGE = [
    pytest.param(lambda lines: lines[:2], f"an entry for UID '{MARCH}'", id="truncated"),
    pytest.param(lambda lines: lines[:1], f"an entry for UID '{JANUARY}'", id="header-only"),
    pytest.param(duplicated_lower, f"{LEDGER_NAME}:4: expected one line per UID", id="dup-lower"),
    pytest.param(with_field("sequence", "0"), f"{LEDGER_NAME}:3: expected SEQUENCE 1", id="lower"),
    pytest.param(with_field("sequence", "-3"), f"{LEDGER_NAME}:3: expected 'seq", id="negative"),
    pytest.param(with_field("sequence", "Infinity"), f"{LEDGER_NAME}:3: expected a fin", id="inf"),
    pytest.param(with_field("sequence", "1e300"), f"{LEDGER_NAME}:3: expected 'seq", id="1e300"),
    pytest.param(with_field("sequence", "99999999999"), f"{LEDGER_NAME}:3: exp", id="99999999999"),
    pytest.param(with_alarm("1e20"), f"{LEDGER_NAME}:3: expected 'alarms'", id="alarm-1e20"),
    pytest.param(with_field("state", '"gone"'), f"{LEDGER_NAME}:3: expected a state", id="state"),
]


class TestDamageIsRefused:
    """A ledger that would lower a SEQUENCE or lose a cancellation stops build and changes."""

    @pytest.mark.parametrize(("change", "expected"), DAMAGE)
    @pytest.mark.parametrize("command", ["build", "changes"])
    def test_exit_2_naming_the_file_and_line_and_nothing_written(
        self,
        cancelled: Path,
        capsys: pytest.CaptureFixture[str],
        change: Callable[[list[str]], list[str]],
        expected: str,
        command: str,
    ) -> None:
        """Each damage is exit 2 with file, line, expected and found, and the repair named."""
        folder = cancelled.parent / "demo"
        rewrite(folder, change)
        before = snapshot(folder)
        capsys.readouterr()
        assert cli.main([command, str(cancelled)]) == 2
        err = capsys.readouterr().err
        assert str(folder / LEDGER_NAME) in err
        assert expected in err
        # The exact command to run, with this declaration and folder.
        assert f"pe-schedule build {cancelled} --out {folder} --repair-ledger" in err
        assert "Traceback" not in err
        assert snapshot(folder) == before

    def test_a_symlinked_ledger_is_refused(
        self, cancelled: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A ledger replaced by a link to a header-only file is damage, not a fresh start."""
        folder = cancelled.parent / "demo"
        header = cancelled.parent / "header.jsonl"
        header.write_text('{"pe_schedule_ledger": 2}\n', encoding="utf-8")
        (folder / LEDGER_NAME).unlink()
        (folder / LEDGER_NAME).symlink_to(header)
        capsys.readouterr()
        assert cli.main(["build", str(cancelled)]) == 2
        err = capsys.readouterr().err
        assert "expected the ledger as a regular file, got a symbolic link" in err
        assert (folder / LEDGER_NAME).is_symlink()

    def test_a_deleted_ledger_beside_feeds_is_refused(
        self, cancelled: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """No ledger while the feeds publish events is damage: starting at 0 would lower SEQUENCE."""
        folder = cancelled.parent / "demo"
        (folder / LEDGER_NAME).unlink()
        capsys.readouterr()
        assert cli.main(["build", str(cancelled)]) == 2
        err = capsys.readouterr().err
        assert "expected the ledger of the 2 events the feeds beside it publish, got no such" in err


def sequences(folder: Path) -> dict[str, tuple[int, bool]]:
    """(SEQUENCE, cancelled) of each UID the folder's feeds publish."""
    return {
        uid: (seen.sequence, seen.cancelled)
        for uid, seen in published(folder, _feeds(folder)).items()
    }


class TestRepair:
    """`build --repair-ledger` rebuilds the ledger, never lowering a SEQUENCE, and says so."""

    def test_a_lowered_sequence_is_raised_to_the_feeds(
        self, cancelled: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The cancellation stays published at SEQUENCE 1; the repair is noticed; then all is well."""
        folder = cancelled.parent / "demo"
        before = sequences(folder)
        rewrite(folder, duplicated_lower)
        capsys.readouterr()
        assert cli.main(["build", str(cancelled), "--repair-ledger"]) == 0
        err = capsys.readouterr().err
        assert f"{LEDGER_NAME}:4: UID {MARCH} again; kept the higher SEQUENCE" in err
        assert sequences(folder) == before == {JANUARY: (0, False), MARCH: (1, True)}
        assert cli.main(["build", str(cancelled)]) == 0

    def test_an_older_ledger_is_raised_to_the_feeds(
        self, declaration: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A ledger restored from before a cancellation is raised to it, and the cancellation kept."""
        folder = declaration.parent / "demo"
        older = (folder / LEDGER_NAME).read_bytes()
        text = DECLARATION.replace("months = [1, 3]", "months = [1]")
        declaration.write_text(text.replace("2022-09-01", "2022-10-01"), encoding="utf-8")
        assert cli.main(["build", str(declaration)]) == 0
        (folder / LEDGER_NAME).write_bytes(older)
        capsys.readouterr()
        assert cli.main(["build", str(declaration)]) == 2
        assert "expected SEQUENCE 1 or more" in capsys.readouterr().err
        assert cli.main(["build", str(declaration), "--repair-ledger"]) == 0
        assert f"UID {MARCH}: SEQUENCE 0 raised to SEQUENCE 1" in capsys.readouterr().err
        assert sequences(folder) == {JANUARY: (0, False), MARCH: (1, True)}

    def test_lost_live_entries_come_back_from_the_declaration(
        self, declaration: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A header-only ledger is rebuilt from the feeds; unknown content moves SEQUENCE on."""
        folder = declaration.parent / "demo"
        rewrite(folder, lambda lines: lines[:1])
        capsys.readouterr()
        assert cli.main(["build", str(declaration), "--repair-ledger"]) == 0
        err = capsys.readouterr().err
        assert f"UID {JANUARY}: no entry raised to SEQUENCE 0" in err
        assert sequences(folder) == {JANUARY: (1, False), MARCH: (1, False)}
        assert cli.main(["build", str(declaration)]) == 0

    def test_a_lost_cancellation_is_never_dropped_silently(
        self, cancelled: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A cancelled UID in neither the ledger nor the declaration stops the repair: exit 2."""
        folder = cancelled.parent / "demo"
        rewrite(folder, lambda lines: lines[:2])
        before = snapshot(folder)
        capsys.readouterr()
        assert cli.main(["build", str(cancelled), "--repair-ledger"]) == 2
        err = capsys.readouterr().err
        assert f"an entry or a declared event for UID '{MARCH}'" in err
        assert snapshot(folder) == before

    def test_a_sound_ledger_needs_no_repair(
        self, cancelled: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Repairing a sound ledger says so and changes no file."""
        folder = cancelled.parent / "demo"
        before = snapshot(folder)
        capsys.readouterr()
        assert cli.main(["build", str(cancelled), "--repair-ledger"]) == 0
        assert "nothing to repair" in capsys.readouterr().err
        assert snapshot(folder) == before

    def test_a_symlinked_ledger_is_not_repaired_through_the_link(
        self, cancelled: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A link is refused by the repair too, with how to replace it; nothing is written."""
        folder = cancelled.parent / "demo"
        elsewhere = cancelled.parent / "elsewhere.jsonl"
        (folder / LEDGER_NAME).rename(elsewhere)
        (folder / LEDGER_NAME).symlink_to(elsewhere)
        capsys.readouterr()
        assert cli.main(["build", str(cancelled), "--repair-ledger"]) == 2
        assert "replace the link with a copy of that file" in capsys.readouterr().err
        assert (folder / LEDGER_NAME).is_symlink()


class TestLineSeparators:
    """U+2028, U+2029 and U+0085 in a declaration's text never break the folder (bug 2)."""

    # U+0085 is a control character, which a declaration refuses; the ledger tests cover it.
    @pytest.mark.parametrize("char", ["\\u2028", "\\u2029"])
    def test_a_line_separator_in_a_name_builds_again_and_again(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], char: str
    ) -> None:
        """Two builds and `changes` all succeed; the ledger holds the character escaped."""
        path = tmp_path / "demo.toml"
        text = DECLARATION.replace('name = "Cohort"', f'name = "Co{char}hort"')
        path.write_text(text.replace('name = "Call"', f'name = "Ca{char}ll"'), encoding="utf-8")
        assert cli.main(["build", str(path)]) == 0
        assert cli.main(["build", str(path)]) == 0
        capsys.readouterr()
        assert cli.main(["changes", str(path)]) == 0
        assert capsys.readouterr().out == "No changes.\n"
        ledger = (tmp_path / "demo" / LEDGER_NAME).read_text(encoding="utf-8")
        assert len(ledger.splitlines()) == 3
        assert char in ledger


@pytest.fixture(params=["UTC", "Asia/Tokyo"])
def host_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The host's time zone (TZ) set to each of two, restored afterwards."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


class TestVersionOneMigration:
    """A folder whose ledger a release before version 2 wrote (bug 11)."""

    def test_a_rebuild_changes_no_sequence(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], host_zone: str
    ) -> None:
        """The hand-written v1 ledger migrates with every SEQUENCE kept, on any host zone."""
        path = tmp_path / "demo.toml"
        path.write_text(DECLARATION, encoding="utf-8")
        folder = tmp_path / "demo"
        folder.mkdir()
        (folder / LEDGER_NAME).write_bytes(FIXTURE_V1.read_bytes())
        capsys.readouterr()
        assert cli.main(["changes", str(path)]) == 0
        assert capsys.readouterr().out == "No changes.\n"
        assert cli.main(["build", str(path)]) == 0
        assert "for subscribers" not in capsys.readouterr().out
        february = MARCH.replace("2023-03", "2023-02")
        assert sequences(folder) == {JANUARY: (2, False), february: (1, True), MARCH: (1, False)}
        lines = lines_of(folder)
        assert lines[0] == '{"pe_schedule_ledger": 2}'
        entries = [json.loads(line) for line in lines[1:]]
        assert [entry["sequence"] for entry in entries] == [2, 1, 1]
        assert entries[0]["event"]["start"] == "2023-01-12T13:00:00-05:00"


class TestPublished:
    """What the feeds of a folder publish, read from their UID, SEQUENCE and STATUS lines."""

    def test_reads_folded_escaped_uids_and_skips_temporary_files(self, tmp_path: Path) -> None:
        """A folded UID is unfolded, VALARMs are skipped, the highest SEQUENCE wins, dotfiles don't count."""
        feed = (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a-very-long-uid-folded\r\n -here\\,too\r\n"
            "SEQUENCE:4\r\nSTATUS:CANCELLED\r\nBEGIN:VALARM\r\nUID:alarm\r\nEND:VALARM\r\n"
            "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nSEQUENCE:-3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        (tmp_path / "one.ics").write_text(feed, encoding="utf-8")
        (tmp_path / "two.ics").write_text(feed.replace("SEQUENCE:4", "SEQUENCE:2"), "utf-8")
        (tmp_path / ".pe-schedule-tmp-one.ics").write_text(feed.replace(":4", ":9"), "utf-8")
        assert sequences(tmp_path) == {
            "a-very-long-uid-folded-here,too": (4, True),
            "b": (0, False),
        }
        assert (
            published(tmp_path, _feeds(tmp_path))["a-very-long-uid-folded-here,too"].feed
            == "one.ics"
        )


class TestHintsFollowOut:
    """A folder built with --out is the one every later hint and ``changes`` names."""

    def test_the_build_names_changes_with_the_same_out(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "demo.toml"
        path.write_text(DECLARATION, encoding="utf-8")
        out = tmp_path / "elsewhere"
        assert cli.main(["build", str(path), "--out", str(out)]) == 0
        assert f"`pe-schedule changes {path} --out {out} --since REF`" in capsys.readouterr().out

    def test_changes_without_out_says_where_the_ledger_may_be(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "demo.toml"
        path.write_text(DECLARATION, encoding="utf-8")
        out = tmp_path / "elsewhere"
        assert cli.main(["build", str(path), "--out", str(out)]) == 0
        capsys.readouterr()
        assert cli.main(["changes", str(path)]) == 0
        err = capsys.readouterr().err
        assert f"run: pe-schedule changes {path} --out DIR" in err
        assert cli.main(["changes", str(path), "--out", str(out)]) == 0
        assert capsys.readouterr().err == ""
