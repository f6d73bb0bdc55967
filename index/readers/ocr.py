"""Scanned pages → lines with layout cues, through offline OCR (rapidocr-onnxruntime, PP-OCRv4).

The wheel ships the detection and recognition models; nothing is fetched at run time. A page image
is recognised into text boxes; boxes on one baseline are merged into a visual line, and each line
gets the cues the PDF reader gives: size (from the character pitch of CJK text, which is one em a
character, or the box height where a line is mostly Latin), bold (stroke width against the page's
body text), colour (of the ink), box, indent, alignment, space before and the end-of-block flag
``trail``. Sizes are snapped to a few clusters so that the classifier, which compares styles
exactly, sees one body size and one title size per document.

Recognition runs in a worker thread (onnxruntime releases the GIL), so a caller polling for cancel
stays responsive; results are cached by the page image's hash in ``ctx.cache_dir``, so a re-import
does not recognise again.
"""

from __future__ import annotations

import collections
import ctypes
import hashlib
import io
import itertools
import json
import os
import re
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Cancelled, InputError
from ..lines import Line, mark_block_ends, measure_text_box, place_lines
from ..text import is_cjk
from . import Document, ReadContext

PDF_DPI = 200  # scanned PDF pages are rendered at this resolution
DETECT_SIDE = 1600  # the page is reduced to this longer side for detection; crops are recognised at full resolution
# part of the cache key: change it when the engine or its settings change
ENGINE_KEY = f"rapidocr-onnxruntime/ppocrv4/det{DETECT_SIDE}/b1/2"
_ENGINE_OPTIONS: dict[str, Any] = {
    "use_cls": False,  # printed pages are upright; the angle classifier costs time and turns some short lines over
    "max_side_len": 2400,
    # one line per recognition call: a batch is padded to its widest line, and on this model the
    # padding costs more than batching saves (4 pages of 001 A: 2.7 s a page at 1, 4.2 s at 6, 14 s at 12)
    "rec_batch_num": 1,
    "print_verbose": False,
}

_engine_lock = threading.Lock()
_engine: Any = None
_pool: ThreadPoolExecutor | None = None

Box = tuple[float, float, float, float, str, float]  # x0, top, x1, bottom (px), text, score
_MEASURED = "_ocr_measured"  # attribute of an OCR line: (size, stroke, gapped, by pitch) as measured, before snapping


def _get_engine() -> Any:
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError:  # pragma: no cover - a dependency
                raise InputError("未安装文字识别组件（rapidocr-onnxruntime），无法识别扫描件") from None
            _limit_malloc_arenas()
            _engine = _without_memory_patterns(RapidOCR)
            _detect_on_a_reduced_page(_engine, DETECT_SIDE)
        return _engine


def _detect_on_a_reduced_page(engine: Any, side: int) -> None:
    """Detect text on the page reduced to ``side`` pixels (its longer side).

    rapidocr 1.4 ignores ``det_limit_side_len`` with ``det_limit_type: max``: any image over
    1,500 px is detected at 2,000 px, and an A4 page at 200 dpi (2,339 px) is one. At 1,600 px
    detection takes 1.2 s instead of 2.1 s and peaks near 620 MB instead of 730 MB; 1,280 px is
    faster still (0.7 s) but missed a small page number and split a title's boxes. Boxes come back
    in the coordinates of the full page, whose crops are recognised.
    """
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    det = engine.text_det
    det.get_preprocess = lambda _longer_side: DetPreProcess(side, "max", det.mean, det.std)


def _without_memory_patterns(engine_class: Any) -> Any:
    """The engine with onnxruntime's memory-pattern planning off. Every text line has another
    width, and a pattern planned per input shape is kept: resident memory then grows page after
    page (880 MB after two pages, and on); without, it stays near 720 MB at no measurable cost."""
    from rapidocr_onnxruntime.utils import infer_engine

    session = infer_engine.OrtInferSession
    original = session.__dict__["_init_sess_opts"]

    def options(config: dict[str, Any]) -> Any:
        opts = original.__func__(config)
        opts.enable_mem_pattern = False
        return opts

    session._init_sess_opts = staticmethod(options)
    try:
        return engine_class(**_ENGINE_OPTIONS)
    finally:
        session._init_sess_opts = original


