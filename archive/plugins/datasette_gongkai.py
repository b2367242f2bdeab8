"""gongkai's Datasette plugin: cross-script Chinese search, highlighted snippets, a charts page (archive layer).

Registered by :func:`archive.datasette.make_datasette` (``gongkai serve``), not by entry point,
so it changes only the archive gongkai serves.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from archive.metadata import canned_query_sql
from archive.plugins.charts import (
    STATUS_COLOURS,
    STATUS_LABELS,
    Bar,
    bar_chart,
    coverage_grid,
    horizontal_bar_chart,
    year_grid,
)
from archive.query import NO_MATCH, QueryError, parse_query, register_functions
from archive.zhs import fts_phrase_query, query_variants, simplified_characters, simplified_copy

# Highlight markers the canned search query puts around matches; they stay readable in the JSON
# API and become <mark> on HTML pages (nothing else in the text is ever turned into markup).
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"
AGENCIES_SHOWN = 30


def cross_script_escape_fts(query: str) -> str:
    """The table search box's query: gongkai's search syntax (archive/query.py) as one FTS5 expression.

    >>> cross_script_escape_fts("資訊公開 年度报告")
    '("資訊公開" OR "资讯公开" OR "信息公开") AND "年度报告"'
    >>> cross_script_escape_fts('"依申请 公开" 年报 OR 年度报告 -征求意见')
    '("依申请 公开" AND ("年报" OR "年度报告")) NOT "征求意见"'

    As with Datasette's own ``escape_fts``, each word or "quoted phrase" must occur; OR and
    -exclusion work too, and each word is also looked for in its simplified forms. The box
    finds nothing for words under three characters (the trigram index); the page says so and
    links the canned search, which finds them.
    """
    try:
        return parse_query(query).fts_expression(short_terms=True) or NO_MATCH
    except QueryError:
        return NO_MATCH


def excerpt(body: str | None, body_zhs: str | None, query: str, width: int = 30) -> str | None:
    """Text around the first occurrence of ``query`` (or its simplified form), marked ⟦like this⟧.

    >>> excerpt("……本年度共收到政府信息公开申请12件……", None, "公开", width=4)
    '…政府信息⟦公开⟧申请12…'
    >>> excerpt("我局在梅嶺街道開展宣傳", "我局在梅岭街道开展宣传", "梅岭", width=2)
    '…局在⟦梅嶺⟧街道…'

    The excerpt comes from the original text whenever the match can be placed in it, also when
    only its character-by-character simplified form matches; else from the simplified copy.
    """
    if not body or not query:
        return None
    forms = query_variants(query)
    at, size = _find(body, forms)
    if at < 0:
        simplified = simplified_characters(body)
        if len(simplified) == len(body):  # t2s maps one character to one: positions carry over
            at, size = _find(simplified, forms + [simplified_characters(query)])
    text = body
    if at < 0 and body_zhs:
        text = body_zhs
        at, size = _find(body_zhs, forms + [simplified_copy(query) or query])
    if at < 0:
        return None
    start, end = max(at - width, 0), at + size + width
    return ("…" if start else "") + text[start:at] + MARK_OPEN + text[at:at + size] + MARK_CLOSE + \
        text[at + size:end] + ("…" if end < len(text) else "")


def _find(text: str, forms: list[str]) -> tuple[int, int]:
    for form in forms:
        at = text.find(form) if form else -1
        if at >= 0:
            return at, len(form)
    return -1, 0


@hookimpl(trylast=True)  # after Datasette's own prepare_connection, so our escape_fts wins
def prepare_connection(conn: Any) -> None:
    conn.create_function("escape_fts", 1, cross_script_escape_fts)
    conn.create_function("gongkai_fts_query", 1, lambda q: fts_phrase_query((q or "").strip()))
    conn.create_function("gongkai_simplified", 1, lambda text: simplified_copy(text) or text)
    conn.create_function("gongkai_excerpt", 3, excerpt)
    register_functions(conn)


def _links_to_report(row: Any, column: str) -> bool:
    """A canned query's report id: ``report_id`` anywhere, and ``id`` in the search query's rows."""
    keys = row.keys() if hasattr(row, "keys") else ()
    return column == "report_id" or (column == "id" and "snippet" in keys and "score" in keys)


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if table is None and column == "snippet" and isinstance(value, str) and MARK_OPEN in value:
        # Escape the captured text first; only our own markers become tags.
        safe = str(escape(value)).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
        return Markup(safe)
    if table is None and isinstance(value, int) and _links_to_report(row, column):
        href = datasette.urls.row(database, "reports", str(value))
        return Markup(f'<a href="{escape(href)}">{value}</a>')
    if table is not None and isinstance(value, (int, str)) and not isinstance(value, bool):
        return _foreign_key_label(datasette, database, table, column, value)
    return None


async def _foreign_keys(datasette: Any, database: str, table: str) -> dict[str, dict[str, str]]:
    key = (database, table)
    if key not in _FOREIGN_KEYS:
        found = await datasette.get_database(database).foreign_keys_for_table(table)
        _FOREIGN_KEYS[key] = {fk["column"]: fk for fk in found}
    return _FOREIGN_KEYS[key]


_FOREIGN_KEYS: dict[tuple[str, str], dict[str, dict[str, str]]] = {}


def _foreign_key_label(datasette: Any, database: str, table: str, column: str, value: Any) -> Any:
    """A report's page (Datasette 0.65 row view) shows site_id as "江州市人民政府 1", as table pages do.

    Table pages hand foreign keys to plugins already expanded (a dict), row pages as the bare
    id; only the bare ones are labelled here, with the other table's ``label_column``.
    """

    async def inner() -> Markup | None:
        fk = (await _foreign_keys(datasette, database, table)).get(column)
        if not fk:
            return None
        label_column = datasette.table_metadata(database, fk["other_table"]).get("label_column")
        if not label_column:
            return None
        result = await datasette.get_database(database).execute(
            f"select [{label_column}] from [{fk['other_table']}] where [{fk['other_column']}] = ?", [value])
        row = result.first()
        if row is None or row[0] in (None, ""):
            return None
        href = datasette.urls.row(database, fk["other_table"], tilde_encode(str(value)))
        return Markup(f'<a href="{escape(href)}">{escape(row[0])}</a>&nbsp;<em>{escape(value)}</em>')

    return inner


@hookimpl
def database_actions(datasette: Any, database: str) -> Any:
    async def inner() -> list[dict[str, str]]:
        if not await datasette.get_database(database).table_exists("reports"):
            return []
        return [{"href": datasette.urls.database(database) + "/-/charts",
                 "label": "Charts: reports per year, site and agency"},
                {"href": datasette.urls.database(database) + "/-/coverage",
                 "label": "Coverage: who published each year's report, on time"}]

    return inner


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/(?P<database>[^/]+)/-/charts$", charts_page),
            (r"^/(?P<database>[^/]+)/-/coverage$", coverage_page)]


async def _archive_database(datasette: Any, request: Any) -> tuple[str, Any]:
    """The page's database (name and Datasette handle), once the actor may view it and it is an archive."""
    name = request.url_vars["database"]
    try:
        db = datasette.get_database(name)
    except KeyError as error:
        raise NotFound(f"Database not found: {name}") from error
    await datasette.ensure_permissions(request.actor, [("view-database", name), "view-instance"])
    if not await db.table_exists("reports"):
        raise NotFound(f"{name} is not a gongkai archive (no reports table)")
    return name, db


