"""The reader's features, walked as a user would: 首页, 联盟活跃度, 相关条目, 订阅, the explain line."""

from __future__ import annotations

from collections import Counter

import pytest

from jianbao.desktop.side_panel import TAB_ALLIANCES, TAB_SAVED
from jianbao.index.activity import activity_items
from jianbao.index.home import home_data
from jianbao.index.store import Library
from jianbao.index.text import fold
from tests.conftest import CORPUS_FILES

from .conftest import TIMEOUT, wait_job

pytestmark = pytest.mark.gui


def test_home_page_links_open_items(window, qtbot):
    pane = window.reader_pane
    assert pane.home_shown()  # nothing open yet: the home page, not an empty reader
    data = home_data(window.lib)
    links = pane.home.links()
    toc = [f"item:{iid}" for _, items in data.newest_sections for iid, _ in items]
    assert toc and [x for x in links if x.startswith("item:")][: len(toc)] == toc  # 本期导读, section by section
    assert "共 4 期" in pane.home.toPlainText() and "最新一期" in pane.home.toPlainText()
    target = int(toc[3].split(":")[1])
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT) as blocker:
        pane.home.follow(toc[3])
    assert blocker.args[0] == target and window.reader.item["id"] == target
    assert not pane.home_shown()
    window.home_action.trigger()  # Alt+Home / the toolbar button
    assert pane.home_shown()


def test_home_page_lists_recent_bookmarks(window, qtbot):
    window.open_item(5)
    wait_job(qtbot, window, window.toggle_bookmark())
    window.show_home()
    assert "item:5" in window.reader_pane.home.links()
    assert "最近的书签" in window.reader_pane.home.toPlainText()


def test_activity_cell_lists_the_right_items_and_opens_them(window, qtbot, tmp_path):
    dlg = window.show_activity()
    qtbot.addWidget(dlg)
    top = dlg.rows[0]
    year = max(top.per_year, key=lambda y: (top.per_year[y], y or 0))
    row, col = dlg.cell(top.name, year)
    dlg.table.cellClicked.emit(row, col)
    ids = dlg.listed_ids()
    assert ids == activity_items(window.lib, top.name, year) and len(ids) == top.per_year[year]
    items = [window.lib.item(i) for i in ids]
    assert all(it["alliance"] == top.name and it["year"] == year for it in items)
    # sortable: by 合计, the counts of the 联盟 tab
    totals = [int(dlg.table.item(r, dlg.table.columnCount() - 1).text()) for r in range(dlg.table.rowCount())]
    assert totals == sorted(totals, reverse=True)
    assert Counter({a["name"]: a["items"] for a in window.lib.alliances()}) == Counter({a.name: a.total for a in dlg.rows})
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT) as blocker:
        dlg.items_list.itemDoubleClicked.emit(dlg.items_list.item(0))
    assert blocker.args[0] == ids[0]
    out = dlg.export_csv(tmp_path / "a.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and top.name in out.read_text("utf-8-sig")
    # the 联盟 tab paints each alliance's years (read when the tab is first shown)
    window.side.setCurrentIndex(TAB_ALLIANCES)
    assert window.side.alliance_delegate.activity[top.name].per_year == top.per_year


def test_related_items_show_under_the_item_and_open(window, qtbot):
    related = window.reader_pane.related
    window.open_item(7)
    qtbot.waitUntil(lambda: related.isVisible() and bool(related.related_ids), timeout=TIMEOUT)
    assert 7 not in related.related_ids and len(related.related_ids) <= 5
    assert related.keywords
    target = related.related_ids[0]
    with qtbot.waitSignal(window.item_shown, timeout=TIMEOUT) as blocker:
        related.related_label.linkActivated.emit(f"item:{target}")
    assert blocker.args[0] == target
    qtbot.waitUntil(lambda: related.item_id == target and bool(related.related_ids), timeout=TIMEOUT)
    # a keyword is a search
    word = related.keywords[0]
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT):
        related.keywords_label.linkActivated.emit(f"kw:{word}")
    assert window.search_bar.query() == word


