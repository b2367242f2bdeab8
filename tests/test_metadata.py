"""Metadata readers: dates, labels, URL dates, report years, signature blocks."""

import pytest

from pipelines import metadata as md


@pytest.mark.parametrize(
    "text, expected",
    [
        ("发布时间:2015-01-05 09:28", "2015-01-05"),
        ("2015/1/5", "2015-01-05"),
        ("2015.01.05", "2015-01-05"),
        ("2022年01月27日", "2022-01-27"),
        ("二〇一五年一月五日", "2015-01-05"),
        ("二〇二〇年十二月三十一日", "2020-12-31"),
        ("2015-13-45", None),
        ("共有2015条信息", None),
    ],
)
def test_parse_date_reads_gov_date_forms(text, expected):
    assert md.parse_date(text) == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://x.gov.cn/xxgk/xxgknb/202401/t20240122_3274490.html", "2024-01-22"),
        ("http://czj.taian.gov.cn/art/2020/9/10/art_165819_9795188.html", "2020-09-10"),
        ("http://x.gov.cn/nw12344/20200301/0a1b2c3d4e5f60718293a4b5c6d7e8f9.html", "2020-03-01"),
        ("http://x.gov.cn/content/post_11956962.html", None),
    ],
)
def test_url_dates_of_cms_article_urls(url, expected):
    assert md.url_date(url) == expected


def test_labelled_fields_from_table_cells_and_inline_runs():
    lines = [
        "索  引 号：\t000014349/2017-00110\t主题分类：\t综合政务",
        "发布时间:2015-01-05 09:28 信息来源:市水利局",
        "发布日期：\t2099-01-01",  # the first occurrence of a field wins
    ]
    fields = md.labelled_fields(lines)
    assert fields["index_no"] == "000014349/2017-00110"
    assert fields["publish_date"] == "2015-01-05 09:28"
    assert fields["agency"] == "市水利局"
    assert fields["topic"] == "综合政务"


@pytest.mark.parametrize("value", ["本网", "原创", "2015-01-05", ""])
def test_source_values_that_are_not_agencies(value):
    assert md.clean_agency(value) is None


def test_agency_value_stops_at_next_label():
    assert md.clean_agency("巴彦淖尔市水利局 编辑：苏亮") == "巴彦淖尔市水利局"


def test_newspaper_source_is_not_an_agency():
    # cwce 500b350d: "来源：巴彦淖尔日报  编辑：苏亮" names where the text ran, not who published it
    assert md.clean_agency("巴彦淖尔日报 编辑：苏亮") is None


@pytest.mark.parametrize(
    "title, body, published, expected",
    [
        ("XX市水利局2014年度政府信息公开工作年度报告", "", "2015-01-05", (2014, "title")),
        ("政府信息公开工作年度报告", "本报告……统计期限为2020年1月1日至12月31日。", "2021-03-01", (2020, "period")),
        ("年度报告", "现将我委2016年度政府信息公开工作有关情况报告如下", None, (2016, "body")),
        ("政府信息公开工作年度报告", "", "2018-01-30", (2017, "publish_date")),
        ("二〇一四年度政府信息公开工作报告", "", None, (2014, "title")),
    ],
)
def test_report_year_sources_in_order(title, body, published, expected):
    assert md.report_year(title, body, published) == expected


def test_signature_block_agency_and_date():
    assert md.signature(["正文。", "XX市人民政府办公室", "2020年3月30日"]) == ("XX市人民政府办公室", "2020-03-30")
    assert md.signature(["正文，没有落款。"]) == (None, None)


def test_title_from_head_drops_site_name():
    assert md.title_from_head("2019年报告_XX市人民政府", "XX市人民政府") == "2019年报告"


def test_padded_labels_in_one_run_and_traditional_fabu_labels():
    # <li><b>索 引 号：</b>…</li> metadata blocks; OpenCC-converted 繁體 pages write 發佈
    fields = md.labelled_fields(["索 引 号：11430603MB1234567X/2021-00012", "文　　号：石政发〔2021〕3号",
                                 "發佈機構：\t閩江市財政局", "發佈日期：2021-01-15"])
    assert fields == {"index_no": "11430603MB1234567X/2021-00012", "doc_number": "石政发〔2021〕3号",
                      "agency": "閩江市財政局", "publish_date": "2021-01-15"}
