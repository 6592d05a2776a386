"""Progress on a terminal for long work: a build's files, a solve's stages, a publish's uploads.

Drawn on standard error with ``rich``, and only for a person watching: when
standard error is a terminal, ``CI`` is not set, and neither ``NO_COLOR`` nor
``TERM=dumb`` asks for plain output. Otherwise nothing is drawn and ``rich`` is
never imported, so CI logs, pipes and start-up stay as they were. The layers
below take a plain callback (:data:`Track`, a stage callable) and know nothing
of terminals.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

T = TypeVar("T")

#: A build shows a bar over its files only when it writes more than this many.
FILES_THRESHOLD = 200

#: Wraps an iterable of ``total`` items, drawing progress as they are consumed.
Track = Callable[[Iterable[T], int], Iterator[T]]


def wanted(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Whether a person watches ``stream``: a terminal, not CI, colour and cursor allowed."""
    if environ.get("CI") or "NO_COLOR" in environ or environ.get("TERM") == "dumb":
        return False
    return _is_terminal(stream)


def _console(stream: TextIO) -> Console:
    from rich.console import Console  # only when a terminal asks for progress

    return Console(file=stream, force_terminal=True)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def bar(stream: TextIO, label: str) -> Callable[[Iterable[T], int], Iterator[T]]:
    """A :data:`Track` drawing a bar labelled ``label`` on ``stream`` however few the
    items, with how many are done; cleared when the last is.

    Meant for work bound by the network, such as a publish: each item is a request
    that can take a second or stall, so even a handful is worth showing. Lines
    written to standard output meanwhile are printed above the bar when standard
    output is a terminal too (they would otherwise tear it); when it is a pipe or a
    file they go there untouched, never to ``stream``.
    """

    def track(items: Iterable[T], total: int) -> Iterator[T]:
        from rich.progress import MofNCompleteColumn, Progress

        with Progress(
            *Progress.get_default_columns(),
            MofNCompleteColumn(),
            console=_console(stream),
            transient=True,
            redirect_stdout=_is_terminal(sys.stdout),
        ) as progress:
            task = progress.add_task(label, total=total)
            for item in items:
                yield item
                progress.advance(task)

    return track


def files(stream: TextIO, label: str) -> Callable[[Iterable[T], int], Iterator[T]]:
    """A :data:`Track` drawing a bar labelled ``label`` on ``stream`` for more than
    :data:`FILES_THRESHOLD` items (fewer, written in a blink, pass straight through)."""
    drawn: Callable[[Iterable[T], int], Iterator[T]] = bar(stream, label)

    def track(items: Iterable[T], total: int) -> Iterator[T]:
        return iter(items) if total <= FILES_THRESHOLD else drawn(items, total)

    return track


@contextlib.contextmanager
def stages(stream: TextIO, first: str) -> Iterator[Callable[[str], None]]:
    """A spinner on ``stream`` beside the current stage; yields the callable that names
    the next one. The line is cleared when the work ends."""
    from rich.live import Live
    from rich.spinner import Spinner

    with Live(Spinner("dots", text=first), console=_console(stream), transient=True) as live:
        live.refresh()

        def stage(text: str) -> None:
            live.update(Spinner("dots", text=text), refresh=True)

        yield stage


__all__ = ["FILES_THRESHOLD", "Track", "bar", "files", "stages", "wanted"]
