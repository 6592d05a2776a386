"""The publication ledger: SEQUENCE, cancellations and what a rebuild changes."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from pe_schedule import (
    AudienceKind,
    DeclarationError,
    Event,
    Fate,
    Ledger,
    Status,
    Target,
    Timed,
    YearMonth,
    Zone,
    reconcile,
)
from pe_schedule._internal.publish.ical import CalendarInfo, clean_text, feed_bytes
from pe_schedule._internal.publish.ledger import (
    CANCELLED_PREFIX,
    MAX_SEQUENCE,
    LedgerEntry,
    LedgerState,
    content_digest,
    diff,
    dumps,
    loads,
    read,
    repair,
)
from tests.strategies import event_sets

NEW_YORK = Zone("America/New_York")
EASTERN = NEW_YORK.tzinfo
REVISED = dt.datetime(2022, 9, 1, tzinfo=dt.UTC)
RETENTION = dt.timedelta(days=30)


def call(uid: str = "call-2023-03", *, day: int = 15, summary: str = "All-Team Call") -> Event:
    """A two-hour call on ``day`` March 2023 at 1 PM Eastern."""
    start = dt.datetime(2023, 3, day, 13, tzinfo=EASTERN)
    return Event(
        uid=uid,
        programme="p",
        cohort="learning-network",
        activity="all-team",
        target=Target(kind=AudienceKind.COHORT, key="learning-network"),
        month=YearMonth(2023, 3),
        summary=summary,
        span=Timed(start=start, end=start + dt.timedelta(hours=2), zone=NEW_YORK),
        location="Zoom",
        revised=REVISED,
    )


def day(n: int) -> dt.datetime:
    """The moment ``n`` days after the first revision."""
    return REVISED + dt.timedelta(days=n)


class TestReconcile:
    """What a rebuild does to each event."""

    def test_a_first_build_publishes_everything_at_sequence_zero(self) -> None:
        """Fresh events are added with SEQUENCE 0, stamped with the revision."""
        result = reconcile(Ledger(), [call()], at=day(0), retention=RETENTION)
        assert [(e.uid, e.sequence, e.revised) for e in result.events] == [
            ("call-2023-03", 0, day(0))
        ]
        assert [c.fate for c in result.changes] == [Fate.ADDED]

    def test_an_unchanged_event_keeps_its_sequence_and_stamp(self) -> None:
        """Rebuilding the same event later changes nothing about it."""
        first = reconcile(Ledger(), [call()], at=day(0), retention=RETENTION)
        again = reconcile(first.ledger, [call()], at=day(5), retention=RETENTION)
        assert again.events == first.events
        assert again.changes == ()

    def test_a_moved_event_gets_a_higher_sequence_and_new_stamp(self) -> None:
        """Moving an event keeps its UID and raises its SEQUENCE."""
        first = reconcile(Ledger(), [call()], at=day(0), retention=RETENTION)
        moved = reconcile(first.ledger, [call(day=22)], at=day(5), retention=RETENTION)
        (event,) = moved.events
        assert (event.uid, event.sequence, event.revised) == ("call-2023-03", 1, day(5))
        assert [c.fate for c in moved.changes] == [Fate.CHANGED]

    def test_a_removed_event_is_published_cancelled(self) -> None:
        """A vanished event comes back CANCELLED, prefixed, with a higher SEQUENCE."""
        first = reconcile(Ledger(), [call()], at=day(0), retention=RETENTION)
        gone = reconcile(first.ledger, [], at=day(5), retention=RETENTION)
        (event,) = gone.events
        assert event.status is Status.CANCELLED
        assert event.summary == CANCELLED_PREFIX + "All-Team Call"
        assert (event.sequence, event.span) == (1, call().span)

    def test_a_cancelled_event_is_dropped_after_the_retention(self) -> None:
        """Past the retention the cancelled event leaves the feeds, not the ledger."""
        first = reconcile(Ledger(), [call()], at=day(0), retention=RETENTION)
        gone = reconcile(first.ledger, [], at=day(5), retention=RETENTION)
        kept = reconcile(gone.ledger, [], at=day(35), retention=RETENTION)
        dropped = reconcile(kept.ledger, [], at=day(36), retention=RETENTION)
        assert len(kept.events) == 1
        assert dropped.events == ()
        entry = dropped.ledger.get("call-2023-03")
        assert entry is not None
        assert entry.state is LedgerState.DROPPED

    def test_a_restored_event_comes_back_with_a_higher_sequence(self) -> None:
        """Restoring a cancelled event raises its SEQUENCE above the cancellation's."""
        first = reconcile(Ledger(), [call()], at=day(0), retention=RETENTION)
        gone = reconcile(first.ledger, [], at=day(5), retention=RETENTION)
        back = reconcile(gone.ledger, [call()], at=day(6), retention=RETENTION)
        (event,) = back.events
        assert (event.status, event.sequence) == (Status.CONFIRMED, 2)
        assert [c.fate for c in back.changes] == [Fate.RESTORED]


