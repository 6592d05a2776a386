"""The activity grid of a programme, and its renderings as text, Markdown, HTML, SVG and JSON.

A :class:`Grid` is the programme as people read it in the source document:
one table per cohort, one row per activity, one column per programme month,
each cell ``"X"`` (happens that month), ``"X*"`` (in person) or empty. The
renderers are pure functions of a grid, so the same declaration always gives
byte-identical output. The PDF, which needs ReportLab (an optional extra), is
drawn in :mod:`~pe_schedule._internal.render.grid_pdf` from the SVG's
:class:`Picture`.
"""

from __future__ import annotations

import calendar
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator

import attrs

from pe_schedule._internal.model.activity import IN_PERSON_MARK, VIRTUAL_MARK
from pe_schedule._internal.model.months import YearMonth
from pe_schedule._internal.model.programme import Programme
from pe_schedule.exceptions import PeScheduleError


@attrs.frozen(kw_only=True)
class Row:
    """One activity's line of a cohort grid: a mark per programme month.

    >>> row = Row(activity="kick-off", name="Kick-Off", marks=("X", "X*", ""))
    >>> row.happens
    (0, 1)
    """

    activity: str
    name: str
    #: One cell per month of the grid: ``"X"``, ``"X*"`` or ``""``.
    marks: tuple[str, ...]
    #: Where the in-person (``"X*"``) occurrences take place, if known.
    in_person_location: str | None = None
    #: For an activity shared with other cohorts: their names (one session for all).
    shared_with: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The row's heading: its name, and whom it is shared with.

        >>> Row(activity="a", name="Training", marks=("X",), shared_with=("B", "C")).label
        'Training (shared with B and C)'
        """
        if not self.shared_with:
            return self.name
        others = self.shared_with
        names = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and " + others[-1]
        return f"{self.name} (shared with {names})"

    @property
    def happens(self) -> tuple[int, ...]:
        """The indexes of the months with a mark, in month order."""
        return tuple(index for index, mark in enumerate(self.marks) if mark)


@attrs.frozen(kw_only=True)
class CohortGrid:
    """The grid of one cohort: its rows in declaration order."""

    id: str
    name: str
    rows: tuple[Row, ...]

    @property
    def in_person_locations(self) -> tuple[str, ...]:
        """The distinct places of the cohort's in-person cells, in order of first use."""
        places: dict[str, None] = {}
        for row in self.rows:
            if row.in_person_location and IN_PERSON_MARK in row.marks:
                places.setdefault(row.in_person_location, None)
        return tuple(places)

    @property
    def has_in_person(self) -> bool:
        """Whether any cell of the cohort is in person."""
        return any(IN_PERSON_MARK in row.marks for row in self.rows)


@attrs.frozen(kw_only=True)
class YearGroup:
    """The consecutive months of the grid that fall in one calendar year."""

    year: int
    months: tuple[YearMonth, ...]


@attrs.frozen(kw_only=True)
class Grid:
    """A programme's activity grids, one per cohort, over the programme's months.

    >>> from pe_schedule import Activity, Cohort, Programme, Zone
    >>> kick_off = Activity(id="kick-off", name="Kick-Off",
    ...                     months=[YearMonth(2023, 12), YearMonth(2024, 1)],
    ...                     in_person=[YearMonth(2024, 1)], in_person_location="Boston, MA")
    >>> programme = Programme(id="p", name="P", first_month=YearMonth(2023, 12),
    ...                       last_month=YearMonth(2024, 2), timezone=Zone("America/New_York"),
    ...                       cohorts=(Cohort(id="c", name="C", activities=(kick_off,)),))
    >>> grid = Grid.of(programme)
    >>> grid.cohorts[0].rows[0].marks
    ('X', 'X*', '')
    >>> [(group.year, len(group.months)) for group in grid.years]
    [(2023, 1), (2024, 2)]
    """

    programme: str
    months: tuple[YearMonth, ...]
    cohorts: tuple[CohortGrid, ...]

    @classmethod
    def of(cls, programme: Programme) -> Grid:
        """The grid of ``programme``.

        Raises:
            PeScheduleError: if an activity happens in a month outside the
                programme window, which the grid has no column for.
        """
        months = programme.months
        window = set(months)
        cohorts = []
        for cohort in programme.cohorts:
            rows = []
            for activity in cohort.activities:
                outside = [month for month in activity.months if month not in window]
                if outside:
                    source = f"{programme.source}: " if programme.source else ""
                    raise PeScheduleError(
                        f"{source}{cohort.id}/{activity.id}: expected months from "
                        f"{programme.first_month} to {programme.last_month}, got "
                        f"{', '.join(str(month) for month in outside)}"
                    )
                rows.append(
                    Row(
                        activity=activity.id,
                        name=activity.name,
                        marks=tuple(activity.mark(month) for month in months),
                        in_person_location=activity.in_person_location,
                        shared_with=tuple(
                            programme.cohort(other).name
                            for other in activity.shared_by
                            if other != cohort.id
                        ),
                    )
                )
            cohorts.append(CohortGrid(id=cohort.id, name=cohort.name, rows=tuple(rows)))
        return cls(programme=programme.name, months=months, cohorts=tuple(cohorts))

    @property
    def years(self) -> tuple[YearGroup, ...]:
        """The months grouped by calendar year, in order."""
        groups: dict[int, list[YearMonth]] = {}
        for month in self.months:
            groups.setdefault(month.year, []).append(month)
        return tuple(YearGroup(year=year, months=tuple(ms)) for year, ms in groups.items())


