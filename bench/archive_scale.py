"""Archive scale benchmark: a synthetic multi-year archive of N reports, browsed and exported.

Builds an archive through :class:`archive.store.Archive` (triggers, FTS and statistics rows as a
crawl writes them, one transaction per batch): N reports of ~2,500 characters from
``demo.texts.template_report`` spread over sites, agencies and years 2008–2024, ~200 statistics
cells each for 2019+ (parsed by ``pipelines.stats`` as a crawl does), a list page per 20 reports
and a failed fetch per 25. Then times, through the real Datasette app of ``gongkai serve``
(:func:`archive.datasette.make_datasette`, in-process, no network): the reports page, facets,
the search box, the canned search with a 4- and a 2-character term, every canned query of
``archive/metadata.yaml``, a report's row page (with its foreign-key link counts), the charts
page; then ``gongkai export`` (jsonl, csv, parquet; all rows) and ``gongkai stats``.

    .venv/bin/python bench/archive_scale.py [--reports 50000] [--db PATH] [--keep] [--json PATH]

``--db`` reuses an archive already built at PATH (migrating it first), so a schema change can be
timed without rebuilding. Each page is fetched ``--repeat`` times; the best time is shown.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.datasette import make_datasette  # noqa: E402
from archive.metadata import metadata_template  # noqa: E402
from archive.store import Archive  # noqa: E402
from demo.texts import template_report  # noqa: E402
from pipelines.stats import parse_statistics  # noqa: E402

PLACES = ("江州", "青溪", "梅岭", "石门", "云阳", "临川", "安平", "永宁", "南浦", "北岗",
          "东湖", "西山", "龙泉", "清河", "白沙", "金城", "玉林", "长乐", "丰城", "新安")
LEVELS = ("市", "县", "区")
BUREAUS = ("人民政府", "水利局", "教育局", "财政局", "民政局", "公安局", "卫生健康委员会", "生态环境局",
           "交通运输局", "自然资源局", "住房和城乡建设局", "农业农村局", "商务局", "审计局", "统计局",
           "市场监督管理局", "人力资源和社会保障局", "文化和旅游局", "应急管理局", "司法局")
YEARS = range(2008, 2025)
RARE = "梅岭街道"  # put into 1 report in 200: a 4-character search with a small answer
BATCH = 200


def agencies() -> list[str]:
    return [f"{p}{lv}{b}" for p in PLACES for lv in LEVELS for b in BUREAUS]  # 1,200 agencies


def build(path: Path, n_reports: int, seed: int = 7) -> dict[str, float]:
    """Write ``n_reports`` reports into a new archive at ``path``; returns timings."""
    rng = random.Random(seed)
    names = agencies()
    start = time.perf_counter()
    archive = Archive(path)
    crawl = archive.start_crawl({"columns": ["synthetic"]}, "bench")
    # A site per (place, level) column, ~60 of them; each agency reports on its place's site.
    site_of: dict[str, int] = {}
    for place in PLACES:
        for level in LEVELS:
            host = f"www.{abs(hash((place, level))) % 10**6}.gov.cn"
            site_of[place + level] = archive.ensure_site(f"http://{host}/xxgk/ndbg/index.html",
                                                         f"{place}{level}人民政府")
    archive.commit_batch()
    archive.begin_batch()
    for n in range(n_reports):
        agency = names[n % len(names)]
        year = YEARS[(n // len(names) + n * 7) % len(YEARS)]
        site_id = site_of[agency[:3]]
        text = template_report(agency, year, seed=n)
        body = text.body_text()
        if n % 200 == 0:
            body = body.replace("\n", f"\n我局在{RARE}开展政府信息公开宣传活动。\n", 1)
        url = f"http://site{site_id}.gov.cn/xxgk/ndbg/{year + 1}/t{year + 1}0115_{n}.html"
        capture = {"crawl_id": crawl, "site_id": site_id, "url": url, "final_url": url, "kind": "article",
                   "status": 200, "fetched_at": f"2026-01-02T03:{n % 60:02d}:00Z", "content_type": "text/html",
                   "encoding_chosen": "utf-8", "renderer": "http", "title": text.title,
                   "doc_type": "annual_report"}
        html = f"<html><head><title>{text.title}</title></head><body><div class='TRS_Editor'>{body}</div></body></html>"
        report = {"url": url, "site_id": site_id, "title": text.title, "body_text": body, "report_year": year,
                  "publish_date": f"{year + 1}-0{1 + n % 9}-15", "agency": agency, "script": "simplified",
                  "source_format": "html", "container": "TRS_Editor", "date_source": "label",
                  "year_source": "title", "agency_source": "title", "repaired_pinyin": 0, "from_mirror": 0}
        statistics = None
        if year >= 2019:
            # parse_statistics as the crawl runs it (≈ 200 cells, 40 checks, 7 sections)
            statistics = parse_statistics([], body, year).rows()
        archive.save_capture_and_report(capture, html.encode("utf-8"), report, statistics=statistics)
        if n % 20 == 0:
            archive.record_capture({"crawl_id": crawl, "site_id": site_id, "kind": "list", "status": 200,
                                    "url": f"http://site{site_id}.gov.cn/xxgk/ndbg/index_{n}.html",
                                    "entries": 20}, f"<html>list {n}</html>".encode())
        if n % 25 == 0:
            archive.record_capture({"crawl_id": crawl, "site_id": site_id, "kind": "article",
                                    "status": rng.choice((404, 500, None)),
                                    "url": f"http://site{site_id}.gov.cn/art/{n}.html",
                                    "error": rng.choice(("HTTP 404", "HTTP 500", "TimeoutError", "DNSLookupError"))})
        if n % BATCH == BATCH - 1:
            archive.commit_batch()
            archive.begin_batch()
    archive.commit_batch()
    archive.finish_crawl(crawl, {"reports_new": n_reports})
    archive.db.conn.commit()
    archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    archive.close()
    return {"build_s": time.perf_counter() - start}


def pages(name: str, report_id: int) -> list[tuple[str, str]]:
    """(label, path) of every page measured."""
    db = f"/{name}"
    out = [
        ("reports table page", f"{db}/reports"),
        ("reports facet report_year+agency", f"{db}/reports?_facet=report_year&_facet=agency"),
        ("reports filtered report_year=2020", f"{db}/reports?report_year=2020"),
        ("search box 4-char 信息公开", f"{db}/reports?_search={quote('信息公开')}"),
        (f"search box 4-char rare {RARE}", f"{db}/reports?_search={quote(RARE)}"),
        ("canned search 4-char 信息公开", f"{db}/search?q={quote('信息公开')}"),
        (f"canned search 4-char rare {RARE}", f"{db}/search?q={quote(RARE)}"),
        ("canned search 2-char 公开", f"{db}/search?q={quote('公开')}"),
        ("canned search 2-char rare 梅岭", f"{db}/search?q={quote('梅岭')}"),
    ]
    for query in metadata_template()["databases"]["archive"]["queries"]:
        if query != "search":
            out.append((f"canned {query}", f"{db}/{query}"))
    out += [
        ("report row page", f"{db}/reports/{report_id}"),
        ("captures table page", f"{db}/captures"),
        ("report_cells table page", f"{db}/report_cells"),
        ("report_checks table page", f"{db}/report_checks"),
        ("report_cells of one report", f"{db}/report_cells?report_id={report_id}"),
        ("charts page", f"{db}/-/charts"),
    ]
    return out


async def _time_pages(ds, targets: list[tuple[str, str]], repeat: int) -> list[dict]:
    await ds.invoke_startup()
    facets = {name: table.get("facets", []) for name, table in
              metadata_template()["databases"]["archive"]["tables"].items()}
    results = []
    for label, path in targets:
        best, status, note = float("inf"), None, ""
        for _ in range(repeat):
            t = time.perf_counter()
            response = await ds.client.get(path)
            best = min(best, time.perf_counter() - t)
            status = response.status_code
        if "table page" in label or "_facet" in path:
            # Datasette drops a facet that ran past facet_time_limit_ms from facet_results
            table = path.split("/")[2].split("?")[0]
            query = path.split("?", 1)[1] if "?" in path else ""
            data = (await ds.client.get(f"/{path.split('/')[1]}/{table}.json?{query}")).json()
            wanted = set(facets.get(table, [])) | set(parse_qs(query).get("_facet", []))
            if wanted - set(data.get("facet_results", {})):
                note = f"facets timed out: {sorted(wanted - set(data.get('facet_results', {})))}"
        if "took too long" in response.text:
            note = "SQL time limit hit"
        results.append({"page": label, "path": path, "status": status, "ms": round(best * 1000, 1), "note": note})
    return results


def time_pages(path: Path, repeat: int) -> list[dict]:
    archive = Archive(path)  # migrate, as `gongkai serve` requires
    report_id = archive.db.execute("select max(id) from reports where report_year >= 2019").fetchone()[0]
    archive.close()
    ds = make_datasette(path)
    return asyncio.run(_time_pages(ds, pages(path.stem, report_id), repeat))


def time_cli(path: Path, work: Path) -> list[dict]:
    results = []
    commands = [(f"export --format {fmt}", ["export", "--db", str(path), "--format", fmt,
                                            "--out", str(work / f"all.{fmt}")]) for fmt in ("jsonl", "csv", "parquet")]
    commands.append(("stats", ["stats", "--db", str(path)]))
    for label, args in commands:
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=REPO, capture_output=True, text=True)
        elapsed = time.perf_counter() - t
        if done.returncode != 0:
            raise SystemExit(f"gongkai {label} failed:\n{done.stderr[-2000:]}")
        results.append({"command": f"gongkai {label}", "s": round(elapsed, 2)})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=50_000, help="reports to build (default 50,000)")
    parser.add_argument("--db", type=Path, help="reuse (or build, if missing) the archive at this path")
    parser.add_argument("--keep", action="store_true", help="keep the temporary archive and exports")
    parser.add_argument("--repeat", type=int, default=3, help="fetches per page (best shown)")
    parser.add_argument("--no-cli", action="store_true", help="skip export and stats")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="gongkai-scale-"))
    path = args.db or work / "scale.db"
    figures: dict = {"reports": args.reports}
    if not path.exists():
        print(f"building {args.reports:,} reports into {path} …", flush=True)
        figures.update(build(path, args.reports))
        print(f"build: {figures['build_s']:.1f} s ({args.reports / figures['build_s']:.0f} reports/s)")
    archive = Archive(path)
    reports, cells, captures = archive.db.execute(
        "select (select count(*) from reports), (select count(*) from report_cells), "
        "(select count(*) from captures)").fetchone()
    archive.close()
    if "build_s" not in figures:
        figures["reports"] = reports
        print(f"reusing {path} ({reports:,} reports)")
    figures["db_mb"] = round(path.stat().st_size / 1e6, 1)
    counts = (cells, captures)
    print(f"database: {figures['db_mb']:,} MB; report_cells {counts[0]:,}; captures {counts[1]:,}")

    figures["pages"] = time_pages(path, args.repeat)
    print(f"\n{'ms':>9}  status  page  (best of {args.repeat}, in-process Datasette of `gongkai serve`)")
    for row in figures["pages"]:
        print(f"{row['ms']:>9.1f}  {row['status']:>6}  {row['page']}  {row['path']}  {row['note']}")
    if not args.no_cli:
        figures["cli"] = time_cli(path, work)
        print()
        for row in figures["cli"]:
            print(f"{row['s']:>8.2f} s  {row['command']} (all rows)")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    if not args.keep:  # the exports, and the archive unless it is --db's
        shutil.rmtree(work)
        print(f"\n(removed {work}; --keep keeps it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
