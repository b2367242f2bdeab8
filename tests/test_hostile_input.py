"""Hostile and broken server input: the pure core returns (or raises its own clear error) within
a time and memory budget, whatever the bytes. Each case runs in a forked child with a wall-clock
limit and an address-space cap, so a hang or a memory blow-up fails the test instead of the run."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import resource
import struct
import traceback
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

from pipelines import metadata as md
from pipelines import ocr
from pipelines.attachments import ReadOptions, read_attachment
from pipelines.encoding import decide_encoding, decode_body
from pipelines.extract import article_page_urls, extract_article
from pipelines.htmltext import element_lines, parse_html
from pipelines.phrases import LINE_RE, MAX_BOILERPLATE_LINE, TAIL_START_RE
from pipelines.render import article_render_reason, list_render_reason
from pipelines.stats import MAX_GRID_CELLS, expand_table, html_tables, parse_statistics
from spiders.adapters import AdapterCall, gkmlpt, hanweb, xhrlist
from spiders.links import find_entries, list_attachments
from spiders.paging import MAX_PAGES, create_page_html_urls, find_list_pages

URL = "http://www.example.gov.cn/xxgk/xxgknb/index.html"
ARTICLE = "http://www.example.gov.cn/xxgk/xxgknb/202101/t20210115_1.html"
MB = 1024 * 1024


def _vm_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn: Any, fn: Callable[[], Any], memory: int) -> None:
    # The cap counts from what the forked test process already maps (lxml, numpy, pdfium).
    limit = _vm_bytes() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("ok", fn()))
    except BaseException as e:  # noqa: BLE001 - the parent reports whatever happened
        conn.send(("raised", f"{type(e).__name__}: {e}"[:500], traceback.format_exc()[-2000:]))


def bounded(fn: Callable[[], Any], seconds: float = 5.0, memory: int = 768 * MB) -> Any:
    """``fn()``'s return value, computed in a forked child within ``seconds`` and ``memory``.

    Fails the test when the child runs out of time or memory, or raises anything at all: a
    case that expects the module's own error catches it inside ``fn`` and returns it.
    """
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, memory))
    proc.start()
    child.close()
    if not parent.poll(seconds):
        proc.kill()
        proc.join()
        pytest.fail(f"no answer within {seconds:g} s (hang or runaway work)")
    try:
        outcome = parent.recv()
    except EOFError:
        proc.join()
        pytest.fail(f"child died (exit {proc.exitcode}): out of memory or a crash")
    proc.join()
    if outcome[0] != "ok":
        pytest.fail(f"raised {outcome[1]}\n{outcome[2]}")
    return outcome[1]


def _summary(art: Any) -> dict[str, Any]:
    return {"title": art.title, "chars": len(art.body_text), "container": art.container,
            "tables": len(art.tables)}


def _page(body: str, title: str = "2020年政府信息公开工作年度报告") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


# --- structure: depth, size, breadth ------------------------------------------------------------


def test_ten_thousand_nested_divs_extract_without_recursion_error() -> None:
    html = _page("<div>" * 10_000 + "<p>本机关2020年主动公开政府信息。</p>" + "</div>" * 10_000)
    out = bounded(lambda: _summary(extract_article(html, ARTICLE)))
    assert out["chars"] >= 0


def test_element_lines_walks_a_tree_deeper_than_the_recursion_limit() -> None:
    # lxml's parser flattens very deep markup; a tree built in code (or by soupparser) does not.
    def run() -> list[str]:
        root = node = etree.Element("div")
        for _ in range(10_000):  # lxml builds deep chains in quadratic time: 10k is plenty
            node = etree.SubElement(node, "div")
        node.text = "最深处的文字"
        node.tail = "尾"
        return element_lines(root)

    assert "最深处的文字" in bounded(run)


def test_deep_table_cell_is_read_iteratively() -> None:
    def run() -> int:
        table = etree.fromstring("<table><tr><td>规章</td><td/></tr></table>")
        node = table.find(".//td[2]")
        for _ in range(10_000):
            node = etree.SubElement(node, "span")
        node.text = "0"
        grids = html_tables(table)
        return len(grids[0][0]) if grids else 0

    assert bounded(run) in (0, 2)


def test_twenty_megabyte_single_line_page() -> None:
    # libxml2 (no huge_tree) drops a text node past 10 MB: the page extracts empty, in bounded time.
    body = '<div class="TRS_Editor"><p>' + "本机关主动公开政府信息，" * (20 * MB // 36) + "</p></div>"
    html = _page(body)
    out = bounded(lambda: _summary(extract_article(html, ARTICLE)), seconds=30, memory=1536 * MB)
    assert out["chars"] == 0


@pytest.mark.slow
def test_twenty_megabyte_single_line_of_many_paragraphs() -> None:
    paragraph = "<p>本机关主动公开政府信息，依申请公开。</p>"
    html = _page('<div class="TRS_Editor">' + paragraph * (20 * MB // 75) + "</div>")
    out = bounded(lambda: _summary(extract_article(html, ARTICLE)), seconds=30, memory=1536 * MB)
    assert out["chars"] > 0


def test_twenty_megabyte_single_line_list_page() -> None:
    html = _page("<ul><li>" + "x" * (20 * MB) + "</li></ul>")
    out = bounded(lambda: len(find_entries(parse_html(html), URL)), seconds=20, memory=1536 * MB)
    assert out == 0


@pytest.mark.slow
def test_hundred_thousand_links_on_a_list_page() -> None:
    items = "".join(f'<li><a href="./2020{n:06d}/t20200101_{n}.html">2020年第{n}号报告</a><span>2020-01-01</span></li>'
                    for n in range(100_000))
    html = _page(f'<ul class="list">{items}</ul>')

    def run() -> tuple[int, int, int, str | None]:
        tree = parse_html(html)
        return (len(find_entries(tree, URL)), len(find_list_pages(html, tree, URL)),
                len(list_attachments(tree, URL)), list_render_reason(html, tree))

    entries, pages, _, _ = bounded(run, seconds=30, memory=1536 * MB)
    assert entries == 100_000 and pages == 0


# --- tables ---------------------------------------------------------------------------------


def test_huge_rowspan_and_colspan_do_not_explode_the_grid() -> None:
    rows = "".join(f'<tr>{"<td rowspan=65534 colspan=1000>1</td>" * 200}</tr>' for _ in range(600))
    html = _page(f'<div class="TRS_Editor"><p>2020年政府信息公开工作年度报告。</p><table>{rows}</table></div>')

    def run() -> list[int]:
        tree = parse_html(html)
        return [len(g) * max(map(len, g)) for g in html_tables(tree)]

    sizes = bounded(run, seconds=15)
    assert all(size <= MAX_GRID_CELLS for size in sizes)


def test_expand_table_caps_cells_of_one_table() -> None:
    cells = "<td colspan=64>1</td>" * 5000
    table = etree.fromstring(f"<table><tr>{cells}</tr><tr>{cells}</tr></table>", etree.HTMLParser()).find(".//table")
    grid = bounded(lambda: expand_table(table))
    assert sum(map(len, grid)) <= MAX_GRID_CELLS


def test_statistics_of_a_wide_table_are_bounded() -> None:
    grid = [["项目"] + [str(n) for n in range(2000)] for _ in range(200)]
    assert isinstance(bounded(lambda: len(parse_statistics([grid], "", 2020).cells), seconds=15), int)


# --- pagers -------------------------------------------------------------------------------------


def test_create_page_html_with_a_hundred_million_pages_is_capped() -> None:
    html = '<script>createPageHTML(99999999, 0, "index", "html");</script>'
    assert len(bounded(lambda: create_page_html_urls(html, URL, MAX_PAGES))) == MAX_PAGES


def test_create_page_html_count_variable_is_capped() -> None:
    html = "<script>var countPage = 99999999;</script>"
    assert len(bounded(lambda: create_page_html_urls(html, URL, 40))) == 40


def test_page_counts_too_long_for_int_are_ignored() -> None:
    html = f'<script>var countPage = {"9" * 5000};createPageHTML({"9" * 5000}, 0, "index", "html");</script>'
    assert bounded(lambda: create_page_html_urls(html, URL, 40)) == []
    pager = _page(f'<a href="index_{"9" * 5000}.html">2</a><a href="index_3.html?x=1">3</a>'
                  '<a href="index_1.html">下一页</a>')
    assert len(bounded(lambda: find_list_pages(pager, parse_html(pager), URL, 40))) <= 40


def test_long_hostile_href_on_a_pager() -> None:
    html = _page(f'<a href="a_{"1" * 200_000}">下一页</a><a href="{"b_" * 100_000}x.html">2</a>')
    assert len(bounded(lambda: find_list_pages(html, parse_html(html), URL, 40))) <= 2


def test_index_n_links_up_to_a_million_are_capped() -> None:
    html = _page('<div class="page"><a href="index_1.html">2</a><a href="index_1000000.html">尾页</a>'
                 '<a href="index_99999999999999999999.html">末页</a></div>')
    pages = bounded(lambda: find_list_pages(html, parse_html(html), URL, 40))
    assert len(pages) <= 42


def test_many_unclosed_create_page_calls_stay_linear() -> None:
    html = "createPageHTML(" * 200_000
    assert bounded(lambda: create_page_html_urls(html, URL)) == []


def test_article_page_urls_on_a_hostile_pager() -> None:
    html = 'createPageHTML(99999999, 0, "t20210115_1", "html");' + '<a href="t20210115_1_999.html">' * 1000
    assert len(bounded(lambda: article_page_urls(html, ARTICLE))) < 1001


# --- adapter answers ------------------------------------------------------------------------------


def _hanweb_call(mode: str = "records") -> AdapterCall:
    state = {"mode": mode, "page_url": URL, "column_url": URL, "endpoint": "http://www.example.gov.cn/module/web/"
             "jpage/dataproxy.jsp", "perpage": 15, "start": 1, "page": 1, "query": [], "max_pages": 40}
    return AdapterCall("http://www.example.gov.cn/module/web/jpage/dataproxy.jsp", "hanweb", "POST", {}, state)


_RECORD = ('<record><![CDATA[<li><a href="/art/2020/9/10/art_1_2.html">2020年报告</a><span>2020-09-10</span></li>'
           "]]></record>")


@pytest.mark.parametrize("mode", ["records", "pages"])
def test_dataproxy_with_a_billion_records_asks_for_capped_pages(mode: str) -> None:
    text = (f"<datastore><totalrecord>1000000000</totalrecord><totalpage>{10**9}</totalpage>"
            f"<recordset>{_RECORD}</recordset></datastore>")
    entries, more = bounded(lambda: (lambda r: (len(r[0]), len(r[1])))(hanweb.parse(text, _hanweb_call(mode))))
    assert entries == 1 and more <= 40


def test_dataproxy_billion_laughs_is_not_expanded() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    text = (f'<?xml version="1.0"?><!DOCTYPE datastore [<!ENTITY l0 "lol">{lol}]>'
            f"<datastore><totalrecord>1</totalrecord><recordset>{_RECORD}<record>&l9;</record></recordset></datastore>")
    entries, _more = bounded(lambda: (lambda r: (len(r[0]), len(r[1])))(hanweb.parse(text, _hanweb_call())),
                             memory=256 * MB)
    assert entries <= 1


def test_dataproxy_with_odd_digits_in_totals() -> None:
    text = (f"<datastore><totalrecord>²</totalrecord><totalpage>{'9' * 5000}</totalpage>"
            f"<recordset>{_RECORD}</recordset></datastore>")
    assert bounded(lambda: len(hanweb.parse(text, _hanweb_call("pages"))[1])) <= 40


def _xhr_call() -> AdapterCall:
    state = {"page_url": URL, "column_url": URL, "url": "http://www.example.gov.cn/api/list", "method": "GET",
             "params": {"pageNo": "1"}, "page_key": "pageNo", "page": 1, "max_pages": 40}
    return AdapterCall("http://www.example.gov.cn/api/list?pageNo=1", "xhrlist", "GET", None, state)


def _gkmlpt_call() -> AdapterCall:
    state = {"page_url": URL, "api_base": "http://www.example.gov.cn/gkmlpt/api/all/", "catid": "1", "sid": "1",
             "page": 1, "max_pages": 40}
    return AdapterCall("http://www.example.gov.cn/gkmlpt/api/all/1?page=1&sid=1", "gkmlpt", "GET", None, state)


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000,
                                  "[" * 100_000])
def test_json_nested_a_hundred_thousand_deep(text: str) -> None:
    assert bounded(lambda: len(xhrlist.parse(text, _xhr_call())[0])) == 0
    assert bounded(lambda: len(gkmlpt.parse(text, _gkmlpt_call())[0])) == 0


def test_json_with_absurd_totals_and_dates() -> None:
    records = [{"title": "2020年报告", "url": f"/a/{n}.html", "pubDate": value}
               for n, value in enumerate([10**30, -5, "9" * 5000, 1e308, float("inf"), "2020-01-01"])]
    text = json.dumps({"total": "9" * 5000, "totalPage": 10**12, "data": records}).replace("Infinity", "1e999")
    entries, more = bounded(lambda: (lambda r: (len(r[0]), len(r[1])))(xhrlist.parse(text, _xhr_call())))
    assert entries == 6 and more <= 40
    gk = json.dumps({"total": 10**12, "articles": [{"title": "2020年报告", "url": "/a.html",
                                                    "first_publish_time": 10**30}]})
    assert bounded(lambda: len(gkmlpt.parse(gk, _gkmlpt_call())[1])) <= 40


# --- characters and encodings ---------------------------------------------------------------------


def test_nul_bytes_and_lone_surrogates_in_text() -> None:
    html = _page('<div class="TRS_Editor"><p>2020年\x00政府信息\ud800公开工作年度报告，本机关主动公开。\udfff</p>'
                 '<a href="/a\x00.pdf">附件\ud800.pdf</a></div>', title="报告\x00\ud800")

    def run() -> dict[str, Any]:
        out = _summary(extract_article(html, ARTICLE))
        tree = parse_html(html)
        find_entries(tree, URL)
        article_render_reason(html, tree)
        return out

    assert bounded(run)["chars"] > 0


def test_nul_bytes_in_a_body_decode() -> None:
    body = "<meta charset=gbk><p>政府信息公开</p>".encode("gbk").replace(b"<p>", b"<p>\x00\x00")
    text, decision = bounded(lambda: decode_body(body, "text/html"))
    assert decision.chosen == "gb18030" and "政府信息公开" in text


def test_unknown_meta_charset_label() -> None:
    body = '<meta charset="x-unknown-label"><p>政府信息公开</p>'.encode("gbk")
    text, decision = bounded(lambda: decode_body(body, "text/html; charset=x-user-defined-nonsense"))
    assert decision.chosen == "gb18030" and "政府信息公开" in text


def test_binary_garbage_served_as_html() -> None:
    garbage = os.urandom(2 * MB)

    def run() -> dict[str, Any]:
        text, _ = decode_body(garbage, "text/html; charset=utf-8")
        out = _summary(extract_article(text, ARTICLE))
        tree = parse_html(text)
        find_entries(tree, URL)
        find_list_pages(text, tree, URL)
        list_render_reason(text, tree)
        article_render_reason(text, tree)
        return out

    assert bounded(run, seconds=20)["chars"] >= 0


def test_large_undecodable_body_is_decided_in_bounded_time() -> None:
    body = b"<html><body>" + bytes(range(128, 256)) * (8 * MB // 128)
    assert bounded(lambda: decide_encoding(body, None).chosen, seconds=15)


def test_empty_and_whitespace_pages() -> None:
    for html in ("", " ", "\x00", "<", "<!--", "<html>", "\ufeff"):
        assert bounded(lambda html=html: _summary(extract_article(html, ARTICLE)))["chars"] == 0


# --- regular expressions --------------------------------------------------------------------------


HOSTILE_LINES = [
    " " * 10_000, "【" * 10_000, "打印" * 5_000 + "x", "[1] " * 30 + "x", "首页" + "1" * 118 + "x",
    "1" * 119 + "x", "网站地图" + "|" * 116 + " ", "无障碍" + "|" * 117 + " ", "第" + "1" * 60 + "页" * 59,
    "扫一扫" * 40, "字体" + "【大】" * 38, "\u3000" * 10_000 + "x", "上一页" + " 1" * 58 + "x",
]


@pytest.mark.parametrize("line", HOSTILE_LINES, ids=lambda s: repr(s[:12]))
def test_boilerplate_patterns_do_not_backtrack(line: str) -> None:
    def run() -> bool:
        for piece in (line, line[:MAX_BOILERPLATE_LINE]):
            LINE_RE.search(piece)
            TAIL_START_RE.match(piece)
            md.labelled_fields([piece])
            md.parse_date(piece)
            md.signature([piece])
            md.dateline([piece])
            md.report_year(piece, piece, None)
        return True

    assert bounded(run, seconds=3)


def test_page_of_hostile_lines_extracts() -> None:
    html = _page('<div class="TRS_Editor">' + "".join(f"<p>{line}</p>" for line in HOSTILE_LINES) + "</div>")
    assert bounded(lambda: _summary(extract_article(html, ARTICLE)), seconds=10)


# --- files ------------------------------------------------------------------------------------------


def _pdf_with_pages(count: int) -> bytes:
    """A valid PDF of ``count`` empty pages (one shared content stream), built by hand."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + n) for n in range(count))
               + b"] /Count %d >>" % count,
               b"<< /Length 0 >>\nstream\n\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * count
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % off for off in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


