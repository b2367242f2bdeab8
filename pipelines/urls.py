"""What a URL says about what it serves, and where a link leads: the one module of URL knowledge.

Page endings, attachment endings and download-script words, what a folder URL serves; the URL
shapes of article pages (TRS ``t20220120_1.html``, Hanweb ``art_N_N.html`` …), the column, date
and year an article URL names, where a site's per-document folders begin; link resolution (a
document's ``<base>``, hrefs that name no URL, a link's target in its click handler, files shown
through a viewer); pager URL patterns (``index_N.html``, TRS ``createPageHTML``, ``_N`` page
suffixes) and the parameters that number a list API's pages; which strings in a script are URLs
and which URLs are data endpoints or static assets. Used by the spiders (which links to follow,
which pages a list has, which undated links are entries), the browser router (which URLs may be
files), discovery (which links are single documents) and extraction (which links are a report's
files, an article's other pages) alike. Pure core: no Scrapy.

    >>> is_page_url("http://x.gov.cn/xxgk/nb/t20220120_1.html"), is_page_url("http://x.gov.cn/a/nb.pdf")
    (True, False)
    >>> is_attachment_link("/module/download/downfile.jsp?filename=P020240115.pdf")
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urldefrag, urljoin, urlsplit

from lxml.html import HtmlElement

# Path endings that only ever serve pages. Static CMS output (.html/.htm/.shtml: TRS, Hanweb),
# server pages (.jsp/.asp/.aspx/.php), JEECMS's .jhtml/.jspx, Struts/Spring actions
# (detail.do?id=N, News_showGkmlNews.action?messagekey=…), JSF's .xhtml, and folder URLs ("/").
PAGE_ENDINGS: tuple[str, ...] = (
    ".html", ".htm", ".shtml", ".jhtml", ".jspx", ".jsp", ".asp", ".aspx", ".php", ".do", ".action",
    ".xhtml", "/",
)
# What a folder URL serves: /xxgk/nb/ is /xxgk/nb/index.shtml (TRS), index.html (Hanweb's
# /col/col205/), default.aspx (IIS sites); a pager's link to it is the list's first page again.
FOLDER_INDEX_NAMES: tuple[str, ...] = ("index", "default")
# File types a report is published as (reports published as files, pipelines/attachments.py).
ATTACHMENT_EXTENSIONS: tuple[str, ...] = (
    ".pdf", ".doc", ".docx", ".wps", ".ofd", ".xls", ".xlsx", ".et", ".zip", ".rar",
)
# Link texts that mark an attachment without an extension in its URL.
ATTACHMENT_LINK_WORDS: tuple[str, ...] = ("附件", "下载", "下載", "附件下载")
# Server-side download scripts: Hanweb's /module/download/downfile.jsp?filename=…, TRS's
# /attach/download.jsp?fileid=…, ASP.NET DownLoad.aspx?id=… . Their path ends like a page, so
# the ending alone would take them for pages; a script name with one of these words is a file.
DOWNLOAD_SCRIPT_WORDS: tuple[str, ...] = ("down", "attach", "getfile", "fujian", "showfile")
# Images a scanned report's pages are published as (a content block of <img> only).
SCAN_EXTENSIONS: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp")


# hrefs that name no URL: the target, if any, is in the click handler ("javascript:void(0)", "#")
NO_URL_HREFS: tuple[str, ...] = ("javascript", "#")
# hrefs a crawl never follows as pages or files: those, mail and phone links, and inline data
# (an icon written into the page as data:image/png;base64,…)
NOT_FOLLOWED_HREFS: tuple[str, ...] = (*NO_URL_HREFS, "mailto", "tel:", "data:")

# --- article URLs: their shapes, columns, dates and folders ---------------------------------

# An article page's file name (its last path segment, before the ending), one shape per CMS.
# Lists that show no dates are read by them (spiders/links.py), and discovery takes a link to
# one for a single document, never a column (pipelines/discovery.py).
ARTICLE_NAME_SHAPES: tuple[str, ...] = (
    r"t\d{8}_\d+",    # TRS WCM: /xxgk/nb/202201/t20220120_712301.html (the date, then the document id)
    r"art_\d+_\d+",   # Hanweb: /art/2022/1/15/art_1229214366_58937063.html (the column id, then the document's)
    r"content_\d+",   # www.gov.cn, Xinhua, 岳阳: /2023-03/29/content_5748953.htm
    r"post_\d+",      # Guangdong's gkmlpt: /gkmlpt/content/4/4688/post_4688997.html
    r"[0-9a-f]{32}",  # Shanghai /nw12344/20230331/<32 hex>.html; 江西, 湖南 /c110840/202208/<32 hex>.shtml
    r"i\d+",          # the 衡阳 family (nanyue.gov.cn): /zwgk/zfxxgkgd/20200525/i2026054.html
    r"content-\d+",   # 安康: /Content-2027931.html
    r"\d{6,}",        # bare document ids: 南平 /cms/html/npszf/2013-01-25/1779102018.html
)
# Folders that hold nothing but articles and their files: Hanweb files each by date, /art/2022/1/15/.
ARTICLE_FOLDER_SHAPES: tuple[str, ...] = (r"/art/\d{4}/",)

_ARTICLE_NAME = "(?:" + "|".join(ARTICLE_NAME_SHAPES) + ")"
_PAGE_ENDING = "(?:" + "|".join(re.escape(e) for e in PAGE_ENDINGS if e != "/") + ")"
# An article page, for a list: the whole file name is an article's, with a page ending. A later
# page of an article (t20220120_712301_1.html) is reached from the article's own pager, not
# listed; a folder named like an id (/202201/) is TRS's month folder.
ARTICLE_URL_RE = re.compile(rf"/{_ARTICLE_NAME}{_PAGE_ENDING}$", re.IGNORECASE)
# A single document, for discovery: an article page or one of its later pages, or any page in a
# folder of articles (files are is_attachment_link's). Looser than a list's test: a link wrongly
# taken for a document only costs a candidate column points, one taken for a column can
# outrank the column.
DOCUMENT_URL_RE = re.compile(
    rf"/{_ARTICLE_NAME}(?:_\d{{1,3}})?{_PAGE_ENDING}$|{'|'.join(ARTICLE_FOLDER_SHAPES)}", re.IGNORECASE)

# Hanweb columns live at /col/col1229214366/index.html and file their articles by date outside
# that folder, naming the column in the file name instead: /art/2022/1/15/art_1229214366_58937063.html.
HANWEB_COLUMN_RE = re.compile(r"/col/col(\d+)/")
# Dates in article URLs (read by pipelines.metadata.url_date): TRS /202401/t20240122_123.html,
# Hanweb /art/2021/1/28/art_…, Shanghai /nw12344/20200301/<hex>.html, www.gov.cn /2023-03/29/content_….htm.
URL_DATE_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/[0-9a-f]{16,}"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
)
# Years in article URLs, for a list date that shows month and day only ("01-20"): TRS t20220120_
# names and /202201/ month folders, year folders (/2022/, Hanweb's /art/2022/1/15/).
URL_YEAR_RE = re.compile(r"/t?((?:19|20)\d{2})(?:\d{2}){0,2}(?:/|_)")
# Path segments where a site's template-level folder ends and per-document folders begin:
# numbers and dates (Hanweb /art/2020/9/10/, TRS /202001/, gkmlpt /content/2/2145/, /2021-01/).
DOCUMENT_FOLDER_RE = re.compile(r"^(?:\d+|\d{4}[-_]\d{1,2}(?:[-_]\d{1,2})?)$")

# --- pager URL patterns ---------------------------------------------------------------------

# TRS WCM: createPageHTML(12, 0, "index", "html") — and the newer form with an element id
# first and a record count last: createPageHTML('page_div', 12, 0, 'index', 'html', 230).
# The arguments are a few short literals; bounding them keeps a page of 200,000 unclosed
# "createPageHTML(" from being scanned to its end once per occurrence (quadratic).
CREATE_PAGE_RE = re.compile(r"createPageHTML\s*\(([^)]{0,300})\)")
# Static numbered pages (TRS index_1.html, Hanweb index_2.htm, JEECMS index_2.jhtml).
# The stem starts a path segment and page numbers have at most 9 digits: unanchored, a long
# hostile href ("a_111…1" with no extension) was rescanned from every position (quadratic),
# and int() refuses a 5000-digit page number.
INDEX_N_RE = re.compile(r"(?:^|(?<=/))(?P<stem>[^/]*?)_(?P<n>\d{1,9})\.(?P<ext>s?html?|jhtml)$")
# Request parameters that number a list's page, in order of preference (a list API's call that
# names two is paged by the first), matched in any case: Java back ends' ?pageNo=2 and pageNum,
# list.jsp?page=2, Struts' list.do?columnId=58&currentPage=2, ASP.NET's ?PageIndex=2,
# MyBatis-Plus's current, Baidu-style pn and p.
PAGE_PARAMS: tuple[str, ...] = (
    "pageNo", "page_no", "pageNum", "page", "currentPage", "currPage", "curPage", "cpage", "pageIndex", "current",
    "pn", "p",
)
# … and those that size it (pageSize=15, MyBatis-Plus's size, jqGrid's rows, limit).
PAGE_SIZE_PARAMS: tuple[str, ...] = ("pageSize", "perPage", "size", "limit", "rows", "ps")
# Query-string pagers: a link whose query numbers the page (list.jsp?page=2, ?PageIndex=2).
QUERY_PAGE_RE = re.compile(rf"[?&](?:{'|'.join(PAGE_PARAMS)})=\d+", re.IGNORECASE)
# TRS article pagination: t20220118_712301.html, t20220118_712301_1.html, …; the page script
# calls createPageHTML(3, 0, "t20220118_712301", "html") like a list page does with "index".
ARTICLE_PAGE_CALL_RE = re.compile(r"createPageHTML\s*\(\s*(\d{1,3})\s*,\s*\d{1,3}\s*,\s*[\"']([^\"']+)[\"']\s*,"
                                  r"\s*[\"'](\w+)[\"']")
# The page number an article's later page adds to its file stem: t…_712301_1 is page 2 of t…_712301.
PAGE_SUFFIX_RE = re.compile(r"_(\d{1,3})$")


# --- URLs in scripts ------------------------------------------------------------------------

# A string in a script that names a URL (a menu kept in a script: var menu = [{name: "…",
# url: "/xxgk/nb/"}]): absolute, rooted or ./-relative, or a bare relative path that ends like
# a page ("xxgk/nb/index.html", JEECMS "nb/index.jhtml").
SCRIPT_URL_RE = re.compile(rf"""^(?:https?://|/|\./|\.\./)[^\s<>"']*$|^[\w./-]+{_PAGE_ENDING}(?:\?\S*)?$""",
                           re.IGNORECASE)
