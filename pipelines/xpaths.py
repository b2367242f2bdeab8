"""CSS/XPath selectors for government CMS templates, as data, compiled once at import.

Content containers are tried in order; each group says which CMS or site forced it.
"""

from __future__ import annotations

from lxml.etree import XPath

# Content containers, most specific first, as (name recorded in the archive, XPath).
CONTENT_XPATHS: tuple[tuple[str, XPath], ...] = tuple(
    (name, XPath(expr))
    for name, expr in (
        # TRS WCM (拓尔思): most provincial and municipal portals; often nested in each other
        ("TRS_Editor", '//div[contains(concat(" ", normalize-space(@class), " "), " TRS_Editor ")]'),
        ("TRS_UEDITOR", '//div[contains(@class, "TRS_UEDITOR")]'),
        ("Custom_UnionStyle",
         '//div[contains(concat(" ", normalize-space(@class), " "), " Custom_UnionStyle ")]'),
        # Hanweb JCMS (大汉): body in #zoom; UCAP (开普) portals such as www.gov.cn
        ("#zoom", '//*[@id="zoom"]'),
        ("#UCAP-CONTENT", '//*[@id="UCAP-CONTENT"]'),
        (".UCAP-CONTENT", '//*[contains(@class, "UCAP-CONTENT")]'),
        # Guangdong gkmlpt / 开普云 / other xxgk modules
        ("#ivs_content", '//*[@id="ivs_content"]'),
        (".xxgk_content", '//*[contains(@class, "xxgk_content")]'),
        ("#webeditorview", '//*[@id="webeditorview"]'),
        (".article-content", '//*[contains(@class, "article-content")]'),
        (".article_content", '//*[contains(@class, "article_content")]'),
        ("#content", '//*[@id="content" or @id="Content"]'),
        (".pages_content", '//*[contains(@class, "pages_content")]'),
        (".news_content", '//*[contains(@class, "news_content")]'),
    )
)

# Zhejiang Hanweb sites bracket the body with these comments (<!--ZJEG_RSS.content.begin-->).
CONTENT_COMMENT_BEGIN = ("ZJEG_RSS.content.begin", "<$[信息内容]>begin")
CONTENT_COMMENT_END = ("ZJEG_RSS.content.end", "<$[信息内容]>end")

# Elements that are never content.
DROP_TAGS: tuple[str, ...] = (
    # not "form": VSB (博达) templates wrap the whole article in <form name="_newscontent_fromname">
    "script", "style", "noscript", "iframe", "object", "embed", "button", "select",
    "input", "textarea", "svg", "canvas", "video", "audio", "map", "link", "meta", "head",
    "nav", "footer", "header", "aside",
)

# Blocks of a list page whose links are never column entries (class/id tokens, lowercase;
# spiders/links.py). Narrower than CHROME_TOKENS, which strips an article page's chrome.
# Not "page"/"head"/"top"/"right": gov templates name the main list "page-content", "right".
LIST_CHROME_TOKENS: frozenset[str] = frozenset(
    {"nav", "navbar", "menu", "header", "topbar", "footer", "foot", "bottom", "copyright",
     "breadcrumb", "crumb", "position", "banner", "logo", "search", "friendlink", "yqlj",
     "share", "login", "skip", "sidebar"}
)
# class/id words of chrome blocks (toolbars, share bars, QR codes, neighbour links, footers).
# Matched as whole tokens of class/id split on non-letters, lowercase.
CHROME_TOKENS: frozenset[str] = frozenset(
    {
        "share", "bdsharebuttonbox", "bdshare", "print", "fontsize", "font-size", "zihao",
        "qrcode", "qr", "ewm", "erweima", "weixin", "wechat", "footer", "foot", "bottom",
        "copyright", "breadcrumb", "crumb", "crumbs", "position", "location", "weizhi",
        "dqwz", "nav", "navbar", "menu", "sidebar", "side", "prev", "next", "prevnext",
        "pre_next", "xgwz", "xglj", "related", "relevant", "comment", "comments", "toolbar",
        "tools", "tool", "banner", "header", "head", "top", "topbar", "search",
        # comment boxes of 区县 templates with 互动 under the body (网友留言, 评论)
        "liuyan", "pinglun",
    }
)

# Title candidates inside the page, tried in order (first non-empty wins).
TITLE_XPATHS: tuple[XPath, ...] = tuple(
    XPath(expr)
    for expr in (
        '//meta[@name="ArticleTitle"]/@content',
        '//meta[@name="articletitle"]/@content',
        '//*[contains(@class, "article-title") or contains(@class, "article_title")]',
        '//*[@id="title" or @id="Title" or @id="ivs_title"]',
        "//h1",
        '//*[contains(@class, "title") and not(ancestor::*[contains(@class, "nav")])]',
        "//h2",
    )
)

# Meta tags carrying dates and agencies. GB/T 42147-2022 style tags, seen on 5 of 7 .gov.cn
# real pages (SiteName, ColumnName, ArticleTitle, PubDate, ContentSource).
DATE_META_NAMES: tuple[str, ...] = (
    "PubDate", "pubdate", "firstpublishedtime", "publishdate", "PublishDate", "publishtime",
    "article:published_time",
)
AGENCY_META_NAMES: tuple[str, ...] = ("ContentSource", "contentsource", "author", "Author")
SITE_META_NAMES: tuple[str, ...] = ("SiteName", "sitename")

# Page and attachment endings, download-script words: pipelines/urls.py (one list for all).
