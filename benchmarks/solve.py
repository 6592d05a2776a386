"""Benchmark: the scheduler against a greedy first fit, on a synthetic coaching network.

Generates (seeded) a declaration and its roster in a temporary folder: one
cohort of teams across the US time zones, from Hawaii to Maine (most Eastern
and Central, some Pacific, few in Alaska or Hawaii), each with a region,
population, organisation type and size; one group-coaching activity every
other month over 18 months whose coaching groups, slots (second Tuesday,
Wednesday or Thursday, a start from 11:00 to 16:00 Eastern on the half hour,
one hour) and coaches are left to the scheduler; a fixed all-team call on the
second Wednesday at 15:00 Eastern of the same months as an obstacle; and the
coaches, in several zones, with three to five working days, their own hours,
daily caps, days away, a few restricted to some groups (``only``) and a few
with a group ``assigned``.

Groups: ``sizes = [4, 6]`` with ``count`` = teams / 5 (200 groups of 4 to 6
for 1,000 teams), ``similar = ["region"]``, ``mixed = ["organisation"]``.

Two schedulers each run in a fresh process, so that time and peak memory are
their own: ``solver`` (the library: ``load`` then ``solve``) and ``greedy``
(a fair first fit: teams in roster order into the first group with room whose
common slots stay non-empty, then per group the first slot and first coach
that fit). Both results are measured by the same independent checker
(tests/solve_checker.py) and the same quality measures. Then three coaches
lose Tuesday: the solver re-solves from its result, the greedy runs afresh,
and the sessions whose slot or coach changed are counted.

Run from the repository root::

    .venv/bin/python benchmarks/solve.py            # 1,000 teams, 200 groups, 50 coaches
    .venv/bin/python benchmarks/solve.py --small    # 100 teams, 20 groups, 5 coaches

It exits 1 when the solver's schedule breaks a hard constraint or no schedule
is found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parent.parent
# The checker lives with the tests; the benchmark measures with the very same code.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.solve_checker import (  # noqa: E402
    Booking,
    Hours,
    bookings,
    chosen_activities,
    staff_hours,
    team_hours,
    violations,
    zone,
)

from pe_schedule import Programme, load  # noqa: E402
from pe_schedule._internal.model.activity import Activity  # noqa: E402
from pe_schedule._internal.model.months import YearMonth  # noqa: E402
from pe_schedule._internal.model.roster import Roster, Staff  # noqa: E402
from pe_schedule._internal.model.solved import (  # noqa: E402
    Solved,
    SolvedGroup,
    SolvedSession,
    activity_ref,
)
from pe_schedule._internal.model.timing import DayRule  # noqa: E402

# -- the synthetic network ----------------------------------------------------------------------

#: Team zones and their shares, with the regions a team there may be in.
TEAM_ZONES = (
    ("America/New_York", 0.44, ("Northeast", "Southeast")),
    ("America/Chicago", 0.28, ("Midwest", "South")),
    ("America/Denver", 0.06, ("Mountain",)),
    ("America/Phoenix", 0.03, ("Mountain",)),
    ("America/Los_Angeles", 0.15, ("West",)),
    ("America/Anchorage", 0.02, ("Alaska and Hawaii",)),
    ("Pacific/Honolulu", 0.02, ("Alaska and Hawaii",)),
)
COACH_ZONES = (
    ("America/New_York", 0.4),
    ("America/Chicago", 0.3),
    ("America/Denver", 0.1),
    ("America/Los_Angeles", 0.2),
)
POPULATIONS = ("urban", "suburban", "rural")
ORGANISATIONS = ("hospital", "health system", "community clinic", "public health", "nonprofit")
SIZES = ("small", "medium", "large")
#: Working days, most often the usual ones.
HOURS = (("09:00-17:00", 0.7), ("08:00-16:00", 0.2), ("10:00-18:00", 0.1))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
#: The months of the activity and the call: every other month over 18 months.
MONTHS = "{ every = 2, from = 2, to = 18 }"
FIRST_MONTH = YearMonth(2025, 1)
ACTIVITY = "network/group-coaching"
#: The weekday three coaches lose for the "small change" measure.
LOST_DAY = 1


@attrs.frozen(kw_only=True)
class Network:
    """The size of a synthetic network."""

    teams: int
    coaches: int
    seed: int = 2025

    @property
    def groups(self) -> int:
        """How many coaching groups to form: five teams each on average."""
        return self.teams // 5


FULL = Network(teams=1000, coaches=50)
SMALL = Network(teams=100, coaches=5)


def _toml(value: object) -> str:
    """A TOML value (strings as JSON writes them, which TOML reads alike for this data)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, bool | int):
        return json.dumps(value)
    return json.dumps(str(value))


