"""Find a body's annual-report column from its portal: read pages into links, weigh the evidence (pure core).

The crawling (which pages to fetch, in what order, when to render) is :mod:`spiders.discover`;
this module only reads what was fetched and ranks. A candidate column collects evidence from
every link that points to it and from its own page:

- the link text: the column's name (政府信息公开年报, 信息公开工作年度报告, 年報 …) scores; a
  look-alike's name (政府网站工作年度报表, 统计年报, 政府工作报告 …) sinks it;
- the URL's slug family (``zfxxgknb``, ``gknb_1234``, ``ndbg``, ``?type=nb`` …), or a look-alike slug;
- the neighbours in the same menu (指南, 制度, 法定主动公开内容, 依申请公开: the 2019 norm's siblings);
- the candidate page itself: entries that are yearly report titles, year folders, per-agency
  sub-columns, its heading;
- a link to one document (``t20230331_1.html``, a PDF, a text naming one year) is not a column.

    >>> ranking = Ranking("http://www.x.gov.cn/")
    >>> ranking.add_links(read_page('<ul><li><a href="/zwgk/zn/">政府信息公开指南</a></li>'
    ...     '<li><a href="/zwgk/nb/">政府信息公开年报</a></li>'
    ...     '<li><a href="/zwgk/bb/">政府网站工作年度报表</a></li></ul>', "http://www.x.gov.cn/zwgk/").links)
    >>> [(c.column, c.label) for c in ranking.ranked()]
    [('http://www.x.gov.cn/zwgk/nb/', '政府信息公开年报')]
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from pipelines import discovery_phrases as P
from pipelines.urls import (
    LIBRARY_SCRIPT_RE,
    SCRIPT_URL_RE,
    document_base,
    is_data_url,
    is_document_url,
    is_script_url,
    resolve_href,
)

MIN_SCORE = 8  # below this a candidate is no column (a lone "年报" link with nothing else for it)
_CONTAINERS = {"ul", "ol", "nav", "dl", "table", "tbody", "div", "p", "td", "li", "span", "section", "aside",
               "footer", "header"}
_MAX_NEIGHBOURS = 40  # a container with more links is a whole page body, not one menu
_SIBLING_PREFIXES = ("www", "xxgk", "zwgk", "gk", "gongkai", "zfxxgk", "xxgkml", "zw", "wap", "m")


@dataclass(frozen=True)
class Link:
    """A link found on a page or in a script or data file: absolute URL, text, texts beside it."""

    url: str
    text: str
    neighbours: tuple[str, ...] = ()
    via: str = "a"  # a / script / data
    parent: str = ""  # in a menu tree (nested <li>), the label of the node this link hangs under


@dataclass
class PageScan:
    """What one fetched page offers discovery: its links, and pages it sends a reader on to.

    ``follow`` holds URLs to fetch without weighing them as candidates: frames, script
    redirects, external menu scripts and the data endpoints a script fetches its menu from.
    """

    links: list[Link] = field(default_factory=list)
    follow: list[tuple[str, str]] = field(default_factory=list)  # (url, kind: page/script/data)
    heading: str = ""
    title: str = ""
    scripts_only: bool = False  # few links but scripts that write the page: worth a browser render


@dataclass
class Evidence:
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        self.score += points
        self.reasons.append(f"{points:+d} {reason}")


@dataclass
class Candidate:
    """A ranked candidate column: its list page, the best link text for it, score and why."""

    column: str
    label: str
    score: int
    reasons: list[str]


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def portal_key(host: str | None) -> str:
    """The domain a portal's sibling hosts share: ``x.gov.cn`` for ``www.x.gov.cn`` and
    ``xxgk.x.gov.cn``; a department's own ``hct.henan.gov.cn`` stays apart from others (4 labels
    kept under a province's ``henan.gov.cn``); an IP address or bare name stands for itself.

    >>> portal_key("xxgk.zj.gov.cn"), portal_key("www.zj.gov.cn"), portal_key("127.0.0.1")
    ('zj.gov.cn', 'zj.gov.cn', '127.0.0.1')
    >>> portal_key("www.hct.henan.gov.cn"), portal_key("hct.henan.gov.cn")
    ('hct.henan.gov.cn', 'hct.henan.gov.cn')
    """
    host = (host or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    # Portal-wide prefixes: the same body's www, 信息公开 and 政务公开 hosts. Any other first
    # label under a government's domain is a department's own site (hct.henan.gov.cn).
    while len(labels) > 3 and labels[0] in _SIBLING_PREFIXES:
        labels = labels[1:]
    return ".".join(labels)


def in_portal(url: str, homepage: str) -> bool:
    """Whether ``url`` belongs to the portal of ``homepage``: the same host, or a sibling host of
    its domain (any port: on a test machine sibling "hosts" are ports of 127.0.0.1)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    return portal_key(parts.hostname) == portal_key(urlsplit(homepage).hostname)