# Endpoints a script fetches data from (XHR): JSON files, API paths, TRS's /trsapi/, Hanweb's
# jpage dataproxy.jsp, /data/ folders of static-site generators.
DATA_URL_RE = re.compile(r"\.json(?:\?|$)|/api/|/trsapi/|dataproxy\.jsp|/data/", re.IGNORECASE)
# Scripts a portal loads that are libraries or trackers, never its own menu: jQuery, Bootstrap,
# Vue, React, polyfills, analytics, and any minified bundle.
LIBRARY_SCRIPT_RE = re.compile(r"jquery|bootstrap|vue|react|polyfill|analytics|\.min\.js", re.IGNORECASE)
# Static assets: scripts, style sheets, images and fonts, never a list's data endpoint.
STATIC_ASSET_EXTENSIONS: tuple[str, ...] = (
    ".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2",
)


def is_page_path(path: str) -> bool:
    """Whether a URL path ends like a page (``/xxgk/t1.html``, ``/xxgk/``), whatever its query."""
    return path.lower().endswith(PAGE_ENDINGS)


def surely_page(url: str) -> bool:
    """Whether a URL can only serve a page: it ends like one and is no download script.

    Stricter than :func:`is_page_url`, which also takes extensionless URLs for pages (most are,
    but a servlet such as ``getfile?id=1`` serves files): the browser router renders only these
    at once and fetches the others over HTTP first.
    """
    return is_page_path(urlsplit(url).path) and not is_attachment_link(url)


