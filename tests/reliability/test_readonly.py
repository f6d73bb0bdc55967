"""Issue 10, defect 7: a library that cannot be written is read, never written, and every write
is refused in one line. (Tests run as root here, where chmod does not stop writes: the library is
made read-only by what the program sees — ``writable()`` — and checked by the files' bytes.)"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from jianbao.index import cli, libfile, store
from jianbao.index.dberrors import LibraryReadOnly
from jianbao.index.store import Library


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith("-shm")}


@pytest.fixture(params=["with-wal", "checkpointed"])
def ro_library(request, library_path, monkeypatch) -> Path:
    if request.param == "checkpointed":
        with Library(library_path):
            pass
        for extra in ("library.db-wal", "library.db-shm"):
            (library_path / extra).unlink(missing_ok=True)
    else:  # leave a -wal file with content, as a program that was writing would
        with Library(library_path) as lib:
            lib.conn.execute("PRAGMA wal_autocheckpoint=0")
            lib.bookmark(lib.items()[0]["id"], "在 WAL 中")
            os.link(library_path / "library.db-wal", library_path / "keep-wal")
        os.replace(library_path / "keep-wal", library_path / "library.db-wal")
    monkeypatch.setattr(store, "writable", lambda p: False)
    monkeypatch.setattr(libfile, "writable", lambda p: False)
    return library_path


def test_reads_work_and_writes_are_refused_in_one_line(ro_library, capsys):
    before = digest(ro_library)
    lib = ["--library", str(ro_library)]
    assert cli.main([*lib, "issues"]) == 0
    assert "2023年" in capsys.readouterr().out
    assert cli.main([*lib, "search", "联盟"]) == 0
    assert "共 " in capsys.readouterr().out
    assert cli.main([*lib, "show", "1"]) == 0
    capsys.readouterr()
    for argv in (["bookmark", "1", "--note", "x"], ["issue", "edit", "1", "--year", "2020"], ["unbookmark", "1"]):
        assert cli.main([*lib, *argv]) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "只读" in err, (argv, err)
    code = cli.main([*lib, "import", str(Path(__file__).parent.parent / "fixtures" / "repro" / "ctrl_char_body.txt")])
    err = capsys.readouterr().err
    assert code != 0 and "只读" in err and "Traceback" not in err
    assert digest(ro_library) == before


def test_library_api_is_read_only(ro_library):
    with Library(ro_library) as lib:
        assert lib.readonly
        assert lib.counts()["items"] > 0
        with pytest.raises(LibraryReadOnly):
            lib.bookmark(lib.items()[0]["id"], "x")


def test_search_answers_without_writing_even_when_the_index_is_behind(library_path, monkeypatch, capsys):
    with Library(library_path) as lib, lib.transaction():
        lib.bump_rev()  # the store moved on; the index has not caught up
    monkeypatch.setattr(store, "writable", lambda p: False)
    monkeypatch.setattr(libfile, "writable", lambda p: False)
    before = digest(library_path)
    assert cli.main(["--library", str(library_path), "search", "联盟"]) == 0
    assert "共 " in capsys.readouterr().out
    assert digest(library_path) == before


def test_a_read_only_folder_cannot_hold_a_new_library(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "writable", lambda p: False)
    (tmp_path / "ro").mkdir()
    with pytest.raises(LibraryReadOnly, match="只读"):
        Library(tmp_path / "ro")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes whatever the mode says")
def test_real_read_only_folder(library_path, capsys):
    with Library(library_path):
        pass
    for p in [library_path, *library_path.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        assert cli.main(["--library", str(library_path), "items"]) == 0
        assert cli.main(["--library", str(library_path), "bookmark", "1"]) == 2
        assert "只读" in capsys.readouterr().err
    finally:
        for p in [library_path, *library_path.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