def _container(anchor: etree._Element) -> etree._Element | None:
    node = anchor.getparent()
    while node is not None:
        if node.tag in _CONTAINERS:
            count = len(node.findall(".//a"))
            if count >= 2:
                return node if count <= _MAX_NEIGHBOURS else None
        node = node.getparent()
    return None


def _tree_parent(anchor: etree._Element) -> str:
    # A tree menu nests a node's children in a <ul> inside its <li>: the enclosing <li>'s own
    # link names the branch (统计年报 › 2023年), which a bare year label cannot say by itself.
    own = next(anchor.iterancestors("li"), None)
    branch = next(own.iterancestors("li"), None) if own is not None else None
    head = branch.find("a") if branch is not None else None
    return _clean(head.text_content()) if head is not None else ""


def read_page(html: str, url: str) -> PageScan:
    """The links of an HTML page with their menu neighbours, the frames and redirects to follow,
    the menus its inline scripts hold, the menu scripts and data endpoints it loads."""
    try:
        tree = lxml.html.fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError):
        return PageScan()
    return scan_tree(tree, url)


def scan_tree(tree: etree._Element, url: str, *, neighbours: bool = True) -> PageScan:
    """:func:`read_page` of a page already parsed (the column spider's own parse of a list page,
    read for its :func:`sub_columns`). ``neighbours=False`` leaves each link's menu neighbours
    empty: ranking candidate columns weighs them, :func:`sub_columns` does not, and collecting
    them is most of the scan's time."""
    scan = PageScan()
    base = document_base(tree, url)
    for anchor in tree.iter("a"):
        target = resolve_href(anchor.get("href", ""), base)
        if not target:
            continue
        text = _clean(anchor.text_content()) or _clean(anchor.get("title"))
        box = _container(anchor) if neighbours else None
        others = box.iter("a") if box is not None else ()
        beside = tuple(_clean(a.text_content()) for a in others if a is not anchor)
        scan.links.append(Link(target, text, beside, parent=_tree_parent(anchor)))
    for frame in tree.xpath("//iframe[@src] | //frame[@src]"):
        target = resolve_href(frame.get("src"), base)
        if target:
            scan.follow.append((target, "page"))
    for meta in tree.xpath("//meta[translate(@http-equiv,'REFSH','refsh')='refresh']/@content"):
        match = re.search(r"url\s*=\s*['\"]?([^'\";]+)", meta, re.I)
        if match and (target := resolve_href(match.group(1), base)):
            scan.follow.append((target, "page"))
    inline = []
    for script in tree.iter("script"):
        if script.get("src"):
            target = resolve_href(script.get("src"), base)
            if target and not LIBRARY_SCRIPT_RE.search(target):
                scan.follow.append((target, "script"))
        elif script.text:
            inline.append(script.text)
    for text in inline:
        script = read_script(text, base)
        scan.links += script.links
        scan.follow += script.follow
    scan.title = tree.xpath("string(//title)").strip()
    heading = scan.title + " " + " ".join(h.text_content() for h in tree.xpath("//h1|//h2")[:3])
    scan.heading = _clean(heading)
    scan.scripts_only = len(scan.links) < 5 and bool(inline)
    return scan


def read_script(text: str, base: str) -> PageScan:
    """Menus kept in a script (``var menu = [{name: "政府信息公开年报", url: "/xxgk/nb/"}, …]``,
    ``["年报", "/nb/"]``): each text string is paired with the nearest URL string beside it;
    the strings of one array are each other's neighbours. Data endpoints (``$.getJSON(
    "/api/menu.json")``) and script redirects are returned to follow."""
    scan = PageScan()
    strings = [(m.start(), m.group(2)) for m in P.SCRIPT_STRING_RE.finditer(text)]
    for match in P.SCRIPT_REDIRECT_RE.finditer(text):
        if target := resolve_href(match.group(1), base):
            scan.follow.append((target, "page"))
    texts: list[tuple[int, str]] = []
    urls: list[tuple[int, str]] = []
    for position, value in strings:
        value = value.replace("\\/", "/")
        if re.search(r"[\u4e00-\u9fff]", value) and len(value) <= 40 and "<" not in value:
            texts.append((position, _clean(value)))
        elif is_script_url(value):
            if is_data_url(value):
                if target := resolve_href(value, base):
                    scan.follow.append((target, "data"))
            else:
                urls.append((position, value))
    all_texts = tuple(t for _, t in texts)
    for position, label in texts:
        nearest = min(urls, key=lambda u: abs(u[0] - position), default=None)
        if nearest is None or abs(nearest[0] - position) > 200:
            continue
        if target := resolve_href(nearest[1], base):
            neighbours = tuple(t for t in all_texts if t != label)[:_MAX_NEIGHBOURS]
            scan.links.append(Link(target, label, neighbours, "script"))
    return scan


