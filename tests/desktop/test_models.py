"""Every model behind the side panel passes pytest-qt's model tester; the Qt binding does not leak."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from .conftest import TIMEOUT, wait_job

pytestmark = pytest.mark.gui


def test_every_model_passes_the_model_tester(window, qtbot, qtmodeltester):
    side = window.side
    qtmodeltester.check(side.tree_model)
    qtmodeltester.check(side.alliance_model)
    side.alliance_proxy.set_text("联盟")
    qtmodeltester.check(side.alliance_proxy)
    wait_job(qtbot, window, window.ops.set_bookmark(side.tree_model.item_ids[0], "备注"))
    assert side.bookmark_model.rowCount() == 1
    qtmodeltester.check(side.bookmark_model)
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT):
        window.search_bar.field.setText("联盟")
        window.run_search()
    assert side.results_model.rowCount() > 0
    qtmodeltester.check(side.results_model)


def test_qt_binding_does_not_leak_references_to_none(qapp):
    """PySide6 6.12.0 dropped a reference to None on every call of a void method; a tree of
    10,000 items then crashed the app (none_dealloc). pyproject pins it out; this keeps it out."""
    from PySide6.QtGui import QStandardItem

    item = QStandardItem("x")
    before = sys.getrefcount(None)
    for _ in range(5000):
        item.setData(1, Qt.ItemDataRole.UserRole)
        item.setEditable(False)
    assert abs(sys.getrefcount(None) - before) < 500
