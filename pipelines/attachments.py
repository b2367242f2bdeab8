"""Identify an attachment file by its bytes and read its text: PDF, DOCX, DOC, WPS, OFD, XLS(X), ODS,
Office web pages and XML, scans (pure core).

``read_attachment(data, name)`` sniffs the real type (``%PDF``, OLE2 ``D0CF11E0`` with its
stream names for DOC/WPS/XLS, a ZIP holding ``word/document.xml``, ``xl/workbook.xml``,
``OFD.xml`` or an ODS mimetype, image magic numbers, Word/Excel web pages and MHT archives,
Office 2003 XML, an HTML error page), then hands the bytes to the reader of that format
(:mod:`pipelines.pdftext`, :mod:`pipelines.officetext`, :mod:`pipelines.webdoc`,
:mod:`pipelines.ofdtext`, :mod:`pipelines.ocr`). It never raises: a file that cannot be read
comes back with ``error`` set. The attachment pipeline (:mod:`pipelines.attachments_pipeline`) runs it on every fetched
attachment; ``gongkai read-file FILE`` runs it on a saved file.
"""

from __future__ import annotations

import codecs
import email.header
import io
import re
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from pipelines import metadata as md
from pipelines import ocr
from pipelines.classify import classify
from pipelines.layout import Grid
from pipelines.ofdtext import OfdError, read_ofd
from pipelines.officetext import (
    OfficeError,
    Soffice,
    read_docx,
    read_ods,
    read_spreadsheetml,
    read_word_binary,
    read_wordml,
    read_xls,
    read_xlsx,
)
from pipelines.pdftext import PdfError, read_pdf
from pipelines.repair import detect_script
from pipelines.urls import ATTACHMENT_EXTENSIONS
from pipelines.webdoc import html_document_kind, office_html_kind, read_html_document, read_mht

# --- what the bytes say ------------------------------------------------------------------------

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
IMAGE_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"),
    (b"GIF89a", "gif"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
)
ARCHIVE_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"),
)
# OLE2 stream names (first level) and what they make the file.
OLE_WORD_STREAM = "worddocument"
OLE_STREAM_TYPES: tuple[tuple[str, str], ...] = (
    ("worddocument", "doc"), ("workbook", "xls"), ("book", "xls"),
    ("powerpoint document", "ppt"),
    ("contents", "wps"),  # Microsoft Works word processor (.wps), read by LibreOffice's libwps
)
# Kingsoft WPS Office writes these into the Word 97 files it saves (.wps, and .doc "saved by
# WPS"): a ``WpsCustomData`` stream and a ``KSOProductBuildVer`` custom property.
KINGSOFT_STREAMS: tuple[str, ...] = ("wpscustomdata", "kso", "ksocustomdata")
KINGSOFT_PROPERTY_MARKERS: tuple[bytes, ...] = (b"KSOProductBuildVer", "KSOProductBuildVer".encode("utf-16-le"))
# ZIP member names (lower case) that make a package a DOCX, XLSX, OFD, …; first match wins.
ZIP_MEMBER_TYPES: tuple[tuple[str, str], ...] = (
    ("ofd.xml", "ofd"), ("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
)
# OpenDocument packages by their ``mimetype`` member (ODT goes through LibreOffice, ODS is read
# from its XML).
ODF_MIMETYPES: dict[bytes, str] = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# Start of an HTML page: an error page or login wall served under a .pdf URL, or a Word/Excel
# web page or generator output served as .doc/.xls (pipelines.webdoc tells them apart).
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|script)",
                         re.I | re.S)
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
# MHT/MHTML single-file web archives (Word's and IE's "单个文件网页", often named .doc): MIME
# headers, then a multipart/related body. Saved by IE/Chrome they open with From:/Subject: lines.
_MHT_HEADERS = re.compile(rb"^mime-version:\s*1\.0", re.I | re.M)
_MHT_MULTIPART = re.compile(rb"^content-type:\s*multipart/related", re.I | re.M)
MHT_SCAN_BYTES = 4096
# Office 2003 XML ("XML 文档", "XML 电子表格") and Word 2007+ flat OPC, served as .doc/.xls/.xml:
# the <?mso-application?> instruction Office writes, else the root element.
OFFICE_XML_TYPES: tuple[tuple[tuple[bytes, ...], str, str], ...] = (
    ((b'progid="word.document"', b"<w:worddocument"), "doc-xml", "Word XML"),
    ((b'progid="excel.sheet"', b"urn:schemas-microsoft-com:office:spreadsheet"), "xls-xml", "Excel 2003 XML"),
)
SNIFF_SCAN_BYTES = 16384

