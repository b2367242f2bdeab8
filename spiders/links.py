"""Find the report links of a disclosure column's list page (pure core).

A column's entries are dated list items ("<li><a …>2019年…年度报告</a><span>2020-01-15</span>
</li>"); navigation, sidebars and footers are not. Undated columns fall back to links that look
like articles: a report-like title or a CMS article URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from pipelines.extract import document_base, find_attachments, is_attachment_link
from pipelines.htmltext import normalize_line
from pipelines.metadata import parse_date
from pipelines.patterns import REPORT_TITLE_RE

# Blocks whose links are never column entries (class/id tokens, lowercase).
# Not "page"/"head"/"top"/"right": gov templates name the main list "page-content", "right".
CHROME_TOKENS: frozenset[str] = frozenset(
    {"nav", "navbar", "menu", "header", "topbar", "footer", "foot", "bottom", "copyright",
     "breadcrumb", "crumb", "position", "banner", "logo", "search", "friendlink", "yqlj",
     "share", "login", "skip", "sidebar"}
)
# Hanweb article URLs carry their column id: /col/col1229214366/ -> art_1229214366_58937063.
_HANWEB_COLUMN_RE = re.compile(r"/col/col(\d+)/")
# Category tags written before each title in aggregated lists: "[部门年报]", "【区政府】".
TAG_LINK_RE = re.compile(r"[\[【(（〔].{1,12}[\]】)）〕]")
# Item containers, nearest first: the block that holds one entry's link and date.
ITEM_TAGS = ("li", "tr", "dd", "dt", "p", "div", "td", "span")
# Article URL shapes of known CMSs, for columns that show no dates.
ARTICLE_URL_RE = re.compile(
    r"(/t\d{8}_\d+\.s?html?$|/art_\d+_\d+\.html$|/content_\d+\.s?html?$|/post_\d+\.html$|"
    r"/[0-9a-f]{32}\.s?html$|/i\d+\.html$|[Cc]ontent-\d+\.html$|/\d{6,}\.s?html?$)"
)
_TOKEN_SPLIT = re.compile(r"[^a-z]+")
_SKIP_HREF = ("javascript", "mailto", "#", "tel:")
_PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".jsp", ".asp", ".aspx", ".php", ".jhtml", "/")


@dataclass(frozen=True)
class ListEntry:
    """One entry of a column list: where it points, the title and date shown beside it."""

    url: str
    title: str
    date: str | None
    group: str = ""  # which list block of the page it sits in (entries of one <ul> share it)


def _in_chrome(el: HtmlElement) -> bool:
    for node in el.iterancestors():
        if node.tag in ("nav", "header", "footer", "aside"):
            return True
        words = f"{node.get('class', '')} {node.get('id', '')}".lower()
        if words.strip() and any(t in CHROME_TOKENS for t in _TOKEN_SPLIT.split(words)):
            return True
    return False


def _group(a: HtmlElement) -> str:
    """The path of the list block holding a link: the parent of its item (li → ul, tr → table)."""
    node = a.getparent()
    while node is not None and node.tag not in ("li", "tr", "dd", "dt"):
        if node.tag in ("ul", "ol", "table", "tbody", "dl"):
            break
        node = node.getparent()
    else:
        node = node.getparent() if node is not None else None
    block = node if node is not None else a.getparent()
    return block.getroottree().getpath(block)


def _item_date(a: HtmlElement) -> str | None:
    """The date shown with a link: inside the link, its title, or its nearest item block."""
    own = parse_date(a.text_content()) or parse_date(a.get("title"))
    if own:
        return own
    node = a.getparent()
    hops = 0
    while node is not None and hops < 4:
        if node.tag in ITEM_TAGS:
            # A date in a block of several entries belongs to one of the others; a category
            # tag ("[部门年报]" before each title in aggregated xxgk lists), an icon or a
            # "详情" link to the same page is no other entry.
            if any(_rival(a, other) for other in node.iter("a")):
                return None
            found = parse_date(node.text_content())
            if found or node.tag in ("li", "tr", "dd"):
                return found
        node = node.getparent()
        hops += 1
    return None


def _rival(a: HtmlElement, other: HtmlElement) -> bool:
    """Whether ``other`` is another entry's link beside ``a`` rather than a tag or icon of it."""
    if other is a or (other.get("href") or "").strip() == (a.get("href") or "").strip():
        return False
    text = normalize_line(other.text_content())
    return len(text) >= 4 and not TAG_LINK_RE.fullmatch(text)


