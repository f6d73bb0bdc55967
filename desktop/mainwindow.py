"""The main window: it lays out the panels, builds the menus and wires them in one place.

The panels own their widgets and emit what the user asked for: :class:`SearchBar` on top,
:class:`SidePanel` (目录/联盟/书签/检索结果) on the left, :class:`ReaderPane` in the centre. Every write
and long job goes through :class:`Operations`, which reports what it changed; the window refreshes
its views from that one signal. All connections are made in :meth:`MainWindow._connect_signals`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMainWindow, QMenu, QMessageBox, QSplitter, QWidget

from jianbao.index.errors import JianbaoError
from jianbao.index.store import Library

from . import safety
from .dialogs import ExportDialog, IssueEditDialog, choose_import_paths
from .explain_line import ExplainBar
from .operations import BOOKMARKS, META, Operations
from .original import attach as attach_original
from .reader import BULLETIN, DEFAULT_SIZE
from .reader_pane import ReaderPane
from .search_bar import SearchBar
from .side_panel import TAB_ALLIANCES, TAB_BOOKMARKS, TAB_RESULTS, TAB_TREE, SidePanel
from .tasks import Job, SearchService, TaskManager

__all__ = ["TAB_ALLIANCES", "TAB_BOOKMARKS", "TAB_RESULTS", "TAB_TREE", "MainWindow"]


def first_size(available: Any) -> tuple[int, int]:
    """The window's size on first start: most of the screen (at least 1200×780 where it fits)."""
    w, h = available.width(), available.height()
    return min(w, max(1200, int(w * 0.85))), min(h, max(780, int(h * 0.88)))