# Formats whose text becomes a report body; spreadsheets only supplement one.
DOCUMENT_TYPES: frozenset[str] = frozenset({"pdf", "docx", "doc", "wps", "ofd", "rtf", "odt", "image",
                                            "doc-html", "mht", "doc-xml"})
# A report page whose own text is shorter than this (characters, whitespace ignored) and that
# links attachments is a stub: "根据…规定,现将《…》予以公布,全文详见附件。附件:….pdf".
STUB_MAX_CHARS = 300
# A file whose text is shorter than this has nothing worth calling a report.
MIN_TEXT_CHARS = 20


@dataclass(frozen=True)
class Sniffed:
    """The type read from a file's bytes, and a detail worth keeping (producer, damage)."""

    type: str
    detail: str | None = None


@dataclass
class AttachmentText:
    """What could be read from one attachment file.

    ``type`` is the sniffed type (``pdf docx doc wps ofd xlsx xls ods rtf odt image doc-html
    xls-html mht doc-xml xls-xml html empty zip rar 7z ole ppt pptx unknown``: ``doc-html`` is
    a Word web page or generator HTML served as a document, ``mht`` a web archive, ``doc-xml``/
    ``xls-xml`` Office 2003 XML; ``html`` an error page); ``method`` says which reader produced
    ``text``; ``tables`` are the file's tables as rectangular grids (``list[list[str]]``);
    ``ocr`` is True when any text came from OCR, with the mean word confidence 0–100 in
    ``ocr_confidence``. ``error`` is set when the text is missing or not to be trusted
    (truncated file, unread scanned pages).
    """

    type: str
    text: str = ""
    tables: list[Grid] = field(default_factory=list)
    page_count: int | None = None
    method: str | None = None
    ocr: bool = False
    ocr_confidence: float | None = None
    title: str | None = None
    error: str | None = None
    detail: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the text can stand for the report's body."""
        return self.error is None and len("".join(self.text.split())) >= MIN_TEXT_CHARS

    @property
    def stats_source(self) -> str:
        """The ``source`` to parse this file's statistics with: its type, ``-ocr`` when OCR read any of it.

        Numbers Tesseract read from a scan can be misread (8 for 3), so their cells say so:
        ``pdf-ocr`` grid cells, ``pdf-ocr-text`` text cells (:func:`pipelines.stats.text_source`).

        >>> AttachmentText("pdf").stats_source, AttachmentText("image", ocr=True).stats_source
        ('pdf', 'image-ocr')
        """
        return f"{self.type}-ocr" if self.ocr else self.type


@dataclass
class ReadOptions:
    """How files are read: OCR settings and the LibreOffice converter (shared, it holds a lock)."""

    ocr: ocr.OcrOptions = field(default_factory=lambda: ocr.OcrOptions(enabled=ocr.available()))
    soffice: Soffice = field(default_factory=Soffice)


# A DOCX/XLSX/OFD whose parts declare more than this, uncompressed, is refused before any reader
# (python-docx, openpyxl) inflates it in memory: a 10 MB "zip bomb" can declare gigabytes.
MAX_ZIP_EXPANDED = 300 * 1024 * 1024


# What zipfile raises on a damaged or exotic package: a flipped byte in the central directory
# gives "zip file version 25.5" or compression method 99 (NotImplementedError), the encryption
# flag "password required" (RuntimeError), a cut deflate stream zlib.error or EOFError.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError,
              OSError, EOFError, zlib.error)
ZIP_FAMILY = frozenset({"zip", "docx", "xlsx", "ofd", "ods"})


