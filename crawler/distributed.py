"""A distributed crawl's worker: the column spider run against the shared Redis frontier.

``gongkai worker --redis URL`` runs the same spider, middlewares and extraction pipelines as a
single-process crawl; what changes is wired by settings (:func:`worker_settings`):

- :class:`FrontierScheduler` (``SCHEDULER``) queues requests in Redis as JSON and leases them
  back, one due host at a time (crawler/frontier.py); a heartbeat keeps the leases of pages in
  flight, and a page counts as done only once its items are in the stream and its links queued;
- :class:`crawler.leases.LeaseMiddleware` (spider middleware) names what a page yields after
  the page's lease, so a page redone after its worker died queues nothing twice and its items
  are recognised by the writer;
- :class:`crawler.sendturn.FrontierDownloader` (``DOWNLOADER``) lets a leased request leave
  only when its host's delay has passed for all workers, counted from when bytes were written;
- :class:`StreamPipeline` replaces the archive pipeline: items go to the ``P:items`` stream,
  which one writer (crawler/writer.py) stores;
- the incremental skip and the render rules read the archive's state the writer published.

Data flows spider → middleware → pipelines → Redis → writer → archive, as in one process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.request import request_from_dict
from twisted.internet import task

from crawler import jsoncodec
from crawler.frontier import Frontier, FrontierUnavailable, Lease, worker_id
from crawler.leases import LEASE_META, PARENT_META, PageEnds, item_key, own_errback, request_id
from crawler.middlewares import IncrementalMiddleware
from crawler.sendturn import BROWSER_EVENTS_META
from pipelines.items import REFUSED_REQUESTS_STAT, UNFOLLOWED_PAGERS_STAT
from spiders.browser import BrowserRouter
from spiders.column import ColumnSpider

logger = logging.getLogger(__name__)

# Request classes a worker may rebuild from the frontier (scrapy's own loader would import any name).
REQUEST_CLASSES = {"scrapy.http.request.form.FormRequest", "scrapy.FormRequest"}
# Stats keys whose notes (lists of sentences) the archive pipeline turns into crawl alerts: a
# worker carries them to Redis, the writer back into its stats before the crawl row is closed.
ALERT_STATS = (UNFOLLOWED_PAGERS_STAT, REFUSED_REQUESTS_STAT)
# Meta keys that are per fetch and must not travel with a queued request (the browser's event
# handlers are set by FrontierDownloader for each render, and a function is not JSON).
TRANSIENT_META = (LEASE_META, PARENT_META, "download_slot", "download_latency", "_slot_delay", BROWSER_EVENTS_META)


class FrontierScheduler:
    """Scrapy scheduler backed by :class:`crawler.frontier.Frontier` (``SCHEDULER`` on workers).

    Follows scrapy-redis's conventions (``REDIS_URL``, seeds as ``{"url": …}`` JSON in
    ``column:start_urls``, fingerprints in ``column:dupefilter``) but leases instead of popping,
    serialises to JSON instead of pickling, and leaves politeness to the frontier: every worker
    asks for the next request of a host whose delay has passed. A worker ends when the whole
    crawl has (nothing queued, nothing leased anywhere), never because its own queue is empty.

    A lease is reported done when :class:`crawler.leases.PageEnds` (``pages``) finds its page
    over: its items in the stream, its requests queued.
    """

    def __init__(self, crawler: Crawler, frontier: Frontier, worker: str, unreachable_seconds: float,
                 pages: PageEnds) -> None:
        self.crawler = crawler
        self.frontier = frontier
        self.worker = worker
        self.unreachable_seconds = unreachable_seconds
        self.stats = crawler.stats
        self.pages = pages
        pages.on_done = self._page_done
        self.spider: Spider | None = None
        self.leased: set[str] = set()  # lease ids whose pages are not over yet
        self.ready: deque[Request] = deque()  # leased by _hand_over, given to the engine by next_request
        self.unsent: list[tuple[str, str | None, str, str, int]] = []  # enqueues waiting for Redis
        self.finished_ids: list[str] = []  # done, waiting for Redis
        self._finished_cache: tuple[float, bool] = (0.0, False)
        self._wake_call: Any = None
        self._loop: task.LoopingCall | None = None
        self._beat: task.LoopingCall | None = None
        self._down_since: float | None = None
        self._next_seed_check = 0.0
        self.robots_delays: dict[str, float] = {}  # host → robots.txt Crawl-delay (seconds)
        self.alerts_sent: dict[str, int] = {}  # stats key → how many of its notes are in Redis

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        settings = crawler.settings
        url = settings.get("REDIS_URL")
        if not url:
            raise NotConfigured("FrontierScheduler needs REDIS_URL")
        frontier = Frontier.connect(url, lease_seconds=settings.getfloat("GONGKAI_LEASE_SECONDS"),
                                    delay=settings.getfloat("GONGKAI_FRONTIER_DELAY"))
        scheduler = cls(crawler, frontier, settings.get("GONGKAI_WORKER_ID") or worker_id(),
                        settings.getfloat("GONGKAI_REDIS_UNREACHABLE_SECONDS"), PageEnds.of(crawler))
        crawler.signals.connect(scheduler.response_received, signal=signals.response_received)
        crawler.signals.connect(scheduler.robots_parsed, signal=signals.robots_parsed)
        return scheduler

    # --- Scrapy's scheduler interface ------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self._loop = task.LoopingCall(self._tend)
        self._loop.start(1.0, now=False)
        self._beat = task.LoopingCall(self._heartbeat)
        self._beat.start(max(0.5, self.frontier.lease_ms / 3000), now=False)

    def close(self, reason: str) -> None:
        for loop in (self._loop, self._beat):
            if loop is not None and loop.running:
                loop.stop()
        if self._wake_call is not None and self._wake_call.active():
            self._wake_call.cancel()
        try:
            self._flush()
        except redis.RedisError:
            logger.warning("Redis unreachable at close: %d leases will expire and be redone", len(self.leased))

    def has_pending_requests(self) -> bool:
        if self.leased or self.ready or self.unsent or self.finished_ids:
            return True
        now = time.monotonic()
        if now - self._finished_cache[0] < 0.2:
            return not self._finished_cache[1]
        try:
            finished = self.frontier.finished()
            self._redis_up()
        except redis.RedisError as error:
            self._redis_down(error)
            self._wake(1.0)
            return True
        self._finished_cache = (now, finished)
        if not finished:
            self._wake(0.2)
        return not finished

    def enqueue_request(self, request: Request) -> bool:
        assert self.spider is not None
        if any(request is ready for ready in self.ready):
            return True  # leased already, handed to the engine by _hand_over: next_request gives it out
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
        rid = request_id(request, fingerprint)
        meta = {k: v for k, v in request.meta.items() if k not in TRANSIENT_META}
        try:
            queued = request.replace(meta=meta, errback=own_errback(request.errback))
            data = jsoncodec.dumps({**queued.to_dict(spider=self.spider)})
        except (jsoncodec.CodecError, ValueError) as error:
            logger.error("cannot queue %s in Redis: %s", request.url, error)
            self.stats.inc_value("gongkai/frontier/unserialisable")
            return False
        host = urlsplit(request.url).hostname or ""
        args = (rid, None if request.dont_filter else fingerprint, host, data, request.priority)
        try:
            self._flush()
            queued = self.frontier.enqueue(*args)
        except redis.RedisError as error:
            self._redis_down(error)
            self.unsent.append(args)  # sent when Redis is back; the page stays leased till then
            return True
        self.stats.inc_value("scheduler/enqueued/redis" if queued else "gongkai/frontier/duplicate")
        return queued

    def next_request(self) -> Request | None:
        if self.ready:
            return self.ready.popleft()
        return self._lease_next()

    # --- helpers -----------------------------------------------------------------------------

    def _lease_next(self) -> Request | None:
        """The next due request of the crawl, leased to this worker; else None, and a wake when one may be due."""
        assert self.spider is not None
        try:
            self._flush()
            self._take_seeds()
            lease = self.frontier.lease(self.worker)
            self._redis_up()
        except redis.RedisError as error:
            self._redis_down(error)
            self._wake(1.0)
            return None
        if isinstance(lease, Lease):
            request = self._request(lease.id, lease.data)
            if request is None:
                self._wake(0.01)  # an unreadable one, dropped: the next may be due already
            return request
        self._wake(min(lease, 1.0) if isinstance(lease, float) else 0.25)
        return None

    def _request(self, lease_id: str, data: str) -> Request | None:
        try:
            fields = jsoncodec.loads(data)
            if fields.get("_class") and fields["_class"] not in REQUEST_CLASSES:
                raise jsoncodec.CodecError(f"request class {fields['_class']!r} not allowed")
            request = request_from_dict(fields, spider=self.spider)
        except (jsoncodec.CodecError, ValueError, TypeError, AttributeError) as error:
            logger.error("dropping queued request %s that cannot be read: %s", lease_id, error)
            self.stats.inc_value("gongkai/frontier/unreadable")
            self.frontier.done(self.worker, lease_id)
            return None
        host = urlsplit(request.url).hostname
        allowed = getattr(self.spider, "allowed_hosts", None)
        if allowed is not None and host not in allowed:
            self._refresh_columns()  # seeded by another process after this worker started
        request.meta[LEASE_META] = lease_id
        self.leased.add(lease_id)
        self.pages.leased(lease_id, request)
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _refresh_columns(self) -> None:
        spider = self.spider
        for url in self.frontier.columns():
            if url not in spider.column_urls:  # type: ignore[union-attr]
                spider.column_urls.append(url)  # type: ignore[union-attr]
                spider.allowed_hosts.add(urlsplit(url).hostname)  # type: ignore[union-attr]
                spider.allowed_domains = sorted(spider.allowed_hosts)  # type: ignore[union-attr]

    def _take_seeds(self) -> None:
        """Seeds pushed to ``column:start_urls`` become list requests (every few seconds)."""
        now = time.monotonic()
        if now < self._next_seed_check:
            return
        self._next_seed_check = now + 2.0
        seeds = self.frontier.seeds()
        if not seeds:
            return
        self.frontier.redis.sadd(self.frontier.key("columns"), *[url for _, url in seeds])
        self._refresh_columns()
        for _, url in seeds:
            if urlsplit(url).scheme in ("http", "https"):
                self.enqueue_request(self.spider._list_request(url, url))  # type: ignore[union-attr]
            else:
                logger.error("ignoring seed %r: not an http(s) URL", url)
        self.frontier.drop_seeds([raw for raw, _ in seeds])

    def _page_done(self, lease_id: str) -> None:
        """The page of ``lease_id`` is over here (:class:`PageEnds`): its items in the stream, its links queued."""
        self.leased.discard(lease_id)
        self.finished_ids.append(lease_id)
        self._retry_flush()

    def _tend(self) -> None:
        self.pages.sweep()
        self._retry_flush()  # what Redis missed while it was away

    def _retry_flush(self) -> None:
        if not (self.unsent or self.finished_ids):
            return
        try:
            self._flush()
        except redis.RedisError as error:
            self._redis_down(error)

    def _flush(self) -> None:
        while self.unsent:
            self.frontier.enqueue(*self.unsent[0])
            self.unsent.pop(0)
        if self.finished_ids:
            self._send_alerts()  # before the pages that made them are done: a kill loses none
        while self.finished_ids:
            if not self.frontier.done(self.worker, self.finished_ids[0]):
                # it expired, and another worker has it now (or it was reported twice: a bug)
                logger.warning("lease %s was no longer this worker's when its page was over", self.finished_ids[0])
                self.stats.inc_value("gongkai/frontier/done_refused")
            self.finished_ids.pop(0)

    def _send_alerts(self) -> None:
        """This worker's new alert notes (the spider's unfollowed pagers …) to Redis, for the writer."""
        for stat in ALERT_STATS:
            notes = self.stats.get_value(stat) or []
            sent = self.alerts_sent.get(stat, 0)
            if len(notes) > sent:
                self.frontier.add_alerts(stat, notes[sent:])
                self.alerts_sent[stat] = len(notes)

    def _heartbeat(self) -> None:
        try:
            self.frontier.heartbeat(self.worker, list(self.leased))
            self._redis_up()
        except redis.RedisError as error:
            self._redis_down(error)

    def _redis_up(self) -> None:
        if self._down_since is not None:
            logger.warning("Redis is back after %.0f s", time.monotonic() - self._down_since)
            self._down_since = None

    def _redis_down(self, error: Exception) -> None:
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
            logger.warning("Redis unreachable (%s); retrying for %.0f s", error, self.unreachable_seconds)
        elif now - self._down_since > self.unreachable_seconds and self.crawler.engine is not None:
            logger.error("Redis unreachable for %.0f s: stopping this worker", now - self._down_since)
            self.crawler.stats.set_value("gongkai/frontier/unreachable", True)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis_unreachable"))

    def _wake(self, delay: float) -> None:
        """Lease the next request after ``delay`` and hand it to the engine, which asks only every 5 s when idle."""
        if self._wake_call is not None and self._wake_call.active():
            return
        from twisted.internet import reactor  # the one Scrapy installed (asyncio), never a default

        self._wake_call = reactor.callLater(max(delay, 0.01), self._hand_over)  # type: ignore[attr-defined]

    def _hand_over(self) -> None:
        """A request due now, leased and handed to the engine with its public ``crawl()``.

        Scrapy has no public call that makes the engine ask its scheduler again (its slot's
        ``nextcall`` is private); ``crawl()`` schedules a request (it comes back to
        :meth:`enqueue_request`, which keeps it for :meth:`next_request`) and makes the engine
        ask at once. Nothing is leased while the engine cannot take it (``needs_backout()``): it
        asks again by itself when a download or a page ends.
        """
        engine = self.crawler.engine
        if engine is None or engine.spider is None or not engine.running or self.ready or engine.needs_backout():
            return
        request = self._lease_next()
        if request is not None:
            self.ready.append(request)
            with self.pages.scheduling(request):
                engine.crawl(request)

    def response_received(self, response: Response, request: Request) -> None:
        """Publish the host's delay when AutoThrottle or robots.txt made it longer than the setting's."""
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        slot = downloader.slots.get(request.meta.get("download_slot")) if downloader else None
        if slot is None:
            return
        host = urlsplit(request.url).hostname or ""
        delay = max(slot.delay, self.frontier.delay_ms / 1000, self.robots_delays.get(host, 0))
        try:
            if abs(delay - self.frontier.delay(host)) > 0.05 * max(delay, 0.1):
                self.frontier.set_delay(host, delay)
        except redis.RedisError as error:
            self._redis_down(error)


    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """A robots.txt ``Crawl-delay`` longer than the host's delay becomes its delay for all workers."""
        try:
            delay = robotparser.crawl_delay(self.crawler.settings.get("USER_AGENT") or "*")
        except Exception:  # noqa: BLE001 - a parser without Crawl-delay support
            return
        host = urlsplit(request.url).hostname or ""
        if not delay:
            return
        # kept even when another worker published it already: response_received republishes
        # the longest delay this worker knows, and must not shorten it
        self.robots_delays[host] = float(delay)
        try:
            if delay > self.frontier.delay(host):
                self.stats.inc_value("gongkai/frontier/robots_crawl_delay")
                self.frontier.set_delay(host, float(delay))
        except redis.RedisError as error:
            self._redis_down(error)


