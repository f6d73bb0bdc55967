"""Word .docx → lines with layout cues, through python-docx.

One ``Line`` per paragraph, or per visual line where a paragraph holds line breaks (``w:br``,
``w:cr``). Each line carries what Word says about it: the heading level of its style (or outline
level), alignment, first-line indent, dominant font size, font and colour, whether it is wholly
bold, the space before it, and its list label (numbering is text the reader sees, so the label is
part of the line). Tables are read cell by cell (a table of contents is often a table), text boxes
before the paragraph that anchors them. Formatting is resolved through the style chain and the
document defaults, so a bold *style* is bold like a bold run.

Page headers and footers are running heads: their characters are counted as noise and never
become lines. Word does not store where pages break; ``page`` is estimated: explicit breaks
(``w:br w:type=page``, page-break-before, section breaks), Word's own ``w:lastRenderedPageBreak``
where the file has them, and otherwise a simple flow of the lines over the section's text box.
The classifier judges typography against this document's body, so no absolute size matters here.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..errors import InputError
from ..lines import Line
from ..text import is_cjk, nonws_len
from . import Document, ReadContext

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_HEADING_STYLE_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DEFAULT_SIZE = 10.5  # pt, Word's default for East Asian documents when nothing says otherwise


def _int(v: str | None, default: int = 0) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def _val(el: Any, tag: str, attr: str = "val") -> str | None:
    """The ``w:attr`` of the child ``w:tag`` of ``el`` (None if either is missing)."""
    if el is None:
        return None
    child = el.find(W + tag)
    return None if child is None else child.get(W + attr)


def _on(el: Any, tag: str) -> bool | None:
    """A toggle property (``<w:b/>``, ``<w:b w:val="0"/>``): True, False, or None when absent."""
    if el is None:
        return None
    child = el.find(W + tag)
    if child is None:
        return None
    return child.get(W + "val") not in ("0", "false", "off", "none")


# --------------------------------------------------------------------------- styles


@dataclass
class _Props:
    """Resolved paragraph and run defaults of a paragraph style."""

    size: float | None = None
    bold: bool | None = None
    color: int | None = None
    font: str | None = None
    align: str | None = None
    first_line: float | None = None  # pt
    first_chars: float | None = None  # hundredths of a character
    left: float | None = None  # pt
    before: float | None = None  # pt
    after: float | None = None  # pt
    line: tuple[int, str] | None = None  # (w:line, w:lineRule)
    outline: int | None = None
    heading: int = 0
    vanish: bool | None = None
    num: tuple[str, int] | None = None


_ALIGN = {"center": "center", "right": "right", "end": "right", "both": "justify", "distribute": "justify",
          "left": "left", "start": "left", "justify": "justify"}


def _rpr_into(p: _Props, rpr: Any) -> None:
    if rpr is None:
        return
    sz = _val(rpr, "sz")
    if sz is not None:
        p.size = _int(sz) / 2
    b = _on(rpr, "b")
    if b is not None:
        p.bold = b
    c = _val(rpr, "color")
    if c and re.fullmatch(r"[0-9A-Fa-f]{6}", c):
        p.color = int(c, 16)
    f = rpr.find(W + "rFonts")
    if f is not None:
        p.font = f.get(W + "eastAsia") or f.get(W + "ascii") or p.font
    v = _on(rpr, "vanish")
    if v is not None:
        p.vanish = v


def _ppr_into(p: _Props, ppr: Any) -> None:
    if ppr is None:
        return
    jc = _val(ppr, "jc")
    if jc:
        p.align = _ALIGN.get(jc, "left")
    ind = ppr.find(W + "ind")
    if ind is not None:
        if ind.get(W + "firstLineChars") is not None:
            p.first_chars, p.first_line = float(_int(ind.get(W + "firstLineChars"))), None
        elif ind.get(W + "hangingChars") is not None:
            p.first_chars, p.first_line = -float(_int(ind.get(W + "hangingChars"))), None
        elif ind.get(W + "firstLine") is not None:
            p.first_line, p.first_chars = _int(ind.get(W + "firstLine")) / 20, None
        elif ind.get(W + "hanging") is not None:
            p.first_line, p.first_chars = -_int(ind.get(W + "hanging")) / 20, None
        left = ind.get(W + "left") or ind.get(W + "start")
        if left is not None:
            p.left = _int(left) / 20
    sp = ppr.find(W + "spacing")
    if sp is not None:
        if sp.get(W + "before") is not None:
            p.before = _int(sp.get(W + "before")) / 20
        if sp.get(W + "after") is not None:
            p.after = _int(sp.get(W + "after")) / 20
        if sp.get(W + "line") is not None:
            p.line = (_int(sp.get(W + "line")), sp.get(W + "lineRule") or "auto")
    ol = _val(ppr, "outlineLvl")
    if ol is not None and _int(ol, 9) < 9:
        p.outline = _int(ol)
    num = ppr.find(W + "numPr")
    if num is not None:
        nid = _val(num, "numId")
        if nid is not None:
            p.num = (nid, _int(_val(num, "ilvl")))


class _Styles:
    """Paragraph and character styles resolved through ``w:basedOn`` onto the document defaults."""

    def __init__(self, styles_el: Any):
        self.by_id: dict[str, Any] = {}
        self.default_para: str | None = None
        self.base = _Props()
        if styles_el is None:
            return
        dd = styles_el.find(W + "docDefaults")
        if dd is not None:
            _rpr_into(self.base, dd.find(f"{W}rPrDefault/{W}rPr"))
            _ppr_into(self.base, dd.find(f"{W}pPrDefault/{W}pPr"))
        for st in styles_el.findall(W + "style"):
            sid = st.get(W + "styleId")
            if sid:
                self.by_id[sid] = st
                if st.get(W + "type") == "paragraph" and st.get(W + "default") in ("1", "true"):
                    self.default_para = sid
        self._cache: dict[str | None, _Props] = {}

    def _chain(self, sid: str | None) -> list[Any]:
        out: list[Any] = []
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            st = self.by_id[sid]
            out.append(st)
            sid = _val(st, "basedOn")
        return out[::-1]

    def para(self, sid: str | None) -> _Props:
        sid = sid if sid in self.by_id else self.default_para
        if sid in self._cache:
            return self._cache[sid]
        p = _Props(**self.base.__dict__)
        for st in self._chain(sid):
            _ppr_into(p, st.find(W + "pPr"))
            _rpr_into(p, st.find(W + "rPr"))
        if sid in self.by_id:
            st = self.by_id[sid]
            name = (_val(st, "name") or "").strip()
            m = _HEADING_STYLE_RE.match(name) or _HEADING_STYLE_RE.match(sid)
            if m:
                p.heading = int(m.group(1))
            elif name.lower() in ("title", "标题"):
                p.heading = 1
            elif p.outline is not None:
                p.heading = p.outline + 1
        self._cache[sid] = p
        return p

    def run(self, sid: str | None, into: _Props) -> None:
        for st in self._chain(sid):
            _rpr_into(into, st.find(W + "rPr"))


# --------------------------------------------------------------------------- numbering


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                 (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out, n = out + s, n - v
    return out


_CN = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        return _chinese(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """List labels as Word draws them: ``lvlText`` with each level's counter in its format."""

    def __init__(self, numbering_el: Any):
        self.abstract: dict[str, Any] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        if numbering_el is None:
            return
        for a in numbering_el.findall(W + "abstractNum"):
            self.abstract[a.get(W + "abstractNumId") or ""] = a
        for n in numbering_el.findall(W + "num"):
            overrides = {}
            for o in n.findall(W + "lvlOverride"):
                start = _val(o, "startOverride")
                if start is not None:
                    overrides[_int(o.get(W + "ilvl"))] = _int(start, 1)
            self.nums[n.get(W + "numId") or ""] = (_val(n, "abstractNumId") or "", overrides)

    def _level(self, aid: str, ilvl: int) -> Any:
        a = self.abstract.get(aid)
        if a is None:
            return None
        for lvl in a.findall(W + "lvl"):
            if _int(lvl.get(W + "ilvl")) == ilvl:
                return lvl
        return None

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id == "0" or num_id not in self.nums:
            return ""
        aid, overrides = self.nums[num_id]
        lvl = self._level(aid, ilvl)
        if lvl is None:
            return ""
        counts = self.counters.setdefault(aid, [0] * 9)
        ilvl = min(max(ilvl, 0), 8)
        start = overrides.get(ilvl, _int(_val(lvl, "start"), 1))
        counts[ilvl] = start if counts[ilvl] == 0 else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        text = _val(lvl, "lvlText") or ""
        fmt = _val(lvl, "numFmt") or "decimal"
        if fmt == "bullet":
            return text

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lk = self._level(aid, k)
            kfmt = (_val(lk, "numFmt") if lk is not None else None) or "decimal"
            value = counts[k] or overrides.get(k, _int(_val(lk, "start"), 1) if lk is not None else 1)
            return _format_number(value, kfmt)

        return re.sub(r"%([1-9])", sub, text)


