"""Export selected items to a document: Word (.docx), PDF, Markdown, HTML.

One entry point, :func:`export_iter`, a generator of progress records that takes a cancel flag
(the GUI runs it in a worker); :func:`export_items` runs it to the end. The document is written
to a temporary file beside the target and renamed into place, so a failure or a cancel never
leaves half a document, and an existing file is only replaced with ``force``.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .atomic import temp_beside
from .errors import Cancelled, InputError, JianbaoError
from .labels import BULLETIN, item_meta
from .progress import Progress
from .store import Library

# the export formats, in menu order, with the name the user sees: the CLI and the dialog use these
FORMAT_NAMES = {"docx": "Word 文档", "pdf": "PDF", "md": "Markdown", "html": "网页"}
FORMATS = tuple(FORMAT_NAMES)
SUFFIX = {fmt: f".{fmt}" for fmt in FORMATS}
BY_SUFFIX = {**{fmt: fmt for fmt in FORMATS}, "markdown": "md", "htm": "html"}
BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"


@dataclass
class Entry:
    item: dict[str, Any]
    note: str | None = None

    @property
    def meta_line(self) -> str:
        return item_meta(self.item, bulletin=True)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in (self.item.get("body") or "").split("\n") if p.strip()]


def select_ids(
    lib: Library,
    ids: Iterable[int] = (),
    query: str | None = None,
    alliance: str | None = None,
    bookmarks: bool = False,
) -> list[int]:
    """Item ids from explicit ids, a search, an alliance and the bookmarks, in that order, once each."""
    out: list[int] = list(dict.fromkeys(ids))
    if query:
        from .search import open_searcher
        from .upkeep import update_index

        update_index(lib)  # the ranking decides the order: bring a lagging index up first
        with open_searcher(lib) as s:
            out += [h.id for h in s.search(query, alliance=alliance, limit=None).hits]
    elif alliance:
        out += [r["id"] for r in lib.items(alliance=alliance)]
    if bookmarks:
        out += [b["id"] for b in lib.bookmarks.list() if b["title"] is not None]
    return list(dict.fromkeys(out))


# Few enough ids per query for any SQLite build (older ones allow 999 variables, ours 32,766).
ID_CHUNK = 500
# Characters XML 1.0 cannot hold (python-docx refuses them; HTML and PDF gain nothing from them)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def resolve_format(output: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else the one the file name's extension names.

    A file name that names one format while ``fmt`` says another is refused (``x.pdf`` with
    ``docx`` would give a Word file that PDF readers cannot open).
    """
    suffix = Path(output).suffix.lstrip(".").lower()
    named = BY_SUFFIX.get(suffix)
    if fmt is None:
        if named is None:
            raise InputError(f"无法从文件名判断导出格式：{Path(output).name}（请以 .docx、.pdf、.md 或 .html 结尾，或给出 --format）")
        return named
    if fmt not in FORMATS:
        raise InputError(f"不支持的导出格式：{fmt}（可选 {', '.join(FORMATS)}）")
    if named is not None and named != fmt:
        raise InputError(f"文件名 {Path(output).name} 是 .{suffix}，与导出格式 {fmt} 矛盾：请改文件名或 --format")
    return fmt


def _entries(lib: Library, ids: list[int], group_by_issue: bool, notes: bool) -> list[Entry]:
    rows: dict[int, dict[str, Any]] = {}
    limit = lib.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    chunk = max(1, min(ID_CHUNK, limit - 4))
    for at in range(0, len(ids), chunk):
        rows.update((r["id"], r) for r in lib.items(ids=ids[at : at + chunk]))
    for r in rows.values():  # text imported before control characters were stripped at import
        for k, v in r.items():
            if isinstance(v, str) and _XML_INVALID.search(v):
                r[k] = _XML_INVALID.sub("", v)
    for i, pages in lib.item_pages(ids).items():
        rows[i]["pages"] = pages  # the meta line cites them
    missing = [i for i in ids if i not in rows]
    if missing:
        raise InputError(f"没有这些条目：{', '.join(map(str, missing))}")
    marks = lib.bookmarks.by_id() if notes else {}
    entries = [Entry(rows[i], (marks.get(i) or {}).get("note") or None) for i in ids]
    if group_by_issue:
        entries.sort(key=lambda e: (-(e.item["year"] or 0), -(e.item["number"] or 0), -e.item["issue_id"], e.item["position"]))
    return entries


