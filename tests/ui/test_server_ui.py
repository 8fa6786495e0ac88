"""Using a shared database server from the window: logging in at start-up, the remembered
server in 系统设置, and a 录入员 not offered what only a 管理员 may do.

The user interface is tested on SQLite: the server's answers (password wanted, refused,
accepted) are stood in for by patching ``AppContext.open`` and ``server.connect``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from wqg_desktop import __main__ as gui_main
from wqg_desktop import paths
from wqg_desktop.app import AppContext
from wqg_desktop.db import server, server_login
from wqg_desktop.db.location import ServerAddress
from wqg_desktop.db.models import PoliceType, Region
from wqg_desktop.db.server import PasswordRequired, ServerLoginFailed
from wqg_desktop.domain import roles
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import titles, units
from wqg_desktop.ui import messages, startup
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.server_login import ADDRESS, ServerLoginDialog, compose
from wqg_desktop.ui.dialogs.title_actions_dialog import TitleActionsDialog
from wqg_desktop.ui.main_window import MainWindow
from wqg_desktop.ui.pages.exchange import ExchangePage
from wqg_desktop.ui.pages.settings_page import SettingsPage

URL = "postgresql://zhangsan@192.168.1.10/wqg"
REFUSED = "数据库服务器 192.168.1.10:5432 拒绝了账号 zhangsan：账号或密码不对。"


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """server.json and the installation secret of these tests stay in the test's folder."""
    monkeypatch.setenv("WQG_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def clerk():
    roles.set_current_role(roles.Role.CLERK)
    yield roles.Role.CLERK
    roles.set_current_role(roles.Role.ADMIN)


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    for name in ("info", "warn", "error"):
        monkeypatch.setattr(messages, name, lambda parent, text, *a, **k: said.append(text))
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: said.append(text) or True)
    return said


def _server_answers(monkeypatch, ctx: AppContext, answers: list[Exception | None]) -> list:
    """``AppContext.open`` answers in turn: an exception to raise, or ``None`` for ``ctx``."""
    tried: list = []

    def fake_open(target, **kwargs):
        tried.append(target)
        answer = answers.pop(0)
        if answer is not None:
            raise answer
        return ctx

    monkeypatch.setattr(AppContext, "open", staticmethod(fake_open))
    return tried


def _drive_login(monkeypatch, qtbot, steps) -> list[ServerLoginDialog]:
    """Stand in for the modal loop: show the dialog, let ``steps(dialog)`` act as the officer."""
    seen: list[ServerLoginDialog] = []

    def fake_exec(self: ServerLoginDialog) -> int:
        qtbot.addWidget(self)
        self.show()
        self.activateWindow()
        qtbot.waitExposed(self)
        seen.append(self)
        steps(self)
        return self.result()

    monkeypatch.setattr(ServerLoginDialog, "exec", fake_exec)
    return seen


