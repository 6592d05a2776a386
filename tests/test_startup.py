"""A lean start: importing the library, or running a command, loads only what it needs."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import pe_schedule

#: Modules no plain ``import pe_schedule`` may load: the HTTP stack is ``serve``'s, the
#: solver the ``solve`` command's, rich a terminal's progress, ReportLab a PDF grid's, and of
#: the holiday calendars only the US one is used.
_HEAVY = (
    "http.server",
    "socketserver",
    "ssl",
    "ortools",
    "pe_schedule._internal.solve",
    "rich",
    "reportlab",
)


def _loaded_after(code: str) -> list[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout.splitlines()[-1]))


def _heavy(modules: list[str]) -> list[str]:
    return [
        name
        for name in modules
        if name.startswith("holidays.countries")
        or any(name == heavy or name.startswith(heavy + ".") for heavy in _HEAVY)
    ]


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import pe_schedule", id="library"),
        pytest.param("import pe_schedule.cli", id="command-line"),
        pytest.param(
            "import datetime, pe_schedule._internal.schedule.holidays as h\n"
            "assert h.federal_holiday(datetime.date(2023, 7, 4)) == 'Independence Day'",
            id="holidays-used",
        ),
    ],
)
def test_loads_nothing_heavy(code: str) -> None:
    """No HTTP stack, solver, or other country's holidays is loaded unless asked for."""
    assert _heavy(_loaded_after(code)) == []


def test_version_is_read_only_when_asked() -> None:
    """``__version__`` is not computed on import, and is the installed version when read."""
    script = (
        "import pe_schedule\n"
        "assert '__version__' not in vars(pe_schedule)\n"
        "print(pe_schedule.__version__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout == version("pe-schedule") + "\n"


def _type_checking_imports() -> dict[str, tuple[str, str]]:
    """name -> (module, attribute) of the imports ``pe_schedule`` shows type checkers."""
    tree = ast.parse(Path(pe_schedule.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If))
    return {
        alias.asname or alias.name: (node.module or "", alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_lazy_names_are_the_public_ones() -> None:
    """Every public name loads on first use, as the very object its imports for type
    checkers name, and ``__all__`` lists exactly those names."""
    declared = _type_checking_imports()
    assert declared == pe_schedule._LAZY
    assert sorted(declared) == sorted(set(pe_schedule.__all__) - {"__version__"})
    for name, (module, attribute) in declared.items():
        assert getattr(pe_schedule, name) is getattr(importlib.import_module(module), attribute)
    assert set(pe_schedule.__all__) <= set(dir(pe_schedule))
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = pe_schedule.no_such_name


def test_importing_the_library_loads_none_of_it() -> None:
    """``import pe_schedule`` loads no layer (and no attrs): a program pays for what it uses."""
    loaded = _loaded_after("import pe_schedule")
    assert [name for name in loaded if name.startswith("pe_schedule.")] == []
    assert "attr" not in loaded
    assert "pe_schedule._internal.model.zones" in _loaded_after(
        "from pe_schedule import Zone\nZone('Europe/London')"
    )


def test_serve_loads_http_only_to_serve() -> None:
    """`serve` imports its HTTP stack where it serves: refusing a folder needs none."""
    modules = _loaded_after(
        "from pe_schedule.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        "    main(['serve', 'no-such-folder'])"
    )
    assert "http.server" not in modules  # a missing folder is refused before serving


def test_version_option_reads_the_version_only_when_given(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Building the parser reads no version; ``--version`` prints it on stdout."""
    from pe_schedule import cli

    asked: list[str] = []

    def version() -> str:
        asked.append("asked")
        return "9.9"

    monkeypatch.setattr(cli, "_version", version)
    parser = cli.build_parser()
    parser.parse_args(["check", "calendars"])
    assert asked == []
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == "pe-schedule 9.9\n"


def test_the_startup_benchmark_prints_its_table() -> None:
    """``benchmarks/startup.py`` times every command of its table, beside ``python -c pass``."""
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "startup.py"
    done = subprocess.run(
        [sys.executable, str(script), "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = done.stdout.splitlines()
    assert rows[0] == "| command (1 runs each) | median | min | max |"
    labels = [row.split(" | ")[0].removeprefix("| ") for row in rows[2:]]
    assert labels == [
        "`python -c pass`",
        "`pe-schedule build calendars/pursuing-equity-2023-2024.toml --out DIR`",
        "`pe-schedule build calendars --check`",
        "`pe-schedule check calendars`",
        "`python -c 'import pe_schedule'`",
    ]
    assert all(row.endswith(" s |") for row in rows[2:])