def in_column(url: str, column_url: str) -> bool:
    """True when an article URL sits under the column's folder (or names its Hanweb column)."""
    folder = urlsplit(column_url).path.rsplit("/", 1)[0] + "/"
    if urlsplit(url).path.startswith(folder) and folder != "/":
        return True
    hanweb = _HANWEB_COLUMN_RE.search(column_url)
    return bool(hanweb and f"art_{hanweb.group(1)}_" in url)


def find_entries(tree: HtmlElement, page_url: str, column_url: str | None = None
                 ) -> list[ListEntry]:
    """The column entries of a list page, in page order, same host only.

    Dated links outside navigation/header/footer blocks are entries. List blocks with no
    entry under the column's own folder (dated "热点信息" sidebars pointing elsewhere) are
    dropped when another block has such entries. A page with no dated links at all falls
    back to links whose title reads like a report or whose URL has a CMS article shape.
    """
    host = urlsplit(page_url).hostname
    base = document_base(tree, page_url)
    dated: list[ListEntry] = []
    undated: list[ListEntry] = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIP_HREF):
            continue
        url = urljoin(base, href).split("#")[0]
        parts = urlsplit(url)
        if parts.hostname != host or parts.scheme not in ("http", "https") or url == page_url:
            continue
        title = normalize_line(a.get("title") or "") or normalize_line(a.text_content())
        text = normalize_line(a.text_content())
        if len(text) >= len(title) and not text.endswith(("...", "…")):
            title = text or title
        if len(title) < 4 or _in_chrome(a):
            continue
        date = _item_date(a)
        entry = ListEntry(url, title, date, _group(a))
        (dated if date else undated).append(entry)
    entries = dated or [
        e for e in undated if REPORT_TITLE_RE.search(e.title) or ARTICLE_URL_RE.search(e.url)
    ]
    # Keep the list blocks that hold at least one entry under the column's own folder; a
    # "热点信息" sidebar pointing elsewhere is another block. A column that aggregates
    # departments' reports from other folders is one block and stays whole.
    groups = {e.group for e in entries if in_column(e.url, column_url or page_url)}
    if groups:
        entries = [e for e in entries if e.group in groups]
    return _unique(entries)


def _unique(entries: list[ListEntry]) -> list[ListEntry]:
    seen: dict[str, ListEntry] = {}
    for entry in entries:
        seen.setdefault(entry.url, entry)
    return list(seen.values())


def is_page_url(url: str) -> bool:
    """True for URLs that serve HTML pages, False for attachment files."""
    if is_attachment_link(url):  # also downfile.jsp?filename=….pdf, which looks like a page
        return False
    path = urlsplit(url).path.lower()
    last = path.rsplit("/", 1)[-1]
    return path.endswith(_PAGE_SUFFIXES) or "." not in last


def list_attachments(tree: HtmlElement, page_url: str) -> list[dict[str, str]]:
    """Attachment files linked straight from a list page (reports published only as PDF/DOC)."""
    return [{"url": link.url, "text": link.text}
            for link in find_attachments(tree, document_base(tree, page_url))
            if urlsplit(link.url).hostname == urlsplit(page_url).hostname]


def page_attachments(tree: HtmlElement, page_url: str) -> list[dict[str, str]]:
    """Attachment files linked from an article page outside its navigation/header/footer blocks.

    TRS pages list a report's files in an "附件" block after the content container, so the
    whole page is searched; same host only (the crawl never leaves the column's host).
    """
    host = urlsplit(page_url).hostname
    base = document_base(tree, page_url)
    found: dict[str, dict[str, str]] = {}
    for a in tree.iter("a"):
        # the link itself, if it is an attachment; the ancestry walk only for those few
        for link in find_attachments(a, base):
            if urlsplit(link.url).hostname == host and not _in_chrome(a):
                found.setdefault(link.url, {"url": link.url, "text": link.text})
    return list(found.values())
