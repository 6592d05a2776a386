"""The activity grid: reproducing the source document's tables, and each rendering."""

from __future__ import annotations

import calendar
import json
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pe_schedule import (
    Activity,
    Cohort,
    Grid,
    PeScheduleError,
    Programme,
    YearMonth,
    Zone,
    render_html,
    render_json,
    render_markdown,
    render_svg,
    render_text,
)
from pe_schedule._internal.declaration import load as declaration
from pe_schedule._internal.model.months import month_range
from pe_schedule._internal.render.grid import CohortGrid, Row, legend, render_html_fragment
from tests.domain_grids import (
    DOMAIN_GRIDS,
    PROGRAMME_MONTHS,
    SHARED_ROWS,
    drawn_tables,
    shown_marks,
)

REFERENCE = Path(__file__).parent.parent / "calendars" / "pursuing-equity-2023-2024.toml"

#: The SVG namespace, as ElementTree spells element names in it.
SVG = "{http://www.w3.org/2000/svg}"


def ym(text: str) -> YearMonth:
    """A month from its ``YYYY-MM`` text."""
    return YearMonth.parse(text)


def programme(*cohorts: Cohort, first: str = "2023-11", last: str = "2024-02") -> Programme:
    """A small hand-built programme over ``first``..``last``."""
    return Programme(
        id="small",
        name="Small Programme",
        first_month=ym(first),
        last_month=ym(last),
        timezone=Zone("America/New_York"),
        cohorts=cohorts,
    )


def activity(
    id: str,
    name: str,
    months: Sequence[str],
    in_person: Sequence[str] = (),
    where: str | None = None,
) -> Activity:
    """An activity in ``months``, in person in ``in_person`` at ``where``."""
    return Activity(
        id=id,
        name=name,
        months=[ym(m) for m in months],
        in_person=[ym(m) for m in in_person],
        in_person_location=where,
    )


SESSIONS = activity(
    "sessions", "Learning Sessions", ["2023-11", "2024-01"], ["2024-01"], "Boston, MA"
)
CALLS = activity("calls", "All-Team Calls", ["2023-12", "2024-02"])
SMALL = programme(Cohort(id="ac", name="Action Community", activities=(SESSIONS, CALLS)))


@pytest.fixture(scope="module")
def reference_json() -> dict[str, Any]:
    """The JSON grid of the reference declaration, parsed."""
    document: dict[str, Any] = json.loads(render_json(Grid.of(declaration.load(REFERENCE))))
    return document


class TestReferenceGrid:
    """The reference declaration's grid is DOMAIN.md's two tables, cell for cell."""

    def test_cohorts_in_document_order(self, reference_json: dict[str, Any]) -> None:
        """The grid has the Learning Network, then the Action Community."""
        assert [cohort["name"] for cohort in reference_json["cohorts"]] == [
            "Learning Network",
            "Action Community",
        ]

    @pytest.mark.parametrize("cohort_name", list(DOMAIN_GRIDS))
    def test_activities_in_document_order(
        self, reference_json: dict[str, Any], cohort_name: str
    ) -> None:
        """Each cohort lists exactly the document's activities, in the document's order."""
        (cohort,) = [c for c in reference_json["cohorts"] if c["name"] == cohort_name]
        assert [a["name"] for a in cohort["activities"]] == list(DOMAIN_GRIDS[cohort_name])

    @pytest.mark.parametrize(
        ("cohort_name", "activity_name", "month"),
        [
            (cohort_name, activity_name, month)
            for cohort_name, rows in DOMAIN_GRIDS.items()
            for activity_name in rows
            for month in PROGRAMME_MONTHS
        ],
    )
    def test_cell(
        self, reference_json: dict[str, Any], cohort_name: str, activity_name: str, month: str
    ) -> None:
        """Every cell of the generated grid equals the document's cell."""
        (cohort,) = [c for c in reference_json["cohorts"] if c["name"] == cohort_name]
        (row,) = [a for a in cohort["activities"] if a["name"] == activity_name]
        expected = DOMAIN_GRIDS[cohort_name][activity_name].get(month)
        assert row["months"].get(month) == expected

    def test_markdown_has_every_row(self) -> None:
        """The Markdown grid holds each of the document's rows, one cell per month."""
        markdown = render_markdown(Grid.of(declaration.load(REFERENCE)))
        lines = markdown.splitlines()
        for cohort, rows in DOMAIN_GRIDS.items():
            for name, months in rows.items():
                cells = [months.get(month, "") for month in PROGRAMME_MONTHS]
                other = SHARED_ROWS.get((cohort, name))
                label = name if other is None else f"{name} (shared with {other})"
                assert "| " + " | ".join([label, *cells]) + " |" in lines
        # One row in full, as a person would read it in the source document.
        assert (
            "| Learning Sessions |  |  | X* |  |  |  |  |  |  | X |  |  |  |  |  |  |  | X* |"
            in lines
        )
        assert "X = scheduled that month; X* = in person (Boston, MA)" in lines


