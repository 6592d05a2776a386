"""The subscribe page in a real browser: search, links, the note, a phone's width.

One headless Chromium session (driven by selenium and chromedriver) serves
every check, over http from 127.0.0.1 and as a file. Skipped, saying why,
where Chromium or its driver is not installed, unless PE_SCHEDULE_REQUIRE_BROWSER
is set: CI installs both and sets it, so there the test can never silently skip.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import urllib.parse
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


def test_the_page_in_a_browser(browser: Any, site: str, tmp_path: Path) -> None:
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
    shot = tmp_path / "index-390px.png"
    assert browser.save_screenshot(str(shot))
    # The screenshot stays with the test run to look at (pytest -s shows the path).
    print(f"screenshot: {shot}")  # noqa: T201
