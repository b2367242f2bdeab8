"""The crawl's pool of extraction workers, and the item pipeline that applies their reading.

Thin Scrapy layer around the pure core of :mod:`pipelines.reading`; the pipeline sits before the
archive pipeline (order in ``crawler/settings.py``). The column spider awaits
:meth:`PageReader.read_article` for each article page — one parse in a worker gives the render
check, the files to fetch and the article with its statistics — and yields the item carrying
that reading; :class:`ExtractPipeline` applies it, and reads only the article pages that come
without one (the first page of an article cut over several, read with its later pages).

The core is CPU-bound Python. A long crawl hands it to worker processes (``GONGKAI_EXTRACT_WORKERS``,
default one per spare CPU) so the reactor process keeps fetching and writing the archive on its
core while the others read pages: bench/crawl.py's profile had extraction and statistics at ~40 %
of a crawl's CPU, and the spider's own parse of each article another ~1.3 ms a page in the
reactor. The pool starts only after ``GONGKAI_EXTRACT_POOL_AFTER`` article pages, so a small
crawl (a demo, a test, a daily recrawl that finds three new reports) never pays the workers'
start-up.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import sys
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from pipelines.items import PageItem
from pipelines.reading import ArticlePage, PageReading, read_article_page, read_page, unreadable

logger = logging.getLogger(__name__)

# A worker is replaced after this many pages, so whatever lxml or a parser keeps never accumulates.
WORKER_MAX_PAGES = 2000
# Pool restarts after a worker died (a page that crashes the parser, the OOM killer) before the
# crawl gives up on workers and reads inline.
MAX_POOL_RESTARTS = 3
# What a page gets when the worker reading it died twice, once with this page on it
WORKER_DIED = "extraction worker died while reading this page"

_T = TypeVar("_T")


def worker_count(setting: Any) -> int:
    """``GONGKAI_EXTRACT_WORKERS``: a number, or "auto" = one per CPU beyond the reactor's (max 4)."""
    if str(setting).strip().lower() in ("auto", ""):
        return max(0, min(4, (os.cpu_count() or 1) - 1))
    return max(0, int(setting))


class PageReader:
    """The crawl's extraction workers, shared by the column spider and :class:`ExtractPipeline`.

    ``PageReader.of(crawler)`` gives the one reader of a crawl (made on first use, its workers
    shut down when the spider closes); ``await reader.read_article(text, url, …)`` reads an
    article page in a worker, or inline while the crawl is small.
    """

    def __init__(self, stats: StatsCollector, workers: int, pool_after: int) -> None:
        self.stats = stats
        self.workers = workers
        self.pool_after = pool_after
        self.pool: ProcessPoolExecutor | None = None
        self.seen = 0
        self.restarts = 0

    @classmethod
    def of(cls, crawler: Crawler) -> PageReader:
        """The reader of ``crawler``: one pool for the spider and the pipeline, not one each."""
        reader = _readers.get(crawler)
        if reader is None:
            settings = crawler.settings
            reader = cls(crawler.stats, worker_count(settings.get("GONGKAI_EXTRACT_WORKERS")),
                         settings.getint("GONGKAI_EXTRACT_POOL_AFTER"))
            _readers[crawler] = reader
            crawler.signals.connect(reader.close, signal=signals.spider_closed)
        return reader

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def read_article(self, text: str, url: str, list_title: str | None = None, list_date: str | None = None,
                           *, stop_for_render: bool = True, read: bool = True) -> ArticlePage:
        """:func:`pipelines.reading.read_article_page` of one fetched article page, in a worker.

        Raises what parsing the page raised; a page whose worker died twice is an
        :class:`ArticlePage` whose reading is that error.
        """
        page = await self._run(read_article_page, text, url, list_title, list_date,
                               stop_for_render=stop_for_render, read=read)
        return page if page is not None else ArticlePage(reading=PageReading(error=WORKER_DIED))

    async def read_page(self, text: str, url: str, list_title: str | None = None, list_date: str | None = None,
                        later_pages: list[tuple[str, str]] | None = None) -> PageReading:
        """:func:`pipelines.reading.read_page` of an article (and its later pages), in a worker."""
        reading = await self._run(read_page, text, url, list_title, list_date, later_pages)
        return reading if reading is not None else PageReading(error=WORKER_DIED)

    async def _run(self, function: Callable[..., _T], *args: Any, **kwargs: Any) -> _T | None:
        """``function(*args, **kwargs)`` in a worker (inline before the pool starts); None when
        the worker died on it twice."""
        self.seen += 1
        for _attempt in range(2):  # a page in flight when a worker died gets one more try
            pool = self._pool()
            if pool is None:
                return function(*args, **kwargs)
            try:
                return await asyncio.wrap_future(pool.submit(function, *args, **kwargs))
            except BrokenProcessPool:
                self._pool_broke(pool)
        # it died twice, once with this page on it: the page is the likely cause
        self.stats.inc_value("gongkai/extract/worker_died")
        return None

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


# the reader of each running crawler (PageReader.of); gone with its crawler
_readers: weakref.WeakKeyDictionary[Crawler, PageReader] = weakref.WeakKeyDictionary()


class ExtractPipeline:
    """Sets ``item.article`` and ``item.statistics``; marks undecodable or unreadable pages as failures.

    The reading comes with the item from the spider (``item.reading``); an article page without
    one is read here, through the crawl's :class:`PageReader`.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.reader = PageReader.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    async def process_item(self, item: PageItem) -> PageItem:
        # the reading stops here: applied to the item's fields, it need not travel on (to Redis)
        reading, item.reading = item.reading, None
        if item.kind != "article" or item.error or item.text is None:
            return item
        why = unreadable(item.text)
        if why == "empty":
            # a 200 with nothing in it (an overloaded TRS front end, a CDN error): a failure to
            # see and fetch again, not an article without text
            item.error = f"empty body: HTTP {item.status} with no content"
            self.stats.inc_value("gongkai/extract/empty")
            return item
        if why == "undecodable":
            bad = item.text.count("\ufffd")
            item.error = f"undecodable body: {bad} replacement characters under {item.encoding}"
            self.stats.inc_value("gongkai/extract/undecodable")
            return item
        if reading is None:
            reading = await self.reader.read_page(item.text, item.final_url or item.url, item.list_title,
                                                  item.list_date, item.page_texts)
        self._apply(item, reading)
        return item

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
