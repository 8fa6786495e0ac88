"""绩效考核 panel (a tab of the 检查记录 page): candidates ranked by their computed score, each
opening to its evidence, and the early warnings of titled units before their re-review.

Scores are computed from several record kinds per candidate, so the panel computes only when
it is on screen and something changed, never on every page load in the background.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.domain.statuses import CandidateStatus
from wqg_desktop.services import assessment
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import tidy_table

FORM = "assess_panel"

#: What each kind of evidence is called on screen.
SOURCE_KINDS = {
    "Inspection": "检查记录", "SurveyRound": "调查批次", "Activity": "专项/志愿活动",
    "Consultation": "咨询投诉", "TrainingAttendance": "负责人培训", "Unit": "单位名册",
}


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


RANK_COLUMNS = [
    Column("rank", "名次", fmt=lambda r: "—" if r is None else str(r), align_right=True),
    Column("unit", "创建单位"),
    Column("status", "状态"),
    Column("score", "综合得分", fmt=_score, align_right=True),
    Column("summary", "得分构成"),
]
COMPONENT_COLUMNS = [
    Column("label", "考核项目"),
    Column("value", "得分(百分制)", fmt=lambda v: f"{v:.1f}", align_right=True),
    Column("weight", "权重", fmt=lambda w: f"{w:g}", align_right=True),
    Column("contribution", "折算分", fmt=lambda c: f"{c:.1f}", align_right=True),
    Column("detail", "说明"),
]
SOURCE_COLUMNS = [
    Column("entity", "记录类别", fmt=lambda e: SOURCE_KINDS.get(e, e)),
    Column("label", "记录"),
]
WARNING_COLUMNS = [
    Column("unit", "单位"),
    Column("level", "称号级别"),
    Column("rereview_due", "复核到期", fmt=lambda d: format_date(d) if d else "未定"),
    Column("score", "绩效得分", fmt=_score, align_right=True),
    Column("reasons", "预警原因", fmt=lambda rs: "；".join(rs)),
]


def ranked_rows(pairs: list) -> list[dict]:
    """(candidate, assessment) pairs, best first, as table rows; equal scores share a place."""
    rows: list[dict] = []
    place, last = 0, None
    for number, (cand, found) in enumerate(pairs, start=1):
        if found.score is not None and found.score != last:
            place, last = number, found.score
        status = CandidateStatus(cand.status).label if cand.status in set(CandidateStatus) \
            else cand.status
        rows.append({"rank": place if found.score is not None else None,
                     "unit": cand.unit.name, "status": status, "score": found.score,
                     "summary": "、".join(f"{c.label} {c.value:.0f}" for c in found.components),
                     "assessment": found})
    return rows


class AssessPanel(QWidget):
    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.bus = ctx, bus
        self.ui = load_form(FORM, self, margins=False)
        self.ranking = RowsModel(RANK_COLUMNS, parent=self)
        self.components = RowsModel(COMPONENT_COLUMNS, parent=self)
        self.sources = RowsModel(SOURCE_COLUMNS, parent=self)
        self.warnings = RowsModel(WARNING_COLUMNS, highlight=self._overdue, parent=self)
        for table, model, stretch, em in ((self.ui.ranking_table, self.ranking, 1, 16),
                                          (self.ui.components_table, self.components, 0, 8),
                                          (self.ui.sources_table, self.sources, 1, 16),
                                          (self.ui.warnings_table, self.warnings, 0, 16)):
            table.setModel(model)
            tidy_table(table, stretch_column=stretch, name_width_em=em)
        self.ui.ranking_table.verticalHeader().hide()  # the 名次 column says it
        self.ui.ranking_splitter.setSizes([200, 200])
        self.ui.ranking_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_evidence(cur.row()))
        self.ui.components_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_sources(cur.row()))
        self._campaign_id: int | None = None
        self._stale = True

    # -- loading ---------------------------------------------------------------------------

    def set_campaign(self, campaign_id: int | None) -> None:
        self._campaign_id = campaign_id
        self.mark_stale()

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._stale:
            self.load()
        super().showEvent(event)

    def load(self) -> None:
        self._stale = False
        self._load_ranking()
        self._load_warnings()

    def _load_ranking(self) -> None:
        w = assessment.weights()
        parts = "、".join(f"{label} {w[key]:g}" for key, label in assessment.LABELS.items()
                         if w.get(key, 0) > 0)
        if not self._campaign_id:
            self.ranking.set_rows([])
            self.ui.ranking_label.setText("请在上方选择一个创建活动，查看其创建单位的绩效排名。")
            self._show_evidence(-1)
            return
        rows = ranked_rows(assessment.rank_candidates(self._campaign_id, today=self.ctx.today()))
        self.ranking.set_rows(rows)
        scored = sum(1 for r in rows if r["score"] is not None)
        self.ui.ranking_label.setText(
            f"共 {len(rows)} 个创建单位，{scored} 个有评分依据。权重：{parts}"
            f"（活动 {w['activity_target']:g} 次得满分）；某一部分没有记录时不计入，"
            "按其余部分的权重折算。")
        if rows:
            self.ui.ranking_table.selectRow(0)
            self._show_evidence(0)
        else:
            self._show_evidence(-1)

    def _load_warnings(self) -> None:
        found = assessment.early_warnings(today=self.ctx.today())
        self.warnings.set_rows(found)
        self.ui.warnings_label.setText(
            (f"{len(found)} 个称号单位在复核前出现预警" if found else "目前没有预警")
            + f"（依据：满意度比上次调查下降、检查整改逾期未复查合格、负责人未参加培训、"
            f"绩效得分低于 {assessment.WARNING_SCORE:g} 分）。按复核到期日排列，红色为复核已逾期。")
        self.ui.assess_tabs.setTabText(1, f"复核预警（{len(found)}）" if found else "复核预警")

    def _overdue(self, warning: assessment.EarlyWarning) -> bool:
        due: dt.date | None = warning.rereview_due
        return due is not None and due < self.ctx.today()

    # -- evidence --------------------------------------------------------------------------

    def _show_evidence(self, row: int) -> None:
        if row < 0 or row >= self.ranking.rowCount():
            self.components.set_rows([])
            self.sources.set_rows([])
            self.ui.evidence_label.setText("选中一个单位，查看得分的构成和依据的记录。")
            return
        found: assessment.Assessment = self.ranking.row_at(row)["assessment"]
        start, end = found.period
        period = f"考核期 {format_date(start) if start else '未定'} 至 {format_date(end) if end else '今天'}"
        if found.score is None:
            head = f"{found.subject}：暂无检查、调查或工作记录，无法评分（{period}）。"
        else:
            head = (f"{found.subject}：综合得分 {found.score:.1f} ＝ 各项得分 × 权重 ÷ 权重合计 "
                    f"{sum(c.weight for c in found.components):g}（{period}）。选中一项查看依据的记录。")
        self.ui.evidence_label.setText(head)
        self.components.set_rows(found.components)
        if found.components:
            self.ui.components_table.selectRow(0)
            self._show_sources(0)
        else:
            self.sources.set_rows([])

    def _show_sources(self, row: int) -> None:
        if row < 0 or row >= self.components.rowCount():
            self.sources.set_rows([])
            return
        self.sources.set_rows(self.components.row_at(row).sources)
