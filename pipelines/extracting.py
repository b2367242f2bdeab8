"""Item pipeline that runs the pure extraction core on every fetched article page.

Thin Scrapy wrapper around :func:`read_page` (extraction, classification and, for reports, the
statistics tables); sits before the archive pipeline (order in ``crawler/settings.py``).

The core is CPU-bound Python. A long crawl hands it to worker processes (``GONGKAI_EXTRACT_WORKERS``,
default one per spare CPU) so the reactor process keeps fetching and writing the archive on its
core while the others read pages: bench/crawl.py's profile had extraction and statistics at ~40 %
of a crawl's CPU. The pool starts only after ``GONGKAI_EXTRACT_POOL_AFTER`` article pages, so a
small crawl (a demo, a test, a daily recrawl that finds three new reports) never pays the
workers' start-up.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import Crawler

from archive.zhs import simplified_copy
from pipelines.extract import Article, extract_article, join_pages
from pipelines.items import PageItem
from pipelines.stats import parse_statistics

logger = logging.getLogger(__name__)

# A worker is replaced after this many pages, so whatever lxml or a parser keeps never accumulates.
WORKER_MAX_PAGES = 2000
# Pool restarts after a worker died (a page that crashes the parser, the OOM killer) before the
# crawl gives up on workers and reads inline.
MAX_POOL_RESTARTS = 3

# Share of U+FFFD in a decoded page above which the bytes count as undecodable: a few stray
# bytes (a truncated multi-byte character) are tolerated, a page of garbage is not.
MAX_REPLACEMENT_SHARE = 0.01


@dataclass
class PageReading:
    """What the core read from one article page; plain data, so it crosses process boundaries."""

    article: Article | None = None
    statistics: dict[str, Any] | None = None  # Statistics.rows() of a report with tables/sections
    statistics_inconsistent: bool = False
    error: str | None = None  # the page could not be read at all
    statistics_error: str | None = None  # the report was read, its statistics were not
    # a report's cross-script search copies (archive.zhs.simplified_copy of title and body), made
    # here in the worker so the archive writer (the reactor's thread) runs no OpenCC
    search_copies: dict[str, str | None] | None = None


def read_page(text: str, url: str, list_title: str | None = None, list_date: str | None = None,
              later_pages: list[tuple[str, str]] | None = None) -> PageReading:
    """Extract one decoded article page and, when it is a report, parse its statistics tables.

    ``later_pages`` are the (url, text) of the rest of an article cut over several pages: they
    are read too and joined with this first page into one report.
    Never raises: a bug on one hostile page becomes an error on that page's capture.
    """
    try:
        # An article cut over pages is joined first and classified whole: its first page alone
        # may not read as a report, and its tables must not be dropped before the join.
        split = bool(later_pages)
        article = extract_article(text, url, list_title=list_title, list_date=list_date, keep_tables=split)
        if later_pages:
            rest = [extract_article(page_text, page_url, list_title=article.title, keep_tables=True)
                    for page_url, page_text in later_pages]
            article = join_pages(article, rest)
    except Exception as exc:  # noqa: BLE001 - recorded on the capture, the crawl goes on
        logger.exception("extraction of %s failed", url)
        return PageReading(error=f"extraction failed: {type(exc).__name__}: {exc}")
    reading = PageReading(article=article)
    if not article.is_report:
        return reading
    reading.search_copies = {"title_zhs": simplified_copy(article.title),
                             "body_zhs": simplified_copy(article.body_text)}
    try:
        stats = parse_statistics(article.tables or [], article.body_text or "", article.report_year)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not cost the report itself
        logger.exception("statistics of %s could not be read", url)
        reading.statistics_error = f"{type(exc).__name__}: {exc}"
        return reading
    if stats.cells or stats.sections:  # a stub page keeps whatever its attachment gives
        reading.statistics = stats.rows()
        reading.statistics_inconsistent = not stats.consistent
    return reading


def worker_count(setting: Any) -> int:
    """``GONGKAI_EXTRACT_WORKERS``: a number, or "auto" = one per CPU beyond the reactor's (max 4)."""
    if str(setting).strip().lower() in ("auto", ""):
        return max(0, min(4, (os.cpu_count() or 1) - 1))
    return max(0, int(setting))


