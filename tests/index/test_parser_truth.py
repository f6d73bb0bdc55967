"""The parser against the hand-checked oracle of every sample file."""

from __future__ import annotations

import pytest

from jianbao.index.parser import parse
from jianbao.index.text import compact, decode
from tests.conftest import CORPUS_FILES, truth


def _parse(path):
    text, _ = decode(path.read_bytes(), path.name)
    return parse(text)


@pytest.fixture(scope="module", params=CORPUS_FILES, ids=lambda p: p.name[:3])
def parsed(request):
    return request.param, _parse(request.param), truth(request.param.name)


def test_every_item_found(parsed):
    _, p, t = parsed
    assert [compact(i.title) for i in p.items] == [i["x_title_compact"] for i in t["items"]]


def test_sections_credits_alliances(parsed):
    _, p, t = parsed
    for got, want in zip(p.items, t["items"], strict=True):
        assert got.section == want["section"], want["title"]
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


def test_alliances_resolve_to_the_oracle(parsed):
    from jianbao.index.alliances import AllianceTable

    table = AllianceTable.builtin()
    _, p, t = parsed
    for got, want in zip(p.items, t["items"], strict=True):
        assert table.resolve(got.alliance_raw) == want["alliance"], want["title"]
