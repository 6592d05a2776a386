"""JSON Schemas of the declaration and roster formats, for editors.

TOML editors (taplo, Even Better TOML) complete and check a file against a
JSON Schema. The schema states the shape of a declaration: its keys, their
types, the month forms, the rule kinds. What only the whole file can tell (a
month outside the window, a rule naming a missing activity, a reversed window)
is left to :func:`pe_schedule.load`.

The roster schema is built from the roster reader's own key lists and the
model's enums (roles, staff roles, group kinds, weekdays), so a key or a role
the reader learns is in the schema too, or building the schema fails. What
only the whole roster can tell (a group id no group has, an id used twice,
working hours that end before they start) is left to
:func:`pe_schedule.load_roster`.

The schema is built from small named parts under ``$defs`` so that new parts
of the format can be added beside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pe_schedule._internal.declaration.grouping import MAX_PREFIX_LENGTH
from pe_schedule._internal.declaration.roster import (
    GROUP_KEYS,
    PERSON_KEYS,
    ROSTER_KEYS,
    STAFF_KEYS,
    TEAM_KEYS,
)
from pe_schedule._internal.declaration.source import MAX_SLUG_LENGTH
from pe_schedule._internal.model.activity import DEFAULT_LOCATION
from pe_schedule._internal.model.audience import DECLARABLE, GROUP_KINDS, AudienceKind
from pe_schedule._internal.model.availability import NINE_TO_FIVE, WEEKDAYS
from pe_schedule._internal.model.roster import Role, StaffRole
from pe_schedule._internal.model.rule import ACTIVITY_KEY, Operand, Rule, RuleKey
from pe_schedule._internal.model.timing import weekday_name
from pe_schedule._internal.rules import RULE_KINDS

#: The JSON Schema dialect the schema is written in.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _text(description: str) -> Schema:
    return {"type": "string", "minLength": 1, "description": description}


def _closed(
    description: str, properties: dict[str, Schema], required: tuple[str, ...] = ()
) -> Schema:
    """An object with exactly ``properties``, as every table of a declaration is."""
    schema: Schema = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return schema


def _slug() -> Schema:
    return {
        "type": "string",
        "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
        "maxLength": MAX_SLUG_LENGTH,
        "description": "An id: lowercase letters, digits and single hyphens, like 'all-team'.",
    }


def _activity_ref() -> Schema:
    return {
        "type": "string",
        "pattern": "^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$",
        "description": "An activity of any cohort, as 'cohort/activity'.",
    }


def _shared_cohorts() -> Schema:
    return {
        "type": "array",
        "items": _ref("slug"),
        "minItems": 2,
        "uniqueItems": True,
        "description": "The cohorts that share it: one event per occurrence for them all.",
    }


def _year_month() -> Schema:
    return {
        "type": "string",
        "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
        "description": "A calendar month written 'YYYY-MM'.",
        "examples": ["2023-03"],
    }


def _programme_month() -> Schema:
    return {
        "type": "integer",
        "minimum": 1,
        "description": "A programme month number: 1 is the programme's first_month.",
    }


def _month() -> Schema:
    return {
        "description": "A month: 'YYYY-MM' or a programme month number (1 is first_month).",
        "anyOf": [_ref("yearMonth"), _ref("programmeMonth")],
    }


def _month_list() -> Schema:
    return {
        "type": "array",
        "description": "The months, each once.",
        "items": _ref("month"),
        "uniqueItems": True,
    }


def _cadence() -> Schema:
    return _closed(
        "Every `every` months from `from` to `to`, minus `except`, plus `also`.",
        {
            "every": {
                "type": "integer",
                "minimum": 1,
                "description": "The step in months: 1 is monthly, 2 every other month.",
            },
            "from": {
                **_ref("month"),
                "description": "The first month of the cadence (default: first_month).",
            },
            "to": {
                **_ref("month"),
                "description": "The last month the cadence may reach (default: last_month).",
            },
            "except": {
                **_ref("monthList"),
                "description": "Months the cadence gives that the activity skips.",
            },
            "also": {
                **_ref("monthList"),
                "description": "Months outside the cadence that the activity also has.",
            },
        },
        required=("every",),
    )


def _months() -> Schema:
    return {
        "description": "Which months the activity happens in: a list of months or a cadence.",
        "anyOf": [{**_ref("monthList"), "minItems": 1}, _ref("cadence")],
        "examples": [{"every": 2, "from": 1, "to": 17}, ["2023-02"]],
    }


def _audience() -> Schema:
    return {
        "type": "string",
        "enum": [kind.value for kind in DECLARABLE],
        "default": AudienceKind.COHORT.value,
        "description": "Who one occurrence is for: the whole cohort (default), each team, "
        "each coaching group, each affinity group, or the senior leaders.",
    }


def _timezone() -> Schema:
    return {
        "type": "string",
        "minLength": 1,
        "description": "The programme's IANA time zone.",
        "examples": ["America/New_York", "America/Chicago", "Europe/London"],
    }


def _toml_date(description: str) -> Schema:
    # TOML dates are no JSON type: a TOML-aware editor sees a date, a JSON
    # validator fed Python's tomllib output sees a date object. Excluding the
    # JSON types a date can never be accepts both.
    return {
        "not": {"type": ["object", "array", "boolean", "number", "null"]},
        "description": description,
    }


def _timing_fields() -> dict[str, Schema]:
    return {
        "day": {
            "oneOf": [
                {
                    "type": "string",
                    "pattern": "^(?i:(first|second|third|fourth|fifth|last|[1-5](st|nd|rd|th)) "
                    "(monday|tuesday|wednesday|thursday|friday|saturday|sunday))$",
                },
                {"type": "integer", "minimum": 1, "maximum": 31},
            ],
            "description": "When in the month: 'third Wednesday', 'last Tuesday' or a day 1-31.",
            "examples": ["third Wednesday", "last Tuesday", 15],
        },
        "days": {
            "type": "integer",
            "minimum": 1,
            "maximum": 14,
            "description": "How many consecutive days one occurrence spans.",
        },
        "start": {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "description": "Wall-clock start, 24-hour 'HH:MM'; without it the event is all-day.",
        },
        "duration": {
            "type": "string",
            "pattern": "^([0-9]{1,3}h)?([0-9]{1,4}m)?$",
            "minLength": 2,
            "description": "How long each day's session lasts: '2h', '90m', '1h30m' (at most 24h).",
        },
        "timezone": {**_ref("timezone"), "description": "The IANA zone of the start time."},
        "holidays": {
            "enum": ["flag", "accept", "shift"],
            "default": "flag",
            "description": "On a holiday of the programme's calendar (US federal unless "
            "[programme].holidays names another) or a declared blackout date: report it, "
            "keep it, or shift it to the next date the day rule allows in the month.",
        },
    }


def _join() -> Schema:
    return {
        "type": "string",
        "pattern": "^https?://[^\\s]*$",
        "description": "The link to join online (a video call): written as the event's URL, "
        "its RFC 7986 CONFERENCE and after its location ('Zoom: https://...'); "
        "not in months held in person.",
        "examples": ["https://zoom.us/j/81234567890"],
    }


def _reminders() -> Schema:
    return {
        "type": "array",
        "items": {
            "type": "string",
            "pattern": "^([0-9]{1,2}d)?([0-9]{1,3}h)?([0-9]{1,5}m)?$",
            "minLength": 2,
        },
        "uniqueItems": True,
        "description": "Reminders (VALARM), as how long before the start each fires: "
        "'15m', '2h', '1d' (at most 4 weeks); replaces the defaults' list, [] for none.",
        "examples": [["1d", "15m"], []],
    }


def _timing() -> Schema:
    fields = _timing_fields()
    override = _closed(
        "A change to one month: moved (date or day), retimed, or cancelled.",
        {
            "month": _ref("month"),
            "session": _text("Only this parallel session (a team or group id)."),
            "date": _toml_date("Moved to this date."),
            "day": fields["day"],
            "start": fields["start"],
            "duration": fields["duration"],
            "cancelled": {"type": "boolean"},
        },
        required=("month",),
    )
    session = _closed(
        "The slot of one parallel session, and its own link to join.",
        {
            **{key: fields[key] for key in ("day", "start", "duration", "timezone")},
            "join": {**_join(), "description": "This session's own link to join online."},
        },
    )
    return _closed(
        "When in each of its months the activity happens.",
        {
            **fields,
            "all_day": {
                "type": "boolean",
                "description": "All-day even if the defaults give a start time.",
            },
            "sessions": {
                "type": "object",
                "additionalProperties": session,
                "description": "Per-session slots, keyed by team or group id from the roster.",
            },
            "overrides": {"type": "array", "items": override},
        },
    )


def _listed(item: Schema, what: str) -> Schema:
    """A non-empty array of ``item``, each once: values for ``solve`` to choose from."""
    return {
        "type": "array",
        "items": item,
        "minItems": 1,
        "uniqueItems": True,
        "description": f"The {what} pe-schedule solve chooses from.",
    }


def _start_window() -> Schema:
    time = {"type": "string", "pattern": _timing_fields()["start"]["pattern"]}
    return _closed(
        "Start times to choose from: every `every` from `from` to `to` (the latest start).",
        {
            "from": {**time, "description": "The earliest start, 'HH:MM'."},
            "to": {**time, "description": "The latest start, 'HH:MM' (at or after from)."},
            "every": {
                **_timing_fields()["duration"],
                "default": "30m",
                "description": "How far apart the start times are: '30m', '1h'.",
            },
        },
        required=("from", "to"),
    )


def _activity_timing() -> Schema:
    """An activity's timing: as any timing, but ``day`` and ``start`` may list choices."""
    fields = _timing_fields()
    day = {"oneOf": fields["day"]["oneOf"]}
    start = {"type": "string", "pattern": fields["start"]["pattern"]}
    timing = _timing()
    properties = {
        **timing["properties"],
        "day": {
            "anyOf": [day, _listed(day, "days")],
            "description": fields["day"]["description"]
            + " A list of days leaves the choice to pe-schedule solve.",
            "examples": ["third Wednesday", ["second Tuesday", "second Wednesday"]],
        },
        "start": {
            "anyOf": [start, _listed(start, "start times"), _ref("startWindow")],
            "description": fields["start"]["description"]
            + " A list or a window of start times leaves the choice to pe-schedule solve.",
            "examples": ["13:00", ["12:00", "14:00"], {"from": "11:00", "to": "16:00"}],
        },
    }
    description = (
        "When in each of its months the activity happens; `day` and `start` may give "
        "choices for pe-schedule solve (with a `duration`)."
    )
    return {**timing, "description": description, "properties": properties}