def _type(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


# -- start-up ----------------------------------------------------------------------------------


def test_password_asked_then_refused_then_accepted(qtbot, ctx, monkeypatch, said) -> None:
    tried = _server_answers(monkeypatch, ctx, [
        PasswordRequired("请输入账号 zhangsan 在数据库服务器 192.168.1.10:5432 上的密码。"),
        ServerLoginFailed(REFUSED), None])
    texts: list[str] = []

    def officer(dialog: ServerLoginDialog) -> None:
        ui = dialog.ui
        assert ui.address_edit.text() == "postgresql://192.168.1.10/wqg"
        assert ui.address_edit.isReadOnly()
        assert ui.account_edit.text() == "zhangsan"
        assert ui.password_edit.echoMode() == ui.password_edit.EchoMode.Password
        assert "请输入账号 zhangsan" in ui.intro_label.text() and ui.error_label.text() == ""
        _type(qtbot, ui.password_edit, "wrong")
        qtbot.keyClick(ui.password_edit, Qt.Key.Key_Return)  # Enter submits
        texts.append(ui.error_label.text())
        assert dialog.result() != QDialog.DialogCode.Accepted  # stays open for another try
        assert ui.password_edit.selectedText() == "wrong"  # ready to be typed over
        _type(qtbot, ui.password_edit, "right-one")
        ui.remember_check.setChecked(True)
        qtbot.keyClick(ui.password_edit, Qt.Key.Key_Return)

    _drive_login(monkeypatch, qtbot, officer)
    window = startup.open_main_window(URL)
    assert window is not None
    qtbot.addWidget(window)
    assert texts == [REFUSED]
    assert [t.password for t in tried] == [None, "wrong", "right-one"]
    assert all(isinstance(t, ServerAddress) and t.display == URL for t in tried)
    assert said == []
    remembered = server_login.load()
    assert remembered is not None and remembered.display == URL
    assert remembered.address.password == "right-one"
    assert b"right-one" not in server_login.settings_path().read_bytes()


def test_another_account_and_no_remembered_password(qtbot, ctx, monkeypatch, said) -> None:
    server_login.remember(ServerAddress.parse(URL), password="old")
    tried = _server_answers(monkeypatch, ctx, [ServerLoginFailed(REFUSED), None])

    def officer(dialog: ServerLoginDialog) -> None:
        ui = dialog.ui
        assert ui.error_label.text() == REFUSED  # a refusal is shown as one
        assert ui.remember_check.isChecked()  # it had been remembered
        _type(qtbot, ui.account_edit, "lisi")
        _type(qtbot, ui.password_edit, "pw-of-lisi")
        ui.remember_check.setChecked(False)
        dialog.ok_button.click()

    _drive_login(monkeypatch, qtbot, officer)
    assert startup.open_context(ServerAddress.parse(URL).with_password("old")) is ctx
    assert tried[-1].user == "lisi" and tried[-1].password == "pw-of-lisi"
    remembered = server_login.load()
    assert remembered.display == "postgresql://lisi@192.168.1.10/wqg"
    assert not remembered.has_password


def test_cancel_ends_the_start_cleanly(qtbot, ctx, monkeypatch, said) -> None:
    tried = _server_answers(monkeypatch, ctx, [PasswordRequired("请输入密码。")])
    _drive_login(monkeypatch, qtbot, lambda dialog: dialog.ui.button_box.rejected.emit())
    assert startup.open_main_window(URL) is None
    assert len(tried) == 1 and said == []
    assert server_login.load() is None  # nothing remembered from a start that did not happen


def test_a_bad_address_on_the_command_line_is_explained(qtbot, said) -> None:
    assert startup.open_main_window("postgresql://192.168.1.10/wqg") is None
    assert "缺少账号名" in said[0]


def _tab_order(dialog: QDialog, start) -> list:
    """The widgets Tab visits from ``start``, in order (what QWidget.focusNextChild follows)."""
    order, widget = [start], start.nextInFocusChain()
    while widget is not start:
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(dialog)
                and widget.isEnabled()):
            order.append(widget)
        widget = widget.nextInFocusChain()
    return order


def test_keyboard_order_of_the_login_dialog(qtbot) -> None:
    dialog = ServerLoginDialog(ServerAddress.parse(URL), opener=lambda a: None)
    qtbot.addWidget(dialog)
    dialog.show()
    ui = dialog.ui
    assert dialog.focusWidget() is ui.password_edit  # the account is known already
    cancel = ui.button_box.button(ui.button_box.StandardButton.Cancel)
    # the fixed address is skipped; the hidden 测试连接 too
    assert _tab_order(dialog, ui.account_edit) == [
        ui.account_edit, ui.password_edit, ui.remember_check, dialog.ok_button, cancel]
    assert dialog.ok_button.isDefault()


def test_keyboard_order_of_the_address_dialog(qtbot) -> None:
    dialog = ServerLoginDialog(None, mode=ADDRESS)
    qtbot.addWidget(dialog)
    dialog.show()
    ui = dialog.ui
    assert dialog.focusWidget() is ui.address_edit
    cancel = ui.button_box.button(ui.button_box.StandardButton.Cancel)
    assert _tab_order(dialog, ui.address_edit) == [
        ui.address_edit, ui.account_edit, ui.password_edit, ui.remember_check, ui.test_button,
        dialog.ok_button, cancel]
    assert not ui.test_button.autoDefault()  # Enter saves, it does not test


