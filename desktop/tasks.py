"""Long work off the GUI thread.

index/ writes long operations as generators of :class:`index.store.Progress` that take a cancel
flag. A :class:`Job` runs one in a worker thread, on a Library the worker opens itself (a SQLite
connection belongs to the thread that made it), and reports back by signal: never a widget from
the worker. Writes go through one lane with a single thread, so two imports never race.

The search runs in its own long-lived thread (:class:`SearchService`) that keeps its Library,
Whoosh searcher and the folded text warm between queries.
"""

from __future__ import annotations

import sqlite3
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from jianbao.index.dberrors import map_error
from jianbao.index.errors import Cancelled, JianbaoError
from jianbao.index.store import Library, Progress

WorkFn = Callable[[Library, Callable[[], bool]], Iterator[Progress]]


class Job(QObject):
    """One piece of long work. Connect to the signals, then :meth:`start`."""

    progress = Signal(int, int, str)
    finished = Signal(object)  # the last Progress.result that was not None, or a list of all results
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, library_folder: Path, work: WorkFn, pool: QThreadPool, parent: QObject | None = None):
        super().__init__(parent)
        self._folder = library_folder
        self._work = work
        self._pool = pool
        self._cancel = threading.Event()
        self.results: list[Any] = []
        self.ended = False  # set by the worker once the job's last signal is emitted

    def cancel(self) -> None:
        self._cancel.set()

    def start(self) -> None:
        self._pool.start(_Runner(self))

    def _run(self) -> None:
        try:
            self._run_work()
        finally:
            self.ended = True

    def _run_work(self) -> None:
        try:
            with Library(self._folder) as lib:
                for p in self._work(lib, self._cancel.is_set):
                    if p.result is not None:
                        self.results.append(p.result)
                    self.progress.emit(p.done, p.total, p.text)
        except Cancelled:
            self.cancelled.emit()
            return
        except JianbaoError as e:
            self.failed.emit(str(e))
            return
        except sqlite3.Error as e:  # the environment (disk full, damaged file…) in one sentence; a bug keeps its traceback
            mapped = map_error(e, self._folder / "library.db")
            self.failed.emit(str(mapped) if mapped else traceback.format_exc())
            return
        except Exception:  # a bug: keep the traceback for the user to report
            self.failed.emit(traceback.format_exc())
            return
        self.finished.emit(self.results)


class _Runner(QRunnable):
    def __init__(self, job: Job):
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self.job._run()


