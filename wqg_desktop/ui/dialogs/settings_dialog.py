"""修改规则参数: the office's settings, checked by the settings service before anything is saved."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import settings
from wqg_desktop.ui.forms import load_form

FORM = "settings_dialog"

#: setting key → spin box object name prefix
_NUMBERS = {
    "publicity_working_days": "publicity",
    "rereview_years": "rereview",
    "rectification_months": "rectification",
    "complaint_reply_working_days": "complaint",
    "survey_min_sample": "sample",
    "due_soon_days": "due_soon",
}
_CONVENTION_LABELS = {
    "election": "选举口径：(候选数−达标数)/达标数 ≥ 20%（最多通过 ⌊5×候选数/6⌋）",
    "fail20": "淘汰口径：至少 20% 不达标（最多通过 ⌊4×候选数/5⌋）",
}


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("修改规则参数")
        self.ui = load_form(FORM, self)
        values = settings.all_settings()
        self.ui.officer_edit.setText(values["officer_name"])
        for code, label in _CONVENTION_LABELS.items():
            self.ui.convention_combo.addItem(label, code)
        self.ui.convention_combo.setCurrentIndex(
            max(self.ui.convention_combo.findData(values["differential_convention"]), 0))
        for key, name in _NUMBERS.items():
            spin = getattr(self.ui, f"{name}_spin")
            spin.setRange(*settings.EDITABLE_NUMBERS[key])
            spin.setValue(int(values[key]))
        self.ui.prefix_edit.setText(values["certificate_prefix"])
        self.ui.prefix_edit.setMaxLength(20)
        self.ui.officer_edit.setMaxLength(50)
        for key in settings.WEIGHT_KEYS:
            getattr(self.ui, f"w_{key}_spin").setValue(int(values["assessment_weights"].get(key, 0)))
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self.resize(560, 460)

    def values(self) -> dict:
        values: dict = {key: getattr(self.ui, f"{name}_spin").value() for key, name in _NUMBERS.items()}
        values["officer_name"] = self.ui.officer_edit.text()
        values["differential_convention"] = self.ui.convention_combo.currentData()
        values["certificate_prefix"] = self.ui.prefix_edit.text()
        values["assessment_weights"] = {
            key: getattr(self.ui, f"w_{key}_spin").value() for key in settings.WEIGHT_KEYS}
        return values

    def save(self) -> None:
        try:
            with self.ctx.acting("修改规则参数"):
                settings.update(self.values())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.saved.emit()
        self.accept()
