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

Version 2 (the header ``{"pe_schedule_ledger": 2}``) digests UTC instants and
the zone name, so a digest depends neither on the host nor on how times are
stored; version 1 is read by computing its digests again, SEQUENCE untouched.
A ledger that would lower a SEQUENCE (damaged, a link, or behind the feeds
beside it) is refused; :func:`repair` mends it only when asked.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from pe_schedule._internal.model.audience import Target
from pe_schedule._internal.model.event import AllDay, Event, Span, Status, Timed
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.zones import Zone
from pe_schedule.exceptions import DeclarationError, Problem

#: The format version written in the first line of every ledger.
LEDGER_VERSION = 2
#: What a ledger file is called inside a folder of feeds.
LEDGER_NAME = "ledger.jsonl"
#: Prefixed to a cancelled event's summary, for clients that ignore STATUS.
CANCELLED_PREFIX = "Cancelled: "

_T = TypeVar("_T")


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
    content = _event_fields(event, stamps=False)
    if isinstance(event.span, Timed):
        # UTC instants plus the zone name: the same for any host and any storage form
        # of the times (version 1 hashed wall-clock or offset text, so a format change
        # alone made every event look changed).
        content["start"] = event.span.start.astimezone(dt.UTC).isoformat()
        content["end"] = event.span.end.astimezone(dt.UTC).isoformat()
    text = json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


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
    published = [_published(entry) for entry in ledger.entries]
    kept = sorted((e for e in published if e is not None), key=lambda event: event.sort_key)
    return Reconciliation(events=tuple(kept), ledger=ledger, changes=diff(previous, ledger))


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


def _published(entry: LedgerEntry) -> Event | None:
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

#: The command a damage report names; a caller that knows the declaration and the folder
#: puts the exact command in its place (see :func:`pe_schedule._internal.build.revise`).
REPAIR_COMMAND = "pe-schedule build DECLARATION --repair-ledger"
#: Where every damage report points: an explicit repair, never a silent one.
REPAIR_HINT = (
    "restore the ledger from version control, or rebuild it from what is left and the feeds "
    f"with `{REPAIR_COMMAND}`, which never lowers a SEQUENCE"
)
#: The highest SEQUENCE a ledger may hold: RFC 5545's INTEGER is a signed 32-bit number.
MAX_SEQUENCE = 2**31 - 1
#: How far from its event an alarm may fire, in seconds: a year is beyond any reminder.
MAX_ALARM = 366 * 24 * 3600
#: The versions :func:`loads` reads; older ones are migrated as they are read.
READABLE_VERSIONS = (1, LEDGER_VERSION)
#: Characters JSON leaves raw that Unicode-aware readers (``str.splitlines``) take for line ends.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
#: The digest of an entry a repair rebuilt without knowing what was published.
_UNKNOWN_DIGEST = "0" * 64
#: A damage report lists this many problems, then counts the rest.
_REPORTED = 10


class _DamageError(ValueError):
    """One ledger line that is not a valid entry: what was expected and what was found."""

    def __init__(self, expected: str, found: str) -> None:
        super().__init__(f"expected {expected}, got {found}")
        self.expected = expected
        self.found = found


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
        text = json.dumps(record, ensure_ascii=False, allow_nan=False)
        # Raw non-ASCII keeps the file readable, but these three would split the line for
        # any reader honouring Unicode line ends; json.dumps only ever puts them in strings.
        for raw, escaped in _LINE_BREAKS.items():
            text = text.replace(raw, escaped)
        lines.append(text)
    return "\n".join(lines) + "\n"


def loads(text: str, *, file: str) -> Ledger:
    """Read a ledger written by :func:`dumps`, of this version or migrating an older one.

    A version 1 ledger is read with its digests computed again the version 2 way
    from the events it recorded, so migrating raises no SEQUENCE.

    Raises:
        DeclarationError: naming ``file`` and the line, if the ledger is damaged
            or of a version this release does not know.
    """
    return _parse(text, file)[0]