def _grouping() -> Schema:
    names = {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True}
    return _closed(
        "How pe-schedule solve forms the coaching groups of a coaching-group activity "
        "from the roster's teams.",
        {
            "sizes": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1},
                "minItems": 2,
                "maxItems": 2,
                "description": "[smallest, largest]: how many teams a group has.",
                "examples": [[4, 5]],
            },
            "similar": {**names, "description": "Team attributes a group's teams share."},
            "mixed": {**names, "description": "Team attributes spread across the groups."},
            "count": {
                "type": "integer",
                "minimum": 1,
                "description": "How many groups to form (default: the fewest the sizes allow).",
            },
            "prefix": {
                **_ref("slug"),
                "maxLength": MAX_PREFIX_LENGTH,
                "description": "Group ids are prefix-1, prefix-2, ... (default '<cohort>-group').",
            },
            "name": {
                "type": "string",
                "pattern": "\\{n\\}",
                "default": "Group {n}",
                "description": "The groups' names; {n} is the group's number.",
            },
        },
        required=("sizes",),
    )


def _defaults() -> Schema:
    return _closed(
        "Timing fields and reminders every activity below starts from.",
        {**_timing_fields(), "reminders": _reminders()},
    )


def _event() -> Schema:
    fields = _timing_fields()
    schema = _closed(
        "An event that is not a grid cell: on a date, in months, or weekly.",
        {
            "id": _ref("slug"),
            "name": _text("The event's name."),
            "cohort": {**_ref("slug"), "description": "The cohort; none for the programme."},
            "cohorts": _shared_cohorts(),
            "audience": _ref("audience"),
            "date": _toml_date("The date of a one-off event."),
            **{key: fields[key] for key in ("days", "start", "duration", "timezone", "holidays")},
            "months": _ref("months"),
            "timing": _ref("timing"),
            "weekly": _closed(
                "A weekly recurrence.",
                {
                    "weekday": {
                        "enum": [
                            "Monday",
                            "Tuesday",
                            "Wednesday",
                            "Thursday",
                            "Friday",
                            "Saturday",
                            "Sunday",
                        ]
                    },
                    "start": fields["start"],
                    "duration": fields["duration"],
                    "timezone": fields["timezone"],
                    "from": _toml_date("The first week."),
                    "until": _toml_date("The last week."),
                    "skip": {"type": "array", "items": _toml_date("A date without the meeting.")},
                    "holidays": {
                        "enum": ["flag", "accept", "skip"],
                        "default": "flag",
                        "description": "On a holiday or declared blackout date: report the "
                        "meeting, keep it, or skip that week's meeting.",
                    },
                    "skip_weeks_of": {
                        "type": "array",
                        "items": {
                            "type": "string",
                            "pattern": "^[^/]+/[^/]+$",
                            "description": "An activity as 'cohort/activity'.",
                        },
                        "description": "Activities in whose weeks (Monday to Sunday) "
                        "there is no meeting.",
                    },
                },
                required=("weekday", "start", "duration"),
            ),
            "location": _text("Where it happens."),
            "in_person": {"type": "boolean"},
            "description": _text("What the event is."),
            "url": {
                "type": "string",
                "pattern": "^https?://",
                "description": "A web page about the event (default: the programme's).",
            },
            "join": _join(),
            "reminders": _reminders(),
            "categories": {"type": "array", "items": {"type": "string"}},
            "own": {
                "type": "boolean",
                "default": False,
                "description": "The audiences' own event (a team's weekly meeting): in their "
                "feeds and their people's, not in the cohort's or the programme's.",
            },
            "busy": {
                "type": "boolean",
                "description": "Whether it blocks time. Default: true with clock times or in "
                "person, false for an all-day event such as a deadline.",
            },
        },
        required=("id", "name"),
    )
    # One cohort's event, or one several cohorts share (for them together), not both.
    schema["allOf"] = [
        {"not": {"required": ["cohort", "cohorts"]}},
        {
            "if": {"required": ["cohorts"]},
            "then": {"properties": {"audience": {"const": AudienceKind.COHORT.value}}},
        },
    ]
    return schema


