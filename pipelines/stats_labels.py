"""Canonical labels of the annual-report statistics tables and section headings, as data.

Used by :mod:`pipelines.stats` (pure core, after extraction, before the archive). Labels are
written as the national templates print them, after NFKC (ASCII brackets: "(一)", not "（一）").
Matching never compares these strings directly: both sides go through ``stats.label_key``
(no whitespace, quotes, punctuation or bracketed notes; 情形 read as 情况), so each tuple of
variants only lists wordings that differ in more than that.

Sources: 国办公开办函〔2019〕60号 (the "t2019" template, reports for 2019–2020) and 〔2021〕30号
("t2021", reports for 2021 on), as transcribed in /work/shared/notes/domain.md §2.
"""

from __future__ import annotations

import re

T2019, T2021, LEGACY = "t2019", "t2021", "legacy"
TEMPLATES = (T2019, T2021)
BOTH = frozenset(TEMPLATES)
ONLY_2019 = frozenset({T2019})
ONLY_2021 = frozenset({T2021})


def template_for_year(year: int | None) -> str | None:
    """The template a report of ``year`` should follow: 2020 -> t2019, 2021 -> t2021, 2015 -> legacy."""
    if year is None:
        return None
    if year >= 2021:
        return T2021
    return T2019 if year >= 2019 else LEGACY


# --- cell values --------------------------------------------------------------------------

# Written instead of a number: meaning "nothing to report", stored as NULL (never 0).
# "-" and "/" are common in county reports (no 规章 power), "—"/"——" in Word tables.
NULL_TOKENS = frozenset({"", "-", "--", "/", "无", "—", "——", "－", "―", "–", "\\", "空"})
# A number with an optional unit written in the cell: "3", "-8", "1,234", "160.59万元".
NUMBER_RE = re.compile(
    r"^(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*"
    r"(?P<unit>[万萬]元|[亿億]元|元|[万萬]|件|[条條]|[个個]|[项項]|人次|人|次|%)?$"  # traditional: mirror copies
)
# "(单位:万元)" in a column header: the unit of that column's cells.
HEADER_UNIT_RE = re.compile(r"[单單]位\s*[:：]?\s*([万萬]元|[亿億]元|元|件|[条條]|[个個]|[项項]|人次|人)")

# --- label normalisation (see stats.label_key) -------------------------------------------

# Enumerators that open a label: "一、", "(一)", "1.", "1、", "(1)". Section and row numbers.
ENUMERATOR_RE = re.compile(
    r"^\s*(?:(?P<cn>[一二三四五六七八九十]{1,3})\s*[、.．]|\(\s*(?P<pcn>[一二三四五六七八九十]{1,3})\s*\)"
    r"|(?P<num>\d{1,2})\s*[.、．](?!\d)|\(\s*(?P<pnum>\d{1,2})\s*\))\s*"
)
# Where a new labelled part starts inside a run of merged label text, e.g. PDF text
# "(四)无 1.本机关不掌握相关政府信息" or "三、本年度办理结果(一)予以公开".
PART_START_RE = re.compile(
    r"(?:(?<![\d.])\d{1,2}[.、．](?!\d)|\([一二三四五六七八九十]{1,3}\)|(?<![第\w])[一二三四五六七八九十]{1,3}、)"
)
# A bracketed note: any "(...)" that is not itself an enumerator such as "(一)" or "(1)".
NOTE_RE = re.compile(r"\((?![一二三四五六七八九十]{1,3}\)|\d{1,2}\))[^()]*\)")
# Characters that never distinguish two labels.
KEY_DROP_RE = re.compile(r"[\s\"'“”‘’「」『』《》〈〉、,，.。;；:：/／·・_\-—–]+")
# Same meaning, different character; applied to keys after KEY_DROP_RE.
KEY_SYNONYMS: tuple[tuple[str, str], ...] = (("情形", "情况"),)

CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# --- 表二 主动公开政府信息情况 --------------------------------------------------------------

