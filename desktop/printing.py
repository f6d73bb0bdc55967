"""Printing: items on A4 pages with the reader's typography, a print preview, a selection of items.

The reader's view sizes its text in screen pixels; printed as it is, a pixel becomes one dot of a
1200 dpi printer and the body shrinks to about 1 pt. So printing builds its own document in
points, lays it out for the printer's resolution, and paints the pages itself: the title (三号,
in even lines, kept with its text), the metadata line, paragraphs with the two-character
first-line indent, the credit on the right, and a page number — 1 — at the foot of every page.
The title is not bold: the CJK font has no bold face, and Qt's synthetic bold draws the text
twice, so a PDF printed from it would carry every title twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextLine,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QWidget

from jianbao.index.labels import credit_line, item_meta
from jianbao.index.typeset import balanced_lines

TITLE_PT, META_PT, BODY_PT, CREDIT_PT, FOOT_PT = 16.0, 9.0, 12.0, 10.5, 9.0  # 三号, 小五, 小四, 五号
LINE_HEIGHT = 150  # per cent of the natural line height
MARGINS_MM = QMarginsF(28, 30, 26, 25)  # left, top, right, bottom (close to GB/T 9704's type area)


def make_printer() -> QPrinter:
    """A high-resolution printer set up for A4 portrait with Chinese margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      MARGINS_MM, QPageLayout.Unit.Millimeter))
    printer.setDocName("简报阅览")
    return printer


def meta_line(item: dict[str, Any]) -> str:
    return item_meta(item, bulletin=True)


def credit_text(item: dict[str, Any]) -> str:
    return credit_line(item)


_family: list[str] = []


def print_family() -> str:
    """The font printed text uses: the CJK font shipped in resources/ (the one the PDF export
    embeds). System CJK fonts such as Noto Sans CJK share one glyph between 工 and the Kangxi
    radical ⼯, and Qt's PDF output then maps the glyph back to the radical: text copied or
    searched in the printed PDF would not match the bulletin."""
    if not _family:
        from jianbao.index.errors import JianbaoError
        from jianbao.index.export import cjk_font_path

        try:
            font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
        except JianbaoError:
            font_id = -1
        loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _family.append(loaded[0] if loaded else QApplication.font().family())
    return _family[0]


def _font(size: float) -> QFont:
    font = QFont(QApplication.font())
    font.setFamilies([print_family(), *QApplication.font().families()])
    font.setPointSizeF(size)
    return font


TITLE_STATE = 1  # QTextBlock.userState() of a title block


