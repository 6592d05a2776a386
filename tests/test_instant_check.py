"""``build --check`` answers from the manifest's stamp when nothing that feeds the build changed.

Whether the quick answer was given is seen without timing: expansion is
counted (or made to fail), and the quick path never expands.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pe_schedule._internal import stamp
from pe_schedule._internal.publish import files
from pe_schedule._internal.schedule import expand
from pe_schedule.cli import main

CALENDARS = Path(__file__).parent.parent / "calendars"
NAME = "pursuing-equity-2023-2024"
KEY = "a-feed-key-long-enough-to-be-accepted-0123456789"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference declaration, roster and solved schedule, built once into a folder."""
    place = tmp_path_factory.mktemp("built")
    for path in CALENDARS.glob(f"{NAME}*.toml"):
        shutil.copy(path, place / path.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PE_SCHEDULE_FEED_KEY", raising=False)
        patch.chdir(place)
        assert main(["build", str(place / f"{NAME}.toml")]) == 0
    return place


@pytest.fixture
def place(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built folder and its inputs, as the working directory."""
    copy = tmp_path / "place"
    shutil.copytree(built, copy)
    monkeypatch.delenv("PE_SCHEDULE_FEED_KEY", raising=False)
    monkeypatch.chdir(copy)
    return copy


@pytest.fixture
def expansions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each programme expanded from now on (only the full way expands)."""
    seen: list[str] = []
    original = expand.events

    def counted(programme: object, *args: object, **kwargs: object) -> object:
        seen.append(str(getattr(programme, "id", "")))
        return original(programme, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(expand, "events", counted)
    return seen


def check(place: Path, *extra: str) -> int:
    return main(["build", str(place / f"{NAME}.toml"), "--check", *extra])


def test_nothing_changed_answers_without_expanding(
    place: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("expanded: the quick path was not taken")

    monkeypatch.setattr(expand, "events", fail)
    capsys.readouterr()
    assert check(place) == 0
    captured = capsys.readouterr()
    assert captured.out == f"{place / NAME}: up to date (69 feeds)\n"
    assert "notice: personal feeds skipped for 241 people" in captured.err


def test_quick_answer_says_what_the_full_comparison_says(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert check(place) == 0
    quick = capsys.readouterr()
    manifest = place / NAME / files.MANIFEST_NAME
    document = json.loads(manifest.read_text())
    del document["stamp"]
    manifest.write_text(json.dumps(document) + "\n")
    assert check(place) == 0
    assert capsys.readouterr() == quick


def test_a_hand_edited_feed_is_caught(
    place: Path, expansions: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    feed = place / NAME / "programme.ics"
    feed.write_bytes(feed.read_bytes().replace(b"SUMMARY:", b"SUMMARY:Edited ", 1))
    capsys.readouterr()
    assert check(place) == 1
    out = capsys.readouterr().out
    assert f"{place / NAME}: different: programme.ics\n" in out
    assert "out of date" in out
    assert expansions


@pytest.mark.parametrize(
    "suffix", [".toml", ".roster.toml", ".solved.toml"], ids=["declaration", "roster", "solved"]
)
def test_a_changed_input_goes_the_full_way(
    place: Path, suffix: str, expansions: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = place / f"{NAME}{suffix}"
    # A comment: the feeds stay the same, so only the way the answer came changes.
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert check(place) == 0
    assert expansions == [NAME]
    assert "up to date (69 feeds)" in capsys.readouterr().out


def test_a_solved_schedule_removed_or_added_goes_the_full_way(
    place: Path, expansions: list[str]
) -> None:
    solved = place / f"{NAME}.solved.toml"
    kept = solved.read_bytes()
    solved.unlink()
    check(place)
    assert expansions == [NAME]
    assert main(["build", str(place / f"{NAME}.toml")]) == 0
    expansions.clear()
    assert check(place) == 0
    assert expansions == []  # the stamp records the solved schedule as absent
    solved.write_bytes(kept)
    check(place)
    assert expansions == [NAME]


def test_another_library_version_goes_the_full_way(
    place: Path, monkeypatch: pytest.MonkeyPatch, expansions: list[str]
) -> None:
    versions = {**stamp.output_versions(), "tzdata": "1999.1"}
    monkeypatch.setattr(stamp, "output_versions", lambda: versions)
    assert check(place) == 0  # the same bytes, found by comparing them
    assert expansions == [NAME]


def test_changed_library_code_goes_the_full_way(
    place: Path, monkeypatch: pytest.MonkeyPatch, expansions: list[str]
) -> None:
    """A development checkout whose code changed without a new version is not vouched for."""
    monkeypatch.setattr(stamp, "library_digest", lambda: "edited code")
    assert check(place) == 0  # the same bytes, found by comparing them
    assert expansions == [NAME]


def test_the_library_digest_follows_the_code() -> None:
    stamp.library_digest.cache_clear()
    first = stamp.library_digest()
    stamp.library_digest.cache_clear()
    assert stamp.library_digest() == first
    assert len(first) == 64


def test_another_base_url_goes_the_full_way(
    place: Path, expansions: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert check(place, "--base-url", "https://example.org/feeds/") == 1
    assert "different: index.html" in capsys.readouterr().out
    assert expansions == [NAME]


def test_a_feed_key_goes_the_full_way(
    place: Path, monkeypatch: pytest.MonkeyPatch, expansions: list[str]
) -> None:
    monkeypatch.setenv("PE_SCHEDULE_FEED_KEY", KEY)
    assert check(place) == 1  # the personal feeds are missing
    assert expansions == [NAME]


def test_a_removed_feed_goes_the_full_way(
    place: Path, expansions: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    (place / NAME / "programme.ics").unlink()
    capsys.readouterr()
    assert check(place) == 1
    assert "missing: programme.ics" in capsys.readouterr().out
    assert expansions == [NAME]


def test_an_added_feed_goes_the_full_way(place: Path, expansions: list[str]) -> None:
    (place / NAME / "holidays.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert check(place) == 0  # the user's own file: the full comparison leaves it alone
    assert expansions == [NAME]


def test_an_old_manifest_goes_the_full_way(place: Path, expansions: list[str]) -> None:
    folder = place / NAME
    manifest = folder / files.MANIFEST_NAME
    names = files.owned(folder)
    manifest.write_bytes(files.manifest_bytes(names, files.built_with(folder)))
    assert check(place) == 0
    assert expansions == [NAME]


def test_the_stamp_keeps_the_manifest_readable_and_the_key_secret(
    place: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = place / NAME
    before = files.owned(folder)
    monkeypatch.setenv("PE_SCHEDULE_FEED_KEY", KEY)
    assert main(["build", str(place / f"{NAME}.toml")]) == 0
    text = (folder / files.MANIFEST_NAME).read_text()
    assert KEY not in text
    assert before < files.owned(folder)  # the personal feeds joined the listed files
    assert files.built_with(folder) == stamp.output_versions()
    assert check(place) == 0


def test_a_repair_goes_the_full_way(place: Path, expansions: list[str]) -> None:
    assert check(place, "--repair-ledger") == 0
    assert expansions == [NAME]
