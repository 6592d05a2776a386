"""Benchmark: building every feed of a large network, against a naive and a hand-written writer.

Times ``pe-schedule build`` of the reference programme as a process, then
builds a synthetic network (default 2,000 teams of 7 people: 14,000 personal
feeds) made of the reference declaration and a generated roster, three ways,
each in a fresh process so that its peak memory is its own:

- ``cached``: pe_schedule's writer (each distinct event serialised once with
  icalendar, every feed assembled from the cached bytes);
- ``naive``: icalendar building one Calendar per feed and serialising every
  event afresh, on every tenth feed (compared per event written);
- ``hand``: a minimal hand-written RFC 5545 writer (same properties, escaping,
  folding), writing every event afresh: the practical lower bound.

Each writer produces every feed's bytes (feeds only, not the index files);
``cached`` also writes the folder with publish(), timed separately. Expanding
the programme into events is timed apart: it is the same input for all three.
Run from the repository root:

    .venv/bin/python benchmarks/build_feeds.py [--teams 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import icalendar

from pe_schedule import (
    AudienceKind,
    Event,
    Feed,
    Group,
    Person,
    Programme,
    Role,
    Roster,
    Span,
    Team,
    Timed,
    Zone,
)
from pe_schedule._internal.declaration import load as declaration
from pe_schedule._internal.publish.components import calendar
from pe_schedule._internal.publish.feeds import organizer_of, plan, render
from pe_schedule._internal.publish.files import publish
from pe_schedule._internal.publish.ical import (
    Organizer,
    category_items,
    clean_text,
    escape_text,
    fold,
)
from pe_schedule._internal.publish.ical import zone_years as years_of
from pe_schedule._internal.publish.vtimezone import vtimezone_bytes
from pe_schedule._internal.schedule import expand

ROOT = Path(__file__).parent.parent
REFERENCE = ROOT / "calendars" / "pursuing-equity-2023-2024.toml"
KEY = b"benchmark key, not a secret at all"
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
PEOPLE_PER_TEAM = 7


def synthetic(programme: Programme, teams: int) -> Programme:
    """The reference programme with ``teams`` teams of 7; four in five in the Learning Network."""
    groups = [
        Group(id="people-of-colour", name="People of colour", kind=AudienceKind.AFFINITY_GROUP),
        Group(id="white", name="White participants", kind=AudienceKind.AFFINITY_GROUP),
    ]
    team_list: list[Team] = []
    people: list[Person] = []
    for number in range(teams):
        learning = number % 5 != 4
        coaching = f"ln-coaching-{number // 25 + 1}" if learning else None
        if coaching and number % 25 == 0:
            groups.append(Group(id=coaching, name=coaching, kind=AudienceKind.COACHING_GROUP))
        team = Team(
            id=f"t{number:04d}",
            name=f"Team {number}",
            cohort="learning-network" if learning else "action-community",
            coaching_group=coaching,
            timezone=Zone(ZONES[number % len(ZONES)]),
        )
        team_list.append(team)
        for seat in range(PEOPLE_PER_TEAM):
            roles = {0: Role.SENIOR_LEADER, 1: Role.ALTERNATE_SENIOR_LEADER}
            people.append(
                Person(
                    id=f"{team.id}-p{seat}",
                    name=f"Person {number}.{seat}",
                    team=team.id,
                    role=roles.get(seat, Role.MEMBER),
                    affinity_group=None if learning else ("people-of-colour", "white")[seat % 2],
                )
            )
    roster = Roster(
        teams=tuple(team_list), people=tuple(people), groups=tuple(groups), programme=programme.id
    )
    return attrs.evolve(programme, roster=roster)


# -- the hand-written lower bound ---------------------------------------------------------------


def _text(name: str, value: str) -> str:
    return fold(f"{name}:{escape_text(clean_text(value))}").decode("utf-8") + "\r\n"


def _when(name: str, span: Span, end: bool) -> str:
    if isinstance(span, Timed):
        value = span.end if end else span.start
        return f"{name};TZID={span.zone}:{value.astimezone(span.zone.tzinfo):%Y%m%dT%H%M%S}\r\n"
    return f"{name};VALUE=DATE:{span.end if end else span.start:%Y%m%d}\r\n"


def _duration(before: dt.timedelta) -> str:
    minutes = int(before.total_seconds()) // 60
    return f"-PT{minutes}M" if minutes % 1440 else f"-P{minutes // 1440}D"


def hand_event(event: Event, organizer: Organizer) -> str:
    """One VEVENT written by hand, with the same properties as pe_schedule's."""
    stamp = f"{event.revised:%Y%m%dT%H%M%SZ}"
    parts = [
        "BEGIN:VEVENT\r\n",
        _text("SUMMARY", event.summary),
        _when("DTSTART", event.span, end=False),
        _when("DTEND", event.span, end=True),
        f"DTSTAMP:{stamp}\r\n",
        _text("UID", event.uid),
        f"SEQUENCE:{event.sequence}\r\n",
        fold(
            "CATEGORIES:"
            + ",".join(escape_text(c) for c in category_items(event.categories) or [event.activity])
        ).decode("utf-8")
        + "\r\n",
        f"LAST-MODIFIED:{stamp}\r\n",
        fold(f'ORGANIZER;CN="{organizer.name}":{organizer.address}').decode("utf-8") + "\r\n",
        f"STATUS:{event.status.value}\r\n",
        f"TRANSP:{'OPAQUE' if event.busy else 'TRANSPARENT'}\r\n",
    ]
    if event.description:
        parts.append(_text("DESCRIPTION", event.description))
    if event.location:
        parts.append(_text("LOCATION", event.location))
    if event.url:
        parts.append(fold(f"URL:{event.url}").decode("utf-8") + "\r\n")
    for before in event.alarms:
        parts += ["BEGIN:VALARM\r\n", "ACTION:DISPLAY\r\n", _text("DESCRIPTION", event.summary)]
        parts += [f"TRIGGER:{_duration(before)}\r\n", "END:VALARM\r\n"]
    parts.append("END:VEVENT\r\n")
    return "".join(parts)


