"""审核: the ranking by score, 达标 ticks, the count against the 20% differential.

The count and the convention in force sit under the table and update as the officer ticks;
passing more than the differential allows opens the override reason box, which must be filled.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign
from wqg_desktop.domain import lifecycle
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import campaign_review
from wqg_desktop.ui.dialogs.campaign_checks import CheckColumn, CheckRowsModel
from wqg_desktop.ui.dialogs.candidate_score_dialog import CandidateScoreDialog
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.pages.base import tidy_table

FORM = "review_dialog"


def _score(s: float | None) -> str:
    return "未评分" if s is None else f"{s:.1f}"


class ReviewDialog(GuardedDialog):
    """Emits ``reviewed()`` after the decision is stored."""

    reviewed = Signal()

    def __init__(self, ctx: AppContext, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.campaign = Campaign.get_by_id(campaign_id)
        self.setWindowTitle(f"审核：{self.campaign.name}")
        self.ui = load_form(FORM, self)
        self.convention = campaign_review.convention()
        self.ui.convention_label.setText(lifecycle.convention_text(self.convention))
        self.model = CheckRowsModel([
            CheckColumn("passed", "达标", checkable=True),
            CheckColumn("demo", "示范单位", checkable=True),
            CheckColumn("rank", "名次"), CheckColumn("unit", "单位名称"),
            CheckColumn("score", "得分", fmt=_score), CheckColumn("source", "得分来源")], self)
        self.ui.ranking_table.setModel(self.model)
        tidy_table(self.ui.ranking_table, stretch_column=3)
        rows = self._ranking()
        limit = lifecycle.differential_max_pass(len(rows), self.convention)
        # start from the ranking: the best ``limit`` pass, as the differential allows
        self.model.set_rows(rows, {"passed": set(range(limit))})
        if rows:
            self.ui.ranking_table.selectRow(0)
        self.model.ticked.connect(self._update)
        self.score_dialog: QDialog | None = None  # the open 得分与依据 (tests reach it here)
        self.ui.evidence_button.clicked.connect(self.show_evidence)
        self.ui.ranking_table.doubleClicked.connect(lambda _index: self.show_evidence())
        # an older campaign without a planned end still has its two-year period
        end = lifecycle.creation_end_of(self.campaign.creation_start, self.campaign.creation_end)
        self.early = end is not None and ctx.today() <= end
        self.ui.early_edit.setEnabled(self.early)
        self.ui.intro_label.setText(
            f"参评 {len(rows)} 个单位，按得分排名。勾选达标的单位；未勾选的为未达标。"
            + (f"创建期到 {format_date(end)} 才结束，提前审核须写明理由。" if self.early else ""))
        self.ui.override_edit.textChanged.connect(self._update)
        self.ui.early_edit.textChanged.connect(lambda _t: self._update())
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self.ok_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定审核结果")
        self.resize(680, 460)
        self._update()

    def _ranking(self) -> list:
        rows = campaign_review.ranking(self.campaign, today=self.ctx.today())
        for r in rows:
            r.id = r.candidate_id  # type: ignore[attr-defined]
        return rows

    def show_evidence(self) -> None:
        """得分与依据 of the selected candidate; a changed hand score re-ranks, ticks kept."""
        row = self.ui.ranking_table.currentIndex().row()
        if not 0 <= row < len(self.model.rows):
            self.ui.error_label.setText("请先在表中选择一个单位。")
            return
        chosen = self.model.rows[row].candidate_id
        self.score_dialog = CandidateScoreDialog(self.ctx, chosen, self)
        self.score_dialog.saved.connect(lambda: self._rerank(chosen))
        self.score_dialog.open()

    def _rerank(self, keep: int) -> None:
        ticked = {key: set(self.model.checked_ids(key)) for key in ("passed", "demo")}
        rows = self._ranking()
        self.model.set_rows(rows, {key: {i for i, r in enumerate(rows) if r.id in ids}
                                   for key, ids in ticked.items()})
        self.ui.ranking_table.selectRow(next(i for i, r in enumerate(rows) if r.id == keep))
        self._update()

    def _update(self) -> None:
        reviewed = len(self.model.rows)
        passed = len(self.model.checked_ids("passed"))
        limit = lifecycle.differential_max_pass(reviewed, self.convention)
        over = passed > limit
        self.ui.count_label.setText(f"达标 {passed} 个 / 按差额比例至多 {limit} 个（参评 {reviewed} 个）"
                                    + ("：超出，须写明理由" if over else ""))
        self.ui.count_label.setStyleSheet(
            "font-weight: bold;" + (" color: #b00020;" if over else ""))
        self.ui.override_edit.setEnabled(over)
        problem = ""
        if over and not self.ui.override_edit.toPlainText().strip():
            problem = "达标单位超过差额比例允许的数量：请减少达标单位，或写明突破的理由。"
        elif self.early and not self.ui.early_edit.text().strip():
            problem = "创建期尚未结束：请写明提前审核的理由。"
        elif set(self.model.checked_ids("demo")) - set(self.model.checked_ids("passed")):
            problem = "示范单位只能从达标单位中选出。"
        self.ui.error_label.setText(problem)
        self.ok_button.setEnabled(reviewed > 0 and not problem)

    def save(self) -> None:
        try:
            with self.ctx.acting("审核"):
                campaign_review.review_campaign(
                    campaign=self.campaign, passed=self.model.checked_ids("passed"),
                    today=self.ctx.today(),
                    override_reason=self.ui.override_edit.toPlainText(),
                    early_reason=self.ui.early_edit.text(),
                    demonstration=self.model.checked_ids("demo"))
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.reviewed.emit()
        self.accept()
