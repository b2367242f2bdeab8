"""A page whose parsing raised is still archived, as a failed capture (crawler.spidermiddlewares)."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from archive.store import Archive
from crawler.spidermiddlewares import CallbackFailureMiddleware
from demo.server import SiteServer
from demo.sites import generic_site
from tests.crawling import crawl_command, run


def test_a_raising_callback_becomes_a_failed_capture_of_its_page():
    request = Request("http://x.gov.cn/xxgk/nb/index.html",
                      meta={"gongkai_kind": "list", "gongkai_column": "http://x.gov.cn/xxgk/nb/index.html"})
    response = HtmlResponse(request.url, status=200, body=b"<html></html>", request=request,
                            headers={"Content-Type": "text/html; charset=utf-8"})
    [item] = CallbackFailureMiddleware().process_spider_exception(response, ValueError("bad page"))
    assert (item.url, item.kind, item.status) == (request.url, "list", 200)
    assert item.error == "parsing failed: ValueError: bad page" and item.body == b"<html></html>"


@pytest.mark.e2e
def test_a_crawl_whose_list_parsing_raises_records_the_page_and_finishes(tmp_path):
    # find_entries is made to raise inside the real crawl process: the list page must still be a
    # capture with the error, and the crawl must end normally and say why (the page was fetched:
    # a parser bug is no failed start URL, so the exit status is 0)
    site = generic_site()
    db = tmp_path / "boom.db"
    code = ("import sys, spiders.column as c\n"
            "def boom(*a, **k): raise RuntimeError('list parser bug')\n"
            "c.find_entries = boom\n"
            "from crawler.cli import main\n"
            "sys.exit(main())\n")
    with SiteServer(site) as server:
        result = run(crawl_command([server.column_url], db, entry=("-c", code)))
    assert result.returncode == 0, result.stderr[-2000:]
    [failure] = Archive(db).failures(1)
    assert failure["url"] == server.column_url and failure["kind"] == "list"
    assert failure["error"] == "parsing failed: RuntimeError: list parser bug"
    assert "parsing failed: RuntimeError: list parser bug" in result.stdout  # the summary lists it


@pytest.mark.e2e
def test_an_article_page_whose_reading_raises_is_a_failed_capture_and_its_column_goes_on(tmp_path):
    # The article is read (parsed, checked for the browser, its files found) by the reader the
    # spider awaits; a parser bug there must reach the spider's callback and be recorded on the
    # page like any callback's exception, not lost in the reader or the worker.
    site = generic_site()
    db = tmp_path / "boom.db"
    code = ("import sys, pipelines.reading as r\n"
            "def boom(*a, **k): raise RuntimeError('file finder bug')\n"
            "r.page_attachments = boom\n"
            "from crawler.cli import main\n"
            "sys.exit(main())\n")
    with SiteServer(site) as server:
        result = run(crawl_command([server.column_url], db, entry=("-c", code)))
    assert result.returncode == 0, result.stderr[-2000:]
    archive = Archive(db)
    failures = archive.failures(1)
    articles = [row for row in archive.captures() if row["kind"] == "article"]
    assert articles and len(failures) == len(articles)
    assert {f["error"] for f in failures} == {"parsing failed: RuntimeError: file finder bug"}
    assert not archive.reports()
    assert any(row["kind"] == "list" and not row.get("error") for row in archive.captures())
