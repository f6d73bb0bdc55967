"""Export: every format re-opened, titles, order, metadata and text survive; markup stays text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jianbao.index.errors import InputError
from jianbao.index.export import BULLETIN, export_items, md_escape, select_ids
from jianbao.index.store import Library
from jianbao.index.text import compact
from tests.conftest import CORPUS_FILES

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def lib_with_markup(library: Library) -> Library:
    text = CORPUS_FILES[0].read_text("utf-8").replace(
        "第六届亚洲粉末冶金大会日前在韩国庆州召开", SCRIPT + "第六届亚洲粉末冶金大会日前在韩国庆州召开"
    )
    assert library.import_bytes(text.encode(), name="001-markup.md").status == "updated"
    return library


def pick(lib: Library) -> list[int]:
    by_title = {r["title"]: r["id"] for r in lib.items()}
    return [
        by_title["粉末冶金联盟组织代表团赴韩国开展国际学术交流"],  # with the markup, 2023年第6期
        by_title["习近平总书记科学阐明新质生产力的丰富内涵"],  # 2024 (inferred)
        by_title["科技部确定2023年十个方面主要工作"],  # 2022, no credit
    ]


def test_docx(lib_with_markup, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    ids = pick(lib_with_markup)
    lib_with_markup.bookmark(ids[0], "请转发")
    out = export_items(lib_with_markup, ids, tmp_path / "a.docx", fmt="docx", notes=True)
    doc = Document(str(out))
    paras = doc.paragraphs
    headings = [p.text for p in paras if p.style.name == "Heading 1"]
    rows = [lib_with_markup.item(i) for i in ids]
    assert headings == ["目录", *[r["title"] for r in rows]]
    texts = [p.text for p in paras]
    assert "共 3 条" in texts[1]
    for r in rows:
        at = texts.index(r["title"])  # the TOC lists "1. title"; this is the heading
        meta = texts[at + 1]
        assert meta.startswith(BULLETIN) and r["section"] in meta
        body = r["body"].split("\n")
        assert texts[at + 2 : at + 2 + len(body)] == body
        first = paras[at + 2]
        assert first.paragraph_format.first_line_indent is not None and first.paragraph_format.first_line_indent.pt == 24
    assert BULLETIN + "2023年第6期（总第71期） · 2024-01-10 · 试点联盟动态及协发网网员单位动态 · 粉末冶金产业技术创新战略联盟" in texts
    assert any(SCRIPT in t for t in texts)
    assert "（粉末冶金产业技术创新战略联盟秘书处供稿）" in texts
    assert "备注：请转发" in texts
    for name, font in (("Normal", "宋体"), ("Heading 1", "黑体")):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font


def test_pdf_text_extracts_in_chinese(lib_with_markup, tmp_path):
    from pypdf import PdfReader

    ids = pick(lib_with_markup)
    out = export_items(lib_with_markup, ids, tmp_path / "a.pdf", fmt="pdf")
    reader = PdfReader(str(out))
    text = compact("".join(page.extract_text() for page in reader.pages))
    positions = [text.find(compact(lib_with_markup.item(i)["title"]), text.find("目录") + 60) for i in ids]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    assert compact(lib_with_markup.item(ids[1])["body"])[:40] in text
    assert compact(SCRIPT) in text
    fonts = {str(f) for page in reader.pages for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values()}
    assert fonts  # fonts are embedded (the PDF carries its CJK font)
    raw = out.read_bytes()
    assert b"/FontFile2" in raw


def test_html_and_markdown_keep_markup_as_text(lib_with_markup, tmp_path):
    ids = pick(lib_with_markup)
    html_out = export_items(lib_with_markup, ids, tmp_path / "a.html", fmt="html").read_text("utf-8")
    assert SCRIPT not in html_out and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html_out
    assert "<script" not in html_out.lower()
    assert not re.search(r"(src|href)=\"?https?:", html_out)  # self-contained, nothing to fetch
    titles = [lib_with_markup.item(i)["title"] for i in ids]
    found = [html_out.find(f"<h2>{t}</h2>") for t in titles]
    assert all(f > 0 for f in found) and found == sorted(found)
    md_out = export_items(lib_with_markup, ids, tmp_path / "a.md", fmt="md").read_text("utf-8")
    assert SCRIPT not in md_out and md_escape(SCRIPT) in md_out
    for t in titles:
        assert f"## {md_escape(t)}" in md_out


def test_md_escape_round_trip():
    s = r'a*b_c [x](http://e) <b> # 1. \ `k` 50+ MIM&AM'
    esc = md_escape(s)
    assert re.sub(r"\\(.)", r"\1", esc).replace("&amp;", "&") == s
    assert "<" not in esc.replace("\\<", "")


def test_group_by_issue_newest_first(library, tmp_path):
    from docx import Document

    ids = list(reversed(pick(library)))  # oldest first, as a user might pick
    out = export_items(library, ids, tmp_path / "g.docx", fmt="docx", group_by_issue=True)
    h1 = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"][1:]
    assert h1 == ["2024年第2期（总第73期）", "2023年第6期（总第71期） · 2024-01-10", "2022年"]


def test_refuses_to_overwrite_and_leaves_no_half_file(library, tmp_path, monkeypatch):
    ids = pick(library)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "x.docx"
    out.write_bytes(b"keep me")
    with pytest.raises(InputError, match="已存在"):
        export_items(library, ids, out, fmt="docx")
    assert out.read_bytes() == b"keep me"
    from jianbao.index import export

    def boom(self, path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(export._DocxWriter, "save", boom)
    with pytest.raises(OSError):
        export_items(library, ids, out, fmt="docx", force=True)
    assert out.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["x.docx"]
    export_items(library, ids, tmp_path / "y.md", fmt="md")
    with pytest.raises(InputError, match="不支持"):
        export_items(library, ids, tmp_path / "y.odt", fmt="odt")


def test_select_ids(library):
    by_alliance = select_ids(library, alliance="钒钛联盟")
    assert len(by_alliance) == 2
    by_query = select_ids(library, query="钒钛")
    assert set(by_query) == set(by_alliance)
    library.bookmark(by_alliance[0])
    assert select_ids(library, ids=[5, 5], bookmarks=True) == [5, by_alliance[0]]


def test_cancel_leaves_nothing(library, tmp_path):
    from jianbao.index.errors import Cancelled
    from jianbao.index.export import export_iter

    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "c.docx"
    with pytest.raises(Cancelled):
        for _ in export_iter(library, [r["id"] for r in library.items()], out, fmt="docx", cancelled=lambda: True):
            pass
    assert list(tmp_path.iterdir()) == []


def test_pdf_without_a_cjk_font_is_a_clear_error(library, tmp_path, monkeypatch):
    from jianbao.index import export
    from jianbao.index.errors import JianbaoError

    monkeypatch.setattr(export, "font_candidates", lambda: [Path("/nonexistent/font.ttc")])
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(JianbaoError, match="中文字体"):
        export_items(library, pick(library), out / "x.pdf", fmt="pdf")
    assert list(out.iterdir()) == []


def test_docx_is_a4_in_chinese(library, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    out = export_items(library, pick(library), tmp_path / "a4.docx", fmt="docx")
    doc = Document(str(out))
    sec = doc.sections[0]
    assert (sec.page_width.twips, sec.page_height.twips) == (11906, 16838)
    assert (sec.top_margin.twips, sec.bottom_margin.twips, sec.left_margin.twips, sec.right_margin.twips) == (1440, 1440, 1800, 1800)
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN" and lang.get(qn("w:val")) == "zh-CN"
    assert "en-US" not in doc.styles.element.xml
    assert "PAGE" in sec.footer.paragraphs[0]._p.xml  # page numbers


def _pdf_lines(path: Path) -> list[tuple[float, float, str]]:
    """(x, size, text) of every text line pdfminer finds, page after page."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

    out = []
    for page in extract_pages(str(path), laparams=LAParams(char_margin=20)):
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    if isinstance(line, LTTextLine) and line.get_text().strip():
                        sizes = [c.size for c in line if isinstance(c, LTChar)]
                        out.append((line.x0, max(sizes), line.get_text().strip()))
    return out


