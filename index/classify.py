"""The one classifier: lines from any reader (text, Markdown, PDF, DOCX, OCR) → roles → issue and items.

How it decides, in order:

1. Masthead and 本期导读 at the top (:mod:`masthead`); a 版记/footer only as the *last* block and
   only in its shape (报/送/抄送 lines, their wraps, editor/address/contact/印发 lines).
2. Lines sure by their wording: blank, page numbers (`3`, `— 3 —`, `第 3 页 共 8 页`), running heads
   (the bulletin's name, or any text repeated at the same place on most pages), section headers,
   credit lines in brackets.
3. Block ends: layout sources say where a block ends (short line, the next line indented or set
   apart); text sources give a trailing space, or — when an extractor keeps none — blank lines,
   the measured wrap width, sentence ends and unbalanced 《》“”（）.
4. Titles: where typography exists, a run of lines set differently from *this document's* body
   (bolder, larger, or centred, judged against the dominant body style by characters); in
   Markdown a heading or a bold line; elsewhere (and where typography says nothing) the title
   shape after a boundary (section header, credit, paragraph end): short, no full stop, its block
   ends, a body follows; two short lines at the start of a section make one title.
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
    dwidth,
    ends_sentence,
    has_marker,
    is_page_number,
    is_running_head,
    is_subheading,
    section_name,
    unbalanced,
)
from .items import ParsedItem, assemble
from .lines import BLANK, BODY, CREDIT, FOOTER, MASTHEAD, NOISE, SECTION, TITLE, TOC, Line
from .masthead import Masthead, find_masthead, find_toc, period
from .text import compact, is_ascii_alnum, is_cjk, nonws_len

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


# --------------------------------------------------------------------------- block ends (text sources)


def _mark_block_ends(content: list[Line]) -> Width:
    """Decide which lines end a block (title, paragraph) in text without layout.

    Text from PDF wraps at real spaces too (…召开 2022 / 年度…): a trailing space after a Latin
    letter or digit, or a full-width line's trailing space before one, is such a wrap. An
    extractor that keeps no trailing spaces gets them from blank lines, a line clearly shorter
    than the measured wrap width, a sentence end, or a short title-shaped line.
    """
    width = _measured_width(content)
    if sum(ln.blank_after for ln in content) >= 0.6 * len(content):
        for ln in content:  # a blank line after every line tells nothing
            ln.blank_after = False
    if content and sum(ln.trail for ln in content) < 0.05 * len(content):
        for ln in content:
            ln.trail = (
                ln.blank_after or width.fill(ln) < 0.85 or ends_sentence(ln.text)
            ) and not unbalanced(ln.text)
    for n, ln in enumerate(content):
        nxt = content[n + 1].text[:1] if n + 1 < len(content) else ""
        last = ln.text[-1:]
        running = bool(nxt) and (is_ascii_alnum(nxt) or is_cjk(nxt)) and (is_ascii_alnum(last) or is_cjk(last))
        wrap = running and (is_ascii_alnum(last) or (is_ascii_alnum(nxt) and width.fill(ln) >= 0.9))
        ln.ends = ln.trail and not wrap
    return width


# --------------------------------------------------------------------------- titles


def title_like(ln: Line, numbered: bool = False) -> bool:
    """Shaped like a title line: short, no full stop, not a credit, not a sub-heading (``一、``,
    ``（一）``); ``1．`` only when ``numbered`` (typography set it apart: some house styles number
    their titles through the issue)."""
    t = ln.text
    return (
        0 < len(t) <= 60
        and "。" not in t
        and not ends_sentence(t)
        and not t.endswith(("：", ":", "，", ","))
        and credit_of(t) is None
        and (not is_subheading(t) or (numbered and _TITLE_NO_RE.match(t) is not None))
    )


def _title_run(lines: list[Line], i: int, forced: bool, width: Width, opens: bool = False) -> int:
    """Length (in content lines) of the title starting at content line ``i``, 0 if none (text cues).

    A title follows a boundary (section header, credit, paragraph end). Its lines are short, have
    no full stop, and its last line ends a block; a wrapped title is one full line that runs on,
    or two short lines that both end. When ``forced`` (after a credit or section header, where an
    item must begin) the first line is taken even if it does not look like a title. When ``opens``
    (a blank line before, after a sentence end), a title-shaped line may run to the full width.
    """
    n = len(lines)
    if i >= n:
        return 0
    first = lines[i]
    if not title_like(first):
        return 1 if forced else 0
    k = 1
    while k < 3 and i + k < n:
        cur, nxt = lines[i + k - 1], lines[i + k]
        if nxt.role in (SECTION, CREDIT):
            break
        if not cur.ends:
            if title_like(nxt) and nxt.ends:
                k += 1
                continue
            if (opens or forced) and k == 1:
                k = _wrapped_title(lines, i, width)
            break
        if (
            title_like(nxt) and nxt.ends and width.fill(nxt) < 0.95
            and i + k + 1 < n and not lines[i + k + 1].ends
        ):
            k += 1
            continue
        break
    last = lines[i + k - 1]
    if not last.ends and not (forced or opens):
        return 0
    if sum(len(lines[j].text) for j in range(i, i + k)) > 80:
        return 1 if forced else 0
    after = i + k  # something must follow a title: a body line
    if after >= n or lines[after].role in (SECTION, CREDIT):
        return k if forced else 0
    return k


def _wrapped_title(lines: list[Line], i: int, width: Width) -> int:
    """Lines of a title that wraps (text without block ends): full lines without a comma or an
    open bracket, then a shorter last line, then running text. 1 when that shape is not there."""
    k = 1
    while k < 3 and i + k < len(lines):
        cur, nxt = lines[i + k - 1], lines[i + k]
        if not (width.fill(cur) >= 0.92 and nxt.role == BODY and title_like(nxt) and "，" not in nxt.text and not unbalanced(nxt.text)):
            break
        k += 1
        if width.fill(nxt) < 0.9:
            return k if _body_like(lines, i + k) or _body_like(lines, i + k + 1) else 1
    return 1


def _body_like(lines: list[Line], i: int) -> bool:
    """Line ``i`` reads as running text: it has a comma or a full stop (no title has either)."""
    return i < len(lines) and lines[i].role == BODY and ("，" in lines[i].text or "。" in lines[i].text)


def _style(ln: Line) -> tuple[float, bool]:
    return (round(ln.size or 0, 1), ln.bold)


def _typographic_titles(content: list[Line]) -> bool:
    """Mark as TITLE the runs of lines set apart from this document's body; False if typography
    distinguishes nothing here (the text cues then decide)."""
    weights: collections.Counter[tuple[float, bool]] = collections.Counter()
    centred = 0
    for ln in content:
        if ln.role == BODY:
            weights[_style(ln)] += len(ln.text)
            centred += len(ln.text) if ln.align == "center" else 0
    if not weights:
        return False
    body_size, body_bold = weights.most_common(1)[0][0]
    total = sum(weights.values())
    centre_counts = centred < 0.2 * total

    def distinct(ln: Line) -> bool:
        size = ln.size or 0
        return (
            size >= body_size + max(0.5, 0.06 * body_size)
            or (ln.bold and not body_bold)
            or (centre_counts and ln.align == "center")
        )

    runs: list[list[Line]] = []
    for n, ln in enumerate(content):
        if ln.role != BODY or not distinct(ln) or not title_like(ln, numbered=True):
            continue
        prev = content[n - 1] if n else None
        if runs and prev is runs[-1][-1] and _style(prev) == _style(ln) and len(runs[-1]) < 3:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    runs = [r for r in runs if sum(len(x.text) for x in r) <= 120]
    if len(runs) < 2:
        return False
    for r in runs:
        for ln in r:
            ln.role = TITLE
    return True


def _toc_titles(content: list[Line], toc: list[str]) -> None:
    """The table of contents names the titles: a line, or two lines together, that is a TOC entry
    (whitespace aside) is a title wherever it stands."""
    entries = {compact(t) for t in toc if len(compact(t)) >= 4}
    prefixes = {e[:k] for e in entries for k in range(4, len(e))}
    n = 0
    while n < len(content):
        ln = content[n]
        key = compact(ln.text)
        if ln.role == BODY and key in entries:
            ln.role = TITLE
        elif ln.role == BODY and key in prefixes and n + 1 < len(content) and key + compact(content[n + 1].text) in entries:
            ln.role = content[n + 1].role = TITLE
            n += 1
        n += 1


def _opens(content: list[Line], i: int, width: Width, breaks: set[int]) -> bool:
    """A block opens here: a blank line before it; or, after a page break, a short line without a
    comma (a page that ends with a sentence and begins with a title)."""
    if i == 0:
        return False
    if content[i - 1].blank_after:
        return True
    ln = content[i]
    return id(content[i - 1]) in breaks and width.fill(ln) < 0.9 and "，" not in ln.text and title_like(ln)


def _text_titles(content: list[Line], width: Width, typographic: bool = False, breaks: set[int] | None = None) -> None:
    """Titles by shape after a boundary. Where typography already marked the titles, only a line
    right after a section header or credit is tried, and only if it looks like a title."""
    i = 0
    boundary, forced = True, True
    while i < len(content):
        ln = content[i]
        if ln.role in (SECTION, CREDIT):
            boundary = forced = True
            i += 1
            continue
        if ln.role == TITLE:
            boundary = forced = False
            i += 1
            continue
        if boundary and (forced or not typographic):
            opens = not forced and _opens(content, i, width, breaks or set())
            k = _title_run(content, i, forced and not typographic, width, opens)
            if k:
                for j in range(i, i + k):
                    content[j].role = TITLE
                i += k
                boundary = forced = False
                continue
        boundary = ln.ends and ends_sentence(ln.text)
        forced = False
        i += 1


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
        breaks = _mark_blank_after(lines[toc_end:footer_at])
    content = _merge_wrapped_credits([ln for ln in lines[toc_end:footer_at] if ln.role in (SECTION, CREDIT, BODY)])
    if layout:
        for ln in content:
            ln.ends = ln.trail
        width = _measured_width(content)
    else:
        width = _mark_block_ends(content)

    if markdown:
        for ln in content:
            if ln.role == BODY and (ln.heading or ln.bold) and not is_subheading(ln.text) and len(ln.text) <= 120:
                ln.role = TITLE
    else:
        typographic = layout and _typographic_titles(content)
        if toc and not typographic:
            _toc_titles(content, toc)
        _text_titles(content, width, typographic, breaks)

    items, orphan_warning = assemble(content, toc, markdown)
    balance.noise += _strip_title_numbers(items)
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


_TITLE_NO_RE = re.compile(r"^(\d{1,3})\s*(?:[．、]|\.(?!\d))\s*")


def _strip_title_numbers(items: list[ParsedItem]) -> int:
    """House styles that number the titles through the issue (``1．…``, ``2．…``): the number is
    not part of the title. Only a run numbered 1, 2, 3… counts. Returns the characters removed."""
    found = [_TITLE_NO_RE.match(it.title) for it in items if not it.untitled]
    if len(found) < 3 or not all(found) or [int(m.group(1)) for m in found if m] != list(range(1, len(found) + 1)):
        return 0
    removed = 0
    for it, m in zip([it for it in items if not it.untitled], found, strict=True):
        assert m is not None
        removed += nonws_len(m.group(0))
        it.title = it.title[m.end() :]
    return removed


def _mark_blank_after(lines: list[Line]) -> set[int]:
    """A content line followed by a blank line (before the next content line), unless a page
    break (page number, running head, form feed) sits in the gap: page breaks fall mid-paragraph.
    Returns the ids of the lines a page break follows."""
    breaks: set[int] = set()
    prev: Line | None = None
    blank = page_break = False
    for ln in lines:
        if ln.role in (SECTION, CREDIT, BODY):
            if prev is not None:
                prev.blank_after = blank and not page_break
                if page_break:
                    breaks.add(id(prev))
            prev, blank, page_break = ln, False, False
        elif ln.role == BLANK:
            blank = True
        else:
            page_break = True
        page_break = page_break or "\f" in ln.raw  # pdftotext marks a new page with a form feed
    return breaks


@dataclass
class Width:
    """The body's wrap width, in characters and in display units (see :func:`cues.dwidth`)."""

    chars: int
    units: int

    def fill(self, ln: Line) -> float:
        """How full a line is, 0..1+: the larger of the two measures (a line wrapped by character
        count, or by the page's width, is full by one of them)."""
        if not self.chars or not self.units:
            return 0.0
        return max(len(ln.text) / self.chars, dwidth(ln.text) / self.units)


def _measured_width(content: list[Line]) -> Width:
    body = [ln for ln in content if ln.role == BODY]
    chars = sorted(len(ln.text) for ln in body)
    units = sorted(dwidth(ln.text) for ln in body)
    k = int(len(body) * 0.8)
    return Width(chars[k], units[k]) if body else Width(0, 0)


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
