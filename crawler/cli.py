"""The ``gongkai`` command: crawl columns, extract a saved page, list and search the archive.

Each command is a thin layer over the same functions a crawl uses (the spider, the pure
extraction core, :class:`archive.store.Archive`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from crawler import __version__
from crawler.cli_options import apply_crawl_options, db_option, format_table, read_url_file


class GongkaiGroup(click.Group):
    """The command group; an unusable archive met mid-command is one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        import sqlite3

        from archive.access import ArchiveFileError

        try:
            return super().invoke(ctx)
        except ArchiveFileError as error:
            raise click.ClickException(str(error)) from error
        except sqlite3.DatabaseError as error:  # damage beyond the header, found while reading
            raise click.ClickException(f"the archive cannot be read: {error} "
                                       "(`gongkai check --db FILE` says more)") from error


EXIT_CODES = """Exit codes: 0 done; 1 an error (one line on stderr says which); 2 wrong usage;
3 a crawl archived nothing because every start URL failed; 4 `gongkai check` found problems."""
EXIT_NO_START_URL, EXIT_CHECK_FAILED = 3, 4


@click.group(cls=GongkaiGroup, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="gongkai")
def cli() -> None:
    """gongkai: archive Chinese government information-disclosure annual reports."""


@cli.command()
@click.argument("urls", nargs=-1)
@db_option("create")
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
@click.option("--log-level", default=None,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], case_sensitive=False),
              help="Also show Scrapy's log on the console from this level on [default: only the progress "
                   "line and the summary].")
@click.option("--log-file", default=None, type=click.Path(dir_okay=False),
              help="Where the full log goes (INFO, or --log-level if lower) [default: beside the archive, "
                   "archive.db -> archive.log; appended].")
@click.option("--from-homepage", "homepages", multiple=True, metavar="URL",
              help="Discover the report column of this portal, then crawl it (repeatable).")
@click.option("--registry", "use_registry", is_flag=True,
              help="Crawl the registry's bodies (gongkai sites list), discovering missing or moved columns.")
@click.option("--level", type=click.Choice(["central", "provincial", "prefecture", "county"]),
              help="With --registry: only this level.")
@click.option("--province", help="With --registry: only this province, e.g. 浙江省.")
@click.option("--workers", type=click.IntRange(min=0), default=0,
              help="Crawl with N worker processes and one writer sharing a Redis frontier [default: 0, one process].")
@click.option("--redis", "redis_url", default=None,
              help="Redis for --workers [default: a private redis-server in a temporary folder].")
