"""DOCX and .doc import: the typeset issues against their oracles, house styles the corpus does not
have, the cues the reader gives, pages, running heads, and bad files refused in one line."""

from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from jianbao.index.errors import InputError
from jianbao.index.parser import parse_document
from jianbao.index.readers import ReadContext, read
from jianbao.index.readers import doc as doc_reader
from jianbao.index.store import Library
from jianbao.index.text import compact, nonws_len
from tests.conftest import ROOT, truth
from tests.index.docx_variants import style_c, style_d

SHARED = next((d / "shared" / "corpus-typeset" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared").is_dir()),
              ROOT.parent / "shared" / "corpus-typeset")
FIXTURES = ROOT / "tests" / "fixtures" / "docx"
TRUTH_OF = {"001": "001_12ead631a97e2b81", "002": "002_43b922eb2f5a3b2f", "003": "003_f409a2c93a2526c3", "004": "004_3c4e9bca0ea1bc2a"}
MASTHEADS = {  # corpus-typeset/README.md (003 and 004 were invented there)
    "001": (2023, 6, 71, "2024-01-10"),
    "002": (2023, 1, 66, "2023-03-20"),
    "003": (2024, 2, 73, "2024-06-20"),
    "004": (2022, 6, 65, "2023-01-10"),
}
SHARED_DOCX = sorted(SHARED.glob("*.docx")) if SHARED.is_dir() else []
VARIANTS = sorted((ROOT / "tests" / "fixtures" / "variants").glob("*.docx"))  # house styles C–F (their README)
DOCX = sorted(FIXTURES.glob("*.docx")) + VARIANTS + SHARED_DOCX
STYLE_A = sorted(FIXTURES.glob("*_styleA.docx")) + [p for p in SHARED_DOCX if p.stem.endswith("styleA")]
HAS_SOFFICE = doc_reader.find_soffice() is not None


def _check_items(p, t) -> None:
    assert [i.title for i in p.items] == [i["title"] for i in t["items"]]
    for got, want in zip(p.items, t["items"], strict=True):
        body = compact("".join(got.paragraphs))
        assert got.section == want["section"], want["title"]
        assert got.credit == want["credit"], want["title"]
        assert got.alliance_raw == want.get("x_alliance_raw"), want["title"]
        assert len(body) == want["body_chars"], want["title"]
        assert body.startswith(want["x_body_head_compact"]), want["title"]
        assert body.endswith(want["x_body_tail_compact"]), want["title"]


def _package_chars(data: bytes) -> int:
    """Visible characters of every w:t in the document, its headers and footers, counted without the reader."""
    n = 0
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                xml = z.read(name).decode("utf-8")
                for m in re.finditer(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml):
                    n += nonws_len(m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    return n


@pytest.fixture(scope="module", params=DOCX, ids=lambda p: f"{p.parent.name}/{p.stem}")
def parsed(request):
    path = request.param
    doc = read(path.read_bytes(), path.name)
    return path, doc, parse_document(doc), truth(TRUTH_OF[path.name[:3]])


def test_shared_typeset_files_are_tested():
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus-typeset is absent: only the shipped fixtures are tested")
    assert len(SHARED_DOCX) == 8


def test_items_equal_the_oracle(parsed):
    _, _, p, t = parsed
    _check_items(p, t)


def test_masthead_from_the_first_page(parsed):
    path, _, p, _ = parsed
    assert p.masthead is not None and not p.inferred
    assert (p.year, p.number, p.total, p.date) == MASTHEADS[path.name[:3]]
    assert p.masthead.publisher == "联盟试点工作联络组办公室"
    assert p.format == "docx"


def test_balance_accounts_for_every_character(parsed):
    path, doc, p, _ = parsed
    assert p.balance.total == _package_chars(path.read_bytes())
    assert p.balance.unaccounted == 0
    assert doc.noise > 0  # the page-number footers: counted, never an item
    assert not p.warnings


def test_pages_are_estimated_per_item(parsed):
    _, doc, p, _ = parsed
    assert doc.pages >= 5
    firsts = [it.pages[0] for it in p.items]
    assert all(it.pages for it in p.items)
    assert firsts == sorted(firsts)
    assert p.items[-1].pages[-1] <= doc.pages
    assert doc.original is not None and doc.original_suffix == ".docx"


@pytest.mark.parametrize("d", [p for p in VARIANTS + SHARED_DOCX if p.with_suffix(".pdf").is_file()],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_estimated_pages_are_near_the_typeset_pdf(d):
    """The same file typeset by LibreOffice: each item's first page within one page of the estimate."""
    pdf = d.with_suffix(".pdf")
    a = parse_document(read(d.read_bytes(), d.name))
    b = parse_document(read(pdf.read_bytes(), pdf.name))
    off = [x.pages[0] - y.pages[0] for x, y in zip(a.items, b.items, strict=True)]
    assert max(map(abs, off)) <= 1, off


# --------------------------------------------------------------------------- house styles not in the corpus


@pytest.fixture(scope="module", params=STYLE_A, ids=lambda p: f"{p.parent.name}/{p.stem}")
def source(request):
    return request.param


@pytest.mark.parametrize("make", [style_c, style_d], ids=["plain-table-toc", "headings"])
def test_other_house_styles(source, make):
    data = make(source)
    doc = read(data, "variant.docx")
    p = parse_document(doc)
    _check_items(p, truth(TRUTH_OF[source.name[:3]]))
    assert (p.year, p.number, p.total, p.date) == MASTHEADS[source.name[:3]]
    labels = 3 * len("一、") if make is style_c else 0  # list labels Word draws (no w:t of their own)
    assert p.balance.unaccounted == 0 and p.balance.total == _package_chars(data) + labels
    assert not p.warnings


def test_cues_of_the_plain_style():
    doc = read(style_c(FIXTURES / "001_styleA.docx"), "c.docx")
    by_text = {ln.text: ln for ln in doc.lines}
    title = by_text["中央经济工作会议明确科技创新引领九大工作部署"]
    assert (title.size, title.bold, title.align) == (15.0, False, "left")
    assert title.space_before == 12.0
    # the body's size and indent come from its paragraph style, not from its runs
    body = next(ln for ln in doc.lines if ln.text.startswith("习近平总书记在2023年"))
    assert (body.size, body.align, body.indent, body.lead) == (12.0, "justify", 24.0, True)
    # section headers are numbered by Word: the label is text the reader sees
    assert "一、 重要政策动态" in by_text and "三、 试点联盟动态及协发网网员单位动态" in by_text
    # the TOC table's cells are lines; the page-number cells too
    assert "◆ 中央经济工作会议明确科技创新引领九大工作部署" in by_text
    # a paragraph with a soft line break: two visual lines of one paragraph, only the last ends it
    broken = [ln for ln in doc.lines if not ln.trail]
    assert broken, "the soft line break was lost"
    nxt = doc.lines[broken[0].no]  # lines are numbered from 1
    assert nxt.paragraph == broken[0].paragraph and nxt.trail
    # the running head is never a line, and the page field never an item
    assert "产业技术创新战略联盟试点工作简报" not in by_text
    p = parse_document(doc)
    assert not any("第 1 页" in x.body or "第 1 页" in x.title for x in p.items)


def test_heading_styles_give_heading_levels():
    doc = read(style_d(FIXTURES / "001_styleA.docx"), "d.docx")
    levels = {ln.text: ln.heading for ln in doc.lines}
    assert levels["重要政策动态"] == 1
    assert levels["中央经济工作会议明确科技创新引领九大工作部署"] == 2
    assert levels["2023年第6期（总第71期）"] == 0


def test_explicit_page_break_starts_a_page():
    doc = read((FIXTURES / "001_styleA.docx").read_bytes(), "a.docx")
    toc_last = next(ln for ln in reversed(doc.lines) if ln.text.startswith("◆"))
    first_section = next(ln for ln in doc.lines if ln.text.startswith("➤"))
    assert first_section.page == toc_last.page + 1  # the TOC runs over two pages in the typeset PDF too


# --------------------------------------------------------------------------- bad files


def _counts(lib: Library) -> tuple[int, int]:
    return lib.counts()["issues"], lib.counts()["items"]


@pytest.mark.parametrize(
    "name, data",
    [
        ("damaged.docx", (FIXTURES / "001_styleA.docx").read_bytes()[:20000]),
        ("notword.docx", None),
        ("empty.docx", None),
        ("badcrc.docx", None),
        ("badxml.docx", None),
    ],
)
def test_bad_docx_one_line_library_unchanged(library, tmp_path, name, data):
    if name == "notword.docx":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "这不是 Word 文档")
        data = buf.getvalue()
    elif name == "badcrc.docx":  # the deflated document.xml overwritten in the middle
        good = (FIXTURES / "001_styleA.docx").read_bytes()
        at = good.find(b"word/document.xml") + 200
        data = good[:at] + b"\0" * 50 + good[at + 50 :]
    elif name == "badxml.docx":  # a well-formed ZIP whose document.xml stops half-way
        buf = io.BytesIO()
        with zipfile.ZipFile(FIXTURES / "001_styleA.docx") as zin, zipfile.ZipFile(buf, "w") as z:
            for n in zin.namelist():
                part = zin.read(n)
                z.writestr(n, part[: len(part) // 2] if n == "word/document.xml" else part)
        data = buf.getvalue()
    elif name == "empty.docx":
        import docx

        buf = io.BytesIO()
        docx.Document().save(buf)
        data = buf.getvalue()
    f = tmp_path / name
    f.write_bytes(data)
    before = _counts(library)
    r = library.import_file(f)
    assert r.status == "failed"
    assert "\n" not in r.message and name in r.message and "Traceback" not in r.message
    assert _counts(library) == before
    with pytest.raises(InputError):
        read(data, name)


def test_docx_imports_into_the_library(empty_library):
    r = empty_library.import_file(FIXTURES / "004_styleB.docx")
    assert r.status == "added", r.message
    assert r.items == 32 and r.balance["unaccounted"] == 0


# --------------------------------------------------------------------------- .doc through LibreOffice


def test_doc_without_libreoffice_one_line(library, tmp_path, monkeypatch):
    monkeypatch.setenv("JIANBAO_SOFFICE", "")  # as on a machine without LibreOffice
    f = tmp_path / "old.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    before = _counts(library)
    r = library.import_file(f)
    assert r.status == "failed"
    assert "\n" not in r.message and "另存为 .docx" in r.message and "old.doc" in r.message
    assert _counts(library) == before


def test_libreoffice_that_hangs_is_stopped(tmp_path, monkeypatch):
    """A converter past its time limit is killed with its children, and the file refused in one line."""
    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pidfile}\nwait\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("JIANBAO_SOFFICE", str(fake))
    with pytest.raises(InputError, match="超时"):
        doc_reader.convert(b"x", ".doc", "docx", timeout=1)
    child = int(pidfile.read_text())
    try:
        os.kill(child, 0)
        alive = Path(f"/proc/{child}/stat").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] != "Z"
    except ProcessLookupError:
        alive = False
    assert not alive


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_doc_converts_with_libreoffice(empty_library, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.docx").write_bytes((FIXTURES / "001_styleA.docx").read_bytes())
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to", "doc",
         "--outdir", str(src), str(src / "a.docx")],
        check=True, capture_output=True, timeout=120,
    )
    data = (src / "a.doc").read_bytes()
    doc = read(data, "a.doc", ReadContext())
    assert doc.original == data and doc.original_suffix == ".doc"
    p = parse_document(doc)
    _check_items(p, truth(TRUTH_OF["001"]))
    r = empty_library.import_file(src / "a.doc")
    assert r.status == "added" and r.items == 23


def test_masthead_in_a_text_box_is_read_once():
    """Word mastheads often sit in a text box (DrawingML with a VML fallback that repeats it)."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document(str(FIXTURES / "001_styleA.docx"))
    body = d.element.body
    head = list(body)[:3]  # 产业技术创新战略联盟试点工作 / 简  报 / the issue line
    inner = "".join(p.xml.split("?>", 1)[-1] for p in head)
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    anchor = parse_xml(
        f'<w:p {ns}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><wps:txbx><w:txbxContent>{inner}'
        f'</w:txbxContent></wps:txbx></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>{inner}'
        f"</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    for p in head:
        body.remove(p)
    body.insert(0, anchor)
    buf = io.BytesIO()
    d.save(buf)
    doc = read(buf.getvalue(), "box.docx")
    texts = [ln.text for ln in doc.lines]
    assert texts.count("2023年第6期（总第71期）") == 1
    p = parse_document(doc)
    assert (p.year, p.number, p.total, p.date) == MASTHEADS["001"]
    _check_items(p, truth(TRUTH_OF["001"]))


def test_libreoffice_conversion_can_be_cancelled(tmp_path, monkeypatch):
    from jianbao.index.errors import Cancelled

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("JIANBAO_SOFFICE", str(fake))
    asked = []
    with pytest.raises(Cancelled):
        doc_reader.convert(b"x", ".doc", "docx", timeout=30, cancelled=lambda: asked.append(1) or len(asked) > 2)
    assert len(asked) == 3


def test_password_protected_word_file_one_line(library, tmp_path):
    """Office encrypts a .docx into an OLE2 container with EncryptedPackage/EncryptionInfo streams."""
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    for at, stream in ((1024, "EncryptionInfo"), (1152, "EncryptedPackage")):
        raw = stream.encode("utf-16-le")
        ole[at : at + len(raw)] = raw
    f = tmp_path / "secret.docx"
    f.write_bytes(bytes(ole))
    before = _counts(library)
    r = library.import_file(f)
    assert r.status == "failed" and "密码" in r.message and "\n" not in r.message
    assert _counts(library) == before


def test_word_rendered_page_breaks_are_the_pages():
    """A file Word saved marks where it broke pages (w:lastRenderedPageBreak): those are the pages,
    with an explicit break at the same place counted once."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document(str(FIXTURES / "001_styleA.docx"))
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    marked = [p for p in d.paragraphs if p.text.startswith("➤")]
    for p in marked:
        p._p.insert(1, parse_xml(f"<w:r {ns}><w:lastRenderedPageBreak/></w:r>"))
    buf = io.BytesIO()
    d.save(buf)
    doc = read(buf.getvalue(), "word.docx")
    pages = [ln.page for ln in doc.lines if ln.text.startswith("➤")]
    assert pages == [2, 3, 4]
    assert doc.pages == 4
