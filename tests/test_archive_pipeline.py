"""ArchivePipeline: batched commits keep each item atomic, and a failed write is still recorded."""

from __future__ import annotations

from scrapy import Spider

from archive.store import Archive
from pipelines.archiving import ArchivePipeline
from pipelines.extracting import read_page
from pipelines.items import PageItem
from tests.crawling import gongkai_crawler

PAGE = ("<html><head><title>江州市2023年政府信息公开工作年度报告</title></head><body><div class='TRS_Editor'>"
        "<p>本报告根据《中华人民共和国政府信息公开条例》编制。" + "全年主动公开政府信息一千二百条。" * 30 + "</p>"
        "<p>江州市人民政府</p><p>2024年1月15日</p></div></body></html>")
COLUMN = "http://x.gov.cn/xxgk/xxgknb/index.html"


def _pipeline(db, **settings) -> ArchivePipeline:
    crawler = gongkai_crawler(Spider, GONGKAI_DB=str(db), **settings)
    crawler.spider = crawler._create_spider("test")
    crawler.spider.column_urls = [COLUMN]
    crawler.stats.open_spider()
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def _article(n: int) -> PageItem:
    url = f"http://x.gov.cn/xxgk/xxgknb/202401/t20240115_{n}.html"
    item = PageItem(url=url, kind="article", column_url=COLUMN, status=200, body=PAGE.encode(), text=PAGE,
                    fetched_at="2026-11-23T00:00:00Z")
    reading = read_page(PAGE, url)
    item.article, item.statistics = reading.article, reading.statistics
    return item


def test_a_failed_write_rolls_back_that_item_only_and_records_the_fetch_with_its_error(tmp_path):
    db = tmp_path / "a.db"
    pipeline = _pipeline(db, GONGKAI_COMMIT_SECONDS=3600)  # all items in one batch
    good, bad, after = _article(1), _article(2), _article(3)
    bad.article.title = object()  # what a parser bug could hand the archive: not storable
    for item in (good, bad, after):
        pipeline.process_item(item)
    pipeline.close_spider()
    archive = Archive(db)
    assert {r["url"] for r in archive.reports()} == {good.url, after.url}
    [failed] = archive.failures()
    assert failed["url"] == bad.url and failed["error"].startswith("archive write failed: ")
    assert archive.url_state(bad.url) is None  # so the next crawl fetches it again
    crawl = archive.crawl(1)
    assert (crawl["reports_new"], crawl["failures"], crawl["status"]) == (2, 1, "finished")


def test_items_of_an_open_batch_are_invisible_to_readers_until_it_commits(tmp_path):
    db = tmp_path / "b.db"
    pipeline = _pipeline(db, GONGKAI_COMMIT_SECONDS=3600, GONGKAI_COMMIT_ITEMS=3)
    reader = Archive(db)
    pipeline.process_item(_article(1))
    pipeline.process_item(_article(2))
    assert reader.reports() == []  # a kill now loses both whole, never half of one
    pipeline.process_item(_article(3))  # the third item fills the batch: committed
    assert len(reader.reports()) == 3
    pipeline.close_spider()


def test_the_crawl_writes_its_archive_on_a_thread_of_its_own_with_every_count_kept(tmp_path, monkeypatch):
    """ArchiveThreadPipeline: SQLite runs beside the reactor, items keep their order and atomicity,
    and the counts it keeps reach the crawler's stats (applied on the reactor's thread)."""
    import asyncio
    import threading

    from pipelines.archiving import ArchiveThreadPipeline

    db = tmp_path / "t.db"
    crawler = gongkai_crawler(Spider, GONGKAI_DB=str(db), GONGKAI_COMMIT_SECONDS=3600)
    crawler.spider = crawler._create_spider("test")
    crawler.spider.column_urls = [COLUMN]
    crawler.stats.open_spider()
    pipeline = ArchiveThreadPipeline.from_crawler(crawler)
    writers: set[str] = set()
    save = Archive.save_capture_and_report

    def recording_save(self, *args, **kwargs):
        writers.add(threading.current_thread().name)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Archive, "save_capture_and_report", recording_save)
    items = [_article(n) for n in range(1, 6)]
    items[2].article.title = object()  # one item fails: rolled back alone, recorded as a failure

    async def crawl() -> None:
        await pipeline.open_spider()
        # all at once, as Scrapy hands a response's items over: written one after another
        await asyncio.gather(*(pipeline.process_item(item) for item in items))
        crawler.stats.inc_value("gongkai/failures")  # the reactor counts one too (a failed fetch)
        await pipeline.close_spider()

    asyncio.run(crawl())
    assert writers and all(name.startswith("gongkai-archive") for name in writers)
    assert threading.main_thread().name not in writers
    stats = crawler.stats
    assert stats.get_value("gongkai/reports_new") == 4
    assert stats.get_value("gongkai/failures") == 2  # the archive's one and the reactor's one
    assert stats.get_value("gongkai/crawl_id") == 1
    archive = Archive(db)
    assert {r["url"] for r in archive.reports()} == {i.url for k, i in enumerate(items) if k != 2}
    crawl_row = archive.crawl(1)
    assert (crawl_row["reports_new"], crawl_row["failures"], crawl_row["status"]) == (4, 2, "finished")