def is_attachment_link(href: str, text: str = "") -> bool:
    """Whether a link leads to a file: by its extension, a file name in its query, a download
    script, or a link text that is a file's name ("江州市2021年报告.pdf" on ``/attach/download?id=1``)."""
    lowered = href.strip().lower()
    if lowered.startswith(NOT_FOLLOWED_HREFS):
        return False
    path, _, query = lowered.split("#")[0].partition("?")
    if path.endswith(ATTACHMENT_EXTENSIONS):
        return True
    # downfile.jsp?filename=P020240115.pdf: the file's name rides in the query string.
    if query and any(unquote(value).strip().endswith(ATTACHMENT_EXTENSIONS)
                     for _, value in parse_qsl(query, keep_blank_values=True)):
        return True
    script = path.rsplit("/", 1)[-1]
    if any(word in script for word in DOWNLOAD_SCRIPT_WORDS) and (
            (script.endswith(PAGE_ENDINGS) and not script.endswith("/")) or (query and "." not in script)):
        # Java servlets and Spring handlers have no extension at all: /attach/download?id=123,
        # /servlet/FileDownloadServlet?fileId=88213.
        return True
    if path.endswith(PAGE_ENDINGS):
        return False  # an article page whose title reads "….pdf" is still a page
    return text.strip().lower().endswith(ATTACHMENT_EXTENSIONS) or any(word in text for word in ATTACHMENT_LINK_WORDS)


