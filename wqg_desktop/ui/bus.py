"""One change signal: after any operation, screens refresh themselves."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Bus(QObject):
    """``changed(entity)`` names the record kind that changed, e.g. "Unit"; "*" means anything."""

    changed = Signal(str)

    def notify(self, entity: str = "*") -> None:
        self.changed.emit(entity)
