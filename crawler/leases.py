"""A leased page's output in a worker: named after its lease, and followed until it is all taken.

A page fetched again after its worker died must queue nothing twice and store no item twice: each
request it makes is named after the page's lease and its place in the page's output
(:func:`request_id`), each item after the same (:func:`item_key`, the writer's idempotency key).
And a lease may be reported done (crawler/distributed.py's scheduler) only once Scrapy is through
with its page: :class:`PageEnds` follows each page with public Scrapy hooks only.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import time
import weakref
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import ensure_awaitable
from scrapy.utils.misc import arg_to_iter
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

# Seconds without any page event after which PageEnds.sweep has the garbage collector look for
# requests Scrapy let go of: a failed request stays in a reference cycle (its failure's
# traceback) that an idle worker may not collect for minutes.
QUIET_SECONDS = 5.0

LEASE_META = "gongkai_lease"  # the lease id of the request a response answers
PARENT_META = "gongkai_parent"  # "<lease id>:<n>": the page (and place in its output) that made a request
ITEM_KEY = "_gongkai_key"  # attribute LeaseMiddleware sets on an item: the writer's idempotency key


def request_id(request: Request, fingerprint: str) -> str:
    """The frontier id of a request: the same whichever worker makes it, however often.

    A request made by a page (``PARENT_META``) is named after that page's lease and its place in
    the page's output; a retry or redirect of a leased request after the lease; a seed after
    its fingerprint. So a page fetched again after its worker died queues the same ids, which the
    frontier ignores.
    """
    meta = request.meta
    if meta.get(LEASE_META):
        basis = f"{meta[LEASE_META]}|{fingerprint}|{meta.get('retry_times', 0)}|{len(meta.get('redirect_urls', ()))}"
    elif meta.get(PARENT_META):
        basis = f"{meta[PARENT_META]}|{fingerprint}"
    else:
        basis = f"seed|{fingerprint}"
    return hashlib.sha1(basis.encode()).hexdigest()[:20]


class LeaseMiddleware:
    """Spider middleware: name a page's requests and items after the page's lease (see :func:`request_id`)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeaseMiddleware:
        return cls()

    async def process_spider_output_async(self, response: Response, result: Any) -> Any:
        lease = response.meta.get(LEASE_META)
        n = 0
        async for output in result:
            if lease:
                n += 1
                if isinstance(output, Request):
                    output.meta.setdefault(PARENT_META, f"{lease}:{n}")
                else:
                    setattr(output, ITEM_KEY, f"{lease}:{n}:{getattr(output, 'url', '')}")
            yield output

    def process_spider_output(self, response: Response, result: Any) -> Any:
        lease = response.meta.get(LEASE_META)
        for n, output in enumerate(result, 1):
            if lease:
                if isinstance(output, Request):
                    output.meta.setdefault(PARENT_META, f"{lease}:{n}")
                else:
                    setattr(output, ITEM_KEY, f"{lease}:{n}:{getattr(output, 'url', '')}")
            yield output


def item_key(item: Any, data: str) -> str:
    """The writer's idempotency key: the page's lease and place, else the item's content.

    A failed fetch (no lease stamp: errbacks bypass spider middlewares) is keyed by what it
    says minus when it was said.
    """
    key = getattr(item, ITEM_KEY, None)
    if key:
        return hashlib.sha256(key.encode()).hexdigest()
    value = json.loads(data)
    value.get("f", {}).pop("fetched_at", None)
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def lease_of(source: Any) -> str | None:
    """The lease of the page a response belongs to, or a failure Scrapy hands an errback or a signal."""
    request = getattr(source, "request", None)  # a Failure carries the request Scrapy failed on
    meta = getattr(request, "meta", None)
    return meta.get(LEASE_META) if meta else None


