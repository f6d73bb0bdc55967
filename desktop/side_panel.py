"""The side panel: 目录, 联盟, 书签 and 检索结果 as four tabs.

It owns the four views and their models and emits what the user picked
(:attr:`SidePanel.item_chosen`, :attr:`SidePanel.hit_chosen`, :attr:`SidePanel.alliance_chosen`,
the issue menu's two requests). The main window fills it from the library.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jianbao.index.labels import item_meta

from .activity_view import AllianceDelegate
from .models import ID_ROLE, KIND_ROLE, AllianceFilter, AllianceModel, BookmarkModel, ResultsModel, TreeModel
from .reader import mark_html
from .saved_panel import SavedPanel

TAB_TREE, TAB_ALLIANCES, TAB_BOOKMARKS, TAB_RESULTS, TAB_SAVED = range(5)


class HitDelegate(QStyledItemDelegate):
    """A search hit: title, year/期/section/alliance, snippet with the hits marked (all escaped)."""

    def _doc(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        hit = index.data(Qt.ItemDataRole.UserRole + 4)
        meta = item_meta(hit.__dict__, ("section", "alliance"))
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(f"<b>{html.escape(hit.title)}</b><br/><span style='color:#777;'>{html.escape(meta)}</span>"
                    f"<br/><span style='color:#333;'>{mark_html(hit.snippet, hit.highlights)}</span>")
        doc.setTextWidth(max(120, option.rect.width() - 8))
        return doc

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._doc(option, index)
        painter.save()
        painter.translate(option.rect.left() + 4, option.rect.top() + 3)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.HighlightedText))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        doc = self._doc(option, index)
        return QSize(int(doc.idealWidth()), int(QRectF(0, 0, 0, doc.size().height()).height()) + 8)


class SidePanel(QTabWidget):
    """目录/联盟/书签/检索结果. Emits item ids the user opens; never reads the library itself."""

    item_chosen = Signal(int)  # from 目录 or 书签
    hit_chosen = Signal(int)  # from 检索结果 (open with the search terms marked)
    alliance_chosen = Signal(object)
    edit_issue_requested = Signal(int)
    export_issue_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree_model = TreeModel(self)
        self.tree.setModel(self.tree_model)
        self.addTab(self.tree, "目录")

        alliance_page = QWidget()
        lay = QVBoxLayout(alliance_page)
        lay.setContentsMargins(0, 4, 0, 0)
        self.alliance_filter_field = QLineEdit(placeholderText="筛选联盟：全称、简称均可")
        self.alliance_filter_field.setClearButtonEnabled(True)
        self.alliance_model = AllianceModel(self)
        self.alliance_proxy = AllianceFilter(self)
        self.alliance_proxy.setSourceModel(self.alliance_model)
        self.alliance_view = QListView()
        self.alliance_view.setModel(self.alliance_proxy)
        self.alliance_delegate = AllianceDelegate(self.alliance_view)
        self.alliance_view.setItemDelegate(self.alliance_delegate)
        lay.addWidget(self.alliance_filter_field)
        lay.addWidget(self.alliance_view)
        self.addTab(alliance_page, "联盟")

        self.bookmark_model = BookmarkModel(self)
        self.bookmark_view = QListView()
        self.bookmark_view.setModel(self.bookmark_model)
        self.bookmark_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.bookmark_view.setWordWrap(True)
        self.bookmark_view.setSpacing(4)
        self.addTab(self.bookmark_view, "书签")

        self.results_model = ResultsModel(self)
        self.results_view = QListView()
        self.results_view.setModel(self.results_model)
        self.results_view.setItemDelegate(HitDelegate(self.results_view))
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results_view.setUniformItemSizes(False)
        self.addTab(self.results_view, "检索结果")
        self._connect_signals()
        self.saved = SavedPanel()  # 订阅: wired by the main window
        self.addTab(self.saved, "订阅")

    def _connect_signals(self) -> None:
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.tree.expanded.connect(self.tree_model.populate)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.alliance_filter_field.textChanged.connect(self.alliance_proxy.set_text)
        self.alliance_view.activated.connect(self._on_alliance_activated)
        self.alliance_view.clicked.connect(self._on_alliance_activated)
        for view, signal in ((self.bookmark_view, self.item_chosen), (self.results_view, self.hit_chosen)):
            view.clicked.connect(lambda i, s=signal: self._emit_id(s, i))
            view.activated.connect(lambda i, s=signal: self._emit_id(s, i))

    @staticmethod
    def _emit_id(signal: Any, index: QModelIndex) -> None:
        item_id = index.data(ID_ROLE)
        if item_id is not None:
            signal.emit(int(item_id))

    # ------------------------------------------------------------------ filling

    def load_tree(self, lib: Any, alliance: str | None) -> None:
        """目录 of the library, or of one alliance's items (few: shown all expanded)."""
        self.tree_model.load(lib, alliance)
        if alliance:
            self.tree_model.populate_all()
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)

    def show_results(self, res: Any) -> None:
        self.results_model.set_rows(res.hits)
        self.setTabText(TAB_RESULTS, f"检索结果（{res.total}）")
        self.setCurrentIndex(TAB_RESULTS)

    def show_saved(self, rows: list[Any]) -> None:
        self.saved.set_rows(rows)
        new = self.saved.new_total
        self.setTabText(TAB_SAVED, f"订阅 ●{new}" if new else "订阅")

    def clear_results(self) -> None:
        self.results_model.set_rows([])
        self.setTabText(TAB_RESULTS, "检索结果")

    def select_in_tree(self, item_id: int) -> None:
        idx = self.tree_model.find_item(item_id)
        if idx.isValid():
            self.tree.setCurrentIndex(idx)
            self.tree.scrollTo(idx)

    # ------------------------------------------------------------------ reading the selection

    def selected_ids(self) -> list[int]:
        """Items selected in the visible tab (a selected issue or section means all its items)."""
        tab = self.currentIndex()
        ids: list[int] = []
        if tab == TAB_TREE:
            chosen = sorted(self.tree.selectionModel().selectedIndexes(), key=lambda i: (self._depth(i), i.row()))
            for idx in chosen:
                ids += self.tree_model.ids_under(idx)
            ids = list(dict.fromkeys(ids))
        elif tab == TAB_RESULTS:
            ids = [i.data(ID_ROLE) for i in sorted(self.results_view.selectedIndexes(), key=lambda i: i.row())]
        elif tab == TAB_BOOKMARKS:
            ids = [i.data(ID_ROLE) for i in sorted(self.bookmark_view.selectedIndexes(), key=lambda i: i.row())
                   if i.data(Qt.ItemDataRole.DisplayRole) and self.bookmark_model.rows[i.row()]["title"]]
        return ids

    @staticmethod
    def _depth(idx: QModelIndex) -> int:
        d = 0
        while idx.parent().isValid():
            idx, d = idx.parent(), d + 1
        return d

    # ------------------------------------------------------------------ slots

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.data(KIND_ROLE) == "item":
            self.item_chosen.emit(int(current.data(ID_ROLE)))

    def _on_alliance_activated(self, index: QModelIndex) -> None:
        self.alliance_chosen.emit(index.data(ID_ROLE))

    def _on_tree_context_menu(self, pos: QPoint) -> None:
        issue_id = self._issue_of(self.tree.indexAt(pos))
        if issue_id is None:
            return
        menu = QMenu(self)
        menu.addAction("编辑期刊信息…", lambda: self.edit_issue_requested.emit(issue_id))
        menu.addAction("导出本期…", lambda: self.export_issue_requested.emit(issue_id))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    @staticmethod
    def _issue_of(idx: QModelIndex) -> int | None:
        while idx.isValid() and idx.data(KIND_ROLE) != "issue":
            idx = idx.parent()
        return idx.data(ID_ROLE) if idx.isValid() else None
