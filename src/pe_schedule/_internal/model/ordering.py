"""The order people expect of names with numbers in them: 2 before 10.

Ids and titles such as ``ln-coaching-2`` and ``ln-coaching-10`` are listed in
many places (feeds, the index page, announcements); sorted as plain text
they come out 1, 10, 11, 2. :func:`natural` is the one sort key for them.
"""

from __future__ import annotations

import re

_NUMBERS = re.compile(r"(\d+)")


def natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key that orders runs of digits by their value and the rest as text.

    Each part is (0, value, "") for a number and (1, 0, text) for the text
    between, so keys of any two strings compare without mixing types; a tie in
    value (``2`` and ``02``) falls back to the digits as written, so the order
    is total and the same on every machine.

    >>> sorted(["cg-10", "cg-2", "cg-1", "cg-02", "cg"], key=natural)
    ['cg', 'cg-1', 'cg-02', 'cg-2', 'cg-10']
    """
    parts: list[tuple[int, int, str]] = []
    for index, part in enumerate(_NUMBERS.split(text)):
        if index % 2:
            parts.append((0, int(part), part))
        elif part:
            parts.append((1, 0, part))
    return tuple(parts)


__all__ = ["natural"]
