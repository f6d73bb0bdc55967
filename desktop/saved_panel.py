"""订阅: the saved searches, each with its hit count and a badge for hits new since last looked.

It shows the rows it is given (:class:`jianbao.index.saved.SavedSearch`) and emits what the user
asked for: open one (run it; the window then marks it seen) or remove one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QMenu, QVBoxLayout, QWidget

NAME_ROLE = Qt.ItemDataRole.UserRole + 11


def describe(s: Any) -> str:
    f = s.filters
    parts = ["检索：" + s.query if s.query else "（仅筛选）"]
    if f.get("alliance"):
        parts.append(f["alliance"].replace("产业技术创新战略联盟", "联盟"))
    if f.get("section"):
        parts.append(f["section"])
    if f.get("year_from") or f.get("year_to"):
        parts.append(f"{f.get('year_from') or ''}–{f.get('year_to') or ''}年")
    return " · ".join(parts)


class SavedPanel(QWidget):
    open_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[Any] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        self.hint = QLabel("检索后按 Ctrl+Shift+S 保存为订阅；导入新简报后，这里会标出新结果。")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#888; padding:4px;")
        self.list = QListWidget()
        self.list.setSpacing(4)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        lay.addWidget(self.hint)
        lay.addWidget(self.list, 1)
        self.list.itemActivated.connect(self._on_activated)
        self.list.itemClicked.connect(self._on_activated)
        self.list.customContextMenuRequested.connect(self._on_context_menu)

    @property
    def new_total(self) -> int:
        return sum(s.new for s in self.rows)

    def set_rows(self, rows: list[Any]) -> None:
        self.rows = list(rows)
        self.list.clear()
        for s in rows:
            text = f"{s.name}　{s.hits} 条" + (f"　● 新 {s.new}" if s.new else "")
            it = QListWidgetItem(f"{text}\n{describe(s)}")
            it.setData(NAME_ROLE, s.name)
            it.setToolTip(describe(s))
            if s.new:
                f = QFont(it.font())
                f.setBold(True)
                it.setFont(f)
                it.setForeground(QBrush(QColor("#b02a1a")))
            self.list.addItem(it)
        self.hint.setVisible(not rows)

    def badge(self, name: str) -> int:
        """The new-hit count shown for ``name`` (0 when none)."""
        return next((s.new for s in self.rows if s.name == name), 0)

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(item.data(NAME_ROLE))

    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        name = item.data(NAME_ROLE)
        menu = QMenu(self)
        menu.addAction("检索", lambda: self.open_requested.emit(name))
        menu.addAction("删除订阅", lambda: self.remove_requested.emit(name))
        menu.exec(self.list.viewport().mapToGlobal(pos))
