"""Nothing the officer typed is thrown away without asking.

Every dialog an officer types into derives from :class:`GuardedDialog` instead of ``QDialog``.
Why a base class and not an event filter like ``forms._FitToScreen``: Esc calls ``reject()``
from QDialog's own key handling and 取消 is connected to it, so only an override of
``reject()`` sees every way out; the window's close button arrives there too
(``QDialog.closeEvent`` calls ``reject()`` and stays open when the dialog does).

"Typed" means: an input differs from what the dialog showed when it opened. The values of its
input widgets (line and text edits, combo boxes, spin and date boxes, check boxes and radio
buttons, the editable cells and ticks of item views) are recorded each time it is shown, and
compared on the way out. A dialog that saves in place and stays open (工作日历, 调查问卷,
服务承诺) calls :meth:`GuardedDialog.mark_clean` after each save, or after it loads another
record into its editor. A successful save ends with ``accept()``, which never asks.

The question goes through ``messages.confirm``, so tests answer it like any other.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterable

import shiboken6
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QPoint, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from wqg_desktop.ui import messages

#: the question's buttons; the safe answer is the default, so a reflex Enter keeps the text
DISCARD, KEEP = "放弃修改", "继续填写"

#: the guarded dialogs shown so far (and not yet gone), for the main window's closing
_shown: weakref.WeakSet[GuardedDialog] = weakref.WeakSet()

#: item views bigger than this are lists to pick from, not something typed cell by cell
_MAX_CELLS = 20_000

_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox, QAbstractButton,
           QAbstractItemView)


def _inner_part(widget: QWidget) -> bool:
    """The line edit inside a spin, date or combo box: its value is the box's."""
    return isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(),
                                                        (QAbstractSpinBox, QComboBox))


def _model_state(view: QAbstractItemView) -> object:
    model: QAbstractItemModel | None = view.model()
    if model is None:
        return None
    rows, cols = model.rowCount(), _columns(model)
    if rows * cols > _MAX_CELLS:
        return None
    editable, checkable = Qt.ItemFlag.ItemIsEditable, Qt.ItemFlag.ItemIsUserCheckable
    cells = []
    for row in range(rows):
        for col in range(cols):
            index = model.index(row, col)
            flags = model.flags(index)
            if flags & editable:
                cells.append((row, col, model.data(index, Qt.ItemDataRole.EditRole)))
            if flags & checkable:
                state = model.data(index, Qt.ItemDataRole.CheckStateRole)
                cells.append((row, col, getattr(state, "value", state)))
    return tuple(cells)


def _columns(model: QAbstractItemModel) -> int:
    # a list model's columnCount is private in PySide6 (calling it can crash): one column
    return 1 if isinstance(model, QAbstractListModel) else model.columnCount()


def _value(widget: QWidget) -> object:
    """What the officer can change in one input widget; ``None`` for anything else."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        # not currentData(): under PySide6 6.12 on Python 3.11 each None it answers drops a
        # reference to None it never took (see tests/ui/conftest.py), and this runs often
        return widget.currentIndex(), widget.currentText()
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString(Qt.DateFormat.ISODate)
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked() if widget.isCheckable() else None
    if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
        if widget.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers:
            # a table to read (or to tick with the keyboard, as 申报 does) still counts its ticks
            return _model_state(widget) if _has_ticks(widget) else None
        return _model_state(widget)
    return None


def _has_ticks(view: QAbstractItemView) -> bool:
    model = view.model()
    if model is None or model.rowCount() == 0:
        return False
    return any(model.flags(model.index(0, col)) & Qt.ItemFlag.ItemIsUserCheckable
               for col in range(_columns(model)))


def _inputs(dialog: QDialog, within: QWidget | None) -> Iterable[QWidget]:
    """The dialog's own input widgets (not those of a dialog opened from it, nor popups)."""
    for widget in (within or dialog).findChildren(QWidget):
        if isinstance(widget, _INPUTS) and widget.window() is dialog and not _inner_part(widget) \
                and not widget.objectName().startswith("qt_"):
            yield widget


def widget_state(dialog: QDialog, *, within: QWidget | None = None) -> dict[Hashable, object]:
    """Each input widget of ``dialog`` (or only of its part ``within``) and its value."""
    state: dict[Hashable, object] = {}
    for widget in _inputs(dialog, within):
        value = _value(widget)
        if value is not None:
            state[widget] = value
    return state


