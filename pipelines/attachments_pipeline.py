"""Item pipeline that reads every fetched attachment file, in worker threads, before it is archived.

Thin Scrapy wrapper around :func:`pipelines.attachments.read_attachment`: sits between the
extraction pipeline and the archive pipeline (order in ``crawler/settings.py``), sets
``item.filename`` and ``item.attachment``; the archive pipeline stores them with
:meth:`archive.store.Archive.save_attachment` using the row builders below.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, threads

from pipelines import ocr
from pipelines.attachments import (
    AttachmentText,
    ReadOptions,
    file_report,
    filename_from_disposition,
    filename_from_url,
    read_attachment,
    title_from_filename,
)
from pipelines.items import PageItem
from pipelines.officetext import Soffice
from pipelines.urls import ATTACHMENT_EXTENSIONS


def read_options(settings: Any) -> ReadOptions:
    """:class:`ReadOptions` from ``GONGKAI_OCR*``, ``GONGKAI_SOFFICE`` and ``GONGKAI_CONVERTER_TIMEOUT``.

    ``GONGKAI_OCR = "auto"`` turns OCR on only when Tesseract and the language data are
    installed; ``True`` asks for it anyway (files then get an error row saying what is missing).
    """
    lang = settings.get("GONGKAI_OCR_LANG")
    mode = settings.get("GONGKAI_OCR")
    enabled = ocr.available(lang) if str(mode).lower() == "auto" else settings.getbool("GONGKAI_OCR")
    return ReadOptions(
        ocr=ocr.OcrOptions(enabled=enabled, lang=lang, dpi=settings.getint("GONGKAI_OCR_DPI"),
                           max_pages=settings.getint("GONGKAI_OCR_MAX_PAGES"),
                           timeout=settings.getfloat("GONGKAI_OCR_TIMEOUT")),
        soffice=Soffice(settings.get("GONGKAI_SOFFICE"),
                        settings.getfloat("GONGKAI_CONVERTER_TIMEOUT")),
    )


def served_filename(item: PageItem) -> str | None:
    """The file name from Content-Disposition, else from the URL (its last path segment, or the
    file name a download script's query carries), else the link's text when that is a file
    name: a servlet ``/attach/download?id=123`` linked as "2021年报告.pdf" is named so."""
    headers = {k.lower(): v for k, v in (item.headers or {}).items()}
    named = filename_from_disposition(headers.get("content-disposition")) or filename_from_url(
        item.final_url or item.url)
    text = (item.link_text or "").strip()
    if (not named or "." not in named) and text.lower().endswith(ATTACHMENT_EXTENSIONS):
        return text
    return named


def attachment_row(item: PageItem) -> dict[str, Any]:
    """The ``attachments`` columns for a fetched (or failed) attachment item."""
    read: AttachmentText | None = item.attachment
    row: dict[str, Any] = {
        "url": item.url,
        "page_url": item.page_url or item.referer or item.column_url,
        "link_text": item.link_text,
        "filename": item.filename,
        "content_type": item.content_type,
        "fetched_at": item.fetched_at,
        "error": item.error,
    }
    if read is not None:
        row.update(
            sniffed_type=read.type,
            type_detail=read.detail,
            page_count=read.page_count,
            method=read.method,
            text=read.text or None,
            chars=len(read.text),
            tables=json.dumps(read.tables, ensure_ascii=False) if read.tables else None,
            ocr=int(read.ocr),
            ocr_confidence=read.ocr_confidence,
            error=item.error or read.error,
            read_seconds=round(read.seconds, 3),
            usable=int(read.ok),
        )
    return row


def file_report_row(item: PageItem, site_id: int) -> dict[str, Any] | None:
    """The ``reports`` columns for a file linked straight from a list page, if it is a report.

    Files linked from an article page return None: their report is the page's.
    """
    read: AttachmentText | None = item.attachment
    if read is None or not read.ok or item.linked_from != "list":
        return None
    title = item.list_title or title_from_filename(item.filename) or read.title
    fields = file_report(read.text, title=title, list_date=item.list_date, url=item.url)
    if not fields.pop("is_report"):
        return None
    fields.pop("doc_type")
    return {
        **fields,
        "url": item.url,
        "site_id": site_id,
        "body_text": read.text,
        "list_title": item.list_title,
        "list_date": item.list_date,
        "container": None,
        "source_format": read.type,
        "repaired_pinyin": 0,
        "from_mirror": 0,
    }


class AttachmentPipeline:
    """Sets ``item.attachment`` (what :func:`read_attachment` read) on attachment items.

    Reading runs in Twisted's thread pool, at most ``GONGKAI_ATTACHMENT_WORKERS`` files at a
    time, so a LibreOffice conversion or an OCR pass never blocks the crawl. Off (removed)
    when ``GONGKAI_ATTACHMENTS`` is false. Stats: ``gongkai/attachments/<type>``,
    ``gongkai/attachments/error``, ``gongkai/attachments/ocr``.
    """

    def __init__(self, crawler: Crawler, options: ReadOptions, workers: int = 2) -> None:
        self.stats = crawler.stats
        self.options = options
        self.semaphore = defer.DeferredSemaphore(max(1, workers))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AttachmentPipeline:
        settings = crawler.settings
        if not settings.getbool("GONGKAI_ATTACHMENTS"):
            raise NotConfigured("GONGKAI_ATTACHMENTS is off")
        return cls(crawler, read_options(settings), settings.getint("GONGKAI_ATTACHMENT_WORKERS"))

    async def process_item(self, item: PageItem) -> PageItem:
        if item.kind != "attachment" or item.error or item.unchanged or item.body is None:
            return item
        item.filename = served_filename(item)
        read = await maybe_deferred_to_future(
            self.semaphore.run(threads.deferToThread, read_attachment, item.body, item.filename,
                               self.options)
        )
        item.attachment = read
        self.stats.inc_value(f"gongkai/attachments/{read.type}")
        if read.error:
            self.stats.inc_value("gongkai/attachments/error")
        if read.ocr:
            self.stats.inc_value("gongkai/attachments/ocr")
        return item
