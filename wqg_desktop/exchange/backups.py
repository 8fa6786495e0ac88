"""Backups: automatic (when something changed and enough time passed), before every import
and restore, manual to a chosen file; thinning; restoring from the list or from any backup
file (checked first: ours, sound, not newer, which office), itself reversible.

Every backup uses SQLite's online backup API (:func:`wqg_desktop.db.connection.backup_to`)
and counts only after ``PRAGMA quick_check`` passed on the copy.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from wqg_desktop import paths
from wqg_desktop.db import migrations
from wqg_desktop.db.connection import apply_migrations, backup_path, backup_to
from wqg_desktop.db.dialect import is_postgres
from wqg_desktop.db.models import ALL_MODELS, Office, OfficeIdentity, database
from wqg_desktop.domain.roles import Permission, require
from wqg_desktop.errors import DatabaseError, InputRefused
from wqg_desktop.exchange import keys

log = logging.getLogger(__name__)

AUTO_LABEL = "自动"
#: Labels of the backups the thinning rule keeps 12 daily / 10 weekly / 9 monthly of.
THINNED_LABELS = ("自动", "导入前", "恢复前")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 12, 10, 9
#: No automatic backup sooner than this after the previous one.
MIN_INTERVAL = dt.timedelta(hours=4)

_NAME_RE = re.compile(r"^(?P<stem>.+)_(?P<stamp>\d{8}-\d{6})_(?P<label>[^_.]+)(?:_(?P<n>\d+))?\.sqlite3$")


@dataclass
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    label: str
    size: int
    units: int | None
    titles: int | None
    records: int | None
    sound: bool
    #: the file's modification time in nanoseconds: the order of backups taken in one second
    written_ns: int = 0
    #: ``n`` of a ``…_<label>_<n>.sqlite3`` name (the n-th of that label in that second)
    ordinal: int = 1

    def as_dict(self) -> dict:
        data = dict(self.__dict__)
        data["path"] = str(self.path)
        data["taken_at"] = self.taken_at.isoformat(" ")
        return data


def _connection():  # type: ignore[no-untyped-def]
    db = database.obj
    if db is None:
        raise DatabaseError("没有打开的数据库。")
    return db


def make_backup(db_path: Path, label: str) -> Path:
    """A checked backup beside the database (``backups/``); returns its path."""
    target = backup_path(Path(db_path), label)
    return backup_to(_connection(), target)


def manual_backup(target: Path) -> Path:
    """Back up to a file the officer chose (refuses to overwrite the live database)."""
    target = Path(target).expanduser().resolve()
    if target == _live_path():
        raise InputRefused("不能把备份保存到正在使用的数据库文件上，请另选一个文件名。")
    if target.is_dir():
        raise InputRefused(f"{target} 是文件夹，请给出备份文件名，例如 维权岗备份.sqlite3。")
    if target.is_file() and _head(target) not in (b"", _SQLITE_HEADER):
        # an earlier backup may be replaced; a spreadsheet or document never
        raise InputRefused(f"“{target.name}”已存在，而且不是数据库备份（可能是表格或其他文件），"
                           "为免覆盖它，请另选一个文件名。")
    return backup_to(_connection(), target)


def _marker() -> int:
    """Grows with every change (every change writes an audit row)."""
    row = _connection().execute_sql('SELECT MAX("id") FROM "audit_log"').fetchone()
    return int(row[0] or 0)


def _marker_of(path: Path) -> int | None:
    try:
        con = _read_only(path)
        try:
            return int(con.execute('SELECT MAX("id") FROM "audit_log"').fetchone()[0] or 0)
        finally:
            con.close()
    except sqlite3.Error:
        return None


def backup_before(db_path: Path, label: str, *, now: dt.datetime | None = None) -> Path | None:
    """The backup taken before an import. A file is always backed up. A server's backup is
    a full copy (a minute at province scale), so a province merging thirteen packages in a
    row takes one, not thirteen: none when this PC made one less than :data:`MIN_INTERVAL`
    ago (the merge itself is all-or-nothing, and the server keeps its own backups)."""
    if is_postgres(_connection()):
        now = now or dt.datetime.now()
        recent = [b for b in list_backups(db_path, counts=False) if now - b.taken_at < MIN_INTERVAL]
        if recent:
            return None
    return make_backup(Path(db_path), label)


def auto_backup(db_path: Path, *, now: dt.datetime | None = None,
                min_interval: dt.timedelta = MIN_INTERVAL) -> Path | None:
    """Back up if something changed since the last automatic backup and enough time passed;
    then thin the old ones. Returns the new backup, or ``None`` when none was due."""
    now = now or dt.datetime.now()
    autos = [b for b in list_backups(db_path, counts=False) if b.label == AUTO_LABEL]
    if autos:
        latest = autos[0]
        if now - latest.taken_at < min_interval:
            return None
        if _marker_of(latest.path) == _marker():
            return None
    made = make_backup(db_path, AUTO_LABEL)
    thin(db_path, today=now.date())
    return made


def _parse(path: Path) -> tuple[dt.datetime, str, int] | None:
    match = _NAME_RE.match(path.name)
    if not match:
        return None
    try:
        return (dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S"), match["label"],
                int(match["n"] or 1))
    except ValueError:
        return None


def _tally(con: sqlite3.Connection) -> tuple[int, int, int]:
    """Units, titles and records (every row but the audit trail and the version table)."""
    units = con.execute('SELECT COUNT(*) FROM "unit"').fetchone()[0]
    titles = con.execute('SELECT COUNT(*) FROM "title"').fetchone()[0]
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    records = sum(con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables
                  if t not in ("audit_log", "schema_migrations"))
    return units, titles, records


def _counts(path: Path) -> tuple[int | None, int | None, int | None, bool]:
    try:
        con = _read_only(path)
    except sqlite3.Error:
        return None, None, None, False
    try:
        sound = con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        return (*_tally(con), sound)
    except sqlite3.Error:
        return None, None, None, False
    finally:
        con.close()


def list_backups(db_path: Path, *, counts: bool = True) -> list[BackupInfo]:
    """Backups beside the database, newest first, with their dates and record counts."""
    folder = paths.backups_dir(Path(db_path))
    out = []
    for path in folder.glob(f"{Path(db_path).stem}_*.sqlite3"):
        parsed = _parse(path)
        if parsed is None:
            continue
        units = titles = records = None
        sound = True
        if counts:
            units, titles, records, sound = _counts(path)
        stat = path.stat()
        out.append(BackupInfo(path, parsed[0], parsed[1], stat.st_size, units, titles,
                              records, sound, written_ns=stat.st_mtime_ns, ordinal=parsed[2]))
    # Newest first. The name says the second; within one second the file written last is the
    # newer (a backup is written once, then never touched), then the n-th of a label; the
    # name only breaks a complete tie, so the order never depends on how the folder lists.
    out.sort(key=lambda b: (b.taken_at, b.written_ns, b.ordinal, b.path.name), reverse=True)
    return out


def thin(db_path: Path, *, today: dt.date | None = None) -> list[Path]:
    """Keep the newest backup of each of the last 12 days, 10 weeks and 9 months that have
    one; delete the other thinned-label backups. Returns what was deleted."""
    backups = [b for b in list_backups(db_path, counts=False) if b.label in THINNED_LABELS]
    keep: set[Path] = set()
    for key, limit in ((lambda d: d.date(), KEEP_DAILY),
                       (lambda d: tuple(d.isocalendar())[:2], KEEP_WEEKLY),
                       (lambda d: (d.year, d.month), KEEP_MONTHLY)):
        seen: list[object] = []
        for b in backups:  # newest first: the first of each period is its newest
            k = key(b.taken_at)
            if k not in seen:
                if len(seen) >= limit:
                    break
                seen.append(k)
                keep.add(b.path)
    deleted = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            deleted.append(b.path)
    return deleted


#: The first bytes of every SQLite database file.
_SQLITE_HEADER = b"SQLite format 3\x00"
#: Tables every version of this program's database has: with ``schema_migrations`` naming our
#: own steps, they tell our backups from another program's SQLite file.
_CORE_TABLES = frozenset({"schema_migrations", "office", "unit", "title", "setting", "audit_log"})


def _head(path: Path) -> bytes:
    """The first bytes of ``path``, as many as a SQLite file's header has."""
    with path.open("rb") as f:
        return f.read(len(_SQLITE_HEADER))


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that can only read ``path`` (a backup is never changed by looking)."""
    return sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)


def _live_path() -> Path | None:
    """The open database's file (also when opened read-only, as ``file:…?mode=ro``)."""
    db = database.obj
    if db is None or is_postgres(db):
        return None
    name = str(db.database)
    if name.startswith("file:"):
        name = name[len("file:"):].split("?", 1)[0]
    return Path(name).resolve()