class ExtractPipeline:
    """Sets ``item.article`` and ``item.statistics``; marks undecodable or unreadable pages as failures."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        settings = crawler.settings
        self.workers = worker_count(settings.get("GONGKAI_EXTRACT_WORKERS"))
        self.pool_after = settings.getint("GONGKAI_EXTRACT_POOL_AFTER")
        self.pool: ProcessPoolExecutor | None = None
        self.seen = 0
        self.restarts = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item: PageItem) -> PageItem:
        if item.kind != "article" or item.error or item.text is None:
            return item
        if not item.text.strip():
            # a 200 with nothing in it (an overloaded TRS front end, a CDN error): a failure to
            # see and fetch again, not an article without text
            item.error = f"empty body: HTTP {item.status} with no content"
            self.stats.inc_value("gongkai/extract/empty")
            return item
        bad = item.text.count("\ufffd")
        if bad and bad / max(len(item.text), 1) > MAX_REPLACEMENT_SHARE:
            item.error = f"undecodable body: {bad} replacement characters under {item.encoding}"
            self.stats.inc_value("gongkai/extract/undecodable")
            return item
        args = (item.text, item.final_url or item.url, item.list_title, item.list_date, item.page_texts)
        self.seen += 1
        reading = None
        for _attempt in range(2):  # a page in flight when a worker died gets one more try
            pool = self._pool()
            if pool is None:
                reading = read_page(*args)
                break
            try:
                reading = await asyncio.wrap_future(pool.submit(read_page, *args))
                break
            except BrokenProcessPool:
                self._pool_broke(pool)
        if reading is None:  # it died twice, once with this page on it: the page is the likely cause
            reading = PageReading(error="extraction worker died while reading this page")
            self.stats.inc_value("gongkai/extract/worker_died")
        self._apply(item, reading)
        return item

    def _pool(self) -> ProcessPoolExecutor | None:
        if self.pool is None and self.workers and self.seen > self.pool_after:
            # spawn, not fork: the reactor process has threads (Twisted's pool, the browser driver)
            options: dict[str, Any] = {"mp_context": multiprocessing.get_context("spawn")}
            if sys.version_info >= (3, 11):
                options["max_tasks_per_child"] = WORKER_MAX_PAGES
            self.pool = ProcessPoolExecutor(self.workers, **options)
            self.stats.set_value("gongkai/extract/workers", self.workers)
        return self.pool

    def _pool_broke(self, pool: ProcessPoolExecutor) -> None:
        """A worker died: every page it had fails with BrokenProcessPool. Start a fresh pool once."""
        if self.pool is not pool:
            return  # another page already replaced it
        logger.warning("an extraction worker died; starting new workers (%d restarts so far)", self.restarts)
        self.stats.inc_value("gongkai/extract/pool_restarts")
        pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None
        self.restarts += 1
        if self.restarts > MAX_POOL_RESTARTS:
            logger.warning("extraction workers keep dying; reading pages in the crawl process from now on")
            self.workers = 0

    def _apply(self, item: PageItem, reading: PageReading) -> None:
        inc = self.stats.inc_value
        if reading.error:
            item.error = reading.error
            inc("gongkai/extract/error")
            return
        item.article = art = reading.article
        item.statistics = reading.statistics
        item.search_copies = reading.search_copies
        inc(f"gongkai/extract/container/{art.container.split('[')[0]}")
        inc(f"gongkai/doc_type/{art.classification.doc_type}")
        if reading.statistics_error:
            inc("gongkai/statistics/error")
        if reading.statistics:
            inc("gongkai/statistics/cells", len(reading.statistics["cells"]))
            if reading.statistics_inconsistent:
                inc("gongkai/statistics/inconsistent")
