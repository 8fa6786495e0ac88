"""Officers' accounts on a shared server: who may log in, and as 管理员 or 录入员.

An account is a PostgreSQL login role that belongs to the group role of its
:class:`~wqg_desktop.domain.roles.Role`. Only a 管理员 manages accounts, and the server must let
their own account create roles (CREATEROLE; accounts made 管理员 here get it). A removed account keeps its name in the audit trail
but can no longer log in (the role stays, without login and without a group). Every change is
audited. Passwords go to the server only; the program never stores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wqg_desktop.db.dialect import is_postgres
from wqg_desktop.db.models import audit, database
from wqg_desktop.domain.roles import Permission, Role, require
from wqg_desktop.errors import InputRefused, NotFound

_LOGIN_RE = re.compile(r"^[a-z_][a-z0-9_]{1,62}$")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class Account:
    login: str
    role: Role
    can_login: bool


def _server():  # type: ignore[no-untyped-def]
    db = database.obj
    if db is None or not is_postgres(db):
        raise InputRefused("本机数据库文件只有一位使用者，没有账号；账号只在数据库服务器上管理。")
    return db


def _check_login(login: str) -> str:
    login = (login or "").strip()
    if not _LOGIN_RE.match(login):
        raise InputRefused(
            "账号名只能用小写英文字母、数字和下划线（2 到 63 个字符，不以数字开头），例如 zhangsan。")
    if login in (Role.ADMIN.server_role, Role.CLERK.server_role) or login.startswith("pg_"):
        raise InputRefused(f"“{login}”是保留的名称，请换一个账号名。")
    return login


def _check_password(password: str) -> str:
    if not password or len(password) < MIN_PASSWORD:
        raise InputRefused(f"密码至少 {MIN_PASSWORD} 个字符。")
    return password


def _verifier(login: str, password: str) -> str:
    """The SCRAM verifier of ``password``, computed here: the password itself never reaches
    the server (nor its statement log)."""
    connection = _server().connection()
    return connection.pgconn.encrypt_password(
        password.encode(), login.encode(), b"scram-sha-256").decode()


def _run(sql_template: str, *args: str) -> None:
    """Run DDL whose names and literals the server quotes itself (``format`` with %I / %L)."""
    db = _server()
    placeholders = ", ".join(["%s::text"] * len(args))
    (statement,) = db.execute_sql(f"SELECT format(%s::text, {placeholders})",
                                  (sql_template, *args)).fetchone()
    try:
        db.execute_sql(statement)
    except Exception as exc:
        text = str(exc)
        if "permission denied" in text or "must have" in text:
            raise InputRefused(
                "服务器拒绝了这个操作：您的服务器账号没有管理账号的权限（CREATEROLE）。"
                "请服务器管理员给您的账号这个权限，或由他来建立账号。") from exc
        raise


def _may_manage_accounts(login: str, role: Role) -> None:
    """A 管理员 manages accounts, so the server must let them create roles."""
    _run("ALTER ROLE %I CREATEROLE" if role is Role.ADMIN else "ALTER ROLE %I NOCREATEROLE", login)


def list_accounts() -> list[Account]:
    """Every account that belongs to one of the program's group roles, by name."""
    db = _server()
    rows = db.execute_sql(
        "SELECT m.rolname, g.rolname, m.rolcanlogin FROM pg_auth_members a "
        "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
        "WHERE g.rolname IN (%s, %s) ORDER BY m.rolname, g.rolname",
        (Role.ADMIN.server_role, Role.CLERK.server_role)).fetchall()
    accounts: dict[str, Account] = {}
    for login, group, can_login in rows:
        role = Role.ADMIN if group == Role.ADMIN.server_role else Role.CLERK
        if login not in accounts or role is Role.ADMIN:
            accounts[login] = Account(login, role, bool(can_login))
    return list(accounts.values())


def _exists(login: str) -> bool:
    return _server().execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone() is not None


def add_account(login: str, password: str, role: Role | str) -> Account:
    require(Permission.MANAGE_ACCOUNTS)
    login, password, role = _check_login(login), _check_password(password), Role.parse(role)
    db = _server()
    with db.atomic():
        if _exists(login):
            raise InputRefused(f"服务器上已有账号“{login}”。要改它的角色请用“改角色”。")
        _run("CREATE ROLE %I LOGIN PASSWORD %L", login, _verifier(login, password))
        _run("GRANT %I TO %I", role.server_role, login)
        _may_manage_accounts(login, role)
        audit("新增账号", "Account", {"role": [None, role.value]}, entity_id=login)
    return Account(login, role, True)


def set_role(login: str, role: Role | str) -> Account:
    require(Permission.MANAGE_ACCOUNTS)
    login, role = _check_login(login), Role.parse(role)
    db = _server()
    with db.atomic():
        current = next((a for a in list_accounts() if a.login == login), None)
        before: Role | None = current.role if current else None
        if current is None:
            # a server login made outside the program (by the server's administrator) gets
            # its first role here
            row = db.execute_sql("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s",
                                 (login,)).fetchone()
            if row is None or not row[0]:
                raise NotFound(f"没有账号“{login}”。")
        elif before is role:
            return current
        _run("GRANT %I TO %I", role.server_role, login)
        other = Role.CLERK if role is Role.ADMIN else Role.ADMIN
        _run("REVOKE %I FROM %I", other.server_role, login)
        _may_manage_accounts(login, role)
        audit("修改账号", "Account", {"role": [before.value if before else None, role.value]},
              entity_id=login)
    return Account(login, role, True)


def set_password(login: str, password: str) -> None:
    require(Permission.MANAGE_ACCOUNTS)
    login, password = _check_login(login), _check_password(password)
    with _server().atomic():
        if login not in {a.login for a in list_accounts()}:
            # only the program's own accounts: never the database owner's or anyone else's
            raise NotFound(f"没有维权岗程序的账号“{login}”。")
        _run("ALTER ROLE %I PASSWORD %L", login, _verifier(login, password))
        audit("修改账号", "Account", {"password": ["（已遮蔽）", "（已遮蔽）"]}, entity_id=login)


def remove_account(login: str) -> None:
    """The account can no longer log in nor use the program's tables; its name stays in the
    audit trail."""
    require(Permission.MANAGE_ACCOUNTS)
    login = _check_login(login)
    db = _server()
    me = db.execute_sql("SELECT current_user").fetchone()[0]
    if login == me:
        raise InputRefused("不能停用自己正在使用的账号。")
    with db.atomic():
        current = next((a for a in list_accounts() if a.login == login), None)
        if current is None:
            raise NotFound(f"没有账号“{login}”。")
        for role in Role:
            _run("REVOKE %I FROM %I", role.server_role, login)
        _run("ALTER ROLE %I NOLOGIN NOCREATEROLE", login)
        audit("停用账号", "Account", {"role": [current.role.value, None]}, entity_id=login)
