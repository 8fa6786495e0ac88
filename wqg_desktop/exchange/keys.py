"""This office's keys, the keys of other offices, sealing minors' data, identity files.

- Signing: Ed25519. The signature covers the exact bytes of a package's ``manifest.json``.
- Sealing: X25519 sealed box. One ephemeral key pair per package; the shared secret goes
  through HKDF-SHA256 into a ChaCha20-Poly1305 key; each sealed record has its own random
  nonce and its UUID as associated data, so a sealed value cannot be moved to another record.
- Fingerprint: SHA-256 over both public keys, read as 30 decimal digits in six groups of five,
  short enough to read out over the telephone.
- Identity file: the private keys and the package counter, encrypted with a key derived from
  a password (scrypt) by AES-256-GCM.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from wqg_desktop.db.dialect import is_postgres
from wqg_desktop.db.models import KnownKey, Office, OfficeIdentity, audit, database, now
from wqg_desktop.domain.roles import Permission, require
from wqg_desktop.errors import InputRefused
from wqg_desktop.exchange import keystore
from wqg_desktop.services.office import this_office

SEAL_ALG = "X25519-HKDF-SHA256-ChaCha20Poly1305"
_SEAL_INFO = b"wqgpkg sealed minors v1"
KEY_FILE_FORMAT = "wqg-office-key"
IDENTITY_FILE_FORMAT = "wqg-office-identity"
#: A restored identity or database starts this far above the highest number it has seen, so
#: packages made on the lost PC after its last backup can never be outnumbered by a reused one.
SEQUENCE_SAFETY_GAP = 1000
_RAW = serialization.Encoding.Raw


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, *, size: int | None = None) -> bytes:
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError, AttributeError):
        raise InputRefused("密钥或签名不是有效的 Base64 文本。") from None
    if size is not None and len(data) != size:
        raise InputRefused(f"密钥或签名长度不对（应为 {size} 字节）。")
    return data


def fingerprint(sign_public: str, box_public: str) -> str:
    """30 digits in groups of five, e.g. ``04217 88310 …``, for comparing keys by phone."""
    digest = hashlib.sha256(unb64(sign_public, size=32) + unb64(box_public or b64(b"\0" * 32),
                                                                    size=32)).digest()
    digits = str(int.from_bytes(digest[:16], "big") % 10**30).zfill(30)
    return " ".join(digits[i:i + 5] for i in range(0, 30, 5))


def _public_raw(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)


def _private_raw(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def identity() -> OfficeIdentity | None:
    office = this_office()
    if office is None:
        return None
    return OfficeIdentity.get_or_none(OfficeIdentity.office_uuid == office.uuid)


def ensure_identity() -> OfficeIdentity:
    """This office's keys, made on first use (one transaction)."""
    office = this_office()
    if office is None:
        raise InputRefused("尚未设置本办公室，不能制作或导入上报包。请先完成首次启动设置。")
    found = OfficeIdentity.get_or_none(OfficeIdentity.office_uuid == office.uuid)
    if found is not None:
        return found
    sign, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    sign_pub, box_pub = b64(_public_raw(sign)), b64(_public_raw(box))
    with database.atomic():
        row = OfficeIdentity.create(
            office_uuid=office.uuid,
            sign_private=keystore.wrap(_private_raw(sign), office_uuid=office.uuid, role="sign"),
            box_private=keystore.wrap(_private_raw(box), office_uuid=office.uuid, role="box"),
            sign_public=sign_pub, box_public=box_pub, fingerprint=fingerprint(sign_pub, box_pub),
        )
        office.public_key = sign_pub
        office.save()
    return row


