"""The ``index.html`` of a folder of feeds: each cohort's grid and how to subscribe.

Each shared feed gets three links: the https address, the same as
``webcal://`` (which opens the system's calendar program) and a Google
Calendar "add by URL" link. With a ``base_url`` the links are absolute in the
page itself; without one, a few lines of script complete them from the page's
own address when it is viewed, so the same page works wherever it is served.
Personal feeds are never listed: their names are the only thing keeping them
private. Staff feeds (the sessions each coach or faculty member leads) are
listed in their own section, by name.
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence

from pe_schedule._internal.model.audience import AudienceKind
from pe_schedule._internal.model.ordering import natural
from pe_schedule._internal.model.programme import Programme
from pe_schedule._internal.publish.feeds import Feed
from pe_schedule._internal.render.grid import GRID_CSS, Grid, render_html_fragment

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

_SCRIPT = """\
<script>
// Complete subscribe links from this page's own address (no base URL was given).
for (const link of document.querySelectorAll("a[data-feed]")) {
  const https = new URL(link.dataset.feed, document.baseURI).href;
  const webcal = https.replace(/^https?:/, "webcal:");
  link.href = {https: https, webcal: webcal,
    google: "https://calendar.google.com/calendar/r?cid=" + encodeURIComponent(webcal),
  }[link.dataset.kind];
}
</script>
"""

_STYLE = """\
body { font-family: sans-serif; margin: 1.5em; max-width: 70em; }
table.pe-feeds { border-collapse: collapse; margin: 1em 0; }
table.pe-feeds th, table.pe-feeds td { border: 1px solid #999; padding: 0.25em 0.5em; }
table.pe-feeds td.count { text-align: right; }
"""


def subscribe_links(file: str, base_url: str | None) -> dict[str, str]:
    """The https, webcal and Google Calendar links for ``file`` under ``base_url``.

    >>> subscribe_links("team-ln-01.ics", "https://example.org/feeds")["google"]
    'https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Ffeeds%2Fteam-ln-01.ics'
    """
    if base_url is None:
        return {"https": file, "webcal": file, "google": file}
    https = urllib.parse.urljoin(base_url.rstrip("/") + "/", file)
    webcal = "webcal:" + https.partition(":")[2]
    google = "https://calendar.google.com/calendar/r?cid=" + urllib.parse.quote(webcal, safe="")
    return {"https": https, "webcal": webcal, "google": google}


def _feed_row(feed: Feed, count: int, base_url: str | None) -> str:
    e = html.escape
    links = subscribe_links(feed.file, base_url)
    labels = {"https": "https", "webcal": "webcal", "google": "Google Calendar"}
    cells = []
    for kind, label in labels.items():
        data = "" if base_url else f' data-feed="{e(feed.file)}" data-kind="{kind}"'
        cells.append(f'<a href="{e(links[kind])}"{data}>{label}</a>')
    return (
        f'<tr><td>{e(feed.title)}</td><td class="count">{count}</td>'
        f"<td>{' · '.join(cells)}</td></tr>"
    )


def render_index(
    programme: Programme,
    feeds: Sequence[Feed],
    counts: Mapping[str, int],
    *,
    base_url: str | None = None,
) -> str:
    """The page: title, description, the grids, the shared feeds and refresh notes.

    Args:
        programme: The programme.
        feeds: Its feeds; personal ones are left out of the page.
        counts: Events per feed file.
        base_url: Where the folder is published, for absolute links.
    """
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(programme.name)}: calendars</title>",
        f"<style>\n{_STYLE}{GRID_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(programme.name)}</h1>",
    ]
    if programme.description:
        parts.append(f"<p>{e(programme.description)}</p>")
    parts.append("<h2>Activity grids</h2>")
    parts.append(render_html_fragment(Grid.of(programme)).rstrip("\n"))
    parts.extend(_subscribe(feeds, counts, base_url))
    parts.append("<h2>How soon changes arrive</h2>")
    parts.append("<ul>")
    parts.extend(f"<li>{e(client)}: {e(when)}.</li>" for client, when in CLIENT_REFRESH)
    parts.append("</ul>")
    if base_url is None:
        parts.append(_SCRIPT.rstrip("\n"))
    parts.extend(["</body>", "</html>"])
    return "\n".join(parts) + "\n"


def _subscribe(
    feeds: Sequence[Feed], counts: Mapping[str, int], base_url: str | None
) -> Iterator[str]:
    """The page's subscribe section: a table of shared feeds per audience kind."""
    yield "<h2>Subscribe</h2>"
    yield (
        "<p>Subscribe to a feed (rather than importing it) and your calendar keeps itself "
        "up to date when the schedule changes. Choose your team's feed to get exactly your "
        "team's sessions.</p>"
    )
    if any(feed.kind is AudienceKind.STAFF for feed in feeds):
        yield (
            "<p>Coaches and faculty: the feed under your name holds exactly the sessions "
            "you lead.</p>"
        )
    for kind in AudienceKind:
        section = [feed for feed in feeds if feed.kind is kind]
        if not section or kind.private:
            continue
        if kind is AudienceKind.STAFF:
            # People look for themselves by name; a staff feed's title is the programme,
            # then the person's name, so the titles sort by name.
            section.sort(key=lambda feed: (natural(feed.title), natural(feed.file)))
        yield f"<h3>{html.escape(kind.title)}</h3>"
        yield '<table class="pe-feeds">'
        yield "<tr><th>Feed</th><th>Events</th><th>Subscribe</th></tr>"
        yield from (_feed_row(feed, counts.get(feed.file, 0), base_url) for feed in section)
        yield "</table>"
    if any(feed.kind.private for feed in feeds):
        yield (
            "<p>Personal feeds are not listed here: each person receives their own "
            "private link.</p>"
        )


__all__ = ["CLIENT_REFRESH", "render_index", "subscribe_links"]
