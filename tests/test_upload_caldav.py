"""``pe-schedule publish DIR --to caldav+...``: a feed's events in a CalDAV calendar.

End to end against a real CalDAV server (Radicale) started on 127.0.0.1 for
this module: each test publishes into a calendar of its own and reads it back
with the ``caldav`` client library, as any calendar client would.
"""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import icalendar
import pytest

from pe_schedule import cli
from pe_schedule._internal.upload import caldav as upload
from pe_schedule.exceptions import PeScheduleError
from tests.conftest import MINIMAL_DECLARATION, Pipe, Terminal

caldav = pytest.importorskip("caldav")

#: The minimal declaration with a time of day (so its events carry a VTIMEZONE) and a reminder.
DECLARATION = (
    MINIMAL_DECLARATION.replace(
        'timezone = "America/New_York"\n',
        'timezone = "America/New_York"\nrevised = 2023-01-01T00:00:00Z\ncancelled_retention_days = 0\n',
    )
    + 'reminders = ["15m"]\n\n[cohorts.activities.timing]\nday = "second Tuesday"\nstart = "13:00"\nduration = "1h"\n'
)
FEED = "cohort-cohort.ics"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Radicale server on a free port of 127.0.0.1, with a user folder ``/user/``."""
    folder = tmp_path_factory.mktemp("radicale")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}"),
            *("--storage-filesystem-folder", str(folder / "store"), "--auth-type", "none"),
            *("--logging-level", "error"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the CalDAV server did not start") from None
                time.sleep(0.1)
        # A server's user folder exists before any calendar is made in it.
        urllib.request.urlopen(urllib.request.Request(f"{base}/user/", method="MKCOL"))
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def calendar_url(server: str) -> str:
    """A calendar of this test's own, not made yet."""
    return f"{server}/user/{uuid.uuid4().hex}/"


def build(folder: Path, declaration: str = DECLARATION) -> Path:
    """Build ``declaration`` into ``folder/feeds`` (again, after a change)."""
    source = folder / "demo.toml"
    source.write_text(declaration, encoding="utf-8")
    assert cli.main(["build", str(source), "--out", str(folder / "feeds")]) == 0
    return folder / "feeds"


def publish(
    feeds: Path, url: str, capsys: pytest.CaptureFixture[str], feed: str = FEED
) -> tuple[int, str, str]:
    code = cli.main(["publish", str(feeds), "--to", f"caldav+{url}", "--feed", feed])
    out, err = capsys.readouterr()
    return code, out, err


def server_events(url: str) -> dict[str, tuple[icalendar.cal.Component, str]]:
    """Each event in the calendar at ``url`` by UID, with its ETag, as a client reads it."""
    with caldav.DAVClient(url, enable_rfc6764=False) as client:
        found = {}
        for resource in client.calendar(url=url).events():
            event = icalendar.Calendar.from_ical(resource.data).walk("VEVENT")[0]
            found[str(event["UID"])] = (event, str(resource.props["{DAV:}getetag"]))
        return found


