"""The browser path: which requests Chromium renders, and how (scrapy-playwright, used as an exception).

Middleware layer of spider → middleware → pipelines → archive. Every request is plain HTTP unless
its ``meta["playwright"]`` is set; this module decides when it is and prepares the page:

- :class:`BrowserOptions` reads the ``GONGKAI_JS*`` / ``GONGKAI_BROWSER_*`` settings in one place
  (the ``PLAYWRIGHT_*`` ones are read by scrapy-playwright itself; all sit in ``crawler/settings.py``);
- :class:`BrowserRouter` (downloader middleware) sends a request to the browser when the spider
  detected that its page needs one, when the archive's ``render_rules`` remember that pages of
  that kind under that path prefix do (``--js auto``), or always (``--js always``);
- :func:`init_page` makes the bytes, not Chromium, decide the encoding: the main document is
  fulfilled with the server's bytes under a ``Content-Type`` whose charset
  :func:`pipelines.encoding.decide_encoding` chose;
- :class:`BrowserDownloadHandler` is scrapy-playwright's handler, started on the first render
  only, with rotating contexts (flat memory) and a deadline per page (hung pages);
- :func:`write_rendered` puts a render into the WARC files: the server's response (when the
  browser fetched it) and the rendered DOM as a ``resource`` record.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.httpobj import urlparse_cached
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod
from twisted.internet.error import TimeoutError as RenderTimeout

from pipelines.encoding import decide_encoding
from pipelines.items import REFUSED_REQUESTS_STAT
from pipelines.urls import path_prefix, surely_page
from spiders.addresses import AddressPolicy, is_ip_literal, start_hosts
from spiders.meta import (
    ADDRESS_META,
    CHALLENGE_META,
    HTTP_BODY_META,
    HTTP_TYPE_META,
    HTTP_WARC_META,
    KIND_META,
    OPEN_PAGE_META,
    REFUSED_META,
    RENDER_AFTER_FETCH_META,
    ROUTED_META,
    SCRIPT_PAGER_META,
    SERVER_META,
    XHR_META,
)

if TYPE_CHECKING:
    from playwright.async_api import Page, Route
    from playwright.async_api import Request as BrowserRequest

    from archive.warc import WarcStore

logger = logging.getLogger(__name__)

JS_MODES = ("auto", "always", "never")
# Kinds of pages the browser may render; list endpoints (adapters) and attachments never.
RENDER_KINDS = ("list", "article")
# Browser sub-requests aborted: the archive keeps text, not pictures, and fonts and media are
# the bulk of a gov page's weight. Scripts, XHR and stylesheets load (they build the content).
BLOCKED_RESOURCE_TYPES = frozenset({"image", "font", "media"})
# Third-party page furniture gov templates load on every page, which never builds content: the
# State Council's 网站找错 widget (in the footer of nearly every .gov.cn template), statistics and
# share buttons. Blocked by host (and its subdomains): one that hangs would hold every render.
BLOCKED_HOSTS: tuple[str, ...] = (
    "zfwzgl.www.gov.cn",  # 政府网站找错 jiucuo.js
    "hm.baidu.com", "cnzz.com", "tajs.qq.com", "google-analytics.com", "googletagmanager.com",  # statistics
    "share.baidu.com", "bdimg.share.baidu.com", "bshare.cn", "jiathis.com",  # share buttons
    "ucap.govcloud.net.cn",  # 开普云 visitor statistics
)
# Chromium's names for the codecs decide_encoding chooses (WHATWG labels), where they differ.
BROWSER_CHARSETS = {"big5hkscs": "big5", "cp950": "big5", "cp936": "gbk"}

CHALLENGE_SECONDS = 15.0  # at most this long for a gateway's script to let the page through
XHR_MAX_ANSWER = 2 * 1024 * 1024  # bytes of one answer kept for reading
_XHR_TYPES = ("json", "javascript", "text/plain", "text/html", "xml")
CONTEXT_PREFIX = "gongkai-"


@dataclass(frozen=True)
class BrowserOptions:
    """gongkai's browser settings, read once.

    ``BrowserOptions.from_settings(crawler.settings)``; ``mode_for("www.x.gov.cn")`` says how a
    host's pages are fetched: ``auto`` (HTTP; the browser for pages detected or remembered as
    script-built), ``always`` (every list and article page in the browser) or ``never``.
    """

    mode: str = "auto"
    sites: dict[str, str] = field(default_factory=dict)
    page_timeout: float = 60.0  # seconds for one render, request to DOM
    context_pages: int = 500  # renders per browser context before a fresh one (0: never rotate)
    settle: float = 1.5  # seconds to wait for the network to go quiet after load (XHR lists)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> BrowserOptions:
        sites = settings.get("GONGKAI_JS_SITES") or {}
        if isinstance(sites, str):
            sites = json.loads(sites)
        options = cls(
            mode=str(settings.get("GONGKAI_JS")).lower(),
            sites={str(k): str(v).lower() for k, v in dict(sites).items()},
            page_timeout=settings.getfloat("GONGKAI_BROWSER_PAGE_TIMEOUT"),
            context_pages=settings.getint("GONGKAI_BROWSER_CONTEXT_PAGES"),
            settle=settings.getfloat("GONGKAI_BROWSER_SETTLE"),
        )
        bad = [m for m in (options.mode, *options.sites.values()) if m not in JS_MODES]
        if bad:
            raise ValueError(f"GONGKAI_JS / GONGKAI_JS_SITES: {bad[0]!r} is not one of {', '.join(JS_MODES)}")
        return options

    def mode_for(self, host: str | None) -> str:
        return self.sites.get(host or "", self.mode)

    @property
    def renders_anything(self) -> bool:
        return self.mode != "never" or any(m != "never" for m in self.sites.values())


def abort_request(request: BrowserRequest) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST``: drop images, fonts, media and third-party page furniture."""
    if request.resource_type in BLOCKED_RESOURCE_TYPES:
        return True
    host = urlsplit(request.url).hostname or ""
    return any(host == blocked or host.endswith("." + blocked) for blocked in BLOCKED_HOSTS)


