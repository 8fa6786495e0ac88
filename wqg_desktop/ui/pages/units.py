"""单位名册: the register of units, filtered as the officer types.

Read-only in this version: adding, editing, Excel import/export and reorganisation come
with the registry issue, on the same services.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.services import registry
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import Page, tidy_table

FORM = "units_page"

COL_NAME = 0
COLUMNS = [
    Column("name", "单位名称"),
    Column("region", "县(市、区)"),
    Column("bureau", "所属公安局"),
    Column("police_type", "警种"),
    Column("unit_kind", "类别"),
    Column("head", "负责人"),
    Column("phone", "联系电话"),
    Column("title", "最高有效称号"),
    Column("campaign", "创建状态"),
    Column("online", "维权在线"),
]


class UnitsPage(Page):
    TITLE = "单位名册"
    HELP = "单位名册"
    WATCHES = ("Unit", "Title", "Candidate", "Region", "PoliceType")

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.model = RowsModel(COLUMNS, parent=self)
        self.ui.units_table.setModel(self.model)
        tidy_table(self.ui.units_table, stretch_column=COL_NAME)
        # Typing fires a search a moment after the last key, not on every key.
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._apply_filter)
        self.ui.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        self.ui.county_combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.ui.police_type_combo.currentIndexChanged.connect(lambda _i: self._apply_filter())

    def load(self) -> None:
        for combo, choices, everything in (
            (self.ui.county_combo, registry.region_choices(), "全部"),
            (self.ui.police_type_combo, registry.police_type_choices(), "全部"),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for ident, name in choices:
                combo.addItem(name, ident)
            found = combo.findData(current)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self) -> None:
        rows = registry.list_units(
            text=self.ui.search_edit.text(),
            region_id=self.ui.county_combo.currentData(),
            police_type_id=self.ui.police_type_combo.currentData(),
        )
        self.model.set_rows(rows)
        self.ui.count_label.setText(f"共 {len(rows)} 个单位")
