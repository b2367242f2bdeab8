"""Item pipeline that stores every fetch, and every report read from one, in the archive.

Opens :class:`archive.store.Archive` at ``GONGKAI_DB``, records the crawl in ``crawls``, and
hands each item over as plain dicts; the archive owns all SQL.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from scrapy.crawler import Crawler

from archive.store import Archive
from crawler import __version__
from crawler.items import PageItem

COUNTS = ("pages_fetched", "list_pages", "articles", "reports_new", "reports_updated",
          "reports_unchanged", "failures", "bytes")


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
        "year_source": art.year_source,
        "agency_source": art.agency_source,
        "container": art.container,
        "source_format": "html",
        "repaired_pinyin": int("pinyin_annotations" in art.repairs),
        "from_mirror": int(art.from_mirror),
    }


def capture_row(item: PageItem, crawl_id: int, site_id: int) -> dict[str, Any]:
    """The ``captures`` columns for any item."""
    enc = item.encoding or {}
    art = item.article
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
    }


class ArchivePipeline:
    """Writes captures and reports; keeps the crawl's counts in stats (``gongkai/…``)."""

    def __init__(self, crawler: Crawler, db_path: str) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = db_path
        self.archive: Archive | None = None
        self.crawl_id: int | None = None
        self.sites: dict[str, int] = {}
        self.named_sites: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler, crawler.settings.get("GONGKAI_DB", "archive.db"))

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.archive = Archive(self.db_path)
        overrides = {k: v for k, v in self.crawler.settings.copy_to_dict().items()
                     if k.startswith("GONGKAI_")}
        self.crawl_id = self.archive.start_crawl(
            {"columns": getattr(spider, "column_urls", []), "spider": spider.name,
             "settings": overrides},
            __version__,
        )
        self.stats.set_value("gongkai/crawl_id", self.crawl_id)
        self.stats.set_value("gongkai/db", self.db_path)
        for url in getattr(spider, "column_urls", []):
            self.sites[url] = self.archive.ensure_site(url)
        for key in COUNTS:
            self.stats.set_value(f"gongkai/{key}", 0)

    def close_spider(self) -> None:
        if self.archive is None:
            return
        counts = {key: self.stats.get_value(f"gongkai/{key}", 0) for key in COUNTS}
        reason = self.stats.get_value("finish_reason") or "finished"
        self.archive.finish_crawl(self.crawl_id, counts,
                                  "finished" if reason == "finished" else f"stopped: {reason}")
        self.archive.close()

    def process_item(self, item: PageItem) -> PageItem:
        assert self.archive is not None
        site_id = self.sites.get(item.column_url) or self.archive.ensure_site(item.column_url)
        art = item.article
        if art is not None and art.site_name and site_id not in self.named_sites:
            self.archive.name_site(site_id, art.site_name)
            self.named_sites.add(site_id)
        report = report_row(item, site_id) if art is not None and art.is_report else None
        links = [dataclasses.asdict(link) for link in art.attachments] if art else item.attachments
        _, result = self.archive.save_capture_and_report(
            capture_row(item, self.crawl_id, site_id), item.body, report, links
        )
        self._count(item, result.status if result else None)
        return item

    def _count(self, item: PageItem, report_status: str | None) -> None:
        inc = self.stats.inc_value
        if item.error:
            inc("gongkai/failures")
        else:
            inc("gongkai/pages_fetched")
            inc("gongkai/bytes", len(item.body or b""))
            inc("gongkai/list_pages" if item.kind == "list" else "gongkai/articles")
        if report_status:
            inc(f"gongkai/reports_{report_status}")
