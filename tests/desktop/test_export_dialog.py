"""The export dialog: shows what will be exported, is wide enough to read, format follows the file name."""

from __future__ import annotations

import pytest

from jianbao.desktop.dialogs import ExportDialog

pytestmark = pytest.mark.gui


def test_lists_the_items_and_is_readable(qtbot):
    titles = [f"条目{n}" for n in range(1, 8)]
    dlg = ExportDialog(7, "/home/用户/文档/很长的文件夹名称/简报汇编.docx", titles=titles)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.summary.text() == "将导出以下 7 条："
    assert [dlg.items.item(i).text() for i in range(dlg.items.count())] == [f"{n}. 条目{n}" for n in range(1, 8)]
    assert dlg.width() >= 600 and dlg.height() >= 300
    fm = dlg.path.fontMetrics()
    assert dlg.path.width() >= fm.horizontalAdvance(dlg.path.text())  # the whole path is visible
    assert dlg.title.width() >= fm.horizontalAdvance(dlg.title.placeholderText())


def test_many_items_are_summed_up(qtbot):
    dlg = ExportDialog(620, "x.docx", titles=[f"t{n}" for n in range(620)])
    qtbot.addWidget(dlg)
    assert dlg.items.count() == ExportDialog.SHOWN + 1
    assert dlg.items.item(ExportDialog.SHOWN).text() == "……以及另外 120 条"


def test_format_follows_the_extension_and_back(qtbot):
    dlg = ExportDialog(1, "简报.docx", titles=["a"])
    qtbot.addWidget(dlg)
    assert dlg.values()["fmt"] == "docx"
    dlg.path.clear()
    qtbot.keyClicks(dlg.path, "report.pdf")  # typed: QTest types ASCII only
    assert dlg.values()["fmt"] == "pdf" and dlg.values()["output"] == "report.pdf"
    dlg.format.setCurrentIndex(dlg.format.findData("md"))
    assert dlg.values()["output"] == "report.md"
