"""Who gets a feed, what each holds, and what each file is called.

Every audience gets one feed: the whole programme, each cohort, each team,
each coaching group, affinity group and senior leaders' group, and each person
of the roster. An event belongs in a feed when its :class:`~pe_schedule.event.Target`
is one the feed's audience belongs to, so a team's feed holds its cohort's
meetings, its coaching group's sessions and its own. An event several cohorts
share is addressed to them together (:meth:`Target.audiences`), so it is in
the feeds of each of them, once.

Every staff member of the roster gets a feed too, of exactly the sessions they
lead (the events whose ``leaders`` name them): even an empty one, so a coach can
subscribe before the schedule assigns them anything.

Personal feeds are published under an unguessable name, an HMAC-SHA256 of the
person's id under a secret key, and carry no name: a public folder of feeds
says neither who takes part nor who is in which affinity group. Without a key
there are no personal feeds, and the plan says so in a notice.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import attrs

from pe_schedule._internal.model.audience import AudienceKind, Target
from pe_schedule._internal.model.event import Event
from pe_schedule._internal.model.ordering import natural
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.model.roster import Roster
from pe_schedule._internal.publish.ical import (
    DEFAULT_REFRESH,
    CalendarInfo,
    EventCache,
    Organizer,
    feed_bytes,
    zone_years,
)
from pe_schedule._internal.publish.key import KEY_FILE, KEY_VARIABLE, personal_name
from pe_schedule.exceptions import OutputError

if TYPE_CHECKING:
    import icalendar

#: The index of a folder of feeds.
INDEX_NAME = "feeds.json"
_UNSAFE = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A safe file-name part: lower-case letters, digits and single hyphens.

    >>> slug("LN West/1 – Höhe")
    'ln-west-1-h-he'

    Raises:
        OutputError: if nothing safe is left of ``text``.
    """
    result = _UNSAFE.sub("-", text.lower()).strip("-")
    if not result:
        raise OutputError(f"feed name: expected an id with letters or digits, got {text!r}")
    return result


@attrs.frozen(kw_only=True)
class Feed:
    """One feed: its file, its audience and which events it holds.

    >>> feed = Feed(file="cohort-ln.ics", kind=AudienceKind.COHORT, audience="ln", title="LN",
    ...             targets=frozenset({Target(kind=AudienceKind.COHORT, key="ln")}))
    >>> feed.selects_target(Target(kind=AudienceKind.COHORT, key="ac"))
    False
    """

    file: str
    kind: AudienceKind
    #: The id of the audience; ``None`` for a personal feed, whose owner stays private.
    audience: str | None
    title: str
    description: str = ""
    #: The event targets the feed holds.
    targets: frozenset[Target] = frozenset()
    #: Cohorts whose every event the feed holds, whatever the target.
    cohorts: frozenset[str] = frozenset()
    #: Whether the feed holds every event of the programme.
    everything: bool = False
    #: Staff ids whose sessions (events they lead) the feed holds, whatever the target.
    leaders: frozenset[str] = frozenset()
    #: (cohort, activity) of audiences' own events (``own = true``): held only by feeds
    #: that select them by target or leader, never for being everything or a cohort's.
    own: frozenset[tuple[str | None, str]] = frozenset()

    def selects(self, event: Event) -> bool:
        """Whether ``event`` belongs in this feed."""
        if not self.targets.isdisjoint(event.target.audiences) or not self.leaders.isdisjoint(
            event.leaders
        ):
            return True
        if (event.cohort, event.activity) in self.own:
            return False
        return self.everything or (event.cohort is not None and event.cohort in self.cohorts)

    def selects_target(self, target: Target) -> bool:
        """Whether events addressed to ``target`` belong in this feed (cohort rule aside)."""
        return self.everything or not self.targets.isdisjoint(target.audiences)

    def info(self, refresh: dt.timedelta = DEFAULT_REFRESH) -> CalendarInfo:
        """The feed's calendar properties."""
        return CalendarInfo(title=self.title, description=self.description, refresh=refresh)


@attrs.frozen(kw_only=True)
class Plan:
    """Every feed of a programme, and anything a person should know about them."""

    feeds: tuple[Feed, ...]
    #: Soft problems, such as personal feeds skipped for want of a key.
    notices: tuple[str, ...] = ()


