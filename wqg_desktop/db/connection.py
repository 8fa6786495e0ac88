"""Opening a database: pragmas, the writer lock, integrity check, backups and migrations.

A SQLite file on this PC (one writer, guarded by the writer lock) or a PostgreSQL server that
several officers share (see :mod:`wqg_desktop.db.server`); both get the same migrations.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from peewee import Database, SqliteDatabase

from wqg_desktop import paths
from wqg_desktop.db import migrations
from wqg_desktop.db.dialect import integrity_problems, is_postgres, refresh_statistics
from wqg_desktop.db.location import ServerAddress, parse_target
from wqg_desktop.db.lock import WriterLock
from wqg_desktop.db.models import database
from wqg_desktop.domain.roles import Role, set_current_role
from wqg_desktop.errors import DatabaseCorrupt, DatabaseError, DatabaseTooNew, InputRefused

log = logging.getLogger(__name__)

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # An office PC may lose power; FULL makes every committed transaction survive it.
    "synchronous": "full",
    "cache_size": -32_000,  # 32 MB
    "busy_timeout": 5_000,
}

_MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS "schema_migrations" (
    "version" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "applied_at" TEXT NOT NULL)"""


@dataclass
class OpenDatabase:
    """A database bound to the models, with the lock that lets this process write it.

    For a server, ``path`` is not a database file but the name local backups are made under
    (``<data>/servers/<host>_<port>_<db>.sqlite3``), and ``server`` says where the data is.
    """

    path: Path
    db: Database
    read_only: bool
    lock: WriterLock | None = None
    migrated_from: int | None = None
    backups: list[Path] = field(default_factory=list)
    server: ServerAddress | None = None
    #: the login account on a server (the audit trail names it); empty for a file
    account: str = ""

    @property
    def location(self) -> str:
        """Where the data is, as shown to the officer (never with a password)."""
        return self.server.display if self.server else str(self.path)

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> OpenDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_database(
    path: Path | str | ServerAddress,
    *,
    create: bool = True,
    read_only: bool = False,
    check: bool = True,
    migrate: bool = True,
) -> OpenDatabase:
    """Open (or create) the office database at ``path`` and bind the models to it.

    Takes the writer lock unless ``read_only``; runs ``PRAGMA quick_check`` when ``check``;
    refuses a database written by a newer version; backs up, then migrates an older one.
    ``path`` may also be a server address (``postgresql://…``).
    """
    target = path if isinstance(path, ServerAddress) else parse_target(path)
    if isinstance(target, ServerAddress):
        from wqg_desktop.db.server import open_server

        return open_server(target, read_only=read_only, migrate=migrate)
    path = target.resolve()
    set_current_role(Role.ADMIN)  # the one officer at this PC
    if path.is_dir():
        raise InputRefused(f"“{path}”是一个文件夹，不是数据库文件：请指定文件名，例如 {path / 'wqg.sqlite3'}。")
    if not path.exists():
        if read_only or not create:
            raise DatabaseError(f"找不到数据库文件：{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    lock = None
    db: SqliteDatabase | None = None
    if not read_only:
        lock = WriterLock(path)
        lock.acquire()
    try:
        db = _connect(path, read_only=read_only)
        opened = OpenDatabase(path=path, db=db, read_only=read_only, lock=lock)
        if check:
            problems = quick_check(db)
            if problems:
                raise DatabaseCorrupt(
                    "数据库文件已损坏（完整性检查未通过），为免数据进一步受损，程序不会打开它。"
                    "请从备份恢复：" + "；".join(problems[:3]),
                    details=problems,
                )
        version = schema_version(db)
        if version > migrations.LATEST_VERSION:
            raise DatabaseTooNew(
                f"此数据库由更新版本的维权岗程序写入（数据结构第 {version} 版，"
                f"本程序只认识到第 {migrations.LATEST_VERSION} 版）。请先升级程序再打开，"
                "以免旧程序损坏新数据。"
            )
        if version < migrations.LATEST_VERSION and (read_only or not migrate):
            raise DatabaseError(
                f"数据库是旧版本的数据结构（第 {version} 版），需要先用本程序正常打开一次完成升级。"
            )
        if not read_only:
            # Only now, once the file is known to be ours and not too new: switching to WAL
            # rewrites the file header, and a refused file must be left exactly as it was.
            db.pragma("journal_mode", PRAGMAS["journal_mode"], permanent=True)
        if version < migrations.LATEST_VERSION:
            if version > 0:
                opened.backups.append(backup_to(db, backup_path(path, f"升级前v{version}")))
            apply_migrations(db, version)
            opened.migrated_from = version
        if not read_only:
            # Without statistics SQLite can pick a poor index on a large register; a sampled
            # ANALYZE (analysis_limit) takes milliseconds even on a province database.
            refresh_statistics(db)
        return opened
    except BaseException:
        if db is not None and not db.is_closed():
            db.close()
        if lock is not None:
            lock.release()
        raise


#: What SQLite says when the bytes are not a (sound) database.
_CORRUPT_SIGNS = ("malformed", "not a database")


def _connect(path: Path, *, read_only: bool) -> SqliteDatabase:
    if read_only:
        # URI mode=ro: readers never take the writer lock and never write the file.
        db = SqliteDatabase(
            f"file:{path.as_posix()}?mode=ro",
            uri=True,
            pragmas={"foreign_keys": 1, "cache_size": PRAGMAS["cache_size"], "busy_timeout": 5_000},
            check_same_thread=False,
        )
    else:
        # journal_mode is set by open_database after the checks (it writes the file header).
        pragmas = {k: v for k, v in PRAGMAS.items() if k != "journal_mode"}
        db = SqliteDatabase(str(path), pragmas=pragmas, check_same_thread=False)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # peewee wraps sqlite errors in its own types
        if any(sign in str(exc) for sign in _CORRUPT_SIGNS):
            raise DatabaseCorrupt(
                f"数据库文件 {path} 已损坏或不是数据库文件（{exc}），程序不会打开它。"
                "请从备份恢复（备份在数据库文件旁的 backups 文件夹中）。",
                details=[str(exc)],
            ) from exc
        log.warning("无法打开数据库文件 %s：%s", path, exc)
        raise DatabaseError(f"无法打开数据库文件 {path}：所在的文件夹不存在、没有读写权限，"
                            "或文件正被其他程序独占。") from exc
    return db


def quick_check(db: Database) -> list[str]:
    """Problems ``PRAGMA quick_check`` reports; empty when the file is sound."""
    return integrity_problems(db)


def schema_version(db: Database) -> int:
    if "schema_migrations" not in db.get_tables():
        if db.get_tables():
            raise DatabaseError("这不是维权岗程序的数据库（缺少数据结构版本记录），程序不会修改它。")
        return 0
    row = db.execute_sql('SELECT MAX("version") FROM "schema_migrations"').fetchone()
    return int(row[0] or 0)


def apply_migrations(db: Database, current: int, *, upto: int | None = None) -> None:
    """Apply the steps after ``current`` (up to ``upto``, default all), each in its own transaction.

    ``upto`` exists for ``tests/fixtures/make_fixtures.py``, which builds databases of older
    schema versions through this same runner.
    """
    db.execute_sql(_MIGRATIONS_TABLE)
    for step in migrations.STEPS:
        if current >= step.VERSION or (upto is not None and upto < step.VERSION):
            continue
        log.info("数据库升级到第 %s 版：%s", step.VERSION, step.NAME)
        with db.atomic():
            step.apply(db)
            p = db.param
            db.execute_sql(
                f'INSERT INTO "schema_migrations" ("version", "name", "applied_at") VALUES ({p}, {p}, {p})',
                (step.VERSION, step.NAME, dt.datetime.now().isoformat(timespec="seconds")),
            )


def backup_path(db_path: Path, label: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = paths.backups_dir(db_path)
    candidate = folder / f"{db_path.stem}_{stamp}_{label}.sqlite3"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{db_path.stem}_{stamp}_{label}_{n}.sqlite3"
    return candidate


def backup_to(db: Database, target: Path) -> Path:
    """Copy the live database with SQLite's online backup API and verify the copy.

    Never copies the file itself: a WAL database's file alone may miss committed pages.
    A server's data is copied into a new SQLite file (one consistent snapshot, checked by
    counts and hashes), so every backup is a file the program can open or restore from.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    if is_postgres(db):
        from wqg_desktop.db.copy import snapshot_to_file

        snapshot_to_file(db, tmp)
        tmp.replace(target)
        log.info("已备份服务器数据库到 %s", target)
        return target
    dest = sqlite3.connect(tmp)
    try:
        db.connection().backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
        result = dest.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        dest.close()
    if result != "ok":
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"备份校验失败（{result}），备份未保存。")
    tmp.replace(target)
    log.info("已备份数据库到 %s", target)
    return target
