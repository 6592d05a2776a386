"""``pe-schedule publish DIR --to s3://...``: a built folder, uploaded to a real S3-compatible
server (moto's, on 127.0.0.1) over HTTP, changed objects only, feeds first, ledger last."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from pe_schedule import cli
from pe_schedule._internal.upload import s3
from tests.conftest import MINIMAL_DECLARATION, Pipe, Terminal

#: Two cohorts, so a change to one leaves the other's feed as it was.
DECLARATION = (
    MINIMAL_DECLARATION
    + """
[[cohorts]]
id = "other"
name = "Other"

[[cohorts.activities]]
id = "meet"
name = "Meet"
months = [2]
"""
)
#: The first cohort renamed: its feed (its calendar name) and the page change.
RENAMED = DECLARATION.replace('name = "Cohort"', 'name = "Cohorts"').replace(
    'timezone = "America/New_York"',
    'timezone = "America/New_York"\nrevised = 2026-12-02T12:00:00Z',
)
#: The second cohort gone: its feed is no longer built.
WITHOUT_OTHER = DECLARATION.split('\n[[cohorts]]\nid = "other"')[0].replace(
    'timezone = "America/New_York"',
    'timezone = "America/New_York"\nrevised = 2026-12-02T12:00:00Z',
)

_BUCKETS = itertools.count()


@pytest.fixture
def aws(s3_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Dummy credentials and the server's address in the environment, as a user sets them;
    no ~/.aws of this machine's is read."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "PE_SCHEDULE_FEED_KEY"):
        monkeypatch.delenv(name, raising=False)
    return s3_endpoint


@pytest.fixture
def bucket(aws: str) -> str:
    """A new, empty bucket."""
    name = f"feeds-{next(_BUCKETS)}"
    boto3.client("s3").create_bucket(Bucket=name)
    return name


def build(tmp_path: Path, declaration: str) -> Path:
    source = tmp_path / "demo.toml"
    source.write_text(declaration, encoding="utf-8")
    out = tmp_path / "demo"
    assert cli.main(["build", str(source), "--out", str(out)]) == 0
    return out


def objects(bucket: str, prefix: str = "pe/") -> dict[str, dict[str, Any]]:
    """Every object under ``prefix``: its name, with its headers, metadata and bytes."""
    client = boto3.client("s3")
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    found = {}
    for item in listed:
        got = client.get_object(Bucket=bucket, Key=item["Key"])
        found[item["Key"].removeprefix(prefix)] = {
            "ContentType": got["ContentType"],
            "CacheControl": got.get("CacheControl"),
            "Metadata": got["Metadata"],
            "Body": got["Body"].read(),
        }
    return found


class Recording:
    """A boto3 client that notes the key of every object it writes or deletes, in order
    (into ``writes``, a list it may share with a :class:`Tracking`)."""

    def __init__(self, writes: list[str] | None = None) -> None:
        self.client = boto3.client("s3")
        self.writes: list[str] = [] if writes is None else writes

    def put_object(self, **kwargs: Any) -> Any:
        self.writes.append(f"put {kwargs['Key']}")
        return self.client.put_object(**kwargs)

    def delete_object(self, **kwargs: Any) -> Any:
        self.writes.append(f"delete {kwargs['Key']}")
        return self.client.delete_object(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def test_a_first_publish_uploads_every_built_file_served_as_a_calendar_app_wants(
    tmp_path: Path, bucket: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = build(tmp_path, DECLARATION)
    capsys.readouterr()
    assert cli.main(["publish", str(folder), "--to", f"s3://{bucket}/pe"]) == 0
    published = objects(bucket)
    built = {path.name for path in folder.iterdir() if not path.name.startswith(".")}
    assert set(published) == built
    assert {"programme.ics", "feeds.json", "grid.svg", "index.html", "ledger.jsonl"} <= built
    for name, item in published.items():
        assert item["Body"] == (folder / name).read_bytes()
        assert (
            item["ContentType"]
            == {
                ".ics": "text/calendar; charset=utf-8",
                ".html": "text/html; charset=utf-8",
                ".svg": "image/svg+xml",
                ".json": "application/json",
                ".jsonl": "application/x-ndjson",
            }[Path(name).suffix]
        )
        ledger = name == "ledger.jsonl"
        assert item["CacheControl"] == ("no-cache" if ledger else "max-age=300, must-revalidate")
    # The manifest lists every private personal feed name: it is not published.
    assert ".pe-schedule-manifest" not in published
    assert f"{len(built)} uploaded, 0 unchanged" in capsys.readouterr().out


def test_a_second_publish_of_the_same_folder_uploads_nothing(
    tmp_path: Path, bucket: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = build(tmp_path, DECLARATION)
    location = s3.S3Location.parse(f"s3://{bucket}/pe")
    s3.publish(folder, location, client=boto3.client("s3"))
    again = Recording()
    done = s3.publish(folder, location, client=again)
    assert again.writes == []
    assert done.uploaded == ()
    assert len(done.unchanged) == len(objects(bucket))
    capsys.readouterr()
    assert cli.main(["publish", str(folder), "--to", f"s3://{bucket}/pe/"]) == 0
    assert " 0 uploaded, " in capsys.readouterr().out


def test_after_a_rebuild_only_what_changed_goes_up_feeds_first_and_the_ledger_last(
    tmp_path: Path, bucket: str
) -> None:
    folder = build(tmp_path, DECLARATION)
    location = s3.S3Location.parse(f"s3://{bucket}/pe")
    first = Recording()
    s3.publish(folder, location, client=first)
    assert [write.rsplit("/", 1)[1] for write in first.writes] == [
        "cohort-cohort.ics",
        "cohort-other.ics",
        "programme.ics",
        "feeds.json",
        "grid.svg",
        "index.html",
        "ledger.jsonl",
    ]
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    build(tmp_path, RENAMED)
    changed = {
        path.name
        for path in folder.iterdir()
        if before.get(path.name) != path.read_bytes() and not path.name.startswith(".")
    }
    assert "cohort-cohort.ics" in changed
    assert "cohort-other.ics" not in changed
    recording = Recording()
    s3.publish(folder, location, client=recording)
    assert sorted(recording.writes) == sorted(f"put pe/{name}" for name in changed)
    kinds = [write.rsplit(".", 1)[1] for write in recording.writes]
    assert kinds == sorted(kinds, key=["ics", "json", "svg", "html", "jsonl"].index)
    assert (
        objects(bucket)["cohort-cohort.ics"]["Body"] == (folder / "cohort-cohort.ics").read_bytes()
    )


def test_a_feed_no_longer_built_becomes_an_empty_calendar_of_its_name_then_goes(
    tmp_path: Path, bucket: str
) -> None:
    folder = build(tmp_path, DECLARATION)
    location = s3.S3Location.parse(f"s3://{bucket}/pe")
    s3.publish(folder, location, client=boto3.client("s3"))
    old = objects(bucket)["cohort-other.ics"]["Body"]
    build(tmp_path, WITHOUT_OTHER)
    assert not (folder / "cohort-other.ics").exists()
    day = dt.date(2026, 12, 2)
    recording = Recording()
    done = s3.publish(folder, location, client=recording, today=day)
    assert done.emptied == ("cohort-other.ics",)
    # Still a feed before the index and ledger that no longer list it.
    assert recording.writes.index("put pe/cohort-other.ics") < recording.writes.index(
        "put pe/feeds.json"
    )
    emptied = objects(bucket)["cohort-other.ics"]
    assert emptied["Body"] == s3.empty_calendar("Demo: Other") != old
    assert s3.feed_name(emptied["Body"], "?") == s3.feed_name(old, "!") == "Demo: Other"
    assert b"\r\nNAME:Demo: Other\r\n" in emptied["Body"]
    assert emptied["ContentType"] == "text/calendar; charset=utf-8"
    assert emptied["Metadata"]["pe-schedule-dropped"] == "2026-12-02"
    keep = dt.timedelta(days=90)
    kept = s3.publish(
        folder,
        location,
        client=boto3.client("s3"),
        keep_dropped=keep,
        today=day + keep - dt.timedelta(days=1),
    )
    assert kept.kept == ("cohort-other.ics",)
    assert "cohort-other.ics" in objects(bucket)
    gone = s3.publish(
        folder, location, client=boto3.client("s3"), keep_dropped=keep, today=day + keep
    )
    assert gone.deleted == ("cohort-other.ics",)
    assert "cohort-other.ics" not in objects(bucket)


def test_an_object_this_tool_did_not_write_is_never_replaced(tmp_path: Path, bucket: str) -> None:
    boto3.client("s3").put_object(Bucket=bucket, Key="pe/holidays.ics", Body=b"mine")
    folder = build(tmp_path, DECLARATION)
    done = s3.publish(folder, s3.S3Location.parse(f"s3://{bucket}/pe"), client=boto3.client("s3"))
    assert done.emptied == ()
    assert objects(bucket)["holidays.ics"]["Body"] == b"mine"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            ["no-such-folder", "--to", "s3://feeds-x/pe"],
            "expected a folder of feeds, got no such folder",
        ),
        (["{empty}", "--to", "s3://feeds-x/pe"], "expected a folder written by pe-schedule build"),
        (["{built}", "--to", "s3://Bad_Bucket/pe"], "expected s3://BUCKET/PREFIX"),
        (["{built}", "--to", "ftp://host/pe"], "expected a URL starting with s3://"),
        (
            ["{built}", "--to", "s3://no-such-bucket/pe"],
            "expected an existing bucket 'no-such-bucket', got no such bucket",
        ),
    ],
)
def test_what_cannot_be_published_is_named_with_exit_2(
    tmp_path: Path,
    aws: str,
    arguments: list[str],
    expected: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "empty").mkdir()
    built = build(tmp_path, DECLARATION)
    places = {"{empty}": str(tmp_path / "empty"), "{built}": str(built)}
    capsys.readouterr()
    status = cli.main(["publish", *(places.get(arg, arg) for arg in arguments)])
    err = capsys.readouterr().err
    assert status == 2
    assert expected in err
    assert "Traceback" not in err


def test_without_credentials_publish_says_what_it_expected(
    tmp_path: Path, bucket: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = build(tmp_path, DECLARATION)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    # No instance-metadata look-up (it would wait on a network that is not there).
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    capsys.readouterr()
    assert cli.main(["publish", str(folder), "--to", f"s3://{bucket}/pe"]) == 2
    assert "expected AWS credentials" in capsys.readouterr().err


def test_without_boto3_publish_says_how_to_install_it(
    tmp_path: Path, aws: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = build(tmp_path, DECLARATION)
    monkeypatch.setitem(__import__("sys").modules, "boto3", None)
    capsys.readouterr()
    assert cli.main(["publish", str(folder), "--to", "s3://feeds-x/pe"]) == 2
    assert "pip install 'pe-schedule[publish]'" in capsys.readouterr().err


class Tracking:
    """A publish's ``track``: notes each name as the publish takes it up (``seen NAME``),
    into a list it may share with a :class:`Recording`, and each total it is told."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.totals: list[int] = []

    def __call__(self, items: Iterable[str], total: int) -> Iterator[str]:
        self.totals.append(total)
        for item in items:
            self.log.append(f"seen {item}")
            yield item


