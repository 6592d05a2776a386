"""Writing a folder of feeds safely, and checking one against what it should hold.

A build writes every file under a temporary name in the folder itself and only
renames them into place once every file has been written: a build that fails
part-way removes its temporary files and leaves the folder as it was. Files
whose bytes did not change are not touched, so their modification times (and
so the ETags and Last-Modified dates a server gives) stay put. Nothing is ever
written outside the folder: names are plain file names, checked before use.

The files a build manages are its ``*.ics`` feeds, ``feeds.json`` and
``index.html`` and the ledger; anything else in the folder (a README) is left alone.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

import attrs

from pe_schedule._internal.publish.ledger import LEDGER_NAME
from pe_schedule.exceptions import OutputError

#: Names a build owns in its folder: a stale one is removed, an unexpected one is "extra".
MANAGED_SUFFIXES = (".ics",)
MANAGED_NAMES = ("feeds.json", "index.html", LEDGER_NAME)
#: Prefix of temporary files; a build sweeps ones a killed build left behind.
TEMP_PREFIX = ".pe-schedule-tmp-"


def is_managed(name: str) -> bool:
    """Whether a build writes (and so may replace or remove) a file called ``name``.

    >>> is_managed("team-ln-01.ics"), is_managed("README.md")
    (True, False)
    """
    return not name.startswith(".") and (name in MANAGED_NAMES or name.endswith(MANAGED_SUFFIXES))


def _check_name(name: str) -> None:
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or not is_managed(name)
    ):
        raise OutputError(f"output file name: expected a plain feed file name, got {name!r}")


@attrs.frozen(kw_only=True)
class Comparison:
    """How a folder differs from what a build would write."""

    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    different: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        """Whether the folder holds exactly the files a build would write."""
        return not (self.missing or self.extra or self.different)

    def lines(self) -> tuple[str, ...]:
        """One line per file that differs, for people and CI logs.

        >>> Comparison(missing=("a.ics",), different=("b.ics",)).lines()
        ('missing: a.ics', 'different: b.ics')
        """
        return (
            *(f"missing: {name}" for name in self.missing),
            *(f"extra: {name}" for name in self.extra),
            *(f"different: {name}" for name in self.different),
        )


@attrs.frozen(kw_only=True)
class Written:
    """What a build changed in its folder."""

    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def _managed_files(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {entry.name for entry in folder.iterdir() if is_managed(entry.name) and entry.is_file()}


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def compare(files: Iterable[tuple[str, bytes]], folder: Path) -> Comparison:
    """Compare ``files`` (name, bytes) with ``folder``, reading only; writes nothing."""
    present = _managed_files(folder)
    missing: list[str] = []
    different: list[str] = []
    expected: set[str] = set()
    for name, data in files:
        _check_name(name)
        expected.add(name)
        existing = _read(folder / name) if name in present else None
        if existing is None:
            missing.append(name)
        elif existing != data:
            different.append(name)
    return Comparison(
        missing=tuple(sorted(missing)),
        extra=tuple(sorted(present - expected)),
        different=tuple(sorted(different)),
    )


def _sweep(folder: Path) -> None:
    """Remove temporary files a killed build left behind."""
    for entry in folder.iterdir():
        if entry.name.startswith(TEMP_PREFIX) and entry.is_file():
            entry.unlink()


def _write_temporary(folder: Path, name: str, data: bytes) -> Path:
    temporary = folder / f"{TEMP_PREFIX}{os.getpid()}-{name}"
    # O_EXCL and O_NOFOLLOW: never write through a link planted under the temporary name.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return temporary


def _backup_name(path: Path) -> Path:
    """The temporary name ``path``'s old file is kept under until a build commits."""
    return path.with_name(f"{TEMP_PREFIX}{os.getpid()}-old-{path.name}")


def _set_aside(path: Path) -> Path:
    """Keep ``path``'s current file under its backup name, without moving it."""
    backup = _backup_name(path)
    try:
        os.link(path, backup)
    except OSError:
        # A file system without hard links: a copy keeps the old bytes as well.
        backup.write_bytes(path.read_bytes())
    return backup


def _commit(folder: Path, pending: list[tuple[Path, Path]], stale: list[Path]) -> None:
    """Rename every written file into place and remove ``stale`` ones, all or nothing.

    Each replaced file is first linked to a temporary name, and each stale one
    moved to one, so that a rename failing part-way (a full disk, a file made
    read-only) can be undone and the folder keeps every old file.
    """
    undo: list[tuple[Path, Path | None]] = []  # (target, its old file or None if new)
    try:
        for temporary, target in pending:
            backup = _set_aside(target) if target.exists() else None
            undo.append((target, backup))
            temporary.replace(target)
        for path in stale:
            backup = _backup_name(path)
            path.replace(backup)
            undo.append((path, backup))
    except BaseException:
        for target, backup in reversed(undo):
            with contextlib.suppress(OSError):
                if backup is None:
                    target.unlink()
                else:
                    backup.replace(target)
        _sweep(folder)
        raise
    for _, backup in undo:
        if backup is not None:
            with contextlib.suppress(FileNotFoundError):
                backup.unlink()


def publish(files: Iterable[tuple[str, bytes]], folder: Path) -> Written:
    """Make ``folder`` hold exactly ``files`` (name, bytes) among the files a build manages.

    ``files`` may be a generator: if it raises part-way, every temporary file is
    removed and the folder is left exactly as it was. Only once all files are
    written are they renamed into place and stale managed files removed.

    Args:
        files: Plain file names (see :func:`is_managed`) and their bytes.
        folder: The folder; created if missing (its parent must exist).

    Raises:
        OutputError: if a name is not a plain managed file name, appears twice,
            or the folder cannot be used.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: expected a folder for the feeds, got a file")
    if not folder.parent.is_dir():
        raise OutputError(f"{folder}: expected an existing parent folder, got none")
    created = not folder.exists()
    folder.mkdir(exist_ok=True)
    _sweep(folder)
    present = _managed_files(folder)
    try:
        staged = _stage(files, folder, present)
        _commit(folder, staged.pending, [folder / name for name in staged.removed])
    except BaseException:
        if created:
            # "Exactly as it was" includes not existing.
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return Written(
        written=tuple(sorted(target.name for _, target in staged.pending)),
        unchanged=tuple(sorted(staged.unchanged)),
        removed=staged.removed,
    )


@attrs.frozen(kw_only=True)
class _Staged:
    """Files written under temporary names, not yet in place (internal)."""

    #: (temporary file, the file it replaces or adds).
    pending: list[tuple[Path, Path]]
    unchanged: list[str]
    #: Managed files present that the build no longer writes.
    removed: tuple[str, ...]


def _stage(files: Iterable[tuple[str, bytes]], folder: Path, present: set[str]) -> _Staged:
    """Write every changed file under a temporary name; on any failure remove them all."""
    pending: list[tuple[Path, Path]] = []
    names: set[str] = set()
    unchanged: list[str] = []
    try:
        for name, data in files:
            _check_name(name)
            if name in names:
                raise OutputError(f"{folder / name}: expected each file once, got it twice")
            names.add(name)
            target = folder / name
            if name in present and _read(target) == data:
                unchanged.append(name)
                continue
            pending.append((_write_temporary(folder, name, data), target))
    except BaseException:
        for temporary, _ in pending:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        raise
    return _Staged(pending=pending, unchanged=unchanged, removed=tuple(sorted(present - names)))


__all__ = [
    "MANAGED_NAMES",
    "MANAGED_SUFFIXES",
    "TEMP_PREFIX",
    "Comparison",
    "Written",
    "compare",
    "is_managed",
    "publish",
]
