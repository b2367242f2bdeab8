"""``gongkai worker``, ``gongkai writer``, ``gongkai frontier …`` and ``gongkai crawl --workers N``.

Thin click layers over crawler/distributed.py (workers), crawler/writer.py (the writer) and
crawler/frontier.py (seeding and status), registered on the main group by crawler/cli.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

REDIS_HELP = "Redis URL, e.g. redis://:PASSWORD@10.0.0.5:6379/0 or unix:///run/redis/redis.sock."


def _connect(url: str) -> Any:
    # redis is imported by the commands that use it, not by every `gongkai` command
    from crawler.frontier import Frontier, FrontierUnavailable

    try:
        return Frontier.connect(url)
    except FrontierUnavailable as error:
        from crawler.distributed import unreachable_message

        raise click.ClickException(unreachable_message(error)) from error


def _program(command: str) -> list[str]:
    """How to start ``gongkai COMMAND``: the installed script, so ``ps`` shows ``gongkai worker``."""
    script = Path(sys.executable).parent / "gongkai"
    if script.exists():
        return [sys.executable, str(script), command]
    return [sys.executable, "-m", "crawler.cli", command]


def settings_options(db_purpose: str | None) -> Any:
    """The options that make a crawl's settings (as ``gongkai crawl`` has them), for worker and writer.

    ``db_purpose``: the writer's ``--db`` is checked like the crawl's (``create``); a worker's
    only names the default WARC folder (None).
    """
    from crawler.cli_options import db_option

    db = (db_option(db_purpose) if db_purpose else
          click.option("--db", default="archive.db", show_default=True,
                       help="The archive's name: the default WARC folder is beside it (archive-warc/)."))
    return lambda command: _decorate(command, db)


def _decorate(command: Any, db: Any) -> Any:
    options = [
        db,
        click.option("--warc-dir", default=None,
                     help="Folder for this process's WARC files [default: beside the archive, archive-warc/]."),
        click.option("--no-warc", is_flag=True, help="Do not write WARC files."),
        click.option("--recheck", is_flag=True,
                     help="Request every known page again (conditionally where the server allows)."),
        click.option("--recheck-days", type=float, default=None,
                     help="Recheck known pages last checked more than this many days ago [default: 30]."),
        click.option("--js", type=click.Choice(["auto", "always", "never"]), default=None,
                     help="Browser rendering: auto (pages found script-built) [default], always, never."),
        click.option("--js-site", "js_sites", multiple=True, metavar="HOST=MODE",
                     help="--js for one host, e.g. --js-site www.x.gov.cn=never (repeatable)."),
        click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
                     help="Scrapy/gongkai setting override, as with scrapy crawl -s (repeatable)."),
        click.option("--log-level", default=None,
                     type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], case_sensitive=False),
                     help="Scrapy log level on stderr [default: INFO]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def build_settings(db: str = "archive.db", warc_dir: str | None = None, no_warc: bool = False,
                   recheck: bool = False, recheck_days: float | None = None, overrides: tuple[str, ...] = (),
                   log_level: str | None = None, js: str | None = None, js_sites: tuple[str, ...] = ()) -> Any:
    """The project's Scrapy settings with these options applied, as ``gongkai crawl`` applies them."""
    from scrapy.utils.project import get_project_settings

    from crawler.cli_options import apply_crawl_options

    settings = get_project_settings()
    settings.set("GONGKAI_DB", db, priority="cmdline")
    apply_crawl_options(settings, warc_dir=warc_dir, recheck_days=recheck_days, no_warc=no_warc, recheck=recheck,
                        overrides=overrides, js=js, js_sites=js_sites)
    if log_level:
        settings.set("LOG_LEVEL", log_level.upper(), priority="cmdline")
    return settings


@click.command()
@click.option("--redis", "redis_url", required=True, help=REDIS_HELP)
@settings_options(None)
def worker(redis_url: str, **options: Any) -> None:
    """Fetch and read pages of the crawl seeded in Redis, until it is over (on every crawling machine).

    Example:

        gongkai worker --redis redis://:secret@10.0.0.5:6379/0 --warc-dir /srv/gongkai/warc
    """
    from crawler.distributed import run_worker, unreachable_message
    from crawler.frontier import FrontierUnavailable

    settings = build_settings(**options)
    try:
        status = run_worker(redis_url, settings, options.get("warc_dir"))
    except FrontierUnavailable as error:
        raise click.ClickException(unreachable_message(error)) from error
    sys.exit(status)


@click.command()
@click.option("--redis", "redis_url", required=True, help=REDIS_HELP)
@settings_options("create")
def writer(redis_url: str, **options: Any) -> None:
    """Store the items of the crawl in Redis in the archive (one writer per crawl, beside the archive).

    Example:

        gongkai writer --redis redis://:secret@10.0.0.5:6379/0 --db archive.db
    """
    from crawler.writer import Writer

    settings = build_settings(**options)
    frontier = _connect(redis_url)
    interval = settings.getfloat("GONGKAI_PROGRESS_INTERVAL")
    crawl_id = Writer(frontier, options["db"], settings, progress_interval=interval).run()
    if settings.getbool("GONGKAI_SUMMARY"):
        from archive.store import Archive
        from crawler.extensions import format_summary

        archive = Archive(options["db"])
        try:
            click.echo(format_summary(archive, crawl_id))
        finally:
            archive.close()


