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

from pipelines.extract import find_attachments
from pipelines.htmltext import normalize_line
from pipelines.metadata import parse_date, url_date
from pipelines.pagefiles import in_list_chrome
from pipelines.patterns import REPORT_TITLE_RE
from pipelines.urls import (
    FILE_LINK_TAGS,
    NOT_FOLLOWED_HREFS,
    document_base,
    in_column,
    is_article_url,
    is_attachment_link,
    is_page_url,
    link_href,
    resolve_href,
    url_year,
)

# Category tags written before each title in aggregated lists: "[部门年报]", "【区政府】".
TAG_LINK_RE = re.compile(r"[\[【(（〔].{1,12}[\]】)）〕]")
# Item containers, nearest first: the block that holds one entry's link and date.
ITEM_TAGS = ("li", "tr", "dd", "dt", "p", "div", "td", "span")
_TOKEN_SPLIT = re.compile(r"[^a-z]+")
# A date standing alone in its own element or text: "2022-1-20", "[2022-01-20]", "01-20", "[01-20]"
# (TRS and Hanweb lists of the current year print month and day only).
# A month-day date never uses "." ("3.5" is a size or a version, not March 5th).
DATE_ONLY_RE = re.compile(
    r"[\[【(（]?\s*(?:(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]|(?P<sm>\d{1,2})\s*[-/月])"
    r"\s*(?P<d>\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】)）]?")
# Year headings that group a list by year: "2023年", "2023年度", "2023".
YEAR_HEADING_RE = re.compile(r"((?:19|20)\d{2})\s*(?:年度?)?")


@dataclass(frozen=True)
class ListEntry:
    """One entry of a column list: where it points, the title and date shown beside it."""

    url: str
    title: str
    date: str | None
    group: str = ""  # which list block of the page it sits in (entries of one <ul> share it)


def _date_only(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) when ``text`` is nothing but a date, else None."""
    match = DATE_ONLY_RE.fullmatch(normalize_line(text))
    if not match:
        return None
    month, day = int(match["m"] or match["sm"]), int(match["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return (int(match["y"]) if match["y"] else None), month, day


def _link_text(a: HtmlElement) -> str:
    """A link's text without a date it wraps ("<a><span>标题</span><span>[01-20]</span></a>")."""
    text = a.text_content()
    for el in a.iterdescendants():
        if isinstance(el.tag, str) and el.text_content().strip() and _date_only(el.text_content()):
            text = text.replace(el.text_content(), " ", 1)
    return text


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


def _item_date(a: HtmlElement, url: str) -> tuple[str | None, bool]:
    """The date shown with a link — inside the link, its title, or its nearest item block —
    and whether it shows one at all.

    A date that stands alone in its own element ("<p class="date">2022-1-20</p>") beats the
    first date of the block's text, which may be a summary quoting the statistical period
    ("统计期限为2021年1月1日至12月31日"). A month-day date ("01-20", "[01-20]") takes its year
    from the article URL or from a year heading over the list ("<h4>2023年</h4><ul>…"); the link
    is dated even when no year can be found.
    """
    own = parse_date(a.get("title")) or _lone_date(a, url)
    if own:
        return own, True
    node = a.getparent()
    hops = 0
    while node is not None and hops < 4:
        if node.tag in ITEM_TAGS:
            # A date in a block of several entries belongs to one of the others; a category
            # tag ("[部门年报]" before each title in aggregated xxgk lists), an icon or a
            # "详情" link to the same page is no other entry.
            if any(_rival(a, other) for other in node.iter("a")):
                return None, False
            lone = _lone_date(node, url)
            if lone:
                return lone, True
            found = parse_date(node.text_content())
            if found:
                return found, True
            tail = _month_day(node, url)
            if tail is not None:
                return tail
            if node.tag in ("li", "tr", "dd"):
                return None, False
        node = node.getparent()
        hops += 1
    return None, False


