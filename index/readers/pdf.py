"""PDF → lines with layout cues, through pypdfium2 (PDFium).

Characters come with their font size, font name, weight, fill colour and box. Characters PDFium
*generates* (spaces it infers from gaps, line breaks) are dropped, so the text is exactly the
text layer. Characters are clustered into lines by baseline; each line records its page, dominant
size/font/colour, bold, box, indent, alignment and the space above it, measured against the
document's text box. A line ``trail`` (ends its block) when it stops short of the right edge, or
the next line is indented, set apart, or set in another size or weight.

Pages are read one at a time and closed at once (a 500-page file stays in bounded memory), with
progress and cancel through ``ctx.report``. Pages without a text layer go to the OCR reader when
it is installed; otherwise the file is refused in one line.
"""

from __future__ import annotations

import collections
import ctypes
import importlib
import itertools
import re
from dataclasses import dataclass

from ..errors import InputError
from ..lines import Line, mark_block_ends, measure_text_box, place_lines
from . import Document, ReadContext

_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demibold|demi\b|w[6-9]\b|-[6-9]00", re.IGNORECASE)
_FORCE_BOLD = 1 << 18  # PDF font descriptor flag ForceBold
_FILL_STROKE = 2  # text render mode: fill and stroke (a faked bold)
_MIN_TEXT = 8  # a page with fewer visible characters than this has no text layer to speak of
_OCR_DPI = 300


@dataclass(slots=True)
class _Char:
    ch: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    size: float
    font: str
    bold: bool
    color: int


