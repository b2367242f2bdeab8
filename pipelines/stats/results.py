"""The results of reading a report's statistics (cells, sections, checks) and the limits every reader keeps to."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# A table as rows of cell texts, rectangular; a merged cell's text is repeated into each position
# it covers (pipelines/layout.py leaves a covered cell "" in the grids it builds from PDF words).
Grid = list[list[str]]
Number = int | float

# A label that matches no known wording exactly is accepted when this similar to one
# (SequenceMatcher ratio); high enough that 属于三类内部事务信息 never becomes 属于四类过程性信息.
FUZZY_RATIO = 0.85
# Span attributes beyond these are typing errors in the CMS ("colspan=1000"), not layout.
MAX_COLSPAN, MAX_ROWSPAN = 64, 500
# Positions one table may expand to. Per-cell caps alone still let a hostile table of a few
# hundred KB (600 rows of 200 cells, each rowspan=65534 colspan=1000) ask for tens of millions
# of positions (gigabytes), and 100k one-cell rows under one wide row a grid of billions; the
# largest statistics table seen is about 40 × 12. A table past this is no statistics table:
# it expands to nothing.
MAX_GRID_CELLS = 500_000
# Label-only lines kept while waiting for the numbers that complete them (a PDF label broken
# over several lines, the vertical "三、\n本\n年\n度…" cell); more than this is prose.
MAX_PENDING = 12
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatCell:
    """One number of a statistics table, with its canonical and raw labels.

    ``row_label``/``col_label`` are the template's canonical labels (None when the report has
    a row or column the template does not know); ``value`` is None for "-", "/", "无", "—"
    and blanks; ``unit`` comes from the cell ("160.59万元") or its column ("(单位:万元)").
    """

    table: str
    row_label: str | None
    col_label: str | None
    raw_row_label: str
    raw_col_label: str | None
    raw_value: str
    value: Number | None
    unit: str | None
    source: str


@dataclass(frozen=True)
class Section:
    """A numbered part of the report: 0 is the preamble before 一, then 1…6 (legacy: up to 7+).

    ``source`` is the format of the text it was split from: html, or the attachment's type
    (pdf, docx, …) when the report's text is its file's.
    """

    number: int
    heading: str | None
    text: str
    source: str = "html"


@dataclass(frozen=True)
class Check:
    """One arithmetic rule of the template applied to the report's numbers."""

    name: str
    expected: Number
    actual: Number
    ok: bool


@dataclass
class Statistics:
    """Everything read from one report's tables and text.

    ``template`` is t2019, t2021, legacy or None; ``template_source`` says whether it came from
    the report year or was overruled by the labels found (``labels``).
    """

    template: str | None
    template_source: str
    sections: list[Section] = field(default_factory=list)
    cells: list[StatCell] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        """True when every check holds (also when there was nothing to check)."""
        return all(c.ok for c in self.checks)

    def value(self, table: str, row: str, col: str) -> Number | None:
        """The value of one canonical cell, or None when absent or null."""
        for c in self.cells:
            if (c.table, c.row_label, c.col_label) == (table, row, col):
                return c.value
        return None

    def rows(self) -> dict[str, Any]:
        """Plain dicts for :meth:`archive.store.Archive.save_statistics`."""
        return {
            "template": self.template,
            "sections": [asdict(s) for s in self.sections],
            "cells": [
                {"table_name": c.table, "row_label": c.row_label, "col_label": c.col_label,
                 "raw_row_label": c.raw_row_label, "raw_col_label": c.raw_col_label,
                 "raw_value": c.raw_value, "value": c.value, "unit": c.unit, "source": c.source}
                for c in self.cells
            ],
            "checks": [{"check_name": c.name, "expected": c.expected, "actual": c.actual,
                        "ok": int(c.ok)} for c in self.checks],
        }