def _walk(value: object) -> Iterator[list[object]]:
    if isinstance(value, list):
        yield value
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)


def read_data(text: str, base: str) -> PageScan:
    """A menu fetched as JSON (an XHR endpoint): every object with a text field and a URL field
    is a link; the objects of one list are neighbours. Text that is no JSON is read as a script
    (JSONP, ``var data = …``)."""
    try:
        data = json.loads(text.strip().lstrip("\ufeff"))
    except ValueError:
        return read_script(text, base)
    scan = PageScan()
    for items in _walk(data):
        pairs = []
        for item in items:
            if not isinstance(item, dict):
                continue
            label = next((_clean(v) for v in item.values() if isinstance(v, str)
                          and re.search(r"[\u4e00-\u9fff]", v) and len(v) <= 40), None)
            href = next((v for v in item.values() if isinstance(v, str) and SCRIPT_URL_RE.match(v)), None)
            if label and href and (target := resolve_href(href, base)):
                pairs.append((target, label))
        labels = tuple(label for _, label in pairs)
        for target, label in pairs:
            scan.links.append(Link(target, label, tuple(x for x in labels if x != label), "data"))
    return scan


def _looks_alike(text: str) -> str | None:
    return next((p for p in P.LOOKALIKE_PHRASES if p in text), None)