def _programme() -> Schema:
    return _closed(
        "The programme: its name, its window of months and its home time zone.",
        {
            "id": _ref("slug"),
            "name": _text("The programme's name as people write it."),
            "first_month": {**_ref("yearMonth"), "description": "Programme month 1."},
            "last_month": {**_ref("yearMonth"), "description": "The programme's last month."},
            "timezone": _ref("timezone"),
            "organiser": _text("Who runs the programme."),
            "url": {
                "type": "string",
                "pattern": "^https?://",
                "description": "The programme's web page.",
            },
            "description": _text("What the programme is, in a few sentences."),
            "roster": _text("The roster file, relative to the declaration."),
            "revised": _toml_date(
                "When the schedule was last revised (a TOML date-time with offset)."
            ),
            "cancelled_retention_days": {
                "type": "integer",
                "minimum": 0,
                "maximum": 3660,
                "default": 90,
                "description": "How many days a removed event stays published as cancelled.",
            },
            "holidays": _closed(
                "The public-holiday calendar sessions avoid; US federal when absent.",
                {
                    "country": {
                        "type": "string",
                        "default": "US",
                        "description": "An ISO 3166-1 alpha-2 country code, such as 'US'.",
                    },
                    "subdivision": {
                        "type": "string",
                        "description": "A subdivision code of the country, such as 'MA'.",
                    },
                },
            ),
            "blackout_dates": {
                "type": "array",
                "items": _toml_date("A day no session may fall on."),
                "description": "Dates treated as holidays, named 'a declared blackout date'.",
            },
            "defaults": _ref("defaults"),
        },
        required=("id", "name", "first_month", "last_month", "timezone"),
    )