class StreamPipeline:
    """Item pipeline of workers: each item as JSON to the ``P:items`` stream (replaces ArchivePipeline).

    Awaited by Scrapy before the page counts as done, so a worker killed now redoes the page
    rather than losing its item. While Redis is away it retries.
    """

    def __init__(self, crawler: Crawler, frontier: Frontier, unreachable_seconds: float) -> None:
        self.crawler = crawler
        self.frontier = frontier
        self.unreachable_seconds = unreachable_seconds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StreamPipeline:
        settings = crawler.settings
        return cls(crawler, Frontier.connect(settings.get("REDIS_URL")),
                   settings.getfloat("GONGKAI_REDIS_UNREACHABLE_SECONDS"))

    async def process_item(self, item: Any) -> Any:
        # The decoded text was for extraction (done here, on the worker); the writer stores the bytes.
        text, pages = getattr(item, "text", None), getattr(item, "page_texts", None)
        item.text, item.page_texts = None, None
        try:
            data = jsoncodec.dumps(item)
        finally:
            item.text, item.page_texts = text, pages
        fields = {"key": item_key(item, data), "item": data}
        started = time.monotonic()
        while True:
            try:
                self.frontier.redis.xadd(self.frontier.key("items"), fields)
                if getattr(item, "error", None):
                    self.frontier.failed(urlsplit(item.url).hostname or "")
                break
            except redis.RedisError as error:
                if time.monotonic() - started > self.unreachable_seconds:
                    raise
                logger.warning("Redis unreachable (%s): item of %s waits", error, item.url)
                await asyncio.sleep(1.0)
        self.crawler.stats.inc_value("gongkai/stream/items")
        return item


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with one fetch per host for all workers of a crawl.

    The first worker to need a host's robots.txt takes a short lock in Redis, fetches it and
    publishes its body (or that it could not be had) for ``GONGKAI_ROBOTS_TTL`` seconds; the
    others wait for that instead of asking the server themselves. So the host gets one robots.txt
    request a crawl, and the archive one robots capture, as from a single process. A worker
    that waits longer than the lock (the fetching one died) fetches it itself.
    """

    LOCK_SECONDS = 60

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.frontier = Frontier.connect(crawler.settings.get("REDIS_URL"))
        self.ttl = crawler.settings.getint("GONGKAI_ROBOTS_TTL")

    def _key(self, netloc: str) -> str:
        return self.frontier.key(f"robots:{netloc}")

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlsplit(request.url).netloc
        if netloc not in self._parsers:
            try:
                shared = await self._shared(netloc)
            except redis.RedisError:
                shared = None  # fetch it here; the scheduler reports Redis being away
            if shared is not None:
                self._stats.inc_value("gongkai/robots/shared")
                body = shared.get("body")
                parser = (build_from_crawler(self._parserimpl, self.crawler, body.encode("latin-1"))
                          if body is not None else None)
                self._parsers[netloc] = parser
                if parser is not None:  # its Crawl-delay, as if read here
                    await self.crawler.signals.send_catch_log_async(signal=signals.robots_parsed,
                                                                    robotparser=parser, request=request)
        return await super().robot_parser(request)

    async def _shared(self, netloc: str) -> dict[str, Any] | None:
        """The host's robots.txt as another worker published it; None when this worker is to fetch it."""
        key, lock = self._key(netloc), self._key(netloc) + ":lock"
        deadline = time.monotonic() + self.LOCK_SECONDS
        while time.monotonic() < deadline:
            raw = self.frontier.redis.get(key)
            if raw is not None:
                return json.loads(raw)
            if self.frontier.redis.set(lock, self.frontier.url or "1", nx=True, ex=self.LOCK_SECONDS):
                return None
            await asyncio.sleep(0.1)
        return None

    def _publish(self, netloc: str, body: bytes | None) -> None:
        value = json.dumps({"body": body.decode("latin-1") if body is not None else None})
        try:
            self.frontier.redis.set(self._key(netloc), value, ex=self.ttl)
        except redis.RedisError:
            pass  # the others fetch it themselves once the lock expires

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self._publish(netloc, response.body)
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        self._publish(netloc, None)  # as here: no robots.txt to obey
        super()._robots_error(exc, netloc)


