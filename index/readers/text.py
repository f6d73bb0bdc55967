"""Plain text and Markdown conversions → lines with text cues (leading/trailing space, headings, bold).

Text extracted from PDF keeps only textual cues: hard wraps, blank lines, page numbers on their
own line and, from some extractors, a trailing space at the end of a block. Markdown conversions
give one paragraph a line, headings of any depth and ``**bold**``.
"""

from __future__ import annotations

import re

from ..lines import Line
from ..text import decode, nonws_len
from . import Document, ReadContext

HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$")
_INLINE_TAG_RE = re.compile(r"</?(?:sub|sup|b|i|u|em|strong|span|font|br)\b[^>]*>", re.IGNORECASE)
# Characters XML cannot hold and terminals must not receive: C0 controls but tab/LF/CR, DEL, C1.
# The form feed stays: it marks a page break (pdftotext), and lines are stripped of it.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def looks_markdown(text: str) -> bool:
    heads = sum(1 for ln in text.split("\n") if HEADING_RE.match(ln) and ln.lstrip().startswith("#"))
    return heads >= 3


def strip_controls(text: str) -> tuple[str, int]:
    """Remove control characters once, at import; return the text and how many visible (non-space)
    characters that removed, which the balance counts as noise."""
    cleaned = CONTROL_RE.sub("", text)
    return cleaned, nonws_len(text) - nonws_len(cleaned)


def text_lines(text: str, markdown: bool) -> list[Line]:
    """One ``Line`` per source line (per cell, where wide gaps split a line into columns)."""
    lines: list[Line] = []
    kind = "markdown" if markdown else "text"
    for no, whole in enumerate(text.split("\n"), 1):
        parts = [whole] if markdown else _COLUMN_GAP_RE.split(whole)
        for k, raw in enumerate(parts):
            lines.append(_line(no, raw, markdown, kind, lead=k > 0 or raw[:1].isspace(), trail=k < len(parts) - 1))
    return lines


# Text laid out in columns (pdftotext -layout: a TOC table, a publisher and date far apart): a run
# of spaces this wide separates two cells, which are separate lines.
_COLUMN_GAP_RE = re.compile(r"(?<=\S) {6,}(?=\S)")


def _line(no: int, raw: str, markdown: bool, kind: str, *, lead: bool, trail: bool) -> Line:
    stripped = raw.strip()
    trail = trail or (raw[-1:].isspace() if raw else False)
    heading = 0
    bold = False
    t = stripped
    if markdown and t:
        m = HEADING_RE.match(t)
        if m:
            heading = len(m.group(1))
            t = m.group(2)
        if len(t) > 4 and t.startswith("**") and t.endswith("**") and "**" not in t[2:-2]:
            bold = True
        t = re.sub(r"^[-*+]\s+(?=\S)", "", t)  # a list bullet
        t = t.replace("**", "").replace("__", "")
        t = _INLINE_TAG_RE.sub("", t).strip()
    t = t.replace("\f", " ") if "\f" in t else t
    line = Line(no, raw, t, lead, trail, heading, bold, source=kind)
    line.markup = nonws_len(stripped) - nonws_len(t)
    return line


def from_text(text: str) -> Document:
    """A decoded text as a Document; control characters are removed and counted as noise."""
    if "\r" in text:  # text handed over directly (an extractor's output) may keep CRLF or CR
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned, removed = strip_controls(text)
    markdown = looks_markdown(cleaned)
    doc = Document(text_lines(cleaned, markdown), "markdown" if markdown else "text")
    doc.noise = removed
    if removed:
        doc.warnings.append(f"已删除 {removed} 个控制字符（记为噪声）")
    return doc


def read(data: bytes, name: str, ctx: ReadContext) -> Document:
    text, encoding = decode(data, name)
    doc = from_text(text)
    doc.encoding = encoding
    return doc
