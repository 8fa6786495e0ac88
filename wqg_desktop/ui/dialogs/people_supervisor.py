"""Add or edit a supervisor (监督员); validates as the officer types."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Supervisor
from wqg_desktop.db.models.base import StaleRecord, version_stamp
from wqg_desktop.domain.statuses import SupervisorCategory
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import people
from wqg_desktop.services.field_parsing import parse_date
from wqg_desktop.ui.dialogs.stale_merge import take_theirs
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.dialogs.validation import show_check
from wqg_desktop.ui.forms import load_form

FORM = "people_supervisor_dialog"


class SupervisorDialog(GuardedDialog):
    """Emits ``saved`` after the supervisor is stored; stays open on refused input."""

    saved = Signal()

    def __init__(self, ctx: AppContext, *, supervisor_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.supervisor_id = ctx, supervisor_id
        # the version shown: a save after someone else's is refused, not silently merged
        self.stamp = version_stamp(Supervisor.get_by_id(supervisor_id)) if supervisor_id is not None else None
        self.ui = load_form(FORM, self)
        self.setWindowTitle("修改监督员" if supervisor_id else "添加监督员")
        for value, label in SupervisorCategory.choices():
            self.ui.category_combo.addItem(label, value)
        self.save_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        if supervisor_id is not None:
            row = Supervisor.get_by_id(supervisor_id)
            self.ui.name_edit.setText(row.name)
            self.ui.category_combo.setCurrentIndex(self.ui.category_combo.findData(row.category))
            self.ui.employer_edit.setText(row.employer)
            self.ui.phone_edit.setText(row.phone)
            self.ui.appointed_edit.setText(row.appointed_on.isoformat() if row.appointed_on else "")
            self.ui.term_edit.setText(row.term_end.isoformat() if row.term_end else "")
            self.ui.note_edit.setText(row.note)
        for edit in (self.ui.name_edit, self.ui.employer_edit, self.ui.phone_edit,
                     self.ui.appointed_edit, self.ui.term_edit, self.ui.note_edit):
            edit.textChanged.connect(lambda _t: self.validate())
        self.setMinimumSize(420, 260)
        self.validate()

    def fields(self) -> people.SupervisorFields:
        return people.SupervisorFields(
            name=self.ui.name_edit.text(), category=self.ui.category_combo.currentData(),
            employer=self.ui.employer_edit.text(), phone=self.ui.phone_edit.text(),
            appointed_on=parse_date(self.ui.appointed_edit.text(), what="聘任日期"),
            term_end=parse_date(self.ui.term_edit.text(), what="任期届满日期"),
            note=self.ui.note_edit.text())

    def validate(self) -> bool:
        return show_check(lambda: people.validate_supervisor(self.fields(), today=self.ctx.today()),
                          self.ui.error_label, self.save_button)

    def save(self) -> None:
        if not self.validate():
            return
        try:
            with self.ctx.acting("监督员", unchanged=self.stamp):
                if self.supervisor_id is None:
                    people.add_supervisor(self.fields(), today=self.ctx.today())
                else:
                    people.update_supervisor(self.supervisor_id, self.fields(), today=self.ctx.today())
        except StaleRecord as exc:  # someone saved first: read theirs in, keep what was typed
            self.stamp = take_theirs(
                self, exc, self.stamp,
                reopen=lambda: SupervisorDialog(self.ctx, supervisor_id=self.supervisor_id,
                                                parent=self),
                validate=self.validate, error_label=self.ui.error_label,
                save_button=self.save_button)
            return
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.saved.emit()
        self.accept()
