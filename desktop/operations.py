"""What the GUI does to the library: every write and every long job (Anki ``CollectionOp`` style).

Each operation runs in the single write lane (:class:`desktop.tasks.TaskManager`), never on the
GUI thread, so a bookmark made during an import waits its turn instead of freezing the window
behind the import's transaction. Each one has a default failure handler that shows one readable
sentence, and on success reports *what* it changed through :attr:`Operations.changed`, from which
the window refreshes its views. Calls into ``Library`` writes live here only, so a renamed core
method is adapted in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from jianbao.index import importer
from jianbao.index.progress import ImportResult, Progress
from jianbao.index.store import Library
from jianbao.index.upkeep import IndexUpkeep, update_index

from .dialogs import progress_dialog
from .tasks import Job, TaskManager

log = logging.getLogger(__name__)

# what an operation may report as changed
ITEMS, BOOKMARKS, ISSUES, META = "items", "bookmarks", "issues", "meta"
SAVED = "saved"


def readable(message: str) -> str:
    """One sentence for the user: a known error as it is, a bug as its last line."""
    if message.startswith("Traceback"):
        log.error("%s", message)  # the whole traceback, for a bug report
        last = message.strip().splitlines()[-1]
        return f"出现意外错误：{last}"
    return message


class Operations(QObject):
    """The GUI's verbs. Each returns its :class:`Job`, already started."""

    changed = Signal(object)  # a frozenset of ITEMS/BOOKMARKS/ISSUES/META
    message = Signal(str, int)  # a status-bar line and how long to show it (ms)
    job_created = Signal(object)  # a Job, before it starts (progress dialogs, tests)

    def __init__(self, tasks: TaskManager, parent: QWidget):
        super().__init__(parent)
        self.tasks = tasks
        self.window = parent
        self.jobs: list[Job] = []

    # ------------------------------------------------------------------ the one way to run

    def run(self, work: Callable[..., Any], *, failure: str, changes: frozenset[str] = frozenset(),
            progress: str | None = None) -> Job:
        """Queue ``work`` (a generator of Progress taking (lib, cancelled)) in the write lane.

        ``failure`` titles the message box a failure shows; ``changes`` are reported on success;
        ``progress`` titles a progress dialog (shown only if the work lasts over half a second).
        """
        if self.tasks.busy():
            self.message.emit("正在处理前一项任务，本操作将在其后进行…", 3000)
        job = self.tasks.job(work)
        self.jobs.append(job)
        if progress:
            job.setProperty("dialog", progress_dialog(job, progress, self.window))
        job.failed.connect(lambda msg: QMessageBox.warning(self.window, failure, readable(msg)))
        if changes:
            job.finished.connect(lambda *_: self.changed.emit(changes))
        for sig in (job.finished, job.failed, job.cancelled):
            sig.connect(lambda *_, j=job: self.jobs.remove(j) if j in self.jobs else None)
        self.job_created.emit(job)
        job.start()
        return job

    def call(self, fn: Callable[[Library], Any], *, failure: str, changes: frozenset[str] = frozenset()) -> Job:
        """A short write, ``fn(lib)``, in the write lane; its return value is the job's one result."""
        return self.run(self.tasks.wrap(fn), failure=failure, changes=changes)

    def cancel_all(self) -> None:
        for job in list(self.jobs):
            job.cancel()

    # ------------------------------------------------------------------ short writes

    def set_bookmark(self, item_id: int, note: str | None = None) -> Job:
        """Bookmark ``item_id`` (keeping its note when ``note`` is None)."""
        return self.call(lambda lib: lib.bookmarks.add(item_id, note), failure="无法保存书签",
                         changes=frozenset({BOOKMARKS}))

    def remove_bookmark(self, item_id: int) -> Job:
        return self.call(lambda lib: lib.bookmarks.remove(item_id), failure="无法取消书签", changes=frozenset({BOOKMARKS}))

    def save_search(self, name: str, query: str, filters: dict[str, Any]) -> Job:
        """Save a search as a 订阅 (what it finds now counts as seen)."""
        from jianbao.index.saved import FILTER_KEYS, SavedSearches

        f = {k: filters.get(k) for k in FILTER_KEYS}
        return self.call(lambda lib: SavedSearches(lib).add(name, query, **f), failure="无法保存订阅",
                         changes=frozenset({SAVED}))

    def saved_seen(self, name: str) -> Job:
        from jianbao.index.saved import SavedSearches

        return self.call(lambda lib: SavedSearches(lib).seen(name), failure="无法更新订阅", changes=frozenset({SAVED}))

    def remove_saved(self, name: str) -> Job:
        from jianbao.index.saved import SavedSearches

        return self.call(lambda lib: SavedSearches(lib).remove(name), failure="无法删除订阅", changes=frozenset({SAVED}))

    def remove_sample(self) -> Job:
        """Take the built-in sample issues out of the library (bookmarks stay); the index follows."""

        def work(lib: Library, cancelled: Any) -> Any:
            from jianbao.index.sample import remove_sample

            done = remove_sample(lib)
            update_index(lib)
            yield Progress(1, 1, "", done)

        job = self.run(work, failure="无法移除示例简报", changes=frozenset({ITEMS}))
        job.finished.connect(lambda results: self.message.emit(
            f"已移除示例简报 {results[-1]['issues']} 期（{results[-1]['items']} 条）", 6000))
        return job

    def set_meta(self, key: str, value: str) -> Job:
        return self.call(lambda lib: lib.set_meta(key, value), failure="无法保存设置", changes=frozenset({META}))

    def edit_issue(self, issue_id: int, values: dict[str, Any]) -> Job:
        """Change an issue's 年/期/总期/日期; the search index catches up after, in the same lane."""
        job = self.call(lambda lib: lib.edit_issue(issue_id, **values), failure="无法保存",
                        changes=frozenset({ISSUES}))
        job.finished.connect(lambda *_: self.sync_index())
        return job

    def sync_index(self) -> Job:
        def work(lib: Library, cancelled: Any) -> Any:
            update_index(lib)
            yield from ()

        return self.run(work, failure="检索索引更新失败")

    # ------------------------------------------------------------------ long jobs

    def import_paths(self, paths: list[str], quiet: bool = False, force: bool = False) -> Job:
        """Import files or folders; ends with a summary (a box unless ``quiet``). Files refused
        only because they would remove most of an issue, or do not look like a bulletin, are
        offered again with ``force`` after asking."""
        extra = {"force": True} if force else {}
        return self._import_job(lambda lib, cancelled: importer.import_paths(lib, paths, cancelled, **extra), quiet)

    def import_sample(self) -> Job:
        """Seed a new library with the bundled sample (the core marks it done when it finishes)."""
        return self._import_job(importer.import_sample, quiet=True)

    def _import_job(self, imports: Callable[[Library, Any], Any], quiet: bool) -> Job:
        def work(lib: Library, cancelled: Any) -> Any:
            yield from imports(lib, cancelled)
            update_index(lib)

        job = self.run(work, failure="导入失败", changes=frozenset({ITEMS}), progress="导入简报")
        job.finished.connect(lambda results: self._on_import_finished(results, quiet))
        job.cancelled.connect(lambda: (self.changed.emit(frozenset({ITEMS})),
                                       self.message.emit("导入已取消；已导入的文件保留", 5000)))
        return job

    def _on_import_finished(self, results: list[ImportResult], quiet: bool) -> None:
        counts = {s: [r for r in results if r.status == s] for s in ("added", "updated", "unchanged", "failed")}
        summary = (f"新增 {len(counts['added'])} 期，更新 {len(counts['updated'])} 期，"
                   f"未变 {len(counts['unchanged'])} 期，失败 {len(counts['failed'])} 个文件")
        self.message.emit(summary, 8000)
        if quiet:
            return
        details = "\n".join(f"✗ {Path(r.path).name}：{r.reason()}" for r in counts["failed"])
        warn = "\n".join(f"! {Path(r.path).name}：{w}" for r in results for w in r.warnings)
        box = QMessageBox.warning if counts["failed"] else QMessageBox.information
        box(self.window, "导入完成", "\n\n".join(filter(None, [summary, details, warn])))
        forceable = [r for r in counts["failed"] if r.needs_force]
        if forceable:
            self.ask_force(forceable)

    def ask_force(self, results: list[ImportResult]) -> Job | None:
        """Ask whether to import anyway what was refused only for the user's protection."""
        text = "\n".join(f"• {Path(r.path).name}：{r.message}" for r in results)
        answer = QMessageBox.question(
            self.window, "仍要导入？", f"以下文件未导入：\n{text}\n\n导入前会自动备份资料库。仍要导入这些文件吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self.import_paths([r.path for r in results], force=True)

    def reindex(self) -> Job:
        def work(lib: Library, cancelled: Any) -> Any:
            yield from IndexUpkeep(lib).rebuild(cancelled)

        job = self.run(work, failure="重建索引失败", progress="重建检索索引")
        job.finished.connect(lambda *_: self.message.emit("检索索引已重建", 5000))
        return job

    def export(self, ids: list[int], values: dict[str, Any]) -> Job:
        """Export ``ids`` with the export dialog's ``values`` (fmt, output, group_by_issue, notes, title)."""
        vals = dict(values)

        def work(lib: Library, cancelled: Any) -> Any:
            from jianbao.index.export import export_iter

            output = vals.pop("output")
            yield from export_iter(lib, ids, output, cancelled=cancelled, **vals)

        job = self.run(work, failure="导出失败", progress="导出")
        job.finished.connect(lambda results: self.message.emit(f"已导出 {len(ids)} 条到 {results[-1]}", 8000))
        return job
