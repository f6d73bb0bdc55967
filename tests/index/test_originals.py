"""Keeping the original: content-addressed copies, pages per item, the v1 → v2 migration, the same
issue from text and then from DOCX keeping its ids and bookmarks, ``show --json``, page citations."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from jianbao.index import importer as importer_mod
from jianbao.index.cli import main as cli_main
from jianbao.index.export import export_items
from jianbao.index.labels import page_cite
from jianbao.index.store import SCHEMA_VERSION, Library
from tests.conftest import CORPUS, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
DOCX_001 = FIXTURES / "docx" / "001_styleA.docx"
DOCX_004 = FIXTURES / "docx" / "004_styleB.docx"
TEXT_001 = next(CORPUS.glob("001_*.txt"))


def _originals(lib: Library) -> list[Path]:
    folder = lib.folder / "originals"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_original_kept_once_per_content(empty_library, tmp_path):
    r1 = empty_library.import_file(DOCX_001)
    assert r1.status == "added"
    copy = tmp_path / "renamed.docx"
    shutil.copy(DOCX_001, copy)
    r2 = empty_library.import_file(copy)
    assert r2.status == "unchanged"
    kept = _originals(empty_library)
    assert len(kept) == 1 and kept[0].read_bytes() == DOCX_001.read_bytes()
    assert kept[0].name.endswith(".docx") and len(kept[0].stem) == 64
    original = empty_library.original(r1.issue_id)
    assert original is not None and Path(original["path"]) == kept[0] and original["pages"] >= 10
    empty_library.import_file(DOCX_004)
    assert len(_originals(empty_library)) == 2
    assert not list((empty_library.folder / "originals").glob(".*"))  # no temporary file left


def test_items_record_their_pages(empty_library):
    r = empty_library.import_file(DOCX_004)
    items = empty_library.items(issue_id=r.issue_id, body=False)
    pages = [empty_library.item(it["id"])["pages"] for it in items]
    assert all(pages) and pages[0][0] == 1 and pages[-1][-1] >= 15
    assert [p[0] for p in pages] == sorted(p[0] for p in pages)
    assert empty_library.item(items[0]["id"])["ocr"] is False


PDF_001 = FIXTURES / "pdf" / "001_styleA.pdf"


@pytest.mark.parametrize("original", [DOCX_001, PDF_001], ids=["docx", "pdf"])
def test_text_then_original_is_one_issue_with_its_ids_and_bookmarks(empty_library, original):
    if not original.is_file():
        pytest.skip(f"{original.name} is not in this checkout (the PDF fixture comes with the PDF reader)")
    r1 = empty_library.import_file(TEXT_001)
    before = {it["title"]: it["id"] for it in empty_library.items(issue_id=r1.issue_id, body=False)}
    some = sorted(before.values())[5]
    empty_library.bookmark(some, note="看原文")
    assert empty_library.original(r1.issue_id) is None
    r2 = empty_library.import_file(original)
    assert r2.issue_id == r1.issue_id and r2.status in ("updated", "unchanged")
    assert empty_library.original(r1.issue_id)["suffix"] == original.suffix
    after = {it["title"]: it["id"] for it in empty_library.items(issue_id=r1.issue_id, body=False)}
    assert after == before
    assert empty_library.bookmarks_by_id()[some]["note"] == "看原文"
    assert empty_library.item(some)["pages"]
    assert empty_library.counts()["issues"] == 1
    # the text again (say, corrected): still one issue, and the pages of the kept original stay
    corrected = TEXT_001.read_bytes() + b"\n"
    r3 = empty_library.import_bytes(corrected, name="001-corrected.txt")
    assert r3.issue_id == r1.issue_id
    assert empty_library.item(some)["pages"] and empty_library.original(r1.issue_id) is not None


def test_failed_import_leaves_no_original(empty_library, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(importer_mod, "_store_issue", boom)
    with pytest.raises(RuntimeError):
        empty_library.import_file(DOCX_001)
    assert _originals(empty_library) == []
    assert empty_library.counts()["issues"] == 0


def test_missing_original_is_kept_again_on_reimport(empty_library):
    r = empty_library.import_file(DOCX_001)
    path = Path(empty_library.original(r.issue_id)["path"])
    path.unlink()
    assert empty_library.import_file(DOCX_001).status == "unchanged"
    assert path.read_bytes() == DOCX_001.read_bytes()


def test_ocr_flag_is_stored(empty_library, monkeypatch):
    real = importer_mod.parse_document

    def as_ocr(doc):
        parsed = real(doc)
        for it in parsed.items:
            it.ocr = True
        return parsed

    monkeypatch.setattr(importer_mod, "parse_document", as_ocr)
    r = empty_library.import_file(DOCX_004)
    first = empty_library.items(issue_id=r.issue_id, body=False)[0]
    assert empty_library.item(first["id"])["ocr"] is True


# --------------------------------------------------------------------------- migration


def test_v1_library_is_migrated(tmp_path):
    """A library written by schema 1 (the code before originals): opened, upgraded, ids and bookmarks kept."""
    folder = tmp_path / "v1"
    shutil.copytree(FIXTURES / "v1-library", folder)
    with sqlite3.connect(folder / "library.db") as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1
        old_ids = dict(c.execute("SELECT title, id FROM items"))
        old_rev = int(c.execute("SELECT value FROM meta WHERE key='rev'").fetchone()[0])
    with Library(folder) as lib:
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert lib.rev == old_rev
        assert {r["title"]: r["id"] for r in lib.items(body=False)} == old_ids
        marked = next(iter(lib.bookmarks_by_id()))
        assert lib.item(marked)["pages"] == [] and lib.item(marked)["ocr"] is False
        r = lib.import_file(DOCX_001)
        assert r.status == "updated"
        assert {r["title"]: r["id"] for r in lib.items(body=False)} == old_ids
        assert lib.bookmarks_by_id()[marked]["note"] == "v1 note"
        assert lib.item(marked)["pages"]
    with Library(folder) as lib:  # opening again: nothing to migrate, nothing lost
        assert lib.original(r.issue_id)["exists"]


# --------------------------------------------------------------------------- CLI and export


def test_show_json_gives_pages_and_original(tmp_path, capsys):
    lib = tmp_path / "lib"
    assert cli_main(["import", str(DOCX_004), "--library", str(lib)]) == 0
    capsys.readouterr()
    assert cli_main(["items", "--json", "--library", str(lib)]) == 0
    items = [i for i in json.loads(capsys.readouterr().out) if i["year"] == 2022 and i["number"] == 6]
    assert cli_main(["show", str(items[3]["id"]), "--json", "--library", str(lib)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["pages"] and all(isinstance(p, int) for p in shown["pages"])
    assert shown["original"].endswith(".docx") and Path(shown["original"]).is_file()
    assert cli_main(["show", str(items[3]["id"]), "--library", str(lib)]) == 0
    assert page_cite(shown["pages"]) in capsys.readouterr().out


def test_page_cite():
    assert page_cite([3]) == "原文第 3 页"
    assert page_cite([4, 3]) == "原文第 3–4 页"
    assert page_cite([3, 5]) == "原文第 3、5 页"
    assert page_cite([]) == ""


def test_export_cites_the_page(empty_library, tmp_path):
    r = empty_library.import_file(DOCX_004)
    ids = [it["id"] for it in empty_library.items(issue_id=r.issue_id, body=False)][:3]
    out = export_items(empty_library, ids, tmp_path / "out.md", fmt="md")
    text = out.read_text("utf-8")
    for i in ids:
        assert page_cite(empty_library.item(i)["pages"]) in text


def test_a_word_original_is_converted_once_when_two_renders_ask_at_once(tmp_path, monkeypatch):
    """The original pane renders in a thread pool: two pages (or a resize) asked for while
    LibreOffice still converts must not convert twice, each writing the cached PDF."""
    import threading
    import time

    from jianbao.index import originals
    from jianbao.index.readers import doc

    docx = tmp_path / "originals" / "ab12.docx"
    docx.parent.mkdir()
    docx.write_bytes(b"PK word")
    calls = []

    def slow_convert(data: bytes, suffix: str, fmt: str) -> bytes:
        calls.append(suffix)
        time.sleep(0.3)
        return b"%PDF-1.4 converted"

    monkeypatch.setattr(doc, "convert", slow_convert)
    got: list[Path] = []
    threads = [threading.Thread(target=lambda: got.append(originals.viewable_pdf(docx))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [".docx"]
    assert len(set(got)) == 1 and got[0].read_bytes() == b"%PDF-1.4 converted"
