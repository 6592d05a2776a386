"""The bundled declarations: every rule holds and every committed feed is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from pe_schedule import cli, discover

CALENDARS = Path(__file__).parent.parent / "calendars"
DECLARATIONS = discover(CALENDARS)


def test_the_reference_programme_is_bundled() -> None:
    """calendars/ holds the Pursuing Equity declaration, so the checks below cannot be vacuous."""
    assert CALENDARS / "pursuing-equity-2023-2024.toml" in DECLARATIONS


def test_the_reference_decisions_are_what_solve_makes(tmp_path: Path) -> None:
    """The committed solved schedule is exactly what `pe-schedule solve` writes for the
    committed declaration and roster: groups, coaches and slots come from the solver,
    not from a hand edit."""
    for suffix in (".toml", ".roster.toml", ".solved.toml"):
        name = f"pursuing-equity-2023-2024{suffix}"
        (tmp_path / name).write_bytes((CALENDARS / name).read_bytes())
    solved = tmp_path / "pursuing-equity-2023-2024.solved.toml"
    solved.write_bytes(b"")  # no previous solve to steer it: a fresh solve must agree
    assert cli.main(["solve", str(tmp_path / "pursuing-equity-2023-2024.toml")]) == 0
    assert solved.read_bytes() == (CALENDARS / solved.name).read_bytes()


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


class TestBuildingAFolder:
    """`pe-schedule build FOLDER` builds each declaration beside itself, as CI wants."""

    def test_check_of_the_bundled_folder_passes(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`build calendars --check` finds every committed feed folder up to date."""
        assert cli.main(["build", str(CALENDARS), "--check"]) == 0, capsys.readouterr().out

    def test_a_broken_declaration_does_not_stop_the_others(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The good declaration is built, the broken one named, and the exit status is 2."""
        good = (CALENDARS / "pursuing-equity-2023-2024.toml").read_text(encoding="utf-8")
        (tmp_path / "a-broken.toml").write_text("[programme\n", encoding="utf-8")
        (tmp_path / "b-good.toml").write_text(good, encoding="utf-8")
        roster = "pursuing-equity-2023-2024.roster.toml"
        (tmp_path / roster).write_bytes((CALENDARS / roster).read_bytes())
        solved = "pursuing-equity-2023-2024.solved.toml"
        (tmp_path / "b-good.solved.toml").write_bytes((CALENDARS / solved).read_bytes())
        assert cli.main(["build", str(tmp_path)]) == 2
        assert "a-broken.toml" in capsys.readouterr().err
        assert (tmp_path / "pursuing-equity-2023-2024" / "programme.ics").is_file()

    def test_out_goes_with_one_declaration(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A folder with --out is a usage error: its programmes would share one folder."""
        assert cli.main(["build", str(CALENDARS), "--out", str(tmp_path / "x")]) == 2
        assert "--out goes with one declaration" in capsys.readouterr().err
        assert not (tmp_path / "x").exists()
