"""Reading an activity's ``grouping``: how ``pe-schedule solve`` forms its coaching groups.

Only an activity for ``audience = "coaching-group"`` has one::

    [cohorts.activities.grouping]
    sizes = [4, 5]                     # the smallest and the largest group
    similar = ["region"]               # team attributes a group's teams share
    mixed = ["population", "size"]     # team attributes spread across the groups
    count = 9                          # optional: how many groups
    prefix = "ln-coaching"             # optional: ids ln-coaching-1, ... (default "<cohort>-group")
    name = "Coaching group {n}"        # optional (default "Group {n}")

The attributes are the teams' ``attributes`` in the roster; once the roster is
read, :func:`check_attributes` reports a name no team of the cohort has.
"""

from __future__ import annotations

from collections.abc import Sequence

from pe_schedule._internal.declaration.source import (
    MAX_SLUG_LENGTH,
    Report,
    Table,
    describe,
    did_you_mean,
    one_of,
)
from pe_schedule._internal.model.activity import Grouping
from pe_schedule._internal.model.audience import AudienceKind
from pe_schedule._internal.model.programme import Cohort
from pe_schedule._internal.model.roster import Roster

#: The keys of a ``grouping`` table.
GROUPING_KEYS = ("sizes", "similar", "mixed", "count", "prefix", "name")
#: The name of group ``{n}`` unless the grouping says otherwise.
DEFAULT_NAME = "Group {n}"
#: The longest prefix: group ids are ``prefix-N`` (up to three digits), and ids
#: are at most 64 characters.
MAX_PREFIX_LENGTH = MAX_SLUG_LENGTH - 4
_SIZES_EXPECTED = "[smallest, largest]: two whole numbers of teams, such as [4, 5]"


def read_grouping(
    activity: Table, *, cohort: str | None, audience: AudienceKind | None
) -> Grouping | None:
    """The ``grouping`` of the activity ``activity``, of ``cohort`` and for ``audience``.

    Returns ``None`` when there is none, or after reporting its problems.
    """
    table = activity.table("grouping", required=False)
    if table is None:
        return None
    broken = len(table.report.problems)
    if audience is not None and audience is not AudienceKind.COACHING_GROUP:
        activity.problem(
            "grouping",
            expected="a grouping only on an activity with audience = 'coaching-group' "
            "(the groups it forms are coaching groups)",
            found=f"a grouping on an activity for audience {audience.value!r}",
        )
    table.allow(*GROUPING_KEYS)
    sizes = _sizes(table)
    similar = _attribute_names(table, "similar", ())
    mixed = _attribute_names(table, "mixed", similar)
    count = table.integer("count", required=False)
    if count is not None and count < 1:
        table.problem("count", expected="a whole number of groups of at least 1", found=str(count))
    prefix = _prefix(table, cohort)
    name = table.text("name", required=False, default=DEFAULT_NAME) or DEFAULT_NAME
    if "{n}" not in name:
        table.problem(
            "name",
            expected="a name holding {n}, the group's number, such as 'Coaching group {n}'",
            found=describe(name),
        )
    if len(table.report.problems) > broken or sizes is None:
        return None
    smallest, largest = sizes
    return Grouping(
        smallest=smallest,
        largest=largest,
        similar=similar,
        mixed=mixed,
        count=count,
        prefix=prefix,
        name=name,
    )


def _sizes(table: Table) -> tuple[int, int] | None:
    """The smallest and largest group, ``[4, 5]``; ``None`` after reporting."""
    raw = table.value("sizes", list, _SIZES_EXPECTED)
    if raw is None:
        return None
    shown = (
        "[" + ", ".join(describe(item) for item in raw[:3]) + (", ...]" if len(raw) > 3 else "]")
    )
    numbers = [item for item in raw if isinstance(item, int) and not isinstance(item, bool)]
    if len(raw) != 2 or len(numbers) != 2:
        table.problem("sizes", expected=_SIZES_EXPECTED, found=shown)
        return None
    smallest, largest = numbers
    if smallest < 1:
        table.problem("sizes", expected="groups of at least 1 team", found=shown)
        return None
    if largest < smallest:
        table.problem(
            "sizes",
            expected="[smallest, largest] with the smallest first, such as [4, 5]",
            found=shown,
        )
        return None
    return smallest, largest


def _attribute_names(table: Table, key: str, other: Sequence[str]) -> tuple[str, ...]:
    """The attribute names under ``key``, each once and none of them in ``other``."""
    names = table.strings(key, required=False) or []
    first: dict[str, int] = {}
    for index, name in enumerate(names):
        place = f"{table.at(key)}[{index}]"
        if not name.strip():
            table.report.add(place, expected="an attribute name such as 'region'", found="''")
        elif name in first:
            found = f"{describe(name)}, the same as {table.at(key)}[{first[name]}]"
            table.report.add(place, expected="an attribute not listed before", found=found)
        elif name in other:
            # One attribute cannot keep groups alike and spread them at once.
            table.report.add(
                place,
                expected="an attribute not also similar",
                found=f"{describe(name)}, also in {table.at('similar')}",
            )
        else:
            first[name] = index
    return tuple(first)


def _prefix(table: Table, cohort: str | None) -> str:
    """The prefix of the group ids, ``<cohort>-group`` unless the table gives one."""
    default = f"{cohort or 'cohort'}-group"
    if not table.has("prefix"):
        return default
    prefix = table.slug("prefix")
    if prefix is not None and len(prefix) > MAX_PREFIX_LENGTH:
        table.problem(
            "prefix",
            expected=f"a slug of at most {MAX_PREFIX_LENGTH} characters (group ids add '-N')",
            found=f"{describe(prefix)} ({len(prefix)} characters)",
        )
    return prefix or default


def check_attributes(report: Report, cohorts: Sequence[Cohort | None], roster: Roster) -> None:
    """Report every grouping attribute that no team of its cohort has in ``roster``.

    ``cohorts`` are the declaration's in file order (``None`` for a broken
    one), so that their places give the key paths; a misspelt attribute would
    otherwise leave solve grouping by nothing.
    """
    for place, cohort in enumerate(cohorts):
        if cohort is None:
            continue
        known = {name for team in roster.teams_of(cohort.id) for name, _ in team.attributes}
        for index, activity in enumerate(cohort.activities):
            if activity.grouping is not None:
                path = f"cohorts[{place}].activities[{index}].grouping"
                _check_names(report, path, activity.grouping, cohort.id, known)


def _check_names(
    report: Report, path: str, grouping: Grouping, cohort: str, known: set[str]
) -> None:
    expected = f"an attribute some team of {cohort!r} has in the roster"
    if known:
        expected += ": " + one_of(known)
    for key, names in (("similar", grouping.similar), ("mixed", grouping.mixed)):
        for index, name in enumerate(names):
            if name in known:
                continue
            found = describe(name) if known else f"{describe(name)}; no team of it has attributes"
            report.add(
                f"{path}.{key}[{index}]",
                expected=expected,
                found=found,
                hint=did_you_mean(name, known),
            )


__all__ = [
    "DEFAULT_NAME",
    "GROUPING_KEYS",
    "MAX_PREFIX_LENGTH",
    "check_attributes",
    "read_grouping",
]
