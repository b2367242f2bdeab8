"""Build attachment files in code, for the demo sites, the tests and bench/attachments.py: Chinese
PDFs (reportlab, STSong-Light CID font), DOCX (python-docx), XLSX (openpyxl), DOC (LibreOffice),
scanned PDFs and images (Pillow + a CJK font), OFD packages.

Each builder takes a :class:`demo.texts.ReportText` (or plain lines), so the expected text of a
file is ``rt.body_text()`` — the same text an HTML rendering of the report must give.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

from demo.texts import Block, ReportText, Table

CJK_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def expand(table: Table) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """A table's cells laid out on a grid (HTML rules): texts at span origins, and the spans.

    Returns the grid (``""`` where a span covers a position) and ``(row, col, rows, cols)``
    for each cell that spans more than one position.
    """
    taken: dict[tuple[int, int], str] = {}
    spans = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, c + dc)] = cell.text if (dr, dc) == (0, 0) else ""
            if cell.rowspan > 1 or cell.colspan > 1:
                spans.append((r, c, cell.rowspan, cell.colspan))
            c += cell.colspan
    rows = 1 + max(r for r, _ in taken)
    cols = 1 + max(c for _, c in taken)
    return [[taken.get((r, c), "") for c in range(cols)] for r in range(rows)], spans


# --- PDF -----------------------------------------------------------------------------------


def report_pdf(rt: ReportText, *, header: str | None = None, footer: str = "- {page} -",
               encrypt_password: str | None = None) -> bytes:
    """The report as a text PDF: title, indented paragraphs, ruled tables, a running header
    (``header``) and a page-number footer on every page."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=21, firstLineIndent=24,
                          wordWrap="CJK")
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=28, alignment=TA_CENTER,
                           wordWrap="CJK", spaceAfter=12)
    sign = ParagraphStyle("sign", parent=body, alignment=TA_RIGHT, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")

    def furniture(canvas, doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas.saveState()
        canvas.setFont(font, 9)
        if header:
            canvas.drawString(25 * mm, A4[1] - 15 * mm, header)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, footer.format(page=doc.page))
        canvas.restoreState()

    story = [Paragraph(_xml(rt.title), title)]
    for block in rt.blocks:
        if block.kind == "table" and block.table is not None:
            grid, spans = expand(block.table)
            data = [[Paragraph(_xml(t), cell) if t else "" for t in row] for row in grid]
            style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            style += [("SPAN", (c, r), (c + nc - 1, r + nr - 1)) for r, c, nr, nc in spans]
            story += [Spacer(1, 6), RLTable(data, colWidths=_widths(grid, A4[0] - 50 * mm),
                                            style=TableStyle(style)), Spacer(1, 6)]
        else:
            story.append(Paragraph(_xml(block.text), sign if block.kind == "sign" else body))
    buf = io.BytesIO()
    # invariant: no creation time or random document id, so a site built twice is byte-identical
    kwargs: dict = {"invariant": True}
    if encrypt_password is not None:
        from reportlab.lib import pdfencrypt

        kwargs["encrypt"] = pdfencrypt.StandardEncryption(encrypt_password, ownerPassword="owner",
                                                          strength=128)
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=25 * mm, bottomMargin=25 * mm, title=rt.title, **kwargs)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buf.getvalue()


def _widths(grid: list[list[str]], total: float) -> list[float]:
    # Label columns get room, number columns little: rows stay short enough to fit a page.
    longest = [max((len(row[c]) for row in grid if len(row[c]) <= 12), default=2) for c in range(len(grid[0]))]
    weights = [min(max(n, 3), 10) for n in longest]
    return [total * w / sum(weights) for w in weights]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- DOCX / DOC ---------------------------------------------------------------------------


def empty_pdf(title: str) -> bytes:
    """A valid one-page PDF with neither text nor image (what some CMS exports of a missing file are)."""
    ascii_title = title.encode("unicode_escape").decode("ascii")
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
        + f"4 0 obj\n<< /Title ({ascii_title}) /Producer (WPS Office) >>\nendobj\n".encode()
        + b"trailer\n<< /Root 1 0 R /Info 4 0 R >>\n%%EOF\n"
    )


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*)>[^<]*<")


