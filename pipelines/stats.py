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
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from pipelines import metadata as md
from pipelines import stats_labels as L
from pipelines.htmltext import normalize_line
from pipelines.repair import to_simplified

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


# --- normalisation ------------------------------------------------------------------------


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def strip_notes(text: str) -> str:
    """Remove bracketed notes, keep enumerators: "(二)部分公开(区分处理的…)" -> "(二)部分公开"."""
    text = _nfkc(text)
    while True:
        shorter = L.NOTE_RE.sub("", text)
        if shorter == text:
            return text
        text = shorter


def enumerator(text: str) -> str | None:
    """The enumerator opening a label: "(三)不予公开" -> "三", "3.其他" -> "3", "规章" -> None."""
    m = L.ENUMERATOR_RE.match(strip_notes(text))
    if not m:
        return None
    return next(g for g in m.group("cn", "pcn", "num", "pnum") if g)


@lru_cache(maxsize=8192)  # the same labels recur in every row a span covers and every report
def label_key(text: str) -> str:
    """What a label is compared by: no enumerator, notes, whitespace, quotes or punctuation.

    >>> label_key("(二)部分公开（区分处理的，只计这一情况，不计其他情况）")
    '部分公开'
    >>> label_key("商业 企业") == label_key("商业企业"), label_key("第二十条第（一）项")
    (True, '第二十条第(一)项')
    >>> label_key('3.危及"三安全一稳定"') == label_key("危及“三安全一稳定”")
    True
    >>> label_key("本年新收政府信息公開申請數量") == label_key("本年新收政府信息公开申请数量")
    True
    """
    # Mirror copies are in traditional script (政府信息公開申請數量): compare in simplified.
    text = to_simplified(strip_notes(text))
    text = L.ENUMERATOR_RE.sub("", text, count=1)
    text = L.KEY_DROP_RE.sub("", text)
    for a, b in L.KEY_SYNONYMS:
        text = text.replace(a, b)
    return text


def is_value(text: str) -> bool:
    """True for what a table writes in a number's place: numbers, "160.59万元", "-", "/", "无", ""."""
    t = re.sub(r"\s+", "", _nfkc(text))
    return t in L.NULL_TOKENS or bool(L.NUMBER_RE.match(t))


def parse_value(text: str) -> tuple[Number | None, str | None]:
    """A cell's value and unit: "160.59万元" -> (160.59, "万元"), "12" -> (12, None), "-" -> (None, None).

    >>> parse_value("160.59万元"), parse_value("1,234"), parse_value("/"), parse_value("-8")
    ((160.59, '万元'), (1234, None), (None, None), (-8, None))
    """
    t = re.sub(r"\s+", "", _nfkc(text))
    m = L.NUMBER_RE.match(t)
    if not m:
        return None, None
    num = m.group("num").replace(",", "")
    value: Number = float(num) if "." in num else int(num)
    return value, to_simplified(m.group("unit")) if m.group("unit") else None


def _label_parts(text: str) -> list[str]:
    """Split merged label text where a new enumerated label starts (notes removed first)."""
    text = strip_notes(text)
    starts = sorted({0, *(m.start() for m in L.PART_START_RE.finditer(text))})
    parts = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
    return [p for p in parts if label_key(p)]


class _Labels:
    """Canonical labels of one table dimension, found by key, then by similarity."""

    def __init__(self, entries: dict[str, tuple[str, ...]]) -> None:
        self.by_key: dict[str, str] = {}
        self._fuzzy: dict[str, str | None] = {}  # key -> best similar label (memo; bounded)
        for canon, variants in entries.items():
            for text in (canon.split("/")[-1], *variants):
                self.by_key.setdefault(label_key(text), canon)

    def match(self, text: str, fuzzy: bool = True) -> str | None:
        key = label_key(text)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        if not fuzzy or len(key) < 4:
            return None
        if key not in self._fuzzy:
            if len(self._fuzzy) > 20000:
                self._fuzzy.clear()
            self._fuzzy[key] = self._similar(key)
        return self._fuzzy[key]

    def _similar(self, key: str) -> str | None:
        best, best_ratio = None, FUZZY_RATIO
        for known, canon in self.by_key.items():
            # 2·min/(sum of lengths) bounds the ratio: prose lines never reach the costly part.
            if len(known) < 4 or 2 * min(len(key), len(known)) < best_ratio * (len(key) + len(known)):
                continue
            matcher = SequenceMatcher(None, key, known)
            if matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = canon, ratio
        return best


