"""The examples run as documented."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import icalendar

import pe_schedule

ROOT = Path(__file__).parent.parent
DECLARATION = ROOT / "calendars" / "pursuing-equity-2023-2024.toml"


def test_team_feed_writes_the_teams_events(tmp_path: Path) -> None:
    """examples/team_feed.py writes a feed holding exactly the team's events."""
    output = tmp_path / "team.ics"
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "team_feed.py"), "ac-03", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    programme = pe_schedule.load(DECLARATION)
    wanted = {event.uid for event in pe_schedule.events(programme, team="ac-03")}
    calendar = icalendar.Calendar.from_ical(output.read_bytes())
    assert {str(event["UID"]) for event in calendar.events} == wanted
    assert f"{len(wanted)} events" in run.stdout


def test_team_feed_reports_an_unknown_team(tmp_path: Path) -> None:
    """An unknown team is a one-line error and exit 2, and no file is written."""
    output = tmp_path / "team.ics"
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "team_feed.py"), "no-such-team", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stderr.startswith("error: ")) == (2, True)
    assert "Traceback" not in run.stderr
    assert not output.exists()


def test_the_sample_roster_is_what_its_generator_writes() -> None:
    """examples/make_sample_roster.py regenerates the committed sample roster byte for byte."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "make_sample_roster.py")],
        capture_output=True,
        check=True,
    )
    committed = ROOT / "calendars" / "pursuing-equity-2023-2024.roster.toml"
    assert run.stdout == committed.read_bytes()


def test_the_small_roster_fits_the_reference_programme(tmp_path: Path) -> None:
    """examples/small.roster.toml loads as the reference declaration's roster, every key read."""
    example = ROOT / "examples" / "small.roster.toml"
    text = DECLARATION.read_text(encoding="utf-8").replace(
        'roster = "pursuing-equity-2023-2024.roster.toml"', f"roster = {example.name!r}"
    )
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    (tmp_path / example.name).write_bytes(example.read_bytes())
    programme = pe_schedule.load(tmp_path / "p.toml", solved=False)
    roster = programme.roster
    assert roster is not None
    assert [team.id for team in roster.teams] == ["ln-01", "ac-01"]
    kinds = pe_schedule.AudienceKind
    assert {group.kind for group in roster.groups} == {kinds.COACHING_GROUP, kinds.AFFINITY_GROUP}
    assert {person.role for person in roster.people} == set(pe_schedule.Role)
    assert {member.role for member in roster.staff} == set(pe_schedule.StaffRole)
    amara = roster.staff[0]
    assert (str(amara.working_hours), amara.working_days, len(amara.blackout)) == (
        "10:00-18:00",
        frozenset({0, 1, 2}),
        2,
    )
    assert (amara.only, amara.assigned) == (("ln-coaching-1", "ac-01"), ("ac-01",))


def test_links_and_reminders_reach_the_feeds(tmp_path: Path) -> None:
    """examples/links-and-reminders/ builds feeds in which each coaching group joins its
    own call (URL, CONFERENCE, LOCATION) and the reminders are VALARMs."""
    declaration = ROOT / "examples" / "links-and-reminders" / "coaching-circle.toml"
    pe_schedule.build_feeds(pe_schedule.load(declaration), tmp_path)
    seen: dict[str, icalendar.Event] = {}
    for feed in tmp_path.glob("*.ics"):
        for vevent in icalendar.Calendar.from_ical(feed.read_bytes()).events:
            seen[str(vevent["UID"])] = vevent

    def one(activity: str, audience: str, month: str) -> icalendar.Event:
        return seen[f"coaching-circle-2025/circle/{activity}/{audience}/{month}@pe-schedule"]

    def reminders(vevent: icalendar.Event) -> list[dt.timedelta]:
        return [alarm.decoded("TRIGGER") for alarm in vevent.walk("VALARM")]

    south = one("group-coaching", "coaching-group-circle-group-2", "2025-02")
    link = "https://zoom.example/j/82000000002?pwd=south"
    assert str(south["URL"]) == link
    assert (str(south["CONFERENCE"]), dict(south["CONFERENCE"].params)) == (
        link,
        {"FEATURE": "VIDEO", "LABEL": "Join", "VALUE": "URI"},
    )
    assert str(south["LOCATION"]) == f"Zoom: {link}"
    assert reminders(south) == [-dt.timedelta(days=1), -dt.timedelta(minutes=15)]
    north = one("group-coaching", "coaching-group-circle-group-1", "2025-02")
    assert str(north["CONFERENCE"]) == "https://zoom.example/j/82000000001?pwd=north"

    in_person = one("all-team", "cohort", "2025-05")
    assert "CONFERENCE" not in in_person
    assert str(in_person["URL"]) == "https://example.org/coaching-circle"
    assert str(in_person["LOCATION"]) == "Boston, MA"

    assert reminders(one("office-hours", "cohort", "2025-01")) == []
    report = seen["coaching-circle-2025/circle/progress-report/cohort/2025-03@pe-schedule"]
    assert str(report["URL"]) == "https://example.org/coaching-circle/report"
    assert "CONFERENCE" not in report
    assert reminders(report) == [-dt.timedelta(days=2)]
