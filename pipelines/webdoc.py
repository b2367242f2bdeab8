"""Read attachments that are web pages in disguise: Word/Excel "save as web page" HTML, MHT web
archives and plain HTML that report generators serve as .doc/.xls (pure core).

Chinese sites publish many a "年度报告.doc" that Word, WPS or a PHP/Java "export to Word" wrote
as HTML, and many a ".doc" that is an MHT single-file web archive. :mod:`pipelines.attachments`
sniffs them (:func:`office_html_kind`, :func:`html_document_kind`) and reads them here: the bytes
are decoded the way pages are (:func:`pipelines.encoding.decode_body`: gb2312 → gb18030), the text
comes from :func:`pipelines.htmltext.element_lines` (one line per paragraph, one per table row
with its cells joined by a tab) and the table grids from :func:`pipelines.stats.html_tables`, the
same code a report page's content block goes through.
"""

from __future__ import annotations

import email
import re
from email.message import Message
from pathlib import PurePosixPath

from lxml.etree import XPath
from lxml.html import HtmlElement

from pipelines.encoding import decode_body
from pipelines.htmltext import element_lines, normalize_line, parse_html
from pipelines.layout import Grid
from pipelines.officetext import OfficeError, OfficeText, trim_grid
from pipelines.stats import html_tables
from pipelines.xpaths import DROP_TAGS

# --- what marks an HTML file as a document ----------------------------------------------------

# How much of the file the marks are looked for in: Word puts its namespaces on <html> and its
# ProgId/Generator metas first in <head>; a GBK Word page has them in the first 2 KB.
MARK_SCAN_BYTES = 16384
# Namespaces Word and Excel write on <html> when they "save as web page" (另存为网页), also in
# "filtered" saves and in each part of an MHT; Word's own win over Excel's (a Word page may
# declare both when it embeds a sheet).
OFFICE_NAMESPACES: tuple[tuple[bytes, str, str], ...] = (
    (b"urn:schemas-microsoft-com:office:word", "doc-html", "Word web page (Office namespaces)"),
    (b"urn:schemas-microsoft-com:office:excel", "xls-html", "Excel web page (Office namespaces)"),
)
# <meta name=ProgId content=Word.Document>, <meta name=Generator content="Microsoft Word 15">,
# WPS's "Kingsoft"/"WPS Office" generator, and the http-equiv Content-Type that PHP/Java
# "导出Word/Excel" generators write (application/msword, application/vnd.ms-excel). Not bare
# "word": a WordPress error page must stay an error page.
_META = re.compile(rb"<meta\b[^>]*>", re.I)
_META_KEY = re.compile(rb"""\b(?:name|http-equiv)\s*=\s*["']?(generator|progid|originator|content-type)\b""",
                       re.I)
