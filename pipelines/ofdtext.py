"""Read the text of an OFD file (GB/T 33190, China's fixed-layout format: a ZIP of XML), best effort (pure core).

``OFD.xml`` names the document (``DocBody/DocRoot``); its ``Document.xml`` lists the pages in
order; each page's ``Content.xml`` holds ``TextObject``/``TextCode`` elements with positions in
millimetres. Text codes are grouped into lines by baseline and passed to
:mod:`pipelines.layout` like PDF lines. Template pages (running headers/footers) are skipped.

Tables are rebuilt from their ruling: the horizontal and vertical strokes of ``PathObject``
elements that touch one another make a table, a missing stroke between two grid cells makes
them one merged cell, and each character goes to the cell its position falls in, so blank
cells and cells whose text wraps keep their place (what Word/WPS "print to OFD" converters
write for the statistics tables). A table without rules is not rebuilt: a wide gap inside a
line becomes a tab, and no grid is guessed from it. Fills, clipping paths, rotated text
(``CTM`` on text) and text drawn as glyph outlines are not read. Called by
:func:`pipelines.attachments.read_attachment`.
"""

from __future__ import annotations

import bisect
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from pipelines.layout import Grid, Line, Page, TableBlock, assemble_pages, clean_cell

OFD_NS = "http://www.ofdspec.org/2016"
_NS = {"ofd": OFD_NS}
# A gap wider than this many character sizes inside one baseline separates table cells (tables
# without rules); narrow number columns of 表三 leave little more than one character between
# their digits, while the characters of a Chinese line touch.
CELL_GAP = 1.0
# Table rules (mm): strokes shorter than MIN_RULE are no rules (underlines of single
# characters, marks); ends and edges closer than RULE_TOLERANCE meet (converters draw each
# cell's own border, so shared edges repeat with rounding errors); grid columns or rows
# narrower than MIN_CELL are slivers where two rows' borders nearly line up, not cells.
MIN_RULE = 3.0
RULE_TOLERANCE = 0.6
MIN_CELL = 1.5
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
    # each character's left edge (from DeltaX); a run a converter wrote across several table
    # cells is divided among them character by character
    char_x: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class _Rule:
    """A horizontal (``y0 == y1``) or vertical (``x0 == x1``) stroke, in page millimetres."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


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
            steps = [deltas[i] if i < len(deltas) else (deltas[-1] if deltas else size)
                     for i in range(len(text) - 1)]
            char_x = [x]
            for step in steps:
                char_x.append(char_x[-1] + step)
            runs.append(_Run(x, char_x[-1] + size, y, size, text, char_x))
    return runs


def _path_rules(obj: etree._Element) -> list[_Rule]:
    """The axis-aligned strokes of one PathObject (lines and rectangle edges), in page mm."""
    box = _floats(obj.get("Boundary")) or [0.0, 0.0, 0.0, 0.0]
    ctm = _floats(obj.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]

    def point(x: float, y: float) -> tuple[float, float]:
        return box[0] + a * x + c * y + e, box[1] + b * x + d * y + f

    tokens = (obj.findtext("ofd:AbbreviatedData", namespaces=_NS) or "").split()
    # operands per command: S/M/L x y, Q 4, B 6, A 7, C none (closes the subpath)
    arity = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    here = start = None
    i = 0
    while i < len(tokens):
        op = tokens[i]
        n = arity.get(op)
        if n is None or i + n >= len(tokens):
            break
        try:
            args = [float(t) for t in tokens[i + 1 : i + 1 + n]]
        except ValueError:
            break
        i += 1 + n
        if op in ("S", "M"):
            here = start = point(*args)
        elif op == "L" and here is not None:
            end = point(*args)
            segments.append((here, end))
            here = end
        elif op == "C" and here is not None and start is not None:
            segments.append((here, start))
            here = start
        elif n:  # curves and arcs are no rules; they only move the pen
            here = point(*args[-2:])
    rules = []
    for (x0, y0), (x1, y1) in segments:
        if abs(y1 - y0) <= 0.05 and abs(x1 - x0) >= MIN_RULE:
            y = (y0 + y1) / 2
            rules.append(_Rule(min(x0, x1), y, max(x0, x1), y))
        elif abs(x1 - x0) <= 0.05 and abs(y1 - y0) >= MIN_RULE:
            x = (x0 + x1) / 2
            rules.append(_Rule(x, min(y0, y1), x, max(y0, y1)))
    return rules


def _rules(page: etree._Element) -> list[_Rule]:
    # Converters draw every cell's own border, so each inner edge comes twice: drop repeats.
    rules = {r for obj in page.iterfind(".//ofd:Content//ofd:PathObject", _NS) for r in _path_rules(obj)}
    return sorted(rules, key=lambda r: (r.y0, r.x0, r.y1, r.x1))


def _touch(h: _Rule, v: _Rule) -> bool:
    t = RULE_TOLERANCE
    return h.x0 - t <= v.x0 <= h.x1 + t and v.y0 - t <= h.y0 <= v.y1 + t


def _edges(values: list[float], gap: float) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > gap:
            out.append(value)
    return out


@dataclass
class _Lattice:
    """One ruled table: its column and row edges and the merged cell each grid cell belongs to."""

    xs: list[float]
    ys: list[float]
    origin: dict[tuple[int, int], tuple[int, int]]

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell(self, x: float, y: float) -> tuple[int, int]:
        row = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        col = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.origin[(row, col)]


def _lattice(hs: list[_Rule], vs: list[_Rule]) -> _Lattice | None:
    xs = _edges([v.x0 for v in vs], MIN_CELL)
    ys = _edges([h.y0 for h in hs], MIN_CELL)
    if len(xs) < 2 or len(ys) < 2:
        return None
    t = RULE_TOLERANCE

    def vertical_at(x: float, y: float) -> bool:
        return any(abs(v.x0 - x) <= t and v.y0 - t <= y <= v.y1 + t for v in vs)

    def horizontal_at(y: float, x: float) -> bool:
        return any(abs(h.y0 - y) <= t and h.x0 - t <= x <= h.x1 + t for h in hs)

    parent = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}

    def find(cell: tuple[int, int]) -> tuple[int, int]:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left cell names the merged cell

    for r in range(len(ys) - 1):
        mid_y = (ys[r] + ys[r + 1]) / 2
        for c in range(len(xs) - 1):
            mid_x = (xs[c] + xs[c + 1]) / 2
            if c + 2 < len(xs) and not vertical_at(xs[c + 1], mid_y):
                union((r, c), (r, c + 1))
            if r + 2 < len(ys) and not horizontal_at(ys[r + 1], mid_x):
                union((r, c), (r + 1, c))
    return _Lattice(xs, ys, {cell: find(cell) for cell in parent})


def _lattices(rules: list[_Rule]) -> list[_Lattice]:
    """Ruled tables: groups of horizontal and vertical rules that touch one another."""
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    group = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _touch(h, v):
                group[find(i)] = find(len(hs) + j)
    members: dict[int, tuple[list[_Rule], list[_Rule]]] = {}
    for i, h in enumerate(hs):
        members.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        members.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    out = []
    for h_rules, v_rules in members.values():
        if len(h_rules) >= 2 and len(v_rules) >= 2:
            lattice = _lattice(h_rules, v_rules)
            # one column is a frame (a page border, a boxed note), not a table: its text stays
            # paragraphs
            if lattice is not None and len(lattice.xs) >= 3:
                out.append(lattice)
    return out


def _cell_text(chars: list[tuple[float, float, float, str]]) -> str:
    """A cell's characters ``(baseline, x, size, char)`` as text: lines top to bottom, joined."""
    lines: list[list[tuple[float, float, float, str]]] = []
    for ch in sorted(chars):
        if lines and abs(lines[-1][0][0] - ch[0]) <= 0.4 * ch[2]:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return clean_cell("\n".join("".join(c[3] for c in sorted(line, key=lambda c: c[1])) for line in lines))


