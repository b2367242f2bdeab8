"""Read a PDF's text layer — paragraphs, tables, page furniture removed — and OCR its scanned pages.

pdfplumber (on pdfminer.six, which maps CJK CID fonts such as STSong-Light/UniGB-UCS2-H to
Unicode) finds the ruled tables and the text lines outside them; a page whose fonts pdfminer
cannot map ("(cid:2174)…") is read again with PDFium (pypdfium2). :mod:`pipelines.layout`
turns the positioned lines into paragraphs. Pages with (almost) no text but an image are
scans: they are rendered with PDFium and read by :mod:`pipelines.ocr` when OCR is on.
Called by :func:`pipelines.attachments.read_attachment`; raises :class:`PdfError` for files
that cannot be read at all.
"""

from __future__ import annotations

import io
import logging
import statistics
from dataclasses import dataclass, field
from typing import Any

from pipelines import ocr
from pipelines.layout import Grid, Line, Page, TableBlock, assemble_pages, clean_cell

# A page whose text layer has fewer non-space characters than this, and that holds an image,
# is a scan (a stamped signature page of a text PDF still has its text).
SCANNED_PAGE_MAX_CHARS = 20
# Pages read per PDF at most: annual reports run to a hundred pages; a file declaring thousands
# (hostile, or a whole yearbook) is read that far and flagged, not read for an hour.
MAX_PDF_PAGES = 1000
# pdfplumber's word grouping: characters closer than this many points form one word. CJK
# text from Word has letter-spacing of up to about 2 pt on justified lines.
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
# Share of a page's text that may be undecoded "(cid:N)" codes before PDFium reads it instead.
CID_SHARE = 0.1

log = logging.getLogger(__name__)


class PdfError(Exception):
    """The PDF cannot be read: damaged, truncated, encrypted with a password, or not a PDF."""


@dataclass
class PdfText:
    """What a PDF gave: text, tables, page count, which pages were OCR'd and how well."""

    text: str
    tables: list[Grid]
    page_count: int
    title: str | None = None
    ocr_pages: list[int] = field(default_factory=list)
    ocr_confidence: float | None = None
    scanned_pages: list[int] = field(default_factory=list)  # scans left unread (OCR off/absent)
    truncated: bool = False
    pdfium_pages: list[int] = field(default_factory=list)  # text read by PDFium (cid fallback)
    pages_unread: int = 0  # pages past MAX_PDF_PAGES, not read


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _table_blocks(tables: list[Any], cell_text: Any) -> list[TableBlock]:
    """pdfplumber's ruled tables as blocks; ``cell_text(bbox, pdfplumber_text)`` gives a cell's text."""
    blocks = []
    for table in tables:
        texts = table.extract()
        grid: Grid = []
        cells: list[list[tuple[float, float, str]]] = []
        for row, row_texts in zip(table.rows, texts):
            values = [clean_cell(cell_text(box, text)) if box is not None else ""
                      for box, text in zip(row.cells, row_texts)]
            if not any(values):
                continue
            grid.append(values)
            cells.append([(box[0], box[2], value) for box, value in zip(row.cells, values) if box is not None])
        if grid:
            blocks.append(TableBlock(table.bbox[1], table.bbox[3], grid, cells))
    return blocks


def _text_chars(blocks: list[Line | TableBlock]) -> int:
    lines = sum(len("".join(b.text.split())) for b in blocks if isinstance(b, Line))
    return lines + sum(len(c) for b in blocks if isinstance(b, TableBlock) for row in b.grid for c in row)


def _undecoded(blocks: list[Line | TableBlock]) -> bool:
    """True when pdfminer could not map the fonts' codes to Unicode ("(cid:2174)(cid:4572)…")."""
    text = " ".join(b.text for b in blocks if isinstance(b, Line))
    codes = text.count("(cid:")
    return codes > 0 and codes * 9 > CID_SHARE * max(len(text), 1)


