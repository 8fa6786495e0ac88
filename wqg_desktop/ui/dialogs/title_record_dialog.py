"""补录历年称号: a title the unit held before the program was installed, entered by hand."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import PlaqueState, TitleKind, TitleStatus
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import units as unit_service
from wqg_desktop.services import units_titles
from wqg_desktop.ui.dates import bound_happened, pydate
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.dialogs.validation import show_check
from wqg_desktop.ui.forms import load_form

FORM = "title_record_dialog"


class TitleRecordDialog(GuardedDialog):
    """Emits ``saved`` after the title is recorded."""

    saved = Signal()

    def __init__(self, ctx: AppContext, unit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.unit_id = ctx, unit_id
        self.unit = unit_service.get_unit(unit_id)
        self.ui = load_form(FORM, self)
        self.setWindowTitle("补录历年称号")
        self.ui.intro_label.setText(
            f"为“{self.unit.name}”补录本程序启用前已获得的称号，使逐级申报、复核和覆盖率从第一天起准确。"
            "证书上的名称按命名日期自动取当时的单位名称。")
        for level in Level:
            self.ui.level_combo.addItem(level.label, int(level))
        for kind in TitleKind:
            self.ui.kind_combo.addItem(kind.label, kind.value)
        for status in TitleStatus:
            self.ui.status_combo.addItem(status.label, status.value)
        for state in PlaqueState:
            self.ui.plaque_combo.addItem(state.label, state.value)
        self.ui.plaque_combo.setCurrentIndex(self.ui.plaque_combo.findData(PlaqueState.ISSUED.value))
        today = ctx.today()
        bound_happened(self.ui.named_on_edit, today, today)
        self.save_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self._check = QTimer(self, singleShot=True, interval=120)
        self._check.timeout.connect(self.validate)
        self.finished.connect(self._check.stop)  # closed: nothing left to check
        for edit in (self.ui.term_edit, self.ui.bodies_edit, self.ui.document_no_edit,
                     self.ui.certificate_no_edit):
            edit.textChanged.connect(lambda _t: self._check.start())
        for combo in (self.ui.level_combo, self.ui.kind_combo, self.ui.status_combo,
                      self.ui.plaque_combo):
            combo.currentIndexChanged.connect(lambda _i: self.validate())
        self.ui.named_on_edit.dateChanged.connect(lambda _d: self.validate())
        self.setMinimumSize(440, 300)
        self.resize(560, 420)
        self.validate()

    def record(self) -> units_titles.TitleRecord:
        return units_titles.TitleRecord(
            level=self.ui.level_combo.currentData(),
            term=self.ui.term_edit.text().strip(),
            kind=self.ui.kind_combo.currentData(),
            naming_bodies=self.ui.bodies_edit.text(),
            named_on=pydate(self.ui.named_on_edit.date()),
            document_no=self.ui.document_no_edit.text(),
            certificate_no=self.ui.certificate_no_edit.text(),
            plaque_state=self.ui.plaque_combo.currentData(),
            status=self.ui.status_combo.currentData(),
            note=self.ui.note_edit.text())

    def validate(self) -> bool:
        self._check.stop()
        return show_check(
            lambda: units_titles.validate_title_record(self.unit, self.record(),
                                                       today=self.ctx.today()),
            self.ui.error_label, self.save_button)

    def save(self) -> None:
        if not self.validate():
            return
        try:
            with self.ctx.acting("补录历年称号"):
                units_titles.record_title(self.unit_id, self.record(), today=self.ctx.today())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.saved.emit()
        self.accept()
