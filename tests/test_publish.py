"""Writing a folder of feeds safely; --check; the same bytes whatever the environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pe_schedule import OutputError
from pe_schedule._internal.publish.files import (
    LOCK_NAME,
    MANIFEST_NAME,
    TEMP_PREFIX,
    Comparison,
    compare,
    manifest_bytes,
    publish,
)

ROOT = Path(__file__).parent.parent
REFERENCE = ROOT / "calendars" / "pursuing-equity-2023-2024.toml"
CLI = [sys.executable, "-m", "pe_schedule"]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``folder`` with its bytes and modification time (ns)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder a build wrote (two feeds, feeds.json, its manifest) and a file it does not manage."""
    out = tmp_path / "feeds"
    out.mkdir()
    (out / "a.ics").write_bytes(b"A1")
    (out / "b.ics").write_bytes(b"B1")
    (out / "feeds.json").write_bytes(b"{}")
    (out / MANIFEST_NAME).write_bytes(manifest_bytes(["a.ics", "b.ics", "feeds.json"]))
    (out / "README.md").write_bytes(b"notes")
    return out


class TestPublish:
    """A build makes the folder hold exactly its files, touching only what changed."""

    def test_writes_changes_and_removes_stale_feeds(self, folder: Path) -> None:
        """Changed files are replaced, unchanged ones kept, stale feeds removed, others kept."""
        before = snapshot(folder)
        written = publish([("a.ics", b"A1"), ("b.ics", b"B2"), ("c.ics", b"C")], folder)
        assert written.written == ("b.ics", "c.ics")
        assert written.unchanged == ("a.ics",)
        assert written.removed == ("feeds.json",)
        after = snapshot(folder)
        assert after["a.ics"] == before["a.ics"]  # same mtime: not rewritten
        assert after["b.ics"][0] == b"B2"
        assert after["README.md"] == before["README.md"]
        assert sorted(after) == [MANIFEST_NAME, "README.md", "a.ics", "b.ics", "c.ics"]

    def test_a_failing_build_leaves_the_folder_unchanged(self, folder: Path) -> None:
        """An error part-way removes every temporary file and changes nothing."""
        before = snapshot(folder)

        def files() -> Iterator[tuple[str, bytes]]:
            yield "a.ics", b"new A"
            yield "c.ics", b"new C"
            raise RuntimeError("the build failed here")

        with pytest.raises(RuntimeError, match="failed here"):
            publish(files(), folder)
        assert snapshot(folder) == before

    @pytest.mark.parametrize("failing", [1, 2, 3, 4])
    def test_a_rename_failing_part_way_is_undone(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch, failing: int
    ) -> None:
        """If the n-th rename of the final step fails, every old file comes back as it was."""
        before = {name: data for name, (data, _) in snapshot(folder).items()}
        real = Path.replace
        calls = 0

        def replace(self: Path, target: str | os.PathLike[str]) -> Path:
            nonlocal calls
            calls += 1
            if calls == failing:
                raise OSError(28, "No space left on device")
            return real(self, target)

        monkeypatch.setattr(Path, "replace", replace)
        # Two replacements, one new file and one stale removal: four renames.
        with pytest.raises(OutputError, match=f"{folder}: no space left on device while writing"):
            publish([("a.ics", b"A2"), ("b.ics", b"B2"), ("c.ics", b"C")], folder)
        monkeypatch.setattr(Path, "replace", real)
        assert {name: data for name, (data, _) in snapshot(folder).items()} == before

    def test_a_killed_build_leaves_every_file_unchanged(self, folder: Path) -> None:
        """A build killed while writing leaves every real file as it was; the next sweeps up."""
        script = (
            "import sys, time\n"
            "from pathlib import Path\n"
            "from pe_schedule._internal.publish.files import publish\n"
            "def files():\n"
            "    yield 'a.ics', b'new A'\n"
            "    print('written', flush=True)\n"
            "    time.sleep(60)\n"
            "    yield 'b.ics', b'new B'\n"
            "publish(files(), Path(sys.argv[1]))\n"
        )
        before = snapshot(folder)
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(folder)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        assert process.stdout.readline() == "written\n"
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = snapshot(folder)
        kept = {n: v for n, v in after.items() if not n.startswith(TEMP_PREFIX) and n != LOCK_NAME}
        assert kept == before
        publish([("a.ics", b"A1"), ("b.ics", b"B1"), ("feeds.json", b"{}")], folder)
        assert not [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]

    @pytest.mark.parametrize(
        "name", ["../escape.ics", "sub/x.ics", "/tmp/x.ics", ".hidden.ics", "notes.txt", ""]
    )
    def test_nothing_is_written_outside_the_folder(self, folder: Path, name: str) -> None:
        """A name that is not a plain feed file name is refused before anything is written."""
        before = snapshot(folder)
        with pytest.raises(OutputError, match="plain feed file name"):
            publish([("a.ics", b"changed"), (name, b"x")], folder)
        assert snapshot(folder) == before
        assert not (folder.parent / "escape.ics").exists()

    def test_the_same_name_twice_is_refused(self, folder: Path) -> None:
        """Two files with one name would overwrite each other, so it is an error."""
        with pytest.raises(OutputError, match="once"):
            publish([("x.ics", b"1"), ("x.ics", b"2")], folder)
        assert not (folder / "x.ics").exists()

    def test_a_missing_folder_is_created_but_not_its_parents(self, tmp_path: Path) -> None:
        """DIR is created if missing; a missing parent is an error."""
        publish([("a.ics", b"A")], tmp_path / "new")
        assert (tmp_path / "new" / "a.ics").read_bytes() == b"A"
        with pytest.raises(OutputError, match="parent"):
            publish([("a.ics", b"A")], tmp_path / "no" / "such")


