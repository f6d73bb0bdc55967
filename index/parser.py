"""Parse one bulletin (text from PDF, or a Markdown conversion) into its issue and items.

The structure of 《产业技术创新战略联盟试点工作简报》 is always the same: an optional masthead
(``2023年第6期（总第71期）``, publisher, date), an optional 本期导读 table of contents, sections
(重要政策动态 · 联盟联络组及协发网动态 · 试点联盟动态及协发网网员单位动态) of news items, each a
title, a body and usually a credit line in brackets, then an optional footer (报：/送：…).

Two kinds of text reach us:

* Markdown conversions: one paragraph a line, headings (of any depth) mark titles and section
  headers, ``**bold**`` and a few HTML tags are conversion noise.
* Text extracted from PDF: hard-wrapped lines (blank lines between them), page numbers on their
  own line, and no headings. Here a *trailing space* is the main cue: the last line of a paragraph,
  of a title, a credit and a section header keep one, wrapped lines inside a paragraph do not.

Every line is classified once; the character balance at the end proves nothing was dropped.
"""

from __future__ import annotations

import collections
import difflib
import re
from dataclasses import dataclass, field

from .lines import BLANK, BODY, CREDIT, FOOTER, MASTHEAD, NOISE, SECTION, TITLE, TOC, Line
from .text import compact, is_ascii_alnum, is_cjk, nonws_len

SECTIONS = ("重要政策动态", "联盟联络组及协发网动态", "试点联盟动态及协发网网员单位动态")
OTHER_SECTION = "其他"
ALL_SECTIONS = (*SECTIONS, OTHER_SECTION)
BULLETIN_NAME = "产业技术创新战略联盟试点工作简报"

# Items that are not news: they go to section 其他 wherever they stand.
SPECIAL_TITLES = {"致谢", "鸣谢", "编者按", "编后语", "编后", "启事", "征稿启事", "更正", "声明", "致读者"}

_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$")
_INLINE_TAG_RE = re.compile(r"</?(?:sub|sup|b|i|u|em|strong|span|font|br)\b[^>]*>", re.IGNORECASE)
_MARKERS = "➤►▶▸◆◇■□●○◎★☆▲△▼▽→⇒※·•-–—#*>＞"
_PAGE_RE = re.compile(r"^[-—–－]?\s*(?:第\s*)?\d{1,3}\s*(?:页)?\s*[-—–－]?$")
_ISSUE_RE = re.compile(
    r"(\d{4})\s*年\s*第\s*([0-9一二三四五六七八九十]+)\s*期\s*[（(]\s*总\s*第\s*(\d+)\s*期\s*[)）]"
)
_SHORT_ISSUE_RE = re.compile(r"第([0-9一二三四五六七八九十]+)期[（(]总第(\d+)期[)）]")
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CREDIT_WORDS = ("供稿", "信息来源", "来源：", "来源:", "摘述", "摘编", "撰稿", "供图", "整理）", "整理)")
_SUBHEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+[，、：:])"
)
_FOOTER_RE = re.compile(r"^(?:报|送|抄送|报送|分送|抄报)\s*[:：]")
_TOC_RE = re.compile(r"^(?:本期导读|本期目录|目录|导读)$")
_SENTENCE_END = "。！？；…!?;"
_CLOSERS = "”’」』）)》】"
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

@dataclass
class ParsedItem:
    section: str
    title: str
    paragraphs: list[str]
    credit: str | None = None  # text inside the credit line's outer brackets
    credit_raw: str | None = None  # the credit line as printed
    alliance_raw: str | None = None  # the alliance named in the credit, as printed
    section_raw: str | None = None  # the section header as printed, when it is not canonical
    lines: tuple[int, int] = (0, 0)
    pages: list[int] = field(default_factory=list)  # 1-based pages of the original (PDF/DOCX/scan); [] for text
    ocr: bool = False  # the text came from OCR and may hold recognition errors
    untitled: bool = False  # text found outside any item, kept under a placeholder title

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Masthead:
    year: int
    number: int
    total: int | None
    date: str | None
    publisher: str | None


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
        return (
            self.masthead + self.toc + self.sections + self.titles + self.bodies + self.credits + self.noise
        )

    @property
    def unaccounted(self) -> int:
        return self.total - self.accounted

    def as_dict(self) -> dict[str, int]:
        d = dict(self.__dict__)
        d["unaccounted"] = self.unaccounted
        return d


@dataclass
class ParsedIssue:
    format: str  # "markdown" or "pdf-text"
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


# --------------------------------------------------------------------------- classification


