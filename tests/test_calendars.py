"""The bundled declarations: every rule holds and every committed feed is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from pe_schedule import cli
from pe_schedule.declaration import discover

CALENDARS = Path(__file__).parent.parent / "calendars"
DECLARATIONS = discover(CALENDARS)


def test_the_reference_programme_is_bundled() -> None:
    """calendars/ holds the Pursuing Equity declaration, so the checks below cannot be vacuous."""
    assert CALENDARS / "pursuing-equity-2023-2024.toml" in DECLARATIONS


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=lambda path: path.name)
class TestBundledDeclaration:
    """What CI guarantees of each declaration in calendars/."""

    def test_passes_check(self, declaration: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Every rule and calendar-sanity check holds."""
        assert cli.main(["check", str(declaration)]) == 0, capsys.readouterr().out

    def test_committed_feeds_are_up_to_date(
        self, declaration: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`build --check` finds the committed folder exactly as a build would write it."""
        # Committed feeds are built without a key: no personal feeds in a public folder.
        monkeypatch.delenv("PE_SCHEDULE_FEED_KEY", raising=False)
        monkeypatch.chdir(declaration.parent)
        status = cli.main(["build", str(declaration), "--check"])
        assert status == 0, capsys.readouterr().out
