"""`pe-schedule links`: each person's own feed address, for a mail merge."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pe_schedule import AudienceKind, load
from pe_schedule._internal.publish.feeds import plan
from pe_schedule._internal.render.links import personal_links
from pe_schedule._internal.schedule.expand import events
from pe_schedule.cli import main
from pe_schedule.exceptions import PeScheduleError

REFERENCE = Path(__file__).resolve().parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"
KEY = "a key that is long enough for feeds"
BASE = "https://calendars.example.org/pe"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_person_with_the_address_of_the_feed_the_build_writes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each person's https address is the feed a build with the same key writes for them
    (and only them), with the webcal and Google Calendar forms beside it."""
    monkeypatch.setenv("PE_SCHEDULE_FEED_KEY", KEY)
    assert main(["links", str(REFERENCE), "--base-url", BASE + "/"]) == 0
    rows = _rows(capsys.readouterr().out)
    programme = load(REFERENCE)
    assert programme.roster is not None
    assert [row["person"] for row in rows] == [person.id for person in programme.roster.people]
    personal = [
        feed.file
        for feed in plan(programme, events(programme), programme.roster, key=KEY.encode()).feeds
        if feed.kind is AudienceKind.PERSON
    ]
    assert sorted(row["https"].removeprefix(BASE + "/") for row in rows) == sorted(personal)
    first = rows[0]
    assert first["webcal"] == "webcal:" + first["https"].removeprefix("https:")
    assert first["google"].startswith("https://calendar.google.com/calendar/r?cid=webcal%3A")
    teams = {team.id: team.name for team in programme.roster.teams}
    assert all(teams[row["team"]] == row["team_name"] for row in rows)


def test_written_to_a_file_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PE_SCHEDULE_FEED_KEY", KEY)
    target = tmp_path / "links.csv"
    assert main(["links", str(REFERENCE), "--base-url", BASE, "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert len(_rows(target.read_text(encoding="utf-8"))) == 241


@pytest.mark.parametrize(
    ("key", "base", "message"),
    [
        (None, BASE, "expected a feed key for personal feed names, got none"),
        (KEY, "calendars.example.org/pe", "--base-url: expected an absolute https address"),
        (KEY, "ftp://calendars.example.org/pe", "--base-url: expected an absolute https address"),
        (KEY, "http://calendars.example.org/pe", "pass --allow-http to publish over plain http"),
    ],
)
def test_without_a_key_or_an_absolute_https_address_exit_2(
    key: str | None,
    base: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no key file here
    if key is None:
        monkeypatch.delenv("PE_SCHEDULE_FEED_KEY", raising=False)
    else:
        monkeypatch.setenv("PE_SCHEDULE_FEED_KEY", key)
    assert main(["links", str(REFERENCE), "--base-url", base]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_plain_http_only_with_allow_http_and_then_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As for ``build --base-url``: the links mailed out are the ones the page shows."""
    monkeypatch.setenv("PE_SCHEDULE_FEED_KEY", KEY)
    http = BASE.replace("https:", "http:")
    assert main(["links", str(REFERENCE), "--base-url", http, "--allow-http"]) == 0
    captured = capsys.readouterr()
    rows = _rows(captured.out)
    assert len(rows) == 241
    assert all(row["https"].startswith(http + "/") for row in rows)
    assert f"warning: --base-url {http} is plain http" in captured.err


def test_an_https_address_is_not_warned_about(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PE_SCHEDULE_FEED_KEY", KEY)
    assert main(["links", str(REFERENCE), "--base-url", BASE, "--allow-http"]) == 0
    assert capsys.readouterr().err == ""


def test_the_library_refuses_plain_http_unless_allowed() -> None:
    programme = load(REFERENCE)
    http = BASE.replace("https:", "http:")
    with pytest.raises(PeScheduleError, match="--allow-http"):
        personal_links(programme, KEY.encode(), http)
    assert http + "/" in personal_links(programme, KEY.encode(), http, allow_http=True)
