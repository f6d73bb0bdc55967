from __future__ import annotations

from jianbao.index.store import Library
from tests.conftest import CORPUS_FILES


def test_add_note_list_remove(library_path):
    with Library(library_path) as lib:
        marks = lib.bookmarks
        first, second = (r["id"] for r in lib.items(body=False)[:2])
        assert marks.list() == [] and marks.count() == 0
        marks.add(first, "重要")
        marks.add(second)
        assert marks.has(first) and marks.count() == 2
        assert marks.add(first)["note"] == "重要"  # no note given: the note is kept
        assert marks.add(first, "改过")["note"] == "改过"
        assert {m["id"]: m["note"] for m in marks.list()} == {first: "改过", second: ""}
        assert marks.remove(first) and not marks.remove(first)
        assert [m["id"] for m in marks.list()] == [second]
        assert lib.counts()["bookmarks"] == 1


def test_a_bookmark_outlives_its_item(library_path):
    text = CORPUS_FILES[0].read_text("utf-8")
    with Library(library_path) as lib:
        issue_id = lib.import_bytes(text.encode(), name="x.txt").issue_id
        gone = next(r for r in lib.items(issue_id=issue_id, body=False) if r["title"] in text)
        lib.bookmarks.add(gone["id"], "别丢")
        lib.import_bytes(text.replace(gone["title"], "").encode(), name="y.txt")
        mark = lib.bookmarks.by_id()[gone["id"]]
        assert (mark["title"], mark["note"]) == (None, "别丢")
