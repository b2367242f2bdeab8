"""Read the text of an OFD file (GB/T 33190, China's fixed-layout format: a ZIP of XML), best effort (pure core).

``OFD.xml`` names the document (``DocBody/DocRoot``); its ``Document.xml`` lists the pages in
order; each page's ``Content.xml`` holds ``TextObject``/``TextCode`` elements with positions in
millimetres. Text codes are grouped into lines by baseline and passed to
:mod:`pipelines.layout` like PDF lines. Template pages (running headers/footers) are skipped,
and ruled tables are not rebuilt: a wide gap inside a line becomes a tab. Called by
:func:`pipelines.attachments.read_attachment`.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from pipelines.layout import Grid, Line, Page, assemble_pages

OFD_NS = "http://www.ofdspec.org/2016"
_NS = {"ofd": OFD_NS}
# A gap wider than this many character sizes inside one baseline separates table cells.
CELL_GAP = 2.0
# Untrusted XML from the web: no entity expansion, no network.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class OfdError(Exception):
    """Not an OFD package, or one whose document or pages cannot be found."""


@dataclass
class OfdText:
    text: str
    tables: list[Grid]
    page_count: int
    title: str | None = None


@dataclass
class _Run:
    x0: float
    x1: float
    y: float  # baseline
    size: float
    text: str


def _floats(value: str | None) -> list[float]:
    """Numbers of an OFD attribute; ``g N d`` in DeltaX means N times d."""
    out: list[float] = []
    tokens = (value or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _xml(package: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        return etree.fromstring(package.read(name), _PARSER)
    except KeyError as e:
        raise OfdError(f"OFD part missing: {name}") from e
    except etree.XMLSyntaxError as e:
        raise OfdError(f"OFD part is not XML: {name}: {e}") from e


def _resolve(base_dir: str, loc: str, names: set[str]) -> str:
    loc = loc.strip()
    candidates = [loc.lstrip("/")] if loc.startswith("/") else [
        posixpath.normpath(posixpath.join(base_dir, loc)), loc]
    for candidate in candidates:
        if candidate in names:
            return candidate
    return candidates[0]


def _runs(page: etree._Element) -> list[_Run]:
    runs = []
    for obj in page.iterfind(".//ofd:Content//ofd:TextObject", _NS):
        box = _floats(obj.get("Boundary")) or [0.0, 0.0, 0.0, 0.0]
        size = float(obj.get("Size") or 3.5)
        for code in obj.iterfind("ofd:TextCode", _NS):
            text = code.text or ""
            if not text.strip():
                continue
            x = box[0] + float(code.get("X") or 0)
            y = box[1] + float(code.get("Y") or 0)
            deltas = _floats(code.get("DeltaX"))
            width = sum(deltas[: len(text) - 1]) + size if deltas else size * len(text)
            runs.append(_Run(x, x + width, y, size, text))
    return runs


def _lines(runs: list[_Run]) -> list[Line]:
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x0)):
        if lines and abs(lines[-1][0].y - run.y) <= 0.4 * run.size:
            lines[-1].append(run)
        else:
            lines.append([run])
    out = []
    for group in lines:
        group.sort(key=lambda r: r.x0)
        text = group[0].text
        for prev, run in zip(group, group[1:]):
            gap = run.x0 - prev.x1
            text += ("\t" if gap > CELL_GAP * run.size else "") + run.text
        size = max(r.size for r in group)
        out.append(Line(group[0].x0, max(r.x1 for r in group), group[0].y - size, group[0].y,
                        text, size))
    return out


def read_ofd(data: bytes) -> OfdText:
    """Text of an OFD package in page order.

    :raises OfdError: when ``OFD.xml``, the document or its page list cannot be read.
    """
    import io

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise OfdError(f"damaged ZIP: {e}") from e
    with package:
        names = set(package.namelist())
        root = _xml(package, "OFD.xml")
        doc_root = root.findtext(".//ofd:DocBody/ofd:DocRoot", namespaces=_NS)
        if not doc_root:
            raise OfdError("OFD.xml names no DocRoot")
        title = (root.findtext(".//ofd:DocBody/ofd:DocInfo/ofd:Title", namespaces=_NS) or "").strip()
        doc_path = _resolve("", doc_root, names)
        document = _xml(package, doc_path)
        doc_dir = posixpath.dirname(doc_path)
        pages: list[Page] = []
        for entry in document.iterfind(".//ofd:Pages/ofd:Page", _NS):
            loc = entry.get("BaseLoc")
            if not loc:
                continue
            page = _xml(package, _resolve(doc_dir, loc, names))
            pages.append(Page(list(_lines(_runs(page)))))
    if not pages:
        raise OfdError("the OFD document lists no pages")
    assembled = assemble_pages(pages)
    return OfdText(assembled.text, _tab_tables(assembled.text), len(pages), title or None)


def _tab_tables(text: str) -> list[Grid]:
    """Runs of consecutive tab-separated lines as grids (padded to the widest row)."""
    tables: list[Grid] = []
    current: Grid = []
    for line in [*text.split("\n"), ""]:
        if "\t" in line:
            current.append(line.split("\t"))
            continue
        if len(current) >= 2:
            width = max(len(r) for r in current)
            tables.append([r + [""] * (width - len(r)) for r in current])
        current = []
    return tables
