"""The typeset variants (tests/fixtures/variants): the generator is reproducible and the committed PDFs'
text layers hold every title, credit and body of the oracle."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jianbao.index.text import compact
from tests.oracle import truth_for
from tests.tools.typeset import STYLES, docx_bytes, load_issue

VARIANTS = Path(__file__).resolve().parent / "fixtures" / "variants"
PDFS = sorted(VARIANTS.glob("*.pdf"))
# Lines that are page furniture, not the oracle's text: running header, page numbers in every style.
_FURNITURE = re.compile(
    r"^(?:产业技术创新战略联盟试点工作简报\s*\d{4}\s*年第\s*\d+\s*期|第\s*\d+\s*页\s*共\s*\d+\s*页|-\s*\d+\s*-|·\d+·|\d{1,3})$"
)


def _docx_text(data: bytes) -> str:
    import io

    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_generator_is_deterministic(style):
    issue = load_issue("003")
    first = docx_bytes(STYLES[style](issue))
    assert docx_bytes(STYLES[style](load_issue("003"))) == first


@pytest.mark.parametrize("style", sorted(STYLES))
def test_committed_docx_is_what_the_generator_writes(style):
    """Whoever changes the generator regenerates the fixtures (README gives the command)."""
    for path in sorted(VARIANTS.glob(f"*_style{style}.docx")):
        assert docx_bytes(STYLES[style](load_issue(path.name[:3]))) == path.read_bytes(), path.name


def test_every_variant_has_a_pdf_and_a_docx_and_an_oracle():
    stems = {p.stem for p in VARIANTS.glob("*.pdf")}
    assert stems == {p.stem for p in VARIANTS.glob("*.docx")}
    assert {s[-1] for s in stems} == set(STYLES)
    for stem in stems:
        assert truth_for(stem[:3])["items"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_pdf_text_layer_holds_every_title_credit_and_body(pdf):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    kept = [ln for ln in text.splitlines() if not _FURNITURE.match(ln.strip())]
    flat = compact("\n".join(kept))
    truth = truth_for(pdf.name[:3])
    pos = 0
    for item in truth["items"]:
        # the title straight followed by its body's head (the TOC has the title alone)
        title = item["x_title_compact"]
        at = flat.find(title + item["x_body_head_compact"], pos)
        assert at >= 0, f"title and body head not found in order: {item['title']}"
        pos = at + len(title)
        end = flat.find(item["x_body_tail_compact"], pos) + len(item["x_body_tail_compact"])
        assert end - pos == item["body_chars"], item["title"]
        pos = end
        if item["x_credit_raw"]:
            assert flat.startswith(compact(item["x_credit_raw"]), pos), item["title"]
            pos += len(compact(item["x_credit_raw"]))


def test_docx_paragraphs_hold_every_title_and_credit():
    for path in sorted(VARIANTS.glob("*.docx")):
        paras = {compact(re.sub(r"^\d+．", "", t)) for t in _docx_text(path.read_bytes()).split("\n")}
        for item in truth_for(path.name[:3])["items"]:
            assert item["x_title_compact"] in paras, (path.name, item["title"])
            if item["x_credit_raw"]:
                assert compact(item["x_credit_raw"]) in paras, (path.name, item["title"])


def test_docx_paragraph_properties_are_in_schema_order_and_never_hang_punctuation():
    """Word refuses a pPr whose children are out of order; every paragraph needs w:overflowPunct."""
    import zipfile

    from lxml import etree

    from tests.tools.typeset import _PPR_ORDER

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    order = [t.replace("w:", w) for t in _PPR_ORDER]
    for path in sorted(VARIANTS.glob("*.docx")):
        with zipfile.ZipFile(path) as z:
            parts = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
            for name in parts:
                for p in etree.fromstring(z.read(name)).iter(f"{w}p"):
                    ppr = p.find(f"{w}pPr")
                    assert ppr is not None and ppr.find(f"{w}overflowPunct") is not None, (path.name, name)
                    idx = [order.index(c.tag) for c in ppr]
                    assert idx == sorted(idx), (path.name, name, [c.tag[len(w):] for c in ppr])
