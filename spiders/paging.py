"""Find the other pages of a disclosure column's list (pure; patterns as data, the URL
patterns of pages in :mod:`pipelines.urls`).

Three styles cover most government CMSs: "下一页/下页/>" links; numbered static pages
``index_1.html, index_2.html …`` linked as page numbers; and TRS WCM's inline script call
``createPageHTML(total, current, "index", "html")`` whose page URLs are computed here from its
arguments, without a browser.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from pipelines.urls import (
    CREATE_PAGE_RE,
    INDEX_N_RE,
    NO_URL_HREFS,
    NOT_FOLLOWED_HREFS,
    QUERY_PAGE_RE,
    document_base,
    link_href,
)

# Link texts that mean "next page" (Hanweb, TRS, 开普云, VSB and hand-made templates).
NEXT_TEXTS: frozenset[str] = frozenset(
    {"下一页", "下页", "下一頁", "下頁", ">", ">>", "›", "»", "后页", "後頁", "next", "Next", "下一页>",
     "下一页>>", "[下一页]"}
)
# Link texts of the last page, used to fill in elided page numbers ("1 2 3 … 尾页").
LAST_TEXTS: frozenset[str] = frozenset({"尾页", "末页", "尾頁", "末頁", "最后一页", "最後一頁", ">|"})
PREVIOUS_TEXTS: frozenset[str] = frozenset({"首页", "上一页", "上页", "首頁", "上一頁", "上頁", "<", "<<"})
PAGER_TEXTS: frozenset[str] = NEXT_TEXTS | LAST_TEXTS | PREVIOUS_TEXTS
# Arrows and brackets around a pager word ("下一页 »", "【尾页】", "下一頁 >").
PAGER_DECORATION = "<>«»‹›|[]【】()（）〈〉《》·.…"

# Page counts kept in script variables by TRS templates that print the pager themselves.
COUNT_VAR_RE = re.compile(r"\b(?:countPage|totalPage|pageCount|page_count)\s*=\s*(\d{1,9})(?!\d)")
# Page-jump <select>s navigate to the chosen option's value ("共12页 第1页 跳转到 <select
# onchange="window.location.href=this.value">"); seen on TRS and 站群 templates whose 下一页 is
# itself a script call.
JUMP_SELECT_RE = re.compile(r"location|href|this\.value|options\[")

MAX_PAGES = 500

# Where a list says which page it shows: "第1/5页", "1/5页", "当前第1页 共5页", "共5页 第1页",
# "第 1 页 / 共 5 页" (TRS, Hanweb and 站群 pagers alike, also when the pager is a script's).
PAGE_POSITION_RES: tuple[tuple[re.Pattern[str], tuple[int, int]], ...] = (
    (re.compile(r"(?<!\d)(\d{1,5})\s*[/／]\s*(\d{1,5})\s*页"), (1, 2)),
    (re.compile(r"第\s*(\d{1,5})\s*页\s*[/／,，、\s]*共\s*(\d{1,5})\s*页"), (1, 2)),
    (re.compile(r"共\s*(\d{1,5})\s*页[^第]{0,20}第\s*(\d{1,5})\s*页"), (2, 1)),
)
# Elements a script pager is made of: no href to follow, a click handler that sets
# location.href or calls window.open (seen on 区县 templates and 站群 list modules).
SCRIPT_PAGER_TAGS = ("button", "span", "a", "input", "li", "div", "em", "font", "label")

# Pagers no GET request can follow: ASP.NET WebForms (AspNetPager, GridView) post the page
# number back with the form's __VIEWSTATE.
POSTBACK_PAGER_RE = re.compile(r"__doPostBack\(\s*['\"][^'\"]*(?:pager|page|gv|grid)[^'\"]*['\"]", re.IGNORECASE)


# Script assignments that a createPageHTML call may name instead of literals:
# "var countPage = 5//共多少页", "var currentPage = 0", "var prefix = 'index'".
SCRIPT_VAR_RE = re.compile(r"""\b(\w+)\s*=\s*(\d+|'[^'\n]*'|"[^"\n]*")""")


def _script_args(raw: str, variables: dict[str, str] | None = None) -> tuple[list[int], list[str]]:
    ints, strings = [], []
    for arg in raw.split(","):
        arg = arg.strip()
        arg = (variables or {}).get(arg, arg)  # createPageHTML(countPage, currentPage, "index", "html")
        if re.fullmatch(r"-?\d{1,9}", arg):  # longer is no page count (and may be too long for int())
            ints.append(int(arg))
        elif len(arg) >= 2 and arg[0] in "'\"" and arg[-1] == arg[0]:
            strings.append(arg[1:-1])
    return ints, strings


