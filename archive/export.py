"""Export reports (or their statistics cells) as JSONL, CSV, Parquet or a text corpus (archive layer, read-only).

Pure functions over a sqlite-utils ``Database``; ``gongkai export`` opens the file read-only
and adds a progress bar. Every export writes a manifest beside its data (the query, filters,
row count, sha256 of every file and of the archive), and the data files are byte-identical
when the same archive is exported twice with the same options.
"""

from __future__ import annotations

import csv
import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

FORMATS = ("jsonl", "csv", "parquet", "txt")
MANIFEST_SUFFIX = ".manifest.json"  # reports.parquet -> reports.parquet.manifest.json
CORPUS_MANIFEST = "manifest.jsonl"  # one line per text file of a txt export
CORPUS_EXPORT_MANIFEST = "export.manifest.json"
_BATCH = 500  # rows per fetch, and per Parquet row group (fixed, so files are reproducible)

# The columns of a report export: (name, SQL expression, type). Provenance comes from the capture
# the current text was read from. A column whose source does not exist in an older archive is
# left out (see _present).
REPORT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "reports.id", "int"),
    ("doc_id", "", "str"),  # stable across archives: first 16 hex of sha256(url); names txt files
    ("url", "reports.url", "str"),
    ("title", "reports.title", "str"),
    ("report_year", "reports.report_year", "int"),
    ("publish_date", "reports.publish_date", "str"),
    ("written_date", "reports.written_date", "str"),
    ("agency", "reports.agency", "str"),
    ("index_no", "reports.index_no", "str"),
    ("doc_number", "reports.doc_number", "str"),
    ("script", "reports.script", "str"),
    ("source_format", "reports.source_format", "str"),
    ("doc_type", "captures.doc_type", "str"),
    ("site_id", "reports.site_id", "int"),
    ("site_name", "sites.name", "str"),
    ("site_host", "sites.host", "str"),
    ("column_url", "sites.column_url", "str"),
    ("chars", "reports.chars", "int"),
    ("text_sha256", "reports.sha256", "str"),
    ("version", "reports.version", "int"),
    ("first_seen", "reports.first_seen", "str"),
    ("last_seen", "reports.last_seen", "str"),
    ("capture_id", "reports.capture_id", "int"),
    ("fetched_at", "captures.fetched_at", "str"),
    ("final_url", "captures.final_url", "str"),
    ("http_status", "captures.status", "int"),
    ("content_type", "captures.content_type", "str"),
    ("raw_sha256", "captures.sha256", "str"),
    ("raw_size", "captures.size", "int"),
    ("encoding", "captures.encoding_chosen", "str"),
    ("warc_file", "captures.warc_file", "str"),
    ("warc_record_id", "captures.warc_record_id", "str"),
    ("container", "reports.container", "str"),
    ("date_source", "reports.date_source", "str"),
    ("year_source", "reports.year_source", "str"),
    ("agency_source", "reports.agency_source", "str"),
    ("list_title", "reports.list_title", "str"),
    ("list_date", "reports.list_date", "str"),
    ("repaired_pinyin", "reports.repaired_pinyin", "int"),
    ("from_mirror", "reports.from_mirror", "int"),
    ("body_text", "reports.body_text", "str"),
)
_FROM = ("from reports left join sites on sites.id = reports.site_id "
         "left join captures on captures.id = reports.capture_id")
# Report fields repeated on every cell row, so a cells file stands alone.
_CELL_REPORT_COLUMNS = (
    ("report_url", "reports.url", "str"), ("report_title", "reports.title", "str"),
    ("report_year", "reports.report_year", "int"), ("agency", "reports.agency", "str"),
    ("site_id", "reports.site_id", "int"),
)


class ExportError(Exception):
    """An export that cannot be made as asked (message meant for the user)."""


class NoCellsTable(ExportError):
    """The archive has no ``report_cells`` table (statistics not parsed yet): nothing to export."""


