"""Report pages real portals write differently (issue 13), on three platforms (demo/report_variants.py:
TRS GBK, Hanweb UTF-8, a home-made GBK table layout): placeholder metadata, pages that only
point to their file, articles split into sibling blocks, attachment lists closing the body, a
visible 发布日期 against a PubDate meta, and articles cut over pages whose first page alone is no report."""

from __future__ import annotations

import json

import pytest

from archive.store import Archive
from demo.report_variants import BARE_TITLE, report_variant_sites
from demo.server import ExpectedDoc, Site
from pipelines import metadata as md
from pipelines.blocks import strip_attachment_list
from pipelines.classify import classify_page
from pipelines.encoding import decode_body
from pipelines.extract import Article, extract_article
from pipelines.extracting import read_page
from tests.conftest import char_f1, gov_page
from tests.crawling import crawl_sites
from tests.test_crawl_e2e import site_named

NAMES = ["variants-trs", "variants-hanweb", "variants-table"]
BASE = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def sites() -> list[Site]:
    return report_variant_sites()


def _read(site: Site, doc: ExpectedDoc) -> Article:
    res = site.resources[doc.path]
    html, _ = decode_body(res.body, res.content_type)
    return extract_article(html, BASE + doc.path, list_title=doc.title)


def _docs(sites: list[Site], kind: str) -> list[tuple[Site, ExpectedDoc]]:
    index = {"stub": 0, "blocks": 1, "attlist": 2}[kind]
    return [(site, site.expected[index]) for site in sites]


# --- 1. placeholders ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["(见标题)", "（见标题）", "详见正文", "见附件", "详见附件。", "无", "—", "/", "-",
                                   ""])
def test_placeholder_value_is_no_value(value):
    fields = md.labelled_fields([f"名　　称：\t{value}\t文　　号：\t{value}",
                                 f"发布机构：{value} 发布日期：2023-01-18"])
    assert "title" not in fields and "doc_number" not in fields and "agency" not in fields
    assert fields["publish_date"] == "2023-01-18"


def test_a_later_label_fills_a_field_left_as_placeholder():
    assert md.labelled_fields(["标题：见标题", "信息名称：江州市2022年政府信息公开工作年度报告"])["title"] == \
        "江州市2022年政府信息公开工作年度报告"


@pytest.mark.parametrize("name", NAMES)
def test_placeholder_title_falls_back_to_the_heading_on_every_page(sites, name):
    site = site_named(sites, name)
    for doc in site.expected[:3]:
        art = _read(site, doc)
        assert art.title == doc.title, doc.path
        assert art.is_report, doc.path
        assert art.doc_number is None, doc.path  # 文号 "无" / "—" is no number


def test_placeholder_title_without_heading_takes_the_list_title():
    page = gov_page("<p>现将我单位年度报告予以公布，全文见附件。</p><p><a href='/f/nb.pdf'>nb.pdf</a></p>",
                    title="信息", head="", chrome=False).replace("<h1>信息</h1>", "<table><tr><td>名称：</td>"
                                                              "<td>（见标题）</td></tr></table>")
    art = extract_article(page, "http://x.gov.cn/a/1.html", list_title="江州市2022年政府信息公开工作年度报告")
    assert art.title == "江州市2022年政府信息公开工作年度报告"
    assert art.is_report


# --- 2. pages that only point to their file ------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_attachment_only_page_is_a_report_pointing_to_its_file(sites, name):
    site = site_named(sites, name)
    doc = site.expected[0]
    art = _read(site, doc)
    assert art.is_report
    assert len(art.body_text) < 100 and "附件：" not in art.body_text and ".docx" not in art.body_text
    assert [link.url.rsplit("/", 1)[-1] for link in art.attachments] == [f"P0{doc.report_year + 1}01.docx"]


@pytest.mark.parametrize("title, list_title, files, reason", [
    ("政务公开", "青阳县2022年政府信息公开工作年度报告", [], "list title"),
    ("信息公开", None, ["2022年度政府信息公开工作年度报告"], "attachment title"),
    ("镇政府信息发布", "镇政府信息发布", ["石桥镇2021年政府信息公开年报"], "attachment title"),
])
def test_pointer_page_is_classified_by_list_or_file_title(title, list_title, files, reason):
    got = classify_page(title, "现将有关情况予以公布，全文见附件。", list_title, files)
    assert got.is_report and got.reason == reason


def test_a_page_whose_title_names_another_document_stays_that_document():
    got = classify_page("2023年政府信息公开指南", "全文见附件。", "2023年政府信息公开工作年度报告", [])
    assert not got.is_report


