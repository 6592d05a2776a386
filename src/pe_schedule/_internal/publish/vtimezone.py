"""Compact VTIMEZONE components in RRULE form, derived from the tz database.

icalendar's own VTIMEZONE writer lists every transition as RDATEs from the
zone's first rule onwards. ical.js and vobject read only the first date of an
RDATE list (putting events an hour off), Outlook misreads long RDATE lists and
Google gives up on very long blocks. So we write what Outlook and Apple write:
one STANDARD and one DAYLIGHT observance per rule period, as a yearly RRULE,
covering only the years a feed spans (plus the transition in force when its
first year begins).

The transitions come from the ``tzdata`` package rather than the operating
system's zone files, so a feed is the same bytes on every machine.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import zoneinfo
from typing import TYPE_CHECKING

import attrs

from pe_schedule._internal.model.zones import Zone
from pe_schedule.exceptions import PeScheduleError

if TYPE_CHECKING:
    import icalendar

# A zone changes at most once a day (in practice weeks or months apart), so a daily
# scan finds every change; tests check offsets against zoneinfo for random zones.
_STEP = dt.timedelta(days=1)
_SECOND = dt.timedelta(seconds=1)
_UNTIL_MARGIN = dt.timedelta(days=1)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@attrs.frozen(kw_only=True)
class _State:
    offset: dt.timedelta
    dst: bool
    name: str


@attrs.frozen(kw_only=True)
class Transition:
    """One change of a zone's UTC offset, DST flag or abbreviation.

    >>> spring = transitions("America/New_York", 2023, 2023)[1]
    >>> print(spring.local, spring.name, spring.utc)
    2023-03-12 02:00:00 EDT 2023-03-12 07:00:00+00:00
    """

    #: The wall-clock time the change happens at, in the offset before it.
    local: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    dst: bool
    name: str
    #: False for the stand-in opening of a zone with no change in the year before.
    recurs: bool = True

    @property
    def utc(self) -> dt.datetime:
        """The instant of the change, in UTC."""
        return (self.local - self.offset_from).replace(tzinfo=dt.UTC)


def _state(tz: zoneinfo.ZoneInfo, moment: dt.datetime) -> _State:
    local = moment.astimezone(tz)
    offset, dst = local.utcoffset(), local.dst()
    assert offset is not None  # a ZoneInfo always knows its offsets
    return _State(offset=offset, dst=bool(dst), name=local.tzname() or "")


def _scan(tz: zoneinfo.ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[Transition]:
    """Every change of state in [start, end), each located to the second."""
    found: list[Transition] = []
    moment, state = start, _state(tz, start)
    while moment < end:
        later = moment + _STEP
        after = _state(tz, later)
        if after != state:
            low, high = moment, later
            while high - low > _SECOND:
                middle = low + (high - low) // 2
                middle -= dt.timedelta(microseconds=middle.microsecond)
                if _state(tz, middle) == state:
                    low = middle
                else:
                    high = middle
            found.append(
                Transition(
                    local=(high + state.offset).replace(tzinfo=None),
                    offset_from=state.offset,
                    offset_to=after.offset,
                    dst=after.dst,
                    name=after.name,
                )
            )
        moment, state = later, after
    return found


@functools.cache
def transitions(name: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """The changes a VTIMEZONE for ``first_year``..``last_year`` has to describe.

    The first entry is the observance in force when ``first_year`` begins: the
    last real transition of the year before if there is one, else a transition
    at local midnight on 1 January that keeps the offset (zones without DST).
    """
    tz = Zone(name).tzinfo
    begin = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    changes = _scan(tz, begin.replace(year=first_year - 1), begin.replace(year=last_year + 1))
    before = [change for change in changes if change.utc < begin]
    within = [change for change in changes if change.utc >= begin]
    if before:
        opening = before[-1]
    else:
        state = _state(tz, begin)
        opening = Transition(
            local=dt.datetime(first_year, 1, 1),
            offset_from=state.offset,
            offset_to=state.offset,
            dst=state.dst,
            name=state.name,
            recurs=False,
        )
    return (opening, *within)


def _patterns(local: dt.datetime) -> tuple[tuple[str, int], ...]:
    """The yearly patterns one transition date fits, most specific first."""
    weekday = _WEEKDAYS[local.weekday()]
    nth = (local.day - 1) // 7 + 1
    found: list[tuple[str, int]] = []
    # "Last Sunday" is how most zones phrase a change in a month's last week,
    # so it wins over "fourth Sunday" when one year's date fits both.
    if local.day + 7 > calendar.monthrange(local.year, local.month)[1]:
        found.append((f"-1{weekday}", 0))
    if nth <= 4:
        found.append((f"{nth}{weekday}", 0))
    found.append(("", local.day))
    return tuple(found)


def _same_rule(a: Transition, b: Transition) -> bool:
    return (
        b.local.year == a.local.year + 1
        and b.local.month == a.local.month
        and b.local.time() == a.local.time()
        and (a.offset_from, a.offset_to, a.dst, a.name)
        == (b.offset_from, b.offset_to, b.dst, b.name)
    )


def _runs(changes: tuple[Transition, ...]) -> list[tuple[list[Transition], tuple[str, int]]]:
    """Group one kind of transition into yearly runs sharing a pattern."""
    runs: list[tuple[list[Transition], tuple[str, int]]] = []
    for change in changes:
        if runs:
            members, _ = runs[-1]
            common = [p for p in _patterns(members[0].local) if p in _patterns(change.local)]
            common = [p for p in common if all(p in _patterns(m.local) for m in members)]
            if _same_rule(members[-1], change) and common:
                runs[-1] = ([*members, change], common[0])
                continue
        runs.append(([change], _patterns(change.local)[0]))
    return runs


@attrs.frozen(kw_only=True)
class _Observance:
    """One STANDARD or DAYLIGHT block: where it starts, how it recurs, its offsets."""

    start: Transition
    #: The RRULE's BYDAY (``"-1SU"``) or, when that is empty, its BYMONTHDAY.
    pattern: tuple[str, int]
    recurs: bool
    #: The RRULE's UNTIL (UTC), or None for a rule still in force.
    until: dt.datetime | None


def _observance(
    members: list[Transition], pattern: tuple[str, int], *, open_ended: bool
) -> _Observance:
    first = members[0]
    # A lone change that does not recur is a one-off (a zone changing its
    # standard offset, or the opening offset of a zone without DST). A rule
    # still in force in the last year stays open-ended, as clients expect of a
    # zone's current rule.
    recurs = first.recurs and (len(members) > 1 or (open_ended and bool(pattern[0])))
    # RFC 5545 requires UNTIL in UTC inside VTIMEZONE (allenporter's ical
    # rejects anything else), but dateutil's tzical, and so vobject, reads
    # it as local time, which east of UTC falls before the last change.
    # A day later bounds the yearly rule just the same for every reader.
    until = None if open_ended else members[-1].utc + _UNTIL_MARGIN
    return _Observance(start=first, pattern=pattern, recurs=recurs, until=until)


def _observances(name: str, first_year: int, last_year: int) -> list[_Observance]:
    """The zone's observances for the years, in order of their first change."""
    if last_year < first_year:
        raise PeScheduleError(f"time zone years: expected a range, got {first_year}-{last_year}")
    changes = transitions(name, first_year, last_year)
    found: list[_Observance] = []
    for dst in (False, True):
        runs = _runs(tuple(change for change in changes if change.dst == dst))
        for index, (members, pattern) in enumerate(runs):
            open_ended = index == len(runs) - 1 and members[-1].local.year == last_year
            found.append(_observance(members, pattern, open_ended=open_ended))
    return sorted(found, key=lambda observance: observance.start.local)


