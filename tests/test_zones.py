"""Time zones come from the pinned tzdata package, whatever the machine has."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import zoneinfo

import pytest

from pe_schedule import PeScheduleError, Zone
from pe_schedule._internal.model.zones import suggest, zone_names


class TestZone:
    """One source of zone rules for events and VTIMEZONEs alike."""

    def test_reads_the_tzdata_package(self) -> None:
        """A zone's rules are the tzdata package's, even where the system's differ."""
        resource = importlib.resources.files("tzdata").joinpath("zoneinfo", "America", "Edmonton")
        with resource.open("rb") as data:
            packaged = zoneinfo.ZoneInfo.from_file(data, key="America/Edmonton")
        for month in range(1, 13):
            moment = dt.datetime(2027, month, 15, 12)
            assert moment.replace(tzinfo=Zone("America/Edmonton").tzinfo).utcoffset() == (
                moment.replace(tzinfo=packaged).utcoffset()
            )

    def test_is_cached(self) -> None:
        """Asking twice gives the same zone object, so datetimes compare by wall clock."""
        assert Zone("Europe/London").tzinfo is Zone("Europe/London").tzinfo

    @pytest.mark.parametrize("name", ["Mars/Olympus", "localtime", "../etc/passwd", ""])
    def test_refuses_names_the_release_lacks(self, name: str) -> None:
        """Unknown, machine-dependent and path-like names are errors of the library's family."""
        with pytest.raises(PeScheduleError, match="IANA time zone"):
            Zone(name)

    def test_lists_real_zones_only(self) -> None:
        """The list holds the zones people use and none that depend on the machine."""
        names = zone_names()
        assert {"America/New_York", "America/Los_Angeles", "Pacific/Honolulu"} <= names
        assert not names & {"localtime", "posixrules", "Factory"}


class TestSuggest:
    """A zone written nearly right gets the zone meant, wherever zones are read."""

    @pytest.mark.parametrize(
        ("written", "meant"),
        [
            ("america/new_york", "America/New_York"),
            ("New York", "America/New_York"),
            ("Los Angeles", "America/Los_Angeles"),
            ("Europe/Londn", "Europe/London"),
            ("Pacific/Honolul", "Pacific/Honolulu"),
        ],
    )
    def test_suggests_the_zone_meant(self, written: str, meant: str) -> None:
        """Letter case, a city written with a space and a typo each find the zone."""
        assert suggest(written) == meant

    def test_suggests_nothing_for_nonsense(self) -> None:
        """A name close to no zone gets no suggestion rather than a wild guess."""
        assert suggest("qqqqqqqqqq") is None
