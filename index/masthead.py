"""Masthead (``2023年第6期（总第71期）``, publisher, date), the 本期导读 table of contents, and the
issue's period when no masthead says it."""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass

from .cues import ISSUE_RE, SECTIONS, has_marker, is_page_number, is_running_head, section_name
from .lines import Line
from .text import compact

_SHORT_ISSUE_RE = re.compile(r"第([0-9一二三四五六七八九十]+)期[（(]总第(\d+)期[)）]")
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
TOC_RE = re.compile(r"^(?:本期导读|本期目录|目录|导读)$")
_TOC_BULLET_RE = re.compile(r"^[-*•·◆◇■□●○▪▸►➤]\s*")
_TOC_NUMBER_RE = re.compile(r"^\d{1,3}\s*(?:[．、]|\.(?!\d))")  # entries numbered like the titles
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass
class Masthead:
    year: int
    number: int
    total: int | None
    date: str | None
    publisher: str | None


def cn_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS.get(s[1:], 0)
    if "十" in s:
        a, _, b = s.partition("十")
        return _CN_DIGITS.get(a, 0) * 10 + _CN_DIGITS.get(b, 0)
    return _CN_DIGITS.get(s, 0)


def find_masthead(lines: list[Line]) -> tuple[Masthead | None, int]:
    """Return the masthead and the index of the first line after it (0 if none).

    Layout sources only look at page 1: a masthead is printed there and nowhere else.
    """
    content = [i for i, ln in enumerate(lines) if ln.text and (ln.page is None or ln.page == 1)][:20]
    issue_at = None
    for i in content:
        if ISSUE_RE.search(lines[i].text):
            issue_at = i
            break
    if issue_at is None:
        return _find_short_masthead(lines, content)
    m = ISSUE_RE.search(lines[issue_at].text)
    assert m is not None
    year, number, total = int(m.group(1)), cn_int(m.group(2)), int(m.group(3))
    end = issue_at
    date = publisher = None
    for i in content:
        if i < issue_at:
            continue
        t = lines[i].text
        if i == issue_at:  # publisher and date may share the issue line
            t = _after_issue(t)
            if not t:
                continue
        d = _DATE_RE.search(compact(t))
        rest = _DATE_RE.sub("", compact(t)) if d else compact(t)
        if publisher is None and rest and len(rest) <= 30 and not section_name(t) and not TOC_RE.match(rest):
            publisher = rest  # 联盟试点工作联络组办公室 (sometimes on the date's line)
            end = i
        if d:
            date = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
            end = i
            break
        if rest != publisher:
            break
    return Masthead(year, number, total, date, publisher), end + 1


def _after_issue(text: str) -> str:
    """What follows the issue line's ``…（总第71期）`` on the same line."""
    m = ISSUE_RE.search(text)
    return text[m.end() :].strip() if m else ""


def _find_short_masthead(lines: list[Line], content: list[int]) -> tuple[Masthead | None, int]:
    """``第5期（总第20期）`` without the year, which the date line beneath gives."""
    for n, i in enumerate(content[:12]):
        m = _SHORT_ISSUE_RE.fullmatch(compact(lines[i].text))
        if not m:
            continue
        for j in content[n + 1 : n + 4]:
            d = _DATE_RE.search(compact(lines[j].text))
            if d:
                date = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
                rest = _DATE_RE.sub("", compact(lines[j].text)) or None
                # an issue dated in January is usually the last one of the year before
                year = int(d.group(1)) - (1 if int(d.group(2)) == 1 and cn_int(m.group(1)) > 2 else 0)
                return Masthead(year, cn_int(m.group(1)), int(m.group(2)), date, rest), j + 1
    return None, 0


def _is_entry_start(ln: Line) -> bool:
    return bool(_TOC_BULLET_RE.match(ln.raw.lstrip()) or _TOC_BULLET_RE.match(ln.text) or _TOC_NUMBER_RE.match(ln.text))


def _toc_section(ln: Line) -> tuple[str, str] | None:
    """A section header inside the TOC; a bulleted entry (◆ …) is a header only by its known name."""
    if _is_entry_start(ln):
        return section_name(ln.text, False)
    return section_name(ln.text, has_marker(ln.raw))


def _entry_text(text: str) -> str:
    """A TOC entry without its bullet, and without a section name set before it on the same line
    (a TOC table read row by row: ``重要政策动态 中央经济工作会议…``)."""
    t = _TOC_BULLET_RE.sub("", text)
    head, _, rest = t.partition(" ")
    if rest.strip() and (sec := section_name(head)) is not None and sec[0] in SECTIONS:
        return rest.strip()
    return t


def _cell_below(lines: list[Line], i: int, end: int) -> Line | None:
    """Layout sources: the line just below line ``i`` in the same column (a table cell's next
    line), among the next few lines (a table row's other cells come between)."""
    ln = lines[i]
    if ln.x0 is None or ln.bottom is None:  # text: the next line, if it is only a word or two
        nxt = lines[i + 1] if i + 1 < end else None
        return nxt if nxt is not None and 0 < len(nxt.text) <= 4 else None
    size = ln.size or 10
    for j in range(i + 1, min(end, i + 4)):
        c = lines[j]
        if c.page == ln.page and c.x0 is not None and c.top is not None and abs(c.x0 - ln.x0) < size:
            return c if 0 <= c.top - ln.bottom < 0.8 * size else None
    return None


