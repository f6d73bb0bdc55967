"""Screenshots of the reader's features (首页, 相关条目, 订阅, the explain line, 联盟活跃度);
called by :mod:`desktop.screenshots` with its window and its ``shot`` and ``wait`` helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .side_panel import TAB_ALLIANCES, TAB_SAVED


def reader_shots(win: Any, shot: Callable[[str], None], wait: Callable[[int], None], out_dir: Path) -> None:
    def until(cond: Callable[[], bool], ms: int = 8000) -> None:
        for _ in range(ms // 100):
            if cond():
                return
            wait(100)

    win.show_home()
    shot("5-home")
    item = win.side.tree_model.item_ids[10]
    win.open_item(item)
    until(lambda: bool(win.reader_pane.related.related_ids))
    shot("6-related")
    win.search_bar.field.setText("新质生产力 \"液流电池\" 钒钛 OR 汉麻 -WAPI")
    until(lambda: bool(win.explain_bar.text()))
    shot("7-explain")
    win.search_bar.field.setText("碳中和")
    until(lambda: win.side.results_model.rowCount() > 0)
    win.save_search("碳中和")
    win.search_bar.field.setText("标准")
    wait(500)
    win.save_search("标准化")
    until(lambda: len(win.saved_rows) == 2)
    win.side.setCurrentIndex(TAB_SAVED)
    shot("8-saved")
    win.search_bar.field.clear()
    win.side.setCurrentIndex(TAB_ALLIANCES)
    win.side.alliance_filter_field.clear()
    shot("9-alliances-activity")
    dlg = win.show_activity()
    top = dlg.rows[0]
    year = max(top.per_year, key=lambda y: top.per_year[y])
    dlg.show_items(top.name, year)
    wait(400)
    dlg.grab().save(str(out_dir / "10-activity.png"))
    print(out_dir / "10-activity.png")
    dlg.close()