# Block headings: "第二十条第(一)项", also "第二十条 第（八）项" (PDF text), "第二十条第一项".
TABLE2_BLOCK_RE = re.compile(r"第二十条第\(?([一二三四五六七八九十]{1,2})\)?项")
# A piece of a block heading that PDF text split at a space: "第二十条" / "第(八)项".
TABLE2_BLOCK_PART_RE = re.compile(r"^(?=.)(?:第二十条)?(?:第\(?[一二三四五六七八九十]{1,2}\)?项)?$")
TABLE2_HEAD = ("信息内容",)
# canonical row -> (templates that print it, other wordings)
TABLE2_ROWS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "规章": (BOTH, ()),
    "行政规范性文件": (ONLY_2021, ()),
    "规范性文件": (ONLY_2019, ()),
    "行政许可": (BOTH, ()),
    "其他对外管理服务事项": (ONLY_2019, ("其他对外管理服务",)),
    "行政处罚": (BOTH, ()),
    "行政强制": (BOTH, ()),
    "行政事业性收费": (BOTH, ()),
    "政府集中采购": (ONLY_2019, ()),
}
TABLE2_COLUMNS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "本年制发件数": (ONLY_2021, ("本年制发数量",)),
    "本年废止件数": (ONLY_2021, ("本年废止数量",)),
    "现行有效件数": (ONLY_2021, ("现行有效数量",)),
    "本年处理决定数量": (ONLY_2021, ()),
    "本年收费金额": (ONLY_2021, ("收费金额",)),
    "本年新制作数量": (ONLY_2019, ()),
    "本年新公开数量": (ONLY_2019, ()),
    "对外公开总数量": (ONLY_2019, ()),
    "上一年项目数量": (ONLY_2019, ("上年项目数量",)),
    "本年增/减": (ONLY_2019, ("本年增减", "增减")),
    "处理决定数量": (ONLY_2019, ()),
    "采购项目数量": (ONLY_2019, ()),
    "采购总金额": (ONLY_2019, ()),
}
# The columns each row has in each template, in order: used when a header cannot be read
# (PDF text scrambles header words column by column).
_T21_MADE = ("本年制发件数", "本年废止件数", "现行有效件数")
_T19_MADE = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
_T19_ITEMS = ("上一年项目数量", "本年增/减", "处理决定数量")
TABLE2_DEFAULT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    T2021: {"规章": _T21_MADE, "行政规范性文件": _T21_MADE, "规范性文件": _T21_MADE,
            "行政许可": ("本年处理决定数量",), "行政处罚": ("本年处理决定数量",),
            "行政强制": ("本年处理决定数量",), "行政事业性收费": ("本年收费金额",)},
    T2019: {"规章": _T19_MADE, "规范性文件": _T19_MADE, "行政规范性文件": _T19_MADE,
            "行政许可": _T19_ITEMS, "其他对外管理服务事项": _T19_ITEMS, "行政处罚": _T19_ITEMS,
            "行政强制": _T19_ITEMS, "行政事业性收费": _T19_ITEMS[:2],
            "政府集中采购": ("采购项目数量", "采购总金额")},
}
# A label both templates know under different names: the one each template prints.
TABLE2_ALIASES: dict[str, dict[str, str]] = {
    T2019: {"行政规范性文件": "规范性文件", "本年处理决定数量": "处理决定数量"},
    T2021: {"规范性文件": "行政规范性文件", "处理决定数量": "本年处理决定数量"},
}

# --- 表三 收到和处理政府信息公开申请情况 ---------------------------------------------------

TABLE3_COLUMNS: dict[str, tuple[str, ...]] = {
    "自然人": (),
    "商业企业": (),
    "科研机构": (),
    "社会公益组织": (),
    "法律服务机构": (),
    "其他": ("其他组织",),
    "总计": ("合计",),
}
TABLE3_APPLICANTS = tuple(TABLE3_COLUMNS)[:6]
TOTAL = "总计"

