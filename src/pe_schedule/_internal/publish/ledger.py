"""The publication ledger: what every published event UID looked like, and its SEQUENCE.

Calendar clients only update a subscribed event correctly when the feed tells
them how: a changed event needs a higher ``SEQUENCE``, a removed one must be
published as ``STATUS:CANCELLED`` for a while rather than silently vanish. The
feeds alone cannot say what changed, so each build reconciles the events the
declarations produce now with the ledger of what was published before.

The ledger is a JSON Lines file, one event per line in UID order, so that a
diff of a rebuild shows one line per event that changed. It keeps every UID
ever published, dropped ones included, so a UID's SEQUENCE never goes down.
No clock is read: the moment of a change is the programme's ``revised`` value.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from pe_schedule._internal.model.audience import Target
from pe_schedule._internal.model.event import AllDay, Event, Span, Status, Timed
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.zones import Zone
from pe_schedule.exceptions import DeclarationError, Problem

#: The format version written in the first line of every ledger.
LEDGER_VERSION = 1
#: What a ledger file is called inside a folder of feeds.
LEDGER_NAME = "ledger.jsonl"
#: Prefixed to a cancelled event's summary, for clients that ignore STATUS.
CANCELLED_PREFIX = "Cancelled: "


class Fate(enum.Enum):
    """What happened to one UID in a rebuild."""

    ADDED = "added"
    CHANGED = "changed"
    CANCELLED = "cancelled"
    RESTORED = "restored"
    DROPPED = "dropped"


class LedgerState(enum.Enum):
    """Where one UID stands in the feeds."""

    LIVE = "live"
    CANCELLED = "cancelled"
    DROPPED = "dropped"


@attrs.frozen(kw_only=True)
class LedgerEntry:
    """What the ledger remembers of one UID."""

    uid: str
    #: SHA-256 of the event's published content, SEQUENCE and stamps left out.
    digest: str
    sequence: int
    first_published: dt.datetime
    last_changed: dt.datetime
    state: LedgerState
    #: The event as last published live; a cancellation republishes it from here.
    event: Event


@attrs.frozen(kw_only=True)
class Change:
    """One UID whose publication changed in a rebuild."""

    fate: Fate
    #: The live event before the rebuild (``None`` when added).
    before: Event | None
    #: The live event after the rebuild (``None`` when cancelled or dropped).
    after: Event | None

    @property
    def event(self) -> Event:
        """The event the change is about, as recent as known."""
        event = self.after or self.before
        if event is None:  # pragma: no cover - constructors always give one
            raise ValueError("a change needs an event before or after it")
        return event


@attrs.frozen(kw_only=True)
class Ledger:
    """Every UID a programme's feeds have ever published."""

    entries: tuple[LedgerEntry, ...] = ()

    def get(self, uid: str) -> LedgerEntry | None:
        """The entry of ``uid``, if it was ever published."""
        return _index(self.entries).get(uid)


def _index(entries: Iterable[LedgerEntry]) -> dict[str, LedgerEntry]:
    return {entry.uid: entry for entry in entries}


@attrs.frozen(kw_only=True)
class Reconciliation:
    """The result of a rebuild: what to publish, the new ledger, what changed."""

    #: Live events with their SEQUENCE and stamps, plus cancelled ones still retained.
    events: tuple[Event, ...]
    ledger: Ledger
    changes: tuple[Change, ...]


def content_digest(event: Event) -> str:
    """A digest of everything a subscriber sees of ``event``, except SEQUENCE and stamps."""
    content = _event_to_json(event)
    for volatile in ("sequence", "revised"):
        del content[volatile]
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def reconcile(
    previous: Ledger, events: Sequence[Event], *, at: dt.datetime, retention: dt.timedelta
) -> Reconciliation:
    """Give each event its SEQUENCE and stamp, and cancel what disappeared.

    Args:
        previous: the ledger of the last build (empty for a first build).
        events: the live events the declarations produce now.
        at: the moment of this revision (the programme's ``revised``), stamped
            on everything that changes.
        retention: how long a cancelled event stays published before it is
            dropped from the feeds (its UID stays in the ledger).

    Returns:
        The events to publish, sorted, the new ledger and the changes.
    """
    old = _index(previous.entries)
    entries: dict[str, LedgerEntry] = {}
    for event in events:
        entries[event.uid] = _live(event, old.get(event.uid), at)
    for uid, entry in old.items():
        if uid not in entries:
            entries[uid] = _gone(entry, at, retention)
    ledger = Ledger(entries=tuple(entries[uid] for uid in sorted(entries)))
    published = [_published(entry, at) for entry in ledger.entries]
    kept = sorted((event for event in published if event is not None), key=_sort_key)
    return Reconciliation(events=tuple(kept), ledger=ledger, changes=diff(previous, ledger))


