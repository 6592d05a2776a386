"""Benchmark: pe_schedule's feed writer against a fair, byte-identical baseline.

Times ``pe-schedule build`` of the reference programme as a process, then, for
each size asked for (default 500, 1,000 and 2,000 teams of 7 people: about
4,000, 8,000 and 16,000 feeds), builds a synthetic network made of the
reference declaration and a generated roster, and writes every feed of it in
separate processes, so that each phase's peak memory is its own:

- ``verify``: writes every feed with pe_schedule and with the baseline and
  compares them byte for byte, every feed of the run, not a sample. The first
  difference (feed file, line number, both lines) stops the benchmark with a
  non-zero exit: the timings are only worth reading if the two write the same.
- ``project``: pe_schedule's writer, ``render()`` from the feed plan (each
  distinct event serialised once, feeds assembled from the cached bytes).
  Only the feeds are timed, not the ``feeds.json`` index after them; writing
  the whole folder to disk with ``publish()`` is timed separately.
- ``baseline``: a fair hand-written writer, the :class:`FairWriter` below:
  the same bytes as the project, made the way a careful person would write
  them by hand: constant lines precomputed, dates formatted from integers,
  only lines longer than 75 octets folded, each distinct event serialised
  (zone conversion, escaping, folding) once and its bytes reused in every
  feed, the VCALENDAR header made once per distinct title and description.
  The issue's goal is the project within 1.5 times the baseline's time.
- ``naive``: icalendar building one Calendar per feed and serialising every
  event afresh, on every tenth feed (compared per event written).

Expanding the programme into events and planning its feeds (file names,
audiences) are the same input for every writer and are not timed; choosing
each feed's events is, in both the project and the baseline. Each writer runs
``--repeat`` times in its process and the best time counts, since a busy
machine only ever makes a run slower.

Run from the repository root:

    .venv/bin/python benchmarks/build_feeds.py [--teams 500 1000 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

import attrs

from pe_schedule import (
    AudienceKind,
    Event,
    Feed,
    Group,
    Person,
    Programme,
    Role,
    Roster,
    Target,
    Team,
    Timed,
    Zone,
)
from pe_schedule._internal.declaration import load as declaration
from pe_schedule._internal.publish.components import calendar
from pe_schedule._internal.publish.feeds import organizer_of, plan, render
from pe_schedule._internal.publish.files import publish
from pe_schedule._internal.publish.ical import Organizer
from pe_schedule._internal.publish.vtimezone import vtimezone_bytes
from pe_schedule._internal.schedule import expand

ROOT = Path(__file__).parent.parent
REFERENCE = ROOT / "calendars" / "pursuing-equity-2023-2024.toml"
KEY = b"benchmark key, not a secret at all"
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
PEOPLE_PER_TEAM = 7
SIZES = (500, 1000, 2000)
#: The issue's goals: the project's time against the baseline's, and against icalendar.
GOAL_BASELINE = 1.5
GOAL_NAIVE = 20.0


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


# -- the fair baseline ---------------------------------------------------------------------------

_CRLF = b"\r\n"
_HEAD = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pe_schedule//pe-schedule//EN\r\n"
    b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
)
# Every feed is re-fetched every 12 hours (the project's default).
_REFRESH = b"REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\nX-PUBLISHED-TTL:PT12H\r\n"
_FOOTER = b"END:VCALENDAR\r\n"
_BEGIN_EVENT = b"BEGIN:VEVENT\r\n"
_END_EVENT = b"END:VEVENT\r\n"
_ALARM_HEAD = b"BEGIN:VALARM\r\nACTION:DISPLAY\r\n"
_ALARM_TAIL = b"END:VALARM\r\n"
_TRANSP = {True: b"TRANSP:OPAQUE\r\n", False: b"TRANSP:TRANSPARENT\r\n"}
# A content line of 75 octets or more is folded into pieces of at most 74.
_LONG = 75
# Text needing any work at all: control characters (line breaks included), lone
# surrogates, byte-order marks, and the characters TEXT escapes.
_UNPLAIN = re.compile("[\x00-\x1f\x7f\\\\;,\ud800-\udfff\ufeff]")
# What TEXT cannot carry and is dropped (HTAB stays; line breaks were made LF first).
_UNCARRIED = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufeff]")
_URI_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
# A CN parameter value is quoted when it has any of these.
_CN_QUOTED = re.compile("[ ',;:\u2019]")
_BACKSLASH, _CARET = ord("\\"), ord("^")


def _clean(text: str) -> str:
    return _UNCARRIED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def text_value(text: str) -> str:
    r"""``text`` as a TEXT value: line breaks as ``\n``, ``\ ; ,`` escaped, controls dropped."""
    if _UNPLAIN.search(text) is None:
        return text
    text = _clean(text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def content_line(line: str) -> bytes:
    """One content line as UTF-8 with its CRLF, folded when it is 75 octets or longer.

    A fold never splits a UTF-8 character, nor separates a backslash or a caret
    from the character after it (so no reader sees an escape cut in two).
    """
    data = line.encode("utf-8")
    size = len(data)
    if size < _LONG:
        return data + _CRLF
    pieces: list[bytes] = []
    start = 0
    while size - start >= _LONG:
        cut = start + _LONG - 1
        while data[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        if data[cut - 1] in (_BACKSLASH, _CARET) and cut - start > 1:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + _CRLF


def _day(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _moment(moment: dt.datetime) -> str:
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


def trigger(before: dt.timedelta) -> str:
    """The TRIGGER value of an alarm ``before`` the start (a negative DURATION).

    >>> trigger(dt.timedelta(minutes=15)), trigger(dt.timedelta(days=1)), trigger(dt.timedelta())
    ('-PT15M', '-P1D', 'P0D')
    """
    sign, span = ("-", before) if before > dt.timedelta(0) else ("", -before)
    hours, rest = divmod(span.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = ""
    if span.seconds:
        clock = "T" + (f"{hours}H" if hours else "")
        clock += f"{minutes}M" if minutes or (hours and seconds) else ""
        clock += f"{seconds}S" if seconds else ""
    if span.days == 0 and clock:
        return f"{sign}P{clock}"
    return f"{sign}P{span.days}D{clock}"


def organizer_line(organizer: Organizer) -> bytes:
    """The ORGANIZER line: CN quoted when needed, RFC 6868 escapes, the URI percent-encoded."""
    name = _clean(organizer.name).replace("\n", " ")
    quoted = _CN_QUOTED.search(name) is not None
    name = name.replace("^", "^^").replace('"', "^'")
    if quoted:
        name = f'"{name}"'
    address = urllib.parse.quote(organizer.address, safe=_URI_SAFE)
    return content_line(f"ORGANIZER;CN={name}:{address}")


#: A serialised event: its feed order, its bytes, and its zone (``None`` if all-day).
_Entry = tuple[tuple[str, str], bytes, str | None]


class FairWriter:
    """Writes a folder's feeds by hand: the project's bytes, made with the project's care.

    Shared with pe_schedule, because the baseline must write the same feeds
    and the project has no public way to get them: the feed plan (which feeds
    there are, their titles and descriptions), the programme's organizer
    (``organizer_of``), and the VTIMEZONE blocks (``vtimezone_bytes``: derived
    from the tz database by a cached function both writers call, once per zone
    of the folder). Everything written per event and per feed
    (text escaping, folding, dates, properties, header, which events go in
    which feed, their order) is this class's own code.

    All events are serialised up front, once each, as the project's cache does
    lazily (every event is in the programme's feed, so the work is the same);
    that pass also finds the years each zone's VTIMEZONE covers, for the whole
    folder alike.
    """

    def __init__(self, events: Sequence[Event], organizer: Organizer) -> None:
        self._organizer = organizer_line(organizer)
        self._triggers: dict[dt.timedelta, bytes] = {}
        self._headers: dict[tuple[str, str], bytes] = {}
        self._entries: dict[str, tuple[Event, _Entry]] = {}
        self._years: dict[str, tuple[int, int]] = {}
        self._events = events
        self._by_target: dict[Target, list[Event]] = {}
        self._by_cohort: dict[str, list[Event]] = {}
        self._by_leader: dict[str, list[Event]] = {}
        # Whether some event is filed under several targets (one cohorts share).
        self._shared = False
        for event in events:
            self._add(event)
            reached = event.target.audiences
            self._shared = self._shared or len(reached) > 1
            for target in reached:
                self._by_target.setdefault(target, []).append(event)
            if event.cohort is not None:
                self._by_cohort.setdefault(event.cohort, []).append(event)
            for leader in event.leaders:
                self._by_leader.setdefault(leader, []).append(event)
        self._zones = {name: vtimezone_bytes(name, *years) for name, years in self._years.items()}

    def _trigger(self, before: dt.timedelta) -> bytes:
        data = self._triggers.get(before)
        if data is None:
            data = self._triggers[before] = f"TRIGGER:{trigger(before)}\r\n".encode()
        return data

    def _add(self, event: Event) -> None:
        known = self._entries.get(event.uid)
        if known is not None:
            if known[0] is not event and known[0] != event:
                raise ValueError(f"two different events with the uid {event.uid!r}")
            return
        span = event.span
        zone: str | None = None
        if isinstance(span, Timed):
            tz = span.zone.tzinfo
            start, end = span.start.astimezone(tz), span.end.astimezone(tz)
            zone = span.zone.name
            low, high = self._years.get(zone, (start.year, end.year))
            self._years[zone] = (min(low, start.year), max(high, end.year))
            if zone == "UTC":
                when = f"DTSTART:{_moment(start)}Z\r\nDTEND:{_moment(end)}Z\r\n"
            else:
                # An IANA name has no character a parameter value quotes, and the
                # longest makes a line well under 75 octets: nothing to fold.
                when = (
                    f"DTSTART;TZID={zone}:{_moment(start)}\r\nDTEND;TZID={zone}:{_moment(end)}\r\n"
                )
        else:
            when = f"DTSTART;VALUE=DATE:{_day(span.start)}\r\nDTEND;VALUE=DATE:{_day(span.end)}\r\n"
        revised = _moment(event.revised)
        summary = text_value(event.summary)
        items = [part for item in event.categories for part in _clean(item).split(",") if part]
        parts = [
            _BEGIN_EVENT,
            content_line(f"SUMMARY:{summary}"),
            when.encode(),
            f"DTSTAMP:{revised}Z\r\n".encode(),
            content_line(f"UID:{text_value(event.uid)}"),
            f"SEQUENCE:{event.sequence}\r\n".encode(),
            content_line("CATEGORIES:" + ",".join(map(text_value, items or [event.activity]))),
        ]
        if event.description:
            parts.append(content_line(f"DESCRIPTION:{text_value(event.description)}"))
        parts.append(f"LAST-MODIFIED:{revised}Z\r\n".encode())
        if event.location:
            parts.append(content_line(f"LOCATION:{text_value(event.location)}"))
        parts += [self._organizer, f"STATUS:{event.status.value}\r\n".encode(), _TRANSP[event.busy]]
        if event.url:
            parts.append(content_line("URL:" + urllib.parse.quote(event.url, safe=_URI_SAFE)))
        if event.alarms:
            alarm = content_line(f"DESCRIPTION:{summary}")
            for before in event.alarms:
                parts += [_ALARM_HEAD, alarm, self._trigger(before), _ALARM_TAIL]
        parts.append(_END_EVENT)
        self._entries[event.uid] = (event, (event.sort_key, b"".join(parts), zone))

    def _header(self, feed: Feed) -> bytes:
        data = self._headers.get((feed.title, feed.description))
        if data is None:
            title = text_value(feed.title)
            lines = [_HEAD]
            if feed.description:
                description = text_value(feed.description)
                lines.append(content_line(f"DESCRIPTION:{description}"))
                lines.append(content_line(f"X-WR-CALDESC:{description}"))
            lines += [content_line(f"NAME:{title}"), content_line(f"X-WR-CALNAME:{title}")]
            data = self._headers[feed.title, feed.description] = b"".join([*lines, _REFRESH])
        return data

    def chosen(self, feed: Feed) -> Sequence[Event]:
        """The events of ``feed``, in no particular order, each once."""
        if feed.everything:
            return self._events
        lists = [self._by_target.get(target, ()) for target in feed.targets]
        if not feed.cohorts and not feed.leaders and not self._shared:
            # Each event is filed under one target: these lists cannot share an event.
            return [event for found in lists for event in found]
        lists += [self._by_cohort.get(cohort, ()) for cohort in feed.cohorts]
        lists += [self._by_leader.get(leader, ()) for leader in feed.leaders]
        return list({event.uid: event for found in lists for event in found}.values())

    def feed_bytes(self, feed: Feed) -> bytes:
        """The whole ``.ics`` file of ``feed``."""
        return self.write(feed)[0]

    def write(self, feed: Feed) -> tuple[bytes, int]:
        """The whole ``.ics`` file of ``feed``, and how many events it holds."""
        entries = self._entries
        chosen = []
        for event in self.chosen(feed):
            known, entry = entries[event.uid]
            if known is not event and known != event:
                raise ValueError(f"two different events with the uid {event.uid!r}")
            chosen.append(entry)
        chosen.sort(key=itemgetter(0))
        zones = sorted({entry[2] for entry in chosen if entry[2] is not None})
        data = b"".join(
            [
                self._header(feed),
                *[self._zones[name] for name in zones],
                *[entry[1] for entry in chosen],
                _FOOTER,
            ]
        )
        return data, len(chosen)


def baseline_feeds(
    feeds: Sequence[Feed], events: Sequence[Event], organizer: Organizer
) -> Iterator[bytes]:
    """Every feed's bytes, written by the baseline."""
    writer = FairWriter(events, organizer)
    for feed in feeds:
        yield writer.feed_bytes(feed)


def project_feeds(
    programme: Programme, feeds: Sequence[Feed], events: Sequence[Event]
) -> Iterator[bytes]:
    """Every feed's bytes, written by pe_schedule (without the ``feeds.json`` after them)."""
    for rendered in itertools.islice(render(programme, feeds, events), len(feeds)):
        yield rendered.data


def first_difference(name: str, project: bytes, baseline: bytes) -> str | None:
    """Where the baseline's feed differs from the project's, or ``None`` if it does not.

    >>> first_difference("a.ics", b"A\\r\\nB\\r\\n", b"A\\r\\nC\\r\\n")
    "a.ics: line 2 differs: project b'B', baseline b'C'"
    """
    if project == baseline:
        return None
    ours, theirs = project.split(b"\r\n"), baseline.split(b"\r\n")
    for number, (mine, other) in enumerate(itertools.zip_longest(ours, theirs), start=1):
        if mine != other:
            return f"{name}: line {number} differs: project {mine!r}, baseline {other!r}"
    raise AssertionError("unreachable: different bytes split into the same lines")


# -- one measured phase, in its own process ------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _best(repeat: int, write: Any) -> tuple[float, int, int, int]:
    """The best time of ``repeat`` runs of ``write()``, with its feeds, events and bytes."""
    best = float("inf")
    feeds = entries = size = 0
    for _ in range(repeat):
        started = time.perf_counter()
        feeds, entries, size = write()
        best = min(best, time.perf_counter() - started)
    return best, feeds, entries, size


def run_phase(phase: str, teams: int, repeat: int) -> dict[str, Any]:
    """Run one phase over the synthetic network; return its measurements."""
    programme = synthetic(declaration.load(REFERENCE), teams)
    started = time.perf_counter()
    events = expand.events(programme)
    result: dict[str, Any] = {"phase": phase, "teams": teams}
    result["expand_seconds"] = time.perf_counter() - started
    feeds = plan(programme, events, programme.roster, key=KEY).feeds
    organizer = organizer_of(programme)
    result.update(distinct_events=len(events), peak_mb_before_writing=_peak_mb())

    if phase == "verify":
        identical = 0
        pairs = zip(
            feeds,
            project_feeds(programme, feeds, events),
            baseline_feeds(feeds, events, organizer),
            strict=True,
        )
        for feed, ours, theirs in pairs:
            difference = first_difference(f"{feed.file} ({feed.kind.value})", ours, theirs)
            if difference is not None:
                result.update(feeds=len(feeds), identical=identical, difference=difference)
                return result
            identical += 1
        result.update(feeds=len(feeds), identical=identical)
        return result

    if phase == "project":

        def write() -> tuple[int, int, int]:
            size = entries = 0
            for rendered in itertools.islice(render(programme, feeds, events), len(feeds)):
                size += len(rendered.data)
                entries += rendered.events or 0
            return len(feeds), entries, size

    elif phase == "baseline":

        def write() -> tuple[int, int, int]:
            size = entries = 0
            writer = FairWriter(events, organizer)
            for feed in feeds:
                data, count = writer.write(feed)
                size += len(data)
                entries += count
            return len(feeds), entries, size

    else:
        chooser = FairWriter(events, organizer)
        tenth = [(feed, chooser.chosen(feed)) for feed in feeds[::10]]
        del chooser

        def write() -> tuple[int, int, int]:
            size = entries = 0
            for feed, chosen in tenth:
                size += len(calendar(chosen, feed.info(), organizer).to_ical())
                entries += len(chosen)
            return len(tenth), entries, size

    seconds, written, entries, size = _best(repeat, write)
    result.update(seconds=seconds, feeds=written, entries=entries, megabytes=size / 1e6)
    result["events_per_second"] = entries / seconds
    result["peak_mb"] = _peak_mb()
    if phase == "project":
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            publish(((r.name, r.data) for r in render(programme, feeds, events)),
                    Path(folder) / "feeds")  # fmt: skip
            result["seconds_with_disk"] = time.perf_counter() - started
    return result


# -- the report -----------------------------------------------------------------------------------


class PhaseError(Exception):
    """A phase's process failed, or the baseline's feeds differ from the project's."""


def _child(phase: str, teams: int, repeat: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--teams", str(teams)]
    command += ["--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        data: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        data = {}
    if done.returncode != 0 and "difference" not in data:
        raise PhaseError(f"{phase} at {teams} teams failed:\n{done.stdout}{done.stderr}")
    return data


def _reference_process_seconds() -> float:
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "pe_schedule", "build", str(REFERENCE), "--out",
                   str(Path(folder) / "feeds")]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        return time.perf_counter() - started


COLUMNS = (
    "teams",
    "feeds",
    "distinct events",
    "events written",
    "byte-identical feeds",
    "project s",
    "baseline s",
    f"project / baseline (goal <= {GOAL_BASELINE:g})",
    "project ms/feed",
    "baseline ms/feed",
    f"project vs naive, per event (goal >= {GOAL_NAIVE:g}x)",
    "project with disk s",
    "peak MB project",
    "peak MB baseline",
    "peak MB naive",
)


def measure(teams: int, repeat: int) -> list[str]:
    """One row of the table: verify, then time every writer, at ``teams`` teams."""
    check = _child("verify", teams, repeat)
    if "difference" in check:
        raise PhaseError(
            f"at {teams} teams the baseline differs from the project after "
            f"{check['identical']} identical feeds of {check['feeds']}: {check['difference']}"
        )
    if check["identical"] != check["feeds"]:
        raise PhaseError(f"at {teams} teams only {check['identical']} feeds were compared")
    runs = {phase: _child(phase, teams, repeat) for phase in ("project", "baseline", "naive")}
    project, baseline, naive = runs["project"], runs["baseline"], runs["naive"]
    if project["feeds"] != check["feeds"] or baseline["feeds"] != check["feeds"]:
        raise PhaseError(f"at {teams} teams the writers wrote different numbers of feeds")

    def peak(run: dict[str, Any]) -> str:
        return f"{run['peak_mb']:.0f} (+{run['peak_mb'] - run['peak_mb_before_writing']:.0f})"

    return [
        str(teams),
        str(project["feeds"]),
        str(project["distinct_events"]),
        str(project["entries"]),
        f"{check['identical']} of {check['feeds']}",
        f"{project['seconds']:.3f}",
        f"{baseline['seconds']:.3f}",
        f"{project['seconds'] / baseline['seconds']:.2f}",
        f"{1e3 * project['seconds'] / project['feeds']:.3f}",
        f"{1e3 * baseline['seconds'] / baseline['feeds']:.3f}",
        f"{project['events_per_second'] / naive['events_per_second']:.1f}x",
        f"{project['seconds_with_disk']:.2f}",
        peak(project),
        peak(baseline),
        peak(naive),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, nargs="+", default=list(SIZES), metavar="N",
                        help="sizes of the network, in teams of 7 people (one row each)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each writer in its process; the best time counts")  # fmt: skip
    parser.add_argument("--phase", choices=["verify", "project", "baseline", "naive"])
    args = parser.parse_args(argv)
    if args.phase:
        result = run_phase(args.phase, args.teams[0], args.repeat)
        print(json.dumps(result))
        return 1 if "difference" in result else 0
    print(f"reference build as a process: {_reference_process_seconds():.2f} s")
    rows = []
    try:
        for teams in args.teams:
            rows.append(measure(teams, args.repeat))
    except PhaseError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    print(f"writers timed best of {args.repeat}; peak MB is the phase's process, "
          "(+ what writing added); naive icalendar writes every tenth feed")  # fmt: skip
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"every feed of every size byte-identical between the project and the baseline "
          f"({sum(int(row[1]) for row in rows)} feeds)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
