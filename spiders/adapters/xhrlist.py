"""Generic script-loader adapter: a list page whose inline script asks a paged endpoint with literal parameters.

Many columns on CMSs no adapter knows fill an empty ``<ul>`` from a jQuery call written in the
page itself, e.g. (a 景宁-style template; Hanweb's 信息公开 ``/module/xxgk/search.jsp`` does the
same with a ``<form>``)::

    $.ajax({url: "/api/column/list", data: {columnId: 123, pageNo: p, pageSize: 15}, …})
    → {"total": 37, "rows": [{"title": "…", "url": "/…/1.html", "publishTime": 1642521600000}]}

    $.ajax({url: document.searchform.action, type: "POST", data: $("#searchform").serialize()})
    → <table>…<a href="/art/…">…</a>…</table> 共7条 第1/3页 … pageturn(2)

When it applies (all of these, so a page that merely loads a widget is left to the browser):
the call is in an inline script; its URL is a string literal (or the ``action`` of the form whose
``serialize()`` is its data) on the page's own host; its parameters (an object literal of plain
values, or the form's inputs) name a page number (:data:`pipelines.urls.PAGE_PARAMS`). The answer is read as
JSON (the first list of objects carrying a title and a link, :data:`TITLE_KEYS`/
:data:`URL_KEYS`; dates in text, epoch seconds or milliseconds) or as an HTML fragment
(:func:`spiders.links.find_entries`). Pages: the answer's total (records or pages) gives them
all at once; without one, the next page is asked while pages come back full.

:func:`from_network` applies the same reading to a request a browser render made (the URL and
answer of an XHR), for single-page apps whose loader lives in a bundle.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from pipelines.htmltext import normalize_line, parse_html
from pipelines.metadata import parse_date
from pipelines.urls import PAGE_SIZE_PARAMS, find_params, is_static_asset, page_param
from spiders.adapters import AdapterCall, epoch_date, read_count, read_json
from spiders.links import ListEntry, find_entries
from spiders.paging import MAX_PAGES

NAME = "xhrlist"
# Record fields, in order of preference (seen: rows[].title/url/publishTime on Java back ends,
# list[].linkUrl/pubDate on Vue apps, data[].wzbt/url on TRS WCM 信息公开 APIs).
TITLE_KEYS: tuple[str, ...] = ("title", "name", "docTitle", "articleTitle", "wzbt", "bt", "subject")
URL_KEYS: tuple[str, ...] = ("url", "linkUrl", "link", "href", "docUrl", "articleUrl", "pageUrl", "path",
                             "detailUrl", "fileUrl")
DATE_KEYS: tuple[str, ...] = ("publishTime", "publishDate", "pubDate", "releaseTime", "releaseDate",
                              "docRelTime", "createTime", "createDate", "date", "time", "fbrq", "fbsj")
TOTAL_KEYS: tuple[str, ...] = ("total", "totalCount", "totalRecord", "totalRecords", "totalElements",
                               "recordCount", "count", "totalNum")
PAGES_KEYS: tuple[str, ...] = ("totalPage", "totalPages", "pageCount", "pages", "pageTotal")
# "共7条" / "共3页" / "第1/3页" in an HTML answer's pager.
HTML_TOTAL_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("pages", re.compile(r"共\s*(\d+)\s*页")),
    ("pages", re.compile(r"第?\s*\d+\s*/\s*(\d+)\s*页")),
    ("records", re.compile(r"共\s*(\d+)\s*条")),
)

_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
# The loader calls read: $.ajax({…}) / jQuery.ajax({…}), $.get/$.post/$.getJSON(url, {…}).
_AJAX_RE = re.compile(r"(?:\$|jQuery)\.ajax\(\s*\{")
_SHORT_RE = re.compile(r"""(?:\$|jQuery)\.(get|post|getJSON)\(\s*(["'])([^"']+)\2\s*,\s*\{([^{}]*)\}""")
_URL_RE = re.compile(r"""\burl\s*:\s*(?:(["'])([^"']+)\1|document\.(\w+)\.action|\$\(\s*["']#?(\w+)["']\s*\)"""
                     r"""\.attr\(\s*["']action["']\s*\))""")
_TYPE_RE = re.compile(r"""\b(?:type|method)\s*:\s*["'](\w+)["']""", re.I)
_DATA_OBJ_RE = re.compile(r"\bdata\s*:\s*\{([^{}]*)\}")
_DATA_FORM_RE = re.compile(r"""\bdata\s*:\s*(?:\$\(\s*["']#?(\w+)["']\s*\)|document\.(\w+))\.serialize\(\)""")
_PAIR_RE = re.compile(r"""["']?([A-Za-z_$][\w$]*)["']?\s*:\s*(?:(["'])([^"']*)\2|(-?\d+)\b|([A-Za-z_$][\w$.]*))""")
_FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_INPUT_RE = re.compile(r"<input\b[^>]*>", re.I)
_ATTR_RE = re.compile(r"""\b(name|id|value|action|method|type)\s*=\s*(["'])(.*?)\2""", re.S | re.I)


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(3) for m in _ATTR_RE.finditer(tag)}


def _forms(html: str) -> dict[str, tuple[str, str, dict[str, str]]]:
    """Forms by id and name: (action, method, fields of their named inputs)."""
    out: dict[str, tuple[str, str, dict[str, str]]] = {}
    for attrs, inner in _FORM_RE.findall(html):
        a = _attrs(attrs)
        fields = {}
        for tag in _INPUT_RE.findall(inner):
            ia = _attrs(tag)
            if ia.get("name") and ia.get("type", "text").lower() not in ("submit", "button", "image", "reset"):
                fields[ia["name"]] = ia.get("value", "")
        for key in (a.get("id"), a.get("name")):
            if key:
                out[key] = (a.get("action", ""), a.get("method", "get").lower(), fields)
    return out


def _object(literal: str) -> dict[str, str | None]:
    """A JS object literal's plain values; a variable's value is None (a loop or function argument)."""
    out: dict[str, str | None] = {}
    for m in _PAIR_RE.finditer(literal):
        key, quoted, number, ident = m.group(1), m.group(3), m.group(4), m.group(5)
        out[key] = quoted if quoted is not None else number if number is not None else (
            None if ident not in ("true", "false") else ident)
    return out


def _call(url: str, method: str, params: dict[str, str], page_key: str, page: int, state: dict) -> AdapterCall:
    params = {**params, page_key: str(page)}
    state = {**state, "url": url, "method": method, "params": params, "page_key": page_key, "page": page}
    if method == "POST":
        return AdapterCall(url, NAME, "POST", params, state)
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k not in params] + list(params.items())
    return AdapterCall(urlunsplit(parts._replace(query=urlencode(query))), NAME, "GET", None, state)


def _loader_calls(script: str, forms: dict) -> list[tuple[str | None, str, dict[str, str | None]]]:
    """(url, method, params) of each loader call in one script."""
    found = []
    for m in _AJAX_RE.finditer(script):
        window = script[m.end():m.end() + 1200]
        url_m = _URL_RE.search(window)
        if not url_m:
            continue
        form_m = _DATA_FORM_RE.search(window)
        data_m = _DATA_OBJ_RE.search(window)
        method = (_TYPE_RE.search(window).group(1).upper() if _TYPE_RE.search(window) else "GET")
        params: dict[str, str | None] = {}
        url = url_m.group(2)
        form = forms.get(form_m.group(1) or form_m.group(2)) if form_m else None
        if form is not None:
            params.update(form[2])
            url = url or form[0]
        elif data_m:
            params.update(_object(data_m.group(1)))
        if url is None and (url_m.group(3) or url_m.group(4)) in forms:
            url = forms[url_m.group(3) or url_m.group(4)][0]
        found.append((url, method, params))
    for m in _SHORT_RE.finditer(script):
        found.append((m.group(3), "POST" if m.group(1) == "post" else "GET", _object(m.group(4))))
    return found


def detect(html: str, page_url: str, column_url: str) -> list[AdapterCall]:
    """The first call of each paged loader an inline script of the page makes (see the module doc).

    >>> page = ('<ul id="list"></ul><script>function load(p){$.ajax({url: "/api/column/list", '
    ...         'data: {columnId: 123, pageNo: p, pageSize: 15}, success: function(r){}})} load(1);</script>')
    >>> detect(page, "http://www.x.gov.cn/xxgk/nb/index.html", "")[0].url
    'http://www.x.gov.cn/api/column/list?columnId=123&pageNo=1&pageSize=15'
    """
    if "ajax" not in html and "$.get" not in html and "$.post" not in html:
        return []
    forms = _forms(html)
    host = urlsplit(page_url).hostname
    state = {"page_url": page_url.split("#")[0], "column_url": column_url or page_url}
    calls: list[AdapterCall] = []
    for attrs, script in _SCRIPT_RE.findall(html):
        if "src=" in attrs.lower():
            continue
        for url, method, params in _loader_calls(script, forms):
            key = page_param(params)
            if not url or key is None:
                continue
            full = urljoin(page_url, url)
            if urlsplit(full).hostname != host or is_static_asset(full):
                continue
            # the page key keeps its place: some back ends route on the query string as written
            plain = {k: v or "" for k, v in params.items() if v is not None or k == key}
            call = _call(full, method, plain, key, 1, state)
            if all(c.url != call.url or c.formdata != call.formdata for c in calls):
                calls.append(call)
    return calls


def from_network(url: str, method: str, body: str | None, answer: str, page_url: str,
                 column_url: str) -> list[AdapterCall]:
    """The calls for the other pages of a list endpoint a browser render was seen asking.

    ``url``/``method``/``body`` are the XHR's request (body a form or JSON string, or None),
    ``answer`` its response text. Nothing unless the request names a page number and the answer
    reads as a list (:func:`parse` finds entries in it).
    """
    params: dict[str, str] = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    if method.upper() == "POST" and body:
        loaded = read_json(body)
        if loaded is None:
            params.update(parse_qsl(body, keep_blank_values=True))
        elif isinstance(loaded, dict):
            params.update({k: str(v) for k, v in loaded.items()})
    key = page_param(params)
    if key is None or read_count(params[key]) is None:
        return []
    base = urlunsplit(urlsplit(url)._replace(query=""))
    state = {"page_url": page_url.split("#")[0], "column_url": column_url or page_url}
    first = _call(base, method.upper(), params, key, read_count(params[key]) or 0, state)
    entries, more = parse(answer, first)
    return more if entries else []


# --- reading answers --------------------------------------------------------------------


def _records(data: Any, depth: int = 0) -> tuple[list[dict], dict | None]:
    """The first list of objects with a title and a link, and the object holding it."""
    if depth > 4:
        return [], None
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list) and any(isinstance(v, dict) and _title(v) and _link(v) for v in value):
                return [v for v in value if isinstance(v, dict)], data
        for value in data.values():
            if isinstance(value, (dict, list)):
                found, holder = _records(value, depth + 1)
                if found:
                    return found, holder
    elif isinstance(data, list):
        if any(isinstance(v, dict) and _title(v) and _link(v) for v in data):
            return [v for v in data if isinstance(v, dict)], None
    return [], None


