"""``grid --format pdf``: the grid's picture on a PDF page, read back with an independent reader.

pypdf (not ReportLab, which draws the page) reads where each text is drawn and
each box is filled; the tables are rebuilt from that alone, as a person reads
the printed page: a mark belongs to the box it is drawn in, the box to the
column under a month's box, the month box to the year box above it.
"""

from __future__ import annotations

import calendar
import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from pe_schedule import Grid, PeScheduleError, render_pdf
from pe_schedule._internal.declaration import load as declaration
from pe_schedule._internal.model.months import YearMonth, month_range
from pe_schedule._internal.render.grid import CohortGrid, Row, legend
from pe_schedule.cli import main
from tests.conftest import MINIMAL_DECLARATION
from tests.domain_grids import DOMAIN_GRIDS, PROGRAMME_MONTHS, drawn_tables, shown_marks

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"

#: The fills of the SVG picture (and of the HTML table's cells), as the PDF must have them.
WHITE, HEADER, SCHEDULED, IN_PERSON = "#ffffff", "#eeeeee", "#dbe9f6", "#f6dfb8"
FILL_OF_MARK = {"": WHITE, "X": SCHEDULED, "X*": IN_PERSON}
#: Landscape paper, in points: what a handout is printed on.
LETTER, A4 = (792.0, 612.0), (841.89, 595.28)


# -- reading a PDF back -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Drawn:
    """A text as the page draws it: where its baseline starts, in points from the bottom left."""

    x: float
    y: float
    text: str
    font: str


@attrs.frozen(kw_only=True)
class Box:
    """A filled rectangle of the page, in points from the bottom left."""

    left: float
    bottom: float
    right: float
    top: float
    fill: str

    def holds(self, text: Drawn) -> bool:
        """Whether ``text`` starts inside the box."""
        return self.left <= text.x <= self.right and self.bottom <= text.y <= self.top


@attrs.frozen(kw_only=True)
class Page:
    """What one PDF page draws: its size, texts and boxes."""

    width: float
    height: float
    texts: tuple[Drawn, ...]
    boxes: tuple[Box, ...]
    #: The font resources the page's text uses.
    fonts: tuple[DictionaryObject, ...]