def _run_main(monkeypatch, argv: list[str]) -> list:
    opened: list = []
    monkeypatch.setattr(startup, "open_main_window",
                        lambda target, read_only=False: opened.append(target))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        assert gui_main.main(argv) == 1  # no window: the stand-in opened nothing
    finally:  # main() logs to the data folder's file: leave the logging as it was
        for handler in set(root.handlers) - set(handlers):
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
    return opened


def test_the_command_line_takes_a_server_address(qtbot, monkeypatch) -> None:
    opened = _run_main(monkeypatch, ["--db", "postgresql://zhangsan:pw@192.168.1.10:5433/wqg"])
    assert isinstance(opened[0], ServerAddress)
    assert opened[0].port == 5433 and opened[0].password == "pw"
    log = (paths.logs_dir() / "wqg-desktop.log").read_text(encoding="utf-8")
    assert "192.168.1.10:5433/wqg" in log and ":pw@" not in log


def test_without_db_the_remembered_server_is_opened(qtbot, monkeypatch) -> None:
    assert _run_main(monkeypatch, []) == [paths.default_db_path()]
    server_login.remember(ServerAddress.parse(URL), password="sealed")
    opened = _run_main(monkeypatch, [])
    assert opened[0] == ServerAddress.parse(URL) and opened[0].password == "sealed"


# -- the window on a server ----------------------------------------------------------------


@pytest.fixture
def on_server(ctx, monkeypatch) -> AppContext:
    """The SQLite ``ctx`` dressed as a server database opened by account zhangsan."""
    monkeypatch.setattr(ctx.opened, "server", ServerAddress.parse(URL))
    monkeypatch.setattr(ctx.opened, "account", "zhangsan")
    return ctx


def test_status_bar_shows_where_the_data_is_and_the_account(qtbot, on_server, clerk) -> None:
    window = MainWindow(on_server)
    qtbot.addWidget(window)
    assert window.db_status.text() == f"数据库：{URL}"
    assert window.account_status is not None
    assert window.account_status.text() == "账号 zhangsan（录入员）"


def test_status_bar_on_a_file(qtbot, ctx) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.db_status.text() == f"数据库：{ctx.db_path}"
    assert window.account_status is None