def _lone_date(block: HtmlElement, url: str) -> str | None:
    """The full date of an element inside ``block`` (or ``block`` itself) holding only a date."""
    for el in block.iter():
        if not isinstance(el.tag, str) or el.tag == "a" and el is not block:
            continue
        text = el.text_content()
        if len(text) > 40 or not text.strip():
            continue
        found = _date_only(text)
        if found:
            year = found[0] or _year_for(el, url)
            return parse_date(f"{year}-{found[1]}-{found[2]}") if year else None
    return None


def _month_day(node: HtmlElement, url: str) -> tuple[str | None, bool] | None:
    """A month-day date written as bare text beside the link ("<li><a>…</a> 01-20</li>")."""
    rest = node.text or ""
    rest += "".join(child.tail or "" for child in node)
    found = _date_only(rest) if rest.strip() else None
    if not found:
        return None
    year = found[0] or _year_for(node, url)
    return (parse_date(f"{year}-{found[1]}-{found[2]}") if year else None), True


def _year_for(el: HtmlElement, url: str) -> int | None:
    """The year of a month-day list date: from the article URL, else a year heading before the list."""
    from_url = url_date(url)
    if from_url:
        return int(from_url[:4])
    in_url = url_year(url)
    if in_url:
        return in_url
    node: HtmlElement | None = el
    for _ in range(6):
        if node is None:
            break
        for k, sibling in enumerate(node.itersiblings(preceding=True)):
            if k >= 3:
                break
            heading = YEAR_HEADING_RE.fullmatch(normalize_line(sibling.text_content()))
            if heading:
                return int(heading.group(1))
        node = node.getparent()
    return None


def _rival(a: HtmlElement, other: HtmlElement) -> bool:
    """Whether ``other`` is another entry's link beside ``a`` rather than a tag or icon of it."""
    if other is a or link_href(other) == link_href(a):
        return False
    text = normalize_line(other.text_content())
    return len(text) >= 4 and not TAG_LINK_RE.fullmatch(text)


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
        url = resolve_href(link_href(a), base)
        if url is None:
            continue
        parts = urlsplit(url)
        if parts.hostname != host or parts.scheme not in ("http", "https") or url == page_url:
            continue
        text = normalize_line(_link_text(a))
        title = normalize_line(a.get("title") or "") or text
        if len(text) >= len(title) and not text.endswith(("...", "…")):
            title = text or title
        if len(title) < 4 or in_list_chrome(a):
            continue
        date, shows_date = _item_date(a, url)
        entry = ListEntry(url, title, date, _group(a))
        (dated if shows_date else undated).append(entry)
    entries = dated or [
        e for e in undated if REPORT_TITLE_RE.search(e.title) or is_article_url(e.url)
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


def list_attachments(tree: HtmlElement, page_url: str) -> list[dict[str, str]]:
    """Attachment files linked straight from a list page (reports published only as PDF/DOC).

    A file link sharing its list item with a link to an article page ("<li><a href=t…_1.html>
    2021年报告</a> <a href=…pdf>[PDF]</a>") is that article's download icon, not a report of its
    own: the article is the report and links its files itself, so it is left to the article
    (fetched here it would become a second report of the same text).
    """
    host = urlsplit(page_url).hostname
    base = document_base(tree, page_url)
    found: dict[str, dict[str, str]] = {}
    for el in tree.iter(*FILE_LINK_TAGS):
        for link in find_attachments(el, base):
            if urlsplit(link.url).hostname == host and not _beside_article(el, base):
                found.setdefault(link.url, {"url": link.url, "text": link.text})
    return list(found.values())


def _beside_article(el: HtmlElement, base: str) -> bool:
    """Whether a file link sits in a list item (li/tr/dd) that also links an article page by title."""
    item = next((node for _, node in zip(range(4), el.iterancestors()) if node.tag in ("li", "tr", "dd")), None)
    if item is None:
        return False
    for other in item.iter("a"):
        href = link_href(other)
        if other is el or not href or href.lower().startswith(NOT_FOLLOWED_HREFS):
            continue
        text = normalize_line(other.get("title") or "") or normalize_line(other.text_content())
        if len(text) >= 4 and not TAG_LINK_RE.fullmatch(text) and is_page_url(urljoin(base, href)) \
                and not is_attachment_link(href, normalize_line(other.text_content())):
            return True
    return False
