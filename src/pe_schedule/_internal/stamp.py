"""What a build was made from, and whether a folder still vouches for it.

A build told its :class:`Sources` (the declaration, roster and solved
schedule it was loaded from, digested before loading) stamps the folder's
manifest with a :func:`fingerprint` of them and of everything else that
shapes the bytes; :func:`quick_check` then answers "up to date" from that
stamp and the files' recorded digests, without loading, expanding or
rendering anything. Whatever it cannot vouch for goes the full way.

It imports neither the expansion nor the feed writer: ``build --check`` on an
unchanged folder is answered with what this module loads.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import tomllib
from pathlib import Path

import attrs

from pe_schedule._internal.declaration.source import (
    MAX_FILE_BYTES,
    MAX_ROSTER_BYTES,
    read_bounded,
    solved_path,
)
from pe_schedule._internal.publish.files import Stamp, locked, stamped
from pe_schedule._internal.publish.ical import DEFAULT_REFRESH
from pe_schedule.exceptions import PeScheduleError

#: The packages whose releases can change a feed's bytes: the zone rules, the
#: holidays sessions shift off, the iCalendar serialiser, and pe-schedule itself.
OUTPUT_PACKAGES = ("holidays", "icalendar", "pe-schedule", "tzdata")


def output_versions() -> dict[str, str]:
    """The installed version of each of :data:`OUTPUT_PACKAGES`."""
    # Imported here: it costs more than most commands take, and only builds ask.
    import importlib.metadata

    found = {}
    for name in OUTPUT_PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


@attrs.frozen(kw_only=True)
class Sources:
    """The files a build of one declaration reads, digested before loading it.

    Read before loading, a file changed meanwhile leaves a stamp of its old
    bytes: the next check sees the difference and goes the full way.
    """

    declaration: Path
    #: SHA-256 of the declaration, its roster and its solved schedule (``None``: absent).
    digests: tuple[tuple[str, str | None], ...]
    #: The programme's id as declared, for its default folder (checked only by loading).
    programme: str | None = None


def read_sources(declaration: Path) -> Sources | None:
    """Digest the files a build of ``declaration`` reads; ``None`` if one cannot be read
    here (loading it says why), so nothing is stamped or vouched for."""
    declaration = Path(declaration)
    try:
        data = read_bounded(declaration, limit=MAX_FILE_BYTES, what="a declaration")
        header = tomllib.loads(data.decode("utf-8")).get("programme", {})
        roster = header.get("roster")
        programme = header.get("id")
        digests = [("declaration", _sha256(data)), ("solved", _digest(solved_path(declaration)))]
        if roster is not None:
            digests.append(("roster", _roster_digest(declaration, roster)))
    except (OSError, ValueError, AttributeError, PeScheduleError):
        return None
    return Sources(
        declaration=declaration,
        digests=tuple(digests),
        programme=programme if isinstance(programme, str) else None,
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest(path: Path) -> str | None:
    """SHA-256 of the file at ``path``, or ``None`` if there is none."""
    try:
        return _sha256(read_bounded(path, limit=MAX_ROSTER_BYTES, what="an input"))
    except FileNotFoundError:
        return None


def _roster_digest(declaration: Path, name: object) -> str | None:
    """The roster's digest; refuses (ValueError) a name loading would refuse as outside."""
    if not isinstance(name, str) or Path(name).is_absolute() or ".." in Path(name).parts:
        raise ValueError(f"roster {name!r}: not one this build can vouch for")
    return _digest(declaration.parent / name)


@functools.cache
def library_digest() -> str:
    """A digest of pe_schedule's own source files.

    Its version alone would vouch for a development checkout whose code changed
    without a release: a changed writer must never be answered "up to date"
    from a stamp the old code made. Reading the package's modules costs a few
    milliseconds.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


#: Keys the feed key's identity, so a manifest tells whether personal feeds were built
#: and with which key, without holding anything that reveals the key.
_KEY_IDENTITY = b"pe-schedule feed key identity"


def fingerprint(
    sources: Sources,
    *,
    key: bytes | None,
    refresh: dt.timedelta = DEFAULT_REFRESH,
    base_url: str | None = None,
) -> str:
    """A digest of everything that shapes a build's bytes but the folder's own ledger.

    The declaration, roster and solved schedule; the versions of
    :data:`OUTPUT_PACKAGES` (pe-schedule's own among them) and pe_schedule's own
    code (:func:`library_digest`); the options; and
    whether, and with which key, personal feeds are built (a keyed hash of a
    constant, never the key).
    """
    identity = None if key is None else hmac.new(key, _KEY_IDENTITY, hashlib.sha256).hexdigest()
    document = {
        "stamp": 1,
        "sources": dict(sources.digests),
        "versions": output_versions(),
        "code": library_digest(),
        "refresh": refresh.total_seconds(),
        "base_url": base_url,
        "key": identity,
    }
    return _sha256(json.dumps(document, sort_keys=True).encode())


def quick_check(
    sources: Sources,
    out: Path | None,
    *,
    key: bytes | None,
    refresh: dt.timedelta = DEFAULT_REFRESH,
    base_url: str | None = None,
) -> Stamp | None:
    """The stamp saying ``out`` is up to date with ``sources``, without building; or ``None``.

    ``out`` defaults to the declared programme's folder. ``None`` means "not
    known" (no stamp, other inputs, a file changed, added or removed): run
    :func:`build` with ``check`` for the answer and what differs.
    """
    if out is None:
        if sources.programme is None:
            return None
        out = sources.declaration.parent / sources.programme
    out = Path(out)
    if not out.is_dir():
        return None
    inputs = fingerprint(sources, key=key, refresh=refresh, base_url=base_url)
    # Under the lock, as a full check: a half-committed folder is finished first.
    with locked(out, write=False):
        return stamped(out, inputs)


__all__ = [
    "OUTPUT_PACKAGES",
    "Sources",
    "fingerprint",
    "library_digest",
    "output_versions",
    "quick_check",
    "read_sources",
]
