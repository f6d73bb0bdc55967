"""PDF import: the typeset issues against their oracles, masthead from page 1, the balance of the
text layer, pages per item, and bad files refused in one line."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest

from jianbao.index.errors import InputError
from jianbao.index.parser import parse_document
from jianbao.index.readers import read
from jianbao.index.text import compact
from tests.conftest import ROOT, truth

# ../shared beside the repository (a worktree sits one level deeper: try the level above too)
SHARED = next((d / "shared" / "corpus-typeset" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared").is_dir()),
              ROOT.parent / "shared" / "corpus-typeset")
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
TRUTH_OF = {"001": "001_12ead631a97e2b81", "002": "002_43b922eb2f5a3b2f", "003": "003_f409a2c93a2526c3", "004": "004_3c4e9bca0ea1bc2a"}
# The typeset issues' mastheads (corpus-typeset/README.md; 003 and 004 were invented there).
MASTHEADS = {
    "001": (2023, 6, 71, "2024-01-10"),
    "002": (2023, 1, 66, "2023-03-20"),
    "003": (2024, 2, 73, "2024-06-20"),
    "004": (2022, 6, 65, "2023-01-10"),
}
SHARED_PDFS = sorted(SHARED.glob("*.pdf")) if SHARED.is_dir() else []
PDFS = sorted(FIXTURES.glob("*.pdf")) + SHARED_PDFS


def _parsed(path: Path):
    return parse_document(read(path.read_bytes(), path.name))


@pytest.fixture(scope="module", params=PDFS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def parsed(request):
    path = request.param
    return path, _parsed(path), truth(TRUTH_OF[path.name[:3]])


def test_shared_typeset_files_are_tested():
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus-typeset is absent: only the shipped fixture is tested")
    assert len(SHARED_PDFS) == 8


def test_items_equal_the_oracle(parsed):
    _, p, t = parsed
    assert [i.title for i in p.items] == [i["title"] for i in t["items"]]
    for got, want in zip(p.items, t["items"], strict=True):
        body = "".join(got.paragraphs)
        assert got.section == want["section"], want["title"]
        assert got.credit == want["credit"], want["title"]
        assert got.alliance_raw == want.get("x_alliance_raw"), want["title"]
        assert len(compact(body)) == want["body_chars"], want["title"]
        assert compact(body).startswith(want["x_body_head_compact"]), want["title"]
        assert compact(body).endswith(want["x_body_tail_compact"]), want["title"]


def test_masthead_from_page_one(parsed):
    path, p, _ = parsed
    assert p.masthead is not None and not p.inferred
    assert (p.year, p.number, p.total, p.date) == MASTHEADS[path.name[:3]]
    assert p.masthead.publisher == "联盟试点工作联络组办公室"
    assert p.format == "pdf"


def _text_layer_chars(path: Path) -> int:
    """Visible characters of the text layer, counted without the reader."""
    pdf = pdfium.PdfDocument(path.read_bytes())
    n = 0
    for page in pdf:
        tp = page.get_textpage()
        for i in range(tp.count_chars()):
            ch = chr(pdfium_raw.FPDFText_GetUnicode(tp.raw, i))
            n += pdfium_raw.FPDFText_IsGenerated(tp.raw, i) != 1 and not ch.isspace()
    return n


def test_balance_accounts_for_every_character_of_the_text_layer(parsed):
    path, p, _ = parsed
    assert p.balance.total == _text_layer_chars(path)
    assert p.balance.unaccounted == 0
    assert not p.warnings


def test_items_record_their_pages(parsed):
    _, p, _ = parsed
    pages = [it.pages for it in p.items]
    assert all(pg and pg == sorted(pg) for pg in pages)
    starts = [pg[0] for pg in pages]
    assert starts == sorted(starts) and starts[0] >= 1


def test_lines_carry_layout(parsed):
    path, _, _ = parsed
    doc = read(path.read_bytes(), path.name)
    body = [ln for ln in doc.lines if len(ln.text) > 20]
    assert all(ln.page and ln.size and ln.font and ln.x0 is not None and ln.align for ln in body)
    assert doc.pages >= 10 and doc.original == path.read_bytes()


def test_progress_per_page_and_cancel():
    from jianbao.index.errors import Cancelled
    from jianbao.index.readers import ReadContext

    path = PDFS[0]
    seen: list[tuple[int, int]] = []
    read(path.read_bytes(), path.name, ReadContext(progress=lambda d, t, m: seen.append((d, t))))
    assert seen[0] == (0, 12) and seen[-1] == (12, 12) and len(seen) == 13
    calls = []
    with pytest.raises(Cancelled):
        read(path.read_bytes(), path.name, ReadContext(cancelled=lambda: calls.append(1) or len(calls) > 3))


# --------------------------------------------------------------------------- bad files


def _encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(PDFS[0]))
    w.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _scanned() -> bytes:
    """A page that is only a picture of text (no text layer)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(img).rectangle((50, 50, 550, 70), fill="black")
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(img, x=10, y=10, w=190)
    return bytes(pdf.output())


@pytest.mark.parametrize(
    "make, words",
    [
        (_encrypted, "加密"),
        (lambda: PDFS[0].read_bytes()[: len(PDFS[0].read_bytes()) // 3], "损坏"),
        (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 100, "损坏"),
        (_scanned, "扫描件"),
    ],
    ids=["encrypted", "truncated", "garbage", "scanned"],
)
def test_bad_pdfs_give_one_line(make, words, monkeypatch):
    from jianbao.index.readers import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "_ocr", lambda: None)  # the OCR reader may be installed
    with pytest.raises(InputError) as e:
        read(make(), "坏.pdf")
    msg = str(e.value)
    assert words in msg and "\n" not in msg and msg.startswith("坏.pdf")


def test_bad_pdf_leaves_the_library_unchanged(library, tmp_path, monkeypatch):
    from jianbao.index.readers import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "_ocr", lambda: None)
    before = library.counts(), library.rev
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(_scanned())
    result = library.import_file(bad)
    assert result.status == "failed" and "扫描件" in result.message
    assert (library.counts(), library.rev) == before


def test_import_pdf_into_the_library(empty_library):
    result = empty_library.import_file(PDFS[0])
    assert result.status == "added" and result.items == 23
    assert result.balance["unaccounted"] == 0
    issue = empty_library.issues()[0]
    assert (issue["year"], issue["number"], issue["total"]) == (2023, 6, 71)
