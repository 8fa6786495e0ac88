"""Opening the office database from the GUI: each failure explained in Chinese, with a way out."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtWidgets import QDialog

from wqg_desktop.app import AppContext
from wqg_desktop.db import server_login
from wqg_desktop.db.location import ServerAddress, Target, parse_target
from wqg_desktop.db.server import PasswordRequired, ServerLoginFailed
from wqg_desktop.errors import DatabaseCorrupt, WqgError
from wqg_desktop.exchange import backups
from wqg_desktop.ui import messages
from wqg_desktop.ui.dialogs.server_login import ServerLoginDialog
from wqg_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def open_context(target: Target, *, read_only: bool = False) -> AppContext | None:
    """Open the database file or server; ``None`` when it cannot be (the officer was told why)."""
    try:
        ctx = AppContext.open(target, read_only=read_only)
    except ServerLoginFailed as exc:  # also PasswordRequired
        if not isinstance(target, ServerAddress):
            raise
        return _log_in(target, exc, read_only=read_only)
    except DatabaseCorrupt as exc:
        if isinstance(target, ServerAddress):
            messages.error(None, exc.message)
            return None
        return _offer_restore(target, exc)
    except WqgError as exc:
        messages.error(None, exc.message)
        return None
    if isinstance(target, ServerAddress):
        # the server that opened is the one to open next time; a remembered password stays
        server_login.remember_opened(target)
    return ctx


def _log_in(address: ServerAddress, exc: ServerLoginFailed, *,
            read_only: bool) -> AppContext | None:
    """Ask for the account and password until the server lets the officer in, or 取消."""
    remembered = server_login.load()
    had_password = (remembered is not None and remembered.has_password
                    and remembered.display == address.with_password(None).display)
    dialog = ServerLoginDialog(
        address, reason=exc.message, refused=not isinstance(exc, PasswordRequired),
        remember=had_password,
        opener=lambda typed: AppContext.open(typed, read_only=read_only))
    # Modal, like the office setup: no window exists yet, nothing else can happen meanwhile.
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.ctx is None:
        log.info("登录数据库服务器 %s 时取消", address.display)
        return None
    opened = dialog.address
    assert opened is not None
    server_login.remember_opened(opened, password=opened.password,
                                 remember_password=dialog.remember_password)
    return dialog.ctx


def _offer_restore(path: Path, exc: DatabaseCorrupt) -> AppContext | None:
    # the newest backup that passes its own check: a damaged one would not help
    backup = next((b.path for b in backups.list_backups(path) if b.sound), None)
    if backup is None:
        messages.error(None, exc.message + "\n\n没有找到可用的备份。请联系技术人员。")
        return None
    question = (f"{exc.message}\n\n找到最近的备份：{backup.name}。\n是否用它恢复数据库？"
                "损坏的文件会改名保留，不会删除。")
    if not messages.confirm(None, question, yes="用备份恢复", no="退出"):
        return None
    damaged = path.with_name(path.name + ".damaged")
    path.replace(damaged)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(damaged.with_name(damaged.name + suffix))
    shutil.copy2(backup, path)
    log.warning("数据库损坏，已从备份 %s 恢复；损坏文件保存为 %s", backup, damaged)
    try:
        return AppContext.open(path)
    except WqgError as again:
        messages.error(None, again.message)
        return None


def open_main_window(target: Target | str, *, read_only: bool = False) -> MainWindow | None:
    """Open the database (a file, or a server: asking for the password when it needs one), ask
    which office this is on first start, and build the window."""
    if isinstance(target, str):
        try:
            target = parse_target(target)
        except WqgError as exc:
            messages.error(None, exc.message)
            return None
    ctx = open_context(target, read_only=read_only)
    if ctx is None:
        return None
    if ctx.office is None:
        if read_only:
            messages.error(None, "此数据库还没有设置所属单位，不能以只读方式打开。")
            return None
        from wqg_desktop.ui.dialogs.office_setup import OfficeSetupDialog

        dialog = OfficeSetupDialog()
        # The one modal loop of the program: nothing else can happen before the office is known.
        if dialog.exec() != QDialog.DialogCode.Accepted:
            ctx.close()
            return None
    window = MainWindow(ctx)
    window.resize(_initial_size(window))
    return window


def _initial_size(window: MainWindow):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSize

    screen = window.screen().availableGeometry()
    return QSize(min(1280, screen.width() - 20), min(800, screen.height() - 40))