# canonical row -> (templates, other wordings, required enumerator or None).
# "group/leaf" rows sit under a row-spanning group label; a group label that carries numbers
# of its own is a subtotal some reports add. In t2019, (六)其他处理 is itself a data row.
TABLE3_ROWS: dict[str, tuple[frozenset[str], tuple[str, ...], str | None]] = {
    "一、本年新收政府信息公开申请数量": (BOTH, ("本年新收政府信息公开申请数", "本年新收政府信息公开申请"), None),
    "二、上年结转政府信息公开申请数量": (BOTH, ("上年结转政府信息公开申请数", "上年结转政府信息公开申请"), None),
    "(一)予以公开": (BOTH, (), None),
    "(二)部分公开": (BOTH, (), None),
    "(三)不予公开": (BOTH, (), None),
    "(三)不予公开/1.属于国家秘密": (BOTH, (), None),
    "(三)不予公开/2.其他法律行政法规禁止公开": (BOTH, (), None),
    "(三)不予公开/3.危及“三安全一稳定”": (BOTH, (), None),
    "(三)不予公开/4.保护第三方合法权益": (BOTH, (), None),
    "(三)不予公开/5.属于三类内部事务信息": (BOTH, (), None),
    "(三)不予公开/6.属于四类过程性信息": (BOTH, (), None),
    "(三)不予公开/7.属于行政执法案卷": (BOTH, (), None),
    "(三)不予公开/8.属于行政查询事项": (BOTH, (), None),
    "(四)无法提供": (BOTH, (), None),
    "(四)无法提供/1.本机关不掌握相关政府信息": (BOTH, (), None),
    "(四)无法提供/2.没有现成信息需要另行制作": (BOTH, (), None),
    "(四)无法提供/3.补正后申请内容仍不明确": (BOTH, (), None),
    "(五)不予处理": (BOTH, (), None),
    "(五)不予处理/1.信访举报投诉类申请": (BOTH, (), None),
    "(五)不予处理/2.重复申请": (BOTH, (), None),
    "(五)不予处理/3.要求提供公开出版物": (BOTH, (), None),
    "(五)不予处理/4.无正当理由大量反复申请": (BOTH, (), None),
    "(五)不予处理/5.要求行政机关确认或重新出具已获取信息": (BOTH, (), None),
    "(六)其他处理": (BOTH, (), None),
    "(六)其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请":
        (ONLY_2021, ("申请人无正当理由逾期不补正行政机关不再处理其申请",), None),
    "(六)其他处理/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请":
        (ONLY_2021, ("申请人逾期未按收费通知要求缴纳费用行政机关不再处理其申请",), None),
    # "其他" alone is too common a word: only "3.其他" (or "其他" under (六)) is this row.
    "(六)其他处理/3.其他": (ONLY_2021, (), "3"),
    "(七)总计": (BOTH, (), None),
    "四、结转下年度继续办理": (BOTH, ("结转下年度继续办理的政府信息公开申请数量",), None),
}
# Labels with no numbers of their own (row-spanning group headers).
TABLE3_HEADINGS: dict[str, tuple[str, ...]] = {"三、本年度办理结果": ("本年度办理结果",)}
TABLE3_NEW, TABLE3_CARRIED = "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"
TABLE3_TOTAL, TABLE3_NEXT = "(七)总计", "四、结转下年度继续办理"
TABLE3_RESULT_GROUPS = ("(一)予以公开", "(二)部分公开", "(三)不予公开", "(四)无法提供", "(五)不予处理",
                        "(六)其他处理")

# --- 表四 行政复议、行政诉讼 ------------------------------------------------------------------

# canonical row (group) -> header wordings that name it
TABLE4_GROUPS: dict[str, tuple[str, ...]] = {
    "行政复议": ("行政复议",),
    "行政诉讼/未经复议直接起诉": ("未经复议直接起诉", "直接起诉"),
    "行政诉讼/复议后起诉": ("复议后起诉",),
}
TABLE4_RESULTS: dict[str, tuple[str, ...]] = {
    "结果维持": ("维持",),
    "结果纠正": ("纠正",),
    "其他结果": (),
    "尚未审结": ("未审结",),
    "总计": ("合计",),
}
TABLE4_VALUES = len(TABLE4_GROUPS) * len(TABLE4_RESULTS)  # one data row of 15

# --- telling the tables apart -------------------------------------------------------------

# Words (as label keys) that mark a block of rows as one of the tables.
TABLE_MARKERS: dict[str, tuple[str, ...]] = {
    "表二": ("信息内容", "第二十条"),
    "表三": ("申请人情况", "自然人", "予以公开", "本年新收"),
    "表四": ("行政复议", "行政诉讼", "结果维持", "结果纠正", "尚未审结"),
}

# --- sections 一…六 --------------------------------------------------------------------------

# A heading line: a Chinese numeral and a separator, then a short title. "第一部分 总体情况" too.
SECTION_HEADING_RE = re.compile(
    r"^\s*(?:第(?P<part>[一二三四五六七八九十]{1,2})部分\s*|(?P<num>[一二三四五六七八九十]{1,2})\s*[、.．,，]\s*)"
    r"(?P<title>\S.*)$"
)
MAX_HEADING_CHARS = 40
# Template sections by number, each with the words its heading contains in real reports
# (official wording, 威海文登 2022 "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
# "政府信息公开工作存在的主要问题及改进情况", legacy "概述"/"依申请公开"/"改进措施").
SECTIONS: dict[int, tuple[str, re.Pattern[str]]] = {
    1: ("总体情况", re.compile(r"总体情况|基本情况|概述|概况")),
    2: ("主动公开政府信息情况", re.compile(r"主动公开")),
    3: ("收到和处理政府信息公开申请情况", re.compile(r"申请")),
    4: ("政府信息公开行政复议、行政诉讼情况", re.compile(r"复议|诉讼")),
    5: ("存在的主要问题及改进情况", re.compile(r"问题|改进")),
    6: ("其他需要报告的事项", re.compile(r"其他")),
}
# Which section holds which table, for the flattened-text fallback.
TABLE_SECTION = {"表二": 2, "表三": 3, "表四": 4}
