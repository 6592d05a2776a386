"""Nothing outside the output folder, nothing half-written.

No file name derived from input can leave ``--out``, and a build that fails at
any point (an exception injected at each write, or while the files are being
produced) leaves the folder exactly as it was: same names, bytes and
modification times, no temporary files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pe_schedule import OutputError, load
from pe_schedule._internal import build
from pe_schedule._internal.publish import files as publish
from pe_schedule._internal.publish.feeds import slug
from pe_schedule.cli import main
from tests.conftest import MINIMAL_DECLARATION

KEY = b"output-safety-key-0123"

#: The shared minimal declaration with hostile display names, a roster (so teams and
#: people get feeds) and timed activities (so the feeds hold events). Its activity's
#: name, "Call", is what :func:`write_declaration` replaces.
DECLARATION = (
    MINIMAL_DECLARATION.replace('name = "Demo"\n', 'name = "Demo / ..\\\\ CON"\n')
    .replace(
        'timezone = "America/New_York"\n',
        'timezone = "America/New_York"\n'
        'roster = "demo.roster.toml"\n'
        "revised = 2022-09-01T00:00:00Z\n",
    )
    .replace('id = "cohort"\nname = "Cohort"\n', 'id = "con"\nname = "../../etc"\n')
    .replace(
        "months = [1, 3]\n",
        'months = [1, 3]\ntiming = { day = "third Wednesday", start = "13:00", duration = "1h" }\n',
    )
    + """
[[cohorts.activities]]
id = "coaching"
name = "Coaching"
months = [2, 4]
audience = "team"
timing = { day = "first Thursday", start = "10:00", duration = "1h" }
"""
)

ROSTER = """\
[[groups]]
id = "nul"
name = "NUL \\u202e/.."
kind = "affinity-group"

[[teams]]
id = "aux"
name = "../../../tmp/evil"
cohort = "con"
timezone = "America/Chicago"

[[teams.people]]
id = "prn"
name = "C:\\\\Windows\\\\System32"
affinity_group = "nul"

[[teams]]
id = "t-02"
name = "😀 \\u200f team"
cohort = "con"
timezone = "Europe/London"

[[teams.people]]
id = "com1"
name = "/dev/null"
"""

#: Every name a build may write.
SAFE_NAME = re.compile(
    r"(programme|(cohort|team|coaching-group|affinity-group|senior-leaders)-[a-z0-9]+(-[a-z0-9]+)*"
    r"|person-[0-9a-f]{32})\.ics|feeds\.json|index\.html|grid\.svg|ledger\.jsonl|\.pe-schedule-manifest"
)


def write_declaration(folder: Path, name: str = "Call") -> Path:
    """A declaration with hostile display names (and its roster) in ``folder``."""
    (folder / "demo.roster.toml").write_text(ROSTER, encoding="utf-8")
    path = folder / "demo.toml"
    path.write_text(DECLARATION.replace('name = "Call"', f'name = "{name}"'), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every entry of ``folder`` (hidden ones too): its bytes and modification time."""
    if not folder.exists():
        return {}
    return {
        entry.name: (entry.read_bytes(), entry.stat().st_mtime_ns) for entry in folder.iterdir()
    }


def tree(root: Path) -> set[str]:
    """Every path under ``root``, relative to it."""
    return {str(path.relative_to(root)) for path in root.rglob("*")}


