"""修改规则参数: the office's settings. Checked by the settings service as the officer types:
the reason shows in red under the form and 保存 stays disabled while anything is wrong."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import settings
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.dialogs.validation import show_check
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


def _whole(value: Any, default: int) -> int:
    """A stored number as the spin box shows it; what an older version stored may be anything."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


class SettingsDialog(GuardedDialog):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("修改规则参数")
        self.ui = load_form(FORM, self)
        self.save_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText("保存")
        self._load(settings.all_settings())
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        for edit in (self.ui.officer_edit, self.ui.prefix_edit):
            edit.textChanged.connect(lambda _t: self.validate())
        for spin in self._spins():
            spin.valueChanged.connect(lambda _v: self.validate())
        self.resize(560, 520)
        self.validate()

    def _spins(self) -> list:
        return ([getattr(self.ui, f"{name}_spin") for name in _NUMBERS.values()]
                + [getattr(self.ui, f"w_{key}_spin") for key in settings.WEIGHT_KEYS])

    def _load(self, values: dict[str, Any]) -> None:
        """Show the stored settings, even ones the service would now refuse (they are put
        right here: the check under the form says which)."""
        self.ui.officer_edit.setMaxLength(settings.TEXT_LIMITS["officer_name"])
        self.ui.officer_edit.setText(str(values["officer_name"] or ""))
        for code, label in _CONVENTION_LABELS.items():
            self.ui.convention_combo.addItem(label, code)
        self.ui.convention_combo.setCurrentIndex(
            max(self.ui.convention_combo.findData(values["differential_convention"]), 0))
        for key, name in _NUMBERS.items():
            spin = getattr(self.ui, f"{name}_spin")
            spin.setRange(*settings.EDITABLE_NUMBERS[key])
            spin.setValue(_whole(values[key], settings.DEFAULTS[key][0]))
        self.ui.prefix_edit.setMaxLength(settings.TEXT_LIMITS["certificate_prefix"])
        self.ui.prefix_edit.setText(str(values["certificate_prefix"] or ""))
        weights = settings.current_weights()
        for key in settings.WEIGHT_KEYS:
            spin = getattr(self.ui, f"w_{key}_spin")
            spin.setRange(*(settings.ACTIVITY_TARGET_RANGE if key == "activity_target"
                            else (0, settings.WEIGHT_MAX)))
            spin.setValue(_whole(weights[key], settings.ACTIVITY_TARGET_RANGE[0]))

    def values(self) -> dict:
        values: dict = {key: getattr(self.ui, f"{name}_spin").value() for key, name in _NUMBERS.items()}
        values["officer_name"] = self.ui.officer_edit.text()
        values["differential_convention"] = self.ui.convention_combo.currentData()
        values["certificate_prefix"] = self.ui.prefix_edit.text()
        values["assessment_weights"] = {
            key: getattr(self.ui, f"w_{key}_spin").value() for key in settings.WEIGHT_KEYS}
        return values

    def validate(self) -> bool:
        return show_check(lambda: settings.validate(self.values()), self.ui.error_label,
                          self.save_button)

    def save(self) -> None:
        if not self.validate():
            return
        try:
            with self.ctx.acting("修改规则参数"):
                settings.update(self.values())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            self.save_button.setEnabled(False)
            return
        self.saved.emit()
        self.accept()
