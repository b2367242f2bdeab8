"""The archive's side of attachment files: contents on the link rows, bytes in blobs, and stub
reports whose body becomes their files' text (without a spurious new version)."""

from __future__ import annotations

import hashlib
import json

import pytest

from archive.store import NEW, UNCHANGED, Archive

PAGE = "http://x.gov.cn/xxgk/nb/202001/t20200115_1.html"
LIST = "http://x.gov.cn/xxgk/nb/index.html"
PDF = "http://x.gov.cn/xxgk/nb/202001/P020200115.pdf"
STUB = "根据《中华人民共和国政府信息公开条例》规定,现将《江州市2019年政府信息公开工作年度报告》予以公布,全文详见附件。"
FILE_TEXT = ("一、总体情况\n2019年,江州市人民政府认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
             "二、主动公开政府信息情况")


@pytest.fixture
def archive() -> Archive:
    return Archive.memory()


def page_capture(when: str = "2026-01-01T00:00:00Z") -> dict:
    return {"url": PAGE, "kind": "article", "status": 200, "fetched_at": when}


def file_capture(url: str = PDF, when: str = "2026-01-01T00:00:01Z", **extra) -> dict:
    return {"url": url, "kind": "attachment", "status": 200, "fetched_at": when, **extra}


def stub_report(**extra) -> dict:
    return {"url": PAGE, "title": "江州市2019年政府信息公开工作年度报告", "body_text": STUB,
            "publish_date": "2020-01-15", "report_year": 2019, "source_format": "html-stub", **extra}


def read_file(text: str = FILE_TEXT, *, url: str = PDF, page_url: str = PAGE, **extra) -> dict:
    return {"url": url, "page_url": page_url, "link_text": "2019年报告.pdf", "filename": "2019年报告.pdf",
            "sniffed_type": "pdf", "method": "pdfplumber", "text": text, "chars": len(text), "usable": 1,
            "page_count": 3, **extra}


LINKS = [{"url": PDF, "text": "2019年报告.pdf"}]


def test_stub_report_takes_its_files_text_in_the_same_version(archive):
    _, saved = archive.save_capture_and_report(page_capture(), b"<html>stub</html>", stub_report(), LINKS)
    archive.save_attachment(file_capture(), b"%PDF-1.7 bytes", read_file())
    row = archive.report(PAGE)
    assert (row["body_text"], row["source_format"], row["version"]) == (FILE_TEXT, "pdf", 1)
    assert row["title"] == "江州市2019年政府信息公开工作年度报告" and row["publish_date"] == "2020-01-15"
    versions = list(archive.db.query("select version, body_text from report_versions"))
    assert versions == [{"version": 1, "body_text": FILE_TEXT}]
    assert [r["id"] for r in archive.search("主动公开政府信息")] == [saved.report_id]


def test_recrawl_of_stub_and_file_changes_nothing(archive):
    archive.save_capture_and_report(page_capture(), b"<html>stub</html>", stub_report(), LINKS)
    archive.save_attachment(file_capture(), b"%PDF-1.7 bytes", read_file())
    _, again = archive.save_capture_and_report(page_capture("2026-02-01T00:00:00Z"), b"<html>stub</html>",
                                               stub_report(), LINKS)
    archive.save_attachment(file_capture(when="2026-02-01T00:00:01Z"), b"%PDF-1.7 bytes", read_file())
    assert again.status == UNCHANGED
    row = archive.report(PAGE)
    assert (row["body_text"], row["version"]) == (FILE_TEXT, 1)
    assert archive.db["report_versions"].count == 1


def test_changed_file_makes_a_new_version(archive):
    archive.save_capture_and_report(page_capture(), b"<html>stub</html>", stub_report(), LINKS)
    archive.save_attachment(file_capture(), b"%PDF-1.7 v1", read_file())
    archive.save_attachment(file_capture(when="2026-03-01T00:00:00Z"), b"%PDF-1.7 v2",
                            read_file(FILE_TEXT + "\n(更正)"))
    row = archive.report(PAGE)
    assert row["version"] == 2 and row["body_text"].endswith("(更正)")
    assert [v["body_text"] for v in archive.db.query("select body_text from report_versions order by version")] == [
        FILE_TEXT, FILE_TEXT + "\n(更正)"]


def test_file_read_before_its_stub_page_is_stored_still_becomes_the_body(archive):
    archive.save_attachment(file_capture(), b"%PDF-1.7 bytes", read_file())
    archive.save_capture_and_report(page_capture(), b"<html>stub</html>", stub_report(), LINKS)
    row = archive.report(PAGE)
    assert (row["body_text"], row["source_format"], row["version"]) == (FILE_TEXT, "pdf", 1)
    assert archive.db["attachments"].count == 1


def test_unreadable_file_leaves_the_stub_text_and_records_the_error(archive):
    archive.save_capture_and_report(page_capture(), b"<html>stub</html>", stub_report(), LINKS)
    archive.save_attachment(file_capture(), b"<html>404</html>",
                            read_file("", sniffed_type="html", usable=0, method=None,
                                      error="an HTML page, not a document: 404"))
    row = archive.report(PAGE)
    assert (row["body_text"], row["source_format"]) == (STUB, "html-stub")
    link = archive.attachments(row["id"])[0]
    assert link["sniffed_type"] == "html" and link["error"].startswith("an HTML page")


def test_full_html_report_keeps_its_body_and_its_files_only_supplement_it(archive):
    archive.save_capture_and_report(page_capture(), b"<html>full</html>",
                                    stub_report(body_text="完整的HTML正文。" * 50, source_format="html"), LINKS)
    archive.save_attachment(file_capture(), b"%PDF-1.7 bytes", read_file())
    row = archive.report(PAGE)
    assert row["source_format"] == "html" and row["body_text"].startswith("完整的HTML正文")
    assert archive.attachments(row["id"])[0]["chars"] == len(FILE_TEXT)


