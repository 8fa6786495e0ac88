"""从 Excel 导入: choose a file, check the column mapping, look at the preview, import.

One dialog for units and for 历年称号 (``kind``). The rules live in
:mod:`wqg_desktop.services.unit_import` / :mod:`~wqg_desktop.services.title_import`; this
window only shows their plan: bad rows in red with their reason, guesses in the 说明 column.
For units the officer can correct a guessed county or police type by double-clicking it; the
correction goes back to the service as an override and the preview is planned again.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QStyledItemDelegate,
    QWidget,
)

from wqg_desktop.app import AppContext
from wqg_desktop.errors import WqgError
from wqg_desktop.services import registry, title_import, unit_export, unit_import
from wqg_desktop.services.sheet_reader import Sheet, column_name
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import tidy_table
from wqg_desktop.ui.progress import ProgressBar

FORM = "import_units_dialog"
Index = QModelIndex | QPersistentModelIndex
BAD = QColor("#b00020")
GUESSED = QColor("#8a5a00")
ACTIONS = {"new": "新增", "update": "更新", "unchanged": "未变", "bad": "有误"}

#: kind → (window title, services, preview columns (field key, header), editable fields)
KINDS: dict[str, tuple[str, Any, Any, list[tuple[str, str]], set[str]]] = {
    "units": ("从 Excel 导入单位", unit_import.read_units, unit_import.plan_units,
              [("name", "单位名称"), ("region", "县(市、区)"), ("police_type", "警种"),
               ("bureau", "所属公安局"), ("head_name", "负责人"), ("head_phone", "联系电话")],
              {"region", "police_type"}),
    "titles": ("从 Excel 补录历年称号", title_import.read_titles, title_import.plan_titles,
               [("name", "单位名称"), ("level", "层级"), ("term", "年度"), ("kind", "称号"),
                ("bodies", "命名单位"), ("named_on", "命名日期"), ("plaque", "牌匾状态")], set()),
}
FIELD_LABELS = {"units": {f.key: f.label for f in unit_import.UNIT_FIELDS},
                "titles": {f.key: f.label for f in title_import.TITLE_FIELDS}}


class PreviewModel(QAbstractTableModel):
    """The planned rows: 行号, 结果, the parsed values, 说明 (reasons and guesses)."""

    def __init__(self, columns: list[tuple[str, str]], editable: set[str], parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.columns = [("_row", "行号"), ("_action", "结果"), *columns, ("_note", "说明")]
        self.editable = editable
        self.rows: list[unit_import.RowPlan] = []
        self.on_override = None  # set by the dialog: (row number, field, text) → None

    def set_rows(self, rows: list[unit_import.RowPlan]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][1]
        return None

    def _text(self, plan: unit_import.RowPlan, key: str) -> str:
        if key == "_row":
            return str(plan.row)
        if key == "_action":
            return ACTIONS[plan.action]
        if key == "_note":
            notes = list(plan.errors)
            notes += [f"{v}" for v in plan.guesses.values() if v]
            notes += [f"{k}：{a or '（空）'} → {b}" for k, (a, b) in plan.changes.items()]
            return "；".join(notes)
        if key == "name":
            return plan.name
        return plan.values.get(key, "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        plan = self.rows[index.row()]
        key = self.columns[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(plan, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._text(plan, key)
            return text if len(text) > 10 else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if plan.bad:
                return QBrush(BAD)
            if key in plan.guesses:
                return QBrush(GUESSED)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.columns[index.column()][0] in self.editable and self.rows[index.row()].name:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.on_override is None:
            return False
        plan = self.rows[index.row()]
        key = self.columns[index.column()][0]
        if str(value) == plan.values.get(key, ""):
            return False
        self.on_override(plan.row, key, str(value))
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of counties or police types for the editable preview columns."""

    def __init__(self, choices: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:  # type: ignore[no-untyped-def, override]
        combo = QComboBox(parent)
        combo.addItems(self.choices)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        combo: QComboBox = editor  # type: ignore[assignment]
        combo.setCurrentIndex(max(0, combo.findText(str(index.data()))))

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # type: ignore[no-untyped-def, override]
        model.setData(index, editor.currentText())  # type: ignore[attr-defined]


class ImportUnitsDialog(QDialog):
    """Emits nothing itself: after an import it notifies the bus ("Unit" / "Title")."""

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None, *,
                 kind: str = "units") -> None:
        super().__init__(parent)
        self.ctx, self.bus, self.kind = ctx, bus, kind
        title, self._read, self._plan, columns, editable = KINDS[kind]
        self.ui = load_form(FORM, self)
        self.setWindowTitle(title)
        self.sheet: Sheet | None = None
        self.overrides: dict[int, dict[str, str]] = {}
        self.mapping_model = RowsModel([Column("column", "列"), Column("header", "表头"),
                                        Column("field", "对应字段")], parent=self)
        self.ui.mapping_table.setModel(self.mapping_model)
        self.preview = PreviewModel(columns, editable, parent=self)
        self.preview.on_override = self._override
        self.ui.preview_table.setModel(self.preview)
        tidy_table(self.ui.preview_table, stretch_column=2)
        tidy_table(self.ui.mapping_table)
        self._delegates = []
        if kind == "units":
            choices = {"region": [n for _i, n in registry.unit_region_choices()],
                       "police_type": [n for _i, n in registry.police_type_choices()]}
            for key in editable:
                column = next(i for i, (k, _h) in enumerate(self.preview.columns) if k == key)
                delegate = ChoiceDelegate(choices[key], self)
                self._delegates.append(delegate)
                self.ui.preview_table.setItemDelegateForColumn(column, delegate)
        self.ui.template_button.setVisible(kind == "units")
        self.ui.choose_button.clicked.connect(self.choose_file)
        self.ui.template_button.clicked.connect(self.save_template)
        self.ui.import_button.clicked.connect(self.run_import)
        self.ui.close_button.clicked.connect(self.reject)
        self.ui.import_button.setEnabled(False)
        self.ui.splitter.setStretchFactor(0, 1)
        self.ui.splitter.setStretchFactor(1, 3)
        self.ui.splitter.setSizes([120, 360])
        self.setMinimumSize(640, 420)
        self.resize(900, 560)

    # -- reading ---------------------------------------------------------------------------

    def choose_file(self) -> None:
        path = messages.open_file(self, "选择要导入的 Excel 文件", "Excel 工作簿 (*.xlsx);;所有文件 (*)")
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path, mapping: dict[int, str | None] | None = None) -> None:
        self.ui.file_edit.setText(str(path))
        self.overrides = {}
        try:
            self.sheet = self._read(path, mapping=mapping)
        except WqgError as exc:
            self.sheet = None
            self.preview.set_rows([])
            self.mapping_model.set_rows([])
            self.ui.summary_label.setText("")
            self._show_error(exc.message)
            return
        self._fill_mapping()
        self.replan()

    def _fill_mapping(self) -> None:
        assert self.sheet is not None
        labels = FIELD_LABELS[self.kind]
        rows = [{"column": column_name(i), "header": h, "field": ""}
                for i, h in enumerate(self.sheet.headers)]
        self.mapping_model.set_rows(rows)
        self._mapping_combos: list[QComboBox] = []
        for i in range(len(rows)):
            combo = QComboBox(self.ui.mapping_table)
            combo.addItem("（不导入）", None)
            for key, label in labels.items():
                if key != "seq":
                    combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(self.sheet.mapping.get(i))))
            combo.currentIndexChanged.connect(lambda _i: self._mapping_changed())
            self.ui.mapping_table.setIndexWidget(self.mapping_model.index(i, 2), combo)
            self._mapping_combos.append(combo)
        # made after the form, the combos would come last in the Tab order (after 关闭):
        # put them right after their table, in row order, before the preview
        chain = [self.ui.mapping_table, *self._mapping_combos, self.ui.preview_table]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _mapping_changed(self) -> None:
        mapping = {i: c.currentData() for i, c in enumerate(self._mapping_combos)}
        path = Path(self.ui.file_edit.text())
        try:
            self.sheet = self._read(path, mapping=mapping)
        except WqgError as exc:
            self.preview.set_rows([])
            self.ui.import_button.setEnabled(False)
            self._show_error(exc.message)
            return
        self.replan()

    def _override(self, row: int, key: str, text: str) -> None:
        self.overrides.setdefault(row, {})[key] = text
        self.replan()

    def replan(self) -> None:
        if self.sheet is None:
            return
        try:
            plan = self._plan(self.sheet, overrides=self.overrides, today=self.ctx.today())
        except WqgError as exc:
            self._show_error(exc.message)
            return
        self.preview.set_rows(plan.rows)
        c = plan.counts()
        self.ui.summary_label.setText(
            f"共 {len(plan.rows)} 行：新增 {c['new']}，更新 {c['update']}，未变 {c['unchanged']}，"
            f"有误 {c['bad']}。")
        self._show_error(f"有 {c['bad']} 行有误（红色），导入时将跳过。" if c["bad"] else "")
        self.ui.import_button.setEnabled(c["new"] + c["update"] > 0)

    def _show_error(self, text: str) -> None:
        self.ui.error_label.setText(text)

    # -- importing -------------------------------------------------------------------------

    def run_import(self) -> None:
        if self.sheet is None:
            return
        bad = sum(1 for r in self.preview.rows if r.bad)
        if bad and not messages.confirm(
                self, f"有 {bad} 行有误，不会导入。只导入其余正确的行吗？", yes="只导入正确的行"):
            return
        service = unit_import.import_units if self.kind == "units" else title_import.import_titles
        refused = None
        with ProgressBar(self, self.windowTitle(), "正在导入，请稍候…", busy=True):
            try:
                with self.ctx.acting("从 Excel 导入" + ("单位" if self.kind == "units" else "历年称号")):
                    result = service(self.sheet, overrides=self.overrides, skip_bad=True,
                                     today=self.ctx.today())
            except WqgError as exc:
                refused = exc.message
        if refused is not None:  # shown once the bar is gone
            messages.error(self, refused)
            return
        self.bus.notify("Unit" if self.kind == "units" else "Title")
        text = result.summary() if self.kind == "units" else result.summary().replace("个单位", "个称号")
        messages.info(self, text)
        self.replan()

    def save_template(self) -> None:
        path = messages.save_file(self, "保存导入模板", "单位导入模板.xlsx", "Excel 工作簿 (*.xlsx)")
        if path is None:
            return
        try:
            unit_export.write_template(path)
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        messages.info(self, f"导入模板已保存：{path}")


def open_import_units(parent: QWidget | None, ctx: AppContext, bus: Bus) -> ImportUnitsDialog:
    """Open the unit import (non-modal ``open()``) and ask for the file at once."""
    dialog = ImportUnitsDialog(ctx, bus, parent, kind="units")
    dialog.open()
    dialog.choose_file()
    return dialog


def open_import_titles(parent: QWidget | None, ctx: AppContext, bus: Bus) -> ImportUnitsDialog:
    """Open the 历年称号 import and ask for the file at once."""
    dialog = ImportUnitsDialog(ctx, bus, parent, kind="titles")
    dialog.open()
    dialog.choose_file()
    return dialog


def export_units(parent: QWidget | None, ctx: AppContext, unit_ids: list[int]) -> Path | None:
    """Ask where to save, write the given units (the page's filtered list) to .xlsx."""
    path = messages.save_file(parent, "导出单位名册", "单位名册.xlsx", "Excel 工作簿 (*.xlsx)")
    if path is None:
        return None
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    try:
        count = unit_export.export_units(path, unit_ids=unit_ids)
    except WqgError as exc:
        messages.error(parent, exc.message)
        return None
    messages.info(parent, f"已导出 {count} 个单位到 {path}")
    return path
