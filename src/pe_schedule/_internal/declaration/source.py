"""Reading TOML input files while keeping track of where each value came from.

The loaders for declarations and rosters walk the parsed TOML through
:class:`Table` views. A view knows its key path (``cohorts[1].activities[0]``)
and reports every problem to a shared :class:`Report` instead of raising, so a
file with five mistakes gets five messages in one run. Each loader calls
:meth:`Report.raise_if_any` once it has walked the whole file.
"""

from __future__ import annotations

import difflib
import enum
import math
import os
import re
import stat
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pe_schedule._internal.model.zones import Zone, suggest
from pe_schedule.exceptions import DeclarationError, Problem

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)

#: What a time zone is expected to look like, wherever one is written.
ZONE_EXPECTED = "an IANA time zone such as 'America/New_York'"

#: The years a programme's months and event dates may lie in. Events run into
#: the days around them (multi-day events, time zones, holidays moved a week
#: on), and a date past year 9999 or before year 1 cannot exist; no programme is
#: planned centuries away, so a year outside these is a typo.
FIRST_YEAR = 1900
LAST_YEAR = 2200

#: Declarations are small hand-written files; anything far larger is a mistake
#: (a wrong file, a generated dump) and would only make the loader slow.
MAX_FILE_BYTES = 8 * 1024 * 1024

#: Rosters come from spreadsheets and may be large (100,000 people is about 10 MB);
#: anything far larger is a wrong file.
MAX_ROSTER_BYTES = 64 * 1024 * 1024
#: The file name ending of roster files, which live beside declarations.
ROSTER_SUFFIX = ".roster.toml"
#: The file name ending of solved schedules, which live beside declarations.
SOLVED_SUFFIX = ".solved.toml"

#: The most decimal digits Python turns into a number (``sys.get_int_max_str_digits``).
_MAX_DIGITS = sys.get_int_max_str_digits() or 4300
# Whole numbers beyond 2**200 (about 60 digits) are described, not printed.
_MAX_SHOWN_BITS = 200

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
# tomllib's words for adding to a table that is already closed: one written inline.
_CLOSED_TABLE = re.compile(r"Cannot mutate immutable namespace \(((?:'[^']*',? ?)+)\)")
# C0 controls other than tab, LF and CR, DEL and the C1 controls. No text a person
# types holds them; they can repaint a terminal that shows a grid or an error, and
# an iCalendar TEXT value cannot carry them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A key TOML allows bare; any other key is shown quoted, so a key holding a line
# break or an escape sequence cannot split or repaint an error message.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: The longest id: ids become parts of feed file names, which file systems cap at 255 bytes.
MAX_SLUG_LENGTH = 64


def is_slug(text: str) -> bool:
    """Whether ``text`` is an id: lowercase letters, digits and single hyphens, at most 64 long.

    >>> is_slug("ln-coaching-1"), is_slug("LN 1")
    (True, False)
    """
    return len(text) <= MAX_SLUG_LENGTH and _SLUG.fullmatch(text) is not None


def quote_key(key: str) -> str:
    r"""``key`` as it would be written in a TOML key path: bare if it can be, else quoted.

    Characters that do not print (controls, bidirectional marks, line breaks)
    are written as ``\uXXXX`` escapes.

    >>> print(quote_key("months"), quote_key("mon ths"), quote_key("a\nb\u202e"))
    months "mon ths" "a\u000ab\u202e"
    """
    if _BARE_KEY.fullmatch(key):
        return key
    shown = "".join(
        char
        if char.isprintable() and char not in '"\\'
        else f"\\u{ord(char):04x}"
        if ord(char) <= 0xFFFF
        else f"\\U{ord(char):08x}"
        for char in key
    )
    return f'"{shown}"'


class Report:
    """Collects the problems of one input file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(
        self,
        path: str,
        *,
        expected: str,
        found: str,
        hint: str | None = None,
        line: int | None = None,
    ) -> None:
        """Record one problem at ``path``."""
        self.problems.append(
            Problem(file=self.file, path=path, line=line, expected=expected, found=found, hint=hint)
        )

    def raise_if_any(self) -> None:
        """Raise a :class:`DeclarationError` holding every recorded problem."""
        if self.problems:
            raise DeclarationError(self.problems)


def describe(value: object) -> str:
    """Say what a TOML value is, the way an error message should show it.

    >>> describe("evry 2"), describe(3), describe([1]), describe({"a": 1})
    ("'evry 2'", '3', 'an array', 'a table')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    if isinstance(value, int) and value.bit_length() > _MAX_SHOWN_BITS:
        # A hexadecimal TOML number can be any length; repr of a huge int raises ValueError.
        # At least 2**(bits-1), so it has more decimal digits than that power's logarithm.
        digits = math.floor((value.bit_length() - 1) * math.log10(2))
        return f"a whole number of more than {digits:,} digits"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest valid choice to ``word``, if one is close.

    >>> did_you_mean("cadance", ["cadence", "months"])
    "did you mean 'cadence'?"
    """
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def zone_hint(name: str) -> str | None:
    """A hint naming the zone ``name`` most likely means, if one is close.

    >>> zone_hint("America/Chicgo")
    "did you mean 'America/Chicago'?"
    """
    close = suggest(name)
    return f"did you mean {close!r}?" if close else None


def one_of(choices: Iterable[str]) -> str:
    """``one of 'a', 'b', 'c'`` for an error message's expected part."""
    return "one of " + ", ".join(repr(choice) for choice in sorted(choices))


