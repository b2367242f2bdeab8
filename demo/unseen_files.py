"""Demo sites whose reports are FILES found and named in ways the other demo sites do not imitate.

QA round 4 (rounds 1–3: demo/unseen.py lists and encodings, demo/unseen_lists.py pagers,
demo/unseen_articles.py article pages). Each site is small and declares in ``Site.expected``
what a correct crawl archives (the report body is the file's text, title/dates from the page
and the list); :data:`FILES` says, per file path, the name the archive must record, the type
sniffed from its bytes and which report it belongs to.

- :func:`viewer_site`: PDFs shown in embedded viewers, not linked: a pdf.js
  ``<iframe src="/pdfjs/web/viewer.html?file=…">`` (plain and percent-encoded ``file=``),
  ``<embed type="application/pdf">``, ``<object data=…>``, an ``onclick="openPdf('…')"``
  link on ``javascript:void(0)`` and a JEECMS ``/u/cms/www/…pdf`` link reading only "点击下载".
- :func:`servlet_site`: GBK pages whose files come from download servlets: Hanweb's
  ``downfile.jsp?classid=0&filename=<hash>.pdf``, ``/attach/download?id=N`` whose link text is
  the file name, the real name only in ``Content-Disposition`` (``filename*=UTF-8''…``, raw GBK
  bytes as IIS/Java send them, percent-encoded UTF-8 without ``*``), all served as
  ``application/octet-stream``, or no name at all (then the query's ``filename=`` or the link
  text names it); one list entry is such a servlet itself (a report published as a file only).
- :func:`fj_block_site`: "详见附件" stubs with an attachment block after the content
  (``<div class="fj">附件：<a>1.…年度报告.pdf</a><a>2.统计表.xls</a></div>``), the same PDF
  linked in the body, in the block and from the list (fetched once), Chinese file names
  percent-encoded in UTF-8 and in GBK, or written raw in the href.
- :func:`zip_site`: a stub whose only attachment is a ZIP holding the report PDF (member name
  in GBK without the UTF-8 flag, as Windows zippers write it), one holding a DOCX and a
  readme, and one holding only images (an intended error row).
- :func:`relative_site`: file links written ``../../files/…`` across folders, a page whose
  ``<base href>`` points at another folder, and a list linking a file by ``./`` path.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from demo import chrome as C
from demo import files as fb
from demo.chrome import Chrome
from demo.server import ExpectedDoc, Resource, Site
from demo.texts import ReportText, template_report

esc = C.esc
UTF8 = "text/html; charset=utf-8"
GBK = "text/html; charset=gb2312"
PDF = "application/pdf"
OCTET = "application/octet-stream"


@dataclass(frozen=True)
class ExpectedFile:
    """What the ``attachments`` row of one served file must say."""

    filename: str
    sniffed_type: str
    page: str  # the page (article or list) that links it
    error: str | None = None  # a phrase the row's error must contain (an intended error)


# path -> what its attachments row must hold, for every site of this module
FILES: dict[str, ExpectedFile] = {}


def _chrome(name: str, domain: str, code: str, column_href: str) -> Chrome:
    return Chrome(site_title=f"{name}人民政府", domain=domain, org=f"{name}人民政府办公室",
                  undertaker=f"{name}大数据中心", tech=f"{name}信息中心", site_code=code,
                  icp="赣ICP备05012345号", gongan="赣公网安备 36010202000123号",
                  address=f"{name}人民路1号", column="政府信息公开年报", column_href=column_href)


def _head(title: str, charset: str, extra: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
            f'charset={charset}"><title>{esc(title)}</title>{extra}</head>')


def _article(ch: Chrome, rt: ReportText, pub: str, inner: str, *, charset: str = "utf-8",
             after: str = "", head_extra: str = "") -> str:
    """An article page: title, 发布时间/来源 line, the content block ``inner``, then ``after``
    (an attachment block), toolbars and the footer."""
    return f"""{_head(f"{rt.title}_{ch.site_title}", charset, head_extra)}
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="main">
{C.breadcrumb(ch)}
<h1 class="article-title">{esc(rt.title)}</h1>
<div class="info">发布时间：{pub} 10:00　来源：{esc(rt.agency)}　{C.font_sizer(ch)}</div>
<div class="article-content" id="zoom">
{inner}
</div>
{after}
{C.print_close(ch)}
{C.qr_block(ch)}
</div>
{C.footer(ch)}
</body></html>"""


def _list(ch: Chrome, items: list[tuple[str, str, str, str]], charset: str = "utf-8") -> str:
    """A column list; items are (href, title, date, extra HTML after the link)."""
    lis = "\n".join(f'<li><a href="{esc(href)}" target="_blank" title="{esc(title)}">{esc(title)}</a>'
                    f"{extra}<span class=\"date\">{when}</span></li>" for href, title, when, extra in items)
    return f"""{_head(f"{ch.column}_{ch.site_title}", charset)}
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="main">{C.breadcrumb(ch)}
<ul class="list">
{lis}
</ul></div>
{C.footer(ch)}
</body></html>"""


def _stub_text(rt: ReportText) -> str:
    return (f"<p>根据《中华人民共和国政府信息公开条例》规定，现将《{esc(rt.title)}》予以公布，"
            "全文详见附件。</p>")


def _doc(path: str, rt: ReportText, pub: str, fmt: str, files: list[str], body: str | None = None
         ) -> ExpectedDoc:
    return ExpectedDoc(path=path, is_report=True, title=rt.title, publish_date=pub, report_year=rt.year,
                       agency=rt.agency, body_text=rt.body_text() if body is None else body,
                       attachments=files, source_format=fmt, list_date=pub)


def _file(path: str, name: str, kind: str, page: str, error: str | None = None) -> None:
    FILES[path] = ExpectedFile(name, kind, page, error)


def tables_text(rt: ReportText) -> str:
    """The text a spreadsheet of the report's tables gives: one tab-separated line per row."""
    return "\n".join(line for t in rt.tables() for line in t.lines())