@dataclass(frozen=True)
class ExportFilters:
    """Which reports to export; empty fields do not filter. Repeated values are alternatives.

    ``sites`` match a site's id, host, name or column URL; ``agencies`` the report's agency
    exactly (江州市水利局); ``doc_types`` the capture's doc_type; ``scripts`` simplified/traditional.
    """

    year: int | None = None
    from_year: int | None = None
    to_year: int | None = None
    agencies: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.year is not None and (self.from_year is not None or self.to_year is not None):
            raise ExportError("give --year or --from-year/--to-year, not both")

    def where(self) -> tuple[str, list[Any]]:
        """The SQL WHERE clause (with ``?`` parameters) selecting these reports."""
        clauses: list[str] = []
        params: list[Any] = []

        def any_of(template: str, values: tuple[str, ...], per_value: int = 1) -> None:
            clauses.append("(" + " or ".join([template] * len(values)) + ")")
            params.extend(v for v in values for _ in range(per_value))

        if self.year is not None:
            clauses.append("reports.report_year = ?")
            params.append(self.year)
        if self.from_year is not None:
            clauses.append("reports.report_year >= ?")
            params.append(self.from_year)
        if self.to_year is not None:
            clauses.append("reports.report_year <= ?")
            params.append(self.to_year)
        if self.agencies:
            any_of("reports.agency = ?", self.agencies)
        if self.sites:
            any_of("(cast(sites.id as text) = ? or sites.host = ? or sites.name = ? or sites.column_url = ?)",
                   self.sites, 4)
        if self.doc_types:
            any_of("captures.doc_type = ?", self.doc_types)
        if self.scripts:
            any_of("reports.script = ?", self.scripts)
        return (" where " + " and ".join(clauses) if clauses else ""), params

    def as_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()
                if v not in (None, ())}


@dataclass
class ExportResult:
    """What an export wrote: data files (relative to the manifest's folder), rows, the manifest."""

    row_count: int
    files: list[Path]
    manifest_path: Path
    manifest: dict[str, Any] = field(repr=False)


def doc_id(url: str) -> str:
    """A report's stable id: the first 16 hex digits of sha256(url), the same in every archive.

    >>> doc_id("http://www.example.gov.cn/xxgk/t20150105_123.html")
    'f663c1a63f6cbe48'
    """
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _present(db: Database, columns: tuple[tuple[str, str, str], ...]) -> list[tuple[str, str, str]]:
    existing = {table: {c.name for c in db[table].columns} for table in ("reports", "sites", "captures")}
    kept = []
    for name, expression, kind in columns:
        table, _, column = expression.partition(".")
        if not expression or column in existing.get(table, ()):
            kept.append((name, expression, kind))
    return kept


def _cell_columns(db: Database) -> list[tuple[str, str, str]]:
    if not db["report_cells"].exists():
        raise NoCellsTable("this archive has no report_cells table (statistics tables not parsed yet)")
    types = {"INTEGER": "int", "REAL": "float", "FLOAT": "float", "NUMERIC": "float"}
    cells = [(c.name, f"report_cells.{c.name}", types.get(c.type.upper(), "str")) for c in db["report_cells"].columns]
    names = {name for name, _, _ in cells}
    return cells + [c for c in _CELL_REPORT_COLUMNS if c[0] not in names]


def build_query(db: Database, filters: ExportFilters, *, cells: bool = False
                ) -> tuple[str, list[Any], list[tuple[str, str, str]]]:
    """The SELECT an export runs, its parameters and its columns (name, expression, type)."""
    where, params = filters.where()
    if cells:
        columns = _cell_columns(db)
        select = ", ".join(f"{expr} as [{name}]" for name, expr, _ in columns)
        sql = (f"select {select} from report_cells join reports on reports.id = report_cells.report_id "
               f"left join sites on sites.id = reports.site_id left join captures on captures.id = reports.capture_id"
               f"{where} order by report_cells.report_id, report_cells.rowid")
        return sql, params, columns
    columns = _present(db, REPORT_COLUMNS)
    select = ", ".join(f"{expr} as [{name}]" for name, expr, _ in columns if expr)
    return f"select {select} {_FROM}{where} order by reports.id", params, columns


