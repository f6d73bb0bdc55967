"""Typeset a sample issue in a house style nobody has seen yet: DOCX (python-docx), then PDF (LibreOffice).

The parser engineers test on styles A and B (``/work/shared/corpus-typeset``). Real offices set the
bulletin in many other ways, so this writes the same text in styles C–F (see ``STYLES``) to keep the
layout readers honest. The text comes from the current parser, which matches the oracle on the
sample files, so every item's title, body and credit here is the oracle's.

    .venv/bin/python -m tests.tools.typeset --out tests/fixtures/variants             # the committed set
    .venv/bin/python -m tests.tools.typeset --styles C --issues 002 --out /tmp/x --no-pdf

The DOCX is byte-for-byte reproducible (fixed core properties and zip timestamps); the PDF's text
layer is too, but LibreOffice stamps its own creation date and ID into the PDF.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from jianbao.index.parser import ParsedIssue, ParsedItem, parse
from jianbao.index.text import decode

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "resources" / "corpus"
SECTIONS = ("重要政策动态", "联盟联络组及协发网动态", "试点联盟动态及协发网网员单位动态")
TOC_SECTION = {SECTIONS[2]: "试点联盟及协发网网员单位动态"}  # the TOC's own spelling
CN_NUM = "一二三四五六七八九十"
PUBLISHER = "联盟试点工作联络组办公室"

# Issue line and date as printed. 003/004 have no masthead in their seeds: these are the values
# /work/shared/corpus-typeset/README.md invented for them (from the oracles' inferred_period).
MASTHEADS = {
    "001": ("2023年第6期（总第71期）", "2024年1月10日"),
    "002": ("2023年第1期（总第66期）", "2023年3月20日"),
    "003": ("2024年第2期（总第73期）", "2024年6月20日"),
    "004": ("2022年第6期（总第65期）", "2023年1月10日"),
}
FOOTER_LINES = (
    "报：科技部、发展改革委、教育部、工业和信息化部、财政部、国资委、全国总工会、国家开发银行",
    "送：各试点产业技术创新战略联盟，联盟协同发展网网员单位",
)

SANS = "Noto Sans CJK SC"
SERIF = "Noto Serif CJK SC"
HEI = "WenQuanYi Micro Hei"
DROID = "Droid Sans Fallback"  # no bold face: LibreOffice fakes the bold (a cue the font name won't give)
KAI = "KaiTi"  # not installed here: LibreOffice substitutes (fc-match gives Noto Sans CJK SC)
LATIN_SERIF = "Liberation Serif"
LATIN_SANS = "Liberation Sans"
RED = RGBColor(0xC0, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)
DARK_BLUE = RGBColor(0x1F, 0x3A, 0x6E)


@dataclass
class Issue:
    key: str  # "001"
    issue_line: str
    date: str
    parsed: ParsedIssue

    @property
    def year_number(self) -> str:
        return self.issue_line.split("（")[0]


def load_issue(key: str, corpus: Path = CORPUS) -> Issue:
    path = next(corpus.glob(f"{key}_*.txt"))
    text, _ = decode(path.read_bytes(), path.name)
    issue_line, date = MASTHEADS[key]
    return Issue(key, issue_line, date, parse(text))


# --------------------------------------------------------------------------- low-level helpers


def set_font(run, east: str, size: float | None = None, *, latin: str | None = None, bold: bool | None = None,
             color: RGBColor | None = None) -> None:
    """Name the CJK face (w:eastAsia) as well as the Latin one: python-docx only sets the latter."""
    run.font.name = latin or east
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:ascii"), latin or east)
    fonts.set(qn("w:hAnsi"), latin or east)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


# w:pPr's children in schema order (ECMA-376 CT_PPr): Word rejects a file whose order is wrong.
_PPR_ORDER = tuple(
    f"w:{t}"
    for t in (
        "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
        "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
        "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
        "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
        "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    )
)


def ppr_child(p: Paragraph, tag: str):
    """The paragraph property ``tag`` ("w:shd"), created in its schema position if absent."""
    ppr = p._p.get_or_add_pPr()
    el = ppr.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        ppr.insert_element_before(el, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1:])
    return el


def no_hanging_punct(p: Paragraph) -> None:
    """``w:overflowPunct`` = 1: LibreOffice's CJK hanging punctuation drops a full-width comma at the end
    of a justified line otherwise."""
    ppr_child(p, "w:overflowPunct").set(qn("w:val"), "1")


def shade(p: Paragraph, fill: str) -> None:
    shd = ppr_child(p, "w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def rule(p: Paragraph, where: str = "bottom", color: str = "000000", size: int = 8) -> None:
    """A paragraph border (``size`` in eighths of a point)."""
    bdr = ppr_child(p, "w:pBdr")
    b = OxmlElement(f"w:{where}")
    b.set(qn("w:val"), "single")
    b.set(qn("w:sz"), str(size))
    b.set(qn("w:space"), "1")
    b.set(qn("w:color"), color)
    bdr.append(b)


def add_field(p: Paragraph, instr: str, font: Callable) -> None:
    """A PAGE / NUMPAGES field, with a cached value so the DOCX shows a number before updating."""
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
        r = p.add_run()
        font(r)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            r._element.append(el)
        elif kind == "text":
            r.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            r._element.append(el)


def cell_borders(table, color: str = "808080") -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{edge}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "4")
        b.set(qn("w:space"), "0")
        b.set(qn("w:color"), color)
        borders.append(b)
    tblpr.append(borders)


class Writer:
    """Paragraph factory for one style: every paragraph gets the same hanging-punctuation fix."""

    def __init__(self, doc, body_font: str, body_size: float, latin: str) -> None:
        self.doc = doc
        self.body_font, self.body_size, self.latin = body_font, body_size, latin

    def para(self, text: str = "", *, font: str | None = None, size: float | None = None, bold: bool = False,
             color: RGBColor | None = None, align=None, indent_chars: float = 0, before: float = 0,
             after: float = 0, line: float | None = None, exact: float | None = None,
             container=None, keep_next: bool = False) -> Paragraph:
        p = (container or self.doc).add_paragraph()
        fmt = p.paragraph_format
        size = size or self.body_size
        if align is not None:
            p.alignment = align
        if indent_chars:
            fmt.first_line_indent = Pt(size * indent_chars)
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        if exact is not None:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(exact)
        elif line is not None:
            fmt.line_spacing = line
        if keep_next:
            fmt.keep_with_next = True
        if text:
            r = p.add_run(text)
            set_font(r, font or self.body_font, size, latin=self.latin if font is None else None, bold=bold,
                     color=color)
        no_hanging_punct(p)
        return p

    def page_break(self) -> None:
        p = self.doc.add_paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)
        no_hanging_punct(p)


def new_document(paper: str, margins: tuple[float, float, float, float]) -> Document:
    doc = Document()
    sec = doc.sections[0]
    if paper == "letter":
        sec.page_width, sec.page_height = Emu(int(8.5 * 914400)), Emu(11 * 914400)
    else:
        sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Mm(m) for m in margins)
    sec.header_distance = Mm(12)
    sec.footer_distance = Mm(12)
    cp = doc.core_properties
    fixed = datetime(2024, 1, 1)
    cp.created = cp.modified = fixed
    cp.last_printed = fixed
    cp.author = cp.last_modified_by = PUBLISHER
    cp.revision = 1
    cp.title = "产业技术创新战略联盟试点工作简报"
    return doc


def section_groups(issue: Issue) -> list[tuple[str, list[tuple[int, ParsedItem]]]]:
    """Sections in order with their numbered items; 其他 (004's 致谢) gets no header."""
    groups: list[tuple[str, list[tuple[int, ParsedItem]]]] = []
    for n, it in enumerate(issue.parsed.items, 1):
        if not groups or groups[-1][0] != it.section:
            groups.append((it.section, []))
        groups[-1][1].append((n, it))
    return groups


def toc_title(issue: Issue, n: int) -> str:
    toc = issue.parsed.toc
    return toc[n - 1] if len(toc) == len(issue.parsed.items) else issue.parsed.items[n - 1].title


# --------------------------------------------------------------------------- styles


def style_c(issue: Issue) -> Document:
    """C: titles not bold, set apart by size only (15 vs 12 pt) and left-aligned; TOC as a table; a running
    header on every page; ``第 3 页 共 12 页`` footers."""
    doc = new_document("a4", (25, 25, 28, 25))
    w = Writer(doc, HEI, 12, LATIN_SANS)
    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(hp.add_run(f"产业技术创新战略联盟试点工作简报  {issue.year_number}"), HEI, 9, color=BLACK)
    rule(hp, "bottom", "000000", 4)
    no_hanging_punct(hp)
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def ff(r):
        set_font(r, HEI, 9)

    for text, field in (("第 ", None), (None, "PAGE"), (" 页 共 ", None), (None, "NUMPAGES"), (" 页", None)):
        if text:
            ff(fp.add_run(text))
        else:
            add_field(fp, field, ff)
    no_hanging_punct(fp)

    w.para("产业技术创新战略联盟试点工作", font=SANS, size=24, bold=True, color=RED,
           align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    w.para("简  报", font=SANS, size=40, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    w.para(issue.issue_line, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    p = w.para(f"{PUBLISHER}                              {issue.date}", size=12, after=12)
    rule(p, "bottom", "C00000", 18)
    w.para("本期导读", font=HEI, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    groups = section_groups(issue)
    toc_rows = [(name, n) for name, items in groups if name in SECTIONS for n, _ in items]
    table = doc.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cell_borders(table)
    last = None
    for name, n in toc_rows:
        row = table.add_row()
        row.cells[0].width, row.cells[1].width = Cm(4.2), Cm(11.8)
        label = TOC_SECTION.get(name, name) if name != last else ""
        for cell, text in ((row.cells[0], label), (row.cells[1], toc_title(issue, n))):
            cp = cell.paragraphs[0]
            if text:
                set_font(cp.add_run(text), HEI, 10.5, latin=LATIN_SANS, bold=cell is row.cells[0])
            no_hanging_punct(cp)
        last = name
    for col, width in zip(table.columns, (Cm(4.2), Cm(11.8)), strict=True):
        col.width = width
    # vertically merge the section column so each section name spans its titles
    start = 0
    for i in range(1, len(toc_rows) + 1):
        if i == len(toc_rows) or toc_rows[i][0] != toc_rows[start][0]:
            if i - 1 > start:
                merged = table.cell(start, 0).merge(table.cell(i - 1, 0))
                for extra in merged.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            start = i
    w.page_break()
    for name, items in groups:
        if name in SECTIONS:
            w.para(f"■ {name}", font=HEI, size=14, bold=True, color=RED, before=12, after=6, keep_next=True)
        for _, it in items:
            w.para(it.title, size=15, align=WD_ALIGN_PARAGRAPH.LEFT, before=12, after=6, line=1.2, keep_next=True)
            for para in it.paragraphs:
                w.para(para, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2, line=1.5)
            if it.credit_raw:
                w.para(it.credit_raw, align=WD_ALIGN_PARAGRAPH.RIGHT, line=1.5)
    p = w.para("", before=18)
    rule(p, "bottom", "000000", 6)
    for line in FOOTER_LINES:
        w.para(line, size=10.5, line=1.3)
    p = w.para(f"{PUBLISHER}                         {issue.date}印发", size=10.5)
    rule(p, "bottom", "000000", 6)
    return doc


def style_d(issue: Issue) -> Document:
    """D: a dense office style. 10.5 pt serif, single-spaced; titles bold at the *body's* size, centred;
    section headers ``【重要政策动态】``; credits right-aligned in 楷体; ``- 3 -`` page numbers; a black
    masthead."""
    doc = new_document("a4", (25, 25, 25, 25))
    # The brief asked for a CJK serif body; Noto Serif CJK makes a 450 KB PDF (fixtures must stay under
    # 300 KB), so the CJK body is Droid Sans Fallback and only the Latin text is serif.
    w = Writer(doc, DROID, 10.5, LATIN_SERIF)
    fp = doc.sections[0].footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def ff(r):
        set_font(r, DROID, 10.5, latin=LATIN_SERIF)

    ff(fp.add_run("- "))
    add_field(fp, "PAGE", ff)
    ff(fp.add_run(" -"))
    no_hanging_punct(fp)

    w.para("产业技术创新战略联盟试点工作", font=SERIF, size=22, bold=True, color=BLACK,
           align=WD_ALIGN_PARAGRAPH.CENTER, before=12)
    w.para("简    报", font=SERIF, size=36, bold=True, color=BLACK, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    w.para(issue.issue_line, align=WD_ALIGN_PARAGRAPH.CENTER, after=2)
    p = w.para(f"{PUBLISHER}                                        {issue.date}", after=10)
    rule(p, "bottom", "000000", 12)
    w.para("本期导读", bold=True, after=4)
    groups = section_groups(issue)
    for name, items in groups:
        if name not in SECTIONS:
            continue
        w.para(f"【{TOC_SECTION.get(name, name)}】", bold=True, before=2)
        for n, _ in items:
            w.para(f"· {toc_title(issue, n)}", indent_chars=2)
    p = w.para("", after=6)
    rule(p, "bottom", "000000", 6)
    for name, items in groups:
        if name in SECTIONS:
            w.para(f"【{name}】", bold=True, before=4, after=0, keep_next=True)
        for _, it in items:
            w.para(it.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=3, after=0, keep_next=True)
            for para in it.paragraphs:
                w.para(para, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
            if it.credit_raw:
                w.para(it.credit_raw, font=KAI, align=WD_ALIGN_PARAGRAPH.RIGHT)
    p = w.para("", before=12)
    rule(p, "bottom", "000000", 6)
    for line in FOOTER_LINES:
        w.para(line)
    w.para(f"编辑：{PUBLISHER}    地址：北京市海淀区    网址：www.citisa.org")
    return doc


def style_e(issue: Issue) -> Document:
    """E: a Western-template look. Letter paper, block paragraphs (no indent, space after), dark-blue sans
    titles, shaded section bars, credits left-aligned straight after the body, page numbers top right."""
    doc = new_document("letter", (22, 22, 22, 22))
    w = Writer(doc, HEI, 11, LATIN_SERIF)
    hp = doc.sections[0].header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def hf(r):
        set_font(r, HEI, 10, latin=LATIN_SANS)

    add_field(hp, "PAGE", hf)
    no_hanging_punct(hp)

    w.para("产业技术创新战略联盟试点工作", font=HEI, size=20, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.LEFT)
    w.para("简报", font=HEI, size=32, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.LEFT, after=4)
    p = w.para(f"{issue.issue_line}    {PUBLISHER}    {issue.date}", font=HEI, size=10.5, after=12)
    rule(p, "bottom", "1F3A6E", 12)
    groups = section_groups(issue)
    p = w.para("本期导读", font=HEI, size=12, bold=True, color=DARK_BLUE, after=4)
    for name, items in groups:
        if name not in SECTIONS:
            continue
        w.para(TOC_SECTION.get(name, name), font=HEI, size=10.5, bold=True, after=2)
        for n, _ in items:
            w.para(f"▪ {toc_title(issue, n)}", size=10.5, after=2)
    w.page_break()
    for name, items in groups:
        if name in SECTIONS:
            p = w.para(name, font=HEI, size=13, bold=True, color=BLACK, before=12, after=8, keep_next=True)
            shade(p, "D9E2F3")
            rule(p, "top", "1F3A6E", 12)
        for _, it in items:
            w.para(it.title, font=HEI, size=13, bold=True, color=DARK_BLUE, before=10, after=6, keep_next=True)
            for para in it.paragraphs:
                w.para(para, align=WD_ALIGN_PARAGRAPH.LEFT, after=8, line=1.15)
            if it.credit_raw:
                w.para(it.credit_raw, size=10, after=8)
    p = w.para("", before=12)
    rule(p, "bottom", "1F3A6E", 8)
    for line in FOOTER_LINES:
        w.para(line, size=9.5, after=2)
    return doc


def style_f(issue: Issue) -> Document:
    """F: numbered titles (``1．`` running through the issue), a two-column TOC, the masthead date on a
    line of its own under the publisher, 仿宋-like body, section headers in boxed one-cell tables, and
    page numbers ``·3·`` at the outer bottom corner."""
    doc = new_document("a4", (30, 28, 28, 26))
    w = Writer(doc, HEI, 12, LATIN_SERIF)
    sec = doc.sections[0]
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def ff(r):
        set_font(r, LATIN_SERIF, 10.5)

    ff(fp.add_run("·"))
    add_field(fp, "PAGE", ff)
    ff(fp.add_run("·"))
    no_hanging_punct(fp)

    w.para("产业技术创新战略联盟试点工作简报", font=SERIF, size=22, bold=True, color=RED,
           align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=8)
    w.para(issue.issue_line, font=SERIF, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=2)
    w.para(PUBLISHER, font=SERIF, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = w.para(issue.date, font=SERIF, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
    rule(p, "bottom", "C00000", 24)
    w.para("本 期 导 读", font=SERIF, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    # the TOC in two columns: a continuous section break on each side
    doc.add_section(WD_SECTION.CONTINUOUS)
    no_hanging_punct(doc.paragraphs[-1])  # the paragraph that now carries the first section's sectPr
    groups = section_groups(issue)
    for name, items in groups:
        if name not in SECTIONS:
            continue
        w.para(TOC_SECTION.get(name, name), font=SERIF, size=10.5, bold=True, before=4, after=2)
        for n, _ in items:
            w.para(f"{n}．{toc_title(issue, n)}", size=9.5, after=1, line=1.1)
    doc.add_section(WD_SECTION.CONTINUOUS)
    no_hanging_punct(doc.paragraphs[-1])
    # the section break paragraph belongs to the section *before* it: give that one two columns
    c = OxmlElement("w:cols")
    c.set(qn("w:num"), "2")
    c.set(qn("w:space"), "425")
    prev = doc.sections[-2]._sectPr
    for old in prev.findall(qn("w:cols")):
        prev.remove(old)
    prev.insert_element_before(c, "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                               "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
    w.page_break()
    for name, items in groups:
        if name in SECTIONS:
            k = SECTIONS.index(name)
            w.para("", size=6, before=6)
            t = doc.add_table(rows=1, cols=1)
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            cell_borders(t, "C00000")
            cp = t.cell(0, 0).paragraphs[0]
            cp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(cp.add_run(f"{CN_NUM[k]}、{name}"), SERIF, 15, bold=True, color=RED)
            no_hanging_punct(cp)
            w.para("", size=6)
        for n, it in items:
            title = it.title if name not in SECTIONS else f"{n}．{it.title}"
            w.para(title, font=HEI, size=14, bold=True, before=10, after=4, keep_next=True)
            for para in it.paragraphs:
                w.para(para, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2, exact=24)
            if it.credit_raw:
                w.para(it.credit_raw, align=WD_ALIGN_PARAGRAPH.RIGHT, exact=24)
    p = w.para("", before=12)
    rule(p, "bottom", "000000", 6)
    for line in FOOTER_LINES:
        w.para(line, size=10.5)
    return doc


STYLES: dict[str, Callable[[Issue], Document]] = {"C": style_c, "D": style_d, "E": style_e, "F": style_f}


# --------------------------------------------------------------------------- output


def docx_bytes(doc: Document) -> bytes:
    """The DOCX with fixed zip timestamps, so the same input gives the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def to_pdf(docx: Path, outdir: Path) -> Path:
    profile = Path(tempfile.gettempdir()) / "lo-material"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(outdir), str(docx)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(profile)})
    pdf = outdir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {docx.name}")
    return pdf


def typeset(key: str, style: str, outdir: Path, pdf: bool = True) -> list[Path]:
    issue = load_issue(key)
    outdir.mkdir(parents=True, exist_ok=True)
    docx = outdir / f"{key}_style{style}.docx"
    docx.write_bytes(docx_bytes(STYLES[style](issue)))
    return [docx, to_pdf(docx, outdir)] if pdf else [docx]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--styles", default="CDEF", help="style letters, e.g. CD (default: all)")
    ap.add_argument("--issues", default="001,003", help="comma-separated issue keys (default: 001,003)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--no-pdf", action="store_true", help="write the DOCX only")
    args = ap.parse_args(argv)
    if not args.no_pdf and not shutil.which("soffice"):
        print("typeset: soffice (LibreOffice) not found; use --no-pdf", file=sys.stderr)
        return 2
    for style in args.styles:
        if style not in STYLES:
            print(f"typeset: unknown style {style!r} (have {''.join(STYLES)})", file=sys.stderr)
            return 2
        for key in re.split(r"[,\s]+", args.issues.strip()):
            for path in typeset(key, style, args.out, pdf=not args.no_pdf):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