def _parse(text: str, file: str) -> tuple[Ledger, dict[str, int]]:
    """The ledger in ``text`` and the line of each UID, or every damaged line reported."""
    lines = _lines(text)
    version = _version(lines, file)
    entries: list[LedgerEntry] = []
    numbers: dict[str, int] = {}
    problems: list[Problem] = []
    for number, line in enumerate(lines[1:], start=2):
        try:
            entry = _entry(line, version)
            if entry.uid in numbers:
                first = numbers[entry.uid]
                raise _DamageError(
                    "one line per UID", f"{entry.uid!r} again (first on line {first})"
                )
        except _DamageError as damage:
            problems.append(_problem(file, number, damage.expected, damage.found))
            continue
        numbers[entry.uid] = number
        entries.append(entry)
    if problems:
        raise _report(problems)
    return Ledger(entries=tuple(entries)), numbers


def _lines(text: str) -> list[str]:
    # Only "\n" ends an entry: str.splitlines() also splits at U+0085 and U+2028, which
    # ledgers written before they were escaped hold raw inside their strings.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _problem(file: str, line: int | None, expected: str, found: str) -> Problem:
    return Problem(file=file, line=line, expected=expected, found=found)


def _report(problems: Sequence[Problem]) -> DeclarationError:
    """One error for all of ``problems``, the first few listed, the repair named once."""
    shown = list(problems[:_REPORTED])
    if len(problems) > _REPORTED:
        rest = len(problems) - _REPORTED
        shown.append(_problem(shown[-1].file, None, "no further damage", f"{rest} more like these"))
    shown[-1] = attrs.evolve(shown[-1], hint=REPAIR_HINT)
    return DeclarationError(shown)


def _version(lines: Sequence[str], file: str) -> int:
    """The version in the header line, if this release reads it."""
    expected = f'a header line {{"pe_schedule_ledger": {LEDGER_VERSION}}}'
    if not lines:
        raise DeclarationError([_problem(file, 1, expected, "an empty file")])
    try:
        header = json.loads(lines[0], parse_constant=_no_constant)
    except ValueError as error:
        found = f"invalid JSON ({getattr(error, 'msg', error)})"
        raise DeclarationError([_problem(file, 1, expected, found)]) from None
    if not isinstance(header, dict) or "pe_schedule_ledger" not in header:
        raise DeclarationError([_problem(file, 1, expected, repr(lines[0][:60]))])
    version = header["pe_schedule_ledger"]
    if type(version) is not int or version not in READABLE_VERSIONS:
        readable = " or ".join(str(known) for known in READABLE_VERSIONS)
        found = f"version {version!r} (from a newer pe-schedule?)"
        raise DeclarationError([_problem(file, 1, f"ledger version {readable}", found)])
    return version


def _no_constant(name: str) -> Any:
    # json.loads accepts NaN and Infinity, which are not JSON and no SEQUENCE or alarm.
    raise _DamageError("a finite number", name)


def _entry(line: str, version: int) -> LedgerEntry:
    """One entry line, every field checked; ``_DamageError`` says what is wrong."""
    try:
        record = json.loads(line, parse_constant=_no_constant)
    except _DamageError:
        raise
    except ValueError as error:
        raise _DamageError(
            "a ledger entry", f"invalid JSON ({getattr(error, 'msg', error)})"
        ) from None
    if not isinstance(record, dict):
        raise _DamageError("a ledger entry (a JSON object)", repr(line[:60]))
    try:
        return _checked_entry(record, version)
    except _DamageError:
        raise
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise _DamageError("a ledger entry", f"{type(error).__name__}: {error}") from None


def _checked_entry(record: Mapping[str, Any], version: int) -> LedgerEntry:
    uid = _field(record, "uid", str)
    sequence = _count(record, "sequence")
    event = _event_from_json(_field(record, "event", dict), naive=version == 1)
    if event.uid != uid:
        raise _DamageError(f"the event of UID {uid!r}", f"the event of UID {event.uid!r}")
    if event.sequence > sequence:
        raise _DamageError(f"an event SEQUENCE of at most {sequence}", str(event.sequence))
    state = _field(record, "state", str)
    if state not in {known.value for known in LedgerState}:
        raise _DamageError("a state of live, cancelled or dropped", repr(state))
    # Version 1 digests hashed the storage form, host-dependent for naive times: the
    # event recorded is what was published, so its version 2 digest says the same.
    digest = content_digest(event) if version == 1 else _field(record, "digest", str)
    if len(digest) != 64 or not set(digest) <= set("0123456789abcdef"):
        raise _DamageError("a digest of 64 hexadecimal digits", repr(digest[:70]))
    return LedgerEntry(
        uid=uid,
        digest=digest,
        sequence=sequence,
        first_published=_instant_field(record, "first_published"),
        last_changed=_instant_field(record, "last_changed"),
        state=LedgerState(state),
        event=event,
    )


