"""One quiet line under the search field: how the query was read (同时含 / 短语 / 任一 / 不含) and
how the segmenter split each term for ranking (``新质生产力 → 新质 · 生产力``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QToolBar, QWidget


class ExplainBar(QToolBar):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("检索说明", parent)
        self.setObjectName("explainbar")
        self.setMovable(False)
        self.label = QLabel("")
        self.label.setObjectName("explainLine")
        self.label.setStyleSheet("color:#777; padding:0 6px 2px 6px;")
        self.label.setToolTip("检索词逐字匹配；排序按分词后的词语计算相关度")
        self.addWidget(self.label)
        self.setVisible(False)

    def show_explanation(self, explanation: Any) -> None:
        text = explanation.line() if explanation is not None else ""
        self.label.setText(f"检索理解：{text}" if text else "")
        self.setVisible(bool(text))

    def text(self) -> str:
        return self.label.text()
