"""Alliance activity: a small per-year bar chart in each row of the 联盟 tab, and the
联盟活跃度 window (查看 菜单): alliances × years as a heat map, sortable, a click on a cell lists
that alliance's items of that year, and the table exports as CSV (UTF-8 with BOM, for Excel).

Painted with QPainter and plain table cells: QtCharts (PySide6-Addons) would add a large import
to start-up for a chart this simple.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jianbao.index.activity import AllianceActivity, activity_items, activity_table, to_csv
from jianbao.index.labels import issue_label
from jianbao.index.store import Library

from .search_bar import short_alliance

ID_ROLE = Qt.ItemDataRole.UserRole + 1
BAR = QColor("#c0392b")


class AllianceDelegate(QStyledItemDelegate):
    """A 联盟 tab row: name and count, a bar per year, the aliases and the latest item's date.

    ``activity`` maps a name to its :class:`AllianceActivity`; ``years`` is the library's range.
    """

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.activity: dict[str, AllianceActivity] = {}
        self.years: list[int] = []

    def set_activity(self, years: list[int], rows: list[AllianceActivity]) -> None:
        self.years = years
        self.activity = {a.name: a for a in rows}

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        h = option.fontMetrics.height()
        return QSize(200, h * 2 + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        name = index.data(ID_ROLE) or ""
        a = self.activity.get(name)
        r = option.rect.adjusted(6, 3, -6, -3)
        fm = option.fontMetrics
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_col = option.palette.highlightedText().color() if selected else option.palette.text().color()
        painter.save()
        n_years = len(self.years)
        chart_w = min(90, 12 * max(n_years, 1)) if a and n_years else 0
        painter.setPen(text_col)
        top = QRect(r.left(), r.top(), r.width() - chart_w - 8, fm.height())
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(index.data(Qt.ItemDataRole.DisplayRole) or name, Qt.TextElideMode.ElideRight, top.width()))
        sub = []
        aliases = index.data(Qt.ItemDataRole.UserRole + 3) or []
        if aliases:
            sub.append("又称 " + "、".join(aliases[:3]))
        if a and (a.last_date or a.last_year):
            sub.append(f"最近 {a.last_date or a.last_year}")
        painter.setPen(text_col if selected else QColor("#888"))
        bottom = QRect(r.left(), r.top() + fm.height() + 2, r.width() - chart_w - 8, fm.height())
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(" · ".join(sub), Qt.TextElideMode.ElideRight, bottom.width()))
        if a and n_years:
            peak = max(a.per_year.values()) or 1
            bw = chart_w / n_years
            base = r.bottom()
            full = r.height() - 2
            for i, y in enumerate(self.years):
                n = a.per_year.get(y, 0)
                x = r.right() - chart_w + int(i * bw)
                painter.fillRect(x, base - 1, max(1, int(bw) - 2), 1, QColor("#ddd"))
                if n:
                    h = max(2, int(full * n / peak))
                    painter.fillRect(x, base - h, max(1, int(bw) - 2), h, BAR)
        painter.restore()


class _NumberItem(QTableWidgetItem):
    """Sorts by number, not by text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return (self.data(Qt.ItemDataRole.UserRole) or 0) < (other.data(Qt.ItemDataRole.UserRole) or 0)


def heat(n: int, peak: int) -> QColor:
    if not n:
        return QColor("#ffffff")
    t = n / max(peak, 1)
    return QColor(int(255 - 60 * t), int(236 - 170 * t), int(228 - 180 * t))


