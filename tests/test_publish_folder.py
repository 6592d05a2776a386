"""The folder a build writes is owned, locked and crash-safe.

Each test here failed before the folder was: a link planted under a backup
name redirected a write outside ``--out``; concurrent builds lost updates; a
SIGKILL during the final renames left the folder mixed; a user's own
``holidays.ics`` was removed; errors named temporary files instead of targets.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pe_schedule import OutputError, load
from pe_schedule._internal import build, stamp
from pe_schedule._internal.publish import files
from pe_schedule._internal.publish.files import (
    JOURNAL_NAME,
    LOCK_NAME,
    MANIFEST_NAME,
    TEMP_PREFIX,
    compare,
    manifest_bytes,
    publish,
)
from pe_schedule._internal.publish.ledger import LEDGER_NAME
from pe_schedule.cli import main
from tests.conftest import MINIMAL_DECLARATION

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src"
#: Two revisions of one small programme whose events move to another day.
TIMING = 'timing = {{ day = "{day} Wednesday", start = "{start}", duration = "1h" }}\n'


def declaration(folder: Path, day: str = "third", start: str = "13:00") -> Path:
    """The minimal declaration with events on the ``day`` Wednesday at ``start``, in ``folder``."""
    path = folder / f"demo-{day}-{start.replace(':', '')}.toml"
    text = MINIMAL_DECLARATION.replace(
        "months = [1, 3]\n",
        "months = [1, 3, 5, 7, 9, 11]\n" + TIMING.format(day=day, start=start),
    )
    path.write_text(text, encoding="utf-8")
    return path


def state(folder: Path) -> dict[str, bytes]:
    """The folder's files (bytes) as a subscriber or the next build sees them: no lock, no temps."""
    return {
        entry.name: entry.read_bytes()
        for entry in folder.iterdir()
        if entry.name != LOCK_NAME and not entry.name.startswith(TEMP_PREFIX)
    }


