"""Read title, dates, agency, 索引号, 发文字号 and report year from a page (pure core).

Every reader returns plain values; :func:`pipelines.extract.extract_article` decides the order
of trust between them and records which source won.
"""

from __future__ import annotations

import datetime as dt
import re

from pipelines.patterns import (
    AGENCY_END_RE,
    AGENCY_SUFFIX_RE,
    BODY_YEAR_LAW_RE,
    BODY_YEAR_RE,
    CN_DATE_RE,
    CN_DIGITS,
    CN_YEAR_RE,
    DATE_RE,
    DATELINE_RE,
    DOC_NUMBER_RE,
    GENERIC_AGENCY_WORDS,
    INDEX_NO_RE,
    INLINE_LABEL_RE,
    LABEL_TO_FIELD,
    MEDIA_SOURCE_RE,
    NOT_AGENCY_RE,
    PERIOD_YEAR_RE,
    PLACEHOLDER_VALUE_RE,
    TITLE_AGENCY_END_RE,
    TITLE_LEADING_YEAR_RE,
    YEAR_IN_TITLE_RE,
)
from pipelines.urls import URL_DATE_RES

_LABEL_CLEAN = re.compile(r"[\s\u3000\xa0:：]+")
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|--|—|－|-{1,2}|::)\s*")


def parse_date(text: str | None) -> str | None:
    """First plausible date in ``text`` as ``YYYY-MM-DD``.

    >>> parse_date("发布时间:2015-01-05 09:28"), parse_date("二〇一五年一月五日")
    ('2015-01-05', '2015-01-05')
    """
    if not text:
        return None
    for match in DATE_RE.finditer(text):
        found = _valid_date(*(int(g) for g in match.groups()))
        if found:
            return found
    match = CN_DATE_RE.search(text)
    if match:
        year = int("".join(str(CN_DIGITS[c]) for c in match.group(1)))
        return _valid_date(year, _cn_number(match.group(2)), _cn_number(match.group(3)))
    return None


def _cn_number(s: str) -> int:
    # 一..九, 十, 十一..十九, 二十..三十一
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_DIGITS[s[1]]
    if s.endswith("十"):
        return CN_DIGITS[s[0]] * 10
    if "十" in s:
        return CN_DIGITS[s[0]] * 10 + CN_DIGITS[s[-1]]
    return CN_DIGITS.get(s, 0)


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    if not 1990 <= year <= dt.date.today().year + 1:
        return None
    return value.isoformat()


def url_date(url: str) -> str | None:
    """Date encoded in a CMS article URL (TRS ``t20240122_``, Hanweb ``/art/2021/1/28/``)."""
    for pattern in URL_DATE_RES:
        match = pattern.search(url)
        if match:
            return _valid_date(*(int(g) for g in match.groups()))
    return None


def normalize_label(label: str) -> str:
    """Label with padding and colons removed: "索  引 号：" -> "索引号"."""
    return _LABEL_CLEAN.sub("", label)


def is_placeholder(value: str | None) -> bool:
    """True for a labelled value that stands for no value: "(见标题)", "详见正文", "见附件",
    "无", "—", "/" or nothing at all.

    >>> is_placeholder("（见标题）"), is_placeholder("详见附件"), is_placeholder("江州市水利局")
    (True, True, False)
    """
    return value is None or bool(PLACEHOLDER_VALUE_RE.match(value))


def has_labels(line: str) -> bool:
    """Whether a line carries a metadata label, whatever its value ("名称：（见标题）" does)."""
    return bool(INLINE_LABEL_RE.search(line)) or any(
        normalize_label(cell) in LABEL_TO_FIELD for cell in line.split("\t"))