def _activity() -> Schema:
    schema = _closed(
        "One row of the cohort's grid: what happens, in which months, for whom.",
        {
            "id": {**_ref("slug"), "description": "The activity's id, unique in the cohort."},
            "name": _text("The activity's name as people write it."),
            "months": _ref("months"),
            "location": {
                **_text("Where the virtual occurrences take place."),
                "default": DEFAULT_LOCATION,
            },
            "in_person": {
                **_ref("monthList"),
                "description": "Months of the activity that meet in person.",
            },
            "in_person_location": _text("Where the in-person months take place."),
            "audience": _ref("audience"),
            "description": _text("What the activity is, for the calendar entry."),
            "timing": _ref("activityTiming"),
            "grouping": _ref("grouping"),
            "join": _join(),
            "reminders": _reminders(),
        },
        required=("id", "name", "months"),
    )
    schema["allOf"] = [
        # in_person_location is needed only once there is an in-person month.
        {
            "if": {"required": ["in_person"], "properties": {"in_person": {"minItems": 1}}},
            "then": {"required": ["in_person_location"]},
        },
        # Only coaching groups are formed by solve.
        {
            "if": {"required": ["grouping"]},
            "then": {
                "required": ["audience"],
                "properties": {"audience": {"const": AudienceKind.COACHING_GROUP.value}},
            },
        },
    ]
    return schema


