"""A PostgreSQL server shared by the officers of a city or provincial office.

Opening one: connect with the officer's own account, find its role (:mod:`wqg_desktop.domain.roles`),
refuse a schema newer than this program, migrate an older one (one client at a time, under an
advisory lock, after a local backup), and make sure both group roles may use every table.
"""

from __future__ import annotations

import logging
from pathlib import Path

from peewee import Database, InterfaceError, OperationalError, PostgresqlDatabase
from playhouse.shortcuts import ReconnectMixin

from wqg_desktop import paths
from wqg_desktop.db import migrations
from wqg_desktop.db.location import ServerAddress
from wqg_desktop.db.models import database
from wqg_desktop.domain.roles import Role, set_current_role
from wqg_desktop.errors import DatabaseError, DatabaseTooNew

log = logging.getLogger(__name__)

#: advisory lock key under which one client at a time migrates a server database
_MIGRATION_LOCK = 7_326_001


class ServerLoginFailed(DatabaseError):
    """The server refused the account or password (the window asks again)."""


class PasswordRequired(ServerLoginFailed):
    """No password was given and the server wants one."""


class ServerDatabase(ReconnectMixin, PostgresqlDatabase):
    """A server connection that comes back after the server restarted or dropped it (a PC
    left open overnight, a network hiccup): outside a transaction, a statement that finds the
    connection gone reconnects once and runs again; inside one, the error stands (the
    transaction's work is lost with the connection, and the officer is told)."""

    reconnect_errors = (
        (OperationalError, "the connection is closed"),
        (OperationalError, "terminating connection"),
        (OperationalError, "server closed the connection"),
        (InterfaceError, "the connection is closed"),
    )


def connect(address: ServerAddress, *, read_only: bool = False) -> PostgresqlDatabase:
    """A connected peewee database for ``address``; Chinese errors for every usual failure."""
    try:
        import psycopg  # noqa: F401 - peewee picks the driver itself; here only to say it is missing
    except ImportError:  # pragma: no cover - psycopg is a declared dependency
        raise DatabaseError("本程序缺少 PostgreSQL 驱动（psycopg），请重新安装程序。") from None
    params = address.connect_params()
    if read_only:
        params["options"] = "-c default_transaction_read_only=on"
    db = ServerDatabase(address.dbname, prefer_psycopg3=True, autoconnect=True, **params)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:
        raise _login_error(address, exc) from exc
    return db


def _login_error(address: ServerAddress, exc: Exception) -> DatabaseError:
    text = str(exc)
    where = f"{address.host}:{address.port}"
    if "no password supplied" in text or "fe_sendauth" in text:
        return PasswordRequired(f"请输入账号 {address.user} 在数据库服务器 {where} 上的密码。")
    if "password authentication failed" in text or "authentication failed" in text:
        return ServerLoginFailed(f"数据库服务器 {where} 拒绝了账号 {address.user}：账号或密码不对。")
    if "does not exist" in text and "database" in text:
        return DatabaseError(
            f"服务器 {where} 上没有名为 {address.dbname} 的数据库。请服务器管理员先建立它"
            "（见 docs/postgresql.md）。")
    if "is not permitted to log in" in text:
        return ServerLoginFailed(f"账号 {address.user} 已被停用，不能登录。请找管理员。")
    if "role" in text and "does not exist" in text:
        return ServerLoginFailed(f"数据库服务器 {where} 上没有账号 {address.user}。")
    if "no pg_hba.conf entry" in text:
        return DatabaseError(
            f"数据库服务器 {where} 不允许本机连接（pg_hba.conf 中没有本机的条目），请服务器管理员放行。")
    return DatabaseError(
        f"连不上数据库服务器 {where}：{text.strip().splitlines()[0] if text.strip() else exc!r}。"
        "请检查网络、服务器地址和端口，以及服务器是否在运行。")


def account_role(db: Database) -> Role | None:
    """The role of the logged-in account here, or ``None`` when it has none."""
    superuser, owner = db.execute_sql(
        "SELECT r.rolsuper, pg_get_userbyid(d.datdba) = current_user "
        "FROM pg_roles r, pg_database d "
        "WHERE r.rolname = current_user AND d.datname = current_database()").fetchone()
    if superuser or owner:
        return Role.ADMIN
    held = {name for (name,) in db.execute_sql(
        "SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s) "
        "AND pg_has_role(current_user, oid, 'MEMBER')",
        (Role.ADMIN.server_role, Role.CLERK.server_role)).fetchall()}
    if Role.ADMIN.server_role in held:
        return Role.ADMIN
    if Role.CLERK.server_role in held:
        return Role.CLERK
    return None


def account_name(db: Database) -> str:
    return db.execute_sql("SELECT current_user").fetchone()[0]


def backup_anchor(address: ServerAddress) -> Path:
    """The name local backups of this server database are made under (never a database)."""
    return paths.data_dir() / "servers" / f"{address.slug}.sqlite3"