class TestGridOf:
    """Building a grid from a programme."""

    def test_marks_per_month(self) -> None:
        """Each row holds one mark per programme month: X, X* or empty."""
        grid = Grid.of(SMALL)
        assert [str(m) for m in grid.months] == ["2023-11", "2023-12", "2024-01", "2024-02"]
        sessions, calls = grid.cohorts[0].rows
        assert (sessions.activity, sessions.name) == ("sessions", "Learning Sessions")
        assert sessions.marks == ("X", "", "X*", "")
        assert calls.marks == ("", "X", "", "X")

    def test_years_group_months(self) -> None:
        """Months are grouped by calendar year, across the new year."""
        groups = Grid.of(SMALL).years
        assert [(g.year, [str(m) for m in g.months]) for g in groups] == [
            (2023, ["2023-11", "2023-12"]),
            (2024, ["2024-01", "2024-02"]),
        ]

    def test_month_outside_window_is_an_error(self) -> None:
        """An activity month without a grid column is reported, not dropped."""
        late = activity("late", "Late", ["2024-03"])
        with pytest.raises(PeScheduleError, match=r"ac/late.*2024-03"):
            Grid.of(programme(Cohort(id="ac", name="AC", activities=(late,))))


class TestLegend:
    """The legend line under each cohort grid."""

    def test_names_the_in_person_place(self) -> None:
        """A cohort with in-person cells explains X* with the activity's place."""
        cohort = Grid.of(SMALL).cohorts[0]
        assert legend(cohort) == "X = scheduled that month; X* = in person (Boston, MA)"

    def test_no_in_person_no_star(self) -> None:
        """A cohort without in-person cells does not mention X*."""
        cohort = Grid.of(programme(Cohort(id="c", name="C", activities=(CALLS,)))).cohorts[0]
        assert legend(cohort) == "X = scheduled that month"


class TestText:
    """The plain-text table for a terminal."""

    def test_marks_sit_under_their_months(self) -> None:
        """Each mark starts in the column of its month's heading."""
        lines = render_text(Grid.of(SMALL)).splitlines()
        years = next(line for line in lines if "2023" in line and "2024" in line)
        header = next(line for line in lines if line.startswith("Activity"))
        sessions = next(line for line in lines if line.startswith("Learning Sessions"))
        calls = next(line for line in lines if line.startswith("All-Team Calls"))
        assert sessions.index("X ") == header.index("Nov")
        assert sessions.index("X*") == header.index("Jan")
        assert calls.index("X") == header.index("Dec")
        assert calls.rindex("X") == header.index("Feb")
        assert years.index("2023") == header.index("Nov")
        assert years.index("2024") == header.index("Jan")

    def test_titles_and_legend(self) -> None:
        """The text names the programme, the cohort and explains the marks."""
        text = render_text(Grid.of(SMALL))
        assert text.startswith("Small Programme\n")
        assert "\nAction Community\n" in text
        assert text.endswith("X = scheduled that month; X* = in person (Boston, MA)\n")

    def test_one_month_year_still_fits_its_label(self) -> None:
        """A year with one month in the window still shows its whole year label."""
        grid = Grid.of(
            programme(
                Cohort(id="c", name="C", activities=(CALLS,)), first="2023-12", last="2024-02"
            )
        )
        years, header = render_text(grid).splitlines()[4:6]
        assert years.split() == ["2023", "2024"]
        assert years.index("2024") == header.index("Jan")