def _rows(db: Database, sql: str, params: list[Any], columns: list[tuple[str, str, str]]
          ) -> Iterator[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    while batch := cursor.fetchmany(_BATCH):
        for values in batch:
            got = dict(zip(names, values))
            # Columns without an SQL expression are computed here (doc_id from the URL).
            yield {name: got[name] if expression else doc_id(got["url"]) for name, expression, _ in columns}


def _write_jsonl(rows: Iterator[dict[str, Any]], out: Path, tick: Callable[[], None]) -> list[Path]:
    with open(out, "w", encoding="utf-8", newline="\n") as stream:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            tick()
    return [out]


def _write_csv(rows: Iterator[dict[str, Any]], out: Path, tick: Callable[[], None],
               names: list[str], bom: bool) -> list[Path]:
    # utf-8-sig writes the BOM Excel needs to read UTF-8; other tools do better without it.
    with open(out, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row[n] is None else row[n] for n in names])
            tick()
    return [out]


def _arrow_schema(columns: list[tuple[str, str, str]]) -> Any:
    import pyarrow as pa

    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
    return pa.schema([(name, types[kind]) for name, _, kind in columns])


def _write_parquet(rows: Iterator[dict[str, Any]], out: Path, tick: Callable[[], None],
                   columns: list[tuple[str, str, str]]) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(columns)
    # Row groups of a fixed size: memory stays flat, and the same rows give the same bytes.
    # An export with no rows still gets a valid file with the schema.
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            tick()
            if len(batch) == _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return [out]


