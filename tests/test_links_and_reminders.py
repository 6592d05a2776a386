"""Links to join a session online, and reminders, from the declaration to the events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pe_schedule import DeclarationError, Event, events, load
from pe_schedule._internal.model.timing import parse_reminder

HEADER = """\
[programme]
id = "demo"
name = "Demo"
first_month = "2023-01"
last_month = "2023-12"
timezone = "America/New_York"
url = "https://example.org/demo"
roster = "demo.roster.toml"
"""

ROSTER = """\
[[groups]]
id = "g1"
name = "Group 1"
kind = "coaching-group"

[[groups]]
id = "g2"
name = "Group 2"
kind = "coaching-group"

[[teams]]
id = "t1"
name = "Team 1"
cohort = "cohort"
timezone = "America/New_York"
coaching_group = "g1"

[[teams]]
id = "t2"
name = "Team 2"
cohort = "cohort"
timezone = "America/New_York"
coaching_group = "g2"
"""

CALL = """
[[cohorts]]
id = "cohort"
name = "Cohort"

[[cohorts.activities]]
id = "call"
name = "Call"
months = [1, 3]
timing = { day = "third Wednesday", start = "13:00", duration = "2h" }
"""

MINUTES_15, DAY = dt.timedelta(minutes=15), dt.timedelta(days=1)


def declare(tmp_path: Path, text: str) -> Path:
    """A declaration of ``text`` with the two-group roster beside it."""
    (tmp_path / "demo.roster.toml").write_text(ROSTER, encoding="utf-8")
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def of(path: Path, activity: str) -> list[Event]:
    return list(events(load(path), activity=activity))


def problems(path: Path) -> list[str]:
    with pytest.raises(DeclarationError) as caught:
        load(path)
    return [str(problem).removeprefix(f"{path}: ") for problem in caught.value.problems]


class TestJoinLinks:
    def test_an_activitys_link_is_its_url_conference_and_location(self, tmp_path: Path) -> None:
        path = declare(tmp_path, HEADER + CALL + 'join = "https://zoom.example/j/1"\n')
        for event in of(path, "call"):
            assert (event.join, event.url) == ("https://zoom.example/j/1",) * 2
            assert event.location == "Zoom: https://zoom.example/j/1"

    def test_each_coaching_group_joins_its_own_call(self, tmp_path: Path) -> None:
        path = declare(
            tmp_path,
            HEADER
            + CALL.split("timing =")[0].replace('"call"', '"coaching"')
            + 'audience = "coaching-group"\njoin = "https://zoom.example/j/all"\n'
            + '[cohorts.activities.timing]\nday = "second Tuesday"\nstart = "12:00"\n'
            + 'duration = "1h"\n'
            + 'sessions.g2 = { join = "https://zoom.example/j/2", start = "15:00" }\n',
        )
        links = {event.target.key: event.join for event in of(path, "coaching")}
        assert links == {"g1": "https://zoom.example/j/all", "g2": "https://zoom.example/j/2"}

    def test_a_month_held_in_person_has_no_link(self, tmp_path: Path) -> None:
        path = declare(
            tmp_path,
            HEADER
            + CALL
            + 'join = "https://zoom.example/j/1"\nin_person = [3]\n'
            + 'in_person_location = "Boston, MA"\n',
        )
        virtual, in_person = of(path, "call")
        assert virtual.join == "https://zoom.example/j/1"
        assert (in_person.join, in_person.url, in_person.location) == (
            None,
            "https://example.org/demo",
            "Boston, MA",
        )

    def test_an_events_own_page_is_its_url(self, tmp_path: Path) -> None:
        event = (
            '\n[[events]]\nid = "report"\nname = "Report due"\ndate = 2023-05-31\n'
            'url = "https://example.org/form"\n'
        )
        (found,) = of(declare(tmp_path, HEADER + CALL + event), "report")
        assert (found.url, found.join, found.location) == ("https://example.org/form", None, "")

    def test_an_event_to_join_online(self, tmp_path: Path) -> None:
        event = (
            '\n[[events]]\nid = "forum"\nname = "Forum meet-up"\ndate = 2023-05-31\n'
            'start = "12:00"\nduration = "1h"\nurl = "https://example.org/forum"\n'
            'join = "https://meet.example/forum"\n'
        )
        (found,) = of(declare(tmp_path, HEADER + CALL + event), "forum")
        assert (found.url, found.join) == ("https://meet.example/forum",) * 2
        assert found.location == "https://meet.example/forum"

    def test_without_links_the_url_is_the_programmes(self, tmp_path: Path) -> None:
        for event in of(declare(tmp_path, HEADER + CALL), "call"):
            assert (event.url, event.join, event.location) == (
                "https://example.org/demo",
                None,
                "Zoom",
            )

    @pytest.mark.parametrize(
        ("where", "line"),
        [
            ("cohorts[0].activities[0].join", 'join = "javascript:alert(1)"\n'),
            (
                "cohorts[0].activities[0].timing.sessions.g1.join",
                "[cohorts.activities.timing.sessions]\ng1 = { join = 'zoom.example/j/1' }\n",
            ),
        ],
    )
    def test_a_link_that_is_no_web_address_is_refused(
        self, tmp_path: Path, where: str, line: str
    ) -> None:
        text = HEADER + CALL + line
        if "sessions" in line:
            text = text.replace(
                'timing = { day = "third Wednesday", start = "13:00", duration = "2h" }\n', ""
            ).replace(
                "[cohorts.activities.timing.sessions]\n",
                '[cohorts.activities.timing]\nday = "third Wednesday"\n'
                "[cohorts.activities.timing.sessions]\n",
            )
        found = problems(declare(tmp_path, text))
        assert len(found) == 1
        assert found[0].startswith(f"{where}: expected a web address starting with 'https://'")


class TestReminders:
    def test_reminders_are_read_like_durations_with_days(self) -> None:
        assert parse_reminder("15m") == MINUTES_15
        assert parse_reminder("1d") == DAY
        assert parse_reminder("1d2h30m") == dt.timedelta(days=1, hours=2, minutes=30)
        assert parse_reminder("0m") == dt.timedelta(0)

    @pytest.mark.parametrize("text", ["", "15", "1w", "29d", "-15m", "15 minutes", "1h1d"])
    def test_what_is_no_reminder_is_refused(self, text: str) -> None:
        with pytest.raises(ValueError, match="reminder"):
            parse_reminder(text)

    def test_programme_defaults_remind_every_activity_and_event(self, tmp_path: Path) -> None:
        defaults = '\n[programme.defaults]\nreminders = ["1d", "15m"]\n'
        event = '\n[[events]]\nid = "report"\nname = "Report due"\ndate = 2023-05-31\n'
        path = declare(tmp_path, HEADER + defaults + CALL + event)
        for activity in ("call", "report"):
            assert {event.alarms for event in of(path, activity)} == {(DAY, MINUTES_15)}

    def test_an_activitys_own_list_replaces_the_defaults(self, tmp_path: Path) -> None:
        defaults = '\n[programme.defaults]\nreminders = ["1d", "15m"]\n'
        path = declare(tmp_path, HEADER + defaults + CALL + 'reminders = ["2h"]\n')
        assert {event.alarms for event in of(path, "call")} == {(dt.timedelta(hours=2),)}

    def test_an_empty_list_means_no_reminders(self, tmp_path: Path) -> None:
        defaults = '\n[programme.defaults]\nreminders = ["1d"]\n'
        path = declare(tmp_path, HEADER + defaults + CALL + "reminders = []\n")
        assert {event.alarms for event in of(path, "call")} == {()}

    def test_a_cohorts_defaults_replace_the_programmes(self, tmp_path: Path) -> None:
        defaults = '\n[programme.defaults]\nreminders = ["1d"]\n'
        cohort = CALL.replace(
            'name = "Cohort"\n', 'name = "Cohort"\n[cohorts.defaults]\nreminders = ["30m"]\n'
        )
        path = declare(tmp_path, HEADER + defaults + cohort)
        assert {event.alarms for event in of(path, "call")} == {(dt.timedelta(minutes=30),)}

    def test_without_reminders_there_are_none(self, tmp_path: Path) -> None:
        assert {event.alarms for event in of(declare(tmp_path, HEADER + CALL), "call")} == {()}

    def test_a_cancelled_occurrence_reminds_nobody(self, tmp_path: Path) -> None:
        cancel = "[[cohorts.activities.timing.overrides]]\nmonth = 3\ncancelled = true\n"
        text = (
            HEADER
            + CALL.split("timing =")[0]
            + 'reminders = ["1d"]\n[cohorts.activities.timing]\nday = "third Wednesday"\n'
            + cancel
        )
        held, cancelled = of(declare(tmp_path, text), "call")
        assert (held.alarms, cancelled.alarms) == ((DAY,), ())

    def test_each_bad_reminder_is_reported_where_it_is(self, tmp_path: Path) -> None:
        defaults = '\n[programme.defaults]\nreminders = ["soon"]\n'
        text = HEADER + defaults + CALL + 'reminders = ["15m", 15, "15m"]\n'
        assert problems(declare(tmp_path, text)) == [
            (
                "programme.defaults.reminders[0]: expected a reminder such as '15m', '2h' or '1d' "
                "(at most 4 weeks), got 'soon'"
            ),
            (
                "cohorts[0].activities[0].reminders[1]: expected a reminder such as '15m', '2h' "
                "or '1d' (at most 4 weeks), got 15"
            ),
            (
                "cohorts[0].activities[0].reminders[2]: expected a reminder not listed before, "
                "got '15m', the same as cohorts[0].activities[0].reminders[0]"
            ),
        ]
