"""Tell an annual disclosure report from the other documents of a disclosure column (pure core).

Columns named 政府信息公开年报 also hold the 指南, the 目录, and notices asking departments to
submit their reports ("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知"); only real
reports go into the ``reports`` table.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.patterns import NOT_REPORT_TITLE_RE, REPORT_OPENING_RE, REPORT_TITLE_RE

ANNUAL_REPORT = "annual_report"


@dataclass(frozen=True)
class Classification:
    """``doc_type`` is ``annual_report`` or the kind of other document; ``reason`` says why."""

    doc_type: str
    reason: str

    @property
    def is_report(self) -> bool:
        return self.doc_type == ANNUAL_REPORT


_OTHER_KINDS = (
    ("指南", "guide"), ("目录", "catalogue"), ("目錄", "catalogue"), ("通知", "notice"),
    ("通告", "notice"), ("公告", "notice"), ("制度", "rules"), ("规定", "rules"), ("办法", "rules"),
    ("申请表", "form"), ("解读", "interpretation"),
)


def _other_kind(title: str) -> str:
    for word, kind in _OTHER_KINDS:
        if word in title:
            return kind
    return "other"


def classify(title: str | None, body: str) -> Classification:
    """Classify an article by its title, falling back to its opening sentences.

    >>> classify("XX市水利局2014年政府信息公开工作年度报告", "").doc_type
    'annual_report'
    >>> classify("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", "").doc_type
    'notice'
    """
    title = (title or "").strip()
    if title:
        # A notice *about* reports names the report in its title too, so the not-a-report
        # words are checked on the part after the report phrase: "…年度报告的通知".
        report = REPORT_TITLE_RE.search(title)
        if report:
            rest = title[report.end():]
            before = title[: report.start()]
            if NOT_REPORT_TITLE_RE.search(rest) or before.startswith("关于"):
                return Classification(_other_kind(rest or title), "title names a document about reports")
            return Classification(ANNUAL_REPORT, "title")
        if NOT_REPORT_TITLE_RE.search(title):
            return Classification(_other_kind(title), "title")
    if REPORT_OPENING_RE.search(body[:800]):
        return Classification(ANNUAL_REPORT, "opening sentence")
    return Classification("other", "no report marker")
