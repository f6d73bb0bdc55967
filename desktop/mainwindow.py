"""The main window: 目录/联盟/书签/检索 on the left, the reader in the centre, search on top."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QRectF, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QAction, QKeySequence, QPalette, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jianbao.index.errors import JianbaoError
from jianbao.index.parser import ALL_SECTIONS
from jianbao.index.store import ImportResult, Library, issue_label

from .dialogs import ExportDialog, IssueEditDialog, choose_import_paths, progress_dialog
from .models import (
    ID_ROLE,
    KIND_ROLE,
    AllianceFilter,
    AllianceModel,
    BookmarkModel,
    ResultsModel,
    TreeModel,
)
from .original import attach as attach_original
from .reader import DEFAULT_SIZE, ReaderView, mark_html
from .tasks import Job, SearchService, TaskManager

TAB_TREE, TAB_ALLIANCES, TAB_BOOKMARKS, TAB_RESULTS = range(4)


class HitDelegate(QStyledItemDelegate):
    """A search hit: title, year/期/section/alliance, snippet with the hits marked (all escaped)."""

    def _doc(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        hit = index.data(Qt.ItemDataRole.UserRole + 4)
        meta = " · ".join(filter(None, [issue_label(hit.__dict__), hit.section, hit.alliance]))
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


class MainWindow(QMainWindow):
    """简报阅览. Give it a Library (opened on the GUI thread, used for quick reads only)."""

    item_shown = Signal(int)
    results_shown = Signal(int)  # number of hits
    job_created = Signal(object)  # a Job, before it starts (progress dialogs, tests)

    def __init__(self, lib: Library, settings: QSettings | None = None):
        super().__init__()
        self.lib = lib
        self.settings = settings or QSettings("jianbao", "jianbao")
        self.tasks = TaskManager(lib.folder, self)
        self.search_service = SearchService(lib.folder, self)
        self.alliance: str | None = None
        self.history: list[int] = []
        self.history_pos = -1
        self.current_terms: list[str] = []
        self.jobs: list[Job] = []
        self.setWindowTitle("简报阅览")
        self.setAcceptDrops(True)
        self._build()
        self._build_actions()
        self.original = attach_original(self, self.reader)  # 查看原文 beside the reader
        self._connect_signals()
        self._restore()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        bar = QToolBar("检索", self)
        bar.setObjectName("searchbar")
        bar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.search_field = QLineEdit(placeholderText="检索全部简报（Ctrl+K）：空格分隔为“且”，\"引号\"为短语，OR，-排除")
        self.search_field.setClearButtonEnabled(True)
        self.alliance_combo = QComboBox(minimumContentsLength=10)
        self.section_combo = QComboBox()
        self.section_combo.addItem("全部栏目", None)
        for s in ALL_SECTIONS:
            self.section_combo.addItem(s, s)
        self.year_from = QSpinBox(minimum=0, maximum=2100, specialValueText="起始年", value=0)
        self.year_to = QSpinBox(minimum=0, maximum=2100, specialValueText="截止年", value=0)
        self.sort_combo = QComboBox()
        self.sort_combo.addItem("按相关度", "relevance")
        self.sort_combo.addItem("按日期", "date")
        self.hit_count = QLabel("")
        self.alliance_chip = QToolButton()
        self.alliance_chip.setObjectName("allianceChip")
        self.alliance_chip.setToolTip("点击取消联盟筛选")
        self.search_field.setMinimumWidth(260)
        bar.addWidget(self.search_field)
        bar.addWidget(self.alliance_combo)
        # a widget in a tool bar is shown and hidden through its action
        self.alliance_chip_action = bar.addWidget(self.alliance_chip)
        self.alliance_chip_action.setVisible(False)
        for w in (self.section_combo, self.year_from, self.year_to, self.sort_combo, self.hit_count):
            bar.addWidget(w)

        self.tabs = QTabWidget()
        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree_model = TreeModel(self)
        self.tree.setModel(self.tree_model)
        self.tabs.addTab(self.tree, "目录")

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
        lay.addWidget(self.alliance_filter_field)
        lay.addWidget(self.alliance_view)
        self.tabs.addTab(alliance_page, "联盟")

        self.bookmark_model = BookmarkModel(self)
        self.bookmark_view = QListView()
        self.bookmark_view.setModel(self.bookmark_model)
        self.bookmark_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.bookmark_view.setWordWrap(True)
        self.bookmark_view.setSpacing(4)
        self.tabs.addTab(self.bookmark_view, "书签")

        self.results_model = ResultsModel(self)
        self.results_view = QListView()
        self.results_view.setModel(self.results_model)
        self.results_view.setItemDelegate(HitDelegate(self.results_view))
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results_view.setUniformItemSizes(False)
        self.tabs.addTab(self.results_view, "检索结果")

        reader_page = QWidget()
        rl = QVBoxLayout(reader_page)
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
        rl.addLayout(nav)
        rl.addWidget(self.reader, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(reader_page)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 720])
        self.setCentralWidget(self.splitter)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.debounce = QTimer(self, singleShot=True, interval=250)
        self._update_nav()

    def _build_actions(self) -> None:
        def act(menu: QMenu, text: str, slot: Any, shortcut: Any = None) -> QAction:
            a = QAction(text, self)
            if shortcut:
                if isinstance(shortcut, list):
                    a.setShortcuts(shortcut)
                else:
                    a.setShortcut(shortcut)
            a.triggered.connect(slot)
            menu.addAction(a)
            return a

        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        self.import_action = act(m, "导入…", self._on_import_triggered, QKeySequence("Ctrl+O"))
        self.export_action = act(m, "导出…", self._on_export_triggered, QKeySequence("Ctrl+E"))
        act(m, "打印…", self.print_item, QKeySequence("Ctrl+P"))
        m.addSeparator()
        act(m, "退出", self.close, QKeySequence("Ctrl+Q"))
        m = mb.addMenu("编辑(&E)")
        act(m, "复制（附出处）", self.copy_with_citation, QKeySequence("Ctrl+Shift+C"))
        act(m, "检索", self.focus_search, [QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")])
        m = mb.addMenu("查看(&V)")
        act(m, "放大字号", lambda: self.reader.set_font_size(self.reader.font_size + 1), [QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        act(m, "缩小字号", lambda: self.reader.set_font_size(self.reader.font_size - 1), QKeySequence("Ctrl+-"))
        act(m, "默认字号", lambda: self.reader.set_font_size(DEFAULT_SIZE), QKeySequence("Ctrl+0"))
        m.addSeparator()
        act(m, "上一条", lambda: self.step(-1), QKeySequence("Ctrl+Up"))
        act(m, "下一条", lambda: self.step(1), QKeySequence("Ctrl+Down"))
        act(m, "后退", self.go_back, QKeySequence("Alt+Left"))
        act(m, "前进", self.go_forward, QKeySequence("Alt+Right"))
        m = mb.addMenu("书签(&B)")
        self.bookmark_action = act(m, "加书签 / 取消书签", self.toggle_bookmark, QKeySequence("Ctrl+D"))
        act(m, "编辑备注…", self.edit_note)
        m = mb.addMenu("工具(&T)")
        act(m, "重建检索索引", self.reindex)
        m = mb.addMenu("帮助(&H)")
        act(m, "关于简报阅览", self._on_about)

    def _connect_signals(self) -> None:
        self.search_field.textChanged.connect(self._on_search_text_changed)
        self.search_field.returnPressed.connect(self._on_search_return)
        self.debounce.timeout.connect(self.run_search)
        for combo in (self.alliance_combo, self.section_combo, self.sort_combo):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        for spin in (self.year_from, self.year_to):
            spin.valueChanged.connect(self._on_filters_changed)
        self.alliance_chip.clicked.connect(lambda: self.set_alliance(None))
        self.search_service.results.connect(self._on_results)
        self.search_service.failed.connect(self._on_search_failed)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.tree.expanded.connect(self.tree_model.populate)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.alliance_filter_field.textChanged.connect(self.alliance_proxy.set_text)
        self.alliance_view.activated.connect(self._on_alliance_activated)
        self.alliance_view.clicked.connect(self._on_alliance_activated)
        self.bookmark_view.clicked.connect(lambda i: self.open_item(i.data(ID_ROLE)))
        self.bookmark_view.activated.connect(lambda i: self.open_item(i.data(ID_ROLE)))
        self.results_view.clicked.connect(lambda i: self.open_item(i.data(ID_ROLE), self.current_terms))
        self.results_view.activated.connect(lambda i: self.open_item(i.data(ID_ROLE), self.current_terms))
        self.back_btn.clicked.connect(self.go_back)
        self.forward_btn.clicked.connect(self.go_forward)
        self.prev_btn.clicked.connect(lambda: self.step(-1))
        self.next_btn.clicked.connect(lambda: self.step(1))
        self.star_btn.clicked.connect(self.toggle_bookmark)
        self.note_btn.clicked.connect(self.edit_note)
        self.reader.zoomed.connect(lambda size: self.settings.setValue("reader/font_size", size))

    # ------------------------------------------------------------------ state

    def _restore(self) -> None:
        geo = self.settings.value("window/geometry")
        if isinstance(geo, QByteArray):
            self.restoreGeometry(geo)
        else:
            self.resize(1200, 780)
        split = self.settings.value("window/splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)
        self.reader.font_size = int(self.settings.value("reader/font_size", DEFAULT_SIZE))

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("reader/font_size", self.reader.font_size)
        if self.reader.item:
            self.settings.setValue("reader/last_item", self.reader.item["id"])
        self.settings.sync()

    def closeEvent(self, event: Any) -> None:
        self.save_state()
        for job in self.jobs:
            job.cancel()
        self.tasks.wait()
        self.search_service.shutdown()
        super().closeEvent(event)

    def refresh(self) -> None:
        """Reload the tree, the alliances, the bookmarks and the status bar from the library."""
        current = self.reader.item["id"] if self.reader.item else None
        self.tree_model.load(self.lib, self.alliance)
        self.tree.expandToDepth(0)
        alliances = self.lib.alliances()
        self.alliance_model.set_rows(alliances)
        self.alliance_combo.blockSignals(True)
        keep = self.alliance_combo.currentData()
        self.alliance_combo.clear()
        self.alliance_combo.addItem("全部联盟", None)
        for a in alliances:
            self.alliance_combo.addItem(a["name"].replace("产业技术创新战略联盟", "联盟"), a["name"])
        idx = self.alliance_combo.findData(keep)
        self.alliance_combo.setCurrentIndex(max(0, idx))
        self.alliance_combo.blockSignals(False)
        self.refresh_bookmarks()
        self._update_status()
        if current is not None:
            try:
                self.reader.show_item(self.lib.item(current), self.reader.terms)
            except JianbaoError:
                self.reader.show_empty()

    def refresh_bookmarks(self) -> None:
        self.bookmark_model.set_rows(self.lib.bookmarks())
        self._update_star()

    def _update_status(self) -> None:
        c = self.lib.counts()
        self.status_label.setText(f"{c['issues']} 期 · {c['items']} 条 · {c['bookmarks']} 个书签 · {self.lib.folder}")

    def restore_last_item(self) -> None:
        last = self.settings.value("reader/last_item")
        if last is not None:
            try:
                self.open_item(int(last))
            except (JianbaoError, ValueError):
                pass

    # ------------------------------------------------------------------ reading

    def open_item(self, item_id: int | None, terms: list[str] | None = None, record: bool = True) -> None:
        if item_id is None:
            return
        item = self.lib.item(int(item_id))
        self.reader.show_item(item, terms if terms is not None else [])
        if record:
            del self.history[self.history_pos + 1 :]
            if not self.history or self.history[-1] != item["id"]:
                self.history.append(item["id"])
            self.history_pos = len(self.history) - 1
        self._update_nav()
        self._update_star()
        self.item_shown.emit(item["id"])

    def _update_nav(self) -> None:
        self.back_btn.setEnabled(self.history_pos > 0)
        self.forward_btn.setEnabled(0 <= self.history_pos < len(self.history) - 1)
        has = self.reader.item is not None
        for b in (self.prev_btn, self.next_btn, self.star_btn, self.note_btn):
            b.setEnabled(has)

    def _update_star(self) -> None:
        marked = bool(self.reader.item) and self.lib.is_bookmarked(self.reader.item["id"])
        self.star_btn.setChecked(marked)
        self.star_btn.setText("★ 已加书签" if marked else "☆ 书签")

    def go_back(self) -> None:
        if self.history_pos > 0:
            self.history_pos -= 1
            self.open_item(self.history[self.history_pos], record=False)

    def go_forward(self) -> None:
        if self.history_pos < len(self.history) - 1:
            self.history_pos += 1
            self.open_item(self.history[self.history_pos], record=False)

    def step(self, delta: int) -> None:
        """Previous/next item in 目录 order."""
        ids = self.tree_model.item_ids
        if not self.reader.item or not ids:
            return
        try:
            at = ids.index(self.reader.item["id"])
        except ValueError:
            return
        nxt = at + delta
        if 0 <= nxt < len(ids):
            self.select_in_tree(ids[nxt])

    def select_in_tree(self, item_id: int) -> None:
        idx = self.tree_model.find_item(item_id)
        if idx.isValid():
            self.tree.setCurrentIndex(idx)
            self.tree.scrollTo(idx)

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.data(KIND_ROLE) == "item":
            self.open_item(current.data(ID_ROLE))

    def print_item(self) -> None:
        if not self.reader.item:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self)
        if dlg.exec() == QPrintDialog.DialogCode.Accepted:
            self.reader.document().print_(printer)

    def copy_with_citation(self) -> None:
        text = self.reader.plain_with_citation()
        if text:
            QApplication.clipboard().setText(text)
            self.statusBar().showMessage("已复制（附出处）", 3000)

    # ------------------------------------------------------------------ bookmarks

    def toggle_bookmark(self) -> None:
        if not self.reader.item:
            return
        item_id = self.reader.item["id"]
        if self.lib.is_bookmarked(item_id):
            self.lib.unbookmark(item_id)
            self.statusBar().showMessage("已取消书签", 3000)
        else:
            self.lib.bookmark(item_id)
            self.statusBar().showMessage("已加书签（书签 → 备注… 可添加备注）", 3000)
        self.refresh_bookmarks()
        self._update_status()

    def edit_note(self) -> None:
        if not self.reader.item:
            return
        item_id = self.reader.item["id"]
        current = self.lib.bookmarks_by_id().get(item_id, {}).get("note", "")
        text, ok = QInputDialog.getMultiLineText(self, "书签备注", self.reader.item["title"], current or "")
        if ok:
            self.lib.bookmark(item_id, text)
            self.refresh_bookmarks()
            self._update_status()

    # ------------------------------------------------------------------ alliances

    def _on_alliance_activated(self, index: QModelIndex) -> None:
        self.set_alliance(index.data(ID_ROLE))

    def set_alliance(self, name: str | None) -> None:
        """Filter the tree and the search results by an alliance (None: no filter)."""
        self.alliance = name
        self.alliance_chip_action.setVisible(bool(name))
        if name:
            self.alliance_chip.setText(f"联盟：{name.replace('产业技术创新战略联盟', '联盟')} ✕")
        idx = self.alliance_combo.findData(name)
        self.alliance_combo.blockSignals(True)
        self.alliance_combo.setCurrentIndex(max(0, idx))
        self.alliance_combo.blockSignals(False)
        self.tree_model.load(self.lib, name)
        if name:  # an alliance's items are few: show them all
            self.tree_model.populate_all()
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)
        if name:
            self.tabs.setCurrentIndex(TAB_TREE)
        if self.search_field.text().strip():
            self.run_search()

    # ------------------------------------------------------------------ search

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _on_search_text_changed(self, _text: str) -> None:
        self.debounce.start()

    def _on_filters_changed(self) -> None:
        name = self.alliance_combo.currentData()
        if name != self.alliance:
            self.set_alliance(name)
            return
        if self.search_field.text().strip():
            self.debounce.start()

    def search_filters(self) -> dict[str, Any]:
        return {
            "alliance": self.alliance,
            "section": self.section_combo.currentData(),
            "year_from": self.year_from.value() or None,
            "year_to": self.year_to.value() or None,
            "sort": self.sort_combo.currentData(),
            "limit": 200,
        }

    def run_search(self) -> None:
        q = self.search_field.text().strip()
        if not q:
            self.results_model.set_rows([])
            self.hit_count.setText("")
            self.tabs.setTabText(TAB_RESULTS, "检索结果")
            self.current_terms = []
            if self.reader.item:
                self.reader.show_item(self.reader.item, [])
            return
        self.hit_count.setText("检索中…")
        self.search_service.search(q, **self.search_filters())

    def _on_results(self, res: Any) -> None:
        self.current_terms = res.terms
        self.results_model.set_rows(res.hits)
        shown = f"（显示前 {len(res.hits)} 条）" if res.total > len(res.hits) else ""
        self.hit_count.setText(f"共 {res.total} 条{shown}")
        self.tabs.setTabText(TAB_RESULTS, f"检索结果（{res.total}）")
        self.tabs.setCurrentIndex(TAB_RESULTS)
        if self.reader.item:
            self.reader.show_item(self.reader.item, res.terms)
        self.results_shown.emit(res.total)
        if self._open_first_when_ready and res.hits:
            self._open_first_when_ready = False
            self.open_item(res.hits[0].id, res.terms)

    _open_first_when_ready = False

    def _on_search_return(self) -> None:
        """Enter opens the first result (of the search as typed, once it is answered)."""
        self.debounce.stop()
        self._open_first_when_ready = True
        self.run_search()

    def _on_search_failed(self, message: str) -> None:
        self.hit_count.setText("检索出错")
        QMessageBox.warning(self, "检索出错", message)

    # ------------------------------------------------------------------ issue metadata

    def _on_tree_context_menu(self, pos: Any) -> None:
        idx = self.tree.indexAt(pos)
        issue_id = self._issue_of(idx)
        if issue_id is None:
            return
        menu = QMenu(self)
        menu.addAction("编辑期刊信息…", lambda: self.edit_issue(issue_id))
        menu.addAction("导出本期…", lambda: self.export_ids([r["id"] for r in self.lib.items(issue_id=issue_id)]))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _issue_of(self, idx: QModelIndex) -> int | None:
        while idx.isValid() and idx.data(KIND_ROLE) != "issue":
            idx = idx.parent()
        return idx.data(ID_ROLE) if idx.isValid() else None

    def edit_issue(self, issue_id: int, values: dict[str, Any] | None = None) -> None:
        """Show 编辑期刊信息 (or apply ``values`` directly, as tests and scripts do)."""
        if values is None:
            dlg = IssueEditDialog(self.lib.issue(issue_id), self)
            if dlg.exec() != IssueEditDialog.DialogCode.Accepted:
                return
            values = dlg.values()
        try:
            self.lib.edit_issue(issue_id, **values)
        except JianbaoError as e:
            QMessageBox.warning(self, "无法保存", str(e))
            return
        self.refresh()
        self._sync_index_in_background()

    # ------------------------------------------------------------------ long work

    def _start(self, job: Job, title: str) -> Job:
        self.jobs.append(job)
        dlg = progress_dialog(job, title, self)
        job.setProperty("dialog", dlg)
        for sig in (job.finished, job.failed, job.cancelled):
            sig.connect(lambda *_, j=job: self.jobs.remove(j) if j in self.jobs else None)
        self.job_created.emit(job)
        job.start()
        return job

    def _sync_index_in_background(self) -> Job:
        def work(lib: Library, cancelled: Any) -> Any:
            from jianbao.index.search import update_index

            update_index(lib)
            yield from ()

        job = self.tasks.job(work)
        self.jobs.append(job)
        job.finished.connect(lambda *_: self.jobs.remove(job) if job in self.jobs else None)
        job.start()
        return job

    def _on_import_triggered(self) -> None:
        paths = choose_import_paths(self)
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[str], quiet: bool = False) -> Job:
        """Import files or folders in the background; ends with a summary."""

        def work(lib: Library, cancelled: Any) -> Any:
            yield from lib.import_paths(paths, cancelled)
            from jianbao.index.search import update_index

            update_index(lib)

        job = self.tasks.job(work)
        job.finished.connect(lambda results: self._on_import_finished(results, quiet))
        job.failed.connect(lambda msg: QMessageBox.warning(self, "导入失败", msg))
        job.cancelled.connect(lambda: (self.refresh(), self.statusBar().showMessage("导入已取消；已导入的文件保留", 5000)))
        return self._start(job, "导入简报")

    def _on_import_finished(self, results: list[ImportResult], quiet: bool) -> None:
        self.refresh()
        counts = {s: [r for r in results if r.status == s] for s in ("added", "updated", "unchanged", "failed")}
        summary = (f"新增 {len(counts['added'])} 期，更新 {len(counts['updated'])} 期，"
                   f"未变 {len(counts['unchanged'])} 期，失败 {len(counts['failed'])} 个文件")
        self.statusBar().showMessage(summary, 8000)
        if quiet:
            return
        details = "\n".join(f"✗ {Path(r.path).name}：{r.message}" for r in counts["failed"])
        warn = "\n".join(f"! {Path(r.path).name}：{w}" for r in results for w in r.warnings)
        box = QMessageBox.warning if counts["failed"] else QMessageBox.information
        box(self, "导入完成", "\n\n".join(filter(None, [summary, details, warn])))

    def reindex(self) -> Job:
        def work(lib: Library, cancelled: Any) -> Any:
            from jianbao.index.search import open_searcher

            with open_searcher(lib) as s:
                yield from s.rebuild(cancelled)

        job = self.tasks.job(work)
        job.finished.connect(lambda *_: self.statusBar().showMessage("检索索引已重建", 5000))
        job.failed.connect(lambda msg: QMessageBox.warning(self, "重建索引失败", msg))
        return self._start(job, "重建检索索引")

    def selected_ids(self) -> list[int]:
        """Items selected in the visible left tab (a selected issue or section means all its items)."""
        tab = self.tabs.currentIndex()
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
        if not ids and self.reader.item:
            ids = [self.reader.item["id"]]
        return ids

    @staticmethod
    def _depth(idx: QModelIndex) -> int:
        d = 0
        while idx.parent().isValid():
            idx, d = idx.parent(), d + 1
        return d

    def _on_export_triggered(self) -> None:
        self.export_ids(self.selected_ids())

    def export_ids(self, ids: list[int], values: dict[str, Any] | None = None) -> Job | None:
        """导出 the items ``ids``: asks for format and file unless ``values`` are given."""
        if not ids:
            QMessageBox.information(self, "导出", "请先在目录、检索结果或书签中选择要导出的条目。")
            return None
        if values is None:
            dlg = ExportDialog(len(ids), str(Path.home() / "简报汇编.docx"), self)
            if dlg.exec() != ExportDialog.DialogCode.Accepted:
                return None
            values = dlg.values()
            if Path(values["output"]).exists():
                answer = QMessageBox.question(self, "文件已存在", f"{values['output']} 已存在，要覆盖吗？")
                if answer != QMessageBox.StandardButton.Yes:
                    return None
                values["force"] = True
        vals = dict(values)

        def work(lib: Library, cancelled: Any) -> Any:
            from jianbao.index.export import export_iter

            output = vals.pop("output")
            yield from export_iter(lib, ids, output, cancelled=cancelled, **vals)

        job = self.tasks.job(work)
        job.finished.connect(lambda results: self.statusBar().showMessage(f"已导出 {len(ids)} 条到 {results[-1]}", 8000))
        job.failed.connect(lambda msg: QMessageBox.warning(self, "导出失败", msg))
        return self._start(job, "导出")

    # ------------------------------------------------------------------ drag and drop, about

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_paths(paths)

    def _on_about(self) -> None:
        from jianbao.index import __version__

        QMessageBox.about(
            self, "关于简报阅览",
            f"简报阅览 {__version__}\n《产业技术创新战略联盟试点工作简报》阅读、检索与汇编工具。\n资料库：{self.lib.folder}",
        )
