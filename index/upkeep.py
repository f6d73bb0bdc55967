"""Upkeep of the Whoosh index: build, catch up, rebuild on damage. The write lane only.

The index is derived data: the store's ``meta.index_rev`` records the revision it has reached;
a missing, stale or damaged index, or a flag left by a rebuild that did not finish, is detected
by :meth:`IndexUpkeep.status` and rebuilt from the store. Only code that writes (import, edit,
reindex, the CLI's writing commands, the GUI's background jobs) uses this module; a
:class:`~index.search.Searcher` only reads, and reopens when ``index_rev`` moves. A reader that
needs a current index before answering calls :func:`update_index` explicitly first.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from whoosh import index

from .errors import Cancelled
from .labels import credit_line
from .locking import index_lock, rebuild_workers, stop_workers
from .progress import Progress
from .segment import segmenter
from .store import Library, Meta

INDEX_FORMAT = 5  # 5: the credit line is indexed; 4: schema pickles jianbao.index.* class paths (was index.*)


def domain_terms() -> list[str]:
    """The archive's own words (resources/terms.txt) for the segmenter's user dictionary."""
    text = resources.files("jianbao.resources").joinpath("terms.txt").read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]



class IndexFiles:
    """Where one library's index lives and the segmenter it is built with (shared by both sides)."""

    def __init__(self, lib: Library, folder: Path | None = None):
        self.lib = lib
        self.folder = folder or lib.folder / "search"
        self.cache = lib.folder / "cache"
        self._ix: index.Index | None = None
        self._user_words: list[str] | None = None

    def _seg_name(self) -> str:
        return self._segmenter().name

    def _segmenter(self) -> Any:
        if self._user_words is None:
            names = [n for a in self.lib.alliance_table.alliances.values() for n in (a.name, *a.aliases)]
            self._user_words = [*names, *domain_terms()]
            return segmenter(self.cache, self._user_words)
        return segmenter(self.cache)

    def _marker(self) -> Path:
        return self.folder / "jianbao-index.json"

    def _marker_mtime(self) -> float:
        try:
            return self._marker().stat().st_mtime_ns / 1e9
        except OSError:
            return 0.0