class TestMarkdown:
    """The Markdown document: a table per cohort."""

    def test_header_marks_year_starts(self) -> None:
        """The first month and each January carry their year; other months do not."""
        lines = render_markdown(Grid.of(SMALL)).splitlines()
        assert "| Activity | Nov 2023 | Dec | Jan 2024 | Feb |" in lines
        assert "| --- | :-: | :-: | :-: | :-: |" in lines

    def test_rows_and_legend(self) -> None:
        """Each activity is one table row, followed by the legend."""
        markdown = render_markdown(Grid.of(SMALL))
        assert markdown.startswith("# Small Programme\n\n## Action Community\n")
        assert "| Learning Sessions | X |  | X* |  |\n| All-Team Calls |  | X |  | X |\n" in (
            markdown
        )
        assert markdown.endswith("\nX = scheduled that month; X* = in person (Boston, MA)\n")

    def test_escapes_table_syntax(self) -> None:
        """A pipe or an asterisk in a name cannot break the table."""
        odd = activity("odd", "A|B *C*", ["2023-11"])
        markdown = render_markdown(Grid.of(programme(Cohort(id="c", name="C", activities=(odd,)))))
        assert "| A\\|B \\*C\\* | X |  |  |  |" in markdown.splitlines()


class _Tables(HTMLParser):
    """Collects the cells of each table row, and checks tags nest."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.rows: list[list[tuple[str, dict[str, str | None], str]]] = []
        self._cell: tuple[str, dict[str, str | None]] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"meta"}:
            return
        self.open.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in {"td", "th"}:
            self._cell, self._text = (tag, dict(attrs)), ""

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag
        if tag in {"td", "th"} and self._cell:
            self.rows[-1].append((*self._cell, self._text))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self._text += data


class TestHtml:
    """The HTML fragment and page."""

    def parse(self, text: str) -> _Tables:
        """The tables of ``text``, after checking every tag is closed in order."""
        tables = _Tables()
        tables.feed(text)
        tables.close()
        assert tables.open == []
        return tables

    def test_year_header_spans_its_months(self) -> None:
        """The year row spans each year's months; the month row names them."""
        rows = self.parse(render_html_fragment(Grid.of(SMALL))).rows
        years, months = rows[0], rows[1]
        assert [(text, attrs.get("colspan")) for _, attrs, text in years] == [
            ("Activity", None),
            ("2023", "2"),
            ("2024", "2"),
        ]
        assert [text for _, _, text in months] == ["Nov", "Dec", "Jan", "Feb"]

    def test_cells_mark_in_person(self) -> None:
        """Each body row has a heading and one cell per month; X* cells are in person."""
        rows = self.parse(render_html_fragment(Grid.of(SMALL))).rows
        sessions = rows[2]
        assert [(tag, text) for tag, _, text in sessions] == [
            ("th", "Learning Sessions"),
            ("td", "X"),
            ("td", ""),
            ("td", "X*"),
            ("td", ""),
        ]
        assert sessions[3][1]["class"] == "in-person"
        assert "Boston, MA" in (sessions[3][1]["title"] or "")

    def test_text_is_escaped(self) -> None:
        """Markup in names and places is shown as text, never interpreted."""
        bad = activity(
            "bad", "<script>alert(1)</script> & co", ["2023-11"], ["2023-11"], '"Hall" <B>'
        )
        cohort = Cohort(id="c", name="<i>C</i>", activities=(bad,))
        fragment = render_html_fragment(Grid.of(programme(cohort)))
        assert "<script>" not in fragment
        assert "<i>" not in fragment
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in fragment
        rows = self.parse(fragment).rows
        assert rows[2][0][2] == "<script>alert(1)</script> & co"
        assert rows[2][1][1]["title"] == (
            '<script>alert(1)</script> & co: Nov 2023, in person ("Hall" <B>)'
        )

    def test_page_wraps_the_fragment(self) -> None:
        """The full page is a standalone document holding the fragment."""
        grid = Grid.of(SMALL)
        page = render_html(grid)
        assert page.startswith("<!DOCTYPE html>\n")
        assert "<title>Small Programme</title>" in page
        assert render_html_fragment(grid) in page
        self.parse(page)


