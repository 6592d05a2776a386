"""Writing a folder of feeds safely, and checking one against what it should hold.

The folder is owned, locked and crash-safe:

* **Locked.** A build (and ``--check``) holds an exclusive :func:`fcntl.flock`
  lock on ``.pe-schedule.lock`` in the folder from reading the ledger to the
  last rename, so two builds never interleave; a second one waits up to
  :data:`LOCK_TIMEOUT` seconds, then fails naming the folder and the holder.
* **Crash-safe.** Every file is first written under a fresh temporary name.
  Then a journal (``.pe-schedule-journal``, fsynced) lists the renames and
  removals, and only then are they made. A build killed before the journal
  exists changed nothing; one killed after it is finished (rolled forward) by
  the next build or check, so the folder is always exactly the old or exactly
  the new set of files, and the ledger is never behind the feeds.
* **Owned.** A manifest (``.pe-schedule-manifest``, written with the rest)
  lists the files the build wrote. Only those are ever removed or reported as
  ``extra`` by a check: a ``holidays.ics`` of the user's own in the folder is
  left alone, and reported as a notice. A folder written before manifests
  existed (a ledger, no manifest) owns the feeds its ``feeds.json`` lists,
  ``feeds.json``, ``index.html`` and the ledger (not ``grid.svg``, which such
  builds never wrote). A file of the user's with
  the very name a build writes is replaced: that name is the build's output.
* **Stamped.** A build told what fed it (:class:`Stamp`: a digest of its
  inputs) records it in the manifest with the SHA-256 of every file it wrote,
  so a check of unchanged inputs can answer from the manifest alone
  (:func:`stamped`); anything else falls back to the full comparison.
* **No links followed.** Names are plain file names, checked before use;
  temporary files are created with ``O_EXCL | O_NOFOLLOW``, backups by
  :func:`os.link` onto fresh names; a managed name that is a symbolic link is
  refused, and so is an output folder that is one; leftover links are swept
  (unlinked, never followed).

Files whose bytes did not change are not touched, so their modification times
(and so the ETags and Last-Modified dates a server gives) stay put.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import hashlib
import itertools
import json
import os
import secrets
import stat
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from pe_schedule._internal.publish.ledger import LEDGER_NAME
from pe_schedule.exceptions import OutputError

#: Names a build may own in its folder (see :func:`owned` for which it does own).
MANAGED_SUFFIXES = (".ics",)
MANAGED_NAMES = ("feeds.json", "index.html", "grid.svg", LEDGER_NAME)
#: What a folder written before manifests owns besides its listed feeds: those
#: builds never wrote ``grid.svg``, so one there is the user's.
_LEGACY_NAMES = ("feeds.json", "index.html", LEDGER_NAME)
#: Prefix of temporary files; a build sweeps ones a killed build left behind.
TEMP_PREFIX = ".pe-schedule-tmp-"
#: The lock file every build and check holds while it works on the folder.
LOCK_NAME = ".pe-schedule.lock"
#: The list of renames and removals of a commit in progress.
JOURNAL_NAME = ".pe-schedule-journal"
#: The list of the files the last build wrote, so it removes only its own.
MANIFEST_NAME = ".pe-schedule-manifest"
#: How long (seconds) a build waits for another one to release the folder.
LOCK_TIMEOUT = 30.0

#: Per thread, the folders (resolved) whose lock it holds, so publish does not lock twice.
_LOCAL = threading.local()


def _held() -> set[Path]:
    held: set[Path] | None = getattr(_LOCAL, "held", None)
    if held is None:
        held = _LOCAL.held = set()
    return held


def is_managed(name: str) -> bool:
    """Whether a build may write (and so replace or remove) a file called ``name``.

    >>> is_managed("team-ln-01.ics"), is_managed("README.md")
    (True, False)
    """
    return not name.startswith(".") and (name in MANAGED_NAMES or name.endswith(MANAGED_SUFFIXES))


def _plain(name: str) -> bool:
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\x00")


def _check_name(name: str) -> None:
    if not _plain(name) or not is_managed(name):
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
    #: Feed-like files the build did not write, left alone (a user's own calendars).
    foreign: tuple[str, ...] = ()


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _managed_files(folder: Path) -> set[str]:
    """Managed-looking names in ``folder`` that are files or links (never followed)."""
    if not folder.is_dir():
        return set()
    return {
        entry.name
        for entry in os.scandir(folder)
        if is_managed(entry.name) and (entry.is_symlink() or entry.is_file(follow_symlinks=False))
    }


def _read(path: Path) -> bytes | None:
    """``path``'s bytes, or ``None`` if missing; a link is never followed (``b""`` is not it)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OutputError(
                f"{path}: expected a regular file, got a symbolic link; remove it and build again"
            ) from None
        raise
    with os.fdopen(descriptor, "rb") as stream:
        return stream.read()


