"""得分与依据: a candidate's score, where it comes from, and the evidence behind each part.

The parts of the assessment (value, weight, contribution, the records they came from) fill the
upper table; the records of the selected part the lower one. Where no assessment can be
computed yet, the hand score that stands in is entered here, through the same service the
command line uses (``campaign_review.set_score``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Candidate
from wqg_desktop.domain.statuses import CandidateStatus
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import campaign_review
from wqg_desktop.services.stats import LABELS as RECORD_LABELS
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import tidy_table

FORM = "candidate_score_dialog"


def _num(fmt: str):  # type: ignore[no-untyped-def]
    return lambda v: "" if v is None else format(v, fmt)


COMPONENT_COLUMNS = [
    Column("label", "得分项"),
    Column("value", "分值", fmt=_num(".1f"), align_right=True),
    Column("weight", "权重", fmt=_num("g"), align_right=True),
    Column("contribution", "折合得分", fmt=_num(".1f"), align_right=True),
    Column("detail", "说明"),
]
SOURCE_COLUMNS = [Column("kind", "记录类别"), Column("label", "依据记录")]


def parse_score(text: str) -> float | None:
    """The typed hand score: ``None`` when blank; a Chinese refusal when not 0–100."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputRefused("得分应是 0 到 100 之间的数字，例如 86.5。") from None
    if not 0 <= value <= 100:
        raise InputRefused("得分应在 0 到 100 之间。")
    return round(value, 1)


class CandidateScoreDialog(GuardedDialog):
    """Emits ``saved()`` after the hand score changed."""

    saved = Signal()

    def __init__(self, ctx: AppContext, candidate_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.candidate = Candidate.get_by_id(candidate_id)
        unit = self.candidate.unit.name
        self.setWindowTitle(f"得分与依据：{unit}")
        self.ui = load_form(FORM, self)
        self.found = campaign_review.score_source(self.candidate, today=ctx.today())
        status = CandidateStatus(self.candidate.status)
        self.ui.intro_label.setText(f"{unit}（{status.label}），{self.candidate.campaign.name}")
        score = "未评分" if self.found.score is None else f"{self.found.score:.1f}"
        self.ui.source_label.setText(f"排名得分：{score}　来源：{self.found.label}")
        self.components = RowsModel(COMPONENT_COLUMNS, parent=self)
        self.sources = RowsModel(SOURCE_COLUMNS, parent=self)
        self.ui.components_table.setModel(self.components)
        self.ui.sources_table.setModel(self.sources)
        tidy_table(self.ui.components_table, stretch_column=4, name_width_em=12)
        tidy_table(self.ui.sources_table, stretch_column=1)
        self.ui.evidence_splitter.setStretchFactor(0, 3)
        self.ui.evidence_splitter.setStretchFactor(1, 2)
        self.components.set_rows(self._component_rows())
        self.ui.components_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_sources(current.row()))
        if self.components.rowCount():
            self.ui.components_table.selectRow(0)
            self._show_sources(0)
        self.ok_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("保存手工得分")
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        # a database opened read-only is only looked at
        self.editable = self._explain(status) and not ctx.opened.read_only
        for widget in (self.ui.score_edit, self.ok_button):
            widget.setEnabled(self.editable)
        manual = self.candidate.manual_score
        if self.found.source == "assessment":  # a stored hand score would only confuse here
            self.ui.score_edit.setPlaceholderText("已有绩效考核得分，不用手工录入")
        elif manual is not None:
            self.ui.score_edit.setText(f"{manual:g}")
        self.ui.score_edit.textChanged.connect(lambda _t: self._validate())
        self.resize(640, 440)
        self._validate()

    def _component_rows(self) -> list[dict]:
        assessment = self.found.assessment
        if assessment is None:
            return []
        combined = assessment.score is not None  # type: ignore[attr-defined]
        return [{"label": c.label, "value": c.value, "weight": c.weight,
                 "contribution": c.contribution if combined else None, "detail": c.detail,
                 "sources": c.sources}
                for c in assessment.components]  # type: ignore[attr-defined]

    def _show_sources(self, row: int) -> None:
        if 0 <= row < self.components.rowCount():
            self.sources.set_rows([{"kind": RECORD_LABELS.get(s.entity, s.entity), "label": s.label}
                                   for s in self.components.row_at(row)["sources"]])

    def _explain(self, status: CandidateStatus) -> bool:
        """Say why the hand score can or cannot be entered; True when it can."""
        if self.found.source == "assessment":
            self.ui.hint_label.setText(
                "得分由绩效考核计算（上表），排名以它为准；手工得分只在没有考核记录时代替。"
                "如需调整，请补录或更正检查、调查记录。")
            return False
        if status not in campaign_review.SCORABLE:
            self.ui.hint_label.setText(
                f"该单位目前是“{status.label}”：得分只能在申报后、审核前录入或修改。")
            return False
        self.ui.hint_label.setText(
            "暂无检查、调查或工作记录，无法计算绩效得分：可先手工录入得分代替；"
            "录入考核记录后，排名自动改用考核得分。")
        return True

    def _validate(self) -> bool:
        if not self.editable:
            return False
        try:
            value = parse_score(self.ui.score_edit.text())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            self.ok_button.setEnabled(False)
            return False
        self.ui.error_label.setText("")
        self.ok_button.setEnabled(value != self.candidate.manual_score)
        return True

    def save(self) -> None:
        if not self._validate():
            return
        try:
            with self.ctx.acting("录入得分"):
                campaign_review.set_score(candidate=self.candidate,
                                          score=parse_score(self.ui.score_edit.text()))
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.saved.emit()
        self.accept()
