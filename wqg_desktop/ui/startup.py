"""Opening the office database from the GUI: each failure explained in Chinese, with a way out."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtWidgets import QDialog

from wqg_desktop.app import AppContext
from wqg_desktop.errors import DatabaseCorrupt, WqgError
from wqg_desktop.exchange import backups
from wqg_desktop.ui import messages
from wqg_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def open_context(path: Path, *, read_only: bool = False) -> AppContext | None:
    try:
        return AppContext.open(path, read_only=read_only)
    except DatabaseCorrupt as exc:
        return _offer_restore(path, exc)
    except WqgError as exc:
        messages.error(None, exc.message)
        return None


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


def open_main_window(path: Path, *, read_only: bool = False) -> MainWindow | None:
    """Open the database, ask which office this is on first start, and build the window."""
    ctx = open_context(path, read_only=read_only)
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
