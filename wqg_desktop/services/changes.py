"""What others changed: the audit trail read as a change feed, so that every officer's screens
follow the records other officers save on a shared server (or another program writes).

Every change writes an audit row (one per record, or one per batch for imports and merges)
naming the record kind, so the kinds named by rows the watcher has not seen yet are the
kinds whose lists are stale. On a server, ids are handed out when a row is written but become
visible when its transaction commits, so a slow transaction may show up behind faster ones:
the watcher looks back over a window of recent ids and remembers which it has seen.
"""

from __future__ import annotations

from wqg_desktop.db.models import AuditLog

#: how far behind the newest id a late commit is still noticed
LOOK_BACK = 500


class ChangeWatcher:
    def __init__(self) -> None:
        self._floor = 0
        self._seen: set[int] = set()
        self.poll()  # what exists when the window opens is not news

    def poll(self) -> set[str]:
        """The record kinds (model names, as the audit trail names them) changed since the
        last poll; empty when nothing changed."""
        since = max(0, self._floor - LOOK_BACK)
        rows = list(AuditLog.select(AuditLog.id, AuditLog.entity)
                    .where(AuditLog.id > since).tuples())
        fresh = [(i, e) for i, e in rows if i not in self._seen]
        self._seen.update(i for i, _ in fresh)
        if rows:
            self._floor = max(self._floor, max(i for i, _ in rows))
        self._seen = {i for i in self._seen if i > self._floor - LOOK_BACK}
        return {e for _, e in fresh}
