"""Parse government HTML into a tree and turn a subtree into report text lines (pure core).

Paragraphs become lines; each table row becomes one line with its cells joined by a tab, so no
number of a statistics table is lost; layout tables (the 2000s table-based portals) are read as
blocks instead.
"""

from __future__ import annotations

import re
import threading

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "section", "article", "blockquote", "pre", "dd", "dt", "dl", "center",
        "hr", "header", "footer", "address", "figure", "figcaption", "caption", "tbody",
        "thead", "tfoot", "main", "form", "fieldset", "body", "html", "td", "th", "nav",
        "aside", "option",
    }
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
# libxml2 stops building the tree 256 elements deep ("Excessive depth in document"): everything
# deeper is silently lost. A page nested that deep (a generator wrapping each line in one more
# <div><span>, or a hostile page) is read again with its container and inline tags flattened
# to line breaks, so its text survives; tables, paragraphs and headings stay.
_DEPTH_ERROR = "Excessive depth"
_NESTABLE_TAGS = re.compile(  # a run of them becomes one line break
    r"(?:</?(?:div|span|font|b|i|u|s|em|strong|small|big|section|article|center|blockquote|ul|ol|li|"
    r"dl|dd|dt|a|nav|main|aside|header|footer|label|form|fieldset|sup|sub|code|pre)\b[^<>]*>\s*)+",
    re.IGNORECASE)
_TABLE_TAGS = re.compile(r"(?:</?(?:table|tbody|thead|tfoot|tr|td|th)\b[^<>]*>\s*)+", re.IGNORECASE)
_parsers = threading.local()  # an lxml parser is one thread's at a time (attachments use threads)
_DUP_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
# Whitespace runs that contain a line break between two Han characters come from source
# formatting ("吉林省人民政府关于禁止在\n吉林省嫩江…" in one <p>), not from the text.
_HAN_BREAK = re.compile(r"(?<=[\u3400-\u9fff，。、；：）”])[ \t\r\n\u3000\xa0]*\n[ \t\r\n\u3000\xa0]*"
                        r"(?=[\u3400-\u9fff（“])")
# Characters no XML/HTML tree may hold: C0 controls but tab/LF/CR, lone surrogates (a JSON
# "\\ud800" escape, a broken UTF-16 page), U+FFFE/U+FFFF. lxml refuses a string holding one
# or cuts the page at one, and soupparser, the fallback, raises on the first text node with one.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Tag and attribute names lxml will build (it refuses quotes, "=", "<", "/", blanks in them).
# A flipped byte turns '<span class="fr">' into '<spantclass="fr">'; BeautifulSoup keeps
# that as a tag named 'spantclass="fr"', which soupparser then fails to build.
_NAME = re.compile(r"[A-Za-z_][\w.:-]*")
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0\u2002\u2003\u2009\u200b\u3000]+")
_CELL_MAX_FOR_DATA_TABLE = 200


def parse_html(html: str) -> HtmlElement:
    """Parse a page into an lxml tree, tolerating what real government pages do.

    www.gov.cn's 国务院公报 pages carry two ``</html>``; lxml then drops the content between
    them, so every closing body/html tag but the last is removed first. Pages lxml cannot make
    sense of at all go through BeautifulSoup.
    """
    html = _XML_DECL.sub("", html, count=1)
    ends = list(_DUP_END.finditer(html))
    if len(ends) > 2:
        keep = {m.start() for m in ends[-2:]}
        html = _DUP_END.sub(lambda m: m.group(0) if m.start() in keep else "", html)
    if _NOT_XML_CHARS.search(html):
        # lxml's parser keeps a control character in a text node, and the tree then refuses
        # any later edit that touches it (drop_tree joining a tail: "All strings must be XML
        # compatible"). A search finds none on a clean page at a fraction of a substitution.
        html = _NOT_XML_CHARS.sub("", html)
    parser = getattr(_parsers, "html", None)
    if parser is None:
        parser = _parsers.html = _html_parser()
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
        for flatten in (_NESTABLE_TAGS, _TABLE_TAGS):  # tables only when still too deep
            if not any(_DEPTH_ERROR in error.message for error in parser.error_log):
                break
            html = flatten.sub("<br>", html)
            tree = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        tree = None
    if tree is None or tree.find("body") is None or not len(tree.find("body")):
        from lxml.html import soupparser  # BeautifulSoup: slower, but reads broken markup

        tree = soupparser.fromstring(html or "<html></html>", beautifulsoup=_buildable_soup)
    return tree


def _html_parser() -> lxml.html.HTMLParser:
    """lxml.html's parser, with its element classes chosen in C.

    lxml.html picks each element's Python class in a Python method (``HtmlElementClassLookup``,
    which gives <form>, <input>, <select> their own classes); a report page creates ~1,400
    element proxies on its way through extraction and statistics, and that method was ~6 % of
    read_page in bench/crawl.py's profile. No pass here uses the form classes' extras, so every
    element is a plain HtmlElement (with text_content, drop_tree, … as before).
    """
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    return parser