def named(members: Iterable[E]) -> dict[str, E]:
    """Enum members by their values, for :meth:`Table.choice`.

    >>> import enum
    >>> class Colour(enum.Enum):
    ...     RED = "red"
    >>> named(Colour)
    {'red': <Colour.RED: 'red'>}
    """
    return {str(member.value): member for member in members}


def _kind_of_file(mode: int) -> str:
    """What a file that is not a regular file is, for a message refusing it."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_bounded(path: Path, *, limit: int, what: str) -> bytes:
    """The bytes of the regular file at ``path``, refused if larger than ``limit``.

    The checks are made on the open file, not on the path before opening it, so
    nothing can swap the file between check and read. A pipe is opened without
    waiting for a writer and a device is refused, so ``/dev/stdin`` cannot hang
    a CI runner nor ``/dev/zero`` fill its memory; at most ``limit + 1`` bytes
    are read even from a file that grows while it is read.

    Raises:
        DeclarationError: naming the file and what was expected of it.
        OSError: if the file cannot be opened or read.
    """
    file = str(path)
    expected = f"{what} of at most {limit // (1024 * 1024)} MiB"
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            found = _kind_of_file(status.st_mode)
            raise DeclarationError([Problem(file=file, expected=f"{what} file", found=found)])
        if status.st_size > limit:
            found = f"{status.st_size:,} bytes"
            raise DeclarationError([Problem(file=file, expected=expected, found=found)])
        data = stream.read(limit + 1)
    if len(data) > limit:
        found = f"more than {limit:,} bytes"
        raise DeclarationError([Problem(file=file, expected=expected, found=found)])
    return data


def read_toml(
    path: Path, *, limit: int = MAX_FILE_BYTES, what: str = "a declaration"
) -> dict[str, Any]:
    """Read a TOML file, turning every failure into a :class:`DeclarationError`.

    Args:
        path: the file: a regular file (not a folder, pipe or device).
        limit: the largest size accepted, in bytes; a larger file is refused unread.
        what: what the file is, for the message refusing it.
    """
    file = str(path)
    try:
        text = read_bounded(path, limit=limit, what=what).decode("utf-8")
    except UnicodeDecodeError as error:
        raise DeclarationError(
            [
                Problem(
                    file=file,
                    expected="UTF-8 text",
                    found=f"a byte that is not UTF-8 ({error.reason})",
                )
            ]
        ) from None
    except OSError as error:
        raise DeclarationError(
            [Problem(file=file, expected="a readable file", found=error.strerror or str(error))]
        ) from None
    return _parse_toml(text, file)


def _closed_table(reason: str) -> tuple[str, str | None]:
    """The key path and a hint for tomllib's "Cannot mutate immutable namespace".

    The usual cause: a table written inline (``timing = { day = … }``) and then
    extended by a later ``[...timing.overrides]`` or ``timing.x = …``; TOML
    closes an inline table where its brace closes.
    """
    found = _CLOSED_TABLE.search(reason)
    if found is None:
        return "", None
    keys = [key.strip().strip("'") for key in found[1].split(",") if key.strip()]
    dotted = ".".join(keys)
    table = keys[:-1] or keys
    hint = (
        f"a table written inline, `{table[-1]} = {{ … }}`, is complete where its brace "
        "closes and cannot be extended later; write it as a section of its own instead, "
        f"`[{'.'.join(table)}]` with one key per line, before the sections that add to it"
    )
    return dotted, hint


def _parse_toml(text: str, file: str) -> dict[str, Any]:
    """The TOML document ``text`` of ``file``; every failure a :class:`DeclarationError`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = int(position[1]) if position else None
        reason = _TOML_POSITION.sub("", message).strip()
        path, hint = _closed_table(reason)
        raise DeclarationError(
            [
                Problem(
                    file=file, path=path, line=line, expected="valid TOML", found=reason, hint=hint
                )
            ]
        ) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise DeclarationError(
            [
                Problem(
                    file=file,
                    expected="valid TOML",
                    found="arrays or inline tables nested too deeply to read",
                )
            ]
        ) from None
    except ValueError as error:
        # tomllib lets int() refuse a decimal number of more than 4,300 digits.
        if "integer string conversion" not in str(error):
            raise
        raise DeclarationError(
            [
                Problem(
                    file=file,
                    expected="valid TOML",
                    found=f"a number of more than {_MAX_DIGITS:,} digits",
                )
            ]
        ) from None


