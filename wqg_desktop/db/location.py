"""Where the office database lives: a SQLite file on this PC, or a PostgreSQL server.

``--db`` (and the settings) take either a file path or ``postgresql://user@host[:port]/dbname``.
A password may be given in the address, but the program never shows or stores it in clear:
:attr:`ServerAddress.display` leaves it out, and the settings keep it sealed (see
:mod:`wqg_desktop.db.server_login`). Without one, libpq's own ``PGPASSWORD`` and password file
apply, and the window asks for it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from wqg_desktop.errors import InputRefused

SERVER_SCHEMES = ("postgresql", "postgres")
DEFAULT_PORT = 5432
_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,63}$")
#: libpq parameters holding secrets other than the password itself
_SECRET_OPTIONS = {"sslpassword"}


def is_server_address(target: object) -> bool:
    """Whether ``target`` (a ``--db`` value) names a server rather than a file."""
    return isinstance(target, str) and target.split("://", 1)[0].lower() in SERVER_SCHEMES \
        and "://" in target


@dataclass(frozen=True)
class ServerAddress:
    """A PostgreSQL database: who connects, to which server and database."""

    user: str
    host: str
    dbname: str
    port: int = DEFAULT_PORT
    password: str | None = dataclasses.field(default=None, repr=False, compare=False)
    #: extra libpq parameters from the query string (``sslmode=require`` …)
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, url: str) -> ServerAddress:
        """Read ``postgresql://user[:password]@host[:port]/dbname[?param=value]``."""
        example = "例如 postgresql://zhangsan@192.168.1.10/wqg"
        if not is_server_address(url):
            raise InputRefused(f"“{url}”不是数据库服务器地址，{example}。")
        parts = urlsplit(url)
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            raise InputRefused(f"服务器地址中的端口号不对，{example}。") from None
        user = unquote(parts.username or "")
        host = parts.hostname or ""
        dbname = unquote(parts.path.lstrip("/"))
        if not user:
            raise InputRefused(f"服务器地址缺少账号名（@ 前面的部分），{example}。")
        if not host:
            raise InputRefused(f"服务器地址缺少服务器名或 IP 地址，{example}。")
        if not dbname or not _NAME_RE.match(dbname):
            raise InputRefused(f"服务器地址缺少数据库名（/ 后面的部分，只用字母、数字、下划线），{example}。")
        options = tuple(parse_qsl(parts.query))
        password = unquote(parts.password) if parts.password is not None else None
        # a password given as ?password=… is still the password: never shown, never stored
        for key, value in options:
            if key == "password":
                password = value if password is None else password
            elif key in _SECRET_OPTIONS:
                raise InputRefused(f"请不要把 {key} 写在服务器地址里（地址会显示和保存），"
                                   "程序会在需要时询问。")
        options = tuple((k, v) for k, v in options if k != "password")
        return cls(user=user, host=host, dbname=dbname, port=port, password=password,
                   options=options)

    @property
    def display(self) -> str:
        """The address as shown and stored: never with the password."""
        port = "" if self.port == DEFAULT_PORT else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = "&".join(f"{k}={v}" for k, v in self.options)
        return (f"postgresql://{quote(self.user, safe='')}@{host}{port}/{self.dbname}"
                + (f"?{query}" if query else ""))

    @property
    def slug(self) -> str:
        """A file-name-safe name of this database (local backups are named after it)."""
        raw = f"{self.host}_{self.port}_{self.dbname}"
        return re.sub(r"[^A-Za-z0-9_.\-]", "_", raw)

    def with_password(self, password: str | None) -> ServerAddress:
        return dataclasses.replace(self, password=password)

    def connect_params(self) -> dict[str, object]:
        params: dict[str, object] = {"user": self.user, "host": self.host, "port": self.port,
                                     "connect_timeout": 10,
                                     "application_name": "wqg-desktop"}
        if self.password is not None:
            params["password"] = self.password
        params.update(dict(self.options))
        return params

    def __str__(self) -> str:
        return self.display


#: What ``--db`` names: a file, or a server.
Target = Path | ServerAddress


def parse_target(value: str | Path) -> Target:
    """A ``--db`` value → a file path or a :class:`ServerAddress`."""
    if isinstance(value, Path):
        return value.expanduser()
    if is_server_address(value):
        return ServerAddress.parse(value)
    return Path(value).expanduser()
