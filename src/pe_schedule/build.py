"""Building a programme's folder of feeds, or checking that one is up to date.

:func:`build` is what ``pe-schedule build PATH --out DIR [--check]`` runs:
expand the programme into events, plan one feed per audience, render every
feed, ``feeds.json`` and ``index.html``, then either write them safely
(:func:`pe_schedule.publish.publish`) or compare them with the folder
(:func:`pe_schedule.publish.compare`) without writing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from pe_schedule import expand
from pe_schedule.event import Event
from pe_schedule.feeds import Feed, Plan, plan, render
from pe_schedule.ical import DEFAULT_REFRESH
from pe_schedule.index_page import render_index
from pe_schedule.model import Programme
from pe_schedule.publish import Comparison, Written, compare, publish

#: The page a build writes beside the feeds.
PAGE_NAME = "index.html"


@attrs.frozen(kw_only=True)
class Result:
    """What a build did, or what a check found."""

    plan: Plan
    #: Set by a build: the files written, left as they were and removed.
    written: Written | None = None
    #: Set by a check: how the folder differs from what a build would write.
    comparison: Comparison | None = None

    @property
    def notices(self) -> tuple[str, ...]:
        """Soft problems a person should see, such as skipped personal feeds."""
        return self.plan.notices

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
) -> Iterator[tuple[str, bytes]]:
    """Every file of the folder, (name, bytes), one at a time: feeds, index, page."""
    counts: dict[str, int] = {}
    for rendered in render(programme, feeds, events, refresh=refresh):
        if rendered.events is not None:
            counts[rendered.name] = rendered.events
        yield rendered.name, rendered.data
    page = render_index(programme, feeds, counts, base_url=base_url)
    yield PAGE_NAME, page.encode("utf-8")


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
    events = expand.events(programme)
    feed_plan = plan(programme, events, programme.roster, key=key)
    produced = files(programme, feed_plan.feeds, events, refresh=refresh, base_url=base_url)
    if check:
        return Result(plan=feed_plan, comparison=compare(produced, Path(out)))
    return Result(plan=feed_plan, written=publish(produced, Path(out)))


__all__ = ["PAGE_NAME", "Result", "build", "files"]