def labelled_fields(lines: list[str], labels: dict[str, str] | None = None) -> dict[str, str]:
    """Values of known metadata labels in text lines, first occurrence of each field wins.

    Lines come from :func:`pipelines.htmltext.element_lines`, so a metadata table row reads
    ``"索  引 号:\\t000014349/2017-00110\\t主题分类:\\t综合政务"`` and a line under a title
    reads ``"发布时间:2015-01-05 09:28 信息来源:市水利局"``; both are understood. A placeholder
    (``名称:(见标题)``, ``文号:无``) is no value: a later label of the same field may still give
    one, else the field is missing and its caller falls back (heading, list title, file title).
    ``labels``, when given, receives the label each value was read under (``publish_date`` →
    ``发布日期``), so a caller can tell a visible 发布日期 from a bare 日期.
    """
    found: dict[str, str] = {}

    def keep(field: str, label: str, value: str) -> None:
        if field not in found and not is_placeholder(value):
            found[field] = value
            if labels is not None:
                labels[field] = label

    for line in lines:
        if len(line) > 300:
            continue
        cells = line.split("\t")
        i = 0
        while i < len(cells):
            label = normalize_label(cells[i])
            field = LABEL_TO_FIELD.get(label)
            if field and i + 1 < len(cells):
                value = cells[i + 1].strip()
                if normalize_label(value) not in LABEL_TO_FIELD:
                    keep(field, label, value)
                i += 2
                continue
            for key, label, value in _inline_pairs(cells[i]):
                keep(key, label, value)
            i += 1
    return found


def _inline_pairs(text: str) -> list[tuple[str, str, str]]:
    """``"发布时间:2015-01-05 09:28 信息来源:市水利局"`` -> [(publish_date, 发布时间, …), (agency, 信息来源, …)]."""
    matches = list(INLINE_LABEL_RE.finditer(text))
    pairs = []
    for n, match in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        value = text[match.end():end].strip(" \u3000|｜【】[]")
        if value:
            label = normalize_label(match.group(1))
            pairs.append((LABEL_TO_FIELD[label], label, value))
    return pairs


def clean_agency(value: str | None) -> str | None:
    """An agency name from a labelled value, or None when the value names no agency.

    "本网"/"原创" name the website and "XX日报"/"人民网" the medium the text ran in; a date after
    the name is cut off. Agencies issuing one report jointly are all kept, joined by "、":

    >>> clean_agency("中共XX市委办公室  XX市人民政府办公室"), clean_agency("巴彦淖尔日报")
    ('中共XX市委办公室、XX市人民政府办公室', None)
    """
    if not value:
        return None
    joint = _joint_agencies(value)
    if joint:
        return joint
    value = AGENCY_END_RE.split(value)[0].strip()
    value = value.strip(" :：　")
    if (not value or NOT_AGENCY_RE.match(value) or MEDIA_SOURCE_RE.search(value) or len(value) > 40
            or DATE_RE.search(value)):
        return None
    return value


def _joint_agencies(value: str) -> str | None:
    """"中共XX市委办公室 XX市人民政府办公室" -> both joined by "、"; None unless two or more lead."""
    names = []
    for word in re.split(r"[\s\u3000、,，]+", value.strip()):
        if not _is_agency_line(word) or MEDIA_SOURCE_RE.search(word):
            break
        names.append(word)
    return "、".join(names) if len(names) >= 2 else None


def clean_index_no(value: str | None) -> str | None:
    if not value:
        return None
    match = INDEX_NO_RE.search(value)
    return re.sub(r"\s+", "", match.group(0)) if match else value.split()[0][:60]


