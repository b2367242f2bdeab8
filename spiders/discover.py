"""Walk a portal from its homepage to find its annual-report column (the crawling side of discovery).

The spider fetches the homepage, then in order of promise: pages a link names as the column
(to read their own entries), frames, script redirects, menu scripts and the JSON a script
fetches its menu from, then hub pages (政府信息公开, 公开目录 …) up to
``GONGKAI_DISCOVER_MAX_DEPTH`` links down, never more than ``GONGKAI_DISCOVER_MAX_PAGES`` pages a
portal. Only the homepage's host and its sibling hosts (``xxgk.x.gov.cn`` beside ``www.x.gov.cn``)
are visited. A page whose menu is written by script is rendered in the browser (the project's
render path, :mod:`spiders.browser`) only when its static HTML showed no candidate.

All weighing is :mod:`pipelines.discovery`; this spider yields no items and writes nothing:
``spider.rankings`` and ``spider.errors`` hold the outcome for the caller.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.httpobj import urlparse_cached
from twisted.python.failure import Failure

from pipelines.discovery import (
    PageScan,
    Ranking,
    in_portal,
    is_hub,
    portal_key,
    read_data,
    read_page,
    read_script,
)
from spiders.browser import BrowserOptions

HOMEPAGE_META = "gongkai_homepage"
DEPTH_META = "gongkai_discover_depth"
KIND_META = "gongkai_discover_kind"  # page / script / data
RENDERED_META = "gongkai_discover_rendered"


class PortalHosts(set):
    """Hosts a discovery may fetch: those added, and any sibling host of their portals, so a
    redirect from ``x.gov.cn`` to ``www.x.gov.cn`` passes the same-host rule of the crawl's
    middlewares (which ask ``host in spider.allowed_hosts``)."""

    def __contains__(self, host: object) -> bool:
        return set.__contains__(self, host) or (
            isinstance(host, str) and portal_key(host) in {portal_key(h) for h in set.__iter__(self)})


class DiscoverSpider(scrapy.Spider):
    """``scrapy crawl discover -a homepages=URL[,URL…]`` or ``gongkai discover URL…``."""

    name = "discover"
    # Discovery reads portals; it archives nothing and writes no WARC (a crawl of the column does).
    custom_settings = {"ITEM_PIPELINES": {}, "GONGKAI_WARC": False, "GONGKAI_SUMMARY": False,
                       "GONGKAI_PROGRESS_INTERVAL": 0, "DEPTH_PRIORITY": 0}

    def __init__(self, homepages: list[str] | str = (), max_pages: int = 60, max_depth: int = 3,
                 known: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(homepages, str):
            homepages = [u for u in homepages.split(",") if u]
        if not homepages:
            raise ValueError("give at least one homepage URL")
        self.homepages = list(homepages)
        # the hosts the user named: the address guard (crawler/middlewares.py) lets these be
        # private (a portal on an intranet or on loopback in tests); sibling portals must be public
        self.start_hosts = {urlsplit(h).hostname for h in self.homepages}
        self.max_pages, self.max_depth = int(max_pages), int(max_depth)
        self.rankings = {h: Ranking(h) for h in self.homepages}
        self.errors: dict[str, str] = {}
        # Columns already known (the registry): checked first; the portal is walked only when
        # one answers an error or redirects to the homepage (columns move in redesigns).
        self.known = dict(known or {})
        self.confirmed: dict[str, str] = {}
        self.titles: dict[str, str] = {}  # homepage -> its <title>, to name a body the registry lacks
        self._budget = {h: self.max_pages for h in self.homepages}
        self._seen: set[tuple[str, str]] = set()
        # The hosts this spider may fetch (the same-host rule of crawler/middlewares.py asks
        # these; the address guard asks start_hosts): the homepages' and known columns' hosts and
        # their portals' sibling hosts, so a redirect off the portal is refused, not followed.
        self.allowed_hosts = PortalHosts(urlsplit(u).hostname or "" for u in [*self.homepages, *self.known.values()])
        self.browser = BrowserOptions()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> DiscoverSpider:
        settings = crawler.settings
        kwargs.setdefault("max_pages", settings.getint("GONGKAI_DISCOVER_MAX_PAGES"))
        kwargs.setdefault("max_depth", settings.getint("GONGKAI_DISCOVER_MAX_DEPTH"))
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.browser = BrowserOptions.from_settings(settings)
        return spider

    async def start(self) -> Any:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        for homepage in self.homepages:
            if homepage in self.known:
                request = self._request(self.known[homepage], homepage, 0, "known", priority=30)
            else:
                request = self._request(homepage, homepage, 0, "page", priority=20)
            if request is not None:
                yield request

    def _request(self, url: str, homepage: str, depth: int, kind: str, priority: int = 0,
                 render: bool = False) -> scrapy.Request | None:
        key = (homepage, url)
        if (key in self._seen and not render) or self._budget[homepage] <= 0:
            return None
        self._seen.add(key)
        self.allowed_hosts.add(urlsplit(url).hostname or "")
        self._budget[homepage] -= 1
        meta = {HOMEPAGE_META: homepage, DEPTH_META: depth, KIND_META: kind, "handle_httpstatus_list": [404, 410]}
        if render:
            meta.update({"playwright": True, RENDERED_META: True})
        return scrapy.Request(url, callback=self.parse, errback=self.failed, meta=meta, priority=priority,
                              dont_filter=True)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        meta = response.meta
        homepage, depth, kind = meta[HOMEPAGE_META], meta[DEPTH_META], meta[KIND_META]
        ranking = self.rankings[homepage]
        if kind == "known":
            if response.status < 400 and response.url.rstrip("/") != homepage.rstrip("/"):
                self.confirmed[homepage] = response.url
                return
            self.logger.info("discover: known column %s answered %s at %s: walking %s again",
                             response.request.url, response.status, response.url, homepage)
            request = self._request(homepage, homepage, 0, "page", priority=20)
            if request is not None:
                yield request
            return
        if response.status >= 400 or not isinstance(response, TextResponse):
            if response.request.url == homepage:
                self.errors[homepage] = f"homepage answered HTTP {response.status}"
            return
        if not in_portal(response.url, homepage):
            self.logger.info("discover: %s left the portal for %s", response.request.url, response.url)
            return
        text = response.text
        if kind == "script":
            scan = read_script(text, response.url)
        elif kind == "data":
            scan = read_data(text, response.url)
        else:
            scan = read_page(text, response.url)
        ranking.add_links(scan.links)
        origin = (meta.get("redirect_urls") or [response.request.url])[0]
        if kind == "page" and scan.title and (depth == 0 or homepage not in self.titles):
            self.titles.setdefault(homepage, scan.title)
        if kind == "page":
            ranking.add_page(origin, response.url, scan)
            if response.url != origin:
                ranking.add_page(response.url, response.url, scan)
        yield from self._follow(scan, homepage, depth, ranking)
        # Script-built menus: render once in the browser when the static page showed nothing.
        if (kind == "page" and scan.scripts_only and not meta.get(RENDERED_META)
                and self.browser.mode_for(urlparse_cached(response).hostname) != "never"
                and not any(ranking.wants(link.url) for link in scan.links)):
            request = self._request(response.url, homepage, depth, "page", priority=15, render=True)
            if request is not None:
                yield request

    def _follow(self, scan: PageScan, homepage: str, depth: int, ranking: Ranking) -> Iterator[scrapy.Request]:
        for url, kind in scan.follow:
            if in_portal(url, homepage):
                request = self._request(url, homepage, depth + (kind == "page"), kind, priority=10)
                if request is not None:
                    yield request
        for link in scan.links:
            if not in_portal(link.url, homepage):
                continue
            if ranking.wants(link.url):
                request = self._request(link.url, homepage, depth + 1, "page", priority=12)
            elif depth < self.max_depth and is_hub(link):
                request = self._request(link.url, homepage, depth + 1, "page", priority=5 - depth)
            else:
                continue
            if request is not None:
                yield request

    def failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        request = failure.request
        homepage = request.meta[HOMEPAGE_META]
        if request.meta[KIND_META] == "known":
            if (again := self._request(homepage, homepage, 0, "page", priority=20)) is not None:
                yield again
            return
        if request.url == homepage:
            self.errors[homepage] = f"homepage could not be fetched: {failure.getErrorMessage()}"
        self.logger.info("discover: %s failed: %s", request.url, failure.getErrorMessage())