def feed_uids(feeds: Path) -> set[str]:
    calendar = icalendar.Calendar.from_ical((feeds / FEED).read_bytes())
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def test_first_publish_creates_the_calendar_named_as_the_feed_and_puts_every_event(
    tmp_path: Path, calendar_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = build(tmp_path)
    code, out, err = publish(feeds, calendar_url, capsys)
    assert code == 0, err
    assert "calendar created" in out
    assert "2 events; 2 created, 0 updated, 0 removed, 0 unchanged" in out
    assert "unencrypted" in err  # a warning: plain http is for a local server
    with caldav.DAVClient(calendar_url, enable_rfc6764=False) as client:
        assert client.calendar(url=calendar_url).get_display_name() == "Demo: Cohort"
    events = server_events(calendar_url)
    assert set(events) == feed_uids(feeds)
    for event, _ in events.values():
        assert event.decoded("DTSTART").tzinfo is not None  # with the VTIMEZONE it names
        assert event.walk("VALARM")  # the reminder came along


def test_a_second_publish_changes_nothing(
    tmp_path: Path, calendar_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = build(tmp_path)
    assert publish(feeds, calendar_url, capsys)[0] == 0
    before = {uid: etag for uid, (_, etag) in server_events(calendar_url).items()}
    code, out, _ = publish(feeds, calendar_url, capsys)
    assert code == 0
    assert "0 created, 0 updated, 0 removed, 2 unchanged" in out
    assert "calendar created" not in out
    assert {uid: etag for uid, (_, etag) in server_events(calendar_url).items()} == before


def test_a_moved_event_is_updated_with_its_new_time_and_sequence(
    tmp_path: Path, calendar_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = build(tmp_path)
    assert publish(feeds, calendar_url, capsys)[0] == 0
    moved = DECLARATION.replace("2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z") + (
        '\n[[cohorts.activities.timing.overrides]]\nmonth = 3\nday = "third Tuesday"\n'
    )
    build(tmp_path, moved)
    code, out, err = publish(feeds, calendar_url, capsys)
    assert code == 0, err
    assert "0 created, 1 updated, 0 removed, 1 unchanged" in out
    march = next(
        event for event, _ in server_events(calendar_url).values() if "2023-03" in str(event["UID"])
    )
    assert march.decoded("DTSTART").date().isoformat() == "2023-03-21"
    assert march["SEQUENCE"] == 1


def test_an_event_the_feed_no_longer_holds_is_removed(
    tmp_path: Path, calendar_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = build(tmp_path)
    assert publish(feeds, calendar_url, capsys)[0] == 0
    fewer = DECLARATION.replace("months = [1, 3]", "months = [1]").replace(
        "2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z"
    )
    build(tmp_path, fewer)  # March's call is published cancelled, then (retention 0) dropped
    build(tmp_path, fewer.replace("2023-02-01T00:00:00Z", "2023-03-01T00:00:00Z"))
    assert len(feed_uids(feeds)) == 1
    code, out, err = publish(feeds, calendar_url, capsys)
    assert code == 0, err
    assert "0 created, 0 updated, 1 removed, 1 unchanged" in out
    assert set(server_events(calendar_url)) == feed_uids(feeds)


def test_an_event_edited_on_the_server_is_reported_not_overwritten(
    tmp_path: Path, calendar_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = build(tmp_path)
    assert publish(feeds, calendar_url, capsys)[0] == 0
    with caldav.DAVClient(calendar_url, enable_rfc6764=False) as client:
        resource = next(
            r for r in client.calendar(url=calendar_url).events() if "2023-03" in r.data
        )
        resource.data = resource.data.replace("LOCATION:Zoom", "LOCATION:Room 4")
        resource.save()
    # The feed moves the same event meanwhile: the edit must still win, and be named.
    moved = DECLARATION.replace("2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z") + (
        '\n[[cohorts.activities.timing.overrides]]\nmonth = 3\nday = "third Tuesday"\n'
    )
    build(tmp_path, moved)
    code, out, err = publish(feeds, calendar_url, capsys)
    assert code == 1
    assert "demo/cohort/call/cohort/2023-03@pe-schedule" in err
    assert "changed on the server since pe-schedule published it" in err
    assert "1 conflict" in out
    march = next(
        event for event, _ in server_events(calendar_url).values() if "2023-03" in str(event["UID"])
    )
    assert str(march["LOCATION"]) == "Room 4"
    assert march.decoded("DTSTART").date().isoformat() == "2023-03-14"
    # Deleting the edited copy on the server lets the next publish put the feed's back.
    with caldav.DAVClient(calendar_url, enable_rfc6764=False) as client:
        next(r for r in client.calendar(url=calendar_url).events() if "2023-03" in r.data).delete()
    code, out, _ = publish(feeds, calendar_url, capsys)
    assert code == 0
    assert "1 created" in out


def test_an_event_someone_else_put_is_left_alone(
    tmp_path: Path, calendar_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = build(tmp_path)
    assert publish(feeds, calendar_url, capsys)[0] == 0
    with caldav.DAVClient(calendar_url, enable_rfc6764=False) as client:
        client.calendar(url=calendar_url).add_event(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//EN\r\nBEGIN:VEVENT\r\n"
            "UID:theirs@example.org\r\nDTSTAMP:20230101T000000Z\r\n"
            "DTSTART:20230105T150000Z\r\nSUMMARY:Theirs\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    code, _, err = publish(feeds, calendar_url, capsys)
    assert code == 0
    assert "not put by pe-schedule; left alone" in err
    assert "theirs@example.org" in server_events(calendar_url)


def test_a_feed_not_in_the_folder_is_named_with_the_closest(
    tmp_path: Path, calendar_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = build(tmp_path)
    code, _, err = publish(feeds, calendar_url, capsys, feed="cohort-cohrt.ics")
    assert code == 2
    assert "--feed: expected one of its feeds" in err
    assert "did you mean 'cohort-cohort.ics'?" in err


def test_without_the_caldav_library_publish_says_what_to_install(
    tmp_path: Path,
    calendar_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feeds = build(tmp_path)
    for name in ("caldav", "caldav.davclient", "caldav.lib"):
        monkeypatch.setitem(sys.modules, name, None)  # as if never installed
    code, _, err = publish(feeds, calendar_url, capsys)
    assert code == 2
    assert "pip install 'pe-schedule[publish]'" in err


def test_a_target_names_a_caldav_collection_without_credentials() -> None:
    assert upload.Target.parse("caldav+https://dav.example.org/u/pe").url == (
        "https://dav.example.org/u/pe/"
    )
    with pytest.raises(PeScheduleError, match="expected no credentials"):
        upload.Target.parse("caldav+https://me:secret@dav.example.org/u/pe/")
    with pytest.raises(PeScheduleError, match="expected caldav\\+https://host/path/"):
        upload.Target.parse("https://dav.example.org/u/pe/")


def test_credentials_come_from_the_environment_else_netrc(tmp_path: Path) -> None:
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text("machine dav.example.org login ann password s3cret\n")
    netrc_file.chmod(0o600)
    environ = {"NETRC": str(netrc_file)}
    assert upload.credentials(environ, "dav.example.org") == ("ann", "s3cret")
    assert upload.credentials(environ, "other.example.org") is None
    environ |= {upload.USER_VARIABLE: "bo", upload.PASSWORD_VARIABLE: "pw"}
    assert upload.credentials(environ, "dav.example.org") == ("bo", "pw")
    with pytest.raises(PeScheduleError, match="expected both"):
        upload.credentials({upload.USER_VARIABLE: "bo"}, "dav.example.org")


def test_the_digest_ignores_how_a_server_orders_and_folds_lines(tmp_path: Path) -> None:
    feeds = build(tmp_path)
    event = upload.Feed.read(feeds / FEED).events[0]
    lines = event.text.replace("\r\n ", "").split("\r\n")
    body = lines[lines.index("BEGIN:VEVENT") + 1 : lines.index("BEGIN:VALARM")]
    shuffled = "\r\n".join(
        lines[: lines.index("BEGIN:VEVENT") + 1] + body[::-1] + lines[lines.index("BEGIN:VALARM") :]
    )
    assert upload.digest_of(icalendar.Calendar.from_ical(shuffled)) == event.digest
    edited = shuffled.replace("LOCATION:Zoom", "LOCATION:Room 4")
    assert upload.digest_of(icalendar.Calendar.from_ical(edited)) != event.digest


def record_requests(monkeypatch: pytest.MonkeyPatch, log: list[str]) -> None:
    """Note in ``log`` each event the client puts (by UID) and each delete, in order."""
    from caldav.davclient import DAVClient

    put, delete = DAVClient.put, DAVClient.delete

    def recording_put(self: DAVClient, url: str, body: str, headers: Any = None) -> Any:
        uid = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["UID"]
        log.append(f"put {uid}")
        return put(self, url, body, headers)

    def recording_delete(
        self: DAVClient, url: str, headers: Mapping[str, str] | None = None
    ) -> Any:
        log.append("delete")
        return delete(self, url, headers)

    monkeypatch.setattr(DAVClient, "put", recording_put)
    monkeypatch.setattr(DAVClient, "delete", recording_delete)


def test_the_track_sees_each_event_once_as_it_is_taken_up_in_publish_order(
    tmp_path: Path, calendar_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The feed's events in its order (put, or left as they are), then those it no longer
    holds (removed); each request follows the sight of its event."""
    log: list[str] = []
    totals: list[int] = []

    def track(items: Iterable[str], total: int) -> Iterator[str]:
        totals.append(total)
        for item in items:
            log.append(f"seen {item}")
            yield item

    record_requests(monkeypatch, log)
    target = upload.Target.parse(f"caldav+{calendar_url}")
    feeds = build(tmp_path)
    feed = upload.Feed.read(feeds / FEED)
    january, march = (event.uid for event in feed.events)
    upload.publish(feed, target, None, track=track)
    assert log == [f"seen {january}", f"put {january}", f"seen {march}", f"put {march}"]
    assert totals == [2]

    fewer = DECLARATION.replace("months = [1, 3]", "months = [1]")
    build(tmp_path, fewer.replace("2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z"))
    build(tmp_path, fewer.replace("2023-01-01T00:00:00Z", "2023-03-01T00:00:00Z"))
    log.clear()
    outcome = upload.publish(upload.Feed.read(feeds / FEED), target, None, track=track)
    assert outcome.removed == (march,)
    assert log == [f"seen {january}", f"seen {march}", "delete"]
    assert totals == [2, 2]


def publish_with_stderr(
    feeds: Path, url: str, stderr: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """``pe-schedule publish`` of the feed with ``stderr`` as standard error (standard
    output a pipe): what each received."""
    stdout = Pipe()
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    assert cli.main(["publish", str(feeds), "--to", f"caldav+{url}", "--feed", FEED]) == 0
    return stdout.getvalue(), stderr.getvalue()


#: What a publish to a local server over http writes on standard error, bar or not.
HTTP_WARNING = "unencrypted; use it only for a server on this machine\n"


def test_a_publish_draws_a_bar_over_the_events_on_a_terminal(
    tmp_path: Path, calendar_url: str, monkeypatch: pytest.MonkeyPatch, plain_environment: None
) -> None:
    out, err = publish_with_stderr(build(tmp_path), calendar_url, Terminal(), monkeypatch)
    assert f"publishing {FEED}" in err
    assert "2/2" in err
    assert "\x1b[" in err
    assert "2 events; 2 created" in out


@pytest.mark.parametrize(
    ("stderr", "variable"),
    [pytest.param(Pipe, None, id="not-a-terminal"), pytest.param(Terminal, "CI", id="ci")],
)
def test_a_publish_draws_nothing_without_a_terminal_or_in_ci(
    tmp_path: Path,
    calendar_url: str,
    monkeypatch: pytest.MonkeyPatch,
    plain_environment: None,
    stderr: type[io.StringIO],
    variable: str | None,
) -> None:
    if variable is not None:
        monkeypatch.setenv(variable, "true")
    out, err = publish_with_stderr(build(tmp_path), calendar_url, stderr(), monkeypatch)
    assert "\x1b" not in err
    assert err.startswith("warning: ")
    assert err.endswith(HTTP_WARNING)
    assert err.count("\n") == 1  # the warning, and nothing else
    assert "2 events; 2 created" in out