def clean_doc_number(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if is_placeholder(value):
        return None
    match = DOC_NUMBER_RE.search(value)
    return match.group(0) if match else value[:60]


def title_from_head(head_title: str | None, site_name: str | None = None) -> str | None:
    """The article part of a ``<title>`` like "2019年政府信息公开工作年度报告_XX市人民政府"."""
    if not head_title:
        return None
    parts = [p for p in _TITLE_SEPARATORS.split(head_title.strip()) if p]
    if site_name:
        parts = [p for p in parts if p != site_name] or parts
    return max(parts, key=len) if parts else None


def signature(lines: list[str]) -> tuple[str | None, str | None]:
    """Agency and date of the signature block closing a report ("XX市水利局" / "2015年1月5日").

    Looks at the last lines only; an agency line must end like an agency name. Two agency lines
    above the date (a joint report of 中共XX市委办公室 and XX市人民政府办公室) are both kept, joined
    by "、"; a name and a date on one line ("XX区人民政府办公室 2022年1月20日") are split.
    """
    tail = [line.strip() for line in lines[-4:]]
    for i in range(len(tail) - 1, -1, -1):
        line = tail[i]
        date = parse_date(line) if len(line) <= 48 and not re.search(r"[，。；]", line) else None
        if not date:
            continue
        match = DATE_RE.search(line) or CN_DATE_RE.search(line)
        lead = line[: match.start()].strip() if match else ""
        if lead and _is_agency_line(lead):
            return lead, date
        if len(line) > 20:
            # a long line is a signature only with a name before its date; else it is prose
            continue
        names: list[str] = []
        for prev in reversed(tail[:i]):
            if len(names) == 2 or not _is_agency_line(prev):
                break
            names.insert(0, prev)
        return ("、".join(names) or None), date
    return None, None


def _is_agency_line(line: str) -> bool:
    return (0 < len(line) <= 30 and bool(AGENCY_SUFFIX_RE.search(line))
            and not re.search(r"[，。；：:]", line))


def agency_from_title(title: str | None) -> str | None:
    """The agency naming itself in a report title, before the year or the disclosure phrase.

    >>> agency_from_title("市發改委2017年政府信息公開工作年度報告"), agency_from_title("2021年度XX镇政府信息公开年报")
    ('市發改委', 'XX镇')
    """
    text = TITLE_LEADING_YEAR_RE.sub("", (title or "").strip(), count=1)
    text = re.sub(r"^(关于|關於)", "", text)
    # The first boundary that leaves a name wins: in "XX市人民政府信息公开…" the split after 人民
    # (before "政府信息公开") leaves no agency, the one after 政府 (before "信息公开") does.
    for boundary in TITLE_AGENCY_END_RE.finditer(text, 2, 31):
        name = text[: boundary.start()].strip()
        if name not in GENERIC_AGENCY_WORDS and AGENCY_SUFFIX_RE.search(name):
            return name
    return None


def dateline(lines: list[str]) -> str | None:
    """Date of the first short line that pairs a date with a source/time label."""
    for line in lines:
        if len(line) <= 100 and DATELINE_RE.search(line):
            found = parse_date(line)
            if found:
                return found
    return None


def report_year(title: str | None, body: str, publish_date: str | None) -> tuple[int | None, str]:
    """The year a report covers and where it was read from.

    "2014年度…报告" published in January 2015 covers 2014; a title without a year falls back to
    the template's statistical period, then to the body's first "YYYY年…政府信息公开" phrase.
    When the title and the statistical period disagree, the publish date decides: a title
    naming the year of publication ("2022年…年度报告" published 2022-01 with 统计期限为2021年…)
    loses to the period, a period copied from last year's report loses to the title.

    >>> report_year("政府信息公开工作年度报告", "本报告统计期限自2021年1月1日起至2021年12月31日止", None)
    (2021, 'period')
    """
    head = body[:1500]
    period = _period_year(head)
    expected = _year_covered_when_published(publish_date)
    if title:
        year = _title_year(title)
        if year is not None:
            if period is not None and period != year and period == expected:
                return period, "period"
            return year, "title"
    if period is not None:
        return period, "period"
    for match in BODY_YEAR_RE.finditer(head):
        if match.group(3) or BODY_YEAR_LAW_RE.match(match.group(2)):
            continue  # the year of the 条例 or its revision, not of the work reported
        return int(match.group(1)), "body"
    if expected is not None:
        return expected, "publish_date"
    return None, "none"


def _title_year(title: str) -> int | None:
    years = [int(y) for y in YEAR_IN_TITLE_RE.findall(title)]
    years = [y for y in years if 1990 <= y <= dt.date.today().year]
    if years:
        return years[0]
    match = CN_YEAR_RE.search(title)
    if match and all(c in CN_DIGITS for c in match.group(1)):
        return int("".join(str(CN_DIGITS[c]) for c in match.group(1)))
    return None


def _period_year(text: str) -> int | None:
    # every wording starts with 统计/統計; checking for it first spares most pages the regex scan
    if "统计" not in text and "統計" not in text:
        return None
    match = PERIOD_YEAR_RE.search(text)
    return int(match.group(1) or match.group(2)) if match else None


def _year_covered_when_published(publish_date: str | None) -> int | None:
    """The year a report published on ``publish_date`` most likely covers.

    A year's statistics run to 31 December, so a report out before November covers the year
    before, whether on time (31 January / 31 March, 条例 art. 49) or late (a 2016 report first
    put online in September 2017). Only year-end 工作总结 come out in November or December.
    """
    if not publish_date:
        return None
    year, month = int(publish_date[:4]), int(publish_date[5:7])
    return year - 1 if month <= 10 else year
