"""A table model over a list of plain rows (dicts or objects) with named column specs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex

OVERDUE_COLOUR = QColor("#b00020")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    #: text shown for a value (default: str(), None → "")
    fmt: Callable[[Any], str] | None = None
    align_right: bool = False


def _get(row: Any, key: str) -> Any:
    return row.get(key) if isinstance(row, dict) else getattr(row, key, None)


class RowsModel(QAbstractTableModel):
    """Rows in, cells out. ``highlight`` picks rows drawn in red (e.g. overdue)."""

    def __init__(self, columns: Sequence[Column], *, highlight: Callable[[Any], bool] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._highlight = highlight

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.columns[section].header
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = _get(row, column.key)
            if column.fmt is not None:
                return column.fmt(value)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            value = _get(row, column.key)
            text = column.fmt(value) if column.fmt else ("" if value is None else str(value))
            return text if len(text) > 12 else None
        if role == Qt.ItemDataRole.ForegroundRole and self._highlight and self._highlight(row):
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].key

        def sort_key(row: Any) -> tuple[int, Any]:
            value = _get(row, key)
            return (value is None, value if value is not None else 0)

        self.layoutAboutToBeChanged.emit()
        try:
            self._rows.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        except TypeError:  # mixed types in one column: compare as text
            self._rows.sort(key=lambda r: str(_get(r, key) or ""),
                            reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()
