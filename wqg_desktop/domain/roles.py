"""Who may do what on a shared server: 管理员 and 录入员.

On a SQLite file the one officer at the PC is its 管理员. On a PostgreSQL server each officer
logs in with an own account, a member of the server role ``wqg_admin`` (管理员) or
``wqg_clerk`` (录入员); the server's superuser and the database's owner count as 管理员.
"""

from __future__ import annotations

from enum import Enum

from wqg_desktop.errors import InputRefused


class Role(Enum):
    ADMIN = "管理员"
    CLERK = "录入员"

    @property
    def server_role(self) -> str:
        """The PostgreSQL group role an account of this role belongs to."""
        return _SERVER_ROLES[self]

    @classmethod
    def parse(cls, text: str | Role) -> Role:
        if isinstance(text, Role):
            return text
        key = str(text).strip().lower()
        for role in cls:
            if key in (role.value, role.name.lower(), role.server_role):
                return role
        raise InputRefused(f"没有“{text}”这个角色，只有：管理员、录入员。")


_SERVER_ROLES = {Role.ADMIN: "wqg_admin", Role.CLERK: "wqg_clerk"}


class Permission(Enum):
    """Actions reserved to 管理员 (everything else, a 录入员 may do too)."""

    CHANGE_SETTINGS = "修改系统设置"
    MERGE_PACKAGES = "导入和汇总上报包"
    REVOKE_TITLES = "撤销或注销称号"
    MANAGE_ACCOUNTS = "管理账号"
    RESTORE = "从备份恢复"


_ALLOWED: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.CLERK: frozenset(),
}

#: One open database per process, so one role; a module global (not a context variable) so that
#: worker threads see it too.
_current: Role = Role.ADMIN


def current_role() -> Role:
    return _current


def set_current_role(role: Role) -> None:
    """Set by opening a database (the account's role on a server; 管理员 on a file)."""
    global _current
    _current = role


def may(permission: Permission, role: Role | None = None) -> bool:
    return permission in _ALLOWED[role or current_role()]


def require(permission: Permission) -> None:
    """Refuse (exit code 2) unless the current account's role allows ``permission``."""
    role = current_role()
    if not may(permission, role):
        raise InputRefused(
            f"“{permission.value}”只有管理员可以做，您的账号是{role.value}。请由管理员操作，"
            "或请管理员把您的账号改为管理员。"
        )