def test_long_page_is_not_classified_by_the_title_of_a_file_it_links():
    prose = "<p>" + "本周全市开展了防汛演练，各部门协同配合，取得良好效果。" * 20 + "</p>"
    page = gov_page(prose + "<p><a href='/f/nb.pdf'>2022年政府信息公开工作年度报告.pdf</a></p>",
                    title="全市开展防汛演练")
    assert not extract_article(page, "http://x.gov.cn/a/2.html").is_report


# --- 3. one article, several blocks --------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_block_of_a_split_article_is_kept_in_order(sites, name):
    site = site_named(sites, name)
    doc = site.expected[1]
    art = _read(site, doc)
    assert art.container.endswith("[2 blocks]")
    assert char_f1(art.body_text, doc.body_text) >= 0.99
    lines = doc.body_text.split("\n")
    assert art.body_text.startswith(lines[0]) and art.body_text.rstrip().endswith(lines[-1])
    assert art.body_text.index("一、") < art.body_text.index("四、")


def test_a_sidebar_block_of_the_same_class_is_not_joined():
    sidebar = ('<div class="side"><div class="x"><div class="y">'
               '<div class="TRS_Editor">热点：全市防汛工作部署会召开</div></div></div></div>')
    page = gov_page("<p>本报告根据《中华人民共和国政府信息公开条例》编制，内容包括总体情况等。</p>").replace(
        "<h1>", sidebar + "<h1>")
    art = extract_article(page, "http://x.gov.cn/a/3.html")
    assert "防汛" not in art.body_text and "[" not in art.container


# --- 4. the attachment list closing the body -----------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_attachment_list_lines_leave_the_body_and_the_files_stay(sites, name):
    site = site_named(sites, name)
    doc = site.expected[2]
    art = _read(site, doc)
    assert "统计表.xlsx" not in art.body_text and "附件" not in art.body_text.split("\n")[-1]
    assert char_f1(art.body_text, doc.body_text) >= 0.99
    assert any(link.url.endswith(".xlsx") for link in art.attachments)


def test_an_attachment_heading_followed_by_a_table_is_report_text():
    lines = ["附件：2015年政府信息公开情况统计表", "指标\t单位\t数量", "主动公开信息数\t条\t120"]
    assert strip_attachment_list(lines, []) == lines


def test_only_the_closing_run_of_file_lines_goes():
    lines = ["附件1为本报告的统计表，请参阅。", "一、总体情况", "江州市水利局", "2023年1月18日",
             "附件：", "1. 2022年报告.pdf (245.3KB)", "2022年统计表"]
    kept = strip_attachment_list(lines, ["2022年统计表"])
    assert kept == lines[:4]


# --- 6. the date the page shows ------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_visible_publish_date_wins_over_meta_and_the_others_are_kept(sites, name):
    site = site_named(sites, name)
    for doc in site.expected:
        art = _read(site, doc)
        assert (art.publish_date, art.date_source) == (doc.publish_date, "label"), doc.path
        sources = dict(art.date_candidates)
        assert "meta" in sources and sources["meta"] != art.publish_date
        assert json.loads(art.date_candidates_json)[0] == {"source": "label", "date": doc.publish_date}


def test_a_bare_date_label_does_not_beat_the_meta():
    page = gov_page("<p>本报告根据《中华人民共和国政府信息公开条例》编制。</p>",
                    meta='<meta name="PubDate" content="2023-01-20 09:00">').replace(
        "<h1>", "<p>日期：2023-03-01</p><h1>")
    art = extract_article(page, "http://x.gov.cn/a/4.html")
    assert (art.publish_date, art.date_source) == ("2023-01-20", "meta")


# --- 7. split articles: join, classify, then read the tables --------------------------------

_T2 = ("<table border='1'><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
       "<tr><td>规章</td><td>2</td><td>0</td><td>15</td></tr>"
       "<tr><td>行政规范性文件</td><td>7</td><td>1</td><td>40</td></tr></table>")


@pytest.mark.parametrize("container", ['<div class="TRS_Editor">{body}</div>', '<div id="zoom">{body}</div>',
                                       '<table><tr><td class="news_content">{body}</td></tr></table>'])
def test_tables_of_a_first_page_that_alone_is_no_report_survive_the_join(container):
    first = gov_page("<p>（二）主动公开政府信息情况</p>" + _T2, title="江州市水利局政务公开工作情况",
                     container=container, chrome=False)
    second = gov_page("<p>本报告根据《中华人民共和国政府信息公开条例》编制，现将有关情况报告如下。</p>",
                      title="江州市水利局政务公开工作情况", container=container, chrome=False)
    alone = extract_article(first, "http://x.gov.cn/nb/t20230118_1.html")
    assert not alone.is_report
    reading = read_page(second, "http://x.gov.cn/nb/t20230118_1.html",
                        later_pages=[("http://x.gov.cn/nb/t20230118_1_1.html", first)])
    assert reading.article.is_report
    assert reading.article.tables, "the grids of the page that alone was no report were dropped"


