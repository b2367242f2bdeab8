"""Hanweb (大汉) JCMS adapter: read a column's list from ``dataproxy.jsp`` XML instead of running jpage.

Hanweb column pages (``/col/col<id>/index.html``; common in 浙江, 江苏, 安徽, 山东, 内蒙古) leave the
list container empty and let the jQuery "jpage" plugin fill it. jpage asks
``/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15`` with a POST form
(``col=1&appid=1&webid=…&path=/&columnid=…&sourceContentType=1&unitid=…&webname=…&permissiontype=0``)
for three pages of records at once. Older sites GET ``/module/jpage/dataproxy.jsp?page=N&…`` one
page at a time. Both answer with XML::

    <datastore><totalrecord>120</totalrecord><totalpage>8</totalpage>
    <recordset><record><![CDATA[<li><a href="/art/2020/9/10/art_165819_9795188.html">…</a>
    <span>2020-09-10</span></li>]]></record>…</recordset></datastore>

The parameters are read from the page source wherever the template writes them: a JS object
literal (``columnid: 1229214366``), an assignment, a query string or a hidden input.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

from lxml import etree

from pipelines.htmltext import parse_html
from spiders.adapters import AdapterCall, read_count
from spiders.links import ListEntry, find_entries
from spiders.paging import MAX_PAGES

NAME = "hanweb"
# The endpoint, as written in the page (jpage options, a <nextgroup> link, a script URL).
ENDPOINT_RE = re.compile(r"(?:/[\w.-]+)*?/module/(?:web/)?jpage/dataproxy\.jsp")
# An explicit GET URL with a page number: the older GET variant, or the <nextgroup> link that
# some templates embed with the first page (seen on www.cma.org.cn, wzkj.wenzhou.gov.cn).
GET_URL_RE = re.compile(r"""(?:/[\w.-]+)*?/module/(?:web/)?jpage/dataproxy\.jsp\?[^"'<>\s\]]*\bpage=\d+[^"'<>\s\]]*""")
# The form fields jpage posts, in the order Hanweb sends them.
FORM_FIELDS: tuple[str, ...] = (
    "col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
    "permissiontype",
)
# Page-size keys: the jpage option, the query-string parameter.
PERPAGE_KEYS: tuple[str, ...] = ("perPage", "perpage", "pageSize")
DEFAULT_PERPAGE = 15
# jpage's groupSize: records of this many pages are fetched in one call.
GROUP_PAGES = 3
# Ways a template writes ``name = value``; tried in order, first hit wins. {name} is filled in.
VALUE_PATTERNS: tuple[str, ...] = (
    r"""["']?\b{name}["']?\s*:\s*(?:(?P<q>["'])(?P<v>[^"']*)(?P=q)|(?P<w>[^"',;}}\s]+))""",  # {k: v}
    r"""\b{name}\s*=\s*(?:(?P<q>["'])(?P<v>[^"']*)(?P=q)|(?P<w>\d+))""",  # var columnid = '…' / = 12
    r"""[?&]{name}=(?P<v>[^&"'\s<>]*)""",  # query string
    r"""<input[^>]*\bname=["']{name}["'][^>]*\bvalue=["'](?P<v>[^"']*)["']""",  # hidden input
    r"""<input[^>]*\bvalue=["'](?P<v>[^"']*)["'][^>]*\bname=["']{name}["']""",
)
# Compiled once per parameter name.
_VALUE_RES: dict[str, tuple[re.Pattern[str], ...]] = {
    name: tuple(re.compile(p.format(name=re.escape(name))) for p in VALUE_PATTERNS)
    for name in (*FORM_FIELDS, *PERPAGE_KEYS)
}
_SCRIPT_RE = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_ROW_RECORD = re.compile(r"\s*<tr\b", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _find_value(text: str, name: str) -> str | None:
    for pattern in _VALUE_RES[name]:
        match = pattern.search(text)
        value = match and (match.group("v") or match.groupdict().get("w"))
        if value:
            return unquote(value)
    return None


def _params(html: str) -> dict[str, str]:
    """The jpage parameters, looked up first in the script that names the endpoint, then anywhere."""
    scripts = [s for s in _SCRIPT_RE.findall(html) if "dataproxy.jsp" in s or "jpage" in s]
    found: dict[str, str] = {}
    for name in (*FORM_FIELDS, *PERPAGE_KEYS):
        for text in (*scripts, html):
            value = _find_value(text, name)
            if value is not None:
                found[name] = value
                break
    return found


def _perpage(params: dict[str, str]) -> int:
    for key in PERPAGE_KEYS:
        if n := read_count(params.get(key)):
            return n
    return DEFAULT_PERPAGE


def records_call(endpoint: str, form: dict[str, str], start: int, perpage: int, state: dict) -> AdapterCall:
    """The POST call for the records from ``start`` on (one jpage group: ``perpage`` × 3 records)."""
    end = start + perpage * GROUP_PAGES - 1
    url = f"{endpoint}?startrecord={start}&endrecord={end}&perpage={perpage}"
    return AdapterCall(url, NAME, "POST", dict(form),
                       {**state, "mode": "records", "start": start, "perpage": perpage, "endpoint": endpoint})


def page_call(endpoint: str, query: list[tuple[str, str]], page: int, state: dict) -> AdapterCall:
    """The GET call for page ``page`` of the older variant (``dataproxy.jsp?page=N&…``)."""
    pairs = [(k, str(page) if k == "page" else v) for k, v in query]
    return AdapterCall(f"{endpoint}?{urlencode(pairs)}", NAME, "GET", None,
                       {**state, "mode": "pages", "page": page, "endpoint": endpoint, "query": query})


def detect(html: str, page_url: str, column_url: str) -> list[AdapterCall]:
    """The first dataproxy call of a Hanweb column page, or nothing when the page has no jpage list.

    >>> page = ('<div id="4587"></div><script>$("#4587").jpage({proxyUrl:"/module/web/jpage/'
    ...         'dataproxy.jsp", perPage:15, ajaxParam:{col:1,appid:1,webid:3,path:"/",'
    ...         'columnid:1229214366,sourceContentType:1,unitid:4587,webname:"青溪县",permissiontype:0}})</script>')
    >>> call = detect(page, "http://www.qx.gov.cn/col/col1229214366/index.html", "")[0]
    >>> call.method, call.url.rsplit("/", 1)[1], call.formdata["columnid"]
    ('POST', 'dataproxy.jsp?startrecord=1&endrecord=45&perpage=15', '1229214366')
    """
    if "dataproxy.jsp" not in html:
        return []
    state = {"page_url": page_url, "column_url": column_url or page_url}
    get_url = GET_URL_RE.search(html)
    if get_url:
        parts = urlsplit(urljoin(page_url, get_url.group(0).replace("&amp;", "&")))
        endpoint = f"{parts.scheme}://{parts.netloc}{parts.path}"
        query = parse_qsl(parts.query, keep_blank_values=True)
        return [page_call(endpoint, query, 1, state)]
    match = ENDPOINT_RE.search(html)
    params = _params(html)
    if not match or not params.get("columnid"):
        return []
    endpoint = urljoin(page_url, match.group(0))
    form = {name: params[name] for name in FORM_FIELDS if name in params}
    return [records_call(endpoint, form, 1, _perpage(params), state)]


# jpage pages that carry their first group of records in the page itself (青田/浙江 Hanweb
# templates): <script type="text/xml"><datastore>…<recordset><record>…</recordset></datastore>
_INLINE_DATASTORE = re.compile(r"""<script[^>]*\btype=["']?text/xml["']?[^>]*>\s*(<datastore>.*?</datastore>)""",
                               re.S | re.I)


def inline(html: str, page_url: str, column_url: str) -> tuple[list[ListEntry], list[AdapterCall]] | None:
    """The records a jpage page already holds, and the calls for the groups after them.

    The embedded datastore is the answer to the first dataproxy call, so it is read as one: its
    entries come from the page, and the endpoint is asked from the next group on. None when
    the page embeds no records (or names no records endpoint to continue from).
    """
    if "<datastore>" not in html:
        return None
    match = _INLINE_DATASTORE.search(html)
    calls = detect(html, page_url, column_url) if match else []
    if not match or not calls or calls[0].state.get("mode") != "records":
        return None
    entries, more = parse(match.group(1), calls[0])
    return (entries, more) if entries else None


def read_datastore(text: str) -> tuple[list[str], int | None, int | None]:
    """The record HTML snippets, total record count and total page count of a dataproxy answer.

    Parsed with lxml's recovering XML parser (some sites send stray ``&`` outside the CDATA);
    a body lxml cannot read at all falls back to matching the CDATA records directly.
    """
    text = _XML_DECL.sub("", text, count=1)
    records: list[str] = []
    totals: dict[str, int | None] = {"totalrecord": None, "totalpage": None}
    try:
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        root = None
    if root is not None:
        records = [r.text or "" for r in root.iter("record")]
        for key in totals:
            value = (root.findtext(f".//{key}") or "").strip()
            totals[key] = read_count(value)
    if not records:
        records = _RECORD_RE.findall(text)
        for key in totals:
            found = re.search(rf"<{key}>\s*(\d+)\s*</{key}>", text)
            totals[key] = totals[key] or (read_count(found.group(1)) if found else None)
    return records, totals["totalrecord"], totals["totalpage"]


def parse(response_text: str, call: AdapterCall) -> tuple[list[ListEntry], list[AdapterCall]]:
    """Entries of one dataproxy answer; the first answer also yields the calls for the rest."""
    records, total, pages = read_datastore(response_text)
    state = call.state
    joined = "".join(records)
    if _ROW_RECORD.match(joined):  # bare <tr> records: without a <table> the HTML parser drops them
        joined = f"<table>{joined}</table>"
    tree = parse_html(f"<html><body><div class=\"jpage-records\">{joined}</div></body></html>")
    entries = find_entries(tree, state["page_url"], state["column_url"])
    if not records:
        return entries, []
    more: list[AdapterCall] = []
    # A stated total is the server's word: totalrecord=1000000000 would otherwise make millions of
    # calls (and as many objects) before the spider's own cap looks at them. One call is a group
    # of pages in "records" mode, one page in "pages" mode; either way at most this many.
    limit = state.get("max_pages") or MAX_PAGES
    if state["mode"] == "records":
        perpage = state["perpage"]
        group = perpage * GROUP_PAGES
        if total is not None and state["start"] == 1:
            # The first answer knows the total: ask for every further group at once.
            for start in range(1 + group, min(total, group * limit) + 1, group):
                more.append(records_call(state["endpoint"], call.formdata or {}, start, perpage, state))
        elif total is None and len(records) >= group and state["start"] + group <= group * limit:
            # No count given: one group after another, while they come back full.
            more.append(records_call(state["endpoint"], call.formdata or {}, state["start"] + group, perpage, state))
    else:
        if pages is None and total is not None:
            pages = math.ceil(total / max(len(records), 1))
        if pages is not None and state["page"] == 1:
            for page in range(2, min(pages, limit) + 1):
                more.append(page_call(state["endpoint"], state["query"], page, state))
        elif pages is None and state["page"] < limit:
            more.append(page_call(state["endpoint"], state["query"], state["page"] + 1, state))
    return entries, more