def _title(record: dict) -> str:
    return next((normalize_line(str(record[k])) for k in TITLE_KEYS if isinstance(record.get(k), str)
                 and record[k].strip()), "")


def _link(record: dict) -> str | None:
    return next((record[k] for k in URL_KEYS if isinstance(record.get(k), str) and record[k].strip()), None)


def _date(record: dict) -> str | None:
    for key in DATE_KEYS:
        value = record.get(key)
        if isinstance(value, str) and value.isdigit():
            # epoch ms as text has 13 digits; "²" and 5000-digit strings are digits int() refuses
            value = int(value) if value.isascii() and len(value) <= 15 else 0
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            seconds = value / 1000 if value > 10**11 else value  # epoch ms from Java back ends
            if (date := epoch_date(seconds)) is not None:
                return date
            continue
        if isinstance(value, str) and parse_date(value):
            return parse_date(value)
    return None


def _count(holders: list[dict | None], keys: tuple[str, ...]) -> int | None:
    for holder in holders:
        for key in keys:
            value = holder.get(key) if isinstance(holder, dict) else None
            if (count := read_count(value)) is not None:
                return count
    return None


def _read_json(data: Any, state: dict) -> tuple[list[ListEntry], int | None, int | None]:
    records, holder = _records(data)
    host = urlsplit(state["page_url"]).hostname
    entries = []
    for record in records:
        title, link = _title(record), _link(record)
        if not title or not link:
            continue
        url = urljoin(state["page_url"], link)
        if urlsplit(url).hostname == host:
            entries.append(ListEntry(url, title, _date(record), f"{NAME}:{urlsplit(state['url']).path}"))
    holders = [holder, data if isinstance(data, dict) else None,
               *(v for v in (data.values() if isinstance(data, dict) else ()) if isinstance(v, dict))]
    return entries, _count(holders, TOTAL_KEYS), _count(holders, PAGES_KEYS)