# --- end to end ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    return crawl_sites(sites, tmp_path_factory.mktemp("report-variants") / "archive.db")


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_crawl_archives_every_variant_report_whole(sites, crawled, name):
    archive = Archive(crawled["db"])
    base = crawled["bases"][name]
    for doc in site_named(sites, name).expected:
        row = archive.report(base + doc.path)
        assert row is not None, doc.path
        assert row["title"] == doc.title and row["report_year"] == doc.report_year, doc.path
        assert row["publish_date"] == doc.publish_date and row["date_source"] == "label", doc.path
        assert json.loads(row["date_candidates"])[1]["source"] == "meta", doc.path
        assert row["source_format"] == doc.source_format, doc.path
        assert char_f1(row["body_text"], doc.body_text) >= 0.97, doc.path
        assert "统计表.xlsx" not in row["body_text"], doc.path


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_attachment_only_report_with_placeholder_metadata_gets_its_files_text(sites, crawled, name):
    archive = Archive(crawled["db"])
    doc = site_named(sites, name).expected[0]
    row = archive.report(crawled["bases"][name] + doc.path)
    assert row["source_format"] == "docx"
    assert "全文见附件" not in row["body_text"] and "一、总体情况" in row["body_text"]
    stats = archive.statistics(row["id"])
    assert stats["cells"], "the DOCX's statistics tables were not parsed"


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_attachment_listed_at_the_end_is_recorded_and_read(sites, crawled, name):
    archive = Archive(crawled["db"])
    doc = site_named(sites, name).expected[2]
    row = archive.report(crawled["bases"][name] + doc.path)
    files = archive.attachments(row["id"])
    assert [f["sniffed_type"] for f in files] == ["xlsx"]
    assert files[0]["usable"] == 1


@pytest.mark.parametrize("container, list_title, link", [
    ('<div class="TRS_Editor">{body}</div>', "临川市2022年政府信息公开工作年度报告", "下载"),
    ('<div id="zoom">{body}</div>', None, "青阳县2022年度政府信息公开工作年度报告.pdf"),
    ('<table><tr><td class="news_content">{body}</td></tr></table>', "镇政府信息发布", "2021年政府信息公开年报.docx"),
])
def test_pointer_page_with_a_generic_heading_is_a_report(container, list_title, link):
    page = gov_page(f"<p>现将有关情况予以公布，全文见附件。</p><p><a href='/f/P0202201.pdf'>{link}</a></p>",
                    title="政务信息发布", container=container)
    art = extract_article(page, "http://x.gov.cn/a/5.html", list_title=list_title)
    assert art.is_report, art.classification


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_page_naming_no_report_becomes_one_when_its_file_reads_as_one(sites, crawled, name):
    # heading "…信息公开事项", list title the same, the link says "附件1": only the DOCX names the report
    site = site_named(sites, name)
    doc = site.expected[3]
    res = site.resources[doc.path]
    html, _ = decode_body(res.body, res.content_type)
    assert not extract_article(html, BASE + doc.path, list_title=BARE_TITLE.format(agency=doc.agency)).is_report
    row = Archive(crawled["db"]).report(crawled["bases"][name] + doc.path)
    assert row is not None, "the page whose file is a report was not archived as one"
    assert (row["title"], row["report_year"], row["source_format"]) == (doc.title, doc.report_year, "docx")
    assert row["agency"] == doc.agency
    assert Archive(crawled["db"]).statistics(row["id"])["cells"]


def test_index_no_placeholder_is_no_index_no():
    assert "index_no" not in md.labelled_fields(["索 引 号：\t无\t主题分类：\t政务公开"])


@pytest.mark.parametrize("link", ["2022年政府信息公开工作年度报告.pdf",
                                  "附件：2022年政府信息公开工作年度报告.docx (35KB)"])
def test_page_without_any_title_takes_its_files_name(link):
    page = ("<html><head></head><body><table><tr><td>名称：</td><td>见附件</td></tr></table>"
            f"<div class='TRS_Editor'><p>全文见附件。</p><p><a href='/f/1.pdf'>{link}</a></p></div></body></html>")
    art = extract_article(page, "http://x.gov.cn/a/6.html")
    assert art.title == "2022年政府信息公开工作年度报告"
    assert art.is_report
