"""称号的复核、整改复查、注销、撤销, with each title's full history.

Lists the titles this office gave (only the naming office ends a title); the actions offered
follow the lifecycle table for the selected title's state.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Title
from wqg_desktop.domain import lifecycle
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.domain.roles import Permission
from wqg_desktop.domain.statuses import RevocationGround
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import titles
from wqg_desktop.ui import messages
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import admin_only, tidy_table

FORM = "title_actions_dialog"


def _date(d: object) -> str:
    return format_date(d) if d else ""  # type: ignore[arg-type]


TITLE_COLUMNS = [Column("unit", "单位"), Column("level", "层级"), Column("term", "年度"),
                 Column("kind", "称号"), Column("status", "状态"), Column("plaque", "牌匾"),
                 Column("rectification_deadline", "整改期限", fmt=_date),
                 Column("next_rereview_due", "下次复核", fmt=_date)]
HISTORY_COLUMNS = [Column("on", "日期", fmt=_date), Column("kind", "变更"), Column("from", "原状态"),
                   Column("to", "新状态"), Column("actor", "经办"), Column("reason", "理由")]

#: (action of the lifecycle table, passed?) per entry of the action box
_ACTIONS = {"rereview_pass": ("复核合格", True), "rereview_fail": ("复核不合格（进入一年整改期）", False),
            "recheck_pass": ("整改期满复查合格（恢复有效）", True),
            "recheck_fail": ("整改期满复查不合格（取消称号、摘牌）", False),
            "deregister": ("注销（工作性质改变；牌匾留作纪念）", False),
            "revoke": ("撤销（经查属实；摘牌收回）", False)}
_DESTRUCTIVE = {"recheck_fail", "deregister", "revoke"}


class TitleActionsDialog(GuardedDialog):
    """Emits ``changed()`` after a title changed; stays open for the next one."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("称号复核、整改、注销与撤销")
        self.ui = load_form(FORM, self)
        self.titles = RowsModel(TITLE_COLUMNS, parent=self)
        self.history = RowsModel(HISTORY_COLUMNS, parent=self)
        self.ui.titles_table.setModel(self.titles)
        self.ui.history_table.setModel(self.history)
        tidy_table(self.ui.titles_table, stretch_column=0)
        tidy_table(self.ui.history_table, stretch_column=5)
        for g in RevocationGround:
            self.ui.ground_combo.addItem(g.label, g.value)
        self.ui.titles_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._select(cur.row()))
        self.ui.action_combo.currentIndexChanged.connect(lambda _i: self._enable())
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self.ok_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("办理")
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        self.resize(760, 500)
        self.load()

    def input_state(self) -> dict:
        # what is typed for the next step; the table and the step box only choose the title
        return {w: w.text() for w in (self.ui.note_edit, self.ui.finding_edit,
                                      self.ui.evidence_edit)}

    def load(self, keep: str = "") -> None:
        rows = titles.list_titles(mine_only=True)
        self.titles.set_rows(rows)
        index = next((i for i, r in enumerate(rows) if r.uuid == keep), 0)
        if rows:
            self.ui.titles_table.selectRow(index)
            self._select(index)
        else:
            self.ui.error_label.setText("本办公室还没有命名过称号。")
            self.ok_button.setEnabled(False)

    def current(self) -> Title | None:
        row = self.ui.titles_table.currentIndex().row()
        if row < 0 or row >= self.titles.rowCount():
            return None
        return Title.get_by_id(self.titles.row_at(row).id)

    def _select(self, row: int) -> None:
        if row < 0 or row >= self.titles.rowCount():
            return
        title = Title.get_by_id(self.titles.row_at(row).id)
        self.history.set_rows(titles.history(title))
        self.ui.action_combo.clear()
        for step in lifecycle.title_actions(title.status):
            self.ui.action_combo.addItem(_ACTIONS[step.action][0], step.action)
        self._enable()

    def _enable(self) -> None:
        action = self.ui.action_combo.currentData()
        # ending a title (取消, 注销, 撤销) is for 管理员 only on a shared server
        why_not = admin_only(Permission.REVOKE_TITLES) if action in _DESTRUCTIVE else None
        revoking = action == "revoke" and why_not is None
        for w in (self.ui.ground_combo, self.ui.finding_edit, self.ui.evidence_edit):
            w.setEnabled(revoking)
        self.ok_button.setEnabled(action is not None and why_not is None)
        self.ok_button.setToolTip(why_not or "")
        self.ui.error_label.setText(why_not or ("" if action else "该称号已终止，没有可办理的操作。"))

    def save(self) -> None:
        title, action = self.current(), self.ui.action_combo.currentData()
        if title is None or action is None or not self.ok_button.isEnabled():
            return
        label = self.ui.action_combo.currentText()
        # 注销 marks the unit, which ends every title this office gave it (DOMAIN rules 6–7)
        also = ("\n同时将该单位登记为不再从事青少年工作：本办公室授予它的其他有效或整改中的称号"
                "一并注销，正在进行的创建一并退出。" if action == "deregister" else "")
        if action in _DESTRUCTIVE and not messages.confirm(
                self, f"对 {title.unit.name} 的称号办理：{label}？此操作会记入称号的变更记录。"
                      + also):
            return
        today, note = self.ctx.today(), self.ui.note_edit.text()
        try:
            with self.ctx.acting(label):
                if action.startswith("rereview"):
                    titles.rereview(title=title, passed=_ACTIONS[action][1], today=today, note=note)
                elif action.startswith("recheck"):
                    titles.recheck(title=title, passed=_ACTIONS[action][1], today=today, note=note)
                elif action == "deregister":
                    titles.deregister(title=title, today=today, reason=note, mark_unit=True)
                else:
                    titles.revoke(title=title, today=today,
                                  ground=self.ui.ground_combo.currentData(),
                                  finding=self.ui.finding_edit.text(),
                                  evidence=self.ui.evidence_edit.text())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.ui.note_edit.clear()
        self.ui.finding_edit.clear()
        self.ui.evidence_edit.clear()
        self.changed.emit()
        self.load(keep=title.uuid)
