"""Offscreen PNGs of every page and main dialog (``wqg screenshots``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.location import ServerAddress
from wqg_desktop.ui.dialogs.error_dialog import ErrorDialog
from wqg_desktop.ui.dialogs.help_dialog import HelpDialog
from wqg_desktop.ui.dialogs.office_setup import OfficeSetupDialog
from wqg_desktop.ui.dialogs.server_login import ServerLoginDialog
from wqg_desktop.ui.fonts import install_ui_font
from wqg_desktop.ui.main_window import MainWindow

_FILE_NAMES = ["home", "units", "campaigns", "inspections", "surveys", "records", "printing",
               "exchange", "settings"]


def _settle(widget: QWidget) -> None:
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()  # type: ignore[union-attr]
    widget.repaint()


def _save(widget: QWidget, target: Path, saved: list[Path]) -> None:
    _settle(widget)
    if not widget.grab().save(str(target)):
        raise OSError(f"无法保存截图：{target}")
    saved.append(target)


def take_screenshots(outdir: Path, *, db: Path | ServerAddress | None = None,
                     size: tuple[int, int] = (1366, 768)) -> list[Path]:
    app = QApplication.instance() or QApplication(["wqg-screenshots"])
    install_ui_font(app, bundled_only=os.environ.get("WQG_FONTS_ONLY_BUNDLED") == "1")
    outdir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        # the officer's own database is only looked at; the throwaway demo shows the buttons
        # as an officer sees them
        read_only = db is not None
        if db is None:
            from wqg_desktop.services.demo import build_demo

            db = Path(tmp) / "demo.sqlite3"
            with AppContext.open(db) as ctx:
                build_demo(today=ctx.today())
        with AppContext.open(db, read_only=read_only) as ctx:
            window = MainWindow(ctx)
            window.resize(QSize(*size))
            window.show()
            for row, name in enumerate(_FILE_NAMES):
                window.ui.nav_list.setCurrentRow(row)
                _save(window, outdir / f"{row + 1:02d}_{name}.png", saved)
            help_dialog = HelpDialog(window.pages[0].HELP, window)
            help_dialog.show()
            _save(help_dialog, outdir / "dialog_help.png", saved)
            help_dialog.close()
            window.close()
        setup = OfficeSetupDialog()
        setup.ui.name_edit.setText("海安市公安局")
        setup.ui.name_edit.textEdited.emit("海安市公安局")  # as typed: 所辖地区 follows the name
        setup.show()
        _save(setup, outdir / "dialog_office_setup.png", saved)
        setup.close()
        login = ServerLoginDialog(
            ServerAddress.parse("postgresql://zhangsan@192.168.1.10/wqg"),
            reason="请输入账号 zhangsan 在数据库服务器 192.168.1.10:5432 上的密码。", refused=False,
            opener=lambda _address: None)
        login.show()
        _save(login, outdir / "dialog_server_login.png", saved)
        login.close()
        error = ErrorDialog("Traceback (most recent call last):\n  …\nValueError: 示例错误报告",
                            "wqg-desktop.log")
        error.show()
        _save(error, outdir / "dialog_error.png", saved)
        error.close()
    return saved
