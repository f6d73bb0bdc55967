"""导入 and 重建索引: progress, a summary, cancel, the sample on first start."""

from __future__ import annotations

import pytest

from jianbao.index.store import Library
from tests.conftest import CORPUS_FILES

from .conftest import TIMEOUT

pytestmark = pytest.mark.gui


def test_import_with_progress_and_a_summary(make_window, tmp_path, qtbot, _no_modal_boxes):
    win = make_window(tmp_path / "new")
    assert win.side.tree_model.rowCount() == 0
    bad = tmp_path / "bad.txt"
    bad.write_text("不是简报\n", encoding="utf-8")
    progress: list[tuple[int, int]] = []
    win.job_created.connect(lambda job: job.progress.connect(lambda d, t, _s: progress.append((d, t))))
    job = win.import_paths([str(CORPUS_FILES[0]), str(CORPUS_FILES[2]), str(bad)])
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(lambda: win.side.tree_model.rowCount() == 2, timeout=TIMEOUT)
    assert progress[-1] == (3, 3)
    title, text = _no_modal_boxes[-1]
    assert title == "导入完成" and "新增 2 期" in text and "失败 1 个文件" in text and "bad.txt" in text
    # the new issues are searchable at once
    with qtbot.waitSignal(win.results_shown, timeout=TIMEOUT) as blocker:
        win.search_bar.field.setText("新质生产力")
        win.run_search()
    assert blocker.args[0] > 0


def test_cancelled_import_changes_nothing(make_window, tmp_path, qtbot):
    win = make_window(tmp_path / "new")
    win.job_created.connect(lambda job: job.cancel())  # the user presses 取消 at once
    job = win.import_paths([str(CORPUS_FILES[0].parent)])
    with qtbot.waitSignal(job.cancelled, timeout=TIMEOUT):
        pass
    assert win.lib.counts()["issues"] == 0


def test_reindex_from_the_menu(window, qtbot):
    index_folder = window.lib.folder / "search"
    job = window.ops.reindex()
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
        pass
    assert (index_folder / "jianbao-index.json").exists()
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.search_bar.field.setText("钒钛")
        window.run_search()
    assert blocker.args[0] == 2


def test_window_shows_before_the_sample_is_imported(qtbot, tmp_path, settings, _no_modal_boxes):
    from jianbao.desktop.app import open_window

    lib = Library(tmp_path / "fresh")
    win = open_window(lib, settings=settings)
    qtbot.addWidget(win)
    assert win.isVisible()
    assert lib.counts()["items"] == 0  # nothing slow happened before the window showed
    qtbot.waitUntil(lambda: win.side.tree_model.rowCount() == 3 or bool(_no_modal_boxes), timeout=TIMEOUT)
    assert not _no_modal_boxes
    assert lib.counts()["items"] == 106
    # "sample imported" is written in the lane by importer.import_sample, after the import
    qtbot.waitUntil(lambda: bool(lib.meta("sample_imported")), timeout=TIMEOUT)
    win.close()
    lib.close()
