"""Copying an office's whole database between a SQLite file and a PostgreSQL server.

Used by ``wqg migrate-db`` (moving an office to a server and back), by backups of a server
(a snapshot into a SQLite file) and by restoring such a backup onto a server. Every table is
copied row for row with its ids, in one transaction on the target, and then checked: the
same number of rows and the same content hash per table on both sides, or nothing is kept.

Works on raw SQL with the tables and columns the models declare; it never rebinds the models.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import (
    BlobField,
    BooleanField,
    Database,
    DateField,
    DateTimeField,
    Field,
    Model,
    SqliteDatabase,
)

from wqg_desktop.db.dialect import (
    defer_foreign_keys,
    integrity_problems,
    is_postgres,
    reset_sequences,
    snapshot,
)
from wqg_desktop.db.models import ALL_MODELS
from wqg_desktop.errors import DatabaseError, InputRefused

#: rows read per query (keyset pages by primary key: memory stays flat at any size)
PAGE = 5_000

Progress = Callable[[int, int, str], None]  # (done tables, all tables, table name)


@dataclass
class TableCheck:
    table: str
    rows: int
    digest: str


@dataclass
class CopyReport:
    tables: list[TableCheck] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    @property
    def digest(self) -> str:
        """One hash over every table's hash: equal on both sides when everything arrived."""
        h = hashlib.sha256()
        for t in self.tables:
            h.update(f"{t.table}:{t.rows}:{t.digest}\n".encode())
        return h.hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "digest": self.digest,
                "tables": {t.table: {"rows": t.rows, "sha256": t.digest} for t in self.tables}}


def _fields(db: Database, model: type[Model]) -> list[Field]:
    """The model's fields whose columns ``db``'s table has: a database of an older schema
    (backed up just before its migration) lacks the newer ones, and is copied as it is."""
    present = {c.name for c in db.get_columns(model._meta.table_name)}
    return [f for f in model._meta.sorted_fields if f.column_name in present]


def _models(db: Database) -> list[type[Model]]:
    """The models whose tables ``db`` has, in dependency order."""
    tables = set(db.get_tables())
    return [m for m in ALL_MODELS if m._meta.table_name in tables]


def _pages(db: Database, model: type[Model]) -> Iterator[list[tuple]]:
    """Every row of ``model``'s table, raw, in primary-key order, a page at a time."""
    table = model._meta.table_name
    pk = model._meta.primary_key.column_name
    names = [f.column_name for f in _fields(db, model)]
    cols = ", ".join(f'"{c}"' for c in names)
    pk_index = names.index(pk)
    last: Any = None
    while True:
        if last is None:
            sql, params = f'SELECT {cols} FROM "{table}" ORDER BY "{pk}" LIMIT {PAGE}', ()
        else:
            sql = f'SELECT {cols} FROM "{table}" WHERE "{pk}" > {db.param} ORDER BY "{pk}" LIMIT {PAGE}'
            params = (last,)
        rows = db.execute_sql(sql, params).fetchall()
        if not rows:
            return
        yield rows
        if len(rows) < PAGE:
            return
        last = rows[-1][pk_index]