def _limit_malloc_arenas() -> None:
    """Few glibc malloc arenas: onnxruntime's threads and the worker would each keep one of their
    own, and freed page buffers in them are not returned (M_ARENA_MAX = -8)."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, 2)
    except (OSError, AttributeError):
        pass


def _release_memory() -> None:
    """Give the page's freed buffers back to the system (glibc keeps them otherwise: resident
    memory then climbs from ~520 MB to ~900 MB over a few pages instead of falling back to ~160 MB)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do


def _recognise_now(arr: np.ndarray) -> list[Box]:
    try:
        result, _ = _get_engine()(arr)
    finally:
        _release_memory()
    boxes: list[Box] = []
    for pts, text, score in result or []:
        xs = [float(p[0]) for p in pts]
        ys = [float(p[1]) for p in pts]
        if text and text.strip():
            boxes.append((min(xs), min(ys), max(xs), max(ys), str(text), float(score)))
    return boxes


def _image_key(arr: np.ndarray) -> str:
    h = hashlib.sha256(ENGINE_KEY.encode())
    h.update(str(arr.shape).encode())
    h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def _cache_path(ctx: ReadContext, key: str) -> Path | None:
    return Path(ctx.cache_dir) / "ocr" / key[:2] / f"{key}.json" if ctx.cache_dir else None


def recognise(arr: np.ndarray, ctx: ReadContext) -> list[Box]:
    """Text boxes of one page image (RGB array), from the cache or from a worker thread.

    While the worker recognises, ``ctx.cancelled`` is polled, so cancel takes effect within a
    fraction of a second (the page being recognised finishes in the background and is cached).
    """
    global _pool
    key = _image_key(arr)
    path = _cache_path(ctx, key)
    if path is not None and path.exists():
        try:
            return [tuple(b) for b in json.loads(path.read_text("utf-8"))]  # type: ignore[misc]
        except (OSError, ValueError):
            pass  # a damaged cache entry is recognised again
    with _engine_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr")
    fut: Future[list[Box]] = _pool.submit(_recognise_now, arr)
    if path is not None:
        fut.add_done_callback(lambda f: _store(path, f))
    while True:
        try:
            return fut.result(timeout=0.1)
        except TimeoutError:
            if ctx.cancelled is not None and ctx.cancelled():
                raise Cancelled("已取消") from None


def _store(path: Path, fut: Future[list[Box]]) -> None:
    if fut.exception() is not None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(fut.result(), ensure_ascii=False), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # the cache is an optimisation only


# --------------------------------------------------------------------------- punctuation

_ASCII_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_LEAD_BULLET_RE = re.compile(r"^[·•●◆◇■□▪?？]\s*(?=[\u4e00-\u9fff《“（(0-9A-Za-z])")
# "— 8 —" read with the look-alike 一 (one) or hyphens for the dashes
_PAGE_NO_RE = re.compile(r"^[—–\-一─－~]{1,3}\s*(\d{1,3})\s*[—–\-一─－~]{1,3}$")
# "· 2 ·", or with one dot lost: a dot and a number alone on a line are not a bulleted item
_DOTTED_PAGE_NO_RE = re.compile(r"^[·•・.。]{1,2}\s*(\d{1,3})\s*[·•・.。]{0,2}$")
_LEAD_ARROW_RE = re.compile(r"^[>＞›»➢➤►▶]\s*(?=[\u4e00-\u9fff])")


def _cjk_near(text: str, i: int, step: int) -> bool:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return 0 <= j < len(text) and (is_cjk(text[j]) or text[j] in "，。、；：？！“”‘’《》（）【】")