def export_items(lib: Library, ids: list[int], output: str | os.PathLike[str], **kw: Any) -> Path:
    path: Path | None = None
    for p in export_iter(lib, ids, output, **kw):
        path = p.result or path
    assert path is not None
    return path


def export_iter(
    lib: Library,
    ids: list[int],
    output: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    group_by_issue: bool = False,
    notes: bool = False,
    force: bool = False,
    title: str | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[Progress]:
    out = Path(output)
    fmt = resolve_format(out, fmt)
    if out.exists() and not force:
        raise InputError(f"文件已存在：{out}（使用 --force 覆盖）")
    if not out.parent.exists():
        raise InputError(f"文件夹不存在：{out.parent}")
    entries = _entries(lib, ids, group_by_issue, notes)
    heading = title or f"{BULLETIN}条目汇编"
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    subtitle = f"导出于 {stamp} · 共 {len(entries)} 条"
    writer = {"docx": _DocxWriter, "pdf": _PdfWriter, "md": _MarkdownWriter, "html": _HtmlWriter}[fmt](
        heading, subtitle, entries, group_by_issue
    )
    tmp = _temp_file(out)
    try:
        yield Progress(0, len(entries), "开始导出")
        for n, e in enumerate(entries, 1):
            if cancelled():
                raise Cancelled("导出已取消")
            writer.add(e)
            if n % 25 == 0 or n == len(entries):
                yield Progress(n, len(entries), e.item["title"])
        writer.save(tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    yield Progress(len(entries), len(entries), "导出完成", out)


def _temp_file(out: Path) -> Path:
    try:
        return temp_beside(out)
    except OSError as e:
        raise InputError(f"无法在 {out.parent} 中写入文件（{e.strerror}）") from None


def _groups(entries: list[Entry]) -> Iterator[tuple[str | None, Entry]]:
    """(issue heading when it changes, entry)."""
    last = None
    for e in entries:
        key = e.item["issue_id"]
        label = item_meta(e.item, ("date",))
        yield (label if key != last else None), e
        last = key


class _Writer:
    def __init__(self, title: str, subtitle: str, entries: list[Entry], grouped: bool):
        self.title, self.subtitle, self.entries, self.grouped = title, subtitle, entries, grouped
        self._heads = {id(e): h for h, e in _groups(entries)} if grouped else {}
        self.count = 0

    def add(self, e: Entry) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def save(self, path: Path) -> None:  # pragma: no cover - interface
        raise NotImplementedError


# --------------------------------------------------------------------------- DOCX


class _DocxWriter(_Writer):
    def __init__(self, *a: Any):
        super().__init__(*a)
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        self.Pt, self.RGB, self.ALIGN = Pt, RGBColor, WD_ALIGN_PARAGRAPH
        doc = self.doc = Document()
        _chinese_a4(doc)
        for name, font, size in (("Normal", BODY_FONT, 12), ("Title", HEADING_FONT, 20),
                                 ("Heading 1", HEADING_FONT, 15), ("Heading 2", HEADING_FONT, 14)):
            st = doc.styles[name]
            st.font.size = Pt(size)
            _east_asia(st.element, font)
            if name != "Normal":
                st.font.color.rgb = RGBColor(0, 0, 0)
        # Word lays the title out itself; break it where balanced_lines would, so that it never
        # leaves a character or two alone on its last line (CJK 1 em, Latin about ½ em).
        from .typeset import balanced_lines

        size = doc.styles["Title"].font.size.pt
        text_width = (A4_TWIPS[0] - MARGINS_TWIPS["left"] - MARGINS_TWIPS["right"]) / 20
        lines = balanced_lines(self.title, lambda s: sum(size * (0.5 if c.isascii() else 1.0) for c in s), text_width * 0.97)
        title = doc.add_paragraph(style="Title")
        for n, line in enumerate(lines):
            run = title.add_run(line)
            if n < len(lines) - 1:
                run.add_break()
        p = doc.add_paragraph(self.subtitle)
        p.runs[0].font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        doc.add_paragraph("目录", style="Heading 1")
        for n, e in enumerate(self.entries, 1):
            p = doc.add_paragraph(f"{n}. {e.item['title']}")
            p.paragraph_format.space_after = Pt(0)
        doc.add_page_break()

    def add(self, e: Entry) -> None:
        Pt, doc = self.Pt, self.doc
        head = self._heads.get(id(e))
        if head:
            doc.add_paragraph(head, style="Heading 1")
        self.count += 1
        doc.add_paragraph(e.item["title"], style="Heading 2" if self.grouped else "Heading 1")
        meta = doc.add_paragraph()
        run = meta.add_run(e.meta_line)
        run.font.size = Pt(10.5)
        run.font.color.rgb = self.RGB(0x59, 0x59, 0x59)
        for para in e.paragraphs:
            p = doc.add_paragraph(para)
            p.paragraph_format.first_line_indent = Pt(24)  # two characters at 12 pt
            p.paragraph_format.line_spacing = 1.5
        if e.item.get("credit"):
            p = doc.add_paragraph(f"（{e.item['credit']}）")
            p.alignment = self.ALIGN.RIGHT
        if e.note:
            p = doc.add_paragraph()
            r = p.add_run(f"备注：{e.note}")
            r.italic = True
            r.font.color.rgb = self.RGB(0x80, 0x40, 0x00)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


# A4 in twips, and the margins Word and WPS use for Chinese documents (上下 2.54 cm, 左右 3.18 cm).
A4_TWIPS = (11906, 16838)
MARGINS_TWIPS = {"top": 1440, "bottom": 1440, "left": 1800, "right": 1800, "header": 851, "footer": 992}


def _chinese_a4(doc: Any) -> None:
    """A4 paper, Chinese margins, the language marked zh-CN (spelling, line breaking, fonts),
    and centred page numbers in the footer."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Twips

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
    for side, twips in MARGINS_TWIPS.items():
        setattr(sec, f"{side}_margin" if side in ("top", "bottom", "left", "right") else f"{side}_distance", Twips(twips))
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), "zh-CN")
        theme.set(qn("w:eastAsia"), "zh-CN")
    footer = sec.footer.paragraphs[0]
    footer.alignment = 1  # centre
    run = footer.add_run()
    for tag, attrs, text in (("w:fldChar", {"w:fldCharType": "begin"}, None), ("w:instrText", {}, " PAGE "),
                             ("w:fldChar", {"w:fldCharType": "end"}, None)):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        if text:
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _east_asia(style_element: Any, font: str) -> None:
    """Set w:rFonts/@w:eastAsia, which Word and WPS use for Chinese text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), font)


