"""The main window on the demo database, driven as an officer would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from wqg_desktop.db.models import Office, Unit
from wqg_desktop.services import settings
from wqg_desktop.ui.dialogs.help_dialog import HelpDialog
from wqg_desktop.ui.dialogs.office_setup import OfficeSetupDialog
from wqg_desktop.ui.main_window import NAVIGATION, MainWindow
from wqg_desktop.ui.models.rows import OVERDUE_COLOUR


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_every_navigation_entry_opens_its_page(qtbot, demo_ctx) -> None:
    window = _window(qtbot, demo_ctx)
    assert [window.ui.nav_list.item(i).text() for i in range(window.ui.nav_list.count())] == NAVIGATION
    for row, title in enumerate(NAVIGATION):
        window.ui.nav_list.setCurrentRow(row)
        page = window.current_page()
        assert page.TITLE == title
        assert page.isVisible()
        assert not page._stale  # loaded from the database on show


def test_keyboard_shortcuts_switch_pages(qtbot, demo_ctx) -> None:
    window = _window(qtbot, demo_ctx)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)  # window shortcuts need an active window
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().TITLE == "单位名册"
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().TITLE == "系统设置"


def test_home_page_shows_overdue_items_in_red(qtbot, demo_ctx) -> None:
    window = _window(qtbot, demo_ctx)
    home = window.current_page()
    items = home.items
    assert items, "the demo database has deadlines"
    overdue_rows = [r for r in range(home.model.rowCount()) if home.model.row_at(r).overdue]
    assert overdue_rows, "the demo database has overdue items"
    brush = home.model.data(home.model.index(overdue_rows[0], 0), Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == OVERDUE_COLOUR
    home.ui.overdue_only_check.setChecked(True)
    assert home.model.rowCount() == len(overdue_rows)
    assert all(home.model.row_at(r).overdue for r in range(home.model.rowCount()))
    assert str(Office.get(Office.is_self == 1).name) in home.ui.office_label.text()


def test_units_page_filters_as_the_officer_types(qtbot, demo_ctx, type_chinese) -> None:
    window = _window(qtbot, demo_ctx)
    page = window.go_to("单位名册")
    total = Unit.select().count()
    assert page.model.rowCount() == total
    type_chinese(page.ui.search_edit, "拘留所")
    qtbot.waitUntil(lambda: page.model.rowCount() < total, timeout=2000)
    names = [page.model.row_at(r).name for r in range(page.model.rowCount())]
    assert names and all("拘留所" in n for n in names)
    assert page.ui.count_label.text() == f"共 {len(names)} 个单位"
    page.ui.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == total, timeout=2000)
    index = page.ui.county_combo.findText("市直")
    assert index > 0
    page.ui.county_combo.setCurrentIndex(index)
    assert 0 < page.model.rowCount() < total
    assert {page.model.row_at(r).region for r in range(page.model.rowCount())} == {"市直"}


def test_campaigns_page_lists_candidates_of_the_selected_campaign(qtbot, demo_ctx) -> None:
    window = _window(qtbot, demo_ctx)
    page = window.go_to("创建活动")
    assert page.campaigns.rowCount() >= 2
    page.ui.campaigns_table.selectRow(1)
    campaign = page.campaigns.row_at(1)
    assert page.candidates.rowCount() == campaign.candidates


def test_f1_opens_help_for_the_current_page(qtbot, demo_ctx) -> None:
    window = _window(qtbot, demo_ctx)
    window.go_to("单位名册")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.help_dialog
    assert isinstance(dialog, HelpDialog)
    assert "单位名册" in dialog.ui.help_browser.toPlainText()


def test_settings_page_backs_up_on_demand(qtbot, demo_ctx) -> None:
    window = _window(qtbot, demo_ctx)
    page = window.go_to("系统设置")
    qtbot.mouseClick(page.ui.backup_button, Qt.MouseButton.LeftButton)
    assert "已备份到" in page.ui.backup_status_label.text()


def test_first_start_dialog_validates_and_saves(qtbot, empty_ctx, type_chinese) -> None:
    dialog = OfficeSetupDialog()
    qtbot.addWidget(dialog)
    ok = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert "单位名称" in dialog.ui.error_label.text()
    type_chinese(dialog.ui.name_edit, "海安市公安局")
    assert dialog.ui.region_edit.text() == "海安市"  # guessed from the name as they type
    qtbot.keyClicks(dialog.ui.code_edit, "3206")
    assert "6 位数字" in dialog.ui.error_label.text()
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.ui.code_edit, "85")
    assert ok.isEnabled()
    type_chinese(dialog.ui.officer_edit, "周明")
    with qtbot.waitSignal(dialog.office_saved, timeout=1000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    office = Office.get(Office.is_self == 1)
    assert (office.name, office.region_name, office.region_code) == ("海安市公安局", "海安市", "320685")
    assert settings.get("officer_name") == "周明"


def test_closing_the_window_makes_an_automatic_backup(qtbot, demo_ctx) -> None:
    from wqg_desktop.exchange import backups

    window = _window(qtbot, demo_ctx)
    assert not [b for b in backups.list_backups(demo_ctx.db_path, counts=False)
                if b.label == backups.AUTO_LABEL]
    window.close()
    autos = [b for b in backups.list_backups(demo_ctx.db_path, counts=False)
             if b.label == backups.AUTO_LABEL]
    assert len(autos) == 1


def test_officer_changes_the_differential_reading_in_settings(qtbot, demo_ctx) -> None:
    window = _window(qtbot, demo_ctx)
    page = window.go_to("系统设置")
    qtbot.mouseClick(page.ui.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.settings_dialog
    dialog.ui.convention_combo.setCurrentIndex(dialog.ui.convention_combo.findData("fail20"))
    dialog.ui.officer_edit.clear()
    qtbot.keyClicks(dialog.ui.officer_edit, "Zhou")
    qtbot.mouseClick(dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert settings.get("differential_convention") == "fail20"
    assert window.officer_status.text() == "经办民警：Zhou"
    shown = [page.model.row_at(r)["value"] for r in range(page.model.rowCount())]
    assert any("淘汰口径" in v for v in shown)


def test_home_page_lists_this_offices_items_unless_asked_for_those_below(qtbot, demo_ctx) -> None:
    window = _window(qtbot, demo_ctx)
    home = window.current_page()
    office = Office.get(Office.is_self == 1).name
    assert {item.office for item in home.items} == {office}
    own = len(home.items)
    home.ui.include_below_check.setChecked(True)
    assert len(home.items) > own
    assert {item.office for item in home.items} - {office}
