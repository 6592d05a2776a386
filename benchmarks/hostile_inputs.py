"""How loading and building scale with the roster: 1,000, 10,000 and 100,000 people.

Generates a small programme and a roster of N people (teams of ten, each team
in a coaching group, people spread over two affinity groups, one senior leader
per team) in a temporary folder, then in a fresh process per size measures:

- load: reading and checking the declaration and its roster;
- first build: expanding the events, rendering every feed (programme,
  cohorts, groups, one per team and, with a key, one per person),
  ``feeds.json``, ``index.html``, ``grid.svg`` and the ledger, and writing them all into an
  empty folder, crash-safely, as ``pe-schedule build`` does; its system CPU
  time per thousand files shows what the file system calls cost;
- check: ``build --check`` of that folder with nothing changed, through the
  full comparison (no stamp is given, so nothing is answered from one);
- peak memory: the child process's maximum resident set size.

Run: ``.venv/bin/python benchmarks/hostile_inputs.py`` (add ``--sizes 1000 10000``
for a quicker run). Time and memory should grow linearly with the roster: the
script prints each size's cost per person relative to the smallest size. To
count the system calls themselves, run one size under ``strace -f -c``:
``strace -f -c .venv/bin/python benchmarks/hostile_inputs.py --child 20000``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: People per team in the generated roster.
TEAM_SIZE = 10
#: Teams per coaching group.
GROUP_SIZE = 5
#: The memory budget of the largest first build, in MiB (100,000 people: under 300 MB).
BUDGET_MIB = 300

DECLARATION = """\
[programme]
id = "scale"
name = "Scale test"
first_month = "2023-01"
last_month = "2023-06"
timezone = "America/New_York"
roster = "scale.roster.toml"
revised = 2022-09-01T00:00:00Z

[[cohorts]]
id = "ln"
name = "Learning Network"

[[cohorts.activities]]
id = "all-team"
name = "All-Team Call"
months = [1, 3, 5]
timing = { day = "third Wednesday", start = "13:00", duration = "2h" }

[[cohorts.activities]]
id = "group-coaching"
name = "Group Coaching"
months = [2, 4, 6]
audience = "coaching-group"
timing = { day = "second Tuesday", start = "11:00", duration = "1h" }

[[cohorts.activities]]
id = "affinity"
name = "Affinity Group"
months = [2, 5]
audience = "affinity-group"
timing = { day = "fourth Thursday", start = "15:00", duration = "1h" }

[[cohorts.activities]]
id = "leaders"
name = "Senior Leaders"
months = [4]
audience = "senior-leaders"
timing = { day = "first Monday", start = "12:00", duration = "1h" }
"""


def roster(people: int) -> str:
    """A roster of ``people`` people in teams of :data:`TEAM_SIZE`."""
    teams = -(-people // TEAM_SIZE)
    groups = -(-teams // GROUP_SIZE)
    lines = [
        '[[groups]]\nid = "poc"\nname = "People of colour"\nkind = "affinity-group"\n',
        '[[groups]]\nid = "white"\nname = "White allies"\nkind = "affinity-group"\n',
    ]
    lines += [
        f'[[groups]]\nid = "cg-{g}"\nname = "Coaching group {g}"\nkind = "coaching-group"\n'
        for g in range(groups)
    ]
    person = 0
    for team in range(teams):
        lines.append(
            f'[[teams]]\nid = "t-{team}"\nname = "Team {team}"\ncohort = "ln"\n'
            f'coaching_group = "cg-{team // GROUP_SIZE}"\ntimezone = "America/Chicago"\n'
        )
        for member in range(min(TEAM_SIZE, people - person)):
            role = '\nrole = "senior-leader"' if member == 0 else ""
            group = "poc" if person % 2 else "white"
            lines.append(
                f'[[teams.people]]\nid = "p-{person}"\nname = "Person {person}"{role}\n'
                f'affinity_group = "{group}"\n'
            )
            person += 1
    return "\n".join(lines)


def measure(people: int) -> dict[str, float]:
    """Load, build and check a programme of ``people`` people in this process; the figures."""
    from pe_schedule import build_feeds, load

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scale.toml"
        path.write_text(DECLARATION, encoding="utf-8")
        (Path(folder) / "scale.roster.toml").write_text(roster(people), encoding="utf-8")
        size = (Path(folder) / "scale.roster.toml").stat().st_size
        out, key = Path(folder) / "out", b"benchmark-key-0123456789"
        started = time.perf_counter()
        programme = load(path)
        loaded = time.perf_counter()
        system_before = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        written = build_feeds(programme, out, key=key).written
        built = time.perf_counter()
        system = resource.getrusage(resource.RUSAGE_SELF).ru_stime - system_before
        assert written is not None
        # As two commands would: the build's result is gone before the check runs.
        files = len(written.written)
        del written
        up_to_date = build_feeds(programme, out, key=key, check=True).up_to_date
        done = time.perf_counter()
    assert up_to_date
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "people": people,
        "roster_bytes": size,
        "files": files,
        "load_s": loaded - started,
        "build_s": built - loaded,
        "system_ms_per_1k_files": 1000 * system / files * 1000,
        "check_s": done - built,
        "peak_mib": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child)))
        return
    rows = []
    for people in args.sizes:
        # A fresh process per size, so each peak memory figure is that size's own.
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(people)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(output))
    print(table(rows))


def table(rows: list[dict[str, float]]) -> str:
    """The figures of each size, and whether the largest build kept to the memory budget."""
    base = rows[0]
    header = (
        f"{'people':>8} {'roster':>9} {'files':>7} {'load s':>7} {'build s':>8}"
        f" {'sys ms/1k files':>15} {'check s':>8} {'peak MiB':>9} {'time/person vs base':>20}"
    )
    lines = [header]
    for row in rows:
        per_person = (row["load_s"] + row["build_s"]) / row["people"]
        base_per_person = (base["load_s"] + base["build_s"]) / base["people"]
        lines.append(
            f"{row['people']:>8,.0f} {row['roster_bytes'] / 1e6:>7.1f}MB {row['files']:>7,.0f}"
            f" {row['load_s']:>7.2f} {row['build_s']:>8.2f}"
            f" {row['system_ms_per_1k_files']:>15.0f} {row['check_s']:>8.2f}"
            f" {row['peak_mib']:>9.0f} {per_person / base_per_person:>19.2f}x"
        )
    largest = rows[-1]
    verdict = "within" if largest["peak_mib"] <= BUDGET_MIB else "OVER"
    lines.append(
        f"peak memory of the largest first build: {largest['peak_mib']:.0f} MiB, {verdict} the"
        f" {BUDGET_MIB} MiB budget"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
