"""End-to-end on reports published as files found and named in ways the other demo sites do not
imitate (demo/unseen_files.py): PDFs in embedded viewers, download servlets naming the file only
in Content-Disposition, attachment blocks after the content, the same file linked three times,
ZIP attachments, relative links across folders and under ``<base href>``."""

from __future__ import annotations

from collections import Counter
from urllib.parse import unquote

import pytest

from archive.store import Archive
from demo.server import ExpectedDoc, Site
from demo.unseen_files import FILES, file_sites, zip_bytes
from pipelines.attachments import read_attachment
from tests.conftest import char_f1
from tests.crawling import crawl_sites
from tests.test_crawl_e2e import site_named

NAMES = ["viewer", "servlets", "attachment-block", "zip", "relative"]


@pytest.fixture(scope="module")
def sites() -> list[Site]:
    return file_sites()


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    return crawl_sites(sites, tmp_path_factory.mktemp("unseen-files") / "archive.db")


_site = site_named


def check_row(row: dict | None, doc: ExpectedDoc) -> None:
    assert row is not None, f"report missing: {doc.path}"
    assert (row["title"], row["publish_date"], row["report_year"], row["agency"]) == (
        doc.title, doc.publish_date, doc.report_year, doc.agency), doc.path
    assert row["source_format"] == doc.source_format, doc.path
    assert char_f1(row["body_text"], doc.body_text) >= 0.95, doc.path


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_every_report_gets_its_files_text(sites, crawled, name):
    archive = Archive(crawled["db"])
    base = crawled["bases"][name]
    for doc in _site(sites, name).reports():
        check_row(archive.report(base + doc.path), doc)
    # no other reports (a file linked from the list beside its page is no report of its own)
    assert {r["url"] for r in archive.reports() if r["url"].startswith(base + "/")} == {
        base + d.path for d in _site(sites, name).reports()}


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_attachment_rows_name_and_type_every_file(sites, crawled, name):
    archive = Archive(crawled["db"])
    base = crawled["bases"][name]
    site = _site(sites, name)
    rows = {}
    for r in archive.attachments():
        if r["url"].startswith(base + "/"):
            rows.setdefault(r["url"][len(base):], []).append(r)
    for path, want in FILES.items():
        if path not in site.resources:
            continue
        assert path in rows, f"file never linked: {path}"
        for row in rows[path]:
            assert row["filename"] == want.filename, path
            assert row["sniffed_type"] == want.sniffed_type, path
            if want.error:
                assert want.error in (row["error"] or ""), (path, row["error"])
                assert not row["usable"]
            else:
                assert row["error"] is None and row["usable"] == 1, (path, row["error"])
        assert base + want.page in {r["page_url"] for r in rows[path]}, path


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_each_file_fetched_once_and_nothing_missed(sites, crawled, name):
    site = _site(sites, name)
    requested = crawled["requested"][name]
    counts = Counter(requested)
    files = [p for p in FILES if p in site.resources]
    assert all(counts[p] == 1 for p in files), {p: counts[p] for p in files}
    missing = [p for p in requested if p not in site.resources and p != "/robots.txt"]
    assert not missing
    # the pdf.js viewer page is no file and no report; it need not be fetched at all
    assert "/pdfjs/web/viewer.html" not in requested


@pytest.mark.e2e
def test_no_failures_but_the_intended_one(crawled):
    archive = Archive(crawled["db"])
    errors = [(c["url"], c["error"]) for c in archive.captures() if c["error"]]
    assert not errors
    unreadable = [r for r in archive.attachments() if r["error"]]
    assert [unquote(r["url"]).rsplit("/", 1)[1] for r in unreadable] == ["P0202001210002.zip"]


def test_zip_readers_pick_the_document_inside():
    from demo import files as fb
    from demo.texts import template_report

    rt = template_report("靖安县人民政府", 2021, seed=1)
    read = read_attachment(zip_bytes([(f"{rt.title}.pdf", fb.report_pdf(rt))], gbk_names=True))
    assert read.type == "pdf" and read.ok and char_f1(read.text, rt.body_text()) >= 0.95
    assert rt.title in (read.detail or "")
    images = read_attachment(zip_bytes([("1.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 8)]))
    assert images.type == "zip" and "archive" in images.error
