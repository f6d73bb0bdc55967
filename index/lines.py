"""The one structure model every reader produces: a sequence of lines with whatever cues the source has.

Readers (plain text, Markdown, PDF, DOCX, OCR) turn their input into ``Line`` objects; one classifier
assigns each line a role. Text sources carry only textual cues (leading/trailing whitespace, Markdown
headings and bold); PDF, DOCX and OCR add typography and position. Layout fields are ``None`` where
the source has no such cue, and the classifier must then fall back to the text cues.

Typography is always judged *relative to this document* (its dominant body size, its text box),
never against absolute sizes or font names.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from .cues import is_page_number

# Line roles.
BLANK, NOISE, MASTHEAD, TOC, SECTION, TITLE, BODY, CREDIT, FOOTER = (
    "blank", "noise", "masthead", "toc", "section", "title", "body", "credit", "footer",
)


@dataclass
class Line:
    no: int  # 1-based line number in the reader's output (for messages and the balance)
    raw: str  # the line as the source gave it
    text: str  # markup removed, stripped
    lead: bool  # leading whitespace in the source (or an indented first line, for layout sources)
    trail: bool  # trailing whitespace in the source (text from PDF: the end-of-block cue)
    heading: int = 0  # Markdown heading depth, 0 if none
    bold: bool = False  # the whole line is bold (Markdown **…**, or a bold font / weight)
    markup: int = 0  # non-whitespace characters of markup removed from the line
    role: str = ""
    ends: bool = False  # the line ends a block (paragraph, title, credit): decided by the classifier
    blank_after: bool = False  # text sources: a blank line follows (a block end some extractors give)

    # --- layout cues: None when the source has none (plain text, Markdown) ---
    page: int | None = None  # 1-based page (PDF, OCR; DOCX: None unless known)
    size: float | None = None  # dominant font size in pt (OCR: box height converted to pt)
    font: str | None = None  # dominant font name as given (subset prefix removed)
    color: int | None = None  # dominant fill colour as 0xRRGGBB
    x0: float | None = None  # left edge, pt from the page's left
    x1: float | None = None  # right edge
    top: float | None = None  # top edge, pt from the page's top
    bottom: float | None = None
    page_width: float | None = None
    page_height: float | None = None
    align: str | None = None  # "left", "center", "right", "justify" where the source says (DOCX) or it is measured
    indent: float | None = None  # first-line indent in pt, relative to the text box's left edge
    space_before: float | None = None  # vertical gap to the previous line on the same page, pt
    paragraph: int | None = None  # source paragraph / block number: lines with the same number belong together
    source: str = ""  # the reader that produced it: "text", "markdown", "pdf", "docx", "ocr"
    confidence: float | None = None  # OCR recognition confidence 0..1


class TextBox(NamedTuple):
    """What a layout source's body text measures: its dominant size, its left and right edges
    (10th/90th percentile of body lines, so a few indented or short lines do not move them) and
    its usual vertical gap between lines."""

    body_size: float
    left: float
    right: float
    gap: float


def measure_text_box(content: list[Line]) -> TextBox:
    """Measure the document's body against which indent, alignment and block ends are judged.

    ``content``: lines with text and a box (``x0`` … ``bottom`` set), in reading order.
    """
    weights: collections.Counter[float] = collections.Counter()
    for ln in content:
        weights[ln.size or 0] += len(ln.text)
    body_size = weights.most_common(1)[0][0] or 10.0
    body = [ln for ln in content if ln.size == body_size and len(ln.text) >= 8] or content
    xs0 = sorted(ln.x0 for ln in body if ln.x0 is not None)
    xs1 = sorted(ln.x1 for ln in body if ln.x1 is not None)
    gaps = sorted(
        b.top - a.bottom
        for a, b in itertools.pairwise(content)
        if a.page == b.page and a.size == b.size == body_size
        and a.bottom is not None and b.top is not None and b.top > a.bottom
    )
    gap = gaps[len(gaps) // 2] if gaps else body_size * 0.5
    return TextBox(body_size, xs0[len(xs0) // 10], xs1[len(xs1) * 9 // 10], gap)


def place_lines(content: list[Line], box: TextBox) -> None:
    """Set each line's indent, ``lead``, alignment and space before, measured against ``box``."""
    left, right = box.left, box.right
    for n, ln in enumerate(content):
        size = ln.size or box.body_size
        assert ln.x0 is not None and ln.x1 is not None
        ln.indent = ln.x0 - left
        ln.lead = ln.indent > 0.5 * size
        mid = (ln.x0 + ln.x1) / 2
        if ln.x0 > left + 1.5 * size and ln.x1 < right - 1.5 * size and abs(mid - (left + right) / 2) < size:
            ln.align = "center"
        elif ln.x1 >= right - 0.8 * size and ln.x0 > left + 0.25 * (right - left):
            ln.align = "right"
        elif ln.x1 >= right - 0.8 * size:
            ln.align = "justify"
        else:
            ln.align = "left"
        prev = content[n - 1] if n else None
        ln.space_before = (
            ln.top - prev.bottom
            if prev is not None and prev.page == ln.page and ln.top is not None and prev.bottom is not None
            else None
        )


def _page_furniture(content: list[Line], n: int) -> bool:
    """A page number that is the first or the last line of its page: not part of the running text."""
    ln = content[n]
    if not is_page_number(ln.text):
        return False
    first = n == 0 or content[n - 1].page != ln.page
    last = n + 1 == len(content) or content[n + 1].page != ln.page
    return first or last


def mark_block_ends(
    content: list[Line],
    box: TextBox,
    firm_size: Callable[[Line], bool] = lambda _ln: True,
    apart: Callable[[Line], bool] = lambda _ln: False,
) -> None:
    """Set each line's ``trail`` (it ends its block) and ``paragraph``, against ``box``.

    A line ends its block when it stops short of the right edge, or when the next line is set
    apart: indented, in another size or weight, after a wider gap; a centred line ends its own.
    The next line is the next line of *running text*: a page number at the foot of a page (or
    the head of the next) is skipped, so a paragraph that runs on over a page break stays one.
    ``firm_size`` says whether a line's size is measured well enough to end a block by
    differing (OCR box heights of short lines are not); ``apart`` marks lines that end their
    block whatever follows (OCR: text set in columns).
    """
    furniture = {n for n in range(len(content)) if _page_furniture(content, n)}
    running = [n for n in range(len(content)) if n not in furniture]
    following = {a: b for a, b in itertools.pairwise(running)}
    para = 0
    for n, ln in enumerate(content):
        size = ln.size or box.body_size
        nxt = content[following[n]] if n in following else None
        full = ln.x1 is not None and ln.x1 >= box.right - 1.0 * size
        if n in furniture:
            ln.trail, ln.paragraph = True, None  # belongs to no block
            continue
        if nxt is None:
            ends = True
        elif nxt.page != ln.page:
            ends = not full
        else:
            ends = (
                not full
                or (nxt.indent or 0) > 0.8 * (nxt.size or size)
                or (nxt.size != ln.size and firm_size(ln) and firm_size(nxt))
                or nxt.bold != ln.bold
                or (nxt.space_before or 0) > box.gap + 0.6 * size
                or ln.align == "center"
                or apart(ln)
            )
        ln.trail = ends
        ln.paragraph = para
        para += ends