def env() -> dict[str, str]:
    """The environment without a feed key, importing this source tree."""
    clean = {k: v for k, v in os.environ.items() if k != "PE_SCHEDULE_FEED_KEY"}
    clean["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), clean.get("PYTHONPATH")]))
    return clean


def command(decl: Path, out: Path, *extra: str) -> list[str]:
    """``pe-schedule build DECL --out OUT`` in a fresh interpreter."""
    return [sys.executable, "-m", "pe_schedule", "build", str(decl), "--out", str(out), *extra]


class TestNoLinkFollowed:
    """Bug 1: a build never writes through a symbolic link, wherever it is planted."""

    def test_a_link_planted_at_a_backup_name_is_swept_not_followed(self, tmp_path: Path) -> None:
        """Links at the temporary and backup names a build uses are removed; their targets stay."""
        out = tmp_path / "out"
        publish([("a.ics", b"A1"), ("b.ics", b"B1")], out)
        outside = tmp_path / "outside.txt"
        outside.write_bytes(b"precious")
        planted = [
            out / f"{TEMP_PREFIX}{os.getpid()}-old-a.ics",  # the old fixed backup name
            out / f"{TEMP_PREFIX}{os.getpid()}-a.ics",
        ]
        for link in planted:
            link.symlink_to(outside)
        dangling = out / f"{TEMP_PREFIX}{os.getpid()}-old-b.ics"
        dangling.symlink_to(tmp_path / "created-outside.txt")
        publish([("a.ics", b"A2"), ("b.ics", b"B2")], out)
        assert outside.read_bytes() == b"precious"
        assert not (tmp_path / "created-outside.txt").exists()
        assert state(out) == {
            "a.ics": b"A2",
            "b.ics": b"B2",
            MANIFEST_NAME: manifest_bytes(["a.ics", "b.ics"]),
        }
        assert not [entry for entry in out.iterdir() if entry.is_symlink()]

    def test_a_managed_name_that_is_a_link_is_refused(self, tmp_path: Path) -> None:
        """A feed name that is a link is an OutputError naming it; nothing is written."""
        out = tmp_path / "out"
        out.mkdir()
        outside = tmp_path / "outside.txt"
        outside.write_bytes(b"precious")
        (out / "a.ics").symlink_to(outside)
        with pytest.raises(OutputError, match=f"{out / 'a.ics'}: expected a regular file"):
            publish([("a.ics", b"A2")], out)
        assert outside.read_bytes() == b"precious"
        assert sorted(entry.name for entry in out.iterdir()) == ["a.ics"]

    def test_an_out_folder_that_is_a_link_is_refused(self, tmp_path: Path) -> None:
        """--out naming a symbolic link to a folder is refused, naming it, before any write."""
        real = tmp_path / "real"
        real.mkdir()
        (tmp_path / "link").symlink_to(real)
        with pytest.raises(OutputError, match=f"{tmp_path / 'link'}: .*symbolic link"):
            publish([("a.ics", b"A")], tmp_path / "link")
        assert list(real.iterdir()) == []


class TestOwnership:
    """Bug 9: a build removes only files it wrote; a user's own files are left alone."""

    def test_a_foreign_feed_is_left_alone_and_reported(self, tmp_path: Path) -> None:
        """A user's holidays.ics survives a first build and a rebuild, and is named in a notice."""
        out = tmp_path / "out"
        out.mkdir()
        # A real calendar of the user's: its events are no evidence of what a build published.
        mine = (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x@y\r\nSEQUENCE:7\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        (out / "holidays.ics").write_bytes(mine)
        programme = load(declaration(tmp_path))
        first = build.build(programme, out)
        assert first.written is not None
        assert first.written.foreign == ("holidays.ics",)
        assert first.written.removed == ()
        assert any("holidays.ics" in notice and "left alone" in notice for notice in first.notices)
        again = build.build(load(declaration(tmp_path, "second")), out)
        assert again.written is not None
        assert again.written.removed == ()
        assert (out / "holidays.ics").read_bytes() == mine
        checked = build.build(load(declaration(tmp_path, "second")), out, check=True)
        assert checked.comparison is not None
        assert checked.comparison.same  # not "extra": it is not the build's file

    def test_only_files_the_build_wrote_are_removed(self, tmp_path: Path) -> None:
        """A feed the last build wrote and this one does not is removed; a foreign one is kept."""
        out = tmp_path / "out"
        publish([("a.ics", b"A"), ("b.ics", b"B")], out)
        (out / "c.ics").write_bytes(b"user's")
        written = publish([("a.ics", b"A")], out)
        assert written.removed == ("b.ics",)
        assert written.foreign == ("c.ics",)
        assert compare([("a.ics", b"A")], out).same
        assert state(out) == {
            "a.ics": b"A",
            "c.ics": b"user's",
            MANIFEST_NAME: manifest_bytes(["a.ics"]),
        }

    def test_a_folder_from_before_manifests_owns_its_listed_feeds(self, tmp_path: Path) -> None:
        """With a ledger but no manifest, the feeds feeds.json lists are owned; others are not."""
        out = tmp_path / "out"
        out.mkdir()
        (out / LEDGER_NAME).write_bytes(b"old ledger")
        (out / "feeds.json").write_bytes(b'{"feeds": [{"file": "a.ics"}, {"file": "b.ics"}]}')
        (out / "index.html").write_bytes(b"page")
        for name in ("a.ics", "b.ics", "holidays.ics"):
            (out / name).write_bytes(name.encode())
        assert compare([("a.ics", b"a.ics")], out).extra == (
            "b.ics",
            "feeds.json",
            "index.html",
            LEDGER_NAME,
        )
        written = publish([("a.ics", b"A"), (LEDGER_NAME, b"new ledger")], out)
        assert written.removed == ("b.ics", "feeds.json", "index.html")
        assert written.foreign == ("holidays.ics",)
        assert sorted(state(out)) == [MANIFEST_NAME, "a.ics", "holidays.ics", LEDGER_NAME]

    def test_a_folder_from_before_manifests_does_not_own_a_grid_picture(
        self, tmp_path: Path
    ) -> None:
        """Builds before manifests never wrote grid.svg: one there is the user's, left alone."""
        out = tmp_path / "out"
        out.mkdir()
        (out / LEDGER_NAME).write_bytes(b"old ledger")
        (out / "grid.svg").write_bytes(b"<svg/>")
        assert compare([(LEDGER_NAME, b"old ledger")], out).extra == ()
        written = publish([(LEDGER_NAME, b"new ledger")], out)
        assert (written.removed, written.foreign) == ((), ("grid.svg",))
        assert (out / "grid.svg").read_bytes() == b"<svg/>"

    def test_a_manifest_that_is_not_one_is_refused(self, tmp_path: Path) -> None:
        """A damaged manifest is an OutputError naming it; nothing is removed on a guess."""
        out = tmp_path / "out"
        publish([("a.ics", b"A")], out)
        (out / MANIFEST_NAME).write_bytes(b"garbage")
        with pytest.raises(
            OutputError, match=f"{out / MANIFEST_NAME}: expected a pe-schedule manifest"
        ):
            publish([("b.ics", b"B")], out)
        assert state(out) == {"a.ics": b"A", MANIFEST_NAME: b"garbage"}


HOLD = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from pe_schedule._internal.publish.files import locked\n"
    "with locked(Path(sys.argv[1])):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(60)\n"
)


class TestLock:
    """Bug 4: one build at a time per folder; the others wait, or fail naming the holder."""

    def test_a_second_build_waits_then_fails_naming_the_folder_and_holder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """While another process holds the folder, build and --check exit 2 naming folder and pid."""
        out = tmp_path / "out"
        decl = declaration(tmp_path)
        assert main(["build", str(decl), "--out", str(out)]) == 0
        before = state(out)
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True, env=env()
        )
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline() == "held\n"
            monkeypatch.setattr(files, "LOCK_TIMEOUT", 0.3)
            capsys.readouterr()
            for extra in ([], ["--check"]):
                started = time.monotonic()
                assert (
                    main(["build", str(declaration(tmp_path, "second")), "--out", str(out), *extra])
                    == 2
                )
                assert time.monotonic() - started >= 0.3
                err = capsys.readouterr().err
                assert f"{out}: expected to be the only build" in err
                assert f"pid {holder.pid}" in err
        finally:
            holder.kill()
            holder.wait()
        assert state(out) == before

    def test_concurrent_builds_all_succeed_and_lose_nothing(self, tmp_path: Path) -> None:
        """Six builds of six revisions started at once all succeed, each seeing the last's ledger."""
        out = tmp_path / "out"
        starts = [f"{hour}:00" for hour in range(10, 16)]  # every event moves in every revision
        processes = [
            subprocess.Popen(
                command(declaration(tmp_path, start=start), out), env=env(), stderr=subprocess.PIPE
            )
            for start in starts
        ]
        errors = [process.communicate()[1].decode() for process in processes]
        assert [process.returncode for process in processes] == [0] * len(starts), errors
        # Every build changed every event, so a build that missed another's ledger
        # would leave a lower SEQUENCE: the last one is at len(starts) - 1.
        feed = (out / "programme.ics").read_text(encoding="utf-8")
        assert set(re.findall(r"SEQUENCE:(\d+)", feed)) == {str(len(starts) - 1)}
        assert sorted(e.name for e in out.iterdir() if e.name.startswith(".")) == [MANIFEST_NAME]


