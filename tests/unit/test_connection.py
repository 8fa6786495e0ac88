"""Opening the database: pragmas, one writer at a time, crash safety, online backup, audit trail."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wqg_desktop.db.connection import backup_path, backup_to, open_database
from wqg_desktop.db.models import (
    AuditLog,
    Office,
    PoliceType,
    Region,
    Setting,
    acting_as,
    current_actor,
    database,
)
from wqg_desktop.errors import DatabaseError, DatabaseLocked
from wqg_desktop.services import settings

#: about the SQLite file itself (the server's counterparts are in test_server.py)
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]


def _pragma(db, name: str):
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_writer_pragmas(ctx) -> None:
    db = ctx.opened.db
    assert _pragma(db, "journal_mode") == "wal"
    assert _pragma(db, "foreign_keys") == 1
    assert _pragma(db, "synchronous") == 2  # FULL
    assert _pragma(db, "cache_size") == -32_000
    assert _pragma(db, "busy_timeout") == 5_000
    # peewee reconnects by itself after a close; the pragmas must come back with it
    db.close()
    db.connect()
    assert _pragma(db, "foreign_keys") == 1
    assert _pragma(db, "synchronous") == 2
    assert _pragma(db, "journal_mode") == "wal"


def test_foreign_keys_are_enforced(ctx) -> None:
    region = Region.get()
    PoliceType.get()  # seeded
    with pytest.raises(Exception, match="FOREIGN KEY"):
        Region.create(name="孤儿", kind="county", parent=987_654)
    assert Region.select().count() == 1 and Region.get().id == region.id


def test_missing_file_is_not_created_when_told_not_to(db_path: Path) -> None:
    for kwargs in ({"create": False}, {"read_only": True}):
        with pytest.raises(DatabaseError, match="找不到数据库文件"):
            open_database(db_path, **kwargs)
    assert not db_path.exists()


def test_second_writer_is_refused_while_a_reader_may_open(ctx, db_path: Path) -> None:
    with pytest.raises(DatabaseLocked) as err:
        open_database(db_path)
    # the message says who holds it (this very process) and what still works
    assert f"进程 {os.getpid()}" in err.value.message
    assert "只读" in err.value.message

    reader = open_database(db_path, read_only=True)
    try:
        assert reader.lock is None
        assert reader.db.execute_sql('SELECT "name" FROM "office"').fetchone() == ("海安市公安局",)
        with pytest.raises(Exception, match="readonly"):
            reader.db.execute_sql('DELETE FROM "setting"')
    finally:
        reader.close()
        # opening binds the models to the newest database: give them back to the writer
        database.initialize(ctx.opened.db)
    assert Setting.select().count() >= 1
    assert Office.get().name == "海安市公安局"


def test_stats_command_reads_beside_a_running_writer(ctx, db_path: Path) -> None:
    """``wqg stats`` in another process while this one holds the database for writing."""
    run = subprocess.run(
        [sys.executable, "-m", "wqg_desktop.cli.main", "stats", "--db", str(db_path), "--json"],
        capture_output=True, cwd=ROOT, env=_child_env(), timeout=120, stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    data = json.loads(run.stdout.decode("utf-8"))["data"]
    assert data["Office"] == 1 and data["PoliceType"] == 12


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_writer_killed_mid_run_leaves_no_stale_lock(ctx, db_path: Path) -> None:
    ctx.close()
    child_code = textwrap.dedent(f"""
        import sys, time
        from wqg_desktop.db.connection import open_database
        from wqg_desktop.services import settings
        opened = open_database({str(db_path)!r})
        settings.put("officer_name", "被杀掉的进程")
        print("ready", flush=True)
        time.sleep(120)
    """)
    child = subprocess.Popen([sys.executable, "-c", child_code], cwd=ROOT, env=_child_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL)
    try:
        line = child.stdout.readline()
        assert line.strip() == b"ready", child.stderr.read().decode("utf-8", "replace")
        with pytest.raises(DatabaseLocked, match=f"进程 {child.pid}"):
            open_database(db_path)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert db_path.with_name(db_path.name + ".lock").exists()  # the file stays; the lock does not

    with open_database(db_path) as opened:
        assert opened.lock is not None and opened.lock.held
        assert _pragma(opened.db, "quick_check") == "ok"
        # what the killed writer committed survived in the WAL
        assert settings.get("officer_name") == "被杀掉的进程"


def test_online_backup_copies_committed_rows_while_open(ctx, tmp_path: Path) -> None:
    with acting_as("测试"):
        for i in range(25):
            Region.create(name=f"备份测试区{i}", kind="county")
    # those rows live in the WAL, not yet in the main file: a file copy would miss them
    assert Path(str(ctx.db_path) + "-wal").stat().st_size > 0

    target = backup_path(ctx.db_path, "手动")
    assert target.parent == ctx.db_path.parent / "backups" and "手动" in target.name
    made = backup_to(ctx.opened.db, target)
    assert made == target and target.exists()
    assert not target.with_name(target.name + ".part").exists()
    from wqg_desktop.exchange.backups import list_backups

    assert list_backups(ctx.db_path)[0].path == target

    live = ctx.opened.db
    tables = [r[0] for r in live.execute_sql(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        for table in tables:
            sql = f'SELECT COUNT(*) FROM "{table}"'
            assert copy.execute(sql).fetchone()[0] == live.execute_sql(sql).fetchone()[0], table
        assert copy.execute(
            "SELECT COUNT(*) FROM region WHERE name LIKE '备份测试区%'").fetchone() == (25,)
    finally:
        copy.close()
    # a second backup in the same second gets its own name
    again = backup_to(ctx.opened.db, backup_path(ctx.db_path, "手动"))
    assert again != target and again.exists()


def _last_audit() -> AuditLog:
    return AuditLog.select().order_by(AuditLog.id.desc()).get()


def test_audit_trail_of_create_update_delete(ctx) -> None:
    with acting_as("李警官", "核对地区名称"):
        region = Region.create(name="城东", kind="county", code="320699")
        created = _last_audit()
        region.name = "城东新区"
        region.save()
        updated = _last_audit()
        uuid = region.uuid
        region.delete_instance()
        deleted = _last_audit()

    assert (created.action, created.entity, created.entity_id) == ("新增", "Region", uuid)
    assert (created.actor, created.reason) == ("李警官", "核对地区名称")
    changes = json.loads(created.changes)
    assert changes["name"] == [None, "城东"] and changes["code"] == [None, "320699"]
    assert not {"id", "created_at", "updated_at", "row_version"} & changes.keys()

    assert (updated.action, updated.entity_id, updated.actor) == ("修改", uuid, "李警官")
    assert json.loads(updated.changes) == {"name": ["城东", "城东新区"]}

    assert (deleted.action, deleted.entity_id) == ("删除", uuid)
    old = json.loads(deleted.changes)
    assert old["name"] == ["城东新区", None] and old["kind"] == ["county", None]
    assert Region.get_or_none(Region.uuid == uuid) is None
    assert current_actor() == "系统"  # acting_as put the previous actor back


def test_save_without_changes_writes_no_audit_row(ctx) -> None:
    region = Region.get()
    before = AuditLog.select().count()
    region.save()
    Region.get_by_id(region.id).save()
    assert AuditLog.select().count() == before


def test_context_names_the_officer_in_the_audit_trail(ctx) -> None:
    with ctx.acting("补录"):
        settings.put("due_soon_days", 45)
    row = _last_audit()
    assert (row.actor, row.reason, row.entity, row.entity_id) == ("测试民警", "补录", "Setting",
                                                                  "due_soon_days")
    assert json.loads(row.changes)["value"] == [None, "45"]


def test_failed_transaction_keeps_neither_row_nor_audit(ctx) -> None:
    before = (Region.select().count(), AuditLog.select().count())
    with pytest.raises(RuntimeError), database.atomic():
        Region.create(name="回滚区", kind="county")
        raise RuntimeError("中途失败")
    assert (Region.select().count(), AuditLog.select().count()) == before
