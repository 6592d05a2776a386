"""Fuzzing the loader and the build: only the library's own errors escape, and feeds stay whole.

Two kinds of input go in. Arbitrary text and bytes exercise the TOML reader.
Structured declarations, built from pools of good, broken and hostile values
(control characters, CR/LF meant to end a VEVENT, bidirectional marks, emoji,
paths, reserved names, impossible times and dates), with an optional roster,
exercise every reader behind it. Whatever loads is also expanded, checked,
and built into a folder of feeds that icalendar must read back with exactly
the events the library produced, so no text can add a component.

The examples are few by default, to keep the suite fast. A longer local run::

    HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz.py

multiplies every example count by 100 (see ``tests/conftest.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import icalendar
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pe_schedule import PeScheduleError, Programme, load
from pe_schedule._internal import build
from pe_schedule._internal.publish.files import MANIFEST_NAME
from pe_schedule._internal.publish.ical import clean_text
from pe_schedule._internal.schedule import expand
from pe_schedule.cli import main

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: Whether this is the long local run (``HYPOTHESIS_PROFILE=long``).
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
#: The key personal feeds are named with in these tests (never a real one).
KEY = b"fuzz-key-0123456789"


def examples(count: int) -> Callable[[F], F]:
    """Hypothesis settings for ``count`` examples (100 times more in the long run)."""
    return settings(
        max_examples=count * 100 if LONG else count,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- writing TOML -------------------------------------------------------------------------------


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` exactly (JSON's escapes are TOML's, DEL aside)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: object) -> str:
    """One TOML value, inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        items = ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }"
    raise TypeError(value)


def toml_document(data: Mapping[str, object]) -> str:
    """A TOML document: top-level keys, each table inline, so any nesting is one line each."""
    return "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in data.items())


# -- hostile values -----------------------------------------------------------------------------

# Text a loader must take as it is and a feed must escape.
ESCAPED_FRAGMENTS = (
    "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "\nATTENDEE:mailto:x@example.org",
    "\r",
    "\t",
    ";",
    ",",
    "\\",
    "\\n",
    "\\N",
    ":",
    '"',
    "\u202e",
    "\u200f",
    "\u2028",
    "\ufeff",
    "CON",
    "NUL",
    "../",
    "..\\",
    "/etc/passwd",
    "😀",
    "👩🏽‍⚕️",
    "Höhe – Ωmega",
    "x" * 300,
)
# Text a loader must refuse: control characters.
REFUSED_FRAGMENTS = ("\x00", "\x1b[2J", "\x7f", "\x85", "\x0b")


