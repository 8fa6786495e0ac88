"""账号管理 dialog and its button in 系统设置, without a server: the account service's
functions are replaced by fakes that keep the accounts in a list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from wqg_desktop.domain import roles
from wqg_desktop.domain.roles import Role
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import accounts
from wqg_desktop.services.accounts import Account
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.accounts_dialog import MISMATCH, AccountsDialog
from wqg_desktop.ui.pages.settings_page import SettingsPage

CLICK = Qt.MouseButton.LeftButton


class FakeServer:
    """Stands in for the account functions of ``services.accounts``; records every call."""

    def __init__(self) -> None:
        self.accounts = [Account("lisi", Role.CLERK, True), Account("wangwu", Role.CLERK, False),
                         Account("zhangsan", Role.ADMIN, True)]
        self.calls: list[tuple] = []
        self.refuse: str | None = None

    def _call(self, *call) -> None:
        self.calls.append(call)
        if self.refuse:
            raise InputRefused(self.refuse)

    def list_accounts(self) -> list[Account]:
        return sorted(self.accounts, key=lambda a: a.login)

    def add_account(self, login: str, password: str, role: Role) -> Account:
        self._call("add", login, password, role)
        account = Account(login, role, True)
        self.accounts.append(account)
        return account

    def set_role(self, login: str, role: Role) -> Account:
        self._call("role", login, role)
        self.accounts = [Account(a.login, role, a.can_login) if a.login == login else a
                         for a in self.accounts]
        return Account(login, role, True)

    def set_password(self, login: str, password: str) -> None:
        self._call("password", login, password)

    def remove_account(self, login: str) -> None:
        self._call("remove", login)
        self.accounts = [Account(a.login, a.role, False) if a.login == login else a
                         for a in self.accounts]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    server = FakeServer()
    for name in ("list_accounts", "add_account", "set_role", "set_password", "remove_account"):
        monkeypatch.setattr(accounts, name, getattr(server, name))
    return server


@pytest.fixture
def dialog(ctx, qtbot, fake):
    widget = AccountsDialog(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _cells(dialog: AccountsDialog) -> list[list[str]]:
    model = dialog.model
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def _select(dialog: AccountsDialog, login: str) -> None:
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.row_at(r).login == login)
    dialog.ui.accounts_table.selectRow(row)


def test_the_table_shows_the_accounts(dialog) -> None:
    assert [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "账号", "角色", "状态"]
    assert _cells(dialog) == [["lisi", "录入员", "可登录"], ["wangwu", "录入员", "已停用"],
                              ["zhangsan", "管理员", "可登录"]]
    # nothing selected: only 新增账号 is offered
    assert dialog.ui.add_button.isEnabled()
    assert not dialog.ui.role_button.isEnabled()
    assert not dialog.ui.remove_button.isEnabled()
    _select(dialog, "wangwu")
    assert dialog.ui.role_button.isEnabled()
    assert not dialog.ui.remove_button.isEnabled()  # already stopped
    assert "已经停用" in dialog.ui.remove_button.toolTip()


def test_add_an_account(dialog, fake, qtbot) -> None:
    qtbot.mouseClick(dialog.ui.add_button, CLICK)
    assert dialog.ui.password_edit.echoMode() == dialog.ui.password_edit.EchoMode.Password
    assert dialog.ui.repeat_edit.echoMode() == dialog.ui.repeat_edit.EchoMode.Password
    qtbot.keyClicks(dialog.ui.login_edit, "zhaoliu")
    dialog.ui.role_combo.setCurrentIndex(dialog.ui.role_combo.findData(Role.ADMIN))
    qtbot.keyClicks(dialog.ui.password_edit, "mima12345")
    qtbot.keyClicks(dialog.ui.repeat_edit, "mima12345")
    qtbot.keyClick(dialog.ui.repeat_edit, Qt.Key.Key_Return)
    assert fake.calls == [("add", "zhaoliu", "mima12345", Role.ADMIN)]
    assert ["zhaoliu", "管理员", "可登录"] in _cells(dialog)
    assert "已新增账号 zhaoliu" in dialog.ui.status_label.text()
    assert dialog.ui.password_edit.text() == ""  # the password is not kept in the dialog
    assert dialog.selected().login == "zhaoliu"


def test_mismatched_passwords_are_refused_before_the_server(dialog, fake, qtbot) -> None:
    qtbot.mouseClick(dialog.ui.add_button, CLICK)
    qtbot.keyClicks(dialog.ui.login_edit, "zhaoliu")
    qtbot.keyClicks(dialog.ui.password_edit, "mima12345")
    qtbot.keyClicks(dialog.ui.repeat_edit, "mima12346")
    qtbot.mouseClick(dialog.ui.apply_button, CLICK)
    assert fake.calls == []
    assert dialog.ui.error_label.text() == MISMATCH
    assert dialog.ui.login_edit.text() == "zhaoliu"  # what was typed stays
    assert dialog.ui.password_edit.text() == "mima12345"
    # the same check when resetting a password
    _select(dialog, "lisi")
    qtbot.mouseClick(dialog.ui.password_button, CLICK)
    qtbot.keyClicks(dialog.ui.password_edit, "xinmima123")
    qtbot.keyClicks(dialog.ui.repeat_edit, "xinmima124")
    qtbot.mouseClick(dialog.ui.apply_button, CLICK)
    assert fake.calls == []
    assert dialog.ui.error_label.text() == MISMATCH


def test_a_refusal_of_the_service_shows_and_keeps_the_input(dialog, fake, qtbot) -> None:
    fake.refuse = "密码至少 8 个字符。"
    qtbot.mouseClick(dialog.ui.add_button, CLICK)
    qtbot.keyClicks(dialog.ui.login_edit, "zhaoliu")
    qtbot.keyClicks(dialog.ui.password_edit, "short")
    qtbot.keyClicks(dialog.ui.repeat_edit, "short")
    qtbot.mouseClick(dialog.ui.apply_button, CLICK)
    assert len(fake.calls) == 1
    assert dialog.ui.error_label.text() == "密码至少 8 个字符。"
    assert (dialog.ui.login_edit.text(), dialog.ui.password_edit.text()) == ("zhaoliu", "short")
    assert dialog.mode == "add"


def test_change_role_and_reset_password(dialog, fake, qtbot) -> None:
    _select(dialog, "lisi")
    qtbot.mouseClick(dialog.ui.role_button, CLICK)
    assert dialog.ui.login_edit.isReadOnly() and dialog.ui.login_edit.text() == "lisi"
    assert dialog.ui.role_combo.currentData() is Role.CLERK
    dialog.ui.role_combo.setCurrentIndex(dialog.ui.role_combo.findData(Role.ADMIN))
    qtbot.mouseClick(dialog.ui.apply_button, CLICK)
    assert fake.calls == [("role", "lisi", Role.ADMIN)]
    assert ["lisi", "管理员", "可登录"] in _cells(dialog)
    _select(dialog, "lisi")
    qtbot.mouseClick(dialog.ui.password_button, CLICK)
    qtbot.keyClicks(dialog.ui.password_edit, "xinmima123")
    qtbot.keyClicks(dialog.ui.repeat_edit, "xinmima123")
    qtbot.mouseClick(dialog.ui.apply_button, CLICK)
    assert fake.calls[-1] == ("password", "lisi", "xinmima123")
    assert "密码已重设" in dialog.ui.status_label.text()


def test_stopping_an_account_asks_first(dialog, fake, qtbot, monkeypatch) -> None:
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(messages, "confirm",
                        lambda parent, text, *a, **k: asked.append(text) or answer[0])
    _select(dialog, "lisi")
    qtbot.mouseClick(dialog.ui.remove_button, CLICK)
    assert len(asked) == 1 and "lisi" in asked[0]
    assert fake.calls == []  # 取消: nothing happens
    answer[0] = True
    qtbot.mouseClick(dialog.ui.remove_button, CLICK)
    assert fake.calls == [("remove", "lisi")]
    assert ["lisi", "录入员", "已停用"] in _cells(dialog)
    assert "已停用" in dialog.ui.status_label.text()


def test_settings_button_is_off_on_a_database_file(ctx, qtbot) -> None:
    assert not ctx.on_server
    page = SettingsPage(ctx, Bus())
    qtbot.addWidget(page)
    page.refresh()
    assert not page.ui.accounts_button.isEnabled()
    assert "本机数据库文件没有账号" in page.ui.accounts_button.toolTip()


def test_settings_button_for_admin_and_clerk_on_a_server(ctx, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(type(ctx), "on_server", property(lambda self: True))
    page = SettingsPage(ctx, Bus())
    qtbot.addWidget(page)
    page.refresh()
    assert page.ui.accounts_button.isEnabled()
    roles.set_current_role(Role.CLERK)
    try:
        page.refresh()
        assert not page.ui.accounts_button.isEnabled()
        assert "只有管理员可以管理账号" in page.ui.accounts_button.toolTip()
    finally:
        roles.set_current_role(Role.ADMIN)
