"""新建创建活动: level (this office's), term, dates, naming bodies, quota — checked as typed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain import lifecycle
from wqg_desktop.domain.chinese import parse_term
from wqg_desktop.domain.levels import Level
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import campaigns
from wqg_desktop.ui.dates import bound_planned, pydate
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form

FORM = "campaign_create_dialog"

_DATES = ("application_start", "application_end", "creation_start", "creation_end",
          "naming_planned")


class CampaignCreateDialog(GuardedDialog):
    """Emits ``created(uuid)`` once the campaign is stored; stays open on a refusal."""

    created = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("新建创建活动")
        self.ui = load_form(FORM, self)
        office = campaigns.this_office()
        self.level = Level(office.level)
        self.ui.level_label.setText(f"主办：{office.name}（{self.level.label}创建活动）")
        today = ctx.today()
        term = today.year if today.year % 2 else today.year + 1  # terms start in odd years
        self.ui.term_edit.setText(parse_term(term).label)
        defaults = (dt.date(term - 1, 11, 1), dt.date(term - 1, 12, 15), dt.date(term, 1, 1),
                    dt.date(term + 1, 12, 31), dt.date(term + 2, 3, 31))  # two full years
        for key, day in zip(_DATES, defaults, strict=True):
            bound_planned(getattr(self.ui, f"{key}_edit"), today, day)
            getattr(self.ui, f"{key}_edit").dateChanged.connect(lambda _d: self._validate())
        league = f"共青团{office.region_name}委"
        self.ui.bodies_edit.setText(f"{league}、{office.name}")
        for edit in (self.ui.term_edit, self.ui.bodies_edit):
            edit.textChanged.connect(lambda _t: self._validate())
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self.ok_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("保存")
        self.resize(520, 440)
        self._validate()

    def answers(self) -> dict:
        dates = {k: pydate(getattr(self.ui, f"{k}_edit").date()) for k in _DATES}
        bodies = [b.strip() for b in self.ui.bodies_edit.text().replace(",", "、")
                  .replace("，", "、").split("、") if b.strip()]
        quota = self.ui.quota_spin.value() or None
        return dict(level=self.level, term=self.ui.term_edit.text(), name=self.ui.name_edit.text(),
                    naming_bodies=bodies, quota=quota,
                    require_online=self.ui.require_online_check.isChecked(),
                    min_inspections=self.ui.min_inspections_spin.value(), **dates)

    def _validate(self) -> bool:
        a = self.answers()
        problem = ""
        try:
            campaigns.check_term(a["term"], today=self.ctx.today())
            campaigns.check_plan_dates({k: a[k] for k in _DATES}, today=self.ctx.today())
        except InputRefused as exc:
            problem = exc.message
        order = [a[k] for k in _DATES]
        if not problem and order != sorted(order):
            problem = "日期应依次为：申报开始 ≤ 申报截止 ≤ 创建期开始 ≤ 创建期结束 ≤ 计划命名。"
        if not problem and not a["naming_bodies"]:
            problem = "请至少填写一个命名单位。"
        self.ui.error_label.setText(problem)
        self.ui.warning_label.setText(
            lifecycle.creation_period_warning(a["creation_start"], a["creation_end"]) or "")
        self.ok_button.setEnabled(not problem)
        return not problem

    def save(self) -> None:
        if not self._validate():
            return
        try:
            with self.ctx.acting("新建创建活动"):
                made = campaigns.create_campaign(today=self.ctx.today(), **self.answers())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.created.emit(made.campaign.uuid)
        self.accept()
