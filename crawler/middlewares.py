"""Downloader middlewares: decide each response's encoding from its bytes; keep crawls on site.

Both wrap pure functions (:func:`crawler.encoding.decide_encoding`, exact host comparison);
their order is set in ``crawler/settings.py``.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.utils.httpobj import urlparse_cached

from crawler.encoding import decide_encoding

ENCODING_META = "gongkai_encoding"


class EncodingMiddleware:
    """Re-decode text responses by :func:`decide_encoding` before anything reads ``.text``.

    Scrapy (like browsers) lets a lying ``Content-Type`` charset win over the bytes; a GBK page
    served as ``charset=utf-8`` then reads as U+FFFD garbage. Ordered between
    HttpCompressionMiddleware (590, decompresses first) and MetaRefreshMiddleware (580, reads
    text), as Scrapy's docs suggest for this fix. The decision goes into ``meta`` for the archive.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        content_type = response.headers.get("Content-Type")
        decision = decide_encoding(
            response.body, content_type.decode("latin-1") if content_type else None
        )
        request.meta[ENCODING_META] = decision.as_dict()
        self.stats.inc_value(f"gongkai/encoding/{decision.reason}")
        if response.encoding != decision.chosen:
            self.stats.inc_value("gongkai/encoding/overridden")
            response = response.replace(encoding=decision.chosen)
        return response


class SameHostMiddleware:
    """Drop requests (including redirect targets) to any host but the columns' own hosts.

    Scrapy's OffsiteMiddleware allows subdomains and skips ``dont_filter`` requests, so a start
    URL that redirects to another site would be followed; archives must only hold pages of
    the sites they name. Set ``spider.allowed_hosts``; the refusal reaches the errback, which
    records it as a failed capture.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SameHostMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        spider = spider or self.crawler.spider
        allowed = getattr(spider, "allowed_hosts", None)
        host = urlparse_cached(request).hostname
        if not allowed or host in allowed:
            return None
        self.crawler.stats.inc_value("gongkai/offsite/refused")
        if request.meta.get("redirect_urls"):
            raise IgnoreRequest(f"redirected off-site to {request.url}")
        raise IgnoreRequest(f"off-site URL {request.url}")