NO_OCR = ReadOptions(ocr=ocr.OcrOptions(enabled=False))


def test_pdf_declaring_ten_thousand_pages() -> None:
    data = _pdf_with_pages(10_000)
    result = bounded(lambda: (lambda r: (r.error, r.page_count))(read_attachment(data, "nb.pdf", NO_OCR)),
                     seconds=20)
    assert result[0]  # an error saying why, never a hang


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


@pytest.mark.e2e
@pytest.mark.parametrize("side", [30_000, 12_000])
def test_image_bomb_is_refused_before_ocr(side: int) -> None:
    # 30000² Pillow refuses itself; 12000² (144 M pixels) it only warns about: ocr's own limit.
    data = _png_header_only(side, side)
    options = ReadOptions(ocr=ocr.OcrOptions(enabled=True, timeout=5))
    error = bounded(lambda: read_attachment(data, "scan.png", options).error, seconds=10, memory=512 * MB)
    assert "too large" in error or "DecompressionBomb" in error


@pytest.mark.e2e
def test_a_pdf_longer_than_the_page_cap_is_read_that_far_and_flagged(monkeypatch) -> None:
    from demo import files as fb
    from demo.texts import template_report
    from pipelines.attachments import _read_pdf
    from pipelines.pdftext import read_pdf

    pdf = fb.report_pdf(template_report("江州市水利局", 2021, seed=3))
    full = read_pdf(pdf)
    assert full.page_count > 2 and full.pages_unread == 0
    capped = read_pdf(pdf, max_pages=2)
    assert (capped.page_count, capped.pages_unread) == (full.page_count, full.page_count - 2)
    assert 0 < len(capped.text) < len(full.text)
    # the attachment row says so (the text read is kept)
    import pipelines.pdftext as pdftext

    monkeypatch.setattr(pdftext, "MAX_PDF_PAGES", 2)
    row = _read_pdf(pdf, ReadOptions(ocr=ocr.OcrOptions(enabled=False)))
    assert row.text and f"only the first 2 of {full.page_count} pages were read" in (row.error or "")


@pytest.mark.e2e
def test_a_poster_sized_pdf_page_is_rendered_for_ocr_within_the_pixel_cap() -> None:
    from PIL import Image
    from reportlab.pdfgen import canvas

    from pipelines.pdftext import render_pages

    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=(14400, 14400))  # 200 inches square: 3.6 G pixels at 300 dpi
    page.drawString(100, 100, "scan")
    page.showPage()
    page.save()
    [png] = bounded(lambda: render_pages(buf.getvalue(), [0], 300))
    with Image.open(io.BytesIO(png)) as image:
        assert image.width * image.height <= ocr.MAX_IMAGE_PIXELS
