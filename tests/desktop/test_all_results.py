"""All results: the list loads hits as it scrolls, select-all and 导出全部结果 take every one."""

from __future__ import annotations

import pytest

from jianbao.desktop.models import ID_ROLE
from jianbao.desktop.search_bar import SearchBar

from .conftest import TIMEOUT

pytestmark = pytest.mark.gui
PAGE = 10


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 10 on the sample library (which has only ~100 items), as 100 are on a big one."""
    filters = SearchBar.filters
    monkeypatch.setattr(SearchBar, "filters", lambda self: {**filters(self), "limit": PAGE})
    monkeypatch.setattr("jianbao.desktop.models.ResultsModel.PAGE", PAGE)


def _search(window, qtbot, q: str) -> int:
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.search_bar.field.setText(q)
        window.run_search()
    return blocker.args[0]


def test_the_list_loads_every_result_as_it_scrolls(window, qtbot, qtmodeltester, small_pages):
    from jianbao.index.search import open_searcher

    total = _search(window, qtbot, "联盟")
    assert total > 3 * PAGE
    model, view = window.side.results_model, window.side.results_view
    assert model.rowCount() == PAGE and model.canFetchMore()
    assert window.search_bar.hit_count.text() == f"共 {total} 条"  # not "显示前 …"
    for _ in range(50):
        if not model.canFetchMore():
            break
        view.scrollToBottom()
        qtbot.wait(10)
    assert model.rowCount() == total and not model.canFetchMore()
    qtmodeltester.check(model)
    with open_searcher(window.lib) as s:  # the same order as one search for everything
        expected = [h.id for h in s.search("联盟", limit=0).hits]
    assert [model.index(r, 0).data(ID_ROLE) for r in range(total)] == expected
    assert all(model.rows[r].snippet for r in range(total))


def test_select_all_and_export_all_take_every_result(window, qtbot, small_pages, tmp_path):
    from docx import Document

    total = _search(window, qtbot, "联盟")
    view = window.side.results_view
    view.setFocus()
    view.selectAll()
    assert window.side.results_model.rowCount() < total
    ids = window.selected_ids()
    assert len(ids) == total == len(set(ids))
    out = tmp_path / "all.docx"
    job = window.export_all_results({"fmt": "docx", "output": str(out), "group_by_issue": False, "notes": False,
                                     "title": None})
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
        pass
    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == total + 1  # 目录 and every item
    view.clearSelection()
    view.setCurrentIndex(window.side.results_model.index(2, 0))
    assert len(window.selected_ids()) == 1


def test_the_results_menu_exports_all_of_them(window, qtbot, small_pages, monkeypatch):
    from jianbao.desktop import dialogs

    shown = {}

    def fake_exec(dlg):
        shown["title"] = dlg.windowTitle()
        return dialogs.ExportDialog.DialogCode.Rejected

    monkeypatch.setattr(dialogs.ExportDialog, "exec", fake_exec)
    total = _search(window, qtbot, "联盟")
    window.side.export_results_requested.emit()
    assert shown["title"] == f"导出 {total} 条"