def test_file_linked_from_a_list_is_its_own_report(archive):
    report = {"url": PDF, "title": "江州市2019年政府信息公开工作年度报告", "body_text": FILE_TEXT,
              "publish_date": "2020-01-15", "list_date": "2020-01-15", "report_year": 2019, "source_format": "pdf"}
    _, result = archive.save_attachment(file_capture(), b"%PDF-1.7 bytes", read_file(page_url=LIST), report)
    assert result.status == NEW
    row = archive.report(PDF)
    assert (row["source_format"], row["body_text"], row["list_date"]) == ("pdf", FILE_TEXT, "2020-01-15")
    assert archive.attachments(row["id"])[0]["page_url"] == LIST


def test_raw_bytes_are_kept_once_in_blobs_by_sha256(archive):
    body = b"%PDF-1.7 the file"
    archive.save_capture_and_report(page_capture(), b"<html>stub</html>", stub_report(), LINKS)
    archive.save_attachment(file_capture(), body, read_file())
    link = archive.attachments()[0]
    assert link["sha256"] == hashlib.sha256(body).hexdigest() and link["size"] == len(body)
    assert archive.blob(link["sha256"]) == body
    capture = next(c for c in archive.captures() if c["id"] == link["file_capture_id"])
    assert capture["kind"] == "attachment" and capture["sha256"] == link["sha256"]


def test_failed_refetch_keeps_what_an_earlier_fetch_read(archive):
    archive.save_capture_and_report(page_capture(), b"<html>stub</html>", stub_report(), LINKS)
    archive.save_attachment(file_capture(), b"%PDF-1.7 bytes", read_file())
    archive.save_attachment(file_capture(when="2026-02-01T00:00:00Z", error="HTTP 500", status=500), None,
                            {"url": PDF, "page_url": PAGE, "error": "HTTP 500"})
    link = archive.attachments()[0]
    assert link["chars"] == len(FILE_TEXT) and link["error"] is None
    assert archive.report(PAGE)["body_text"] == FILE_TEXT


def test_a_page_linking_an_already_read_file_gets_its_contents(archive):
    archive.save_attachment(file_capture(), b"%PDF-1.7 bytes", read_file(page_url=LIST))
    other = "http://x.gov.cn/xxgk/nb/202001/t20200115_2.html"
    archive.save_capture_and_report({**page_capture(), "url": other}, b"<html>x</html>", None, LINKS)
    rows = {r["page_url"]: r for r in archive.attachments()}
    assert rows[other]["chars"] == rows[LIST]["chars"] == len(FILE_TEXT)


# --- statistics of stub reports: from all their files, whatever order they arrive in --------------

XLS = "http://x.gov.cn/module/download/downfile.jsp?filename=tj.xlsx"
TABLE = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "0", "5"],
         ["行政规范性文件", "12", "3", "48"]]


def _stats_rows(archive: Archive, report_id: int) -> tuple[set, set]:
    cells = {(c["table_name"], c["row_label"], c["col_label"], c["value"], c["source"])
             for c in archive.db.query("select * from report_cells where report_id = ?", [report_id])}
    sections = {(s["number"], s["source"])
                for s in archive.db.query("select * from report_sections where report_id = ?", [report_id])}
    return cells, sections


def test_a_file_read_before_its_stub_page_still_gives_the_report_its_statistics(archive):
    from pipelines.archiving import statistics_of_files

    archive.save_capture_and_report(page_capture(), b"<html>list</html>", None, LINKS)  # the link, seen first
    archive.save_attachment(file_capture(), b"%PDF-1.7 bytes", read_file())  # read before the stub is stored
    _, saved = archive.save_capture_and_report(page_capture("2026-01-01T00:00:02Z"), b"<html>stub</html>",
                                               stub_report(), LINKS, None, statistics_of=statistics_of_files)
    assert archive.report(PAGE)["source_format"] == "pdf"
    _, sections = _stats_rows(archive, saved.report_id)
    assert (1, "pdf") in sections and (2, "pdf") in sections


def test_a_stub_with_a_pdf_and_a_spreadsheet_keeps_the_sections_of_one_and_the_cells_of_the_other(archive):
    from pipelines.archiving import statistics_of_files

    links = LINKS + [{"url": XLS, "text": "统计表.xlsx"}]
    _, saved = archive.save_capture_and_report(page_capture(), b"<html>stub</html>", stub_report(report_year=2021),
                                               links, statistics_of=statistics_of_files)
    archive.save_attachment(file_capture(), b"%PDF-1.7 bytes", read_file(), statistics_of=statistics_of_files)
    sheet = read_file("\n".join("\t".join(r) for r in TABLE), url=XLS, sniffed_type="xlsx", method="openpyxl",
                      tables=json.dumps([TABLE], ensure_ascii=False))
    archive.save_attachment(file_capture(XLS, when="2026-01-01T00:00:02Z"), b"PK xlsx", sheet,
                            statistics_of=statistics_of_files)
    assert archive.report(PAGE)["source_format"] == "pdf,xlsx"
    cells, sections = _stats_rows(archive, saved.report_id)
    assert (1, "pdf") in sections and (2, "pdf") in sections  # the PDF's, though the XLS came last
    assert ("表二", "规章", "本年制发件数", 1, "xlsx") in cells
    assert ("表二", "行政规范性文件", "现行有效件数", 48, "xlsx") in cells
