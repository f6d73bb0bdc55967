"""The parser against the hand-checked oracle of every sample file."""

from __future__ import annotations

import pytest

from jianbao.index.parser import parse
from jianbao.index.text import compact, decode
from tests.conftest import CORPUS_FILES, truth
from tests.oracle import compare

SECTION_OTHER = "重要政策动态"


def _parse(path):
    text, _ = decode(path.read_bytes(), path.name)
    return parse(text)


@pytest.fixture(scope="module", params=CORPUS_FILES, ids=lambda p: p.name[:3])
def parsed(request):
    return request.param, _parse(request.param), truth(request.param.name)


def test_items_match_the_oracle(parsed):
    """Count, sections, compact titles, credits, alliances and compact bodies (tests/oracle.py)."""
    _, p, t = parsed
    assert compare(p, t) == []


def test_credits_and_alliances_exactly(parsed):
    """compare() ignores whitespace in credits; a text seed's credits must come out as printed."""
    _, p, t = parsed
    for got, want in zip(p.items, t["items"], strict=True):
        assert got.credit == want["credit"], want["title"]
        assert got.alliance_raw == want.get("x_alliance_raw"), want["title"]


def test_bodies(parsed):
    _, p, t = parsed
    for got, want in zip(p.items, t["items"], strict=True):
        body = "".join(got.paragraphs)
        assert len(compact(body)) == want["body_chars"], want["title"]
        assert body[:12] == want["body_head"], want["title"]
        assert body[-12:] == want["body_tail"], want["title"]


def test_titles_have_no_stray_spaces(parsed):
    _, p, t = parsed
    for got, want in zip(p.items, t["items"], strict=True):
        assert got.title == want["title"]


def test_masthead_and_period(parsed):
    _, p, t = parsed
    m = t["masthead"]
    if m is None:
        assert p.masthead is None
        assert p.inferred
        assert p.year == t["inferred_period"]["year"]
    else:
        assert not p.inferred
        assert (p.year, p.number, p.total, p.date) == (m["year"], m["number"], m["total"], m["date"])
        assert p.masthead.publisher == m["publisher"]


def test_balance_accounts_for_every_character(parsed):
    path, p, _ = parsed
    b = p.balance
    text, _ = decode(path.read_bytes())
    assert b.total == len(compact(text))
    assert b.unaccounted == 0
    assert not p.warnings


def test_toc_matches_items_in_markdown(parsed):
    _, p, t = parsed
    assert [compact(x) for x in p.toc] == [compact(x) for x in t.get("toc", [])] or not t.get("toc")
    if p.toc:
        assert len(p.toc) == len(p.items)


def test_compare_reports_each_kind_of_mismatch(parsed):
    """The helper must be able to fail: break one item in each way and see it named."""
    import copy

    _, p, t = parsed
    bad = copy.deepcopy(p)
    it = bad.items[1]
    it.section = "其他" if it.section != "其他" else SECTION_OTHER
    it.title = it.title[1:]
    it.credit = "X"
    it.paragraphs = [it.body[:-1]]
    problems = compare(bad, t)
    for word in ("section", "title", "credit", "characters", "body ends"):
        assert any(word in line for line in problems), (word, problems)
    del bad.items[-1]
    problems = compare(bad, t)
    assert problems[0] == f"items: got {len(t['items']) - 1}, want {len(t['items'])}"
    assert any(line.startswith("missing item:") for line in problems)


def test_compare_ignores_extractor_spaces_in_credits(parsed):
    """pdftotext prints 建筑信息模型 BIM 产业…: not a parser error."""
    import copy

    _, p, t = parsed
    spaced = copy.deepcopy(p)
    for it in spaced.items:
        if it.credit:
            it.credit = " ".join(it.credit)
            it.alliance_raw = it.alliance_raw and " ".join(it.alliance_raw)
    assert compare(spaced, t) == []
