"""The subscribe page's HTML: the address its links are made from, counts, a phone, search.

tests/test_page_browser.py runs the same page in a real browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from pe_schedule import AudienceKind, Group, Roster, Target, cli
from pe_schedule._internal.build import files
from pe_schedule._internal.model.event import Status
from pe_schedule._internal.publish.feeds import plan
from pe_schedule._internal.render.index_page import NO_BASE_URL_NOTE, base_url_of
from pe_schedule.exceptions import PeScheduleError
from tests.test_feeds import _event, _programme

GROUP = Group(id="cg-1", name="Coaching group 1", kind=AudienceKind.COACHING_GROUP)
TARGET = Target(kind=GROUP.kind, key=GROUP.id)


def page(base_url: str | None = None, *, cancelled: int = 0) -> str:
    """The page for one coaching group with three events, ``cancelled`` of them cancelled."""
    programme = _programme()
    events = [_event(f"e{n}", TARGET) for n in range(3)]
    events = [
        attrs.evolve(event, status=Status.CANCELLED) if n < cancelled else event
        for n, event in enumerate(events)
    ]
    feeds = plan(programme, events, Roster(teams=(), people=(), groups=(GROUP,))).feeds
    return dict(files(programme, feeds, events, base_url=base_url))["index.html"].decode()


def row(text: str, name: str) -> str:
    found = re.search(rf'<tr data-name="{name}"[^>]*>.*?</tr>', text)
    assert found is not None
    return found.group(0)


class TestBaseUrl:
    @pytest.mark.parametrize(
        "text", ["calendars.example.org", "calendars.example.org/pe", "/pe", "ftp://x.org/pe"]
    )
    def test_anything_but_an_absolute_address_is_refused(self, text: str) -> None:
        with pytest.raises(PeScheduleError, match="expected an absolute https address"):
            base_url_of(text, allow_http=True)

    def test_http_only_when_allowed(self) -> None:
        with pytest.raises(PeScheduleError, match="pass --allow-http"):
            base_url_of("http://calendars.example.org/pe")
        assert base_url_of("http://x.org/pe", allow_http=True) == "http://x.org/pe"

    def test_build_refuses_an_address_without_a_scheme(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exit 2 before anything is read or written."""
        out = tmp_path / "out"
        argv = ["build", str(tmp_path / "none.toml"), "--out", str(out)]
        assert cli.main([*argv, "--base-url", "calendars.example.org"]) == 2
        assert "expected an absolute https address" in capsys.readouterr().err
        assert not out.exists()

    def test_build_over_http_warns(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        argv = ["build", str(tmp_path / "none.toml"), "--base-url", "http://x.org"]
        assert cli.main(argv) == 2
        assert "pass --allow-http" in capsys.readouterr().err
        cli.main([*argv, "--allow-http"])
        assert "warning: --base-url http://x.org is plain http" in capsys.readouterr().err


class TestLinks:
    def test_with_a_base_url_links_are_absolute(self) -> None:
        cells = row(page("https://example.org/pe/"), "Coaching group 1")
        assert 'href="https://example.org/pe/coaching-group-cg-1.ics"' in cells
        assert 'href="webcal://example.org/pe/coaching-group-cg-1.ics"' in cells
        assert "cid=webcal%3A%2F%2Fexample.org%2Fpe%2Fcoaching-group-cg-1.ics" in cells
        assert NO_BASE_URL_NOTE not in page("https://example.org/pe/")

    def test_without_one_the_page_says_so_and_links_nothing(self) -> None:
        """Opened as a file, a relative link would subscribe to file://: none is made;
        the script makes them only when the page is served over http(s)."""
        text = page()
        assert NO_BASE_URL_NOTE in text
        cells = row(text, "Coaching group 1")
        assert "<a" not in cells
        assert "<code>coaching-group-cg-1.ics</code>" in cells
        assert 'location.protocol === "https:" || location.protocol === "http:"' in text


def test_counts_leave_cancelled_events_out() -> None:
    """A subscriber reads the count as what is on: two of three, one being cancelled."""
    assert '<td class="count">3</td>' in row(page(), "Coaching group 1")
    assert '<td class="count">2</td>' in row(page(cancelled=1), "Coaching group 1")


class TestPhoneAndKeyboard:
    def test_viewport_and_scrolling_boxes(self) -> None:
        text = page()
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
        # Every table sits in a box of its own that scrolls sideways and takes focus.
        assert text.count("<table") == text.count('<div class="pe-scroll" role="region" tabindex')
        assert "div.pe-scroll { overflow-x: auto;" in text

    def test_search_box_is_labelled_and_shown_by_its_script(self) -> None:
        text = page()
        assert '<label for="pe-find">' in text
        assert '<input type="search" id="pe-find"' in text
        assert '<p id="pe-search" hidden>' in text
        assert 'document.getElementById("pe-search").hidden = false;' in text

    def test_no_external_assets(self) -> None:
        text = page("https://example.org/pe")
        assert not re.search(r"<(script|link|img)[^>]*\b(src|href)=", text)
