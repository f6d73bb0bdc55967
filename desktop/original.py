"""查看原文: the item's page(s) of the kept original, beside the text.

:class:`OriginalPane` shows one page at a time (上一页/下一页, zoom, 适合宽度), starting at the
item's first page. Pages are rendered with pypdfium2 off the GUI thread (a pool task per page)
and the last few images are cached, so paging back and forth stays smooth. A Word original is
converted once to PDF with LibreOffice (cached in the library); without LibreOffice the pane says
so and offers to open the original in the system's program. :func:`attach` puts the pane beside
a window's reader and adds the 查看原文 toggle (Ctrl+Shift+Y) to the reader's tool row and the
查看 menu; items imported from text have no original, and the toggle says why it is disabled.
"""

from __future__ import annotations

import collections
import ctypes
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRectF, QRunnable, Qt, QThreadPool, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QColor, QDesktopServices, QImage, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jianbao.index.errors import JianbaoError
from jianbao.index.labels import page_cite
from jianbao.index.originals import PDFIUM_LOCK, locate, viewable_pdf

SHORTCUT = "Ctrl+Shift+Y"
NO_ORIGINAL = "此条目是从文本（.txt/.md）导入的，没有原文页面可看；导入 PDF 或 Word 版后即可查看原文"
CACHE = 12  # rendered pages kept
PREFETCH = -1  # the token of a page rendered ahead
BAND_KEY = "jianbao-title-y"  # image text: the y (px) of the band that marks the item's title
ZOOMS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)


class _Signals(QObject):
    # token, image (QImage or None), page (1-based), page count, pdf path, message
    done = Signal(int, object, int, int, str, str)


class _RenderTask(QRunnable):
    """Find (or make) the PDF, optionally locate the item's page, render one page to a QImage."""

    def __init__(self, token: int, original: str, page: int, scale: float, title: str, locate_title: bool):
        super().__init__()
        self.token, self.original, self.page, self.scale = token, original, page, scale
        self.title, self.locate_title = title, locate_title
        self.signals = _Signals()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            pdf_path = viewable_pdf(self.original)
            page = self.page
            if self.locate_title:
                page = locate(pdf_path, self.title, page) or page
            image, count, page = _render(pdf_path, page, self.scale, self.title)
            self.signals.done.emit(self.token, image, page, count, str(pdf_path), "")
        except JianbaoError as e:
            self.signals.done.emit(self.token, None, self.page, 0, "", str(e))
        except Exception as e:  # a damaged original: say so in the pane, never crash the reader
            self.signals.done.emit(self.token, None, self.page, 0, "", f"无法显示原文：{type(e).__name__}: {e}")


def _title_band(p: Any, title: str) -> tuple[float, float] | None:
    """Top and bottom (pt from the page's top) of the line where ``title`` begins on page ``p``.

    The longest beginning of the title found wins: a short one may also begin a credit line
    (联盟协发网秘书处…) above the title.
    """
    squeezed = "".join(title.split())
    keys = [title, squeezed] + [k[:n] for n in (24, 16, 10, 6) for k in (title, squeezed) if len(k) > n]
    tp = p.get_textpage()
    try:
        for key in dict.fromkeys(k for k in keys if len(k) >= 2):
            found = tp.search(key).get_next()
            if found:
                boxes = [tp.get_charbox(i) for i in (found[0], found[0] + min(found[1], 6) - 1)]
                break
        else:
            return None
    finally:
        tp.close()
    height = p.get_height()
    return height - max(b[3] for b in boxes), height - min(b[1] for b in boxes)


