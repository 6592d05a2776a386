"""A small local web server for trying subscriptions against a folder of feeds.

Feeds go out as ``text/calendar; charset=utf-8`` with a strong ETag (a hash of
the bytes) and Last-Modified (the file's modification time), and conditional
requests are answered with 304, as a calendar client polling a subscription
expects. It serves only regular files directly inside the folder, on localhost:
never a symbolic link (not even one to a file beside it), a FIFO, a device or a
folder, and never more than :data:`MAX_BYTES` of one file. A connection idle for
:data:`IDLE_TIMEOUT` seconds is dropped. Whatever goes wrong while answering is
a bare 500 and nothing is printed: a traceback could carry a path or a secret.
"""

from __future__ import annotations

import email.utils
import errno
import hashlib
import http
import http.server
import os
import stat
import urllib.parse
from pathlib import Path

import attrs

#: Content types by file suffix; anything else is not served.
CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
}

#: Longest file name, in bytes, that common file systems accept (POSIX NAME_MAX).
NAME_MAX = 255
#: Most bytes read from one file: far above any feed, so a bigger file is a mistake (500).
MAX_BYTES = 64 * 1024 * 1024
#: Seconds a connection may wait on its client: to send its request, or to take the
#: whole reply (a socket's send timeout covers all of it, ample for a feed).
IDLE_TIMEOUT = 10.0

# O_NOFOLLOW makes opening a link fail rather than reach its target, wherever it points.
# O_NONBLOCK makes opening a FIFO return at once (fstat then refuses it) instead of
# waiting for a writer; it changes nothing for a regular file.
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
# Failures of that open that mean "no servable file by that name" (404); any other, such
# as EACCES or EMFILE, is the server's trouble (500). A link gives ELOOP (EMLINK on the
# BSDs); a socket file or a device without a driver gives ENXIO.
_NOT_SERVABLE = frozenset(
    {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ELOOP, errno.EMLINK}
    | {errno.ENAMETOOLONG, errno.ENXIO}
)
# Reading in slices keeps one request from asking the OS for MAX_BYTES at once.
_CHUNK = 1024 * 1024


@attrs.frozen(kw_only=True)
class Resource:
    """One servable file as a response: its bytes and validators.

    >>> Resource.etag_of(b"BEGIN:VCALENDAR")
    '"9daa8e24f9b759073687839a0aa7de2a"'
    """

    data: bytes
    content_type: str
    etag: str
    #: Seconds since the epoch, whole (HTTP dates have no fractions).
    modified: int

    @staticmethod
    def etag_of(data: bytes) -> str:
        """A strong ETag for ``data``."""
        return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'

    @property
    def last_modified(self) -> str:
        """The Last-Modified header value."""
        return email.utils.formatdate(self.modified, usegmt=True)

    def not_modified(self, if_none_match: str | None, if_modified_since: str | None) -> bool:
        """Whether a request with these conditional headers should get a 304.

        If-None-Match wins over If-Modified-Since, as RFC 9110 says.
        """
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or self.etag in tags
        if if_modified_since is not None:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
            return since.timestamp() >= self.modified
        return False


def resolve(folder: Path, request_path: str) -> Path | None:
    """The file ``request_path`` names directly inside ``folder``, or ``None``.

    ``/`` is ``index.html``; anything in a sub-folder, hidden, or of a type not
    in :data:`CONTENT_TYPES` is not served, so neither are the files a build
    keeps beside its feeds (its key, lock, journal, manifest and temporary
    files are all hidden; its ledger is ``.jsonl``). Nor is a name the file
    system could not hold: with NUL, that does not encode, or over
    :data:`NAME_MAX` bytes.

    >>> resolve(Path("feeds"), "/../secret.ics") is None
    True
    """
    path = urllib.parse.unquote(urllib.parse.urlsplit(request_path).path)
    name = path.removeprefix("/") or "index.html"
    if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return None
    try:
        encoded = os.fsencode(name)
    except UnicodeError:
        return None
    if len(encoded) > NAME_MAX or Path(name).suffix not in CONTENT_TYPES:
        return None
    return folder / name


