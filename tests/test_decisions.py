"""The decisions researchers rely on, one table per decision: is a page an annual disclosure
report, which year does it cover, and which agency published it.

Titles and bodies are written the way 政府信息公开年报 columns word them (区县, 市, provincial
departments, 2008-era and traditional-script pages); each row states the right answer.
"""

from __future__ import annotations

import pytest

from pipelines import metadata as md
from pipelines.classify import classify

REPORT_TITLES = [
    "XX市人民政府办公室2021年政府信息公开工作年度报告",
    "XX区2020年度政务公开工作年度报告",
    "XX县政府信息公开工作2019年年度报告",
    "XX局二〇二一年政府信息公开工作年度报告",
    "2021年度XX镇政府信息公开年报",
    "XX市政府信息公开年度报告（2020年）",
    "XX省教育厅关于2021年政府信息公开工作年度报告",
    # some sites prefix 关于 on the report itself
    "关于XX市2021年政府信息公开工作年度报告",
    "关于2021年度政府信息公开工作情况的报告",
    "XX市2021年政府資訊公開工作年度報告",
    "XX市2021年政府信息公开工作年度报告（全文）",
    "XX市2021年政府信息公开工作年度报告（文字版）",
    "XX市2021年政府信息公开工作年度报告[PDF]",
    "XX市2021年政府信息公开工作年度报告.pdf",
    "XX市2021年度政府信息公开工作年度报告（更正版）",
    "XX市2021年政府信息公开工作年度报告（2022年1月修订）",
    # the first year under the 条例, worded as a 工作报告
    "XX市2008年政府信息公开工作报告",
    "XX市人民政府2008年度政府信息公开工作情况报告",
    "XX市政务公开2021年度报告",
    "XX市2021年度政务公开工作总结",
    # a 区县 总结 combined with next year's plan is still the year's report
    "XX区2021年政务公开工作总结和2022年工作要点",
    "2021年年度报告",
]


@pytest.mark.parametrize("title", REPORT_TITLES)
def test_report_titles_are_reports(title: str) -> None:
    assert classify(title, "").doc_type == "annual_report", title


NOT_REPORT_TITLES = [
    ("关于做好2021年政府信息公开工作年度报告编制和发布工作的通知", "notice"),
    ("关于报送2021年度政府信息公开工作年度报告的函", "notice"),
    ("关于XX市2021年政府信息公开工作年度报告的公示", "notice"),
    ("2021年政府信息公开工作年度报告解读", "interpretation"),
    ("视频解读：XX市2021年政府信息公开工作年度报告", "interpretation"),
    ("XX市2021年政府信息公开工作年度报告（图文解读）", "interpretation"),
    # an infographic of the report is not the report: its doc_type says what it is
    ("一图读懂XX市2021年政府信息公开工作年度报告", "infographic"),
    ("图解：XX市2021年政府信息公开工作年度报告", "infographic"),
    ("XX市2021年政府信息公开工作年度报告（图解）", "infographic"),
    ("XX市2021年政府信息公开工作年度报告H5", "infographic"),
    ("XX市2021年政府信息公開工作年度報告（圖解）", "infographic"),
    ("XX市2021年政府信息公开工作要点", "plan"),
    ("XX市2022年政务公开工作要点", "plan"),
    ("政府信息公开指南", "guide"),
    ("政府信息公开目录", "catalogue"),
    ("XX市2021年政府信息公开工作年度报告的编制说明", "explanation"),
    ("XX市2021年政府信息公开工作年度报告更正说明", "explanation"),
    ("XX市人民政府办公室关于XX市2021年政府信息公开工作年度报告的说明", "explanation"),
    ("2021年度政府信息公开工作社会评议结果", "evaluation"),
    ("XX市2021年度政府信息公开工作第三方评估报告", "evaluation"),
    ("XX市2021年政府信息公开工作考核结果", "evaluation"),
    ("XX市政府信息公开工作年度报告汇总", "compilation"),
    ("XX市2021年度政府信息公开工作年度报告发布会", "event"),
    ("XX市2021年政府信息公开工作年度报告（征求意见稿）", "draft"),
    # other annual reports of a government
    ("XX市2021年度法治政府建设年度报告", "other"),
    ("法治政府建设年度报告", "other"),
    ("2021年政府工作报告", "other"),
    ("XX市2021年国民经济和社会发展统计公报", "other"),
    ("XX市2021年预算执行情况报告", "other"),
    # disclosure under other regimes, unless the title names 政府信息公开 too
    ("XX市环保局2021年环境信息公开年度报告", "other_disclosure_report"),
    ("XX市2021年度企业信息公开年度报告", "other_disclosure_report"),
    ("XX大学2020-2021学年信息公开工作年度报告", "other_disclosure_report"),
    ("XX市2021年党务公开工作年度报告", "other_disclosure_report"),
]


