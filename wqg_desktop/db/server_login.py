"""The database server this PC opens when the program starts without ``--db``.

Kept in ``<data folder>/server.json``, outside any database::

    {"version": 1, "address": "postgresql://zhangsan@192.168.1.10/wqg", "password": "…"}

``address`` is the display form (never a password). ``password`` is there only when the
officer ticked “记住密码”: sealed with this installation's secret (the one that protects the
office keys, :mod:`wqg_desktop.exchange.keystore`: AES-256-GCM), bound to the address, so a
copy of the file on another PC, or a file whose address was edited, does not give it back.

A file that does not read back (edited by hand, half written, from a newer release) is
ignored with a warning in the log: the program then opens the local database file, or asks
for the password, as if nothing had been remembered.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from wqg_desktop import paths
from wqg_desktop.db.location import ServerAddress, Target
from wqg_desktop.errors import InputRefused, WqgError
from wqg_desktop.exchange import keystore

log = logging.getLogger(__name__)

FILE_NAME = "server.json"
VERSION = 1
#: what the sealed password is bound to besides the address (the keystore's "role" field)
_PURPOSE = "server-password"


def settings_path() -> Path:
    return paths.data_dir() / FILE_NAME


@dataclass(frozen=True)
class Remembered:
    """The remembered server: its address, with the password when one was remembered."""

    address: ServerAddress

    @property
    def has_password(self) -> bool:
        return self.address.password is not None

    @property
    def display(self) -> str:
        return self.address.display


def _binding(address: ServerAddress) -> str:
    # the keystore's associated data: "wqg-private-key|server:<address>|server-password";
    # never a UUID, so it cannot be confused with an office key
    return f"server:{address.display}"


def _seal(address: ServerAddress, password: str) -> str:
    sealed = keystore.wrap(password.encode("utf-8"), office_uuid=_binding(address), role=_PURPOSE)
    return base64.b64encode(sealed).decode("ascii")


def _unseal(address: ServerAddress, text: object) -> str | None:
    """The password, or ``None`` (with a warning) when it does not open here."""
    try:
        sealed = base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError):
        sealed = b""
    # unwrap passes unsealed 32-byte values through (old office keys): never accept that here
    if not keystore.is_wrapped(sealed):
        log.warning("%s 中保存的密码格式不对，已忽略（请重新输入密码）", settings_path())
        return None
    try:
        raw = keystore.unwrap(sealed, office_uuid=_binding(address), role=_PURPOSE)
        return raw.decode("utf-8")
    except (InputRefused, UnicodeDecodeError):
        log.warning("%s 中保存的密码在本机解不开（文件被改过，或是从别的电脑复制来的），已忽略",
                    settings_path())
        return None


def load() -> Remembered | None:
    """The remembered server, or ``None`` (no file, or a file that does not read back)."""
    path = settings_path()
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("不认识的格式")
        address = ServerAddress.parse(str(data["address"]))
    except (OSError, ValueError, KeyError, UnicodeDecodeError, WqgError) as exc:
        log.warning("数据库服务器设置文件 %s 读不出来，已忽略：%s", path,
                    exc.message if isinstance(exc, WqgError) else exc)
        return None
    # an address written with a password in it is not one this module wrote
    address = address.with_password(None)
    if data.get("password"):
        password = _unseal(address, data["password"])
        if password is not None:
            address = address.with_password(password)
    return Remembered(address)


def remember(address: ServerAddress, *, password: str | None = None,
             keep_remembered: bool = False) -> Path:
    """Open ``address`` at the next start; keep ``password`` sealed when one is given.

    ``keep_remembered``: without a new ``password``, a password remembered for the same
    address and account stays (the officer left “记住密码” ticked and typed nothing new).
    """
    clean = address.with_password(None)
    if password is None and keep_remembered:
        before = load()
        if before is not None and before.display == clean.display:
            password = before.address.password
    data: dict[str, object] = {"version": VERSION, "address": clean.display}
    if password:
        data["password"] = _seal(clean, password)
    path = settings_path()
    _write(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    log.info("下次启动时打开数据库服务器 %s（%s）", clean.display,
             "已记住密码" if password else "不记住密码")
    return path


def remember_opened(address: ServerAddress, *, password: str | None = None,
                    remember_password: bool = True) -> None:
    """After a server opened at start-up: it is the one to open next time (the last server).

    ``remember_password`` is the login dialog's “记住密码”: when ticked, ``password`` (or the
    one remembered before, if none was typed) is kept sealed; when not, none is kept. A
    data folder that cannot be written does not stop the program.
    """
    try:
        remember(address, password=password if remember_password else None,
                 keep_remembered=remember_password)
    except (OSError, WqgError) as exc:
        log.warning("无法保存数据库服务器设置：%s", getattr(exc, "message", None) or exc)


def forget() -> bool:
    """Back to the local database file at the next start; whether a server was remembered."""
    path = settings_path()
    existed = path.exists()
    path.unlink(missing_ok=True)
    if existed:
        log.info("已不再连接数据库服务器：下次启动时打开本机数据库文件")
    return existed


def default_target() -> Target:
    """What the program opens without ``--db``: the remembered server, else the local file."""
    remembered = load()
    return remembered.address if remembered else paths.default_db_path()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