_KINDS: dict[type, str] = {
    str: "a string",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
}


def _field(data: Mapping[str, Any], key: str, kind: type[_T]) -> _T:
    """``data[key]``, exactly of ``kind`` (so a bool is no count and 1.0 no SEQUENCE)."""
    if key not in data:
        raise _DamageError(f"a field {key!r}", "none")
    value = data[key]
    if type(value) is not kind:
        raise _DamageError(f"{key!r} to be {_KINDS[kind]}", repr(value)[:60])
    return value


def _optional(data: Mapping[str, Any], key: str, kind: type[_T]) -> _T | None:
    return None if data.get(key, 0) is None else _field(data, key, kind)


def _count(data: Mapping[str, Any], key: str) -> int:
    value = _field(data, key, int)
    if not 0 <= value <= MAX_SEQUENCE:
        raise _DamageError(f"{key!r} to be a whole number from 0 to {MAX_SEQUENCE}", str(value))
    return value


def _instant_field(data: Mapping[str, Any], key: str) -> dt.datetime:
    text = _field(data, key, str)
    try:
        return _parse_instant(text)
    except ValueError:
        expected = f"{key!r} to be a UTC instant like 2023-01-31T17:00:00Z"
        raise _DamageError(expected, repr(text)) from None


def read(path: Path) -> Ledger | None:
    """The ledger at ``path``, or ``None`` when there is none yet.

    Raises:
        DeclarationError: if the file exists but cannot be read as a ledger.
    """
    text = _read_text(path)
    return None if text is None else loads(text, file=str(path))


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise DeclarationError(
            [_problem(str(path), None, "a readable ledger", str(error))]
        ) from None


# -- the ledger beside its feeds -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class Published:
    """What the feeds of a folder publish of one UID."""

    sequence: int
    cancelled: bool
    #: The name of a feed that publishes the UID at this SEQUENCE.
    feed: str


def published(folder: Path, feeds: Iterable[str]) -> dict[str, Published]:
    """Every UID the ``feeds`` (names of ``.ics`` files in ``folder``) publish, at its
    highest SEQUENCE.

    Only the feeds a build wrote count: a person's own calendar file in the
    folder says nothing of what the build published.
    """
    found: dict[str, Published] = {}
    for name in sorted(set(feeds)):
        feed = Path(folder) / name
        if not name.endswith(".ics") or name.startswith("."):  # not a feed, or a temporary file
            continue
        try:
            data = feed.read_bytes()
        except OSError:  # unreadable or vanished: the build reports it when it writes
            continue
        for uid, sequence, cancelled in _vevents(data):
            known = found.get(uid)
            if known is None or sequence > known.sequence:
                found[uid] = Published(sequence=sequence, cancelled=cancelled, feed=feed.name)
    return found


def _vevents(data: bytes) -> Iterator[tuple[str, int, bool]]:
    """(UID, SEQUENCE, cancelled) of each VEVENT of a feed.

    Three properties are all a cross-check needs, so unfolded lines are scanned
    rather than the feed parsed: a feed a person mangled still yields what it can.
    """
    text = re.sub(r"\r?\n[ \t]", "", data.decode("utf-8", errors="replace"))
    components: list[str] = []
    uid, sequence, cancelled = None, 0, False
    for line in re.split(r"\r?\n", text):
        name, _, value = line.partition(":")
        name = name.split(";", 1)[0].upper()
        if name == "BEGIN":
            components.append(value.upper())
            uid, sequence, cancelled = (
                (None, 0, False) if value.upper() == "VEVENT" else (uid, sequence, cancelled)
            )
        elif name == "END":
            if components and components.pop() == "VEVENT" and uid is not None:
                yield uid, sequence, cancelled
        elif components and components[-1] == "VEVENT":
            if name == "UID":
                uid = re.sub(r"\\([\\;,])", r"\1", value)
            elif name == "SEQUENCE" and value.isdigit() and int(value) <= MAX_SEQUENCE:
                sequence = int(value)
            elif name == "STATUS":
                cancelled = value.upper() == "CANCELLED"


