"""Small frictions of issue 13: year filters can be cleared; a selected hit's detail line is readable."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from jianbao.desktop.search_bar import YearSpin

from .conftest import TIMEOUT

pytestmark = pytest.mark.gui


def test_a_year_filter_clears_without_typing_zero(qtbot):
    spin = YearSpin("起始年")
    qtbot.addWidget(spin)
    spin.show()
    spin.setValue(2023)
    spin.lineEdit().selectAll()
    qtbot.keyClick(spin, Qt.Key.Key_Backspace)
    assert spin.value() == 0 and spin.text() == "起始年"
    spin.setValue(2023)
    qtbot.keyClick(spin, Qt.Key.Key_Delete)
    assert spin.value() == 0
    spin.stepBy(1)  # from empty: this year, not year 1
    assert spin.value() == dt.date.today().year
    spin.setValue(1990)
    spin.stepBy(-1)  # below the first year: empty again
    assert spin.value() == 0
    spin.setValue(2020)
    spin.lineEdit().clear()  # emptied by hand, then Enter
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == 0


def test_the_selected_hit_detail_line_takes_the_highlight_colour(window, qtbot):
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT):
        window.search_bar.field.setText("钒钛")
    view = window.side.results_view
    delegate = view.itemDelegate()
    index = window.side.results_model.index(0, 0)
    opt = QStyleOptionViewItem()
    opt.initFrom(view)
    opt.rect = view.visualRect(index)
    plain = delegate._doc(opt, index).toHtml()
    opt.state |= QStyle.StateFlag.State_Selected
    selected = delegate._doc(opt, index).toHtml()
    light = view.palette().color(QPalette.ColorRole.HighlightedText).name()
    assert "#666666" in plain or "#666" in plain
    assert "#666" not in selected and "#333" not in selected and light in selected


def test_an_empty_result_says_so_and_why(window, qtbot):
    window.open_item(window.side.tree_model.item_ids[0])
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.search_bar.field.setText("钒钛 量子引力")
    assert blocker.args[0] == 0
    side = window.side
    assert side.results_empty.isVisibleTo(side) and not side.results_view.isVisibleTo(side)
    assert "未找到" in side.results_empty.text() and "“量子引力” 在全部简报中都没有出现" in side.results_empty.text()
    assert window.reader_pane.item_id is None and "未找到" in window.reader.toPlainText()
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.search_bar.field.setText("钒钛 汉麻")
    assert blocker.args[0] == 0 and "没有一条同时包含" in side.results_empty.text()
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.search_bar.field.setText("钒钛")
    assert blocker.args[0] == 2 and side.results_view.isVisibleTo(side) and not side.results_empty.isVisibleTo(side)


def test_a_search_for_a_credit_finds_it_and_the_reader_marks_it(window, qtbot):
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.search_bar.field.setText("新华社")
    assert blocker.args[0] > 0
    hit = window.side.results_model.rows[0]
    assert "新华社" in hit.snippet
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT):
        window.side.results_view.clicked.emit(window.side.results_model.index(0, 0))
    html = window.reader.toHtml().replace(" ", "")
    assert "新华社" in window.reader.toPlainText().split("\n")[-1]  # the credit line, last
    assert "background-color:#ffe27a" in html