def _repack(data: bytes) -> bytes:
    """The ZIP (DOCX/XLSX) again with fixed entry times: a site built twice is byte-identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            member = src.read(info)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps dcterms:modified with the time of save, whatever was set before
                member = _CORE_TIMES.sub(rb"\1>2024-01-01T00:00:00Z<", member)
            dst.writestr(entry, member)
    return out.getvalue()


def report_docx(rt: ReportText, *, header: str | None = None) -> bytes:
    """The report as a DOCX: paragraphs, tables with merged cells, a page header."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = rt.title
    if header:
        document.sections[0].header.paragraphs[0].text = header
    heading = document.add_paragraph(rt.title)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in rt.blocks:
        if block.kind == "table" and block.table is not None:
            grid, spans = expand(block.table)
            table = document.add_table(rows=len(grid), cols=len(grid[0]))
            table.style = "Table Grid"
            for r, row in enumerate(grid):
                for c, text in enumerate(row):
                    if text:
                        table.cell(r, c).text = text
            for r, c, nr, nc in spans:
                table.cell(r, c).merge(table.cell(r + nr - 1, c + nc - 1))
        else:
            p = document.add_paragraph(block.text)
            p.paragraph_format.first_line_indent = Pt(24) if block.kind != "sign" else None
            if block.kind == "sign":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    document.save(buf)
    return _repack(buf.getvalue())


def report_xlsx(rt: ReportText) -> bytes:
    """The report's statistics tables as a workbook: one sheet per table, merged cells kept.

    What Hanweb sites attach as "统计表.xls(x)" next to an HTML report.
    """
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for block in rt.blocks:
        if block.kind != "table" or block.table is None:
            continue
        sheet = book.create_sheet(block.table.name or f"表{len(book.sheetnames) + 1}")
        grid, spans = expand(block.table)
        for r, row in enumerate(grid, start=1):
            for c, text in enumerate(row, start=1):
                if text:
                    sheet.cell(row=r, column=c, value=int(text) if text.isdigit() else text)
        for r, c, nr, nc in spans:
            sheet.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + nr, end_column=c + nc)
    if not book.sheetnames:
        book.create_sheet("统计表")
    # fixed document times: a site built twice is byte-identical (tests/test_demo_sites.py)
    book.properties.created = book.properties.modified = dt.datetime(2024, 1, 1)
    buf = io.BytesIO()
    book.save(buf)
    return _repack(buf.getvalue())