def regenerate_identity() -> OfficeIdentity:
    """New keys for this office, when the old ones are lost (no identity file, or this
    installation cannot unwrap them). The package counter jumps ahead, so no number is reused;
    the office above must confirm the new fingerprint by telephone (it sees both)."""
    require(Permission.CHANGE_SETTINGS)
    office = this_office()
    if office is None:
        raise InputRefused("尚未设置本办公室，不能生成密钥。")
    sign, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    sign_pub, box_pub = b64(_public_raw(sign)), b64(_public_raw(box))
    with database.atomic():
        row = OfficeIdentity.get_or_none(OfficeIdentity.office_uuid == office.uuid)
        old = row.fingerprint if row else ""
        if row is None:
            row = OfficeIdentity(office_uuid=office.uuid)
        else:
            row.sequence += SEQUENCE_SAFETY_GAP
        row.sign_private = keystore.wrap(_private_raw(sign), office_uuid=office.uuid, role="sign")
        row.box_private = keystore.wrap(_private_raw(box), office_uuid=office.uuid, role="box")
        row.sign_public, row.box_public = sign_pub, box_pub
        row.fingerprint = fingerprint(sign_pub, box_pub)
        row.updated_at = now()
        row.save()
        office.public_key = sign_pub
        office.save()
        audit("生成新密钥", "OfficeIdentity", {"原指纹": old, "新指纹": row.fingerprint},
              entity_id=office.uuid)
    return row


def private_keys(ident: OfficeIdentity) -> tuple[bytes, bytes]:
    """The raw (signing, sealing) private keys; refuses in Chinese, with the way to recover,
    when this installation cannot unwrap them (see :mod:`keystore`)."""
    try:
        return (keystore.unwrap(bytes(ident.sign_private), office_uuid=ident.office_uuid, role="sign"),
                keystore.unwrap(bytes(ident.box_private), office_uuid=ident.office_uuid, role="box"))
    except InputRefused:
        if not is_postgres(database):
            raise
        # on a shared server, the usual case is simply another PC than the one holding them
        raise InputRefused(
            "本办公室的密钥保存在数据库服务器上，但只有已获准的管理员电脑（用其安装密钥加密过）"
            "能使用，这台电脑还不能。请在能使用的电脑上“导出身份文件”，再在这台电脑上导入："
            "之后两台电脑都能制作和导入上报包。") from None


def wrap_stored_keys() -> bool:
    """Keys stored raw by an older version get wrapped (inside the caller's transaction).
    Returns whether anything changed."""
    ident = identity()
    if ident is None or (keystore.is_wrapped(bytes(ident.sign_private))
                         and keystore.is_wrapped(bytes(ident.box_private))):
        return False
    sign_raw, box_raw = private_keys(ident)
    OfficeIdentity.update(
        sign_private=keystore.wrap(sign_raw, office_uuid=ident.office_uuid, role="sign"),
        box_private=keystore.wrap(box_raw, office_uuid=ident.office_uuid, role="box"),
        updated_at=now()).where(OfficeIdentity.id == ident.id).execute()
    return True


def next_sequence() -> int:
    """Take the next package number. Its own transaction: a number once taken is never reused."""
    ident = ensure_identity()
    private_keys(ident)  # unusable keys are refused before a number is spent
    with database.atomic():
        wrap_stored_keys()
        OfficeIdentity.update(sequence=OfficeIdentity.sequence + 1, updated_at=now()).where(
            OfficeIdentity.id == ident.id).execute()
        return OfficeIdentity.get_by_id(ident.id).sequence


def raise_sequence_floor(floor: int) -> None:
    """After a restore: the counter becomes at least ``floor`` (it never goes down)."""
    ident = identity()
    if ident is not None and ident.sequence < floor:
        OfficeIdentity.update(sequence=floor, updated_at=now()).where(
            OfficeIdentity.id == ident.id).execute()


def sign(data: bytes) -> bytes:
    ident = ensure_identity()
    return Ed25519PrivateKey.from_private_bytes(private_keys(ident)[0]).sign(data)


def verify_signature(sign_public: str, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(sign_public, size=32)).verify(signature, data)
    except (InvalidSignature, InputRefused, ValueError):
        return False
    return True


# -- sealing minors' data ----------------------------------------------------------------------

def _seal_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
                info=_SEAL_INFO).derive(shared)


