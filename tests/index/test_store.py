"""The library: import, stable ids, updates in place, bad input, schema versions."""

from __future__ import annotations

import codecs
import sqlite3
import threading

import pytest

from jianbao.index.errors import LibraryError, NotFoundError
from jianbao.index.store import SCHEMA_VERSION, Library
from tests.conftest import CORPUS, CORPUS_FILES, truth


def snapshot(lib: Library) -> list[tuple]:
    rows = lib.conn.execute(
        "SELECT t.id, t.issue_id, t.section, t.position, t.title, t.body, t.credit, t.alliance, t.rev "
        "FROM items t ORDER BY t.id"
    ).fetchall()
    issues = lib.conn.execute("SELECT id, year, number, total, date, inferred FROM issues ORDER BY id").fetchall()
    return rows + issues


def test_import_folder_matches_the_oracle(empty_library):
    results = [p.result for p in empty_library.import_paths([CORPUS]) if p.result]
    assert [r.status for r in results] == ["added"] * 4
    for r, f in zip(results, CORPUS_FILES, strict=True):
        t = truth(f.name)
        items = empty_library.items(issue_id=r.issue_id)
        items.sort(key=lambda x: x["position"])
        assert [x["title"] for x in items] == [i["title"] for i in t["items"]]
        assert [x["alliance"] for x in items] == [i["alliance"] for i in t["items"]]
        assert r.balance["unaccounted"] == 0
        issue = empty_library.issue(r.issue_id)
        if t["masthead"]:
            m = t["masthead"]
            assert (issue["year"], issue["number"], issue["total"], issue["date"]) == (
                m["year"], m["number"], m["total"], m["date"])
            assert not issue["inferred"]
        else:
            assert issue["year"] == t["inferred_period"]["year"]
            assert issue["inferred"]


def test_reimport_changes_nothing(library):
    before = snapshot(library)
    rev = library.rev
    results = [p.result for p in library.import_paths([CORPUS]) if p.result]
    assert {r.status for r in results} == {"unchanged"}
    assert snapshot(library) == before
    assert library.rev == rev


def test_same_content_other_encoding_keeps_ids(library):
    """A re-encoded copy is a different file (new hash) with the same items: ids stay, nothing changes."""
    path = CORPUS_FILES[3]
    before = snapshot(library)
    data = path.read_text("utf-8").replace("\n", "\r\n").encode("gb18030")
    r = library.import_bytes(data, name="004-gbk.txt")
    assert r.status == "unchanged"
    assert snapshot(library)[: len(before)] == before