def read_folder(folder: Path, feeds: Iterable[str]) -> Ledger | None:
    """The ledger of a folder of feeds, checked against the ``feeds`` beside it (the
    names of the files a build wrote there).

    ``None`` when there is none yet and no feed publishes an event.

    Raises:
        DeclarationError: if the ledger is damaged: unreadable, a symbolic link,
            missing while feeds publish events, or lower than the feeds, missing a
            UID they publish or a SEQUENCE at or above theirs. A build from such a
            ledger would lower SEQUENCE or lose a cancellation.
    """
    path = Path(folder) / LEDGER_NAME
    file = str(path)
    _refuse_link(path)
    seen = published(Path(folder), feeds)
    text = _read_text(path)
    if text is None:
        if not seen:
            return None
        expected = f"the ledger of the {len(seen)} events the feeds beside it publish"
        raise _report([_problem(file, None, expected, "no such file")])
    ledger, numbers = _parse(text, file)
    problems = list(_behind(ledger, numbers, seen, file))
    if problems:
        raise _report(problems)
    return ledger


def _refuse_link(path: Path) -> None:
    """A ledger that is a symbolic link is damage: what it points to is no record of the folder."""
    if path.is_symlink():
        found = f"a symbolic link to {path.readlink()}"
        hint = (
            "if it links to this folder's ledger, replace the link with a copy of that file; "
            "then build with --repair-ledger to check it against the feeds"
        )
        problem = _problem(str(path), None, "the ledger as a regular file", found)
        raise DeclarationError([attrs.evolve(problem, hint=hint)])


def _behind(
    ledger: Ledger, numbers: Mapping[str, int], feeds: Mapping[str, Published], file: str
) -> Iterator[Problem]:
    """A problem for each UID the feeds publish at a SEQUENCE the ledger does not reach."""
    entries = _index(ledger.entries)
    for uid, seen in sorted(feeds.items()):
        entry = entries.get(uid)
        where = f"as {seen.feed} publishes it"
        if entry is None:
            expected = f"an entry for UID {uid!r}, published at SEQUENCE {seen.sequence}"
            yield _problem(file, None, f"{expected} in {seen.feed}", "none")
        elif entry.sequence < seen.sequence:
            expected = f"SEQUENCE {seen.sequence} or more for UID {uid!r}, {where}"
            yield _problem(file, numbers[uid], expected, f"SEQUENCE {entry.sequence}")


def repair(
    folder: Path, declared: Sequence[Event], *, at: dt.datetime, feeds: Iterable[str]
) -> tuple[Ledger, tuple[str, ...]]:
    """Rebuild a damaged ledger from what is left of it and from the feeds beside it.

    Every entry still readable is kept (of a UID on two lines, the higher
    SEQUENCE); a UID the feeds publish higher, or the ledger lost, takes the
    feeds' SEQUENCE, and its content counts as unknown so the build publishes
    it at the next one. No SEQUENCE is ever lowered.

    Args:
        folder: The folder of feeds.
        declared: The events the declaration produces now: a UID the ledger lost
            is entered again from its declared event.
        at: The moment of this revision, stamped on UIDs entered again.
        feeds: The names of the feeds a build wrote in ``folder``.

    Returns:
        The repaired ledger and one sentence per thing repaired.

    Raises:
        DeclarationError: if the ledger is a symbolic link or of an unknown
            version, or a UID the feeds publish is in neither the ledger nor the
            declaration (restoring an older ledger first brings it back).
    """
    path = Path(folder) / LEDGER_NAME
    _refuse_link(path)
    notes: list[str] = []
    text = _read_text(path)
    if text is None:
        notes.append(f"{path}: missing; rebuilt from the feeds and the declaration")
    entries = {} if text is None else _salvage(text, str(path), notes)
    seen = published(Path(folder), feeds)
    _raise_to_feeds(entries, seen, str(path), declared, at=at, notes=notes)
    if not notes:
        notes.append(f"{path}: nothing to repair")
    return Ledger(entries=tuple(entries[uid] for uid in sorted(entries))), tuple(notes)


