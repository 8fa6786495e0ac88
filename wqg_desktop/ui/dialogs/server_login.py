"""登录 / 连接数据库服务器: one form, two uses.

- ``login``: at start-up, when the server wants a password or refused the one it got. The
  address is fixed; the officer types the account and password, may tick “记住密码”, and
  tries again as often as needed (each refusal is explained in the dialog); 取消 ends the start.
- ``address``: from the settings page. The officer types the server's address too, may
  “测试连接” (a throwaway connection, no database opened), and saves it as the database to
  open at the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget

from wqg_desktop.db import server, server_login
from wqg_desktop.db.location import ServerAddress
from wqg_desktop.errors import InputRefused, WqgError
from wqg_desktop.ui.forms import load_form

FORM = "server_login"

LOGIN, ADDRESS = "login", "address"

_OK_STYLE = "color: #1b5e20;"
_FAIL_STYLE = "color: #b00020;"


def server_part(address: ServerAddress) -> str:
    """The address without the account: what the address field shows (the account has its own)."""
    return address.display.replace(f"{quote(address.user, safe='')}@", "", 1)


def compose(address_text: str, account: str, password: str) -> ServerAddress:
    """The address the fields describe; the account field wins over an account in the address."""
    text = address_text.strip()
    if not text:
        raise InputRefused("请填写服务器地址，例如 postgresql://192.168.1.10/wqg。")
    if "://" not in text:
        text = "postgresql://" + text  # "192.168.1.10/wqg" is what people type
    scheme, rest = text.split("://", 1)
    netloc, slash, tail = rest.partition("/")
    user_part, at, host_part = netloc.rpartition("@")
    typed_user, _colon, typed_password = user_part.partition(":")
    account = account.strip() or (unquote(typed_user) if at else "")
    if not account:
        raise InputRefused("请填写账号。")
    address = ServerAddress.parse(f"{scheme}://{quote(account, safe='')}@{host_part}{slash}{tail}")
    password = password or (unquote(typed_password) if at and typed_password else "")
    return address.with_password(password or None)


class ServerLoginDialog(QDialog):
    """``login`` mode: ``ctx`` holds what ``opener`` returned once it succeeded; ``reason`` is
    why the dialog is shown (``refused``: the server refused, shown in red).
    ``address`` mode: emits ``saved(display)`` after the address was saved for the next start."""

    saved = Signal(str)

    def __init__(self, address: ServerAddress | None = None, *, mode: str = LOGIN,
                 reason: str = "", refused: bool = True, remember: bool = False,
                 opener: Callable[[ServerAddress], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if mode == LOGIN and (address is None or opener is None):
            raise ValueError("login mode needs the address and an opener")
        self.mode = mode
        self.opener = opener
        #: what ``opener`` returned (login mode, after success)
        self.ctx: Any = None
        #: the address (with the password typed) that opened or was saved
        self.address: ServerAddress | None = None
        self.ui = load_form(FORM, self)
        ui = self.ui
        self.ok_button = ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)  # Enter in any field submits
        ui.button_box.accepted.connect(self.submit)
        ui.button_box.rejected.connect(self.reject)
        ui.test_button.clicked.connect(self.test_connection)
        ui.remember_check.setChecked(remember)
        #: a remembered password (address mode): used, never shown, while the field is left empty
        self._known = address if mode == ADDRESS and address and address.password else None
        if self._known is not None:
            ui.password_edit.setPlaceholderText("已记住的密码（不修改可以不填）")
        if address is not None:
            ui.address_edit.setText(server_part(address))
            ui.account_edit.setText(address.user)
        if mode == LOGIN:
            self.setWindowTitle("登录数据库服务器")
            self.ok_button.setText("登录")
            ui.address_edit.setReadOnly(True)
            ui.address_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            ui.test_button.hide()
            ui.test_label.hide()
            ui.hint_label.setText("取消则退出程序。忘记密码或没有账号时，请找服务器管理员。")
            # a first request for the password is no failure: not in red
            (ui.error_label if refused else ui.intro_label).setText(reason or ui.intro_label.text())
            (ui.password_edit if ui.account_edit.text() else ui.account_edit).setFocus()
        else:
            self.setWindowTitle("连接数据库服务器")
            self.ok_button.setText("保存")
            ui.intro_label.setText("多名民警同时使用同一份数据时，数据保存在本办公室的数据库服务器上。"
                                   "请填写服务器管理员给您的地址、账号和密码。")
            ui.hint_label.setText("保存后下次启动时生效：程序将连接这台服务器，不再打开本机的数据库文件。")
            ui.address_edit.setFocus()
        self.resize(540, 320)

    # -- reading the fields ----------------------------------------------------------------

    def address_from_fields(self) -> ServerAddress:
        address = compose(self.ui.address_edit.text(), self.ui.account_edit.text(),
                          self.ui.password_edit.text())
        known = self._known
        if address.password is None and known is not None and known.display == address.display:
            address = address.with_password(known.password)
        return address

    @property
    def remember_password(self) -> bool:
        return self.ui.remember_check.isChecked()

    # -- actions ---------------------------------------------------------------------------

    def submit(self) -> None:
        try:
            address = self.address_from_fields()
        except InputRefused as exc:
            self._fail(exc.message)
            return
        if self.mode == ADDRESS:
            self._save(address)
            return
        assert self.opener is not None
        self.ui.error_label.setText("正在连接服务器…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.ctx = self.opener(address)
        except WqgError as exc:
            self._fail(exc.message)
            self.ui.password_edit.selectAll()
            self.ui.password_edit.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.address = address
        self.accept()

    def _save(self, address: ServerAddress) -> None:
        keep = self.remember_password
        try:
            server_login.remember(address, password=address.password if keep else None,
                                  keep_remembered=keep)
        except (OSError, WqgError) as exc:
            self._fail(f"无法保存服务器设置：{getattr(exc, 'message', None) or exc}")
            return
        self.address = address
        self.saved.emit(address.display)
        self.accept()

    def _fail(self, text: str) -> None:
        self.ui.test_label.clear()
        self.ui.error_label.setText(text)

    def test_connection(self) -> None:
        """Connect once with what the fields say, read the account's role, disconnect."""
        self.ui.error_label.clear()
        try:
            address = self.address_from_fields()
        except InputRefused as exc:
            self._fail(exc.message)
            return
        self.ui.test_label.setStyleSheet("")
        self.ui.test_label.setText("正在连接…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            text, ok = _try(address)
        finally:
            QApplication.restoreOverrideCursor()
        if ok:
            self.ui.test_label.setStyleSheet(_OK_STYLE)
            self.ui.test_label.setText(text)
        else:
            self._fail(text)


def _try(address: ServerAddress) -> tuple[str, bool]:
    """(the Chinese result, whether the account may open the database)."""
    try:
        db = server.connect(address)
    except WqgError as exc:
        return exc.message, False
    try:
        role = server.account_role(db)
    except Exception as exc:  # a server that answers oddly: say so, do not crash the dialog
        return f"连上了服务器，但读不出账号 {address.user} 的角色：{exc}", False
    finally:
        db.close()
    if role is None:
        return (f"连上了服务器，但账号 {address.user} 没有维权岗程序的角色（管理员或录入员），"
                "不能打开这个数据库。请服务器管理员给它分配角色。"), False
    return f"连接成功：账号 {address.user} 在这台服务器上是{role.value}。", True
