"""Screenshots of the main views, for looking at the UI (run under Xvfb with a CJK font installed).

    xvfb-run -a -s "-screen 0 1400x900x24" python -m jianbao.desktop.screenshots screenshots/
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from jianbao.index.store import Library

from .app import make_app, open_window


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(out: str = "screenshots") -> int:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    make_app()
    tmp = Path(tempfile.mkdtemp(prefix="jianbao-shots-"))
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    lib = Library(tmp / "lib")
    win = open_window(lib, settings=settings)
    win.resize(1360, 860)
    for _ in range(100):  # the sample imports in the background
        wait(100)
        if lib.counts()["items"] and win.side.tree_model.rowCount():
            break
    wait(300)
    first = win.side.tree_model.item_ids[3]
    win.side.select_in_tree(first)
    win.side.tree.expandAll()
    wait(200)

    def shot(name: str) -> None:
        wait(300)
        QApplication.processEvents()
        win.grab().save(str(out_dir / f"{name}.png"))
        print(out_dir / f"{name}.png")

    shot("1-reader")
    win.search_bar.field.setText("新质生产力")
    for _ in range(50):
        wait(100)
        if win.side.results_model.rowCount():
            break
    win.open_item(win.side.results_model.rows[0].id, win.current_terms)
    shot("2-search")
    win.search_bar.field.clear()
    win.side.setCurrentIndex(1)
    win.side.alliance_filter_field.setText("联盟")
    shot("3-alliances-tab")
    win.set_alliance("粉末冶金产业技术创新战略联盟")
    win.side.setCurrentIndex(0)
    shot("3-alliance-filter")
    win.set_alliance(None)
    win.open_item(first)
    win.ops.set_bookmark(first, "值得转给同事：国家工程师奖的背景材料")
    for _ in range(50):
        wait(100)
        if win.side.bookmark_model.rowCount():
            break
    win.side.setCurrentIndex(2)
    shot("4-bookmarks")
    from .screenshots_reader import reader_shots

    reader_shots(win, shot, wait, out_dir)
    win.close()
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
