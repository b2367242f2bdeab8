"""List adapters: read a column's list from the data endpoint its page script calls, without a browser.

Spider side of spider → middleware → pipelines → archive. Many CMSs ship a list page whose entries
are loaded by JavaScript from a knowable endpoint (Hanweb's ``dataproxy.jsp`` XML, Guangdong's
``gkmlpt`` JSON API). An adapter is a module with two pure functions:

- ``detect(html, page_url, column_url) -> list[AdapterCall]``: the first calls to make, read from
  the list page's source (empty when the page is not of that platform);
- ``parse(response_text, call) -> (entries, more_calls)``: the :class:`spiders.links.ListEntry`
  items of one answer, and the calls that fetch the rest of the list.

The spider (:mod:`spiders.column`) turns calls into plain HTTP requests and entries into article
requests. A new platform is a new module here plus one line in :data:`ADAPTERS`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

from spiders.links import ListEntry

# name → module implementing detect() and parse(); tried in this order on every list page.
ADAPTERS: dict[str, str] = {
    "hanweb": "spiders.adapters.hanweb",  # 大汉 JCMS jpage: /module/web/jpage/dataproxy.jsp (XML)
    "gkmlpt": "spiders.adapters.gkmlpt",  # 广东 政府信息公开目录平台: /gkmlpt/api/all/<catid> (JSON)
}
# Tried only when no platform adapter above knows the page: a paged loader call written in an
# inline script ($.ajax with literal url and data, or a form's serialize()), JSON or HTML answers.
FALLBACK_ADAPTERS: dict[str, str] = {
    "xhrlist": "spiders.adapters.xhrlist",
}


@dataclass
class AdapterCall:
    """One request to a list endpoint: where, how, and what the adapter needs to read the answer.

    ``formdata`` set means a form POST (Hanweb's jpage), else a GET. ``state`` is the adapter's
    own (the list page URL the records' links are relative to, the page or record range, …);
    it travels in the request's ``meta`` and must stay picklable.
    """

    url: str
    adapter: str
    method: str = "GET"
    formdata: dict[str, str] | None = None
    state: dict[str, Any] = field(default_factory=dict)


# Answers are written by servers we do not control; these read their numbers and JSON safely.

# Counts an answer may state (totalrecord, total, totalPage). Larger is garbage or hostile: a
# 5000-digit total makes int() raise, 10**4000 overflows the float page arithmetic. Requests
# are further capped by GONGKAI_MAX_LIST_PAGES.
MAX_COUNT = 10**9
_COUNT_RE = re.compile(r"[0-9]{1,10}")
# Epoch seconds that name a date a report can have (1970–2100); 10**30 overflows time_t.
MAX_EPOCH_SECONDS = 4_102_444_800
BEIJING = dt.timezone(dt.timedelta(hours=8))


def read_count(value: Any) -> int | None:
    """A non-negative count from a JSON/XML value (``120``, ``"120"``), else None.

    >>> read_count(" 120 "), read_count("²"), read_count(10**30)
    (120, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_COUNT else None
    if isinstance(value, str) and _COUNT_RE.fullmatch(value.strip()):
        number = int(value.strip())
        return number if number <= MAX_COUNT else None
    return None


def read_json(text: str) -> Any:
    """The parsed JSON of an answer, or None when it is not JSON or nests too deep to read.

    ``json.loads`` recurses per nesting level: ``[[[[…`` 100,000 deep raises RecursionError,
    which is no ValueError and would escape a caller that only expects bad syntax.
    """
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def epoch_date(seconds: float) -> str | None:
    """The Beijing date of an epoch time in seconds, or None when out of any report's range."""
    if not 0 < seconds <= MAX_EPOCH_SECONDS:  # also False for NaN
        return None
    return dt.datetime.fromtimestamp(seconds, BEIJING).date().isoformat()


class Adapter(Protocol):
    """What an adapter module provides (see the module docstring)."""

    def detect(self, html: str, page_url: str, column_url: str) -> list[AdapterCall]: ...

    def parse(self, response_text: str, call: AdapterCall) -> tuple[list[ListEntry], list[AdapterCall]]: ...


def _module(name: str) -> ModuleType:
    return importlib.import_module(ADAPTERS.get(name) or FALLBACK_ADAPTERS[name])


def detect(html: str, page_url: str, column_url: str) -> list[AdapterCall]:
    """Every adapter's first calls for a list page (usually none, or one adapter's).

    ``page_url`` is the list page's URL (links in the answers are relative to it);
    ``column_url`` the column being crawled (a gkmlpt column names its category in the
    fragment: ``…/gkmlpt/index#721``).
    """
    calls: list[AdapterCall] = []
    for name in ADAPTERS:
        calls.extend(_module(name).detect(html, page_url, column_url))
    if not calls:
        # a generic reading must not add a second, wrong source to a platform's known one
        for name in FALLBACK_ADAPTERS:
            calls.extend(_module(name).detect(html, page_url, column_url))
    return calls


def inline(html: str, page_url: str, column_url: str) -> tuple[list[ListEntry], list[AdapterCall]] | None:
    """Entries a list page embeds as its endpoint's first answer, and the calls for the rest.

    For an adapter with an ``inline`` function (Hanweb's jpage datastore in the page); when it
    answers, its calls replace :func:`detect`'s, which would ask for the embedded records again.
    """
    for name in ADAPTERS:
        read = getattr(_module(name), "inline", None)
        found = read(html, page_url, column_url) if read is not None else None
        if found is not None:
            return found
    return None


def parse(response_text: str, call: AdapterCall) -> tuple[list[ListEntry], list[AdapterCall]]:
    """Entries of one endpoint answer and the further calls, by the adapter that made ``call``."""
    return _module(call.adapter).parse(response_text, call)
