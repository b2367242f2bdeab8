"""The extraction passes on built government pages: body, boilerplate, tables, metadata."""

import pytest

from demo.seed_texts import SEED_DIR
from pipelines.extract import extract_article
from pipelines.phrases import LEAK_PHRASES
from tests.conftest import char_f1, gov_page

REPORT = (
    "<p>一、总体情况</p>"
    "<p>　　2019年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。</p>"
    "<p>二、主动公开政府信息情况</p>"
    "<table><tr><td rowspan='2'>信息内容</td><td colspan='3'>第二十条第(一)项</td></tr>"
    "<tr><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
    "<tr><td>规章</td><td>0</td><td>0</td><td>3</td></tr>"
    "<tr><td>行政规范性文件</td><td>12</td><td>2</td><td>45</td></tr></table>"
    "<p>五、存在的主要问题及改进情况</p><p>无。</p>"
    "<p style='text-align:right'>XX市水利局</p><p style='text-align:right'>2020年1月20日</p>"
)


def test_boilerplate_around_and_inside_the_body_is_stripped():
    inner = REPORT + "<p>扫一扫在手机打开当前页</p><p>【字体：大 中 小】</p><p>打印本页 关闭窗口</p>"
    art = extract_article(gov_page(inner), "http://x.gov.cn/xxgk/202001/t20200120_1.html")
    assert [p for p in LEAK_PHRASES if p in art.body_text] == []
    assert "网站首页" not in art.body_text and "粤ICP备" not in art.body_text


def test_tables_are_flattened_row_by_row_with_tabs():
    art = extract_article(gov_page(REPORT))
    lines = art.body_text.split("\n")
    assert "规章\t0\t0\t3" in lines
    assert "行政规范性文件\t12\t2\t45" in lines
    assert "本年制发件数\t本年废止件数\t现行有效件数" in lines


def test_headings_and_signature_block_are_kept_as_body():
    art = extract_article(gov_page(REPORT))
    lines = art.body_text.split("\n")
    assert lines[0] == "一、总体情况"
    assert lines[-2:] == ["XX市水利局", "2020年1月20日"]
    assert "无。" in lines


def test_signature_block_gives_agency_and_written_date_when_page_has_no_labels():
    art = extract_article(gov_page(REPORT), "http://x.gov.cn/a.html")
    assert art.agency == "XX市水利局" and art.agency_source == "signature"
    assert art.written_date == "2020-01-20"


def test_paragraph_breaks_become_newlines_and_indentation_goes():
    art = extract_article(gov_page("<p>　　第一段。</p><p>第二段<br>第三段。</p>" * 5))
    assert art.body_text.split("\n")[:3] == ["第一段。", "第二段", "第三段。"]


def test_unknown_template_falls_back_to_density():
    body = "".join(f"<p>第{i}条，本机关依法公开政府信息，保障公民、法人和其他组织的知情权。</p>" for i in range(8))
    html = gov_page(body, container='<div class="wz_con"><div class="detail-main">{body}</div></div>')
    art = extract_article(html)
    assert art.container == "density"
    assert art.body_text.count("\n") == 7
    assert "网站首页" not in art.body_text and "扫一扫" not in art.body_text


def test_traditional_boilerplate_is_stripped_too():
    inner = ("<p>二零一三年，我廳認真貫徹《中華人民共和國政府信息公開條例》。</p>"
             "<p>掃一掃在手機打開當前頁</p><p>關閉窗口</p>")
    art = extract_article(gov_page(inner, title="四川省民政廳2013年政府信息公開工作年度報告"))
    assert art.body_text == "二零一三年，我廳認真貫徹《中華人民共和國政府信息公開條例》。"
    assert art.script == "traditional"


@pytest.mark.parametrize("toolbar", [
    "【打印】 【关闭】", "[打印] [关闭]", "【收藏本頁】 【打印正文】 【返回頂部】", "打印 | 关闭",
    "【字体大小：大 中 小】", "扫描二维码在手机上查看", "访问次数：1234", "网站识别码：4401000001",
])
def test_toolbar_rows_inside_the_container_are_stripped(toolbar):
    art = extract_article(gov_page(REPORT + f"<p>{toolbar}</p>", chrome=False))
    assert art.body_text.endswith("2020年1月20日"), art.body_text[-60:]


def test_publish_date_prefers_meta_then_label_then_url_then_list():
    meta = '<meta name="PubDate" content="2020-01-21 10:00">'
    url = "http://x.gov.cn/xxgk/202001/t20200122_1.html"
    assert extract_article(gov_page(REPORT, meta=meta), url).publish_date == "2020-01-21"
    labelled = gov_page("<p>发布时间：2020-01-23 09:00 来源：XX市水利局</p>" + REPORT)
    art = extract_article(labelled, url)
    assert (art.publish_date, art.date_source, art.agency) == ("2020-01-23", "label", "XX市水利局")
    assert extract_article(gov_page(REPORT), url, list_date="2020-01-24").publish_date == "2020-01-22"
    art = extract_article(gov_page(REPORT), "http://x.gov.cn/a.html", list_date="2020-01-24")
    assert (art.publish_date, art.date_source) == ("2020-01-24", "list")


