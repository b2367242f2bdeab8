"""Item pipeline that stores every fetch, and every report read from one, in the archive.

Opens :class:`archive.store.Archive` at ``GONGKAI_DB``, records the crawl in ``crawls``, and
hands each item over as plain dicts; the archive owns all SQL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from archive.store import Archive
from pipelines import metadata as md
from pipelines.attachments import is_stub
from pipelines.attachments_pipeline import attachment_row, file_report_row
from pipelines.classify import file_reads_as_report, file_title_line
from pipelines.items import REFUSED_REQUESTS_STAT, UNFOLLOWED_PAGERS_STAT, PageItem
from pipelines.patterns import REPORT_TITLE_RE
from pipelines.stats import SourceText, parse_sources, parse_statistics

logger = logging.getLogger(__name__)

COUNTS = ("pages_fetched", "list_pages", "articles", "reports_new", "reports_updated",
          "reports_unchanged", "failures", "bytes", "articles_not_modified", "articles_skipped",
          "attachments", "attachments_unreadable")


def statistics_of_files(files: list[dict[str, Any]], year: int | None) -> dict[str, Any] | None:
    """A stub report's statistics from all its usable files (``Archive.report_files`` rows).

    Handed to the archive, which calls it whenever the files rebuild a stub's body: a PDF with
    the prose and an XLS with the tables are one report, read together.
    """
    parts = [SourceText(f"{f['sniffed_type']}-ocr" if f.get("ocr") else f["sniffed_type"], f.get("text") or "",
                        json.loads(f["tables"]) if f.get("tables") else []) for f in files]
    if not parts:
        return None
    try:
        stats = parse_sources(parts, year)
    except Exception:  # noqa: BLE001 - a parser bug must not cost the report itself
        logger.exception("statistics of files %s could not be read", [f.get("url") for f in files])
        return None
    return stats.rows() if stats.cells or stats.sections else None


def report_row(item: PageItem, site_id: int) -> dict[str, Any]:
    """The ``reports`` columns for an article item that was classified as a report."""
    art = item.article
    return {
        "url": item.url,
        "site_id": site_id,
        "title": art.title,
        "publish_date": art.publish_date,
        "written_date": art.written_date,
        "report_year": art.report_year,
        "agency": art.agency,
        "index_no": art.index_no,
        "doc_number": art.doc_number,
        "script": art.script,
        "body_text": art.body_text,
        "list_title": item.list_title,
        "list_date": item.list_date,
        "date_source": art.date_source,
        "date_candidates": art.date_candidates_json,
        "year_source": art.year_source,
        "agency_source": art.agency_source,
        "container": art.container,
        # a page that only points to its files: the archive takes their text as the body
        "source_format": "html-stub" if is_stub(art.body_text, len(_links(item))) else "html",
        "repaired_pinyin": int("pinyin_annotations" in art.repairs),
        "from_mirror": int(art.from_mirror),
        **(item.search_copies or {}),
    }


def candidate_from_file(candidate: dict[str, Any], text: str) -> dict[str, Any]:
    """A pointer page's report row completed from the file that reads as its report.

    The page's title named no report ("政务信息发布"): the file's title line does, and the year
    it covers comes from that title or the file's text.
    """
    title = candidate.get("title")
    if not title or not REPORT_TITLE_RE.search(title):
        title = file_title_line(text) or title
    year, year_source = md.report_year(title, text, candidate.get("publish_date"))
    agency = candidate.get("agency") or md.agency_from_title(title)
    return {**candidate, "title": title, "report_year": year, "year_source": year_source, "agency": agency,
            "agency_source": candidate.get("agency_source") or ("title" if agency else None)}


def _links(item: PageItem) -> list[dict[str, str]]:
    """Attachment links of a page: those in the content block, then the rest of the page's."""
    links = [dataclasses.asdict(link) for link in item.article.attachments] if item.article else []
    seen = {link["url"] for link in links}
    return links + [link for link in item.attachments if link["url"] not in seen]


def capture_row(item: PageItem, crawl_id: int, site_id: int) -> dict[str, Any]:
    """The ``captures`` columns for any item."""
    enc = item.encoding or {}
    art = item.article
    warc = item.warc or {}
    return {
        "crawl_id": crawl_id,
        "site_id": site_id,
        "url": item.url,
        "final_url": item.final_url,
        "kind": item.kind,
        "status": item.status,
        "fetched_at": item.fetched_at,
        "content_type": item.content_type,
        "encoding_header": enc.get("header"),
        "encoding_meta": enc.get("meta"),
        "encoding_detected": enc.get("detected"),
        "encoding_chosen": enc.get("chosen"),
        "encoding_reason": enc.get("reason"),
        "renderer": item.renderer,
        "title": art.title if art else item.list_title,
        "doc_type": art.classification.doc_type if art else None,
        "error": item.error,
        "referer": item.referer,
        "headers": json.dumps(item.headers, ensure_ascii=False) if item.headers else None,
        "etag": item.etag,
        "last_modified": item.last_modified,
        "entries": item.entries,
        "warc_file": warc.get("file"),
        "warc_offset": warc.get("offset"),
        "warc_length": warc.get("length"),
        "warc_record_id": warc.get("record_id"),
    }


