"""Decide whether a fetched page needs a browser, and under which path prefix to remember it (pure core).

Pure core, asked before extraction: :mod:`spiders.column` asks :func:`list_render_reason` after
its plain-HTTP parse of a list page found nothing (no entries, no list adapter), and
:func:`pipelines.reading.read_article_page` asks :func:`article_render_reason` of an article
page's tree before it reads the article from that same tree (in an extraction worker, not the
spider); a reason string means "render this page in the browser", None means the server's HTML
is all there is. The decision is remembered per
(host, kind, :func:`pipelines.urls.path_prefix`) by :mod:`spiders.browser` and the archive's ``render_rules``.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from pipelines.extract import MIN_CONTAINER_CHARS, find_attachments
from pipelines.xpaths import CHROME_TOKENS, CONTENT_XPATHS

# Inline-script calls that write links or text into the page. Seen on 信息公开 columns that keep
# their list in a JS array (document.createElement loops), on article templates that fetch the
# body and set innerHTML / jQuery .html(), and on old templates that document.write their lists.
DOM_WRITE_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("createElement", re.compile(r"""createElement\(\s*["'](?:a|li|tr|td|p|div|span)["']""", re.I)),
    ("innerHTML", re.compile(r"\.innerHTML\s*\+?=")),
    ("insertAdjacentHTML", re.compile(r"insertAdjacentHTML\s*\(")),
    ("document.write", re.compile(r"""document\.write(?:ln)?\s*\(\s*["'][^)]*(?:<a\b|<li\b|<p\b|href)""", re.I)),
    ("jQuery html()", re.compile(r"""\.(?:html|append|prepend)\(\s*[^)\s'"]""")),
)
# Script loaders of content whose endpoint no adapter knows (only a sign together with an
# empty list container).
LOADER_RE = re.compile(r"""\$\.(?:ajax|get|post|getJSON)\s*\(|XMLHttpRequest|\bfetch\s*\(|axios\.""")
# Single-page-app roots: Vue/React mount points left empty by the server, Angular, Nuxt/Next state.
FRAMEWORK_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("empty app root", re.compile(r"""<div\b[^>]*\bid=["'](?:app|root)["'][^>]*>\s*</div>""", re.I)),
    ("ng-app", re.compile(r"""\bng-app\b""")),
    ("Nuxt/Next state", re.compile(r"""__NUXT__|__NEXT_DATA__""")),
)
# A list container the server left empty (<ul id="list"></ul>, <tbody class="news"></tbody>).
EMPTY_LIST_RE = re.compile(
    r"""<(ul|ol|tbody|table|div|dl)\b[^>]*\b(?:id|class)=["'][^"']*(?:list|lb|news|item|con|data|result)"""
    r"""[^"']*["'][^>]*>\s*</\1>""", re.I)
# Chinese characters a page body needs outside chrome before it counts as having content when no
# known container exists.
MIN_PAGE_CHARS = 60
_HAN = re.compile(r"[\u3400-\u9fff]")
_TOKEN_SPLIT = re.compile(r"[^a-z]+")
def _inline_scripts(tree: HtmlElement) -> str:
    return "\n".join(s.text or "" for s in tree.iter("script") if not s.get("src"))


def _dom_write(scripts: str) -> str | None:
    return next((name for name, pattern in DOM_WRITE_RES if pattern.search(scripts)), None)


def list_render_reason(html: str, tree: HtmlElement) -> str | None:
    """Why a list page with no entries (and no adapter) needs the browser, or None.

    Call it only when :func:`spiders.links.find_entries` found nothing: an empty column with
    plain HTML stays an empty column.

    >>> from pipelines.htmltext import parse_html
    >>> page = ('<ul id="list"></ul><script>var a = document.createElement("a");'
    ...         'a.href = "/xxgk/1.html"; document.getElementById("list").appendChild(a);</script>')
    >>> list_render_reason(page, parse_html(page))
    'script-built list (createElement)'
    >>> list_render_reason("<ul><li>暂无信息</li></ul>", parse_html("<ul><li>暂无信息</li></ul>")) is None
    True
    """
    for name, pattern in FRAMEWORK_RES:
        if pattern.search(html):
            return f"script-built list ({name})"
    scripts = _inline_scripts(tree)
    sign = _dom_write(scripts)
    if sign:
        return f"script-built list ({sign})"
    if EMPTY_LIST_RE.search(html) and LOADER_RE.search(scripts):
        return "empty list container filled by a script loader"
    return None


def _han(text: str | None) -> int:
    return len(_HAN.findall(text)) if text else 0


def _is_chrome(el: HtmlElement) -> bool:
    if el.tag in ("nav", "header", "footer", "aside"):
        return True
    words = f"{el.get('class', '')} {el.get('id', '')}".lower()
    return bool(words.strip()) and any(t in CHROME_TOKENS for t in _TOKEN_SPLIT.split(words))


def _content_chars(el: HtmlElement, skip_chrome: bool = False) -> int:
    """Chinese characters in an element, leaving out script/style text (and chrome blocks if asked)."""
    if not isinstance(el.tag, str) or el.tag in ("script", "style") or (skip_chrome and _is_chrome(el)):
        return 0
    return _han(el.text) + sum(_content_chars(child, skip_chrome) + _han(child.tail) for child in el)


def article_render_reason(html: str, tree: HtmlElement | None = None) -> str | None:
    """Why an article page needs the browser (its content is written by a script), or None.

    The content container of a known template is empty (or, with no known container, the page
    outside its chrome has almost no text), there is no attachment link to stand in for a body,
    and an inline script writes into the page. Pages without any such script are never
    rendered: there would be nothing more to see.

    >>> page = ('<div class="TRS_Editor" id="zoom"></div><script>document.getElementById("zoom")'
    ...         '.innerHTML = "<p>2020年政府信息公开工作年度报告正文</p>";</script>')
    >>> article_render_reason(page)
    'empty content container TRS_Editor, filled by script (innerHTML)'
    """
    if tree is None:
        if not any(p.search(html) for _, p in DOM_WRITE_RES) and not LOADER_RE.search(html):
            return None  # the common case: no writing script at all, no parse needed
        from pipelines.htmltext import parse_html

        tree = parse_html(html)
    # Only inline scripts count; searching them, not the whole page, is what keeps this cheap
    # on every article of a crawl (the reader hands over the tree it parsed anyway).
    scripts = _inline_scripts(tree)
    sign = _dom_write(scripts) or ("script loader" if LOADER_RE.search(scripts) else None)
    if sign is None:
        return None
    for name, xpath in CONTENT_XPATHS:
        found = xpath(tree)
        if not found:
            continue
        if any(_content_chars(el) >= MIN_CONTAINER_CHARS or find_attachments(el, "") for el in found):
            return None
        return f"empty content container {name}, filled by script ({sign})"
    body = tree.find("body")
    if body is None or find_attachments(body, ""):
        return None
    chars = _content_chars(body, skip_chrome=True)
    if chars >= MIN_PAGE_CHARS:
        return None
    return f"no content outside page chrome ({chars} characters), filled by script ({sign})"
