"""Datasette for an archive: metadata from ``metadata.yaml`` and how ``gongkai serve`` runs it (archive layer).

Pinned to Datasette 0.65, where table configuration (facets, labels, canned queries) lives in
the metadata; Datasette 1.0 moves it to ``datasette.yaml``, so upgrading means splitting
:func:`metadata_for`'s output in two.
"""

from __future__ import annotations

import asyncio
import copy
import errno
import socket
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive.metadata import TEMPLATE_DATABASE, metadata_template

TEMPLATES_DIR = Path(__file__).parent / "plugins" / "templates"

# Datasette settings for an archive of long Chinese texts.
SETTINGS = {
    # List pages show the start of each text; a report's own page shows all of it.
    "truncate_cells_html": 120,
    # The any-length search scans every text for 1–2 character terms: give it time.
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
    # Suggested facets run a query per column on every table page (≈ 90 queries for reports,
    # each up to its 50 ms limit): 3–4 s a page on a 50,000-report archive (bench/archive_scale.py).
    # The useful facets are declared in metadata.yaml instead, and each has an index.
    "suggest_facets": False,
}


def _existing_columns(db: Database, table: str) -> set[str]:
    return {c.name for c in db[table].columns}


def _fit_table(meta: dict[str, Any], columns: set[str]) -> dict[str, Any]:
    """Drop configuration for columns the archive does not have (a table from an older schema)."""
    meta = dict(meta)
    meta["columns"] = {c: d for c, d in meta.get("columns", {}).items() if c in columns}
    for key in ("facets", "sortable_columns"):
        if key in meta:
            meta[key] = [c for c in meta[key] if c in columns]
    for key in ("label_column", "sort", "sort_desc"):
        if key in meta and meta[key] not in columns:
            del meta[key]
    return meta


def _substitute(value: Any, database: str) -> Any:
    if isinstance(value, str):
        return value.replace("{database}", database)
    if isinstance(value, dict):
        return {k: _substitute(v, database) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, database) for v in value]
    return value


def metadata_for(db: Database, name: str) -> dict[str, Any]:
    """Datasette metadata for one archive served as database ``name`` (the file's stem: demo.db → demo).

    Tables the archive lacks are left out, and so are canned queries whose ``requires`` tables
    are missing: ``applications_per_year`` appears once ``report_cells`` exists.
    """
    metadata = copy.deepcopy(metadata_template())
    section = metadata["databases"].pop(TEMPLATE_DATABASE)
    present = set(db.table_names()) | set(db.view_names())
    section["tables"] = {
        table: _fit_table(meta, _existing_columns(db, table))
        for table, meta in section.get("tables", {}).items()
        if table in present
    }
    queries = {}
    for query, spec in section.get("queries", {}).items():
        if all(t in present for t in spec.get("requires", [])):
            queries[query] = {k: v for k, v in spec.items() if k != "requires"}
    section["queries"] = queries
    metadata["databases"] = {name: section}
    return _substitute(metadata, name)


def undocumented(db: Database, metadata: dict[str, Any], name: str) -> list[str]:
    """Tables and ``table.column`` names of the archive that the metadata does not describe.

    FTS shadow tables are Datasette's own and need no description.
    """
    tables = metadata["databases"][name]["tables"]
    fts = {t for t in db.table_names() if t.endswith("_fts") or "_fts_" in t}
    missing = []
    for table in db.table_names():
        if table in fts:
            continue
        meta = tables.get(table)
        if not meta or not (meta.get("description") or meta.get("description_html")):
            missing.append(table)
            continue
        missing += [f"{table}.{c}" for c in sorted(_existing_columns(db, table)) if c not in meta["columns"]]
    return missing


def stale_descriptions(db: Database, metadata: dict[str, Any], name: str) -> list[str]:
    """``table.column`` names the metadata describes but the archive does not have (renamed or dropped)."""
    tables = metadata["databases"][name]["tables"]
    existing = set(db.table_names()) | set(db.view_names())
    stale = []
    for table, meta in tables.items():
        if table not in existing:
            stale.append(table)
            continue
        columns = _existing_columns(db, table)
        stale += [f"{table}.{c}" for c in sorted(meta.get("columns") or {}) if c not in columns]
    return stale


def serve_immutable(path: str | Path) -> bool:
    """Whether ``gongkai serve`` may open the archive as immutable.

    SQLite removes ``archive.db-wal`` when the last connection closes; while it exists (a crawl
    is writing, or one died), recent commits may live only in the WAL, which an immutable
    connection never reads. So: immutable when there is no WAL (Datasette then counts rows once
    and caches freely), otherwise plain read-only (``mode=ro``), which sees a crawl's commits.
    """
    from archive.access import writer_present

    return not writer_present(path)


def make_datasette(path: str | Path, *, immutable: bool | None = None) -> Any:
    """A Datasette instance serving one archive read-only, with gongkai's metadata and plugin.

    :param path: the archive, at the current schema (``gongkai migrate``); it is only ever read.
    :param immutable: force immutable (True) or read-only live mode (False); None decides with
        :func:`serve_immutable`.
    """
    from datasette.app import Datasette
    from datasette.plugins import pm

    from archive.access import connect_read_only
    from archive.plugins import datasette_gongkai

    if not pm.is_registered(datasette_gongkai):
        pm.register(datasette_gongkai, name="gongkai")
    path = str(path)
    if immutable is None:
        immutable = serve_immutable(path)
    db = Database(connect_read_only(path, live=not immutable))
    try:
        metadata = metadata_for(db, Path(path).stem)
    finally:
        db.close()
    return Datasette(
        files=[] if immutable else [path],
        immutables=[path] if immutable else [],
        metadata=metadata,
        template_dir=str(TEMPLATES_DIR),
        settings=SETTINGS,
    )



class PortInUse(OSError):
    """``gongkai serve`` cannot listen where it was asked to; ``str()`` says where and what to do."""


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or :class:`PortInUse` before anything claims to serve.

    The socket is handed to uvicorn, so nothing can take the port between the check and serving.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no conflict
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = "is already in use (another gongkai serve?)" if error.errno == errno.EADDRINUSE else \
            f"cannot be used ({error.strerror or error})"
        raise PortInUse(f"port {port} on {host} {reason}: choose another with --port") from error
    sock.listen(128)
    return sock


def serve(path: str | Path, *, host: str = "127.0.0.1", port: int = 8001, immutable: bool | None = None,
          sock: socket.socket | None = None) -> None:
    """Run Datasette on ``host:port`` (or an already bound ``sock``) until interrupted (``gongkai serve``)."""
    import uvicorn

    ds = make_datasette(path, immutable=immutable)
    asyncio.new_event_loop().run_until_complete(ds.invoke_startup())
    sock = sock or bind_socket(host, port)
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on", workers=1)
    uvicorn.Server(config).run(sockets=[sock])
