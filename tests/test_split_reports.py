"""End to end (issue 13): a report cut over pages whose first page alone is no report is
archived once, whole, with the statistics grids of every page (demo/split_reports.py: TRS in
UTF-8 and in GBK, and a ``div#zoom`` template paged only by links)."""

from __future__ import annotations

import pytest

from archive.store import Archive
from demo.server import Site
from demo.split_reports import EXPECTED
from demo.split_reports import sites as split_sites
from tests.crawling import crawl_sites

NAMES = ["split-trs-utf8", "split-trs-gbk", "split-zoom"]


@pytest.fixture(scope="module")
def sites() -> list[Site]:
    return split_sites()


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    return crawl_sites(sites, tmp_path_factory.mktemp("split-reports") / "archive.db")


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_split_report_whose_first_page_is_no_report_is_archived_once_and_whole(crawled, name):
    archive = Archive(crawled["db"])
    base = crawled["bases"][name]
    expected = EXPECTED[name]
    rows = [r for r in archive.reports() if r["url"].startswith(base)]
    assert [r["url"] for r in rows] == [base + expected.path], "one report, at the first page's URL"
    body = rows[0]["body_text"]
    for piece in expected.pieces:  # every page's text, each once: no page dropped or doubled
        assert body.count(piece) == 1, (name, piece)
    assert "下一页" not in body and "createPageHTML" not in body, "the page row is chrome, not body"
    assert rows[0]["report_year"] == 2023


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_statistics_of_the_first_page_reach_report_cells(crawled, name):
    archive = Archive(crawled["db"])
    row = archive.report(crawled["bases"][name] + EXPECTED[name].path)
    # read from the page's grids ("html"), not recovered from the flattened text lines: the
    # first page's grids are what is lost when it is judged alone before the join
    cells = {(c["row_label"], c["col_label"]): (c["value"], c["source"])
             for c in archive.statistics(row["id"])["cells"] if c["table_name"] == "表二"}
    for row_label, col_label, value in EXPECTED[name].cells:
        assert cells.get((row_label, col_label)) == (value, "html"), (name, row_label, col_label, cells)