class TestErrorsNameTheTarget:
    """Bug 10: an error while publishing names the file meant, not a temporary one."""

    def test_a_full_disk_names_the_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """ENOSPC while writing says 'no space left on device', naming the folder and file."""
        out = tmp_path / "out"
        publish([("a.ics", b"A")], out)

        def full(descriptor: int, data: object) -> int:
            # Where file systems that delay allocation report a full disk: in write(2).
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", full)
        with pytest.raises(
            OutputError, match=f"^{out}: no space left on device while writing b.ics$"
        ):
            publish([("a.ics", b"A"), ("b.ics", b"B")], out)
        monkeypatch.undo()
        assert state(out) == {"a.ics": b"A", MANIFEST_NAME: manifest_bytes(["a.ics"])}

    def test_a_failed_sync_changes_nothing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A disk that fails to make the new files durable (fsync of the journal, or of each
        file where files are synced one by one) leaves the folder as it was."""
        out = tmp_path / "out"
        publish([("a.ics", b"A")], out)

        def failing(descriptor: int) -> None:
            raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(os, "fsync", failing)
        with pytest.raises(OutputError, match="could not write it"):
            publish([("a.ics", b"A2"), ("b.ics", b"B")], out)
        monkeypatch.undo()
        assert state(out) == {"a.ics": b"A", MANIFEST_NAME: manifest_bytes(["a.ics"])}

    def test_a_refused_rename_names_the_target(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A rename refused (read-only, busy) names the feed it meant to replace."""
        out = tmp_path / "out"
        publish([("a.ics", b"A"), ("b.ics", b"B")], out)
        real = Path.replace

        def replace(self: Path, target: str | os.PathLike[str]) -> Path:
            if Path(target).name == "b.ics":
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real(self, target)

        monkeypatch.setattr(Path, "replace", replace)
        with pytest.raises(OutputError) as raised:
            publish([("a.ics", b"A2"), ("b.ics", b"B2")], out)
        monkeypatch.undo()
        assert str(raised.value) == f"{out / 'b.ics'}: could not write it (Permission denied)"
        assert TEMP_PREFIX not in str(raised.value)
        assert state(out)["a.ics"] == b"A"


