"""The reader: one item, with Chinese typography, hits highlighted, shown as text only.

Item text is escaped before it becomes the view's HTML, so markup inside a bulletin (``<script>``,
``<img src=http…>``) is displayed literally; the view resolves no resources, so nothing is ever
fetched.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTextBrowser

from jianbao.index.labels import BULLETIN, issue_label
from jianbao.index.scanned import OCR_NOTE
from jianbao.index.snippets import find_spans

MIN_SIZE, MAX_SIZE, DEFAULT_SIZE = 10, 32, 15


def mark_html(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` as HTML, escaped, with the ``spans`` (start, end) marked."""
    out, at = [], 0
    for s, e in spans:
        out.append(html.escape(text[at:s]))
        out.append(f'<span style="background-color:#ffe27a;">{html.escape(text[s:e])}</span>')
        at = e
    out.append(html.escape(text[at:]))
    return "".join(out)


def highlighted(text: str, terms: list[str]) -> str:
    """``text`` as HTML, escaped, with the places where ``terms`` occur marked."""
    return mark_html(text, find_spans(text, terms) if terms else [])


def citation(item: dict[str, Any]) -> str:
    parts = [f"{BULLETIN}{issue_label(item)}"]
    if item.get("date"):
        parts.append(item["date"])
    return f"——{item['title']}，" + "，".join(parts)


class ReaderView(QTextBrowser):
    """Shows one item. :meth:`show_item` takes the item row and the search terms to highlight."""

    zoomed = Signal(int)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.item: dict[str, Any] | None = None
        self.terms: list[str] = []
        self.font_size = DEFAULT_SIZE
        self.setObjectName("reader")
        self.show_empty()

    def loadResource(self, type: int, name: QUrl) -> Any:
        return None  # never load anything: no images, no style sheets, no network

    def show_empty(self, text: str = "在左侧目录中选择一条简报，或在上方检索。") -> None:
        self.item = None
        self.setHtml(f'<p style="color:#888; margin-top:40px;" align="center">{html.escape(text)}</p>')

    def show_item(self, item: dict[str, Any], terms: list[str] | None = None) -> None:
        self.item = item
        self.terms = list(terms or [])
        self._render()

    def set_font_size(self, size: int) -> None:
        self.font_size = max(MIN_SIZE, min(MAX_SIZE, size))
        if self.item:
            self._render()
        self.zoomed.emit(self.font_size)

    def _render(self) -> None:
        it = self.item
        assert it is not None
        size = self.font_size
        meta = [f"{issue_label(it)}"]
        for v in (it.get("date"), it.get("section"), it.get("alliance")):
            if v:
                meta.append(v)
        paras = [p for p in (it.get("body") or "").split("\n") if p.strip()]
        body = "".join(
            f'<p style="text-indent:{2 * size}px; line-height:185%; margin:0 0 {size // 2}px 0;">'
            f"{highlighted(p, self.terms)}</p>"
            for p in paras
        )
        credit = it.get("credit_raw") or (f"（{it['credit']}）" if it.get("credit") else "")
        doc = (
            f'<div style="font-size:{size}px;">'
            f'<h2 style="font-size:{round(size * 1.45)}px; margin-bottom:4px;">{highlighted(it["title"], self.terms)}</h2>'
            f'<p style="color:#666; font-size:{max(MIN_SIZE, size - 3)}px; margin-top:0;">{html.escape(" · ".join(meta))}</p>'
            f"<hr/>{body}"
            + (f'<p align="right" style="color:#444; margin-top:{size}px;">{html.escape(credit)}</p>' if credit else "")
            + (f'<p style="color:#888; font-size:{max(MIN_SIZE, size - 3)}px;">{OCR_NOTE}</p>' if it.get("ocr") else "")
            + "</div>"
        )
        self.document().setDefaultFont(QFont(self.font().family(), size))
        self.setHtml(doc)

    def plain_with_citation(self) -> str:
        """The selection (or the whole item) and a citation line, for the clipboard."""
        if not self.item:
            return ""
        selected = self.textCursor().selectedText().replace("\u2029", "\n")
        text = selected or "\n".join([self.item["title"], *(self.item.get("body") or "").split("\n")])
        return f"{text}\n{citation(self.item)}"
