"""The benchmarks still run: each in its quick mode, as a process, the way a person runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