#: Publish in a process that SIGKILLs itself at its n-th rename (sys.argv[2]).
KILLED_AT_RENAME = (
    "import os, signal, sys\n"
    "from pathlib import Path\n"
    "from pe_schedule._internal.publish.files import publish\n"
    "real, calls = Path.replace, 0\n"
    "def replace(self, target):\n"
    "    global calls\n"
    "    calls += 1\n"
    "    if calls == int(sys.argv[2]):\n"
    "        os.kill(os.getpid(), signal.SIGKILL)\n"
    "    return real(self, target)\n"
    "Path.replace = replace\n"
    "publish([('a.ics', b'A2'), ('b.ics', b'B2'), ('ledger.jsonl', b'L2')], Path(sys.argv[1]))\n"
)


class TestCrashSafety:
    """Bug 8: a build killed at any moment leaves exactly the old or, once finished, the new folder."""

    @pytest.mark.parametrize("killed_at", [1, 2, 3, 4, 5])
    def test_a_build_killed_at_each_rename_is_finished_or_never_started(
        self, tmp_path: Path, killed_at: int
    ) -> None:
        """Killed before its journal, nothing changed; after it, the next command rolls forward."""
        out = tmp_path / "out"
        publish([("a.ics", b"A1"), ("b.ics", b"B1"), ("c.ics", b"C1"), (LEDGER_NAME, b"L1")], out)
        old = state(out)
        killed = subprocess.run(
            [sys.executable, "-c", KILLED_AT_RENAME, str(out), str(killed_at)],
            env=env(),
            check=False,
        )
        assert killed.returncode == -signal.SIGKILL
        assert not (out / JOURNAL_NAME).exists() or killed_at > 1  # rename 1 is the journal's
        compare([], out)  # reading only: no recovery here, the lock is what recovers
        with files.locked(out, write=False):
            pass
        new = {
            "a.ics": b"A2",
            "b.ics": b"B2",
            LEDGER_NAME: b"L2",
            MANIFEST_NAME: manifest_bytes(["a.ics", "b.ics", LEDGER_NAME]),
        }
        assert state(out) == (old if killed_at == 1 else new)
        publish([("a.ics", b"A2"), ("b.ics", b"B2"), (LEDGER_NAME, b"L2")], out)
        assert [e.name for e in out.iterdir() if e.name.startswith(".")] == [MANIFEST_NAME]

    def test_changes_finishes_a_killed_build_before_reading_the_ledger(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``pe-schedule changes`` after a build killed mid-commit reads the finished folder."""
        out = tmp_path / "out"
        first, second = declaration(tmp_path), declaration(tmp_path, "second")
        assert main(["build", str(first), "--out", str(out)]) == 0
        whole = tmp_path / "whole"
        shutil.copytree(out, whole)
        # As the killed script builds: through the library, so with the same manifest.
        build.build(load(second), whole)
        script = KILLED_AT_RENAME.replace(
            "publish([('a.ics', b'A2'), ('b.ics', b'B2'), ('ledger.jsonl', b'L2')], Path(sys.argv[1]))",
            "from pe_schedule import build_feeds, load\n"
            f"build_feeds(load({str(second)!r}), Path(sys.argv[1]))",
        )
        killed = subprocess.run(
            [sys.executable, "-c", script, str(out), "3"], env=env(), check=False
        )
        assert killed.returncode == -signal.SIGKILL
        assert (out / JOURNAL_NAME).exists()
        capsys.readouterr()
        assert main(["changes", str(second), "--out", str(out)]) == 0
        assert state(out) == state(whole)

    def test_every_new_file_is_durable_before_the_journal_names_it(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Whatever the number of files, their bytes reach the disk (one sync(2) on Linux,
        an fsync each elsewhere) before the journal that would roll them forward exists;
        and on Linux the cost does not grow with the files: no fsync per file."""
        calls: list[str] = []
        real_open, real_sync, real_fsync, real_replace = os.open, os.sync, os.fsync, Path.replace

        def opening(path: object, flags: int, *args: object, **kwargs: object) -> int:
            if flags & os.O_CREAT and TEMP_PREFIX in str(path):  # not the lock file
                calls.append("create")
            return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

        def syncing() -> None:
            calls.append("sync")
            real_sync()

        def fsyncing(descriptor: int) -> None:
            calls.append("fsync")
            real_fsync(descriptor)

        def replacing(self: Path, target: str | os.PathLike[str]) -> Path:
            calls.append("journal" if Path(target).name == JOURNAL_NAME else "rename")
            return real_replace(self, target)

        monkeypatch.setattr(os, "open", opening)
        monkeypatch.setattr(os, "sync", syncing)
        monkeypatch.setattr(os, "fsync", fsyncing)
        monkeypatch.setattr(Path, "replace", replacing)
        publish([(f"f{number}.ics", b"F") for number in range(50)], tmp_path / "out")
        monkeypatch.undo()
        before = calls[: calls.index("journal")]
        # The feeds and the manifest, then the journal's own file.
        assert before.count("create") == 52
        assert "rename" not in before
        journal_file = len(before) - 1 - before[::-1].index("create")
        if sys.platform == "linux":
            assert before[:journal_file].count("sync") == 1
            assert before[:journal_file].index("sync") > before.index("create") + 50
            assert calls.count("fsync") <= 4  # the journal and the folder, not the files
        else:
            assert before[:journal_file].count("fsync") >= 51
        assert state(tmp_path / "out")["f49.ics"] == b"F"

    def test_a_journal_naming_files_outside_its_own_is_refused(self, tmp_path: Path) -> None:
        """A planted journal cannot rename or remove anything but temporary files onto feed names."""
        out = tmp_path / "out"
        publish([("a.ics", b"A")], out)
        (out / "notes.txt").write_bytes(b"mine")
        (out / JOURNAL_NAME).write_bytes(b'{"renames": [["notes.txt", "a.ics"]], "removals": []}')
        with pytest.raises(
            OutputError, match=f"{out / JOURNAL_NAME}: expected renames of temporary"
        ):
            publish([("a.ics", b"A2")], out)
        assert (out / "notes.txt").read_bytes() == b"mine"
        assert (out / "a.ics").read_bytes() == b"A"


def vevents(folder_state: dict[str, bytes]) -> set[tuple[str, str, str]]:
    """Every (UID, SEQUENCE, DTSTART) in a folder state's feeds."""
    found: set[tuple[str, str, str]] = set()
    for name, data in folder_state.items():
        if not name.endswith(".ics"):
            continue
        for block in data.decode().split("BEGIN:VEVENT")[1:]:
            fields = dict(
                line.split(":", 1)
                for line in block.replace("\r\n ", "").splitlines()
                if ":" in line
            )
            start = next(value for key, value in fields.items() if key.startswith("DTSTART"))
            found.add((fields["UID"], fields.get("SEQUENCE", "0"), start))
    return found


def kill_at_random(argv: list[str], out: Path, rng: random.Random, took: float) -> int:
    """Run ``argv`` and SIGKILL it at a random moment; its exit status.

    Half the kills come at any moment of the build; half aim at its commit,
    which lasts a few milliseconds of a build of about a second: they come
    0 to 0.5 ms after the journal appears.
    """
    process = subprocess.Popen(
        argv, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0.2, 1.05) * took)
    else:
        journal = out / JOURNAL_NAME
        while process.poll() is None and not journal.exists():
            pass
        time.sleep(rng.uniform(0, 0.0005))
    process.send_signal(signal.SIGKILL)
    return process.wait()


