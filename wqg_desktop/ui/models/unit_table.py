"""The register table: ids from one search query, rows fetched a page at a time as shown.

At 100,000 units a keystroke costs one id query; the view then asks only for the rows on
screen, and each page of :data:`PAGE` rows is three queries (:func:`registry.fetch_rows`).
Sorting is done by the database (a new id query), never by loading every row.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from wqg_desktop.services import registry

Index = QModelIndex | QPersistentModelIndex

PAGE = 200
INACTIVE_COLOUR = QColor("#777777")

#: (row attribute = sort key, header)
COLUMNS: list[tuple[str, str]] = [
    ("name", "单位名称"),
    ("region", "县(市、区)"),
    ("bureau", "所属公安局"),
    ("police_type", "警种"),
    ("unit_kind", "类别"),
    ("head", "负责人"),
    ("phone", "联系电话"),
    ("title", "最高有效称号"),
    ("campaign", "创建状态"),
    ("online", "维权在线"),
    ("status", "在册状态"),
]
COL_NAME = 0


class UnitTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._pages: dict[int, list[registry.UnitRow]] = {}
        self._filter = registry.UnitFilter()
        self._sort = "name"
        self._descending = False

    # -- loading ---------------------------------------------------------------------------

    def search(self, flt: registry.UnitFilter) -> None:
        """Run the filter (one query) and show its first rows."""
        self._filter = flt
        self._reload()

    def _reload(self) -> None:
        ids = registry.search_ids(self._filter, sort=self._sort, descending=self._descending)
        self.beginResetModel()
        self._ids = ids
        self._pages = {}
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Forget fetched rows (after an edit) but keep the ids and their order."""
        self._reload()

    def row_at(self, row: int) -> registry.UnitRow:
        page, offset = divmod(row, PAGE)
        rows = self._pages.get(page)
        if rows is None:
            ids = self._ids[page * PAGE:(page + 1) * PAGE]
            fetched = {r.id: r for r in registry.fetch_rows(ids)}
            # a unit deleted since the search keeps its place as an empty row
            rows = [fetched.get(uid) or _gone(uid) for uid in ids]
            self._pages[page] = rows
        return rows[offset]

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, unit_id: int) -> int:
        try:
            return self._ids.index(unit_id)
        except ValueError:
            return -1

    # -- Qt --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return COLUMNS[section][1]
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = str(getattr(self.row_at(index.row()), COLUMNS[index.column()][0], "") or "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if len(text) > 12 else None
            return text
        if role == Qt.ItemDataRole.ForegroundRole:
            row = self.row_at(index.row())
            if row.status and row.status != "在册":
                return QBrush(INACTIVE_COLOUR)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = COLUMNS[column][0]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        self._ids = registry.search_ids(self._filter, sort=self._sort,
                                        descending=self._descending)
        self._pages = {}
        self.layoutChanged.emit()


def _gone(uid: int) -> registry.UnitRow:
    return registry.UnitRow(id=uid, uuid="", name="（已删除）", region="", bureau="",
                            police_type="", unit_kind="", head="", phone="", title="",
                            campaign="", online="", status="")