def create_page_html_urls(html: str, page_url: str, max_pages: int = MAX_PAGES) -> list[str]:
    """URLs of every page named by a TRS ``createPageHTML`` call in ``html``.

    Page 0 is ``index.html`` and page *n* is ``index_n.html``, in the list page's folder.

    >>> create_page_html_urls('createPageHTML(3, 0, "index", "html");',
    ...                       "http://x.gov.cn/xxgk/xxgknb/index.html")
    ['http://x.gov.cn/xxgk/xxgknb/index.html', 'http://x.gov.cn/xxgk/xxgknb/index_1.html', \
'http://x.gov.cn/xxgk/xxgknb/index_2.html']
    """
    urls: list[str] = []
    variables: dict[str, str] | None = None  # script variables, read once a call is found
    for match in CREATE_PAGE_RE.finditer(html):
        if variables is None:
            variables = dict(SCRIPT_VAR_RE.findall(html))
        ints, strings = _script_args(match.group(1), variables)
        if not ints:
            continue
        total = min(ints[0], max_pages)
        prefix, ext = (strings[-2], strings[-1]) if len(strings) >= 2 else ("index", "html")
        for n in range(total):
            name = f"{prefix}.{ext}" if n == 0 else f"{prefix}_{n}.{ext}"
            urls.append(urljoin(page_url, name))
    if not urls:
        counted = COUNT_VAR_RE.search(html)
        name = urlsplit(page_url).path.rsplit("/", 1)[-1]
        if counted and (not name or name.startswith("index")):
            ext = name.rsplit(".", 1)[-1] if "." in name else "html"
            total = min(int(counted.group(1)), max_pages)
            urls = [urljoin(page_url, "index." + ext if n == 0 else f"index_{n}.{ext}")
                    for n in range(total)]
    return list(dict.fromkeys(urls))


def _anchor_text(a: HtmlElement) -> str:
    """What a pager link says: its text, else its title, else the ``alt`` of its image.

    Old ASP.NET and table-layout pagers are image buttons (``<img src="page_next.gif"
    alt="下一页">``) with no text at all.
    """
    text = re.sub(r"\s+", "", a.text_content())
    if not text:
        text = a.get("title") or next((img.get("alt") for img in a.iter("img") if img.get("alt")), "")
        text = re.sub(r"\s+", "", text)
    return text


def _pager_word(text: str) -> str:
    """``text`` if it is a pager word, else the word inside its arrows and brackets, else "".

    Templates decorate the words: "下一页 »" (Bootstrap pagers), "末页 »|", "下一頁 >" (Big5
    gateway copies), "【下一页】", "«上一页".
    """
    if text in PAGER_TEXTS or text.isdigit():
        return text
    core = text.strip(PAGER_DECORATION)
    return core if core in PAGER_TEXTS else ""


def pager_urls(tree: HtmlElement, page_url: str, max_pages: int = MAX_PAGES) -> list[str]:
    """Other list pages linked from a page: next links, page numbers and last-page links.

    When the last page is a numbered static page (``index_9.html``) the pages in between are
    filled in, because long pagers elide them ("1 2 3 … 10").
    """
    urls: list[str] = []
    numbered_seen: dict[int, str] = {}
    doc_base = document_base(tree, page_url)
    for a in tree.iter("a"):
        href = link_href(a)  # also onclick="location.href='index_2.html'"
        if not href or href.startswith(NOT_FOLLOWED_HREFS):
            continue
        text = _pager_word(_anchor_text(a))
        if not text:
            continue
        url = urljoin(doc_base, href)
        path = urlsplit(url).path
        numbered = INDEX_N_RE.search(path.rsplit("/", 1)[-1])
        if text.isdigit() and not (numbered or QUERY_PAGE_RE.search(url)
                                   or path.rstrip("/").rsplit("/", 1)[-1].split(".")[0].isdigit()):
            continue  # a number that is not a page link (a year, a count)
        urls.append(url)
        if numbered:
            numbered_seen[int(numbered.group("n"))] = url
    for url in _jump_options(tree, doc_base):
        urls.append(url)
        numbered = INDEX_N_RE.search(urlsplit(url).path.rsplit("/", 1)[-1])
        if numbered:
            numbered_seen[int(numbered.group("n"))] = url
    if len(numbered_seen) >= 2:
        # Fill the gap between the smallest and largest numbered page seen: TRS counts from
        # index_1 (page 2), Hanweb from index_2, so never invent a number below the smallest.
        low, high = min(numbered_seen), min(max(numbered_seen), max_pages)
        # the number was read from the path: a query or fragment after it ("index_9.html?x=1")
        # would leave the whole URL unmatched
        last = numbered_seen[max(numbered_seen)].split("#")[0].split("?")[0]
        match = INDEX_N_RE.search(last)
        base = last[: match.start()]
        stem, ext = match.group("stem"), match.group("ext")
        urls.extend(f"{base}{stem}_{k}.{ext}" for k in range(low, high + 1))
    return list(dict.fromkeys(urls))


