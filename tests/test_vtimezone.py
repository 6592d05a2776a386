"""Compact VTIMEZONEs: RRULE form, only the feed's years, and the tz database's offsets."""

from __future__ import annotations

import datetime as dt
import io
import re

import icalendar
import pytest
from dateutil import tz as dateutil_tz
from hypothesis import given, settings
from hypothesis import strategies as st

from pe_schedule import PeScheduleError, Zone
from pe_schedule._internal.model.zones import zone_names
from pe_schedule._internal.publish.vtimezone import transitions, vtimezone

#: Zones whose histories stress the rule finder: US and EU rules, southern
#: hemisphere, half-hour offsets and DST, DST abolished, Ramadan breaks,
#: negative DST (Dublin), two-hour DST (Troll), no DST at all.
ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Dublin",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Pacific/Apia",
    "Asia/Tehran",
    "Africa/Casablanca",
    "Antarctica/Troll",
    "America/Santiago",
    "Asia/Kolkata",
    "UTC",
)
YEARS = ((2023, 2024), (2018, 2020), (2022, 2022), (2007, 2010))


def samples(first: int, last: int, name: str) -> list[dt.datetime]:
    """Instants across the years, every 5 hours, plus a second either side of each change."""
    start = dt.datetime(first, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last + 1, 1, 1, tzinfo=dt.UTC)
    moments = [
        start + dt.timedelta(hours=5 * n) for n in range((end - start) // dt.timedelta(hours=5))
    ]
    for change in transitions(name, first, last)[1:]:
        moments += [
            change.utc - dt.timedelta(seconds=1),
            change.utc,
            change.utc + dt.timedelta(seconds=1),
        ]
    return moments


def unambiguous_wall_times(
    name: str, first: int, last: int
) -> list[tuple[dt.datetime, dt.timedelta]]:
    """(local wall time, UTC offset) pairs that name one instant only (no gaps, no repeats)."""
    real = Zone(name).tzinfo
    pairs = []
    for moment in samples(first, last, name):
        local = moment.astimezone(real)
        wall = local.replace(tzinfo=None)
        offsets = {wall.replace(tzinfo=real, fold=fold).utcoffset() for fold in (0, 1)}
        if len(offsets) == 1 and wall.year in range(first, last + 1):
            offset = local.utcoffset()
            assert offset is not None
            pairs.append((wall, offset))
    return pairs


def observances(name: str, first: int, last: int) -> list[dict[str, str]]:
    """The STANDARD and DAYLIGHT blocks of a VTIMEZONE, as property name to value."""
    found: list[dict[str, str]] = []
    for line in vtimezone(name, first, last).to_ical().decode().split("\r\n"):
        key, _, value = line.partition(":")
        if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            found.append({"BEGIN": value})
        elif found and key not in ("END", "BEGIN"):
            found[-1][key] = value
    return found


class TestOffsets:
    """A reader of the VTIMEZONE gets the tz database's offsets throughout the feed's years."""

    @pytest.mark.parametrize("name", ZONES)
    @pytest.mark.parametrize(("first", "last"), YEARS)
    def test_dateutil_reads_the_database_offsets(self, name: str, first: int, last: int) -> None:
        """dateutil's tzical, an independent VTIMEZONE reader, agrees at every sample."""
        text = vtimezone(name, first, last).to_ical().decode()
        reader = dateutil_tz.tzical(io.StringIO(text)).get(name)
        assert reader is not None
        for wall, offset in unambiguous_wall_times(name, first, last):
            assert reader.utcoffset(wall) == offset, (name, wall)

    @pytest.mark.parametrize("name", ZONES)
    def test_icalendar_reads_the_database_offsets(self, name: str) -> None:
        """icalendar's own VTIMEZONE reader agrees too."""
        parsed = icalendar.Timezone.from_ical(vtimezone(name, 2023, 2024).to_ical())
        assert isinstance(parsed, icalendar.Timezone)
        reader = parsed.to_tz()
        for wall, offset in unambiguous_wall_times(name, 2023, 2024):
            assert reader.utcoffset(wall) == offset, (name, wall)

    @settings(max_examples=15, deadline=None)
    @given(
        name=st.sampled_from(sorted(zone_names())),
        first=st.integers(1990, 2030),
        span=st.integers(0, 3),
    )
    def test_any_zone_and_years(self, name: str, first: int, span: int) -> None:
        """For any zone and years, dateutil reads the database's offsets."""
        text = vtimezone(name, first, first + span).to_ical().decode()
        reader = dateutil_tz.tzical(io.StringIO(text)).get(name)
        assert reader is not None
        for wall, offset in unambiguous_wall_times(name, first, first + span):
            assert reader.utcoffset(wall) == offset, (name, wall)


class TestShape:
    """The VTIMEZONE is what Outlook, Google, ical.js and vobject all read well."""

    @pytest.mark.parametrize("name", ZONES)
    def test_rrule_form_without_rdate_lists(self, name: str) -> None:
        """No RDATE at all; any RRULE UNTIL is in UTC."""
        text = bytes(vtimezone(name, 2018, 2024).to_ical()).decode()
        assert "RDATE" not in text
        for until in re.findall(r"UNTIL=([0-9TZ]+)", text):
            assert until.endswith("Z")

    def test_new_york_is_two_observances(self) -> None:
        """A zone with one steady rule is one STANDARD and one DAYLIGHT, as yearly rules."""
        found = observances("America/New_York", 2023, 2024)
        assert [(o["BEGIN"], o["DTSTART"], o["RRULE"]) for o in found] == [
            ("STANDARD", "20221106T020000", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"),
            ("DAYLIGHT", "20230312T020000", "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"),
        ]

    @pytest.mark.parametrize("name", ZONES)
    def test_covers_only_the_feed_years(self, name: str) -> None:
        """No observance starts before the year before the first, nor after the last year."""
        starts = [o["DTSTART"] for o in observances(name, 2023, 2024)]
        assert all("20220101T000000" <= start < "20250101T000000" for start in starts)
        assert len(starts) <= 6

    def test_a_zone_without_dst_is_one_fixed_observance(self) -> None:
        """Asia/Kolkata: one STANDARD with the same offset on both sides and no rule."""
        (standard,) = observances("Asia/Kolkata", 2023, 2024)
        assert standard["BEGIN"] == "STANDARD"
        assert "RRULE" not in standard
        assert standard["TZOFFSETFROM"] == standard["TZOFFSETTO"] == "+0530"

    def test_an_abolished_rule_ends_with_until(self) -> None:
        """Brazil stopped DST in 2019: the standard rule stops (UNTIL a day after its last change)."""
        text = bytes(vtimezone("America/Sao_Paulo", 2018, 2020).to_ical()).decode()
        assert "UNTIL=20190218T020000Z" in text
        assert text.count("RRULE") == 1


class TestZones:
    """Zones come from the pinned tzdata package, by IANA name."""

    def test_unknown_zone_is_an_error(self) -> None:
        """A name tzdata does not know raises a PeScheduleError naming it."""
        with pytest.raises(PeScheduleError, match="Mars/Olympus_Mons"):
            Zone("Mars/Olympus_Mons")

    @pytest.mark.parametrize("name", ["../etc/passwd", "", "America//New_York", "."])
    def test_path_like_names_are_refused(self, name: str) -> None:
        """Names that would walk out of the zone folder are not zone names."""
        with pytest.raises(PeScheduleError):
            Zone(name)

    def test_reversed_years_are_an_error(self) -> None:
        """A last year before the first is refused."""
        with pytest.raises(PeScheduleError, match="2024-2023"):
            vtimezone("UTC", 2024, 2023)


def rrules(name: str, first: int, last: int) -> list[str]:
    """Each observance as ``KIND BYMONTH:BYDAY`` of its yearly RRULE, sorted."""
    found = []
    for observance in observances(name, first, last):
        rule = observance.get("RRULE", "")
        parts = dict(part.split("=", 1) for part in rule.split(";") if part)
        if parts.get("FREQ") == "YEARLY":
            found.append(f"{observance['BEGIN']} {parts['BYMONTH']}:{parts.get('BYDAY', '')}")
        else:
            found.append(f"{observance['BEGIN']} without a yearly rule {rule!r}")
    return sorted(found)


class TestWeekdayRules:
    """A yearly rule is written the way the zone states it: "last Sunday" as -1SU."""

    @pytest.mark.parametrize(
        ("name", "first", "last", "standard", "daylight"),
        [
            # EU: last Sunday of October and of March. In 2021-2023 (and 2022
            # alone) every March change is both the fourth and the last Sunday.
            ("Europe/London", 2023, 2024, "10:-1SU", "3:-1SU"),
            ("Europe/London", 2021, 2023, "10:-1SU", "3:-1SU"),
            ("Europe/London", 2022, 2022, "10:-1SU", "3:-1SU"),
            ("Europe/Berlin", 2021, 2023, "10:-1SU", "3:-1SU"),
            # Australia before 2008: last Sunday of March and of October.
            ("Australia/Sydney", 2002, 2005, "3:-1SU", "10:-1SU"),
            # New Zealand mixes them: last Sunday of September, first of April.
            ("Pacific/Auckland", 2023, 2024, "4:1SU", "9:-1SU"),
            # Since 2008 Sydney changes on first Sundays; the US on the second and first.
            ("Australia/Sydney", 2023, 2024, "4:1SU", "10:1SU"),
            ("America/New_York", 2023, 2024, "11:1SU", "3:2SU"),
        ],
    )
    def test_byday_names_the_rule(
        self, name: str, first: int, last: int, standard: str, daylight: str
    ) -> None:
        """Each observance's RRULE has the zone's month and weekday rule, last Sundays as -1SU."""
        assert rrules(name, first, last) == [f"DAYLIGHT {daylight}", f"STANDARD {standard}"]

    @settings(max_examples=30, deadline=None)
    @given(
        name=st.sampled_from(("Europe/London", "Europe/Berlin", "Europe/Helsinki")),
        first=st.integers(1997, 2035),
        span=st.integers(0, 3),
    )
    def test_eu_zones_always_change_on_the_last_sunday(
        self, name: str, first: int, span: int
    ) -> None:
        """For any EU years since 1997, every RRULE of an EU zone says BYDAY=-1SU."""
        text = vtimezone(name, first, first + span).to_ical().decode()
        byday = re.findall(r"RRULE:[^\r]*BYDAY=([^;\r]+)", text)
        assert byday == ["-1SU", "-1SU"]
