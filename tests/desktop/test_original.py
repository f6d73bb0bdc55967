"""查看原文: an item imported from PDF shows its original page beside the text, page by page, zoomable;
a Word original is converted once (or, without LibreOffice, offered to the system's program); an
item from text has the toggle disabled with the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QMessageBox

from jianbao.desktop.mainwindow import MainWindow
from jianbao.desktop.original import NO_ORIGINAL
from jianbao.index.readers.doc import find_soffice
from jianbao.index.store import Library
from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.gui
TIMEOUT = 30_000
PDF = ROOT / "tests" / "fixtures" / "pdf" / "001_styleA.pdf"
DOCX = ROOT / "tests" / "fixtures" / "docx" / "004_styleB.docx"


@pytest.fixture(autouse=True)
def _no_modal_boxes(monkeypatch):
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: None)


@pytest.fixture
def open_window(qtbot, tmp_path):
    made = []

    def make(*files: Path) -> tuple[MainWindow, Library]:
        lib = Library(tmp_path / "lib")
        lib.set_meta("sample_imported", "test")  # no sample: only the files given
        for f in files:
            r = lib.import_file(f)
            assert r.status == "added", r.message
        win = MainWindow(lib, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(win)
        win.resize(1300, 850)
        win.show()
        win.refresh()
        made.append((win, lib))
        return win, lib

    yield make
    QThreadPool.globalInstance().waitForDone(TIMEOUT)
    for win, lib in made:
        win.close()
        lib.close()


def _item_with_pages(lib: Library, min_span: int = 1) -> dict:
    for row in lib.items(body=False):
        item = lib.item(row["id"])
        if len(item["pages"]) >= min_span and item["pages"][0] > 1:
            return item
    raise AssertionError("no item with pages")


@pytest.mark.skipif(not PDF.is_file(), reason="the PDF fixture comes with the PDF reader (branch pdf)")
def test_pdf_item_shows_its_original_page(open_window, qtbot):
    win, lib = open_window(PDF)
    item = _item_with_pages(lib, 2)
    win.open_item(item["id"])
    pane = win.original.pane
    assert win.original.action.isEnabled()
    with qtbot.waitSignal(pane.page_shown, timeout=TIMEOUT) as shown:
        win.original.action.trigger()
    assert pane.isVisible()
    assert shown.args == [item["pages"][0]]
    assert pane.page_count == 12
    pixmap = pane.image.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 200 and pixmap.height() > pixmap.width()
    assert f"第 {item['pages'][0]} / 12 页" in pane.page_label.text()
    # where the item's title begins, a band marks it (in the page's margin, where the page is white)
    assert pane._cache and any(img.text("jianbao-title-y") for img in pane._cache.values())  # where to scroll
    image = pixmap.toImage()
    band = [y for y in range(image.height()) if image.pixelColor(3, y).getRgb()[:3] == (255, 236, 140)]
    assert band and len(band) < image.height() // 10
    pdf = pdfium.PdfDocument(lib.original(item["issue_id"])["path"])
    page = pdf[item["pages"][0] - 1]
    tp = page.get_textpage()
    at, _ = tp.search(item["title"][:12]).get_next()
    _, bottom, _, top = tp.get_charbox(at)
    scale = image.height() / page.get_height()
    assert band[0] <= (page.get_height() - top) * scale <= (page.get_height() - bottom) * scale <= band[-1] + 1
    tp.close()
    page.close()
    pdf.close()
    # next page, then zoom in: a new, larger image
    with qtbot.waitSignal(pane.page_shown, timeout=TIMEOUT) as shown:
        pane.next_btn.click()
    assert shown.args == [item["pages"][0] + 1]
    width = pane.image.pixmap().width()
    with qtbot.waitSignal(pane.page_shown, timeout=TIMEOUT):
        pane.zoom_in_btn.click()
    assert pane.image.pixmap().width() > width
    # back to the previous page: from the cache or rendered again, it is shown
    with qtbot.waitSignal(pane.page_shown, timeout=TIMEOUT) as shown:
        pane.prev_btn.click()
    assert shown.args == [item["pages"][0]]
    # the pane follows the reader to another item
    other = lib.item(lib.items(body=False)[-1]["id"])
    with qtbot.waitSignal(pane.page_shown, timeout=TIMEOUT) as shown:
        win.open_item(other["id"])
    assert shown.args == [other["pages"][0]]
    # instead of the text: the reader goes, the page stays; toggled off: the text is back
    reader = win.original.reader
    pane.only_btn.click()
    assert not reader.isVisible() and pane.isVisible()
    win.original.action.trigger()
    assert not pane.isVisible() and reader.isVisible() and not pane.only_btn.isChecked()


def test_text_item_has_the_toggle_disabled_with_the_reason(open_window):
    win, lib = open_window(next(CORPUS.glob("002_*.txt")))
    win.open_item(lib.items(body=False)[0]["id"])
    assert not win.original.action.isEnabled()
    assert win.original.button.toolTip() == NO_ORIGINAL


def test_docx_without_libreoffice_offers_the_system_program(open_window, qtbot, monkeypatch):
    monkeypatch.setenv("JIANBAO_SOFFICE", "")
    win, lib = open_window(DOCX)
    item = _item_with_pages(lib)
    win.open_item(item["id"])
    with qtbot.waitSignal(win.original.pane.failed, timeout=TIMEOUT) as failed:
        win.original.action.trigger()
    assert "LibreOffice" in failed.args[0]
    pane = win.original.pane
    assert pane.note.isVisible() and pane.open_btn.isVisible()
    opened = []
    monkeypatch.setattr("jianbao.desktop.original.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()))
    pane.open_btn.click()
    assert opened == [lib.original(item["issue_id"])["path"]]


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_docx_original_is_converted_once_and_shown(open_window, qtbot):
    win, lib = open_window(DOCX)
    item = _item_with_pages(lib)
    win.open_item(item["id"])
    with qtbot.waitSignal(win.original.pane.page_shown, timeout=120_000) as shown:
        win.original.action.trigger()
    pane = win.original.pane
    assert abs(shown.args[0] - item["pages"][0]) <= 1  # the title's page in the converted PDF
    # the whole document, not one page; how many depends on the fonts LibreOffice finds
    # (14 pages without a CJK font installed, 15-16 with one)
    assert pane.page_count >= 10
    cached = list((lib.folder / "originals" / "pdf").glob("*.pdf"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    other = lib.item(lib.items(body=False)[-1]["id"])
    with qtbot.waitSignal(pane.page_shown, timeout=TIMEOUT):
        win.open_item(other["id"])
    assert cached[0].stat().st_mtime_ns == stamp  # converted once


def test_damaged_original_is_a_note_not_a_crash(open_window, qtbot):
    if not PDF.is_file():
        pytest.skip("the PDF fixture comes with the PDF reader (branch pdf)")
    win, lib = open_window(PDF)
    item = _item_with_pages(lib)
    path = Path(lib.original(item["issue_id"])["path"])
    shutil.copy(path, path.with_suffix(".bak"))
    path.write_bytes(b"%PDF-1.4 broken")
    win.open_item(item["id"])
    with qtbot.waitSignal(win.original.pane.failed, timeout=TIMEOUT):
        win.original.action.trigger()
    assert win.original.pane.note.isVisible()