def _read_html(text: str, state: dict) -> tuple[list[ListEntry], int | None, int | None]:
    tree = parse_html(f"<html><body><div class=\"xhr-answer\">{text}</div></body></html>")
    entries = find_entries(tree, state["page_url"], state["column_url"])
    found = {kind: read_count(m.group(1)) for kind, pattern in HTML_TOTAL_RES if (m := pattern.search(text))}
    return entries, found.get("records"), found.get("pages")


def parse(response_text: str, call: AdapterCall) -> tuple[list[ListEntry], list[AdapterCall]]:
    """Entries of one answer (JSON or HTML); page 1 also yields the calls for the other pages."""
    state = call.state
    text = response_text.strip()
    data = read_json(text) if text[:1] in "{[" else None
    entries, total, pages = _read_json(data, state) if data is not None else _read_html(text, state)
    if not entries:
        return [], []
    page, limit = state["page"], state.get("max_pages") or MAX_PAGES
    size = state.get("page_size") or len(entries)
    if pages is None and total is not None:
        size_param = next((n for k in find_params(state["params"], PAGE_SIZE_PARAMS)
                           if (n := read_count(state["params"][k]))), None)
        pages = math.ceil(total / max(size_param or size, 1))

    def at(n: int) -> AdapterCall:
        return _call(state["url"], state["method"], state["params"], state["page_key"], n,
                     {**state, "page_size": size})

    if pages is not None:
        more = [at(n) for n in range(page + 1, min(pages, limit) + 1)] if page == state.get("first", page) else []
    elif page < limit and len(entries) >= size:
        more = [at(page + 1)]  # no count given: one page after another while they come back full
    else:
        more = []
    for c in more:
        c.state["first"] = state.get("first", page)
    return entries, more