def _settings(qtbot, ctx) -> SettingsPage:
    page = SettingsPage(ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    return page


def test_settings_page_on_a_file(qtbot, ctx) -> None:
    page = _settings(qtbot, ctx)
    assert page.ui.db_value.text() == str(ctx.db_path)
    assert not page.ui.account_value.isVisible() and not page.ui.role_value.isVisible()
    assert "本机数据库文件" in page.ui.next_start_label.text()
    assert page.ui.server_button.isEnabled()
    assert not page.ui.local_button.isEnabled()  # nothing to forget


def test_settings_page_on_a_server_as_admin(qtbot, on_server) -> None:
    page = _settings(qtbot, on_server)
    assert page.ui.db_value.text() == URL
    assert page.ui.account_value.isVisible() and page.ui.account_value.text() == "zhangsan"
    assert page.ui.role_value.text() == "管理员"
    assert page.ui.edit_button.isEnabled() and page.ui.server_button.isEnabled()


def test_settings_page_as_clerk_offers_no_changes(qtbot, on_server, clerk) -> None:
    server_login.remember(ServerAddress.parse(URL))
    page = _settings(qtbot, on_server)
    assert page.ui.role_value.text() == "录入员"
    for button in (page.ui.edit_button, page.ui.server_button, page.ui.local_button):
        assert not button.isEnabled()
        assert button.toolTip().startswith("只有管理员可以修改系统设置")


def test_connect_dialog_tests_and_saves_for_the_next_start(qtbot, ctx, monkeypatch, said) -> None:
    page = _settings(qtbot, ctx)
    qtbot.mouseClick(page.ui.server_button, Qt.MouseButton.LeftButton)
    dialog = page.server_dialog
    assert dialog is not None and dialog.mode == ADDRESS and not dialog.ui.address_edit.isReadOnly()
    ui = dialog.ui
    _type(qtbot, ui.address_edit, "192.168.1.10/wqg")
    _type(qtbot, ui.account_edit, "zhangsan")
    _type(qtbot, ui.password_edit, "first-try")

    closed: list[bool] = []

    class FakeDb:
        def close(self) -> None:
            closed.append(True)

    connected: list[ServerAddress] = []

    def refuse(address, **kw):
        connected.append(address)
        raise ServerLoginFailed(REFUSED)

    monkeypatch.setattr(server, "connect", refuse)
    qtbot.mouseClick(ui.test_button, Qt.MouseButton.LeftButton)
    assert ui.error_label.text() == REFUSED and ui.test_label.text() == ""
    assert connected[0].display == URL and connected[0].password == "first-try"

    monkeypatch.setattr(server, "connect", lambda address, **kw: connected.append(address) or FakeDb())
    monkeypatch.setattr(server, "account_role", lambda db: roles.Role.CLERK)
    _type(qtbot, ui.password_edit, "s3cret")
    qtbot.mouseClick(ui.test_button, Qt.MouseButton.LeftButton)
    assert ui.test_label.text() == "连接成功：账号 zhangsan 在这台服务器上是录入员。"
    assert ui.error_label.text() == "" and closed == [True]  # a throwaway connection

    monkeypatch.setattr(server, "account_role", lambda db: None)
    qtbot.mouseClick(ui.test_button, Qt.MouseButton.LeftButton)
    assert "没有维权岗程序的角色" in ui.error_label.text() and closed == [True, True]

    ui.remember_check.setChecked(True)
    qtbot.keyClick(ui.password_edit, Qt.Key.Key_Return)  # Enter saves, it does not test
    assert len(connected) == 3
    assert dialog.result() == QDialog.DialogCode.Accepted
    remembered = server_login.load()
    assert remembered.display == URL and remembered.address.password == "s3cret"
    assert "下次启动时生效" in said[-1] and URL in said[-1]
    assert URL in page.ui.next_start_label.text() and "已记住密码" in page.ui.next_start_label.text()
    assert page.ui.local_button.isEnabled()

    # opened again: the remembered password is used, never shown
    qtbot.mouseClick(page.ui.server_button, Qt.MouseButton.LeftButton)
    again = page.server_dialog
    assert again is not dialog and again.ui.password_edit.text() == ""
    assert again.ui.remember_check.isChecked()
    assert again.address_from_fields().password == "s3cret"

    # back to the file on this PC
    again.reject()
    qtbot.mouseClick(page.ui.local_button, Qt.MouseButton.LeftButton)
    assert server_login.load() is None
    assert "本机数据库文件" in page.ui.next_start_label.text()
    assert not page.ui.local_button.isEnabled()


def test_compose_reads_what_people_type() -> None:
    assert compose("192.168.1.10/wqg", "zhangsan", "").display == URL
    assert compose("postgresql://lisi@192.168.1.10/wqg", "", "p").user == "lisi"
    assert compose("postgresql://lisi:pw@192.168.1.10/wqg", "zhangsan", "").password == "pw"
    assert compose("postgresql://192.168.1.10:6543/wqg", "zhangsan", "x").port == 6543
    for address, account in (("", "zhangsan"), ("192.168.1.10/wqg", ""), ("192.168.1.10", "a")):
        with pytest.raises(InputRefused):
            compose(address, account, "")


def test_an_address_that_cannot_be_saved_stays_in_the_dialog(qtbot, ctx, said) -> None:
    dialog = ServerLoginDialog(None, mode=ADDRESS)
    qtbot.addWidget(dialog)
    dialog.ui.account_edit.setText("zhangsan")
    dialog.ok_button.click()
    assert "请填写服务器地址" in dialog.ui.error_label.text()
    assert dialog.result() != QDialog.DialogCode.Accepted and server_login.load() is None


# -- a 录入员 is not offered what only a 管理员 may do --------------------------------------


def _a_title(ctx) -> None:
    today = ctx.today()
    with ctx.acting("测试"):
        unit = units.create_unit(units.UnitFields(
            name="海安市公安局城东派出所", region_id=Region.get(Region.name == "海安市").id,
            police_type_id=PoliceType.select().first().id), today=today)
        titles.record_title(unit=unit, level="县", term=today.year - 1,
                            named_on=dt.date(today.year - 1, 6, 1), today=today,
                            naming_bodies=["海安市公安局"], certificate_no="测〔0000〕第001号")


def test_title_actions_that_end_a_title_are_for_admins(qtbot, ctx, clerk) -> None:
    _a_title(ctx)
    dialog = TitleActionsDialog(ctx)
    qtbot.addWidget(dialog)
    combo = dialog.ui.action_combo
    actions = [combo.itemData(i) for i in range(combo.count())]
    assert "revoke" in actions and "rereview_pass" in actions
    combo.setCurrentIndex(actions.index("rereview_pass"))
    assert dialog.ok_button.isEnabled()  # re-reviewing is a 录入员's work too
    for action in ("revoke", "deregister"):
        combo.setCurrentIndex(actions.index(action))
        assert not dialog.ok_button.isEnabled()
        assert dialog.ok_button.toolTip().startswith("只有管理员可以撤销或注销称号")
        assert dialog.ui.error_label.text() == dialog.ok_button.toolTip()
        assert not dialog.ui.finding_edit.isEnabled()


def test_title_actions_as_admin(qtbot, ctx) -> None:
    _a_title(ctx)
    dialog = TitleActionsDialog(ctx)
    qtbot.addWidget(dialog)
    combo = dialog.ui.action_combo
    combo.setCurrentIndex(combo.findData("revoke"))
    assert dialog.ok_button.isEnabled() and dialog.ui.finding_edit.isEnabled()


def test_exchange_page_offers_no_merge_or_restore_to_a_clerk(qtbot, ctx, clerk) -> None:
    from wqg_desktop.db.connection import backup_path, backup_to

    backup_to(ctx.opened.db, backup_path(ctx.db_path, "手动"))
    page = ExchangePage(ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert not page.ui.import_button.isEnabled()
    assert page.ui.import_button.toolTip().startswith("只有管理员可以导入和汇总上报包")
    page.ui.backups_table.selectRow(0)
    assert not page.ui.restore_button.isEnabled()
    assert page.ui.restore_button.toolTip().startswith("只有管理员可以从备份恢复")
    assert page.ui.export_button.isEnabled()  # making a package is not reserved


def test_exchange_page_as_admin(qtbot, ctx) -> None:
    from wqg_desktop.db.connection import backup_path, backup_to

    backup_to(ctx.opened.db, backup_path(ctx.db_path, "手动"))
    page = ExchangePage(ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.ui.import_button.isEnabled()
    page.ui.backups_table.selectRow(0)
    assert page.ui.restore_button.isEnabled()


def test_units_page_offers_no_end_of_youth_work_to_a_clerk(qtbot, ctx, clerk) -> None:
    from wqg_desktop.ui.pages.units import UnitsPage

    _a_title(ctx)
    page = UnitsPage(ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.ui.units_table.selectRow(0)
    assert page.ui.edit_button.isEnabled()  # entering records is a 录入员's work
    assert not page.ui.youth_end_button.isEnabled()
    assert page.ui.youth_end_button.toolTip().startswith("只有管理员可以撤销或注销称号")


@pytest.mark.skipif(not os.environ.get("WQG_TEST_POSTGRES"), reason="没有 PostgreSQL 测试服务器")
def test_connection_test_against_a_real_server(qtbot) -> None:
    """The one test here that talks to a server: 测试连接 needs no database of its own."""
    real = ServerAddress.parse(os.environ["WQG_TEST_POSTGRES"])
    dialog = ServerLoginDialog(None, mode=ADDRESS)
    qtbot.addWidget(dialog)
    ui = dialog.ui
    ui.address_edit.setText(real.with_password(None).display)
    ui.password_edit.setText(real.password or "")
    dialog.test_connection()
    assert ui.test_label.text() == f"连接成功：账号 {real.user} 在这台服务器上是管理员。"
    ui.password_edit.setText("certainly-not-the-password")
    dialog.test_connection()
    assert "账号或密码不对" in ui.error_label.text() and ui.test_label.text() == ""