def _render(pdf_path: Path, page: int, scale: float, title: str = "") -> tuple[QImage, int, int]:
    """Page ``page`` at ``scale`` as an image; where the item's title begins, a light band marks it."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            count = len(pdf)
            page = min(max(page, 1), count)
            p = pdf[page - 1]
            try:
                bitmap = p.render(scale=scale, rev_byteorder=True)
                w, h, stride = bitmap.width, bitmap.height, bitmap.stride
                fmt = QImage.Format.Format_RGB888 if bitmap.mode == "RGB" else QImage.Format.Format_RGBA8888
                buf = ctypes.string_at(bitmap.buffer, stride * h)
                image = QImage(buf, w, h, stride, fmt).copy()  # own the pixels before the bitmap goes
                bitmap.close()
                band = _title_band(p, title) if title else None
                if band is not None:
                    painter = QPainter(image)
                    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
                    top, bottom = (band[0] - 3) * scale, (band[1] + 3) * scale
                    painter.fillRect(QRectF(0, top, w, bottom - top), QColor(255, 236, 140))
                    painter.end()
                    image.setText(BAND_KEY, str(int(top)))  # where to scroll to
            finally:
                p.close()
        finally:
            pdf.close()
    return image, count, page


class OriginalPane(QWidget):
    """One page of an item's original at a time."""

    page_shown = Signal(int)  # a page image is on screen (1-based page)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("original")
        self.original: dict[str, Any] | None = None
        self.item_pages: list[int] = []
        self.title = ""
        self.page = 0
        self.page_count = 0
        self.zoom = 1.0
        self.fit_width = True
        self.pdf_path = ""
        self._token = 0
        self._located = False
        self._cache: collections.OrderedDict[tuple[str, int, float], QImage] = collections.OrderedDict()
        self._pool = QThreadPool.globalInstance()
        self._refit = QTimer(self, singleShot=True, interval=150)  # re-render to the new width, once resizing stops
        self._refit.timeout.connect(self._on_refit_timeout)

        bar = QHBoxLayout()
        self.prev_btn = QToolButton(text="◀ 上一页")
        self.next_btn = QToolButton(text="下一页 ▶")
        self.page_label = QLabel()
        self.zoom_out_btn = QToolButton(text="－")
        self.zoom_in_btn = QToolButton(text="＋")
        self.fit_btn = QToolButton(text="适合宽度")
        self.fit_btn.setCheckable(True)
        self.fit_btn.setChecked(True)
        self.open_btn = QToolButton(text="用系统程序打开原文")
        self.only_btn = QToolButton(text="只看原文")  # the page instead of the text (the owner hides the text)
        self.only_btn.setCheckable(True)
        self.only_btn.setToolTip("隐藏文字，只显示原文页面；再按一次恢复并排")
        for w in (self.prev_btn, self.next_btn, self.page_label):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out_btn, self.zoom_in_btn, self.fit_btn, self.only_btn, self.open_btn):
            bar.addWidget(w)
        self.prev_btn.setToolTip("上一页（PageUp）")
        self.next_btn.setToolTip("下一页（PageDown）")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#666; padding:6px;")
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.note)
        lay.addWidget(self.scroll, 1)
        self.scroll.viewport().installEventFilter(self)
        self._shown_scale = 0.0
        self._connect_signals()
        self.clear()

    def _connect_signals(self) -> None:
        self.prev_btn.clicked.connect(lambda: self.go(self.page - 1))
        self.next_btn.clicked.connect(lambda: self.go(self.page + 1))
        self.zoom_in_btn.clicked.connect(lambda: self.step_zoom(1))
        self.zoom_out_btn.clicked.connect(lambda: self.step_zoom(-1))
        self.fit_btn.toggled.connect(self._on_fit_toggled)
        self.open_btn.clicked.connect(self.open_externally)
        for key, delta in ((Qt.Key.Key_PageUp, -1), (Qt.Key.Key_PageDown, 1)):
            a = QAction(self)
            a.setShortcut(QKeySequence(key))
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            a.triggered.connect(lambda _=False, d=delta: self.go(self.page + d))
            self.addAction(a)

    # ------------------------------------------------------------------ what to show

    def clear(self, note: str = "") -> None:
        self.original = None
        self.page = self.page_count = 0
        self.image.clear()
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._update_controls()

    def show_item(self, item: dict[str, Any], original: dict[str, Any] | None) -> None:
        """Show ``item``'s first page of ``original`` (a Library.original() record), or say why not."""
        if original is None:
            self.clear(NO_ORIGINAL)
            return
        self.original = original
        self.item_pages = list(item.get("pages") or [])
        self.title = item.get("title") or ""
        self.pdf_path = ""
        self.page_count = original.get("pages") or 0
        word = original["suffix"].lower() in (".docx", ".doc")
        # a Word original's pages are estimates: look the title up in the converted PDF
        self._located = not word
        self.note.setVisible(False)
        self.go(self.item_pages[0] if self.item_pages else 1, locate_title=word)

    def go(self, page: int, locate_title: bool = False) -> None:
        if self.original is None:
            return
        if self.page_count:
            page = min(max(page, 1), self.page_count)
        self.page = page
        self._token += 1
        locate_title = locate_title or not self._located  # until a Word original's page is found
        scale = self._scale()
        key = (self.pdf_path, page, scale)
        if self.pdf_path and key in self._cache:
            self._cache.move_to_end(key)
            self._display(self._cache[key])
            self._prefetch()
            return
        if self.original["suffix"].lower() in (".docx", ".doc") and not self.pdf_path:
            self.note.setText("正在用 LibreOffice 把 Word 原文转换为页面（只需一次）…")
            self.note.setVisible(True)
        task = _RenderTask(self._token, self.original["path"], page, scale, self.title, locate_title)
        task.signals.done.connect(self._on_rendered)
        self._pool.start(task)
        self._update_controls()

    def _scale(self) -> float:
        if not self.fit_width:
            return self.zoom
        width = max(self.scroll.viewport().width() - 24, 200)
        return round(width / 595.0, 2)  # an A4 page is 595 pt wide: fit that to the pane

    def _prefetch(self) -> None:
        """Render the next page ahead, so that 下一页 shows it at once."""
        nxt = self.page + 1
        if self.original is None or not self.pdf_path or nxt > self.page_count:
            return
        if (self.pdf_path, nxt, self._scale()) in self._cache:
            return
        task = _RenderTask(PREFETCH, self.pdf_path, nxt, self._scale(), self.title, False)
        task.signals.done.connect(self._on_rendered)
        self._pool.start(task)

    @Slot(int, object, int, int, str, str)
    def _on_rendered(self, token: int, image: QImage | None, page: int, count: int, pdf_path: str, message: str) -> None:
        if token == PREFETCH:
            if image is not None and pdf_path == self.pdf_path:
                self._remember((pdf_path, page, self._scale()), image)
            return
        if token != self._token or self.original is None:
            return  # an answer to an earlier request
        if image is None:
            self.image.clear()
            self.note.setText(message)
            self.note.setVisible(True)
            self.open_btn.setVisible(True)
            self.failed.emit(message)
            return
        self.note.setVisible(False)
        if not self._located and self.original["suffix"].lower() in (".docx", ".doc"):
            # the page the title was found on becomes the item's first page; keep the span's length
            shift = page - (self.item_pages[0] if self.item_pages else page)
            self.item_pages = [p + shift for p in self.item_pages] or [page]
            self._located = True
        self.pdf_path, self.page_count, self.page = pdf_path, count, page
        self._remember((pdf_path, page, self._scale()), image)
        self._display(image)
        self._prefetch()

    def _remember(self, key: tuple[str, int, float], image: QImage) -> None:
        self._cache[key] = image
        self._cache.move_to_end(key)
        while len(self._cache) > CACHE:
            self._cache.popitem(last=False)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.fit_width and self.original is not None:
            self._refit.start()
        return False

    def refit(self) -> None:
        """Fit the page to the pane's width again, once the layout has settled."""
        if self.fit_width and self.original is not None:
            self._refit.start()

    def _on_refit_timeout(self) -> None:
        if self.fit_width and self.page and abs(self._scale() - self._shown_scale) > 0.03:
            self.go(self.page)

    def _display(self, image: QImage) -> None:
        self._shown_scale = self._scale()
        self.image.setPixmap(QPixmap.fromImage(image))
        # on the item's first page, scroll to its title; elsewhere, start at the top
        band = image.text(BAND_KEY)
        first = self.item_pages[0] if self.item_pages else None
        y = max(int(band) - 60, 0) if band and self.page == first else 0
        QTimer.singleShot(0, lambda: self.scroll.verticalScrollBar().setValue(y))
        self._update_controls()
        self.page_shown.emit(self.page)

    def _update_controls(self) -> None:
        has = self.original is not None
        self.prev_btn.setEnabled(has and self.page > 1)
        self.next_btn.setEnabled(has and (not self.page_count or self.page < self.page_count))
        for b in (self.zoom_in_btn, self.zoom_out_btn, self.fit_btn):
            b.setEnabled(has)
        self.open_btn.setVisible(has)
        if has and self.page:
            of = f" / {self.page_count}" if self.page_count else ""
            here = f"（本条：{page_cite(self.item_pages).removeprefix('原文')}）" if self.item_pages else ""
            self.page_label.setText(f"第 {self.page}{of} 页{here}")
        else:
            self.page_label.setText("")

    # ------------------------------------------------------------------ zoom, external

    def step_zoom(self, direction: int) -> None:
        current = self._scale()
        if direction > 0:
            self.zoom = next((z for z in ZOOMS if z > current + 0.01), ZOOMS[-1])
        else:
            self.zoom = next((z for z in reversed(ZOOMS) if z < current - 0.01), ZOOMS[0])
        self.fit_btn.blockSignals(True)
        self.fit_btn.setChecked(False)
        self.fit_btn.blockSignals(False)
        self.fit_width = False
        self.go(self.page)

    def _on_fit_toggled(self, on: bool) -> None:
        self.fit_width = on
        self.go(self.page)

    def open_externally(self) -> None:
        if self.original is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.original["path"]))


