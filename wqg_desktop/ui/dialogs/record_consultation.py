"""咨询投诉 edit dialog: validates as the officer types, shows the due date, saves on Enter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Consultation
from wqg_desktop.db.models.base import StaleRecord
from wqg_desktop.db.stale import stamp_of
from wqg_desktop.domain.statuses import CONSULT_CHANNELS, ConsultKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import calendar, records_common, records_consult
from wqg_desktop.ui.dialogs.record_common import (
    get_date,
    name_buttons,
    ok_button,
    set_date,
)
from wqg_desktop.ui.dialogs.stale_merge import take_theirs
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.dialogs.validation import show_check
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.widgets.combos import fill_combo

FORM = "record_consultation_dialog"


class RecordConsultationDialog(GuardedDialog):
    """New (``uuid`` None) or existing consultation; emits ``saved`` with the record's UUID."""

    saved = Signal(str)

    def __init__(self, ctx: AppContext, uuid: str | None = None, *, unit_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.uuid = ctx, uuid
        self.ui = load_form(FORM, self)
        self.setWindowTitle("修改咨询投诉" if uuid else "登记咨询投诉")
        # the version shown (a save after someone else's is refused), read before the record
        # itself: a save in between is then refused too, never overwritten
        self.stamp = stamp_of(Consultation, uuid)
        record = Consultation.get(Consultation.uuid == uuid) if uuid else None
        today = ctx.today()
        fill_combo(self.ui.unit_combo, records_common.unit_choices(),
                   record.unit_id if record else unit_id, blank="（请选择单位）")
        fill_combo(self.ui.kind_combo, ConsultKind.choices(),
                   record.kind if record else ConsultKind.COMPLAINT.value)
        fill_combo(self.ui.channel_combo, [(c, c) for c in CONSULT_CHANNELS],
                   record.channel if record else None)
        fill_combo(self.ui.age_combo, [(a, a) for a in records_consult.AGE_BANDS],
                   record.age_band if record else None, blank="")
        fill_combo(self.ui.group_combo, [(g, g) for g in records_consult.GROUPS])
        self.ui.group_combo.setCurrentText(record.youth_group if record else "在校学生")
        fill_combo(self.ui.satisfaction_combo, [(s, s) for s in records_consult.SATISFACTION],
                   record.satisfaction if record else None, blank="")
        set_date(self.ui.received_date, record.received_on if record else None, today)
        set_date(self.ui.replied_date, record.replied_on if record else None, today)
        self.ui.replied_check.setChecked(bool(record and record.replied_on))
        if record:
            self.ui.content_edit.setPlainText(record.content)
            self.ui.handler_edit.setText(record.handler)
            self.ui.result_edit.setPlainText(record.result)
            self.ui.minor_name_edit.setText(record.minor_name)
            self.ui.minor_id_edit.setText(record.minor_id_no)
            self.ui.minor_school_edit.setText(record.minor_school)
            self.ui.minor_address_edit.setText(record.minor_address)
        else:
            self.ui.handler_edit.setText(ctx.officer)
        for combo in (self.ui.unit_combo, self.ui.kind_combo, self.ui.channel_combo,
                      self.ui.age_combo, self.ui.satisfaction_combo):
            combo.currentIndexChanged.connect(self._validate)
        self.ui.group_combo.currentTextChanged.connect(self._validate)
        for date in (self.ui.received_date, self.ui.replied_date):
            date.dateChanged.connect(self._validate)
        self.ui.replied_check.toggled.connect(self._validate)
        for edit in (self.ui.content_edit, self.ui.result_edit):
            edit.textChanged.connect(self._validate)
        for line in (self.ui.handler_edit, self.ui.minor_name_edit, self.ui.minor_id_edit,
                     self.ui.minor_school_edit, self.ui.minor_address_edit):
            line.textChanged.connect(self._validate)
        name_buttons(self.ui.button_box)
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self.setMinimumSize(640, 420)
        self.resize(860, 520)
        self._validate()

    def values(self) -> dict:
        replied = self.ui.replied_check.isChecked()
        return {
            "unit_id": self.ui.unit_combo.currentData(),
            "kind": self.ui.kind_combo.currentData() or "",
            "received_on": get_date(self.ui.received_date),
            "channel": self.ui.channel_combo.currentData() or "",
            "age_band": self.ui.age_combo.currentData() or "",
            "youth_group": self.ui.group_combo.currentText(),
            "content": self.ui.content_edit.toPlainText(),
            "handler": self.ui.handler_edit.text(),
            "replied_on": get_date(self.ui.replied_date) if replied else None,
            "result": self.ui.result_edit.toPlainText() if replied else "",
            "satisfaction": (self.ui.satisfaction_combo.currentData() or "") if replied else "",
            "minor_name": self.ui.minor_name_edit.text(),
            "minor_id_no": self.ui.minor_id_edit.text(),
            "minor_school": self.ui.minor_school_edit.text(),
            "minor_address": self.ui.minor_address_edit.text(),
        }

    def _validate(self, *_args: object) -> bool:
        replied = self.ui.replied_check.isChecked()
        for widget in (self.ui.replied_date, self.ui.result_edit, self.ui.satisfaction_combo):
            widget.setEnabled(replied)
        received = get_date(self.ui.received_date)
        due = records_consult.due_date(received)
        # a reply due in a year whose holidays are not entered yet may be a day or two off
        warning = calendar.coverage_warning(received, due) if received else None
        self.ui.due_label.setText(
            f"{records_common.fmt_date(due)}（{records_consult.reply_days()} 个工作日）"
            + ("　⚠ 节假日未录入，期限可能不准" if warning else ""))
        self.ui.due_label.setToolTip(warning or "")
        self.ui.due_label.setStyleSheet("color: #9c5700;" if warning else "")
        return show_check(lambda: records_consult.check(today=self.ctx.today(), **self.values()),
                          self.ui.error_label, ok_button(self.ui.button_box))

    def save(self) -> None:
        if not self._validate():
            return
        try:
            with self.ctx.acting(unchanged=self.stamp):
                record = records_consult.save(today=self.ctx.today(), uuid=self.uuid,
                                              **self.values())
        except StaleRecord as exc:  # someone saved first: read theirs in, keep what was typed
            self.stamp = take_theirs(
                self, exc, self.stamp,
                reopen=lambda: RecordConsultationDialog(self.ctx, self.uuid, parent=self),
                validate=self._validate, error_label=self.ui.error_label,
                save_button=ok_button(self.ui.button_box))
            return
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.saved.emit(record.uuid)
        self.accept()