class TestNamesStayInside:
    @settings(max_examples=200, deadline=None)
    @given(text=st.text())
    def test_a_slug_is_a_plain_name_part_or_refused(self, text: str) -> None:
        """Whatever the text, a slug holds only lowercase letters, digits and inner hyphens."""
        try:
            result = slug(text)
        except OutputError:
            return
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", result)

    @pytest.mark.parametrize(
        "name",
        [
            "../escape.ics",
            "../../escape.ics",
            "/tmp/escape.ics",
            "sub/escape.ics",
            "..\\escape.ics",
            "escape\x00.ics",
            "..",
            ".",
            "",
            ".hidden.ics",
            "notes.txt",
        ],
    )
    def test_publish_refuses_a_name_that_is_not_a_plain_feed_file(
        self, name: str, tmp_path: Path
    ) -> None:
        """A path, a hidden or unmanaged name is refused and nothing is written anywhere."""
        out = tmp_path / "out"
        out.mkdir()
        before = tree(tmp_path)
        with pytest.raises(OutputError, match="expected a plain feed file name"):
            publish.publish([("programme.ics", b"ok"), (name, b"escaped")], out)
        assert tree(tmp_path) == before

    def test_a_hostile_programme_builds_only_safe_names_inside_out(self, tmp_path: Path) -> None:
        """Display names full of paths and reserved names never reach a file name."""
        programme = load(write_declaration(tmp_path))
        out = tmp_path / "out"
        build.build(programme, out, key=KEY)
        names = sorted(entry.name for entry in out.iterdir())
        assert all(SAFE_NAME.fullmatch(name) for name in names), names
        assert "cohort-con.ics" in names
        assert "team-aux.ics" in names
        assert sum(name.startswith("person-") for name in names) == 2
        assert tree(tmp_path) == {"demo.toml", "demo.roster.toml", "out"} | {
            f"out/{name}" for name in names
        }

    def test_a_10000_character_team_name_is_a_title_not_a_file_name(self, tmp_path: Path) -> None:
        """A team name of 10,000 characters becomes the team feed's title, read back whole."""
        path = write_declaration(tmp_path)
        long_name = "Ünïcode team; " * 714 + "end"
        roster = tmp_path / "demo.roster.toml"
        roster.write_text(ROSTER.replace("../../../tmp/evil", long_name), encoding="utf-8")
        out = tmp_path / "out"
        build.build(load(path), out, key=KEY)
        calendar = icalendar.Calendar.from_ical((out / "team-aux.ics").read_bytes())
        # icalendar keeps NAME as written (an unknown property): read it as RFC 5545 TEXT.
        raw = str(calendar["NAME"])
        name = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], raw)
        assert name == f"Demo / ..\\ CON: {long_name}"
        assert max(len(line) for line in (out / "team-aux.ics").read_bytes().split(b"\r\n")) <= 75

    def test_names_cannot_inject_markup_into_the_index_page(self, tmp_path: Path) -> None:
        """Names holding HTML reach index.html escaped, never as elements."""
        programme = load(write_declaration(tmp_path, name="<script>alert(1)</script><img src=x>"))
        out = tmp_path / "out"
        build.build(programme, out, key=KEY)
        page = (out / "index.html").read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x&gt;" in page
        assert "<script>alert" not in page
        assert "<img src=x" not in page

    def test_a_link_planted_under_a_feed_name_is_refused_not_followed(self, tmp_path: Path) -> None:
        """A symbolic link in out named like a feed is an error naming it; its target is untouched."""
        programme = load(write_declaration(tmp_path))
        outside = tmp_path / "outside.txt"
        outside.write_bytes(b"precious")
        out = tmp_path / "out"
        out.mkdir()
        (out / "programme.ics").symlink_to(outside)
        with pytest.raises(OutputError, match=f"{out / 'programme.ics'}: .*symbolic link"):
            build.build(programme, out, key=KEY)
        assert outside.read_bytes() == b"precious"
        assert (out / "programme.ics").is_symlink()
        assert sorted(entry.name for entry in out.iterdir()) == ["programme.ics"]

    def test_the_cli_refuses_an_out_that_is_a_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--out naming a file is an error naming it, and the file is left alone."""
        path = write_declaration(tmp_path)
        target = tmp_path / "taken"
        target.write_bytes(b"mine")
        status = main(["build", str(path), "--out", str(target)])
        err = capsys.readouterr().err
        assert status == 2
        assert err == f"error: {target}: expected a folder for the feeds, got a file\n"
        assert target.read_bytes() == b"mine"


def fail_on_call(number: int, error: BaseException) -> Callable[..., Path]:
    """A stand-in for publish's temporary-file writer that raises ``error`` on call ``number``."""
    real = publish._write_temporary
    calls = 0

    def write(folder: Path, name: str, data: bytes) -> Path:
        nonlocal calls
        calls += 1
        if calls == number:
            raise error
        return real(folder, name, data)

    return write


