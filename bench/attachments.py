"""Attachment reading benchmark: character F1 against the source text, statistics cells, and time per file, per format.

Builds report files in code (the builders of demo/files.py: reportlab PDFs with running
headers and split tables, python-docx DOCX, LibreOffice DOC and Kingsoft-marked WPS, OFD
packages with ruled tables, XLSX/XLS workbooks of the statistics tables, scanned PDFs drawn
with a CJK font) from synthetic template reports, reads each with
``pipelines.attachments.read_attachment``, parses the statistics of what was read with
``pipelines.stats.parse_statistics`` (no report year given, as for a stub page's file) and
prints one line per format:

    .venv/bin/python bench/attachments.py            # 5 reports per format
    .venv/bin/python bench/attachments.py --reports 10 --json /tmp/attachments.json

Formats whose tool is missing (soffice, tesseract + chi_sim, a CJK font) are skipped and said so.
Building the files is not timed; reading is (wall time of ``read_attachment``, one file at a time).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo import files as fb  # noqa: E402
from demo.texts import ReportText, template_report  # noqa: E402
from pipelines import ocr  # noqa: E402
from pipelines.attachments import read_attachment  # noqa: E402
from pipelines.stats import parse_statistics  # noqa: E402
from tests.conftest import char_f1  # noqa: E402
from tests.test_stats import cells_of, truth  # noqa: E402

AGENCIES = ("江州市人民政府", "江州市教育局", "江州市水利局", "江州市司法局", "江州市商务局",
            "江州市统计局", "江州市民政局", "江州市财政局", "江州市交通运输局", "江州市卫生健康委员会")
YEARS = (2021, 2019, 2015, 2023, 2020, 2012, 2022, 2018, 2017, 2024)


def reports(n: int) -> list[ReportText]:
    return [template_report(AGENCIES[i % len(AGENCIES)], YEARS[i % len(YEARS)], seed=100 + i, site="江州市")
            for i in range(n)]


def _scan(rt: ReportText) -> tuple[bytes, str]:
    paras = [b.text for b in rt.blocks if b.kind != "table"][:8]  # one page's worth
    return fb.scanned_pdf([fb.page_image(paras, footer="- 1 -")]), "\n".join(paras)


def _doc(rt: ReportText) -> bytes:
    return fb.soffice_convert(fb.report_docx(rt), ".docx", "doc")


def _tables_text(rt: ReportText) -> str:
    return "\n".join(line for t in rt.tables() for line in t.lines())


FORMATS: dict[str, tuple[Callable[[ReportText], tuple[bytes, str] | None], str | None]] = {
    # name: (builder returning (bytes, gold text), or None for a report it does not fit; the tool it needs)
    "pdf": (lambda rt: (fb.report_pdf(rt, header=rt.agency), rt.body_text()), None),
    "pdf owner-locked (pdfium)": (lambda rt: (fb.report_pdf(rt, encrypt_password=""), rt.body_text()), None),
    "docx": (lambda rt: (fb.report_docx(rt, header=rt.agency), rt.body_text()), None),
    "doc (soffice)": (lambda rt: (_doc(rt), rt.body_text()), "soffice"),
    "wps (soffice)": (lambda rt: (fb.add_ole_stream_entry(_doc(rt), "WpsCustomData"), rt.body_text()), "soffice"),
    "ofd (ruled tables)": (lambda rt: (fb.report_ofd(rt.blocks, title=rt.title, header=rt.agency),
                                       rt.body_text()), None),
    "ofd (tables without rules)": (lambda rt: (fb.report_ofd(rt.blocks, title=rt.title, header=rt.agency,
                                                             ruled=False), rt.body_text()), None),
    # workbooks only of the reports that have tables (2019 on)
    "xlsx (statistics tables)": (lambda rt: (fb.report_xlsx(rt), _tables_text(rt)) if rt.tables() else None, None),
    "xls (statistics tables)": (lambda rt: (fb.report_xls(rt), _tables_text(rt)) if rt.tables() else None, None),
    "scanned pdf (ocr, 1 page)": (_scan, "ocr"),
}


# Formats whose built file leaves the report's tables out (one page of paragraphs).
NO_TABLES = frozenset({"scanned pdf (ocr, 1 page)"})


def available(tool: str | None) -> bool:
    if tool == "soffice":
        return shutil.which("soffice") is not None
    if tool == "ocr":
        return ocr.available("chi_sim") and fb.cjk_font_path() is not None
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=5, help="reports per format")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    rts = reports(args.reports)
    results = {}
    print(f"{'format':28} {'files':>5} {'F1 mean':>8} {'F1 min':>7} {'cells R':>8} {'cells P':>8} "
          f"{'ms/file':>8} {'files/s':>8}  method")
    for name, (build, tool) in FORMATS.items():
        if not available(tool):
            print(f"{name:28} skipped: {tool} not installed")
            continue
        files = [(rt, *built) for rt in rts if (built := build(rt)) is not None]
        f1s, seconds, methods = [], [], set()
        correct = claimed = expected = 0
        for rt, data, gold in files:
            started = time.perf_counter()
            result = read_attachment(data, name)
            seconds.append(time.perf_counter() - started)
            f1s.append(char_f1(result.text, gold))
            methods.add(result.method or f"error: {result.error}")
            # Statistics cells of the template reports (2019 on; legacy years have none), read
            # with no year given: a stub page's file reaches the parser that way.
            gold_cells = truth(rt) if rt.family in ("t2019", "t2021") and name not in NO_TABLES else {}
            if gold_cells:
                got = cells_of(parse_statistics(result.tables, result.text, None, source=result.type))
                correct += sum(1 for k, v in got.items() if gold_cells.get(k, object()) == v)
                claimed, expected = claimed + len(got), expected + len(gold_cells)
        ms = 1000 * statistics.mean(seconds)
        recall = correct / expected if expected else None
        precision = correct / claimed if claimed else None
        results[name] = {"files": len(files), "f1_mean": statistics.mean(f1s), "f1_min": min(f1s),
                         "cells": {"correct": correct, "claimed": claimed, "expected": expected,
                                   "recall": recall, "precision": precision},
                         "ms_per_file": ms, "methods": sorted(methods)}
        shown = [f"{v:8.4f}" if v is not None else f"{'-':>8}" for v in (recall, precision)]
        print(f"{name:28} {len(files):5d} {statistics.mean(f1s):8.4f} {min(f1s):7.4f} {shown[0]} {shown[1]} "
              f"{ms:8.1f} {1000 / ms:8.2f}  {', '.join(sorted(methods))}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
