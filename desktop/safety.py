"""The GUI's safety net: a log file, no silent or raw tracebacks, backups, restore and checks.

* :func:`setup_logging` writes a rotated log (``logs/jianbao.log`` in the library folder, or the
  platform's log folder when the library cannot be written).
* :func:`install_excepthook` routes an uncaught exception, on any thread, to the log (whole) and
  to the user (one sentence and where the log is), never to a console nobody reads.
* :func:`add_tool_actions` puts 备份资料库, 从备份恢复… and 检查资料库 in the 工具 menu.
* :func:`start_background_checks` runs the quick check and the daily backup after start-up, off
  the GUI thread, and says so only if something is wrong.

Restoring replaces ``library.db``, which every open connection would keep using: the window
records the request and closes; :func:`jianbao.desktop.app.run` restores once everything is
closed and opens the library again.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QMainWindow, QMenu, QMessageBox, QWidget

from jianbao.index.backup import backup, daily_backup, list_backups
from jianbao.index.check import Report, check
from jianbao.index.libfile import writable

log = logging.getLogger("jianbao")
LOG_NAME = "jianbao.log"


def log_folder(library_folder: Path) -> Path:
    folder = Path(library_folder) / "logs"
    if writable(Path(library_folder) / "library.db"):
        return folder
    return Path(platformdirs.user_log_dir("jianbao", appauthor=False))


def setup_logging(library_folder: Path) -> Path | None:
    """Log to a rotated file (1 MB × 3); returns its path, or None if no folder can hold it."""
    folder = log_folder(library_folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(folder / LOG_NAME, maxBytes=1_000_000, backupCount=3,
                                                       encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, logging.handlers.RotatingFileHandler) and getattr(h, "_jianbao", False):
            root.removeHandler(h)
            h.close()
    handler._jianbao = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return folder / LOG_NAME


class _Bridge(QObject):
    """Carries an error from any thread to the GUI thread (a queued signal)."""

    show = Signal(str)


_bridge: _Bridge | None = None
_log_path: list[Path | None] = [None]


def one_sentence(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}：{text}" if text else type(exc).__name__


def _show(text: str) -> None:
    """One sentence in a box over the app's window; only logged once that window has closed.

    A box without a parent would be a top-level window of its own: the app would not end when
    its main window closes, waiting for an answer to a box about an app that is gone.
    """
    if sys.stderr is not None:
        print(f"jianbao: 出现意外错误：{text}", file=sys.stderr, flush=True)
    parent = QApplication.activeWindow() or next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()), None)
    if parent is None:
        return
    where = f"\n\n详情已记入日志：{_log_path[0]}" if _log_path[0] else ""
    QMessageBox.critical(parent, "出现意外错误", f"出现意外错误：{text}{where}")


def install_excepthook(log_path: Path | None) -> None:
    """Uncaught exceptions (GUI thread and others): the whole traceback to the log, one sentence
    to the user. A second error while the box is up is logged, not stacked as another box."""
    global _bridge
    _log_path[0] = log_path
    if _bridge is None:
        _bridge = _Bridge()
        _bridge.show.connect(_show)
    busy = threading.Lock()

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        log.error("uncaught exception\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        if QApplication.instance() is None or not busy.acquire(blocking=False):
            return
        try:
            assert _bridge is not None
            _bridge.show.emit(one_sentence(exc))
        finally:
            busy.release()

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


# --------------------------------------------------------------------------- the 工具 menu


def add_tool_actions(window: Any, menu: QMenu) -> None:
    menu.addSeparator()
    window.backup_action = menu.addAction("备份资料库")
    window.backup_action.triggered.connect(lambda: backup_now(window))
    window.restore_action = menu.addAction("从备份恢复…")
    window.restore_action.triggered.connect(lambda: choose_restore(window))
    window.check_action = menu.addAction("检查资料库")
    window.check_action.triggered.connect(lambda: check_now(window))


def backup_now(window: Any) -> Any:
    """A backup in the write lane (so it never copies half of an import)."""
    job = window.ops.call(lambda lib: backup(lib.folder, "manual", conn=lib.conn), failure="备份失败")
    job.finished.connect(lambda results: window.statusBar().showMessage(f"已备份到 {results[-1]}", 8000))
    return job


def show_report(parent: QWidget, report: Report, quiet_if_ok: bool = False) -> None:
    if report.ok:
        if not quiet_if_ok:
            QMessageBox.information(parent, "检查资料库", report.text())
        return
    QMessageBox.warning(parent, "资料库有问题", report.text() + "\n\n可在 工具 → 从备份恢复… 中恢复备份。")


def check_now(window: Any) -> Any:
    """The full check, in the write lane (it reads only; the lane keeps it off the GUI thread)."""

    def work(lib: Any, cancelled: Any) -> Any:
        from jianbao.index.progress import Progress

        yield Progress(1, 1, "检查完成", check(lib.folder, full=True))

    job = window.ops.run(work, failure="检查失败", progress="检查资料库")
    job.finished.connect(lambda results: show_report(window, results[-1]))
    return job


def choose_restore(window: Any) -> Path | None:
    """Pick a backup, confirm, then close the window so that the restore runs with nothing open."""
    backups = list(reversed(list_backups(window.lib.folder)))
    if not backups:
        QMessageBox.information(window, "从备份恢复", "还没有备份。可用 工具 → 备份资料库 创建一份。")
        return None
    labels = [f"{b.when:%Y-%m-%d %H:%M:%S}  {b.reason}  ({b.size // 1024} KB)" for b in backups]
    label, ok = QInputDialog.getItem(window, "从备份恢复", "选择要恢复的备份：", labels, 0, False)
    if not ok:
        return None
    chosen = backups[labels.index(label)].path
    answer = QMessageBox.question(
        window, "从备份恢复",
        f"用 {chosen.name} 替换当前资料库？\n当前资料库会先另存一份备份。窗口将关闭并重新打开资料库。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    window.restore_request = chosen
    window.close()
    return chosen


# --------------------------------------------------------------------------- at start-up


class BackgroundChecks(QObject):
    """The quick check and the daily backup, in a thread of their own, after the window shows."""

    done = Signal(object)  # the Report

    def __init__(self, window: Any):
        super().__init__(window)
        self.window = window
        self.folder = Path(window.lib.folder)
        self.done.connect(self._on_done)
        self.thread = threading.Thread(target=self._run, name="jianbao-checks", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        try:
            report = check(self.folder, full=False)
            if report.ok and writable(self.folder / "library.db"):
                daily_backup(self.folder)
        except Exception:  # a check that cannot run is logged, never a crash of the app
            log.exception("start-up check failed")
            return
        self.done.emit(report)

    def _on_done(self, report: Report) -> None:
        # the window brings a missing or stale index up to date itself (sync_index): only the
        # store's own findings are worth interrupting the user for
        if all(f.ok or f.name == "index" for f in report.findings):
            log.info("start-up check: ok\n%s", report.text())
            return
        log.warning("start-up check:\n%s", report.text())
        self.window.statusBar().showMessage("资料库检查发现问题：见 工具 → 检查资料库", 15000)
        show_report(self.window, report)


def start_background_checks(window: Any) -> BackgroundChecks:
    checks = BackgroundChecks(window)
    window.background_checks = checks
    checks.start()
    return checks
