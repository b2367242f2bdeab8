"""Serve a demo Site on 127.0.0.1 with exact bytes, headers, delays and a request log."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Placeholders replaced at serve time, because the port is only known once the server runs.
BASE_PLACEHOLDER = "{BASE}"
OTHER_HOST_PLACEHOLDER = "{OTHER_HOST_BASE}"

HTML_UTF8 = "text/html; charset=utf-8"

NOT_FOUND_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在</title></head>'
    "<body><h1>404</h1><p>抱歉,您访问的页面不存在或已被删除。</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
).encode()


@dataclass
class Resource:
    """One response: exact body bytes and the Content-Type header value to send.

    ``content_type=None`` sends no Content-Type header at all; ``delay`` sleeps before the
    status line is written (to provoke client timeouts). ``headers`` adds e.g. Location.
    """

    body: bytes
    content_type: str | None = HTML_UTF8
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class ExpectedDoc:
    """What a correct crawler should archive for one link on a site's column list.

    ``body_text`` joins paragraphs by "\\n" and writes each table row as one line of
    tab-separated cell texts (cells as written in HTML, spans not expanded); lines are
    stripped. It includes section headings and the signature block, but not the title, the
    xxgk metadata table or page chrome. For ``mirror`` pages it is the text without pinyin
    annotations. For ``failure`` links (404, 500, offsite-redirect, timeout, robots,
    oversize) the body fields are empty.
    """

    path: str
    is_report: bool
    title: str
    publish_date: str
    written_date: str | None = None
    report_year: int | None = None
    agency: str | None = None
    index_no: str | None = None
    doc_number: str | None = None
    script: str = "simplified"
    body_text: str = ""
    attachments: list[str] = field(default_factory=list)
    mirror: bool = False
    failure: str | None = None
    list_date: str | None = None
    # "html", or the attachment type whose text is the report (the page is only a stub)
    source_format: str = "html"


@dataclass
class Site:
    """A fake government website: resources keyed by path+query exactly as requested."""

    name: str
    title: str
    resources: Mapping[str, Resource]
    column_path: str
    expected: list[ExpectedDoc]
    encoding: str = "utf-8"

    def reports(self) -> list[ExpectedDoc]:
        """Expected docs that are annual reports and should be fetched successfully."""
        return [d for d in self.expected if d.is_report and d.failure is None]


# An anti-bot gateway in front of the site (the kind 瑞数/加速乐 put before many provincial
# portals): without its cookie every request gets 412 and a script that sets the cookie and
# reloads; a browser passes, a plain HTTP client never does.
CHALLENGE_COOKIE = "gk_clearance=7f3a"
CHALLENGE_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><meta http-equiv='Pragma' content='no-cache'>"
    "<script>var $_ts = window['$_ts'] || {}; $_ts.nsd = 81726;"
    f"document.cookie = '{CHALLENGE_COOKIE}; path=/'; setTimeout(function () {{ location.reload(); }}, 50);"
    "</script></head><body></body></html>"
).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "WebServer"  # gov portals hide their server banner
    sys_version = ""
    # Idle keep-alive connections are dropped after this many seconds so threads never pile up.
    timeout = 15
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        owner = self.server.owner
        owner._log(self.command, self.path, dict(self.headers.items()))
        res = owner.site.resources.get(self.path)
        if res is None:
            res = Resource(NOT_FOUND_PAGE, HTML_UTF8, status=404)
        elif owner.challenge and CHALLENGE_COOKIE not in (self.headers.get("Cookie") or ""):
            res = Resource(CHALLENGE_PAGE, HTML_UTF8, status=412)
        if res.delay:
            time.sleep(res.delay)
        body = owner.fill(res.body)
        etag = f'"{hashlib.sha1(body).hexdigest()}"' if owner.validators and res.status == 200 else None
        modified = owner.modified_at(self.path, body) if owner.last_modified and res.status == 200 else None
        validators = ([("ETag", etag)] if etag else []) + (
            [("Last-Modified", format_datetime(modified, usegmt=True))] if modified else [])
        if _not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, modified):
            self.send_response(304)
            for name, value in validators:
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            self.send_response(res.status)
            for name, value in validators:
                self.send_header(name, value)
            if res.content_type is not None:
                self.send_header("Content-Type", res.content_type)
            for name, value in res.headers.items():
                self.send_header(name, owner.fill_text(value))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            # The client gave up (timeout or maxsize tests); nothing to report.
            self.close_connection = True


def _not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str | None,
                  modified: dt.datetime | None) -> bool:
    """Whether a conditional GET gets 304, by RFC 9110 §13.2.2: If-None-Match, when sent, decides
    alone; else If-Modified-Since at or after the resource's Last-Modified."""
    if if_none_match is not None:
        return etag is not None and if_none_match == etag
    if modified is None or not if_modified_since:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unparsable date is ignored, as servers do
    return since.tzinfo is not None and modified <= since


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: SiteServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Aborted connections are expected in failure tests; keep stderr quiet.
        return


