"""The ``index.html`` of a folder of feeds: how to subscribe, and each cohort's grid.

The grids are shown as tables and linked as the printable picture the build
writes beside the page (``grid.svg``).

One static page with no external assets: it works offline and from any static
host. Each shared feed gets three links: the https address, the same as
``webcal://`` (which opens the system's calendar program) and a Google
Calendar "add by URL" link. Those links need the address the folder is
published at, ``base_url``, an absolute https URL. Without one the page never
guesses: it lists the file names under a note saying why there are no links,
and only when the page is itself served over http(s) does a few lines of
script complete the links from its own address (opened as a file, the page
would otherwise offer ``file://`` links no calendar can subscribe to).

A search box (shown by the same script) narrows the list to the feeds whose
name holds what was typed. Choosing a feed's name shows what it has coming up
next and a month view, in the viewer's own time zone beside the programme's
(:mod:`~pe_schedule._internal.render.agenda`); the events travel inside the
page, so this works offline too. Personal feeds are never listed: their names are
the only thing keeping them private. Staff feeds (the sessions each coach or
faculty member leads) are listed in their own section, by name.
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence

from pe_schedule._internal.model.audience import AudienceKind
from pe_schedule._internal.model.event import Event
from pe_schedule._internal.model.ordering import natural
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.publish.feeds import Feed
from pe_schedule._internal.render.agenda import AGENDA_CSS, AGENDA_SCRIPT, page_data
from pe_schedule._internal.render.grid import GRID_CSS, GRID_NAME, Grid, render_html_fragment
from pe_schedule.exceptions import PeScheduleError

#: How often the major clients fetch a subscribed feed again (their own
#: schedules; most ignore REFRESH-INTERVAL), shown so people know how long an
#: edit takes to reach them.
CLIENT_REFRESH = (
    ("Google Calendar", "every 8 to 24 hours, on its own schedule; it cannot be hurried"),
    ("Apple Calendar (macOS, iOS)", "as set per subscription: every 5 minutes to every week"),
    ("Outlook on the web and Outlook.com", "roughly every 3 to 24 hours"),
    ("Outlook for Windows", "at its send/receive interval, honouring X-PUBLISHED-TTL"),
    ("Thunderbird", "every 30 minutes by default, adjustable per calendar"),
)

#: What the page says in place of links when it was built without ``base_url``.
NO_BASE_URL_NOTE = (
    "Published without --base-url: subscribe links appear once the build is given "
    "the address it is published at. Until then, each feed is the file named in its row, "
    "beside this page."
)

_SEARCH_SCRIPT = """// Find your feed: keep the rows whose name holds what was typed, ignoring case
// and accents; a section with no row left is hidden with its heading.
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
const search = document.getElementById("pe-find");
const status = document.getElementById("pe-find-status");
document.getElementById("pe-search").hidden = false;
search.addEventListener("input", () => {
  const wanted = fold(search.value.trim());
  let shown = 0;
  for (const section of document.querySelectorAll("section.pe-feeds")) {
    let left = 0;
    for (const row of section.querySelectorAll("tr[data-name]")) {
      row.hidden = !fold(row.dataset.name).includes(wanted);
      if (!row.hidden) left += 1;
    }
    section.hidden = left === 0;
    shown += left;
  }
  status.textContent = wanted === "" ? "" :
    shown === 0 ? "No feed matches." : shown === 1 ? "1 feed matches." : shown + " feeds match.";
});
"""

_LINKS_SCRIPT = """// Built without a base URL: served over http(s), this page's own address is
// where the feeds are, so the links can be completed here. Opened as a file,
// there is no address to subscribe to: the note stays and no link is made.
if (location.protocol === "https:" || location.protocol === "http:") {
  for (const cell of document.querySelectorAll("td[data-feed]")) {
    const https = new URL(cell.dataset.feed, document.baseURI).href;
    const webcal = https.replace(/^https?:/, "webcal:");
    const links = [[https, "https"], [webcal, "webcal"],
      ["https://calendar.google.com/calendar/r?cid=" + encodeURIComponent(webcal),
       "Google Calendar"]];
    cell.replaceChildren(...links.flatMap(([href, label], i) => {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = label;
      return i === 0 ? [link] : [" · ", link];
    }));
  }
  for (const name of document.querySelectorAll("[data-file]")) {
    const link = document.createElement("a");
    link.href = new URL(name.dataset.file, document.baseURI).href;
    link.textContent = name.dataset.file;
    name.replaceChildren(link);
  }
  document.getElementById("pe-no-base").hidden = true;
}
"""

_STYLE = """body { font-family: sans-serif; margin: 1em; max-width: 70em; line-height: 1.4;
  color: #1a1a1a; background: #fff; }
a { color: #0b4f9c; }
a:focus-visible, input:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
table.pe-feeds { border-collapse: collapse; margin: 0.5em 0 1em; }
table.pe-feeds th, table.pe-feeds td { border: 1px solid #767676; padding: 0.3em 0.5em;
  text-align: left; vertical-align: top; }
table.pe-feeds td.count { text-align: right; }
table.pe-feeds code { overflow-wrap: anywhere; }
p.pe-note { border-left: 4px solid #8a5a00; background: #fff4e0; padding: 0.5em 0.75em; }
#pe-search label { display: block; font-weight: bold; }
#pe-search input { font-size: 1rem; padding: 0.4em; width: 100%; max-width: 24em;
  box-sizing: border-box; border: 1px solid #595959; }
"""


def base_url_of(text: str, *, allow_http: bool = False) -> str:
    """Check an address the feeds are published at: an absolute https URL.

    Plain http is accepted only with ``allow_http`` (Google Calendar and most
    clients refuse or warn on http feeds); anything else, such as an address
    without a scheme, would make links that lead nowhere.

    >>> base_url_of("https://calendars.example.org/pe")
    'https://calendars.example.org/pe'
    >>> base_url_of("calendars.example.org")
    Traceback (most recent call last):
    ...
    pe_schedule.exceptions.PeScheduleError: --base-url: expected an absolute https address such as 'https://calendars.example.org/pe', got 'calendars.example.org'

    Raises:
        PeScheduleError: if ``text`` is not such an address.
    """
    parts = urllib.parse.urlsplit(text)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme == "http" and parts.netloc and not allow_http:
        raise PeScheduleError(
            f"--base-url: expected an https address, got {text!r}; "
            "pass --allow-http to publish over plain http anyway"
        )
    if parts.scheme not in schemes or not parts.netloc:
        raise PeScheduleError(
            "--base-url: expected an absolute https address such as "
            f"'https://calendars.example.org/pe', got {text!r}"
        )
    return text


def subscribe_links(file: str, base_url: str) -> dict[str, str]:
    """The https, webcal and Google Calendar links for ``file`` under ``base_url``.

    >>> subscribe_links("team-ln-01.ics", "https://example.org/feeds")["google"]
    'https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Ffeeds%2Fteam-ln-01.ics'
    """
    https = urllib.parse.urljoin(base_url.rstrip("/") + "/", file)
    webcal = "webcal:" + https.partition(":")[2]
    google = "https://calendar.google.com/calendar/r?cid=" + urllib.parse.quote(webcal, safe="")
    return {"https": https, "webcal": webcal, "google": google}


def _name(feed: Feed, programme: Programme) -> str:
    """A feed's title without the programme's name in front, which every feed shares."""
    prefix = f"{programme.name}: "
    return feed.title.removeprefix(prefix) if feed.title != programme.name else "Whole programme"


def _feed_row(feed: Feed, name: str, count: int, base_url: str | None) -> str:
    e = html.escape
    if base_url is None:
        cell = f'<td data-feed="{e(feed.file)}"><code>{e(feed.file)}</code></td>'
    else:
        links = subscribe_links(feed.file, base_url)
        labels = {"https": "https", "webcal": "webcal", "google": "Google Calendar"}
        anchors = (f'<a href="{e(links[kind])}">{label}</a>' for kind, label in labels.items())
        cell = f"<td>{' · '.join(anchors)}</td>"
    return (
        f'<tr data-name="{e(name)}" data-view="{e(feed.file)}"><th scope="row">{e(name)}</th>'
        f'<td class="count">{count}</td>{cell}</tr>'
    )


def render_index(
    programme: Programme,
    feeds: Sequence[Feed],
    held: Mapping[str, Sequence[Event]],
    *,
    base_url: str | None = None,
) -> str:
    """The page: title, description, the shared feeds, the grids and refresh notes.

    Args:
        programme: The programme.
        feeds: Its feeds; personal ones are left out of the page.
        held: The live events (cancellations left out) of each listed feed, by
            file: the page counts them and shows them.
        base_url: Where the folder is published, for absolute links: an
            absolute http(s) address (:func:`base_url_of` checks the https rule).

    Raises:
        PeScheduleError: if ``base_url`` is not an absolute http(s) address.
    """
    if base_url is not None:
        base_url_of(base_url, allow_http=True)
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(programme.name)}: calendars</title>",
        f"<style>\n{_STYLE}{GRID_CSS}{AGENDA_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{e(programme.name)}</h1>",
    ]
    if programme.description:
        parts.append(f"<p>{e(programme.description)}</p>")
    shown = {feed.file for feed in feeds if not feed.kind.private}
    listed = {file: events for file, events in held.items() if file in shown}
    counts = {file: len(events) for file, events in listed.items()}
    parts.extend(_subscribe(programme, feeds, counts, base_url))
    parts.append("<h2>Activity grids</h2>")
    parts.append(render_html_fragment(Grid.of(programme)).rstrip("\n"))
    # The picture beside the page: linked like the feeds, so a page opened as a file
    # names it without making a file:// link, and the script links it when served.
    if base_url is None:
        picture = f'<span data-file="{GRID_NAME}"><code>{GRID_NAME}</code></span>'
    else:
        href = e(subscribe_links(GRID_NAME, base_url)["https"])
        picture = f'<a href="{href}">{GRID_NAME}</a>'
    parts.append(
        '<p class="pe-grid-print">The same grids as a picture, for slides and printed '
        f"handouts: {picture}.</p>"
    )
    parts.append("<h2>How soon changes arrive</h2>")
    parts.append("<ul>")
    parts.extend(f"<li>{e(client)}: {e(when)}.</li>" for client, when in CLIENT_REFRESH)
    parts.append("</ul>")
    parts.append("</main>")
    parts.append(
        f'<script type="application/json" id="pe-data">{page_data(programme, listed)}</script>'
    )
    script = _SEARCH_SCRIPT + AGENDA_SCRIPT + ("" if base_url else _LINKS_SCRIPT)
    parts.append(f"<script>\n{script}</script>")
    parts.extend(["</body>", "</html>"])
    return "\n".join(parts) + "\n"


def _subscribe(
    programme: Programme, feeds: Sequence[Feed], counts: Mapping[str, int], base_url: str | None
) -> Iterator[str]:
    """The page's subscribe section: a search box and a table of shared feeds per kind."""
    yield "<h2>Subscribe</h2>"
    yield (
        "<p>Subscribe to a feed (rather than importing it) and your calendar keeps itself "
        "up to date when the schedule changes. Choose your team's feed to get exactly your "
        "team's sessions.</p>"
    )
    if base_url is None:
        yield f'<p class="pe-note" id="pe-no-base">{html.escape(NO_BASE_URL_NOTE)}</p>'
    if any(feed.kind is AudienceKind.STAFF for feed in feeds):
        yield (
            "<p>Coaches and faculty: the feed under your name holds exactly the sessions "
            "you lead.</p>"
        )
    # Hidden until the script runs: without script a search box would do nothing.
    yield (
        '<p id="pe-search" hidden><label for="pe-find">Find your feed: part of a team\'s '
        'or group\'s name</label><input type="search" id="pe-find" autocomplete="off" '
        'aria-describedby="pe-find-status"> '
        '<span id="pe-find-status" role="status" aria-live="polite"></span></p>'
    )
    yield (
        '<p id="pe-choose" hidden>Choose a feed\'s name to see what is coming up next and '
        "a month view, with times in your own time zone beside the programme's.</p>"
    )
    for kind in AudienceKind:
        section = [feed for feed in feeds if feed.kind is kind]
        if not section or kind.private:
            continue
        if kind is AudienceKind.STAFF:
            # People look for themselves by name; a staff feed's title is the programme,
            # then the person's name, so the titles sort by name.
            section.sort(key=lambda feed: (natural(feed.title), natural(feed.file)))
        heading = f"pe-feeds-{kind.value}"
        yield f'<section class="pe-feeds" aria-labelledby="{heading}">'
        yield f'<h3 id="{heading}">{html.escape(kind.title)}</h3>'
        yield f'<div class="pe-scroll" role="region" tabindex="0" aria-labelledby="{heading}">'
        yield '<table class="pe-feeds">'
        yield (
            '<thead><tr><th scope="col">Feed</th><th scope="col">Events</th>'
            '<th scope="col">Subscribe</th></tr></thead>'
        )
        yield "<tbody>"
        yield from (
            _feed_row(feed, _name(feed, programme), counts.get(feed.file, 0), base_url)
            for feed in section
        )
        yield "</tbody>"
        yield "</table>"
        yield "</div>"
        yield "</section>"
    # Moved under the chosen feed's section by the script, and filled there.
    yield '<section id="pe-view" class="pe-view" aria-labelledby="pe-view-title" hidden></section>'
    if any(feed.kind.private for feed in feeds):
        yield (
            "<p>Personal feeds are not listed here: each person receives their own "
            "private link.</p>"
        )


__all__ = ["CLIENT_REFRESH", "NO_BASE_URL_NOTE", "base_url_of", "render_index", "subscribe_links"]