@pytest.mark.parametrize("title, kind", NOT_REPORT_TITLES)
def test_documents_about_reports_say_what_they_are(title: str, kind: str) -> None:
    assert classify(title, "").doc_type == kind, title


def test_environment_bureau_report_naming_both_regimes_is_a_report() -> None:
    assert classify("XX市环保局2010年政府信息公开和环境信息公开工作年度报告", "").is_report


@pytest.mark.parametrize("title", ["XX县人民政府办公室关于印发XX县2021年政府信息公开工作年度报告的通知",
                                   "关于印发《XX县2021年政府信息公开工作年度报告》的通知"])
def test_notice_issuing_the_report_it_carries_is_the_report(title: str) -> None:
    body = "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。"
    assert classify(title, body).is_report
    assert classify(title, "").doc_type == "notice"  # only a link to it: a notice
    assert not classify("关于做好2021年政府信息公开工作年度报告编制和发布工作的通知", body).is_report


def test_untitled_report_with_announcement_opening_is_a_report() -> None:
    assert classify(None, "现将2021年度本机关政府信息公开工作年度报告公布如下：").is_report


PREAMBLE_2021 = "本报告根据《中华人民共和国政府信息公开条例》要求编制。"


@pytest.mark.parametrize(
    "title, body, published, expected",
    [
        ("年度报告", "现将2021年度本机关政府信息公开工作年度报告公布如下", None, (2021, "body")),
        # the statistical period, as sites word it
        ("政府信息公开工作年度报告", "本报告统计期限自2021年1月1日起至2021年12月31日止。", None, (2021, "period")),
        ("政府信息公开工作年度报告", "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。", None,
         (2021, "period")),
        ("政府信息公开工作年度报告", "本报告所列数据统计时限为2020年1月1日至2020年12月31日。", None, (2020, "period")),
        ("政府信息公开工作年度报告", "本报告数据统计时间为2019年1月1日至12月31日。", None, (2019, "period")),
        ("政府信息公开工作年度报告", "本年报中所列数据统计截至2012年12月31日。", None, (2012, "period")),
        # the year of the 条例's revision is not the year reported
        ("政府信息公开工作年度报告", "根据2019年修订的《中华人民共和国政府信息公开条例》要求，现将本局情况报告如下。",
         "2022-01-25", (2021, "publish_date")),
        ("政府信息公开工作年度报告", "根据《中华人民共和国政府信息公开条例》（2019年修订）和政府信息公开办公室要求",
         "2022-01-25", (2021, "publish_date")),
        # title and period disagree: the publish date says which one slipped
        ("2022年政府信息公开工作年度报告", "本报告统计期限为2021年1月1日至12月31日。", "2022-01-20", (2021, "period")),
        ("XX市2021年政府信息公开工作年度报告", "本报告统计期限为2020年1月1日至12月31日。", "2022-03-20",
         (2021, "title")),
        ("XX市2021年政府信息公开工作年度报告", "本报告统计期限为2020年1月1日至12月31日。", None, (2021, "title")),
        # published late: a year's report cannot come out before that year ends
        ("XX市2015年政府信息公开工作年度报告", "", "2017-06-01", (2015, "title")),
        ("政府信息公开工作年度报告", "", "2017-09-01", (2016, "publish_date")),
        ("政务公开工作总结", "", "2017-12-20", (2017, "publish_date")),
        ("XX局二〇二一年政府信息公开工作年度报告", "", None, (2021, "title")),
        ("XX市政府信息公开年度报告（2020年）", "", None, (2020, "title")),
        ("XX县政府信息公开工作2019年年度报告", "", None, (2019, "title")),
        # a full date dates an event; the period's first day does not
        ("政府信息公开工作年度报告", "2022年1月20日，市政府信息公开领导小组开会。2021年，我市政府信息公开…", None,
         (2021, "body")),
        ("政府信息公开工作年度报告", "2021年1月1日至12月31日，本机关政府信息公开工作…", None, (2021, "body")),
    ],
)
def test_report_year(title: str, body: str, published: str | None, expected: tuple[int, str]) -> None:
    assert md.report_year(title, body, published) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("中共XX市委办公室 XX市人民政府办公室", "中共XX市委办公室、XX市人民政府办公室"),
        ("中共XX市委办公室  XX市人民政府办公室", "中共XX市委办公室、XX市人民政府办公室"),
        ("XX市XX区人民政府", "XX市XX区人民政府"),
        ("XX市水利局 2021-01-05", "XX市水利局"),
        ("XX市水利局 编辑：苏亮", "XX市水利局"),
        ("本网", None),
        ("本网讯", None),
        ("本站原创", None),
        # the medium a text ran in is not the agency that published it
        ("XX日报", None),
        ("巴彦淖尔日报 编辑：苏亮", None),
        ("人民网", None),
        ("中国政府网", None),
        ("XX市人民政府门户网站", None),
        ("新华社", None),
        ("XX广播电视台", None),
        ("XX县融媒体中心", None),
        ("上海发布", None),
        ("XX市政务服务数据管理局", "XX市政务服务数据管理局"),
    ],
)
def test_agency_from_source_label(value: str, expected: str | None) -> None:
    assert md.clean_agency(value) == expected


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["正文。", "中共XX市委办公室", "XX市人民政府办公室", "2022年1月20日"],
         ("中共XX市委办公室、XX市人民政府办公室", "2022-01-20")),
        (["正文。", "北京市海淀区人民政府办公室 2022年1月20日"], ("北京市海淀区人民政府办公室", "2022-01-20")),
        (["正文。", "XX市水利局", "二〇二二年一月二十日"], ("XX市水利局", "2022-01-20")),
        (["正文。", "XX县人民政府", "2022年1月20日", "（此件公开发布）"], ("XX县人民政府", "2022-01-20")),
        (["正文。", "本报告统计期限为2021年1月1日至2021年12月31日，特此说明"], (None, None)),
    ],
)
def test_signature_block(lines: list[str], expected: tuple[str | None, str | None]) -> None:
    assert md.signature(lines) == expected


@pytest.mark.parametrize(
    "title, expected",
    [
        ("XX省教育厅关于2021年政府信息公开工作年度报告", "XX省教育厅"),
        ("XX市人民政府办公室关于XX市2021年政府信息公开工作年度报告", "XX市人民政府办公室"),
        ("XX区2020年度政务公开工作年度报告", "XX区"),
        ("XX县政府信息公开工作2019年年度报告", "XX县"),
        ("2021年度XX镇政府信息公开年报", "XX镇"),
        ("XX市人民政府信息公开工作年度报告", "XX市人民政府"),
        ("XX市XX区人民政府2021年政府信息公开工作年度报告", "XX市XX区人民政府"),
        ("关于XX市2021年政府信息公开工作年度报告", "XX市"),
        ("2019年度政府信息公开年报", None),
        ("政府信息公开工作年度报告", None),
    ],
)
def test_agency_from_report_title(title: str, expected: str | None) -> None:
    assert md.agency_from_title(title) == expected
