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
