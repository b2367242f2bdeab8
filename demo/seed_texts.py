"""The five real seed report texts (``demo/seeds/``) as demo reports: paragraphs without capture
chrome, with the metadata their captures lack."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from demo.texts import Block, ReportText, nfkc, strip_pinyin

# The demo owns its texts: a clone without tests/ can still run `make demo`.
SEED_DIR = Path(__file__).resolve().parent / "seeds"
# Lines that the seed captures carried over from the page chrome (seed 002 ends with them).
SEED_BOILERPLATE_START = ("附件下载", "扫一扫在手机上查看当前页面")

# --------------------------------------------------------------------------------------
# Seeds


@dataclass(frozen=True)
class SeedInfo:
    """What the seed capture does not say in its text, fixed here once for all sites."""

    title: str
    agency: str
    year: int
    published: str
    written: str | None
    script: str


SEED_INFO: dict[int, SeedInfo] = {
    0: SeedInfo("市水利局2014年度政府信息公开工作情况报告", "市水利局", 2014,
                "2015-01-05 09:28", None, "simplified"),
    2: SeedInfo("2014年洪梅镇政府信息公开工作总结", "洪梅镇人民政府", 2014,
                "2014-12-02 10:51", "2014-12-02", "simplified"),
    3: SeedInfo("市發(fā)改委2017年政府信息公開(kāi)工作年度報(bào)告", "市發改委", 2017,
                "2018-01-22 16:05", None, "traditional"),
    4: SeedInfo("四川省民政廳2013年政府信息公開工作年度報告", "四川省民政廳", 2013,
                "2014-03-28 10:12", None, "traditional"),
}


@cache
def _seed_raw(index: int) -> str:
    path = next(SEED_DIR.glob(f"{index:03d}_*.txt"))
    return path.read_text(encoding="utf-8")


def seed_paragraphs(index: int) -> list[str]:
    """The paragraphs of seed ``index`` without capture metadata and trailing page chrome.

    Seed 000 starts with "发布时间:… 信息来源:…", seed 002 with its title and a "时间:" line;
    both lines are dropped (the demo pages show them as page metadata instead).
    """
    # NFKC like everything else here: seed 004 has one stray U+FE52 ("4﹒20") in a date.
    lines = [nfkc(ln).strip() for ln in _seed_raw(index).splitlines()]
    lines = [ln for ln in lines if ln]
    if index == 0 and lines[0].startswith("发布时间"):
        lines = lines[1:]
    if index == 2:
        lines = [ln for ln in lines[1:] if not ln.startswith("时间:")]
        for i, ln in enumerate(lines):
            if ln.startswith(SEED_BOILERPLATE_START):
                lines = lines[:i]
                break
    return lines


def seed_report(index: int) -> ReportText:
    """Seed ``index`` (0, 2, 3 or 4) as a ReportText; seed 003 keeps its pinyin annotations."""
    info = SEED_INFO[index]
    paras = seed_paragraphs(index)
    blocks = []
    for i, p in enumerate(paras):
        kind = "para"
        if index == 2 and i >= len(paras) - 2:
            kind = "sign"  # "洪梅镇人民政府" / "2014年12月2日"
        elif re.match(r"^[一二三四五六七八九十]+、\S{2,20}$", strip_pinyin(p)):
            kind = "heading"
        blocks.append(Block(kind, p))
    written = date.fromisoformat(info.written) if info.written else None
    return ReportText(info.title, info.agency, info.year, "seed", blocks, written, info.script)