def with_charset(content_type: str | None, charset: str) -> str:
    """A Content-Type naming ``charset`` (replacing any charset it named) for the browser.

    >>> with_charset("text/html; charset=utf-8", "gb18030"), with_charset(None, "big5hkscs")
    ('text/html; charset=gb18030', 'text/html; charset=big5')
    """
    charset = BROWSER_CHARSETS.get(charset, charset)
    base = re.sub(r";\s*charset=[^;]*", "", content_type or "text/html", flags=re.I).strip() or "text/html"
    return f"{base}; charset={charset}"


async def settle(page: Page, seconds: float) -> None:
    """Give script loaders (XHR lists) time to finish: wait for network idle, at most ``seconds``."""
    from playwright.async_api import Error as PlaywrightError

    with suppress(PlaywrightError):
        await page.wait_for_load_state("networkidle", timeout=seconds * 1000)


async def pass_challenge(page: Page, seconds: float) -> None:
    """Let an anti-bot gateway's script run: wait until the page is no longer its challenge.

    The script sets a cookie and reloads (or redirects), so the page navigates again after the
    first load; reading the DOM mid-navigation fails. Bounded by ``seconds``.
    """
    from playwright.async_api import Error as PlaywrightError

    from spiders.challenge import challenge_reason

    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        with suppress(PlaywrightError):
            await page.wait_for_load_state("load", timeout=1000)
            if challenge_reason(200, await page.content()) is None:
                await settle(page, 1.0)
                return
        await asyncio.sleep(0.2)