@dataclass
class _Page:
    released: weakref.finalize  # when Scrapy lets go of the leased request (see PageEnds.sweep)
    streams: int = 0  # output streams of its callback or errback still running
    pending: int = 0  # outputs yielded and not yet taken by the engine
    ended: bool = False  # a stream ended, or the page ended without one (an exception, a redirect)
    in_middlewares: bool = False  # its response reached the spider middlewares, which count its outputs


class PageEnds:
    """When each leased page of a worker is over, from Scrapy's public hooks: ``on_done(lease id)``, once.

    A page is over when Scrapy has nothing left to do for it: every stream of output of its
    callback or errback has ended, and all they yielded has been taken by the engine, each item
    out of the item pipelines (``item_scraped``, ``item_dropped`` or ``item_error``: for a worker,
    in the Redis stream) and each request scheduled (``request_scheduled``: queued in Redis). A
    page whose download became another request (a redirect or a retry, which a downloader
    middleware hands back to the engine) is over once that request is scheduled. Reported by:

    - :class:`PageEndMiddleware`, the spider middleware next to the engine: every stream of a
      response's output (its callback's, an errback's for an HTTP error status, what a middleware
      made of an exception), what each yields, and an exception no middleware took;
    - :class:`LeaseErrback`, the errback of every leased request: Scrapy calls the errback of a
      failed download outside the spider middlewares, and for a request without one only logs;
    - Scrapy's signals, connected by :meth:`of`.

    A page is found over on a later reactor turn than its last event (``later``): a stream that
    a middleware made of an exception starts as the stream before it ends, within the same turn.
    Needs Scrapy 2.13 or later (spider output as asynchronous iterables).

    Should a path through Scrapy end a page with no event seen here, :meth:`sweep` ends it once
    Scrapy has let go of its request, with a warning: not a lease held by heartbeats forever.
    """

    def __init__(self, stats: Any = None, later: Callable[..., Any] | None = None) -> None:
        self.stats = stats
        self.later = later or _next_turn
        self.on_done: Callable[[str], None] = lambda lease_id: None
        self.pages: dict[str, _Page] = {}
        self.requests: dict[Request, list[str]] = {}  # a page's requests the engine has not scheduled yet
        self._checks: set[str] = set()
        self._own: Request | None = None
        self._released: list[str] = []  # leases whose request Scrapy let go of (appended by the GC)
        self._last_event = self._last_collect = time.monotonic()

    @classmethod
    def of(cls, crawler: Crawler) -> PageEnds:
        """The one ``PageEnds`` of ``crawler``, shared by its scheduler and spider middleware."""
        pages = _page_ends.get(crawler)
        if pages is None:
            pages = _page_ends[crawler] = cls(crawler.stats)
            for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
                crawler.signals.connect(pages.item_left, signal=signal)
            crawler.signals.connect(pages.request_scheduled, signal=signals.request_scheduled)
            crawler.signals.connect(pages.spider_error, signal=signals.spider_error)
        return pages

    def leased(self, lease_id: str, request: Request) -> None:
        """Follow the page of ``request``, leased as ``lease_id``; its errback now reports failed downloads."""
        # list.append only: a finalizer runs wherever the garbage collector happens to run
        self.pages[lease_id] = _Page(weakref.finalize(request, self._released.append, lease_id))
        request.errback = LeaseErrback(self, lease_id, request.errback)

    @contextmanager
    def scheduling(self, request: Request) -> Iterator[None]:
        """The scheduler hands its own leased ``request`` to the engine: that is no redirect of its page."""
        self._own = request
        try:
            yield
        finally:
            self._own = None

    # --- events --------------------------------------------------------------------------

    def entered_middlewares(self, lease_id: str | None) -> None:
        """The page's response reached the spider middlewares: :class:`PageEndMiddleware` counts its output."""
        if lease_id is not None and lease_id in self.pages:
            self.pages[lease_id].in_middlewares = True

    def in_middlewares(self, lease_id: str) -> bool:
        page = self.pages.get(lease_id)
        return page is not None and page.in_middlewares

    def stream_started(self, lease_id: str) -> None:
        page = self.pages.get(lease_id)
        if page is not None:
            page.streams += 1
            self._last_event = time.monotonic()

    def stream_ended(self, lease_id: str) -> None:
        page = self.pages.get(lease_id)
        if page is not None:
            page.streams -= 1
            page.ended = True
            self._check_later(lease_id)

    def yielded(self, lease_id: str, output: Any) -> None:
        """``output`` of the page leased as ``lease_id`` goes to the engine (an item or a request)."""
        if output is None:  # Scrapy skips it
            return
        page = self.pages.get(lease_id)
        if page is None:
            # the page was reported done before all its output was taken: a worker killed now
            # would lose this output (PageEnds missed an event)
            logger.warning("output of lease %s after its page was reported done: %s", lease_id,
                           getattr(output, "url", type(output).__name__))
            self._inc("gongkai/lease/late_output")
            return
        page.pending += 1
        self._last_event = time.monotonic()
        if isinstance(output, Request):
            self.requests.setdefault(output, []).append(lease_id)

    def ended(self, lease_id: str | None) -> None:
        """The page leased as ``lease_id`` yields nothing more (an exception ended it, or a redirect)."""
        if lease_id is not None and lease_id in self.pages:
            self.pages[lease_id].ended = True
            self._check_later(lease_id)

    # --- signals -------------------------------------------------------------------------

    def item_left(self, response: Any = None, **_: Any) -> None:
        """An item left the pipelines (``item_scraped``, ``item_dropped``, ``item_error``)."""
        lease_id = lease_of(response)
        if lease_id is not None and lease_id in self.pages:
            self.pages[lease_id].pending -= 1
            self._check_later(lease_id)

    def request_scheduled(self, request: Request, **_: Any) -> None:
        """A request went to the scheduler: a page's output, or what a downloader middleware made of a download."""
        leases = self.requests.get(request)
        if leases:
            lease_id = leases.pop()
            if not leases:
                del self.requests[request]
            page = self.pages.get(lease_id)
            if page is not None:
                page.pending -= 1
                self._check_later(lease_id)
            return
        lease_id = request.meta.get(LEASE_META)
        if lease_id in self.pages and request is not self._own:
            self._inc("gongkai/lease/replaced")  # a redirect or a retry: queued as a request of its own
            self.ended(lease_id)

    def spider_error(self, failure: Any = None, response: Any = None, **_: Any) -> None:
        """A callback's or errback's exception that nothing turned into output ends its page."""
        self.ended(lease_of(response))

    # --- the end -------------------------------------------------------------------------

    def sweep(self) -> None:
        """End the pages whose request Scrapy has let go of: nothing of theirs is left in Scrapy.

        The engine holds a request until its page is through (downloaded, called back, every
        item out of the pipelines, every request scheduled), so a page still open here when its
        request is gone missed an event: a path through Scrapy that :class:`PageEnds` does not
        know. It is ended, with a warning, rather than held by heartbeats forever. Called by the
        scheduler every second; a page over normally is ended by its events first.
        """
        now = time.monotonic()
        if self.pages and now - max(self._last_event, self._last_collect) > QUIET_SECONDS:
            self._last_collect = now
            gc.collect()  # quiet with pages open: is a request of theirs only held in a cycle?
        while self._released:
            lease_id = self._released.pop()
            page = self.pages.get(lease_id)
            if page is None:
                continue
            if not page.ended or page.streams > 0 or page.pending > 0:
                logger.warning("lease %s: its request was let go with its page's end unseen (%d streams, "
                               "%d outputs open): reported done now", lease_id, page.streams, page.pending)
                self._inc("gongkai/lease/end_unseen")
                page.ended, page.streams, page.pending = True, 0, 0
            self._check_later(lease_id)

    def _check_later(self, lease_id: str) -> None:
        self._last_event = time.monotonic()
        if lease_id not in self._checks:
            self._checks.add(lease_id)
            self.later(self._check, lease_id)

    def _check(self, lease_id: str) -> None:
        self._checks.discard(lease_id)
        page = self.pages.get(lease_id)
        if page is None or not page.ended or page.streams > 0 or page.pending > 0:
            return
        if page.streams < 0 or page.pending < 0:  # the return above took every positive count
            logger.warning("lease %s: %d streams, %d outputs taken more than seen", lease_id, page.streams,
                           page.pending)
        del self.pages[lease_id]
        page.released.detach()
        self._inc("gongkai/lease/done")
        self.on_done(lease_id)

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _next_turn(function: Callable[..., Any], *args: Any) -> None:
    from twisted.internet import reactor  # the one Scrapy installed (asyncio), never a default

    reactor.callLater(0, function, *args)  # type: ignore[attr-defined]