def crawl(urls: tuple[str, ...], db: str, urls_file: str | None, warc_dir: str | None, no_warc: bool,
          recheck: bool, recheck_days: float | None, overrides: tuple[str, ...], log_level: str | None,
          js: str | None = None, js_sites: tuple[str, ...] = (), log_file: str | None = None,
          homepages: tuple[str, ...] = (), use_registry: bool = False, level: str | None = None,
          province: str | None = None, allow_private: bool = False, workers: int = 0,
          redis_url: str | None = None) -> None:
    """Crawl disclosure columns (list page URLs) into the archive.

    Example:

        gongkai crawl http://www.example.gov.cn/xxgk/xxgknb/index.html --db archive.db

    Or start from portals' homepages, or from the registry (discovery finds each column first):

        gongkai crawl --from-homepage http://www.example.gov.cn/ --db archive.db
        gongkai crawl --registry --level provincial --province 浙江省 --db zj.db

    Run it again (e.g. from cron) to collect only what is new: list pages are fetched again,
    known reports are not requested until they are due for a recheck (--recheck-days), then
    conditionally (a 304 costs no download). Against a local test server, lift
    the politeness limits:

        gongkai crawl http://127.0.0.1:8000/col/index.html -s DOWNLOAD_DELAY=0 \\
            -s AUTOTHROTTLE_ENABLED=false -s ROBOTSTXT_OBEY=false

    The console shows a progress line and, at the end, a summary: pages fetched, reports
    new/changed/unchanged, failures by reason, where the archive, WARC files and log are.
    Exit code 3 when every start URL failed (one line each on stderr), 1 when the crawl stopped
    early, 0 otherwise (some pages failing is normal: see the summary).

    With --workers 4 the same crawl runs as 4 processes sharing one polite frontier in Redis
    (gongkai worker / writer / frontier run it on several machines).
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from spiders.column import ColumnSpider

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("GONGKAI_DB", db, priority="cmdline")
    urls = tuple(urls) + tuple(read_url_file(urls_file) if urls_file else ())
    if homepages or use_registry:
        from crawler.cli_registry import columns_to_crawl

        found = columns_to_crawl(db, homepages, use_registry, level, province,
                                 overrides + (("GONGKAI_ALLOW_PRIVATE=True",) if allow_private else ()))
        if not found and not urls:
            raise click.ClickException("discovery found no column to crawl")
        urls += tuple(u for u in found if u not in urls)
    if not urls:
        raise click.UsageError("give column URLs as arguments, with --urls-file, --from-homepage or --registry")
    apply_crawl_options(settings, warc_dir=warc_dir, recheck_days=recheck_days, no_warc=no_warc, recheck=recheck,
                        allow_private=allow_private, overrides=overrides, js=js, js_sites=js_sites)
    try:
        ColumnSpider(start_urls=list(urls))  # validate arguments before starting the reactor
        from spiders.browser import BrowserOptions

        BrowserOptions.from_settings(settings)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if workers or redis_url:  # the same crawl as worker processes on a Redis frontier
        from crawler.cli_distributed import crawl_with_workers, worker_argv

        argv = worker_argv(dict(overrides=overrides, js_sites=js_sites, js=js, recheck_days=recheck_days,
                                log_level=log_level, recheck=recheck, no_warc=no_warc))
        if allow_private:
            argv += ["-s", "GONGKAI_ALLOW_PRIVATE=True"]
        if not log_level:  # as one process: the console shows progress and summary, the log goes beside the archive
            argv += ["-s", f"LOG_FILE={log_file or log_path_for(db)}", "-s", "LOG_FILE_APPEND=True"]
        sys.exit(crawl_with_workers(list(urls), workers or 1, redis_url, argv, db, warc_dir, settings))
    log_path = _crawl_logging(settings, db, log_file, log_level)
    process = CrawlerProcess(settings)
    _console_log(settings, log_level)
    crawler = process.create_crawler(ColumnSpider)
    process.crawl(crawler, start_urls=list(urls))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if not stats.get("gongkai/crawl_id"):
        raise click.ClickException(f"the crawl could not open the archive {db} (see {log_path})")
    _exit_if_no_start_url_was_fetched(db, stats["gongkai/crawl_id"], getattr(crawler.spider, "column_urls", urls))
    if stats.get("finish_reason") not in ("finished", "closespider_timeout",
                                          "closespider_itemcount", "closespider_pagecount"):
        sys.exit(1)


def log_path_for(db: str) -> Path:
    """The crawl log beside an archive: ``data/archive.db`` → ``data/archive.log``."""
    path = Path(db)
    return path.with_name(path.stem + ".log")


def _crawl_logging(settings: object, db: str, log_file: str | None, log_level: str | None) -> Path:
    """Send Scrapy's log to a file beside the archive (INFO, or lower if asked); returns its path.

    A -s LOG_FILE=… given by the user wins. Scrapy installs the file handler itself.
    """
    import logging

    if settings.getpriority("LOG_FILE") and settings.getpriority("LOG_FILE") >= 40 and settings.get("LOG_FILE"):
        return Path(settings.get("LOG_FILE"))
    path = Path(log_file) if log_file else log_path_for(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    level = min(logging.INFO, logging.getLevelName(log_level.upper())) if log_level else logging.INFO
    settings.set("LOG_FILE", str(path), priority="cmdline")
    settings.set("LOG_FILE_APPEND", True, priority="cmdline")
    settings.set("LOG_LEVEL", logging.getLevelName(level), priority="cmdline")
    return path


def _console_log(settings: object, log_level: str | None) -> None:
    """Show Scrapy's log on stderr only from ``--log-level`` on; by default only the progress and summary."""
    import logging

    if not log_level:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(log_level.upper())
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    logging.root.addHandler(handler)


def _exit_if_no_start_url_was_fetched(db: str, crawl_id: int, urls: object) -> None:
    """Exit with :data:`EXIT_NO_START_URL` and one line per start URL when none could be fetched."""
    from archive.store import Archive

    urls = list(urls)
    archive = Archive.read_only(db)
    try:
        failed = archive.failed_start_urls(crawl_id, urls)
    finally:
        archive.close()
    if urls and len(failed) == len(urls):
        for url, error in failed:
            click.echo(f"failed start URL {url}: {error}", err=True)
        click.echo(f"nothing archived: none of the {len(urls)} start URL(s) could be fetched", err=True)
        sys.exit(EXIT_NO_START_URL)


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

    from pipelines.encoding import decode_body
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
@db_option("read")
def reports(db: str) -> None:
    """List the archived reports: agency, year, date, title, characters.

    Example:

        gongkai reports --db demo.db
    """
    from archive.store import Archive

    archive = Archive.read_only(db)
    rows = archive.reports()
    archive.close()
    for row in rows:
        row["agency"] = row["agency"] or row["site_name"] or row["site_host"]
    click.echo(format_table(rows, [("report_year", "year", 4), ("agency", "agency", 24),
                                   ("publish_date", "published", 10), ("title", "title", 48),
                                   ("chars", "chars", 7)]))
    click.echo(f"{len(rows)} reports")


