"""The activity grid as a one-page PDF, drawn with ReportLab from the SVG's layout.

The PDF is :func:`~pe_schedule._internal.render.grid.render_svg`'s picture on
paper: the same :class:`~pe_schedule._internal.render.grid.Picture` (title,
per cohort a table with a row of years over a row of months, ``X`` and ``X*``
cells with the same fills, the legend), one SVG pixel to one PDF point, on a
page the size of the picture. ReportLab is the optional ``pdf`` extra; it is
imported only when a PDF is drawn, so nothing else pays for it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pe_schedule._internal.model.activity import IN_PERSON_MARK
from pe_schedule._internal.render.grid import (
    PICTURE_STROKE,
    PICTURE_STROKE_WIDTH,
    Grid,
    Picture,
    PictureText,
)
from pe_schedule.exceptions import PeScheduleError

#: The ``grid --format`` that writes a PDF.
PDF_FORMAT = "pdf"
#: What to install for :func:`render_pdf`.
INSTALL_HINT = "pip install 'pe-schedule[pdf]'"

# Two of the PDF standard fonts, which every PDF reader has: nothing to embed, and
# exact widths to lay the picture out with.
_REGULAR = "Helvetica"
_BOLD = "Helvetica-Bold"
_BLACK = "#000"


def render_pdf(grid: Grid, *, source: str | None = None) -> bytes:
    """The grid as a one-page PDF, for handouts and for slides that take no SVG.

    The page is the size of the picture, not a paper size (for the reference
    programme about 15 by 8 inches, landscape): a slide or a LaTeX document
    places it at any size, and a PDF reader fits it to the paper it prints on,
    A4 or Letter alike (the reference grid's 13 pt text prints at 9.5 pt across
    landscape Letter, 10 pt across landscape A4). A fixed paper size would suit
    only half of the readers, and shrink a programme of many cohorts to nothing.

    The text is in Helvetica, one of the PDF standard fonts: nothing embedded,
    and so only the characters of their Windows-1252 encoding (Latin letters
    with their accents, dashes, curly quotes, €...). The same grid always gives
    the same bytes: no date, no random document id, no compression.

    Args:
        grid: the grid to draw.
        source: the declaration the grid is of, to name in errors.

    Raises:
        PeScheduleError: if ReportLab (the ``pdf`` extra) is not installed, or a
            name the page shows has a character the standard fonts cannot draw
            (each one is named; ``render_svg`` draws any text).
    """
    canvas_class, pdfmetrics = _reportlab()
    encoding = pdfmetrics.getFont(_REGULAR).encName
    problems = [
        f"{source}: {problem}" if source else problem for problem in _undrawable(grid, encoding)
    ]
    if problems:
        raise PeScheduleError("\n".join(problems))

    def measure(text: str, size: float, bold: bool) -> float:
        # What is drawn is the text on one line; measure that.
        width: float = pdfmetrics.stringWidth(" ".join(text.split()), _font(bold), size)
        return width

    picture = Picture.of(grid, measure)
    buffer = io.BytesIO()
    # invariant: no creation date and a document id derived from the content, so the
    # bytes are the grid's alone; uncompressed, so they depend on no zlib either.
    canvas = canvas_class(
        buffer,
        pagesize=(picture.width, picture.height),
        invariant=1,
        pageCompression=0,
        lang="en",
    )
    canvas.setTitle(" ".join(grid.programme.split()))
    canvas.setCreator("pe-schedule")
    _draw(canvas, picture)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _reportlab() -> tuple[Any, Any]:
    """ReportLab's canvas class and font metrics module, or an error saying what to install."""
    try:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfgen.canvas import Canvas
    except ImportError:
        raise PeScheduleError(f"drawing the grid as PDF needs ReportLab: {INSTALL_HINT}") from None
    return Canvas, pdfmetrics


def _font(bold: bool) -> str:
    return _BOLD if bold else _REGULAR


def _shown(grid: Grid) -> Iterator[tuple[str, str]]:
    """Each name the picture shows, with where it comes from."""
    yield "programme: name", grid.programme
    cohort_names = {cohort.name for cohort in grid.cohorts}
    for cohort in grid.cohorts:
        yield f"{cohort.id}: name", cohort.name
        for row in cohort.rows:
            where = f"{cohort.id}/{row.activity}"
            yield f"{where}: name", row.name
            # A cohort of this grid is named where its own name is.
            for other in row.shared_with:
                if other not in cohort_names:
                    yield f"{where}: shared with", other
            # The legend names the places of in-person cells only.
            if row.in_person_location and IN_PERSON_MARK in row.marks:
                yield f"{where}: in_person_location", row.in_person_location


def _undrawable(grid: Grid, encoding: str) -> Iterator[str]:
    """A line for each shown name with a character the standard fonts cannot draw.

    ReportLab would draw such a character as a black box, or in another font;
    a handout with a box for a name is worse than an error saying which name.
    """
    for where, text in _shown(grid):
        line = " ".join(text.split())
        bad = [char for char in dict.fromkeys(line) if not _drawable(char, encoding)]
        if bad:
            found = ", ".join(f"U+{ord(char):04X}" for char in bad)
            yield (
                f"{where}: expected characters the PDF standard fonts draw (Windows-1252), "
                f"got {found} in {line!r} (--format svg draws any text)"
            )


def _drawable(char: str, encoding: str) -> bool:
    # The font's encoding has no control characters: they fail here too.
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _rgb(colour: str) -> tuple[float, float, float]:
    """``#rgb`` or ``#rrggbb`` as red, green and blue from 0 to 1."""
    digits = colour.removeprefix("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    red, green, blue = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def _draw(canvas: Any, picture: Picture) -> None:
    """Draw ``picture`` on ``canvas``: every box, then every text over them.

    The picture's ``y`` grows downwards from the top, PDF's upwards from the bottom.
    """
    top = picture.height
    canvas.setStrokeColorRGB(*_rgb(PICTURE_STROKE))
    canvas.setLineWidth(PICTURE_STROKE_WIDTH)
    for cell in picture.cells():
        box = cell.box
        canvas.setFillColorRGB(*_rgb(box.fill))
        canvas.rect(box.x, top - box.y - box.height, box.width, box.height, stroke=1, fill=1)
    canvas.setFillColorRGB(*_rgb(_BLACK))
    for text in picture.texts():
        _draw_text(canvas, text, top)


def _draw_text(canvas: Any, text: PictureText, top: float) -> None:
    canvas.setFont(_font(text.bold), text.size)
    baseline = top - text.baseline
    if text.anchor == "middle":
        canvas.drawCentredString(text.x, baseline, text.text)
    else:
        canvas.drawString(text.x, baseline, text.text)


__all__ = ["INSTALL_HINT", "PDF_FORMAT", "render_pdf"]
