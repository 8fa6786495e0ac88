"""The dialog an unhandled exception shows: Chinese text and a copyable report."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

from wqg_desktop.ui.forms import load_form

FORM = "error_dialog"


class ErrorDialog(QDialog):
    def __init__(self, report: str, log_file: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("程序错误")
        self.ui = load_form(FORM, self)
        self.ui.report_edit.setPlainText(report)
        self.ui.log_label.setText(f"详细记录已写入日志：{log_file}")
        self.ui.copy_button.clicked.connect(self.copy_report)
        self.ui.close_button.clicked.connect(self.accept)
        self.resize(620, 380)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.ui.report_edit.toPlainText())
        self.ui.copy_button.setText("已复制")
