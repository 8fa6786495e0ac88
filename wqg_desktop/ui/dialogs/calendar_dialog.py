"""工作日历 dialog: a year's holidays and 调休 working days, entered, changed, deleted or imported.

Opened from 系统设置 with ``open()``; ``changed`` after every change, so the pages that count
working days (首页, 创建活动, 台账) refresh. The rules live in ``services/calendar.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import WqgError
from wqg_desktop.services import calendar
from wqg_desktop.ui import messages
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog, widget_state
from wqg_desktop.ui.dialogs.validation import run_action, show_check
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import tidy_table

FORM = "calendar_dialog"

COLUMNS = [
    Column("day", "日期", fmt=format_date),
    Column("weekday", "星期"),
    Column("kind", "类型"),
    Column("name", "名称"),
]

IMPORT_FILTERS = "节假日安排 (*.xlsx *.json);;Excel 工作簿 (*.xlsx);;JSON 文件 (*.json)"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class CalendarDialog(GuardedDialog):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 year: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = load_form(FORM, self)
        self.setWindowTitle("工作日历")
        self.setMinimumSize(640, 420)
        self.resize(860, 470)
        self.model = RowsModel(COLUMNS, parent=self)
        self.ui.days_table.setModel(self.model)
        tidy_table(self.ui.days_table)  # the name, last, takes the rest of the width
        self.ui.main_splitter.setSizes([480, 380])
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.save_button.setDefault(True)
        self.ui.save_button.setAutoDefault(True)
        self._editing: dt.date | None = None
        writable = not ctx.opened.read_only
        self.ui.editor_widget.setEnabled(writable)
        self.ui.import_button.setEnabled(writable)
        if not writable:
            self.ui.status_label.setText("数据库以只读方式打开，工作日历只能查看。")
        # open on the first year still missing (that is why the officer came), else this year
        missing = calendar.missing_years(ctx.today())
        self.ui.year_spin.setValue(year or (missing[0] if missing else ctx.today().year))
        self.ui.year_spin.valueChanged.connect(lambda _y: self._load())
        self.ui.days_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_row(cur.row()))
        self.ui.new_button.clicked.connect(self.start_new)
        self.ui.save_button.clicked.connect(self.save)
        self.ui.delete_button.clicked.connect(self.delete)
        self.ui.import_button.clicked.connect(self.import_file)
        # the calendar's own span (calendar.FIRST_YEAR…LAST_YEAR): holidays are published
        # for years ahead, so it is not the range of the dates officers record
        self.ui.date_edit.setDateRange(_qdate(dt.date(calendar.FIRST_YEAR, 1, 1)),
                                       _qdate(dt.date(calendar.LAST_YEAR, 12, 31)))
        self.ui.date_edit.dateChanged.connect(lambda _d: self.validate())
        self.ui.holiday_radio.toggled.connect(lambda _on: self.validate())
        self.ui.weekend_check.toggled.connect(lambda _on: self.validate())
        self.ui.name_edit.textChanged.connect(lambda _t: self.validate())
        self._load()

    def input_state(self) -> dict:
        # the editor beside the list; the year box and the list only choose what it shows
        return widget_state(self, within=self.ui.editor_widget)

    # -- loading ---------------------------------------------------------------------------

    def year(self) -> int:
        return int(self.ui.year_spin.value())

    def _load(self, select: dt.date | None = None) -> None:
        year = self.year()
        rows = calendar.days_of_year(year)
        self.model.set_rows(rows)
        holidays = [r for r in rows if not r.workday]
        weekends = sum(1 for r in holidays if r.day.weekday() >= 5)
        self.ui.summary_label.setText(
            f"{year} 年：放假 {len(holidays)} 天" + (f"（其中周末 {weekends} 天）" if weekends else "")
            + f"，调休上班 {len(rows) - len(holidays)} 天")
        self._show_warning(year, covered=bool(rows))
        index = next((k for k, r in enumerate(rows) if r.day == select), -1)
        if index >= 0:
            self.ui.days_table.selectRow(index)
            self._show_row(index)
        else:
            self.start_new()

    def _show_warning(self, year: int, *, covered: bool) -> None:
        missing = calendar.missing_years(self.ctx.today())
        lines = [calendar.missing_warning(missing) or ""]
        if not covered and year not in missing:
            lines.append(f"{year} 年尚未录入任何日子，该年的工作日按周一至周五计算。")
        text = "\n".join(line for line in lines if line)
        self.ui.warning_label.setText(text)
        self.ui.warning_label.setVisible(bool(text))

    def _show_row(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        item: calendar.DayRow = self.model.row_at(row)
        self._editing = item.day
        self.ui.mode_label.setText(f"修改 {format_date(item.day)}")
        self.ui.date_edit.setDate(_qdate(item.day))
        (self.ui.workday_radio if item.workday else self.ui.holiday_radio).setChecked(True)
        self.ui.name_edit.setText(item.name)
        # a weekend holiday on the list was stated when it was entered
        self.ui.weekend_check.setChecked(not item.workday and item.day.weekday() >= 5)
        self.ui.delete_button.setEnabled(True)
        self.validate()
        self.mark_clean()

    # -- editing ---------------------------------------------------------------------------

    def start_new(self) -> None:
        self._editing = None
        self.ui.days_table.clearSelection()
        self.ui.mode_label.setText("新增一天")
        year = self.year()
        today = self.ctx.today()
        self.ui.date_edit.setDate(_qdate(today if today.year == year else dt.date(year, 1, 1)))
        self.ui.holiday_radio.setChecked(True)
        self.ui.weekend_check.setChecked(False)
        self.ui.name_edit.clear()
        self.ui.delete_button.setEnabled(False)
        self.validate()
        self.mark_clean()
        if self.isVisible():
            self.ui.date_edit.setFocus()

    def _fields(self) -> dict[str, Any]:
        return dict(workday=self.ui.workday_radio.isChecked(), name=self.ui.name_edit.text(),
                    weekend_holiday=self.ui.weekend_check.isChecked())

    def _day(self) -> dt.date:
        return self.ui.date_edit.date().toPython()

    def validate(self) -> bool:
        """Check the day as typed: the weekday beside the date, the red line says what to fix."""
        day = self._day()
        weekend = day.weekday() >= 5
        self.ui.weekday_label.setText(calendar.weekday_label(day))
        self.ui.weekend_check.setEnabled(weekend and self.ui.holiday_radio.isChecked())
        return show_check(lambda: calendar.check_day(day=day, **self._fields()),
                          self.ui.error_label, self.ui.save_button)

    def _run(self, reason: str, action: Callable[[], object]) -> object | None:
        return run_action(self.ctx, reason, action, self.ui.error_label, self.changed.emit)

    def save(self) -> None:
        if not self.ui.editor_widget.isEnabled() or not self.validate():
            return
        day, fields, editing = self._day(), self._fields(), self._editing
        if editing is None:
            saved = self._run("补录工作日历", lambda: calendar.add_day(day=day, **fields))
        else:
            saved = self._run("修改工作日历", lambda: calendar.update_day(
                day=editing, new_day=day, **fields))
        if isinstance(saved, calendar.DayRow):
            self.ui.status_label.setText(
                f"已保存：{format_date(saved.day)}（{saved.weekday}）{saved.kind}，{saved.name}。")
            self._go_to(saved.day)

    def _go_to(self, day: dt.date) -> None:
        if self.year() != day.year:
            self.ui.year_spin.blockSignals(True)
            self.ui.year_spin.setValue(day.year)
            self.ui.year_spin.blockSignals(False)
        self._load(select=day)

    def delete(self) -> None:
        day = self._editing
        if day is None:
            return
        row = next((r for r in calendar.days_of_year(day.year) if r.day == day), None)
        if row is None:
            self._load()
            return
        if not messages.confirm(self, f"从工作日历中删除 {format_date(day)}（{row.weekday}）"
                                      f"{row.kind}“{row.name}”？删除后这一天按周一至周五计算。",
                                yes="删除"):
            return
        if self._run("删除工作日历中的一天", lambda: calendar.remove_day(day=day)):
            self.ui.status_label.setText(f"已删除 {format_date(day)}。")
            self._load()

    def import_file(self) -> None:
        path = messages.open_file(self, "导入节假日安排", IMPORT_FILTERS)
        if path is None:
            return
        try:
            with self.ctx.acting(f"导入节假日安排（{path.name}）"):
                report = calendar.import_schedule(path=path)
        except WqgError as err:
            # a refused file lists every problem line: too long for the red line
            messages.error(self, err.message)
            return
        self.changed.emit()
        self.ui.status_label.setText(report.message())
        self._go_to(dt.date(report.years[0], 1, 1))
