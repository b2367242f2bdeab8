"""Attachments that are no binary Office files: Word/Excel web pages, MHT archives, Office 2003 XML,
flat OPC and ODS, read as documents (text by character F1, table cells exactly, statistics), while
HTML error pages served under a document's name stay errors. Fixtures are built in code."""

from __future__ import annotations

import base64
import html
import io
import quopri
import re
import shutil
import zipfile
from xml.sax.saxutils import escape, quoteattr

import pytest

from demo import files as fb
from demo.texts import Table, template_report
from pipelines.attachments import read_attachment, sniff
from pipelines.officetext import OfficeError, Soffice, read_ods
from pipelines.stats import parse_statistics
from tests.conftest import char_f1
from tests.test_stats import cells_of, truth

# 镕 is in GBK but not in GB2312: a "gb2312" Word page holding it decodes only as gb18030.
AGENCY = "江州市镕城区人民政府"
HEADER = "江州市镕城区人民政府办公室"
HAS_SOFFICE = shutil.which("soffice") is not None


@pytest.fixture(scope="module")
def rt():
    return template_report(AGENCY, 2021, seed=5)


def expanded(t: Table, repeat: bool) -> list[list[str]]:
    """A table's grid: merged cells' text in every covered position (HTML) or only the first."""
    grid, spans = fb.expand(t)
    if repeat:
        for r, c, nr, nc in spans:
            for dr in range(nr):
                for dc in range(nc):
                    grid[r + dr][c + dc] = grid[r][c]
    return grid


def table_lines(rt) -> str:
    return "\n".join(line for t in rt.tables() for line in t.lines())


def assert_statistics(result, rt) -> None:
    st = parse_statistics(result.tables, result.text, None, source=result.type)
    assert cells_of(st) == truth(rt) and st.consistent
    assert {c.source for c in st.cells} == {result.type}


# --- builders ----------------------------------------------------------------------------------

WORD_NAMESPACES = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
                   'xmlns:w="urn:schemas-microsoft-com:office:word" '
                   'xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
                   'xmlns="http://www.w3.org/TR/REC-html40"')


def word_html(rt, charset: str = "gb2312") -> str:
    """The report as Word 2013's "save as web page" writes it: namespaces, ProgId/Generator metas,
    a data island and styles in conditional comments, MsoNormal paragraphs, a page header kept
    as an mso-element div, and a hidden paragraph."""
    return (
        f"<html {WORD_NAMESPACES}>\n<head>\n"
        f'<meta http-equiv=Content-Type content="text/html; charset={charset}">\n'
        "<meta name=ProgId content=Word.Document>\n<meta name=Generator content=\"Microsoft Word 15\">\n"
        "<meta name=Originator content=\"Microsoft Word 15\">\n"
        f"<title>{html.escape(rt.title)}</title>\n"
        "<!--[if gte mso 9]><xml>\n <o:DocumentProperties>\n  <o:Author>admin</o:Author>\n"
        "  <o:Pages>5</o:Pages>\n </o:DocumentProperties>\n</xml><![endif]-->\n"
        "<style>\n<!--\n p.MsoNormal {mso-style-parent:\"\"; margin:0cm; font-size:10.5pt;\n"
        " font-family:等线;}\n@page WordSection1 {mso-header:h1;}\n-->\n</style>\n</head>\n"
        "<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\n"
        "<div class=WordSection1 style='layout-grid:15.6pt'>\n"
        f"<div style='mso-element:header' id=h1><p class=MsoHeader>{HEADER}</p></div>\n"
        f"<p class=MsoNormal align=center style='text-align:center'><b>{html.escape(rt.title)}</b></p>\n"
        "<p class=MsoNormal style='display:none;mso-hide:all'>隐藏的修订说明文字</p>\n"
        f"{rt.to_html('word')}\n</div>\n</body>\n</html>\n"
    )


def report_text(rt) -> str:
    """The text a reader should give: the title line, then the body."""
    return rt.title + "\n" + rt.body_text()