def _programme_target(programme: Programme) -> Target:
    return Target(kind=AudienceKind.PROGRAMME, key=programme.id)


def plan(
    programme: Programme,
    events: Iterable[Event],
    roster: Roster | None = None,
    *,
    key: bytes | None = None,
) -> Plan:
    """The feeds of ``programme``: one per audience.

    Args:
        programme: The programme.
        events: All its events; group audiences without a roster entry (such as
            senior leaders) are found among their targets.
        roster: Its teams, people and groups, if it has a roster.
        key: The key for personal feed names; without one, personal feeds are
            left out and a notice says so.

    Raises:
        OutputError: if two audiences would be written to the same file.
    """
    targets = {event.target for event in events}
    own = frozenset((occasion.cohort, occasion.id) for occasion in programme.events if occasion.own)
    feeds = [
        attrs.evolve(_programme_feed(programme), own=own),
        *(attrs.evolve(feed, own=own) for feed in _cohort_feeds(programme)),
        *_leaders_feeds(programme, targets),
    ]
    notices: list[str] = []
    if roster is not None:
        feeds.extend(_group_feeds(programme, roster))
        feeds.extend(_team_feeds(programme, roster))
        feeds.extend(_staff_feeds(programme, roster))
        if roster.people and key is None:
            notices.append(
                f"personal feeds skipped for {len(roster.people)} people: no feed key; set "
                f"{KEY_VARIABLE} or put one in a {KEY_FILE} file (never commit it)"
            )
        elif key is not None:
            feeds.extend(_personal_feeds(programme, roster, key))
    feeds.extend(_addressed_feeds(programme, targets, feeds))
    ordered = sorted(feeds, key=lambda feed: (feed.kind.rank, natural(feed.file)))
    _check_unique(ordered)
    return Plan(feeds=tuple(ordered), notices=tuple(notices))


def _programme_feed(programme: Programme) -> Feed:
    return Feed(
        file=AudienceKind.PROGRAMME.feed_file(programme.id),
        kind=AudienceKind.PROGRAMME,
        audience=programme.id,
        title=programme.name,
        description=_join(programme.description, "Every session of every cohort and group."),
        everything=True,
    )


def _cohort_feeds(programme: Programme) -> Iterator[Feed]:
    for cohort in programme.cohorts:
        yield Feed(
            file=AudienceKind.COHORT.feed_file(slug(cohort.id)),
            kind=AudienceKind.COHORT,
            audience=cohort.id,
            title=f"{programme.name}: {cohort.name}",
            description=_join(
                cohort.description,
                f"Every {cohort.name} session, each team's and group's included, "
                "and the programme-wide dates.",
            ),
            # The cohort's target too: the sessions it shares with other cohorts.
            targets=frozenset(
                {_programme_target(programme), Target(kind=AudienceKind.COHORT, key=cohort.id)}
            ),
            cohorts=frozenset({cohort.id}),
        )


def _leaders_feeds(programme: Programme, targets: Iterable[Target]) -> Iterator[Feed]:
    """A feed for each senior leaders' group some event is addressed to."""
    kind = AudienceKind.SENIOR_LEADERS
    for target in sorted(t for t in set(targets) if t.kind is kind):
        name = _cohort_name(programme, target.key)
        yield Feed(
            file=kind.feed_file(slug(target.key)),
            kind=kind,
            audience=target.key,
            title=f"{programme.name}: {name} senior leaders",
            description=f"The calls for the senior leaders and alternates of the {name}.",
            targets=frozenset({target}),
        )


def _addressed_feeds(
    programme: Programme, targets: Iterable[Target], planned: Iterable[Feed]
) -> Iterator[Feed]:
    """A feed for each audience events are addressed to that no feed above is for.

    Every kind of audience thus has feeds, a kind added later included, without
    a feed maker of its own.
    """
    have = {(feed.kind, feed.audience) for feed in planned}
    for target in sorted(set(targets)):
        # Several cohorts together have no feed of their own: each cohort's has their events.
        if (target.kind, target.key) in have or target.kind is AudienceKind.COHORTS:
            continue
        name = _cohort_name(programme, target.key)
        yield Feed(
            file=target.kind.feed_file(slug(target.key)),
            kind=target.kind,
            audience=target.key,
            title=f"{programme.name}: {target.kind.title}, {name}",
            description=f"The sessions of the {target.kind.noun} {name}.",
            targets=frozenset({target}),
        )


