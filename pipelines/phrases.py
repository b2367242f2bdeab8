"""Boilerplate phrases of Chinese government pages, as data (one place for every phrase).

Each group says where it was seen. Patterns are matched against one text line at a time after
whitespace normalisation; traditional-script variants are listed beside the simplified ones
because mirror copies and Big5 sites (and converted copies) carry them.
"""

from __future__ import annotations

import re

from pipelines.urls import ATTACHMENT_EXTENSIONS

# Words of article toolbars (print, close, bookmark, back to top, font size), simplified and
# traditional; a line made of nothing else is a toolbar.
_TOOLBAR_WORDS = "|".join((
    "打印本页", "打印本頁", "打印本文", "打印此文", "打印正文", "打印文章", "打印", "我要打印",
    "关闭窗口", "關閉窗口", "关闭本页", "關閉本頁", "关闭", "關閉", "加入收藏", "收藏本页", "收藏本頁",
    "收藏", "返回顶部", "返回頂部", "返回首页", "返回首頁", "返回", "纠错", "糾錯", "我要纠错",
    "分享", r"大\s*中\s*小",
))
_TOOLBAR_ITEM = rf"(?:[【\[(（]\s*)?(?:{_TOOLBAR_WORDS})(?:\s*[\]】)）])?"

# Whole-line boilerplate: a line that matches one of these (search) and is short is dropped.
# Seen on TRS WCM article templates (most provincial sites), Hanweb JCMS templates
# (浙江/江苏/山东), xxgk.jl.gov.cn, bynr.gov.cn, www.gov.cn and the cwce/gne real pages.
LINE_PATTERNS: tuple[str, ...] = (
    # QR-code blocks
    r"[扫掃]一[扫掃].{0,12}(手机|手機|移动端|移動端).{0,8}(打开|打開|查看|浏览|瀏覽)",
    r"^[扫掃]一[扫掃]$",
    r"(手机|手機)(扫码|掃碼|扫描|掃描)",
    r"^(手机|手機|微信)[扫掃]一[扫掃]",
    r"[扫掃](描|码|碼)(二维码|二維碼)?.{0,8}(手机|手機|分享)",
    # font size / print / close / share toolbars
    # "【字体大小：大 中 小】", "文字大小:【大】【中】【小】" on some 区县 templates
    r"(文字|字体|字體|字号|字號)(大小)?\s*[:：]?\s*[\[【]?\s*大\s*[\]】]?\s*[\[【]?\s*中\s*[\]】]?\s*[\[【]?\s*小",
    r"^[【\[]?\s*(文字|字体|字體|字号|字號)(大小)?\s*[:：]",
    r"(打印本页|打印本頁|打印本稿|打印此页|打印文章|打印页面)",
    r"^[【\[]?\s*打印\s*[\]】]?$",
    r"(关闭窗口|關閉窗口|关闭本页|關閉本頁)",
    r"^[【\[]?\s*(关闭|關閉)\s*[\]】]?$",
    r"^(分享到|分享至|分享)\s*[:：]?",
    r"^(收藏|纠错|糾錯|保存|返回顶部|返回頂部|返回)$",
    # a toolbar row made only of such words, bracketed or separated: "【打印】 【关闭】",
    # "[打印] [关闭]" (table portals), "【收藏本页】【打印正文】【返回顶部】" (福建 templates)
    # One item (a word, bracketed or not) after another, separated by spaces and/or a bar;
    # spaces sit inside brackets only when the bracket is there, so a line splits into items
    # one way only. "(\s*[【]?\s*word\s*[】]?\s*[|]?)+" put four "\s*" side by side between
    # items: a 120-character line of "打印 打印 … x" backtracked for minutes.
    rf"^\s*{_TOOLBAR_ITEM}(?:\s*(?:[|｜丨/]\s*)?{_TOOLBAR_ITEM})*\s*[|｜丨/]?$",
    r"(背景颜色|背景顏色)\s*[:：]",
    r"(视力保护色|視力保護色)",
    # counters
    r"(浏览次数|瀏覽次數|浏览量|瀏覽量|点击数|點擊數|点击量|點擊量|访问量|訪問量|访问次数|訪問次數|阅读次数|閱讀次數|"
    r"阅读数|閱讀數|阅读量|閱讀量|累计次数)\s*[:：]",
    r"[【\[]\s*(发表评论|發表評論|我要纠错|我要糾錯)\s*[\]】]",
    # neighbour-article navigation and related lists
    r"^(上一篇|下一篇|上一條|下一條|上一条|下一条|上一篇文章|下一篇文章)\s*[:：]?",
    r"^(相关链接|相關鏈接|相关文章|相關文章|相关解读|相關解讀|相关阅读|相關閱讀|相关新闻|相關新聞|相关附件|政策解读|政策解讀)\s*[:：]?$",
    # breadcrumbs
    r"^(当前位置|當前位置|您的位置|您现在的位置|您現在的位置|你的位置|所在位置)\s*[:：]",
    # footers required by 政府网站发展指引 (国办发〔2017〕47号)
    r"(网站标识码|網站標識碼|网站识别码|網站識別碼)",
    r"ICP\s*(备|備)",
    r"(公网安备|公網安備)",
    r"^(主办单位|主辦單位|承办单位|承辦單位|主办|主辦|承办|承辦|技术支持|技術支持|维护单位|維護單位)\s*[:：]",
    r"(版权所有|版權所有|Copyright|©)",
    # The item after each bar excludes the bars themselves: with "\S" a hostile row of "||||…"
    # could be cut into items in exponentially many ways.
    r"^(网站地图|網站地圖|联系我们|聯繫我們|网站声明|網站聲明|关于我们|關於我們)(\s*[|｜丨]\s*[^\s|｜丨]{2,6})*$",
    r"(建议使用|建議使用).{0,20}(浏览器|瀏覽器|分辨率|解析度)",
    r"^[（(]?(责任编辑|責任編輯|编辑|編輯|校对|校對|审核|審核)\s*[:：].{0,20}$",
    # page-number widgets of split articles: "第 [1] [2] 页 共[4]页"
    r"^第\s*[\[【]?\d+[\]】]?.{0,40}(页|頁)\s*共\s*[\[【]?\d+[\]】]?\s*(页|頁)$",
    # page-number widgets of split articles: "[1] [2] [3]", "上一页 1 2 3 下一页".
    # Written so that a line matches one way only: page numbers as a run of digits and spaces
    # ("上一页12345下一页": links with no space between), spaces on one side of a bracket.
    # "(\s*\[\d\]\s*){2,}" and "(\s*\d{1,3})*" let a 120-character line of "[1] [1] …" or
    # "首页111…1x" be split in exponentially many ways before failing (minutes on one line).
    r"^\s*([\[【]\d{1,3}[\]】]\s*){2,}$",
    r"^(上一页|首页)[\d\s]*(下一页|尾页)$",
    # the same row inside a TRS article cut over pages ("1 2 3 下一页", "上一页 1 2 3"): the
    # first and last page have only one of the words. Spaces only, not tabs: "1\t2\t3" is a
    # table row.
    r"^(首页|上一页)[ \u3000]*\d[\d \u3000]*$",
    r"^\d[\d \u3000]*(下一页|尾页)([ \u3000]*(下一页|尾页))*$",
    # site header rows
    r"^(无障碍|無障礙|长者模式|長者模式|English|繁体|繁體|简体|簡體)(\s*[|｜丨]\s*[^\s|｜丨]{1,8})+$",
    r"^(无障碍浏览|無障礙瀏覽|无障碍阅读|無障礙閱讀)$",
)