def word_mht(page: bytes, charset: str = "gb2312") -> bytes:
    """Word's "single file web page" (单个文件网页) .mht: the page quoted-printable in its part,
    the page header in header.htm, an image and the file list."""
    boundary = "----=_NextPart_01DA1B2C.3D4E5F60"
    location = "file:///C:/D3A1B2C4/2021年报告.htm".encode("gbk")
    parts = [
        b"Content-Location: " + location + b"\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        + f'Content-Type: text/html; charset="{charset}"\r\n\r\n'.encode() + quopri.encodestring(page),
        (b"Content-Location: file:///C:/D3A1B2C4/2021.files/header.htm\r\n"
         b"Content-Transfer-Encoding: quoted-printable\r\n"
         + f'Content-Type: text/html; charset="{charset}"\r\n\r\n'.encode()
         + quopri.encodestring(f"<html><body><div style='mso-element:header' id=h1>"
                               f"<p class=MsoHeader>{HEADER}</p></div></body></html>".encode("gbk"))),
        (b"Content-Location: file:///C:/D3A1B2C4/2021.files/image001.png\r\n"
         b"Content-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\n"
         + base64.encodebytes(b"\x89PNG\r\n\x1a\n" + bytes(40))),
        (b"Content-Location: file:///C:/D3A1B2C4/2021.files/filelist.xml\r\n"
         b"Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/xml; charset=\"utf-8\"\r\n\r\n"
         b"<xml xmlns:o=3D\"urn:schemas-microsoft-com:office:office\"></xml>\r\n"),
    ]
    head = (f'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="{boundary}"\r\n\r\n'.encode()
            + "此文档为“单个文件网页”，也称为“Web 档案”文件。\r\n\r\n".encode("gbk"))
    body = b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n\r\n" for part in parts)
    return head + body + f"--{boundary}--\r\n".encode()


EXCEL_NAMESPACES = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
                    'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40"')


def excel_sheet_html(t: Table, padding: int = 2) -> str:
    """One sheet as Excel's "save as web page": x:num cells, and the used range's empty cells."""
    rows = []
    for row in t.rows:
        cells = []
        for c in row:
            span = ((f" rowspan={c.rowspan}" if c.rowspan > 1 else "")
                    + (f" colspan={c.colspan}" if c.colspan > 1 else ""))
            num = " x:num" if c.text.isdigit() else ""
            cells.append(f"<td class=xl65{span}{num}>{html.escape(c.text)}</td>")
        rows.append(f"<tr height=18 style='height:13.5pt'>{''.join(cells)}{'<td class=xl66></td>' * padding}</tr>")
    return (f"<html {EXCEL_NAMESPACES}>\n<head>\n<meta http-equiv=Content-Type content=\"text/html; charset=gb2312\">\n"
            "<meta name=ProgId content=Excel.Sheet>\n<meta name=Generator content=\"Microsoft Excel 15\">\n"
            "<!--[if gte mso 9]><xml>\n <x:WorksheetOptions><x:Selected/></x:WorksheetOptions>\n</xml><![endif]-->\n"
            "</head>\n<body link=blue vlink=purple>\n<table border=0 cellpadding=0 cellspacing=0 width=864 "
            "style='border-collapse:collapse;table-layout:fixed;width:648pt'>\n<col width=72 span=12>\n"
            + "\n".join(rows) + "\n</table>\n</body>\n</html>\n")