class TestSvg:
    """The SVG grid: a picture of the source document's tables, for slides and handouts."""

    @staticmethod
    def read(svg: str) -> dict[str, dict[str, dict[str, str]]]:
        """Read the tables back from the picture: cohort name -> row label -> {month: mark}.

        A mark's month is found by where it is drawn: under the month header text
        with the same ``x``, inside the year header box that spans that ``x``.
        """
        root = ElementTree.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        tables: dict[str, dict[str, dict[str, str]]] = {}
        for cohort in root.iter(f"{SVG}g"):
            if cohort.get("class") != "cohort":
                continue
            texts = {
                cls: [t for t in cohort.iter(f"{SVG}text") if t.get("class") == cls]
                for cls in ("cohort-name", "month", "label", "mark")
            }
            (name,) = texts["cohort-name"]
            years = []
            for group in cohort.iter(f"{SVG}g"):
                if group.get("class") == "year":
                    box = group.find(f"{SVG}rect")
                    label = group.find(f"{SVG}text")
                    assert box is not None
                    assert label is not None
                    left = float(box.get("x", ""))
                    years.append((left, left + float(box.get("width", "")), label.text))
            columns: dict[float, str] = {}
            for month in texts["month"]:
                x = float(month.get("x", ""))
                (year,) = [y for left, right, y in years if left < x < right]
                number = list(calendar.month_abbr).index(month.text or "")
                columns[x] = f"{year}-{number:02d}"
            rows: dict[str, dict[str, str]] = {}
            for row in cohort.iter(f"{SVG}g"):
                if row.get("class") != "row":
                    continue
                (label,) = [t for t in row.iter(f"{SVG}text") if t.get("class") == "label"]
                marks = [t for t in row.iter(f"{SVG}text") if t.get("class") == "mark"]
                rows[label.text or ""] = {
                    columns[float(mark.get("x", ""))]: mark.text or "" for mark in marks
                }
            assert len(rows) == len(texts["label"])
            tables[name.text or ""] = rows
        return tables

    def test_reference_is_the_documents_tables(self) -> None:
        """Every row and every X / X* of the reference picture is DOMAIN.md's, in its place."""
        tables = self.read(render_svg(Grid.of(declaration.load(REFERENCE))))
        expected = drawn_tables()
        assert tables == expected
        assert [list(rows) for rows in tables.values()] == [list(r) for r in expected.values()]

    def test_title_headers_and_legend(self) -> None:
        """The picture names the programme and the cohort, heads the years and months,
        and ends each table with its legend."""
        root = ElementTree.fromstring(render_svg(Grid.of(SMALL)))
        texts = [(t.get("class"), t.text) for t in root.iter(f"{SVG}text")]
        assert texts[:3] == [
            ("title", "Small Programme"),
            ("cohort-name", "Action Community"),
            ("corner", "Activity"),
        ]
        assert [text for cls, text in texts if cls == "year-label"] == ["2023", "2024"]
        assert [text for cls, text in texts if cls == "month"] == ["Nov", "Dec", "Jan", "Feb"]
        assert texts[-1] == ("legend", "X = scheduled that month; X* = in person (Boston, MA)")
        assert root.findtext(f"{SVG}title") == "Small Programme"

    def test_self_contained(self) -> None:
        """No script, link, image or web font: the file shows the same anywhere, offline."""
        svg = render_svg(Grid.of(declaration.load(REFERENCE)))
        root = ElementTree.fromstring(svg)
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert tags <= {"svg", "title", "g", "rect", "text"}
        attributes = {name for element in root.iter() for name in element.attrib}
        assert not any("href" in name or name.startswith("on") for name in attributes)
        assert "url(" not in svg
        assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"

    def test_markup_in_names_is_text(self) -> None:
        """Names holding ``<``, ``&`` and quotes are drawn as written, never parsed as markup."""
        bad = activity("bad", 'Calls <b>& "co"</b>', ["2023-11"], ["2023-11"], "<Hall> & 'B'")
        cohort = Cohort(id='c"1', name="<i>C</i> & D", activities=(bad,))
        svg = render_svg(Grid.of(programme(cohort)))
        assert "<b>" not in svg
        assert "<i>" not in svg
        assert self.read(svg) == {"<i>C</i> & D": {'Calls <b>& "co"</b>': {"2023-11": "X*"}}}
        legend_text = ElementTree.fromstring(svg)[-1][-1].text
        assert legend_text == "X = scheduled that month; X* = in person (<Hall> & 'B')"

    @settings(max_examples=40, deadline=None)
    @given(
        names=st.lists(
            st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1),
            min_size=1,
            max_size=4,
            unique_by=lambda name: " ".join(name.split()),
        ).filter(lambda names: all(name.split() for name in names)),
        marks=st.lists(st.sampled_from(["", "X", "X*"]), min_size=14 * 4, max_size=14 * 4),
    )
    def test_any_grid_reads_back(self, names: list[str], marks: list[str]) -> None:
        """Whatever the names and marks, the picture parses and shows exactly the grid's cells."""
        months = month_range(ym("2023-12"), ym("2025-01"))
        rows = tuple(
            Row(activity=f"a{i}", name=name, marks=tuple(marks[14 * i : 14 * i + 14]))
            for i, name in enumerate(names)
        )
        grid = Grid(
            programme="P", months=months, cohorts=(CohortGrid(id="c", name="C", rows=rows),)
        )
        assert self.read(render_svg(grid)) == shown_marks(grid)


