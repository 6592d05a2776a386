"""What is on, per feed, for the subscribe page: the events as data and the script that shows them.

Choosing a feed on the page shows what is coming up next and a month view,
with each time in the viewer's own zone (the browser knows it) beside the
programme's. The page stays one static file that works offline, so the
events travel inside it as JSON (:func:`page_data`) and a short script
(:data:`AGENDA_SCRIPT`) draws them; nothing is fetched.

The data is kept small because a page may list thousands of feeds: each
distinct live event once, as ``[gap, length, text, flags]`` in order of start;
its summary once, in a table of texts; and each feed as the positions of its
events in increasing order, written as differences. Times are whole minutes:
``gap`` is the minutes since the previous event's start (the first: since the
epoch), ``length`` the minutes it lasts. A timed event's start is a UTC
instant, so the browser's own time-zone rules place it; an all-day event's is
midnight UTC of its first date, and it stands for those dates wherever the
viewer is. At 2,000 teams (36,000 events, 2,086 feeds) the page is 1.3 MB,
95 KB gzip-compressed. Cancellations are left out: the page shows what is on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence

from pe_schedule._internal.model.event import AllDay, Event, Status
from pe_schedule._internal.model.programme import Programme

#: Flags of an event in the page's data, as bits.
ALL_DAY, IN_PERSON, TENTATIVE = 1, 2, 4

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: Minutes in a day: an all-day event's start and length in the page's unit.
_DAY = 24 * 60


def _minutes(event: Event) -> tuple[int, int]:
    """An event's start (minutes since the epoch, UTC) and length in minutes."""
    span = event.span
    if isinstance(span, AllDay):
        days = (span.start - _EPOCH.date()).days
        return days * _DAY, (span.end - span.start).days * _DAY
    # Through UTC: two datetimes of one zone subtract by wall clock, wrong across DST.
    start = (span.start - _EPOCH) // dt.timedelta(minutes=1)
    return start, (span.end - _EPOCH) // dt.timedelta(minutes=1) - start


def _flags(event: Event) -> int:
    return (
        (ALL_DAY if isinstance(event.span, AllDay) else 0)
        | (IN_PERSON if event.in_person else 0)
        | (TENTATIVE if event.status is Status.TENTATIVE else 0)
    )


def _rows(ordered: Sequence[Event], texts: dict[str, int]) -> list[list[int]]:
    """Each event as ``[gap, length, text, flags]``, adding its summary to ``texts``."""
    rows, previous = [], 0
    for event in ordered:
        start, length = _minutes(event)
        summary = texts.setdefault(event.summary, len(texts))
        rows.append([start - previous, length, summary, _flags(event)])
        previous = start
    return rows


def page_data(programme: Programme, held: Mapping[str, Sequence[Event]]) -> str:
    """The JSON the page's script reads: the programme's zone, the events, each feed's share.

    Args:
        programme: The programme, for its home time zone.
        held: Each listed feed's file and its live events.

    The text is safe inside ``<script type="application/json">``: every ``<``
    is escaped, so no ``</script>`` can end the block early.
    """
    distinct = {event.uid: event for events in held.values() for event in events}
    ordered = sorted(distinct.values(), key=lambda event: event.sort_key)
    position = {event.uid: index for index, event in enumerate(ordered)}
    texts: dict[str, int] = {}
    rows = _rows(ordered, texts)
    feeds = {}
    for file, events in held.items():
        places = sorted(position[event.uid] for event in events)
        feeds[file] = [
            later - earlier for earlier, later in zip([0, *places], places, strict=False)
        ]
    document = {
        "zone": programme.timezone.name,
        "texts": list(texts),
        "events": rows,
        "feeds": feeds,
    }
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c")


