"""Read one fetched article page from one parse: render check, files, article, statistics (pure core).

Pipelines side of spider → middleware → pipelines → archive, run in the extraction workers
(:class:`pipelines.extracting.PageReader`): :func:`read_article_page` parses the decoded page
once and reads from that one lxml tree everything the crawl needs of it — whether it needs the
browser (:mod:`pipelines.render`), the files the spider fetches next (:mod:`pipelines.pagefiles`,
scanned page images), and the article with its statistics (:func:`read_page`'s reading). A tree
cannot cross a process boundary, so the spider no longer parses the page itself: it gets this
plain data back and only schedules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from archive.zhs import simplified_copy
from pipelines.extract import (
    IMAGES_ONLY,
    Article,
    document_base,
    extract_article,
    extract_tree,
    join_pages,
    scanned_pages,
)
from pipelines.htmltext import parse_html
from pipelines.pagefiles import page_attachments
from pipelines.render import article_render_reason
from pipelines.stats import parse_statistics
from pipelines.urls import SCAN_EXTENSIONS

logger = logging.getLogger(__name__)

# Share of U+FFFD in a decoded page above which the bytes count as undecodable: a few stray
# bytes (a truncated multi-byte character) are tolerated, a page of garbage is not.
MAX_REPLACEMENT_SHARE = 0.01


@dataclass
class PageReading:
    """What the core read from one article page; plain data, so it crosses process boundaries."""

    article: Article | None = None
    statistics: dict[str, Any] | None = None  # Statistics.rows() of a report with tables/sections
    statistics_inconsistent: bool = False
    error: str | None = None  # the page could not be read at all
    statistics_error: str | None = None  # the report was read, its statistics were not
    # a report's cross-script search copies (archive.zhs.simplified_copy of title and body), made
    # here in the worker so the archive writer (the reactor's thread) runs no OpenCC
    search_copies: dict[str, str | None] | None = None


@dataclass
class ArticlePage:
    """What :func:`read_article_page` read from one article page, for the spider and the pipelines.

    ``render_reason`` says why the page needs the browser (None: its HTML is all there is);
    ``files`` are the attachment links (or, for a report of scans only, its page images) the
    spider requests, as ``{"url", "text"}``; ``reading`` is the article and its statistics, None
    when the page was not read (it goes to the browser first, it is empty or undecodable, or the
    caller reads it later with its other pages).
    """

    render_reason: str | None = None
    files: list[dict[str, str]] = field(default_factory=list)
    reading: PageReading | None = None


def unreadable(text: str) -> str | None:
    """Why a decoded page holds nothing to read — ``"empty"`` or ``"undecodable"`` — else None.

    >>> unreadable("  "), unreadable("<p>\\ufffd\\ufffd</p>"), unreadable("<p>2019年报告</p>")
    ('empty', 'undecodable', None)
    """
    if not text.strip():
        return "empty"
    bad = text.count("\ufffd")
    if bad and bad / max(len(text), 1) > MAX_REPLACEMENT_SHARE:
        return "undecodable"
    return None


def read_article_page(text: str, url: str, list_title: str | None = None, list_date: str | None = None, *,
                      stop_for_render: bool = True, read: bool = True) -> ArticlePage:
    """Parse a decoded article page once and read from that tree all the crawl needs of it.

    In order, on the one tree: the render check (:func:`pipelines.render.article_render_reason`,
    on the untouched page: it reads the inline scripts); when ``stop_for_render`` and the page
    needs the browser, nothing more (the render is read instead). Then the page's files
    (:func:`pipelines.pagefiles.page_attachments`, before extraction drops the page's chrome),
    then the article (:func:`extract_tree` and the statistics, as :func:`read_page`), unless
    ``read`` is False: the first page of an article cut over several is read with its later
    pages by :func:`read_page`. A report of scanned images only has those images as its files,
    the ones the extraction found in its content block (same host only).

    Raises what parsing a hostile page raises (the spider's callback records it as a failed
    capture); the article's own reading never raises (:attr:`PageReading.error`).

    >>> page = read_article_page('<div id="zoom"><p>本机关2019年依法公开政府信息。</p>'
    ...     '<a href="/f/nb.pdf">附件：年报全文</a></div>', "http://x.gov.cn/xxgk/t20200115_1.html",
    ...     list_title="2019年政府信息公开工作年度报告")
    >>> page.render_reason, page.files, page.reading.article.report_year
    (None, [{'url': 'http://x.gov.cn/f/nb.pdf', 'text': '附件：年报全文'}], 2019)
    """
    tree = parse_html(text)
    reason = article_render_reason(text, tree)
    if reason is not None and stop_for_render:
        return ArticlePage(render_reason=reason)
    base = document_base(tree, url)
    files = page_attachments(tree, url, base)
    # a report of scanned pages only (JPGs in the content block): fetched as its files, the OCR
    # of attachments gives the report its text
    scans_wanted = not files and ("<img" in text or "<IMG" in text)
    page = ArticlePage(render_reason=reason, files=files)
    if not read or unreadable(text) is not None:
        if scans_wanted:
            page.files = _same_host(url, [{"url": link.url, "text": link.text}
                                          for link in scanned_pages(tree, url)])
        return page
    page.reading = _read(lambda: extract_tree(tree, url, list_title=list_title, list_date=list_date, base=base),
                         url)
    article = page.reading.article
    if scans_wanted and article is not None and article.container.endswith(IMAGES_ONLY):
        # the content block the extraction located: its images are the scans (not a second search)
        page.files = _same_host(url, [{"url": link.url, "text": link.text} for link in article.attachments
                                      if link.url.lower().split("?")[0].endswith(SCAN_EXTENSIONS)])
    return page


def _same_host(url: str, links: list[dict[str, str]]) -> list[dict[str, str]]:
    host = urlsplit(url).hostname
    return [link for link in links if urlsplit(link["url"]).hostname == host]


def read_page(text: str, url: str, list_title: str | None = None, list_date: str | None = None,
              later_pages: list[tuple[str, str]] | None = None) -> PageReading:
    """Extract one decoded article page and, when it is a report, parse its statistics tables.

    ``later_pages`` are the (url, text) of the rest of an article cut over several pages: they
    are read too and joined with this first page into one report.
    Never raises: a bug on one hostile page becomes an error on that page's capture.
    """

    def extract() -> Article:
        # An article cut over pages is joined first and classified whole: its first page alone
        # may not read as a report, and its tables must not be dropped before the join.
        split = bool(later_pages)
        article = extract_article(text, url, list_title=list_title, list_date=list_date, keep_tables=split)
        if later_pages:
            rest = [extract_article(page_text, page_url, list_title=article.title, keep_tables=True)
                    for page_url, page_text in later_pages]
            article = join_pages(article, rest)
        return article

    return _read(extract, url)


def _read(extract: Callable[[], Article], url: str) -> PageReading:
    """The reading of one article: ``extract()``'s article, then a report's search copies and statistics."""
    try:
        article = extract()
    except Exception as exc:  # noqa: BLE001 - recorded on the capture, the crawl goes on
        logger.exception("extraction of %s failed", url)
        return PageReading(error=f"extraction failed: {type(exc).__name__}: {exc}")
    reading = PageReading(article=article)
    if not article.is_report:
        return reading
    reading.search_copies = {"title_zhs": simplified_copy(article.title),
                             "body_zhs": simplified_copy(article.body_text)}
    try:
        stats = parse_statistics(article.tables or [], article.body_text or "", article.report_year)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not cost the report itself
        logger.exception("statistics of %s could not be read", url)
        reading.statistics_error = f"{type(exc).__name__}: {exc}"
        return reading
    if stats.cells or stats.sections:  # a stub page keeps whatever its attachment gives
        reading.statistics = stats.rows()
        reading.statistics_inconsistent = not stats.consistent
    return reading
