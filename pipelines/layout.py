"""Rebuild running text from positioned lines of fixed-layout pages (pure core).

PDF, OFD and OCR all give visual lines with coordinates, not paragraphs. ``assemble_pages``
drops repeated page headers/footers and page numbers, merges a table continued on the next
page, and joins wrapped lines (also across a page break) into one line per paragraph, with
each table row as one line of tab-separated cells — the same shape as an HTML report's
``body_text``. Used by :mod:`pipelines.pdftext`, :mod:`pipelines.ofdtext` and
:mod:`pipelines.ocr`, called from :func:`pipelines.attachments.read_attachment`.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from pipelines.stats.results import Grid

# Lines that are only a page number: "- 3 -", "— 3 —", "3", "第3页", "第 3 页 共 12 页",
# "共12页 第3页", "3/12", "Page 3 of 12". Word/WPS footers of government reports use the first
# two forms; converted scans the others.
PAGE_NUMBER_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[-—–－·\s]*\d{1,4}[-—–－·\s]*$"),
    re.compile(r"^第\s*\d{1,4}\s*页\s*[,，/／]?\s*(共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^共\s*\d{1,4}\s*页\s*[,，/／]?\s*第\s*\d{1,4}\s*页$"),
    re.compile(r"^\d{1,4}\s*[/／]\s*\d{1,4}$"),
    re.compile(r"^page\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I),
)
# How many lines at each page edge can be header/footer material.
EDGE_LINES = 2
# A header/footer line recurs at the same edge of at least this share of the pages (and at
# least two): the agency name or report title repeated in a Word page header.
REPEAT_SHARE = 0.4
# Sentence ends: a line ending with one of these may close a paragraph (Chinese and ASCII).
SENTENCE_END = "。！？；：!?;:…」』”）)"
# Section headings of the report templates: "一、总体情况", "（一）主动公开", "1.", "第二部分".
HEADING_START_RE = re.compile(
    r"^([一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.、．](?!\d)|"
    r"第[一二三四五六七八九十]{1,3}[章节部分])"
)
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")
# A Latin word, number, e-mail or URL opening a line: it wraps whole, so the line above may
# stop short of the margin without ending its paragraph.
_LEADING_TOKEN = re.compile(r"^[A-Za-z0-9@._\-/:%#+=?&]+")
# Table cell edges closer than this (points) are the same column boundary.
EDGE_TOLERANCE = 2.0


@dataclass
class Line:
    """One visual line of text on a page, in points from the page's top-left corner."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float = 0.0  # font size (or line height for OCR lines)


@dataclass
class TableBlock:
    """A table found on a page, with its vertical position (to interleave it with lines).

    ``cells`` (optional) holds each row's cells as ``(x0, x1, text)``: with them a table
    continued on the next page can be re-gridded on the union of both parts' column edges
    (the parts of a table with merged cells often show different column counts).
    """

    top: float
    bottom: float
    grid: Grid
    cells: list[list[tuple[float, float, str]]] | None = None


@dataclass
class Page:
    """The lines and tables of one page, in reading order (top to bottom)."""

    blocks: list[Line | TableBlock] = field(default_factory=list)
    height: float = 0.0


@dataclass
class Assembled:
    """Text of the pages (one paragraph or table row per line) and the tables' grids."""

    text: str
    tables: list[Grid]
    removed: list[str]  # the header/footer/page-number lines that were dropped


def is_page_number(text: str) -> bool:
    """True for a line that is only a page number.

    >>> is_page_number("- 3 -"), is_page_number("第 3 页 共 12 页"), is_page_number("2019年")
    (True, True, False)
    """
    text = text.strip()
    return bool(text) and any(p.match(text) for p in PAGE_NUMBER_RES)


def _edge_key(text: str) -> str:
    return _DIGITS.sub("#", _SPACE.sub("", text))


def _edges(page: Page) -> tuple[list[int], list[int]]:
    """Indexes of the lines at the top and bottom edge of a page (tables end an edge)."""
    top: list[int] = []
    for i, block in enumerate(page.blocks[:EDGE_LINES]):
        if not isinstance(block, Line):
            break
        top.append(i)
    bottom: list[int] = []
    for i in range(len(page.blocks) - 1, max(len(page.blocks) - 1 - EDGE_LINES, -1), -1):
        if not isinstance(page.blocks[i], Line) or i in top:
            break
        bottom.append(i)
    return top, bottom


