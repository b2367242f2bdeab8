"""The item every spider callback yields: one fetch of one URL, with what the crawl knew of it.

Spider → middleware → pipelines: the spider fills the fetch fields (and, for an article page,
the ``reading`` its extraction worker made), the extraction pipeline sets ``article`` from it,
the archive pipeline stores it all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageItem:
    """One fetch (or failed fetch) of a list page, article page or attachment.

    ``kind`` is ``list``, ``article``, ``article-part`` (a later page of an article cut over
    several pages) or ``attachment``; ``error`` is set when the fetch failed
    (then ``body`` may be None); ``encoding`` holds the declared/detected/chosen charsets;
    ``unchanged`` marks a known page that an incremental crawl found unchanged.
    """

    url: str
    kind: str
    column_url: str
    status: int | None = None
    final_url: str | None = None
    fetched_at: str | None = None
    content_type: str | None = None
    body: bytes | None = None
    text: str | None = None
    encoding: dict[str, str | None] | None = None
    renderer: str = "http"
    error: str | None = None
    referer: str | None = None
    list_title: str | None = None
    list_date: str | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)
    headers: dict[str, str] | None = None  # response headers as received
    etag: str | None = None
    last_modified: str | None = None
    entries: int | None = None  # list pages: column entries found (layout-change monitoring)
    warc: dict[str, Any] | None = None  # where the exchange was written: file, offset, length, id
    # "not_modified" (the server answered 304) or "skipped" (known page, not requested)
    unchanged: str | None = None
    article: Any = None  # pipelines.extract.Article, set by ExtractPipeline
    statistics: dict[str, Any] | None = None  # a report's Statistics.rows(), set by ExtractPipeline
    # attachments: the page that linked the file, the link's text, the file name as served
    page_url: str | None = None
    linked_from: str | None = None  # "list" or "article": the kind of page that linked the file
    link_text: str | None = None
    filename: str | None = None
    attachment: Any = None  # pipelines.attachments.AttachmentText, set by AttachmentPipeline
    # a render decision to remember (pipelines/render.py): {host, kind, path_prefix, renderer, reason}
    render_rule: dict[str, str] | None = None
    # an article cut over several pages (TRS t…_1.html, t…_2.html): the later pages' (url, text)
    # in order, read and joined with this first page into one report (a page that failed is a
    # failed capture of its own)
    page_texts: list[tuple[str, str]] | None = None
    # title_zhs/body_zhs of a report, made with the extraction (archive.store.SEARCH_COPIES)
    search_copies: dict[str, str | None] | None = None
    # an article page's pipelines.reading.PageReading, read by the spider's worker from the one
    # parse of the page; ExtractPipeline applies it to the fields above and clears it
    reading: Any = None


# Stats key the spider fills with "reason: list URL" for each list page whose pager it could
# not follow (an ASP.NET postback pager); the archive pipeline turns them into crawl alerts.
UNFOLLOWED_PAGERS_STAT = "gongkai/list/unfollowed_pagers"
# Stats key spiders.browser fills with "reason: URL" for each request a rendered page made to
# a private/loopback/link-local address (spiders.addresses); also turned into crawl alerts.
REFUSED_REQUESTS_STAT = "gongkai/address/refused_requests"
