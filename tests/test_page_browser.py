"""The subscribe page in a real browser: search, links, the note, a phone's width.

One headless Chromium session (driven by selenium and chromedriver) serves
every check, over http from 127.0.0.1 and as a file. Skipped, saying why,
where Chromium or its driver is not installed, unless PE_SCHEDULE_REQUIRE_BROWSER
is set: CI installs both and sets it, so there the test can never silently skip.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import threading
import urllib.parse
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pe_schedule._internal.declaration import load as declaration
from pe_schedule._internal.publish.feeds import plan
from pe_schedule._internal.render.index_page import NO_BASE_URL_NOTE, render_index
from pe_schedule._internal.schedule import expand

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"
#: The committed folder: its page was built without a base URL.
FOLDER = REFERENCE.with_suffix("")
BASE = "https://calendars.example.org/pe"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or CHROMEDRIVER is None)
    and not os.environ.get("PE_SCHEDULE_REQUIRE_BROWSER"),
    reason="needs Chromium and ChromeDriver (apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module, with a fresh profile and no network use."""
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


class Quiet(http.server.SimpleHTTPRequestHandler):
    """A static host, as the folder is published: no log lines in the test output."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """http://127.0.0.1:PORT/, serving the committed folder at /plain/ and the same
    programme's page built with a base URL at /based/."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(FOLDER, root / "plain")
    programme = declaration.load(REFERENCE)
    events = expand.events(programme)
    feeds = plan(programme, events, programme.roster).feeds
    (root / "based").mkdir()
    page = render_index(programme, feeds, {}, base_url=BASE)
    (root / "based" / "index.html").write_text(page, encoding="utf-8")
    handler = functools.partial(Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    try:
        yield f"http://{host!s}:{port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


#: Where the screenshots stay after the run, to look at (CI can upload the folder).
ARTEFACTS = Path(__file__).parent.parent / "build" / "test-artefacts"


def keep_screenshot(browser: Any, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / name
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    return shot


#: Every element's own text against the background it is drawn on: the lowest
#: contrast ratio (WCAG 2 relative luminance) and what falls under 4.5:1.
CONTRAST = """
const channel = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
const rgba = (text) => text.match(/[\\d.]+/g).map(Number);
const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
const background = (node) => {
  for (; node; node = node.parentElement) {
    const color = rgba(getComputedStyle(node).backgroundColor);
    if (color.length < 4 || color[3] > 0) return color;
  }
  return [255, 255, 255];
};
const low = [];
let lowest = 21;
for (const node of document.querySelectorAll("body *")) {
  const own = [...node.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!own || node.offsetParent === null) continue;
  const [a, b] = [luminance(rgba(getComputedStyle(node).color)), luminance(background(node))];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  lowest = Math.min(lowest, ratio);
  if (ratio < 4.5) low.push(node.tagName + ": " + node.textContent.trim().slice(0, 40));
}
return [lowest, low];
"""


def hrefs(browser: Any) -> list[str]:
    return [
        str(h)
        for h in browser.execute_script(
            "return [...document.querySelectorAll('a[href]')].map(a => a.href)"
        )
    ]


def subscribe_hrefs(browser: Any) -> list[str]:
    return [
        str(h)
        for h in browser.execute_script(
            "return [...document.querySelectorAll('table.pe-feeds a')].map(a => a.href)"
        )
    ]


def visible_rows(browser: Any) -> list[str]:
    return [
        str(name)
        for name in browser.execute_script(
            "return [...document.querySelectorAll('tr[data-name]')]"
            ".filter(r => r.offsetParent !== null).map(r => r.dataset.name)"
        )
    ]


def test_the_page_in_a_browser(browser: Any, site: str) -> None:
    """Opened as a file, the page says why it has no links and makes no file:// link;
    served, its links are absolute; the search narrows the rows; a phone's width
    scrolls the grid in its box, never the page."""
    from selenium.webdriver.common.by import By

    # Opened as a file: the note, the file names, no link to subscribe with.
    browser.get((FOLDER / "index.html").as_uri())
    note = browser.find_element(By.ID, "pe-no-base")
    assert note.is_displayed()
    assert note.text == NO_BASE_URL_NOTE
    assert subscribe_hrefs(browser) == []
    assert not [h for h in hrefs(browser) if h.startswith("file:")]
    assert browser.find_element(By.CSS_SELECTOR, "td[data-feed] code").text == "programme.ics"
    assert browser.find_element(By.CSS_SELECTOR, "p.pe-grid-print code").text == "grid.svg"

    # Served without a base URL: links from the page's own address, the note gone.
    browser.get(site + "plain/index.html")
    assert not browser.find_element(By.ID, "pe-no-base").is_displayed()
    links = subscribe_hrefs(browser)
    rows = len(visible_rows(browser))
    assert len(links) == 3 * rows
    assert rows > 50
    https, webcal, google = links[:3]
    assert https == site + "plain/programme.ics"
    assert webcal == "webcal" + https.removeprefix("http")
    assert google == (
        "https://calendar.google.com/calendar/r?cid=" + urllib.parse.quote(webcal, safe="")
    )
    # The printable grid picture beside the page is linked too.
    picture = browser.find_element(By.CSS_SELECTOR, "p.pe-grid-print a")
    assert (picture.text, picture.get_attribute("href")) == ("grid.svg", site + "plain/grid.svg")

    # Find your feed: part of a name, any case; a kind with no match is hidden whole.
    search = browser.find_element(By.ID, "pe-find")
    assert search.is_displayed()
    assert browser.execute_script("return document.getElementById('pe-find').labels.length") == 1
    search.send_keys("hOLLOW")
    found = visible_rows(browser)
    assert found
    assert len(found) < rows
    assert all("hollow" in name.lower() for name in found)
    status = browser.find_element(By.ID, "pe-find-status").text
    assert status == f"{len(found)} feeds match."
    assert not browser.find_element(By.ID, "pe-feeds-cohort").is_displayed()
    search.send_keys("zzz")
    assert visible_rows(browser) == []
    assert browser.find_element(By.ID, "pe-find-status").text == "No feed matches."
    search.clear()
    search.send_keys(" ")
    assert len(visible_rows(browser)) == rows

    # Built with a base URL: absolute https links, no note, no script-made links.
    browser.get(site + "based/index.html")
    assert browser.find_elements(By.ID, "pe-no-base") == []
    links = subscribe_hrefs(browser)
    assert links[0] == f"{BASE}/programme.ics"
    assert links[1] == "webcal://calendars.example.org/pe/programme.ics"
    assert all(h.startswith(("https://", "webcal://")) for h in links)

    # A phone 390 px wide: the page does not overflow; the grid scrolls in its own box.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    browser.get(site + "plain/index.html")
    assert browser.execute_script("return window.innerWidth") == 390
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    )
    box = browser.find_element(By.CSS_SELECTOR, "div.pe-scroll:has(> table.pe-grid)")
    assert browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", box)
    browser.execute_script("arguments[0].scrollLeft = 200", box)
    assert browser.execute_script("return arguments[0].scrollLeft", box) > 0
    keep_screenshot(browser, "index-390px.png")


#: Where the viewer is: half an hour off the hour, no daylight saving time, so a
#: 14:00 call in New York is 23:30 or 00:30 here, on the same day or the next.
VIEWER = "Asia/Kolkata"
#: What the page takes as now: half-way through the team's meeting of Tuesday
#: 7 March 2023 (11:00 in Los Angeles), five days before New York's clocks go forward.
NOW = dt.datetime(2023, 3, 7, 19, 30, tzinfo=dt.UTC)
#: The feed under test: a team in Pacific time, meeting weekly at 11:00 there.
TEAM = "team-ac-03.ics"

#: Run before the page's own script: the page's clock reads NOW.
FIXED_CLOCK = """{
  const fixed = %d, Real = Date;
  globalThis.Date = class extends Real {
    constructor(...args) { if (args.length) super(...args); else super(fixed); }
    static now() { return fixed; }
  };
}"""


def live_events(file: str) -> list[tuple[Any, Any]]:
    """(start, end) of a feed's live events as icalendar reads them: aware datetimes,
    or dates for all-day events, in the feed's order."""
    import icalendar

    calendar = icalendar.Calendar.from_ical((FOLDER / file).read_bytes())
    found = []
    for vevent in calendar.walk("VEVENT"):
        if str(vevent.get("STATUS", "")) != "CANCELLED":
            found.append((vevent.decoded("DTSTART"), vevent.decoded("DTEND")))
    return sorted(found, key=lambda span: sort_key(span[0]))


def sort_key(start: Any) -> dt.datetime:
    if isinstance(start, dt.datetime):
        return start.astimezone(dt.UTC)
    return dt.datetime.combine(start, dt.time(), dt.UTC)


def stamp(start: Any, zone: str) -> str:
    """What a ``<time datetime>`` should say: the wall clock and offset in ``zone``, or a date."""
    if not isinstance(start, dt.datetime):
        return str(start.isoformat())
    return str(start.astimezone(zoneinfo.ZoneInfo(zone)).isoformat(timespec="minutes"))


def days_in(start: Any, end: Any, zone: str) -> list[dt.date]:
    """The days an event is shown on in ``zone``: a timed one on its start's day there."""
    if isinstance(start, dt.datetime):
        return [start.astimezone(zoneinfo.ZoneInfo(zone)).date()]
    return [start + dt.timedelta(days=n) for n in range((end - start).days)]


def month_cells(browser: Any) -> dict[str, list[str]]:
    """The month view's days with events: day -> the viewer's times written there."""
    found = browser.execute_script(
        "return [...document.querySelectorAll('#pe-view td[data-day]')].map(td => [td.dataset.day,"
        " [...td.querySelectorAll('li > time')].map(t => t.getAttribute('datetime'))])"
    )
    return {str(day): sorted(map(str, times)) for day, times in found if times}


def expected_cells(spans: list[tuple[Any, Any]], month: str) -> dict[str, list[str]]:
    cells: dict[str, list[str]] = {}
    for start, end in spans:
        for day in days_in(start, end, VIEWER):
            if day.isoformat().startswith(month):
                cells.setdefault(day.isoformat(), []).append(stamp(start, VIEWER))
    return {day: sorted(times) for day, times in cells.items()}


def test_what_is_on_in_the_viewers_zone(browser: Any, site: str) -> None:
    """Choosing a feed shows its next live events and a month view, each time in the
    viewer's zone beside the programme's, as independently computed from the feed."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": VIEWER})
    millis = int(NOW.timestamp() * 1000)
    clock = browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": FIXED_CLOCK % millis}
    )
    try:
        browser.get(site + "plain/index.html")
        assert browser.execute_script("return Date.now()") == millis
        button = browser.find_element(By.CSS_SELECTOR, f'button.pe-open[data-feed="{TEAM}"]')
        assert button.text == "Oak Hollow Hospital"
        # By keyboard: Enter on the feed's name opens its view and moves focus there.
        button.send_keys(Keys.ENTER)
        view = browser.find_element(By.ID, "pe-view")
        assert view.is_displayed()
        assert button.get_attribute("aria-expanded") == "true"
        assert browser.execute_script("return document.activeElement.id") == "pe-view-title"
        # The browser names the zone its own way (Chromium says Asia/Calcutta).
        here = browser.execute_script("return Intl.DateTimeFormat().resolvedOptions().timeZone")
        assert zoneinfo.ZoneInfo(here).utcoffset(NOW) == zoneinfo.ZoneInfo(VIEWER).utcoffset(NOW)
        assert view.find_element(By.CSS_SELECTOR, "p.pe-zones").text == (
            f"Times are in your zone, {here}, with the programme's, America/New_York, beside them."
        )

        spans = live_events(TEAM)
        coming = [
            (start, end)
            for start, end in spans
            if (
                end > NOW
                if isinstance(end, dt.datetime)
                else end > NOW.astimezone(zoneinfo.ZoneInfo(VIEWER)).date()
            )
        ][:5]
        # The meeting under way is still on: it heads the list.
        assert coming[0][0] < NOW < coming[0][1]
        shown = browser.execute_script(
            "return [...document.querySelectorAll('#pe-view ol.pe-next > li')].map(li => ["
            "li.querySelector(':scope > time').getAttribute('datetime'),"
            "li.querySelector('.pe-home time')?.getAttribute('datetime') ?? null])"
        )
        assert shown == [
            [
                stamp(start, VIEWER),
                stamp(start, "America/New_York") if isinstance(start, dt.datetime) else None,
            ]
            for start, _ in coming
        ]

        # The month view opens on the next event's month, on the viewer's calendar.
        first = days_in(*coming[0], VIEWER)[0]
        caption = view.find_element(By.CSS_SELECTOR, "table.pe-month caption")
        assert caption.text == first.strftime("%B %Y")
        assert month_cells(browser) == expected_cells(spans, first.strftime("%Y-%m"))
        # Some events fall on the next day here: the check above placed them by the
        # viewer's day, and the reference has such events.
        crossing = [
            s
            for s, _ in spans
            if isinstance(s, dt.datetime) and days_in(s, s, VIEWER)[0] != s.date()
        ]
        assert crossing

        # Every text on the page, the open view's included, reads at 4.5:1 or better.
        lowest, low = browser.execute_script(CONTRAST)
        assert low == [], low
        assert lowest >= 4.5

        # Month by month, to the last month with an event and back to the first.
        later, earlier = view.find_elements(By.CSS_SELECTOR, "p.pe-month-nav button")[::-1]
        later.click()
        following = (first.replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")
        assert month_cells(browser) == expected_cells(spans, following)
        months = sorted({d.strftime("%Y-%m") for s, e in spans for d in days_in(s, e, VIEWER)})
        while earlier.is_enabled():
            earlier.click()
        caption = view.find_element(By.CSS_SELECTOR, "table.pe-month caption")
        assert caption.text == dt.datetime.strptime(months[0], "%Y-%m").strftime("%B %Y")
        assert month_cells(browser) == expected_cells(spans, months[0])

        # Closing returns focus to the feed's name; so does Escape.
        view.find_element(By.CSS_SELECTOR, "button.pe-close").click()
        assert not view.is_displayed()
        assert button.get_attribute("aria-expanded") == "false"
        assert browser.execute_script("return document.activeElement.dataset.feed") == TEAM
        button.send_keys(Keys.ENTER)
        assert view.is_displayed()
        browser.switch_to.active_element.send_keys(Keys.ESCAPE)
        assert not view.is_displayed()
        assert browser.execute_script("return document.activeElement.dataset.feed") == TEAM

        # A viewer in the programme's own zone gets its times once.
        browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "America/New_York"})
        browser.get(site + "plain/index.html")
        browser.find_element(By.CSS_SELECTOR, f'button.pe-open[data-feed="{TEAM}"]').click()
        assert "which is also yours" in browser.find_element(By.CSS_SELECTOR, "p.pe-zones").text
        assert browser.find_elements(By.CSS_SELECTOR, "#pe-view .pe-home") == []

        # On a phone the view fits the width; the month scrolls in its own box.
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
        )
        browser.get(site + "plain/index.html")
        browser.find_element(By.CSS_SELECTOR, f'button.pe-open[data-feed="{TEAM}"]').click()
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )
        box = browser.find_element(By.CSS_SELECTOR, "#pe-view div.pe-scroll")
        assert browser.execute_script(
            "return arguments[0].scrollWidth > arguments[0].clientWidth", box
        )
        keep_screenshot(browser, "what-is-on-390px.png")
    finally:
        browser.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": clock["identifier"]}
        )
        browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ""})
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
