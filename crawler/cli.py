"""The ``gongkai`` command: crawl columns, extract a saved page, list and search the archive.

Each command is a thin layer over the same functions a crawl uses (the spider, the pure
extraction core, :class:`archive.store.Archive`).
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path

import click

from crawler import __version__


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    out, used = [], 0
    for char in text:
        w = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + w > width:
            return "".join(out[:-1]) + "…" if out else "…"
        out.append(char)
        used += w
    return "".join(out)


def format_table(rows: list[dict], columns: list[tuple[str, str, int]]) -> str:
    """A plain-text table that lines up Chinese (double-width) text.

    ``columns`` are (key, heading, max display width).
    """
    cells = [[_cut("" if r.get(k) is None else str(r.get(k)), w) for k, _, w in columns]
             for r in rows]
    widths = [max([_width(h)] + [_width(c[i]) for c in cells]) for i, (_, h, _) in
              enumerate(columns)]
    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()
    out = [line([h for _, h, _ in columns]), line(["-" * w for w in widths])]
    out += [line(c) for c in cells]
    return "\n".join(out)


@click.group()
@click.version_option(__version__, prog_name="gongkai")
def cli() -> None:
    """gongkai: archive Chinese government information-disclosure annual reports."""


def read_url_file(path: str) -> list[str]:
    """Column URLs from a file: one per line; blank lines and ``#`` comments ignored."""
    urls = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            urls.append(line)
    return urls


@cli.command()
@click.argument("urls", nargs=-1)
@click.option("--db", default="archive.db", show_default=True, help="SQLite archive to write.")
@click.option("--urls-file", type=click.Path(exists=True, dir_okay=False),
              help="File of column URLs, one per line (# comments allowed), crawled with URLS.")
@click.option("--warc-dir", default=None,
              help="Folder for WARC files [default: beside the archive, archive.db -> archive-warc/].")
@click.option("--no-warc", is_flag=True, help="Do not write WARC files.")
@click.option("--recheck", is_flag=True,
              help="Request every known page again (conditionally where the server allows).")
@click.option("--recheck-days", type=float, default=None,
              help="Recheck known pages last checked more than this many days ago [default: 30; 0 = every crawl].")
@click.option("--js", type=click.Choice(["auto", "always", "never"]), default=None,
              help="Browser rendering: auto (pages found script-built) [default], always, never.")
@click.option("--js-site", "js_sites", multiple=True, metavar="HOST=MODE",
              help="--js for one host, e.g. --js-site www.x.gov.cn=never (repeatable).")
@click.option("--allow-private", is_flag=True,
              help="Also fetch loopback, private and link-local addresses other than the start "
                   "URLs' hosts (an intranet crawl); refused by default.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Scrapy/gongkai setting override, as with scrapy crawl -s (repeatable).")
