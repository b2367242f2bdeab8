"""WARC 1.1 files for every HTTP exchange of a crawl: the archive's evidence, written with warcio.

A :class:`WarcStore` owns one folder (``archive.db`` → ``archive-warc/``): gzipped WARC files
that rotate by size, each opening with a ``warcinfo`` record; request and response records as
they went over the wire (compressed bodies stay compressed); ``revisit`` records when a payload
was archived before; and a CDXJ index (``index.cdxj``, written by cdxj-indexer) for replay
tools such as pywb. A file left half-written by a killed crawl is cut back to its last complete
record when the folder is opened again, so ``warcio check`` passes on every file.

The index lines of the files a store writes are made as it writes them, from each record's
offset and length (the line cdxj-indexer would write, see :func:`cdxj_line`), and merged into
``index.cdxj`` at close: closing does not read the crawl's WARC files back. Files the store did
not write in this session (a killed crawl's, a folder from before ``indexed.txt``) are indexed
by cdxj-indexer.

Opening and closing cost what the crawl wrote, not what the folder holds (a scheduled crawl
adds to the same folder for years): ``digests.tsv`` keeps the payload digests that revisit
records refer to, appended as responses are written; ``indexed.txt`` names the files that were
closed and merged into ``index.cdxj``. Only files missing from it (the current crawl's, a killed
crawl's) are checked for repair and indexed; a folder without these files is scanned once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import heapq
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import iso_date_to_timestamp
from warcio.warcwriter import WARCWriter

INDEX_NAME = "index.cdxj"
DIGESTS_NAME = "digests.tsv"  # payload digest, target URI, WARC-Date of its first response record
INDEXED_NAME = "indexed.txt"  # WARC files closed and merged into the index, one name a line
PREFIX = "gongkai"


def warc_dir_for(db_path: str | os.PathLike[str]) -> Path:
    """The default WARC folder beside an archive: ``data/archive.db`` → ``data/archive-warc``."""
    path = Path(db_path)
    return path.with_name(path.stem + "-warc")


@dataclass(frozen=True)
class WarcLocation:
    """Where a response record was written: file name (relative to the folder), offset, length."""

    filename: str
    offset: int
    length: int
    record_id: str
    revisit: bool = False


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange as received: enough to write request and response records."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    protocol: str
    response_headers: list[tuple[str, str]]
    body: bytes
    request_body: bytes = b""
    ip: str | None = None


_MIME_END = re.compile(r"[;\s]")  # cdxj-indexer keeps a MIME type up to its parameters


def cdxj_line(record: ArcWarcRecord, filename: str, offset: int, length: int) -> str | None:
    """The CDXJ line cdxj-indexer writes for a record just written at ``offset`` (``length`` bytes).

    Its default fields (url, mime, status, digest, length, offset, filename) in its order, keyed
    by the SURT and the 14-digit WARC-Date; None for a record it leaves out of the index
    (request, warcinfo, a ``resource`` holding ``application/warc-fields``). The values are read
    from the record's headers as written, which are what the indexer reads back from the file.
    """
    headers = record.rec_headers
    kind = record.rec_type
    if kind not in ("response", "revisit", "resource", "metadata"):
        return None
    if kind in ("resource", "metadata") and headers.get_header("Content-Type") == "application/warc-fields":
        return None
    http = record.http_headers
    if kind == "revisit":
        mime = "warc/revisit"
    else:
        mime = http.get_header("Content-Type") if kind == "response" and http else headers.get_header("Content-Type")
        if mime:
            # the file holds the value stripped (headers are "Name: value" lines)
            mime = _MIME_END.split(mime.strip(), 1)[0].strip()
    url = headers.get_header("WARC-Target-URI")
    fields = {
        "url": url,
        "mime": mime,
        "status": http.get_statuscode() if kind in ("response", "revisit") and http else None,
        "digest": headers.get_header("WARC-Payload-Digest"),
        "length": str(length),
        "offset": str(offset),
        "filename": filename,
    }
    try:
        key = surt.surt(url)
    except Exception:  # noqa: BLE001 - cdxj-indexer keys an unparsable URL by itself
        key = url
    timestamp = iso_date_to_timestamp(headers.get_header("WARC-Date"))
    return f"{key} {timestamp} {json.dumps({k: v for k, v in fields.items() if v is not None})}\n"


def _valid_end(path: Path) -> int:
    """Offset just past the last complete record of a (possibly truncated) WARC file."""
    end = 0
    try:
        with path.open("rb") as fh:
            iterator = ArchiveIterator(fh, check_digests=False)
            for record in iterator:
                record.content_stream().read()
                iterator.read_to_end(record)
                end = iterator.get_record_offset() + iterator.get_record_length()
    except Exception:  # noqa: BLE001 - any parse error means: truncate after the last good record
        pass
    return end


class WarcStore:
    """Writes a crawl's exchanges into rotating WARC files in ``folder``.

    ``WarcStore("archive-warc", max_size=512 * 2**20, info={"operator": "…"})``; call
    :meth:`write` per exchange and :meth:`close` at the end (it writes the CDXJ index).
    """

    def __init__(self, folder: str | os.PathLike[str], max_size: int = 512 * 1024 * 1024,
                 info: dict[str, str] | None = None, worker: str | None = None) -> None:
        # A distributed crawl's workers share a folder: each names its files after itself and
        # repairs and indexes only those, never another worker's file while it is written.
        self.worker = re.sub(r"[^A-Za-z0-9_.]+", "_", worker) if worker else None
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_size = max_size
        self.info = info or {}
        self._fh: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self._serial = 0
        # file name -> index lines of its records, made as they are written (merged at close)
        self._lines: dict[str, list[str]] = {}
        self._indexed = _read_lines(self.folder / INDEXED_NAME)
        self.repaired = self._repair()
        self._seen = self._load_digests()
        self._digests_fh = (self.folder / DIGESTS_NAME).open("a", encoding="utf-8")

    # --- opening -------------------------------------------------------------------------

    def files(self) -> list[Path]:
        return sorted(self.folder.glob(f"{PREFIX}-*.warc.gz"))

    def _unindexed(self) -> list[Path]:
        own = f"{PREFIX}-{self.worker}-" if self.worker else PREFIX
        return [p for p in self.files() if p.name not in self._indexed and p.name.startswith(own)]

    def _repair(self) -> list[str]:
        """Cut files back to their last complete record (a crawl killed mid-write).

        Files in ``indexed.txt`` were closed by their crawl: only the others are read.
        """
        repaired = []
        for path in self._unindexed():
            size = path.stat().st_size
            end = _valid_end(path)
            if end < size:
                if end == 0:
                    path.unlink()
                else:
                    with path.open("r+b") as fh:
                        fh.truncate(end)
                repaired.append(path.name)
        return repaired

    def _load_digests(self) -> dict[str, tuple[str, str]]:
        """Payload digest → (URI, date) of every response already archived in the folder.

        Read from ``digests.tsv``; a folder written before it existed is scanned once to make it.
        """
        path = self.folder / DIGESTS_NAME
        seen: dict[str, tuple[str, str]] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) == 3 and parts[0] not in seen:
                    seen[parts[0]] = (parts[1], parts[2])
            return seen
        for warc in self.files():
            with warc.open("rb") as fh:
                for record in ArchiveIterator(fh, check_digests=False):
                    if record.rec_type == "response":
                        digest = record.rec_headers.get_header("WARC-Payload-Digest")
                        if digest and digest not in seen:
                            seen[digest] = (record.rec_headers.get_header("WARC-Target-URI"),
                                            record.rec_headers.get_header("WARC-Date"))
        tmp = path.with_suffix(f".{os.getpid()}.tmp")  # workers sharing the folder may race here
        tmp.write_text("".join(f"{d}\t{u}\t{t}\n" for d, (u, t) in seen.items()), encoding="utf-8")
        tmp.replace(path)
        return seen

    def _open_file(self) -> None:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S%f")
        self._serial += 1
        worker = f"{self.worker}-" if self.worker else ""
        self._name = f"{PREFIX}-{worker}{stamp}-{self._serial:05d}.warc.gz"
        self._fh = (self.folder / self._name).open("ab")
        self._lines[self._name] = []
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="WARC/1.1")
        info = {"software": self.info.get("software", "gongkai"), "format": "WARC File Format 1.1",
                **{k: v for k, v in self.info.items() if k != "software"}}
        self._writer.write_record(self._writer.create_warcinfo_record(self._name, info))
        self._fh.flush()

    # --- writing -------------------------------------------------------------------------

    def write(self, exchange: Exchange) -> WarcLocation:
        """Write request and response (or revisit) records for one exchange; flushed at once."""
        if self._writer is None or (self._fh is not None and self._fh.tell() >= self.max_size):
            self._close_file()
            self._open_file()
        assert self._writer is not None and self._fh is not None
        writer = self._writer
        parts = urlsplit(exchange.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        http_headers = StatusAndHeaders(
            f"{exchange.status} {exchange.reason}".strip(),
            [(k, v) for k, v in exchange.response_headers
             if k.lower() not in ("transfer-encoding",)],  # Scrapy has de-chunked the body
            protocol=exchange.protocol or "HTTP/1.1",
        )
        extra = {"WARC-IP-Address": exchange.ip} if exchange.ip else {}
        response = writer.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body),
            http_headers=http_headers, warc_headers_dict=extra,
        )
        digest = response.rec_headers.get_header("WARC-Payload-Digest")
        revisit = digest in self._seen and bool(exchange.body)
        new_digest = None
        if revisit:
            uri, date = self._seen[digest]
            response = writer.create_revisit_record(
                exchange.url, digest=digest, refers_to_uri=uri, refers_to_date=date,
                http_headers=http_headers,
            )
        elif exchange.body:
            self._seen[digest] = (exchange.url, response.rec_headers.get_header("WARC-Date"))
            new_digest = digest
        request_headers = [("Host", parts.netloc)] + [
            (k, v) for k, v in exchange.request_headers if k.lower() != "host"]
        request = writer.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(exchange.request_body),
            http_headers=StatusAndHeaders(f"{exchange.method} {target} HTTP/1.1", request_headers,
                                          is_http_request=True),
            warc_headers_dict={"WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
        )
        offset = self._fh.tell()
        writer.write_record(response)
        length = self._fh.tell() - offset
        writer.write_record(request)  # requests are not indexed (nor by cdxj-indexer)
        self._fh.flush()
        self._add_line(response, offset, length)
        if new_digest:
            # after the record is on disk: a kill in between only costs a later revisit
            uri, date = self._seen[new_digest]
            self._digests_fh.write(f"{new_digest}\t{uri}\t{date}\n")
            self._digests_fh.flush()
        return WarcLocation(self._name, offset, length,
                            response.rec_headers.get_header("WARC-Record-ID"), revisit)

    def write_resource(self, url: str, content: bytes, content_type: str,
                       concurrent_to: str | None = None) -> WarcLocation:
        """A ``resource`` record (e.g. a browser-rendered DOM beside the server's response)."""
        if self._writer is None:
            self._open_file()
        assert self._writer is not None and self._fh is not None
        headers = {"WARC-Concurrent-To": concurrent_to} if concurrent_to else {}
        record = self._writer.create_warc_record(url, "resource", payload=io.BytesIO(content),
                                                 warc_content_type=content_type,
                                                 warc_headers_dict=headers)
        offset = self._fh.tell()
        self._writer.write_record(record)
        self._fh.flush()
        self._add_line(record, offset, self._fh.tell() - offset)
        return WarcLocation(self._name, offset, self._fh.tell() - offset,
                            record.rec_headers.get_header("WARC-Record-ID"))

    def _add_line(self, record: ArcWarcRecord, offset: int, length: int) -> None:
        line = cdxj_line(record, self._name, offset, length)
        if line is not None:
            self._lines[self._name].append(line)

    def _close_file(self) -> None:
        if self._fh is not None:
            self._fh.close()
        self._fh = self._writer = None

    def close(self) -> None:
        """Close the current file and merge the files not yet indexed into ``index.cdxj``."""
        self._close_file()
        self._digests_fh.close()
        with _folder_lock(self.folder):  # workers of one crawl close at about the same time
            if self.worker:
                # only its own files, even when it closes first: the others are still written
                self._indexed |= _read_lines(self.folder / INDEXED_NAME)
                only: list[str] | None = [p.name for p in self._unindexed()]
            elif self._indexed and (self.folder / INDEX_NAME).exists():
                only = [p.name for p in self._unindexed()]
            else:
                # a folder whose index predates indexed.txt (or was deleted) is rebuilt whole, once
                only = None
            indexed = _merge_index(self.folder, only, self._lines)
            with (self.folder / INDEXED_NAME).open("a", encoding="utf-8") as fh:
                fh.writelines(f"{name}\n" for name in indexed)
        self._indexed.update(indexed)


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the folder's index files, across processes (flock)."""
    with (folder / ".index.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_lines(path: Path) -> set[str]:
    return set(path.read_text(encoding="utf-8").split()) if path.exists() else set()


def _index_filename(line: str) -> str:
    return line.rsplit('"filename": "', 1)[-1].split('"', 1)[0]


def write_index(folder: str | os.PathLike[str], only: Iterable[str] | None = None) -> Path:
    """Write ``index.cdxj`` over the WARC files in ``folder`` with cdxj-indexer.

    ``only`` names the files to (re)index and merge into the existing index (if any), whose lines
    for other files are kept as they are; None rebuilds it from every file.
    """
    folder = Path(folder)
    _merge_index(folder, only)
    return folder / INDEX_NAME


def _merge_index(folder: Path, only: Iterable[str] | None,
                 written: dict[str, list[str]] | None = None) -> list[str]:
    """:func:`write_index`'s work; returns the names of the files it (re)indexed.

    ``written`` holds the lines of files whose records were indexed as they were written: those
    files are not read; cdxj-indexer reads the others.
    """
    from cdxj_indexer import CDXJIndexer

    out = folder / INDEX_NAME
    kept: list[str] = []
    if only is None:
        names = [p.name for p in sorted(folder.glob(f"{PREFIX}-*.warc.gz"))]
    else:
        names = sorted(set(only))
        if out.exists():
            fresh = set(names)
            kept = [line for line in out.read_text().splitlines(keepends=True)
                    if _index_filename(line) not in fresh]
    written = written or {}
    fresh_lines = sorted(line for name in names for line in written.get(name, ()))
    unread = [name for name in names if name not in written]
    buffer = io.StringIO()
    if unread:
        CDXJIndexer(inputs=[str(folder / n) for n in unread], output=buffer, sort=True,
                    dir_root=str(folder)).process_all()
    tmp = out.with_suffix(".tmp")
    with tmp.open("w") as fh:  # three sorted runs
        fh.writelines(heapq.merge(kept, fresh_lines, buffer.getvalue().splitlines(keepends=True)))
    tmp.replace(out)
    return names


def read_record(folder: str | os.PathLike[str], filename: str, offset: int) -> tuple[dict[str, str], bytes]:
    """WARC headers and decoded HTTP payload of the record at ``offset`` (content-encoding undone)."""
    with (Path(folder) / filename).open("rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        headers = dict(record.rec_headers.headers)
        return headers, record.content_stream().read()


def check_files(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Problems ``warcio check`` reports for these files (an empty list when all are valid)."""
    import subprocess
    import sys

    problems = []
    for path in paths:
        result = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            problems.append(f"{path}: {result.stdout.strip()} {result.stderr.strip()}")
    return problems


def cdxj_lines(folder: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The JSON part of each line of the folder's CDXJ index."""
    path = Path(folder) / INDEX_NAME
    if not path.exists():
        return []
    return [json.loads(line.split(" ", 2)[2]) for line in path.read_text().splitlines() if line]