def _raise_to_feeds(
    entries: dict[str, LedgerEntry],
    feeds: Mapping[str, Published],
    file: str,
    declared: Sequence[Event],
    *,
    at: dt.datetime,
    notes: list[str],
) -> None:
    """Raise in place each entry the feeds publish higher, or enter again a lost one."""
    by_uid = {event.uid: event for event in declared}
    lost: list[Problem] = []
    for uid, seen in sorted(feeds.items()):
        entry = entries.get(uid)
        if entry is not None and entry.sequence >= seen.sequence:
            continue
        event = entry.event if entry is not None else by_uid.get(uid)
        if event is None:
            expected = f"an entry or a declared event for UID {uid!r}, published in {seen.feed}"
            lost.append(_problem(file, None, expected, "neither"))
            continue
        entries[uid] = LedgerEntry(
            uid=uid,
            # What the feed carries at this SEQUENCE is unknown: the build moves it on.
            digest=_UNKNOWN_DIGEST,
            sequence=seen.sequence,
            first_published=at if entry is None else entry.first_published,
            last_changed=at if entry is None else entry.last_changed,
            state=LedgerState.CANCELLED if seen.cancelled else LedgerState.LIVE,
            event=event if entry is not None else attrs.evolve(event, sequence=seen.sequence),
        )
        before = "no entry" if entry is None else f"SEQUENCE {entry.sequence}"
        notes.append(
            f"{file}: UID {uid}: {before} raised to SEQUENCE {seen.sequence} of {seen.feed}"
        )
    if lost:
        # Without its event a cancellation cannot be published: dropping it silently
        # would leave subscribers with an event that no longer happens.
        hint = (
            "restore an older ledger from version control, or declare the event again, "
            "then build with --repair-ledger once more"
        )
        raise DeclarationError([*lost[:-1], attrs.evolve(lost[-1], hint=hint)])


def _salvage(text: str, file: str, notes: list[str]) -> dict[str, LedgerEntry]:
    """Every readable entry of a damaged ledger, noting each line left out."""
    lines = _lines(text)
    try:
        version = _version(lines, file)
    except DeclarationError as error:
        if lines and '"pe_schedule_ledger"' in lines[0]:
            raise  # a version this release does not know: repairing would lose its data
        notes.append(f"{error}; read as version 1, the most lenient")
        version = 1
    entries: dict[str, LedgerEntry] = {}
    for number, line in enumerate(lines[1:], start=2):
        try:
            entry = _entry(line, version)
        except _DamageError as damage:
            notes.append(f"{file}:{number}: left out: {damage}")
            continue
        kept = entries.get(entry.uid)
        if kept is not None:
            notes.append(f"{file}:{number}: UID {entry.uid} again; kept the higher SEQUENCE")
            if kept.sequence >= entry.sequence:
                continue
        entries[entry.uid] = entry
    return entries


#: The length of a stamp: ``YYYY-MM-DDTHH:MM:SSZ``.
_INSTANT_LENGTH = 20


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_instant(text: str) -> dt.datetime:
    """``YYYY-MM-DDTHH:MM:SSZ``, exactly as :func:`_instant` writes it.

    The shape is checked here and the digits by ``fromisoformat``, several times
    faster than ``strptime`` over the thousands of stamps of a ledger.
    """
    # strptime matched the letters in either case; so does this.
    shaped = (
        len(text) == _INSTANT_LENGTH
        and text[10] in "Tt"
        and text[19] in "Zz"
        and text[4] == text[7] == "-"
        and text[13] == text[16] == ":"
    )
    try:
        if shaped:
            return dt.datetime.fromisoformat(text[:19]).replace(tzinfo=dt.UTC)
    except ValueError:
        pass
    raise ValueError(f"not a UTC instant: {text!r}")


def _span_to_json(span: Span) -> dict[str, Any]:
    # Times keep their UTC offset: a wall-clock time alone is ambiguous in the hour a
    # DST change repeats, and a cancellation must republish the very instant.
    zone = span.zone.name if isinstance(span, Timed) else None
    return {"start": span.start.isoformat(), "end": span.end.isoformat(), "timezone": zone}


