"""导出: what is selected is what is exported."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel

from jianbao.desktop.models import ID_ROLE
from jianbao.desktop.side_panel import TAB_TREE

from .conftest import TIMEOUT, first_item_index

pytestmark = pytest.mark.gui


def test_export_the_selection_to_word(window, tmp_path, qtbot):
    from docx import Document

    tree, model = window.side.tree, window.side.tree_model
    window.side.setCurrentIndex(TAB_TREE)
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
    model = window.side.tree_model
    issue = model.index(0, 0, model.index(0, 0))
    window.side.tree.selectionModel().select(issue, QItemSelectionModel.SelectionFlag.Select)
    assert len(window.selected_ids()) == 26


def test_with_nothing_selected_the_open_item_is_exported(window, _no_modal_boxes):
    assert window.selected_ids() == []
    assert window.export_ids([]) is None and _no_modal_boxes[-1][0] == "导出"
    item_id = first_item_index(window).data(ID_ROLE)
    window.open_item(item_id)
    assert window.selected_ids() == [item_id]


def test_a_failed_export_says_why_in_one_line(window, tmp_path, qtbot, _no_modal_boxes):
    out = tmp_path / "no-such-folder" / "x.docx"
    job = window.export_ids([first_item_index(window).data(ID_ROLE)],
                            {"fmt": "docx", "output": str(out), "group_by_issue": False, "notes": False, "title": None})
    qtbot.waitUntil(lambda: job not in window.ops.jobs, timeout=TIMEOUT)
    assert _no_modal_boxes and _no_modal_boxes[-1][0] == "导出失败"
    assert _no_modal_boxes[-1][1].startswith("文件夹不存在")  # a known error, said as it is
    assert "\n" not in _no_modal_boxes[-1][1].strip()


def test_a_bug_in_an_operation_is_one_sentence_not_a_traceback():
    from jianbao.desktop.operations import readable

    trace = 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nKeyError: \'id\'\n'
    assert readable(trace) == "出现意外错误：KeyError: 'id'"
    assert readable("文件夹不存在：/x") == "文件夹不存在：/x"