class IndexUpkeep(IndexFiles):
    """Builds and maintains the index of one library. Create it in the thread that uses the library."""

    def status(self) -> str:
        """ok, missing, stale (behind the store), or broken (rebuild flag, format, damage)."""
        if self.lib.meta(Meta.INDEX_REBUILDING) == "1":
            return "broken"
        try:
            marker = json.loads(self._marker().read_text())
        except (OSError, ValueError):
            return "missing"
        if marker.get("format") != INDEX_FORMAT or marker.get("segmenter") != self._seg_name():
            return "broken"
        damaged = False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                index.open_dir(str(self.folder)).doc_count()
            except Exception:  # any failure to open a derived index means: rebuild it
                damaged = True
            # Whoosh leaves a damaged file open; let it be closed now, quietly, not at exit.
            gc.collect()
        if damaged:
            return "broken"
        rev = int(self.lib.meta(Meta.INDEX_REV, "-1") or -1)
        if rev != marker.get("rev") or rev > self.lib.rev:
            return "broken"
        return "ok" if rev == self.lib.rev else "stale"

    def ensure(self, progress: Callable[[Progress], None] | None = None) -> None:
        """Make the index current: rebuild it if missing or damaged, catch up if stale."""
        with index_lock(self.lib.folder):
            st = self.status()  # again under the lock: another thread may have just rebuilt it
            if st in ("missing", "broken"):
                for p in self.rebuild():
                    if progress:
                        progress(p)
            elif st == "stale":
                self.sync()
        if self._ix is None:
            self._ix = index.open_dir(str(self.folder))

    def _write_marker(self, rev: int) -> None:
        self._marker().write_text(json.dumps({"format": INDEX_FORMAT, "segmenter": self._seg_name(), "rev": rev}))

    def _doc(self, row: dict[str, Any]) -> dict[str, Any]:
        from .search import FIELD_SEP  # beside the tokenizer that splits on it

        text = FIELD_SEP.join([row["title"], row["body"] or "", credit_line(row)])
        return {"id": str(row["id"]), "iid": row["id"], "text": text}

    def rebuild(self, cancelled: Callable[[], bool] = lambda: False, procs: int = 1) -> Iterator[Progress]:
        """Rebuild the index from the store (crash-safe: a flag is set until the commit).

        ``procs`` > 1 segments in that many processes; only where processes fork (not on Windows
        or macOS, whose spawned workers would not share the segmenter) and from a process with no
        other threads (the CLI, not the GUI).
        """
        with index_lock(self.lib.folder):
            yield from self._rebuild(cancelled, procs)

    def _rebuild(self, cancelled: Callable[[], bool], procs: int) -> Iterator[Progress]:
        self._segmenter()
        self.lib.set_meta(Meta.INDEX_REBUILDING, "1")
        for stale in self.folder.parent.glob(self.folder.name + ".new-*"):  # left by a crash
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=self.folder.name + ".new-", dir=self.folder.parent))
        rev = self.lib.rev
        rows = self.lib.items()
        from .search import make_schema  # the schema pickles search's tokenizer by its path

        ix = index.create_in(str(tmp), make_schema())
        kw: dict[str, Any] = {"timeout": 10, "limitmb": 256}
        if procs > 1 and multiprocessing.get_start_method(allow_none=False) == "fork":
            kw.update(procs=procs, multisegment=True)
        with rebuild_workers() as guard:  # forked workers: never hold the lock, die with this process
            w = ix.writer(**kw)
            committed = False
            try:
                for n, row in enumerate(rows, 1):
                    if cancelled():
                        raise Cancelled("重建索引已取消")
                    guard.check()
                    w.add_document(**self._doc(row))
                    if n % 500 == 0:
                        yield Progress(n, len(rows), "建立索引")
                w.commit()
                committed = True
                guard.check()
            except BaseException:
                stop_workers(w)  # first: a worker may still read a job file that cancel removes
                if not committed:
                    with contextlib.suppress(OSError):  # its temp folder goes with ``tmp`` below
                        w.cancel()
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            self.folder.rename(old)
        tmp.rename(self.folder)
        shutil.rmtree(old, ignore_errors=True)
        self._write_marker(rev)
        with self.lib.transaction():
            self.lib._set_meta(Meta.INDEX_REV, str(rev))
            self.lib._set_meta(Meta.INDEX_REBUILDING, "0")
        self._ix = index.open_dir(str(self.folder))
        yield Progress(len(rows), len(rows), "索引已建立")

    def sync(self) -> int:
        """Bring the index up to the store's revision; returns the number of documents written."""
        with index_lock(self.lib.folder):
            return self._sync()

    def _sync(self) -> int:
        rev_from = int(self.lib.meta(Meta.INDEX_REV, "-1") or -1)
        rev_to = self.lib.rev
        if rev_from == rev_to and self.folder.exists():
            return 0
        if rev_from < 0 or not self.folder.exists():
            for _ in self._rebuild(lambda: False, 1):
                pass
            return -1
        changed, deleted = self.lib.changes_since(rev_from)
        self._segmenter()
        ix = self._ix or index.open_dir(str(self.folder))
        w = ix.writer(timeout=10)
        try:
            for item_id in deleted:
                w.delete_by_term("id", str(item_id))
            for row in changed:
                w.update_document(**self._doc(row))
            w.commit()
        except BaseException:
            w.cancel()
            raise
        self._write_marker(rev_to)
        self.lib.set_meta(Meta.INDEX_REV, str(rev_to))
        self._ix = ix
        return len(changed) + len(deleted)


def update_index(lib: Library, progress: Callable[[Progress], None] | None = None) -> None:
    """Bring the index in step with the store (after an import or an edit, or before a read that
    needs it): catch up, or rebuild it if it is missing or damaged. Writes nothing when current."""
    upkeep = IndexUpkeep(lib)
    if upkeep.status() != "ok":
        upkeep.ensure(progress)
