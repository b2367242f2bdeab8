"""What a URL says about what it serves: the one list of page endings, attachment endings and
download-script words, used by the spider (which links to follow), the browser router (which
URLs may be files) and extraction (which links are a report's files). Pure core: no Scrapy.

    >>> is_page_url("http://x.gov.cn/xxgk/nb/t20220120_1.html"), is_page_url("http://x.gov.cn/a/nb.pdf")
    (True, False)
    >>> is_attachment_link("/module/download/downfile.jsp?filename=P020240115.pdf")
    True
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

# Path endings that only ever serve pages. Static CMS output (.html/.htm/.shtml: TRS, Hanweb),
# server pages (.jsp/.asp/.aspx/.php), JEECMS's .jhtml/.jspx, Struts/Spring actions
# (detail.do?id=N, News_showGkmlNews.action?messagekey=…), JSF's .xhtml, and folder URLs ("/").
PAGE_ENDINGS: tuple[str, ...] = (
    ".html", ".htm", ".shtml", ".jhtml", ".jspx", ".jsp", ".asp", ".aspx", ".php", ".do", ".action",
    ".xhtml", "/",
)
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
    if lowered.startswith(("javascript", "mailto", "#")):
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