def is_page_url(url: str) -> bool:
    """True for URLs that serve HTML pages, False for attachment files."""
    if is_attachment_link(url):  # also downfile.jsp?filename=….pdf, which looks like a page
        return False
    path = urlsplit(url).path.lower()
    last = path.rsplit("/", 1)[-1]
    return path.endswith(PAGE_ENDINGS) or "." not in last


def is_article_url(url: str) -> bool:
    """Whether a URL's shape alone says it is an article page (:data:`ARTICLE_NAME_SHAPES`), for
    a list that shows no dates: its undated links are its entries when they look like articles.

    >>> [is_article_url(u) for u in ("http://x.gov.cn/xxgk/nb/202201/t20220120_1.html",
    ...     "http://x.gov.cn/art/2022/1/15/art_1229214366_58937063.html?from=list",
    ...     "http://x.gov.cn/gkmlpt/content/4/4688/post_4688997.html")]
    [True, True, True]
    >>> is_article_url("http://x.gov.cn/xxgk/nb/202201/"), is_article_url("http://x.gov.cn/col/col205/index.html")
    (False, False)
    """
    return bool(ARTICLE_URL_RE.search(urlsplit(url).path))


def is_document_url(url: str) -> bool:
    """Whether a URL names one document rather than a column: an article page (its later pages
    too, on any ending), a page in Hanweb's dated ``/art/`` folders, or a file. Discovery weighs a
    link to one against being the annual-report column ("2023年年报" on ``t20240131_1.html``).

    >>> [is_document_url(u) for u in ("http://x.gov.cn/nb/t20240131_9_1.html",
    ...     "http://x.gov.cn/art/2024/1/3/index.html", "http://x.gov.cn/files/nb.pdf")]
    [True, True, True]
    >>> is_document_url("http://x.gov.cn/zwgk/gknb/"), is_document_url("http://x.gov.cn/xxgk/nb/202201/")
    (False, False)
    """
    return bool(DOCUMENT_URL_RE.search(urlsplit(url).path)) or is_attachment_link(url)


