"""ExtractPipeline's worker processes: same reading as inline, and a dead worker costs no page."""

from __future__ import annotations

import asyncio
import os
import signal

from archive.zhs import simplified_copy
from demo.sites import trs_site
from pipelines.extracting import ExtractPipeline, read_page
from pipelines.items import PageItem
from tests.crawling import gongkai_crawler


def _report_items(n: int) -> list[PageItem]:
    from pipelines.encoding import decode_body

    site = trs_site()
    items = []
    for doc in [d for d in site.expected if d.is_report and d.source_format == "html"][:n]:
        resource = site.resources[doc.path]
        text, _ = decode_body(bytes(resource.body), resource.content_type)
        items.append(PageItem(url=f"http://127.0.0.1{doc.path}", kind="article", column_url="c", text=text,
                              list_title=doc.title, list_date=doc.publish_date))
    return items


def _pipeline(**settings) -> ExtractPipeline:
    return ExtractPipeline(gongkai_crawler(**settings))


def test_read_page_parses_statistics_of_reports_only():
    [item] = _report_items(1)
    reading = read_page(item.text, item.url, item.list_title, item.list_date)
    assert reading.article.is_report and reading.statistics and reading.statistics["cells"]
    guide = read_page("<html><body><div id='zoom'><p>政府信息公开指南</p><p>" + "本机关依法公开政府信息。" * 20
                      + "</p></div></body></html>", "http://x.gov.cn/a.html")
    assert guide.article is not None and not guide.article.is_report and guide.statistics is None
    assert guide.search_copies is None


def test_read_page_makes_the_search_copies_of_a_traditional_report_and_none_of_a_simplified_one():
    from demo.sites import big5_site
    from pipelines.encoding import decode_body

    site = big5_site()
    doc = next(d for d in site.expected if d.is_report and d.script == "traditional")
    resource = site.resources[doc.path]
    reading = read_page(decode_body(bytes(resource.body), resource.content_type)[0], "http://127.0.0.1" + doc.path)
    copies = reading.search_copies
    assert copies["title_zhs"] == simplified_copy(reading.article.title) and "年度报告" in copies["title_zhs"]
    assert copies["body_zhs"] == simplified_copy(reading.article.body_text)
    [item] = _report_items(1)  # a simplified report: no copy (NULL), as the archive would make
    assert read_page(item.text, item.url).search_copies == {"title_zhs": None, "body_zhs": None}


def test_a_killed_worker_is_replaced_and_the_page_is_read_anyway():
    first, second = _report_items(2)
    pipeline = _pipeline(GONGKAI_EXTRACT_WORKERS=1, GONGKAI_EXTRACT_POOL_AFTER=0)
    try:
        asyncio.run(pipeline.process_item(first))
        assert first.article is not None and pipeline.reader.pool is not None
        for pid in list(pipeline.reader.pool._processes):  # what the OOM killer or a parser crash would do
            os.kill(pid, signal.SIGKILL)
        asyncio.run(pipeline.process_item(second))
    finally:
        pipeline.reader.close()
    assert second.error is None and second.article is not None and second.article.is_report
    assert second.statistics and pipeline.stats.get_value("gongkai/extract/pool_restarts") == 1


def test_workers_read_exactly_what_inline_reading_gives():
    items = _report_items(3)
    inline = [read_page(i.text, i.url, i.list_title, i.list_date) for i in items]
    pipeline = _pipeline(GONGKAI_EXTRACT_WORKERS=2, GONGKAI_EXTRACT_POOL_AFTER=0)

    async def all_pages():
        await asyncio.gather(*(pipeline.process_item(i) for i in items))

    try:
        asyncio.run(all_pages())
    finally:
        pipeline.reader.close()
    for item, reading in zip(items, inline):
        assert item.article == reading.article and item.statistics == reading.statistics