def _buildable_soup(markup: str, **options: object) -> object:
    """BeautifulSoup's reading of ``markup``, with only names lxml can build a tree from.

    A tag whose name is no name (a flipped byte inside ``<a href=…>``) is unwrapped, so its
    text stays; an attribute with such a name is dropped.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(True):
        if not _NAME.fullmatch(tag.name):
            tag.unwrap()
        elif tag.attrs and not all(_NAME.fullmatch(name) for name in tag.attrs):
            tag.attrs = {name: value for name, value in tag.attrs.items() if _NAME.fullmatch(name)}
    return soup


def normalize_line(text: str) -> str:
    """Collapse whitespace of one line; drop source line breaks between Han characters."""
    if "\n" in text:  # _HAN_BREAK needs a line break: most lines (table cells) have none
        text = _HAN_BREAK.sub("", text)
    return _SPACES.sub(" ", text).strip()


# A cell holding more text than _CELL_MAX_FOR_DATA_TABLE makes its table a layout table; asked
# in C in one call (a statistics table has ~150 cells, each a Python text_content() before).
_LONG_CELL = etree.XPath(f"boolean(descendant::*[self::td or self::th]"
                         f"[string-length(.) > {_CELL_MAX_FOR_DATA_TABLE}])")


def _is_data_table(table: HtmlElement) -> bool:
    if table.find(".//table") is not None:
        return False
    return not _LONG_CELL(table)


def _rows(table: HtmlElement) -> list[HtmlElement]:
    return [tr for tr in table.iter("tr") if _owner_table(tr) is table]


def _owner_table(el: HtmlElement) -> HtmlElement | None:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


class _Writer:
    """Accumulates text pieces and line breaks while walking a tree."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self.buf.append(s)

    def br(self) -> None:
        line = normalize_line("".join(self.buf))
        self.buf.clear()
        if line:
            self.lines.append(line)

    def raw_line(self, line: str) -> None:
        self.br()
        if line.strip():
            self.lines.append(line)


# The block elements under a table cell (td/th too: broken markup nests them without a table).
_CELL_BLOCKS = etree.XPath("descendant::*[contains($names, concat(' ', local-name(), ' '))]")
_BLOCK_NAMES = " " + " ".join(sorted(BLOCK_TAGS)) + " "


# An element's text nodes joined, as lxml.html's text_content(), for plain lxml.etree elements
# too: the statistics grids also read tables built by the file readers and by etree.
text_of = etree.XPath("string()", smart_strings=False)


def is_blank(text: str | None) -> bool:
    """True when ``text`` normalises to nothing (None, "", whitespace, zero-width spaces)."""
    return not text or text.isspace() or not normalize_line(text)


def _cell_text(cell: HtmlElement) -> str:
    if not len(cell):  # most cells hold bare text: no walker needed
        return normalize_line(cell.text or "")
    # Word-pasted tables (most TRS/Hanweb reports) wrap each cell's text in <p><span>…</span></p>:
    # with at most one block inside and nothing but blanks around it, the cell is one line, its
    # text_content — what the walk below would find, without a walker per cell.
    blocks = _CELL_BLOCKS(cell, names=_BLOCK_NAMES)
    if not blocks:
        return normalize_line(text_of(cell))
    if (len(blocks) == 1 and len(cell) == 1 and blocks[0] is cell[0] and blocks[0].tag != "br"
            and is_blank(cell.text) and is_blank(blocks[0].tail)):
        return normalize_line(text_of(blocks[0]))
    writer = _Writer()
    _walk(cell, writer, in_cell=True)
    writer.br()
    return " ".join(writer.lines)


class _Stop(Exception):
    """Raised when the walk reaches the element it was told to stop at."""


def _walk(root: HtmlElement, w: _Writer, in_cell: bool = False,
          stop_at: HtmlElement | None = None) -> None:
    # lxml's iterwalk, not recursion: markup nested deeper than Python's recursion limit (a tree
    # soupparser or a script built without libxml2's depth cap of 255) must not raise
    # RecursionError, and the C-level walk is as fast as the recursive one was.
    read_whole: set[HtmlElement] = set()  # data tables and <pre>s: read at "start", not descended
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "end":
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if el not in read_whole and (tag == "br" or (
                    tag in BLOCK_TAGS and not (in_cell and tag in ("td", "th")))):
                w.br()
            w.text(el.tail)
            continue
        if el is stop_at:
            raise _Stop
        if event != "start":  # comments, processing instructions: only their tail is text
            w.text(el.tail)
            continue
        if not isinstance(el.tag, str):  # an entity node: its tail comes with its "end"
            continue
        tag = el.tag.lower()
        if tag == "table" and _is_data_table(el):
            w.br()
            for tr in _rows(el):
                cells = [_cell_text(c) for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
                if any(cells):
                    w.raw_line("\t".join(cells).rstrip("\t"))
            read_whole.add(el)
            walker.skip_subtree()
            continue
        if tag == "pre" and not in_cell:
            # A report typed into <pre> (old eWebEditor "plain text" mode): its line breaks are the
            # paragraphs, and normalize_line would join them into one line and lose the signature.
            w.br()
            for line in el.text_content().split("\n"):
                w.raw_line(normalize_line(line))
            read_whole.add(el)
            walker.skip_subtree()
            continue
        if tag in BLOCK_TAGS and not (in_cell and tag in ("td", "th")):
            w.br()
        w.text(el.text)


def element_lines(el: HtmlElement, stop_at: HtmlElement | None = None) -> list[str]:
    """Text lines of a subtree: one per paragraph/block, one per table row (cells tab-joined).

    >>> from lxml.html import fragment_fromstring
    >>> element_lines(fragment_fromstring(
    ...     "<div><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table></div>"))
    ['一、总体情况', '规章\\t0']

    With ``stop_at``, only the lines before that descendant are returned (the page header
    above a content block, where the metadata table and dateline sit).
    """
    w = _Writer()
    tail, el.tail = el.tail, None  # the tail belongs to the parent, not to this block
    try:
        _walk(el, w, stop_at=stop_at)
    except _Stop:
        pass
    finally:
        el.tail = tail
    w.br()
    return w.lines
