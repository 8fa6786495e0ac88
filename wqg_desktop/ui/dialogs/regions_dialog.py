"""行政区划与警种: rename or merge counties and bureaus (history kept), retire or add a
police type. Each action asks for confirmation and is one service call."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Bureau, PoliceType, Region
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import units_reorg
from wqg_desktop.ui import messages
from wqg_desktop.ui.dates import bound_register, pydate
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form

FORM = "regions_dialog"


class RegionsDialog(GuardedDialog):
    """Emits ``done_change(entity)`` ("Region", "Bureau", "PoliceType") after each change."""

    done_change = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = load_form(FORM, self)
        self.setWindowTitle("行政区划与警种")
        today = ctx.today()
        for edit in (self.ui.region_on_edit, self.ui.bureau_on_edit, self.ui.retire_on_edit):
            bound_register(edit, today, today)
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.ui.button_box.rejected.connect(self.reject)
        for p in ("region", "bureau"):
            getattr(self.ui, f"{p}_rename_radio").toggled.connect(lambda _c, p=p: self._mode(p))
            getattr(self.ui, f"{p}_apply_button").clicked.connect(lambda _c=False, p=p: self.apply(p))
        self.ui.retire_button.clicked.connect(self.retire)
        self.ui.add_type_button.clicked.connect(self.add_type)
        self.setMinimumSize(420, 300)
        self.resize(560, 360)
        self.load()

    def load(self) -> None:
        regions = [(r.id, r.name) for r in Region.select()
                   .where(Region.kind == RegionKind.COUNTY, Region.merged_into.is_null())
                   .order_by(Region.sort_order, Region.name)]
        bureaus = [(b.id, b.name) for b in Bureau.select().where(Bureau.merged_into.is_null())
                   .order_by(Bureau.name)]
        for p, rows in (("region", regions), ("bureau", bureaus)):
            for combo in (getattr(self.ui, f"{p}_pick_combo"), getattr(self.ui, f"{p}_into_combo")):
                combo.clear()
                for ident, name in rows:
                    combo.addItem(name, ident)
            self._mode(p)
        self.ui.ptype_combo.clear()
        for pt in PoliceType.select().where(PoliceType.retired_on.is_null()).order_by(
                PoliceType.sort_order):
            self.ui.ptype_combo.addItem(pt.name, pt.id)

    def _mode(self, p: str) -> None:
        rename = getattr(self.ui, f"{p}_rename_radio").isChecked()
        getattr(self.ui, f"{p}_new_name_edit").setEnabled(rename)
        getattr(self.ui, f"{p}_into_combo").setEnabled(not rename)

    def _run(self, question: str, entity: str, action,  # type: ignore[no-untyped-def]
             used: tuple[QWidget, ...] = ()) -> bool:
        """``used``: the inputs this action took, now saved (what the other tabs hold is not)."""
        if not messages.confirm(self, question):
            return False
        try:
            with self.ctx.acting("行政区划与警种调整"):
                result = action()
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return False
        self.ui.error_label.setText(result if isinstance(result, str) else "已完成。")
        self.done_change.emit(entity)
        self.load()
        # the lists were filled again: what they show now is the new starting point
        self.mark_clean(*used, *self.findChildren(QComboBox))
        return True

    def apply(self, p: str) -> None:
        what = "县(市、区)" if p == "region" else "公安局/分局"
        pick = getattr(self.ui, f"{p}_pick_combo")
        ident, name = pick.currentData(), pick.currentText()
        if ident is None:
            self.ui.error_label.setText(f"请选择{what}。")
            return
        on, today = pydate(getattr(self.ui, f"{p}_on_edit").date()), self.ctx.today()
        entity = "Region" if p == "region" else "Bureau"
        if getattr(self.ui, f"{p}_rename_radio").isChecked():
            new = getattr(self.ui, f"{p}_new_name_edit").text().strip()
            if not new:
                self.ui.error_label.setText("请填写新名称。")
                return
            rename = units_reorg.rename_region if p == "region" else units_reorg.rename_bureau
            if self._run(f"将{what}“{name}”更名为“{new}”（自 {on:%Y-%m-%d} 起）？原名称作为历史保留。",
                         entity, lambda: rename(ident, new_name=new, on=on, today=today)
                         and f"已更名为“{new}”。", self._tab_inputs(p)):
                getattr(self.ui, f"{p}_new_name_edit").clear()
                self.mark_clean(getattr(self.ui, f"{p}_new_name_edit"))
            return
        into = getattr(self.ui, f"{p}_into_combo")
        merge = units_reorg.merge_region if p == "region" else units_reorg.merge_bureau
        self._run(f"将{what}“{name}”并入“{into.currentText()}”（自 {on:%Y-%m-%d} 起）？"
                  "其单位将归入后者，原记录保留。此操作不能撤回。", entity,
                  lambda: f"已合并，{merge(ident, into_id=into.currentData(), on=on, today=today)} "
                          "个单位随之转入。", self._tab_inputs(p))

    def _tab_inputs(self, p: str) -> tuple[QWidget, ...]:
        return tuple(getattr(self.ui, f"{p}_{name}") for name in (
            "rename_radio", "merge_radio", "new_name_edit", "on_edit"))

    def retire(self) -> None:
        ident, name = self.ui.ptype_combo.currentData(), self.ui.ptype_combo.currentText()
        if ident is None:
            return
        reason = self.ui.retire_reason_edit.text()
        on = pydate(self.ui.retire_on_edit.date())
        self._run(f"撤出警种“{name}”？之后不能再新增该警种的单位，原有单位和记录保留。", "PoliceType",
                  lambda: units_reorg.retire_police_type(ident, on=on, reason=reason,
                                                         today=self.ctx.today())
                  and f"警种“{name}”已撤出。", (self.ui.retire_on_edit, self.ui.retire_reason_edit))

    def add_type(self) -> None:
        name = self.ui.new_type_edit.text().strip()
        if self._run(f"新增警种“{name}”？", "PoliceType",
                     lambda: units_reorg.add_police_type(name) and f"已新增警种“{name}”。"):
            self.ui.new_type_edit.clear()
            self.mark_clean(self.ui.new_type_edit)
