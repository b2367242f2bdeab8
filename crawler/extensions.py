"""Crawl extensions: a progress line while the crawl runs, a summary when it ends.

Both read the ``gongkai/…`` stats the archive pipeline keeps; the summary reads the finished
crawl back from the archive, so it shows what was really stored.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

from archive.store import Archive


class Progress:
    """Shows "pages, reports, failures" every ``GONGKAI_PROGRESS_INTERVAL`` seconds on stderr.

    On a terminal the line is redrawn in place (one line that counts up, erased at the end);
    piped into a file or cron mail it is a plain line each time.
    """

    def __init__(self, stats: StatsCollector, interval: float, out: TextIO = sys.stderr) -> None:
        if interval <= 0:
            raise NotConfigured
        self.stats = stats
        self.interval = interval
        self.out = out
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        ext = cls(crawler.stats, crawler.settings.getfloat("GONGKAI_PROGRESS_INTERVAL"))
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

    def _live(self) -> bool:
        return bool(getattr(self.out, "isatty", lambda: False)())

    def report(self) -> None:
        if self._live():
            print("\r\x1b[2K" + self.line(), end="", file=self.out, flush=True)
        else:
            print(self.line(), file=self.out, flush=True)

    def spider_opened(self) -> None:
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        if self._live():
            print("\r\x1b[2K", end="", file=self.out, flush=True)  # the summary follows


# How the summary groups failures. The errors are describe_failure's texts (spiders/column.py):
# Scrapy/Twisted exception names and messages, which differ by version and by what the server
# did; these name the common causes in words a reader knows. First match wins.
FAILURE_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^HTTP (\d{3})"), r"HTTP \1"),
    (re.compile(r"^timeout\b|TimeoutError|took longer than", re.I), "timeout"),
    (re.compile(r"DNS lookup failed|CannotResolveHost|DNSLookupError|Name or service not known", re.I),
     "DNS lookup failed"),
    (re.compile(r"refused", re.I), "connection refused"),
    (re.compile(r"robots\.txt"), "forbidden by robots.txt"),
    (re.compile(r"^oversize|max size|maxsize", re.I), "too large"),
    (re.compile(r"ConnectionLost|ResponseNeverReceived|ConnectionDone|ResponseFailed|connection (was )?(lost|closed)",
                re.I), "connection lost"),
    (re.compile(r"SSL|TLS|certificate", re.I), "TLS error"),
)


def failure_reason(error: str) -> str:
    """The reason a failure is counted under in the summary.

    >>> failure_reason("DownloadConnectionRefusedError: Connection was refused by other side: 111")
    'connection refused'
    >>> failure_reason("HTTP 503")
    'HTTP 503'
    """
    for pattern, label in FAILURE_REASONS:
        match = pattern.search(error)
        if match:
            return match.expand(label)
    return error.split(":", 1)[0].strip()[:60] or "unknown"


def format_summary(archive: Archive, crawl_id: int, locations: dict[str, str] | None = None) -> str:
    """The end-of-crawl summary of one crawl, as printed by ``gongkai crawl``.

    ``locations`` (label → where) closes it: the archive, the WARC folder, the log file.
    """
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
        f"  failures        {n['failures']:>6}" + (
            "  (" + ", ".join(f"{count} {reason}" for reason, count in
                              Counter(failure_reason(f["error"]) for f in failures).most_common()) + ")"
            if failures else ""),
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
    for label, where in (locations or {}).items():
        lines.append(f"  {label:<15} {where}")
    return "\n".join(lines)


class Summary:
    """Prints :func:`format_summary` to stdout when the spider closes.

    ``warc_dir`` is the crawl's WARC folder setting ("" beside the archive, None when no WARC
    files are written); ``log_file`` the log's path, if any.
    """

    def __init__(self, stats: StatsCollector, warc_dir: str | None, log_file: str | None = None,
                 out: TextIO = sys.stdout) -> None:
        self.stats = stats
        self.warc_dir = warc_dir
        self.log_file = log_file
        self.out = out

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Summary:
        settings = crawler.settings
        if not settings.getbool("GONGKAI_SUMMARY"):
            raise NotConfigured
        warc_dir = (settings.get("GONGKAI_WARC_DIR") or "") if settings.getbool("GONGKAI_WARC") else None
        ext = cls(crawler.stats, warc_dir, settings.get("LOG_FILE"))
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self) -> None:
        stats = self.stats
        crawl_id, db = stats.get_value("gongkai/crawl_id"), stats.get_value("gongkai/db")
        if not crawl_id or not db:
            return
        archive = Archive(db)
        try:
            print(format_summary(archive, crawl_id, self.locations(db)), file=self.out, flush=True)
        finally:
            archive.close()

    def locations(self, db: str) -> dict[str, str]:
        """Where the crawl's results and details are, for the summary's last lines."""
        from archive.warc import warc_dir_for

        stats = self.stats
        where = {"archive": str(Path(db).resolve())}
        if self.warc_dir is not None:
            where["WARC files"] = str(Path(self.warc_dir or warc_dir_for(db)).resolve()) + "/"
        else:
            where["WARC files"] = "not written (--no-warc)"
        if self.log_file:
            errors, warnings = stats.get_value("log_count/ERROR", 0), stats.get_value("log_count/WARNING", 0)
            where["log"] = f"{Path(self.log_file).resolve()} ({errors} errors, {warnings} warnings)"
        return where
