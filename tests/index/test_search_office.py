"""Search: syntax alone is read literally; every result can be listed; an empty result says why."""

from __future__ import annotations

import pytest

from jianbao.index.results import explain_empty, hits_for
from jianbao.index.search import Searcher, parse_query
from jianbao.index.text import fold


@pytest.fixture
def searcher(library):
    s = Searcher(library)
    yield s
    s.close()


def containing(lib, literal: str) -> set[int]:
    f = fold(literal)
    return {r["id"] for r in lib.items() if f in fold(r["title"]) or f in fold(r["body"] or "")}


@pytest.mark.parametrize("q", ['"', "OR", '""', "-", "或", "|"])
def test_a_query_of_syntax_alone_is_a_literal_not_everything(searcher, library, q):
    everything = len(library.items())
    res = searcher.search(q, limit=None)
    assert res.total < everything
    assert parse_query(q).groups  # a condition, not none
    assert {h.id for h in res.hits} == containing(library, q)


def test_a_lone_quote_finds_the_items_with_a_quote(searcher, library):
    found = {h.id for h in searcher.search('"', limit=None).hits}
    assert found == containing(library, '"')


def test_all_ids_lists_every_match_in_order_with_the_first_hits(searcher):
    full = searcher.search("联盟", limit=None)
    page = searcher.search("联盟", limit=5, all_ids=True)
    assert page.total == full.total == len(page.ids) and len(page.hits) == 5
    assert page.ids == [h.id for h in full.hits]
    assert [h.id for h in page.hits] == page.ids[:5]
    rest = hits_for(searcher.lib, page.ids[5:9], page.terms)
    assert [h.id for h in rest] == page.ids[5:9]
    assert all("联盟" in h.snippet for h in rest) and all(h.highlights for h in rest)
    assert searcher.search("联盟", limit=5).ids == page.ids[:5]


def test_explain_empty(searcher):
    assert explain_empty(searcher, "钒钛 量子引力", {}) == "“量子引力” 在全部简报中都没有出现"
    assert explain_empty(searcher, "钒钛 汉麻", {}) == "每个词都能找到，但没有一条同时包含它们"
    assert explain_empty(searcher, "钒钛", {"section": "重要政策动态"}).startswith("当前的联盟、栏目或年份筛选下没有结果")
