"""Extract a clean, dated report from one article page: the passes a crawl runs (pure core).

``extract_article(html, url)`` reads, in order: parse → page metadata (meta tags, the xxgk
metadata table, "发布时间/来源" lines) → drop non-content elements → find the content block
(known CMS containers, then a text-density fallback for templates never seen) → text lines →
strip boilerplate lines → repair artefacts → title, dates, agency, year → classify. The result
records which path each step took.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from pipelines import metadata as md
from pipelines.blocks import file_title, joined_blocks, sibling_blocks, strip_attachment_list
from pipelines.classify import Classification, classify_page
from pipelines.htmltext import element_lines, normalize_line, parse_html
from pipelines.patterns import (
    LABEL_TO_FIELD,
    NOT_REPORT_TITLE_RE,
    REPORT_TITLE_RE,
    VISIBLE_PUBLISH_LABELS,
    YEAR_LABEL_RE,
)
from pipelines.phrases import LINE_RE, TAIL_START_RE
from pipelines.repair import detect_script, strip_pinyin_annotations
from pipelines.stats import Grid, html_tables
from pipelines.urls import ARTICLE_PAGE_CALL_RE as _ARTICLE_PAGE_CALL  # aliases: the names the code below had
from pipelines.urls import FILE_LINK_TAGS, SCAN_EXTENSIONS, document_base, is_attachment_link
from pipelines.urls import PAGE_SUFFIX_RE as _PAGE_SUFFIX
from pipelines.urls import file_hrefs as _file_hrefs
from pipelines.xpaths import (
    AGENCY_META_NAMES,
    CHROME_TOKENS,
    CONTENT_COMMENT_BEGIN,
    CONTENT_COMMENT_END,
    CONTENT_XPATHS,
    DATE_META_NAMES,
    DROP_TAGS,
    SITE_META_NAMES,
    TITLE_XPATHS,
)

# A CMS container with less text than this is only trusted if it links an attachment (a
# stub page "附件:2019年报告.pdf"); otherwise the density fallback gets a say.
MIN_CONTAINER_CHARS = 30
# A page with less body text than this that links files is a pointer to them ("全文见附件"):
# the files' titles may classify it (pipelines.attachments.STUB_MAX_CHARS, the archive's rule).
STUB_PAGE_CHARS = 300
# How many lines above the content block are searched for labelled metadata and datelines;
# the xxgk table and the "发布时间" line sit right above the body, navigation further up.
HEADER_LINES = 80
_TOKEN_SPLIT = re.compile(r"[^a-z]+")
_CN_PUNCT = re.compile(r"[，。；：、！？“”（）《》]")
_HAN = re.compile(r"[\u3400-\u9fff]")
# How a site name ends ("松阳县人民政府", "XX市政府门户网站"); a news or report title does not.
_SITE_NAME_END = re.compile(r"(人民政府|政府|门户网站|網站|网站|政府网|政府網)$")


@dataclass
class Link:
    url: str
    text: str


@dataclass
class Article:
    """Everything read from one article page. Dates are ``YYYY-MM-DD`` or None."""

    url: str
    title: str | None
    body_text: str
    publish_date: str | None = None
    date_source: str | None = None
    written_date: str | None = None
    agency: str | None = None
    agency_source: str | None = None
    index_no: str | None = None
    doc_number: str | None = None
    report_year: int | None = None
    year_source: str | None = None
    script: str | None = None
    classification: Classification = field(default_factory=lambda: Classification("other", ""))
    container: str = ""
    attachments: list[Link] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    site_name: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    # The content block's data tables, span-expanded, on reports (pipelines.stats reads their statistics).
    tables: list[Grid] = field(default_factory=list)
    # Every publish-date candidate the page offered, in order of trust, as (source, date):
    # [("label", "2023-01-20"), ("meta", "2023-02-03"), ("written", "2023-01-18")]. The first
    # is ``publish_date``; the rest say why it was not another (archived as JSON).
    date_candidates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def date_candidates_json(self) -> str | None:
        """``date_candidates`` as the archive stores them: ``[{"source": …, "date": …}, …]``."""
        if not self.date_candidates:
            return None
        return json.dumps([{"source": s, "date": d} for s, d in self.date_candidates], ensure_ascii=False)

    @property
    def is_report(self) -> bool:
        return self.classification.is_report

    @property
    def from_mirror(self) -> bool:
        return "pinyin_annotations" in self.repairs


# --- passes -------------------------------------------------------------------------------


def _metas(tree: HtmlElement) -> dict[str, list[str]]:
    """``<meta name content>`` values by name, in page order (one pass instead of one XPath a name)."""
    found: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        name, value = el.get("name"), el.get("content")
        if name and value and value.strip():
            found.setdefault(name, []).append(value.strip())
    return found


def _meta(metas: dict[str, list[str]], names: tuple[str, ...]) -> str | None:
    for name in names:
        if name in metas:
            return metas[name][0]
    return None


_STYLED_DISPLAY = etree.XPath('//*[contains(@style, "display")]')


def _drop_non_content(tree: HtmlElement) -> None:
    for el in list(tree.iter(*DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    # translate() over every style attribute cost ~1 ms a page on Word-pasted bodies (a style on
    # every <span>): the cheap contains() picks the few candidates, Python checks them.
    for el in _STYLED_DISPLAY(tree):
        if el.getparent() is not None and "display:none" in el.get("style", "").replace(" ", ""):
            el.drop_tree()


def _is_chrome(el: HtmlElement) -> bool:
    words = f"{el.get('class', '')} {el.get('id', '')}".lower()
    if not words.strip():
        return False
    return any(token in CHROME_TOKENS for token in _TOKEN_SPLIT.split(words))


# Only an element with a class or id can be chrome: selecting those in C spares the Python check
# of every table cell and paragraph (a report's container holds ~400 of them).
_NAMED_DESCENDANTS = etree.XPath("descendant::*[@class or @id]")


def _drop_chrome(container: HtmlElement) -> None:
    for el in _NAMED_DESCENDANTS(container):
        if el.getparent() is not None and _is_chrome(el):
            el.drop_tree()


def _comment_container(tree: HtmlElement) -> HtmlElement | None:
    """Zhejiang Hanweb pages bracket the body with ZJEG_RSS comments; wrap what lies between."""
    begin = end = None
    for comment in tree.iter(etree.Comment):
        text = comment.text or ""
        if begin is None and any(m in text for m in CONTENT_COMMENT_BEGIN):
            begin = comment
        elif begin is not None and any(m in text for m in CONTENT_COMMENT_END):
            end = comment
            break
    if begin is None or end is None or begin.getparent() is not end.getparent():
        return None
    parent = begin.getparent()
    children = list(parent)
    wrapper = etree.Element("div")
    wrapper.text = begin.tail
    for child in children[children.index(begin) + 1 : children.index(end)]:
        wrapper.append(_copy(child))
    return wrapper


def _copy(el: HtmlElement) -> HtmlElement:
    return etree.fromstring(etree.tostring(el), parser=etree.HTMLParser()).find(".//body/*")


def _text_len(el: HtmlElement) -> int:
    return len(_HAN.findall(el.text_content()))


def _has_attachment_link(el: HtmlElement) -> bool:
    return any(is_attachment_link(a.get("href", ""), a.text_content()) for a in el.iter("a"))


def _content_block(tree: HtmlElement, base_url: str) -> tuple[HtmlElement | None, str, list[Link]]:
    """The first known content block with text (or an attachment link), its name, and no scans;
    or a known block holding only scanned page images, its name and those images.

    One rule for :func:`extract_article` (on the cleaned tree) and :func:`scanned_pages` (the
    spider's, unmodified). TRS editors upload a report's JPG scans into the body and nothing
    else: that block is the report; the density fallback would only find a sidebar or footer.
    """
    for name, xpath in CONTENT_XPATHS:
        found = xpath(tree)
        if not found:
            continue
        chars, best = max(((_text_len(el), el) for el in found), key=lambda pair: pair[0])
        if chars >= MIN_CONTAINER_CHARS or _has_attachment_link(best):
            return best, name, []
        if not chars and (scans := _scan_images(best, base_url)):
            return best, name + IMAGES_ONLY, scans
    return None, "", []


# Content selectors by the name ``Article.container`` records (sibling blocks match the same one).
_CONTENT_XPATH_BY_NAME = dict(CONTENT_XPATHS)

# Suffix of ``Article.container`` for a content block holding scanned images and no text.
IMAGES_ONLY = "[images-only]"


def scanned_pages(tree: HtmlElement, base_url: str) -> list[Link]:
    """The page images of a report published as scans only, in page order (else empty).

    The spider fetches them as the report's files, so OCR can give the report its text.
    """
    return _content_block(tree, base_url)[2]




def _scan_images(container: HtmlElement, base_url: str) -> list[Link]:
    """Images of a content block that can be pages of a report: JPG/PNG/TIFF, not a GIF
    icon, not inside a link or chrome (a QR code, a share button)."""
    found: dict[str, Link] = {}
    for img in container.iter("img"):
        src = (img.get("src") or img.get("oldsrc") or "").strip()
        if not src.lower().split("?")[0].endswith(SCAN_EXTENSIONS):
            continue
        if any(a.tag == "a" or (isinstance(a.tag, str) and _is_chrome(a)) for a in img.iterancestors()):
            continue
        url = urljoin(base_url, src) if base_url else src
        found.setdefault(url, Link(url, normalize_line(img.get("alt") or img.get("title") or "")))
    return list(found.values())


def _density_container(tree: HtmlElement, anchor: HtmlElement | None = None) -> HtmlElement | None:
    """The block with the most non-link prose, judged by Chinese punctuation (after GNE's idea).

    Link text counts against a block, so navigation and related-article lists lose; among a
    block and its descendants the deepest one that keeps nearly all the score wins, so the
    result is the article, not the whole page.

    With ``anchor`` (the article's title element) only what follows the title counts: a
    two-column 区县 template puts a left column of 机构职能 prose, as punctuated as any body,
    beside a short report, and their common parent would otherwise win.
    """
    body = tree.find("body")
    if body is None:
        return None
    before: set[HtmlElement] = set()
    after_anchor: dict[HtmlElement, tuple[int, int, int, int]] = {}
    if anchor is not None:
        # Elements wholly before the title are out; each ancestor of the title is scored on the
        # title and what follows it at every level below it.
        for el in body.iter():
            if el is anchor:
                break
            before.add(el)
        acc = _stats(anchor)
        node = anchor
        for parent in anchor.iterancestors():
            for sib in node.itersiblings():
                if isinstance(sib.tag, str):
                    acc = tuple(a + b for a, b in zip(acc, _stats(sib), strict=True))
            p_after = sum(1 for sib in node.itersiblings() if sib.tag == "p") + (node.tag == "p")
            after_anchor[parent] = (*acc[:3], p_after)
            before.discard(parent)
            node = parent
            if parent is body:
                break
    scores: dict[HtmlElement, float] = {}
    for el in body.iter("div", "td", "article", "section", "main", "span", "font"):
        if el in before:
            continue
        if el in after_anchor:
            length, link_text, punct, paras = after_anchor[el]
        else:
            length, link_text, punct, _ = _stats(el)
            paras = len(el.findall("p"))
        if length < 20:
            continue
        link_density = link_text / max(length, 1)
        scores[el] = punct * (1 - link_density) ** 2 + paras * 0.5
    if not scores:
        return body
    top = max(scores.values())
    if top <= 0:
        return body
    good = [el for el, s in scores.items() if s >= 0.85 * top]
    # deepest of the good ones
    return max(good, key=lambda el: sum(1 for _ in el.iterancestors()))


def _stats(el: HtmlElement) -> tuple[int, int, int, int]:
    """(text length, link text length, Chinese punctuation marks, 0) of a subtree."""
    text = el.text_content()
    return len(text), sum(len(a.text_content()) for a in el.iter("a")), len(_CN_PUNCT.findall(text)), 0


def _names_document(text: str) -> bool:
    """Whether a heading names a document (报告, 指南, 通知 …) rather than an organisation.

    A 区县 template's ``<h1>`` holds the site name ("松阳县人民政府") and its ``<title>`` may say
    nothing else, so likeness to the ``<title>`` cannot tell the site name from the article
    title there; naming a document can.
    """
    return bool(REPORT_TITLE_RE.search(text) or NOT_REPORT_TITLE_RE.search(text))


def _title_anchor(tree: HtmlElement, hints: list[str]) -> HtmlElement | None:
    """The element holding the article's title: the first heading equal to a hint (a hint ending
    in "…" is a prefix: truncated list titles), else the first heading naming a document."""
    wanted = [re.sub(r"\s+", "", h) for h in hints if h]
    fallback = None
    # headings first (a C-level walk); the class/id XPath, slower on big pages, only without one
    for candidates in (lambda: tree.iter("h1", "h2", "h3", "h4"), lambda: _ANCHOR_XPATH(tree)):
        for el in candidates():
            text = re.sub(r"\s+", "", el.text_content())
            if not 4 <= len(text) <= 150:
                continue
            for hint in wanted:
                stem = hint.rstrip(".…")
                if text == hint or (stem != hint and len(stem) >= 8 and text.startswith(stem)):
                    return el
            if fallback is None and _names_document(text):
                fallback = el
        if fallback is not None:
            return fallback
    return None


_ANCHOR_XPATH = etree.XPath("//body//*[contains(@class, 'tit') or contains(@id, 'title')]")


def _filter_lines(lines: list[str], title: str | None) -> list[str]:
    kept = [
        line for line in lines
        if not LINE_RE.search(line)  # lines over MAX_BOILERPLATE_LINE never match
    ]
    # Cut a tail of related-article lists and neighbour links when only short lines follow.
    for i, line in enumerate(kept):
        if TAIL_START_RE.match(line) and all(len(rest) <= 80 for rest in kept[i:]):
            kept = kept[:i]
            break
    # Leading lines that repeat the title, or only carry labelled metadata ("发布时间:… 来源:…"),
    # belong to the page header, not the body.
    norm_title = re.sub(r"\s+", "", title or "")
    while kept:
        head = kept[0]
        squashed = re.sub(r"\s+", "", head)
        if norm_title and squashed == norm_title:
            kept.pop(0)
            continue
        if len(head) <= 120 and md.has_labels(head) and _is_metadata_line(head):
            kept.pop(0)
            continue
        if _is_empty_label(head):
            # an xxgk field left blank ("文　　号：", "成文日期：") in a metadata block that the
            # density fallback took in with a short page (石门区-style <ul> of label items)
            kept.pop(0)
            continue
        break
    return kept


def _is_empty_label(line: str) -> bool:
    """True for a metadata label with nothing after it: "文　　号：", "成文日期:\t"."""
    stripped = line.strip()
    return stripped.endswith((":", "：")) and md.normalize_label(stripped) in LABEL_TO_FIELD


def _is_metadata_line(line: str) -> bool:
    """True when a line is made of label:value pairs only ("发布时间:2015-01-05 信息来源:市水利局")."""
    stripped = re.sub(r"[\t ]+", " ", line)
    return bool(re.match(r"^\s*[\u4e00-\u9fff\s]{2,8}\s*[:：]", stripped)) and not _CN_PUNCT.search(
        re.sub(r"[:：（）()]", "", stripped)
    )


def find_attachments(root: HtmlElement, base_url: str) -> list[Link]:
    """Attachment links under ``root`` (``root`` included): PDF/DOC/DOCX/WPS/OFD/XLS… links,
    附件/下载 links, files shown in an ``<iframe>``/``<embed>``/``<object>`` viewer or opened by
    a click handler."""
    links: dict[str, Link] = {}
    for el in root.iter(*FILE_LINK_TAGS):
        text = normalize_line(el.text_content()) if el.tag == "a" else normalize_line(el.get("title") or "")
        for href, viewer in _file_hrefs(el):
            if viewer or is_attachment_link(href, text):
                # pdf.js resolves file= against the viewer's own URL
                url = urljoin(urljoin(base_url, viewer) if viewer else base_url, href).split("#")[0]
                links.setdefault(url, Link(url, text))
    return list(links.values())


def _pick_title(tree: HtmlElement, metas: dict[str, list[str]], head_title: str | None, list_title: str | None,
                labelled: str | None, site_name: str | None, attachments: list[Link] | None = None) -> str | None:
    meta_title = _meta(metas, ("ArticleTitle", "articletitle"))
    if meta_title and not md.is_placeholder(meta_title):
        return normalize_line(meta_title)
    if labelled and len(labelled) >= 4:
        return normalize_line(labelled)
    from_head = md.title_from_head(head_title, site_name)
    reference = list_title if list_title and not list_title.endswith(("...", "…")) else from_head
    best, best_score = None, 0.0
    for xpath in TITLE_XPATHS[2:]:
        for el in xpath(tree)[:10]:
            text = normalize_line(el.text_content())
            if not 4 <= len(text) <= 120 or text == site_name:
                continue
            score = _overlap(text, reference) if reference else 0.5
            if score > best_score:
                best, best_score = text, score
        if best_score >= 0.9:
            break
    site_like = bool(best and reference is from_head and _SITE_NAME_END.search(best) and not _names_document(best))
    if site_like:
        # the <title> holds only the site name (区县 templates): the heading naming a document
        for xpath in TITLE_XPATHS[2:]:
            for el in xpath(tree)[:10]:
                text = normalize_line(el.text_content())
                if 4 <= len(text) <= 120 and _names_document(text):
                    return text
    if best and best_score >= 0.6:
        return best
    if list_title and not list_title.endswith(("...", "…")):
        return list_title
    if not (from_head or best or list_title):
        # a page with no heading, no <title> and no list entry (a file's viewer page): the
        # attached file's own name is the best title left
        return next((t for t in (file_title(a.text, a.url) for a in attachments or []) if t), None)
    return from_head or best or list_title


def _overlap(a: str, b: str | None) -> float:
    if not b:
        return 0.0
    sa, sb = set(a), set(b)
    return len(sa & sb) / max(len(sa | sb), 1)


def extract_article(
    html: str,
    url: str = "",
    *,
    list_title: str | None = None,
    list_date: str | None = None,
    keep_tables: bool = False,
) -> Article:
    """Run every extraction pass on one decoded article page.

    ``list_title`` and ``list_date`` are what the column's list page showed next to the link;
    they fill in when the page itself lacks a title or date. ``keep_tables`` reads the content
    block's tables whatever the page's class: the first page of an article cut over several
    pages may not read as a report on its own, and its grids must survive until the pages are
    joined and classified together (:func:`join_pages`).

    >>> art = extract_article('<html><body><div class="TRS_Editor"><p>2014年，我局认真贯彻'
    ...     '《中华人民共和国政府信息公开条例》。</p><p>扫一扫在手机打开当前页</p></div></body></html>',
    ...     "http://x.gov.cn/xxgk/201501/t20150105_1.html", list_title="2014年政府信息公开工作年度报告")
    >>> art.body_text, art.publish_date, art.report_year, art.is_report
    ('2014年，我局认真贯彻《中华人民共和国政府信息公开条例》。', '2015-01-05', 2014, True)
    """
    return extract_tree(parse_html(html), url, list_title=list_title, list_date=list_date, keep_tables=keep_tables)


def extract_tree(
    tree: HtmlElement,
    url: str = "",
    *,
    list_title: str | None = None,
    list_date: str | None = None,
    keep_tables: bool = False,
    base: str | None = None,
) -> Article:
    """:func:`extract_article` on a page already parsed with :func:`parse_html`, so a caller
    that reads more from the page (:func:`pipelines.reading.read_article_page`: its render
    reason, the files it links) parses it once. The passes edit ``tree`` (non-content is
    dropped): read anything else from it first. ``base`` is the page's :func:`document_base`
    when the caller has it already.
    """
    head_title = tree.findtext(".//title")
    metas = _metas(tree)
    site_name = _meta(metas, SITE_META_NAMES)
    meta_date = md.parse_date(_meta(metas, DATE_META_NAMES))
    meta_agency = md.clean_agency(_meta(metas, AGENCY_META_NAMES))
    if base is None:
        base = document_base(tree, url) if url else url  # <base> sits in <head>, dropped next

    _drop_non_content(tree)
    container, how, scans = _content_block(tree, base)
    if container is None:
        container, how = _comment_container(tree), "comment-markers"
    if container is None:
        hints = [_meta(metas, ("ArticleTitle", "articletitle")) or "", list_title or ""]
        container, how = _density_container(tree, _title_anchor(tree, hints)), "density"

    # Labelled metadata sits above the content block (the xxgk table, the dateline) or in its
    # first lines ("发布时间:… 来源:…" inside the container on some templates). Walking only the
    # header keeps extraction to about one pass over the page.
    body_el = tree.find("body")
    header_lines = element_lines(body_el if body_el is not None else tree, stop_at=container)
    if container is not None and how in _CONTENT_XPATH_BY_NAME:
        blocks = sibling_blocks(tree, container, _CONTENT_XPATH_BY_NAME[how],
                                lambda el: bool(_text_len(el)) or _has_attachment_link(el))
        if len(blocks) > 1:
            # the header above stays the one above the first block; the body is every block
            container, how = joined_blocks(blocks), f"{how}[{len(blocks)} blocks]"
    # once the body's blocks are known (the joined blocks hold the first one's links first)
    attachments = find_attachments(container, base) if container is not None else []
    if how.endswith(IMAGES_ONLY):
        # The scans are the report's files: as attachments the archive marks the report a stub
        # (source_format html-stub, body empty) and lists them, so nothing passes for its text.
        attachments += scans
    if container is not None:
        _drop_chrome(container)
        lines = element_lines(container)
    else:
        lines = []
    near = header_lines[-HEADER_LINES:] + lines[:8]
    labels: dict[str, str] = {}
    fields = md.labelled_fields(near, labels)
    title = _pick_title(tree, metas, head_title, None if list_title and YEAR_LABEL_RE.match(list_title) else list_title,
                        fields.get("title"), site_name, attachments)
    lines = _filter_lines(lines, title)
    lines = strip_attachment_list(lines, [link.text for link in attachments])

    repaired = strip_pinyin_annotations("\n".join(lines))
    body = repaired.text
    if repaired.repairs and title:
        title = strip_pinyin_annotations(title, min_hits=1).text

    sig_agency, sig_date = md.signature(body.split("\n"))

    label_date = md.parse_date(fields.get("publish_date"))
    visible = labels.get("publish_date") in VISIBLE_PUBLISH_LABELS
    written_date = md.parse_date(fields.get("written_date")) or sig_date
    # What the page shows under 发布日期/发布时间/公开日期 is the date a reader cites; a PubDate
    # meta is often the CMS's regeneration stamp (TRS and Hanweb re-stamp pages they republish).
    candidates = [
        ("label", label_date if visible else None),
        ("meta", meta_date),
        ("label", None if visible else label_date),
        ("url", md.url_date(url)),
        ("list", md.parse_date(list_date)),
        ("dateline", md.dateline(near)),
        ("signature", sig_date),
    ]
    date_candidates = [(source, value) for source, value in candidates if value]
    date_source, publish_date = date_candidates[0] if date_candidates else (None, None)
    if written_date:
        date_candidates.append(("written", written_date))

    agency, agency_source = None, None
    for source, value in (
        ("label", md.clean_agency(fields.get("agency"))),
        ("meta", meta_agency),
        ("signature", sig_agency),
        ("title", md.agency_from_title(title)),
    ):
        if value:
            agency, agency_source = value, source
            break

    year, year_source = md.report_year(title, body, publish_date)
    stub = bool(attachments) and len(re.sub(r"\s+", "", body)) < STUB_PAGE_CHARS
    names = [t for t in (file_title(a.text, a.url) for a in attachments) if t] if stub else []
    classification = classify_page(title, body, list_title, names)
    if classification.reason.startswith("list title") and list_title and not REPORT_TITLE_RE.search(title or ""):
        year, year_source = md.report_year(list_title, body, publish_date)
    # Grids feed the statistics parser, which reads reports only: other pages skip the second
    # walk over their tables (unless the caller joins pages first and classifies the whole).
    tables: list[Grid] = (html_tables(container) if container is not None
                          and (classification.is_report or keep_tables) else [])
    return Article(
        url=url,
        title=title,
        body_text=body,
        publish_date=publish_date,
        date_source=date_source,
        written_date=written_date,
        agency=agency,
        agency_source=agency_source,
        index_no=md.clean_index_no(fields.get("index_no")),
        doc_number=md.clean_doc_number(fields.get("doc_number")),
        report_year=year if classification.is_report else None,
        year_source=year_source if classification.is_report else None,
        script=detect_script(body or title or ""),
        classification=classification,
        container=how,
        attachments=attachments,
        repairs=repaired.repairs,
        site_name=site_name,
        fields=fields,
        tables=tables,
        date_candidates=date_candidates,
    )


# --- articles cut over several pages ------------------------------------------------------

def article_page_urls(html: str, url: str) -> list[str]:
    """The other pages of an article cut over several pages, in order (empty for one page).

    Read from the TRS ``createPageHTML(count, current, "<stem>", "html")`` call naming the
    page's own file stem, else from links to ``<stem>_<n>.<ext>`` beside it ("1 2 3 下一页").
    Always relative to the first page, whichever page ``url`` is.

    >>> article_page_urls('<script>createPageHTML(3, 0, "t20220118_7", "html");</script>',
    ...                   "http://x.gov.cn/nb/202201/t20220118_7.html")
    ['http://x.gov.cn/nb/202201/t20220118_7_1.html', 'http://x.gov.cn/nb/202201/t20220118_7_2.html']
    """
    path = urlsplit(url).path
    folder, _, name = path.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return []
    # the page may itself be a later page: t…_712301_1.html names the stem t…_712301
    stems = [stem] + ([_PAGE_SUFFIX.sub("", stem)] if _PAGE_SUFFIX.search(stem) else [])
    if "createPageHTML" not in html and not any(f"{first}_" in html for first in stems):
        return []  # every article of a crawl asks: most name no page of their own
    calls = _ARTICLE_PAGE_CALL.findall(html)
    for first in stems:
        pages = {n for count, call_stem, call_ext in calls if call_stem == first and call_ext == ext
                 for n in range(1, min(int(count), 200))}
        if not pages:
            link = re.compile(rf"href=[\"']?(?:[^\"'\s>]*/)?{re.escape(first)}_(\d{{1,3}})\.{re.escape(ext)}[\"'\s>]")
            pages = {int(n) for n in link.findall(html)}
        if pages:
            base = urljoin(url, f"{folder}/")
            names = [f"{first}.{ext}"] + [f"{first}_{n}.{ext}" for n in sorted(pages) if n > 0]
            return [urljoin(base, n) for n in names if n != name]
    return []


def join_pages(first: Article, rest: list[Article]) -> Article:
    """One report from an article's pages in order: bodies, tables and attachments joined;
    title, dates and the rest from the first page; year and class read again on the whole."""
    body = "\n".join(part for part in [first.body_text, *(a.body_text for a in rest)] if part)
    seen = {link.url for link in first.attachments}
    attachments = list(first.attachments)
    for art in rest:
        attachments += [link for link in art.attachments if link.url not in seen]
        seen.update(link.url for link in art.attachments)
    sig_agency, sig_date = md.signature(body.split("\n"))
    year, year_source = md.report_year(first.title, body, first.publish_date)
    classification = classify_page(first.title, body, None)
    if first.classification.is_report and not classification.is_report:
        classification = first.classification  # a first page read by its list title stays a report
    # pages read with keep_tables carry their grids whatever each alone was: the joined
    # article's class decides whether they are a report's tables
    tables = [grid for art in (first, *rest) for grid in art.tables] if classification.is_report else []
    return dataclasses.replace(
        first, body_text=body, attachments=attachments,
        tables=tables,
        written_date=first.written_date or sig_date, agency=first.agency or sig_agency,
        classification=classification, report_year=year if classification.is_report else None,
        year_source=year_source if classification.is_report else None)
