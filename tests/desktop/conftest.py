"""Shared fixtures for the desktop tests: a window on a private library, message boxes recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from jianbao.desktop.mainwindow import MainWindow
from jianbao.desktop.models import KIND_ROLE
from jianbao.index.store import Library

TIMEOUT = 20_000


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    made = []

    def make(folder: Path) -> MainWindow:
        lib = Library(folder)
        win = MainWindow(lib, settings)
        qtbot.addWidget(win)
        win.show()
        win.refresh()
        made.append((win, lib))
        return win

    yield make
    for win, lib in made:
        win.close()
        lib.close()


@pytest.fixture
def window(make_window, library_path) -> MainWindow:
    return make_window(library_path)


@pytest.fixture(autouse=True)
def _no_modal_boxes(monkeypatch):
    """Message boxes would block offscreen; record them instead."""
    shown: list[tuple[str, str]] = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda _parent, title, text, *a, **k: shown.append((title, text)))

    def question(_parent, title, text, *a, **k):  # a test that wants Yes patches it itself
        shown.append((title, text))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return shown


def first_item_index(win: MainWindow):
    idx = win.side.tree_model.find_item(win.side.tree_model.item_ids[0])
    assert idx.data(KIND_ROLE) == "item"
    return idx


def wait_job(qtbot, win: MainWindow, job) -> None:
    """Wait until the window has handled the end of ``job`` (views refreshed).

    Not ``waitSignal(job.finished)``: a short write can finish before the wait begins.
    """
    qtbot.waitUntil(lambda: job not in win.ops.jobs, timeout=TIMEOUT)
