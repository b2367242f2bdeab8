"""End-to-end: a column whose reports exist only as files (PDF, DOC, DOCX, OFD, a scan, bad files),
crawled by the real ``python -m crawler.cli crawl`` command; report bodies must be the files' text,
and a file over ``GONGKAI_ATTACHMENT_MAXSIZE`` must be an error row, not a failed crawl."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from archive.store import Archive
from demo import files as fb
from demo.seed_texts import seed_report
from demo.server import ExpectedDoc, Resource, Site, SiteServer
from demo.texts import ReportText, template_report
from pipelines import ocr
from tests.conftest import char_f1, gov_page
from tests.crawling import crawl_command, gongkai_crawl, run
from tests.test_stats import truth

pytestmark = pytest.mark.e2e  # starts local servers and the crawl command

COLUMN = "/xxgk/nb/index.html"
HTML = "text/html; charset=utf-8"
HAS_SOFFICE = shutil.which("soffice") is not None
HAS_OCR = ocr.available("chi_sim") and fb.cjk_font_path() is not None


def _stub(title: str, pub: str, links: list[tuple[str, str]]) -> bytes:
    files = "".join(f'<p>附件：<a href="{href}">{text}</a></p>' for href, text in links)
    body = f"<p>根据《中华人民共和国政府信息公开条例》规定,现将《{title}》予以公布,全文详见附件。</p>{files}"
    meta = f'<meta name="PubDate" content="{pub} 09:30"><meta name="ArticleTitle" content="{title}">'
    return gov_page(body, title=title, meta=meta).encode("utf-8")


def _list(entries: list[tuple[str, str, str]]) -> bytes:
    items = "".join(f'<li><a href="{href}" title="{title}">{title}</a><span>{when}</span></li>'
                    for href, title, when in entries)
    return (f"<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div><ul class='list'>{items}</ul></body></html>").encode()


def _expected(path: str, rt: ReportText, pub: str, fmt: str, files: list[str]) -> ExpectedDoc:
    doc = ExpectedDoc(path=path, is_report=True, title=rt.title, publish_date=pub, report_year=rt.year,
                      agency=rt.agency, body_text=rt.body_text(), attachments=files, source_format=fmt)
    return doc


def attachment_site() -> Site:
    """A column of stub pages ("全文详见附件") and one report linked straight as a .docx.

    The PDF has a running header, page numbers and tables split over pages; the DOC needs
    LibreOffice and the scan Tesseract (left out when they are not installed); one stub page
    links only bad files: an HTML error page, a 0-byte file, a truncated and an encrypted PDF.
    """
    res: dict[str, Resource] = {}
    entries: list[tuple[str, str, str]] = []
    expected: list[ExpectedDoc] = []

    def stub_report(n: int, rt: ReportText, pub: str, fmt: str, name: str, data: bytes,
                    ctype: str, href: str | None = None) -> None:
        path = f"/xxgk/nb/{pub[:7].replace('-', '')}/t{pub.replace('-', '')}_{1000 + n}.html"
        file_path = href or f"/xxgk/nb/files/P0{pub.replace('-', '')}{n:04d}.{fmt}"
        res[path] = Resource(_stub(rt.title, pub, [(file_path, name)]), HTML)
        res[file_path] = Resource(data, ctype)
        entries.append((path, rt.title, pub))
        expected.append(_expected(path, rt, pub, fmt, [file_path]))

    pdf_rt = template_report("江州市人民政府", 2021, seed=11, site="江州市人民政府")
    stub_report(1, pdf_rt, "2022-01-20", "pdf", f"{pdf_rt.title}.pdf",
                fb.report_pdf(pdf_rt, header="江州市人民政府办公室"), "application/pdf")
    if HAS_SOFFICE:
        doc_rt = template_report("江州市教育局", 2020, seed=12, site="江州市人民政府")
        stub_report(2, doc_rt, "2021-01-25", "doc", f"{doc_rt.title}.doc",
                    fb.soffice_convert(fb.report_docx(doc_rt), ".docx", "doc"), "application/msword")
    ofd_rt = template_report("江州市水利局", 2019, seed=13, site="江州市人民政府")
    # No extension and a 附件 link text: found by its words, identified by its bytes.
    stub_report(3, ofd_rt, "2020-01-16", "ofd", "附件下载", fb.report_ofd(ofd_rt.blocks, title=ofd_rt.title),
                "application/octet-stream", href="/xxgk/nb/getfile?id=3")
    if HAS_OCR:
        scan_rt = seed_report(0)
        scan_rt.blocks = scan_rt.blocks[:5]
        scan_rt.year, scan_rt.agency = 2014, "市水利局"
        image = fb.page_image([b.text for b in scan_rt.blocks], footer="- 1 -")
        stub_report(4, scan_rt, "2015-01-05", "pdf", "扫描件.pdf", fb.scanned_pdf([image]), "application/pdf")

    # A report published only as a Word file on the list, named in GBK bytes by the server.
    docx_rt = template_report("江州市交通运输局", 2019, seed=14, site="江州市人民政府")
    docx_path = "/xxgk/nb/files/20200115_0007.docx"
    name = f"{docx_rt.title}.docx"
    res[docx_path] = Resource(fb.report_docx(docx_rt), "application/octet-stream", headers={
        "Content-Disposition": 'attachment; filename="' + name.encode("gbk").decode("latin-1") + '"'})
    entries.append((docx_path, docx_rt.title, "2020-01-15"))
    expected.append(_expected(docx_path, docx_rt, "2020-01-15", "docx", [docx_path]))

    # A stub whose files are all bad: its text stays the stub's, the crawl goes on.
    bad_rt = ReportText(title="江州市司法局2018年政府信息公开工作年度报告", agency="江州市司法局", year=2018,
                        family="attachment", blocks=[], written=date(2019, 1, 20))
    bad_path = "/xxgk/nb/201901/t20190125_1009.html"
    good_pdf = fb.report_pdf(pdf_rt)
    bad_files = {
        "/xxgk/nb/files/error.pdf": Resource("<!DOCTYPE html><html><head><title>404 页面不存在</title></head>"
                                             "<body>文件不存在</body></html>".encode(), HTML),
        "/xxgk/nb/files/empty.pdf": Resource(b"", "application/pdf"),
        "/xxgk/nb/files/truncated.pdf": Resource(good_pdf[: len(good_pdf) // 3], "application/pdf"),
        "/xxgk/nb/files/locked.pdf": Resource(fb.report_pdf(pdf_rt, encrypt_password="secret"), "application/pdf"),
    }
    res.update(bad_files)
    res[bad_path] = Resource(_stub(bad_rt.title, "2019-01-25", [(p, p.rsplit("/", 1)[1]) for p in bad_files]), HTML)
    entries.append((bad_path, bad_rt.title, "2019-01-25"))
    bad = _expected(bad_path, bad_rt, "2019-01-25", "html-stub", list(bad_files))
    opening = f"根据《中华人民共和国政府信息公开条例》规定,现将《{bad_rt.title}》予以公布,全文详见附件。"
    bad.body_text = opening  # the "附件：error.pdf" lines are the attachments table's, not the body's
    expected.append(bad)

    res[COLUMN] = Resource(_list(entries), HTML)
    return Site("attachments", "江州市人民政府", res, COLUMN, expected)


def crawl(url: str, db: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    return gongkai_crawl([url], db, *settings)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    site = attachment_site()
    db = tmp_path_factory.mktemp("attachments") / "archive.db"
    with SiteServer(site) as server:
        first = crawl(server.column_url, db)
        # every page and file fetched and read again (no incremental skipping)
        second = crawl(server.column_url, db, "GONGKAI_INCREMENTAL=false")
        base = server.base_url
    return {"site": site, "db": db, "base": base, "first": first, "second": second}


def test_reports_published_as_files_get_the_files_text_and_format(crawled):
    archive = Archive(crawled["db"])
    for doc in crawled["site"].expected:
        row = archive.report(crawled["base"] + doc.path)
        assert row is not None, f"report missing: {doc.path}"
        assert row["source_format"] == doc.source_format, doc.path
        floor = 0.95 if doc.path.endswith("_1004.html") else 0.98  # the scan is OCR'd
        assert char_f1(row["body_text"], doc.body_text) >= floor, doc.path


def test_metadata_still_comes_from_the_page_and_the_list(crawled):
    archive = Archive(crawled["db"])
    for doc in crawled["site"].expected:
        row = archive.report(crawled["base"] + doc.path)
        assert (row["title"], row["publish_date"], row["report_year"]) == (
            doc.title, doc.publish_date, doc.report_year), doc.path
        if doc.path.endswith(".docx"):  # no page: title and date from the list, agency from the title
            assert row["list_title"] == doc.title and row["date_source"] == "list"
            assert row["agency"] == doc.agency


def test_attachment_rows_keep_name_type_bytes_and_method(crawled):
    archive = Archive(crawled["db"])
    site, base = crawled["site"], crawled["base"]
    rows = {r["url"][len(base):]: r for r in archive.attachments()}
    docx = rows["/xxgk/nb/files/20200115_0007.docx"]
    assert docx["filename"] == "江州市交通运输局2019年政府信息公开工作年度报告.docx"
    assert (docx["sniffed_type"], docx["method"], docx["usable"]) == ("docx", "python-docx", 1)
    ofd = rows["/xxgk/nb/getfile?id=3"]
    assert (ofd["sniffed_type"], ofd["method"]) == ("ofd", "ofd-xml")
    for path, row in rows.items():
        served = site.resources[path].body
        assert row["sha256"] == hashlib.sha256(served).hexdigest() and archive.blob(row["sha256"]) == served
    if HAS_OCR:
        scan = next(r for p, r in rows.items() if p.endswith("0004.pdf"))
        assert scan["ocr"] == 1 and scan["ocr_confidence"] > 60 and scan["method"] == "tesseract"


def test_bad_files_give_error_rows_and_the_crawl_goes_on(crawled):
    archive = Archive(crawled["db"])
    rows = {r["url"].rsplit("/", 1)[1]: r for r in archive.attachments()}
    assert rows["error.pdf"]["sniffed_type"] == "html" and "404 页面不存在" in rows["error.pdf"]["error"]
    assert rows["empty.pdf"]["error"] == "empty file (0 bytes)"
    assert "truncated" in rows["truncated.pdf"]["error"] or "damaged" in rows["truncated.pdf"]["error"]
    assert "encrypted" in rows["locked.pdf"]["error"]
    assert all(not rows[n]["usable"] for n in ("error.pdf", "empty.pdf", "truncated.pdf", "locked.pdf"))
    assert archive.crawl(1)["status"] == "finished"
    # ...and the summary names them: fetched fine, yet no text came out of them
    assert archive.crawl(1)["attachments_unreadable"] == 4
    out = crawled["first"].stdout
    assert "unreadable files     4" in out and "encrypted" in out
    assert f"{archive.crawl(1)['attachments']} attachment files" in out


def test_second_crawl_of_the_file_column_changes_nothing(crawled):
    archive = Archive(crawled["db"])
    files = [sum(1 for c in archive.captures(n) if c["kind"] == "attachment" and c["sha256"]) for n in (1, 2)]
    assert files[0] == files[1] >= len(crawled["site"].expected)  # every file was fetched and read again
    crawls = list(archive.db.query("select * from crawls order by id"))
    assert crawls[1]["reports_new"] == 0 and crawls[1]["reports_updated"] == 0
    assert archive.db["report_versions"].count == archive.db["reports"].count == len(crawled["site"].expected)


def test_statistics_read_from_a_file_say_which_format_they_came_from(crawled):
    archive = Archive(crawled["db"])
    pdf_report = archive.report(crawled["base"] + "/xxgk/nb/202201/t20220120_1001.html")
    stored = archive.statistics(pdf_report["id"])
    # cells from the PDF's ruled tables say pdf, any read from its text layer pdf-text; the
    # sections were split from the PDF's text, not from the stub page
    sources = {c["source"] for c in stored["cells"]}
    assert sources and sources <= {"pdf", "pdf-text"} and "pdf" in sources
    assert [s["number"] for s in stored["sections"]][:2] == [0, 1]
    assert {s["source"] for s in stored["sections"]} == {"pdf"}
    assert pdf_report["template"] == "t2021" and all(c["ok"] for c in stored["checks"])
    # the OFD's ruled tables, rebuilt from its PathObjects, give every cell of the 2019 template
    ofd_report = archive.report(crawled["base"] + "/xxgk/nb/202001/t20200116_1003.html")
    stored = archive.statistics(ofd_report["id"])
    rt = template_report("江州市水利局", 2019, seed=13, site="江州市人民政府")
    assert {(c["table_name"], c["row_label"], c["col_label"]): c["value"] for c in stored["cells"]} == truth(rt)
    assert {c["source"] for c in stored["cells"]} == {"ofd"} and {s["source"] for s in stored["sections"]} == {"ofd"}
    assert ofd_report["template"] == "t2019" and all(c["ok"] for c in stored["checks"])


# --- GONGKAI_ATTACHMENT_MAXSIZE -------------------------------------------------------------

BIG_PDF = "/xxgk/nb/files/P020220120big.pdf"
SMALL_PDF = "/xxgk/nb/files/P020150105small.pdf"
HTML_REPORT = "/xxgk/nb/202101/t20210118_2003.html"


def oversize_site() -> tuple[Site, int]:
    """A column of a stub whose PDF is over the size cap, a stub whose PDF is under it, and an
    HTML report; returns the site and a cap between the two PDFs' sizes."""
    big_rt = template_report("江州市人民政府", 2021, seed=11, site="江州市人民政府")
    big = fb.report_pdf(big_rt, header="江州市人民政府办公室")
    small_rt = seed_report(0)
    small_rt.blocks = small_rt.blocks[:5]
    small = fb.report_pdf(small_rt)
    cap = (len(small) + len(big)) // 2
    assert len(small) < cap < len(big)
    html_rt = template_report("江州市财政局", 2020, seed=16, site="江州市人民政府")
    meta = f'<meta name="PubDate" content="2021-01-18 09:30"><meta name="ArticleTitle" content="{html_rt.title}">'
    res = {
        "/xxgk/nb/202201/t20220120_2001.html": Resource(_stub(big_rt.title, "2022-01-20", [(BIG_PDF, "年报.pdf")]),
                                                        HTML),
        BIG_PDF: Resource(big, "application/pdf"),
        "/xxgk/nb/201501/t20150105_2002.html": Resource(
            _stub(small_rt.title, "2015-01-05", [(SMALL_PDF, "年报.pdf")]), HTML),
        SMALL_PDF: Resource(small, "application/pdf"),
        HTML_REPORT: Resource(gov_page(html_rt.to_html(), title=html_rt.title, meta=meta).encode(), HTML),
    }
    res[COLUMN] = Resource(_list([("/xxgk/nb/202201/t20220120_2001.html", big_rt.title, "2022-01-20"),
                                  ("/xxgk/nb/201501/t20150105_2002.html", small_rt.title, "2015-01-05"),
                                  (HTML_REPORT, html_rt.title, "2021-01-18")]), HTML)
    expected = [_expected(HTML_REPORT, html_rt, "2021-01-18", "html", []),
                _expected("/xxgk/nb/201501/t20150105_2002.html", small_rt, "2015-01-05", "pdf", [SMALL_PDF])]
    return Site("oversize", "江州市人民政府", res, COLUMN, expected), cap


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    site, cap = oversize_site()
    db = tmp_path_factory.mktemp("oversize") / "archive.db"
    with SiteServer(site) as server:
        result = crawl(server.column_url, db, f"GONGKAI_ATTACHMENT_MAXSIZE={cap}")  # asserts exit status 0
        base = server.base_url
    return {"site": site, "db": db, "base": base, "result": result}