def excel_mht(rt) -> bytes:
    """Excel's single-file web page: a frameset part, one base64 part per sheet, the sheet tabs."""
    boundary = "----=_NextPart_01DA1B2C.AABBCCDD"
    frameset = (f"<html {EXCEL_NAMESPACES}><head><meta name=ProgId content=Excel.Sheet>"
                f"<title>{rt.title}</title></head><frameset rows=\"*,39\"><frame src=\"sheet001.htm\">"
                "</frameset></html>")
    tabs = "<html><body><table><tr>" + "".join(
        f"<td><a href=\"sheet00{i}.htm\">{t.name}</a></td>" for i, t in enumerate(rt.tables(), 1)
    ) + "</tr></table></body></html>"
    pages = [("2021.htm", frameset)] + [(f"2021.files/sheet00{i}.htm", excel_sheet_html(t))
                                        for i, t in enumerate(rt.tables(), 1)] + [("2021.files/tabstrip.htm", tabs)]
    body = b"".join(
        f"--{boundary}\r\nContent-Location: file:///C:/X/{name}\r\nContent-Transfer-Encoding: base64\r\n"
        f'Content-Type: text/html; charset="gb2312"\r\n\r\n'.encode() + base64.encodebytes(page.encode("gbk")) + b"\r\n"
        for name, page in pages)
    return (f'MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related; '
            f'boundary="{boundary}"\r\n\r\n'.encode() + body + f"--{boundary}--\r\n".encode())


def _owners(t: Table) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Grid position → (origin row, origin column, rows, columns) of the cell covering it."""
    grid, spans = fb.expand(t)
    owner = {(r, c): (r, c, 1, 1) for r in range(len(grid)) for c in range(len(grid[0]))}
    for r, c, nr, nc in spans:
        for dr in range(nr):
            for dc in range(nc):
                owner[(r + dr, c + dc)] = (r, c, nr, nc)
    return owner


W2003 = "http://schemas.microsoft.com/office/word/2003/wordml"
_NUMBERED = re.compile(r"^([一二三四五六七八九十]+、)(.+)$")


def _wml_paragraph(text: str) -> str:
    # Word splits runs where the script changes; numbered headings get their label as a list hint.
    label = ""
    numbered = _NUMBERED.match(text)
    if numbered:
        label = (f'<w:pPr><w:listPr><w:ilvl w:val="0"/><w:ilfo w:val="1"/>'
                 f'<wx:t wx:val="{numbered.group(1)}"/></w:listPr></w:pPr>')
        text = numbered.group(2)
    runs = "".join(f"<w:r><w:t>{escape(part)}</w:t></w:r>" for part in re.split(r"(\d+)", text) if part)
    return f"<w:p>{label}{runs}</w:p>"


def _wml_table(t: Table) -> str:
    grid, _ = fb.expand(t)
    owner = _owners(t)
    rows = []
    for r in range(len(grid)):
        cells = []
        for c in range(len(grid[0])):
            r0, c0, nr, nc = owner[(r, c)]
            if c0 != c:
                continue  # covered by a horizontal span: no w:tc of its own
            props = '<w:tcW w:w="900" w:type="dxa"/>' + (f'<w:gridSpan w:val="{nc}"/>' if nc > 1 else "")
            if nr > 1:
                props += '<w:vmerge w:val="restart"/>' if r0 == r else "<w:vmerge/>"
            text = grid[r][c] if r0 == r else ""
            cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{_wml_paragraph(text)}</w:tc>")
        rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
    cols = "".join('<w:gridCol w:w="900"/>' for _ in grid[0])
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{cols}</w:tblGrid>'
            f"{''.join(rows)}</w:tbl>")


def wordml(rt, encoding: str = "UTF-8") -> bytes:
    """The report as Word 2003's "XML 文档": wx:sect/wx:sub-section wrappers, a page header in
    sectPr, numbered headings with their list labels, tables with gridSpan and vmerge."""
    blocks = [_wml_paragraph(rt.title)] + [
        _wml_table(b.table) if b.kind == "table" and b.table is not None else _wml_paragraph(b.text)
        for b in rt.blocks]
    middle = len(blocks) // 2
    body = (f"<wx:sub-section>{''.join(blocks[:middle])}</wx:sub-section>"
            f"<wx:sub-section>{''.join(blocks[middle:])}</wx:sub-section>")
    doc = (f'<?xml version="1.0" encoding="{encoding}" standalone="yes"?>\n'
           '<?mso-application progid="Word.Document"?>\n'
           f'<w:wordDocument xmlns:w="{W2003}" xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint" '
           'xmlns:o="urn:schemas-microsoft-com:office:office" w:macrosPresent="no" w:embeddedObjPresent="no" '
           'w:ocxPresent="no" xml:space="preserve">'
           f"<o:DocumentProperties><o:Title>{escape(rt.title)}</o:Title></o:DocumentProperties>"
           f"<w:body><wx:sect>{body}<w:sectPr><w:hdr w:type=\"odd\"><w:p><w:r><w:t>{HEADER}</w:t></w:r></w:p>"
           "</w:hdr></w:sectPr></wx:sect></w:body></w:wordDocument>")
    return doc.encode("gbk" if encoding.lower() in ("gb2312", "gbk") else encoding)


def flat_opc(docx: bytes) -> bytes:
    """A DOCX as Word 2007+'s "Word XML 文档" (flat OPC): its parts inline in one XML file."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = {name: package.read(name) for name in ("word/document.xml", "docProps/core.xml")}
    inline = "".join(
        f'<pkg:part pkg:name="/{name}" pkg:contentType="application/xml"><pkg:xmlData>'
        + re.sub(r"^<\?xml[^>]*\?>\s*", "", data.decode("utf-8")) + "</pkg:xmlData></pkg:part>"
        for name, data in parts.items())
    return ('<?xml version="1.0" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
            '<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">'
            + inline + "</pkg:package>").encode("utf-8")


