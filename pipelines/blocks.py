"""Where one article's body is spread or padded on the page: sibling content blocks, and the list
of attached files that closes it (pure core; called by :func:`pipelines.extract.extract_article`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from lxml.etree import XPath
from lxml.html import Element as html_element
from lxml.html import HtmlElement

from pipelines.metadata import is_placeholder
from pipelines.phrases import ATTACHMENT_LIST_LINE_RE, ATTACHMENT_LIST_START_RE

# How far up from the chosen block a second block of the same kind may sit and still be part of
# the same article: TRS editors nest each editor div in its own <p>/<div> wrapper, home-made table
# layouts put each in its own <tr><td> (three levels); an image, a QR code or a page-break div
# between two halves moves the second one further out.
SIBLING_BLOCK_LEVELS = 3
_HAN = re.compile(r"[\u3400-\u9fff]")
_SIZE = re.compile(r"\s*[(（\[【][\d.\s]*[KMG]?B[)）\]】]\s*$", re.I)


def sibling_blocks(tree: HtmlElement, container: HtmlElement, xpath: XPath,
                   keep: Callable[[HtmlElement], bool]) -> list[HtmlElement]:
    """Every block of one article that its editor split into several, in document order.

    Editors of TRS and Hanweb sites split one article into sibling editor blocks (two
    ``div.TRS_Editor`` with a picture, a QR code or a page break between them); keeping the
    largest loses the other half. Blocks ``xpath`` (the selector that found ``container``)
    matches within :data:`SIBLING_BLOCK_LEVELS` levels of it, not nested in each other, for
    which ``keep`` holds (they have text or a file link) are joined; a block elsewhere on the
    page (a sidebar that reuses the class) is not.
    """
    found = [el for el in xpath(tree) if el is not container]
    if not found:
        return [container]
    outer = container
    for _ in range(SIBLING_BLOCK_LEVELS):
        parent = outer.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        outer = parent
    blocks = [container]
    for el in found:
        ancestors = list(el.iterancestors())
        if not any(a is outer for a in ancestors) or any(a is b for a in ancestors for b in blocks):
            continue  # elsewhere on the page, or inside a block already kept (TRS_Editor in TRS_Editor)
        if any(el is a for b in blocks for a in b.iterancestors()):
            continue
        if keep(el):
            blocks.append(el)
    if len(blocks) == 1:
        return blocks
    order = {el: n for n, el in enumerate(tree.iter())}
    return sorted(blocks, key=order.__getitem__)


def joined_blocks(blocks: list[HtmlElement]) -> HtmlElement:
    """One ``<div>`` holding copies of ``blocks`` in order (the page's tree is left as it is)."""
    wrapper = html_element("div")  # an HTML element: the text passes call text_content()
    for block in blocks:
        part = copy.deepcopy(block)
        part.tail = None
        wrapper.append(part)
    return wrapper


def strip_attachment_list(lines: list[str], link_texts: list[str]) -> list[str]:
    """Body lines without the list of attached files that closes them.

    "附件：2023年政府信息公开工作年度报告.docx", "相关附件：", "附件下载", a numbered file name with
    its size, or the text of a link to one of the page's files (``link_texts``): these lines
    belong to the attachments table (the files stay recorded and are read), not to
    ``body_text``. Only the run of such lines at the very end goes; an "附件" heading followed by
    a table (a legacy report's 统计表 typed into the page) is report text and stays.

    >>> strip_attachment_list(["全文见附件。", "附件：2023年报告.docx"], [])
    ['全文见附件。']
    """
    names = {re.sub(r"\s+", "", text) for text in link_texts if text}
    end = len(lines)
    while end:
        line = lines[end - 1].strip()
        squashed = re.sub(r"\s+", "", line)
        if not squashed:
            end -= 1
            continue
        if len(line) > 160 or "\t" in line:
            break
        if ATTACHMENT_LIST_START_RE.match(line) or ATTACHMENT_LIST_LINE_RE.match(line) or squashed in names:
            end -= 1
            continue
        break
    return lines[:end]


def file_title(text: str, url: str) -> str | None:
    """The title an attached file gives itself: its link ``text``, else the file name in its
    ``url``, without extension or size.

    >>> file_title("2023年政府信息公开工作年度报告.pdf (245KB)", "/f/P0202301.pdf")
    '2023年政府信息公开工作年度报告'
    """
    for name in (text, unquote(urlsplit(url).path.rsplit("/", 1)[-1])):
        stem = _SIZE.sub("", (name or "").strip())
        stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem).strip()
        stem = re.sub(r"^(?:附件|相关附件|附件下载)\s*\d{0,2}\s*[:：]\s*", "", stem)
        if len(_HAN.findall(stem)) >= 4 and not is_placeholder(stem):
            return stem
    return None