class ArchivePipeline:
    """Writes captures and reports; keeps the crawl's counts in stats (``gongkai/…``).

    ``spider`` says which columns the crawl starts from (read when it opens); ``settings`` are
    the crawl's ``GONGKAI_*`` settings as recorded with it; items per transaction are bounded by
    ``commit_seconds`` and ``commit_items``; the crawl's alerts use ``alert_error_rate`` and
    ``alert_stale_days`` (see :meth:`archive.store.Archive.crawl_alerts`).
    """

    def __init__(self, db_path: str, version: str, stats: StatsCollector, spider: Spider | None, *,
                 commit_seconds: float, commit_items: int, alert_error_rate: float, alert_stale_days: int,
                 settings: dict[str, Any] | None = None, resume_crawl_id: int | None = None) -> None:
        self.spider = spider
        self.resume_crawl_id = resume_crawl_id
        self.version = version
        self.stats = stats
        self.db_path = db_path
        self.settings = settings or {}
        self.alert_error_rate = alert_error_rate
        self.alert_stale_days = alert_stale_days
        self.archive: Archive | None = None
        self.crawl_id: int | None = None
        self.sites: dict[str, int] = {}
        self.named_sites: set[int] = set()
        # Items per transaction are bounded by time and count (see Archive.begin_batch): Datasette
        # and the next crawl see a running crawl's work within a second or so.
        self.commit_seconds = commit_seconds
        self.commit_items = commit_items
        self._batch_started = time.monotonic()
        self._batch_items = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        settings = crawler.settings
        recorded = {k: v for k, v in settings.copy_to_dict().items()
                    if k.startswith("GONGKAI_") and k not in ("GONGKAI_VERSION", "GONGKAI_CRAWL_ID")}
        return cls(settings.get("GONGKAI_DB"), settings["GONGKAI_VERSION"], crawler.stats, crawler.spider,
                   commit_seconds=settings.getfloat("GONGKAI_COMMIT_SECONDS"),
                   commit_items=settings.getint("GONGKAI_COMMIT_ITEMS"),
                   alert_error_rate=settings.getfloat("GONGKAI_ALERT_ERROR_RATE"),
                   alert_stale_days=settings.getint("GONGKAI_ALERT_STALE_DAYS"), settings=recorded,
                   resume_crawl_id=settings.getint("GONGKAI_CRAWL_ID") or None)

    def open_spider(self) -> None:
        spider = self.spider
        self.archive = Archive(self.db_path)
        # a distributed crawl's restarted writer continues its crawl's row
        if self.resume_crawl_id and self.archive.resume_crawl(self.resume_crawl_id):
            self.crawl_id = self.resume_crawl_id
        else:
            self.crawl_id = self.archive.start_crawl(
                {"columns": getattr(spider, "column_urls", []), "spider": getattr(spider, "name", None),
                 "settings": self.settings},
                self.version,
            )
        self.stats.set_value("gongkai/crawl_id", self.crawl_id)
        self.stats.set_value("gongkai/db", self.db_path)
        for url in getattr(spider, "column_urls", []):
            self.sites[url] = self.archive.ensure_site(url)
        for key in COUNTS:
            self.stats.set_value(f"gongkai/{key}", 0)
        self._new_batch()

    def _new_batch(self) -> None:
        assert self.archive is not None
        self.archive.begin_batch()
        self._batch_started, self._batch_items = time.monotonic(), 0

    def _item_done(self) -> None:
        """Commit the batch when it is old or big enough, then open the next."""
        self._batch_items += 1
        if (self._batch_items >= self.commit_items
                or time.monotonic() - self._batch_started >= self.commit_seconds):
            assert self.archive is not None
            self.archive.commit_batch()
            self._new_batch()

    def close_spider(self) -> None:
        if self.archive is None:
            return
        self.archive.commit_batch()
        counts: dict[str, Any] = {key: self.stats.get_value(f"gongkai/{key}", 0) for key in COUNTS}
        alerts = self.archive.crawl_alerts(self.crawl_id, self.alert_error_rate, self.alert_stale_days)
        # list pages whose pager the spider could not follow: the column may be partly crawled
        alerts += [f"pager not followed, column may be incomplete ({note})"
                   for note in self.stats.get_value(UNFOLLOWED_PAGERS_STAT) or []]
        # requests rendered pages made to private addresses (spiders.browser): never sent
        alerts += [f"browser request {note}" for note in self.stats.get_value(REFUSED_REQUESTS_STAT) or []]
        counts["alerts"] = json.dumps(alerts, ensure_ascii=False)
        reason = self.stats.get_value("finish_reason") or "finished"
        self.archive.finish_crawl(self.crawl_id, counts,
                                  "finished" if reason == "finished" else f"stopped: {reason}")
        self.archive.commit_batch()
        self.archive.close()

    def process_item(self, item: PageItem) -> PageItem:
        try:
            return self._store(item)
        except Exception as exc:  # noqa: BLE001 - one bad item must not go unrecorded
            # The item's own writes were rolled back (a savepoint); keep at least the fetch, with
            # what went wrong, so the summary lists it and the next crawl fetches it again.
            logger.exception("archiving %s failed", item.url)
            self._record_failure(item, f"archive write failed: {type(exc).__name__}: {exc}")
            return item
        finally:
            self._item_done()

    def _record_failure(self, item: PageItem, error: str) -> None:
        assert self.archive is not None
        self.stats.inc_value("gongkai/failures")
        try:
            site_id = self.sites.get(item.column_url) or self.archive.ensure_site(item.column_url)
            row = capture_row(item, self.crawl_id, site_id)
            row.update(error=error, title=None)
            self.archive.record_capture(row)  # no body, no url_state: it is not known to be archived
        except Exception:  # noqa: BLE001 - the log above already has the cause
            logger.exception("could not even record the failed capture of %s", item.url)

    def _store(self, item: PageItem) -> PageItem:
        assert self.archive is not None
        site_id = self.sites.get(item.column_url) or self.archive.ensure_site(item.column_url)
        if item.render_rule:  # the spider decided which fetcher pages like this one need
            self.archive.save_render_rule(**item.render_rule)
        if item.unchanged:
            return self._unchanged(item, site_id)
        if item.kind == "attachment":
            return self._attachment(item, site_id)
        art = item.article
        if art is not None and art.site_name and site_id not in self.named_sites:
            self.archive.name_site(site_id, art.site_name)
            self.named_sites.add(site_id)
        report = report_row(item, site_id) if art is not None and art.is_report else None
        links = _links(item)
        candidate = None
        if (report is None and art is not None and art.attachments and is_stub(art.body_text, len(links))
                and art.classification.reason == "no report marker"):
            # "全文见附件" under a title that names no document at all: its file may still be a
            # report (a notice or guide that attaches a report template stays what it is)
            candidate = report_row(item, site_id)
            files = self.archive.file_texts(link.url for link in art.attachments)
            if self.archive.report(item.url) is not None:
                report, candidate = candidate, None  # made a report by its file on an earlier crawl
            elif any(file_reads_as_report(f["text"]) for f in files):
                report, candidate = candidate_from_file(candidate, files[0]["text"]), None
        statistics = item.statistics if report is not None else None  # parsed by ExtractPipeline
        _, result = self.archive.save_capture_and_report(
            capture_row(item, self.crawl_id, site_id), item.body, report, links, statistics,
            statistics_of=statistics_of_files, candidate=candidate,
        )
        self._count(item, result.status if result else None)
        return item

    def _attachment(self, item: PageItem, site_id: int) -> PageItem:
        """A fetched file: stored with what was read from it, and the report it makes or completes."""
        assert self.archive is not None
        report = file_report_row(item, site_id)
        read = item.attachment
        if read is not None and not read.ok and not item.error:
            self.stats.inc_value("gongkai/attachments_unreadable")
        statistics = None
        if read is not None and read.ok:
            year = report["report_year"] if report else None
            statistics = self._statistics(item, read.tables, read.text, year, source=read.stats_source)
        row = attachment_row(item)
        _, result = self.archive.save_attachment(capture_row(item, self.crawl_id, site_id), item.body,
                                                 row, report, statistics,
                                                 statistics_of=statistics_of_files)
        if report is None and read is not None and read.ok and file_reads_as_report(read.text):
            candidate = self.archive.report_candidate(row["page_url"])
            if candidate is not None:
                # the page only pointed here and named no report: this file says it is one
                made = self.archive.save_candidate_report(candidate_from_file(candidate, read.text),
                                                          statistics_of=statistics_of_files)
                self._count_report(made.status)
        self._count(item, result.status if result else None)
        return item

    def _statistics(self, item: PageItem, tables: list | None = None, text: str | None = None,
                    year: int | None = None, source: str = "html") -> dict[str, Any] | None:
        """An attachment's sections, table cells and checks (pipelines/stats.py) as archive rows.

        (Article pages have theirs parsed by ExtractPipeline, in its worker processes.)
        """
        try:
            # cells read from the file's tables say which format they came from (pdf, docx, xlsx …)
            stats = parse_statistics(tables or [], text or "", year, source=source or "file")
        except Exception:  # a parser bug must not cost the report itself
            logger.exception("statistics of %s could not be read", item.url)
            self.stats.inc_value("gongkai/statistics/error")
            return None
        if not stats.cells and not stats.sections:
            # A stub page ("附件:2019年报告.pdf"): keep whatever its attachment gave the report.
            return None
        self.stats.inc_value("gongkai/statistics/cells", len(stats.cells))
        if not stats.consistent:
            self.stats.inc_value("gongkai/statistics/inconsistent")
        return stats.rows()

    def _unchanged(self, item: PageItem, site_id: int) -> PageItem:
        assert self.archive is not None
        capture = capture_row(item, self.crawl_id, site_id) if item.unchanged == "not_modified" else None
        is_report = self.archive.record_unchanged(item.url, item.fetched_at, capture)
        self.stats.inc_value(f"gongkai/articles_{item.unchanged}")
        if is_report:
            self.stats.inc_value("gongkai/reports_unchanged")
        return item

    def _count(self, item: PageItem, report_status: str | None) -> None:
        inc = self.stats.inc_value
        if item.error:
            inc("gongkai/failures")
        else:
            inc("gongkai/pages_fetched")
            inc("gongkai/bytes", len(item.body or b""))
            inc({"list": "gongkai/list_pages", "attachment": "gongkai/attachments"}.get(
                item.kind, "gongkai/articles"))
        if report_status:
            inc(f"gongkai/reports_{report_status}")

    def _count_report(self, status: str) -> None:
        self.stats.inc_value(f"gongkai/reports_{status}")