def section_name(text: str, marked: bool = False) -> tuple[str, str] | None:
    """Return (canonical section, printed name) if ``text`` is a section header, else None.

    Known names are recognised in their variants (the TOC writes 试点联盟及协发网网员单位动态);
    an unknown short line behind a section marker (➤, a Wingdings glyph) becomes 其他.
    """
    core = "".join(ch for ch in text if is_cjk(ch) or is_ascii_alnum(ch))
    if not core or len(core) > 24:
        return None
    if core in SECTIONS:
        return core, core
    if not marked:
        # Unmarked lines must be close to a known name, or a short “…动态” line (older issues
        # name their sections 政策动态, 联盟动态, 工作动态…); a title such as
        # 科技部发布最新政策动态 is longer than that.
        best = max(SECTIONS, key=lambda s: difflib.SequenceMatcher(None, core, s).ratio())
        if difflib.SequenceMatcher(None, core, best).ratio() >= 0.85:
            return best, core
        if not (core.endswith("动态") and len(core) <= 8 and not any(p in text for p in "，。；：,;:")):
            return None
    if core.endswith("动态") and len(core) <= 20:
        if "政策" in core:
            return SECTIONS[0], core
        if "试点联盟" in core or "网员单位" in core or core in ("联盟动态", "试点动态"):
            return SECTIONS[2], core
        if "联络组" in core or "协发网" in core:
            return SECTIONS[1], core
        return OTHER_SECTION, core
    if not any(p in text for p in "，。；：,;:") and len(core) <= 12:
        return OTHER_SECTION, core
    return None


def has_marker(raw: str) -> bool:
    s = raw.strip().lstrip("#* ")
    return bool(s) and (s[0] in "➤►▶▸◆◇■□●○◎★☆▲△" or 0xE000 <= ord(s[0]) <= 0xF8FF)


def credit_of(text: str) -> str | None:
    """The text inside the brackets if ``text`` is a credit line such as （XX联盟秘书处供稿）."""
    s = text.strip()
    if len(s) < 4 or s[0] not in "（(" or s[-1] not in "）)":
        return None
    inner = s[1:-1].strip()
    if any(w in s for w in _CREDIT_WORDS):
        return inner
    if "联盟" in inner and inner.endswith(("秘书处", "办公室")) and len(inner) <= 60:
        return inner  # （XX产业技术创新战略联盟秘书处）: a credit without the word 供稿
    return None


def alliance_of_credit(credit: str | None) -> str | None:
    """The alliance a credit names (``<name>秘书处供稿``, ``供稿：<name>``), as printed; None for
    other credits (news sources, the 联盟协发网 secretariat)."""
    if not credit:
        return None
    c = compact(credit)
    if "来源" in c or c.startswith("联盟协发网"):
        return None
    c = re.sub(r"^(?:供稿|稿件提供|提供)(?:单位)?[:：]", "", c)
    m = re.match(r"^(.+?联盟)(?:联盟)*(?:秘书处|办公室)?(?:供稿|提供|撰稿)?$", c)
    if not m:
        return None
    name = m.group(1)
    return None if name.startswith("联盟协发网") else name


def is_page_number(text: str) -> bool:
    return bool(_PAGE_RE.match(text.strip()))


def is_subheading(text: str) -> bool:
    return bool(_SUBHEADING_RE.match(text))


def ends_sentence(text: str) -> bool:
    s = text.rstrip()
    if not s:
        return False
    if s[-1] in _SENTENCE_END:
        return True
    return len(s) >= 2 and s[-1] in _CLOSERS and s[-2] in _SENTENCE_END


def _cn_int(s: str) -> int:
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


# --------------------------------------------------------------------------- reading lines


def _make_lines(text: str, markdown: bool) -> list[Line]:
    lines: list[Line] = []
    for no, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        lead = raw[:1].isspace() if raw else False
        trail = raw[-1:].isspace() if raw else False
        heading = 0
        bold = False
        t = stripped
        if markdown and t:
            m = _HEADING_RE.match(t)
            if m:
                heading = len(m.group(1))
                t = m.group(2)
            if len(t) > 4 and t.startswith("**") and t.endswith("**") and "**" not in t[2:-2]:
                bold = True
            t = re.sub(r"^[-*+]\s+(?=\S)", "", t)  # a list bullet
            t = t.replace("**", "").replace("__", "")
            t = _INLINE_TAG_RE.sub("", t).strip()
        line = Line(no, raw, t, lead, trail, heading, bold)
        line.markup = nonws_len(stripped) - nonws_len(t)
        lines.append(line)
    return lines


