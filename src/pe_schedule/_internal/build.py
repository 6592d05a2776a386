"""Building a programme's folder of feeds, or checking that one is up to date.

:func:`build` is what ``pe-schedule build PATH --out DIR [--check]`` runs:
expand the programme into events, reconcile them with the folder's ledger of
what was published before (SEQUENCE, cancellations: :mod:`pe_schedule.ledger`),
plan one feed per audience, render every feed, ``feeds.json``, ``grid.svg``, ``index.html``
and the new ledger, then either write them safely
(:func:`pe_schedule.publish.publish`) or compare them with the folder
(:func:`pe_schedule.publish.compare`) without writing anything.

A build told its :class:`~pe_schedule._internal.stamp.Sources` stamps the
folder's manifest, so that :func:`pe_schedule._internal.stamp.quick_check`
can later answer "up to date" without building (see that module).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import attrs

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
)
from pe_schedule._internal.publish.ical import DEFAULT_REFRESH
from pe_schedule._internal.publish.ledger import LEDGER_NAME, Change
from pe_schedule._internal.render.grid import GRID_NAME, Grid, render_svg
from pe_schedule._internal.render.index_page import render_index
from pe_schedule._internal.schedule import expand
from pe_schedule._internal.stamp import (
    OUTPUT_PACKAGES,
    Sources,
    fingerprint,
    output_versions,
)
from pe_schedule.exceptions import DeclarationError, OutputError

#: The page a build writes beside the feeds.
PAGE_NAME = "index.html"

#: Given a build's files (name, bytes) and how many there are, yields them on: a way
#: for the command line to show progress without the writer knowing.
Track = Callable[[Iterable[tuple[str, bytes]], int], Iterator[tuple[str, bytes]]]


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
    """Every file of the folder, (name, bytes), one at a time: feeds, index, grid, page, ledger.

    The ledger comes last, so a build that fails on any feed never records
    events as published.
    """
    # The page lists only shared feeds, never one entry per person, and shows what is
    # on: their live events, which rendering picks out as it goes.
    held: dict[str, tuple[Event, ...]] = {}
    for rendered in render(programme, feeds, events, refresh=refresh):
        if rendered.live is not None:
            held[rendered.name] = rendered.live
        yield rendered.name, rendered.data
    yield GRID_NAME, render_svg(Grid.of(programme)).encode("utf-8")
    page = render_index(programme, feeds, held, base_url=base_url)
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
    track: Track | None = None,
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
        track: Wraps the files as they are written (not compared), told how
            many there are: the command line draws progress with it.

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
            track=track,
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
    track: Track | None = None,
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
        if track is not None:
            # The feeds, feeds.json, the page and the ledger.
            produced = track(produced, len(feed_plan.feeds) + 3)
        written = publish(produced, out, built_with=output_versions(), stamp=stamp)
        if written.foreign:
            notices.append(
                f"{out}: left alone {len(written.foreign)} file(s) pe-schedule did not write: "
                + ", ".join(written.foreign)
            )
        result = attrs.evolve(result, written=written)
    return attrs.evolve(result, notices=(*feed_plan.notices, *notices))


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
        try:
            previous = ledger.read_folder(Path(out), owned(Path(out)))
        except DeclarationError as error:
            raise _naming_the_repair(error, programme, Path(out)) from None
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


def _naming_the_repair(
    error: DeclarationError, programme: Programme, out: Path
) -> DeclarationError:
    """``error`` with the exact repair command for this declaration and folder in its hints."""
    declaration = programme.source or "DECLARATION"
    command = f"pe-schedule build {declaration} --out {out} --repair-ledger"
    return DeclarationError(
        attrs.evolve(problem, hint=problem.hint.replace(ledger.REPAIR_COMMAND, command))
        if problem.hint
        else problem
        for problem in error.problems
    )


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
    "PAGE_NAME",
    "Result",
    "build",
    "default_folder",
    "files",
    "revise",
]