class TestDiff:
    """What changed between two ledgers, however many builds apart."""

    def test_changes_across_several_builds(self) -> None:
        """Added, moved, cancelled-then-dropped and untouched events read as such."""
        first = reconcile(
            Ledger(), [call("a"), call("b"), call("c")], at=day(0), retention=RETENTION
        )
        second = reconcile(
            first.ledger, [call("a", day=20), call("c")], at=day(1), retention=RETENTION
        )
        third = reconcile(
            second.ledger,
            [call("a", day=20), call("c"), call("d")],
            at=day(40),
            retention=RETENTION,
        )
        changes = [(c.fate, c.event.uid) for c in diff(first.ledger, third.ledger)]
        assert sorted(changes, key=lambda c: c[1]) == [
            (Fate.CHANGED, "a"),
            (Fate.CANCELLED, "b"),
            (Fate.ADDED, "d"),
        ]

    def test_a_rebuild_reports_the_diff_of_its_ledgers(self) -> None:
        """The changes of a rebuild are the diff between the ledger before and after."""
        first = reconcile(Ledger(), [call("a")], at=day(0), retention=RETENTION)
        second = reconcile(first.ledger, [call("b")], at=day(1), retention=RETENTION)
        assert second.changes == diff(first.ledger, second.ledger)
        assert {(c.fate, c.event.uid) for c in second.changes} == {
            (Fate.CANCELLED, "a"),
            (Fate.ADDED, "b"),
        }


class TestFile:
    """The ledger file: one line per UID, and clear errors when it is damaged."""

    def test_round_trips(self) -> None:
        """Writing then reading a ledger gives the same ledger."""
        ledger = reconcile(Ledger(), [call(), call("b", day=2)], at=day(0), retention=RETENTION)
        assert loads(dumps(ledger.ledger), file="l.jsonl") == ledger.ledger

    def test_keeps_the_instant_of_a_repeated_hour(self) -> None:
        """An end in the hour a DST change repeats reads back as the same instant."""
        start = dt.datetime(2023, 11, 5, 0, 30, tzinfo=EASTERN)
        end = (start.astimezone(dt.UTC) + dt.timedelta(hours=2)).astimezone(EASTERN)
        assert end.fold == 1  # 01:30 EST, the second 01:30 of the night
        event = attrs.evolve(call(), span=Timed(start=start, end=end, zone=NEW_YORK))
        ledger = reconcile(Ledger(), [event], at=day(0), retention=RETENTION).ledger
        (entry,) = loads(dumps(ledger), file="l.jsonl").entries
        assert isinstance(entry.event.span, Timed)
        assert entry.event.span.end.astimezone(dt.UTC) == end.astimezone(dt.UTC)
        assert entry.event == ledger.entries[0].event

    def test_has_one_line_per_uid_after_a_header(self) -> None:
        """Each UID stands on its own line, so a diff shows one line per change."""
        ledger = reconcile(Ledger(), [call("b"), call("a")], at=day(0), retention=RETENTION)
        lines = dumps(ledger.ledger).splitlines()
        assert lines[0] == '{"pe_schedule_ledger": 2}'
        assert [line.split('"')[3] for line in lines[1:]] == ["a", "b"]

    def test_a_missing_ledger_reads_as_none(self, tmp_path: Path) -> None:
        """No ledger yet is not an error: the build starts fresh."""
        assert read(tmp_path / "ledger.jsonl") is None

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param("", "an empty file", id="empty"),
            pytest.param("not json\n", "invalid JSON", id="not-json"),
            pytest.param('{"pe_schedule_ledger": 9}\n', "version 9", id="unknown-version"),
            pytest.param(
                '{"pe_schedule_ledger": 2}\n{"uid": 1}\n', "ledger.jsonl:2", id="bad-entry"
            ),
        ],
    )
    def test_a_damaged_ledger_names_the_file_and_line(self, text: str, expected: str) -> None:
        """A corrupt or unknown ledger is an error naming the file and what is wrong."""
        with pytest.raises(DeclarationError, match=r"ledger\.jsonl") as raised:
            loads(text, file="ledger.jsonl")
        assert expected in str(raised.value)