@attrs.frozen(kw_only=True)
class Stamp:
    """What a check needs to say "up to date" without building: a digest of the inputs."""

    #: A digest of everything that feeds the build (see :func:`pe_schedule.build.fingerprint`).
    inputs: str
    #: How many feeds the build planned, for the check's report.
    feeds: int
    #: The plan's notices, which the check repeats as a build would.
    notices: tuple[str, ...] = ()


def manifest_bytes(
    names: Iterable[str],
    built_with: Mapping[str, str] | None = None,
    *,
    stamp: Stamp | None = None,
    digests: Mapping[str, str] | None = None,
) -> bytes:
    """The manifest listing ``names`` (and the versions that made them), as a build writes it.

    With ``stamp`` it also records the inputs' digest and each file's SHA-256
    (``digests``), under a key older readers ignore.

    >>> manifest_bytes(["b.ics", "a.ics"])
    b'{"pe_schedule_manifest": 1, "files": ["a.ics", "b.ics"]}\\n'
    >>> manifest_bytes(["a.ics"], {"tzdata": "2026.6"})
    b'{"pe_schedule_manifest": 1, "files": ["a.ics"], "built_with": {"tzdata": "2026.6"}}\\n'
    """
    document: dict[str, object] = {"pe_schedule_manifest": 1, "files": sorted(names)}
    if built_with:
        document["built_with"] = dict(sorted(built_with.items()))
    if stamp is not None and digests is not None:
        document[_STAMP_KEY] = {
            "inputs": stamp.inputs,
            "feeds": stamp.feeds,
            "notices": list(stamp.notices),
            "sha256": dict(sorted(digests.items())),
        }
    return f"{json.dumps(document)}\n".encode()


#: The manifest's key for the stamp, which manifests written before it lack.
_STAMP_KEY = "stamp"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stamped(folder: Path, inputs: str) -> Stamp | None:
    """The stamp of ``folder``'s manifest if it vouches the folder is up to date; else ``None``.

    It does when its inputs digest is ``inputs``, every file it lists still
    has the SHA-256 it recorded, and no other managed file is in the folder.
    ``None`` means only "not known": a full comparison has to tell.
    """
    folder = Path(folder)
    try:
        record = json.loads(_read(folder / MANIFEST_NAME) or b"{}")[_STAMP_KEY]
        stamp = Stamp(
            inputs=str(record["inputs"]),
            feeds=int(record["feeds"]),
            notices=tuple(str(notice) for notice in record["notices"]),
        )
        digests = {str(name): str(digest) for name, digest in record["sha256"].items()}
    except (ValueError, TypeError, KeyError, AttributeError, OutputError):
        return None
    if stamp.inputs != inputs or set(digests) != _managed_files(folder):
        return None
    for name, digest in digests.items():
        try:
            data = _read(folder / name)
        except OutputError:  # a link where a file was written
            return None
        if data is None or _sha256(data) != digest:
            return None
    return stamp