def test_file_over_the_size_cap_gets_an_oversize_error_row_and_the_crawl_goes_on(capped):
    archive = Archive(capped["db"])
    base = capped["base"]
    rows = {r["url"][len(base):]: r for r in archive.attachments()}
    big = rows[BIG_PDF]
    assert big["error"].startswith("oversize") and not big["usable"]
    assert big["sha256"] is None and big["size"] is None and big["method"] is None  # nothing kept or read
    # the stub keeps its own text: nothing was read from the file
    stub = archive.report(base + "/xxgk/nb/202201/t20220120_2001.html")
    assert stub["source_format"] == "html-stub" and "全文详见附件" in stub["body_text"]
    assert archive.crawl(1)["status"] == "finished"
    # the summary lists it among the failures, with its URL
    assert any(line.strip().startswith("oversize:") and line.endswith(base + BIG_PDF)
               for line in capped["result"].stdout.splitlines())


def test_reports_beside_an_oversize_file_are_archived_whole(capped):
    archive = Archive(capped["db"])
    base = capped["base"]
    assert archive.db["reports"].count == 3  # the oversize file's stub page is a report too
    for doc in capped["site"].expected:
        row = archive.report(base + doc.path)
        assert row is not None, f"report missing: {doc.path}"
        assert row["source_format"] == doc.source_format, doc.path
        assert char_f1(row["body_text"], doc.body_text) >= 0.98, doc.path
    small = next(r for r in archive.attachments() if r["url"] == base + SMALL_PDF)
    assert small["usable"] and small["error"] is None
    assert small["sha256"] == hashlib.sha256(capped["site"].resources[SMALL_PDF].body).hexdigest()