_META_CONTENT = re.compile(rb"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
OFFICE_PRODUCERS: tuple[tuple[re.Pattern[bytes], str], ...] = (
    (re.compile(rb"microsoft excel|excel\.sheet|vnd\.ms-excel|spreadsheetml", re.I), "xls-html"),
    (re.compile(rb"microsoft word|word\.document|msword|vnd\.ms-word|wps office|kingsoft", re.I), "doc-html"),
)

# Plain HTML (no Office marks) is a document only when its name says it is one (DOC_EXTENSIONS)
# AND it holds real text: at least MIN_DOCUMENT_CHARS characters outside links, links no more
# than MAX_LINK_SHARE of the text, no password box, no error wording in its title or opening.
# Error pages, login walls and 404s served under the file's URL fail one of these: they are
# short, or all navigation, or say so.
DOC_EXTENSIONS: dict[str, str] = {
    ".doc": "doc-html", ".docx": "doc-html", ".wps": "doc-html", ".rtf": "doc-html",
    ".mht": "doc-html", ".mhtml": "doc-html",
    ".xls": "xls-html", ".xlsx": "xls-html", ".et": "xls-html",
}
MIN_DOCUMENT_CHARS = 200
MAX_LINK_SHARE = 0.5
# How far into the page's text error wording counts (a report may quote "无权访问" deep inside).
ERROR_SCAN_CHARS = 300
# Error and login pages of government CMSes (TRS, Hanweb, nginx/IIS defaults) and their titles.
ERROR_PAGE_PHRASES = re.compile(
    r"^\s*(?:HTTP\s*)?[45]\d\d(?!\d)|页面不存在|页面未找到|找不到(?:该)?页面|您(?:所)?访问的页面|文件不存在|"
    r"资源不存在|无权访问|访问受限|禁止访问|拒绝访问|请先登录|用户登录|系统繁忙|服务器错误|出错了|"
    r"not found|forbidden|access denied|unauthorized|internal server error|bad gateway|"
    r"service unavailable",
    re.I,
)
_PASSWORD_INPUT = re.compile(rb"""<input\b[^>]*\btype\s*=\s*["']?password""", re.I)

# --- what is not the document's text ----------------------------------------------------------

# Word keeps data islands (<xml>) in <head> and conditional comments; some savers leave them
# in <body>.
WEB_DROP_TAGS: tuple[str, ...] = (*DROP_TAGS, "xml")
# Hidden text (Word's display:none;mso-hide:all), and page headers/footers that single-file
# Word HTML from generators keeps in the body as <div style="mso-element:header"> (a DOCX's
# headers are left out too). Styles lower-cased, spaces removed.
_STYLE = 'translate(@style, "ABCDEFGHIJKLMNOPQRSTUVWXYZ ", "abcdefghijklmnopqrstuvwxyz")'
_HIDDEN = XPath(" | ".join(f"//*[contains({_STYLE}, '{rule}')]" for rule in (
    "display:none", "mso-element:header", "mso-element:footer")))
# Excel's MHT keeps the sheet tabs (links to the sheets) in a part of their own.
MHT_SKIP_PARTS = ("tabstrip.htm", "header.htm", "filelist.xml")


def office_html_kind(head: bytes) -> tuple[str, str] | None:
    """``("doc-html" | "xls-html", detail)`` when an HTML file's opening says Word or Excel wrote it.

    >>> office_html_kind(b'<html xmlns:o="urn:schemas-microsoft-com:office:office" '
    ...                  b'xmlns:w="urn:schemas-microsoft-com:office:word">')
    ('doc-html', 'Word web page (Office namespaces)')
    >>> office_html_kind(b'<meta name=Generator content="Microsoft Excel 15">')
    ('xls-html', 'written by Microsoft Excel 15')
    >>> office_html_kind(b"<!DOCTYPE html><html><title>404</title>") is None
    True
    """
    head = head[:MARK_SCAN_BYTES]
    lowered = head.lower()
    for namespace, kind, detail in OFFICE_NAMESPACES:
        if namespace in lowered:
            return kind, detail
    for meta in _META.findall(head):
        key = _META_KEY.search(meta)
        content = _META_CONTENT.search(meta)
        if not key or not content:
            continue
        value = next(g for g in content.groups() if g is not None)
        for producer, kind in OFFICE_PRODUCERS:
            if producer.search(value):
                what = value.decode("ascii", "replace").strip()
                served = key.group(1).lower() == b"content-type"
                return kind, (f"served as {what.split(';')[0]}" if served else f"written by {what}")
    return None


def _page(data: bytes, content_type: str | None = None) -> tuple[HtmlElement, str | None]:
    """The page's body with hidden and non-content elements removed, and its <title>."""
    text, _ = decode_body(data, content_type)
    tree = parse_html(text)
    title = normalize_line(tree.findtext(".//title") or "") or None
    for el in list(tree.iter(*WEB_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in _HIDDEN(tree):
        if el.getparent() is not None:
            el.drop_tree()
    body = tree.find("body")
    return (body if body is not None else tree), title


def html_document_kind(data: bytes, name: str | None) -> tuple[str, str] | None:
    """``("doc-html" | "xls-html", detail)`` when plain HTML named like a document is one.

    Report generators serve an HTML page as "年度报告.doc" with no Office marks; a site serves
    its 404 page or login wall under a file's URL. The first is read, the second stays an
    error: see DOC_EXTENSIONS for the evidence asked for.

    :param data: the file's bytes (already sniffed as HTML without Office marks).
    :param name: its file name; None or a non-document extension (.pdf) gives None.
    """
    suffix = PurePosixPath((name or "").strip().lower()).suffix
    kind = DOC_EXTENSIONS.get(suffix)
    if kind is None:
        return None
    if _PASSWORD_INPUT.search(data):  # a login wall, however much text surrounds the form
        return None
    body, title = _page(data)
    text = "".join("".join(element_lines(body)).split())
    if ERROR_PAGE_PHRASES.search(title or "") or ERROR_PAGE_PHRASES.search(text[:ERROR_SCAN_CHARS]):
        return None
    links = sum(len("".join(a.text_content().split())) for a in body.iter("a"))
    if len(text) - links < MIN_DOCUMENT_CHARS or links > MAX_LINK_SHARE * len(text):
        return None
    return kind, f"plain HTML named {suffix} ({len(text)} characters)"


def read_html_document(data: bytes, content_type: str | None = None) -> OfficeText:
    """Text, table grids and title of an HTML document (Word/Excel web page, generator output).

    Tables are span-expanded the way a report page's are (a merged cell's text in every
    position it covers) and trimmed of Excel's empty columns at the right.

    :param content_type: the Content-Type of the MHT part the page came from (its charset is
        weighed with the page's ``<meta charset>``); None for a file of its own.
    """
    body, title = _page(data, content_type)
    tables: list[Grid] = [grid for table in html_tables(body) if (grid := trim_grid(table))]
    return OfficeText("\n".join(element_lines(body)), tables, title)


def _html_parts(message: Message) -> list[tuple[bytes, str | None, str]]:
    parts = []
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            parts.append((payload, part.get("Content-Type"), str(part.get("Content-Location", ""))))
    return parts


def read_mht(data: bytes) -> tuple[OfficeText, str | None]:
    """An MHT/MHTML web archive's document, and whether Word or Excel wrote it.

    The first ``text/html`` part is the document (quoted-printable or base64; its charset in
    the part header, else its ``<meta>``). Word's page headers sit in a part of their own and
    are left out. An Excel archive holds one part per sheet: every part with a table is read,
    in order, but the sheet tabs.

    :returns: the text and tables, and ``doc-html``/``xls-html`` (None: no Office marks).
    :raises OfficeError: when the archive holds no HTML part.
    """
    parts = _html_parts(email.message_from_bytes(data))
    if not parts:
        raise OfficeError("an MHT web archive with no HTML part")
    marks = office_html_kind(parts[0][0])
    kind = marks[0] if marks else None
    if kind != "xls-html":
        return read_html_document(parts[0][0], parts[0][1]), kind
    sheets = [(payload, content_type) for payload, content_type, location in parts
              if b"<table" in payload.lower()
              and not location.lower().rsplit("/", 1)[-1].endswith(MHT_SKIP_PARTS)]
    read = [read_html_document(payload, content_type) for payload, content_type in sheets or parts[:1]]
    title = _page(parts[0][0], parts[0][1])[1]  # the workbook's, on its frameset part
    return OfficeText("\n".join(r.text for r in read if r.text), [t for r in read for t in r.tables],
                      title), kind
