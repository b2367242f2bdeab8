"""Read a report's statistics tables into labelled cells, split its text into sections 一…六, and
check that its numbers add up (pure core: extraction → statistics → archive).

The tables of the 2019 and 2021 national templates (表二 主动公开, 表三 依申请, 表四 复议诉讼) arrive
as grids: ``list[list[str]]``, one list of cell texts per row, with every merged cell's text
repeated into each position it covers. :func:`html_tables` makes such grids from HTML; PDF and
DOCX extractors hand theirs to :func:`parse_statistics` as they are. When no grid holds a
table, its section of the text is read instead: tab-separated rows (how ``body_text`` keeps
tables) or a label followed by space-separated numbers (how PDF text gives them).

Labels are matched after normalisation (:func:`label_key`); every cell keeps its raw labels and
raw value next to the canonical ones (:mod:`pipelines.stats_labels`). Numbers are never
corrected: a report whose sums do not hold gets failing :class:`Check` rows.

The package, in reading order: ``results`` (the dataclasses and limits), ``normalise`` (labels
and values), ``grids`` (HTML tables to grids), ``rows`` (label and value cells, headers),
``tables`` (表二, 表三, 表四), ``sections``, ``checks``; this module puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines import metadata as md
from pipelines import stats_labels as L
from pipelines.stats.checks import consistency_checks
from pipelines.stats.grids import (
    expand_table,
    html_tables,
)
from pipelines.stats.normalise import label_key, parse_value
from pipelines.stats.results import MAX_GRID_CELLS, Check, Grid, Number, Section, StatCell, Statistics
from pipelines.stats.rows import _grid_rows, _Row, text_rows
from pipelines.stats.sections import split_sections
from pipelines.stats.tables import _table2, _table3, _table4

__all__ = [
    "MAX_GRID_CELLS", "Check", "Grid", "Number", "Section", "SourceText", "StatCell", "Statistics",
    "consistency_checks", "expand_table", "html_tables", "label_key", "parse_sources", "parse_statistics",
    "parse_value", "split_sections", "text_rows", "text_source", "text_year",
]

# --- putting it together ------------------------------------------------------------------


def _labels_template(cells: list[StatCell]) -> str | None:
    """The template whose own labels (not shared by the other) the cells use most."""
    votes = {t: 0 for t in L.TEMPLATES}
    for c in cells:
        for kind, label in (("row", c.row_label), ("col", c.col_label)):
            spec = None
            if c.table == "表二":
                spec = (L.TABLE2_ROWS if kind == "row" else L.TABLE2_COLUMNS).get(label or "")
            elif c.table == "表三" and kind == "row":
                spec = L.TABLE3_ROWS.get(label or "")
            if spec and len(spec[0]) == 1:
                votes[next(iter(spec[0]))] += 1
    if votes[L.T2019] == votes[L.T2021]:
        return None
    return max(votes, key=votes.__getitem__)


def _decide_template(year_template: str | None, cells: list[StatCell]) -> tuple[str | None, str]:
    by_labels = _labels_template(cells)
    if year_template in L.TEMPLATES:
        if by_labels and by_labels != year_template:
            return by_labels, "labels"
        return year_template, "year"
    if cells:  # legacy or unknown year, yet template tables: the labels decide
        return by_labels or (L.T2019 if year_template == L.LEGACY else L.T2021), "labels"
    return year_template, "year" if year_template else "none"


def _canonical_for(template: str | None, cells: list[StatCell]) -> list[StatCell]:
    aliases = L.TABLE2_ALIASES.get(template or "", {})
    if not aliases:
        return cells
    out = []
    for c in cells:
        if c.table == "表二" and (c.row_label in aliases or c.col_label in aliases):
            c = StatCell(c.table, aliases.get(c.row_label or "", c.row_label),
                         aliases.get(c.col_label or "", c.col_label), c.raw_row_label, c.raw_col_label,
                         c.raw_value, c.value, c.unit, c.source)
        out.append(c)
    return out


def _merge(into: list[StatCell], new: list[StatCell]) -> None:
    have = {(c.table, c.row_label, c.col_label) for c in into if c.row_label and c.col_label}
    for c in new:
        key = (c.table, c.row_label, c.col_label)
        if c.row_label and c.col_label and key in have:
            continue  # the same table again (a repeated or page-split copy): first wins
        have.add(key)
        into.append(c)


def _parse_rows(rows: list[_Row], source: str, year_template: str | None, table: str | None,
                in_context: bool) -> list[StatCell]:
    out: list[StatCell] = []
    if table in (None, "表二"):
        _merge(out, _table2(rows, source, year_template))
    if table in (None, "表三"):
        _merge(out, _table3(rows, source))
    if table in (None, "表四"):
        _merge(out, _table4(rows, source, in_context))
    return out


def parse_statistics(tables: list[Grid], body_text: str = "", report_year: int | None = None, *,
                     source: str = "html") -> Statistics:
    """Read one report's statistics: cells of 表二/表三/表四, sections 一…六, checks.

    :param tables: the report's tables as span-expanded grids (:func:`html_tables`, or the
        tables a PDF/DOCX extractor found; blank merged cells are tolerated).
    :param body_text: the report text; split into sections, and read for any table that no
        grid held (tab-separated rows, or PDF text "规章 0 0 5").
    :param report_year: the year covered; picks the template (2019–2020 → t2019, 2021 on →
        t2021, earlier → legacy: sections only) unless the table labels say otherwise.
    :param source: the format the tables and text came from (html, or an attachment's type:
        pdf, docx, xlsx, ofd …); recorded on the cells read from ``tables`` and on the sections.
        Cells read from the text say ``text`` for a page, ``pdf-text`` etc. for a file
        (:func:`text_source`). A file given no ``report_year`` gets the one its text states
        (:func:`text_year`).

    >>> st = parse_statistics([[["行政复议", "行政复议", "行政诉讼"],
    ...                         ["结果维持", "总计", "结果维持"]]], "", 2021)
    >>> st.template, st.cells
    ('t2021', [])
    """
    return parse_sources([SourceText(source, body_text, tables)], report_year)


@dataclass(frozen=True)
class SourceText:
    """One text a report's statistics are read from: its page, or one of its files.

    ``source`` is ``html`` or the file's sniffed type (pdf, docx, xlsx …); ``tables`` are the
    grids found in it.
    """

    source: str
    text: str = ""
    tables: list[Grid] = field(default_factory=list)


def parse_sources(parts: list[SourceText], report_year: int | None = None) -> Statistics:
    """Statistics of a report read from several texts: a stub page's files, in body order.

    A report published as "2021年报告.pdf" plus "统计表.xls" has as its body the text of both;
    each cell then says which file (and whether its grid or its text) it came from, and the
    sections come from the first file that has headings (the report, not the spreadsheet).
    A table is taken from the first part that holds it. With one part this is
    :func:`parse_statistics`.

    :param parts: the texts in the order the report's body joins them.
    :param report_year: the year covered (see :func:`parse_statistics`); when None, the first
        file whose text states one gives it.

    >>> st = parse_sources([SourceText("xlsx", "规章\\t1\\t0\\t5"),
    ...                     SourceText("pdf", "一、总体情况\\n本机关……")], 2021)
    >>> [(s.number, s.source) for s in st.sections]
    [(1, 'pdf')]
    """
    if report_year is None:
        # A stub page's files come without the page's year; the file's own title line or
        # statistical period gives it, so a 2019–2020 file is read as t2019.
        report_year = next((y for p in parts if p.source != "html" for y in [text_year(p.text)] if y), None)
    year_template = L.template_for_year(report_year)
    cells: list[StatCell] = []
    for part in parts:
        for grid in part.tables:
            _merge(cells, _parse_rows(_grid_rows(grid), part.source, year_template, None, False))
    template, how = _decide_template(year_template, cells)
    split = [split_sections(p.text, template, p.source) for p in parts]
    if template != L.LEGACY:
        for table, number in L.TABLE_SECTION.items():
            for part, sections in zip(parts, split):
                if any(c.table == table and c.row_label for c in cells):
                    break
                if not part.text:
                    continue
                text = next((s.text for s in sections if s.number == number), None)
                rows = text_rows(text if text is not None else part.text)
                _merge(cells, _parse_rows(rows, text_source(part.source), template, table, text is not None))
        template2, how2 = _decide_template(year_template, cells)
        if template2 != template:
            template, how = template2, how2
            split = [split_sections(p.text, template, p.source) for p in parts]
    cells = _canonical_for(template, cells)
    sections = next((s for s in split if s), [])
    return Statistics(template, how, sections, cells, consistency_checks(cells))


def text_source(source: str) -> str:
    """What cells read from a report's text (not from a table grid) record as their source.

    An HTML page's flattened table lines say ``text`` (as they always have); a file's say which
    file format's text they came from, so a 表三 read from a PDF's text layer is not mistaken
    for one read from the page.

    >>> text_source("html"), text_source("pdf"), text_source("docx")
    ('text', 'pdf-text', 'docx-text')
    """
    return "text" if source in ("html", "text") else f"{source}-text"


def text_year(body_text: str) -> int | None:
    """The year a report's text says it covers: its title line, else its statistical period.

    Only these two: a year met further into the prose ("2018年以来…") is no evidence.

    >>> text_year("江州市民政局2020年政府信息公开工作年度报告\\n本报告…")
    2020
    >>> text_year("本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。")
    2021
    """
    first = next((ln.strip() for ln in body_text.split("\n") if ln.strip()), "")
    year, how = md.report_year(first if "报告" in first else None, body_text, None)
    return year if how in ("title", "period") else None
