"""Search never misses: hits are exactly the items whose title or body contain every term."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.index.search import Searcher, parse_query
from jianbao.index.snippets import make_snippet
from jianbao.index.store import Library
from jianbao.index.upkeep import IndexUpkeep
from tests.conftest import CORPUS_FILES


def norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).casefold().split())


def expected(lib: Library, *terms: str, exclude: tuple[str, ...] = (), **filters) -> set[int]:
    """Brute force over the store: the independent oracle for the search."""
    out = set()
    for r in lib.items(alliance=filters.get("alliance"), section=filters.get("section")):
        if filters.get("year_from") and (r["year"] or 0) < filters["year_from"]:
            continue
        if filters.get("year_to") and (r["year"] or 0) > filters["year_to"]:
            continue
        title, body = norm(r["title"]), norm(r["body"])
        if all(norm(t) in title or norm(t) in body for t in terms) and not any(
            norm(x) in title or norm(x) in body for x in exclude
        ):
            out.add(r["id"])
    return out


@pytest.fixture
def searcher(library):
    s = Searcher(library)
    yield s
    s.close()


def hits(searcher: Searcher, q: str, **kw) -> set[int]:
    res = searcher.search(q, limit=None, **kw)
    ids = {h.id for h in res.hits}
    assert res.total == len(ids)
    return ids


QUERIES = [
    # Chinese words, including ones jieba splits differently in query and text
    "钒钛", "新质生产力", "揭榜挂帅", "协发网", "中试", "碳中和", "粉末冶金", "半导体照明", "第三代半导体",
    "活跃度评价", "团体标准", "理事会", "产业技术创新战略联盟", "科技部", "国家重点研发计划", "绿色产业",
    "全钒", "液流电池", "数控机床", "动物种业", "汉麻", "国资委", "求是", "新春",
    # names
    "吴家喜", "李新男", "程学忠", "王志峰", "沈保根",
    # single characters
    "钛", "的", "盟", "鞋", "菌",
    # Latin, digits, mixed
    "WAPI", "wapi", "ＷＡＰＩ", "5G", "29167", "ISO/IEC 29167-16:2022", "BIM", "SolarPACES", "TÜV", "IEA",
    "2024年", "2022", "MIM&AM", "50+", "GB/T 43836-2024", "CCMT2024", "6G", "primordial follicle", "ASILD",
    # punctuation inside
    "《求是》", "十四五", "“十四五”",
]


@pytest.mark.parametrize("q", QUERIES)
def test_single_term_finds_exactly_the_items_containing_it(searcher, library, q):
    assert hits(searcher, f'"{q}"') == expected(library, q)


@pytest.mark.parametrize(
    "q, terms, exclude",
    [
        ("钒钛 联盟", ["钒钛", "联盟"], []),
        ("粉末冶金 标准", ["粉末冶金", "标准"], []),
        ("科技部 吴家喜 论坛", ["科技部", "吴家喜", "论坛"], []),
        ("联盟 -WAPI", ["联盟"], ["WAPI"]),
        ("2023 中试 -意见", ["2023", "中试"], ["意见"]),
        ("新质生产力 纺织", ["新质生产力", "纺织"], []),
        ('"ISO 26262" 认证', ["ISO 26262", "认证"], []),
        ("钛 钒", ["钛", "钒"], []),
    ],
)
def test_and_and_exclusion(searcher, library, q, terms, exclude):
    assert hits(searcher, q) == expected(library, *terms, exclude=tuple(exclude))


def test_chinese_quotes_delimit_a_phrase(searcher, library):
    assert hits(searcher, "“揭榜挂帅”") == expected(library, "揭榜挂帅") != set()
    assert hits(searcher, "“新质 生产力”") == expected(library, "新质生产力") != set()


def test_or(searcher, library):
    got = hits(searcher, "钒钛 OR 汉麻")
    assert got == expected(library, "钒钛") | expected(library, "汉麻")
    assert hits(searcher, "联盟 钒钛 OR 汉麻") == got & expected(library, "联盟")


def test_phrase_keeps_inner_spaces_and_ignores_whitespace(searcher, library):
    # "ISO 26262" matches the text ISO 26262 but not the two words far apart
    assert hits(searcher, '"ISO 26262"') == expected(library, "ISO 26262")
    assert hits(searcher, '"钒钛联盟 2022 年度"') == expected(library, "钒钛联盟2022年度") != set()


@pytest.mark.parametrize(
    "filters",
    [
        {"alliance": "粉末冶金联盟"},
        {"alliance": "禽畜良种产业技术创新战略联盟"},
        {"alliance": "钒钛联盟"},
        {"section": "重要政策动态"},
        {"year_from": 2023},
        {"year_to": 2022},
        {"year_from": 2023, "year_to": 2023, "section": "试点联盟动态及协发网网员单位动态"},
    ],
)
def test_filters(searcher, library, filters):
    assert hits(searcher, "联盟", **filters) == expected(library, "联盟", **filters)
    assert hits(searcher, "", **filters) == expected(library, **filters)


def test_relevance_puts_title_hits_first_and_date_sort_is_newest_first(searcher, library):
    res = searcher.search("钒钛", limit=5)
    assert "钒钛" in res.hits[0].title
    res = searcher.search("联盟", sort="date", limit=None)
    years = [(h.year or 0, h.number or 0) for h in res.hits]
    assert years == sorted(years, reverse=True)
    assert searcher.search("联盟", limit=3).total == len(expected(library, "联盟"))
    assert len(searcher.search("联盟", limit=3).hits) == 3


def test_snippet_marks_the_hit_in_context(searcher):
    res = searcher.search("揭榜挂帅", limit=None)
    assert res.hits
    for h in res.hits:
        marked = [h.snippet[s:e] for s, e in h.highlights]
        assert marked and all(norm(m) == "揭榜挂帅" for m in marked)
        assert len(h.snippet) <= 82
        assert "【揭榜挂帅】" in h.marked()
        assert h.year and h.section


def test_snippet_counts_characters_and_handles_astral_and_spaces():
    body = "前文" * 50 + "𠮷野家的 ISO 26262 认证" + "后文" * 50
    text, spans = make_snippet(body, [norm("ISO 26262")], 40)
    assert [text[s:e] for s, e in spans] == ["ISO 26262"]
    assert len(text) <= 42


def test_parse_query():
    pq = parse_query('钒钛 "ISO 26262" 粉末 OR 冶金 -WAPI “新质 生产力”')
    assert pq.groups == [["钒钛"], ["iso26262"], ["粉末", "冶金"], ["新质生产力"]]
    assert pq.exclude == ["wapi"]
    assert not parse_query("   ")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_substring_of_any_item_is_found(searcher, library, data):
    items = library.items()
    item = data.draw(st.sampled_from(items))
    text = data.draw(st.sampled_from([item["title"], item["body"]]))
    text = text.replace("\n", "")
    start = data.draw(st.integers(0, max(0, len(text) - 1)))
    length = data.draw(st.integers(1, 12))
    term = text[start : start + length].strip()
    if not term or any(q in term for q in '"“”＂'):  # quotes are query syntax
        return
    got = hits(searcher, f'"{term}"')
    assert item["id"] in got
    assert got == expected(library, term)


def test_index_follows_imports_from_another_connection(library_path, tmp_path):
    with Library(library_path) as lib:
        s = Searcher(lib)
        assert s.search("星际旅行").total == 0
        other = Library(library_path)
        text = CORPUS_FILES[0].read_text("utf-8").replace("第六届亚洲粉末冶金大会", "第六届星际旅行大会")
        assert other.import_bytes(text.encode(), name="x.txt").status == "updated"
        other.close()
        res = s.search("星际旅行")
        assert res.total == 1
        s.close()


@pytest.mark.parametrize("damage", ["delete", "flag", "garbage", "behind"])
def test_missing_stale_or_damaged_index_is_rebuilt(library_path, damage):
    folder = library_path / "search"
    with Library(library_path) as lib:
        if damage == "delete":
            shutil.rmtree(folder)
        elif damage == "flag":
            lib.set_meta("index_rebuilding", "1")
        elif damage == "garbage":
            for f in folder.glob("*.seg"):
                f.write_bytes(b"garbage")
            for f in folder.glob("*.toc"):
                f.write_bytes(b"garbage")
        elif damage == "behind":
            lib.set_meta("index_rev", "0")
        upkeep = IndexUpkeep(lib)
        assert upkeep.status() != "ok"
        upkeep.ensure()
        assert upkeep.status() == "ok"
        s = Searcher(lib)
        assert hits(s, "钒钛") == expected(lib, "钒钛")
        assert lib.meta("index_rebuilding") in (None, "0")
        s.close()


def _index_files(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()}


def test_searching_never_writes_the_index(library_path):
    """A query over a stale index answers exactly from the store and leaves the index alone."""
    text = CORPUS_FILES[0].read_text("utf-8").replace("第六届亚洲粉末冶金大会", "第六届星际旅行大会")
    with Library(library_path) as lib:
        assert lib.import_bytes(text.encode(), name="x.txt").status == "updated"  # no upkeep: stale
        before_rev, before_files = lib.meta("index_rev"), _index_files(library_path / "search")
        s = Searcher(lib)
        assert s.search("星际旅行").total == 1
        assert s.search("钒钛").total == len(expected(lib, "钒钛"))
        s.close()
        assert lib.meta("index_rev") == before_rev != str(lib.rev)
        assert _index_files(library_path / "search") == before_files


def test_searcher_reopens_when_the_index_moves(library_path):
    text = CORPUS_FILES[0].read_text("utf-8").replace("第六届亚洲粉末冶金大会", "第六届星际旅行大会")
    with Library(library_path) as lib:
        s = Searcher(lib)
        assert s.search("星际旅行").total == 0
        with Library(library_path) as other:
            other.import_bytes(text.encode(), name="x.txt")
        res = s.search("星际旅行")
        assert res.total == 1 and res.hits[0].score == 0.0  # found exactly; not yet ranked
        with Library(library_path) as other:
            IndexUpkeep(other).ensure()  # the write lane catches the index up
        res = s.search("星际旅行")
        assert res.total == 1 and res.hits[0].score > 0.0  # the searcher reopened the index
        s.close()


def test_searching_without_an_index_still_finds_everything(library_path):
    shutil.rmtree(library_path / "search")
    with Library(library_path) as lib:
        s = Searcher(lib)
        assert hits(s, "钒钛") == expected(lib, "钒钛")
        s.close()
        assert not (library_path / "search").exists()
