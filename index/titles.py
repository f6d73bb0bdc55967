"""Titles and block ends: where typography exists, titles are what is set apart from this document's
body; in text without layout, the TOC's entries and the shape of a title after a boundary.

Block ends in text without layout come from trailing spaces (some extractors keep them), else
from blank lines (where they are selective, and not a page break), the measured wrap width (in
characters and in display units), sentence ends and unbalanced brackets.
"""

from __future__ import annotations

import collections
import itertools
import re
from dataclasses import dataclass

from .cues import credit_of, dwidth, ends_sentence, is_subheading, unbalanced
from .items import ParsedItem
from .lines import BLANK, BODY, CREDIT, SECTION, TITLE, Line
from .text import compact, is_ascii_alnum, is_cjk, nonws_len

_TITLE_NO_RE = re.compile(r"^(\d{1,3})\s*(?:[．、]|\.(?!\d))\s*")


def strip_title_numbers(items: list[ParsedItem]) -> int:
    """House styles that number the titles through the issue (``1．…``, ``2．…``): the number is
    not part of the title. It counts as the house style when the numbers start at 1 or 2, rise,
    and stand on at least 80 % of the titles. Returns the characters removed."""
    titled = [it for it in items if not it.untitled]
    found = [_TITLE_NO_RE.match(it.title) for it in titled]
    numbers = [int(m.group(1)) for m in found if m]
    if len(numbers) < 3 or numbers[0] > 2 or any(b <= a for a, b in itertools.pairwise(numbers)):
        return 0
    # a scan or a damaged file may lose a title or misread its number: most of them numbered in
    # order is the house style (a title that merely starts with a number is one of a few)
    if len(numbers) < 0.8 * len(titled) or numbers[-1] > 2 * len(titled):
        return 0
    removed = 0
    for it, m in zip(titled, found, strict=True):
        if m is not None:
            removed += nonws_len(m.group(0))
            it.title = it.title[m.end() :]
    return removed


def mark_blank_after(lines: list[Line]) -> set[int]:
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
    bare: bool = False  # no trailing spaces and no telling blank lines: only wording and width tell

    def fill(self, ln: Line) -> float:
        """How full a line is, 0..1+: the larger of the two measures (a line wrapped by character
        count, or by the page's width, is full by one of them)."""
        if not self.chars or not self.units:
            return 0.0
        return max(len(ln.text) / self.chars, dwidth(ln.text) / self.units)


def measured_width(content: list[Line]) -> Width:
    body = [ln for ln in content if ln.role == BODY]
    chars = sorted(len(ln.text) for ln in body)
    units = sorted(dwidth(ln.text) for ln in body)
    k = int(len(body) * 0.8)
    return Width(chars[k], units[k]) if body else Width(0, 0)




# --------------------------------------------------------------------------- block ends (text sources)


def mark_block_ends(content: list[Line]) -> Width:
    """Decide which lines end a block (title, paragraph) in text without layout.

    Text from PDF wraps at real spaces too (…召开 2022 / 年度…): a trailing space after a Latin
    letter or digit, or a full-width line's trailing space before one, is such a wrap. An
    extractor that keeps no trailing spaces gets them from blank lines, a line clearly shorter
    than the measured wrap width, a sentence end, or a short title-shaped line.
    """
    width = measured_width(content)
    if sum(ln.blank_after for ln in content) >= 0.6 * len(content):
        for ln in content:  # a blank line after every line tells nothing
            ln.blank_after = False
    if content and sum(ln.trail for ln in content) < 0.05 * len(content):
        width.bare = not any(ln.blank_after for ln in content)
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
    if not last.ends and not forced:
        # opened by a blank line but running on: a title has no comma and ends where a word ends
        nxt_line = lines[i + k] if i + k < n else None
        joined = "".join(lines[j].text for j in range(i, i + k))
        if "，" in joined or unbalanced(joined) or not word_break(last, nxt_line):
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
            after = lines[i + k] if i + k < len(lines) else None
            ok = any(_body_like(lines, j) for j in range(i + k, i + k + 4)) and word_break(nxt, after)
            return k if ok else 1
    return 1


def word_break(a: Line, b: Line | None) -> bool:
    """The line break after ``a`` falls between two words. A title ends where a word ends; running
    text wraps anywhere (…委员会）批 / 准，由…), so a break inside a word is no title's end. Decided
    by the word segmenter (rjieba), only where the shape of the text leaves it open."""
    if b is None:
        return True
    left, right = a.text[-4:], b.text[:4]
    if not left or not right or not (is_cjk(left[-1]) and is_cjk(right[0])):
        return True
    from .segment import segmenter  # the one shared segmenter: a second rjieba instance in another thread can deadlock

    return not any(start < len(left) < end for _w, start, end in segmenter().tokenize(left + right, mode="default"))


def _body_like(lines: list[Line], i: int) -> bool:
    """Line ``i`` reads as running text: it has a comma or a full stop (no title has either)."""
    return i < len(lines) and lines[i].role == BODY and ("，" in lines[i].text or "。" in lines[i].text)


def _style(ln: Line) -> tuple[float, bool]:
    return (round(ln.size or 0, 1), ln.bold)


def typographic_titles(content: list[Line]) -> bool:
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


def toc_titles(content: list[Line], toc: list[str]) -> None:
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
    nxt = content[i + 1] if i + 1 < len(content) else None
    if width.bare and nxt is not None and 0.85 <= width.fill(nxt) < 0.97 and nxt.role == BODY:
        # Text without any block cue (no trailing spaces, no blank lines): after a sentence end, a
        # line with no comma that ends where a word ends, followed by a line that is not full (a
        # paragraph's indented first line), opens an item; inside a paragraph the next line is full.
        last = ln.text[-1:]
        word_end = is_cjk(last) or is_ascii_alnum(last) or last in "》”）)」"
        return word_end and "，" not in ln.text and title_like(ln) and not unbalanced(ln.text) and word_break(ln, nxt)
    return id(content[i - 1]) in breaks and width.fill(ln) < 0.9 and "，" not in ln.text and title_like(ln)


def text_titles(content: list[Line], width: Width, typographic: bool = False, breaks: set[int] | None = None) -> None:
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


