"""Start the desktop app: ``jianbao``, ``jianbao gui``, ``jianbao-gui`` or ``python -m jianbao.desktop``."""

from __future__ import annotations

import argparse
import faulthandler
import os
import sys
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from jianbao.index import importer
from jianbao.index.errors import JianbaoError
from jianbao.index.paths import library_folder
from jianbao.index.store import Library

from . import safety
from .i18n import install_translations
from .mainwindow import MainWindow

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
                "SimHei", "Droid Sans Fallback")


def setup_fonts(app: QApplication) -> str:
    """Use a system CJK font; where there is none, load the one shipped in resources/."""
    families = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    family = next((f for f in CJK_FAMILIES if f in families), None) or next(iter(sorted(families)), None)
    if family is None:
        path = resources.files("jianbao.resources").joinpath("fonts", "wqy-microhei.ttc")
        font_id = QFontDatabase.addApplicationFont(str(path))
        loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = loaded[0] if loaded else app.font().family()
    font = QFont(app.font())
    font.setFamilies([app.font().family(), family])
    app.setFont(font)
    return family


def make_app(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv) or [sys.argv[0]])
    app.setApplicationName("jianbao")
    app.setApplicationDisplayName("简报阅览")
    app.setOrganizationName("jianbao")
    if not app.property("jianbao_translated"):  # make_app may run again on the same app (tests)
        install_translations(app)
        app.setProperty("jianbao_translated", True)
    icon = resources.files("jianbao.resources").joinpath("icons", "jianbao.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    style = resources.files("jianbao.resources").joinpath("style.qss")
    if style.is_file():
        app.setStyleSheet(style.read_text("utf-8"))
    setup_fonts(app)
    return app  # type: ignore[return-value]


def _startup_probe(win: MainWindow, query: str) -> None:
    """For benchmarks/startup.py: print when the window is visible and when a first search is answered.

    Nobody is there to answer a dialog: if the app has not ended 100 s later, every thread's stack
    goes to stderr and the process exits, so that a hang is reported with its cause.
    """
    faulthandler.dump_traceback_later(100, exit=True)
    print(f"window_visible {time.time():.4f}", flush=True)

    def answered(_res: object) -> None:
        print(f"first_results {time.time():.4f}", flush=True)
        QTimer.singleShot(0, close_when_idle)

    deadline = time.monotonic() + 90

    def close_when_idle() -> None:
        # closing cancels the write lane's jobs: let a first start's sample import finish first,
        # or the library is left with part of the sample (the first answer can come before it ends);
        # bounded, so that a job that never ends cannot keep the probe (and its caller) waiting
        if win.ops.jobs and time.monotonic() < deadline:
            QTimer.singleShot(50, close_when_idle)
        else:
            win.close()

    win.search_service.results.connect(answered)
    win.search_bar.field.setText(query)
    win.run_search()


def library_settings(folder: str | os.PathLike[str]) -> QSettings:
    """The window's settings (geometry, splitter, font size, last item) for one library, kept in
    the library's folder: two libraries do not share their last item or their layout."""
    return QSettings(str(Path(folder) / "window.ini"), QSettings.Format.IniFormat)


def open_window(lib: Library, no_sample: bool = False, settings: QSettings | None = None) -> MainWindow:
    """Show the window first, then do everything slow in the background."""
    win = MainWindow(lib, settings or library_settings(lib.folder))
    win.show()
    probe = os.environ.get("JIANBAO_STARTUP_PROBE")
    if probe:
        QTimer.singleShot(0, lambda: _startup_probe(win, probe))

    def after_show() -> None:
        win.search_service.warm_up()  # in its own thread, while this one fills the tree
        if not no_sample and not os.environ.get("JIANBAO_NO_SAMPLE") and importer.needs_sample(lib):
            win.statusBar().showMessage("正在导入内置示例简报…")
            win.ops.import_sample()
        else:
            win.refresh()
            win.restore_last_item()
            if not lib.readonly:
                win.ops.sync_index()  # a missing or damaged index is rebuilt in the write lane
            else:
                win.statusBar().showMessage("资料库是只读的：可以阅读和检索，不能导入或修改", 10000)
        safety.start_background_checks(win)  # the quick check and the daily backup, off this thread

    QTimer.singleShot(0, after_show)
    return win


def restore_backup(folder: Path, backup: Path) -> str:
    """Restore ``backup`` over the closed library; the sentence to show."""
    from jianbao.index.backup import restore

    try:
        src, kept = restore(folder, backup)
    except JianbaoError as e:
        return f"恢复失败：{e}"
    return f"已从 {src.name} 恢复资料库" + (f"；原资料库另存为 {kept.name}" if kept else "")


def run(library: str | None = None, no_sample: bool = False, argv: Sequence[str] = ()) -> int:
    app = make_app(argv)
    folder = library_folder(library)
    safety.install_excepthook(safety.setup_logging(folder))
    while True:
        try:
            lib = Library(folder)
        except JianbaoError as e:
            QMessageBox.critical(None, "无法打开资料库", str(e))
            return 2
        win = open_window(lib, no_sample)
        code = app.exec()
        request = win.restore_request
        win.deleteLater()
        lib.close()
        if request is None:
            return code
        QMessageBox.information(None, "从备份恢复", restore_backup(folder, request))  # then open it again


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="jianbao-gui", description="简报阅览")
    ap.add_argument("--library", metavar="DIR")
    ap.add_argument("--no-sample", action="store_true")
    args, rest = ap.parse_known_args(argv)
    return run(args.library, args.no_sample, [sys.argv[0], *rest])