class ActivityDialog(QDialog):
    """联盟活跃度: a heat map of items per alliance and year. A click on a cell lists the items."""

    item_chosen = Signal(int)

    def __init__(self, lib: Library, parent: QWidget | None = None):
        super().__init__(parent)
        self.lib = lib
        self.setWindowTitle("联盟活跃度")
        self.resize(980, 640)
        self.years, self.rows = activity_table(lib)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items_list = QListWidget()
        self.items_list.setSpacing(3)
        self.items_label = QLabel("点击表格中的数字，列出该联盟当年的条目；双击条目打开。")
        self.items_label.setWordWrap(True)
        export = QPushButton("导出 CSV…")
        close = QPushButton("关闭")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.items_label)
        rl.addWidget(self.items_list, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f"{len(self.rows)} 个联盟 · 仅计有供稿联盟的条目 · 表头可排序"))
        buttons.addStretch(1)
        buttons.addWidget(export)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addLayout(buttons)
        self._fill()
        self.table.cellClicked.connect(self._on_cell_clicked)
        self.items_list.itemActivated.connect(lambda it: self.item_chosen.emit(it.data(ID_ROLE)))
        self.items_list.itemDoubleClicked.connect(lambda it: self.item_chosen.emit(it.data(ID_ROLE)))
        export.clicked.connect(self._on_export)
        close.clicked.connect(self.accept)

    def _fill(self) -> None:
        t = self.table
        t.setSortingEnabled(False)
        headers = ["联盟", *[str(y) for y in self.years], "合计"]
        t.setColumnCount(len(headers))
        t.setRowCount(len(self.rows))
        t.setHorizontalHeaderLabels(headers)
        peak = max((n for a in self.rows for n in a.per_year.values()), default=1)
        for r, a in enumerate(self.rows):
            name = QTableWidgetItem(short_alliance(a.name))
            name.setData(ID_ROLE, a.name)
            name.setToolTip(a.name)
            t.setItem(r, 0, name)
            for c, y in enumerate(self.years, 1):
                n = a.per_year.get(y, 0)
                cell = _NumberItem(str(n) if n else "")
                cell.setData(Qt.ItemDataRole.UserRole, n)
                cell.setData(ID_ROLE, a.name)
                cell.setBackground(heat(n, peak))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                t.setItem(r, c, cell)
            total = _NumberItem(str(a.total))
            total.setData(Qt.ItemDataRole.UserRole, a.total)
            total.setData(ID_ROLE, a.name)
            total.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            t.setItem(r, len(headers) - 1, total)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            t.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        t.setSortingEnabled(True)
        t.sortItems(len(headers) - 1, Qt.SortOrder.DescendingOrder)

    def cell(self, alliance: str, year: int | None) -> tuple[int, int]:
        """(row, column) of an alliance's cell for ``year`` (None: the 合计 column)."""
        col = self.table.columnCount() - 1 if year is None else 1 + self.years.index(year)
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(ID_ROLE) == alliance:
                return r, col
        raise KeyError(alliance)

    def _on_cell_clicked(self, row: int, col: int) -> None:
        alliance = self.table.item(row, 0).data(ID_ROLE)
        year = self.years[col - 1] if 1 <= col <= len(self.years) else None
        self.show_items(alliance, year)

    def show_items(self, alliance: str, year: int | None) -> list[int]:
        ids = activity_items(self.lib, alliance, year)
        rows = {r["id"]: r for r in self.lib.items(ids=ids, body=False)}
        self.items_list.clear()
        for i in ids:
            r = rows[i]
            it = QListWidgetItem(f"{r['title']}\n{issue_label(r)}")
            it.setData(ID_ROLE, i)
            self.items_list.addItem(it)
        self.items_label.setText(f"{short_alliance(alliance)} · {year or '全部年份'}：{len(ids)} 条（新的在前）")
        return ids

    def listed_ids(self) -> list[int]:
        return [self.items_list.item(i).data(ID_ROLE) for i in range(self.items_list.count())]

    def export_csv(self, path: str | Path) -> Path:
        p = Path(path)
        tmp = p.with_name(p.name + ".part")
        tmp.write_text(to_csv(self.years, self.rows), encoding="utf-8-sig")
        tmp.replace(p)
        return p

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出联盟活跃度", str(Path.home() / "联盟活跃度.csv"), "CSV (*.csv)")
        if path:
            try:
                self.export_csv(path)
            except OSError as e:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.warning(self, "导出失败", f"无法写入 {path}：{e.strerror}")
