"""What every page shares: the context, the bus, and a refresh on changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from wqg_desktop.app import AppContext
from wqg_desktop.domain.roles import Permission, current_role, may
from wqg_desktop.ui.bus import Bus


class Page(QWidget):
    #: navigation label
    TITLE = ""
    #: key of the help section in the user manual (F1)
    HELP = ""
    #: record kinds whose change makes this page reload
    WATCHES: tuple[str, ...] = ("*",)

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bus = bus
        self._stale = True
        bus.changed.connect(self._on_changed)

    @property
    def writable(self) -> bool:
        """False when the database was opened read-only (``wqg-desktop --read-only``)."""
        return not self.ctx.opened.read_only

    def _on_changed(self, entity: str) -> None:
        if entity == "*" or "*" in self.WATCHES or entity in self.WATCHES:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Reload from the database. Pages override ``load``."""
        self._stale = False
        self.load()

    def load(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError


#: Tooltip of a button that would change data while the database is open read-only.
READ_ONLY_TIP = "只读打开，不能修改"


def allow(button: QAbstractButton, why_not: str | None) -> None:
    """Enable ``button``, or disable it with ``why_not`` as its tooltip.

    The button's own tooltip (from the form) is kept and shown again once it is enabled."""
    own = button.property("wqg_own_tip")
    if own is None:
        own = button.toolTip()
        button.setProperty("wqg_own_tip", own)
    button.setEnabled(not why_not)
    button.setToolTip(why_not or own)


def admin_only(permission: Permission) -> str | None:
    """Why the current account is not offered an action reserved to 管理员 (its button's
    tooltip), or ``None`` when its role allows it. The services refuse it too; this only
    keeps the window from offering what would be refused."""
    if may(permission):
        return None
    return f"只有管理员可以{permission.value}（您的账号是{current_role().value}）"


def writable_only(buttons: Iterable[QAbstractButton], writable: bool,
                  enabled: bool = True) -> None:
    """Buttons that change data: disabled with :data:`READ_ONLY_TIP` when the database is open
    read-only; otherwise enabled when ``enabled`` (tooltip unchanged)."""
    for button in buttons:
        if not writable:
            allow(button, READ_ONLY_TIP)
        else:
            allow(button, None)
            button.setEnabled(enabled)


def opens_row(table: QAbstractItemView, action: Callable[[], object]) -> None:
    """Enter opens the current row as a double-click does. Both emit ``activated`` (a
    double-click once), so the action is wired to it alone, never to ``doubleClicked`` too."""
    table.activated.connect(lambda _index: action())


def tidy_table(table: QTableView, *, stretch_column: int | None = None, name_width_em: int = 18) -> None:
    """Column widths that work from 1366×768 at 150% up: short columns fit their contents;
    the main (name) column keeps a readable width of its own and the user can drag it, so it
    never collapses when the window is narrow; a horizontal scroll bar takes the rest."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Interactive)
        em = table.fontMetrics().horizontalAdvance("中")
        header.resizeSection(stretch_column, em * name_width_em)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setWordWrap(False)
