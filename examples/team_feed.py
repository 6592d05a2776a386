"""Write one team's calendar, and print its next sessions, with pe_schedule as a library.

    .venv/bin/python examples/team_feed.py ln-01 team-ln-01.ics

The same few calls serve any audience: pass ``person=``, ``cohort=`` or
``activity=`` to :func:`pe_schedule.events` instead of ``team=``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pe_schedule

DECLARATION = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"


def main(argv: list[str]) -> int:
    """Write the feed of the team named in ``argv`` and list its first events."""
    if len(argv) != 2:
        sys.stderr.write("usage: team_feed.py TEAM-ID OUTPUT.ics\n")
        return 2
    team, output = argv
    try:
        programme = pe_schedule.load(DECLARATION)
        events = pe_schedule.events(programme, team=team)
    except pe_schedule.PeScheduleError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    name = programme.roster.team(team).name if programme.roster else team
    data = pe_schedule.feed_ics(programme, events, title=f"{programme.name}: {name}")
    Path(output).write_bytes(data)
    sys.stdout.write(f"{output}: {len(events)} events for {name}\n")
    for event in events[:5]:
        sys.stdout.write(f"  {event.span.start:%a %d %b %Y}  {event.summary}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