async def init_page(page: Page, request: Request) -> None:
    """``playwright_page_init_callback``: serve the main document from bytes gongkai decoded itself.

    Chromium trusts a ``Content-Type`` charset as blindly as Scrapy does, so a GBK page served as
    ``charset=utf-8`` would be garbled before any script runs. The main document is therefore
    fulfilled from bytes whose encoding :func:`decide_encoding` chose: the HTTP fetch's own bytes
    when the page was fetched before (no second request to the server), else the bytes the
    browser fetches here (kept in ``meta`` for the WARC record). Other requests of the page take
    scrapy-playwright's route (header override, resource blocking): routes registered later run
    first, and :meth:`Route.fallback` hands on.
    """
    request.meta[OPEN_PAGE_META] = page
    body: bytes | None = request.meta.get(HTTP_BODY_META)
    content_type: str | None = request.meta.get(HTTP_TYPE_META)
    user_agent = request.headers.get("User-Agent")
    referer = request.headers.get("Referer")
    served = False

    async def main_document(route: Route) -> None:
        nonlocal served
        req = route.request
        try:
            is_main = req.is_navigation_request() and req.frame.parent_frame is None
        except Exception:  # noqa: BLE001 - service-worker requests have no frame
            is_main = False
        if served or not is_main:
            refusal = await _refusal(request.meta.get(ADDRESS_META), req.url)
            if refusal is not None:
                # a page script's request to the intranet or a metadata service: never sent
                request.meta.setdefault(REFUSED_META, []).append(f"{refusal}: {req.url}")
                await route.abort("blockedbyclient")
                return
            await route.fallback()
            return
        served = True
        if body is not None:
            await route.fulfill(status=200, headers={"content-type": content_type or "text/html"}, body=body)
            return
        headers = dict(req.headers)
        if user_agent:
            headers["user-agent"] = user_agent.decode("latin-1")
        if referer:
            headers["referer"] = referer.decode("latin-1")
        try:
            fetched = await route.fetch(headers=headers)
        except Exception:  # noqa: BLE001 - refused, reset, timed out: the navigation fails with it
            await route.abort("failed")
            return
        if urlsplit(fetched.url).hostname != urlparse_cached(request).hostname:
            # A redirect off the site: the same-host rule holds in the browser too.
            await route.abort("blockedbyclient")
            return
        raw = await fetched.body()
        kept = [(h["name"], h["value"]) for h in fetched.headers_array
                if h["name"].lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        served_type = fetched.headers.get("content-type")
        request.meta[SERVER_META] = {"url": fetched.url, "status": fetched.status, "headers": kept,
                                     "body": raw, "request_headers": list(headers.items())}
        out = {k: v for k, v in kept if k.lower() != "content-type"}
        if served_type is None or "html" in served_type.lower():
            out["content-type"] = with_charset(served_type, decide_encoding(raw, served_type).chosen)
        else:
            out["content-type"] = served_type
        await route.fulfill(status=fetched.status, headers=out, body=raw)

    await page.route("**", main_document)
    if request.meta.get(KIND_META) == "list":
        page.on("response", _xhr_recorder(request))


async def _refusal(policy: AddressPolicy | None, url: str) -> str | None:
    """Why a page's sub-request to ``url`` must not leave the browser, or None.

    Resolved here with the system resolver; Chromium resolves again when it connects, so
    a name re-pointed in between (DNS rebinding within seconds) is not caught: the plain HTTP
    path, which connects to the very address it checked, is the strict one.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if policy is None or parts.scheme not in ("http", "https", "ws", "wss") or policy.exempt(host):
        return None
    if is_ip_literal(host):
        return policy.refusal(host, [host])
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, parts.port or None)
    except OSError:
        return None  # unresolvable: Chromium's own request fails the same way
    return policy.refusal(host, [str(info[4][0]) for info in infos])


# Finds the list's "next page" control that has no real href (a <button>/<span> whose click
# handler sets location.href or calls window.open) and keeps it for the click below.
_FIND_SCRIPT_NEXT_JS = """(texts) => {
  const norm = (s) => (s || '').replace(/\\s+/g, '');
  const tags = 'button, span, a, input[type=button], input[type=submit], li, div, em, font, label';
  for (const el of document.querySelectorAll(tags)) {
    const text = el.tagName === 'INPUT' ? norm(el.value) : norm(el.textContent);
    if (!texts.includes(text)) continue;
    const href = (el.getAttribute('href') || '').trim().toLowerCase();
    if (href && !href.startsWith('javascript') && href !== '#') continue;
    if (el.disabled || /disabled/.test(el.className || '')) continue;
    if (!el.getAttribute('onclick') && !href.startsWith('javascript')) continue;
    window.__gongkaiNext = el;
    return true;
  }
  return false;
}"""
# Clicks it with window.open replaced by a recorder: the URL a popup would have opened.
_CLICK_SCRIPT_NEXT_JS = """() => {
  let opened = null;
  window.open = (url) => { opened = new URL(String(url), location.href).href; return null; };
  window.__gongkaiNext.click();
  return opened;
}"""
# How long a click's navigation may take to start (a handler may compute the URL first).
SCRIPT_PAGER_WAIT = 1.5


async def read_script_pager(page: Page) -> str | None:
    """Where a list's script-driven 下一页 control leads, read by clicking it; None if nowhere.

    Some 区县 and 站群 list templates page with a ``<button onclick="location.href=…">`` or a
    ``<span onclick="window.open(…)">``: no link, no XHR. The click's main-frame navigation is
    caught and aborted (the rendered page stays the one archived) and ``window.open`` records
    instead of opening; :func:`spiders.column` requests the URL as the next list page.
    """
    from playwright.async_api import Error as PlaywrightError

    from spiders.paging import NEXT_TEXTS

    try:
        if not await page.evaluate(_FIND_SCRIPT_NEXT_JS, sorted(NEXT_TEXTS)):
            return None
    except PlaywrightError:
        return None
    targets: list[str] = []

    async def catch(route: Route) -> None:
        req = route.request
        try:
            is_main = req.is_navigation_request() and req.frame.parent_frame is None
        except Exception:  # noqa: BLE001 - service-worker requests have no frame
            is_main = False
        if is_main:
            targets.append(req.url)
            await route.abort("aborted")
            return
        await route.fallback()

    await page.route("**", catch)
    try:
        with suppress(PlaywrightError):
            opened = await page.evaluate(_CLICK_SCRIPT_NEXT_JS)
            if opened:
                return opened
        deadline = asyncio.get_running_loop().time() + SCRIPT_PAGER_WAIT
        while not targets and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
    finally:
        with suppress(PlaywrightError):
            await page.unroute("**", catch)
    return targets[0] if targets else None


def script_pager_target(meta: dict[str, Any]) -> str | None:
    """The URL :func:`read_script_pager` read during a list page's render, if any."""
    for method in meta.get("playwright_page_methods") or ():
        if getattr(method, "method", None) is read_script_pager:
            result = getattr(method, "result", None)
            return result if isinstance(result, str) else None
    return None


def _xhr_recorder(request: Request) -> Any:
    """A ``response`` listener keeping the same-host XHR/fetch answers of a list page's render."""
    seen: list[dict[str, Any]] = request.meta.setdefault(XHR_META, [])
    host = urlparse_cached(request).hostname

    async def record(response: Any) -> None:
        req = response.request
        if req.resource_type not in ("xhr", "fetch") or urlsplit(response.url).hostname != host:
            return
        kind = (response.headers.get("content-type") or "").lower()
        if response.status != 200 or not any(t in kind for t in _XHR_TYPES):
            return
        with suppress(Exception):  # the page may close first: then it is simply not recorded
            raw = await response.body()
            if len(raw) <= XHR_MAX_ANSWER:
                seen.append({"url": response.url, "method": req.method, "body": req.post_data,
                             "answer": raw.decode("utf-8", "replace")})

    return record


def _learned(rule: dict[str, Any]) -> tuple[tuple[str, str, str], str]:
    return (rule["host"], rule["kind"], rule["path_prefix"]), rule["renderer"]


class BrowserRouter:
    """Downloader middleware: mark the requests the browser renders, and prepare their pages.

    A request already marked ``playwright`` (the spider found its page script-built) keeps the
    mark unless its host is ``never``; with ``--js always`` every list and article page is
    marked; with ``--js auto`` pages whose (host, kind, path prefix) the archive's
    ``render_rules`` send to the browser go there straight. Rules are read once at start and
    learnt from items (``item.render_rule``) during the crawl. Requests with an explicit
    ``meta["playwright"] = False`` (attachments, list endpoints) are never touched. Stats:
    ``gongkai/render/<why>``.
    """

    def __init__(self, options: BrowserOptions, db_path: str, stats: StatsCollector, spider: Spider | None = None,
                 allow_private: bool = False) -> None:
        """``db_path`` is the archive holding the render rules; the pages rendered may reach
        private addresses only on ``spider``'s start hosts, or anywhere with ``allow_private``."""
        self.options = options
        self.db_path = db_path
        self.stats = stats
        self.spider = spider
        self.allow_private = allow_private
        self.rules: dict[tuple[str, str, str], str] = {}
        self.policy: AddressPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserRouter:
        settings = crawler.settings
        options = BrowserOptions.from_settings(settings)
        if not options.renders_anything:
            raise NotConfigured
        router = cls(options, settings.get("GONGKAI_DB"), crawler.stats, crawler.spider,
                     settings.getbool("GONGKAI_ALLOW_PRIVATE"))
        crawler.signals.connect(router.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(router.item_scraped, signal=signals.item_scraped)
        return router

    def spider_opened(self) -> None:
        from archive.store import Archive

        archive = Archive(self.db_path)
        try:
            self.rules.update(_learned(rule) for rule in archive.render_rules())
        finally:
            archive.close()

    def item_scraped(self, item: Any) -> None:
        rule = getattr(item, "render_rule", None)
        if rule:
            key, renderer = _learned(rule)
            self.rules[key] = renderer

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        meta = request.meta
        if "playwright" in meta and not meta["playwright"]:
            return None
        host = urlparse_cached(request).hostname
        mode = self.options.mode_for(host)
        if meta.get("playwright"):
            if mode == "never":
                meta["playwright"] = False
                return None
            return self._prepare(request, meta.get(ROUTED_META, "detected"))
        kind = meta.get(KIND_META)
        if kind not in RENDER_KINDS:
            return None
        if mode == "always":
            return self._route(request, "always")
        if mode == "auto" and self.rules.get((host or "", kind, path_prefix(request.url))) == "browser":
            return self._route(request, "rule")
        return None

    def _route(self, request: Request, why: str) -> None:
        if surely_page(request.url):
            return self._prepare(request, why)
        request.meta[RENDER_AFTER_FETCH_META] = why
        self.stats.inc_value(f"gongkai/render/{why}_after_fetch")
        return None

    def _prepare(self, request: Request, why: str) -> None:
        meta = request.meta
        meta["playwright"] = True
        meta[ROUTED_META] = why
        meta["playwright_page_init_callback"] = "spiders.browser.init_page"
        if self.policy is None:
            self.policy = AddressPolicy(frozenset(start_hosts(self.spider)), self.allow_private)
        meta[ADDRESS_META] = self.policy
        methods = [PageMethod(settle, self.options.settle)] if self.options.settle > 0 else []
        if meta.get(SCRIPT_PAGER_META):
            # a list whose 下一页 is an onclick that navigates: click it (only then: a click on a
            # single-page app's button would change the very list being rendered)
            methods.append(PageMethod(read_script_pager))
        if methods:
            meta.setdefault("playwright_page_methods", methods)
        self.stats.inc_value(f"gongkai/render/{why}")
        return None


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's download handler, made lazy, rotated and bounded in time.

    - Lazy: the Playwright driver starts at the first render, not at engine start, so a crawl
      that renders nothing starts neither the driver nor Chromium.
    - Rotated: pages go to context ``gongkai-<n>``; after ``GONGKAI_BROWSER_CONTEXT_PAGES``
      renders a new context takes over and the old one is closed once its last page is done
      (long-lived contexts grow without bound: scrapy-playwright #171, #240).
    - Bounded: a render taking longer than ``GONGKAI_BROWSER_PAGE_TIMEOUT`` closes its page and
      fails with a TimeoutError (retried like a network timeout); a script that never yields
      would otherwise hold the page forever.
    - A crashed browser is relaunched by scrapy-playwright (PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER).
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        options = BrowserOptions.from_settings(crawler.settings)
        self.page_timeout = options.page_timeout
        self.context_pages = options.context_pages
        self._start_lock = asyncio.Lock()
        self._generation = 0
        self._renders = 0
        self._inflight: Counter[str] = Counter()
        self._closing: set[str] = set()

    async def _maybe_launch_in_thread(self) -> None:
        return None  # started by the first render instead (see _ensure_started)

    def _engine_started(self) -> None:  # the pre-2.14 Scrapy hook, same reason
        return None

    async def _ensure_started(self) -> None:
        async with self._start_lock:
            if getattr(self, "browser_provider", None) is None:
                await self._launch()
                # Launch Chromium here, before any page's deadline runs: a slow start-up on a
                # loaded machine must not count against the first pages.
                await self._maybe_launch_browser()
                self.stats.set_value("gongkai/browser/started", True)

    @property
    def _current(self) -> str:
        return f"{CONTEXT_PREFIX}{self._generation}"

    def _context_for_next_page(self) -> str:
        if self.context_pages > 0 and self._renders >= self.context_pages:
            self._generation += 1
            self._renders = 0
        self._renders += 1
        return self._current

    async def _close_retired_contexts(self) -> None:
        """Close the contexts of earlier generations that no page is using any more."""
        for name in [n for n in self.context_wrappers if n.startswith(CONTEXT_PREFIX) and n != self._current]:
            if self._inflight.get(name, 0) > 0 or name in self._closing:
                continue  # still rendering: closed after its last page (see _download_request)
            self._closing.add(name)
            self._inflight.pop(name, None)
            with suppress(Exception):
                await self.context_wrappers[name].context.close()
            self._closing.discard(name)
            self.stats.inc_value("gongkai/browser/contexts_closed")

    async def _share_cookies(self, context: str, request: Request, response: Response) -> None:
        """Hand the cookies the browser earned on a challenge to plain HTTP.

        Added to the rendered response as ``Set-Cookie``: Scrapy's cookie middleware puts them
        in its jar, so the site's other pages and files pass the gateway without a browser
        (where the gateway ties its cookie to the browser, they meet the challenge again and
        are rendered one by one).
        """
        wrapper = self.context_wrappers.get(context)
        if wrapper is None:
            return
        with suppress(Exception):
            for cookie in await wrapper.context.cookies([request.url]):
                response.headers.appendlist("Set-Cookie", f"{cookie['name']}={cookie['value']}; "
                                                          f"Path={cookie.get('path') or '/'}")
            self.stats.inc_value("gongkai/browser/challenge_cookies_shared")

    async def _download_request(self, request: Request, spider: Spider | None = None) -> Response:
        await self._ensure_started()
        name = self._context_for_next_page()
        request.meta["playwright_context"] = name
        self._inflight[name] += 1
        await self._close_retired_contexts()
        try:
            response = await asyncio.wait_for(super()._download_request(request, spider), self.page_timeout)
            if request.meta.get(CHALLENGE_META):
                await self._share_cookies(name, request, response)
            return response
        except asyncio.TimeoutError:
            self.stats.inc_value("gongkai/browser/timeout")
            page = request.meta.get(OPEN_PAGE_META)
            if page is not None:
                with suppress(Exception):
                    await page.close()
            raise RenderTimeout(f"browser render took longer than {self.page_timeout:g} s") from None
        finally:
            request.meta.pop(OPEN_PAGE_META, None)
            refused = request.meta.pop(REFUSED_META, None)
            if refused:
                # the archive pipeline makes each one a crawl alert (summary, crawls.alerts)
                self.stats.inc_value("gongkai/address/refused", len(refused))
                known = self.stats.get_value(REFUSED_REQUESTS_STAT) or []
                self.stats.set_value(REFUSED_REQUESTS_STAT, [*known, *refused])
                logger.warning("%s: the browser refused %s", request.url, "; ".join(refused))
            self._inflight[name] -= 1
            await self._close_retired_contexts()


def write_rendered(store: WarcStore, request: Request, response: Response) -> dict[str, Any]:
    """WARC records of a browser render; returns where the rendered DOM was written.

    When the browser fetched the page itself (:data:`SERVER_META`), the server's answer goes in
    as request/response records first (its payload as the browser received it, transfer and
    content encodings undone). The rendered DOM follows as a ``resource`` record, concurrent to
    that response, or to the earlier HTTP fetch whose bytes the browser was given.
    """
    from archive.warc import Exchange

    concurrent = request.meta.get(HTTP_WARC_META)
    server = request.meta.get(SERVER_META)
    if server:
        status = int(server["status"])
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        location = store.write(Exchange(
            url=server["url"], method="GET", request_headers=server["request_headers"], status=status,
            reason=reason, protocol="HTTP/1.1", response_headers=server["headers"], body=server["body"],
        ))
        concurrent = location.record_id
    content_type = response.headers.get("Content-Type")
    dom = store.write_resource(response.url, response.body,
                               content_type.decode("latin-1") if content_type else "text/html",
                               concurrent_to=concurrent)
    return {"file": dom.filename, "offset": dom.offset, "length": dom.length, "record_id": dom.record_id}