def test_metadata_line_at_top_of_body_is_not_body():
    art = extract_article(gov_page("<p>发布时间：2020-01-23 09:00 来源：XX市水利局 浏览次数：123</p>" + REPORT))
    assert art.body_text.startswith("一、总体情况")


def test_xxgk_metadata_table_with_padded_labels():
    table = (
        "<table class='xxgk'><tr><td>索  引 号：</td><td>11370900004341590P/2020-00150</td>"
        "<td>主题分类：</td><td>综合政务\\政务公开</td></tr>"
        "<tr><td>发 布 机 构：</td><td>XX市水利局</td><td>成文日期：</td><td>2020年01月20日</td></tr>"
        "<tr><td>发文字号：</td><td>无</td><td>发布日期：</td><td>2020年01月21日</td></tr></table>"
    )
    art = extract_article(gov_page(REPORT, head="", container=table + '<div class="TRS_Editor">{body}</div>'))
    assert art.index_no == "11370900004341590P/2020-00150"
    assert (art.agency, art.written_date, art.publish_date) == ("XX市水利局", "2020-01-20", "2020-01-21")
    assert art.doc_number is None


def test_blank_metadata_fields_taken_in_by_the_density_fallback_are_not_body():
    # A short page: the density fallback takes the whole box, <ul> metadata items included
    box = ('<div class="xl-box"><ul><li>索 引 号：<span>11430603MB1234567X/2021-00012</span></li>'
           "<li>成文日期：</li><li>文　　号：</li></ul>"
           "<p>XX区政府信息公开目录按类别编排如下，请查阅。</p><p>一、机构职能，二、政策文件，三、规划计划。</p></div>")
    art = extract_article(gov_page("", container=box), "http://x.gov.cn/xxgk/202106/t20210618_1.html")
    assert art.body_text.startswith("XX区政府信息公开目录"), art.body_text
    assert art.index_no == "11430603MB1234567X/2021-00012"


def test_attachment_links_resolve_against_base_href():
    inner = '<p>附件：<a href="./nb/202001/P020200115.pdf">XX镇2019年政府信息公开工作年度报告.pdf</a></p>'
    page = gov_page(inner, head='<base href="http://x.gov.cn/xxgk/">')
    art = extract_article(page, "http://x.gov.cn/xxgk/nb/202001/t20200115_1.htm")
    assert [a.url for a in art.attachments] == ["http://x.gov.cn/xxgk/nb/202001/P020200115.pdf"]


def test_report_year_is_the_year_covered_not_published():
    art = extract_article(gov_page(REPORT, title="XX市水利局2014年度政府信息公开工作年度报告"),
                          "http://x.gov.cn/xxgk/201501/t20150105_1.html")
    assert (art.report_year, art.publish_date) == (2014, "2015-01-05")


def test_attachment_stub_page_records_the_attachment():
    inner = '<p>附件：<a href="/xxgk/P020200115.pdf">XX市2019年政府信息公开工作年度报告.pdf</a></p>'
    art = extract_article(gov_page(inner), "http://x.gov.cn/xxgk/202001/t20200115_1.html")
    assert [a.url for a in art.attachments] == ["http://x.gov.cn/xxgk/P020200115.pdf"]
    assert art.is_report


def test_notice_about_reports_is_not_a_report():
    art = extract_article(gov_page("<p>各区政府、市直各部门：现就做好年度报告工作通知如下。</p>",
                                   title="关于做好2023年度政府信息公开工作年度报告编制发布工作的通知"))
    assert not art.is_report and art.classification.doc_type == "notice"
    assert art.report_year is None


def test_pinyin_annotated_mirror_copy_is_repaired_and_flagged():
    seed = (SEED_DIR / "003_6b84bc51e182e513.txt").read_text(encoding="utf-8")
    paras = "".join(f"<p>{line}</p>" for line in seed.splitlines() if line.strip())
    art = extract_article(gov_page(paras, title="2017年市發(fā)改委政府信息公開工作年度報(bào)告"))
    assert art.from_mirror and "pinyin_annotations" in art.repairs
    assert "發(fā)" not in art.body_text and "市發改委認真貫徹" in art.body_text
    assert art.title == "2017年市發改委政府信息公開工作年度報告"
    assert art.script == "traditional"


def test_seed_report_text_survives_extraction_whole():
    seed = (SEED_DIR / "000_8b038e27691363f1.txt").read_text(encoding="utf-8")
    lines = [line for line in seed.splitlines() if line.strip()]
    html = gov_page("".join(f"<p>{line}</p>" for line in lines), title="市民宗委2014年政府信息公开工作年度报告")
    art = extract_article(html)
    assert char_f1(art.body_text, "\n".join(lines[1:])) > 0.99
    assert (art.publish_date, art.agency) == ("2015-01-05", "市水利局")


