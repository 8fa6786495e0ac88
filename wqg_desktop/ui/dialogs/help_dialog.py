"""F1: the user manual's section for the current page."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from wqg_desktop import help_text
from wqg_desktop.ui.forms import load_form

FORM = "help_dialog"


class HelpDialog(QDialog):
    def __init__(self, section: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"帮助 — {section}")
        self.ui = load_form(FORM, self)
        self.ui.help_browser.setMarkdown(help_text.section(section))
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.resize(640, 480)
