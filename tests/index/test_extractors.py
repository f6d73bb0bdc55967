"""Text that the common extractors make of the typeset PDFs (no trailing spaces at all), and the
corpus text with its trailing spaces removed, parse equal to the oracle.

Extractors put spaces where the PDF has none (between Chinese and Latin runs), so titles and
credits are compared without whitespace here; the PDF reader itself is held to exact titles
(test_pdf.py). Combinations the parser does not yet read are marked xfail (strict: a fix shows).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from jianbao.index.parser import parse
from jianbao.index.text import compact
from tests.conftest import CORPUS_FILES, truth
from tests.index.test_pdf import FIXTURES, MASTHEADS, SHARED, TRUTH_OF

PDFS = sorted(FIXTURES.glob("*.pdf")) + (sorted(SHARED.glob("*.pdf")) if SHARED.is_dir() else [])

KNOWN: dict[tuple[str, str], str] = {}  # (file stem, extractor) → why it is not read yet


def _pdftotext(path: Path, *args: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")


def _pdfminer(path: Path) -> str:
    high_level = pytest.importorskip("pdfminer.high_level")
    return high_level.extract_text(str(path))


def _pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


EXTRACTORS = {
    "pdftotext": lambda p: _pdftotext(p),
    "pdftotext -raw": lambda p: _pdftotext(p, "-raw"),
    "pdftotext -layout": lambda p: _pdftotext(p, "-layout"),
    "pdfminer": _pdfminer,
    "pypdfium2": _pypdfium2,
}


def _cases():
    for path in PDFS:
        for name in EXTRACTORS:
            reason = KNOWN.get((path.stem, name))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason and path.parent == SHARED else []
            yield pytest.param(path, name, marks=marks, id=f"{path.parent.name}/{path.stem}-{name}")


def _summary(items) -> list[tuple]:
    return [(i.section, compact(i.title), compact(i.credit or ""), len(compact(i.body))) for i in items]


def _oracle(stem: str) -> list[tuple]:
    return [
        (i["section"], i["x_title_compact"], compact(i["credit"] or ""), i["body_chars"])
        for i in truth(TRUTH_OF[stem[:3]])["items"]
    ]


@pytest.mark.parametrize("path, extractor", list(_cases()))
def test_extracted_text_parses_equal_to_the_oracle(path, extractor):
    text = EXTRACTORS[extractor](path)
    p = parse(text)
    assert _summary(p.items) == _oracle(path.stem)
    for got, want in zip(p.items, truth(TRUTH_OF[path.name[:3]])["items"], strict=True):
        assert compact(got.body).startswith(want["x_body_head_compact"]) and compact(got.body).endswith(want["x_body_tail_compact"])
    assert (p.year, p.number, p.total, p.date) == MASTHEADS[path.name[:3]]
    assert p.balance.unaccounted == 0


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name[:3])
def test_corpus_text_without_trailing_spaces_parses_equal_to_the_oracle(path):
    text = "\n".join(line.rstrip() for line in path.read_text("utf-8").split("\n"))
    p = parse(text)
    t = truth(path.name)
    assert [(i.section, compact(i.title), i.credit, len(compact(i.body))) for i in p.items] == [
        (i["section"], i["x_title_compact"], i["credit"], i["body_chars"]) for i in t["items"]
    ]
    assert p.balance.unaccounted == 0


# --------------------------------------------------------------------------- house styles C–F

VARIANTS = Path(__file__).resolve().parent.parent / "fixtures" / "variants"
_HYPHEN = "pdftotext joins `2022-` / `2023` at a line end and drops the hyphen (the extractor loses it)"
_BARE = "titles set apart by size only (C) or by a faked bold (D): the text alone does not show them"
_QUOTES = "pdftotext -raw puts D's quotation marks on lines of their own"
VARIANT_KNOWN = {
    ("001_styleD", "pdftotext"): _HYPHEN,
    ("003_styleE", "pdftotext"): _HYPHEN,
    **{(f"{n}_styleC", "pdfminer"): _BARE for n in ("001", "003")},
    **{(f"{n}_styleD", x): _BARE for n in ("001", "003") for x in ("pdfminer", "pypdfium2")},
    **{(f"{n}_styleD", "pdftotext -raw"): _QUOTES for n in ("001", "003")},
    ("001_styleF", "pdftotext -layout"): "a two-column TOC interleaved line by line",
    ("003_styleF", "pdftotext -layout"): "a two-column TOC interleaved line by line",
}


def _variant_cases():
    for path in sorted(VARIANTS.glob("*.pdf")):
        for name in EXTRACTORS:
            reason = VARIANT_KNOWN.get((path.stem, name))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(path, name, marks=marks, id=f"{path.stem}-{name}")


@pytest.mark.parametrize("path, extractor", list(_variant_cases()))
def test_extracted_text_of_other_house_styles(path, extractor):
    from tests.oracle import compare, truth_for

    p = parse(EXTRACTORS[extractor](path))
    assert compare(p, truth_for(path.name[:3])) == []
    assert p.balance.unaccounted == 0
