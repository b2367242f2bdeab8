"""Downloader middlewares: encoding from the bytes, same-host rule, incremental skips, WARC.

Each wraps a pure function or an archive object (:func:`pipelines.encoding.decide_encoding`,
:class:`archive.warc.WarcStore`, the archive's per-URL state); their order is set in
``crawler/settings.py``. ``from_crawler`` reads the settings; ``__init__`` takes plain values and
the live objects a component uses (the stats collector, the spider), so a test builds one
without a crawler.
"""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as BaseRedirectMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector
from scrapy.utils.httpobj import urlparse_cached

from pipelines.encoding import decide_encoding
from spiders.meta import ENCODING_META, KIND_META, RENDER_META, SKIPPED_META, WARC_META

_REASONS = {status.value: status.phrase for status in HTTPStatus}


class EncodingMiddleware:
    """Re-decode text responses by :func:`decide_encoding` before anything reads ``.text``.

    Scrapy (like browsers) lets a lying ``Content-Type`` charset win over the bytes; a GBK page
    served as ``charset=utf-8`` then reads as U+FFFD garbage. Ordered between
    HttpCompressionMiddleware (590, decompresses first) and MetaRefreshMiddleware (580, reads
    text), as Scrapy's docs suggest for this fix. The decision goes into ``meta`` for the archive.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingMiddleware:
        return cls(crawler.stats)

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

    def __init__(self, spider: Spider | None, stats: StatsCollector) -> None:
        # the spider, not a copy of its hosts: a distributed worker adds hosts as seeds arrive
        self.spider = spider
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SameHostMiddleware:
        return cls(crawler.spider, crawler.stats)

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        spider = spider or self.spider
        allowed = getattr(spider, "allowed_hosts", None)
        host = urlparse_cached(request).hostname
        if not allowed or host in allowed:
            return None
        self.stats.inc_value("gongkai/offsite/refused")
        if request.meta.get("redirect_urls"):
            raise IgnoreRequest(f"redirected off-site to {request.url}")
        raise IgnoreRequest(f"off-site URL {request.url}")


class AddressGuardMiddleware:
    """Refuse requests to loopback, private, link-local … addresses but the start URLs' hosts.

    Checked on the address the host resolves to, through the crawl's own resolver
    (``TWISTED_DNS_RESOLVER``, caching): the connection that follows reads the same cached
    answer, so a name cannot resolve to a public address for the check and a private one for
    the fetch. Redirects and attachment links come through here like any request. Ordered
    before every other middleware, so a refused request is never looked up in robots.txt or
    the archive. The refusal reaches the errback, which records it as a failed capture
    ("refused: private address 10.1.2.3 (oa.example.gov.cn)"). Off with
    ``GONGKAI_ALLOW_PRIVATE`` (``--allow-private``). Stats: ``gongkai/address/refused``.
    """

    def __init__(self, spider: Spider | None, stats: StatsCollector) -> None:
        self.spider = spider
        self.stats = stats
        self._policy: Any = None
        self._hosts_seen = -1

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        if crawler.settings.getbool("GONGKAI_ALLOW_PRIVATE"):
            raise NotConfigured
        return cls(crawler.spider, crawler.stats)

    def policy(self, spider: Spider | None) -> Any:
        from spiders.addresses import AddressPolicy, start_hosts

        spider = spider or self.spider
        # A distributed worker (crawler/distributed.py) learns start hosts as seeds arrive from
        # Redis, so the policy is rebuilt whenever the spider's host set has grown.
        hosts = start_hosts(spider)
        if self._policy is None or len(hosts) != self._hosts_seen:
            # private addresses are refused: the guard is not built when they are allowed
            self._policy, self._hosts_seen = AddressPolicy(frozenset(hosts)), len(hosts)
        return self._policy

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        from spiders.addresses import is_ip_literal

        host = urlparse_cached(request).hostname or ""
        policy = self.policy(spider)
        if policy.exempt(host) or urlparse_cached(request).scheme not in ("http", "https"):
            return None
        if is_ip_literal(host):
            addresses = [host]
        else:
            from scrapy.utils.defer import maybe_deferred_to_future
            from twisted.internet import reactor
            from twisted.internet.error import DNSLookupError

            try:
                addresses = [await maybe_deferred_to_future(reactor.resolve(host))]  # type: ignore[attr-defined]
            except DNSLookupError:
                return None  # the download fails with its own DNS error, recorded as such
        reason = policy.refusal(host, addresses)
        if reason is None:
            return None
        self.stats.inc_value("gongkai/address/refused")
        if request.meta.get("redirect_urls"):
            reason = f"{reason}, redirected to {request.url}"
        raise IgnoreRequest(reason)


class RedirectMiddleware(BaseRedirectMiddleware):
    """Scrapy's redirects, with a loop ended and recorded at its first repeat.

    Scrapy hands a redirect back to the scheduler, whose duplicate filter silently drops a
    target already requested: ``/a → /b → /a`` (a login gateway bouncing a crawler, a CMS
    whose mobile detection redirects both ways) vanished without a failure to see. Here the
    repeat raises ``IgnoreRequest("redirect loop: …")``, which reaches the errback and becomes
    a failed capture of the first URL. A chain of new URLs still stops at
    ``REDIRECT_MAX_TIMES`` (Scrapy's "max redirections reached").
    """

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            self.crawler.stats.inc_value("gongkai/redirect/loop")
            loop = " → ".join([*chain[chain.index(redirected.url):], redirected.url])
            raise IgnoreRequest(f"redirect loop: {loop}")
        return super()._redirect(redirected, request, reason)


# Pages whose state is kept between crawls; list pages are always fetched again (they are
# few, and they are where new reports appear).
INCREMENTAL_KINDS = ("article", "attachment")


class IncrementalMiddleware:
    """Skip or conditionally request pages an earlier crawl already archived.

    A known article or attachment URL checked less than ``GONGKAI_RECHECK_DAYS`` ago is not
    requested at all: it gets a local 304 marked ``gongkai_skipped``, recorded as unchanged
    without any traffic. One checked longer ago (or every one, with ``GONGKAI_RECHECK``) is
    requested again, with ``If-None-Match`` / ``If-Modified-Since`` when the server gave
    validators, so an unchanged page costs a 304. List pages are never skipped.
    """

    def __init__(self, db_path: str, recheck: bool, recheck_days: float, stats: StatsCollector) -> None:
        self.stats = stats
        self.db_path = db_path
        self.recheck = recheck
        self.recheck_days = recheck_days
        self._archive: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        settings = crawler.settings
        if not settings.getbool("GONGKAI_INCREMENTAL"):
            raise NotConfigured
        middleware = cls(settings.get("GONGKAI_DB"), settings.getbool("GONGKAI_RECHECK"),
                         settings.getfloat("GONGKAI_RECHECK_DAYS"), crawler.stats)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def _state(self, url: str) -> dict[str, Any] | None:
        if self._archive is None:
            from archive.store import Archive

            self._archive = Archive(self.db_path)
        return self._archive.url_state(url)

    def _due(self, state: dict[str, Any]) -> bool:
        if self.recheck or self.recheck_days <= 0 or not state.get("last_checked"):
            return True
        checked = dt.datetime.fromisoformat(state["last_checked"].replace("Z", "+00:00"))
        age = dt.datetime.now(dt.timezone.utc) - checked
        return age.total_seconds() > self.recheck_days * 86400

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        if request.meta.get(KIND_META) not in INCREMENTAL_KINDS:
            return None
        if request.meta.get(RENDER_META):
            return None  # the browser re-render of a page fetched moments ago (spiders/browser.py)
        state = self._state(request.url)
        if state is None:
            return None
        stats = self.stats
        if not self._due(state):
            stats.inc_value("gongkai/incremental/skipped")
            request.meta[SKIPPED_META] = True
            return Response(request.url, status=304, request=request)
        if state.get("etag"):
            request.headers.setdefault("If-None-Match", state["etag"])
        if state.get("last_modified"):
            request.headers.setdefault("If-Modified-Since", state["last_modified"])
        stats.inc_value("gongkai/incremental/conditional" if state.get("etag") or state.get("last_modified")
                        else "gongkai/incremental/recheck")
        return None

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()


class WarcMiddleware:
    """Write every HTTP exchange, as received, to the crawl's WARC files (archive.warc).

    Ordered next to the downloader (950): responses arrive here before decompression, so the
    record holds the bytes the server sent; requests leave here with every header other
    middlewares added (cookies, conditional headers). The location goes into ``meta`` for the
    capture row.
    """

    def __init__(self, folder: str, max_size: int, info: dict[str, str], stats: StatsCollector,
                 worker: str | None = None) -> None:
        """``info`` goes into each file's warcinfo record; ``worker`` names a distributed
        worker's files (see :class:`archive.warc.WarcStore`)."""
        from archive.warc import WarcStore

        self.store = WarcStore(folder, max_size, info=info, worker=worker)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        from archive.warc import warc_dir_for
        from crawler import __version__

        settings = crawler.settings
        if not settings.getbool("GONGKAI_WARC"):
            raise NotConfigured
        folder = settings.get("GONGKAI_WARC_DIR") or str(warc_dir_for(settings.get("GONGKAI_DB")))
        info = {
            "software": f"gongkai/{__version__}",
            "http-header-user-agent": settings.get("USER_AGENT", ""),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "description": "gongkai crawl of government information-disclosure columns",
        }
        middleware = cls(folder, settings.getint("GONGKAI_WARC_MAX_SIZE"), info, crawler.stats,
                         worker=settings.get("GONGKAI_WORKER_ID"))  # set on distributed workers only
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if request.meta.get(SKIPPED_META):
            return response
        if request.meta.get("playwright"):
            # A browser render: its DOM goes in as a resource record, beside the server's bytes.
            from spiders.browser import write_rendered

            request.meta[WARC_META] = write_rendered(self.store, request, response)
            self.stats.inc_value("gongkai/warc/resource")
            return response
        from archive.warc import Exchange

        def pairs(headers: Any) -> list[tuple[str, str]]:
            return [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in headers.items() for v in vs]

        location = self.store.write(Exchange(
            url=response.url,
            method=request.method,
            request_headers=pairs(request.headers),
            status=response.status,
            reason=_REASONS.get(response.status, ""),
            protocol=response.protocol or "HTTP/1.1",
            response_headers=pairs(response.headers),
            body=response.body,
            request_body=request.body or b"",
            ip=str(response.ip_address) if response.ip_address else None,
        ))
        request.meta[WARC_META] = {"file": location.filename, "offset": location.offset,
                                   "length": location.length, "record_id": location.record_id}
        self.stats.inc_value("gongkai/warc/revisit" if location.revisit else "gongkai/warc/response")
        return response

    def spider_closed(self) -> None:
        self.store.close()