def _table(header: str, entries: dict[str, object]) -> str:
    lines = [header] + [f"{key} = {_toml(value)}" for key, value in entries.items()]
    return "\n".join(lines) + "\n"


def declaration(network: Network) -> str:
    """The declaration: the all-team call and the group coaching left to the scheduler."""
    return f"""\
[programme]
id = "solve-benchmark"
name = "Solve benchmark"
first_month = "{FIRST_MONTH}"
last_month = "{FIRST_MONTH + 17}"
timezone = "America/New_York"
roster = "network.roster.toml"
revised = 2024-09-01T00:00:00Z

[[cohorts]]
id = "network"
name = "Network"

[[cohorts.activities]]
id = "all-team"
name = "All-team call"
months = {MONTHS}

[cohorts.activities.timing]
day = "second Wednesday"
start = "15:00"
duration = "1h"

[[cohorts.activities]]
id = "group-coaching"
name = "Group coaching"
months = {MONTHS}
audience = "coaching-group"

[cohorts.activities.grouping]
sizes = [4, 6]
count = {network.groups}
similar = ["region"]
mixed = ["organisation"]
prefix = "cg"
name = "Coaching group {{n}}"

[cohorts.activities.timing]
day = ["second Tuesday", "second Wednesday", "second Thursday"]
start = {{ from = "11:00", to = "16:00", every = "30m" }}
duration = "1h"
"""


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(choices, weights=[choice[1] for choice in choices])[0]


def _session_dates(rng: random.Random, count: int) -> list[dt.date]:
    """``count`` distinct second Tuesdays, Wednesdays or Thursdays of the activity's months."""
    days: set[dt.date] = set()
    while len(days) < count:
        month = FIRST_MONTH + rng.randrange(1, 18, 2)
        second = 8 + (rng.choice((1, 2, 3)) - month.first_day.weekday()) % 7
        days.add(dt.date(month.year, month.month, second))
    return sorted(days)


def team_entry(rng: random.Random, number: int) -> dict[str, object]:
    """One team: its zone, hours, a rare day away and its attributes."""
    zone_name, _, regions = _weighted(rng, TEAM_ZONES)
    entry: dict[str, object] = {
        "id": f"t{number:04d}",
        "name": f"Team {number}",
        "cohort": "network",
        "timezone": zone_name,
    }
    hours = _weighted(rng, HOURS)[0]
    if hours != "09:00-17:00":
        entry["working_hours"] = hours
    if rng.random() < 0.05:
        entry["unavailable"] = _session_dates(rng, 1)
    entry["attributes"] = {
        "region": rng.choice(regions),
        "population": rng.choice(POPULATIONS),
        "organisation": rng.choice(ORGANISATIONS),
        "size": rng.choice(SIZES),
    }
    return entry


