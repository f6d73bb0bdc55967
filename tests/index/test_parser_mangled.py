"""Property tests: the sample bulletins, mangled the ways real files differ, parse the same.

Mangling: PDF text rewrapped at other widths, page numbers removed and put elsewhere, junk
lines (blank, whitespace-only, page numbers, running headers) inserted, Markdown paragraphs
broken mid-sentence, CRLF line ends, other encodings. The items found must stay the same, the
parser must not crash, and the character balance must hold.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.index.parser import ends_sentence, is_page_number, parse
from jianbao.index.text import compact, decode, is_ascii_alnum
from tests.conftest import CORPUS_FILES, truth

ORIGINALS = {p.name: p.read_text("utf-8") for p in CORPUS_FILES}
EXPECTED = {}
for _name, _text in ORIGINALS.items():
    _p = parse(_text)
    EXPECTED[_name] = [(i.section, compact(i.title), i.credit, compact("".join(i.paragraphs))) for i in _p.items]


def _is_pdf(text: str) -> bool:
    return not text.lstrip().startswith("#")


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _body_lines(name: str) -> set[int]:
    """1-based numbers of the oracle's body lines."""
    out: set[int] = set()
    for it in truth(name)["items"]:
        a, b = it["x_lines"]["body"]
        out.update(range(a, b + 1))
    return out


def rewrap_pdf(name: str, text: str, width: int) -> str:
    """Re-flow every paragraph of body text at ``width`` characters, blank lines between, as
    PDF extraction does: lines inside a paragraph end without a space, its last line with one."""
    body = _body_lines(name)
    out: list[str] = []
    run: list[str] = []

    def flush_run() -> None:
        joined = ""
        for k, p in enumerate(run):
            s = p.strip()
            if joined and s and is_ascii_alnum(joined[-1]) and is_ascii_alnum(s[0]) and run[k - 1][-1:].isspace():
                joined += " "
            joined += s
        chunks = _wrap(joined, width)
        for c in chunks[:-1]:
            out.extend([c, ""])
        out.extend([chunks[-1] + " ", ""])
        run.clear()

    for no, ln in enumerate(text.split("\n"), 1):
        if not ln.strip() or is_page_number(ln):
            continue
        if no in body:
            run.append(ln)
            if ln[-1:].isspace() and ends_sentence(ln):
                flush_run()
        else:
            if run:
                flush_run()
            out.extend([ln, ""])
    if run:
        flush_run()
    return "\n".join(out)


def insert_junk(lines: list[str], rnd: random.Random, pdf: bool) -> list[str]:
    junk = [" ", "", "\t", "   "]
    if pdf:
        junk += ["12 ", " 7", "- 3 -", "产业技术创新战略联盟试点工作简报"]
    for _ in range(rnd.randint(0, 12)):
        lines.insert(rnd.randint(0, len(lines)), rnd.choice(junk))
    return lines


def break_markdown(text: str, rnd: random.Random) -> str:
    """Split long paragraph lines in two, with a blank line between, mid-sentence."""
    out = []
    for ln in text.split("\n"):
        # (lines with markup are left whole: a cut inside <sub>…</sub> is no real-world damage)
        if len(ln) > 60 and "<" not in ln and not ln.startswith(("#", "-", "(", "（")) and rnd.random() < 0.5:
            cut = rnd.randint(10, len(ln) - 10)
            left, right = ln[:cut], ln[cut:]
            if left.strip() and right.strip() and not re.match(r"^\s*(\d|[一二三四五六七八九十（(])", right):
                out.extend([left, "", right])
                continue
        out.append(ln)
    return "\n".join(out)


def mangle(name: str, width: int | None, seed: int, newline: str, encoding: str) -> bytes:
    text = ORIGINALS[name]
    rnd = random.Random(seed)
    pdf = _is_pdf(text)
    if pdf and width:
        text = rewrap_pdf(name, text, width)
    if not pdf:
        text = break_markdown(text, rnd)
    text = "\n".join(insert_junk(text.split("\n"), rnd, pdf))
    return text.replace("\n", newline).encode(encoding)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(ORIGINALS)),
    width=st.none() | st.integers(28, 56),
    seed=st.integers(0, 2**32),
    newline=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
)
def test_mangled_corpus_parses_the_same(name, width, seed, newline, encoding):
    text, _ = decode(mangle(name, width, seed, newline, encoding), name)
    p = parse(text)
    assert p.balance.unaccounted == 0
    assert p.balance.total == len(compact(text))
    got = [(i.section, compact(i.title), i.credit, compact("".join(i.paragraphs))) for i in p.items]
    assert got == EXPECTED[name]


# PDF pages of this bulletin hold 30-35 characters a line; titles, in a larger font, fewer.
@pytest.mark.parametrize("width", range(28, 57, 2))
@pytest.mark.parametrize("name", [n for n, t in ORIGINALS.items() if _is_pdf(t)])
def test_every_realistic_wrap_width(name, width):
    p = parse(rewrap_pdf(name, ORIGINALS[name], width))
    assert [(i.section, compact(i.title), i.credit, compact("".join(i.paragraphs))) for i in p.items] == EXPECTED[name]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_arbitrary_text_never_crashes_and_balances(text):
    p = parse(text)
    assert p.balance.unaccounted == 0