class GuardedDialog(QDialog):
    """A dialog that asks before Esc, 取消 or its close button throws away typed input,
    and opens with the keyboard in its first input field."""

    _opening: dict[Hashable, object] | None = None

    def input_state(self) -> dict[Hashable, object]:
        """What the officer has entered, by widget. A dialog may narrow it (e.g. to an editor
        beside a list, leaving out the list's filter)."""
        return widget_state(self)

    def mark_clean(self, *keys: Hashable) -> None:
        """What is shown now is saved (or freshly loaded): leaving no longer asks about it.
        With ``keys`` (widgets), only those; the rest keep what they showed before."""
        now = self.input_state()
        if not keys or self._opening is None:
            self._opening = now
            return
        for key in keys:
            if key in now:
                self._opening[key] = now[key]

    def loaded_state(self) -> dict[Hashable, object]:
        """What the dialog showed when it opened or was last saved or loaded, by widget (empty
        before it was first shown)."""
        return dict(self._opening or {})

    def mark_loaded(self, state: dict[Hashable, object]) -> None:
        """These widgets now stand for what is stored (another officer's version, read in after
        a refused save), whatever they show: leaving asks only about what still differs."""
        self._opening = {**(self._opening or {}), **state}

    def unsaved_input(self) -> bool:
        """Whether anything differs from what the dialog showed when it opened or was saved."""
        if self._opening is None or not self.isVisible():
            return False
        now = self.input_state()
        # a widget gone since (rebuilt by the dialog) is left out: its successor is new
        return any(key in now and now[key] != before for key, before in self._opening.items())

    def reject(self) -> None:  # Esc, 取消 and the close button all come here
        if self.unsaved_input() and not ask_discard(self):
            return
        super().reject()

    def first_input(self) -> QWidget | None:
        """Where the keyboard is when the dialog opens: its first input field (the top one,
        the left one of a row), not a scroll area's frame or a tab bar, where Qt's own choice
        lands. A dialog whose first page has nothing to type (单位详情) gets its first table."""
        found = _in_reading_order(self)
        return next((w for w in found if _takes_typing(w)), None) \
            or next((w for w in found if isinstance(w, QAbstractItemView)), None)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not event.spontaneous():  # opened, not restored from the task bar
            _shown.add(self)
            self.mark_clean()
            target = self.first_input()
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)


def ask_discard(dialog: QWidget) -> bool:
    """True when the officer agrees to throw away what was typed in ``dialog``."""
    return messages.confirm(
        dialog, f"放弃“{dialog.windowTitle()}”中填写的内容？\n关闭后这些内容不会保存。",
        yes=DISCARD, no=KEEP, default_yes=False)


def open_dialogs() -> list[GuardedDialog]:
    """The guarded dialogs on the screen now."""
    return [d for d in list(_shown) if shiboken6.isValid(d) and d.isVisible()]


def unsaved_dialogs(window: QWidget) -> list[GuardedDialog]:
    """The open dialogs of ``window`` (opened from it, or from one of its dialogs) holding
    input nobody saved."""
    return [d for d in window.findChildren(GuardedDialog) if d.isVisible() and d.unsaved_input()]


def ask_quit(window: QWidget, dialogs: list[GuardedDialog]) -> bool:
    """Once for all of them: True when the officer agrees to quit without saving."""
    titles = "、".join(f"“{d.windowTitle()}”" for d in dialogs)
    return messages.confirm(
        window, f"退出程序？\n以下窗口中填写的内容尚未保存，退出后不会保留：{titles}。",
        yes="放弃修改并退出", no=KEEP, default_yes=False)


# -- focus ----------------------------------------------------------------------------------

def _takes_typing(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return not widget.isReadOnly() and not _inner_part(widget)
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QComboBox | QCheckBox | QRadioButton)


def _reachable(widget: QWidget, dialog: QDialog) -> bool:
    return (widget.window() is dialog and widget.isVisible() and widget.isEnabled()
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus))


def _in_reading_order(dialog: QDialog) -> list[QWidget]:
    """The dialog's inputs that take the keyboard now, top to bottom, left to right."""
    # not the Tab order by walking nextInFocusChain(): with PySide6 6.12 that walk made a later
    # garbage collection crash (tests/ui/test_standards_dialog_ui.py run after it)
    found = [w for w in dialog.findChildren(QWidget)
             if isinstance(w, _INPUTS) and not _inner_part(w) and _reachable(w, dialog)]

    def place(widget: QWidget) -> tuple[int, int]:
        corner = widget.mapTo(dialog, QPoint(0, 0))
        return corner.y() + widget.height() // 2, corner.x()

    return sorted(found, key=place)