def _sort_key(event: Event) -> tuple[str, str]:
    return event.sort_key


def _live(event: Event, entry: LedgerEntry | None, at: dt.datetime) -> LedgerEntry:
    """The entry of an event the declarations produce, its SEQUENCE raised if it changed."""
    digest = content_digest(event)
    if entry is None:
        sequence, first, changed = 0, at, at
    else:
        moved = entry.state is not LedgerState.LIVE or entry.digest != digest
        sequence = entry.sequence + moved
        first, changed = entry.first_published, at if moved else entry.last_changed
    live = attrs.evolve(event, sequence=sequence, revised=changed)
    return LedgerEntry(
        uid=event.uid,
        digest=digest,
        sequence=sequence,
        first_published=first,
        last_changed=changed,
        state=LedgerState.LIVE,
        event=live,
    )


def _gone(entry: LedgerEntry, at: dt.datetime, retention: dt.timedelta) -> LedgerEntry:
    """The entry of a UID the declarations no longer produce: cancelled, then dropped."""
    if entry.state is LedgerState.LIVE:
        return attrs.evolve(
            entry, sequence=entry.sequence + 1, last_changed=at, state=LedgerState.CANCELLED
        )
    if entry.state is LedgerState.CANCELLED and at - entry.last_changed > retention:
        return attrs.evolve(entry, state=LedgerState.DROPPED)
    return entry


def _published(entry: LedgerEntry, at: dt.datetime) -> Event | None:
    """What the feeds carry for ``entry``: the live event, its cancellation, or nothing."""
    if entry.state is LedgerState.LIVE:
        return entry.event
    if entry.state is LedgerState.CANCELLED:
        return _cancelled(entry.event, entry.sequence, entry.last_changed)
    return None


def diff(old: Ledger, new: Ledger) -> tuple[Change, ...]:
    """What changed for subscribers between two ledgers, in event order.

    ``new`` may be several builds after ``old``: an event cancelled and then
    dropped in between reads as cancelled.
    """
    before = _index(old.entries)
    changes = []
    for entry in new.entries:
        previous = before.get(entry.uid)
        if previous is None:
            if entry.state is LedgerState.LIVE:
                changes.append(Change(fate=Fate.ADDED, before=None, after=entry.event))
            continue
        was_live = previous.state is LedgerState.LIVE
        if entry.state is LedgerState.LIVE:
            if not was_live:
                fate: Fate | None = Fate.RESTORED
            else:
                fate = Fate.CHANGED if entry.sequence != previous.sequence else None
            if fate is not None:
                changes.append(Change(fate=fate, before=previous.event, after=entry.event))
        elif was_live:
            changes.append(Change(fate=Fate.CANCELLED, before=previous.event, after=None))
        elif previous.state is LedgerState.CANCELLED and entry.state is LedgerState.DROPPED:
            changes.append(Change(fate=Fate.DROPPED, before=previous.event, after=None))
    changes.sort(key=lambda change: (change.event.sort_key, change.fate.value))
    return tuple(changes)


def _cancelled(event: Event, sequence: int, at: dt.datetime) -> Event:
    return attrs.evolve(
        event,
        summary=CANCELLED_PREFIX + event.summary,
        status=Status.CANCELLED,
        busy=False,
        alarms=(),
        sequence=sequence,
        revised=at,
    )


# -- the file ------------------------------------------------------------------------------


def dumps(ledger: Ledger) -> str:
    """The ledger as JSON Lines: a header line, then one entry per line in UID order."""
    lines = [json.dumps({"pe_schedule_ledger": LEDGER_VERSION})]
    for entry in sorted(ledger.entries, key=lambda entry: entry.uid):
        record = {
            "uid": entry.uid,
            "sequence": entry.sequence,
            "state": entry.state.value,
            "first_published": _instant(entry.first_published),
            "last_changed": _instant(entry.last_changed),
            "digest": entry.digest,
            "event": _event_to_json(entry.event),
        }
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=False))
    return "\n".join(lines) + "\n"


