"""单位名册: the register of units — search as you type (name or pinyin initials), filters,
add/edit, detail, reorganisation, and coverage per county and police type.

``main_tabs``: the unit list first, then 覆盖情况; other panels (领导小组, 监督员) are added
as further tabs by :meth:`UnitsPage.add_tab`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Office, Unit, database
from wqg_desktop.domain.roles import Permission
from wqg_desktop.domain.statuses import UnitStatus
from wqg_desktop.services import coverage, registry
from wqg_desktop.services.office import this_office
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.import_units import export_units, open_import_titles, open_import_units
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.models.unit_table import COL_NAME, UnitTableModel
from wqg_desktop.ui.pages.base import Page, admin_only, allow, opens_row, tidy_table, writable_only
from wqg_desktop.ui.widgets.combos import fill_combo

FORM = "units_page"

COVERAGE_COLUMNS = [
    Column("group", "分组"),
    Column("units", "单位数", align_right=True),
    Column("in_campaign", "参加创建", align_right=True),
    Column("titled", "有有效称号", align_right=True),
    Column("covered", "已覆盖", align_right=True),
    Column("rate", "覆盖率", align_right=True),
]


class UnitsPage(Page):
    TITLE = "单位名册"
    HELP = "单位名册"
    WATCHES = ("Unit", "Title", "Candidate", "Region", "PoliceType", "Bureau", "Campaign")

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.model = UnitTableModel(parent=self)
        self.ui.units_table.setModel(self.model)
        tidy_table(self.ui.units_table, stretch_column=COL_NAME)
        # At 100k rows, sizing columns to contents would read every row: fixed widths instead.
        header = self.ui.units_table.horizontalHeader()
        header.setSectionResizeMode(header.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # the model starts sorted by name, A→Z; Qt's header would show "descending" until a
        # click (signals held: the rows are already in this order, no second query)
        header.blockSignals(True)
        header.setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        for col, width in enumerate((260, 90, 140, 60, 70, 60, 100, 170, 110, 60, 60)):
            self.ui.units_table.setColumnWidth(col, width)
        self.region_cov = RowsModel(COVERAGE_COLUMNS, parent=self)
        self.type_cov = RowsModel(COVERAGE_COLUMNS, parent=self)
        self.ui.region_coverage_table.setModel(self.region_cov)
        self.ui.type_coverage_table.setModel(self.type_cov)
        # two tables side by side: a short group column keeps the numbers in view at 150%
        for table in (self.ui.region_coverage_table, self.ui.type_coverage_table):
            tidy_table(table, stretch_column=0, name_width_em=5)
            table.verticalHeader().setVisible(False)  # row numbers mean nothing here
        self.ui.status_combo.addItem("全部", None)
        for status in UnitStatus:
            self.ui.status_combo.addItem(status.label, status.value)
        # Typing fires a search a moment after the last key, not on every key.
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._apply_filter)
        self.ui.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        # Search as you type answers from an in-memory copy of the names, built once per
        # change of the database (~0.2 s at 100,000 units): build it just after the page has
        # shown, before the officer's first keystroke needs it.
        self._warm = QTimer(self, singleShot=True, interval=250)
        self._warm.timeout.connect(self._warm_search)
        self.ui.search_edit.returnPressed.connect(self._apply_filter)
        for combo in (self.ui.county_combo, self.ui.police_type_combo, self.ui.title_combo,
                      self.ui.campaign_combo, self.ui.status_combo):
            combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        opens_row(self.ui.units_table, self.open_detail)
        self.ui.units_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons())
        self.ui.add_button.clicked.connect(self.add_unit)
        self.ui.edit_button.clicked.connect(self.edit_unit)
        self.ui.detail_button.clicked.connect(self.open_detail)
        self.ui.rename_button.clicked.connect(lambda: self._reorganise("rename"))
        self.ui.merge_button.clicked.connect(lambda: self._reorganise("merge"))
        self.ui.split_button.clicked.connect(lambda: self._reorganise("split"))
        self.ui.youth_end_button.clicked.connect(lambda: self._reorganise("youth_end"))
        self.ui.regions_button.clicked.connect(self.open_regions)
        self.ui.import_button.clicked.connect(lambda: open_import_units(self, ctx, bus))
        self.ui.titles_import_button.clicked.connect(lambda: open_import_titles(self, ctx, bus))
        # exports what the officer filtered to, in the order shown
        self.ui.export_button.clicked.connect(lambda: export_units(self, ctx, self.model.ids()))
        self.ui.main_tabs.currentChanged.connect(lambda _i: self._load_coverage())
        self._dialog: QWidget | None = None
        self._update_buttons()

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Another panel of the register (领导小组, 监督员) as a further tab."""
        return self.ui.main_tabs.addTab(widget, title)

    # -- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        fills = (
            (self.ui.county_combo, registry.region_choices()),
            (self.ui.police_type_combo, registry.police_type_choices()),
            (self.ui.title_combo, registry.title_choices()),
            (self.ui.campaign_combo, registry.campaign_choices()),
        )
        for combo, choices in fills:
            fill_combo(combo, choices, combo.currentData(), blank="全部")
        self._apply_filter()
        self._load_coverage()
        self._warm.start()

    def current_filter(self) -> registry.UnitFilter:
        return registry.UnitFilter(
            text=self.ui.search_edit.text(),
            region_id=self.ui.county_combo.currentData(),
            police_type_id=self.ui.police_type_combo.currentData(),
            title=self.ui.title_combo.currentData(),
            campaign=self.ui.campaign_combo.currentData(),
            status=self.ui.status_combo.currentData(),
        )

    def _apply_filter(self) -> None:
        self._debounce.stop()
        selected = self.selected_unit_id()
        self.model.search(self.current_filter())
        self.ui.count_label.setText(f"共 {self.model.rowCount()} 个单位")
        if selected is not None:
            row = self.model.row_of(selected)
            if row >= 0:
                self.ui.units_table.selectRow(row)
        self._update_buttons()

    def _warm_search(self) -> None:
        # only for the database this page shows, while it shows (the timer may outlive both)
        db = self.ctx.opened.db
        if self.isVisible() and database.obj is db and not db.is_closed():
            registry.warm_search_index()

    def _load_coverage(self) -> None:
        if self.ui.main_tabs.currentWidget() is not self.ui.coverage_tab:
            return
        cov = coverage.coverage()
        self.region_cov.set_rows(cov.by_region + [cov.total])
        self.type_cov.set_rows(cov.by_police_type + [cov.total])
        self.ui.coverage_label.setText(
            f"在册且从事青少年工作的单位 {cov.total.units} 个，正在参加创建或持有有效称号的 "
            f"{cov.total.covered} 个，覆盖率 {cov.total.rate}。目标：县级层面全覆盖。"
            "“参加创建”指未结束的创建活动中的创建单位（已退出、被退回、未达标的不计）。")

    # -- selection and buttons -------------------------------------------------------------

    def selected_unit_id(self) -> int | None:
        rows = self.ui.units_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(rows[0].row()).id

    def _update_buttons(self) -> None:
        unit_id = self.selected_unit_id()
        writable_only((self.ui.add_button, self.ui.regions_button, self.ui.import_button,
                       self.ui.titles_import_button), self.writable)
        self.ui.export_button.setEnabled(self.model.rowCount() > 0)
        self.ui.detail_button.setEnabled(unit_id is not None)
        changes = (self.ui.edit_button, self.ui.rename_button, self.ui.merge_button,
                   self.ui.split_button, self.ui.youth_end_button)
        if not self.writable or unit_id is None:
            writable_only(changes, self.writable, enabled=False)
            return
        why_not = self.kept_elsewhere(unit_id)
        for button in changes:
            allow(button, why_not)
        # ending youth work deregisters the unit's titles (注销): 管理员 only on a shared server
        allow(self.ui.youth_end_button, why_not or admin_only(Permission.REVOKE_TITLES))

    @staticmethod
    def kept_elsewhere(unit_id: int) -> str | None:
        """'该单位由<office>维护' when another office owns the unit (only the owner changes it,
        the services refuse the rest), else ``None``."""
        unit = Unit.get_or_none(Unit.id == unit_id)
        office = this_office()
        if unit is None or office is None or unit.owner_office_id in (None, office.id):
            return None
        owner = Office.get_or_none(Office.id == unit.owner_office_id)
        name = owner.name if owner else "其他办公室"
        return f"该单位由{name}维护，本办公室不能修改（由其修改后随上报包传来）"

    def _show(self, dialog: QWidget) -> None:
        self._dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def _changed(self, entity: str = "Unit") -> None:
        self.bus.notify(entity)

    # -- actions ---------------------------------------------------------------------------

    def add_unit(self) -> None:
        from wqg_desktop.ui.dialogs.unit_dialog import UnitDialog

        dialog = UnitDialog(self.ctx, parent=self)
        dialog.saved.connect(self._unit_saved)
        self._show(dialog)

    def edit_unit(self) -> None:
        unit_id = self.selected_unit_id()
        if unit_id is None:
            return
        from wqg_desktop.ui.dialogs.unit_dialog import UnitDialog

        dialog = UnitDialog(self.ctx, unit_id=unit_id, parent=self)
        dialog.saved.connect(self._unit_saved)
        self._show(dialog)

    def _unit_saved(self, unit_id: int) -> None:
        self._changed("Unit")
        if not self.isVisible():
            self.refresh()
        row = self.model.row_of(unit_id)
        if row >= 0:
            self.ui.units_table.selectRow(row)
            self.ui.units_table.scrollTo(self.model.index(row, 0))

    def open_detail(self) -> None:
        unit_id = self.selected_unit_id()
        if unit_id is None:
            return
        from wqg_desktop.ui.dialogs.unit_detail import UnitDetailDialog

        dialog = UnitDetailDialog(self.ctx, self.bus, unit_id, parent=self)
        self._show(dialog)

    def _reorganise(self, mode: str) -> None:
        unit_id = self.selected_unit_id()
        if unit_id is None:
            return
        from wqg_desktop.ui.dialogs.reorganise_dialog import ReorganiseDialog

        dialog = ReorganiseDialog(self.ctx, unit_id, mode, parent=self)
        dialog.done_change.connect(lambda: self._changed("Unit"))
        self._show(dialog)

    def open_regions(self) -> None:
        from wqg_desktop.ui.dialogs.regions_dialog import RegionsDialog

        dialog = RegionsDialog(self.ctx, parent=self)
        dialog.done_change.connect(self._changed)
        self._show(dialog)
