"""Recognise anti-bot challenge pages: the script a WAF answers with instead of the page (pure core).

Many provincial and city portals sit behind a JavaScript gateway (瑞数 Rivers Security, 加速乐
Jiasule, 云锁 Yunsuo, 安全狗 Safedog, …): a client without the gateway's cookie gets a short page,
often with HTTP 412, 521 or 202, whose script computes the cookie and reloads. A plain HTTP
client never gets further; a browser does. :func:`challenge_reason` says when a response is
such a page, so the spider renders it once and shares the browser's cookies with plain HTTP
(see :mod:`spiders.column` and :mod:`spiders.browser`).
"""

from __future__ import annotations

import re

# Statuses gateways answer a challenge with (a 200 counts only with a vendor's own mark).
CHALLENGE_STATUSES: tuple[int, ...] = (202, 403, 412, 429, 503, 521)
# Vendor marks: any one of these in a short page is a challenge, whatever the status.
VENDOR_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("瑞数 ($_ts)", re.compile(r"\$_ts\s*[=.\[]")),
    ("加速乐 (__jsl_clearance)", re.compile(r"__jsl_clearance")),
    ("云锁 (yunsuo_session_verify)", re.compile(r"yunsuo_session_verify|security_verify_data")),
    ("安全狗 (safedog)", re.compile(r"safedog|WAF_(?:COOKIE|cookie)")),
)
# The generic shape: a script that sets a cookie and then reloads or redirects the page.
SETS_COOKIE = re.compile(r"document\.cookie\s*=")
RELOADS = re.compile(r"location\.(?:reload|replace|assign)\s*\(|location(?:\.href)?\s*=")
# A challenge page is small and has (almost) no text of its own; a real page that happens to
# set a cookie in a script has its content.
MAX_CHALLENGE_BYTES = 64 * 1024
MAX_CHALLENGE_HAN = 30
_HAN = re.compile(r"[\u3400-\u9fff]")
_SCRIPT = re.compile(r"<script\b.*?</script>|<style\b.*?</style>", re.I | re.S)


def challenge_reason(status: int, text: str) -> str | None:
    """Why a response is an anti-bot challenge rather than the page asked for, or None.

    >>> challenge_reason(412, "<script>var $_ts=window['$_ts'];</script>")
    'anti-bot challenge: 瑞数 ($_ts), HTTP 412'
    >>> challenge_reason(521, "<script>document.cookie='a=1';location.href=location.pathname</script>")
    'anti-bot challenge: a script sets a cookie and reloads, HTTP 521'
    >>> challenge_reason(200, "<p>2021年政府信息公开工作年度报告</p>") is None
    True
    """
    if len(text) > MAX_CHALLENGE_BYTES:
        return None
    if len(_HAN.findall(_SCRIPT.sub("", text))) > MAX_CHALLENGE_HAN:
        return None
    vendor = next((name for name, pattern in VENDOR_MARKS if pattern.search(text)), None)
    if vendor:
        return f"anti-bot challenge: {vendor}, HTTP {status}"
    if status in CHALLENGE_STATUSES and SETS_COOKIE.search(text) and RELOADS.search(text):
        return f"anti-bot challenge: a script sets a cookie and reloads, HTTP {status}"
    return None