def fail_after(
    number: int, real: Callable[..., Iterator[tuple[str, bytes]]]
) -> Callable[..., Iterator[tuple[str, bytes]]]:
    """A stand-in for build.files that fails while producing file ``number``."""

    def files(*args: object, **kwargs: object) -> Iterator[tuple[str, bytes]]:
        for index, item in enumerate(real(*args, **kwargs), start=1):
            if index == number:
                raise RuntimeError("rendering failed")
            yield item

    return files


class TestInterruptedBuild:
    @pytest.fixture
    def previous(self, tmp_path: Path) -> tuple[Path, Path, dict[str, tuple[bytes, int]]]:
        """A folder holding an earlier build, and a changed declaration that rewrites every feed."""
        earlier = tmp_path / "earlier"
        earlier.mkdir()
        out = tmp_path / "out"
        build.build(load(write_declaration(earlier, name="Call")), out, key=KEY)
        (out / "README.md").write_text("not managed\n", encoding="utf-8")
        changed = write_declaration(tmp_path, name="Call, moved")
        return changed, out, snapshot(out)

    def files_written(self, path: Path, tmp_path: Path) -> int:
        """How many files a clean build of ``path`` writes."""
        written = build.build(load(path), tmp_path / "count", key=KEY).written
        assert written is not None
        return len(written.written)

    @pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
    def test_a_failure_at_any_write_leaves_the_folder_as_it_was(
        self,
        previous: tuple[Path, Path, dict[str, tuple[bytes, int]]],
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        error: BaseException,
    ) -> None:
        """Failing at the 1st, 2nd, ... or last file write leaves names, bytes and times unchanged."""
        changed, out, before = previous
        programme = load(changed)
        number = 0
        while True:
            number += 1
            monkeypatch.setattr(publish, "_write_temporary", fail_on_call(number, error))
            try:
                build.build(programme, out, key=KEY)
            except type(error):
                assert snapshot(out) == before, f"after a failure at write {number}"
                continue
            # No failure at this number: the build made fewer writes and succeeded.
            break
        assert number > 5  # it failed at each of several writes first
        assert snapshot(out) != before

    def test_a_failure_while_producing_any_file_leaves_the_folder_as_it_was(
        self,
        previous: tuple[Path, Path, dict[str, tuple[bytes, int]]],
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A rendering error before any file, between files or before the last changes nothing."""
        changed, out, before = previous
        programme = load(changed)
        total = self.files_written(changed, tmp_path)
        real = build.files
        for number in range(1, total + 1):
            monkeypatch.setattr(build, "files", fail_after(number, real))
            with pytest.raises(RuntimeError, match="rendering failed"):
                build.build(programme, out, key=KEY)
            assert snapshot(out) == before, f"after a failure producing file {number}"

    def test_a_failed_first_build_leaves_no_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A build into a new folder that fails part-way does not leave the folder behind."""
        programme = load(write_declaration(tmp_path))
        out = tmp_path / "out"
        monkeypatch.setattr(publish, "_write_temporary", fail_on_call(3, OSError(5, "I/O error")))
        with pytest.raises(OSError, match="I/O error"):
            build.build(programme, out, key=KEY)
        assert not out.exists()

    def test_temporary_files_of_a_killed_build_are_swept(self, tmp_path: Path) -> None:
        """A temporary file a killed process left behind is removed by the next build."""
        programme = load(write_declaration(tmp_path))
        out = tmp_path / "out"
        out.mkdir()
        leftover = out / f"{publish.TEMP_PREFIX}{os.getpid() + 1}-programme.ics"
        leftover.write_bytes(b"half a feed")
        build.build(programme, out, key=KEY)
        assert not leftover.exists()
        hidden = [entry.name for entry in out.iterdir() if entry.name.startswith(".")]
        assert hidden == [publish.MANIFEST_NAME]
