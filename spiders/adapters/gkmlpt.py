"""Guangdong gkmlpt adapter: read a 政府信息公开目录 category from its JSON API instead of running the Vue app.

Every Guangdong government site (province, cities, departments) serves its disclosure catalogue
as one Vue single-page app, ``/<dept>/gkmlpt/index#<catid>``, whose page config holds the site id
(``SID: '662021'``). The app reads ``/<dept>/gkmlpt/api/all/<catid>?page=<n>&sid=<sid>``::

    {"total": 135, "articles": [{"id": 2145678, "title": "…2020年政府信息公开工作年度报告",
      "url": "http://…/gkmlpt/content/2/2145/post_2145678.html", "created_at": "2021-01-15 10:22:31",
      "display_publish_time": 1610677351, …}, …], "classify": {…}}

Pages hold 100 articles on the real platform (any size works: the first page's length is used).
Some answers carry no ``total``: the next page is then asked for while pages come back full,
and an empty or short page ends the list.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urljoin, urlsplit

from pipelines.htmltext import normalize_line
from pipelines.metadata import parse_date
from spiders.adapters import AdapterCall, epoch_date, read_count, read_json
from spiders.links import ListEntry
from spiders.paging import MAX_PAGES

NAME = "gkmlpt"
# The site id in the app's config: window._CONFIG = {SID: '662021', …} (also "sid": "662021").
SID_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"""["']?\bSID["']?\s*[:=]\s*["']?(\d+)""", re.I),
    re.compile(r"""[?&]sid=(\d+)"""),
)
# The category when the column URL has no #<catid> fragment: a config key or an API URL.
CATID_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"""["']?\b(?:CAT_?ID|catId|category_id)["']?\s*[:=]\s*["']?(\d+)""", re.I),
    re.compile(r"""/gkmlpt/api/all/(\d+)"""),
)
# Article fields holding the link and the date, in order of preference. Dates are text
# ("2021-01-15 10:22:31") or Unix seconds (display_publish_time), Beijing time.
URL_KEYS: tuple[str, ...] = ("url", "post_url", "link")
DATE_KEYS: tuple[str, ...] = ("display_publish_time", "publish_time", "first_publish_time", "created_at",
                              "create_time", "date")


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def api_call(api_base: str, catid: str, sid: str, page: int, state: dict) -> AdapterCall:
    """The GET call for one page of a category: ``…/gkmlpt/api/all/<catid>?page=<n>&sid=<sid>``."""
    return AdapterCall(f"{api_base}/api/all/{catid}?page={page}&sid={sid}", NAME,
                       state={**state, "api_base": api_base, "catid": catid, "sid": sid, "page": page})


def detect(html: str, page_url: str, column_url: str) -> list[AdapterCall]:
    """The first API call of a gkmlpt catalogue page, or nothing for any other page.

    >>> page = "<div id='app'></div><script>window._CONFIG = {SID: '662021', TYPE: 'gkml'}</script>"
    >>> detect(page, "http://www.yj.gov.cn/yjzjj/gkmlpt/index", "http://www.yj.gov.cn/yjzjj/gkmlpt/index#721")[0].url
    'http://www.yj.gov.cn/yjzjj/gkmlpt/api/all/721?page=1&sid=662021'
    """
    if "/gkmlpt/" not in page_url:
        return []
    sid = _first(SID_RES, html)
    fragment = urlsplit(column_url or page_url).fragment or urlsplit(page_url).fragment
    catid = fragment if fragment.isdigit() else _first(CATID_RES, html)
    if not sid or not catid:
        return []
    api_base = page_url.split("#")[0].split("/gkmlpt/")[0] + "/gkmlpt"
    return [api_call(api_base, catid, sid, 1, {"page_url": page_url.split("#")[0]})]


def _date(article: dict) -> str | None:
    for key in DATE_KEYS:
        value = article.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            if (date := epoch_date(value)) is not None:
                return date
            continue
        if isinstance(value, str) and parse_date(value):
            return parse_date(value)
    return None


def parse(response_text: str, call: AdapterCall) -> tuple[list[ListEntry], list[AdapterCall]]:
    """Entries of one API page (same host only), and the calls for the pages still to fetch.

    With a ``total``, page 1 yields the calls for every other page. Without one, each full page
    yields the call for the next (page 1's length is the page size) and a short or empty page
    none. Either way no page past ``state["max_pages"]`` is asked for (the spider's
    ``GONGKAI_MAX_LIST_PAGES`` when it puts it there; else :data:`spiders.paging.MAX_PAGES`).
    """
    data = read_json(response_text)
    articles = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(articles, list) or not articles:
        return [], []  # an empty page ends the list
    state = call.state
    page_url = state["page_url"]
    host = urlsplit(page_url).hostname
    entries: list[ListEntry] = []
    for article in articles:
        if not isinstance(article, dict):
            continue
        href = next((article[k] for k in URL_KEYS if isinstance(article.get(k), str) and article[k]), None)
        title = normalize_line(str(article.get("title") or ""))
        if not href or not title:
            continue
        url = urljoin(page_url, href)
        if urlsplit(url).hostname != host:
            continue
        entries.append(ListEntry(url, title, _date(article), f"gkmlpt:{state['catid']}"))
    more: list[AdapterCall] = []
    total = data.get("total")
    total = read_count(total)
    page = state["page"]
    limit = state.get("max_pages") or MAX_PAGES
    if total is not None:
        if page == 1 and total > len(articles):
            last = min(math.ceil(total / len(articles)), limit)
            more = [api_call(state["api_base"], state["catid"], state["sid"], n, state) for n in range(2, last + 1)]
    elif page < limit and len(articles) >= state.get("page_size", len(articles)):
        # No count given: one page after another while they come back full. Page 1's length is
        # the page size; a shorter page is the last, an empty one (above) ends the list too.
        more = [api_call(state["api_base"], state["catid"], state["sid"], page + 1,
                         {**state, "page_size": state.get("page_size", len(articles))})]
    return entries, more