# --------------------------------------------------------------------------- Markdown and HTML

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def md_escape(text: str) -> str:
    """Bulletin text as Markdown that renders as the same text, never as markup."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


class _MarkdownWriter(_Writer):
    def __init__(self, *a: Any):
        super().__init__(*a)
        self.out = [f"# {md_escape(self.title)}", "", md_escape(self.subtitle), "", "## 目录", ""]
        self.out += [f"{n}. {md_escape(e.item['title'])}" for n, e in enumerate(self.entries, 1)]
        self.out.append("")

    def add(self, e: Entry) -> None:
        head = self._heads.get(id(e))
        if head:
            self.out += [f"## {md_escape(head)}", ""]
        level = "###" if self.grouped else "##"
        self.out += [f"{level} {md_escape(e.item['title'])}", "", f"*{md_escape(e.meta_line)}*", ""]
        for para in e.paragraphs:
            self.out += [md_escape(para), ""]
        if e.item.get("credit"):
            self.out += [md_escape(f"（{e.item['credit']}）"), ""]
        if e.note:
            self.out += [f"> 备注：{md_escape(e.note)}", ""]

    def save(self, path: Path) -> None:
        path.write_text("\n".join(self.out), encoding="utf-8")


_CSS = """body{font-family:"Songti SC","SimSun","Noto Serif CJK SC",serif;max-width:46em;margin:2em auto;
line-height:1.9;color:#222;padding:0 1em}h1,h2,h3{font-family:"PingFang SC","Microsoft YaHei","SimHei",sans-serif}
.meta{color:#666;font-size:.9em}.body p{text-indent:2em;margin:.4em 0}.credit{text-align:right;color:#444}
.note{background:#fff8e6;border-left:3px solid #e0a000;padding:.3em .8em}"""


class _HtmlWriter(_Writer):
    def __init__(self, *a: Any):
        super().__init__(*a)
        esc = html.escape
        self.out = [
            "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
            f"<title>{esc(self.title)}</title><style>{_CSS}</style></head><body>",
            f"<h1>{esc(self.title)}</h1>", f'<p class="meta">{esc(self.subtitle)}</p>', "<h2>目录</h2><ol>",
        ]
        self.out += [f'<li><a href="#item-{n}">{esc(e.item["title"])}</a></li>' for n, e in enumerate(self.entries, 1)]
        self.out.append("</ol>")

    def add(self, e: Entry) -> None:
        esc = html.escape
        self.count += 1
        head = self._heads.get(id(e))
        if head:
            self.out.append(f"<h2>{esc(head)}</h2>")
        tag = "h3" if self.grouped else "h2"
        self.out.append(f'<article id="item-{self.count}"><{tag}>{esc(e.item["title"])}</{tag}>')
        self.out.append(f'<p class="meta">{esc(e.meta_line)}</p><div class="body">')
        self.out += [f"<p>{esc(p)}</p>" for p in e.paragraphs]
        self.out.append("</div>")
        if e.item.get("credit"):
            self.out.append(f'<p class="credit">（{esc(e.item["credit"])}）</p>')
        if e.note:
            self.out.append(f'<p class="note">备注：{esc(e.note)}</p>')
        self.out.append("</article>")

    def save(self, path: Path) -> None:
        path.write_text("\n".join([*self.out, "</body></html>", ""]), encoding="utf-8")


# --------------------------------------------------------------------------- PDF


def font_candidates() -> list[Path]:
    shipped = resources.files("jianbao.resources").joinpath("fonts", "wqy-microhei.ttc")
    return [Path(str(shipped)), Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")]


def cjk_font_path() -> Path:
    """A CJK font to embed: the one shipped in resources/, else the system's copy of it."""
    for c in font_candidates():
        if c.is_file():
            return c
    raise JianbaoError("找不到可嵌入 PDF 的中文字体（resources/fonts/wqy-microhei.ttc 缺失），无法导出 PDF")


PT = 25.4 / 72  # millimetres per point


class _PdfWriter(_Writer):
    """A4, 宋体-like body at 11.5 pt with the two-character first-line indent, lines broken by the
    Chinese rules of :mod:`.typeset` (避头尾) and justified, headings balanced over their lines."""

    def __init__(self, *a: Any):
        super().__init__(*a)
        from fpdf import FPDF

        font = cjk_font_path()
        self._widths: dict[float, dict[str, float]] = {}

        class _Doc(FPDF):
            def footer(self) -> None:  # page numbers in the Chinese style: — 3 —
                self.set_y(-14)
                self.set_char_spacing(0)
                self.set_font("cjk", size=9)
                self.set_text_color(90)
                self.cell(0, 5, f"— {self.page_no()} —", align="C")
                self.set_text_color(0)

        pdf = self.pdf = _Doc(format="A4", unit="mm")
        pdf.set_auto_page_break(True, margin=20)
        pdf.set_margins(25, 22, 25)
        pdf.add_font("cjk", "", str(font), collection_font_number=0)
        pdf.set_title(self.title)
        pdf.set_lang("zh-CN")
        pdf.add_page()
        pdf.ln(30)
        self._para(self.title, 20, 1.45, align="C", balanced=True)
        pdf.ln(3)
        pdf.set_text_color(90)
        self._para(self.subtitle, 10, 1.6, align="C")
        pdf.set_text_color(0)
        pdf.ln(10)
        self._para("目录", 13, 1.6)
        pdf.ln(1)
        for n, e in enumerate(self.entries, 1):
            self._para(f"{n}. {e.item['title']}", 10.5, 1.6, hanging=f"{n}. ")

    def _para(self, text: str, size: float, leading: float, *, indent: float = 0, align: str = "J",
              balanced: bool = False, hanging: str = "") -> None:
        """One paragraph at ``size`` pt, line pitch ``leading`` × size, first line indented by
        ``indent`` characters; ``J`` justifies every line but the last, ``C``/``R`` centre or
        align right; ``hanging`` (a list number) indents the following lines by its width."""
        from .typeset import balanced_lines, break_lines

        pdf = self.pdf
        pdf.set_font("cjk", size=size)
        pdf.set_char_spacing(0)
        width = pdf.w - pdf.l_margin - pdf.r_margin
        first = indent * size * PT
        widths = self._widths.setdefault(size, {})  # fpdf measures slowly; characters repeat

        def measure(s: str) -> float:
            if s not in widths:
                widths[s] = pdf.get_string_width(s)
            return widths[s]

        hang = measure(hanging) if hanging else 0.0
        if balanced:
            lines = balanced_lines(text, measure, width)
        elif hanging:
            head = break_lines(text, measure, width)[:1]
            rest = text[len(head[0]):] if head else ""
            lines = head + break_lines(rest, measure, width - hang)
        else:
            lines = break_lines(text, measure, width, first)
        h = size * leading * PT
        for n, line in enumerate(lines):
            x = first if n == 0 else hang
            avail = width - x
            spacing = 0.0
            if align == "J" and n < len(lines) - 1 and len(line) > 1:
                spacing = (avail - sum(measure(c) for c in line)) / (len(line) - 1)
                spacing = spacing if 0 < spacing < size * PT * 0.5 else 0.0
            pdf.set_char_spacing(spacing)
            pdf.set_x(pdf.l_margin + x)
            pdf.cell(avail, h, line, align={"C": "C", "R": "R"}.get(align, "L"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_char_spacing(0)

    def add(self, e: Entry) -> None:
        pdf = self.pdf
        head = self._heads.get(id(e))
        if head or not self.count:
            pdf.add_page()
        if head:
            self._para(head, 15, 1.6, balanced=True)
            pdf.ln(2)
        self.count += 1
        # keep the title with its metadata and the first lines of text: no heading alone at a page's foot
        need = (3 * 14 * 1.5 + 2 * 9.5 * 1.6 + 2 + 3 * 11.5 * 1.75) * PT
        if pdf.get_y() + need > pdf.page_break_trigger:
            pdf.add_page()
        self._para(e.item["title"], 14, 1.5, balanced=True)
        pdf.set_text_color(90)
        self._para(e.meta_line, 9.5, 1.6, align="L")
        pdf.set_text_color(0)
        pdf.ln(2)
        for para in e.paragraphs:
            self._para(para, 11.5, 1.75, indent=2)
            pdf.ln(1)
        if e.item.get("credit"):
            self._para(f"（{e.item['credit']}）", 11.5, 1.75, align="R")
        if e.note:
            pdf.set_text_color(128, 64, 0)
            self._para(f"备注：{e.note}", 11.5, 1.75)
            pdf.set_text_color(0)
        pdf.ln(6)

    def save(self, path: Path) -> None:
        self.pdf.output(str(path))
