"""Every few seconds, ask the database what others changed and refresh the pages showing it."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from wqg_desktop.services.changes import ChangeWatcher
from wqg_desktop.ui.bus import Bus

log = logging.getLogger(__name__)

#: milliseconds between two looks (one indexed query each)
INTERVAL_MS = 5_000


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
        except Exception:  # the server unreachable for now: say so in the log, try again later
            # (a dropped server connection comes back by itself: db.server.ServerDatabase)
            log.warning("查询其他人的改动失败", exc_info=True)
            return set()
        for kind in sorted(kinds):
            self.bus.notify(kind)
        return kinds