class Table:
    """A TOML table seen from the place it stands in the file.

    Every accessor returns ``None`` (after reporting) when the value is
    missing or of the wrong kind, so a loader can keep walking and find the
    next problem too.
    """

    def __init__(self, data: Mapping[str, Any], path: str, report: Report) -> None:
        self.data = data
        self.path = path
        self.report = report

    def at(self, key: str) -> str:
        """The key path of ``key`` inside this table."""
        shown = quote_key(key)
        return f"{self.path}.{shown}" if self.path else shown

    def problem(self, key: str, *, expected: str, found: str, hint: str | None = None) -> None:
        """Report a problem with the value under ``key``."""
        self.report.add(self.at(key), expected=expected, found=found, hint=hint)

    def allow(self, *keys: str) -> None:
        """Report every key of this table that is not one of ``keys``."""
        for key in self.data:
            if key not in keys:
                self.report.add(
                    self.at(key),
                    expected="a known key: " + one_of(keys),
                    found="an unknown key",
                    hint=did_you_mean(key, keys),
                )

    def has(self, key: str) -> bool:
        """Whether ``key`` is present."""
        return key in self.data

    def value(
        self,
        key: str,
        kind: type[T] | tuple[type[T], ...],
        expected: str,
        *,
        required: bool = True,
    ) -> T | None:
        """The value under ``key`` if it is of ``kind``.

        A missing key is reported only when ``required``.
        """
        if key not in self.data:
            if required:
                self.problem(key, expected=expected, found="nothing (the key is missing)")
            return None
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python but never a number in a declaration.
        if isinstance(value, bool) and bool not in kinds:
            self.problem(key, expected=expected, found=describe(value))
            return None
        if not isinstance(value, kinds):
            self.problem(key, expected=expected, found=describe(value))
            return None
        return value

    def text(self, key: str, *, required: bool = True, default: str | None = None) -> str | None:
        """A non-empty string under ``key``."""
        value = self.value(key, str, "a text", required=required)
        if value is None:
            return default
        if not value.strip():
            self.problem(key, expected="a non-empty text", found="an empty text")
            return default
        # A name of zero-width or format characters only looks empty wherever it is shown.
        if not any(char.isprintable() and not char.isspace() for char in value):
            self.problem(
                key, expected="a non-empty text", found=f"{describe(value)}, nothing visible"
            )
            return default
        if not self._printable(self.at(key), value):
            return default
        return value

    def _printable(self, path: str, value: str) -> bool:
        """Whether ``value`` holds no control character; the first one is reported at ``path``."""
        control = _CONTROL.search(value)
        if control is None:
            return True
        self.report.add(
            path,
            expected="a text without control characters",
            found=f"{describe(value)}, which holds U+{ord(control[0]):04X} "
            f"at character {control.start() + 1}",
        )
        return False

    def slug(self, key: str) -> str | None:
        """An id under ``key``: lowercase letters, digits and single hyphens, at most 64 long.

        Ids name files and join event ids, so nothing that could reach outside
        a folder (``/``, ``\\``, ``..``), hide (controls, bidirectional marks) or
        differ by letter case gets through.
        """
        value = self.text(key)
        if value is None:
            return None
        if len(value) > MAX_SLUG_LENGTH:
            self.problem(
                key,
                expected=f"a slug of at most {MAX_SLUG_LENGTH} characters",
                found=f"{describe(value)} ({len(value):,} characters)",
            )
            return None
        if not _SLUG.fullmatch(value):
            suggestion = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
            self.problem(
                key,
                expected="a slug of lowercase letters, digits and single hyphens, like 'all-team'",
                found=describe(value),
                hint=f"did you mean {suggestion!r}?" if suggestion else None,
            )
            return None
        return value

    def integer(self, key: str, *, required: bool = True) -> int | None:
        """An integer under ``key``."""
        return self.value(key, int, "a whole number", required=required)

    def boolean(self, key: str, *, default: bool) -> bool:
        """A boolean under ``key``, ``default`` when absent."""
        value = self.value(key, bool, "true or false", required=False)
        return default if value is None else value

    def table(self, key: str, *, required: bool = True) -> Table | None:
        """The sub-table under ``key``."""
        value = self.value(key, dict, "a table", required=required)
        return None if value is None else Table(value, self.at(key), self.report)

    def tables(self, key: str, *, required: bool = True) -> list[Table]:
        """The array of tables under ``key`` (``[[key]]`` in TOML)."""
        items = self.value(key, list, "an array of tables", required=required)
        if items is None:
            return []
        tables = []
        for index, item in enumerate(items):
            place = f"{self.at(key)}[{index}]"
            if isinstance(item, dict):
                tables.append(Table(item, place, self.report))
            else:
                self.report.add(place, expected="a table", found=describe(item))
        return tables

    def url(self, key: str = "url") -> str | None:
        """An optional web link under ``key``: http(s), with no white space."""
        url = self.text(key, required=False)
        if url is not None and not url.startswith(("https://", "http://")):
            # Feeds and index.html show the link to people: no javascript: or file: links.
            self.problem(
                key, expected="a web address starting with 'https://'", found=describe(url)
            )
            return None
        # A line break in a link could start a new property wherever the link is written.
        if url is not None and any(char.isspace() for char in url):
            self.problem(
                key, expected="a web address without spaces or line breaks", found=describe(url)
            )
            return None
        return url

    def strings(self, key: str, *, required: bool = True) -> list[str] | None:
        """An array of strings under ``key``."""
        items = self.value(key, list, "an array of texts", required=required)
        if items is None:
            return None
        good = True
        for index, item in enumerate(items):
            place = f"{self.at(key)}[{index}]"
            if not isinstance(item, str):
                self.report.add(place, expected="a text", found=describe(item))
                good = False
            # The same check as text(): these strings are shown and written to feeds too.
            elif not self._printable(place, item):
                good = False
        return items if good else None

    def choice(
        self,
        key: str,
        options: Mapping[str, T],
        *,
        default: T | None = None,
        required: bool = False,
    ) -> T | None:
        """The option named by the text under ``key``; ``default`` when absent.

        A name that is not one of ``options`` is reported with the valid
        choices and the closest one, and gives ``None``.
        """
        expected = one_of(options)
        raw = self.value(key, str, expected, required=required)
        if raw is None:
            return default if not self.has(key) else None
        if raw not in options:
            self.problem(
                key, expected=expected, found=describe(raw), hint=did_you_mean(raw, options)
            )
            return None
        return options[raw]

    def zone(self, key: str = "timezone", *, required: bool = False) -> Zone | None:
        """The IANA time zone under ``key``, with a did-you-mean for a near miss."""
        name = self.value(key, str, ZONE_EXPECTED, required=required)
        if name is None:
            return None
        try:
            return Zone(name)
        except ValueError:
            self.problem(key, expected=ZONE_EXPECTED, found=describe(name), hint=zone_hint(name))
            return None

    def parsed(
        self,
        key: str,
        parse: Callable[[str], T],
        expected: str,
        *,
        required: bool = True,
    ) -> T | None:
        """The string under ``key`` read by ``parse``; a ``ValueError`` is reported."""
        raw = self.value(key, str, expected, required=required)
        if raw is None:
            return None
        try:
            return parse(raw)
        except ValueError:
            self.problem(key, expected=expected, found=describe(raw))
            return None