def mostly(good: st.SearchStrategy[T], bad: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """``good`` 29 times in 30, else ``bad``: often enough valid input to reach the build."""
    return st.integers(0, 29).flatmap(lambda n: good if n else bad)


def texts() -> st.SearchStrategy[str]:
    """Display text: arbitrary characters mixed with fragments meant to break things."""
    safe = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
    fragment = st.one_of(st.sampled_from(ESCAPED_FRAGMENTS), safe)
    good = st.lists(fragment, min_size=1, max_size=4).map("".join)
    bad = st.one_of(st.sampled_from(REFUSED_FRAGMENTS), st.text(max_size=12), st.just(" "))
    return mostly(good, bad)


def record(
    required: dict[str, st.SearchStrategy[Any]],
    optional: dict[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """A TOML table: ``required`` keys always, each of ``optional`` maybe."""
    return st.fixed_dictionaries(required, optional=optional or {})


def maybe(values: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """A value, or ``None`` meaning the key is left out."""
    return st.one_of(st.none(), values)


IDS = mostly(
    st.sampled_from(["call", "coaching", "lab"]),
    st.sampled_from(["Call", "", "../call", "con", "a" * 70, "c\x00", "call\u202e"]),
)
MONTHS = mostly(
    st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True).map(sorted),
    st.one_of(
        st.lists(
            st.one_of(st.integers(-1, 15), st.sampled_from(["2023-02", "2023-3", "2024-01", True])),
            max_size=4,
        ),
        record(
            {"every": st.integers(0, 4)},
            optional={
                "from": st.integers(0, 13),
                "to": st.integers(0, 13),
                "except": st.lists(st.integers(1, 12), max_size=2),
            },
        ),
        st.sampled_from(["2023-01", 3]),
    ),
)
ZONES = mostly(
    st.sampled_from(
        ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]
    ),
    st.sampled_from(["Mars/Base", "../../etc/passwd", "EST", ""]),
)
TIMING = mostly(
    record(
        {
            "day": st.sampled_from(
                ["third Wednesday", "fifth Monday", "last Friday", "second Sunday", 1, 31]
            ),
            "start": st.sampled_from(["13:00", "02:30", "01:30", "00:00", "23:59"]),
            "duration": st.sampled_from(["2h", "90m", "24h", "1h30m"]),
        },
        optional={
            "days": st.integers(1, 3),
            "timezone": ZONES,
            "holidays": st.sampled_from(["flag", "accept", "shift"]),
        },
    ),
    record(
        {},
        optional={
            "day": st.sampled_from([32, "x", "sixth Monday"]),
            "start": st.sampled_from(["25:00", "9am"]),
            "duration": st.sampled_from(["0m", "25h", 2]),
            "days": st.integers(0, 16),
            "holidays": st.just("skip"),
            "all_day": st.booleans(),
        },
    ),
)
AUDIENCES = mostly(
    st.sampled_from(["cohort", "team", "coaching-group", "affinity-group", "senior-leaders"]),
    st.just("teams"),
)
ACTIVITY = record(
    {"id": IDS, "name": texts(), "months": MONTHS},
    optional={
        "location": texts(),
        "description": texts(),
        "audience": AUDIENCES,
        "timing": TIMING,
    },
)
RULE = record(
    {
        "kind": st.sampled_from(
            ["every", "not-with", "alternates-with", "same-months", "monthly-except", "evry"]
        ),
        "activity": IDS,
    },
    optional={"other": IDS, "months": st.integers(0, 4), "except": st.lists(IDS, max_size=2)},
)
COHORT = record(
    {
        "id": mostly(st.sampled_from(["ln", "ac"]), st.sampled_from(["LN", "../ln"])),
        "name": texts(),
        "activities": st.lists(ACTIVITY, min_size=1, max_size=3, unique_by=lambda a: a["id"]),
    },
    optional={
        "rules": mostly(st.just([]), st.lists(RULE, max_size=2)),
        "description": texts(),
    },
)
EVENT = record(
    {
        "id": mostly(st.sampled_from(["launch", "forum"]), st.sampled_from(["ln", "../x"])),
        "name": texts(),
        "date": st.dates(dt.date(2022, 12, 1), dt.date(2024, 2, 1)),
    },
    optional={
        "start": mostly(st.sampled_from(["15:00", "02:30"]), st.just("24:00")),
        "duration": mostly(st.just("1h"), st.just("0m")),
        "description": texts(),
        "location": texts(),
        "url": st.sampled_from(["https://example.org/a b", "https://example.org/x?a=1;b=2"]),
    },
)
PERSON = record(
    {
        "id": mostly(st.sampled_from(["ada", "ben", "cy"]), st.sampled_from(["../ada", "Ada"])),
        "name": texts(),
    },
    optional={
        "role": mostly(
            st.sampled_from(["member", "senior-leader", "alternate-senior-leader"]), st.just("boss")
        ),
        "affinity_group": mostly(st.sampled_from(["poc", "white"]), st.just("nobody")),
    },
)
TEAM = record(
    {
        "id": mostly(st.sampled_from(["t-01", "t-02", "con"]), st.just("T/01")),
        "name": texts(),
        "timezone": ZONES,
        "people": st.lists(PERSON, max_size=3, unique_by=lambda p: p["id"]),
    },
    optional={"coaching_group": st.just("cg-1")},
)
GROUPS: list[dict[str, Any]] = [
    {"id": "poc", "name": "People of colour", "kind": "affinity-group"},
    {"id": "white", "name": "White \u202eallies", "kind": "affinity-group"},
    {"id": "cg-1", "name": "Coaching; group, 1", "kind": "coaching-group"},
]


@st.composite
def declarations(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A declaration that is mostly valid, with good, broken and hostile values mixed in."""
    programme: dict[str, object] = {
        "id": draw(mostly(st.just("demo"), st.sampled_from(["Demo", "../demo", ""]))),
        "name": draw(texts()),
        "first_month": draw(mostly(st.just("2023-01"), st.sampled_from(["2023-13", 202301]))),
        "last_month": draw(mostly(st.just("2023-12"), st.sampled_from(["2022-12", "2024-02"]))),
        "timezone": draw(ZONES),
        "revised": dt.datetime(2022, 9, 1, tzinfo=dt.UTC),
    }
    for key, value in (
        ("description", draw(maybe(texts()))),
        ("organiser", draw(maybe(texts()))),
        ("url", draw(maybe(mostly(st.just("https://example.org/"), st.just("javascript:x"))))),
    ):
        if value is not None:
            programme[key] = value
    cohorts: list[dict[str, Any]] = draw(
        mostly(
            st.lists(COHORT, min_size=1, max_size=2, unique_by=lambda c: c["id"]),
            st.just([]),
        )
    )
    roster: dict[str, Any] | None = None
    if draw(st.booleans()):
        programme["roster"] = "demo.roster.toml"
        teams = draw(st.lists(TEAM, min_size=1, max_size=3, unique_by=lambda t: t["id"]))
        cohort_ids = [cohort["id"] for cohort in cohorts] or ["ln"]
        for team in teams:
            team["cohort"] = draw(mostly(st.sampled_from(cohort_ids), st.just("xx")))
            for person in team["people"]:
                # Person ids are unique across the roster, not only within a team.
                person["id"] = f"{team['id']}-{person['id']}"
        roster = {"groups": GROUPS, "teams": teams}
    document: dict[str, object] = {"programme": programme, "cohorts": cohorts}
    if draw(st.booleans()):
        document["events"] = draw(st.lists(EVENT, max_size=2, unique_by=lambda e: e["id"]))
    return document, roster


# -- what must hold -----------------------------------------------------------------------------


def load_or_refuse(path: Path) -> Programme | None:
    """The programme at ``path``, or ``None`` if the library refused it with its own error."""
    try:
        return load(path)
    except PeScheduleError:
        return None


def assert_feeds_hold_exactly(programme: Programme, out: Path) -> None:
    """Every feed icalendar reads from ``out`` holds exactly the events the index promises."""
    index = json.loads((out / "feeds.json").read_text(encoding="utf-8"))
    assert index["feeds"], "a build writes at least the programme feed"
    for entry in index["feeds"]:
        calendar = icalendar.Calendar.from_ical((out / entry["file"]).read_bytes())
        assert len(calendar.walk("VEVENT")) == entry["events"], entry["file"]
    everything = icalendar.Calendar.from_ical((out / "programme.ics").read_bytes())
    read = {(str(event["UID"]), str(event["SUMMARY"])) for event in everything.walk("VEVENT")}
    made = {(event.uid, clean_text(event.summary)) for event in expand.events(programme)}
    assert read == made


def exercise(path: Path) -> None:
    """Load, check and, if it loads, expand and build ``path``: nothing but our errors escape."""
    status = main(["check", str(path)])
    assert status in (0, 1, 2)
    programme = load_or_refuse(path)
    assert (programme is None) == (status == 2)
    if programme is None:
        event("refused")
        return
    try:
        expand.events(programme)
    except PeScheduleError:
        event("loaded, not expanded")
        return
    out = path.parent / "out"
    try:
        build.build(programme, out, key=KEY)
    except PeScheduleError:
        event("expanded, not built")
        assert not out.exists() or not any(out.iterdir())
        return
    event("built")
    assert_feeds_hold_exactly(programme, out)


class TestArbitraryInput:
    @examples(60)
    @given(text=st.text(max_size=400))
    def test_any_text_is_loaded_or_refused_with_our_error(self, text: str) -> None:
        """Any text as a declaration loads or ends in a PeScheduleError, nothing else."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "fuzz.toml"
            path.write_text(text, encoding="utf-8")
            load_or_refuse(path)

    @examples(40)
    @given(data=st.binary(max_size=400))
    def test_any_bytes_are_loaded_or_refused_with_our_error(self, data: bytes) -> None:
        """Any bytes as a declaration load or end in a PeScheduleError, nothing else."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "fuzz.toml"
            path.write_bytes(data)
            load_or_refuse(path)


class TestStructuredInput:
    @examples(150)
    @given(case=declarations())
    def test_declarations_load_check_and_build_or_are_refused(
        self, case: tuple[dict[str, Any], dict[str, Any] | None]
    ) -> None:
        """A declaration (and roster) of mixed good, broken and hostile values is refused with
        our error, or loads, checks and builds feeds icalendar reads back event for event."""
        document, roster = case
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "demo.toml"
            path.write_text(toml_document(document), encoding="utf-8")
            if roster is not None:
                (Path(folder) / "demo.roster.toml").write_text(
                    toml_document(roster), encoding="utf-8"
                )
            exercise(path)

    def test_a_hostile_but_valid_declaration_builds_safe_feeds(self, tmp_path: Path) -> None:
        """CR/LF meant to end a VEVENT, RTL marks, emoji and reserved names stay inside their text."""
        summary = "Call\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:injected \u202e😀 CON"
        document: dict[str, object] = {
            "programme": {
                "id": "demo",
                "name": "NUL \\ ../ Demo",
                "first_month": "2023-01",
                "last_month": "2023-12",
                "timezone": "America/New_York",
                "revised": dt.datetime(2022, 9, 1, tzinfo=dt.UTC),
            },
            "cohorts": [
                {
                    "id": "con",
                    "name": "CON",
                    "activities": [
                        {
                            "id": "call",
                            "name": summary,
                            "months": [1, 3],
                            "location": "Zoom\nATTENDEE:mailto:x@example.org",
                            "description": "a;b,c\\Nd\r\n\r\nBEGIN:VALARM",
                            "timing": {
                                "day": "third Wednesday",
                                "start": "13:00",
                                "duration": "1h",
                            },
                        }
                    ],
                }
            ],
        }
        path = tmp_path / "demo.toml"
        path.write_text(toml_document(document), encoding="utf-8")
        programme = load(path)
        out = tmp_path / "out"
        build.build(programme, out, key=KEY)
        assert_feeds_hold_exactly(programme, out)
        calendar = icalendar.Calendar.from_ical((out / "cohort-con.ics").read_bytes())
        events = calendar.walk("VEVENT")
        assert [str(event["SUMMARY"]) for event in events] == [clean_text(summary)] * 2
        assert not calendar.walk("VALARM")
        assert all("ATTENDEE" not in event for event in events)
        assert sorted(path.name for path in out.iterdir()) == sorted(
            [
                *("cohort-con.ics", "feeds.json", "grid.svg", "index.html", "ledger.jsonl"),
                "programme.ics",
                MANIFEST_NAME,
            ]
        )
