"""Reading ``[[cohorts.rules]]`` and top-level ``[[rules]]`` tables, whatever their kind.

The reader knows no rule kind by name: it looks the ``kind`` up in the
registry and reads the keys the class lists (:class:`~pe_schedule.RuleKey`),
each by what it holds: an activity of the cohort, several, or a number of
months.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pe_schedule._internal.declaration.source import Report, Table, describe, did_you_mean, one_of
from pe_schedule._internal.model.rule import ACTIVITY_KEY, Operand, Rule, RuleKey
from pe_schedule._internal.rules import RULE_KINDS

#: A key that is absent and optional: the rule class's default applies.
_ABSENT = object()


def rule_keys() -> dict[str, tuple[str, ...]]:
    """The keys each kind of rule table takes, by kind.

    >>> rule_keys()["not-with"]
    ('kind', 'activity', 'other')
    """
    return {
        kind: ("kind", ACTIVITY_KEY.name, *(key.name for key in cls.keys))
        for kind, cls in RULE_KINDS.items()
    }


def read_rule(table: Table, scope: str, known: Mapping[str, str]) -> Rule | None:
    """Read one ``[[cohorts.rules]]`` table, or one top-level ``[[rules]]`` table.

    Args:
        table: the rule table.
        scope: whose activities it names, for messages: ``"cohort 'x'"``, or the
            programme's (as ``cohort/activity``) for a rule across cohorts.
        known: the activity ids it may name, each to its table's key path.

    Returns:
        The rule, or ``None`` after reporting every problem of the table.
    """
    cls = table.choice("kind", RULE_KINDS, required=True)
    _check_keys(table, cls)
    named: list[str] = []
    values: dict[str, object] = {}
    good = True
    for key in (ACTIVITY_KEY, *(cls.keys if cls is not None else ())):
        value = _read_key(table, key, scope, known, named)
        if value is None:
            good = False
        elif value is not _ABSENT:
            values[key.field] = value
    if cls is None or not good:
        return None
    make: Callable[..., Rule] = cls  # every rule class is an attrs class taking its fields
    return make(**values)


def _read_key(
    table: Table, key: RuleKey, scope: str, known: Mapping[str, str], named: list[str]
) -> object | None:
    """The value of ``key``, :data:`_ABSENT`, or ``None`` after reporting a problem."""
    if not table.has(key.name) and not key.required:
        return _ABSENT
    if key.operand is Operand.MONTHS:
        return _months(table, key)
    if key.operand is Operand.ACTIVITIES:
        return _activity_refs(table, key.name, scope, known, named)
    if not table.has(key.name):
        expected = key.description.rstrip(".")
        table.problem(
            key.name,
            expected=expected[0].lower() + expected[1:],
            found="nothing (the key is missing)",
        )
        return None
    path = table.at(key.name)
    ref = _activity_ref(table.report, table.data[key.name], path, scope, known)
    if ref is not None and not _named_once(table.report, path, ref, named):
        return None
    return ref


def _months(table: Table, key: RuleKey) -> int | None:
    months = table.integer(key.name)
    if months is not None and months < key.minimum:
        table.problem(
            key.name,
            expected=f"a whole number of months, {key.minimum} or more",
            found=describe(months),
        )
        return None
    return months


def _activity_ref(
    report: Report, value: object, path: str, scope: str, known: Mapping[str, str]
) -> str | None:
    """Check that ``value`` names an activity of ``scope``."""
    if not isinstance(value, str):
        report.add(path, expected="an activity id (a text)", found=describe(value))
        return None
    if value not in known:
        choices = one_of(known) if known else "an activity id, but there is none"
        report.add(
            path,
            expected=f"an activity of {scope}: {choices}",
            found=describe(value),
            hint=did_you_mean(value, known),
        )
        return None
    return value


def _activity_refs(
    table: Table, key: str, scope: str, known: Mapping[str, str], named: list[str]
) -> tuple[str, ...] | None:
    """Read an array of activity ids, each named once per rule."""
    items = table.value(key, list, "an array of activity ids")
    if items is None:
        return None
    if not items:
        table.problem(key, expected="at least one activity id", found="an empty array")
        return None
    good: list[str] = []
    for index, item in enumerate(items):
        path = f"{table.at(key)}[{index}]"
        ref = _activity_ref(table.report, item, path, scope, known)
        if ref is not None and _named_once(table.report, path, ref, named):
            good.append(ref)
    return tuple(good) if len(good) == len(items) else None


def _named_once(report: Report, path: str, ref: str, named: list[str]) -> bool:
    """Record that the rule names ``ref``; report a second naming."""
    if ref in named:
        report.add(
            path,
            expected="an activity the rule does not name already (a rule relates different "
            "activities)",
            found=f"{ref!r} again",
        )
        return False
    named.append(ref)
    return True


def _check_keys(table: Table, cls: type[Rule] | None) -> None:
    """Report keys that do not belong to a rule of kind ``cls``."""
    keys = rule_keys()
    everything = sorted({key for kind_keys in keys.values() for key in kind_keys})
    allowed = keys[cls.kind] if cls is not None else tuple(everything)
    for key in table.data:
        if key in allowed:
            continue
        owners = [kind for kind, kind_keys in keys.items() if key in kind_keys]
        if owners and cls is not None:
            table.problem(
                key,
                expected=f"a key of {cls.kind!r} rules: {one_of(allowed)}",
                found=f"{key!r}, which belongs to {one_of(owners).removeprefix('one of ')} rules",
            )
        else:
            table.problem(
                key,
                expected="a known key: " + one_of(allowed),
                found="an unknown key",
                hint=did_you_mean(key, allowed),
            )


__all__ = ["read_rule", "rule_keys"]