def _apply(matrix: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _hex(rgb: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)


def _dictionary(value: Any) -> DictionaryObject:
    found = value.get_object()
    assert isinstance(found, DictionaryObject)
    return found


def read_page(pdf: bytes) -> Page:
    """The one page of ``pdf``: each text with where it starts and its font, each filled box."""
    (page,) = PdfReader(io.BytesIO(pdf)).pages
    texts: list[Drawn] = []
    boxes: list[Box] = []
    fills = ["#000000"]  # the fill colour, saved and restored with the graphics state

    def operation(operator: bytes, operands: list[Any], cm: list[float], tm: list[float]) -> None:
        if operator == b"q":
            fills.append(fills[-1])
        elif operator == b"Q":
            fills.pop()
        elif operator == b"rg":
            fills[-1] = _hex(tuple(float(value) for value in operands))
        elif operator == b"re":
            x, y, width, height = (float(value) for value in operands)
            (x0, y0), (x1, y1) = _apply(cm, x, y), _apply(cm, x + width, y + height)
            boxes.append(
                Box(
                    left=min(x0, x1),
                    bottom=min(y0, y1),
                    right=max(x0, x1),
                    top=max(y0, y1),
                    fill=fills[-1],
                )
            )

    def text(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x, y = _apply(cm, tm[4], tm[5])
            texts.append(Drawn(x=x, y=y, text=text.rstrip("\n"), font=str(font["/BaseFont"])))

    page.extract_text(visitor_operand_before=operation, visitor_text=text)
    fonts = _dictionary(_dictionary(page["/Resources"])["/Font"])
    return Page(
        width=float(page.mediabox.width),
        height=float(page.mediabox.height),
        texts=tuple(texts),
        boxes=tuple(boxes),
        fonts=tuple(_dictionary(fonts[name]) for name in fonts),
    )


@attrs.frozen(kw_only=True)
class Cell:
    """A table cell as printed: its mark ("" if none), its fill and the mark's font."""

    mark: str
    fill: str
    font: str | None


@attrs.frozen(kw_only=True)
class Table:
    """A cohort's table as printed."""

    name: str
    #: The months heading the columns, as ``YYYY-MM``, left to right.
    months: list[str]
    #: Row label -> month -> cell, rows top to bottom.
    rows: dict[str, dict[str, Cell]]
    legend: str
    #: The fills of the header's boxes: the corner's, the years' and the months'.
    header_fills: set[str]


def _same(a: float, b: float) -> bool:
    # pypdf reads back what ReportLab wrote to a few decimals.
    return abs(a - b) < 0.01


def read_tables(pdf: bytes) -> tuple[str, list[Table]]:
    """The title and the tables of a grid PDF, rebuilt from where texts and boxes are drawn.

    The texts in no box are the title, then each cohort's name and legend; between a
    name and its legend, the boxes are the table: the top left one is the corner;
    the boxes level with its top are the years; those under the years are the months;
    the rest are the rows, each its label's box and then its month cells.
    """
    page = read_page(pdf)
    used: list[Drawn] = []

    def inside(box: Box) -> list[str]:
        found = [text for text in page.texts if box.holds(text)]
        used.extend(found)
        return [text.text for text in found]

    def one(box: Box) -> str:
        (text,) = inside(box)
        return text

    loose = sorted(
        (text for text in page.texts if not any(box.holds(text) for box in page.boxes)),
        key=lambda text: -text.y,
    )
    title, *headings = loose
    used.extend(loose)
    tables = []
    for name, cohort_legend in zip(headings[0::2], headings[1::2], strict=True):
        boxes = [b for b in page.boxes if b.top < name.y and b.bottom > cohort_legend.y]
        corner = max(boxes, key=lambda b: (b.top, -b.left))
        assert one(corner) == "Activity"
        years = sorted(
            (b for b in boxes if b is not corner and _same(b.top, corner.top)),
            key=lambda b: b.left,
        )
        header_months = sorted(
            (b for b in boxes if years and _same(b.top, years[0].bottom)), key=lambda b: b.left
        )
        columns: dict[float, str] = {}
        for box in header_months:
            (year,) = [
                y for y in years if y.left - 0.01 <= box.left and box.right <= y.right + 0.01
            ]
            columns[round(box.left, 1)] = (
                f"{one(year)}-{list(calendar.month_abbr).index(one(box)):02d}"
            )
        body = [b for b in boxes if b.top < corner.bottom + 0.01]
        rows: dict[str, dict[str, Cell]] = {}
        for top in sorted({round(b.top, 1) for b in body}, reverse=True):
            heading, *cells = sorted((b for b in body if _same(b.top, top)), key=lambda b: b.left)
            marks = {}
            for box in cells:
                found = [text for text in page.texts if box.holds(text)]
                assert len(found) <= 1
                used.extend(found)
                marks[columns[round(box.left, 1)]] = Cell(
                    mark=found[0].text if found else "",
                    fill=box.fill,
                    font=found[0].font if found else None,
                )
            rows[one(heading)] = marks
        tables.append(
            Table(
                name=name.text,
                months=list(columns.values()),
                rows=rows,
                legend=cohort_legend.text,
                header_fills={box.fill for box in [corner, *years, *header_months]},
            )
        )
    # Every text was read as part of the structure: none drawn astray.
    assert {id(text) for text in used} == {id(text) for text in page.texts}
    return title.text, tables


def marks(tables: list[Table]) -> dict[str, dict[str, dict[str, str]]]:
    """cohort name -> row label -> {month: mark}, for the marked cells only."""
    return {
        table.name: {
            label: {month: cell.mark for month, cell in cells.items() if cell.mark}
            for label, cells in table.rows.items()
        }
        for table in tables
    }


# -- grids --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> Grid:
    """The reference declaration's grid."""
    return Grid.of(declaration.load(REFERENCE))


@pytest.fixture(scope="module")
def reference_pdf(reference: Grid) -> bytes:
    """The reference grid as PDF."""
    return render_pdf(reference)


def one_cohort(
    *rows: Row,
    programme: str = "P",
    cohort: str = "C",
    first: str = "2023-11",
    last: str = "2024-02",
) -> Grid:
    """A grid of one cohort ``c`` over ``first``..``last``."""
    months = month_range(YearMonth.parse(first), YearMonth.parse(last))
    return Grid(
        programme=programme, months=months, cohorts=(CohortGrid(id="c", name=cohort, rows=rows),)
    )


# -- the reference grid -------------------------------------------------------------------------


class TestReferenceGrid:
    """The reference PDF is DOMAIN.md's two tables, drawn as the SVG draws them."""

    def test_tables_are_the_documents(self, reference_pdf: bytes) -> None:
        """Every row and every X / X* is the document's, in its month, in document order."""
        _, tables = read_tables(reference_pdf)
        expected = drawn_tables()
        assert marks(tables) == expected
        assert [list(rows) for rows in marks(tables).values()] == [
            list(r) for r in expected.values()
        ]

    def test_every_cell_of_every_row(self, reference_pdf: bytes) -> None:
        """Each row has one cell per programme month, under a year and month header."""
        _, tables = read_tables(reference_pdf)
        assert [table.name for table in tables] == list(DOMAIN_GRIDS)
        for table in tables:
            assert table.months == PROGRAMME_MONTHS
            assert all(list(cells) == PROGRAMME_MONTHS for cells in table.rows.values())

    def test_cells_are_filled_as_in_the_svg(self, reference_pdf: bytes) -> None:
        """X cells are blue, X* cells orange and in bold, empty cells white; headers grey."""
        _, tables = read_tables(reference_pdf)
        cells = [cell for table in tables for row in table.rows.values() for cell in row.values()]
        assert {cell.mark for cell in cells} == {"", "X", "X*"}
        assert all(cell.fill == FILL_OF_MARK[cell.mark] for cell in cells)
        fonts = {cell.mark: cell.font for cell in cells}
        assert fonts == {"": None, "X": "/Helvetica", "X*": "/Helvetica-Bold"}
        assert all(table.header_fills == {HEADER} for table in tables)

    def test_title_and_legends(self, reference: Grid, reference_pdf: bytes) -> None:
        """The page is headed with the programme's name, en dash and all; each table ends
        with its legend, as in the SVG."""
        title, tables = read_tables(reference_pdf)
        assert title == "Pursuing Equity 2023–2024"
        assert [table.legend for table in tables] == [legend(c) for c in reference.cohorts]
        assert tables[-1].legend == "X = scheduled that month; X* = in person (Boston, MA)"

    def test_page_is_the_picture_landscape(self, reference_pdf: bytes) -> None:
        """The page is the size of the picture, a margin of 24 pt around it: landscape."""
        page = read_page(reference_pdf)
        assert page.width > page.height
        assert min(box.left for box in page.boxes) == pytest.approx(24)
        assert page.width - max(box.right for box in page.boxes) == pytest.approx(24)
        assert page.height - max(text.y for text in page.texts) > 24

    @pytest.mark.parametrize("paper", [LETTER, A4], ids=["letter", "a4"])
    def test_prints_readably(self, reference_pdf: bytes, paper: tuple[float, float]) -> None:
        """Fitted to a landscape Letter or A4 page, the 13 pt text is still 9 pt or more."""
        page = read_page(reference_pdf)
        scale = min(1.0, paper[0] / page.width, paper[1] / page.height)
        assert 13 * scale >= 9

    def test_standard_fonts_only(self, reference_pdf: bytes) -> None:
        """Helvetica and Helvetica-Bold, which every PDF reader has: no font is embedded."""
        fonts = read_page(reference_pdf).fonts
        assert sorted(str(font["/BaseFont"]) for font in fonts) == ["/Helvetica", "/Helvetica-Bold"]
        assert all(str(font["/Encoding"]) == "/WinAnsiEncoding" for font in fonts)
        assert all("/FontDescriptor" not in font for font in fonts)


class TestReproducible:
    """The same grid gives the same bytes, whenever and wherever it is drawn."""

    def test_twice_the_same_bytes(self, reference: Grid, reference_pdf: bytes) -> None:
        """Two renders are byte for byte the same."""
        assert render_pdf(reference) == reference_pdf

    def test_another_process_at_another_time(self, reference_pdf: bytes) -> None:
        """A fresh interpreter, another hash seed and a clock 30 years on draw the same bytes:
        no date and no random document id."""
        script = (
            "import sys, time\n"
            "time.time = lambda: time.mktime((2054, 6, 1, 12, 0, 0, 0, 0, 0))\n"
            "from pathlib import Path\n"
            "from pe_schedule import Grid, load, render_pdf\n"
            f"sys.stdout.buffer.write(render_pdf(Grid.of(load(Path({str(REFERENCE)!r})))))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "12345"},
        )
        assert done.stdout == reference_pdf


# -- text ---------------------------------------------------------------------------------------


class TestText:
    """What the standard fonts draw is drawn; anything else is refused, naming it."""

    def test_western_european_names(self) -> None:
        """Accents, dashes and curly quotes are drawn as written."""
        sessions = Row(
            activity="s",
            name="Séance – “Kick-Off”",
            marks=("X*", "", "X", ""),
            in_person_location="Café Zürich",
        )
        grid = one_cohort(sessions, programme="Pursuing Equity 2023–2024", cohort="Équipe €")
        title, tables = read_tables(render_pdf(grid))
        assert title == "Pursuing Equity 2023–2024"
        assert marks(tables) == {
            "Équipe €": {"Séance – “Kick-Off”": {"2023-11": "X*", "2024-01": "X"}}
        }
        assert tables[0].legend == "X = scheduled that month; X* = in person (Café Zürich)"

    def test_other_scripts_are_refused(self) -> None:
        """A name the standard fonts cannot draw is an error naming where, and the character,
        for every such name at once; never a black box in a handout."""
        rows = (
            Row(activity="a", name="日本語 Calls", marks=("X", "", "", "")),
            Row(activity="b", name="Fine", marks=("X*", "", "", ""), in_person_location="Αθήνα"),
            Row(activity="c", name="Emoji 🎉", marks=("", "", "", "")),
        )
        with pytest.raises(PeScheduleError) as raised:
            render_pdf(one_cohort(*rows), source="p.toml")
        expected = "expected characters the PDF standard fonts draw (Windows-1252)"
        assert str(raised.value).splitlines() == [
            (
                f"p.toml: c/a: name: {expected}, got U+65E5, U+672C, U+8A9E in '日本語 Calls'"
                " (--format svg draws any text)"
            ),
            (
                f"p.toml: c/b: in_person_location: {expected}, got U+0391, U+03B8, U+03AE,"
                " U+03BD, U+03B1 in 'Αθήνα' (--format svg draws any text)"
            ),
            f"p.toml: c/c: name: {expected}, got U+1F389 in 'Emoji 🎉' (--format svg draws any text)",
        ]

    def test_control_characters_are_refused(self) -> None:
        """A control character (possible in a grid built in code) has no glyph: refused too."""
        with pytest.raises(
            PeScheduleError, match=r"^programme: name: .* got U\+0007 in 'Bell\\x07'"
        ):
            render_pdf(one_cohort(programme="Bell\x07"))

    def test_a_place_not_shown_is_not_checked(self) -> None:
        """The legend names the places of in-person cells only; another place is not drawn."""
        row = Row(activity="a", name="Calls", marks=("X", "", "", ""), in_person_location="東京")
        assert marks(read_tables(render_pdf(one_cohort(row)))[1]) == {
            "C": {"Calls": {"2023-11": "X"}}
        }

    @settings(max_examples=30, deadline=None)
    @given(
        names=st.lists(
            # "•" is left out: ReportLab writes it as code 0x7F, which WinAnsiEncoding draws
            # as a bullet (PDF 1.7, Annex D: unused codes are bullets) and PDF readers
            # show as one, but which pypdf's text extraction reads as DEL.
            st.text(
                st.characters(codec="cp1252", exclude_categories=["Cc"], exclude_characters="•"),
                min_size=1,
            ),
            min_size=1,
            max_size=4,
            unique_by=lambda name: " ".join(name.split()),
        ).filter(lambda names: all(name.split() for name in names)),
        cells=st.lists(st.sampled_from(["", "X", "X*"]), min_size=14 * 4, max_size=14 * 4),
    )
    def test_any_drawable_grid_reads_back(self, names: list[str], cells: list[str]) -> None:
        """Whatever the Windows-1252 names and the marks, the page shows exactly the grid's cells."""
        rows = tuple(
            Row(activity=f"a{i}", name=name, marks=tuple(cells[14 * i : 14 * i + 14]))
            for i, name in enumerate(names)
        )
        grid = one_cohort(*rows, first="2023-12", last="2025-01")
        _, tables = read_tables(render_pdf(grid))
        assert marks(tables) == shown_marks(grid)


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A small declaration on disk."""
    path = tmp_path / "small.toml"
    path.write_text(MINIMAL_DECLARATION, encoding="utf-8")
    return path


def _pe_schedule(*argv: str | Path, **options: Any) -> subprocess.CompletedProcess[bytes]:
    """Run ``pe-schedule`` as a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "pe_schedule", *map(str, argv)], check=False, **options
    )


