"""Read title, dates, agency, 索引号, 发文字号 and report year from a page (pure core).

Every reader returns plain values; :func:`pipelines.extract.extract_article` decides the order
of trust between them and records which source won.
"""

from __future__ import annotations

import datetime as dt
import re

from pipelines.patterns import (
    BODY_YEAR_RE,
    CN_DATE_RE,
    CN_DIGITS,
    CN_YEAR_RE,
    DATE_RE,
    DATELINE_RE,
    DOC_NUMBER_RE,
    INDEX_NO_RE,
    INLINE_LABEL_RE,
    LABEL_TO_FIELD,
    PERIOD_YEAR_RE,
    URL_DATE_RES,
    YEAR_IN_TITLE_RE,
)

_LABEL_CLEAN = re.compile(r"[\s\u3000\xa0:：]+")
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|--|—|－|-{1,2}|::)\s*")
# 来源 values that name the website rather than an agency.
_NOT_AGENCY = re.compile(r"^(本网|本站|原创|网站|本网站|互联网|网络|未知|无|null|none)$", re.I)
# Where an agency value ends when a template runs several labels together on one line.
_AGENCY_END = re.compile(
    r"\s+(?=\S*[:：])|\s{2,}|[|｜【\[]|(?:浏览|点击|字体|作者|编辑|责任编辑|发布时间|时间|日期)[:：]"
)
_AGENCY_SUFFIX = re.compile(
    r"(人民政府|政府办公室|办公厅|办公室|委员会|局|厅|委|办|署|院|会|中心|部|处|所|站|政府|法院|检察院|"
    r"人民政府[\u4e00-\u9fff]{0,6}|街道办事处|管理委员会|管委会|公司|镇|乡|街道|"
    r"廳|會|處|辦|縣|鎮|鄉|區|局|政府|辦公室|委員會)$"
)


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


def labelled_fields(lines: list[str]) -> dict[str, str]:
    """Values of known metadata labels in text lines, first occurrence of each field wins.

    Lines come from :func:`pipelines.htmltext.element_lines`, so a metadata table row reads
    ``"索  引 号:\\t000014349/2017-00110\\t主题分类:\\t综合政务"`` and a line under a title
    reads ``"发布时间:2015-01-05 09:28 信息来源:市水利局"``; both are understood.
    """
    found: dict[str, str] = {}
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
                if value and normalize_label(value) not in LABEL_TO_FIELD:
                    found.setdefault(field, value)
                i += 2
                continue
            for key, value in _inline_pairs(cells[i]):
                found.setdefault(key, value)
            i += 1
    return found


def _inline_pairs(text: str) -> list[tuple[str, str]]:
    """``"发布时间:2015-01-05 09:28 信息来源:市水利局"`` -> [(publish_date, …), (agency, …)]."""
    matches = list(INLINE_LABEL_RE.finditer(text))
    pairs = []
    for n, match in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        value = text[match.end():end].strip(" \u3000|｜【】[]")
        if value:
            pairs.append((LABEL_TO_FIELD[normalize_label(match.group(1))], value))
    return pairs


def clean_agency(value: str | None) -> str | None:
    """An agency name from a labelled value, or None for "本网"/"原创" and the like."""
    if not value:
        return None
    value = _AGENCY_END.split(value)[0].strip()
    value = value.strip(" :：　")
    if not value or _NOT_AGENCY.match(value) or len(value) > 40 or DATE_RE.search(value):
        return None
    return value


def clean_index_no(value: str | None) -> str | None:
    if not value:
        return None
    match = INDEX_NO_RE.search(value)
    return re.sub(r"\s+", "", match.group(0)) if match else value.split()[0][:60]


def clean_doc_number(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value in ("无", "-", "/", "—"):
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

    Looks at the last lines only; the agency line must end like an agency name.
    """
    tail = lines[-4:]
    for i in range(len(tail) - 1, -1, -1):
        line = tail[i].strip()
        if len(line) <= 20 and parse_date(line) and not re.search(r"[，。；]", line):
            date = parse_date(line)
            agency = None
            if i > 0:
                prev = tail[i - 1].strip()
                if len(prev) <= 30 and _AGENCY_SUFFIX.search(prev) and not re.search(r"[，。；：:]", prev):
                    agency = prev
            return agency, date
    return None, None


_TITLE_AGENCY = re.compile(r"^(?:关于|關於)?(.{2,30}?)\s*(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年")


def agency_from_title(title: str | None) -> str | None:
    """The agency naming itself before the year: "市發改委2017年…年度報告" -> "市發改委"."""
    match = _TITLE_AGENCY.match(title or "")
    if match and _AGENCY_SUFFIX.search(match.group(1)):
        return match.group(1)
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
    """
    if title:
        years = [int(y) for y in YEAR_IN_TITLE_RE.findall(title)]
        years = [y for y in years if 1990 <= y <= dt.date.today().year]
        if years:
            return years[0], "title"
        match = CN_YEAR_RE.search(title)
        if match and all(c in CN_DIGITS for c in match.group(1)):
            return int("".join(str(CN_DIGITS[c]) for c in match.group(1))), "title"
    head = body[:1500]
    match = PERIOD_YEAR_RE.search(head)
    if match:
        return int(match.group(1)), "period"
    match = BODY_YEAR_RE.search(head)
    if match:
        return int(match.group(1)), "body"
    if publish_date:
        # Reports are due by 31 January (departments) or 31 March (governments) of the next
        # year (条例 art. 49), so one published in the first half covers the year before.
        year, month = int(publish_date[:4]), int(publish_date[5:7])
        return (year - 1 if month <= 6 else year), "publish_date"
    return None, "none"
