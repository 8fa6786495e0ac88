"""Add or edit a unit. Validates as the officer types (the service's own rules), shows the
reason in Chinese under the form, and keeps 保存 disabled while anything is wrong."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Region
from wqg_desktop.db.models.base import StaleRecord, version_stamp
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import registry
from wqg_desktop.services import units as unit_service
from wqg_desktop.ui.dates import bound_happened, pydate
from wqg_desktop.ui.dialogs.stale_merge import take_theirs
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.dialogs.validation import show_check
from wqg_desktop.ui.forms import load_form

FORM = "unit_dialog"

UNIT_KINDS = ("派出所", "警务区", "大队", "中队", "支队", "科", "所", "队", "中心", "其他")


class UnitDialog(GuardedDialog):
    """Emits ``saved(unit_id)`` after the unit is stored; stays open on refused input."""

    saved = Signal(int)

    def __init__(self, ctx: AppContext, *, unit_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id = unit_id
        # the version shown: a save after someone else's is refused, not silently merged
        self.stamp = version_stamp(unit_service.get_unit(unit_id)) if unit_id else None
        self.ui = load_form(FORM, self)
        self.setWindowTitle("修改单位" if unit_id else "新增单位")
        self.save_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self._not_ours = ""
        if unit_id is not None:
            self._not_ours = unit_service.ownership_problem(unit_service.get_unit(unit_id), "单位")
        self._fill_choices()
        bound_happened(self.ui.online_since_edit, ctx.today(), ctx.today())
        if unit_id is not None:
            self._load(unit_service.fields_of(unit_service.get_unit(unit_id)))
            self.ui.hint_label.setText("改正名称中的错别字可直接修改；单位正式更名请用名册中的"
                                       "“更名”，以便保留历史名称。")
        # The duplicate check queries the database: wait for a pause in typing.
        self._check = QTimer(self, singleShot=True, interval=120)
        self._check.timeout.connect(self.validate)
        self.finished.connect(self._check.stop)  # closed: nothing left to check
        for edit in (self.ui.name_edit, self.ui.head_phone_edit, self.ui.hotline_edit,
                     self.ui.head_name_edit, self.ui.head_post_edit, self.ui.address_edit,
                     self.ui.code_edit, self.ui.volunteer_team_edit):
            edit.textChanged.connect(lambda _t: self._check.start())
        for combo in (self.ui.region_combo, self.ui.police_type_combo, self.ui.bureau_combo):
            combo.currentIndexChanged.connect(lambda _i: self.validate())
        self.ui.region_combo.currentIndexChanged.connect(lambda _i: self._default_bureau())
        self.ui.online_check.toggled.connect(self.ui.online_since_edit.setEnabled)
        self.ui.online_check.toggled.connect(lambda _on: self.validate())
        self.ui.online_since_edit.dateChanged.connect(lambda _d: self.validate())
        self.ui.online_since_edit.setEnabled(self.ui.online_check.isChecked())
        self.setMinimumSize(560, 300)
        self.resize(760, 380)
        self.validate()

    # -- choices ---------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        self.ui.region_combo.addItem("（请选择）", None)
        for ident, name in registry.unit_region_choices():
            self.ui.region_combo.addItem(name, ident)
        current_type = None
        if self.unit_id is not None:
            current_type = unit_service.get_unit(self.unit_id).police_type_id
        self.ui.police_type_combo.addItem("（请选择）", None)
        for ident, name in registry.police_type_choices():
            # A retired type is offered only to the units that already have it.
            if "已撤出" in name and ident != current_type:
                continue
            self.ui.police_type_combo.addItem(name, ident)
        self._bureaus = registry.bureau_choices()
        self.ui.bureau_combo.addItem("（不填）", None)
        for ident, name, _region in self._bureaus:
            self.ui.bureau_combo.addItem(name, ident)
        for kind in UNIT_KINDS:
            self.ui.unit_kind_combo.addItem(kind)
        self.ui.unit_kind_combo.setCurrentText("")

    def _default_bureau(self) -> None:
        """Picking a county picks its bureau when it has exactly one and none was chosen."""
        if self.ui.bureau_combo.currentData() is not None:
            return
        region = self.ui.region_combo.currentData()
        mine = [b for b in self._bureaus if b[2] == region]
        if len(mine) == 1:
            self.ui.bureau_combo.setCurrentIndex(self.ui.bureau_combo.findData(mine[0][0]))

    def _select(self, combo, value) -> None:  # type: ignore[no-untyped-def]
        index = combo.findData(value)
        if index < 0 and value is not None:
            return
        combo.setCurrentIndex(max(index, 0))

    def _load(self, f: unit_service.UnitFields) -> None:
        self.ui.name_edit.setText(f.name)
        self._select(self.ui.region_combo, f.region_id)
        if self.ui.region_combo.currentData() != f.region_id:  # merged region: show it anyway
            self.ui.region_combo.addItem(Region.get_by_id(f.region_id).name, f.region_id)
            self._select(self.ui.region_combo, f.region_id)
        self._select(self.ui.police_type_combo, f.police_type_id)
        self._select(self.ui.bureau_combo, f.bureau_id)
        self.ui.unit_kind_combo.setCurrentText(f.unit_kind)
        self.ui.code_edit.setText(f.code)
        self.ui.head_name_edit.setText(f.head_name)
        self.ui.head_post_edit.setText(f.head_post)
        self.ui.head_phone_edit.setText(f.head_phone)
        self.ui.hotline_edit.setText(f.rights_hotline)
        self.ui.address_edit.setText(f.address)
        self.ui.volunteer_team_edit.setText(f.volunteer_team)
        self.ui.note_edit.setText(f.note)
        self.ui.online_check.setChecked(f.online)
        if f.online_since:
            bound_happened(self.ui.online_since_edit, self.ctx.today(), f.online_since)

    # -- validation and saving -------------------------------------------------------------

    def fields(self) -> unit_service.UnitFields:
        online = self.ui.online_check.isChecked()
        return unit_service.UnitFields(
            name=self.ui.name_edit.text(),
            region_id=self.ui.region_combo.currentData(),
            police_type_id=self.ui.police_type_combo.currentData(),
            bureau_id=self.ui.bureau_combo.currentData(),
            code=self.ui.code_edit.text(),
            unit_kind=self.ui.unit_kind_combo.currentText(),
            head_name=self.ui.head_name_edit.text(),
            head_post=self.ui.head_post_edit.text(),
            head_phone=self.ui.head_phone_edit.text(),
            rights_hotline=self.ui.hotline_edit.text(),
            address=self.ui.address_edit.text(),
            online=online,
            online_since=pydate(self.ui.online_since_edit.date()) if online else None,
            volunteer_team=self.ui.volunteer_team_edit.text(),
            note=self.ui.note_edit.text(),
        )

    def validate(self) -> bool:
        self._check.stop()
        if self._not_ours:
            self.ui.error_label.setText(self._not_ours)
            self.save_button.setEnabled(False)
            return False
        return show_check(lambda: unit_service.validate_unit(self.fields(), unit_id=self.unit_id,
                                                             today=self.ctx.today()),
                          self.ui.error_label, self.save_button)

    def save(self) -> None:
        if not self.validate():
            return
        try:
            with self.ctx.acting("修改单位" if self.unit_id else "新增单位", unchanged=self.stamp):
                if self.unit_id is None:
                    unit = unit_service.create_unit(self.fields(), today=self.ctx.today())
                else:
                    unit = unit_service.update_unit(self.unit_id, self.fields(),
                                                    today=self.ctx.today())
        except StaleRecord as exc:  # someone saved first: read theirs in, keep what was typed
            self.stamp = take_theirs(
                self, exc, self.stamp, reopen=lambda: UnitDialog(self.ctx, unit_id=self.unit_id,
                                                                 parent=self),
                validate=self.validate, error_label=self.ui.error_label,
                save_button=self.save_button)
            return
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            self.save_button.setEnabled(False)
            return
        self.saved.emit(unit.id)
        self.accept()
