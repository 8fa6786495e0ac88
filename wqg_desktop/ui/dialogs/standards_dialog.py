"""创建标准 dialog: a campaign's basic and per-police-type standards, item by item.

The officer edits items, weights and scoring rules until an inspection scores against a
standard; from then on it is shown read-only with the reason, and "复制为新版本" makes the
editable copy that later inspections use. Opens with ``open()``; ``changed`` after any edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign, Standard
from wqg_desktop.services import standards
from wqg_desktop.ui import messages
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog, widget_state
from wqg_desktop.ui.dialogs.validation import run_action, show_check
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import tidy_table
from wqg_desktop.ui.widgets.combos import fill_combo

FORM = "standards_dialog"

ITEM_COLUMNS = [
    Column("no", "序号", align_right=True),
    Column("group_no", "类别"),
    Column("weight", "分值", fmt=lambda w: f"{w:g}", align_right=True),
    Column("text", "内容"),
]


def standard_label(standard: Standard) -> str:
    """The name shown in the list, with its state."""
    if standards.superseded_by(standard) is not None:
        return f"{standard.name}（已被新版本取代）"
    return standard.name + ("（已冻结）" if standards.is_frozen(standard) else "")


class StandardsDialog(GuardedDialog):
    changed = Signal()

    def __init__(self, ctx: AppContext, campaign: Campaign, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.campaign = ctx, campaign
        self.ui = load_form(FORM, self)
        self.setWindowTitle("创建标准")
        self.setMinimumSize(640, 420)
        self.resize(880, 470)
        self.ui.campaign_label.setText(
            f"创建活动：{campaign.name}。每条的分值即满分，检查时逐条打分，总分按百分制折算；"
            "一旦有检查记录使用，该标准即冻结。")
        self.model = RowsModel(ITEM_COLUMNS, parent=self)
        self.ui.items_table.setModel(self.model)
        tidy_table(self.ui.items_table)  # the text, last, takes the rest of the width
        self.ui.items_table.verticalHeader().hide()  # the 序号 column says it
        self.ui.main_splitter.setSizes([480, 380])
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.standard_combo.currentIndexChanged.connect(lambda _i: self._load_items())
        self.ui.items_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_item(cur.row()))
        self.ui.seed_button.clicked.connect(self.seed_defaults)
        self.ui.version_button.clicked.connect(self.new_version)
        self.ui.new_item_button.clicked.connect(self.start_new_item)
        self.ui.save_item_button.clicked.connect(self.save_item)
        self.ui.delete_item_button.clicked.connect(self.delete_item)
        self.ui.up_button.clicked.connect(lambda: self.move_item(-1))
        self.ui.down_button.clicked.connect(lambda: self.move_item(1))
        self.ui.save_item_button.setDefault(True)
        # Enter in a multi-line box is a new line; Ctrl+Enter saves from anywhere
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save_item)
        self.ui.text_edit.textChanged.connect(self.validate)
        self.ui.weight_spin.valueChanged.connect(lambda _v: self.validate())
        self._item_id: int | None = None
        self._editable = False
        self._load_standards()

    def input_state(self) -> dict:
        # the item being edited; the standard box and the list only choose what it shows
        return widget_state(self, within=self.ui.editor_widget)

    # -- loading ---------------------------------------------------------------------------

    def standard(self) -> Standard | None:
        sid = self.ui.standard_combo.currentData()
        return Standard.get_or_none(Standard.id == sid) if sid else None

    def _load_standards(self, select: int | None = None) -> None:
        combo = self.ui.standard_combo
        found = standards.campaign_standards(self.campaign)
        fill_combo(combo, [(s.id, standard_label(s)) for s in found],
                   select if select is not None else combo.currentData())
        self.ui.seed_button.setVisible(not found)
        self._load_items()

    def _load_items(self, select_item: int | None = None) -> None:
        standard = self.standard()
        rows = standards.items_of(standard) if standard else []
        self.model.set_rows([{**vars(r), "no": k} for k, r in enumerate(rows, start=1)])
        reason = standards.frozen_reason(standard) if standard else None
        if standard is None:
            reason = ("该活动还没有自己的创建标准。点击“复制默认标准到本活动”，"
                      "以随附的基本标准和分类标准为起点再修改。")
        self._editable = reason is None
        self.ui.frozen_label.setText(reason or "")
        self.ui.frozen_label.setVisible(bool(reason))
        self.ui.version_button.setVisible(
            standard is not None and not self._editable
            and standards.superseded_by(standard) is None and standards.is_frozen(standard))
        self.ui.editor_widget.setEnabled(self._editable)
        total = sum(r.weight for r in rows)
        self.ui.total_label.setText(
            f"共 {len(rows)} 条，分值合计 {total:g}" + ("" if not rows or total == 100
                                                  else "（总分仍按百分制折算）"))
        index = next((k for k, r in enumerate(rows) if r.id == select_item), 0 if rows else -1)
        if index >= 0:
            self.ui.items_table.selectRow(index)
            self._show_item(index)
        else:
            self.start_new_item()

    def _show_item(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        item = self.model.row_at(row)
        self._item_id = item["id"]
        self.ui.mode_label.setText(f"第 {item['no']} 条")
        self.ui.group_edit.setText(item["group_no"])
        self.ui.text_edit.setPlainText(item["text"])
        self.ui.weight_spin.setValue(item["weight"])
        self.ui.rule_edit.setPlainText(item["scoring_rule"])
        self.validate()
        self.mark_clean()

    # -- editing ---------------------------------------------------------------------------

    def start_new_item(self) -> None:
        self._item_id = None
        self.ui.items_table.clearSelection()
        self.ui.mode_label.setText("新条目（保存后加在末尾）")
        self.ui.group_edit.clear()
        self.ui.text_edit.clear()
        self.ui.weight_spin.setValue(10)
        self.ui.rule_edit.clear()
        self.validate()
        self.mark_clean()
        if self._editable and self.isVisible():
            self.ui.text_edit.setFocus()

    def validate(self) -> bool:
        """Check the item as typed; the red line says what to change."""
        if not self._editable:
            self.ui.error_label.setText("")
            return False
        return show_check(
            lambda: standards.check_item(self.ui.text_edit.toPlainText(),
                                         self.ui.weight_spin.value()),
            self.ui.error_label, self.ui.save_item_button)

    def _run(self, reason: str, action: Callable[[], object]) -> object | None:
        return run_action(self.ctx, reason, action, self.ui.error_label, self.changed.emit)

    def save_item(self) -> None:
        standard = self.standard()
        if standard is None or not self.validate():
            return
        fields = dict(text=self.ui.text_edit.toPlainText(), weight=self.ui.weight_spin.value(),
                      group_no=self.ui.group_edit.text(),
                      scoring_rule=self.ui.rule_edit.toPlainText())
        if self._item_id is None:
            saved = self._run("新增创建标准条目",
                              lambda: standards.add_item(standard=standard, **fields))
        else:
            item_id = self._item_id
            saved = self._run("修改创建标准条目", lambda: standards.update_item(
                item=standards.get_item(item_id), **fields))
        if saved is not None:
            self._load_items(select_item=saved.id)  # type: ignore[attr-defined]

    def delete_item(self) -> None:
        if self._item_id is None:
            return
        item = standards.get_item(self._item_id)
        if not messages.confirm(self, f"从“{item.standard.name}”中删除第 "
                                f"{self.ui.items_table.currentIndex().row() + 1} 条“{item.text[:20]}…”？",
                                yes="删除"):
            return
        if self._run("删除创建标准条目", lambda: standards.remove_item(item=item)):
            self._load_items()

    def move_item(self, step: int) -> None:
        if self._item_id is None:
            return
        item_id = self._item_id
        if self._run("调整创建标准条目顺序",
                     lambda: standards.move_item(item=standards.get_item(item_id), step=step)):
            self._load_items(select_item=item_id)

    def seed_defaults(self) -> None:
        made = self._run("复制默认创建标准",
                         lambda: standards.seed_campaign_standards(campaign=self.campaign))
        if made:
            self._load_standards()

    def new_version(self) -> None:
        standard = self.standard()
        if standard is None:
            return
        copy = self._run("复制创建标准为新版本", lambda: standards.new_version(standard=standard))
        if copy is not None:
            self._load_standards(select=copy.id)  # type: ignore[attr-defined]
