"""The reader's features in the core: explain, saved searches, related items and keywords, activity."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from jianbao.index import cli
from jianbao.index.activity import activity, activity_items, activity_table, to_csv
from jianbao.index.explain import explain
from jianbao.index.related import keywords, related
from jianbao.index.saved import SavedSearches, new_hits_report
from jianbao.index.search import open_searcher
from jianbao.index.store import Library
from jianbao.index.text import fold
from jianbao.index.upkeep import update_index
from tests.conftest import CORPUS_FILES


def run_json(capsys, *argv: str):
    capsys.readouterr()
    assert cli.main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


# --------------------------------------------------------------------------- explain


def test_explain_names_each_kind_of_term_and_the_segmentation():
    e = explain('新质生产力 "液流 电池" 钒钛 OR 汉麻 -WAPI')
    assert e.terms == ["新质生产力"]
    assert e.phrases == ["液流电池"]
    assert e.any_of == [["钒钛", "汉麻"]]
    assert e.excluded == ["wapi"]
    assert e.segmented["液流电池"] == ["液流", "电池"]
    assert "液流电池 → 液流 · 电池" in e.line()
    assert "不含 wapi" in e.line()


def test_explain_of_nothing_is_empty():
    e = explain("  ")
    assert e.as_dict() == {"terms": [], "phrases": [], "any_of": [], "excluded": [], "segmented": {}}
    assert e.line() == ""


def test_cli_search_explain(library_path, capsys):
    d = run_json(capsys, "search", "--library", str(library_path), "新质生产力 -WAPI", "--explain")
    assert set(d) == {"terms", "phrases", "any_of", "excluded", "segmented"}
    assert d["terms"] == ["新质生产力"] and d["excluded"] == ["wapi"]
    # the library's user words (terms.txt) keep 新质生产力 whole, as the index does
    assert d["segmented"] == {"新质生产力": ["新质生产力"]}


# --------------------------------------------------------------------------- saved searches


def _matching(lib: Library, issue_id: int, term: str) -> int:
    rows = lib.conn.execute("SELECT title, body FROM items WHERE issue_id=?", (issue_id,)).fetchall()
    return sum(fold(term) in fold(t) + "\x01" + fold(b or "") for t, b in rows)


def test_saved_search_counts_exactly_the_newly_imported_hits(tmp_path):
    with Library(tmp_path / "lib") as lib:
        for f in CORPUS_FILES[:3]:
            assert lib.import_file(f).status == "added"
        saved = SavedSearches(lib)
        for term in ("联盟", "碳中和", "WAPI", "标准"):
            saved.add(term, term)
        before = {s.name: s.hits for s in saved.list()}
        assert all(s.new == 0 for s in saved.list())
        r = lib.import_file(CORPUS_FILES[3])
        assert r.status == "added"
        after = {s.name: s for s in saved.list()}
        for term in before:
            expected = _matching(lib, r.issue_id, term)
            assert after[term].new == expected
            assert after[term].hits == before[term] + expected
        assert any(s.new for s in after.values())
        # seen clears the badge, and the count survives reopening the library
        name = next(n for n, s in after.items() if s.new)
        assert saved.seen(name).new == 0
    with Library(tmp_path / "lib") as lib:
        assert SavedSearches(lib).get(name).new == 0


def test_saved_search_filters_and_errors(library):
    saved = SavedSearches(library)
    all_hits = saved.add("all", "联盟").hits
    only = saved.add("2023", "联盟", year_from=2023, year_to=2023)
    assert 0 < only.hits < all_hits
    assert only.filters == {"year_from": 2023, "year_to": 2023}
    assert saved.add("all", "碳中和").hits < all_hits  # same name replaces
    assert [s.name for s in saved.list()] == ["2023", "all"]  # a replaced search moves last
    assert saved.remove("all") and not saved.remove("all")
    with pytest.raises(Exception, match="名称"):
        saved.add(" ", "x")


def test_new_hits_report():
    assert new_hits_report({"a": 1}, {"a": 1}) == ""
    assert new_hits_report({"WAPI": 0}, {"碳中和": 2, "WAPI": 1}) == "3 条新结果：碳中和 (2)、WAPI (1)"


def test_cli_saved_commands_and_the_import_report(tmp_path, capsys):
    lib = str(tmp_path / "lib")
    assert cli.main(["import", "--library", lib, "--no-sample", *map(str, CORPUS_FILES[:3])]) == 0
    assert run_json(capsys, "saved", "add", "--library", lib, "碳", "碳中和")["new"] == 0
    run_json(capsys, "saved", "add", "--library", lib, "w", "WAPI", "--from", "2022")
    listed = run_json(capsys, "saved", "list", "--library", lib)
    assert [set(s) for s in listed] == [{"name", "query", "filters", "hits", "new"}] * 2
    assert listed[1]["filters"] == {"year_from": 2022}
    capsys.readouterr()
    assert cli.main(["import", "--library", lib, str(CORPUS_FILES[3])]) == 0
    out = capsys.readouterr().out
    listed = {s["name"]: s for s in run_json(capsys, "saved", "list", "--library", lib)}
    gained = sum(s["new"] for s in listed.values())
    assert gained > 0
    assert f"订阅：{gained} 条新结果：" in out
    assert run_json(capsys, "saved", "seen", "--library", lib, "w")["new"] == 0
    assert run_json(capsys, "saved", "remove", "--library", lib, "碳")["removed"]
    assert [s["name"] for s in run_json(capsys, "saved", "list", "--library", lib)] == ["w"]
    assert cli.main(["saved", "remove", "--library", lib, "碳"]) == 2
    assert "没有名为“碳”的订阅" in capsys.readouterr().err


# --------------------------------------------------------------------------- related and keywords


def test_related_never_returns_the_item_itself_and_is_about_the_same_thing(library):
    ids = [r[0] for r in library.conn.execute("SELECT id FROM items ORDER BY id")]
    update_index(library)
    with open_searcher(library) as s:
        for iid in ids:
            rel = related(s, iid, limit=5)
            assert iid not in {r.id for r in rel}
            assert len(rel) <= 5
            assert [r.score for r in rel] == sorted((r.score for r in rel), reverse=True)
        # two items about the 联盟协发网/国联中心 meetings find each other
        a = next(i for i in ids if "国联中心第二届第三次" in library.item(i)["title"])
        b = next(i for i in ids if "国联中心第二届第四次" in library.item(i)["title"])
        assert b in [r.id for r in related(s, a)][:2]


def test_keywords_leave_out_stop_words_alliance_names_and_numbers(library):
    names = {n for a in library.alliance_table.alliances.values() for n in (a.name, *a.aliases)}
    ids = [r[0] for r in library.conn.execute("SELECT id FROM items")]
    update_index(library)
    with open_searcher(library) as s:
        seen = Counter()
        for iid in ids:
            kws = keywords(s, iid)
            assert len(kws) <= 8
            for w, weight in kws:
                assert len(w) >= 2 and w not in names and w not in {"联盟", "发展", "工作", "2023年"}
                assert not w.isdigit() and weight > 0
                seen[w] += 1
        title = next(i for i in ids if "中试" in library.item(i)["title"])
        assert keywords(s, title)[0][0] == "中试"
    assert max(seen.values()) < len(ids) / 4  # keywords tell items apart


def test_cli_related_and_show_keywords(library_path, capsys):
    lib = str(library_path)
    rows = run_json(capsys, "related", "--library", lib, "5", "--limit", "3")
    assert 0 < len(rows) <= 3 and all(r["id"] != 5 for r in rows)
    assert set(rows[0]) == {"id", "title", "year", "number", "total", "date", "alliance", "score"}
    shown = run_json(capsys, "show", "--library", lib, "5")
    assert shown["keywords"] and all(isinstance(w, str) for w in shown["keywords"])
    assert cli.main(["related", "--library", lib, "99999"]) == 2


# --------------------------------------------------------------------------- activity


def test_activity_equals_a_recount_of_items(library_path, capsys):
    lib = str(library_path)
    items = run_json(capsys, "items", "--library", lib)
    recount = Counter((i["alliance"], i["year"]) for i in items if i["alliance"])
    rows = run_json(capsys, "activity", "--library", lib)
    assert {(r["alliance"], r["year"]): r["items"] for r in rows} == recount
    assert set(rows[0]) == {"alliance", "year", "items"}
    only = run_json(capsys, "activity", "--library", lib, "--from", "2023", "--to", "2023")
    assert only and {r["year"] for r in only} == {2023}
    assert sum(r["items"] for r in only) == sum(c for (_, y), c in recount.items() if y == 2023)


def test_activity_table_rows_cells_and_csv(library):
    years, rows = activity_table(library)
    assert years == sorted(years) and rows
    assert [a.total for a in rows] == sorted((a.total for a in rows), reverse=True)
    tab = {a["name"]: a["items"] for a in library.alliances()}
    for a in rows:
        assert a.total == tab[a.name]
        for y, n in a.per_year.items():
            ids = activity_items(library, a.name, y)
            assert len(ids) == n
            assert all(library.item(i)["alliance"] == a.name and library.item(i)["year"] == y for i in ids)
    csv = to_csv(years, rows)
    assert csv.splitlines()[0].startswith("联盟,") and len(csv.splitlines()) == len(rows) + 1
    assert activity(library, 3000) == []