def test_corrected_version_updates_in_place(library, tmp_path):
    path = CORPUS_FILES[0]
    old_items = {x["title"]: x["id"] for x in library.items() if x["year"] == 2023 and x["number"] == 6}
    text = path.read_text("utf-8")
    text = text.replace("粉末冶金联盟组织代表团赴韩国开展国际学术交流", "粉末冶金联盟组织代表团赴韩国开展学术交流")
    text = text.replace("第六届亚洲粉末冶金大会日前在韩国庆州召开", "第六届亚洲粉末冶金大会近日在韩国庆州召开")
    fixed = tmp_path / "001-corrected.txt"
    fixed.write_text(text, "utf-8")
    library.bookmark(old_items["粉末冶金联盟组织代表团赴韩国开展国际学术交流"], "看这个")
    r = library.import_file(fixed)
    assert r.status == "updated"
    new_items = {x["title"]: x["id"] for x in library.items(issue_id=r.issue_id)}
    assert len(new_items) == len(old_items)
    assert new_items["粉末冶金联盟组织代表团赴韩国开展学术交流"] == old_items["粉末冶金联盟组织代表团赴韩国开展国际学术交流"]
    assert set(new_items.values()) == set(old_items.values())
    item = library.item(new_items["粉末冶金联盟组织代表团赴韩国开展学术交流"])
    assert "近日在韩国庆州召开" in item["body"]
    assert [b["note"] for b in library.bookmarks()] == ["看这个"]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"%PDF-1.7 binary", "PDF"),
        (b"PK\x03\x04rest", "DOCX"),
        (b"\x00\x01\x02binary", "二进制"),
        (b"\xff\xfe\x00\xd8broken", "解码"),
        ("这只是一段普通的文字，不是简报。\n第二行。\n".encode(), "不像是"),
        (b"", "不像是"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(library, tmp_path, data, reason):
    before = snapshot(library)
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    r = library.import_file(f)
    assert r.status == "failed"
    assert reason in r.message
    assert "\n" not in r.message
    assert snapshot(library) == before


def test_missing_file(library, tmp_path):
    results = [p.result for p in library.import_paths([tmp_path / "nope.txt"]) if p.result]
    assert results[0].status == "failed" and "不存在" in results[0].message


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings(empty_library, tmp_path, encoding):
    path = CORPUS_FILES[1]
    f = tmp_path / "x.txt"
    text = path.read_text("utf-8")
    if encoding == "gbk":  # GBK cannot encode every character of the sample; the parser must not care
        text = text.encode("gbk", "replace").decode("gbk")
    f.write_bytes(codecs.encode(text.replace("\n", "\r\n"), encoding))
    r = empty_library.import_file(f)
    assert r.status == "added", r.message
    assert r.items == len(truth(path.name)["items"])


def test_library_newer_than_the_code_is_refused(tmp_path):
    folder = tmp_path / "lib"
    Library(folder).close()
    con = sqlite3.connect(folder / "library.db")
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(LibraryError, match="更新版本"):
        Library(folder)


def test_damaged_database_is_a_clear_error(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "library.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match=r"损坏|无法打开"):
        Library(folder)


def test_locked_library_is_a_clear_error(library_path):
    holder = sqlite3.connect(library_path / "library.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        lib = Library(library_path)
        lib.conn.execute("PRAGMA busy_timeout=100")
        with pytest.raises(LibraryError, match="锁定"):
            lib.edit_issue(1, year=2000)
        lib.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_issue_edit(library):
    inferred = next(i for i in library.issues() if i["inferred"] and i["year"] == 2022)
    ids = [x["id"] for x in library.items(issue_id=inferred["id"])]
    r = library.edit_issue(inferred["id"], year=2022, number=6, total=65, date="2023-01-15")
    assert (r["year"], r["number"], r["total"], r["date"], r["inferred"]) == (2022, 6, 65, "2023-01-15", 0)
    assert [x["id"] for x in library.items(issue_id=inferred["id"])] == ids
    # re-importing the (inferred) source keeps what the user said
    library.import_bytes(CORPUS_FILES[3].read_bytes() + b"\n", name="004-again.txt")
    assert library.issue(inferred["id"])["number"] == 6


def test_unknown_alliance_becomes_new(empty_library):
    text = (CORPUS_FILES[0].read_text("utf-8")
            .replace("（粉末冶金产业技术创新战略联盟秘书处供稿）", "（星际旅行产业技术创新战略联盟秘书处供稿）"))
    r = empty_library.import_bytes(text.encode(), name="x.txt")
    assert r.status == "added"
    names = {a["name"] for a in empty_library.alliances()}
    assert "星际旅行产业技术创新战略联盟" in names
    assert [x["title"] for x in empty_library.items(alliance="星际旅行联盟")] == ["粉末冶金联盟组织代表团赴韩国开展国际学术交流"]
    # and it survives reopening
    again = Library(empty_library.folder)
    assert again.alliance_names("星际旅行") == {"星际旅行产业技术创新战略联盟"}
    again.close()


def test_alliance_filter_accepts_aliases(library):
    full = library.items(alliance="畜禽良种产业技术创新战略联盟")
    assert len(full) == 2
    assert library.items(alliance="畜禽良种联盟") == full
    assert library.items(alliance="禽畜良种产业技术创新战略联盟") == full  # the misspelling seen
    both = library.items(alliance="钒钛联盟")
    assert {x["alliance"] for x in both} == {"钒钛产业技术创新战略联盟", "钒钛资源综合利用产业技术创新战略联盟"}


def test_bookmarks(library):
    item = library.items()[0]
    library.bookmark(item["id"], "第一条")
    library.bookmark(item["id"])  # no note given: the note stays
    assert library.bookmarks()[0]["note"] == "第一条"
    assert library.is_bookmarked(item["id"])
    assert library.unbookmark(item["id"])
    assert not library.unbookmark(item["id"])
    with pytest.raises(NotFoundError):
        library.bookmark(999999)


def test_one_library_per_thread(library_path):
    """A Library opened in a worker thread works there (how the GUI uses it)."""
    out = {}

    def work():
        with Library(library_path) as lib:
            out["n"] = lib.counts()["items"]

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert out["n"] == 106
