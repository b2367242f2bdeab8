"""Read Word and spreadsheet attachments: DOCX, DOC/WPS (through LibreOffice), Word XML, XLSX, XLS,
SpreadsheetML and ODS (pure core).

DOCX is read with python-docx, paragraphs and tables in document order (page headers and
footers live in other parts of the package and are left out). DOC and WPS are OLE2 binaries
that no maintained Python library reads: LibreOffice headless converts them to DOCX first,
with a private profile directory (two ``soffice`` runs sharing a profile fail silently) and a
timeout. XLSX uses openpyxl, XLS xlrd. The XML formats Office 2003 saves ("XML 文档", "XML
电子表格", often served as .doc/.xls) and ODS spreadsheets are plain XML read with lxml, so they
need no converter. Called by :func:`pipelines.attachments.read_attachment`.
"""

from __future__ import annotations

import atexit
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from pipelines.encoding import decode_body
from pipelines.layout import Grid, clean_cell, grid_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A table grid column narrower than this (twips, 1/1440 inch) or than this share of a typical
# column is a rounding artefact, not a column.
SLIVER_TWIPS = 30
SLIVER_SHARE = 0.05


class OfficeError(Exception):
    """The file cannot be read: not the format it claims, damaged, or no converter installed."""


@dataclass
class OfficeText:
    """Text (one paragraph or table row per line), table grids, and the document's own title."""

    text: str
    tables: list[Grid]
    title: str | None = None


# --- DOCX ------------------------------------------------------------------------------------


def _paragraph_text(p: Any) -> str:
    from docx.text.paragraph import Paragraph

    return " ".join(Paragraph(p, None).text.split())


def _cell_text(tc: Any) -> str:
    return clean_cell("\n".join(_paragraph_text(p) for p in tc.iter(f"{_W}p")))