def legend(cohort: CohortGrid) -> str:
    """The line that explains a cohort grid's marks.

    >>> legend(CohortGrid(id="c", name="C", rows=(
    ...     Row(activity="a", name="A", marks=("X*",), in_person_location="Boston, MA"),)))
    'X = scheduled that month; X* = in person (Boston, MA)'
    """
    text = f"{VIRTUAL_MARK} = scheduled that month"
    if not cohort.has_in_person:
        return text
    places = cohort.in_person_locations
    where = f" ({'; '.join(places)})" if places else ""
    return f"{text}; {IN_PERSON_MARK} = in person{where}"


def _month_name(month: YearMonth) -> str:
    return calendar.month_abbr[month.month]


def _one_line(text: str) -> str:
    # A line break inside a name would break every line-based table format.
    return " ".join(text.split())


# -- plain text ---------------------------------------------------------------------------------


def render_text(grid: Grid) -> str:
    """The grid as aligned plain-text tables, one per cohort, for a terminal."""
    years = grid.years
    # Wide enough for a month name or mark, and for a year label over a one-month year.
    width = 3
    while any(len(group.months) * (width + 1) - 1 < len(str(group.year)) for group in years):
        width += 1
    lines = [_one_line(grid.programme)]
    for cohort in grid.cohorts:
        names = [_one_line(row.label) for row in cohort.rows]
        first = max([len("Activity"), *(len(name) for name in names)])
        year_cells = [str(group.year).ljust(len(group.months) * (width + 1) - 1) for group in years]
        month_cells = [_month_name(month).ljust(width) for month in grid.months]
        title = _one_line(cohort.name)
        lines += ["", title, "=" * len(title)]
        lines.append(" ".join(["".ljust(first), *year_cells]).rstrip())
        lines.append(" ".join(["Activity".ljust(first), *month_cells]).rstrip())
        lines.append(" ".join(["-" * first, *("-" * width for _ in grid.months)]))
        for name, row in zip(names, cohort.rows, strict=True):
            cells = [mark.ljust(width) for mark in row.marks]
            lines.append(" ".join([name.ljust(first), *cells]).rstrip())
        lines.append(legend(cohort))
    return "\n".join(lines) + "\n"


# -- Markdown -----------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = str.maketrans({char: "\\" + char for char in "\\|*_`[]<>"})


def _markdown(text: str) -> str:
    return _one_line(text).translate(_MARKDOWN_SPECIAL)


def _markdown_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(grid: Grid) -> str:
    """The grid as Markdown: a heading and a table per cohort, then its legend.

    The first month of each year is headed with its year (``Jan 2024``), the
    others with the month alone, so the year groups of the source document
    survive in a one-row header. A shared activity's row says whom it is
    shared with, in every renderer (JSON: ``shared_with``, the cohorts' names).
    """
    headings = []
    for index, month in enumerate(grid.months):
        starts_year = index == 0 or month.month == 1
        headings.append(month.label if starts_year else _month_name(month))
    lines = [f"# {_markdown(grid.programme)}"]
    for cohort in grid.cohorts:
        lines += ["", f"## {_markdown(cohort.name)}", ""]
        lines.append(_markdown_row(["Activity", *headings]))
        lines.append(_markdown_row(["---", *(":-:" for _ in grid.months)]))
        for row in cohort.rows:
            lines.append(_markdown_row([_markdown(row.label), *row.marks]))
        lines += ["", legend(cohort)]
    return "\n".join(lines) + "\n"


