"""A small local web server for trying subscriptions against a folder of feeds.

Feeds go out as ``text/calendar; charset=utf-8`` with a strong ETag (a hash of
the bytes) and Last-Modified (the file's modification time), and conditional
requests are answered with 304, as a calendar client polling a subscription
expects. It serves only files directly inside the folder, on localhost.
"""

from __future__ import annotations

import email.utils
import hashlib
import http
import http.server
import urllib.parse
from pathlib import Path

import attrs

#: Content types by file suffix; anything else is not served.
CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
}


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
    in :data:`CONTENT_TYPES` is not served.

    >>> resolve(Path("feeds"), "/../secret.ics") is None
    True
    """
    path = urllib.parse.unquote(urllib.parse.urlsplit(request_path).path)
    name = path.removeprefix("/") or "index.html"
    if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return None
    if Path(name).suffix not in CONTENT_TYPES:
        return None
    return folder / name


def load(path: Path) -> Resource | None:
    """The response for file ``path``, or ``None`` if there is no such file."""
    try:
        data = path.read_bytes()
        modified = int(path.stat().st_mtime)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return Resource(
        data=data,
        content_type=CONTENT_TYPES[path.suffix],
        etag=Resource.etag_of(data),
        modified=modified,
    )


def _handler(folder: Path) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "pe-schedule"

        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, *, body: bool) -> None:
            path = resolve(folder, self.path)
            resource = load(path) if path is not None else None
            if resource is None:
                self.send_error(http.HTTPStatus.NOT_FOUND)
                return
            validators = {"ETag": resource.etag, "Last-Modified": resource.last_modified}
            if resource.not_modified(
                self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            ):
                self.send_response(http.HTTPStatus.NOT_MODIFIED)
                for header, value in validators.items():
                    self.send_header(header, value)
                self.end_headers()
                return
            self.send_response(http.HTTPStatus.OK)
            self.send_header("Content-Type", resource.content_type)
            self.send_header("Content-Length", str(len(resource.data)))
            for header, value in validators.items():
                self.send_header(header, value)
            # Clients may keep a copy but must revalidate, so a rebuild shows at once.
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if body:
                self.wfile.write(resource.data)

        def log_message(self, format: str, *args: object) -> None:
            # The library does not print; a caller wanting a log can subclass.
            del format, args

    return Handler


def make_server(
    folder: Path, *, port: int = 8000, host: str = "127.0.0.1"
) -> http.server.ThreadingHTTPServer:
    """A server for ``folder`` bound to ``host``:``port`` (port 0 picks a free one).

    Call ``serve_forever()`` on it; ``server_address`` tells the port bound.
    """
    return http.server.ThreadingHTTPServer((host, port), _handler(Path(folder)))


__all__ = ["CONTENT_TYPES", "Resource", "load", "make_server", "resolve"]