def _canonical(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(" ", timespec="microseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _converters(fields: list[Field]) -> list[Callable[[Any], Any]]:
    """Raw column value (either engine) → the Python value peewee gives for it."""
    out: list[Callable[[Any], Any]] = []
    for f in fields:
        if isinstance(f, BooleanField | DateTimeField | DateField):
            out.append(lambda v, f=f: None if v is None else f.python_value(v))
        elif isinstance(f, BlobField):
            out.append(lambda v: None if v is None else bytes(v))
        else:
            out.append(lambda v: v)
    return out


def table_check(db: Database, model: type[Model]) -> TableCheck:
    """Row count and an order-independent content hash of one table."""
    conv = _converters(_fields(db, model))
    digests = []
    for rows in _pages(db, model):
        for row in rows:
            text = "\x1f".join(_canonical(c(v)) for c, v in zip(conv, row, strict=True))
            digests.append(hashlib.sha256(text.encode()).digest())
    digests.sort()
    h = hashlib.sha256()
    for d in digests:
        h.update(d)
    return TableCheck(model._meta.table_name, len(digests), h.hexdigest())


def check_all(db: Database) -> CopyReport:
    return CopyReport([table_check(db, m) for m in _models(db)])


def _for_target(db: Database, fields: list[Field]) -> list[Callable[[Any], Any]]:
    """Python value → what ``db``'s column takes."""
    pg = is_postgres(db)
    out: list[Callable[[Any], Any]] = []
    for f in fields:
        if isinstance(f, BooleanField):
            out.append((lambda v: v) if pg else (lambda v: None if v is None else int(v)))
        elif isinstance(f, DateTimeField | DateField) and not pg:
            out.append(lambda v: None if v is None else str(v))
        else:
            out.append(lambda v: v)
    return out


def is_empty(db: Database) -> bool:
    """Whether no table of the program holds a row (a target must be)."""
    tables = set(db.get_tables())
    for model in ALL_MODELS:
        name = model._meta.table_name
        if name in tables and db.execute_sql(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone():
            return False
    return True


def copy_rows(source: Database, target: Database, *, progress: Progress | None = None,
              replace: bool = False) -> CopyReport:
    """Copy every table from ``source`` into ``target`` (same schema version) in one
    transaction, then check counts and hashes on both sides; refuse a non-empty target
    unless ``replace`` (then its rows are deleted first, inside the same transaction)."""
    if not replace and not is_empty(target):
        raise InputRefused("目标数据库中已有数据，为免覆盖，不会复制。请给出一个空的数据库。")
    models = _models(source)
    with target.atomic():
        defer_foreign_keys(target)
        if replace:
            for model in reversed(models):
                target.execute_sql(f'DELETE FROM "{model._meta.table_name}"')
        for n, model in enumerate(models):
            if progress:
                progress(n, len(models), model._meta.table_name)
            _copy_table(source, target, model)
        reset_sequences(target, [(m._meta.table_name, m._meta.primary_key.column_name)
                                 for m in models if m._meta.primary_key.field_type == "AUTO"])
        if progress:
            progress(len(models), len(models), "核对")
        copied = check_all(source)
        arrived = check_all(target)
        if copied.digest != arrived.digest:
            bad = [a.table for a, b in zip(copied.tables, arrived.tables, strict=True) if a != b]
            raise DatabaseError("复制后核对不一致（" + "、".join(bad[:5]) + "），没有保存任何改动。")
    return arrived


def _copy_table(source: Database, target: Database, model: type[Model]) -> None:
    table = model._meta.table_name
    fields = _fields(source, model)
    cols = [f.column_name for f in fields]
    conv = list(zip(_converters(fields), _for_target(target, fields), strict=True))
    col_sql = ", ".join(f'"{c}"' for c in cols)
    if is_postgres(target):
        cursor = target.cursor()
        with cursor.copy(f'COPY "{table}" ({col_sql}) FROM STDIN') as copy:
            for rows in _pages(source, model):
                for row in rows:
                    copy.write_row([to(fr(v)) for (fr, to), v in zip(conv, row, strict=True)])
        return
    sql = f'INSERT INTO "{table}" ({col_sql}) VALUES ({", ".join([target.param] * len(cols))})'
    for rows in _pages(source, model):
        batch = [tuple(to(fr(v)) for (fr, to), v in zip(conv, row, strict=True)) for row in rows]
        target.cursor().executemany(sql, batch)


def snapshot_to_file(source: Database, path: Path) -> CopyReport:
    """A consistent copy of ``source`` (a server's backup, or a database moved off a server)
    into a new SQLite file at ``path``, of the source's schema version; nothing is left at
    ``path`` unless the copy and the file's own check passed."""
    from wqg_desktop.db.connection import PRAGMAS, apply_migrations, schema_version

    if path.exists():
        raise DatabaseError(f"{path} 已存在，不会覆盖。")
    version = schema_version(source)
    target = SqliteDatabase(str(path), pragmas={"foreign_keys": 1, "synchronous": PRAGMAS["synchronous"]})
    try:
        target.connect()
        apply_migrations(target, 0, upto=version)
        with snapshot(source, read_only=True):  # every table as of one moment
            report = copy_rows(source, target)
        problems = integrity_problems(target)
        if problems:
            raise DatabaseError(f"复制出的文件校验失败（{problems[0]}），没有保存。")
    except BaseException:
        target.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        raise
    target.close()
    return report