# -- HTML ---------------------------------------------------------------------------------------

#: The style the full page uses; a page embedding :func:`render_html_fragment` may reuse it.
GRID_CSS = """\
table.pe-grid { border-collapse: collapse; margin: 1em 0; font-family: sans-serif; }
table.pe-grid caption { text-align: left; font-weight: bold; font-size: 1.2em; padding: 0.3em 0; }
table.pe-grid th, table.pe-grid td { border: 1px solid #999; padding: 0.2em 0.45em; }
table.pe-grid td { text-align: center; min-width: 2.2em; }
table.pe-grid thead th { background: #eee; }
table.pe-grid tbody th { text-align: left; font-weight: normal; }
table.pe-grid td.scheduled { background: #dbe9f6; }
table.pe-grid td.in-person { background: #f6dfb8; font-weight: bold; }
table.pe-grid tr.shared th { font-style: italic; }
p.pe-grid-legend { font-family: sans-serif; font-size: 0.9em; }
div.pe-scroll { overflow-x: auto; max-width: 100%; }
div.pe-scroll:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
"""


def _cell(mark: str, row: Row, month: YearMonth) -> str:
    if not mark:
        return "<td></td>"
    if mark == IN_PERSON_MARK:
        where = f" ({row.in_person_location})" if row.in_person_location else ""
        title = f"{row.name}: {month.label}, in person{where}"
        kind = "in-person"
    else:
        title = f"{row.name}: {month.label}"
        kind = "scheduled"
    return f'<td class="{kind}" title="{html.escape(title)}">{html.escape(mark)}</td>'


def render_html_fragment(grid: Grid) -> str:
    """The grid as HTML to embed in a page: a ``<table>`` and a legend per cohort.

    All text is escaped; the tables carry the classes :data:`GRID_CSS` styles.
    """
    years = grid.years
    parts = []
    for cohort in grid.cohorts:
        e = html.escape
        # A wide grid scrolls inside its own box, not the page: a phone shows the
        # activity column and swipes through the months. The box is focusable so
        # that keyboards can scroll it too.
        parts.append(
            f'<div class="pe-scroll" role="region" tabindex="0" '
            f'aria-label="{e(cohort.name)}: activity grid">'
        )
        parts.append(f'<table class="pe-grid" id="grid-{e(cohort.id)}">')
        parts.append(f"<caption>{e(cohort.name)}</caption>")
        parts.append("<thead>")
        year_heads = "".join(
            f'<th scope="colgroup" colspan="{len(group.months)}">{group.year}</th>'
            for group in years
        )
        parts.append(f'<tr><th scope="col" rowspan="2">Activity</th>{year_heads}</tr>')
        month_heads = "".join(
            f'<th scope="col" title="{month.label}">{_month_name(month)}</th>'
            for month in grid.months
        )
        parts.append(f"<tr>{month_heads}</tr>")
        parts.append("</thead>")
        parts.append("<tbody>")
        for row in cohort.rows:
            cells = "".join(
                _cell(mark, row, month) for mark, month in zip(row.marks, grid.months, strict=True)
            )
            shared = ' class="shared"' if row.shared_with else ""
            parts.append(f'<tr{shared}><th scope="row">{e(row.label)}</th>{cells}</tr>')
        parts.append("</tbody>")
        parts.append("</table>")
        parts.append("</div>")
        parts.append(f'<p class="pe-grid-legend">{e(legend(cohort))}</p>')
    return "\n".join(parts) + "\n"


def render_html(grid: Grid) -> str:
    """The grid as a complete, self-contained HTML page."""
    title = html.escape(grid.programme)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f"<style>\nbody {{ font-family: sans-serif; margin: 1.5em; }}\n{GRID_CSS}</style>\n"
        "</head>\n"
        "<body>\n"
        f"<h1>{title}</h1>\n"
        f"{render_html_fragment(grid)}"
        "</body>\n"
        "</html>\n"
    )


# -- the picture: its layout, drawn as SVG here and as PDF by grid_pdf --------------------------

#: The file a build writes :func:`render_svg`'s picture to, beside the feeds and the page.
GRID_NAME = "grid.svg"

