"""One built feed's events put into a CalDAV calendar collection.

Each event (every ``VEVENT`` of one UID) is one calendar resource, with the
``VTIMEZONE`` components it names, at ``<sha256 of the UID>.ics`` in the
collection (a UID holds ``/``, which servers disagree about in a path). Each
resource pe-schedule puts carries :data:`MARK`: a digest of the rest of the
resource. The digest is of a canonical form (components and properties sorted,
values parsed and written back), so a server that reorders or refolds lines
still matches, and it is what a publish compares:

- an event whose digest is unchanged is left alone (a second publish changes
  nothing);
- an event of the feed the calendar lacks is put with ``If-None-Match: *``;
  one whose digest changed (a new time, a higher ``SEQUENCE``) with
  ``If-Match`` on the ETag just listed;
- an event pe-schedule put that the feed no longer holds is deleted with
  ``If-Match`` (the feed keeps cancelled events for its retention period, so
  what it no longer holds is done with);
- an event changed on the server since pe-schedule put it (its content no
  longer matches its own mark), or changed while this publish runs (a 412
  answer to a precondition), is a :class:`Conflict`: named and left as it is,
  never overwritten; deleting it on the server lets the next publish put it back;
- an event pe-schedule did not put (no mark) is someone else's: left alone.

The ``caldav`` client library is imported only here, so everything else works
without it; :data:`INSTALL_HINT` says how to get it.
"""

from __future__ import annotations

import hashlib
import netrc
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import icalendar

from pe_schedule._internal.upload import Track, calendar_name
from pe_schedule.exceptions import OutputError, PeScheduleError

if TYPE_CHECKING:
    from caldav.collection import Calendar as DAVCalendar
    from caldav.davclient import DAVClient

#: What to install for ``pe-schedule publish`` to a CalDAV server.
INSTALL_HINT = "pip install 'pe-schedule[publish]'"
#: The property each resource pe-schedule puts carries: the digest of the rest of it.
MARK = "X-PE-SCHEDULE-DIGEST"
#: The account name, from the environment (else a netrc entry for the host).
USER_VARIABLE = "PE_SCHEDULE_CALDAV_USER"
#: Its password, from the environment (else a netrc entry for the host).
PASSWORD_VARIABLE = "PE_SCHEDULE_CALDAV_PASSWORD"
#: The target schemes: ``caldav+`` and the URL the server is reached at.
SCHEMES = ("caldav+https", "caldav+http")

_CONTENT_TYPE = "text/calendar; charset=utf-8"