# --------------------------------------------------------------------------- reading


@dataclass
class _Piece:
    """One visual line while a paragraph is read: its runs as (text, size, bold, colour, font)."""

    runs: list[tuple[str, float, bool, int | None, str | None]] = field(default_factory=list)
    page_break_before: bool = False


@dataclass
class _Section:
    width: float = 595.3 - 2 * 90  # pt: A4 with Word's default margins
    height: float = 841.9 - 2 * 72
    new_page: bool = True  # the section starts on a new page (not "continuous")


def _section_of(sect: Any) -> _Section:
    s = _Section()
    if sect is None:
        return s
    sz, mar = sect.find(W + "pgSz"), sect.find(W + "pgMar")
    pw = _int(sz.get(W + "w"), 11906) / 20 if sz is not None else 595.3
    ph = _int(sz.get(W + "h"), 16838) / 20 if sz is not None else 841.9
    if mar is not None:
        s.width = pw - (_int(mar.get(W + "left"), 1800) + _int(mar.get(W + "right"), 1800)) / 20
        s.height = ph - (abs(_int(mar.get(W + "top"), 1440)) + abs(_int(mar.get(W + "bottom"), 1440))) / 20
    s.new_page = _val(sect, "type") not in ("continuous",)
    return s


class _Reader:
    def __init__(self, document: Any):
        part = document.part
        self.styles = _Styles(part.styles.element if _has_part(part, "styles") else None)
        numbering = None
        try:
            numbering = part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        self.numbering = _Numbering(numbering)
        self.body = document.element.body
        self.rendered = any(True for _ in self.body.iter(W + "lastRenderedPageBreak"))
        self.lines: list[Line] = []
        self.page = 1
        self.pending_break = False
        self.carry = 0  # pages a paragraph ran over (estimate), applied after its line
        self.y = 0.0  # estimated flow position on the page (pt), when Word left no rendered breaks
        self.para_no = 0
        self.noise = 0
        sects = list(self.body.iter(W + "sectPr"))
        self.section = _section_of(sects[0] if sects else None)

    # -- pages

    def _break(self) -> None:
        self.pending_break = True

    def _flow(self, height: float, pitch: float) -> None:
        """Estimate the page: move down by ``height``. A line that no longer fits starts a new page;
        a paragraph that runs past the bottom goes on over the next page(s) (``carry``)."""
        if self.rendered:
            return
        if self.pending_break:
            self.y = 0.0
        elif self.y > 0 and self.y + pitch > self.section.height:
            self.pending_break = True
            self.y = 0.0
        self.y += height
        while self.y > self.section.height:
            self.y -= self.section.height
            self.carry += 1

    def _take_break(self) -> None:
        if self.pending_break:
            self.page += 1
            self.pending_break = False

    # -- paragraphs

    def block(self, el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child)
            elif tag == W + "tbl":
                self.table(child)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.block(content)
            elif tag in (W + "customXml", f"{MC}AlternateContent"):
                self.block(child)

    def table(self, tbl: Any) -> None:
        for tr in tbl.findall(W + "tr"):  # this table's rows; a nested table is read inside its cell
            # the cells of a row stand side by side: the row is as tall as its tallest cell
            start = end = (self.page, self.y, self.pending_break)
            for tc in tr.findall(W + "tc"):
                if _val(tc.find(W + "tcPr"), "vMerge") == "continue":
                    continue  # the cell above, merged down, was read already
                self.page, self.y, self.pending_break = start
                self.block(tc)
                end = max(end, (self.page, self.y, self.pending_break))
            self.page, self.y, self.pending_break = end

    def paragraph(self, p: Any) -> None:
        ppr = p.find(W + "pPr")
        props = _Props(**self.styles.para(_val(ppr, "pStyle")).__dict__)
        _ppr_into(props, ppr)
        if not props.heading and props.outline is not None:
            props.heading = props.outline + 1  # an outline level set on the paragraph itself
        if _on(ppr, "pageBreakBefore"):
            self._break()
        # text boxes anchored here are read first (the Choice branch only: the Fallback repeats it)
        for box in p.iter(W + "txbxContent"):
            if not any(a.tag == f"{MC}Fallback" for a in box.iterancestors()):
                self.block(box)
        pieces = [_Piece()]
        label = self.numbering.label(*props.num) if props.num else ""
        for r in _runs(p):
            rpr = r.find(W + "rPr")
            rp = _Props(size=props.size, bold=props.bold, color=props.color, font=props.font, vanish=props.vanish)
            self.styles.run(_val(rpr, "rStyle"), rp)
            _rpr_into(rp, rpr)
            if rp.vanish:
                continue
            size = rp.size or _DEFAULT_SIZE
            for c in r:
                tag = c.tag
                if tag == W + "t":
                    text = c.text or ""
                    if text:
                        pieces[-1].runs.append((text, size, bool(rp.bold), rp.color, rp.font))
                elif tag == W + "tab":
                    pieces[-1].runs.append(("\t", size, bool(rp.bold), rp.color, rp.font))
                elif tag in (W + "br", W + "cr"):
                    kind = c.get(W + "type")
                    if kind == "page" or kind == "column":
                        pieces.append(_Piece(page_break_before=True))
                    else:
                        pieces.append(_Piece())
                elif tag == W + "lastRenderedPageBreak":
                    if pieces[-1].runs:
                        pieces.append(_Piece(page_break_before=True))
                    else:
                        pieces[-1].page_break_before = True
                elif tag == W + "noBreakHyphen":
                    pieces[-1].runs.append(("-", size, bool(rp.bold), rp.color, rp.font))
                elif tag == W + "sym":
                    ch = c.get(W + "char")
                    if ch and re.fullmatch(r"[0-9A-Fa-f]{4}", ch):
                        pieces[-1].runs.append((chr(int(ch, 16)), size, bool(rp.bold), rp.color, rp.font))
        if label:
            first = pieces[0]
            first.runs.insert(0, (label + " ", props.size or _DEFAULT_SIZE, bool(props.bold), props.color, props.font))
        self.para_no += 1
        self._emit(pieces, props)
        sect = ppr.find(W + "sectPr") if ppr is not None else None
        if sect is not None:
            # a section ends with this paragraph; the next one's settings come from the next sectPr
            nxt = _next_sect(p)
            self.section = _section_of(nxt)
            if self.section.new_page:
                self._break()

    def _emit(self, pieces: list[_Piece], props: _Props) -> None:
        visible = [pc for pc in pieces if "".join(t for t, *_ in pc.runs).strip()]
        body_size = props.size or _DEFAULT_SIZE
        line_pitch = _pitch(props, body_size)
        if not visible:
            for pc in pieces:
                if pc.page_break_before:
                    self._break()
            self._flow((props.before or 0) + line_pitch + (props.after or 0), line_pitch)
            self.page += self.carry
            self.carry = 0
            return
        last = visible[-1]
        first_vis = True
        for pc in pieces:
            if pc.page_break_before:
                self._break()
            raw = _CONTROL_RE.sub("", "".join(t for t, *_ in pc.runs))
            if not raw.strip():
                continue
            text = re.sub(r"\s+", " ", raw.replace("\u3000", " ")).strip() if "\t" in raw else raw.strip()
            weights: Counter[tuple[float, bool, int | None, str | None]] = Counter()
            bold_chars = all_chars = 0
            for t, size, bold, color, font in pc.runs:
                n = nonws_len(t)
                if n:
                    weights[(size, bold, color, font)] += n
                    all_chars += n
                    bold_chars += n if bold else 0
            size, _, color, font = weights.most_common(1)[0][0]
            indent = (props.left or 0.0)
            if first_vis:
                if props.first_chars is not None:
                    indent += props.first_chars / 100 * size
                elif props.first_line is not None:
                    indent += props.first_line
            wraps = max(1, math.ceil(_text_width(text, size) / max(self.section.width - indent, 50)))
            height = wraps * _pitch(props, size) + ((props.before or 0) if first_vis else 0)
            if pc is last:
                height += props.after or 0
            self._flow(height, _pitch(props, size))
            self._take_break()
            no = len(self.lines) + 1
            ln = Line(
                no, raw, text, lead=indent > 0.5, trail=pc is last, heading=props.heading,
                bold=all_chars > 0 and bold_chars == all_chars, source="docx",
            )
            ln.ends = pc is last
            ln.page = self.page
            ln.size = size
            ln.font = font
            ln.color = color
            ln.align = props.align or "left"
            ln.indent = indent
            ln.space_before = (props.before or 0.0) if first_vis else 0.0
            ln.paragraph = self.para_no
            self.lines.append(ln)
            self.page += self.carry
            self.carry = 0
            first_vis = False

    def running_heads(self, document: Any) -> int:
        """Characters of every page header and footer (counted once per part): noise, never items."""
        seen: set[str] = set()
        n = 0
        for rel in document.part.rels.values():
            if rel.reltype.endswith(("/header", "/footer")) and not rel.is_external:
                part = rel.target_part
                name = str(part.partname)
                if name in seen:
                    continue
                seen.add(name)
                try:
                    root = etree.fromstring(part.blob)
                except Exception:  # a damaged header costs its text, not the import
                    continue
                n += sum(nonws_len(t.text or "") for t in root.iter(W + "t"))
        return n