# -word excludes a word: it must reach the query, not click's option parser.
@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True, type=click.UNPROCESSED)
@db_option("read")
@click.option("--limit", default=20, show_default=True, help="Show at most this many reports.")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per line: id, url, title, agency, year, snippet, score.")
def search(query: tuple[str, ...], db: str, limit: int, as_json: bool) -> None:
    """Full-text search of report titles and bodies: words of any length, either script.

    Several words must all occur; "quoted phrases" occur as typed; OR between two words
    accepts either; -word leaves out reports holding it. 資訊公開 and 信息公开 find each other.

    Example:

        gongkai search 依申请公开 年报 OR 年度报告 -征求意见 --db demo.db

    Matches are marked ⟦like this⟧. The score is SQLite's bm25 rank (lower is better; 0 when
    no word has three characters, and the newest reports come first).
    """
    from archive.query import QueryError
    from archive.store import Archive

    text = " ".join(query)  # the shell splits words; quotes the shell kept are the user's phrases
    archive = Archive.read_only(db)
    try:
        total = archive.count_matches(text)
        rows = archive.search(text, limit, width=56)
    except QueryError as error:
        raise click.ClickException(str(error)) from error
    finally:
        archive.close()
    if as_json:
        for row in rows:
            click.echo(json.dumps({"id": row["id"], "url": row["url"], "title": row["title"],
                                   "agency": row["agency"], "year": row["report_year"],
                                   "snippet": row["snippet"], "score": row["score"]}, ensure_ascii=False))
        return
    # The snippet is made to fit its column (search(width=…)), so the table never cuts a term.
    click.echo(format_table(rows, [("id", "id", 8), ("report_year", "year", 4), ("title", "title", 36),
                                   ("snippet", "match", None), ("url", "url", None)]))
    shown = f"{len(rows)} shown (--limit {limit})" if len(rows) < total else "all shown"
    click.echo(f"{total} report{'s' if total != 1 else ''} match {text!r}" + (f"; {shown}" if total else ""))


@cli.command()
@db_option("read")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (local only by default).")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--live/--immutable", "live", default=None,
              help="Force read-only live mode (sees a running crawl's writes) or immutable mode "
                   "[default: immutable unless a crawl is writing, i.e. archive.db-wal exists].")
def serve(db: str, host: str, port: int, live: bool | None) -> None:
    """Browse the archive in Datasette (read-only), with search, facets, canned queries and charts.

    Example:

        gongkai serve --db demo.db --port 8001

    then open http://127.0.0.1:8001/demo. The archive is never written: it is served immutable
    when no crawl is writing it, else read-only (live), and nothing is left beside it. An archive
    made by an older gongkai is refused until `gongkai migrate --db FILE` has updated it.
    """
    from archive.datasette import PortInUse, bind_socket, serve_immutable
    from archive.datasette import serve as serve_archive

    immutable = serve_immutable(db) if live is None else not live
    try:
        sock = bind_socket(host, port)
    except PortInUse as error:
        raise click.ClickException(str(error)) from error
    name = Path(db).stem
    click.echo(f"Serving {db} ({'immutable' if immutable else 'read-only, live'}) at "
               f"http://{host}:{port}/{name} — Ctrl+C to stop", err=True)
    serve_archive(db, host=host, port=port, immutable=immutable, sock=sock)


@cli.command()
@db_option("migrate")
def migrate(db: str) -> None:
    """Bring an archive made by an older gongkai up to this version's schema.

    Example:

        gongkai migrate --db archive.db

    `gongkai crawl` does this too; `serve`, `search`, `reports` and `check` never write and ask
    for it. Copy the file first if older gongkai versions must still read it.
    """
    from archive.access import Purpose, check_archive_file
    from archive.store import Archive

    pending = check_archive_file(db, Purpose.MIGRATE).pending
    Archive(db).close()
    click.echo(f"{db}: " + (f"applied {len(pending)} schema step(s): {', '.join(pending)}" if pending
                            else "already at the current schema"), err=True)


@cli.command("export")
@db_option("read-any")
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
@db_option("read-any")
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


@cli.command()
@db_option("read-any")
@click.option("--warc-dir", default=None, type=click.Path(file_okay=False),
              help="The crawl's WARC folder [default: beside the archive, archive.db -> archive-warc/].")
def check(db: str, warc_dir: str | None) -> None:
    """Verify an archive: SQLite integrity, search index vs. reports, WARC pointers, blob sha256s.

    Example:

        gongkai check --db archive.db

    Prints one line per problem and exits with code 4 when there is any (0 when all is well),
    so cron can mail the output. The archive is only read; nothing is repaired.
    """
    from archive.check import check_archive

    report = check_archive(db, warc_dir)
    for problem in report.problems:
        click.echo(problem)
    for skipped in report.skipped:
        click.echo(f"not checked: {skipped}", err=True)
    counts = ", ".join(f"{n:,} {name}" for name, n in report.checked.items())
    if report.ok:
        click.echo(f"{db}: ok ({counts})", err=True)
        return
    click.echo(f"{db}: {len(report.problems)} problem(s) found ({counts})", err=True)
    sys.exit(EXIT_CHECK_FAILED)


def _register_commands() -> None:
    # Commands kept in their own module, which never imports this one at import time (this
    # module also runs as __main__ and as multiprocessing's __mp_main__).
    from crawler.cli_distributed import frontier, worker, writer
    from crawler.cli_registry import coverage, discover, sites

    for command in (sites, discover, coverage, worker, writer, frontier):
        cli.add_command(command)


_register_commands()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