def test_article_pager_rows_of_split_trs_articles_are_boilerplate():
    body = "<p>（一）主动公开。全年主动公开政府信息120条。</p><div>1 2 3 下一页</div><div>上一页 1 2 3</div>"
    text = extract_article(gov_page(body)).body_text
    assert "下一页" not in text and "上一页" not in text and "120条" in text


def test_pre_keeps_its_lines_so_the_signature_is_read():
    body = ("<pre>\u3000\u3000一、概述\n\u3000\u30002018年，我街道认真贯彻《条例》。\n"
            "\u3000\u3000XX街道办事处\n\u3000\u30002019年1月13日\n</pre>")
    art = extract_article(gov_page(body))
    assert art.body_text.split("\n")[-2:] == ["XX街道办事处", "2019年1月13日"]
    assert art.written_date == "2019-01-13"


def test_images_only_content_block_is_a_flagged_stub_not_density_garbage():
    body = '<p><img src="W1.jpg" /></p><p><img src="W2.jpg" /></p>'
    art = extract_article(gov_page(body), "http://x.gov.cn/nb/t20210305_1.html")
    assert art.body_text == "" and art.container.endswith("[images-only]")
    assert [a.url for a in art.attachments] == ["http://x.gov.cn/nb/W1.jpg", "http://x.gov.cn/nb/W2.jpg"]


def test_density_counts_only_what_follows_the_title_and_site_name_h1_is_no_title():
    side = "".join(f"<p>负责全县第{i}项工作，组织实施有关规划，指导、监督各部门开展工作。</p>" for i in range(8))
    page = ("<html><head><title>某县人民政府</title></head><body><h1>某县人民政府</h1>"
            f'<div class="wrap"><div class="left">{side}</div><div class="right">'
            "<h2>某县审计局2020年度政府信息公开工作报告</h2><div>发布时间：2021-01-15 10:30:00</div>"
            "<div><p>一、主动公开情况</p><p>2020年，我局主动公开政府信息46条。</p>"
            "<p>二、依申请公开情况</p><p>全年收到申请2件，均已答复。</p></div></div></div></body></html>")
    art = extract_article(page)
    assert art.title == "某县审计局2020年度政府信息公开工作报告"
    assert "负责全县" not in art.body_text and "46条" in art.body_text
    assert art.publish_date == "2021-01-15"


# A left-menu tree that files each year's report under a bare year label ("2023年", "2022年度",
# "2021"): the crawl may reach the report through that link first, and the label must not
# become the report's title (the page was then classified "other" and lost as a report).
_YEAR_LABELLED = [
    # TRS-style page, GBK site, heading in <h1>, TRS_Editor body
    ("2023年", "http://www.jz.gov.cn/xxgk/xxgknb/202401/t20240122_1.html",
     "<html><head><title>江州市民政局2023年政府信息公开工作年度报告_江州市人民政府</title></head><body>"
     "<div class='nav'>首页 > 信息公开年报</div><h1>江州市民政局2023年政府信息公开工作年度报告</h1>"
     "<div class='TRS_Editor'><p>一、总体情况</p>"
     "<p>2023年，江州市民政局认真贯彻《中华人民共和国政府信息公开条例》。</p>"
     "<p>二、主动公开政府信息情况</p><p>全年主动公开政府信息120条。</p></div></body></html>",
     "江州市民政局2023年政府信息公开工作年度报告", 2023),
    # Hanweb-style page, UTF-8, title in a div.title, the <title> ending in the site's name
    ("2022年度", "http://www.qx.gov.cn/art/2023/1/15/art_1229214366_58937063.html",
     "<html><head><title>青溪县财政局2022年度政府信息公开工作年度报告 - 青溪县人民政府</title></head><body>"
     "<div class='title'>青溪县财政局2022年度政府信息公开工作年度报告</div><div id='zoom'><p>一、总体情况</p>"
     "<p>2022年度，青溪县财政局依照《中华人民共和国政府信息公开条例》做好公开工作。</p>"
     "<p>二、主动公开政府信息情况</p><p>本年度主动公开文件35件。</p></div></body></html>",
     "青溪县财政局2022年度政府信息公开工作年度报告", 2022),
    # home-made Big5 page, traditional characters, heading in <h2>
    ("2021", "http://www.ng.gov.tw/col/col310/nb2021/art_310_21.htm",
     "<html><head><title>南港縣政府2021年政府資訊公開工作年度報告</title></head><body><h2>南港縣政府2021年政府資訊公開工作年度報告</h2>"
     "<div class='content'><p>一、總體情況</p><p>2021年，南港縣政府依照《政府資訊公開條例》辦理公開工作。</p>"
     "<p>二、主動公開政府資訊情況</p><p>全年主動公開資訊。</p></div></body></html>",
     "南港縣政府2021年政府資訊公開工作年度報告", 2021),
]


@pytest.mark.parametrize(("label", "url", "html", "title", "year"), _YEAR_LABELLED)
def test_a_list_link_labelled_with_its_year_only_leaves_the_title_to_the_pages_heading(label, url, html, title, year):
    article = extract_article(html, url, list_title=label)
    assert article.title == title
    assert article.is_report and article.report_year == year
