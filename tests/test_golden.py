"""Golden feeds: iCalendar files written by hand, compared byte for byte with a build.

Each ``tests/golden/NAME.toml`` is a tiny declaration of facts from the request
for applications (seed/pursuing-equity-rfa-2023.txt, summarised in DOMAIN.md).
Beside it, ``tests/golden/NAME/`` holds the ``.ics`` feeds a build of it must
write, written by hand from those facts as RFC 5545 text: CRLF line endings,
content lines folded at 75 octets, the writer's property order, one VTIMEZONE
per zone in RRULE form, DTSTAMP from ``revised``, uids
``{programme}/{cohort}/{activity}/{audience}/{month}@pe-schedule``.

Only the ``.ics`` files are golden. The build's ``feeds.json``, ``index.html``
and ``ledger.jsonl`` are neither kept nor compared: they are not calendar data,
other tests cover them (test_feeds, test_publish, test_ledger), and a change to
the page's markup should not rewrite a calendar's golden file. The names of the
feeds must match exactly, so a feed appearing or vanishing fails as well.

``pytest tests/test_golden.py --regenerate-golden`` rewrites the golden ``.ics``
files from the build instead of comparing; each test then skips, saying what it
rewrote, so a regeneration never passes as a comparison. Review the diff: a
golden file changes only when the facts or the format were meant to change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pe_schedule import build_feeds, load

GOLDEN = Path(__file__).parent / "golden"
DECLARATIONS = sorted(GOLDEN.glob("*.toml"))


def feeds_in(folder: Path) -> dict[str, bytes]:
    """The ``.ics`` files of ``folder``, by name, as bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.ics"))}


def test_there_are_golden_feeds() -> None:
    """At least one golden declaration has a folder of hand-written feeds to compare with."""
    assert DECLARATIONS
    for declaration in DECLARATIONS:
        assert feeds_in(declaration.with_suffix("")), f"no golden .ics beside {declaration.name}"


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=[path.stem for path in DECLARATIONS])
def test_a_build_writes_the_golden_feeds(
    declaration: Path, tmp_path: Path, regenerate_golden: bool
) -> None:
    """A build of each golden declaration writes exactly its hand-written .ics files, byte for byte."""
    folder = declaration.with_suffix("")
    build_feeds(load(declaration), tmp_path / "out")
    built = feeds_in(tmp_path / "out")
    if regenerate_golden:
        folder.mkdir(exist_ok=True)
        for stale in set(feeds_in(folder)) - set(built):
            (folder / stale).unlink()
        for name, data in built.items():
            (folder / name).write_bytes(data)
        pytest.skip(f"regenerated {sorted(built)} in {folder}: review the diff, then run again")
    golden = feeds_in(folder)
    assert sorted(built) == sorted(golden)
    for name, data in golden.items():
        # Line by line first, for a readable report; the lines joined by CRLF are the bytes.
        assert built[name].split(b"\r\n") == data.split(b"\r\n"), name
        assert built[name] == data, name
