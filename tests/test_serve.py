"""The local feed server: content types, validators and conditional requests."""

from __future__ import annotations

import email.utils
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pe_schedule import cli
from pe_schedule._internal.serve import Resource, make_server, resolve

FEED = "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Équipe\r\nEND:VCALENDAR\r\n".encode()
MODIFIED = 1_700_000_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A server on a free localhost port for a folder with a feed, an index and a page."""
    (tmp_path / "team-a.ics").write_bytes(FEED)
    os.utime(tmp_path / "team-a.ics", (MODIFIED, MODIFIED))
    (tmp_path / "feeds.json").write_text("{}", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    (tmp_path / ".pe-schedule-key").write_text("secret key material", encoding="utf-8")
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

    def test_head_has_no_body(self, server: tuple[str, int]) -> None:
        """HEAD answers with the headers only."""
        status, headers, body = get(server, "/team-a.ics", method="HEAD")
        assert (status, body) == (200, b"")
        assert headers["ETag"] == Resource.etag_of(FEED)

    @pytest.mark.parametrize(
        "path", ["/nothing.ics", "/../etc/passwd", "/sub/x.ics", "/.pe-schedule-key", "/%2e%2e/x"]
    )
    def test_only_files_directly_in_the_folder(self, server: tuple[str, int], path: str) -> None:
        """Missing files, sub-folders, hidden files and traversal are 404."""
        assert get(server, path)[0] == 404


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


class TestResolve:
    """Request paths map to plain files of the folder or nothing."""

    def test_query_strings_are_ignored(self) -> None:
        """A cache-busting query still names the feed."""
        assert resolve(Path("f"), "/team-a.ics?x=1") == Path("f") / "team-a.ics"

    def test_unknown_types_are_not_served(self) -> None:
        """Only .ics, .json and .html files are served."""
        assert resolve(Path("f"), "/notes.txt") is None


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