class _StatsRecorder:
    """The stats collector as the archive thread sees it: its increments are kept and handed to
    the reactor, which applies them (Scrapy's collector is not thread-safe, and the reactor
    increments some of the same keys, e.g. ``gongkai/statistics/*``); reads go to the collector."""

    def __init__(self, stats: Any) -> None:
        self._stats = stats
        self._calls: list[tuple[str, tuple[Any, ...]]] = []

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self._calls.append(("inc_value", (key, count, start)))

    def set_value(self, key: str, value: Any) -> None:
        self._calls.append(("set_value", (key, value)))

    def get_value(self, key: str, default: Any = None) -> Any:
        return self._stats.get_value(key, default)

    def get_stats(self) -> dict[str, Any]:
        return self._stats.get_stats()

    def take(self) -> list[tuple[str, tuple[Any, ...]]]:
        calls, self._calls = self._calls, []
        return calls

    def apply(self, calls: list[tuple[str, tuple[Any, ...]]]) -> None:
        for name, args in calls:
            getattr(self._stats, name)(*args)


class ArchiveThreadPipeline(ArchivePipeline):
    """The crawl's archive pipeline: :class:`ArchivePipeline` on a thread of its own.

    bench/crawl.py priced the archive at ~2.6 ms of the reactor's CPU per page (the capture,
    report, ~200 statistics cells and the trigram full-text index of each report), on the one
    thread that also drives every download. SQLite does that work with the GIL released, so on
    its own thread it runs beside the reactor. One thread, in arrival order: the archive keeps
    its single connection and its batches, and an item is still written before the next one.
    (The distributed writer uses :class:`ArchivePipeline` itself: it has no reactor to spare.)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reactor_stats = self.stats
        self.stats = _StatsRecorder(self._reactor_stats)
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="gongkai-archive")

    async def _on_thread(self, method: Any, *args: Any) -> Any:
        def run() -> tuple[Any, list[tuple[str, tuple[Any, ...]]]]:
            try:
                result = method(*args)
            finally:
                calls = self.stats.take()
            return result, calls

        result, calls = await asyncio.wrap_future(self._thread.submit(run))
        self.stats.apply(calls)
        return result

    async def open_spider(self) -> None:  # type: ignore[override]
        await self._on_thread(super().open_spider)

    async def process_item(self, item: PageItem) -> PageItem:  # type: ignore[override]
        return await self._on_thread(super().process_item, item)

    async def close_spider(self) -> None:  # type: ignore[override]
        try:
            await self._on_thread(super().close_spider)
        finally:
            self._thread.shutdown(wait=True)
