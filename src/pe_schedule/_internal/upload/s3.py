"""Publishing a built folder of feeds to an S3 bucket (or an S3-compatible store).

``pe-schedule publish DIR --to s3://bucket/prefix`` copies the files the
folder's manifest says a build wrote (see :func:`pe_schedule._internal.publish.files.owned`),
and only those:

* **Only what changed.** Each file's MD5 is compared with the object's ETag
  (objects are written whole, in one request, so the ETag is their MD5); equal
  ones are not sent again. A store whose ETags are not MD5s (SSE-KMS) gets
  every file each time, which is still correct.
* **Served as feeds.** Each object carries the content type a calendar client
  expects and a ``Cache-Control`` (:func:`headers`): five minutes for feeds,
  ``feeds.json`` and the page, so a fix reaches subscribers quickly without
  every poll reaching the store; the ledger is never cached.
* **Feeds first, ledger last.** Feeds go up before ``feeds.json`` and
  ``index.html``, and the ledger after everything, so a reader never sees a
  ledger (or an index) ahead of the feeds it describes.
* **No feed vanishes.** A feed this tool published that the folder no longer
  holds is still on someone's calendar app, polling it: it is replaced by an
  empty calendar with the same name (so the events disappear instead of the
  subscription failing), marked with the date (object metadata
  ``pe-schedule-dropped``), and deleted only once ``keep_dropped`` has passed.
  Objects this tool did not write (no ``pe-schedule`` metadata) are never
  touched.
* **Not the manifest.** The folder's manifest is its build's bookkeeping, and
  lists every personal feed's private name: it stays home.

Credentials and the endpoint come from the standard AWS configuration
(environment variables, ``~/.aws``, instance roles; ``AWS_ENDPOINT_URL``),
never from a declaration.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs
import icalendar

from pe_schedule._internal.publish import files
from pe_schedule._internal.publish.ical import CalendarInfo, header_bytes
from pe_schedule._internal.publish.ledger import LEDGER_NAME
from pe_schedule._internal.upload import Track, calendar_name
from pe_schedule.exceptions import OutputError

#: The scheme of a target this module publishes to.
SCHEME = "s3"
#: ``Cache-Control`` of feeds, ``feeds.json`` and the page: calendar apps poll every few
#: hours, so five minutes costs them nothing and spares the store a request per poll.
CACHE_PUBLISHED = "max-age=300, must-revalidate"
#: ``Cache-Control`` of the ledger: whoever reads it wants the latest.
CACHE_LEDGER = "no-cache"
#: Object metadata marking an object this tool wrote (so only those are ever replaced).
PUBLISHED_META = "pe-schedule"
#: Object metadata of a dropped feed's empty calendar: the day (YYYY-MM-DD) it was emptied.
DROPPED_META = "pe-schedule-dropped"
#: How long an emptied feed stays, by default: as a declaration's ``cancelled_retention_days``.
DEFAULT_KEEP_DROPPED = dt.timedelta(days=90)

#: Content types by file suffix (as ``pe-schedule serve`` sends them, and the ledger's).
CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".jsonl": "application/x-ndjson",
}

# A bucket name as S3 allows it (3-63 lower-case letters, digits, dots and hyphens).
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")


@attrs.frozen
class S3Location:
    """A bucket and a key prefix (empty, or ending in ``/``) to publish under."""

    bucket: str
    prefix: str = ""

    @classmethod
    def parse(cls, url: str) -> S3Location:
        """The location ``url`` (``s3://bucket`` or ``s3://bucket/some/prefix``) names.

        >>> S3Location.parse("s3://feeds.example.org/pe/2024")
        S3Location(bucket='feeds.example.org', prefix='pe/2024/')
        >>> S3Location.parse("s3://Feeds")
        Traceback (most recent call last):
        ...
        pe_schedule.exceptions.OutputError: --to: expected s3://BUCKET/PREFIX with a bucket name of 3-63 lower-case letters, digits, dots and hyphens, got 's3://Feeds'
        """
        rest = url.removeprefix(f"{SCHEME}://")
        bucket, _, prefix = rest.partition("/")
        prefix = prefix.strip("/")
        if rest == url or not _BUCKET.fullmatch(bucket) or "//" in prefix:
            raise OutputError(
                f"--to: expected {SCHEME}://BUCKET/PREFIX with a bucket name of 3-63 "
                f"lower-case letters, digits, dots and hyphens, got {url!r}"
            )
        return cls(bucket, f"{prefix}/" if prefix else "")

    def key(self, name: str) -> str:
        """The object key of the file ``name``."""
        return f"{self.prefix}{name}"

    def __str__(self) -> str:
        return f"{SCHEME}://{self.bucket}/{self.prefix}"


@attrs.frozen(kw_only=True)
class Uploaded:
    """What a publish changed in the bucket, each in the order it happened."""

    #: Files of the folder sent up (changed or new).
    uploaded: tuple[str, ...] = ()
    #: Files of the folder the bucket already held byte for byte.
    unchanged: tuple[str, ...] = ()
    #: Feeds no longer built, replaced by an empty calendar of the same name.
    emptied: tuple[str, ...] = ()
    #: Feeds emptied earlier and kept, still within ``keep_dropped``.
    kept: tuple[str, ...] = ()
    #: Emptied feeds deleted, ``keep_dropped`` after they were emptied.
    deleted: tuple[str, ...] = ()


def headers(name: str) -> dict[str, str]:
    """The ``ContentType`` and ``CacheControl`` of the object for file ``name``.

    >>> headers("team.ics")
    {'ContentType': 'text/calendar; charset=utf-8', 'CacheControl': 'max-age=300, must-revalidate'}
    >>> headers("ledger.jsonl")["CacheControl"]
    'no-cache'
    """
    suffix = Path(name).suffix
    cache = CACHE_LEDGER if name == LEDGER_NAME else CACHE_PUBLISHED
    return {"ContentType": CONTENT_TYPES[suffix], "CacheControl": cache}


def upload_order(names: Iterable[str]) -> list[str]:
    """``names`` in the order they go up: feeds, then ``feeds.json``, the grid picture and
    the page (by name, so the picture is there before the page links it), ledger last.

    >>> upload_order(["ledger.jsonl", "index.html", "b.ics", "grid.svg", "feeds.json", "a.ics"])
    ['a.ics', 'b.ics', 'feeds.json', 'grid.svg', 'index.html', 'ledger.jsonl']
    """

    def rank(name: str) -> tuple[int, str]:
        if name == LEDGER_NAME:
            return (2, name)
        return (0 if name.endswith(".ics") else 1, name)

    return sorted(names, key=rank)


def read_folder(folder: Path) -> dict[str, bytes]:
    """The files a build wrote into ``folder`` (its manifest's list), by name.

    Raises:
        OutputError: if ``folder`` is not a folder ``pe-schedule build`` wrote.
    """
    folder = Path(folder)
    if not folder.is_dir():
        found = "a file" if folder.exists() else "no such folder"
        raise OutputError(f"{folder}: expected a folder of feeds, got {found}")
    with files.locked(folder, write=False):
        names = files.owned(folder)
        if not names:
            raise OutputError(
                f"{folder}: expected a folder written by pe-schedule build (with a "
                f"{files.MANIFEST_NAME} or {LEDGER_NAME}), got none; run pe-schedule build first"
            )
        contents: dict[str, bytes] = {}
        for name in sorted(names):
            try:
                data = (folder / name).read_bytes()
            except FileNotFoundError:
                raise OutputError(
                    f"{folder / name}: expected the file its manifest lists, got no such file; "
                    "build the folder again"
                ) from None
            contents[name] = data
    return contents


def feed_name(data: bytes, fallback: str) -> str:
    """The name the feed in ``data`` gives itself, else ``fallback`` (also for a damaged feed).

    >>> feed_name(b"BEGIN:VCALENDAR\\r\\nX-WR-CALNAME:Team\\\\, A\\r\\nEND:VCALENDAR\\r\\n", "t")
    'Team, A'
    >>> feed_name(b"not a calendar", "team")
    'team'
    """
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError:
        return fallback
    return calendar_name(calendar, fallback)


def empty_calendar(name: str) -> bytes:
    """A VCALENDAR called ``name`` with no events: what a dropped feed becomes.

    >>> b"X-WR-CALNAME:Team A" in empty_calendar("Team A")
    True
    """
    return header_bytes(CalendarInfo(title=name)) + b"END:VCALENDAR\r\n"


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _remote(client: Any, location: S3Location) -> dict[str, str]:
    """The bucket's objects directly under the prefix: file name to ETag (unquoted)."""
    found: dict[str, str] = {}
    paginator = client.get_paginator("list_objects_v2")
    pages = paginator.paginate(Bucket=location.bucket, Prefix=location.prefix, Delimiter="/")
    for page in pages:
        for item in page.get("Contents", []):
            name = str(item["Key"])[len(location.prefix) :]
            if name:
                found[name] = str(item.get("ETag", "")).strip('"')
    return found


def publish(
    folder: Path,
    location: S3Location,
    *,
    client: Any,
    keep_dropped: dt.timedelta = DEFAULT_KEEP_DROPPED,
    today: dt.date | None = None,
    report: Callable[[str], None] | None = None,
    track: Track | None = None,
) -> Uploaded:
    """Make ``location`` serve ``folder``'s feeds (see the module's notes).

    Args:
        folder: A folder ``pe-schedule build`` wrote.
        location: Where to publish.
        client: A boto3 S3 client (see :func:`client`).
        keep_dropped: How long a feed no longer built is kept as an empty calendar.
        today: The date to mark and judge dropped feeds by (default: today, UTC).
        report: Called with a line for each object written or deleted, as it happens.
        track: Wraps the names gone through, in the order they go (:func:`steps`):
            every file of the folder (compared, sent if changed), and every dropped
            feed emptied or deleted; the command line draws progress with it.

    Raises:
        OutputError: if the folder cannot be published (see :func:`read_folder`).
        botocore errors: if the store refuses (see :func:`explain`).
    """
    today = today or dt.datetime.now(dt.UTC).date()
    say = report or (lambda _line: None)
    local = read_folder(folder)
    remote = _remote(client, location)
    emptied, kept, expired = _dropped(client, location, remote, local, keep_dropped, today)
    order = steps(local, emptied, expired)
    uploaded: list[str] = []
    unchanged: list[str] = []
    for name in order if track is None else track(order, len(order)):
        if name in emptied:
            _put(client, location, name, _emptied(client, location, name), today)
            say(
                f"emptied {location.key(name)} (no longer built; kept until {today + keep_dropped})"
            )
        elif name in expired:
            client.delete_object(Bucket=location.bucket, Key=location.key(name))
            say(f"deleted {location.key(name)} (emptied more than {keep_dropped.days} days ago)")
        elif remote.get(name) == _md5(local[name]):
            unchanged.append(name)
        else:
            _put(client, location, name, local[name])
            uploaded.append(name)
            say(f"uploaded {location.key(name)}")
    return Uploaded(
        uploaded=tuple(uploaded),
        unchanged=tuple(unchanged),
        emptied=tuple(emptied),
        kept=tuple(kept),
        deleted=tuple(expired),
    )


def steps(local: Iterable[str], emptied: Iterable[str], expired: Iterable[str]) -> list[str]:
    """The order a publish goes through names: the folder's feeds, the dropped feeds to
    empty (still feeds, before the index that no longer lists them), the folder's other
    files (:func:`upload_order`), then the emptied feeds to delete.

    >>> steps(["ledger.jsonl", "feeds.json", "a.ics"], ["old.ics"], ["older.ics"])
    ['a.ics', 'old.ics', 'feeds.json', 'ledger.jsonl', 'older.ics']
    """
    order = upload_order(local)
    feeds = [name for name in order if name.endswith(".ics")]
    return [*feeds, *emptied, *order[len(feeds) :], *expired]


def _put(
    client: Any, location: S3Location, name: str, data: bytes, dropped: dt.date | None = None
) -> None:
    """Write ``data`` as the object of file ``name``, marked as this tool's (and, for an
    emptied feed, with the day it was ``dropped``)."""
    metadata = {PUBLISHED_META: "1"}
    if dropped is not None:
        metadata[DROPPED_META] = dropped.isoformat()
    client.put_object(
        Bucket=location.bucket,
        Key=location.key(name),
        Body=data,
        Metadata=metadata,
        **headers(name),
    )


def _emptied(client: Any, location: S3Location, name: str) -> bytes:
    """The empty calendar a dropped feed ``name`` becomes, named as the feed named itself."""
    old = client.get_object(Bucket=location.bucket, Key=location.key(name))["Body"].read()
    return empty_calendar(feed_name(old, Path(name).stem))


def _dropped(
    client: Any,
    location: S3Location,
    remote: dict[str, str],
    local: dict[str, bytes],
    keep: dt.timedelta,
    today: dt.date,
) -> tuple[list[str], list[str], list[str]]:
    """The bucket's feeds this tool wrote that the folder no longer holds: those to
    empty now, those emptied and still kept, and those emptied long enough to delete."""
    emptied: list[str] = []
    kept: list[str] = []
    expired: list[str] = []
    for name in sorted(set(remote) - set(local)):
        if not name.endswith(".ics") or not files.is_managed(name):
            continue
        head = client.head_object(Bucket=location.bucket, Key=location.key(name))
        metadata = {str(k).lower(): str(v) for k, v in head.get("Metadata", {}).items()}
        if PUBLISHED_META not in metadata:
            continue  # not ours: someone else's calendar beside the feeds
        try:
            since = dt.date.fromisoformat(metadata[DROPPED_META])
        except (KeyError, ValueError):
            emptied.append(name)
            continue
        (expired if today - since >= keep else kept).append(name)
    return emptied, kept, expired


def client(endpoint_url: str | None = None) -> Any:
    """A boto3 S3 client from the standard AWS configuration; ``endpoint_url`` (or
    ``AWS_ENDPOINT_URL``, which boto3 reads itself) for an S3-compatible store.

    Raises:
        OutputError: if boto3 is not installed.
    """
    try:
        import boto3
    except ImportError:
        raise OutputError(
            "pe-schedule publish to s3:// needs boto3: pip install 'pe-schedule[publish]'"
        ) from None
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url)


def explain(error: Exception, location: S3Location) -> OutputError | None:
    """The error the store's ``error`` means, for a person; ``None`` if it is not the store's."""
    try:
        from botocore import exceptions
    except ImportError:
        return None
    if isinstance(error, exceptions.NoCredentialsError):
        return OutputError(
            f"{location}: expected AWS credentials (AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or ~/.aws/credentials), got none"
        )
    if isinstance(error, exceptions.ClientError):
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code == "NoSuchBucket":
            return OutputError(
                f"{location}: expected an existing bucket {location.bucket!r}, got no such bucket"
            )
        message = str(error.response.get("Error", {}).get("Message", "")) or code
        return OutputError(f"{location}: the store refused: {code}: {message}")
    if isinstance(error, exceptions.BotoCoreError):
        return OutputError(f"{location}: could not reach the store: {error}")
    return None


__all__ = [
    "CACHE_LEDGER",
    "CACHE_PUBLISHED",
    "CONTENT_TYPES",
    "DEFAULT_KEEP_DROPPED",
    "DROPPED_META",
    "PUBLISHED_META",
    "S3Location",
    "Uploaded",
    "client",
    "empty_calendar",
    "explain",
    "feed_name",
    "headers",
    "publish",
    "read_folder",
    "steps",
    "upload_order",
]
