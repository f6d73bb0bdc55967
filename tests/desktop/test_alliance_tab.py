"""The 联盟 tab shows one alliance per alliance, and filters as the CLI does."""

from __future__ import annotations

import json

import pytest

from jianbao.desktop.models import ID_ROLE
from jianbao.index.cli import main

from .conftest import TIMEOUT

pytestmark = pytest.mark.gui


def test_vanadium_is_one_alliance_and_gui_and_cli_agree(window, qtbot, library_path, capsys):
    model = window.side.alliance_model
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    vt = [i for i in rows if "钒钛" in i.data()]
    assert len(vt) == 1 and vt[0].data().endswith("（2）")
    window.side.alliance_view.clicked.emit(window.side.alliance_proxy.mapFromSource(vt[0]))
    tree = window.side.tree_model
    gui_ids = set(tree.item_ids)
    assert main(["items", "--alliance", "钒钛联盟", "--json", "--library", str(library_path)]) == 0
    cli_ids = {r["id"] for r in json.loads(capsys.readouterr().out)}
    assert gui_ids == cli_ids and len(gui_ids) == 2
    # the search's alliance filter agrees too
    with qtbot.waitSignal(window.results_shown, timeout=TIMEOUT) as blocker:
        window.search_bar.field.setText("联盟")
        window.run_search()
    assert blocker.args[0] == 2
    assert {window.side.results_model.index(r, 0).data(ID_ROLE) for r in range(2)} == cli_ids
    # the filter typed in the tab finds it by either name
    window.side.alliance_filter_field.setText("钒钛产业技术创新战略联盟")
    assert window.side.alliance_proxy.rowCount() == 1
