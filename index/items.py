"""Classified lines → items: titles joined, bodies split into paragraphs, credits attached, pages kept."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .cues import OTHER_SECTION, SPECIAL_TITLES, alliance_of_credit, credit_of, ends_sentence, is_subheading, section_name
from .lines import CREDIT, SECTION, TITLE, Line
from .text import compact, is_ascii_alnum, is_cjk


@dataclass
class ParsedItem:
    section: str
    title: str
    paragraphs: list[str]
    credit: str | None = None  # text inside the credit line's outer brackets
    credit_raw: str | None = None  # the credit line as printed (both lines when an item has two)
    alliance_raw: str | None = None  # the alliance named in the credit, as printed
    section_raw: str | None = None  # the section header as printed, when it is not canonical
    lines: tuple[int, int] = (0, 0)
    pages: list[int] = field(default_factory=list)  # 1-based pages of the original (PDF/DOCX/scan); [] for text
    ocr: bool = False  # the text came from OCR and may hold recognition errors
    untitled: bool = False  # text found outside any item, kept under a placeholder title

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


def _join_wrapped(parts: list[Line]) -> str:
    out = ""
    prev: Line | None = None
    for ln in parts:
        t = ln.text
        if prev is not None and out and t and prev.trail and is_ascii_alnum(out[-1]) and is_ascii_alnum(t[0]):
            out += " "
        out += t
        prev = ln
    return out


def paragraphs(body: list[Line], markdown: bool) -> list[str]:
    paras: list[list[Line]] = []
    for ln in body:
        if not paras:
            paras.append([ln])
            continue
        prev = paras[-1][-1]
        if markdown:
            new = ends_sentence(prev.text) or is_subheading(ln.text) or is_subheading(prev.text) or ln.heading
        else:
            new = (
                ((prev.trail or ln.lead) and ends_sentence(prev.text))
                or is_subheading(ln.text)
                or (is_subheading(prev.text) and prev.trail)
            )
        if new:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return [_join_wrapped(p) for p in paras if any(x.text for x in p)]


def clean_title(parts: list[Line], toc: list[str]) -> str:
    title = _join_wrapped(parts) if len(parts) > 1 else parts[0].text
    title = re.sub(r"\s{2,}", " ", title).strip()
    if " " in title and toc:
        # A space next to a Chinese character is a wrap artefact unless the TOC has it too
        # (中共中央 国务院 is printed with its space in both places).
        key = compact(title)
        best = max(toc, key=lambda t: difflib.SequenceMatcher(None, key, compact(t)).ratio())
        if difflib.SequenceMatcher(None, key, compact(best)).ratio() >= 0.75:

            def keep(m: re.Match[str]) -> str:
                a, b = m.group(1), m.group(2)
                latin = a.isascii() and b.isascii() and not (is_cjk(a) or is_cjk(b))
                return a + " " if latin or f"{a} {b}" in best else a

            title = re.sub(r"(\S) (?=(\S))", keep, title)
    return title


def _pages(lines: list[Line]) -> list[int]:
    found: set[int] = set()
    for ln in lines:
        for part in getattr(ln, "parts", None) or [ln]:
            if part.page is not None:
                found.add(part.page)
    return sorted(found)


def assemble(content: list[Line], toc: list[str], markdown: bool) -> tuple[list[ParsedItem], str | None]:
    """Build the items from classified content lines; return them and a warning for text outside any item."""
    items: list[ParsedItem] = []
    section, section_raw = OTHER_SECTION, None
    cur_title: list[Line] = []
    cur_body: list[Line] = []
    orphan: list[Line] = []
    last_credited: ParsedItem | None = None  # the item a credit just closed, while nothing follows it

    def flush(credit_line: Line | None = None) -> None:
        nonlocal cur_title, cur_body, last_credited
        if not cur_title:
            return
        title = clean_title(cur_title, toc)
        credit = credit_of(credit_line.text) if credit_line else None
        sec = OTHER_SECTION if compact(title) in SPECIAL_TITLES else section
        last = credit_line.no if credit_line else (cur_body[-1].no if cur_body else cur_title[-1].no)
        item = ParsedItem(
            section=sec,
            title=title,
            paragraphs=paragraphs(cur_body, markdown),
            credit=credit,
            credit_raw=credit_line.text if credit_line else None,
            alliance_raw=alliance_of_credit(credit),
            section_raw=section_raw if sec == section else None,
            lines=(cur_title[0].no, last),
            pages=_pages(cur_title + cur_body + ([credit_line] if credit_line else [])),
            ocr=any(ln.source == "ocr" for ln in cur_title + cur_body),
        )
        items.append(item)
        last_credited = item if credit_line else None
        cur_title, cur_body = [], []

    for ln in content:
        if ln.role == SECTION:
            flush()
            last_credited = None
            sec = section_name(ln.text, True)
            assert sec is not None
            section = sec[0]
            section_raw = sec[1] if sec[1] != sec[0] else None
        elif ln.role == TITLE:
            last_credited = None
            if cur_title and not cur_body:
                cur_title.append(ln)  # a title wrapped over two headings/lines
            else:
                flush()
                cur_title = [ln]
        elif ln.role == CREDIT:
            if cur_title:
                flush(ln)
            elif last_credited is not None:
                # A second credit line right after the first (two sources): the same item's.
                last_credited.credit_raw = f"{last_credited.credit_raw}\n{ln.text}"
                last_credited.lines = (last_credited.lines[0], ln.no)
                if last_credited.alliance_raw is None:
                    last_credited.alliance_raw = alliance_of_credit(credit_of(ln.text))
                last_credited.pages = sorted({*last_credited.pages, *_pages([ln])})
            else:
                orphan.append(ln)
        elif cur_title:
            cur_body.append(ln)
        else:
            last_credited = None
            orphan.append(ln)
    flush()

    if not orphan:
        return items, None
    # Text outside any item (before the first title): kept as an untitled item, so nothing is lost.
    body = [ln for ln in orphan if ln.role != CREDIT]
    credits = [ln for ln in orphan if ln.role == CREDIT]
    first = (body or credits)[0]
    items.insert(
        0,
        ParsedItem(
            section=OTHER_SECTION,
            title="（无标题）",
            paragraphs=paragraphs(body, markdown) + [c.text for c in credits[1:]],
            credit=credit_of(credits[0].text) if credits else None,
            credit_raw=credits[0].text if credits else None,
            lines=(first.no, orphan[-1].no),
            pages=_pages(orphan),
            untitled=True,
        ),
    )
    return items, f"第 {first.no} 行起有 {len(orphan)} 行不属于任何条目，已存为“（无标题）”条目"
