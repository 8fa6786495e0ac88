"""First start: which office is this installation? Validates as the officer types."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.domain.levels import OFFICE_LEVELS
from wqg_desktop.errors import InputRefused
from wqg_desktop.services.office import region_from_office_name, setup_office, validate_office
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form

FORM = "office_setup_dialog"


class OfficeSetupDialog(GuardedDialog):
    """Emits ``office_saved`` after the office is stored; stays open on bad input."""

    office_saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("设置本办公室")
        self.ui = load_form(FORM, self)
        for level in OFFICE_LEVELS:
            self.ui.level_combo.addItem(level.label, int(level))
        self._region_touched = False
        self.ui.name_edit.textEdited.connect(self._name_edited)
        self.ui.region_edit.textEdited.connect(self._region_edited)
        for edit in (self.ui.name_edit, self.ui.region_edit, self.ui.code_edit):
            edit.textChanged.connect(lambda _t: self._validate())
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.resize(460, 300)
        self._validate()

    def _name_edited(self, text: str) -> None:
        if not self._region_touched:
            self.ui.region_edit.setText(region_from_office_name(text))

    def _region_edited(self, _text: str) -> None:
        self._region_touched = True

    def _answers(self) -> dict[str, str | int]:
        return {
            "level": self.ui.level_combo.currentData(),
            "name": self.ui.name_edit.text(),
            "region_name": self.ui.region_edit.text(),
            "region_code": self.ui.code_edit.text(),
        }

    def _validate(self) -> bool:
        try:
            validate_office(**self._answers())  # type: ignore[arg-type]
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return False
        self.ui.error_label.setText("")
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        return True

    def save(self) -> None:
        if not self._validate():
            return
        try:
            setup_office(officer=self.ui.officer_edit.text(), **self._answers())  # type: ignore[arg-type]
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.office_saved.emit()
        self.accept()
