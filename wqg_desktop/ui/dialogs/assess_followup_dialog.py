"""整改复查 dialog: the date of the re-check, its result (合格/不合格) and what was found.

Cancel records nothing. The result must be chosen: a re-check is never 不合格 by default.
Opens with ``open()``; ``saved(inspection_id)`` once the follow-up is stored.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Inspection
from wqg_desktop.domain import date_rules
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import WqgError
from wqg_desktop.services import inspections
from wqg_desktop.ui.dates import bound, pydate
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form

FORM = "assess_followup_dialog"


class FollowupDialog(GuardedDialog):
    saved = Signal(int)

    def __init__(self, ctx: AppContext, inspection: Inspection,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.inspection = ctx, inspection
        self.ui = load_form(FORM, self)
        self.setWindowTitle("记录整改复查")
        self.setMinimumSize(420, 260)
        deadline = (f"，整改期限 {format_date(inspection.rectification_deadline)}"
                    if inspection.rectification_deadline else "")
        self.ui.summary_label.setText(
            f"{inspection.unit.name}\n{format_date(inspection.on)}检查{deadline}\n"
            f"整改要求：{inspection.rectification or '（无）'}")
        self.result = QButtonGroup(self)
        self.result.addButton(self.ui.passed_radio, 1)
        self.result.addButton(self.ui.failed_radio, 0)
        today = ctx.today()
        # the re-check lies between the inspection (and 1998) and today, as the service says
        bound(self.ui.date_edit, max(inspection.on, date_rules.EARLIEST),
              max(today, inspection.on), inspection.followup_on or today)
        if inspection.followup_on is not None:  # correcting an earlier record
            (self.ui.passed_radio if inspection.followup_passed else self.ui.failed_radio
             ).setChecked(True)
            self.ui.text_edit.setPlainText(inspection.followup)
        box = self.ui.button_box
        self.save_button = box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存(&S)")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self.result.idToggled.connect(lambda _id, _on: self.validate())
        self.ui.text_edit.textChanged.connect(self.validate)
        self.validate()

    def passed(self) -> bool | None:
        chosen = self.result.checkedId()
        return None if chosen < 0 else chosen == 1

    def validate(self) -> bool:
        problem = ""
        if self.passed() is None:
            problem = "请选择复查结论：合格或不合格。"
        elif not self.ui.text_edit.toPlainText().strip():
            problem = "请写明复查情况。"
        self.ui.error_label.setText(problem)
        self.save_button.setEnabled(not problem)
        return not problem

    def save(self) -> None:
        if not self.validate():
            return
        try:
            with self.ctx.acting("记录整改复查"):
                inspections.record_followup(
                    inspection=self.inspection, on=pydate(self.ui.date_edit.date()),
                    followup=self.ui.text_edit.toPlainText(), passed=bool(self.passed()),
                    today=self.ctx.today())
        except WqgError as err:
            self.ui.error_label.setText(err.message)
            return
        self.saved.emit(self.inspection.id)
        self.accept()
