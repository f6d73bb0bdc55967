"""Each library keeps its own window settings and last item."""

from __future__ import annotations

import shutil

import pytest

from jianbao.desktop.app import library_settings, open_window
from jianbao.index.store import Library

pytestmark = pytest.mark.gui


def test_two_libraries_do_not_share_the_last_item(qtbot, library_path, tmp_path, monkeypatch):
    monkeypatch.setenv("JIANBAO_NO_SAMPLE", "1")
    other_path = tmp_path / "other"
    shutil.copytree(library_path, other_path)
    with Library(library_path) as a, Library(other_path) as b:
        first, second = a.items()[0]["id"], a.items()[3]["id"]
        for lib, item in ((a, first), (b, second)):
            win = open_window(lib)
            qtbot.addWidget(win)
            qtbot.waitUntil(lambda w=win: w.side.tree_model.rowCount() > 0)  # the window's deferred start is done
            win.open_item(item)
            win.close()
        assert library_settings(a.folder).value("reader/last_item") in (first, str(first))
        assert library_settings(b.folder).value("reader/last_item") in (second, str(second))
        assert library_settings(a.folder).fileName() != library_settings(b.folder).fileName()
