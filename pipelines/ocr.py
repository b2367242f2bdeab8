"""OCR of scanned report pages with Tesseract (simplified-Chinese data), as positioned lines (pure core).

Runs the ``tesseract`` command (Debian ``tesseract-ocr`` + ``tesseract-ocr-chi-sim``) on one
page image and reads its TSV output: the words become :class:`pipelines.layout.Line` objects,
so scanned pages go through the same header/footer and paragraph passes as text PDFs, and
the word confidences give the page's confidence figure. Called by :mod:`pipelines.pdftext`
and :func:`pipelines.attachments.read_attachment` (image files).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
from dataclasses import dataclass

from pipelines.layout import Line, Page

# Tesseract's word confidence is 0–100, or -1 for non-word rows (blocks, lines).
_NO_CONFIDENCE = -1.0
# A gap wider than this many line heights inside one printed line separates table cells.
CELL_GAP = 2.0
# Images whose long side is shorter than this (pixels) are enlarged before OCR: Tesseract
# reads 小四 characters far better at 300 dpi (A4: 3508 px) than at 200 dpi or web JPEG size.
MIN_LONG_SIDE = 3000
MAX_UPSCALE = 2.0
# Pixels of one image sent to Tesseract. An A4 scan at 600 dpi is 35 M; Pillow only refuses
# past 179 M (it warns from 89 M), so a 12000×12000 "scan" would reach Tesseract and take
# minutes and gigabytes. Larger is refused before any pixel is decoded.
MAX_IMAGE_PIXELS = 60_000_000


class OcrError(Exception):
    """Tesseract is missing, lacks the language data, failed or timed out."""


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are read.

    :param enabled: OCR at all; ``read_options`` sets it from ``GONGKAI_OCR`` and whether
        Tesseract with the language data is installed.
    :param lang: Tesseract language(s), e.g. ``chi_sim`` or ``chi_sim+eng`` (slower).
    :param dpi: rendering resolution of PDF pages; 300 reads 五号 (10.5 pt) characters well.
    :param max_pages: pages OCR'd per file at most (a 200-page scan would take many minutes).
    :param timeout: seconds allowed per page.
    """

    enabled: bool = True
    lang: str = "chi_sim"
    dpi: int = 300
    max_pages: int = 50
    timeout: float = 120.0
    command: str = "tesseract"


@dataclass
class OcrPage:
    """One OCR'd page: its lines, the mean word confidence (0–100) and the characters read."""

    page: Page
    confidence: float | None
    chars: int


@functools.lru_cache(maxsize=8)
def available(lang: str = "chi_sim", command: str = "tesseract") -> bool:
    """True when the Tesseract command is installed with every language in ``lang``."""
    path = shutil.which(command)
    if not path:
        return False
    try:
        out = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    langs = {line.strip() for line in (out.stdout + out.stderr).splitlines()}
    return all(part in langs for part in lang.split("+"))


def _join_words(words: list[str]) -> str:
    out = ""
    for word in words:
        if out and out[-1].isascii() and out[-1].isalnum() and word[0].isascii() and word[0].isalnum():
            out += " "
        out += word
    return out


def parse_tsv(tsv: str, scale: float = 1.0) -> OcrPage:
    """Lines and confidence from Tesseract's TSV output; coordinates multiplied by ``scale``.

    Chinese words come out one or a few characters each; they are joined without spaces
    (Latin words and numbers keep one space between them).
    """
    lines: dict[tuple[str, str, str], dict] = {}
    weighted = weight = 0.0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        conf = float(row.get("conf") or _NO_CONFIDENCE)
        if not text or conf == _NO_CONFIDENCE:
            continue
        left, top = float(row["left"]), float(row["top"])
        right, bottom = left + float(row["width"]), top + float(row["height"])
        key = (row["block_num"], row["par_num"], row["line_num"])
        line = lines.setdefault(key, {"words": [], "x0": left, "x1": right, "top": top,
                                      "bottom": bottom})
        line["words"].append(text)
        line["x0"], line["x1"] = min(line["x0"], left), max(line["x1"], right)
        line["top"], line["bottom"] = min(line["top"], top), max(line["bottom"], bottom)
        weighted += conf * len(text)
        weight += len(text)
    page = Page()
    # A line's box height depends on which glyphs it holds (digits and punctuation are
    # shorter), so every line gets the page's median height as its size: the paragraph pass
    # must not take a short box for a change of font.
    heights = sorted(line["bottom"] - line["top"] for line in lines.values())
    size = heights[len(heights) // 2] * scale if heights else 0.0
    for line in sorted(lines.values(), key=lambda ln: (ln["top"], ln["x0"])):
        text = _join_words(line["words"])
        prev = page.blocks[-1] if page.blocks else None
        top = line["top"] * scale
        # Tesseract sometimes cuts one printed line into blocks (around a wide gap, or the
        # cells of a table row): pieces on one baseline are one line again, a wide gap a tab.
        if prev is not None and abs(prev.top - top) < 0.5 * size and line["x0"] * scale >= prev.x1 - size:
            gap = line["x0"] * scale - prev.x1
            prev.text += ("\t" if gap > CELL_GAP * size else "") + text
            prev.x1 = max(prev.x1, line["x1"] * scale)
            prev.bottom = max(prev.bottom, line["bottom"] * scale)
            continue
        page.blocks.append(Line(line["x0"] * scale, line["x1"] * scale, top, line["bottom"] * scale,
                                text, size))
    page.blocks.sort(key=lambda b: (b.top, b.x0))
    confidence = round(weighted / weight, 1) if weight else None
    return OcrPage(page, confidence, int(weight))


def enlarge(image: bytes) -> tuple[bytes, float]:
    """A small page image scaled up for OCR (PNG), and the factor used (1.0: unchanged)."""
    from PIL import Image

    with Image.open(io.BytesIO(image)) as img:  # reads the header only
        if img.width * img.height > MAX_IMAGE_PIXELS:
            raise OcrError(f"image of {img.width}×{img.height} pixels is too large to OCR "
                           f"(limit {MAX_IMAGE_PIXELS:,} pixels)")
        long_side = max(img.size)
        if long_side >= MIN_LONG_SIDE or long_side == 0:
            return image, 1.0
        factor = min(MAX_UPSCALE, MIN_LONG_SIDE / long_side)
        bigger = img.convert("L").resize((round(img.width * factor), round(img.height * factor)),
                                         Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        bigger.save(buf, format="PNG")
        return buf.getvalue(), factor


def ocr_image(image: bytes, options: OcrOptions, scale: float = 1.0) -> OcrPage:
    """OCR one page image (PNG/JPEG/TIFF/BMP bytes) into positioned lines.

    :param scale: factor from image pixels to the page's unit (72/dpi for a rendered PDF
        page, so OCR lines and text-layer lines of one file are measured alike).
    """
    path = shutil.which(options.command)
    if not path:
        raise OcrError("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim)")
    # One thread per tesseract: the crawl already runs pages side by side, and OpenMP inside
    # tesseract on a busy 2-core machine is slower than one thread.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        out = subprocess.run([path, "stdin", "stdout", "-l", options.lang, "tsv"], input=image,
                             capture_output=True, timeout=options.timeout, env=env)
    except subprocess.TimeoutExpired as e:
        raise OcrError(f"tesseract timed out after {options.timeout:g} s") from e
    if out.returncode != 0:
        message = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed: {message[-1] if message else out.returncode}")
    return parse_tsv(out.stdout.decode("utf-8", "replace"), scale)