class TestCompare:
    """--check compares bytes and names every missing, extra and different file."""

    def test_same_folder(self, folder: Path) -> None:
        """A folder holding exactly the files is the same."""
        result = compare([("a.ics", b"A1"), ("b.ics", b"B1"), ("feeds.json", b"{}")], folder)
        assert result == Comparison()
        assert result.same

    def test_names_each_difference(self, folder: Path) -> None:
        """Missing, extra and different files are each named; unmanaged files are ignored."""
        result = compare([("a.ics", b"A1"), ("b.ics", b"B!"), ("c.ics", b"C")], folder)
        assert result.lines() == ("missing: c.ics", "extra: feeds.json", "different: b.ics")

    def test_compare_writes_nothing(self, folder: Path) -> None:
        """Comparing never changes the folder."""
        before = snapshot(folder)
        compare([("z.ics", b"Z")], folder)
        assert snapshot(folder) == before


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``pe-schedule`` in a fresh process."""
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without a feed key, with ``extra`` set."""
    env = {k: v for k, v in os.environ.items() if k != "PE_SCHEDULE_FEED_KEY"}
    env.update(extra)
    return env


class TestBuildCommand:
    """``pe-schedule build`` end to end, in separate processes."""

    def test_same_bytes_whatever_tz_and_locale(self, tmp_path: Path) -> None:
        """Two builds under different TZ and LC_ALL write byte-identical folders."""
        one, two = tmp_path / "one", tmp_path / "two"
        key = "a feed key for the determinism test"
        first = run_cli(
            "build", str(REFERENCE), "--out", str(one),
            env=clean_env(TZ="Pacific/Kiritimati", LC_ALL="C", PE_SCHEDULE_FEED_KEY=key),
        )  # fmt: skip
        assert first.returncode == 0, first.stderr
        time.sleep(0.01)
        second = run_cli(
            "build", str(REFERENCE), "--out", str(two),
            env=clean_env(TZ="America/St_Johns", LC_ALL="tr_TR.UTF-8", PE_SCHEDULE_FEED_KEY=key),
        )  # fmt: skip
        assert second.returncode == 0, second.stderr
        files_one = {p.name: p.read_bytes() for p in one.iterdir()}
        assert files_one == {p.name: p.read_bytes() for p in two.iterdir()}
        assert any(name.startswith("person-") for name in files_one)

    def test_check_detects_a_one_byte_change(self, tmp_path: Path) -> None:
        """--check passes on a fresh build and fails, naming the file, after one byte changes."""
        out = tmp_path / "feeds"
        built = run_cli("build", str(REFERENCE), "--out", str(out), env=clean_env())
        assert built.returncode == 0, built.stderr
        assert "personal feeds skipped" in built.stderr
        assert run_cli("build", str(REFERENCE), "--out", str(out), "--check").returncode == 0
        feed = out / "programme.ics"
        data = bytearray(feed.read_bytes())
        data[200] ^= 1
        feed.write_bytes(bytes(data))
        before = snapshot(out)
        checked = run_cli("build", str(REFERENCE), "--out", str(out), "--check", env=clean_env())
        assert checked.returncode == 1
        assert "different: programme.ics" in checked.stdout
        assert snapshot(out) == before