def open_server(address: ServerAddress, *, read_only: bool = False, migrate: bool = True):  # type: ignore[no-untyped-def]
    """Open the server database at ``address``: an :class:`~wqg_desktop.db.connection.OpenDatabase`."""
    from wqg_desktop.db.connection import (
        OpenDatabase,
        apply_migrations,
        backup_path,
        backup_to,
        schema_version,
    )

    db = connect(address, read_only=read_only)
    database.initialize(db)
    try:
        role = account_role(db)
        if role is None:
            raise ServerLoginFailed(
                f"账号 {address.user} 没有维权岗程序的角色（管理员或录入员），不能打开这个数据库。"
                "请管理员在“系统设置 → 账号管理”中为您新建账号，或用命令 "
                f"wqg users role {address.user} 录入员 给这个账号分配角色。")
        set_current_role(role)
        opened = OpenDatabase(path=backup_anchor(address), db=db, read_only=read_only,
                              server=address, account=account_name(db))
        version = schema_version(db)
        if version > migrations.LATEST_VERSION:
            raise DatabaseTooNew(
                f"服务器上的数据库由更新版本的维权岗程序写入（数据结构第 {version} 版，"
                f"本程序只认识到第 {migrations.LATEST_VERSION} 版）。请先升级本机的程序。")
        if version < migrations.LATEST_VERSION:
            if read_only or not migrate:
                raise DatabaseError(
                    f"服务器上的数据库是旧版本的数据结构（第 {version} 版），需要管理员用本程序正常打开一次完成升级。")
            db.execute_sql("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
            try:
                version = schema_version(db)  # another client may have migrated meanwhile
                if version < migrations.LATEST_VERSION:
                    if version > 0:
                        opened.backups.append(
                            backup_to(db, backup_path(opened.path, f"升级前v{version}")))
                    try:
                        apply_migrations(db, version)
                    except Exception as exc:
                        if "permission denied" in str(exc) or "must be owner" in str(exc):
                            raise DatabaseError(
                                "服务器上的数据库需要升级，但您的账号不是数据库的所有者。"
                                "请数据库所有者（管理员）先用本版本程序打开一次。") from exc
                        raise
                    opened.migrated_from = version
            finally:
                db.execute_sql("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))
        if not read_only:
            grant_group_roles(db)
        return opened
    except BaseException:
        if not db.is_closed():
            db.close()
        database.initialize(None)
        raise


def grant_group_roles(db: Database) -> None:
    """Let both group roles use every table and sequence (idempotent; only the owner can)."""
    owner = db.execute_sql(
        "SELECT r.rolsuper OR pg_get_userbyid(d.datdba) = current_user, r.rolcreaterole OR r.rolsuper "
        "FROM pg_roles r, pg_database d WHERE r.rolname = current_user "
        "AND d.datname = current_database()").fetchone()
    is_owner, can_create_roles = owner
    if not is_owner:
        return
    names = [Role.ADMIN.server_role, Role.CLERK.server_role]
    existing = {n for (n,) in db.execute_sql(
        "SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", tuple(names)).fetchall()}
    with db.atomic():
        for name in names:
            if name not in existing:
                if not can_create_roles:
                    log.warning("账号没有 CREATEROLE 权限，未建立角色 %s", name)
                    continue
                try:
                    with db.atomic():  # a savepoint: another PC may create it at the same moment
                        db.execute_sql(f'CREATE ROLE "{name}" NOLOGIN')
                except Exception as exc:
                    if "already exists" not in str(exc):
                        raise
            elif _granted(db, name):
                continue  # nothing to do: no catalog writes on every start
            db.execute_sql(
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{name}"')
            db.execute_sql(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{name}"')
            if name == Role.CLERK.server_role:
                for table, kept in CLERK_LIMITS.items():
                    taken = ", ".join(sorted({"INSERT", "UPDATE", "DELETE"} - set(kept)))
                    db.execute_sql(f'REVOKE {taken} ON "{table}" FROM "{name}"')


#: Tables a 录入员 may only partly write, also past the program (psql): what it keeps besides
#: SELECT. The audit trail is added to, never rewritten (a 管理员 can: restoring a backup
#: replaces it). Trusted keys decide which packages a 管理员's import accepts without a
#: telephone check, so only a 管理员 (trust_key, replace_key) writes them.
CLERK_LIMITS: dict[str, tuple[str, ...]] = {"audit_log": ("INSERT",), "known_key": ()}


def _granted(db: Database, role: str) -> bool:
    """Whether ``role`` holds exactly what the GRANTs (and a 录入员's limits) give on every
    table and sequence: DELETE stands for the four on an unlimited table (one check says
    "any of", not "all of"); on a limited one, what is kept and none of what is taken."""
    limits = CLERK_LIMITS if role == Role.CLERK.server_role else {}
    checks = ["SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public' "
              f"AND tablename NOT IN ({', '.join(['%s'] * len(limits)) or 'NULL'}) "
              "AND NOT has_table_privilege(%s, format('%%I.%%I', schemaname, tablename), 'DELETE')"]
    params: list[object] = [*limits, role]
    for table, kept in limits.items():
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            should = privilege == "SELECT" or privilege in kept
            checks.append("SELECT CASE WHEN to_regclass(%s) IS NULL "
                          f"OR has_table_privilege(%s, %s, %s) = {str(should).upper()} THEN 0 ELSE 1 END")
            params += [table, role, table, privilege]
    checks.append("SELECT COUNT(*) FROM pg_sequences WHERE schemaname = 'public' AND NOT "
                  "has_sequence_privilege(%s, format('%%I.%%I', schemaname, sequencename), 'USAGE')")
    params.append(role)
    missing = db.execute_sql("SELECT " + " + ".join(f"({c})" for c in checks), tuple(params)).fetchone()[0]
    return missing == 0
