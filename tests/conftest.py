"""Shared test helpers: fixture paths, a char-F1 metric, and builders of small gov pages."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import settings

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"


def char_f1(got: str, gold: str) -> float:
    """F1 of character bigrams, whitespace ignored (the metric bench/extract.py reports)."""
    a, b = re.sub(r"\s+", "", got), re.sub(r"\s+", "", gold)
    ca = Counter(a[i : i + 2] for i in range(len(a) - 1))
    cb = Counter(b[i : i + 2] for i in range(len(b) - 1))
    tp = sum((ca & cb).values())
    if not tp:
        return 0.0
    p, r = tp / sum(ca.values()), tp / sum(cb.values())
    return 2 * p * r / (p + r)


def gov_page(body: str, *, title: str = "XX市2019年政府信息公开工作年度报告", head: str = "",
             container: str = '<div class="TRS_Editor">{body}</div>', meta: str = "",
             chrome: bool = True) -> str:
    """A government article page: header chrome, a title, a content block, footer chrome."""
    top = bottom = ""
    if chrome:
        top = (
            '<div class="top">无障碍 | 长者模式 | English</div>'
            '<div class="nav"><a href="/">网站首页</a><a href="/zwgk/">政务公开</a></div>'
            '<div class="position">当前位置:<a href="/">首页</a> &gt; 政务公开 &gt; 政府信息公开年报</div>'
        )
        bottom = (
            '<div class="tools">【字体:<a>大</a> <a>中</a> <a>小</a>】 <a>打印本页</a> <a>关闭窗口</a></div>'
            '<div class="qr">扫一扫在手机打开当前页</div>'
            '<div class="fx">分享到: <a>微信</a> <a>微博</a></div>'
            '<p>上一篇:<a href="/a.html">关于某某工作的通知</a></p>'
            '<p>下一篇:<a href="/b.html">政府信息公开指南</a></p>'
            '<div class="footer">主办单位:XX市人民政府办公室 技术支持:XX市大数据中心<br>'
            "网站标识码:4401000001 粤ICP备05012345号 粤公网安备 44010402000123号</div>"
        )
    return (
        f"<html><head><meta charset='utf-8'><title>{title}_XX市人民政府</title>{meta}{head}</head>"
        f"<body>{top}<h1>{title}</h1>{container.format(body=body)}{bottom}</body></html>"
    )


@pytest.fixture
def shared_realpages() -> Path:
    if not SHARED_REALPAGES.is_dir():
        pytest.skip("../shared/realpages is not present (GPL pages are not copied into the repo)")
    return SHARED_REALPAGES


# Property-based tests (tests/test_corrupt_input.py): few examples by default so the suite stays
# fast on two cores; HYPOTHESIS_PROFILE=thorough runs many more. No deadline: a loaded machine
# is slow, and the tests bound what matters (exceptions, text kept) themselves.
settings.register_profile("gongkai", max_examples=25, deadline=None, derandomize=True)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gongkai"))
