"""Each crawl component built straight from plain values, as a library user or a test would.

``from_crawler`` reads the settings (tests/test_settings.py checks which); ``__init__`` takes the
values and the live Scrapy objects a component uses (a stats collector, the spider), never the
crawler. One behaviour each here, no crawl.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from archive.store import Archive
from archive.warc import cdxj_lines, check_files
from crawler.extensions import Progress, Summary
from crawler.middlewares import (
    AddressGuardMiddleware,
    EncodingMiddleware,
    IncrementalMiddleware,
    SameHostMiddleware,
    WarcMiddleware,
)
from pipelines.archiving import ArchivePipeline, capture_row
from pipelines.items import PageItem
from spiders.addresses import AddressPolicy
from spiders.browser import BrowserOptions, BrowserRouter
from spiders.meta import ADDRESS_META, ENCODING_META, SKIPPED_META, WARC_META
from tests.test_archive_pipeline import COLUMN, _article

ARTICLE = "http://www.x.gov.cn/xxgk/xxgknb/202401/t20240115_1.html"


def stats():
    """A real stats collector (Scrapy's own tests take it from ``get_crawler`` too)."""
    collector = get_crawler().stats
    collector.open_spider()
    return collector


class ColumnSpider(Spider):
    name = "column"

    def __init__(self, hosts: set[str]) -> None:
        super().__init__()
        self.allowed_hosts = hosts
        self.column_urls = [COLUMN]


def test_encoding_middleware_reads_a_gbk_page_served_as_utf8_as_gbk():
    counts = stats()
    body = "<html><body>2023年政府信息公开工作年度报告</body></html>".encode("gbk")
    request = Request(ARTICLE)
    response = HtmlResponse(ARTICLE, body=body, headers={"Content-Type": "text/html; charset=utf-8"},
                            request=request)
    decoded = EncodingMiddleware(counts).process_response(request, response)
    assert "年度报告" in decoded.text
    assert request.meta[ENCODING_META]["chosen"] == decoded.encoding != "utf-8"
    assert counts.get_value("gongkai/encoding/overridden") == 1


def test_same_host_middleware_refuses_another_host_of_the_spider():
    counts = stats()
    middleware = SameHostMiddleware(ColumnSpider({"www.x.gov.cn"}), counts)
    assert middleware.process_request(Request(ARTICLE)) is None
    with pytest.raises(IgnoreRequest, match="off-site URL http://www.y.gov.cn/"):
        middleware.process_request(Request("http://www.y.gov.cn/a.html"))
    assert counts.get_value("gongkai/offsite/refused") == 1


def test_address_guard_lets_a_host_through_once_the_spider_names_it():
    counts = stats()
    spider = ColumnSpider({"www.x.gov.cn"})
    guard = AddressGuardMiddleware(spider, counts)
    request = Request("http://127.0.0.1:8000/xxgk/index.html")
    with pytest.raises(IgnoreRequest, match="loopback address 127.0.0.1"):
        asyncio.run(guard.process_request(request))
    spider.allowed_hosts.add("127.0.0.1")  # a distributed worker's seed arrived
    assert asyncio.run(guard.process_request(request)) is None
    assert counts.get_value("gongkai/address/refused") == 1


def test_incremental_middleware_skips_an_article_checked_within_the_recheck_days(tmp_path):
    db = tmp_path / "a.db"
    archive = Archive(db)
    crawl_id, site_id = archive.start_crawl({}, "test"), archive.ensure_site(COLUMN)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    item = PageItem(url=ARTICLE, kind="article", column_url=COLUMN, status=200, body=b"<html>x</html>",
                    text="x", fetched_at=now)
    archive.save_capture_and_report(capture_row(item, crawl_id, site_id), item.body, None)
    archive.close()
    counts = stats()
    middleware = IncrementalMiddleware(str(db), recheck=False, recheck_days=7, stats=counts)
    request = Request(ARTICLE, meta={"gongkai_kind": "article"})
    skipped = middleware.process_request(request)
    middleware.close()
    assert isinstance(skipped, Response) and skipped.status == 304 and request.meta[SKIPPED_META]
    assert counts.get_value("gongkai/incremental/skipped") == 1


def test_warc_middleware_writes_the_exchange_and_indexes_it_at_close(tmp_path):
    counts = stats()
    middleware = WarcMiddleware(str(tmp_path / "w"), 2**20, {"operator": "tests"}, counts)
    request = Request(ARTICLE)
    response = Response(ARTICLE, status=200, body=b"<html>2023</html>", headers={"Content-Type": "text/html"},
                        request=request)
    assert middleware.process_response(request, response) is response
    middleware.spider_closed()
    assert request.meta[WARC_META]["offset"] > 0  # after the warcinfo record
    assert [line["url"] for line in cdxj_lines(tmp_path / "w")] == [ARTICLE]
    assert not check_files(middleware.store.files())
    assert counts.get_value("gongkai/warc/response") == 1


def test_progress_prints_the_counts_of_its_stats():
    counts, out = stats(), io.StringIO()
    counts.set_value("gongkai/pages_fetched", 12)
    counts.set_value("gongkai/reports_new", 3)
    Progress(counts, 5.0, out=out).report()
    assert "12 pages fetched" in out.getvalue() and "reports 3 new" in out.getvalue()
    with pytest.raises(NotConfigured):
        Progress(counts, 0)


def test_summary_prints_the_crawl_read_back_from_the_archive(tmp_path):
    db = tmp_path / "a.db"
    archive = Archive(db)
    crawl_id = archive.start_crawl({}, "test")
    archive.close()
    counts, out = stats(), io.StringIO()
    counts.set_value("gongkai/crawl_id", crawl_id)
    counts.set_value("gongkai/db", str(db))
    Summary(counts, warc_dir=None, out=out).spider_closed()
    assert f"gongkai crawl #{crawl_id}" in out.getvalue()
    assert "not written (--no-warc)" in out.getvalue()


def test_archive_pipeline_records_the_crawl_it_is_given_and_stores_a_report(tmp_path):
    db = tmp_path / "a.db"
    pipeline = ArchivePipeline(str(db), "9.9", stats(), ColumnSpider({"x.gov.cn"}), commit_seconds=3600,
                               commit_items=100, alert_error_rate=0.5, alert_stale_days=400,
                               settings={"GONGKAI_JS": "never"})
    pipeline.open_spider()
    pipeline.process_item(_article(1))
    pipeline.close_spider()
    archive = Archive(db)
    crawl = archive.crawl(pipeline.crawl_id)
    assert (crawl["gongkai_version"], crawl["reports_new"], crawl["status"]) == ("9.9", 1, "finished")
    assert '"GONGKAI_JS": "never"' in crawl["arguments"] and COLUMN in crawl["arguments"]
    archive.close()


def test_browser_router_sends_pages_to_the_browser_with_the_spiders_start_hosts_exempt(tmp_path):
    counts = stats()
    router = BrowserRouter(BrowserOptions(mode="always"), str(tmp_path / "rules.db"), counts,
                           ColumnSpider({"www.x.gov.cn"}))
    request = Request(ARTICLE, meta={"gongkai_kind": "article"})
    router.process_request(request)
    assert request.meta["playwright"] is True
    assert request.meta[ADDRESS_META] == AddressPolicy(frozenset({"www.x.gov.cn"}))
    assert counts.get_value("gongkai/render/always") == 1