def _sliver_columns(tbl: Any, ns: str = _W) -> set[int]:
    grid = tbl.find(f"{ns}tblGrid")
    widths = [int(float(c.get(f"{ns}w") or 0)) for c in grid.iterchildren(f"{ns}gridCol")] \
        if grid is not None else []
    if not widths:
        return set()
    typical = sorted(widths)[len(widths) // 2]
    return {i for i, w in enumerate(widths) if w < max(SLIVER_TWIPS, SLIVER_SHARE * typical)}


def _continues_merge(cell_props: Any, ns: str) -> bool:
    # Word 2003 XML spells the merges vmerge/hmerge, DOCX vMerge/hMerge (hMerge: a legacy
    # horizontal merge whose continuation cells are written out). No value means "continue".
    for name in ("vMerge", "vmerge", "hMerge", "hmerge"):
        merge = cell_props.find(f"{ns}{name}")
        if merge is not None and merge.get(f"{ns}val", "continue") == "continue":
            return True
    return False


def docx_grid(tbl: Any, ns: str = _W, cell_text: Callable[[Any], str] | None = None) -> Grid:
    """A ``w:tbl`` element as a rectangular grid: merged cells' text in their first position.

    Horizontal spans (``gridSpan``) and vertical ones (``vMerge`` continue) leave ``""`` in the
    positions they cover, so the statistics tables keep their columns aligned. Sliver grid
    columns (a few twips wide: LibreOffice's DOC→DOCX conversion adds them where cell edges
    differ by a rounding error) are not columns of the table.

    :param ns: the WordprocessingML namespace in Clark notation: DOCX's (default) or Word
        2003 XML's, whose tables have the same shape.
    :param cell_text: reads one ``w:tc``; default: python-docx's paragraph text (DOCX only).
    """
    read_cell = cell_text or _cell_text
    slivers = _sliver_columns(tbl, ns)
    rows: list[dict[int, str]] = []  # grid column → text, for the cells starting there
    width = 0
    for tr in tbl.iterchildren(f"{ns}tr"):
        row: dict[int, str] = {}
        props = tr.find(f"{ns}trPr")
        before = props.find(f"{ns}gridBefore") if props is not None else None
        position = int(before.get(f"{ns}val", "0")) if before is not None else 0
        for tc in tr.iterchildren(f"{ns}tc"):
            cell_props = tc.find(f"{ns}tcPr")
            span, continued = 1, False
            if cell_props is not None:
                grid_span = cell_props.find(f"{ns}gridSpan")
                if grid_span is not None:
                    span = max(1, int(grid_span.get(f"{ns}val", "1")))
                continued = _continues_merge(cell_props, ns)
            covered = [c for c in range(position, position + span) if c not in slivers]
            if covered:
                row[covered[0]] = "" if continued else read_cell(tc)
            position += span
        width = max(width, position)
        rows.append(row)
    columns = [c for c in range(width) if c not in slivers]
    grid = [[row.get(c, "") for c in columns] for row in rows]
    return [r for r in grid if any(r)]


def _body_blocks(parent: Any) -> list[str | Grid]:
    out: list[str | Grid] = []
    for child in parent.iterchildren():
        if child.tag == f"{_W}p":
            text = _paragraph_text(child)
            if text:
                out.append(text)
        elif child.tag == f"{_W}tbl":
            grid = docx_grid(child)
            if grid:
                out.append(grid)
        elif child.tag == f"{_W}sdt":  # content controls wrap ordinary paragraphs and tables
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                out.extend(_body_blocks(content))
    return out


def read_docx(data: bytes) -> OfficeText:
    """Paragraphs and tables of a DOCX in document order.

    :raises OfficeError: when the ZIP holds no Word document or python-docx cannot load it.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise OfficeError(f"not a readable DOCX: {type(e).__name__}: {e}") from e
    title = (document.core_properties.title or "").strip() or None
    return _blocks_text(_body_blocks(document.element.body), title)


def _blocks_text(blocks: list[str | Grid], title: str | None) -> OfficeText:
    lines: list[str] = []
    tables: list[Grid] = []
    for block in blocks:
        if isinstance(block, str):
            lines.append(block)
        else:
            tables.append(block)
            lines.extend(grid_lines(block))
    return OfficeText("\n".join(lines), tables, title)


# --- Word XML: Word 2003 WordprocessingML, Word 2007+ flat OPC ----------------------------------

_W2003 = "{http://schemas.microsoft.com/office/word/2003/wordml}"
_WX = "{http://schemas.microsoft.com/office/word/2003/auxHint}"
_O = "{urn:schemas-microsoft-com:office:office}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PKG = "{http://schemas.microsoft.com/office/2006/xmlPackage}"
# Untrusted XML from the web: no entity expansion (billion laughs, XXE), no network.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)", re.I)
_XML_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_xml(data: bytes) -> Any:
    """An XML file's root element, decoded the way pages are (:func:`pipelines.encoding.decode_body`).

    The declaration's ``encoding`` counts as the declared charset: Chinese Office saves say
    ``gb2312`` and hold GBK-only characters that libxml2's strict GB2312 decoder rejects, so
    the bytes are decoded here (gb2312 → gb18030) and the text handed to lxml.

    :raises OfficeError: when the text is not well-formed XML.
    """
    declared = _XML_DECLARATION.match(data[:512])
    charset = declared.group(1).decode("ascii") if declared else "utf-8"  # XML's default
    text, _ = decode_body(data, f"application/xml; charset={charset}")
    try:
        root = etree.fromstring(_XML_DECLARATION_TEXT.sub("", text, count=1), _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError) as e:
        raise OfficeError(f"not well-formed XML: {e}") from e
    if root is None:
        raise OfficeError("not well-formed XML: no root element")
    return root


def _wordml_paragraph(p: Any) -> str:
    """A Word 2003 ``w:p`` as one line: its runs' text, its list label ("一、") in front."""
    pieces: list[str] = []
    label = p.find(f"{_W2003}pPr/{_W2003}listPr/{_WX}t")
    if label is not None and (value := (label.get(f"{_WX}val") or "").strip()):
        # Word writes the rendered label of an auto-numbered paragraph as a hint; without it a
        # numbered heading ("一、总体情况") loses its number. Chinese labels end in 、 or ）.
        pieces.append(value if value.endswith(("、", "）", ")", "．")) else value + " ")

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag == f"{_W2003}t":
                pieces.append(child.text or "")
            elif tag in (f"{_W2003}tab", f"{_W2003}br", f"{_W2003}cr"):
                pieces.append(" ")
            # nested paragraphs (text boxes, footnotes) and properties are not this line
            elif tag not in (f"{_W2003}p", f"{_W2003}pPr", f"{_W2003}rPr", f"{_W2003}footnote",
                             f"{_W2003}endnote") and isinstance(tag, str):
                walk(child)

    walk(p)
    return " ".join("".join(pieces).split())


def _wordml_cell(tc: Any) -> str:
    return clean_cell("\n".join(_wordml_paragraph(p) for p in tc.iter(f"{_W2003}p")))


def _wordml_blocks(parent: Any) -> list[str | Grid]:
    out: list[str | Grid] = []
    for child in parent.iterchildren():
        if child.tag == f"{_W2003}p":
            if text := _wordml_paragraph(child):
                out.append(text)
        elif child.tag == f"{_W2003}tbl":
            if grid := docx_grid(child, _W2003, _wordml_cell):
                out.append(grid)
        elif child.tag != f"{_W2003}sectPr" and isinstance(child.tag, str):
            # wx:sect / wx:sub-section and custom-XML wrappers hold the body's paragraphs;
            # sectPr holds the page headers and footers, which are not body text (as in DOCX)
            out.extend(_wordml_blocks(child))
    return out


def read_wordml(data: bytes) -> OfficeText:
    """Paragraphs and tables of a Word XML document, in document order.

    Word 2003's WordprocessingML (``<w:wordDocument>``, "XML 文档" in Word 2003, still offered
    by WPS) is walked here; Word 2007+'s flat OPC (``<pkg:package>``, one XML file holding
    the parts of a DOCX) gives its ``word/document.xml`` to the DOCX reader.

    :raises OfficeError: when the XML holds no Word document body.
    """
    root = parse_xml(data)
    body = root.find(f".//{_W2003}body")
    if body is not None:
        title = root.findtext(f"{_O}DocumentProperties/{_O}Title")
        return _blocks_text(_wordml_blocks(body), (title or "").strip() or None)
    document = root.find(f".//{_W}document")
    if document is None or document.find(f"{_W}body") is None:
        raise OfficeError("Word XML with no document body (neither WordprocessingML 2003 nor flat OPC)")
    from docx.oxml.parser import parse_xml as docx_parse_xml

    # python-docx reads paragraphs through its own element classes: re-parse the part with them.
    document = docx_parse_xml(etree.tostring(document))
    title = root.findtext(f".//{_PKG}xmlData/*/{_DC}title")
    return _blocks_text(_body_blocks(document.find(f"{_W}body")), (title or "").strip() or None)


# --- DOC / WPS through LibreOffice -----------------------------------------------------------


class Soffice:
    """LibreOffice headless as a converter, one conversion at a time per profile.

    >>> Soffice().available() in (True, False)
    True

    :param command: the ``soffice`` executable (Debian ``libreoffice-writer-nogui``).
    :param timeout: seconds before a conversion is killed (with its child processes).
    :param profile_dir: the ``-env:UserInstallation`` directory; None makes a private one for
        this process, removed at exit. Never share one between processes running at once.
    """

    def __init__(self, command: str = "soffice", timeout: float = 120.0,
                 profile_dir: str | None = None) -> None:
        self.command = command
        self.timeout = timeout
        self._profile_dir = profile_dir
        self._lock = threading.Lock()

    def available(self) -> bool:
        return shutil.which(self.command) is not None

    def _profile(self) -> str:
        if self._profile_dir is None:
            self._profile_dir = tempfile.mkdtemp(prefix="gongkai-soffice-")
            atexit.register(shutil.rmtree, self._profile_dir, True)
        return self._profile_dir

    def convert(self, data: bytes, suffix: str, target: str = "docx",
                infilter: str | None = None) -> bytes:
        """Convert a document's bytes with LibreOffice; returns the converted file's bytes.

        :param suffix: the input's file extension (``.doc``, ``.wps``), for LibreOffice's
            type detection.
        :param target: a ``--convert-to`` value, e.g. ``docx`` or ``txt:Text``.
        :param infilter: force an import filter (``MS Word 97`` for Word-compatible WPS files,
            so detection cannot pick the Works/WPS filters).
        :raises OfficeError: no soffice, a timeout, or no output file (soffice may exit 0 or 1
            without writing anything).
        """
        path = shutil.which(self.command)
        if not path:
            raise OfficeError("no DOC/WPS converter: LibreOffice (soffice) is not installed "
                              "(Debian: libreoffice-writer-nogui; run make setup)")
        with self._lock, tempfile.TemporaryDirectory(prefix="gongkai-convert-") as work:
            source = Path(work) / f"in{suffix}"
            source.write_bytes(data)
            outdir = Path(work) / "out"
            cmd = [path, "--headless", "--invisible", "--norestore", "--nologo", "--nolockcheck",
                   f"-env:UserInstallation={Path(self._profile()).as_uri()}"]
            if infilter:
                cmd.append(f"--infilter={infilter}")
            cmd += ["--convert-to", target, "--outdir", str(outdir), str(source)]
            # Own session: on timeout the whole group (oosplash + soffice.bin) is killed.
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
            try:
                _, err = proc.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired as e:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                raise OfficeError(f"LibreOffice timed out after {self.timeout:g} s") from e
            outputs = list(outdir.glob("in.*")) if outdir.is_dir() else []
            if not outputs:
                message = err.decode("utf-8", "replace").replace("Warning: failed to launch javaldx "
                                                                  "- java may not function correctly",
                                                                  "").strip()
                raise OfficeError(f"LibreOffice could not convert the file (exit {proc.returncode}"
                                  f"{': ' + message.splitlines()[-1] if message else ''})")
            return outputs[0].read_bytes()


def read_word_binary(data: bytes, suffix: str, soffice: Soffice, infilter: str | None) -> OfficeText:
    """Text of a DOC or WPS file: converted to DOCX by LibreOffice, then read as DOCX."""
    return read_docx(soffice.convert(data, suffix, "docx", infilter))


# --- spreadsheets ----------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_cell(str(value))


def trim_grid(grid: Grid) -> Grid:
    """A sheet's grid without its empty rows and the empty columns at its right.

    >>> trim_grid([["规章", "1", ""], ["", "", ""]])
    [['规章', '1']]
    """
    rows = [r for r in grid if any(r)]
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    return [r[:width] + [""] * (width - len(r[:width])) for r in rows]


def sheets_text(grids: list[Grid], title: str | None = None) -> OfficeText:
    """A workbook's sheets as text: one line per row, its non-empty cells joined by a tab."""
    grids = [g for g in grids if g]
    return OfficeText("\n".join(line for g in grids for line in grid_lines(g)), grids, title)


def read_xlsx(data: bytes) -> OfficeText:
    """Every sheet of an XLSX as a grid (values, not formulas)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises KeyError/InvalidFileException/… on foreign ZIPs
        raise OfficeError(f"not a readable XLSX: {type(e).__name__}: {e}") from e
    try:
        grids = [trim_grid([[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)])
                 for sheet in book.worksheets]
    finally:
        book.close()
    return sheets_text(grids)


def read_xls(data: bytes) -> OfficeText:
    """Every sheet of an Excel 97–2003 XLS (OLE2 ``Workbook`` stream) as a grid."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as e:  # xlrd.XLRDError, CompDocError, struct errors on damaged files
        raise OfficeError(f"not a readable XLS: {type(e).__name__}: {e}") from e
    try:
        grids = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            grids.append(trim_grid([[_cell(v) for v in sheet.row_values(r)] for r in range(sheet.nrows)]))
    finally:
        book.release_resources()
    return sheets_text(grids)


# Sheet limits for the XML formats, whose rows and cells carry their own positions and repeat
# counts: a cell placed at column 16000 would otherwise make every row 16000 cells wide.
# Disclosure statistics tables are a few dozen columns; LibreOffice pads ODS rows with
# "number-columns-repeated=1024" empty cells, which are skipped, not materialised.
MAX_SHEET_COLUMNS = 1024
MAX_SHEET_ROWS = 65536
# A merge of more than this many rows or columns is a damaged file, not a table heading.
MAX_MERGE = 500


def _positions(cells: dict[tuple[int, int], str]) -> Grid:
    """Cells placed by (row, column) as a grid; positions no cell names are ``""``."""
    if not cells:
        return []
    rows = sorted({r for r, _ in cells})
    width = 1 + max(c for _, c in cells)
    return trim_grid([[cells.get((r, c), "") for c in range(width)] for r in rows])


def _number(text: str) -> str:
    try:
        return _cell(float(text))
    except ValueError:
        return clean_cell(text)


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _int_attr(el: Any, name: str, default: int) -> int:
    try:
        return int(el.get(name, default))
    except (TypeError, ValueError):
        return default


def _spreadsheetml_sheet(table: Any) -> Grid:
    cells: dict[tuple[int, int], str] = {}
    covered: set[tuple[int, int]] = set()
    r = -1
    for row in table.iterchildren(f"{_SS}Row"):
        r = _int_attr(row, f"{_SS}Index", r + 2) - 1  # ss:Index is 1-based; absent: the next row
        if r >= MAX_SHEET_ROWS:
            break
        c = -1
        for cell in row.iterchildren(f"{_SS}Cell"):
            if cell.get(f"{_SS}Index"):
                c = _int_attr(cell, f"{_SS}Index", c + 2) - 1
            else:  # the next column not covered by a merge from a row above
                c += 1
                while (r, c) in covered:
                    c += 1
            across = min(max(_int_attr(cell, f"{_SS}MergeAcross", 0), 0), MAX_MERGE)
            down = min(max(_int_attr(cell, f"{_SS}MergeDown", 0), 0), MAX_MERGE)
            covered.update((r + dr, c + dc) for dr in range(down + 1) for dc in range(across + 1))
            data = cell.find(f"{_SS}Data")
            if data is not None and c < MAX_SHEET_COLUMNS:
                text = "".join(data.itertext())  # rich text: <Font>/<B> runs inside <ss:Data>
                value = _number(text) if data.get(f"{_SS}Type") == "Number" else clean_cell(text)
                if value:
                    cells[(r, c)] = value
            c += across
    return _positions(cells)


def read_spreadsheetml(data: bytes) -> OfficeText:
    """Every worksheet of an Excel 2003 XML workbook ("XML 电子表格") as a grid.

    Merged cells (``ss:MergeAcross``/``ss:MergeDown``) keep their text in their first
    position and leave ``""`` in the others, as openpyxl's grids of an XLSX do.

    :raises OfficeError: when the XML is no SpreadsheetML workbook.
    """
    root = parse_xml(data)
    if root.tag != f"{_SS}Workbook":
        raise OfficeError(f"not an Excel 2003 XML workbook (root element {root.tag})")
    grids = [_spreadsheetml_sheet(table) for sheet in root.iterchildren(f"{_SS}Worksheet")
             for table in sheet.iterchildren(f"{_SS}Table")]
    title = root.findtext(f"{_O}DocumentProperties/{_O}Title")
    return sheets_text(grids, (title or "").strip() or None)


# --- ODS -----------------------------------------------------------------------------------------

_ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODF_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODF_NUMERIC = frozenset({"float", "percentage", "currency"})


def _odf_paragraph(p: Any) -> str:
    pieces: list[str] = [p.text or ""]
    for child in p:
        if child.tag == f"{_ODF_TEXT}s":  # a run of spaces, counted
            pieces.append(" " * min(_int_attr(child, f"{_ODF_TEXT}c", 1), 100))
        elif child.tag in (f"{_ODF_TEXT}tab", f"{_ODF_TEXT}line-break"):
            pieces.append(" ")
        elif child.tag != f"{_ODF_OFFICE}annotation" and isinstance(child.tag, str):
            pieces.append(_odf_paragraph(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _ods_cell(cell: Any) -> str:
    # Numbers from office:value (what openpyxl gives for an XLSX), not the formatted display
    # ("1,234", "12%"); text cells from their paragraphs, comments (office:annotation) left out.
    if cell.get(f"{_ODF_OFFICE}value-type") in _ODF_NUMERIC and cell.get(f"{_ODF_OFFICE}value"):
        return _number(cell.get(f"{_ODF_OFFICE}value"))
    return clean_cell("\n".join(_odf_paragraph(p) for p in cell.iterchildren(f"{_ODF_TEXT}p")))


def _ods_rows(parent: Any) -> list[Any]:
    # Rows sit in the table or in header-row, row-group and rows wrappers, in order.
    rows: list[Any] = []
    for child in parent.iterchildren():
        if child.tag == f"{_ODF_TABLE}table-row":
            rows.append(child)
        elif child.tag in (f"{_ODF_TABLE}table-header-rows", f"{_ODF_TABLE}table-row-group",
                           f"{_ODF_TABLE}table-rows"):
            rows.extend(_ods_rows(child))
    return rows


def _ods_sheet(table: Any) -> Grid:
    cells: dict[tuple[int, int], str] = {}
    r = 0
    for row in _ods_rows(table):
        repeat = max(1, _int_attr(row, f"{_ODF_TABLE}number-rows-repeated", 1))
        texts: dict[int, str] = {}
        c = 0
        for cell in row.iterchildren(f"{_ODF_TABLE}table-cell", f"{_ODF_TABLE}covered-table-cell"):
            span = max(1, _int_attr(cell, f"{_ODF_TABLE}number-columns-repeated", 1))
            # a covered cell (under a merge) is written out and stays "", like openpyxl's
            text = _ods_cell(cell) if cell.tag == f"{_ODF_TABLE}table-cell" else ""
            if text:
                for dc in range(min(span, MAX_SHEET_COLUMNS - c)):
                    texts[c + dc] = text
            c += span
            if c >= MAX_SHEET_COLUMNS:
                break
        if texts:  # only rows with text are materialised, however often they repeat
            for dr in range(min(repeat, MAX_SHEET_ROWS - r)):
                cells.update(((r + dr, col), text) for col, text in texts.items())
        r += repeat
        if r >= MAX_SHEET_ROWS:
            break
    return _positions(cells)


def read_ods(data: bytes) -> OfficeText:
    """Every sheet of an OpenDocument spreadsheet (ODS: WPS and LibreOffice Calc) as a grid.

    ``content.xml`` is read directly: the sheets are ``table:table`` elements whose rows and
    cells carry repeat counts, and merged cells are followed by ``covered-table-cell``
    placeholders (left ``""``, as openpyxl leaves an XLSX's merged positions).

    :raises OfficeError: when the ZIP has no readable ``content.xml``.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            content = package.read("content.xml")
            meta = package.read("meta.xml") if "meta.xml" in package.namelist() else None
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        raise OfficeError(f"not a readable ODS: {type(e).__name__}: {e}") from e
    try:
        root = etree.fromstring(content, _XML_PARSER)  # ODF parts are UTF-8 by specification
    except etree.XMLSyntaxError as e:
        raise OfficeError(f"not a readable ODS: content.xml: {e}") from e
    spreadsheet = root.find(f"{_ODF_OFFICE}body/{_ODF_OFFICE}spreadsheet")
    if spreadsheet is None:
        raise OfficeError("not a readable ODS: content.xml holds no spreadsheet")
    title = None
    if meta is not None:
        try:
            title = etree.fromstring(meta, _XML_PARSER).findtext(f".//{_DC}title")
        except etree.XMLSyntaxError:
            title = None  # the title is a nicety; the sheets are what counts
    grids = [_ods_sheet(table) for table in spreadsheet.iterchildren(f"{_ODF_TABLE}table")]
    return sheets_text(grids, (title or "").strip() or None)