class SiteServer:
    """Serve one Site on 127.0.0.1 in a daemon thread.

    >>> with SiteServer(site) as srv:                      # doctest: +SKIP
    ...     urllib.request.urlopen(srv.column_url).read()

    ``requests`` is a snapshot list of (method, path, headers) received so far. With
    ``validators=True`` successful answers carry an ``ETag`` (a hash of the body) and a
    matching ``If-None-Match`` gets 304, as TRS and Hanweb front-end servers do. With
    ``last_modified=True`` they carry a ``Last-Modified`` date (when this server first served
    that body at that path; a changed body gets a later date) and an ``If-Modified-Since`` at or
    after it gets 304, as a plain Apache or nginx serving static pages does. Without either the
    site sends no validators, as many older CMSs.
    """

    def __init__(self, site: Site, port: int = 0, validators: bool = False,
                 last_modified: bool = False, challenge: bool = False) -> None:
        self.site = site
        self.validators = validators
        self.last_modified = last_modified
        self.challenge = challenge
        self._want_port = port
        self._lock = threading.Lock()
        self._requests: list[tuple[str, str, dict[str, str]]] = []
        self._versions: dict[str, tuple[str, dt.datetime]] = {}  # path -> (body sha1, Last-Modified)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def other_host_base(self) -> str:
        """Same server under another host name (off-site for a crawler)."""
        return f"http://localhost:{self.port}"

    @property
    def column_url(self) -> str:
        return self.base_url + self.site.column_path

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def requests(self) -> list[tuple[str, str, dict[str, str]]]:
        with self._lock:
            return list(self._requests)

    def paths_requested(self) -> list[str]:
        return [path for _, path, _ in self.requests]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _log(self, method: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self._requests.append((method, path, headers))

    def modified_at(self, path: str, body: bytes) -> dt.datetime:
        """The Last-Modified of ``path`` serving ``body``: when that body was first served there.

        Whole seconds (HTTP dates have no fractions), and always later than the previous
        version's, so an edit made within the same second still fails If-Modified-Since.
        """
        digest = hashlib.sha1(body).hexdigest()
        with self._lock:
            known = self._versions.get(path)
            if known is not None and known[0] == digest:
                return known[1]
            now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            if known is not None and now <= known[1]:
                now = known[1] + dt.timedelta(seconds=1)
            self._versions[path] = (digest, now)
            return now

    def fill_text(self, text: str) -> str:
        return (text.replace(OTHER_HOST_PLACEHOLDER, self.other_host_base)
                .replace(BASE_PLACEHOLDER, self.base_url))

    def fill(self, body: bytes) -> bytes:
        if b"{" not in body:
            return body
        return (body.replace(OTHER_HOST_PLACEHOLDER.encode(), self.other_host_base.encode())
                .replace(BASE_PLACEHOLDER.encode(), self.base_url.encode()))

    def start(self) -> SiteServer:
        self._httpd = _Server(("127.0.0.1", self._want_port), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name=f"demo-{self.site.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def serve_many(sites: Sequence[Site]) -> Iterator[list[SiteServer]]:
    """Start a SiteServer per site (each on its own free port) and stop them all on exit."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(SiteServer(s)) for s in sites]


def free_port() -> int:
    """A port that was free a moment ago (for callers that must know it before serving)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
