"""目录: the tree of years, issues and sections; reading with the keyboard; issue metadata."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from jianbao.desktop.dialogs import IssueEditDialog
from jianbao.desktop.models import ID_ROLE

from .conftest import TIMEOUT, first_item_index, wait_job

pytestmark = pytest.mark.gui


def test_open_shows_the_tree_newest_first(window):
    model = window.side.tree_model
    assert window.windowTitle() == "简报阅览"
    years = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert years == ["2024年（26）", "2023年（48）", "2022年（32）"]
    issue = model.index(0, 0, model.index(1, 0)).data()
    assert issue == "2023年第6期（总第71期） · 2024-01-10（23）　示例"  # the built-in sample is marked
    assert "4 期 · 106 条" in window.status_label.text()
    # an issue's sections are built when it is first expanded
    first_issue = model.index(0, 0, model.index(0, 0))
    assert model.rowCount(first_issue) == 1
    window.side.tree.expand(first_issue)
    sections = [model.index(r, 0, first_issue).data() for r in range(model.rowCount(first_issue))]
    assert sections == ["重要政策动态（4）", "联盟联络组及协发网动态（4）", "试点联盟动态及协发网网员单位动态（18）"]


def test_expand_the_tree_and_read_with_the_keyboard(window, qtbot):
    tree, ids = window.side.tree, window.side.tree_model.item_ids
    idx = first_item_index(window)
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT):
        tree.setCurrentIndex(idx)
    assert window.reader.item["id"] == idx.data(ID_ROLE)
    text = window.reader.toPlainText()
    assert idx.data() in text and "2024年第2期" in text
    tree.setFocus()
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT) as blocker:
        qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert blocker.args[0] == ids[1]
    window.step(1)
    assert window.reader.item["id"] == ids[2]
    window.reader_pane.go_back()
    assert window.reader.item["id"] == ids[1]
    window.reader_pane.go_forward()
    assert window.reader.item["id"] == ids[2]
    window.reader_pane.prev_btn.click()
    assert window.reader.item["id"] == ids[1]


def test_edit_issue_metadata(window, qtbot):
    model = window.side.tree_model
    issue = model.index(0, 0, model.index(2, 0))
    issue_id = issue.data(ID_ROLE)
    dlg = IssueEditDialog(window.lib.issue(issue_id), window)
    dlg.number.setValue(6)
    dlg.total.setValue(65)
    dlg.has_date.setChecked(True)
    dlg.date.setDate(dlg.date.date().fromString("2023-01-15", "yyyy-MM-dd"))
    values = dlg.values()
    assert values == {"year": 2022, "number": 6, "total": 65, "date": "2023-01-15"}
    wait_job(qtbot, window, window.edit_issue(issue_id, values))
    label = model.index(0, 0, model.index(2, 0)).data()
    assert label == "2022年第6期（总第65期） · 2023-01-15（32）　示例"
    assert window.lib.issue(issue_id)["inferred"] == 0


def test_a_refused_issue_edit_says_why(window, qtbot, _no_modal_boxes):
    model = window.side.tree_model
    issue_id = model.index(0, 0, model.index(2, 0)).data(ID_ROLE)
    job = window.edit_issue(issue_id, {"year": 2022, "date": "2023-13-45"})
    qtbot.waitUntil(lambda: job not in window.ops.jobs, timeout=TIMEOUT)
    assert [t for t, _ in _no_modal_boxes] == ["无法保存"]
    assert "YYYY-MM-DD" in _no_modal_boxes[0][1] and "Traceback" not in _no_modal_boxes[0][1]
    assert window.lib.issue(issue_id)["date"] != "2023-13-45"