# --------------------------------------------------------------------------------------
# 1. Embedded viewers


VIEWER_COLUMN = "/xxgk/nb/index.html"


def viewer_site(*, seed: int = 4101) -> Site:
    """Reports shown in pdf.js iframes, <embed>, <object>, an onclick viewer and a "点击下载" link."""
    ch = _chrome("临川市", "www.linchuan.gov.cn", "3610020001", VIEWER_COLUMN)
    res: dict[str, Resource] = {}
    items: list[tuple[str, str, str, str]] = []
    expected: list[ExpectedDoc] = []
    viewer = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>PDF.js viewer</title>'
              '<script src="viewer.js"></script></head><body><div id="viewerContainer"></div></body></html>')
    res["/pdfjs/web/viewer.html"] = Resource(viewer.encode(), UTF8)
    name_cn = "临川市人民政府2021年政府信息公开工作年度报告.pdf"
    cases = [
        # (agency, year, pub, file path, content block HTML with {f} for the file's URL)
        ("临川市人民政府", 2021, "2022-01-20", "/uploads/2022/01/nb2021.pdf",
         '<iframe src="/pdfjs/web/viewer.html?file={f}" width="100%" height="900" frameborder="0"></iframe>'),
        ("临川市财政局", 2021, "2022-01-18", "/uploads/2022/01/" + quote(name_cn),
         # pdf.js wants file= percent-encoded; the file name is Chinese (UTF-8 in the URL)
         '<iframe src="/pdfjs/web/viewer.html?file={q}" width="100%" height="900"></iframe>'
         '<p style="text-align:center">如无法正常浏览，请使用最新版浏览器。</p>'),
        ("临川市教育局", 2020, "2021-01-26", "/uploads/2021/01/jyj2020.pdf",
         '<embed src="{f}" type="application/pdf" width="100%" height="900">'),
        ("临川市民政局", 2019, "2020-01-15", "/uploads/2020/01/mzj2019.pdf",
         '<object data="{f}" type="application/pdf" width="100%" height="900"></object>'),
        ("临川市水利局", 2018, "2019-01-28", "/files/slj2018.pdf",
         '<p>全文请<a href="javascript:void(0)" onclick="openPdf(\'{f}\')">点击查看</a>。</p>'
         "<script>function openPdf(u){{window.open('/pdfjs/web/viewer.html?file='+u);}}</script>"),
        ("临川市审计局", 2021, "2022-01-25", "/u/cms/www/202201/25101530abcd.pdf",
         '<p><a href="{f}" target="_blank">点击下载</a></p>'),
    ]
    for n, (agency, year, pub, fpath, inner) in enumerate(cases):
        rt = template_report(agency, year, seed=seed + n, site=ch.site_title)
        path = f"/xxgk/nb/{pub[:7].replace('-', '')}/t{pub.replace('-', '')}_{5001 + n}.html"
        block = inner.format(f=fpath, q=quote(fpath, safe=""))
        res[path] = Resource(_article(ch, rt, pub, block).encode(), UTF8)
        res[fpath] = Resource(fb.report_pdf(rt), PDF)
        items.append((path, rt.title, pub, ""))
        expected.append(_doc(path, rt, pub, "pdf", [fpath]))
        _file(fpath, name_cn if "%" in fpath else fpath.rsplit("/", 1)[1], "pdf", path)
    res[VIEWER_COLUMN] = Resource(_list(ch, items).encode(), UTF8)
    return Site("viewer", ch.site_title, res, VIEWER_COLUMN, expected)


