"""The ``pe-schedule`` command line.

Each subcommand is one :class:`Command` in :data:`COMMANDS`: a function that
declares its arguments and a ``_run_<command>(args) -> int`` function. Adding a
subcommand is adding one entry. :func:`main` is the single error boundary: the
library's errors (and failures to read or write files) become ``error: ...``
lines on stderr and exit status 2, never a traceback. Any other exception is a
bug: it becomes two ``error:`` lines (its type and message, and a request to
report it) and exit status 3, so CI never mistakes a crash for broken rules.
Setting ``PE_SCHEDULE_DEBUG=1`` lets such a bug end in its traceback instead.

Exit status: 0 success, 1 a check found violations (or ``build --check`` found
stale feeds), 2 bad usage or an input or output that cannot be used, 3 an
internal error (a bug in pe-schedule).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import attrs

from pe_schedule._internal.declaration.source import discover, solved_path, zone_hint
from pe_schedule._internal.model.zones import Zone
from pe_schedule._internal.render import listing
from pe_schedule._internal.render.grid import RENDERERS, Grid
from pe_schedule._internal.render.grid_pdf import PDF_FORMAT, render_pdf
from pe_schedule.exceptions import PeScheduleError, Unsolvable

if TYPE_CHECKING:
    # Each command imports the layers it uses where it runs: the feed writer and its
    # ledger only to write or compare feeds, the expansion (and its holiday calendar)
    # only to date events, so `build --check` answered from a stamp loads neither.
    from pe_schedule._internal import build, stamp
    from pe_schedule._internal import solve as solver
    from pe_schedule._internal.model.programme import Programme
    from pe_schedule._internal.model.solved import Solved
    from pe_schedule._internal.publish import ledger
    from pe_schedule._internal.schedule.check import Finding
    from pe_schedule._internal.upload import Track as UploadTrack

#: Exit status when everything checked holds.
EXIT_OK = 0
#: Exit status when a check found violations.
EXIT_VIOLATIONS = 1
#: Exit status for bad usage or an input or output that cannot be used (argparse's too).
EXIT_ERROR = 2
#: Exit status for a bug: an exception pe-schedule did not expect (never bad input).
EXIT_INTERNAL = 3
#: Set to ``1`` to let an internal error end in its traceback, for a bug report.
DEBUG_VARIABLE = "PE_SCHEDULE_DEBUG"

#: The end of ``pe-schedule --help``: what each exit status means.
EPILOG = f"""\
exit status:
  {EXIT_OK}  success
  {EXIT_VIOLATIONS}  rules broken, calendar problems found, or feeds out of date (build --check)
  {EXIT_ERROR}  bad usage, or an input or output that cannot be used
  {EXIT_INTERNAL}  internal error: a bug in pe-schedule (set {DEBUG_VARIABLE}=1 for a traceback)