#: Draws a feed's view when its name is chosen. Summaries are set as text, never
#: as markup. Dates are placed on the viewer's calendar: a 23:00 session in New
#: York falls on the next day in Berlin, and that is the day it shows on there.
AGENDA_SCRIPT = r"""// What is on: a feed's next events and a month view, in the viewer's zone
// beside the programme's.
{
const view = document.getElementById("pe-view");
const data = JSON.parse(document.getElementById("pe-data").textContent);
const here = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const home = data.zone;
const MINUTE = 60000, DAY = 86400000, UPCOMING = 5;
let clock = 0;
const events = data.events.map(([gap, length, text, flags]) => {
  clock += gap;
  return {start: clock * MINUTE, end: (clock + length) * MINUTE, summary: data.texts[text],
    allDay: (flags & 1) !== 0, inPerson: (flags & 2) !== 0, tentative: (flags & 4) !== 0};
});
const formats = new Map();
const format = (zone, options) => {
  const key = zone + JSON.stringify(options);
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(undefined, {timeZone: zone, ...options}));
  return formats.get(key);
};
const numeric = {hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit"};
const wall = (ms, zone) => {
  const parts = {};
  const exact = new Intl.DateTimeFormat("en-US", {timeZone: zone, ...numeric});
  for (const {type, value} of exact.formatToParts(ms)) parts[type] = Number(value);
  return {year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24,
    minute: parts.minute};
};
const pad = (n, width = 2) => String(n).padStart(width, "0");
const dayKey = (w) => `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
// An instant as ISO 8601 on the zone's wall clock, with that zone's offset then.
const iso = (ms, zone) => {
  const w = wall(ms, zone);
  const offset = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - ms) / MINUTE);
  const sign = offset < 0 ? "-" : "+", size = Math.abs(offset);
  return `${dayKey(w)}T${pad(w.hour)}:${pad(w.minute)}${sign}${pad(Math.floor(size / 60))}:${pad(size % 60)}`;
};
const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);
// The days an event is on, on the viewer's calendar (all-day events: their own dates).
const daysOf = (event) => {
  if (!event.allDay) return [dayKey(wall(event.start, here))];
  const days = [];
  for (let ms = event.start; ms < event.end; ms += DAY) days.push(utcDay(ms));
  return days;
};
const element = (name, text, attributes = {}) => {
  const node = document.createElement(name);
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
};
const span = (event, zone, options) => {
  const shown = format(zone, options);
  return event.end - event.start > 0 ? shown.formatRange(event.start, event.end) : shown.format(event.start);
};
const when = (event, zone, withDay) => {
  if (event.allDay) {
    // Dates, not instants: the same days wherever the viewer is. A month cell is
    // already the day, so there it says only "all day".
    const last = event.end - DAY;
    const dates = {weekday: "short", day: "numeric", month: "short", year: "numeric"};
    const text = last > event.start ? format("UTC", dates).formatRange(event.start, last)
      : format("UTC", dates).format(event.start);
    return element("time", withDay ? `${text}, all day` : "all day", {datetime: utcDay(event.start)});
  }
  const options = {hour: "numeric", minute: "2-digit", timeZoneName: "short"};
  if (withDay) Object.assign(options, {weekday: "short", day: "numeric", month: "short", year: "numeric"});
  return element("time", span(event, zone, options), {datetime: iso(event.start, zone)});
};
const item = (event, withDay) => {
  const li = element("li");
  li.append(when(event, here, withDay), " ", element("strong", event.summary));
  const notes = [event.inPerson && "in person", event.tentative && "to be confirmed"].filter(Boolean);
  if (notes.length) li.append(` (${notes.join(", ")})`);
  if (!event.allDay && here !== home) {
    const beside = element("span", "programme time: ", {class: "pe-home"});
    beside.append(when(event, home, false));
    li.append(" ", beside);
  }
  return li;
};
const monthKey = (day) => day.slice(0, 7);
const addMonths = (key, n) => {
  const [year, month] = key.split("-").map(Number);
  const d = new Date(Date.UTC(year, month - 1 + n, 1));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}`;
};
const firstWeekday = (() => {
  const locale = new Intl.Locale(navigator.language || "en");
  const info = locale.getWeekInfo ? locale.getWeekInfo() : locale.weekInfo;
  return info ? info.firstDay % 7 : 1;  // 0 is Sunday; Monday when the browser does not say
})();
const monthTable = (chosen, key) => {
  const [year, month] = key.split("-").map(Number);
  const table = element("table", undefined, {class: "pe-month"});
  const title = format("UTC", {month: "long", year: "numeric"}).format(Date.UTC(year, month - 1, 1));
  table.append(element("caption", title));
  const head = element("tr");
  for (let i = 0; i < 7; i++) {
    const weekday = (firstWeekday + i) % 7;  // 1970-01-04 was a Sunday
    const ms = Date.UTC(1970, 0, 4 + weekday);
    head.append(element("th", format("UTC", {weekday: "short"}).format(ms),
      {scope: "col", abbr: format("UTC", {weekday: "long"}).format(ms)}));
  }
  const thead = element("thead");
  thead.append(head);
  table.append(thead);
  const onDay = new Map();
  for (const event of chosen) for (const day of daysOf(event)) {
    if (monthKey(day) === key) (onDay.get(day) || onDay.set(day, []).get(day)).push(event);
  }
  const body = element("tbody");
  const first = new Date(Date.UTC(year, month - 1, 1));
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  let row = element("tr");
  for (let i = 0; i < (first.getUTCDay() - firstWeekday + 7) % 7; i++) row.append(element("td"));
  for (let day = 1; day <= length; day++) {
    if (row.children.length === 7) { body.append(row); row = element("tr"); }
    const dayText = `${key}-${pad(day)}`;
    const cell = element("td", undefined, {"data-day": dayText});
    cell.append(element("span", String(day), {class: "pe-date"}));
    const list = onDay.get(dayText);
    if (list) {
      const ul = element("ul");
      ul.append(...list.map((event) => item(event, false)));
      cell.append(ul);
      cell.classList.add("busy");
    }
    row.append(cell);
  }
  while (row.children.length < 7) row.append(element("td"));
  body.append(row);
  table.append(body);
  return table;
};
let opened = null;
const show = (button, file) => {
  const chosen = [];
  let place = 0;
  for (const step of data.feeds[file] || []) chosen.push(events[place += step]);
  const now = Date.now(), today = dayKey(wall(now, here));
  const coming = chosen.filter((e) => e.allDay ? utcDay(e.end) > today : e.end > now);
  view.replaceChildren(element("h4", button.textContent, {id: "pe-view-title", tabindex: "-1"}));
  view.append(element("p", here === home
    ? `Times are in the programme's zone, ${home}, which is also yours.`
    : `Times are in your zone, ${here}, with the programme's, ${home}, beside them.`,
    {class: "pe-zones"}));
  view.append(element("h5", "Coming up next"));
  if (coming.length) {
    const list = element("ol", undefined, {class: "pe-next"});
    list.append(...coming.slice(0, UPCOMING).map((event) => item(event, true)));
    view.append(list);
  } else {
    const last = chosen[chosen.length - 1];
    view.append(element("p", last ? "Nothing more: this feed's events are over." : "No events yet.",
      {class: "pe-next-none"}));
  }
  if (chosen.length) {
    const months = chosen.flatMap(daysOf).map(monthKey).sort();
    const [low, high] = [months[0], months[months.length - 1]];
    let key = coming.length ? monthKey(daysOf(coming[0])[0]) : high;
    const nav = element("p", undefined, {class: "pe-month-nav"});
    const back = element("button", "\u2039 Previous month", {type: "button"});
    const next = element("button", "Next month \u203a", {type: "button"});
    nav.append(back, " ", next);
    const box = element("div", undefined, {class: "pe-scroll", role: "region", tabindex: "0",
      "aria-label": "Month view"});
    const draw = () => {
      box.replaceChildren(monthTable(chosen, key));
      back.disabled = key <= low;
      next.disabled = key >= high;
    };
    back.addEventListener("click", () => { key = addMonths(key, -1); draw(); });
    next.addEventListener("click", () => { key = addMonths(key, 1); draw(); });
    view.append(element("h5", "Month by month"), nav, box);
    draw();
  }
  const close = element("button", "Close", {type: "button", class: "pe-close"});
  close.addEventListener("click", () => toggle(opened));
  view.append(close);
  button.closest("section").append(view);
  view.hidden = false;
  view.querySelector("h4").focus();
};
const toggle = (button) => {
  const again = button === opened;
  if (opened) opened.setAttribute("aria-expanded", "false");
  view.hidden = true;
  opened = null;
  if (again) { button.focus(); return; }
  opened = button;
  button.setAttribute("aria-expanded", "true");
  show(button, button.dataset.feed);
};
// Escape closes the view from anywhere inside it, as a disclosure should.
view.addEventListener("keydown", (key) => { if (key.key === "Escape" && opened) toggle(opened); });
for (const row of document.querySelectorAll("tr[data-name][data-view]")) {
  const name = row.querySelector("th");
  const button = element("button", name.textContent,
    {type: "button", class: "pe-open", "aria-expanded": "false", "aria-controls": "pe-view",
     "data-feed": row.dataset.view});
  button.addEventListener("click", () => toggle(button));
  name.replaceChildren(button);
}
document.getElementById("pe-choose").hidden = false;
}
"""

