"""Table cells read the same through the fast paths (one text_content per Word-pasted cell) as
through the element walk: what extraction and the statistics grids see of each cell."""

from __future__ import annotations

import pytest
from lxml.html import fragment_fromstring

from pipelines.htmltext import element_lines
from pipelines.stats.grids import expand_table

CELLS = [
    # (cell markup, line element_lines reads, grid text expand_table reads)
    ("<td>12</td>", "12", "12"),
    ("<td><span>1</span>2</td>", "12", "12"),  # inline only: one text
    ('<td><p class="MsoNormal"><span lang="EN-US">0</span></p></td>', "0", "0"),  # Word-pasted
    ("<td>\u3000<p><span>3</span></p>\xa0</td>", "3", "3"),  # blanks around the one block
    ("<td>商业<br>企业</td>", "商业 企业", "商业 企业"),  # a break between words keeps a space
    ("<td><p>商业</p><p>企业</p></td>", "商业 企业", "商业 企业"),  # two blocks: two words
    ("<td>合计<p>5</p></td>", "合计 5", "合计 5"),  # text beside the block stays apart
    ("<td><p>5</p>件</td>", "5 件", "5 件"),
    ("<td><span>申请</span><p>数量</p></td>", "申请 数量", "申请 数量"),  # an inline sibling of the block
    ("<td><!-- x --><p>7</p></td>", "7", "7"),  # a comment is not text
    ("<td><p>行政\n    复议</p></td>", "行政复议", "行政复议"),  # a source line break between Han characters
]


@pytest.mark.parametrize(("cell", "line", "grid_text"), CELLS)
def test_a_cell_reads_the_same_whatever_wraps_its_text(cell: str, line: str, grid_text: str) -> None:
    table = fragment_fromstring(f"<table><tr><td>项目</td>{cell}</tr></table>")
    assert element_lines(table) == [f"项目\t{line}"]
    assert expand_table(fragment_fromstring(f"<table><tr><td>项目</td>{cell}</tr></table>")) == [["项目", grid_text]]