class _FontCache:
    """Font name and weight per PDF text object: one lookup per font run, not per character."""

    def __init__(self) -> None:
        self.buf = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.cache: dict[int, tuple[str, bool]] = {}

    def get(self, raw, tp, i: int) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
        obj = raw.FPDFText_GetTextObject(tp, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        hit = self.cache.get(key) if key else None
        if hit is not None:
            return hit
        n = raw.FPDFText_GetFontInfo(tp, i, self.buf, 256, ctypes.byref(self.flags))
        name = self.buf.value.decode("latin-1", "replace") if n else ""
        name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
        weight = raw.FPDFText_GetFontWeight(tp, i)
        # A face without a bold is made bold by stroking the glyphs too (LibreOffice, Word)
        stroked = bool(obj) and raw.FPDFTextObj_GetTextRenderMode(obj) == _FILL_STROKE
        bold = bool(_BOLD_RE.search(name)) or weight >= 600 or bool(self.flags.value & _FORCE_BOLD) or stroked
        if key:
            self.cache[key] = (name, bold)
        return name, bold


def _page_chars(raw, tp, height: float, fonts: _FontCache) -> list[_Char]:  # type: ignore[no-untyped-def]
    out: list[_Char] = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    for i in range(raw.FPDFText_CountChars(tp)):
        if raw.FPDFText_IsGenerated(tp, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(tp, i)
        if code in (0, 0xFFFE, 0xFFFF) or code in (10, 13):
            continue
        ch = chr(code)
        raw.FPDFText_GetCharBox(tp, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
        raw.FPDFText_GetCharOrigin(tp, i, ctypes.byref(ox), ctypes.byref(oy))
        size = raw.FPDFText_GetFontSize(tp, i)
        if ch.isspace():
            out.append(_Char(" ", left.value, right.value, height - top.value, height - bottom.value, height - oy.value,
                             size, "", False, 0))
            continue
        font, bold = fonts.get(raw, tp, i)
        raw.FPDFText_GetFillColor(tp, i, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))
        out.append(_Char(ch, left.value, right.value, height - top.value, height - bottom.value, height - oy.value,
                         size, font, bold, (r.value << 16) | (g.value << 8) | b.value))
    return out


def _cluster(chars: list[_Char]) -> list[list[_Char]]:
    """Group characters into lines by baseline (in reading order as PDFium gives them)."""
    lines: list[list[_Char]] = []
    base = size = 0.0
    for c in chars:
        if lines and abs(c.base - base) <= 0.45 * max(size, c.size, 1.0):
            lines[-1].append(c)
            if c.ch != " ":
                size = max(size, c.size)
            continue
        if c.ch == " ":
            continue  # a space does not start a line
        lines.append([c])
        base, size = c.base, c.size
    out: list[list[_Char]] = []
    for ln in lines:
        if any(c.ch != " " for c in ln):
            out.extend(_split_cells(sorted(ln, key=lambda c: c.x0) if _needs_sort(ln) else ln))
    return out


def _split_cells(line: list[_Char]) -> list[list[_Char]]:
    """Split a baseline where a wide gap separates its text: table cells, columns, a masthead's
    publisher and date set far apart are separate lines."""
    parts: list[list[_Char]] = [[]]
    last: _Char | None = None
    for c in line:
        if c.ch == " ":
            parts[-1].append(c)
            continue
        if last is not None and c.x0 - last.x1 > 3.0 * max(c.size, last.size, 1.0):
            parts.append([])
        parts[-1].append(c)
        last = c
    return [p for p in parts if any(c.ch != " " for c in p)]


def _needs_sort(line: list[_Char]) -> bool:
    return any(b.x0 < a.x0 - 0.5 * max(a.size, 1.0) for a, b in itertools.pairwise(line))


def _make_line(chars: list[_Char], page: int, width: float, height: float) -> Line:
    visible = [c for c in chars if c.ch != " "]
    text = "".join(c.ch for c in chars)
    sizes: collections.Counter[float] = collections.Counter(round(c.size, 1) for c in visible)
    fonts: collections.Counter[str] = collections.Counter(c.font for c in visible)
    colors: collections.Counter[int] = collections.Counter(c.color for c in visible)
    bold = sum(c.bold for c in visible) >= 0.6 * len(visible)
    ln = Line(0, text, text.strip(), False, False, bold=bold, source="pdf")
    ln.page, ln.size = page, sizes.most_common(1)[0][0]
    ln.font, ln.color = fonts.most_common(1)[0][0], colors.most_common(1)[0][0]
    ln.x0, ln.x1 = min(c.x0 for c in visible), max(c.x1 for c in visible)
    ln.top, ln.bottom = min(c.top for c in visible), max(c.bottom for c in visible)
    ln.page_width, ln.page_height = width, height
    return ln


def _layout(lines: list[Line]) -> None:
    """Indent, alignment, space before and block ends, against the document's text box."""
    content = [ln for ln in lines if ln.text and ln.x0 is not None]
    if not content:
        return
    box = measure_text_box(content)
    place_lines(content, box)
    mark_block_ends(content, box)


def _ocr():  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(".ocr", __package__).ocr_page_lines
    except (ImportError, AttributeError):
        return None


def read(data: bytes, name: str, ctx: ReadContext) -> Document:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from ..originals import PDFIUM_LOCK  # PDFium is not thread-safe: 查看原文 may be rendering meanwhile

    try:
        with PDFIUM_LOCK:
            pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise InputError(f"{name}：PDF 已加密（需要密码），请先解除加密再导入") from None
        raise InputError(f"{name}：PDF 文件已损坏或不完整，无法读取（{msg.split(':')[0]}）") from None
    lines: list[Line] = []
    warnings: list[str] = []
    ocr_pages = 0
    try:
        with PDFIUM_LOCK:
            n_pages = len(pdf)
        if n_pages == 0:
            raise InputError(f"{name}：PDF 没有页面")
        fonts = _FontCache()
        ocr = None
        for p in range(n_pages):
            ctx.report(p, n_pages, f"读取第 {p + 1}/{n_pages} 页")
            with PDFIUM_LOCK:  # held per page, and not while a scanned page is recognised
                image = _read_page(pdfium, raw, pdf, p, name, fonts, lines)
            if image is not None:
                ocr = ocr or _ocr()
                if ocr is None:
                    raise InputError(f"{name}：扫描件，没有文字层（第 {p + 1} 页），未安装文字识别，无法导入")
                got = ocr(image, p + 1, _OCR_DPI, ctx)
                for ln in got:
                    ln.page = p + 1
                lines.extend(got)
                ocr_pages += 1
        ctx.report(n_pages, n_pages, "")
    finally:
        with PDFIUM_LOCK:
            pdf.close()
    if not any(ln.text for ln in lines):
        raise InputError(f"{name}：PDF 没有文字层（可能是扫描件），无法导入")
    for no, ln in enumerate(lines, 1):
        ln.no = no
    _layout([ln for ln in lines if ln.source == "pdf"])
    if ocr_pages:
        _ocr_layout([ln for ln in lines if ln.source == "ocr"])
    if ocr_pages:
        warnings.append(f"{ocr_pages} 页没有文字层，已用文字识别（OCR），可能有识别错误")
    return Document(lines, "pdf", pages=n_pages, original=data, original_suffix=".pdf", ocr=ocr_pages > 0,
                    warnings=warnings)


def _read_page(pdfium, raw, pdf, p: int, name: str, fonts: _FontCache, lines: list[Line]):  # type: ignore[no-untyped-def]
    """Add page ``p``'s text lines to ``lines``; for a page without a text layer, return its image to recognise."""
    try:
        page = pdf[p]
    except pdfium.PdfiumError:
        raise InputError(f"{name}：PDF 第 {p + 1} 页已损坏，无法读取") from None
    try:
        width, height = page.get_size()
        try:
            tp = page.get_textpage()
        except pdfium.PdfiumError:
            raise InputError(f"{name}：PDF 第 {p + 1} 页已损坏，无法读取") from None
        fonts.cache.clear()  # text-object addresses are reused once a page is closed
        try:
            chars = _page_chars(raw, tp.raw, height, fonts)
        finally:
            tp.close()
        if sum(1 for c in chars if c.ch != " ") < _MIN_TEXT and _has_image(raw, page):
            return page.render(scale=_OCR_DPI / 72).to_pil()
        lines.extend(_make_line(c, p + 1, width, height) for c in _cluster(chars))
        return None
    finally:
        page.close()


def _ocr_layout(lines: list[Line]) -> None:
    """Recognised pages measured again together: one body size and weight for the document, as
    for the PDF lines (each page alone is measured on few lines)."""
    importlib.import_module(".ocr", __package__).layout(lines)


def _has_image(raw, page) -> bool:  # type: ignore[no-untyped-def]
    """The page shows an image (a scan) rather than being blank."""
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        if raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, i)) == raw.FPDF_PAGEOBJ_IMAGE:
            return True
    return False
