"""Add or edit a member of the leading group; validates as the officer types."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import LeadingGroupMember
from wqg_desktop.db.models.base import StaleRecord, version_stamp
from wqg_desktop.domain.statuses import LeadingRole
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import people
from wqg_desktop.ui.dialogs.stale_merge import take_theirs
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.dialogs.validation import show_check
from wqg_desktop.ui.forms import load_form

FORM = "people_member_dialog"


class MemberDialog(GuardedDialog):
    """Emits ``saved`` after the member is stored; stays open on refused input."""

    saved = Signal()

    def __init__(self, ctx: AppContext, *, member_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.member_id = ctx, member_id
        # the version shown: a save after someone else's is refused, not silently merged
        self.stamp = version_stamp(LeadingGroupMember.get_by_id(member_id)) if member_id is not None else None
        self.ui = load_form(FORM, self)
        self.setWindowTitle("修改领导小组成员" if member_id else "添加领导小组成员")
        for value, label in LeadingRole.choices():
            self.ui.role_combo.addItem(label, value)
        self.save_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        if member_id is not None:
            member = next(m for m in people.list_members() if m.id == member_id)
            self.ui.role_combo.setCurrentIndex(self.ui.role_combo.findData(member.role))
            self.ui.name_edit.setText(member.name)
            self.ui.post_edit.setText(member.post)
            self.ui.employer_edit.setText(member.employer)
            self.ui.concurrent_check.setChecked(member.concurrent)
        for edit in (self.ui.name_edit, self.ui.post_edit, self.ui.employer_edit):
            edit.textChanged.connect(lambda _t: self.validate())
        self.ui.role_combo.currentIndexChanged.connect(lambda _i: self.validate())
        self.ui.concurrent_check.toggled.connect(lambda _c: self.validate())
        self.setMinimumSize(420, 220)
        self.validate()

    def fields(self) -> people.MemberFields:
        return people.MemberFields(
            role=self.ui.role_combo.currentData(), name=self.ui.name_edit.text(),
            post=self.ui.post_edit.text(), employer=self.ui.employer_edit.text(),
            concurrent=self.ui.concurrent_check.isChecked())

    def validate(self) -> bool:
        return show_check(lambda: people.validate_member(self.fields(), member_id=self.member_id),
                          self.ui.error_label, self.save_button)

    def save(self) -> None:
        if not self.validate():
            return
        try:
            with self.ctx.acting("领导小组", unchanged=self.stamp):
                if self.member_id is None:
                    people.add_member(self.fields())
                else:
                    people.update_member(self.member_id, self.fields())
        except StaleRecord as exc:  # someone saved first: read theirs in, keep what was typed
            self.stamp = take_theirs(
                self, exc, self.stamp,
                reopen=lambda: MemberDialog(self.ctx, member_id=self.member_id, parent=self),
                validate=self.validate, error_label=self.ui.error_label,
                save_button=self.save_button)
            return
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.saved.emit()
        self.accept()