def _rule_value(key: RuleKey, *, across: bool = False) -> Schema:
    """The schema of one rule key's value, from what the key holds; ``across``
    cohorts, activities are ``cohort/activity``."""
    activity = _ref("activityRef") if across else _ref("slug")
    if key.operand is Operand.MONTHS:
        return {"type": "integer", "minimum": key.minimum, "description": key.description}
    if key.operand is Operand.ACTIVITIES:
        return {
            "type": "array",
            "items": activity,
            "minItems": 1,
            "uniqueItems": True,
            "description": key.description,
        }
    return {**activity, "description": key.description}


def _rule(cls: type[Rule], *, across: bool = False) -> Schema:
    keys = (ACTIVITY_KEY, *cls.keys)
    properties = {"kind": {"const": cls.kind, "description": cls.text}}
    properties.update({key.name: _rule_value(key, across=across) for key in keys})
    required = ("kind", *(key.name for key in keys if key.required))
    return _closed(cls.text, properties, required=required)


def _rule_name(kind: str, *, across: bool = False) -> str:
    return ("across-rule-" if across else "rule-") + kind


def _any_rule(*, across: bool = False) -> Schema:
    what = "the programme's grids, across cohorts" if across else "the cohort's grid"
    return {
        "description": f"An alternating-month rule {what} must follow.",
        "oneOf": [_ref(_rule_name(kind, across=across)) for kind in RULE_KINDS],
    }