def hand_feed(
    feed: Feed, events: Sequence[Event], organizer: Organizer, years: dict[str, tuple[int, int]]
) -> bytes:
    """A whole feed written by hand (VTIMEZONEs reused: they are not per event)."""
    head = [
        "BEGIN:VCALENDAR\r\n",
        "VERSION:2.0\r\n",
        "PRODID:-//pe_schedule//hand-written benchmark//EN\r\n",
        "CALSCALE:GREGORIAN\r\n",
        "METHOD:PUBLISH\r\n",
        _text("NAME", feed.title),
        _text("X-WR-CALNAME", feed.title),
        _text("DESCRIPTION", feed.description),
        _text("X-WR-CALDESC", feed.description),
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n",
        "X-PUBLISHED-TTL:PT12H\r\n",
    ]
    ordered = sorted(events, key=lambda event: event.sort_key)
    zones = sorted({e.span.zone.name for e in ordered if isinstance(e.span, Timed)})
    body = [vtimezone_bytes(name, *years[name]).decode("utf-8") for name in zones]
    body += [hand_event(event, organizer) for event in ordered]
    return "".join([*head, *body, "END:VCALENDAR\r\n"]).encode("utf-8")


# -- one measured run, in its own process -------------------------------------------------------


def _selections(programme: Programme, events: Sequence[Event]) -> list[tuple[Feed, list[Event]]]:
    feed_plan = plan(programme, events, programme.roster, key=KEY)
    return [(feed, [e for e in events if feed.selects(e)]) for feed in feed_plan.feeds]


def _fast_selections(
    programme: Programme, events: Sequence[Event]
) -> list[tuple[Feed, list[Event]]]:
    by_target: dict[Any, list[Event]] = {}
    for event in events:
        by_target.setdefault(event.target, []).append(event)
    result = []
    for feed in plan(programme, events, programme.roster, key=KEY).feeds:
        if feed.everything or feed.cohorts:
            result.append((feed, [e for e in events if feed.selects(e)]))
        else:
            result.append((feed, [e for t in feed.targets for e in by_target.get(t, ())]))
    return result