def _cohort_name(programme: Programme, cohort_id: str) -> str:
    try:
        return programme.cohort(cohort_id).name
    except KeyError:
        return cohort_id


def _join(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part.strip())


def _group_feeds(programme: Programme, roster: Roster) -> Iterator[Feed]:
    for group in roster.groups:
        what = group.kind.noun
        yield Feed(
            file=group.kind.feed_file(slug(group.id)),
            kind=group.kind,
            audience=group.id,
            title=f"{programme.name}: {group.name}",
            description=f"The sessions of the {what} {group.name}.",
            targets=frozenset({Target(kind=group.kind, key=group.id)}),
        )


def _team_feeds(programme: Programme, roster: Roster) -> Iterator[Feed]:
    for team in roster.teams:
        cohort = _cohort_name(programme, team.cohort)
        yield Feed(
            file=AudienceKind.TEAM.feed_file(slug(team.id)),
            kind=AudienceKind.TEAM,
            audience=team.id,
            title=f"{programme.name}: {team.name}",
            description=f"Every session for {team.name}: the {cohort}'s meetings, "
            + ("its coaching group's and its own" if team.coaching_group else "its own")
            + ", and the programme-wide dates.",
            targets=roster.targets_of_team(team.id) | {_programme_target(programme)},
        )


def _staff_feeds(programme: Programme, roster: Roster) -> Iterator[Feed]:
    for member in roster.staff:
        yield Feed(
            file=AudienceKind.STAFF.feed_file(slug(member.id)),
            kind=AudienceKind.STAFF,
            audience=member.id,
            title=f"{programme.name}: {member.name}",
            description=f"The sessions {member.name} leads.",
            leaders=frozenset({member.id}),
        )


def _personal_feeds(programme: Programme, roster: Roster, key: bytes) -> Iterator[Feed]:
    # No name, team or group in the title: the feed must not say whose it is.
    title = f"{programme.name}: my sessions"
    everyone = _programme_target(programme)
    # People of a team mostly belong to the same audiences: one set for each distinct
    # set, not one per person, which a 100,000-person plan would otherwise hold.
    shared: dict[frozenset[Target], frozenset[Target]] = {}
    for person in roster.people:
        targets = roster.targets_of_person(person.id) | {everyone}
        yield Feed(
            file=personal_name(programme.id, person.id, key),
            kind=AudienceKind.PERSON,
            audience=None,
            title=title,
            description="Every session you take part in. This link is personal; "
            "please do not share it.",
            targets=shared.setdefault(targets, targets),
        )


def _check_unique(feeds: Sequence[Feed]) -> None:
    seen: dict[str, Feed] = {}
    for feed in feeds:
        other = seen.setdefault(feed.file, feed)
        if other is not feed:
            raise OutputError(
                f"{feed.file}: expected one audience per feed file, got {other.kind.value} "
                f"{other.audience!r} and {feed.kind.value} {feed.audience!r}"
            )


@attrs.frozen(kw_only=True)
class Rendered:
    """One file of a folder of feeds, ready to write."""

    name: str
    data: bytes
    #: How many events a feed holds; ``None`` for other files.
    events: int | None = None
    #: A listed (not private) feed's live events, for the page to count and show;
    #: ``None`` for personal feeds and other files.
    live: tuple[Event, ...] | None = None