class TaskManager(QObject):
    """The single-thread lane for everything that writes: jobs and every short GUI write."""

    KEEP_ENDED = 16  # ended jobs kept alive: their signals' handlers and a test may still read them

    def __init__(self, library_folder: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.folder = library_folder
        self.write_lane = QThreadPool(self)
        self.write_lane.setMaxThreadCount(1)
        self._jobs: list[Job] = []

    def job(self, work: WorkFn) -> Job:
        """A new job in the lane. Jobs that ended long ago are deleted here: every bookmark,
        note and edit is a job, and a day's reading would otherwise keep thousands of them."""
        ended = [j for j in self._jobs if j.ended]
        for old in ended[: max(0, len(ended) - self.KEEP_ENDED)]:
            self._jobs.remove(old)
            old.deleteLater()
        job = Job(self.folder, work, self.write_lane, self)
        self._jobs.append(job)
        return job

    @staticmethod
    def wrap(fn: Callable[[Library], Any]) -> WorkFn:
        """A short write ``fn(lib)`` as work for the lane: one step whose result is ``fn``'s."""

        def work(lib: Library, cancelled: Callable[[], bool]) -> Iterator[Progress]:
            yield Progress(1, 1, "", fn(lib))

        return work

    def busy(self) -> bool:
        """Whether something is running in the lane now (a new job would wait for it)."""
        return self.write_lane.activeThreadCount() > 0

    def wait(self, msecs: int = 30_000) -> bool:
        return self.write_lane.waitForDone(msecs)


# --------------------------------------------------------------------------- search


class _SearchWorker(QObject):
    results = Signal(int, object)  # request id, index.search.Results
    failed = Signal(int, str)
    ready = Signal()
    related = Signal(int, object, object)  # item id, keywords, related items
    saved = Signal(object)  # [index.saved.SavedSearch] with hits and new counts

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder
        self.lib: Library | None = None
        self.searcher: Any = None
        self._related_cache: dict[int, tuple[int, list[str], list[Any]]] = {}

    def _ensure(self) -> Any:
        if self.searcher is None:
            from jianbao.index.search import Searcher

            self.lib = Library(self.folder)
            self.searcher = Searcher(self.lib)
        return self.searcher

    @Slot()
    def warm_up(self) -> None:
        """Load the segmenter, the index and the folded text before the first query needs them."""
        try:
            s = self._ensure()
            s.ensure_current()
            s.search("联盟", limit=1)
        except Exception:
            pass
        self.ready.emit()

    @Slot(int, str, object)
    def search(self, request: int, query: str, filters: dict) -> None:
        try:
            res = self._ensure().search(query, **filters)
            if not res.total and res.terms:
                from jianbao.index.results import explain_empty

                res.why = explain_empty(self.searcher, query, filters)
        except JianbaoError as e:
            self.failed.emit(request, str(e))
            return
        except Exception:
            self.failed.emit(request, traceback.format_exc())
            return
        res.explanation = self._explain(query)  # how the query was read, for the line under the field
        self.results.emit(request, res)

    def _explain(self, query: str) -> Any:
        from jianbao.index.explain import explain

        try:
            return explain(query, self._ensure()._segmenter())
        except Exception:  # an extra: the results go out without it
            return None

    @Slot(int)
    def find_related(self, item_id: int) -> None:
        """Keywords and related items of ``item_id`` (nothing on failure: they are extras)."""
        from jianbao.index.related import keywords, related

        try:
            s = self._ensure()
            rev = s.lib.rev
            hit = self._related_cache.get(item_id)
            if hit is not None and hit[0] == rev:  # back/forward, re-reading: the library has not changed
                kws, rel = hit[1], hit[2]
            else:
                kws = [w for w, _ in keywords(s, item_id)]
                rel = related(s, item_id)
                if len(self._related_cache) > 500:
                    self._related_cache.clear()
                if kws:  # nothing found may mean the index is still being built: ask again next time
                    self._related_cache[item_id] = (rev, kws, rel)
        except Exception:  # the reader shows the item anyway
            kws, rel = [], []
        self.related.emit(item_id, kws, rel)

    @Slot()
    def count_saved(self) -> None:
        """The saved searches with their hit and new counts, from the warm scan."""
        from jianbao.index.saved import SavedSearches

        try:
            s = self._ensure()
            rows = SavedSearches(s.lib, s).list()
        except Exception:
            rows = []
        self.saved.emit(rows)

    @Slot()
    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        if self.lib is not None:
            self.lib.close()
        self.searcher = self.lib = None


class SearchService(QObject):
    """Queries in, results out, one request at a time; results of superseded requests are dropped."""

    results = Signal(object)
    failed = Signal(str)
    ready = Signal()
    related = Signal(int, object, object)  # item id, keywords, related items
    saved = Signal(object)  # [index.saved.SavedSearch] with hits and new counts
    _request = Signal(int, str, object)  # object, not dict: a dict with None would become a QVariantMap
    _warm = Signal()
    _close = Signal()
    _related = Signal(int)
    _saved = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("search")
        self._worker = _SearchWorker(folder)
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.search)
        self._warm.connect(self._worker.warm_up)
        self._close.connect(self._worker.close)
        self._worker.results.connect(self._on_results)
        self._worker.failed.connect(self._on_failed)
        self._worker.ready.connect(self.ready)
        self._related.connect(self._worker.find_related)
        self._worker.related.connect(self.related)
        self._saved.connect(self._worker.count_saved)
        self._worker.saved.connect(self.saved)
        self._thread.start()
        self._last = 0

    def warm_up(self) -> None:
        self._warm.emit()

    def search(self, query: str, **filters: Any) -> int:
        self._last += 1
        self._request.emit(self._last, query, filters)
        return self._last

    def find_related(self, item_id: int) -> None:
        self._related.emit(item_id)

    def count_saved(self) -> None:
        self._saved.emit()

    @Slot(int, object)
    def _on_results(self, request: int, res: Any) -> None:
        if request == self._last:
            self.results.emit(res)

    @Slot(int, str)
    def _on_failed(self, request: int, message: str) -> None:
        if request == self._last:
            self.failed.emit(message)

    def shutdown(self) -> None:
        self._close.emit()
        self._thread.quit()
        self._thread.wait(10_000)