def _span_from_json(data: Mapping[str, Any], *, naive: bool) -> Span:
    zone_name = _optional(data, "timezone", str)
    start, end = _field(data, "start", str), _field(data, "end", str)
    if zone_name is None:
        return AllDay(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
    zone = Zone(zone_name)
    return Timed(
        start=_moment(start, zone, naive=naive), end=_moment(end, zone, naive=naive), zone=zone
    )


def _moment(text: str, zone: Zone, *, naive: bool) -> dt.datetime:
    """A stored event time in ``zone``; a naive one only where ``naive`` (version 1) allows."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        return moment.astimezone(zone.tzinfo)
    if not naive:
        raise _DamageError("an event time with its UTC offset", repr(text))
    # Version 1 ledgers written before offsets were kept hold the event's wall-clock
    # time: it is read in the event's zone, never the host's (astimezone would).
    return moment.replace(tzinfo=zone.tzinfo)


def _event_to_json(event: Event) -> dict[str, Any]:
    return _event_fields(event, stamps=True)


def _event_fields(event: Event, *, stamps: bool) -> dict[str, Any]:
    """The event's record; without ``stamps`` (SEQUENCE and revised, which the digest
    leaves out) the stamp is not even formatted."""
    # Leaders only when there are some: an event nobody leads keeps the record (and so
    # the digest and SEQUENCE) it had before events knew their leaders.
    leaders = {"leaders": list(event.leaders)} if event.leaders else {}
    # A join link likewise only when there is one.
    join = {"join": event.join} if event.join is not None else {}
    stamped = {"sequence": event.sequence, "revised": _instant(event.revised)} if stamps else {}
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
        **join,
        "categories": list(event.categories),
        "in_person": event.in_person,
        "status": event.status.value,
        "busy": event.busy,
        "alarms": [int(alarm.total_seconds()) for alarm in event.alarms],
        **stamped,
        "uid": event.uid,
        **leaders,
    }


def _event_from_json(data: Mapping[str, Any], *, naive: bool = False) -> Event:
    month = _optional(data, "month", str)
    return Event(
        uid=_field(data, "uid", str),
        programme=_field(data, "programme", str),
        cohort=_optional(data, "cohort", str),
        activity=_field(data, "activity", str),
        target=Target.parse(_field(data, "target", str)),
        month=YearMonth.parse(month) if month else None,
        summary=_field(data, "summary", str),
        span=_span_from_json(data, naive=naive),
        location=_field(data, "location", str),
        description=_field(data, "description", str),
        url=_optional(data, "url", str),
        # Absent from the records of events without one (and from older ledgers).
        join=_field(data, "join", str) if "join" in data else None,
        categories=tuple(_texts(data, "categories")),
        in_person=_field(data, "in_person", bool),
        status=Status(_field(data, "status", str)),
        busy=_field(data, "busy", bool),
        alarms=tuple(dt.timedelta(seconds=seconds) for seconds in _alarms(data)),
        sequence=_count(data, "sequence"),
        # Kept so that a session's cancellation still reaches its leaders' feeds.
        leaders=tuple(_texts(data, "leaders")) if "leaders" in data else (),
        revised=_instant_field(data, "revised"),
    )


def _texts(data: Mapping[str, Any], key: str) -> list[str]:
    values: list[Any] = _field(data, key, list)
    if not all(type(value) is str for value in values):
        raise _DamageError(f"{key!r} to be a list of strings", repr(values)[:60])
    return values


def _alarms(data: Mapping[str, Any]) -> list[int]:
    values: list[Any] = _field(data, "alarms", list)
    for value in values:
        if type(value) is not int or not -MAX_ALARM <= value <= MAX_ALARM:
            bound = f"whole numbers of seconds from -{MAX_ALARM} to {MAX_ALARM}"
            raise _DamageError(f"'alarms' to be {bound}", repr(value)[:60])
    return values


__all__ = [
    "CANCELLED_PREFIX",
    "LEDGER_NAME",
    "LEDGER_VERSION",
    "MAX_ALARM",
    "MAX_SEQUENCE",
    "READABLE_VERSIONS",
    "REPAIR_COMMAND",
    "REPAIR_HINT",
    "Change",
    "Fate",
    "Ledger",
    "LedgerEntry",
    "LedgerState",
    "Published",
    "Reconciliation",
    "content_digest",
    "diff",
    "dumps",
    "loads",
    "published",
    "read",
    "read_folder",
    "reconcile",
    "repair",
]