def loads(text: str, *, file: str) -> Ledger:
    """Read a ledger written by :func:`dumps`.

    Raises:
        DeclarationError: naming ``file`` and the line, if the ledger is corrupt
            or of a version this release does not know.
    """
    lines = text.splitlines()

    def broken(line: int, expected: str, found: str) -> DeclarationError:
        return DeclarationError([Problem(file=file, line=line, expected=expected, found=found)])

    try:
        header = json.loads(lines[0]) if lines else None
    except json.JSONDecodeError as error:
        raise broken(1, "a ledger header line", f"invalid JSON ({error.msg})") from None
    if not isinstance(header, dict) or "pe_schedule_ledger" not in header:
        raise broken(
            1, '{"pe_schedule_ledger": 1}', repr(lines[0][:60]) if lines else "an empty file"
        )
    if header["pe_schedule_ledger"] != LEDGER_VERSION:
        raise broken(
            1, f"ledger version {LEDGER_VERSION}", f"version {header['pe_schedule_ledger']!r}"
        )
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        try:
            record = json.loads(line)
            entries.append(
                LedgerEntry(
                    uid=record["uid"],
                    digest=record["digest"],
                    sequence=int(record["sequence"]),
                    first_published=_parse_instant(record["first_published"]),
                    last_changed=_parse_instant(record["last_changed"]),
                    state=LedgerState(record["state"]),
                    event=_event_from_json(record["event"]),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise broken(number, "a ledger entry", f"{type(error).__name__}: {error}") from None
    return Ledger(entries=tuple(entries))


def read(path: Path) -> Ledger | None:
    """The ledger at ``path``, or ``None`` when there is none yet.

    Raises:
        DeclarationError: if the file exists but cannot be read as a ledger.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise DeclarationError(
            [Problem(file=str(path), expected="a readable ledger", found=str(error))]
        ) from None
    return loads(text, file=str(path))


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_instant(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def _span_to_json(span: Span) -> dict[str, Any]:
    # Times keep their UTC offset: a wall-clock time alone is ambiguous in the hour a
    # DST change repeats, and a cancellation must republish the very instant.
    zone = span.zone.name if isinstance(span, Timed) else None
    return {"start": span.start.isoformat(), "end": span.end.isoformat(), "timezone": zone}


def _span_from_json(data: Mapping[str, Any]) -> Span:
    if data["timezone"] is None:
        start, end = dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"])
        return AllDay(start=start, end=end)
    zone = Zone(data["timezone"])
    return Timed(
        start=dt.datetime.fromisoformat(data["start"]).astimezone(zone.tzinfo),
        end=dt.datetime.fromisoformat(data["end"]).astimezone(zone.tzinfo),
        zone=zone,
    )


def _event_to_json(event: Event) -> dict[str, Any]:
    return {
        "programme": event.programme,
        "cohort": event.cohort,
        "activity": event.activity,
        "target": str(event.target),
        "month": str(event.month) if event.month else None,
        "summary": event.summary,
        **_span_to_json(event.span),
        "location": event.location,
        "description": event.description,
        "url": event.url,
        "categories": list(event.categories),
        "in_person": event.in_person,
        "status": event.status.value,
        "busy": event.busy,
        "alarms": [int(alarm.total_seconds()) for alarm in event.alarms],
        "sequence": event.sequence,
        "revised": _instant(event.revised),
        "uid": event.uid,
    }


def _event_from_json(data: Mapping[str, Any]) -> Event:
    return Event(
        uid=data["uid"],
        programme=data["programme"],
        cohort=data["cohort"],
        activity=data["activity"],
        target=Target.parse(str(data["target"])),
        month=YearMonth.parse(data["month"]) if data["month"] else None,
        summary=data["summary"],
        span=_span_from_json(data),
        location=data["location"],
        description=data["description"],
        url=data["url"],
        categories=tuple(data["categories"]),
        in_person=bool(data["in_person"]),
        status=Status(data["status"]),
        busy=bool(data["busy"]),
        alarms=tuple(dt.timedelta(seconds=seconds) for seconds in data["alarms"]),
        sequence=int(data["sequence"]),
        revised=_parse_instant(data["revised"]),
    )


__all__ = [
    "CANCELLED_PREFIX",
    "LEDGER_NAME",
    "LEDGER_VERSION",
    "Change",
    "Fate",
    "Ledger",
    "LedgerEntry",
    "LedgerState",
    "Reconciliation",
    "content_digest",
    "diff",
    "dumps",
    "loads",
    "read",
    "reconcile",
]
