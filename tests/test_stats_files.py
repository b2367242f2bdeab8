"""Statistics read from real report files: reportlab PDFs and python-docx DOCX of the 2019 and 2021
templates, read by ``read_attachment`` and parsed by ``pipelines.stats``, must give every cell exactly.

The files are built by demo/files.py from the demo generator's reports (running header, page
numbers, 表三 split over a page break in the PDF, merged cells in the DOCX); the ground truth is
:func:`tests.test_stats.truth`, read from the generator's tables by position.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from demo import files as fb
from demo.texts import ReportText, template_report
from pipelines import ocr
from pipelines.attachments import AttachmentText, ReadOptions, read_attachment
from pipelines.stats import SourceText, Statistics, parse_sources, parse_statistics
from tests.test_stats import cells_of, truth

HEADER = "江州市人民政府办公室"
NO_OCR = ReadOptions(ocr=ocr.OcrOptions(enabled=False))
BUILDERS: dict[str, Callable[[ReportText], bytes]] = {
    "pdf": lambda rt: fb.report_pdf(rt, header=HEADER),
    "docx": lambda rt: fb.report_docx(rt, header=HEADER),
}
YEARS = [(2019, "t2019"), (2021, "t2021")]  # the first year of each national template


def read(kind: str, rt: ReportText) -> AttachmentText:
    result = read_attachment(BUILDERS[kind](rt), f"{rt.title}.{kind}", NO_OCR)
    assert (result.type, result.error) == (kind, None)
    return result


def assert_exact(st: Statistics, rt: ReportText, kind: str, template: str) -> None:
    gold = truth(rt)
    got = cells_of(st)
    assert got == gold
    assert all(type(v) is type(gold[k]) for k, v in got.items())  # 3 stays int, 160.59 float
    assert all(c.row_label and c.col_label for c in st.cells)  # no stray cells beside them
    assert {c.source for c in st.cells} == {kind}  # from the file's table grids, not its text lines
    assert st.template == template
    assert st.checks and all(c.ok for c in st.checks) and st.consistent


@pytest.mark.parametrize("kind", list(BUILDERS))
@pytest.mark.parametrize("year,template", YEARS)
def test_every_cell_of_a_report_file_is_read_exactly_and_every_check_passes(kind, year, template):
    rt = template_report("江州市民政局", year, seed=7)
    result = read(kind, rt)
    # a stub page's file reaches the parser with no year: its title line gives it
    st = parse_sources([SourceText(result.type, result.text, result.tables)])
    assert st.template_source == "year"
    assert_exact(st, rt, kind, template)
    # a file listed straight from the column comes with the list's year
    assert_exact(parse_statistics(result.tables, result.text, year, source=result.type), rt, kind, template)