#: A font every system has, so the picture needs no embedded or downloaded font.
SVG_FONTS = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'Liberation Sans', sans-serif"
)
# The picture's geometry, in its units: SVG pixels, PDF points.
_MARGIN = 24
_TITLE_SIZE = 22
_HEADING_SIZE = 16
_TEXT_SIZE = 13
_CELL_WIDTH = 38
_ROW_HEIGHT = 24
_PAD = 8
#: How far below the middle of a line its baseline sits, in font sizes: about half a
#: capital's height, so capitals and figures (X, X*, years) sit centred in their cells.
_BASELINE_DROP = 0.35
#: The outline of every box of the picture, and its width.
PICTURE_STROKE = "#999"
PICTURE_STROKE_WIDTH = 1
_HEADER_FILL = "#eee"
_BLANK_FILL = "#fff"
_MARK_FILL = {VIRTUAL_MARK: "#dbe9f6", IN_PERSON_MARK: "#f6dfb8"}

#: How wide a text is drawn: ``measure(text, size, bold)``, in the picture's units.
Measure = Callable[[str, float, bool], float]


def estimated_width(text: str, size: float, bold: bool = False) -> float:
    """A generous width for ``text`` in a font the picture does not know (the SVG's).

    No font metrics without a font: a generous average glyph width, so a label
    never runs into the first month column whichever system font draws it.

    >>> estimated_width("Activity", 10)
    44.0
    """
    return len(text) * size * 0.55


@attrs.frozen(kw_only=True)
class PictureText:
    """A text of the picture, its whitespace folded onto one line.

    ``y`` is the middle of the line, ``x`` its start or, when ``anchor`` is
    ``"middle"``, its centre; ``role`` says what it is (``"title"``,
    ``"cohort-name"``, ``"corner"``, ``"year-label"``, ``"month"``, ``"label"``,
    ``"mark"``, ``"legend"``).
    """

    x: float
    y: float
    text: str
    size: float
    role: str
    anchor: str = "start"
    bold: bool = False

    @property
    def baseline(self) -> float:
        """Where the line's baseline is, with ``y`` growing downwards."""
        # A third of the size below the middle. (SVG's ``dominant-baseline`` would say
        # so, but not every slide or print program reads it.)
        return self.y + self.size * _BASELINE_DROP


@attrs.frozen(kw_only=True)
class PictureBox:
    """A filled rectangle of the picture, outlined in :data:`PICTURE_STROKE`; ``y`` downwards."""

    x: float
    y: float
    width: float
    height: float
    fill: str


@attrs.frozen(kw_only=True)
class PictureCell:
    """A box of a table and the text in it, if any."""

    box: PictureBox
    text: PictureText | None = None


@attrs.frozen(kw_only=True)
class PictureRow:
    """An activity's row of a table: the cell of its label, then one cell per month."""

    activity: str
    heading: PictureCell
    marks: tuple[PictureCell, ...]


@attrs.frozen(kw_only=True)
class PictureTable:
    """One cohort's part of the picture: its name, its table and its legend."""

    cohort: str
    name: PictureText
    #: "Activity", over both header rows.
    corner: PictureCell
    years: tuple[PictureCell, ...]
    months: tuple[PictureCell, ...]
    rows: tuple[PictureRow, ...]
    legend: PictureText


@attrs.frozen(kw_only=True)
class Picture:
    """Where everything of the grid's picture goes: the layout the SVG and the PDF share.

    Coordinates start at the top left corner and grow right and down.
    """

    width: float
    height: float
    title: PictureText
    tables: tuple[PictureTable, ...]

    @classmethod
    def of(cls, grid: Grid, measure: Measure = estimated_width) -> Picture:
        """The picture of ``grid``, its texts as wide as ``measure`` says."""
        labels = [("Activity", True), *((row.label, False) for c in grid.cohorts for row in c.rows)]
        label_width = (
            max(measure(_one_line(text), _TEXT_SIZE, bold) for text, bold in labels) + 2 * _PAD
        )
        table_width = label_width + _CELL_WIDTH * len(grid.months)
        legends = [legend(cohort) for cohort in grid.cohorts]
        texts_width = max(
            [
                measure(_one_line(grid.programme), _TITLE_SIZE, True),
                *(measure(_one_line(c.name), _HEADING_SIZE, True) for c in grid.cohorts),
                *(measure(text, _TEXT_SIZE, False) for text in legends),
            ]
        )
        y = _MARGIN + _TITLE_SIZE / 2
        title = _picture_text(_MARGIN, y, grid.programme, size=_TITLE_SIZE, role="title", bold=True)
        y += _TITLE_SIZE
        tables = []
        for cohort, cohort_legend in zip(grid.cohorts, legends, strict=True):
            table, y = _table(grid, cohort, cohort_legend, y, label_width)
            tables.append(table)
        return cls(
            width=2 * _MARGIN + max(table_width, texts_width),
            height=y + _MARGIN,
            title=title,
            tables=tuple(tables),
        )

    def cells(self) -> Iterator[PictureCell]:
        """Every cell of every table, table by table, each top to bottom and left to right."""
        for table in self.tables:
            yield table.corner
            yield from table.years
            yield from table.months
            for row in table.rows:
                yield row.heading
                yield from row.marks

    def texts(self) -> Iterator[PictureText]:
        """Every text of the picture: the title, then each table's name, cells and legend."""
        yield self.title
        for table in self.tables:
            yield table.name
            cells = [table.corner, *table.years, *table.months]
            for row in table.rows:
                cells += [row.heading, *row.marks]
            yield from (cell.text for cell in cells if cell.text is not None)
            yield table.legend


