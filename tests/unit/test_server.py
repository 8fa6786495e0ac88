"""A PostgreSQL server shared by several officers: the same schema as the models, accounts and
roles, login failures in Chinese, saves refused after someone else's, and moving an office's
database from its file to the server and back without losing a byte of meaning.

Skipped without a test server (``WQG_TEST_POSTGRES``); CI always has one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import psycopg
import pytest
from officers import at_once

from wqg_desktop.app import AppContext
from wqg_desktop.cli.main import main
from wqg_desktop.db.copy import check_all
from wqg_desktop.db.location import ServerAddress
from wqg_desktop.db.models import ALL_MODELS, AuditLog, Region, Unit, database
from wqg_desktop.db.models.base import StaleRecord, version_stamp
from wqg_desktop.db.server import PasswordRequired, ServerLoginFailed
from wqg_desktop.domain.roles import Role, current_role
from wqg_desktop.errors import DatabaseError, InputRefused
from wqg_desktop.exchange import backups, keystore
from wqg_desktop.services import accounts, settings, units
from wqg_desktop.services.office import setup_office
from wqg_desktop.services.units import UnitFields

TODAY = dt.date(2026, 11, 26)


def _office(url: str) -> None:
    with AppContext.open(url, clock=lambda: TODAY) as ctx, ctx.acting("初始化"):
        setup_office(level="市", name="南通市公安局", region_name="南通市", region_code="320600",
                     officer="测试民警")


def _as(url: str, login: str, password: str) -> str:
    a = ServerAddress.parse(url)
    return f"postgresql://{login}:{password}@{a.host}:{a.port}/{a.dbname}"


# --- the schema ----------------------------------------------------------------------------

def test_migrated_server_schema_is_what_the_models_declare(server_url: str) -> None:
    with AppContext.open(server_url) as ctx:
        db = ctx.opened.db
        for model in ALL_MODELS:
            table = model._meta.table_name
            rows = db.execute_sql(
                "SELECT column_name, is_nullable FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s", (table,)).fetchall()
            actual = {name: nullable == "YES" for name, nullable in rows}
            expected = {f.column_name: bool(f.null) and not f.primary_key
                        for f in model._meta.sorted_fields}
            assert actual == expected, table
            indexes = {name for (name,) in db.execute_sql(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
                (table, "%_pkey")).fetchall()}
            wanted = {f"{table}_{f.column_name}" for f in model._meta.sorted_fields
                      if (f.index or f.unique) and not f.primary_key}
            assert wanted <= indexes, table
        # every foreign key may wait for the commit (package imports rely on it)
        assert db.execute_sql(
            "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND NOT condeferrable"
        ).fetchone()[0] == 0


def test_a_foreign_key_holds_at_commit(server_url: str) -> None:
    with AppContext.open(server_url), pytest.raises(Exception, match="foreign key"):
        Region.create(code="1", name="甲", kind="county", sort_order=1, parent=99999)


def test_a_newer_schema_on_the_server_is_refused(server_url: str) -> None:
    AppContext.open(server_url).close()
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, '未来', '2030-01-01')")
    with pytest.raises(DatabaseError, match="更新版本"):
        AppContext.open(server_url)


# --- logging in ----------------------------------------------------------------------------

def test_login_failures_say_what_is_wrong_in_chinese(server_url: str, monkeypatch) -> None:
    a = ServerAddress.parse(server_url)
    with pytest.raises(ServerLoginFailed, match="账号或密码不对"):
        AppContext.open(_as(server_url, a.user, "wrong-password"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    with pytest.raises(PasswordRequired, match="请输入账号"):
        AppContext.open(ServerAddress.parse(server_url).with_password(None))
    with pytest.raises(DatabaseError, match="没有名为 no_such_db 的数据库"):
        AppContext.open(server_url.rsplit("/", 1)[0] + "/no_such_db")
    with pytest.raises(DatabaseError, match="连不上数据库服务器"):
        AppContext.open(f"postgresql://{a.user}:x@127.0.0.1:1/{a.dbname}")
    with pytest.raises(InputRefused, match="缺少数据库名"):
        ServerAddress.parse("postgresql://zhangsan@192.168.1.10/")


def test_the_address_never_shows_the_password(server_url: str) -> None:
    a = ServerAddress.parse("postgresql://zhang%40san:秘密@db.example:6543/wqg?sslmode=require")
    assert a.user == "zhang@san" and a.password == "秘密" and a.port == 6543
    assert "秘密" not in a.display and "秘密" not in repr(a) and a.display.endswith("sslmode=require")
    b = ServerAddress.parse("postgresql://zhangsan@db/wqg?password=秘密&sslmode=require")
    assert b.password == "秘密" and "秘密" not in b.display and "password" not in b.display
    with pytest.raises(InputRefused, match="sslpassword"):
        ServerAddress.parse("postgresql://zhangsan@db/wqg?sslpassword=x")
    with AppContext.open(server_url) as ctx:
        assert ServerAddress.parse(server_url).password not in ctx.location


# --- accounts and roles --------------------------------------------------------------------

def test_roles_decide_what_an_account_may_do(server_url: str) -> None:
    _office(server_url)
    with AppContext.open(server_url) as ctx, ctx.acting("账号"):
        assert current_role() is Role.ADMIN  # the superuser of the test server
        accounts.add_account("wqgt_clerk1", "clerk-pass-1", "录入员")
        accounts.add_account("wqgt_admin1", "admin-pass-1", Role.ADMIN)
        with pytest.raises(InputRefused, match="已有账号"):
            accounts.add_account("wqgt_clerk1", "clerk-pass-1", "录入员")
        with pytest.raises(InputRefused, match="账号名只能"):
            accounts.add_account("张三", "clerk-pass-1", "录入员")
        with pytest.raises(InputRefused, match="至少 8"):
            accounts.add_account("wqgt_short", "short", "录入员")
        listed = {a.login: a.role for a in accounts.list_accounts()}
        assert listed["wqgt_clerk1"] is Role.CLERK and listed["wqgt_admin1"] is Role.ADMIN
    try:
        with AppContext.open(_as(server_url, "wqgt_clerk1", "clerk-pass-1"),
                             clock=lambda: TODAY) as ctx:
            assert current_role() is Role.CLERK and ctx.opened.account == "wqgt_clerk1"
            with pytest.raises(InputRefused, match="只有管理员"):
                settings.update({"officer_name": "某人"})
            with pytest.raises(InputRefused, match="只有管理员"):
                accounts.add_account("wqgt_x", "some-pass-1", "录入员")
            region = Region.select().first()
            with ctx.acting("新增单位"):  # a 录入员 enters records …
                unit = units.create_unit(UnitFields(name="南通市公安局城东派出所", region_id=region.id,
                                                    police_type_id=1), today=TODAY)
            # … and the audit trail names the real account
            row = AuditLog.get(AuditLog.entity == "Unit", AuditLog.entity_id == unit.uuid)
            assert row.actor == "测试民警（wqgt_clerk1）"
            # which a 录入员 cannot rewrite, not even past the program
            with pytest.raises(Exception, match="permission denied"), ctx.opened.db.atomic():
                ctx.opened.db.execute_sql("UPDATE audit_log SET actor = '别人'")
            # nor add a trusted key (which would spare a forged package the telephone check)
            with pytest.raises(Exception, match="permission denied"), ctx.opened.db.atomic():
                ctx.opened.db.execute_sql(
                    "INSERT INTO known_key (office_uuid, office_name, level, sign_public, box_public, "
                    "fingerprint, first_seen, confirmed, retired, note) VALUES ('x', '假县公安局', 1, "
                    "'s', 'b', 'f', now(), TRUE, FALSE, '')")
            assert Unit.select().count() == 1  # … while the clerk's own work stands
            with pytest.raises(InputRefused, match="只有管理员"):
                accounts.set_password("wqgt_admin1", "another-pass")
        with AppContext.open(_as(server_url, "wqgt_admin1", "admin-pass-1")):
            assert current_role() is Role.ADMIN
            accounts.set_role("wqgt_clerk1", "管理员")
            owner = ServerAddress.parse(server_url).user  # not one of the program's accounts
            with pytest.raises(InputRefused, match="没有维权岗程序的账号"):
                accounts.set_password(owner, "taken-over-1")
        with psycopg.connect(server_url) as conn:  # the server got a verifier, not the password
            stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'wqgt_clerk1'"
                                  ).fetchone()[0]
            assert stored.startswith("SCRAM-SHA-256$") and "clerk-pass-1" not in stored
        with AppContext.open(_as(server_url, "wqgt_clerk1", "clerk-pass-1")):
            assert current_role() is Role.ADMIN
            accounts.remove_account("wqgt_admin1")
        with pytest.raises(ServerLoginFailed):
            AppContext.open(_as(server_url, "wqgt_admin1", "admin-pass-1"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            for login in ("wqgt_clerk1", "wqgt_admin1"):
                conn.execute(f'DROP OWNED BY "{login}"')
                conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_an_account_without_a_role_is_refused(server_url: str, pg_admin) -> None:
    _office(server_url)
    pg_admin.execute("DROP ROLE IF EXISTS wqgt_nobody")
    pg_admin.execute("CREATE ROLE wqgt_nobody LOGIN PASSWORD 'nobody-pass'")
    try:
        with pytest.raises(ServerLoginFailed, match="没有维权岗程序的角色"):
            AppContext.open(_as(server_url, "wqgt_nobody", "nobody-pass"))
        with AppContext.open(server_url):  # a 管理员 gives it a role
            assert accounts.set_role("wqgt_nobody", "录入员").role is Role.CLERK
        with AppContext.open(_as(server_url, "wqgt_nobody", "nobody-pass")):
            assert current_role() is Role.CLERK
    finally:
        pg_admin.execute("DROP OWNED BY wqgt_nobody")
        pg_admin.execute("DROP ROLE wqgt_nobody")


@pytest.mark.sqlite_only  # a file's case
def test_accounts_belong_to_servers_not_files(ctx) -> None:
    with pytest.raises(InputRefused, match="账号只在数据库服务器上管理"):
        accounts.list_accounts()


# --- two officers at once ------------------------------------------------------------------

def test_a_save_after_another_clients_commit_is_refused(server_url: str) -> None:
    _office(server_url)
    with AppContext.open(server_url, clock=lambda: TODAY) as ctx:
        region = Region.select().first()
        with ctx.acting("新增"):
            unit = units.create_unit(UnitFields(name="南通市公安局城西派出所", region_id=region.id,
                                                police_type_id=1), today=TODAY)
        stamp = version_stamp(Unit.get_by_id(unit.id))
        with psycopg.connect(server_url, autocommit=True) as other:  # another officer's PC
            other.execute("UPDATE unit SET address = '另一台电脑写的', row_version = row_version + 1 "
                          "WHERE id = %s", (unit.id,))
        fields = dataclasses.replace(units.fields_of(Unit.get_by_id(unit.id)), address="我写的")
        with pytest.raises(StaleRecord), ctx.acting("修改", unchanged=stamp):
            units.update_unit(unit.id, fields, today=TODAY)
        assert Unit.get_by_id(unit.id).address == "另一台电脑写的"


# --- moving an office: file → server → file ------------------------------------------------

def test_migrate_db_there_and_back_keeps_everything(demo_template: Path, server_url: str,
                                                     tmp_path: Path, capsys) -> None:
    source = tmp_path / "demo.sqlite3"
    source.write_bytes(demo_template.read_bytes())
    back = tmp_path / "back.sqlite3"

    def wqg(*argv: str) -> tuple[int, dict]:
        code = main([*argv, "--json"])
        return code, json.loads(capsys.readouterr().out)

    code, out = wqg("migrate-db", "--from", str(source), "--to", server_url)
    assert code == 0, out
    there = out["data"]
    assert there["rows"] > 1000 and "逐表核对" in out["message"]
    assert ServerAddress.parse(server_url).password not in out["message"]
    code, out = wqg("migrate-db", "--from", str(source), "--to", server_url)
    assert code == 2 and "已有数据" in out["message"]  # never over existing data
    code, out = wqg("migrate-db", "--from", server_url, "--to", str(back))
    assert code == 0, out
    assert out["data"]["digest"] == there["digest"]
    code, out = wqg("migrate-db", "--from", server_url, "--to", str(back))
    assert code == 2 and "已存在" in out["message"]
    # the file that came back opens and reads as the original did
    with AppContext.open(back, read_only=True):
        again = check_all(database.obj)
    assert again.digest == there["digest"]
    # and new records on the server get fresh ids after the copied ones
    with AppContext.open(server_url, clock=lambda: TODAY) as ctx, ctx.acting("新增"):
        region = Region.select().first()
        unit = units.create_unit(UnitFields(name="南通市公安局新开发区派出所", region_id=region.id,
                                            police_type_id=1), today=TODAY)
        assert unit.id > max(u.id for u in Unit.select(Unit.id) if u.id != unit.id)


def test_backup_and_restore_of_a_server(server_url: str) -> None:
    _office(server_url)
    with AppContext.open(server_url, clock=lambda: TODAY) as ctx:
        region = Region.select().first()
        with ctx.acting("新增"):
            units.create_unit(UnitFields(name="南通市公安局备份派出所", region_id=region.id,
                                         police_type_id=1), today=TODAY)
        made = backups.make_backup(ctx.db_path, "手动")
        assert made.suffix == ".sqlite3" and backups.list_backups(ctx.db_path)[0].sound
        Unit.delete().execute()
        _restored, before = backups.restore(ctx.db_path, made)
        assert Unit.select().count() == 1 and before.exists()
        assert backups.check_database(ctx.opened.db)["ok"]


def test_the_command_line_takes_a_server_address(server_url: str, tmp_path: Path, capsys) -> None:
    _office(server_url)
    shown = ServerAddress.parse(server_url).display  # the password comes from PGPASSWORD

    def wqg(*argv: str) -> tuple[int, dict]:
        code = main([*argv, "--json"])
        return code, json.loads(capsys.readouterr().out)

    code, out = wqg("stats", "--db", shown)
    assert code == 0 and out["data"]["Office"] == 1
    code, out = wqg("check", "--db", shown)
    assert code == 0 and out["data"]["ok"] is True
    code, out = wqg("backup", "--db", shown, "--out", str(tmp_path / "b.sqlite3"))
    assert code == 0 and (tmp_path / "b.sqlite3").is_file()
    code, out = wqg("users", "list", "--db", str(tmp_path / "b.sqlite3"))
    assert code == 2 and "账号只在数据库服务器上管理" in out["message"]
    code, out = wqg("stats", "--db", "postgresql://nobody@127.0.0.1:1/x")
    assert code == 1 and "连不上数据库服务器" in out["message"]


def test_officers_storing_a_new_setting_at_the_same_moment(server_url: str) -> None:
    _office(server_url)
    with AppContext.open(server_url):
        keys = ["wqg_test_a", "wqg_test_b", "wqg_test_c"]  # all eight store each new key at once
        _results, errors = at_once(8, lambda n, r: settings.put(keys[r], n), rounds=3)
        assert errors == [] and settings.get("wqg_test_c") in range(8)


def test_long_key_lists_are_looked_up_through_a_temporary_table(server_url: str) -> None:
    from wqg_desktop.db.dialect import rows_by_key

    _office(server_url)
    with AppContext.open(server_url) as ctx:
        db = ctx.opened.db
        wanted = [f"no-such-{i:05d}" for i in range(6_000)]
        regions = [r.uuid for r in Region.select(Region.uuid)]
        with db.atomic():  # the merge's case: inside its transaction, many keys
            rows = rows_by_key(db, "region", '"uuid"', "uuid", wanted + regions)
            again = rows_by_key(db, "region", '"uuid"', "uuid", regions + wanted)  # reused table
        # and outside one (a merge plans before it writes): the rows must not vanish at once
        alone = rows_by_key(db, "region", '"uuid"', "uuid", wanted + regions)
        assert sorted(r[0] for r in rows) == sorted(regions) == sorted(r[0] for r in again)
        assert sorted(r[0] for r in alone) == sorted(regions)
    with AppContext.open(server_url, read_only=True) as ctx:  # no temporary table allowed
        assert len(rows_by_key(ctx.opened.db, "region", '"uuid"', "uuid", wanted + regions)) == len(regions)


def test_users_commands(server_url: str, capsys, monkeypatch) -> None:
    import io

    _office(server_url)
    shown = ServerAddress.parse(server_url).display

    def wqg(*argv: str, stdin: str = "") -> tuple[int, dict]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([*argv, "--json"])
        return code, json.loads(capsys.readouterr().out)

    try:
        code, out = wqg("users", "add", "wqgt_cli", "--role", "录入员", "--password-stdin",
                        "--db", shown, stdin="cli-pass-123\n")
        assert code == 0 and out["data"] == {"login": "wqgt_cli", "role": "录入员"}
        code, out = wqg("users", "add", "wqgt_cli2", "--db", shown)  # no terminal, no stdin flag
        assert code == 2 and "--password-stdin" in out["message"]
        code, out = wqg("users", "role", "wqgt_cli", "管理员", "--db", shown)
        assert code == 0 and "管理员" in out["message"]
        code, out = wqg("users", "list", "--db", shown)
        assert {"login": "wqgt_cli", "role": "管理员", "can_login": True} in out["data"]
        code, out = wqg("users", "password", "wqgt_cli", "--password-stdin", "--db", shown,
                        stdin="new-pass-456\n")
        assert code == 0
        with AppContext.open(_as(server_url, "wqgt_cli", "new-pass-456")):
            assert current_role() is Role.ADMIN
        code, out = wqg("users", "remove", "wqgt_cli", "--db", shown)
        assert code == 0
        code, out = wqg("users", "remove", "wqgt_nobody_here", "--db", shown)
        assert code == 2 and "没有账号" in out["message"]
        code, out = wqg("users", "role", "wqgt_cli", "局长", "--db", shown)
        assert code == 2 and "没有“局长”这个角色" in out["message"]
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'wqgt_cli'").fetchone():
                conn.execute('DROP OWNED BY "wqgt_cli"')
                conn.execute('DROP ROLE "wqgt_cli"')


@pytest.mark.sqlite_only  # the source is a file
def test_migrate_db_refuses_what_it_cannot_do_and_changes_nothing(server_url: str, ctx,
                                                                   tmp_path: Path, capsys) -> None:
    def wqg(*argv: str) -> tuple[int, dict]:
        code = main([*argv, "--json"])
        return code, json.loads(capsys.readouterr().out)

    source = ctx.db_path
    ctx.close()
    code, out = wqg("migrate-db", "--from", str(tmp_path / "none.sqlite3"), "--to", server_url)
    assert code == 2 and "找不到来源数据库文件" in out["message"]
    code, out = wqg("migrate-db", "--from", str(source), "--to", str(source))
    assert code == 2 and "同一个文件" in out["message"]
    not_db = tmp_path / "note.sqlite3"
    not_db.write_text("这不是数据库", encoding="utf-8")
    code, out = wqg("migrate-db", "--from", str(not_db), "--to", server_url)
    assert code == 2 and "损坏" in out["message"]
    with psycopg.connect(server_url) as conn:  # the server database is still empty
        assert conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"
                            ).fetchone()[0] == 0


def test_office_keys_on_a_server_serve_every_admin_pc_that_imported_the_identity(
        server_url: str, tmp_path: Path, monkeypatch) -> None:
    from wqg_desktop.exchange import keys

    _office(server_url)
    first, second, third = (tmp_path / name for name in ("first-pc", "second-pc", "third-pc"))
    monkeypatch.setenv("WQG_DATA_DIR", str(first))
    with AppContext.open(server_url):
        ident = keys.ensure_identity()
        raw = keys.private_keys(ident)
        assert len(raw[0]) == 32  # the PC that made them can use them
        keys.export_identity(tmp_path / "office.wqgid", "一个好密码123")
        monkeypatch.setenv("WQG_DATA_DIR", str(second))
        with pytest.raises(InputRefused, match="导出身份文件.*两台电脑都能"):
            keys.private_keys(keys.identity())
        keys.import_identity(tmp_path / "office.wqgid", "一个好密码123")
        assert keys.private_keys(keys.identity()) == raw
        monkeypatch.setenv("WQG_DATA_DIR", str(first))  # the first PC keeps its use of them
        assert keys.private_keys(keys.identity()) == raw
        monkeypatch.setenv("WQG_DATA_DIR", str(third))  # a PC nobody added still cannot
        with pytest.raises(InputRefused, match="还不能"):
            keys.private_keys(keys.identity())
        monkeypatch.setenv("WQG_DATA_DIR", str(second))  # importing again adds nothing twice
        keys.import_identity(tmp_path / "office.wqgid", "一个好密码123")
        assert bytes(keys.identity().sign_private).count(keystore.PREFIX) == 2
        assert keys.identity().fingerprint == ident.fingerprint


def test_a_dropped_connection_comes_back_outside_a_transaction(server_url: str, pg_admin) -> None:
    _office(server_url)
    with AppContext.open(server_url) as ctx:
        db = ctx.opened.db
        pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        pg_admin.execute("SELECT pg_terminate_backend(%s)", (pid,))  # the server drops this PC
        assert Unit.select().count() == 0  # the next read reconnects and answers
        assert db.execute_sql("SELECT pg_backend_pid()").fetchone()[0] != pid


def test_a_clerks_limits_are_put_back_by_the_next_owner_start(server_url: str) -> None:
    from wqg_desktop.db.server import _granted

    _office(server_url)  # opened once by the owner: the group roles are granted
    with psycopg.connect(server_url, autocommit=True) as conn:
        def may(privilege: str) -> bool:
            return conn.execute("SELECT has_table_privilege('wqg_clerk', 'known_key', %s)",
                                (privilege,)).fetchone()[0]

        assert may("SELECT") and not may("INSERT") and not may("DELETE")
        # as an older version of the program left it: everything on every table
        conn.execute("GRANT INSERT, UPDATE, DELETE ON known_key, audit_log TO wqg_clerk")
        with AppContext.open(server_url) as ctx:  # the owner's next start takes it back
            assert _granted(ctx.opened.db, "wqg_clerk") and _granted(ctx.opened.db, "wqg_admin")
        assert not may("INSERT") and not may("UPDATE") and may("SELECT")
        assert conn.execute("SELECT has_table_privilege('wqg_clerk', 'audit_log', 'INSERT'), "
                            "has_table_privilege('wqg_clerk', 'audit_log', 'UPDATE'), "
                            "has_table_privilege('wqg_admin', 'known_key', 'DELETE')").fetchone() \
            == (True, False, True)