SS = "urn:schemas-microsoft-com:office:spreadsheet"


def spreadsheetml(rt) -> bytes:
    """The statistics tables as Excel 2003's "XML 电子表格": one Worksheet per table, merges as
    ss:MergeAcross/ss:MergeDown, cells after a merged area placed by ss:Index (as Excel writes)."""
    sheets = []
    for t in rt.tables():
        grid, _ = fb.expand(t)
        owner = _owners(t)
        rows = []
        for r in range(len(grid)):
            cells, expected = [], 0
            for c in range(len(grid[0])):
                r0, c0, nr, nc = owner[(r, c)]
                if (r0, c0) != (r, c):
                    continue
                index = f' ss:Index="{c + 1}"' if c != expected else ""
                merge = ((f' ss:MergeAcross="{nc - 1}"' if nc > 1 else "")
                         + (f' ss:MergeDown="{nr - 1}"' if nr > 1 else ""))
                text = grid[r][c]
                kind = "Number" if text.isdigit() else "String"
                cells.append(f'<Cell{index}{merge}><Data ss:Type="{kind}">{escape(text)}</Data></Cell>')
                expected = c + nc
            rows.append(f"<Row>{''.join(cells)}</Row>")
        sheets.append(f'<Worksheet ss:Name={quoteattr(t.name)}><Table>{"".join(rows)}</Table>'
                      '<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"/></Worksheet>')
    return ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            f'<Workbook xmlns="{SS}" xmlns:o="urn:schemas-microsoft-com:office:office" '
            f'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="{SS}" '
            'xmlns:html="http://www.w3.org/TR/REC-html40">'
            f"<DocumentProperties xmlns=\"urn:schemas-microsoft-com:office:office\"><Author>admin</Author>"
            "</DocumentProperties>" + "".join(sheets) + "</Workbook>").encode("utf-8")


ODF = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
       "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
       "dc": "http://purl.org/dc/elements/1.1/"}