"""


def describe_finding(file: str, finding: Finding) -> str:
    """One line for ``finding`` in ``file``: ``FILE: cohort/activity YYYY-MM: message [rule: kind]``.

    >>> from pe_schedule import Violation, YearMonth
    >>> print(describe_finding("p.toml", Violation(
    ...     rule="every", cohort="ac", activity="calls", month=YearMonth(2023, 5),
    ...     message="All-Team Calls is missing in May 2023.")))
    p.toml: ac/calls 2023-05: All-Team Calls is missing in May 2023. [rule: every]
    """
    where = f"{finding.cohort}/{finding.activity}" if finding.activity else finding.cohort
    if finding.month is not None:
        where += f" {finding.month}"
    # A violation of a rule across cohorts also names the rule's other activities.
    rule = " ".join((finding.rule, *getattr(finding, "against", ())))
    return f"{file}: {where}: {finding.message} [rule: {rule}]"


def _out(text: str) -> None:
    sys.stdout.write(text)


def _error(message: str) -> None:
    # One "error: " per line, so each problem of a file stands on its own for grep and editors.
    for line in message.splitlines() or [""]:
        sys.stderr.write(f"error: {line}\n")


def _os_message(error: OSError) -> str:
    if error.filename is not None and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return str(error)


def _progress_wanted() -> bool:
    """Whether to draw progress: standard error is a terminal, not CI, plain output not asked."""
    from pe_schedule._internal import progress

    return progress.wanted(sys.stderr, os.environ)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _load(path: Path, *, solved: bool = True) -> Programme:
    from pe_schedule._internal.declaration.load import load

    return load(path, solved=solved)


# -- grid ---------------------------------------------------------------------------------------


def _arguments_grid(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", type=Path, help="a declaration (.toml)")
    parser.add_argument(
        "--format",
        choices=[*RENDERERS, PDF_FORMAT],
        default="text",
        help="output format (default: %(default)s); pdf needs the pdf extra, "
        "and -o or a pipe (never a terminal)",
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH", type=Path, help="write here instead of standard output"
    )


def _run_grid(args: argparse.Namespace) -> int:
    if args.format == PDF_FORMAT:
        return _grid_pdf(args)
    text = RENDERERS[args.format](Grid.of(_load(args.file)))
    if args.output is None:
        _out(text)
    else:
        _replace_file(args.output, text)
    return EXIT_OK


def _grid_pdf(args: argparse.Namespace) -> int:
    """``grid --format pdf``: the bytes go to ``-o``, or to standard output if it is no terminal."""
    # Before any work: a terminal is refused at once, and never sent a PDF.
    stdout = None if args.output is not None else _binary_stdout()
    if args.output is None and stdout is None:
        return EXIT_ERROR
    pdf = render_pdf(Grid.of(_load(args.file)), source=str(args.file))
    if stdout is None:
        _replace_bytes(args.output, pdf)
        return EXIT_OK
    sys.stdout.flush()
    rest = memoryview(pdf)
    while rest:  # an unbuffered standard output (python -u) may take part of it at a time
        rest = rest[stdout.write(rest) :]
    stdout.flush()
    return EXIT_OK


def _binary_stdout() -> BinaryIO | None:
    """Standard output's bytes, unless it is a terminal (which is said on standard error)."""
    stdout: BinaryIO | None = getattr(sys.stdout, "buffer", None)
    found = None
    if sys.stdout.isatty():
        found = "a terminal (a PDF is binary)"
    elif stdout is None:
        found = "a standard output that takes no bytes"
    if found is not None:
        _error(
            "grid --format pdf: expected -o FILE, or standard output redirected to a file "
            f"or a pipe, got {found}"
        )
        return None
    return stdout


# -- check --------------------------------------------------------------------------------------


def _arguments_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        metavar="PATH",
        type=Path,
        nargs="+",
        help="a declaration, or a folder of declarations; several are checked in turn "
        "(as a pre-commit hook passes the changed files)",
    )


def _run_check(args: argparse.Namespace) -> int:
    from pe_schedule._internal.schedule.check import check
    from pe_schedule._internal.schedule.sanity import working_hours_report

    # Each file once, in the order given: a folder and a file in it are one check.
    files: dict[Path, None] = {}
    for path in args.paths:
        found = discover(path)
        if not found:
            _error(f"{path}: expected declaration files (*.toml), got none")
            return EXIT_ERROR
        files.update(dict.fromkeys(found))
    unreadable = failing = violations = 0
    for file in files:
        # One file that cannot be used must not hide the findings of the others.
        try:
            programme = _load(file)
            findings = check(programme)
            hours = working_hours_report(programme)
        except PeScheduleError as error:
            _error(str(error))
            unreadable += 1
            continue
        except OSError as error:
            _error(_os_message(error))
            unreadable += 1
            continue
        for finding in findings:
            _out(describe_finding(str(file), finding) + "\n")
        if hours is not None:
            # The figures behind the working-hours check, so a pass can be seen to mean something.
            _out(f"{file}: working hours by team zone\n")
            _out("".join(f"  {line}\n" for line in hours.lines()))
        if findings:
            failing += 1
            violations += len(findings)
    outcome = []
    if violations:
        outcome.append(f"{_plural(violations, 'violation')} in {_plural(failing, 'file')}")
    if unreadable:
        outcome.append(f"{_plural(unreadable, 'file')} unreadable")
    summary = ", ".join(outcome) if outcome else "every rule holds"
    _out(f"checked {_plural(len(files), 'file')}: {summary}\n")
    if unreadable:
        return EXIT_ERROR
    return EXIT_VIOLATIONS if violations else EXIT_OK


# -- events -------------------------------------------------------------------------------------


