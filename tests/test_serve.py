"""The local feed server: content types, validators and conditional requests."""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from pe_schedule import cli
from pe_schedule._internal.serve import IDLE_TIMEOUT, MAX_BYTES, Resource, make_server, resolve

FEED = "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Équipe\r\nEND:VCALENDAR\r\n".encode()
MODIFIED = 1_700_000_000
#: Files a build keeps or leaves beside its feeds: a killed build's temporary file, its
#: lock, journal and manifest, the ledger. Each has a feed's bytes, to tell if it leaks.
BUILD_FILES = (
    ".pe-schedule-tmp-1-team-a.ics",
    ".pe-schedule.lock",
    ".pe-schedule-journal",
    ".pe-schedule-manifest",
    "ledger.jsonl",
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A server on a free localhost port for a folder with a feed, an index and a page."""
    (tmp_path / "team-a.ics").write_bytes(FEED)
    os.utime(tmp_path / "team-a.ics", (MODIFIED, MODIFIED))
    (tmp_path / "feeds.json").write_text("{}", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    (tmp_path / "grid.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / ".pe-schedule-key").write_text("secret key material", encoding="utf-8")
    for name in BUILD_FILES:
        (tmp_path / name).write_bytes(FEED)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "x.ics").write_bytes(FEED)
    httpd = make_server(tmp_path, port=0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    yield str(host), int(port)
    httpd.shutdown()
    httpd.server_close()


def get(
    address: tuple[str, int], path: str, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one request."""
    connection = http.client.HTTPConnection(*address, timeout=5)
    connection.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


class TestServing:
    """Feeds are served as UTF-8 iCalendar with validators."""

    def test_feed_content_type_and_validators(self, server: tuple[str, int]) -> None:
        """A feed is text/calendar; charset=utf-8 with its bytes, an ETag and Last-Modified."""
        status, headers, body = get(server, "/team-a.ics")
        assert status == 200
        assert headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert body == FEED
        assert headers["ETag"] == Resource.etag_of(FEED)
        assert headers["Last-Modified"] == email.utils.formatdate(MODIFIED, usegmt=True)
        assert headers["Content-Length"] == str(len(FEED))

    def test_root_is_the_index_page(self, server: tuple[str, int]) -> None:
        """/ serves index.html as HTML."""
        status, headers, body = get(server, "/")
        assert (status, headers["Content-Type"], body) == (
            200,
            "text/html; charset=utf-8",
            b"<p>hi</p>",
        )

    def test_grid_picture_is_svg(self, server: tuple[str, int]) -> None:
        """The printable grid a build writes beside the page is served as an SVG image."""
        status, headers, body = get(server, "/grid.svg")
        assert (status, headers["Content-Type"], body) == (200, "image/svg+xml", b"<svg/>")

    def test_head_has_no_body(self, server: tuple[str, int]) -> None:
        """HEAD answers with the headers only."""
        status, headers, body = get(server, "/team-a.ics", method="HEAD")
        assert (status, body) == (200, b"")
        assert headers["ETag"] == Resource.etag_of(FEED)

    @pytest.mark.parametrize(
        "path",
        [
            "/nothing.ics",
            "/../etc/passwd",
            "/sub/x.ics",
            "/sub",
            "/.pe-schedule-key",
            "/%2e%2e/x",
        ],
    )
    def test_only_files_directly_in_the_folder(self, server: tuple[str, int], path: str) -> None:
        """Missing files, sub-folders, hidden files and traversal are 404."""
        assert get(server, path)[0] == 404

    @pytest.mark.parametrize("name", BUILD_FILES)
    def test_what_a_build_keeps_beside_its_feeds_is_not_served(
        self, server: tuple[str, int], name: str
    ) -> None:
        """A build's temporary, lock, journal, manifest and ledger files are 404."""
        status, _, body = get(server, "/" + name)
        assert (status, FEED in body) == (404, False)


class TestConditionalRequests:
    """A polling client that already has the feed gets 304 Not Modified."""

    def test_matching_etag_is_304(self, server: tuple[str, int]) -> None:
        """If-None-Match with the current ETag gives 304 and no body."""
        status, headers, body = get(server, "/team-a.ics", If_None_Match=Resource.etag_of(FEED))
        assert (status, body) == (304, b"")
        assert headers["ETag"] == Resource.etag_of(FEED)

    def test_other_etag_is_200(self, server: tuple[str, int]) -> None:
        """An old ETag gets the new feed."""
        assert get(server, "/team-a.ics", If_None_Match='"old"')[0] == 200

    def test_if_modified_since(self, server: tuple[str, int]) -> None:
        """Not modified since then gives 304; modified since gives 200."""
        now = email.utils.formatdate(MODIFIED, usegmt=True)
        earlier = email.utils.formatdate(MODIFIED - 60, usegmt=True)
        assert get(server, "/team-a.ics", If_Modified_Since=now)[0] == 304
        assert get(server, "/team-a.ics", If_Modified_Since=earlier)[0] == 200

    def test_etag_wins_over_date(self, server: tuple[str, int]) -> None:
        """With both headers, a non-matching ETag means 200 whatever the date says."""
        now = email.utils.formatdate(MODIFIED, usegmt=True)
        status = get(server, "/team-a.ics", If_None_Match='"old"', If_Modified_Since=now)[0]
        assert status == 200


@contextlib.contextmanager
def serving(
    folder: Path, *, timeout: float = IDLE_TIMEOUT, max_bytes: int = MAX_BYTES
) -> Iterator[tuple[str, int]]:
    """A real server for ``folder`` on a free localhost port while the block runs."""
    httpd = make_server(folder, port=0, timeout=timeout, max_bytes=max_bytes)
    # A short poll interval lets shutdown() return at once rather than in half a second.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        host, port = httpd.server_address[:2]
        yield str(host), int(port)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def feeds(tmp_path: Path) -> Path:
    """A folder holding one feed, beside a secret that must never be served."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "team-a.ics").write_bytes(FEED)
    (tmp_path / "secret.json").write_text('{"PE_SCHEDULE_FEED_KEY": "hunter2"}', "utf-8")
    return folder


class TestHostileFolder:
    """Only regular files directly in the folder are read, whatever else is put there."""

    def test_a_link_out_of_the_folder_is_not_followed(
        self, feeds: Path, capfd: pytest.CaptureFixture[str]
    ) -> None:
        """A symlink to a file outside (a secret, the server's own environment) is 404."""
        (feeds / "env.json").symlink_to(feeds.parent / "secret.json")
        (feeds / "environ.json").symlink_to("/proc/self/environ")
        with serving(feeds) as address:
            for path in ("/env.json", "/environ.json"):
                status, _, body = get(address, path)
                assert status == 404, path
                assert b"hunter2" not in body
                assert b"PATH=" not in body
        assert capfd.readouterr().err == ""

    def test_a_link_inside_the_folder_is_not_followed_either(
        self, feeds: Path, capfd: pytest.CaptureFixture[str]
    ) -> None:
        """A symlink to a feed beside it is 404 too: links are refused, never resolved."""
        (feeds / "alias.ics").symlink_to("team-a.ics")
        with serving(feeds) as address:
            assert get(address, "/alias.ics")[0] == 404
            assert get(address, "/team-a.ics")[0] == 200
        assert capfd.readouterr().err == ""

    def test_a_fifo_is_refused_at_once(
        self, feeds: Path, capfd: pytest.CaptureFixture[str]
    ) -> None:
        """A FIFO named like a feed is 404 at once, not a connection left hanging."""
        os.mkfifo(feeds / "x.ics")
        with serving(feeds) as address:
            started = time.monotonic()
            assert get(address, "/x.ics")[0] == 404
            assert time.monotonic() - started < 2
            assert get(address, "/team-a.ics")[0] == 200
        assert capfd.readouterr().err == ""

    def test_a_file_over_the_limit_is_a_bare_500(
        self, feeds: Path, capfd: pytest.CaptureFixture[str]
    ) -> None:
        """A file over the size limit is 500 with nothing of the file or the error in the answer."""
        (feeds / "big.json").write_bytes(b"A" * 11)
        (feeds / "small.json").write_bytes(b"A" * 10)
        with serving(feeds, max_bytes=10) as address:
            status, _, body = get(address, "/big.json")
            assert status == 500
            assert b"AAAA" not in body
            assert b"big" not in body
            assert get(address, "/small.json")[:3:2] == (200, b"A" * 10)
        assert capfd.readouterr().err == ""


class TestHostileClients:
    """Odd requests get plain answers, and slow clients cannot hold the server."""

    @pytest.mark.parametrize("name", ["a" * 296 + ".ics", "é" * 130 + ".ics"])
    def test_a_name_too_long_for_the_file_system_is_404(
        self, feeds: Path, capfd: pytest.CaptureFixture[str], name: str
    ) -> None:
        """A name over 255 bytes is 404, the server keeps serving and prints nothing."""
        with serving(feeds) as address:
            assert get(address, "/" + urllib.parse.quote(name))[0] == 404
            assert get(address, "/team-a.ics")[0] == 200
        assert capfd.readouterr().err == ""

    def test_half_sent_requests_are_dropped_and_do_not_block_others(
        self, feeds: Path, capfd: pytest.CaptureFixture[str]
    ) -> None:
        """With 30 requests stalled before their blank line, others are answered and they are closed."""
        with serving(feeds, timeout=0.5) as address:
            stalled = [socket.create_connection(address, timeout=5) for _ in range(30)]
            try:
                for connection in stalled:
                    connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                assert get(address, "/team-a.ics")[0] == 200
                started = time.monotonic()
                for connection in stalled:
                    with contextlib.suppress(ConnectionResetError):
                        assert connection.recv(1024) == b""
                assert time.monotonic() - started < 3
            finally:
                for connection in stalled:
                    connection.close()
        assert capfd.readouterr().err == ""


class TestResolve:
    """Request paths map to plain files of the folder or nothing."""

    def test_query_strings_are_ignored(self) -> None:
        """A cache-busting query still names the feed."""
        assert resolve(Path("f"), "/team-a.ics?x=1") == Path("f") / "team-a.ics"

    def test_unknown_types_are_not_served(self) -> None:
        """Only .ics, .json and .html files are served."""
        assert resolve(Path("f"), "/notes.txt") is None

    def test_names_the_file_system_cannot_hold_are_nothing(self) -> None:
        """A name over 255 bytes, with NUL or that does not encode is no file; 255 bytes is one."""
        assert resolve(Path("f"), "/" + "a" * 251 + ".ics") == Path("f") / ("a" * 251 + ".ics")
        assert resolve(Path("f"), "/" + "a" * 252 + ".ics") is None
        assert resolve(Path("f"), "/a%00.ics") is None
        assert resolve(Path("f"), "/\ud800.ics") is None


class TestCommand:
    """`pe-schedule serve DIR` as a person runs it."""

    def test_serves_a_folder_until_interrupted(self, tmp_path: Path) -> None:
        """It prints its address, serves the feeds there, and stops cleanly on Ctrl-C."""
        (tmp_path / "team-a.ics").write_bytes(FEED)
        process = subprocess.Popen(
            [sys.executable, "-m", "pe_schedule", "serve", str(tmp_path), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            address = re.search(r"http://([\d.]+):(\d+)/", line)
            assert address, line
            connection = http.client.HTTPConnection(address[1], int(address[2]), timeout=10)
            connection.request("GET", "/team-a.ics")
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, FEED)
            connection.close()
        finally:
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=10)
        assert process.returncode == 0
        assert "Traceback" not in err

    def test_a_missing_folder_is_an_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Serving a folder that does not exist says so and exits 2."""
        assert cli.main(["serve", str(tmp_path / "nowhere")]) == 2
        assert "expected a folder of feeds" in capsys.readouterr().err