def _check_source(source: Path) -> int:
    """Schema version of a backup file, after checking it is a sound database of ours.

    Reads the file only; every refusal says in Chinese what is wrong with the file."""
    name = source.name
    if not source.is_file():
        raise InputRefused(f"找不到备份文件：{source}")
    if source.resolve() == _live_path():
        raise InputRefused(f"“{name}”就是正在使用的数据库文件，不能用它恢复自己。请选择一个备份文件。")
    head = _head(source)
    if not head:
        raise InputRefused(f"“{name}”是空文件（0 字节），不是备份，不能用来恢复。")
    if head != _SQLITE_HEADER:
        raise InputRefused(f"“{name}”不是数据库文件（可能是文本、表格或其他类型的文件），"
                           "不能用来恢复。请选择用“备份到文件”保存的 .sqlite3 文件。")
    try:
        con = _read_only(source)
        try:
            problems = [r[0] for r in con.execute("PRAGMA quick_check")]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            steps = _steps(con) if "schema_migrations" in tables else {}
        finally:
            con.close()
    except sqlite3.Error as exc:
        log.warning("备份文件 %s 无法读取：%s", source, exc)
        raise InputRefused(f"“{name}”已损坏或不完整（可能复制时中断、U 盘被提前拔出），"
                           "不能用来恢复。请换一个备份文件。") from None
    if problems != ["ok"]:
        log.warning("备份文件 %s 未通过 quick_check：%s", source, "; ".join(map(str, problems[:5])))
        raise InputRefused(f"“{name}”已损坏或不完整（数据库自检未通过，可能复制时中断），"
                           "不能用来恢复。请换一个备份文件。")
    ours = {s.VERSION: s.NAME for s in migrations.STEPS}
    known = {v: n for v, n in steps.items() if isinstance(v, int) and v in ours}
    if (not _CORE_TABLES <= tables or not known
            or any(ours[v] != n for v, n in known.items())
            or any(not isinstance(v, int) for v in steps)):
        raise InputRefused(f"“{name}”是数据库文件，但不是维权岗程序的数据库备份"
                           "（可能是其他程序的数据），不能用来恢复。")
    version = max(steps)
    if version > migrations.LATEST_VERSION:
        raise InputRefused(f"“{name}”由更新版本的程序写入（数据结构第 {version} 版，本程序只认识到第 "
                           f"{migrations.LATEST_VERSION} 版），请先升级程序再恢复。")
    return version


