"""After a refused save (someone else saved the record meanwhile): read their version into the
dialog without losing what the officer typed, so nobody has to note down and retype.

Three versions of each input meet: what the dialog showed when it opened
(:meth:`GuardedDialog.loaded_state`), what the officer has in it now, and what a fresh copy of
the same dialog shows for the record as it is stored now. An input the officer left alone takes
the stored value; one they changed keeps theirs; one both changed, to different values, keeps
the officer's and is named as a conflict to check. Inputs are matched by object name (the
forms' roles, ``head_name_edit``), so one helper serves every editing dialog.

Why load at once rather than offer a button: the only other way forward is 取消, which throws
the typing away; 保存 stays a second, deliberate press after the officer has read what changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from wqg_desktop.db.models.base import VersionStamp
from wqg_desktop.db.stale import stamp_of
from wqg_desktop.errors import InputRefused
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog, widget_state

_MISSING = object()


@dataclass
class Merged:
    """What reading the other officer's version did, by the inputs' captions."""

    taken: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    conflict_widgets: list[QWidget] = field(default_factory=list)

    def summary(self) -> str:
        head = (f"已载入对方的修改（{'、'.join(self.taken)}）" if self.taken
                else "已载入这条记录的最新内容")
        if self.conflicts:
            kept = "、".join(f"“{c}”" for c in self.conflicts)
            return f"{head}；您改过的{kept}保留了您的内容，与对方的不同，请核对后保存。"
        return f"{head}；您填写的内容都还在，请核对后保存。"


def take_theirs(dialog: GuardedDialog, refusal: InputRefused, stamp: VersionStamp | None, *,
                reopen: Callable[[], QDialog], validate: Callable[[], object],
                error_label: QLabel, save_button: QAbstractButton) -> VersionStamp | None:
    """Handle a stale save of ``dialog``: merge the stored version into it (``reopen`` builds
    a fresh copy of the dialog for the same record, with a ``stamp``), run ``validate``, say
    what happened in ``error_label``. Gives the stamp to save against from now on."""
    if stamp is None or stamp_of(stamp[0], stamp[1]) is None:  # deleted meanwhile
        error_label.setText(refusal.message)
        save_button.setEnabled(False)
        return stamp
    fresh = reopen()
    try:
        merged = merge(dialog, fresh)
        new_stamp: VersionStamp | None = getattr(fresh, "stamp", stamp)
    finally:
        fresh.deleteLater()
    accepted = validate()
    lines = refusal.message.splitlines()
    lines.append(merged.summary())
    if not accepted and error_label.text():
        lines.append(error_label.text())
    error_label.setText("\n".join(lines))
    if merged.conflict_widgets:
        merged.conflict_widgets[0].setFocus()
    return new_stamp


def merge(dialog: GuardedDialog, fresh: QDialog) -> Merged:
    """Read ``fresh`` (the record as stored now) into ``dialog`` input by input, keeping what
    the officer changed; afterwards the stored version counts as what the dialog loaded."""
    loaded = dialog.loaded_state()
    theirs = {w.objectName(): (w, v) for w, v in widget_state(fresh).items()
              if isinstance(w, QWidget) and w.objectName() and _mergeable(w)}
    merged, targets = Merged(), {}
    stored: dict[Hashable, object] = {}
    for widget, mine in dialog.input_state().items():
        if not isinstance(widget, QWidget) or widget.objectName() not in theirs \
                or not _mergeable(widget):
            continue
        other, their_value = theirs[widget.objectName()]
        before = loaded.get(widget, _MISSING)
        if _same(widget, their_value, before):
            continue  # the other officer left it alone
        if _same(widget, mine, before):
            targets[widget] = other
            merged.taken.append(caption(dialog, widget))
        elif _same(widget, mine, their_value):
            stored[widget] = mine  # both made the same change
        else:
            merged.conflicts.append(caption(dialog, widget))
            merged.conflict_widgets.append(widget)
            stored[widget] = _as_shown_by(widget, their_value)
    # twice: putting one value may move another (a county picks its bureau)
    for _ in range(2):
        for widget, other in targets.items():
            _put(widget, other)
    now = dialog.input_state()
    stored.update({w: now[w] for w in targets if w in now})
    dialog.mark_loaded(stored)
    return merged


# -- inputs ---------------------------------------------------------------------------------

def _mergeable(widget: QWidget) -> bool:
    if isinstance(widget, QAbstractItemView):
        return False  # a table's cells have no single stored counterpart to compare
    if isinstance(widget, QAbstractButton):
        return widget.isCheckable()
    return isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QComboBox | QDateTimeEdit
                      | QSpinBox | QDoubleSpinBox)


def _same(widget: QWidget, a: object, b: object) -> bool:
    if isinstance(widget, QComboBox):  # the same choice may sit at another row in another copy
        a, b = (v[1] if isinstance(v, tuple) else v for v in (a, b))
    return a == b


def _as_shown_by(widget: QWidget, value: object) -> object:
    if isinstance(widget, QComboBox) and isinstance(value, tuple):
        return widget.findText(str(value[1])), value[1]
    return value


def _put(widget: QWidget, other: QWidget) -> None:
    """Show in ``widget`` what its counterpart ``other`` shows."""
    if isinstance(widget, QLineEdit) and isinstance(other, QLineEdit):
        if widget.text() != other.text():
            widget.setText(other.text())
    elif isinstance(widget, QPlainTextEdit | QTextEdit) \
            and isinstance(other, QPlainTextEdit | QTextEdit):
        if widget.toPlainText() != other.toPlainText():
            widget.setPlainText(other.toPlainText())
    elif isinstance(widget, QComboBox) and isinstance(other, QComboBox):
        _put_choice(widget, other)
    elif isinstance(widget, QDateTimeEdit) and isinstance(other, QDateTimeEdit):
        widget.setDateTime(other.dateTime())
    elif isinstance(widget, QSpinBox) and isinstance(other, QSpinBox) \
            or isinstance(widget, QDoubleSpinBox) and isinstance(other, QDoubleSpinBox):
        widget.setValue(other.value())  # type: ignore[arg-type]
    elif isinstance(widget, QAbstractButton) and isinstance(other, QAbstractButton):
        widget.setChecked(other.isChecked())


def _put_choice(combo: QComboBox, other: QComboBox) -> None:
    text = other.currentText()
    if combo.currentText() == text:
        return
    if combo.isEditable():
        combo.setCurrentText(text)
        return
    index = combo.findText(text)
    if index < 0:  # a choice offered only to this record now (a merged county, a retired type)
        combo.addItem(text, other.currentData())
        index = combo.count() - 1
    combo.setCurrentIndex(index)


# -- captions -------------------------------------------------------------------------------

def caption(dialog: QDialog, widget: QWidget) -> str:
    """How the officer knows ``widget``: its label (or a check box's own text), else the label
    of its neighbour in the same row (the date beside 已上线), else its object name."""
    own = _label_of(dialog, widget)
    if own:
        return own
    for layout in dialog.findChildren(QLayout):
        if layout.indexOf(widget) < 0:
            continue
        for i in range(layout.count()):
            item = layout.itemAt(i)
            neighbour = item.widget() if item is not None else None
            if neighbour is not None and neighbour is not widget:
                found = _label_of(dialog, neighbour)
                if found:
                    return found
    return widget.objectName()


def _label_of(dialog: QDialog, widget: QWidget) -> str:
    for label in dialog.findChildren(QLabel):
        if label.buddy() is widget and label.text():
            return _clean(label.text())
    if isinstance(widget, QAbstractButton) and widget.text():
        return _clean(widget.text())
    return ""


def _clean(text: str) -> str:
    text = re.sub(r"\(&.\)", "", text).replace("&", "")
    return re.split(r"[：:]", text, maxsplit=1)[0].strip()
