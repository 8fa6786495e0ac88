"""Reorganising one unit: rename (history kept), merge into another, split into several, or
mark it as no longer doing youth work. Which titles carry over is chosen explicitly; every
change that ends something is confirmed first."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QListWidgetItem, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain.chinese import normalize_name_key
from wqg_desktop.domain.statuses import UnitStatus
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import registry, units_reorg, units_titles
from wqg_desktop.services import units as unit_service
from wqg_desktop.services.units_detail import unit_titles
from wqg_desktop.ui import messages
from wqg_desktop.ui.dates import bound_happened, bound_register, pydate
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import tidy_table

FORM = "reorganise_dialog"

MODES = {
    "rename": ("单位更名", "rename_page", "更名原因，如 机构改革"),
    "merge": ("合并单位", "merge_page", "合并依据，如 文件号"),
    "split": ("拆分单位", "split_page", "拆分依据，如 文件号"),
    "youth_end": ("不再从事青少年工作", "youth_page", "原因（必填），如 机构改革后不再承担涉及青少年的工作"),
}
TARGET_LIMIT = 50


def _title_text(t: dict) -> str:
    return f"{t['term']}{t['level']}“{t['kind']}”（{t['status']}）"


class ReorganiseDialog(GuardedDialog):
    """Emits ``done_change`` after the change is stored."""

    done_change = Signal()

    def __init__(self, ctx: AppContext, unit_id: int, mode: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if mode not in MODES:
            raise ValueError(mode)
        self.ctx, self.unit_id, self.mode = ctx, unit_id, mode
        self.unit = unit_service.get_unit(unit_id)
        self.ui = load_form(FORM, self)
        title, page, placeholder = MODES[mode]
        self.setWindowTitle(title)
        self.ui.unit_label.setText(f"{title}：{self.unit.name}（{self.unit.region.name}）")
        self.ui.mode_stack.setCurrentWidget(getattr(self.ui, page))
        self.ui.note_edit.setPlaceholderText(placeholder)
        today = ctx.today()
        # renames, merges and splits may be older than the campaign; youth work ends in it
        (bound_happened if mode == "youth_end" else bound_register)(self.ui.on_edit, today, today)
        self.ok_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText({"rename": "更名", "merge": "合并", "split": "拆分"}.get(mode, "登记"))
        self.ui.button_box.accepted.connect(self.apply)
        self.ui.button_box.rejected.connect(self.reject)
        self.titles = unit_titles(unit_id)
        self.targets = RowsModel([Column("name", "单位名称"), Column("region", "县(市、区)")],
                                 parent=self)
        self.ui.target_table.setModel(self.targets)
        tidy_table(self.ui.target_table, stretch_column=0)
        self._search = QTimer(self, singleShot=True, interval=150)
        self._search.timeout.connect(self._find_targets)
        self.finished.connect(self._search.stop)  # closed: nothing left to check
        self.ui.target_search_edit.textChanged.connect(lambda _t: self._search.start())
        self.ui.target_table.selectionModel().selectionChanged.connect(lambda *_a: self.validate())
        self.ui.new_name_edit.textChanged.connect(lambda _t: self.validate())
        self.ui.parts_edit.textChanged.connect(self._parts_changed)
        self.ui.note_edit.textChanged.connect(lambda _t: self.validate())
        self._split_combos: list[tuple[int, QComboBox]] = []
        self._prepare()
        self.setMinimumSize(460, 300)
        self.resize(620, 440 if mode in ("merge", "split") else 300)
        self.validate()

    # -- per mode --------------------------------------------------------------------------

    def _prepare(self) -> None:
        if self.mode == "rename":
            self.ui.new_name_edit.setText(self.unit.name)
            self.ui.new_name_edit.selectAll()
        elif self.mode == "merge":
            for t in self.titles:
                item = QListWidgetItem(_title_text(t))
                item.setData(Qt.ItemDataRole.UserRole, t["id"])
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if t["status"] in ("有效", "整改中")
                                   else Qt.CheckState.Unchecked)
                self.ui.merge_titles_list.addItem(item)
            if not self.titles:
                self.ui.merge_titles_caption.setText("该单位没有称号记录。")
            self._find_targets()
        elif self.mode == "split":
            self._parts_changed()
        else:
            own = [t for t in self.titles if t["status"] in ("有效", "整改中")
                   and t["owner_id"] in (None, self.ctx.office.id if self.ctx.office else None)]
            others = [t for t in self.titles if t["status"] in ("有效", "整改中") and t not in own]
            lines = ["登记后，该单位不再计入创建覆盖范围。"]
            if own:
                lines.append("本办公室命名的下列称号将注销（牌匾可留作纪念，不得在公共场所悬挂）：")
                lines += [f"  · {_title_text(t)}" for t in own]
            if others:
                lines.append("上级命名的下列称号由命名单位注销（此登记随上报包报送）：")
                lines += [f"  · {_title_text(t)}" for t in others]
            self.ui.youth_info_label.setText("\n".join(lines))

    def _find_targets(self) -> None:
        flt = registry.UnitFilter(text=self.ui.target_search_edit.text(),
                                  status=UnitStatus.ACTIVE.value)
        ids = [i for i in registry.search_ids(flt)[:TARGET_LIMIT + 1] if i != self.unit_id]
        self.targets.set_rows(registry.fetch_rows(ids[:TARGET_LIMIT]))
        self.validate()

    def _target_id(self) -> int | None:
        rows = self.ui.target_table.selectionModel().selectedRows()
        return self.targets.row_at(rows[0].row()).id if rows else None

    def _parts(self) -> list[str]:
        return [line.strip() for line in self.ui.parts_edit.toPlainText().splitlines()
                if line.strip()]

    def _parts_changed(self) -> None:
        parts = self._parts()
        form = self.ui.split_titles_form
        previous = {tid: combo.currentText() for tid, combo in self._split_combos}
        while form.rowCount():
            form.removeRow(0)
        self._split_combos = []
        for t in self.titles:
            combo = QComboBox(self.ui.split_titles_box)
            combo.addItem("（不承继）", None)
            for index, name in enumerate(parts):
                combo.addItem(name, index)
            found = combo.findText(previous.get(t["id"], ""))
            combo.setCurrentIndex(max(found, 0))
            combo.currentIndexChanged.connect(lambda _i: self.validate())
            form.addRow(_title_text(t) + "：", combo)
            self._split_combos.append((t["id"], combo))
        if not self.titles:
            self.ui.split_titles_caption.setText("该单位没有称号记录。")
        # combos made now would join the end of the focus chain (after the buttons): put
        # them between the parts they choose from and the date
        chain = [self.ui.parts_edit, *(combo for _tid, combo in self._split_combos),
                 self.ui.on_edit]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self.validate()

    # -- validation ------------------------------------------------------------------------

    def _problem(self) -> str:
        not_ours = unit_service.ownership_problem(self.unit, "单位")
        if not_ours:
            return not_ours
        if self.unit.status != UnitStatus.ACTIVE and self.mode != "youth_end":
            return f"该单位已{UnitStatus(self.unit.status).label}，不能再更名、合并或拆分。"
        if self.mode == "rename":
            name = unit_service.clean_name(self.ui.new_name_edit.text())
            if not name:
                return "请填写新的单位名称。"
            if normalize_name_key(name) == self.unit.name_key:
                return "新名称与现名称相同。"
            twin = unit_service.find_look_alike(name, self.unit.region_id, exclude_id=self.unit_id)
            if twin is not None:
                return f"本县(市、区)已有单位“{twin.name}”，不能更名为相同（或几乎相同）的名称。"
        elif self.mode == "merge":
            if self._target_id() is None:
                return "请在列表中选择并入的单位。"
        elif self.mode == "split":
            parts = self._parts()
            if len(parts) < 2:
                return "请填写至少两个拆分后的新单位名称，每行一个。"
            if len({normalize_name_key(p) for p in parts}) != len(parts):
                return "拆分出的新单位名称不能相同。"
        elif not self.ui.note_edit.text().strip():
            return "请写明原因。"
        return ""

    def validate(self) -> bool:
        problem = self._problem()
        self.ui.error_label.setText(problem)
        self.ok_button.setEnabled(not problem)
        return not problem

    # -- applying --------------------------------------------------------------------------

    def _carried_for_merge(self) -> list[int]:
        out = []
        for i in range(self.ui.merge_titles_list.count()):
            item = self.ui.merge_titles_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def _confirm_text(self) -> str:
        if self.mode == "merge":
            target = self.targets.row_at(self.ui.target_table.selectionModel()
                                         .selectedRows()[0].row()).name
            return (f"将“{self.unit.name}”并入“{target}”，转入 {len(self._carried_for_merge())} "
                    "个称号。原单位标为“已合并”，记录保留。确定吗？")
        if self.mode == "split":
            return (f"将“{self.unit.name}”拆分为 {len(self._parts())} 个新单位，原单位标为“已拆分”，"
                    "记录保留。确定吗？")
        if self.mode == "youth_end":
            return (f"登记“{self.unit.name}”不再从事青少年工作，并注销本办公室命名的有效称号。"
                    "此操作不能撤回，确定吗？")
        return ""

    def apply(self) -> None:
        if not self.validate():
            return
        question = self._confirm_text()
        if question and not messages.confirm(self, question):
            return
        on, note, today = pydate(self.ui.on_edit.date()), self.ui.note_edit.text(), self.ctx.today()
        try:
            with self.ctx.acting(MODES[self.mode][0]):
                if self.mode == "rename":
                    unit_service.rename_unit(self.unit_id, new_name=self.ui.new_name_edit.text(),
                                             on=on, note=note, today=today)
                elif self.mode == "merge":
                    units_reorg.merge_units(absorbed_id=self.unit_id, into_id=self._target_id(),
                                            on=on, carry_title_ids=self._carried_for_merge(),
                                            note=note, today=today)
                elif self.mode == "split":
                    parts = [units_reorg.SplitPart(name=name) for name in self._parts()]
                    for tid, combo in self._split_combos:
                        if combo.currentData() is not None:
                            parts[combo.currentData()].carry_title_ids.append(tid)
                    units_reorg.split_unit(unit_id=self.unit_id, on=on, parts=parts, note=note,
                                           today=today)
                else:
                    units_titles.end_youth_work(self.unit_id, on=on, reason=note, today=today)
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.done_change.emit()
        self.accept()
