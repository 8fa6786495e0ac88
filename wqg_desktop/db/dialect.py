"""Where SQLite and PostgreSQL differ, one function each — nowhere else in the services.

Everything else is written once, in SQL both understand, or through peewee.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from peewee import Database, PostgresqlDatabase, SqliteDatabase


def is_postgres(db: Database) -> bool:
    return isinstance(_unwrap(db), PostgresqlDatabase)


def is_sqlite(db: Database) -> bool:
    return isinstance(_unwrap(db), SqliteDatabase)


def _unwrap(db: Any) -> Database:
    return getattr(db, "obj", None) or db  # a DatabaseProxy holds the real database in .obj


def _driver_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a declared dependency
        return ()
    return (psycopg.Error,)


#: What the PostgreSQL driver raises itself from raw cursors and COPY (peewee wraps only the
#: statements it runs): catch these next to peewee's errors.
DRIVER_ERRORS: tuple[type[Exception], ...] = _driver_errors()


def placeholders(db: Database, count: int) -> str:
    """``?, ?, ?`` (SQLite) or ``%s, %s, %s`` (PostgreSQL) for ``count`` bound values."""
    return ", ".join([_unwrap(db).param] * count)


#: Bound values per statement: SQLite's default limit is 32,766 (999 before 3.32); PostgreSQL
#: takes 65,535. Chunks of this size stay well below both.
MAX_PARAMS = 900


def defer_foreign_keys(db: Database) -> None:
    """Check foreign keys at commit, not per statement, for the rest of the transaction
    (a package's records may refer to each other in any order)."""
    if is_postgres(db):
        # every foreign key of the PostgreSQL schema is DEFERRABLE INITIALLY IMMEDIATE
        db.execute_sql("SET CONSTRAINTS ALL DEFERRED")
    else:
        db.execute_sql("PRAGMA defer_foreign_keys = ON")


def lock_for_update(db: Database, table: str) -> None:
    """Serialise writers of ``table`` until the transaction ends (sequence numbers, counters).

    SQLite has one writer at a time already (the writer lock and ``BEGIN IMMEDIATE``); on a
    server, concurrent clients queue on a row-independent advisory lock of that table.
    """
    if is_postgres(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"wqg:{table}",))


@contextlib.contextmanager
def snapshot(db: Database, *, read_only: bool = False) -> Iterator[None]:
    """A transaction whose reads all see the database at one moment. SQLite's transactions
    do; PostgreSQL's default (read committed) sees each statement's own moment, so there the
    transaction is REPEATABLE READ. Inside an open transaction, that transaction decides."""
    db = _unwrap(db)
    fresh = is_postgres(db) and not in_transaction(db)
    with db.atomic():
        if fresh:
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
                           + (", READ ONLY" if read_only else ""))
        yield


@contextlib.contextmanager
def exclusive(db: Database, name: str) -> Iterator[None]:
    """One client at a time inside the block, across transactions (a package import plans,
    then writes): SQLite has one writer already; a server queues on a session advisory lock."""
    if not is_postgres(db):
        yield
        return
    db.execute_sql("SELECT pg_advisory_lock(hashtext(%s))", (f"wqg:{name}",))
    try:
        yield
    finally:
        db.execute_sql("SELECT pg_advisory_unlock(hashtext(%s))", (f"wqg:{name}",))


def integrity_problems(db: Database) -> list[str]:
    """What the engine's own consistency check reports; empty when sound.

    SQLite: ``PRAGMA quick_check``. A PostgreSQL server checks its pages itself (and its
    administrator runs ``amcheck``), so there is nothing for a client to check.
    """
    if is_postgres(db):
        return []
    try:
        rows = [r[0] for r in db.execute_sql("PRAGMA quick_check").fetchall()]
    except Exception as exc:  # a file that is not a database at all lands here
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def refresh_statistics(db: Database) -> None:
    """Give the planner statistics once (a sampled ``ANALYZE``; the server's autovacuum keeps
    PostgreSQL's own)."""
    if is_sqlite(db) and "sqlite_stat1" not in db.get_tables():
        db.execute_sql("PRAGMA analysis_limit=400")
        db.execute_sql("ANALYZE")


def reset_sequences(db: Database, tables: Sequence[tuple[str, str]]) -> None:
    """After rows were inserted with explicit ids: make new ids continue after the largest.

    ``tables`` holds (table, id column) pairs. SQLite's rowids need nothing.
    """
    if not is_postgres(db):
        return
    for table, column in tables:
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)')


def bool_value(db: Database, value: object) -> object:
    """A boolean as the raw column takes it: 1/0 in SQLite, true/false in PostgreSQL."""
    if value is None:
        return None
    return bool(value) if is_postgres(db) else (1 if value else 0)


def in_transaction(db: Database) -> bool:
    """Whether ``db``'s connection is inside an open transaction (uncommitted work)."""
    connection = db.connection()
    if is_postgres(db):
        from psycopg.pq import TransactionStatus

        return connection.info.transaction_status != TransactionStatus.IDLE
    return connection.in_transaction


