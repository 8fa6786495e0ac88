"""修改活动: the plan of a campaign after creation, checked as typed like 新建活动.

Fields whose step has already been taken are greyed out with the reason (the service refuses
them too: the rule is in ``services/campaign_edit``); a date not fixed yet shows “未定”.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign
from wqg_desktop.domain import date_rules, lifecycle
from wqg_desktop.domain.chinese import Term
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CampaignStage
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import campaign_edit, campaigns
from wqg_desktop.ui.dates import bound, qdate
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form

FORM = "campaign_edit_dialog"

_DATES = ("application_start", "application_end", "creation_start", "creation_end",
          "review_planned", "naming_planned")
#: the smallest date of the date boxes stands for "not fixed yet" (shown as 未定): the day
#: before the earliest date a plan may hold, so every real date stays reachable
_UNSET_DAY = date_rules.EARLIEST - dt.timedelta(days=1)
_UNSET = qdate(_UNSET_DAY)

#: field → the widget that edits it
_WIDGETS = {**{k: f"{k}_edit" for k in _DATES}, "name": "name_edit",
            "document_no": "document_no_edit", "naming_bodies": "bodies_edit",
            "quota": "quota_spin", "min_inspections": "min_inspections_spin",
            "require_online": "require_online_check", "note": "note_edit"}


def split_bodies(text: str) -> list[str]:
    """Joint naming bodies typed with 、 , or ，between them."""
    return [b.strip() for b in text.replace(",", "、").replace("，", "、").split("、") if b.strip()]


class CampaignEditDialog(GuardedDialog):
    """Emits ``saved()`` once the change is stored; stays open on a refusal."""

    saved = Signal()

    def __init__(self, ctx: AppContext, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.campaign = Campaign.get_by_id(campaign_id)
        self.setWindowTitle(f"修改活动：{self.campaign.name}")
        self.ui = load_form(FORM, self)
        c = self.campaign
        self.ui.level_label.setText(
            f"{Level(c.level).label}创建活动，{Term(c.term_start).label}，"
            f"当前阶段：{CampaignStage(c.stage).label}（层级和年度不能修改）")
        plan = campaign_edit.current_plan(c)
        ui = self.ui
        ui.name_edit.setText(str(plan["name"]))
        ui.document_no_edit.setText(str(plan["document_no"]))
        horizon = date_rules.plan_horizon(ctx.today())
        for key in _DATES:
            edit: QDateEdit = getattr(ui, f"{key}_edit")
            edit.setSpecialValueText("未定")
            bound(edit, _UNSET_DAY, horizon, plan[key] or _UNSET_DAY)  # type: ignore[arg-type]
            edit.dateChanged.connect(lambda _d: self._validate())
        ui.bodies_edit.setText("、".join(plan["naming_bodies"]))  # type: ignore[arg-type]
        ui.quota_spin.setValue(plan["quota"] or 0)  # type: ignore[arg-type]
        ui.min_inspections_spin.setValue(int(plan["min_inspections"]))  # type: ignore[call-overload]
        ui.require_online_check.setChecked(bool(plan["require_online"]))
        ui.note_edit.setPlainText(str(plan["note"]))
        for edit in (ui.name_edit, ui.document_no_edit, ui.bodies_edit):
            edit.textChanged.connect(lambda _t: self._validate())
        for spin in (ui.quota_spin, ui.min_inspections_spin):
            spin.valueChanged.connect(lambda _v: self._validate())
        ui.require_online_check.toggled.connect(lambda _v: self._validate())
        ui.note_edit.textChanged.connect(self._validate)
        self._lock(campaign_edit.locked_fields(c))
        ui.button_box.accepted.connect(self.save)
        ui.button_box.rejected.connect(self.reject)
        self.ok_button = ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("保存")
        self.first = self.answers()
        self.resize(540, 460)
        self._validate()

    def _lock(self, locked: dict[str, str]) -> None:
        for key, why in locked.items():
            if key in _WIDGETS:
                widget = getattr(self.ui, _WIDGETS[key])
                widget.setEnabled(False)
                widget.setToolTip(f"不能再修改：{why}。")
        if locked:
            reasons = "；".join(dict.fromkeys(locked.values()))
            self.ui.locked_label.setText(f"灰色项不能再修改：{reasons}。")

    def answers(self) -> dict:
        ui = self.ui
        dates = {}
        for key in _DATES:
            q = getattr(ui, f"{key}_edit").date()
            dates[key] = None if q == _UNSET else dt.date(q.year(), q.month(), q.day())
        return dict(name=ui.name_edit.text().strip(), document_no=ui.document_no_edit.text().strip(),
                    naming_bodies=split_bodies(ui.bodies_edit.text()),
                    quota=ui.quota_spin.value() or None,
                    min_inspections=ui.min_inspections_spin.value(),
                    require_online=ui.require_online_check.isChecked(),
                    note=ui.note_edit.toPlainText().strip(), **dates)

    def _validate(self) -> bool:
        a = self.answers()
        problem = ""
        first = getattr(self, "first", a)
        try:
            # only the dates being changed, as the service checks them
            campaigns.check_plan_dates({k: a[k] for k in _DATES if a[k] != first[k]},
                                       today=self.ctx.today())
            campaigns.check_plan(**{k: a[k] for k in _DATES}, quota=a["quota"],
                                 office_quotas=None, min_inspections=a["min_inspections"])
        except InputRefused as exc:
            problem = exc.message
        if not problem and not a["name"]:
            problem = "活动名称不能为空。"
        if not problem and not a["naming_bodies"]:
            problem = "请至少填写一个命名单位。"
        self.ui.error_label.setText(problem)
        # the two-year warning only where the officer is changing the period (not for old data)
        moved = (a["creation_start"], a["creation_end"]) != (
            self.first["creation_start"], self.first["creation_end"])
        self.ui.warning_label.setText(
            (lifecycle.creation_period_warning(a["creation_start"], a["creation_end"]) or "")
            if moved else "")
        # nothing to save until something changed (locked fields cannot change at all)
        self.ok_button.setEnabled(not problem and a != self.first)
        return not problem

    def save(self) -> None:
        if not self._validate():
            return
        try:
            with self.ctx.acting("修改活动"):
                campaign_edit.update_campaign(campaign=self.campaign, today=self.ctx.today(),
                                              **self.answers())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.saved.emit()
        self.accept()