# Lines longer than this are never dropped by LINE_PATTERNS alone: a body paragraph that
# happens to mention 打印 or 版权 stays. Footer lines are short; 80 covers
# "主办单位:XX市人民政府办公室 承办:XX市大数据中心 网站标识码4401000001 粤ICP备05012345号".
MAX_BOILERPLATE_LINE = 120



class _LineMatcher:
    """``LINE_PATTERNS`` as two regexes: the ``^``-anchored ones tried once at the line start
    (``match``), the rest searched. One alternation of both made the engine try every anchored
    pattern at every position of every line: a sixth of extraction time in bench/extract.py."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        anchored = [p for p in patterns if p.startswith("^")]
        floating = [p for p in patterns if not p.startswith("^")]
        self._start = re.compile("|".join(f"(?:{p})" for p in anchored), re.IGNORECASE)
        self._anywhere = re.compile("|".join(f"(?:{p})" for p in floating), re.IGNORECASE)

    def search(self, line: str) -> bool:
        if len(line) > MAX_BOILERPLATE_LINE:
            # never dropped by a pattern alone (above), and the floating patterns' "\s*" runs
            # cost time quadratic in a long run of spaces
            return False
        return bool(self._start.match(line) or self._anywhere.search(line))


LINE_RE = _LineMatcher(LINE_PATTERNS)

# Phrases that must never appear in extracted body text (used by tests and the benchmark
# to count leaks). Keep them specific enough not to occur in real report prose.
LEAK_PHRASES: tuple[str, ...] = (
    "扫一扫在手机打开当前页",
    "掃一掃在手機打開當前頁",
    "打印本页",
    "关闭窗口",
    "字体:大",
    "字体：大",
    "分享到",
    "上一篇",
    "下一篇",
    "网站标识码",
    "ICP备",
    "公网安备",
    "当前位置",
    "浏览次数",
    "技术支持:",
    "技术支持：",
)

# Text that marks a tail of the page: everything from a line starting like this to the end
# of the container is chrome (related lists, comment boxes, neighbour links).
TAIL_START_RE = re.compile(
    r"^(相关链接|相關鏈接|相关文章|相關文章|相关解读|相關解讀|相关阅读|相關閱讀|上一篇|下一篇|"
    r"上一條|下一條|上一条|下一条|【发表评论】|扫一扫在手机|掃一掃在手機|"
    # comment boxes under the body (网友留言（2）, 我要留言, 发表评论): 区县 templates with 互动
    r"网友留言|網友留言|我要留言|发表评论|發表評論)"
)

# The list of attached files that closes a body: it belongs to the attachments table, not to
# ``body_text``. A heading line, with or without the first file after it: "附件：", "相关附件：
# 2023年报告.docx" (TRS templates print the attached files under the editor block), "附件下载"
# (Hanweb's /module/download list), "附件1：…" — seen on 区县 portals of every CMS.
ATTACHMENT_LIST_START_RE = re.compile(
    r"^[【\[]?\s*(?:相关附件|相關附件|附件下载|附件下載|附件列表|下载附件|下載附件|附\s*件)\s*"
    r"[0-9一二三四五六七八九十]{0,2}\s*[】\]]?\s*(?:[:：]|$)"
)
# One attached file's line: its name with an extension, maybe numbered ("1. …", "2、…") and
# followed by its size ("(245.3KB)") or a download counter, as the CMS prints it.
ATTACHMENT_LIST_LINE_RE = re.compile(
    r"^\s*(?:[(（]?\d{1,2}[)）.、．]?\s*)?[^\t]{1,120}\.(?:"
    # the attachment endings, and archives and text files that are listed but not read
    + "|".join(re.escape(ending[1:]) for ending in (*ATTACHMENT_EXTENSIONS, ".7z", ".txt")) + ")"
    r"\s*(?:[(（\[【]\s*[\d.]+\s*[KMG]?B?\s*[)）\]】])?\s*(?:下载次数\s*[:：]?\s*\d+)?\s*$",
    re.IGNORECASE,
)