class RedisIncrementalMiddleware(IncrementalMiddleware):
    """The incremental skip reading the URL state the writer published (the archive may be elsewhere)."""

    redis_url: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisIncrementalMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.redis_url = crawler.settings.get("REDIS_URL")  # the base takes plain values
        return middleware

    def _state(self, url: str) -> dict[str, Any] | None:
        if self._archive is None:
            self._archive = Frontier.connect(self.redis_url)
        raw = self._archive.redis.hget(self._archive.key("url_state"), url)
        return json.loads(raw) if raw else None

    def close(self) -> None:
        self._archive = None


class RedisBrowserRouter(BrowserRouter):
    """The browser router reading the render rules the writer published."""

    redis_url: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisBrowserRouter:
        router = super().from_crawler(crawler)
        router.redis_url = crawler.settings.get("REDIS_URL")  # the base takes plain values
        return router

    def spider_opened(self) -> None:
        from spiders.browser import _learned

        frontier = Frontier.connect(self.redis_url)
        raw = frontier.redis.get(frontier.key("render_rules"))
        self.rules.update(_learned(rule) for rule in json.loads(raw or "[]"))


class WorkerSpider(ColumnSpider):
    """The column spider on a worker: its seeds come from the frontier, not from ``start()``."""

    async def start(self) -> Any:
        return
        yield  # an async generator that yields nothing


