"""A table of rows with tick boxes (units to enter, candidates found 达标) over plain data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

Index = QModelIndex | QPersistentModelIndex


@dataclass
class CheckColumn:
    """A column: ``key`` of the row, its header, and whether it is a tick box."""

    key: str
    header: str
    checkable: bool = False
    fmt: Callable[[Any], str] | None = None


class CheckRowsModel(QAbstractTableModel):
    """Rows (objects with attributes) whose checkable columns the officer ticks.

    A row with a true ``disabled_reason`` attribute cannot be ticked; the reason shows in grey
    and as its tooltip, so an ineligible unit says why.
    """

    ticked = Signal()

    def __init__(self, columns: Sequence[CheckColumn], parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self.checks: dict[str, set[int]] = {c.key: set() for c in columns if c.checkable}

    def set_rows(self, rows: Sequence[Any], checked: dict[str, set[int]] | None = None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.checks = {k: set((checked or {}).get(k, set())) for k in self.checks}
        self.endResetModel()
        self.ticked.emit()

    def checked_ids(self, key: str) -> list[int]:
        return [r.id for i, r in enumerate(self.rows) if i in self.checks[key]]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def _disabled(self, row: Any) -> str:
        return getattr(row, "disabled_reason", "") or ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if column.checkable and not self._disabled(self.rows[index.row()]):
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        disabled = self._disabled(row)
        if column.checkable:
            if role == Qt.ItemDataRole.CheckStateRole and not disabled:
                ticked = index.row() in self.checks[column.key]
                return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return "不可选" if disabled else ""
        elif role == Qt.ItemDataRole.DisplayRole:
            value = getattr(row, column.key)
            return column.fmt(value) if column.fmt else ("" if value is None else str(value))
        if role == Qt.ItemDataRole.ToolTipRole and disabled:
            return disabled
        if role == Qt.ItemDataRole.ForegroundRole and disabled:
            return QColor("#777777")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        column = self.columns[index.column()]
        if role != Qt.ItemDataRole.CheckStateRole or not column.checkable:
            return False
        if self._disabled(self.rows[index.row()]):
            return False
        on = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        (self.checks[column.key].add if on else self.checks[column.key].discard)(index.row())
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticked.emit()
        return True

    def toggle(self, row: int, key: str) -> None:
        """Tick or untick as a click would (keyboard: Space on the row)."""
        col = next(i for i, c in enumerate(self.columns) if c.key == key)
        on = row not in self.checks[key]
        self.setData(self.index(row, col), on, Qt.ItemDataRole.CheckStateRole)
