"""Qt's own dialogs speak Chinese: file dialog, message box, print dialog, the reader's context menu."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPushButton

from jianbao.desktop.i18n import install_translations, ui_locale
from jianbao.desktop.reader import ReaderView

pytestmark = pytest.mark.gui
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def chinese(qapp):
    def install(system: QLocale) -> None:
        installed.extend(install_translations(qapp, system))

    installed: list = []
    yield install
    for t in installed:
        qapp.removeTranslator(t)
    QLocale.setDefault(QLocale.c())


def _texts(widget) -> list[str]:
    out = [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QPushButton)]
    return [t for t in out if t]


def test_file_dialog_and_message_box_in_chinese(qtbot, chinese):
    chinese(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    dlg = QFileDialog(None, "导入简报")
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    qtbot.addWidget(dlg)
    texts = _texts(dlg)
    assert "打开(&O)" in texts and "取消" in texts
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts
    assert any(t.startswith("文件名") for t in texts)
    assert not [t for t in texts if LATIN_WORD.search(t)], texts
    box = QMessageBox(QMessageBox.Icon.Question, "删除", "确定删除？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Ok
                      | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert {b.text() for b in box.buttons()} == {"是(&Y)", "否(&N)", "确定", "取消"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert {b.text() for b in buttons.buttons()} == {"确定", "取消"}


def test_reader_context_menu_and_print_dialog_in_chinese(qtbot, chinese):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    chinese(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))  # Chinese by default
    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.setHtml('<a href="x">链接</a> 正文')
    actions = [a.text().split("\t")[0] for a in reader.createStandardContextMenu().actions() if a.text()]
    assert actions == ["复制(&C)", "复制链接地址(&L)", "全选"]
    printer = QPrinter()
    dlg = QPrintDialog(printer)
    qtbot.addWidget(dlg)
    texts = _texts(dlg) + [c.itemText(i) for c in dlg.findChildren(QComboBox) for i in range(c.count())]
    english = [t for t in texts if LATIN_WORD.search(t) and "/" not in t]
    assert not english, english


def test_locale_choice():
    assert ui_locale(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)).name() == "zh_CN"
    assert ui_locale(QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan)).name() == "zh_TW"


def test_the_app_installs_them(qtbot):
    from jianbao.desktop.app import make_app

    app = make_app()
    assert app is QApplication.instance()
    box = QMessageBox(QMessageBox.Icon.Question, "t", "t", QMessageBox.StandardButton.Yes)
    qtbot.addWidget(box)
    assert box.buttons()[0].text() == "是(&Y)"
