"""The reader pane: markup shown as text, font size and last item remembered, copy with citation."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from jianbao.desktop.models import ID_ROLE
from jianbao.index.store import Library
from tests.conftest import CORPUS_FILES

from .conftest import first_item_index

pytestmark = pytest.mark.gui


def test_markup_in_an_item_is_shown_as_text(make_window, tmp_path):
    folder = tmp_path / "lib"
    with Library(folder) as lib:
        text = CORPUS_FILES[0].read_text("utf-8").replace(
            "第六届亚洲粉末冶金大会日前在韩国庆州召开",
            '<script>alert("x")</script><img src="http://example.com/x.png">第六届亚洲粉末冶金大会日前在韩国庆州召开',
        )
        lib.import_bytes(text.encode(), name="x.md")
    win = make_window(folder)
    item = next(r for r in win.lib.items() if r["title"].startswith("粉末冶金联盟组织代表团"))
    win.open_item(item["id"])
    plain = win.reader.toPlainText()
    assert '<script>alert("x")</script><img src="http://example.com/x.png">' in plain
    assert "<img" not in win.reader.toHtml().replace("&lt;img", "")


def test_font_size_and_last_item_are_remembered(window, make_window, library_path):
    item_id = first_item_index(window).data(ID_ROLE)
    window.open_item(item_id)
    window.reader.set_font_size(21)
    window.close()
    again = make_window(library_path)
    again.restore_last_item()
    assert again.reader.font_size == 21
    assert again.reader.item["id"] == item_id


def test_copy_with_citation(window):
    window.open_item(first_item_index(window).data(ID_ROLE))
    window.copy_with_citation()
    text = QApplication.clipboard().text()
    assert text.splitlines()[-1].startswith("——") and "《产业技术创新战略联盟试点工作简报》2024年第2期" in text


def test_nothing_to_do_before_an_item_is_open(window):
    pane = window.reader_pane
    assert not pane.star_btn.isEnabled() and not pane.back_btn.isEnabled()
    assert window.toggle_bookmark() is None and window.edit_note() is None
    window.step(1)
    assert window.reader.item is None
