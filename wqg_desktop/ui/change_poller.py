"""Every few seconds, ask the database what others changed and refresh the pages showing it."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from wqg_desktop.db.dialect import in_transaction
from wqg_desktop.db.models import database
from wqg_desktop.services.changes import ChangeWatcher
from wqg_desktop.ui.bus import Bus

log = logging.getLogger(__name__)

#: milliseconds between two looks (one indexed query each)
INTERVAL_MS = 5_000


def in_transaction_safe(db) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``db`` holds an open transaction; a broken connection holds none worth keeping."""
    try:
        return in_transaction(db)
    except Exception:
        return False


class ChangePoller(QObject):
    def __init__(self, bus: Bus, parent: QObject | None = None, *,
                 interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.bus = bus
        self.watcher = ChangeWatcher()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> set[str]:
        try:
            kinds = self.watcher.poll()
        except Exception:  # a dropped server connection: say so in the log, try again later
            log.warning("查询其他人的改动失败", exc_info=True)
            db = database.obj
            if db is not None and not in_transaction_safe(db):
                db.close()  # the next query connects afresh (peewee reconnects a closed database)
            return set()
        for kind in sorted(kinds):
            self.bus.notify(kind)
        return kinds