def normalise_punct(text: str) -> str:
    """Full-width punctuation where the recogniser returned ASCII in Chinese text.

    ``,:;!?`` become full-width next to a CJK character (``16:2022`` and ``2,000`` stay); a bracket
    pair becomes full-width when it encloses or borders Chinese text. (Bulletins do print ASCII
    brackets in Chinese text too, but the recogniser does not tell the two apart reliably, so
    one consistent form is better than a mix.) A misread bullet or arrow at the start of a line
    becomes the marker it stands for, and a page number in dashes reads ``— 8 —``.
    """
    page_no = _PAGE_NO_RE.match(text.strip())
    if page_no:
        return f"— {page_no.group(1)} —"
    dotted = _DOTTED_PAGE_NO_RE.match(text.strip())
    if dotted:
        return f"· {dotted.group(1)} ·"
    text = _LEAD_ARROW_RE.sub("➤ ", text)
    text = _LEAD_BULLET_RE.sub("◆ ", text)
    text = re.sub(r"(?<=\d)一(?=\d)", "—", text)  # 2022一2030: a dash read as 一 (one)
    # a stroke read as a bar between two characters (引|领): no bulletin sets a bar inside a word
    text = re.sub(r"(?<=[\u4e00-\u9fff])[|｜](?=[\u4e00-\u9fff])", "", text)
    out = list(text)
    opened: list[bool] = []
    for i, ch in enumerate(text):
        if ch in "(（":
            full = ch == "（" or _cjk_near(text, i, 1) or _cjk_near(text, i, -1)
            opened.append(full)
            if full:
                out[i] = "（"
        elif ch in ")）":
            full = opened.pop() if opened else False
            if full or ch == "）" or _cjk_near(text, i, -1) or _cjk_near(text, i, 1):
                out[i] = "）"
        elif ch in ",;!?" and (_cjk_near(text, i, -1) or _cjk_near(text, i, 1)):
            out[i] = _ASCII_TO_FULL[ch]
        elif ch == ":" and _cjk_near(text, i, -1):
            out[i] = "："
    s = _nested_title_marks("".join(out))
    # the recogniser sometimes puts a space beside full-width punctuation or between CJK characters
    return re.sub(r"(?<=[\u4e00-\u9fff，。、；：？！“”《》〈〉（）]) (?=[\u4e00-\u9fff，。、；：？！“”《》〈〉（）])", "", s)


_ANGLE_RE = re.compile(r"<([^<>]*[\u4e00-\u9fff][^<>]*)>")


def _nested_title_marks(text: str) -> str:
    """Title marks nested as Chinese typesetting nests them: 《…〈…〉…》.

    The recogniser reads the inner 〈〉 as ASCII ``<>``, as another 《》 or as a bracket （, in any
    mix. ``<…>`` around Chinese text becomes 〈…〉; a （ or 《 closed by 〉, a second 《 closed by
    ``>``, and a （ closed by a 》 inside a title whose own 》 follows, become 〈〉; inside an open
    《, a second 《 and its 》 become 〈〉 (only in a line whose marks balance, so that a title
    running on from the line before is left alone)."""
    text = _ANGLE_RE.sub(r"〈\1〉", text)
    # read as a bracket: （ closed by 〉, or （ inside a title closed by 》 while the title's own 》 follows
    chars = list(text)
    open_at: list[int] = []
    for i, ch in enumerate(chars):
        if ch in "（《〈":
            open_at.append(i)
        elif ch == ">" and len(open_at) >= 2 and chars[open_at[-1]] == "《" and "《" in (chars[k] for k in open_at[:-1]):
            chars[open_at.pop()], chars[i] = "〈", "〉"  # 《…《…>…》: the inner pair
        elif ch in "）》〉" and open_at:
            j = open_at.pop()
            if chars[j] in "（《" and ch == "〉":
                chars[j] = "〈"
            elif chars[j] == "（" and ch == "》" and any(chars[k] == "《" for k in open_at) and "》" in chars[i + 1:]:
                chars[j], chars[i] = "〈", "〉"
    text = "".join(chars)
    if "《" not in text or text.count("《") != text.count("》"):
        return text
    out: list[str] = []
    stack: list[str] = []
    for ch in text:
        if ch == "《":
            ch = "〈" if "《" in stack else "《"
            stack.append(ch)
        elif ch == "》" and stack:
            ch = "〉" if stack.pop() == "〈" else "》"
        out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------- lines from boxes


def _units(text: str) -> float:
    """Width of the ink in ems: a CJK or full-width character is one (Chinese quotes and dashes
    are set full-width in Chinese text), anything else about half. Full-width punctuation inks
    only half its em box: an opening bracket or quote at the start of a line, or a closing one
    or a comma or stop at its end, counts half."""
    text = "".join(text.split())
    units = sum(1.0 if (is_cjk(c) or ord(c) > 0x2E80 or c in "“”‘’—…") else 0.5 for c in text)
    if text[:1] in "（“《「『‘【":
        units -= 0.5
    if len(text) > 1 and text[-1] in "。，、；：！？）”》」』’】":
        units -= 0.5
    return units


