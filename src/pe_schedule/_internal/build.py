"""Building a programme's folder of feeds, or checking that one is up to date.

:func:`build` is what ``pe-schedule build PATH --out DIR [--check]`` runs:
expand the programme into events, reconcile them with the folder's ledger of
what was published before (SEQUENCE, cancellations: :mod:`pe_schedule.ledger`),
plan one feed per audience, render every feed, ``feeds.json``, ``index.html``
and the new ledger, then either write them safely
(:func:`pe_schedule.publish.publish`) or compare them with the folder
(:func:`pe_schedule.publish.compare`) without writing anything.

A build told its :class:`Sources` (the declaration, roster and solved
schedule it was loaded from, digested before loading) stamps the folder's
manifest with a :func:`fingerprint` of them and of everything else that
shapes the bytes; :func:`quick_check` then answers "up to date" from that
stamp and the files' recorded digests, without loading, expanding or
rendering anything. Whatever it cannot vouch for goes the full way.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from pe_schedule._internal.declaration.roster import MAX_ROSTER_BYTES
from pe_schedule._internal.declaration.solved import solved_path
from pe_schedule._internal.declaration.source import MAX_FILE_BYTES, read_bounded
from pe_schedule._internal.model.event import Event
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.publish import ledger
from pe_schedule._internal.publish.feeds import Feed, Plan, plan, render
from pe_schedule._internal.publish.files import (
    Comparison,
    Stamp,
    Written,
    built_with,
    compare,
    locked,
    owned,
    publish,
    stamped,
)
from pe_schedule._internal.publish.ical import DEFAULT_REFRESH
from pe_schedule._internal.publish.ledger import LEDGER_NAME, Change
from pe_schedule._internal.render.index_page import render_index
from pe_schedule._internal.schedule import expand
from pe_schedule.exceptions import OutputError, PeScheduleError

#: The page a build writes beside the feeds.
PAGE_NAME = "index.html"


@attrs.frozen(kw_only=True)
class Result:
    """What a build did, or what a check found."""

    plan: Plan
    #: What subscribers will see change, compared with the folder's ledger.
    changes: tuple[Change, ...] = ()
    #: Soft problems a person should see, such as skipped personal feeds.
    notices: tuple[str, ...] = ()
    #: Set by a build: the files written, left as they were and removed.
    written: Written | None = None
    #: Set by a check: how the folder differs from what a build would write.
    comparison: Comparison | None = None

    @property
    def up_to_date(self) -> bool:
        """For a check: whether the folder is exactly what a build would write."""
        return self.comparison is None or self.comparison.same


def files(
    programme: Programme,
    feeds: Sequence[Feed],
    events: Sequence[Event],
    *,
    refresh: dt.timedelta = DEFAULT_REFRESH,
    base_url: str | None = None,
    published: ledger.Ledger | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Every file of the folder, (name, bytes), one at a time: feeds, index, page, ledger.

    The ledger comes last, so a build that fails on any feed never records
    events as published.
    """
    counts: dict[str, int] = {}
    for rendered in render(programme, feeds, events, refresh=refresh):
        if rendered.events is not None:
            counts[rendered.name] = rendered.events
        yield rendered.name, rendered.data
    page = render_index(programme, feeds, counts, base_url=base_url)
    yield PAGE_NAME, page.encode("utf-8")
    if published is not None:
        yield LEDGER_NAME, ledger.dumps(published).encode("utf-8")


def build(
    programme: Programme,
    out: Path,
    *,
    key: bytes | None = None,
    check: bool = False,
    refresh: dt.timedelta = DEFAULT_REFRESH,
    base_url: str | None = None,
    repair_ledger: bool = False,
    sources: Sources | None = None,
) -> Result:
    """Write ``programme``'s feeds into ``out``, or with ``check`` compare them.

    Args:
        programme: A loaded programme (with its roster, if it has one).
        out: The folder of feeds.
        key: The key for personal feed names; without it they are skipped.
        check: Compare with ``out`` and write nothing.
        refresh: The refresh interval feeds suggest to clients.
        base_url: Where ``out`` is published, for absolute links in ``index.html``.
        repair_ledger: Rebuild a damaged ledger from what is left and the feeds
            (:func:`pe_schedule.ledger.repair`), noticing each repair.
        sources: The files ``programme`` was loaded from, read before loading
            it (:func:`read_sources`): a build stamps the manifest with them,
            so that :func:`quick_check` can answer at once while they hold.

    Raises:
        PeScheduleError: if the programme cannot be expanded or written.
        OSError: if ``out`` cannot be read or written.
    """
    out = Path(out)
    # One lock from reading the ledger to the last rename: builds never interleave.
    with locked(out, write=not check):
        return _build(
            programme,
            out,
            key=key,
            check=check,
            refresh=refresh,
            base_url=base_url,
            repair_ledger=repair_ledger,
            sources=sources,
        )


