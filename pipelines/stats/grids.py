"""HTML tables to grids: every merged cell's text repeated into each position it covers, within caps."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from pipelines.htmltext import is_blank, normalize_line, text_of
from pipelines.stats.results import _BLOCK_TAGS, MAX_COLSPAN, MAX_GRID_CELLS, MAX_ROWSPAN, Grid

# --- HTML tables to grids -----------------------------------------------------------------


_CELL_BLOCKS = etree.XPath("descendant::*[" + " or ".join(f"self::{tag}" for tag in sorted(_BLOCK_TAGS)) + "]")


def _cell_text(cell: HtmlElement) -> str:
    # <br> and <p> inside a cell separate words ("商业<br>企业"); keep a space there.
    # Walked with lxml's iterwalk rather than by recursion: a cell nesting thousands of
    # elements (hostile or generated markup) would overflow Python's recursion limit.
    if not len(cell):  # most cells hold bare text: no walker needed
        return normalize_line(cell.text or "")
    # Word-pasted cells (<p><span>0</span></p>): one block, nothing around it, so no space to
    # insert anywhere; the text is the cell's text_content (as in pipelines.htmltext).
    blocks = _CELL_BLOCKS(cell)
    if not blocks or (len(blocks) == 1 and len(cell) == 1 and blocks[0] is cell[0]
                      and is_blank(cell.text) and is_blank(blocks[0].tail)):
        return normalize_line(text_of(cell))
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