def ods(rt) -> bytes:
    """The statistics tables as an ODS the way LibreOffice Calc and WPS write one: spans with
    covered-table-cell placeholders, float cells with office:value, rows padded with a repeated
    empty cell to column 1024 and the sheet with a repeated empty row to row 1048576."""
    xmlns = " ".join(f'xmlns:{k}="{v}"' for k, v in ODF.items())
    sheets = []
    for t in rt.tables():
        grid, _ = fb.expand(t)
        owner = _owners(t)
        rows = []
        for r in range(len(grid)):
            cells = []
            for c in range(len(grid[0])):
                r0, c0, nr, nc = owner[(r, c)]
                if (r0, c0) != (r, c):
                    cells.append("<table:covered-table-cell/>")
                    continue
                spans = (f' table:number-columns-spanned="{nc}"' if nc > 1 else "") + (
                    f' table:number-rows-spanned="{nr}"' if nr > 1 else "")
                text = grid[r][c]
                value = (f' office:value-type="float" office:value="{text}"' if text.isdigit()
                         else ' office:value-type="string"')
                cells.append(f"<table:table-cell{value}{spans}><text:p>{escape(text)}</text:p></table:table-cell>")
            pad = 1024 - len(grid[0])
            rows.append(f"<table:table-row>{''.join(cells)}"
                        f'<table:table-cell table:number-columns-repeated="{pad}"/></table:table-row>')
        rows.append(f'<table:table-row table:number-rows-repeated="{1048576 - len(grid)}">'
                    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
        sheets.append(f'<table:table table:name={quoteattr(t.name)}>'
                      f'<table:table-column table:number-columns-repeated="1024"/>{"".join(rows)}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {xmlns} office:version="1.3">'
               f"<office:body><office:spreadsheet>{''.join(sheets)}</office:spreadsheet></office:body>"
               "</office:document-content>")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {xmlns} office:version="1.3">'
            f"<office:meta><dc:title>{escape(rt.title)}</dc:title></office:meta></office:document-meta>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", content)
        package.writestr("meta.xml", meta)
        package.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                         'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                         '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                         '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    return buf.getvalue()


# --- Word web pages and MHT ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def word_page(rt) -> bytes:
    return word_html(rt).encode("gbk")


def test_gbk_word_web_page_named_doc_is_read_as_a_document(word_page, rt):
    result = read_attachment(word_page, "2021年政府信息公开工作年度报告.doc")
    assert (result.type, result.method, result.error) == ("doc-html", "html", None)
    assert result.detail == "Word web page (Office namespaces)" and result.ok
    assert result.title == rt.title
    assert char_f1(result.text, report_text(rt)) >= 0.99
    lines = result.text.split("\n")
    assert AGENCY in result.text  # 镕: GBK bytes under a gb2312 label, decoded as gb18030
    assert HEADER not in lines and "隐藏的修订说明文字" not in result.text
    assert not any("mso-" in line or "Microsoft Word" in line for line in lines)  # no styles, no data island


def test_word_web_page_tables_are_grids_and_tab_separated_rows(word_page, rt):
    result = read_attachment(word_page, "report.doc")
    assert result.tables == [expanded(t, repeat=True) for t in rt.tables()]  # as a report page's
    lines = set(result.text.split("\n"))
    assert all(row in lines for t in rt.tables() for row in t.lines())
    assert_statistics(result, rt)


def test_word_web_page_is_sniffed_from_its_bytes_whatever_its_name(word_page):
    assert sniff(word_page).type == "doc-html"
    assert read_attachment(word_page, "下载.pdf").type == "doc-html"


def test_utf16_word_web_page_is_sniffed_and_decoded(rt):
    page = word_html(rt, charset="unicode").encode("utf-16")  # Word's "Unicode" encoding: BOM + UTF-16LE
    result = read_attachment(page, "report.doc")
    assert (result.type, result.error) == ("doc-html", None)
    assert char_f1(result.text, report_text(rt)) >= 0.99


def test_mht_with_quoted_printable_gbk_page_is_read_without_its_header_part(word_page, rt):
    data = word_mht(word_page)
    assert sniff(data).type == "mht"
    result = read_attachment(data, "2021年报告.doc")
    assert (result.type, result.method, result.detail, result.error) == ("mht", "mime+html", "Word web archive", None)
    assert char_f1(result.text, report_text(rt)) >= 0.99
    assert AGENCY in result.text and HEADER not in result.text.split("\n")
    assert result.tables == [expanded(t, repeat=True) for t in rt.tables()]
    assert_statistics(result, rt)