def report_xls(rt: ReportText) -> bytes:
    """The report's statistics tables as an Excel 97–2003 (BIFF8) workbook, merged cells kept.

    Written with xlwt (tests only): older Hanweb and TRS sites still attach .xls files.
    """
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for block in rt.blocks:
        if block.kind != "table" or block.table is None:
            continue
        sheet = book.add_sheet(block.table.name or "统计表")
        grid, spans = expand(block.table)
        covered = {(r + dr, c + dc) for r, c, nr, nc in spans for dr in range(nr) for dc in range(nc)}
        for r, c, nr, nc in spans:
            text = grid[r][c]
            sheet.write_merge(r, r + nr - 1, c, c + nc - 1, int(text) if text.isdigit() else text)
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if text and (r, c) not in covered:
                    sheet.write(r, c, int(text) if text.isdigit() else text)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    """Convert with LibreOffice (e.g. DOCX → ``doc``); the caller skips when soffice is absent."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"in{suffix}"
        source.write_bytes(data)
        subprocess.run(
            [shutil.which("soffice") or "soffice", "--headless", "--norestore",
             f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}",
             "--convert-to", target, "--outdir", str(Path(work) / "out"), str(source)],
            capture_output=True, timeout=120, check=False,
        )
        out = list((Path(work) / "out").glob("in.*"))
        assert out, "LibreOffice wrote no file"
        return out[0].read_bytes()


def add_ole_stream_entry(data: bytes, name: str) -> bytes:
    """An OLE2 file with one more (empty) directory entry named ``name``, as Kingsoft WPS adds
    ``WpsCustomData`` to the Word files it writes.

    The entry takes a free slot of the directory and is linked into the root storage's
    red-black tree where a binary search puts it, so readers that look streams up by name
    (LibreOffice) still find every other stream.
    """
    buf = bytearray(data)
    sector_size = 1 << struct.unpack_from("<H", buf, 30)[0]
    first_dir = struct.unpack_from("<I", buf, 48)[0]
    difat = struct.unpack_from("<109I", buf, 76)
    fat: list[int] = []
    for sector in difat:
        if sector >= 0xFFFFFFFA:
            break
        offset = (sector + 1) * sector_size
        fat.extend(struct.unpack_from(f"<{sector_size // 4}I", buf, offset))
    entries: list[int] = []  # byte offsets of directory entries
    sector = first_dir
    while sector < 0xFFFFFFFA:
        base = (sector + 1) * sector_size
        entries += [base + i * 128 for i in range(sector_size // 128)]
        sector = fat[sector]

    def entry_name(off: int) -> str:
        length = struct.unpack_from("<H", buf, off + 64)[0]
        return bytes(buf[off:off + max(length - 2, 0)]).decode("utf-16-le")

    def key(text: str) -> tuple[int, str]:  # OLE order: shorter names first, then upper-case
        return len(text), text.upper()

    free = next((i for i, off in enumerate(entries) if buf[off + 66] == 0), None)
    if free is None:  # directory full: chain one more directory sector at the end of the file
        new_sector = len(buf) // sector_size - 1
        per_fat = sector_size // 4
        for index, value in ((sector_of(entries[-1], sector_size), new_sector), (new_sector, 0xFFFFFFFE)):
            struct.pack_into("<I", buf, (difat[index // per_fat] + 1) * sector_size + (index % per_fat) * 4, value)
        empty = bytearray(128)
        struct.pack_into("<III", empty, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        buf += empty * (sector_size // 128)
        free = len(entries)
        entries += [(new_sector + 1) * sector_size + i * 128 for i in range(sector_size // 128)]
    new = entries[free]
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    buf[new:new + 128] = bytes(128)
    buf[new:new + len(encoded)] = encoded
    struct.pack_into("<HBB", buf, new + 64, len(encoded), 2, 1)  # stream, black
    struct.pack_into("<III", buf, new + 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    struct.pack_into("<I", buf, new + 116, 0xFFFFFFFE)  # no sectors (size 0)
    root = entries[0]
    node = struct.unpack_from("<I", buf, root + 76)[0]  # the root storage's child
    while True:
        off = entries[node]
        field = 68 if key(name) < key(entry_name(off)) else 72  # left / right sibling
        nxt = struct.unpack_from("<I", buf, off + field)[0]
        if nxt == 0xFFFFFFFF:
            struct.pack_into("<I", buf, off + field, free)
            return bytes(buf)
        node = nxt


def sector_of(offset: int, sector_size: int) -> int:
    return offset // sector_size - 1


# --- scans and images ---------------------------------------------------------------------


def cjk_font_path() -> str | None:
    return next((p for p in CJK_FONT_PATHS if Path(p).exists()), None)


def page_image(paragraphs: list[str], *, dpi: int = 200, header: str | None = None,
               footer: str | None = None) -> bytes:
    """A scanned-looking A4 page (grey PNG): paragraphs indented two characters, wrapped at the margin."""
    from PIL import Image, ImageDraw, ImageFont

    px = dpi / 72.0
    size = round(12 * px)  # 小四
    font = ImageFont.truetype(cjk_font_path(), size)
    width, height = round(595 * px), round(842 * px)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    left, right = round(72 * px), width - round(72 * px)
    y = round(90 * px)
    if header:
        draw.text((left, round(40 * px)), header, font=ImageFont.truetype(cjk_font_path(), round(9 * px)), fill=0)
    for text in paragraphs:
        x, line = left + 2 * size, ""
        for char in text:
            if x + font.getlength(line + char) > right:
                draw.text((x, y), line, font=font, fill=0)
                x, line, y = left, "", y + round(size * 1.7)
            line += char
        draw.text((x, y), line, font=font, fill=0)
        y += round(size * 1.7)
    if footer:
        draw.text((width // 2 - size, height - round(40 * px)), footer, font=font, fill=0)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def scanned_pdf(pages: list[bytes], dpi: int = 200) -> bytes:
    """An image-only PDF (no text layer) of page images, as a scanner writes it."""
    from PIL import Image

    images = [Image.open(io.BytesIO(p)).convert("L") for p in pages]
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return buf.getvalue()


# --- OFD ------------------------------------------------------------------------------------


def report_ofd(blocks: list[Block], *, title: str, chars_per_line: int = 30, lines_per_page: int = 30,
               header: str | None = None, ruled: bool = True) -> bytes:
    """An OFD package: paragraphs wrapped into positioned TextCodes (3.5 mm characters),
    several pages, an optional running header placed on every page's content.

    Table blocks are laid out the way Word/WPS "print to OFD" converters write them: each cell's
    text as TextObjects (labels left-aligned and wrapped within the cell, numbers centred), its
    border as a PathObject rectangle (none when ``ruled`` is false), merged cells as one
    rectangle, rows that do not fit moved to the next page (a merged cell is cut there).
    """
    size, left, top, leading = 3.5, 25.0, 30.0, 6.0
    cell_size, table_width = 3.0, 160.0
    bottom = top + lines_per_page * leading
    pages: list[list[str]] = [[]]
    y = top
    ident = iter(range(1, 10**6))

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = top

    def paragraph(block: Block) -> None:
        nonlocal y
        text = block.text
        indent = 2 if block.kind != "sign" else 0
        first = chars_per_line - indent
        chunks = [text[:first]] + [text[i:i + chars_per_line] for i in range(first, len(text), chars_per_line)]
        for n, chunk in enumerate(chunks):
            if not chunk:
                continue
            if y >= bottom:
                new_page()
            pages[-1].append(_text_object(next(ident), left + (indent * size if n == 0 else 0), y, size, chunk))
            y += leading

    def wrap(text: str, width: float) -> list[str]:
        per = max(1, int((width - 1.5) / cell_size))
        return [text[i:i + per] for i in range(0, len(text), per)]

    def table(t: Table) -> None:
        nonlocal y
        grid, spans = expand(t)
        widths = _widths(grid, table_width)
        xs = [left]
        for w in widths:
            xs.append(xs[-1] + w)
        size_of = {(r, c): (nr, nc) for r, c, nr, nc in spans}
        heights = []
        for r, row in enumerate(grid):
            lines = [len(wrap(text, xs[c + size_of.get((r, c), (1, 1))[1]] - xs[c]))
                     for c, text in enumerate(row) if text and size_of.get((r, c), (1, 1))[0] == 1]
            heights.append(max([1, *lines]) * cell_size * 1.3 + 2.5)
        y += 2
        placed: list[tuple[int, float]] = []  # each row's page and top
        for h in heights:
            if y + h > bottom:
                new_page()
            placed.append((len(pages) - 1, y))
            y += h
        y += 4
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if not text and (r, c) not in size_of and any(
                        r0 <= r < r0 + nr and c0 <= c < c0 + nc for r0, c0, nr, nc in spans):
                    continue  # covered by a merged cell
                nr, nc = size_of.get((r, c), (1, 1))
                x0, x1 = xs[c], xs[c + nc]
                parts: dict[int, list[float]] = {}  # page -> [top, bottom] of the cell's rows there
                for k in range(r, r + nr):
                    page, row_top = placed[k]
                    span = parts.setdefault(page, [row_top, row_top])
                    span[1] = row_top + heights[k]
                for page, (y0, y1) in parts.items():
                    if ruled:
                        pages[page].append(_path_object(next(ident), x0, y0, x1 - x0, y1 - y0))
                if not text:
                    continue
                page, (y0, y1) = next(iter(parts.items()))
                lines = wrap(text, x1 - x0)
                ty = y0 + (y1 - y0 - len(lines) * cell_size * 1.3) / 2
                for line in lines:
                    number = text.replace(".", "").replace("-", "").isdigit()
                    tx = x0 + (x1 - x0 - len(line) * cell_size) / 2 if number else x0 + 0.75
                    pages[page].append(_text_object(next(ident), tx, ty, cell_size, line))
                    ty += cell_size * 1.3

    for block in blocks:
        if block.kind == "table" and block.table is not None:
            table(block.table)
        else:
            paragraph(block)
    pages = [objects for objects in pages if objects]
    if header:
        pages = [[_text_object(0, left, 12.0, size, header), *objects] for objects in pages]
    return ofd_package(pages, title=title)


def ofd_package(pages: list[list[str]], *, title: str) -> bytes:
    """An OFD ZIP from each page's content objects (``<ofd:TextObject>``, ``<ofd:PathObject>`` XML)."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    files = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
                   f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID><ofd:Title>{_xml(title)}</ofd:Title>"
                   "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData>'
                              "<ofd:MaxUnitID>999999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
                              "</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>"
                              + "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                                        for i in range(len(pages)))
                              + "</ofd:Pages></ofd:Document>",
    }
    for i, objects in enumerate(pages):
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="{i}">'
            + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in files.items():
            # fixed entry times: a site built twice is byte-identical
            package.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _path_object(ident: int, x: float, y: float, w: float, h: float) -> str:
    """A rectangle border (mm), drawn the way converters draw each table cell's own border."""
    return (f'<ofd:PathObject ID="{ident}" Boundary="{x:g} {y:g} {w:g} {h:g}" LineWidth="0.25">'
            f"<ofd:AbbreviatedData>M 0 0 L {w:g} 0 L {w:g} {h:g} L 0 {h:g} C</ofd:AbbreviatedData>"
            "</ofd:PathObject>")


def _text_object(ident: int, x: float, y: float, size: float, text: str) -> str:
    deltas = " ".join([f"{size:g}"] * (len(text) - 1))
    return (f'<ofd:TextObject ID="{ident}" Boundary="{x:g} {y:g} {size * len(text):g} {size * 1.5:g}" '
            f'Font="1" Size="{size:g}"><ofd:TextCode X="0" Y="{size:g}" DeltaX="{deltas}">{_xml(text)}'
            "</ofd:TextCode></ofd:TextObject>")
