"""The one classifier: lines from any reader (text, Markdown, PDF, DOCX, OCR) → roles → issue and items.

How it decides, in order:

1. Masthead and 本期导读 at the top (:mod:`masthead`); a 版记/footer only as the *last* block and
   only in its shape (报/送/抄送 lines, their wraps, editor/address/contact/印发 lines).
2. Lines sure by their wording: blank, page numbers (`3`, `— 3 —`, `第 3 页 共 8 页`), running heads
   (the bulletin's name, or any text repeated at the same place on most pages), section headers,
   credit lines in brackets.
3. Block ends: layout sources say where a block ends (short line, the next line indented or set
   apart); text sources give a trailing space, or — when an extractor keeps none — blank lines
   (not those of a page break), the measured wrap width, sentence ends and unbalanced 《》“”（）.
4. Titles: where typography exists, a run of lines set differently from *this document's* body
   (bolder — a faked bold too —, larger, or centred, judged against the dominant body style by
   characters); in Markdown a heading or a bold line; elsewhere the TOC's entries, then the title
   shape after a boundary (section header, credit, paragraph end): short, no full stop and no
   comma, balanced brackets, ending where a word ends (rjieba, asked only there), a body follows;
   a wrapped title is full lines then a shorter one (:mod:`titles`).
5. Items are assembled in order; every non-whitespace character is counted in the balance.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field

from .cues import (
    ALL_SECTIONS,
    BULLETIN_NAME,
    FOOTER_INFO_RE,
    FOOTER_RE,
    OTHER_SECTION,
    SECTIONS,
    SPECIAL_TITLES,
    alliance_of_credit,
    credit_of,
    ends_sentence,
    has_marker,
    is_page_number,
    is_running_head,
    is_subheading,
    section_name,
)
from .items import ParsedItem, assemble
from .lines import BLANK, BODY, CREDIT, FOOTER, MASTHEAD, NOISE, SECTION, TITLE, TOC, Line
from .masthead import Masthead, find_masthead, find_toc, period
from .text import compact, nonws_len
from .titles import (
    mark_blank_after,
    mark_block_ends,
    measured_width,
    strip_title_numbers,
    text_titles,
    toc_titles,
    typographic_titles,
)

__all__ = [
    "ALL_SECTIONS", "BULLETIN_NAME", "OTHER_SECTION", "SECTIONS", "Balance", "Masthead", "ParsedIssue", "ParsedItem",
    "alliance_of_credit", "classify", "credit_of", "section_name",
]


@dataclass
class Balance:
    """Non-whitespace characters of the source, by where they went."""

    total: int = 0
    masthead: int = 0
    toc: int = 0
    sections: int = 0
    titles: int = 0
    bodies: int = 0
    credits: int = 0
    noise: int = 0

    @property
    def accounted(self) -> int:
        return self.masthead + self.toc + self.sections + self.titles + self.bodies + self.credits + self.noise

    @property
    def unaccounted(self) -> int:
        return self.total - self.accounted

    def as_dict(self) -> dict[str, int]:
        d = dict(self.__dict__)
        d["unaccounted"] = self.unaccounted
        return d


@dataclass
class ParsedIssue:
    format: str  # "markdown", "pdf-text" (text without layout), "pdf", "docx", "ocr"
    masthead: Masthead | None
    year: int | None
    number: int | None
    total: int | None
    date: str | None
    inferred: bool
    items: list[ParsedItem]
    toc: list[str]
    balance: Balance
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- footer, running heads


def _footer_shape(t: str) -> bool:
    return (
        (bool(FOOTER_INFO_RE.search(t)) and len(t) <= 120 and credit_of(t) is None)
        or bool(re.fullmatch(r"[-—_=*\s]{3,}", t))
        or is_page_number(t)
        or is_running_head(t)
    )


def _footer_fits(lines: list[Line], i: int) -> bool:
    """Every line from ``i`` to the end fits a 版记 block."""
    wraps = -1  # -1: the line before is not a 报/送 line or a wrap of one
    odd = 0  # short fragments (a contact line broken in two)
    prev = ""
    for ln in lines[i:]:
        t = ln.text
        if not t:
            continue
        if FOOTER_RE.match(t):
            wraps = 0
        elif 0 <= wraps < 4 and not ends_sentence(prev) and credit_of(t) is None and not section_name(t):
            wraps += 1  # the 报/送 line runs on
        elif _footer_shape(t):
            wraps = -1
        elif odd < 2 and len(t) <= 30 and not ends_sentence(t) and credit_of(t) is None and not section_name(t):
            odd += 1
        else:
            return False
        prev = t
    return True


def _footer_start(lines: list[Line], start: int) -> int:
    """Index where the closing 版记 block begins (len(lines) if none).

    A footer is the last block and has its shape: it opens with 报：/送：/抄送：, and every line
    after that is another such line, a wrap of one, an editor/address/contact/印发 line, a rule,
    a page number or a running head. A body line that starts with 报： mid-issue is followed by
    other text and never qualifies.
    """
    for i in range(start, len(lines)):
        if FOOTER_RE.match(lines[i].text) and _footer_fits(lines, i):
            return i
    return len(lines)


def _mark_running(lines: list[Line], pages: int) -> None:
    """Layout sources: text repeated at the same place on most pages (digits aside) is a running
    head or foot; a page number is the first or last line of its page."""
    by_page: dict[int, list[Line]] = collections.defaultdict(list)
    for ln in lines:
        if ln.text and ln.page is not None:
            by_page[ln.page].append(ln)
    for group in by_page.values():
        for ln in (group[0], group[-1]):
            if is_page_number(ln.text):
                ln.role = NOISE
    if pages < 3:
        return
    seen: dict[tuple[str, int], set[int]] = collections.defaultdict(set)
    for page, group in by_page.items():
        for ln in group[:2] + group[-2:]:
            if ln.top is not None:
                seen[(re.sub(r"\d+", "#", compact(ln.text)), round(ln.top / 6))].add(page)
    for group in by_page.values():
        for ln in group[:2] + group[-2:]:
            if ln.top is not None and ln.role != MASTHEAD:
                key = (re.sub(r"\d+", "#", compact(ln.text)), round(ln.top / 6))
                if len(seen[key]) >= max(3, pages // 2):
                    ln.role = NOISE


# --------------------------------------------------------------------------- the classifier


def classify(lines: list[Line], kind: str, *, pages: int = 0, noise: int = 0, warnings: list[str] | None = None) -> ParsedIssue:
    """Assign every line a role and build the issue. ``kind`` is the reader's (text, markdown, pdf…)."""
    markdown = kind == "markdown"
    layout = any(ln.size is not None for ln in lines)
    warnings = list(warnings or [])
    balance = Balance(total=sum(nonws_len(ln.raw) for ln in lines) + noise, noise=noise)

    masthead, pos = find_masthead(lines)
    for ln in lines[:pos]:
        ln.role = MASTHEAD
    toc_first, toc_end, toc = find_toc(lines, pos)
    for ln in lines[pos:toc_end]:
        ln.role = TOC if ln.text else BLANK
    if toc_first > pos:  # lines between masthead and TOC are masthead matter
        for ln in lines[pos:toc_first]:
            ln.role = MASTHEAD
    if layout:
        _mark_running(lines[toc_end:], pages)
    footer_at = _footer_start(lines, toc_end)
    for ln in lines[footer_at:]:
        ln.role = FOOTER

    for ln in lines[toc_end:footer_at]:
        t = ln.text
        if ln.role == NOISE:
            continue
        if not t:
            ln.role = BLANK
        elif not markdown and not layout and is_page_number(t):
            ln.role = NOISE
        elif is_running_head(t):
            ln.role = NOISE  # running page header: the bulletin's name or its issue line
        elif (ln.heading or not markdown or ln.bold or has_marker(ln.raw)) and section_name(t, has_marker(ln.raw)):
            ln.role = SECTION
        elif credit_of(t) is not None:
            ln.role = CREDIT
        else:
            ln.role = BODY
    breaks: set[int] = set()
    if not layout:
        breaks = mark_blank_after(lines[toc_end:footer_at])
    content = _merge_wrapped_credits([ln for ln in lines[toc_end:footer_at] if ln.role in (SECTION, CREDIT, BODY)])
    if layout:
        for ln in content:
            ln.ends = ln.trail
        width = measured_width(content)
    else:
        width = mark_block_ends(content)

    if markdown:
        for ln in content:
            if ln.role == BODY and (ln.heading or ln.bold) and not is_subheading(ln.text) and len(ln.text) <= 120:
                ln.role = TITLE
    else:
        typographic = layout and typographic_titles(content)
        if toc and not typographic:
            toc_titles(content, toc)
        text_titles(content, width, typographic, breaks)

    items, orphan_warning = assemble(content, toc, markdown)
    balance.noise += strip_title_numbers(items)
    if orphan_warning:
        warnings.append(orphan_warning)

    for ln in lines:
        balance.noise += ln.markup
        if ln.role == MASTHEAD:
            balance.masthead += nonws_len(ln.text)
        elif ln.role == TOC:
            balance.toc += nonws_len(ln.text)
        elif ln.role in (NOISE, FOOTER):
            balance.noise += nonws_len(ln.text)
        elif ln.role == SECTION:
            balance.sections += nonws_len(ln.text)
        balance.noise += nonws_len(ln.raw) - nonws_len(ln.text) - ln.markup  # markers the reader dropped
    for it in items:
        balance.titles += 0 if it.untitled else nonws_len(it.title)
        balance.bodies += sum(nonws_len(p) for p in it.paragraphs)
        balance.credits += nonws_len(it.credit_raw or "")
    if balance.unaccounted:
        warnings.append(f"有 {balance.unaccounted} 个字符未能归入任何部分")

    text = "\n".join(ln.text for ln in lines)
    year, number, total, date, inferred = period(masthead, text)
    if toc and len(toc) != sum(compact(it.title) not in SPECIAL_TITLES for it in items):
        warnings.append(f"目录列出 {len(toc)} 条，正文识别出 {len(items)} 条")
    fmt = {"markdown": "markdown", "text": "pdf-text"}.get(kind, kind)
    return ParsedIssue(fmt, masthead, year, number, total, date, inferred, items, toc, balance, warnings)


def _merge_wrapped_credits(content: list[Line]) -> list[Line]:
    """A credit wrapped over two lines: （… / …供稿）."""
    merged: list[Line] = []
    for ln in content:
        if (
            merged
            and merged[-1].role == BODY
            and merged[-1].text[:1] in "（("
            and ln.role == BODY
            and credit_of(merged[-1].text + ln.text) is not None
            and len(merged[-1].text + ln.text) < 120
        ):
            prev = merged.pop()
            joined = Line(prev.no, prev.raw + ln.raw, prev.text + ln.text, prev.lead, ln.trail, role=CREDIT)
            joined.page, joined.ends = prev.page, True
            ln.role = prev.role = CREDIT
            joined.parts = [prev, ln]  # type: ignore[attr-defined]
            merged.append(joined)
            continue
        merged.append(ln)
    return merged
