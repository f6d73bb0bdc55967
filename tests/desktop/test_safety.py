"""The GUI's safety net (issue 10): 工具 → 备份/恢复/检查, the start-up check, the re-import
question, job failures in one sentence, and uncaught exceptions to a log and a box."""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from jianbao.desktop import safety
from jianbao.index.backup import backup, list_backups
from jianbao.index.store import Library

from .conftest import TIMEOUT, wait_job

pytestmark = pytest.mark.gui


def menu_texts(win) -> list[str]:
    menu = next(a.menu() for a in win.menuBar().actions() if a.text().startswith("工具"))
    return [a.text() for a in menu.actions() if a.text()]


def test_tools_menu_has_backup_restore_check(window):
    assert {"备份资料库", "从备份恢复…", "检查资料库"} <= set(menu_texts(window))


def test_backup_from_the_menu(window, qtbot):
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: len(list_backups(window.lib.folder)) == 1, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "已备份到" in window.statusBar().currentMessage(), timeout=TIMEOUT)


def test_check_from_the_menu_reports(window, qtbot, _no_modal_boxes):
    job = safety.check_now(window)
    wait_job(qtbot, window, job)
    qtbot.waitUntil(lambda: bool(_no_modal_boxes), timeout=TIMEOUT)
    title, text = _no_modal_boxes[-1]
    assert title == "检查资料库" and "资料库完好" in text


def test_start_up_check_warns_about_an_orphaned_bookmark(make_window, library_path, qtbot, _no_modal_boxes):
    with Library(library_path) as lib, lib.transaction():
        lib.conn.execute("INSERT INTO bookmarks(item_id, note, created, updated) VALUES (424242, '', '', '')")
    win = make_window(library_path)
    safety.start_background_checks(win)
    qtbot.waitUntil(lambda: bool(_no_modal_boxes), timeout=TIMEOUT)
    assert _no_modal_boxes[-1][0] == "资料库有问题" and "424242" in _no_modal_boxes[-1][1]


def test_start_up_check_makes_the_daily_backup_quietly(window, qtbot, _no_modal_boxes):
    checks = safety.start_background_checks(window)
    checks.thread.join(TIMEOUT / 1000)
    qtbot.wait(50)  # let the queued report arrive
    assert [b.reason for b in list_backups(window.lib.folder)] == ["daily"]
    assert not _no_modal_boxes


def test_restore_from_the_menu_then_reopen(window, qtbot, monkeypatch):
    from jianbao.desktop.app import restore_backup

    folder = window.lib.folder
    n = window.lib.counts()["items"]
    made = backup(folder, "manual")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert safety.choose_restore(window) == made
    assert window.restore_request == made and not window.isVisible()
    window.lib.close()
    with Library(folder) as lib, lib.transaction():
        lib.conn.execute("DELETE FROM items")
    assert "已从" in restore_backup(folder, made)
    with Library(folder) as lib:
        assert lib.counts()["items"] == n


def truncated(tmp_path: Path) -> Path:
    from tests.reliability.test_import_faults import truncated as cut

    return cut(tmp_path)


def test_a_reimport_that_would_empty_an_issue_asks_and_forces_on_yes(window, qtbot, monkeypatch, tmp_path, _no_modal_boxes):
    asked: list[str] = []

    def answer(_parent, title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    issue = next(i for i in window.lib.issues() if i["source"] and i["source"].startswith("001_"))
    before = len(window.lib.items(issue_id=issue["id"]))
    forced: list = []
    window.job_created.connect(forced.append)
    job = window.import_paths([str(truncated(tmp_path))])
    wait_job(qtbot, window, job)
    assert asked and "删除" in asked[0]
    qtbot.waitUntil(lambda: len(forced) == 2 and forced[1] not in window.ops.jobs, timeout=TIMEOUT)
    assert len(window.lib.items(issue_id=issue["id"])) < before


def test_a_reimport_refused_on_no_keeps_the_issue(window, qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    issue = next(i for i in window.lib.issues() if i["source"] and i["source"].startswith("001_"))
    before = len(window.lib.items(issue_id=issue["id"]))
    job = window.import_paths([str(truncated(tmp_path))])
    wait_job(qtbot, window, job)
    assert len(window.lib.items(issue_id=issue["id"])) == before


def test_a_sqlite_failure_in_a_job_is_one_sentence(window, qtbot, _no_modal_boxes):
    def work(lib, cancelled):
        raise sqlite3.OperationalError("database or disk is full")  # what a full disk raises
        yield

    err = sqlite3.OperationalError("database or disk is full")
    err.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]

    def full(lib, cancelled):
        raise err
        yield

    job = window.ops.run(full, failure="导入失败")
    wait_job(qtbot, window, job)
    title, text = _no_modal_boxes[-1]
    assert title == "导入失败" and "磁盘已满" in text and "Traceback" not in text


def test_uncaught_exception_is_logged_and_shown_in_one_sentence(window, tmp_path, qtbot, monkeypatch, _no_modal_boxes):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    root = logging.getLogger()
    handlers = list(root.handlers)
    path = safety.setup_logging(tmp_path / "lib")
    try:
        safety.install_excepthook(path)
        try:
            raise ValueError("坏数据\n第二行")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: bool(_no_modal_boxes), timeout=TIMEOUT)
        title, text = _no_modal_boxes[-1]
        assert title == "出现意外错误" and "ValueError：坏数据" in text and "第二行" not in text and str(path) in text
        for h in root.handlers:
            h.flush()
        assert path is not None and "Traceback" in path.read_text("utf-8") and "第二行" in path.read_text("utf-8")
    finally:
        for h in list(root.handlers):
            if h not in handlers:
                root.removeHandler(h)
                h.close()


def test_an_error_after_the_window_closed_is_logged_not_shown_in_a_box_of_its_own(window, qtbot, capsys,
                                                                                 _no_modal_boxes):
    """A box without a parent is a window of its own: the app would wait for it after its window closed."""
    window.close()
    safety._show("RuntimeError：晚到的错误")
    assert _no_modal_boxes == []
    assert "晚到的错误" in capsys.readouterr().err