def first_page_alias(url: str, page_url: str) -> bool:
    """True when ``url`` and ``page_url`` are a folder and its index page (one page, two URLs).

    >>> first_page_alias("http://x.gov.cn/xxgk/nb/index.shtml", "http://x.gov.cn/xxgk/nb/")
    True
    >>> first_page_alias("http://x.gov.cn/xxgk/nb/index_1.shtml", "http://x.gov.cn/xxgk/nb/")
    False
    """
    a, b = urlsplit(url), urlsplit(page_url)
    if (a.scheme, a.netloc, a.query) != (b.scheme, b.netloc, b.query):
        return False
    for folder, page in ((a.path, b.path), (b.path, a.path)):
        if folder.endswith("/") and page.startswith(folder):
            name = page[len(folder):]
            if "/" not in name and name.rpartition(".")[0].lower() in FOLDER_INDEX_NAMES:
                return True
    return False


def path_prefix(url: str) -> str:
    """The folder a render decision is remembered for: the path up to its first per-document folder.

    >>> path_prefix("http://x.gov.cn/art/2020/9/10/art_165819_9795188.html")
    '/art/'
    >>> path_prefix("http://x.gov.cn/xxgk/xxgknb/202001/t20200115_1.html"), path_prefix("http://x.gov.cn/")
    ('/xxgk/xxgknb/', '/')
    """
    folders = urlsplit(url).path.split("/")[1:-1]
    kept: list[str] = []
    for segment in folders:
        if DOCUMENT_FOLDER_RE.match(segment):
            break
        kept.append(segment)
    return "/" + "".join(f"{s}/" for s in kept)


def in_column(url: str, column_url: str) -> bool:
    """Whether an article URL belongs to a column: it sits under the column's folder, or it names
    the column's Hanweb id (Hanweb files articles by date, outside the column's folder).

    >>> in_column("http://x.gov.cn/xxgk/nb/202201/t20220120_1.html", "http://x.gov.cn/xxgk/nb/index.shtml")
    True
    >>> in_column("http://x.gov.cn/art/2022/1/15/art_1229214366_5.html", "http://x.gov.cn/col/col1229214366/index.html")
    True
    >>> in_column("http://x.gov.cn/xwzx/202201/t20220120_9.html", "http://x.gov.cn/xxgk/nb/index.shtml")
    False
    """
    folder = urlsplit(column_url).path.rsplit("/", 1)[0] + "/"
    if urlsplit(url).path.startswith(folder) and folder != "/":
        return True
    hanweb = HANWEB_COLUMN_RE.search(column_url)
    return bool(hanweb and f"art_{hanweb.group(1)}_" in url)


def url_year(url: str) -> int | None:
    """The year a URL files its article under (:data:`URL_YEAR_RE`), or None.

    >>> url_year("http://x.gov.cn/xxgk/nb/t20220120_1.html"), url_year("http://x.gov.cn/xxgk/nb/2021/a.html")
    (2022, 2021)
    >>> url_year("http://x.gov.cn/xxgk/nb/index.html") is None
    True
    """
    match = URL_YEAR_RE.search(url)
    return int(match.group(1)) if match else None


def find_params(params: Iterable[str], names: tuple[str, ...]) -> list[str]:
    """The parameters of a request that are among ``names`` (:data:`PAGE_PARAMS`,
    :data:`PAGE_SIZE_PARAMS`) in any case, as the request writes them, in the order of ``names``:
    a back end may route on its parameters' case, so a call for another page keeps it.

    >>> find_params(["columnId", "PageIndex", "pageSize"], PAGE_PARAMS), find_params(["id"], PAGE_PARAMS)
    (['PageIndex'], [])
    >>> find_params({"rows": "15", "pageNo": "1", "pagesize": "15"}, PAGE_SIZE_PARAMS)
    ['pagesize', 'rows']
    """
    written: dict[str, str] = {}
    for name in params:
        written.setdefault(name.lower(), name)
    return [written[n.lower()] for n in names if n.lower() in written]