def test_excel_web_page_drops_the_used_range_s_empty_columns(rt):
    t3 = rt.tables()[1]
    result = read_attachment(excel_sheet_html(t3).encode("gbk"), "表三.xls")
    assert (result.type, result.detail, result.error) == ("xls-html", "Excel web page (Office namespaces)", None)
    assert result.tables == [expanded(t3, repeat=True)]
    assert char_f1(result.text, "\n".join(t3.lines())) >= 0.99


def test_excel_mht_reads_every_sheet_but_the_tabs(rt):
    result = read_attachment(excel_mht(rt), "统计表.xls")
    assert (result.type, result.detail, result.error) == ("mht", "Excel web archive", None)
    assert result.title == rt.title
    assert result.tables == [expanded(t, repeat=True) for t in rt.tables()]
    assert char_f1(result.text, table_lines(rt)) >= 0.99
    assert_statistics(result, rt)


def test_generator_html_served_as_msword_is_a_document(rt):
    # PHP/Java "导出Word": a bare page with the Word content type in its meta, no namespaces.
    page = (f'<html><head><meta http-equiv="Content-Type" content="application/msword; charset=gb2312">'
            f"<title>{rt.title}</title></head><body><h2>{rt.title}</h2>{rt.to_html('plain')}</body></html>")
    result = read_attachment(page.encode("gbk"), "export.do")
    assert (result.type, result.detail, result.error) == ("doc-html", "served as application/msword", None)
    assert char_f1(result.text, report_text(rt)) >= 0.99


def test_plain_html_report_named_doc_is_read_by_its_name_and_text(rt):
    page = (f"<!DOCTYPE html><html><head><meta charset=\"gbk\"><title>{rt.title}</title></head>"
            f"<body><h1>{rt.title}</h1>{rt.to_html('div')}</body></html>").encode("gbk")
    assert sniff(page).type == "html"
    result = read_attachment(page, "2021年年报.doc")
    assert (result.type, result.method, result.error) == ("doc-html", "html", None)
    assert result.detail.startswith("plain HTML named .doc")
    assert char_f1(result.text, report_text(rt)) >= 0.99
    assert_statistics(result, rt)
    # The same page under a .pdf name is no document the name vouches for.
    assert read_attachment(page, "2021年年报.pdf").type == "html"


# --- error pages stay errors ----------------------------------------------------------------------

NAV = "".join(f'<li><a href="/col{i}/">{name}</a></li>' for i, name in enumerate(
    ["网站首页", "政务公开", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报",
     "政策文件", "政策解读", "互动交流", "办事服务", "数据开放", "专题专栏"] * 3))
FOOTER = ("<div class=footer>主办单位：江州市人民政府办公室 网站标识码：4400000001 粤ICP备12345678号 "
          "<a href='/sitemap'>网站地图</a> <a href='/contact'>联系我们</a></div>")


@pytest.mark.parametrize("page", [
    "<!DOCTYPE html><html><head><title>404 页面不存在</title></head><body>错误</body></html>",
    f"<html><head><meta charset='gbk'><title>江州市人民政府</title></head><body><ul class=nav>{NAV}</ul>"
    f"<div class=main><h2>抱歉，您访问的页面不存在或已被删除！</h2><p>请检查您输入的网址是否正确，或者返回首页"
    f"继续浏览。您也可以通过站内搜索查找您需要的信息。页面将在5秒后自动跳转到网站首页。</p></div>{FOOTER}</body></html>",
    f"<html><head><meta charset='gbk'><title>江州市政务服务网</title></head><body><ul>{NAV}</ul>"
    "<form action=/login method=post><p>统一身份认证平台</p><input name=user><input type=PASSWORD name=pwd>"
    f"<p>{'为保障您的账户安全，请使用实名认证账户访问本站资源。' * 8}</p></form>{FOOTER}</body></html>",
    f"<html><head><meta charset='gbk'><title>江州市人民政府</title></head><body><ul>{NAV}</ul>"
    f"<div class=main><a href='/xxgk/'>返回政府信息公开专栏</a></div>{FOOTER}</body></html>",
], ids=["404-title", "404-with-site-chrome", "login-wall", "navigation-only"])
def test_error_page_served_as_doc_still_says_it_is_an_html_page(page):
    result = read_attachment(page.encode("gbk"), "2021年政府信息公开工作年度报告.doc")
    assert result.type == "html" and result.text == ""
    assert result.error.startswith("an HTML page, not a document")


