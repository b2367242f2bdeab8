"""Crawl extensions: a progress line while the crawl runs, a summary when it ends.

Both read the ``gongkai/…`` stats the archive pipeline keeps; the summary reads the finished
crawl back from the archive, so it shows what was really stored.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from archive.store import Archive


class Progress:
    """Prints "pages, reports, failures" every ``GONGKAI_PROGRESS_INTERVAL`` seconds to stderr."""

    def __init__(self, crawler: Crawler, interval: float, out: TextIO = sys.stderr) -> None:
        if interval <= 0:
            raise NotConfigured
        self.stats = crawler.stats
        self.interval = interval
        self.out = out
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        ext = cls(crawler, crawler.settings.getfloat("GONGKAI_PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        get = self.stats.get_value
        return (
            f"[gongkai] {get('gongkai/pages_fetched', 0)} pages fetched "
            f"({get('gongkai/list_pages', 0)} list, {get('gongkai/articles', 0)} articles), "
            f"reports {get('gongkai/reports_new', 0)} new / {get('gongkai/reports_updated', 0)} "
            f"updated / {get('gongkai/reports_unchanged', 0)} unchanged, "
            f"{get('gongkai/failures', 0)} failures, "
            f"{get('scheduler/enqueued', 0) - get('scheduler/dequeued', 0)} queued"
        )

    def report(self) -> None:
        print(self.line(), file=self.out, flush=True)

    def spider_opened(self) -> None:
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()


def format_summary(archive: Archive, crawl_id: int) -> str:
    """The end-of-crawl summary of one crawl, as printed by ``gongkai crawl``."""
    crawl = archive.crawl(crawl_id) or {}
    failures = archive.failures(crawl_id)
    n = {k: crawl.get(k) or 0 for k in crawl}
    lines = [
        f"gongkai crawl #{crawl_id} {crawl.get('status', '?')}: "
        f"{crawl.get('started_at')} → {crawl.get('finished_at')}",
        f"  pages fetched   {n['pages_fetched']:>6}  ({n['list_pages']} list pages, "
        f"{n['articles']} articles, {n.get('attachments') or 0} attachment files, {n['bytes']:,} bytes)",
        f"  reports         {n['reports_new']:>6} new, {n['reports_updated']} updated, "
        f"{n['reports_unchanged']} unchanged",
        f"  known pages     {n.get('articles_not_modified') or 0:>6} not modified (304), "
        f"{n.get('articles_skipped') or 0} not requested",
        f"  failures        {n['failures']:>6}",
    ]
    for failure in failures[:50]:
        lines.append(f"    {failure['error']}: {failure['url']}")
    if len(failures) > 50:
        lines.append(f"    … and {len(failures) - 50} more (captures where error is not null)")
    unreadable = archive.unreadable_files(crawl_id)
    if unreadable:  # fetched fine, but no text could be read: the report keeps its page's text
        lines.append(f"  unreadable files {len(unreadable):>5}")
        lines += [f"    {f['error']}: {f['url']}" for f in unreadable[:50]]
    alerts = json.loads(crawl.get("alerts") or "[]")
    if alerts:
        lines.append(f"  alerts          {len(alerts):>6}")
        lines += [f"    {alert}" for alert in alerts]
    return "\n".join(lines)


class Summary:
    """Prints :func:`format_summary` to stdout when the spider closes."""

    def __init__(self, crawler: Crawler, out: TextIO = sys.stdout) -> None:
        if not crawler.settings.getbool("GONGKAI_SUMMARY"):
            raise NotConfigured
        self.crawler = crawler
        self.out = out

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Summary:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self) -> None:
        stats = self.crawler.stats
        crawl_id, db = stats.get_value("gongkai/crawl_id"), stats.get_value("gongkai/db")
        if not crawl_id or not db:
            return
        archive = Archive(db)
        try:
            print(format_summary(archive, crawl_id), file=self.out, flush=True)
        finally:
            archive.close()