def _steps(con: sqlite3.Connection) -> dict:
    """The file's ``schema_migrations`` rows (version → name); empty when the table is not
    shaped like ours (another program may have a table of that name)."""
    columns = {r[1] for r in con.execute('PRAGMA table_info("schema_migrations")')}
    if not {"version", "name"} <= columns:
        return {}
    return dict(con.execute('SELECT "version", "name" FROM "schema_migrations"').fetchall())


@dataclass
class BackupFile:
    """What a backup file holds, shown before restoring from it."""

    path: Path
    version: int
    #: the office the backup belongs to (``None`` for a database never set up)
    office_name: str | None
    office_uuid: str | None
    #: ``False`` when it belongs to another office than this database's
    same_office: bool
    #: the last change recorded in it (its audit trail), and the file's own time
    last_change: dt.datetime | None
    written: dt.datetime
    units: int
    titles: int
    records: int


def _last_change(con: sqlite3.Connection) -> dt.datetime | None:
    text = con.execute('SELECT MAX("at") FROM "audit_log"').fetchone()[0]
    try:
        return dt.datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def inspect_backup(source: Path) -> BackupFile:
    """Check a backup file the way :func:`restore` does and say what it holds (which office,
    the last change, counts), without changing anything."""
    source = Path(source).expanduser().resolve()
    version = _check_source(source)
    con = _read_only(source)
    try:
        office = con.execute('SELECT "name", "uuid" FROM "office" WHERE "is_self" = 1').fetchone()
        units, titles, records = _tally(con)
        last = _last_change(con)
    finally:
        con.close()
    me = Office.get_or_none(Office.is_self == 1) if database.obj is not None else None
    same = (office[1] if office else None) == (me.uuid if me else None)
    return BackupFile(source, version, office[0] if office else None, office[1] if office else None,
                      same, last, dt.datetime.fromtimestamp(source.stat().st_mtime),
                      units, titles, records)