def _shared_activity() -> Schema:
    schema = _activity()
    properties = {
        key: value
        for key, value in schema["properties"].items()
        if key not in ("audience", "grouping")
    }
    properties["id"] = {**_ref("slug"), "description": "The activity's id, unique everywhere."}
    properties["cohorts"] = _shared_cohorts()
    # A shared session's slot is fixed: solve decides slots per cohort.
    properties["timing"] = _ref("timing")
    return {
        **_closed(
            "An activity several cohorts share: a row of each one's grid, one event per "
            "occurrence for them all together.",
            properties,
            required=("id", "name", "cohorts", "months"),
        ),
        "allOf": schema["allOf"][:1],
    }


def _cohort() -> Schema:
    return _closed(
        "A group of teams that follows one activity grid.",
        {
            "id": {**_ref("slug"), "description": "The cohort's id, unique in the programme."},
            "name": _text("The cohort's name as people write it."),
            "description": _text("Who the cohort is for."),
            "activities": {
                "type": "array",
                "items": _ref("activity"),
                "minItems": 1,
                "description": "The rows of the cohort's grid.",
            },
            "rules": {
                "type": "array",
                "items": _ref("rule"),
                "description": "The rules the cohort's grid must follow.",
            },
            "defaults": _ref("defaults"),
        },
        required=("id", "name", "activities"),
    )


def definitions() -> dict[str, Schema]:
    """The named parts of the schema, as they appear under ``$defs``."""
    parts: dict[str, Schema] = {
        "slug": _slug(),
        "yearMonth": _year_month(),
        "programmeMonth": _programme_month(),
        "month": _month(),
        "monthList": _month_list(),
        "cadence": _cadence(),
        "months": _months(),
        "audience": _audience(),
        "timezone": _timezone(),
        "programme": _programme(),
        "activity": _activity(),
        "sharedActivity": _shared_activity(),
        "activityRef": _activity_ref(),
        "rule": _any_rule(),
        "acrossRule": _any_rule(across=True),
        "cohort": _cohort(),
        "timing": _timing(),
        "activityTiming": _activity_timing(),
        "startWindow": _start_window(),
        "grouping": _grouping(),
        "defaults": _defaults(),
        "event": _event(),
    }
    parts.update({_rule_name(kind): _rule(cls) for kind, cls in RULE_KINDS.items()})
    parts.update(
        {_rule_name(kind, across=True): _rule(cls, across=True) for kind, cls in RULE_KINDS.items()}
    )
    return parts