async def charts_page(datasette: Any, request: Any) -> Response:
    """Reports per year, per site and year, and per agency, drawn as SVG from the canned queries."""
    name, db = await _archive_database(datasette, request)
    base = datasette.urls.table(name, "reports")
    per_year = {r["report_year"]: r["reports"] for r in (await db.execute(canned_query_sql("reports_per_year"))).rows}
    # Every year from the first to the last, so a year with no report shows as an empty slot.
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    years_bars = [Bar(str(y), per_year.get(y, 0), f"{base}?report_year={y}" if y in per_year else None)
                  for y in years]
    per_site: dict[int | None, tuple[str, dict[int, int]]] = {}
    for r in (await db.execute(canned_query_sql("reports_per_year_and_site"))).rows:
        label = r["site"] or f"site {r['site_id']}"
        per_site.setdefault(r["site_id"], (label, {}))[1][r["report_year"]] = r["reports"]
    grid_rows = [(label, counts, f"{base}?site_id={site_id}&report_year=" if site_id is not None else None)
                 for site_id, (label, counts) in per_site.items()]
    agencies = (await db.execute(canned_query_sql("reports_per_agency"))).rows
    agency_bars = [Bar(r["agency"], r["reports"], f"{base}?agency={quote(r['agency'])}"
                       if r["agency"] != "(unknown)" else f"{base}?agency__isnull=1")
                   for r in agencies[:AGENCIES_SHOWN]]
    context = {
        "database": name,
        "reports_url": base,
        "total": sum(per_year.values()),
        "per_year": bar_chart(years_bars, title="Reports per report year"),
        "per_site": year_grid(grid_rows, years, title="Reports per site and report year"),
        "per_agency": horizontal_bar_chart(agency_bars, title="Reports per agency"),
        "more_agencies": max(len(agencies) - AGENCIES_SHOWN, 0),
        "applications": None,
    }
    if await db.table_exists("report_cells"):
        applications = [r for r in (await db.execute(canned_query_sql("applications_per_year"))).rows
                        if r["applications"] is not None]
        if applications:
            context["applications"] = bar_chart(
                [Bar(str(r["report_year"]), int(r["applications"])) for r in applications],
                title="Applications received per report year (表三)")
    return Response.html(await datasette.render_template("gongkai_charts.html", context, request=request))


def _year_arg(request: Any, name: str) -> int | None:
    value = request.args.get(name)
    return int(value) if value and value.isdigit() else None


async def coverage_page(datasette: Any, request: Any) -> Response:
    """Agency × report year: on time, late, undated or missing (archive/coverage.py, as ``gongkai coverage``)."""
    from sqlite_utils import Database

    from archive.coverage import counts, coverage

    name, db = await _archive_database(datasette, request)
    first, last = _year_arg(request, "from_year"), _year_arg(request, "to_year")
    rows = await db.execute_fn(lambda conn: coverage(Database(conn), first, last))
    years = sorted({r.year for r in rows})
    grid: dict[str, dict[int, tuple[str, str | None, str | None]]] = {}
    for row in rows:
        grid.setdefault(row.agency, {})[row.year] = (row.status, row.published, row.url)
    context = {
        "database": name,
        "grid": coverage_grid(sorted(grid.items()), years, title="Annual reports per agency and report year"),
        "counts": counts(rows),
        "labels": STATUS_LABELS,
        "colours": STATUS_COLOURS,
        "agencies": len(grid),
        "years": years,
    }
    return Response.html(await datasette.render_template("gongkai_coverage.html", context, request=request))