def restore(db_path: Path, source: Path) -> tuple[Path, Path]:
    """Replace the database's content by ``source``; back up the current state first (so the
    restore itself can be undone). The package counter never goes back. Returns
    (restored-from, backup-of-before)."""
    require(Permission.RESTORE)
    source = Path(source).expanduser().resolve()
    version = _check_source(source)
    db = _connection()
    before = make_backup(Path(db_path), "恢复前")
    seq_before = _sequence()
    if is_postgres(db):
        _restore_onto_server(db, source, version)
    else:
        src = _read_only(source)
        try:
            # One step: SQLite copies every page and commits once, so a crash leaves either
            # the old database or the restored one.
            src.backup(db.connection())
        finally:
            src.close()
        if version < migrations.LATEST_VERSION:
            apply_migrations(db, version)
    with database.atomic():
        floor = max(seq_before, _sequence()) + keys.SEQUENCE_SAFETY_GAP
        keys.raise_sequence_floor(floor)
    return source, before


def _restore_onto_server(db, source: Path, version: int) -> None:  # type: ignore[no-untyped-def]
    """Replace every row on the server by the backup file's, in one transaction (the other
    officers' programs see the old data or the restored, never a mix)."""
    from wqg_desktop.db.copy import copy_rows

    if version < migrations.LATEST_VERSION:
        raise InputRefused(
            f"这个备份是旧版本的数据结构（第 {version} 版）。请先用本程序打开这个备份文件一次"
            "（完成升级），再用它恢复服务器上的数据库。")
    src = SqliteDatabase(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        src.connect()
        copy_rows(src, db, replace=True)
    finally:
        src.close()


def _sequence() -> int:
    row = OfficeIdentity.select(OfficeIdentity.sequence).order_by(OfficeIdentity.sequence.desc()).first()
    return row.sequence if row else 0


def check_database(db) -> dict:  # type: ignore[no-untyped-def]
    """``quick_check`` and ``foreign_key_check`` of an open database (read-only).

    A server enforces its foreign keys on every commit and checks its own pages; what a
    client can check there is that it answers and holds the program's tables.
    """
    if is_postgres(db):
        missing = sorted({m._meta.table_name for m in ALL_MODELS} - set(db.get_tables()))
        return {"quick_check": ["ok"] if not missing else [f"缺少数据表：{'、'.join(missing)}"],
                "foreign_key_check": [], "ok": not missing}
    quick = [r[0] for r in db.execute_sql("PRAGMA quick_check").fetchall()]
    fk = [list(r) for r in db.execute_sql("PRAGMA foreign_key_check").fetchall()]
    return {"quick_check": quick, "foreign_key_check": fk, "ok": quick == ["ok"] and not fk}
