"""The ways a declaration names the months of an activity.

A person writes intent, not eighteen grid cells: either a list of months or a
cadence such as ``{ every = 2, from = 1, to = 17 }``. Months are written as
``"YYYY-MM"`` or as programme month numbers (1 is the programme's first
month), so the next run of a programme is re-dated by changing its
``first_month`` alone.

Reading never raises: every problem goes to the :class:`~.source.Report`
of the file, and the reader returns ``None`` so the loader can walk on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from pe_schedule._internal.declaration.source import Report, Table, describe
from pe_schedule._internal.model.months import Cadence, Window, YearMonth

#: The keys of a cadence table.
CADENCE_KEYS = ("every", "from", "to", "except", "also")

# Near misses of "YYYY-MM" that are worth a did-you-mean: "2023-3", "2023/03".
_LOOSE_MONTH = re.compile(r"(\d{4})\s*[-/. ]\s*(\d{1,2})")


def _month_format(window: Window) -> str:
    return f"a month as 'YYYY-MM' or a programme month number 1..{window.size}"


def _format_hint(text: str) -> str | None:
    match = _LOOSE_MONTH.fullmatch(text.strip())
    if match and 1 <= int(match[2]) <= 12:
        return f"did you mean '{match[1]}-{int(match[2]):02d}'?"
    return None


def read_month(value: object, path: str, window: Window, report: Report) -> YearMonth | None:
    """Read one month written as ``"YYYY-MM"`` or as a programme month number.

    Args:
        value: the TOML value.
        path: its key path, for messages.
        window: the programme window the month must lie in.
        report: where problems go.

    Returns:
        The month, or ``None`` after reporting why there is none.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if 1 <= value <= window.size:
            return window.month(value)
        report.add(
            path,
            expected=f"a programme month number 1..{window.size} ({window.first} to {window.last})",
            found=describe(value),
        )
        return None
    if not isinstance(value, str):
        report.add(path, expected=_month_format(window), found=describe(value))
        return None
    try:
        month = YearMonth.parse(value)
    except ValueError:
        report.add(
            path, expected=_month_format(window), found=describe(value), hint=_format_hint(value)
        )
        return None
    if month not in window:
        report.add(
            path, expected=f"a month inside the programme window {window}", found=describe(value)
        )
        return None
    return month


def _read_items(
    items: Sequence[Any],
    path: str,
    window: Window,
    report: Report,
    among: Sequence[YearMonth] | None = None,
) -> list[YearMonth | None]:
    """Read each month of an array, reporting repeats; aligned with ``items``."""
    months: list[YearMonth | None] = []
    seen: dict[YearMonth, int] = {}
    for index, item in enumerate(items):
        month = read_month(item, f"{path}[{index}]", window, report)
        if month is not None and among is not None and month not in among:
            listed = ", ".join(str(allowed) for allowed in among)
            report.add(
                f"{path}[{index}]",
                expected=f"a month that is also in 'months' ({listed})",
                found=f"{describe(item)} ({month})",
            )
            month = None
        elif month is not None and month in seen:
            report.add(
                f"{path}[{index}]",
                expected="each month once",
                found=f"{describe(item)}, the same month ({month}) as {path}[{seen[month]}]",
            )
            month = None
        elif month is not None:
            seen[month] = index
        months.append(month)
    return months


def _read_array(
    items: Sequence[Any],
    path: str,
    window: Window,
    report: Report,
    *,
    allow_empty: bool,
    among: Sequence[YearMonth] | None,
) -> tuple[YearMonth, ...] | None:
    if not items and not allow_empty:
        report.add(path, expected="at least one month", found="an empty array")
        return None
    months = _read_items(items, path, window, report, among)
    if any(month is None for month in months):
        return None
    return tuple(sorted(month for month in months if month is not None))


def _read_bound(table: Table, key: str, window: Window, default: YearMonth) -> YearMonth | None:
    if not table.has(key):
        return default
    return read_month(table.data[key], table.at(key), window, table.report)


def _read_adjustment(table: Table, key: str, window: Window) -> list[YearMonth | None] | None:
    """The ``except`` or ``also`` months of a cadence, aligned with the array."""
    items = table.value(key, list, "an array of months", required=False)
    if items is None:
        return [] if not table.has(key) else None
    return _read_items(items, table.at(key), window, table.report)


