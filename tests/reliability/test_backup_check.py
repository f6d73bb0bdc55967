"""Backups (SQLite backup API, last N kept; backup/restore commands) and ``jianbao check``."""

from __future__ import annotations

import json
import sqlite3

from jianbao.index import cli
from jianbao.index.backup import backup, daily_backup, list_backups, restore
from jianbao.index.check import check
from jianbao.index.store import Library


def test_backup_is_a_consistent_copy_and_old_ones_are_pruned(library):
    paths = [backup(library.folder, "manual", keep=3) for _ in range(5)]
    kept = list_backups(library.folder)
    assert [b.path for b in kept] == paths[-3:]
    assert not list(kept[0].path.parent.glob("*.partial"))
    conn = sqlite3.connect(kept[-1].path)
    assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == library.counts()["items"]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_daily_backup_once_a_day(library):
    assert daily_backup(library.folder) is not None
    assert daily_backup(library.folder) is None
    assert len(list_backups(library.folder)) == 1


def test_restore_brings_back_what_a_later_change_lost(library_path):
    with Library(library_path) as lib:
        before = lib.counts()
        item = lib.items()[0]["id"]
        lib.bookmarks_by_id()
        lib.bookmark(item, "重要")
    backup(library_path, "manual")
    with Library(library_path) as lib:
        with lib.transaction():
            lib.conn.execute("DELETE FROM bookmarks")
            lib.conn.execute("DELETE FROM items")
        assert lib.counts()["items"] == 0
    _src, kept = restore(library_path)
    assert kept is not None and kept.exists()
    with Library(library_path) as lib:
        assert lib.counts()["items"] == before["items"]
        assert lib.bookmarks_by_id()[item]["note"] == "重要"
        assert lib.meta("index_rebuilding") == "1"  # the index described the other file
    from jianbao.index.search import open_searcher, update_index

    with Library(library_path) as lib:
        update_index(lib)  # the flag set by restore makes this a rebuild
        with open_searcher(lib) as s:
            assert s.search("联盟").total > 0
    assert check(library_path).ok


def test_check_reports_an_orphaned_bookmark_and_a_missing_index(library_path):
    assert check(library_path).ok, check(library_path).text()
    with Library(library_path) as lib, lib.transaction():
        lib.conn.execute("INSERT INTO bookmarks(item_id, note, created, updated) VALUES (999999, '', '', '')")
    report = check(library_path)
    assert not report.ok
    assert any(f.name == "bookmarks" and not f.ok and "999999" in f.text for f in report.findings)
    import shutil

    shutil.rmtree(library_path / "search")
    report = check(library_path, full=False)
    assert any(f.name == "index" and not f.ok for f in report.findings)


def test_check_finds_index_out_of_step_with_store(library_path):
    """An item the index does not have (deleted behind its back) is reported."""
    from whoosh import index

    ix = index.open_dir(str(library_path / "search"))
    with Library(library_path) as lib:
        victim = lib.items()[0]["id"]
    w = ix.writer()
    w.delete_by_term("id", str(victim))
    w.commit()
    report = check(library_path)
    assert any(f.name == "index" and not f.ok and "缺 1 条" in f.text for f in report.findings), report.text()


def test_cli_backup_list_restore_check(library_path, capsys):
    lib = ["--library", str(library_path)]
    assert cli.main([*lib, "backup"]) == 0
    assert "已备份到" in capsys.readouterr().out
    assert cli.main([*lib, "backup", "--list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and rows[0]["reason"] == "manual"
    assert cli.main([*lib, "check"]) == 0
    assert "资料库完好" in capsys.readouterr().out
    assert cli.main([*lib, "check", "--quick", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    assert cli.main([*lib, "restore", rows[0]["file"]]) == 0
    assert "已从" in capsys.readouterr().out
    assert cli.main([*lib, "restore", "no-such-backup.db"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "找不到备份" in err


def test_restore_refuses_a_file_that_is_not_a_library(library_path, tmp_path, capsys):
    junk = tmp_path / "junk.db"
    c = sqlite3.connect(junk)
    c.execute("CREATE TABLE x(y)")
    c.commit()
    c.close()
    before = (library_path / "library.db").read_bytes()
    assert cli.main(["--library", str(library_path), "restore", str(junk)]) == 2
    assert "不是简报阅览的资料库" in capsys.readouterr().err
    assert (library_path / "library.db").read_bytes() == before
