"""Moving is not selecting: Ctrl+Down/Up go to the next/previous item, Shift extends; the export
dialog shows what will be exported; arrow keys in the results open the item as in the tree."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from jianbao.desktop import dialogs
from jianbao.desktop.models import ID_ROLE

pytestmark = pytest.mark.gui


def _reader_id(win) -> int | None:
    return win.reader_pane.item_id


def test_ctrl_down_moves_and_shift_down_extends(qtbot, window):
    tree = window.side.tree
    ids = window.side.tree_model.item_ids
    tree.setFocus()
    window.side.select_in_tree(ids[0])
    assert window.selected_ids() == [ids[0]]
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert _reader_id(window) == ids[2]
    assert window.selected_ids() == [ids[2]]
    qtbot.keyClick(tree, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert _reader_id(window) == ids[1] and window.selected_ids() == [ids[1]]
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert window.selected_ids() == [ids[1], ids[2]]


def test_the_export_dialog_lists_the_selection(qtbot, window, monkeypatch):
    shown = {}

    def fake_exec(dlg):
        shown["titles"] = [dlg.items.item(i).text() for i in range(dlg.items.count())]
        shown["title"] = dlg.windowTitle()
        return dialogs.ExportDialog.DialogCode.Rejected

    monkeypatch.setattr(dialogs.ExportDialog, "exec", fake_exec)
    ids = window.side.tree_model.item_ids
    window.side.select_in_tree(ids[1])
    window.side.tree.setFocus()
    qtbot.keyClick(window.side.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    window.export_action.trigger()
    title = window.lib.item(ids[2])["title"]
    assert shown == {"titles": [f"1. {title}"], "title": "导出 1 条"}


def test_arrow_keys_in_the_results_open_the_item(qtbot, window):
    with qtbot.waitSignal(window.results_shown, timeout=20_000):
        window.search_bar.field.setText("联盟")
        window.run_search()
    view = window.side.results_view
    view.setFocus()
    view.setCurrentIndex(window.side.results_model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert _reader_id(window) == window.side.results_model.index(1, 0).data(ID_ROLE)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert _reader_id(window) == window.side.results_model.index(2, 0).data(ID_ROLE)
