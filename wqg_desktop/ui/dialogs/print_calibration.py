"""套打校准: a printer's offsets and scale, and where each field sits on pre-printed paper.

Everything is checked as the officer types (a box off the paper, a scale out of range) and
shown in the red error label; 保存 stays disabled until the values are printable. Saving goes
through :mod:`wqg_desktop.services.printing` in one transaction each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import certificate as cert_doc
from wqg_desktop.services import printing
from wqg_desktop.ui import messages
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.pages.base import tidy_table

FORM = "print_calibration_dialog"

Index = QModelIndex | QPersistentModelIndex
#: (attribute, header) of the editable columns; the first column is the field's name.
NUMBER_COLUMNS = [("x", "左边距"), ("y", "上边距"), ("w", "宽"), ("h", "高"), ("size", "字号(磅)")]
ALIGNS = {"left": "左对齐", "centre": "居中", "right": "右对齐"}


class FieldsModel(QAbstractTableModel):
    """The overlay fields as an editable table: name, x, y, w, h, size, align, printed."""

    edited = Signal()

    def __init__(self, fields: dict[str, cert_doc.FieldSpec], parent: Any = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.names = list(cert_doc.FIELD_LABELS)

    def set_fields(self, fields: dict[str, cert_doc.FieldSpec]) -> None:
        self.beginResetModel()
        self.fields = fields
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.names)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(NUMBER_COLUMNS) + 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        headers = ["内容"] + [h for _k, h in NUMBER_COLUMNS] + ["对齐", "打印"]
        return headers[section]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == len(NUMBER_COLUMNS) + 2:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() >= 1:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name = self.names[index.row()]
        spec, col = self.fields[name], index.column()
        if col == len(NUMBER_COLUMNS) + 2:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if spec.enabled else Qt.CheckState.Unchecked
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if col == 0:
            return cert_doc.FIELD_LABELS[name]
        if col <= len(NUMBER_COLUMNS):
            value = getattr(spec, NUMBER_COLUMNS[col - 1][0])
            return f"{value:.1f}" if role == Qt.ItemDataRole.DisplayRole else value
        return ALIGNS[spec.align]

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        spec, col = self.fields[self.names[index.row()]], index.column()
        if col == len(NUMBER_COLUMNS) + 2 and role == Qt.ItemDataRole.CheckStateRole:
            spec.enabled = Qt.CheckState(value) == Qt.CheckState.Checked
        elif 1 <= col <= len(NUMBER_COLUMNS) and role == Qt.ItemDataRole.EditRole:
            try:
                number = float(str(value).strip())
            except ValueError:
                return False
            setattr(spec, NUMBER_COLUMNS[col - 1][0], number)
        elif col == len(NUMBER_COLUMNS) + 1 and role == Qt.ItemDataRole.EditRole:
            found = [k for k, v in ALIGNS.items() if value in (k, v)]
            if not found:
                return False
            spec.align = found[0]  # type: ignore[assignment]
        else:
            return False
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True


class PrintCalibrationDialog(GuardedDialog):
    """Emits ``saved`` after the calibration and the field positions are stored."""

    saved = Signal()

    def __init__(self, ctx: AppContext, *, printers: list[str], printer: str = "",
                 paper: str = "A4", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = load_form(FORM, self)
        self.setWindowTitle("套打校准")
        for name in printers:
            self.ui.printer_combo.addItem(name)
        self.ui.printer_combo.setCurrentText(printer or (printers[0] if printers else ""))
        self.ui.paper_combo.addItems(["A4", "A3"])
        self.ui.paper_combo.setCurrentText(paper)
        self.model = FieldsModel(printing.load_fields(paper), self)
        self.ui.fields_table.setModel(self.model)
        tidy_table(self.ui.fields_table, stretch_column=0)
        self.ui.background_edit.setText(printing.layout_background())
        self._load_calibration()
        self.ui.printer_combo.currentTextChanged.connect(lambda _t: self._load_calibration())
        self.ui.paper_combo.currentTextChanged.connect(self._paper_changed)
        for spin in (self.ui.dx_spin, self.ui.dy_spin, self.ui.scale_spin):
            spin.valueChanged.connect(lambda _v: self._validate())
        self.ui.background_edit.textChanged.connect(lambda _t: self._validate())
        self.model.edited.connect(self._validate)
        self.ui.browse_button.clicked.connect(self._browse)
        self.ui.reset_button.clicked.connect(self._reset)
        box = self.ui.button_box
        box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self.resize(640, 420)
        self._validate()

    def _load_calibration(self) -> None:
        cal = printing.calibration_for(self.ui.printer_combo.currentText())
        self.ui.dx_spin.setValue(cal.dx)
        self.ui.dy_spin.setValue(cal.dy)
        self.ui.scale_spin.setValue(cal.scale)

    def _paper_changed(self, paper: str) -> None:
        self.model.set_fields(printing.load_fields(paper))
        self._validate()

    def _reset(self) -> None:
        self.model.set_fields(cert_doc.default_fields(self.ui.paper_combo.currentText(), True))
        self._validate()

    def _browse(self) -> None:
        path = messages.open_file(self, "选择空白证书的扫描图", "图片 (*.png *.jpg *.jpeg)")
        if path is not None:
            self.ui.background_edit.setText(str(path))

    def _validate(self) -> bool:
        try:
            cert_doc.Calibration(self.ui.dx_spin.value(), self.ui.dy_spin.value(),
                                 self.ui.scale_spin.value())
            cert_doc.check_fields(self.model.fields, self.ui.paper_combo.currentText(), True)
            if not self.ui.printer_combo.currentText().strip():
                raise InputRefused("请选择或填写要校准的打印机。")
            background = self.ui.background_edit.text().strip()
            if background and not Path(background).is_file():
                raise InputRefused("找不到底图文件：请重新选择。")
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            self.ui.button_box.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            return False
        self.ui.error_label.setText("")
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        return True

    def save(self) -> None:
        if not self._validate():
            return
        try:
            with self.ctx.acting("套打校准"):
                printing.save_calibration(printer=self.ui.printer_combo.currentText(),
                                          dx=self.ui.dx_spin.value(), dy=self.ui.dy_spin.value(),
                                          scale=self.ui.scale_spin.value())
                printing.save_layout(fields=self.model.fields,
                                     paper=self.ui.paper_combo.currentText(),
                                     background=self.ui.background_edit.text().strip())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.saved.emit()
        self.accept()
