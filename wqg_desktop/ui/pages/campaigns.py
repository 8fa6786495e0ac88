"""创建活动: the campaigns and their candidates (the lifecycle actions come with issue 4)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.services import campaigns_view
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import Page, tidy_table

FORM = "campaigns_page"


def _date(d: object) -> str:
    return format_date(d) if d else ""  # type: ignore[arg-type]


CAMPAIGN_COLUMNS = [
    Column("name", "活动名称"),
    Column("level", "层级"),
    Column("term", "年度"),
    Column("stage", "阶段"),
    Column("office", "主办单位"),
    Column("creation_end", "创建期结束", fmt=_date),
    Column("naming_planned", "计划命名", fmt=_date),
    Column("candidates", "创建单位数", align_right=True),
]
CANDIDATE_COLUMNS = [
    Column("unit", "单位名称"),
    Column("status", "状态"),
    Column("inspections", "检查次数", align_right=True),
    Column("score", "得分", fmt=lambda s: "" if s is None else f"{s:.1f}", align_right=True),
]


class CampaignsPage(Page):
    TITLE = "创建活动"
    HELP = "创建活动"
    WATCHES = ("Campaign", "Candidate", "Inspection")

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.campaigns = RowsModel(CAMPAIGN_COLUMNS, parent=self)
        self.candidates = RowsModel(CANDIDATE_COLUMNS, parent=self)
        self.ui.campaigns_table.setModel(self.campaigns)
        self.ui.candidates_table.setModel(self.candidates)
        tidy_table(self.ui.campaigns_table, stretch_column=0)
        tidy_table(self.ui.candidates_table, stretch_column=0)
        self.ui.campaigns_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_candidates(current.row())
        )

    def load(self) -> None:
        self.campaigns.set_rows(campaigns_view.list_campaigns())
        if self.campaigns.rowCount():
            self.ui.campaigns_table.selectRow(0)
            self._show_candidates(0)
        else:
            self.candidates.set_rows([])
            self.ui.candidates_label.setText("还没有创建活动。")

    def _show_candidates(self, row: int) -> None:
        if row < 0 or row >= self.campaigns.rowCount():
            return
        campaign = self.campaigns.row_at(row)
        rows = campaigns_view.list_candidates(campaign.id)
        self.candidates.set_rows(rows)
        self.ui.candidates_label.setText(f"{campaign.name}：创建单位 {len(rows)} 个")
