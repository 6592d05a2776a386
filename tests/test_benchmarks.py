"""The benchmarks still run: each in its quick mode, as a process, the way a person runs it."""

from __future__ import annotations

import doctest
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_the_solve_benchmark_runs_small_and_prints_its_table() -> None:
    pytest.importorskip("ortools")
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "solve.py"), "--small", "--effort", "0.2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert table[0] == "| measure | solver | greedy |"
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in table[2:]}
    assert (
        rows[
            "hard-constraint violations, each occurrence counted (must be 0 for the solver)"
        ].split(" | ")[1]
        == "0"
    )
    assert "sessions moved when three coaches lose Tuesday, % (goal: under 5)" in rows


def _feeds_benchmark() -> ModuleType:
    """benchmarks/build_feeds.py as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location("build_feeds", BENCHMARKS / "build_feeds.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_feeds_benchmark_checks_every_feed_and_prints_its_table() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "build_feeds.py"), "--teams", "2", "3", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = [line.strip("| ").split(" | ") for line in done.stdout.splitlines() if line[:1] == "|"]
    header, rows = table[0], {row[0]: dict(zip(table[0], row, strict=True)) for row in table[2:]}
    assert header[:5] == [
        "teams",
        "feeds",
        "distinct events",
        "events written",
        "byte-identical feeds",
    ]
    assert "project / baseline (goal <= 1.5)" in header
    assert set(rows) == {"2", "3"}
    for row in rows.values():
        assert int(row["feeds"]) > 20
        assert row["byte-identical feeds"] == f"{row['feeds']} of {row['feeds']}"
        assert float(row["project / baseline (goal <= 1.5)"]) > 0
        assert float(row["project ms/feed"]) > 0
        assert row["peak MB baseline"]
    assert "every feed of every size byte-identical" in done.stdout


def test_the_feeds_benchmark_fails_on_the_first_feed_that_differs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the last feed is off by one line: a check of a sample would miss it."""
    module = _feeds_benchmark()
    assert doctest.testmod(module).failed == 0
    last: list[str] = []
    write = module.FairWriter.write

    def tampered(writer: Any, feed: Any) -> tuple[bytes, int]:
        data, count = write(writer, feed)
        if feed.file == last[0]:
            data = data.replace(b"\r\nSEQUENCE:0\r\n", b"\r\nSEQUENCE:1\r\n", 1)
        return data, count

    programme = module.synthetic(module.declaration.load(module.REFERENCE), 3)
    feeds = module.plan(
        programme, module.expand.events(programme), programme.roster, key=module.KEY
    )
    last.append(feeds.feeds[-1].file)
    monkeypatch.setattr(module.FairWriter, "write", tampered)
    assert module.main(["--phase", "verify", "--teams", "3"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["identical"] == result["feeds"] - 1 == len(feeds.feeds) - 1
    assert result["difference"].startswith(f"{last[0]} (")
    assert "differs: project b'SEQUENCE:0', baseline b'SEQUENCE:1'" in result["difference"]

    # The whole benchmark stops with the message, before any timing.
    monkeypatch.setattr(module, "_reference_process_seconds", lambda: 0.0)
    monkeypatch.setattr(
        module, "_child", lambda phase, teams, repeat: module.run_phase(phase, teams, repeat)
    )
    assert module.main(["--teams", "3"]) == 1
    captured = capsys.readouterr()
    assert "|" not in captured.out
    assert f"after {len(feeds.feeds) - 1} identical feeds of {len(feeds.feeds)}" in captured.err
    assert last[0] in captured.err


def test_the_scale_benchmark_builds_checks_and_keeps_to_its_budget() -> None:
    """``benchmarks/hostile_inputs.py`` writes a first build, checks it and prints a row a size."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "hostile_inputs.py"), "--sizes", "50", "300"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == [
        *("people", "roster", "files", "load", "s", "build", "s", "sys", "ms/1k", "files"),
        *("check", "s", "peak", "MiB", "time/person", "vs", "base"),
    ]
    assert [line.split()[0] for line in lines[1:3]] == ["50", "300"]
    # 30 teams of ten: the programme, its cohort, 6 coaching and 2 affinity groups, the
    # senior leaders, 30 teams and 300 people (341 feeds); the page, the grid picture,
    # feeds.json, the ledger.
    assert lines[2].split()[2] == "345"
    assert lines[3].startswith("peak memory of the largest first build: ")
    assert lines[3].endswith("within the 300 MiB budget")
