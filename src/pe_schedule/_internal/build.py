"""Building a programme's folder of feeds, or checking that one is up to date.

:func:`build` is what ``pe-schedule build PATH --out DIR [--check]`` runs:
expand the programme into events, reconcile them with the folder's ledger of
what was published before (SEQUENCE, cancellations: :mod:`pe_schedule.ledger`),
plan one feed per audience, render every feed, ``feeds.json``, ``index.html``
and the new ledger, then either write them safely
(:func:`pe_schedule.publish.publish`) or compare them with the folder
(:func:`pe_schedule.publish.compare`) without writing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from pe_schedule._internal.model.event import Event
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.publish import ledger
from pe_schedule._internal.publish.feeds import Feed, Plan, plan, render
from pe_schedule._internal.publish.files import Comparison, Written, compare, publish
from pe_schedule._internal.publish.ical import DEFAULT_REFRESH
from pe_schedule._internal.publish.ledger import LEDGER_NAME, Change
from pe_schedule._internal.render.index_page import render_index
from pe_schedule._internal.schedule import expand
from pe_schedule.exceptions import OutputError

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
) -> Result:
    """Write ``programme``'s feeds into ``out``, or with ``check`` compare them.

    Args:
        programme: A loaded programme (with its roster, if it has one).
        out: The folder of feeds.
        key: The key for personal feed names; without it they are skipped.
        check: Compare with ``out`` and write nothing.
        refresh: The refresh interval feeds suggest to clients.
        base_url: Where ``out`` is published, for absolute links in ``index.html``.

    Raises:
        PeScheduleError: if the programme cannot be expanded or written.
        OSError: if ``out`` cannot be read or written.
    """
    out = Path(out)
    revision, notices = revise(programme, out)
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
    result = Result(
        plan=feed_plan, changes=revision.changes, notices=(*feed_plan.notices, *notices)
    )
    if check:
        return attrs.evolve(result, comparison=compare(produced, out))
    return attrs.evolve(result, written=publish(produced, out))


def default_folder(declaration: Path, programme: Programme) -> Path:
    """Where a declaration's feeds go unless told: a folder named after the programme beside it."""
    return Path(declaration).parent / programme.id


def revise(programme: Programme, out: Path) -> tuple[ledger.Reconciliation, list[str]]:
    """Reconcile ``programme``'s events with the ledger in ``out``; notices beside.

    Args:
        programme: A loaded programme.
        out: The folder of feeds whose ledger records what was published.

    Raises:
        DeclarationError: if the folder's ledger is corrupt or of an unknown version.
        OutputError: if ``out`` is a file, not a folder.
    """
    if Path(out).exists() and not Path(out).is_dir():
        raise OutputError(f"{out}: expected a folder for the feeds, got a file")
    ledger_path = Path(out) / LEDGER_NAME
    notices: list[str] = []
    previous = ledger.read(ledger_path)
    if previous is None:
        notices.append(
            f"{ledger_path}: no ledger yet, starting a new one "
            "(events published before from this folder start again at SEQUENCE 0)"
        )
    at = expand.revised(programme)
    revision = ledger.reconcile(
        previous or ledger.Ledger(),
        expand.events(programme),
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


__all__ = ["PAGE_NAME", "Result", "build", "default_folder", "files", "revise"]