@attrs.frozen
class Target:
    """A CalDAV calendar collection, as ``caldav+https://host/path/`` names it.

    >>> target = Target.parse("caldav+https://dav.example.org/u/pe")
    >>> target.url, target.host, target.secure
    ('https://dav.example.org/u/pe/', 'dav.example.org', True)
    >>> Target.parse("caldav+http://127.0.0.1:5232/u/pe/").secure
    False
    """

    url: str

    @classmethod
    def parse(cls, text: str) -> Target:
        """The target ``text`` names; a :class:`PeScheduleError` if it names none."""
        scheme, _, rest = text.partition("://")
        if scheme not in SCHEMES or not rest:
            expected = " or ".join(f"{s}://host/path/" for s in SCHEMES)
            raise PeScheduleError(f"--to: expected {expected}, got {text!r}")
        url = f"{scheme.removeprefix('caldav+')}://{rest}"
        parts = urllib.parse.urlsplit(url)
        if not parts.hostname:
            raise PeScheduleError(f"--to: expected a host after {scheme}://, got {text!r}")
        if parts.username is not None or parts.password is not None:
            raise PeScheduleError(
                f"--to: expected no credentials in the address (they would show in process "
                f"lists and logs), got some in {scheme}://{parts.hostname}...; set "
                f"{USER_VARIABLE} and {PASSWORD_VARIABLE} or use a netrc file"
            )
        if parts.query or parts.fragment:
            raise PeScheduleError(f"--to: expected a calendar's path, got a query in {text!r}")
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        return cls(urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", "")))

    @property
    def host(self) -> str:
        """The server's host name, as a netrc file names it."""
        return urllib.parse.urlsplit(self.url).hostname or ""

    @property
    def secure(self) -> bool:
        """Whether the server is reached over TLS."""
        return self.url.startswith("https://")


def credentials(
    environ: Mapping[str, str], host: str, netrc_file: Path | None = None
) -> tuple[str, str] | None:
    """The account to publish as: :data:`USER_VARIABLE` and :data:`PASSWORD_VARIABLE`,
    else the netrc entry for ``host`` (``netrc_file``, else ``$NETRC`` or ``~/.netrc``),
    else ``None`` (a server that asks for none)."""
    user = environ.get(USER_VARIABLE)
    password = environ.get(PASSWORD_VARIABLE)
    if user is not None or password is not None:
        if not user or password is None:
            raise PeScheduleError(
                f"expected both {USER_VARIABLE} and {PASSWORD_VARIABLE} to be set, got only "
                f"{USER_VARIABLE if user else PASSWORD_VARIABLE}"
            )
        return user, password
    path = netrc_file or (Path(environ["NETRC"]) if environ.get("NETRC") else None)
    try:
        entry = netrc.netrc(str(path) if path else None).authenticators(host)
    except FileNotFoundError:
        return None
    except netrc.NetrcParseError as error:
        raise PeScheduleError(f"{error.filename}:{error.lineno}: {error.msg}") from None
    if entry is None:
        return None
    login, _, secret = entry
    return login, secret or ""


@attrs.frozen(kw_only=True)
class Event:
    """One resource to put: the ``VEVENT`` s of one UID and the zones they name."""

    uid: str
    #: How a person knows it: its summary and when, for messages.
    label: str
    #: The resource's text, :data:`MARK` included.
    text: str
    digest: str


@attrs.frozen(kw_only=True)
class Feed:
    """A built feed, as resources: its calendar's name and one :class:`Event` per UID."""

    name: str
    events: tuple[Event, ...]

    @classmethod
    def read(cls, path: Path) -> Feed:
        """The feed at ``path``; an :class:`OutputError` if it is not an iCalendar feed."""
        try:
            calendar = icalendar.Calendar.from_ical(path.read_bytes())
        except ValueError as error:
            raise OutputError(f"{path}: expected an iCalendar feed, got {error}") from None
        if not isinstance(calendar, icalendar.Calendar):
            raise OutputError(f"{path}: expected one VCALENDAR, got several")
        name = calendar_name(calendar, path.stem)
        zones = {str(zone["TZID"]): zone for zone in calendar.walk("VTIMEZONE")}
        by_uid: dict[str, list[icalendar.cal.Component]] = {}
        for event in calendar.walk("VEVENT"):
            by_uid.setdefault(str(event["UID"]), []).append(event)
        events = tuple(
            _event(uid, vevents, zones, str(calendar.get("PRODID", "")))
            for uid, vevents in by_uid.items()
        )
        return cls(name=name, events=events)


def _event(
    uid: str,
    vevents: list[icalendar.cal.Component],
    zones: Mapping[str, icalendar.cal.Component],
    prodid: str,
) -> Event:
    resource = icalendar.Calendar()
    resource.add("VERSION", "2.0")
    resource.add("PRODID", prodid)
    named = sorted({zone for vevent in vevents for zone in _zones_named(vevent)})
    for zone in named:
        if zone in zones:
            resource.add_component(zones[zone])
    for vevent in vevents:
        resource.add_component(vevent)
    digest = digest_of(resource)
    for vevent in resource.walk("VEVENT"):
        vevent.add(MARK, digest)
    first = vevents[0]
    label = f"{first.get('SUMMARY', uid)} ({first.decoded('DTSTART')})"
    return Event(uid=uid, label=label, text=resource.to_ical().decode("utf-8"), digest=digest)


def _zones_named(component: icalendar.cal.Component) -> Iterable[str]:
    for _, value in component.property_items(recursive=True, sorted=False):
        params = getattr(value, "params", None)
        if params is not None and "TZID" in params:
            yield str(params["TZID"])


def digest_of(resource: icalendar.Calendar) -> str:
    """The digest of ``resource`` without its :data:`MARK`, the same however a server
    orders its components, properties and parameters or folds its lines."""
    parts = []
    for component in resource.subcomponents:
        copy = component.copy()
        copy.subcomponents = list(component.subcomponents)
        copy.pop(MARK, None)
        parts.append(copy.to_ical(sorted=True))
    return hashlib.sha256(b"".join(sorted(parts))).hexdigest()


@attrs.frozen(kw_only=True)
class Conflict:
    """An event changed on the server since pe-schedule put it: left as it is."""

    uid: str
    label: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.label} [UID {self.uid}]: {self.reason}; left as it is (delete it on the "
            "server to have the next publish put the feed's version back)"
        )


