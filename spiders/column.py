"""The ``column`` spider: walk a disclosure column's list pages and fetch every entry.

``scrapy crawl column -a start_url=URL`` (or ``gongkai crawl URL …``). Every fetch — list page,
article, or failure — becomes a :class:`pipelines.items.PageItem`; extraction and archiving
happen in the pipelines. An article page is not parsed here: the crawl's extraction workers
(:class:`pipelines.extracting.PageReader`) read it once and the spider schedules what that
reading asks for (its render, its files, its later pages).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy_playwright.page import PageMethod
from twisted.python.failure import Failure

from archive.store import utc_now
from pipelines.discovery import scan_tree, sub_columns
from pipelines.encoding import decode_body
from pipelines.extract import article_page_urls
from pipelines.extracting import PageReader
from pipelines.htmltext import parse_html
from pipelines.items import UNFOLLOWED_PAGERS_STAT, PageItem
from pipelines.render import article_render_reason, list_render_reason
from pipelines.urls import first_page_alias, is_page_url, path_prefix
from spiders import adapters
from spiders.adapters import xhrlist
from spiders.browser import CHALLENGE_SECONDS, BrowserOptions, pass_challenge, script_pager_target, with_charset
from spiders.challenge import CHALLENGE_STATUSES, challenge_reason
from spiders.links import ListEntry, find_entries, list_attachments
from spiders.meta import (
    ADAPTER_CALL_META,
    CHALLENGE_META,
    COLUMN_META,
    DATE_META,
    ENCODING_META,
    FIRST_PAGE_META,
    FROM_META,
    HTTP_BODY_META,
    HTTP_TYPE_META,
    HTTP_WARC_META,
    KIND_META,
    LINK_META,
    PAGE_META,
    PAGES_LEFT_META,
    RENDER_AFTER_FETCH_META,
    RENDER_META,
    ROUTED_META,
    SCRIPT_PAGER_META,
    SERVER_META,
    SKIPPED_META,
    TITLE_META,
    WARC_META,
    XHR_META,
)
from spiders.paging import find_list_pages, page_position, pager_text, script_pager, unfollowable_pager

# short local names for the meta keys (spiders/meta.py) this spider reads most
_KIND, _COLUMN, _TITLE, _DATE = KIND_META, COLUMN_META, TITLE_META, DATE_META
_PAGE, _FROM, _LINK, _CALL = PAGE_META, FROM_META, LINK_META, ADAPTER_CALL_META
_FIRST, _REST = FIRST_PAGE_META, PAGES_LEFT_META


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
    if "Cancelled" in name or "max size" in text or "DOWNLOAD_MAXSIZE" in text:
        # Scrapy's size cap, on the bytes received or (a gzip/brotli bomb) while inflating them
        return f"oversize: {text}", None
    if text == "max redirections reached":
        return f"too many redirects: {text} (REDIRECT_MAX_TIMES)", None
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
        # entries already listed, per column: a script pager is followed while pages bring new ones
        self._listed: dict[str, dict[str, str]] = {}  # column → entry URL → list page that first had it
        # list page URLs requested per column (GONGKAI_MAX_LIST_PAGES), columns that reached it
        self._list_pages: dict[str, set[str]] = {}
        self._capped: set[str] = set()
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
        if not response.body.strip():
            yield self._item(response, "list", error=f"empty body: HTTP {response.status} with no content")
            return
        html = response.text
        if self._still_challenged(response):
            yield self._item(response, "list", error=f"{response.meta[CHALLENGE_META]}, not passed in the browser")
            return
        tree = parse_html(html)
        max_pages = self.settings.getint("GONGKAI_MAX_LIST_PAGES")
        entries = find_entries(tree, response.url, column)
        files = list_attachments(tree, response.url)
        # The list's data endpoint, when the page names one an adapter knows (no browser needed).
        embedded = adapters.inline(html, response.url, column)
        if embedded is None:
            calls = adapters.detect(html, response.url, column)
        else:  # the page holds the endpoint's first answer: read it, ask for the rest
            known = {e.url for e in entries}
            entries = entries + [e for e in embedded[0] if e.url not in known]
            calls = embedded[1]
        pages = [url for url in find_list_pages(html, tree, response.url, max_pages)
                 if not first_page_alias(url, response.url) and not first_page_alias(url, column)]
        reason = None if entries or calls else list_render_reason(html, tree)
        if reason is None and not pages and not calls and (control := script_pager(tree)):
            # 下一页 is a button whose script navigates: only a browser can say where to
            reason = f"script pager ({control})"
        rule, render = self._render(
            response, "list", reason,
            lambda server_html: self._list_needs_browser(server_html, response.url, column))
        if render is not None and reason is not None and reason.startswith("script pager"):
            render.meta[SCRIPT_PAGER_META] = True  # the render clicks 下一页 to learn where it leads
        if render is None and response.meta.get(RENDER_AFTER_FETCH_META) and not response.meta.get("playwright"):
            # routed to the browser (--js always, a remembered rule) and HTML after all: render
            # these bytes; the render's own parse reads the list, so nothing is followed twice
            yield self._item(response, "list")
            yield self._render_request(response, "list", {}, response.meta[RENDER_AFTER_FETCH_META])
            return
        yield self._item(response, "list", attachments=files, entries=len(entries), render_rule=rule)
        # Year folders and per-agency sub-columns are parts of this column, not its articles.
        folders = sub_columns(scan_tree(tree, response.url, neighbours=False).links, response.url)
        if folders:
            entries = [e for e in entries if e.url not in set(folders)]
            for url in folders:
                yield self._list_request(url, column)
        # new entries: not listed by another page (the render of a page fetched over HTTP
        # first lists the same entries again, and they are still this page's own)
        listed = self._listed.setdefault(column, {})
        fresh = [link for link in [e.url for e in entries] + [f["url"] for f in files]
                 if listed.setdefault(link, response.url) == response.url]  # every one registered
        for url in self._bounded_pages(response, column, bool(entries or files), bool(fresh), pages, max_pages):
            yield self._list_request(url, column)
        followed = False
        if response.meta.get("playwright"):
            # An app's list paged by buttons: the render shows page 1; the list endpoint its
            # script asked (recorded by spiders.browser) names the other pages, read over HTTP.
            for xhr in response.meta.get(XHR_META) or ():
                calls += xhrlist.from_network(xhr["url"], xhr["method"], xhr["body"], xhr["answer"],
                                              response.url, column)
            if not pages and not calls:
                nxt = self._script_next(response, tree, bool(fresh))
                if nxt is not None:
                    followed = True
                    yield nxt
        # a pager saying "第1/5页" with nothing followed (no page, no endpoint, no render to come)
        shown = pager_text(tree) if not calls and render is None and not followed else ""
        if not pages and (why := unfollowable_pager(html, pages, shown)):
            # the column is only partly crawled: say so rather than look like a short column
            self.logger.warning("cannot follow the pager of %s: %s", response.url, why)
            self.crawler.stats.inc_value("gongkai/list/unfollowable_pager")
            # the archive pipeline turns these into crawl alerts (summary and crawls.alerts)
            pagers = self.crawler.stats.get_value(UNFOLLOWED_PAGERS_STAT) or []
            self.crawler.stats.set_value(UNFOLLOWED_PAGERS_STAT, [*pagers, f"{why}: {response.url}"])
        for call in calls:
            yield self._adapter_request(call, column)
        yield from self._article_requests(entries, column)
        # Reports published only as files, linked straight from the list: the entry's title
        # and date are all the metadata they will have besides the file's own.
        shown = {e.url: e for e in entries}
        for link in files:
            entry = shown.get(link["url"])
            yield from self._attachment_requests([link], response.url, "list", column,
                                                 entry.title if entry else link["text"],
                                                 entry.date if entry else None)
        if render is not None:
            yield render

    def _bounded_pages(self, response: Response, column: str, listed: bool, fresh: bool, pages: list[str],
                       max_pages: int) -> list[str]:
        """The list pages to request next from this one: none past the column's cap, none when
        a later page lists entries (``listed``) but none first listed here (``fresh``).

        A pager that never ends (each page links a "下一页", a CMS answering any ``index_N``
        with the last page again) would otherwise walk until the crawl is killed: the first
        repeat of known entries ends it, and ``GONGKAI_MAX_LIST_PAGES`` bounds a column whose
        every page invents new ones. Reaching the cap is a crawl alert, as the column may be
        incomplete.
        """
        first = response.meta.get("redirect_urls", [response.url])[0]
        requested = self._list_pages.setdefault(column, {column, first})
        if listed and not fresh and first != column and not response.meta.get("playwright"):
            self.crawler.stats.inc_value("gongkai/list/no_new_entries")
            return []
        new = [url for url in pages if url not in requested]
        room = max(0, max_pages - len(requested))
        if len(new) > room:
            self.crawler.stats.inc_value("gongkai/list/max_pages_reached")
            if column not in self._capped:
                self._capped.add(column)
                self.logger.warning("column %s: list page cap (GONGKAI_MAX_LIST_PAGES=%d) reached",
                                    column, max_pages)
                notes = self.crawler.stats.get_value(UNFOLLOWED_PAGERS_STAT) or []
                self.crawler.stats.set_value(UNFOLLOWED_PAGERS_STAT, [
                    *notes, f"list page cap GONGKAI_MAX_LIST_PAGES={max_pages} reached: {column}"])
            new = new[:room]
        requested.update(new)
        return new

    def _script_next(self, response: Response, tree: Any, fresh: bool) -> scrapy.Request | None:
        """The next list page a rendered page's script pager leads to, rendered in turn; None at
        the last page (第N/N页), when this page listed nothing new, or when it leads off the site."""
        target = script_pager_target(response.meta)
        if not target or not fresh or urlsplit(target).hostname not in self.allowed_hosts:
            return None
        position = page_position(pager_text(tree))
        if position is not None and position[0] >= position[1]:
            return None
        column = response.meta[_COLUMN]
        requested = self._list_pages.setdefault(column, {column})
        if target in requested or len(requested) >= self.settings.getint("GONGKAI_MAX_LIST_PAGES"):
            return None  # a script pager that invents pages stops at the column's cap too
        requested.add(target)
        self.crawler.stats.inc_value("gongkai/list/script_pager_followed")
        return scrapy.Request(target, callback=self.parse_list, errback=self.failed,
                              meta={_KIND: "list", _COLUMN: response.meta[_COLUMN], "playwright": True,
                                    ROUTED_META: "script-pager", SCRIPT_PAGER_META: True})

    def parse_adapter(self, response: Response) -> Iterator[Any]:
        """An answer of a list endpoint (spiders.adapters): its entries, and the calls for the rest."""
        column = response.meta[_COLUMN]
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        entries, more = adapters.parse(text, response.meta[_CALL])
        files = [e for e in entries if not is_page_url(e.url)]
        yield self._item(response, "list", entries=len(entries),
                         attachments=[{"url": e.url, "text": e.title} for e in files])
        for call in more[: self.settings.getint("GONGKAI_MAX_LIST_PAGES")]:
            yield self._adapter_request(call, column)
        yield from self._article_requests(entries, column)
        page_url = response.meta[_CALL].state.get("page_url", column)
        for entry in files:
            yield from self._attachment_requests([{"url": entry.url, "text": entry.title}], page_url, "list",
                                                 column, entry.title, entry.date)

    def _adapter_request(self, call: adapters.AdapterCall, column: str) -> scrapy.Request:
        # Adapters that page one answer at a time (gkmlpt without a total) stop at this cap.
        call.state.setdefault("max_pages", self.settings.getint("GONGKAI_MAX_LIST_PAGES"))
        # An endpoint answers data, never a page: plain HTTP whatever --js says.
        meta = {_KIND: "list", _COLUMN: column, _CALL: call, "playwright": False}
        if call.formdata is not None:
            return scrapy.FormRequest(call.url, formdata=call.formdata, callback=self.parse_adapter,
                                      errback=self.failed, meta=meta)
        return scrapy.Request(call.url, method=call.method, callback=self.parse_adapter, errback=self.failed,
                              meta=meta)

    def _article_requests(self, entries: list[ListEntry], column: str) -> Iterator[scrapy.Request]:
        for entry in entries:
            if not is_page_url(entry.url):
                continue  # attachment files linked from the list are recorded with the list page
            yield scrapy.Request(
                entry.url, callback=self.parse_article, errback=self.failed,
                meta={_KIND: "article", _COLUMN: column, _TITLE: entry.title, _DATE: entry.date,
                      # a 304 answers a conditional request of an incremental crawl
                      "handle_httpstatus_list": [304]},
            )

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        """An article page: its item (with the reading an extraction worker made of it), the
        requests for its files, for its later pages, or for its render in the browser.

        The page is parsed once, in the worker (:meth:`PageReader.read_article`): the reactor
        only decides what to schedule from the plain data it gets back.
        """
        if response.status == 304:
            unchanged = "skipped" if response.meta.get(SKIPPED_META) else "not_modified"
            yield self._item(response, "article", unchanged=unchanged, body=None)
            return
        if not isinstance(response, TextResponse):
            if self.settings.getbool("GONGKAI_ATTACHMENTS"):
                # A list entry that serves a file (download servlets such as Hanweb's
                # /module/download/downfile.jsp?…): a report published only as a file.
                request = response.request
                yield self._item(response, "attachment", linked_from="list",
                                 page_url=(_referer(request) if request is not None else None)
                                 or response.meta[_COLUMN],
                                 link_text=response.meta.get(_TITLE))
                return
            yield self._item(response, "article",
                             error=f"not an HTML page ({_content_type(response) or 'no type'})")
            return
        if self._still_challenged(response):
            yield self._item(response, "article", error=f"{response.meta[CHALLENGE_META]}, not passed in the browser")
            return
        if response.meta.get(RENDER_AFTER_FETCH_META) and not response.meta.get("playwright"):
            # routed to the browser but fetched over HTTP first, as its URL could have served a
            # file (see spiders.browser.RENDER_AFTER_FETCH_META): it is a page, so render it now
            yield self._item(response, "article")
            yield self._render_request(response, "article", {}, response.meta[RENDER_AFTER_FETCH_META])
            return
        later = self._later_pages(response)
        # a page that may still go to the browser is not read until it is known not to
        renderable = not response.meta.get("playwright") and \
            self.browser_options.mode_for(urlsplit(response.url).hostname or "") != "never"
        page = await self.page_reader.read_article(
            response.text, response.url, response.meta.get(_TITLE), response.meta.get(_DATE),
            # the first page of an article cut over several is read with the others (ExtractPipeline)
            stop_for_render=renderable, read=not later)
        rule, render = self._render(response, "article", page.render_reason, article_render_reason)
        if render is not None:
            # The server's page is an empty shell: keep the capture (no text, so no report is
            # read from it) and read the report from the browser's render.
            yield self._item(response, "article", render_rule=rule)
            yield render
            return
        files = page.files
        item = self._item(response, "article", text=response.text, attachments=files, render_rule=rule,
                          reading=page.reading)
        if later:
            # one report cut over several pages: read them all before the report is archived
            yield self._part_request(item, response.meta[_COLUMN], later)
        else:
            yield item
        for request in self._attachment_requests(files, response.url, "article", response.meta[_COLUMN],
                                                 response.meta.get(_TITLE), response.meta.get(_DATE)):
            yield request

    def _later_pages(self, response: Response) -> list[str]:
        """The later pages of an article cut over several (only when this is its first page)."""
        if response.meta.get(_FIRST) is not None:
            return []
        urls = article_page_urls(response.text, response.url)
        stem = urlsplit(response.url).path.rpartition("/")[2].rpartition(".")[0]
        # from a later page the first page is among them: that page is not a report's start
        later = [u for u in urls if urlsplit(u).path.rpartition("/")[2].startswith(f"{stem}_")]
        host = urlsplit(response.url).hostname
        return [u for u in later if urlsplit(u).hostname == host] if len(later) == len(urls) else []

    def _part_request(self, first: PageItem, column: str, rest: list[str]) -> scrapy.Request:
        """The request for the next of an article's later pages, carrying the first page's item."""
        meta = {_KIND: "article-part", _COLUMN: column, _FIRST: first, _REST: rest[1:]}
        return scrapy.Request(rest[0], callback=self.parse_article_part, errback=self.article_part_failed,
                              meta=meta, headers={"Referer": first.final_url or first.url})

    def parse_article_part(self, response: Response) -> Iterator[Any]:
        """A later page of an article: kept as a capture, its text joined to the first page's."""
        first: PageItem = response.meta[_FIRST]
        text = response.text if isinstance(response, TextResponse) else None
        if text is not None:
            first.page_texts = [*(first.page_texts or []), (response.url, text)]
        yield self._item(response, "article-part", error=None if text is not None else
                         f"not an HTML page ({_content_type(response) or 'no type'})")
        yield from self._next_part(response.meta)

    def article_part_failed(self, failure: Failure) -> Iterator[Any]:
        yield from self.failed(failure)  # the missing page is a failed capture; the rest goes on
        yield from self._next_part(failure.request.meta)

    def _next_part(self, meta: dict[str, Any]) -> Iterator[Any]:
        rest: list[str] = meta[_REST]
        yield self._part_request(meta[_FIRST], meta[_COLUMN], rest) if rest else meta[_FIRST]

    def _attachment_requests(self, links: list[dict[str, str]], page_url: str, page_kind: str, column: str,
                             title: str | None, date: str | None) -> Iterator[scrapy.Request]:
        """Requests for attachment files: plain HTTP always, size-capped (GONGKAI_ATTACHMENT_*)."""
        if not self.settings.getbool("GONGKAI_ATTACHMENTS"):
            return
        maxsize = self.settings.getint("GONGKAI_ATTACHMENT_MAXSIZE")
        for link in links:
            yield scrapy.Request(
                link["url"], callback=self.parse_attachment, errback=self.failed,
                meta={_KIND: "attachment", _COLUMN: column, _TITLE: title, _DATE: date,
                      _PAGE: page_url, _FROM: page_kind, _LINK: link.get("text"),
                      "playwright": False,  # a file is never rendered, whatever decides for pages
                      "download_maxsize": maxsize,
                      "handle_httpstatus_list": [304]},
            )

    def parse_attachment(self, response: Response) -> Iterator[PageItem]:
        fields: dict[str, Any] = {"page_url": response.meta.get(_PAGE), "linked_from": response.meta.get(_FROM),
                                  "link_text": response.meta.get(_LINK)}
        if response.status == 304:
            unchanged = "skipped" if response.meta.get(SKIPPED_META) else "not_modified"
            yield self._item(response, "attachment", unchanged=unchanged, body=None, **fields)
            return
        yield self._item(response, "attachment", **fields)

    def failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        error, status = describe_failure(failure)
        response = getattr(failure.value, "response", None)
        challenge = self._challenge(request, response)
        if challenge is not None:
            yield from challenge
            return
        if request.meta.get(CHALLENGE_META):
            error = f"{request.meta[CHALLENGE_META]}, not passed in the browser ({error})"
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
            renderer="browser" if request.meta.get("playwright") else "http",
            page_url=request.meta.get(_PAGE),
            linked_from=request.meta.get(_FROM),
            link_text=request.meta.get(_LINK),
        )

    @staticmethod
    def _still_challenged(response: Response) -> bool:
        """A challenge render whose page is still the gateway's script (the browser did not pass)."""
        return bool(response.meta.get(CHALLENGE_META)) and challenge_reason(200, response.text) is not None

    def _challenge(self, request: scrapy.Request, response: Response | None) -> list[Any] | None:
        """An anti-bot gateway's challenge instead of a page: keep it, and render the page once.

        The browser runs the gateway's script and its cookies go to plain HTTP (see
        spiders.browser.CHALLENGE_META), so the rest of the site is fetched without a browser.
        """
        meta = request.meta
        if (response is None or response.status not in CHALLENGE_STATUSES or meta.get("playwright")
                or meta.get(_KIND) not in ("list", "article")):
            return None
        text = response.body[:200_000].decode("utf-8", "replace")
        reason = challenge_reason(response.status, text)
        if reason is None:
            return None
        host = urlsplit(request.url).hostname
        if self.browser_options.mode_for(host) == "never":
            self.logger.warning("%s: %s (--js never: not rendered)", request.url, reason)
            return None
        self.logger.info("%s: %s; rendering it in the browser", request.url, reason)
        self.crawler.stats.inc_value("gongkai/render/challenge_seen")
        kept = {key: meta[key] for key in (_KIND, _COLUMN, _TITLE, _DATE) if key in meta}
        kept.update({
            "playwright": True, ROUTED_META: "challenge", CHALLENGE_META: reason,
            "handle_httpstatus_list": [*CHALLENGE_STATUSES, 304],
            "playwright_page_methods": [PageMethod(pass_challenge, CHALLENGE_SECONDS)],
        })
        callback = self.parse_list if meta.get(_KIND) == "list" else self.parse_article
        referer = request.headers.get("Referer")
        return [self._item(response, meta[_KIND], body=response.body),  # the challenge, as evidence
                scrapy.Request(request.url, callback=callback, errback=self.failed, dont_filter=True,
                               meta=kept, headers={"Referer": referer} if referer else None)]

    # --- the browser, when a page needs it (spiders/browser.py, pipelines/render.py) ----------

    _browser_options: BrowserOptions | None = None

    @property
    def page_reader(self) -> PageReader:
        """The crawl's extraction workers (shared with ExtractPipeline), which read article pages."""
        return PageReader.of(self.crawler)

    @property
    def browser_options(self) -> BrowserOptions:
        if self._browser_options is None:
            self._browser_options = BrowserOptions.from_settings(self.settings)
        return self._browser_options

    def _list_needs_browser(self, html: str, url: str, column: str) -> str | None:
        tree = parse_html(html)
        if find_entries(tree, url, column) or adapters.detect(html, url, column):
            return None
        return list_render_reason(html, tree)

    def _render(self, response: Response, kind: str, reason: str | None,
                server_needs: Callable[[str], str | None]) -> tuple[dict[str, str] | None, scrapy.Request | None]:
        """A render decision to remember and the request that renders the page, for one fetched page.

        An HTTP page that ``reason`` says is script-built is requested again through the browser,
        fed the bytes just received. A page the browser rendered because a remembered rule said
        so is checked against the server's own HTML: if that had the content after all, the rule
        is turned back to plain HTTP.
        """
        host = urlsplit(response.url).hostname or ""
        rule = {"host": host, "kind": kind, "path_prefix": path_prefix(response.url)}
        if response.meta.get("playwright"):
            server = response.meta.get(SERVER_META)
            if response.meta.get(ROUTED_META) != "rule" or not server:
                return None, None
            served_type = next((v for k, v in server["headers"] if k.lower() == "content-type"), None)
            if server_needs(decode_body(server["body"], served_type)[0]) is not None:
                return None, None
            self.crawler.stats.inc_value("gongkai/render/unneeded")
            return {**rule, "renderer": "http", "reason": "the server's HTML had the content"}, None
        if reason is None:
            return None, None
        if self.browser_options.mode_for(host) == "never":
            self.crawler.stats.inc_value("gongkai/render/declined")
            self.logger.info("not rendering %s (--js never): %s", response.url, reason)
            return None, None
        rule = {**rule, "renderer": "browser", "reason": reason}
        self.logger.info("rendering %s in the browser: %s", response.url, reason)
        return rule, self._render_request(response, kind, {RENDER_META: rule}, "detected")

    def _render_request(self, response: Response, kind: str, extra: dict[str, Any], routed: str
                        ) -> scrapy.Request:
        """The request that renders a page fetched over HTTP, from the bytes just received."""
        chosen = (response.meta.get(ENCODING_META) or {}).get("chosen") or "utf-8"
        meta = {key: response.meta[key] for key in (_KIND, _COLUMN, _TITLE, _DATE, "handle_httpstatus_list",
                                                     "redirect_urls") if key in response.meta}
        meta.update({
            "playwright": True, ROUTED_META: routed, **extra,
            # The browser gets the bytes just received, under the charset they were decoded
            # with: no second request to the server, no mis-decoding by Chromium.
            HTTP_BODY_META: response.body, HTTP_TYPE_META: with_charset(_content_type(response), chosen),
            HTTP_WARC_META: (response.meta.get(WARC_META) or {}).get("record_id"),
        })
        referer = response.request.headers.get("Referer") if response.request is not None else None
        callback = self.parse_list if kind == "list" else self.parse_article
        return scrapy.Request(response.url, callback=callback, errback=self.failed, dont_filter=True,
                              meta=meta, headers={"Referer": referer} if referer else None)

    # --- helpers -------------------------------------------------------------------------

    def _item(self, response: Response, kind: str, **fields: Any) -> PageItem:
        request = response.request
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        fields.setdefault("body", response.body)
        return PageItem(
            url=response.meta.get("redirect_urls", [response.url])[0],
            final_url=response.url,
            kind=kind,
            column_url=response.meta[_COLUMN],
            status=response.status,
            fetched_at=utc_now(),
            content_type=_content_type(response),
            encoding=response.meta.get(ENCODING_META),
            headers=headers or None,
            etag=headers.get("Etag") or headers.get("ETag"),
            last_modified=headers.get("Last-Modified"),
            warc=response.meta.get(WARC_META),
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
