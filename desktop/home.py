"""首页: what a daily reader opens first — the newest issue's 本期导读 as links, what the last import
added, saved searches with new hits, recent bookmarks and a one-line summary of the library.

It renders :class:`jianbao.index.home.HomeData` as escaped HTML with internal links only
(``item:ID``, ``saved:NAME``, ``action:…``); it resolves no resources and emits what the user clicked.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote, unquote

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser

from jianbao.index.home import HomeData, summary_line
from jianbao.index.labels import BULLETIN, issue_label


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}" style="text-decoration:none;">{html.escape(text)}</a>'


def render_home(data: HomeData, saved: list[Any]) -> str:
    """The home page as HTML (every text escaped; links are ``item:`` and ``saved:``)."""
    h: list[str] = [f'<h2 style="margin-bottom:2px;">{html.escape(BULLETIN)}</h2>',
                    f'<p style="color:#666; margin-top:0;">{html.escape(summary_line(data.summary))}'
                    f'　{_link("action:activity", "联盟活跃度")}</p>']
    if data.sample_issues:
        h.append(f'<p style="color:#666;">其中 {data.sample_issues} 期是内置示例简报（目录中标有“示例”）。'
                 f'导入自己的简报：文件 → 导入…（Ctrl+O）；不再需要示例时可{_link("action:remove-sample", "移除示例简报")}。</p>')
    fresh = [s for s in saved if s.new]
    if fresh:
        h.append("<h3>订阅的新结果</h3><p>")
        h.append("　".join(_link("saved:" + quote(s.name), f"{s.name}（新 {s.new} 条）") for s in fresh))
        h.append("</p>")
    if data.newest_issue:
        date = f" · {data.newest_issue['date']}" if data.newest_issue.get("date") else ""
        h.append(f"<h3>最新一期：{html.escape(issue_label(data.newest_issue) + date)}　本期导读</h3>")
        for section, items in data.newest_sections:
            h.append(f'<p style="color:#a33; margin:6px 0 2px 0;"><b>{html.escape(section)}</b></p><ul style="margin-top:0;">')
            h += [f"<li>{_link(f'item:{iid}', title)}</li>" for iid, title in items]
            h.append("</ul>")
    else:
        h.append('<p style="color:#888;">资料库中还没有简报：文件 → 导入…（Ctrl+O），或把文件拖到窗口里。</p>')
    if data.last_import:
        when = (data.last_import_at or "").replace("T", " ")[:16]
        h.append(f"<h3>最近导入（{html.escape(when)} UTC）</h3><ul>")
        h += [f"<li>{_link('item:' + str(r['first_item']), issue_label(r))}　{r['items']} 条</li>"
              for r in data.last_import if r["first_item"]]
        h.append("</ul>")
    if data.bookmarks:
        h.append("<h3>最近的书签</h3><ul>")
        h += [f"<li>{_link('item:' + str(b['id']), b['title'])}"
              + (f'<span style="color:#777;">　{html.escape(b["note"])}</span>' if b["note"] else "") + "</li>"
              for b in data.bookmarks]
        h.append("</ul>")
    return "".join(h)


class HomePage(QTextBrowser):
    """The home page. :meth:`show_data` renders; clicks become :attr:`item_chosen` / :attr:`saved_chosen`."""

    item_chosen = Signal(int)
    saved_chosen = Signal(str)
    action_chosen = Signal(str)  # "activity", "remove-sample"

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.setObjectName("home")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)

    def loadResource(self, type: int, name: QUrl) -> Any:
        return None  # nothing is fetched

    def show_data(self, data: HomeData, saved: list[Any]) -> None:
        self.setHtml(f'<div style="font-size:15px;">{render_home(data, saved)}</div>')

    def links(self) -> list[str]:
        """Every link on the page, in order (what a test clicks)."""
        import re

        return re.findall(r'href="([^"]+)"', self.toHtml())

    def follow(self, href: str) -> None:
        self._on_anchor_clicked(QUrl(href))

    def _on_anchor_clicked(self, url: QUrl) -> None:
        s = url.toString()
        scheme, _, rest = s.partition(":")
        if scheme == "item" and rest.isdigit():
            self.item_chosen.emit(int(rest))
        elif scheme == "saved":
            self.saved_chosen.emit(unquote(rest))
        elif scheme == "action":
            self.action_chosen.emit(rest)
