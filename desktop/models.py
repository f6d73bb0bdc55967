"""Qt models over the library. They hold ids and display text, never a database connection."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from jianbao.index.labels import issue_label
from jianbao.index.parser import ALL_SECTIONS
from jianbao.index.store import Library

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


Row = tuple[int, int, str, int, str, str | None]  # id, issue_id, section, position, title, alliance


def _section_order(sec: str) -> int:
    return ALL_SECTIONS.index(sec) if sec in ALL_SECTIONS else 99


class TreeModel(QStandardItemModel):
    """目录: year → issue → section → item, newest first, with counts.

    Years and issues are built at once; an issue's sections and items only when it is first
    expanded (or an item in it is shown), so a 50,000-item library opens as fast as a small one.
    Read-only: the view sets no edit triggers.
    """

    PLACEHOLDER = "placeholder"

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["目录"])
        self.item_ids: list[int] = []  # every item in tree order, for previous/next
        self._rows: dict[int, list[Row]] = {}  # issue id → its items, in tree order
        self._issue_of: dict[int, int] = {}
        self._issue_nodes: dict[int, QStandardItem] = {}

    def load(self, lib: Library, alliance: str | None = None) -> None:
        self.beginResetModel()
        self.blockSignals(True)
        try:
            self.removeRows(0, self.rowCount())
            by_issue: dict[int, list[Row]] = defaultdict(list)
            for row in lib.outline(alliance):
                by_issue[row[1]].append(row)
            years: dict[Any, QStandardItem] = {}
            year_counts: dict[Any, int] = defaultdict(int)
            self.item_ids, self._rows, self._issue_nodes = [], {}, {}
            from jianbao.index.sample import sample_issue_ids

            sample = sample_issue_ids(lib)
            for issue in lib.issues():  # newest first
                rows = by_issue.get(issue["id"])
                if not rows:
                    continue
                rows.sort(key=lambda r: (_section_order(r[2]), r[3]))
                self._rows[issue["id"]] = rows
                self.item_ids += [r[0] for r in rows]
                year = issue["year"]
                if year not in years:
                    years[year] = y = QStandardItem()
                    y.setData("year", KIND_ROLE)
                    y.setData(year, ID_ROLE)
                    self.appendRow(y)
                node = QStandardItem(f"{issue_text(issue)}（{len(rows)}）" + ("　示例" if issue["id"] in sample else ""))
                node.setData("issue", KIND_ROLE)
                node.setData(issue["id"], ID_ROLE)
                tip = [issue.get("source"), "年份/期号为推断，可右键更正" if issue["inferred"] else "",
                       "内置示例简报，可在 文件 → 移除示例简报 中移除" if issue["id"] in sample else ""]
                node.setToolTip("；".join(filter(None, tip)))
                placeholder = QStandardItem("…")
                placeholder.setData(self.PLACEHOLDER, KIND_ROLE)
                node.appendRow(placeholder)
                years[year].appendRow(node)
                self._issue_nodes[issue["id"]] = node
                year_counts[year] += len(rows)
            for year, y in years.items():
                y.setText(f"{issue_label({'year': year})}（{year_counts[year]}）")
            self._issue_of = {r[0]: issue_id for issue_id, rows in self._rows.items() for r in rows}
        finally:
            self.blockSignals(False)
            self.endResetModel()

    def populate(self, index: QModelIndex) -> None:
        """Build the sections and items of the issue at ``index`` (once)."""
        if index.data(KIND_ROLE) != "issue":
            return
        node = self.itemFromIndex(index)
        if node.rowCount() != 1 or node.child(0).data(KIND_ROLE) != self.PLACEHOLDER:
            return
        node.removeRow(0)
        sections: dict[str, list[Row]] = defaultdict(list)
        for row in self._rows[index.data(ID_ROLE)]:
            sections[row[2]].append(row)
        for sec, rows in sections.items():
            sec_node = QStandardItem(f"{sec}（{len(rows)}）")
            sec_node.setData("section", KIND_ROLE)
            sec_node.setData(sec, ID_ROLE)
            for item_id, _issue, _sec, _pos, title, alliance_name in rows:
                leaf = QStandardItem(title)
                leaf.setData("item", KIND_ROLE)
                leaf.setData(item_id, ID_ROLE)
                leaf.setToolTip(title + (f"\n{alliance_name}" if alliance_name else ""))
                sec_node.appendRow(leaf)
            node.appendRow(sec_node)

    def populate_all(self) -> None:
        for node in self._issue_nodes.values():
            self.populate(node.index())

    def ids_under(self, index: QModelIndex) -> list[int]:
        """Every item id under a year, issue, section or item node, in tree order."""
        kind = index.data(KIND_ROLE)
        if kind == "item":
            return [index.data(ID_ROLE)]
        if kind == "issue":
            return [r[0] for r in self._rows[index.data(ID_ROLE)]]
        if kind == "year":
            return [i for r in range(self.rowCount(index)) for i in self.ids_under(self.index(r, 0, index))]
        if kind == "section":
            return [self.index(r, 0, index).data(ID_ROLE) for r in range(self.rowCount(index))]
        return []

    def find_item(self, item_id: int) -> QModelIndex:
        issue_id = self._issue_of.get(item_id)
        if issue_id is None:
            return QModelIndex()
        issue_index = self._issue_nodes[issue_id].index()
        self.populate(issue_index)
        for s in range(self.rowCount(issue_index)):
            sec = self.index(s, 0, issue_index)
            for r in range(self.rowCount(sec)):
                idx = self.index(r, 0, sec)
                if idx.data(ID_ROLE) == item_id:
                    return idx
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