# --------------------------------------------------------------------------------------
# 2. Download servlets


SERVLET_COLUMN = "/col/col2101/index.html"


def _gbk_header(name: str) -> str:
    # The header's bytes as Latin-1 text: what a Java/IIS server writes with a GBK file name.
    return name.encode("gbk").decode("latin-1")


def servlet_site(*, seed: int = 4201) -> Site:
    """GBK pages; files from download servlets named only by Content-Disposition."""
    ch = _chrome("宜丰县", "www.yifeng.gov.cn", "3609240001", SERVLET_COLUMN)
    res: dict[str, Resource] = {}
    items: list[tuple[str, str, str, str]] = []
    expected: list[ExpectedDoc] = []

    def stub(n: int, agency: str, year: int, pub: str, fpath: str, link_text: str,
             data: Callable[[ReportText], bytes],
             disposition: str, fmt: str, name: str) -> None:
        rt = template_report(agency, year, seed=seed + n, site=ch.site_title)
        path = f"/art/{pub[:4]}/{int(pub[5:7])}/{int(pub[8:])}/art_2101_{8800 + n}.html"
        text = esc(link_text.format(t=rt.title))
        block = _stub_text(rt) + f'<p>附件：<a href="{esc(fpath)}" target="_blank">{text}</a></p>'
        res[path] = Resource(_article(ch, rt, pub, block, charset="gb2312").encode("gbk"), GBK)
        res[fpath] = Resource(data(rt), OCTET,
                              headers={"Content-Disposition": disposition.format(
                                  gbk=_gbk_header(name.format(t=rt.title)),
                                  utf8=quote(name.format(t=rt.title)))})
        items.append((path, rt.title, pub, ""))
        expected.append(_doc(path, rt, pub, fmt, [fpath]))
        _file(fpath, name.format(t=rt.title), fmt, path)

    # Hanweb: the stored name is a hash; the real one only in filename*=UTF-8''
    stub(0, "宜丰县人民政府", 2021, "2022-01-21", "/module/download/downfile.jsp?classid=0&filename=1f2e3d4c5b.pdf",
         "1f2e3d4c5b.pdf", fb.report_pdf, "attachment; filename*=UTF-8''{utf8}", "pdf", "{t}.pdf")
    # A Java servlet: no extension in the URL, the link text is the file's name, GBK bytes in the header
    stub(1, "宜丰县财政局", 2020, "2021-01-22", "/attach/download?id=123", "{t}.pdf", fb.report_pdf,
         'attachment; filename="{gbk}"', "pdf", "{t}.pdf")
    # Both forms, as Tomcat filters write them; a DOCX
    stub(2, "宜丰县教育局", 2019, "2020-01-20", "/attach/download?id=124", "{t}.docx", fb.report_docx,
         "attachment; filename=\"{gbk}\"; filename*=UTF-8''{utf8}", "docx", "{t}.docx")
    # Hanweb without any Content-Disposition: the name is the query's filename=, not "downfile.jsp"
    stub(3, "宜丰县人力资源和社会保障局", 2021, "2022-01-17",
         "/module/download/downfile.jsp?classid=0&filename=2201171530123.pdf", "附件下载", fb.report_pdf,
         "inline", "pdf", "2201171530123.pdf")
    # No name from the server at all: the link's text is the file's name
    stub(4, "宜丰县卫生健康委员会", 2020, "2021-01-29", "/attach/download?id=125", "{t}.pdf", fb.report_pdf,
         "inline", "pdf", "{t}.pdf")
    # A list entry that is the servlet itself: percent-encoded UTF-8 without filename*
    rt = template_report("宜丰县民政局", 2021, seed=seed + 9, site=ch.site_title)
    fpath = "/servlet/FileDownloadServlet?fileId=88213"
    res[fpath] = Resource(fb.report_docx(rt), OCTET,
                          headers={"Content-Disposition": f"attachment;filename={quote(rt.title + '.docx')}"})
    items.append((fpath, rt.title, "2022-01-12", ""))
    expected.append(_doc(fpath, rt, "2022-01-12", "docx", [fpath]))
    _file(fpath, f"{rt.title}.docx", "docx", SERVLET_COLUMN)
    items.sort(key=lambda it: it[2], reverse=True)
    res[SERVLET_COLUMN] = Resource(_list(ch, items, charset="gb2312").encode("gbk"), GBK)
    return Site("servlets", ch.site_title, res, SERVLET_COLUMN, expected, encoding="gbk")