def _looks_markdown(text: str) -> bool:
    heads = sum(1 for ln in text.split("\n") if _HEADING_RE.match(ln) and ln.lstrip().startswith("#"))
    return heads >= 3


# --------------------------------------------------------------------------- masthead and TOC


def _find_masthead(lines: list[Line]) -> tuple[Masthead | None, int]:
    """Return the masthead and the index of the first line after it (0 if none)."""
    content = [i for i, ln in enumerate(lines) if ln.text][:20]
    issue_at = None
    for i in content:
        if _ISSUE_RE.search(lines[i].text):
            issue_at = i
            break
    if issue_at is None:
        return _find_short_masthead(lines, content)
    m = _ISSUE_RE.search(lines[issue_at].text)
    assert m is not None
    year, number, total = int(m.group(1)), _cn_int(m.group(2)), int(m.group(3))
    end = issue_at
    date = publisher = None
    for i in content:
        if i <= issue_at:
            continue
        t = lines[i].text
        d = _DATE_RE.search(compact(t))
        rest = _DATE_RE.sub("", compact(t)) if d else compact(t)
        if publisher is None and rest and len(rest) <= 30 and not section_name(t) and not _TOC_RE.match(rest):
            publisher = rest  # 联盟试点工作联络组办公室 (sometimes on the date's line)
            end = i
        if d:
            date = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
            end = i
            break
        if rest != publisher:
            break
    return Masthead(year, number, total, date, publisher), end + 1


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
                year = int(d.group(1)) - (1 if int(d.group(2)) == 1 and _cn_int(m.group(1)) > 2 else 0)
                return Masthead(year, _cn_int(m.group(1)), int(m.group(2)), date, rest), j + 1
    return None, 0


def _find_toc(lines: list[Line], start: int) -> tuple[int, int, list[str]]:
    """Locate 本期导读: return (first, end) line indexes and the listed titles ((start, start, []) if none).

    The TOC repeats the section headers, so the body begins at the first section header whose
    section the TOC has already named.
    """
    toc_at = None
    for i in range(start, min(len(lines), start + 60)):
        t = compact(lines[i].text)
        if not t:
            continue
        if _TOC_RE.match(t):
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
        sec = section_name(ln.text, has_marker(ln.raw))
        if sec:
            if sec[0] in seen:
                end = i
                break
            seen.add(sec[0])
            continue
        if len(ln.text) > 120:  # a paragraph: the body has begun without a repeated header
            end = i
            break
    first = next((ln for ln in lines[toc_at + 1 :] if ln.text and not section_name(ln.text, has_marker(ln.raw))), None)
    if first is not None:
        # The first entry's title opens the body too: the body starts there (or at the section
        # header just above it), even when the TOC repeats no section header.
        key = compact(re.sub(r"^[-*•·]\s*", "", first.text))[:8]
        at = next((j for j in range(first.no, len(lines)) if key and compact(lines[j].text).startswith(key)), None)
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
            not lines[end].text
            or lines[end].raw.lstrip().startswith(("-", "*", "•", "·"))
            or section_name(lines[end].text, has_marker(lines[end].raw))
        ):
            end += 1
    titles = []
    for i in range(toc_at + 1, end):
        ln = lines[i]
        if ln.text and not section_name(ln.text, has_marker(ln.raw)):
            t = re.sub(r"^[-*•·]\s*", "", ln.text)
            t = re.sub(r"[.…·\s]*\d{1,3}$", "", t) if re.search(r"[.…]{2,}\s*\d{1,3}$", t) else t
            titles.append(t.strip())
    return toc_at, end, titles


# --------------------------------------------------------------------------- items


def _title_like(ln: Line) -> bool:
    t = ln.text
    return (
        0 < len(t) <= 60
        and "。" not in t
        and not ends_sentence(t)
        and not t.endswith(("：", ":", "，", ","))
        and credit_of(t) is None
        and not is_subheading(t)
    )


def _title_run(lines: list[Line], i: int, forced: bool, width: int) -> int:
    """Length (in content lines) of the title starting at content line ``i`` of a PDF text, 0 if none.

    A title follows a boundary (section header, credit, paragraph end). Its lines are short, have
    no full stop, and its last line keeps a trailing space; a wrapped title is one full line
    without trailing space, or two short lines that both keep one. When ``forced`` (after a
    credit or section header, where an item must begin) the first line is taken even if it
    does not look like a title.
    """
    n = len(lines)
    if i >= n:
        return 0
    first = lines[i]
    if not _title_like(first):
        return 1 if forced else 0
    k = 1
    while k < 3 and i + k < n:
        cur, nxt = lines[i + k - 1], lines[i + k]
        if nxt.role in (SECTION, CREDIT):
            break
        if not cur.ends:
            if _title_like(nxt) and nxt.ends:
                k += 1
                continue
            break
        if (
            _title_like(nxt) and nxt.ends and len(nxt.text) < 0.95 * width
            and i + k + 1 < n and not lines[i + k + 1].ends
        ):
            k += 1
            continue
        break
    last = lines[i + k - 1]
    if not last.ends and not forced:
        return 0
    if sum(len(lines[j].text) for j in range(i, i + k)) > 80:
        return 1 if forced else 0
    # something must follow a title: a body line
    after = i + k
    if after >= n or lines[after].role in (SECTION, CREDIT):
        return k if forced else 0
    return k