def _build(
    programme: Programme,
    out: Path,
    *,
    key: bytes | None,
    check: bool,
    refresh: dt.timedelta,
    base_url: str | None,
    repair_ledger: bool = False,
    sources: Sources | None = None,
) -> Result:
    """:func:`build`, once the folder's lock is held."""
    revision, notices = revise(programme, out, repair=repair_ledger)
    events = revision.events
    feed_plan = plan(programme, events, programme.roster, key=key)
    produced = files(
        programme,
        feed_plan.feeds,
        events,
        refresh=refresh,
        base_url=base_url,
        published=revision.ledger,
    )
    result = Result(plan=feed_plan, changes=revision.changes)
    if check:
        comparison = compare(produced, out)
        if not comparison.same:
            notices.extend(_versions_changed(out))
        result = attrs.evolve(result, comparison=comparison)
    else:
        stamp = None
        if sources is not None:
            inputs = fingerprint(sources, key=key, refresh=refresh, base_url=base_url)
            stamp = Stamp(inputs=inputs, feeds=len(feed_plan.feeds), notices=feed_plan.notices)
        written = publish(produced, out, built_with=output_versions(), stamp=stamp)
        if written.foreign:
            notices.append(
                f"{out}: left alone {len(written.foreign)} file(s) pe-schedule did not write: "
                + ", ".join(written.foreign)
            )
        result = attrs.evolve(result, written=written)
    return attrs.evolve(result, notices=(*feed_plan.notices, *notices))


#: The packages whose releases can change a feed's bytes: the zone rules, the
#: holidays sessions shift off, the iCalendar serialiser, and pe-schedule itself.
OUTPUT_PACKAGES = ("holidays", "icalendar", "pe-schedule", "tzdata")


def output_versions() -> dict[str, str]:
    """The installed version of each of :data:`OUTPUT_PACKAGES`."""
    # Imported here: it costs more than most commands take, and only builds ask.
    import importlib.metadata

    found = {}
    for name in OUTPUT_PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _versions_changed(out: Path) -> Iterator[str]:
    """Why a folder may differ though its declaration did not: a package it was built with
    has another version here."""
    recorded, now = built_with(out), output_versions()
    moved = [
        f"{name} {recorded[name]} -> {now[name]}"
        for name in OUTPUT_PACKAGES
        if name in recorded and recorded[name] != now[name]
    ]
    if moved:
        yield (
            f"{out} was built with other versions of packages that shape the feeds ("
            + ", ".join(moved)
            + "): install the versions it was built with (constraints.txt), or rebuild "
            "deliberately to move to these"
        )


@attrs.frozen(kw_only=True)
class Sources:
    """The files a build of one declaration reads, digested before loading it.

    Read before loading, a file changed meanwhile leaves a stamp of its old
    bytes: the next check sees the difference and goes the full way.
    """

    declaration: Path
    #: SHA-256 of the declaration, its roster and its solved schedule (``None``: absent).
    digests: tuple[tuple[str, str | None], ...]
    #: The programme's id as declared, for its default folder (checked only by loading).
    programme: str | None = None