def _write_corpus(rows: Iterator[dict[str, Any]], out: Path, tick: Callable[[], None]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    previous = out / CORPUS_EXPORT_MANIFEST
    stale = set(out.glob("*.txt")) if previous.exists() else set()
    if not previous.exists() and any(out.iterdir()):
        raise ExportError(f"{out} is not empty and not a gongkai text export: choose an empty folder")
    lines = []
    for row in rows:
        # NFC and LF line ends: the same text always gives the same bytes (and sha256).
        text = unicodedata.normalize("NFC", row["body_text"] or "").replace("\r\n", "\n").replace("\r", "\n")
        data = (text if text.endswith("\n") else text + "\n").encode("utf-8")
        path = out / f"{row['doc_id']}.txt"
        path.write_bytes(data)
        stale.discard(path)
        meta = {k: v for k, v in row.items() if k != "body_text"}
        meta.update(file=path.name, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
        lines.append(json.dumps(meta, ensure_ascii=False))
        tick()
    for path in stale:  # texts of an earlier export with other filters
        path.unlink()
    manifest = out / CORPUS_MANIFEST
    manifest.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
    return [manifest]


def manifest_path_for(out: Path, fmt: str) -> Path:
    """Where the export manifest goes: inside a text corpus folder, else beside the file."""
    return out / CORPUS_EXPORT_MANIFEST if fmt == "txt" else out.with_name(out.name + MANIFEST_SUFFIX)


def count_rows(db: Database, filters: ExportFilters, *, cells: bool = False) -> int:
    """How many rows an export with these filters will write (for a progress bar)."""
    sql, params, _ = build_query(db, filters, cells=cells)
    return db.execute(f"select count(*) from ({sql})", params).fetchone()[0]


def export(
    db: Database,
    out: str | Path,
    fmt: str,
    filters: ExportFilters = ExportFilters(),
    *,
    cells: bool = False,
    bom: bool = False,
    archive_path: str | Path | None = None,
    version: str = "",
    now: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the selected reports (or, with ``cells``, their table cells in long format) to ``out``.

    :param fmt: ``jsonl`` (one JSON object per line), ``csv``, ``parquet`` (zstd, via pyarrow;
        pandas and DuckDB read it) or ``txt`` (``out`` is a folder: one ``<doc_id>.txt`` per
        report and ``manifest.jsonl`` with metadata and the sha256 of each file).
    :param bom: CSV only: start with a UTF-8 BOM so Excel reads the Chinese correctly.
    :param archive_path: the archive file, hashed into the manifest so the export can be cited.
    :param now: the export time written in the manifest (its only field that changes when the
        same export is repeated).
    :param progress: called with the number of rows just written, for a progress bar.
    :raises NoCellsTable: ``cells`` asked of an archive without ``report_cells``.

    Example: ``export(db, "2014.parquet", "parquet", ExportFilters(year=2014))``.
    """
    from archive.store import utc_now

    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if cells and fmt == "txt":
        raise ExportError("table cells export as jsonl, csv or parquet, not txt")
    if bom and fmt != "csv":
        raise ExportError("--bom applies to csv only")
    out = Path(out)
    if fmt != "txt":
        out.parent.mkdir(parents=True, exist_ok=True)
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if progress:
            progress(1)

    # One read transaction: the rows and the archive's last crawl agree even while a crawl writes.
    began = not db.conn.in_transaction
    if began:
        db.execute("begin")
    try:
        sql, params, columns = build_query(db, filters, cells=cells)
        rows = _rows(db, sql, params, columns)
        names = [name for name, _, _ in columns]
        if fmt == "jsonl":
            files = _write_jsonl(rows, out, tick)
        elif fmt == "csv":
            files = _write_csv(rows, out, tick, names, bom)
        elif fmt == "parquet":
            files = _write_parquet(rows, out, tick, columns)
        else:
            files = _write_corpus(rows, out, tick)
        last_crawl = db.execute("select max(coalesce(finished_at, started_at)) from crawls").fetchone()[0] \
            if db["crawls"].exists() else None
    finally:
        if began:
            db.execute("commit")
    manifest_path = manifest_path_for(out, fmt)
    base = manifest_path.parent
    manifest: dict[str, Any] = {
        "gongkai_version": version,
        "what": "report_cells" if cells else "reports",
        "format": fmt,
        "options": {"bom": bom} if fmt == "csv" else {},
        "filters": filters.as_dict(),
        "query": sql,
        "params": params,
        "columns": names,
        "row_count": count,
        "files": [{"path": str(f.relative_to(base)), "sha256": file_sha256(f), "bytes": f.stat().st_size}
                  for f in files],
        "archive": _archive_facts(archive_path, last_crawl),
        "exported_at": now or utc_now(),
    }
    if fmt == "txt":
        manifest["text_files"] = count
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return ExportResult(count, files, manifest_path, manifest)


def _archive_facts(path: str | Path | None, last_crawl: str | None) -> dict[str, Any]:
    facts: dict[str, Any] = {"last_crawl": last_crawl}
    if path is not None and Path(path).exists():
        facts.update(path=str(path), sha256=file_sha256(path), bytes=Path(path).stat().st_size)
    return facts


def verify(manifest_path: str | Path) -> list[str]:
    """Files listed in an export manifest (and a corpus' manifest.jsonl) whose sha256 no longer matches.

    An empty list means the export is intact.
    """
    manifest_path = Path(manifest_path)
    base = manifest_path.parent
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    bad = [f["path"] for f in manifest["files"]
           if not (base / f["path"]).exists() or file_sha256(base / f["path"]) != f["sha256"]]
    if manifest["format"] == "txt":
        for line in (base / CORPUS_MANIFEST).read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            path = base / entry["file"]
            if not path.exists() or file_sha256(path) != entry["sha256"]:
                bad.append(entry["file"])
    return bad


def open_read_only(path: str | Path) -> Database:
    """Open an archive file read-only (no migration, no writes: its sha256 stays what it was).

    Immutable while no crawl is writing, so not even ``-wal``/``-shm`` files appear beside it
    (archive/access.py).
    """
    from archive.access import connect_read_only

    return Database(connect_read_only(path))
