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


def test_credit_lines_are_searched_and_weigh_little(searcher, library):
    from jianbao.index.labels import credit_line

    res = searcher.search("新华社", limit=None)
    assert res.total > 0
    for h in res.hits:
        item = library.item(h.id)
        assert "新华社" in credit_line(item)
        if "新华社" not in item["body"]:  # found by its credit line: the snippet shows it, marked
            assert "新华社" in h.snippet and h.highlights
    # a word in titles and bodies outranks the same word in credit lines only
    ranked = [h.id for h in searcher.search("秘书处", limit=None).hits]
    in_text = [n for n, i in enumerate(ranked) if "秘书处" in library.item(i)["title"] + library.item(i)["body"]]
    credit_only = [n for n in range(len(ranked)) if n not in in_text]
    assert len(in_text) > 5 and len(credit_only) > 5
    assert in_text[:5] == [0, 1, 2, 3, 4]  # the best are those whose text says it
    assert sum(in_text) / len(in_text) < sum(credit_only) / len(credit_only)


def test_an_older_library_is_refolded_once(library_path):
    from jianbao.index.store import Library, Meta
    from jianbao.index.text import fold

    with Library(library_path) as lib:  # as a library made before credit lines were searched
        with lib.transaction():
            for i, t, b in lib.conn.execute("SELECT id, title, body FROM items").fetchall():
                lib.conn.execute("UPDATE items SET folded=? WHERE id=?", (fold(t) + "\x01" + fold(b or ""), i))
            lib._set_meta(Meta.FOLDED_FORMAT, "1")
        with _closing(Searcher(lib)) as s:
            assert s.search("新华社").total == 0
        rev = lib.rev
    with Library(library_path) as lib:
        assert lib.rev == rev and lib.meta(Meta.FOLDED_FORMAT) == "2"
        with _closing(Searcher(lib)) as s:
            assert s.search("新华社").total > 0
        folded = lib.conn.execute("SELECT folded FROM items").fetchall()
    with Library(library_path) as lib:  # once: nothing to do the next time
        assert lib.conn.execute("SELECT folded FROM items").fetchall() == folded


def _closing(s):
    import contextlib

    return contextlib.closing(s)
