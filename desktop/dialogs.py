"""Small dialogs: issue metadata, export options, the progress of long work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QWidget,
)

from jianbao.index.export import FORMAT_NAMES, SUFFIX
from jianbao.index.export import FORMATS as EXPORT_FORMATS
from jianbao.index.labels import BULLETIN, issue_label

from .tasks import Job


class IssueEditDialog(QDialog):
    """编辑期刊信息: year, 期, 总期, date. Empty 总期/date mean unknown."""

    def __init__(self, issue: dict[str, Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("编辑期刊信息")
        form = QFormLayout(self)
        self.year = QSpinBox(minimum=1990, maximum=2100, value=issue.get("year") or dt.date.today().year)
        self.number = QSpinBox(minimum=0, maximum=99, value=issue.get("number") or 0, specialValueText="不详")
        self.total = QSpinBox(minimum=0, maximum=9999, value=issue.get("total") or 0, specialValueText="不详")
        self.date = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.has_date = QCheckBox("已知")
        if issue.get("date"):
            self.date.setDate(QDate.fromString(issue["date"], "yyyy-MM-dd"))
            self.has_date.setChecked(True)
        else:
            self.date.setDate(QDate(self.year.value(), 1, 1))
        self.date.setEnabled(self.has_date.isChecked())
        self.has_date.toggled.connect(self.date.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.date, 1)
        row.addWidget(self.has_date)
        form.addRow("期刊", QLineEdit(issue_label(issue), readOnly=True))
        form.addRow("年份", self.year)
        form.addRow("期", self.number)
        form.addRow("总期", self.total)
        form.addRow("出版日期", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "year": self.year.value(),
            "number": self.number.value() or None,
            "total": self.total.value() or None,
            "date": self.date.date().toString("yyyy-MM-dd") if self.has_date.isChecked() else None,
        }


FORMATS = [(f"{FORMAT_NAMES[f]} (*{SUFFIX[f]})", f) for f in EXPORT_FORMATS]


class ExportDialog(QDialog):
    """导出: format, file, grouping and notes."""

    def __init__(self, count: int, suggested: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"导出 {count} 条")
        form = QFormLayout(self)
        self.format = QComboBox()
        for label, key in FORMATS:
            self.format.addItem(label, key)
        self.path = QLineEdit(suggested)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.group = QCheckBox("按期刊分组（新的在前）")
        self.notes = QCheckBox("附上书签备注")
        self.title = QLineEdit(placeholderText=f"{BULLETIN}条目汇编")
        form.addRow("格式", self.format)
        form.addRow("文件", row)
        form.addRow("标题", self.title)
        form.addRow("", self.group)
        form.addRow("", self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(self._on_format_changed)

    def _on_format_changed(self) -> None:
        p = self.path.text()
        if "." in p:
            self.path.setText(p.rsplit(".", 1)[0] + "." + self.format.currentData())

    def _browse(self) -> None:
        label = self.format.currentText()
        path, _ = QFileDialog.getSaveFileName(self, "导出到", self.path.text(), label)
        if path:
            self.path.setText(path)

    def values(self) -> dict[str, Any]:
        return {"fmt": self.format.currentData(), "output": self.path.text(), "group_by_issue": self.group.isChecked(),
                "notes": self.notes.isChecked(), "title": self.title.text().strip() or None}


def progress_dialog(job: Job, title: str, parent: QWidget) -> QProgressDialog:
    """A progress dialog for ``job`` that appears only if the work lasts over half a second."""
    dlg = QProgressDialog(title, "取消", 0, 0, parent)
    dlg.setWindowTitle(title)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(500)
    dlg.setAutoClose(False)
    dlg.setAutoReset(False)

    def on_progress(done: int, total: int, text: str) -> None:
        dlg.setMaximum(max(total, 1))
        dlg.setValue(done)
        dlg.setLabelText(f"{title}：{done}/{total}\n{text}")

    job.progress.connect(on_progress)
    dlg.canceled.connect(job.cancel)
    for sig in (job.finished, job.failed, job.cancelled):
        sig.connect(lambda *_: QTimer.singleShot(0, dlg.close))
    return dlg


def choose_import_paths(parent: QWidget) -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(
        parent, "导入简报", "",
        "简报 (*.pdf *.docx *.doc *.txt *.md *.markdown *.png *.jpg *.jpeg *.tif *.tiff);;"
        "扫描页图片 (*.png *.jpg *.jpeg *.tif *.tiff);;所有文件 (*)",
    )
    return files
