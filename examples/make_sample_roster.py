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


def slug(text: str) -> str:
    return "-".join(text.lower().replace(".", "").split())


def main() -> None:
    out = sys.stdout
    out.write(
        "# SAMPLE DATA: the roster of the reference programme, Pursuing Equity 2023-2024.\n"
        "# Every team and person here is INVENTED (made by examples/make_sample_roster.py);\n"
        "# it exists to show how a roster drives per-team and per-group sessions.\n"
        "#\n"
        "# Learning Network: 40 teams in 9 coaching groups of 4-5 teams each.\n"
        "# Action Community: 10 teams; every participant joins one of the two Racial\n"
        "# Justice Affinity Groups, and each team names a senior leader and an alternate.\n\n"
        'programme = "pursuing-equity-2023-2024"\n\n'
    )
    for number in range(1, 10):
        out.write(
            f'[[groups]]\nid = "ln-coaching-{number}"\nname = "Coaching group {number}"\n'
            'kind = "coaching-group"\n\n'
        )
    out.write(
        '[[groups]]\nid = "people-of-colour"\nname = "People of colour"\nkind = "affinity-group"\n\n'
        '[[groups]]\nid = "white"\nname = "White participants"\nkind = "affinity-group"\n\n'
    )
    names = itertools.cycle(itertools.product(FIRST, LAST))
    # Skip along the cycle so neighbouring people do not share a first name.
    organisations = [f"{place} {kind}" for kind in KINDS for place in PLACES]
    sizes = [3, 4, 5, 6, 7, 4, 5]
    group_sizes = [5, 5, 5, 5, 4, 4, 4, 4, 4]
    groups = [g for g, size in enumerate(group_sizes, start=1) for _ in range(size)]
    teams: list[tuple[str, str, int | None]] = [
        ("learning-network", f"ln-{n:02d}", groups[n - 1]) for n in range(1, 41)
    ]
    teams += [("action-community", f"ac-{n:02d}", None) for n in range(1, 11)]
    for index, (cohort, team_id, group) in enumerate(teams):
        name = organisations[(index * 7) % len(organisations)]
        out.write(
            f'[[teams]]\nid = "{team_id}"\nname = "{name}"\ncohort = "{cohort}"\n'
            + (f'coaching_group = "ln-coaching-{group}"\n' if group else "")
            + f'timezone = "{ZONES[(index * 3) % len(ZONES)]}"\n\n'
        )
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