class Sealer:
    """Seals values for one recipient; one ephemeral key per package."""

    def __init__(self, recipient_box_public: str) -> None:
        recipient = unb64(recipient_box_public, size=32)
        ephemeral = X25519PrivateKey.generate()
        self.ephemeral_public = b64(_public_raw(ephemeral))
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
        self._aead = ChaCha20Poly1305(_seal_key(shared, _public_raw(ephemeral), recipient))

    def seal(self, record_uuid: str, values: dict[str, str]) -> str:
        nonce = os.urandom(12)
        plain = json.dumps(values, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return b64(nonce + self._aead.encrypt(nonce, plain, record_uuid.encode("ascii")))


def _json_value(data: bytes) -> object:
    """``json.loads(data.decode("utf-8"))``, by orjson when it accepts the text: it accepts
    nothing the standard library refuses and gives the same values (integers past 64 bits
    aside, which no sealed value holds), about six times faster; merging opens thousands."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a declared dependency
        return json.loads(data.decode("utf-8"))
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data.decode("utf-8"))


class Opener:
    """Opens values sealed to this office by :class:`Sealer`."""

    def __init__(self, ephemeral_public: str) -> None:
        ident = ensure_identity()
        own = X25519PrivateKey.from_private_bytes(private_keys(ident)[1])
        eph = unb64(ephemeral_public, size=32)
        shared = own.exchange(X25519PublicKey.from_public_bytes(eph))
        self._aead = ChaCha20Poly1305(_seal_key(shared, eph, _public_raw(own)))

    def open(self, record_uuid: str, sealed: str) -> dict[str, str] | None:
        try:
            data = binascii.a2b_base64(sealed, strict_mode=True)  # one per sealed record: kept lean
            plain = self._aead.decrypt(data[:12], data[12:], record_uuid.encode("ascii"))
            values = _json_value(plain)
        except (binascii.Error, InvalidTag, ValueError, UnicodeDecodeError, TypeError):
            return None
        if not isinstance(values, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
            return None
        return values


# -- known keys of other offices ---------------------------------------------------------------

def key_status(office_uuid: str, fp: str) -> str:
    """``known`` (confirmed before), ``new`` (never seen: confirm by phone) or ``changed``."""
    rows = list(KnownKey.select().where(KnownKey.office_uuid == office_uuid,
                                        KnownKey.retired == False))  # noqa: E712
    if not rows:
        return "new"
    if any(r.fingerprint == fp and r.confirmed for r in rows):
        return "known"
    if any(r.fingerprint == fp for r in rows):
        return "new"
    return "changed"


KEY_STATUS_LABELS = {
    "known": "已确认的密钥",
    "new": "新密钥：请电话核对指纹后确认信任",
    "changed": "密钥与上次不同：已拒绝",
    "self": "本办公室自己的密钥",
}


def trust_key(*, office_uuid: str, office_name: str, level: int, sign_public: str,
              box_public: str, replace: bool = False) -> KnownKey:
    """Record ``office_uuid``'s key as confirmed. A different key needs ``replace`` (lost PC)."""
    require(Permission.MERGE_PACKAGES)
    fp = fingerprint(sign_public, box_public)
    status = key_status(office_uuid, fp)
    if status == "changed" and not replace:
        raise InputRefused(
            f"{office_name} 的密钥与上次不同（新指纹 {fp}），已拒绝。若该单位确实更换了电脑或密钥，"
            "请电话核对新指纹后，在“上报与汇总”中选择“更换该单位密钥”。")
    with database.atomic():
        if replace:
            KnownKey.update(retired=True).where(KnownKey.office_uuid == office_uuid,
                                                KnownKey.fingerprint != fp).execute()
        row = KnownKey.get_or_none(KnownKey.office_uuid == office_uuid,
                                   KnownKey.fingerprint == fp)
        if row is None:
            row = KnownKey.create(office_uuid=office_uuid, office_name=office_name, level=level,
                                  sign_public=sign_public, box_public=box_public, fingerprint=fp)
        if not row.confirmed or row.retired:
            row.confirmed, row.confirmed_at, row.retired = True, now(), False
            row.save()
        office = Office.get_or_none(Office.uuid == office_uuid)
        me = this_office()
        if office is None and me is not None and level > me.level and me.parent_id is None:
            # the key file of the office above: from now on packages go up to it
            office = Office.create(uuid=office_uuid, name=office_name, level=level,
                                   public_key=sign_public)
            me.parent = office
            me.save()
        if office is not None and not office.is_self and office.public_key != sign_public:
            office.public_key = sign_public
            office.save()
    return row


def confirmed_fingerprint(office_uuid: str) -> str:
    """The fingerprint confirmed for ``office_uuid`` (the newest in force), or ``""``."""
    row = (KnownKey.select().where(KnownKey.office_uuid == office_uuid, KnownKey.confirmed == True,  # noqa: E712
                                   KnownKey.retired == False)  # noqa: E712
           .order_by(KnownKey.id.desc()).first())
    return row.fingerprint if row else ""


def replace_key(*, office_uuid: str, office_name: str, level: int, sign_public: str,
                box_public: str, reason: str) -> KnownKey:
    """A known office lost its key (new PC, no identity file): after the officer confirmed the
    new fingerprint by telephone and wrote why, the old key is retired and the new one trusted.
    Logged in the audit trail with both fingerprints and the reason."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InputRefused("请写明更换密钥的原因（至少 4 个字），例如：原电脑硬盘损坏，已电话核对新指纹。")
    old = confirmed_fingerprint(office_uuid)
    with database.atomic():
        row = trust_key(office_uuid=office_uuid, office_name=office_name, level=level,
                        sign_public=sign_public, box_public=box_public, replace=True)
        row.note = reason
        row.save()
        audit("更换单位密钥", "KnownKey", {"单位": office_name, "原指纹": old, "新指纹": row.fingerprint,
                                        "原因": reason}, entity_id=office_uuid, reason=reason)
    return row


def confirmed_box_key(office_uuid: str) -> str | None:
    """The sealing key of another office, if an officer confirmed it."""
    row = (KnownKey.select().where(KnownKey.office_uuid == office_uuid, KnownKey.confirmed == True,  # noqa: E712
                                   KnownKey.retired == False, KnownKey.box_public != "")  # noqa: E712
           .order_by(KnownKey.id.desc()).first())
    return row.box_public if row else None


# -- key files (public) ------------------------------------------------------------------------

@dataclass(frozen=True)
class OfficeKey:
    office_uuid: str
    office_name: str
    level: int
    sign_public: str
    box_public: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_public, self.box_public)


def write_key_file(path: Path) -> OfficeKey:
    """This office's public keys, to hand to the office below (it seals minors' data with it)."""
    office = this_office()
    ident = ensure_identity()
    assert office is not None
    key = OfficeKey(office.uuid, office.name, office.level, ident.sign_public, ident.box_public)
    data = {"format": KEY_FILE_FORMAT, "version": 1, "office": {
        "uuid": key.office_uuid, "name": key.office_name, "level": key.level},
        "sign_public": key.sign_public, "box_public": key.box_public,
        "fingerprint": key.fingerprint}
    _write_small(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
    return key


def read_key_file(path: Path) -> OfficeKey:
    data = _read_small_json(path, "密钥文件")
    if data.get("format") != KEY_FILE_FORMAT:
        raise InputRefused(f"“{Path(path).name}”不是单位公钥文件。")
    try:
        office = data["office"]
        key = OfficeKey(str(office["uuid"]), str(office["name"]), int(office["level"]),
                        str(data["sign_public"]), str(data["box_public"]))
        unb64(key.sign_public, size=32)
        unb64(key.box_public, size=32)
    except (KeyError, TypeError, ValueError):
        raise InputRefused(f"密钥文件“{Path(path).name}”内容不完整或已损坏。") from None
    return key


# -- identity files (private, password-protected) ----------------------------------------------

def _derive(password: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(password.encode("utf-8"))


def export_identity(path: Path, password: str) -> str:
    """Write this office's keys and counter, encrypted with ``password``; returns the fingerprint."""
    if len(password) < 8:
        raise InputRefused("密码至少 8 位。请设一个别人猜不到、自己记得住的密码，并妥善保管。")
    office = this_office()
    ident = ensure_identity()
    assert office is not None
    secret = json.dumps({
        "office_uuid": ident.office_uuid, "office_name": office.name, "level": office.level,
        "sign_private": b64(private_keys(ident)[0]), "box_private": b64(private_keys(ident)[1]),
        "sequence": ident.sequence,
    }).encode("utf-8")
    salt, nonce = os.urandom(16), os.urandom(12)
    header = {"format": IDENTITY_FILE_FORMAT, "version": 1, "kdf": "scrypt", "n": 2**15, "r": 8,
              "p": 1, "salt": b64(salt), "nonce": b64(nonce), "office": office.name,
              "fingerprint": ident.fingerprint,
              "created": dt.datetime.now().isoformat(timespec="seconds")}
    aad = json.dumps(header, sort_keys=True).encode("utf-8")
    header["ciphertext"] = b64(AESGCM(_derive(password, salt)).encrypt(nonce, secret, aad))
    _write_small(path, json.dumps(header, ensure_ascii=False, indent=2).encode("utf-8"))
    return ident.fingerprint