def run_phase(phase: str, teams: int) -> dict[str, Any]:
    """Run one writer over the synthetic network; return its measurements."""
    programme = synthetic(declaration.load(REFERENCE), teams)
    started = time.perf_counter()
    events = expand.events(programme)
    expanded = time.perf_counter() - started
    organizer = organizer_of(programme)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {"phase": phase, "teams": teams, "expand_seconds": expanded}
    result["distinct_events"] = len(events)
    if phase == "cached":
        started = time.perf_counter()
        feeds = entries = size = 0
        for rendered in render(programme, plan(programme, events, programme.roster, key=KEY).feeds,
                               events):  # fmt: skip
            if rendered.events is not None:
                feeds += 1
                entries += rendered.events
            size += len(rendered.data)
        result["seconds"] = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            feed_plan = plan(programme, events, programme.roster, key=KEY)
            publish(((r.name, r.data) for r in render(programme, feed_plan.feeds, events)),
                    Path(folder) / "feeds")  # fmt: skip
            result["seconds_with_disk"] = time.perf_counter() - started
    else:
        selections = _fast_selections(programme, events)
        years = years_of(events)
        if phase == "naive":
            selections = selections[::10]
        started = time.perf_counter()
        feeds = entries = size = 0
        for feed, chosen in selections:
            if phase == "naive":
                data = calendar(chosen, feed.info(), organizer).to_ical()
            else:
                data = hand_feed(feed, chosen, organizer, years)
            feeds += 1
            entries += len(chosen)
            size += len(data)
        result["seconds"] = time.perf_counter() - started
    result.update(feeds=feeds, entries=entries, megabytes=size / 1e6)
    result["events_per_second"] = entries / result["seconds"]
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_mb_before_writing"] = rss_before
    return result


def check_hand_writer() -> None:
    """The hand-written writer's feeds read as the same events as pe_schedule's."""
    programme = declaration.load(REFERENCE)
    events = expand.events(programme)
    organizer = organizer_of(programme)
    for feed, chosen in _selections(programme, events)[:6]:
        hand = icalendar.Calendar.from_ical(hand_feed(feed, chosen, organizer, years_of(events)))
        ours = icalendar.Calendar.from_ical(calendar(chosen, feed.info(), organizer).to_ical())

        def seen(cal: icalendar.Calendar) -> set[tuple[str, Any, Any, str]]:
            return {(e.uid, e.start, e.end, e.summary) for e in cal.events}

        assert seen(hand) == seen(ours), feed.file


def _child(phase: str, teams: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--teams", str(teams)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    data: dict[str, Any] = json.loads(output)
    return data


def _reference_process_seconds() -> float:
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "pe_schedule", "build", str(REFERENCE), "--out",
                   str(Path(folder) / "feeds")]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=2000)
    parser.add_argument("--phase", choices=["cached", "naive", "hand"])
    args = parser.parse_args(argv)
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.teams)))
        return 0
    check_hand_writer()
    print(f"reference build as a process: {_reference_process_seconds():.2f} s")
    runs: dict[str, dict[str, Any]] = {
        p: _child(p, args.teams) for p in ("cached", "hand", "naive")
    }
    print(f"synthetic network: {args.teams} teams, {runs['cached']['feeds']} feeds, "
          f"{runs['cached']['distinct_events']} distinct events, "
          f"expanded in {runs['cached']['expand_seconds']:.1f} s (not counted below)")  # fmt: skip
    print(f"{'writer':8} {'feeds':>6} {'entries':>8} {'seconds':>8} {'events/s':>9} {'peak MB':>8}")
    for name, run in runs.items():
        print(f"{name:8} {run['feeds']:>6} {run['entries']:>8} {run['seconds']:>8.2f} "
              f"{run['events_per_second']:>9.0f} {run['peak_mb']:>8.0f}")  # fmt: skip
    cached, hand, naive = runs["cached"], runs["hand"], runs["naive"]
    print(f"cached with writing the folder to disk: {cached['seconds_with_disk']:.2f} s")
    speed_up = cached["events_per_second"] / naive["events_per_second"]
    print(f"cached vs naive (per event written): {speed_up:.1f}x faster (target >= 20x)")
    print(f"cached vs hand-written: {cached['seconds'] / hand['seconds']:.2f}x the time "
          "(target <= 2x)")  # fmt: skip
    scaling = [_child("cached", args.teams * share // 4) for share in (1, 2)] + [cached]
    print("linearity (cached): " + ", ".join(
        f"{run['feeds']} feeds {run['seconds']:.2f} s ({1e3 * run['seconds'] / run['feeds']:.2f} ms/feed)"
        for run in scaling))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
