"""This office's private keys at rest: wrapped with a per-installation secret that lives in
the data folder, outside the database.

Why: the database travels — backups beside it, copies on USB sticks, a file handed to IT
staff. With the keys wrapped, a database or backup file alone does not carry a usable
signing key; it takes the database *and* this installation's secret (or the password-protected
identity file) to sign as the office. The threat model is written down in
docs/package-format.md, section 10.

- Secret: 32 random bytes in ``<data folder>/keys/installation.secret``, made on first need,
  readable by the user only (POSIX), created exclusively so two programs starting together
  cannot each make their own.
- Wrapped key: ``WQGK1`` ‖ 12-byte nonce ‖ AES-256-GCM(secret, raw key), with the office UUID
  and the key's role as associated data (a wrapped key cannot be moved to another row or role).
- Keys written before this existed are stored raw (32 bytes); they still work and are wrapped
  the next time this office makes or takes in a package (:func:`wrap_stored_keys` callers).
- Several PCs sharing one database server each need their own wrapping of the same key:
  ``WQGR1`` ‖ count ‖ (2-byte length ‖ wrapped key) × count, a keyring. :func:`unwrap` tries
  each with this installation's secret (a wrong secret fails its GCM tag at once);
  :func:`add_wrapping` puts this installation's wrapping beside the others' (importing the
  identity file on a second PC), keeping at most :data:`MAX_WRAPPINGS`, the newest.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wqg_desktop import paths
from wqg_desktop.errors import InputRefused

PREFIX = b"WQGK1"
RING_PREFIX = b"WQGR1"
#: wrappings a keyring keeps (one per PC that may use the keys); the oldest go first
MAX_WRAPPINGS = 16
_HEADER = b"wqg-installation-secret v1\n"
RAW_SIZE = 32

#: What to do when the keys cannot be unwrapped: the recovery story, in the user's words.
RECOVERY = ("请在“上报与汇总”中用本办公室的身份文件（.wqgid）和它的密码恢复密钥。"
            "没有身份文件时，请生成新密钥并请上级电话核对新指纹后更换本单位的密钥。")


def secret_path() -> Path:
    return paths.data_dir() / "keys" / "installation.secret"


def _read_secret(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.startswith(_HEADER):
        raise InputRefused(f"本机的安装密钥文件已损坏（{path}）。" + RECOVERY)
    try:
        secret = base64.b64decode(data[len(_HEADER):].strip(), validate=True)
    except ValueError:
        secret = b""
    if len(secret) != 32:
        raise InputRefused(f"本机的安装密钥文件已损坏（{path}）。" + RECOVERY)
    return secret


def _secret(*, create: bool) -> bytes | None:
    path = secret_path()
    if path.is_file():
        return _read_secret(path)
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    with open(tmp, "wb") as handle:
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        handle.write(_HEADER + base64.b64encode(os.urandom(32)) + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        # exclusive: link (POSIX) and rename (Windows) both refuse an existing target, so
        # the first program to finish wins and every other one reads its secret
        if os.name == "posix":
            os.link(tmp, path)
        else:
            os.rename(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return _read_secret(path)


def _aad(office_uuid: str, role: str) -> bytes:
    return f"wqg-private-key|{office_uuid}|{role}".encode()


def is_wrapped(stored: bytes) -> bool:
    return bytes(stored).startswith((PREFIX, RING_PREFIX))


def _wrappings(stored: bytes) -> list[bytes]:
    """The single wrappings in ``stored``: itself, or each one of a keyring."""
    if not stored.startswith(RING_PREFIX):
        return [stored]
    out, at = [], len(RING_PREFIX) + 1
    for _ in range(stored[len(RING_PREFIX)] if len(stored) > len(RING_PREFIX) else 0):
        size = int.from_bytes(stored[at:at + 2], "big")
        out.append(stored[at + 2:at + 2 + size])
        at += 2 + size
    if at != len(stored) or not all(w.startswith(PREFIX) for w in out):
        raise InputRefused("本办公室的私钥已损坏。" + RECOVERY)
    return out


def add_wrapping(stored: bytes, raw: bytes, *, office_uuid: str, role: str) -> bytes:
    """``stored`` (the same key, wrapped for other installations) with this installation's
    wrapping added, as a keyring; an older wrapping of this installation is replaced."""
    secret = _secret(create=True)
    assert secret is not None
    others = [w for w in _wrappings(bytes(stored))
              if is_wrapped(w) and _open(w, secret, office_uuid, role) is None]
    ring = [*others, wrap(raw, office_uuid=office_uuid, role=role)][-MAX_WRAPPINGS:]
    return (RING_PREFIX + bytes([len(ring)])
            + b"".join(len(w).to_bytes(2, "big") + w for w in ring))


def _open(wrapped: bytes, secret: bytes, office_uuid: str, role: str) -> bytes | None:
    body = wrapped[len(PREFIX):]
    try:
        return AESGCM(secret).decrypt(body[:12], body[12:], _aad(office_uuid, role))
    except InvalidTag:
        return None


def wrap(raw: bytes, *, office_uuid: str, role: str) -> bytes:
    """``raw`` (32 bytes) wrapped with this installation's secret (made if missing)."""
    secret = _secret(create=True)
    assert secret is not None
    nonce = os.urandom(12)
    return PREFIX + nonce + AESGCM(secret).encrypt(nonce, bytes(raw), _aad(office_uuid, role))


def unwrap(stored: bytes, *, office_uuid: str, role: str) -> bytes:
    """The raw private key; raw (not yet wrapped) keys pass through unchanged."""
    stored = bytes(stored)
    if not is_wrapped(stored):
        if len(stored) != RAW_SIZE:
            raise InputRefused("本办公室的私钥已损坏。" + RECOVERY)
        return stored
    secret = _secret(create=False)
    if secret is None:
        raise InputRefused(
            f"本机没有保护本办公室私钥的安装密钥（{secret_path()}）：这个数据库或备份可能是从"
            "别的电脑复制来的，数据文件夹也可能被删除过。" + RECOVERY)
    for wrapped in _wrappings(stored):
        raw = _open(wrapped, secret, office_uuid, role)
        if raw is not None:
            return raw
    raise InputRefused(
        "本机的安装密钥解不开本办公室的私钥：这个数据库或备份是在别的电脑（或重装前）生成的。"
        + RECOVERY)