def strip_page_furniture(pages: list[Page]) -> list[str]:
    """Remove page numbers and running headers/footers from ``pages`` in place.

    Only lines at a page's top or bottom edge are candidates: a line that is only a page
    number, or one that recurs (digits ignored) at the same edge of several pages. Returns the
    removed texts.
    """
    removed: list[str] = []
    counts: dict[str, Counter[str]] = {"top": Counter(), "bottom": Counter()}
    edges = [_edges(p) for p in pages]
    for page, (top, bottom) in zip(pages, edges):
        for name, idx in (("top", top), ("bottom", bottom)):
            for key in {_edge_key(page.blocks[i].text) for i in idx}:  # type: ignore[union-attr]
                counts[name][key] += 1
    needed = max(2, REPEAT_SHARE * len(pages))
    for page, (top, bottom) in zip(pages, edges):
        drop = set()
        for name, idx in (("top", top), ("bottom", bottom)):
            for i in idx:
                line = page.blocks[i]
                assert isinstance(line, Line)
                if is_page_number(line.text) or counts[name][_edge_key(line.text)] >= needed:
                    drop.add(i)
        removed.extend(page.blocks[i].text for i in sorted(drop))  # type: ignore[union-attr]
        page.blocks = [b for i, b in enumerate(page.blocks) if i not in drop]
    return removed


def _edges_of(cells: list[list[tuple[float, float, str]]]) -> list[float]:
    edges: list[float] = []
    for x in sorted(x for row in cells for x0, x1, _ in row for x in (x0, x1)):
        if not edges or x - edges[-1] > EDGE_TOLERANCE:
            edges.append(x)
    return edges


def _regrid(cells: list[list[tuple[float, float, str]]], edges: list[float]) -> Grid:
    def column(x: float) -> int:
        return min(range(len(edges)), key=lambda i: abs(edges[i] - x))

    grid: Grid = []
    for row in cells:
        out = [""] * (len(edges) - 1)
        for x0, _x1, text in row:
            start = column(x0)
            if start < len(out):
                out[start] = text
        grid.append(out)
    return grid


def _continues(last: TableBlock, first: TableBlock) -> bool:
    if not last.grid or not first.grid:
        return False
    if last.cells and first.cells:
        a, b = _edges_of(last.cells), _edges_of(first.cells)
        return abs(a[0] - b[0]) <= EDGE_TOLERANCE and abs(a[-1] - b[-1]) <= EDGE_TOLERANCE
    return len(last.grid[0]) == len(first.grid[0])


def merge_split_tables(pages: list[Page]) -> None:
    """Join a table that ends one page with one that opens the next.

    Both parts must span the same width (or, without cell positions, have as many columns);
    a header row repeated on the continuation is dropped. Statistics tables of the 2021
    template (收到和处理政府信息公开申请情况) usually run over a page break.
    """
    prev: Page | None = None  # the last page with blocks left
    for page in pages:
        first = page.blocks[0] if page.blocks else None
        last = prev.blocks[-1] if prev is not None else None
        if isinstance(last, TableBlock) and isinstance(first, TableBlock) and _continues(last, first):
            if last.cells and first.cells:
                edges = _edges_of(last.cells + first.cells)
                head, tail = _regrid(last.cells, edges), _regrid(first.cells, edges)
                last.cells = last.cells + first.cells
            else:
                head, tail = last.grid, first.grid
            if tail and head and tail[0] == head[0]:
                tail = tail[1:]
            last.grid = head + tail
            page.blocks = page.blocks[1:]
        # A page that held only the middle of a table is empty now, and the part on the next
        # page continues the same table (表三 of the 2021 template over three pages).
        if page.blocks:
            prev = page


def _join(a: str, b: str) -> str:
    """Join two pieces of one paragraph: no space between Chinese or digits, one between words."""
    if _ASCII_WORD_END.search(a) and _ASCII_WORD_START.search(b) and not (a[-1].isdigit() and b[0].isdigit()):
        return f"{a} {b}"
    return a + b


