"""检查记录 dialog: who inspected what, when, the checklist scored item by item, and the
problems with their rectification. Opens with ``open()``; ``saved(id, warnings)`` on save."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QDialogButtonBox, QHeaderView, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign, Inspection, Unit
from wqg_desktop.errors import WqgError
from wqg_desktop.services import campaigns_view, inspections
from wqg_desktop.ui.dates import bound_happened, bound_planned, pydate
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.pages.base import tidy_table
from wqg_desktop.ui.widgets.combos import fill_combo

FORM = "inspection_dialog"

HEADERS = ("序号", "类别", "检查内容", "分值", "得分")
COL_SCORE = 4


class ChecklistModel(QAbstractTableModel):
    """The checklist items with an editable score column, validated 0..weight as typed."""

    refused = Signal(str)
    totals_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list = []
        self.scores: dict[int, float] = {}

    def set_items(self, items: list, scores: dict[int, float | None] | None = None) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.scores = {k: v for k, v in (scores or {}).items() if v is not None}
        self.endResetModel()
        self.totals_changed.emit()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == COL_SCORE else base

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, col = self.items[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            score = self.scores.get(item.id)
            return (str(index.row() + 1), item.group_no, item.text, f"{item.weight:g}",
                    "" if score is None else f"{score:g}")[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (2, COL_SCORE):
            return f"{item.text}\n评分细则：{item.scoring_rule}"
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != COL_SCORE:
            return False
        item = self.items[index.row()]
        text = str(value).strip()
        if not text:
            self.scores.pop(item.id, None)
        else:
            try:
                number = float(text)
            except ValueError:
                self.refused.emit(f"第 {index.row() + 1} 项的得分“{text}”不是数字。")
                return False
            if not 0 <= number <= item.weight:
                self.refused.emit(f"第 {index.row() + 1} 项的得分应在 0 到 {item.weight:g} 分之间。")
                return False
            self.scores[item.id] = number
        self.refused.emit("")
        self.dataChanged.emit(index, index)
        self.totals_changed.emit()
        return True

    def fill_full_marks(self) -> None:
        for item in self.items:
            self.scores.setdefault(item.id, item.weight)
        if self.items:
            self.dataChanged.emit(self.index(0, COL_SCORE), self.index(len(self.items) - 1, COL_SCORE))
        self.totals_changed.emit()

    def total(self) -> float | None:
        if not self.items or len(self.scores) < len(self.items):
            return None
        return inspections.total_score(self.items, self.scores)


class InspectionDialog(GuardedDialog):
    saved = Signal(int, list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 inspection: Inspection | None = None, campaign_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.inspection = inspection
        self.ui = load_form(FORM, self)
        self.setWindowTitle("修改检查记录" if inspection else "新增检查记录")
        self.setMinimumSize(560, 400)
        self.model = ChecklistModel(self)
        self.ui.scores_table.setModel(self.model)
        tidy_table(self.ui.scores_table, stretch_column=2)
        box = self.ui.button_box
        box.button(QDialogButtonBox.StandardButton.Save).setText("保存(&S)")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        pool = inspections.inspector_pool()
        self.ui.pool_label.setText("可选：" + "、".join(p.name for p in pool) if pool else
                                   "领导小组成员和监督员名单为空，请先录入。")
        for c in Campaign.select(Campaign.id, Campaign.name).order_by(Campaign.term_start.desc()):
            self.ui.campaign_combo.addItem(c.name, c.id)
        today = ctx.today()
        bound_happened(self.ui.date_edit, today, today)
        bound_planned(self.ui.deadline_edit, today, today + dt.timedelta(days=30))
        self.ui.deadline_edit.setEnabled(False)
        self.ui.announced_check.setChecked(True)
        self.ui.deadline_check.toggled.connect(self.ui.deadline_edit.setEnabled)
        self.ui.full_marks_button.clicked.connect(self.model.fill_full_marks)
        self.model.refused.connect(self.ui.error_label.setText)
        self.model.totals_changed.connect(self._show_total)
        self.ui.campaign_combo.currentIndexChanged.connect(lambda _i: self._load_units())
        self.ui.unit_combo.currentIndexChanged.connect(lambda _i: self._load_checklist())
        self.ui.inspectors_edit.textChanged.connect(lambda _t: self._check_inspectors())
        if inspection is not None:
            self._fill(inspection)
        else:
            found = self.ui.campaign_combo.findData(campaign_id)
            self.ui.campaign_combo.setCurrentIndex(max(found, 0))
            self._load_units()

    def _fill(self, i: Inspection) -> None:
        self.ui.campaign_combo.blockSignals(True)
        self.ui.campaign_combo.setCurrentIndex(max(self.ui.campaign_combo.findData(i.campaign_id), 0))
        self.ui.campaign_combo.blockSignals(False)
        self._load_units(select=i.unit_id, scores=inspections.scores_of(i))
        bound_happened(self.ui.date_edit, self.ctx.today(), i.on)
        self.ui.announced_check.setChecked(i.announced)
        self.ui.inspectors_edit.setText("、".join(inspections.inspectors_of(i)))
        self.ui.findings_edit.setPlainText(i.findings)
        self.ui.problems_edit.setPlainText(i.problems)
        self.ui.rectification_edit.setPlainText(i.rectification)
        if i.rectification_deadline:
            self.ui.deadline_check.setChecked(True)
            bound_planned(self.ui.deadline_edit, self.ctx.today(), i.rectification_deadline)

    def _load_units(self, select: int | None = None, scores: dict | None = None) -> None:
        cid = self.ui.campaign_combo.currentData()
        fill_combo(self.ui.unit_combo,
                   campaigns_view.candidate_unit_choices(cid) if cid else [], select)
        self._load_checklist(scores)

    def _load_checklist(self, scores: dict | None = None) -> None:
        cid, uid = self.ui.campaign_combo.currentData(), self.ui.unit_combo.currentData()
        if not cid or not uid:
            self.model.set_items([])
            return
        with self.ctx.acting("设置创建标准"):
            # correcting an inspection keeps the (possibly older) standard it was scored on
            standard, items = inspections.checklist(Campaign.get_by_id(cid), Unit.get_by_id(uid),
                                                    inspection=self.inspection)
        self.model.set_items(items, scores)
        tidy_table(self.ui.scores_table, stretch_column=2)
        header = self.ui.scores_table.horizontalHeader()
        header.setStretchLastSection(False)
        # 检查内容 takes the width the short columns leave, instead of an empty strip after 得分
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.ui.score_tab.setToolTip(standard.name if standard else "")
        if not items:
            self.ui.total_label.setText("该活动没有本办公室可用的创建标准，只能记录检查情况，不能逐项评分。")

    def _show_total(self) -> None:
        total = self.model.total()
        done = len(self.model.scores)
        self.ui.total_label.setText(
            f"已评 {done}/{len(self.model.items)} 项；总分（百分制）："
            + ("—" if total is None else f"{total:.1f}"))

    def inspector_names(self) -> list[str]:
        return [n for n in re.split(r"[、，,；;\s]+", self.ui.inspectors_edit.text()) if n]

    def _check_inspectors(self) -> None:
        try:
            people = inspections.resolve_inspectors(self.inspector_names())
        except WqgError as err:
            self.ui.error_label.setText(err.message)
            self.ui.warning_label.setText("")
            return
        self.ui.error_label.setText("")
        uid = self.ui.unit_combo.currentData()
        warnings = inspections.conflict_warnings(Unit.get_by_id(uid), people) if uid else []
        self.ui.warning_label.setText("\n".join(warnings))

    def save(self) -> None:
        cid, uid = self.ui.campaign_combo.currentData(), self.ui.unit_combo.currentData()
        if not uid:
            self.ui.error_label.setText("请选择被检查单位。")
            return
        deadline = pydate(self.ui.deadline_edit.date()) if self.ui.deadline_check.isChecked() else None
        try:
            with self.ctx.acting("录入检查记录"):
                result = inspections.save_inspection(
                    unit=Unit.get_by_id(uid), campaign=Campaign.get_by_id(cid) if cid else None,
                    on=pydate(self.ui.date_edit.date()), inspectors=self.inspector_names(),
                    announced=self.ui.announced_check.isChecked(), scores=self.model.scores,
                    findings=self.ui.findings_edit.toPlainText(),
                    problems=self.ui.problems_edit.toPlainText(),
                    rectification=self.ui.rectification_edit.toPlainText(),
                    rectification_deadline=deadline, today=self.ctx.today(),
                    inspection=self.inspection)
        except WqgError as err:
            self.ui.error_label.setText(err.message)
            return
        self.saved.emit(result.inspection.id, result.warnings)
        self.accept()
