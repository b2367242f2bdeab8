"""Report classification by title and opening sentence."""

import pytest

from pipelines.classify import classify


@pytest.mark.parametrize(
    "title",
    [
        "XX市水利局2014年政府信息公开工作年度报告",
        "2019年度政府信息公开年报",
        "2014年洪梅镇政府信息公开工作总结",
        "四川省民政廳2013年政府信息公開工作年度報告",
        "北京市海淀区人民政府2021年政务公开工作年度报告",
    ],
)
def test_annual_reports_are_recognised_by_title(title):
    assert classify(title, "").is_report


@pytest.mark.parametrize(
    "title, kind",
    [
        ("XX市人民政府政府信息公开指南", "guide"),
        ("政府信息公开目录", "catalogue"),
        ("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", "notice"),
        ("关于2019年政府信息公开工作年度报告的解读", "interpretation"),
        ("政府信息公开制度", "rules"),
    ],
)
def test_other_column_documents_are_not_reports(title, kind):
    result = classify(title, "")
    assert not result.is_report and result.doc_type == kind


def test_untitled_page_is_recognised_by_template_preamble():
    body = "本报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)要求编制。"
    assert classify(None, body).is_report
    assert classify("", "今天天气很好。").doc_type == "other"
