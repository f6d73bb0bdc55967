"""House styles the reader was not written against (tests/fixtures/variants, styles C–F): titles
set apart by size only, by a faked bold at the body's size, by colour; numbered titles; TOC as a
table or in two columns; running headers; page numbers as ``第 3 页 共 12 页``, ``- 3 -``, ``·3·``,
at the top. Each must import equal to the oracle, with its masthead and a full balance."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.index.parser import parse_document
from jianbao.index.readers import read
from tests.oracle import compare, truth_for

VARIANTS = Path(__file__).resolve().parent.parent / "fixtures" / "variants"
MASTHEADS = {"001": (2023, 6, 71, "2024-01-10"), "003": (2024, 2, 73, "2024-06-20")}


@pytest.mark.parametrize("path", sorted(VARIANTS.glob("*.pdf")), ids=lambda p: p.stem)
def test_variant_pdf_imports_equal_to_the_oracle(path):
    p = parse_document(read(path.read_bytes(), path.name))
    assert compare(p, truth_for(path.name[:3])) == []
    assert (p.year, p.number, p.total, p.date) == MASTHEADS[path.name[:3]]
    assert p.masthead is not None and p.masthead.publisher == "联盟试点工作联络组办公室"
    assert p.balance.unaccounted == 0
    assert not p.warnings  # the TOC lists as many entries as there are items
    assert all(it.pages for it in p.items)
