"""Putting the feeds that ``pe-schedule build`` wrote where people read them: a bucket, a CalDAV calendar."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import icalendar

#: Given the names of what a publish goes through (files, event UIDs) in the order it
#: sends them, and how many there are, yields them on, each once: a way for the command
#: line to show progress without the upload knowing of terminals.
Track = Callable[[Iterable[str], int], Iterator[str]]

_ESCAPED = re.compile(r"\\(.)")
_UNESCAPED = {"n": "\n", "N": "\n"}


def calendar_name(calendar: icalendar.Calendar, fallback: str) -> str:
    """The name a feed gives itself: RFC 7986 ``NAME``, else ``X-WR-CALNAME``, else ``fallback``.

    >>> feed = b"BEGIN:VCALENDAR\\r\\nX-WR-CALNAME:Team\\\\, A\\r\\nEND:VCALENDAR\\r\\n"
    >>> calendar_name(icalendar.Calendar.from_ical(feed), "t")
    'Team, A'
    """
    name = calendar.get("NAME")
    if name:
        return str(name)
    other = calendar.get("X-WR-CALNAME")
    if other:
        # An X- property comes back as written: undo its TEXT escaping here.
        return _ESCAPED.sub(lambda found: _UNESCAPED.get(found[1], found[1]), str(other))
    return fallback


__all__ = ["Track", "calendar_name"]