def _two_entries() -> str:
    """A valid ledger of two live calls, UIDs "a" (line 2) and "b" (line 3)."""
    first = reconcile(Ledger(), [call("a"), call("b", day=2)], at=day(0), retention=RETENTION)
    return dumps(first.ledger)


def _damaged(change: Callable[[dict[str, Any]], None]) -> str:
    """:func:`_two_entries` with ``change`` applied to the JSON of line 3 (UID "b")."""
    lines = _two_entries().split("\n")
    record = json.loads(lines[2])
    change(record)
    # allow_nan: the attacks write Infinity and NaN, which json.dumps only writes if let.
    lines[2] = json.dumps(record, allow_nan=True)
    return "\n".join(lines)


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """A change setting ``path`` ("sequence", "event.alarms") of a record to ``value``."""

    def change(record: dict[str, Any]) -> None:
        *parents, key = path.split(".")
        for parent in parents:
            record = record[parent]
        record[key] = value

    return change


def _same_uid(uid: str) -> Callable[[dict[str, Any]], None]:
    """A change making the record another line's UID, its event included."""

    def change(record: dict[str, Any]) -> None:
        record["uid"] = record["event"]["uid"] = uid

    return change


#: Ledgers damaged as the attack and review found, each read as exit-2 damage naming line 3.
DAMAGED_ENTRIES = [
    pytest.param(_set("sequence", -3), "from 0 to", id="negative-sequence"),
    pytest.param(_set("sequence", float("inf")), "a finite number", id="infinite-sequence"),
    pytest.param(_set("sequence", float("nan")), "a finite number", id="nan-sequence"),
    pytest.param(_set("sequence", 1e300), "a whole number", id="float-sequence"),
    pytest.param(_set("sequence", 99999999999), "from 0 to", id="huge-sequence"),
    pytest.param(_set("sequence", True), "a whole number", id="boolean-sequence"),
    pytest.param(_set("sequence", "1"), "a whole number", id="text-sequence"),
    pytest.param(_set("event.alarms", [1e20]), "'alarms'", id="huge-float-alarm"),
    pytest.param(_set("event.alarms", [10**20]), "'alarms'", id="huge-alarm"),
    pytest.param(_set("event.sequence", 2**40), "from 0 to", id="huge-event-sequence"),
    pytest.param(_set("state", "deleted"), "live, cancelled or dropped", id="unknown-state"),
    pytest.param(_set("last_changed", "yesterday"), "UTC instant", id="bad-instant"),
    pytest.param(_set("digest", "xyz"), "64 hexadecimal", id="bad-digest"),
    pytest.param(_same_uid("a"), "one line per UID", id="duplicate-uid"),
    pytest.param(_set("event.uid", "c"), "the event of UID 'b'", id="another-uid's-event"),
    pytest.param(_set("event.start", "2023-03-02T13:00:00"), "UTC offset", id="naive-time-v2"),
    pytest.param(_set("event.timezone", "Mars/Olympus"), "ledger entry", id="unknown-zone"),
    pytest.param(lambda record: record.pop("event"), "a field 'event'", id="no-event"),
]


class TestDamage:
    """Every field of an entry is checked: damage is exit 2 naming file and line, never a crash."""

    @pytest.mark.parametrize(("change", "expected"), DAMAGED_ENTRIES)
    def test_a_damaged_entry_names_the_file_and_line(
        self, change: Callable[[dict[str, Any]], None], expected: str
    ) -> None:
        """A damaged entry is a DeclarationError at ledger.jsonl:3 saying what was expected."""
        with pytest.raises(DeclarationError) as raised:
            loads(_damaged(change), file="ledger.jsonl")
        message = str(raised.value)
        assert "ledger.jsonl:3: expected" in message
        assert expected in message
        assert "--repair-ledger" in message

    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            pytest.param('{"pe_schedule_ledger": 3}', "version 3", id="newer-version"),
            pytest.param('{"pe_schedule_ledger": "2"}', "version '2'", id="version-as-text"),
            pytest.param('{"pe_schedule_ledger": true}', "version True", id="version-as-bool"),
        ],
    )
    def test_an_unknown_version_is_refused(self, header: str, expected: str) -> None:
        """Only versions 1 (migrated) and 2 are read; any other header is damage at line 1."""
        text = _two_entries().replace('{"pe_schedule_ledger": 2}', header)
        with pytest.raises(DeclarationError, match=r"ledger\.jsonl:1: expected ledger version"):
            loads(text, file="ledger.jsonl")
        with pytest.raises(DeclarationError, match=expected):
            loads(text, file="ledger.jsonl")


