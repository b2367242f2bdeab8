"""Read Word and spreadsheet attachments: DOCX, DOC/WPS (through LibreOffice), XLSX and XLS (pure core).

DOCX is read with python-docx, paragraphs and tables in document order (page headers and
footers live in other parts of the package and are left out). DOC and WPS are OLE2 binaries
that no maintained Python library reads: LibreOffice headless converts them to DOCX first,
with a private profile directory (two ``soffice`` runs sharing a profile fail silently) and a
timeout. XLSX uses openpyxl, XLS xlrd. Called by :func:`pipelines.attachments.read_attachment`.
"""

from __future__ import annotations

import atexit
import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _sliver_columns(tbl: Any) -> set[int]:
    grid = tbl.find(f"{_W}tblGrid")
    widths = [int(float(c.get(f"{_W}w") or 0)) for c in grid.iterchildren(f"{_W}gridCol")] \
        if grid is not None else []
    if not widths:
        return set()
    typical = sorted(widths)[len(widths) // 2]
    return {i for i, w in enumerate(widths) if w < max(SLIVER_TWIPS, SLIVER_SHARE * typical)}


def docx_grid(tbl: Any) -> Grid:
    """A ``w:tbl`` element as a rectangular grid: merged cells' text in their first position.

    Horizontal spans (``gridSpan``) and vertical ones (``vMerge`` continue) leave ``""`` in the
    positions they cover, so the statistics tables keep their columns aligned. Sliver grid
    columns (a few twips wide: LibreOffice's DOC→DOCX conversion adds them where cell edges
    differ by a rounding error) are not columns of the table.
    """
    slivers = _sliver_columns(tbl)
    rows: list[dict[int, str]] = []  # grid column → text, for the cells starting there
    width = 0
    for tr in tbl.iterchildren(f"{_W}tr"):
        row: dict[int, str] = {}
        props = tr.find(f"{_W}trPr")
        before = props.find(f"{_W}gridBefore") if props is not None else None
        position = int(before.get(f"{_W}val", "0")) if before is not None else 0
        for tc in tr.iterchildren(f"{_W}tc"):
            cell_props = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if cell_props is not None:
                grid_span = cell_props.find(f"{_W}gridSpan")
                if grid_span is not None:
                    span = max(1, int(grid_span.get(f"{_W}val", "1")))
                v_merge = cell_props.find(f"{_W}vMerge")
                continued = v_merge is not None and v_merge.get(f"{_W}val", "continue") == "continue"
            covered = [c for c in range(position, position + span) if c not in slivers]
            if covered:
                row[covered[0]] = "" if continued else _cell_text(tc)
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
    lines: list[str] = []
    tables: list[Grid] = []
    for block in _body_blocks(document.element.body):
        if isinstance(block, str):
            lines.append(block)
        else:
            tables.append(block)
            lines.extend(grid_lines(block))
    title = (document.core_properties.title or "").strip() or None
    return OfficeText("\n".join(lines), tables, title)


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


def _trim(grid: Grid) -> Grid:
    rows = [r for r in grid if any(r)]
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    return [r[:width] + [""] * (width - len(r[:width])) for r in rows]


def _sheets_text(grids: list[Grid]) -> OfficeText:
    grids = [g for g in grids if g]
    return OfficeText("\n".join(line for g in grids for line in grid_lines(g)), grids)


def read_xlsx(data: bytes) -> OfficeText:
    """Every sheet of an XLSX as a grid (values, not formulas)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises KeyError/InvalidFileException/… on foreign ZIPs
        raise OfficeError(f"not a readable XLSX: {type(e).__name__}: {e}") from e
    try:
        grids = [_trim([[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)])
                 for sheet in book.worksheets]
    finally:
        book.close()
    return _sheets_text(grids)


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
            grids.append(_trim([[_cell(v) for v in sheet.row_values(r)] for r in range(sheet.nrows)]))
    finally:
        book.release_resources()
    return _sheets_text(grids)
