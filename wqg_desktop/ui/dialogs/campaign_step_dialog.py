"""A small form for one step of a candidate or campaign: 异议, 异议处理, 命名.

The page says which step; the dialog asks for what that step needs and calls the service.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.errors import InputRefused
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form

FORM = "campaign_step_dialog"

#: step → (window title, first caption, second caption or "", check box text or "", ok text)
STEPS = {
    "object": ("受理异议", "异议内容(&C)：", "反映人(&S)：", "", "受理"),
    "resolve": ("处理异议", "核查情况和处理意见(&C)：", "", "异议成立，不予命名(&U)", "处理"),
    "name": ("命名", "发文字号(&C)：", "", "", "命名"),
}


class CampaignStepDialog(GuardedDialog):
    """Calls ``action(first, second, flag)`` inside the officer's audit context; emits ``done``."""

    done = Signal()

    def __init__(self, ctx: AppContext, step: str, intro: str,
                 action: Callable[[str, str, bool], object], *, first: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.step, self.action = ctx, step, action
        title, cap1, cap2, flag, ok = STEPS[step]
        self.setWindowTitle(title)
        self.ui = load_form(FORM, self)
        self.ui.intro_label.setText(intro)
        self.ui.first_edit_caption.setText(cap1)
        self.ui.first_edit.setText(first)
        for widget in (self.ui.second_edit_caption, self.ui.second_edit):
            widget.setVisible(bool(cap2))
        self.ui.second_edit_caption.setText(cap2)
        self.ui.flag_check.setVisible(bool(flag))
        self.ui.flag_check.setText(flag)
        self.ui.flag_check_caption.setVisible(False)
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self.ok_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok)
        self.ui.first_edit.textChanged.connect(lambda _t: self._validate())
        self.resize(480, 200)
        self._validate()

    def _validate(self) -> bool:
        needed = self.step != "name"  # a naming document number is optional
        ok = not needed or bool(self.ui.first_edit.text().strip())
        self.ui.error_label.setText("" if ok else "请填写这一项。")
        self.ok_button.setEnabled(ok)
        return ok

    def save(self) -> None:
        if not self._validate():
            return
        try:
            with self.ctx.acting(self.windowTitle()):
                self.action(self.ui.first_edit.text(), self.ui.second_edit.text(),
                            self.ui.flag_check.isChecked())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.done.emit()
        self.accept()
