"""书签 and notes: written in the write lane, shown from the library, kept across restarts."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QInputDialog

from jianbao.desktop.models import ID_ROLE
from jianbao.desktop.side_panel import TAB_BOOKMARKS
from jianbao.index import importer
from tests.conftest import CORPUS_FILES

from .conftest import TIMEOUT, first_item_index, wait_job

pytestmark = pytest.mark.gui


def test_bookmark_with_a_note_survives_a_restart(window, make_window, library_path, qtbot, monkeypatch):
    item_id = first_item_index(window).data(ID_ROLE)
    window.open_item(item_id)
    wait_job(qtbot, window, window.toggle_bookmark())
    assert window.lib.is_bookmarked(item_id)
    assert window.reader_pane.star_btn.isChecked()
    assert "1 个书签" in window.status_label.text()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("转给办公室", True))
    wait_job(qtbot, window, window.edit_note())
    window.close()
    again = make_window(library_path)
    again.side.setCurrentIndex(TAB_BOOKMARKS)
    rows = again.side.bookmark_model.rows
    assert [(r["id"], r["note"]) for r in rows] == [(item_id, "转给办公室")]
    with qtbot.waitSignal(again.item_shown, timeout=TIMEOUT):
        again.side.bookmark_view.clicked.emit(again.side.bookmark_model.index(0, 0))
    assert again.reader_pane.star_btn.isChecked()
    wait_job(qtbot, again, again.toggle_bookmark())
    assert again.side.bookmark_model.rowCount() == 0
    assert not again.reader_pane.star_btn.isChecked()


def test_a_bookmark_made_during_an_import_waits_for_it_without_blocking(window, qtbot, monkeypatch, tmp_path):
    """The import holds the write lane; the bookmark is queued behind it, and the window stays live."""
    gate = threading.Event()
    original = importer.import_paths

    def slow_import(lib, paths, cancelled=lambda: False):
        for n, p in enumerate(original(lib, paths, cancelled)):
            yield p
            if n == 0:
                assert gate.wait(TIMEOUT / 1000), "the test never opened the gate"

    monkeypatch.setattr(importer, "import_paths", slow_import)
    changes: list[frozenset[str]] = []
    window.ops.changed.connect(changes.append)
    changed = CORPUS_FILES[0].read_text("utf-8").replace("第六届亚洲粉末冶金大会", "第六届亚洲粉末冶金会议")
    (tmp_path / "again.txt").write_text(changed, encoding="utf-8")
    importing = window.import_paths([str(tmp_path / "again.txt")], quiet=True)
    qtbot.waitUntil(lambda: window.tasks.busy(), timeout=TIMEOUT)

    item_id = first_item_index(window).data(ID_ROLE)
    window.open_item(item_id)
    bookmarking = window.toggle_bookmark()  # returns at once: nothing written on this thread
    assert "其后" in window.statusBar().currentMessage()
    ticks: list[int] = []
    qtbot.waitUntil(lambda: ticks.append(1) or len(ticks) > 3, timeout=TIMEOUT)  # the event loop runs
    assert not window.lib.is_bookmarked(item_id) and importing in window.ops.jobs

    gate.set()
    wait_job(qtbot, window, bookmarking)
    assert importing not in window.ops.jobs
    assert window.lib.is_bookmarked(item_id) and window.reader_pane.star_btn.isChecked()
    assert changes == [frozenset({"items"}), frozenset({"bookmarks"})]


def test_a_failed_bookmark_write_says_so(window, qtbot, _no_modal_boxes):
    window.open_item(first_item_index(window).data(ID_ROLE))
    job = window.ops.set_bookmark(10_000_000)  # an item that does not exist
    qtbot.waitUntil(lambda: job not in window.ops.jobs, timeout=TIMEOUT)  # the failure path ends it too
    assert [t for t, _ in _no_modal_boxes] == ["无法保存书签"]
    assert "Traceback" not in _no_modal_boxes[0][1]
    assert window.side.bookmark_model.rowCount() == 0
