"""The search bar: search as you type, Enter opens the first hit, filters, the alliance filter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from jianbao.desktop.side_panel import TAB_ALLIANCES, TAB_RESULTS, TAB_TREE

from .conftest import TIMEOUT

pytestmark = pytest.mark.gui


def test_search_as_you_type_then_enter_opens_the_first_hit(window, qtbot):
    bar = window.search_bar
    bar.focus()
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        bar.field.insert("钒钛")  # as an input method commits it
    assert blocker.args[0] == 2
    assert window.side.currentIndex() == TAB_RESULTS
    assert "共 2 条" in bar.hit_count.text()
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT):
        qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert "钒钛" in window.reader.item["title"]
    assert "background-color:#ffe27a" in window.reader.toHtml().replace(" ", "")
    # filters
    bar.section_combo.setCurrentIndex(bar.section_combo.findData("重要政策动态"))
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.run_search()
    assert blocker.args[0] == 0


def test_clicking_a_hit_opens_it_with_the_terms_marked(window, qtbot):
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT):
        window.search_bar.field.setText("钒钛")
    model = window.side.results_model
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT) as blocker:
        window.side.results_view.clicked.emit(model.index(1, 0))
    assert blocker.args[0] == model.rows[1].id
    assert window.reader.terms == window.current_terms != []
    window.search_bar.field.clear()
    window.run_search()
    assert window.reader.terms == [] and window.side.results_model.rowCount() == 0


def test_filter_by_alliance_and_reset(window, qtbot, _no_modal_boxes):
    side, bar = window.side, window.search_bar
    side.setCurrentIndex(TAB_ALLIANCES)
    # (QTest types ASCII only; Chinese arrives from the input method as committed text)
    side.alliance_filter_field.setText("粉末冶金联盟")  # a short name finds the alliance
    assert side.alliance_proxy.rowCount() == 1
    side.alliance_view.clicked.emit(side.alliance_proxy.index(0, 0))
    assert window.alliance == "粉末冶金产业技术创新战略联盟"
    assert len(side.tree_model.item_ids) == 4
    assert bar.alliance_chip_action.isVisible() or not window.isVisible()
    assert "粉末冶金联盟" in bar.alliance_chip.text()
    assert bar.alliance_combo.currentData() == window.alliance
    assert side.currentIndex() == TAB_TREE
    # the filter also applies to the search
    bar.field.setText("联盟")
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT, raising=False) as blocker:
        window.run_search()
    assert not _no_modal_boxes
    assert blocker.args[0] == 4
    bar.alliance_chip.click()
    assert window.alliance is None and len(side.tree_model.item_ids) == 106
    # the combo sets it too
    bar.alliance_combo.setCurrentIndex(bar.alliance_combo.findData("粉末冶金产业技术创新战略联盟"))
    assert window.alliance == "粉末冶金产业技术创新战略联盟"