class TestCommand:
    """``pe-schedule grid FILE --format pdf``."""

    def test_output_file(
        self, small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``-o FILE`` writes the PDF there and prints nothing."""
        target = tmp_path / "grid.pdf"
        assert main(["grid", str(small), "--format", "pdf", "-o", str(target)]) == 0
        assert capsys.readouterr() == ("", "")
        assert target.read_bytes() == render_pdf(Grid.of(declaration.load(small)))
        assert marks(read_tables(target.read_bytes())[1]) == {
            "Cohort": {"Call": {"2023-01": "X", "2023-03": "X"}}
        }

    def test_piped_standard_output(self, reference_pdf: bytes) -> None:
        """Standard output redirected to a pipe (or a file) gets the PDF's bytes."""
        done = _pe_schedule("grid", REFERENCE, "--format", "pdf", capture_output=True)
        assert (done.returncode, done.stderr) == (0, b"")
        assert done.stdout == reference_pdf

    def test_refuses_a_terminal(self) -> None:
        """Standard output on a terminal is refused before any work: exit 2, nothing shown."""
        controller, terminal = pty.openpty()
        shown = b""
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "pe_schedule", "grid", str(REFERENCE), "--format", "pdf"],
                stdout=terminal,
                stderr=subprocess.PIPE,
            )
            # Read what the terminal is sent while the command runs: one that wrote a PDF
            # there would otherwise wait for the terminal forever.
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                if select.select([controller], [], [], 0.05)[0]:
                    shown += os.read(controller, 1 << 16)
            process.kill()
            _, err = process.communicate()
            while select.select([controller], [], [], 0)[0]:
                shown += os.read(controller, 1 << 16)
        finally:
            os.close(terminal)
            os.close(controller)
        assert process.returncode == 2
        assert err.decode() == (
            "error: grid --format pdf: expected -o FILE, or standard output redirected to a file "
            "or a pipe, got a terminal (a PDF is binary)\n"
        )
        assert shown == b""

    def test_without_reportlab(
        self,
        small: Path,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Without the pdf extra: exit 2 and an error saying what to install, no file."""
        for name in [name for name in sys.modules if name.split(".")[0] == "reportlab"] + [
            "reportlab"
        ]:
            monkeypatch.setitem(sys.modules, name, None)  # as if never installed
        target = tmp_path / "grid.pdf"
        assert main(["grid", str(small), "--format", "pdf", "-o", str(target)]) == 2
        assert capsys.readouterr() == (
            "",
            "error: drawing the grid as PDF needs ReportLab: pip install 'pe-schedule[pdf]'\n",
        )
        assert not target.exists()
        # The other formats need no ReportLab.
        assert main(["grid", str(small), "--format", "svg"]) == 0

    def test_undrawable_name(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A name the PDF cannot draw: exit 2, the file and the place named, no file written."""
        source = tmp_path / "p.toml"
        source.write_text(
            MINIMAL_DECLARATION.replace('name = "Call"', 'name = "通话"'), encoding="utf-8"
        )
        target = tmp_path / "grid.pdf"
        assert main(["grid", str(source), "--format", "pdf", "-o", str(target)]) == 2
        assert capsys.readouterr().err == (
            f"error: {source}: cohort/call: name: expected characters the PDF standard fonts draw "
            "(Windows-1252), got U+901A, U+8BDD in '通话' (--format svg draws any text)\n"
        )
        assert not target.exists()


def test_build_writes_no_pdf(tmp_path: Path, small: Path) -> None:
    """A build writes the SVG picture, never a PDF: builds stay light."""
    out = tmp_path / "out"
    assert main(["build", str(small), "--out", str(out)]) == 0
    assert (out / "grid.svg").exists()
    assert not [path for path in out.rglob("*") if path.suffix == ".pdf"]