def _plumber_blocks(page: Any, tables: list[Any]) -> list[Line | TableBlock]:
    """Lines outside tables and the tables, as pdfplumber/pdfminer read them."""
    boxes = [t.bbox for t in tables]
    blocks: list[Line | TableBlock] = list(_table_blocks(tables, lambda box, text: text))
    body = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) \
        if boxes else page
    for tl in body.extract_text_lines(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE,
                                      return_chars=True, strip=True):
        text = tl["text"]
        if not text.strip():
            continue
        sizes = [c["size"] for c in tl["chars"] if c.get("size")]
        blocks.append(Line(tl["x0"], tl["x1"], tl["top"], tl["bottom"], text,
                           statistics.median(sizes) if sizes else 0.0))
    blocks.sort(key=lambda b: b.top)
    return blocks


def _pdfium_blocks(pdfium_page: Any, height: float, tables: list[Any]) -> list[Line | TableBlock]:
    """The same blocks with text from PDFium, for pages whose fonts pdfminer cannot decode.

    PDFium knows the predefined CJK CMaps (Adobe-GB1 …) that some files only name; its text
    rectangles become lines (joined per baseline), and pdfplumber's table cells are filled
    with the text PDFium finds inside them. Coordinates flip to top-down like pdfplumber's.
    """
    textpage = pdfium_page.get_textpage()
    try:
        def bounded(box: tuple[float, float, float, float]) -> str:
            x0, top, x1, bottom = box
            return textpage.get_text_bounded(x0, height - bottom, x1, height - top)

        blocks: list[Line | TableBlock] = list(_table_blocks(tables, lambda box, text: bounded(box)))
        boxes = [t.bbox for t in tables]
        rows: list[list[Line]] = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            line = Line(left, right, height - top, height - bottom, "", top - bottom)
            if _inside({"x0": line.x0, "x1": line.x1, "top": line.top, "bottom": line.bottom}, boxes):
                continue
            line.text = textpage.get_text_bounded(left, bottom, right, top).strip()
            if not line.text:
                continue
            if rows and abs(rows[-1][0].top - line.top) < 0.5 * max(line.size, 1.0):
                rows[-1].append(line)
            else:
                rows.append([line])
        for parts in rows:
            parts.sort(key=lambda p: p.x0)
            blocks.append(Line(parts[0].x0, parts[-1].x1, min(p.top for p in parts),
                               max(p.bottom for p in parts), "".join(p.text for p in parts),
                               statistics.median(p.size for p in parts)))
    finally:
        textpage.close()
    blocks.sort(key=lambda b: b.top)
    return blocks