def _margins(lines: list[Line]) -> tuple[float, float, float]:
    """Left margin, right margin and typical character size of the body lines."""
    sizes = [ln.size for ln in lines if ln.size > 0]
    size = statistics.median(sizes) if sizes else 10.0
    lefts = Counter(round(ln.x0) for ln in lines)
    # The left margin is where most lines start; first-line indents and centred titles start
    # further right, so the most common start (ties: the smallest) is the margin.
    left = min(lefts, key=lambda x: (-lefts[x], x)) if lefts else 0.0
    rights = sorted(ln.x1 for ln in lines)
    right = rights[int(0.9 * (len(rights) - 1))] if rights else 0.0
    return float(left), float(right), size


def _line_gaps(pages: list[Page]) -> float:
    gaps = []
    for page in pages:
        prev = None
        for block in page.blocks:
            if isinstance(block, Line):
                if prev is not None and block.top >= prev.bottom:
                    gaps.append(block.top - prev.bottom)
                prev = block
            else:
                prev = None
    return statistics.median(gaps) if gaps else 0.0


def _starts_paragraph(prev: Line, cur: Line, same_page: bool, left: float, right: float,
                      size: float, gap: float) -> bool:
    char = max(size, 1.0)
    if "\t" in prev.text or "\t" in cur.text:  # a table row read as one line (OFD, OCR)
        return True
    if cur.x0 > left + 0.8 * char:  # first-line indent (两个字符缩进), or a centred heading
        return True
    if prev.x1 < right - 1.8 * char:  # the line above stopped short: its paragraph ended …
        token = _LEADING_TOKEN.match(cur.text.strip())
        # … unless this line opens with a Latin word too long for the space left there
        if not (token and right - prev.x1 < 0.6 * char * len(token.group()) + char):
            return True
    if prev.size and cur.size and abs(prev.size - cur.size) > 0.15 * char:  # a heading
        return True
    if prev.text.rstrip().endswith(tuple(SENTENCE_END)) and HEADING_START_RE.match(cur.text.strip()):
        return True  # a heading set flush left right after a sentence that filled its line
    if same_page and cur.top - prev.bottom > gap + 0.6 * char:  # blank space between paragraphs
        return True
    return False


def rebuild_paragraphs(pages: list[Page]) -> list[str | Grid]:
    """Paragraph texts and table grids in reading order, wrapped lines joined.

    A paragraph runs on across a page break when the last line of a page reaches the right
    margin and the next page's first line is not indented.
    """
    all_lines = [b for p in pages for b in p.blocks if isinstance(b, Line)]
    left, right, size = _margins(all_lines)
    gap = _line_gaps(pages)
    out: list[str | Grid] = []
    prev: Line | None = None
    prev_page = -1
    for number, page in enumerate(pages):
        for block in page.blocks:
            if isinstance(block, TableBlock):
                if block.grid:
                    out.append(block.grid)
                prev = None
                continue
            text = block.text.strip()
            if not text:
                continue
            if prev is not None and isinstance(out[-1], str) and not _starts_paragraph(
                prev, block, number == prev_page, left, right, size, gap
            ):
                out[-1] = _join(out[-1], text)
            else:
                out.append(text)
            prev, prev_page = block, number
    return out


def grid_lines(grid: Grid) -> list[str]:
    """A table as text lines: one per row, the non-empty cells joined by a tab."""
    lines = []
    for row in grid:
        cells = [c for c in row if c]
        if cells:
            lines.append("\t".join(cells))
    return lines


def assemble_pages(pages: list[Page]) -> Assembled:
    """Headers/footers dropped, split tables merged, paragraphs rebuilt: the text of a document."""
    removed = strip_page_furniture(pages)
    merge_split_tables(pages)
    lines: list[str] = []
    tables: list[Grid] = []
    for part in rebuild_paragraphs(pages):
        if isinstance(part, str):
            lines.append(part)
        else:
            tables.append(part)
            lines.extend(grid_lines(part))
    return Assembled("\n".join(lines), tables, removed)


def clean_cell(text: str | None) -> str:
    """A table cell's text on one line: wrapped lines joined like paragraph lines.

    >>> clean_cell("本年新\\n制作数量"), clean_cell(None)
    ('本年新制作数量', '')
    """
    if not text:
        return ""
    parts = [p.strip() for p in text.splitlines() if p.strip()]
    out = ""
    for part in parts:
        out = _join(out, part) if out else part
    return _SPACE.sub(" ", out)
