"""A report's text split into its sections 一…六 (0 = the preamble)."""

from __future__ import annotations

import re

from pipelines import stats_labels as L
from pipelines.stats.normalise import _nfkc, is_value, label_key
from pipelines.stats.results import Section

# --- sections -----------------------------------------------------------------------------


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + L.CN_NUMERALS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return L.CN_NUMERALS[tens] * 10 + (L.CN_NUMERALS[ones] if ones else 0)
    return L.CN_NUMERALS[text]


def _partition_stop(line: str) -> tuple[str, str]:
    m = re.search(r"[。:：;；]", line)
    return (line[: m.start()].strip(), line[m.end():].strip()) if m else (line, "")


def _heading(line: str) -> tuple[int, str, str] | None:
    """(number, heading, text after it on the same line) if ``line`` looks like a section heading."""
    s = line.strip()
    if not s or "\t" in s:
        return None
    tokens = s.split()
    if len(tokens) > 1 and is_value(tokens[-1]):
        return None  # "四、结转下年度继续办理 0 0 0 0 0 0 0": a table row in PDF text
    # "六、其他需要报告的事项:本年度未收取信息处理费。": the heading ends at the first stop.
    heading, rest = _partition_stop(s)
    m = L.SECTION_HEADING_RE.match(_nfkc(heading))
    if not m or len(heading) > L.MAX_HEADING_CHARS or len(label_key(m.group("title"))) < 2:
        return None
    return _cn_number(m.group("part") or m.group("num")), heading, rest


def split_sections(body_text: str, template: str | None, source: str = "html") -> list[Section]:
    """Sections of a report: the preamble as 0, then each heading's own number.

    Template reports (t2019/t2021, or unknown) accept a heading when its number comes later
    than the last one and its words fit that template section (一 总体情况 … 六 其他需要报告的事项);
    legacy reports accept any short heading numbered one more than the last (starting at 一,
    or at 二 when the first heading is missing). Each section records ``source``, the format of
    the text (html, pdf, docx …).

    >>> text = "本报告根据条例编制。\\n一、总体情况\\n正文。\\n二、主动公开政府信息情况\\n四、结转下年度继续办理\\t0"
    >>> [(s.number, s.heading) for s in split_sections(text, "t2021")]
    [(0, None), (1, '一、总体情况'), (2, '二、主动公开政府信息情况')]
    """
    lines = body_text.split("\n")
    found: list[tuple[int, int, str, str]] = []  # line index, number, heading, inline text
    last = 0
    for i, line in enumerate(lines):
        h = _heading(line)
        if h is None:
            continue
        number, heading, rest = h
        if template == L.LEGACY:
            # One more than the last; the first may be 二 when the report opens without a
            # heading (四川省民政厅 2013: intro, then (一)…, then 二、主动公开政府信息情况).
            ok = (number == last + 1 or not found and number == 2) and not heading.endswith(("。", ";"))
        else:
            spec = L.SECTIONS.get(number)
            ok = number > last and spec is not None and bool(spec[1].search(heading))
        if ok:
            found.append((i, number, heading.strip(), rest))
            last = number
    if not found:
        return []
    sections = []
    preamble = "\n".join(ln for ln in lines[: found[0][0]] if ln.strip()).strip()
    if preamble:
        sections.append(Section(0, None, preamble, source))
    for k, (i, number, heading, rest) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(lines)
        text = "\n".join(([rest] if rest else []) + [ln for ln in lines[i + 1 : end] if ln.strip()])
        sections.append(Section(number, heading, text.strip(), source))
    return sections