# --------------------------------------------------------------------------------------
# 3. Attachment blocks after the content


FJ_COLUMN = "/zwgk/gknb/index.html"


def fj_block_site(*, seed: int = 4301) -> Site:
    """Stubs with a ``div.fj`` attachment block; one PDF linked from body, block and list."""
    ch = _chrome("奉新县", "www.fengxin.gov.cn", "3609210001", FJ_COLUMN)
    res: dict[str, Resource] = {}
    items: list[tuple[str, str, str, str]] = []
    expected: list[ExpectedDoc] = []

    # (a) PDF + XLS; the PDF in the body, in the block and beside the list entry
    rt = template_report("奉新县人民政府", 2021, seed=seed, site=ch.site_title)
    pub = "2022-01-19"
    path = "/zwgk/gknb/202201/t20220119_6001.html"
    pdf_name, xls_name = f"1.{rt.title}.pdf", "2.统计表.xls"
    pdf = "/zwgk/gknb/202201/" + quote(pdf_name)  # UTF-8 percent-encoded Chinese name
    xls = "/zwgk/gknb/202201/P020220119600102.xls"
    body = _stub_text(rt).replace(f"《{esc(rt.title)}》", f'<a href="{pdf}">《{esc(rt.title)}》</a>')
    fj = (f'<div class="fj">附件：<a href="{pdf}" target="_blank">{esc(pdf_name)}</a>'
          f'<br><a href="{xls}" target="_blank">{esc(xls_name)}</a></div>')
    res[path] = Resource(_article(ch, rt, pub, body, after=fj).encode(), UTF8)
    res[pdf] = Resource(fb.report_pdf(rt), PDF)
    res[xls] = Resource(fb.report_xls(rt), "application/vnd.ms-excel")
    items.append((path, rt.title, pub, f' <a href="{pdf}" class="down" title="下载">[PDF]</a>'))
    expected.append(_doc(path, rt, pub, "pdf,xls", [pdf, xls], body=rt.body_text() + "\n" + tables_text(rt)))
    _file(pdf, pdf_name, "pdf", path)
    _file(xls, "P020220119600102.xls", "xls", path)

    # (b) a GBK percent-encoded name (an IIS server with a GBK file system)
    rt = template_report("奉新县财政局", 2020, seed=seed + 1, site=ch.site_title)
    pub = "2021-01-27"
    path = "/zwgk/gknb/202101/t20210127_6002.html"
    name = f"{rt.title}.pdf"
    pdf = "/zwgk/gknb/202101/" + quote(name, encoding="gbk")
    fj = f'<div class="fj"><span>附件：</span><ul><li><a href="{pdf}">{esc(name)}</a></li></ul></div>'
    res[path] = Resource(_article(ch, rt, pub, _stub_text(rt), after=fj).encode(), UTF8)
    res[pdf] = Resource(fb.report_pdf(rt), PDF)
    items.append((path, rt.title, pub, ""))
    expected.append(_doc(path, rt, pub, "pdf", [pdf]))
    _file(pdf, name, "pdf", path)

    # (c) an HTML report whose statistics also come as an attached DOCX: the body stays the page's
    rt = template_report("奉新县教育局", 2021, seed=seed + 2, site=ch.site_title)
    pub = "2022-01-24"
    path = "/zwgk/gknb/202201/t20220124_6003.html"
    docx = "/zwgk/gknb/202201/P020220124600301.docx"
    fj = f'<div class="fj">附件：<a href="{docx}">{esc(rt.title)}（word版）.docx</a></div>'
    res[path] = Resource(_article(ch, rt, pub, rt.to_html(), after=fj).encode(), UTF8)
    res[docx] = Resource(fb.report_docx(rt), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    items.append((path, rt.title, pub, ""))
    expected.append(_doc(path, rt, pub, "html", [docx]))
    _file(docx, "P020220124600301.docx", "docx", path)

    # (d) the file's Chinese name written raw in the href (browsers and crawlers send it
    # percent-encoded in UTF-8); the body links it again with the name percent-encoded
    rt = template_report("奉新县司法局", 2021, seed=seed + 3, site=ch.site_title)
    pub = "2022-01-26"
    path = "/zwgk/gknb/202201/t20220126_6004.html"
    name = f"{rt.title}.pdf"
    raw = f"/zwgk/gknb/202201/{name}"
    body = _stub_text(rt) + f'<p><a href="/zwgk/gknb/202201/{quote(name)}">点击查看全文</a></p>'
    fj = f'<div class="fj">附件：<a href="{raw}">{esc(name)}</a></div>'
    res[path] = Resource(_article(ch, rt, pub, body, after=fj).encode(), UTF8)
    res["/zwgk/gknb/202201/" + quote(name)] = Resource(fb.report_pdf(rt), PDF)
    items.append((path, rt.title, pub, ""))
    expected.append(_doc(path, rt, pub, "pdf", ["/zwgk/gknb/202201/" + quote(name)]))
    _file("/zwgk/gknb/202201/" + quote(name), name, "pdf", path)

    res[FJ_COLUMN] = Resource(_list(ch, items).encode(), UTF8)
    return Site("attachment-block", ch.site_title, res, FJ_COLUMN, expected)


# --------------------------------------------------------------------------------------
# 4. ZIP attachments


ZIP_COLUMN = "/xxgk/xxgknb/index.html"


def zip_bytes(members: list[tuple[str, bytes]], *, gbk_names: bool = False) -> bytes:
    """A ZIP of ``members``; ``gbk_names`` writes the names in GBK without the UTF-8 flag, as
    Windows' and WinRAR's zippers do on a Chinese system."""
    # zipfile writes any non-ASCII name as UTF-8 with the flag set: write an ASCII stand-in
    # of the GBK name's length, then put the GBK bytes in its place (no CRC covers names).
    stand_ins = {}
    if gbk_names:
        for k, (name, _) in enumerate(members):
            raw = name.encode("gbk")
            stand_ins[name] = (f"~{k}~".ljust(len(raw), "x").encode(), raw)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members:
            written = stand_ins[name][0].decode() if name in stand_ins else name
            info = zipfile.ZipInfo(written, date_time=(2022, 1, 20, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data)
    data = buf.getvalue()
    for stand_in, raw in stand_ins.values():
        data = data.replace(stand_in, raw)
    return data


def zip_site(*, seed: int = 4401) -> Site:
    """Stubs whose attachment is a ZIP: one PDF inside, a DOCX and a readme, images only."""
    ch = _chrome("靖安县", "www.jingan.gov.cn", "3609250001", ZIP_COLUMN)
    res: dict[str, Resource] = {}
    items: list[tuple[str, str, str, str]] = []
    expected: list[ExpectedDoc] = []

    def stub(n: int, rt: ReportText, pub: str, data: bytes, fmt: str, body: str | None = None) -> str:
        path = f"/xxgk/xxgknb/{pub[:7].replace('-', '')}/t{pub.replace('-', '')}_{7001 + n}.html"
        fpath = f"/xxgk/xxgknb/{pub[:7].replace('-', '')}/P0{pub.replace('-', '')}{n:04d}.zip"
        block = _stub_text(rt) + f'<p>附件：<a href="{fpath}">{esc(rt.title)}.zip</a></p>'
        res[path] = Resource(_article(ch, rt, pub, block).encode(), UTF8)
        res[fpath] = Resource(data, "application/x-zip-compressed")
        items.append((path, rt.title, pub, ""))
        doc = _doc(path, rt, pub, fmt, [fpath], body=body)
        expected.append(doc)
        return fpath

    rt = template_report("靖安县人民政府", 2021, seed=seed, site=ch.site_title)
    fpath = stub(0, rt, "2022-01-20", zip_bytes([(f"{rt.title}.pdf", fb.report_pdf(rt))], gbk_names=True), "pdf")
    _file(fpath, fpath.rsplit("/", 1)[1], "pdf", expected[-1].path)
    rt = template_report("靖安县农业农村局", 2020, seed=seed + 1, site=ch.site_title)
    fpath = stub(1, rt, "2021-01-25", zip_bytes([("说明.txt", "本压缩包内为年度报告全文。".encode("gbk")),
                                                 (f"{rt.title}.docx", fb.report_docx(rt))]), "docx")
    _file(fpath, fpath.rsplit("/", 1)[1], "docx", expected[-1].path)
    # Only scans inside (no OCR of archives): an error row that says so; the page stays a stub
    rt = template_report("靖安县林业局", 2019, seed=seed + 2, site=ch.site_title)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    # the closing "附件：….zip" line is the attachments table's, not the body's
    stub_body = f"根据《中华人民共和国政府信息公开条例》规定，现将《{rt.title}》予以公布，全文详见附件。"
    fpath = stub(2, rt, "2020-01-21", zip_bytes([("page1.png", png), ("page2.png", png)]), "html-stub",
                 body=stub_body)
    _file(fpath, fpath.rsplit("/", 1)[1], "zip", expected[-1].path, error="archive")
    res[ZIP_COLUMN] = Resource(_list(ch, items).encode(), UTF8)
    return Site("zip", ch.site_title, res, ZIP_COLUMN, expected)


# --------------------------------------------------------------------------------------
# 5. Relative links across folders and <base href>


RELATIVE_COLUMN = "/zfxxgk/fdzdgknr/nb/index.html"


def relative_site(*, seed: int = 4501) -> Site:
    """File links ``../../files/…`` from deep article folders, one page under ``<base href>``,
    and a file linked from the list as ``./``."""
    ch = _chrome("铜鼓县", "www.tonggu.gov.cn", "3609260001", RELATIVE_COLUMN)
    res: dict[str, Resource] = {}
    items: list[tuple[str, str, str, str]] = []
    expected: list[ExpectedDoc] = []

    # ../../ from /zfxxgk/fdzdgknr/nb/2022/01/ to /zfxxgk/fdzdgknr/nb/files/
    rt = template_report("铜鼓县人民政府", 2021, seed=seed, site=ch.site_title)
    pub, path = "2022-01-18", "/zfxxgk/fdzdgknr/nb/2022/01/content_9001.html"
    fpath = "/zfxxgk/fdzdgknr/nb/files/2022011801.pdf"
    block = _stub_text(rt) + '<p>附件：<a href="../../files/2022011801.pdf">下载年报全文</a></p>'
    res[path] = Resource(_article(ch, rt, pub, block).encode(), UTF8)
    res[fpath] = Resource(fb.report_pdf(rt), PDF)
    items.append(("2022/01/content_9001.html", rt.title, pub, ""))
    expected.append(_doc(path, rt, pub, "pdf", [fpath]))
    _file(fpath, "2022011801.pdf", "pdf", path)

    # <base href="/cms/"> in the head: "upload/…" is /cms/upload/…, not beside the page
    rt = template_report("铜鼓县卫生健康委员会", 2020, seed=seed + 1, site=ch.site_title)
    pub, path = "2021-01-19", "/zfxxgk/fdzdgknr/nb/2021/01/content_9002.html"
    fpath = "/cms/upload/2021/0119/nb2020.docx"
    block = _stub_text(rt) + '<p>附件：<a href="upload/2021/0119/nb2020.docx">年报.docx</a></p>'
    res[path] = Resource(_article(ch, rt, pub, block, head_extra='<base href="/cms/">').encode(), UTF8)
    res[fpath] = Resource(fb.report_docx(rt), OCTET)
    items.append(("2021/01/content_9002.html", rt.title, pub, ""))
    expected.append(_doc(path, rt, pub, "docx", [fpath]))
    _file(fpath, "nb2020.docx", "docx", path)

    # A file straight from the list, "./files/…"
    rt = template_report("铜鼓县统计局", 2019, seed=seed + 2, site=ch.site_title)
    pub, fpath = "2020-01-16", "/zfxxgk/fdzdgknr/nb/files/tjj2019.pdf"
    res[fpath] = Resource(fb.report_pdf(rt), PDF)
    items.append(("./files/tjj2019.pdf", rt.title, pub, ""))
    expected.append(_doc(fpath, rt, pub, "pdf", [fpath]))
    _file(fpath, "tjj2019.pdf", "pdf", RELATIVE_COLUMN)
    res[RELATIVE_COLUMN] = Resource(_list(ch, items).encode(), UTF8)
    return Site("relative", ch.site_title, res, RELATIVE_COLUMN, expected)


def file_sites() -> list[Site]:
    """Every site of this module (building them fills :data:`FILES`)."""
    return [viewer_site(), servlet_site(), fj_block_site(), zip_site(), relative_site()]
