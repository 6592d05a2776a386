"""Names with numbers in them are listed as people count: 2 before 10."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from pe_schedule import AudienceKind, Group, Roster, Target
from pe_schedule._internal.build import files
from pe_schedule._internal.model.ordering import natural
from pe_schedule._internal.publish.feeds import INDEX_NAME, plan
from tests.test_feeds import _event, _programme

prefixes = st.sampled_from(["cg-", "team-ln-", "g", "coaching group "])


@given(prefixes, st.lists(st.integers(0, 10_000), unique=True))
def test_numbers_sort_by_value(prefix: str, numbers: list[int]) -> None:
    """Names that differ in a number sort by the number's value, not its digits."""
    names = [f"{prefix}{number}" for number in numbers]
    assert sorted(names, key=natural) == [f"{prefix}{n}" for n in sorted(numbers)]


@given(st.lists(st.text(alphabet="ab-019", max_size=6), unique=True))
def test_the_order_is_total(names: list[str]) -> None:
    """Any two different names get different keys, so the order never depends on input order."""
    assert len({natural(name) for name in names}) == len(names)


def test_coaching_groups_are_listed_1_2_10() -> None:
    """A roster's twelve coaching groups come in number order in the plan, feeds.json and
    the index page, not 1, 10, 11, 12, 2."""
    groups = tuple(
        Group(id=f"cg-{n}", name=f"Coaching group {n}", kind=AudienceKind.COACHING_GROUP)
        for n in (10, 2, 12, 1, 11, 3)
    )
    roster = Roster(teams=(), people=(), groups=groups)
    programme = _programme()
    events = [_event(group.id, Target(kind=group.kind, key=group.id)) for group in groups]
    feeds = plan(programme, events, roster).feeds
    expected = [f"coaching-group-cg-{n}.ics" for n in (1, 2, 3, 10, 11, 12)]
    assert [feed.file for feed in feeds if feed.kind is AudienceKind.COACHING_GROUP] == expected
    written = dict(files(programme, feeds, events))
    listed = [entry["file"] for entry in json.loads(written[INDEX_NAME])["feeds"]]
    assert [name for name in listed if name.startswith("coaching-group")] == expected
    page = written["index.html"].decode()
    titles = re.findall(r"<th scope=\"row\">(Coaching group \d+)<", page)
    assert titles == [f"Coaching group {n}" for n in (1, 2, 3, 10, 11, 12)]