class MainWindow(QMainWindow):
    """简报阅览. Give it a Library: the window only reads from it; writes go through :attr:`ops`."""

    item_shown = Signal(int)
    results_shown = Signal(int)  # number of hits

    def __init__(self, lib: Library, settings: QSettings | None = None):
        super().__init__()
        self.lib = lib
        self.settings = settings or QSettings("jianbao", "jianbao")
        self.tasks = TaskManager(lib.folder, self)
        self.ops = Operations(self.tasks, self)
        self.job_created = self.ops.job_created  # a Job, before it starts (progress dialogs, tests)
        self.search_service = SearchService(lib.folder, self)
        self.saved_rows: list[Any] = []  # index.saved.SavedSearch, as last counted by the search thread
        self.saved_report = ""  # "3 条新结果：碳中和 (2)、WAPI (1)" after a change that added hits
        self._activity_stale = True
        self.alliance: str | None = None
        self.current_terms: list[str] = []
        self._open_first_when_ready = False
        self.restore_request: Path | None = None  # a backup to restore once the window has closed
        self.setWindowTitle("简报阅览")
        self.setAcceptDrops(True)
        self._build()
        self._build_actions()
        self.original = attach_original(self, self.reader_pane.reader)  # 查看原文 beside the reader
        self._connect_signals()
        self._restore()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.search_bar = SearchBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.search_bar)
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.explain_bar = ExplainBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.explain_bar)
        self.side = SidePanel()
        self.side.results_model.load = self._load_hits
        self.reader_pane = ReaderPane()
        self.reader = self.reader_pane.reader  # the ReaderView: other views hook in here
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.side)
        self.splitter.addWidget(self.reader_pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 720])
        self.setCentralWidget(self.splitter)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)

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

        reader, pane = self.reader, self.reader_pane
        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        self.import_action = act(m, "导入…", self._on_import_triggered, QKeySequence("Ctrl+O"))
        self.remove_sample_action = act(m, "移除示例简报…", self.remove_sample)
        self.export_action = act(m, "导出…", self._on_export_triggered, QKeySequence("Ctrl+E"))
        act(m, "打印…", self.print_item, QKeySequence("Ctrl+P"))
        act(m, "打印预览…", self.print_preview, QKeySequence("Ctrl+Shift+P"))
        m.addSeparator()
        act(m, "退出", self.close, QKeySequence("Ctrl+Q"))
        m = mb.addMenu("编辑(&E)")
        act(m, "复制（附出处）", self.copy_with_citation, QKeySequence("Ctrl+Shift+C"))
        act(m, "检索", self.search_bar.focus, [QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")])
        self.save_search_action = act(m, "保存检索为订阅…", self.save_search, QKeySequence("Ctrl+Shift+S"))
        m = mb.addMenu("查看(&V)")
        self.home_action = act(m, "首页", self.show_home, QKeySequence("Alt+Home"))
        self.search_bar.insertAction(self.search_bar.actions()[0], self.home_action)
        act(m, "联盟活跃度…", self.show_activity)
        m.addSeparator()
        act(m, "放大字号", lambda: reader.set_font_size(reader.font_size + 1), [QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        act(m, "缩小字号", lambda: reader.set_font_size(reader.font_size - 1), QKeySequence("Ctrl+-"))
        act(m, "默认字号", lambda: reader.set_font_size(DEFAULT_SIZE), QKeySequence("Ctrl+0"))
        m.addSeparator()
        act(m, "上一条", lambda: self.step(-1), QKeySequence("Ctrl+Up"))
        act(m, "下一条", lambda: self.step(1), QKeySequence("Ctrl+Down"))
        act(m, "后退", pane.go_back, QKeySequence("Alt+Left"))
        act(m, "前进", pane.go_forward, QKeySequence("Alt+Right"))
        m = mb.addMenu("书签(&B)")
        self.bookmark_action = act(m, "加书签 / 取消书签", self.toggle_bookmark, QKeySequence("Ctrl+D"))
        act(m, "编辑备注…", self.edit_note)
        m = mb.addMenu("工具(&T)")
        act(m, "重建检索索引", self.ops.reindex)
        safety.add_tool_actions(self, m)  # 备份资料库, 从备份恢复…, 检查资料库
        m = mb.addMenu("帮助(&H)")
        act(m, "关于简报阅览", self._on_about)

    def _connect_signals(self) -> None:
        bar, side, pane = self.search_bar, self.side, self.reader_pane
        self._connect_reader_signals(side, pane)
        bar.search_requested.connect(self.run_search)
        bar.submitted.connect(self._on_search_submitted)
        bar.alliance_chosen.connect(self.set_alliance)
        side.alliance_chosen.connect(self.set_alliance)
        side.item_chosen.connect(self.open_item)
        side.hit_chosen.connect(lambda item_id: self.open_item(item_id, self.current_terms))
        side.edit_issue_requested.connect(self.edit_issue)
        side.export_issue_requested.connect(
            lambda issue_id: self.export_ids([r["id"] for r in self.lib.items(issue_id=issue_id)]))
        side.export_results_requested.connect(self.export_all_results)
        pane.history_moved.connect(lambda item_id: self.open_item(item_id, record=False))
        pane.step_requested.connect(self.step)
        pane.bookmark_toggled.connect(self.toggle_bookmark)
        pane.note_requested.connect(self.edit_note)
        self.reader.zoomed.connect(lambda size: self.settings.setValue("reader/font_size", size))
        self.search_service.results.connect(self._on_results)
        self.search_service.failed.connect(self._on_search_failed)
        self.ops.changed.connect(self._on_library_changed)
        self.ops.message.connect(lambda text, ms: self.statusBar().showMessage(text, ms))

    def _connect_reader_signals(self, side: SidePanel, pane: ReaderPane) -> None:
        """首页, 相关条目, 订阅 and the 联盟 tab's activity (part of :meth:`_connect_signals`)."""
        pane.home.item_chosen.connect(self.open_item)
        pane.home.saved_chosen.connect(self.open_saved)
        pane.home.action_chosen.connect(self._on_home_action)
        pane.related.item_chosen.connect(self.open_item)
        pane.related.keyword_chosen.connect(self.search_for)
        side.currentChanged.connect(lambda tab: self._load_activity() if tab == TAB_ALLIANCES else None)
        side.saved.open_requested.connect(self.open_saved)
        side.saved.remove_requested.connect(self.ops.remove_saved)
        self.search_service.related.connect(pane.related.show_related)
        self.search_service.saved.connect(self._on_saved_counted)

    # ------------------------------------------------------------------ state

    def _restore(self) -> None:
        geo = self.settings.value("window/geometry")
        if isinstance(geo, QByteArray):
            self.restoreGeometry(geo)
        else:
            self.resize(*first_size(self.screen().availableGeometry().size()))
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
        self._closed = True  # answers still queued from the search thread are dropped
        self.save_state()
        self.ops.cancel_all()
        self.tasks.wait()
        self.search_service.shutdown()
        super().closeEvent(event)
        # a message box still open (a job's failure, a check's report) runs an event loop of its
        # own: end them all, or the app would outlive its window waiting for an answer
        QApplication.quit()

    def refresh(self) -> None:
        """Reload the tree, the alliances, the bookmarks and the status bar from the library."""
        current = self.reader_pane.item_id
        self.side.tree_model.load(self.lib, self.alliance)
        self.side.tree.expandToDepth(0)
        alliances = self.lib.alliances()
        self.side.alliance_model.set_rows(alliances)
        self.search_bar.set_alliances(alliances)
        self.refresh_bookmarks()
        self._activity_stale = True
        if self.side.currentIndex() == TAB_ALLIANCES:
            self._load_activity()
        if current is not None:
            try:
                self.reader.show_item(self.lib.item(current), self.reader.terms)
            except JianbaoError:
                self.reader.show_empty()
                current = None
        if current is None or self.reader_pane.home_shown():
            self.show_home()
        self.search_service.count_saved()

    def refresh_bookmarks(self) -> None:
        self.side.bookmark_model.set_rows(self.lib.bookmarks())
        item_id = self.reader_pane.item_id
        self.reader_pane.set_bookmarked(item_id is not None and self.lib.is_bookmarked(item_id))
        self._update_status()

    def _on_library_changed(self, what: frozenset[str]) -> None:
        from .operations import SAVED

        if what <= {SAVED}:
            self.search_service.count_saved()
        elif what <= {BOOKMARKS}:
            self.refresh_bookmarks()
            if self.reader_pane.home_shown():
                self.show_home()
        elif what - {META}:
            self.refresh()

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

    # ------------------------------------------------------------------ home, activity, saved searches

    def show_home(self) -> None:
        """首页: the newest issue's 导读, the last import, saved searches with new hits, bookmarks."""
        from jianbao.index.home import home_data

        self.reader_pane.home.show_data(home_data(self.lib), self.saved_rows)
        self.reader_pane.show_home()

    def _load_activity(self) -> None:
        """Per-year counts for the 联盟 tab's bars: read when the tab is shown, not at start-up."""
        if not self._activity_stale:
            return
        from jianbao.index.activity import activity_table

        self._activity_stale = False
        self.side.alliance_delegate.set_activity(*activity_table(self.lib))
        self.side.alliance_view.viewport().update()

    def _on_home_action(self, action: str) -> None:
        if action == "activity":
            self.show_activity()
        elif action == "remove-sample":
            self.remove_sample()

    def remove_sample(self, confirm: bool = True) -> Job | None:
        """文件 → 移除示例简报: take the built-in sample issues out (bookmarks stay)."""
        from jianbao.index.sample import sample_issue_ids

        n = len(sample_issue_ids(self.lib))
        if not n:
            QMessageBox.information(self, "移除示例简报", "资料库中没有示例简报。")
            return None
        if confirm:
            answer = QMessageBox.question(self, "移除示例简报", f"从资料库移除内置示例简报 {n} 期？书签会保留。")
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return self.ops.remove_sample()

    def show_activity(self) -> Any:
        """查看 → 联盟活跃度 (an ActivityDialog, not modal)."""
        from .activity_view import ActivityDialog

        dlg = ActivityDialog(self.lib, self)
        dlg.item_chosen.connect(self.open_item)
        dlg.show()
        return dlg

    def _on_saved_counted(self, rows: list[Any]) -> None:
        from jianbao.index.saved import new_hits_report

        if getattr(self, "_closed", False):
            return
        before = {s.name: s.new for s in self.saved_rows}
        self.saved_rows = list(rows)
        self.side.show_saved(rows)
        report = new_hits_report(before, {s.name: s.new for s in rows}) if before or not rows else ""
        if report:
            self.saved_report = report
            current = self.statusBar().currentMessage()
            self.statusBar().showMessage(f"{current}；订阅：{report}" if current else f"订阅：{report}", 10_000)
        if self.reader_pane.home_shown():
            self.show_home()

    def save_search(self, name: str | None = None) -> Job | None:
        """Save the current query and filters as a 订阅 (asks for a name unless given)."""
        q = self.search_bar.query()
        if not q:
            self.statusBar().showMessage("请先在检索框中输入要订阅的检索词", 4000)
            return None
        if name is None:
            name, ok = QInputDialog.getText(self, "保存为订阅", "订阅名称：", text=q)
            if not ok or not name.strip():
                return None
        job = self.ops.save_search(name.strip(), q, self.search_bar.filters())
        job.finished.connect(lambda *_: self.statusBar().showMessage(f"已保存订阅“{name}”", 4000))
        return job

    def open_saved(self, name: str) -> Job | None:
        """Run a saved search and mark its hits seen."""
        s = next((r for r in self.saved_rows if r.name == name), None)
        if s is None:
            return None
        bar = self.search_bar
        f = s.filters
        bar.section_combo.setCurrentIndex(max(0, bar.section_combo.findData(f.get("section"))))
        bar.year_from.setValue(f.get("year_from") or 0)
        bar.year_to.setValue(f.get("year_to") or 0)
        if f.get("alliance") != self.alliance:
            self.set_alliance(f.get("alliance"))
        bar.field.setText(s.query)
        bar.debounce.stop()
        self.run_search()
        return self.ops.saved_seen(name) if s.new else None

    def search_for(self, text: str) -> None:
        """Search for ``text`` now (a keyword link)."""
        self.search_bar.field.setText(text)
        self.search_bar.debounce.stop()
        self.run_search()

    # ------------------------------------------------------------------ reading

    def open_item(self, item_id: int | None, terms: list[str] | None = None, record: bool = True) -> None:
        if item_id is None:
            return
        item = self.lib.item(int(item_id))
        self.reader_pane.show_item(item, terms if terms is not None else [], record)
        self.reader_pane.set_bookmarked(self.lib.is_bookmarked(item["id"]))
        self.search_service.find_related(item["id"])
        self.item_shown.emit(item["id"])

    def step(self, delta: int) -> None:
        """Previous/next item in 目录 order."""
        ids = self.side.tree_model.item_ids
        item_id = self.reader_pane.item_id
        if item_id is None or item_id not in ids:
            return
        nxt = ids.index(item_id) + delta
        if 0 <= nxt < len(ids):
            self.side.select_in_tree(ids[nxt])

    def items_to_print(self) -> list[dict[str, Any]]:
        """The selected items (or the one in the reader), in full."""
        return [self.lib.item(i) for i in self.selected_ids()]

    def print_item(self) -> None:
        from .printing import print_items

        items = self.items_to_print()
        if items:
            print_items(items, self)

    def print_preview(self) -> QWidget | None:
        from .printing import preview_dialog

        items = self.items_to_print()
        if not items:
            return None
        dlg = preview_dialog(items, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def copy_with_citation(self) -> None:
        text = self.reader.plain_with_citation()
        if text:
            QApplication.clipboard().setText(text)
            self.statusBar().showMessage("已复制（附出处）", 3000)

    # ------------------------------------------------------------------ bookmarks (written in the lane)

    def toggle_bookmark(self) -> Job | None:
        item_id = self.reader_pane.item_id
        if item_id is None:
            return None
        if self.lib.is_bookmarked(item_id):
            job = self.ops.remove_bookmark(item_id)
            job.finished.connect(lambda *_: self.statusBar().showMessage("已取消书签", 3000))
        else:
            job = self.ops.set_bookmark(item_id)
            job.finished.connect(lambda *_: self.statusBar().showMessage("已加书签（书签 → 备注… 可添加备注）", 3000))
        return job

    def edit_note(self) -> Job | None:
        item_id = self.reader_pane.item_id
        if item_id is None:
            return None
        current = self.lib.bookmarks_by_id().get(item_id, {}).get("note", "")
        text, ok = QInputDialog.getMultiLineText(self, "书签备注", self.reader.item["title"], current or "")
        return self.ops.set_bookmark(item_id, text) if ok else None

    # ------------------------------------------------------------------ alliances

    def set_alliance(self, name: str | None) -> None:
        """Filter the tree and the search results by an alliance (None: no filter)."""
        self.alliance = name
        self.search_bar.show_alliance(name)
        self.side.load_tree(self.lib, name)
        if name:
            self.side.setCurrentIndex(TAB_TREE)
        if self.search_bar.query():
            self.run_search()

    # ------------------------------------------------------------------ search

    def run_search(self) -> None:
        q = self.search_bar.query()
        if not q:
            self.side.clear_results()
            self.search_bar.hit_count.setText("")
            self.explain_bar.show_explanation(None)
            self.current_terms = []
            self.reader_pane.set_terms([])
            return
        self.search_bar.hit_count.setText("检索中…")
        self.search_service.search(q, **self.search_bar.filters())

    def _on_results(self, res: Any) -> None:
        self.explain_bar.show_explanation(getattr(res, "explanation", None))
        self.current_terms = res.terms
        self.side.show_results(res)
        self.search_bar.hit_count.setText(f"共 {res.total} 条")
        self.reader_pane.set_terms(res.terms)
        if not res.total:  # say so where the user reads, rather than keep showing the last item
            from .side_panel import empty_message

            self.reader.show_empty(empty_message(res))
        self.results_shown.emit(res.total)
        if self._open_first_when_ready and res.hits:
            self._open_first_when_ready = False
            self.open_item(res.hits[0].id, res.terms)

    def _load_hits(self, ids: list[int]) -> list[Any]:
        """Hits for the results list as it scrolls (quick reads on this thread, as the tree does)."""
        from jianbao.index.results import hits_for

        return hits_for(self.lib, ids, self.current_terms)

    def export_all_results(self, values: dict[str, Any] | None = None) -> Job | None:
        """导出 every result of the search shown, not only those the list has loaded."""
        return self.export_ids(list(self.side.results_model.ids), values)

    def _on_search_submitted(self) -> None:
        """Enter opens the first result (of the search as typed, once it is answered)."""
        self._open_first_when_ready = True
        self.run_search()

    def _on_search_failed(self, message: str) -> None:
        self.search_bar.hit_count.setText("检索出错")
        QMessageBox.warning(self, "检索出错", message)

    # ------------------------------------------------------------------ issue metadata

    def edit_issue(self, issue_id: int, values: dict[str, Any] | None = None) -> Job | None:
        """Show 编辑期刊信息 (or apply ``values`` directly, as tests and scripts do)."""
        if values is None:
            dlg = IssueEditDialog(self.lib.issue(issue_id), self)
            if dlg.exec() != IssueEditDialog.DialogCode.Accepted:
                return None
            values = dlg.values()
        return self.ops.edit_issue(issue_id, values)

    # ------------------------------------------------------------------ import, export

    def _on_import_triggered(self) -> None:
        paths = choose_import_paths(self)
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[str], quiet: bool = False) -> Job:
        """Import files or folders in the background; ends with a summary."""
        return self.ops.import_paths(paths, quiet)

    def selected_ids(self) -> list[int]:
        """Items selected in the visible left tab, else the item being read."""
        ids = self.side.selected_ids()
        if not ids and self.reader_pane.item_id is not None:
            ids = [self.reader_pane.item_id]
        return ids

    def _on_export_triggered(self) -> None:
        self.export_ids(self.selected_ids())

    def export_ids(self, ids: list[int], values: dict[str, Any] | None = None) -> Job | None:
        """导出 the items ``ids``: asks for format and file unless ``values`` are given."""
        if not ids:
            QMessageBox.information(self, "导出", "请先在目录、检索结果或书签中选择要导出的条目。")
            return None
        if values is None:
            by_id = {r["id"]: r["title"] for r in self.lib.items(ids=ids, body=False)}
            titles = [by_id[i] for i in ids if i in by_id]  # in the order they will be exported
            dlg = ExportDialog(len(ids), str(Path.home() / "简报汇编.docx"), self, titles=titles)
            if dlg.exec() != ExportDialog.DialogCode.Accepted:
                return None
            values = dlg.values()
            if Path(values["output"]).exists():
                answer = QMessageBox.question(self, "文件已存在", f"{values['output']} 已存在，要覆盖吗？")
                if answer != QMessageBox.StandardButton.Yes:
                    return None
                values["force"] = True
        return self.ops.export(ids, values)

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
            f"简报阅览 {__version__}\n{BULLETIN}阅读、检索与汇编工具。\n资料库：{self.lib.folder}",
        )
