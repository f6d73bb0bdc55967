"""Printing: A4 pages with the reader's typography, readable sizes, page numbers; a preview."""

from __future__ import annotations

import re

import pytest
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

from jianbao.desktop.printing import make_printer, preview_dialog, render
from jianbao.index.text import compact

pytestmark = pytest.mark.gui
A4_PT = (595.3, 841.9)


def _print_pdf(items, path) -> None:
    printer = make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    assert render(printer, items) >= 1


def _sized_text(page) -> list[tuple[str, float]]:
    """(text, effective size in pt) of every text run pypdf sees on ``page``."""
    runs: list[tuple[str, float]] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            a, b, c, d = (cm[0] * tm[0] + cm[2] * tm[1], cm[1] * tm[0] + cm[3] * tm[1],
                          cm[0] * tm[2] + cm[2] * tm[3], cm[1] * tm[2] + cm[3] * tm[3])
            runs.append((text, size * abs(a * d - b * c) ** 0.5))

    page.extract_text(visitor_text=visit)
    return runs


def test_an_item_prints_on_a4_with_readable_body(qapp, library, tmp_path):
    from pypdf import PdfReader

    longest = max(library.items(), key=lambda r: len(r["body"] or ""))
    item = library.item(longest["id"])
    out = tmp_path / "item.pdf"
    _print_pdf([item], out)
    reader = PdfReader(str(out))
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - A4_PT[0]) < 2 and abs(h - A4_PT[1]) < 2
    runs = [r for page in reader.pages for r in _sized_text(page)]
    text = re.sub(r"—\d+—", "", compact("".join(page.extract_text() for page in reader.pages)))  # page numbers
    body = compact(item["body"])
    assert body in text, "the whole body is printed"
    assert compact(item["title"]) in text and compact(item["credit_raw"] or "") in text
    title = compact(item["title"])
    assert text.count(title) == 1 + body.count(title)  # printed once (a synthetic bold prints it twice)
    assert not re.search("[\u2f00-\u2fdf]", text)  # 工, not the Kangxi radical ⼯ some fonts map it to
    body_sizes = [s for t, s in runs if len(compact(t)) > 4 and compact(t) in body and compact(t) not in compact(item["title"])]
    assert body_sizes and min(body_sizes) >= 9, sorted(body_sizes)[:5]
    assert max(s for t, s in runs if compact(item["title"])[:6] in compact(t)) > max(body_sizes)  # the title stands out
    pages = [p.extract_text() for p in reader.pages]
    assert all(re.search(rf"—\s*{n}\s*—", p) for n, p in enumerate(pages, 1))


def test_a_selection_of_items_prints_in_order(qapp, library, tmp_path):
    from pypdf import PdfReader

    items = [library.item(r["id"]) for r in library.items()[:5]]
    out = tmp_path / "five.pdf"
    _print_pdf(items, out)
    text = compact("".join(p.extract_text() for p in PdfReader(str(out)).pages))
    at = [text.find(compact(i["title"])) for i in items]
    assert all(a >= 0 for a in at) and at == sorted(at)


def test_preview_renders_the_pages(qtbot, library):
    item = library.item(library.items()[0]["id"])
    dlg = preview_dialog([item])
    qtbot.addWidget(dlg)
    painted = []
    dlg.paintRequested.connect(lambda p: painted.append(p))
    assert isinstance(dlg, QPrintPreviewDialog)
    dlg.show()
    qtbot.waitUntil(lambda: bool(painted), timeout=10_000)
    assert painted[0].pageLayout().pageSize().id() == painted[0].pageLayout().pageSize().PageSizeId.A4


def test_the_window_previews_the_selected_items(qtbot, library_path, tmp_path):
    from PySide6.QtCore import QItemSelectionModel, QSettings

    from jianbao.desktop.mainwindow import MainWindow
    from jianbao.index.store import Library

    with Library(library_path) as lib:
        win = MainWindow(lib, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(win)
        win.show()
        win.refresh()
        assert win.items_to_print() == []  # nothing selected, nothing open: nothing to print
        ids = [r["id"] for r in lib.items()[:3]]
        win.side.select_in_tree(ids[0])
        for i in ids[1:]:
            win.side.tree.selectionModel().select(win.side.tree_model.find_item(i), QItemSelectionModel.SelectionFlag.Select)
        assert [it["id"] for it in win.items_to_print()] == ids
        dlg = win.print_preview()
        assert isinstance(dlg, QPrintPreviewDialog)
        qtbot.waitExposed(dlg)
        dlg.close()
        win.close()