def page_param(params: Iterable[str]) -> str | None:
    """Which of a list request's parameters numbers its page (the first of :data:`PAGE_PARAMS` it
    has), or None: a list API called with none of them cannot be paged by the crawl.

    >>> page_param(["columnId", "pageNo", "pageSize"]), page_param(["columnId", "pageSize"])
    ('pageNo', None)
    """
    return next(iter(find_params(params, PAGE_PARAMS)), None)


def is_script_url(text: str) -> bool:
    """Whether a string found in a script names a URL (:data:`SCRIPT_URL_RE`); "/" alone is a
    path joiner, not a URL.

    >>> [is_script_url(t) for t in ("/xxgk/nb/", "xxgk/nb/index.jhtml", "./", "年报", "a.b")]
    [True, True, False, False, False]
    """
    return bool(SCRIPT_URL_RE.match(text)) and bool(text.strip("./"))


def is_data_url(url: str) -> bool:
    """Whether a URL is an endpoint a script fetches data from (:data:`DATA_URL_RE`).

    >>> is_data_url("/api/menu?site=1"), is_data_url("/module/web/jpage/dataproxy.jsp"), is_data_url("/xxgk/")
    (True, True, False)
    """
    return bool(DATA_URL_RE.search(url))


def is_static_asset(url: str) -> bool:
    """Whether a URL serves a script, style sheet, image or font (:data:`STATIC_ASSET_EXTENSIONS`).

    >>> is_static_asset("http://x.gov.cn/js/list.js"), is_static_asset("http://x.gov.cn/api/list.do")
    (True, False)
    """
    return urlsplit(url).path.lower().endswith(STATIC_ASSET_EXTENSIONS)


# --- link resolution ------------------------------------------------------------------------

# Links whose href is "javascript:void(0)" or "#" and whose target is in the click handler
# (信息公开目录 tables: onclick="window.open('/xxgk/…/t20220120_1.html')"; location.href='…').
ONCLICK_URL_RE = re.compile(
    r"""(?:window\.open|(?:window\.|document\.)?location(?:\.href)?\s*=|location\.assign)\s*\(?\s*(['"])([^'"]+)\1""")
# Query parameters through which an embedded viewer names the file it shows: pdf.js
# (/pdfjs/web/viewer.html?file=/uploads/nb.pdf), and CMS wrappers of it (?url=, ?src=, ?path=).
VIEWER_FILE_PARAMS = ("file", "url", "src", "path", "fileurl", "filepath", "pdf")
# Quoted URLs in a click handler or a javascript: href: onclick="openPdf('/files/nb.pdf')",
# href="javascript:showFile('/attach/download?id=1')".
_SCRIPT_STRING_RE = re.compile(r"""(['"])([^'"\s]+)\1""")
# Elements that show a file in the page rather than link it, and the attribute naming it.
EMBED_ATTRS = {"iframe": "src", "frame": "src", "embed": "src", "object": "data"}
FILE_LINK_TAGS = ("a", *EMBED_ATTRS)


def resolve_href(href: str, base: str) -> str | None:
    """The absolute URL an href leads to, without its fragment, or None when it names nothing to
    follow (:data:`NOT_FOLLOWED_HREFS`). ``base`` is what the page's links resolve against
    (:func:`document_base`).

    >>> resolve_href("./202201/t20220120_1.html#zoom", "http://x.gov.cn/xxgk/nb/index.shtml")
    'http://x.gov.cn/xxgk/nb/202201/t20220120_1.html'
    >>> [resolve_href(h, "http://x.gov.cn/") for h in ("JavaScript:void(0)", "#top", "mailto:gk@x.gov.cn", "")]
    [None, None, None, None]
    """
    href = (href or "").strip()
    if not href or href.lower().startswith(NOT_FOLLOWED_HREFS):
        return None
    return urldefrag(urljoin(base, href))[0]


