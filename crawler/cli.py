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


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--db", default="archive.db", show_default=True, help="SQLite archive to write.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Scrapy/gongkai setting override, as with scrapy crawl -s (repeatable).")
@click.option("--log-level", default=None, help="Scrapy log level (default INFO).")
def crawl(urls: tuple[str, ...], db: str, overrides: tuple[str, ...], log_level: str | None
          ) -> None:
    """Crawl disclosure columns (list page URLs) into the archive.

    Example:

        gongkai crawl http://www.example.gov.cn/xxgk/xxgknb/index.html --db archive.db

    Against a local test server, lift the politeness limits:

        gongkai crawl http://127.0.0.1:8000/col/index.html -s DOWNLOAD_DELAY=0 \\
            -s AUTOTHROTTLE_ENABLED=false -s ROBOTSTXT_OBEY=false
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from spiders.column import ColumnSpider

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("GONGKAI_DB", db, priority="cmdline")
    for override in overrides:
        if "=" not in override:
            raise click.BadParameter(f"expected NAME=VALUE, got {override!r}", param_hint="-s")
        name, value = override.split("=", 1)
        settings.set(name.strip(), value, priority="cmdline")
    if log_level:
        settings.set("LOG_LEVEL", log_level.upper(), priority="cmdline")
    try:
        ColumnSpider(start_urls=list(urls))  # validate arguments before starting the reactor
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
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
