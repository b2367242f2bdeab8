"""Tell an annual disclosure report from the other documents of a disclosure column (pure core).

Columns named 政府信息公开年报 also hold the 指南, the 目录, and notices asking departments to
submit their reports ("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知"); only real
reports go into the ``reports`` table.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.patterns import (
    COMBINED_TITLE_REST_RE,
    DERIVED_TITLE_PREFIX_RE,
    DOC_KINDS,
    GOV_DISCLOSURE_RE,
    NOT_REPORT_TITLE_RE,
    OTHER_REGIME_RE,
    REPORT_OPENING_RE,
    REPORT_TITLE_RE,
    TRANSMITTAL_TITLE_RE,
)

ANNUAL_REPORT = "annual_report"
# A disclosure report under another regime (环境信息公开, 党务公开, a university's 学年 report):
# kept with its kind, out of the ``reports`` table and its 条例 templates.
OTHER_DISCLOSURE_REPORT = "other_disclosure_report"


@dataclass(frozen=True)
class Classification:
    """``doc_type`` is ``annual_report`` or the kind of other document; ``reason`` says why."""

    doc_type: str
    reason: str

    @property
    def is_report(self) -> bool:
        return self.doc_type == ANNUAL_REPORT


def _other_kind(*texts: str) -> str:
    """The kind named first in the first text that names one (see ``DOC_KINDS``)."""
    for text in texts:
        for kind, words in DOC_KINDS:
            if any(word in text for word in words):
                return kind
    return "other"


def classify(title: str | None, body: str) -> Classification:
    """Classify an article by its title, falling back to its opening sentences.

    >>> classify("XX市水利局2014年政府信息公开工作年度报告", "").doc_type
    'annual_report'
    >>> classify("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", "").doc_type
    'notice'
    >>> classify("一图读懂XX市2021年政府信息公开工作年度报告", "").doc_type
    'infographic'
    """
    title = (title or "").strip()
    if title:
        report = REPORT_TITLE_RE.search(title)
        if report:
            before, rest = title[: report.start()], title[report.end():]
            if OTHER_REGIME_RE.search(title[: report.end()]) and not GOV_DISCLOSURE_RE.search(title):
                return Classification(OTHER_DISCLOSURE_REPORT, "title names another disclosure regime")
            if COMBINED_TITLE_REST_RE.match(rest):
                return Classification(ANNUAL_REPORT, "title (report with next year's plan)")
            # A notice, interpretation or infographic *about* a report names the report too: the
            # words around the report phrase say which ("…年度报告的通知", "一图读懂…年度报告",
            # "…工作第三方评估报告").
            if DERIVED_TITLE_PREFIX_RE.search(before) or NOT_REPORT_TITLE_RE.search(title[report.start():]):
                if TRANSMITTAL_TITLE_RE.search(before) and REPORT_OPENING_RE.search(body[:800]):
                    return Classification(ANNUAL_REPORT, "notice issuing the report it carries")
                return Classification(_other_kind(rest, title), "title names a document about reports")
            return Classification(ANNUAL_REPORT, "title")
        if NOT_REPORT_TITLE_RE.search(title):
            return Classification(_other_kind(title), "title")
    if REPORT_OPENING_RE.search(body[:800]):
        return Classification(ANNUAL_REPORT, "opening sentence")
    return Classification("other", "no report marker")


def classify_page(title: str | None, body: str, list_title: str | None = None,
                  file_titles: list[str] | tuple[str, ...] = ()) -> Classification:
    """Classify a page from everything that names it: its title, then the list's title for it,
    then the titles of the files it points to.

    A page that only points to its report ("现将…年度报告予以公布，全文见附件") has no report
    marker in its text and, on portals whose heading is generic ("信息公开", "通知公告"), none in
    its title either; the column list and the attached file's name still say what it is. The
    later sources are asked only when the earlier ones name no document at all: a page whose
    own title names a 指南 or a notice stays one. ``file_titles`` are given by the caller only
    for a stub page (pipelines.extract decides), so a news item attaching last year's report is
    no report.

    >>> classify_page("信息公开", "现将我局年度报告予以公布，全文见附件。", None,
    ...               ["2023年政府信息公开工作年度报告"]).reason
    'attachment title'
    """
    first = classify(title, body)
    if first.is_report or first.reason != "no report marker":
        return first
    if list_title and list_title.strip() != (title or "").strip():
        by_list = classify(list_title, "")
        if by_list.is_report:
            return Classification(ANNUAL_REPORT, "list title")
    for name in file_titles:
        if name and classify(name, "").is_report:
            return Classification(ANNUAL_REPORT, "attachment title")
    return first


def file_title_line(text: str) -> str | None:
    """The first short non-empty line of a file's text: where a report file states its title."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) <= 80 else None
    return None


def file_reads_as_report(text: str) -> bool:
    """Whether a file's text is an annual report: its title line, else its opening, says so.

    >>> file_reads_as_report("江州市水利局2022年政府信息公开工作年度报告\\n一、总体情况")
    True
    """
    return classify(file_title_line(text or ""), text or "").is_report