def coach_entry(rng: random.Random, number: int, network: Network) -> dict[str, object]:
    """One coach: zone, three to five working days (the first three work Tuesday), hours,
    a daily cap, a rare day away; every tenth leads only a block of groups, and two
    have a group assigned."""
    days = sorted(rng.sample(range(5), rng.randint(3, 5)))
    if number <= 3 and LOST_DAY not in days:
        days = sorted([*days[1:], LOST_DAY])
    entry: dict[str, object] = {
        "id": f"coach-{number:02d}",
        "name": f"Coach {number}",
        "role": "coach",
        "timezone": _weighted(rng, COACH_ZONES)[0],
        "working_hours": _weighted(rng, HOURS)[0],
        "working_days": [WEEKDAYS[day] for day in days],
        "max_per_day": rng.choice((2, 3)),
        "leads": [ACTIVITY],
    }
    if rng.random() < 0.1:
        entry["blackout"] = _session_dates(rng, 1)
    if number % 10 == 0:
        block = network.groups // 5
        first = (number // 10 - 1) % 5 * block
        entry["only"] = [f"cg-{n}" for n in range(first + 1, first + block + 1)]
    elif number in (4, 5):
        entry["assigned"] = [f"cg-{network.groups - number}"]
    return entry


def roster(network: Network) -> str:
    """The roster: the teams in a shuffled (not zone) order, then the coaches."""
    rng = random.Random(network.seed)
    parts = [
        _table(
            "",
            {
                "programme": "solve-benchmark",
                "working_hours": "09:00-17:00",
                "working_days": list(WEEKDAYS),
            },
        )
    ]
    parts += [_table("[[teams]]", team_entry(rng, n)) for n in range(1, network.teams + 1)]
    parts += [
        _table("[[staff]]", coach_entry(rng, n, network)) for n in range(1, network.coaches + 1)
    ]
    return "\n".join(parts)


def write_network(folder: Path, network: Network) -> Path:
    """Write the declaration and roster into ``folder``; the declaration's path."""
    path = folder / "network.toml"
    path.write_text(declaration(network), encoding="utf-8")
    (folder / "network.roster.toml").write_text(roster(network), encoding="utf-8")
    return path


# -- the greedy baseline ------------------------------------------------------------------------

Slot = tuple[DayRule, dt.time]
Span = tuple[dt.datetime, dt.datetime]


def slot_spans(programme: Programme, activity: Activity) -> dict[Slot, list[Span]]:
    """Every slot of the activity's choices, with its UTC spans over the activity's months."""
    timing = activity.timing
    assert timing is not None
    assert timing.choices is not None
    assert timing.duration is not None
    where = zone((timing.timezone or programme.timezone).name)
    spans: dict[Slot, list[Span]] = {}
    for day, start in timing.choices.slots():
        spans[day, start] = []
        for month in activity.months:
            date = day.resolve(month)
            if date is not None:
                begin = dt.datetime.combine(date, start, tzinfo=where).astimezone(dt.UTC)
                spans[day, start].append((begin, begin + timing.duration))
    return spans


def fitting(hours: Hours, busy: Sequence[Span], spans: dict[Slot, list[Span]]) -> frozenset[Slot]:
    """The slots whose every occurrence fits ``hours`` and overlaps nothing ``busy``."""
    return frozenset(
        slot
        for slot, occurrences in spans.items()
        if all(
            hours.problem(start, end) is None
            and not any(start < other_end and other_start < end for other_start, other_end in busy)
            for start, end in occurrences
        )
    )


def _fixed(programme: Programme) -> tuple[dict[str, list[Span]], dict[str, list[Span]]]:
    """What the declaration already fixes for each team and each coach (the obstacles)."""
    teams: dict[str, list[Span]] = defaultdict(list)
    coaches: dict[str, list[Span]] = defaultdict(list)
    booked: tuple[Booking, ...] = bookings(programme, Solved())
    for booking in booked:
        if not booking.decided:
            for team in booking.teams:
                teams[team].append((booking.start, booking.end))
            for coach in booking.coaches:
                coaches[coach].append((booking.start, booking.end))
    return teams, coaches


def first_fit(
    team_ids: Sequence[str], slots: dict[str, frozenset[Slot]], count: int | None, largest: int
) -> list[tuple[list[str], frozenset[Slot]]]:
    """Teams in order into the first group with room whose common slots stay non-empty.

    Room is a fair share (teams / count) while new groups may open, then up to
    ``largest``; a team that fits nowhere joins the smallest group.
    """
    room = math.ceil(len(team_ids) / count) if count else largest
    groups: list[tuple[list[str], frozenset[Slot]]] = []

    def fit(limit: int, mine: frozenset[Slot]) -> int | None:
        for index, (members, common) in enumerate(groups):
            if len(members) < limit and common & mine:
                return index
        return None

    for team in team_ids:
        mine = slots[team]
        index = fit(room, mine)
        if index is None and (count is None or len(groups) < count):
            groups.append(([team], mine))
            continue
        if index is None:
            index = fit(largest, mine)
        if index is None:
            index = min(range(len(groups)), key=lambda i: len(groups[i][0]))
        members, common = groups[index]
        groups[index] = ([*members, team], common & mine)
    return groups


@attrs.define
class _Coaches:
    """Which coach is free when, as the greedy hands out sessions (internal)."""

    staff: Sequence[Staff]
    slots: dict[str, frozenset[Slot]]
    duration: dt.timedelta
    taken: dict[str, list[Slot]] = attrs.Factory(lambda: defaultdict(list))

    def free(self, member: Staff, slot: Slot) -> bool:
        """Whether ``member`` can lead at ``slot``: working then, under their cap, not busy."""
        mine = self.taken[member.id]
        if slot not in self.slots[member.id]:
            return False
        if (
            member.max_per_day is not None
            and sum(d == slot[0] for d, _ in mine) >= member.max_per_day
        ):
            return False
        minutes = self.duration.total_seconds() / 60
        return not any(
            d == slot[0] and abs(_minutes(s) - _minutes(slot[1])) < minutes for d, s in mine
        )

    def pick(
        self, ref: str, group: str, common: frozenset[Slot], order: Sequence[Slot]
    ) -> tuple[Slot, str | None]:
        """The first slot and first coach that fit; when none does, the first common slot and
        the first coach allowed to lead the group, though busy (the checker counts it)."""
        owner = next((m.id for m in self.staff if group in m.assigned and ref in m.leads), None)
        able = [m for m in self.staff if m.may_lead(ref, group) and owner in (None, m.id)]
        for slot in (s for s in order if s in common):
            for member in able:
                if self.free(member, slot):
                    self.taken[member.id].append(slot)
                    return slot, member.id
        fallback = next((s for s in order if s in common), order[0])
        return fallback, able[0].id if able else None


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def greedy(programme: Programme) -> Solved:
    """The greedy baseline's decisions for every grouped activity with choices."""
    roster = programme.roster
    assert roster is not None
    fixed_teams, fixed_coaches = _fixed(programme)
    groups: list[SolvedGroup] = []
    sessions: list[SolvedSession] = []
    for cohort, activity in chosen_activities(programme):
        grouping, timing = activity.grouping, activity.timing
        if grouping is None or timing is None or timing.duration is None:
            continue
        ref = activity_ref(cohort.id, activity.id)
        spans = slot_spans(programme, activity)
        team_ids = [team.id for team in roster.teams_of(cohort.id)]
        slots = {t: fitting(team_hours(roster, t), fixed_teams[t], spans) for t in team_ids}
        coaches = _Coaches(
            staff=roster.staff,
            slots={
                m.id: fitting(staff_hours(roster, m), fixed_coaches[m.id], spans)
                for m in roster.staff
            },
            duration=timing.duration,
        )
        formed = first_fit(team_ids, slots, grouping.count, grouping.largest)
        numbered = [
            (grouping.group_id(n), members, common) for n, (members, common) in enumerate(formed, 1)
        ]
        for number, (group_id, members, _) in enumerate(numbered, start=1):
            name = grouping.group_name(number)
            groups.append(SolvedGroup(activity=ref, id=group_id, name=name, teams=tuple(members)))
        # Groups with an assigned coach first: they have one coach to fit, the others many.
        assigned = {session for member in roster.staff for session in member.assigned}
        for group_id, _, common in sorted(numbered, key=lambda g: g[0] not in assigned):
            (day, start), coach = coaches.pick(ref, group_id, common, list(spans))
            sessions.append(
                SolvedSession(activity=ref, session=group_id, day=day, start=start, coach=coach)
            )
    return Solved(groups=tuple(groups), sessions=tuple(sorted(sessions, key=_number)))


def _number(session: SolvedSession) -> tuple[str, int]:
    """Sessions in group-number order, as the solver lists them."""
    prefix, _, number = (session.session or "").rpartition("-")
    return (prefix, int(number) if number.isdigit() else 0)


# -- the measures -------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def balance(programme: Programme, solved: Solved) -> dict[str, float]:
    """Distinct values of each ``similar`` attribute per group (1 is best), and how far each
    group's ``mixed`` values exceed their fair share of it (0 is best), both means over groups."""
    roster = programme.roster
    assert roster is not None
    similar: list[float] = []
    excess: list[float] = []
    for cohort, activity in chosen_activities(programme):
        grouping = activity.grouping
        if grouping is None:
            continue
        teams = roster.teams_of(cohort.id)
        ref = activity_ref(cohort.id, activity.id)
        for group in (g for g in solved.groups if g.activity == ref):
            members = [roster.team(t) for t in group.teams]
            for name in grouping.similar:
                similar.append(len({team.attribute(name) for team in members}))
            for name in grouping.mixed:
                share = Counter(team.attribute(name) for team in teams)
                here = Counter(team.attribute(name) for team in members)
                fair = {v: math.ceil(len(members) * n / len(teams)) for v, n in share.items()}
                excess.append(sum(max(0, n - fair[v]) for v, n in here.items()))
    return {"similar": _mean(similar), "mixed": _mean(excess)}


def comfort(roster: Roster, calendar: Sequence[Booking]) -> dict[str, float]:
    """Mean time-zone spread of a group's session (hours between its teams' UTC offsets on
    the day) and mean minutes between a session's middle and each taker's mid-day."""
    spread: list[float] = []
    away: list[float] = []
    staff = {member.id: staff_hours(roster, member) for member in roster.staff}
    for booking in (b for b in calendar if b.decided):
        teams = [team_hours(roster, t) for t in booking.teams]
        hours = [_offset_hours(booking.start, team.zone) for team in teams]
        spread.append(max(hours) - min(hours) if hours else 0.0)
        middle = booking.start + (booking.end - booking.start) / 2
        for who in [*teams, *(staff[c] for c in booking.coaches if c in staff)]:
            local = middle.astimezone(zone(who.zone))
            away.append(abs(local.hour * 60 + local.minute - (who.start + who.end) / 2))
    return {"spread": _mean(spread), "comfort": _mean(away)}


def _offset_hours(moment: dt.datetime, name: str) -> float:
    offset = moment.astimezone(zone(name)).utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


def coach_load(programme: Programme, solved: Solved) -> int:
    """Max minus min sessions per coach, over every coach who leads a scheduled activity."""
    roster = programme.roster
    assert roster is not None
    refs = {activity_ref(c.id, a.id) for c, a in chosen_activities(programme)}
    load = Counter(s.coach for s in solved.sessions if s.coach is not None)
    counts = [load[m.id] for m in roster.staff if refs & set(m.leads)]
    return max(counts) - min(counts) if counts else 0


def quality(programme: Programme, solved: Solved) -> dict[str, Any]:
    """Every measure of one schedule: broken constraints first, then its quality."""
    roster = programme.roster
    assert roster is not None
    broken = violations(programme, solved)
    return {
        "violations": len(broken),
        "examples": broken[:5],
        "groups": len(solved.groups),
        "sessions": len(solved.sessions),
        **balance(programme, solved),
        **comfort(roster, bookings(programme, solved)),
        "coach_load": coach_load(programme, solved),
    }


def lose_day(programme: Programme) -> Programme:
    """``programme`` with the first three coaches who work on :data:`LOST_DAY` no longer doing so."""
    roster = programme.roster
    assert roster is not None
    staff = list(roster.staff)
    changed = 0
    for index, member in enumerate(staff):
        days = member.working_days if member.working_days is not None else roster.working_days
        if changed < 3 and LOST_DAY in days:
            staff[index] = attrs.evolve(member, working_days=days - {LOST_DAY})
            changed += 1
    return attrs.evolve(programme, roster=attrs.evolve(roster, staff=tuple(staff)))


def moved(before: Solved, after: Solved) -> dict[str, float]:
    """How many sessions changed slot or coach (as a share), and how many teams changed group."""
    now = {s.key: (s.day, s.start, s.coach) for s in after.sessions}
    changed = sum(now.get(s.key) != (s.day, s.start, s.coach) for s in before.sessions)
    groups = {(g.activity, t): g.id for g in after.groups for t in g.teams}
    regrouped = sum(groups.get((g.activity, t)) != g.id for g in before.groups for t in g.teams)
    share = 100 * changed / len(before.sessions) if before.sessions else 0.0
    return {"moved": share, "moved_sessions": changed, "regrouped": regrouped}


# -- one measured run, in its own process -------------------------------------------------------


def schedule(phase: str, programme: Programme, previous: Solved | None, effort: float) -> Solved:
    """The decisions of ``phase``: the library's solver, or the greedy afresh."""
    if phase == "greedy":
        return greedy(programme)
    from pe_schedule._internal.solve import solve

    return solve(programme, previous=previous, effort=effort).solved


def _peak_mb() -> float:
    """The process's peak resident memory so far, in MB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(phase: str, path: Path, effort: float) -> dict[str, Any]:
    """Schedule the network at ``path`` with ``phase``, measure it, then the small change."""
    from pe_schedule.exceptions import Unsolvable

    started = time.perf_counter()
    programme = load(path)
    result: dict[str, Any] = {"phase": phase, "load_seconds": time.perf_counter() - started}
    result["loaded_mb"] = _peak_mb()
    started = time.perf_counter()
    try:
        solved = schedule(phase, programme, None, effort)
    except Unsolvable as error:
        result.update(seconds=time.perf_counter() - started, peak_mb=_peak_mb())
        return {**result, "unsolvable": [str(c) for c in error.conflicts][:5] or [str(error)]}
    result.update(seconds=time.perf_counter() - started, peak_mb=_peak_mb())
    result.update(quality(programme, solved))
    changed = lose_day(programme)
    started = time.perf_counter()
    try:
        again = schedule(phase, changed, solved, effort)
    except Unsolvable as error:
        return {**result, "unsolvable_after_change": [str(c) for c in error.conflicts][:5]}
    result["change_seconds"] = time.perf_counter() - started
    result["change_violations"] = len(violations(changed, again, solved))
    result.update(moved(solved, again))
    return result


def _child(phase: str, path: Path, effort: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--declaration", str(path)]
    command += ["--effort", str(effort)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"phase": phase, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    data: dict[str, Any] = json.loads(done.stdout)
    return data


# -- the report ---------------------------------------------------------------------------------

#: The table's rows: the measure, its key in a run's results and how to show it.
ROWS = (
    ("wall time to schedule, s (goal: under 60)", "seconds", "{:.1f}"),
    ("peak memory of the process, MB (goal: under 500)", "peak_mb", "{:.0f}"),
    (
        "of which before scheduling (Python, the library, the loaded network), MB",
        "loaded_mb",
        "{:.0f}",
    ),
    (
        "hard-constraint violations, each occurrence counted (must be 0 for the solver)",
        "violations",
        "{}",
    ),
    ("groups formed", "groups", "{}"),
    ("regions per group, mean (similar; 1 is best)", "similar", "{:.2f}"),
    ("organisations over fair share per group, mean (mixed; 0 is best)", "mixed", "{:.2f}"),
    ("time-zone spread inside a group (largest UTC-offset gap), mean hours", "spread", "{:.2f}"),
    ("distance from the middle of everyone's working day, mean minutes", "comfort", "{:.0f}"),
    ("coach load spread, max - min sessions", "coach_load", "{}"),
    ("sessions moved when three coaches lose Tuesday, % (goal: under 5)", "moved", "{:.1f}"),
    ("sessions moved by that change", "moved_sessions", "{}"),
    ("teams regrouped by that change", "regrouped", "{}"),
    ("hard-constraint violations after that change", "change_violations", "{}"),
    ("wall time of that re-solve, s", "change_seconds", "{:.1f}"),
)


def _cell(run: dict[str, Any], key: str, form: str) -> str:
    if key in run:
        return form.format(run[key])
    if "error" in run:
        return "failed"
    if "unsolvable" in run or "unsolvable_after_change" in run:
        return "unsolvable"
    return "-"


def report(network: Network, runs: dict[str, dict[str, Any]]) -> str:
    """The markdown table: measure | solver | greedy, and any failure underneath."""
    lines = [
        (
            f"Synthetic network: {network.teams} teams, {network.groups} groups (sizes 4-6), "
            f"{network.coaches} coaches, 18 months (seed {network.seed})."
        ),
        "",
        "| measure | solver | greedy |",
        "|---|---:|---:|",
    ]
    for label, key, form in ROWS:
        lines.append(
            f"| {label} | {_cell(runs['solver'], key, form)} | {_cell(runs['greedy'], key, form)} |"
        )
    for phase, run in runs.items():
        for key in ("error", "unsolvable", "unsolvable_after_change", "examples"):
            for line in run.get(key) or ():
                lines.append(f"{phase} {key}: {line}")
    return "\n".join(lines)


def solver_ok(run: dict[str, Any]) -> bool:
    """Whether the solver found a schedule that breaks no hard constraint, before and after."""
    return run.get("violations") == 0 and run.get("change_violations") == 0


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the network, run both schedulers and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--small", action="store_true", help="100 teams, 20 groups, 5 coaches")
    parser.add_argument("--teams", type=int, default=FULL.teams)
    parser.add_argument("--coaches", type=int, default=FULL.coaches)
    parser.add_argument("--seed", type=int, default=FULL.seed)
    parser.add_argument("--effort", type=float, default=1.0, help="the solver's effort")
    parser.add_argument("--phase", choices=["solver", "greedy"], help=argparse.SUPPRESS)
    parser.add_argument("--declaration", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.declaration, args.effort)))
        return 0
    network = Network(teams=args.teams, coaches=args.coaches, seed=args.seed)
    if args.small:
        network = attrs.evolve(SMALL, seed=args.seed)
    with tempfile.TemporaryDirectory() as folder:
        path = write_network(Path(folder), network)
        runs = {phase: _child(phase, path, args.effort) for phase in ("solver", "greedy")}
    print(report(network, runs))
    return 0 if solver_ok(runs["solver"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
