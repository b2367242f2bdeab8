"""Politeness at send time on a worker: a leased request leaves only when its host's delay has passed.

The frontier (crawler/frontier.py) sets a host's turn when a request is leased; the worker's
downloader (:class:`FrontierDownloader`, ``DOWNLOADER`` on workers) checks the turn again as the
request leaves, and records the host's send time once its bytes are written, for every worker.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Request
from scrapy.core.downloader import Downloader
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.frontier import Frontier, worker_id
from crawler.leases import LEASE_META

logger = logging.getLogger(__name__)

BROWSER_EVENTS_META = "playwright_page_event_handlers"  # scrapy-playwright's: page event → callable


class FrontierDownloader(Downloader):
    """Scrapy's downloader (``DOWNLOADER`` on workers) that asks the frontier before a request leaves.

    The lease set the host's turn, but a leased request can wait in its worker: in the per-host
    slot behind slow answers (``CONCURRENT_REQUESTS_PER_DOMAIN``), or in a busy event loop on a
    loaded machine. Sent then, it would reach the server close to another worker's request. So
    the frontier compares it with the last request sent to that host (Lua ``SENT``) and holds it
    back until the host's delay has passed.

    The time recorded at the check was not when the bytes left: behind a busy event loop they
    left up to 0.4 s later (measured with bench/distributed.py: check → socket p95 0.21 s,
    socket → server ≤ 0.02 s), so the next request, checked on time, reached the host too
    soon. :func:`_install_wire_turn` writes Scrapy's HTTP(S) requests at once and records the
    time after the write; until then the request holds the host's sending slot (Lua ``SENT``),
    so no other request to the host passes its check on the strength of the earlier check time.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.frontier = Frontier.connect(settings.get("REDIS_URL"), delay=settings.getfloat("GONGKAI_FRONTIER_DELAY"))
        self.stats = crawler.stats
        self.worker = settings.get("GONGKAI_WORKER_ID") or worker_id()
        self._checks = 0
        # A checked request holds its host's sending slot until written: long enough for a
        # connection and a TLS handshake on a slow network, short enough that a worker killed
        # in between holds the host back only that long.
        self.slot_seconds = 10.0
        # a render holds it to the end: its page time, and the browser's start on the first one
        self.render_slot_seconds = settings.getfloat("GONGKAI_BROWSER_PAGE_TIMEOUT") + 30.0
        self.wait_limit = 120.0  # a host's turn never takes this long unless something is wrong
        _install_wire_turn(self.frontier, self.stats)

    async def _download(self, slot: Any, request: Request) -> Response:
        # leased requests, and robots.txt (the one request a worker makes that the frontier did
        # not lease: it goes to the same host)
        if not (request.meta.get(LEASE_META) or request.meta.get("dont_obey_robotstxt")):
            return await super()._download(slot, request)
        host = urlsplit(request.url).hostname or ""
        render = bool(request.meta.get("playwright"))
        slot.transferring.add(request)  # it holds its place in the slot while it waits
        try:
            token = await self._wait_for_turn(host, self.render_slot_seconds if render else self.slot_seconds)
        finally:
            slot.transferring.discard(request)
        if render:
            self._record_browser_requests(request, host)
        try:
            return await super()._download(slot, request)
        finally:
            if token and _WIRE["tokens"].get(host) == token:
                # a render over, or a request never written by the wire (it failed before)
                del _WIRE["tokens"][host]
                try:
                    self.frontier.release(host, token)
                except redis.RedisError:
                    pass  # the slot expires by itself

    def _record_browser_requests(self, request: Request, host: str) -> None:
        """A render's own requests to the host (styles, scripts, list data) count as sends to it.

        Chromium sends them during the render, after the check, and gongkai cannot space them, so
        the render keeps the host's sending slot until it is over (released by :meth:`_download`):
        no other request to the host, from any worker, goes meanwhile. Each of its requests
        answered (or failed) moves the host's recorded send time to that moment (Playwright's
        public page events), so the next request waits the delay after the render's last one.
        An answer comes after its request arrived: recorded late, never early. (Freeing the slot
        at the first answer let another worker's request reach the host 0.03-0.35 s before the
        render's later requests.)
        """
        frontier, stats = self.frontier, self.stats

        def answered(event: Any) -> None:
            browser_request = getattr(event, "request", event)  # a Response, or a failed Request
            if urlsplit(browser_request.url).hostname != host:
                return
            try:
                frontier.written(host)  # no token: the slot stays the render's
                stats.inc_value("gongkai/frontier/written_browser")
            except redis.RedisError:
                pass  # the check's time holds; the scheduler reports Redis being away

        handlers = dict(request.meta.get(BROWSER_EVENTS_META) or {})
        handlers.update(response=answered, requestfailed=answered)
        request.meta[BROWSER_EVENTS_META] = handlers

    async def _wait_for_turn(self, host: str, slot_seconds: float) -> str:
        """Wait until the frontier lets a request to ``host`` go; the token of its sending slot ('' if none)."""
        self._checks += 1
        token = f"{self.worker}:{self._checks}"
        deadline = time.monotonic() + self.wait_limit
        while time.monotonic() < deadline:
            try:
                wait = self.frontier.sent(host, token, slot_seconds)
            except redis.RedisError:
                return ""  # the lease's turn holds; the scheduler reports Redis being away
            if not wait:
                self.stats.inc_value("gongkai/frontier/sent")
                _WIRE["tokens"][host] = token
                return token
            self.stats.inc_value("gongkai/frontier/sent_waited")
            await asyncio.sleep(wait)
        logger.warning("%s: no turn within %.0f s; sending anyway", host, self.wait_limit)
        return ""