def test_builds_killed_at_random_leave_the_old_or_the_new_folder(tmp_path: Path) -> None:
    """Real builds SIGKILLed at random moments leave exactly the old or new folder, never mixed."""
    decls = [declaration(tmp_path, "second"), declaration(tmp_path, "third")]
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    started = time.monotonic()
    first = subprocess.run(command(decls[0], out), env=env(), capture_output=True, check=False)
    assert first.returncode == 0, first.stderr
    took = time.monotonic() - started
    rng = random.Random(20231201)
    counts = dict.fromkeys(["runs", "kills", "in_commit", "mixed_unrecovered"], 0)
    counts.update(old=0, new=0, mixed=0)
    seen: dict[tuple[str, str], str] = {}
    revision = 1
    deadline = time.monotonic() + 14
    while time.monotonic() < deadline:
        old = state(out)
        # The new state: the same build, finished, from a copy of the folder.
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(out, scratch)
        # As the command builds: told its sources, so the manifest holds the same stamp.
        build.build(load(decls[revision]), scratch, sources=stamp.read_sources(decls[revision]))
        new = state(scratch)
        status = kill_at_random(command(decls[revision], out), out, rng, took)
        counts["runs"] += 1
        counts["kills"] += status == -signal.SIGKILL
        # Killed inside the commit: what a reader would see without the journal.
        counts["in_commit"] += (out / JOURNAL_NAME).exists()
        unrecovered = {name: data for name, data in state(out).items() if name != JOURNAL_NAME}
        counts["mixed_unrecovered"] += unrecovered not in (old, new)
        # The next command: a --check, which finishes a killed commit.
        build.build(load(decls[revision]), out, check=True)
        now = state(out)
        outcome = "old" if now == old else "new" if now == new else "mixed"
        counts[outcome] += 1
        for uid, sequence, start in vevents(now):
            assert seen.setdefault((uid, sequence), start) == start, f"{uid} SEQUENCE {sequence}"
        if outcome != "old":
            revision = 1 - revision
    # Shown with pytest -s, so the figures can be quoted.
    print(f"\nkilled builds: {counts} (a whole build took {took:.2f} s)")  # noqa: T201
    assert counts["mixed"] == 0
    assert counts["kills"] >= 3  # a loaded machine fits fewer builds in the time