def _zip_type(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            expanded = sum(info.file_size for info in package.infolist())
            if expanded > MAX_ZIP_EXPANDED:
                return Sniffed("zip", f"refused: the ZIP expands to {expanded / 2**20:,.0f} MB "
                                      f"(limit {MAX_ZIP_EXPANDED / 2**20:,.0f} MB)")
            names = {n.lower().lstrip("/") for n in package.namelist()}
            if "mimetype" in names:
                mimetype = package.read(next(n for n in package.namelist() if n.lower() == "mimetype"))
                if mimetype.strip() in ODF_MIMETYPES:
                    return Sniffed(ODF_MIMETYPES[mimetype.strip()])
    except ZIP_ERRORS as e:
        return Sniffed("zip", f"damaged ZIP: {e or type(e).__name__}")
    for member, kind in ZIP_MEMBER_TYPES:
        if member in names:
            return Sniffed(kind)
    if "[content_types].xml" in names:
        return Sniffed("zip", "an Office Open XML package of no known kind")
    return Sniffed("zip", f"{len(names)} files")


def _ole_type(data: bytes) -> Sniffed:
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except Exception as e:  # olefile raises OSError or its own errors on damaged files
        return Sniffed("ole", f"damaged OLE2 file: {e}")
    try:
        streams = {"/".join(path).lower() for path in ole.listdir(streams=True, storages=True)}
        kingsoft = any(s in streams for s in KINGSOFT_STREAMS)
        if not kingsoft and ole.exists("\x05DocumentSummaryInformation"):
            props = ole.openstream("\x05DocumentSummaryInformation").read()
            kingsoft = any(m in props for m in KINGSOFT_PROPERTY_MARKERS)
    finally:
        ole.close()
    top = {s.split("/")[0] for s in streams}
    for stream, kind in OLE_STREAM_TYPES:
        if stream in top:
            if kind == "doc" and kingsoft:
                return Sniffed("wps", "Word 97 format written by Kingsoft WPS")
            if kind == "wps":
                return Sniffed("wps", "Microsoft Works")
            return Sniffed(kind, "written by Kingsoft WPS" if kingsoft else None)
    return Sniffed("ole", "OLE2 streams: " + ", ".join(sorted(top)))


def _text_head(data: bytes) -> bytes:
    """The file's opening with ASCII markup as ASCII bytes, also for UTF-16 (Word's "Unicode" saves)."""
    head = data[:SNIFF_SCAN_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", "ignore").encode("ascii", "ignore")
    return head.removeprefix(codecs.BOM_UTF8)


def _office_xml_type(head: bytes) -> Sniffed | None:
    if not head.lstrip().startswith(b"<?"):  # <?xml …?> or <?mso-application …?> opens them
        return None
    lowered = head.lower()
    for markers, kind, detail in OFFICE_XML_TYPES:
        if any(marker in lowered for marker in markers):
            return Sniffed(kind, "Word 2007 XML (flat OPC)" if b"<pkg:package" in lowered else detail)
    return None


def sniff(data: bytes) -> Sniffed:
    """The real type of a file from its bytes, whatever its name or Content-Type says.

    HTML with Word's or Excel's marks (namespaces, ProgId/Generator metas) is ``doc-html`` or
    ``xls-html``; other HTML is ``html`` here, and :func:`read_attachment` reads it as a
    document only when its name and text say it is one (:func:`pipelines.webdoc.html_document_kind`).

    >>> sniff(b"%PDF-1.7\\n...").type, sniff(b"").type, sniff(b"<!DOCTYPE html><html>").type
    ('pdf', 'empty', 'html')
    >>> sniff(b'<html xmlns:w="urn:schemas-microsoft-com:office:word"><body>').type
    'doc-html'
    """
    if not data:
        return Sniffed("empty")
    head = data[:1024]
    if b"%PDF-" in head:  # the spec lets junk precede the header; Acrobat looks in 1 KB
        return Sniffed("pdf")
    if data.startswith(OLE2_MAGIC):
        return _ole_type(data)
    if data.startswith(ZIP_MAGICS):
        return _zip_type(data)
    for magic, name in IMAGE_MAGICS:
        if data.startswith(magic):
            return Sniffed("image", name)
    if data.startswith(b"BM") and len(data) > 26 and data[14:15] in (b"\x0c", b"(", b"@", b"l", b"|"):
        return Sniffed("image", "bmp")
    for magic, name in ARCHIVE_MAGICS:
        if data.startswith(magic):
            return Sniffed(name)
    if data.lstrip()[:5] == b"{\\rtf":
        return Sniffed("rtf")
    text_head = _text_head(data)
    if _MHT_HEADERS.search(text_head[:MHT_SCAN_BYTES]) and _MHT_MULTIPART.search(text_head[:MHT_SCAN_BYTES]):
        return Sniffed("mht")
    office_xml = _office_xml_type(text_head)
    if office_xml is not None:
        return office_xml
    if _HTML_START.match(text_head[:1024]) or b"<html" in text_head[:1024].lower():
        office = office_html_kind(text_head)
        return Sniffed(*office) if office else Sniffed("html")
    return Sniffed("unknown", "first bytes: " + data[:8].hex(" "))


# --- the file's name ------------------------------------------------------------------------


def _decode_name(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _basename(name: str) -> str:
    return PureWindowsPath(PurePosixPath(name).name).name.strip().strip('"')


def filename_from_disposition(value: str | bytes | None) -> str | None:
    """The file name in a Content-Disposition header, decoded the way Chinese servers send it.

    ``filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf`` (RFC 6266), ``filename="年报.pdf"`` in raw GBK
    or UTF-8 bytes, ``filename=%C4%EA%B1%A8.pdf`` (percent-encoded GBK) and RFC 2047
    ``=?UTF-8?B?…?=`` all give ``年报.pdf``. ``value`` as ``str`` is taken to hold the header's
    bytes decoded as Latin-1 (what Scrapy's headers give).

    >>> filename_from_disposition('attachment; filename="' + "年报.pdf".encode("gbk").decode("latin-1") + '"')
    '年报.pdf'
    >>> filename_from_disposition("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf")
    '年报.pdf'
    """
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = value.encode("latin-1")
        except UnicodeEncodeError:
            value = value.encode("utf-8")
    extended = re.search(rb"filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)", value, re.I)
    if extended:
        charset = extended.group(1).decode("ascii").lower()
        raw = unquote_to_bytes(extended.group(2).strip().strip(b'"').decode("latin-1"))
        try:
            return _basename(raw.decode("gb18030" if charset in ("gbk", "gb2312") else charset))
        except (LookupError, UnicodeDecodeError):
            return _basename(_decode_name(raw))
    plain = re.search(rb'filename\s*=\s*("([^"]*)"|[^;]+)', value, re.I)
    if not plain:
        return None
    raw = (plain.group(2) if plain.group(2) is not None else plain.group(1)).strip()
    if raw.startswith(b"=?") and raw.endswith(b"?="):
        parts = email.header.decode_header(raw.decode("latin-1"))
        return _basename("".join(p.decode(c or "utf-8", "replace") if isinstance(p, bytes) else p
                                 for p, c in parts))
    if re.search(rb"%[0-9A-Fa-f]{2}", raw) and raw.isascii():
        raw = unquote_to_bytes(raw.decode("ascii"))
    return _basename(_decode_name(raw)) or None


_ATTACHMENT_EXTENSIONS_BYTES = tuple(e.encode() for e in ATTACHMENT_EXTENSIONS)


def filename_from_url(url: str) -> str | None:
    """The file's name in a URL: the last path segment, percent-decoded (UTF-8, else GBK), or
    for a download script the file name its query carries (Hanweb's
    ``downfile.jsp?classid=0&filename=2201171530123.pdf`` is "2201171530123.pdf", not "downfile.jsp").

    >>> filename_from_url("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=a%2Fb.pdf")
    'b.pdf'
    """
    parts = urlsplit(url)
    last = parts.path.rsplit("/", 1)[-1]
    if not last.lower().endswith(ATTACHMENT_EXTENSIONS) and parts.query:
        for value in re.split(r"[&;]", parts.query):
            raw = unquote_to_bytes(value.partition("=")[2].replace("+", " "))
            if raw.strip().lower().endswith(_ATTACHMENT_EXTENSIONS_BYTES):
                return _basename(_decode_name(raw.strip())) or None
    if not last:
        return None
    raw = unquote_to_bytes(last)
    return _decode_name(raw) if raw else unquote(last)


# --- reading ----------------------------------------------------------------------------------


def _html_error(data: bytes) -> str:
    match = _HTML_TITLE.search(data[:65536])
    title = _decode_name(match.group(1)).strip() if match else ""
    title = " ".join(title.split())[:80]
    return "an HTML page, not a document (an error page served as the file?)" + (
        f": {title}" if title else "")


def _read_pdf(data: bytes, options: ReadOptions) -> AttachmentText:
    result = read_pdf(data, options.ocr)
    # Which readers gave the text: pdfplumber, PDFium for pages with undecodable fonts, Tesseract
    # for scanned pages ("tesseract" alone when every page was a scan).
    readers = [name for name, used in (
        ("pdfplumber", len(result.ocr_pages) + len(result.pdfium_pages) < result.page_count),
        ("pdfium", bool(result.pdfium_pages)), ("tesseract", bool(result.ocr_pages))) if used]
    out = AttachmentText("pdf", result.text, result.tables, result.page_count,
                         "+".join(readers) or "pdfplumber", title=result.title)
    if result.ocr_pages:
        out.ocr, out.ocr_confidence = True, result.ocr_confidence
    problems = []
    if result.truncated:
        problems.append("truncated PDF (no %%EOF at the end): text may be incomplete")
    if result.pages_unread:
        problems.append(f"only the first {result.page_count - result.pages_unread} of {result.page_count} "
                        "pages were read (pipelines.pdftext.MAX_PDF_PAGES)")
    if result.scanned_pages:
        reason = ("OCR is off" if not options.ocr.enabled and ocr.available(options.ocr.lang)
                  else "Tesseract with chi_sim is not installed" if not options.ocr.enabled
                  else f"past the {options.ocr.max_pages}-page OCR limit")
        problems.append(f"{len(result.scanned_pages)} of {result.page_count} pages are scans without "
                        f"a text layer and were not read ({reason})")
    if problems:
        out.error = "; ".join(problems)
    return out


def _read_image(data: bytes, options: ReadOptions) -> AttachmentText:
    if not options.ocr.enabled:
        return AttachmentText("image", page_count=1, error="an image: OCR is off or Tesseract "
                                                           "with chi_sim is not installed")
    from pipelines.layout import assemble_pages

    image, factor = ocr.enlarge(data)
    page = ocr.ocr_image(image, options.ocr, scale=1.0 / factor)
    assembled = assemble_pages([page.page])
    return AttachmentText("image", assembled.text, assembled.tables, 1, "tesseract", ocr=True,
                          ocr_confidence=page.confidence)


def _read_word(kind: str, suffix: str, infilter: str | None) -> Any:
    def read(data: bytes, options: ReadOptions) -> AttachmentText:
        result = read_word_binary(data, suffix, options.soffice, infilter)
        return AttachmentText(kind, result.text, result.tables, None, "soffice+python-docx",
                              title=result.title)
    return read


def _read_office(kind: str, reader: Any, method: str) -> Any:
    def read(data: bytes, options: ReadOptions) -> AttachmentText:
        result = reader(data)
        return AttachmentText(kind, result.text, result.tables, None, method, title=result.title)
    return read


def _read_web_page(kind: str) -> Any:
    def read(data: bytes, options: ReadOptions) -> AttachmentText:
        result = read_html_document(data)
        return AttachmentText(kind, result.text, result.tables, None, "html", title=result.title)
    return read


def _read_mht(data: bytes, options: ReadOptions) -> AttachmentText:
    result, kind = read_mht(data)
    detail = {"doc-html": "Word web archive", "xls-html": "Excel web archive"}.get(kind or "", "web archive")
    return AttachmentText("mht", result.text, result.tables, None, "mime+html", title=result.title,
                          detail=detail)


def _read_ofd(data: bytes, options: ReadOptions) -> AttachmentText:
    result = read_ofd(data)
    return AttachmentText("ofd", result.text, result.tables, result.page_count, "ofd-xml",
                          title=result.title)


def _reader(sniffed: Sniffed) -> Any:
    kind = sniffed.type
    if kind == "wps":
        works = sniffed.detail == "Microsoft Works"
        return _read_word("wps", ".wps", None if works else "MS Word 97")
    return {
        "pdf": _read_pdf,
        "docx": _read_office("docx", read_docx, "python-docx"),
        "doc": _read_word("doc", ".doc", "MS Word 97"),
        "rtf": _read_word("rtf", ".rtf", None),
        "odt": _read_word("odt", ".odt", None),
        "xlsx": _read_office("xlsx", read_xlsx, "openpyxl"),
        "xls": _read_office("xls", read_xls, "xlrd"),
        "ods": _read_office("ods", read_ods, "ods-xml"),
        "doc-html": _read_web_page("doc-html"),
        "xls-html": _read_web_page("xls-html"),
        "mht": _read_mht,
        "doc-xml": _read_office("doc-xml", read_wordml, "wordml-xml"),
        "xls-xml": _read_office("xls-xml", read_spreadsheetml, "spreadsheetml-xml"),
        "ofd": _read_ofd,
        "image": _read_image,
    }.get(kind)


def _unreadable(sniffed: Sniffed, data: bytes, name: str | None) -> str:
    named = f" (named {name})" if name else ""
    kind = sniffed.type
    if kind == "empty":
        return "empty file (0 bytes)"
    if kind == "html":
        return _html_error(data)
    if kind in ("zip", "ole") and sniffed.detail and sniffed.detail.startswith(("damaged", "refused")):
        return f"{sniffed.detail}{named}"
    if kind in ("zip", "rar", "7z"):
        return f"an archive ({kind}{': ' + sniffed.detail if sniffed.detail else ''}), not a document{named}"
    return f"unsupported file type {kind}{': ' + sniffed.detail if sniffed.detail else ''}{named}"


# Documents read out of a ZIP attachment; scans are left out (their page order is anyone's guess).
ZIP_DOCUMENT_TYPES = frozenset({"pdf", "docx", "doc", "wps", "ofd", "xlsx", "xls", "ods", "rtf", "odt",
                                "doc-html", "xls-html", "mht", "doc-xml", "xls-xml"})
# At most this many documents are read out of one ZIP (a bundle of a department's whole year is
# no report).
ZIP_MAX_DOCUMENTS = 5


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """A ZIP member's name as written: Windows' and WinRAR's zippers on a Chinese system store
    GBK bytes without the UTF-8 flag, which :mod:`zipfile` decodes as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return _decode_name(info.filename.encode("cp437"))
    except UnicodeEncodeError:
        return info.filename


def _read_zip(data: bytes, options: ReadOptions) -> AttachmentText | None:
    """The documents inside a ZIP attachment ("全文详见附件" → 年报.zip holding 年报.pdf), read and
    joined in name order; None when it holds none. The type is the first document's."""
    parts: list[tuple[str, AttachmentText]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        members = sorted((zip_member_name(i), i) for i in package.infolist()
                         if not i.is_dir() and not i.filename.startswith("__MACOSX/"))
        for member, info in members:
            if len(parts) >= ZIP_MAX_DOCUMENTS:
                break
            inner = package.read(info)
            if sniff(inner).type not in ZIP_DOCUMENT_TYPES | {"html"}:
                continue  # readme.txt, scans, a ZIP in the ZIP
            read = read_attachment(inner, member, options, _nested=True)
            if read.type in ZIP_DOCUMENT_TYPES:
                parts.append((_basename(member), read))
    usable = [(n, r) for n, r in parts if r.ok]
    if not usable:
        if not parts:
            return None
        member, first = parts[0]
        first.error = f"{first.error or 'no text found'} (in the ZIP, {member})"
        first.method = f"unzip+{first.method}" if first.method else "unzip"
        return first
    first = usable[0][1]
    return AttachmentText(
        first.type, "\n".join(r.text for _, r in usable), [t for _, r in usable for t in r.tables],
        sum(r.page_count or 0 for _, r in usable) or None,
        "unzip+" + "+".join(dict.fromkeys(r.method or "" for _, r in usable)),
        ocr=any(r.ocr for _, r in usable), ocr_confidence=first.ocr_confidence, title=first.title,
        error="; ".join(f"{n}: {r.error}" for n, r in usable if r.error) or None,
        detail="in a ZIP: " + ", ".join(n for n, _ in usable))


def read_attachment(data: bytes, name: str | None = None, options: ReadOptions | None = None,
                    _nested: bool = False) -> AttachmentText:
    """Sniff a file's type and read its text; never raises.

    :param data: the file's bytes as downloaded.
    :param name: its file name (from Content-Disposition or the URL): for messages, and to
        tell plain HTML served as "报告.doc" (read) from an error page (not read).
    :param options: OCR and converter settings; default: OCR on when Tesseract with chi_sim
        is installed, ``soffice`` from PATH.

    A ZIP that is no Office/OFD package is opened and its documents read (:func:`_read_zip`):
    the type is then the document's (``pdf``), ``method`` starts ``unzip+`` and ``detail`` names
    the members; a ZIP holding none stays an ``archive`` error.

    >>> read_attachment(b"").error
    'empty file (0 bytes)'
    """
    options = options or ReadOptions()
    started = time.perf_counter()
    sniffed = sniff(data)
    if sniffed.type == "html":
        # No Office marks: a document only if named like one and holding real text (webdoc).
        try:
            document = html_document_kind(data, name)
        except Exception:  # a parser choking on a hostile page: it stays an unread HTML page
            document = None
        sniffed = Sniffed(*document) if document else sniffed
    reader = _reader(sniffed)
    inside = None
    if sniffed.type == "zip" and not _nested and not (sniffed.detail or "").startswith(("damaged", "refused")):
        try:
            inside = _read_zip(data, options)
        except Exception as e:  # noqa: BLE001 - a hostile member must not stop the crawl
            inside = AttachmentText("zip", error=f"zip reader failed: {type(e).__name__}: {e}")
    if inside is not None:
        result = inside
    elif reader is None:
        result = AttachmentText(sniffed.type, error=_unreadable(sniffed, data, name))
    else:
        try:
            result = reader(data, options)
        except (PdfError, OfficeError, OfdError, ocr.OcrError) as e:
            result = AttachmentText(sniffed.type, error=str(e))
        except Exception as e:  # a reader library choking on a hostile file must not stop a crawl
            if sniffed.type in ZIP_FAMILY and isinstance(e, ZIP_ERRORS):
                error = f"damaged or unsupported ZIP package: {e or type(e).__name__}"
            else:
                error = f"{sniffed.type} reader failed: {type(e).__name__}: {e}"
            result = AttachmentText(sniffed.type, error=error)
    result.detail = result.detail or sniffed.detail
    if result.error is None and not "".join(result.text.split()):
        result.error = "no text found in the file"
    result.seconds = time.perf_counter() - started
    return result


# --- the file as (part of) a report -----------------------------------------------------------


def is_stub(body_text: str | None, attachment_count: int) -> bool:
    """True for a report page that only points to its attachment ("全文详见附件").

    >>> is_stub("现将《2019年政府信息公开工作年度报告》予以公布,全文详见附件。", 1)
    True
    """
    return attachment_count > 0 and len("".join((body_text or "").split())) < STUB_MAX_CHARS


def title_from_filename(name: str | None) -> str | None:
    """A file name without its extension and download-counter noise: "2019年报告(1).pdf" → "2019年报告"."""
    if not name:
        return None
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.strip())
    stem = re.sub(r"\s*[(（]\d{1,2}[)）]$", "", stem).strip()
    return stem or None


def file_report(text: str, *, title: str | None, list_date: str | None, url: str) -> dict[str, Any]:
    """Report fields read from a file linked straight from a column list (no article page).

    ``title`` is what the list showed for the link (else the file name or the file's own
    title); the date is the list's, else one in the URL; agency and 成文日期 come from the
    file's signature block, the year from the title or the text.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    title = title or (lines[0][:80] if lines else None)
    publish_date = md.parse_date(list_date) or md.url_date(url)
    sig_agency, sig_date = md.signature(lines)
    agency = md.agency_from_title(title) or sig_agency
    year, year_source = md.report_year(title, text, publish_date or sig_date)
    classification = classify(title, text)
    return {
        "title": title,
        "publish_date": publish_date,
        "date_source": "list" if md.parse_date(list_date) else ("url" if publish_date else None),
        "written_date": sig_date,
        "report_year": year if classification.is_report else None,
        "year_source": year_source if classification.is_report else None,
        "agency": agency,
        "agency_source": ("title" if md.agency_from_title(title) else "signature") if agency else None,
        "script": detect_script(text or title or ""),
        "is_report": classification.is_report,
        "doc_type": classification.doc_type,
    }
