"""Hypothesis strategies shared by the tests (add with small insertions; never rewrite)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from pe_schedule import (
    Activity,
    AllDay,
    AudienceKind,
    Cohort,
    DayOfMonth,
    DayRule,
    Event,
    Group,
    HolidayPolicy,
    NthWeekday,
    Override,
    Person,
    Programme,
    Role,
    Roster,
    Span,
    Status,
    Target,
    Team,
    Timed,
    Timing,
    YearMonth,
    Zone,
)

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

#: Links to join a session online: separators a URI keeps, and one long enough to fold
#: with a character percent-encoding turns into several octets.
JOIN_LINKS = (
    "https://zoom.example/j/81234567890?pwd=a,b;c",
    "https://meet.example/" + "x" * 60 + "é/room",
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
        fold_texts(),
    )


def fold_texts() -> st.SearchStrategy[str]:
    """Text that puts multi-byte characters and escapes where a 75-octet line folds."""
    return st.builds(
        lambda pad, tail: "x" * pad + tail,
        st.integers(40, 160),
        st.text(alphabet=st.sampled_from(_AWKWARD), min_size=1, max_size=12),
    )


def targets() -> st.SearchStrategy[Target]:
    """A target of any kind, with a short key."""
    return st.builds(
        Target,
        kind=st.sampled_from([kind for kind in AudienceKind if kind is not AudienceKind.PERSON]),
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
        start = dt.datetime.combine(day, clock, ZoneInfo(zone))
        minutes = draw(st.integers(15, 3 * 24 * 60))
        # Real instants: add in UTC so the end is exact whatever DST does.
        end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(ZoneInfo(zone))
        span: Span = Timed(start=start, end=end, zone=Zone(zone))
    else:
        span = AllDay(start=day, end=day + dt.timedelta(days=draw(st.integers(1, 5))))
    return Event(
        uid=uid or draw(st.from_regex(r"[a-z0-9-]{1,20}@pe\.example", fullmatch=True)),
        programme="p",
        cohort=draw(st.sampled_from((None, "ln", "ac"))),
        activity=draw(st.sampled_from(("all-team", "coaching", "affinity"))),
        target=draw(targets()),
        month=None,
        summary=draw(words),
        span=span,
        location=draw(words),
        description=draw(words),
        url=draw(st.sampled_from((None, "https://pe.example/a?b=1&c=2,3"))),
        join=draw(st.sampled_from((None, *JOIN_LINKS))),
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


# -- timed programmes (tests/test_expand.py, tests/test_sanity.py) ----------------------------

#: Zones whose DST changes fall on different dates and in both hemispheres.
DST_ZONES = ("America/New_York", "America/Los_Angeles", "Europe/London", "Australia/Sydney")
#: The window of generated programmes: two years, so every DST change twice.
WINDOW = (YearMonth(2023, 1), YearMonth(2024, 12))
_WINDOW_MONTHS = 24


def day_rules(*, always: bool = True) -> st.SearchStrategy[DayRule]:
    """A day rule; with ``always``, one that every month has (no fifth weekday, no 31st)."""
    ns = (1, 2, 3, 4, -1) if always else (1, 2, 3, 4, 5, -1)
    return st.one_of(
        st.builds(NthWeekday, n=st.sampled_from(ns), weekday=st.integers(0, 6)),
        st.builds(DayOfMonth, day=st.integers(1, 28 if always else 31)),
    )


def clock_times() -> st.SearchStrategy[dt.time]:
    """A wall-clock time on the quarter hour, biased towards the small hours DST moves."""
    return st.builds(
        dt.time,
        hour=st.one_of(st.sampled_from((0, 1, 2, 3)), st.integers(0, 23)),
        minute=st.sampled_from((0, 15, 30, 45)),
    )


@st.composite
def timings(draw: st.DrawFn, *, months: tuple[YearMonth, ...] = ()) -> Timing:
    """A timing: all-day or timed in one of :data:`DST_ZONES`, spanning 1-3 days,
    with overrides (moved, retimed, cancelled) in some of ``months``."""
    timed = draw(st.booleans())
    overrides = []
    for month in draw(st.lists(st.sampled_from(months), unique=True, max_size=2)) if months else []:
        moved = draw(st.sampled_from(("date", "day", "none")))
        overrides.append(
            Override(
                month=month,
                date=month.first_day + dt.timedelta(days=draw(st.integers(0, month.days - 1)))
                if moved == "date"
                else None,
                day=draw(day_rules()) if moved == "day" else None,
                start=draw(st.none() | clock_times()) if timed else None,
                cancelled=draw(st.booleans()),
            )
        )
    return Timing(
        day=draw(day_rules()),
        days=draw(st.integers(1, 3)),
        start=draw(clock_times()) if timed else None,
        duration=dt.timedelta(minutes=draw(st.integers(1, 16)) * 15) if timed else None,
        timezone=Zone(draw(st.sampled_from(DST_ZONES))),
        holidays=draw(st.sampled_from(HolidayPolicy)),
        overrides=tuple(overrides),
    )


def small_roster(cohorts: tuple[str, ...]) -> Roster:
    """Two teams per cohort, one coaching group each, two affinity groups, three people a team."""
    groups = [
        Group(id="poc", name="People of colour", kind=AudienceKind.AFFINITY_GROUP),
        Group(id="white", name="White participants", kind=AudienceKind.AFFINITY_GROUP),
    ]
    teams, people = [], []
    for cohort in cohorts:
        groups.append(
            Group(id=f"{cohort}-g", name=f"{cohort} group", kind=AudienceKind.COACHING_GROUP)
        )
        for number in (1, 2):
            team = f"{cohort}-t{number}"
            teams.append(
                Team(
                    id=team,
                    name=team,
                    cohort=cohort,
                    coaching_group=f"{cohort}-g",
                    timezone=Zone("America/Chicago"),
                )
            )
            for seat, role in enumerate(Role):
                people.append(
                    Person(
                        id=f"{team}-p{seat}",
                        name=f"Person {seat}",
                        team=team,
                        role=role,
                        affinity_group=("poc", "white")[seat % 2],
                    )
                )
    return Roster(teams=tuple(teams), people=tuple(people), groups=tuple(groups), programme="p")


@st.composite
def timed_programmes(draw: st.DrawFn) -> Programme:
    """A programme of one or two cohorts whose activities are all timed, with a roster,
    over :data:`WINDOW`, with any audience."""
    cohort_ids = ("c1", "c2")[: draw(st.integers(1, 2))]
    cohorts = []
    for cohort in cohort_ids:
        activities = []
        for index in range(draw(st.integers(1, 3))):
            offsets = draw(st.lists(st.integers(0, _WINDOW_MONTHS - 1), min_size=1, max_size=6))
            months = tuple(sorted({WINDOW[0] + offset for offset in offsets}))
            activities.append(
                Activity(
                    id=f"a{index}",
                    name=f"Activity {index}",
                    months=months,
                    audience=draw(
                        st.sampled_from([kind for kind in AudienceKind if kind.declarable])
                    ),
                    timing=draw(timings(months=months)),
                )
            )
        cohorts.append(Cohort(id=cohort, name=cohort.upper(), activities=tuple(activities)))
    return Programme(
        id="p",
        name="P",
        first_month=WINDOW[0],
        last_month=WINDOW[1],
        timezone=Zone("America/New_York"),
        cohorts=tuple(cohorts),
        roster=small_roster(cohort_ids),
        revised=dt.datetime(2022, 9, 1, tzinfo=dt.UTC),
    )
