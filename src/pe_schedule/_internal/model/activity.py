"""One row of a cohort's grid: an activity, the months it happens in, and for whom."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from pe_schedule._internal.model.audience import AudienceKind
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.timing import Timing

#: The grid mark of a month with a virtual occurrence.
VIRTUAL_MARK = "X"
#: The grid mark of a month with an in-person occurrence.
IN_PERSON_MARK = "X*"
#: The location of an activity that names none.
DEFAULT_LOCATION = "Zoom"


def _sorted_months(months: Iterable[YearMonth]) -> tuple[YearMonth, ...]:
    """Months in order, each once (a typed converter: mypy cannot type a lambda's)."""
    return tuple(sorted(set(months)))


def _declarable(
    _instance: object, _attribute: attrs.Attribute[AudienceKind], kind: AudienceKind
) -> None:
    if not kind.declarable:
        raise ValueError(f"an activity cannot be for the audience {kind.value!r}")


@attrs.frozen(kw_only=True)
class Grouping:
    """How the scheduler forms an activity's coaching groups from the roster's teams.

    ``similar`` attributes keep a group's teams alike (one region per group);
    ``mixed`` attributes spread each value across the groups.

    >>> Grouping(smallest=4, largest=5, similar=("region",)).sizes
    range(4, 6)
    """

    smallest: int = attrs.field(validator=attrs.validators.ge(1))
    largest: int
    similar: tuple[str, ...] = ()
    mixed: tuple[str, ...] = ()
    #: How many groups to form; ``None`` for the fewest the sizes allow.
    count: int | None = None
    #: Group ids are this prefix, a dash and a number from 1.
    prefix: str = "group"
    #: Group names are this text with ``{n}`` replaced by the number.
    name: str = "Group {n}"

    def __attrs_post_init__(self) -> None:
        if self.largest < self.smallest:
            raise ValueError(f"group sizes run from {self.smallest} up, got up to {self.largest}")
        both = sorted(set(self.similar) & set(self.mixed))
        if both:
            raise ValueError(f"attributes cannot be both similar and mixed: {both}")

    @property
    def sizes(self) -> range:
        """Every allowed group size."""
        return range(self.smallest, self.largest + 1)

    def group_id(self, number: int) -> str:
        """The id of group ``number`` (from 1)."""
        return f"{self.prefix}-{number}"

    def group_name(self, number: int) -> str:
        """The name of group ``number`` (from 1)."""
        return self.name.replace("{n}", str(number))


@attrs.frozen(kw_only=True)
class Activity:
    """One row of a cohort's grid: what happens, in which months, for whom."""

    id: str
    name: str
    months: tuple[YearMonth, ...] = attrs.field(converter=_sorted_months)
    in_person: tuple[YearMonth, ...] = attrs.field(default=(), converter=_sorted_months)
    location: str = DEFAULT_LOCATION
    in_person_location: str | None = None
    audience: AudienceKind = attrs.field(default=AudienceKind.COHORT, validator=_declarable)
    description: str = ""
    timing: Timing | None = None
    #: For coaching-group activities whose groups the scheduler forms.
    grouping: Grouping | None = None
    #: The link to join the virtual occurrences online (a session's own link replaces it).
    join: str | None = None
    #: Reminders, as how long before the start they fire.
    reminders: tuple[dt.timedelta, ...] = ()
    #: For an activity shared by several cohorts (declared once, at programme
    #: level): the ids of those cohorts, in the programme's order. It is one row
    #: of each of their grids and one event per occurrence for all of them.
    shared_by: tuple[str, ...] = ()

    @property
    def shared(self) -> bool:
        """Whether the activity is one session for several cohorts together."""
        return bool(self.shared_by)

    @in_person.validator
    def _in_person_months_are_months(
        self, _: attrs.Attribute[tuple[YearMonth, ...]], value: tuple[YearMonth, ...]
    ) -> None:
        stray = sorted(set(value) - set(self.months))
        if stray:
            raise ValueError(
                f"in-person months {[str(m) for m in stray]} are not months of {self.id!r}"
            )

    def happens_in(self, month: YearMonth) -> bool:
        """Whether the activity has an occurrence in ``month``."""
        return month in self.months

    def is_in_person(self, month: YearMonth) -> bool:
        """Whether the occurrence in ``month`` is in person."""
        return month in self.in_person

    def mark(self, month: YearMonth) -> str:
        """The grid cell for ``month``: ``"X"``, ``"X*"`` (in person) or ``""``."""
        if month in self.in_person:
            return IN_PERSON_MARK
        return VIRTUAL_MARK if month in self.months else ""

    def location_in(self, month: YearMonth) -> str:
        """Where the occurrence in ``month`` takes place."""
        if month in self.in_person and self.in_person_location:
            return self.in_person_location
        return self.location


@attrs.frozen
class ActivityName:
    """An activity named across the programme: ``cohort/activity``.

    >>> name = ActivityName.parse("action-community/learning-sessions")
    >>> name.cohort, name.activity, str(name)
    ('action-community', 'learning-sessions', 'action-community/learning-sessions')
    >>> ActivityName.parse("learning-sessions")
    Traceback (most recent call last):
    ...
    ValueError: expected 'cohort/activity', got 'learning-sessions'
    """

    cohort: str
    activity: str

    @classmethod
    def parse(cls, text: str) -> ActivityName:
        """The name written ``cohort/activity``.

        Raises:
            ValueError: if ``text`` is not two non-empty parts around one slash.
        """
        cohort, slash, activity = text.partition("/")
        if not slash or not cohort or not activity or "/" in activity:
            raise ValueError(f"expected 'cohort/activity', got {text!r}")
        return cls(cohort, activity)

    def __str__(self) -> str:
        return f"{self.cohort}/{self.activity}"


__all__ = [
    "DEFAULT_LOCATION",
    "IN_PERSON_MARK",
    "VIRTUAL_MARK",
    "Activity",
    "ActivityName",
    "Grouping",
]
