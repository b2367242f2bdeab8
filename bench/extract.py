"""Extraction benchmark: gongkai vs trafilatura vs readability-lxml, quality and speed in one run.

Run from the repo root (no install needed)::

    .venv/bin/python bench/extract.py [--repeat N] [--json PATH] [--strict] [--quiet]

Page sets
    realpages  tests/fixtures/realpages/cwce__original__<id>.html with hand-made gold body text
               (cwce__cleaned__<id>.txt) and gold date (cwce__date__<id>.txt, first 10 chars).
    gpl        ../shared/realpages/gne__*.html when that directory exists (GPL, never copied into
               the repo). No gold: used for leak counts, speed and a non-empty-body sanity check.
    demo       article pages of the demo sites (demo/sites.py ``demo_sites()``) when present: each
               ExpectedDoc without a failure whose path is a served resource; its ``body_text`` and
               ``publish_date`` are gold. The demo is synthetic and written alongside gongkai, so
               its figures are reported apart from the real pages as well as pooled.
    variants   article pages of demo/report_variants.py (issue 13): placeholder metadata, articles
               split into sibling blocks, bodies closed by an attachment list, a visible 发布日期
               against a later PubDate meta, on TRS (GBK), Hanweb (UTF-8) and home-made table
               (GBK) templates. Gold as for demo; the stub pages (text in the file) are left out.

Fairness
    Every page is decoded once with gongkai's ``pipelines.encoding.decode_body``; all extractors get
    the same ``str`` and decoding is outside every timing. Every extractor is given the same URL
    (a neutral ``http://bench.invalid/...`` one for saved pages, which carries no date).

Metrics
    F1          character-bigram F1 against gold, whitespace removed first (``char_f1`` below, the
                same definition as ``tests/conftest.py::char_f1``), averaged over pages with gold.
    leaks       occurrences of ``pipelines.phrases.LEAK_PHRASES`` in the extracted text (one per
                phrase occurrence per page, matched with whitespace removed), over all pages;
                "leak pages" is the number of pages with at least one.
    date acc    extracted date == gold date (``YYYY-MM-DD``) on pages that have a gold date.
                gongkai: ``Article.publish_date``; trafilatura: ``extract_metadata(html,
                default_url=url).date`` (the documented metadata call of trafilatura 2.3.1);
                readability extracts no date (n/a).
    pages/s     each extractor runs over the whole page set ``--repeat`` times (default 5) after
                one untimed warm-up pass; the median of the per-pass throughputs is reported.
                What is timed: gongkai ``extract_article`` (text and all metadata, dates included);
                trafilatura ``extract`` (text only) — the row the speed target is measured
                against, the strictest baseline — and, as a second row, ``extract`` plus
                ``extract_metadata`` (text + date, the like-for-like comparison); readability
                ``Document(html).summary()`` plus the HTML-to-text conversion.

Targets (printed PASS/FAIL; the exit code is non-zero only with ``--strict``)
    gongkai F1 >= best peer F1 (all gold pages), zero gongkai leaks, gongkai pages/s >= 3x
    trafilatura (text only) pages/s.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from pipelines.encoding import decode_body  # noqa: E402
from pipelines.extract import extract_article  # noqa: E402
from pipelines.phrases import LEAK_PHRASES  # noqa: E402

REALPAGES = REPO_ROOT / "tests" / "fixtures" / "realpages"
SHARED_REALPAGES = REPO_ROOT.parent / "shared" / "realpages"
BENCH_BASE = "http://bench.invalid"

TARGET_SPEED_RATIO = 3.0
_WS = re.compile(r"\s+")


# --- metric ----------------------------------------------------------------------------------


def char_f1(got: str, gold: str) -> float:
    """F1 of character bigrams, whitespace ignored (same as ``tests/conftest.py::char_f1``).

    >>> char_f1("政府 信息公开", "政府信息公开")
    1.0
    >>> char_f1("", "政府")
    0.0
    """
    a, b = _WS.sub("", got), _WS.sub("", gold)
    ca = Counter(a[i : i + 2] for i in range(len(a) - 1))
    cb = Counter(b[i : i + 2] for i in range(len(b) - 1))
    tp = sum((ca & cb).values())
    if not tp:
        return 0.0
    p, r = tp / sum(ca.values()), tp / sum(cb.values())
    return 2 * p * r / (p + r)


_LEAK_KEYS = tuple(dict.fromkeys(_WS.sub("", p) for p in LEAK_PHRASES))


def leaks(text: str) -> dict[str, int]:
    """Occurrences of each leak phrase in ``text`` (whitespace removed), only the non-zero ones.

    >>> leaks("正文\\n打印本页 关闭 窗口")
    {'打印本页': 1, '关闭窗口': 1}
    """
    flat = _WS.sub("", text)
    found = {p: flat.count(p) for p in _LEAK_KEYS}
    return {p: n for p, n in found.items() if n}


def leak_lines(text: str) -> list[str]:
    """The lines of ``text`` that contain a leak phrase (for the problem report)."""
    return [line.strip() for line in text.splitlines() if leaks(line)]


# --- pages -----------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    group: str  # "realpages" | "gpl" | "demo"
    url: str
    html: str
    gold_text: str | None = None
    gold_date: str | None = None
    encoding: str = ""
    note: str = ""


def load_realpages(notes: list[str]) -> list[Page]:
    pages = []
    for path in sorted(REALPAGES.glob("cwce__original__*.html")):
        pid = path.stem.split("__")[-1]
        html, decision = decode_body(path.read_bytes(), None)
        gold_text = (REALPAGES / f"cwce__cleaned__{pid}.txt").read_text(encoding="utf-8")
        date_file = REALPAGES / f"cwce__date__{pid}.txt"
        gold_date = date_file.read_text(encoding="utf-8").strip()[:10] if date_file.exists() else None
        note = "gold date is 成文日期; the page's 发布日期/PubDate is 2022-01-28" if pid == "e8847578" else ""
        pages.append(Page(f"cwce/{pid}", "realpages", f"{BENCH_BASE}/realpages/{pid}.html", html,
                          gold_text, gold_date, decision.chosen, note))
    if not pages:
        notes.append(f"no realpages found under {REALPAGES}")
    return pages


def load_gpl_pages(notes: list[str]) -> list[Page]:
    if not SHARED_REALPAGES.is_dir():
        notes.append(f"{SHARED_REALPAGES} absent: GPL gne__* pages skipped")
        return []
    pages = []
    for path in sorted(SHARED_REALPAGES.glob("gne__*.html")):
        name = path.stem.removeprefix("gne__")
        html, decision = decode_body(path.read_bytes(), None)
        pages.append(Page(f"gne/{name}", "gpl", f"{BENCH_BASE}/gne/{name}.html", html,
                          encoding=decision.chosen))
    if not pages:
        notes.append(f"{SHARED_REALPAGES} has no gne__*.html pages")
    return pages


def load_demo_pages(notes: list[str]) -> list[Page]:
    """Article pages of the demo sites with their expected text and date, if demo/sites.py is there."""
    if not (REPO_ROOT / "demo" / "sites.py").exists():
        notes.append("demo/sites.py absent: demo pages skipped")
        return []
    try:
        from demo.sites import demo_sites  # type: ignore[import-not-found]

        sites = list(demo_sites())
    except Exception as exc:  # the demo is being written in parallel; never let it break the bench
        notes.append(f"demo pages skipped: demo.sites.demo_sites() failed: {type(exc).__name__}: {exc}")
        return []
    pages: list[Page] = []
    skipped = 0
    for site in sites:
        try:
            site_name = str(getattr(site, "name", "site"))
            resources = site.resources
            for doc in site.expected:
                if getattr(doc, "failure", None) is not None:
                    continue
                if getattr(doc, "source_format", "html") != "html":
                    continue  # a stub page: its expected text is its attachment's, no HTML extractor's job
                resource = resources.get(doc.path)
                if resource is None or getattr(resource, "status", 200) != 200:
                    skipped += 1
                    continue
                body = bytes(resource.body)
                body = body.replace(b"{BASE}", b"http://127.0.0.1:8000")
                body = body.replace(b"{OTHER_HOST_BASE}", b"http://127.0.0.2:8000")
                html, decision = decode_body(body, resource.content_type)
                gold_date = (doc.publish_date or "")[:10] or None
                pages.append(Page(f"demo/{site_name}{doc.path}", "demo", f"http://127.0.0.1:8000{doc.path}", html,
                                  doc.body_text, gold_date, decision.chosen,
                                  "mirror" if getattr(doc, "mirror", False) else ""))
        except AttributeError as exc:
            notes.append(f"demo site API differs from what the bench expects ({exc}); demo pages skipped")
            return []
    if skipped:
        notes.append(f"demo: {skipped} expected docs without a served 200 resource at their path were skipped")
    if not pages:
        notes.append("demo sites yielded no article pages")
    return pages


def load_variant_pages(notes: list[str]) -> list[Page]:
    """Article pages of demo/report_variants.py with their expected text and shown date."""
    try:
        from demo.report_variants import report_variant_sites
    except ImportError as exc:
        notes.append(f"variant pages skipped: {exc}")
        return []
    pages: list[Page] = []
    for site in report_variant_sites():
        for doc in site.expected:
            if doc.source_format != "html":
                continue  # a page pointing to its file: its text is the file's
            res = site.resources[doc.path]
            html, decision = decode_body(bytes(res.body), res.content_type)
            pages.append(Page(f"variants/{site.name}{doc.path}", "variants", f"http://127.0.0.1:8000{doc.path}",
                              html, doc.body_text, doc.publish_date, decision.chosen))
    return pages


# --- extractors ------------------------------------------------------------------------------


@dataclass
class Output:
    text: str
    date: str | None
    error: str | None = None


@dataclass
class Extractor:
    name: str
    run: Callable[[Page], Output]
    has_date: bool
    timed: str
    quality: bool = True  # False: a speed-only variant (same text as another row)
    outputs: dict[str, Output] = field(default_factory=dict)
    rates: list[float] = field(default_factory=list)


def run_gongkai(page: Page) -> Output:
    article = extract_article(page.html, page.url)
    return Output(article.body_text, article.publish_date)


def _trafilatura_text(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html, url=page.url, include_tables=True, include_comments=False,
                               with_metadata=False) or ""


def _trafilatura_date(page: Page) -> str | None:
    import trafilatura

    meta = trafilatura.extract_metadata(page.html, default_url=page.url)
    date = getattr(meta, "date", None) if meta is not None else None
    return date[:10] if date else None


def run_trafilatura_text(page: Page) -> Output:
    return Output(_trafilatura_text(page), None)


def run_trafilatura(page: Page) -> Output:
    return Output(_trafilatura_text(page), _trafilatura_date(page))


_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section",
               "article", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "caption", "center", "hr")


def run_readability(page: Page) -> Output:
    import lxml.html
    from readability import Document

    summary = Document(page.html).summary()
    tree = lxml.html.fromstring(summary) if summary.strip() else None
    if tree is None:
        return Output("", None)
    for el in tree.iter("td", "th"):
        el.tail = "\t" + (el.tail or "")
    for el in tree.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    lines = (_WS.sub(" ", line).strip() for line in tree.text_content().split("\n"))
    return Output("\n".join(line for line in lines if line), None)


def safe(run: Callable[[Page], Output]) -> Callable[[Page], Output]:
    def wrapped(page: Page) -> Output:
        try:
            return run(page)
        except Exception as exc:  # an extractor crashing on a page is a result, not a bench failure
            return Output("", None, f"{type(exc).__name__}: {exc}")

    return wrapped


def make_extractors() -> list[Extractor]:
    return [
        Extractor("gongkai", safe(run_gongkai), True, "extract_article(html, url): text + all metadata"),
        Extractor("trafilatura", safe(run_trafilatura_text), False,
                  "extract(html, include_tables=True, include_comments=False, with_metadata=False)"),
        Extractor("trafilatura+date", safe(run_trafilatura), True,
                  "extract(...) + extract_metadata(html, default_url=url).date"),
        Extractor("readability", safe(run_readability), False, "Document(html).summary() + lxml text_content()"),
    ]


# --- run -------------------------------------------------------------------------------------


def measure(extractors: list[Extractor], pages: list[Page], repeat: int) -> None:
    for ex in extractors:  # untimed pass: outputs for quality, and warm-up (imports, caches)
        ex.outputs = {p.name: ex.run(p) for p in pages}
    for _ in range(repeat):
        for ex in extractors:  # interleaved so drift in machine load hits every extractor alike
            run = ex.run
            start = time.perf_counter()
            for page in pages:
                run(page)
            ex.rates.append(len(pages) / (time.perf_counter() - start))


def mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def summarize(ex: Extractor, pages: list[Page]) -> dict[str, Any]:
    gold = [p for p in pages if p.gold_text is not None]
    f1 = {p.name: char_f1(ex.outputs[p.name].text, p.gold_text or "") for p in gold}
    by_group = {g: mean([f1[p.name] for p in gold if p.group == g]) for g in ("realpages", "demo", "variants")}
    leak_counts = {p.name: leaks(ex.outputs[p.name].text) for p in pages}
    dated = [p for p in pages if p.gold_date]
    dates_ok = {p.name: ex.outputs[p.name].date == p.gold_date for p in dated} if ex.has_date else {}
    return {
        "timed": ex.timed,
        "f1_mean_all": mean(list(f1.values())),
        "f1_mean_realpages": by_group["realpages"],
        "f1_mean_demo": by_group["demo"],
        "f1_mean_variants": by_group["variants"],
        "f1_per_page": f1,
        "leaks_total": sum(sum(c.values()) for c in leak_counts.values()),
        "leak_pages": sum(1 for c in leak_counts.values() if c),
        "leaks_per_page": {k: v for k, v in leak_counts.items() if v},
        "date_correct": sum(dates_ok.values()) if ex.has_date else None,
        "date_total": len(dated) if ex.has_date else None,
        "date_acc": (sum(dates_ok.values()) / len(dated)) if ex.has_date and dated else None,
        "dates": {p.name: ex.outputs[p.name].date for p in dated} if ex.has_date else {},
        "empty_pages": [p.name for p in pages if not ex.outputs[p.name].text.strip()],
        "errors": {k: o.error for k, o in ex.outputs.items() if o.error},
        "pages_per_s_median": statistics.median(ex.rates) if ex.rates else None,
        "pages_per_s_runs": ex.rates,
    }


def fmt(value: float | None, spec: str = ".3f") -> str:
    return "n/a" if value is None else format(value, spec)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths)), "-+-".join("-" * w for w in widths)]
    out += [" | ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the page set (default 5)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--quiet", action="store_true", help="omit per-page tables and the problem list")
    args = parser.parse_args(argv)
    missing = [name for name in ("trafilatura", "readability") if importlib.util.find_spec(name) is None]
    if missing:  # a peer that cannot import would "score" 0 and run at import-error speed
        parser.exit(2, f"peers not installed: {', '.join(missing)}; run "
                       "`.venv/bin/python -m pip install -r requirements-bench.txt` (make bench does)\n")
    logging.disable(logging.CRITICAL)  # trafilatura / readability log per page
    warnings.filterwarnings("ignore")

    notes: list[str] = []
    t0 = time.perf_counter()
    pages = load_realpages(notes) + load_gpl_pages(notes) + load_demo_pages(notes) + load_variant_pages(notes)
    extractors = make_extractors()
    measure(extractors, pages, max(1, args.repeat))
    results = {ex.name: summarize(ex, pages) for ex in extractors}
    quality = [ex for ex in extractors if ex.name != "trafilatura+date"]

    groups = Counter(p.group for p in pages)
    n_gold = sum(1 for p in pages if p.gold_text is not None)
    print("gongkai extraction benchmark")
    print(f"pages: {len(pages)} ({', '.join(f'{g} {n}' for g, n in groups.items())}); "
          f"with gold text: {n_gold}; with gold date: {sum(1 for p in pages if p.gold_date)}; "
          f"timed passes: {max(1, args.repeat)} (median reported)")
    for note in notes:
        print(f"note: {note}")

    if not args.quiet:
        gold_pages = [p for p in pages if p.gold_text is not None]
        print("\nPer-page F1 (character bigrams, whitespace removed) — pages with gold text")
        rows = [[p.name, str(len(_WS.sub("", p.gold_text or "")))]
                + [f"{results[ex.name]['f1_per_page'][p.name]:.3f}" for ex in quality] for p in gold_pages]
        print(table(rows, ["page", "gold chars"] + [ex.name for ex in quality]))

        dated = [p for p in pages if p.gold_date]
        print("\nDates (gold vs extracted; readability extracts no date)")
        rows = [[p.name, p.gold_date or ""] + [
            f"{results[n]['dates'][p.name] or '-'} {'ok' if results[n]['dates'][p.name] == p.gold_date else 'WRONG'}"
            for n in ("gongkai", "trafilatura+date")] + [p.note] for p in dated]
        print(table(rows, ["page", "gold", "gongkai", "trafilatura", "note"]))

        gpl = [p for p in pages if p.group == "gpl"]
        if gpl:
            print("\nGPL pages (no gold): extracted chars (whitespace removed) / leak occurrences")
            rows = [[p.name] + [f"{len(_WS.sub('', ex.outputs[p.name].text))} / "
                                f"{sum(leaks(ex.outputs[p.name].text).values())}" for ex in quality] for p in gpl]
            print(table(rows, ["page"] + [ex.name for ex in quality]))

    traf_rate = results["trafilatura"]["pages_per_s_median"]
    print("\nSummary (leaks and pages/s over all pages; F1 over pages with gold text)")
    rows = []
    for ex in extractors:
        r = results[ex.name]
        is_speed_only = ex.name == "trafilatura+date"
        rows.append([
            ex.name,
            "(= trafilatura)" if is_speed_only else fmt(r["f1_mean_all"]),
            "" if is_speed_only else fmt(r["f1_mean_realpages"]),
            "" if is_speed_only else fmt(r["f1_mean_demo"]),
            "" if is_speed_only else fmt(r["f1_mean_variants"]),
            "" if is_speed_only else f"{r['leaks_total']} on {r['leak_pages']} pages",
            f"{r['date_correct']}/{r['date_total']}" if r["date_acc"] is not None else "n/a",
            fmt(r["pages_per_s_median"], ".1f"),
            fmt(r["pages_per_s_median"] / traf_rate if traf_rate and r["pages_per_s_median"] else None, ".2f") + "x",
        ])
    print(table(rows, ["extractor", "mean F1 (gold)", "F1 real", "F1 demo", "F1 variants", "leaks", "date acc",
                       "pages/s", "vs trafilatura pages/s"]))
    print("\nTimed per page:")
    for ex in extractors:
        print(f"  {ex.name}: {ex.timed}")

    g = results["gongkai"]
    peers = [results[n] for n in ("trafilatura", "readability")]
    best_peer = max((r["f1_mean_all"] or 0.0) for r in peers)
    best_peer_name = max(("trafilatura", "readability"), key=lambda n: results[n]["f1_mean_all"] or 0.0)
    f1_delta = (g["f1_mean_all"] or 0.0) - best_peer
    speed_ratio = (g["pages_per_s_median"] or 0.0) / traf_rate if traf_rate else 0.0
    like_rate = results["trafilatura+date"]["pages_per_s_median"]
    like_ratio = (g["pages_per_s_median"] or 0.0) / like_rate if like_rate else 0.0
    checks = {
        "f1": f1_delta >= 0,
        "leaks": g["leaks_total"] == 0,
        "speed": speed_ratio >= TARGET_SPEED_RATIO,
    }
    verdict = {k: "PASS" if v else "FAIL" for k, v in checks.items()}
    print()
    print(f"gongkai F1 − best peer F1 ({best_peer_name}): {f1_delta:+.3f}   target >= 0: {verdict['f1']}")
    print(f"gongkai leaks: {g['leaks_total']}   target 0: {verdict['leaks']}")
    print(f"gongkai pages/s ÷ trafilatura pages/s: {speed_ratio:.2f}x   target >= {TARGET_SPEED_RATIO:g}x: "
          f"{verdict['speed']}   (vs trafilatura text+date: {like_ratio:.2f}x)")

    errors = {n: r["errors"] for n, r in results.items() if r["errors"]}
    if not args.quiet:
        print("\nProblems seen")
        any_problem = False
        for ex in quality:
            r = results[ex.name]
            for name, err in r["errors"].items():
                any_problem = True
                print(f"  {ex.name} crashed on {name}: {err}")
            for name in r["empty_pages"]:
                if name not in r["errors"]:
                    any_problem = True
                    print(f"  {ex.name} returned an empty body on {name}")
            for name, counts in r["leaks_per_page"].items():
                any_problem = True
                lines = leak_lines(ex.outputs[name].text)
                print(f"  {ex.name} leaked {dict(counts)} on {name}:")
                for line in lines[:6]:
                    print(f"      {line[:110]}")
        if not any_problem:
            print("  none")
    print(f"\nwall time: {time.perf_counter() - t0:.1f} s")

    if args.json:
        payload = {
            "pages": [{"name": p.name, "group": p.group, "encoding": p.encoding, "gold_date": p.gold_date,
                       "gold_chars": len(_WS.sub("", p.gold_text)) if p.gold_text is not None else None,
                       "note": p.note} for p in pages],
            "notes": notes,
            "repeat": max(1, args.repeat),
            "extractors": results,
            "gongkai_f1_minus_best_peer": f1_delta,
            "best_peer": best_peer_name,
            "gongkai_speed_ratio_vs_trafilatura": speed_ratio,
            "gongkai_speed_ratio_vs_trafilatura_with_date": like_ratio,
            "targets": verdict,
            "errors": errors,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"figures written to {args.json}")

    return 1 if args.strict and not all(checks.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