@pytest.fixture
def three_issue_path(tmp_path):
    folder = tmp_path / "three"
    with Library(folder) as lib:
        for f in CORPUS_FILES[:3]:
            lib.import_file(f)
        lib.set_meta("sample_imported", "test")
    return folder


def test_saved_search_shows_a_badge_after_an_import_and_clears_when_seen(make_window, three_issue_path, qtbot):
    win = make_window(three_issue_path)
    text = fold(CORPUS_FILES[3].read_text("utf-8"))
    term = next(t for t in ("碳中和", "标准", "联盟") if fold(t) in text)
    win.search_bar.field.setText(term)
    wait_job(qtbot, win, win.save_search("我的订阅"))
    qtbot.waitUntil(lambda: [s.name for s in win.saved_rows] == ["我的订阅"], timeout=TIMEOUT)
    assert win.side.saved.badge("我的订阅") == 0
    wait_job(qtbot, win, win.import_paths([str(CORPUS_FILES[3])], quiet=True))
    qtbot.waitUntil(lambda: win.side.saved.badge("我的订阅") > 0, timeout=TIMEOUT)
    with Library(three_issue_path) as lib:
        issue = max(r[0] for r in lib.conn.execute("SELECT id FROM issues"))
        rows = lib.conn.execute("SELECT title, body FROM items WHERE issue_id=?", (issue,)).fetchall()
    expected = sum(fold(term) in fold(t) + fold(b or "") for t, b in rows)
    assert win.side.saved.badge("我的订阅") == expected
    assert f"●{expected}" in win.side.tabText(TAB_SAVED)
    assert win.saved_report == f"{expected} 条新结果：我的订阅 ({expected})"
    win.show_home()
    assert "saved:" in "".join(win.reader_pane.home.links())
    # opening it runs the search and marks it seen
    item = win.side.saved.list.item(0)
    with qtbot.waitSignal(win.results_shown, timeout=TIMEOUT):
        win.side.saved.list.itemClicked.emit(item)
    assert win.search_bar.query() == term
    qtbot.waitUntil(lambda: win.side.saved.badge("我的订阅") == 0, timeout=TIMEOUT)
    assert win.side.tabText(TAB_SAVED) == "订阅"
    win.side.saved.remove_requested.emit("我的订阅")  # its context menu's 删除订阅
    qtbot.waitUntil(lambda: win.saved_rows == [], timeout=TIMEOUT)
    assert win.side.saved.list.count() == 0 and win.side.saved.hint.isVisibleTo(win.side.saved)


def test_explain_line_shows_the_segmentation(window, qtbot):
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT):
        window.search_bar.field.setText('"液流电池" 钒钛 OR 汉麻 -WAPI')
    line = window.explain_bar.text()
    assert "液流电池 → 液流 · 电池" in line
    assert "短语 “液流电池”" in line and "任一 钒钛 / 汉麻" in line and "不含 wapi" in line
    assert window.explain_bar.isVisible()
    window.search_bar.field.setText("")
    window.run_search()
    assert not window.explain_bar.isVisible()


def test_first_start_size_uses_the_screen():
    from PySide6.QtCore import QSize

    from jianbao.desktop.mainwindow import first_size

    assert first_size(QSize(1600, 1000)) == (1360, 880)  # not ~1040×680
    assert first_size(QSize(1024, 700)) == (1024, 700)  # never larger than the screen


def test_sample_issues_are_marked_and_removed(window, qtbot):
    model = window.side.tree_model
    labels = [model.item(y).child(i).text() for y in range(model.rowCount()) for i in range(model.item(y).rowCount())]
    assert labels and all(text.endswith("示例") for text in labels)
    wait_job(qtbot, window, window.remove_sample(confirm=False))
    assert model.rowCount() == 0 and window.lib.counts()["issues"] == 0
    assert window.reader_pane.home_shown()


def test_home_page_actions(window, qtbot, monkeypatch):
    home = window.reader_pane.home
    assert "action:activity" in home.links() and "action:remove-sample" in home.links()
    shown = []
    monkeypatch.setattr(window, "show_activity", lambda: shown.append("activity"))
    monkeypatch.setattr(window, "remove_sample", lambda: shown.append("remove"))
    home.follow("action:activity")
    home.follow("action:remove-sample")
    assert shown == ["activity", "remove"]
