"""One tab of the 日常工作台账 page: a list with its buttons, driven by a record kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QWidget

from wqg_desktop.errors import InputRefused
from wqg_desktop.ui import messages
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import allow, opens_row, tidy_table, writable_only

if TYPE_CHECKING:
    from wqg_desktop.ui.pages.records import RecordsPage
    from wqg_desktop.ui.pages.records_kinds import Filters, Kind

FORM = "records_list_panel"

MAX_COLUMN_PX = 320
NOTHING_TO_EXPORT = "列表中没有记录，没有可导出的内容"


def _cell(value: Any) -> str:
    from wqg_desktop.services.records_common import fmt_date

    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return fmt_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


class RecordsListPanel(QWidget):
    """Lists one kind of record under the page's filters; new, edit, delete, export."""

    def __init__(self, page: RecordsPage, kind: Kind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page, self.kind = page, kind
        self.ui = load_form(FORM, self, margins=False)
        columns = [Column(c.key, c.header, fmt=_cell) for c in kind.columns]
        self.model = RowsModel(columns, highlight=kind.highlight, parent=self)
        self.ui.records_table.setModel(self.model)
        tidy_table(self.ui.records_table)
        opens_row(self.ui.records_table, self.edit)
        self.ui.records_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.ui.new_button.setVisible(kind.can_new)
        self.ui.edit_button.setVisible(kind.can_edit)
        self.ui.delete_button.setVisible(kind.can_delete)
        self.ui.extra_button.setVisible(bool(kind.extra_label))
        self.ui.extra_button.setText(kind.extra_label)
        self.ui.extra_caption.setText(kind.combo_label)
        for widget in (self.ui.extra_caption, self.ui.extra_combo):
            widget.setVisible(bool(kind.combo_label))
        self.ui.new_button.clicked.connect(lambda: self._run(kind.new, self))
        self.ui.extra_button.clicked.connect(lambda: self._run(kind.extra, self, self.current()))
        self.ui.edit_button.clicked.connect(self.edit)
        self.ui.delete_button.clicked.connect(self.delete)
        self.ui.export_button.clicked.connect(self.export)
        self.ui.extra_combo.currentIndexChanged.connect(lambda _i: self.page.reload_panel(self))
        self.rows: list[Any] = []
        # every button but the export writes records
        writable_only((self.ui.new_button, self.ui.extra_button, self.ui.edit_button,
                       self.ui.delete_button), page.writable)
        allow(self.ui.export_button, NOTHING_TO_EXPORT)

    # -- data ------------------------------------------------------------------------------

    def load(self, filters: Filters) -> None:
        if self.kind.combo_label:
            current = self.ui.extra_combo.currentData()
            self.ui.extra_combo.blockSignals(True)
            self.ui.extra_combo.clear()
            for value, label in self.kind.combo_choices(filters):
                self.ui.extra_combo.addItem(label, value)
            found = self.ui.extra_combo.findData(current)
            self.ui.extra_combo.setCurrentIndex(max(found, 0))
            self.ui.extra_combo.blockSignals(False)
            filters.combo = self.ui.extra_combo.currentData()
        self.rows = self.kind.rows(filters)
        self.model.set_rows(self.rows)
        self._fit_columns()
        note = self.kind.note(filters, self.rows)
        self.ui.info_label.setText(note)
        self.ui.info_label.setVisible(bool(note))
        self.ui.count_label.setText(f"共 {len(self.rows)} 条")
        allow(self.ui.export_button, None if self.rows else NOTHING_TO_EXPORT)

    def _fit_columns(self) -> None:
        """Columns as wide as their contents, but a long text column no wider than 320 px."""
        header = self.ui.records_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.ui.records_table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            if header.sectionSize(column) > MAX_COLUMN_PX:
                header.resizeSection(column, MAX_COLUMN_PX)

    def current(self) -> Any | None:
        index = self.ui.records_table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    # -- actions ---------------------------------------------------------------------------

    def _run(self, action: Any, *args: Any) -> None:
        try:
            action(*args)
        except InputRefused as exc:
            messages.warn(self, exc.message)

    def edit(self) -> None:
        if not self.page.writable:
            return  # a double click on a read-only database opens nothing to save
        row = self.current()
        if row is None:
            messages.info(self, "请先在列表中选中一条记录。")
            return
        if self.kind.can_edit:
            self._run(self.kind.edit, self, row)

    def delete(self) -> None:
        row = self.current()
        if row is None:
            messages.info(self, "请先在列表中选中一条记录。")
            return
        what = self.kind.describe(row)
        if not messages.confirm(self, f"确定删除{what}吗？删除后不能恢复。", yes="删除"):
            return
        try:
            with self.page.ctx.acting("删除台账记录"):
                self.kind.delete(row)
        except InputRefused as exc:
            messages.warn(self, exc.message)
            return
        self.page.bus.notify(self.kind.entity)

    def export(self) -> None:
        suggested = f"{self.kind.title}.xlsx"
        path = messages.save_file(self, "导出 Excel", suggested, "Excel 工作簿 (*.xlsx)")
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        rows = self.rows
        if self.kind.sensitive and self.page.disclosure is not None:
            rows = self.page.rows_for_output(self, "导出 Excel")
            if rows is None:
                return
        try:
            count = self.kind.export(path, rows)
        except InputRefused as exc:
            messages.warn(self, exc.message)
            return
        messages.info(self, f"已导出 {count} 条记录到：\n{path}")

    def opened(self, dialog: Any) -> None:
        """Show an edit dialog without blocking; refresh the lists once it saved."""
        dialog.saved.connect(lambda _uuid: self.page.bus.notify(self.kind.entity))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.page.last_dialog = dialog
        dialog.open()
