"""One writer per database file: an OS lock on ``<db>.lock`` held while the program runs.

The operating system drops the lock when the process dies, so a crash never leaves a stale
lock behind; the file only tells the next user who held it last.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO

from wqg_desktop.errors import DatabaseLocked


class WriterLock:
    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            _lock(handle)
        except OSError:
            try:
                handle.seek(0)
                holder = _describe(handle.read())
            except OSError:  # Windows locks are mandatory: the holder's locked byte is unreadable
                holder = "另一个进程"
            handle.close()
            raise DatabaseLocked(
                f"数据库正被另一个运行中的维权岗程序使用（{holder}），不能同时修改。"
                "请先关闭那个程序；只读的查看、统计和备份命令仍可使用。"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": dt.datetime.now().isoformat(timespec="seconds"),
        }))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None


def _describe(text: str) -> str:
    try:
        info = json.loads(text)
        return f"计算机 {info['host']}，进程 {info['pid']}，自 {info['since'].replace('T', ' ')} 起"
    except (ValueError, KeyError, TypeError):
        return "另一个进程"


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