def _date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _zone_argument(text: str) -> Zone:
    try:
        return Zone(text)
    except ValueError as error:
        hint = zone_hint(text)
        raise argparse.ArgumentTypeError(f"{error} ({hint})" if hint else str(error)) from None


def _arguments_events(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", type=Path, help="a declaration (.toml)")
    parser.add_argument("--cohort", metavar="C", help="only this cohort's events")
    parser.add_argument("--team", metavar="T", help="only the events of this roster team")
    parser.add_argument("--person", metavar="P", help="only the events of this roster person")
    parser.add_argument("--activity", metavar="A", help="only this activity's or event's")
    parser.add_argument(
        "--from", dest="start", metavar="D", type=_date_argument, help="from this date (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--to", dest="end", metavar="D", type=_date_argument, help="to this date, included"
    )
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        type=_zone_argument,
        help="show times as seen in this IANA zone (default: each event's own)",
    )
    parser.add_argument(
        "--format", choices=list(listing.FORMATS), default="table", help="(default: %(default)s)"
    )


def _run_events(args: argparse.Namespace) -> int:
    from pe_schedule._internal.schedule import expand

    found = expand.events(
        _load(args.file),
        cohort=args.cohort,
        team=args.team,
        person=args.person,
        activity=args.activity,
        start=args.start,
        end=args.end,
    )
    _out(listing.FORMATS[args.format](found, args.tz))
    return EXIT_OK


# -- build and serve (feeds) -------------------------------------------------------------------


def _arguments_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="PATH",
        type=Path,
        help="a declaration (.toml), or a folder of them: each builds beside itself",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="the folder of feeds (default: a folder named after the programme, beside PATH)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if DIR differs from what a build would write",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the https address DIR is published at, for index.html's subscribe links",
    )
    parser.add_argument(
        "--allow-http",
        action="store_true",
        help="accept a plain http --base-url (with a warning: many calendars refuse http feeds)",
    )
    parser.add_argument(
        "--repair-ledger",
        action="store_true",
        help="rebuild a damaged ledger from what is left and DIR's feeds, never lowering a "
        "SEQUENCE; each repair is noticed",
    )


def _base_url_usable(base_url: str, *, allow_http: bool) -> bool:
    """Whether ``base_url`` is an absolute https address (http only with ``allow_http``,
    warned about); if not, says why. ``build`` and ``links`` follow the same rule."""
    from pe_schedule._internal.render.index_page import base_url_of

    try:
        base_url_of(base_url, allow_http=allow_http)
    except PeScheduleError as error:
        _error(str(error))
        return False
    if base_url.lower().startswith("http:"):
        sys.stderr.write(
            f"warning: --base-url {base_url} is plain http: Google Calendar and "
            "other clients may refuse to subscribe, and feeds travel unencrypted\n"
        )
    return True


def _run_build(args: argparse.Namespace) -> int:
    if args.base_url is not None and not _base_url_usable(
        args.base_url, allow_http=args.allow_http
    ):
        return EXIT_ERROR
    files = discover(args.file)
    if not files:
        _error(f"{args.file}: expected declaration files (*.toml), got none")
        return EXIT_ERROR
    if args.out is not None and args.file.is_dir():
        _error(
            f"{args.file}: --out goes with one declaration; "
            "each declaration of a folder builds beside itself"
        )
        return EXIT_ERROR
    status = EXIT_OK
    for file in files:
        # As in check: one declaration that cannot be built must not hide the others.
        try:
            status = max(status, _build_one(file, args.out, args))
        except PeScheduleError as error:
            _error(str(error))
            status = EXIT_ERROR
        except OSError as error:
            _error(_os_message(error))
            status = EXIT_ERROR
    return status