def test_pdf_breaks_lines_by_chinese_rules_and_indents_paragraphs(library, tmp_path):
    from pypdf import PdfReader

    from jianbao.index.typeset import NO_END, NO_START

    ids = [r["id"] for r in library.items()]
    out = export_items(library, ids, tmp_path / "all.pdf", fmt="pdf")
    lines = [ln for page in PdfReader(str(out)).pages for ln in page.extract_text().split("\n")
             if ln.strip() and not re.fullmatch(r"— \d+ —", ln.strip())]  # page numbers
    assert len(lines) > 500
    starts = [ln for ln in lines if ln.strip()[0] in NO_START]
    assert not starts, starts[:5]
    ends = [ln for ln in lines if ln.strip()[-1] in NO_END]
    assert not ends, ends[:5]
    # The first line of each paragraph is indented by two characters of the body size.
    found = _pdf_lines(out)
    left = min(x for x, _, _ in found)
    item = library.item(ids[0])
    for para in item["body"].split("\n")[:3]:
        x, size, _ = next(f for f in found if f[2].startswith(para[:8]))
        assert abs((x - left) - 2 * size) < 1.5, (x, left, size)


def test_pdf_cover_title_leaves_no_character_alone(library, tmp_path):
    from pypdf import PdfReader

    title = "产业技术创新战略联盟试点工作简报二〇二四年条目汇编"  # one character more than a line holds at 20 pt
    out = export_items(library, pick(library), tmp_path / "t.pdf", fmt="pdf", title=title)
    first = PdfReader(str(out)).pages[0].extract_text().split("\n")
    at = next(i for i, ln in enumerate(first) if title.startswith(ln.strip()))
    got = []
    while "".join(got) != title:
        got.append(first[at + len(got)].strip())
    assert len(got) == 2 and min(len(g) for g in got) >= len(title) // 2 - 1, got


def test_docx_cover_title_is_broken_evenly(library, tmp_path):
    from docx import Document

    out = export_items(library, pick(library), tmp_path / "t.docx", fmt="docx")
    lines = Document(str(out)).paragraphs[0].text.split("\n")
    assert "".join(lines) == f"{BULLETIN}条目汇编"
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) <= 2, lines


def test_pdf_never_leaves_a_title_alone_at_the_foot_of_a_page(library, tmp_path):
    from pypdf import PdfReader

    ids = [r["id"] for r in library.items()]
    out = export_items(library, ids, tmp_path / "all.pdf", fmt="pdf")
    titles = {compact(library.item(i)["title"]) for i in ids}
    for page in PdfReader(str(out)).pages[1:]:  # after the cover and contents
        lines = [compact(ln) for ln in page.extract_text().split("\n") if ln.strip()]
        body = [ln for ln in lines if not re.fullmatch(r"—\d+—", ln)]
        # the last lines of a page are never a title (or the start of one) followed by nothing
        tail = body[-1]
        assert not tail.startswith(compact(BULLETIN)), tail  # a metadata line: its title is above it
        assert not any(t.startswith(tail) or tail.startswith(t[:10]) for t in titles if len(tail) >= 6), tail