def declaration_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a declaration file.

    >>> schema = declaration_schema()
    >>> schema["$schema"], schema["required"]
    ('https://json-schema.org/draft/2020-12/schema', ['programme', 'cohorts'])
    """
    return {
        "$schema": DIALECT,
        "title": "pe_schedule programme declaration",
        **_closed(
            "A programme's cohorts, their monthly activity grids and the alternating-month "
            "rules the grids follow.",
            {
                "programme": _ref("programme"),
                "activities": {
                    "type": "array",
                    "items": _ref("sharedActivity"),
                    "description": "Activities several cohorts share, each declared once.",
                },
                "cohorts": {
                    "type": "array",
                    "items": _ref("cohort"),
                    "minItems": 1,
                    "description": "The cohorts of the programme, each with its own grid.",
                },
                "rules": {
                    "type": "array",
                    "items": _ref("acrossRule"),
                    "description": "Rules across cohorts, naming activities as 'cohort/activity'.",
                },
                "events": {
                    "type": "array",
                    "items": _ref("event"),
                    "description": "Events that are not cells of a grid.",
                },
            },
            required=("programme", "cohorts"),
        ),
        "$defs": definitions(),
    }


# -- rosters ------------------------------------------------------------------------------------

#: Working hours as the roster reader takes them: ``HH:MM-HH:MM`` on a 24-hour
#: clock (a hyphen or an en dash, ``24:00`` ends at midnight), spaces around
#: allowed. That the end comes after the start is left to the reader.
HOURS_PATTERN = (
    "^\\s*([01][0-9]|2[0-3]):[0-5][0-9]\\s*[-\u2013]\\s*([01][0-9]|2[0-4]):[0-5][0-9]\\s*$"
)


def _keyed(
    description: str,
    keys: Sequence[str],
    parts: Mapping[str, Schema],
    required: tuple[str, ...] = (),
) -> Schema:
    """A closed table whose properties are exactly the reader's ``keys``, in its order.

    Raises:
        ValueError: if ``parts`` and ``keys`` differ: the reader and the schema
            must list the same keys.
    """
    if set(parts) != set(keys):
        missing = sorted(set(keys) - set(parts))
        extra = sorted(set(parts) - set(keys))
        raise ValueError(f"schema and reader differ: missing {missing}, extra {extra}")
    return _closed(description, {key: parts[key] for key in keys}, required=required)


def _choice(members: Sequence[str], default: str | None, description: str) -> Schema:
    schema: Schema = {"type": "string", "enum": list(members), "description": description}
    if default is not None:
        schema["default"] = default
    return schema


def _weekday_names() -> list[str]:
    return [weekday_name(number) for number in range(7)]


def _working_hours(whose: str) -> Schema:
    return {
        "type": "string",
        "pattern": HOURS_PATTERN,
        "description": f"{whose} working day on the local wall clock, 24-hour 'HH:MM-HH:MM'.",
        "examples": ["09:00-17:00", "07:30-15:30"],
    }


def _working_days(whose: str) -> Schema:
    names = "|".join(name.lower() for name in _weekday_names())
    return {
        "type": "array",
        "items": {
            "type": "string",
            "pattern": f"^\\s*(?i:{names})\\s*$",
            "examples": _weekday_names(),
        },
        "minItems": 1,
        "uniqueItems": True,
        "description": f"{whose} working weekdays, in English, each once.",
    }


def _dates(description: str) -> Schema:
    return {
        "type": "array",
        "items": _toml_date("A TOML date, such as 2023-07-03."),
        "uniqueItems": True,
        "description": description,
    }


def _roster_group() -> Schema:
    return _keyed(
        "A coaching group or an affinity group that meets as one session.",
        GROUP_KEYS,
        {
            "id": {**_ref("slug"), "description": "The group's id, unique among groups."},
            "name": _text("The group's name (default: its id)."),
            "kind": _choice(
                [kind.value for kind in GROUP_KINDS],
                None,
                "What the group is: teams meet in coaching groups, people in affinity groups.",
            ),
        },
        required=("id", "kind"),
    )


def _person() -> Schema:
    roles = ", ".join(role.value for role in Role)
    return _keyed(
        "A participant in the team.",
        PERSON_KEYS,
        {
            "id": {**_ref("slug"), "description": "The person's id, unique among people."},
            "name": _text("The person's name (default: their id)."),
            "role": _choice(
                [role.value for role in Role],
                Role.MEMBER.value,
                f"Their role in the team ({roles}); senior leaders and alternates "
                "join the senior leaders' sessions.",
            ),
            "affinity_group": {
                **_ref("slug"),
                "description": "The id of the affinity group under [[groups]] they belong to.",
            },
        },
        required=("id",),
    )


def _team() -> Schema:
    return _keyed(
        "A participating team, in one cohort, with its people.",
        TEAM_KEYS,
        {
            "id": {**_ref("slug"), "description": "The team's id, unique among teams."},
            "name": _text("The team's name (default: its id)."),
            "cohort": {
                **_ref("slug"),
                "description": "The id of the cohort of the declaration the team is in.",
            },
            "coaching_group": {
                **_ref("slug"),
                "description": "The id of the coaching group under [[groups]] the team meets in.",
            },
            "timezone": {**_ref("timezone"), "description": "The IANA zone the team works in."},
            "working_hours": _working_hours("The team's own"),
            "unavailable": _dates("Dates the whole team is away."),
            "attributes": {
                "type": "object",
                "additionalProperties": _text("A label, such as 'small'."),
                "propertyNames": {"minLength": 1},
                "description": "Labels (texts) pe-schedule solve groups teams by.",
                "examples": [{"region": "Midwest", "size": "small"}],
            },
            "people": {
                "type": "array",
                "items": _ref("person"),
                "description": "The team's people.",
            },
        },
        required=("id", "cohort", "timezone"),
    )


def _staff() -> Schema:
    sessions = {"type": "array", "items": _ref("slug"), "uniqueItems": True}
    schema = _keyed(
        "Someone who leads sessions: a coach or a faculty member.",
        STAFF_KEYS,
        {
            "id": {**_ref("slug"), "description": "The staff member's id, unique among staff."},
            "name": _text("Their name (default: their id)."),
            "role": _choice(
                [role.value for role in StaffRole],
                StaffRole.COACH.value,
                "What they do in the programme.",
            ),
            "timezone": {**_ref("timezone"), "description": "The IANA zone they work in."},
            "working_hours": _working_hours("Their own"),
            "working_days": _working_days("Their own"),
            "blackout": _dates("Dates they are away."),
            "max_per_day": {
                "type": "integer",
                "minimum": 1,
                "description": "The most sessions they lead in one day (default: no limit).",
            },
            "leads": {
                "type": "array",
                "items": {
                    "type": "string",
                    "pattern": "^[^/]+/[^/]+$",
                    "examples": ["learning-network/group-coaching"],
                },
                "uniqueItems": True,
                "description": "The activities, written 'cohort/activity', whose sessions "
                "they may lead.",
            },
            "only": {
                **sessions,
                "description": "The only sessions (team or group ids) they may lead.",
            },
            "assigned": {
                **sessions,
                "description": "Sessions (team or group ids) that are theirs whatever "
                "pe-schedule solve finds.",
            },
        },
        required=("id", "timezone"),
    )
    # only and assigned narrow what leads allows, so they need it.
    schema["dependentRequired"] = {"only": ["leads"], "assigned": ["leads"]}
    return schema


def roster_definitions() -> dict[str, Schema]:
    """The named parts of the roster schema, as they appear under ``$defs``."""
    return {
        "slug": _slug(),
        "timezone": {**_timezone(), "description": "An IANA time zone."},
        "group": _roster_group(),
        "team": _team(),
        "person": _person(),
        "staff": _staff(),
    }


def roster_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a roster file (``*.roster.toml``).

    >>> schema = roster_schema()
    >>> schema["required"], schema["$defs"]["person"]["properties"]["role"]["enum"]
    (['teams'], ['member', 'senior-leader', 'alternate-senior-leader'])
    """
    everyone = "Everyone's (unless their own entry says otherwise)"
    return {
        "$schema": DIALECT,
        "title": "pe_schedule roster",
        **_keyed(
            "Who takes part in a programme and who leads: its teams and their people, "
            "its groups and its staff.",
            ROSTER_KEYS,
            {
                "programme": {
                    **_ref("slug"),
                    "description": "The id of the programme the roster is for; "
                    "checked against the declaration.",
                },
                "working_hours": {
                    **_working_hours(everyone),
                    "default": str(NINE_TO_FIVE),
                },
                "working_days": {
                    **_working_days(everyone),
                    "default": [weekday_name(day) for day in sorted(WEEKDAYS)],
                },
                "groups": {
                    "type": "array",
                    "items": _ref("group"),
                    "description": "The coaching groups and affinity groups teams and people name.",
                },
                "teams": {
                    "type": "array",
                    "items": _ref("team"),
                    "description": "The participating teams, with their people.",
                },
                "staff": {
                    "type": "array",
                    "items": _ref("staff"),
                    "description": "The coaches and faculty who lead sessions.",
                },
            },
            required=("teams",),
        ),
        "$defs": roster_definitions(),
    }


__all__ = [
    "DIALECT",
    "HOURS_PATTERN",
    "declaration_schema",
    "definitions",
    "roster_definitions",
    "roster_schema",
]