def _rule(observance: _Observance) -> dict[str, object]:
    byday, bymonthday = observance.pattern
    rule: dict[str, object] = {"freq": "yearly", "bymonth": observance.start.local.month}
    if byday:
        rule["byday"] = byday
    else:
        rule["bymonthday"] = bymonthday
    if observance.until is not None:
        rule["until"] = observance.until
    return rule


def _component(observance: _Observance) -> icalendar.cal.component.Component:
    import icalendar  # only callers who want objects pay for icalendar

    first = observance.start
    component: icalendar.cal.component.Component = (
        icalendar.TimezoneDaylight() if first.dst else icalendar.TimezoneStandard()
    )
    component.add("dtstart", first.local)
    if observance.recurs:
        component.add("rrule", _rule(observance))
    component.add("tzoffsetfrom", first.offset_from)
    component.add("tzoffsetto", first.offset_to)
    if first.name:
        component.add("tzname", first.name)
    return component


def vtimezone(name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """A compact VTIMEZONE for zone ``name`` valid from ``first_year`` to ``last_year``.

    Args:
        name: An IANA zone name; it becomes the TZID.
        first_year: The first year an event of the feed falls in.
        last_year: The last year an event of the feed falls in.

    Raises:
        PeScheduleError: if the zone is unknown or the years are reversed.

    >>> print(vtimezone("Asia/Kolkata", 2023, 2024).to_ical().decode().replace("\\r", "").strip())
    BEGIN:VTIMEZONE
    TZID:Asia/Kolkata
    BEGIN:STANDARD
    DTSTART:20230101T000000
    TZNAME:IST
    TZOFFSETFROM:+0530
    TZOFFSETTO:+0530
    END:STANDARD
    END:VTIMEZONE
    """
    import icalendar  # only callers who want objects pay for icalendar

    observances = _observances(name, first_year, last_year)
    timezone = icalendar.Timezone()
    timezone.add("tzid", name)
    for observance in observances:
        timezone.add_component(_component(observance))
    return timezone


def _stamp(moment: dt.datetime) -> str:
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


def _offset(offset: dt.timedelta) -> str:
    """A UTC-OFFSET value as icalendar writes it: seconds only when there are some."""
    sign = "-" if offset < dt.timedelta(0) else "+"
    seconds = int(abs(offset).total_seconds())
    hours, minutes, rest = seconds // 3600, seconds % 3600 // 60, seconds % 60
    return (
        f"{sign}{hours:02d}{minutes:02d}{rest:02d}" if rest else f"{sign}{hours:02d}{minutes:02d}"
    )


def _rrule_line(observance: _Observance) -> str:
    byday, bymonthday = observance.pattern
    line = "RRULE:FREQ=YEARLY"
    if observance.until is not None:
        line += f";UNTIL={_stamp(observance.until)}Z"
    line += f";BYDAY={byday}" if byday else f";BYMONTHDAY={bymonthday}"
    return f"{line};BYMONTH={observance.start.local.month}"


def _observance_lines(observance: _Observance) -> list[str]:
    first = observance.start
    kind = "DAYLIGHT" if first.dst else "STANDARD"
    lines = [f"BEGIN:{kind}", f"DTSTART:{_stamp(first.local)}"]
    if observance.recurs:
        lines.append(_rrule_line(observance))
    if first.name:
        # Abbreviations are letters, digits and signs: nothing a TEXT value escapes.
        lines.append(f"TZNAME:{first.name}")
    lines += [
        f"TZOFFSETFROM:{_offset(first.offset_from)}",
        f"TZOFFSETTO:{_offset(first.offset_to)}",
    ]
    return [*lines, f"END:{kind}"]


@functools.cache
def vtimezone_bytes(name: str, first_year: int, last_year: int) -> bytes:
    """The bytes of :func:`vtimezone`, written directly and cached: feeds share a handful."""
    lines = [f"TZID:{name}"]
    for observance in _observances(name, first_year, last_year):
        lines += _observance_lines(observance)
    # Zone names and these values are ASCII and far shorter than a folded line.
    return "".join(f"{line}\r\n" for line in ["BEGIN:VTIMEZONE", *lines, "END:VTIMEZONE"]).encode()


__all__ = ["Transition", "transitions", "vtimezone", "vtimezone_bytes"]
