"""The search index's lock, and the worker processes of a parallel rebuild.

The lock serialises index writes between threads (an RLock) and between processes (``flock`` on
``search.lock``). Three rules keep it from ever hanging anyone:

* **No unbounded wait.** A holder is waited for at most ``timeout`` seconds, and whoever waits is
  told what for (:data:`wait_notice`: the CLI prints it on stderr, the GUI in its status bar),
  with the holder's process id, which the lock file records.
* **A dead holder never blocks.** ``flock`` belongs to the open file, and the kernel releases it
  when the last descriptor closes: when its process dies, however it dies — provided no child
  inherited the descriptor. So:
* **Workers never hold it, and die with their parent.** Whoosh's parallel writer forks worker
  processes; inside :func:`rebuild_workers`, every child forked points its copy of the lock's
  descriptor at /dev/null (the lock stays the parent's alone), asks the kernel to kill it when
  its parent dies (Linux ``PR_SET_PDEATHSIG``), and ignores Ctrl+C (the parent cancels it;
  no KeyboardInterrupt tracebacks from workers). :func:`stop_workers` ends them after a cancel,
  which Whoosh's ``MpWriter.cancel`` does not (it flags its own copy of each task object).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .dberrors import LibraryBusy

LOCK_NAME = "search.lock"
LOCK_TIMEOUT = 120.0  # seconds: a rebuild of 50k items takes about two minutes on a slow machine
_POLL = 0.1

_locks: dict[str, tuple[threading.RLock, list[int]]] = {}
_locks_guard = threading.Lock()
_held_fds: set[int] = set()  # lock descriptors this process holds (for the fork hook)
_in_rebuild = [0]


def _default_notice(text: str) -> None:
    print(f"jianbao: {text}", file=sys.stderr, flush=True)


#: Called once with a sentence when a wait for the lock begins; the GUI replaces it.
wait_notice: Callable[[str], None] = _default_notice


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        return ""
    return f"（进程 {pid}）" if pid.isdigit() else ""


@contextlib.contextmanager
def index_lock(library_folder: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the index lock (re-entrant in a thread); wait at most ``timeout`` seconds for it."""
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    key = str(Path(library_folder).resolve())
    with _locks_guard:
        lock, depth = _locks.setdefault(key, (threading.RLock(), [0]))
    if not lock.acquire(timeout=timeout):
        raise LibraryBusy(f"检索索引正被本程序的另一项工作使用，等待 {timeout:.0f} 秒后放弃：{library_folder}")
    try:
        depth[0] += 1
        if depth[0] > 1:
            yield
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: threads are serialised, processes rarely race
            yield
            return
        path = Path(library_folder) / LOCK_NAME
        with open(path, "a+b") as fh:
            _acquire(fh, path, timeout, fcntl)
            _held_fds.add(fh.fileno())
            try:
                fh.seek(0)
                fh.truncate()
                fh.write(str(os.getpid()).encode())
                fh.flush()
                yield
            finally:
                _held_fds.discard(fh.fileno())
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        depth[0] -= 1
        lock.release()


def _acquire(fh: Any, path: Path, timeout: float, fcntl: Any) -> None:
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if not told:
            wait_notice(f"正在等待另一个程序{_holder(path)}更新检索索引（最多 {timeout:.0f} 秒）…")
            told = True
        if time.monotonic() >= deadline:
            raise LibraryBusy(
                f"检索索引被另一个程序{_holder(path)}占用超过 {timeout:.0f} 秒，请稍后再试：{path.parent}"
            )
        time.sleep(_POLL)


# --------------------------------------------------------------------------- rebuild workers


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the workers still end on cancel
        pass


def _after_fork_in_child() -> None:
    if not _in_rebuild[0]:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in list(_held_fds):
        try:
            os.dup2(devnull, fd)  # the descriptor stays valid; the lock is no longer shared
        except OSError:
            pass
    os.close(devnull)
    _held_fds.clear()
    _set_parent_death_signal()
    if os.getppid() == 1:  # the parent died before the death signal was set
        os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class WorkerGuard:
    """Ctrl+C during a parallel rebuild, held until a safe point (:meth:`check`).

    A KeyboardInterrupt raised wherever the signal lands can land inside a fork handler, where
    Python prints it and drops it; so while workers may be forked the main thread's SIGINT
    handler only records the request, and the rebuild loop raises it between documents.
    """

    def __init__(self) -> None:
        self.interrupted = False

    def _on_sigint(self, signum: int, frame: Any) -> None:
        self.interrupted = True

    def check(self) -> None:
        if self.interrupted:
            self.interrupted = False
            raise KeyboardInterrupt


@contextlib.contextmanager
def rebuild_workers() -> Iterator[WorkerGuard]:
    """Processes forked inside this block are rebuild workers (see the module docstring)."""
    guard = WorkerGuard()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, guard._on_sigint)
    _in_rebuild[0] += 1
    try:
        yield guard
    finally:
        _in_rebuild[0] -= 1
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    guard.check()


def stop_workers(writer: Any, grace: float = 2.0) -> None:
    """End the worker processes of a cancelled Whoosh ``MpWriter`` (no-op for other writers)."""
    for task in getattr(writer, "tasks", []) or []:
        with contextlib.suppress(Exception):
            if task.is_alive():
                task.terminate()
            task.join(grace)
            if task.is_alive():
                task.kill()
                task.join(grace)