def _mark_block_ends(content: list[Line]) -> int:
    """Decide which trailing spaces end a block (title, paragraph) in PDF text.

    PDF text wraps at real spaces too (…召开 2022 / 年度…, …集中对 / 13 个…): a trailing space
    after a Latin letter or digit, or a full-width line's trailing space before one, is such a
    wrap and ends nothing.
    """
    lengths = sorted(len(ln.text) for ln in content if ln.role == BODY)
    width = lengths[int(len(lengths) * 0.8)] if lengths else 0
    if content and sum(ln.trail for ln in content) < 0.05 * len(content):
        # An extractor that keeps no trailing spaces: a line clearly shorter than the page's
        # width, or one that ends a sentence, ends its block instead.
        for ln in content:
            ln.trail = len(ln.text) < 0.85 * width or ends_sentence(ln.text)
    for n, ln in enumerate(content):
        nxt = content[n + 1].text[:1] if n + 1 < len(content) else ""
        last = ln.text[-1:]
        running = bool(nxt) and (is_ascii_alnum(nxt) or is_cjk(nxt)) and (is_ascii_alnum(last) or is_cjk(last))
        wrap = running and (is_ascii_alnum(last) or (is_ascii_alnum(nxt) and len(ln.text) >= 0.9 * width))
        ln.ends = ln.trail and not wrap
    return width


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


def _paragraphs(body: list[Line], markdown: bool) -> list[str]:
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
                (prev.trail or ln.lead) and ends_sentence(prev.text)
            ) or is_subheading(ln.text) or (is_subheading(prev.text) and prev.trail)
        if new:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return [_join_wrapped(p) for p in paras if any(x.text for x in p)]


def _clean_title(parts: list[Line], toc: list[str]) -> str:
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


