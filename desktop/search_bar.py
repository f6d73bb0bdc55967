"""The search bar on top: the query field, the filters, the alliance chip and the hit count.

It owns its widgets and the typing debounce; it knows nothing of the library or the results. The
main window listens to :attr:`SearchBar.search_requested`, :attr:`SearchBar.submitted` and
:attr:`SearchBar.alliance_chosen`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QToolBar, QToolButton, QWidget

from jianbao.index.parser import ALL_SECTIONS

ALLIANCE_SUFFIX = "产业技术创新战略联盟"


def short_alliance(name: str) -> str:
    """``粉末冶金产业技术创新战略联盟`` → ``粉末冶金联盟``, for narrow places."""
    return name.replace(ALLIANCE_SUFFIX, "联盟")


class SearchBar(QToolBar):
    """Query and filters. Emits what the user asked for; shows what it is told."""

    search_requested = Signal()  # typed (after a pause) or a filter changed
    submitted = Signal()  # Enter: search now and open the first hit
    alliance_chosen = Signal(object)  # a name, or None for no filter

    def __init__(self, parent: QWidget | None = None):
        super().__init__("检索", parent)
        self.setObjectName("searchbar")
        self.setMovable(False)
        self.alliance: str | None = None
        self.field = QLineEdit(placeholderText="检索全部简报（Ctrl+K）：空格分隔为“且”，\"引号\"为短语，OR，-排除")
        self.field.setClearButtonEnabled(True)
        self.alliance_combo = QComboBox(minimumContentsLength=10)
        self.section_combo = QComboBox()
        self.section_combo.addItem("全部栏目", None)
        for s in ALL_SECTIONS:
            self.section_combo.addItem(s, s)
        self.year_from = QSpinBox(minimum=0, maximum=2100, specialValueText="起始年", value=0)
        self.year_to = QSpinBox(minimum=0, maximum=2100, specialValueText="截止年", value=0)
        self.sort_combo = QComboBox()
        self.sort_combo.addItem("按相关度", "relevance")
        self.sort_combo.addItem("按日期", "date")
        self.hit_count = QLabel("")
        self.alliance_chip = QToolButton()
        self.alliance_chip.setObjectName("allianceChip")
        self.alliance_chip.setToolTip("点击取消联盟筛选")
        self.field.setMinimumWidth(260)
        self.addWidget(self.field)
        self.addWidget(self.alliance_combo)
        # a widget in a tool bar is shown and hidden through its action
        self.alliance_chip_action = self.addWidget(self.alliance_chip)
        self.alliance_chip_action.setVisible(False)
        for w in (self.section_combo, self.year_from, self.year_to, self.sort_combo, self.hit_count):
            self.addWidget(w)
        self.debounce = QTimer(self, singleShot=True, interval=250)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.field.textChanged.connect(lambda _text: self.debounce.start())
        self.field.returnPressed.connect(self._on_field_return)
        self.debounce.timeout.connect(self.search_requested)
        for combo in (self.alliance_combo, self.section_combo, self.sort_combo):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        for spin in (self.year_from, self.year_to):
            spin.valueChanged.connect(self._on_filters_changed)
        self.alliance_chip.clicked.connect(lambda: self.alliance_chosen.emit(None))

    def query(self) -> str:
        return self.field.text().strip()

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def filters(self) -> dict[str, Any]:
        return {
            "alliance": self.alliance,
            "section": self.section_combo.currentData(),
            "year_from": self.year_from.value() or None,
            "year_to": self.year_to.value() or None,
            "sort": self.sort_combo.currentData(),
            "limit": 200,
        }

    def set_alliances(self, rows: list[dict[str, Any]]) -> None:
        """Fill the alliance filter from the library's alliance rows, keeping the choice."""
        self.alliance_combo.blockSignals(True)
        keep = self.alliance_combo.currentData()
        self.alliance_combo.clear()
        self.alliance_combo.addItem("全部联盟", None)
        for a in rows:
            self.alliance_combo.addItem(short_alliance(a["name"]), a["name"])
        self.alliance_combo.setCurrentIndex(max(0, self.alliance_combo.findData(keep)))
        self.alliance_combo.blockSignals(False)

    def show_alliance(self, name: str | None) -> None:
        """Show the alliance filter in force (the chip and the combo), without emitting."""
        self.alliance = name
        self.alliance_chip_action.setVisible(bool(name))
        if name:
            self.alliance_chip.setText(f"联盟：{short_alliance(name)} ✕")
        self.alliance_combo.blockSignals(True)
        self.alliance_combo.setCurrentIndex(max(0, self.alliance_combo.findData(name)))
        self.alliance_combo.blockSignals(False)

    def _on_field_return(self) -> None:
        self.debounce.stop()
        self.submitted.emit()

    def _on_filters_changed(self) -> None:
        name = self.alliance_combo.currentData()
        if name != self.alliance:
            self.alliance_chosen.emit(name)
            return
        if self.query():
            self.debounce.start()