def link_evidence(link: Link) -> Evidence:
    """What one link says about its target being the annual-report column.

    >>> link_evidence(Link("http://x.gov.cn/zwgk/zfxxgknb/", "政府信息公开年报")).score
    15
    >>> link_evidence(Link("http://x.gov.cn/zwgk/wzndbb/", "政府网站工作年度报表")).score < 0
    True
    >>> link_evidence(Link("http://x.gov.cn/nb/t20240131_9.html", "2023年政府信息公开工作年度报告")).score < 0
    True
    """
    ev = Evidence()
    text, parts = link.text, urlsplit(link.url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    lookalike = _looks_alike(text)
    if lookalike:
        ev.add(-20, f"look-alike text ({lookalike})")
    elif phrase := next((p for p in P.COLUMN_PHRASES if p in text), None):
        ev.add(10, f"column name in link text ({phrase})")
    elif len(text) <= P.SHORT_TEXT_MAX and (phrase := next((p for p in P.SHORT_PHRASES if p in text), None)):
        ev.add(6, f"short column name in link text ({phrase})")
    if P.COLUMN_SLUG_RE.search(parts.path) or P.COLUMN_QUERY_RE.search(parts.query):
        ev.add(5, "report-column slug in URL")
    if P.LOOKALIKE_SLUG_RE.search(path):
        ev.add(-5, "look-alike slug in URL")
    if is_document_url(link.url):
        ev.add(-15, "URL of a single document")
    if P.YEAR_IN_TEXT_RE.search(text) and not lookalike:
        ev.add(-15, "link text names one year's report")
    if ev.score > 0:
        near = sorted({p for p in P.NEIGHBOUR_PHRASES for n in link.neighbours if p in n})
        if near:
            ev.add(min(3 * len(near), 6), f"beside {'/'.join(near[:3])}")
    return ev


def page_evidence(scan: PageScan, url: str) -> Evidence:
    """What the candidate's own page says: yearly reports, year folders or agency sub-columns
    listed, its heading naming the column; or look-alike entries (统计公报 of every year)."""
    ev = Evidence()
    years, lookalikes, folders, agencies = set(), 0, set(), set()
    below = urlsplit(url).path.rsplit("/", 1)[0]
    for link in scan.links:
        text = link.text
        if _looks_alike(text):
            # entries, not the menu beside them: a look-alike of some year (2022年统计公报)
            lookalikes += bool(P.YEAR_IN_TEXT_RE.search(text))
        elif (match := P.YEARLY_REPORT_RE.search(text)) is not None:
            years.add(match.group(0)[:4])
        elif P.YEAR_FOLDER_RE.match(text):
            folders.add(text[:4])
        elif (len(text) <= 16 and P.AGENCY_RE.search(text) and urlsplit(link.url).path.startswith(below)
              and not is_document_url(link.url)):
            agencies.add(text)
    if years:
        ev.add(min(4 * len(years), 16), f"lists {len(years)} yearly reports")
    if len(folders) >= 2:
        ev.add(min(2 * len(folders), 8), f"lists {len(folders)} year folders")
    if len(agencies) >= 3 and not years:
        ev.add(min(len(agencies), 6), f"lists {len(agencies)} agency sub-columns")
    if lookalikes >= 2 and lookalikes > len(years):
        ev.add(-min(3 * lookalikes, 12), f"lists {lookalikes} look-alike entries")
    if phrase := next((p for p in P.COLUMN_PHRASES if p in scan.heading), None):
        if not _looks_alike(scan.heading):
            ev.add(4, f"page heading names the column ({phrase})")
    return ev


def is_hub(link: Link) -> bool:
    """A link worth opening to look for the column: the 政府信息公开 node, a 公开目录, their slugs."""
    if _looks_alike(link.text) or is_document_url(link.url):
        return False
    return any(p in link.text for p in P.HUB_PHRASES) or bool(P.HUB_SLUG_RE.search(urlsplit(link.url).path))


class Ranking:
    """Evidence gathered over one portal's pages, per candidate URL; :meth:`ranked` orders them.

    Add every page's links with :meth:`add_links`; when a candidate's own page was fetched,
    give it with :meth:`add_page` (``final_url`` after redirects is the column then).
    """

    def __init__(self, homepage: str) -> None:
        self.homepage = homepage
        self._links: dict[str, tuple[Evidence, str]] = {}
        self._pages: dict[str, Evidence] = {}
        self._final: dict[str, str] = {}

    def add_links(self, links: Iterable[Link]) -> None:
        for link in links:
            if not in_portal(link.url, self.homepage) or link.url.rstrip("/") == self.homepage.rstrip("/"):
                continue
            ev = link_evidence(link)
            best = self._links.get(link.url)
            if best is None or ev.score > best[0].score:
                self._links[link.url] = (ev, link.text)

    def wants(self, url: str) -> bool:
        """Whether the page at ``url`` should be fetched for its own evidence."""
        best = self._links.get(url)
        return best is not None and best[0].score > 0

    def add_page(self, url: str, final_url: str, scan: PageScan) -> None:
        self._pages[url] = page_evidence(scan, final_url)
        self._final[url] = final_url

    def ranked(self, minimum: int = MIN_SCORE) -> list[Candidate]:
        """Candidates scoring at least ``minimum``, best first; one per final column URL."""
        out: dict[str, Candidate] = {}
        for url, (ev, label) in self._links.items():
            if ev.score <= 0:
                continue
            page = self._pages.get(url, Evidence())
            column = self._final.get(url, url)
            if column.rstrip("/") == self.homepage.rstrip("/"):
                continue  # a column that redirects to the homepage is gone
            candidate = Candidate(column, label, ev.score + page.score, ev.reasons + page.reasons)
            if candidate.score >= minimum and (column not in out or out[column].score < candidate.score):
                out[column] = candidate
        return sorted(out.values(), key=lambda c: (-c.score, len(c.column), c.column))


def sub_columns(links: Iterable[Link], page_url: str) -> list[str]:
    """The year folders (2023年, 2022年度 …) or per-agency sub-columns a column page lists, to be
    walked as parts of the column: a province's column often aggregates its departments' and
    lower governments' columns, and older columns file each year in its own folder.

    At least two year folders, or three agency links under the page's own folder, none of them a
    single document, nor a year hung under a look-alike's branch of a menu tree (统计年报 › 2023年).

    >>> sub_columns([Link("http://x.gov.cn/nb/2023/", "2023年"), Link("http://x.gov.cn/nb/2022/", "2022年"),
    ...              Link("http://x.gov.cn/nb/t20240101_1.html", "2023年报告")], "http://x.gov.cn/nb/")
    ['http://x.gov.cn/nb/2023/', 'http://x.gov.cn/nb/2022/']
    """
    folder = urlsplit(page_url).path.rsplit("/", 1)[0] + "/"
    years, agencies = [], []
    for link in links:
        parts = urlsplit(link.url)
        if is_document_url(link.url) or link.url.rstrip("/") == page_url.rstrip("/"):
            continue
        if P.YEAR_FOLDER_RE.match(link.text) and not _looks_alike(link.parent):
            years.append(link.url)
        elif (len(link.text) <= 16 and P.AGENCY_RE.search(link.text) and not _looks_alike(link.text)
              and parts.path.startswith(folder) and parts.path != folder):
            agencies.append(link.url)
    found = (years if len(set(years)) >= 2 else []) + (agencies if len(set(agencies)) >= 3 else [])
    return list(dict.fromkeys(found))


def body_name(title: str | None) -> str | None:
    """The body's name from its homepage title, for a portal the registry does not know.

    >>> body_name("首页_江苏省人民政府"), body_name("北京市人民政府门户网站"), body_name("東港市政府 - 首頁")
    ('江苏省人民政府', '北京市人民政府', '東港市政府')
    >>> body_name("Welcome") is None
    True
    """
    for part in re.split(r"\s*[-_|—–·:：|｜]+\s*", (title or "").strip()):
        name = part
        for noise in P.TITLE_NOISE:
            name = name.replace(noise, "")
        name = _clean(name)
        if 2 < len(name) <= 30 and P.AGENCY_RE.search(name):
            return name
    return None
