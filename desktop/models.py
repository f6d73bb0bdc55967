"""Qt models over the library. They hold ids and display text, never a database connection."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from index.parser import ALL_SECTIONS
from index.store import Library, issue_label

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # item id (items), issue id (issues)
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "year", "issue", "section", "item"
ALIASES_ROLE = Qt.ItemDataRole.UserRole + 3
HIT_ROLE = Qt.ItemDataRole.UserRole + 4

AnyIndex = QModelIndex | QPersistentModelIndex


def issue_text(issue: dict[str, Any]) -> str:
    s = issue_label(issue)
    if issue.get("date"):
        s += f" · {issue['date']}"
    if issue.get("inferred"):
        s += "（推断）"
    return s


class TreeModel(QStandardItemModel):
    """目录: year → issue → section → item, newest first, with counts. Read-only: the view sets
    no edit triggers (cheaper than marking 10,000 items not editable one by one)."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["目录"])
        self.item_ids: list[int] = []  # in tree order, for previous/next

    def load(self, lib: Library, alliance: str | None = None) -> None:
        self.beginResetModel()
        self.blockSignals(True)
        try:
            self.removeRows(0, self.rowCount())
            issues = {i["id"]: i for i in lib.issues()}
            by_issue: dict[int, list[tuple[int, int, str, int, str, str | None]]] = defaultdict(list)
            for row in lib.outline(alliance):
                by_issue[row[1]].append(row)
            years: dict[Any, QStandardItem] = {}
            year_counts: dict[Any, int] = defaultdict(int)
            self.item_ids = []
            for issue_id, issue in issues.items():  # already newest first
                rows = by_issue.get(issue_id)
                if not rows:
                    continue
                year = issue["year"]
                if year not in years:
                    y = QStandardItem()
                    y.setData("year", KIND_ROLE)
                    y.setData(year, ID_ROLE)
                    years[year] = y
                    self.appendRow(y)
                node = QStandardItem(f"{issue_text(issue)}（{len(rows)}）")
                node.setData("issue", KIND_ROLE)
                node.setData(issue_id, ID_ROLE)
                node.setToolTip("；".join(filter(None, [issue.get("source"), "年份/期号为推断，可右键更正" if issue["inferred"] else ""])))
                years[year].appendRow(node)
                year_counts[year] += len(rows)
                sections: dict[str, list[tuple[int, int, str, int, str, str | None]]] = defaultdict(list)
                for row in sorted(rows, key=lambda r: r[3]):
                    sections[row[2]].append(row)
                for sec in sorted(sections, key=lambda s: ALL_SECTIONS.index(s) if s in ALL_SECTIONS else 99):
                    sec_node = QStandardItem(f"{sec}（{len(sections[sec])}）")
                    sec_node.setData("section", KIND_ROLE)
                    sec_node.setData(sec, ID_ROLE)
                    node.appendRow(sec_node)
                    for item_id, _issue, _sec, _pos, title, alliance_name in sections[sec]:
                        leaf = QStandardItem(title)
                        leaf.setData("item", KIND_ROLE)
                        leaf.setData(item_id, ID_ROLE)
                        leaf.setToolTip(title + (f"\n{alliance_name}" if alliance_name else ""))
                        sec_node.appendRow(leaf)
                        self.item_ids.append(item_id)
            for year, y in years.items():
                y.setText(f"{year}年（{year_counts[year]}）" if year else f"年份不详（{year_counts[year]}）")
        finally:
            self.blockSignals(False)
            self.endResetModel()

    def find_item(self, item_id: int) -> QModelIndex:
        hits = self.match(self.index(0, 0), ID_ROLE, item_id, 1,
                          Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        for idx in hits:
            if idx.data(KIND_ROLE) == "item":
                return idx
        # match() stops at the first id equal in any kind; search items explicitly
        stack = [self.index(r, 0) for r in range(self.rowCount())]
        while stack:
            idx = stack.pop()
            if idx.data(KIND_ROLE) == "item" and idx.data(ID_ROLE) == item_id:
                return idx
            stack += [self.index(r, 0, idx) for r in range(self.rowCount(idx))]
        return QModelIndex()


class ListModel(QAbstractListModel):
    """A read-only list of dict rows; subclasses say how a row displays."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) or index.column() != 0:
            return None
        return self.row_data(self.rows[index.row()], role)

    def row_data(self, row: Any, role: int) -> Any:  # pragma: no cover - interface
        raise NotImplementedError


class ResultsModel(ListModel):
    """Search hits (index.search.Hit)."""

    def row_data(self, hit: Any, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet
        if role == ID_ROLE:
            return hit.id
        if role == HIT_ROLE:
            return hit
        return None


class AllianceModel(ListModel):
    """Alliances with item counts: rows {name, aliases, items}."""

    def row_data(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row['name']}（{row['items']}）"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "别名：" + "、".join(row["aliases"]) if row["aliases"] else row["name"]
        if role == ID_ROLE:
            return row["name"]
        if role == ALIASES_ROLE:
            return row["aliases"]
        return None


class AllianceFilter(QSortFilterProxyModel):
    """Matches the filter text against the full name and every alias (short names, misspellings)."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._text = ""

    def set_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10
            self.beginFilterChange()
            self._text = text.strip().casefold()
            self.endFilterChange()
        else:
            self._text = text.strip().casefold()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._text:
            return True
        idx = self.sourceModel().index(source_row, 0, source_parent)
        names = [idx.data(ID_ROLE) or "", *(idx.data(ALIASES_ROLE) or [])]
        return any(self._text in n.casefold() for n in names)


class BookmarkModel(ListModel):
    """Bookmarks, newest first: rows {id, title, note, created}."""

    def row_data(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            title = row["title"] or "（条目已不在资料库中）"
            return title + (f"\n    {row['note']}" if row["note"] else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row['title']}\n备注：{row['note'] or '（无）'}\n加入：{row['created']}"
        if role == ID_ROLE:
            return row["id"]
        return None