def document_base(tree: HtmlElement, page_url: str) -> str:
    """The URL a page's relative links resolve against: its ``<base href>``, else the page URL.

    Old table-layout portals set ``<base href="http://www.x.gov.cn/xxgk/">`` in every page and
    write links relative to it ("./nb/202101/t20210115_1.htm"); joined to the page URL they
    name pages that do not exist, joined to the base they name what a browser opens.

    >>> from lxml.html import document_fromstring
    >>> document_base(document_fromstring('<html><head><base href="/xxgk/"></head><body>x</body></html>'),
    ...               "http://x.gov.cn/xxgk/nb/index.htm")
    'http://x.gov.cn/xxgk/'
    """
    # the first <base> with an href decides, as in a browser (tree.iter: the tag is matched in C;
    # "//base/@href" visited every node of the page, a third of a millisecond on a report)
    href = next((h for h in (el.get("href") for el in tree.iter("base")) if h is not None), None)
    if href is not None and href.strip():
        base = urljoin(page_url, href.strip())
        if urlsplit(base).scheme in ("http", "https"):
            return base
    return page_url


def link_href(a: HtmlElement) -> str:
    """Where a link leads: its ``href``, or for a ``javascript:``/``#`` link the URL its
    ``onclick`` opens ("" when there is none to know).

    >>> from pipelines.htmltext import parse_html
    >>> a = parse_html('<a href="#" onclick="window.open(&quot;/a/1.html&quot;)">x</a>').find(".//a")
    >>> link_href(a)
    '/a/1.html'
    """
    href = (a.get("href") or "").strip()
    if href and not href.lower().startswith(NO_URL_HREFS):
        return href
    match = ONCLICK_URL_RE.search(a.get("onclick") or "") or ONCLICK_URL_RE.search(
        href[len("javascript:"):] if href.lower().startswith("javascript:") else "")
    return match.group(2).strip() if match else ""


def viewer_file(href: str) -> str | None:
    """The file an embedded viewer URL shows (``viewer.html?file=/uploads/nb.pdf`` →
    ``/uploads/nb.pdf``), or None when ``href`` names no viewed file.

    A download script's own file name (``downfile.jsp?filename=1f2e.pdf``) is not a viewed
    file: only a value that is a path or URL is.

    >>> viewer_file("/pdfjs/web/viewer.html?file=%2Fuploads%2F2022%2Fnb.pdf")
    '/uploads/2022/nb.pdf'
    >>> viewer_file("/module/download/downfile.jsp?classid=0&filename=1f2e.pdf") is None
    True
    """
    _, _, query = href.split("#")[0].partition("?")
    for name, value in parse_qsl(query, keep_blank_values=True):
        value = value.strip()
        if name.lower() in VIEWER_FILE_PARAMS and "/" in value and (
                is_attachment_link(value) or "viewer" in href.lower()):
            return value
    return None


def file_hrefs(el: HtmlElement) -> list[tuple[str, str]]:
    """The files an element points at, as (href, viewer): ``viewer`` is the viewer page's href
    that ``href`` was read from (pdf.js resolves its ``file=`` against it), else ""."""
    tag = el.tag
    if tag in EMBED_ATTRS:
        src = (el.get(EMBED_ATTRS[tag]) or "").strip()
        if not src:
            return []
        viewed = viewer_file(src)
        # an <iframe> of an ordinary page is no file; an <embed>/<object> of one with no
        # extension (a servlet) is, when it says it shows a PDF
        if viewed:
            return [(viewed, src)]
        if is_attachment_link(src) or "pdf" in (el.get("type") or "").lower():
            return [(src, "")]
        return []
    href = (el.get("href") or "").strip()
    if href and not href.lower().startswith(NO_URL_HREFS):
        viewed = viewer_file(href)
        return [(viewed, href)] if viewed else [(href, "")]
    script = (el.get("onclick") or "") + " " + (href[len("javascript:"):] if href.lower().startswith(
        "javascript:") else "")
    return [(m.group(2), "") for m in _SCRIPT_STRING_RE.finditer(script) if is_attachment_link(m.group(2))]