#: Unicode line ends that str.splitlines() honours but JSON Lines must not.
LINE_BREAKS = ("\\u2028", "\\u2029", "\\x85", "\\x1c", "\\x0b", "\\x0c", "\\r")


class TestLineBreaks:
    """Text with U+2028, U+2029 or U+0085 neither splits an entry nor breaks a later build."""

    @pytest.mark.parametrize("escaped", LINE_BREAKS)
    def test_a_line_break_in_a_text_stays_in_one_line(self, escaped: str) -> None:
        """The written ledger has one line per UID however splitlines() reads it."""
        char = escaped.encode().decode("unicode_escape")
        summary = f"Call{char}part two"
        ledger = reconcile(Ledger(), [call(summary=summary)], at=day(0), retention=RETENTION)
        text = dumps(ledger.ledger)
        assert len(text.splitlines()) == 2
        assert loads(text, file="l.jsonl") == ledger.ledger

    def test_a_ledger_written_with_a_raw_line_separator_still_reads(self) -> None:
        """A version 1 ledger with U+2028 raw inside a string (as 0.x wrote it) is read whole."""
        ledger = reconcile(Ledger(), [call(summary="A\u2028B")], at=day(0), retention=RETENTION)
        text = dumps(ledger.ledger).replace("\\u2028", "\u2028")
        text = text.replace('"pe_schedule_ledger": 2', '"pe_schedule_ledger": 1')
        assert "\u2028" in text
        (entry,) = loads(text, file="l.jsonl").entries
        assert entry.event.summary == "A\u2028B"


FIXTURE_V1 = Path(__file__).parent / "ledgers" / "v1-demo.jsonl"


@pytest.fixture(params=["UTC", "Asia/Tokyo", "America/Los_Angeles"])
def host_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The host's time zone (TZ) set to each of three, restored afterwards."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


class TestVersionOne:
    """A version 1 ledger (tests/ledgers/v1-demo.jsonl, written by hand) is migrated on reading."""

    def test_naive_times_are_read_in_the_event_zone_not_the_host_zone(self, host_zone: str) -> None:
        """The naive 13:00 of the January call is 13:00 New York (18:00 UTC) on any host."""
        ledger = loads(FIXTURE_V1.read_text(encoding="utf-8"), file=str(FIXTURE_V1))
        spans = {entry.uid.split("/")[-1]: entry.event.span for entry in ledger.entries}
        utc = {
            key: (span.start.astimezone(dt.UTC), span.end.astimezone(dt.UTC))
            for key, span in spans.items()
            if isinstance(span, Timed)
        }
        assert utc == {
            "2023-01@pe-schedule": (
                dt.datetime(2023, 1, 12, 18, tzinfo=dt.UTC),
                dt.datetime(2023, 1, 12, 19, tzinfo=dt.UTC),
            ),
            "2023-02@pe-schedule": (
                dt.datetime(2023, 2, 9, 18, tzinfo=dt.UTC),
                dt.datetime(2023, 2, 9, 19, tzinfo=dt.UTC),
            ),
            "2023-03@pe-schedule": (
                dt.datetime(2023, 3, 9, 18, tzinfo=dt.UTC),
                dt.datetime(2023, 3, 9, 19, tzinfo=dt.UTC),
            ),
        }

    def test_migrating_keeps_every_sequence_and_state(self, host_zone: str) -> None:
        """Migration recomputes digests only: SEQUENCE, state and stamps are the file's."""
        ledger = loads(FIXTURE_V1.read_text(encoding="utf-8"), file=str(FIXTURE_V1))
        assert [(e.sequence, e.state.value, e.event.sequence) for e in ledger.entries] == [
            (2, "live", 2),
            (1, "cancelled", 0),
            (1, "live", 1),
        ]
        again = loads(dumps(ledger), file="v2.jsonl")
        assert again == ledger
        assert dumps(ledger).startswith('{"pe_schedule_ledger": 2}\n')

    def test_the_digest_does_not_depend_on_the_storage_form_of_times(self) -> None:
        """The same instant stored in another zone's offset has the same digest."""
        event = call()
        assert isinstance(event.span, Timed)
        in_utc = Timed(
            start=event.span.start.astimezone(dt.UTC),
            end=event.span.end.astimezone(dt.UTC),
            zone=NEW_YORK,
        )
        assert content_digest(attrs.evolve(event, span=in_utc)) == content_digest(event)
        assert content_digest(event) != content_digest(call(day=16))