def change_marker(db: Database, table: str) -> tuple:
    """A value that moves whenever what this connection sees of ``table`` may have changed.

    SQLite: this connection's write counter and ``PRAGMA data_version`` (other connections'
    commits). PostgreSQL: the table's row count and the sum of its rows' creating transaction
    ids (an insert, update or delete by anyone moves one of them); a sequential read of the
    table, a few milliseconds at 30,000 rows.
    """
    if is_postgres(db):
        return tuple(db.execute_sql(
            f'SELECT COUNT(*), COALESCE(SUM(xmin::text::bigint), 0) FROM "{table}"').fetchone())
    return database_marker(db)  # type: ignore[return-value]


def database_marker(db: Database) -> tuple | None:
    """A value that moves whenever anything in the database may have changed, or None where
    there is no cheap one. SQLite: this connection's write counter and ``PRAGMA data_version``
    (other connections' commits). A server: None — other officers' commits show only by
    reading every table."""
    db = _unwrap(db)
    if is_postgres(db):
        return None
    connection = db.connection()
    return (connection.total_changes, connection.execute("PRAGMA data_version").fetchone()[0])


def joined(db: Database, expression: str, separator_code: int) -> str:
    """SQL aggregating ``expression`` of every row into one string, rows separated by the
    character ``separator_code`` (``group_concat`` / ``string_agg``)."""
    if is_postgres(db):
        return f"string_agg(({expression})::text, chr({separator_code}))"
    return f"group_concat({expression}, char({separator_code}))"


class IdReserver:
    """Fresh ids for rows a bulk write inserts with explicit ids (package merges).

    SQLite: counting on from the largest id (the writer lock makes this process the only
    writer). PostgreSQL: taken from the table's sequence, so that officers saving at the same
    time on other PCs can never be given the same id.
    """

    def __init__(self, db: Database, table: str) -> None:
        self.db, self.table = _unwrap(db), table
        self._next: int | None = None
        self._sequence: str | None = None

    def take(self, count: int) -> list[int]:
        if count <= 0:
            return []
        if is_postgres(self.db):
            if self._sequence is None:  # looked up once: per id it would cost more than nextval
                (self._sequence,) = self.db.execute_sql(
                    "SELECT pg_get_serial_sequence(%s, 'id')", (f'"{self.table}"',)).fetchone()
            # one array, not a row per id
            (ids,) = self.db.execute_sql(
                "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
                (self._sequence, count)).fetchone()
            return ids
        if self._next is None:
            row = self.db.execute_sql(f'SELECT MAX("id") FROM "{self.table}"').fetchone()
            self._next = (row[0] or 0) + 1
        first, self._next = self._next, self._next + count
        return list(range(first, first + count))


def bulk_insert(db: Database, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert many rows at once: SQLite's ``executemany`` of one prepared INSERT; PostgreSQL's
    ``COPY … FROM STDIN`` (one stream instead of a round trip per row: several times faster)."""
    if not rows:
        return
    db = _unwrap(db)
    names = ", ".join(f'"{c}"' for c in columns)
    if is_postgres(db):
        with db.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    db.cursor().executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({placeholders(db, len(columns))})', rows)


def in_values(db: Database, column_sql: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """A condition ``column IN values`` and its bound values: SQLite binds each value
    (callers keep chunks below :data:`MAX_PARAMS`), PostgreSQL binds one array (any length,
    parsed and planned once)."""
    if not values:
        return "1 = 0", []
    if is_postgres(db):

        return f"{column_sql} = ANY(%s)", [list(values)]
    return f"{column_sql} IN ({placeholders(db, len(values))})", list(values)


def rows_by_key(db: Database, table: str, columns: str, key: str,
                values: Sequence[Any]) -> list[tuple]:
    """``SELECT columns FROM table WHERE key IN values`` for a long list of values.

    SQLite: in chunks of bound values. PostgreSQL: the values go into a temporary table with
    COPY and are joined, which lets the planner hash them instead of probing the index once
    per value (a package merge looks up hundreds of thousands of uuids).
    """
    if not values:
        return []
    db = _unwrap(db)
    if not is_postgres(db) or len(values) < 5_000 or _read_only(db):
        out: list[tuple] = []
        size = chunk_size(db)
        for start in range(0, len(values), size):
            condition, params = in_values(db, f'"{key}"', values[start:start + size])
            out += db.execute_sql(f'SELECT {columns} FROM "{table}" WHERE {condition}',
                                  params).fetchall()
        return out
    # inside a transaction (the caller's, or one of its own): the table empties at commit
    with db.atomic():
        db.execute_sql('CREATE TEMPORARY TABLE IF NOT EXISTS "wqg_keys" ("k" text) '
                       'ON COMMIT DELETE ROWS')
        db.execute_sql('TRUNCATE "wqg_keys"')
        with db.cursor().copy('COPY "wqg_keys" ("k") FROM STDIN') as copy:
            for value in values:
                copy.write_row((value,))
        db.execute_sql('ANALYZE "wqg_keys"')
        return db.execute_sql(f'SELECT {columns} FROM "{table}" '
                              f'WHERE "{key}" IN (SELECT "k" FROM "wqg_keys")').fetchall()


def _read_only(db: Database) -> bool:
    """A read-only session may not create even a temporary table."""
    return db.execute_sql("SELECT current_setting('transaction_read_only')").fetchone()[0] == "on"


def chunk_size(db: Database) -> int:
    """How many values one :func:`in_values` condition should take."""
    return 50_000 if is_postgres(db) else MAX_PARAMS