class TestBuiltWith:
    """The manifest records the versions that shaped the feeds, so a stale check can say why."""

    def _tamper(self, out: Path, **versions: str) -> None:
        """Record other versions in the folder's manifest, as an older build would have."""
        manifest = out / files.MANIFEST_NAME
        document = json.loads(manifest.read_text(encoding="utf-8"))
        document["built_with"].update(versions)
        manifest.write_text(json.dumps(document) + "\n", encoding="utf-8")

    def test_a_build_records_the_versions_it_ran_with(self, tmp_path: Path) -> None:
        """tzdata, holidays, icalendar and pe-schedule's own version are in the manifest."""
        out = tmp_path / "out"
        build.build(load(declaration(tmp_path)), out)
        assert files.built_with(out) == stamp.output_versions()
        assert set(files.built_with(out)) == {"holidays", "icalendar", "pe-schedule", "tzdata"}

    def test_a_stale_check_names_the_package_that_moved(self, tmp_path: Path) -> None:
        """A folder that differs and was built with another tzdata gets a notice naming both."""
        out = tmp_path / "out"
        build.build(load(declaration(tmp_path)), out)
        self._tamper(out, tzdata="1999.1")
        feed = next(out.glob("cohort-*.ics"))
        feed.write_bytes(feed.read_bytes().replace(b"TZOFFSETTO:-0400", b"TZOFFSETTO:-0300"))
        result = build.build(load(declaration(tmp_path)), out, check=True)
        assert result.comparison is not None
        assert not result.comparison.same
        now = stamp.output_versions()["tzdata"]
        assert any(f"tzdata 1999.1 -> {now}" in notice for notice in result.notices)

    def test_an_up_to_date_folder_says_nothing_of_versions(self, tmp_path: Path) -> None:
        """Other versions that changed no byte are no news: the check passes quietly."""
        out = tmp_path / "out"
        build.build(load(declaration(tmp_path)), out)
        self._tamper(out, icalendar="0.0.1")
        result = build.build(load(declaration(tmp_path)), out, check=True)
        assert result.up_to_date
        assert not any("versions" in notice for notice in result.notices)