def _ledgers(*, text: bool = True) -> st.SearchStrategy[Ledger]:
    """Any valid ledger: events with any text (or words), any state, any SEQUENCE up to the bound."""

    @st.composite
    def build(draw: st.DrawFn) -> Ledger:
        entries = []
        for event in draw(event_sets(text=text)):
            sequence = draw(st.integers(event.sequence, MAX_SEQUENCE))
            first = draw(st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 1, 1)))
            first = first.replace(microsecond=0, tzinfo=dt.UTC)
            event = attrs.evolve(event, revised=event.revised.replace(microsecond=0))
            entries.append(
                LedgerEntry(
                    uid=event.uid,
                    digest=content_digest(event),
                    sequence=sequence,
                    first_published=first,
                    last_changed=first + dt.timedelta(days=draw(st.integers(0, 999))),
                    state=draw(st.sampled_from(LedgerState)),
                    event=event,
                )
            )
        return Ledger(entries=tuple(sorted(entries, key=lambda entry: entry.uid)))

    return build()


class TestRoundTrip:
    """Whatever a ledger holds, writing and reading it gives it back."""

    @given(ledger=_ledgers())
    @settings(max_examples=60, deadline=None)
    def test_dumps_then_loads_round_trips_any_ledger(self, ledger: Ledger) -> None:
        """Any text (U+2028, U+0085, NUL included) round-trips, one line per entry."""
        text = dumps(ledger)
        assert len(text.splitlines()) == len(ledger.entries) + 1
        assert loads(text, file="l.jsonl") == ledger


class TestRepairProperty:
    """Whatever the feeds beside it say, a repair never lowers a SEQUENCE."""

    # Plain words: a file cannot hold the lone surrogates any text may have (no TOML can either).
    @given(ledger=_ledgers(text=False), data=st.data())
    @settings(max_examples=40, deadline=None)
    def test_repair_takes_the_higher_of_ledger_and_feeds(
        self, ledger: Ledger, data: st.DataObject
    ) -> None:
        """Each UID ends at least as high as both its entry and any feed that publishes it."""
        published = {
            entry.uid: data.draw(st.integers(0, MAX_SEQUENCE), label=entry.uid)
            for entry in ledger.entries
            if data.draw(st.booleans())
        }
        vevents = "".join(
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nSEQUENCE:{sequence}\r\nEND:VEVENT\r\n"
            for uid, sequence in published.items()
        )
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "feed.ics").write_text(vevents, encoding="utf-8")
            (Path(folder) / "ledger.jsonl").write_text(dumps(ledger), encoding="utf-8")
            repaired, _ = repair(Path(folder), [], at=day(0), feeds=["feed.ics"])
        for entry in ledger.entries:
            after = repaired.get(entry.uid)
            assert after is not None
            assert after.sequence == max(entry.sequence, published.get(entry.uid, 0))


