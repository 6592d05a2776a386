"""The ledger's stamps: written as ``YYYY-MM-DDTHH:MM:SSZ`` and read back exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pe_schedule._internal.publish.ledger import _instant, _parse_instant

_MOMENTS = st.datetimes(
    min_value=dt.datetime(1000, 1, 2),
    max_value=dt.datetime(9999, 12, 30),
    timezones=st.just(dt.UTC),
).map(lambda moment: moment.replace(microsecond=0))


@given(_MOMENTS)
def test_round_trip(moment: dt.datetime) -> None:
    """Every stamp written reads back as the same UTC instant."""
    text = _instant(moment)
    assert _parse_instant(text) == moment
    assert _parse_instant(text).tzinfo is dt.UTC
    # The reading is the format strptime reads, which it replaced.
    assert _parse_instant(text) == dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=dt.UTC
    )


def test_accepts_the_letters_in_either_case() -> None:
    """As strptime did: a stamp someone lower-cased still reads."""
    assert _parse_instant("2023-01-31t17:00:00z") == dt.datetime(2023, 1, 31, 17, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "text",
    [
        "2023-1-31T17:00:00Z",
        "2023-01-31 17:00:00Z",
        "2023-01-31T17:00:00",
        "2023-01-31T17:00:00+00:00",
        "2023-01-31T17:00:00.5Z",
        "2023-02-30T17:00:00Z",
        "2023-01-31T24:00:00Z",
        "2023-01-31T17:00:60Z",
        "2023/01/31T17:00:00Z",
        "2023-01-31T17.00.00Z",
        "\uff12023-01-31T17:00:00Z",
        "",
    ],
)
def test_refuses_other_shapes(text: str) -> None:
    """Anything but the one shape :func:`_instant` writes is refused (strptime also let
    single-digit fields through, which no ledger ever held)."""
    with pytest.raises(ValueError, match="not a UTC instant"):
        _parse_instant(text)
