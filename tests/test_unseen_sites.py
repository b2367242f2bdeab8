"""End-to-end on templates the other e2e sites do not imitate (demo/unseen.py): a table list
with an image pager and ``Show.aspx?id=N`` articles, GBK with no usable charset label, a Big5
gateway's 繁體 copy, and a table portal whose links resolve only against ``<base href>``."""

from __future__ import annotations

import pytest

from archive.store import Archive
from demo.server import ExpectedDoc, Site
from demo.unseen import aspx_table_site, base_href_site, big5_gate_site, gbk_nocharset_site
from pipelines.phrases import LEAK_PHRASES
from tests.conftest import char_f1
from tests.crawling import crawl_sites

pytestmark = pytest.mark.e2e  # starts local servers and the crawl command

# Chrome phrases of these templates, simplified and traditional; none may reach a body.
LEAKS = LEAK_PHRASES + (
    "掃一掃在手機打開當前頁", "打印本頁", "關閉窗口", "字體", "網站標識碼", "ICP備", "公網安備",
    "當前位置", "瀏覽次數", "主辦單位", "访问次数", "视力保护色", "【打印】", "【关闭】", "[打印]",
    "[关闭]", "您现在的位置", "版权所有", "承办单位", "返回顶部", "返回頂部", "打印正文", "收藏本",
)


def check_row(row: dict | None, doc: ExpectedDoc) -> None:
    assert row is not None, f"report missing: {doc.path}"
    assert row["title"] == doc.title, doc.path
    assert row["publish_date"] == doc.publish_date, doc.path
    assert row["report_year"] == doc.report_year, doc.path
    assert row["script"] == doc.script, doc.path
    assert row["agency"] == doc.agency, doc.path
    if doc.index_no:
        assert row["index_no"] == doc.index_no, doc.path
    if doc.written_date:
        assert row["written_date"] == doc.written_date, doc.path
    assert row["source_format"] == doc.source_format, doc.path
    assert char_f1(row["body_text"], doc.body_text) >= 0.95, doc.path
    leaked = [p for p in LEAKS if p in row["body_text"]]
    assert not leaked, (doc.path, leaked)


@pytest.fixture(scope="module")
def sites() -> list[Site]:
    return [aspx_table_site(), gbk_nocharset_site(), big5_gate_site(), base_href_site()]


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    return crawl_sites(sites, tmp_path_factory.mktemp("unseen") / "archive.db")


@pytest.mark.parametrize("name", ["aspx-table", "gbk-nocharset", "big5-gate", "base-href"])
def test_every_report_is_archived_with_its_metadata(sites, crawled, name):
    site = next(s for s in sites if s.name == name)
    archive = Archive(crawled["db"])
    for doc in site.reports():
        check_row(archive.report(crawled["bases"][name] + doc.path), doc)


@pytest.mark.parametrize("name", ["aspx-table", "gbk-nocharset", "big5-gate", "base-href"])
def test_decoys_are_captures_not_reports(sites, crawled, name):
    site = next(s for s in sites if s.name == name)
    base = crawled["bases"][name]
    archive = Archive(crawled["db"])
    reports = {r["url"] for r in archive.reports() if r["url"].startswith(base + "/")}
    assert reports == {base + d.path for d in site.reports()}
    captures = {c["url"]: c for c in archive.captures()}
    for doc in site.expected:
        if not doc.is_report:
            capture = captures.get(base + doc.path)
            assert capture is not None, f"decoy never fetched: {doc.path}"
            assert capture["doc_type"] != "annual_report" and capture["error"] is None


@pytest.mark.parametrize("name", ["aspx-table", "gbk-nocharset", "big5-gate", "base-href"])
def test_no_request_misses(sites, crawled, name):
    # A link resolved against the wrong base, or a pager page invented, is a 404 here.
    site = next(s for s in sites if s.name == name)
    missing = [p for p in crawled["requested"][name] if p not in site.resources and p != "/robots.txt"]
    assert not missing