def read_cadence(table: Table, window: Window) -> tuple[YearMonth, ...] | None:
    """Read a cadence table such as ``{ every = 2, from = 1, to = 17, except = [9] }``.

    ``from`` and ``to`` default to the first and last months of ``window``.
    An ``except`` month the cadence never produces, or an ``also`` month it
    already produces, is reported: either is most likely a slip.

    Returns:
        The months the cadence yields, or ``None`` after reporting why not.
    """
    problems_before = len(table.report.problems)
    table.allow(*CADENCE_KEYS)
    cadence = _read_steps(table, window)
    skip = _read_adjustment(table, "except", window)
    also = _read_adjustment(table, "also", window)
    if cadence is None:
        return None
    good = _check_adjustment(table, cadence, "except", skip, produced=True)
    good = _check_adjustment(table, cadence, "also", also, produced=False) and good
    # An unknown key may have been meant to change the months (a misspelt "except").
    if not good or len(table.report.problems) > problems_before:
        return None
    cadence = attrs.evolve(
        cadence,
        skip=tuple(month for month in skip or [] if month is not None),
        also=tuple(month for month in also or [] if month is not None),
    )
    if not cadence.months:
        table.report.add(
            table.path,
            expected="a cadence that yields at least one month",
            found=f"no month ({cadence}, all of them in 'except')",
        )
        return None
    return cadence.months


def _read_steps(table: Table, window: Window) -> Cadence | None:
    """The ``every``, ``from`` and ``to`` of a cadence, before its adjustments."""
    every = table.integer("every")
    if every is not None and every < 1:
        table.problem(
            "every", expected="a whole number of months, 1 or more", found=describe(every)
        )
        every = None
    start = _read_bound(table, "from", window, window.first)
    stop = _read_bound(table, "to", window, window.last)
    if start is not None and stop is not None and stop < start:
        table.problem(
            "to",
            expected=f"a month at or after 'from' ({start})",
            found=f"{describe(table.data['to'])} ({stop})",
        )
        stop = None
    if every is None or start is None or stop is None:
        return None
    return Cadence(every=every, start=start, stop=stop)


def _check_adjustment(
    table: Table,
    cadence: Cadence,
    key: str,
    months: list[YearMonth | None] | None,
    *,
    produced: bool,
) -> bool:
    """Whether each ``except`` month is one the cadence produces (``also``: one it does not)."""
    if months is None:
        return False
    base = set(cadence.base)
    raw: Sequence[Any] = table.data.get(key, [])
    good = True
    for index, month in enumerate(months):
        if month is None:
            good = False
        elif (month in base) != produced:
            does = "never produces" if produced else "already produces"
            table.report.add(
                f"{table.at(key)}[{index}]",
                expected=f"a month that {cadence} {'produces' if produced else 'leaves out'}",
                found=f"{describe(raw[index])} ({month}), a month the cadence {does}",
            )
            good = False
    return good


def read_months(
    table: Table,
    key: str,
    window: Window,
    *,
    cadence: bool = True,
    required: bool = True,
    allow_empty: bool = False,
    among: Sequence[YearMonth] | None = None,
) -> tuple[YearMonth, ...] | None:
    """Read the months under ``key``: an array of months or, if ``cadence``, a cadence table.

    Args:
        table: the table holding ``key``.
        key: the key to read, such as ``months``.
        window: the programme window every month must lie in.
        cadence: whether a cadence table is allowed (``in_person`` takes arrays only).
        required: whether a missing key is a problem.
        allow_empty: whether an empty array is fine.
        among: if given, the months every listed month must be one of (an
            activity's ``in_person`` months must be among its ``months``).

    Returns:
        The months in order, ``()`` for a missing optional key, or ``None``
        after reporting why the value cannot be used.
    """
    shape = "an array of months or a cadence table {every, from, to, except, also}"
    expected = shape if cadence else "an array of months"
    if not table.has(key):
        if required:
            table.problem(key, expected=expected, found="nothing (the key is missing)")
            return None
        return ()
    value = table.data[key]
    if isinstance(value, list):
        return _read_array(
            value, table.at(key), window, table.report, allow_empty=allow_empty, among=among
        )
    if cadence and isinstance(value, Mapping):
        return read_cadence(Table(value, table.at(key), table.report), window)
    table.problem(key, expected=expected, found=describe(value))
    return None


__all__ = ["CADENCE_KEYS", "read_cadence", "read_month", "read_months"]
