"""The files an article page links, for the spider to fetch (pure core).

Read by :func:`pipelines.reading.read_article_page` from the same tree the article is read from;
:mod:`spiders.links` shares :func:`in_list_chrome` for the entries of list pages.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from pipelines.extract import FILE_LINK_TAGS, document_base, find_attachments
from pipelines.xpaths import LIST_CHROME_TOKENS

_TOKEN_SPLIT = re.compile(r"[^a-z]+")


def in_list_chrome(el: HtmlElement) -> bool:
    """Whether ``el`` sits in a page's navigation, header, footer or sidebar (its ancestors' tags
    and class/id tokens, :data:`pipelines.xpaths.LIST_CHROME_TOKENS`)."""
    for node in el.iterancestors():
        if node.tag in ("nav", "header", "footer", "aside"):
            return True
        words = f"{node.get('class', '')} {node.get('id', '')}".lower()
        if words.strip() and any(t in LIST_CHROME_TOKENS for t in _TOKEN_SPLIT.split(words)):
            return True
    return False


def page_attachments(tree: HtmlElement, page_url: str, base: str | None = None) -> list[dict[str, str]]:
    """Attachment files linked from an article page outside its navigation/header/footer blocks.

    TRS pages list a report's files in an "附件" block after the content container, so the
    whole page is searched; files shown in an ``<iframe>``/``<embed>``/``<object>`` viewer count
    too. Same host only (the crawl never leaves the column's host). ``base`` is the page's
    :func:`pipelines.extract.document_base` when the caller has it already.

    >>> from pipelines.htmltext import parse_html
    >>> page_attachments(parse_html('<div id="zoom"><a href="/f/2019年报.pdf">2019年报</a></div>'
    ...                             '<div class="footer"><a href="/f/guide.pdf">指南</a></div>'),
    ...                  "http://x.gov.cn/xxgk/nb/t1.html")
    [{'url': 'http://x.gov.cn/f/2019年报.pdf', 'text': '2019年报'}]
    """
    host = urlsplit(page_url).hostname
    base = document_base(tree, page_url) if base is None else base
    found: dict[str, dict[str, str]] = {}
    for a in tree.iter(*FILE_LINK_TAGS):
        # the link itself, if it is an attachment; the ancestry walk only for those few
        for link in find_attachments(a, base):
            if urlsplit(link.url).hostname == host and not in_list_chrome(a):
                found.setdefault(link.url, {"url": link.url, "text": link.text})
    return list(found.values())