def find_toc(lines: list[Line], start: int) -> tuple[int, int, list[str]]:
    """Locate 本期导读: return (first, end) line indexes and the listed titles ((start, start, []) if none).

    The TOC repeats the section headers, so the body begins at the first section header whose
    section the TOC has already named. Entries that wrap (PDF) are joined again.
    """
    toc_at = None
    for i in range(start, min(len(lines), start + 60)):
        t = compact(lines[i].text)
        if not t:
            continue
        if TOC_RE.match(t):
            toc_at = i
            break
        if section_name(lines[i].text, has_marker(lines[i].raw)) and i > start:
            break
    if toc_at is None:
        return start, start, []
    seen: set[str] = set()
    end = None
    for i in range(toc_at + 1, len(lines)):
        ln = lines[i]
        if not ln.text:
            continue
        sec = _toc_section(ln)
        if sec:
            if sec[0] in seen:
                end = i
                break
            seen.add(sec[0])
            continue
        if len(ln.text) > 120:  # a paragraph: the body has begun without a repeated header
            end = i
            break
    first = next((ln for ln in lines[toc_at + 1 :] if ln.text and not _toc_section(ln)), None)
    if first is not None:
        # The first entry's title opens the body too: the body starts there (or at the section
        # header just above it), even when the TOC repeats no section header.
        key = compact(_entry_text(first.text))[:8]
        first_at = lines.index(first)
        at = next((j for j in range(first_at + 1, len(lines)) if key and compact(lines[j].text).startswith(key)), None)
        if at is not None:
            k = at - 1
            while k > toc_at and not lines[k].text:
                k -= 1
            if k > toc_at and section_name(lines[k].text, has_marker(lines[k].raw)):
                at = k
            end = at if end is None else min(end, at)
    if end is None:  # no header repeated: the TOC is the block of list entries
        end = toc_at + 1
        while end < len(lines) and (
            not lines[end].text or _is_entry_start(lines[end]) or _toc_section(lines[end])
        ):
            end += 1
    titles: list[str] = []
    bulleted = any(_is_entry_start(lines[i]) for i in range(toc_at + 1, end))
    gaps = sorted(g for g in (lines[i].space_before for i in range(toc_at + 1, end)) if g is not None and g > 0)
    gap = gaps[len(gaps) * 3 // 4] if gaps else None  # the space between entries; a wrap is tighter
    widest = max((ln.x1 for ln in lines[toc_at + 1 : end] if ln.x1 is not None), default=None)
    prev_entry = prev_section = False
    last: Line | None = None  # the last entry line
    for i in range(toc_at + 1, end):
        ln = lines[i]
        if not ln.text:
            prev_entry = prev_entry and ln.page is not None  # PDF lines have no blank lines between
            continue
        nxt = _cell_below(lines, i, end)
        joined = section_name(ln.text + nxt.text) if nxt is not None else None
        wrapped_section = joined is not None and joined[0] in SECTIONS
        if _toc_section(ln) or wrapped_section:
            prev_entry, prev_section = False, True
            continue
        if (ln.page is not None and is_page_number(ln.text)) or is_running_head(ln.text):
            continue  # the TOC runs over a page break
        t = _entry_text(ln.text)
        t = re.sub(r"[.…·\s]*\d{1,3}$", "", t) if re.search(r"[.…]{2,}\s*\d{1,3}$", t) else t
        tight = ln.space_before is not None and gap is not None and 0 <= ln.space_before < 0.6 * gap
        if last is not None and widest is not None and last.page != ln.page and last.x1 is not None:
            tight = last.x1 >= widest - 2 * (last.size or 10)  # an entry that ran to the edge goes on overleaf
        if prev_section and tight:
            continue  # a section name wrapped in its table cell
        prev_section = False
        if (bulleted or tight) and not _is_entry_start(ln) and prev_entry and titles:
            titles[-1] += t.strip()  # a wrapped entry
        else:
            titles.append(t.strip())
        prev_entry = True
        last = ln
    return toc_at, end, titles


def period(masthead: Masthead | None, text: str) -> tuple[int | None, int | None, int | None, str | None, bool]:
    """Year, 期, 总期, date; from the masthead, else inferred from the years the text mentions.

    Without a masthead the issue year is the year the items mention most (ties go to the later
    year): a bulletin reports on the months just past, and mentions of the coming year
    (plans, 将于2023年3月起实施) are fewer. The 期 is guessed from the latest month mentioned in
    that year, assuming six issues a year; both are flagged as inferred and can be corrected.
    """
    if masthead is not None:
        return masthead.year, masthead.number, masthead.total, masthead.date, False
    years = collections.Counter(int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text))
    if not years:
        return None, None, None, None, True
    year = max(years, key=lambda y: (years[y], y))
    months = [int(m) for y, m in re.findall(r"(\d{4})\s*年\s*(\d{1,2})\s*月", text) if int(y) == year]
    months = [m for m in months if 1 <= m <= 12]
    number = min(6, (max(months) + 1) // 2) if months else None
    return year, number, None, None, True
