"""One edit dialog for the simpler 台账 records, built from a list of fields.

Volunteers, activities, training sessions and attendance, co-building and help, practical
projects, referrals, contact points and cards all follow one pattern: a few labelled inputs,
checked by the service's ``check_*`` function as the officer types, saved by its ``save_*``
function. The form holds the frame (scroll area, error label, buttons); the rows are built
here from :class:`Field` specs, each label the buddy of its input with an &-mnemonic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from wqg_desktop.app import AppContext
from wqg_desktop.errors import InputRefused
from wqg_desktop.ui.dialogs.record_common import (
    get_date,
    name_buttons,
    ok_button,
    set_date,
)
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog
from wqg_desktop.ui.dialogs.validation import show_check
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.widgets.combos import fill_combo

FORM = "record_fields_dialog"

#: text | multiline | date | optional_date | int | combo | editable_combo | units | check
KINDS = ("text", "multiline", "date", "optional_date", "int", "combo", "editable_combo",
         "units", "check")


@dataclass
class Field:
    key: str
    label: str
    kind: str = "text"
    choices: Sequence[tuple[Any, str]] = ()
    initial: Any = None
    placeholder: str = ""
    max_length: int = 200
    extra: dict[str, Any] = field(default_factory=dict)


class RecordFieldsDialog(GuardedDialog):
    """Emits ``saved`` with the saved record's UUID; stays open on refused input."""

    saved = Signal(str)

    def __init__(self, ctx: AppContext, *, title: str, fields: Sequence[Field],
                 check: Callable[[dict[str, Any]], Any], save: Callable[[dict[str, Any]], Any],
                 intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = load_form(FORM, self)
        self.setWindowTitle(title)
        self.ui.intro_label.setText(intro)
        self.ui.intro_label.setVisible(bool(intro))
        self._check, self._save = check, save
        self._readers: dict[str, Callable[[], Any]] = {}
        self.inputs: dict[str, QWidget] = {}
        for spec in fields:
            self._add(spec)
        name_buttons(self.ui.button_box)
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.reject)
        self.setMinimumSize(420, 280)
        self.resize(560, min(140 + 44 * len(fields), 560))
        self._validate()

    # -- building --------------------------------------------------------------------------

    def _add(self, spec: Field) -> None:
        today = self.ctx.today()
        widget: QWidget
        if spec.kind == "text":
            widget = QLineEdit(str(spec.initial or ""))
            widget.setMaxLength(spec.max_length)
            widget.setPlaceholderText(spec.placeholder)
            widget.textChanged.connect(self._validate)
            self._readers[spec.key] = widget.text
        elif spec.kind == "multiline":
            widget = QPlainTextEdit(str(spec.initial or ""))
            widget.setTabChangesFocus(True)
            widget.setMaximumHeight(80)
            widget.textChanged.connect(self._validate)
            self._readers[spec.key] = widget.toPlainText
        elif spec.kind in ("date", "optional_date"):
            widget = self._date_row(spec, today)
        elif spec.kind == "int":
            widget = QSpinBox()
            # negative numbers reach the service, which refuses them in words
            widget.setRange(spec.extra.get("minimum", -1), spec.extra.get("maximum", 1_000_000))
            widget.setValue(int(spec.initial or 0))
            widget.valueChanged.connect(self._validate)
            self._readers[spec.key] = widget.value
        elif spec.kind in ("combo", "editable_combo"):
            widget = QComboBox()
            widget.setEditable(spec.kind == "editable_combo")
            fill_combo(widget, spec.choices, spec.initial, blank=spec.extra.get("blank"))
            if spec.kind == "editable_combo":
                widget.setCurrentText(str(spec.initial or ""))
                widget.currentTextChanged.connect(self._validate)
                self._readers[spec.key] = widget.currentText
            else:
                widget.currentIndexChanged.connect(self._validate)
                self._readers[spec.key] = widget.currentData
        elif spec.kind == "units":
            widget = QListWidget()
            widget.setMinimumHeight(110)
            chosen = set(spec.initial or [])
            for value, label in spec.choices:
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setCheckState(Qt.CheckState.Checked if value in chosen
                                   else Qt.CheckState.Unchecked)
                widget.addItem(item)
            widget.itemChanged.connect(self._validate)
            self._readers[spec.key] = lambda w=widget: [
                w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked]
        elif spec.kind == "check":
            widget = QCheckBox(spec.extra.get("text", ""))
            widget.setChecked(bool(spec.initial))
            widget.toggled.connect(self._validate)
            self._readers[spec.key] = widget.isChecked
        else:
            raise ValueError(spec.kind)
        widget.setObjectName(f"{spec.key}_input")
        self.inputs[spec.key] = widget
        label = QLabel(spec.label)
        focus = widget.findChild(QDateEdit) if spec.kind in ("date", "optional_date") else widget
        label.setBuddy(focus or widget)
        self.ui.form_layout.addRow(label, widget)

    def _date_row(self, spec: Field, today: Any) -> QWidget:
        holder = QWidget()
        # keeps its height: a growing holder floated the date away from its caption
        holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        set_date(edit, spec.initial, today, planned=bool(spec.extra.get("future")))
        edit.dateChanged.connect(self._validate)
        row.addWidget(edit)
        if spec.kind == "optional_date":
            box = QCheckBox(spec.extra.get("text", "填写"))
            box.setChecked(spec.initial is not None)
            edit.setEnabled(spec.initial is not None)
            box.toggled.connect(edit.setEnabled)
            box.toggled.connect(self._validate)
            row.insertWidget(0, box)
            self._readers[spec.key] = lambda: get_date(edit) if box.isChecked() else None
        else:
            self._readers[spec.key] = lambda: get_date(edit)
        row.addStretch(1)
        return holder

    # -- checking and saving ---------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {key: read() for key, read in self._readers.items()}

    def _validate(self, *_args: object) -> bool:
        return show_check(lambda: self._check(self.values()), self.ui.error_label,
                          ok_button(self.ui.button_box))

    def save(self) -> None:
        if not self._validate():
            return
        try:
            with self.ctx.acting():
                record = self._save(self.values())
        except InputRefused as exc:
            self.ui.error_label.setText(exc.message)
            return
        self.saved.emit(getattr(record, "uuid", ""))
        self.accept()
