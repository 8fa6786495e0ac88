"""``wqg migrate-db``: move an office's database from its SQLite file to a server, or back.

The source is opened read-only and must be sound and of this program's schema version (an
older file is opened once by the program first, which upgrades it after a backup). The target
must be empty: a file that does not exist yet, or a server database that is new or holds only
the program's empty tables. Everything is copied in one transaction and checked table by
table (row counts and content hashes); a file target appears under its name only when the
check passed, a server target commits only then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peewee import Database, SqliteDatabase

from wqg_desktop.db import migrations
from wqg_desktop.db.connection import apply_migrations, schema_version
from wqg_desktop.db.copy import copy_rows, is_empty, snapshot_to_file
from wqg_desktop.db.dialect import integrity_problems, snapshot
from wqg_desktop.db.location import ServerAddress, Target
from wqg_desktop.errors import DatabaseError, InputRefused


def _open_source(source: Target) -> Database:
    if isinstance(source, ServerAddress):
        from wqg_desktop.db.server import connect

        db = connect(source, read_only=True)
    else:
        db = SqliteDatabase(f"file:{Path(source).resolve().as_posix()}?mode=ro", uri=True)
        try:
            db.connect()
        except Exception as exc:
            raise InputRefused(f"无法打开来源数据库 {source}：{exc}") from exc
        problems = integrity_problems(db)
        if problems:
            db.close()
            raise InputRefused(f"来源数据库已损坏（{problems[0]}），不能搬迁。请先从备份恢复。")
    try:
        version = schema_version(db)
    except DatabaseError:
        db.close()
        raise
    if version != migrations.LATEST_VERSION:
        db.close()
        if version > migrations.LATEST_VERSION:
            raise InputRefused("来源数据库由更新版本的程序写入，请先升级本程序。")
        raise InputRefused(
            f"来源数据库是旧版本的数据结构（第 {version} 版）。请先用本程序正常打开它一次（自动备份后升级），再搬迁。")
    return db


def _prepare_target(db: Database) -> None:
    version = schema_version(db)
    if version == 0:
        apply_migrations(db, 0)
    elif version != migrations.LATEST_VERSION or not is_empty(db):
        raise InputRefused("目标数据库中已有数据，为免覆盖，不会搬迁。请给出一个新文件名，或服务器上新建的空数据库。")


def migrate_database(source: Target, target: Target) -> dict[str, Any]:
    """Copy everything from ``source`` to ``target``; the checked report (counts, hashes)."""
    if not isinstance(source, ServerAddress) and not isinstance(target, ServerAddress) \
            and Path(source).resolve() == Path(target).resolve():
        raise InputRefused("来源和目标是同一个文件。")
    src = _open_source(source)
    try:
        if isinstance(target, ServerAddress):
            from wqg_desktop.db.server import connect, grant_group_roles

            dst = connect(target)
            try:
                _prepare_target(dst)
                report = _copy(src, dst)
                grant_group_roles(dst)
            finally:
                dst.close()
        else:
            report = _copy_to_file(src, Path(target))
    finally:
        src.close()
    data = report.as_dict()
    data["from"], data["to"] = str(source), str(target)
    return data


def _copy(src: Database, dst: Database):  # type: ignore[no-untyped-def]
    with snapshot(src, read_only=True):
        return copy_rows(src, dst)


def _copy_to_file(src: Database, path: Path):  # type: ignore[no-untyped-def]
    path = path.expanduser().resolve()
    if path.exists():
        raise InputRefused(f"目标文件 {path} 已存在，为免覆盖，不会搬迁。请给出一个新文件名。")
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    # the same copy as a server's backup (the source is of this program's schema version,
    # checked when it was opened); the file appears under its name only once it passed
    report = snapshot_to_file(src, part)
    part.replace(path)
    return report