#: The view's look: a month grid that fits a phone's width in its scroll box.
AGENDA_CSS = """section.pe-view { border: 1px solid #767676; padding: 0.5em 0.75em; margin: 0.5em 0 1em; }
section.pe-view h4 { margin: 0.2em 0; font-size: 1.15em; }
section.pe-view h5 { margin: 0.8em 0 0.3em; font-size: 1em; }
section.pe-view ol, section.pe-view ul { margin: 0; padding-left: 1.2em; }
section.pe-view .pe-home { color: #4a4a4a; font-size: 0.9em; }
button.pe-open { font: inherit; color: #0b4f9c; background: none; border: none; padding: 0;
  text-decoration: underline; cursor: pointer; text-align: left; }
button:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
table.pe-month { border-collapse: collapse; table-layout: fixed; min-width: 42em; }
table.pe-month caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
table.pe-month th, table.pe-month td { border: 1px solid #767676; padding: 0.2em; vertical-align: top;
  width: 14.28%; }
table.pe-month td.busy { background: #eef4fb; }
table.pe-month td ul { list-style: none; padding: 0; font-size: 0.85em; }
table.pe-month td li + li { margin-top: 0.3em; }
table.pe-month .pe-date { font-weight: bold; }
"""


__all__ = ["AGENDA_CSS", "AGENDA_SCRIPT", "ALL_DAY", "IN_PERSON", "TENTATIVE", "page_data"]
