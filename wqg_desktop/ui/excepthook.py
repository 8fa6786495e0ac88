"""Unhandled exceptions: logged to the rotating log, shown in Chinese, never a silent crash."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from wqg_desktop import __version__

log = logging.getLogger("wqg")


def format_report(exc_type: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> str:
    lines = [
        f"维权岗 {__version__}；Python {platform.python_version()}；{platform.platform()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


def install(log_file: str) -> None:
    """Route uncaught exceptions to the log and to an error dialog (after the current event)."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report = format_report(exc_type, exc, tb)
        log.error("未处理的异常\n%s", report)
        if QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        # Show it once control is back in the event loop: the failing slot has returned and
        # the windows (with whatever the officer typed) are intact.
        QTimer.singleShot(0, lambda: _show(report, log_file))

    sys.excepthook = hook


def _show(report: str, log_file: str) -> None:
    from wqg_desktop.ui.dialogs.error_dialog import ErrorDialog

    parent = QApplication.activeWindow()
    dialog = ErrorDialog(report, log_file, parent)
    dialog.open()
    _open_dialogs.append(dialog)
    dialog.finished.connect(lambda _r: _open_dialogs.remove(dialog))


_open_dialogs: list = []