def solved_path(declaration: Path) -> Path:
    """Where the solved schedule of ``declaration`` lives: beside it, ``x.toml`` → ``x.solved.toml``."""
    return declaration.with_name(declaration.name.removesuffix(".toml") + SOLVED_SUFFIX)


def discover(path: str | os.PathLike[str]) -> tuple[Path, ...]:
    """The declaration files at ``path``.

    A file is itself; a folder gives its ``*.toml`` files in name order, not
    looking into sub-folders and leaving out roster files (``*.roster.toml``)
    and solved schedules (``*.solved.toml``).

    Raises:
        DeclarationError: if nothing exists at ``path``.
    """
    place = Path(path)
    if place.is_dir():
        return tuple(
            sorted(
                child
                for child in place.glob("*.toml")
                if child.is_file() and not child.name.endswith((ROSTER_SUFFIX, SOLVED_SUFFIX))
            )
        )
    if place.exists():
        # A pipe or device too: reading it says what it is instead of "nothing here".
        return (place,)
    raise DeclarationError(
        [
            Problem(
                file=str(place),
                expected="a declaration file or a folder of them",
                found="nothing at this path",
            )
        ]
    )


__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_FILE_BYTES",
    "MAX_ROSTER_BYTES",
    "MAX_SLUG_LENGTH",
    "ROSTER_SUFFIX",
    "SOLVED_SUFFIX",
    "ZONE_EXPECTED",
    "Report",
    "Table",
    "describe",
    "did_you_mean",
    "discover",
    "is_slug",
    "named",
    "one_of",
    "quote_key",
    "read_bounded",
    "read_toml",
    "solved_path",
    "zone_hint",
]