def build_document(items: Sequence[dict[str, Any]], dpi: int, width: float | None = None,
                   device: Any = None) -> QTextDocument:
    """The items as one document, measured for a device of ``dpi`` dots per inch; with the
    text ``width`` and the ``device``, titles are broken into even lines (no lone character)."""
    px = dpi / 72.0  # device pixels per point, for the text indent
    css_px = 96 / 72.0  # block margins are in 96-dpi pixels, scaled to the device by the layout
    doc = QTextDocument()
    doc.setDefaultFont(_font(BODY_PT))
    doc.setDocumentMargin(0)
    root: QTextFrameFormat = doc.rootFrame().frameFormat()
    root.setMargin(0)
    doc.rootFrame().setFrameFormat(root)
    cur = QTextCursor(doc)

    def block(text: str, size: float, *, color: str = "#000000", align: Any = Qt.AlignmentFlag.AlignJustify,
              indent_chars: float = 0, above: float = 0, below: float = 0, first: bool = False) -> None:
        fmt = QTextBlockFormat()
        fmt.setAlignment(align)
        fmt.setTextIndent(indent_chars * size * px)
        fmt.setTopMargin(above * css_px)
        fmt.setBottomMargin(below * css_px)
        fmt.setLineHeight(LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        chars = QTextCharFormat()
        chars.setFont(_font(size))
        chars.setForeground(QColor(color))
        if first:
            cur.setBlockFormat(fmt)
            cur.setBlockCharFormat(chars)
        else:
            cur.insertBlock(fmt, chars)
        cur.insertText(text, chars)

    for n, it in enumerate(items):
        title = it["title"]
        if width and device is not None:
            metrics = QFontMetricsF(_font(TITLE_PT), device)
            title = "\u2028".join(balanced_lines(title, metrics.horizontalAdvance, width * 0.98))
        block(title, TITLE_PT, align=Qt.AlignmentFlag.AlignLeft, above=0 if n == 0 else 24, below=4, first=n == 0)
        cur.block().setUserState(TITLE_STATE)
        block(meta_line(it), META_PT, color="#595959", align=Qt.AlignmentFlag.AlignLeft, below=10)
        for para in (p for p in (it.get("body") or "").split("\n") if p.strip()):
            block(para, BODY_PT, indent_chars=2, below=4)
        credit = credit_text(it)
        if credit:
            block(credit, CREDIT_PT, color="#404040", align=Qt.AlignmentFlag.AlignRight, above=6)
    return doc


def _keep_titles_with_text(doc: QTextDocument, height: float) -> None:
    """Move a title (and its metadata line) to the next page when its text would begin there."""
    layout = doc.documentLayout()

    def page_of(block: QTextBlock) -> int:
        line = block.layout().lineAt(0) if block.layout().lineCount() else None
        return int((layout.blockBoundingRect(block).top() + (line.y() + line.height() if line else 0)) // height)

    block = doc.begin()
    while block.isValid():
        text = block.next().next()
        if block.userState() == TITLE_STATE and text.isValid() and page_of(text) != page_of(block):
            fmt = QTextBlockFormat()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            QTextCursor(block).mergeBlockFormat(fmt)
            doc.setPageSize(doc.pageSize())  # lay out again from the start: after an edit Qt's layout is lazy
        block = block.next()


def render(printer: QPrinter, items: Sequence[dict[str, Any]]) -> int:
    """Paint ``items`` on ``printer``, page by page; returns the number of pages."""
    dpi = printer.resolution()
    area = printer.pageLayout().paintRectPixels(dpi)  # the page inside the margins, in device pixels
    foot = FOOT_PT * 2.5 * dpi / 72.0
    width, height = float(area.width()), float(area.height()) - foot
    doc = build_document(items, dpi, width, printer)
    doc.documentLayout().setPaintDevice(printer)
    doc.setPageSize(QSizeF(width, height))
    _keep_titles_with_text(doc, height)
    pages = doc.pageCount()
    # Each line is drawn on its own page only. QTextDocument.drawContents with a clip rectangle
    # would also draw, clipped but still as text, the lines next to the page's edges: a PDF
    # would then carry them twice.
    lines: dict[int, list[tuple[float, float, QTextLine]]] = {}
    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        tl = block.layout()
        for i in range(tl.lineCount()):
            line = tl.lineAt(i)
            y = rect.top() + line.y()
            lines.setdefault(int((y + line.height() / 2) // height), []).append((rect.left(), rect.top(), line))
        block = block.next()
    first, last = 1, pages
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = max(1, printer.fromPage()), min(pages, printer.toPage() or pages)
    painter = QPainter(printer)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for page in range(first, last + 1):
            if page > first:
                printer.newPage()
            for x, y, line in lines.get(page - 1, []):
                line.draw(painter, QPointF(x, y - (page - 1) * height))
            painter.setFont(_font(FOOT_PT))
            painter.setPen(QColor("#595959"))
            painter.drawText(QRectF(0, height, width, foot), int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                             f"— {page} —")
    finally:
        painter.end()
    return last - first + 1


def print_items(items: Sequence[dict[str, Any]], parent: QWidget | None = None) -> bool:
    """The print dialog, then printing; False when the user cancels."""
    printer = make_printer()
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle(f"打印 {len(items)} 条" if len(items) > 1 else "打印")
    dlg.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dlg.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    render(printer, items)
    return True


def preview_dialog(items: Sequence[dict[str, Any]], parent: QWidget | None = None) -> QPrintPreviewDialog:
    """A QPrintPreviewDialog showing ``items`` as they will print (call ``exec()`` or ``open()``)."""
    printer = make_printer()
    dlg = QPrintPreviewDialog(printer, parent)
    dlg.setWindowTitle("打印预览")
    dlg.paintRequested.connect(lambda p: render(p, items))
    dlg.resize(900, 1000)
    dlg._printer = printer  # type: ignore[attr-defined]  # the dialog does not own it; keep it alive
    return dlg