def _table_blocks(runs: list[_Run], lattices: list[_Lattice]) -> tuple[list[TableBlock], list[_Run]]:
    """The ruled tables as blocks, and the runs (or parts of runs) outside every table."""
    chars: dict[int, dict[tuple[int, int], list[tuple[float, float, float, str]]]] = {
        i: {} for i in range(len(lattices))}
    outside: list[_Run] = []
    for run in runs:
        rest: list[tuple[float, str]] = []
        for x, ch in zip(run.char_x or [run.x0], run.text):
            cx, cy = x + run.size / 2, run.y - run.size / 3  # the glyph's middle, above its baseline
            k = next((k for k, lat in enumerate(lattices) if lat.contains(cx, cy)), None)
            if k is None:
                rest.append((x, ch))
            else:
                chars[k].setdefault(lattices[k].cell(cx, cy), []).append((run.y, x, run.size, ch))
        if len(rest) == len(run.text):
            outside.append(run)
        elif rest:
            text = "".join(ch for _, ch in rest)
            outside.append(_Run(rest[0][0], rest[-1][0] + run.size, run.y, run.size, text,
                                [x for x, _ in rest]))
    blocks = []
    for k, lat in enumerate(lattices):
        grid: Grid = []
        cells: list[list[tuple[float, float, str]]] = []
        for r in range(len(lat.ys) - 1):
            row = ["" for _ in range(len(lat.xs) - 1)]
            spans: list[tuple[float, float, str]] = []
            for c in range(len(lat.xs) - 1):
                if lat.origin[(r, c)] != (r, c):
                    continue  # covered by a merged cell that starts above or to the left
                last = max(cc for (rr, cc), o in lat.origin.items() if o == (r, c) and rr == r)
                row[c] = _cell_text(chars[k].get((r, c), []))
                spans.append((lat.xs[c], lat.xs[last + 1], row[c]))
            if any(row):
                grid.append(row)
                cells.append(spans)
        if grid:
            blocks.append(TableBlock(lat.ys[0], lat.ys[-1], grid, cells))
    return blocks, outside


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
            tables, runs = _table_blocks(_runs(page), _lattices(_rules(page)))
            blocks: list[Line | TableBlock] = [*_lines(runs), *tables]
            blocks.sort(key=lambda b: b.top)
            pages.append(Page(blocks))
    if not pages:
        raise OfdError("the OFD document lists no pages")
    assembled = assemble_pages(pages)
    return OfdText(assembled.text, assembled.tables, len(pages), title or None)