def _table(
    grid: Grid, cohort: CohortGrid, cohort_legend: str, y: float, label_width: float
) -> tuple[PictureTable, float]:
    """The part of ``cohort`` below ``y``, and where the part after it starts."""
    x0, row_height = _MARGIN, _ROW_HEIGHT
    y += _HEADING_SIZE
    name = _picture_text(x0, y, cohort.name, size=_HEADING_SIZE, role="cohort-name", bold=True)
    y += _HEADING_SIZE
    # Header: "Activity" spans both header rows; each year spans its months.
    corner = PictureCell(
        box=PictureBox(x=x0, y=y, width=label_width, height=2 * row_height, fill=_HEADER_FILL),
        text=_picture_text(x0 + _PAD, y + row_height, "Activity", role="corner", bold=True),
    )
    years = []
    x = x0 + label_width
    for group in grid.years:
        span = _CELL_WIDTH * len(group.months)
        years.append(_centred(x, y, span, str(group.year), _HEADER_FILL, "year-label", True))
        x += span
    y += row_height
    columns = [x0 + label_width + _CELL_WIDTH * index for index in range(len(grid.months))]
    months = tuple(
        _centred(left, y, _CELL_WIDTH, _month_name(month), _HEADER_FILL, "month", True)
        for left, month in zip(columns, grid.months, strict=True)
    )
    y += row_height
    rows = []
    for row in cohort.rows:
        heading = PictureCell(
            box=PictureBox(x=x0, y=y, width=label_width, height=row_height, fill=_BLANK_FILL),
            text=_picture_text(x0 + _PAD, y + row_height / 2, row.label, role="label"),
        )
        marks = tuple(
            _centred(
                left,
                y,
                _CELL_WIDTH,
                mark,
                _MARK_FILL.get(mark, _BLANK_FILL),
                "mark",
                mark == IN_PERSON_MARK,
            )
            for left, mark in zip(columns, row.marks, strict=True)
        )
        rows.append(PictureRow(activity=row.activity, heading=heading, marks=marks))
        y += row_height
    y += _TEXT_SIZE
    legend_text = _picture_text(x0, y, cohort_legend, role="legend")
    y += _TEXT_SIZE
    table = PictureTable(
        cohort=cohort.id,
        name=name,
        corner=corner,
        years=tuple(years),
        months=months,
        rows=tuple(rows),
        legend=legend_text,
    )
    return table, y


def _picture_text(
    x: float, y: float, text: str, *, size: float = _TEXT_SIZE, role: str, bold: bool = False
) -> PictureText:
    return PictureText(x=x, y=y, text=_one_line(text), size=size, role=role, bold=bold)


def _centred(
    left: float, top: float, width: float, text: str, fill: str, role: str, bold: bool
) -> PictureCell:
    """A one-row cell with ``text`` (if any) in its middle."""
    box = PictureBox(x=left, y=top, width=width, height=_ROW_HEIGHT, fill=fill)
    if not text:
        return PictureCell(box=box)
    return PictureCell(
        box=box,
        text=PictureText(
            x=left + width / 2,
            y=top + _ROW_HEIGHT / 2,
            text=text,
            size=_TEXT_SIZE,
            role=role,
            anchor="middle",
            bold=bold,
        ),
    )


# -- SVG ----------------------------------------------------------------------------------------