@pytest.mark.skipif(not HAS_OCR, reason="tesseract with chi_sim and a CJK font are not installed")
def test_report_of_scanned_page_images_gets_their_ocr_text_in_page_order(tmp_path):
    # Small 县 sites upload a signed report as JPG/PNG scans into the TRS editor: no text, no
    # links, only <img>. The images are the report's files; OCR gives the body, page 1 first.
    paragraphs = ["XX县民政局2021年政府信息公开工作年度报告",
                  "一、总体情况。2021年,我局认真贯彻落实《中华人民共和国政府信息公开条例》,主动公开政府信息。",
                  "二、主动公开政府信息情况。全年主动公开各类信息二百一十件,及时回应社会关切。",
                  "三、收到和处理政府信息公开申请情况。全年收到申请十二件,均按时答复。"]
    pages = [fb.page_image(paragraphs[:2]), fb.page_image(paragraphs[2:])]
    title, pub = paragraphs[0], "2022-01-21"
    article = "/xxgk/nb/202201/t20220121_31.html"
    images = "".join(f'<p style="text-align:center"><img src="./W020220121{k}.png" width="600" /></p>'
                     for k in (1, 2))
    meta = f'<meta name="PubDate" content="{pub} 09:30"><meta name="ArticleTitle" content="{title}">'
    res = {COLUMN: Resource(_list([(article, title, pub)]), HTML),
           article: Resource(gov_page(images, title=title, meta=meta).encode("utf-8"), HTML)}
    for k, png in enumerate(pages, start=1):
        res[f"/xxgk/nb/202201/W020220121{k}.png"] = Resource(png, "image/png")
    site = Site("scans", "XX县人民政府", res, COLUMN, [])
    db = tmp_path / "scans.db"
    with SiteServer(site) as server:
        result = run(crawl_command([server.column_url], db))
        base = server.base_url
    assert result.returncode == 0, result.stderr[-2000:]
    archive = Archive(db)
    row = archive.report(base + article)
    assert row["source_format"] == "image" and row["container"].endswith("[images-only]")
    assert char_f1(row["body_text"], "\n".join(paragraphs)) > 0.9
    # page order, whichever file the crawl read first
    assert row["body_text"].find("总体情况") < row["body_text"].find("主动公开政府信息情况")
    files = archive.attachments(row["id"])
    assert [f["position"] for f in files] == [0, 1] and all(f["ocr"] for f in files)