def _jump_options(tree: HtmlElement, base: str) -> list[str]:
    """Page URLs offered by a page-jump ``<select>`` whose options are the pages themselves.

    Only a select that navigates on change, and only when some option is page-shaped
    (``index_2.htm``, ``?page=2``): a select of departments or years is no pager.
    """
    found: list[str] = []
    for select in tree.iter("select"):
        if not JUMP_SELECT_RE.search(select.get("onchange") or ""):
            continue
        values = [(o.get("value") or "").strip() for o in select.iter("option")]
        urls = [urljoin(base, v) for v in values if v and not v.isdigit() and not v.startswith(NO_URL_HREFS)]
        if any(INDEX_N_RE.search(urlsplit(u).path.rsplit("/", 1)[-1]) or QUERY_PAGE_RE.search(u) for u in urls):
            found += urls
    return found


def find_list_pages(html: str, tree: HtmlElement, page_url: str,
                    max_pages: int = MAX_PAGES) -> list[str]:
    """Every other page of the column this list page belongs to.

    Pages of one column are siblings in one folder (TRS ``index_N``, Hanweb ``index_N``,
    ``list.jsp?page=N``), so links elsewhere — a "首页" that means the site's home page — are
    not followed as list pages.
    """
    urls = create_page_html_urls(html, page_url, max_pages) + pager_urls(tree, page_url, max_pages)
    return [u for u in dict.fromkeys(urls) if same_folder(u, page_url) and u != page_url]


def same_folder(url: str, other: str) -> bool:
    """True when two URLs share scheme-less host and folder (the path up to its last "/")."""
    a, b = urlsplit(url), urlsplit(other)
    return (a.hostname, a.path.rsplit("/", 1)[0]) == (b.hostname, b.path.rsplit("/", 1)[0])


def unfollowable_pager(html: str, found: list[str], text: str = "") -> str | None:
    """Why a list page that has a pager yielded no other pages, or None when nothing is amiss.

    ``found`` is what :func:`find_list_pages` returned for the page; a crawl can log or count
    the reason so a column that is only partly crawled is not mistaken for a short one.

    >>> unfollowable_pager("<a href=\\"javascript:__doPostBack('AspNetPager1','2')\\">2</a>", [])
    'ASP.NET __doPostBack pager (no GET URL for other pages)'
    """
    if found:
        return None
    if POSTBACK_PAGER_RE.search(html):
        return "ASP.NET __doPostBack pager (no GET URL for other pages)"
    position = page_position(text) if text else None
    if position and position[0] < position[1]:
        # a pager that says there is more ("第1/5页") and gave no page to go to: a button
        # whose script navigates, not operated (plain HTTP, or the browser found no target)
        return f"script pager at page {position[0]} of {position[1]} not followed"
    return None


def pager_text(tree: HtmlElement) -> str:
    """A list page's text with its text runs kept apart ("2018-01-11" and "1/3页" stay two)."""
    return " ".join(t.strip() for t in tree.itertext() if t.strip())


def page_position(text: str) -> tuple[int, int] | None:
    """(page shown, page count) as the list's pager states it, or None. Give it
    :func:`pager_text`: glued text runs ("2018-01-111/3页") hide the position.

    >>> page_position("共48条 第1/5页 首页 上一页 下一页 尾页"), page_position("当前第2页 共7页")
    ((1, 5), (2, 7))
    """
    for pattern, (shown, count) in PAGE_POSITION_RES:
        for match in pattern.finditer(text):
            k, n = int(match.group(shown)), int(match.group(count))
            if 1 <= k <= n:
                return k, n
    return None


def script_pager(tree: HtmlElement) -> str | None:
    """What the "next page" control is when only a script follows it, or None.

    A ``<button>``/``<span>``/``<input>`` (or an ``<a>`` without a real href) saying 下一页 whose
    click handler navigates: no GET link to follow over HTTP, but a browser can click it and be
    told where it goes (:func:`spiders.browser.read_script_pager`).

    >>> from pipelines.htmltext import parse_html
    >>> script_pager(parse_html('<button onclick="location.href=\\'list_2.html\\'">下一页</button>'))
    'button onclick'
    """
    for el in tree.iter(*SCRIPT_PAGER_TAGS):
        text = el.get("value", "") if el.tag == "input" else _anchor_text(el)
        if text.strip(PAGER_DECORATION) not in NEXT_TEXTS and text not in NEXT_TEXTS:
            continue
        href = (el.get("href") or "").strip().lower()
        if href and not href.startswith("javascript") and href != "#":
            continue  # a real link: the HTTP pager follows it
        if el.get("onclick") or href.startswith("javascript"):
            return f"{el.tag} onclick"
    return None