@click.option("--log-level", default=None, help="Scrapy log level (default INFO).")
def crawl(urls: tuple[str, ...], db: str, urls_file: str | None, warc_dir: str | None, no_warc: bool,
          recheck: bool, recheck_days: float | None, overrides: tuple[str, ...], log_level: str | None,
          js: str | None = None, js_sites: tuple[str, ...] = (), allow_private: bool = False) -> None:
    """Crawl disclosure columns (list page URLs) into the archive.

    Example:

        gongkai crawl http://www.example.gov.cn/xxgk/xxgknb/index.html --db archive.db

    Run it again (e.g. from cron) to collect only what is new: list pages are fetched again,
    known reports are not requested until they are due for a recheck (--recheck-days), then
    conditionally (a 304 costs no download). Against a local test server, lift
    the politeness limits:

        gongkai crawl http://127.0.0.1:8000/col/index.html -s DOWNLOAD_DELAY=0 \\
            -s AUTOTHROTTLE_ENABLED=false -s ROBOTSTXT_OBEY=false
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from spiders.column import ColumnSpider

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("GONGKAI_DB", db, priority="cmdline")
    urls = tuple(urls) + tuple(read_url_file(urls_file) if urls_file else ())
    if not urls:
        raise click.UsageError("give column URLs as arguments or with --urls-file")
    for name, value in (("GONGKAI_WARC_DIR", warc_dir), ("GONGKAI_RECHECK_DAYS", recheck_days)):
        if value is not None:
            settings.set(name, value, priority="cmdline")
    if no_warc:
        settings.set("GONGKAI_WARC", False, priority="cmdline")
    if recheck:
        settings.set("GONGKAI_RECHECK", True, priority="cmdline")
    if allow_private:
        settings.set("GONGKAI_ALLOW_PRIVATE", True, priority="cmdline")
    for override in overrides:
        if "=" not in override:
            raise click.BadParameter(f"expected NAME=VALUE, got {override!r}", param_hint="-s")
        name, value = override.split("=", 1)
        settings.set(name.strip(), value, priority="cmdline")
    if log_level:
        settings.set("LOG_LEVEL", log_level.upper(), priority="cmdline")
    if js:
        settings.set("GONGKAI_JS", js, priority="cmdline")
    if js_sites:
        if any("=" not in pair for pair in js_sites):
            raise click.BadParameter("expected HOST=MODE", param_hint="--js-site")
        settings.set("GONGKAI_JS_SITES", dict(pair.split("=", 1) for pair in js_sites), priority="cmdline")
    try:
        ColumnSpider(start_urls=list(urls))  # validate arguments before starting the reactor
        from crawler.browser import BrowserOptions

        BrowserOptions.from_settings(settings)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ColumnSpider)
    process.crawl(crawler, start_urls=list(urls))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if not stats.get("gongkai/crawl_id"):
        raise click.ClickException(f"the crawl could not open the archive {db!r} (see log)")
    if stats.get("finish_reason") not in ("finished", "closespider_timeout",
                                          "closespider_itemcount", "closespider_pagecount"):
        sys.exit(1)


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", default="", help="The URL the page was served from (dates, links).")
@click.option("--content-type", default=None, help="The Content-Type header it was served with.")
def extract(path: str, url: str, content_type: str | None) -> None:
    """Run the crawl's extraction passes on a saved page and print the result as JSON.

    Example:

        gongkai extract saved/t20150105_123.html --url http://x.gov.cn/xxgk/201501/t20150105_123.html
    """
    import dataclasses

    from crawler.encoding import decode_body
    from pipelines.extract import extract_article

    text, decision = decode_body(Path(path).read_bytes(), content_type)
    article = extract_article(text, url)
    result = dataclasses.asdict(article)
    result["classification"] = dataclasses.asdict(article.classification)
    result["encoding"] = decision.as_dict()
    if article.is_report:  # what a crawl stores in report_sections / report_cells / report_checks
        from pipelines.stats import parse_statistics

        result["statistics"] = parse_statistics(article.tables, article.body_text, article.report_year).rows()
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@cli.command("read-file")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--ocr/--no-ocr", "use_ocr", default=None,
              help="OCR scanned pages (default: when tesseract with chi_sim is installed).")
@click.option("--text", "text_only", is_flag=True, help="Print only the extracted text.")
def read_file(path: str, use_ocr: bool | None, text_only: bool) -> None:
    """Read an attachment file (PDF, DOC, DOCX, WPS, OFD, XLS(X), image) as a crawl does; print JSON.

    The type comes from the bytes, not the name; the JSON has the text, the tables as grids,
    the method, OCR flag and confidence, and the error when the file cannot be read.

    Example:

        gongkai read-file downloads/P020200115123456.pdf --text
    """
    import dataclasses

    from pipelines import ocr
    from pipelines.attachments import ReadOptions, read_attachment

    options = ReadOptions() if use_ocr is None else ReadOptions(ocr=ocr.OcrOptions(enabled=use_ocr))
    result = read_attachment(Path(path).read_bytes(), Path(path).name, options)
    if text_only:
        click.echo(result.text)
        if result.error:
            raise click.ClickException(result.error)
        return
    click.echo(json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=2))


@cli.command()
@click.option("--db", default="archive.db", show_default=True, type=click.Path(exists=True))
def reports(db: str) -> None:
    """List the archived reports: agency, year, date, title, characters.

    Example:

        gongkai reports --db demo.db
    """
    from archive.store import Archive

    archive = Archive(db)
    rows = archive.reports()
    archive.close()
    for row in rows:
        row["agency"] = row["agency"] or row["site_name"] or row["site_host"]
    click.echo(format_table(rows, [("report_year", "year", 4), ("agency", "agency", 24),
                                   ("publish_date", "published", 10), ("title", "title", 48),
                                   ("chars", "chars", 7)]))
    click.echo(f"{len(rows)} reports")


@cli.command()
@click.argument("query")
@click.option("--db", default="archive.db", show_default=True, type=click.Path(exists=True))
@click.option("--limit", default=20, show_default=True)
def search(query: str, db: str, limit: int) -> None:
    """Full-text search of report titles and bodies (any length; 3+ characters ranked).

    Example:

        gongkai search 依申请公开 --db demo.db
    """
    from archive.store import Archive

    archive = Archive(db)
    rows = archive.search(query, limit)
    archive.close()
    click.echo(format_table(rows, [("report_year", "year", 4), ("title", "title", 40),
                                   ("snippet", "match", 50)]))



@cli.command()
@click.option("--db", default="archive.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (local only by default).")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--live/--immutable", "live", default=None,
              help="Force read-only live mode (sees a running crawl's writes) or immutable mode "
                   "[default: immutable unless a crawl is writing, i.e. archive.db-wal exists].")
def serve(db: str, host: str, port: int, live: bool | None) -> None:
    """Browse the archive in Datasette (read-only), with search, facets, canned queries and charts.

    Example:

        gongkai serve --db demo.db --port 8001

    then open http://127.0.0.1:8001/demo. The archive is first brought up to the current
    schema (the only write), then served immutable when no crawl is writing it, else read-only.
    """
    from archive.datasette import serve as serve_archive
    from archive.datasette import serve_immutable
    from archive.store import Archive

    Archive(db).close()  # migrate: the metadata describes the current schema
    immutable = serve_immutable(db) if live is None else not live
    name = Path(db).stem
    click.echo(f"Serving {db} ({'immutable' if immutable else 'read-only, live'}) at "
               f"http://{host}:{port}/{name} — Ctrl+C to stop", err=True)
    serve_archive(db, host=host, port=port, immutable=immutable)


@cli.command("export")
@click.option("--db", default="archive.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", required=True, type=click.Choice(["jsonl", "csv", "parquet", "txt"]),
              help="jsonl, csv, parquet, or txt (a folder of .txt files plus manifest.jsonl).")
@click.option("--out", required=True, type=click.Path(), help="File to write (a folder for txt).")
@click.option("--year", type=int, help="Only reports covering this year.")
@click.option("--from-year", type=int, help="Only reports covering this year or later.")
@click.option("--to-year", type=int, help="Only reports covering this year or earlier.")
@click.option("--agency", multiple=True, help="Only this agency, exactly as archived (repeatable).")
@click.option("--site", multiple=True, help="Only this site: id, host, name or column URL (repeatable).")
@click.option("--doc-type", multiple=True, help="Only captures of this doc_type, e.g. annual_report (repeatable).")
@click.option("--script", multiple=True, type=click.Choice(["simplified", "traditional"]),
              help="Only reports in this script (repeatable).")
@click.option("--cells", is_flag=True, help="Export the statistics table cells (long format) instead of reports.")
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 BOM so Excel reads Chinese correctly.")
def export_command(db: str, fmt: str, out: str, year: int | None, from_year: int | None, to_year: int | None,
                   agency: tuple[str, ...], site: tuple[str, ...], doc_type: tuple[str, ...],
                   script: tuple[str, ...], cells: bool, bom: bool) -> None:
    """Export reports (or their table cells) with a manifest for citation.

    Example:

        gongkai export --db demo.db --format parquet --year 2019 --out y.parquet

    Writes OUT and OUT.manifest.json (query, filters, row count, sha256 of the data and of the
    archive, gongkai version, time). Exporting the same archive again gives identical data files.
    """
    from archive.export import ExportError, ExportFilters, NoCellsTable, count_rows, export, open_read_only

    try:
        filters = ExportFilters(year, from_year, to_year, agency, site, doc_type, script)
        database = open_read_only(db)
        total = count_rows(database, filters, cells=cells)
    except NoCellsTable as error:
        click.echo(f"{error}: nothing exported", err=True)
        return
    except ExportError as error:
        raise click.ClickException(str(error)) from error
    from tqdm import tqdm

    # A bar on a terminal only: piped or logged output stays clean.
    with tqdm(total=total, unit="row", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
        try:
            result = export(database, out, fmt, filters, cells=cells, bom=bom, archive_path=db,
                            version=__version__, progress=bar.update)
        except (ExportError, OSError) as error:
            raise click.ClickException(str(error)) from error
        finally:
            database.close()
    click.echo(f"{result.row_count} rows -> {out} (manifest: {result.manifest_path})", err=True)


@cli.command()
@click.option("--db", default="archive.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--by", default="site", show_default=True, type=click.Choice(["site", "agency"]),
              help="Rows of the per-year table.")
def stats(db: str, by: str) -> None:
    """Summarise the archive: reports per year × site (or agency), missing years, failed fetches.

    Example:

        gongkai stats --db demo.db --by agency
    """
    from archive import stats as summary
    from archive.export import open_read_only

    database = open_read_only(db)
    table = summary.reports_per_year(database, by)
    rows = [{by: label, **{str(y): counts.get(y) or "." for y in table.years}, "total": sum(counts.values())}
            for label, counts in table.rows]
    rows.append({by: "total", **{str(y): table.total(y) for y in table.years},
                 "total": sum(r["total"] for r in rows)})
    click.echo(f"Reports per report year and {by}:\n")
    click.echo(format_table(rows, [(by, by, 44)] + [(str(y), str(y), 4) for y in table.years]
                            + [("total", "total", 5)]))
    undated = summary.undated_reports(database)
    if undated:
        click.echo(f"\n{undated} reports without a report year are not counted above.")
    missing = summary.missing_years(database)
    click.echo("\nSites with missing years:" + ("" if missing else " none"))
    if missing:
        click.echo(format_table(missing, [("site", "site", 50), ("missing", "n", 3),
                                          ("missing_years", "missing years", 60)]))
    failed = summary.failures(database)
    database.close()
    click.echo(f"\nFailed fetches: {sum(r['fetches'] for r in failed)}")
    if failed:
        click.echo(format_table(failed, [("fetches", "n", 5), ("kind", "kind", 10), ("error", "error", 50),
                                         ("last_at", "last", 20), ("example_url", "example", 60)]))


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
