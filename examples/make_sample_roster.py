"""Write the SAMPLE roster of the reference programme: invented teams and people.

Run once from the repository root; the TOML it writes is committed, and this
script only documents how it was made:

    .venv/bin/python examples/make_sample_roster.py > calendars/pursuing-equity-2023-2024.roster.toml

Every name is invented by combining the word lists below; no real person or
organisation is meant. The output is the same on every run.
"""

from __future__ import annotations

import itertools
import sys

PLACES = [
    "Riverside",
    "Cedar Valley",
    "Harbor",
    "Lakeshore",
    "Mesa Verde",
    "Prairie",
    "Summit",
    "Bayview",
    "Pinecrest",
    "Red Rock",
    "Willow Creek",
    "Northgate",
    "Sandhill",
    "Bluewater",
    "Oak Hollow",
    "Sierra",
    "Granite",
    "Magnolia",
    "Eastbrook",
    "Copper Canyon",
]
KINDS = ["Community Health", "Medical Center", "Family Clinic", "Health Partners", "Hospital"]
FIRST = [
    "Ada",
    "Ben",
    "Carmen",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Imani",
    "Jonah",
    "Keiko",
    "Luis",
    "Maya",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Reyes",
    "Patel",
    "Nakamura",
    "Haddad",
    "Brennan",
    "Moreau",
    "Osei",
    "Kowalski",
    "Tanaka",
    "Alvarez",
    "Begay",
    "Duarte",
    "Fischer",
    "Goldberg",
    "Ibarra",
    "Jensen",
    "Kim",
    "Mbeki",
    "Nguyen",
    "Oyelaran",
    "Park",
    "Quispe",
    "Santos",
    "Whitehorse",
    "Yazzie",
]
ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Detroit",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Indiana/Indianapolis",
    "America/Boise",
]
AFFINITY = ["people-of-colour", "white"]
# What the scheduler groups Learning Network teams by ("regional distribution,
# population, and organization type and size", in the source's words).
REGIONS = {
    "America/New_York": "Northeast",
    "America/Detroit": "Midwest",
    "America/Indiana/Indianapolis": "Midwest",
    "America/Chicago": "Midwest",
    "America/Denver": "Mountain",
    "America/Boise": "Mountain",
    "America/Phoenix": "Southwest",
    "America/Los_Angeles": "West Coast",
    "America/Anchorage": "Alaska and Hawaii",
    "Pacific/Honolulu": "Alaska and Hawaii",
}
POPULATIONS = ["urban", "rural", "suburban"]
ORGANISATIONS = {
    "Community Health": "community health centre",
    "Medical Center": "academic medical centre",
    "Family Clinic": "clinic",
    "Health Partners": "health system",
    "Hospital": "hospital",
}
SIZES = ["small", "medium", "large", "medium"]
# Invented coaches: who leads the Learning Network's group coaching and the
# Action Community's 1:1 coaching, and when they work.
STAFF = """\
[[staff]]
id = "coach-amara-lewis"
name = "Amara Lewis"
timezone = "America/New_York"
working_days = ["Monday", "Tuesday", "Wednesday", "Thursday"]
max_per_day = 3
leads = ["learning-network/group-coaching", "action-community/one-to-one-coaching"]
# The programme office paired her with this team at its interview.
assigned = ["ac-01"]

[[staff]]
id = "coach-diego-ramirez"
name = "Diego Ramirez"
timezone = "America/Chicago"
working_days = ["Tuesday", "Wednesday", "Thursday", "Friday"]
max_per_day = 2
# Away at a conference on the second Tuesday of February 2024.
blackout = [2024-02-13]
leads = ["learning-network/group-coaching"]

[[staff]]
id = "coach-grace-holloway"
name = "Grace Holloway"
timezone = "America/Denver"
max_per_day = 3
leads = ["learning-network/group-coaching", "action-community/one-to-one-coaching"]

[[staff]]
id = "coach-kai-nakoa"
name = "Kai Nakoa"
timezone = "America/Los_Angeles"
working_hours = "08:00-16:00"
max_per_day = 3
leads = ["learning-network/group-coaching", "action-community/one-to-one-coaching"]

"""


def slug(text: str) -> str:
    return "-".join(text.lower().replace(".", "").split())


def _attributes(index: int, name: str, zone: str) -> str:
    kind = next(ORGANISATIONS[kind] for kind in ORGANISATIONS if name.endswith(kind))
    pairs = {
        "region": REGIONS[zone],
        "population": POPULATIONS[index % len(POPULATIONS)],
        "organisation": kind,
        "size": SIZES[(index * 5) % len(SIZES)],
    }
    inner = ", ".join(f'{key} = "{value}"' for key, value in pairs.items())
    return f"attributes = {{ {inner} }}\n"


def main() -> None:
    out = sys.stdout
    out.write(
        "# SAMPLE DATA: the roster of the reference programme, Pursuing Equity 2023-2024.\n"
        "# Every team and person here is INVENTED (made by examples/make_sample_roster.py);\n"
        "# it exists to show how a roster drives per-team and per-group sessions.\n"
        "#\n"
        "# Learning Network: 40 teams, with the attributes `pe-schedule solve` forms\n"
        "# their coaching groups by (the groups are in the solved schedule).\n"
        "# Action Community: 10 teams; every participant joins one of the two Racial\n"
        "# Justice Affinity Groups, and each team names a senior leader and an alternate.\n"
        "# Four invented coaches lead group coaching and 1:1 coaching.\n\n"
        'programme = "pursuing-equity-2023-2024"\n'
        "# Everyone's working day on their own wall clock, unless their entry says otherwise.\n"
        'working_hours = "09:00-17:00"\n\n'
    )
    out.write(STAFF)
    out.write(
        '[[groups]]\nid = "people-of-colour"\nname = "People of colour"\nkind = "affinity-group"\n\n'
        '[[groups]]\nid = "white"\nname = "White participants"\nkind = "affinity-group"\n\n'
    )
    names = itertools.cycle(itertools.product(FIRST, LAST))
    # Skip along the cycle so neighbouring people do not share a first name.
    organisations = [f"{place} {kind}" for kind in KINDS for place in PLACES]
    sizes = [3, 4, 5, 6, 7, 4, 5]
    teams = [("learning-network", f"ln-{n:02d}") for n in range(1, 41)]
    teams += [("action-community", f"ac-{n:02d}") for n in range(1, 11)]
    for index, (cohort, team_id) in enumerate(teams):
        name = organisations[(index * 7) % len(organisations)]
        zone = ZONES[(index * 3) % len(ZONES)]
        out.write(
            f'[[teams]]\nid = "{team_id}"\nname = "{name}"\ncohort = "{cohort}"\n'
            f'timezone = "{zone}"\n'
        )
        if team_id == "ac-10":
            out.write(
                "# Starts early so that its mainland calls fall in its working day.\n"
                'working_hours = "07:00-15:00"\n'
            )
        out.write(_attributes(index, name, zone) + "\n")
        for seat in range(sizes[index % len(sizes)]):
            first, last = next(names)
            for _ in range(6):
                next(names)
            role = {0: "senior-leader", 1: "alternate-senior-leader"}.get(seat, "member")
            out.write(
                f'[[teams.people]]\nid = "{team_id}-{slug(first)}-{slug(last)}"\n'
                f'name = "{first} {last}"\nrole = "{role}"\n'
            )
            if cohort == "action-community":
                out.write(f'affinity_group = "{AFFINITY[(index + seat) % 2]}"\n')
            out.write("\n")


if __name__ == "__main__":
    main()