# --- Office XML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["UTF-8", "gb2312"])
def test_word_2003_xml_document_is_read_with_merged_cells_and_list_labels(rt, encoding):
    data = wordml(rt, encoding)
    assert sniff(data).type == "doc-xml"
    result = read_attachment(data, "2021年报告.doc")
    assert (result.type, result.method, result.detail, result.error) == ("doc-xml", "wordml-xml", "Word XML", None)
    assert result.title == rt.title
    assert char_f1(result.text, report_text(rt)) >= 0.99
    lines = result.text.split("\n")
    assert "一、总体情况" in lines  # the heading's number comes from its list label
    assert HEADER not in lines  # the page header in sectPr is no body text
    assert result.tables == [expanded(t, repeat=False) for t in rt.tables()]  # as a DOCX's
    assert_statistics(result, rt)


def test_word_2007_flat_opc_xml_is_read_like_its_docx(rt):
    data = flat_opc(fb.report_docx(rt, header=HEADER))
    assert sniff(data).type == "doc-xml"
    result = read_attachment(data, "report.xml")
    assert (result.type, result.detail, result.error) == ("doc-xml", "Word 2007 XML (flat OPC)", None)
    assert result.title == rt.title
    assert char_f1(result.text, report_text(rt)) >= 0.99
    assert result.tables == [expanded(t, repeat=False) for t in rt.tables()]


def test_excel_2003_xml_workbook_gives_every_sheet_and_cell(rt):
    data = spreadsheetml(rt)
    assert sniff(data).type == "xls-xml"
    result = read_attachment(data, "统计表.xls")
    assert (result.type, result.method, result.error) == ("xls-xml", "spreadsheetml-xml", None)
    assert result.tables == [expanded(t, repeat=False) for t in rt.tables()]  # as openpyxl's
    assert char_f1(result.text, table_lines(rt)) >= 0.99
    assert_statistics(result, rt)


def test_word_xml_without_a_body_gives_an_error():
    data = b'<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument/>'
    result = read_attachment(data, "r.doc")
    assert result.type == "doc-xml" and "not well-formed XML" in result.error


# --- ODS ------------------------------------------------------------------------------------------


def test_ods_spreadsheet_is_read_from_its_xml_without_a_converter(rt):
    data = ods(rt)
    assert sniff(data).type == "ods"
    result = read_attachment(data, "统计表.ods")
    assert (result.type, result.method, result.error) == ("ods", "ods-xml", None)
    assert result.title == rt.title
    assert result.tables == [expanded(t, repeat=False) for t in rt.tables()]
    assert char_f1(result.text, table_lines(rt)) >= 0.99
    assert_statistics(result, rt)


def test_ods_without_content_gives_an_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(OfficeError, match="not a readable ODS"):
        read_ods(buf.getvalue())
    assert "not a readable ODS" in read_attachment(buf.getvalue(), "a.ods").error


@pytest.mark.e2e
def test_ods_saved_by_libreoffice_calc_is_read_like_the_xlsx_it_came_from(rt):
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed: make setup")
    try:
        data = Soffice(timeout=120).convert(fb.report_xlsx(rt), ".xlsx", "ods")
    except OfficeError as e:  # libreoffice-writer-nogui alone cannot load spreadsheets
        pytest.skip(f"LibreOffice Calc is not installed (libreoffice-calc-nogui): {e}")
    result = read_attachment(data, "统计表.ods")
    assert (result.type, result.error) == ("ods", None)
    assert result.tables == [expanded(t, repeat=False) for t in rt.tables()]
    assert_statistics(result, rt)
