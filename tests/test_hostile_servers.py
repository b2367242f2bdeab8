"""Hostile servers are bounded, and the crawler never goes where it must not.

One server on 127.0.0.1 (the start URLs' host) serves a good annual report beside a pager that
never ends, gzip/deflate/brotli bombs inflating to 10 GiB, a body that trickles forever, an
80 MB page, a redirect loop, empty and binary 200 answers labelled text/html, and redirects
(of an article and of an attachment) to 127.0.0.2, to a name that resolves there, to
10.255.255.1 and to 169.254.169.254. A listener on 127.0.0.2 proves nothing connected to it.
The real ``gongkai crawl`` must archive the good report, record every bad answer as a failure
with its reason, and end by itself within a time and memory bound.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import brotli
import pytest

from archive.store import Archive
from demo.sites import generic_site
from tests.crawling import FAST, REPO
from tests.test_browser_render import needs_chromium

pytestmark = pytest.mark.e2e

GIB = 1 << 30
MB = 1 << 20
BOMB_GIB = 10
MAX_LIST_PAGES = 4
DOWNLOAD_TIMEOUT = 4
TITLE_DATE = "2022-01-1{}"


@cache
def deflate_gib() -> bytes:
    """Raw deflate of 1 GiB of zeros, fully flushed: copies of it can follow one another."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(64 * MB)
    return b"".join(compressor.compress(zeros) for _ in range(GIB // len(zeros))) + compressor.flush(zlib.Z_FULL_FLUSH)


@cache
def bombs() -> dict[str, bytes]:
    """Content-Encoding → a body of at most ~10 MB that inflates to 10 GiB of zeros."""
    blocks = deflate_gib() * BOMB_GIB + b"\x03\x00"  # an empty final block ends the stream
    gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + blocks + b"\x00" * 8  # CRC/size never reached
    deflate = b"\x78\x9c" + blocks + b"\x00" * 4
    compressor = brotli.Compressor(quality=1)
    zeros = bytes(64 * MB)
    br = b"".join(compressor.process(zeros) for _ in range(BOMB_GIB * GIB // len(zeros))) + compressor.finish()
    return {"gzip": gzip, "deflate": deflate, "br": br}


def list_page(entries: list[tuple[str, str]], next_href: str | None) -> bytes:
    items = "".join(f'<li><a href="{href}">{title}</a><span>{TITLE_DATE.format(i % 10)}</span></li>'
                    for i, (href, title) in enumerate(entries))
    pager = f'<div class="page"><a href="{next_href}">下一页</a></div>' if next_href else ""
    return (f"<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body>"
            f"<div class='list'><ul>{items}</ul></div>{pager}</body></html>").encode()


class Listener:
    """A TCP listener on 127.0.0.2 that only counts connections (none may arrive)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.2", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


class HostileSite:
    """The hostile column (and a second column whose every page brings a new entry)."""

    GOOD = "/art/good.html"

    def __init__(self, private_port: int) -> None:
        site = generic_site()
        doc = site.reports()[0]
        self.good_title = doc.title
        self.good_body = site.resources[doc.path].body
        self.private_port = private_port
        self.bad = {  # path -> the failure reason a crawl must record for it (a substring)
            "/art/gzip.html": "DOWNLOAD_MAXSIZE", "/art/deflate.html": "DOWNLOAD_MAXSIZE",
            "/art/br.html": "DOWNLOAD_MAXSIZE", "/art/trickle.html": "timeout",
            "/art/huge.html": "oversize", "/art/loop.html": "redirect loop",
            "/art/empty.html": "empty body", "/art/binary.html": "undecodable body",
            "/art/to-loopback.html": "refused: loopback address 127.0.0.2",
            "/art/to-name.html": "refused: loopback address 127.0.0.2 (oa.test)",
            "/art/to-metadata.html": "refused: link-local address 169.254.169.254",
            "/files/report.pdf": "refused: private address 10.255.255.1",
            "/col3/index.html": "empty body",  # a start URL: an empty list page
        }
        self.entries = [(self.GOOD, self.good_title)] + [
            (path, f"江州市政府信息公开工作年度报告（{i}）")
            for i, path in enumerate(self.bad) if path.startswith("/art/")]
        self.redirects = {
            "/art/loop.html": "/art/loop2.html", "/art/loop2.html": "/art/loop.html",
            "/art/to-loopback.html": f"http://127.0.0.2:{private_port}/x.html",
            "/art/to-name.html": f"http://oa.test:{private_port}/y.html",
            "/art/to-metadata.html": "http://169.254.169.254/latest/meta-data/",
            "/files/report.pdf": "http://10.255.255.1/files/report.pdf",
        }
        self.requested: list[str] = []

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        self.requested.append(path)
        if path == "/robots.txt":
            return self.send(handler, 404, b"", "text/plain")
        if path.startswith("/col/index"):  # a pager that never ends, listing the same entries
            n = 0 if path == "/col/index.html" else int(path.rsplit("_", 1)[1].split(".")[0])
            page = list_page(self.entries, f"index_{n + 1}.html")
            if n == 0:  # the report's file, linked from the list
                page = page.replace(b"</ul>", '<li><a href="/files/report.pdf">年度报告附件.pdf</a></li></ul>'.encode())
            return self.send(handler, 200, page)
        if path.startswith("/col2/index"):  # a pager whose every page invents a new entry
            n = 0 if path == "/col2/index.html" else int(path.rsplit("_", 1)[1].split(".")[0])
            page = list_page([(f"/art2/p{n}.html", f"江州市政府信息公开工作年度报告（第{n}页）")],
                             f"index_{n + 1}.html")
            return self.send(handler, 200, page)
        if path == "/col3/index.html":
            return self.send(handler, 200, b"")
        if path.startswith("/art2/"):
            return self.send(handler, 200, b"<html><body><p>short page</p></body></html>")
        if path == self.GOOD:
            return self.send(handler, 200, self.good_body)
        if path in self.redirects:
            handler.send_response(302)
            handler.send_header("Location", self.redirects[path])
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        if path.startswith("/art/") and path[5:].split(".")[0] in bombs():
            encoding = path[5:].split(".")[0]
            return self.send(handler, 200, bombs()[encoding], headers={"Content-Encoding": encoding})
        if path == "/art/trickle.html":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            deadline = time.monotonic() + 120  # a byte every 0.2 s, for far longer than any timeout
            while time.monotonic() < deadline:
                try:
                    handler.wfile.write(b"<")
                    handler.wfile.flush()
                except OSError:
                    return None
                time.sleep(0.2)
            return None
        if path == "/art/huge.html":
            chunk = b"<p>" + "公开".encode() * 10_000 + b"</p>\n"
            # no Content-Length: the size is known only as it arrives, so the cap must hold
            # while streaming, not only against a declared length
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Connection", "close")
            handler.end_headers()
            handler.close_connection = True
            sent = 0
            try:
                while sent < 80 * MB:
                    piece = chunk[: 80 * MB - sent]
                    handler.wfile.write(piece)
                    sent += len(piece)
            except OSError:
                pass
            return None
        if path == "/art/empty.html":
            return self.send(handler, 200, b"")
        if path == "/art/binary.html":
            return self.send(handler, 200, os.urandom(64 * 1024))
        return self.send(handler, 404, b"not found", "text/plain")

    @staticmethod
    def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "text/html",
             headers: dict[str, str] | None = None) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the crawler hung up (a size cap): nothing to answer


def serve(site: HostileSite) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            site.answer(self)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# The crawl runs in a child that writes its own peak RSS on exit (RUSAGE_SELF: the crawl
# process, not this test runner nor other children).
CRAWL = ("import atexit, json, resource, sys\n"
         "path = sys.argv.pop(1)\n"
         "def report():\n"
         "    with open(path, 'w') as out:\n"
         "        json.dump({'maxrss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, out)\n"
         "atexit.register(report)\n"
         "from crawler.cli import main\n"
         "sys.exit(main())\n")


def crawl(urls: list[str], db: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], dict, float]:
    rss = db.with_suffix(".rss.json")
    cmd = [sys.executable, "-c", CRAWL, str(rss), "crawl", *urls, "--db", str(db), "--log-level", "WARNING",
           "--no-warc", *extra]
    for setting in (*FAST, f"DOWNLOAD_TIMEOUT={DOWNLOAD_TIMEOUT}", "RETRY_TIMES=1",
                    f"GONGKAI_MAX_LIST_PAGES={MAX_LIST_PAGES}", "GONGKAI_EXTRACT_WORKERS=0",
                    "TWISTED_DNS_RESOLVER=tests.hostmap.HostMapResolver", 'TEST_HOSTS={"oa.test": "127.0.0.2"}'):
        cmd += ["-s", setting]
    started = time.monotonic()
    result = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    return result, json.loads(rss.read_text()) if rss.exists() else {}, time.monotonic() - started


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    bombs()  # built before the clock starts
    listener = Listener()
    site = HostileSite(listener.port)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    try:
        result, rss, seconds = crawl([f"{base}/col/index.html", f"{base}/col2/index.html",
                                        f"{base}/col3/index.html"], db)
    finally:
        server.shutdown()
        server.server_close()
        listener.close()
    archive = Archive(db)
    yield {"site": site, "base": base, "db": db, "result": result, "rss": rss, "seconds": seconds,
           "listener": listener, "archive": archive,
           "failures": {f["url"].removeprefix(base): f for f in archive.failures()}}
    archive.close()


def test_the_good_report_is_archived_and_the_crawl_ends_by_itself(hostile_crawl) -> None:
    result = hostile_crawl["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    [report] = [r for r in hostile_crawl["archive"].reports() if r["url"].endswith(HostileSite.GOOD)]
    assert report["title"] == hostile_crawl["site"].good_title
    # the trickle's download deadline (4 s, retried once) is the longest wait; far below 5 min
    assert hostile_crawl["seconds"] < 150


def test_the_crawl_stays_under_a_gigabyte_of_memory(hostile_crawl) -> None:
    # bombs inflating to 10 GiB and an 80 MB page: each is cut at its size cap, never held whole
    assert 0 < hostile_crawl["rss"]["maxrss_kb"] * 1024 < GIB


@pytest.mark.parametrize("path", list(HostileSite(0).bad))
def test_each_hostile_answer_is_a_failure_with_its_reason(hostile_crawl, path: str) -> None:
    failure = hostile_crawl["failures"].get(path)
    assert failure is not None, f"{path} not recorded; failures: {sorted(hostile_crawl['failures'])}"
    assert hostile_crawl["site"].bad[path] in failure["error"]


def test_nothing_connected_to_another_loopback_address(hostile_crawl) -> None:
    # refused before any connection: after DNS (oa.test), on redirects of articles and files
    assert hostile_crawl["listener"].connections == 0


def test_an_endless_pager_stops_at_the_first_page_without_new_entries(hostile_crawl) -> None:
    pages = [p for p in hostile_crawl["site"].requested if p.startswith("/col/index")]
    # page 1 lists every entry; page 2 lists them again, so page 3 is never asked for
    assert sorted(set(pages)) == ["/col/index.html", "/col/index_1.html"]


def test_a_pager_inventing_entries_forever_stops_at_the_cap_and_says_so(hostile_crawl) -> None:
    pages = {p for p in hostile_crawl["site"].requested if p.startswith("/col2/index")}
    assert len(pages) == MAX_LIST_PAGES
    [crawl_row] = hostile_crawl["archive"].db.execute("select alerts from crawls").fetchall()
    assert any(f"GONGKAI_MAX_LIST_PAGES={MAX_LIST_PAGES}" in alert for alert in json.loads(crawl_row[0]))


# --- a rendered page's own requests (the Playwright route) ----------------------------------


class ScriptPage:
    """A column page that, once rendered, asks 127.0.0.2 for a script and an XHR and frames
    ``localhost`` (a name resolving to loopback that is not the start URL's host)."""

    def __init__(self, private_port: int) -> None:
        self.private_port = private_port
        self.requested: list[tuple[str, str]] = []  # (Host header, path)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        self.requested.append((handler.headers.get("Host", ""), handler.path))
        port = handler.server.server_address[1]
        if handler.path != "/col/index.html":
            return HostileSite.send(handler, 404, b"", "text/plain")
        evil = f"http://127.0.0.2:{self.private_port}"
        page = list_page([("/art/good.html", "江州市2021年政府信息公开工作年度报告")], None).replace(
            b"</body>",
            f'<script src="{evil}/evil.js"></script>'
            f'<script>fetch("{evil}/xhr").catch(function () {{}});</script>'
            f'<iframe src="http://localhost:{port}/frame.html"></iframe></body>'.encode())
        return HostileSite.send(handler, 200, page)


def render_crawl(db: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], int, list[tuple[str, str]]]:
    listener = Listener()
    site = ScriptPage(listener.port)
    server = serve(site)  # type: ignore[arg-type]
    try:
        result, _, _ = crawl([f"http://127.0.0.1:{server.server_address[1]}/col/index.html"], db,
                             "--js", "always", *extra)
        time.sleep(0.5)  # a connection Chromium opened at the end still reaches the listener
    finally:
        server.shutdown()
        server.server_close()
        listener.close()
    return result, listener.connections, site.requested


@needs_chromium
def test_a_rendered_page_cannot_reach_private_addresses(tmp_path) -> None:
    result, connections, requested = render_crawl(tmp_path / "render.db")
    assert result.returncode == 0, result.stderr[-3000:]
    assert connections == 0
    assert not any(host.startswith("localhost") for host, _ in requested)
    archive = Archive(tmp_path / "render.db")
    [crawl_row] = archive.db.execute("select alerts from crawls").fetchall()
    alerts = " ".join(json.loads(crawl_row[0]))
    assert "browser request refused: loopback address 127.0.0.2" in alerts
    assert "loopback address 127.0.0.1 (localhost)" in alerts
    archive.close()


@needs_chromium
def test_allow_private_lets_a_rendered_page_reach_them(tmp_path) -> None:
    # the same page with --allow-private: the listener does get Chromium's connections, so the
    # test above would see them if the route let any through
    result, connections, requested = render_crawl(tmp_path / "render.db", "--allow-private")
    assert result.returncode == 0, result.stderr[-3000:]
    assert connections > 0
