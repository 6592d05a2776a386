"""Putting the feeds that ``pe-schedule build`` wrote where people read them: a bucket, a CalDAV calendar."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

#: Given the names of what a publish goes through (files, event UIDs) in the order it
#: sends them, and how many there are, yields them on, each once: a way for the command
#: line to show progress without the upload knowing of terminals.
Track = Callable[[Iterable[str], int], Iterator[str]]

__all__ = ["Track"]