def worker_settings(settings: Any, redis_url: str, worker: str, warc_dir: str | None) -> None:
    """Rewire a crawl's settings for a worker (in place); everything else stays as configured."""
    settings.set("REDIS_URL", redis_url, priority="cmdline")
    settings.set("GONGKAI_WORKER_ID", worker, priority="cmdline")
    settings.set("SCHEDULER", "crawler.distributed.FrontierScheduler", priority="cmdline")
    # The frontier spaces a host's requests for all workers by DOWNLOAD_DELAY; each worker's own
    # downloader keeps only what AutoThrottle adds (it is published to the frontier too). A local
    # delay on top would hold a leased request back until it bunches with another worker's.
    settings.set("GONGKAI_FRONTIER_DELAY", settings.getfloat("DOWNLOAD_DELAY", 0), priority="cmdline")
    settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
    settings.set("DOWNLOAD_DELAY_JITTER", 0, priority="cmdline")
    if warc_dir:
        settings.set("GONGKAI_WARC_DIR", warc_dir, priority="cmdline")
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    for archive_pipeline in ("pipelines.archiving.ArchivePipeline", "pipelines.archiving.ArchiveThreadPipeline"):
        pipelines.pop(archive_pipeline, None)
    pipelines["crawler.distributed.StreamPipeline"] = 800
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    downloader = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    for old, new in (("crawler.middlewares.IncrementalMiddleware", "crawler.distributed.RedisIncrementalMiddleware"),
                     ("spiders.browser.BrowserRouter", "crawler.distributed.RedisBrowserRouter")):
        if old in downloader:
            downloader[new] = downloader.pop(old)
    robots = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"
    downloader[robots] = None
    downloader["crawler.distributed.SharedRobotsTxtMiddleware"] = settings.getdict(
        "DOWNLOADER_MIDDLEWARES_BASE").get(robots, 100)
    settings.set("DOWNLOADER_MIDDLEWARES", downloader, priority="cmdline")
    settings.set("DOWNLOADER", "crawler.sendturn.FrontierDownloader", priority="cmdline")
    spider_mw = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    spider_mw["crawler.leases.LeaseMiddleware"] = 990  # next to the spider: sees its output first
    # next to the engine: sees a page's response first and its output last (crawler.leases.PageEnds)
    orders = {**settings.getdict("SPIDER_MIDDLEWARES_BASE"), **spider_mw}.values()
    spider_mw["crawler.leases.PageEndMiddleware"] = min((o for o in orders if o is not None), default=1) - 1
    settings.set("SPIDER_MIDDLEWARES", spider_mw, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    # progress and summary are the crawl's, shown by `gongkai crawl` / the writer from Redis
    extensions.update({"crawler.extensions.Progress": None, "crawler.extensions.Summary": None})
    settings.set("EXTENSIONS", extensions, priority="cmdline")


def wait_for_crawl(frontier: Frontier, poll: float = 1.0, say: Any = None, wait: bool = True) -> list[str] | None:
    """Block until a crawl is seeded and the writer has published the archive's state; its columns.

    ``wait`` False: None at once when the crawl in Redis is over, rather than waiting for another.
    """
    told = False
    while True:
        meta = {k.decode(): v.decode() for k, v in frontier.redis.hgetall(frontier.key("meta")).items()}
        if meta.get("state") == "running" and meta.get("state_ready") and frontier.columns():
            return frontier.columns()
        if not wait and meta.get("state") == "finished":
            return None
        if not told and say is not None:
            say("waiting for a seeded crawl and its writer (gongkai frontier seed …, gongkai writer …)")
            told = True
        time.sleep(poll)


def run_worker(redis_url: str, settings: Any, warc_dir: str | None = None) -> int:
    """Run one worker until the crawl in ``redis_url`` ends; returns the exit status.

    Raises :class:`FrontierUnavailable` when Redis cannot be reached at start.
    """
    from scrapy.crawler import CrawlerProcess

    frontier = Frontier.connect(redis_url)
    columns = wait_for_crawl(frontier, say=lambda text: logger.warning(text),
                             wait=settings.getbool("GONGKAI_WORKER_WAITS"))
    if columns is None:
        logger.info("the crawl in Redis is over: nothing left for this worker")
        return 0
    worker = worker_id()
    worker_settings(settings, redis_url, worker, warc_dir)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(WorkerSpider)
    process.crawl(crawler, start_urls=columns)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return 0 if stats.get("finish_reason") == "finished" else 1


def unreachable_message(error: FrontierUnavailable) -> str:
    return f"{error}\nIs redis-server running there, and are the URL and password right?"
