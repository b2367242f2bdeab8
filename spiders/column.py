"""The ``column`` spider: walk a disclosure column's list pages and fetch every entry.

``scrapy crawl column -a start_url=URL`` (or ``gongkai crawl URL …``). Every fetch — list page,
article, or failure — becomes a :class:`crawler.items.PageItem`; extraction and archiving
happen in the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.store import utc_now
from crawler.items import PageItem
from crawler.middlewares import ENCODING_META
from pipelines.htmltext import parse_html
from spiders.links import find_entries, is_page_url, list_attachments
from spiders.paging import find_list_pages

_KIND, _COLUMN, _TITLE, _DATE = "gongkai_kind", "gongkai_column", "gongkai_title", "gongkai_date"


def _split_urls(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [u.strip() for u in value if u.strip()]


def describe_failure(failure: Failure) -> tuple[str, int | None]:
    """A one-line reason for a failed request, and its HTTP status when there was a response."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return f"HTTP {status}", status
    name = type(error).__name__
    text = str(error).strip() or name
    if "Timeout" in name:
        return f"timeout: {text}", None
    if "Cancelled" in name or "max size" in text:
        return f"oversize: {text}", None
    if "robots.txt" in text:
        return "forbidden by robots.txt", None
    if name == "IgnoreRequest":
        return text, None
    return f"{name}: {text}", None


class ColumnSpider(scrapy.Spider):
    """Crawl one or more disclosure columns (list page URLs), staying on their hosts."""

    name = "column"

    def __init__(self, start_url: str | None = None, start_urls: str | list[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.column_urls = list(dict.fromkeys(_split_urls(start_url) + _split_urls(start_urls)))
        if not self.column_urls:
            raise ValueError("the column spider needs start_url=URL (a column list page)")
        for url in self.column_urls:
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        self.allowed_hosts = {urlsplit(u).hostname for u in self.column_urls}
        self.allowed_domains = sorted(self.allowed_hosts)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.column_urls:
            yield self._list_request(url, url)

    def _list_request(self, url: str, column: str, dont_filter: bool = False) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_list, errback=self.failed, dont_filter=dont_filter,
            meta={_KIND: "list", _COLUMN: column},
        )

    # --- callbacks -----------------------------------------------------------------------

    def parse_list(self, response: Response) -> Iterator[Any]:
        column = response.meta[_COLUMN]
        if not isinstance(response, TextResponse):
            yield self._item(response, "list", error="list page is not HTML")
            return
        html = response.text
        tree = parse_html(html)
        max_pages = self.settings.getint("GONGKAI_MAX_LIST_PAGES", 500)
        yield self._item(response, "list", attachments=list_attachments(tree, response.url))
        for url in find_list_pages(html, tree, response.url, max_pages):
            yield self._list_request(url, column)
        for entry in find_entries(tree, response.url, column):
            if not is_page_url(entry.url):
                continue  # attachment files linked from the list are recorded above
            yield scrapy.Request(
                entry.url, callback=self.parse_article, errback=self.failed,
                meta={_KIND: "article", _COLUMN: column, _TITLE: entry.title, _DATE: entry.date},
            )

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        if not isinstance(response, TextResponse):
            yield self._item(response, "article",
                             error=f"not an HTML page ({_content_type(response) or 'no type'})")
            return
        yield self._item(response, "article", text=response.text)

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        request = failure.request
        error, status = describe_failure(failure)
        response = getattr(failure.value, "response", None)
        self.logger.warning("failed %s: %s", request.url, error)
        yield PageItem(
            url=request.meta.get("redirect_urls", [request.url])[0],
            final_url=request.url,
            kind=request.meta.get(_KIND, "article"),
            column_url=request.meta.get(_COLUMN, request.url),
            status=status,
            fetched_at=utc_now(),
            content_type=_content_type(response) if response is not None else None,
            body=response.body if response is not None else None,
            error=error,
            referer=_referer(request),
            list_title=request.meta.get(_TITLE),
            list_date=request.meta.get(_DATE),
        )

    # --- helpers -------------------------------------------------------------------------

    def _item(self, response: Response, kind: str, **fields: Any) -> PageItem:
        request = response.request
        return PageItem(
            url=response.meta.get("redirect_urls", [response.url])[0],
            final_url=response.url,
            kind=kind,
            column_url=response.meta[_COLUMN],
            status=response.status,
            fetched_at=utc_now(),
            content_type=_content_type(response),
            body=response.body,
            encoding=response.meta.get(ENCODING_META),
            renderer="browser" if response.meta.get("playwright") else "http",
            referer=_referer(request) if request is not None else None,
            list_title=response.meta.get(_TITLE),
            list_date=response.meta.get(_DATE),
            **fields,
        )


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


def _referer(request: scrapy.Request) -> str | None:
    value = request.headers.get("Referer")
    return value.decode("latin-1") if value else None
