"""Error reporting and the 1366×768-at-150% promise."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication

from wqg_desktop.ui import excepthook
from wqg_desktop.ui.dialogs.error_dialog import ErrorDialog
from wqg_desktop.ui.dialogs.help_dialog import HelpDialog
from wqg_desktop.ui.dialogs.office_setup import OfficeSetupDialog
from wqg_desktop.ui.main_window import MainWindow

#: 1366×768 physical pixels at 150% scaling, less a taskbar
SMALL_SCREEN = QSize(1366 * 2 // 3, 768 * 2 // 3 - 30)


def test_unhandled_exception_is_logged_and_shown(qtbot, monkeypatch, tmp_path, caplog) -> None:
    shown: list[str] = []
    monkeypatch.setattr(excepthook, "_show", lambda report, log_file: shown.append(report))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    excepthook.install(str(tmp_path / "wqg.log"))
    try:
        raise ValueError("测试用的错误")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: bool(shown), timeout=1000)
    assert "ValueError: 测试用的错误" in shown[0]
    assert any("未处理的异常" in r.getMessage() for r in caplog.records)


def test_error_dialog_copies_its_report(qtbot) -> None:
    dialog = ErrorDialog("报告内容 Traceback", "wqg-desktop.log")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.ui.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "报告内容 Traceback"
    assert dialog.ui.copy_button.text() == "已复制"


def test_windows_fit_a_small_office_screen(qtbot, demo_ctx) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    for widget in (window, OfficeSetupDialog(), HelpDialog("首页"), ErrorDialog("x", "y")):
        hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        assert hint.width() <= SMALL_SCREEN.width(), (type(widget).__name__, hint)
        assert hint.height() <= SMALL_SCREEN.height(), (type(widget).__name__, hint)
        if widget is not window:
            widget.deleteLater()


def test_qt_speaks_chinese_and_windows_carry_the_icon(qtbot) -> None:
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from wqg_desktop.ui.fonts import install_chinese_qt

    app = QApplication.instance()
    found = install_chinese_qt(app)
    assert not app.windowIcon().isNull()
    if found:  # the wheel ships Qt's translations; a stripped build may not
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_a_dialog_taller_than_the_screen_is_fitted_when_shown(qtbot) -> None:
    dialog = HelpDialog("首页")
    qtbot.addWidget(dialog)
    room = dialog.screen().availableGeometry()
    dialog.resize(600, room.height() + 300)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= room.height() - 40