# The worker's frontier and stats, for the patched HTTP/1.1 client, and the token of each host's
# checked request not yet written (one at most: the frontier lets no second one pass meanwhile).
_WIRE: dict[str, Any] = {"tokens": {}}


def _install_wire_turn(frontier: Frontier, stats: Any) -> None:
    """Record a host's send time as an HTTP(S) request is written, not when it was checked.

    Twisted's ``HTTP11ClientProtocol.request`` (what Scrapy's HTTP handler calls once it has a
    connection) is wrapped, in worker processes only: the socket is written at once instead of
    on the reactor's next turn, then ``WRITTEN`` moves the host's recorded send time to after
    the write. The wait itself stays before the connection is taken (:meth:`FrontierDownloader._download`):
    a request waiting on an open connection would find it closed by an idle server.

    Twisted has no public hook for "these bytes were written", so this one private name
    (``twisted.web._newclient``) stays; the TLS side uses public interfaces only (see
    :func:`_record_when_written`).
    """
    from twisted.web import _newclient

    _WIRE.update(frontier=frontier, stats=stats)
    if "original" in _WIRE:
        return
    original = _WIRE["original"] = _newclient.HTTP11ClientProtocol.request

    def request(self: Any, wire_request: Any) -> Any:
        result = original(self, wire_request)
        uri = getattr(wire_request, "_parsedURI", None)
        host = uri.host.decode("ascii", "replace").strip("[]") if uri is not None else ""
        if host:
            _record_when_written(self, self.transport, host)
        return result

    _newclient.HTTP11ClientProtocol.request = request


def _record_when_written(protocol: Any, transport: Any, host: str) -> None:
    """Write what ``protocol`` gave ``transport`` to the socket now, then record ``host``'s send time.

    Over HTTPS the transport is Twisted's TLS wrapper, which holds the request back twice: it
    gathers small writes until the reactor's next turn (``BufferingTLSTransport``), and on a new
    connection, where the request is written before the TLS handshake is over, until the
    handshake ends (a round trip later, more on a busy event loop; measured with kernel arrival
    times: up to 0.7 s after the request was handed over). So the time is recorded two reactor
    turns after the handshake has ended (the public ``IHandshakeListener`` the wrapper calls on
    its protocol) or, on a connection already open, after the request was handed over: by then
    the bytes have reached the socket. Recording later than the bytes left is safe (the next
    request waits a little longer); earlier is what let two requests reach a host too close.
    """
    from twisted.internet.interfaces import IHandshakeListener, ISSLTransport
    from zope.interface import alsoProvides

    if not ISSLTransport.providedBy(transport):
        _flush_and_record(transport, host)
        return
    if _handshake_done(transport):
        _after_two_turns(_flush_and_record, transport, host)
        return

    def handshake_completed() -> None:
        _after_two_turns(_flush_and_record, transport, host)

    protocol.handshakeCompleted = handshake_completed
    alsoProvides(protocol, IHandshakeListener)
    _WIRE["stats"].inc_value("gongkai/frontier/written_after_handshake")


def _after_two_turns(function: Any, *args: Any) -> None:
    """Call ``function`` after the reactor's next turn has run what it had queued for it."""
    from twisted.internet import reactor

    reactor.callLater(0, reactor.callLater, 0, function, *args)  # type: ignore[attr-defined]


def _handshake_done(transport: Any) -> bool:
    """Whether a TLS transport's handshake has ended (pyOpenSSL: a Finished message exists)."""
    try:
        return transport.getHandle().get_finished() is not None
    except Exception:  # noqa: BLE001 - not an OpenSSL connection: record at once, as before
        return True


def _flush_and_record(transport: Any, host: str) -> None:
    socket_transport = transport
    while not hasattr(socket_transport, "doWrite") and getattr(socket_transport, "transport", None) is not None:
        socket_transport = socket_transport.transport  # under TLS: the TCP connection it wraps
    if getattr(socket_transport, "connected", False) and hasattr(socket_transport, "doWrite"):
        socket_transport.doWrite()  # now, not after whatever else the event loop has queued
    else:
        return  # not written (a closed connection): the check's time holds
    try:
        _WIRE["frontier"].written(host, _WIRE["tokens"].pop(host, ""))
    except redis.RedisError:
        pass  # the check's time holds; the scheduler reports Redis being away
