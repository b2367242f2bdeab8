"""Attachment files: type sniffing, file names, and the text read from PDF, DOCX, DOC, WPS, OFD,
spreadsheets and scans, checked against the source text by character F1 (fixtures built in code)."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from demo import files as fb
from demo.seed_texts import seed_report
from demo.texts import Block, template_report
from pipelines import ocr
from pipelines.attachments import (
    AttachmentText,
    ReadOptions,
    file_report,
    filename_from_disposition,
    filename_from_url,
    is_stub,
    read_attachment,
    sniff,
    title_from_filename,
)
from pipelines.layout import Line, Page, assemble_pages
from pipelines.officetext import OfficeError, Soffice
from pipelines.stats import SourceText, parse_sources, parse_statistics
from tests.conftest import char_f1
from tests.test_stats import cells_of, truth

HEADER = "江州市人民政府办公室"
HAS_SOFFICE = shutil.which("soffice") is not None
HAS_OCR = ocr.available("chi_sim")
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed: make setup")
needs_ocr = pytest.mark.skipif(not HAS_OCR, reason="tesseract with chi_sim is not installed: make setup")
NO_OCR = ReadOptions(ocr=ocr.OcrOptions(enabled=False))


@pytest.fixture(scope="module")
def rt():
    return template_report("江州市人民政府", 2021, seed=5, site="江州市人民政府")


@pytest.fixture(scope="module")
def pdf_bytes(rt) -> bytes:
    return fb.report_pdf(rt, header=HEADER)


@pytest.fixture(scope="module")
def pdf(pdf_bytes) -> AttachmentText:
    return read_attachment(pdf_bytes, "report.pdf", NO_OCR)


@pytest.fixture(scope="module")
def docx_bytes(rt) -> bytes:
    return fb.report_docx(rt, header=HEADER)


@pytest.fixture(scope="module")
def doc_bytes(docx_bytes) -> bytes:
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed: make setup")
    return fb.soffice_convert(docx_bytes, ".docx", "doc")


def paragraphs(rt) -> list[str]:
    return [b.text for b in rt.blocks if b.kind != "table"]


# --- sniffing and names --------------------------------------------------------------------


def test_types_are_sniffed_from_the_bytes_whatever_the_name(pdf_bytes, docx_bytes):
    xlsx = io.BytesIO()
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["信息内容", "本年制发件数"])
    book.save(xlsx)
    ofd = fb.report_ofd([Block("para", "正文。")], title="t")
    png = fb.page_image(["正文"]) if fb.cjk_font_path() else b"\x89PNG\r\n\x1a\n" + bytes(20)
    assert sniff(pdf_bytes).type == "pdf"
    assert sniff(docx_bytes).type == "docx"
    assert sniff(xlsx.getvalue()).type == "xlsx"
    assert sniff(ofd).type == "ofd"
    assert sniff(png).type == "image"
    assert sniff(b"").type == "empty"
    assert sniff(b"Rar!\x1a\x07\x00rest").type == "rar"
    assert sniff(b"<!DOCTYPE html><html><title>404</title>").type == "html"


@pytest.mark.e2e
@needs_soffice
def test_word_97_file_with_kingsoft_stream_sniffs_as_wps_and_plain_one_as_doc(doc_bytes):
    wps = fb.add_ole_stream_entry(doc_bytes, "WpsCustomData")
    assert sniff(doc_bytes).type == "doc"
    kind = sniff(wps)
    assert kind.type == "wps" and "Kingsoft" in (kind.detail or "")


@pytest.mark.parametrize(
    "header",
    [
        'attachment; filename="' + "2019年年报.pdf".encode("gbk").decode("latin-1") + '"',
        'attachment; filename="' + "2019年年报.pdf".encode().decode("latin-1") + '"',
        "attachment; filename*=UTF-8''" + "".join(f"%{b:02X}" for b in "2019年年报.pdf".encode()),
        "attachment; filename=" + "".join(f"%{b:02X}" for b in "2019年年报.pdf".encode("gbk")),
        "attachment; filename=\"=?UTF-8?B?MjAxOeW5tOW5tOaKpS5wZGY=?=\"",
        'inline; filename="C:\\Documents\\2019年年报.pdf"',
    ],
    ids=["gbk-bytes", "utf8-bytes", "rfc6266", "percent-gbk", "rfc2047", "windows-path"],
)
def test_content_disposition_file_names_decode_as_chinese_servers_send_them(header):
    assert filename_from_disposition(header) == "2019年年报.pdf"


def test_file_name_falls_back_to_the_url_and_titles_drop_extensions():
    assert filename_from_url("http://x.gov.cn/P0200115%E5%B9%B4%E6%8A%A5.pdf") == "P0200115年报.pdf"
    assert title_from_filename("2019年政府信息公开工作年度报告(1).pdf") == "2019年政府信息公开工作年度报告"


# --- bad files ---------------------------------------------------------------------------------


def test_empty_file_gives_an_error_row():
    assert read_attachment(b"").error == "empty file (0 bytes)"


def test_html_error_page_served_as_pdf_says_so_with_its_title():
    page = "<!DOCTYPE html><html><head><title>404 页面不存在</title></head><body>错误</body></html>"
    result = read_attachment(page.encode("utf-8"), "report.pdf")
    assert result.type == "html" and "HTML page" in result.error and "404 页面不存在" in result.error


def test_truncated_pdf_is_flagged_and_its_partial_text_not_trusted(pdf_bytes):
    result = read_attachment(pdf_bytes[: len(pdf_bytes) // 2], "report.pdf", NO_OCR)
    assert result.type == "pdf" and result.error
    assert "truncated" in result.error or "damaged" in result.error
    assert not result.ok


def test_password_protected_pdf_gives_an_encrypted_error(rt):
    locked = fb.report_pdf(rt, encrypt_password="secret")
    result = read_attachment(locked, "report.pdf", NO_OCR)
    assert result.type == "pdf" and "encrypted" in result.error


def test_owner_locked_pdf_without_user_password_is_read(rt):
    locked = fb.report_pdf(rt, encrypt_password="")
    result = read_attachment(locked, "report.pdf", NO_OCR)
    assert result.error is None and char_f1(result.text, rt.body_text()) >= 0.99


def test_zip_that_is_not_a_docx_and_a_damaged_zip_give_clear_errors():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as package:
        package.writestr("readme.txt", "不是文档")
    not_docx = read_attachment(buf.getvalue(), "report.docx")
    assert not_docx.type == "zip" and "not a document" in not_docx.error and "report.docx" in not_docx.error
    damaged = read_attachment(b"PK\x03\x04\x14\x00\x06\x00" + b"[Content_Types].xml" + bytes(64), "a.docx")
    assert damaged.type == "zip" and "damaged ZIP" in damaged.error


def test_damaged_ole_file_gives_an_error():
    result = read_attachment(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "统计表.xls")
    assert result.type == "ole" and "damaged OLE2" in result.error


def test_pdf_with_no_text_and_no_image_gives_no_text_error():
    result = read_attachment(fb.empty_pdf("江州市2019年政府信息公开工作年度报告"), "r.pdf", NO_OCR)
    assert result.type == "pdf" and result.error == "no text found in the file"


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_text_matches_the_source_by_char_f1(pdf, rt):
    assert pdf.method == "pdfplumber" and pdf.error is None and pdf.page_count >= 3
    assert char_f1(pdf.text, rt.body_text()) >= 0.99


def test_pdf_running_header_and_page_numbers_are_removed(pdf):
    lines = pdf.text.split("\n")
    assert HEADER not in lines
    assert not any(line.startswith("- ") and line.endswith(" -") for line in lines)


def test_pdf_paragraph_running_over_a_page_break_stays_one_line():
    import pdfplumber

    rt = seed_report(0)  # long paragraphs: a page ends inside one
    data = fb.report_pdf(rt, header=HEADER)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        tails = [page.extract_text().split("\n")[-2] for page in doc.pages[:-1]]  # above "- n -"
    paras = paragraphs(rt)
    split = [p for p in paras if any(tail in p and not p.endswith(tail) for tail in tails)]
    assert split, "the fixture has no paragraph crossing a page break"
    result = read_attachment(data, "r.pdf", NO_OCR)
    lines = result.text.split("\n")
    assert all(p in lines for p in split)
    assert all(p in lines for p in paras)  # every wrapped paragraph comes back whole
    assert char_f1(result.text, rt.body_text()) >= 0.99


def test_pdf_tables_come_out_as_grids_and_tab_separated_rows(pdf, rt):
    expected = [fb.expand(t)[0] for t in rt.tables()]
    assert pdf.tables == expected
    lines = set(pdf.text.split("\n"))
    assert all(row in lines for t in rt.tables() for row in t.lines())


def test_table_split_over_a_page_break_is_one_grid(pdf_bytes, pdf, rt):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as doc:
        parts = sum(len(page.find_tables()) for page in doc.pages)
    assert parts > len(rt.tables())  # the fixture splits a table over pages …
    assert len(pdf.tables) == len(rt.tables())  # … and it is read back as one


def test_pdf_title_comes_from_its_metadata(pdf, rt):
    assert pdf.title == rt.title


# --- DOCX, DOC, WPS ------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_come_in_document_order(docx_bytes, rt):
    result = read_attachment(docx_bytes, "r.docx")
    assert result.type == "docx" and result.method == "python-docx" and result.error is None
    assert char_f1(result.text, rt.body_text()) >= 0.99
    lines = result.text.split("\n")
    position = 0
    for line in rt.body_text().split("\n"):  # in order: tables sit between the right paragraphs
        position = lines.index(line, position) + 1
    assert HEADER not in lines  # the page header is not body text


def test_docx_merged_cells_give_rectangular_grids(docx_bytes, rt):
    result = read_attachment(docx_bytes, "r.docx")
    assert result.tables == [fb.expand(t)[0] for t in rt.tables()]


@pytest.mark.e2e
@needs_soffice
def test_doc_is_read_through_libreoffice(doc_bytes, rt):
    result = read_attachment(doc_bytes, "r.doc")
    assert (result.type, result.method, result.error) == ("doc", "soffice+python-docx", None)
    assert char_f1(result.text, rt.body_text()) >= 0.99
    assert result.tables == [fb.expand(t)[0] for t in rt.tables()]


@pytest.mark.e2e
@needs_soffice
def test_kingsoft_wps_file_is_read_through_libreoffice(doc_bytes, rt):
    result = read_attachment(fb.add_ole_stream_entry(doc_bytes, "WpsCustomData"), "r.wps")
    assert (result.type, result.error) == ("wps", None)
    assert char_f1(result.text, rt.body_text()) >= 0.99


@pytest.mark.e2e
@needs_soffice
def test_doc_without_a_converter_gives_a_clear_error(doc_bytes):
    options = ReadOptions(ocr=ocr.OcrOptions(enabled=False), soffice=Soffice("no-such-soffice"))
    result = read_attachment(doc_bytes, "r.doc", options)
    assert result.type == "doc" and "no DOC/WPS converter" in result.error


@pytest.mark.e2e
@needs_soffice
def test_converter_timeout_is_an_error_not_a_hang(doc_bytes):
    options = ReadOptions(ocr=ocr.OcrOptions(enabled=False), soffice=Soffice(timeout=0.05))
    result = read_attachment(doc_bytes, "r.doc", options)
    assert "timed out" in result.error


# --- OFD, spreadsheets ---------------------------------------------------------------------------


def test_ofd_text_comes_in_page_order_without_the_running_header(rt):
    blocks = [b for b in rt.blocks if b.kind != "table"]
    data = fb.report_ofd(blocks, title=rt.title, header=HEADER)
    result = read_attachment(data, "r.ofd")
    assert (result.type, result.method, result.error) == ("ofd", "ofd-xml", None)
    assert result.page_count >= 2 and result.title == rt.title
    assert result.text.split("\n") == paragraphs(rt)


@pytest.mark.parametrize("year", [2020, 2022])
def test_ofd_ruled_tables_become_grids_whose_cells_parse_exactly(year):
    # Word/WPS "print to OFD": each cell's text positioned inside its own border rectangle,
    # headers merged, labels wrapped inside their cells, 表三 running over a page break.
    rt = template_report("江州市民政局", year, seed=5)
    result = read_attachment(fb.report_ofd(rt.blocks, title=rt.title, header=HEADER), "r.ofd", NO_OCR)
    assert result.error is None and result.page_count >= 3
    assert char_f1(result.text, rt.body_text()) > 0.99
    table3 = [g for g in result.tables if any("一、本年新收政府信息公开申请数量" in c for row in g for c in row)]
    assert len(table3) == 1 and any("四、结转下年度继续办理" in c for row in table3[0] for c in row)
    st = parse_statistics(result.tables, result.text, None, source=result.type)
    assert cells_of(st) == truth(rt) and {c.source for c in st.cells} == {"ofd"}
    assert st.template == ("t2021" if year >= 2021 else "t2019") and st.consistent


def test_ofd_table_without_rules_stays_tab_separated_text_and_no_grid_is_guessed(rt):
    result = read_attachment(fb.report_ofd(rt.blocks, title=rt.title, ruled=False), "r.ofd", NO_OCR)
    assert result.error is None and result.tables == []
    assert "规章\t" in result.text and char_f1(result.text, rt.body_text()) > 0.9


@pytest.mark.parametrize("rules", ["cell rectangles", "one path of lines, scaled by a CTM"])
def test_ofd_text_code_running_across_cells_is_divided_at_the_rules(rules):
    # Some converters write a whole table row as one TextCode spaced out by DeltaX; some draw
    # every cell's border, others the table's rules as one path in their own units.
    def cell(x: float, y: float, w: float) -> str:
        return (f'<ofd:PathObject ID="1" Boundary="{x} {y} {w} 8"><ofd:AbbreviatedData>'
                f"M 0 0 L {w} 0 L {w} 8 L 0 8 C</ofd:AbbreviatedData></ofd:PathObject>")

    def text(x: float, y: float, chars: str, deltas: str) -> str:
        return (f'<ofd:TextObject ID="2" Boundary="{x} {y} 100 5" Size="3"><ofd:TextCode X="0" Y="3" '
                f'DeltaX="{deltas}">{chars}</ofd:TextCode></ofd:TextObject>')

    if rules == "cell rectangles":
        borders = [cell(x, y, w) for y in (40, 48) for x, w in ((25, 40), (65, 20), (85, 20))]
    else:  # half-millimetre units: CTM 0.5 maps them onto the page
        lines = " ".join([f"M 0 {y} L 160 {y}" for y in (0, 16, 32)] + [f"M {x} 0 L {x} 32" for x in (0, 80, 120, 160)])
        borders = [f'<ofd:PathObject ID="1" Boundary="25 40 80 16" CTM="0.5 0 0 0.5 0 0">'
                   f"<ofd:AbbreviatedData>{lines}</ofd:AbbreviatedData></ofd:PathObject>"]
    page = [text(25, 30, "表二", "3"), *borders,
            text(26, 42, "信息内容", "3 3 3"), text(66, 42, "本年制发", "3 3 3"), text(86, 42, "本年废止", "3 3 3"),
            text(26, 50, "规章35", "3 45 20")]
    result = read_attachment(fb.ofd_package([page], title="t"), "t.ofd", NO_OCR)
    assert result.tables == [[["信息内容", "本年制发", "本年废止"], ["规章", "3", "5"]]]
    assert result.text.split("\n") == ["表二", "信息内容\t本年制发\t本年废止", "规章\t3\t5"]


def test_xlsx_sheets_come_out_as_grids():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["信息内容", "本年制发件数", "本年废止件数"])
    sheet.append(["规章", 0, 5])
    sheet.append(["行政规范性文件", 12, None])
    buf = io.BytesIO()
    book.save(buf)
    result = read_attachment(buf.getvalue(), "统计表.xlsx")
    assert result.type == "xlsx" and result.tables == [
        [["信息内容", "本年制发件数", "本年废止件数"], ["规章", "0", "5"], ["行政规范性文件", "12", ""]]]
    assert result.text.split("\n")[1] == "规章\t0\t5"


# --- scans --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scan(rt) -> tuple[bytes, str]:
    if not fb.cjk_font_path():
        pytest.skip("no CJK font to draw a scan (Debian fonts-wqy-zenhei): make setup")
    paras = paragraphs(rt)[:6]
    image = fb.page_image(paras, header=HEADER, footer="- 1 -")
    return fb.scanned_pdf([image]), "\n".join(paras)


@pytest.mark.e2e
@needs_ocr
def test_scanned_pdf_is_ocred_with_a_confidence_figure(scan):
    data, gold = scan
    result = read_attachment(data, "scan.pdf")
    assert result.type == "pdf" and result.ocr and result.method == "tesseract" and result.error is None
    assert result.ocr_confidence is not None and result.ocr_confidence > 60
    assert char_f1(result.text, gold) >= 0.95


def test_scanned_pdf_without_ocr_says_its_pages_were_not_read(scan):
    result = read_attachment(scan[0], "scan.pdf", NO_OCR)
    assert result.type == "pdf" and not result.ocr and "scans without a text layer" in result.error


@pytest.mark.e2e
@needs_ocr
def test_image_file_is_ocred(rt):
    if not fb.cjk_font_path():
        pytest.skip("no CJK font")
    paras = paragraphs(rt)[1:3]
    result = read_attachment(fb.page_image(paras), "scan.png")
    assert result.type == "image" and result.ocr and char_f1(result.text, "\n".join(paras)) >= 0.95


# --- layout passes and report fields -------------------------------------------------------------


def _line(x0: float, x1: float, top: float, text: str) -> Line:
    return Line(x0, x1, top, top + 12, text, 12)


def test_heading_after_a_sentence_that_filled_its_line_starts_a_new_paragraph():
    page = Page([
        _line(96, 500, 100, "第一段的第一行文字很长很长很长很长很长很长很长很长很长很"),
        _line(72, 500, 120, "长，最后一行刚好写满到右边距为止的句子。"),
        _line(72, 200, 140, "二、主动公开政府信息情况"),
    ])
    assert assemble_pages([page]).text.split("\n") == [
        "第一段的第一行文字很长很长很长很长很长很长很长很长很长很长，最后一行刚好写满到右边距为止的句子。",
        "二、主动公开政府信息情况",
    ]


def test_stub_page_is_short_text_with_a_file():
    stub = "根据《中华人民共和国政府信息公开条例》规定,现将《江州市2019年政府信息公开工作年度报告》予以公布,"
    stub += "全文详见附件。"
    assert is_stub(stub, 1) and not is_stub(stub, 0) and not is_stub(stub * 10, 1)


def test_report_fields_of_a_listed_file_come_from_list_title_and_signature(rt):
    fields = file_report(rt.body_text(), title="江州市人民政府2021年政府信息公开工作年度报告",
                         list_date="2022-01-20", url="http://x.gov.cn/nb/P020220120.pdf")
    assert fields["is_report"] and fields["report_year"] == 2021
    assert fields["publish_date"] == "2022-01-20" and fields["agency"] == "江州市人民政府"


def test_read_file_command_reads_a_saved_file_like_the_crawl(tmp_path, docx_bytes, rt):
    from click.testing import CliRunner

    from crawler.cli import cli

    path = tmp_path / "下载.bin"  # the name says nothing: the bytes do
    path.write_bytes(docx_bytes)
    result = CliRunner().invoke(cli, ["read-file", str(path), "--text"])
    assert result.exit_code == 0 and char_f1(result.output, rt.body_text()) >= 0.99
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    failed = CliRunner().invoke(cli, ["read-file", str(empty), "--text"])
    assert failed.exit_code != 0 and "empty file" in failed.output


@pytest.mark.parametrize("year", [2020, 2022])
def test_statistics_spreadsheet_as_xls_and_xlsx_gives_every_cell_exactly(year):
    # Hanweb sites attach "统计表.xls" beside the HTML report; newer ones .xlsx. Both must give
    # the statistics cells of the report's tables, whatever the file is called.
    rt = template_report("江州市民政局", year, seed=5)
    for data, name, kind, method in ((fb.report_xlsx(rt), "统计表.xls", "xlsx", "openpyxl"),  # names that
                                     (fb.report_xls(rt), "统计表.xlsx", "xls", "xlrd")):  # lie about the type
        result = read_attachment(data, name, NO_OCR)
        assert (result.type, result.method, result.error) == (kind, method, None)
        lines = result.text.split("\n")
        assert "规章\t" + "\t".join(rt.tables()[0].lines()[2].split("\t")[1:]) in lines  # one row, tab-separated
        assert "四、结转下年度继续办理\t" in "\n".join(lines)
        stats = parse_statistics(result.tables, result.text, None, source=result.type)
        assert cells_of(stats) == truth(rt) and {c.source for c in stats.cells} == {kind}
        assert stats.consistent


def _calc_convert(data: bytes, suffix: str, target: str) -> bytes:
    """LibreOffice Calc's conversion, or a skip where only Writer is installed (make setup)."""
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed: make setup")
    try:
        return Soffice(timeout=120).convert(data, suffix, target)
    except OfficeError as e:  # libreoffice-writer-nogui alone cannot load spreadsheets
        pytest.skip(f"LibreOffice Calc is not installed (libreoffice-calc-nogui): {e}")