def _has_part(part: Any, what: str) -> bool:
    try:
        return getattr(part, what) is not None
    except (KeyError, NotImplementedError):
        return False


def _next_sect(p: Any) -> Any:
    """The ``sectPr`` that governs what follows paragraph ``p`` (the next one in the body)."""
    found = False
    for sp in p.getroottree().getroot().iter(W + "sectPr"):
        if found:
            return sp
        if sp.getparent() is not None and sp.getparent().getparent() is p:
            found = True
    return None


def _runs(p: Any) -> list[Any]:
    """The paragraph's runs in order, inside hyperlinks, fields, insertions and smart tags; not
    deleted text, moved-from text, or text boxes (read as their own paragraphs)."""
    out: list[Any] = []

    def walk(el: Any) -> None:
        for c in el:
            tag = c.tag
            if tag == W + "r":
                out.append(c)
            elif tag in (W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "rt", W + "txbxContent"):
                continue  # deleted text, ruby guides, text boxes (read as paragraphs of their own)
            elif tag == f"{MC}AlternateContent":
                choice = c.find(f"{MC}Choice")
                if choice is not None:
                    walk(choice)
            elif isinstance(tag, str):
                walk(c)

    walk(p)
    return out


def _text_width(text: str, size: float) -> float:
    return sum(size if (is_cjk(ch) or ord(ch) > 0x2E80) else 0.5 * size for ch in text)


