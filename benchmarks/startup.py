"""Time the command line's everyday commands as whole processes.

Each command runs ``--runs`` times in a fresh process (the build into a fresh
temporary folder each time); the table shows the median, fastest and slowest
wall-clock time beside ``python -c pass``, the interpreter's own start-up, so
the rest is what pe-schedule costs. Uses only the standard library::

    python benchmarks/startup.py --runs 15
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = "calendars/pursuing-equity-2023-2024.toml"
#: The console script beside the interpreter running this benchmark.
CLI = str(Path(sys.executable).with_name("pe-schedule"))


def _build_reference(out: Path) -> list[str]:
    return [CLI, "build", REFERENCE, "--out", str(out)]


#: (label, argv maker): the maker gets a fresh empty folder it may write into.
COMMANDS: list[tuple[str, Callable[[Path], list[str]]]] = [
    ("`python -c pass`", lambda _: [sys.executable, "-c", "pass"]),
    (f"`pe-schedule build {REFERENCE} --out DIR`", _build_reference),
    ("`pe-schedule build calendars --check`", lambda _: [CLI, "build", "calendars", "--check"]),
    ("`pe-schedule check calendars`", lambda _: [CLI, "check", "calendars"]),
    ("`python -c 'import pe_schedule'`", lambda _: [sys.executable, "-c", "import pe_schedule"]),
]


def time_once(argv_for: Callable[[Path], list[str]]) -> float:
    """Seconds one run of the command takes; a failing run stops the benchmark."""
    scratch = Path(tempfile.mkdtemp(prefix="pe-startup-"))
    try:
        argv = argv_for(scratch / "out")
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode()}")
    return elapsed


def table(runs: int) -> str:
    """The markdown table: one row per command, times in seconds."""
    lines = [
        f"| command ({runs} runs each) | median | min | max |",
        "|---|---|---|---|",
    ]
    for label, argv_for in COMMANDS:
        time_once(argv_for)  # warm the file cache and byte-compile before timing
        times = [time_once(argv_for) for _ in range(runs)]
        lines.append(
            f"| {label} | {statistics.median(times):.3f} s "
            f"| {min(times):.3f} s | {max(times):.3f} s |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="runs per command (default 11)")
    args = parser.parse_args(argv)
    print(table(args.runs))


if __name__ == "__main__":
    main()
