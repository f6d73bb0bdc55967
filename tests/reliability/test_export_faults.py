"""Issue 10, defect 9: exports past SQLite's variable limit, temp files a kill leaves, umask."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

from jianbao.index.export import export_items, md_escape


def test_more_ids_than_sqlite_variables(library, tmp_path):
    ids = [r["id"] for r in library.items(body=False)]
    assert len(ids) > 20
    library.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 9)  # as on builds with a low limit
    out = export_items(library, ids, tmp_path / "all.md", fmt="md")
    text = out.read_text("utf-8")
    assert all(md_escape(r["title"]) in text for r in library.items(body=False))


def test_temp_left_by_a_killed_export_is_removed_by_the_next(library, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "x.md"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = tmp_path / f".x.md.{pid}.jianbao-tmp"
    stale.write_bytes(b"")
    other = tmp_path / f".x.md.{os.getppid()}.jianbao-tmp"  # a live process's export: left alone
    other.write_bytes(b"")
    export_items(library, [library.items()[0]["id"]], out, fmt="md")
    assert not stale.exists()
    assert other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, "x.md"])


def test_exported_file_mode_follows_umask(library, tmp_path):
    old = os.umask(0o022)
    try:
        out = export_items(library, [library.items()[0]["id"]], tmp_path / "u.html", fmt="html")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    old = os.umask(0o077)
    try:
        out = export_items(library, [library.items()[0]["id"]], tmp_path / "v.docx", fmt="docx")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_control_characters_already_in_the_library_export_and_show_safely(library, library_path, tmp_path, capsys):
    """Defect 4's other half: text a former import let through must not break DOCX export or
    write escape sequences to the terminal."""
    from jianbao.index import cli

    item = library.items()[0]["id"]
    with library.transaction():
        library.conn.execute("UPDATE items SET body = body || ? WHERE id=?", ("尾\x00\x1b[31m红\x07", item))
    out = export_items(library, [item], tmp_path / "c.docx", fmt="docx")
    assert out.stat().st_size > 0
    assert cli.main(["--library", str(library_path), "show", str(item)]) == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\x00" not in shown and "\x07" not in shown and "红" in shown


def test_a_killed_import_leaves_no_half_original_behind(tmp_path):
    """Originals are written like exports: a stale temporary of a dead process is removed next time."""
    import subprocess
    import sys

    from jianbao.index.importer import keep_original
    from jianbao.index.store import Library

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    with Library(tmp_path / "lib") as lib:
        folder = lib.folder / "originals"
        folder.mkdir(exist_ok=True)
        stale = folder / f".abc.pdf.{pid}.jianbao-tmp"
        stale.write_bytes(b"%PDF half")
        rel, _created = keep_original(lib, b"%PDF whole", "abc", ".pdf")
        assert (lib.folder / rel).read_bytes() == b"%PDF whole"
        assert sorted(p.name for p in folder.iterdir()) == ["abc.pdf"]