def load(path: Path, *, max_bytes: int = MAX_BYTES) -> Resource | None:
    """The response for the regular file ``path``, or ``None`` if it is not one.

    A symbolic link is ``None`` even when it points at a file in the same folder:
    a build writes only regular files, and checking where a link leads before
    opening it could be raced, while refusing every link is one atomic open.
    Raises :class:`OSError` if the file cannot be read or holds more than
    ``max_bytes`` bytes.
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except ValueError:  # NUL in the name, or a name that does not encode
        return None
    except OSError as error:
        if error.errno in _NOT_SERVABLE:
            return None
        raise
    try:
        # The descriptor, not the name, is checked: the name may change under us.
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None
        data = _read(descriptor, max_bytes)
    finally:
        os.close(descriptor)
    return Resource(
        data=data,
        content_type=CONTENT_TYPES[path.suffix],
        etag=Resource.etag_of(data),
        modified=int(status.st_mtime),
    )


def _read(descriptor: int, max_bytes: int) -> bytes:
    # Read to the end rather than trusting st_size: the file may grow while it is read.
    chunks: list[bytes] = []
    size = 0
    while chunk := os.read(descriptor, min(_CHUNK, max_bytes + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise OSError(errno.EFBIG, f"file over {max_bytes} bytes")
    return b"".join(chunks)


@attrs.frozen(kw_only=True)
class _Reply:
    """What to answer one request with, worked out before anything is sent."""

    status: http.HTTPStatus
    headers: tuple[tuple[str, str], ...] = ()
    data: bytes = b""


def _reply(
    folder: Path,
    request_path: str,
    *,
    if_none_match: str | None,
    if_modified_since: str | None,
    max_bytes: int,
) -> _Reply:
    path = resolve(folder, request_path)
    resource = load(path, max_bytes=max_bytes) if path is not None else None
    if resource is None:
        return _Reply(status=http.HTTPStatus.NOT_FOUND)
    validators = {"ETag": resource.etag, "Last-Modified": resource.last_modified}
    if resource.not_modified(if_none_match, if_modified_since):
        return _Reply(status=http.HTTPStatus.NOT_MODIFIED, headers=tuple(validators.items()))
    headers = {
        "Content-Type": resource.content_type,
        "Content-Length": str(len(resource.data)),
        **validators,
        # Clients may keep a copy but must revalidate, so a rebuild shows at once.
        "Cache-Control": "no-cache",
    }
    return _Reply(status=http.HTTPStatus.OK, headers=tuple(headers.items()), data=resource.data)


def _handler(
    folder: Path, *, idle_timeout: float, max_bytes: int
) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "pe-schedule"
        # socketserver sets this on the connection, so a client that stops sending
        # part-way through its request (or stops reading) frees its thread.
        timeout = idle_timeout

        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, *, body: bool) -> None:
            try:
                reply = _reply(
                    folder,
                    self.path,
                    if_none_match=self.headers.get("If-None-Match"),
                    if_modified_since=self.headers.get("If-Modified-Since"),
                    max_bytes=max_bytes,
                )
            except Exception:
                # The client learns only that it failed; details could name files or data.
                self.send_error(http.HTTPStatus.INTERNAL_SERVER_ERROR)
                return
            if reply.status == http.HTTPStatus.NOT_FOUND:
                self.send_error(reply.status)
                return
            self.send_response(reply.status)
            for header, value in reply.headers:
                self.send_header(header, value)
            self.end_headers()
            if body:
                self.wfile.write(reply.data)

        def log_message(self, format: str, *args: object) -> None:
            # The library does not print; a caller wanting a log can subclass.
            del format, args

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    # socketserver's backlog of 5 makes a burst of connections (a client opening many,
    # or a few stalled ones) wait a second or more for the kernel to retry the rest.
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        # The default prints a traceback to stderr. What reaches here is a client that
        # went away or sent garbage: nothing a person should read, and a traceback can
        # carry paths or data. A caller wanting a log can subclass.
        del request, client_address


def make_server(
    folder: Path,
    *,
    port: int = 8000,
    host: str = "127.0.0.1",
    timeout: float = IDLE_TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> http.server.ThreadingHTTPServer:
    """A server for ``folder`` bound to ``host``:``port`` (port 0 picks a free one).

    Call ``serve_forever()`` on it; ``server_address`` tells the port bound. A
    connection is dropped once its client has kept it waiting ``timeout``
    seconds; a file over ``max_bytes`` is answered with 500. Each connection
    has its own thread and their number is not capped: a cap would let as many
    idle connections lock everyone out, while the timeout already ends them.
    """
    handler = _handler(Path(folder), idle_timeout=timeout, max_bytes=max_bytes)
    return _Server((host, port), handler)


__all__ = [
    "CONTENT_TYPES",
    "IDLE_TIMEOUT",
    "MAX_BYTES",
    "NAME_MAX",
    "Resource",
    "load",
    "make_server",
    "resolve",
]
