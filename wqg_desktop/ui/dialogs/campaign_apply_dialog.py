"""申报 / 推荐申报: tick the units to enter; an ineligible unit says why and cannot be ticked."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign, Unit, database
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import campaigns, campaigns_view
from wqg_desktop.ui.dialogs.campaign_checks import CheckColumn, CheckRowsModel
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.pages.base import tidy_table

FORM = "campaign_apply_dialog"


class CampaignApplyDialog(GuardedDialog):
    """Emits ``applied(count)`` after the ticked units were entered (all or none)."""

    applied = Signal(int)

    def __init__(self, ctx: AppContext, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.campaign = Campaign.get_by_id(campaign_id)
        self.recommending = self.campaign.level > campaigns.this_office().level
        verb = "推荐申报" if self.recommending else "申报"
        self.setWindowTitle(f"{verb}：{self.campaign.name}")
        self.ui = load_form(FORM, self)
        self.ui.intro_label.setText(
            f"勾选要{verb}的单位，按空格键勾选当前行。灰色的单位不符合条件，最后一栏写明原因"
            "（逐级申报、已持有称号、不再从事青少年工作等；鼠标停留可看全文）。")
        self.model = CheckRowsModel([CheckColumn("pick", "选择", checkable=True),
                                     CheckColumn("name", "单位名称"),
                                     CheckColumn("region", "县(市、区)"),
                                     CheckColumn("disabled_reason", "不能申报的原因")], self)
        self.ui.units_table.setModel(self.model)
        tidy_table(self.ui.units_table, stretch_column=3)
        self.model.ticked.connect(self._count)
        self.ui.search_edit.textChanged.connect(lambda _t: self.load())
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self.ok_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(verb)
        self.ui.units_table.installEventFilter(self)
        self.resize(640, 420)
        self.load()

    def input_state(self) -> dict:
        # the ticked units; the search box only filters the list
        return {"picked": tuple(sorted(self.model.checked_ids("pick")))}

    def load(self) -> None:
        picked = {r.id for r in self.model.rows if r.id in set(self.model.checked_ids("pick"))}
        rows = campaigns_view.apply_choices(self.campaign, text=self.ui.search_edit.text())
        self.model.set_rows(rows, {"pick": {i for i, r in enumerate(rows) if r.id in picked}})

    def eventFilter(self, obj, event) -> bool:  # type: ignore[no-untyped-def]
        if (obj is self.ui.units_table and event.type() == event.Type.KeyPress
                and event.key() == Qt.Key.Key_Space):
            row = self.ui.units_table.currentIndex().row()
            if row >= 0:
                self.model.toggle(row, "pick")
            return True
        return super().eventFilter(obj, event)

    def _count(self) -> None:
        n = len(self.model.checked_ids("pick"))
        eligible = sum(1 for r in self.model.rows if not r.disabled_reason)
        self.ui.count_label.setText(f"可选 {eligible} 个，已勾选 {n} 个")
        self.ok_button.setEnabled(n > 0)

    def save(self) -> None:
        ids = self.model.checked_ids("pick")
        step = campaigns.recommend_unit if self.recommending else campaigns.apply_unit
        try:
            with self.ctx.acting("推荐申报" if self.recommending else "申报"), database.atomic():
                for uid in ids:
                    step(campaign=self.campaign, unit=Unit.get_by_id(uid), today=self.ctx.today())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.applied.emit(len(ids))
        self.accept()
