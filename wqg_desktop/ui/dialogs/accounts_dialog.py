"""账号管理 dialog: a 管理员 adds officers' accounts on the shared server, changes their role
(管理员 / 录入员), resets a forgotten password or stops an account.

Opened from 系统设置 with ``open()``. The rules (names, passwords, who may) live in
``services/accounts.py``; its refusal shows in the red line and what was typed stays.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain.roles import Role
from wqg_desktop.errors import WqgError
from wqg_desktop.services import accounts
from wqg_desktop.ui import messages
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.dialogs.validation import run_action
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import READ_ONLY_TIP, allow, tidy_table

FORM = "accounts_dialog"

REASON = "账号管理"

COLUMNS = [
    Column("login", "账号"),
    Column("role", "角色", fmt=lambda role: role.value if isinstance(role, Role) else str(role or "")),
    Column("can_login", "状态", fmt=lambda on: "可登录" if on else "已停用"),
]

#: editor modes
IDLE, ADD, ROLE, PASSWORD = "idle", "add", "role", "password"

MISMATCH = "两次输入的密码不一致，请重新输入。"
IDLE_HINT = ("点“新增账号”为一位民警建立账号；选中表中的账号，可以改角色、重设密码或停用。"
             "民警登录后即按账号的角色使用本程序。")


class AccountsDialog(GuardedDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = load_form(FORM, self)
        self.setWindowTitle("账号管理")
        self.setMinimumSize(600, 380)
        self.resize(820, 460)
        self.model = RowsModel(COLUMNS, parent=self)
        self.ui.accounts_table.setModel(self.model)
        tidy_table(self.ui.accounts_table, stretch_column=0, name_width_em=10)
        self.ui.main_splitter.setSizes([380, 440])
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.ui.button_box.rejected.connect(self.reject)
        for role in (Role.CLERK, Role.ADMIN):
            self.ui.role_combo.addItem(role.value, role)
        self.ui.apply_button.setAutoDefault(True)
        self.ui.add_button.clicked.connect(self.start_add)
        self.ui.role_button.clicked.connect(self.start_role)
        self.ui.password_button.clicked.connect(self.start_password)
        self.ui.remove_button.clicked.connect(self.remove)
        self.ui.apply_button.clicked.connect(self.apply)
        self.ui.cancel_button.clicked.connect(lambda: self._set_mode(IDLE))
        for edit in (self.ui.login_edit, self.ui.password_edit, self.ui.repeat_edit):
            edit.returnPressed.connect(self.apply)
        self.ui.accounts_table.selectionModel().selectionChanged.connect(
            lambda _on, _off: self._enable())
        self.ui.accounts_table.doubleClicked.connect(lambda _index: self.start_role())
        self.mode = IDLE
        self._login: str | None = None  # the account the editor works on (not for ADD)
        self._set_mode(IDLE)
        self._load()

    # -- loading ---------------------------------------------------------------------------

    def _load(self, select: str | None = None) -> None:
        try:
            with self.ctx.acting(REASON):
                rows = accounts.list_accounts()
        except WqgError as err:
            rows = []
            self.ui.error_label.setText(err.message)
        self.model.set_rows(rows)
        index = next((k for k, a in enumerate(rows) if a.login == select), -1)
        if index >= 0:
            self.ui.accounts_table.selectRow(index)
        self._enable()

    def selected(self) -> accounts.Account | None:
        rows = self.ui.accounts_table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        writable = not self.ctx.opened.read_only
        account = self.selected()
        allow(self.ui.add_button, None if writable else READ_ONLY_TIP)
        for button in (self.ui.role_button, self.ui.password_button):
            allow(button, READ_ONLY_TIP if not writable
                  else None if account else "请先在表中选中一个账号")
        allow(self.ui.remove_button, READ_ONLY_TIP if not writable
              else "请先在表中选中一个账号" if account is None
              else "这个账号已经停用" if not account.can_login else None)

    # -- the editor ------------------------------------------------------------------------

    def input_state(self) -> dict:
        ui = self.ui
        return {**{w: w.text() for w in (ui.login_edit, ui.password_edit, ui.repeat_edit)},
                ui.role_combo: ui.role_combo.currentIndex()}

    def _set_mode(self, mode: str, account: accounts.Account | None = None) -> None:
        self.mode = mode
        self._login = account.login if account else None
        ui = self.ui
        shows = {ADD: (True, True, True), ROLE: (True, True, False),
                 PASSWORD: (True, False, True), IDLE: (False, False, False)}[mode]
        login_on, role_on, password_on = shows
        for widget in (ui.login_caption, ui.login_edit):
            widget.setVisible(login_on)
        for widget in (ui.role_caption, ui.role_combo):
            widget.setVisible(role_on)
        for widget in (ui.password_caption, ui.password_edit, ui.repeat_caption, ui.repeat_edit):
            widget.setVisible(password_on)
        for widget in (ui.apply_button, ui.cancel_button):
            widget.setVisible(mode != IDLE)
        ui.login_edit.setReadOnly(mode != ADD)
        ui.login_edit.setText(account.login if account else "")
        ui.password_edit.clear()
        ui.repeat_edit.clear()
        ui.error_label.setText("")
        if account is not None:
            ui.role_combo.setCurrentIndex(ui.role_combo.findData(account.role))
        else:
            ui.role_combo.setCurrentIndex(ui.role_combo.findData(Role.CLERK))
        titles = {IDLE: "", ADD: "新增账号",
                  ROLE: f"改角色：{self._login}", PASSWORD: f"重设密码：{self._login}"}
        ui.mode_label.setText(titles[mode])
        ui.mode_label.setVisible(mode != IDLE)
        hints = {
            IDLE: IDLE_HINT,
            ADD: f"密码至少 {accounts.MIN_PASSWORD} 个字符，请当面告诉这位民警，由他在登录时输入。",
            ROLE: "新的角色在这位民警下次启动程序时生效。",
            PASSWORD: f"新密码至少 {accounts.MIN_PASSWORD} 个字符，请当面告诉这位民警；"
                      "旧密码随即失效。",
        }
        ui.hint_label.setText(hints[mode])
        self.mark_clean()
        if mode != IDLE:
            ui.apply_button.setDefault(True)
            first = {ADD: ui.login_edit, ROLE: ui.role_combo, PASSWORD: ui.password_edit}[mode]
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_add(self) -> None:
        self._set_mode(ADD)

    def start_role(self) -> None:
        account = self.selected()
        if account is not None and self.ui.role_button.isEnabled():
            self._set_mode(ROLE, account)

    def start_password(self) -> None:
        account = self.selected()
        if account is not None and self.ui.password_button.isEnabled():
            self._set_mode(PASSWORD, account)

    def _passwords_match(self) -> bool:
        if self.ui.password_edit.text() != self.ui.repeat_edit.text():
            self.ui.error_label.setText(MISMATCH)
            self.ui.repeat_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ui.repeat_edit.selectAll()
            return False
        return True

    def _run(self, action: Callable[[], object]) -> object | None:
        return run_action(self.ctx, REASON, action, self.ui.error_label, lambda: None)

    def apply(self) -> None:
        ui, mode = self.ui, self.mode
        role: Role = ui.role_combo.currentData()
        password = ui.password_edit.text()
        if mode == ADD:
            login = ui.login_edit.text().strip()
            if not self._passwords_match():
                return
            if self._run(lambda: accounts.add_account(login, password, role)) is None:
                return
            done = f"已新增账号 {login}（{role.value}）。"
        elif mode == ROLE and self._login:
            login = self._login
            if self._run(lambda: accounts.set_role(login, role)) is None:
                return
            done = f"账号 {login} 已改为{role.value}。"
        elif mode == PASSWORD and self._login:
            login = self._login
            if not self._passwords_match():
                return
            if self._run(lambda: accounts.set_password(login, password)) is None:
                return
            done = f"账号 {login} 的密码已重设。"
        else:
            return
        self._set_mode(IDLE)
        self.ui.status_label.setText(done)
        self._load(select=login)

    def remove(self) -> None:
        account = self.selected()
        if account is None or not self.ui.remove_button.isEnabled():
            return
        login = account.login
        if not messages.confirm(
                self, f"停用账号“{login}”（{account.role.value}）？\n\n"
                      "停用后这个账号不能再登录；它的名字仍保留在操作记录中。",
                yes="停用"):
            return
        if self._run(lambda: accounts.remove_account(login)) is None:
            return
        self._set_mode(IDLE)
        self.ui.status_label.setText(f"账号 {login} 已停用。")
        self._load()
