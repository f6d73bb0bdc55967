"""The desktop app, walked as a user would (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from jianbao.desktop.dialogs import IssueEditDialog
from jianbao.desktop.mainwindow import TAB_BOOKMARKS, TAB_RESULTS, TAB_TREE, MainWindow
from jianbao.desktop.models import ID_ROLE, KIND_ROLE
from jianbao.index.store import Library
from tests.conftest import CORPUS_FILES

pytestmark = pytest.mark.gui
TIMEOUT = 20_000


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    made = []

    def make(folder: Path) -> MainWindow:
        lib = Library(folder)
        win = MainWindow(lib, settings)
        qtbot.addWidget(win)
        win.show()
        win.refresh()
        made.append((win, lib))
        return win

    yield make
    for win, lib in made:
        win.close()
        lib.close()


@pytest.fixture
def window(make_window, library_path) -> MainWindow:
    return make_window(library_path)


@pytest.fixture(autouse=True)
def _no_modal_boxes(monkeypatch):
    """Message boxes would block offscreen; record them instead."""
    shown: list[tuple[str, str]] = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda _parent, title, text, *a, **k: shown.append((title, text)))
    return shown


def first_item_index(win: MainWindow):
    idx = win.tree_model.find_item(win.tree_model.item_ids[0])
    assert idx.data(KIND_ROLE) == "item"
    return idx


def test_open_shows_the_tree_newest_first(window):
    assert window.windowTitle() == "简报阅览"
    years = [window.tree_model.index(r, 0).data() for r in range(window.tree_model.rowCount())]
    assert years == ["2024年（26）", "2023年（48）", "2022年（32）"]
    issue = window.tree_model.index(0, 0, window.tree_model.index(1, 0)).data()
    assert issue == "2023年第6期（总第71期） · 2024-01-10（23）"
    assert "4 期 · 106 条" in window.status_label.text()
    # an issue's sections are built when it is first expanded
    first_issue = window.tree_model.index(0, 0, window.tree_model.index(0, 0))
    assert window.tree_model.rowCount(first_issue) == 1
    window.tree.expand(first_issue)
    sections = [window.tree_model.index(r, 0, first_issue).data() for r in range(window.tree_model.rowCount(first_issue))]
    assert sections == ["重要政策动态（4）", "联盟联络组及协发网动态（4）", "试点联盟动态及协发网网员单位动态（18）"]


def test_expand_the_tree_and_read_with_the_keyboard(window, qtbot):
    idx = first_item_index(window)
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT):
        window.tree.setCurrentIndex(idx)
    assert window.reader.item["id"] == idx.data(ID_ROLE)
    text = window.reader.toPlainText()
    assert idx.data() in text and "2024年第2期" in text
    window.tree.setFocus()
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT) as blocker:
        qtbot.keyClick(window.tree, Qt.Key.Key_Down)
    assert blocker.args[0] == window.tree_model.item_ids[1]
    window.step(1)
    assert window.reader.item["id"] == window.tree_model.item_ids[2]
    window.go_back()
    assert window.reader.item["id"] == window.tree_model.item_ids[1]
    window.go_forward()
    assert window.reader.item["id"] == window.tree_model.item_ids[2]


def test_filter_by_alliance_and_reset(window, qtbot, _no_modal_boxes):
    window.tabs.setCurrentIndex(1)
    # (QTest types ASCII only; Chinese arrives from the input method as committed text)
    window.alliance_filter_field.setText("粉末冶金联盟")  # a short name finds the alliance
    assert window.alliance_proxy.rowCount() == 1
    window._on_alliance_activated(window.alliance_proxy.index(0, 0))
    assert window.alliance == "粉末冶金产业技术创新战略联盟"
    assert len(window.tree_model.item_ids) == 4
    assert window.alliance_chip_action.isVisible() or not window.isVisible()
    assert "粉末冶金联盟" in window.alliance_chip.text()
    assert window.tabs.currentIndex() == TAB_TREE
    # the filter also applies to the search
    window.search_field.setText("联盟")
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT, raising=False) as blocker:
        window.run_search()
    assert not _no_modal_boxes
    assert blocker.args[0] == 4
    window.alliance_chip.click()
    assert window.alliance is None and len(window.tree_model.item_ids) == 106


def test_search_as_you_type_then_enter_opens_the_first_hit(window, qtbot):
    window.focus_search()
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.search_field.insert("钒钛")  # as an input method commits it
    assert blocker.args[0] == 2
    assert window.tabs.currentIndex() == TAB_RESULTS
    assert "共 2 条" in window.hit_count.text()
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT):
        qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert "钒钛" in window.reader.item["title"]
    assert "background-color:#ffe27a" in window.reader.toHtml().replace(" ", "")
    # filters
    window.section_combo.setCurrentIndex(window.section_combo.findData("重要政策动态"))
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.run_search()
    assert blocker.args[0] == 0


def test_bookmark_with_a_note_survives_a_restart(window, make_window, library_path, qtbot, monkeypatch):
    item_id = first_item_index(window).data(ID_ROLE)
    window.open_item(item_id)
    qtbot.keySequence(window, "Ctrl+D") if hasattr(qtbot, "keySequence") else window.toggle_bookmark()
    if not window.lib.is_bookmarked(item_id):
        window.toggle_bookmark()
    assert window.star_btn.isChecked()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("转给办公室", True))
    window.edit_note()
    window.close()
    again = make_window(library_path)
    again.tabs.setCurrentIndex(TAB_BOOKMARKS)
    rows = again.bookmark_model.rows
    assert [(r["id"], r["note"]) for r in rows] == [(item_id, "转给办公室")]
    with qtbot.waitSignal(again.item_shown, timeout=TIMEOUT):
        again.bookmark_view.clicked.emit(again.bookmark_model.index(0, 0))
    assert again.star_btn.isChecked()
    again.toggle_bookmark()
    assert again.bookmark_model.rowCount() == 0


def test_import_with_progress_and_a_summary(make_window, tmp_path, qtbot, _no_modal_boxes):
    win = make_window(tmp_path / "new")
    assert win.tree_model.rowCount() == 0
    bad = tmp_path / "bad.txt"
    bad.write_text("不是简报\n", encoding="utf-8")
    progress: list[tuple[int, int]] = []
    win.job_created.connect(lambda job: job.progress.connect(lambda d, t, _s: progress.append((d, t))))
    job = win.import_paths([str(CORPUS_FILES[0]), str(CORPUS_FILES[2]), str(bad)])
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(lambda: win.tree_model.rowCount() == 2, timeout=TIMEOUT)
    assert progress[-1] == (3, 3)
    title, text = _no_modal_boxes[-1]
    assert title == "导入完成" and "新增 2 期" in text and "失败 1 个文件" in text and "bad.txt" in text
    # the new issues are searchable at once
    with qtbot.waitSignal(win.results_shown, timeout=TIMEOUT) as blocker:
        win.search_field.setText("新质生产力")
        win.run_search()
    assert blocker.args[0] > 0


def test_export_the_selection_to_word(window, tmp_path, qtbot):
    from docx import Document

    tree, model = window.tree, window.tree_model
    window.tabs.setCurrentIndex(TAB_TREE)
    first = first_item_index(window)
    second = model.index(1, 0, first.parent())
    sel = tree.selectionModel()
    sel.select(first, QItemSelectionModel.SelectionFlag.Select)
    sel.select(second, QItemSelectionModel.SelectionFlag.Select)
    ids = window.selected_ids()
    assert ids == [first.data(ID_ROLE), second.data(ID_ROLE)]
    out = tmp_path / "汇编.docx"
    job = window.export_ids(ids, {"fmt": "docx", "output": str(out), "group_by_issue": False, "notes": False,
                                  "title": None})
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
        pass
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert first.data() in texts and second.data() in texts


def test_selecting_an_issue_exports_all_its_items(window):
    issue = window.tree_model.index(0, 0, window.tree_model.index(0, 0))
    window.tree.selectionModel().select(issue, QItemSelectionModel.SelectionFlag.Select)
    assert len(window.selected_ids()) == 26


def test_edit_issue_metadata(window, qtbot):
    year_2022 = window.tree_model.index(2, 0)
    issue = window.tree_model.index(0, 0, year_2022)
    issue_id = issue.data(ID_ROLE)
    dlg = IssueEditDialog(window.lib.issue(issue_id), window)
    dlg.number.setValue(6)
    dlg.total.setValue(65)
    dlg.has_date.setChecked(True)
    dlg.date.setDate(dlg.date.date().fromString("2023-01-15", "yyyy-MM-dd"))
    values = dlg.values()
    assert values == {"year": 2022, "number": 6, "total": 65, "date": "2023-01-15"}
    window.edit_issue(issue_id, values)
    label = window.tree_model.index(0, 0, window.tree_model.index(2, 0)).data()
    assert label == "2022年第6期（总第65期） · 2023-01-15（32）"
    assert window.lib.issue(issue_id)["inferred"] == 0


def test_markup_in_an_item_is_shown_as_text(make_window, tmp_path, qtbot):
    folder = tmp_path / "lib"
    with Library(folder) as lib:
        text = CORPUS_FILES[0].read_text("utf-8").replace(
            "第六届亚洲粉末冶金大会日前在韩国庆州召开",
            '<script>alert("x")</script><img src="http://example.com/x.png">第六届亚洲粉末冶金大会日前在韩国庆州召开',
        )
        lib.import_bytes(text.encode(), name="x.md")
    win = make_window(folder)
    item = next(r for r in win.lib.items() if r["title"].startswith("粉末冶金联盟组织代表团"))
    win.open_item(item["id"])
    plain = win.reader.toPlainText()
    assert '<script>alert("x")</script><img src="http://example.com/x.png">' in plain
    assert "<img" not in win.reader.toHtml().replace("&lt;img", "")


def test_font_size_and_last_item_are_remembered(window, make_window, library_path):
    item_id = first_item_index(window).data(ID_ROLE)
    window.open_item(item_id)
    window.reader.set_font_size(21)
    window.close()
    again = make_window(library_path)
    again.restore_last_item()
    assert again.reader.font_size == 21
    assert again.reader.item["id"] == item_id


def test_copy_with_citation(window):
    window.open_item(first_item_index(window).data(ID_ROLE))
    window.copy_with_citation()
    from PySide6.QtWidgets import QApplication

    text = QApplication.clipboard().text()
    assert text.splitlines()[-1].startswith("——") and "《产业技术创新战略联盟试点工作简报》2024年第2期" in text


def test_every_model_passes_the_model_tester(window, qtbot, qtmodeltester):
    qtmodeltester.check(window.tree_model)
    qtmodeltester.check(window.alliance_model)
    window.alliance_proxy.set_text("联盟")
    qtmodeltester.check(window.alliance_proxy)
    window.lib.bookmark(window.tree_model.item_ids[0], "备注")
    window.refresh_bookmarks()
    qtmodeltester.check(window.bookmark_model)
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT):
        window.search_field.setText("联盟")
        window.run_search()
    assert window.results_model.rowCount() > 0
    qtmodeltester.check(window.results_model)


def test_window_shows_before_the_sample_is_imported(qtbot, tmp_path, settings, _no_modal_boxes):
    from jianbao.desktop.app import open_window

    lib = Library(tmp_path / "fresh")
    win = open_window(lib, settings=settings)
    qtbot.addWidget(win)
    assert win.isVisible()
    assert lib.counts()["items"] == 0  # nothing slow happened before the window showed
    qtbot.waitUntil(lambda: win.tree_model.rowCount() == 3 or bool(_no_modal_boxes), timeout=TIMEOUT)
    assert not _no_modal_boxes
    assert lib.counts()["items"] == 106
    win.close()
    lib.close()


def test_qt_binding_does_not_leak_references_to_none(qapp):
    """PySide6 6.12.0 dropped a reference to None on every call of a void method; a tree of
    10,000 items then crashed the app (none_dealloc). pyproject pins it out; this keeps it out."""
    import sys

    from PySide6.QtGui import QStandardItem

    item = QStandardItem("x")
    before = sys.getrefcount(None)
    for _ in range(5000):
        item.setData(1, Qt.ItemDataRole.UserRole)
        item.setEditable(False)
    assert abs(sys.getrefcount(None) - before) < 500


def test_cancelled_import_changes_nothing(make_window, tmp_path, qtbot):
    win = make_window(tmp_path / "new")
    win.job_created.connect(lambda job: job.cancel())  # the user presses 取消 at once
    job = win.import_paths([str(CORPUS_FILES[0].parent)])
    with qtbot.waitSignal(job.cancelled, timeout=TIMEOUT):
        pass
    assert win.lib.counts()["issues"] == 0


def test_reindex_from_the_menu(window, qtbot):
    index_folder = window.lib.folder / "search"
    job = window.reindex()
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
        pass
    assert (index_folder / "jianbao-index.json").exists()
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.search_field.setText("钒钛")
        window.run_search()
    assert blocker.args[0] == 2