def _pitch(props: _Props, size: float) -> float:
    """Line pitch in pt from the paragraph's spacing (auto: a multiple of the font's own ~1.3 em)."""
    if props.line is None:
        return 1.3 * size
    value, rule = props.line
    if rule == "auto":
        return 1.2 * size * value / 240
    return value / 20


def read(data: bytes, name: str, ctx: ReadContext) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, KeyError, ValueError) as e:
        damaged = isinstance(e, zipfile.BadZipFile | zlib.error) or "zip" in str(e).lower()
        detail = "文件已损坏或不完整" if damaged else "这个压缩包不是 Word 文档"
        raise InputError(f"{name}：无法作为 Word 文档（DOCX）读取：{detail}") from None
    except Exception as e:  # lxml.etree.XMLSyntaxError and kin: a damaged part inside the package
        if type(e).__module__.startswith(("lxml", "docx", "zipfile")) or isinstance(e, (OSError, EOFError)):
            raise InputError(f"{name}：无法作为 Word 文档（DOCX）读取：文件已损坏（{type(e).__name__}）") from None
        raise
    reader = _Reader(document)
    ctx.report(0, 1, name)
    reader.block(reader.body)
    doc = Document(reader.lines, kind="docx", pages=reader.page, original=data, original_suffix=".docx")
    doc.noise = reader.running_heads(document)  # type: ignore[attr-defined]
    if not reader.lines:
        raise InputError(f"{name}：Word 文档中没有文字")
    ctx.report(1, 1, name)
    return doc
