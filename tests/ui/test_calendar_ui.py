"""工作日历 dialog, opened from 系统设置 and driven as an officer would; the 首页 warning line."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import QDate, Qt

from wqg_desktop.db.models import CalendarDay
from wqg_desktop.services import calendar
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.home import HomePage
from wqg_desktop.ui.pages.settings_page import SettingsPage

CLICK = Qt.MouseButton.LeftButton
D = dt.date


@pytest.fixture
def page(ctx, qtbot):
    bus = Bus()
    widget = SettingsPage(ctx, bus)
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, bus


def open_dialog(qtbot, widget):
    qtbot.mouseClick(widget.ui.calendar_button, CLICK)
    dialog = widget.calendar_dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_add_new_year_2027_with_the_keyboard(page, qtbot, type_chinese) -> None:
    widget, bus = page
    seen: list[str] = []
    bus.changed.connect(seen.append)
    dialog = open_dialog(qtbot, widget)
    # it opens on the year that is missing, and says so
    assert dialog.ui.year_spin.value() == 2027
    assert "2027 年的节假日安排尚未录入" in dialog.ui.warning_label.text()
    assert dialog.model.rowCount() == 0
    dialog.ui.date_edit.setDate(QDate(2027, 1, 1))
    assert dialog.ui.weekday_label.text() == "星期五"
    assert not dialog.ui.save_button.isEnabled()  # no name yet
    assert "请填写名称" in dialog.ui.error_label.text()
    type_chinese(dialog.ui.name_edit, "元旦")
    assert dialog.ui.save_button.isEnabled()
    qtbot.keyClick(dialog.ui.name_edit, Qt.Key.Key_Return)  # Enter saves
    row = CalendarDay.get_by_id(D(2027, 1, 1))
    assert (row.workday, row.name) == (False, "元旦")
    assert "CalendarDay" in seen
    assert dialog.model.rowCount() == 1
    assert dialog.ui.warning_label.isHidden()
    assert "已保存" in dialog.ui.status_label.text()
    # the publicity that ran into the holiday now ends a day later
    assert calendar.period_end_checked(D(2026, 12, 28), 7) == calendar.Dated(D(2027, 1, 6), None)


def test_weekend_and_tiaoxiu_rules_show_as_typed(page, qtbot, type_chinese) -> None:
    widget, _bus = page
    dialog = open_dialog(qtbot, widget)
    dialog.ui.date_edit.setDate(QDate(2027, 1, 2))  # a Saturday
    type_chinese(dialog.ui.name_edit, "元旦")
    assert "周末也列入假期" in dialog.ui.error_label.text()
    assert not dialog.ui.save_button.isEnabled()
    assert dialog.ui.weekend_check.isEnabled()
    qtbot.keyClick(dialog.ui.weekend_check, Qt.Key.Key_Space)
    assert dialog.ui.save_button.isEnabled() and dialog.ui.error_label.text() == ""
    # a 调休 working day on a Monday is refused
    qtbot.mouseClick(dialog.ui.workday_radio, CLICK)
    dialog.ui.date_edit.setDate(QDate(2027, 1, 4))
    assert "只能是星期六或星期日" in dialog.ui.error_label.text()
    assert not dialog.ui.weekend_check.isEnabled()
    qtbot.mouseClick(dialog.ui.save_button, CLICK)
    assert calendar.days_of_year(2027) == []


def test_edit_then_delete_with_confirmation(page, qtbot, type_chinese, monkeypatch) -> None:
    widget, _bus = page
    with widget.ctx.acting("测试"):
        calendar.add_day(day=D(2027, 1, 1), workday=False, name="新年")
    dialog = open_dialog(qtbot, widget)
    dialog.ui.year_spin.setValue(2027)
    dialog.ui.days_table.selectRow(0)
    assert dialog.ui.mode_label.text() == "修改 2027年1月1日"
    dialog.ui.name_edit.clear()
    type_chinese(dialog.ui.name_edit, "元旦")
    qtbot.mouseClick(dialog.ui.save_button, CLICK)
    assert CalendarDay.get_by_id(D(2027, 1, 1)).name == "元旦"
    assert CalendarDay.select().where(CalendarDay.day >= D(2027, 1, 1)).count() == 1

    asked: list[str] = []
    answer = {"yes": False}

    def confirm(_parent, text, *args, **kwargs):
        asked.append(text)
        return answer["yes"]

    monkeypatch.setattr(messages, "confirm", confirm)
    dialog.ui.days_table.selectRow(0)
    qtbot.mouseClick(dialog.ui.delete_button, CLICK)
    assert "2027年1月1日" in asked[0] and "元旦" in asked[0]
    assert CalendarDay.get_or_none(CalendarDay.day == D(2027, 1, 1)) is not None  # cancelled
    answer["yes"] = True
    qtbot.mouseClick(dialog.ui.delete_button, CLICK)
    assert CalendarDay.get_or_none(CalendarDay.day == D(2027, 1, 1)) is None
    assert dialog.model.rowCount() == 0
    assert "2027 年的节假日安排尚未录入" in dialog.ui.warning_label.text()


def test_import_a_schedule_file(page, qtbot, tmp_path, monkeypatch) -> None:
    widget, _bus = page
    path = tmp_path / "2027.json"
    path.write_text(json.dumps({"years": {"2027": {
        "holidays": [["2027-01-01", "元旦"]], "workdays": [["2027-02-20", "春节调休"]]}}},
        ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: path)
    dialog = open_dialog(qtbot, widget)
    qtbot.mouseClick(dialog.ui.import_button, CLICK)
    assert "新增 2 天" in dialog.ui.status_label.text()
    assert dialog.ui.year_spin.value() == 2027 and dialog.model.rowCount() == 2
    assert calendar.exceptions()[D(2027, 2, 20)] is True
    # a refused file is explained in a message box, and nothing changes
    bad = tmp_path / "bad.json"
    bad.write_text('{"years": {"2027": {"workdays": [["2027-03-01", "调休"]]}}}', encoding="utf-8")
    errors: list[str] = []
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: bad)
    monkeypatch.setattr(messages, "error", lambda _p, text, *a, **k: errors.append(text))
    qtbot.mouseClick(dialog.ui.import_button, CLICK)
    assert errors and "只能是星期六或星期日" in errors[0]
    assert D(2027, 3, 1) not in calendar.exceptions()


def test_home_page_warns_while_next_year_is_missing(ctx, qtbot) -> None:
    bus = Bus()
    home = HomePage(ctx, bus)
    qtbot.addWidget(home)
    home.resize(900, 480)
    home.show()
    qtbot.waitExposed(home)
    label = home.ui.calendar_warning_label
    assert label.isVisible() and "2027 年的节假日安排尚未录入" in label.text()
    with ctx.acting("测试"):
        calendar.add_day(day=D(2027, 1, 1), workday=False, name="元旦")
    bus.notify("CalendarDay")
    assert not label.isVisible()
