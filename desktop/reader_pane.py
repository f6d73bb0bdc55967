"""The reader pane: the reader, its tool row (后退/前进/上一条/下一条/备注/书签) and the history.

It shows the item rows it is given and keeps the back/forward history; it asks for everything else
by signal (:attr:`ReaderPane.history_moved`, :attr:`ReaderPane.step_requested`,
:attr:`ReaderPane.bookmark_toggled`, :attr:`ReaderPane.note_requested`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from .home import HomePage
from .reader import ReaderView
from .related_panel import RelatedPanel


class ReaderPane(QWidget):
    """One item at a time, with the history of what was read."""

    history_moved = Signal(int)  # back or forward: show this item without recording it
    step_requested = Signal(int)  # -1 previous, +1 next in 目录 order
    bookmark_toggled = Signal()
    note_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.history: list[int] = []
        self.history_pos = -1
        rl = QVBoxLayout(self)
        rl.setContentsMargins(0, 0, 0, 0)
        nav = QHBoxLayout()
        self.back_btn = QToolButton(text="◀ 后退")
        self.forward_btn = QToolButton(text="前进 ▶")
        self.prev_btn = QToolButton(text="上一条")
        self.next_btn = QToolButton(text="下一条")
        self.star_btn = QToolButton(text="☆ 书签")
        self.star_btn.setCheckable(True)
        self.note_btn = QToolButton(text="备注…")
        for b in (self.back_btn, self.forward_btn, self.prev_btn, self.next_btn):
            nav.addWidget(b)
        nav.addStretch(1)
        nav.addWidget(self.note_btn)
        nav.addWidget(self.star_btn)
        self.reader = ReaderView()
        self.home = HomePage()
        self.related = RelatedPanel()
        reading = QWidget()
        read_lay = QVBoxLayout(reading)
        read_lay.setContentsMargins(0, 0, 0, 0)
        read_lay.setSpacing(0)
        read_lay.addWidget(self.reader, 1)
        read_lay.addWidget(self.related)
        self.stack = QStackedWidget()
        self.stack.addWidget(reading)
        self.stack.addWidget(self.home)
        rl.addLayout(nav)
        rl.addWidget(self.stack, 1)
        self._connect_signals()
        self._update_nav()

    def _connect_signals(self) -> None:
        self.back_btn.clicked.connect(self.go_back)
        self.forward_btn.clicked.connect(self.go_forward)
        self.prev_btn.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_btn.clicked.connect(lambda: self.step_requested.emit(1))
        self.star_btn.clicked.connect(self.bookmark_toggled)
        self.note_btn.clicked.connect(self.note_requested)

    @property
    def item_id(self) -> int | None:
        return self.reader.item["id"] if self.reader.item else None

    def show_item(self, item: dict[str, Any], terms: list[str], record: bool = True) -> None:
        if self.reader.item is None or self.reader.item["id"] != item["id"]:
            self.related.clear()
            self.related.loading(item["id"])
        self.reader.show_item(item, terms)
        self.stack.setCurrentIndex(0)
        if record:
            del self.history[self.history_pos + 1 :]
            if not self.history or self.history[-1] != item["id"]:
                self.history.append(item["id"])
            self.history_pos = len(self.history) - 1
        self._update_nav()

    def show_home(self) -> None:
        """首页 in place of the reader (its content is set by the window)."""
        self.stack.setCurrentWidget(self.home)

    def home_shown(self) -> bool:
        return self.stack.currentWidget() is self.home

    def set_terms(self, terms: list[str]) -> None:
        """Mark other search terms in the item shown (if any)."""
        if self.reader.item:
            self.reader.show_item(self.reader.item, terms)

    def set_bookmarked(self, marked: bool) -> None:
        self.star_btn.setChecked(marked)
        self.star_btn.setText("★ 已加书签" if marked else "☆ 书签")

    def go_back(self) -> None:
        if self.history_pos > 0:
            self.history_pos -= 1
            self.history_moved.emit(self.history[self.history_pos])

    def go_forward(self) -> None:
        if self.history_pos < len(self.history) - 1:
            self.history_pos += 1
            self.history_moved.emit(self.history[self.history_pos])

    def _update_nav(self) -> None:
        self.back_btn.setEnabled(self.history_pos > 0)
        self.forward_btn.setEnabled(0 <= self.history_pos < len(self.history) - 1)
        has = self.reader.item is not None
        for b in (self.prev_btn, self.next_btn, self.star_btn, self.note_btn):
            b.setEnabled(has)