def test_the_track_sees_each_name_once_as_it_is_taken_up_in_upload_order(
    tmp_path: Path, bucket: str
) -> None:
    """Every file is seen (sent or not), and each write follows the sight of its name,
    so a bar drawn with the track moves with the uploads."""
    folder = build(tmp_path, DECLARATION)
    location = s3.S3Location.parse(f"s3://{bucket}/pe")
    log: list[str] = []
    track = Tracking(log)
    s3.publish(folder, location, client=Recording(log), track=track)
    order = s3.upload_order(s3.read_folder(folder))
    assert log == [line for name in order for line in (f"seen {name}", f"put pe/{name}")]
    assert track.totals == [len(order)]

    build(tmp_path, WITHOUT_OTHER)
    log.clear()
    track = Tracking(log)
    day = dt.date(2026, 12, 2)
    s3.publish(folder, location, client=Recording(log), track=track, today=day)
    assert log == [
        "seen cohort-cohort.ics",  # unchanged: compared, not sent
        "seen programme.ics",
        "seen cohort-other.ics",  # no longer built: emptied
        "put pe/cohort-other.ics",
        "seen feeds.json",
        "put pe/feeds.json",
        "seen grid.svg",
        "put pe/grid.svg",
        "seen index.html",
        "put pe/index.html",
        "seen ledger.jsonl",
    ]
    assert track.totals == [7]  # the 6 files of the folder and the emptied feed

    log.clear()
    later = day + s3.DEFAULT_KEEP_DROPPED
    s3.publish(folder, location, client=Recording(log), track=Tracking(log), today=later)
    assert log[-2:] == ["seen cohort-other.ics", "delete pe/cohort-other.ics"]
    assert [line for line in log if line.startswith("seen ")] == [
        f"seen {name}" for name in [*s3.upload_order(s3.read_folder(folder)), "cohort-other.ics"]
    ]