@click.group()
def frontier() -> None:
    """Seed a distributed crawl and watch its frontier in Redis.

    Example:

        gongkai frontier status --redis redis://:secret@10.0.0.5:6379/0
    """


@frontier.command("seed")
@click.argument("urls", nargs=-1, required=True)
@click.option("--redis", "redis_url", required=True, help=REDIS_HELP)
def seed(urls: tuple[str, ...], redis_url: str) -> None:
    """Start a crawl of these column URLs (after a finished one: a new crawl).

    Example:

        gongkai frontier seed http://www.example.gov.cn/xxgk/xxgknb/index.html --redis redis://10.0.0.5:6379/0
    """
    from spiders.column import ColumnSpider

    try:
        ColumnSpider(start_urls=list(urls))
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    count = _connect(redis_url).seed(list(urls))
    click.echo(f"{count} column URLs seeded")


@frontier.command("status")
@click.option("--redis", "redis_url", required=True, help=REDIS_HELP)
def status(redis_url: str) -> None:
    """Requests queued, leased, done and failed per host, and items waiting for the writer.

    Example:

        gongkai frontier status --redis redis://10.0.0.5:6379/0
    """
    from crawler.cli_options import format_table

    state = _connect(redis_url).status()
    rows = [vars(h) for h in state.hosts]
    rows.append({"host": "total", **{k: state.total(k) for k in ("queued", "leased", "done", "failed", "expired")}})
    click.echo(f"crawl {state.state}; {state.seeds} seeds waiting; "
               f"{state.items_waiting} items waiting for the writer")
    click.echo(format_table(rows, [("host", "host", 40), ("queued", "queued", 7), ("leased", "leased", 7),
                                   ("done", "done", 7), ("failed", "failed", 7), ("expired", "expired", 7)]))


def crawl_with_workers(urls: list[str], workers: int, redis_url: str | None, argv: list[str],
                       db: str, warc_dir: str | None, settings: Any) -> int:
    """``gongkai crawl --workers N``: the writer and N workers as processes, on a private Redis if none given.

    ``argv`` are the setting options to pass on to ``gongkai worker`` and ``gongkai writer``.
    Returns the exit status (the writer's).
    """
    from crawler.redisserver import PrivateRedis, RedisServerMissing
    from crawler.writer import progress_line

    server = None
    if redis_url is None:
        try:
            server = PrivateRedis().start()
        except RedisServerMissing as error:
            raise click.ClickException(str(error)) from error
        redis_url = server.url
    processes: list[subprocess.Popen[bytes]] = []
    try:
        frontier = _connect(redis_url)
        if frontier.state() == "running":
            raise click.ClickException("a crawl is already running in this Redis (gongkai frontier status)")
        frontier.reset()
        # the progress lines are this process's (from Redis), the summary the writer's
        writer = subprocess.Popen([*_program("writer"), "--redis", redis_url, "--db", db, *argv,
                                   "-s", "GONGKAI_PROGRESS_INTERVAL=0"])
        frontier.seed(urls)
        # for this crawl only: a worker that starts after the others have finished it exits
        worker_args = ["--redis", redis_url, "--db", db, *argv, "-s", "GONGKAI_WORKER_WAITS=false"]
        if warc_dir is None and settings.getbool("GONGKAI_WARC"):
            from archive.warc import warc_dir_for

            warc_dir = settings.get("GONGKAI_WARC_DIR") or str(warc_dir_for(db))
        if warc_dir:
            worker_args += ["--warc-dir", warc_dir]
        processes = [subprocess.Popen([*_program("worker"), *worker_args]) for _ in range(workers)]
        interval = settings.getfloat("GONGKAI_PROGRESS_INTERVAL")
        last = time.monotonic()
        while writer.poll() is None:
            time.sleep(0.2)
            if interval and time.monotonic() - last >= interval:
                click.echo(progress_line(frontier) + f", {sum(p.poll() is None for p in processes)} workers",
                           err=True)
                last = time.monotonic()
            if all(p.poll() is not None for p in processes) and not frontier.finished():
                click.echo("every worker has exited before the crawl was over: stopping the writer", err=True)
                writer.send_signal(signal.SIGTERM)
                writer.wait()
                return 1
        for process in processes:
            process.wait()
        if warc_dir and settings.getbool("GONGKAI_WARC"):
            # a killed worker's files: cut back to their last complete record and indexed
            from archive.warc import WarcStore

            WarcStore(warc_dir).close()
        return writer.returncode
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait()
        if server is not None:
            server.__exit__()


def worker_argv(options: dict[str, Any]) -> list[str]:
    """The crawl command's setting options as arguments for ``gongkai worker`` / ``writer``."""
    argv: list[str] = []
    for override in options.get("overrides") or ():
        argv += ["-s", override]
    for pair in options.get("js_sites") or ():
        argv += ["--js-site", pair]
    for name, flag in (("js", "--js"), ("recheck_days", "--recheck-days"), ("log_level", "--log-level")):
        if options.get(name) is not None:
            argv += [flag, str(options[name])]
    for name, flag in (("recheck", "--recheck"), ("no_warc", "--no-warc")):
        if options.get(name):
            argv.append(flag)
    return argv


os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
