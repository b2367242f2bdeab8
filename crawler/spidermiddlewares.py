"""Spider middleware: a page whose callback raised is still recorded, as a failed capture.

Scrapy logs a callback's exception and drops the response: the archive would never hear of the
page, and the summary would not count it. Parsing hostile or broken pages must not lose them
silently (the fetch happened; its bytes are in the WARC), so the exception becomes a
:class:`pipelines.items.PageItem` with ``error`` set, like a failed download.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy import Spider
from scrapy.http import Response

from archive.store import utc_now
from pipelines.items import PageItem
from spiders.meta import COLUMN_META, DATE_META, KIND_META, TITLE_META, WARC_META

logger = logging.getLogger(__name__)


class CallbackFailureMiddleware:
    """``process_spider_exception``: turn the exception into a failed capture of the response."""

    def process_spider_exception(self, response: Response, exception: Exception,
                                 spider: Spider | None = None) -> Iterable[Any]:
        meta = response.meta if response.request is not None else {}
        logger.error("parsing %s failed: %s: %s", response.url, type(exception).__name__, exception,
                     exc_info=exception)
        content_type = response.headers.get("Content-Type")
        return [PageItem(
            url=meta.get("redirect_urls", [response.url])[0],
            final_url=response.url,
            kind=meta.get(KIND_META, "article"),
            column_url=meta.get(COLUMN_META, response.url),
            status=response.status,
            fetched_at=utc_now(),
            content_type=content_type.decode("latin-1") if content_type else None,
            body=response.body,
            error=f"parsing failed: {type(exception).__name__}: {exception}"[:500],
            list_title=meta.get(TITLE_META),
            list_date=meta.get(DATE_META),
            renderer="browser" if meta.get("playwright") else "http",
            warc=meta.get(WARC_META),
        )]