def read_sources(declaration: Path) -> Sources | None:
    """Digest the files a build of ``declaration`` reads; ``None`` if one cannot be read
    here (loading it says why), so nothing is stamped or vouched for."""
    declaration = Path(declaration)
    try:
        data = read_bounded(declaration, limit=MAX_FILE_BYTES, what="a declaration")
        header = tomllib.loads(data.decode("utf-8")).get("programme", {})
        roster = header.get("roster")
        programme = header.get("id")
        digests = [("declaration", _sha256(data)), ("solved", _digest(solved_path(declaration)))]
        if roster is not None:
            digests.append(("roster", _roster_digest(declaration, roster)))
    except (OSError, ValueError, AttributeError, PeScheduleError):
        return None
    return Sources(
        declaration=declaration,
        digests=tuple(digests),
        programme=programme if isinstance(programme, str) else None,
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest(path: Path) -> str | None:
    """SHA-256 of the file at ``path``, or ``None`` if there is none."""
    try:
        return _sha256(read_bounded(path, limit=MAX_ROSTER_BYTES, what="an input"))
    except FileNotFoundError:
        return None


def _roster_digest(declaration: Path, name: object) -> str | None:
    """The roster's digest; refuses (ValueError) a name loading would refuse as outside."""
    if not isinstance(name, str) or Path(name).is_absolute() or ".." in Path(name).parts:
        raise ValueError(f"roster {name!r}: not one this build can vouch for")
    return _digest(declaration.parent / name)


@functools.cache
def library_digest() -> str:
    """A digest of pe_schedule's own source files.

    Its version alone would vouch for a development checkout whose code changed
    without a release: a changed writer must never be answered "up to date"
    from a stamp the old code made. Reading the package's modules costs a few
    milliseconds.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


#: Keys the feed key's identity, so a manifest tells whether personal feeds were built
#: and with which key, without holding anything that reveals the key.
_KEY_IDENTITY = b"pe-schedule feed key identity"


def fingerprint(
    sources: Sources,
    *,
    key: bytes | None,
    refresh: dt.timedelta = DEFAULT_REFRESH,
    base_url: str | None = None,
) -> str:
    """A digest of everything that shapes a build's bytes but the folder's own ledger.

    The declaration, roster and solved schedule; the versions of
    :data:`OUTPUT_PACKAGES` (pe-schedule's own among them) and pe_schedule's own
    code (:func:`library_digest`); the options; and
    whether, and with which key, personal feeds are built (a keyed hash of a
    constant, never the key).
    """
    identity = None if key is None else hmac.new(key, _KEY_IDENTITY, hashlib.sha256).hexdigest()
    document = {
        "stamp": 1,
        "sources": dict(sources.digests),
        "versions": output_versions(),
        "code": library_digest(),
        "refresh": refresh.total_seconds(),
        "base_url": base_url,
        "key": identity,
    }
    return _sha256(json.dumps(document, sort_keys=True).encode())


def quick_check(
    sources: Sources,
    out: Path | None,
    *,
    key: bytes | None,
    refresh: dt.timedelta = DEFAULT_REFRESH,
    base_url: str | None = None,
) -> Stamp | None:
    """The stamp saying ``out`` is up to date with ``sources``, without building; or ``None``.

    ``out`` defaults to the declared programme's folder. ``None`` means "not
    known" (no stamp, other inputs, a file changed, added or removed): run
    :func:`build` with ``check`` for the answer and what differs.
    """
    if out is None:
        if sources.programme is None:
            return None
        out = sources.declaration.parent / sources.programme
    out = Path(out)
    if not out.is_dir():
        return None
    inputs = fingerprint(sources, key=key, refresh=refresh, base_url=base_url)
    # Under the lock, as a full check: a half-committed folder is finished first.
    with locked(out, write=False):
        return stamped(out, inputs)


def default_folder(declaration: Path, programme: Programme) -> Path:
    """Where a declaration's feeds go unless told: a folder named after the programme beside it."""
    return Path(declaration).parent / programme.id


def revise(
    programme: Programme, out: Path, *, repair: bool = False
) -> tuple[ledger.Reconciliation, list[str]]:
    """Reconcile ``programme``'s events with the ledger in ``out``; notices beside.

    Args:
        programme: A loaded programme.
        out: The folder of feeds whose ledger records what was published.
        repair: Repair a damaged ledger from the feeds first, a notice per repair.

    Raises:
        DeclarationError: if the folder's ledger is damaged (checked against the
            feeds beside it) or of an unknown version.
        OutputError: if ``out`` is a file, not a folder.
    """
    if Path(out).exists() and not Path(out).is_dir():
        raise OutputError(f"{out}: expected a folder for the feeds, got a file")
    ledger_path = Path(out) / LEDGER_NAME
    notices: list[str] = []
    at = expand.revised(programme)
    events = expand.events(programme)
    previous: ledger.Ledger | None
    if repair:
        previous, repaired = ledger.repair(Path(out), events, at=at, feeds=owned(Path(out)))
        notices.extend(repaired)
    else:
        previous = ledger.read_folder(Path(out), owned(Path(out)))
    if previous is None:
        notices.append(f"{ledger_path}: no ledger yet, starting a new one")
    revision = ledger.reconcile(
        previous or ledger.Ledger(),
        events,
        at=at,
        retention=programme.cancelled_retention,
    )
    notices.extend(_stale_revision(revision.changes, at))
    return revision, notices


def _stale_revision(changes: Sequence[Change], at: dt.datetime) -> Iterator[str]:
    """A notice when events changed but the declaration's ``revised`` did not move on.

    SEQUENCE still rises, but DTSTAMP and LAST-MODIFIED come from ``revised``,
    and some clients compare those too.
    """
    stale = [
        change for change in changes if change.before is not None and change.before.revised >= at
    ]
    if stale:
        yield (
            f"{len(stale)} changed event(s) keep the stamp {at:%Y-%m-%dT%H:%M:%SZ} they were "
            "last published with: set [programme].revised to when you made this change"
        )


__all__ = [
    "OUTPUT_PACKAGES",
    "PAGE_NAME",
    "Result",
    "Sources",
    "build",
    "default_folder",
    "files",
    "fingerprint",
    "output_versions",
    "quick_check",
    "read_sources",
    "revise",
]