#: Characters XML 1.0 cannot hold at all, even as references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return html.escape(_NOT_XML.sub("\ufffd", _one_line(text)), quote=True)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _svg_text(text: PictureText) -> str:
    weight = ' font-weight="bold"' if text.bold else ""
    return (
        f'<text class="{text.role}" x="{_number(text.x)}" y="{_number(text.baseline)}"'
        f' font-size="{_number(text.size)}"'
        f' text-anchor="{text.anchor}"{weight}>{_xml(text.text)}</text>'
    )


def _svg_cell(cell: PictureCell) -> list[str]:
    box = cell.box
    rect = (
        f'<rect x="{_number(box.x)}" y="{_number(box.y)}" width="{_number(box.width)}"'
        f' height="{_number(box.height)}" fill="{box.fill}" stroke="{PICTURE_STROKE}"'
        f' stroke-width="{PICTURE_STROKE_WIDTH}"/>'
    )
    return [rect] if cell.text is None else [rect, _svg_text(cell.text)]


def render_svg(grid: Grid) -> str:
    """The grid as one self-contained SVG picture, for slides and printed handouts.

    Drawn like the source document's tables: the programme's name, then for each
    cohort its name, a header row of years over a header row of months, one row
    per activity (a shared one says whom it is shared with) with ``X`` or ``X*``
    in its months, and the cohort's legend. No script, no external font or
    image: the system's sans-serif font. Its size is in pixels with a matching
    ``viewBox``, so a slide or print program scales it to the space it is given;
    the reference programme's grid is about twice as wide as tall and prints
    readably across a landscape A4 or Letter page.

    Each cohort is a ``<g class="cohort">``, each activity a ``<g class="row">``
    holding a ``label`` text and one ``mark`` text per marked month, centred
    under that month's ``month`` header text.
    """
    picture = Picture.of(grid)
    parts = [_svg_text(picture.title)]
    for table in picture.tables:
        parts.append(f'<g class="cohort" id="grid-{_xml(table.cohort)}">')
        parts.append(_svg_text(table.name))
        parts += _svg_cell(table.corner)
        for year in table.years:
            parts += ['<g class="year">', *_svg_cell(year), "</g>"]
        for month in table.months:
            parts += _svg_cell(month)
        for row in table.rows:
            parts.append(f'<g class="row" id="grid-{_xml(table.cohort)}-{_xml(row.activity)}">')
            parts += _svg_cell(row.heading)
            for mark in row.marks:
                parts += _svg_cell(mark)
            parts.append("</g>")
        parts.append(_svg_text(table.legend))
        parts.append("</g>")
    width, height = _number(picture.width), _number(picture.height)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{SVG_FONTS}" fill="#000">\n'
        f"<title>{_xml(grid.programme)}</title>\n"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>\n'
        + "\n".join(parts)
        + "\n</svg>\n"
    )


# -- JSON ---------------------------------------------------------------------------------------


def render_json(grid: Grid) -> str:
    """The grid as JSON, listing for each activity only the months it happens.

    >>> from pe_schedule._internal.model.months import month_range
    >>> grid = Grid(programme="P", months=month_range(YearMonth(2023, 1), YearMonth(2023, 3)),
    ...             cohorts=(CohortGrid(id="c", name="C", rows=(
    ...                 Row(activity="a", name="A", marks=("X", "", "X*")),)),))
    >>> json.loads(render_json(grid))["cohorts"][0]["activities"]
    [{'id': 'a', 'name': 'A', 'months': {'2023-01': 'X', '2023-03': 'X*'}}]
    """
    document = {
        "programme": grid.programme,
        "cohorts": [
            {
                "id": cohort.id,
                "name": cohort.name,
                "activities": [_json_row(grid, row) for row in cohort.rows],
            }
            for cohort in grid.cohorts
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _json_row(grid: Grid, row: Row) -> dict[str, object]:
    found: dict[str, object] = {
        "id": row.activity,
        "name": row.name,
        "months": {
            str(month): mark for month, mark in zip(grid.months, row.marks, strict=True) if mark
        },
    }
    if row.shared_with:
        found["shared_with"] = list(row.shared_with)
    return found


#: Every renderer, by the format name the command line uses.
RENDERERS: dict[str, Callable[[Grid], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "html": render_html,
    "svg": render_svg,
    "json": render_json,
}


__all__ = [
    "GRID_CSS",
    "GRID_NAME",
    "RENDERERS",
    "SVG_FONTS",
    "CohortGrid",
    "Grid",
    "Row",
    "YearGroup",
    "legend",
    "render_html",
    "render_html_fragment",
    "render_json",
    "render_markdown",
    "render_svg",
    "render_text",
]