class Revisions(RuleBasedStateMachine):
    """Random edits to a declaration, with a rebuild after each."""

    def __init__(self) -> None:
        super().__init__()
        self.declared: dict[str, Event] = {}
        self.removed: dict[str, Event] = {}
        self.ledger = Ledger()
        self.published: tuple[Event, ...] = ()
        self.highest: dict[str, int] = {}
        self.identity: dict[str, tuple[object, ...]] = {}
        self.cancelled_on: dict[str, dt.datetime] = {}
        self.days = 0
        self.previous: dict[str, tuple[str, int]] = {}

    uids = Bundle("uids")

    def rebuild(self) -> None:
        """Reconcile the current declaration with the ledger, a day after the last."""
        self.days += 1
        at = day(self.days)
        result = reconcile(self.ledger, list(self.declared.values()), at=at, retention=RETENTION)
        for change in result.changes:
            if change.fate is Fate.CANCELLED:
                self.cancelled_on[change.event.uid] = at
        # Every build reads the ledger the last one wrote: the file must give it back whole.
        stored = loads(dumps(result.ledger), file="ledger.jsonl")
        assert stored == result.ledger
        self.ledger, self.published = stored, result.events

    @rule(
        target=uids, name=st.text(alphabet="abcdef", min_size=1, max_size=6), d=st.integers(1, 28)
    )
    def add(self, name: str, d: int) -> str:
        """Declare a new event (or re-declare one with that id)."""
        self.declared[name] = call(name, day=d)
        self.removed.pop(name, None)
        self.rebuild()
        return name

    @rule(uid=uids, d=st.integers(1, 28))
    def move(self, uid: str, d: int) -> None:
        """Move a declared event to another day."""
        if uid in self.declared:
            self.declared[uid] = call(uid, day=d, summary=self.declared[uid].summary)
        self.rebuild()

    @rule(uid=uids, summary=st.text(min_size=1, max_size=20))
    def retitle(self, uid: str, summary: str) -> None:
        """Give a declared event a new title."""
        if uid in self.declared:
            self.declared[uid] = attrs.evolve(self.declared[uid], summary=summary)
        self.rebuild()

    @rule(uid=uids, hours=st.integers(8, 18))
    def retime(self, uid: str, hours: int) -> None:
        """Change a declared event's start time."""
        if uid in self.declared:
            event = self.declared[uid]
            assert isinstance(event.span, Timed)
            start = event.span.start.replace(hour=hours)
            span = Timed(start=start, end=start + dt.timedelta(hours=1), zone=event.span.zone)
            self.declared[uid] = attrs.evolve(event, span=span)
        self.rebuild()

    @rule(uid=uids)
    def remove(self, uid: str) -> None:
        """Take an event out of the declaration (a cancellation)."""
        if uid in self.declared:
            self.removed[uid] = self.declared.pop(uid)
        self.rebuild()

    @rule(uid=uids)
    def restore(self, uid: str) -> None:
        """Put a removed event back as it was."""
        if uid in self.removed:
            self.declared[uid] = self.removed.pop(uid)
        self.rebuild()

    @rule(n=st.integers(1, 40))
    def wait(self, n: int) -> None:
        """Let days pass without edits, so retention can run out."""
        self.days += n - 1
        self.rebuild()

    @invariant()
    def sequence_never_decreases(self) -> None:
        """No UID's SEQUENCE ever goes down."""
        for entry in self.ledger.entries:
            assert entry.sequence >= self.highest.get(entry.uid, 0)
            self.highest[entry.uid] = entry.sequence

    @invariant()
    def changed_content_means_higher_sequence(self) -> None:
        """A UID whose digest changed has a higher SEQUENCE than before."""
        for entry in self.ledger.entries:
            before = self.previous.get(entry.uid)
            if before is not None and before[0] != entry.digest:
                assert entry.sequence > before[1]
        self.previous = {e.uid: (e.digest, e.sequence) for e in self.ledger.entries}

    @invariant()
    def removed_events_stay_cancelled_within_retention(self) -> None:
        """Every removed UID is published CANCELLED until its retention runs out."""
        published = {event.uid: event for event in self.published}
        for uid in self.removed:
            if uid not in self.cancelled_on:
                continue
            if day(self.days) - self.cancelled_on[uid] <= RETENTION:
                assert published[uid].status is Status.CANCELLED
            else:
                assert uid not in published

    @invariant()
    def no_uid_is_reused(self) -> None:
        """A UID always names the same event identity."""
        for entry in self.ledger.entries:
            event = entry.event
            key = (event.programme, event.cohort, event.activity, event.target, event.month)
            assert self.identity.setdefault(entry.uid, key) == key

    @invariant()
    def a_feed_reader_sees_the_declaration(self) -> None:
        """recurring-ical-events reads the confirmed events of the feed as declared."""
        feed = feed_bytes(self.published, CalendarInfo(title="Revisions"))
        calendar = icalendar.Calendar.from_ical(feed)
        read = {
            (str(e["UID"]), e.start, e.end, str(e["SUMMARY"]))
            for e in recurring_ical_events.of(calendar).between((2023, 1, 1), (2024, 1, 1))
            if e.get("STATUS") != "CANCELLED"
        }
        assert read == {
            (e.uid, e.span.start, e.span.end, clean_text(e.summary)) for e in self.declared.values()
        }

    @invariant()
    def live_events_equal_the_declaration(self) -> None:
        """The confirmed events published are exactly the declared ones."""
        live = {
            event.uid: attrs.evolve(event, sequence=0, revised=REVISED)
            for event in self.published
            if event.status is Status.CONFIRMED
        }
        assert live == self.declared


Revisions.TestCase.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)
TestRevisions = Revisions.TestCase