@attrs.frozen(kw_only=True)
class Outcome:
    """What one publish did: UIDs created, updated and removed, and what it left alone."""

    calendar_created: bool
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0
    conflicts: tuple[Conflict, ...] = ()
    #: Resources pe-schedule did not put (no :data:`MARK`), by href.
    foreign: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class _Stored:
    href: str
    etag: str
    uid: str
    label: str
    #: The :data:`MARK` it carries, if pe-schedule put it.
    mark: str | None
    #: The digest of what it holds now.
    digest: str


def publish(
    feed: Feed,
    target: Target,
    account: tuple[str, str] | None,
    *,
    track: Track | None = None,
) -> Outcome:
    """Make the calendar at ``target`` hold exactly ``feed``'s events (module docstring).

    ``track`` wraps the UIDs gone through, each once: the feed's events in its order
    (put, or left as they are), then those the calendar holds that the feed no longer
    does (removed, or left); the command line draws progress with it.
    """
    try:
        from caldav.davclient import DAVClient
        from caldav.lib import error
    except ImportError:
        raise PeScheduleError(
            f"pe-schedule publish to CalDAV needs the caldav library: {INSTALL_HINT}"
        ) from None
    user, password = account if account else (None, None)
    client = DAVClient(
        target.url, username=user, password=password, enable_rfc6764=False, timeout=60
    )
    try:
        with client:
            return _publish(client, feed, target, track)
    except error.AuthorizationError:
        raise OutputError(
            f"{target.url}: expected to be let in, got refused; check {USER_VARIABLE} and "
            f"{PASSWORD_VARIABLE} or the netrc entry for {target.host}"
        ) from None
    except (error.DAVError, OSError) as error_:
        raise OutputError(f"{target.url}: {type(error_).__name__}: {error_}") from None
    except Exception as error_:
        # The HTTP stack's own failures (refused connection, TLS, timeout) are not OSErrors.
        if type(error_).__module__.split(".")[0] in ("niquests", "requests", "urllib3"):
            raise OutputError(f"{target.url}: cannot reach the server: {error_}") from None
        raise


@attrs.define
class _Tally:
    """What a publish has done so far, for its :class:`Outcome`."""

    created: list[str] = attrs.field(factory=list)
    updated: list[str] = attrs.field(factory=list)
    removed: list[str] = attrs.field(factory=list)
    unchanged: int = 0
    conflicts: list[Conflict] = attrs.field(factory=list)
    foreign: list[str] = attrs.field(factory=list)

    def outcome(self, calendar_created: bool) -> Outcome:
        return Outcome(
            calendar_created=calendar_created,
            created=tuple(self.created),
            updated=tuple(self.updated),
            removed=tuple(self.removed),
            unchanged=self.unchanged,
            conflicts=tuple(self.conflicts),
            foreign=tuple(self.foreign),
        )


def _publish(client: DAVClient, feed: Feed, target: Target, track: Track | None) -> Outcome:
    from caldav.collection import Calendar
    from caldav.lib import error

    calendar = Calendar(client=client, url=target.url)
    created = False
    try:
        calendar.get_display_name()
    except error.NotFoundError:
        _make_calendar(client, target, feed.name)
        created = True
    stored = {} if created else _stored(calendar)
    wanted = {event.uid: event for event in feed.events}
    uids = [*wanted, *(uid for uid in stored if uid not in wanted)]
    tally = _Tally()
    for uid in uids if track is None else track(uids, len(uids)):
        if uid in wanted:
            _put(client, target, wanted[uid], stored.get(uid), tally)
        else:
            _remove(client, stored[uid], tally)
    return tally.outcome(created)