# --------------------------------------------------------------------------- wiring into a window


class OriginalToggle(QObject):
    """The 查看原文 action of a window: shows the pane beside the reader and keeps it on the item shown."""

    def __init__(self, window: Any, reader: QWidget):
        super().__init__(window)
        self.window = window
        self.reader = reader
        self.pane = OriginalPane()
        layout = reader.parentWidget().layout() if reader.parentWidget() else None
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        if isinstance(layout, QBoxLayout):
            at = layout.indexOf(reader)
            layout.insertWidget(at, self.splitter, 1)
            # the tool row above the reader, if there is one, gets the toggle button
            row = next((layout.itemAt(i).layout() for i in range(layout.count())
                        if isinstance(layout.itemAt(i).layout(), QHBoxLayout)), None)
        else:
            row = None
        self.splitter.addWidget(reader)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.pane.hide()
        self.action = QAction("查看原文", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.toggled.connect(self._on_toggled)
        window.addAction(self.action)
        self.button = QToolButton()
        self.button.setDefaultAction(self.action)
        if row is not None:
            row.addWidget(self.button)
        menu = next((a.menu() for a in window.menuBar().actions() if a.menu() and a.text().startswith("查看")), None)
        if isinstance(menu, QMenu):
            menu.addSeparator()
            menu.addAction(self.action)
        window.item_shown.connect(self._on_item_shown)
        self.pane.only_btn.toggled.connect(self._on_only_toggled)
        self._update(None)

    def _current(self) -> dict[str, Any] | None:
        return getattr(self.reader, "item", None)

    def _original_of(self, item: dict[str, Any] | None) -> dict[str, Any] | None:
        if not item:
            return None
        try:
            return self.window.lib.original(item["issue_id"])
        except JianbaoError:
            return None

    def _update(self, item: dict[str, Any] | None) -> dict[str, Any] | None:
        original = self._original_of(item)
        self.action.setEnabled(original is not None)
        if item is None:
            tip = "先选择一条简报"
        elif original is None:
            tip = NO_ORIGINAL
        else:
            tip = f"在旁边显示本条所在的原文页面（{SHORTCUT}）"
        self.action.setToolTip(tip)
        self.button.setToolTip(tip)
        return original

    def _on_item_shown(self, _item_id: int) -> None:
        item = self._current()
        original = self._update(item)
        if self.action.isChecked() and item is not None:
            if original is None:
                self.pane.clear(NO_ORIGINAL)
            else:
                self.pane.show_item(item, original)

    def _on_only_toggled(self, only: bool) -> None:
        """The page instead of the text, or beside it again."""
        self.reader.setVisible(not only)
        self.pane.refit()  # the page now has another width

    def _on_toggled(self, on: bool) -> None:
        self.pane.setVisible(on)
        if not on:
            self.pane.only_btn.setChecked(False)  # the text comes back with the pane gone
        if on:
            half = max(sum(self.splitter.sizes()) // 2, 200)
            self.splitter.setSizes([half, half])
            QTimer.singleShot(0, self._show_current)  # once the pane is laid out, so the page fits its width

    def _show_current(self) -> None:
        item = self._current()
        if self.action.isChecked() and item is not None:
            self.pane.show_item(item, self._original_of(item))


def attach(window: Any, reader: QWidget) -> OriginalToggle:
    """Add 查看原文 to ``window`` (which has ``lib``, ``item_shown`` and a menu bar) beside ``reader``."""
    return OriginalToggle(window, reader)