@pytest.mark.e2e
def test_xls_saved_by_libreoffice_calc_is_sniffed_and_read_like_excel_s():
    rt = template_report("江州市民政局", 2021, seed=5)
    xls = _calc_convert(fb.report_xlsx(rt), ".xlsx", "xls")
    assert xls.startswith(b"\xd0\xcf\x11\xe0") and sniff(xls).type == "xls"
    result = read_attachment(xls, "附件2.统计表.et", NO_OCR)
    assert (result.type, result.method, result.error) == ("xls", "xlrd", None)
    assert cells_of(parse_statistics(result.tables, result.text, 2021, source="xls")) == truth(rt)


def test_report_pdf_and_its_statistics_spreadsheet_give_one_set_of_statistics():
    # A stub page linking "年度报告.pdf" (prose, no tables) and "附表.xlsx" (the three tables):
    # the body is both files' text; sections come from the PDF, cells from the workbook.
    rt = template_report("江州市民政局", 2020, seed=5)
    prose = template_report("江州市民政局", 2020, seed=5)
    prose.blocks = [b for b in prose.blocks if b.kind != "table"]
    pdf = read_attachment(fb.report_pdf(prose), "年度报告.pdf", NO_OCR)
    sheet = read_attachment(fb.report_xlsx(rt), "附表.xlsx", NO_OCR)
    st = parse_sources([SourceText(f.type, f.text, f.tables) for f in (pdf, sheet)])  # no year given
    assert (st.template, st.template_source) == ("t2019", "year")  # from the PDF's title line
    assert [s.number for s in st.sections] == [0, 1, 2, 3, 4, 5, 6] and {s.source for s in st.sections} == {"pdf"}
    assert cells_of(st) == truth(rt) and {c.source for c in st.cells} == {"xlsx"} and st.consistent


def test_a_zip_bomb_is_refused_before_any_reader_inflates_it():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (320 * 1024 * 1024))  # compresses to ~300 KB
    assert len(buf.getvalue()) < 2 * 1024 * 1024
    result = read_attachment(buf.getvalue(), "2023年报告.docx", NO_OCR)
    assert result.text == "" and result.error.startswith("refused: the ZIP expands to 320 MB")
