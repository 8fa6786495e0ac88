"""Schema migrations: the migrated schema is the models' schema, upgrades keep data, refusals
leave files alone, and every step is all-or-nothing."""

from __future__ import annotations

import shutil
import sqlite3
import types
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from wqg_desktop import paths
from wqg_desktop.db import connection, migrations
from wqg_desktop.db.connection import open_database, schema_version
from wqg_desktop.db.lock import WriterLock
from wqg_desktop.db.models import ALL_MODELS
from wqg_desktop.errors import DatabaseCorrupt, DatabaseError, DatabaseTooNew

#: about the SQLite file itself (the server's counterparts are in test_server.py)
pytestmark = pytest.mark.sqlite_only

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXTURE_FILES = sorted(FIXTURES.glob("schema_v*.sqlite3"))


# --- the schema the models declare vs the schema the migrations build ----------------------

def _schema(conn: sqlite3.Connection) -> dict[str, dict[str, object]]:
    """Tables → columns (name, type, notnull, pk), indexes (name, unique, columns), foreign keys."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )]
    schema: dict[str, dict[str, object]] = {}
    for table in tables:
        columns = [
            (name, ctype.upper(), notnull, pk)
            for _, name, ctype, notnull, _default, pk in conn.execute(f'PRAGMA table_info("{table}")')
        ]
        indexes = set()
        for _, name, unique, origin, _partial in conn.execute(f'PRAGMA index_list("{table}")'):
            if origin == "pk":
                continue
            cols = tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")'))
            # SQLite names the automatic index of an inline UNIQUE column itself; compare those
            # by what they cover, not by name.
            key = f"(auto){cols}" if name.startswith("sqlite_autoindex") else name
            indexes.add((key, unique, cols))
        fks = {
            (r[2], r[3], r[4], r[6])  # table, from, to, on_delete
            for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')
        }
        schema[table] = {"columns": columns, "indexes": indexes, "foreign_keys": fks}
    return schema


def _model_schema(tmp_path: Path) -> dict[str, dict[str, object]]:
    path = tmp_path / "models.sqlite3"
    db = SqliteDatabase(str(path))
    with db.bind_ctx(ALL_MODELS):
        db.create_tables(ALL_MODELS)
    db.close()
    conn = sqlite3.connect(path)
    try:
        return _schema(conn)
    finally:
        conn.close()


def test_migrated_schema_is_exactly_what_the_models_declare(empty_ctx, tmp_path: Path) -> None:
    expected = _model_schema(tmp_path)
    conn = sqlite3.connect(empty_ctx.db_path)
    try:
        actual = _schema(conn)
    finally:
        conn.close()
    assert actual.pop("schema_migrations")["columns"] == [
        ("version", "INTEGER", 1, 1), ("name", "TEXT", 1, 0), ("applied_at", "TEXT", 1, 0),
    ]
    assert sorted(actual) == sorted(expected), "tables differ: add a migration step"
    for table, want in expected.items():
        got = actual[table]
        assert got["columns"] == want["columns"], f"columns of {table} differ: add a migration step"
        assert got["indexes"] == want["indexes"], f"indexes of {table} differ: add a migration step"
        assert got["foreign_keys"] == want["foreign_keys"], f"foreign keys of {table} differ"


def test_schema_comparison_notices_a_model_change(empty_ctx, tmp_path: Path) -> None:
    """The check above can fail: a column the migrations lack shows up as a difference."""
    conn = sqlite3.connect(empty_ctx.db_path)
    try:
        before = _schema(conn)["unit"]["columns"]
        conn.execute('ALTER TABLE "unit" ADD COLUMN "extra" TEXT')
        after = _schema(conn)["unit"]["columns"]
    finally:
        conn.close()
    assert after != before
    assert after[-1] == ("extra", "TEXT", 0, 0)


def test_steps_are_numbered_from_one_without_gaps() -> None:
    assert [s.VERSION for s in migrations.STEPS] == list(range(1, migrations.LATEST_VERSION + 1))
    for step in migrations.STEPS:
        assert step.NAME and callable(step.apply)


# --- stored databases of every released schema version -----------------------------------

def test_there_is_a_fixture_for_every_schema_version() -> None:
    versions = {int(p.stem.removeprefix("schema_v")) for p in FIXTURE_FILES}
    assert versions == set(range(1, migrations.LATEST_VERSION + 1)), (
        "run `python tests/fixtures/make_fixtures.py` to add the fixture of the new schema version"
    )


def _fixture_version(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute('SELECT MAX("version") FROM "schema_migrations"').fetchone()[0]
    finally:
        conn.close()


def _assert_fixture_rows(db: SqliteDatabase) -> None:
    """The rows ``tests/fixtures/make_fixtures.py`` put into every fixture."""
    def one(sql: str) -> tuple:
        return db.execute_sql(sql).fetchone()

    assert one('SELECT "name", "level", "is_self" FROM "office"') == ("海安县公安局", 1, 1)
    regions = {r[0] for r in db.execute_sql('SELECT "name" FROM "region"').fetchall()}
    assert regions == {"南通市", "海安县"}
    assert one('SELECT COUNT(*) FROM "police_type"') == (3,)
    assert one('SELECT "name", "status" FROM "unit"') == ("海安县公安局城北中心派出所", "active")
    assert one('SELECT "unit_name", "term_start", "certificate_no", "status" FROM "title"') == (
        "海安县公安局城北中心派出所", 2011, "海青维〔2012〕1号", "valid",
    )
    assert one('SELECT "key", "value" FROM "setting"') == ("officer_name", '"王警官"')


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_every_stored_schema_upgrades_and_keeps_its_rows(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite3"
    shutil.copy(fixture, path)
    old_version = _fixture_version(path)
    with open_database(path) as opened:
        assert schema_version(opened.db) == migrations.LATEST_VERSION
        _assert_fixture_rows(opened.db)
        if old_version < migrations.LATEST_VERSION:
            assert opened.migrated_from == old_version
            assert len(opened.backups) == 1 and opened.backups[0].exists()
            assert _fixture_version(opened.backups[0]) == old_version
        else:
            assert opened.migrated_from is None and opened.backups == []


def _step(version: int, apply) -> types.ModuleType:
    step = types.ModuleType(f"m{version:04d}_test")
    step.VERSION = version
    step.NAME = f"测试步骤{version}"
    step.apply = apply
    return step


def _add_next_step(monkeypatch: pytest.MonkeyPatch, apply) -> int:
    """Pretend the program has one more migration step; return its version."""
    version = migrations.LATEST_VERSION + 1
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, _step(version, apply)])
    monkeypatch.setattr(migrations, "LATEST_VERSION", version)
    return version


def test_upgrade_backs_up_first_then_migrates(monkeypatch, tmp_path: Path) -> None:
    """An upgrade as it will happen at the next release: backup of the old file, then the step."""
    path = tmp_path / "office.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{migrations.LATEST_VERSION}.sqlite3", path)
    old = migrations.LATEST_VERSION
    new = _add_next_step(monkeypatch, lambda db: db.execute_sql(
        'ALTER TABLE "unit" ADD COLUMN "nickname" TEXT NOT NULL DEFAULT \'\''))
    with open_database(path) as opened:
        assert opened.migrated_from == old
        assert schema_version(opened.db) == new
        _assert_fixture_rows(opened.db)
        assert opened.db.execute_sql('SELECT "nickname" FROM "unit"').fetchone() == ("",)
        [backup] = opened.backups
    assert backup.parent == paths.backups_dir(path) == tmp_path / "backups"
    assert f"升级前v{old}" in backup.name
    assert _fixture_version(backup) == old
    conn = sqlite3.connect(backup)
    try:
        columns = [r[1] for r in conn.execute('PRAGMA table_info("unit")')]
    finally:
        conn.close()
    assert "nickname" not in columns


# --- files the program must refuse, and leave as they were ---------------------------------

def test_database_from_a_newer_version_is_refused_and_left_unchanged(db_path: Path) -> None:
    open_database(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        'INSERT INTO "schema_migrations" VALUES (?, ?, ?)',
        (migrations.LATEST_VERSION + 1, "未来的版本", "2030-01-01T00:00:00"),
    )
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(DatabaseTooNew, match="更新版本") as err:
            open_database(db_path, read_only=read_only)
        assert f"第 {migrations.LATEST_VERSION + 1} 版" in err.value.message
    assert db_path.read_bytes() == before
    lock = WriterLock(db_path)  # the refusal let go of the writer lock
    lock.acquire()
    lock.release()


def test_sqlite_file_of_another_program_is_refused_and_left_unchanged(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('某公司')")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="不是维权岗程序的数据库"):
        open_database(db_path)
    assert db_path.read_bytes() == before
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]
    finally:
        conn.close()


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_random_bytes_are_refused_with_a_chinese_message(db_path: Path) -> None:
    junk = bytes(range(256)) * 64
    db_path.write_bytes(junk)
    with pytest.raises(DatabaseCorrupt) as err:
        open_database(db_path)
    assert _has_chinese(err.value.message) and "备份" in err.value.message
    assert db_path.read_bytes() == junk


def test_truncated_database_is_refused_as_corrupt(ctx, db_path: Path, tmp_path: Path) -> None:
    ctx.close()  # a clean close folds the WAL into the file: now the file alone is the database
    whole = db_path.read_bytes()
    assert len(whole) > 64 * 1024
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DatabaseCorrupt) as err:
        open_database(broken)
    assert "损坏" in err.value.message and "备份" in err.value.message
    assert broken.read_bytes() == whole[: len(whole) // 2]


def test_a_failing_step_leaves_the_database_at_its_old_version(monkeypatch, tmp_path: Path) -> None:
    """Each step runs in one transaction: a step that fails half-way changes nothing."""
    path = tmp_path / "office.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{migrations.LATEST_VERSION}.sqlite3", path)
    old = migrations.LATEST_VERSION

    def half_done(db: SqliteDatabase) -> None:
        db.execute_sql('CREATE TABLE "half_done" ("id" INTEGER PRIMARY KEY)')
        db.execute_sql('UPDATE "unit" SET "name" = \'改坏了\'')
        raise RuntimeError("第二步失败")

    _add_next_step(monkeypatch, half_done)
    with pytest.raises(RuntimeError, match="第二步失败"):
        open_database(path)
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute('SELECT MAX("version") FROM "schema_migrations"').fetchone() == (old,)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "half_done" not in tables
        assert conn.execute('SELECT "name" FROM "unit"').fetchone() == ("海安县公安局城北中心派出所",)
    finally:
        conn.close()
    # and the program of the old version still opens it
    with open_database(path) as opened:
        assert schema_version(opened.db) == old


def test_migration_runner_can_stop_at_a_version(tmp_path: Path, monkeypatch) -> None:
    """``upto`` lets make_fixtures.py build the database of an older release."""
    _add_next_step(monkeypatch, lambda db: db.execute_sql('CREATE TABLE "later" ("id" INTEGER)'))
    db = SqliteDatabase(str(tmp_path / "partial.sqlite3"))
    connection.apply_migrations(db, 0, upto=migrations.LATEST_VERSION - 1)
    assert schema_version(db) == migrations.LATEST_VERSION - 1
    assert "later" not in db.get_tables()
    connection.apply_migrations(db, migrations.LATEST_VERSION - 1)
    assert schema_version(db) == migrations.LATEST_VERSION
    assert "later" in db.get_tables()
    db.close()