def publish_cli(
    folder: Path, bucket: str, stderr: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """``pe-schedule publish`` of ``folder`` with ``stderr`` as standard error; what it
    wrote to standard output (a pipe) and to standard error."""
    stdout = Pipe()
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    assert cli.main(["publish", str(folder), "--to", f"s3://{bucket}/pe"]) == 0
    return stdout.getvalue(), stderr.getvalue()


def test_a_publish_draws_a_bar_on_a_terminal_and_its_lines_stay_on_standard_output(
    tmp_path: Path, bucket: str, monkeypatch: pytest.MonkeyPatch, plain_environment: None
) -> None:
    """Drawn however few the files: each is a request that may take a while."""
    folder = build(tmp_path, DECLARATION)
    out, err = publish_cli(folder, bucket, Terminal(), monkeypatch)
    assert f"publishing to s3://{bucket}/pe/" in err
    assert "7/7" in err  # every file of the folder
    assert "\x1b[" in err
    assert "uploaded pe/programme.ics\n" in out
    assert "uploaded" not in err  # a piped standard output keeps its lines
    assert "\x1b" not in out


@pytest.mark.parametrize(
    ("stderr", "variable", "value"),
    [
        pytest.param(Pipe, None, None, id="not-a-terminal"),
        pytest.param(Terminal, "CI", "true", id="ci"),
        pytest.param(Terminal, "NO_COLOR", "1", id="no-color"),
        pytest.param(Terminal, "TERM", "dumb", id="dumb-terminal"),
    ],
)
def test_a_publish_draws_nothing_without_a_terminal_or_in_ci(
    tmp_path: Path,
    bucket: str,
    monkeypatch: pytest.MonkeyPatch,
    plain_environment: None,
    stderr: type[io.StringIO],
    variable: str | None,
    value: str | None,
) -> None:
    folder = build(tmp_path, DECLARATION)
    if variable is not None and value is not None:
        monkeypatch.setenv(variable, value)
    out, err = publish_cli(folder, bucket, stderr(), monkeypatch)
    assert err == ""
    assert "uploaded pe/programme.ics\n" in out
