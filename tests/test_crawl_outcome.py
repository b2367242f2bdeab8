"""``gongkai crawl`` says how it went: exit codes, one line per failed start URL, a quiet console, a log file."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.cli import EXIT_NO_START_URL
from tests.crawling import crawl_command, run

QUICK = ("RETRY_TIMES=0", "DOWNLOAD_TIMEOUT=3")
LIST_PAGE = ("<html><head><meta charset='gbk'><title>政府信息公开年报</title></head><body><ul class='list'>"
             "<li><a href='/xxgk/2020/t20200115_1.html'>2019年政府信息公开工作年度报告</a><span>2020-01-15</span></li>"
             "</ul></body></html>").encode("gbk")
ARTICLE = ("<html><head><meta charset='gbk'><title>2019年政府信息公开工作年度报告</title></head><body>"
           "<h1>2019年政府信息公开工作年度报告</h1><div class='TRS_Editor'><p>一、总体情况</p>"
           "<p>本年度共收到政府信息公开申请12件,全部按时答复。</p></div></body></html>").encode("gbk")


class Handler(BaseHTTPRequestHandler):
    """A home-made server: /xxgk/ is a column, /gone/ answers 404, /broken/ 500, anything else 404."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/xxgk/":
            self._send(200, LIST_PAGE)
        elif self.path.startswith("/xxgk/2020/"):
            self._send(200, ARTICLE)
        elif self.path == "/broken/":
            self._send(500, b"<html><body>Internal Server Error</body></html>")
        else:
            self._send(404, b"<html><body>404 Not Found</body></html>")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=gbk")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers (a server hung mid-request)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed: refused


def crawl(tmp_path: Path, *urls: str, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``gongkai crawl`` with its own console defaults; a start URL that fails fails fast."""
    return run(crawl_command(urls, tmp_path / "archive.db", *QUICK, *extra, log_level=None), timeout=300)


@pytest.mark.e2e
def test_a_crawl_whose_every_start_url_failed_exits_3_with_one_line_each(tmp_path, site, silent_port):
    urls = {
        f"http://127.0.0.1:{closed_port()}/xxgk/": "refused",
        "http://nosuch-gongkai-test.invalid/xxgk/": "DNS lookup failed",
        f"{site}/gone/": "HTTP 404",
        f"{site}/broken/": "HTTP 500",
        f"http://127.0.0.1:{silent_port}/xxgk/": "timeout",
    }
    result = crawl(tmp_path, *urls)
    assert result.returncode == EXIT_NO_START_URL, result.stderr[-2000:]
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed start URL ")]
    assert len(failed) == len(urls)
    for url, reason in urls.items():
        [line] = [f for f in failed if f.startswith(f"failed start URL {url}: ")]
        assert reason in line, line
    assert result.stderr.splitlines()[-1] == "nothing archived: none of the 5 start URL(s) could be fetched"
    summary = result.stdout
    for reason in ("connection refused", "DNS lookup failed", "HTTP 404", "HTTP 500", "timeout"):
        assert f"1 {reason}" in summary


@pytest.mark.e2e
def test_a_crawl_with_one_good_start_url_exits_0_and_lists_the_other(tmp_path, site):
    result = crawl(tmp_path, f"{site}/xxgk/", f"{site}/gone/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "failed start URL" not in result.stderr
    assert "1 new" in result.stdout and f"HTTP 404: {site}/gone/" in result.stdout


@pytest.mark.e2e
def test_default_console_is_a_summary_with_locations_and_the_details_go_to_a_log_beside_the_archive(tmp_path, site):
    result = crawl(tmp_path, f"{site}/xxgk/")
    assert result.returncode == 0, result.stderr[-2000:]
    console = result.stdout + result.stderr
    assert "[scrapy" not in console and " INFO: " not in console
    assert len(console.splitlines()) < 20
    summary = result.stdout
    assert "pages fetched" in summary and "1 new, 0 updated, 0 unchanged" in summary
    assert f"archive         {tmp_path / 'archive.db'}" in summary
    assert f"WARC files      {tmp_path / 'archive-warc'}/" in summary
    assert f"log             {tmp_path / 'archive.log'} (0 errors" in summary
    log = (tmp_path / "archive.log").read_text(encoding="utf-8")
    assert "[scrapy.core.engine] INFO: Spider opened" in log and "Dumping Scrapy stats" in log


@pytest.mark.e2e
def test_log_level_info_brings_scrapys_log_back_to_the_console(tmp_path, site):
    result = crawl(tmp_path, f"{site}/xxgk/", extra=("--log-level", "INFO"))
    assert result.returncode == 0
    assert "[scrapy.core.engine] INFO: Spider opened" in result.stderr
    assert "Spider opened" in (tmp_path / "archive.log").read_text(encoding="utf-8")


def test_help_documents_the_exit_codes():
    from click.testing import CliRunner

    from crawler.cli import cli

    for args in (["--help"], ["crawl", "--help"]):
        out = CliRunner().invoke(cli, args).output
        assert "Exit code" in out and "3" in out and "every start URL failed" in " ".join(out.split())