def _decode_title(value: Any) -> str | None:
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", "replace").strip() or None
        value = value.decode("latin-1")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _pdf_error(error: Exception) -> PdfError:
    """A readable error for what pdfminer raised (pdfplumber wraps it in PdfminerException)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = error.args[0] if type(error).__name__ == "PdfminerException" and error.args else error
    if isinstance(cause, PDFPasswordIncorrect):
        return PdfError("encrypted PDF: a password is needed to open it")
    if isinstance(cause, PDFEncryptionError):
        return PdfError(f"encrypted PDF: unsupported encryption ({cause})")
    text = str(cause).strip()
    return PdfError(f"damaged PDF: {type(cause).__name__}{': ' + text if text else ''}")


def _open(data: bytes) -> Any:
    import pdfplumber

    try:
        # An empty user password opens the many government PDFs that are only owner-locked
        # ("禁止复制") — their text layer is readable.
        return pdfplumber.open(io.BytesIO(data), password="")
    except Exception as e:  # pdfminer raises many kinds of error on broken files
        raise _pdf_error(e) from e


def read_pdf(data: bytes, ocr_options: ocr.OcrOptions | None = None, max_pages: int | None = None) -> PdfText:
    """Text and tables of a PDF; scanned pages are OCR'd when ``ocr_options`` allows.

    :param data: the file's bytes (starting with ``%PDF``).
    :param ocr_options: how to OCR pages without a text layer; None or ``enabled=False``
        leaves them out (listed in ``scanned_pages``).
    :param max_pages: pages read at most (default :data:`MAX_PDF_PAGES`); the rest are
        counted in ``pages_unread``.
    """
    max_pages = MAX_PDF_PAGES if max_pages is None else max_pages
    truncated = b"%%EOF" not in data[-2048:]
    pdf = _open(data)
    pages: list[Page] = []
    scanned: list[int] = []
    pdfium_pages: list[int] = []
    title = None
    pdfium_doc = None
    declared = 0
    try:
        title = _decode_title((pdf.metadata or {}).get("Title"))
        declared = len(pdf.pages)
        for number, page in enumerate(pdf.pages):
            if number >= max_pages:
                break
            tables = page.find_tables()
            blocks = _plumber_blocks(page, tables)
            if _undecoded(blocks):
                if pdfium_doc is None:
                    import pypdfium2

                    pdfium_doc = pypdfium2.PdfDocument(data)
                blocks = _pdfium_blocks(pdfium_doc[number], float(page.height), tables)
                pdfium_pages.append(number)
            if _text_chars(blocks) < SCANNED_PAGE_MAX_CHARS and page.images:
                scanned.append(number)
            pages.append(Page(blocks, float(page.height)))
            page.close()  # drop pdfplumber's per-page caches: long reports run to hundreds of pages
    except Exception as e:  # pdfminer raises many kinds of error on broken files
        if not pages:
            raise _pdf_error(e) from e
        # Keep the pages read before the damage; the caller reports the file as truncated.
        log.warning("PDF broken after %d pages: %s", len(pages), e)
        truncated = True
    finally:
        pdf.close()
        if pdfium_doc is not None:
            pdfium_doc.close()
    page_count = len(pages)
    if page_count == 0:
        raise PdfError("damaged PDF: no pages could be read")
    unread = declared - page_count if page_count == max_pages and not truncated else 0
    result = PdfText("", [], page_count + unread, title=title, truncated=truncated,
                     pdfium_pages=pdfium_pages, pages_unread=unread)
    if scanned and ocr_options is not None and ocr_options.enabled:
        todo = scanned[: ocr_options.max_pages]
        confidences: list[tuple[float, int]] = []
        for number, image in zip(todo, render_pages(data, todo, ocr_options.dpi)):
            read = ocr.ocr_image(image, ocr_options, scale=72.0 / ocr_options.dpi)
            pages[number] = read.page
            result.ocr_pages.append(number)
            if read.confidence is not None:
                confidences.append((read.confidence, max(read.chars, 1)))
        if confidences:
            total = sum(w for _, w in confidences)
            result.ocr_confidence = round(sum(c * w for c, w in confidences) / total, 1)
        result.scanned_pages = scanned[ocr_options.max_pages:]
    else:
        result.scanned_pages = scanned
    assembled = assemble_pages(pages)
    result.text, result.tables = assembled.text, assembled.tables
    return result


def render_pages(data: bytes, numbers: list[int], dpi: int) -> list[bytes]:
    """PNG images of some pages of a PDF at ``dpi`` (pypdfium2, no poppler needed)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    images = []
    try:
        for number in numbers:
            page = doc[number]
            # a page box of poster size at the OCR dpi would be a bitmap of gigabytes
            width, height = page.get_size()
            scale = min(dpi / 72.0, 0.99 * (ocr.MAX_IMAGE_PIXELS / max(width * height, 1.0)) ** 0.5)  # pdfium rounds up
            bitmap = page.render(scale=scale, grayscale=True)
            buf = io.BytesIO()
            bitmap.to_pil().save(buf, format="PNG")
            images.append(buf.getvalue())
            page.close()
    finally:
        doc.close()
    return images
