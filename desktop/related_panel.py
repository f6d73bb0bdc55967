"""相关条目 and 关键词 under the item being read.

It shows what the search thread computed for the item (keywords by TF-IDF, up to five related
items by BM25 over them) and emits what the user clicked: a related item to open, or a keyword
to search for.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from jianbao.index.labels import issue_label

from .search_bar import short_alliance


class RelatedPanel(QWidget):
    item_chosen = Signal(int)
    keyword_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("related")
        self.item_id: int | None = None
        self.related_ids: list[int] = []
        self.keywords: list[str] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 2, 8, 4)
        lay.setSpacing(2)
        self.keywords_label = QLabel()
        self.related_label = QLabel()
        for lab in (self.keywords_label, self.related_label):
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setWordWrap(True)
            lab.setOpenExternalLinks(False)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                        | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            lab.linkActivated.connect(self._on_link)
            lay.addWidget(lab)
        self.clear()

    def clear(self) -> None:
        self.item_id, self.related_ids, self.keywords = None, [], []
        self.keywords_label.setText("")
        self.related_label.setText("")
        self.setVisible(False)

    def loading(self, item_id: int) -> None:
        self.item_id = item_id
        self.related_label.setText('<span style="color:#999;">相关条目：正在查找…</span>')

    def show_related(self, item_id: int, keywords: list[str], related: list[Any]) -> None:
        """Show what was found for ``item_id`` (ignored if another item is shown by now)."""
        if item_id != self.item_id:
            return
        self.keywords = list(keywords)
        self.related_ids = [r.id for r in related]
        links = "　".join(f'<a href="kw:{html.escape(w, quote=True)}">{html.escape(w)}</a>' for w in keywords)
        self.keywords_label.setText(f'<span style="color:#666;">关键词：</span>{links}' if keywords else "")
        rows = []
        for r in related:
            meta = " · ".join(filter(None, [issue_label(r.__dict__), short_alliance(r.alliance) if r.alliance else None]))
            rows.append(f'<a href="item:{r.id}">{html.escape(r.title)}</a> <span style="color:#888;">{html.escape(meta)}</span>')
        self.related_label.setText(
            '<span style="color:#666;">相关条目：</span><br/>' + "<br/>".join(rows) if rows
            else '<span style="color:#999;">相关条目：没有找到</span>')
        self.setVisible(True)

    def _on_link(self, href: str) -> None:
        scheme, _, rest = href.partition(":")
        if scheme == "item" and rest.isdigit():
            self.item_chosen.emit(int(rest))
        elif scheme == "kw" and rest:
            self.keyword_chosen.emit(html.unescape(rest))