def built_with(folder: Path) -> dict[str, str]:
    """The versions of the packages that shaped the folder's bytes, as its manifest records
    them; empty for a folder without them."""
    try:
        recorded = json.loads(_read(Path(folder) / MANIFEST_NAME) or b"{}").get("built_with", {})
    except (ValueError, AttributeError):
        return {}
    if not isinstance(recorded, dict):
        return {}
    return {str(name): str(version) for name, version in recorded.items()}


def owned(folder: Path) -> set[str]:
    """The names in ``folder`` its builds wrote: its manifest, or for an older folder, guessed.

    A folder with no manifest but a ledger was written before manifests: it
    owns ``feeds.json``, the feeds that lists, ``index.html`` and the ledger.
    A folder with neither owns nothing (a first build leaves its files alone).

    Raises:
        OutputError: if the manifest is not one a build wrote.
    """
    manifest = folder / MANIFEST_NAME
    data = _read(manifest)
    if data is not None:
        try:
            names = json.loads(data)["files"]
            if isinstance(names, list) and all(isinstance(name, str) for name in names):
                return {name for name in names if _plain(name) and is_managed(name)}
        except (ValueError, TypeError, KeyError):
            pass
        raise OutputError(
            f"{manifest}: expected a pe-schedule manifest, got {data[:60]!r}; "
            "remove it only if every .ics in the folder is one a build wrote"
        )
    if _lstat(folder / LEDGER_NAME) is None:
        return set()
    return {*_LEGACY_NAMES, *_listed_feeds(folder / "feeds.json")}


def _listed_feeds(path: Path) -> set[str]:
    try:
        data: Any = json.loads(_read(path) or b"{}")
        files = [feed.get("file") for feed in data.get("feeds", [])]
    except (ValueError, AttributeError, TypeError):
        return set()
    return {name for name in files if isinstance(name, str) and _plain(name) and is_managed(name)}


def compare(files: Iterable[tuple[str, bytes]], folder: Path) -> Comparison:
    """Compare ``files`` (name, bytes) with ``folder``, reading only; writes nothing.

    ``extra`` names only files a build wrote (see :func:`owned`) that it would
    no longer write: a user's own ``holidays.ics`` is not the build's to report.
    A managed name that is a symbolic link is ``different`` (it is not read).
    The manifest is bookkeeping, not output, and is not compared.
    """
    folder = Path(folder)
    present = _managed_files(folder)
    mine = owned(folder) if folder.is_dir() else set()
    missing: list[str] = []
    different: list[str] = []
    expected: set[str] = set()
    for name, data in files:
        _check_name(name)
        expected.add(name)
        if name not in present:
            missing.append(name)
            continue
        try:
            existing = _read(folder / name)
        except OutputError:
            existing = None  # a link: not what a build writes
        if existing != data:
            different.append(name)
    return Comparison(
        missing=tuple(sorted(missing)),
        extra=tuple(sorted((present & mine) - expected)),
        different=tuple(sorted(different)),
    )


def _sweep(folder: Path) -> None:
    """Remove temporary files (and links) a killed build left behind, following no link."""
    for entry in os.scandir(folder):
        if entry.name.startswith(TEMP_PREFIX) and not entry.is_dir(follow_symlinks=False):
            with contextlib.suppress(FileNotFoundError):
                Path(entry.path).unlink()


def _fresh(folder: Path) -> Path:
    """A temporary name in ``folder`` that no file has (a random part).

    It does not repeat the name of the file it will become (the journal says
    that): short names keep a folder of 100,000 feeds' directory and the
    build's list of pending renames small.
    """
    return folder / f"{TEMP_PREFIX}{_token()}-{next(_SERIAL)}"


@functools.cache
def _token() -> str:
    # One random part per process and a counter, not a random draw (a system call) per
    # file; O_EXCL still refuses a name that exists.
    return f"{os.getpid()}-{secrets.token_hex(6)}"


#: Numbers the temporary files of this process.
_SERIAL = itertools.count()


def _output_error(error: OSError, folder: Path, name: str) -> OutputError:
    """An OutputError naming the file the build meant to write (not its temporary name)."""
    if error.errno == errno.ENOSPC:
        return OutputError(f"{folder}: no space left on device while writing {name}")
    return OutputError(f"{folder / name}: could not write it ({error.strerror or error})")