def parse(text: str) -> ParsedIssue:
    """Parse the decoded text of one bulletin."""
    markdown = _looks_markdown(text)
    lines = _make_lines(text, markdown)
    balance = Balance(total=nonws_len(text))
    warnings: list[str] = []

    masthead, pos = _find_masthead(lines)
    for ln in lines[:pos]:
        ln.role = MASTHEAD
    toc_first, toc_end, toc = _find_toc(lines, pos)
    for ln in lines[pos:toc_end]:
        ln.role = TOC if ln.text else BLANK
    if toc_first > pos:  # lines between masthead and TOC are masthead matter
        for ln in lines[pos:toc_first]:
            ln.role = MASTHEAD

    # footer: from 报：/送： to the end
    footer_at = len(lines)
    for i in range(len(lines) - 1, toc_end - 1, -1):
        if _FOOTER_RE.match(lines[i].text):
            footer_at = i
    for ln in lines[footer_at:]:
        ln.role = FOOTER

    # first pass: the lines we are sure of
    for ln in lines[toc_end:footer_at]:
        t = ln.text
        if not t:
            ln.role = BLANK
        elif not markdown and is_page_number(t):
            ln.role = NOISE
        elif compact(t) in (BULLETIN_NAME, BULLETIN_NAME[:-2]) or _ISSUE_RE.fullmatch(compact(t)):
            ln.role = NOISE  # running page header: the bulletin's name or its issue line
        elif (ln.heading or not markdown or ln.bold or has_marker(ln.raw)) and section_name(t, has_marker(ln.raw)):
            ln.role = SECTION
        elif credit_of(t) is not None:
            ln.role = CREDIT
        else:
            ln.role = BODY
    content = [ln for ln in lines[toc_end:footer_at] if ln.role in (SECTION, CREDIT, BODY)]
    # a credit wrapped over two lines: （… / …供稿）
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
            merged.append(Line(prev.no, prev.raw + ln.raw, prev.text + ln.text, prev.lead, ln.trail, role=CREDIT))
            continue
        merged.append(ln)
    content = merged
    width = _mark_block_ends(content)

    # second pass: titles
    if markdown:
        for ln in content:
            if ln.role == BODY and (ln.heading or ln.bold) and not is_subheading(ln.text) and len(ln.text) <= 120:
                ln.role = TITLE
    else:
        i = 0
        boundary, forced = True, True
        while i < len(content):
            ln = content[i]
            if ln.role == SECTION:
                boundary = forced = True
                i += 1
                continue
            if ln.role == CREDIT:
                boundary = forced = True
                i += 1
                continue
            if boundary:
                k = _title_run(content, i, forced, width)
                if k:
                    for j in range(i, i + k):
                        content[j].role = TITLE
                    i += k
                    boundary = forced = False
                    continue
            boundary = ln.ends and ends_sentence(ln.text)
            forced = False
            i += 1

    # assemble items
    items: list[ParsedItem] = []
    section, section_raw = OTHER_SECTION, None
    cur_title: list[Line] = []
    cur_body: list[Line] = []
    orphan: list[Line] = []

    def flush(credit_line: Line | None = None) -> None:
        nonlocal cur_title, cur_body
        if not cur_title:
            return
        title = _clean_title(cur_title, toc)
        credit = credit_of(credit_line.text) if credit_line else None
        sec = OTHER_SECTION if compact(title) in SPECIAL_TITLES else section
        last = credit_line.no if credit_line else (cur_body[-1].no if cur_body else cur_title[-1].no)
        items.append(
            ParsedItem(
                section=sec,
                title=title,
                paragraphs=_paragraphs(cur_body, markdown),
                credit=credit,
                credit_raw=credit_line.text if credit_line else None,
                alliance_raw=alliance_of_credit(credit),
                section_raw=section_raw if sec == section else None,
                lines=(cur_title[0].no, last),
            )
        )
        cur_title, cur_body = [], []

    for ln in content:
        if ln.role == SECTION:
            flush()
            sec = section_name(ln.text, True)
            assert sec is not None
            section = sec[0]
            section_raw = sec[1] if sec[1] != sec[0] else None
            balance.sections += nonws_len(ln.text)
        elif ln.role == TITLE:
            if cur_title and not cur_body:
                cur_title.append(ln)  # a title wrapped over two headings/lines
            else:
                flush()
                cur_title = [ln]
        elif ln.role == CREDIT:
            if cur_title:
                flush(ln)
            else:
                orphan.append(ln)
        elif cur_title:
            cur_body.append(ln)
        else:
            orphan.append(ln)

    flush()

    if orphan:
        # Text outside any item (before the first title): keep it, as an untitled item, so that
        # nothing is lost, and say so.
        body = [ln for ln in orphan if ln.role != CREDIT]
        credit_line = next((ln for ln in orphan if ln.role == CREDIT), None)
        if body or credit_line:
            first = (body or [credit_line])[0]
            assert first is not None
            warnings.append(f"第 {first.no} 行起有 {len(orphan)} 行不属于任何条目，已存为“（无标题）”条目")
            items.insert(
                0,
                ParsedItem(
                    section=OTHER_SECTION,
                    title="（无标题）",
                    paragraphs=_paragraphs(body, markdown),
                    credit=credit_of(credit_line.text) if credit_line else None,
                    credit_raw=credit_line.text if credit_line else None,
                    lines=(first.no, orphan[-1].no),
                    untitled=True,
                ),
            )

    # balance
    for ln in lines:
        balance.noise += ln.markup
        if ln.role == MASTHEAD:
            balance.masthead += nonws_len(ln.text)
        elif ln.role == TOC:
            balance.toc += nonws_len(ln.text)
        elif ln.role in (NOISE, FOOTER):
            balance.noise += nonws_len(ln.text)
    for it in items:
        balance.titles += 0 if it.untitled else nonws_len(it.title)
        balance.bodies += sum(nonws_len(p) for p in it.paragraphs)
        balance.credits += nonws_len(it.credit_raw or "")
    if balance.unaccounted:
        warnings.append(f"有 {balance.unaccounted} 个字符未能归入任何部分")

    year, number, total, date, inferred = _period(masthead, text)
    if toc and len(toc) != len(items):
        warnings.append(f"目录列出 {len(toc)} 条，正文识别出 {len(items)} 条")
    return ParsedIssue(
        format="markdown" if markdown else "pdf-text",
        masthead=masthead,
        year=year,
        number=number,
        total=total,
        date=date,
        inferred=inferred,
        items=items,
        toc=toc,
        balance=balance,
        warnings=warnings,
    )


def _period(masthead: Masthead | None, text: str) -> tuple[int | None, int | None, int | None, str | None, bool]:
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
