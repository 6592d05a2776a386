"""Event lists as text: a table for people, JSON and CSV for programs.

Timed events are shown on the wall clock of a display zone when one is given
(a Pacific-time team sees a 13:00 Eastern call at 10:00), else in their own
zone; all-day events are dates and look the same everywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from pe_schedule._internal.model.event import Event, Span, Status, Timed
from pe_schedule._internal.model.zones import Zone

#: The columns of the CSV and the keys of each JSON event, in order.
FIELDS = (
    "uid",
    "cohort",
    "activity",
    "audience",
    "month",
    "summary",
    "all_day",
    "start",
    "end",
    "timezone",
    "location",
    "in_person",
    "status",
    "busy",
)


def _shown(span: Span, zone: Zone | None) -> Span:
    """``span`` as seen on ``zone``'s wall clock (default: its own)."""
    if isinstance(span, Timed):
        zone = zone or span.zone
        start, end = span.start.astimezone(zone.tzinfo), span.end.astimezone(zone.tzinfo)
        return Timed(start=start, end=end, zone=zone)
    return span


def record(event: Event, zone: Zone | None = None) -> dict[str, Any]:
    """One event as plain values, its times shown in ``zone`` (default: its own).

    All-day events have dates with an exclusive end, as in iCalendar.
    """
    span = _shown(event.span, zone)
    return {
        "uid": event.uid,
        "cohort": event.cohort,
        "activity": event.activity,
        "audience": str(event.target),
        "month": None if event.month is None else str(event.month),
        "summary": event.summary,
        "all_day": event.all_day,
        "start": span.start.isoformat(),
        "end": span.end.isoformat(),
        "timezone": span.zone.name if isinstance(span, Timed) else None,
        "location": event.location,
        "in_person": event.in_person,
        "status": event.status.value,
        "busy": event.busy,
    }


def as_json(events: Sequence[Event], zone: Zone | None = None) -> str:
    """The events as a JSON array of :func:`record` objects."""
    return json.dumps([record(e, zone) for e in events], indent=2, ensure_ascii=False) + "\n"


def as_csv(events: Sequence[Event], zone: Zone | None = None) -> str:
    """The events as CSV with a header row of :data:`FIELDS`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        writer.writerow(record(event, zone))
    return buffer.getvalue()


def _when(event: Event, zone: Zone | None) -> tuple[str, str]:
    span = _shown(event.span, zone)
    if isinstance(span, Timed):
        start, end = span.start, span.end
        return start.date().isoformat(), f"{start:%H:%M}-{end:%H:%M} {start.tzname()}"
    last = span.end - dt.timedelta(days=1)
    if last == span.start:
        return span.start.isoformat(), "all day"
    return span.start.isoformat(), f"all day to {last.isoformat()}"


def as_table(events: Sequence[Event], zone: Zone | None = None) -> str:
    """The events as aligned text columns: date, time, what, for whom, where."""
    rows = [("date", "time", "event", "for", "where")]
    for event in events:
        day, time = _when(event, zone)
        summary = event.summary + (" [cancelled]" if event.status is Status.CANCELLED else "")
        rows.append((day, time, summary, str(event.target), event.location))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[-1]
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


#: Each ``--format`` of ``pe-schedule events``.
FORMATS: dict[str, Callable[[Sequence[Event], Zone | None], str]] = {
    "table": as_table,
    "json": as_json,
    "csv": as_csv,
}

__all__ = ["FIELDS", "FORMATS", "as_csv", "as_json", "as_table", "record"]
