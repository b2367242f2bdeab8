"""The WARC store across crawls: opening and closing read what the crawl wrote, not the whole folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cdxj_indexer import CDXJIndexer
from warcio.archiveiterator import ArchiveIterator

import archive.warc as warc
from archive.warc import DIGESTS_NAME, INDEX_NAME, INDEXED_NAME, Exchange, WarcStore, check_files, write_index


def exchange(path: str, body: bytes) -> Exchange:
    return Exchange(url=f"http://www.example.gov.cn{path}", method="GET",
                    request_headers=[("User-Agent", "gongkai-test")], status=200, reason="OK",
                    protocol="HTTP/1.1", response_headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=body)


def crawl(folder: Path, pages: dict[str, bytes], *, close: bool = True) -> WarcStore:
    store = WarcStore(folder, max_size=4096)  # small files: several per crawl
    for path, body in pages.items():
        store.write(exchange(path, body))
    if close:
        store.close()
    return store


def rebuilt_index(folder: Path, tmp: Path) -> str:
    copy = tmp / "rebuilt"
    shutil.copytree(folder, copy)
    (copy / INDEX_NAME).unlink()
    return write_index(copy).read_text()


def pages(prefix: str, n: int) -> dict[str, bytes]:
    return {f"/{prefix}/{i}.html": f"<html><body>{prefix} 第{i}号 {'正文' * 200}</body></html>".encode()
            for i in range(n)}


@pytest.fixture
def read_files(monkeypatch):
    """The WARC files whose records were read through to the end (repair checks)."""
    seen: list[str] = []
    original = warc._valid_end

    def spy(path: Path) -> int:
        seen.append(path.name)
        return original(path)

    monkeypatch.setattr(warc, "_valid_end", spy)
    return seen


@pytest.fixture
def indexer_read(monkeypatch):
    """The WARC files cdxj-indexer read (the store's own lines need none)."""
    seen: list[str] = []
    original = CDXJIndexer.process_one

    def spy(self, input_, output, filename):
        seen.append(Path(filename).name)
        return original(self, input_, output, filename)

    monkeypatch.setattr(CDXJIndexer, "process_one", spy)
    return seen


def test_the_index_is_written_from_write_time_offsets_as_cdxj_indexer_would(tmp_path, indexer_read):
    folder = tmp_path / "a-warc"
    body = "<html><body>2022年政府信息公开工作年度报告</body></html>".encode()
    store = WarcStore(folder, max_size=2048)  # rotates: several files
    store.write(exchange("/nb/2022.html?id=7&b=1", body))
    store.write(exchange("/nb/2022-copy.html", body))  # a revisit
    for path, page in pages("more", 5).items():
        store.write(exchange(path, page))
    pdf = Exchange(url="https://WWW.example.gov.cn:8443/files/nb.pdf", method="GET", request_headers=[],
                   status=200, reason="", protocol="HTTP/1.1",
                   response_headers=[("Content-Type", " application/pdf ; name=nb.pdf")], body=b"%PDF-1.4")
    store.write(pdf)
    store.write(Exchange(url="http://www.example.gov.cn/gone", method="GET", request_headers=[], status=404,
                         reason="Not Found", protocol="HTTP/1.1", response_headers=[], body=b""))
    rendered = store.write(exchange("/js/list.html", b"<html><script></script></html>"))
    store.write_resource(rendered_url := "http://www.example.gov.cn/js/list.html",
                         "<html><ul><li>2022年报告</li></ul></html>".encode(), "text/html; charset=utf-8",
                         concurrent_to=rendered.record_id)
    store.close()

    assert len(store.files()) > 1
    assert indexer_read == []  # closing read none of the files it wrote
    index = (folder / INDEX_NAME).read_text()
    assert index == rebuilt_index(folder, tmp_path)  # cdxj-indexer over the same files
    assert index.splitlines() == sorted(index.splitlines())
    kinds = [line.split(" ", 2)[2] for line in index.splitlines()]
    assert sum('"warc/revisit"' in k for k in kinds) == 1
    assert sum(rendered_url in k for k in kinds) == 2  # the response and the rendered DOM
    assert not check_files(store.files())


def test_a_worker_closing_first_leaves_the_files_another_worker_still_writes(tmp_path, indexer_read):
    folder = tmp_path / "a-warc"  # a fresh folder: the first close makes the index
    one = WarcStore(folder, max_size=4096, worker="w1")
    two = WarcStore(folder, max_size=4096, worker="w2")
    for path, body in pages("one", 4).items():
        one.write(exchange(path, body))
        two.write(exchange(path.replace("one", "two"), body.replace(b"one", b"two")))
    one.close()
    for path, body in pages("late", 4).items():  # w2 writes on after w1 has closed
        two.write(exchange(path, body))
    two.close()

    assert indexer_read == []  # each worker indexed its own files as it wrote them
    index = (folder / INDEX_NAME).read_text()
    assert index == rebuilt_index(folder, tmp_path)
    assert all(f"/{p}/" in index for p in ("one", "two", "late"))
    assert set((folder / INDEXED_NAME).read_text().split()) == {p.name for p in one.files()}


def test_a_second_crawl_reads_none_of_the_first_crawls_files(tmp_path, read_files):
    folder = tmp_path / "a-warc"
    first = crawl(folder, pages("one", 12))
    first_files = {p.name for p in first.files()}
    assert len(first_files) > 1  # rotated
    assert not read_files  # a fresh folder: nothing to check

    second = crawl(folder, pages("two", 12))
    assert read_files == []  # the first crawl's files were closed and indexed: not re-read
    assert set((folder / INDEXED_NAME).read_text().split()) == {p.name for p in second.files()}
    # the merged index is what a rebuild from every file gives
    assert (folder / INDEX_NAME).read_text() == rebuilt_index(folder, tmp_path)
    assert not check_files(second.files())


def test_same_payload_in_a_later_crawl_is_a_revisit_of_the_first_record(tmp_path):
    folder = tmp_path / "a-warc"
    body = "<html><body>2021年政府信息公开工作年度报告</body></html>".encode()
    crawl(folder, {"/nb/1.html": body})
    store = WarcStore(folder)
    location = store.write(exchange("/nb/1-copy.html", body))
    store.close()
    assert location.revisit
    records = {}
    for path in store.files():
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                records.setdefault(record.rec_type, []).append(record.rec_headers)
    [original] = records["response"]
    [revisit] = records["revisit"]
    assert revisit.get_header("WARC-Refers-To-Target-URI") == original.get_header("WARC-Target-URI")
    assert revisit.get_header("WARC-Refers-To-Date") == original.get_header("WARC-Date")
    assert len((folder / DIGESTS_NAME).read_text().splitlines()) == 1


def test_a_killed_crawls_files_are_repaired_and_indexed_by_the_next(tmp_path, read_files, indexer_read):
    folder = tmp_path / "a-warc"
    crawl(folder, pages("one", 6))
    killed = crawl(folder, pages("two", 6), close=False)  # SIGKILL: never closed, not indexed
    killed._fh.flush()
    last = max(killed.files(), key=lambda p: p.stat().st_mtime_ns)
    with last.open("ab") as fh:
        fh.write(b"\x1f\x8b\x08\x00half a record")  # cut mid-write
    unindexed = {p.name for p in killed.files()} - set((folder / INDEXED_NAME).read_text().split())

    indexer_read.clear()
    after = crawl(folder, pages("three", 6))
    assert sorted(read_files) == sorted(unindexed)  # only the killed crawl's files were checked
    # its lines died with it: cdxj-indexer reads those files (what is left of them), no others
    assert sorted(indexer_read) == sorted(unindexed - set(after.repaired) | {last.name})
    assert last.name in after.repaired
    assert not check_files(after.files())
    index = (folder / INDEX_NAME).read_text()
    assert index == rebuilt_index(folder, tmp_path)
    assert all(f"/{p}/" in index for p in ("one", "two", "three"))


def test_a_folder_from_before_the_sidecars_is_scanned_once(tmp_path, read_files):
    folder = tmp_path / "a-warc"
    body = "<html><body>2019年政府信息公开工作年度报告</body></html>".encode()
    crawl(folder, {"/old/report.html": body, **pages("old", 4)})
    (folder / DIGESTS_NAME).unlink()
    (folder / INDEXED_NAME).unlink()
    read_files.clear()

    store = WarcStore(folder)
    assert read_files  # no record of closed files: every file is checked
    assert store.write(exchange("/new/1.html", body)).revisit  # digests rebuilt from the files
    store.close()
    assert (folder / INDEX_NAME).read_text() == rebuilt_index(folder, tmp_path)
    assert set((folder / INDEXED_NAME).read_text().split()) == {p.name for p in store.files()}