def _rows(boxes: list[Box]) -> list[list[Box]]:
    """Boxes that share a baseline (overlap vertically by half the smaller height), left to right."""
    rows: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        h = b[3] - b[1]
        for row in rows[-3:]:
            top = min(r[1] for r in row)
            bottom = max(r[3] for r in row)
            overlap = min(bottom, b[3]) - max(top, b[1])
            if overlap >= 0.5 * min(h, bottom - top) and not any(_xoverlap(r, b) for r in row):
                row.append(b)
                break
        else:
            rows.append([b])
    for row in rows:
        row.sort(key=lambda b: b[0])
    rows.sort(key=lambda r: min(b[1] for b in r))
    return rows


def _split_cells(row: list[Box]) -> list[list[Box]]:
    """Split a row where a wide gap (over three ems) separates its boxes: table cells, the two
    columns of a 本期导读, a masthead's publisher and date set far apart are separate lines, as
    the PDF reader splits them. A box is about 1.1 em high."""
    cells: list[list[Box]] = [[row[0]]]
    for a, b in itertools.pairwise(row):
        em = min(a[3] - a[1], b[3] - b[1]) / 1.1
        if b[0] - a[2] > 3.0 * em:
            cells.append([])
        cells[-1].append(b)
    return cells


def _xoverlap(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 * min(a[2] - a[0], b[2] - b[0])


def _join(row: list[Box]) -> str:
    text = row[0][4].strip()
    for a, b in itertools.pairwise(row):
        gap = b[0] - a[2]
        h = min(a[3] - a[1], b[3] - b[1])
        nxt = b[4].strip()
        left, right = text[-1:], nxt[:1]
        if gap < 0 and left == right and not left.isascii():
            nxt = nxt[1:]  # two boxes overlap on one character, which both read (引 | 引领)
        latin = left.isascii() and right.isascii() and left.isalnum() and right.isalnum()
        text += (" " if gap > 0.6 * h or (latin and gap > 0.15 * h) else "") + nxt
    return text


def _ink(gray: np.ndarray, rgb: np.ndarray, x0: float, top: float, x1: float, bottom: float) -> tuple[float, int]:
    """Stroke width (dark pixels per dark run, across rows) relative to the box height, and ink colour."""
    y0, y1, xa, xb = int(max(top, 0)), int(bottom), int(max(x0, 0)), int(x1)
    g = gray[y0:y1, xa:xb]
    if g.size == 0:
        return 0.0, 0
    dark = g < 140
    n = int(dark.sum())
    if n == 0:
        return 0.0, 0
    starts = int((dark[:, 1:] & ~dark[:, :-1]).sum() + dark[:, 0].sum())
    stroke = n / max(starts, 1) / max(y1 - y0, 1)
    pix = rgb[y0:y1, xa:xb][dark]
    r, gg, b = (int(v) for v in np.median(pix, axis=0))
    color = 0 if max(r, gg, b) - min(r, gg, b) < 60 else (r << 16) | (gg << 8) | b
    return stroke, color


def _to_array(image: Any) -> np.ndarray:
    if isinstance(image, np.ndarray):
        arr = image
        if arr.ndim == 2:
            arr = np.stack([arr] * 3, axis=-1)
        return np.ascontiguousarray(arr[:, :, :3])
    return np.asarray(image.convert("RGB"))


def ocr_page_lines(image: Any, page_no: int, dpi: int, ctx: ReadContext) -> list[Line]:
    """Recognise one page image (PIL image or RGB/grey array) into lines with layout cues in pt.

    The lines get this page's layout (indent, alignment, block ends) measured on the page alone; a
    reader with all pages calls :func:`layout` once more over the document for steadier cues.
    """
    arr = _to_array(image)
    boxes = recognise(arr, ctx)
    gray = arr.mean(axis=2) if arr.ndim == 3 else arr
    pt = 72.0 / dpi
    height, width = arr.shape[0] * pt, arr.shape[1] * pt
    lines: list[Line] = []
    rows = [(cell, len(cells)) for whole in _rows(boxes) for cells in [_split_cells(whole)] for cell in cells]
    for row, cells in rows:
        raw = _join(row)
        text = normalise_punct(raw).strip()
        if not text:
            continue
        x0, x1 = min(b[0] for b in row), max(b[2] for b in row)
        top, bottom = min(b[1] for b in row), max(b[3] for b in row)
        stroke, color = _ink(gray, arr, x0, top, x1, bottom)
        chars = sum(len(b[4]) for b in row)
        conf = sum(b[5] * len(b[4]) for b in row) / max(chars, 1)
        ln = Line(0, text, text, False, False, source="ocr")
        ln.page, ln.confidence, ln.color = page_no, round(conf, 3), color
        ln.x0, ln.x1, ln.top, ln.bottom = x0 * pt, x1 * pt, top * pt, bottom * pt
        ln.page_width, ln.page_height = width, height
        ln.size, by_pitch = _size(row, text, pt)
        # set in columns (tab stops), or one cell of a row: not running text
        gapped = cells > 1 or any(b[0] - a[2] > 2 * (a[3] - a[1]) for a, b in itertools.pairwise(row))
        setattr(ln, _MEASURED, (ln.size, stroke, gapped, by_pitch))  # layout() over the whole document starts again from these
        lines.append(ln)
    layout(lines)
    return lines


def _size(row: list[Box], text: str, pt: float) -> tuple[float, bool]:
    """Font size in pt, and whether it is the pitch of a mostly-CJK line (one em per character:
    reliable) rather than the box height (rough: Latin capitals, digits and descenders vary it)."""
    height = max(b[3] for b in row) - min(b[1] for b in row)
    by_height = height * pt * 1.1  # a box is about 0.9 em high, give or take a descender
    units = sum(_units(b[4]) for b in row)
    cjk = sum(1 for c in text if is_cjk(c))
    if cjk >= 4 and cjk >= 0.6 * units and len(row) == 1:
        # a justified line may be stretched: the pitch is then too large, and the height decides
        return min((row[0][2] - row[0][0]) / units * pt, by_height * 1.08), True
    return by_height, False


# --------------------------------------------------------------------------- layout


def _snap_sizes(lines: list[Line]) -> None:
    """Snap sizes to clusters (heaviest first, ±8 %), each rounded to 0.5 pt.

    Measured sizes scatter by a few per cent (a justified line is stretched, a box height varies
    with descenders); the classifier compares sizes exactly, so one body size and one title size
    must come out. A title only a point larger than the body (17 pt on 16) joins the body's size
    and is told apart by its weight. Clusters are formed from the reliable sizes (CJK pitch); a
    size from the box height alone joins the body's size within 12 %, else the nearest cluster
    within 10 %, so a Latin-heavy body line does not look like a title."""
    def reliable(ln: Line) -> bool:
        measured = getattr(ln, _MEASURED, None)
        return measured is None or bool(measured[3])

    firm = [ln for ln in lines if ln.size is not None and reliable(ln)] or [ln for ln in lines if ln.size is not None]
    rough = [ln for ln in lines if ln.size is not None and ln not in firm]
    weights: collections.Counter[float] = collections.Counter()
    for ln in firm:
        weights[round(ln.size or 0, 1)] += len(ln.text)
    left = dict(weights)
    centre_of: dict[float, float] = {}
    centres: list[tuple[float, float]] = []  # (centre, weight), heaviest first
    while left:
        seed = max(left, key=lambda s: sum(w for t, w in left.items() if abs(t - s) <= 0.08 * s))
        members = {s: w for s, w in left.items() if abs(s - seed) <= 0.08 * seed}
        centre = round(sum(s * w for s, w in members.items()) / max(sum(members.values()), 1) * 2) / 2
        centres.append((centre, sum(members.values())))
        for s in members:
            centre_of[s] = centre
            left.pop(s)
    for ln in firm:
        ln.size = centre_of[round(ln.size or 0, 1)]
    body = centres[0][0] if centres else None
    for ln in rough:
        size = ln.size or 0.0
        if body is not None and abs(size - body) <= 0.12 * body:
            ln.size = body
            continue
        near = min((c for c, _ in centres), key=lambda c: abs(c - size), default=None)
        ln.size = near if near is not None and abs(size - near) <= 0.10 * near else round(size * 2) / 2


def _calibrate_heights(lines: list[Line]) -> None:
    """Sizes from box height, converted at this document's own ratio of size to box height.

    How high a detected box is for a given font size depends on the detector's settings (its
    resolution, how far it grows a box) and on the typeface: a fixed factor put the 4-character
    last line of a paragraph (``办公室。``) 2.5 pt above the body on one scan, and the classifier
    then ended the paragraph before it. Lines measured by their CJK pitch say what the ratio is
    on this document: the median over them converts every box-height size."""
    ratios = sorted(
        m[0] / h
        for ln in lines
        if (m := getattr(ln, _MEASURED, None)) is not None and m[3] and ln.top is not None and ln.bottom is not None
        and (h := ln.bottom - ln.top) > 0
    )
    if len(ratios) < 5:
        return  # too few lines to measure: keep the default factor
    ratio = ratios[len(ratios) // 2]
    for ln in lines:
        m = getattr(ln, _MEASURED, None)
        if m is not None and not m[3] and ln.top is not None and ln.bottom is not None and ln.bottom > ln.top:
            ln.size = (ln.bottom - ln.top) * ratio


def _firm_size(ln: Line) -> bool:
    """Whether a line's size can end a paragraph by differing from its neighbour's: measured by
    CJK pitch, or a box over a few characters. The box of a paragraph's short last line
    (``机构。``, ``分）``) comes out a quarter to a third higher than the body's boxes on some
    scans: its size says nothing."""
    m = getattr(ln, _MEASURED, None)
    return m is None or bool(m[3]) or len(ln.text) >= 8


def _stroke(ln: Line) -> float | None:
    measured = getattr(ln, _MEASURED, None)
    return measured[1] if measured else None


def _strokes(lines: list[Line]) -> None:
    """Bold from stroke width: clearly wider strokes (relative to size) than the body's."""

    weights: collections.Counter[float] = collections.Counter()
    for ln in lines:
        weights[ln.size or 0] += len(ln.text)
    if not weights:
        return
    body_size = weights.most_common(1)[0][0]
    body = sorted(s for ln in lines if ln.size == body_size and len(ln.text) >= 6 and (s := _stroke(ln)) is not None)
    ref = body[len(body) // 2] if body else 0.0
    for ln in lines:
        s = _stroke(ln)
        if s is not None:
            ln.bold = bool(ref) and s > 1.3 * ref and len(ln.text) >= 2


def layout(lines: list[Line]) -> None:
    """Snapped sizes, bold, indent, alignment, space before and block ends, against the text box of
    these lines (one page or the whole document). Mirrors the PDF reader's rules, so the classifier
    sees OCR lines as it sees PDF lines."""
    content = [ln for ln in lines if ln.text and ln.x0 is not None]
    if not content:
        return
    for ln in content:
        measured = getattr(ln, _MEASURED, None)
        if measured:
            ln.size = measured[0]
    _calibrate_heights(content)
    _snap_sizes(content)
    _strokes(content)
    box = measure_text_box(content)
    place_lines(content, box)
    # "办公室      2024年1月10日" (set in columns) is not running text
    mark_block_ends(content, box, firm_size=_firm_size, apart=lambda ln: bool(getattr(ln, _MEASURED, (0, 0, False))[2]))


# --------------------------------------------------------------------------- readers


def _image_dpi(img: Any) -> int:
    """The image's resolution: as recorded when plausible, else assume the page is A4 wide."""
    dpi = img.info.get("dpi")
    if dpi and 100 <= float(dpi[0]) <= 1200:
        return round(float(dpi[0]))
    return max(72, round(img.width / 8.27))


def _finish(pages: list[list[Line]]) -> list[Line]:
    lines = [ln for page in pages for ln in page]
    for no, ln in enumerate(lines, 1):
        ln.no = no
    layout(lines)  # again, against the whole document
    return lines


def _images(data: bytes, name: str) -> list[Any]:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        frames = [f.copy() for f in ImageSequence.Iterator(img)]
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise InputError(f"{name}：图片文件已损坏或格式不支持（{e.__class__.__name__}）") from None
    if not frames:
        raise InputError(f"{name}：图片中没有页面")
    return frames


def read(data: bytes, name: str, ctx: ReadContext) -> Document:
    """An image file (PNG/JPEG/TIFF; a multi-page TIFF is several pages) recognised page by page.
    The original kept is a PDF of its pages."""
    frames = _images(data, name)
    pages = []
    for p, img in enumerate(frames, 1):
        ctx.report(p - 1, len(frames), f"文字识别：第 {p}/{len(frames)} 页")
        pages.append(ocr_page_lines(img, p, _image_dpi(img), ctx))
    ctx.report(len(frames), len(frames), "")
    return _document(pages, images_to_pdf(frames), ".pdf", name)  # kept as a PDF: 查看原文 shows PDF pages


def read_images(files: list[tuple[bytes, str]], name: str, ctx: ReadContext) -> Document:
    """Several page images (a folder, in name order) as one issue; the original kept is a PDF of them."""
    frames = [(img, fname) for data, fname in files for img in _images(data, fname)]
    pages = []
    for p, (img, _) in enumerate(frames, 1):
        ctx.report(p - 1, len(frames), f"文字识别：第 {p}/{len(frames)} 页")
        pages.append(ocr_page_lines(img, p, _image_dpi(img), ctx))
    ctx.report(len(frames), len(frames), "")
    return _document(pages, images_to_pdf([img for img, _ in frames]), ".pdf", name)


def images_to_pdf(images: list[Any]) -> bytes:
    """An image-only PDF of the pages (what a scanner gives), each page sized by its resolution."""
    buf = io.BytesIO()
    rgb = [img.convert("RGB") for img in images]
    dpi = _image_dpi(images[0])
    epoch = time.gmtime(0)  # fixed dates: the same pages make the same file (re-import is "unchanged")
    rgb[0].save(buf, format="PDF", save_all=True, append_images=rgb[1:], resolution=dpi, creationDate=epoch, modDate=epoch)
    return buf.getvalue()


def read_scanned_pdf(pdf: Any, name: str, ctx: ReadContext, *, data: bytes | None = None, dpi: int = PDF_DPI) -> Document:
    """Every page of a PDF (a pypdfium2 document, or its bytes) rendered and recognised."""
    import pypdfium2 as pdfium

    from ..originals import PDFIUM_LOCK  # PDFium is not thread-safe; the GUI renders originals meanwhile

    if isinstance(pdf, bytes | bytearray):
        data = bytes(pdf)
        try:
            with PDFIUM_LOCK:
                pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            raise InputError(f"{name}：PDF 文件已损坏或不完整，无法读取（{str(e).split(':')[0]}）") from None
    with PDFIUM_LOCK:
        n = len(pdf)
    pages = []
    for p in range(n):
        ctx.report(p, n, f"文字识别：第 {p + 1}/{n} 页")
        with PDFIUM_LOCK:  # per page: the lock is not held while recognising
            page = pdf[p]
            try:
                image = page.render(scale=dpi / 72).to_pil()
            finally:
                page.close()
        pages.append(ocr_page_lines(image, p + 1, dpi, ctx))
    ctx.report(n, n, "")
    return _document(pages, data, ".pdf", name)


def _document(pages: list[list[Line]], original: bytes | None, suffix: str, name: str) -> Document:
    lines = _finish(pages)
    if not lines:
        raise InputError(f"{name}：扫描件中没有识别出文字（图片是否是简报页面？）")
    low = [ln for ln in lines if (ln.confidence or 1) < 0.8]
    warnings = ["文字识别（OCR）所得，可能有识别错误"]
    if low:
        warnings.append(f"{len(low)} 行识别把握较低")
    return Document(lines, "ocr", pages=len(pages), original=original, original_suffix=suffix, ocr=True, warnings=warnings)


def pdf_has_text(data: bytes, min_chars: int = 8) -> bool:
    """The PDF has a text layer on some page (not a scan)."""
    import pypdfium2 as pdfium

    from ..originals import PDFIUM_LOCK

    with PDFIUM_LOCK:
        return _pdf_has_text(pdfium, data, min_chars)


def _pdf_has_text(pdfium: Any, data: bytes, min_chars: int) -> bool:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return True  # let the PDF reader say what is wrong with it
    try:
        for p in range(len(pdf)):
            page = pdf[p]
            tp = page.get_textpage()
            try:
                if len(tp.get_text_range().strip()) >= min_chars:
                    return True
            finally:
                tp.close()
                page.close()
        return False
    finally:
        pdf.close()


def warm_up() -> float:
    """Load the models (seconds taken): benchmarks separate this from per-page time."""
    t = time.perf_counter()
    _get_engine()
    return time.perf_counter() - t
