"""Re-typeset a style-A bulletin (.docx) in house styles the corpus does not have, to try the DOCX
reader on layouts it was not built from.

Style C ("plain"): titles *not bold*, 15 pt 黑体 on a 12 pt body, left-aligned, set apart only by
size and space before; body through a paragraph *style* (no run formatting); the table of
contents as a two-column table (entry, page); section headers as a numbered list (一、 from
``numbering.xml``, not typed); a running header with the bulletin's name and a footer
``第 N 页`` (a PAGE field); one body paragraph with soft line breaks; the credit left-aligned.

Style D ("headings"): sections in Heading 1, titles in Heading 2 (sizes and bold from the
template's styles), no TOC, body in Normal, a header with the issue line.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.tools.typeset import set_font


def _source(path: Path) -> list[tuple[str, str]]:
    """(kind, text) of a style-A file's paragraphs: masthead, toc-head, toc-section, toc-entry,
    section, title, body, credit, footer — read from style A's typography."""
    d = docx.Document(str(path))
    out: list[tuple[str, str]] = []
    in_toc = body = False
    for i, p in enumerate(d.paragraphs):
        t = p.text
        r = next((r for r in p.runs if r.text.strip()), None)
        size = r.font.size.pt if r is not None and r.font.size else 0
        bold = bool(r is not None and r.bold)
        if not t.strip():
            if in_toc and any(br.get(qn("w:type")) == "page" for br in p._p.iter(qn("w:br"))):
                in_toc, body = False, True
            continue
        if i < 4:
            out.append(("masthead", t))
        elif t == "本期导读":
            in_toc = True
            out.append(("toc-head", t))
        elif in_toc:
            out.append(("toc-section" if bold else "toc-entry", t))
        elif body and t.startswith("➤"):
            out.append(("section", t.lstrip("➤ ").strip()))
        elif body and bold and size >= 14 and p.alignment == WD_ALIGN_PARAGRAPH.CENTER:
            out.append(("title", t))
        elif t.startswith(("报：", "送：")) or (out and out[-1][0] == "footer"):
            out.append(("footer", t))
        elif p.alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            out.append(("credit", t))
        else:
            out.append(("body", t))
    return out


def _add_numbering(document) -> str:  # type: ignore[no-untyped-def]
    """A list whose level 0 draws 一、二、三、; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, val in (("w:start", "1"), ("w:numFmt", "chineseCounting"), ("w:lvlText", "%1、"), ("w:lvlJc", "left")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        lvl.append(el)
    abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    return "90"


def _number(paragraph, num_id: str) -> None:  # type: ignore[no-untyped-def]
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), num_id)
    numpr.append(ilvl)
    numpr.append(nid)
    ppr.append(numpr)


def _page_field(paragraph) -> None:  # type: ignore[no-untyped-def]
    paragraph.add_run("第 ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
    paragraph.add_run(" 页")


def style_c(path: Path) -> bytes:
    src = _source(path)
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.size = Pt(12)
    body_style = d.styles.add_style("简报正文", 1)
    body_style.base_style = normal
    body_style.paragraph_format.first_line_indent = Pt(24)
    body_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    num_id = _add_numbering(d)
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "产业技术创新战略联盟试点工作简报"
    _page_field(sec.footer.paragraphs[0])
    toc_rows: list[tuple[str, str]] = []
    n_body = 0
    table = None
    for kind, text in src:
        if kind == "masthead":
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.font.size = Pt(22 if len(text) > 12 else 14)
        elif kind == "toc-head":
            p = d.add_paragraph()
            p.add_run(text).font.size = Pt(14)
            table = d.add_table(rows=0, cols=2)
        elif kind in ("toc-section", "toc-entry"):
            toc_rows.append((text, "" if kind == "toc-section" else "2"))
        elif kind == "section":
            if table is not None:
                for a, b in toc_rows:
                    cells = table.add_row().cells
                    cells[0].text, cells[1].text = a, b
                table = None
                d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            p = d.add_paragraph()
            _number(p, num_id)
            p.add_run(text).font.size = Pt(12)
        elif kind == "title":
            p = d.add_paragraph()
            p.paragraph_format.space_before = Pt(12)
            set_font(p.add_run(text), "SimHei", 15, bold=False)
        elif kind == "body":
            n_body += 1
            p = d.add_paragraph(style=body_style)
            if n_body == 3 and "，" in text:
                # a paragraph with soft line breaks: its visual lines are one paragraph
                head, _, tail = text.partition("，")
                r = p.add_run(head + "，")
                r.add_break()
                p.add_run(tail)
            else:
                p.add_run(text)
        elif kind == "credit":
            d.add_paragraph(text, style=body_style)
        else:  # footer
            p = d.add_paragraph(text)
            p.runs[0].font.size = Pt(10.5)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def style_d(path: Path) -> bytes:
    src = _source(path)
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = next(t for k, t in src if k == "masthead" and "期" in t)
    for kind, text in src:
        if kind in ("toc-head", "toc-section", "toc-entry"):
            continue
        if kind == "masthead":
            d.add_paragraph(text)
        elif kind == "section":
            d.add_heading(text, level=1)
        elif kind == "title":
            d.add_heading(text, level=2)
        else:
            d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
