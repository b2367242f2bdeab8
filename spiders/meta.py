"""The ``request.meta`` keys gongkai sets and reads, in one place: what a request carries from
the spider (``spiders/column.py``) through the downloader middlewares (``crawler/middlewares.py``,
``spiders/browser.py``) and back to the spider's callbacks and the spider middleware.

Every key is namespaced ``gongkai_`` so none can collide with Scrapy's own (``playwright``,
``handle_httpstatus_list``, ``redirect_urls`` …). A new key is added here, with a comment saying
who sets it and who reads it.
"""

from __future__ import annotations

# --- set by the spider on every request -------------------------------------------------------
KIND_META = "gongkai_kind"  # list / article / article-part / attachment / adapter
COLUMN_META = "gongkai_column"  # the column URL the crawl started from
TITLE_META = "gongkai_title"  # the list entry's title (an article's or a file's link text)
DATE_META = "gongkai_date"  # the list entry's date
# attachments: the linking page, its kind (list/article) and the link text
PAGE_META = "gongkai_page"
FROM_META = "gongkai_from"
LINK_META = "gongkai_link"
ADAPTER_CALL_META = "gongkai_adapter_call"  # the spiders.adapters.AdapterCall a list-endpoint request makes
# an article's later pages: the first page's item waiting for them, the pages still to fetch
FIRST_PAGE_META = "gongkai_first_page"
PAGES_LEFT_META = "gongkai_pages_left"

# --- set by the downloader middlewares, read by the spider -----------------------------------
ENCODING_META = "gongkai_encoding"  # crawler.middlewares.EncodingMiddleware's EncodingDecision
WARC_META = "gongkai_warc"  # where the exchange went in the WARC files (file, offset, length, id)
SKIPPED_META = "gongkai_skipped"  # a known page not requested at all (answered as a 304)

# --- the browser (spiders/browser.py) --------------------------------------------------------
RENDER_META = "gongkai_render"  # the spider's decision: {host, kind, path_prefix, renderer, reason}
ROUTED_META = "gongkai_routed"  # why the browser renders it: detected / rule / always / challenge
# the anti-bot challenge a render is to pass (spiders/challenge.py); its cookies are then shared
# with plain HTTP (Set-Cookie on the rendered response, taken up by Scrapy's cookie middleware)
CHALLENGE_META = "gongkai_challenge"
# the crawl's spiders.addresses.AddressPolicy, for the page's own requests (scripts, XHR,
# frames), and the requests it refused during one render ("reason: URL")
ADDRESS_META = "gongkai_address_policy"
REFUSED_META = "gongkai_refused_requests"
HTTP_BODY_META = "gongkai_http_body"  # the bytes an HTTP fetch already received (fed to the browser)
HTTP_TYPE_META = "gongkai_http_content_type"  # their Content-Type, charset corrected
HTTP_WARC_META = "gongkai_http_warc"  # WARC record id of that HTTP fetch
SERVER_META = "gongkai_server_response"  # what the server sent when the browser fetched the page
# Set instead of ``playwright`` on a page to render whose URL could serve a file (no page
# extension: ``getfile?id=1`` on Hanweb/TRS download servlets): it is fetched over plain HTTP
# first, and the spider renders it from those bytes only if they are HTML, so a file never goes
# through the browser and always gets the attachment size cap.
RENDER_AFTER_FETCH_META = "gongkai_render_after_fetch"
OPEN_PAGE_META = "_gongkai_page"  # the open Playwright page, while the render runs (to close a hung one)
# What the page's scripts fetched from its own host while rendering (XHR/fetch answers that are
# data, not pages): [{url, method, body, answer}]. A single-page app's list endpoint lives in its
# bundle, so this is the only place a crawler sees it (see spiders.adapters.xhrlist.from_network).
XHR_META = "gongkai_xhr"
# Set by the spider on a list page whose 下一页 only a script follows (spiders.paging.script_pager):
# its render clicks the control to learn where it leads (spiders.browser.read_script_pager).
SCRIPT_PAGER_META = "gongkai_script_pager"
