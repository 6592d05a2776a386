"""Hypothesis strategies shared by the tests (add with small insertions; never rewrite)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from pe_schedule.event import Event, Status, Target, TargetKind

# -- iCalendar events (tests/test_ical.py, tests/test_feeds.py) -------------------------------

#: Zones with different kinds of history: US and EU rules, southern hemisphere,
#: half-hour offsets, DST abolished, no DST at all.
EVENT_ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Australia/Sydney",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "UTC",
)

#: Characters iCalendar writers and readers get wrong: its separators and
#: escapes, line breaks, tabs, and multi-byte UTF-8.
_AWKWARD = ';,\\:"\r\n\t N é€𝄞\u2028\x85'


def event_texts(*, min_size: int = 0) -> st.SearchStrategy[str]:
    """Any text (every Unicode character but surrogates), biased towards awkward ones."""
    return st.one_of(
        st.text(min_size=min_size),
        st.text(alphabet=st.sampled_from(_AWKWARD), min_size=min_size),
        st.text(alphabet=st.sampled_from(_AWKWARD) | st.characters(), min_size=max(min_size, 60)),
    )


def targets() -> st.SearchStrategy[Target]:
    """A target of any kind, with a short key."""
    return st.builds(
        Target,
        kind=st.sampled_from(TargetKind),
        key=st.sampled_from(("p", "ln", "ac", "ln-01", "ac-01", "g1", "poc")),
    )


@st.composite
def events(draw: st.DrawFn, *, uid: str | None = None, text: bool = False) -> Event:
    """A valid event: timed in one of :data:`EVENT_ZONES` or all-day, 2022 to 2025.

    With ``text=True`` its summary, description, location and categories are
    arbitrary text (see :func:`event_texts`); otherwise plain words.
    """
    words = event_texts() if text else st.text("abcdefgh ", min_size=1, max_size=20)
    day = draw(st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2025, 12, 31)))
    if draw(st.booleans()):
        zone = draw(st.sampled_from(EVENT_ZONES))
        clock = dt.time(draw(st.integers(0, 23)), draw(st.sampled_from((0, 15, 30, 45))))
        start: dt.datetime | dt.date = dt.datetime.combine(day, clock, ZoneInfo(zone))
        minutes = draw(st.integers(15, 3 * 24 * 60))
        assert isinstance(start, dt.datetime)
        # Real instants: add in UTC so the end is exact whatever DST does.
        end: dt.datetime | dt.date = (
            start.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)
        ).astimezone(ZoneInfo(zone))
        timezone: str | None = zone
    else:
        start, end, timezone = day, day + dt.timedelta(days=draw(st.integers(1, 5))), None
    return Event(
        uid=uid or draw(st.from_regex(r"[a-z0-9-]{1,20}@pe\.example", fullmatch=True)),
        programme="p",
        cohort=draw(st.sampled_from((None, "ln", "ac"))),
        activity=draw(st.sampled_from(("all-team", "coaching", "affinity"))),
        target=draw(targets()),
        month=None,
        summary=draw(words),
        start=start,
        end=end,
        timezone=timezone,
        location=draw(words),
        description=draw(words),
        url=draw(st.sampled_from((None, "https://pe.example/a?b=1&c=2,3"))),
        categories=tuple(draw(st.lists(words, min_size=1, max_size=3))),
        in_person=draw(st.booleans()),
        status=draw(st.sampled_from(Status)),
        busy=draw(st.booleans()),
        alarms=tuple(
            dt.timedelta(minutes=m) for m in draw(st.lists(st.integers(0, 2880), max_size=2))
        ),
        sequence=draw(st.integers(0, 5)),
        revised=draw(
            st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2024, 1, 1))
        ).replace(tzinfo=dt.UTC),
    )


@st.composite
def event_sets(draw: st.DrawFn, *, max_size: int = 8, text: bool = False) -> tuple[Event, ...]:
    """Events with distinct uids, as one feed holds them."""
    uids = draw(
        st.lists(
            st.from_regex(r"[a-z0-9]{1,12}@pe\.example", fullmatch=True),
            unique=True,
            max_size=max_size,
        )
    )
    return tuple(draw(events(uid=uid, text=text)) for uid in uids)