class TestJson:
    """The JSON grid."""

    def test_exact_shape(self) -> None:
        """Only the months an activity happens are listed, in month order."""
        assert json.loads(render_json(Grid.of(SMALL))) == {
            "programme": "Small Programme",
            "cohorts": [
                {
                    "id": "ac",
                    "name": "Action Community",
                    "activities": [
                        {
                            "id": "sessions",
                            "name": "Learning Sessions",
                            "months": {"2023-11": "X", "2024-01": "X*"},
                        },
                        {
                            "id": "calls",
                            "name": "All-Team Calls",
                            "months": {"2023-12": "X", "2024-02": "X"},
                        },
                    ],
                }
            ],
        }

    def test_layout(self) -> None:
        """Output is indented by two, keeps non-ASCII text and ends with a newline."""
        text = render_json(Grid.of(programme(Cohort(id="é", name="Équipe", activities=()))))
        assert text == (
            "{\n"
            '  "programme": "Small Programme",\n'
            '  "cohorts": [\n'
            "    {\n"
            '      "id": "é",\n'
            '      "name": "Équipe",\n'
            '      "activities": []\n'
            "    }\n"
            "  ]\n"
            "}\n"
        )

    def test_month_keys_in_month_order(self) -> None:
        """Month keys follow the calendar, across a new year."""
        months = json.loads(render_json(Grid.of(SMALL)))["cohorts"][0]["activities"][1]["months"]
        assert list(months) == ["2023-12", "2024-02"]