_page_ends: weakref.WeakKeyDictionary[Crawler, PageEnds] = weakref.WeakKeyDictionary()


class PageEndMiddleware:
    """Spider middleware next to the engine: a leased page's streams of output, for :class:`PageEnds`.

    Next to the engine (the lowest order, set by ``worker_settings``), it is the first to see a
    response and the last to see its output: what it passes on is what the engine takes. Its
    ``process_spider_exception`` is called only when no other middleware turned an exception
    into output, so the page yields nothing more.
    """

    def __init__(self, pages: PageEnds) -> None:
        self.pages = pages

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageEndMiddleware:
        return cls(PageEnds.of(crawler))

    def process_spider_input(self, response: Response) -> None:
        self.pages.entered_middlewares(lease_of(response))

    async def process_spider_output(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        lease_id = lease_of(response)
        if lease_id is None:
            async for output in result:
                yield output
            return
        self.pages.stream_started(lease_id)
        try:
            async for output in result:
                self.pages.yielded(lease_id, output)
                yield output
        finally:
            self.pages.stream_ended(lease_id)

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        self.pages.ended(lease_of(response))


class LeaseErrback:
    """The errback of a leased request: its own errback (if any), telling :class:`PageEnds` when it is through.

    Scrapy calls the errback of a failed download (a connection error, a timeout, an
    ``IgnoreRequest`` of a downloader middleware: robots.txt, the address guard, a redirect loop)
    outside the spider middlewares, so :class:`PageEndMiddleware` never sees its output; with no
    errback Scrapy only logs the failure (returned to it here, it does the same). For an error a
    spider middleware raised (an HTTP error status) the errback's output goes through the
    middlewares, and this only passes the call on. A request queued again (a retry, a redirect)
    is queued with its own errback (:func:`own_errback`).
    """

    def __init__(self, pages: PageEnds, lease_id: str, original: Callable[..., Any] | None) -> None:
        self.pages = pages
        self.lease_id = lease_id
        self.original = original

    def __call__(self, failure: Failure) -> Any:
        pages, lease_id = self.pages, self.lease_id
        if pages.in_middlewares(lease_id):
            return failure if self.original is None else self.original(failure)
        pages.stream_started(lease_id)
        try:
            output = failure if self.original is None else self.original(failure)
        except BaseException:
            pages.stream_ended(lease_id)
            raise
        if output is None or isinstance(output, Failure):
            pages.stream_ended(lease_id)
            return output
        return self._watch(output)

    async def _watch(self, output: Any) -> AsyncIterator[Any]:
        pages, lease_id = self.pages, self.lease_id
        try:
            output = await ensure_awaitable(output)  # an async errback's result
            if isinstance(output, AsyncIterable):
                async for each in output:
                    pages.yielded(lease_id, each)
                    yield each
            else:
                for each in arg_to_iter(output):
                    pages.yielded(lease_id, each)
                    yield each
        finally:
            pages.stream_ended(lease_id)


def own_errback(errback: Any) -> Any:
    """A request's errback as the spider set it (a queued request is named by its errback's name)."""
    return errback.original if isinstance(errback, LeaseErrback) else errback