def _events_by_feed(feeds: Sequence[Feed], events: Sequence[Event]) -> Iterator[list[Event]]:
    """Each feed's events, using an index by target rather than a scan per feed."""
    by_target: dict[Target, list[Event]] = {}
    by_cohort: dict[str, list[Event]] = {}
    by_leader: dict[str, list[Event]] = {}
    # Whether an event is filed under several targets (one several cohorts share).
    shared = False
    for event in events:
        reached = event.target.audiences
        shared = shared or len(reached) > 1
        for target in reached:
            by_target.setdefault(target, []).append(event)
        if event.cohort is not None:
            by_cohort.setdefault(event.cohort, []).append(event)
        for leader in event.leaders:
            by_leader.setdefault(leader, []).append(event)
    for feed in feeds:
        if feed.own:
            # Rare enough (a programme or cohort feed beside teams' own events) to select
            # event by event; the rule is Feed.selects itself.
            yield [event for event in events if feed.selects(event)]
            continue
        if feed.everything:
            yield list(events)
            continue
        lists = [by_target.get(target, ()) for target in feed.targets]
        if not feed.cohorts and not feed.leaders and not shared:
            # Each event is filed under one target, so these lists share no event.
            yield [event for found in lists for event in found]
            continue
        chosen: dict[str, Event] = {}
        for found in lists:
            chosen.update((event.uid, event) for event in found)
        for cohort in feed.cohorts:
            chosen.update((event.uid, event) for event in by_cohort.get(cohort, ()))
        for leader in feed.leaders:
            chosen.update((event.uid, event) for event in by_leader.get(leader, ()))
        yield list(chosen.values())


def render(
    programme: Programme,
    feeds: Sequence[Feed],
    events: Sequence[Event],
    *,
    refresh: dt.timedelta = DEFAULT_REFRESH,
    cache: EventCache | None = None,
) -> Iterator[Rendered]:
    """Every feed's bytes, then ``feeds.json``, one file at a time.

    Each distinct event is serialised once (in ``cache``) and feeds are
    assembled from those bytes, so a folder of thousands of personal feeds
    costs little more than the distinct events in it. ``feeds.json`` lists
    the shared feeds: a personal feed's name is its only protection, so
    private ones are never listed (:attr:`AudienceKind.private`).
    """
    cache = cache if cache is not None else EventCache(organizer_of(programme))
    # One VTIMEZONE per zone for the whole folder, covering the programme's years.
    years = zone_years(events)
    listed: list[tuple[Feed, int]] = []
    for feed, chosen in zip(feeds, _events_by_feed(feeds, events), strict=True):
        data = cache.feed_bytes(chosen, feed.info(refresh), years)
        if feed.kind.private:
            yield Rendered(name=feed.file, data=data, events=len(chosen))
            continue
        live = tuple(event for event in chosen if event.live)
        yield Rendered(name=feed.file, data=data, events=len(chosen), live=live)
        listed.append((feed, len(chosen)))
    index = [
        {
            "file": feed.file,
            "audience": feed.kind.value,
            "id": feed.audience,
            "title": feed.title,
            "events": count,
        }
        for feed, count in listed
    ]
    document = {"programme": programme.id, "name": programme.name, "feeds": index}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    yield Rendered(name=INDEX_NAME, data=text.encode("utf-8"))


def organizer_of(programme: Programme) -> Organizer:
    """The programme's organising body as ORGANIZER: its name and its web page."""
    return Organizer(
        name=programme.organiser or programme.name,
        address=programme.url or f"urn:pe-schedule:{slug(programme.id)}",
    )


def feed_calendar(
    programme: Programme,
    events: Iterable[Event],
    *,
    title: str | None = None,
    description: str = "",
) -> icalendar.Calendar:
    """Any selection of ``programme``'s events as an :class:`icalendar.Calendar`.

    Pair it with :func:`pe_schedule.events` for any audience filter, for example
    ``feed_calendar(programme, events(programme, team="ln-01"))``.
    """
    # Imported here: only callers who ask for a Calendar object pay for icalendar.
    from pe_schedule._internal.publish.components import calendar

    info = CalendarInfo(title=title or programme.name, description=description)
    return calendar(events, info, organizer_of(programme))


def feed_ics(
    programme: Programme,
    events: Iterable[Event],
    *,
    title: str | None = None,
    description: str = "",
) -> bytes:
    """Like :func:`feed_calendar`, as the bytes of an ``.ics`` file."""
    info = CalendarInfo(title=title or programme.name, description=description)
    return feed_bytes(events, info, organizer_of(programme))


def feed_events(feed: Feed, events: Iterable[Event]) -> tuple[Event, ...]:
    """The events of ``feed``, in feed order (start, then uid)."""
    return tuple(sorted((e for e in events if feed.selects(e)), key=lambda e: e.sort_key))


__all__ = [
    "INDEX_NAME",
    "Feed",
    "Plan",
    "Rendered",
    "feed_calendar",
    "feed_events",
    "feed_ics",
    "organizer_of",
    "plan",
    "render",
    "slug",
]