def import_identity(path: Path, password: str) -> OfficeIdentity:
    """Restore this office's keys on a new PC; the counter jumps past anything used before.
    When the database already holds these very keys (another admin PC on a shared server),
    this PC is added to the ones that can use them; other keys are replaced."""
    require(Permission.CHANGE_SETTINGS)
    header = _read_small_json(path, "身份文件")
    if header.get("format") != IDENTITY_FILE_FORMAT:
        raise InputRefused(f"“{Path(path).name}”不是本程序导出的办公室身份文件。")
    if header.get("version") != 1:
        raise InputRefused("身份文件由更新版本的程序导出，请先升级程序。")
    try:
        ciphertext = unb64(header.pop("ciphertext"))
        salt, nonce = unb64(header["salt"], size=16), unb64(header["nonce"], size=12)
    except (KeyError, AttributeError):
        raise InputRefused("身份文件内容不完整或已损坏。") from None
    aad = json.dumps(header, sort_keys=True).encode("utf-8")
    try:
        secret = json.loads(AESGCM(_derive(password, salt)).decrypt(nonce, ciphertext, aad))
    except InvalidTag:
        raise InputRefused("密码不对，或身份文件已被改动。") from None
    office = this_office()
    if office is None:
        raise InputRefused("请先完成首次启动设置（同一单位名称），再导入身份文件。")
    if secret["office_uuid"] != office.uuid:
        raise InputRefused(
            f"这是“{secret.get('office_name', '')}”的身份文件，不是本办公室（{office.name}）的。")
    sign = Ed25519PrivateKey.from_private_bytes(unb64(secret["sign_private"], size=32))
    box = X25519PrivateKey.from_private_bytes(unb64(secret["box_private"], size=32))
    sign_pub, box_pub = b64(_public_raw(sign)), b64(_public_raw(box))
    with database.atomic():
        row = OfficeIdentity.get_or_none(OfficeIdentity.office_uuid == office.uuid)
        floor = max(int(secret.get("sequence", 0)), row.sequence if row else 0) + SEQUENCE_SAFETY_GAP
        if row is None:
            row = OfficeIdentity(office_uuid=office.uuid)
        if row.sign_public == sign_pub and row.box_public == box_pub:
            # the same keys (a second PC on a shared server, or this PC after a reinstall):
            # this installation's wrapping joins the others, which keep working
            row.sign_private = keystore.add_wrapping(bytes(row.sign_private), _private_raw(sign),
                                                     office_uuid=office.uuid, role="sign")
            row.box_private = keystore.add_wrapping(bytes(row.box_private), _private_raw(box),
                                                    office_uuid=office.uuid, role="box")
        else:
            row.sign_private = keystore.wrap(_private_raw(sign), office_uuid=office.uuid, role="sign")
            row.box_private = keystore.wrap(_private_raw(box), office_uuid=office.uuid, role="box")
        row.sign_public, row.box_public = sign_pub, box_pub
        row.fingerprint = fingerprint(sign_pub, box_pub)
        row.sequence = floor
        row.save()
        office.public_key = sign_pub
        office.save()
    return row


def _write_small(path: Path, data: bytes) -> None:
    from wqg_desktop.exchange.archive import write_atomically

    write_atomically(Path(path), lambda handle: handle.write(data))


def _read_small_json(path: Path, what: str) -> dict:
    path = Path(path)
    if not path.is_file():
        raise InputRefused(f"找不到{what}：{path}")
    if path.stat().st_size > 64 * 1024:
        raise InputRefused(f"“{path.name}”太大，不是{what}。")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InputRefused(f"“{path.name}”不是{what}（内容无法读取）。") from None
    if not isinstance(data, dict):
        raise InputRefused(f"“{path.name}”不是{what}。")
    return data