_T2_ROWS = _Labels({k: v[1] for k, v in L.TABLE2_ROWS.items()})
_T2_COLS = _Labels({k: v[1] for k, v in L.TABLE2_COLUMNS.items()})
_T3_ROWS = _Labels({**{k: v[1] for k, v in L.TABLE3_ROWS.items()}, **L.TABLE3_HEADINGS})
_T3_COLS = _Labels(L.TABLE3_COLUMNS)
_T4_GROUPS = _Labels(L.TABLE4_GROUPS)
_T4_RESULTS = _Labels(L.TABLE4_RESULTS)
_T2_INFO = {label_key(h) for h in L.TABLE2_HEAD}
_MARKERS = {name: tuple(label_key(w) for w in words) for name, words in L.TABLE_MARKERS.items()}


# --- HTML tables to grids -----------------------------------------------------------------


def _cell_text(cell: HtmlElement) -> str:
    # <br> and <p> inside a cell separate words ("商业<br>企业"); keep a space there.
    # Walked with lxml's iterwalk rather than by recursion: a cell nesting thousands of
    # elements (hostile or generated markup) would overflow Python's recursion limit.
    if not len(cell):  # most cells hold bare text: no walker needed
        return normalize_line(cell.text or "")
    pieces: list[str] = []
    for event, el in etree.iterwalk(cell, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            pieces.append(el.tail or "")  # a comment inside the cell: only its tail is text
            continue
        if event == "start":
            if el.tag in _BLOCK_TAGS:
                pieces.append(" ")
            pieces.append(el.text or "")
        else:
            if el.tag in _BLOCK_TAGS:
                pieces.append(" ")
            if el is not cell:
                pieces.append(el.tail or "")
    return normalize_line("".join(pieces))


def _span(value: str | None, limit: int) -> int:
    if value is None:  # most cells: no rowspan/colspan attribute (an exception costs more)
        return 1
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return max(1, min(n, limit)) if n != 0 else limit  # rowspan="0": to the end of the table


def expand_table(table: HtmlElement) -> Grid:
    """One HTML table as a grid: merged cells repeated into every position they cover.

    >>> from lxml.html import fragment_fromstring
    >>> expand_table(fragment_fromstring('<table><tr><td rowspan="2">自然人</td>'
    ...     '<td colspan="2">法人或其他组织</td></tr><tr><td>商业企业</td><td>其他</td></tr></table>'))
    [['自然人', '法人或其他组织', '法人或其他组织'], ['自然人', '商业企业', '其他']]
    """
    rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
    taken: dict[tuple[int, int], str] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rowspan = min(_span(cell.get("rowspan"), MAX_ROWSPAN), len(rows) - r)
            colspan = _span(cell.get("colspan"), MAX_COLSPAN) if cell.get("colspan") != "0" else 1
            if len(taken) + rowspan * colspan > MAX_GRID_CELLS:
                return []
            text = _cell_text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = text
            c += colspan
            width = max(width, c)
    if len(rows) * width > MAX_GRID_CELLS:
        return []
    grid = [[taken.get((r, c), "") for c in range(width)] for r in range(len(rows))]
    return [row for row in grid if any(row)]


def _owner(el: HtmlElement) -> HtmlElement | None:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def html_tables(element: HtmlElement) -> list[Grid]:
    """Every data table under ``element`` (itself included) as a span-expanded grid.

    Tables that hold other tables are page layout, not data: only the innermost are read.
    """
    return [grid for table in element.iter("table")
            if table.find(".//table") is None and (grid := expand_table(table))]


# --- rows ---------------------------------------------------------------------------------


@dataclass
class _Row:
    """One table row. ``kind``: grid (positions are columns), tabs (one body_text line:
    cells as written, trailing blanks dropped) or spaces (PDF text: whitespace tokens)."""

    cells: list[str]
    kind: str

    def split(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(label cells, value cells) with positions: values are the trailing run of value cells."""
        i = len(self.cells)
        while i > 0 and is_value(self.cells[i - 1]):
            i -= 1
        labels = [(j, c) for j, c in enumerate(self.cells[:i]) if c.strip()]
        return labels, [(j, self.cells[j]) for j in range(i, len(self.cells))]

    def keys(self) -> list[str]:
        return [label_key(c) for c in self.cells]


def _grid_rows(grid: Grid) -> list[_Row]:
    width = max((len(r) for r in grid), default=0)
    return [_Row([(c or "").strip() for c in r] + [""] * (width - len(r)), "grid") for r in grid]


def text_rows(text: str) -> list[_Row]:
    """Rows of flattened table text: tab-separated cells, or whitespace tokens (PDF text)."""
    rows = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if "\t" in line:
            rows.append(_Row([c.strip() for c in line.split("\t")], "tabs"))
        else:
            rows.append(_Row(line.split(), "spaces"))
    return rows


def _join(labels: list[tuple[int, str]]) -> str:
    out: list[str] = []
    for _, text in labels:
        if not out or out[-1] != text:  # a rowspan/colspan label repeated across positions
            out.append(text)
    return " ".join(out)


def _has_marker(rows: Iterable[_Row], table: str) -> bool:
    return any(marker in key for row in rows for key in row.keys() for marker in _MARKERS[table])


def _header_paths(header: list[_Row], positions: list[int]) -> dict[int, list[str]]:
    """The header texts above each value column, top to bottom.

    PDF and DOCX extractors leave a merged cell's other positions blank instead of repeating
    its text. A blank continues the cell to its left when both sit under the same parent
    (法人或其他组织 spanning five columns), and stays blank otherwise: the blank under 总计 is
    its vertical merge, not a sixth column of 法人或其他组织.
    """
    paths: dict[int, list[str]] = {p: [] for p in positions}
    above = dict.fromkeys(positions, "")
    for row in header:
        here: dict[int, str] = {}
        for p in positions:
            text = row.cells[p] if p < len(row.cells) else ""
            if not text and p - 1 in here and above[p] == above[p - 1]:
                text = here[p - 1]
            here[p] = text
            if text and (not paths[p] or paths[p][-1] != text):
                paths[p].append(text)
        above = {p: here[p] or above[p] for p in positions}
    return paths


def _value_cell(table: str, row: str | None, col: str | None, raw_row: str, raw_col: str | None,
                raw: str, source: str, unit: str | None = None) -> StatCell:
    value, cell_unit = parse_value(raw)
    return StatCell(table, row, col, raw_row, raw_col, raw.strip(), value, cell_unit or unit, source)


# --- 表二 ---------------------------------------------------------------------------------


@dataclass
class _Column:
    canon: str | None
    raw: str
    unit: str | None


def _t2_column(text: str) -> _Column:
    unit = L.HEADER_UNIT_RE.search(_nfkc(text))
    return _Column(_T2_COLS.match(text), text, to_simplified(unit.group(1)) if unit else None)


def _t2_header(row: _Row) -> dict[int, _Column] | list[_Column] | None:
    """Column labels of a header row: by position for grids, in order for text rows."""
    cells = [(p, c) for p, c in enumerate(row.cells) if label_key(c) not in _T2_INFO
             and not L.TABLE2_BLOCK_RE.search(label_key(c))]
    if not any(_T2_COLS.match(c) for _, c in cells if c):
        return None
    if row.kind == "grid":
        by_pos: dict[int, _Column] = {}
        prev: _Column | None = None
        first = min(p for p, c in cells if c and _T2_COLS.match(c))
        for p, c in cells:
            if p < first:
                continue
            col = prev if prev is not None and (not c or c == prev.raw) else _t2_column(c)
            by_pos[p] = col
            prev = col
        return by_pos
    ordered: list[_Column] = []
    for _, c in cells:
        if not c:
            continue
        if not label_key(c) and ordered:  # "(单位:万元)" split off by a space in PDF text
            ordered[-1] = _t2_column(ordered[-1].raw + c)
        elif label_key(c):
            ordered.append(_t2_column(c))
    return ordered


def _table2(rows: list[_Row], source: str, year_template: str | None) -> list[StatCell]:
    cells: list[StatCell] = []
    header: dict[int, _Column] | list[_Column] | None = None
    for row in rows:
        if _has_marker([row], "表三") or _has_marker([row], "表四"):
            header = None  # the table after 表二 in the same grid or text
            continue
        if L.TABLE2_BLOCK_RE.search("".join(row.keys())):
            # A new block "第二十条第(五)项": its own header follows. The heading may share the
            # line with that header in PDF text, or be split at a space ("第二十条 第(五)项").
            header = None
            rest = [c if not (L.TABLE2_BLOCK_RE.search(k) or L.TABLE2_BLOCK_PART_RE.match(k)) else ""
                    for c, k in zip(row.cells, row.keys())]
            if not any(rest):
                continue
            row = _Row(rest, row.kind)
        labels, values = row.split()
        filled = [(p, v) for p, v in values if v.strip()]
        if not filled:
            header = _t2_header(row) or header
            continue
        label = _join(labels)
        canon = _T2_ROWS.match(label) if label else None
        if canon is None and not (isinstance(header, dict) and label and enumerator(label) is None):
            # Text rows must name a known row. A grid may add its own (其他主动公开文件) under a
            # header it gave, but an enumerated label ("一、本年新收…") is another table's row.
            continue
        columns = _t2_assign(row, values, header, canon, year_template)
        seen: set[str | None] = set()
        for col, raw in columns:
            if col.canon is not None and col.canon in seen:
                continue
            seen.add(col.canon)
            cells.append(_value_cell("表二", canon, col.canon, label, col.raw or None, raw, source, col.unit))
    return cells


def _t2_assign(row: _Row, values: list[tuple[int, str]], header: dict[int, _Column] | list[_Column] | None,
               canon: str | None, year_template: str | None) -> list[tuple[_Column, str]]:
    """Pair each value with its column; a column spanned by one merged value keeps the first."""
    if isinstance(header, dict):
        groups: dict[int, tuple[_Column, list[str]]] = {}
        for p, v in values:
            col = header.get(p)
            if col is None:
                continue
            groups.setdefault(id(col), (col, []))[1].append(v)
        return [(col, next((v for v in vs if v.strip()), vs[0])) for col, vs in groups.values()]
    raw = [v for _, v in values]
    if row.kind == "grid":  # no positional header: a merged value is one value
        raw = [v for k, v in enumerate(raw) if v.strip() and (k == 0 or v != raw[k - 1])] or raw[:1]
    if isinstance(header, list) and header:
        if row.kind == "tabs":  # body_text drops trailing empty cells
            raw += [""] * (len(header) - len(raw))
        elif len(raw) != len(header):
            return []  # PDF text lost a blank cell: which one is unknowable
        return list(zip(header, raw))
    # No usable header (scrambled PDF text): the template fixes the columns of each row.
    default = L.TABLE2_DEFAULT_COLUMNS.get(year_template or "", {}).get(canon or "")
    if default and len(raw) == len(default):
        return [(_Column(c, "", None), v) for c, v in zip(default, raw)]
    return []


# --- 表三 ---------------------------------------------------------------------------------


def _match_t3(label: str) -> str | None:
    """The canonical 表三 row a label names: its last enumerated part, read in the context of the
    group label before it ("(六)其他处理 3.其他"). Earlier parts are the row-spanning labels of a
    merged row, or the start of a label the PDF broke over lines."""
    parts = _label_parts(label)
    if not parts:
        return None
    canon = _T3_ROWS.match(parts[-1])
    if canon is None:
        return None
    need = L.TABLE3_ROWS.get(canon, (None, None, None))[2]
    if need and enumerator(parts[-1]) != need:
        groups = {_T3_ROWS.match(p, fuzzy=False) for p in parts[:-1]}
        if canon.split("/")[0] not in groups:
            return None
    return canon


def _t3_columns(header: list[_Row], row: _Row, values: list[tuple[int, str]]) -> dict[int, tuple[str | None, str]]:
    """Value position -> (canonical column, raw header) from the header rows, if they are usable."""
    positions = [p for p, _ in values]
    paths = _header_paths(header, positions)
    mapping: dict[int, tuple[str | None, str]] = {}
    for p in positions:
        canon = next((c for c in map(_T3_COLS.match, reversed(paths[p])) if c), None)
        mapping[p] = (canon, "/".join(paths[p]))
    found = [c for c, _ in mapping.values() if c]
    if len(set(found)) >= len(L.TABLE3_COLUMNS) - 1 and len(found) == len(set(found)):
        return mapping
    return {}


def _t3_assign(row: _Row, values: list[tuple[int, str]], mapping: dict[int, tuple[str | None, str]],
               header: list[_Row]) -> list[tuple[str | None, str | None, str]]:
    if mapping and all(p in mapping for p, _ in values):
        # Blank positions under no known column are a merged label's other half, not values.
        return [(*mapping[p], v) for p, v in values if mapping[p][0] or v.strip()]
    n = len(L.TABLE3_COLUMNS)
    vals = list(values)
    if row.kind == "grid":
        while len(vals) > n and not vals[-1][1].strip():
            vals.pop()
    if len(vals) >= n:
        vals = vals[-n:]
    elif row.kind == "tabs":  # body_text drops trailing empty cells
        vals += [(-1, "")] * (n - len(vals))
    else:
        return []  # PDF text with blanks missing: which column lost its value is unknowable
    paths = _header_paths(header, [p for p, _ in vals if p >= 0]) if row.kind == "grid" else {}
    return [(col, "/".join(paths.get(p, [])) or None, v) for col, (p, v) in zip(L.TABLE3_COLUMNS, vals)]


def _table3(rows: list[_Row], source: str) -> list[StatCell]:
    cells: list[StatCell] = []
    header: list[_Row] = []
    pending: list[str] = []
    mapping: dict[int, tuple[str | None, str]] | None = None
    done: set[str] = set()
    for row in rows:
        labels, values = row.split()
        filled = any(v.strip() for _, v in values)
        label = _join(labels)
        canon, used = None, label
        if label:
            canon = _match_t3(label)
            if canon is None and pending:
                used = " ".join([*pending, label])
                canon = _match_t3(used)
        if canon is None:
            if mapping is None:
                header.append(row)
            if label and not filled:
                pending = [*pending, label][-MAX_PENDING:]
            elif label and filled and mapping and L.TABLE3_NEXT not in done:
                # A row the template lacks, inside a table whose header named every column.
                for col, raw_col, raw in _t3_assign(row, values, mapping, header):
                    cells.append(_value_cell("表三", None, col, label, raw_col, raw, source))
            continue
        pending = []
        if canon in L.TABLE3_HEADINGS or canon in done or not values:
            continue
        if not filled and canon in L.TABLE3_RESULT_GROUPS and canon != "(六)其他处理":
            continue  # a group label on a row of its own, not a subtotal
        if mapping is None:
            mapping = _t3_columns(header, row, values) if row.kind == "grid" else {}
        assigned = _t3_assign(row, values, mapping, header)
        if assigned:
            done.add(canon)
        for col, raw_col, raw in assigned:
            cells.append(_value_cell("表三", canon, col, used, raw_col, raw, source))
    return cells


# --- 表四 ---------------------------------------------------------------------------------

_T4_ORDER = [(g, r) for g in L.TABLE4_GROUPS for r in L.TABLE4_RESULTS]


def _table4(rows: list[_Row], source: str, in_context: bool) -> list[StatCell]:
    header: list[_Row] = []
    context = in_context
    n = L.TABLE4_VALUES
    for row in rows:
        if not context:
            context = _has_marker([row], "表四")
            if not context:
                continue
        labels, values = row.split()
        filled = [v for _, v in values if v.strip()]
        if not filled:
            header.append(row)
            continue
        if len(values) < n and not (row.kind == "tabs" and not labels):
            header.append(row)
            continue
        vals = values[-n:] if len(values) >= n else values + [(-1, "")] * (n - len(values))
        pairs = _t4_columns(header, vals) if row.kind == "grid" else {}
        out = []
        for i, (p, raw) in enumerate(vals):
            group, result = _T4_ORDER[i]
            raw_row = raw_col = None
            if p in pairs:
                (group, result), (raw_row, raw_col) = pairs[p]
            out.append(_value_cell("表四", group, result, raw_row or "", raw_col, raw, source))
        return out
    return []


def _t4_columns(header: list[_Row], vals: list[tuple[int, str]]) -> dict[int, tuple[tuple[str, str], tuple[str, str]]]:
    """Position -> ((group, result), (raw group, raw result)) when the header names all 15."""
    paths = _header_paths(header, [p for p, _ in vals if p >= 0])
    out = {}
    for p, path in paths.items():
        group = next(((g, t) for t in reversed(path) if (g := _T4_GROUPS.match(t, fuzzy=False))), None)
        result = next(((r, t) for t in reversed(path) if (r := _T4_RESULTS.match(t, fuzzy=False))), None)
        if group and result:
            out[p] = ((group[0], result[0]), (group[1], result[1]))
    if len({pair for pair, _ in out.values()}) == L.TABLE4_VALUES:
        return out
    return {}


# --- sections -----------------------------------------------------------------------------


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + L.CN_NUMERALS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return L.CN_NUMERALS[tens] * 10 + (L.CN_NUMERALS[ones] if ones else 0)
    return L.CN_NUMERALS[text]


def _partition_stop(line: str) -> tuple[str, str]:
    m = re.search(r"[。:：;；]", line)
    return (line[: m.start()].strip(), line[m.end():].strip()) if m else (line, "")


def _heading(line: str) -> tuple[int, str, str] | None:
    """(number, heading, text after it on the same line) if ``line`` looks like a section heading."""
    s = line.strip()
    if not s or "\t" in s:
        return None
    tokens = s.split()
    if len(tokens) > 1 and is_value(tokens[-1]):
        return None  # "四、结转下年度继续办理 0 0 0 0 0 0 0": a table row in PDF text
    # "六、其他需要报告的事项:本年度未收取信息处理费。": the heading ends at the first stop.
    heading, rest = _partition_stop(s)
    m = L.SECTION_HEADING_RE.match(_nfkc(heading))
    if not m or len(heading) > L.MAX_HEADING_CHARS or len(label_key(m.group("title"))) < 2:
        return None
    return _cn_number(m.group("part") or m.group("num")), heading, rest


def split_sections(body_text: str, template: str | None, source: str = "html") -> list[Section]:
    """Sections of a report: the preamble as 0, then each heading's own number.

    Template reports (t2019/t2021, or unknown) accept a heading when its number comes later
    than the last one and its words fit that template section (一 总体情况 … 六 其他需要报告的事项);
    legacy reports accept any short heading numbered one more than the last (starting at 一,
    or at 二 when the first heading is missing). Each section records ``source``, the format of
    the text (html, pdf, docx …).

    >>> text = "本报告根据条例编制。\\n一、总体情况\\n正文。\\n二、主动公开政府信息情况\\n四、结转下年度继续办理\\t0"
    >>> [(s.number, s.heading) for s in split_sections(text, "t2021")]
    [(0, None), (1, '一、总体情况'), (2, '二、主动公开政府信息情况')]
    """
    lines = body_text.split("\n")
    found: list[tuple[int, int, str, str]] = []  # line index, number, heading, inline text
    last = 0
    for i, line in enumerate(lines):
        h = _heading(line)
        if h is None:
            continue
        number, heading, rest = h
        if template == L.LEGACY:
            # One more than the last; the first may be 二 when the report opens without a
            # heading (四川省民政厅 2013: intro, then (一)…, then 二、主动公开政府信息情况).
            ok = (number == last + 1 or not found and number == 2) and not heading.endswith(("。", ";"))
        else:
            spec = L.SECTIONS.get(number)
            ok = number > last and spec is not None and bool(spec[1].search(heading))
        if ok:
            found.append((i, number, heading.strip(), rest))
            last = number
    if not found:
        return []
    sections = []
    preamble = "\n".join(ln for ln in lines[: found[0][0]] if ln.strip()).strip()
    if preamble:
        sections.append(Section(0, None, preamble, source))
    for k, (i, number, heading, rest) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(lines)
        text = "\n".join(([rest] if rest else []) + [ln for ln in lines[i + 1 : end] if ln.strip()])
        sections.append(Section(number, heading, text.strip(), source))
    return sections


# --- checks -------------------------------------------------------------------------------


def _close(a: Number, b: Number) -> bool:
    return abs(a - b) < 1e-6


def consistency_checks(cells: list[StatCell]) -> list[Check]:
    """The template's arithmetic on the canonical cells; a missing row skips its checks.

    Null cells ("-", "/", blank) count as nothing here: reports write them for zero.
    表三: per column 一 + 二 = (七)总计 + 四, and (七)总计 = the sum of the results (一)…(六)
    (a group's sub-rows when present, else the group row); per row 总计 = the six applicant
    columns. 表四: per group 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
    """
    at: dict[tuple[str, str, str], Number] = {}
    for c in cells:
        if c.row_label and c.col_label:
            at.setdefault((c.table, c.row_label, c.col_label), c.value or 0)
    checks: list[Check] = []

    def add(name: str, parts: list[Number | None], actual: list[Number | None]) -> None:
        if None in parts or None in actual or not parts:
            return
        exp, act = sum(parts), sum(actual)  # type: ignore[arg-type]
        checks.append(Check(name, exp, act, _close(exp, act)))

    t3_rows = list(dict.fromkeys(r for (t, r, _) in at if t == "表三"))
    for col in L.TABLE3_COLUMNS:
        def v(row: str, col: str = col) -> Number | None:
            return at.get(("表三", row, col))

        add(f"表三[{col}] 一+二=(七)总计+四", [v(L.TABLE3_NEW), v(L.TABLE3_CARRIED)],
            [v(L.TABLE3_TOTAL), v(L.TABLE3_NEXT)])
        results: list[Number | None] = []
        for group in L.TABLE3_RESULT_GROUPS:
            children = [r for r in t3_rows if r.startswith(group + "/")]
            results += [v(r) for r in children] if children else [v(group)]
        add(f"表三[{col}] (七)总计=各项办理结果之和", results, [v(L.TABLE3_TOTAL)])
    for row in t3_rows:
        add(f"表三[{row}] 总计=各类申请人之和", [at.get(("表三", row, c)) for c in L.TABLE3_APPLICANTS],
            [at.get(("表三", row, L.TOTAL))])
    for group in L.TABLE4_GROUPS:
        parts = [at.get(("表四", group, r)) for r in L.TABLE4_RESULTS if r != L.TOTAL]
        add(f"表四[{group}] 总计=四项之和", parts, [at.get(("表四", group, L.TOTAL))])
    return checks


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
