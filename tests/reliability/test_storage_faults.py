"""Issue 10, defect 7: SQLite's errors become the project's own by error code, in one place, and
a foreign, damaged, read-only or full library gives one line and changes nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from jianbao.index import cli
from jianbao.index.dberrors import (
    LibraryBusy,
    LibraryFull,
    LibraryReadOnly,
    LibraryUnavailable,
    NotALibrary,
    map_error,
)
from jianbao.index.errors import LibraryError
from jianbao.index.libfile import APPLICATION_ID, probe


def _raised(fn) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as ei:
        fn()
    return ei.value


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_full_disk_maps_to_library_full(tmp_path):
    conn = sqlite3.connect(tmp_path / "f.db", isolation_level=None)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("PRAGMA max_page_count=3")
    e = _raised(lambda: conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,)))
    mapped = map_error(e, "f.db")
    assert isinstance(mapped, LibraryFull) and mapped.sqlite_error is e and "磁盘已满" in str(mapped)


def test_busy_readonly_notadb_cantopen_map_by_code(tmp_path):
    db = tmp_path / "a.db"
    a = sqlite3.connect(db, isolation_level=None, timeout=0)
    a.execute("CREATE TABLE t(x)")
    a.execute("BEGIN IMMEDIATE")
    b = sqlite3.connect(db, isolation_level=None, timeout=0)
    assert isinstance(map_error(_raised(lambda: b.execute("BEGIN IMMEDIATE")), db), LibraryBusy)
    a.execute("ROLLBACK")
    ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert isinstance(map_error(_raised(lambda: ro.execute("INSERT INTO t VALUES (1)")), db), LibraryReadOnly)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    j = sqlite3.connect(junk)
    assert isinstance(map_error(_raised(lambda: j.execute("SELECT * FROM sqlite_master").fetchall()), junk), NotALibrary)
    assert isinstance(map_error(_raised(lambda: sqlite3.connect(tmp_path / "no" / "such.db")), "x"), LibraryUnavailable)


def test_a_bug_is_not_mapped(tmp_path):
    conn = sqlite3.connect(":memory:")
    assert map_error(_raised(lambda: conn.execute("SELEKT 1")), "x") is None


def corrupt(db: Path) -> None:
    """Overwrite pages after the first with noise (the header stays: SQLite opens it, then fails)."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for at in range(page, len(data), page):
        data[at : at + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))


def test_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path, capsys):
    folder = tmp_path / "lib"
    folder.mkdir()
    other = sqlite3.connect(folder / "library.db")
    other.execute("CREATE TABLE contacts(name, phone)")
    other.execute("INSERT INTO contacts VALUES ('a', '1')")
    other.commit()
    other.close()
    before = digest(folder)
    with pytest.raises(NotALibrary):
        probe(folder / "library.db")
    assert cli.main(["--library", str(folder), "issues"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "不是简报阅览的资料库" in err
    assert digest(folder) == before


def test_not_sqlite_at_all_is_refused_and_left_untouched(tmp_path, capsys):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "library.db").write_text("hello, this is a text file\n" * 50)
    before = digest(folder)
    assert cli.main(["--library", str(folder), "items"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert digest(folder) == before


def test_new_library_carries_the_application_id(tmp_path):
    from jianbao.index.store import Library

    with Library(tmp_path / "n") as lib:
        assert lib.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert probe(tmp_path / "n" / "library.db") == "library"


def test_damaged_library_one_line_suggests_backup_and_is_not_written(library_path, capsys):
    db = library_path / "library.db"
    from jianbao.index.store import Library

    with Library(library_path):
        pass  # checkpointed and closed: everything in library.db
    for extra in ("library.db-wal", "library.db-shm"):
        (library_path / extra).unlink(missing_ok=True)
    corrupt(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for argv in (["items"], ["search", "联盟"], ["import", str(library_path / "nothing.txt")], ["bookmarks"]):
        code = cli.main(["--library", str(library_path), *argv])
        err = capsys.readouterr().err
        assert code != 0, argv
        assert err.count("\n") == 1, (argv, err)
        assert "损坏" in err and "restore" in err, (argv, err)
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before, argv


def test_full_disk_import_fails_in_one_line_and_changes_nothing(library, tmp_path, monkeypatch):
    """SQLITE_FULL mid-import: the import is reported failed, and the library is as it was."""
    from tests.conftest import CORPUS_FILES

    before = library.counts(), library.rev
    text = CORPUS_FILES[0].read_text("utf-8").replace("。", "。" + "补充内容" * 40)
    f = tmp_path / "changed.txt"
    f.write_text(text, "utf-8")
    pages = library.conn.execute("PRAGMA page_count").fetchone()[0]
    library.conn.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(LibraryError) as ei:
        r = library.import_file(f)
        if r.status == "failed":
            raise LibraryError(r.message)
    assert "磁盘已满" in str(ei.value) or "满" in str(ei.value)
    library.conn.execute("PRAGMA max_page_count=1073741823")
    assert (library.counts(), library.rev) == before


def test_full_disk_through_the_cli_is_one_line_and_changes_nothing(library_path, tmp_path, monkeypatch, capsys):
    """The disk fills during `jianbao import` and `jianbao bookmark`: one line each, nothing changed."""
    from jianbao.index import store
    from jianbao.index.store import Library
    from tests.conftest import CORPUS_FILES

    def snapshot() -> tuple:
        with Library(library_path) as lib:
            return (lib.rev, lib.conn.execute("SELECT id, title, body FROM items ORDER BY id").fetchall(),
                    lib.conn.execute("SELECT * FROM bookmarks").fetchall())

    before = snapshot()
    migrate = store.Library._migrate

    def full_after_open(self):
        migrate(self)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(store.Library, "_migrate", full_after_open)
    changed = tmp_path / "changed.txt"
    changed.write_text(CORPUS_FILES[0].read_text("utf-8").replace("。", "。" + "补充内容" * 40), "utf-8")
    code = cli.main(["--library", str(library_path), "import", str(changed)])
    err = capsys.readouterr().err
    assert code != 0 and "磁盘已满" in err and "Traceback" not in err
    assert len([ln for ln in err.splitlines() if "磁盘已满" in ln]) == 1
    monkeypatch.setattr(store.Library, "_migrate", migrate)
    assert snapshot() == before