def _build_one(file: Path, out: Path | None, args: argparse.Namespace) -> int:
    from pe_schedule._internal import stamp
    from pe_schedule._internal.publish import key

    # Read before loading: a file changed meanwhile must not be stamped as built.
    sources = stamp.read_sources(file)
    if args.check and not args.repair_ledger and sources is not None:
        status = _quick_check(file, out, sources, args)
        if status is not None:
            return status
    # Only now: a folder the stamp vouches for is answered without the writer.
    from pe_schedule._internal import build

    programme = _load(file)
    out = out or build.default_folder(file, programme)
    feed_key = key.feed_key(os.environ, Path.cwd(), file.resolve().parent)
    result = build.build(
        programme,
        out,
        key=feed_key,
        check=args.check,
        base_url=args.base_url,
        repair_ledger=args.repair_ledger,
        sources=sources,
        track=_files_progress(out) if _progress_wanted() else None,
    )
    for notice in result.notices:
        sys.stderr.write(f"notice: {notice}\n")
    feeds_planned = _plural(len(result.plan.feeds), "feed")
    if result.comparison is not None:
        for line in result.comparison.lines():
            _out(f"{out}: {line}\n")
        if not result.comparison.same:
            _out(f"{out}: out of date; run pe-schedule build {file} --out {out}\n")
            return EXIT_VIOLATIONS
        _out(f"{out}: up to date ({feeds_planned})\n")
        return EXIT_OK
    assert result.written is not None
    written = result.written
    _out(
        f"{out}: {feeds_planned}; {len(written.written)} written, "
        f"{len(written.unchanged)} unchanged, {len(written.removed)} removed\n"
    )
    if result.changes:
        where = "" if args.out is None else f" --out {out}"
        _out(
            f"{out}: {_plural(len(result.changes), 'change')} for subscribers; "
            f"`pe-schedule changes {file}{where} --since REF` announces them\n"
        )
    return EXIT_OK


def _files_progress(out: Path) -> build.Track:
    from pe_schedule._internal import progress

    track: build.Track = progress.files(sys.stderr, f"writing {out}")
    return track


def _quick_check(
    file: Path, out: Path | None, sources: stamp.Sources, args: argparse.Namespace
) -> int | None:
    """``build --check``'s answer from the folder's stamp, if it vouches nothing changed;
    ``None`` to go the full way (which also reports any problem this skipped)."""
    from pe_schedule._internal import stamp
    from pe_schedule._internal.publish import key

    try:
        feed_key = key.feed_key(os.environ, Path.cwd(), file.resolve().parent)
    except PeScheduleError:
        return None
    vouched = stamp.quick_check(sources, out, key=feed_key, base_url=args.base_url)
    if vouched is None:
        return None
    for notice in vouched.notices:
        sys.stderr.write(f"notice: {notice}\n")
    folder = out or file.parent / str(sources.programme)
    _out(f"{folder}: up to date ({_plural(vouched.feeds, 'feed')})\n")
    return EXIT_OK


def _arguments_changes(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="PATH", type=Path, help="a declaration (.toml)")
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="its folder of feeds (default: a folder named after the programme, beside PATH)",
    )
    since = parser.add_mutually_exclusive_group()
    since.add_argument(
        "--since",
        metavar="REF",
        help="compare with the ledger committed at this git revision",
    )
    since.add_argument(
        "--ledger", metavar="OLD", type=Path, help="compare with this older ledger file"
    )
    parser.add_argument(
        "--format", choices=("text", "markdown"), default="text", help="(default: %(default)s)"
    )


def _run_changes(args: argparse.Namespace) -> int:
    from pe_schedule._internal import build
    from pe_schedule._internal.publish import files, ledger
    from pe_schedule._internal.render import changelog

    programme = _load(args.file)
    out = args.out or build.default_folder(args.file, programme)
    # Under the folder's lock, as a build reads it: a build killed mid-commit is
    # finished first, so the ledger read is never behind the feeds.
    if args.out is None and not (out / ledger.LEDGER_NAME).exists():
        # Most likely built elsewhere: say so before announcing every event as new.
        sys.stderr.write(
            f"notice: {out} holds no ledger, so every event counts as new; for feeds built "
            f"with --out DIR, run: pe-schedule changes {args.file} --out DIR\n"
        )
    with files.locked(out, write=False):
        revision, notices = build.revise(programme, out)
    for notice in notices:
        sys.stderr.write(f"notice: {notice}\n")
    if args.since is not None:
        changes = ledger.diff(
            _committed_ledger(out / ledger.LEDGER_NAME, args.since), revision.ledger
        )
    elif args.ledger is not None:
        old = ledger.read(args.ledger)
        if old is None:
            _error(f"{args.ledger}: expected a ledger file, got no such file")
            return EXIT_ERROR
        changes = ledger.diff(old, revision.ledger)
    else:
        changes = revision.changes
    names = changelog.audience_names(programme)
    _out(changelog.render(changes, audience_name=names, markdown=args.format == "markdown"))
    return EXIT_OK