def _write_temporary(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` for ``name`` under a fresh temporary name in ``folder``; that name."""
    return _write_new(folder, name, data)


def _write_new(folder: Path, name: str, data: bytes, *, sync: bool = False) -> Path:
    """Write ``data`` under a fresh temporary name; synced to disk now if ``sync`` or
    if this system cannot sync a whole batch at once (see :data:`_SYNC_ONCE`)."""
    temporary = _fresh(folder)
    # O_EXCL and O_NOFOLLOW: never write through a link planted under the temporary name.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        descriptor = os.open(temporary, flags, 0o644)
        try:
            # The descriptor itself, not a file object: open, write, close and no more
            # system calls per file (a file object adds an fstat, an lseek and an ioctl).
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            if sync or not _SYNC_ONCE:
                os.fsync(descriptor)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            raise
        finally:
            os.close(descriptor)
    except OSError as error:
        raise _output_error(error, folder, name) from error
    return temporary


#: Whether one sync(2) after writing a batch makes it durable: on Linux it waits until
#: every file is on disk (elsewhere it may return early, so each file is fsynced as it is
#: written). One fsync per file costs ten times as much for 100,000 files. A full disk
#: is still reported where it happens: file systems that delay allocation (ext4, xfs,
#: btrfs) reserve the space in write(2).
_SYNC_ONCE = sys.platform == "linux"


def _sync_written() -> None:
    """Make every file written so far durable, when :data:`_SYNC_ONCE` left that for now."""
    if _SYNC_ONCE:
        os.sync()


def _set_aside(path: Path) -> Path:
    """Keep ``path``'s current file under a fresh backup name, without moving it."""
    backup = _fresh(path.parent)
    try:
        # A hard link onto a fresh name: fails rather than follows if the name exists.
        os.link(path, backup, follow_symlinks=False)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # A file system without hard links: a copy keeps the old bytes as well.
        return _write_temporary(path.parent, f"old-{path.name}", _read(path) or b"")
    return backup


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_journal(folder: Path, renames: list[tuple[str, str]], removals: list[Path]) -> None:
    """Durably record the commit about to be made, so a killed one can be finished."""
    text = json.dumps(
        {
            "pe_schedule_journal": 1,
            "renames": [[temporary, target] for temporary, target in renames],
            "removals": [path.name for path in removals],
        }
    )
    # The files it names first: a journal must never outlive them on disk after a crash.
    _sync_written()
    # Not _write_temporary: tests count (and fail) the writes of files, not of the journal.
    temporary = _write_new(folder, JOURNAL_NAME, f"{text}\n".encode(), sync=True)
    temporary.replace(folder / JOURNAL_NAME)
    _fsync_folder(folder)


def _journal_entries(folder: Path) -> tuple[list[tuple[str, str]], list[str]] | None:
    """The renames and removals of a journal a killed build left, checked; ``None`` if none."""
    path = folder / JOURNAL_NAME
    data = _read(path)
    if data is None:
        return None
    try:
        journal = json.loads(data)
        renames = [(str(temporary), str(target)) for temporary, target in journal["renames"]]
        removals = [str(name) for name in journal["removals"]]
    except (ValueError, TypeError, KeyError):
        raise OutputError(
            f"{path}: expected a pe-schedule journal, got {data[:60]!r} "
            "(remove it to keep the folder as it is)"
        ) from None
    names_ok = all(
        temporary.startswith(TEMP_PREFIX)
        and _plain(temporary)
        and _plain(target)
        and (is_managed(target) or target == MANIFEST_NAME)
        for temporary, target in renames
    ) and all(_plain(name) and is_managed(name) for name in removals)
    if not names_ok:
        raise OutputError(f"{path}: expected renames of temporary files to feed names, got others")
    return renames, removals


def recover(folder: Path) -> bool:
    """Finish the commit of a build killed part-way (roll forward); whether there was one.

    A journal exists only once every new file is written, so finishing it is
    always possible: each temporary file still there is renamed into place
    (one already gone was renamed before the kill), each listed removal made.
    """
    entries = _journal_entries(folder)
    if entries is None:
        return False
    renames, removals = entries
    for temporary, target in renames:
        status = _lstat(folder / temporary)
        if status is not None and stat.S_ISREG(status.st_mode):
            (folder / temporary).replace(folder / target)
    for name in removals:
        status = _lstat(folder / name)
        if status is not None and not stat.S_ISDIR(status.st_mode):
            (folder / name).unlink()
    _fsync_folder(folder)
    (folder / JOURNAL_NAME).unlink()
    _fsync_folder(folder)
    return True


def _drop_journal(folder: Path) -> bool:
    """Remove the journal before an undo; ``False`` if it stays (the next command finishes)."""
    try:
        (folder / JOURNAL_NAME).unlink()
    except FileNotFoundError:
        return True
    except OSError:
        # Undoing under a journal that stays would leave a later roll-forward
        # half the renames: leave everything for that roll-forward instead.
        return False
    return True


def _commit(folder: Path, pending: list[tuple[str, str]], stale: list[Path]) -> None:
    """Rename every written file into place and remove ``stale`` ones, all or nothing.

    The journal is written first, so a kill from then on is finished by the
    next command (:func:`recover`). Each replaced file is also linked to a
    backup name, and each stale one moved to one, so that a rename failing
    part-way (a full disk, a file made read-only) can be undone in process.
    """
    # (target, its old file's backup or None if new), as names: see _Staged.pending.
    undo: list[tuple[str, str | None]] = []
    current = folder / JOURNAL_NAME  # the file being put in place, for an error message
    try:
        _write_journal(folder, pending, stale)
        for temporary, name in pending:
            current = target = folder / name
            backup = _set_aside(target).name if _lstat(target) is not None else None
            undo.append((name, backup))
            (folder / temporary).replace(target)
        for path in stale:
            current = path
            aside = _fresh(folder)
            path.replace(aside)
            undo.append((path.name, aside.name))
        _fsync_folder(folder)
        (folder / JOURNAL_NAME).unlink()
    except BaseException as error:
        if _drop_journal(folder):
            # Undo rather than finish, now that no later command will roll forward.
            for name, backup in reversed(undo):
                with contextlib.suppress(OSError):
                    if backup is None:
                        (folder / name).unlink()
                    else:
                        (folder / backup).replace(folder / name)
            _sweep(folder)
        if isinstance(error, OSError):
            raise _output_error(error, folder, current.name) from error
        raise
    _sweep(folder)


def _holder(descriptor: int) -> int | None:
    """The pid holding the lock on ``descriptor``'s file, where the system says (Linux)."""
    inode = os.fstat(descriptor).st_ino
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/locks").read_text(encoding="ascii").splitlines():
            fields = line.split()
            if fields[1] == "FLOCK" and int(fields[5].split(":")[2]) == inode:
                return int(fields[4])
    return None


def _acquire(folder: Path, *, write: bool, timeout: float) -> int | None:
    """Take the folder's lock, waiting up to ``timeout`` seconds; its descriptor.

    The holder removes the lock file when it is done (so a folder holds no
    trace of a finished build), so a lock taken on a file that has since been
    removed or replaced is no lock at all: then open the new one and try again.
    ``None`` for a check that cannot create the lock file (a read-only folder).
    """
    path = folder / LOCK_NAME
    deadline = time.monotonic() + timeout
    while True:
        descriptor = _open_lock(folder, write=write)
        if descriptor is None:
            return None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                pid = _holder(descriptor)
                os.close(descriptor)
                break
        else:
            current = _lstat(path)
            if current is not None and current.st_ino == os.fstat(descriptor).st_ino:
                return descriptor
        os.close(descriptor)
        time.sleep(0.02)
    holder = "another build" if pid is None else f"another build (pid {pid})"
    raise OutputError(
        f"{folder}: expected to be the only build using this folder, but {holder} held "
        f"its lock {LOCK_NAME} for {timeout:g} s; try again when it has finished"
    )


def _release(folder: Path, descriptor: int) -> None:
    """Remove the lock file while still holding it (see :func:`_acquire`), then let go."""
    try:
        with contextlib.suppress(OSError):
            (folder / LOCK_NAME).unlink()
    finally:
        os.close(descriptor)


def _open_lock(folder: Path, *, write: bool) -> int | None:
    """The lock file's descriptor; ``None`` for a check that cannot create it (read-only)."""
    path = folder / LOCK_NAME
    flags = os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(path, flags | os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        if not write:
            with contextlib.suppress(OSError):
                return os.open(path, flags | os.O_RDONLY)
            return None
        raise _output_error(error, folder, LOCK_NAME) from error


def _check_folder(folder: Path, *, write: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: expected a folder for the feeds, got a file")
    if not write:
        return
    if folder.is_symlink():
        raise OutputError(
            f"{folder}: expected a real folder for the feeds, got a symbolic link "
            f"(use the folder it points to: {folder.resolve()})"
        )
    if not folder.parent.is_dir():
        raise OutputError(f"{folder}: expected an existing parent folder, got none")


def _tidy(folder: Path, *, write: bool) -> None:
    """Under the lock: finish a killed build's commit and sweep its temporary files."""
    try:
        recover(folder)
    except OSError as error:
        raise _output_error(error, folder, JOURNAL_NAME) from error
    # A dead build's temporary files are garbage under the lock; a check
    # sweeps them too (if it can), so nothing reads them as feeds.
    try:
        _sweep(folder)
    except OSError:
        if write:
            raise


@contextlib.contextmanager
def locked(folder: Path, *, write: bool = True, timeout: float | None = None) -> Iterator[None]:
    """Hold ``folder``'s lock for a whole build or check, finishing a killed build's commit.

    Args:
        folder: The folder of feeds; with ``write``, created if missing (and
            removed again if the build fails).
        write: For a build (create the folder, fail if the lock cannot be
            made). A check takes the same lock, so it never reads a
            half-committed folder, but goes on unlocked in a read-only folder.
        timeout: Seconds to wait for another build; :data:`LOCK_TIMEOUT` if ``None``.

    Raises:
        OutputError: naming the folder if another build holds it for too long,
            or if it cannot be a folder of feeds.
    """
    folder = Path(folder)
    _check_folder(folder, write=write)
    created = False
    if write and not folder.exists():
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
            created = True
    if not folder.is_dir():
        yield  # a check of a folder that does not exist: nothing to lock or read
        return
    key = folder.resolve()
    descriptor: int | None = None
    failed = False
    try:
        wait = LOCK_TIMEOUT if timeout is None else timeout
        descriptor = _acquire(folder, write=write, timeout=wait)
        _tidy(folder, write=write)
        _held().add(key)
        yield
    except BaseException:
        failed = True
        raise
    finally:
        _held().discard(key)
        if descriptor is not None:
            _release(folder, descriptor)
        if created and failed:
            # "Exactly as it was" includes not existing.
            with contextlib.suppress(OSError):
                folder.rmdir()


def publish(
    files: Iterable[tuple[str, bytes]],
    folder: Path,
    *,
    built_with: Mapping[str, str] | None = None,
    stamp: Stamp | None = None,
) -> Written:
    """Make ``folder`` hold exactly ``files`` (name, bytes) among the files it owns.

    ``files`` may be a generator: if it raises part-way, every temporary file is
    removed and the folder is left exactly as it was. Only once all files are
    written are they renamed into place and stale owned files removed (see the
    module's notes: a feed-like file the build did not write is left alone and
    listed in :attr:`Written.foreign`). Takes the folder's lock unless this
    process already holds it (see :func:`locked`).

    Args:
        files: Plain file names (see :func:`is_managed`) and their bytes.
        folder: The folder; created if missing (its parent must exist).
        built_with: Versions of the packages that shaped the bytes, recorded in
            the manifest so a later ``--check`` can say which one changed.
        stamp: What fed the build, recorded with each file's SHA-256 so a later
            check of the same inputs can answer at once (:func:`stamped`).

    Raises:
        OutputError: if a name is not a plain managed file name, appears twice,
            is a symbolic link in the folder, or the folder cannot be used;
            naming the file meant (and for a full disk, the folder).
    """
    folder = Path(folder)
    if not folder.is_dir() or folder.resolve() not in _held():
        with locked(folder):
            return publish(files, folder, built_with=built_with, stamp=stamp)
    present = _managed_files(folder)
    mine = owned(folder)
    staged = _stage(files, folder, present)
    names = set(staged.digests)
    removed = tuple(sorted((present & mine) - names))
    manifest = manifest_bytes(names, built_with, stamp=stamp, digests=staged.digests)
    pending = _with_manifest(folder, staged.pending, manifest)
    # Outside the try: a failed commit cleans up after itself, and must keep the
    # temporary files a journal it could not remove names.
    _commit(folder, pending, [folder / name for name in removed])
    return Written(
        written=tuple(sorted(name for _, name in staged.pending)),
        unchanged=tuple(sorted(staged.unchanged)),
        removed=removed,
        foreign=tuple(sorted(present - mine - names)),
    )


def _with_manifest(
    folder: Path, pending: list[tuple[str, str]], manifest: bytes
) -> list[tuple[str, str]]:
    """``pending`` and, if it changed, the manifest written under a temporary name;
    on failure every temporary file is removed."""
    try:
        if _read(folder / MANIFEST_NAME) == manifest:
            return list(pending)
        temporary = _write_temporary(folder, MANIFEST_NAME, manifest)
    except BaseException:
        _remove(folder, pending)
        raise
    return [*pending, (temporary.name, MANIFEST_NAME)]


def _remove(folder: Path, pending: list[tuple[str, str]]) -> None:
    """Remove the temporary files of ``pending`` (a failed build's)."""
    for temporary, _ in pending:
        with contextlib.suppress(FileNotFoundError):
            (folder / temporary).unlink()


@attrs.frozen(kw_only=True)
class _Staged:
    """Files written under temporary names, not yet in place (internal)."""

    #: (temporary file, the file it replaces or adds), as names in the folder: plain
    #: strings, a tenth of the memory of paths when a build writes 100,000 files.
    pending: list[tuple[str, str]]
    unchanged: list[str]
    #: The SHA-256 of every file, written or unchanged, by name.
    digests: dict[str, str]


def _stage(files: Iterable[tuple[str, bytes]], folder: Path, present: set[str]) -> _Staged:
    """Write every changed file under a temporary name; on any failure remove them all."""
    pending: list[tuple[str, str]] = []
    digests: dict[str, str] = {}
    unchanged: list[str] = []
    try:
        for name, data in files:
            _check_name(name)
            if name in digests:
                raise OutputError(f"{folder / name}: expected each file once, got it twice")
            digests[name] = _sha256(data)
            # _read refuses a link: a build never replaces (or writes through) one.
            if name in present and _read(folder / name) == data:
                unchanged.append(name)
                continue
            pending.append((_write_temporary(folder, name, data).name, name))
    except BaseException:
        _remove(folder, pending)
        raise
    return _Staged(pending=pending, unchanged=unchanged, digests=digests)


__all__ = [
    "JOURNAL_NAME",
    "LOCK_NAME",
    "LOCK_TIMEOUT",
    "MANAGED_NAMES",
    "MANAGED_SUFFIXES",
    "MANIFEST_NAME",
    "TEMP_PREFIX",
    "Comparison",
    "Stamp",
    "Written",
    "built_with",
    "compare",
    "is_managed",
    "locked",
    "manifest_bytes",
    "owned",
    "publish",
    "recover",
    "stamped",
]
