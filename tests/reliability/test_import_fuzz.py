"""Issue 10: a fuzz of import (parse only, fast) that checks no item is lost or changed by its
neighbour. Inserting one paragraph into one item's body — ordinary text, or text that starts
like a footer, a credit or a list — must leave every other item's title and body as they were,
keep the number of items, and put the paragraph in that item's body."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.index.parser import parse
from jianbao.index.text import compact
from tests.conftest import CORPUS_FILES, truth

ORIGINALS = {p.name: p.read_text("utf-8").splitlines() for p in CORPUS_FILES}
PARSED = {
    name: [(compact(i.title), compact("".join(i.paragraphs))) for i in parse("\n".join(lines)).items]
    for name, lines in ORIGINALS.items()
}

# Beginnings a body paragraph really has and that look like something else to a parser.
PREFIXES = ["", "", "", "报：", "送：", "抄送：", "（", "——", "1. ", "注：", "来源：", "附件："]
FOOTER_PREFIXES = {"报：", "送：", "抄送："}
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x62FF)
WORDS = st.text(alphabet=st.one_of(CJK, st.sampled_from("，、；0123456789ABC")), min_size=4, max_size=60)


def paragraph_ends(name: str, item: dict) -> list[int]:
    """0-based indexes of the item's body lines after which a new paragraph may start."""
    lines = ORIGINALS[name]
    a, b = item["x_lines"]["body"]
    markdown = truth(name)["format"] == "markdown"
    out = []
    for n in range(a - 1, b):
        s = lines[n]
        if not s.strip():
            continue
        if markdown or s.endswith(" "):  # PDF text: a paragraph's last line keeps a trailing space
            out.append(n)
    return out


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False)
@given(data=st.data(), prefix=st.sampled_from(PREFIXES), words=WORDS)
def test_a_paragraph_inserted_into_one_item_changes_no_other(data, prefix, words):
    name = data.draw(st.sampled_from(sorted(ORIGINALS)), label="file")
    items = truth(name)["items"]
    k = data.draw(st.integers(0, len(items) - 1), label="item")
    ends = paragraph_ends(name, items[k])
    if not ends:
        return
    at = data.draw(st.sampled_from(ends), label="after line")
    if k == len(items) - 1 and prefix in FOOTER_PREFIXES:
        prefix = ""  # after the last item, 报：/送： lines in footer shape *are* the footer (版记)
    markdown = truth(name)["format"] == "markdown"
    para = prefix + words.strip() + "。"
    new = ["", para, ""] if markdown else [" ", para + " ", " "]
    lines = ORIGINALS[name][: at + 1] + new + ORIGINALS[name][at + 1 :]
    got = [(compact(i.title), compact("".join(i.paragraphs))) for i in parse("\n".join(lines)).items]
    want = PARSED[name]
    assert len(got) == len(want), (name, k, para)
    for j, (g, w) in enumerate(zip(got, want, strict=True)):
        if j == k:
            assert g[0] == w[0], (name, k, para)
            assert compact(para) in g[1] and re.sub(re.escape(compact(para)), "", g[1], count=1) == w[1], (name, k, para)
        else:
            assert g == w, (name, k, j, para)