def _committed_ledger(path: Path, revision: str) -> ledger.Ledger:
    """The ledger at ``path`` as committed at git ``revision`` (empty if it was not there)."""
    import subprocess

    from pe_schedule._internal.publish import ledger

    # "--output=FILE" as a revision would make git write FILE: no revision starts with "-".
    if revision.startswith("-") or not revision.strip():
        raise PeScheduleError(
            f"{path}: expected a git revision such as 'HEAD~1' or a tag, got {revision!r}"
        )
    try:
        shown = subprocess.run(
            ["git", "show", "--end-of-options", f"{revision}:./{path.name}"],
            cwd=path.parent if path.parent.is_dir() else None,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise PeScheduleError(
            f"{path}: expected git to read revision {revision!r}, got {error}"
        ) from None
    if shown.returncode != 0:
        reason = shown.stderr.strip().splitlines()[-1] if shown.stderr.strip() else "no output"
        if "exists on disk, but not in" in reason or "does not exist in" in reason:
            return ledger.Ledger()
        raise PeScheduleError(
            f"{path}: expected a ledger at git revision {revision!r}, got: {reason}"
        )
    return ledger.loads(shown.stdout, file=f"{revision}:{path}")


def _arguments_links(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", type=Path, help="a declaration (.toml)")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        required=True,
        help="where the feeds are published, such as https://calendars.example.org/pe",
    )
    parser.add_argument(
        "--allow-http",
        action="store_true",
        help="accept a plain http --base-url (with a warning: many calendars refuse http feeds)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        type=Path,
        help="write the CSV here instead of standard output (keep it private: it holds "
        "every person's name beside their private link)",
    )


def _run_links(args: argparse.Namespace) -> int:
    from pe_schedule._internal.publish import key
    from pe_schedule._internal.render.links import personal_links

    if not _base_url_usable(args.base_url, allow_http=args.allow_http):
        return EXIT_ERROR
    programme = _load(args.file)
    feed_key = key.feed_key(os.environ, Path.cwd(), args.file.resolve().parent)
    if feed_key is None:
        _error(
            f"{args.file}: expected a feed key for personal feed names, got none; set "
            f"{key.KEY_VARIABLE} or put one in a {key.KEY_FILE} file, the one the build used"
        )
        return EXIT_ERROR
    text = personal_links(programme, feed_key, args.base_url, allow_http=args.allow_http)
    if args.output is None:
        _out(text)
    else:
        _replace_file(args.output, text)
    return EXIT_OK


def _arguments_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", type=Path, help="a folder of feeds")
    parser.add_argument(
        "--port",
        type=_port_argument,
        default=8000,
        help="port, 0..65535; 0 picks a free one (default: %(default)s)",
    )


def _port_argument(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number 0..65535, got {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0..65535, got {text!r}")
    return port


def _run_serve(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        _error(f"{args.folder}: expected a folder of feeds, got no such folder")
        return EXIT_ERROR
    # The HTTP stack (http.server, socketserver, email) is loaded only to serve.
    from pe_schedule._internal import serve

    server = serve.make_server(args.folder, port=args.port)
    host, port = server.server_address[:2]
    _out(f"serving {args.folder} at http://{host!s}:{port}/ (Ctrl-C stops)\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


# -- publish ------------------------------------------------------------------------------------


def _arguments_publish(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder", metavar="DIR", type=Path, help="a folder of feeds written by pe-schedule build"
    )
    parser.add_argument(
        "--to",
        metavar="URL",
        required=True,
        help="where to publish: s3://BUCKET/PREFIX (credentials from the standard AWS "
        "configuration), or caldav+https://HOST/PATH/ (a calendar collection, made if missing)",
    )
    parser.add_argument(
        "--feed",
        metavar="FILE",
        help="with caldav+: the feed of DIR whose events the calendar holds, "
        "such as cohort-learning-network.ics",
    )
    parser.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="an S3-compatible store's address (default: AWS_ENDPOINT_URL, else AWS S3)",
    )
    parser.add_argument(
        "--keep-dropped-days",
        metavar="N",
        type=_days_argument,
        default=90,
        help="days a feed no longer built stays as an empty calendar before it is deleted; "
        "use the programme's cancelled_retention_days (default: %(default)s)",
    )


def _days_argument(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of days, 0 or more, got {text!r}"
        )
    return days


def _run_publish(args: argparse.Namespace) -> int:
    publisher = _publisher(args.to)
    if publisher is None:
        schemes = ", ".join(f"{scheme}://" for scheme in _PUBLISHERS)
        _error(f"--to: expected a URL starting with {schemes}, got {args.to!r}")
        return EXIT_ERROR
    return publisher(args)


def _publisher(url: str) -> Callable[[argparse.Namespace], int] | None:
    """What publishes to ``url``, chosen by its scheme; ``None`` for a scheme not known."""
    scheme, separator, _ = url.partition("://")
    return _PUBLISHERS.get(scheme.lower()) if separator else None


def _publish_s3(args: argparse.Namespace) -> int:
    from pe_schedule._internal.upload import s3

    location = s3.S3Location.parse(args.to)
    s3.read_folder(args.folder)  # a folder that cannot be published fails before any request
    try:
        done = s3.publish(
            args.folder,
            location,
            client=s3.client(args.endpoint_url),
            keep_dropped=dt.timedelta(days=args.keep_dropped_days),
            report=lambda line: _out(f"{line}\n"),
            track=_publish_progress(f"publishing to {location}"),
        )
    except Exception as error:
        explained = s3.explain(error, location)
        if explained is None:
            raise
        raise explained from None
    _out(
        f"{location}: {len(done.uploaded)} uploaded, {len(done.unchanged)} unchanged, "
        f"{len(done.emptied)} emptied, {len(done.kept)} kept empty, {len(done.deleted)} deleted\n"
    )
    return EXIT_OK


def _publish_caldav(args: argparse.Namespace) -> int:
    """Put one feed's events into a CalDAV calendar: exit 1 if some were edited there."""
    from pe_schedule._internal.declaration.source import did_you_mean
    from pe_schedule._internal.upload import caldav

    if not args.folder.is_dir():
        _error(f"{args.folder}: expected a folder of built feeds, got no such folder")
        return EXIT_ERROR
    target = caldav.Target.parse(args.to)
    if not target.secure:
        sys.stderr.write(
            f"warning: {args.to}: plain http sends the account and every event unencrypted; "
            "use it only for a server on this machine\n"
        )
    feeds = sorted(path.name for path in args.folder.glob("*.ics"))
    if args.feed is None or args.feed not in feeds:
        found = "none" if args.feed is None else repr(args.feed)
        hint = did_you_mean(args.feed, feeds) if args.feed else None
        hint_text = f" ({hint})" if hint else ""
        _error(
            f"{args.folder}: --feed: expected one of its feeds ({', '.join(feeds) or 'none'}), "
            f"got {found}{hint_text}"
        )
        return EXIT_ERROR
    feed = caldav.Feed.read(args.folder / args.feed)
    outcome = caldav.publish(
        feed,
        target,
        caldav.credentials(os.environ, target.host),
        track=_publish_progress(f"publishing {args.feed}"),
    )
    where = f"{target.url} ({feed.name})"
    if outcome.calendar_created:
        _out(f"{where}: calendar created\n")
    for href in outcome.foreign:
        sys.stderr.write(f"notice: {href}: not put by pe-schedule; left alone\n")
    for conflict in outcome.conflicts:
        _error(f"{where}: {conflict}")
    _out(
        f"{where}: {_plural(len(feed.events), 'event')}; {len(outcome.created)} created, "
        f"{len(outcome.updated)} updated, {len(outcome.removed)} removed, "
        f"{outcome.unchanged} unchanged"
        + (f", {_plural(len(outcome.conflicts), 'conflict')}" if outcome.conflicts else "")
        + "\n"
    )
    return EXIT_VIOLATIONS if outcome.conflicts else EXIT_OK


def _publish_progress(label: str) -> UploadTrack | None:
    """A bar labelled ``label`` over what a publish goes through, on a terminal only.

    Drawn however few the items, unlike a build's (which waits for more than
    ``progress.FILES_THRESHOLD`` files): a build writes a handful of files in a blink,
    but each item of a publish is a request to a server that can take a second or
    stall, and a person watching wants to see it is still going.
    """
    if not _progress_wanted():
        return None
    from pe_schedule._internal import progress

    track: UploadTrack = progress.bar(sys.stderr, label)
    return track


#: What publishes to a target, by the scheme of its URL.
_PUBLISHERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "s3": _publish_s3,
    "caldav+https": _publish_caldav,
    "caldav+http": _publish_caldav,
}


# -- schema -------------------------------------------------------------------------------------


def _arguments_schema(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--roster",
        action="store_true",
        help="print the schema of a roster file (*.roster.toml) instead",
    )


def _run_schema(args: argparse.Namespace) -> int:
    from pe_schedule._internal.declaration.schema import declaration_schema, roster_schema

    schema = roster_schema() if args.roster else declaration_schema()
    _out(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


# -- solve --------------------------------------------------------------------------------------


def _arguments_solve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", type=Path, help="a declaration (.toml)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the solved schedule no longer fits the declaration "
        "and roster",
    )
    parser.add_argument(
        "--effort",
        metavar="N",
        type=_effort_argument,
        default=1.0,
        help="how hard to look for a better schedule (default 1; the result depends only on "
        "the input and N, never on the machine)",
    )


def _effort_argument(text: str) -> float:
    try:
        effort = float(text)
    except ValueError:
        effort = 0.0
    if not 0.0 < effort <= 100.0:
        raise argparse.ArgumentTypeError(f"expected a number above 0 and at most 100, got {text!r}")
    return effort


def _run_solve(args: argparse.Namespace) -> int:
    # The solve layer is loaded only by the command that solves (its checker included).
    from pe_schedule._internal import solve as solver
    from pe_schedule._internal.declaration.solved import read_solved

    programme = _load(args.file, solved=False)
    target = solved_path(args.file)
    previous = read_solved(target) if target.exists() else None
    if args.check:
        return _check_solved(programme, previous, target)
    try:
        solution = _solve_showing_stages(programme, previous, args.effort)
    except Unsolvable as error:
        _out(str(error) + "\n")
        return EXIT_VIOLATIONS
    if not solution.solved.groups and not solution.solved.sessions:
        _out(f"{args.file}: nothing to decide (no grouping, choices or coaches)\n")
        return EXIT_OK
    text = solver.solved_toml(programme, solution)
    unchanged = target.exists() and target.read_text(encoding="utf-8") == text
    if not unchanged:
        _replace_file(target, text)
    for line in solution.summary:
        _out(line + "\n")
    for line in solution.moved:
        _out(f"moved: {line}\n")
    verb = "unchanged" if unchanged else "written"
    _out(f"{target}: {verb} ({_decisions(solution.solved)})\n")
    return EXIT_OK


def _solve_showing_stages(
    programme: Programme, previous: Solved | None, effort: float
) -> solver.Solution:
    """Solve, with a spinner naming each stage on a terminal."""
    from pe_schedule._internal import progress
    from pe_schedule._internal import solve as solver

    if not _progress_wanted():
        return solver.solve(programme, previous, effort=effort)
    with progress.stages(sys.stderr, f"solving {programme.source or ''}".strip()) as stage:
        return solver.solve(programme, previous, effort=effort, stage=stage)


def _decisions(solved: Solved) -> str:
    return f"{_plural(len(solved.groups), 'group')}, {_plural(len(solved.sessions), 'session')}"


def _check_solved(programme: Programme, previous: Solved | None, target: Path) -> int:
    from pe_schedule._internal import solve as solver
    from pe_schedule._internal.model.solved import Solved

    if previous is None:
        previous = Solved()
    problems = solver.verify(programme, previous)
    for problem in problems:
        _out(f"{target}: {problem}\n")
    if problems:
        _out(f"{target}: out of date; run pe-schedule solve {programme.source}\n")
        return EXIT_VIOLATIONS
    _out(f"{target}: holds ({_decisions(previous)})\n")
    return EXIT_OK


def _replace_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, whole or not at all (:func:`_replace_bytes`)."""
    _replace_bytes(path, text.encode("utf-8"))


def _replace_bytes(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: a killed command leaves the old file intact."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(path)
    except OSError as error:
        # The person asked for ``path``: name it, not the temporary file beside it.
        raise OSError(error.errno, error.strerror, str(path)) from None
    finally:
        temporary.unlink(missing_ok=True)


# -- the command table --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Command:
    """One subcommand: its name, a one-line help, its arguments and what it runs."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: Every subcommand, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command(
        name="grid",
        help="print a declaration's activity grid",
        arguments=_arguments_grid,
        run=_run_grid,
    ),
    Command(
        name="check",
        help="check declarations against their rules (exit 1 on violations)",
        arguments=_arguments_check,
        run=_run_check,
    ),
    Command(
        name="solve",
        help="form coaching groups, assign coaches and pick every open slot "
        "(--check: exit 1 if the solved schedule no longer fits)",
        arguments=_arguments_solve,
        run=_run_solve,
    ),
    Command(
        name="events",
        help="list a declaration's dated events, for a team or person if asked",
        arguments=_arguments_events,
        run=_run_events,
    ),
    Command(
        name="build",
        help="write a declaration's iCalendar feeds into a folder (--check: compare only)",
        arguments=_arguments_build,
        run=_run_build,
    ),
    Command(
        name="changes",
        help="announce what changed for subscribers between two builds",
        arguments=_arguments_changes,
        run=_run_changes,
    ),
    Command(
        name="links",
        help="list every person's own feed address as CSV, for a mail merge",
        arguments=_arguments_links,
        run=_run_links,
    ),
    Command(
        name="serve",
        help="serve a folder of feeds on localhost, for trying subscriptions",
        arguments=_arguments_serve,
        run=_run_serve,
    ),
    Command(
        name="publish",
        help="upload a built folder of feeds where subscribers fetch them (s3://), or put "
        "one feed's events into a CalDAV calendar (caldav+https://)",
        arguments=_arguments_publish,
        run=_run_publish,
    ),
    Command(
        name="schema",
        help="print the JSON Schema of a declaration file (--roster: of a roster file)",
        arguments=_arguments_schema,
        run=_run_schema,
    ),
)


def _version() -> str:
    # importlib.metadata costs more to import than most commands take: only when asked.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pe-schedule")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``, the version read only when it is asked for (argparse's own
    ``version`` action needs it when the parser is built, on every run)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.update(nargs=0, default=argparse.SUPPRESS)
        super().__init__(
            option_strings, dest, help="show program's version number and exit", **kwargs
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        _out(f"{parser.prog} {_version()}\n")  # on stdout, as argparse's own action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``pe-schedule``, with one subparser per :data:`COMMANDS` entry."""
    parser = argparse.ArgumentParser(
        prog="pe-schedule",
        description="Declare a programme's cohort activity grids as data, check their "
        "alternating-month rules, and publish them.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction)
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, title="commands"
    )
    for command in COMMANDS:
        subparser = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.arguments(subparser)
        subparser.set_defaults(run=command.run)
    return parser


def _utf8_streams() -> None:
    """Write UTF-8 to standard output and error whatever the locale says.

    Grids, listings and changelogs hold names such as "Pursuing Equity 2023–2024";
    under a Latin-1 or ASCII locale printing them raised UnicodeEncodeError
    half-way through the output. A stream that is not a text file (a test's
    capture, say) is left alone.
    """
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors=errors)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``pe-schedule`` with ``argv`` (default: the process arguments).

    Returns:
        The exit status: 0 success, 1 violations found, 2 unusable input or
        output, 3 an internal error (a bug, reported as such instead of a traceback).
    """
    _utf8_streams()
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except PeScheduleError as error:
        _error(str(error))
    except OSError as error:
        _error(_os_message(error))
    except Exception as error:  # the one place a bug becomes a message
        # Exit 1 means "rules broken" to CI; a crash must not read as that, nor as bad input.
        if os.environ.get(DEBUG_VARIABLE) == "1":
            raise
        _error(f"internal error: {type(error).__name__}: {_first_line(error)}")
        _error(
            "this is a bug in pe-schedule; please report it with the command and input "
            f"that caused it (set {DEBUG_VARIABLE}=1 to see its traceback)"
        )
        return EXIT_INTERNAL
    return EXIT_ERROR


def _first_line(error: BaseException) -> str:
    """The first line of ``error``'s message, at most 300 characters: one line on stderr."""
    try:
        text = str(error)
    except Exception:  # a message that cannot be made is still a bug to report
        text = ""
    lines = text.splitlines()
    first = lines[0] if lines else ""
    return first if len(first) <= 300 else first[:297] + "..."


__all__ = [
    "COMMANDS",
    "EXIT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_VIOLATIONS",
    "Command",
    "build_parser",
    "describe_finding",
    "main",
]
