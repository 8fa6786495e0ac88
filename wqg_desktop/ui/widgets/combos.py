"""Refilling a combo box from a service's choices without firing its change signal, keeping
the officer's current choice when it is still there; and type-to-find in unit pickers.

A unit picker (a combo named ``unit_combo`` in its form, or filled with :class:`UnitChoices`)
takes typed text: any part of the name or the pinyin initials (``城东``, ``cdpcs``) lists the
matching units under it, exactly as the register's search box finds them — the matching is
:func:`wqg_desktop.services.registry.search_ids`, answered from its in-memory copy of the
names, so a keystroke stays quick with a province's 30,000 units.

The items go in with ``addItems`` and ``model.setData``, never one ``addItem(label, value)``
each: one call for 30,000 labels instead of 30,000. It also keeps clear of PySide6 6.12's
lost references to None on Python 3.11 (``addItem``/``setItemData``/``itemData`` answering
None each drop one; ``wqg_desktop/ui/__init__.py`` makes that harmless for the whole window),
as does the unit search reading the values it was filled with instead of asking the combo.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, QStringListModel, Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QListView

from wqg_desktop.services import registry

#: object name of the unit pickers in the forms
UNIT_PICKER = "unit_combo"


class UnitChoices(list):  # type: ignore[type-arg]
    """(unit id, name) choices: :func:`fill_combo` makes their combo a searchable unit picker
    (for combos built in code, which have no form name to go by)."""


def fill_combo(combo: QComboBox, items: Iterable[tuple[Any, str]], current: Any = None,
               *, blank: str | None = None) -> None:
    """``items`` are (value, label); ``blank`` adds a first entry with value None ("全部")."""
    search = combo.findChild(UnitSearch)
    if search is None and (isinstance(items, UnitChoices) or combo.objectName() == UNIT_PICKER):
        search = UnitSearch(combo)  # before the items: made editable while empty, it is quick
    rows = ([(None, blank)] if blank is not None else []) + list(items)
    values = [value for value, _label in rows]
    quiet = [combo] + ([combo.lineEdit()] if combo.lineEdit() is not None else [])
    for widget in quiet:
        widget.blockSignals(True)
    combo.clear()
    combo.addItems([label for _value, label in rows])
    model, role = combo.model(), Qt.ItemDataRole.UserRole
    for row, value in enumerate(values):
        if value is not None:
            model.setData(model.index(row, 0), value, role)
    index = next((row for row, value in enumerate(values) if value == current), 0)
    combo.setCurrentIndex(index if rows else -1)
    for widget in quiet:
        widget.blockSignals(False)
    if search is not None:
        search.filled(values, [label for _value, label in rows])


class UnitSearch(QObject):
    """Makes ``combo`` (whose item data are unit ids) editable: what is typed lists the
    matching units in a popup; Enter, Tab or a click takes the highlighted one. Text that
    was typed but not taken goes back to the chosen unit's name when the field is left, so
    the combo always shows what ``currentData()`` holds; a field left empty takes the blank
    entry (全部单位, 请选择单位) when there is one. The blank entry shows as an empty field with
    its words greyed in, so typing starts a search instead of adding to them."""

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self.combo = combo
        self._values: list[Any] | None = None  # item data by row, as filled
        self._labels: list[str] | None = None  # item texts by row, as filled
        self._rows: list[int] = []  # the combo row of each entry in the popup
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        edit = combo.lineEdit()
        edit.setToolTip("输入单位名称的任一部分（如“城东”）或拼音首字母（如“cdpcs”）查找")
        edit.installEventFilter(self)
        # Qt's own completer only matches the start of the name: none at all; ours is not
        # given to the line edit either (that would re-filter by prefix on every key).
        combo.setCompleter(None)
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        popup = QListView()
        popup.setUniformItemSizes(True)  # 30,000 rows lay out at once
        self.completer.setPopup(popup)
        self.completer.setWidget(edit)
        self.completer.activated[QModelIndex].connect(self._take)
        edit.textEdited.connect(self._typed)
        edit.textChanged.connect(self._blank_label_set)
        edit.editingFinished.connect(self._settle)
        combo.currentIndexChanged.connect(lambda _row: self.show_current())

    def filled(self, values: list[Any], labels: list[str]) -> None:
        """The combo was just filled with ``values`` and ``labels`` (by row)."""
        self._values, self._labels = values, labels
        self.show_current()

    def _texts(self) -> list[str]:
        if self._labels is None or len(self._labels) != self.combo.count():
            self._labels = [self.combo.itemText(row) for row in range(self.combo.count())]
        return self._labels

    def _data(self) -> list[Any]:
        if self._values is None or len(self._values) != self.combo.count():
            # items changed by other means: read them from the model, as a dict per row
            # (itemData() would answer None for the blank entry; see the module docstring)
            model, role = self.combo.model(), Qt.ItemDataRole.UserRole
            self._values = [model.itemData(model.index(row, 0)).get(role)
                            for row in range(self.combo.count())]
        return self._values

    def _blank(self, row: int) -> bool:
        values = self._data()
        return 0 <= row < len(values) and values[row] is None

    def matching_rows(self, text: str) -> list[int]:
        """Combo rows of the units ``text`` finds, in the combo's order."""
        values = self._data()
        text = text.strip()
        if not text:
            return [row for row, value in enumerate(values) if value is not None]
        found = set(registry.search_ids(registry.UnitFilter(text=text)))
        return [row for row, value in enumerate(values) if value in found]

    def show_current(self) -> None:
        """The field shows the chosen unit's name (empty, with the words greyed in, for the
        blank entry)."""
        if not shiboken6.isValid(self.combo):
            return  # a focus-out while the dialog is being destroyed
        edit, row = self.combo.lineEdit(), self.combo.currentIndex()
        blank = self._blank(row)
        edit.setPlaceholderText(self.combo.itemText(row) if blank else "")
        edit.setText("" if blank or row < 0 else self.combo.itemText(row))

    def _blank_label_set(self, text: str) -> None:
        # QComboBox.setCurrentIndex writes the item's text into the field even when the
        # index stays (no signal then): the blank entry's words go back to the placeholder
        edit, row = self.combo.lineEdit(), self.combo.currentIndex()
        if (text and not edit.isModified() and self._blank(row)
                and text == self.combo.itemText(row)):
            edit.setText("")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.FocusIn and isinstance(event, QFocusEvent)
                and event.reason() not in (Qt.FocusReason.PopupFocusReason,
                                           Qt.FocusReason.ActiveWindowFocusReason)):
            # typed text replaces the name shown, however the field was reached
            QTimer.singleShot(0, self.combo.lineEdit().selectAll)
            # and the first key does not wait for the register's search copy to be built
            QTimer.singleShot(0, registry.warm_search_index)
        return super().eventFilter(watched, event)

    def _typed(self, text: str) -> None:
        self._rows = self.matching_rows(text) if text.strip() else []
        self.model.setStringList(list(map(self._texts().__getitem__, self._rows)))
        popup = self.completer.popup()
        if not self._rows:
            popup.hide()
            return
        self.completer.complete()
        # highlighted at once, so Enter takes the first match without an arrow key
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))

    def _take(self, index: QModelIndex) -> None:
        row = self.completer.completionModel().mapToSource(index).row()  # type: ignore[attr-defined]
        if 0 <= row < len(self._rows):
            self.combo.setCurrentIndex(self._rows[row])
            self.combo.activated.emit(self._rows[row])
        self.show_current()

    def _settle(self) -> None:
        if not shiboken6.isValid(self.combo) or self.completer.popup().isVisible():
            return
        blank = next((row for row, value in enumerate(self._data()) if value is None), -1)
        if not self.combo.lineEdit().text().strip() and blank >= 0:
            self.combo.setCurrentIndex(blank)
        self.show_current()
