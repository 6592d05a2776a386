"""The one exception family of pe_schedule, and its warning class.

Every error the library raises on purpose is a :class:`PeScheduleError`, which
is a :class:`ValueError`, so callers can catch one class. Errors about input
files carry :class:`Problem` values: where the problem is, what was expected
and what was found, so a command-line tool or an editor can show them as is.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can.

    >>> print(Problem(file="x.toml", path="cohorts[0].cadence",
    ...               expected="'every N months'", found="'evry 2'"))
    x.toml: cohorts[0].cadence: expected 'every N months', got 'evry 2'
    """

    file: str
    path: str = ""
    line: int | None = None
    expected: str
    found: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        place = f"{where}: {self.path}" if self.path else where
        text = f"{place}: expected {self.expected}, got {self.found}"
        return f"{text} ({self.hint})" if self.hint else text


class PeScheduleError(ValueError):
    """Base class of every error pe_schedule raises on purpose."""


class DeclarationError(PeScheduleError):
    """A declaration or roster file cannot be used as it is.

    All problems found in the file are reported together, so a person can fix
    them in one pass.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("a DeclarationError needs at least one problem")
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @property
    def file(self) -> str:
        """The file the (first) problem is in."""
        return self.problems[0].file


class UnknownNameError(PeScheduleError):
    """A filter or look-up names a cohort, activity, team, person or group the
    programme does not have.

    ``what`` is the kind of name (``"cohort"``, ``"team"``...), ``name`` the
    name given and ``choices`` every name of that kind there is, sorted, so a
    program can offer them; the message lists them with the closest one.

    >>> error = UnknownNameError("cohort: expected one of 'ac', 'ln', got 'lm' (did you mean 'ln'?)",
    ...                     what="cohort", name="lm", choices=("ac", "ln"))
    >>> error.name, error.choices
    ('lm', ('ac', 'ln'))
    """

    def __init__(self, message: str, *, what: str, name: str, choices: Iterable[str]) -> None:
        super().__init__(message)
        self.what = what
        self.name = name
        self.choices: tuple[str, ...] = tuple(sorted(choices))


class OutputError(PeScheduleError):
    """Feeds cannot be written where they were asked to go."""


class SolverUnavailable(PeScheduleError):  # noqa: N818 - named for what the user lacks
    """``pe-schedule solve`` was asked for, but OR-Tools (its constraint solver) is not installed."""

    def __init__(self) -> None:
        super().__init__("pe-schedule solve needs OR-Tools: pip install 'pe-schedule[solve]'")


class Unsolvable(PeScheduleError):  # noqa: N818 - named for what the input is
    """No schedule satisfies the declaration and roster as they stand.

    ``conflicts`` is the smallest set of conflicting requirements the solver
    found, each in a programme manager's words: relaxing any one of them
    removes this conflict. ``relaxations`` says how, one way a line.

    >>> print(Unsolvable(conflicts=("groups have 4 to 5 teams", "there are 11 teams in 2 groups"),
    ...                  relaxations=("allow groups of 6",)))
    no schedule satisfies every requirement; these conflict:
      - groups have 4 to 5 teams
      - there are 11 teams in 2 groups
    to make it solvable, any one of these may do:
      - allow groups of 6
    """

    def __init__(
        self, *, conflicts: Iterable[str], relaxations: Iterable[str] = (), headline: str = ""
    ) -> None:
        self.conflicts: tuple[str, ...] = tuple(conflicts)
        self.relaxations: tuple[str, ...] = tuple(relaxations)
        lines = [headline or "no schedule satisfies every requirement; these conflict:"]
        lines += [f"  - {conflict}" for conflict in self.conflicts]
        if self.relaxations:
            lines.append("to make it solvable, any one of these may do:")
            lines += [f"  - {relaxation}" for relaxation in self.relaxations]
        super().__init__("\n".join(lines))


class PeScheduleWarning(UserWarning):
    """A soft problem: the result is usable, but a person should look."""


__all__ = [
    "DeclarationError",
    "OutputError",
    "PeScheduleError",
    "PeScheduleWarning",
    "Problem",
    "SolverUnavailable",
    "UnknownNameError",
    "Unsolvable",
]