def _put(
    client: DAVClient, target: Target, event: Event, old: _Stored | None, tally: _Tally
) -> None:
    """Put ``event`` where the calendar lacks it or holds an older version of it; a copy
    pe-schedule did not put, or that was changed since it put it, is a conflict."""
    if old is not None and old.mark is None:
        tally.conflicts.append(Conflict(uid=event.uid, label=event.label, reason=_NOT_OURS))
        return
    if old is not None and old.mark != old.digest:
        tally.conflicts.append(Conflict(uid=event.uid, label=event.label, reason=_EDITED))
        return
    if old is not None and old.mark == event.digest:
        tally.unchanged += 1
        return
    href = old.href if old else urllib.parse.urljoin(target.url, _name(event.uid))
    headers = {"Content-Type": _CONTENT_TYPE}
    headers.update({"If-Match": old.etag} if old else {"If-None-Match": "*"})
    status = client.put(href, event.text, headers).status
    if status == 412:
        tally.conflicts.append(Conflict(uid=event.uid, label=event.label, reason=_RACED))
    elif status in (200, 201, 204):
        (tally.updated if old else tally.created).append(event.uid)
    else:
        raise OutputError(f"{href}: expected the server to store {event.label}, got {status}")


def _remove(client: DAVClient, old: _Stored, tally: _Tally) -> None:
    """Delete an event pe-schedule put that the feed no longer holds, unless it changed
    on the server since (a conflict); leave alone what pe-schedule did not put."""
    if old.mark is None:
        tally.foreign.append(old.href)
        return
    if old.mark != old.digest:
        tally.conflicts.append(Conflict(uid=old.uid, label=old.label, reason=_EDITED_GONE))
        return
    status = client.delete(old.href, {"If-Match": old.etag}).status
    if status == 412:
        tally.conflicts.append(Conflict(uid=old.uid, label=old.label, reason=_RACED))
    elif status in (200, 204, 404):
        tally.removed.append(old.uid)
    else:
        raise OutputError(f"{old.href}: expected the server to delete it, got {status}")


_NOT_OURS = "the calendar holds this UID, but pe-schedule did not put it there"
_EDITED = "changed on the server since pe-schedule published it"
_EDITED_GONE = "no longer in the feed, but changed on the server since pe-schedule published it"
_RACED = "changed on the server while this publish ran"


def _name(uid: str) -> str:
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40] + ".ics"


def _make_calendar(client: DAVClient, target: Target, name: str) -> None:
    from xml.sax.saxutils import escape

    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        f"<D:set><D:prop><D:displayname>{escape(name)}</D:displayname>"
        '<C:supported-calendar-component-set><C:comp name="VEVENT"/>'
        "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
    )
    status = client.mkcalendar(target.url, body).status
    if status not in (200, 201):
        raise OutputError(
            f"{target.url}: expected to create the calendar {name!r}, got {status} "
            "(does the folder above it exist, and may this account write there?)"
        )


def _stored(calendar: DAVCalendar) -> dict[str, _Stored]:
    stored: dict[str, _Stored] = {}
    resources = calendar.events()
    assert isinstance(resources, list)  # a synchronous client's answer
    for resource in resources:
        text = resource.data
        etag = resource.props.get("{DAV:}getetag")
        if not text or not etag:
            continue
        parsed = icalendar.Calendar.from_ical(text)
        vevents = parsed.walk("VEVENT") if isinstance(parsed, icalendar.Calendar) else []
        if not vevents:
            continue
        first = vevents[0]
        uid = str(first.get("UID", ""))
        mark = first.get(MARK)
        stored[uid] = _Stored(
            href=str(resource.url),
            etag=str(etag),
            uid=uid,
            label=f"{first.get('SUMMARY', uid)} ({first.decoded('DTSTART')})",
            mark=None if mark is None else str(mark),
            digest=digest_of(parsed),
        )
    return stored


__all__ = [
    "INSTALL_HINT",
    "MARK",
    "PASSWORD_VARIABLE",
    "USER_VARIABLE",
    "Conflict",
    "Event",
    "Feed",
    "Outcome",
    "Target",
    "credentials",
    "digest_of",
    "publish",
]
